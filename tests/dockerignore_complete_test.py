from __future__ import annotations

import hashlib
import os
import subprocess
from pathlib import Path

import pytest
from dockhooks import _buildcmds
from dockhooks import _hook
from dockhooks import cli
from dockhooks._context import build_roots
from dockhooks._context import discover
from dockhooks._context import required
from dockhooks.dockerignore_complete import main

ENV = '**/.env, **/.env.*'
TEMPLATES = f'{ENV}, !**/.env*.example'
NODE_APP = 'FROM node:22-alpine\nWORKDIR /app\nCOPY . .\nRUN npm ci\n'
PYTHON_APP = 'FROM python:3.13-slim\nCOPY . /app\nRUN pip install -r /app/requirements.txt\n'
PLAIN_APP = 'FROM alpine:3.20\nCOPY . /srv\n'  # neither Node nor Python
COMPLETE = '.git\n**/node_modules\n.venv\n**/__pycache__\n**/*.log\n**/.env\n**/.env.*\n'
ADDED = '# added by dockhooks: local junk and secrets stay out of the build context\n'
CREATED = '# Keep local junk and secrets out of the build context.\n'
# A compose file that builds app/ from its own folder: the context is known.
BUILD_APP = 'services:\n  app:\n    build: ./app\n'


def no_file(where: str, root: str, names: str, patterns: str, also: str = '') -> str:
    return (f'{where}: DH301 build context {root} has no .dockerignore to keep {names} out of '
            f'COPY; create one excluding {patterns}{also}')


def missing(where: str, names: str, patterns: str, note: str = '') -> str:
    return f'{where}: DH301 does not exclude {names}; add {patterns}{note}'


def root_only(rule: str, line: int) -> str:
    return f' ({rule!r} on line {line} matches only at the context root)'


def reincludes(where: str, rule: str, name: str) -> str:
    return (f'{where}: DH301 {rule!r} re-includes {name} into the build context; '
            f'remove or narrow this line')


@pytest.fixture(autouse=True)
def _fresh_caches():
    """Files are parsed once per process and build commands read once per repository;
    these tests rewrite them between runs."""
    _hook._PARSED.clear()
    _buildcmds._INDEX.clear()
    yield
    _hook._PARSED.clear()
    _buildcmds._INDEX.clear()


def _write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding='utf-8')


def _run(capsys, *args: str) -> tuple[int, list[str]]:
    _hook._PARSED.clear()
    _buildcmds._INDEX.clear()
    rc = main(list(args))
    out, err = capsys.readouterr()
    # what a fix wrote is said on stderr, so that stdout stays the report (--format json)
    return rc, err.splitlines() + out.splitlines()


def _digest(root: Path) -> str:
    h = hashlib.sha256()
    for path in sorted(root.rglob('*')):
        h.update(str(path.relative_to(root)).encode())
        if path.is_file():
            h.update(path.read_bytes())
    return h.hexdigest()


def _git_repo(root: Path, files: dict[str, str], untracked: dict[str, str]) -> None:
    """A real repository at ``root``: ``files`` committed, ``untracked`` only on disk."""
    _write(root, files)
    for args in (('init', '-q'), ('add', '-A'),
                 ('-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', 'x')):
        subprocess.run(('git', *args), cwd=root, check=True, capture_output=True)
    _write(root, untracked)


# -- a context with no ignore file, an incomplete one -----------------------------------------

def test_no_ignore_file(clean_cwd, capsys):
    _write(clean_cwd, {'app/Dockerfile': NODE_APP, 'app/package.json': '{}'})
    assert _run(capsys) == (1, [
        no_file('app/Dockerfile:1:1', 'app', 'node_modules', '**/node_modules')])


def test_incomplete_file_one_finding_naming_every_entry(clean_cwd, capsys):
    _write(clean_cwd, {
        'api/Dockerfile': PYTHON_APP,
        'api/requirements.txt': 'flask\npython-dotenv==1.0\n',
        'api/main.py': '',
        'api/.dockerignore': '# build output\ndist\nnode_modules\n',
    })
    assert _run(capsys) == (1, [missing(
        'api/.dockerignore:1:1', '.venv, __pycache__, .env files (.env, read by python-dotenv)',
        f'.venv, **/__pycache__, {ENV}')])


def test_complete_file(clean_cwd, capsys):
    _write(clean_cwd, {'app/Dockerfile': NODE_APP, 'app/package.json': '{"dependencies": '
                       '{"dotenv": "16"}}', 'app/.dockerignore': COMPLETE})
    assert _run(capsys) == (0, [])


# -- Docker's matching, not git's --------------------------------------------------------------

NODE_REST = '**/*.log\n**/.env\n**/.env.*\n'
LOGS = 'log files (web/*.log, git-ignored)'
ENVS = '.env files (web/.env, git-ignored)'

