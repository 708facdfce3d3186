from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from dockhooks import _hook
from dockhooks import cli
from dockhooks._context import discover
from dockhooks._context import required
from dockhooks.dockerignore_complete import main

BASE = '**/*.log, **/.env, **/.env.*'
NODE = f'**/node_modules, {BASE}'
PYTHON = f'.venv, **/__pycache__, {BASE}'
COMPLETE_NODE = '**/node_modules\n**/*.log\n**/.env\n**/.env.*\n'
COMPLETE_PYTHON = '.venv\n**/__pycache__\n**/*.log\n**/.env\n**/.env.*\n'
NODE_APP = 'FROM node:22-alpine\nWORKDIR /app\nCOPY . .\nRUN npm ci\n'
PYTHON_APP = 'FROM python:3.13-slim\nCOPY . /app\nRUN pip install -r /app/requirements.txt\n'
PLAIN_APP = 'FROM alpine:3.20\nCOPY . /srv\n'  # neither Node nor Python
ADDED = '# added by dockhooks: local junk and secrets stay out of the build context\n'
CREATED = '# Keep local junk and secrets out of the build context.\n'


def no_file(where: str, root: str, patterns: str) -> str:
    return (f'{where}: DH301 build context {root} has no .dockerignore to keep local junk and '
            f'secrets out of COPY; create one excluding {patterns}')


def missing(where: str, names: str, patterns: str, note: str = '') -> str:
    return f'{where}: DH301 does not exclude {names}; add {patterns}{note}'


def root_only(rule: str, line: int) -> str:
    return f' ({rule!r} on line {line} matches only at the context root)'


def reincludes(where: str, rule: str, name: str) -> str:
    return (f'{where}: DH301 {rule!r} re-includes {name} into the build context; '
            f'remove or narrow this line')


@pytest.fixture(autouse=True)
def _fresh_parse_cache():
    """Files are parsed once per process; these tests rewrite them between runs."""
    _hook._PARSED.clear()
    yield
    _hook._PARSED.clear()


def _write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding='utf-8')


def _run(capsys, *args: str) -> tuple[int, list[str]]:
    rc = main(list(args))
    out, err = capsys.readouterr()
    assert err == ''
    return rc, out.splitlines()


def _digest(root: Path) -> str:
    h = hashlib.sha256()
    for path in sorted(root.rglob('*')):
        h.update(str(path.relative_to(root)).encode())
        if path.is_file():
            h.update(path.read_bytes())
    return h.hexdigest()


# -- a context with no ignore file, an incomplete one -----------------------------------------

def test_no_ignore_file(clean_cwd, capsys):
    _write(clean_cwd, {'app/Dockerfile': NODE_APP, 'app/package.json': '{}'})
    assert _run(capsys) == (1, [no_file('app/Dockerfile:1:1', 'app', NODE)])


def test_incomplete_file_one_finding_naming_every_entry(clean_cwd, capsys):
    _write(clean_cwd, {
        'api/Dockerfile': PYTHON_APP,
        'api/requirements.txt': 'flask\n',
        'api/main.py': '',
        'api/.dockerignore': '# build output\ndist\nnode_modules\n',
    })
    assert _run(capsys) == (1, [
        missing('api/.dockerignore:1:1', '.venv, __pycache__, log files, .env files', PYTHON),
    ])


def test_complete_file(clean_cwd, capsys):
    _write(clean_cwd, {'app/Dockerfile': NODE_APP, 'app/package.json': '{}',
                       'app/.dockerignore': COMPLETE_NODE})
    assert _run(capsys) == (0, [])


# -- Docker's matching, not git's --------------------------------------------------------------

NODE_REST = '**/*.log\n**/.env\n**/.env.*\n'

