"""What a file is for (``_roles``), and the rules that speak of what ships leaving alone the
files that never ship."""
from __future__ import annotations

import os

import pytest
from dockhooks import _roles
from dockhooks import cli


@pytest.mark.parametrize(('path', 'role'), (
    ('Dockerfile', 'ship'),
    ('docker/api/Dockerfile', 'ship'),
    ('examples/compose.yaml', 'ship'),  # examples are what users copy
    ('services/web/docker-compose.prod.yml', 'ship'),
    ('vendor/github.com/x/y/Dockerfile', 'vendored'),
    ('web/node_modules/pkg/Dockerfile', 'vendored'),
    ('third_party/lib/compose.yaml', 'vendored'),
    ('.devcontainer/Dockerfile', 'workspace'),
    ('.devcontainer/docker-compose.yml', 'workspace'),
    ('.gitpod.Dockerfile', 'workspace'),
    ('tools/devcontainer.Dockerfile', 'workspace'),
    ('tests/Dockerfile', 'test'),
    ('pkg/e2e/fixtures/build/compose.yaml', 'test'),
    ('src/testdata/Dockerfile', 'test'),
    ('.github/actions/lint/Dockerfile', 'test'),
    ('Dockerfile.test', 'test'),
    ('docker-compose.ci.yml', 'test'),
    ('docker/compose.e2e.yaml', 'test'),
    ('docker-compose.override.unit_tests.yml', 'test'),
    ('Dockerfile.dev', 'dev'),
    ('dev.Dockerfile', 'dev'),
    ('docker-compose.dev.yml', 'dev'),
    ('compose.local.yaml', 'dev'),
    ('Dockerfile.debug', 'dev'),
    ('dev/compose/db/Dockerfile', 'dev'),
    ('examples/compose/local/compose.yml', 'dev'),  # beside production/: the local setup
    # folders count by their whole name or by a word of it that says the same, file names
    # by their words
    ('buildscripts/upgrade-tests/compose.yml', 'test'),
    ('load_testing/telemetry/docker-compose.yml', 'test'),
    ('scripts/proxy-test/Dockerfile', 'test'),
    ('x/watcherx/integrationtest/Dockerfile', 'test'),
    ('image/discourse_dev/Dockerfile', 'dev'),
    ('lkp-tests/Dockerfile', 'test'),
    ('tools/vscode-devcontainer/Dockerfile', 'workspace'),
    ('test_utils/Dockerfile', 'test'),
    ('local-path-provisioner/Dockerfile', 'ship'),  # `local` and `ci` only in file names
    ('ci-tools/Dockerfile', 'ship'),
    ('devops/Dockerfile', 'ship'),
    ('testimonials/compose.yaml', 'ship'),
    ('latest/Dockerfile', 'ship'),
    ('contest/compose.yaml', 'ship'),
    ('devices/Dockerfile', 'ship'),
    ('Dockerfile.testing-tools', 'test'),
))
def test_role(path, role, clean_cwd):
    assert _roles.role(path) == role


def test_role_is_read_inside_the_repository(tmp_path, monkeypatch):
    # a checkout under a folder named tests/ is not a test fixture
    repo = tmp_path / 'tests' / 'app'
    (repo / '.git').mkdir(parents=True)
    (repo / 'docker').mkdir()
    monkeypatch.chdir(tmp_path)
    assert _roles.role(str(repo / 'docker' / 'Dockerfile')) == 'ship'
    assert _roles.role('tests/app/docker/Dockerfile') == 'ship'
    assert _roles.role(str(repo / 'e2e' / 'Dockerfile')) == 'test'


ROOT_IMAGE = ('FROM python:3.13-slim\n'
              'RUN apt-get update && apt-get install -y gcc && pip install uwsgi\n'
              'CMD ["x"]\n')
STACK = 'services:\n  app:\n    image: example/app:1.0\n'


def _run(capsys, *paths):
    rc = cli.main(['check', '--select', 'DH102,DH104,DH106,DH204,DH205', *paths])
    out = capsys.readouterr().out.splitlines()
    return rc, sorted({line.split(':', 1)[0] + ' ' + line.split(' ')[1] for line in out})


