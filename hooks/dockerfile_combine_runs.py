"""Consecutive RUN instructions that split one job are combined.

## What it does
In a run of consecutive RUN instructions within a stage that ships (the final stage and the
stages it builds on; not a builder stage used through `COPY --from`, whose layers are thrown
away), reports a RUN whose work a later RUN of the run undoes or redoes, at the earlier
RUN:
- a path it creates (a download with `curl -o` / `wget`, a `git clone`, an extraction with
  `tar -C` / `unzip -d`, a copy, a build output, a file written by `>`, a folder made by
  `mkdir`) that the later RUN removes (`rm`, `find -delete`), moves away (`mv`), changes the
  mode or owner of (`chmod`, `chown`, also through a parent folder: `chown -R app /app`) or
  rewrites (`sed -i`, `truncate`, `>>`);
- packages it installs that the later RUN removes (`apk del`, `apt-get purge`, an apk
  `--virtual` group).
Paths are read as the commands name them, against WORKDIR and each `cd`, with variables as
the RUN sees them; a path whose value cannot be known is not judged. Package lists and
caches are DH106's business and are not judged here. Any other instruction between two RUNs
ends the run (comments do not), and so do RUNs whose `--mount`, `--network` or `--security`
flags differ, since those cannot be merged into one RUN. RUNs that each do a job of their
own (a user, a folder, a config file) are separate layers by choice: they are only counted
when `--max-consecutive` is set. Images that never ship (devcontainers, test fixtures,
local development images) are skipped.

`--fix --unsafe-fixes` merges the RUNs a finding names into one RUN with `&& \\`
continuations. A RUN that changes the shell's state (`cd`, `export`, `set`, `source`...) or
chains with `;`, `||` or `&` runs in a subshell `( ... )`, so nothing leaks into the next
command and `&&` stops the build where the separate RUN would have. Never merged: JSON-form
RUNs, heredocs, a stage with a `SHELL`, different `--mount`/`--network`/`--security` flags,
a blank line or a pragma between them, a RUN that ends in a comment. Unsafe: the layers and
their cache change, so a later build may run commands the cache used to skip.

## Why is this bad?
Every RUN is a layer, and a layer is never changed by the ones after it. A file deleted in a
later RUN still ships in the layer that created it (a downloaded tarball removed one RUN
later costs its full size), and a file whose mode, owner or content a later RUN changes is
copied whole into that later layer, so the image carries it twice.

## Example
```dockerfile
RUN curl -fsSL -o /tmp/node.tar.xz https://nodejs.org/dist/v22.11.0/node.tar.xz
RUN tar -xJf /tmp/node.tar.xz -C /usr/local --strip-components=1
RUN rm /tmp/node.tar.xz
```

## Use instead
```dockerfile
RUN curl -fsSL -o /tmp/node.tar.xz https://nodejs.org/dist/v22.11.0/node.tar.xz \\
    && tar -xJf /tmp/node.tar.xz -C /usr/local --strip-components=1 \\
    && rm /tmp/node.tar.xz
```

## Options
- `--max-consecutive N`: also report any run of more than N RUNs in a row, whatever they
  do (hadolint's DL3059 counts this way; off unless set).
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from collections.abc import Sequence
from types import SimpleNamespace

from dockhooks._dockerfile import Dockerfile
from dockhooks._dockerfile import Instruction
from dockhooks._dockerfile import unquote
from dockhooks._findings import Problem
from dockhooks._hook import run_hook
from dockhooks._records import TYPE_CHECKING
from dockhooks._roles import dockerfile_ships
from dockhooks._roles import shipped_stages

if TYPE_CHECKING:
    from dockhooks._fixes import Fix

CODE = 'DH107'
FIXES = 'unsafe'
ID = 'dockerfile-combine-runs'
SUMMARY = ('RUNs that split one job (one makes a file, the next removes or changes it) are '
           'combined with &&')
SEVERITY = 'warning'
OPTIONS = ('max-consecutive',)
_BREAKING_FLAGS = ('mount', 'network', 'security')


def _key(ins: Instruction) -> tuple[tuple[str, ...], ...]:
    """The flags two RUNs must share to be merged; repeated flags (``--mount``) in any
    order."""
    return tuple(tuple(sorted((ins.flags.get(f) or '').split('\n'))) if f in ins.flags else ()
                 for f in _BREAKING_FLAGS)


# What DH106 judges: package managers' own lists and caches.
_PACKAGE_CACHES = ('/var/lib/apt', '/var/cache/apt', '/var/cache/apk', '/var/cache/yum',
                   '/var/cache/dnf', '/var/cache/zypp', '/var/lib/dnf', '/var/lib/yum')
_CHANGES = {
    'removes': 'removes', 'moves': 'moves', 'chmod': 'changes the mode of',
    'chown': 'changes the owner of', 'rewrites': 'rewrites',
}


def _groups(df: Dockerfile, shipped: set[int]) -> Iterator[list[tuple[Instruction, str | None]]]:
    """The runs of consecutive RUNs that could be one (same flags) in the shipped stages,
    each RUN with the folder it starts in (None: cannot be known)."""
    from dockhooks._fileops import absolute

    ends: dict[int, str | None] = {}
    for stage in df.stages:
        workdir = ends.get(stage.parent, '/') if stage.parent is not None else '/'
        run: list[tuple[Instruction, str | None]] = []
        for ins in [*stage.instructions[1:], None]:
            if ins is not None and ins.keyword == 'RUN' and (
                    not run or _key(ins) == _key(run[0][0])):
                run.append((ins, workdir))
                continue
            if len(run) > 1 and stage.index in shipped:
                yield run
            run = [(ins, workdir)] if ins is not None and ins.keyword == 'RUN' else []
            if ins is not None and ins.keyword == 'WORKDIR':
                workdir = absolute(workdir, ins.resolve(unquote(ins.args.strip())))
        ends[stage.index] = workdir


def _last_change(run: list[tuple[Instruction, str | None]], first: Instruction,
                 path: str) -> int:
    """The line of the last RUN of ``run``, from ``first`` on, that changes ``path``."""
    from dockhooks._fileops import CREATING
    from dockhooks._fileops import covers
    from dockhooks._fileops import path_ops

    last = first.line
    started = False
    for ins, cwd in run:
        started = started or ins is first
        if started and any(op.verb not in CREATING and covers(op.path, path)
                           for op in path_ops(ins.commands(), cwd, ins.resolve)):
            last = ins.line
    return last


def _grouping_hint(run: list[tuple[Instruction, str | None]], first: Instruction,
                   last: int) -> str:
    """A note when a RUN to join has `||` or `;` at its top: joined with && as written,
    its later commands would no longer depend on what comes before."""
    lines = [ins for ins, _ in run if first.line < ins.line <= last or ins is first]
    if any(('||' in ins.script() or ';' in ins.script()) and not ins.heredocs
           for ins in lines):
        return ', in ( ) where a RUN uses || or ;'
    return ''


# Commands whose effect outlives them in the shell (the folder, the environment, the options):
# joined into another RUN they would change what runs after them, so a subshell keeps them.
_SHELL_STATE = frozenset((
    'cd', 'pushd', 'popd', 'export', 'set', 'unset', 'umask', 'source', '.', 'alias', 'shopt',
    'trap', 'exec', 'ulimit', 'declare', 'typeset', 'readonly', 'local', 'eval',
))


def _merge(df: Dockerfile, run: list[tuple[Instruction, str | None]], first: Instruction,
           last: int) -> Fix | None:
    """Unsafe (one layer instead of several: the build caches differently, and the merged
    RUN runs as one shell): the RUNs of ``run`` from ``first`` to the line ``last`` joined
    into one with `&&` continuations. Each RUN keeps its meaning: one that changes the
    shell's state (`cd`, `export`, `set`...) or chains with `;`, `||` or `&` runs in a
    subshell `( ... )`, and `&&` stops where the separate RUN would have failed the build.
    Not merged: the JSON form, heredocs, a SHELL set in the stage, a blank line or a pragma
    between them, a RUN that ends in a comment."""
    from dockhooks._fixes import Edit
    from dockhooks._fixes import Fix
    from dockhooks._suppress import is_pragma

    group = [ins for ins, _ in run if first.line <= ins.line <= last]
    stage = df.stages[first.stage] if first.stage is not None and first.stage >= 0 else None
    if len(group) < 2 or stage is None or any(
            i.keyword == 'SHELL' for i in stage.instructions if i.line < first.line):
        return None
    out: list[str] = []
    for k, ins in enumerate(group):
        if ins.json is not None or ins.heredocs:
            return None
        lines = list(df.lines[ins.line - 1:ins.end_line])
        if lines[-1].lstrip().startswith('#'):
            return None
        m = re.match(r'(\s*\S+\s+(?:--\S+\s+)*)(\S.*)$', lines[0])
        if m is None or m.group(2).strip() == df.escape:
            return None  # the script starts on a later line
        head, body = m.group(1), m.group(2)
        wrap = _needs_subshell(ins)
        lines[0] = (head if k == 0 else '    && ') + ('( ' if wrap else '') + body
        if wrap:
            lines[-1] = f'{lines[-1].rstrip()} )'
        if k < len(group) - 1:
            lines[-1] = f'{lines[-1].rstrip()} {df.escape}'
        out.extend(lines)
        if k < len(group) - 1:
            between = df.lines[ins.end_line:group[k + 1].line - 1]
            if any(not b.strip() or is_pragma(b) for b in between):
                return None  # a blank line would end the continuation; a pragma is kept
            out.extend(between)
    return Fix((Edit(first.line, group[-1].end_line, tuple(out)),), safe=False)


def _needs_subshell(ins: Instruction) -> bool:
    script = ins.script()
    return any(c.argv and c.argv[0] in _SHELL_STATE for c in ins.commands()) or bool(
        re.search(r'(?<![|&]);|\|\||(?<![&>|])&(?![&>])', script))


def _evidence(df: Dockerfile, run: list[tuple[Instruction, str | None]]) -> Problem | None:
    """A later RUN of the run that undoes or redoes what an earlier one made: removes,
    moves, re-permissions or rewrites a path it created, or removes packages it installed."""
    from dockhooks._fileops import CREATING
    from dockhooks._fileops import covers
    from dockhooks._fileops import path_ops
    from dockhooks._shell import package_ops

    made: list[tuple[Instruction, str, str]] = []  # (RUN, path, verb)
    installed: dict[str, Instruction] = {}
    for ins, cwd in run:
        commands = ins.commands()
        ops = path_ops(commands, cwd, ins.resolve)
        for op in ops:
            if op.verb in CREATING or (op.verb == 'removes' and op.path.startswith(
                    _PACKAGE_CACHES)):
                continue
            for earlier, path, verb in made:
                if covers(op.path, path):
                    i, j = earlier.line, ins.line
                    # later RUNs of the run that change it too belong in the same RUN
                    last = _last_change(run, ins, path)
                    gone = op.verb in ('removes', 'moves')
                    then = ('it still ships in this layer' if gone else
                            'the image ships it twice, once in each layer')
                    return Problem(
                        earlier.line, earlier.col,
                        f'the RUN on line {j} {_CHANGES[op.verb]} {path}, which this RUN '
                        f'{verb}: {then}; do both in one RUN (join lines {i}-{last} with &&'
                        f'{_grouping_hint(run, earlier, last)})',
                        _merge(df, run, earlier, last),
                    )
        packages = package_ops(commands)
        for pop in packages:
            if pop.action != 'remove':
                continue
            names = [n for n in ins.package_names(pop.packages) if n in installed]
            if names:
                earlier = installed[names[0]]
                i, j = earlier.line, ins.line
                return Problem(
                    earlier.line, earlier.col,
                    f'the RUN on line {j} removes {", ".join(names)}, which this RUN '
                    f'installs: {"they still ship" if len(names) > 1 else "it still ships"} '
                    f'in this layer; install, use and remove '
                    f'{"them" if len(names) > 1 else "it"} in one RUN (join lines {i}-{j} '
                    f'with &&)',
                    _merge(df, run, earlier, j),
                )
        made += [(ins, op.path, op.verb) for op in ops if op.verb in CREATING]
        for pop in packages:
            if pop.action == 'install':
                for name in ins.package_names(pop.packages):
                    installed.setdefault(name, ins)
                group = _virtual(pop.options)
                if group:
                    installed.setdefault(group, ins)
    return None


def _virtual(options: Sequence[str]) -> str | None:
    """The name of an ``apk add --virtual NAME`` group."""
    for k, opt in enumerate(options):
        if opt in ('--virtual', '-t') and k + 1 < len(options):
            return options[k + 1]
        if opt.startswith('--virtual='):
            return opt.split('=', 1)[1]
    return None


def check(df: Dockerfile, opts: SimpleNamespace) -> Iterator[Problem]:
    if not dockerfile_ships(df):
        return  # a devcontainer, test fixture or dev image: its layers are never pulled
    limit = opts.max_consecutive
    # a builder stage's layers are thrown away: more RUNs there only cache finer
    for run in _groups(df, shipped_stages(df)):
        problem = _evidence(df, run)
        if problem is None and limit and len(run) > limit:
            first, last = run[0][0], run[-1][0]
            problem = Problem(
                first.line, first.col,
                f'{len(run)} consecutive RUN instructions (lines {first.line}-{last.line}) '
                f'make {len(run)} layers; join the commands into one RUN with && (at most '
                f'{limit} in a row)',
            )
        if problem is not None:
            yield problem


def main(argv: Sequence[str] | None = None) -> int:
    return run_hook(__name__, argv)


if __name__ == '__main__':
    raise SystemExit(main())
