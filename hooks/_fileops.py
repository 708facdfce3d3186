"""What the commands of a RUN do to files: the paths they create, remove and change.

Read from the commands ``_shell`` splits, never by running them. A path is reported as the
command names it, made absolute against the folder the command runs in (WORKDIR, then each
``cd``) and with its variables expanded as the instruction sees them; a path whose variables
cannot be known, or a relative path in an unknown folder, is left out. Globs stay globs.
"""
from __future__ import annotations

import fnmatch
import os
import posixpath
from collections.abc import Callable
from collections.abc import Iterable

from dockhooks._records import TYPE_CHECKING
from dockhooks._records import NamedTuple

if TYPE_CHECKING:
    from dockhooks._shell import Command


class PathOp(NamedTuple):
    path: str
    # what the command does to it: 'makes' (an empty folder or file: mkdir, touch), 'writes'
    # (content: a download, a clone, an extraction, a copy, a build output, a redirection),
    # 'removes' (rm, find -delete), 'moves' (mv's sources), 'chmod', 'chown', 'rewrites'
    # (sed -i, truncate, a redirection into it)
    verb: str


CREATING = frozenset(('makes', 'writes'))

# options that take a value, per command (the value is not a path operand)
_VALUES = {
    'mkdir': frozenset(('-m', '--mode', '--context')),
    'git': frozenset(('-b', '--branch', '--depth', '-c', '--config', '--origin', '-o',
                      '--reference', '--separate-git-dir', '--filter', '-j', '--jobs',
                      '--template', '-u', '--upload-pack', '--shallow-since',
                      '--shallow-exclude')),
    'cp': frozenset(('-t', '--target-directory', '-S', '--suffix')),
    'mv': frozenset(('-t', '--target-directory', '-S', '--suffix')),
    'ln': frozenset(('-t', '--target-directory', '-S', '--suffix')),
    'install': frozenset(('-m', '--mode', '-o', '--owner', '-g', '--group', '-t',
                          '--target-directory', '-S', '--suffix')),
    'chmod': frozenset(()),
    'chown': frozenset(()),
    'sed': frozenset(('-e', '--expression', '-f', '--file', '-l', '--line-length')),
    'truncate': frozenset(('-s', '--size', '-r', '--reference')),
    'tar': frozenset(('-f', '--file', '-C', '--directory', '-T', '--files-from', '-X',
                      '--exclude-from', '-b', '--blocking-factor')),
    'unzip': frozenset(('-d', '-x')),
}


def _operands(argv: tuple[str, ...], values: frozenset[str]) -> list[str]:
    """The non-option words after the command name."""
    out: list[str] = []
    skip = False
    done = False
    for a in argv[1:]:
        if skip:
            skip = False
        elif done or a == '-' or not a.startswith('-'):
            out.append(a)
        elif a == '--':
            done = True
        elif a in values:
            skip = True
    return out


def _option(argv: tuple[str, ...], names: Iterable[str]) -> str | None:
    """The value of the last of ``names`` (``-o X``, ``--output=X``, ``-oX`` for short)."""
    found = None
    names = tuple(names)
    for k, a in enumerate(argv):
        for name in names:
            if a == name and k + 1 < len(argv):
                found = argv[k + 1]
            elif name.startswith('--') and a.startswith(name + '='):
                found = a[len(name) + 1:]
            elif not name.startswith('--') and len(name) == 2 and a.startswith(name) \
                    and len(a) > 2 and not a.startswith('--'):
                found = a[2:]
    return found


def _url_name(url: str) -> str:
    return posixpath.basename(url.split('?', 1)[0].split('#', 1)[0].rstrip('/'))


