"""Build contexts: where they are, what a build sends from them, and what must stay out.

A build context is each compose ``build:`` context with its ``dockerfile:``, and for every
other Dockerfile the folder it is built from: the one its header comment documents
(``# docker build -f docker/Dockerfile .``), else the nearest of its own folder and the folders
above it (inside the repository) where the files its COPY/ADD sources name exist. A Dockerfile
whose named sources exist nowhere cannot be built as written and has no context to judge.

BuildKit sends only what the Dockerfile's COPY/ADD sources and bind mounts name, so an entry
is required only where a source can actually send it (:func:`required`): junk arises in
project folders (``node_modules`` beside a ``package.json``, ``.venv`` beside a Python
manifest, ``__pycache__`` beside ``.py`` files, logs and ``.env`` files in a project's root),
and a finding needs such a place inside what is sent. The ignore file is
``<Dockerfile>.dockerignore`` beside the Dockerfile where it exists (as BuildKit does), else
``.dockerignore`` at the context root.
"""
from __future__ import annotations

import os
import posixpath
import re
from collections.abc import Iterable
from collections.abc import Sequence
from typing import Any
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
    context). Any other Dockerfile is built from the folder :func:`build_root` finds. Builds
    that cannot run as written (a compose context or Dockerfile that does not exist, named
    sources found nowhere, a workspace package that needs its workspace) are left out, and
    so are test fixtures and devcontainers, which never ship ("What ships" in the README)."""
    from dockhooks._roles import role

    paths = [p for p in paths if role(p) not in _NOT_JUDGED]
    found: dict[tuple[str, str | None], Context] = {}
    compose = [c for c in _compose_contexts(paths)
               if c.dockerfile is None or role(c.dockerfile) not in _NOT_JUDGED]
    built = {_norm(ctx.dockerfile) for ctx in compose if ctx.dockerfile is not None}
    for path in paths:
        if kind_of(path) != 'dockerfile' or _norm(path) in built:
            continue
        root = build_root(path)
        if root is None or _needs_its_workspace(root):
            continue
        key: tuple[str, str | None] = (_norm(root), _norm(path))
        found.setdefault(key, Context(root, path, (path, 1, 1)))
    for ctx in compose:
        key = (_norm(ctx.root), None if ctx.dockerfile is None else _norm(ctx.dockerfile))
        found.setdefault(key, ctx)
    return list(found.values())


# Roles whose build contexts are not judged: nobody ships what they build.
_NOT_JUDGED = frozenset(('vendored', 'test', 'workspace'))


def _needs_its_workspace(root: str) -> bool:
    """A package of a JavaScript workspace that depends on its siblings (``workspace:``)
    builds only from the workspace's root, not from its own folder."""
    from dockhooks._text import InputError
    from dockhooks._text import read_text

    def text(path: str) -> str:
        try:
            return read_text(path) if os.path.isfile(path) else ''
        except InputError:
            return ''

    if 'workspace:' not in text(os.path.join(root, 'package.json')):
        return False
    return any(os.path.isfile(os.path.join(folder, 'pnpm-workspace.yaml'))
               or '"workspaces"' in text(os.path.join(folder, 'package.json'))
               for folder in _candidates(root)[1:])


class Source(NamedTuple):
    """A path a build reads from its context: a COPY/ADD source or a bind mount's source,
    cleaned and relative to the context root (``''`` is the whole context). ``glob`` when it
    holds wildcards (a variable of unknown value inside a name is one: ``app-$TARGETARCH``
    names one file, as ``app-*`` does); ``folder`` when written as a folder (``dir/``)."""

    pattern: str
    glob: bool
    folder: bool


_WILD = re.compile(r'[*?\[]')
_VAR = re.compile(r'\$\{[^}]*\}|\$[A-Za-z_][A-Za-z0-9_]*')


def _clean_source(source: str) -> str:
    clean = posixpath.normpath('./' + source.replace('\\', '/').lstrip('/'))
    return '' if clean == '.' else clean


