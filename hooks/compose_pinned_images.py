"""Each compose service's `image:` names a version tag or a digest.

## What it does
Checks every service's `image:` with the same tag rules as `dockerfile-pinned-base-image`:
no tag, `latest`, and floating tags without a version (`lts`, `alpine`, `stable`, `edge`,
...) are reported; release codenames (`bookworm`, `jammy`) and digests pass. Interpolation
is applied as compose does it, with the project's `.env` (the one beside the compose file)
and then the defaults: `${TAG:-latest}` is judged as `latest`, or as the `TAG` the `.env`
sets; an image whose variable neither sets cannot be known and is not judged. A registry
port is not a tag. A service with both `build:` and `image:` names the image it builds, not
one it pulls, and passes; so does a service whose `image:` another service of the file
builds (Compose uses that build instead of pulling). An `image:` written once in an anchor
(`<<: *base`) and shared by several services is one finding at the anchor's line, naming the
services.

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

from collections.abc import Iterator
from collections.abc import Sequence
from types import SimpleNamespace

from dockhooks._compose import ComposeFile
from dockhooks._compose import Service
from dockhooks._compose import project_services
from dockhooks._findings import Problem
from dockhooks._hook import run_hook
from dockhooks._images import pin_advice
from dockhooks._images import unpinned

CODE = 'DH201'
ID = 'compose-pinned-images'
SUMMARY = "each compose service's image: names a version tag or a digest"
SEVERITY = 'error'
OPTIONS = ('require-digest', 'extra-codenames')


def check(cf: ComposeFile, opts: SimpleNamespace) -> Iterator[Problem]:
    # images the file builds itself: Compose builds them rather than pulling them, also for
    # the services that only name them (compose's isServiceImageToBuild)
    built = {s.image for s in project_services(cf) if s.has('build') and s.image is not None}
    # one finding per place an image is written: an anchor may serve several services
    places: dict[tuple[int, int], list[Service]] = {}
    for service in cf.services:
        image = service.image
        if image is None or image in built or service.has('build'):
            continue
        places.setdefault(service.key_pos('image'), []).append(service)
    for (line, col), services in places.items():
        first = services[0]
        found = unpinned(first.image or '', first.raw_image, opts)
        if found is None:
            continue
        names = ', '.join(s.name for s in services)
        who = f'service {names}' if len(services) == 1 else f'services {names}'
        yield Problem(line, col, f'{who}: image {found[0]}; {pin_advice(found[1])}: '
                                 f'image: {found[1]}')


def main(argv: Sequence[str] | None = None) -> int:
    return run_hook(__name__, argv)


if __name__ == '__main__':
    raise SystemExit(main())
