"""Every build context has an ignore file that keeps local junk out.

## What it does
Finds the build contexts of the repository: each compose `build:` context with its
`dockerfile:` (relative to the file's project directory, `include: project_directory`
honoured), and the own folder of every other Dockerfile (or the parent folder its COPY
sources name: `COPY docker/start.py` in `docker/Dockerfile`). A context is judged when its
Dockerfile can copy more than named files into the image: `COPY . .`, a folder, a folder
glob, a bind mount of the context, a path it cannot know; a Dockerfile that copies only
named files (or nothing) is left alone, as BuildKit then sends only those files. For each,
the ignore file Docker uses is `<Dockerfile name>.dockerignore` beside the Dockerfile where
it exists (as BuildKit does), else `.dockerignore` at the context root. Reports
- a context with no ignore file (at line 1 of the Dockerfile);
- required entries that the ignore file does not exclude under Docker's own matching rules
  (one finding at line 1 of the ignore file naming them all, with the patterns to add):
  log files (`**/*.log`) and `.env` files (`**/.env`, `**/.env.*`) always; `.git` when the
  context root holds the repository's `.git`; `**/node_modules` when the context is a Node
  project, `.venv` and `**/__pycache__` when it is a Python project (judged by its files and
  by the package-manager commands in its Dockerfile);
- a `!` line that re-includes one of them (at that line).
Docker's rules are not git's: `node_modules` alone excludes only the folder at the context
root, so nested ones are still sent; `**/node_modules` excludes them all.

`--fix` creates the ignore file or appends the missing patterns: idempotent, every existing
line and comment kept; it prints `Fixing PATH` and exits 1. `!` lines are left for you.

## Why is this bad?
Without an ignore file, `docker build` sends everything to the daemon: the `.git` history,
gigabytes of `node_modules` and virtualenvs, logs, and the `.env` file with production
secrets, which a `COPY . .` then bakes into the image. Builds get slow and images leak.

## Example
```text
# .dockerignore
node_modules
```

## Use instead
```text
# .dockerignore
.git
**/node_modules
**/*.log
**/.env
**/.env.*
```

## Options
- `--extra-ignore-entries PATTERNS`: more patterns every ignore file must exclude
  (comma-separated, e.g. `coverage,**/*.tmp`).
- `--fix`: create or complete the ignore files.
"""
from __future__ import annotations

import os
from collections.abc import Iterator
from collections.abc import Sequence
from types import SimpleNamespace
from typing import NamedTuple

from dockhooks._context import REQUIRED
from dockhooks._context import Context
from dockhooks._context import Entry
from dockhooks._context import discover
from dockhooks._context import ecosystems
from dockhooks._context import extra_entry
from dockhooks._context import list_files
from dockhooks._context import takes_folders
from dockhooks._findings import Finding
from dockhooks._hook import run_hook
from dockhooks._text import InputError
from dockhooks._text import read_text

CODE = 'DH301'
ID = 'dockerignore-complete'
SUMMARY = 'every build context has a .dockerignore that excludes .git, node_modules, ' \
    '__pycache__, logs and .env files'
SEVERITY = 'error'
OPTIONS = ('extra-ignore-entries', 'fix')
# Ignore files written by --fix in this process (the hook then exits 1).
FIXED: list[str] = []


def required(ctx: Context, extra: Sequence[str],
             listing: dict[str, list[str]] | None = None) -> list[Entry]:
    """The entries the ignore file of ``ctx`` must exclude; ``listing`` caches the context
    folders' files across contexts."""
    listing = {} if listing is None else listing
    key = os.path.normpath(ctx.root)
    if key not in listing:
        listing[key] = list_files(ctx.root, skip_junk=True) if os.path.isdir(ctx.root) else []
    ecos = ecosystems(ctx, listing[key])
    return [e for e in REQUIRED if e.applies_to is None or e.applies_to in ecos] + \
        [extra_entry(p) for p in extra]


class Verdict(NamedTuple):
    missing: list[Entry]
    reincluded: list[tuple[int, str, Entry]]  # (line, rule text, entry) of a `!` line
    root_only: list[tuple[int, str]]  # (line, rule text) of root-only matches of a missing one


def _judge(entries: Sequence[Entry], text: str) -> Verdict:
    from dockhooks._dockerignore import IgnoreFile

    ignore = IgnoreFile.parse(text)
    verdict = Verdict([], [], [])
    for entry in entries:
        for probe in entry.probes:
            if ignore.is_excluded(probe):
                continue
            rule = ignore.deciding_rule(probe)
            if rule is not None and rule.exclusion:
                verdict.reincluded.append((rule.line, rule.text, entry))
                break
            verdict.missing.append(entry)
            # `node_modules` excludes node_modules/ but not web/node_modules/: say so
            top = probe.split('/', 1)[1] if '/' in probe and probe != entry.probes[0] else ''
            shallow = ignore.deciding_rule(top) if ignore.is_excluded(top) else None
            if shallow is not None and (shallow.line, shallow.text) not in verdict.root_only:
                verdict.root_only.append((shallow.line, shallow.text))
            break
    return verdict