@pytest.mark.parametrize(('path', 'codes'), (
    ('Dockerfile', ['DH102', 'DH104', 'DH106']),
    ('examples/api/Dockerfile', ['DH102', 'DH104', 'DH106']),
    ('.devcontainer/Dockerfile', []),
    ('tests/fixture/Dockerfile', []),
    ('Dockerfile.dev', []),
    ('vendor/lib/Dockerfile', []),
))
def test_dockerfile_rules_about_what_ships(path, codes, clean_cwd, capsys):
    os.makedirs(os.path.dirname(path) or '.', exist_ok=True)
    with open(path, 'w') as f:
        f.write(ROOT_IMAGE)
    assert _run(capsys, path)[1] == [f'{path} {c}' for c in codes]


@pytest.mark.parametrize(('path', 'codes'), (
    ('compose.yaml', ['DH204', 'DH205']),
    ('docker-compose.dev.yml', ['DH204']),  # a leak takes the developer's machine down too
    ('.devcontainer/docker-compose.yml', []),
    ('tests/integration/compose.yaml', []),
))
def test_compose_rules_about_what_ships(path, codes, clean_cwd, capsys):
    os.makedirs(os.path.dirname(path) or '.', exist_ok=True)
    with open(path, 'w') as f:
        f.write(STACK)
    assert _run(capsys, path)[1] == [f'{path} {c}' for c in codes]


def test_a_stale_index_is_reported_in_any_image(clean_cwd, capsys):
    # it breaks the build itself, shipped or not
    os.makedirs('tests', exist_ok=True)
    with open('tests/Dockerfile', 'w') as f:
        f.write('FROM debian:bookworm-slim\nRUN apt-get update\nRUN apt-get install -y curl\n')
    rc = cli.main(['check', '--select', 'DH106', 'tests/Dockerfile'])
    out = capsys.readouterr().out.splitlines()
    assert (rc, [line.split(' ', 2)[:2] for line in out]) == (
        1, [['tests/Dockerfile:2:1:', 'DH106']])
    assert 'the install on line 3 uses its index' in out[0]


AWS = 'AKIA' + 'Z7Q3KXMW4PLN2BVR'


@pytest.mark.parametrize(('path', 'text', 'codes'), (
    # a weak password in a stack that never ships protects a throwaway container
    ('compose.yaml', 'services:\n  db:\n    image: postgres:16\n    environment:\n'
                     '      POSTGRES_PASSWORD: postgres\n', ['DH206']),
    ('tests/compose.yaml', 'services:\n  db:\n    image: postgres:16\n    environment:\n'
                           '      POSTGRES_PASSWORD: postgres\n', []),
    ('docker-compose.dev.yml', 'services:\n  db:\n    image: postgres:16\n    environment:\n'
                               '      POSTGRES_PASSWORD: postgres\n', []),
    # ... a real token leaks wherever it is committed
    ('tests/compose.yaml', f'services:\n  app:\n    image: a:1\n    environment:\n'
                           f'      KEY_ID: {AWS}\n', ['DH206']),
    ('Dockerfile.test', 'FROM alpine:3.20\nENV DB_PASSWORD=hunter2\n', []),
    ('Dockerfile.test', f'FROM alpine:3.20\nENV KEY_ID={AWS}\n', ['DH103']),
))
def test_secret_rules_in_files_that_never_ship(path, text, codes, clean_cwd, capsys):
    os.makedirs(os.path.dirname(path) or '.', exist_ok=True)
    with open(path, 'w') as f:
        f.write(text)
    cli.main(['check', '--select', 'DH103,DH206', path])
    out = capsys.readouterr().out.splitlines()
    assert [line.split(' ')[1] for line in out] == codes


# --------------------------------------------------------------------------- the stage that runs

STAGED = ('FROM python:3.13-slim AS builder\nCMD ["app"]\n'
          'FROM builder AS dev-envs\nRUN useradd vscode\n'
          'FROM builder AS production\nCMD ["app"]\n'
          'FROM builder AS development\nCMD ["app", "--reload"]\n')


