"""Dependency manifests are copied and installed before the rest of the source.

## What it does
Within a stage, reports a COPY or ADD of the whole build context (`.`, `./`, `*`) that is
followed by a dependency install: `pip install -r` / `pip install .`, `poetry install`,
`pipenv install`, `uv sync`, `npm ci` / `npm install`, `yarn install`, `pnpm install`,
`bundle install`, `composer install`, `go mod download` / `go build`, `cargo fetch` /
`cargo build`, `mvn ... package` / `dependency:go-offline`, `gradle build`, ... The finding is
at the COPY, naming the install. A whole-context COPY followed only by build, test or run
steps is fine, and so is an install whose manifests (`requirements.txt`, `pyproject.toml`,
`package.json`, `go.mod`, ...) were copied earlier in the stage.

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


def dependency_installs(ins: Instruction) -> list[tuple[str, tuple[str, ...]]]:
    """(command text, manifest globs) for each dependency install in a RUN."""
    from dockhooks._shell import package_ops

    found: list[tuple[str, tuple[str, ...]]] = []
    for op in package_ops(ins.commands()):
        argv = op.command.argv
        manifests: tuple[str, ...] = ()
        if op.manager == 'pip' and op.action == 'install':
            reqs = [op.options[k + 1] for k, o in enumerate(op.options[:-1])
                    if o in ('-r', '--requirement', '-c', '--constraint')]
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
                                     or (op.action == 'mod' and op.packages[:1] == ('download',))):
            if op.action == 'install' and any('@' in p for p in op.packages):
                continue  # `go install x@v1` does not read the module
            manifests = ('go.mod', 'go.sum')
        elif op.manager == 'cargo' and op.action in ('build', 'fetch', 'install', 'test'):
            if op.action == 'install' and '--path' not in op.options:
                continue
            manifests = ('Cargo.toml', 'Cargo.lock')
        if manifests:
            found.append((' '.join(argv[:3]), manifests))
    for cmd in ins.commands():
        tool = posixpath.basename(cmd.argv[0])
        goals = [a for a in cmd.argv[1:] if not a.startswith('-')]
        if tool in ('mvn', 'mvnw') and goals:
            found.append((' '.join(cmd.argv[:2]), ('pom.xml',)))
        elif tool in ('gradle', 'gradlew') and goals:
            found.append((' '.join(cmd.argv[:2]),
                          ('build.gradle', 'build.gradle.kts', 'settings.gradle*')))
    return found


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


def check(df: Dockerfile, opts: SimpleNamespace) -> Iterator[Problem]:
    for stage in df.stages:
        copied: list[str] = []          # sources of earlier partial COPY/ADDs
        whole: Instruction | None = None
        for ins in stage.instructions:
            if ins.keyword in ('COPY', 'ADD') and 'from' not in ins.flags:
                if copies_whole_context(ins):
                    if whole is None:
                        whole = ins
                else:
                    copied.extend(copy_sources(ins))
                continue
            if ins.keyword != 'RUN' or whole is None:
                continue
            for text, manifests in dependency_installs(ins):
                if _covered(manifests, copied):
                    continue
                src = ' '.join(copy_sources(whole))
                yield Problem(
                    whole.line, whole.col,
                    f'{whole.keyword} {src} copies the whole context before `{text}` '
                    f'(line {ins.line}), so any source change re-runs the install; copy '
                    f'the dependency manifests first, install, then {whole.keyword} the rest',
                )
                whole = None  # one finding per whole-context COPY
                break


def main(argv: Sequence[str] | None = None) -> int:
    return run_hook(__name__, argv)


if __name__ == '__main__':
    raise SystemExit(main())
