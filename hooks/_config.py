"""Options and configuration.

Every option of every rule is declared here once. A hook takes its own options on the command
line (``args:`` in ``.pre-commit-config.yaml``); settings shared by several hooks can live in
``[tool.dockhooks]`` of the repository's ``pyproject.toml`` or at the top level of
``.dockhooks.toml``. The command line wins over the file, the file over the default.
"""
from __future__ import annotations

import argparse
import os
from collections.abc import Iterable
from types import SimpleNamespace
from typing import NamedTuple


class ConfigError(Exception):
    """Invalid configuration or option value: exit 2."""


class Option(NamedTuple):
    name: str        # kebab case: the CLI flag without '--' and the config key
    kind: str        # 'bool' | 'str' | 'int' | 'list'
    default: object
    help: str
    metavar: str = 'VALUE'


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
    Option('max-consecutive', 'int', 2,
           'how many RUN instructions in a row are allowed (default 2)', 'N'),
    Option('select', 'list', (), 'only report these codes (comma-separated)', 'CODES'),
    Option('ignore', 'list', (), 'never report these codes (comma-separated)', 'CODES'),
)}
CONFIG_FILES = ('.dockhooks.toml', 'pyproject.toml')


def add_arguments(parser: argparse.ArgumentParser, names: Iterable[str]) -> None:
    for name in names:
        opt = OPTIONS[name]
        dest = name.replace('-', '_')
        if opt.kind == 'bool':
            parser.add_argument(f'--{name}', dest=dest, action='store_true', default=None,
                                help=opt.help)
        elif opt.kind == 'list':
            parser.add_argument(f'--{name}', dest=dest, action='append', default=None,
                                metavar=opt.metavar, help=opt.help)
        elif opt.kind == 'int':
            parser.add_argument(f'--{name}', dest=dest, type=int, default=None,
                                metavar=opt.metavar, help=opt.help)
        else:
            parser.add_argument(f'--{name}', dest=dest, default=None, metavar=opt.metavar,
                                help=opt.help)
    parser.add_argument('--config', metavar='FILE',
                        help='read settings from FILE instead of looking for '
                             '.dockhooks.toml / pyproject.toml')


def _split_list(values: Iterable[str]) -> tuple[str, ...]:
    out: list[str] = []
    for v in values:
        out.extend(x.strip() for x in v.split(',') if x.strip())
    return tuple(out)


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
        'int': isinstance(value, int) and not isinstance(value, bool),
        'list': isinstance(value, list) and all(isinstance(v, str) for v in value),
    }[opt.kind]
    if not ok:
        want = {'bool': 'true or false', 'str': 'a string', 'int': 'an integer',
                'list': 'a list of strings'}[opt.kind]
        raise ConfigError(f'{where}: {opt.name} must be {want}, not {value!r}')


def resolve(args: argparse.Namespace, names: Iterable[str]) -> SimpleNamespace:
    """Option values: command line, else config file, else default. Raises ConfigError."""
    path = getattr(args, 'config', None)
    if path is not None and not os.path.isfile(path):
        raise ConfigError(f'{path}: no such config file')
    config = load_config(path if path is not None else find_config())
    out = SimpleNamespace()
    for name in names:
        opt = OPTIONS[name]
        dest = name.replace('-', '_')
        cli = getattr(args, dest, None)
        if cli is not None:
            value: object = _split_list(cli) if opt.kind == 'list' else cli
        elif name in config:
            raw = config[name]
            value = tuple(raw) if isinstance(raw, list) else raw
        else:
            value = opt.default
        if opt.kind == 'int' and isinstance(value, int) and value < 1:
            raise ConfigError(f'{name} must be at least 1, not {value}')
        setattr(out, dest, value)
    return out
