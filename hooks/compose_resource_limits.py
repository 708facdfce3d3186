"""Each compose service limits both its CPU and its memory.

## What it does
Reports a service that does not set a CPU limit (`deploy.resources.limits.cpus`, or the
older service-level `cpus`) and a memory limit (`deploy.resources.limits.memory`, or
`mem_limit`); one finding at the service names what is missing. Limits brought in by a merge
key (`<<: *limits`) or `extends` count.

## Why is this bad?
Without limits, one leaking or runaway container takes all the memory or CPU of the
machine: the kernel's OOM killer then picks a victim, which may be your database, and a
developer laptop or a small server freezes. Limits make a misbehaving service fail alone.

## Example
```yaml
services:
  worker:
    image: example/worker:2.1.0
```

## Use instead
```yaml
services:
  worker:
    image: example/worker:2.1.0
    deploy:
      resources:
        limits:
          cpus: "1.0"
          memory: 512M
```

## Options
- `--exempt-services NAMES`: services that may run without limits (comma-separated).
"""
from __future__ import annotations

from collections.abc import Iterator
from collections.abc import Sequence
from types import SimpleNamespace

from dockhooks._compose import MISSING
from dockhooks._compose import ComposeFile
from dockhooks._findings import Problem
from dockhooks._hook import run_hook

CODE = 'DH204'
ID = 'compose-resource-limits'
SUMMARY = 'each compose service limits CPU and memory (deploy.resources.limits)'
SEVERITY = 'warning'
OPTIONS = ('exempt-services',)


def check(cf: ComposeFile, opts: SimpleNamespace) -> Iterator[Problem]:
    exempt = set(opts.exempt_services)
    for service in cf.services:
        if service.name in exempt:
            continue
        has_cpu = service.lookup('deploy', 'resources', 'limits', 'cpus') is not MISSING \
            or service.lookup('cpus') is not MISSING
        has_mem = service.lookup('deploy', 'resources', 'limits', 'memory') is not MISSING \
            or service.lookup('mem_limit') is not MISSING
        missing = [w for w, ok in (('CPU', has_cpu), ('memory', has_mem)) if not ok]
        if not missing:
            continue
        what = ' and '.join(missing)
        keys = ' and '.join(f'{k}:' for k, w in (('cpus', 'CPU'), ('memory', 'memory'))
                            if w in missing)
        yield Problem(
            service.line, service.col,
            f'service {service.name} has no {what} limit, so a leak can take the whole '
            f'machine; set deploy: resources: limits: {keys} (e.g. cpus: "1.0", memory: 512M)',
        )


def main(argv: Sequence[str] | None = None) -> int:
    return run_hook(__name__, argv)


if __name__ == '__main__':
    raise SystemExit(main())
