"""``dockhooks context-size``: what ``docker build`` would send for a context.

Walks the real file system (what Docker sends is what is on disk, git-ignored files
included), applies the ignore file Docker would use with Docker's own matching, and reports
the file count and size sent, the largest folders, and for each required entry that the
ignore file does not exclude how much excluding it would save.
"""
from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from dockhooks._records import NamedTuple


class Report(NamedTuple):
    context: str
    dockerfile: str | None
    ignore_file: str | None
    files: int
    bytes: int
    excluded_files: int
    excluded_bytes: int
    folders: list[tuple[str, int, int]]        # (folder, files, bytes), largest first
    missing: list[tuple[str, list[str], int, int]]  # (entry, patterns, files, bytes)


def measure(context: str, dockerfile: str | None) -> Report:
    from dockhooks._context import REQUIRED
    from dockhooks._context import Context
    from dockhooks._context import ecosystems
    from dockhooks._context import list_files
    from dockhooks._dockerignore import IgnoreFile
    from dockhooks._text import read_text

    ctx = Context(context, dockerfile, (dockerfile or context, 1, 1))
    ignore_path = ctx.ignore_path
    ignore = IgnoreFile.parse(read_text(ignore_path)) if os.path.isfile(ignore_path) \
        else IgnoreFile.parse('')
    can_prune = not any(r.exclusion for r in ignore.rules)
    ecos = ecosystems(ctx, list_files(context, skip_junk=True))
    entries = [e for e in REQUIRED if e.applies_to is None or e.applies_to in ecos]
    missing = [(e, IgnoreFile.parse('\n'.join(e.patterns))) for e in entries
               if not all(ignore.is_excluded(p) for p in e.probes)]
    sent_files = sent_bytes = ex_files = ex_bytes = 0
    folders: dict[str, list[int]] = {}
    savings = {e.name: [0, 0] for e, _ in missing}

    stack = ['']
    while stack:
        rel_dir = stack.pop()
        try:
            with os.scandir(os.path.join(context, rel_dir) if rel_dir else context) as it:
                entries_ = list(it)
        except OSError:
            continue
        for entry in entries_:
            rel = f'{rel_dir}/{entry.name}' if rel_dir else entry.name
            try:
                is_dir = entry.is_dir(follow_symlinks=False)
                size = 0 if is_dir else entry.stat(follow_symlinks=False).st_size
            except OSError:
                continue
            excluded = ignore.is_excluded(rel)
            if is_dir:
                if excluded and can_prune:
                    ex_files += 1  # the folder itself; its content is not walked
                    continue
                stack.append(rel)
                continue
            if excluded:
                ex_files += 1
                ex_bytes += size
                continue
            sent_files += 1
            sent_bytes += size
            top = rel.split('/', 1)[0] + '/' if '/' in rel else '.'
            agg = folders.setdefault(top, [0, 0])
            agg[0] += 1
            agg[1] += size
            for e, matcher in missing:
                if matcher.is_excluded(rel):
                    savings[e.name][0] += 1
                    savings[e.name][1] += size
    largest = sorted(((k, v[0], v[1]) for k, v in folders.items()), key=lambda t: -t[2])[:10]
    return Report(
        context, dockerfile, ignore_path if os.path.isfile(ignore_path) else None,
        sent_files, sent_bytes, ex_files, ex_bytes, largest,
        [(e.name, list(e.patterns), savings[e.name][0], savings[e.name][1])
         for e, _ in missing],
    )


def human(n: int) -> str:
    size = float(n)
    for unit in ('B', 'kB', 'MB', 'GB'):
        if size < 1000 or unit == 'GB':
            return f'{size:.0f} {unit}' if unit == 'B' else f'{size:.1f} {unit}'
        size /= 1000
    return f'{n} B'  # pragma: no cover


def render(r: Report) -> str:
    lines = [
        f'build context: {r.context}',
        f'dockerfile:    {r.dockerfile or "(none)"}',
        f'ignore file:   {r.ignore_file or "(none: everything is sent)"}',
        f'sent:          {r.files} files, {human(r.bytes)}'
        f'  (not sent: {r.excluded_files} files and folders)',
        '',
        'largest folders sent:',
    ]
    lines += [f'  {human(b):>9}  {n:>7} files  {f}' for f, n, b in r.folders] or ['  (none)']
    lines += ['', 'required entries not excluded (what excluding them would save):']
    lines += [f'  {human(b):>9}  {n:>7} files  {name}  (add {", ".join(p)})'
              for name, p, n, b in r.missing] or ['  (none: the ignore file is complete)']
    return '\n'.join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog='dockhooks context-size',
        description='What docker build would send for a build context.')
    parser.add_argument('context', nargs='?', default='.', metavar='DIR',
                        help='the build context folder (default: .)')
    parser.add_argument('--dockerfile', metavar='PATH',
                        help='the Dockerfile (default: DIR/Dockerfile if it exists)')
    parser.add_argument('--format', choices=('text', 'json'), default='text')
    args = parser.parse_args(argv)
    from dockhooks._text import InputError

    if not os.path.isdir(args.context):
        print(f'dockhooks context-size: error: {args.context} is not a folder', file=sys.stderr)
        return 2
    dockerfile = args.dockerfile
    if dockerfile is None and os.path.isfile(os.path.join(args.context, 'Dockerfile')):
        dockerfile = os.path.join(args.context, 'Dockerfile')
    try:
        report = measure(args.context, dockerfile)
    except InputError as exc:
        print(f'dockhooks context-size: error: the ignore file cannot be used: {exc.reason}',
              file=sys.stderr)
        return 1
    if args.format == 'json':
        import json

        print(json.dumps({
            'context': report.context, 'dockerfile': report.dockerfile,
            'ignore_file': report.ignore_file, 'files': report.files, 'bytes': report.bytes,
            'excluded_files': report.excluded_files, 'excluded_bytes': report.excluded_bytes,
            'largest_folders': [{'path': f, 'files': n, 'bytes': b}
                                for f, n, b in report.folders],
            'missing': [{'entry': name, 'patterns': p, 'files': n, 'bytes': b}
                        for name, p, n, b in report.missing],
        }, indent=2))
    else:
        print(render(report))
    return 0
