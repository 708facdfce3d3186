"""Running rules over files: parse each file once, run the rules, filter by pragmas, report.

Every hook's ``main`` is ``run_hook(__name__, argv)``; ``dockhooks check`` calls
``check_files`` with all rules. A file that cannot be read or parsed gives one DH001 finding
naming the reason, never a traceback.
"""
from __future__ import annotations

import bisect
import os
import sys
from collections.abc import Iterable
from collections.abc import Iterator
from collections.abc import Sequence
from types import ModuleType
from types import SimpleNamespace

from dockhooks import _config
from dockhooks._findings import REPORT_OPTIONS
from dockhooks._findings import Finding
from dockhooks._findings import Reporter
from dockhooks._findings import use_color
from dockhooks._registry import BY_CODE
from dockhooks._registry import META_CODES
from dockhooks._registry import RuleInfo
from dockhooks._text import InputError
from dockhooks._text import RunCache
from dockhooks._text import forget_run


class Parsed:
    """A parsed file of some kind, with the pragma spans for it."""

    def __init__(self, doc: object, lines: list[str], span_of: object) -> None:
        self.doc = doc
        self.lines = lines
        self.span_of = span_of


# Each file is parsed once per process: `dockhooks check` runs many rules, and the build
# context rule reads the compose files the compose rules read.
_PARSED: dict[tuple[str, str], Parsed | InputError] = RunCache()


def parse_file(path: str, kind: str) -> Parsed:
    """Read and parse ``path`` as ``kind`` (once per process); raise InputError."""
    key = (os.path.abspath(path), kind)
    if key not in _PARSED:
        try:
            _PARSED[key] = _parse_file(path, kind)
        except InputError as exc:
            _PARSED[key] = exc
    found = _PARSED[key]
    if isinstance(found, InputError):
        raise found
    return found


def parsed_doc(path: str, kind: str) -> object | None:
    """What ``path`` holds, parsed as ``kind`` (once per process, see :func:`parse_file`);
    None when it is not a file or cannot be parsed: for a file another one names."""
    if not os.path.isfile(path):
        return None
    try:
        return parse_file(path, kind).doc
    except (InputError, RecursionError):
        return None


def _parse_file(path: str, kind: str) -> Parsed:
    from dockhooks._text import read_text

    return _parse_text(path, kind, read_text(path))


def _parse_text(path: str, kind: str, text: str) -> Parsed:
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
    kept, fixes = _check_parsed(path, parsed, rules, opts, kind)
    if fixes and (getattr(opts, 'fix', False) or getattr(opts, 'diff', False)):
        fixed = _fix(path, kind, parsed, rules, opts)
        if fixed is not None:
            if getattr(opts, 'diff', False):
                return  # --diff shows the fixes, not the findings
            kept = fixed
    yield from kept


def _check_parsed(path: str, parsed: Parsed, rules: Sequence[tuple[RuleInfo, ModuleType]],
                  opts: SimpleNamespace,
                  kind: str) -> tuple[list[Finding], list[tuple[Finding, object]]]:
    """The findings the pragmas leave, and those with a fix, with it."""
    from dockhooks._suppress import scan

    sup = scan(parsed.lines, parsed.span_of,  # type: ignore[arg-type]
               hadolint=kind == 'dockerfile')
    found: list[Finding] = []
    fixes: dict[Finding, object] = {}
    for info, module in rules:
        for p in module.check(parsed.doc, opts):
            finding = Finding(path, p.line, p.col, info.code, p.message)
            found.append(finding)
            if p.fix is not None:
                fixes[finding] = p.fix
    found.sort(key=lambda f: (f.line, f.col, f.code))
    kept = list(sup.filter(path, found))
    return kept, [(f, fixes[f]) for f in kept if f in fixes]


