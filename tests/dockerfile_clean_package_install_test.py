from __future__ import annotations

from pathlib import Path

import pytest
from dockhooks.dockerfile_clean_package_install import main
from hookrun import df
from hookrun import run_main

APT_FIX = 'end the same RUN with && rm -rf /var/lib/apt/lists/*'


def lists(line: int, command: str, col: int = 1) -> str:
    return (f'{line}:{col}: DH106 `{command}` leaves the package lists in a layer that ships; '
            f'{APT_FIX}')


def cache(line: int, command: str, fix: str) -> str:
    return f'{line}:1: DH106 `{command}` leaves the package cache in a layer that ships; {fix}'


def apk_cache(line: int, command: str, verb: str = 'add', drop_update: bool = False) -> str:
    fix = f'use apk {verb} --no-cache' + (' and drop `apk update`' if drop_update else '')
    return cache(line, command, fix)


APK_UPDATE_FIX = 'drop it: apk add --no-cache fetches a fresh index and keeps nothing'


def nothing(line: int, command: str, tool: str = 'apt-get') -> str:
    return (f'{line}:1: DH106 `{command}` in a RUN that installs nothing: its layer is cached '
            f'and the index goes stale; update and install in one RUN (`{tool} update && '
            f'{tool} install ...`)')


def used(line: int, command: str, installs: str, tool: str = 'apt-get',
         verb: str = 'uses') -> str:
    """A lone update whose stale index later installs use: told once, at the update."""
    return (f'{line}:1: DH106 `{command}` in a RUN that installs nothing: {installs} {verb} '
            f'its index, which the build cache keeps stale; update and install in one RUN '
            f'(`{tool} update && {tool} install ...`)')


def apk_nothing(line: int, command: str = 'apk update') -> str:
    return (f'{line}:1: DH106 `{command}` in a RUN that installs nothing only leaves a copy of '
            f'the index in the layer (apk refreshes it by itself when it is old); drop it and '
            f'use apk add --no-cache where packages are added')


def lists_used(line: int, command: str, installs: str) -> str:
    """Lists left in a shipped layer that later installs use: told once, where they are
    left; removing them there alone would break those installs."""
    return (f'{line}:1: DH106 `{command}` leaves the package lists in a layer that ships, and '
            f'{installs} from the build cache, stale; give each of those RUNs its own apt-get '
            f'update and end every RUN that updates with && rm -rf /var/lib/apt/lists/*')


def stale(line: int, command: str, update_line: int) -> str:
    return (f'{line}:1: DH106 `{command}` uses the index fetched by the RUN on line '
            f'{update_line}, which the build cache keeps stale; run the update in this same '
            f'RUN')


def run(path: Path, capsys: pytest.CaptureFixture[str], src: str,
        *args: str) -> tuple[int, list[str]]:
    return run_main(main, path, capsys, src, *args)


DEB = 'FROM debian:bookworm-slim'
ALPINE = 'FROM alpine:3.20'
CLEAN = ' && rm -rf /var/lib/apt/lists/*'

# --------------------------------------------------------------------------- stale index

