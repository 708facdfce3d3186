"""Every FROM of an external image names a version tag or a digest.

## What it does
Checks each `FROM` that pulls an image (not `scratch`, not an earlier stage) for a pinned
reference: a tag with a version number in it, a distribution release codename (`bookworm`,
`jammy`, ...) or an `@sha256:` digest. Reports a missing tag, `latest`, and floating tags that
carry no version (`lts`, `stable`, `alpine`, `slim`, `edge`, `mainline`, ...). Build
arguments are resolved first: `ARG TAG=latest` then `FROM node:${TAG}` is reported, while an
`ARG` with no default cannot be known and is not judged. A registry port is not a tag:
`localhost:5000/team/app` is untagged.

## Why is this bad?
An unpinned base image is whatever the registry serves on the day of the build: two builds
of the same commit can get different operating systems, interpreters and libraries, and a
build that passed yesterday breaks today. A version tag makes builds reproducible across
machines and CI, and an upgrade becomes a reviewed change.

## Example
```dockerfile
FROM python
FROM node:lts-alpine
ARG TAG=latest
FROM nginx:${TAG}
```

## Use instead
```dockerfile
FROM python:3.13-slim
FROM node:22-alpine
FROM nginx:1.27-alpine@sha256:<digest>
```

## Options
- `--require-digest`: also require an `@sha256:` digest on every external image.
- `--extra-codenames NAMES`: more release codenames to accept as pinned tags (comma-separated).
  Built in: Debian (`buster`, `bullseye`, `bookworm`, `trixie`, ...) and Ubuntu (`focal`,
  `jammy`, `noble`, ...) codenames; `sid` is unstable and not accepted.
"""
from __future__ import annotations

from collections.abc import Iterator
from collections.abc import Sequence
from types import SimpleNamespace

from dockhooks._dockerfile import Dockerfile
from dockhooks._findings import Problem
from dockhooks._hook import run_hook
from dockhooks._images import unpinned

CODE = 'DH101'
ID = 'dockerfile-pinned-base-image'
SUMMARY = 'every FROM of an external image names a version tag or a digest'
SEVERITY = 'error'
OPTIONS = ('require-digest', 'extra-codenames')


def check(df: Dockerfile, opts: SimpleNamespace) -> Iterator[Problem]:
    for stage in df.stages:
        if stage.parent is not None or stage.image is None:
            continue  # an earlier stage, or an ARG with no default: cannot be known
        found = unpinned(stage.image, stage.raw_image, opts)
        if found is None:
            continue
        yield Problem(stage.from_.line, stage.from_.col,
                      f'base image {found[0]}; pin a version: FROM {found[1]}')


def main(argv: Sequence[str] | None = None) -> int:
    return run_hook(__name__, argv)


if __name__ == '__main__':
    raise SystemExit(main())
