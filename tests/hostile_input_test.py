"""Hostile and broken input (issue 7).

Every hook (its ``main`` in-process) and ``dockhooks check`` (a subprocess with a timeout) gets
binary files, broken encodings, empty and absurdly large files, broken syntax, YAML bombs and
tags, wrong types, broken ignore patterns and symlink loops. Each run ends quickly with exit 0
or 1, says DH001 with a clear reason where the file cannot be checked, never prints a
traceback, and changes no file. The content of each case is written under the name each kind
of hook reads: ``Dockerfile`` (Dockerfile hooks and a build context), ``compose.yaml``,
``ctx/.dockerignore`` next to ``ctx/Dockerfile`` (dockerignore-complete), ``.env``.
"""
from __future__ import annotations

import hashlib
import os
import random
import re
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

import pytest
from dockhooks import _hook
from dockhooks._registry import RULES
from dockhooks._registry import load

# Generous for a loaded 2-core CI machine: the normal cases take well under a second.
LIMIT = 20.0
# The 200,000-line cases: ~5 s for `dockhooks check` on an idle machine.
BIG_LIMIT = 60.0

KINDS = ('dockerfile', 'compose', 'dockerignore', 'env')
PATHS = {'dockerfile': 'Dockerfile', 'compose': 'compose.yaml',
         'dockerignore': 'ctx/.dockerignore', 'env': '.env'}
CONTEXT_DOCKERFILE = b'FROM alpine:3.20\nCOPY . /app\nUSER app\n'


class Case(NamedTuple):
    name: str
    content: dict[str, bytes]  # kind -> content; kinds not given get content['*']
    expect: dict[str, str]     # kind -> regex of the DH001 reason for that kind's file
    big: bool = False

    def for_kind(self, kind: str) -> bytes:
        return self.content.get(kind, self.content.get('*', b''))

    @property
    def limit(self) -> float:
        return BIG_LIMIT if self.big else LIMIT


def _all(reason: str) -> dict[str, str]:
    return {'dockerfile': reason, 'compose': reason, 'dockerignore': reason}


def _binary() -> bytes:
    rng = random.Random(7)
    return bytes(rng.randrange(256) for _ in range(4096)) + b'\x00'


def _big_dockerfile() -> bytes:
    """200,001 lines in one stage: 40,000 ARG/ENV names, continuations, comments."""
    block = ('# block {i}\nARG V{i}=1\nENV E{i}=${{V{i}}} \\\n    F{i}="x y"\n'
             'RUN apt-get update \\\n    && apt-get install -y curl \\\n'
             '    && rm -rf /var/lib/apt/lists/*\nCOPY . /app\nUSER app\n\n')
    return ('FROM alpine:3.20\n' + ''.join(block.format(i=i) for i in range(20_000))).encode()


def _big_compose() -> bytes:
    return ('services:\n' + ''.join(
        f'  s{i}:\n    image: nginx:1.27\n    environment:\n      A: "1"\n'
        for i in range(50_000))).encode()


def _big_ignore() -> bytes:
    return ''.join(f'dir{i}/**/*.log\n' for i in range(200_000)).encode()


ALIAS_BOMB = b'''\
x-a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]
x-b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
x-c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
x-d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
x-e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]
x-f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]
x-g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]
x-h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]
x-i: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h]
services:
  web:
    image: nginx:1.27
    command: *i
'''

PYTHON_TAGS = b'''\
services:
  web:
    image: !!python/object/apply:os.system ["touch pwned-system"]
    command: !!python/object/apply:builtins.open ["pwned-open", "w"]
    environment: !!python/object/new:os.system ["touch pwned-new"]
    labels: !!python/name:os.system
    healthcheck: !!python/module:os
'''

DUPLICATE_KEYS = b'''\
services:
  web:
    image: nginx:1.27
  web:
    image: nginx:1.26
'''