def _fix(path: str, kind: str, parsed: Parsed, rules: Sequence[tuple[RuleInfo, ModuleType]],
         opts: SimpleNamespace) -> list[Finding] | None:
    """Apply the fixes to ``path`` in rounds, in memory (a fix may make room for another: a
    moved update, then its cleanup), then write the file once, or show it with --diff. The
    findings of the fixed file, or None when nothing was fixed. A round whose text does not
    parse, or changes more than its fixed lines, is not applied."""
    from dockhooks import _fixes
    from dockhooks._text import decode

    unsafe = bool(getattr(opts, 'unsafe_fixes', False))
    raw = _fixes.read_raw(path)
    if raw is None:
        return None
    current, now = raw, parsed
    kept: list[Finding] | None = None
    for _ in range(3):
        _, pairs = _check_parsed(path, now, rules, opts, kind)
        chosen = _fixes.chosen((fix for _, fix in pairs), unsafe)  # type: ignore[misc]
        if not chosen:
            break
        lines, applied = _fixes.apply(current.lines, chosen)
        mended = {(f.code, f.message) for f, fix in pairs if fix in applied}
        new = _fixes.Raw(lines, current.bom, current.final_newline)
        try:
            then = _parse_text(path, kind, decode(new.data()))
        except (InputError, RecursionError):
            break
        if not _same_elsewhere(kind, now, then, applied):
            break
        after = _check_parsed(path, then, rules, opts, kind)[0]
        if any((f.code, f.message) in mended for f in after):
            break  # a fix did not mend what it was for: not applied
        current, now, kept = new, then, after
    if kept is None:
        return None
    if getattr(opts, 'diff', False):
        sys.stdout.write(_fixes.diff(path, raw, current))
        _fixes.DIFFS.append(path)
        return kept

    def transform(on_disk: _fixes.Raw) -> _fixes.Raw | None:
        return current if on_disk == raw else None  # changed since it was read: not now

    if not _fixes.rewrite(path, transform):
        return None
    _fixes.say_fixing(path)
    _fixes.WRITTEN.append(path)
    _PARSED[(os.path.abspath(path), kind)] = now
    return kept


def _same_elsewhere(kind: str, before: Parsed, after: Parsed,
                    applied: Sequence[object]) -> bool:
    """Whether a Dockerfile holds the same instructions as before outside the fixed lines,
    and a compose file the same services with the same keys, apart from the keys the fixes
    write (depends_on, profiles, read_only, tmpfs)."""
    from dockhooks import _fixes

    if kind == 'compose':
        services = {s.name: s for s in after.doc.services}  # type: ignore[attr-defined]
        for old in before.doc.services:  # type: ignore[attr-defined]
            new = services.pop(old.name, None)
            if new is None or any(old.get(k) != new.get(k) for k in
                                  {*old.keys(), *new.keys()} - _fixes.COMPOSE_FIXED_KEYS):
                return False
        return not services
    if kind != 'dockerfile':
        return True
    old_spans, new_spans = _fixes.spans(applied)  # type: ignore[arg-type]
    return _fixes.outside(((i.line, i.end_line, (i.keyword, i.value))
                           for i in before.doc.instructions),  # type: ignore[attr-defined]
                          old_spans) == \
        _fixes.outside(((i.line, i.end_line, (i.keyword, i.value))
                        for i in after.doc.instructions),  # type: ignore[attr-defined]
                       new_spans)


def check_files(
        paths: Iterable[str],
        rules: Sequence[tuple[RuleInfo, ModuleType]],
        opts: SimpleNamespace,
        *,
        kind_of: object = None,
) -> Iterator[Finding]:
    """Findings of ``rules`` over ``paths``. Without ``kind_of`` every path is read as the
    rules' kind (a single hook: pre-commit already picked the files)."""
    from dockhooks._roles import role

    # vendored third-party trees are nobody's to fix here: no rule reads them
    given = list(paths)
    paths = [p for p in given if role(p) != 'vendored']
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
        if hasattr(module, 'check_paths') and (paths or not given):
            for f in module.check_paths(paths, opts):
                yield f._replace(code=info.code) if f.code != 'DH001' else f


class Adoption:
    """What the adoption settings leave out of a run: the files ``exclude`` matches, the codes
    ``per-file-ignores`` ignores, and the findings the baseline records. The modules behind
    them (pathspec, json, hashlib) are imported only when a setting is set, so that a run
    without them starts as fast as before."""

    def __init__(self, opts: SimpleNamespace, *, baseline: bool = True) -> None:
        """Raises ConfigError (an unknown code, an invalid glob, an unreadable baseline)."""
        self.scope = None
        if opts.exclude or opts.per_file_ignores:
            from dockhooks._scope import Scope

            self.scope = Scope(opts.config_dir, opts.exclude, opts.per_file_ignores)
        self.baseline = None
        if baseline and opts.baseline:
            from dockhooks import _baseline

            self.baseline = _baseline.load(opts.baseline)

    def files(self, paths: Sequence[str]) -> list[str]:
        """``paths`` without the excluded ones."""
        return self.scope.files(paths) if self.scope is not None else list(paths)

    def filter(self, findings: Iterable[Finding]) -> Iterable[Finding]:
        """The findings to report."""
        if self.scope is not None:
            findings = self.scope.filter(findings)
        if self.baseline is not None:
            findings = self.baseline.new(findings)
        return findings


