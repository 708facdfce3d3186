"""Dependencies define healthchecks, and dependents wait for them to be healthy.

## What it does
Reports
- a service that another service lists in `depends_on` but that defines no `healthcheck`
  (or `healthcheck: {disable: true}` / `test: ["NONE"]`), at that service. A service built
  from a local Dockerfile whose final stage has a `HEALTHCHECK` counts as having one;
- each `depends_on` entry, short or long form, that does not wait for
  `condition: service_healthy`, at that entry. `condition: service_completed_successfully`
  is right for one-shot jobs such as migrations and passes.

## Why is this bad?
Without a healthcheck, `depends_on` only waits for the dependency's container to *start*:
the API boots while the database is still initialising, fails its first connections, and
the frontend sends traffic to a backend that is not ready. With a healthcheck and
`condition: service_healthy`, compose starts each service only once what it needs answers.

## Example
```yaml
services:
  api:
    image: example/api:1.4.2
    depends_on:
      - db
  db:
    image: postgres:16-alpine
```

## Use instead
```yaml
services:
  api:
    image: example/api:1.4.2
    depends_on:
      db:
        condition: service_healthy
  db:
    image: postgres:16-alpine
    healthcheck:
      test: ["CMD-SHELL", "pg_isready -U postgres"]
      interval: 5s
      retries: 10
```

## Options
None.
"""
from __future__ import annotations

import os
from collections.abc import Iterator
from collections.abc import Sequence
from types import SimpleNamespace

from dockhooks._compose import MISSING
from dockhooks._compose import ComposeFile
from dockhooks._compose import Service
from dockhooks._compose import value_str
from dockhooks._findings import Problem
from dockhooks._hook import run_hook

CODE = 'DH202'
ID = 'compose-healthchecks'
SUMMARY = 'services others depend on have a healthcheck; depends_on waits for service_healthy'
SEVERITY = 'error'
OPTIONS: tuple[str, ...] = ()
WAITING = frozenset(('service_healthy', 'service_completed_successfully'))


def _dockerfile_healthcheck(cf: ComposeFile, service: Service) -> bool:
    """True when the service is built from a local Dockerfile with a HEALTHCHECK."""
    build = service.build
    if build is None or build.inline or not build.known or build.dockerfile is None \
            or '://' in build.context:
        return False
    from dockhooks import _dockerfile
    from dockhooks._text import InputError

    folder = os.path.dirname(cf.path)
    path = os.path.join(folder, build.context, build.dockerfile)
    try:
        df = _dockerfile.load(path)
    except (InputError, RecursionError):
        return False
    final = df.final_stage()
    if final is None:
        return False
    for stage in df.chain(final):
        for ins in reversed(stage.instructions):
            if ins.keyword == 'HEALTHCHECK':
                return ins.args.split()[:1] != ['NONE'] and ins.args.upper() != 'NONE'
    return False


def has_healthcheck(cf: ComposeFile, service: Service) -> bool:
    hc = service.lookup('healthcheck')
    if hc is MISSING or hc is None:
        return _dockerfile_healthcheck(cf, service)
    if not isinstance(hc, dict):
        return True
    if value_str(hc.get('disable')) in ('true', 'True', 'yes'):
        return False
    test = hc.get('test')
    if isinstance(test, list) and test and value_str(test[0]) == 'NONE':
        return False
    if test is None:
        # only timing keys: the image's own HEALTHCHECK is kept
        return _dockerfile_healthcheck(cf, service) or not service.has('build')
    return True


def check(cf: ComposeFile, opts: SimpleNamespace) -> Iterator[Problem]:
    by_name = {s.name: s for s in cf.services}
    dependents: dict[str, list[str]] = {}
    for service in cf.services:
        for dep in service.depends_on():
            dependents.setdefault(dep.name, []).append(service.name)
            if dep.condition in WAITING:
                continue
            how = 'lists it without a condition' if dep.condition is None else \
                f'waits only for {dep.condition}'
            yield Problem(
                dep.line, dep.col,
                f'service {service.name} depends on {dep.name} but {how}, so it starts before '
                f'{dep.name} is ready; use depends_on: {dep.name}: condition: service_healthy',
            )
    for name, users in dependents.items():
        target = by_name.get(name)
        if target is None or has_healthcheck(cf, target):
            continue
        who = ', '.join(dict.fromkeys(users))
        yield Problem(
            target.line, target.col,
            f'service {name} is in depends_on of {who} but has no healthcheck, so nothing can '
            f'wait for it to be ready; add healthcheck: with a test: that checks it answers',
        )


def main(argv: Sequence[str] | None = None) -> int:
    return run_hook(__name__, argv)


if __name__ == '__main__':
    raise SystemExit(main())
