"""Build contexts: where they are, what a build sends from them, and what must stay out.

A build context is each compose ``build:`` context with its ``dockerfile:``. Any other
Dockerfile's context must be known, not guessed (:func:`build_roots`): the build commands the
repository writes down for it (``docker build -f cmd/migrate/Dockerfile .`` in a Makefile, a
script, a CI workflow, bake, skaffold, a Tiltfile: see ``_buildcmds``), else the command its
header documents, else the one folder where the paths it uses resolve (its named COPY
sources; the paths its RUN, ``COPY --from``, VOLUME and WORKDIR use inside its whole-context
copy); else its own folder when that is the repository's root or holds the project's
manifest. ``COPY . X`` alone says nothing about where the context is: such a Dockerfile in
any other folder is not judged.

BuildKit sends only what the Dockerfile's COPY/ADD sources and bind mounts name, so an entry
is required only where a source can actually send it (:func:`required`), in the places the
files show that junk arises: ``node_modules`` beside a ``package.json``, ``.venv`` beside a
Python manifest, ``__pycache__`` beside ``.py`` files, ``.env`` files where a template, a
compose ``env_file:``, a dotenv library, a ``.gitignore`` line or the files themselves show
them, log files where a ``.gitignore`` line, a logs folder, the Dockerfile or a compose
volume shows them. The ignore file is ``<Dockerfile>.dockerignore`` beside the Dockerfile
where it exists (as BuildKit does), else ``.dockerignore`` at the context root.
"""
from __future__ import annotations

import os
import posixpath
import re
from collections.abc import Callable
from collections.abc import Iterable
from collections.abc import Sequence

from dockhooks._files import kind_of
from dockhooks._records import TYPE_CHECKING
from dockhooks._records import NamedTuple

if TYPE_CHECKING:
    from typing import Any


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
    what the context must show for it to apply (None: every context; 'git': the context root
    holds the repository's .git), and for each probe what shows that it arises there (for
    log and .env files: ``from .env.example``, ``a compose env_file``)."""

    name: str
    patterns: tuple[str, ...]
    probes: tuple[str, ...]
    applies_to: str | None = None
    whys: tuple[str, ...] = ()


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


# A compose file without these words builds nothing, includes nothing and shows no env
# file or logs folder.
_MAY_BUILD = re.compile(r'\b(build|include|extends)\b')
_MAY_SHOW = re.compile(r'\benv_file\b|[./]logs?/?[\'"]?\s*:')


def _compose_files(paths: list[str]) -> list[tuple[Any, str]]:
    """(parsed compose file, its project directory) for the compose files among ``paths``
    and the files they ``include``: its own folder, or the ``project_directory`` its
    ``include`` entry gives (laradock's services each live in ``name/compose.yml`` with
    ``context: ./name``). Files that can show nothing about build contexts are not parsed."""
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
            text = read_text(path)
            if not _MAY_BUILD.search(text) and not _MAY_SHOW.search(text):
                continue  # nothing to read: no YAML to parse
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
    return [(cf, project_dir.get(key, os.path.dirname(cf.path))) for key, cf in parsed.items()]


def _compose_contexts(files: list[tuple[Any, str]]) -> list[Context]:
    """The context of each local ``build:`` of the compose files; relative paths resolve
    against the file's project directory."""
    out: list[Context] = []
    for cf, base in files:
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


class Shown(NamedTuple):
    """What the compose files of the repository show about files in the tree, by absolute
    path: env files services read (``env_file:``) and logs folders they mount."""

    env_files: dict[str, str]
    log_folders: dict[str, str]


def compose_shows(paths: Iterable[str]) -> Shown:
    """The env files and logs folders the compose files among ``paths`` name."""
    shown = Shown({}, {})
    for cf, base in _compose_files(list(paths)):
        for service in cf.services:
            env_file = service.get('env_file')
            items = env_file if isinstance(env_file, list) else [env_file]
            for item in items:
                raw = item.get('path') if isinstance(item, dict) else item
                text = service.value_str(raw) if isinstance(raw, str) else None
                if text and '$' not in text:
                    shown.env_files.setdefault(
                        os.path.abspath(os.path.join(base, text)), 'a compose env_file')
            for host, _ in service.bind_mounts():
                name = posixpath.basename(host.rstrip('/'))
                if host.startswith('.') and name in _LOG_FOLDERS and '$' not in host:
                    shown.log_folders.setdefault(
                        os.path.abspath(os.path.join(base, host)), 'a compose volume')
    return shown