def run(paths: Sequence[str], rules: Sequence[tuple[RuleInfo, ModuleType]],
        opts: SimpleNamespace, adoption: Adoption, *,
        kind_of: object = None) -> tuple[list[str], Iterable[Finding]]:
    """The files checked (``paths`` without the excluded ones) and the findings to report.
    When every path given is excluded nothing runs: no paths would mean the whole repository
    to the rules that look at it (``check_paths``)."""
    kept = adoption.files(paths)
    if paths and not kept:
        return kept, ()
    return kept, adoption.filter(check_files(kept, rules, opts, kind_of=kind_of))


def fingerprint_base(opts: SimpleNamespace) -> str:
    """The folder fingerprints are relative to: the baseline's, else the config file's."""
    if getattr(opts, 'baseline', None):
        return os.path.dirname(os.path.abspath(opts.baseline))
    return str(getattr(opts, 'config_dir', None) or os.path.abspath('.'))


def severity_levels(rules: Sequence[tuple[RuleInfo, ModuleType]],
                    overrides: dict[str, str]) -> dict[str, str]:
    """Each code's level: the rule module's SEVERITY, then the ``severity`` setting (codes or
    hook ids). Raises ConfigError for a key that is neither."""
    levels = dict.fromkeys(META_CODES, 'error')
    for info, module in rules:
        levels[info.code] = getattr(module, 'SEVERITY', 'error')
    for key, level in overrides.items():
        levels[_config.rule_code(key, 'severity')] = level
    return levels


def make_reporter(opts: SimpleNamespace, rules: Sequence[tuple[RuleInfo, ModuleType]],
                  program: str) -> Reporter:
    """The reporter the reporting options ask for. Raises ConfigError, and OSError when the
    --output file cannot be written."""
    return Reporter(
        fmt=opts.format,
        color=use_color(opts.color, sys.stdout),
        output=opts.output,
        severity=severity_levels(rules, opts.severity),
        rules=rules,
        program=program,
        exit_zero=opts.exit_zero,
        fingerprint_base=fingerprint_base(opts),
    )


def _parse_arguments(module: ModuleType, info: RuleInfo, names: list[str],
                     argv: list[str]) -> SimpleNamespace:
    """A hook's command line read by argparse (options given, or --help)."""
    import argparse

    doc = (module.__doc__ or '').strip().splitlines()
    parser = argparse.ArgumentParser(prog=info.hook, description=doc[0] if doc else None,
                                     formatter_class=_config.help_formatter)
    parser.add_argument('filenames', nargs='*', help='files to check')
    _config.add_arguments(parser, names)
    return SimpleNamespace(**vars(parser.parse_args(argv)))


def run_hook(module_name: str, argv: Sequence[str] | None = None) -> int:
    """The ``main`` of a single hook."""
    module = sys.modules[module_name]
    info = BY_CODE[module.CODE]
    names = [*module.OPTIONS, *REPORT_OPTIONS, *_config.ADOPTION_OPTIONS]
    if getattr(module, 'FIXES', None):
        names += [n for n in _config.FIX_OPTIONS if n not in names]
    argv = list(sys.argv[1:] if argv is None else argv)
    args = _config.plain_arguments(argv, names, 'filenames') or _parse_arguments(
        module, info, names, argv)
    try:
        opts = _config.resolve(args, names)
        adoption = Adoption(opts)
        reporter = make_reporter(opts, [(info, module)], info.hook)
    except _config.ConfigError as exc:
        print(f'{info.hook}: error: {exc}', file=sys.stderr)
        return 2
    except OSError as exc:
        print(f'{info.hook}: error: {opts.output}: cannot be written ({exc.strerror or exc})',
              file=sys.stderr)
        return 2
    start_run()
    paths, findings = run(args.filenames, [(info, module)], opts, adoption)
    reporter.files_checked = len(paths)
    for finding in findings:
        reporter.add(finding)
    rc = reporter.close()
    return 1 if fixed_any() else rc


def start_run() -> None:
    """Start a run: nothing derived from folders by an earlier run, no file written or diff
    shown yet (``_fixes`` is imported only by a run that fixes, so a plain check does not pay
    for it)."""
    forget_run()
    fixes = sys.modules.get('dockhooks._fixes')
    if fixes is not None:
        del fixes.WRITTEN[:], fixes.DIFFS[:]


def fixed_any() -> bool:
    """Whether this run wrote a file or showed a diff (it then exits 1)."""
    fixes = sys.modules.get('dockhooks._fixes')
    return fixes is not None and bool(fixes.WRITTEN or fixes.DIFFS)
