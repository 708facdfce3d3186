"""Package installs use a fresh index and leave no cache in the layers that ship.

## What it does
Reports
- an apt index update (`apt-get update`, `apt update`, and what runs it: `apt-file update`,
  `add-apt-repository` without `-n`) in a RUN that installs nothing, told once with the
  later installs that use its lists: Docker caches that earlier layer (or an earlier stage
  the install builds on), so they run against a stale index. An upgrade, a download or
  `apt-cache` in the same RUN uses the update; so may a script the RUN runs
  (`bash setup.sh`, `curl ... | sh`), which is not judged. An update whose lists are removed
  in the same RUN leaves nothing stale; one in a RUN that only removes packages is needless
  and reported where its lists ship. apk refreshes an index older than four hours by itself,
  so for apk only a copy of the index left in a shipped layer is reported;
- in the stages that ship (the final stage and the stages it builds on through `FROM`):
  an apt update with installs or an upgrade and no `rm -rf /var/lib/apt/lists/*` (or
  `find ... -delete`, `apt-get distclean`) in the same RUN, `apk add` or `apk update` that
  keeps the index (no `--no-cache`, no removal of `/var/cache/apk/*`), `yum` / `dnf` /
  `microdnf install` without `clean all`, and `zypper install` without `zypper clean`.
  An apt install in a RUN that fetched no lists leaves none of its own (the Debian and
  Ubuntu images delete the downloaded packages); the RUN that fetched them is the one told,
  with the later installs that use its lists: removing them there alone would break those,
  so each gets its own update.
Commands are found behind wrappers (`sudo`, `env`, `retry 3`, `travis_retry`, `eatmydata`,
`timeout`, `stdbuf`, ...), in `sh -c` strings, heredocs and the JSON form.
RUNs that mount a cache or tmpfs over the package manager's lists or cache folder
(`RUN --mount=type=cache,target=/var/lib/apt ...`; for apt a mount over `/var/cache/apt`
alone is not enough, the lists live in `/var/lib/apt/lists`) leave nothing in the layer
and pass. Stages used only through `COPY --from` never ship their layers and are not
checked for caches, and neither are images that never ship (devcontainers, test and CI
fixtures, local development images: "What ships" in the README); a stale index is
reported everywhere, since it breaks the build itself.

`--fix` (safe) adds the cleanup to the RUN that installs: `\\` then
`&& rm -rf /var/lib/apt/lists/*` (apt), `&& yum clean all`, `&& dnf clean all`,
`&& zypper clean --all`, in the RUN's own indentation; for apk it writes `apk add --no-cache`
and drops the `apk update` that makes needless. Never where a later RUN of the stage, or a
stage built on it, still reads the lists, nor on a RUN whose line ends in a comment. Safe:
the image gets the same packages, without the index. With `--unsafe-fixes` it also moves a
lone `apt-get update` into the RUN that installs. Unsafe: that RUN then fetches fresh
lists, and may install other versions than the cached update gave.

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

import posixpath
import re
from collections.abc import Iterator
from collections.abc import Sequence
from types import SimpleNamespace

from dockhooks._dockerfile import Dockerfile
from dockhooks._dockerfile import Instruction
from dockhooks._findings import Problem
from dockhooks._hook import run_hook
from dockhooks._records import TYPE_CHECKING
from dockhooks._roles import dockerfile_ships
from dockhooks._roles import shipped_stages

if TYPE_CHECKING:
    from dockhooks._fixes import Fix
    from dockhooks._shell import Command
    from dockhooks._shell import PackageOp

CODE = 'DH106'
FIXES = 'safe, and unsafe for a lone update'
ID = 'dockerfile-clean-package-install'
SUMMARY = 'package installs update the index in the same RUN and leave no cache in the image'
SEVERITY = 'error'
OPTIONS = ('target',)

# Where each manager keeps its index and cache: a cache/tmpfs mount over one of these means
# nothing lands in the layer. For apt the lists are what matters: Docker's Debian and Ubuntu
# images already delete downloaded .debs, so a mount over /var/cache/apt alone keeps nothing
# out of the layer.
CACHE_DIRS = {
    'apt-get': ('/var/lib/apt/lists',),
    'apk': ('/var/cache/apk', '/etc/apk/cache'),
    'yum': ('/var/cache/yum', '/var/cache/dnf', '/var/cache/microdnf', '/var/cache/libdnf5'),
    'zypper': ('/var/cache/zypp',),
}
# Removing one of these cleans up.
CLEANUP = {
    'apt-get': ('/var/lib/apt/lists',),
    'apk': ('/var/cache/apk',),
    'yum': ('/var/cache/yum', '/var/cache/dnf'),
    'zypper': ('/var/cache/zypp',),
}
FIX = {
    'apt-get': 'end the same RUN with && rm -rf /var/lib/apt/lists/*',
    'yum': 'end the same RUN with && {tool} clean all',
    'zypper': 'end the same RUN with && zypper clean --all',
}
# What a fix appends to a RUN to clean up after the manager ({tool}: the command as written).
CLEANUP_COMMANDS = {
    'apt-get': 'rm -rf /var/lib/apt/lists/*',
    'yum': '{tool} clean all',
    'zypper': 'zypper clean --all',
}
# Commands other than the package manager's own verbs that read the apt index.
_APT_INDEX_READERS = frozenset(('apt-cache', 'mk-build-deps'))
_APK_UPDATE_FLAGS = frozenset(('--update', '-U', '--update-cache'))
_NOT_CONSUMING = frozenset(('update', 'clean', 'remove', ''))
_SHELLS = frozenset(('sh', 'bash', 'dash', 'ash', 'zsh', 'ksh'))


def _under(path: str, roots: Sequence[str]) -> bool:
    p = path.rstrip('/*').rstrip('/')
    return any(p == r or p.startswith(f'{r}/') or r.startswith(f'{p}/') for r in roots)


def _mounted(ins: Instruction, manager: str) -> bool:
    return any(m.get('type') in ('cache', 'tmpfs') and _under(m.get('target', ''),
                                                               CACHE_DIRS[manager])
               for m in ins.mounts())


def _no_cache(op: PackageOp) -> bool:
    """An apk call that keeps no index: ``--no-cache`` fetches one in memory, and
    ``--no-network`` reads none."""
    return '--no-cache' in op.options or '--no-network' in op.options


def _is_update(op: PackageOp) -> bool:
    """An index refresh: ``apt-get update``, ``apk update``, or an install that refreshes
    first (``apt-get install --update``, ``apk add --update``)."""
    if op.action == 'update':
        return True
    flags = _APK_UPDATE_FLAGS if op.manager == 'apk' else ('--update',)
    return op.action in ('install', 'upgrade') and any(f in op.options for f in flags)


def _index_refreshers(commands: list[Command]) -> list[PackageOp]:
    """Commands that refresh apt's lists though they are no `apt-get update`: `apt-file
    update` (a wrapper of it) and `add-apt-repository` (which updates unless `-n`)."""
    from dockhooks._shell import PackageOp

    out = []
    for c in commands:
        name = posixpath.basename(c.argv[0]) if c.argv else ''
        if (name == 'apt-file' and 'update' in c.argv[1:]) or (
                name == 'add-apt-repository'
                and not {'-n', '--no-update'} & set(c.argv[1:])):
            out.append(PackageOp('apt-get', 'apt-get', 'update', (), (), c))
    return out


def check(df: Dockerfile, opts: SimpleNamespace) -> Iterator[Problem]:
    """The findings; the RUN that fetched an index and the later installs that use it,
    stale, are told once, at the RUN that fetched it, naming the installs."""
    users: dict[int, list[int]] = {}  # line of a RUN that left lists -> installs using them
    out: list[tuple[Problem, str]] = []
    for problem, kind, at in _check(df, opts):
        if kind == 'stale' and at in users:
            users[at].append(problem.line)
            continue
        if kind.startswith('lone:') or kind == 'lists':
            users[problem.line] = []
        out.append((problem, kind))
    for problem, kind in out:
        lines = users.get(problem.line, []) if kind != 'stale' else []
        shown = ', '.join(map(str, lines[:3])) + (f' and {len(lines) - 3} more'
                                                   if len(lines) > 3 else '')
        if kind.startswith('lone:'):
            why = ('its layer is cached and the index goes stale' if not lines else
                   f'the install on line {lines[0]} uses its index, which the build cache '
                   f'keeps stale' if len(lines) == 1 else
                   f'the installs on lines {shown} use its index, which the build cache keeps '
                   f'stale')
            problem = problem._replace(message=_lone_update(problem.message, kind[5:], why),
                                       fix=_update_into(df, problem.line, lines, kind[5:]))
        elif kind == 'lists' and lines:
            # removing the lists here would break the installs that rely on them: each
            # install gets its own update, and each RUN that updates removes its lists
            said = (f'the install on line {lines[0]} uses them' if len(lines) == 1 else
                    f'the installs on lines {shown} use them')
            problem = problem._replace(message=(
                f'{problem.message.split("; ", 1)[0]}, and {said} from the build cache, '
                f'stale; give each of those RUNs its own apt-get update and end every RUN '
                f'that updates with && rm -rf /var/lib/apt/lists/*'), fix=None)
        yield problem


def _lone_update(command: str, tool: str, why: str) -> str:
    return (f'`{command}` in a RUN that installs nothing: {why}; update and install in one '
            f'RUN (`{tool} update && {tool} install ...`)')


def _check(df: Dockerfile,
           opts: SimpleNamespace) -> Iterator[tuple[Problem, str, int | None]]:
    """(finding, its kind: 'lone:<tool>' for a lone update, 'stale' for an install using
    an older RUN's index, '' else; the line of that older RUN)."""
    from dockhooks._fileops import removes_paths
    from dockhooks._shell import package_ops

    # a devcontainer, test fixture or dev image never ships: only its stale indexes matter
    shipped = shipped_stages(df, opts.target) if dockerfile_ships(df, opts.target) else set()
    ends: dict[int, dict[str, int]] = {}
    for stage in df.stages:
        # manager -> line of the RUN whose index the next layers see; a stage built FROM
        # another starts with that stage's index
        updated = dict(ends[stage.parent]) if stage.parent in ends else {}
        ends[stage.index] = updated
        for ins in stage.instructions:
            if ins.keyword != 'RUN':
                continue
            commands = ins.commands()
            removed = removes_paths(commands)
            cleaned = {m for m, roots in CLEANUP.items()
                       if any(_under(p, roots) for p in removed)}
            ops = [op for op in package_ops(commands) if op.manager in CACHE_DIRS]
            ops += _index_refreshers(commands)
            for manager in dict.fromkeys(op.manager for op in ops):
                mine = [op for op in ops if op.manager == manager]
                if any(op.action == 'clean' for op in mine) and (
                        manager != 'apt-get'
                        or any({'dist-clean', 'distclean'} & set(op.command.argv)
                               for op in mine)):
                    # `apt-get clean` keeps the lists; apt's `distclean` removes them
                    cleaned.add(manager)
            for manager in dict.fromkeys(op.manager for op in ops):
                mine = [op for op in ops if op.manager == manager]
                stale_from = updated.get(manager)
                for problem, kind in _check_manager(df, ins, manager, mine, commands, cleaned,
                                                    updated, stage.index in shipped):
                    yield problem, kind, stale_from
            for manager in cleaned:  # nothing is left to go stale for the next RUNs
                updated.pop(manager, None)


def _runs_script(commands: list[Command]) -> bool:
    """Whether the RUN hands control to a script we cannot read (``bash setup.sh``,
    ``./install.sh``, ``curl ... | sh``): it may install packages with the index."""
    for c in commands:
        if not c.argv:
            continue
        name = posixpath.basename(c.argv[0])
        # `sh -c '...'` was split into its commands already: a shell left here runs a file
        # or reads its script from stdin
        if name.endswith('.sh') or name in _SHELLS:
            return True
    return False


def _check_manager(df: Dockerfile, ins: Instruction, manager: str, mine: list[PackageOp],
                   commands: list[Command], cleaned: set[str], updated: dict[str, int],
                   shipped: bool) -> Iterator[tuple[Problem, str]]:
    """The findings of one manager in one RUN, each with its kind (see `_check`)."""
    tool = mine[0].tool
    mounted = _mounted(ins, manager)
    updates = [op for op in mine if _is_update(op)]
    installs = [op for op in mine if op.action == 'install']
    consumers = [op for op in mine if op.action not in _NOT_CONSUMING]
    # the index this RUN leaves for later layers
    if manager == 'apk':
        keeps = [op for op in mine if (op.action == 'update' or op.action in (
            'install', 'upgrade')) and not _no_cache(op)]
    else:
        keeps = updates
    keeps_index = bool(keeps) and manager not in cleaned and not mounted

    if updates and not consumers and manager in ('apt-get', 'apk'):
        if _runs_script(commands) or (manager == 'apt-get' and any(
                c.argv and c.argv[0] in _APT_INDEX_READERS for c in commands)):
            # something we cannot see into may use the index (and may clean up)
            if keeps_index and manager == 'apt-get':
                updated[manager] = ins.line
        elif keeps_index and manager == 'apk' and shipped:
            # apk refreshes an index older than its cache age by itself: an update
            # alone only leaves a copy of the index in the layer (that ships)
            yield Problem(
                ins.line, ins.col,
                f'`{updates[0].command.text}` in a RUN that installs nothing only leaves '
                f'a copy of the index in the layer (apk refreshes it by itself when it '
                f'is old); drop it and use apk add --no-cache where packages are added',
                _drop_run(df, ins, commands, mine),
            ), ''
        elif keeps_index and any(op.action == 'remove' for op in mine):
            if shipped:
                yield Problem(
                    ins.line, ins.col,
                    f'`{updates[0].command.text}` is not needed to remove packages, and its '
                    f'lists ship in this layer; drop it',
                    _drop_commands(df, ins, updates),
                ), ''
        elif keeps_index and manager == 'apt-get':
            # told with the command alone: `check` names the installs that use it
            yield Problem(ins.line, ins.col, updates[0].command.text), f'lone:{tool}'
            updated[manager] = ins.line
        return
    # apk refreshes an old index by itself; apt installs from whatever lists it finds
    if manager == 'apt-get' and installs and not updates and manager in updated:
        yield Problem(
            ins.line, ins.col,
            f'`{installs[0].command.text}` uses the index fetched by the RUN on line '
            f'{updated[manager]}, which the build cache keeps stale; run the update in this '
            f'same RUN',
        ), 'stale'
        return
    if keeps_index and manager == 'apt-get':
        updated[manager] = ins.line
    if not shipped or mounted or manager in cleaned:
        return
    if manager == 'apk':
        if not keeps:
            return
        adds = [op for op in keeps if op.action != 'update']
        shown = (adds or keeps)[0]
        updates_here = [op for op in keeps if op.action == 'update']
        if not adds:
            fix = 'drop it: apk add --no-cache fetches a fresh index and keeps nothing'
            mend = _drop_commands(df, ins, updates_here)
        else:
            verb = 'add' if shown.action == 'install' else 'upgrade'
            fix = f'use apk {verb} --no-cache'
            if len(adds) < len(keeps):
                fix += ' and drop `apk update`'
            mend = _apk_no_cache(df, ins, adds, updates_here)
    else:
        if not installs and not (updates and consumers):
            return
        if manager == 'apt-get' and not updates:
            return  # no lists fetched here: an install alone downloads none
        shown = (installs or updates)[0]
        fix = FIX[manager].format(tool=tool)
        mend = _append(df, ins, CLEANUP_COMMANDS[manager].format(tool=tool))
    if mend is not None and _strict_removal_later(df, ins, CLEANUP[manager]):
        mend = None  # a later `rm` without -f of the emptied cache would fail the build
    yield Problem(
        ins.line, ins.col,
        f'`{shown.command.text}` leaves the package '
        f'{"lists" if manager == "apt-get" else "cache"} in a layer that ships; {fix}',
        mend,
    ), 'lists' if manager == 'apt-get' else ''


# --------------------------------------------------------------------------- fixes
# All safe: the image ends up with the same packages, without the cache the layer carried.

def _run_at(df: Dockerfile, line: int) -> Instruction | None:
    return next((i for i in df.instructions if i.line == line and i.keyword == 'RUN'), None)


def _update_into(df: Dockerfile, line: int, users: list[int], tool: str) -> Fix | None:
    """Unsafe (the build then fetches a fresh index, so it may install newer versions):
    drop a RUN that only updates the index, and start each RUN that installs from it with
    the update. With no such install, there is nothing to move the update into."""
    from dockhooks._fixes import Edit
    from dockhooks._fixes import Fix
    from dockhooks._shell import package_ops

    lone = _run_at(df, line)
    targets = [_run_at(df, n) for n in users]
    if lone is None or not users or not _fixable(lone) or any(
            t is None or not _fixable(t) for t in targets):
        return None
    commands = lone.commands()
    if len(package_ops(commands)) != len(commands):
        return None  # the RUN does more than update
    edits = [Edit(lone.line, lone.end_line, ())]
    for target in targets:
        assert target is not None
        first = df.lines[target.line - 1]
        m = re.match(r'(\s*\S+\s+(?:--\S+\s+)*)(\S.*)$', first)
        if m is None or m.group(2).strip() == df.escape:
            return None  # the script starts on a later line
        edits.append(Edit(target.line, target.line,
                          (f'{m.group(1)}{tool} update && {m.group(2)}',)))
    return Fix(tuple(edits), safe=False)


def _strict_removal_later(df: Dockerfile, ins: Instruction, folders: Sequence[str]) -> bool:
    """A later RUN of the stage removes what is in one of ``folders`` with `rm` and no
    `-f` (`rm /var/cache/apk/*`): once the fix leaves the folder empty, the shell passes the
    glob as it is, and `rm` fails the build on it."""
    stage = df.stages[ins.stage] if ins.stage is not None and ins.stage >= 0 else None
    for later in stage.instructions if stage is not None else ():
        if later.line <= ins.line or later.keyword != 'RUN':
            continue
        for c in later.commands():
            if not c.argv or c.argv[0] != 'rm':
                continue
            flags = [a for a in c.argv[1:] if a.startswith('-')]
            if any(a == '--force' or (not a.startswith('--') and 'f' in a) for a in flags):
                continue
            if any(a.startswith(f'{f}/') for a in c.argv[1:] for f in folders):
                return True
    return False


def _fixable(ins: Instruction) -> bool:
    """A RUN whose text a fix may edit: the shell form, no heredoc."""
    return ins.json is None and not ins.heredocs


def _append(df: Dockerfile, ins: Instruction, command: str) -> Fix | None:
    """Append ``&& command`` to the RUN, on a continuation line of its own."""
    from dockhooks._fixes import Edit
    from dockhooks._fixes import Fix

    if not _fixable(ins):
        return None
    last = df.lines[ins.end_line - 1]
    if last.lstrip().startswith('#') or last.rstrip().endswith(df.escape) or re.search(
            r'(^|\s)#', last.split('"')[0].split("'")[0]):
        return None  # a comment, a shell comment or a dangling continuation ends the RUN
    following = df.lines[ins.line] if ins.end_line > ins.line else ''
    indent = following[:len(following) - len(following.lstrip())] or '    '
    return Fix((Edit(ins.end_line, ins.end_line,
                     (f'{last.rstrip()} {df.escape}', f'{indent}&& {command}')),))


def _drop_run(df: Dockerfile, ins: Instruction, commands: list[Command],
              mine: list[PackageOp]) -> Fix | None:
    """Remove a RUN that only updates the index."""
    from dockhooks._fixes import Edit
    from dockhooks._fixes import Fix

    if not _fixable(ins) or len(commands) != len(mine):
        return None
    return Fix((Edit(ins.line, ins.end_line, ()),))


_APK_VERB = re.compile(r'\b(apk(?:\s+--?[\w-]+)*\s+)(add|upgrade)\b')
_APK_UPDATE = re.compile(r'\bapk\s+update\s*(?:&&|;)\s*|\s*(?:&&|;)\s*apk\s+update\b(?!\s*[-\w])')


def _apk_no_cache(df: Dockerfile, ins: Instruction, adds: list[PackageOp],
                  updates: list[PackageOp]) -> Fix | None:
    """`apk add` -> `apk add --no-cache` in the RUN, and its `apk update` dropped."""
    from dockhooks._fixes import Edit
    from dockhooks._fixes import Fix

    if not _fixable(ins):
        return None
    lines = df.lines[ins.line - 1:ins.end_line]
    text = '\n'.join(lines)
    if len(_APK_VERB.findall(text)) != len(adds) or len(_APK_UPDATE.findall(text)) != \
            len(updates):
        return None  # written in a way a text edit cannot be sure of
    text = _APK_VERB.sub(lambda m: f'{m.group(1)}{m.group(2)} --no-cache', text)
    text = _APK_UPDATE.sub('', text)
    return Fix((Edit(ins.line, ins.end_line, tuple(text.split('\n'))),))


def _drop_commands(df: Dockerfile, ins: Instruction, ops: list[PackageOp]) -> Fix | None:
    """Drop `apt-get update` / `apk update` from a RUN that does more."""
    from dockhooks._fixes import Edit
    from dockhooks._fixes import Fix

    if not _fixable(ins) or not ops:
        return None
    lines = df.lines[ins.line - 1:ins.end_line]
    text = '\n'.join(lines)
    pattern = re.compile(
        r'\b(?:apt-get|apt|apk)(?:\s+-[\w-]+)*\s+update(?:\s+-[\w=-]+)*\s*(?:&&|;)\s*')
    if len(pattern.findall(text)) != len(ops):
        return None
    return Fix((Edit(ins.line, ins.end_line, tuple(pattern.sub('', text).split('\n'))),))


def main(argv: Sequence[str] | None = None) -> int:
    return run_hook(__name__, argv)


if __name__ == '__main__':
    raise SystemExit(main())
