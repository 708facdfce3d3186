"""Options and configuration.

Every option of every rule is declared here once. A hook takes its own options on the command
line (``args:`` in ``.pre-commit-config.yaml``); settings shared by several hooks can live in
``[tool.dockhooks]`` of the repository's ``pyproject.toml`` or at the top level of
``.dockhooks.toml``. The command line wins over the file, the file over the default.

Paths and globs in the file are relative to the file's folder (``resolve`` joins a ``path``
setting with it and gives the folder as ``config_dir``), so a setting means the same from any
working folder.
"""
from __future__ import annotations

import os
import sys
from collections.abc import Iterable
from collections.abc import Sequence
from types import SimpleNamespace

from dockhooks._records import TYPE_CHECKING
from dockhooks._records import NamedTuple
from dockhooks._registry import BY_CODE
from dockhooks._registry import BY_HOOK
from dockhooks._registry import META_CODES

if TYPE_CHECKING:
    import argparse


class ConfigError(Exception):
    """Invalid configuration or option value: exit 2."""


class Option(NamedTuple):
    name: str        # kebab case: the CLI flag without '--' and the config key
    # 'bool' | 'str' | 'int' | 'list' | 'table' (KEY=VALUE on the command line) | 'path' (a
    # 'str' that the config file gives relative to its folder) | 'list-table' (a table of
    # lists of strings, config file only)
    kind: str
    default: object
    help: str
    metavar: str = 'VALUE'
    choices: tuple[str, ...] = ()  # allowed values of a 'str', or of a 'table''s values
    cli: bool = True  # False: a setting of the config file only, no command-line flag


OPTIONS: dict[str, Option] = {o.name: o for o in (
    Option('require-digest', 'bool', False,
           'require every base image and compose image to be pinned by @sha256 digest'),
    Option('extra-codenames', 'list', (),
           'more release codenames accepted as pinned tags (comma-separated)', 'NAMES'),
    Option('target', 'str', None,
           'the build stage that is shipped (default: the last stage)', 'STAGE'),
    Option('extra-non-root-images', 'list', (),
           'more base images (globs, e.g. "myorg/base:*") known to run as a non-root user',
           'GLOBS'),
    Option('extra-root-images', 'list', (),
           'base images (globs, e.g. "registry.example.com/base/*") known to run as root, '
           'judged like the official images', 'GLOBS'),
    Option('extra-secret-names', 'list', (),
           'more variable names to treat as secrets (comma-separated)', 'NAMES'),
    Option('allowed-names', 'list', (),
           'variable names that are never secrets, e.g. PUBLIC_API_KEY (comma-separated)',
           'NAMES'),
    Option('extra-build-tools', 'list', (),
           'more packages that count as build tools (comma-separated globs)', 'NAMES'),
    Option('allowed-build-tools', 'list', (),
           'packages never counted as build tools (comma-separated globs)', 'NAMES'),
    Option('extra-toolchain-images', 'list', (),
           'more base images that count as toolchains (globs, without tag)', 'GLOBS'),
    Option('allowed-toolchain-images', 'list', (),
           'base images never counted as toolchains (globs, without tag)', 'GLOBS'),
    Option('exempt-services', 'list', (),
           'compose services this check does not apply to (comma-separated)', 'NAMES'),
    Option('extra-healthcheck-images', 'list', (),
           'more images that declare their own HEALTHCHECK (globs, no registry or tag)',
           'GLOBS'),
    Option('extra-debug-images', 'list', (),
           'more images that are debug/admin tools (globs, no registry or tag)', 'GLOBS'),
    Option('debug-profile', 'str', 'debug',
           'the profile the DH203 fix puts debug tools under (default: debug)', 'NAME'),
    Option('allowed-debug-images', 'list', (),
           'debug/admin tool images that may start by default (globs)', 'GLOBS'),
    Option('extra-ignore-entries', 'list', (),
           'more patterns every .dockerignore must exclude (comma-separated)', 'PATTERNS'),
    Option('fix', 'bool', False,
           "apply the rules' safe fixes (the rest is still reported; a file written exits 1)"),
    Option('unsafe-fixes', 'bool', False,
           'with --fix or --diff, also apply the fixes that may change what runs or how the '
           'build caches'),
    Option('diff', 'bool', False,
           'show what --fix would write as a unified diff, and write nothing'),
    Option('max-consecutive', 'int', None,
           'also report more than N RUN instructions in a row, whatever they do (off unless '
           'set)', 'N'),
    # -- reporting --
    Option('format', 'str', 'text',
           'report format: text (one line per finding), json, sarif (SARIF 2.1.0) or github '
           '(workflow commands that annotate the pull request)', 'FORMAT',
           ('text', 'json', 'sarif', 'github')),
    Option('output', 'str', None,
           'write the report to FILE; the terminal still shows the findings as text', 'FILE'),
    Option('color', 'str', 'auto',
           'colour text output: auto (when stdout is a terminal and NO_COLOR is not set), '
           'always or never', 'WHEN', ('auto', 'always', 'never')),
    Option('severity', 'table', {},
           "set a rule's severity, e.g. DH107=error (code or hook id = error or warning; "
           'repeatable)', 'CODE=LEVEL', ('error', 'warning')),
    Option('exit-zero', 'bool', False,
           'exit 0 even when there are findings (errors in usage or configuration still exit 2)'),
    Option('select', 'list', (), 'only report these codes (comma-separated)', 'CODES'),
    Option('ignore', 'list', (), 'never report these codes (comma-separated)', 'CODES'),
    # -- adopting on an existing repository --
    Option('baseline', 'path', None,
           'report only the findings that FILE (written by dockhooks baseline) does not '
           'record', 'FILE'),
    Option('exclude', 'list', (), 'paths no rule reads (globs, config file only)', 'GLOBS',
           cli=False),
    Option('per-file-ignores', 'list-table', {},
           'codes or hook ids not reported in the files a glob matches (config file only)',
           'GLOB=CODES', cli=False),
)}
# The settings every hook and `dockhooks check` take to adopt dockhooks on a repository that
# already has findings (README, "Adopting on an existing repository").
ADOPTION_OPTIONS = ('baseline', 'exclude', 'per-file-ignores')
# The options of the rules that can fix what they find, and of `dockhooks check`.
FIX_OPTIONS = ('fix', 'unsafe-fixes', 'diff')
CONFIG_FILES = ('.dockhooks.toml', 'pyproject.toml')