SEMANTICS = (
    # (a workspace: app/package.json and app/web/package.json)
    # `node_modules` is anchored at the context root: web/node_modules is still sent
    ('node_modules\n' + NODE_REST,
     [missing('app/.dockerignore:1:1', 'node_modules', NODE.split(', ')[0],
              root_only('node_modules', 1))]),
    ('**/node_modules\n' + NODE_REST, []),  # every depth
    ('**/node_modules/\n' + NODE_REST, []),  # a trailing slash is dropped, still excluded
    ('node_modules/\n' + NODE_REST,  # ... and does not make it match at any depth
     [missing('app/.dockerignore:1:1', 'node_modules', '**/node_modules',
              root_only('node_modules/', 1))]),
    ('/node_modules\n' + NODE_REST,  # a leading slash changes nothing: still root only
     [missing('app/.dockerignore:1:1', 'node_modules', '**/node_modules',
              root_only('/node_modules', 1))]),
    ('./node_modules\n' + NODE_REST,
     [missing('app/.dockerignore:1:1', 'node_modules', '**/node_modules',
              root_only('./node_modules', 1))]),
    # `*.log` and `.env*` are root-only too
    ('**/node_modules\n*.log\n**/.env\n**/.env.*\n',
     [missing('app/.dockerignore:1:1', 'log files', '**/*.log', root_only('*.log', 2))]),
    ('**/node_modules\n**/*.log\n.env*\n',
     [missing('app/.dockerignore:1:1', '.env files', '**/.env, **/.env.*',
              root_only('.env*', 3))]),
    # two root-only rules are both named
    ('node_modules\n*.log\n**/.env\n**/.env.*\n',
     [missing('app/.dockerignore:1:1', 'node_modules, log files', '**/node_modules, **/*.log',
              " ('node_modules' on line 1 and '*.log' on line 2 match only at the context "
              'root)')]),
    # `#` is a comment in the first column only: ` #x` is a pattern, the entries still count
    ('# comment\n #not-a-comment\n' + COMPLETE_NODE, []),
    # `**/.env` alone misses .env.local
    ('**/node_modules\n**/*.log\n**/.env\n',
     [missing('app/.dockerignore:1:1', '.env files', '**/.env, **/.env.*')]),
    # allowlist style: everything out, then the sources back in
    ('*\n!src\n!package.json\n', []),
    ('*\n', []),
    # a parent folder's match covers what is below it (logs/app.log), not web/debug.log
    ('**/node_modules\nlogs\n*.log\n**/.env\n**/.env.*\n',
     [missing('app/.dockerignore:1:1', 'log files', '**/*.log', root_only('*.log', 3))]),
    ('**/node_modules\n**/logs\n**/*.log\n**/.env\n**/.env.*\n', []),
    # `!` lines re-including a required entry are reported at that line
    ('*\n!node_modules\n',
     [reincludes('app/.dockerignore:2:1', '!node_modules', 'node_modules')]),
    (COMPLETE_NODE + '!*.log\n', [reincludes('app/.dockerignore:5:1', '!*.log', 'log files')]),
    (COMPLETE_NODE + '  !  .env.local  \n',  # reported as written, trimmed
     [reincludes('app/.dockerignore:5:1', '!  .env.local', '.env files')]),
    (COMPLETE_NODE + '!keep.log\n', []),  # one named file: not the entry
    # the last matching line wins: a later exclusion undoes the `!`
    ('*\n!node_modules\n**/node_modules\n', []),
)


@pytest.mark.parametrize(('ignore', 'expected'), SEMANTICS)
def test_docker_semantics(clean_cwd, capsys, ignore, expected):
    _write(clean_cwd, {'app/Dockerfile': NODE_APP, 'app/package.json': '{}',
                       'app/web/package.json': '{}', 'app/.dockerignore': ignore})
    assert _run(capsys) == (1 if expected else 0, expected)


@pytest.mark.parametrize(('ignore', 'expected'), (
    # `__pycache__` alone only excludes the folder at the root: app/__pycache__ is sent
    ('.venv\n__pycache__\n**/*.log\n**/.env\n**/.env.*\n',
     [missing('api/.dockerignore:1:1', '__pycache__', '**/__pycache__',
              root_only('__pycache__', 2))]),
    (COMPLETE_PYTHON, []),
    ('.venv/\n**/__pycache__/\n**/*.log\n**/.env\n**/.env.*\n', []),
    ('**/.venv\n**/__pycache__\n**/*.log\n**/.env*\n', []),  # `.env*` covers both at any depth
))
def test_python_semantics(clean_cwd, capsys, ignore, expected):
    _write(clean_cwd, {'api/Dockerfile': PYTHON_APP, 'api/requirements.txt': '',
                       'api/app/main.py': '', 'api/.dockerignore': ignore})
    assert _run(capsys) == (1 if expected else 0, expected)


@pytest.mark.parametrize(('ignore', 'expected'), (
    ('./.git\n' + NODE_REST, []),  # a leading ./ is dropped
    ('.git/\n' + NODE_REST, []),
    ('/.git\n' + NODE_REST, []),
    ('**/.git\n' + NODE_REST, []),
    (NODE_REST, [missing('.dockerignore:1:1', '.git', '.git')]),
))
def test_git_at_the_context_root(clean_cwd, capsys, ignore, expected):
    # clean_cwd holds .git: the context at the repository root must exclude it
    _write(clean_cwd, {'Dockerfile': PLAIN_APP, '.dockerignore': ignore})
    assert _run(capsys) == (1 if expected else 0, expected)


