from __future__ import annotations

import pytest
from dockhooks.dockerfile_pinned_base_image import main
from hookrun import assert_findings


def _no_tag(pos: str, image: str, fix: str) -> str:
    return (f'{pos}: DH101 base image {image} has no tag, so it means :latest; '
            f'pin a version: FROM {fix}')


def _latest(pos: str, image: str, fix: str) -> str:
    return (f'{pos}: DH101 base image {image} uses the tag latest, which moves with every '
            f'release; pin a version: FROM {fix}')


def _floating(pos: str, image: str, tag: str, fix: str) -> str:
    return (f'{pos}: DH101 base image {image} uses the floating tag {tag!r}, which carries no '
            f'version and moves; pin a version: FROM {fix}')


def _digest(pos: str, image: str, fix: str) -> str:
    return f'{pos}: DH101 base image {image} is not pinned by digest; pin it by digest: FROM {fix}'


CASES = (
    # no tag at all means :latest
    ('FROM python\n', (_no_tag('1:1', 'python', 'python:<version>'),)),
    # latest, in any case
    ('FROM python:latest\n', (_latest('1:1', 'python:latest', 'python:<version>'),)),
    ('FROM python:LATEST AS app\n', (_latest('1:1', 'python:LATEST', 'python:<version>'),)),
    # a version tag
    ('FROM python:3.13-slim\n', ()),
    ('FROM node:22-alpine\n', ()),
    # floating tags without a version: the fix keeps the variant
    ('FROM node:lts-alpine\n',
     (_floating('1:1', 'node:lts-alpine', 'lts-alpine', 'node:<version>-alpine'),)),
    ('FROM node:lts\n', (_floating('1:1', 'node:lts', 'lts', 'node:<version>'),)),
    ('FROM nginx:stable\n', (_floating('1:1', 'nginx:stable', 'stable', 'nginx:<version>'),)),
    ('FROM nginx:mainline\n',
     (_floating('1:1', 'nginx:mainline', 'mainline', 'nginx:<version>'),)),
    ('FROM golang:alpine\n',
     (_floating('1:1', 'golang:alpine', 'alpine', 'golang:<version>-alpine'),)),
    ('FROM python:slim\n', (_floating('1:1', 'python:slim', 'slim', 'python:<version>-slim'),)),
    ('FROM php:cli\n', (_floating('1:1', 'php:cli', 'cli', 'php:<version>-cli'),)),
    ('FROM alpine:edge\n', (_floating('1:1', 'alpine:edge', 'edge', 'alpine:<version>'),)),
    # release codenames are pinned
    ('FROM debian:bookworm\n', ()),
    ('FROM debian:bookworm-slim\n', ()),
    ('FROM ubuntu:jammy-20240101\n', ()),
    ('FROM buildpack-deps:noble-scm\n', ()),
    # but sid is unstable and moves
    ('FROM debian:sid\n', (_floating('1:1', 'debian:sid', 'sid', 'debian:<version>'),)),
    ('FROM debian:sid-slim\n',
     (_floating('1:1', 'debian:sid-slim', 'sid-slim', 'debian:<version>-slim'),)),
    # digests pin, with or without a tag
    ('FROM python@sha256:0123abcd\n', ()),
    ('FROM python:latest@sha256:0123abcd\n', ()),
    # scratch is no image, in any case
    ('FROM scratch\n', ()),
    ('FROM SCRATCH\n', ()),
    # an earlier stage is not pulled, whatever the case of its name
    ('FROM golang:1.22 AS build\nFROM build\n', ()),
    ('FROM golang:1.22 AS Build\nFROM BUILD AS final\nFROM final\n', ()),
    # a name used as a stage alias only later is an image: a local one (no Official Image
    # has that name, and it has no organisation), which nothing pulls
    ('FROM build\nFROM golang:1.22 AS build\n', ()),
    ('FROM example/build\nFROM golang:1.22 AS build\n',
     (_no_tag('1:1', 'example/build', 'example/build:<version>'),)),
    # build arguments are resolved first; the fix is the ARG's default, told once at the ARG
    ('ARG TAG=latest\nFROM node:${TAG}\n',
     ('1:1: DH101 ARG TAG=latest, the base image of FROM on line 2: node:${TAG} (= '
      'node:latest) uses the tag latest, which moves with every release; pin a version: '
      'ARG TAG=<version>',)),
    ('ARG IMAGE=python\nFROM $IMAGE\n',
     ('1:1: DH101 ARG IMAGE=python, the base image of FROM on line 2: $IMAGE (= python) has '
      'no tag, so it means :latest; pin a version: ARG IMAGE=python:<version>',)),
    ('ARG IMAGE=nginx:mainline\nFROM ${IMAGE} AS build\nRUN make\nFROM ${IMAGE}\n',
     ('1:1: DH101 ARG IMAGE=nginx:mainline, the base image of FROM on lines 2, 4: ${IMAGE} (= '
      'nginx:mainline) uses the floating tag \'mainline\', which carries no version and moves; '
      'pin a version: ARG IMAGE=nginx:<version>',)),
    ('ARG TAG=3.12\nFROM python:${TAG}-slim\n', ()),
    ('ARG TAG\nFROM node:${TAG:-latest}\n',
     (_latest('2:1', 'node:${TAG:-latest} (= node:latest)', 'node:<version>'),)),
    ('ARG TAG\nFROM node:${TAG:-20}\n', ()),
    # an ARG with no default cannot be known: not judged
    ('ARG TAG\nFROM node:${TAG}\n', ()),
    ('ARG BASE\nFROM $BASE\n', ()),
    ('FROM $UNDECLARED\n', ()),
    ('FROM img${X}\n', ()),
    # an ARG declared after the first FROM is not a global one: unknown in a later FROM
    ('FROM alpine:3.20\nARG TAG=latest\nFROM node:${TAG}\n', ()),
    # a registry port is not a tag
    ('FROM localhost:5000/team/app\n',
     (_no_tag('1:1', 'localhost:5000/team/app', 'localhost:5000/team/app:<version>'),)),
    ('FROM localhost:5000/team/app:1.2\n', ()),
    # registries and the official-image suggestion
    ('FROM docker.io/library/python\n',
     (_no_tag('1:1', 'docker.io/library/python', 'docker.io/library/python:<version>'),)),
    ('FROM ghcr.io/org/python\n',
     (_no_tag('1:1', 'ghcr.io/org/python', 'ghcr.io/org/python:<version>'),)),
    # --platform is not the image
    ('FROM --platform=$BUILDPLATFORM golang AS build\n',
     (_no_tag('1:1', 'golang', 'golang:<version>'),)),
    ('FROM --platform=$BUILDPLATFORM golang:1.22 AS build\n', ()),
    # every FROM is judged, at its own line and column
    ('FROM python AS build\nRUN make\n  from node:latest\n',
     (_no_tag('1:1', 'python', 'python:<version>'),
      _latest('3:3', 'node:latest', 'node:<version>'))),
    # FROM inside a heredoc body is not an instruction
    ('FROM alpine:3.20\nCOPY <<EOF /Dockerfile.example\nFROM python\nEOF\n', ()),
    # a file without FROM
    ('ARG X=1\n', ()),
)


