"""Dependency manifests are copied and installed before the rest of the source.

## What it does
Within a stage, reports a COPY or ADD that brings the source along with the dependency
manifests before a dependency install: a COPY of the whole build context (`.`, `./`, `*`),
or of a folder copied to where the install reads its manifests (`COPY ./frontend .` before
`yarn install`, `COPY app /srv/app` before `cd /srv/app && npm ci`, `COPY service /opt/s`
before `pip install -r /opt/s/requirements.txt`), also when the manifests were copied on
their own first (`COPY web/package*.json ./` then `COPY web/ .` before `npm ci`: the
install then reads the whole folder again). Installs: `pip install -r` /
`pip install .`, `poetry install`, `pipenv install`, `uv sync`, `npm ci` / `npm install`,
`yarn install`, `pnpm install` / `pnpm fetch`, `bun install`, `bundle install`,
`composer install`, `go mod download`, `cargo fetch`, `dotnet restore`,
`mvn ... package` / `dependency:go-offline`. The finding is at the COPY, naming the install.
A COPY followed only by build, test or run steps is fine, and so is an install whose
manifests (`requirements.txt`, `package.json`, `pnpm-lock.yaml`, `go.mod`, `*.csproj`, ...)
were copied, and installed from, before (`go build` after `go mod download`,
`pnpm install --offline` after `pnpm fetch`): copying the manifests first helps only when the
install runs before the rest of the source arrives. Manifests copied from another stage, or
bind-mounted into the install's RUN
(`RUN --mount=type=bind,source=uv.lock,target=uv.lock uv sync --no-install-project`), count
as copied. A stage built `FROM` an earlier stage continues where that stage ended.

Builds that fetch what they lack (`go build`, `cargo build`, `gradle build`,
`dotnet publish`) are judged only where the build context shows a manifest that declares
something to fetch (`go.mod` with a `require` and no `vendor/`, a `Cargo.toml` with
dependencies, a `build.gradle`, a `*.csproj` with package references): whether there is
anything to fetch cannot be known otherwise. `-mod=vendor` and a cache mount on the RUN
(`--mount=type=cache,target=/go/pkg/mod`) fetch nothing again and pass. Any install whose
manifest the tree shows declares no dependency passes. Test fixtures and devcontainers
(see "What ships" in the README) are not judged: they are built where no layer cache is kept.

## Why is this bad?
Docker reuses a cached layer only while everything before it is unchanged. After
`COPY . .`, any edit to any file invalidates the cache, so every build re-downloads and
re-installs every dependency: minutes per build instead of seconds. Copying the manifests
first keeps the install layer cached until the dependencies themselves change.

## Example
```dockerfile
WORKDIR /app
COPY . .
RUN pip install -r requirements.txt
```

## Use instead
```dockerfile
WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt
COPY . .
```

## Options
None.
"""
from __future__ import annotations

import fnmatch
import posixpath
from collections.abc import Iterator
from collections.abc import Sequence
from types import SimpleNamespace

from dockhooks._dockerfile import Dockerfile
from dockhooks._dockerfile import Instruction
from dockhooks._dockerfile import unquote
from dockhooks._fileops import absolute
from dockhooks._findings import Problem
from dockhooks._hook import run_hook
from dockhooks._records import TYPE_CHECKING
from dockhooks._records import NamedTuple
from dockhooks._roles import role

if TYPE_CHECKING:
    from dockhooks._shell import Command

CODE = 'DH105'
ID = 'dockerfile-dependencies-before-source'
SUMMARY = 'dependency manifests are copied and installed before COPY . of the source'
SEVERITY = 'warning'
OPTIONS: tuple[str, ...] = ()

PYTHON_PROJECT = ('pyproject.toml', 'setup.py', 'setup.cfg', 'requirements*.txt', '*.lock')
NODE = ('package.json', 'package-lock.json', 'npm-shrinkwrap.json', 'yarn.lock',
        'pnpm-lock.yaml')
WHOLE_CONTEXT = frozenset(('.', './', '*', './*', '.*'))


def copy_sources(ins: Instruction) -> list[str]:
    words = ins.json if ins.json is not None else ins.args.split()
    return [unquote(w) for w in words[:-1]] if len(words) >= 2 else []


def copies_whole_context(ins: Instruction) -> bool:
    if ins.keyword not in ('COPY', 'ADD') or 'from' in ins.flags or ins.heredocs:
        return False
    return any(s in WHOLE_CONTEXT for s in copy_sources(ins))


