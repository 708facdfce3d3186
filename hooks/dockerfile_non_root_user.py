"""The final stage runs as a non-root user.

## What it does
Finds the user the shipped image runs as: the last `USER` of the final stage (the last
stage, or `--target NAME`) or of the stages it builds on (`FROM base` inherits `base`'s
`USER`). Reports a chain with no `USER` at all (at the final `FROM`) and an effective user
that is root: `root`, `0`, `root:group`, `0:0`, quoted forms, or an ARG/ENV whose known value
is one of them (at that `USER`). Builder stages may run as root, and so may an image that
installs `gosu` or `su-exec` to drop to a user in its entrypoint (the official database
images do this). Base images known to run as
a non-root user (distroless `:nonroot` tags, Chainguard images, ...) pass without a `USER`.
A `USER` whose value cannot be known (an ARG with no default) is not judged, and neither is
a final stage whose base image cannot be known.

## Why is this bad?
A process running as root inside a container is root on the host's kernel: one container
breakout, a mounted socket or a writable host path away from owning the machine. Almost no
application needs root at run time; a dedicated user costs one line.

## Example
```dockerfile
FROM python:3.13-slim
COPY . /app
CMD ["python", "/app/main.py"]
```

## Use instead
```dockerfile
FROM python:3.13-slim
RUN useradd --create-home --uid 10001 appuser
COPY --chown=appuser . /app
USER appuser
CMD ["python", "/app/main.py"]
```

## Options
- `--target STAGE`: the stage that is shipped, when it is not the last one (a Dockerfile
  without a stage of that name is judged on its last stage).
- `--extra-non-root-images GLOBS`: more base images (shell globs matched against the image
  reference, e.g. `myorg/base:*`) that already run as a non-root user.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from collections.abc import Sequence
from types import SimpleNamespace

from dockhooks._dockerfile import Dockerfile
from dockhooks._dockerfile import unquote
from dockhooks._findings import Problem
from dockhooks._hook import run_hook
from dockhooks._images import matches
from dockhooks._roles import ships

CODE = 'DH102'
ID = 'dockerfile-non-root-user'
SUMMARY = 'the final stage runs as a non-root USER'
SEVERITY = 'error'
OPTIONS = ('target', 'extra-non-root-images')

# Images whose default user is not root.
NON_ROOT_IMAGES = (
    'gcr.io/distroless/*:nonroot', 'gcr.io/distroless/*:*-nonroot',
    'gcr.io/distroless/*:debug-nonroot', 'cgr.dev/chainguard/*',
    'bitnami/*', 'docker.io/bitnami/*', 'nginxinc/nginx-unprivileged*',
    'registry.access.redhat.com/ubi*/*-minimal*:*', '*/ubi*/nodejs-*', '*/ubi*/python-*',
    'jenkins/jenkins*', 'sonarqube*', 'grafana/grafana*', 'prom/prometheus*',
    'quay.io/keycloak/keycloak*', 'keycloak/keycloak*',
)
_ROOT = frozenset(('root', '0'))
_STEP_DOWN = re.compile(r'\b(gosu|su-exec)\b')


def is_root(user: str) -> bool:
    name = unquote(user.strip()).split(':', 1)[0].strip()
    return name in _ROOT


def check(df: Dockerfile, opts: SimpleNamespace) -> Iterator[Problem]:
    final = df.final_stage(opts.target) or df.final_stage()
    if final is None or not ships(df.path):
        return  # a devcontainer, test fixture or dev image runs on a developer's machine
    for stage in df.chain(final):
        for ins in reversed(stage.instructions):
            if ins.keyword != 'USER':
                continue
            if not ins.args.strip():
                continue
            value = ins.resolve(ins.args.split()[0])
            if value is None:
                return  # cannot be known: not judged
            if is_root(value):
                shown = ins.args.split()[0]
                via = '' if value == shown else f' (= {value})'
                yield Problem(
                    ins.line, ins.col,
                    f'the image runs as root: USER {shown}{via} is the last USER of the '
                    f'final stage; create a user (RUN useradd --uid 10001 appuser) and end '
                    f'with USER appuser',
                )
            return
    base = df.chain(final)[-1]
    if base.image is None:
        return
    if any(_STEP_DOWN.search(text) for stage in df.chain(final)
           for ins in stage.instructions if ins.keyword == 'RUN'
           for text in (ins.args, *(h.content for h in ins.heredocs))):
        return  # the entrypoint drops to a user with gosu / su-exec
    if matches(base.image, NON_ROOT_IMAGES + tuple(opts.extra_non_root_images)):
        return
    name = f'final stage {final.alias!r}' if final.alias else 'final stage'
    yield Problem(
        final.from_.line, final.from_.col,
        f'the {name} has no USER, so the container runs as root; add '
        f'RUN useradd --uid 10001 appuser and USER appuser before CMD',
    )


def main(argv: Sequence[str] | None = None) -> int:
    return run_hook(__name__, argv)


if __name__ == '__main__':
    raise SystemExit(main())