@pytest.mark.parametrize(('src', 'expected'), CASES)
def test_pinned_base_image(src, expected, tmp_path, capsys, clean_cwd):
    assert_findings(main, tmp_path / 'Dockerfile', capsys, src, expected)


OWN = 'ARG REGISTRY=ghcr.io/acme\nARG BASE_TAG=latest\nFROM ${REGISTRY}/base-java:${BASE_TAG}\n'


@pytest.mark.parametrize(('files', 'expected'), (
    # the tag comes from an ARG among other variables: told at that ARG
    ({}, ('2:1: DH101 ARG BASE_TAG=latest, the base image of FROM on line 3: '
          '${REGISTRY}/base-java:${BASE_TAG} (= ghcr.io/acme/base-java:latest) uses the tag '
          'latest, which moves with every release; pin a version: ARG BASE_TAG=<version>',)),
    # ... and when the repository builds that image itself, the message says so
    ({'base-java/Dockerfile': 'FROM eclipse-temurin:21-jre\n'},
     ('2:1: DH101 ARG BASE_TAG=latest, the tag of the base image of FROM on line 3, an image '
      'this repository builds (base-java/Dockerfile): a build that does not pass --build-arg '
      'BASE_TAG takes whatever was pushed last; give the ARG the version your pipeline builds: '
      'ARG BASE_TAG=<version>',)),
    ({'docker/Dockerfile.base-java': 'FROM eclipse-temurin:21-jre\n'},
     ('2:1: DH101 ARG BASE_TAG=latest, the tag of the base image of FROM on line 3, an image '
      'this repository builds (docker/Dockerfile.base-java): a build that does not pass '
      '--build-arg BASE_TAG takes whatever was pushed last; give the ARG the version your '
      'pipeline builds: ARG BASE_TAG=<version>',)),
))
def test_an_image_the_repository_builds(files, expected, capsys, clean_cwd):
    for name, text in files.items():
        (clean_cwd / name).parent.mkdir(parents=True, exist_ok=True)
        (clean_cwd / name).write_text(text)
    (clean_cwd / 'docker').mkdir(exist_ok=True)
    assert_findings(main, clean_cwd / 'docker' / 'Dockerfile', capsys, OWN, expected)