@pytest.mark.parametrize('ignore', ('[\n', '# first\n**/*.log\n[\n'))
def test_broken_class_is_dh001(clean_cwd, capsys, ignore):
    _write(clean_cwd, {'app/Dockerfile': PLAIN_APP, 'app/.dockerignore': ignore})
    line = ignore.count('\n')
    assert _run(capsys) == (1, [
        f"app/.dockerignore:{line}:1: DH001 cannot be checked: pattern '[' has an unclosed "
        f'[...] class: Docker fails the build on it',
    ])


def test_lone_exclamation_mark_is_dh001(clean_cwd, capsys):
    _write(clean_cwd, {'app/Dockerfile': PLAIN_APP, 'app/.dockerignore': '**/*.log\n!\n'})
    assert _run(capsys) == (1, [
        "app/.dockerignore:2:1: DH001 cannot be checked: pattern '!' has a \"!\" with no "
        'pattern after it (illegal exclusion pattern): Docker fails the build on it',
    ])


# -- which ignore file -------------------------------------------------------------------------

def test_dockerfile_specific_ignore_file_wins(clean_cwd, capsys):
    # BuildKit reads <Dockerfile>.dockerignore beside the Dockerfile before .dockerignore
    _write(clean_cwd, {
        'app/Dockerfile': PLAIN_APP,
        'app/Dockerfile.dockerignore': '**/*.log\n**/.env\n**/.env.*\n',
        'app/.dockerignore': '',  # not used
        'app/api.Dockerfile': PLAIN_APP,  # no api.Dockerfile.dockerignore: .dockerignore
    })
    assert _run(capsys) == (1, [
        missing('app/.dockerignore:1:1', 'log files, .env files', BASE),
    ])


def test_dockerfile_specific_ignore_file_incomplete(clean_cwd, capsys):
    _write(clean_cwd, {
        'app/Dockerfile': PLAIN_APP,
        'app/Dockerfile.dockerignore': '**/*.log\n',
        'app/.dockerignore': '**/*.log\n**/.env\n**/.env.*\n',  # complete, but not used
    })
    assert _run(capsys) == (1, [
        missing('app/Dockerfile.dockerignore:1:1', '.env files', '**/.env, **/.env.*'),
    ])


def test_specific_ignore_file_of_a_dockerfile_in_another_folder(clean_cwd, capsys):
    _write(clean_cwd, {
        'svc/compose.yaml': 'services:\n  api:\n    build:\n      context: .\n'
                            '      dockerfile: docker/api.Dockerfile\n',
        'svc/docker/api.Dockerfile': PLAIN_APP,
        'svc/docker/api.Dockerfile.dockerignore': '**/*.log\n',
    })
    # the ignore file is not at the context root: the message names the context
    assert _run(capsys) == (1, [
        'svc/docker/api.Dockerfile.dockerignore:1:1: DH301 does not exclude .env files from '
        'build context svc; add **/.env, **/.env.*',
    ])


# -- compose build contexts --------------------------------------------------------------------

def test_compose_short_form_is_the_dockerfile_folder(clean_cwd, capsys):
    _write(clean_cwd, {
        'compose.yaml': 'services:\n  api:\n    build: ./api\n',
        'api/Dockerfile': PLAIN_APP,
    })
    # one context, one finding (not one for the folder and one for compose)
    assert _run(capsys) == (1, [no_file('api/Dockerfile:1:1', 'api', BASE)])


def test_compose_parent_context_replaces_the_dockerfile_folder(clean_cwd, capsys):
    _write(clean_cwd, {
        'proj/deploy/compose.yaml': 'services:\n  api:\n    build:\n      context: ..\n'
                                    '      dockerfile: docker/Dockerfile\n',
        'proj/docker/Dockerfile': PLAIN_APP,
    })
    # built from proj: proj/docker is no context of it
    assert _run(capsys) == (1, [no_file('proj/docker/Dockerfile:1:1', 'proj', BASE)])
    (clean_cwd / 'proj' / '.dockerignore').write_text(COMPLETE_NODE)
    assert _run(capsys) == (0, [])