UPDATES = (
    (df(DEB, 'RUN apt-get update', 'RUN apt-get install -y curl' + CLEAN),
     [used(2, 'apt-get update', 'the install on line 3')]),  # split RUNs
    (df(DEB, 'RUN apt update', 'RUN apt install -y curl' + CLEAN),
     [used(2, 'apt update', 'the install on line 3', 'apt')]),  # apt
    (df(DEB, 'RUN apt-get update', 'RUN echo hi'),
     [nothing(2, 'apt-get update')]),  # an update nothing uses
    (df(DEB, 'RUN sudo apt-get -qq update'),
     [nothing(2, 'sudo apt-get -qq update')]),  # the command as written, wrapper included
    (df(DEB, 'RUN apt-get update && apt-get install -y curl' + CLEAN),
     []),  # update and install in one RUN
    (df(DEB, 'RUN apt-get update && apt-get upgrade -y' + CLEAN),
     []),  # the upgrade uses the update
    (df(DEB, 'RUN apt-get update && apt-get dist-upgrade -y' + CLEAN),
     []),  # dist-upgrade
    (df(DEB, 'RUN apt-get update && apt-get download -y curl' + CLEAN),
     []),  # a download uses the index
    (df(DEB, 'RUN apt-get update && apt-cache policy curl'),
     []),  # apt-cache reads the index
    (df(DEB, 'RUN apt-get update && mk-build-deps -ri -t "apt-get -y" debian/control'),
     []),  # mk-build-deps installs through apt-get
    (df(DEB, 'RUN apt-get update && bash /tmp/scripts/setup.sh'),
     []),  # a script we cannot read may install
    (df(DEB, 'RUN apt-get update && /tmp/install-tools.sh'),
     []),  # a script run by path
    (df(DEB, 'RUN apt-get update && curl -fsSL https://example.com/setup | bash -'),
     []),  # a script piped into a shell
    (df(DEB, 'RUN apt-get update && bash /tmp/setup.sh', 'RUN apt-get install -y curl' + CLEAN),
     [stale(3, 'apt-get install -y curl', 2)]),  # ... but the lists it left go stale
    (df(DEB, 'RUN apt-get update && apt-get purge -y imagemagick'),
     ['2:1: DH106 `apt-get update` is not needed to remove packages, and its lists ship in '
      'this layer; drop it']),  # a purge needs no index
    (df(DEB, 'RUN apt-get update', 'RUN apt-get install -y curl',
        'RUN apt-get install -y git' + CLEAN),
     [used(2, 'apt-get update', 'the installs on lines 3, 4', verb='use')]),  # named once
    (df(DEB, 'RUN apt-get update' + CLEAN),
     []),  # useless, but nothing stays behind to go stale
    (df(DEB, 'RUN apt-get update && apt-get install -y curl',
        'RUN apt-get install -y git' + CLEAN),
     [lists_used(2, 'apt-get install -y curl', 'the install on line 3 uses them')]),
    # the lists left by an install go stale too: told once, where they are left
    (df(DEB, 'RUN apt-get update && apt-get install -y curl' + CLEAN,
        'RUN apt-get update && apt-get install -y git' + CLEAN),
     []),  # every RUN updates
    (df(DEB, 'RUN apt-get update', 'RUN rm -rf /var/lib/apt/lists/*',
        'RUN apt-get install -y curl' + CLEAN),
     [nothing(2, 'apt-get update')]),  # the lists were removed before the install
    (df(DEB, 'RUN apt-get install --update -y curl && apt-get dist-clean'),
     []),  # apt 3: install --update, dist-clean
    (df(DEB, 'RUN apt-get update', 'RUN apt-get install --update -y curl' + CLEAN),
     [nothing(2, 'apt-get update')]),  # install --update refreshes the index itself
    (df('FROM rockylinux:9', 'RUN yum makecache', 'RUN yum install -y git && yum clean all'),
     []),  # yum and dnf refresh expired metadata themselves
    # apk refreshes an old index by itself: only the copy left in the layer counts
    (df(ALPINE, 'RUN apk update', 'RUN apk add --no-cache curl'),
     [apk_nothing(2)]),  # apk update alone
    (df(ALPINE, 'RUN apk update && rm -rf /var/cache/apk/*'),
     []),  # ... whose index is removed
    (df(ALPINE, 'RUN apk update && ash /tmp/setup-alpine.sh'),
     []),  # ... used by a script we cannot read
    (df(ALPINE, 'RUN apk --update add curl', 'RUN apk add git'),
     [apk_cache(2, 'apk --update add curl'), apk_cache(3, 'apk add git')]),  # no stale finding
)


@pytest.mark.parametrize(('src', 'expected'), UPDATES)
def test_updates(src, expected, clean_cwd, capsys):
    ret, out = run(clean_cwd / 'Dockerfile', capsys, src)
    assert out == expected
    assert ret == (1 if expected else 0)


# --------------------------------------------------------------------------- caches