# Wrong types everywhere Compose expects something else: the model and the rules must cope.
WRONG_TYPES = b'''\
version: [3]
name: {a: 1}
x-anchor: &anchor 5
services:
  env-int:
    image: [nginx, latest]
    environment: 5
    depends_on: 7
    deploy:
      resources: "plenty"
      replicas: many
    healthcheck: [CMD, true]
    read_only: [true]
    profiles: debug
    labels: 3
    build: 42
    ports: "80:80"
    secrets: {a: 1}
    tmpfs: {}
    env_file: 9
    volumes: 1
    networks: 2
    command: {a: b}
    cap_drop: ALL
    user: [0]
  deploy-list:
    image: {name: nginx}
    deploy: [1, 2]
    healthcheck: "CMD true"
    depends_on: {db: 5, cache: [1], web: {condition: [x]}}
    environment: [1, {a: b}, [c], null, "=x", "A"]
    build: {context: [1], dockerfile: {a: b}, args: 5, dockerfile_inline: 3}
    profiles: [[debug], {a: b}, 3]
    read_only: {a: b}
  deploy-string:
    image: 1.5
    deploy: "fast"
    healthcheck: {test: 5, disable: "maybe", interval: []}
    depends_on: [[a], {b: c}, 3]
    environment: {A: [1], B: {c: d}, C: null, 5: 6, true: false}
    build: [".", "Dockerfile"]
  resources-list:
    image: nginx:1.27
    deploy: {resources: [limits], restart_policy: 3}
  limits-string:
    image: nginx:1.27
    deploy: {resources: {limits: "1G", reservations: 7}}
  limits-wrong:
    image: nginx:1.27
    deploy: {resources: {limits: {cpus: [1], memory: {a: b}, pids: "x"}}}
  null-service-values:
    image:
    environment:
    depends_on:
    healthcheck:
    deploy:
    read_only:
    profiles:
    build:
volumes: [a, b]
networks: "default"
secrets: 5
configs: [1]
'''

WRONG_EXTENDS = b'''\
services:
  a:
    image: nginx:1.27
    extends: [a, b]
  b:
    image: nginx:1.27
    extends: {service: [x], file: 5}
  c:
    image: nginx:1.27
    extends: {service: a, file: [x]}
'''

MERGE_SCALAR = b'''\
x-a: &a 5
services:
  web:
    <<: *a
    image: nginx:1.27
'''

YAML_TAGS = b'''\
services:
  web:
    image: !!binary aGVsbG8=
    environment: !!set {a, b}
    labels: !!omap [a: 1, b: 2]
    read_only: !!timestamp 2001-12-14
    profiles: !override 5
    deploy: !reset null
    healthcheck: !custom {test: x}
    command: !!int 12
  other:
    image: !reset [a]
    build: !override {context: 5}
'''

EXTENDS_CYCLE = b'''\
services:
  a:
    extends: b
    image: nginx:1.27
  b:
    extends: a
  c:
    extends: {file: /dev/zero, service: x}
  d:
    extends: {file: ., service: x}
  e:
    extends: {file: compose.yaml, service: e}
'''

NO_ARGUMENTS = b'''\
FROM
USER
RUN
COPY
ADD
ENV
ARG
LABEL
EXPOSE
WORKDIR
CMD
ENTRYPOINT
HEALTHCHECK
ONBUILD
SHELL
VOLUME
STOPSIGNAL
MAINTAINER
'''

NO_ARGUMENTS_AFTER_FROM = b'FROM alpine:3.20 AS base\n' + NO_ARGUMENTS.split(b'\n', 1)[1] + \
    b'FROM base\nCOPY --from=\nRUN --mount=type=cache,target\nFROM base AS\nFROM AS x\n'

UNTERMINATED_QUOTES = b'''\
FROM alpine:3.20
ENV A="x
LABEL b='y
ARG C="
RUN echo "abc && apt-get install -y 'curl
RUN pip install "requests
RUN $(( 1 + `echo ${X
USER "app
CMD ["a", "b"
ENTRYPOINT ["a",
SHELL ["bash"
HEALTHCHECK CMD "curl
COPY "a b /app
'''