SEMANTICS = (
    # (a workspace: app/package.json and app/web/package.json; app/.gitignore lists *.log and
    # .env, so they arise in app/ and app/web/)
    # `node_modules` is anchored at the context root: web/node_modules is still sent
    ('node_modules\n' + NODE_REST,
     [missing('app/.dockerignore:1:1', 'node_modules', '**/node_modules',
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
     [missing('app/.dockerignore:1:1', LOGS, '**/*.log', root_only('*.log', 2))]),
    ('**/node_modules\n**/*.log\n.env*\n',
     [missing('app/.dockerignore:1:1', ENVS, ENV, root_only('.env*', 3))]),
    # two root-only rules are both named
    ('node_modules\n*.log\n**/.env\n**/.env.*\n',
     [missing('app/.dockerignore:1:1', f'node_modules, {LOGS}', '**/node_modules, **/*.log',
              " ('node_modules' on line 1 and '*.log' on line 2 match only at the context "
              'root)')]),
    # `#` is a comment in the first column only: ` #x` is a pattern, the entries still count
    ('# comment\n #not-a-comment\n**/node_modules\n' + NODE_REST, []),
    # `**/.env` alone misses .env.local, which the .gitignore lists; only the missing
    # pattern is suggested
    ('**/node_modules\n**/*.log\n**/.env\n',
     [missing('app/.dockerignore:1:1', '.env files (.env.local, git-ignored)', '**/.env.*')]),
    # allowlist style: everything out, then the sources back in
    ('*\n!src\n!package.json\n', []),
    ('*\n', []),
    # a parent folder's match covers what is below it
    ('**/node_modules\n**/logs\n**/*.log\n**/.env\n**/.env.*\n', []),
    # `!` lines re-including a required entry are reported at that line
    ('*\n!node_modules\n',
     [reincludes('app/.dockerignore:2:1', '!node_modules', 'node_modules')]),
    ('**/node_modules\n' + NODE_REST + '!*.log\n',
     [reincludes('app/.dockerignore:5:1', '!*.log', 'log files')]),
    ('**/node_modules\n' + NODE_REST + '  !  .env.local  \n',  # reported as written, trimmed
     [reincludes('app/.dockerignore:5:1', '!  .env.local', '.env files')]),
    ('**/node_modules\n' + NODE_REST + '!keep.log\n', []),  # one named file: not the entry
    # the last matching line wins: a later exclusion undoes the `!`
    ('*\n!node_modules\n**/node_modules\n', []),
)


@pytest.mark.parametrize(('ignore', 'expected'), SEMANTICS)
def test_docker_semantics(clean_cwd, capsys, ignore, expected):
    _write(clean_cwd, {'app/Dockerfile': NODE_APP, 'app/package.json': '{}',
                       'app/web/package.json': '{}', 'app/.gitignore': '*.log\n.env\n.env.local\n',
                       'app/.dockerignore': ignore})
    assert _run(capsys) == (1 if expected else 0, expected)


@pytest.mark.parametrize(('ignore', 'expected'), (
    # `__pycache__` alone only excludes the folder at the root: app/__pycache__ is sent
    ('.venv\n__pycache__\n',
     [missing('api/.dockerignore:1:1', '__pycache__', '**/__pycache__',
              root_only('__pycache__', 2))]),
    ('.venv\n**/__pycache__\n', []),
    ('.venv/\n**/__pycache__/\n', []),
    ('**/.venv\n**/__pycache__\n', []),
))
def test_python_semantics(clean_cwd, capsys, ignore, expected):
    _write(clean_cwd, {'api/Dockerfile': PYTHON_APP, 'api/requirements.txt': '',
                       'api/app/main.py': '', 'api/.dockerignore': ignore})
    assert _run(capsys) == (1 if expected else 0, expected)


@pytest.mark.parametrize(('ignore', 'expected'), (
    ('./.git\n', []),  # a leading ./ is dropped
    ('.git/\n', []),
    ('/.git\n', []),
    ('**/.git\n', []),
    ('*.log\n', [missing('.dockerignore:1:1', '.git', '.git')]),
))
def test_git_at_the_context_root(clean_cwd, capsys, ignore, expected):
    # clean_cwd holds .git: the context at the repository root must exclude it
    _write(clean_cwd, {'Dockerfile': PLAIN_APP, '.dockerignore': ignore})
    assert _run(capsys) == (1 if expected else 0, expected)


@pytest.mark.parametrize('ignore', ('[\n', '# first\n**/*.log\n[\n'))
def test_broken_class_is_dh001(clean_cwd, capsys, ignore):
    _write(clean_cwd, {'Dockerfile': PLAIN_APP, '.dockerignore': ignore})
    line = ignore.count('\n')
    assert _run(capsys) == (1, [
        f".dockerignore:{line}:1: DH001 cannot be checked: pattern '[' has an unclosed "
        f'[...] class: Docker fails the build on it',
    ])


def test_lone_exclamation_mark_is_dh001(clean_cwd, capsys):
    _write(clean_cwd, {'Dockerfile': PLAIN_APP, '.dockerignore': '**/*.log\n!\n'})
    assert _run(capsys) == (1, [
        ".dockerignore:2:1: DH001 cannot be checked: pattern '!' has a \"!\" with no "
        'pattern after it (illegal exclusion pattern): Docker fails the build on it',
    ])


# -- which ignore file -------------------------------------------------------------------------

def test_dockerfile_specific_ignore_file_wins(clean_cwd, capsys):
    # BuildKit reads <Dockerfile>.dockerignore beside the Dockerfile before .dockerignore
    _write(clean_cwd, {
        'compose.yaml': 'services:\n  a:\n    build: ./app\n  b:\n    build:\n'
                        '      context: ./app\n      dockerfile: api.Dockerfile\n',
        'app/Dockerfile': PLAIN_APP,
        'app/Dockerfile.dockerignore': '**/.env\n**/.env.*\n',
        'app/.dockerignore': '',  # read only by api.Dockerfile
        'app/api.Dockerfile': PLAIN_APP,
        'app/.env.example': 'A=\n',
    })
    assert _run(capsys) == (1, [
        missing('app/.dockerignore:1:1', '.env files (.env, from .env.example)', TEMPLATES),
    ])


def test_dockerfile_specific_ignore_file_incomplete(clean_cwd, capsys):
    _write(clean_cwd, {
        'compose.yaml': BUILD_APP,
        'app/Dockerfile': PLAIN_APP,
        'app/Dockerfile.dockerignore': '**/.env\n',
        'app/.dockerignore': '**/.env\n**/.env.*\n',  # complete, but not used
        'app/.env.local.example': 'A=\n',
    })
    assert _run(capsys) == (1, [missing(
        'app/Dockerfile.dockerignore:1:1', '.env files (.env.local, from .env.local.example)',
        '**/.env.*, !**/.env*.example')])


def test_specific_ignore_file_of_a_dockerfile_in_another_folder(clean_cwd, capsys):
    _write(clean_cwd, {
        'svc/compose.yaml': 'services:\n  api:\n    build:\n      context: .\n'
                            '      dockerfile: docker/api.Dockerfile\n    env_file: .env\n',
        'svc/docker/api.Dockerfile': PLAIN_APP,
        'svc/docker/api.Dockerfile.dockerignore': '**/*.log\n',
    })
    # the ignore file is not at the context root: the message names the context
    assert _run(capsys) == (1, [
        'svc/docker/api.Dockerfile.dockerignore:1:1: DH301 does not exclude .env files '
        '(.env, a compose env_file) from build context svc; add **/.env, **/.env.*',
    ])


# -- compose build contexts --------------------------------------------------------------------

def test_compose_short_form_is_the_dockerfile_folder(clean_cwd, capsys):
    _write(clean_cwd, {
        'compose.yaml': 'services:\n  api:\n    build: ./api\n    env_file: ./api/.env\n',
        'api/Dockerfile': PLAIN_APP,
    })
    # one context, one finding (not one for the folder and one for compose)
    assert _run(capsys) == (1, [no_file(
        'api/Dockerfile:1:1', 'api', '.env files (.env, a compose env_file)', ENV)])


def test_compose_parent_context_replaces_the_dockerfile_folder(clean_cwd, capsys):
    _write(clean_cwd, {
        'proj/deploy/compose.yaml': 'services:\n  api:\n    build:\n      context: ..\n'
                                    '      dockerfile: docker/Dockerfile\n',
        'proj/docker/Dockerfile': PLAIN_APP,
        'proj/.env.example': 'A=\n',
    })
    # built from proj: proj/docker is no context of it
    assert _run(capsys) == (1, [no_file(
        'proj/docker/Dockerfile:1:1', 'proj', '.env files (.env, from .env.example)',
        TEMPLATES)])
    (clean_cwd / 'proj' / '.dockerignore').write_text(COMPLETE)
    assert _run(capsys) == (0, [])


def test_compose_context_holding_git(clean_cwd, capsys):
    _write(clean_cwd, {
        'deploy/compose.yaml': 'services:\n  api:\n    build:\n      context: ..\n'
                               '      dockerfile: docker/Dockerfile\n',
        'docker/Dockerfile': PLAIN_APP,
    })
    assert _run(capsys) == (1, [no_file('docker/Dockerfile:1:1', '.', '.git', '.git')])


def test_compose_dockerfile_inline(clean_cwd, capsys):
    _write(clean_cwd, {
        'compose.yaml': 'services:\n  web:\n    build:\n      context: ./site\n'
                        '      dockerfile_inline: |\n        FROM nginx:1.27\n'
                        '        COPY . /usr/share/nginx/html\n',
        'site/index.html': '<h1>hi</h1>\n',
        'site/logs/.gitkeep': '',
    })
    # no Dockerfile to point at: reported at the build key
    assert _run(capsys) == (1, [no_file(
        'compose.yaml:3:1', 'site', 'log files (logs/, a logs folder)', 'logs')])


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
    # `context: ./nginx` and `env_file: .env` are relative to the including file's folder
    _write(clean_cwd, {
        'compose.yaml': 'include:\n  - path: nginx/compose.yml\n    project_directory: .\n',
        'nginx/compose.yml': 'services:\n  nginx:\n    build:\n      context: ./nginx\n'
                             '    env_file: nginx/.env\n',
        'nginx/Dockerfile': 'FROM nginx:1.27\nCOPY . /usr/share/nginx/html\n',
    })
    assert _run(capsys) == (1, [no_file(
        'nginx/Dockerfile:1:1', 'nginx', '.env files (.env, a compose env_file)', ENV)])


def test_compose_include_without_project_directory(clean_cwd, capsys):
    _write(clean_cwd, {
        'compose.yaml': 'include:\n  - nginx/compose.yml\n',
        'nginx/compose.yml': 'services:\n  nginx:\n    build: .\n    env_file: .env\n',
        'nginx/Dockerfile': 'FROM nginx:1.27\nCOPY . /usr/share/nginx/html\n',
    })
    assert _run(capsys) == (1, [no_file(
        'nginx/Dockerfile:1:1', 'nginx', '.env files (.env, a compose env_file)', ENV)])


# -- which contexts are judged: what the sources can send -------------------------------------

ENV_NAMES = '.env files (.env, from .env.example)'


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
    # folders of committed files where no junk arises: nothing to exclude, even when a
    # folder is called config/ (no .env shows there)
    ('FROM alpine:3.20\nCOPY conf/ /etc/app/\n', {'conf/app.ini': ''}, None),
    ('FROM alpine:3.20\nCOPY config/ /etc/app/\n', {'config/app.yml': ''}, None),
    ('FROM alpine:3.20\nCOPY conf/* /etc/app/\n', {'conf/app.ini': ''}, None),
    ('FROM alpine:3.20\nCOPY *.d /etc/\n', {'conf.d/a': ''}, None),
    # the whole context sends the .env the template is copied to
    ('FROM alpine:3.20\nCOPY . /srv\n', {}, TEMPLATES),
    ('FROM alpine:3.20\nCOPY ./ /srv\n', {}, TEMPLATES),
    ('FROM alpine:3.20\nCOPY ["./", "/srv"]\n', {}, TEMPLATES),
    ('FROM alpine:3.20\nCOPY * /srv/\n', {}, TEMPLATES),  # `*` matches .env too
    ('FROM alpine:3.20\nARG SRC=.\nCOPY ${SRC} /srv\n', {}, TEMPLATES),
    ('FROM alpine:3.20\nRUN --mount=type=bind,target=/src make -C /src\n', {}, TEMPLATES),
    ('FROM alpine:3.20\nCOPY a.sh b.sh /bin/\nCOPY . /srv\n', {'a.sh': '', 'b.sh': ''},
     TEMPLATES),  # any one source counts
    ('FROM alpine:3.20\nRUN --mount=type=bind,source=a.txt,target=/a cat /a\n',
     {'a.txt': ''}, None),
    ('FROM alpine:3.20\nRUN --mount=type=cache,target=/root/.cache make\n', {}, None),
    ('FROM alpine:3.20\nRUN --mount=from=build,target=/src make\n', {}, None),
))
def test_only_what_the_sources_can_send(clean_cwd, capsys, dockerfile, files, patterns):
    _write(clean_cwd, {'compose.yaml': BUILD_APP, 'app/Dockerfile': dockerfile,
                       'app/.env.example': 'A=\n',
                       **{f'app/{k}': v for k, v in files.items()}})
    (ctx,) = discover(['compose.yaml', 'app/Dockerfile'])
    assert bool(required(ctx, [])) is (patterns is not None)
    expected = [no_file('app/Dockerfile:1:1', 'app', ENV_NAMES, patterns)] if patterns else []
    assert _run(capsys) == (1 if patterns else 0, expected)