CACHES = (
    # --- apt
    (df(DEB, 'RUN apt-get update && apt-get install -y --no-install-recommends curl'),
     [lists(2, 'apt-get install -y --no-install-recommends curl')]),  # no cleanup
    (df(DEB, 'RUN apt-get update && apt-get install -y curl && apt-get clean'),
     [lists(2, 'apt-get install -y curl')]),  # apt-get clean keeps the lists
    (df(DEB, 'RUN apt-get update && apt-get install -y curl && apt-get dist-clean'),
     []),  # apt 3's dist-clean removes them
    (df(DEB, 'RUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists'),
     []),  # the folder itself
    (df(DEB, 'RUN apt-get update && apt-get install -y curl && rm -fr /var/lib/apt/*'),
     []),  # a parent folder
    (df(DEB, 'RUN apt-get update && apt-get install -y curl && rm -rf /var/cache/apt/*'),
     [lists(2, 'apt-get install -y curl')]),  # the wrong folder
    (df(DEB, 'RUN apt-get update && apt-get install -y curl', 'RUN rm -rf /var/lib/apt/lists/*'),
     [lists(2, 'apt-get install -y curl')]),  # a later RUN cannot shrink the earlier layer
    (df(DEB, 'RUN apt-get update && apt-get upgrade -y'),
     [lists(2, 'apt-get update')]),  # an upgrade leaves the lists too
    (df(DEB, 'RUN DEBIAN_FRONTEND=noninteractive apt-get install -y tzdata'),
     []),  # no update here: the lists it reads were left (and reported) elsewhere
    (df(DEB, 'RUN apt-get update && dpkg -i /tmp/x.deb' + CLEAN), []),  # dpkg is not apt
    # --- apk
    (df(ALPINE, 'RUN apk add curl'), [apk_cache(2, 'apk add curl')]),  # no --no-cache
    (df(ALPINE, 'RUN apk add --no-cache curl'), []),  # --no-cache
    (df(ALPINE, 'RUN apk --no-cache add curl'), []),  # option first
    (df(ALPINE, 'RUN apk add curl && rm -rf /var/cache/apk/*'), []),  # cache removed
    (df(ALPINE, 'RUN apk add curl && apk cache clean'), []),  # apk cache clean
    (df(ALPINE, 'RUN apk add -U curl'), [apk_cache(2, 'apk add -U curl')]),  # -U keeps it
    (df(ALPINE, 'RUN apk add --update --no-cache curl'), []),  # --no-cache wins
    (df(ALPINE, 'RUN apk add --no-network --allow-untrusted /tmp/x.apk'),
     []),  # no network, no index
    (df(ALPINE, 'RUN apk update && apk add --no-cache curl'),
     [cache(2, 'apk update', APK_UPDATE_FIX)]),  # the update keeps an index
    (df(ALPINE, 'RUN apk update && apk add curl'),
     [apk_cache(2, 'apk add curl', drop_update=True)]),  # both keep it
    (df(ALPINE, 'RUN apk upgrade'), [apk_cache(2, 'apk upgrade', 'upgrade')]),  # upgrade
    (df(ALPINE, 'RUN apk upgrade --no-cache && apk add --no-cache curl'), []),  # both clean
    (df(ALPINE, 'RUN apk del curl'), []),  # a removal fetches nothing
    # --- yum, dnf, microdnf, zypper
    (df('FROM rockylinux:9', 'RUN yum install -y git'),
     [cache(2, 'yum install -y git', 'end the same RUN with && yum clean all')]),
    (df('FROM rockylinux:9', 'RUN yum install -y git && yum clean all'), []),  # cleaned
    (df('FROM fedora:40', 'RUN dnf install -y git'),
     [cache(2, 'dnf install -y git', 'end the same RUN with && dnf clean all')]),
    (df('FROM fedora:40', 'RUN dnf install -y git && rm -rf /var/cache/dnf'), []),  # removed
    (df('FROM redhat/ubi9-minimal', 'RUN microdnf install -y git'),
     [cache(2, 'microdnf install -y git', 'end the same RUN with && microdnf clean all')]),
    (df('FROM redhat/ubi9-minimal', 'RUN microdnf install -y git && microdnf clean all'), []),
    (df('FROM opensuse/leap:15.6', 'RUN zypper install -y git'),
     [cache(2, 'zypper install -y git', 'end the same RUN with && zypper clean --all')]),
    (df('FROM opensuse/leap:15.6', 'RUN zypper --non-interactive in git && zypper cc -a'),
     []),  # zypper in / zypper cc
    # --- other package managers are not this rule's business
    (df('FROM python:3.13-slim', 'RUN pip install flask'), []),  # pip
    (df('FROM node:22-alpine', 'RUN npm install -g serve'), []),  # npm
    # --- two managers in one RUN
    (df(DEB, 'RUN apt-get update && apt-get install -y curl && yum install -y git' + CLEAN),
     [cache(2, 'yum install -y git', 'end the same RUN with && yum clean all')]),
)