def sources(dockerfile: str) -> list[Source] | None:
    """What a Dockerfile reads from its context: COPY/ADD sources (not ``--from``, URLs or
    heredocs) and ``RUN --mount=type=bind`` sources, variables expanded. A variable of unknown
    value inside a name is a wildcard for that name; a source that is only a variable cannot
    be known and is left out. None when the Dockerfile cannot be read. ONBUILD instructions
    read a later build's context, not this one."""
    from dockhooks._dockerfile import Dockerfile
    from dockhooks._dockerfile import unquote
    from dockhooks._hook import parse_file
    from dockhooks._text import InputError

    try:
        df = parse_file(dockerfile, 'dockerfile').doc
    except (InputError, RecursionError, OSError):
        return None
    assert isinstance(df, Dockerfile)
    raw: list[tuple[str, Any]] = []
    for ins in df.instructions:
        if ins.keyword in ('COPY', 'ADD') and 'from' not in ins.flags and not ins.heredocs:
            words = ins.json if ins.json is not None else \
                [unquote(w) for w in ins.args.split()]
            for word in words[:-1]:
                if ins.keyword == 'ADD' and re.match(r'[a-z][a-z0-9+.-]*://|git@', word, re.I):
                    continue
                raw.append((word, ins))
        elif ins.keyword == 'RUN':
            for mount in ins.mounts():
                if mount.get('type', 'bind') == 'bind' and 'from' not in mount:
                    raw.append((mount.get('source', mount.get('src', '')) or '.', ins))
    out: list[Source] = []
    for word, ins in raw:
        if '$' in word:
            value = ins.resolve(word)
            if value is None:
                if not _VAR.sub('', word).strip('/.'):
                    continue  # only a variable: cannot be known
                value = _VAR.sub('*', word)
            word = value
        clean = _clean_source(word)
        out.append(Source(clean, bool(_WILD.search(clean)), word.rstrip().endswith('/')))
    return out


def sends(srcs: Sequence[Source], path: str) -> bool:
    """Whether a source sends ``path`` (relative to the context root): it is the source, or
    lies under it, or a leading part of it matches the source's wildcards (a matched folder
    brings all it holds), as BuildKit copies."""
    import fnmatch

    parts = path.split('/')
    for src in srcs:
        if not src.pattern:
            return True
        if not src.glob:
            if path == src.pattern or path.startswith(src.pattern + '/'):
                return True
            continue
        pat = src.pattern.split('/')
        if len(parts) >= len(pat) and all(
                fnmatch.fnmatchcase(p, g) for p, g in zip(parts, pat)):
            return True
    return False


def _header_context(dockerfile: str, text: str) -> str | None:
    """The context a comment of the Dockerfile documents: ``docker build -f <this file>
    <context>`` (docker, buildx, podman), when the ``-f`` path is this file's own path."""
    import shlex

    for m in re.finditer(r'(?:docker|podman)\s+(?:buildx\s+)?build\b[^\n]*', text):
        try:
            words = shlex.split(m.group(0))
        except ValueError:
            continue
        given: str | None = None
        positional: list[str] = []
        k = 2
        while k < len(words):
            w = words[k]
            if w in ('-f', '--file') and k + 1 < len(words):
                given = words[k + 1]
                k += 2
                continue
            if w.startswith(('--file=', '-f=')):
                given = w.split('=', 1)[1]
            elif w.startswith('-'):
                if '=' not in w and k + 1 < len(words) and not words[k + 1].startswith('-') \
                        and w not in ('--no-cache', '--pull', '--load', '--push', '-q',
                                      '--quiet', '--rm'):
                    k += 1  # an option's value (-t name)
            elif w not in ('build', 'buildx'):
                positional.append(w)
            k += 1
        if given is None or not positional or '$' in given or '$' in positional[-1]:
            continue
        own = _norm(dockerfile)
        want = _norm(given)
        if own == want or own.endswith('/' + want):
            base = own[:len(own) - len(want)] or '.'
            return os.path.normpath(os.path.join(base, positional[-1]))
    return None


def _candidates(folder: str) -> list[str]:
    """``folder`` and the folders above it, up to the repository (or the current folder)."""
    from dockhooks._roles import relative

    depth = relative(os.path.join(folder, 'x')).count('/')
    out = [folder]
    for _ in range(depth):
        out.append(os.path.normpath(os.path.join(out[-1], '..')))
    return out