def test_compose_context_holding_git(clean_cwd, capsys):
    _write(clean_cwd, {
        'deploy/compose.yaml': 'services:\n  api:\n    build:\n      context: ..\n'
                               '      dockerfile: docker/Dockerfile\n',
        'docker/Dockerfile': PLAIN_APP,
    })
    assert _run(capsys) == (1, [no_file('docker/Dockerfile:1:1', '.', f'.git, {BASE}')])


def test_compose_dockerfile_inline(clean_cwd, capsys):
    _write(clean_cwd, {
        'compose.yaml': 'services:\n  web:\n    build:\n      context: ./site\n'
                        '      dockerfile_inline: |\n        FROM nginx:1.27\n'
                        '        COPY . /usr/share/nginx/html\n',
        'site/index.html': '<h1>hi</h1>\n',
    })
    # no Dockerfile to point at: reported at the build key
    assert _run(capsys) == (1, [no_file('compose.yaml:3:1', 'site', BASE)])


def test_compose_builds_that_cannot_run_are_not_judged(clean_cwd, capsys):
    _write(clean_cwd, {
        'compose.yaml': 'services:\n'
                        '  gone:\n    build: ./not-there\n'  # generated later, or a mistake
                        '  nodockerfile:\n    build: ./empty\n'  # no Dockerfile in it
                        '  remote:\n    build: https://github.com/docker/compose.git\n'
                        '  unknown:\n    build: ${CONTEXT}\n',
        'empty/README.md': 'x\n',
    })
    assert _run(capsys) == (0, [])


def test_compose_include_project_directory(clean_cwd, capsys):
    # laradock: each service in name/compose.yml, included with project_directory: . so
    # `context: ./nginx` is relative to the including file's folder
    _write(clean_cwd, {
        'compose.yaml': 'include:\n  - path: nginx/compose.yml\n    project_directory: .\n',
        'nginx/compose.yml': 'services:\n  nginx:\n    build:\n      context: ./nginx\n',
        'nginx/Dockerfile': 'FROM nginx:1.27\nCOPY . /usr/share/nginx/html\n',
    })
    assert _run(capsys) == (1, [no_file('nginx/Dockerfile:1:1', 'nginx', BASE)])


def test_compose_include_without_project_directory(clean_cwd, capsys):
    _write(clean_cwd, {
        'compose.yaml': 'include:\n  - nginx/compose.yml\n',
        'nginx/compose.yml': 'services:\n  nginx:\n    build: .\n',
        'nginx/Dockerfile': 'FROM nginx:1.27\nCOPY . /usr/share/nginx/html\n',
    })
    assert _run(capsys) == (1, [no_file('nginx/Dockerfile:1:1', 'nginx', BASE)])


# -- which contexts are judged: what the sources can send -------------------------------------

