"""Package installs use a fresh index and leave no cache in the layers that ship.

## What it does
Reports
- an index update (`apt-get update`, `apt update`, `apk update`) in a RUN that installs
  nothing, and an install whose index update happened in an earlier RUN: Docker caches that
  earlier layer, so the install runs against a stale index;
- in the stages that ship (the final stage and the stages it builds on through `FROM`):
  `apt-get install` without `rm -rf /var/lib/apt/lists/*` in the same RUN, `apk add` without
  `--no-cache` (or removing `/var/cache/apk/*`), `yum` / `dnf` / `microdnf install` without
  `clean all`, and `zypper install` without `zypper clean`.
RUNs that mount a cache or tmpfs over the package manager's cache and list folders
(`RUN --mount=type=cache,target=/var/lib/apt ...`) leave nothing in the layer and pass.
Stages used only through `COPY --from` never ship their layers and are not checked for
caches.

## Why is this bad?
A file deleted in a later RUN still ships in the layer that created it, so package indexes
and caches left behind add tens of megabytes to every image. An index fetched in one RUN and
used in another is frozen in the build cache: weeks later the install asks for package
versions the mirrors no longer have, or silently installs old ones.

## Example
```dockerfile
RUN apt-get update
RUN apt-get install -y curl
RUN apk add git
```

## Use instead
```dockerfile
RUN apt-get update \\
    && apt-get install -y --no-install-recommends curl \\
    && rm -rf /var/lib/apt/lists/*
RUN apk add --no-cache git
```

## Options
- `--target STAGE`: the shipped stage, when it is not the last.
"""
from __future__ import annotations

from collections.abc import Iterator
from collections.abc import Sequence
from types import SimpleNamespace

from dockhooks._dockerfile import Dockerfile
from dockhooks._dockerfile import Instruction
from dockhooks._findings import Problem
from dockhooks._hook import run_hook

CODE = 'DH106'
ID = 'dockerfile-clean-package-install'
SUMMARY = 'package installs update the index in the same RUN and leave no cache in the image'
OPTIONS = ('target',)

# Where each manager keeps its index and cache: a cache/tmpfs mount over one of these means
# nothing lands in the layer; removing one of these cleans up.
CACHE_DIRS = {
    'apt-get': ('/var/lib/apt', '/var/cache/apt'),
    'apk': ('/var/cache/apk', '/etc/apk/cache'),
    'yum': ('/var/cache/yum', '/var/cache/dnf', '/var/cache/microdnf'),
    'zypper': ('/var/cache/zypp',),
}
CLEANUP = {
    'apt-get': ('/var/lib/apt/lists',),
    'apk': ('/var/cache/apk',),
    'yum': ('/var/cache/yum', '/var/cache/dnf'),
    'zypper': ('/var/cache/zypp',),
}
FIX = {
    'apt-get': 'end the same RUN with && rm -rf /var/lib/apt/lists/*',
    'apk': 'use apk add --no-cache',
    'yum': 'end the same RUN with && {tool} clean all',
    'zypper': 'end the same RUN with && zypper clean --all',
}


def _under(path: str, roots: Sequence[str]) -> bool:
    p = path.rstrip('/*').rstrip('/')
    return any(p == r or p.startswith(f'{r}/') or r.startswith(f'{p}/') for r in roots)


def _mounted(ins: Instruction, manager: str) -> bool:
    return any(m.get('type') in ('cache', 'tmpfs') and _under(m.get('target', ''),
                                                               CACHE_DIRS[manager])
               for m in ins.mounts())


def check(df: Dockerfile, opts: SimpleNamespace) -> Iterator[Problem]:
    from dockhooks._shell import package_ops
    from dockhooks._shell import removes_paths

    shipped = df.shipped_stages(opts.target) or df.shipped_stages()
    for stage in df.stages:
        updated: dict[str, int] = {}   # manager -> line of an update-only RUN
        for ins in stage.instructions:
            if ins.keyword != 'RUN':
                continue
            ops = [op for op in package_ops(ins.commands()) if op.manager in CACHE_DIRS]
            if not ops:
                continue
            removed = removes_paths(ins.commands())
            reported: set[str] = set()
            for manager in dict.fromkeys(op.manager for op in ops):
                mine = [op for op in ops if op.manager == manager]
                updates = [op for op in mine if op.action == 'update'
                           or (op.action == 'install' and '--update' in op.options)]
                installs = [op for op in mine if op.action == 'install']
                tool = mine[0].tool
                if updates and not installs and manager in ('apt-get', 'apk'):
                    yield Problem(
                        ins.line, ins.col,
                        f'`{updates[0].command.text}` in a RUN that installs nothing: its '
                        f'layer is cached and the index goes stale; update and install in '
                        f'one RUN (`{tool} update && {tool} install ...`)',
                    )
                    updated[manager] = ins.line
                    continue
                if not installs:
                    continue
                # apk add --no-cache fetches a fresh index and keeps nothing;
                # --no-network installs from what is already there
                fresh = [op for op in installs if not (op.manager == 'apk' and (
                    '--no-cache' in op.options or '--no-network' in op.options))]
                if not updates and fresh and manager in updated:
                    yield Problem(
                        ins.line, ins.col,
                        f'`{fresh[0].command.text}` uses the index fetched by the RUN on '
                        f'line {updated[manager]}, which the build cache keeps stale; run '
                        f'the update in this same RUN',
                    )
                    reported.add(manager)
                    continue
                if stage.index not in shipped or manager in reported or _mounted(ins, manager):
                    continue
                if manager == 'apk' and not fresh:
                    continue
                cleaned = any(_under(p, CLEANUP[manager]) for p in removed) or any(
                    op.action == 'clean' for op in mine)
                if manager == 'apt-get':
                    # `apt-get clean` keeps the lists; apt 3's `dist-clean` removes them
                    cleaned = any(_under(p, CLEANUP[manager]) for p in removed) or any(
                        'dist-clean' in op.command.argv for op in mine)
                if cleaned:
                    continue
                shown = (fresh or installs)[0].command.text
                yield Problem(
                    ins.line, ins.col,
                    f'`{shown}` leaves the package '
                    f'{"lists" if manager == "apt-get" else "cache"} in a layer that ships; '
                    + FIX[manager].format(tool=tool),
                )


def main(argv: Sequence[str] | None = None) -> int:
    return run_hook(__name__, argv)


if __name__ == '__main__':
    raise SystemExit(main())
