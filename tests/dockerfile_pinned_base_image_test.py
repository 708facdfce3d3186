from __future__ import annotations

import pytest
from dockhooks.dockerfile_pinned_base_image import main
from hookrun import assert_findings


def _or_digest(alt: str | None) -> str:
    # an image that is no Official Image may publish no version tags: a digest is offered too
    return '' if alt is None else f', or, where it publishes no such tag, a digest: FROM {alt}'


def _no_tag(pos: str, image: str, fix: str, alt: str | None = None) -> str:
    return (f'{pos}: DH101 base image {image} has no tag, so it means :latest; '
            f'pin a version: FROM {fix}{_or_digest(alt)}')


def _latest(pos: str, image: str, fix: str, alt: str | None = None) -> str:
    return (f'{pos}: DH101 base image {image} uses the tag latest, which moves with every '
            f'release; pin a version: FROM {fix}{_or_digest(alt)}')


def _floating(pos: str, image: str, tag: str, fix: str) -> str:
    how = 'pin it by digest' if '@sha256:' in fix else 'pin a version'
    return (f'{pos}: DH101 base image {image} uses the floating tag {tag!r}, which carries no '
            f'version and moves; {how}: FROM {fix}')


def _suite(pos: str, image: str, tag: str, suite: str, fixes: str) -> str:
    return (f'{pos}: DH101 base image {image} uses the tag {tag!r}: {suite} is a suite or '
            f'channel that no version names, so it moves with every build; {fixes}')


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
    # edge is Alpine's development branch: no version names it; alpine publishes dated
    # snapshots of it (alpine:20250108)
    ('FROM alpine:edge\n', (_suite('1:1', 'alpine:edge', 'edge', 'edge',
                                   'pin a dated snapshot: FROM alpine:<YYYYMMDD>, or a digest: '
                                   'FROM alpine:edge@sha256:<digest>'),)),
    # release codenames are pinned
    ('FROM debian:bookworm\n', ()),
    ('FROM debian:bookworm-slim\n', ()),
    ('FROM ubuntu:jammy-20240101\n', ()),
    ('FROM buildpack-deps:noble-scm\n', ()),
    # but sid is unstable and moves every day; a <version> in its place would be another
    # image: a dated snapshot (debian:sid-20250203-slim) or a digest pins it
    ('FROM debian:sid\n', (_suite('1:1', 'debian:sid', 'sid', 'sid',
                                  'pin a dated snapshot: FROM debian:sid-<YYYYMMDD>, or a '
                                  'digest: FROM debian:sid@sha256:<digest>'),)),
    ('FROM debian:sid-slim\n',
     (_suite('1:1', 'debian:sid-slim', 'sid-slim', 'sid',
             'pin a dated snapshot: FROM debian:sid-<YYYYMMDD>-slim, or a digest: '
             'FROM debian:sid-slim@sha256:<digest>'),)),
    # an image other than debian publishes no dated snapshots: a digest
    ('FROM buildpack-deps:sid-curl\n',
     (_suite('1:1', 'buildpack-deps:sid-curl', 'sid-curl', 'sid',
             'pin it by digest: FROM buildpack-deps:sid-curl@sha256:<digest>'),)),
    # the one major every release shares moves as latest does
    ('FROM alpine:3\n',
     ("1:1: DH101 base image alpine:3 uses the tag '3': 3 is the major version every alpine "
      'release shares, so it moves with each release as latest does; pin a release: '
      'FROM alpine:3.<minor>',)),
    ('FROM alpine:3.21\nFROM node:22-alpine\nFROM python:2.7\n', ()),
    # a tag with the word latest moves, digits or not; `rust-1.97.1` is a component the tag
    # pins, kept after the publisher's version (cargo-chef:0.1.73-rust-1.97.1-bookworm)
    ('FROM lukemathwalker/cargo-chef:latest-rust-1.97.1-bookworm\n',
     ("1:1: DH101 base image lukemathwalker/cargo-chef:latest-rust-1.97.1-bookworm uses the "
      "tag 'latest-rust-1.97.1-bookworm', whose word latest moves with every release; pin a "
      'version: FROM lukemathwalker/cargo-chef:<version>-rust-1.97.1-bookworm, or, where it '
      'publishes no such tag, a digest: '
      'FROM lukemathwalker/cargo-chef:latest-rust-1.97.1-bookworm@sha256:<digest>',)),
    # a word no versioned tag is known to name (a selector): a digest, not <version>-develop
    ('FROM example/app:develop\n',
     (_floating('1:1', 'example/app:develop', 'develop',
                'example/app:develop@sha256:<digest>'),)),
    # distroless: the names with a Debian release first
    ('FROM gcr.io/distroless/static:nonroot\n',
     ('1:1: DH101 base image gcr.io/distroless/static:nonroot names no Debian release, so it '
      'moves to whichever one distroless builds on next; name the release (-debian12 or '
      '-debian13): FROM gcr.io/distroless/static-debian12:nonroot, or pin it by digest: '
      'FROM gcr.io/distroless/static:nonroot@sha256:<digest>',)),
    ('FROM gcr.io/distroless/static-debian12:nonroot\n', ()),
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
    ('FROM example/build\nRUN make\nFROM golang:1.22 AS build\n',
     (_no_tag('1:1', 'example/build', 'example/build:<version>',
              'example/build@sha256:<digest>'),)),
    # build arguments are resolved first; the fix is the ARG's default, told once at the ARG
    ('ARG TAG=latest\nFROM node:${TAG}\n',
     ('1:1: DH101 ARG TAG=latest, the tag of the base image of FROM on line 2: node:${TAG} (= '
      'node:latest) uses the tag latest, which moves with every release; pin a version: '
      'ARG TAG=<version>',)),
    # the ARG that writes what floats is told, through the ARGs that bring it in; the
    # reference to it stays (ARG FROM keeps $SYNAPSE_VERSION, so --build-arg still works)
    ('ARG SYNAPSE_VERSION=latest\nARG FROM=matrixdotorg/synapse:$SYNAPSE_VERSION\n'
     'FROM $FROM\n',
     ('1:1: DH101 ARG SYNAPSE_VERSION=latest, the tag of the base image of FROM on line 3 '
      'through ARG FROM: $FROM (= matrixdotorg/synapse:latest) uses the tag latest, which '
      'moves with every release; pin a version: ARG SYNAPSE_VERSION=<version>, or, where it '
      'publishes no such tag, a digest: ARG SYNAPSE_VERSION=latest@sha256:<digest>',)),
    # a variant written by an ARG keeps its place after the version
    ('ARG PG=alpine\nFROM postgres:${PG}\n',
     ("1:1: DH101 ARG PG=alpine, the tag of the base image of FROM on line 2: postgres:${PG} "
      "(= postgres:alpine) uses the floating tag 'alpine', which carries no version and "
      'moves; pin a version: ARG PG=<version>-alpine',)),
    ('ARG V=lts\nFROM node:${V}-alpine\n',
     ("1:1: DH101 ARG V=lts, part of the base image of FROM on line 2: node:${V}-alpine (= "
      "node:lts-alpine) uses the floating tag 'lts-alpine', which carries no version and "
      'moves; pin a version: ARG V=<version>',)),
    # what the FROM writes itself is fixed there, its variables kept
    ('ARG REG=ghcr.io/acme\nFROM ${REG}/app\n',
     ('2:1: DH101 base image ${REG}/app (= ghcr.io/acme/app) has no tag, so it means '
      ':latest; pin a version: FROM ${REG}/app:<version>',)),
    # a digest after a variable would silence it (--build-arg SUITE would change nothing)
    ('ARG SUITE=sid\nFROM debian:${SUITE}-slim\n',
     (_suite('2:1', 'debian:${SUITE}-slim (= debian:sid-slim)', 'sid-slim', 'sid',
             'pin a dated snapshot: FROM debian:${SUITE}-<YYYYMMDD>-slim'),)),
    ('ARG IMAGE=python\nFROM $IMAGE\n',
     ('1:1: DH101 ARG IMAGE=python, the base image of FROM on line 2: $IMAGE (= python) has '
      'no tag, so it means :latest; pin a version: ARG IMAGE=python:<version>',)),
    ('ARG IMAGE=nginx:mainline\nFROM ${IMAGE} AS build\nRUN make\nFROM ${IMAGE}\n',
     ('1:1: DH101 ARG IMAGE=nginx:mainline, the base image of FROM on lines 2, 4: ${IMAGE} (= '
      'nginx:mainline) uses the floating tag \'mainline\', which carries no version and moves; '
      'pin a version: ARG IMAGE=nginx:<version>',)),
    ('ARG TAG=3.12\nFROM python:${TAG}-slim\n', ()),
    # the default written in the FROM is what to change; the variable stays
    ('ARG TAG\nFROM node:${TAG:-latest}\n',
     (_latest('2:1', 'node:${TAG:-latest} (= node:latest)', 'node:${TAG:-<version>}'),)),
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
     (_no_tag('1:1', 'localhost:5000/team/app', 'localhost:5000/team/app:<version>',
              'localhost:5000/team/app@sha256:<digest>'),)),
    ('FROM localhost:5000/team/app:1.2\n', ()),
    # registries and the official-image suggestion
    ('FROM docker.io/library/python\n',
     (_no_tag('1:1', 'docker.io/library/python', 'docker.io/library/python:<version>'),)),
    ('FROM ghcr.io/org/python\n',
     (_no_tag('1:1', 'ghcr.io/org/python', 'ghcr.io/org/python:<version>',
              'ghcr.io/org/python@sha256:<digest>'),)),
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