# Valid for Docker but odd: every rule walks over it.
KITCHEN_SINK = b'''\
# syntax=docker/dockerfile:1
ARG BASE=alpine
ARG TAG
FROM ${BASE}:${TAG:-3.20} AS a
FROM a AS b
FROM b
FROM scratch
FROM --platform=$BUILDPLATFORM ${UNKNOWN} AS c
ONBUILD ONBUILD RUN echo
ONBUILD RUN <<EOF
echo hi
EOF
RUN <<EOF <<EOF2 cat
a
EOF
b
EOF2
RUN <<-"EOF" bash
\tapt-get install -y gcc
\tEOF
RUN <<
RUN << EOF
RUN a && || ;; | & ; && b
RUN apt-get install -y && apk add && pip install && npm install && yarn add
RUN sh -c 'sh -c "bash -c \\"apt-get install -y gcc\\""'
RUN ((((((((((((((((((((((((((((((((
RUN $($($($($($($($($($($($($($(echo))))))))))))))
RUN --mount=type=cache,target=/root/.cache --mount=type=secret,id=x,required pip install x
COPY --from=a --from=b --chown=::: --chmod=999999 . .
COPY ["a", "b",
ADD http:// /
EXPOSE 99999999999999999999999 -1 abc/udp
USER ${NOBODY}:${GROUP:?err}
ENV A=${A:-${B:-${C:-${D:+x}}}} B=$ C=${ D=}
LABEL "a"="b" 'c'='d' e
HEALTHCHECK --interval=x CMD
HEALTHCHECK NONE
SHELL ["/bin/sh", "-c", 5]
WORKDIR ${W}
STOPSIGNAL SIGKILL SIGTERM
'''

BROKEN_IGNORE_BRACKET = b'*.log\n[\n'
BROKEN_IGNORE_BANG = b'*.log\n!\n'