@pytest.mark.parametrize(('compose', 'stage', 'ships'), (
    (None, 'development', True),  # the last stage is for development: the leaf that is not
    ('services:\n  app:\n    build: {context: ., target: builder}\n', 'builder', True),
    ('services:\n  app:\n    build: {context: ., target: development}\n', 'development',
     True),  # a development target: what is pushed is still the other stage (production)
    ('services:\n  app:\n    build: .\n  job:\n    build: {context: ., target: builder}\n',
     'development', True),  # one build takes the last stage: it is what runs
    ('services:\n  app:\n    build: {context: ., dockerfile: Other, target: builder}\n',
     'development', True),  # another Dockerfile
))
def test_the_stage_that_runs(compose, stage, ships, clean_cwd):
    from dockhooks._dockerfile import load

    (clean_cwd / 'Dockerfile').write_text(STAGED)
    if compose is not None:
        (clean_cwd / 'compose.yaml').write_text(compose)
    df = load('Dockerfile')
    found = _roles.shipped_stage(df)
    expected = 'production' if stage == 'development' else stage
    assert (found.alias, _roles.dockerfile_ships(df)) == (expected, ships)


def test_a_dockerfile_whose_running_stage_is_for_development_does_not_ship(clean_cwd):
    from dockhooks._dockerfile import load

    (clean_cwd / 'Dockerfile').write_text(
        'FROM node:22 AS development\nCMD ["npm", "run", "dev"]\n'
        'FROM development AS dev-envs\nRUN useradd vscode\n')
    (clean_cwd / 'compose.yaml').write_text(
        'services:\n  web:\n    build: {context: ., target: development}\n')
    df = load('Dockerfile')
    assert (_roles.shipped_stage(df).alias, _roles.dockerfile_ships(df)) == ('dev-envs', False)
    assert _roles.shipped_stage(df, 'development').alias == 'development'


# --------------------------------------------------------------------------- compose stacks

@pytest.mark.parametrize(('compose', 'expected'), (
    ('services:\n  app:\n    image: example/app:1.0\n  db:\n    image: postgres:16\n', 'ship'),
    # the working tree replaces the built code: a development loop
    ('services:\n  app:\n    build: .\n    volumes: [".:/app"]\n', 'dev'),
    ('services:\n  app:\n    build: ./api\n    volumes: ["./api:/code:ro"]\n', 'dev'),
    ('services:\n  app:\n    build: ./api\n    volumes:\n      - type: bind\n'
     '        source: ./api\n        target: /code\n', 'dev'),
    ('services:\n  app:\n    build: {context: ., target: development}\n', 'dev'),
    ('services:\n  app:\n    image: example/app:1.0\n'
     '    command: gunicorn --reload app:app\n', 'dev'),
    ('services:\n  web:\n    image: node:22\n    command: npm run dev\n', 'dev'),
    # the image a service builds, tagged as a development or test build
    # (mealie-recipes+mealie/docker/docker-compose.yml: image mealie:dev)
    ('services:\n  app:\n    image: app:dev\n    build: {context: ., target: production}\n',
     'dev'),
    ('services:\n  app:\n    image: example/app:test\n    build: .\n', 'test'),
    # ... an image pulled by a development tag is someone else's build, not this one
    ('services:\n  app:\n    image: example/app:develop\n', 'ship'),
    ('services:\n  app:\n    image: example/app:1.0\n    build: .\n', 'ship'),
    # ... a config folder mounted into a service built elsewhere is not the working tree
    ('services:\n  app:\n    build: ./api\n    volumes: ["./config:/etc/app:ro"]\n', 'ship'),
    ('services:\n  proxy:\n    image: nginx:1.27\n    volumes: [".:/usr/share/nginx/html"]\n',
     'ship'),  # no build: the folder is the content served
    # tests and workspaces
    ('services:\n  sut:\n    build: .\n    command: ./run-tests.sh\n', 'test'),
    ('services:\n  tests:\n    image: example/app:1.0\n    command: pytest -q\n', 'test'),
    ('services:\n  ws:\n    build: {context: .., dockerfile: .devcontainer/Dockerfile}\n',
     'workspace'),
    ('services:\n  ws:\n    image: python:3.13\n    command: sleep infinity\n'
     '    volumes: ["..:/workspace"]\n', 'workspace'),
    # an environment that tells the process it runs in CI
    ('services:\n  s3:\n    image: minio/minio:latest\n    environment:\n'
     '      MINIO_CI_CD: 1\n', 'test'),
    ('services:\n  app:\n    image: example/app:1.0\n    environment:\n      - CI=true\n',
     'test'),
    ('services:\n  app:\n    image: example/app:1.0\n    environment:\n'
     '      CI_COMMIT_SHA: abc\n      CI: "false"\n', 'ship'),
))
def test_compose_role(compose, expected, clean_cwd):
    from dockhooks._compose import load

    os.makedirs('proj/api', exist_ok=True)
    with open('proj/compose.yaml', 'w') as f:
        f.write(compose)
    cf = load('proj/compose.yaml')
    assert _roles.compose_role(cf) == expected


