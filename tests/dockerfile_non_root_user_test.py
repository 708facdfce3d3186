from __future__ import annotations

import pytest
from dockhooks.dockerfile_non_root_user import is_root
from dockhooks.dockerfile_non_root_user import main
from hookrun import assert_findings


def _no_user(pos: str, alias: str | None = None) -> str:
    name = f'final stage {alias!r}' if alias else 'final stage'
    return (f'{pos}: DH102 the {name} has no USER, so the container runs as root; add '
            f'RUN useradd --uid 10001 appuser and USER appuser before CMD')


def _root(pos: str, shown: str) -> str:
    return (f'{pos}: DH102 the image runs as root: USER {shown} is the last USER of the final '
            f'stage; create a user (RUN useradd --uid 10001 appuser) and end with USER appuser')


CASES = (
    # no USER at all: reported at the final FROM
    ('FROM python:3.13-slim\nCOPY . /app\nCMD ["python", "/app/main.py"]\n',
     (_no_user('1:1'),)),
    ('  from python:3.13-slim\n', (_no_user('1:3'),)),
    ('FROM python:3.13-slim AS Final\n', (_no_user('1:1', 'final'),)),  # alias lower-cased
    # a non-root user
    ('FROM python:3.13-slim\nRUN useradd -m appuser\nUSER appuser\n', ()),
    ('FROM python:3.13-slim\nUSER 10001:10001\n', ()),
    ('FROM python:3.13-slim\nUSER app:root\n', ()),  # only the user part matters
    # root, by name or id, with a group, quoted
    ('FROM python:3.13-slim\nUSER root\n', (_root('2:1', 'root'),)),
    ('FROM python:3.13-slim\nUSER 0\n', (_root('2:1', '0'),)),
    ('FROM python:3.13-slim\nUSER root:root\n', (_root('2:1', 'root:root'),)),
    ('FROM python:3.13-slim\nUSER 0:0\n', (_root('2:1', '0:0'),)),
    ('FROM python:3.13-slim\nUSER "root"\n', (_root('2:1', '"root"'),)),
    ("FROM python:3.13-slim\nUSER 'root'\n", (_root('2:1', "'root'"),)),
    # the last USER counts
    ('FROM python:3.13-slim\nUSER app\nUSER root\n', (_root('3:1', 'root'),)),
    ('FROM python:3.13-slim\nUSER root\nRUN apt-get update\nUSER app\n', ()),
    # an ARG or ENV whose value is known
    ('FROM python:3.13-slim\nARG U=root\nUSER $U\n', (_root('3:1', '$U (= root)'),)),
    ('FROM python:3.13-slim\nENV U=0\nUSER ${U}\n', (_root('3:1', '${U} (= 0)'),)),
    ('FROM python:3.13-slim\nARG UID\nUSER ${UID:-0}\n', (_root('3:1', '${UID:-0} (= 0)'),)),
    ('FROM python:3.13-slim\nARG U=app\nUSER $U\n', ()),
    # a USER whose value cannot be known is not judged
    ('FROM python:3.13-slim\nARG U\nUSER $U\n', ()),
    ('FROM python:3.13-slim\nUSER $UNDECLARED\n', ()),
    # builder stages may run as root
    ('FROM golang:1.22 AS build\nUSER root\nFROM python:3.13-slim\nUSER app\n', ()),
    # ... but a USER in a builder stage does not make the final stage non-root
    ('FROM golang:1.22 AS build\nUSER app\nFROM python:3.13-slim\n', (_no_user('3:1'),)),
    ('FROM golang:1.22 AS runtime\nUSER app\nFROM golang:1.22 AS test\nRUN go test\n',
     (_no_user('3:1', 'test'),)),
    # FROM <stage> inherits the stage's USER
    ('FROM python:3.13-slim AS base\nUSER app\nFROM base AS final\nRUN echo hi\n', ()),
    ('FROM python:3.13-slim AS base\nUSER app\nFROM BASE\n', ()),
    ('FROM python:3.13-slim AS base\nUSER root\nFROM base\n', (_root('2:1', 'root'),)),
    ('FROM python:3.13-slim AS base\nFROM base AS final\n', (_no_user('2:1', 'final'),)),
    # gosu / su-exec drop to a user in the entrypoint (the official database images)
    ('FROM debian:bookworm\nRUN apt-get install -y gosu\n', ()),
    ('FROM alpine:3.20\nRUN set -eux; \\\n    apk add --no-cache su-exec\n', ()),
    ('FROM debian:bookworm\nRUN <<EOF\napt-get install -y gosu\nEOF\n', ()),
    ('FROM debian:bookworm AS base\nRUN apt-get install -y gosu\nFROM base\n', ()),
    # in a builder stage, gosu does not help the final stage
    ('FROM debian:bookworm AS build\nRUN apt-get install -y gosu\nFROM debian:bookworm\n',
     (_no_user('3:1'),)),
    # nor does an explicit USER root go away because gosu is installed
    ('FROM debian:bookworm\nRUN apt-get install -y gosu\nUSER root\n', (_root('3:1', 'root'),)),
    ('FROM debian:bookworm\nRUN echo gosumo\n', (_no_user('1:1'),)),  # a whole word only
    # base images known to run as a non-root user
    ('FROM gcr.io/distroless/static:nonroot\n', ()),
    ('FROM gcr.io/distroless/static-debian12:debug-nonroot\n', ()),
    ('FROM gcr.io/distroless/python3-debian12:nonroot\nCOPY . /app\n', ()),
    ('FROM cgr.dev/chainguard/python:latest\n', ()),
    ('FROM bitnami/nginx:1.25\n', ()),
    ('FROM nginxinc/nginx-unprivileged:1.27-alpine\n', ()),
    ('FROM gcr.io/distroless/static:latest\n', (_no_user('1:1'),)),  # not the nonroot tag
    ('ARG BASE=gcr.io/distroless/static:nonroot\nFROM ${BASE}\n', ()),
    # a final stage whose base image cannot be known is not judged
    ('ARG BASE\nFROM $BASE\n', ()),
    ('ARG BASE\nFROM $BASE AS base\nFROM base\n', ()),
    # scratch has no users: the process runs as uid 0
    ('FROM scratch\nCOPY app /app\n', (_no_user('1:1'),)),
    # pinned: a USER without a value (Docker rejects it) is ignored
    ('FROM python:3.13-slim\nUSER\n', (_no_user('1:1'),)),
    # USER inside a heredoc body is not an instruction
    ('FROM alpine:3.20\nCOPY <<EOF /etc/x\nUSER app\nEOF\n', (_no_user('1:1'),)),
    ('FROM alpine:3.20\nRUN <<EOF\nadduser -D app\nEOF\nCOPY <<EOF /x\nUSER root\nEOF\nUSER app\n',
     ()),
    # an ONBUILD USER runs in a child image, not in this one
    ('FROM python:3.13-slim\nUSER app\nONBUILD USER root\n', ()),
    # no stage at all
    ('ARG DEBIAN_FRONTEND=noninteractive\n', ()),
)