@pytest.mark.parametrize(('src', 'expected'), CACHES)
def test_caches(src, expected, clean_cwd, capsys):
    ret, out = run(clean_cwd / 'Dockerfile', capsys, src)
    assert out == expected
    assert ret == (1 if expected else 0)


# --------------------------------------------------------------------------- mounts

MOUNTS = (
    (df(DEB, 'RUN --mount=type=cache,target=/var/cache/apt,sharing=locked \\',
        '    --mount=type=cache,target=/var/lib/apt,sharing=locked \\',
        '    apt-get update && apt-get install -y gcc'),
     []),  # BuildKit's apt cache mounts: nothing lands in the layer
    (df(DEB, 'RUN --mount=type=tmpfs,target=/var/lib/apt/lists \\',
        '    apt-get update && apt-get install -y gcc'),
     []),  # a tmpfs over the lists
    (df(DEB, 'RUN --mount=type=cache,dst=/var/lib/apt apt-get update && apt-get install -y gcc'),
     []),  # dst= is target=
    (df(DEB, 'RUN --mount=type=cache,target=/var/cache/apt \\',
        '    apt-get update && apt-get install -y gcc'),
     [lists(2, 'apt-get install -y gcc')]),  # the lists are not under /var/cache/apt
    (df(DEB, 'RUN --mount=type=bind,target=/var/lib/apt apt-get update && apt-get install -y x'),
     [lists(2, 'apt-get install -y x')]),  # a bind mount is not a cache
    (df(DEB, 'RUN --mount=type=cache,target=/root/.cache/pip \\',
        '    apt-get update && apt-get install -y gcc'),
     [lists(2, 'apt-get install -y gcc')]),  # another tool's cache
    (df(ALPINE, 'RUN --mount=type=cache,target=/var/cache/apk apk add curl'), []),  # apk cache
    (df(ALPINE, 'RUN --mount=type=cache,target=/etc/apk/cache apk add curl'), []),  # apk cache
    (df('FROM fedora:40', 'RUN --mount=type=cache,target=/var/cache/dnf dnf install -y git'),
     []),  # dnf cache
    (df(DEB, 'RUN --mount=type=cache,target=/var/lib/apt apt-get update',
        'RUN apt-get install -y curl' + CLEAN),
     []),  # the update's lists stay in the cache mount, not in the next layer
)


@pytest.mark.parametrize(('src', 'expected'), MOUNTS)
def test_mounts(src, expected, clean_cwd, capsys):
    ret, out = run(clean_cwd / 'Dockerfile', capsys, src)
    assert out == expected
    assert ret == (1 if expected else 0)


# --------------------------------------------------------------------------- stages