CASES = [
    Case('binary', {'*': _binary()}, _all(r'contains NUL bytes: a binary file, not text')),
    Case('non-utf8', {'*': b'FROM alpine:3.20\nLABEL x="\xe9t\xe9"\n'},
         _all(r'is not UTF-8 text \(byte 0xe9 at offset \d+\)')),
    Case('utf16-bom', {'*': 'FROM alpine:3.20\nUSER app\n'.encode('utf-16')},
         _all(r'is UTF-16 text; save it as UTF-8')),
    Case('utf16-no-bom', {'*': 'FROM alpine:3.20\nUSER app\n'.encode('utf-16-le')},
         _all(r'contains NUL bytes')),
    Case('nul-bytes', {'*': b'FROM alpine:3.20\nRUN echo \x00\n'}, _all(r'contains NUL bytes')),
    Case('bom-crlf-cr', {'*': b'\xef\xbb\xbfFROM alpine:3.20\r\nUSER app\rCMD ["x"]\r\n'}, {}),
    Case('empty', {'*': b''}, {}),  # an empty compose file has no services (an override seam)
    Case('comment-only', {'*': b'# only a comment\n#\n# dockhooks: ignore=DH101\n'}, {}),
    Case('blank-only', {'*': b'\n\n   \n\t\n'}, {}),
    Case('200000-lines', {'dockerfile': _big_dockerfile(), 'compose': _big_compose(),
                          'dockerignore': _big_ignore(), 'env': b'A=1\n' * 200_000},
         {'compose': r'is \d+ characters long, over the \d+ dockhooks parses in a compose file',
          'dockerignore': r'has 200000 patterns, more than the \d+ dockhooks evaluates'},
         big=True),
    Case('2mb-line', {'dockerfile': b'FROM alpine:3.20\nRUN echo ' + b'a' * 2_000_000 + b'\n',
                      'compose': b'services:\n  a:\n    image: "' + b'a' * 2_000_000 + b'"\n',
                      'dockerignore': b'a' * 2_000_000 + b'\n', 'env': b'A=' + b'a' * 2_000_000},
         {'compose': r'is 2000029 characters long',
          'dockerignore': r'line is 2000000 bytes long; Docker cannot read lines of 65536 bytes'},
         big=True),
    Case('100000-continuations',
         {'dockerfile': b'FROM alpine:3.20\nRUN echo \\\n' + b'  x \\\n' * 100_000 + b'  done\n',
          'compose': b'services:\n a:\n  image: nginx:1.27\n  command: >\n' + b'   x\n' * 100_000,
          'dockerignore': b'x \\\n' * 100_000, 'env': b'A=\\\n' * 100_000},
         {'dockerignore': r'has 100000 patterns'}, big=True),
    Case('many-stages', {'*': b''.join(b'FROM alpine:3.20 AS s%d\nUSER app\n' % i
                                       for i in range(50_000))}, {}, big=True),
    Case('chained-stages', {'*': b'FROM alpine:3.20 AS s0\n' + b''.join(
        b'FROM s%d AS s%d\nENV V%d=x\n' % (i, i + 1, i) for i in range(5_000))},
        {'dockerfile': r'\d+ build stages inherit \d+ ENV values in all, more than the \d+'},
        big=True),
    Case('unterminated-heredoc', {'*': b'FROM alpine:3.20\nRUN <<EOF\necho hi\n',
                                  'compose': b'services:\n  a:\n    image: "nginx:1.27\n'},
         {'dockerfile': r'heredoc <<EOF opened on line 2 is never closed',
          'compose': r'is not valid YAML'}),
    Case('unterminated-quotes', {'*': UNTERMINATED_QUOTES,
                                 'compose': b"services:\n  a:\n    image: 'nginx\n"},
         {'compose': r'is not valid YAML'}),
    Case('no-arguments', {'*': NO_ARGUMENTS,
                          'compose': b'services:\n  a:\n    image:\n    build:\n    environment:\n'
                                     b'    depends_on:\n    deploy:\n    read_only:\n'}, {}),
    Case('no-arguments-after-from', {'*': NO_ARGUMENTS_AFTER_FROM}, {}),
    Case('kitchen-sink', {'*': KITCHEN_SINK}, {}),
    Case('bad-escape-directive', {'*': b'# escape=x\nFROM alpine:3.20\n'},
         {'dockerfile': r"invalid escape directive 'x'"}),
    Case('duplicate-directive', {'*': b'# escape=`\n# escape=\\\nFROM alpine:3.20\n'},
         {'dockerfile': r'only one escape parser directive can be used'}),
    Case('unknown-instruction', {'*': b'FROM alpine:3.20\nFORM alpine\n'},
         {'dockerfile': r"unknown instruction 'form'"}),
    Case('alias-bomb', {'*': ALIAS_BOMB}, {'compose': r'has excessive aliasing'}),
    Case('python-tags', {'*': PYTHON_TAGS}, {}),
    Case('duplicate-keys', {'*': DUPLICATE_KEYS},
         {'compose': r'duplicate key "web" \(first at line 2\): Compose rejects a key defined'}),
    Case('deep-nesting', {'*': b'services: ' + b'[' * 5000 + b']' * 5000 + b'\n'},
         {'compose': r'is nested more than 100 levels deep'}),
    Case('undefined-alias', {'*': b'services:\n  a: *nope\n'},
         {'compose': r'is not valid YAML: found undefined alias'}),
    Case('control-character', {'*': b'services:\n  a:\n    image: "x\x07"\n'},
         {'compose': r'contains a character YAML does not allow \(U\+0007\)'}),
    Case('yaml-1.2-directive', {'*': b'%YAML 1.2\n---\nservices: {}\n'},
         {'compose': r'has a %YAML 1.2 directive'}),
    Case('empty-document', {'*': b'services:\n  a:\n    image: nginx:1.27\n---\n---\n'},
         {'compose': r'has an empty YAML document'}),
    Case('top-level-list', {'*': b'- services\n- a\n'},
         {'compose': r'top level must be a mapping, not a list'}),
    Case('services-list', {'*': b'services:\n  - web\n  - db\n'},
         {'compose': r'"services" must be a mapping, not a list'}),
    Case('service-string', {'*': b'services:\n  web: nginx:1.27\n'},
         {'compose': r'service "web" must be a mapping, not a string'}),
    Case('wrong-types', {'*': WRONG_TYPES}, {}),
    Case('wrong-extends', {'*': WRONG_EXTENDS}, {}),
    Case('merge-scalar', {'*': MERGE_SCALAR}, {}),
    Case('yaml-tags', {'*': YAML_TAGS}, {}),
    Case('extends-cycle', {'*': EXTENDS_CYCLE}, {'compose': r'extends cycle'}),
    Case('ignore-bracket', {'*': b'FROM alpine:3.20\n', 'dockerignore': BROKEN_IGNORE_BRACKET},
         {'dockerignore': r"pattern '\[' has .*: Docker fails the build on it"}),
    Case('ignore-lone-bang', {'*': b'FROM alpine:3.20\n', 'dockerignore': BROKEN_IGNORE_BANG},
         {'dockerignore': r"pattern '!' has a \"!\" with no pattern after it"}),
    Case('ignore-trailing-backslash', {'*': b'FROM alpine:3.20\n', 'dockerignore': b'a\\\n'},
         {'dockerignore': r"pattern 'a\\\\' has a trailing unescaped backslash"}),
    Case('ignore-bad-range', {'*': b'FROM alpine:3.20\n', 'dockerignore': b'[z-a]\n**/[\n'},
         {'dockerignore': r"pattern '\[z-a\]'"}),
]