def _ecosystem(manager: str) -> str:
    return {'pip': 'python', 'poetry': 'python', 'pipenv': 'python', 'uv': 'python',
            'npm': 'node', 'yarn': 'node', 'pnpm': 'node'}.get(manager, manager)


class Install(NamedTuple):
    text: str                      # the command as named in the message
    manifests: tuple[str, ...]     # the files it reads its dependencies from (globs)
    ecosystem: str
    # a build that fetches what it lacks (go build, cargo build, gradle, dotnet publish),
    # judged only where the manifest shows there is something to fetch
    build: bool = False
    command: Command | None = None  # the command that installs
    requirement: str | None = None  # pip's -r FILE, read from the RUN's folder


DOTNET = ('*.csproj', '*.fsproj', '*.vbproj', '*.sln', '*.slnx', 'nuget.config',
          'NuGet.Config', 'Directory.Packages.props', 'Directory.Build.props',
          'packages.lock.json')
GO = ('go.mod', 'go.sum')
CARGO = ('Cargo.toml', 'Cargo.lock')
GRADLE = ('build.gradle', 'build.gradle.kts', 'settings.gradle*', 'gradle.properties',
          'gradle/libs.versions.toml')


def _installs(ins: Instruction) -> list[Install]:
    """Each dependency install (or build that fetches dependencies) of a RUN."""
    from dockhooks._shell import package_ops

    found: list[Install] = []
    for op in package_ops(ins.commands()):
        argv = op.command.argv
        text = ' '.join(argv[:3])
        manifests: tuple[str, ...] = ()
        build = False
        requirement = None
        if op.manager == 'pip' and op.action == 'install':
            reqs = [op.options[k + 1] for k, o in enumerate(op.options[:-1])
                    if o in ('-r', '--requirement', '-c', '--constraint')]
            reqs += [o.split('=', 1)[1] for o in op.options
                     if o.startswith(('--requirement=', '--constraint='))]
            local = [o for o in (*op.packages, *op.options)
                     if o in ('.', './') or o.startswith(('.[', './['))]
            if reqs:
                manifests, requirement = tuple(reqs), reqs[0]
            elif local:
                manifests = PYTHON_PROJECT
        elif op.manager in ('poetry', 'pipenv') and op.action in ('install', 'sync'):
            manifests = ('pyproject.toml', 'poetry.lock', 'Pipfile', 'Pipfile.lock')
        elif op.manager == 'uv' and op.action == 'sync':
            manifests = ('pyproject.toml', 'uv.lock')
        elif op.manager == 'pnpm' and op.action == 'fetch':
            manifests = ('pnpm-lock.yaml',)  # pnpm's Docker pattern: the lockfile alone
        elif op.manager in ('npm', 'yarn', 'pnpm') and op.action in ('install', 'ci') \
                and not op.packages and '-g' not in op.options and '--global' not in op.options:
            manifests = NODE
        elif op.manager == 'bundle' and op.action == 'install':
            manifests = ('Gemfile', 'Gemfile.lock', '*.gemspec')
        elif op.manager == 'composer' and op.action == 'install':
            manifests = ('composer.json', 'composer.lock')
        elif op.manager == 'go' and op.action == 'mod' and op.packages[:1] == ('download',):
            manifests = GO
        elif op.manager == 'go' and op.action == 'get' and all(
                p.startswith('.') for p in op.packages):
            manifests = GO  # old GOPATH style: go get -d of the local packages downloads
        elif op.manager == 'go' and op.action in ('build', 'install', 'test'):
            if op.action == 'install' and any('@' in p for p in op.packages):
                continue  # `go install x@v1` does not read the module
            if _go_vendored(ins, op.options):
                continue  # -mod=vendor: the modules come from vendor/, nothing is fetched
            manifests, build = GO, True
        elif op.manager == 'cargo' and op.action == 'fetch':
            manifests = CARGO
        elif op.manager == 'cargo' and op.action in ('build', 'install', 'test'):
            if op.action == 'install' and '--path' not in op.options:
                continue
            manifests, build = CARGO, True
        if manifests:
            found.append(Install(text, manifests, _ecosystem(op.manager), build, op.command,
                                 requirement))
    for cmd in ins.commands():
        if not cmd.argv:
            continue
        tool = posixpath.basename(cmd.argv[0])
        goals = _goals(cmd.argv[1:])
        if tool in ('mvn', 'mvnw') and goals:
            found.append(Install(f'{cmd.argv[0]} {goals[0]}', ('pom.xml',), 'maven',
                                 command=cmd))
        elif tool in ('gradle', 'gradlew') and goals:
            found.append(Install(f'{cmd.argv[0]} {goals[0]}', GRADLE, 'gradle', True, cmd))
        elif tool == 'bun' and goals[:1] in (['install'], ['i']) and len(goals) == 1:
            found.append(Install(f'{cmd.argv[0]} {goals[0]}', (*NODE, 'bun.lock', 'bun.lockb'),
                                 'node', command=cmd))
        elif tool == 'dotnet' and goals[:1] == ['restore']:
            found.append(Install('dotnet restore', DOTNET, 'dotnet', command=cmd))
        elif tool == 'dotnet' and goals[:1] in (['build'], ['publish'], ['test'], ['pack']) \
                and '--no-restore' not in cmd.argv:
            found.append(Install(f'dotnet {goals[0]}', DOTNET, 'dotnet', True, cmd))
    return found


