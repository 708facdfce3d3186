"""Running rules over files: parse each file once, run the rules, filter by pragmas, report.

Every hook's ``main`` is ``run_hook(__name__, argv)``; ``dockhooks check`` calls
``check_files`` with all rules. A file that cannot be read or parsed gives one DH001 finding
naming the reason, never a traceback.
"""
from __future__ import annotations

import argparse
import bisect
import sys
from collections.abc import Iterable
from collections.abc import Iterator
from collections.abc import Sequence
from types import ModuleType
from types import SimpleNamespace

from dockhooks import _config
from dockhooks._findings import Finding
from dockhooks._findings import Reporter
from dockhooks._registry import BY_CODE
from dockhooks._registry import RuleInfo
from dockhooks._text import InputError


class Parsed:
    """A parsed file of some kind, with the pragma spans for it."""

    def __init__(self, doc: object, lines: list[str], span_of: object) -> None:
        self.doc = doc
        self.lines = lines
        self.span_of = span_of


def parse_file(path: str, kind: str) -> Parsed:
    """Read and parse ``path`` as ``kind``; raise InputError."""
    from dockhooks._text import read_text

    text = read_text(path)
    if kind == 'dockerfile':
        from dockhooks import _dockerfile

        df = _dockerfile.parse(path, text)
        starts = [i.line for i in df.instructions]

        def span(line: int) -> tuple[int, int]:
            k = bisect.bisect_right(starts, line) - 1
            if k >= 0 and df.instructions[k].line <= line <= df.instructions[k].end_line:
                return df.instructions[k].line, df.instructions[k].end_line
            return line, line
        return Parsed(df, df.lines, span)
    if kind == 'compose':
        from dockhooks import _compose
        from dockhooks._suppress import yaml_block

        cf = _compose.load(path, text)
        lines = text.split('\n')
        return Parsed(cf, lines, yaml_block(lines))
    lines = text.split('\n')
    return Parsed(text, lines, None)


def _findings_for(path: str, rules: Sequence[tuple[RuleInfo, ModuleType]],
                  opts: SimpleNamespace, kind: str) -> Iterator[Finding]:
    try:
        parsed = parse_file(path, kind)
    except InputError as exc:
        yield Finding(path, exc.line, exc.col, 'DH001', f'cannot be checked: {exc.reason}')
        return
    except RecursionError:
        yield Finding(path, 1, 1, 'DH001', 'cannot be checked: nested too deeply')
        return
    from dockhooks._suppress import scan

    sup = scan(parsed.lines, parsed.span_of)  # type: ignore[arg-type]
    found: list[Finding] = []
    for info, module in rules:
        for p in module.check(parsed.doc, opts):
            found.append(Finding(path, p.line, p.col, info.code, p.message))
    found.sort(key=lambda f: (f.line, f.col, f.code))
    yield from sup.filter(path, found)


def check_files(
        paths: Iterable[str],
        rules: Sequence[tuple[RuleInfo, ModuleType]],
        opts: SimpleNamespace,
        *,
        kind_of: object = None,
) -> Iterator[Finding]:
    """Findings of ``rules`` over ``paths``. Without ``kind_of`` every path is read as the
    rules' kind (a single hook: pre-commit already picked the files)."""
    paths = list(paths)
    by_kind: dict[str, list[tuple[RuleInfo, ModuleType]]] = {}
    for info, module in rules:
        if hasattr(module, 'check_paths'):
            continue
        by_kind.setdefault(info.kind, []).append((info, module))
    for path in paths:
        kinds = [kind_of(path)] if callable(kind_of) else list(by_kind)
        for kind in kinds:
            if kind in by_kind:
                yield from _findings_for(path, by_kind[kind], opts, kind)
    for info, module in rules:
        if hasattr(module, 'check_paths'):
            for f in module.check_paths(paths, opts):
                yield f._replace(code=info.code) if f.code != 'DH001' else f


def run_hook(module_name: str, argv: Sequence[str] | None = None) -> int:
    """The ``main`` of a single hook."""
    module = sys.modules[module_name]
    info = BY_CODE[module.CODE]
    doc = (module.__doc__ or '').strip().splitlines()
    parser = argparse.ArgumentParser(prog=info.hook, description=doc[0] if doc else None)
    parser.add_argument('filenames', nargs='*', help='files to check')
    _config.add_arguments(parser, module.OPTIONS)
    args = parser.parse_args(argv)
    try:
        opts = _config.resolve(args, module.OPTIONS)
    except _config.ConfigError as exc:
        print(f'{info.hook}: error: {exc}', file=sys.stderr)
        return 2
    reporter = Reporter()
    for finding in check_files(args.filenames, [(info, module)], opts):
        reporter.add(finding)
    return reporter.exit_code()