# --------------------------------------------------------------------------- helpers


@pytest.fixture(autouse=True)
def _forget_parsed() -> Iterator[None]:
    """Parsed files are kept per process: drop them (a 200,000-line model is large)."""
    yield
    parsed = getattr(_hook, '_PARSED', None)
    if isinstance(parsed, dict):
        parsed.clear()


def write_case(root: Path, case: Case) -> None:
    (root / '.git').mkdir()  # the config lookup stops here
    (root / 'ctx').mkdir()
    (root / 'ctx' / 'Dockerfile').write_bytes(CONTEXT_DOCKERFILE)
    # the project's manifest beside it: ctx is its context, and node_modules arises there,
    # so DH301 reads ctx/.dockerignore
    (root / 'ctx' / 'package.json').write_bytes(b'{}')
    for kind in KINDS:
        (root / PATHS[kind]).write_bytes(case.for_kind(kind))


def tree_digest(root: Path) -> dict[str, str]:
    """Every entry under ``root``: content hash, link target or file type."""
    out: dict[str, str] = {}
    for dirpath, dirs, files in os.walk(root):
        for name in sorted(dirs + files):
            path = os.path.join(dirpath, name)
            st = os.lstat(path)
            rel = os.path.relpath(path, root)
            if stat.S_ISLNK(st.st_mode):
                out[rel] = 'link:' + os.readlink(path)
            elif stat.S_ISREG(st.st_mode):
                with open(path, 'rb') as f:
                    out[rel] = hashlib.sha256(f.read()).hexdigest()
            else:
                out[rel] = f'mode:{stat.S_IFMT(st.st_mode)}'
    return out


def dh001(path: str, reason: str) -> re.Pattern[str]:
    return re.compile(
        rf'^{re.escape(path)}:\d+:\d+: DH001 cannot be checked: (line \d+: )?{reason}', re.M)


def hook_argv(kind: str) -> list[str]:
    """What pre-commit hands each kind of hook (dockerignore-complete: nothing)."""
    if kind == 'dockerfile':
        return [PATHS['dockerfile']]
    if kind == 'compose':
        return [PATHS['compose']]
    if kind == 'envfile':
        return [PATHS['env']]
    return []


def run_check(root: Path, *paths: str, timeout: float = LIMIT) -> tuple[int, str, float]:
    start = time.monotonic()
    proc = subprocess.run(
        [sys.executable, '-m', 'dockhooks', 'check', *paths], cwd=root, capture_output=True,
        text=True, timeout=timeout, stdin=subprocess.DEVNULL,
    )
    return proc.returncode, proc.stdout + proc.stderr, time.monotonic() - start


# --------------------------------------------------------------------------- tests