@pytest.mark.parametrize(('dockerfile', 'files', 'names', 'patterns'), (
    # a folder that is a project: what arises in it
    ('FROM node:22\nCOPY web/ /srv/\n', {'web/package.json': '{}'},
     'node_modules', '**/node_modules'),
    ('FROM python:3.13\nCOPY api /srv/api\n', {'api/main.py': ''},
     '__pycache__', '**/__pycache__'),
    ('FROM python:3.13\nCOPY api /srv/api\n', {'api/.env.example': 'A=\n'},
     '.env files (api/.env, from api/.env.example)', TEMPLATES),
))
def test_a_copied_folder_sends_what_arises_in_it(clean_cwd, capsys, dockerfile, files, names,
                                                 patterns):
    _write(clean_cwd, {'compose.yaml': BUILD_APP, 'app/Dockerfile': dockerfile,
                       **{f'app/{k}': v for k, v in files.items()}})
    assert _run(capsys) == (1, [no_file('app/Dockerfile:1:1', 'app', names, patterns)])


# -- where a Dockerfile no compose file builds is built from -----------------------------------

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
    assert _run(capsys) == (1, [no_file('repo/docker/Dockerfile:1:1', 'repo', '__pycache__',
                                        '**/__pycache__')])


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


@pytest.mark.parametrize(('files', 'roots'), (
    # `COPY . X` alone says nothing about the context: in a folder without a manifest, any
    # folder above could be it (loki's cmd/migrate/Dockerfile is built from the root)
    ({}, []),
    ({'tool/README.md': ''}, []),
    # the project's manifest beside it: built from its own folder
    ({'tool/package.json': '{}'}, ['tool']),
    ({'tool/go.mod': ''}, ['tool']),
    ({'tool/Tool.csproj': ''}, ['tool']),
))
def test_a_whole_context_copy_decides_nothing(clean_cwd, files, roots):
    _write(clean_cwd, {'tool/Dockerfile': PLAIN_APP, **files})
    assert build_roots('tool/Dockerfile') == roots