@pytest.mark.parametrize(('dockerfile', 'files', 'patterns'), (
    ('FROM alpine:3.20\nRUN apk add curl\n', {}, None),  # copies nothing
    ('FROM alpine:3.20\nCOPY docker-entrypoint.sh /usr/local/bin/\n',
     {'docker-entrypoint.sh': ''}, None),  # a named file
    ('FROM golang:1.23 AS build\nFROM alpine:3.20\nCOPY --from=build /out /\n', {}, None),
    ('FROM alpine:3.20\nADD https://example.com/a.tgz /tmp/\n', {}, None),
    ('FROM alpine:3.20\nONBUILD COPY . /app\n', {}, None),  # the child build's context
    ('FROM alpine:3.20\nCOPY <<EOF /etc/motd\nhi\nEOF\n', {}, None),  # heredoc
    ('FROM alpine:3.20\nCOPY *.sh /usr/local/bin/\n', {'a.sh': ''}, None),  # files by name
    # a variable inside a name still names files: BuildKit sends one binary
    ('FROM alpine:3.20\nARG TARGETARCH\nCOPY app-linux-$TARGETARCH /bin/app\n',
     {'app-linux-amd64': ''}, None),
    ('FROM alpine:3.20\nARG ARTIFACT\nCOPY ${ARTIFACT}.jar /app.jar\n', {'a.jar': ''}, None),
    # a source that is only a variable cannot be known: not judged on its account
    ('FROM alpine:3.20\nARG SRC\nCOPY $SRC /srv\n', {}, None),
    # folders of committed files where no junk arises (no project, no .py): nothing to exclude
    ('FROM alpine:3.20\nCOPY conf/ /etc/app/\n', {'conf/app.ini': ''}, None),
    ('FROM alpine:3.20\nCOPY conf/* /etc/app/\n', {'conf/app.ini': ''}, None),
    ('FROM alpine:3.20\nCOPY *.d /etc/\n', {'conf.d/a': ''}, None),
    # the whole context: its root is a project root (logs, .env files)
    ('FROM alpine:3.20\nCOPY . /srv\n', {}, BASE),
    ('FROM alpine:3.20\nCOPY ./ /srv\n', {}, BASE),
    ('FROM alpine:3.20\nCOPY ["./", "/srv"]\n', {}, BASE),
    ('FROM alpine:3.20\nCOPY * /srv/\n', {}, BASE),  # `*` matches .env too
    ('FROM alpine:3.20\nARG SRC=.\nCOPY ${SRC} /srv\n', {}, BASE),
    ('FROM alpine:3.20\nRUN --mount=type=bind,target=/src make -C /src\n', {}, BASE),
    ('FROM alpine:3.20\nCOPY a.sh b.sh /bin/\nCOPY . /srv\n', {'a.sh': '', 'b.sh': ''},
     BASE),  # any one source counts
    # a folder that is a project: what arises in it
    ('FROM node:22\nCOPY web/ /srv/\n', {'web/package.json': '{}'}, NODE),
    ('FROM python:3.13\nCOPY api /srv/api\n', {'api/main.py': ''}, '**/__pycache__'),
    ('FROM alpine:3.20\nRUN --mount=type=bind,source=a.txt,target=/a cat /a\n',
     {'a.txt': ''}, None),
    ('FROM alpine:3.20\nRUN --mount=type=cache,target=/root/.cache make\n', {}, None),
    ('FROM alpine:3.20\nRUN --mount=from=build,target=/src make\n', {}, None),
))
def test_only_what_the_sources_can_send(clean_cwd, capsys, dockerfile, files, patterns):
    _write(clean_cwd, {'app/Dockerfile': dockerfile, **{f'app/{k}': v for k, v in files.items()}})
    (ctx,) = discover(['app/Dockerfile'])
    assert bool(required(ctx, [])) is (patterns is not None)
    expected = [no_file('app/Dockerfile:1:1', 'app', patterns)] if patterns else []
    assert _run(capsys) == (1 if patterns else 0, expected)


def test_dockerfile_naming_its_own_folder_is_built_from_the_parent(clean_cwd, capsys):
    # synapse: docker/Dockerfile copies docker/start.py, so it is built from the repository
    _write(clean_cwd, {
        'repo/docker/Dockerfile': 'FROM python:3.13-slim\nCOPY docker/start.py /start.py\n'
                                  'COPY . /app\n',
        'repo/docker/start.py': '',
        'repo/.dockerignore': '*\n!docker\n!synapse\n**/__pycache__\n',
        'repo/synapse/__init__.py': '',
    })
    (ctx,) = discover(['repo/docker/Dockerfile'])
    assert ctx.root == 'repo'
    assert _run(capsys) == (0, [])
    (clean_cwd / 'repo' / '.dockerignore').unlink()
    assert _run(capsys) == (1, [no_file('repo/docker/Dockerfile:1:1', 'repo',
                                        '**/__pycache__, **/*.log, **/.env, **/.env.*')])


def test_context_is_where_the_named_sources_are(clean_cwd):
    # ory: .docker/Dockerfile-build copies go.mod and oryx/go.mod from the repository root
    _write(clean_cwd, {
        'repo/.docker/Dockerfile-build': 'FROM golang:1.23\nCOPY go.mod go.sum ./\n'
                                         'COPY oryx/go.mod oryx/\nCOPY . .\n',
        'repo/go.mod': '', 'repo/go.sum': '', 'repo/oryx/go.mod': '',
        # aspnetapp: a sub-folder named like its parent is the own folder's
        'samples/app/Dockerfile': 'FROM mcr.microsoft.com/dotnet/sdk:9.0\n'
                                  'COPY app/*.csproj app/\nCOPY . .\n',
        'samples/app/app/app.csproj': '',
    })
    roots = {c.dockerfile: c.root for c in discover(
        ['repo/.docker/Dockerfile-build', 'samples/app/Dockerfile'])}
    assert roots == {'repo/.docker/Dockerfile-build': 'repo',
                     'samples/app/Dockerfile': 'samples/app'}


