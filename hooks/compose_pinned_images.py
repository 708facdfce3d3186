"""Each compose service's `image:` names a version tag or a digest.

## What it does
Checks every service's `image:` with the same tag rules as `dockerfile-pinned-base-image`:
no tag, `latest`, and floating tags without a version (`lts`, `alpine`, `stable`, `edge`,
...) are reported; release codenames (`bookworm`, `jammy`) and digests pass. Interpolation
is applied as compose does it (`${TAG:-latest}` is judged as `latest`); an image whose
variable has no default cannot be known and is not judged. A registry port is not a tag. A
service with both `build:` and `image:` names the image it builds, not one it pulls, and
passes.

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
from dockhooks._findings import Problem
from dockhooks._hook import run_hook
from dockhooks._images import unpinned

CODE = 'DH201'
ID = 'compose-pinned-images'
SUMMARY = "each compose service's image: names a version tag or a digest"
SEVERITY = 'error'
OPTIONS = ('require-digest', 'extra-codenames')


def check(cf: ComposeFile, opts: SimpleNamespace) -> Iterator[Problem]:
    for service in cf.services:
        image = service.image
        if image is None or service.has('build'):
            continue
        found = unpinned(image, service.raw_image, opts)
        if found is None:
            continue
        line, col = service.key_pos('image')
        yield Problem(line, col, f'service {service.name}: image {found[0]}; pin a version: '
                                 f'image: {found[1]}')


def main(argv: Sequence[str] | None = None) -> int:
    return run_hook(__name__, argv)


if __name__ == '__main__':
    raise SystemExit(main())
