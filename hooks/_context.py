"""Build contexts: where they are, which ignore file Docker uses, and what it must exclude.

A build context is each compose ``build:`` context with its ``dockerfile:``, and the own
folder of every Dockerfile no compose file builds (the `docker build .` convention; the
parent folder when its COPY sources name the Dockerfile's folder from there). The ignore
file is ``<Dockerfile>.dockerignore`` beside the Dockerfile where it exists (as BuildKit
does), else ``.dockerignore`` at the context root. ``takes_folders`` says whether the ignore
file matters: whether the Dockerfile copies more than named files.
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
            return os.path.normpath(os.path.join(self.root, '.dockerignore'))
        return os.path.normpath(ignore_file_for(self.dockerfile, self.root))


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
# `npm install -g pnpm` installs a tool into the image, not a project's node_modules.
_GLOBAL_INSTALL = re.compile(r'\b(npm|pnpm)\s+(i|install|add)\s+(-[-\w=]+\s+)*(-g|--global)\b')


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
        text = _GLOBAL_INSTALL.sub('', text)
        for eco, regex in _EVIDENCE_TEXT.items():
            if regex.search(text):
                found.add(eco)
    return found


def _norm(path: str) -> str:
    return posixpath.normpath(path.replace(os.sep, '/'))


def _includes(doc: object, base: str,
              env: dict[str, str | None] | None) -> list[tuple[str, str | None]]:
    """(included file, its project directory or None) for a compose file's ``include``,
    resolved against ``base`` (the including file's project directory)."""
    from dockhooks._compose import value_str

    out: list[tuple[str, str | None]] = []
    items = doc.get('include') if isinstance(doc, dict) else None
    for item in items if isinstance(items, list) else []:
        if isinstance(item, dict):
            paths = item.get('path')
            project = value_str(item.get('project_directory'), env)
        else:
            paths, project = item, None
        for raw in paths if isinstance(paths, list) else [paths]:
            text = value_str(raw, env)
            if text and '://' not in text:
                out.append((os.path.normpath(os.path.join(base, text)),
                            None if project is None else
                            os.path.normpath(os.path.join(base, project))))
    return out


# A compose file without these words builds nothing and includes nothing.
_MAY_BUILD = re.compile(r'\b(build|include|extends)\b')


def _compose_contexts(paths: list[str]) -> list[Context]:
    """The context of each local ``build:`` of the compose files among ``paths`` and the
    files they ``include``. Relative paths resolve against the file's project
    directory: its own folder, or the ``project_directory`` its ``include`` entry gives
    (laradock's services each live in ``name/compose.yml`` with ``context: ./name``)."""
    from dockhooks._compose import ComposeFile
    from dockhooks._hook import parse_file
    from dockhooks._text import InputError
    from dockhooks._text import read_text

    queue = [p for p in paths if kind_of(p) == 'compose']
    project_dir: dict[str, str] = {}
    parsed: dict[str, ComposeFile] = {}
    k = 0
    while k < len(queue):  # included files first get their project directory, then parse
        path = queue[k]
        k += 1
        key = _norm(path)
        if key in parsed:
            continue
        try:
            if not _MAY_BUILD.search(read_text(path)):
                continue  # no build, include or extends: no context, and no YAML to parse
            cf = parse_file(path, 'compose').doc
        except (InputError, RecursionError):
            continue  # the compose rules report it
        assert isinstance(cf, ComposeFile)
        parsed[key] = cf
        base = project_dir.get(key, os.path.dirname(path))
        for doc in cf.documents:
            for included, project in _includes(doc, base, cf.env):
                if project is not None:
                    project_dir.setdefault(_norm(included), project)
                if os.path.isfile(included) and _norm(included) not in parsed:
                    queue.append(included)
    out: list[Context] = []
    for key, cf in parsed.items():
        base = project_dir.get(key, os.path.dirname(cf.path))
        for service in cf.services:
            build = service.build
            if build is None or not build.known or '://' in build.context \
                    or build.context.startswith('git@'):
                continue
            root = os.path.normpath(os.path.join(base, build.context))
            dockerfile = None if build.inline or build.dockerfile is None else \
                os.path.normpath(os.path.join(root, build.dockerfile))
            if not os.path.isdir(root) or (dockerfile and not os.path.isfile(dockerfile)):
                continue  # the build cannot run as written: nothing to judge
            origin = (dockerfile, 1, 1) if dockerfile else (cf.path, build.line, 1)
            out.append(Context(root, dockerfile, origin))
    return out


def discover(paths: Iterable[str]) -> list[Context]:
    """Contexts of the Dockerfiles and compose files among ``paths`` (deduplicated).

    A Dockerfile that a compose file among ``paths`` builds has the contexts compose gives
    it (``context: ..`` with ``dockerfile: docker/Dockerfile``: its own folder is no
    context). Any other Dockerfile is built from its own folder, unless its COPY sources name
    that folder from a parent (``docker/Dockerfile`` with ``COPY docker/start.py``: built from
    the parent). Compose contexts that do not exist, or whose Dockerfile does not, are left
    out: such a build cannot run as written."""
    paths = list(paths)
    found: dict[tuple[str, str | None], Context] = {}
    compose = _compose_contexts(paths)
    built = {_norm(ctx.dockerfile) for ctx in compose if ctx.dockerfile is not None}
    for path in paths:
        if kind_of(path) != 'dockerfile' or _norm(path) in built:
            continue
        root = _parent_context(path) or os.path.dirname(path) or '.'
        key: tuple[str, str | None] = (_norm(root), _norm(path))
        found.setdefault(key, Context(root, path, (path, 1, 1)))
    for ctx in compose:
        key = (_norm(ctx.root), None if ctx.dockerfile is None else _norm(ctx.dockerfile))
        found.setdefault(key, ctx)
    return list(found.values())


# COPY/ADD sources that are a whole folder: the context root itself, or everything in it.
_WHOLE = frozenset(('.', '*', '**', '.*'))


def _sources(dockerfile: str) -> list[str | None] | None:
    """The build-context paths a Dockerfile reads: COPY/ADD sources (not ``--from``, URLs or
    heredocs) and ``RUN --mount=type=bind`` sources, variables expanded (None: unknown);
    None when the Dockerfile cannot be read. ONBUILD instructions read a later build's
    context, not this one."""
    from dockhooks._dockerfile import Dockerfile
    from dockhooks._dockerfile import unquote
    from dockhooks._hook import parse_file
    from dockhooks._text import InputError

    try:
        df = parse_file(dockerfile, 'dockerfile').doc
    except (InputError, RecursionError, OSError):
        return None
    assert isinstance(df, Dockerfile)
    out: list[str | None] = []
    for ins in df.instructions:
        if ins.keyword in ('COPY', 'ADD') and 'from' not in ins.flags and not ins.heredocs:
            words = ins.json if ins.json is not None else \
                [unquote(w) for w in ins.args.split()]
            for word in words[:-1]:
                if ins.keyword == 'ADD' and re.match(r'[a-z][a-z0-9+.-]*://|git@', word, re.I):
                    continue
                out.append(ins.resolve(word) if '$' in word else word)
        elif ins.keyword == 'RUN':
            for mount in ins.mounts():
                if mount.get('type', 'bind') == 'bind' and 'from' not in mount:
                    word = mount.get('source', mount.get('src', '')) or '.'
                    out.append(ins.resolve(word) if '$' in word else word)
    return out


def _clean_source(source: str) -> str:
    return posixpath.normpath('./' + source.replace('\\', '/').lstrip('/'))


def _parent_context(dockerfile: str) -> str | None:
    """The parent folder a Dockerfile is evidently built from: a COPY source that is missing
    from its own folder starts with the last parts of that folder's path (``docker/start.py``
    for ``repo/docker/Dockerfile``), so the build runs from the folder above them."""
    folder = os.path.dirname(dockerfile) or '.'
    # never above the cwd (the repository): a root Dockerfile copying `<repo name>/x` stays
    where = os.path.relpath(os.path.abspath(folder))
    if where.split(os.sep)[0] == '..':
        where = os.path.abspath(folder)
    parts = [p for p in _norm(where).split('/') if p not in ('', '.')]
    for source in _sources(dockerfile) or []:
        if source is None:
            continue
        clean = _clean_source(source)
        first = clean.split('/')
        if len(first) < 2 or first[0] == '..' or os.path.lexists(os.path.join(folder, clean)):
            continue
        for n in range(min(len(parts), len(first) - 1), 0, -1):
            if parts[-n:] == first[:n]:
                up = os.path.normpath(os.path.join(folder, *(['..'] * n)))
                return up if os.path.isdir(up) else None
    return None


def _takes_folder(root: str, source: str | None) -> bool:
    """Whether a COPY source can bring in more than named files: the whole context, a
    folder, a glob that matches folders or ends in a bare ``*``, or an unknown value."""
    if source is None:
        return True  # a variable without a known value
    clean = _clean_source(source)
    if clean in _WHOLE or clean.startswith('../') or clean == '..':
        return True
    name = clean.rsplit('/', 1)[-1]
    if any(c in clean for c in '*?['):
        import glob

        if any(os.path.isdir(m) for m in glob.glob(os.path.join(glob.escape(root), clean))):
            return True
        literal = re.sub(r'[*?]|\[[^]]*\]', '', name)  # `*.sh`: files; `*`, `.*`: anything
        return literal in ('', '.') or '.' not in literal
    path = os.path.join(root, clean)
    if os.path.isdir(path):
        return True
    if os.path.lexists(path):
        return False
    # missing: generated by an earlier step (`pihole-FTL`, `dist`), or the folder is not
    # really the context; a folder only when written as one
    return source.rstrip().endswith('/')


def takes_folders(ctx: Context) -> bool:
    """Whether the build can bring arbitrary files of the context into the image: some
    COPY/ADD or bind mount reads the whole context, a folder, or a folder glob. A Dockerfile
    that copies only named files (or nothing) needs no ignore file: BuildKit sends only the
    paths the Dockerfile names. Unknown (inline or unreadable Dockerfile): True."""
    if ctx.dockerfile is None:
        return True
    sources = _sources(ctx.dockerfile)
    if sources is None:
        return True
    return any(_takes_folder(ctx.root, s) for s in sources)


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