def test_at_the_repository_root_the_context_is_the_root(clean_cwd):
    _write(clean_cwd, {'Dockerfile': PLAIN_APP})
    assert build_roots('Dockerfile') == ['.']


@pytest.mark.parametrize(('dockerfile', 'files'), (
    # the paths it uses inside its whole-context copy exist only from the root
    ('FROM golang:1.23 AS build\nCOPY . /src/loki\nWORKDIR /src/loki\nRUN make migrate\n'
     'FROM alpine:3.20\nCOPY --from=build /src/loki/cmd/migrate/migrate /usr/bin/\n',
     {'cmd/migrate/main.go': ''}),
    ('FROM rust:1.83\nWORKDIR /vector\nCOPY . .\nRUN scripts/environment/install-protoc.sh\n',
     {'scripts/environment/install-protoc.sh': ''}),
    ('FROM node:22\nWORKDIR /app\nCOPY . .\nVOLUME ["/app/node_modules", '
     '"/app/apps/web/node_modules"]\n', {'apps/web/x.js': ''}),
    ('FROM mcr.microsoft.com/dotnet/sdk:9.0\nWORKDIR /repo\nCOPY . .\n'
     'RUN dotnet publish cmd/migrate/tool.csproj\n', {'cmd/migrate/tool.csproj': ''}),
))
def test_paths_the_build_uses_decide_the_context(clean_cwd, dockerfile, files):
    folder = 'apps/web' if 'apps/web' in dockerfile else 'cmd/migrate'
    _write(clean_cwd, {f'{folder}/Dockerfile': dockerfile, **files})
    assert build_roots(f'{folder}/Dockerfile') == ['.']


@pytest.mark.parametrize(('comment', 'roots'), (
    # the header documents the build: the -f path is this file, from the module's root
    ('# docker build -f src/main/docker/Dockerfile.jvm -t quarkus/app .', ['mod']),
    ('#   docker buildx build --file src/main/docker/Dockerfile.jvm --push mod-ctx',
     ['mod/mod-ctx']),
    ('# podman build -f src/main/docker/Dockerfile.jvm ..', ['.']),
    # in prose: the command ends at a closing parenthesis, a backtick, a full stop
    ('# Build: ./ship   (or: docker build -f src/main/docker/Dockerfile.jvm -t app .)',
     ['mod']),
    ('# Run `docker build -f src/main/docker/Dockerfile.jvm -t app mod-ctx`.', ['mod/mod-ctx']),
    ('# then docker build -f src/main/docker/Dockerfile.jvm mod-ctx.', ['mod/mod-ctx']),
    ('# docker build \\\n#   -f src/main/docker/Dockerfile.jvm \\\n#   .', ['mod']),
    # another file, no -f, prose after the context, an option not known: nothing is known
    ('# docker build -f other/Dockerfile .', []),
    ('# docker build -t app .', []),
    ('# docker build -f src/main/docker/Dockerfile.jvm . and then run it', []),
    ('# docker build --frobnicate -f src/main/docker/Dockerfile.jvm .', []),
))
def test_context_documented_in_the_header(clean_cwd, comment, roots):
    _write(clean_cwd, {'mod/src/main/docker/Dockerfile.jvm': f'{comment}\nFROM alpine:3.20\n'
                                                             'COPY . /srv\n',
                       'mod/mod-ctx/x': ''})
    assert [os.path.normpath(r) for r in build_roots('mod/src/main/docker/Dockerfile.jvm')] \
        == [os.path.normpath(r) for r in roots]


