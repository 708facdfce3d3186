"""Dependencies define healthchecks, and dependents wait for them to be healthy.

## What it does
Reports
- each `depends_on` entry without a condition whose dependency has a healthcheck (its own
  `healthcheck:`, the `HEALTHCHECK` of the local Dockerfile the service builds, final stage or
  `build.target`, or an image known to declare one: IMAGES_WITH_HEALTHCHECK below), at the
  entry: use `condition: service_healthy`;
- a dependency that dependents need ready (listed without a condition, or with
  `condition: service_healthy`) but that has no healthcheck (or disables it with
  `disable: true` / `test: ["NONE"]`), once, at that service: add a healthcheck, then make the
  dependents wait for it. Asking for `service_healthy` alone would make `docker compose up`
  fail on a dependency without healthcheck.
One-shot jobs, which run and exit, need no healthcheck: a service that a dependent waits for
with `service_completed_successfully`, or one whose name or image's name says it is a job
(`init`, `migrate`, `setup`, `seed`, `schema`, `bootstrap`, ... as a word, and no `worker`,
`server`, `api`, `registry`, ...) that no `restart:` keeps running. The entries that list a
job are told to wait for `service_completed_successfully`. An entry written once in an anchor
(`<<: *deps`) or in a service that others of the file extend is one finding, naming the
services that use it.

Not judged: an explicit `condition: service_started` (the maintainer decided not to wait); a
dependent that needs no readiness because it only keeps a container alive for a developer
(`sleep infinity`, `tail -f /dev/null`, `while sleep 1000; do :; done`) or waits by itself
(`wait-for-it`, `dockerize -wait`, an `until pg_isready` loop); a list item written with a
variable (Compose does not interpolate the long form's keys); a dependency that another
compose file defines; `provider:` services, which are no containers; test and CI fixtures.
A fragment that another compose file completes (no `image:` or `build:`, an override of a
service of the base `compose.yaml`, any service of an override file whose base is not beside
it) has its healthcheck judged where it is defined in full.

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
- `--extra-healthcheck-images GLOBS`: more images whose own Dockerfile declares a
  `HEALTHCHECK` (names without registry or tag, e.g. `myorg/api`), so that a service
  running them needs no `healthcheck:` of its own.
"""
from __future__ import annotations

import fnmatch
import os
import re
from collections.abc import Iterator
from collections.abc import Sequence
from types import SimpleNamespace

from dockhooks._compose import MISSING
from dockhooks._compose import ComposeFile
from dockhooks._compose import Service
from dockhooks._compose import value_str
from dockhooks._findings import Problem
from dockhooks._hook import run_hook
from dockhooks._images import parse_image
from dockhooks._roles import KEEP_ALIVE
from dockhooks._roles import stack_role

CODE = 'DH202'
ID = 'compose-healthchecks'
SUMMARY = 'services others depend on have a healthcheck; depends_on waits for service_healthy'
SEVERITY = 'error'
OPTIONS = ('extra-healthcheck-images',)
WAITING = frozenset(('service_healthy', 'service_completed_successfully'))
DONE = 'service_completed_successfully'

# Images whose Dockerfile declares a HEALTHCHECK (checked in their sources), by name without
# registry or tag; fnmatch globs.
IMAGES_WITH_HEALTHCHECK = (
    'matrixdotorg/synapse', 'mailu/*', 'docker-mailserver/docker-mailserver',
    'mailserver/docker-mailserver', 'pihole/pihole', 'vaultwarden/server',
    'louislam/uptime-kuma', 'axllent/mailpit', 'zulip/zulip-server', 'vimagick/ggr',
    'vimagick/ggr-ui', 'inbucket/inbucket', 'visibilityspots/cloudflared',
)
# A word of the service name that makes it a one-shot job (run, exit) rather than a server.
ONE_SHOT_WORDS = frozenset((
    'init', 'migrate', 'migrations', 'migration', 'migrator', 'setup', 'seed', 'seeder',
    'seeding', 'bootstrap', 'provision', 'provisioner', 'createbuckets', 'schema',
))
# ... unless another word says it serves (``appwrite-worker-migrations`` is a queue worker)
SERVER_WORDS = frozenset(('worker', 'workers', 'server', 'daemon', 'api', 'web', 'ui', 'proxy',
                          'scheduler', 'listener', 'consumer', 'registry'))
_KEEPS_RUNNING = frozenset(('always', 'unless-stopped'))


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
    final = df.final_stage(service.value_str(service.lookup('build', 'target')))
    if final is None:
        return False
    for stage in df.chain(final):
        for ins in reversed(stage.instructions):
            if ins.keyword == 'HEALTHCHECK':
                return ins.args.split()[:1] != ['NONE'] and ins.args.upper() != 'NONE'
    return False


def image_name(service: Service) -> str | None:
    """The service's image without registry, tag or ``library/``; None when not known.

    A tag from a variable without default does not hide the name (``mailu/admin:${V}``).
    """
    raw = service.raw_image
    if raw is None or service.has('build'):
        return None
    name = parse_image(service.image or raw).name
    name = name[len('library/'):] if name.startswith('library/') else name
    return None if '$' in name or not name else name


def _image_healthcheck(service: Service, extra: Sequence[str] = ()) -> bool:
    name = image_name(service)
    return name is not None and any(fnmatch.fnmatchcase(name, g)
                                    for g in (*IMAGES_WITH_HEALTHCHECK, *extra))


def _disabled(hc: object) -> bool:
    """``healthcheck: {disable: true}`` or ``test: ["NONE"]``."""
    if not isinstance(hc, dict):
        return False
    test = hc.get('test')
    return value_str(hc.get('disable')) in ('true', 'True', 'yes') or \
        (isinstance(test, list) and bool(test) and value_str(test[0]) == 'NONE')