OWN = 'ARG REGISTRY=ghcr.io/acme\nARG BASE_TAG={}\nFROM ${{REGISTRY}}/base-java:${{BASE_TAG}}\n'


@pytest.mark.parametrize(('files', 'tag', 'expected'), (
    # the tag comes from an ARG among other variables: told at that ARG
    ({}, 'latest', (
        '2:1: DH101 ARG BASE_TAG=latest, the tag of the base image of FROM on line 3: '
        '${REGISTRY}/base-java:${BASE_TAG} (= ghcr.io/acme/base-java:latest) uses the tag '
        'latest, which moves with every release; pin a version: ARG BASE_TAG=<version>',)),
    # the repository builds that image itself, and `latest` is the tag its own build
    # (`docker build -t ghcr.io/acme/base-java .`) gives it: with the default driver the FROM
    # resolves to the image just built, nothing is pulled, and a pin would cut the chain
    ({'base-java/Dockerfile': 'FROM eclipse-temurin:21-jre\n'}, 'latest', ()),
    ({'docker/Dockerfile.base-java': 'FROM eclipse-temurin:21-jre\n'}, 'latest', ()),
    # a tag its build does not give is pulled: the message says the repository builds it
    ({'base-java/Dockerfile': 'FROM eclipse-temurin:21-jre\n'}, 'stable', (
        '2:1: DH101 ARG BASE_TAG=stable, the tag of the base image of FROM on line 3, an image '
        'this repository builds (base-java/Dockerfile): a build that does not pass --build-arg '
        'BASE_TAG takes whatever was pushed last; give the ARG the version your pipeline builds: '
        'ARG BASE_TAG=<version>',)),
    ({'docker/Dockerfile.base-java': 'FROM eclipse-temurin:21-jre\n'}, 'stable', (
        '2:1: DH101 ARG BASE_TAG=stable, the tag of the base image of FROM on line 3, an image '
        'this repository builds (docker/Dockerfile.base-java): a build that does not pass '
        '--build-arg BASE_TAG takes whatever was pushed last; give the ARG the version your '
        'pipeline builds: ARG BASE_TAG=<version>',)),
))
def test_an_image_the_repository_builds(files, tag, expected, capsys, clean_cwd):
    for name, text in files.items():
        (clean_cwd / name).parent.mkdir(parents=True, exist_ok=True)
        (clean_cwd / name).write_text(text)
    (clean_cwd / 'docker').mkdir(exist_ok=True)
    assert_findings(main, clean_cwd / 'docker' / 'Dockerfile', capsys, OWN.format(tag),
                    expected)