@pytest.mark.parametrize(('comment', 'root'), (
    # the header documents the build: the -f path is this file, from the module's root
    ('# docker build -f src/main/docker/Dockerfile.jvm -t quarkus/app .', 'mod'),
    ('#   docker buildx build --file src/main/docker/Dockerfile.jvm --push mod-ctx', 'mod/mod-ctx'),
    ('# podman build -f src/main/docker/Dockerfile.jvm ..', '.'),
    # another file, or no -f: the own folder (or the sources' folder)
    ('# docker build -f other/Dockerfile .', 'mod/src/main/docker'),
    ('# docker build -t app .', 'mod/src/main/docker'),
))
def test_context_documented_in_the_header(clean_cwd, comment, root):
    _write(clean_cwd, {'mod/src/main/docker/Dockerfile.jvm': f'{comment}\nFROM alpine:3.20\n'
                                                             'COPY . /srv\n',
                       'mod/mod-ctx/x': ''})
    (ctx,) = discover(['mod/src/main/docker/Dockerfile.jvm'])
    assert os.path.normpath(ctx.root) == os.path.normpath(root)


def test_builds_that_cannot_run_as_written_are_not_judged(clean_cwd, capsys):
    _write(clean_cwd, {
        # a leftover template: the lock file it copies exists nowhere
        'apps/remix/Dockerfile.pnpm': 'FROM node:22\nCOPY package.json pnpm-lock.yaml ./\n'
                                      'COPY . .\n',
        'apps/remix/package.json': '{}',
        # a package of a pnpm workspace that needs its siblings: built from the root
        'pnpm-workspace.yaml': 'packages: ["apps/*"]\n',
        'apps/admin/Dockerfile': 'FROM node:22\nCOPY . .\nRUN pnpm install\n',
        'apps/admin/package.json': '{"dependencies": {"ui": "workspace:*"}}',
    })
    assert discover(['apps/remix/Dockerfile.pnpm', 'apps/admin/Dockerfile']) == []
    assert _run(capsys) == (0, [])


def test_context_stays_inside_the_repository(clean_cwd):
    # never above the repository: a root Dockerfile naming `<checkout>/x` cannot be built
    _write(clean_cwd, {
        'Dockerfile': f'FROM alpine:3.20\nCOPY {clean_cwd.name}/run.sh /\nCOPY . /srv\n',
        'app/Dockerfile': 'FROM alpine:3.20\nCOPY app/run.sh /\nCOPY . /srv\n',
        'app/run.sh': '',
    })
    assert [(c.dockerfile, c.root) for c in discover(['Dockerfile', 'app/Dockerfile'])] == [
        ('app/Dockerfile', '.')]


def test_two_dockerfiles_share_one_ignore_file(clean_cwd, capsys):
    _write(clean_cwd, {
        'app/Dockerfile': 'FROM python:3.13\nCOPY api/ /srv/\n',
        'app/api/main.py': '',
        'app/web.Dockerfile': 'FROM node:22\nCOPY web/ /srv/\n',
        'app/web/package.json': '{}',
        'app/.dockerignore': '**/*.log\n**/.env\n**/.env.*\n',
    })
    assert _run(capsys) == (1, [
        missing('app/.dockerignore:1:1', 'node_modules, __pycache__',
                '**/node_modules, **/__pycache__'),
    ])
    (clean_cwd / 'app' / '.dockerignore').unlink()
    # no ignore file: each Dockerfile is told, with the union of the entries
    union = '**/node_modules, **/__pycache__, **/*.log, **/.env, **/.env.*'
    assert _run(capsys) == (1, [
        no_file('app/Dockerfile:1:1', 'app', union),
        no_file('app/web.Dockerfile:1:1', 'app', union),
    ])


# -- ecosystems: by the manifests and sources in what is sent ---------------------------------

@pytest.mark.parametrize(('dockerfile', 'files', 'patterns'), (
    # Node: node_modules beside each package.json
    (PLAIN_APP, {'package.json': '{}'}, NODE),
    (PLAIN_APP, {'web/package.json': '{}'}, NODE),
    # an npm/yarn command without a package.json in the context installs a tool, or a
    # project the build fetches itself (a git clone): no local node_modules can be sent
    (PLAIN_APP + 'RUN yarn install --frozen-lockfile\n', {}, BASE),
    (PLAIN_APP + 'RUN git clone https://x/app . && pnpm install\n', {}, BASE),
    ('FROM node:22\nCOPY . .\nCMD ["node", "server.js"]\n', {'server.js': ''}, BASE),
    # Python: .venv beside a manifest, __pycache__ beside .py files
    (PLAIN_APP, {'main.py': ''}, '**/__pycache__, **/*.log, **/.env, **/.env.*'),
    (PLAIN_APP, {'requirements-dev.txt': ''}, f'.venv, {BASE}'),
    (PLAIN_APP, {'pyproject.toml': '', 'src/app/__init__.py': ''}, PYTHON),
    (PLAIN_APP, {'tools/pyproject.toml': ''}, f'**/.venv, {BASE}'),
    (PLAIN_APP + 'RUN pip install flask\n', {}, BASE),  # a tool for the image
    (PLAIN_APP, {'node_modules/x/setup.py': ''}, BASE),  # a package's .py is not the app's
    # both
    (PLAIN_APP, {'package.json': '{}', 'tools/gen.py': ''},
     f'**/node_modules, **/__pycache__, {BASE}'),
    # neither
    (PLAIN_APP, {'main.go': '', 'go.mod': ''}, BASE),
))
def test_ecosystems(clean_cwd, capsys, dockerfile, files, patterns):
    _write(clean_cwd, {'app/Dockerfile': dockerfile, **{f'app/{k}': v for k, v in files.items()}})
    assert _run(capsys) == (1, [no_file('app/Dockerfile:1:1', 'app', patterns)])