def _exists(root: str, src: Source) -> bool:
    import glob

    if not src.glob:
        return os.path.lexists(os.path.join(root, src.pattern))
    return bool(glob.glob(os.path.join(glob.escape(root), src.pattern)))


def build_root(dockerfile: str) -> str | None:
    """The folder a Dockerfile that no compose file builds is built from: the context its
    header documents, else the nearest of its own folder and the folders above it where the
    sources it names exist (``COPY go.mod oryx/go.mod`` from ``.docker/Dockerfile``: the
    repository root). None when its named sources exist nowhere: it cannot build as
    written (a leftover template, a build fed by CI artefacts)."""
    from dockhooks._text import InputError
    from dockhooks._text import read_text

    folder = os.path.dirname(dockerfile) or '.'
    try:  # read_text, not open: a FIFO named Dockerfile must not block
        header = _header_context(dockerfile, ''.join(
            line for line in read_text(dockerfile).splitlines(True)
            if line.lstrip().startswith('#')))
    except InputError:
        header = None
    if header is not None and os.path.isdir(header):
        return header
    named = [s for s in sources(dockerfile) or [] if s.pattern]
    if not named:
        return folder
    best, best_score = folder, -1
    for root in _candidates(folder):
        score = sum(_exists(root, s) for s in named)
        if score > best_score:
            best, best_score = root, score
        if score == len(named):
            break
    if best_score <= 0 or any(not s.glob and posixpath.basename(s.pattern) in _COMMITTED
                              and not _exists(best, s) for s in named):
        return None  # a lock file or manifest found nowhere: a leftover template
    return best


# Files a project commits: a build that copies one that exists nowhere cannot run (a build
# output such as `dist/` or `app.jar` may be made before `docker build`; these are not).
_COMMITTED = frozenset((
    'package.json', 'package-lock.json', 'npm-shrinkwrap.json', 'yarn.lock', 'pnpm-lock.yaml',
    'bun.lockb', 'bun.lock', 'requirements.txt', 'pyproject.toml', 'poetry.lock', 'uv.lock',
    'Pipfile', 'Pipfile.lock', 'Gemfile', 'Gemfile.lock', 'composer.json', 'composer.lock',
    'go.mod', 'go.sum', 'Cargo.toml', 'Cargo.lock', 'pom.xml', 'build.gradle', 'mix.exs',
    'mix.lock',
))


_MANIFESTS = {
    'node': re.compile(r'(^|/)package\.json$'),
    'python': re.compile(r'(^|/)(requirements[^/]*\.txt|pyproject\.toml|setup\.py|setup\.cfg|'
                         r'Pipfile|poetry\.lock|uv\.lock)$'),
}
_PROJECT = re.compile(
    r'(^|/)(package\.json|requirements[^/]*\.txt|pyproject\.toml|setup\.py|Pipfile|go\.mod|'
    r'Cargo\.toml|Gemfile|composer\.json|pom\.xml|build\.gradle(\.kts)?|[^/]*\.csproj|'
    r'mix\.exs|\.env[^/]*|[^/]*\.env)$')
_ENV_TEMPLATE = re.compile(r'(^|/)\.env\.[^/]+$')
_VCS_VERSIONING = re.compile(
    r'setuptools[_-]scm|hatch-vcs|versioningit|poetry-dynamic-versioning|dunamai|'
    r'git\s+describe|git\s+rev-parse|git\s+log\b|git history', re.I)


def _folders(files: Sequence[str], regex: re.Pattern[str]) -> list[str]:
    """The folders (``''`` or ``'x/y/'``) holding a file ``regex`` matches."""
    return list(dict.fromkeys(f[:f.rfind('/') + 1] for f in files
                              if regex.search(f) and '/node_modules/' not in f
                              and not f.startswith('node_modules/')))