def has_healthcheck(cf: ComposeFile, service: Service,
                    extra_images: Sequence[str] = ()) -> bool:
    hc = service.lookup('healthcheck')
    if hc is MISSING or hc is None:
        return _dockerfile_healthcheck(cf, service) or _image_healthcheck(service, extra_images)
    if not isinstance(hc, dict):
        return True
    if _disabled(hc):
        return False
    test = hc.get('test')
    if test is None:
        # only timing keys: the image's own HEALTHCHECK is kept
        return _dockerfile_healthcheck(cf, service) or not service.has('build')
    return True


def is_one_shot(service: Service) -> bool:
    """A job by its name or its image's (``db-migrate``, ``init_nifi``, ``createbuckets``,
    ``jaeger-cassandra-schema``) that no ``restart:`` policy keeps running."""
    image = image_name(service) or ''
    job = False
    for text in (service.name, image.rsplit('/', 1)[-1]):
        words = name_words(text)
        if ONE_SHOT_WORDS & {*words, ''.join(words)} and not SERVER_WORDS & set(words):
            job = True
    if not job:
        return False
    restart = service.value_str(service.lookup('restart'))
    condition = service.value_str(service.lookup('deploy', 'restart_policy', 'condition'))
    return restart not in _KEEPS_RUNNING and condition != 'any'


def name_words(name: str) -> list[str]:
    """``db-migrate`` / ``initNifi`` -> ['db', 'migrate'] / ['init', 'nifi']."""
    return [w.lower() for w in re.findall(r'[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+', name)]


_WAITS = re.compile(
    r'wait-for-it|wait-for\b|wait_for|dockerize\s.*-wait|\buntil\b|\bnc\s+-z|pg_isready|'
    r'mysqladmin\s+ping|/dev/tcp/|curl\s[^|;&]*--retry|wget\s[^|;&]*--tries')


def waits_by_itself(service: Service) -> bool:
    """A dependent that needs no readiness from Compose: it only keeps a container alive for
    a developer (``sleep infinity``, ``tail -f /dev/null``) or waits for its dependencies in
    its own command (``wait-for-it db:5432``, an ``until pg_isready`` loop)."""
    text = service.command_text()
    return bool(KEEP_ALIVE.search(text) or _WAITS.search(text))


def is_provider(service: Service) -> bool:
    """A ``provider:`` service (a model runner, a cloud resource): not a container."""
    return service.has('provider')


def check(cf: ComposeFile, opts: SimpleNamespace) -> Iterator[Problem]:
    if stack_role(cf) == 'test':
        return  # a test fixture starts what its test needs; its harness waits
    by_name = {s.name: s for s in cf.services}
    deps = [(service, dep) for service in cf.services for dep in service.depends_on()]
    # one-shot jobs: a dependent waits for one to finish, or its name or image says so
    jobs = {dep.name for _, dep in deps if dep.condition == DONE}
    jobs |= {s.name for s in cf.services if is_one_shot(s)}
    # the dependents that need a dependency ready: entries without a condition or that ask
    # for health; an explicit `condition: service_started` is the maintainer's decision
    needing: dict[str, list[str]] = {}
    entries: dict[tuple[int, int, str, str | None], list[str]] = {}
    for service, dep in deps:
        target = by_name.get(dep.name)
        if dep.interpolated or '$' in dep.name or is_provider(service) \
                or (target and is_provider(target)) \
                or (dep.condition is None and waits_by_itself(service)):
            continue
        if dep.condition in (None, 'service_healthy'):
            needing.setdefault(dep.name, []).append(service.name)
        if dep.condition is not None or target is None:
            continue  # long form: the maintainer chose; elsewhere: its healthcheck unknown
        if dep.name in jobs or has_healthcheck(cf, target, opts.extra_healthcheck_images):
            key = (dep.line, dep.col, dep.name, dep.condition)
            entries.setdefault(key, []).append(service.name)
    for (line, col, name, _condition), users in entries.items():
        one = len(users) == 1
        who = f'service {users[0]} depends' if one else f"services {', '.join(users)} depend"
        how = ('lists' if one else 'list') + ' it without a condition'
        if name in jobs:
            yield Problem(
                line, col,
                f'{who} on {name} but {how}, so {"it starts" if one else "they start"} before '
                f'{name} has finished; {name} is a one-shot job: use depends_on: {name}: '
                f'condition: {DONE}',
            )
            continue
        yield Problem(
            line, col,
            f'{who} on {name} but {how}, so {"it starts" if one else "they start"} before '
            f'{name} is ready; use depends_on: {name}: condition: service_healthy',
        )
    for name, users in needing.items():
        target = by_name.get(name)
        if target is None or name in jobs \
                or has_healthcheck(cf, target, opts.extra_healthcheck_images) \
                or (target.is_fragment and not target.has('healthcheck')):
            continue
        who = ', '.join(dict.fromkeys(users))
        if _disabled(target.lookup('healthcheck')):
            what, fix = 'disables its healthcheck', 'give healthcheck: a test:'
        else:
            what, fix = 'has no healthcheck', 'add healthcheck: with a test:'
        yield Problem(
            target.line, target.col,
            f'service {name} is in depends_on of {who} but {what}, so nothing can wait for it '
            f'to be ready; {fix} that checks it answers, then make {who} wait for it with '
            f'depends_on: {name}: condition: service_healthy',
        )


def main(argv: Sequence[str] | None = None) -> int:
    return run_hook(__name__, argv)


if __name__ == '__main__':
    raise SystemExit(main())