@pytest.mark.parametrize('case', CASES, ids=[c.name for c in CASES])
def test_every_hook_in_process(case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                               capsys: pytest.CaptureFixture[str]) -> None:
    write_case(tmp_path, case)
    before = tree_digest(tmp_path)
    monkeypatch.chdir(tmp_path)
    for info in RULES:
        module = load(info)
        start = time.monotonic()
        rc = module.main(hook_argv(info.kind))
        elapsed = time.monotonic() - start
        out, err = capsys.readouterr()
        assert rc in (0, 1), (info.hook, out, err)
        assert 'Traceback' not in out + err, info.hook
        assert elapsed < case.limit, (info.hook, elapsed)
        kind = 'dockerignore' if info.kind == 'context' else info.kind
        if kind in case.expect:
            assert rc == 1, info.hook
            assert dh001(PATHS[kind], case.expect[kind]).search(out), (info.hook, out[:2000])
    assert tree_digest(tmp_path) == before
    assert not list(tmp_path.glob('pwned*'))


@pytest.mark.parametrize('case', CASES, ids=[c.name for c in CASES])
def test_check_subprocess(case: Case, tmp_path: Path) -> None:
    write_case(tmp_path, case)
    before = tree_digest(tmp_path)
    rc, out, elapsed = run_check(tmp_path, '.', timeout=case.limit)
    assert rc in (0, 1), out[-3000:]
    assert 'Traceback' not in out, out[-3000:]
    assert elapsed < case.limit
    for kind, reason in case.expect.items():
        assert rc == 1
        assert dh001(PATHS[kind], reason).search(out), (kind, out[:2000])
    assert tree_digest(tmp_path) == before
    assert not list(tmp_path.glob('pwned*'))


def _special_tree(root: Path) -> None:
    """Symlink loops, a FIFO and a device under Dockerfile and compose names."""
    (root / '.git').mkdir()
    (root / 'Dockerfile').write_bytes(CONTEXT_DOCKERFILE)
    (root / '.dockerignore').write_bytes(b'.git\n**/*.log\n**/.env\n**/.env.*\n')
    sub = root / 'sub'
    sub.mkdir()
    (sub / 'loop').symlink_to('..', target_is_directory=True)  # sub/loop/sub/loop/...
    (root / 'self').symlink_to('self')                          # a link to itself
    (root / 'a').symlink_to('b')                                # a -> b -> a
    (root / 'b').symlink_to('a')
    (root / 'Dockerfile.loop').symlink_to('Dockerfile.loop')
    (root / 'docker-compose.loop.yml').symlink_to('docker-compose.loop.yml')
    (sub / 'Dockerfile').symlink_to('../Dockerfile.loop')
    (root / 'compose.zero.yaml').symlink_to('/dev/zero')
    os.mkfifo(root / 'Dockerfile.fifo')
    os.mkfifo(root / 'compose.fifo.yaml')


SPECIAL = {
    'Dockerfile.loop': r'cannot be read \(Too many levels of symbolic links\)',
    'sub/Dockerfile': r'cannot be read \(Too many levels of symbolic links\)',
    'docker-compose.loop.yml': r'cannot be read \(Too many levels of symbolic links\)',
    'Dockerfile.fifo': r'is not a regular file',
    'compose.fifo.yaml': r'is not a regular file',
    'compose.zero.yaml': r'is not a regular file',
}