def _tracked(root: str) -> set[str] | None:
    """The files git tracks in ``root`` (relative to it); None outside a repository."""
    import subprocess

    try:
        run = subprocess.run(('git', 'ls-files', '-z', '--', '.'), cwd=root,
                             capture_output=True, timeout=60, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    if run.returncode != 0:
        return None
    return {p for p in run.stdout.decode('utf-8', 'surrogateescape').split('\0') if p}


def _uses_git_history(ctx: Context, files: Sequence[str], srcs: Sequence[Source]) -> bool:
    """Whether the build needs the repository's history (versions from git tags)."""
    paths = [] if ctx.dockerfile is None else [ctx.dockerfile]
    paths += [os.path.join(ctx.root, name) for name in files
              if re.search(r'(^|/)(pyproject\.toml|setup\.cfg|setup\.py)$', name)
              and sends(srcs, name)]
    from dockhooks._text import InputError
    from dockhooks._text import read_text

    for path in paths:
        try:
            if _VCS_VERSIONING.search(read_text(path)):
                return True
        except InputError:
            continue
    return False


def _reincludes(kept: Sequence[str]) -> list[str]:
    """``!`` lines for committed env files: one glob per template kind (``.env.example``,
    ``web/.env.dev.example`` -> ``!**/.env*.example``), the others by path."""
    out: list[str] = []
    for f in kept:
        last = f.rsplit('.', 1)[-1]
        line = f'!**/.env*.{last}' if last in _TEMPLATE_WORDS else f'!{f}'
        if line not in out:
            out.append(line)
    return out[:6]


_TEMPLATE_WORDS = frozenset(('example', 'sample', 'template', 'dist', 'defaults', 'tmpl'))


def required(ctx: Context, extra: Sequence[str],
             listing: dict[str, list[str]] | None = None) -> list[Entry]:
    """The entries the ignore file of ``ctx`` must exclude, each with the paths (probes) a
    source of the build would send, where that junk arises; an entry no source can send is
    not required. ``listing`` caches the context folders' files across contexts."""
    listing = {} if listing is None else listing
    key = os.path.normpath(ctx.root)
    if key not in listing:
        listing[key] = list_files(ctx.root, skip_junk=True) if os.path.isdir(ctx.root) else []
    files = listing[key]
    if ctx.dockerfile is None:
        srcs: list[Source] = [Source('', False, True)]  # dockerfile_inline: cannot tell
    else:
        found = sources(ctx.dockerfile)
        srcs = [Source('', False, True)] if found is None else found
    projects = list(dict.fromkeys(['', *_folders(files, _PROJECT)]))
    out: list[Entry] = []
    for entry in REQUIRED:
        if entry.applies_to == 'git':
            probes = ['.git/HEAD'] if os.path.exists(os.path.join(ctx.root, '.git')) \
                and not _uses_git_history(ctx, files, srcs) else []
        elif entry.applies_to == 'node':
            probes = [f'{d}node_modules/x/index.js' for d in _folders(files, _MANIFESTS['node'])]
        elif entry.name == '.venv':
            probes = [f'{d}.venv/bin/python' for d in _folders(files, _MANIFESTS['python'])]
        elif entry.name == '__pycache__':
            folders = [d for d in _folders(files, re.compile(r'\.py$'))
                       if sends(srcs, d + 'm.py')]
            probes = [f'{d}__pycache__/m.cpython-313.pyc' for d in folders[:8]]
        else:
            probes = [d + p for d in projects for p in entry.probes]
        probes = [p for p in probes if sends(srcs, p)]
        if not probes:
            continue
        patterns = entry.patterns
        if entry.name == '.venv' and any(p != '.venv/bin/python' for p in probes):
            patterns = ('**/.venv',)
        if entry.name == '.env files':
            # committed templates and mode files (.env.example, web/.env.production) are
            # read by builds: keep them in the context after `**/.env.*`
            keep = [f for f in files if _ENV_TEMPLATE.search(f) and not f.endswith('.local')
                    and sends(srcs, f)]
            tracked = _tracked(ctx.root) if keep else None  # git only when there are some
            patterns = (*patterns, *_reincludes(
                [f for f in keep if tracked is None or f in tracked]))
        out.append(entry._replace(probes=tuple(probes), patterns=patterns))
    return out + [extra_entry(p) for p in extra
                  if sends(srcs, extra_entry(p).probes[0])]


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
