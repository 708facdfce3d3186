"""Every build context has an ignore file that keeps local junk out.

## What it does
Finds the build contexts of the repository: each folder holding a Dockerfile, and each
compose `build:` context with its `dockerfile:`. For each, the ignore file Docker uses is
`<Dockerfile name>.dockerignore` beside the Dockerfile where it exists (as BuildKit does),
else `.dockerignore` at the context root. Reports
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

from dockhooks._context import REQUIRED
from dockhooks._context import Context
from dockhooks._context import Entry
from dockhooks._context import discover
from dockhooks._context import ecosystems
from dockhooks._context import extra_entry
from dockhooks._context import list_files
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


def required(ctx: Context, extra: Sequence[str]) -> list[Entry]:
    files = list_files(ctx.root, skip_junk=True) if os.path.isdir(ctx.root) else []
    ecos = ecosystems(ctx, files)
    return [e for e in REQUIRED if e.applies_to is None or e.applies_to in ecos] + \
        [extra_entry(p) for p in extra]


def _judge(ctx: Context, entries: list[Entry], text: str
           ) -> tuple[list[Entry], list[tuple[int, str, Entry]]]:
    """(missing entries, [(line, rule text, entry)] re-included by a `!` line)."""
    from dockhooks._dockerignore import IgnoreFile

    ignore = IgnoreFile.parse(text)
    missing: list[Entry] = []
    reincluded: list[tuple[int, str, Entry]] = []
    for entry in entries:
        for probe in entry.probes:
            if ignore.is_excluded(probe):
                continue
            rule = ignore.deciding_rule(probe)
            if rule is not None and rule.exclusion:
                reincluded.append((rule.line, rule.text, entry))
            else:
                missing.append(entry)
            break
    return missing, reincluded


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


def check_paths(paths: Sequence[str], opts: SimpleNamespace) -> Iterator[Finding]:
    """Findings for the contexts of ``paths``; with no paths (pre-commit runs this hook
    with pass_filenames: false), the contexts of the whole repository in the cwd."""
    if not paths:
        from dockhooks._files import expand_paths

        paths = expand_paths(['.'])
    contexts = discover(paths)
    seen_ignore: set[str] = set()
    for ctx in contexts:
        ignore_path = ctx.ignore_path
        entries = required(ctx, opts.extra_ignore_entries)
        key = os.path.normpath(ignore_path)
        if not os.path.isfile(ignore_path):
            if opts.fix and os.path.isdir(ctx.root) and key not in seen_ignore:
                _write(ignore_path, fix_text(None, entries))
                print(f'Fixing {ignore_path}')
                FIXED.append(ignore_path)
                seen_ignore.add(key)
                continue
            if key in seen_ignore:
                continue
            path, line, col = ctx.origin
            names = ', '.join(e.name for e in entries)
            yield Finding(
                path, line, col, CODE,
                f'build context {ctx.root} has no .dockerignore, so docker build sends '
                f'everything ({names} included); create {ignore_path} excluding '
                f'{", ".join(_patterns(entries))}',
            )
            continue
        if key in seen_ignore:
            continue
        seen_ignore.add(key)
        try:
            text = read_text(ignore_path)
            missing, reincluded = _judge(ctx, entries, text)
        except InputError as exc:
            yield Finding(ignore_path, exc.line, exc.col, 'DH001',
                          f'cannot be checked: {exc.reason}')
            continue
        for line, rule_text, entry in reincluded:
            yield Finding(
                ignore_path, line, 1, CODE,
                f'{rule_text!r} re-includes {entry.name}, which then goes into the build '
                f'context; remove this line or narrow it',
            )
        if not missing:
            continue
        if opts.fix:
            with open(ignore_path, encoding='utf-8', newline='') as f:
                raw = f.read()
            _write(ignore_path, fix_text(raw, missing))
            print(f'Fixing {ignore_path}')
            FIXED.append(ignore_path)
            continue
        names = ', '.join(e.name for e in missing)
        patterns = ', '.join(_patterns(missing))
        yield Finding(
            ignore_path, 1, 1, CODE,
            f'does not exclude {names} from build context {ctx.root} (Docker matches from '
            f'the context root: nested folders need **/); add: {patterns}',
        )


def main(argv: Sequence[str] | None = None) -> int:
    del FIXED[:]
    rc = run_hook(__name__, argv)
    return 1 if FIXED else rc


if __name__ == '__main__':
    raise SystemExit(main())