BACKING = ('services:\n  db:\n    image: postgres:16\n    ports: ["127.0.0.1:5432:5432"]\n'
           '  cache:\n    image: redis:7\n    ports: ["127.0.0.1:6379:6379"]\n')


@pytest.mark.parametrize(('env_files', 'compose', 'expected'), (
    # the databases of an application run on the host for development: its development
    # environment points at every port the stack publishes
    ({'.env.development': 'DATABASE_URL=postgres://u:p@127.0.0.1:5432/app\n'
                          'REDIS_URL=redis://localhost:6379\n'}, BACKING, 'dev'),
    ({'.env.dev.example': 'DB_HOST=localhost\nDB_PORT=5432\nREDIS_PORT="6379"\n'},
     BACKING, 'dev'),
    # ... not when it points at some of them only (the stack runs more than it uses), nor
    # from a file that is not a development environment's, nor for a stack that builds
    ({'.env.development': 'DATABASE_URL=postgres://u:p@127.0.0.1:5432/app\n'}, BACKING, 'ship'),
    ({'.env.production': 'DATABASE_URL=postgres://u:p@127.0.0.1:5432/app\n'
                         'REDIS_URL=redis://localhost:6379\n'}, BACKING, 'ship'),
    ({'.env.development': 'DATABASE_URL=postgres://u:p@127.0.0.1:5432/app\n'},
     'services:\n  db:\n    build: ./db\n    ports: ["5432:5432"]\n', 'ship'),
    # ... nor for a port Compose picks
    ({'.env.development': 'DATABASE_URL=postgres://u:p@127.0.0.1:5432/app\n'},
     'services:\n  db:\n    image: postgres:16\n    ports: ["5432"]\n', 'ship'),
))
def test_a_stack_that_serves_a_development_environment(env_files, compose, expected,
                                                       clean_cwd):
    from dockhooks._compose import load

    for name, text in env_files.items():
        (clean_cwd / name).write_text(text)
    (clean_cwd / 'docker-compose.yml').write_text(compose)
    assert _roles.compose_role(load('docker-compose.yml')) == expected


@pytest.mark.parametrize(('path', 'text', 'purpose'), (
    # a command that only copies files out, prints or exits: a job, not a service
    ('Dockerfile', 'FROM golang\nENTRYPOINT cp /pki/ca.pem /pki-out/ca.pem\n', 'job'),
    ('Dockerfile', "FROM alpine\nCMD printf 'moved\\n' && exit 1\n", 'job'),
    ('Dockerfile', 'FROM alpine\nCMD ["rsync", "--daemon", "--no-detach"]\n', 'runtime'),
    # the repository's own engineering tools
    ('eng/update/Dockerfile', 'FROM node:22\nCMD ["node", "run.js"]\n', 'tool'),
    ('tools/gen/Dockerfile', 'FROM node:22\nCMD ["node", "run.js"]\n', 'tool'),
    ('Dockerfile', 'FROM debian\nRUN apt-get install -y docker-ce-cli\nCOPY . /repo\n'
                   'CMD ["update"]\n', 'tool'),
    ('Dockerfile', 'FROM debian\nRUN apt-get install -y docker-ce-cli\nCOPY app /app\n'
                   'CMD ["update"]\n', 'runtime'),
    ('Dockerfile', 'FROM node:22\nCMD ["node", "server.js"]\n', 'runtime'),
))
def test_image_purpose(path, text, purpose, clean_cwd):
    from dockhooks._dockerfile import parse
    from dockhooks._roles import image_purpose

    (clean_cwd / '.git').mkdir(exist_ok=True)
    df = parse(str(clean_cwd / path), text)
    assert image_purpose(df, df.chain(df.final_stage())) == purpose