def _own(pos: str, image: str, problem: str, own: str, fix: str) -> str:
    return (f'{pos}: DH101 base image {image} {problem}; it is an image this repository builds '
            f'({own}), so a build of this file takes whatever was pushed last, not what this '
            f'commit builds; {fix}')


@pytest.mark.parametrize(('files', 'path', 'src', 'expected'), (
    # a plain FROM of an image a folder of the repository builds, by the tag its build
    # gives (none: latest): the image the build just made, not a pull
    ({'curl/Dockerfile': 'FROM alpine:3.21\n'}, 'mailgun/Dockerfile', 'FROM r.j3ss.co/curl\n',
     ()),
    # ... by another tag: pulled, and the message says the repository builds it
    ({'curl/Dockerfile': 'FROM alpine:3.21\n'}, 'mailgun/Dockerfile',
     'FROM r.j3ss.co/curl:stable\n',
     (_own('1:1', 'r.j3ss.co/curl:stable',
           "uses the floating tag 'stable', which carries no version and moves",
           'curl/Dockerfile', 'pin a version: FROM r.j3ss.co/curl:<version>, or, where it '
           'publishes no such tag, a digest: FROM r.j3ss.co/curl:stable@sha256:<digest>'),)),
    # the folders its tag names below the image's folder: that folder's build gives the tag
    ({'wireguard/install/Dockerfile': 'FROM debian:sid-20250203-slim\n'},
     'kernel-builder/Dockerfile', 'FROM r.j3ss.co/wireguard:install\n', ()),
    # the name after the repository's or organisation's: Dockerfile.base, Dockerfile-workers
    ({'Dockerfile.base': 'FROM node:22\n'}, 'Dockerfile',
     'ARG BASE_IMAGE=acme/acme-base\nFROM ${BASE_IMAGE}\n', ()),
    ({'Dockerfile.base': 'FROM node:22\n'}, 'Dockerfile',
     'ARG BASE_IMAGE=acme/acme-base:edge\nFROM ${BASE_IMAGE}\n',
     ('1:1: DH101 ARG BASE_IMAGE=acme/acme-base:edge, the base image of FROM on line 2, an '
      'image this repository builds (Dockerfile.base): a build that does not pass --build-arg '
      'BASE_IMAGE takes whatever was pushed last; give the ARG the digest your pipeline '
      'builds: ARG BASE_IMAGE=acme/acme-base:edge@sha256:<digest>',)),
    ({'docker/Dockerfile-workers': 'FROM python:3.13\n'}, 'docker/complement/Dockerfile',
     'ARG V=latest\nARG FROM=acme/acme-workers:$V\nFROM $FROM\n', ()),
    ({'docker/Dockerfile-workers': 'FROM python:3.13\n'}, 'docker/complement/Dockerfile',
     'ARG V=nightly\nARG FROM=acme/acme-workers:$V\nFROM $FROM\n',
     ('1:1: DH101 ARG V=nightly, the tag of the base image of FROM on line 3 through ARG FROM, '
      'an image this repository builds (docker/Dockerfile-workers): a build that does not pass '
      '--build-arg V takes whatever was pushed last; give the ARG the version your pipeline '
      'builds: ARG V=<version>',)),
    # a Dockerfile that builds on the image (a wrapper) does not build it
    ({'loki/Dockerfile': 'FROM grafana/loki\nCOPY conf /etc/loki\n'}, 'tools/Dockerfile',
     'FROM grafana/loki\n',
     (_no_tag('1:1', 'grafana/loki', 'grafana/loki:<version>',
              'grafana/loki@sha256:<digest>'),)),
    # a tool's folder is no image's name (tfaddons/dev_container is not .devcontainer/)
    ({'.devcontainer/Dockerfile': 'FROM node:22\n'}, 'x/Dockerfile',
     'FROM tfaddons/dev_container\n',
     (_no_tag('1:1', 'tfaddons/dev_container', 'tfaddons/dev_container:<version>',
              'tfaddons/dev_container@sha256:<digest>'),)),
    # an Official Image is not the repository's own because a folder has its name
    ({'nginx/Dockerfile': 'FROM alpine:3.21\n'}, 'web/Dockerfile', 'FROM nginx\n',
     (_no_tag('1:1', 'nginx', 'nginx:<version>'),)),
))
def test_an_image_the_repository_builds_by_name(files, path, src, expected, capsys, clean_cwd):
    for name, text in files.items():
        (clean_cwd / name).parent.mkdir(parents=True, exist_ok=True)
        (clean_cwd / name).write_text(text)
    (clean_cwd / 'acme').mkdir()  # the organisation's name, as a folder: not a Dockerfile
    assert_findings(main, clean_cwd / path, capsys, src, expected)