def _go_vendored(ins: Instruction, options: Sequence[str]) -> bool:
    """``-mod=vendor`` given, or set in GOFLAGS."""
    flags = ' '.join(options) + ' ' + (ins.resolve('${GOFLAGS}') or '')
    return '-mod=vendor' in flags


# mvn and gradle options that take a value as the next word
_BUILD_TOOL_VALUES = frozenset(('-f', '--file', '-s', '--settings', '-gs', '--global-settings',
                                '-pl', '--projects', '-P', '--activate-profiles', '-T',
                                '--threads', '-p', '--project-dir', '-b', '--build-file',
                                '-x', '--exclude-task', '-g', '--gradle-user-home'))


def _goals(args: tuple[str, ...]) -> list[str]:
    """The goals or tasks of an mvn or gradle command line."""
    goals: list[str] = []
    skip = False
    for a in args:
        if skip:
            skip = False
        elif a in _BUILD_TOOL_VALUES:
            skip = True
        elif not a.startswith('-'):
            goals.append(a)
    return goals


def _covered(manifests: tuple[str, ...], copied: list[str]) -> bool:
    for source in copied:
        src = source.rstrip('/')
        src = src[2:] if src.startswith('./') else src
        for manifest in manifests:
            m = manifest[2:] if manifest.startswith('./') else manifest
            if fnmatch.fnmatchcase(posixpath.basename(m), posixpath.basename(src)) \
                    or fnmatch.fnmatchcase(m, src) or m.startswith(f'{src}/') \
                    or fnmatch.fnmatchcase(posixpath.basename(src), posixpath.basename(m)):
                return True
    return False


def _bind_sources(ins: Instruction) -> list[str]:
    """Context files a RUN bind-mounts (not those of another stage or image)."""
    out = []
    for m in ins.mounts():
        source = m.get('source', m.get('src'))
        if m.get('type') == 'bind' and 'from' not in m and source and source not in WHOLE_CONTEXT:
            out.append(source)
    return out


class _State:
    """What a stage has done so far; a stage built FROM another starts where it ended."""

    def __init__(self) -> None:
        self.copied: list[str] = []   # sources of partial COPY/ADDs (any stage or context)
        self.installed: set[str] = set()  # ecosystems installed from copied manifests
        self.whole: Instruction | None = None  # the first whole-context COPY not reported
        self.workdir: str | None = '/'  # None: cannot be known
        # folder COPYs from the context: (instruction, destination in the image)
        self.folders: list[tuple[Instruction, str]] = []

    def child(self) -> _State:
        out = _State()
        out.copied = list(self.copied)
        out.installed = set(self.installed)
        out.whole = self.whole
        out.workdir = self.workdir
        out.folders = list(self.folders)
        return out


def _install_dir(ins: Instruction, install: Install, workdir: str | None) -> str | None:
    """The folder in the image the install reads its manifests from: the RUN's working
    folder (WORKDIR, then each ``cd``), or the folder of a ``-r`` requirements file."""
    cwd = workdir
    for command in ins.commands():
        if command is install.command:
            break
        if command.argv[:1] == ('cd',) and len(command.argv) == 2:
            cwd = absolute(cwd, ins.resolve(command.argv[1]))
    if install.requirement is not None:
        located = absolute(cwd, ins.resolve(install.requirement))
        return posixpath.dirname(located) if located else None
    return cwd