def discover(paths: Iterable[str]) -> list[Context]:
    """Contexts of the Dockerfiles and compose files among ``paths`` (deduplicated).

    A Dockerfile that a compose file among ``paths`` builds has the contexts compose gives
    it (``context: ..`` with ``dockerfile: docker/Dockerfile``: its own folder is no
    context). Any other Dockerfile is built from the folders :func:`build_roots` knows. Builds
    that cannot run as written (a compose context or Dockerfile that does not exist, named
    sources found nowhere, a workspace package that needs its workspace), Dockerfiles whose
    context cannot be known, test fixtures and devcontainers (which never ship, "What ships"
    in the README) are left out."""
    from dockhooks._roles import role

    paths = [p for p in paths if role(p) not in _NOT_JUDGED]
    found: dict[tuple[str, str | None], Context] = {}
    compose = [c for c in _compose_contexts(_compose_files(paths))
               if c.dockerfile is None or role(c.dockerfile) not in _NOT_JUDGED]
    built = {_norm(ctx.dockerfile) for ctx in compose if ctx.dockerfile is not None}
    for path in paths:
        if kind_of(path) != 'dockerfile' or _norm(path) in built:
            continue
        for root in build_roots(path):
            if _needs_its_workspace(root):
                continue
            key: tuple[str, str | None] = (_norm(root), _norm(path))
            found.setdefault(key, Context(root, path, (path, 1, 1)))
    for ctx in compose:
        key = (_norm(ctx.root), None if ctx.dockerfile is None else _norm(ctx.dockerfile))
        found.setdefault(key, ctx)
    return list(found.values())


# Roles whose build contexts are not judged: nobody ships what they build.
_NOT_JUDGED = frozenset(('vendored', 'test', 'workspace'))


def _read(path: str) -> str:
    from dockhooks._text import InputError
    from dockhooks._text import read_text

    try:
        return read_text(path) if os.path.isfile(path) else ''
    except InputError:
        return ''


