"""Dependency manifests are copied and installed before the rest of the source.

## What it does
Within a stage, reports a COPY or ADD of the whole build context (`.`, `./`, `*`) that is
followed by a dependency install: `pip install -r` / `pip install .`, `poetry install`,
`pipenv install`, `uv sync`, `npm ci` / `npm install`, `yarn install`, `pnpm install`,
`bundle install`, `composer install`, `go mod download` / `go build`, `cargo fetch` /
`cargo build`, `mvn ... package` / `dependency:go-offline`, `gradle build`, ... The finding is
at the COPY, naming the install. A whole-context COPY followed only by build, test or run
steps is fine, and so is an install whose manifests (`requirements.txt`, `pyproject.toml`,
`package.json`, `go.mod`, ...) were copied, and installed from, before the whole-context COPY
(`go build` after `go mod download`): copying the manifests first helps only when the install
runs before the rest of the source arrives. A stage built `FROM` an earlier stage continues
where that stage ended. Manifests bind-mounted into the install's RUN
(`RUN --mount=type=bind,source=uv.lock,target=uv.lock uv sync --no-install-project`) count
as copied.

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
from dockhooks._findings import Problem
from dockhooks._hook import run_hook

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


def dependency_installs(ins: Instruction) -> list[tuple[str, tuple[str, ...]]]:
    """(command text, manifest globs) for each dependency install in a RUN."""
    return [(text, manifests) for text, manifests, _ in _installs(ins)]


def _installs(ins: Instruction) -> list[tuple[str, tuple[str, ...], str]]:
    """(command text, manifest globs, ecosystem) for each dependency install in a RUN."""
    from dockhooks._shell import package_ops

    found: list[tuple[str, tuple[str, ...], str]] = []
    for op in package_ops(ins.commands()):
        argv = op.command.argv
        manifests: tuple[str, ...] = ()
        if op.manager == 'pip' and op.action == 'install':
            reqs = [op.options[k + 1] for k, o in enumerate(op.options[:-1])
                    if o in ('-r', '--requirement', '-c', '--constraint')]
            reqs += [o.split('=', 1)[1] for o in op.options
                     if o.startswith(('--requirement=', '--constraint='))]
            local = [o for o in (*op.packages, *op.options)
                     if o in ('.', './') or o.startswith(('.[', './['))]
            if reqs:
                manifests = tuple(reqs)
            elif local:
                manifests = PYTHON_PROJECT
        elif op.manager in ('poetry', 'pipenv') and op.action in ('install', 'sync'):
            manifests = ('pyproject.toml', 'poetry.lock', 'Pipfile', 'Pipfile.lock')
        elif op.manager == 'uv' and op.action == 'sync':
            manifests = ('pyproject.toml', 'uv.lock')
        elif op.manager in ('npm', 'yarn', 'pnpm') and op.action in ('install', 'ci') \
                and not op.packages and '-g' not in op.options and '--global' not in op.options:
            manifests = NODE
        elif op.manager == 'bundle' and op.action == 'install':
            manifests = ('Gemfile', 'Gemfile.lock', '*.gemspec')
        elif op.manager == 'composer' and op.action == 'install':
            manifests = ('composer.json', 'composer.lock')
        elif op.manager == 'go' and (op.action in ('build', 'install', 'test')
                                     or (op.action == 'mod' and op.packages[:1] == ('download',))
                                     or (op.action == 'get' and all(
                                         p.startswith('.') for p in op.packages))):
            if op.action == 'install' and any('@' in p for p in op.packages):
                continue  # `go install x@v1` does not read the module
            manifests = ('go.mod', 'go.sum')
        elif op.manager == 'cargo' and op.action in ('build', 'fetch', 'install', 'test'):
            if op.action == 'install' and '--path' not in op.options:
                continue
            manifests = ('Cargo.toml', 'Cargo.lock')
        if manifests:
            found.append((' '.join(argv[:3]), manifests, _ecosystem(op.manager)))
    for cmd in ins.commands():
        tool = posixpath.basename(cmd.argv[0])
        goals = _goals(cmd.argv[1:])
        if tool in ('mvn', 'mvnw') and goals:
            found.append((f'{cmd.argv[0]} {goals[0]}', ('pom.xml',), 'maven'))
        elif tool in ('gradle', 'gradlew') and goals:
            found.append((f'{cmd.argv[0]} {goals[0]}',
                          ('build.gradle', 'build.gradle.kts', 'settings.gradle*'), 'gradle'))
    return found


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
        self.copied: list[str] = []   # sources of partial COPY/ADDs
        self.installed: set[str] = set()  # ecosystems installed from copied manifests
        self.whole: Instruction | None = None  # the first whole-context COPY not reported

    def child(self) -> _State:
        out = _State()
        out.copied = list(self.copied)
        out.installed = set(self.installed)
        out.whole = self.whole
        return out


def check(df: Dockerfile, opts: SimpleNamespace) -> Iterator[Problem]:
    ends: dict[int, _State] = {}
    reported: set[int] = set()
    for stage in df.stages:
        state = ends[stage.parent].child() if stage.parent in ends else _State()
        ends[stage.index] = state
        for ins in stage.instructions:
            if ins.keyword in ('COPY', 'ADD') and 'from' not in ins.flags:
                if copies_whole_context(ins):
                    if state.whole is None:
                        state.whole = ins
                elif not ins.heredocs:
                    state.copied.extend(copy_sources(ins))
                continue
            if ins.keyword != 'RUN':
                continue
            # `RUN --mount=type=bind,source=uv.lock,target=uv.lock uv sync`: manifests
            # bind-mounted from the context are as good as copied
            state.copied.extend(_bind_sources(ins))
            copied = state.copied
            for text, manifests, ecosystem in _installs(ins):
                # the manifests were copied and installed from before: what runs after the
                # whole-context COPY only builds on that cached layer
                if ecosystem in state.installed and _covered(manifests, copied):
                    continue
                whole = state.whole
                if whole is None:
                    if _covered(manifests, copied):
                        state.installed.add(ecosystem)
                    continue
                state.whole = None  # one finding per whole-context COPY
                if whole.line in reported:
                    break
                reported.add(whole.line)
                src = ' '.join(copy_sources(whole))
                yield Problem(
                    whole.line, whole.col,
                    f'{whole.keyword} {src} copies the whole context before `{text}` '
                    f'(line {ins.line}), so any source change re-runs the install; copy '
                    f'the dependency manifests first, install, then {whole.keyword} the rest',
                )
                break


def main(argv: Sequence[str] | None = None) -> int:
    return run_hook(__name__, argv)


if __name__ == '__main__':
    raise SystemExit(main())
