"""Build contexts: where they are, which ignore file Docker uses, and what it must exclude.

A build context is each folder holding a Dockerfile (built from its own folder, the
`docker build .` convention) and each compose ``build:`` context with its ``dockerfile:``.
The ignore file is ``<Dockerfile>.dockerignore`` beside the Dockerfile where it exists (as
BuildKit does), else ``.dockerignore`` at the context root.
"""
from __future__ import annotations

import os
import posixpath
import re
from collections.abc import Iterable
from collections.abc import Sequence
from typing import NamedTuple

from dockhooks._files import kind_of


class Context(NamedTuple):
    root: str                 # the context folder, as a path usable from the cwd
    dockerfile: str | None    # the Dockerfile path (None for dockerfile_inline)
    origin: tuple[str, int, int]  # where a missing ignore file is reported: path, line, col

    @property
    def ignore_path(self) -> str:
        from dockhooks._dockerignore import ignore_file_for

        if self.dockerfile is None:
            return os.path.join(self.root, '.dockerignore')
        return ignore_file_for(self.dockerfile, self.root)


class Entry(NamedTuple):
    """A required exclusion: its name in messages, the patterns to add, paths it must cover,
    and what the context must show for it to apply (None: every context; 'git': the
    context root holds the repository's .git)."""

    name: str
    patterns: tuple[str, ...]
    probes: tuple[str, ...]
    applies_to: str | None = None


REQUIRED: tuple[Entry, ...] = (
    Entry('.git', ('.git',), ('.git/HEAD',), 'git'),
    Entry('node_modules', ('**/node_modules',),
          ('node_modules/x/index.js', 'web/node_modules/x/index.js'), 'node'),
    Entry('.venv', ('.venv',), ('.venv/bin/python',), 'python'),
    Entry('__pycache__', ('**/__pycache__',),
          ('__pycache__/m.cpython-313.pyc', 'app/__pycache__/m.cpython-313.pyc'), 'python'),
    Entry('log files', ('**/*.log',), ('debug.log', 'logs/app.log')),
    Entry('.env files', ('**/.env', '**/.env.*'),
          ('.env', 'config/.env', '.env.local', 'config/.env.production')),
)

# What in a context's files or its Dockerfile shows which ecosystem it belongs to.
_EVIDENCE_FILES = {
    'node': re.compile(r'(^|/)(package\.json|yarn\.lock|pnpm-lock\.yaml|\.nvmrc)$'),
    'python': re.compile(r'(\.py|(^|/)(requirements[^/]*\.txt|pyproject\.toml|setup\.cfg|'
                         r'Pipfile|poetry\.lock|uv\.lock))$'),
}
# Only package-manager commands count: `apk add python3` for node-gyp is not a Python app.
_EVIDENCE_TEXT = {
    'node': re.compile(r'\b(npm|yarn|pnpm)\s+(ci|i|install|run|build)\b'),
    'python': re.compile(r'\b(pip3?\s+install|poetry\s+install|pipenv\s+(install|sync)|'
                         r'uv\s+(sync|pip)|requirements[-\w]*\.txt)'),
}


def extra_entry(pattern: str) -> Entry:
    """A configured extra entry; its probe is a path the pattern must exclude."""
    probe = pattern.lstrip('/').replace('**/', '').replace('*', 'x').replace('?', 'x')
    return Entry(pattern, (pattern,), (probe,))


def ecosystems(ctx: Context, files: Sequence[str]) -> set[str]:
    """Ecosystems a context shows: by its files (paths relative to the context) and by the
    commands in its Dockerfile."""
    found: set[str] = set()
    if os.path.exists(os.path.join(ctx.root, '.git')):
        found.add('git')
    if os.path.isdir(os.path.join(ctx.root, 'node_modules')):
        found.add('node')
    for eco, regex in _EVIDENCE_FILES.items():
        if any(regex.search(f) for f in files if '/node_modules/' not in f):
            found.add(eco)
    if ctx.dockerfile is not None and os.path.isfile(ctx.dockerfile):
        try:
            with open(ctx.dockerfile, encoding='utf-8', errors='replace') as f:
                text = f.read(1_000_000)
        except OSError:
            text = ''
        for eco, regex in _EVIDENCE_TEXT.items():
            if regex.search(text):
                found.add(eco)
    return found


def _norm(path: str) -> str:
    return posixpath.normpath(path.replace(os.sep, '/'))


def discover(paths: Iterable[str]) -> list[Context]:
    """Contexts of the Dockerfiles and compose files among ``paths`` (deduplicated)."""
    from dockhooks._text import InputError

    found: dict[tuple[str, str | None], Context] = {}
    for path in paths:
        kind = kind_of(path)
        if kind == 'dockerfile':
            root = os.path.dirname(path) or '.'
            key: tuple[str, str | None] = (_norm(root), _norm(path))
            found.setdefault(key, Context(root, path, (path, 1, 1)))
        elif kind == 'compose':
            from dockhooks._compose import ComposeFile
            from dockhooks._hook import parse_file

            try:
                cf = parse_file(path, 'compose').doc
            except (InputError, RecursionError):
                continue  # the compose rules report it
            assert isinstance(cf, ComposeFile)
            base = os.path.dirname(path)
            for service in cf.services:
                build = service.build
                if build is None or not build.known or '://' in build.context \
                        or build.context.startswith('git@'):
                    continue
                root = os.path.normpath(os.path.join(base, build.context))
                dockerfile = None if build.inline or build.dockerfile is None else \
                    os.path.normpath(os.path.join(root, build.dockerfile))
                key = (_norm(root), None if dockerfile is None else _norm(dockerfile))
                origin = (dockerfile, 1, 1) if dockerfile and os.path.isfile(dockerfile) \
                    else (path, build.line, 1)
                found.setdefault(key, Context(root, dockerfile, origin))
    return list(found.values())


def list_files(root: str, *, skip_junk: bool = False) -> list[str]:
    """Files under ``root`` relative to it, as Docker would send them before ignoring: the
    real file system, symlinked folders not entered. ``skip_junk`` leaves out `.git`,
    `node_modules` and the like (enough to see what a context is made of)."""
    from dockhooks._files import SKIP_DIRS

    out: list[str] = []
    for dirpath, dirs, files in os.walk(root):
        rel = os.path.relpath(dirpath, root)
        prefix = '' if rel == '.' else rel.replace(os.sep, '/') + '/'
        if skip_junk:
            dirs[:] = [d for d in dirs if d not in SKIP_DIRS]
        dirs.sort()
        for name in sorted(files):
            out.append(prefix + name)
    return out
