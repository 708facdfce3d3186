"""Every build context has an ignore file that keeps local junk out.

## What it does
Finds the build contexts of the repository: each compose `build:` context with its
`dockerfile:` (relative to the file's project directory, `include: project_directory`
honoured), and for every other Dockerfile the folder it is built from: the one a comment of
the Dockerfile documents (`# docker build -f docker/Dockerfile .`), else the nearest of its
own folder and the folders above it (inside the repository) where the files its COPY/ADD
sources name exist (`COPY go.mod oryx/go.mod` in `.docker/Dockerfile`: the repository root).
A build that cannot run as written is not judged: a compose context or Dockerfile that does
not exist, named sources found nowhere (a leftover template copying a lock file the project
does not have), a package of a JavaScript workspace that depends on its siblings. Test
fixtures and devcontainers never ship and are not judged either.

BuildKit sends only what the Dockerfile's COPY/ADD sources and bind mounts name, so an entry
is required only where a source can send it, in the places that junk arises:
- `node_modules` beside each `package.json`, `.venv` beside each Python manifest,
  `__pycache__` beside `.py` files;
- log files and `.env` files in the context root and in each project folder (one holding a
  manifest or an env file);
- `.git` when the whole context is sent and its root holds the repository's `.git`, unless
  the build needs the history (`setuptools-scm`, `hatch-vcs`, `git describe`, ...).
So `COPY . .` needs an ignore file, while `COPY conf/ /etc/app/` (committed files), `COPY
*.sh`, `COPY app-linux-$TARGETARCH` (a variable inside a name still names one file) or a
source that is only a variable of unknown value do not. For each context, the ignore file
Docker uses is `<Dockerfile name>.dockerignore` beside the Dockerfile where it exists (as
BuildKit does), else `.dockerignore` at the context root. Reports
- a context with no ignore file (at line 1 of the Dockerfile);
- required entries that the ignore file does not exclude under Docker's own matching rules
  (one finding at line 1 of the ignore file naming them all, with the patterns to add);
- a `!` line that re-includes one of them (at that line).
Docker's rules are not git's: `node_modules` alone excludes only the folder at the context
root, so nested ones are still sent; `**/node_modules` excludes them all. The patterns
suggested for `.env` files (`**/.env`, `**/.env.*`) come with `!` lines for the committed
templates and mode files a build reads (`!**/.env*.example`, `!web/.env.production`).

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
from dockhooks._context import required
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
            parts = probe.split('/')
            shallow = next((ignore.deciding_rule(top) for top in (
                '/'.join(parts[k:]) for k in range(1, len(parts)))
                if ignore.is_excluded(top)), None)
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
        needed = required(ctx, opts.extra_ignore_entries, listing)
        if not needed:
            continue  # no source of the build can send any junk
        ignore_path = ctx.ignore_path
        _, contexts, entries = groups.setdefault(
            os.path.normpath(ignore_path), (ignore_path, [], []))
        contexts.append(ctx)
        for entry in needed:  # one entry per name, its probes and patterns merged
            same = next((k for k, e in enumerate(entries) if e.name == entry.name), None)
            if same is None:
                entries.append(entry)
            else:
                e = entries[same]
                entries[same] = e._replace(
                    probes=tuple(dict.fromkeys(e.probes + entry.probes)),
                    patterns=tuple(dict.fromkeys(e.patterns + entry.patterns)))
    for ignore_path, contexts, entries in groups.values():
        names = [e.name for e in REQUIRED]
        entries.sort(key=lambda e: names.index(e.name) if e.name in names else len(names))
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