def _patterns(entries: Sequence[Entry]) -> list[str]:
    return list(dict.fromkeys(p for e in entries for p in e.patterns))


def fix_text(text: str | None, missing: Sequence[Entry]) -> str:
    """The ignore file with the missing patterns appended (or a new file)."""
    patterns = _patterns(missing)
    if text is None:
        return '# Keep local junk and secrets out of the build context.\n' + \
            ''.join(f'{p}\n' for p in patterns)
    out = text if text.endswith('\n') or not text else text + '\n'
    out += '# added by dockhooks: local junk and secrets stay out of the build context\n'
    return out + ''.join(f'{p}\n' for p in patterns)


def _write(path: str, content: str) -> None:
    with open(path, 'w', encoding='utf-8', newline='') as f:
        f.write(content)


def _missing_message(ctx: Context, ignore_path: str, verdict: Verdict) -> str:
    names = ', '.join(e.name for e in verdict.missing)
    text = f'does not exclude {names}'
    if os.path.normpath(os.path.dirname(ignore_path) or '.') != os.path.normpath(ctx.root):
        text += f' from build context {ctx.root}'
    text += f'; add {", ".join(_patterns(verdict.missing))}'
    if verdict.root_only:
        rules = ' and '.join(f'{t.strip()!r} on line {n}' for n, t in verdict.root_only)
        verb = 'matches' if len(verdict.root_only) == 1 else 'match'
        text += f' ({rules} {verb} only at the context root)'
    return text


def check_paths(paths: Sequence[str], opts: SimpleNamespace) -> Iterator[Finding]:
    """Findings for the contexts of ``paths``; with no paths (pre-commit runs this hook
    with pass_filenames: false), the contexts of the whole repository in the cwd.

    Only contexts whose Dockerfile can copy folders (``COPY . .``, a folder, a folder glob)
    are judged: with named files only, BuildKit sends nothing else."""
    del FIXED[:]  # one run per call (`dockhooks check` reads it afterwards)
    if not paths:
        from dockhooks._files import expand_paths

        paths = expand_paths(['.'])
    listing: dict[str, list[str]] = {}
    groups: dict[str, tuple[str, list[Context], list[Entry]]] = {}
    for ctx in discover(paths):
        if not takes_folders(ctx):
            continue
        ignore_path = ctx.ignore_path
        _, contexts, entries = groups.setdefault(
            os.path.normpath(ignore_path), (ignore_path, [], []))
        contexts.append(ctx)
        entries.extend(e for e in required(ctx, opts.extra_ignore_entries, listing)
                       if e not in entries)
    for ignore_path, contexts, entries in groups.values():
        entries.sort(key=lambda e: REQUIRED.index(e) if e in REQUIRED else len(REQUIRED))
        ctx = contexts[0]
        if not os.path.isfile(ignore_path):
            if opts.fix and os.path.isdir(ctx.root):
                _write(ignore_path, fix_text(None, entries))
                print(f'Fixing {ignore_path}')
                FIXED.append(ignore_path)
                continue
            for origin in dict.fromkeys(c.origin for c in contexts):
                path, line, col = origin
                yield Finding(
                    path, line, col, CODE,
                    f'build context {ctx.root} has no .dockerignore to keep local junk and '
                    f'secrets out of COPY; create one excluding {", ".join(_patterns(entries))}',
                )
            continue
        try:
            verdict = _judge(entries, read_text(ignore_path))
        except InputError as exc:
            yield Finding(ignore_path, exc.line, exc.col, 'DH001',
                          f'cannot be checked: {exc.reason}')
            continue
        for line, rule_text, entry in verdict.reincluded:
            yield Finding(
                ignore_path, line, 1, CODE,
                f'{rule_text.strip()!r} re-includes {entry.name} into the build context; '
                f'remove or narrow this line',
            )
        if not verdict.missing:
            continue
        if opts.fix:
            with open(ignore_path, encoding='utf-8', newline='') as f:
                raw = f.read()
            _write(ignore_path, fix_text(raw, verdict.missing))
            print(f'Fixing {ignore_path}')
            FIXED.append(ignore_path)
            continue
        yield Finding(ignore_path, 1, 1, CODE, _missing_message(ctx, ignore_path, verdict))


def main(argv: Sequence[str] | None = None) -> int:
    del FIXED[:]
    rc = run_hook(__name__, argv)
    return 1 if FIXED else rc


if __name__ == '__main__':
    raise SystemExit(main())
