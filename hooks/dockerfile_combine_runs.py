"""Consecutive RUN instructions are combined.

## What it does
Reports a sequence of more than `--max-consecutive` (default 2) RUN instructions in a row
within a stage that ships (the final stage and the stages it builds on; not a builder stage
used through `COPY --from`, whose layers are thrown away), at the first RUN of the sequence.
Images that never ship (devcontainers, test fixtures, local development images) are
skipped. Any other instruction between them ends
the sequence (comments do not), and so do RUNs whose `--mount`, `--network` or `--security`
flags differ, since those cannot be merged into one RUN.

## Why is this bad?
Every RUN is a layer. Splitting one job over several RUNs makes the image bigger (a file
deleted in a later RUN still ships in the earlier layer: `apt-get install` in one RUN and
`rm -rf /var/lib/apt/lists/*` in the next saves nothing) and the build slower, and it lets
a cached `apt-get update` layer go stale under a fresh `apt-get install`.

## Example
```dockerfile
RUN apt-get update
RUN apt-get install -y --no-install-recommends curl
RUN rm -rf /var/lib/apt/lists/*
```

## Use instead
```dockerfile
RUN apt-get update \\
    && apt-get install -y --no-install-recommends curl \\
    && rm -rf /var/lib/apt/lists/*
```

## Options
- `--max-consecutive N`: how many RUNs in a row are allowed (default 2).
"""
from __future__ import annotations

from collections.abc import Iterator
from collections.abc import Sequence
from types import SimpleNamespace

from dockhooks._dockerfile import Dockerfile
from dockhooks._dockerfile import Instruction
from dockhooks._findings import Problem
from dockhooks._hook import run_hook
from dockhooks._roles import ships

CODE = 'DH107'
ID = 'dockerfile-combine-runs'
SUMMARY = 'no long runs of consecutive RUN instructions; combine them with &&'
SEVERITY = 'warning'
OPTIONS = ('max-consecutive',)
_BREAKING_FLAGS = ('mount', 'network', 'security')


def _key(ins: Instruction) -> tuple[tuple[str, ...], ...]:
    """The flags two RUNs must share to be merged; repeated flags (``--mount``) in any
    order."""
    return tuple(tuple(sorted((ins.flags.get(f) or '').split('\n'))) if f in ins.flags else ()
                 for f in _BREAKING_FLAGS)


def check(df: Dockerfile, opts: SimpleNamespace) -> Iterator[Problem]:
    limit = opts.max_consecutive
    if not ships(df.path):
        return  # a devcontainer, test fixture or dev image: its layers are never pulled
    shipped = df.shipped_stages()
    for stage in df.stages:
        if stage.index not in shipped:
            continue  # a builder stage's layers are thrown away: more RUNs only cache finer
        run: list[Instruction] = []
        for ins in [*stage.instructions[1:], None]:
            if ins is not None and ins.keyword == 'RUN' and (not run or _key(ins) == _key(run[0])):
                run.append(ins)
                continue
            if len(run) > limit:
                first = run[0]
                yield Problem(
                    first.line, first.col,
                    f'{len(run)} consecutive RUN instructions (lines {first.line}-'
                    f'{run[-1].line}) make {len(run)} layers; join the commands into one RUN '
                    f'with && (at most {limit} in a row)',
                )
            run = [ins] if ins is not None and ins.keyword == 'RUN' else []


def main(argv: Sequence[str] | None = None) -> int:
    return run_hook(__name__, argv)


if __name__ == '__main__':
    raise SystemExit(main())