STAGES = (
    (df('FROM debian:bookworm-slim AS build',
        'RUN apt-get update && apt-get install -y gcc',
        'RUN apk add curl',
        'FROM debian:bookworm-slim',
        'COPY --from=build /out /out'),
     []),  # a COPY --from-only stage never ships its layers
    (df('FROM debian:bookworm-slim AS build',
        'RUN apt-get update',
        'RUN apt-get install -y gcc',
        'FROM scratch',
        'COPY --from=build /out /out'),
     [used(2, 'apt-get update', 'the install on line 3')]),  # stale anywhere
    (df('FROM debian:bookworm-slim AS build',
        'RUN apt-get update && apt-get install -y gcc',
        'RUN apt-get install -y make',
        'FROM scratch'),
     [stale(3, 'apt-get install -y make', 2)]),  # ... and a builder's lists go stale too
    (df('FROM debian:bookworm-slim AS base',
        'RUN apt-get update && apt-get install -y curl',
        'FROM base',
        'RUN apt-get install -y git' + CLEAN),
     [lists_used(2, 'apt-get install -y curl', 'the install on line 4 uses them')]),
    # the stage it builds on ships, and its lists
    (df('FROM debian:bookworm-slim AS base',
        'RUN apt-get update && apt-get install -y curl',
        'FROM debian:bookworm-slim',
        'RUN apt-get install -y git' + CLEAN),
     []),  # an unrelated stage does not see them
    (df(DEB, 'ONBUILD RUN apt-get update', 'ONBUILD RUN apk add curl'),
     []),  # ONBUILD triggers run in the child build, not in this one
)


@pytest.mark.parametrize(('src', 'expected'), STAGES)
def test_stages(src, expected, clean_cwd, capsys):
    ret, out = run(clean_cwd / 'Dockerfile', capsys, src)
    assert out == expected
    assert ret == (1 if expected else 0)


TARGETED = df(
    'FROM debian:bookworm-slim AS dev',
    'RUN apt-get update && apt-get install -y vim',
    'FROM alpine:3.20 AS prod',
    'RUN apk add curl',
)


@pytest.mark.parametrize(('args', 'expected'), (
    ((), [apk_cache(4, 'apk add curl')]),  # the last stage ships
    (('--target', 'dev'), [lists(2, 'apt-get install -y vim')]),  # the dev stage ships
    (('--target=prod',), [apk_cache(4, 'apk add curl')]),  # --target=NAME
    (('--target', 'missing'), [apk_cache(4, 'apk add curl')]),  # unknown: the last stage
))
def test_target(args, expected, clean_cwd, capsys):
    ret, out = run(clean_cwd / 'Dockerfile', capsys, TARGETED, *args)
    assert out == expected
    assert ret == (1 if expected else 0)


def test_target_from_config_file(clean_cwd, capsys):
    (clean_cwd / '.dockhooks.toml').write_text('target = "dev"\n')
    ret, out = run(clean_cwd / 'Dockerfile', capsys, TARGETED)
    assert out == [lists(2, 'apt-get install -y vim')]
    assert ret == 1


# --------------------------------------------------------------------------- RUN forms