def _needs_its_workspace(root: str) -> bool:
    """A package of a JavaScript workspace that depends on its siblings (``workspace:``)
    builds only from the workspace's root, not from its own folder."""
    if 'workspace:' not in _read(os.path.join(root, 'package.json')):
        return False
    return any(os.path.isfile(os.path.join(folder, 'pnpm-workspace.yaml'))
               or '"workspaces"' in _read(os.path.join(folder, 'package.json'))
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


def _dockerfile(path: str) -> Any:
    """The parsed Dockerfile, or None when it cannot be read."""
    from dockhooks._hook import parse_file
    from dockhooks._text import InputError

    try:
        return parse_file(path, 'dockerfile').doc
    except (InputError, RecursionError, OSError):
        return None


def _copy_words(ins: Any) -> list[str]:
    """A COPY/ADD's words (sources, then the destination), quotes removed."""
    from dockhooks._dockerfile import unquote

    return ins.json if ins.json is not None else [unquote(w) for w in ins.args.split()]


def sources(dockerfile: str) -> list[Source] | None:
    """What a Dockerfile reads from its context: COPY/ADD sources (not ``--from``, URLs or
    heredocs) and ``RUN --mount=type=bind`` sources, variables expanded. A variable of unknown
    value inside a name is a wildcard for that name; a source that is only a variable cannot
    be known and is left out. None when the Dockerfile cannot be read. ONBUILD instructions
    read a later build's context, not this one."""
    df = _dockerfile(dockerfile)
    if df is None:
        return None
    raw: list[tuple[str, Any]] = []
    for ins in df.instructions:
        if ins.keyword in ('COPY', 'ADD') and 'from' not in ins.flags and not ins.heredocs:
            for word in _copy_words(ins)[:-1]:
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


def _glob_matches(pattern: str, parts: list[str]) -> bool:
    import fnmatch

    pat = pattern.split('/')
    return len(parts) >= len(pat) and all(fnmatch.fnmatchcase(p, g) for p, g in zip(parts, pat))


def sends(srcs: Sequence[Source], path: str) -> bool:
    """Whether a source sends ``path`` (relative to the context root): it is the source, or
    lies under it, or a leading part of it matches the source's wildcards (a matched folder
    brings all it holds), as BuildKit copies."""
    parts = path.split('/')
    for src in srcs:
        if not src.pattern:
            return True
        if not src.glob:
            if path == src.pattern or path.startswith(src.pattern + '/'):
                return True
        elif _glob_matches(src.pattern, parts):
            return True
    return False


def named(srcs: Sequence[Source], path: str) -> bool:
    """Whether a source names ``path`` itself (``COPY .env .``, ``COPY .env* ./``), not only
    a folder holding it or the whole context: the build needs that file."""
    parts = path.split('/')
    for src in srcs:
        if not src.pattern:
            continue
        if not src.glob:
            if path == src.pattern:
                return True
        elif posixpath.basename(src.pattern).strip('*?') and \
                len(src.pattern.split('/')) == len(parts) and _glob_matches(src.pattern, parts):
            return True
    return False


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


def _command_roots(dockerfile: str, top: str) -> list[str] | None:
    """The contexts the repository's build commands give ``dockerfile``, else the one its
    header documents; [] when one is decided at run time (a variable), None when nothing
    writes a build of it down."""
    from dockhooks import _buildcmds

    folder = os.path.dirname(dockerfile) or '.'
    # at the repository's root, `docker build .` builds it: no need to read every build file
    found = [] if os.path.abspath(folder) == os.path.abspath(top) else [
        r for c in _buildcmds.repository_commands(top)
        if (r := _buildcmds.context_of(c, dockerfile, top)) is not None]
    if not found:
        header = '\n'.join(line.lstrip()[1:] for line in _read(dockerfile).splitlines()
                           if line.lstrip().startswith('#'))
        found = [r for c in _buildcmds.shell_commands(header, folder, up=True)
                 if (r := _buildcmds.context_of(c, dockerfile, top)) is not None]
    if not found:
        return None
    if _buildcmds.UNKNOWN in found:
        return []  # a context chosen when the command runs: another tree, whatever the rest
    return list(dict.fromkeys(r for r in found if os.path.isdir(r)))


def build_roots(dockerfile: str) -> list[str]:
    """The folders a Dockerfile that no compose file builds is built from, when they can be
    known ([] when not):

    1. the contexts the build commands written in the repository give it (Makefiles,
       scripts, CI workflows, bake, skaffold, Tiltfile), else the one its header documents
       (``# docker build -f docker/Dockerfile .``); none when one is a variable;
    2. the one folder, its own or one above it inside the repository, where the sources it
       names exist (``COPY go.mod oryx/go.mod`` in ``.docker/Dockerfile``: the repository
       root); none when they exist nowhere (a leftover template);
    3. among the folders left, the one where the paths it uses inside its whole-context
       copy exist (``COPY . /src`` then ``RUN make -C cmd/tool``,
       ``COPY --from=build /src/cmd/migrate/migrate``);
    4. its own folder when that is the repository's root, or holds the project's manifest
       (``package.json``, ``go.mod``, ``*.csproj``...).

    ``COPY . X`` alone decides nothing: a Dockerfile in a folder without a manifest that
    copies only the whole context may be built from any folder above it."""
    from dockhooks._roles import folder_entries

    folder = os.path.dirname(dockerfile) or '.'
    candidates = _candidates(folder)
    commands = _command_roots(dockerfile, candidates[-1])
    if commands is not None:
        return commands
    srcs = [s for s in sources(dockerfile) or [] if s.pattern]
    tied = candidates
    if srcs:
        scores = [sum(_exists(root, s) for s in srcs) for root in candidates]
        best = max(scores)
        tied = [root for root, score in zip(candidates, scores) if score == best]
        if best == 0 or any(not s.glob and posixpath.basename(s.pattern) in _COMMITTED
                            and not _exists(tied[0], s) for s in srcs):
            return []  # a lock file or manifest found nowhere: a leftover template
    if len(tied) > 1:
        used = _context_paths(dockerfile)[0]
        hits = [sum(_used(root, rel) for rel in used) for root in tied]
        if hits and max(hits) > 0 and hits.count(max(hits)) == 1:
            tied = [tied[hits.index(max(hits))]]
    if len(tied) == 1:
        return tied
    if folder in tied and any(_PROJECT_MANIFEST.search(name) for name in folder_entries(folder)):
        return [folder]
    return []


def dockerfile_contexts(dockerfile: str) -> list[str]:
    """The build contexts of ``dockerfile``: those the compose files of its folder and of the
    folders above it give it (``build.context`` with its ``dockerfile:``), else
    :func:`build_roots`; [] when they cannot be known."""
    from dockhooks._roles import folders_up

    want = os.path.abspath(dockerfile)
    composes = [os.path.join(folder, name) for folder, names in folders_up(dockerfile)
                for name in names if kind_of(os.path.join(folder, name)) == 'compose']
    roots = [ctx.root for ctx in _compose_contexts(_compose_files(composes))
             if ctx.dockerfile is not None and os.path.abspath(ctx.dockerfile) == want]
    return list(dict.fromkeys(roots)) or build_roots(dockerfile)


def build_root(dockerfile: str) -> str | None:
    """The first of :func:`build_roots`, or None when the context cannot be known."""
    roots = build_roots(dockerfile)
    return roots[0] if roots else None


def _used(root: str, rel: str) -> bool:
    """Whether a path a build uses inside its context exists under ``root``: the path, or
    (for one the build makes, ``cmd/migrate/migrate``) its folder, when that folder is deep
    enough to say something (two levels)."""
    if os.path.lexists(os.path.join(root, rel)):
        return True
    parent = posixpath.dirname(rel)
    return '/' in parent and os.path.isdir(os.path.join(root, parent))


_LOG_FOLDERS = frozenset(('logs', 'log'))


def _context_paths(dockerfile: str) -> tuple[list[str], list[str]]:
    """(paths the build uses inside its whole-context copy, folders for logs it makes
    there), relative to the context root: after ``COPY . /src`` (or ``WORKDIR /src`` and
    ``COPY . .``), ``RUN make -C cmd/tool`` uses ``cmd/tool``, ``COPY --from=build
    /src/cmd/migrate/migrate`` and ``VOLUME /src/web/node_modules`` use what they name, and
    ``RUN mkdir -p /src/app/logs`` makes ``app/logs``."""
    from dockhooks._dockerfile import unquote

    df = _dockerfile(dockerfile)
    used: list[str] = []
    logs: list[str] = []
    if df is None or not any(
            i.keyword in ('COPY', 'ADD') and 'from' not in i.flags and not i.heredocs
            and any(_clean_source(w) == '' for w in _copy_words(i)[:-1])
            for i in df.instructions):
        return used, logs  # no whole-context copy: nothing of the context is placed
    dests: list[str] = []
    workdirs: dict[int, str] = {}

    def inside(path: str, wd: str) -> str | None:
        if not path or '$' in path or _WILD.search(path) or '://' in path:
            return None
        full = posixpath.normpath(posixpath.join(wd, path))
        for dest in dests:
            if full.startswith(dest + '/'):
                return full[len(dest) + 1:]
        return None

    for stage in df.stages:
        wd = workdirs.get(stage.parent, '/') if stage.parent is not None else '/'
        for ins in stage.instructions:
            if ins.keyword == 'WORKDIR':
                value = ins.resolve(unquote(ins.args.strip()))
                if value is None:
                    wd = '/?'  # unknown: nothing relative to it can be placed
                    continue
                wd = posixpath.normpath(posixpath.join(wd, value))
                if (rel := inside(wd, '/')) is not None:
                    used.append(rel)
            elif ins.keyword in ('COPY', 'ADD') and not ins.heredocs:
                words = _copy_words(ins)
                if 'from' in ins.flags:
                    used.extend(r for w in words[:-1] if (r := inside(w, '/')) is not None)
                elif len(words) >= 2 and any(_clean_source(w) == '' for w in words[:-1]):
                    dest = ins.resolve(words[-1])
                    if dest is not None and not wd.startswith('/?'):
                        full = posixpath.normpath(posixpath.join(wd, dest))
                        if full != '/' and full not in dests and len(dests) < 20:
                            dests.append(full)
            elif ins.keyword == 'VOLUME':
                words = ins.json if ins.json is not None else ins.args.split()
                used.extend(r for w in words if (r := inside(unquote(w), '/')) is not None)
            elif ins.keyword == 'RUN' and not wd.startswith('/?'):
                for command in ins.commands():
                    for word in command.argv:
                        if word.startswith('-'):
                            word = word.partition('=')[2]  # --file=path
                        rel = inside(word, wd)
                        if rel is None:
                            continue
                        if command.argv[0] == 'mkdir' and \
                                posixpath.basename(rel) in _LOG_FOLDERS:
                            logs.append(rel)
                        elif '/' in word:
                            used.append(rel)
        workdirs[stage.index] = wd
    return list(dict.fromkeys(used))[:200], list(dict.fromkeys(logs))


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
# A project's manifest: the folder holding it is the project's root.
_PROJECT_MANIFEST = re.compile(
    r'(^|/)(package\.json|requirements[^/]*\.txt|pyproject\.toml|setup\.py|Pipfile|go\.mod|'
    r'Cargo\.toml|Gemfile|composer\.json|pom\.xml|build\.gradle(\.kts)?|[^/]*\.(cs|fs|vb)proj|'
    r'mix\.exs|deno\.jsonc?|pubspec\.yaml|Package\.swift)$')
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
    from dockhooks._roles import repository_root

    top = repository_root(os.path.abspath(root))
    git = os.path.join(top or '', '.git')
    if top is None or not (os.path.isfile(git) or os.path.isfile(os.path.join(git, 'HEAD'))):
        return None  # no repository (a `.git` folder that is none): git is not even asked
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
    return any(_VCS_VERSIONING.search(_read(path)) for path in paths)


def _reincludes(kept: Sequence[str]) -> list[str]:
    """``!`` lines for committed env files: one glob per template kind (``.env.example``,
    ``web/.env.dev.example`` -> ``!**/.env*.example``), the others by path."""
    out: list[str] = []
    for f in kept:
        last = f.rsplit('.', 1)[-1]
        line = f'!**/.env*.{last}' if _template(f) and last in _TEMPLATE_WORDS else f'!{f}'
        if line not in out:
            out.append(line)
    return out[:6]


_TEMPLATE_WORDS = frozenset(('example', 'sample', 'template', 'dist', 'tmpl', 'defaults'))
# An env file (`.env`, `.env.local`, `.env.production`), by name.
_ENV_FILE = re.compile(r'(^|/)\.env(\.[^/]+)?$')
# Env file names a file's text mentions (`put the key in .env.local`).
_ENV_MENTION = re.compile(r'(?<![\w./-])\.env(?:\.[A-Za-z][\w-]*)*(?![\w/-])')


def _template(path: str) -> str | None:
    """The env file a template is copied to, in the same folder: ``.env.example`` ->
    ``.env``, ``web/.env.dev.sample`` -> ``web/.env.dev``, ``env.example`` -> ``.env``; None
    for any other file."""
    folder, _, name = path.rpartition('/')
    prefix = folder + '/' if folder else ''
    parts = name.split('.')
    if name in ('env.example', 'env.sample', 'example.env', 'sample.env', '.env-example',
                '.env-sample'):
        return prefix + '.env'
    if len(parts) >= 3 and parts[0] == '' and parts[1] == 'env' and \
            parts[-1] in _TEMPLATE_WORDS - {'defaults'}:
        return prefix + '.'.join(parts[:-1])
    return None


# Libraries and frameworks that read a project folder's `.env` (and, for those with local
# overrides, `.env.local`), as its manifest names them.
_DOTENV = frozenset((
    'python-dotenv', 'django-environ', 'environs', 'pydantic-settings', 'python-decouple',
    'dotenv', 'dotenv-rails', 'dotenv-flow', 'dotenv-cli', 'env-cmd', '@nestjs/config',
    'github.com/joho/godotenv', 'dotenvy', 'vlucas/phpdotenv', 'laravel/framework',
    'symfony/dotenv', 'dotnetenv', 'next', 'vite', 'react-scripts', 'nuxt',
))
_LOCAL_OVERRIDES = frozenset(('dotenv-flow', 'symfony/dotenv', 'next', 'vite', 'react-scripts',
                              'nuxt'))
# What a manifest names as a dependency: package.json and composer.json keys, requirement
# and TOML lines, go.mod requires, Gemfile gems, PackageReferences, PEP 508 strings.
_DEPENDENCY = re.compile(
    r'"(@?[\w./-]+)"\s*:|^\s*([\w.-]+)\s*(?:[=<>!~;\[#]|$)|'
    r'^\s*(?:require\s+)?([\w.-]+/[\w./-]+)\s+v|^\s*gem\s+["\']([\w-]+)|'
    r'Include="([\w.]+)"|["\']([\w.-]+)(?:\[[\w,]+\])?\s*[=<>~!]', re.M)


def _dotenv_users(text: str) -> list[str]:
    """The dotenv readers a manifest's text names, in order."""
    names = (n.lower() for m in _DEPENDENCY.finditer(text) for n in m.groups() if n)
    return [n for n in dict.fromkeys(names) if n in _DOTENV]


class _Found:
    """Paths (relative to the context) where junk arises, each with what shows it as a
    message says it (``apps/api/.env, a compose env_file``) and the pattern that excludes
    it: ``**/*.log``, the ``.gitignore`` line that lists it, or for a folder where logs are
    written (``logs/``, in which a log file stands for the folder) the folder."""

    def __init__(self, srcs: Sequence[Source]) -> None:
        self.srcs = srcs
        self.paths: dict[str, str] = {}
        self.patterns: dict[str, str] = {}

    def add(self, path: str, why: str, *, shown: str | None = None,
            pattern: str = '**/*.log') -> None:
        path = posixpath.normpath(path)
        if not path.startswith('../') and path not in self.paths and sends(self.srcs, path):
            self.paths[path] = f'{shown or path}, {why}'
            self.patterns[path] = pattern

    def add_folder(self, folder: str, why: str, *, pattern: str | None = None) -> None:
        folder = posixpath.normpath(folder)
        self.add(folder + '/' + _LOG_PROBE, why, shown=folder + '/', pattern=pattern or folder)


# The log file that stands for a folder where logs are written.
_LOG_PROBE = 'app.log'


_IGNORE_ENV = ('.env', '.env.local', '.env.production', '.env.development',
               '.env.production.local', '.env.development.local')
_IGNORE_LOGS = ('app.log', 'npm-debug.log', 'yarn-error.log', 'logs', 'log')


def _gitignored(ctx: Context, files: Sequence[str], projects: Sequence[str],
                env: _Found, logs: _Found) -> None:
    """What the ``.gitignore`` files over the context list among env files and logs: they
    arise there. A pattern without a ``/`` applies in the folder of its ``.gitignore`` and
    every project folder under it; one with a ``/`` names one place."""
    import fnmatch

    root = os.path.abspath(ctx.root)
    ignores = [(os.path.dirname(os.path.join(root, f)), os.path.join(ctx.root, f))
               for f in files if f == '.gitignore' or f.endswith('/.gitignore')]
    ignores += [(os.path.abspath(above), os.path.join(above, '.gitignore'))
                for above in _candidates(ctx.root)[1:]]
    for folder, path in ignores:
        rel = os.path.relpath(folder, root).replace(os.sep, '/')
        where = '' if rel == '.' or rel.startswith('..') else rel + '/'
        for line in _read(path).splitlines()[:2000]:
            line = line.strip()
            if not line or line.startswith(('#', '!')):
                continue
            pattern = line.rstrip('/')
            pattern = pattern[3:] if pattern.startswith('**/') else pattern
            if '/' in pattern:  # one place, relative to the .gitignore's folder
                name = os.path.relpath(os.path.join(folder, pattern.lstrip('/')),
                                       root).replace(os.sep, '/')
                if _WILD.search(name):
                    continue
                if _ENV_FILE.search(name):
                    env.add(name, 'git-ignored')
                elif posixpath.basename(name) in _LOG_FOLDERS:
                    logs.add_folder(name, 'git-ignored')
                elif name.endswith('.log'):
                    logs.add(name, 'git-ignored', pattern=name)
                continue
            # as git ignores it in every folder under the .gitignore's, so does Docker
            everywhere = f'{where}**/{pattern}'
            places = [where] + [p for p in projects if p.startswith(where) and p != where]
            for name in _IGNORE_ENV if 'env' in pattern else ():
                if fnmatch.fnmatchcase(name, pattern):
                    for place in places:
                        env.add(place + name, 'git-ignored')
            for name in _IGNORE_LOGS if 'log' in pattern else ():
                if fnmatch.fnmatchcase(name, pattern):
                    for place in places:
                        if name in _LOG_FOLDERS:
                            logs.add_folder(place + name, 'git-ignored', pattern=everywhere)
                        else:
                            logs.add(place + name, 'git-ignored', shown=place + pattern,
                                     pattern=everywhere)


def _log_folders(files: Sequence[str]) -> list[str]:
    """The folders named ``logs`` or ``log`` that hold no code: only dot files (a
    ``.gitkeep``, a ``.gitignore``) and logs."""
    folders: dict[str, bool] = {}
    for f in files:
        parts = f.split('/')
        for k, part in enumerate(parts[:-1]):
            if part in _LOG_FOLDERS:
                folder = '/'.join(parts[:k + 1])
                name = parts[-1]
                plain = name.startswith('.') or name.endswith(('.log', '.txt', '.gz'))
                folders[folder] = folders.get(folder, True) and plain
    return [f for f, plain in folders.items() if plain]


def _junk_shown(ctx: Context, files: Sequence[str], srcs: Sequence[Source],
                shown: Shown, tracked: Callable[[], set[str] | None],
                projects: Sequence[str]) -> tuple[_Found, _Found]:
    """The env files and log files that the files show arise in what the build sends."""
    from dockhooks._roles import folder_entries

    env, logs = _Found(srcs), _Found(srcs)
    root = os.path.abspath(ctx.root)
    for path, why in shown.env_files.items():
        env.add(os.path.relpath(path, root).replace(os.sep, '/'), why)
    for path, why in shown.log_folders.items():
        logs.add_folder(os.path.relpath(path, root).replace(os.sep, '/'), why)
    present = [f for f in files if _ENV_FILE.search(f) or f.endswith('.log')]
    for f in files:
        target = _template(f)
        if target is not None:
            env.add(target, f'from {f}')
    known = tracked() if present else None
    for f in present:
        if _template(f) is None and known is not None and f not in known:
            (logs if f.endswith('.log') else env).add(f, 'not tracked by git')
    for f in files:  # env files and templates that name other env files
        if _ENV_FILE.search(f) or _template(f) is not None:
            folder = f[:f.rfind('/') + 1]
            for name in dict.fromkeys(_ENV_MENTION.findall(_read(os.path.join(ctx.root, f)))):
                if _template(folder + name) is None and folder + name != f:
                    env.add(folder + name, f'named in {f}')
    for folder in projects:
        for name in folder_entries(os.path.join(ctx.root, folder)):
            if _PROJECT_MANIFEST.search(name) and name != 'setup.py':
                users = _dotenv_users(_read(os.path.join(ctx.root, folder, name)))
                for user in users[:1]:
                    env.add(folder + '.env', f'read by {user}')
                for user in [u for u in users if u in _LOCAL_OVERRIDES][:1]:
                    env.add(folder + '.env.local', f'read by {user}')
        for name in _LOG_FOLDERS:  # an empty one, which lists no file
            if os.path.isdir(os.path.join(ctx.root, folder, name)) and \
                    not folder_entries(os.path.join(ctx.root, folder, name)):
                logs.add_folder(folder + name, 'a logs folder')
    for folder in _log_folders(files):
        logs.add_folder(folder, 'a logs folder')
    if ctx.dockerfile is not None:
        for folder in _context_paths(ctx.dockerfile)[1]:
            logs.add_folder(folder, 'made by the Dockerfile')
    _gitignored(ctx, files, projects, env, logs)
    return env, logs


def required(ctx: Context, extra: Sequence[str],
             listing: dict[str, list[str]] | None = None, shown: Shown | None = None,
             keep: Sequence[Source] = ()) -> list[Entry]:
    """The entries the ignore file of ``ctx`` must exclude, each with the paths (probes) a
    source of the build would send, where the files show that junk arises; an entry no
    source can send is not required. ``listing`` caches the context folders' files across
    contexts; ``shown`` is what the compose files show (:func:`compose_shows`); ``keep``
    the sources of the builds that read this ignore file: a file one of them names
    (``COPY .env .``) is never asked to be excluded, as that build would break."""
    listing = {} if listing is None else listing
    shown = Shown({}, {}) if shown is None else shown
    key = os.path.normpath(ctx.root)
    if key not in listing:
        listing[key] = list_files(ctx.root, skip_junk=True) if os.path.isdir(ctx.root) else []
    files = listing[key]
    if ctx.dockerfile is None:
        srcs: list[Source] = [Source('', False, True)]  # dockerfile_inline: cannot tell
    else:
        found = sources(ctx.dockerfile)
        srcs = [Source('', False, True)] if found is None else found
    cache: list[set[str] | None] = []

    def tracked() -> set[str] | None:
        if not cache:
            cache.append(_tracked(ctx.root))
        return cache[0]

    def committed(path: str) -> bool:
        return os.path.isfile(os.path.join(ctx.root, path)) and (
            tracked() is None or path in (tracked() or ()))

    projects = list(dict.fromkeys(['', *_folders(files, _PROJECT_MANIFEST)]))
    env, logs = _junk_shown(ctx, files, srcs, shown, tracked, projects)
    out: list[Entry] = []
    for entry in REQUIRED:
        reasons: dict[str, str] = {}
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
            junk = logs if entry.name == 'log files' else env
            reasons = {p: w for p, w in junk.paths.items() if not committed(p)}
            probes = list(reasons)[:20]
        probes = [p for p in probes if sends(srcs, p) and not named(keep, p)]
        if not probes:
            continue
        patterns = entry.patterns
        if entry.name == '.venv' and any(p != '.venv/bin/python' for p in probes):
            patterns = ('**/.venv',)
        if entry.name == 'log files':
            patterns = _log_patterns(probes, logs.patterns)
        if entry.name == '.env files':
            # committed templates and env files (.env.example, web/.env.production) and the
            # files a build names are read by builds: keep them after `**/.env.*`
            patterns = (*patterns, *_reincludes(_kept(files, srcs, keep, committed, patterns)))
        out.append(entry._replace(probes=tuple(probes), patterns=patterns,
                                  whys=tuple(reasons[p] for p in probes) if reasons else ()))
    return out + [extra_entry(p) for p in extra
                  if sends(srcs, extra_entry(p).probes[0])]


def _log_patterns(probes: Sequence[str], chosen_for: dict[str, str]) -> tuple[str, ...]:
    """The patterns that exclude the log probes: log files anywhere, the folders logs are
    written to whatever their files are called, the .gitignore lines that list them; one
    that an earlier one makes useless (``**/npm-debug.log*`` after ``**/*.log``) is left
    out."""
    from dockhooks._dockerignore import IgnoreFile

    out: list[str] = []
    candidates = sorted(dict.fromkeys(chosen_for[p] for p in probes),
                        key=lambda p: p != '**/*.log')
    for pattern in candidates:
        ignore = IgnoreFile.parse('\n'.join(out))
        if not all(ignore.is_excluded(p) for p in probes if chosen_for[p] == pattern):
            out.append(pattern)
    return tuple(out)


def _kept(files: Sequence[str], srcs: Sequence[Source], keep: Sequence[Source],
          committed: Callable[[str], bool], patterns: Sequence[str]) -> list[str]:
    """The env files of the context that ``patterns`` would exclude and that must stay:
    committed ones (templates, mode files) a source sends, and those a build names."""
    from dockhooks._dockerignore import IgnoreFile

    ignore = IgnoreFile.parse('\n'.join(patterns))
    present = [f for f in files if _ENV_FILE.search(f) and ignore.is_excluded(f)
               and ((committed(f) and sends(srcs, f) and not f.endswith('.local'))
                    or named(keep, f))]
    return present + [s.pattern for s in keep
                      if s.pattern and not s.glob and ignore.is_excluded(s.pattern)]


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