def test_env_templates_the_build_reads_are_kept(clean_cwd, capsys):
    # `**/.env.*` would drop .env.example and web/.env.production, which builds read: the
    # patterns keep the committed ones (a local .env.local is not committed)
    _write(clean_cwd, {
        'app/Dockerfile': PLAIN_APP, 'app/.env.example': 'A=\n',
        'app/web/.env.production': 'VITE_URL=/\n', 'app/web/package.json': '{}',
    })
    assert _run(capsys) == (1, [no_file(
        'app/Dockerfile:1:1', 'app',
        '**/node_modules, **/*.log, **/.env, **/.env.*, !**/.env*.example, '
        '!web/.env.production')])


def test_git_history_the_build_needs_stays(clean_cwd, capsys):
    # versions from git tags: excluding .git would break the build
    _write(clean_cwd, {'Dockerfile': 'FROM python:3.13\nCOPY . .\nRUN pip install .\n',
                       'pyproject.toml': '[tool.setuptools_scm]\n'})
    assert _run(capsys) == (1, [no_file('Dockerfile:1:1', '.', f'.venv, {BASE}')])


def test_git_only_where_the_context_root_holds_it(clean_cwd, capsys):
    _write(clean_cwd, {'Dockerfile': PLAIN_APP, 'app/Dockerfile': PLAIN_APP})
    assert _run(capsys) == (1, [
        no_file('Dockerfile:1:1', '.', f'.git, {BASE}'),
        no_file('app/Dockerfile:1:1', 'app', BASE),
    ])


def test_extra_ignore_entries(clean_cwd, capsys):
    _write(clean_cwd, {
        'app/Dockerfile': PLAIN_APP,
        'app/.dockerignore': '**/*.log\n**/.env\n**/.env.*\ncoverage\n',
    })
    assert _run(capsys, '--extra-ignore-entries', 'coverage,**/*.tmp') == (1, [
        missing('app/.dockerignore:1:1', '**/*.tmp', '**/*.tmp'),
    ])
    (clean_cwd / 'app' / '.dockerignore').unlink()
    assert _run(capsys, '--extra-ignore-entries', 'coverage') == (1, [
        no_file('app/Dockerfile:1:1', 'app', f'{BASE}, coverage'),
    ])


# -- --fix -------------------------------------------------------------------------------------

def test_fix_creates_the_file(clean_cwd, capsys):
    _write(clean_cwd, {'app/Dockerfile': NODE_APP, 'app/package.json': '{}'})
    assert _run(capsys, '--fix') == (1, ['Fixing app/.dockerignore'])
    assert (clean_cwd / 'app' / '.dockerignore').read_text() == CREATED + COMPLETE_NODE
    before = _digest(clean_cwd)
    assert _run(capsys, '--fix') == (0, [])  # idempotent
    assert _run(capsys) == (0, [])
    assert _digest(clean_cwd) == before


@pytest.mark.parametrize('existing', (
    '# my rules\nnode_modules\n\n   # indented: a pattern for Docker\n!keep.log\n',
    'node_modules',  # no final newline
    'node_modules\r\n# windows\r\n',  # CRLF kept as it is
    '\ufeffnode_modules\n',  # BOM kept
    '',
))
def test_fix_appends_and_keeps_every_byte(clean_cwd, capsys, existing):
    _write(clean_cwd, {'app/Dockerfile': NODE_APP, 'app/package.json': '{}',
                       'app/web/package.json': '{}'})
    path = clean_cwd / 'app' / '.dockerignore'
    path.write_bytes(existing.encode('utf-8'))
    assert _run(capsys, '--fix') == (1, ['Fixing app/.dockerignore'])
    sep = '' if existing.endswith('\n') or not existing else '\n'
    assert path.read_bytes().decode('utf-8') == existing + sep + ADDED + COMPLETE_NODE
    before = path.read_bytes()
    assert _run(capsys, '--fix') == (0, [])
    assert path.read_bytes() == before


