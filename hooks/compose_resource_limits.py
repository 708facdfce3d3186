"""Each compose service limits both its CPU and its memory.

## What it does
Reports a service that does not set a CPU limit (`deploy.resources.limits.cpus`, or the
older service-level `cpus`) and a memory limit (`deploy.resources.limits.memory`, or
`mem_limit`); one finding at the service names what is missing, and where the limit that is
there is set. Limits brought in by a merge key (`<<: *limits`) or `extends` count; a limit
of `0` is no limit. A fragment that another compose file completes (no `image:` or
`build:`, or an override of a service of the base `compose.yaml`) is judged where it is
defined in full, and a service that `extends:` another (in this file or another compose
file) where that one is written. One-shot jobs are not long-running services and are not
judged: a service that another waits for with `condition: service_completed_successfully`,
one that says `restart: "no"` where other services of the file are restarted, or one whose
name says it is a job (`init`, `migrate`, `setup`, `seed` ... as DH202 reads it) and that
nothing restarts (no `restart:`, or `"no"`). Test and CI fixtures and devcontainer stacks are not
judged; local development stacks are, since a leak takes a developer's machine down too
("What ships" in the README).

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
from dockhooks._compose import is_compose_filename
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


_JUDGED = ('ship', 'dev')


def _told_at_base(service: Service, exempt: set[str], jobs: set[str]) -> bool:
    """The limits the service lacks are those of the service it extends, which is reported
    where it is written: in this file, or in another compose file that is judged."""
    base = service.extends_base()
    if base is None or base.name in exempt or base.is_fragment:
        return False
    if base.file is service.file:
        if base.name in jobs:
            return False
    elif not (is_compose_filename(base.file.path) and stack_role(base.file) in _JUDGED) \
            or base.name in one_shot_jobs(base.file):
        return False
    return all(_limit(base, key, old) is None or _limit(service, key, old) is not None
               for _, key, old, _ in _KINDS) and any(
        _limit(base, key, old) is None for _, key, old, _ in _KINDS)


def one_shot_jobs(cf: ComposeFile) -> set[str]:
    """The services of the file that run once and exit: one that another service waits for
    with ``condition: service_completed_successfully``; one that says ``restart: "no"``
    where other services of the file are restarted (a stack whose services all say it, as
    development stacks do, says only that nothing restarts at boot); one whose name says it
    is a job (``init``, ``migrate``, ``setup``, ``seed`` as a word, and no ``server``,
    ``worker``, ``api`` ..., the words DH202 reads) and that nothing restarts (no
    ``restart:``, or ``"no"``; a job that is retried ``on-failure`` is told apart from a
    server by nothing in the file); one without a network (``network_mode: none``: it serves
    nothing, so it computes and exits, as a key generator does) that nothing restarts."""
    from dockhooks.compose_healthchecks import ONE_SHOT_WORDS
    from dockhooks.compose_healthchecks import SERVER_WORDS
    from dockhooks.compose_healthchecks import name_words

    jobs = {dep.name for service in cf.services for dep in service.depends_on()
            if dep.condition == 'service_completed_successfully'}
    policies = {s.name: s.value_str(s.lookup('restart')) for s in cf.services}
    restarted = any(p not in (None, 'no', 'false') for p in policies.values())
    for name, policy in policies.items():
        if policy not in (None, 'no', 'false'):
            continue
        words = name_words(name)
        if (restarted and policy is not None) or (
                ONE_SHOT_WORDS & {*words, ''.join(words)} and not SERVER_WORDS & set(words)):
            jobs.add(name)
    for service in cf.services:
        if service.value_str(service.lookup('network_mode')) == 'none' \
                and policies.get(service.name) in (None, 'no', 'false'):
            jobs.add(service.name)
    return jobs


def check(cf: ComposeFile, opts: SimpleNamespace) -> Iterator[Problem]:
    if stack_role(cf) not in _JUDGED:
        return  # a test fixture or devcontainer stack: its limits are the tool's to set
    exempt = set(opts.exempt_services)
    jobs = one_shot_jobs(cf)
    for service in cf.services:
        if service.name in exempt or service.name in jobs or service.is_fragment:
            continue  # a job exits: it cannot leak for long
        if _told_at_base(service, exempt, jobs):
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