def test_the_repository_named_after_the_image(capsys, clean_cwd):
    # docker-library layout: buildpack-deps builds buildpack-deps:sid-curl in sid/curl/, and
    # the FROM of sid/scm names that parent by the tag its folder gives it (bashbrew builds
    # the parents first): not a pull, and a digest would freeze the child on a stale parent
    repo = clean_cwd / 'buildpack-deps'
    (repo / '.git').mkdir(parents=True)
    (repo / 'debian' / 'sid' / 'curl').mkdir(parents=True)
    (repo / 'debian' / 'sid' / 'curl' / 'Dockerfile').write_text('FROM debian:sid-20250203\n')
    assert_findings(
        main, repo / 'debian' / 'sid' / 'scm' / 'Dockerfile', capsys,
        'FROM buildpack-deps:sid-curl\n', ())
    # a tag no folder builds is pulled
    assert_findings(
        main, repo / 'debian' / 'sid' / 'other' / 'Dockerfile', capsys,
        'FROM buildpack-deps:sid-wget\n',
        ('1:1: DH101 base image buildpack-deps:sid-wget uses the tag \'sid-wget\': sid is a suite '
         'or channel that no version names, so it moves with every build; it is an image this '
         'repository builds, named after it, so a build of this file takes whatever was pushed '
         'last, not what this commit builds; pin it by digest: FROM '
         'buildpack-deps:sid-wget@sha256:<digest>',))
    # an image named after the repository is its own, whichever file builds it
    assert_findings(
        main, repo / 'Dockerfile.dev', capsys, 'FROM acme/buildpack-deps:latest\n',
        ('1:1: DH101 base image acme/buildpack-deps:latest uses the tag latest, which moves '
         'with every release; it is an image this repository builds, named after it, so a '
         'build of this file takes whatever was pushed last, not what this commit builds; pin '
         'a version: FROM acme/buildpack-deps:<version>, or, where it publishes no such tag, a '
         'digest: FROM acme/buildpack-deps:latest@sha256:<digest>',))


