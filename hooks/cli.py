"""The ``dockhooks`` command: ``check`` runs every rule in one process; ``baseline`` records
the current findings (``_baseline``); ``rules`` lists the rules; ``explain CODE`` prints a
rule's documentation."""
from __future__ import annotations

import os
import sys
from collections.abc import Callable
from collections.abc import Iterator
from collections.abc import Sequence
from types import ModuleType
from types import SimpleNamespace

from dockhooks import __version__
from dockhooks import _config
from dockhooks._findings import REPORT_OPTIONS
from dockhooks._records import TYPE_CHECKING
from dockhooks._registry import BY_CODE
from dockhooks._registry import BY_HOOK
from dockhooks._registry import META_CODES
from dockhooks._registry import RULES
from dockhooks._registry import RuleInfo
from dockhooks._registry import load

if TYPE_CHECKING:
    import argparse

    from dockhooks._findings import Finding
    from dockhooks._hook import Adoption


def _rule_options() -> list[str]:
    names: list[str] = []
    for info in RULES:
        for name in load(info).OPTIONS:
            if name not in names:
                names.append(name)
    return names


def _codes(values: Sequence[str], what: str) -> set[str]:
    return {_config.rule_code(v, what) for v in values}


def _selected(opts: SimpleNamespace) -> tuple[list[tuple[RuleInfo, ModuleType]],
                                              Callable[[Finding], bool]]:
    """The rules ``--select`` / ``--ignore`` leave, and a test of the findings they leave.
    Raises ConfigError for an unknown code."""
    select = _codes(opts.select, 'select')
    ignore = _codes(opts.ignore, 'ignore')
    rules = [(info, load(info)) for info in RULES
             if (not select or info.code in select) and info.code not in ignore]

    def keep(finding: Finding) -> bool:
        return finding.code not in ignore and (
            not select or finding.code in select or finding.code in META_CODES)
    return rules, keep


def _run(expanded: list[str], opts: SimpleNamespace,
         rules: list[tuple[RuleInfo, ModuleType]], keep: Callable[[Finding], bool],
         adoption: Adoption) -> tuple[list[str], Iterator[Finding]]:
    """The files ``check`` or ``baseline`` checks (``expanded``: folders expanded; exclusions
    left out here) and the findings to report."""
    from dockhooks._files import kind_of
    from dockhooks._hook import run

    paths, findings = run(expanded, rules, opts, adoption, kind_of=kind_of)
    return paths, (f for f in findings if keep(f))


def _check(args: argparse.Namespace | SimpleNamespace, names: list[str]) -> int:
    from dockhooks._hook import Adoption
    from dockhooks._hook import make_reporter

    given = args.paths or ['.']
    missing = [p for p in given if not os.path.lexists(p)]
    if missing:  # a typo must not pass as "no findings"
        print(f'dockhooks: error: {missing[0]}: no such file or directory', file=sys.stderr)
        return 2
    try:
        opts = _config.resolve(args, names)
        rules, keep = _selected(opts)
        adoption = Adoption(opts)
        reporter = make_reporter(opts, rules, 'dockhooks')
    except _config.ConfigError as exc:
        print(f'dockhooks: error: {exc}', file=sys.stderr)
        return 2
    except OSError as exc:
        print(f'dockhooks: error: {opts.output}: cannot be written ({exc.strerror or exc})',
              file=sys.stderr)
        return 2
    from dockhooks._files import expand_paths
    from dockhooks._files import kind_of
    from dockhooks._roles import set_given

    set_given(given)  # outside git, a folder given stands for its repository
    expanded = expand_paths(given)
    if not any(kind_of(p) for p in expanded):
        # nothing to check: say so, and never fall back to the whole repository
        print(f'dockhooks: no Dockerfile, compose, .dockerignore or .env file to check in '
              f'{", ".join(given)}', file=sys.stderr)
        return reporter.close()
    from dockhooks._hook import fixed_any
    from dockhooks._hook import start_run

    start_run()
    paths, findings = _run(expanded, opts, rules, keep, adoption)
    reporter.files_checked = len(paths)
    for finding in findings:
        reporter.add(finding)
    rc = reporter.close()
    if fixed_any():
        return 1  # a fixer wrote files: the commit must be retried
    return rc


def _shown(path: str) -> str:
    """``path`` relative to the working folder when it is inside it."""
    rel = os.path.relpath(path)
    return path if rel == os.pardir or rel.startswith(os.pardir + os.sep) else rel


