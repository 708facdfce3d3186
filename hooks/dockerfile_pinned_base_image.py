"""Every FROM of an external image names a version tag or a digest.

## What it does
Checks each `FROM` that pulls an image (not `scratch`, not an earlier stage) for a pinned
reference: a tag with a version number in it, a distribution release codename (`bookworm`,
`jammy`, ...), a release line in the repository's name (`gcr.io/distroless/static-debian12`,
`redhat/ubi9-minimal`) or an `@sha256:` digest. Reports a missing tag, `latest`, and floating
tags that carry no version (`lts`, `stable`, `alpine`, `slim`, `edge`, `mainline`, ...). The
fix keeps the variant: `node:lts-alpine` becomes `node:<version>-alpine`, `php:cli`
`php:<version>-cli`; where the registry publishes no version tags (distroless, Chainguard)
it is a digest. Build arguments are resolved first: `ARG TAG=latest` then `FROM node:${TAG}`
is reported once at the `ARG` (every FROM using it reads its default, which is what to
change; also when only the tag is the ARG: `FROM ${REGISTRY}/base:${TAG}`), while an `ARG`
with no default cannot be known and is not judged. When the repository builds that image
itself (`base/Dockerfile`, `Dockerfile.base` beside or above), the message says so: the
default is what a build without `--build-arg` takes. A registry port is
not a tag: `localhost:5000/team/app` is untagged. Local images are not pulled and not judged:
a name with no registry and no organisation that is no Docker Official Image (`myapp`,
`conductor:server`), and a name Docker would refuse (`REPLACE-ME`, a template's placeholder).

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

import re
from collections.abc import Iterator
from collections.abc import Sequence
from types import SimpleNamespace

from dockhooks._dockerfile import Dockerfile
from dockhooks._dockerfile import Instruction
from dockhooks._dockerfile import key_values
from dockhooks._dockerfile import unquote
from dockhooks._findings import Problem
from dockhooks._hook import run_hook
from dockhooks._images import pin_advice
from dockhooks._images import unpinned

CODE = 'DH101'
ID = 'dockerfile-pinned-base-image'
SUMMARY = 'every FROM of an external image names a version tag or a digest'
SEVERITY = 'error'
OPTIONS = ('require-digest', 'extra-codenames')


_VAR = re.compile(r'\$\{?([A-Za-z_][A-Za-z0-9_]*)')


def _default_arg(df: Dockerfile, raw: str) -> tuple[Instruction, str, str] | None:
    """The global ARG whose default gives the FROM its unpinned part: (the ARG, its name,
    its default as written), when the image is exactly ``$ARG``, or its tag is
    (``name:$ARG``, ``${REGISTRY}/name:${TAG}``)."""
    names = _VAR.findall(raw)
    if len(names) != 1:
        tag = raw.rsplit('/', 1)[-1].rpartition(':')[2]
        names = _VAR.findall(tag) if ':' in raw.rsplit('/', 1)[-1] else []
        if len(names) != 1 or tag.strip('${}') != names[0]:
            return None
    found = None
    for ins in df.instructions:
        if ins.keyword == 'FROM':
            break
        if ins.keyword == 'ARG':
            for name, value in key_values(ins.args, legacy=False):
                if name == names[0] and value is not None:
                    found = (ins, name, unquote(value))
    return found


def _built_here(df: Dockerfile, image: str) -> str | None:
    """The Dockerfile of this repository that builds ``image``, found by the image's last
    name (``acme/node-base`` -> ``NodeBase/Dockerfile``, ``node_base/Dockerfile``,
    ``Dockerfile.node-base``; case and separators aside), in the folders from the
    Dockerfile's own up to the repository's root."""
    import os

    from dockhooks._images import parse_image
    from dockhooks._roles import folders_up
    from dockhooks._roles import relative

    def key(word: str) -> str:
        return re.sub(r'[^a-z0-9]', '', word.lower())

    want = key(parse_image(image).name.rsplit('/', 1)[-1])
    for folder, entries in folders_up(df.path):
        for entry in entries:
            path = os.path.join(folder, entry)
            if os.path.isdir(path) and key(entry) == want:
                path = os.path.join(path, 'Dockerfile')
            elif not ((entry.lower().startswith('dockerfile.') and key(entry[11:]) == want)
                      or (entry.lower().endswith('.dockerfile') and key(entry[:-11]) == want)):
                continue
            if os.path.isfile(path) and not os.path.samefile(path, df.path):
                return relative(path)
    return None


def check(df: Dockerfile, opts: SimpleNamespace) -> Iterator[Problem]:
    reported_args: set[int] = set()
    for stage in df.stages:
        if stage.parent is not None or stage.image is None:
            continue  # an earlier stage, or an ARG with no default: cannot be known
        found = unpinned(stage.image, stage.raw_image, opts)
        if found is None:
            continue
        arg = _default_arg(df, stage.raw_image) if '$' in stage.raw_image else None
        if arg is not None:
            # the fix is the ARG's default, which every FROM using it reads: told once there
            ins, name, value = arg
            if ins.line in reported_args:
                continue
            reported_args.add(ins.line)
            pinned = found[1]
            new = pinned if stage.raw_image.lstrip('$').strip('{}') == name \
                else pinned.rsplit(':', 1)[-1] if value and ':' not in value else None
            if new is not None:
                users = [s.from_.line for s in df.stages
                         if s.raw_image and name in _VAR.findall(s.raw_image)]
                where = f'line {users[0]}' if len(users) == 1 else \
                    'lines ' + ', '.join(str(n) for n in users)
                own = _built_here(df, stage.image)
                if own is not None and new != pinned:
                    # the repository's own pipeline builds and pushes it: the default is only
                    # what a build without --build-arg takes
                    yield Problem(
                        ins.line, ins.col,
                        f'ARG {name}={value}, the tag of the base image of FROM on {where}, '
                        f'an image this repository builds ({own}): a build that does not pass '
                        f'--build-arg {name} takes whatever was pushed last; give the ARG the '
                        f'version your pipeline builds: ARG {name}={new}',
                    )
                    continue
                yield Problem(
                    ins.line, ins.col,
                    f'ARG {name}={value}, the base image of FROM on {where}: {found[0]}; '
                    f'{pin_advice(new)}: ARG {name}={new}',
                )
                continue
        yield Problem(stage.from_.line, stage.from_.col,
                      f'base image {found[0]}; {pin_advice(found[1])}: FROM {found[1]}')


def main(argv: Sequence[str] | None = None) -> int:
    return run_hook(__name__, argv)


if __name__ == '__main__':
    raise SystemExit(main())