@pytest.mark.parametrize(('src', 'expected'), (
    # a stage that only names an image and that nothing uses is never built (BuildKit builds
    # the target and what it reaches), so its image is never pulled
    ('FROM tonistiigi/binfmt AS binfmt\nFROM python:3.13\nRUN make\n', ()),
    # used through COPY --from or RUN --mount, or by FROM: built
    ('FROM tonistiigi/binfmt AS binfmt\nFROM python:3.13\nCOPY --from=binfmt /x /x\n',
     (_no_tag('1:1', 'tonistiigi/binfmt', 'tonistiigi/binfmt:<version>',
              'tonistiigi/binfmt@sha256:<digest>'),)),
    ('FROM node AS n\nFROM python:3.13\nRUN --mount=type=bind,from=n,target=/n make\n',
     (_no_tag('1:1', 'node', 'node:<version>'),)),
    ('FROM node AS n\nFROM n\n', (_no_tag('1:1', 'node', 'node:<version>'),)),
    # a stage with instructions of its own may be a --target a script builds: judged
    ('FROM node AS lint\nRUN npm run lint\nFROM python:3.13\n',
     (_no_tag('1:1', 'node', 'node:<version>'),)),
    # a reference that cannot be resolved may reach any stage
    ('FROM node AS a\nFROM python:3.13\nARG WHICH\nCOPY --from=${WHICH} /x /x\n',
     (_no_tag('1:1', 'node', 'node:<version>'),)),
))
def test_stages_nothing_builds(src, expected, capsys, clean_cwd):
    assert_findings(main, clean_cwd / 'Dockerfile', capsys, src, expected)


def test_a_compose_target_builds_its_stage(capsys, clean_cwd):
    (clean_cwd / 'compose.yaml').write_text(
        'services:\n  app:\n    build: {context: ., target: tools}\n')
    assert_findings(main, clean_cwd / 'Dockerfile', capsys,
                    'FROM node AS tools\nFROM python:3.13\n',
                    (_no_tag('1:1', 'node', 'node:<version>'),))


_MARIADB = ('ARG MARIADB_VERSION=latest\nARG TAG=latest\nFROM node:${TAG} AS web\n'
            'FROM mariadb:${MARIADB_VERSION}\nCOPY --from=web /x /x\n')