BUILD_FILES = (
    # a Makefile in the root: -f relative to the folder make runs in
    ({'Makefile': 'migrate-image:\n\t@docker build -t loki-migrate -f cmd/migrate/Dockerfile .\n'},
     ['.']),
    # make's own variables
    ({'Makefile': 'DOCKER ?= docker\nDF := cmd/migrate/Dockerfile\n'
                  'img:\n\t$(DOCKER) build -t x -f ${DF} .\n'}, ['.']),
    # make's $$ and $(CURDIR), a line continuation
    ({'Makefile': 'img:\n\tdocker buildx build --platform linux/amd64 \\\n'
                  '\t  -f $(CURDIR)/cmd/migrate/Dockerfile $(CURDIR)\n'}, ['.']),
    # a script in scripts/ that runs from the root (it cds there first)
    ({'scripts/build.sh': '#!/bin/sh\ncd "$(dirname "$0")/.."\n'
                          'docker build -f cmd/migrate/Dockerfile -t x . || exit 1\n'}, ['.']),
    # `cd dir &&` on the same line moves the command
    ({'build.sh': 'cd cmd && docker build -f migrate/Dockerfile ..\n'}, ['.']),
    # no -f: the context's Dockerfile
    ({'build.sh': 'docker build -t migrate cmd/migrate\n'}, ['cmd/migrate']),
    # PowerShell, with its backtick continuation, in strings pieced together
    ({'eng/build.ps1': 'docker build `\n  -f cmd/migrate/Dockerfile `\n  .\n'}, ['.']),
    ({'eng/common/build.ps1': 'pushd $PSScriptRoot/../../\n'
                              'Exec ("docker build -t $name --build-arg " `\n'
                              '    + "IMAGE=${img} -f cmd/migrate/Dockerfile .")\n'}, ['.']),
    # an executable script without an extension
    ({'ship': '#!/usr/bin/env bash\ndocker build -f "$PWD/cmd/migrate/Dockerfile" .\n'},
     ['.']),
    # a CI workflow: run steps, and docker/build-push-action (file from the root)
    ({'.github/workflows/ci.yml': 'jobs:\n  b:\n    steps:\n'
                                  '      - run: docker build -f cmd/migrate/Dockerfile .\n'},
     ['.']),
    ({'.github/workflows/ci.yml': 'jobs:\n  b:\n    steps:\n'
                                  '      - uses: docker/build-push-action@v6\n'
                                  '        with:\n          context: cmd\n'
                                  '          file: cmd/migrate/Dockerfile\n'}, ['cmd']),
    # bake: the Dockerfile relative to the context
    ({'docker-bake.hcl': 'target "base" {\n  context = "cmd"\n}\n'
                         'target "migrate" {\n  inherits = ["base"]\n'
                         '  dockerfile = "migrate/Dockerfile"\n  args = {\n    A = "1"\n  }\n}\n'},
     ['cmd']),
    ({'docker-bake.json': '{"target": {"m": {"context": ".", '
                          '"dockerfile": "cmd/migrate/Dockerfile"}}}'}, ['.']),
    # skaffold: the same
    ({'skaffold.yaml': 'apiVersion: skaffold/v4beta11\nkind: Config\nbuild:\n  artifacts:\n'
                       '    - image: migrate\n      context: cmd\n      docker:\n'
                       '        dockerfile: migrate/Dockerfile\n'}, ['cmd']),
    # Tilt: both relative to the Tiltfile
    ({'Tiltfile': "docker_build('migrate', '.', dockerfile='cmd/migrate/Dockerfile')\n"},
     ['.']),
    # a package.json script runs in the package's folder
    ({'package.json': '{"scripts": {"image": "docker build -f cmd/migrate/Dockerfile ."}}'},
     ['.']),
    # two builds, two contexts
    ({'Makefile': 'a:\n\tdocker build -f cmd/migrate/Dockerfile .\n'
                  'b:\n\tdocker build -f cmd/migrate/Dockerfile cmd\n'}, ['.', 'cmd']),
    # a context chosen when the command runs (the user's app): it cannot be known, whatever
    # the header documents
    ({'ship': '#!/bin/bash\ndocker build -f "$PWD/cmd/migrate/Dockerfile" "$app_root"\n'}, []),
    ({'.github/workflows/ci.yml': 'jobs:\n  b:\n    steps:\n'
                                  '      - uses: docker/build-push-action@v6\n'
                                  '        with:\n          context: ${{ inputs.dir }}\n'
                                  '          file: cmd/migrate/Dockerfile\n'}, []),
    # another Dockerfile, or a -f path that names this one only from another folder
    ({'Makefile': 'a:\n\tdocker build -f cmd/other/Dockerfile .\n'}, None),
    ({'cmd/migrate/sub/build.sh': 'docker build -f migrate/Dockerfile .\n'}, None),
)


@pytest.mark.parametrize(('files', 'roots'), BUILD_FILES)
def test_build_commands_written_in_the_repository(clean_cwd, files, roots):
    _write(clean_cwd, {'cmd/migrate/Dockerfile': '# docker build -f cmd/migrate/Dockerfile cmd\n'
                                                 'FROM golang:1.23\nCOPY . /src\n',
                       'cmd/other/Dockerfile': PLAIN_APP, **files})
    if 'ship' in files:
        (clean_cwd / 'ship').chmod(0o755)
    found = [os.path.normpath(r) for r in build_roots('cmd/migrate/Dockerfile')]
    # None: nothing in the repository builds it, so its header decides (cmd)
    assert found == (['cmd'] if roots is None else [os.path.normpath(r) for r in roots])


def test_a_script_that_is_no_shell_script_is_not_read(clean_cwd):
    _write(clean_cwd, {'cmd/migrate/Dockerfile': PLAIN_APP,
                       'tool': '#!/usr/bin/env python3\nos.system("docker build -f '
                               'cmd/migrate/Dockerfile .")\n'})
    (clean_cwd / 'tool').chmod(0o755)
    assert build_roots('cmd/migrate/Dockerfile') == []


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


# -- what shows that .env files and logs arise -------------------------------------------------

EVIDENCE = (
    # templates are copied to the env file beside them
    ({'.env.example': 'A=\n'}, '.env files (.env, from .env.example)', TEMPLATES),
    ({'web/.env.local.sample': 'A=\n'},
     '.env files (web/.env.local, from web/.env.local.sample)',
     f'{ENV}, !**/.env*.sample'),
    ({'env.example': 'A=\n'}, '.env files (.env, from env.example)', ENV),
    # a library or framework that reads .env (and .env.local) in its project folder
    ({'requirements.txt': 'django\npython-dotenv>=1\n'},
     '.venv, .env files (.env, read by python-dotenv)', f'.venv, {ENV}'),
    ({'pyproject.toml': '[project]\ndependencies = ["pydantic-settings>=2"]\n'},
     '.venv, .env files (.env, read by pydantic-settings)', f'.venv, {ENV}'),
    ({'web/package.json': '{"dependencies": {"next": "15"}}'},
     'node_modules, .env files (web/.env, read by next)', f'**/node_modules, {ENV}'),
    ({'go.mod': 'module x\n\nrequire (\n\tgithub.com/joho/godotenv v1.5.1\n)\n'},
     '.env files (.env, read by github.com/joho/godotenv)', ENV),
    # a committed env file that names another one
    ({'.env': '# secrets go in .env.local (git-ignored)\nAPI=http://x\n'},
     '.env files (.env.local, named in .env)', f'{ENV}, !.env'),
    # a .gitignore that lists them
    ({'.gitignore': 'node_modules/\n.env\n'}, '.env files (.env, git-ignored)', ENV),
    ({'.gitignore': '/logs\n'}, 'log files (logs/, git-ignored)', 'logs'),
    # ... excluded as git ignores them: wherever the .gitignore's pattern matches
    ({'.gitignore': 'npm-debug.log*\n'}, 'log files (npm-debug.log*, git-ignored)',
     '**/npm-debug.log*'),
    ({'.gitignore': 'logs/\n', 'api/go.mod': ''}, 'log files (logs/, git-ignored)', '**/logs'),
    # one pattern that another makes useless is not suggested
    ({'.gitignore': '*.log\nnpm-debug.log*\n'}, 'log files (*.log, git-ignored)', '**/*.log'),
    ({'web/.gitignore': '*.log\n'}, 'log files (web/*.log, git-ignored)', 'web/**/*.log'),
    # a folder for logs
    ({'storage/logs/.gitignore': '*\n!.gitignore\n'},
     'log files (storage/logs/, a logs folder)', 'storage/logs'),
    # the Dockerfile makes a folder for logs inside the copied tree
    ({'Dockerfile': 'FROM python:3.13\nWORKDIR /code\nCOPY . .\n'
                    'RUN mkdir -p /code/plane/logs\n'},
     'log files (plane/logs/, made by the Dockerfile)', 'plane/logs'),
)


