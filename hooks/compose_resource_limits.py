"""Each compose service limits both its CPU and its memory.

## What it does
Reports a service that does not set a CPU limit (`deploy.resources.limits.cpus`, or the
older service-level `cpus`) and a memory limit (`deploy.resources.limits.memory`, or
`mem_limit`); one finding at the service names what is missing, and where the limit that is
there is set. Limits brought in by a merge key (`<<: *limits`) or `extends` count; a limit
of `0` is no limit. A fragment that another compose file completes (no `image:` or
`build:`, or an override of a service of the base `compose.yaml`) is judged where it is
defined in full. Test and CI fixtures and devcontainer stacks are not judged; local
development stacks are, since a leak takes a developer's machine down too ("What ships" in
the README).

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
from dockhooks._compose import Service
from dockhooks._findings import Problem
from dockhooks._hook import run_hook
from dockhooks._roles import stack_role

CODE = 'DH204'
ID = 'compose-resource-limits'
SUMMARY = 'each compose service limits CPU and memory (deploy.resources.limits)'
SEVERITY = 'warning'
OPTIONS = ('exempt-services',)


# (name, deploy.resources.limits key, older service-level key, example value)
_KINDS = (('CPU', 'cpus', 'cpus', '"<cores>"'), ('memory', 'memory', 'mem_limit', '<size>'))
_ZERO = frozenset(('0', '0.0', '0b', '0k', '0m', '0g'))


def _limit(service: Service, key: str, old: str) -> tuple[str, ...] | None:
    """The key path that sets the limit (the newer one first), or None."""
    for path in (('deploy', 'resources', 'limits', key), (old,)):
        value = service.lookup(*path)
        if value is not MISSING and (service.value_str(value) or '').lower() not in _ZERO:
            return path
    return None


def check(cf: ComposeFile, opts: SimpleNamespace) -> Iterator[Problem]:
    if stack_role(cf) in ('test', 'workspace'):
        return  # a test fixture or devcontainer stack: its limits are the tool's to set
    exempt = set(opts.exempt_services)
    for service in cf.services:
        if service.name in exempt or service.is_fragment:
            continue
        base = service.extends_here()
        if base is not None and base.name not in exempt and not base.is_fragment and all(
                _limit(base, key, old) is None or _limit(service, key, old) is not None
                for _, key, old, _ in _KINDS) and any(
                _limit(base, key, old) is None for _, key, old, _ in _KINDS):
            continue  # told at the service it extends, whose limits it inherits
        found = [(kind, _limit(service, key, old)) for kind, key, old, _ in _KINDS]
        missing = [kind for kind, path in found if path is None]
        if not missing:
            continue
        if len(missing) == 2:
            yield Problem(
                service.line, service.col,
                f'service {service.name} has no CPU and memory limit, so a leak can take the '
                f'whole machine; set deploy: resources: limits: cpus: and memory: to its peak '
                f'use with some headroom (docker stats shows it)',
            )
            continue
        (there, path), = [(k, p) for k, p in found if p is not None]
        (kind, key, old, example), = [k for k in _KINDS if k[0] == missing[0]]
        pos = service.key_pos(*path)
        where = f'line {pos[0]}' if pos != (service.line, service.col) else \
            'inherited through extends'
        if path[0] == 'deploy':
            fix = f'add {key}: {example} to deploy: resources: limits:'
        else:
            fix = f'add {old}: {example} next to {path[0]}:'
        yield Problem(
            service.line, service.col,
            f'service {service.name} has a {there} limit ({where}) but no {kind} limit, so '
            f'a runaway process can still take the whole machine; {fix}',
        )


def main(argv: Sequence[str] | None = None) -> int:
    return run_hook(__name__, argv)


if __name__ == '__main__':
    raise SystemExit(main())
