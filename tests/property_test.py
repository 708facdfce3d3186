"""Property tests (issue 7): Dockerfiles and compose files generated from instruction and key
grammars. No hook crashes (exit 0 or 1, no exception), and ``dockhooks check`` reports
exactly the union of what the single hooks report, each run as pre-commit runs it (the
build-context hook over the folder, the env-file hook on the ``.env`` files)."""
from __future__ import annotations

import contextlib
import io
import os
import tempfile
from collections import Counter
from collections.abc import Iterator

import pytest
from dockhooks import _hook
from dockhooks import cli
from dockhooks._registry import META_CODES
from dockhooks._registry import RULES
from dockhooks._registry import load
from hypothesis import HealthCheck
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

SETTINGS = settings(max_examples=60, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

# --------------------------------------------------------------------------- Dockerfiles

IMAGES = ['python', 'node', 'alpine', 'ubuntu', 'debian', 'golang', 'nginx', 'postgres',
          'ghcr.io/acme/base', 'localhost:5000/team/app', 'gcr.io/distroless/static-debian12',
          'scratch']
TAGS = ['', ':latest', ':3.12-slim', ':22-alpine', ':bookworm', ':lts', ':stable', ':1.27',
        ':${TAG}', ':${TAG:-3.20}', '@sha256:' + 'a' * 64, ':3.12@sha256:' + 'b' * 64]
SECRET_NAMES = ['API_KEY', 'DB_PASSWORD', 'SECRET_KEY', 'GITHUB_TOKEN', 'AWS_SECRET_ACCESS_KEY',
                'NPM_TOKEN', 'JWT_SECRET', 'PRIVATE_KEY']
HARMLESS_NAMES = ['APP_ENV', 'PORT', 'NODE_ENV', 'PYTHONUNBUFFERED', 'TOKEN_URL', 'API_KEY_FILE',
                  'PASSWORD_FILE', 'SECRET_KEY_BASE_DUMMY', 'PUBLIC_API_KEY', 'TAG', 'VERSION',
                  'DEBIAN_FRONTEND', 'GOPRIVATE']
VALUES = ['1', 'production', 'hunter2', 's3cr3t-v4lue-with-entropy-9f8a7b', '', '"two words"',
          "'single'", '$PORT', '${APP_ENV:-dev}', '${SECRET_KEY}', 'changeme', '/run/secrets/x',
          'ghp_' + 'x' * 36]
PACKAGES = ['curl', 'ca-certificates', 'gcc', 'g++', 'make', 'build-essential', 'git',
            'libpq-dev', 'libpq5', 'python3-dev', 'cmake', 'musl-dev', 'openssl', 'tini']
USERS = ['root', 'app', '1000', '10001:10001', '0', 'app:app', '${USER}', 'nobody', 'root:root']

names = st.sampled_from(SECRET_NAMES + HARMLESS_NAMES)
values = st.sampled_from(VALUES)
packages = st.lists(st.sampled_from(PACKAGES), min_size=1, max_size=4).map(' '.join)

shell_commands = st.one_of(
    st.builds(lambda f, p: f'apt-get install -y {f}{p}',
              st.sampled_from(['', '--no-install-recommends ']), packages),
    st.just('apt-get update'),
    st.just('apt-get update -qq'),
    st.just('rm -rf /var/lib/apt/lists/*'),
    st.just('apt-get clean'),
    st.builds(lambda f, p: f'apk add {f}{p}', st.sampled_from(['', '--no-cache ', '-U ']),
              packages),
    st.just('apk update'),
    st.builds(lambda f, r: f'pip install {f}{r}',
              st.sampled_from(['', '--no-cache-dir ', '--user ']),
              st.sampled_from(['-r requirements.txt', 'flask==3.0', '.', 'poetry'])),
    st.sampled_from(['npm ci', 'npm install', 'npm run build', 'yarn install --frozen-lockfile',
                     'pnpm install', 'go build -o /out/app ./...', 'make', 'gcc -o app app.c',
                     'useradd -m app', 'echo "a && b" | tee /x', 'cd /app', 'true',
                     'sh -c "apt-get install -y gcc"', 'apt-get purge -y gcc',
                     'apt-get remove -y build-essential', 'apk del .build-deps',
                     'rm -rf /root/.cache/pip', 'npm cache clean --force']),
)
separators = st.sampled_from([' && ', ' ; ', ' | ', ' || ', ' \\\n    && ', ' \\\n ; '])


@st.composite
def run_instruction(draw: st.DrawFn) -> str:
    cmds = draw(st.lists(shell_commands, min_size=1, max_size=4))
    form = draw(st.sampled_from(['shell', 'shell', 'shell', 'heredoc', 'mount', 'exec']))
    if form == 'heredoc':
        return 'RUN <<EOF\nset -e\n' + '\n'.join(cmds) + '\nEOF'
    if form == 'exec':
        return 'RUN ["sh", "-c", "' + cmds[0].replace('"', '') + '"]'
    text = cmds[0]
    for cmd in cmds[1:]:
        text += draw(separators) + cmd
    flag = '--mount=type=cache,target=/root/.cache ' if form == 'mount' else ''
    return f'RUN {flag}{text}'


@st.composite
def key_value_instruction(draw: st.DrawFn) -> str:
    keyword = draw(st.sampled_from(['ENV', 'ARG', 'LABEL', 'ENV', 'ARG']))
    pairs = draw(st.lists(st.tuples(names, values), min_size=1, max_size=3))
    if keyword == 'ARG' and draw(st.booleans()):
        return f'ARG {pairs[0][0]}'
    if keyword == 'ENV' and len(pairs) == 1 and draw(st.booleans()):
        return f'ENV {pairs[0][0]} {pairs[0][1] or "x"}'  # legacy form
    joiner = draw(st.sampled_from([' ', ' \\\n    ']))
    return f'{keyword} ' + joiner.join(f'{n}={v}' for n, v in pairs)


copy_instructions = st.sampled_from([
    'COPY . .', 'COPY . /app', 'COPY requirements.txt .', 'COPY package.json package-lock.json ./',
    'COPY pyproject.toml poetry.lock ./', 'COPY go.mod go.sum ./', 'COPY src/ /app/src/',
    'COPY --chown=app:app . /app', 'ADD https://example.com/x.tar.gz /tmp/', 'ADD . /app',
    'COPY --from=build /out /app', 'COPY --from=0 /out/app /usr/local/bin/app',
    'COPY <<EOF /etc/app.conf\nkey=value\nEOF', 'COPY ["app.py", "/app/"]',
])
other_instructions = st.sampled_from([
    'WORKDIR /app', 'EXPOSE 8000', 'CMD ["python", "-m", "app"]', 'CMD python -m app',
    'ENTRYPOINT ["/entrypoint.sh"]', 'HEALTHCHECK CMD curl -f http://localhost/ || exit 1',
    'HEALTHCHECK NONE', 'VOLUME /data', 'SHELL ["/bin/bash", "-o", "pipefail", "-c"]',
    'STOPSIGNAL SIGTERM', 'ONBUILD RUN apt-get install -y gcc', 'MAINTAINER someone',
])
comments = st.sampled_from([
    '# a comment', '', '# dockhooks: ignore=DH103', '# dockhooks: ignore=DH101,DH102',
    '# dockhooks: ignore-file=DH107', '# dockhooks: ignore=DH999', '#', '   # indented',
])


@st.composite
def from_instruction(draw: st.DrawFn, aliases: list[str], index: int) -> tuple[str, str]:
    if aliases and draw(st.integers(0, 3)) == 0:
        image = draw(st.sampled_from(aliases))
    elif draw(st.integers(0, 5)) == 0:
        image = draw(st.sampled_from(['${BASE}', '${BASE}:${TAG}', '${BASE:-python}:3.12']))
    else:
        image = draw(st.sampled_from(IMAGES)) + draw(st.sampled_from(TAGS))
    platform = '--platform=$BUILDPLATFORM ' if draw(st.integers(0, 6)) == 0 else ''
    alias = draw(st.sampled_from(['', f'build{index}', 'builder', 'runtime', 'base']))
    return f'FROM {platform}{image}' + (f' AS {alias}' if alias else ''), alias


@st.composite
def dockerfiles(draw: st.DrawFn) -> str:
    lines: list[str] = []
    if draw(st.booleans()):
        lines.append('# syntax=docker/dockerfile:1')
    for _ in range(draw(st.integers(0, 2))):
        lines.append(draw(st.sampled_from(['ARG BASE=python', 'ARG TAG=3.12-slim', 'ARG TAG',
                                           'ARG TAG=latest', 'ARG API_TOKEN=abc123def456'])))
    aliases: list[str] = []
    for index in range(draw(st.integers(1, 3))):
        line, alias = draw(from_instruction(aliases, index))
        lines.append(line)
        if alias:
            aliases.append(alias)
        body = st.one_of(run_instruction(), key_value_instruction(), copy_instructions,
                         other_instructions, comments,
                         st.sampled_from(USERS).map(lambda u: f'USER {u}'))
        lines.extend(draw(st.lists(body, max_size=10)))
    return '\n'.join(lines) + draw(st.sampled_from(['\n', '', '\n\n']))


# --------------------------------------------------------------------------- compose files

SERVICE_NAMES = ['web', 'api', 'db', 'cache', 'worker', 'pgadmin', 'redis-insight', 'adminer',
                 'init', 'migrate', 'proxy']
COMPOSE_IMAGES = ['nginx', 'nginx:1.27', 'postgres:latest', 'postgres:16-alpine', 'redis',
                  'redis:7.2', 'dpage/pgadmin4', 'dpage/pgadmin4:8.14', 'adminer:4',
                  'ghcr.io/acme/api:${TAG:-1.0}', 'ghcr.io/acme/api:${TAG}', 'app@sha256:'
                  + 'c' * 64, 'redis/redisinsight:latest', 'mailhog/mailhog']


def _indent(lines: list[str], n: int) -> list[str]:
    return [' ' * n + line for line in lines]


@st.composite
def environment(draw: st.DrawFn) -> list[str]:
    pairs = draw(st.lists(st.tuples(names, values), min_size=1, max_size=3,
                          unique_by=lambda p: p[0]))
    if draw(st.booleans()):
        return ['environment:', *(f'  {n}: {v or "null"}' for n, v in pairs)]
    return ['environment:', *(f'  - {n}={v.strip(chr(34) + chr(39))}' for n, v in pairs)]


@st.composite
def service(draw: st.DrawFn, name: str, others: list[str], anchors: list[str]) -> list[str]:
    body: list[str] = []
    if anchors and draw(st.booleans()):
        body.append(f'<<: *{draw(st.sampled_from(anchors))}')
    source = draw(st.sampled_from(['image', 'build', 'both', 'neither']))
    if source in ('image', 'both'):
        body.append(f'image: {draw(st.sampled_from(COMPOSE_IMAGES))}')
    if source in ('build', 'both'):
        body += draw(st.sampled_from([['build: .'], ['build: ./app'],
                                      ['build:', '  context: .', '  dockerfile: Dockerfile'],
                                      ['build:', '  context: .',
                                       '  args:', '    NPM_TOKEN: abcdef0123456789']]))
    if draw(st.booleans()):
        body += draw(environment())
    if others and draw(st.booleans()):
        deps = draw(st.lists(st.sampled_from(others), min_size=1, max_size=2, unique=True))
        if draw(st.booleans()):
            body.append('depends_on: [' + ', '.join(deps) + ']')
        else:
            body.append('depends_on:')
            for dep in deps:
                cond = draw(st.sampled_from(['service_healthy', 'service_started',
                                             'service_completed_successfully']))
                body += [f'  {dep}:', f'    condition: {cond}']
    if draw(st.booleans()):
        body += draw(st.sampled_from([
            ['healthcheck:', '  test: ["CMD", "curl", "-f", "http://localhost"]',
             '  interval: 10s'],
            ['healthcheck:', '  disable: true'],
            ['healthcheck:', '  test: ["NONE"]'],
        ]))
    if draw(st.booleans()):
        limits = draw(st.sampled_from([['cpus: "0.5"', 'memory: 256M'], ['memory: 1G'],
                                       ['cpus: "1.0"'], []]))
        body += ['deploy:', '  resources:', '    limits:' + ('' if limits else ' {}'),
                 *_indent(limits, 6)]
    if draw(st.booleans()):
        body.append(f'read_only: {draw(st.sampled_from(["true", "false", "yes", "${RO}"]))}')
    if draw(st.booleans()):
        body.append(draw(st.sampled_from(['profiles: [debug]', 'profiles: ["tools", "debug"]',
                                          'profiles: []'])))
    if draw(st.booleans()):
        body.append(draw(st.sampled_from(['restart: unless-stopped', 'restart: "no"',
                                          'tmpfs: [/tmp]', '# dockhooks: ignore=DH204',
                                          '# dockhooks: ignore=DH999'])))
    if not body:
        body.append('image: nginx:1.27')
    return [f'{name}:', *_indent(body, 2)]


@st.composite
def compose_files(draw: st.DrawFn) -> str:
    lines: list[str] = []
    anchors: list[str] = []
    if draw(st.booleans()):
        anchors.append('defaults')
        lines += ['x-defaults: &defaults', *_indent(draw(st.sampled_from([
            ['read_only: true', 'restart: always'],
            ['deploy:', '  resources:', '    limits:', '      cpus: "1"', '      memory: 512M'],
            ['environment:', '  LOG_LEVEL: info', '  DB_PASSWORD: hunter2'],
            ['healthcheck:', '  test: ["CMD", "true"]'],
        ])), 2)]
    chosen = draw(st.lists(st.sampled_from(SERVICE_NAMES), min_size=1, max_size=4, unique=True))
    lines.append('services:')
    for i, name in enumerate(chosen):
        if draw(st.integers(0, 8)) == 0:
            lines.append('  # dockhooks: ignore=DH205')
        lines += _indent(draw(service(name, chosen[:i] + chosen[i + 1:], anchors)), 2)
    return '\n'.join(lines) + '\n'


ignore_files = st.one_of(
    st.none(),
    st.lists(st.sampled_from(['.git', '**/*.log', '*.log', '**/.env', '**/.env.*', '.env',
                              'node_modules', '**/node_modules', '.venv', '**/__pycache__',
                              '!.env.example', '!debug.log', '# comment', '', '[', '!']),
             max_size=8).map(lambda ls: '\n'.join(ls) + '\n'),
)
extra_files = st.lists(st.sampled_from(['.env', '.env.example', 'prod.env', 'requirements.txt',
                                        'package.json', 'app.py', 'debug.log']),
                       max_size=3, unique=True)

# --------------------------------------------------------------------------- running


@contextlib.contextmanager
def _in(folder: str) -> Iterator[None]:
    old = os.getcwd()
    os.chdir(folder)
    try:
        yield
    finally:
        os.chdir(old)


def _forget() -> None:
    parsed = getattr(_hook, '_PARSED', None)
    if isinstance(parsed, dict):
        parsed.clear()


def _run(main: object, argv: list[str]) -> tuple[int, list[str]]:
    """Run a ``main`` as its own process would: nothing parsed before, stdout captured."""
    _forget()
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        rc = main(argv)  # type: ignore[operator]
    assert rc in (0, 1), (argv, out.getvalue())
    return rc, out.getvalue().splitlines()


def _files_of(folder: str) -> list[str]:
    return sorted(n for n in os.listdir(folder) if os.path.isfile(os.path.join(folder, n)))


def check_is_union(files: dict[str, str]) -> list[str]:
    with tempfile.TemporaryDirectory() as folder:
        os.mkdir(os.path.join(folder, '.git'))  # the config lookup stops here
        for name, text in files.items():
            with open(os.path.join(folder, name), 'w', encoding='utf-8') as f:
                f.write(text)
        with _in(folder):
            from dockhooks._files import kind_of

            present = _files_of('.')
            hook_lines: Counter[str] = Counter()
            meta: set[str] = set()
            rcs = []
            for info in RULES:
                # what pre-commit hands each hook: the files its `files:` pattern matches;
                # dockerignore-complete runs once with no file names
                if info.kind == 'context':
                    argv: list[str] = []
                else:
                    argv = [p for p in present if kind_of(p) == info.kind]
                    if not argv:
                        continue
                rc, lines = _run(load(info).main, argv)
                rcs.append(rc)
                for line in lines:
                    code = line.split(': ', 1)[1].split(' ', 1)[0] if ': ' in line else ''
                    if code in META_CODES:
                        meta.add(line)
                    else:
                        hook_lines[line] += 1
            rc, lines = _run(cli.main, ['check', '.'])
        check_meta = [line for line in lines if line.split(': ', 1)[1][:5] in META_CODES]
        check_rules = Counter(line for line in lines if line not in check_meta)
        assert sorted(check_rules.elements()) == sorted(hook_lines.elements())
        assert sorted(check_meta) == sorted(meta)  # each file's DH001/DH002 once
        assert rc == max(rcs, default=0)
        return lines


@SETTINGS
@given(dockerfile=dockerfiles(), ignore=ignore_files, extra=extra_files)
def test_dockerfile_check_is_union_of_hooks(dockerfile: str, ignore: str | None,
                                             extra: list[str]) -> None:
    files = {'Dockerfile': dockerfile, **{name: 'A=1\n' for name in extra}}
    if ignore is not None:
        files['.dockerignore'] = ignore
    check_is_union(files)


@SETTINGS
@given(compose=compose_files(), dockerfile=st.one_of(st.none(), dockerfiles()),
       ignore=ignore_files)
def test_compose_check_is_union_of_hooks(compose: str, dockerfile: str | None,
                                         ignore: str | None) -> None:
    files = {'compose.yaml': compose}
    if dockerfile is not None:
        files['Dockerfile'] = dockerfile
    if ignore is not None:
        files['.dockerignore'] = ignore
    check_is_union(files)


@pytest.mark.parametrize('text', [
    'FROM python:3.12-slim\nENV API_KEY=abc\n# dockhooks: ignore=DH999\nCOPY . .\nUSER app\n',
    'FROM python\nRUN apt-get update\nRUN apt-get install -y gcc\nRUN curl -o /tmp/x https://x/x\n'
    'RUN rm /tmp/x\nADD . /a\n',
])
def test_union_examples(text: str) -> None:
    """Two fixed examples, so that the comparison is seen to compare findings."""
    lines = check_is_union({'Dockerfile': text, '.env': 'DB_PASSWORD=hunter2\n'})
    codes = {line.split(': ', 1)[1].split(' ', 1)[0] for line in lines}
    assert {'DH301', 'DH302'} <= codes
    assert codes & {'DH002', 'DH107'}