def _write_baseline(args: argparse.Namespace, names: list[str]) -> int:
    from dockhooks import _baseline
    from dockhooks._hook import Adoption

    try:
        opts = _config.resolve(args, [*names, 'select', 'ignore', *_config.ADOPTION_OPTIONS])
        opts.fix = False  # recording the findings writes no ignore file
        rules, keep = _selected(opts)
        adoption = Adoption(opts, baseline=False)  # record every finding, old ones too
    except _config.ConfigError as exc:
        print(f'dockhooks: error: {exc}', file=sys.stderr)
        return 2
    from dockhooks._files import expand_paths
    from dockhooks._roles import set_given

    output = args.output or opts.baseline or _baseline.DEFAULT_FILE
    set_given(args.paths or ['.'])
    _, findings = _run(expand_paths(args.paths or ['.']), opts, rules, keep, adoption)
    try:
        recorded = _baseline.write(output, findings)
    except OSError as exc:
        print(f'dockhooks: error: {output}: cannot be written ({exc.strerror or exc})',
              file=sys.stderr)
        return 2
    files = len({r.file for r in recorded})
    print(f'{_shown(output)}: recorded {len(recorded)} finding{"s" * (len(recorded) != 1)} '
          f'in {files} file{"s" * (files != 1)}')
    return 0


def _rules() -> int:
    width = max(len(r.hook) for r in RULES)
    for info in RULES:
        print(f'{info.code}  {info.hook:<{width}}  {load(info).SUMMARY}')
    for code, summary in META_CODES.items():
        print(f'{code}  {"(any)":<{width}}  {summary}')
    return 0


def _explain(key: str) -> int:
    info = BY_CODE.get(key.upper()) or BY_HOOK.get(key)
    if info is None:
        if key.upper() in META_CODES:
            print(f'{key.upper()}: {META_CODES[key.upper()]}')
            return 0
        print(f'dockhooks: error: unknown code or hook {key!r}; `dockhooks rules` lists them',
              file=sys.stderr)
        return 2
    doc = (load(info).__doc__ or '').strip()
    print(f'{info.code} {info.hook}\n\n{doc}')
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    try:
        return _main(argv)
    except BrokenPipeError:  # `dockhooks check . | head`: stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1


def _main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    if args_list[:1] == ['context-size']:
        from dockhooks._context_size import main as context_size

        return context_size(args_list[1:])
    check_names = [*_rule_options(), 'select', 'ignore', *REPORT_OPTIONS,
                   *_config.ADOPTION_OPTIONS]
    check_names += [n for n in _config.FIX_OPTIONS if n not in check_names]
    if args_list[:1] == ['check']:  # as the all-in-one hook runs it: file names only
        plain = _config.plain_arguments(args_list[1:], check_names, 'paths')
        if plain is not None:
            return _check(plain, check_names)
    import argparse

    parser = argparse.ArgumentParser(
        prog='dockhooks', description='Check Dockerfiles, compose files and build contexts '
                                      'against professional Docker practices.',
        formatter_class=_config.help_formatter)
    parser.add_argument('--version', action='version', version=f'dockhooks {__version__}')
    sub = parser.add_subparsers(dest='command', metavar='COMMAND')
    names = _rule_options()
    fmt = _config.help_formatter  # argparse's default imports shutil: ~2.5 ms
    p_check = sub.add_parser('check', help='run every rule over files and folders',
                             formatter_class=fmt)
    p_check.add_argument('paths', nargs='*', metavar='PATH',
                         help='files and folders (default: the current folder)')
    _config.add_arguments(p_check, check_names)
    p_baseline = sub.add_parser(
        'baseline', formatter_class=fmt,
        help='record the current findings, so that from now on only new ones are reported')
    p_baseline.add_argument('paths', nargs='*', metavar='PATH',
                            help='files and folders (default: the current folder)')
    p_baseline.add_argument('--output', metavar='FILE',
                            help='where to write the baseline (default: the baseline setting, '
                                 'else .dockhooks-baseline.json)')
    _config.add_arguments(p_baseline, [*names, 'select', 'ignore'])
    sub.add_parser('rules', help='list the rules: code, hook id, summary', formatter_class=fmt)
    p_explain = sub.add_parser('explain', help="print a rule's documentation",
                               formatter_class=fmt)
    p_explain.add_argument('code', metavar='CODE', help='a code (DH101) or hook id')
    sub.add_parser('context-size', add_help=False, formatter_class=fmt,
                   help='what docker build would send for a context (see context-size -h)')
    args = parser.parse_args(args_list)
    if args.command == 'check':
        return _check(args, check_names)
    if args.command == 'baseline':
        return _write_baseline(args, names)
    if args.command == 'rules':
        return _rules()
    if args.command == 'explain':
        return _explain(args.code)
    parser.print_help()
    return 2


if __name__ == '__main__':
    raise SystemExit(main())