# Files without a dot in their name that are files, not folders.
_DOTLESS_FILES = frozenset((
    'makefile', 'gemfile', 'pipfile', 'procfile', 'license', 'licence', 'dockerfile',
    'caddyfile', 'rakefile', 'brewfile', 'jenkinsfile', 'version', 'readme', 'justfile',
    'vagrantfile', 'codeowners', 'notice', 'authors', 'taskfile', 'copying', 'gemfile',
    'guardfile', 'podfile', 'earthfile', 'tiltfile', 'containerfile',
))


class _Tree:
    """The build context on disk, when it can be seen (found lazily, once per file)."""

    def __init__(self, dockerfile: str) -> None:
        self.dockerfile = dockerfile
        self._roots: list[str] | None = None

    def roots(self) -> list[str]:
        """The folders a source path is read against: the context, the Dockerfile's own."""
        if self._roots is None:
            import os

            from dockhooks._context import build_root

            root = build_root(self.dockerfile)
            own = os.path.dirname(self.dockerfile) or '.'
            self._roots = [r for r in dict.fromkeys((root, own)) if r is not None]
        return self._roots

    def find(self, name: str) -> str | None:
        """The first file matching ``name`` (a glob) at the top of a root."""
        import glob
        import os

        for root in self.roots():
            hits = sorted(glob.glob(os.path.join(glob.escape(root), name)))
            if hits and os.path.isfile(hits[0]):
                return hits[0]
        return None

    def is_folder(self, source: str) -> bool:
        """Whether a COPY source is a folder: as the tree shows it, else as it is written
        (a trailing ``/``, or a name with no dot that is no known file name)."""
        import os

        if any(c in source for c in '*?['):
            return False  # a glob copies what matches: files as often as folders
        for root in self.roots():
            path = os.path.join(root, source)
            if os.path.exists(path):
                return os.path.isdir(path)
        base = posixpath.basename(source.rstrip('/'))
        return source.endswith('/') or (
            '.' not in base and base.lower() not in _DOTLESS_FILES and bool(base))


def _read(path: str) -> str:
    from dockhooks._text import InputError
    from dockhooks._text import read_text

    try:
        return read_text(path)
    except InputError:
        return ''


def _has_dependencies(tree: _Tree, install: Install) -> bool | None:
    """Whether the manifest, where the tree shows it, declares anything to fetch (None:
    not seen). Go modules vendored in ``vendor/`` fetch nothing."""
    import json
    import os
    import re

    if install.ecosystem == 'go':
        path = tree.find('go.mod')
        if path is None:
            return None
        if os.path.isfile(os.path.join(os.path.dirname(path), 'vendor', 'modules.txt')):
            return False
        return re.search(r'(?m)^\s*require\b', _read(path)) is not None
    if install.ecosystem == 'cargo':
        path = tree.find('Cargo.toml')
        if path is None:
            return None
        text = _read(path)
        return '[workspace' in text or re.search(
            r'(?ms)^\[(?:[\w.\'"-]*\.)?(?:dev-|build-)?dependencies(?:\.[^\]]+)?\]\s*\n'
            r'\s*[\w"\'-]', text) is not None
    if install.ecosystem == 'gradle':
        return True if any(tree.find(n) for n in GRADLE[:3]) else None
    if install.ecosystem == 'dotnet':
        path = tree.find('*.csproj') or tree.find('*.fsproj')
        if path is None:
            return None
        return '<PackageReference' in _read(path)
    if install.ecosystem == 'node':
        path = tree.find('package.json')
        if path is None:
            return None
        try:
            doc = json.loads(_read(path) or 'null')
        except ValueError:
            return None
        if not isinstance(doc, dict):
            return None
        return bool(doc.get('workspaces')) or any(
            doc.get(k) for k in ('dependencies', 'devDependencies', 'optionalDependencies'))
    if install.requirement is not None and '$' not in install.requirement:
        path = tree.find(install.requirement)
        if path is None:
            return None
        return any(line.strip() and not line.lstrip().startswith('#')
                   for line in _read(path).splitlines())
    return None


_ADVICE = {
    'go': 'copy go.mod and go.sum first and RUN go mod download, then {kw} the rest',
    'cargo': 'build the dependencies from Cargo.toml and Cargo.lock alone first (cargo-chef), '
             'or mount the registry: RUN --mount=type=cache,target=/usr/local/cargo/registry',
    'gradle': "mount Gradle's cache so nothing is downloaded again: RUN "
              '--mount=type=cache,target=/root/.gradle',
    'dotnet': 'copy the project files (*.csproj) first and RUN dotnet restore, then {kw} the '
              'rest',
}