@pytest.mark.parametrize(('files', 'names', 'patterns'), EVIDENCE)
def test_what_shows_env_files_and_logs(clean_cwd, capsys, files, names, patterns):
    _write(clean_cwd, {'compose.yaml': BUILD_APP, 'app/Dockerfile': PLAIN_APP,
                       **{f'app/{k}': v for k, v in files.items()}})
    assert _run(capsys) == (1, [no_file('app/Dockerfile:1:1', 'app', names, patterns)])


@pytest.mark.parametrize('files', (
    {},  # nothing shows any: made-up names are not asked for
    {'config/app.yml': ''},
    {'pkg/log/log.go': 'package log\n'},  # a Go package named log is code, not logs
    {'go.mod': 'module x\n\nrequire github.com/spf13/viper v1.19.0\n'},
    {'.env.example': 'A=\n', 'Dockerfile': 'FROM alpine:3.20\nCOPY src/ /srv/\n',
     'src/main.sh': ''},  # the template is not sent
))
def test_nothing_shown_nothing_asked(clean_cwd, capsys, files):
    _write(clean_cwd, {'compose.yaml': BUILD_APP, 'app/Dockerfile': PLAIN_APP,
                       **{f'app/{k}': v for k, v in files.items()}})
    assert _run(capsys) == (0, [])


def test_compose_shows_env_files_and_log_folders(clean_cwd, capsys):
    _write(clean_cwd, {
        'compose.yaml': 'services:\n  app:\n    build: .\n    env_file:\n'
                        '      - path: ./api/.env\n        required: false\n'
                        '  db:\n    image: postgres:17\n    volumes:\n'
                        '      - ./.data/postgres/log:/var/log/postgresql\n',
        'Dockerfile': 'FROM alpine:3.20\nCOPY . /srv\n',
        '.dockerignore': '.git\n',
    })
    assert _run(capsys) == (1, [missing(
        '.dockerignore:1:1', 'log files (.data/postgres/log/, a compose volume), .env files '
        '(api/.env, a compose env_file)', f'.data/postgres/log, {ENV}')])


def test_gitignore_above_the_context(clean_cwd, capsys):
    # the repository's .gitignore lists .env: it arises in the context and its projects
    _write(clean_cwd, {'.gitignore': '.env\n', 'compose.yaml': BUILD_APP,
                       'app/Dockerfile': PLAIN_APP, 'app/api/requirements.txt': '',
                       'app/.dockerignore': '.venv\n.env\n'})
    assert _run(capsys) == (1, [missing(
        'app/.dockerignore:1:1', '.venv, .env files (api/.env, git-ignored)',
        f'**/.venv, {ENV}', " ('.venv' on line 1 and '.env' on line 2 match only at the "
        'context root)')])


def test_env_files_git_does_not_track_are_junk(clean_cwd, capsys, git_env, monkeypatch):
    repo = clean_cwd / 'repo'
    _git_repo(repo, {'Dockerfile': PLAIN_APP, '.dockerignore': '.git\n',
                     'web/.env.production': 'VITE_URL=/\n'},
              {'web/.env.production.local': 'TOKEN=x\n', 'debug.log': 'x\n'})
    monkeypatch.chdir(repo)
    # the committed mode file is read by the build: kept after `**/.env.*`
    assert _run(capsys) == (1, [missing(
        '.dockerignore:1:1', 'log files (debug.log, not tracked by git), .env files '
        '(web/.env.production.local, not tracked by git)',
        f'**/*.log, {ENV}, !web/.env.production')])


def test_committed_env_files_are_kept(clean_cwd, capsys):
    # `**/.env.*` would drop .env.example and web/.env.production, which builds read: the
    # patterns keep the committed ones (a local .env.local is not committed)
    _write(clean_cwd, {
        'compose.yaml': BUILD_APP, 'app/Dockerfile': PLAIN_APP, 'app/.env.example': 'A=\n',
        'app/web/.env.production': 'VITE_URL=/\n', 'app/web/package.json': '{}',
    })
    assert _run(capsys) == (1, [no_file(
        'app/Dockerfile:1:1', 'app', f'node_modules, {ENV_NAMES}',
        f'**/node_modules, {TEMPLATES}, !web/.env.production')])


# -- a file a build names is never excluded ----------------------------------------------------

def test_a_file_the_build_copies_by_name_stays(clean_cwd, capsys):
    # the build needs .env (`COPY .env .`): excluding it would fail the build. That copy
    # bakes the secrets into the image; it is the problem, not the ignore file.
    api = 'services:\n  api:\n    build:\n      context: .\n      dockerfile: api/Dockerfile\n' \
          '    env_file: ./.env\n'
    _write(clean_cwd, {
        'compose.yaml': api,
        'api/Dockerfile': 'FROM node:22\nCOPY .env .\nCOPY api .\n',
        '.env.example': 'A=\n',
        '.dockerignore': '.git\n**/node_modules\n',
    })
    assert _run(capsys) == (0, [])
    # another build from the same context sends web/.env: `**/.env` is asked for, and
    # `!.env` keeps the file the first build names
    _write(clean_cwd, {
        'compose.yaml': api + '  web:\n    build:\n      context: .\n'
                              '      dockerfile: web/Dockerfile\n    env_file: ./web/.env\n',
        'web/Dockerfile': 'FROM node:22\nCOPY . .\n',
    })
    assert _run(capsys) == (1, [missing(
        '.dockerignore:1:1', '.env files (web/.env, a compose env_file)',
        f'{TEMPLATES}, !.env')])