def help_formatter(prog: str) -> argparse.HelpFormatter:
    """argparse's help formatter at the terminal width, found as shutil.get_terminal_size
    finds it. Pass it as ``formatter_class``: argparse's own lookup imports shutil (and bz2,
    lzma, fnmatch) on the first add_argument, ~2.5 ms of a hook's start-up."""
    try:
        columns = int(os.environ['COLUMNS'])
    except (KeyError, ValueError):
        columns = 0
    if columns <= 0 and sys.__stdout__ is not None:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns
        except (AttributeError, ValueError, OSError):
            columns = 0
    import argparse

    return argparse.HelpFormatter(prog, width=(columns or 80) - 2)


def plain_arguments(argv: Sequence[str], names: Iterable[str],
                    positional: str) -> SimpleNamespace | None:
    """What argparse would make of ``argv`` when it holds file names only (as pre-commit
    passes them): ``positional`` set to them and every option unset. None when any word looks
    like an option: argparse reads those. A hook run on a commit then never imports argparse
    (with gettext and locale, ~4 ms of each process)."""
    if any(a.startswith('-') for a in argv):
        return None
    out = SimpleNamespace(config=None, **{positional: list(argv)})
    for name in names:
        setattr(out, name.replace('-', '_'), None)
    return out


def add_arguments(parser: argparse.ArgumentParser, names: Iterable[str]) -> None:
    for name in names:
        opt = OPTIONS[name]
        dest = name.replace('-', '_')
        if not opt.cli:
            continue
        if opt.kind == 'bool':
            parser.add_argument(f'--{name}', dest=dest, action='store_true', default=None,
                                help=opt.help)
        elif opt.kind in ('list', 'table'):
            parser.add_argument(f'--{name}', dest=dest, action='append', default=None,
                                metavar=opt.metavar, help=opt.help)
        elif opt.kind == 'int':
            parser.add_argument(f'--{name}', dest=dest, type=int, default=None,
                                metavar=opt.metavar, help=opt.help)
        else:
            parser.add_argument(f'--{name}', dest=dest, default=None, metavar=opt.metavar,
                                choices=opt.choices or None, help=opt.help)
    parser.add_argument('--config', metavar='FILE',
                        help='read settings from FILE instead of looking for '
                             '.dockhooks.toml / pyproject.toml')


def _split_list(values: Iterable[str]) -> tuple[str, ...]:
    out: list[str] = []
    for v in values:
        out.extend(x.strip() for x in v.split(',') if x.strip())
    return tuple(out)


def rule_code(key: str, what: str) -> str:
    """The code a setting names by code (any case) or hook id; ConfigError for neither."""
    key = key.strip()
    info = BY_CODE.get(key.upper()) or BY_HOOK.get(key)
    if info is not None:
        return info.code
    if key.upper() in META_CODES:
        return key.upper()
    raise ConfigError(f'{what}: unknown code or hook {key!r}; `dockhooks rules` lists them')


def find_config(start: str = '.') -> str | None:
    here = os.path.abspath(start)
    while True:
        for name in CONFIG_FILES:
            path = os.path.join(here, name)
            if os.path.isfile(path):
                if name == 'pyproject.toml':
                    with open(path, 'rb') as f:
                        if b'[tool.dockhooks' not in f.read():
                            continue
                return path
        if os.path.exists(os.path.join(here, '.git')):
            return None
        parent = os.path.dirname(here)
        if parent == here:
            return None
        here = parent


