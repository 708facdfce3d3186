"""Each compose service's `image:` names a version tag or a digest.

## What it does
Checks every service's `image:` with the same tag rules and fixes as
`dockerfile-pinned-base-image`: no tag, `latest` (`<version>-latest`, `2025-latest`, is a
release line and passes),
floating tags without a version (`lts`, `alpine`, `stable`, ...), suites no version names
(`sid`, `edge`) and the one major every release shares (`python:3`) are reported; release
codenames (`bookworm`, `jammy`) and digests pass. A tag word that is no known variant
(`armeria`, `develop`) gets a digest as the fix, never `<version>-armeria`.

Interpolation is applied as compose does it, with the project's `.env` (the one beside the
compose file) and then the defaults: `${TAG:-latest}` is judged as `latest`, or as the `TAG`
the `.env` sets; an image whose variable neither sets cannot be known and is not judged. The
fix goes where what floats is written: the default in place (`app:${TAG:-<version>}`), or
the `.env` line (`TAG=<version> in .env`). A registry port is not a tag.

Judged is the service a plain `docker compose` runs: with no `-f`, Compose merges the
default override file (`compose.override.yaml`, `docker-compose.override.yml`) over the base
file beside it (`compose.yaml`, `docker-compose.yml`). A service with `build:` (its own or
from the other file) names the image it builds, not one it pulls, and passes; so does a
service whose `image:` a service of the project builds (Compose uses that build instead of
pulling), and a base service whose image the override replaces (judged in the override).
A service whose `pull_policy` is `always` or a schedule (`daily`, `weekly`, `every_12h`)
pulls the tag's newest push on every `up`: the file tracks the tag on purpose, and it is not
reported; nor with `build` (built) or `never` (nothing is pulled).

An image a Dockerfile of the repository builds, named by a tag only a local build gives it
(a word that is no version, channel or variant: `openzipkin/zipkin-eureka:test`, with
`zipkin-eureka/Dockerfile` in the zipkin repository, the image's name beginning with the
repository's or its organisation named after it), is the image the project just built: not
reported. At no tag or `latest` it is: with no `build:`, Compose pulls what the registry
publishes.

A release-channel variant is not reported: a file Compose reads only when named with `-f`
(`compose.nightly.yaml`, not a default file nor an override) whose every image names one and
the same floating tag (`nightly`, `beta`), while the other compose files of its folder pin
every one of those images. The pinned stack is the sibling; the variant exists to run the
channel, and a pin would only copy the sibling (judged with `--require-digest`).

An `image:` written once and shared is one finding where it is written, naming the
services: an anchor (`<<: *base`), a service others `extends`. One inherited with
`extends: {file: ...}` from another compose file is judged in that file; from a file no hook
reads (`common.yml`), once at the first service that extends it.

## Why is this bad?
`docker compose pull` on two machines, or on two days, gets different images for the same
file: a database major version can change under its data directory, and a working stack
breaks without a commit. Version tags make the stack reproducible and upgrades reviewable.

## Example
```yaml
services:
  db:
    image: postgres
  cache:
    image: redis:alpine
```

## Use instead
```yaml
services:
  db:
    image: postgres:16-alpine
  cache:
    image: redis:7.4-alpine
```

## Options
- `--require-digest`: also require an `@sha256:` digest.
- `--extra-codenames NAMES`: more release codenames to accept as pinned tags.
"""
from __future__ import annotations

import os
from collections.abc import Iterator
from collections.abc import Sequence
from types import SimpleNamespace

from dockhooks._compose import ComposeFile
from dockhooks._compose import Service
from dockhooks._compose import default_partner
from dockhooks._compose import is_compose_filename
from dockhooks._compose import project_services
from dockhooks._findings import Problem
from dockhooks._hook import run_hook
from dockhooks._images import Fix
from dockhooks._images import advice
from dockhooks._images import mark
from dockhooks._images import place
from dockhooks._images import unpinned

CODE = 'DH201'
ID = 'compose-pinned-images'
SUMMARY = "each compose service's image: names a version tag or a digest"
SEVERITY = 'error'
OPTIONS = ('require-digest', 'extra-codenames')

# pull_policy values that pull the tag's newest push on purpose (always, or on a schedule),
# build the image, or never pull: the file asks for no reproducible pull
_NOT_PINNED_ON_PURPOSE = ('always', 'build', 'never', 'daily', 'weekly')


def _pull_policy(service: Service, partner: Service | None) -> str:
    """The service's pull_policy once a plain `docker compose` merges the override file over
    the base file ('' when unset or unknown)."""
    order = [service] if partner is None else \
        [partner, service] if _is_override_of(partner, service) else [service, partner]
    for source in order:
        value = source.value_str(source.lookup('pull_policy'))
        if value:
            return value.lower()
    return ''


def _is_override_of(a: Service, b: Service) -> bool:
    """Whether ``a`` is the override file's definition of the service ``b`` defines."""
    from dockhooks._compose import is_override

    return is_override(a.file.path) and not is_override(b.file.path)