@pytest.mark.parametrize(('files', 'expected'), (
    # every compose build of the context passes MARIADB_VERSION (Compose passes build.args,
    # even an empty value): the Dockerfile's default is not what the project builds, and
    # the value comes from outside the file; TAG is not passed, so its default is used
    ({'compose.yaml': 'services:\n  db:\n    build:\n      context: .\n      args:\n'
                      '        - MARIADB_VERSION=${MARIADB_VERSION}\n'},
     ('2:1: DH101 ARG TAG=latest, the tag of the base image of FROM on line 3: node:${TAG} '
      '(= node:latest) uses the tag latest, which moves with every release; pin a version: '
      'ARG TAG=<version>',)),
    # a file included with project_directory reads its context from there
    ({'compose.yaml': 'include:\n  - path: db/compose.yml\n    project_directory: .\n',
      'db/compose.yml': 'services:\n  db:\n    build:\n      context: .\n'
                        '      args: {MARIADB_VERSION: "${V}", TAG: "${T}"}\n'},
     ()),
    # one build that does not pass it builds the default
    ({'compose.yaml': 'services:\n  db:\n    build:\n      context: .\n      args:\n'
                      '        - MARIADB_VERSION\n        - TAG\n  db2:\n    build: .\n'},
     ('1:1: DH101 ARG MARIADB_VERSION=latest, the tag of the base image of FROM on line 4: '
      'mariadb:${MARIADB_VERSION} (= mariadb:latest) uses the tag latest, which moves with '
      'every release; pin a version: ARG MARIADB_VERSION=<version>',
      '2:1: DH101 ARG TAG=latest, the tag of the base image of FROM on line 3: node:${TAG} '
      '(= node:latest) uses the tag latest, which moves with every release; pin a version: '
      'ARG TAG=<version>')),
))
def test_an_arg_every_compose_build_passes(files, expected, capsys, clean_cwd):
    for name, text in files.items():
        (clean_cwd / name).parent.mkdir(parents=True, exist_ok=True)
        (clean_cwd / name).write_text(text)
    assert_findings(main, clean_cwd / 'Dockerfile', capsys, _MARIADB, expected)


def test_an_arg_a_compose_file_in_a_sibling_folder_passes(capsys, clean_cwd):
    # Compose reads `dockerfile:` relative to `context:`, wherever the compose file is: a
    # file in a sibling folder that builds this Dockerfile passes the ARG, so its default
    # is not what the project builds
    (clean_cwd / 'e2e' / 'logs').mkdir(parents=True)
    (clean_cwd / 'e2e' / 'logs' / 'compose.yaml').write_text(
        'services:\n  collector:\n    build:\n      context: ../..\n'
        '      dockerfile: ./e2e/common/collector.Dockerfile\n'
        '      args:\n        VERSION: ${VERSION}\n')
    assert_findings(main, clean_cwd / 'e2e' / 'common' / 'collector.Dockerfile', capsys,
                    'ARG VERSION=latest\nFROM otel/collector:${VERSION}\n', ())


def test_the_repository_image_through_an_arg_default(capsys, clean_cwd):
    # `docker build -t acme/app .` tags what the repository's plain Dockerfile builds as
    # acme/app:latest; a Dockerfile beside it that builds on ARG TAG=latest (or through
    # ARG FROM=acme/app:$TAG) takes that local image: a pin would cut the chain
    repo = clean_cwd / 'app'
    (repo / '.git').mkdir(parents=True)
    (repo / 'docker').mkdir()
    (repo / 'docker' / 'Dockerfile').write_text('FROM python:3.13\n')
    assert_findings(main, repo / 'docker' / 'Dockerfile-workers', capsys,
                    'ARG TAG=latest\nARG FROM=acme/app:$TAG\nFROM $FROM\n', ())
    assert_findings(main, repo / 'docker' / 'Dockerfile.chromium', capsys,
                    'ARG TAG=latest\nFROM acme/app:${TAG}\n', ())
    # another tag is not what that build gives: told at the ARG
    assert_findings(
        main, repo / 'docker' / 'Dockerfile.stable', capsys,
        'ARG TAG=stable\nFROM acme/app:${TAG}\n',
        ('1:1: DH101 ARG TAG=stable, the tag of the base image of FROM on line 2, an image '
         'this repository builds, named after it: a build that does not pass --build-arg '
         'TAG takes whatever was pushed last; give the ARG the version your pipeline builds: '
         'ARG TAG=<version>',))