FORMS = (
    (df(DEB, 'RUN <<EOF', 'set -e', 'apt-get update', 'apt-get install -y curl', 'EOF'),
     [lists(2, 'apt-get install -y curl')]),  # heredoc script
    (df(DEB, 'RUN <<EOF bash', 'apt-get update', 'apt-get install -y curl',
        'rm -rf /var/lib/apt/lists/*', 'EOF'),
     []),  # heredoc to bash, cleaned
    (df(DEB, 'RUN cat <<EOF > /tmp/notes', 'apt-get update', 'EOF'),
     []),  # heredoc data
    (df(DEB, 'RUN ["apt-get", "update"]'), [nothing(2, 'apt-get update')]),  # JSON form
    (df(DEB, 'RUN ["/bin/sh", "-c", "apt-get update && apt-get install -y curl"]'),
     [lists(2, 'apt-get install -y curl')]),  # JSON form through sh -c
    (df(DEB, 'RUN apt-get update \\',
        '    # the tools',
        '    && apt-get install -y curl \\',
        '',
        '    # and clean up',
        '    && rm -rf /var/lib/apt/lists/*'),
     []),  # continuation lines with comments and a blank line
    (df(DEB, 'RUN apt-get update \\',
        '    # the tools',
        '    && apt-get install -y curl'),
     [lists(2, 'apt-get install -y curl')]),  # ... without the cleanup
    (df(DEB, 'RUN apt-get update; apt-get install -y curl || true'),
     [lists(2, 'apt-get install -y curl')]),  # ; and ||
    (df(DEB, 'RUN apt-get update && yes | apt-get install curl | tee /tmp/log'),
     [lists(2, 'apt-get install curl')]),  # pipes
    (df(DEB, "RUN su -c 'apt-get update && apt-get install -y curl' root" + CLEAN),
     []),  # su -c, cleaned outside
    (df(DEB, 'RUN if [ -n "$X" ]; then apt-get update && apt-get install -y curl; fi'),
     [lists(2, 'apt-get install -y curl')]),  # an if body
    (df(DEB, '  run apt-get update && apt-get install -y curl'),
     [lists(2, 'apt-get install -y curl', col=3)]),  # lower case, indented
    (df(DEB, 'RUN retry 3 apt-get update && travis_retry apt-get install -y curl'),
     [lists(2, 'travis_retry apt-get install -y curl')]),  # retry wrappers run the command
    (df(DEB, 'RUN apt-get update && apt-get install -y curl && apt-get distclean'),
     []),  # apt 3.1's spelling of dist-clean
    (df(DEB, 'RUN apt-get update && apt-get install -y curl',
        'RUN find /var/lib/apt/lists -type f -delete'),
     [lists(2, 'apt-get install -y curl')]),  # a later RUN's find -delete cannot shrink it
    (df(DEB, 'RUN apt-get update && apt-get install -y curl'
        ' && find /var/lib/apt/lists -type f -delete'),
     []),  # ... the same RUN's can
    (df(DEB, 'RUN apt-get install -y apt-file && apt-file update'),
     ['2:1: DH106 `apt-get install -y apt-file` leaves the package lists in a layer that '
      f'ships; {APT_FIX}']),  # apt-file update fetches the lists
    (df(DEB, 'RUN add-apt-repository ppa:deadsnakes/ppa',
        'RUN apt-get install -y python3.12' + CLEAN),
     [used(2, 'add-apt-repository ppa:deadsnakes/ppa',
           'the install on line 3')]),  # add-apt-repository updates the lists
    (df(DEB, 'RUN add-apt-repository -n ppa:deadsnakes/ppa',
        'RUN apt-get update && apt-get install -y python3.12' + CLEAN),
     []),  # ... unless -n
)


@pytest.mark.parametrize(('src', 'expected'), FORMS)
def test_run_forms(src, expected, clean_cwd, capsys):
    ret, out = run(clean_cwd / 'Dockerfile', capsys, src)
    assert out == expected
    assert ret == (1 if expected else 0)


# --------------------------------------------------------------------------- corpus