def load_config(path: str | None) -> dict[str, object]:
    """The settings table of ``path`` (validated), or {} when there is none."""
    if path is None:
        return {}
    try:
        import tomllib  # type: ignore[import-not-found,unused-ignore]
    except ImportError:  # pragma: no cover (Python < 3.11)
        import tomli as tomllib  # type: ignore[no-redef,import-not-found,unused-ignore]
    try:
        with open(path, 'rb') as f:
            data = tomllib.load(f)
    except OSError as exc:
        raise ConfigError(f'{path}: cannot be read ({exc.strerror or exc})') from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f'{path}: invalid TOML ({exc})') from None
    if os.path.basename(path) == 'pyproject.toml':
        tool = data.get('tool', {})
        table = tool.get('dockhooks', {}) if isinstance(tool, dict) else {}
        where = f'{path} [tool.dockhooks]'
    else:
        table = data
        where = path
    if not isinstance(table, dict):
        raise ConfigError(f'{where}: must be a table')
    for key, value in table.items():
        opt = OPTIONS.get(key)
        if opt is None:
            known = ', '.join(sorted(OPTIONS))
            raise ConfigError(f'{where}: unknown setting {key!r} (known: {known})')
        _check_type(where, opt, value)
    return table


def _check_type(where: str, opt: Option, value: object) -> None:
    ok = {
        'bool': isinstance(value, bool),
        'str': isinstance(value, str),
        'path': isinstance(value, str) and value != '',
        'int': isinstance(value, int) and not isinstance(value, bool),
        'list': isinstance(value, list) and all(isinstance(v, str) for v in value),
        'table': isinstance(value, dict) and all(isinstance(v, str) for v in value.values()),
        'list-table': isinstance(value, dict) and all(
            isinstance(v, list) and all(isinstance(x, str) for x in v) for v in value.values()),
    }[opt.kind]
    if not ok:
        want = {'bool': 'true or false', 'str': 'a string', 'path': 'a file name',
                'int': 'an integer', 'list': 'a list of strings', 'table': 'a table of strings',
                'list-table': 'a table of lists of strings'}[opt.kind]
        raise ConfigError(f'{where}: {opt.name} must be {want}, not {value!r}')
    if not opt.choices:
        return
    values = [v.lower() for v in value.values()] if isinstance(value, dict) else [value]
    for v in values:
        if v not in opt.choices:
            raise ConfigError(f'{where}: {opt.name} must be one of {", ".join(opt.choices)}, '
                              f'not {v!r}')


def _table(opt: Option, config: object, cli: Iterable[str] | None) -> dict[str, str]:
    """A 'table' option: the config file's table, then KEY=VALUE items from the command line
    on top of it (key by key)."""
    table = {k: v.lower() for k, v in config.items()} if isinstance(config, dict) else {}
    for item in _split_list(cli or ()):
        key, sep, value = (s.strip() for s in item.partition('='))
        if not sep or not key or not value:
            raise ConfigError(f'--{opt.name} {item!r}: expected {opt.metavar}')
        if opt.choices and value.lower() not in opt.choices:
            raise ConfigError(f'--{opt.name} {item!r}: the value must be one of '
                              f'{", ".join(opt.choices)}')
        table[key] = value.lower()
    return table


def resolve(args: argparse.Namespace | SimpleNamespace,
            names: Iterable[str]) -> SimpleNamespace:
    """Option values: command line, else config file, else default, and ``config_dir``: the
    config file's folder (absolute; the working folder when there is no file), against which
    the file's paths and globs are read. Raises ConfigError."""
    path = getattr(args, 'config', None)
    if path is not None and not os.path.isfile(path):
        raise ConfigError(f'{path}: no such config file')
    if path is None:
        path = find_config()
    config = load_config(path)
    out = SimpleNamespace(config_dir=os.path.dirname(os.path.abspath(path)) if path
                          else os.path.abspath('.'))
    for name in names:
        opt = OPTIONS[name]
        dest = name.replace('-', '_')
        cli = getattr(args, dest, None)
        if opt.kind == 'table':
            value: object = _table(opt, config.get(name), cli)
        elif cli is not None:
            value = _split_list(cli) if opt.kind == 'list' else cli
        elif name in config:
            raw = config[name]
            value = tuple(raw) if isinstance(raw, list) else raw
            if opt.kind == 'path':
                value = os.path.join(out.config_dir, str(raw))
        else:
            value = opt.default
        if opt.kind == 'int' and isinstance(value, int) and value < 1:
            raise ConfigError(f'{name} must be at least 1, not {value}')
        setattr(out, dest, value)
    return out