@pytest.mark.parametrize(('src', 'expected'), CASES)
def test_non_root_user(src, expected, tmp_path, capsys, clean_cwd):
    assert_findings(main, tmp_path / 'Dockerfile', capsys, src, expected)


TWO_STAGES = (
    'FROM python:3.13-slim AS runtime\n'
    'RUN useradd app\n'
    'USER app\n'
    'FROM runtime AS test\n'
    'USER root\n'
    'RUN pytest\n'
)
RUNTIME_ROOT = (
    'FROM python:3.13-slim AS runtime\n'
    'RUN pip install app\n'
    'FROM python:3.13-slim AS dev\n'
    'USER dev\n'
)
OPTION_CASES = (
    # --target: the stage that is shipped
    (('--target=runtime',), TWO_STAGES, ()),
    (('--target', 'RUNTIME'), TWO_STAGES, ()),  # stage names are case-insensitive
    ((), TWO_STAGES, (_root('5:1', 'root'),)),
    (('--target=runtime',), RUNTIME_ROOT, (_no_user('1:1', 'runtime'),)),
    ((), RUNTIME_ROOT, ()),
    # no stage of that name: the last stage is judged
    (('--target=nope',), TWO_STAGES, (_root('5:1', 'root'),)),
    # --extra-non-root-images: shell globs against the image reference
    (('--extra-non-root-images=myorg/base:*',), 'FROM myorg/base:1.0\n', ()),
    (('--extra-non-root-images=other/*,myorg/*',), 'FROM myorg/base:1.0\n', ()),
    (('--extra-non-root-images', 'other/*', '--extra-non-root-images', 'myorg/base:*'),
     'FROM myorg/base:1.0\n', ()),
    (('--extra-non-root-images=myorg/base:2.*',), 'FROM myorg/base:1.0\n', (_no_user('1:1'),)),
    ((), 'FROM myorg/base:1.0\n', (_no_user('1:1'),)),
    # a known non-root base does not excuse an explicit USER root
    (('--extra-non-root-images=myorg/*',), 'FROM myorg/base:1.0\nUSER root\n',
     (_root('2:1', 'root'),)),
)


@pytest.mark.parametrize(('args', 'src', 'expected'), OPTION_CASES)
def test_options(args, src, expected, tmp_path, capsys, clean_cwd):
    assert_findings(main, tmp_path / 'Dockerfile', capsys, src, expected, *args)


@pytest.mark.parametrize(('name', 'toml'), (
    ('pyproject.toml', '[tool.dockhooks]\ntarget = "runtime"\n'),
    ('.dockhooks.toml', 'target = "runtime"\n'),
))
def test_target_from_config_and_cli_wins(name, toml, tmp_path, capsys, clean_cwd):
    (tmp_path / name).write_text(toml)
    (tmp_path / 'Dockerfile').write_text(RUNTIME_ROOT)
    assert main(['Dockerfile']) == 1
    assert capsys.readouterr().out == f'Dockerfile:{_no_user("1:1", "runtime")}\n'
    assert main(['Dockerfile', '--target=dev']) == 0
    assert capsys.readouterr().out == ''


@pytest.mark.parametrize(('name', 'toml'), (
    ('pyproject.toml', '[tool.dockhooks]\nextra-non-root-images = ["myorg/*"]\n'),
    ('.dockhooks.toml', 'extra-non-root-images = ["myorg/*"]\n'),
))
def test_extra_non_root_images_from_config_and_cli_wins(name, toml, tmp_path, capsys,
                                                        clean_cwd):
    (tmp_path / name).write_text(toml)
    (tmp_path / 'Dockerfile').write_text('FROM myorg/base:1.0\n')
    assert main(['Dockerfile']) == 0
    assert capsys.readouterr().out == ''
    assert main(['Dockerfile', '--extra-non-root-images=other/*']) == 1
    assert capsys.readouterr().out == f'Dockerfile:{_no_user("1:1")}\n'


@pytest.mark.parametrize(('user', 'expected'), (
    ('root', True),
    ('0', True),
    ('root:root', True),
    ('0:1000', True),
    ('"root"', True),
    (' root ', True),
    ('app', False),
    ('rootless', False),
    ('1000:0', False),
    ('00', False),  # pinned: only the spellings Docker's docs use
))
def test_is_root(user, expected):
    assert is_root(user) is expected