# -- one finding per ignore file ---------------------------------------------------------------

def test_two_dockerfiles_share_one_ignore_file(clean_cwd, capsys):
    _write(clean_cwd, {
        'compose.yaml': 'services:\n  a:\n    build: ./app\n  b:\n    build:\n'
                        '      context: ./app\n      dockerfile: web.Dockerfile\n',
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
    # no ignore file: one finding, at the first Dockerfile, naming the other
    assert _run(capsys) == (1, [no_file(
        'app/Dockerfile:1:1', 'app', 'node_modules, __pycache__',
        '**/node_modules, **/__pycache__', ' (app/web.Dockerfile is built from it too)')])


# -- ecosystems: by the manifests and sources in what is sent ---------------------------------

@pytest.mark.parametrize(('dockerfile', 'files', 'names', 'patterns'), (
    # Node: node_modules beside each package.json
    (PLAIN_APP, {'package.json': '{}'}, 'node_modules', '**/node_modules'),
    (PLAIN_APP, {'web/package.json': '{}'}, 'node_modules', '**/node_modules'),
    # Python: .venv beside a manifest, __pycache__ beside .py files
    (PLAIN_APP, {'main.py': ''}, '__pycache__', '**/__pycache__'),
    (PLAIN_APP, {'requirements-dev.txt': ''}, '.venv', '.venv'),
    (PLAIN_APP, {'pyproject.toml': '', 'src/app/__init__.py': ''}, '.venv, __pycache__',
     '.venv, **/__pycache__'),
    (PLAIN_APP, {'tools/pyproject.toml': ''}, '.venv', '**/.venv'),
    # both
    (PLAIN_APP, {'package.json': '{}', 'tools/gen.py': ''}, 'node_modules, __pycache__',
     '**/node_modules, **/__pycache__'),
))
def test_ecosystems(clean_cwd, capsys, dockerfile, files, names, patterns):
    _write(clean_cwd, {'compose.yaml': BUILD_APP, 'app/Dockerfile': dockerfile,
                       **{f'app/{k}': v for k, v in files.items()}})
    assert _run(capsys) == (1, [no_file('app/Dockerfile:1:1', 'app', names, patterns)])


@pytest.mark.parametrize(('dockerfile', 'files'), (
    # an npm/yarn command without a package.json in the context installs a tool, or a
    # project the build fetches itself (a git clone): no local node_modules can be sent
    (PLAIN_APP + 'RUN yarn install --frozen-lockfile\n', {}),
    (PLAIN_APP + 'RUN git clone https://x/app . && pnpm install\n', {}),
    ('FROM node:22\nCOPY . .\nCMD ["node", "server.js"]\n', {'server.js': ''}),
    (PLAIN_APP + 'RUN pip install flask\n', {}),  # a tool for the image
    (PLAIN_APP, {'node_modules/x/setup.py': ''}),  # a package's .py is not the app's
    (PLAIN_APP, {'main.go': '', 'go.mod': ''}),  # neither
))
def test_no_ecosystem_junk(clean_cwd, capsys, dockerfile, files):
    _write(clean_cwd, {'compose.yaml': BUILD_APP, 'app/Dockerfile': dockerfile,
                       **{f'app/{k}': v for k, v in files.items()}})
    assert _run(capsys) == (0, [])


def test_git_history_the_build_needs_stays(clean_cwd, capsys):
    # versions from git tags: excluding .git would break the build
    _write(clean_cwd, {'Dockerfile': 'FROM python:3.13\nCOPY . .\nRUN pip install .\n',
                       'pyproject.toml': '[tool.setuptools_scm]\n'})
    assert _run(capsys) == (1, [no_file('Dockerfile:1:1', '.', '.venv', '.venv')])


def test_git_only_where_the_context_root_holds_it(clean_cwd, capsys):
    _write(clean_cwd, {'Dockerfile': PLAIN_APP, 'app/Dockerfile': PLAIN_APP,
                       'app/go.mod': ''})
    assert _run(capsys) == (1, [no_file('Dockerfile:1:1', '.', '.git', '.git')])


def test_extra_ignore_entries(clean_cwd, capsys):
    _write(clean_cwd, {
        'compose.yaml': BUILD_APP,
        'app/Dockerfile': PLAIN_APP,
        'app/.dockerignore': 'coverage\n',
    })
    assert _run(capsys, '--extra-ignore-entries', 'coverage,**/*.tmp') == (1, [
        missing('app/.dockerignore:1:1', '**/*.tmp', '**/*.tmp'),
    ])
    (clean_cwd / 'app' / '.dockerignore').unlink()
    assert _run(capsys, '--extra-ignore-entries', 'coverage') == (1, [
        no_file('app/Dockerfile:1:1', 'app', 'coverage', 'coverage'),
    ])


# -- --fix -------------------------------------------------------------------------------------

COMPLETE_NODE = '**/node_modules\n**/.env\n**/.env.*\n'
NODE_FILES = {'app/Dockerfile': NODE_APP, 'app/package.json': '{"dependencies": {"vite": "6"}}'}


def test_fix_creates_the_file(clean_cwd, capsys):
    _write(clean_cwd, NODE_FILES)
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
    _write(clean_cwd, {**NODE_FILES, 'app/web/package.json': '{}'})
    path = clean_cwd / 'app' / '.dockerignore'
    path.write_bytes(existing.encode('utf-8'))
    assert _run(capsys, '--fix') == (1, ['Fixing app/.dockerignore'])
    sep = '' if existing.endswith('\n') or not existing else '\n'
    added = ADDED + COMPLETE_NODE
    if existing.endswith('\r\n'):  # the lines added end as the file's own lines do
        added = added.replace('\n', '\r\n')
    assert path.read_bytes().decode('utf-8') == existing + sep + added
    before = path.read_bytes()
    assert _run(capsys, '--fix') == (0, [])
    assert path.read_bytes() == before


def test_fix_appends_only_what_is_missing(clean_cwd, capsys):
    _write(clean_cwd, {**NODE_FILES, 'app/.dockerignore': '**/node_modules\n**/.env\n'})
    assert _run(capsys, '--fix') == (1, ['Fixing app/.dockerignore'])
    assert (clean_cwd / 'app' / '.dockerignore').read_text() == (
        '**/node_modules\n**/.env\n' + ADDED + '**/.env.*\n')


def test_fix_leaves_reincludes_and_broken_files(clean_cwd, capsys):
    _write(clean_cwd, {
        'compose.yaml': 'services:\n  a:\n    build: ./a\n  b:\n    build: ./b\n',
        'a/Dockerfile': PLAIN_APP, 'a/.dockerignore': '*\n!.env.local\n',
        'a/.env.local.example': '',
        'b/Dockerfile': PLAIN_APP, 'b/.dockerignore': '[\n', 'b/.env.example': '',
    })
    before = _digest(clean_cwd)
    assert _run(capsys, '--fix') == (1, [
        reincludes('a/.dockerignore:2:1', '!.env.local', '.env files'),
        "b/.dockerignore:1:1: DH001 cannot be checked: pattern '[' has an unclosed [...] class: "
        'Docker fails the build on it',
    ])
    assert _digest(clean_cwd) == before


def test_fix_through_dockhooks_check(clean_cwd, capsys):
    _write(clean_cwd, NODE_FILES)
    assert cli.main(['check', '--select', 'DH301', '--fix']) == 1
    assert capsys.readouterr() == ('', 'Fixing app/.dockerignore\n')
    _hook._PARSED.clear()
    assert cli.main(['check', '--select', 'DH301', '--fix']) == 0
    assert capsys.readouterr().out == ''


def test_no_write_without_fix(clean_cwd, capsys):
    _write(clean_cwd, {
        'a/Dockerfile': NODE_APP, 'a/package.json': '{}',
        'b/Dockerfile': PYTHON_APP, 'b/requirements.txt': '', 'b/.dockerignore': 'node_modules',
        'compose.yaml': 'services:\n  c:\n    build:\n      context: ./c\n'
                        '      dockerfile_inline: "FROM alpine\\nCOPY . /\\n"\n',
        'c/x.txt': '', 'c/.env.example': '',
    })
    before = _digest(clean_cwd)
    rc, out = _run(capsys)
    assert rc == 1 and len(out) == 3
    assert _digest(clean_cwd) == before
    assert not any(line.startswith('Fixing') for line in out)


def test_fix_leaves_contexts_that_copy_no_folder(clean_cwd, capsys):
    _write(clean_cwd, {'compose.yaml': BUILD_APP,
                       'app/Dockerfile': 'FROM alpine:3.20\nCOPY run.sh /run.sh\n',
                       'app/.env.example': ''})
    assert _run(capsys, '--fix') == (0, [])
    assert not (clean_cwd / 'app' / '.dockerignore').exists()


def test_diff_shows_the_fix_and_writes_nothing(clean_cwd, capsys):
    _write(clean_cwd, {**NODE_FILES, 'app/.dockerignore': '**/node_modules\n**/.env\n'})
    before = _digest(clean_cwd)
    _hook._PARSED.clear()
    assert main(['--diff']) == 1
    assert capsys.readouterr() == ('\n'.join((
        '--- a/app/.dockerignore',
        '+++ b/app/.dockerignore',
        '@@ -1,2 +1,4 @@',
        ' **/node_modules',
        ' **/.env',
        '+' + ADDED.rstrip('\n'),
        '+**/.env.*',
        '')), '')
    assert _digest(clean_cwd) == before


def test_a_shared_ignore_file_is_completed_once(clean_cwd, capsys):
    """Two processes (pre-commit partitions) that judge the same ignore file: the second one
    completes what the first wrote, under the lock, and adds nothing twice."""
    from dockhooks import _fixes
    from dockhooks._context import REQUIRED
    from dockhooks.dockerignore_complete import _fixed

    path = clean_cwd / '.dockerignore'
    path.write_text('.git\n')
    entries = [e for e in REQUIRED if e.name in ('node_modules', '.env files')]
    assert entries
    first = _fixes.fix_whole(str(path), lambda raw: _fixed(raw, entries), False)
    once = path.read_text()
    # the second process judged the file before the first wrote it: it still sees a file
    # that misses everything, but completes the file as it is on disk under the lock
    second = _fixes.fix_whole(str(path), lambda raw: _fixed(raw, entries), False)
    assert (first, second, path.read_text()) == (True, False, once)
    assert once.count('node_modules') == 1


# -- the whole repository, whatever pre-commit hands over -------------------------------------

def test_no_filenames_in_a_git_repository_sees_every_context(clean_cwd, git_env, capsys,
                                                             monkeypatch):
    repo = clean_cwd / 'repo'
    _write(repo, {
        'api/Dockerfile': PLAIN_APP, 'api/go.mod': '', 'api/.env.example': '',
        'web/Dockerfile': NODE_APP, 'web/package.json': '{}',
        'web/.dockerignore': '**/node_modules\n',
        'vendor/lib/Dockerfile': PLAIN_APP,  # git-ignored: not the repository's
        'vendor/lib/go.mod': '', 'vendor/lib/.env.example': '',
        '.gitignore': 'vendor/\n',
    })
    for args in (('init', '-q'), ('add', '-A')):  # what pre-commit runs on is staged
        subprocess.run(('git', *args), cwd=repo, check=True, capture_output=True)
    monkeypatch.chdir(repo)
    # pre-commit runs the hook with pass_filenames: false, whatever was staged
    assert _run(capsys) == (1, [no_file('api/Dockerfile:1:1', 'api',
                                        '.env files (.env, from .env.example)', TEMPLATES)])


def test_filenames_given_are_the_contexts_checked(clean_cwd, capsys):
    _write(clean_cwd, {'api/Dockerfile': PLAIN_APP, 'api/go.mod': '', 'api/.env.example': '',
                       'web/Dockerfile': PLAIN_APP, 'web/go.mod': '', 'web/.env.example': ''})
    assert _run(capsys, 'web/Dockerfile') == (1, [
        no_file('web/Dockerfile:1:1', 'web', ENV_NAMES, TEMPLATES)])