def _ops(argv: tuple[str, ...]) -> Iterable[tuple[str, str]]:
    """(path as written, verb) for one command; ``cd`` is handled by the caller."""
    name = os.path.basename(argv[0])
    if name in ('mkdir', 'touch'):
        for a in _operands(argv, _VALUES.get(name, frozenset())):
            yield a, 'makes'
    elif name == 'curl':
        out = _option(argv, ('-o', '--output'))
        if out is not None:
            yield out, 'writes'
        elif '-O' in argv or '--remote-name' in argv:
            urls = [a for a in argv[1:] if '://' in a]
            if urls:
                yield _url_name(urls[-1]), 'writes'
    elif name == 'wget':
        out = _option(argv, ('-O', '--output-document'))
        urls = [a for a in argv[1:] if '://' in a]
        if out is not None:
            yield out, 'writes'
        elif urls:
            folder = _option(argv, ('-P', '--directory-prefix')) or '.'
            yield posixpath.join(folder, _url_name(urls[-1])), 'writes'
    elif name == 'git' and 'clone' in argv[1:3]:
        rest = _operands(argv[argv.index('clone'):], _VALUES['git'])
        if len(rest) >= 2:
            yield rest[1], 'writes'
        elif rest:
            repo = _url_name(rest[0])
            yield (repo[:-4] if repo.endswith('.git') else repo), 'writes'
    elif name == 'tar':
        first = argv[1] if len(argv) > 1 else ''
        short = ''.join(a[1:] for a in argv[1:] if a.startswith('-') and not a.startswith('--'))
        if not first.startswith('-'):
            short += first  # old style: tar xzf archive
        into = _option(argv, ('-C', '--directory'))
        if into is not None and ('x' in short or '--extract' in argv or '--get' in argv):
            yield into, 'writes'
        elif 'c' in short or '--create' in argv:
            archive = _option(argv, ('--file',))
            for k, a in enumerate(argv[1:], 1):  # -czf ARCHIVE, czf ARCHIVE, -f ARCHIVE
                if not a.startswith('--') and a.endswith('f') and (
                        a.startswith('-') or k == 1) and k + 1 < len(argv):
                    archive = argv[k + 1]
            if archive is not None:
                yield archive, 'writes'
    elif name == 'unzip':
        into = _option(argv, ('-d',))
        if into is not None:
            yield into, 'writes'
    elif name in ('cp', 'ln', 'install', 'rsync'):
        target = _option(argv, ('-t', '--target-directory'))
        rest = _operands(argv, _VALUES.get(name, frozenset()))
        if target is not None:
            yield target, 'writes'
        elif len(rest) >= 2:
            yield rest[-1], 'writes'
    elif name == 'mv':
        rest = _operands(argv, _VALUES['mv'])
        if len(rest) >= 2:
            for a in rest[:-1]:
                yield a, 'moves'
            yield rest[-1], 'writes'
    elif name == 'go' and argv[1:2] == ('build',):
        out = _option(argv, ('-o',))
        if out is not None:
            yield out, 'writes'
    elif name in ('chmod', 'chown', 'chgrp'):
        rest = _operands(argv, frozenset())
        has_reference = any(a.startswith('--reference') for a in argv)
        for a in rest if has_reference else rest[1:]:
            yield a, 'chmod' if name == 'chmod' else 'chown'
    elif name == 'sed' and any(a == '-i' or a.startswith(('-i', '--in-place'))
                               for a in argv[1:] if not a.startswith('--e')):
        rest = _operands(argv, _VALUES['sed'])
        scripted = any(a in ('-e', '--expression', '-f', '--file') or
                       a.startswith(('--expression=', '--file=')) for a in argv)
        for a in rest if scripted else rest[1:]:
            yield a, 'rewrites'
    elif name == 'truncate':
        for a in _operands(argv, _VALUES['truncate']):
            yield a, 'rewrites'
    elif name == 'rm':
        for a in _operands(argv, frozenset()):
            yield a, 'removes'
    elif name == 'find' and ('-delete' in argv or ('-exec' in argv and 'rm' in argv)):
        for a in argv[1:]:
            if a.startswith(('-', '(', '!')):
                break
            yield a, 'removes'


def path_ops(commands: Iterable[Command], cwd: str | None,
             resolve: Callable[[str], str | None]) -> list[PathOp]:
    """What ``commands`` (one RUN's, in order) do to paths, starting in folder ``cwd``
    (None: unknown). ``resolve`` expands a word's variables (None: cannot be known)."""
    out: list[PathOp] = []
    for command in commands:
        argv = command.argv
        if not argv:
            continue
        if argv[0] == 'cd':
            target = resolve(argv[1]) if len(argv) == 2 else None
            cwd = absolute(cwd, target) if target is not None else None
            continue
        found = list(_ops(argv))
        # a redirection writes the file, and rewrites one an earlier layer holds
        found += [(w, v) for w in command.writes for v in ('writes', 'rewrites')]
        for word, verb in found:
            value = resolve(word) if '$' in word else word
            if value == '-':
                continue  # standard output
            path = absolute(cwd, value)
            if path is not None and not path.startswith('/dev/') and path != '/dev':
                out.append(PathOp(path, verb))
    return out


def absolute(cwd: str | None, path: str | None) -> str | None:
    """``path`` as an absolute path in the image, a relative one read against folder ``cwd``
    (None: the path or the folder cannot be known; ``~`` is not read)."""
    if not path or path.startswith('~'):
        return None
    if not path.startswith('/'):
        if cwd is None:
            return None
        path = posixpath.join(cwd, path)
    return posixpath.normpath(path)


def covers(changed: str, created: str) -> bool:
    """Whether a change to path ``changed`` (a glob or a folder) reaches ``created``."""
    if changed == created:
        return True
    if created.startswith(changed.rstrip('/') + '/'):
        return True
    if any(c in changed for c in '*?['):
        parts = created.split('/')
        return any(fnmatch.fnmatchcase('/'.join(parts[:k]), changed)
                   for k in range(2, len(parts) + 1))
    return False


def removes_paths(commands: Iterable[Command]) -> list[str]:
    """Every path operand of the ``rm`` commands, in order, globs and variables as written,
    and the starting points of ``find ... -delete`` / ``find ... -exec rm``."""
    return [word for command in commands if command.argv
            for word, verb in _ops(command.argv) if verb == 'removes']