OPTION_CASES = (
    # --require-digest: a tag is not enough; scratch and stages are still skipped
    (('--require-digest',),
     'FROM python:3.12 AS build\nFROM build\nFROM python:3.12@sha256:abc\nFROM scratch\n',
     (_digest('1:1', 'python:3.12', 'python:3.12@sha256:<digest>'),)),
    (('--require-digest',), 'FROM ghcr.io/org/app\n',
     (_digest('1:1', 'ghcr.io/org/app', 'ghcr.io/org/app@sha256:<digest>'),)),
    # --extra-codenames: comma-separated, repeatable, any case
    (('--extra-codenames=kaiju,Godzilla', '--extra-codenames', 'mothra'),
     'FROM ex/x:kaiju\nFROM ex/x:godzilla-slim\nFROM ex/x:mothra\nFROM ex/x:sid\n',
     (_floating('4:1', 'ex/x:sid', 'sid', 'ex/x:<version>'),)),
    # without it, the same tags float
    ((), 'FROM ex/x:kaiju\n', (_floating('1:1', 'ex/x:kaiju', 'kaiju', 'ex/x:<version>-kaiju'),)),
)


@pytest.mark.parametrize(('args', 'src', 'expected'), OPTION_CASES)
def test_options(args, src, expected, tmp_path, capsys, clean_cwd):
    assert_findings(main, tmp_path / 'Dockerfile', capsys, src, expected, *args)


CONFIGS = (
    ('pyproject.toml', '[tool.dockhooks]\nrequire-digest = true\n'),
    ('.dockhooks.toml', 'require-digest = true\n'),
)


@pytest.mark.parametrize(('name', 'toml'), CONFIGS)
def test_require_digest_from_config(name, toml, tmp_path, capsys, clean_cwd):
    (tmp_path / name).write_text(toml)
    (tmp_path / 'Dockerfile').write_text('FROM python:3.12\n')
    assert main(['Dockerfile']) == 1
    assert capsys.readouterr().out == (
        f'Dockerfile:{_digest("1:1", "python:3.12", "python:3.12@sha256:<digest>")}\n')


@pytest.mark.parametrize(('name', 'toml'), (
    ('pyproject.toml', '[tool.dockhooks]\nextra-codenames = ["kaiju"]\n'),
    ('.dockhooks.toml', 'extra-codenames = ["kaiju"]\n'),
))
def test_extra_codenames_from_config_and_cli_wins(name, toml, tmp_path, capsys, clean_cwd):
    (tmp_path / name).write_text(toml)
    (tmp_path / 'Dockerfile').write_text('FROM ex/x:kaiju\nFROM ex/x:mothra\n')
    assert main(['Dockerfile']) == 1
    assert capsys.readouterr().out == (
        f'Dockerfile:{_floating("2:1", "ex/x:mothra", "mothra", "ex/x:<version>-mothra")}\n')
    # the command line replaces the file's list, it does not add to it
    assert main(['Dockerfile', '--extra-codenames=mothra']) == 1
    assert capsys.readouterr().out == (
        f'Dockerfile:{_floating("1:1", "ex/x:kaiju", "kaiju", "ex/x:<version>-kaiju")}\n')


def test_several_files_every_file_is_checked(tmp_path, capsys, clean_cwd):
    (tmp_path / 'a.Dockerfile').write_text('FROM python\n')
    (tmp_path / 'b.Dockerfile').write_text('FROM python:3.12\n')
    (tmp_path / 'c.Dockerfile').write_text('FROM node:latest\n')
    assert main(['a.Dockerfile', 'b.Dockerfile', 'c.Dockerfile']) == 1
    assert capsys.readouterr().out.splitlines() == [
        f'a.Dockerfile:{_no_tag("1:1", "python", "python:<version>")}',
        f'c.Dockerfile:{_latest("1:1", "node:latest", "node:<version>")}',
    ]


def test_no_files(capsys, clean_cwd):
    assert main([]) == 0
    assert capsys.readouterr() == ('', '')


@pytest.mark.parametrize(('data', 'message'), (
    (b'FROM python\nRUN <<EOF\nnever closed\n',
     '2:1: DH001 cannot be checked: heredoc <<EOF opened on line 2 is never closed '
     '(a line holding only EOF ends it)'),
    (b'\xff\xfeF\x00', '1:1: DH001 cannot be checked: is UTF-16 text; save it as UTF-8'),
    (b'FROM python\napt-get install x\n',
     "2:1: DH001 cannot be checked: line 2: unknown instruction 'apt-get' "
     '(is a `\\` missing at the end of the previous line?)'),
))
def test_unparsable_file_is_one_finding(data, message, tmp_path, capsys, clean_cwd):
    (tmp_path / 'Dockerfile').write_bytes(data)
    assert main(['Dockerfile']) == 1
    assert capsys.readouterr() == (f'Dockerfile:{message}\n', '')


def test_missing_file(capsys, clean_cwd):
    assert main(['nope/Dockerfile']) == 1
    assert capsys.readouterr() == (
        'nope/Dockerfile:1:1: DH001 cannot be checked: cannot be read '
        '(No such file or directory)\n', '')