def _render(service: Service, fixes: tuple[Fix, ...]) -> list[Fix]:
    """The fixes as lines to write: the ``image:`` value with a variable's default changed
    in place (``app:${TAG:-<version>}``), or the line of the project's ``.env`` that sets
    what floats (``TAG=<version> in .env``); none when no one place writes it."""
    from dockhooks._vars import UNKNOWN
    from dockhooks._vars import expand

    raw, image = service.raw_image, service.image or ''
    if raw is None or raw == image:
        return [Fix(f.how, f'image: {f.ref}') for f in fixes]
    env = service.file.env or {}
    names: list[str] = []

    def lookup(name: str) -> str | None:
        value = env.get(name)
        if value is None:
            return UNKNOWN if name in env else None
        names.append(name)
        return mark(len(names) - 1, value)
    marked = expand(raw, lookup, compose=True)
    found = place(image, marked, fixes, lambda k: raw if k < 0 else env.get(names[k]))
    if found is None:
        return []
    writer, placed, _ = found
    if writer < 0:
        return [Fix(f.how, f'image: {text}') for f, text in placed]
    return [Fix(f.how, f'{names[writer]}={text} in .env') for f, text in placed]


def check(cf: ComposeFile, opts: SimpleNamespace) -> Iterator[Problem]:
    from dockhooks.dockerfile_pinned_base_image import local_image

    # a plain `docker compose` merges the override file over the base file: judge the
    # merged service (the override's build: builds what the base names, the override's
    # image: replaces the base's and is judged in the override file)
    partner_file = default_partner(cf)
    # images the project builds itself: Compose builds them rather than pulling them, also
    # for the services that only name them (compose's isServiceImageToBuild)
    built = {s.image for s in project_services(cf) if s.has('build') and s.image is not None}
    if partner_file is not None:
        # a base file's image that the override file builds
        built.update(s.image for s in cf.services if s.image is not None
                     and (p := partner_file.service(s.name)) is not None and p.has('build')
                     and not p.has('image'))
    if _channel_variant(cf, opts):
        return  # the file exists to run a channel its siblings pin
    # one finding per place an image is written: an anchor, a service others extend
    places: dict[tuple[str, int, int], list[Service]] = {}
    for service in cf.services:
        image = service.image
        if image is None or image in built or service.has('build'):
            continue
        partner = partner_file.service(service.name) if partner_file is not None else None
        if partner is not None and (partner.has('build') or (
                partner.has('image') and _is_override_of(partner, service))):
            continue  # merged: built, or the override's image replaces this one
        policy = _pull_policy(service, partner)
        if policy in _NOT_PINNED_ON_PURPOSE or policy.startswith('every_'):
            continue
        written = service.written_at('image') or (cf.path, *service.key_pos('image'))
        if not _here(written[0], cf) and is_compose_filename(written[0]):
            continue  # extended from another compose file, which is judged itself
        places.setdefault(written, []).append(service)
    for (path, line, col), services in places.items():
        first = services[0]
        found = unpinned(first.image or '', first.raw_image, opts)
        if found is None or local_image(cf.path, first.image or ''):
            continue  # pinned, or the image a Dockerfile of the repository builds
        shown, (problem, fixes) = found
        names = ', '.join(s.name for s in services)
        who = f'service {names}' if len(services) == 1 else f'services {names}'
        if not _here(path, cf):
            # written in a file no hook reads: told at the first extends
            who += f' (image from {os.path.basename(path)}, line {line})'
            line, col = first.key_pos('extends')
        placed = _render(first, fixes)
        how = advice(placed, str) if placed else \
            ', '.join(f'{f.how}, so that it reads {f.ref}' for f in fixes)
        yield Problem(line, col, f'{who}: image {shown} {problem}; {how}')


_DEFAULT_FILES = frozenset(('compose.yaml', 'compose.yml', 'docker-compose.yaml',
                            'docker-compose.yml'))


def _channel_variant(cf: ComposeFile, opts: SimpleNamespace) -> bool:
    """Whether ``cf`` is a release-channel variant of its project: a file Compose reads only
    when named with ``-f`` (no default file, no override), whose every image names one and
    the same floating tag (``nightly``, ``beta``, ``dev``), while the other compose files of
    its folder pin every one of those images by a version or a digest. The pinned stack is
    the sibling; the variant exists to run the channel, and a pin would only copy the
    sibling. Never under ``--require-digest``."""
    from dockhooks._compose import is_override
    from dockhooks._images import parse_image
    from dockhooks._images import repository

    name = os.path.basename(cf.path).lower()
    if opts.require_digest or name in _DEFAULT_FILES or is_override(cf.path):
        return False
    refs = [parse_image(s.image) for s in cf.services if s.image is not None]
    tags = {r.tag for r in refs}
    if not refs or len(tags) != 1 or None in tags or any(r.digest for r in refs) \
            or any('$' in (s.raw_image or '') for s in cf.services) \
            or unpinned(next(s.image for s in cf.services if s.image is not None), None,
                        opts) is None:
        return False  # no one channel tag (or pinned: nothing to spare)
    pinned = {repository(parse_image(s.image)) for s in project_services(cf)
              if s.image is not None and not _here(s.file.path, cf)
              and '$' not in s.image and unpinned(s.image, None, opts) is None}
    return {repository(r) for r in refs} <= pinned


def _here(path: str, cf: ComposeFile) -> bool:
    return os.path.abspath(path) == os.path.abspath(cf.path)


def main(argv: Sequence[str] | None = None) -> int:
    return run_hook(__name__, argv)


if __name__ == '__main__':
    raise SystemExit(main())
