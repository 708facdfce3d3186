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
from dockhooks._images import CODENAMES
from dockhooks._images import parse_image
from dockhooks._images import suggestion
from dockhooks._images import tag_problem

CODE = 'DH201'
ID = 'compose-pinned-images'
SUMMARY = "each compose service's image: names a version tag or a digest"
SEVERITY = 'error'
OPTIONS = ('require-digest', 'extra-codenames')


def check(cf: ComposeFile, opts: SimpleNamespace) -> Iterator[Problem]:
    codenames = CODENAMES | {c.lower() for c in opts.extra_codenames}
    for service in cf.services:
        image = service.image
        if image is None or service.has('build') or '$' in image:
            continue
        ref = parse_image(image)
        problem = tag_problem(ref, codenames=codenames, require_digest=opts.require_digest)
        if problem is None:
            continue
        raw = service.raw_image
        shown = image if raw == image else f'{raw} (= {image})'
        line, col = service.key_pos('image')
        yield Problem(
            line, col,
            f'service {service.name}: image {shown} {problem}; pin a version: '
            f'image: {suggestion(ref, opts.require_digest)}',
        )


def main(argv: Sequence[str] | None = None) -> int:
    return run_hook(__name__, argv)


if __name__ == '__main__':
    raise SystemExit(main())