@pytest.mark.parametrize(('src', 'expected'), (
    # COPY --from an image pulls it as FROM does
    ('FROM python:3.13\nCOPY --from=ghcr.io/astral-sh/uv:latest /uv /bin/\n',
     ('2:1: DH101 COPY --from image ghcr.io/astral-sh/uv:latest uses the tag latest, '
      'which moves with every release; pin a version: COPY --from=ghcr.io/astral-sh/uv:<version>'
      ', or, where it publishes no such tag, a digest: '
      'COPY --from=ghcr.io/astral-sh/uv:latest@sha256:<digest>',)),
    ('FROM python:3.13\nRUN --mount=type=bind,from=composer,source=/usr/bin/composer,'
     'target=/c true\n',
     ('2:1: DH101 RUN --mount image composer has no tag, so it means :latest; pin '
      'a version: RUN --mount=...,from=composer:<version>',)),
    # one image copied from twice: one finding, at the first
    ('FROM python:3.13\nCOPY --from=acme/tools /a /a\nCOPY --from=acme/tools /b /b\n',
     ('2:1: DH101 COPY --from image acme/tools (lines 2, 3) has no tag, so it means :latest; '
      'pin a version: COPY --from=acme/tools:<version>, or, where it publishes no such tag, a '
      'digest: COPY --from=acme/tools@sha256:<digest>',)),
    # BuildKit does not expand variables in --from (moby/buildkit#2374): not judged
    ('ARG NODE=node\nFROM python:3.13\nCOPY --from=$NODE /x /x\n', ()),
    # a stage by name (any case) or index, a local image or a pinned one: nothing to judge
    ('FROM node:22 AS Build\nFROM python:3.13\nCOPY --from=build /a /a\nCOPY --from=0 /b /b\n'
     'COPY --from=mycontext /c /c\nCOPY --from=composer:2.8 /usr/bin/composer /c\n', ()),
))
def test_images_copied_from(src, expected, capsys, clean_cwd):
    assert_findings(main, clean_cwd / 'Dockerfile', capsys, src, expected)


OPTION_CASES = (
    # --require-digest: a tag is not enough; scratch and stages are still skipped
    (('--require-digest',),
     'FROM python:3.12 AS build\nFROM build\nRUN make\nFROM python:3.12@sha256:abc\nRUN make\n'
     'FROM scratch\n',
     (_digest('1:1', 'python:3.12', 'python:3.12@sha256:<digest>'),)),
    (('--require-digest',), 'FROM ghcr.io/org/app\n',
     (_digest('1:1', 'ghcr.io/org/app', 'ghcr.io/org/app@sha256:<digest>'),)),
    # --extra-codenames: comma-separated, repeatable, any case
    (('--extra-codenames=kaiju,Godzilla', '--extra-codenames', 'mothra'),
     'FROM ex/x:kaiju\nRUN a\nFROM ex/x:godzilla-slim\nRUN a\nFROM ex/x:mothra\nRUN a\n'
     'FROM ex/x:sid\n',
     (_suite('7:1', 'ex/x:sid', 'sid', 'sid',
             'pin it by digest: FROM ex/x:sid@sha256:<digest>'),)),
    # without it, the same tags float; a word no versioned tag is known to name: a digest
    ((), 'FROM ex/x:kaiju\n',
     (_floating('1:1', 'ex/x:kaiju', 'kaiju', 'ex/x:kaiju@sha256:<digest>'),)),
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
    (tmp_path / 'Dockerfile').write_text('FROM ex/x:kaiju\nRUN a\nFROM ex/x:mothra\n')
    assert main(['Dockerfile']) == 1
    assert capsys.readouterr().out == (
        f'Dockerfile:{_floating("3:1", "ex/x:mothra", "mothra", "ex/x:mothra@sha256:<digest>")}\n')
    # the command line replaces the file's list, it does not add to it
    assert main(['Dockerfile', '--extra-codenames=mothra']) == 1
    assert capsys.readouterr().out == (
        f'Dockerfile:{_floating("1:1", "ex/x:kaiju", "kaiju", "ex/x:kaiju@sha256:<digest>")}\n')


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