def check(df: Dockerfile, opts: SimpleNamespace) -> Iterator[Problem]:
    if role(df.path) in ('test', 'workspace'):
        return  # fixtures and workspaces are built fresh, where no layer cache is kept
    tree = _Tree(df.path)
    ends: dict[int, _State] = {}
    reported: set[int] = set()
    for stage in df.stages:
        state = ends[stage.parent].child() if stage.parent in ends else _State()
        ends[stage.index] = state
        for ins in stage.instructions:
            if ins.keyword == 'WORKDIR':
                state.workdir = absolute(state.workdir, ins.resolve(unquote(ins.args.strip())))
                continue
            if ins.keyword in ('COPY', 'ADD'):
                if 'from' in ins.flags:
                    state.copied.extend(copy_sources(ins))  # manifests from another stage
                elif copies_whole_context(ins):
                    if state.whole is None:
                        state.whole = ins
                elif not ins.heredocs:
                    state.copied.extend(copy_sources(ins))
                    words = ins.json if ins.json is not None else ins.args.split()
                    dest = absolute(state.workdir, ins.resolve(unquote(words[-1]))) \
                        if len(words) >= 2 else None
                    if dest is not None:
                        state.folders.append((ins, dest))
                continue
            if ins.keyword != 'RUN':
                continue
            # `RUN --mount=type=bind,source=uv.lock,target=uv.lock uv sync`: manifests
            # bind-mounted from the context are as good as copied
            state.copied.extend(_bind_sources(ins))
            problem = _judge(ins, state, tree, reported)
            if problem is not None:
                yield problem


def _judge(ins: Instruction, state: _State, tree: _Tree,
           reported: set[int]) -> Problem | None:
    """The finding of one RUN's installs, if any (one per COPY)."""
    copied = state.copied
    cached = any(m.get('type') == 'cache' for m in ins.mounts())
    for install in _installs(ins):
        # the manifests were copied and installed from before: what runs after the
        # whole-context COPY only builds on that cached layer
        if install.ecosystem in state.installed and _covered(install.manifests, copied):
            continue
        culprit = state.whole
        what = 'the whole context'
        if culprit is None:
            # the manifests came with a folder copied where the install reads them; copied
            # on their own first, only a folder copied there after them busts the cache
            where = _install_dir(ins, install, state.workdir)
            first = next((k for k in range(len(state.folders) - 1, -1, -1)
                          if _covered(install.manifests, copy_sources(state.folders[k][0]))),
                         None) if _covered(install.manifests, copied) else -1
            folders = state.folders[first + 1:] if first is not None else []
            culprit = next((c for c, dest in reversed(folders)
                            if where is not None and (where == dest or where.startswith(
                                dest.rstrip('/') + '/'))
                            and c.line not in reported
                            and any(tree.is_folder(s) for s in copy_sources(c))), None)
            what = 'a whole folder, its source with its manifests,' if first == -1 else \
                'a whole folder, after the manifests,'
            if culprit is None and _covered(install.manifests, copied):
                state.installed.add(install.ecosystem)
                continue
        if culprit is None:
            continue
        # a build fetches only what the manifest declares (cannot know: stay silent), and
        # a cache mount keeps what it fetched
        declared = _has_dependencies(tree, install)
        if declared is False or (install.build and (declared is None or cached)):
            continue
        if culprit is state.whole:
            state.whole = None  # one finding per whole-context COPY
        if culprit.line in reported:
            return None
        reported.add(culprit.line)
        src = ' '.join(copy_sources(culprit))
        kw = culprit.keyword
        advice = _ADVICE.get(install.ecosystem if install.build or install.ecosystem in (
            'dotnet',) else '', 'copy the dependency manifests first, install, then {kw} the '
                                 'rest').format(kw=kw)
        if what.endswith('after the manifests,'):
            advice = f'move this {kw} below the RUN, so that the install reads only the manifests'
        return Problem(
            culprit.line, culprit.col,
            f'{kw} {src} copies {what} before `{install.text}` (line {ins.line}), so any '
            f'source change re-runs the install; {advice}',
        )
    return None


def main(argv: Sequence[str] | None = None) -> int:
    return run_hook(__name__, argv)


if __name__ == '__main__':
    raise SystemExit(main())