CORPUS = (
    # corpus: devcontainers+images/src/base-debian/.devcontainer/Dockerfile (update + upgrade)
    (df('FROM buildpack-deps:bookworm-curl',
        'RUN apt-get update && export DEBIAN_FRONTEND=noninteractive \\',
        '    && apt-get upgrade -y \\',
        '    && rm -rf /var/lib/apt/lists/*'),
     []),
    # corpus: element-hq+synapse/docker/Dockerfile (update used by apt-get download)
    (df('FROM debian:bookworm-slim',
        'RUN \\',
        '  --mount=type=cache,target=/var/cache/apt,sharing=locked \\',
        '  --mount=type=cache,target=/var/lib/apt,sharing=locked \\',
        '  apt-get update -qq && \\',
        '  apt-cache depends --recurse --no-recommends curl gosu \\',
        "    | grep '^\\w' > /tmp/pkg-list && \\",
        '  for arch in arm64 amd64; do \\',
        '    cd /tmp/debs-${arch} && \\',
        '    apt-get -o APT::Architecture="${arch}" download $(cat /tmp/pkg-list); \\',
        '  done'),
     []),
    # corpus: microsoft+vscode-dev-containers/containers/dart/.devcontainer/Dockerfile
    (df('FROM dart:3',
        'RUN apt-get update && /bin/bash /tmp/library-scripts/common-debian.sh "true" \\',
        '    && apt-get clean -y && rm -rf /var/lib/apt/lists/* /tmp/library-scripts'),
     []),
    # corpus: microsoft+vscode-dev-containers/script-library/test/sshd/Dockerfile
    (df('FROM mcr.microsoft.com/vscode/devcontainers/base:0-focal',
        'RUN apt-get update \\',
        '    && bash /tmp/scripts/sshd-debian.sh \\',
        '    && bash /tmp/scripts/test-prep.sh ${DEFAULT_SHELL_TYPE}'),
     []),
    # corpus: vimagick+dockerfiles/kafka-manager/Dockerfile (lists removed: nothing stale)
    (df('FROM openjdk:8',
        'RUN set -xe \\',
        '    && apt update \\',
        '    && wget https://example.com/scala.deb -O scala.deb \\',
        '    && dpkg -i scala.deb \\',
        '    && rm scala.deb \\',
        '    && rm -rf /var/lib/apt/lists/*'),
     []),
    # corpus: element-hq+synapse/docker/Dockerfile-dhvirtualenv (mk-build-deps)
    (df('FROM debian:bookworm',
        'RUN apt-get update -qq -o Acquire::Languages=none \\',
        '    && cd /dh-virtualenv \\',
        '    && env DEBIAN_FRONTEND=noninteractive mk-build-deps -ri -t "apt-get -y"'),
     []),
    # corpus: vimagick+dockerfiles/hass/Dockerfile (apk update keeps an index: a miss)
    (df('FROM alpine:3',
        'RUN set -xe \\',
        '    && apk update \\',
        '    && apk add --no-cache \\',
        '        ca-certificates \\',
        '        python3 \\',
        '    && pip3 install --no-cache-dir homeassistant'),
     [cache(2, 'apk update', APK_UPDATE_FIX)]),
    # corpus: docker+awesome-compose/django/app/Dockerfile (heredoc, apk update + add; the
    # stage renamed: a last stage named for development is not what ships)
    (df('# syntax=docker/dockerfile:1.4',
        'FROM python:3.7-alpine AS builder',
        'RUN pip3 install -r /tmp/requirements.txt',
        'FROM builder as tools',
        'RUN <<EOF',
        'apk update',
        'apk add git',
        'EOF'),
     [apk_cache(5, 'apk add git', drop_update=True)]),
    # corpus: laradock+laradock/php-fpm/Dockerfile (one update, many later installs: a miss)
    (df('FROM php:8.3-fpm',
        'RUN set -xe; \\',
        '    apt-get update -yqq && \\',
        '    apt-get install -yqq \\',
        '      apt-utils \\',
        '      #',
        '      # Mandatory Software',
        '      #',
        '      git',
        'ARG INSTALL_BZ2=false',
        'RUN if [ ${INSTALL_BZ2} = true ]; then \\',
        '  apt-get -yqq install libbz2-dev; \\',
        '  docker-php-ext-install bz2 \\',
        ';fi'),
     [lists_used(2, 'apt-get install -yqq apt-utils git', 'the install on line 11 uses them')]),
    # corpus: discourse+discourse_docker/image/base/Dockerfile (tmpfs over both folders)
    (df('FROM debian:bookworm-slim',
        'RUN --mount=type=tmpfs,target=/var/log \\',
        '  --mount=type=tmpfs,target=/var/cache/apt \\',
        '  --mount=type=tmpfs,target=/var/lib/apt \\',
        '    apt-get -y update && DEBIAN_FRONTEND=noninteractive apt-get -y install \\',
        '# gem build dependencies',
        '    cmake g++ pkg-config'),
     []),
)


@pytest.mark.parametrize(('src', 'expected'), CORPUS)
def test_corpus_snippets(src, expected, clean_cwd, capsys):
    ret, out = run(clean_cwd / 'Dockerfile', capsys, src)
    assert out == expected
    assert ret == (1 if expected else 0)


def test_output_line_is_exact(clean_cwd, capsys):
    path = clean_cwd / 'Dockerfile'
    path.write_text('FROM debian:bookworm-slim\nRUN apt-get update\n')
    assert main([str(path)]) == 1
    assert capsys.readouterr().out == (
        f'{path}:2:1: DH106 `apt-get update` in a RUN that installs nothing: its layer is '
        f'cached and the index goes stale; update and install in one RUN (`apt-get update && '
        f'apt-get install ...`)\n'
    )