@pytest.mark.skipif(not hasattr(os, 'mkfifo'), reason='POSIX only')
def test_symlink_loops_fifos_and_devices_in_process(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    _special_tree(tmp_path)
    before = tree_digest(tmp_path)
    monkeypatch.chdir(tmp_path)
    for info in RULES:
        if info.kind == 'dockerfile':
            argv = [p for p in SPECIAL if 'ockerfile' in p]
        elif info.kind == 'compose':
            argv = [p for p in SPECIAL if 'compose' in p]
        else:
            argv = hook_argv(info.kind)
        start = time.monotonic()
        rc = load(info).main(argv)
        out, err = capsys.readouterr()
        assert rc in (0, 1), (info.hook, out, err)
        assert 'Traceback' not in out + err
        assert time.monotonic() - start < LIMIT
        for path in argv:
            if path in SPECIAL:
                assert dh001(path, SPECIAL[path]).search(out), (info.hook, path, out)
    assert tree_digest(tmp_path) == before


@pytest.mark.skipif(not hasattr(os, 'mkfifo'), reason='POSIX only')
def test_symlink_loops_fifos_and_devices_check(tmp_path: Path) -> None:
    _special_tree(tmp_path)
    before = tree_digest(tmp_path)
    # a folder: the walk enters no symlinked folder and reads no FIFO, link or device
    rc, out, _ = run_check(tmp_path, '.')
    assert rc in (0, 1), out
    assert 'Traceback' not in out
    for path in ('Dockerfile.fifo', 'compose.fifo.yaml', 'compose.zero.yaml', 'self', 'a'):
        assert f'{path}:' not in out
    # named on the command line: one DH001 line each, no hang on the FIFO
    rc, out, _ = run_check(tmp_path, *SPECIAL)
    assert rc == 1
    assert 'Traceback' not in out
    for path, reason in SPECIAL.items():
        assert dh001(path, reason).search(out), (path, out)
    # the same folder inside a git repository: git lists the links, which are skipped
    if subprocess.run(['git', 'init', '-q'], cwd=tmp_path, capture_output=True).returncode == 0:
        subprocess.run(['git', 'add', '-A'], cwd=tmp_path, capture_output=True)
        rc, out, _ = run_check(tmp_path, '.')
        assert rc in (0, 1), out
        assert 'Traceback' not in out
        before = {k: v for k, v in before.items() if not k.startswith('.git')}
    after = {k: v for k, v in tree_digest(tmp_path).items() if not k.startswith('.git')}
    assert after == {k: v for k, v in before.items() if not k.startswith('.git')}


@pytest.mark.skipif(not hasattr(os, 'mkfifo'), reason='POSIX only')
def test_context_size_symlink_loop(tmp_path: Path) -> None:
    _special_tree(tmp_path)
    proc = subprocess.run(
        [sys.executable, '-m', 'dockhooks', 'context-size', str(tmp_path)],
        capture_output=True, text=True, timeout=LIMIT, stdin=subprocess.DEVNULL,
    )
    assert proc.returncode == 0, proc.stderr
    assert 'Traceback' not in proc.stdout + proc.stderr


def test_python_tags_build_no_object(tmp_path: Path) -> None:
    """A YAML python tag stays data: nothing is imported or run."""
    from dockhooks import _compose

    path = tmp_path / 'compose.yaml'
    path.write_bytes(PYTHON_TAGS)
    cf = _compose.load(str(path))
    web = cf.services[0]
    assert type(web.get('image')).__name__ == 'TaggedScalar' or isinstance(web.get('image'),
                                                                           (list, dict))
    assert not list(tmp_path.glob('pwned*'))


def test_scopes_are_views_and_aliases_are_looked_up() -> None:
    """Regression for the 200,000-line and many-stage cases: scopes are views of one history
    per stage (no copy per ARG/ENV), a stage's parent is found through an alias table."""
    from dockhooks._dockerfile import parse

    df = parse('Dockerfile', 'ARG G=1\nFROM a AS s\nENV A=1\nENV B=$A A=2\nFROM s AS s\n'
                             'ARG A\nENV C=$A\nFROM s\n')
    ins = df.instructions
    assert dict(ins[0].scope) == {'G': '1'}
    assert dict(ins[2].scope) == {'A': '1'}
    assert 'B' not in ins[2].scope  # a later ENV is not seen by an earlier instruction
    assert dict(ins[3].scope) == {'A': '2', 'B': '1'}
    assert dict(ins[5].scope) == {'A': '2', 'B': '1'}  # inherited; ARG A does not beat ENV A
    assert ins[6].scope['C'] == '2'
    assert [s.parent for s in df.stages] == [None, 0, 1]  # the latest stage named s
    assert df.stages[2].env == {'A': '2', 'B': '1', 'C': '2'}
    assert df.stages[0].env == {'A': '2', 'B': '1'}
