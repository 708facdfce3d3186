"""Each compose service runs with a read-only root filesystem.

## What it does
Reports a service without `read_only: true`: `read_only: false` at that line, a missing key
at the service. Paths the process must write to go on `tmpfs:` (scratch space) or volumes
(data), which stay writable with a read-only root. Services can be exempted with
`--exempt-services` or a `# dockhooks: ignore=DH205` pragma above the service. A
`read_only: false` written once in an anchor (`<<: *base`) is one finding at the anchor's
line, naming the services that use it. In a fragment that another compose file completes
(no `image:` or `build:`, or an override of a service of the base `compose.yaml`) a missing
key is judged where the service is defined in full, and in a service that `extends:` another
(in this file or another compose file) where that one is written. Stacks that never ship are
not judged: local development stacks (`docker-compose.dev.yml`, `dev/`, `local/`, or read
from what their services do), devcontainers and test or CI fixtures ("What ships" in the
README).

## Why is this bad?
With a writable root filesystem, an attacker who gets code execution can drop binaries,
edit the application or its configuration, and persist until the container is recreated.
A read-only root turns all of that into "Read-only file system" errors, and it documents
exactly where the service writes.

## Example
```yaml
services:
  api:
    image: example/api:1.4.2
```

## Use instead
```yaml
services:
  api:
    image: example/api:1.4.2
    read_only: true
    tmpfs:
      - /tmp
```

## Options
- `--exempt-services NAMES`: services that may keep a writable root (comma-separated).
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
from dockhooks._images import matches
from dockhooks._roles import stack_role

CODE = 'DH205'
ID = 'compose-read-only'
SUMMARY = 'each compose service sets read_only: true (tmpfs: for scratch paths)'
SEVERITY = 'warning'
OPTIONS = ('exempt-services',)
_TRUE = frozenset(('true', 'yes', 'on', '1'))
# Where well-known images write outside their data volumes: what tmpfs: must hold.
WRITABLE_PATHS = (
    ('postgres', ('/var/run/postgresql', '/tmp')),
    ('postgis/postgis', ('/var/run/postgresql', '/tmp')),
    ('nginx', ('/var/cache/nginx', '/var/run', '/tmp')),
    ('nginxinc/nginx-unprivileged', ('/tmp',)),
    ('mysql', ('/var/run/mysqld', '/tmp')),
    ('mariadb', ('/run/mysqld', '/tmp')),
    ('redis', ('/tmp',)),
    ('valkey/valkey', ('/tmp',)),
    ('mongo', ('/tmp',)),
    ('httpd', ('/usr/local/apache2/logs', '/tmp')),
    ('rabbitmq', ('/tmp',)),
    ('memcached', ('/tmp',)),
)
_BARE = frozenset(('bash', 'sh', '/bin/bash', '/bin/sh', 'true', '/bin/true'))


def writable_paths(service: Service) -> tuple[str, ...]:
    """The paths the service's image is known to write to (``/tmp`` for the rest)."""
    image = service.image
    if image is not None:
        for glob, paths in WRITABLE_PATHS:
            if matches(image, (glob,)):
                return paths
    return ('/tmp',)


def _not_a_running_service(service: Service) -> bool:
    """Only built, or synced by `docker compose watch`: a read-only root does not apply."""
    words: list[str] = []
    for key in ('entrypoint', 'command'):
        value = service.lookup(key)
        if isinstance(value, list):
            words.extend(str(v) for v in value)
        elif isinstance(value, str):
            words.extend(value.split())
    if len(words) == 1 and words[0] in _BARE:
        return True  # a build-only service (its image is a base for another)
    watch = service.lookup('develop', 'watch')
    return isinstance(watch, list) and any(
        isinstance(w, dict) and str(w.get('action', '')).startswith('sync') for w in watch)


def _told_at_base(service: Service, exempt: set[str]) -> bool:
    """The service inherits a missing ``read_only`` from the service it extends, which is
    reported where it is written: in this file, or in another compose file that is judged."""
    base = service.extends_base()
    if base is None or base.name in exempt or base.is_fragment \
            or _not_a_running_service(base) or base.lookup('read_only') is not MISSING:
        return False
    other = base.file
    return other is service.file or (is_compose_filename(other.path)
                                     and stack_role(other) == 'ship')


def check(cf: ComposeFile, opts: SimpleNamespace) -> Iterator[Problem]:
    if stack_role(cf) != 'ship':
        return  # a dev stack, devcontainer or test fixture: nobody attacks it
    exempt = set(opts.exempt_services)
    # read_only: false by where it is written: an anchor may serve several services
    written: dict[tuple[int, int], tuple[str, list[str]]] = {}
    for service in cf.services:
        if service.name in exempt or _not_a_running_service(service):
            continue
        value = service.lookup('read_only')
        if value is MISSING:
            if service.is_fragment or _told_at_base(service, exempt):
                continue  # completed elsewhere, or told at the service it extends
            paths = ', '.join(writable_paths(service))
            yield Problem(
                service.line, service.col,
                f'service {service.name} has a writable root filesystem; add read_only: true '
                f'and put the paths it writes to on tmpfs: ({paths}) or volumes',
            )
            continue
        text = service.value_str(value)
        if text is None or text.lower() in _TRUE:
            continue
        written.setdefault(service.key_pos('read_only'), (text, []))[1].append(service.name)
    for (line, col), (text, names) in written.items():
        who = f'service {names[0]} sets' if len(names) == 1 else \
            f"services {', '.join(names)} set"
        first = cf.service(names[0])
        paths = ', '.join(writable_paths(first)) if first is not None else '/tmp'
        yield Problem(
            line, col,
            f'{who} read_only: {text}; use read_only: true and put the paths it writes to on '
            f'tmpfs: ({paths}) or volumes',
        )


def main(argv: Sequence[str] | None = None) -> int:
    return run_hook(__name__, argv)


if __name__ == '__main__':
    raise SystemExit(main())