def test_fix_appends_only_what_is_missing(clean_cwd, capsys):
    _write(clean_cwd, {'app/Dockerfile': NODE_APP, 'app/package.json': '{}',
                       'app/.dockerignore': '**/node_modules\n'})
    assert _run(capsys, '--fix') == (1, ['Fixing app/.dockerignore'])
    assert (clean_cwd / 'app' / '.dockerignore').read_text() == (
        '**/node_modules\n' + ADDED + '**/*.log\n**/.env\n**/.env.*\n')


def test_fix_leaves_reincludes_and_broken_files(clean_cwd, capsys):
    _write(clean_cwd, {
        'a/Dockerfile': PLAIN_APP, 'a/.dockerignore': '*\n!.env.local\n',
        'b/Dockerfile': PLAIN_APP, 'b/.dockerignore': '[\n',
    })
    before = _digest(clean_cwd)
    assert _run(capsys, '--fix') == (1, [
        reincludes('a/.dockerignore:2:1', '!.env.local', '.env files'),
        "b/.dockerignore:1:1: DH001 cannot be checked: pattern '[' has an unclosed [...] class: "
        'Docker fails the build on it',
    ])
    assert _digest(clean_cwd) == before


def test_fix_through_dockhooks_check(clean_cwd, capsys):
    _write(clean_cwd, {'app/Dockerfile': PLAIN_APP})
    assert cli.main(['check', '--select', 'DH301', '--fix']) == 1
    assert capsys.readouterr().out.splitlines() == ['Fixing app/.dockerignore']
    assert cli.main(['check', '--select', 'DH301', '--fix']) == 0
    assert capsys.readouterr().out == ''


def test_no_write_without_fix(clean_cwd, capsys):
    _write(clean_cwd, {
        'a/Dockerfile': NODE_APP,
        'b/Dockerfile': PYTHON_APP, 'b/.dockerignore': 'node_modules',
        'compose.yaml': 'services:\n  c:\n    build:\n      context: ./c\n'
                        '      dockerfile_inline: "FROM alpine\\nCOPY . /\\n"\n',
        'c/x.txt': '',
    })
    before = _digest(clean_cwd)
    rc, out = _run(capsys)
    assert rc == 1 and len(out) == 3
    assert _digest(clean_cwd) == before
    assert not any(line.startswith('Fixing') for line in out)


def test_fix_leaves_contexts_that_copy_no_folder(clean_cwd, capsys):
    _write(clean_cwd, {'app/Dockerfile': 'FROM alpine:3.20\nCOPY run.sh /run.sh\n'})
    assert _run(capsys, '--fix') == (0, [])
    assert not (clean_cwd / 'app' / '.dockerignore').exists()


# -- the whole repository, whatever pre-commit hands over -------------------------------------

@pytest.fixture
def git_env(monkeypatch):
    if shutil.which('git') is None:
        pytest.skip('git is needed')
    for key in list(os.environ):
        if key.startswith('GIT_'):
            monkeypatch.delenv(key)


def test_no_filenames_in_a_git_repository_sees_every_context(clean_cwd, git_env, capsys,
                                                             monkeypatch):
    repo = clean_cwd / 'repo'
    _write(repo, {
        'api/Dockerfile': PLAIN_APP,
        'web/Dockerfile': NODE_APP,
        'web/.dockerignore': COMPLETE_NODE,
        'vendor/lib/Dockerfile': PLAIN_APP,  # git-ignored: not the repository's
        '.gitignore': 'vendor/\n',
    })
    subprocess.run(('git', 'init', '-q'), cwd=repo, check=True, capture_output=True)
    monkeypatch.chdir(repo)
    # pre-commit runs the hook with pass_filenames: false, whatever was staged
    assert _run(capsys) == (1, [no_file('api/Dockerfile:1:1', 'api', BASE)])


def test_filenames_given_are_the_contexts_checked(clean_cwd, capsys):
    _write(clean_cwd, {'api/Dockerfile': PLAIN_APP, 'web/Dockerfile': PLAIN_APP})
    assert _run(capsys, 'web/Dockerfile') == (1, [no_file('web/Dockerfile:1:1', 'web', BASE)])
