from __future__ import annotations

from pathlib import Path

import pytest
from dockhooks.dockerfile_no_build_tools_in_final_stage import main
from hookrun import df
from hookrun import run_main

SAME_RUN = 'remove them in this same RUN'
# the build step `run` adds after a case's lines: <BUILD> is its line
LATER = 'install, build and remove them in one RUN (the RUN on line <BUILD> builds with them)'
PURGE = ('remove them with apt-get purge --auto-remove (a plain remove keeps the compiler the '
         'package pulled in)')
RUNTIME = 'a runtime image (a -slim, -alpine, jre or distroless variant)'


def tools(line: int, names: str, how: str = LATER, col: int = 1) -> str:
    return (f'{line}:{col}: DH104 the final stage installs build tools ({names}) and ships '
            f'them; install them in a build stage and COPY --from only what it builds, or '
            f'{how}')


def image(line: int, ref: str, why: str = 'is a build toolchain image',
          inherited: bool = False, runtime: str = RUNTIME, built: bool = True) -> str:
    tail = ', and the final stage builds on it' if inherited else ''
    fix = (f'build in a stage of its own and COPY --from it into {runtime}' if built else
           f'nothing in the image is built with it: run on {runtime} instead')
    return f'{line}:1: DH104 base image {ref} {why}{tail}; {fix}'


def jre(package: str) -> str:
    return (f'installs only the Java runtime ({package}), or runs FROM eclipse-temurin:'
            f'<version>-jre (removing the JDK would remove the Java the image runs with)')


FULL = 'is the full image, built on buildpack-deps with gcc and make'
JDK = 'is a JDK image (javac included)'


APP = 'RUN make -C /src install\nCMD ["/usr/local/bin/app"]'


def run(path: Path, capsys: pytest.CaptureFixture[str], src: str,
        *args: str) -> tuple[int, list[str]]:
    """Run the hook on ``src`` as an application image whose tools are used: a case that sets
    no command of its own gets a build step and a command after its last line (so its line
    numbers stay as written; ``<BUILD>`` in the output is the build step's line); images that
    are not an application's runtime, and tools nothing builds with, have cases of their own
    (PURPOSES, UNUSED)."""
    build = 0
    if 'CMD' not in src and 'ENTRYPOINT' not in src:
        build = src.count('\n') + 1
        src = src + APP + '\n'
    ret, out = run_main(main, path, capsys, src, *args)
    return ret, [line.replace(f'line {build} builds', 'line <BUILD> builds') if build else line
                 for line in out]


# --------------------------------------------------------------------------- installs

INSTALLS = (
    # --- every system package manager
    (df('FROM debian:bookworm-slim',
        'RUN apt-get update && apt-get install -y gcc && rm -rf /var/lib/apt/lists/*'),
     [tools(2, 'gcc')]),  # apt-get
    (df('FROM debian:bookworm-slim', 'RUN apt install -y build-essential'),
     [tools(2, 'build-essential')]),  # apt
    (df('FROM alpine:3.20', 'RUN apk add --no-cache build-base musl-dev'),
     [tools(2, 'build-base, musl-dev')]),  # apk
    (df('FROM rockylinux:9', 'RUN yum install -y gcc-c++ make && yum clean all'),
     [tools(2, 'gcc-c++, make')]),  # yum
    (df('FROM fedora:40', 'RUN dnf install -y clang cmake'),
     [tools(2, 'clang, cmake')]),  # dnf
    (df('FROM redhat/ubi9-minimal', 'RUN microdnf install -y gcc'),
     [tools(2, 'gcc')]),  # microdnf
    (df('FROM opensuse/leap:15.6', 'RUN zypper install -y gcc automake'),
     [tools(2, 'gcc, automake')]),  # zypper
    # --- the list of build tools
    (df('FROM debian:bookworm-slim',
        'RUN apt-get install -y autoconf automake libtool libc6-dev gfortran ninja-build meson'),
     [tools(2, 'autoconf, automake, libtool, libc6-dev, gfortran, ninja-build, meson')]),
    (df('FROM debian:bookworm-slim', 'RUN apt-get install -y rustc cargo golang-go'),
     [tools(2, 'rustc, cargo, golang-go')]),  # language toolchains
    (df('FROM debian:bookworm-slim', 'RUN apt-get install -y gcc-12 g++-12 clang-16'),
     [tools(2, 'gcc-12, g++-12, clang-16')]),  # versioned compilers (globs)
    # a JDK is also the Java the image runs with: a JRE instead, never a removal
    (df('FROM debian:bookworm-slim', 'RUN apt-get install -y openjdk-17-jdk-headless maven'),
     [tools(2, 'maven') + '; for the JDK (openjdk-17-jdk-headless): a final stage that '
      + jre('openjdk-17-jre-headless')]),  # a JDK and a build tool
    (df('FROM alpine:3.20', 'RUN apk add --no-cache openjdk17 go rust'),
     [tools(2, 'go, rust') + '; for the JDK (openjdk17): a final stage that '
      + jre('openjdk17-jre-headless')]),  # Alpine names
    (df('FROM rockylinux:9', 'RUN yum install -y java-17-openjdk-devel'),
     ['2:1: DH104 the final stage installs a JDK (java-17-openjdk-devel) and ships its '
      'compiler; build in a stage with the JDK and COPY --from only what it builds into a '
      'final stage that ' + jre('java-17-openjdk-headless')]),  # the RHEL JDK
    (df('FROM rockylinux:9', 'RUN yum groupinstall -y "Development Tools"'),
     [tools(2, 'development-tools')]),  # a yum group, quoted with a space
    (df('FROM fedora:40', 'RUN dnf group install -y "Development Tools"'),
     [tools(2, 'development-tools')]),  # dnf group install
    (df('FROM fedora:40', 'RUN dnf install -y @development-tools'),
     [tools(2, '@development-tools')]),  # the @group form
    (df('FROM debian:bookworm-slim', 'RUN apt-get install -y gcc=4:12.2.0-3 libc6-dev:amd64'),
     [tools(2, 'gcc, libc6-dev')]),  # version pins and architectures are dropped
    (df('FROM debian:bookworm-slim', 'RUN apt-get install -y gcc gcc'),
     [tools(2, 'gcc')]),  # each tool named once
    (df('FROM debian:bookworm-slim', 'RUN apt-get install -y gcc-doc make-guile cmake-data'),
     []),  # packages that only share a prefix are not build tools
    (df('FROM debian:bookworm-slim',
        'RUN apt-get install -y openjdk-17-jre-headless default-jre'),
     []),  # JREs run Java, they do not compile it
    (df('FROM alpine:3.20', 'RUN apk add --no-cache openjdk8-jre'),
     []),  # an Alpine JRE matches openjdk[0-9]* but is a JRE
    (df('FROM debian:bookworm-slim', 'RUN apt-get install -y curl libpq5 ca-certificates'),
     []),  # runtime packages only
    (df('FROM python:3.13-slim', 'RUN pip install gcc make cmake'),
     []),  # not a system package manager: pip's cmake is not the toolchain we look for
    (df('FROM debian:bookworm-slim', 'RUN apt-get download gcc'),
     []),  # not an install
    (df('FROM debian:bookworm-slim', 'RUN echo apt-get install gcc'),
     []),  # an argument of another command
    # --- removal in the same RUN
    (df('FROM debian:bookworm-slim',
        'RUN apt-get update && apt-get install -y gcc make && make install'
        ' && apt-get purge -y --auto-remove gcc make && rm -rf /var/lib/apt/lists/*'),
     []),  # purged with --auto-remove
    (df('FROM debian:bookworm-slim',
        'RUN apt-get install -y gcc make && apt-get purge -y --auto-remove gcc'),
     []),  # only what is removed is gone, and make alone compiles nothing
    (df('FROM debian:bookworm-slim',
        'RUN apt-get install -y g++ make && apt-get purge -y --auto-remove make'),
     [tools(2, 'g++')]),  # ... while a compiler left behind does
    (df('FROM debian:bookworm-slim',
        'RUN set -eux; savedAptMark="$(apt-mark showmanual)"; apt-get update;'
        ' apt-get install -y --no-install-recommends gcc libc6-dev make; make;'
        ' apt-mark auto \'.*\' > /dev/null; apt-mark manual $savedAptMark;'
        ' apt-get purge -y --auto-remove -o APT::AutoRemove::RecommendsImportant=false;'
        ' rm -rf /var/lib/apt/lists/*'),
     []),  # docker-library's apt-mark auto + purge --auto-remove removes everything new
    (df('FROM debian:bookworm-slim',
        'RUN apt-get install -y gcc && apt-get purge -y --auto-remove'),
     [tools(2, 'gcc')]),  # --auto-remove without apt-mark auto keeps manual packages
    (df('FROM debian:bookworm-slim',
        'RUN apt-get install -y build-essential && make && apt-get remove -y build-essential'),
     [tools(2, 'build-essential', PURGE)]),  # a metapackage removed without autoremove
    (df('FROM debian:bookworm-slim',
        'RUN apt-get install -y gcc && apt-get remove -y gcc'),
     [tools(2, 'gcc', PURGE)]),  # gcc is a metapackage for gcc-12 on Debian
    (df('FROM debian:bookworm-slim',
        'RUN apt-get install -y build-essential && apt-get remove -y build-essential'
        ' && apt-get autoremove -y'),
     []),  # ... and with apt-get autoremove it is gone
    (df('FROM debian:bookworm-slim',
        'RUN apt-get install -y build-essential && apt-get -y autoremove build-essential'),
     []),  # apt-get autoremove PACKAGE, options first
    (df('FROM debian:bookworm-slim',
        'RUN apt-get install -y build-essential && apt-get purge -y build-essential'
        ' && apt-get autoremove -y'),
     []),  # corpus: discourse+discourse_docker/image/setup_wizard/Dockerfile
    (df('FROM debian:bookworm-slim',
        'RUN apt-get install -y make cmake && apt-get remove -y make cmake'),
     []),  # real packages: a plain remove removes them
    (df('FROM alpine:3.20',
        'RUN apk add --no-cache --virtual .build-deps gcc musl-dev && make'
        ' && apk del --no-network .build-deps'),
     []),  # apk del of the --virtual group
    (df('FROM alpine:3.20',
        'RUN apk add --no-cache -t .build-deps gcc && apk del .build-deps'),
     []),  # -t is --virtual
    (df('FROM alpine:3.20',
        'RUN apk add --no-cache --virtual=.build-deps gcc && apk del .build-deps'),
     []),  # --virtual=NAME
    (df('FROM alpine:3.20',
        'RUN apk add --no-cache --virtual .build-deps gcc && apk del .other'),
     [tools(2, 'gcc')]),  # another group is deleted
    (df('FROM alpine:3.20',
        'RUN apk add --no-cache build-base && make && apk del build-base'),
     []),  # apk removes what build-base pulled in with it
    (df('FROM rockylinux:9',
        'RUN yum install -y gcc make && make && yum remove -y gcc make && yum clean all'),
     []),  # yum remove
    (df('FROM debian:bookworm-slim',
        'RUN apt-get install -y gcc',
        'RUN apt-get purge -y --auto-remove gcc'),
     [tools(2, 'gcc')]),  # removed in a later RUN: the earlier layer still ships it
    # --- packages named through variables
    (df('FROM debian:bookworm-slim',
        'ENV BUILD_DEPS="gcc make"',
        'RUN apt-get install -y $BUILD_DEPS'),
     [tools(3, 'gcc, make')]),  # an ENV value holds several packages
    (df('FROM debian:bookworm-slim',
        'ARG CC_PKG=clang',
        'RUN apt-get install -y ${CC_PKG} curl'),
     [tools(3, 'clang')]),  # an ARG default
    (df('FROM debian:bookworm-slim',
        'ARG PKGS',
        'RUN apt-get install -y $PKGS'),
     []),  # an ARG without default cannot be known: not judged
    (df('FROM debian:bookworm-slim',
        'RUN deps="gcc make" && apt-get install -y $deps'),
     []),  # a shell variable is not followed
    # corpus: vimagick+dockerfiles/dante/Dockerfile (removal through the same variable)
    (df('FROM debian:bookworm',
        'ENV DANTE_DEPS build-essential curl',
        'RUN set -xe \\',
        '    && apt-get update \\',
        '    && apt-get install -y $DANTE_DEPS \\',
        '    && ./configure && make install \\',
        '    && apt-get purge -y --auto-remove $DANTE_DEPS \\',
        '    && rm -rf /var/lib/apt/lists/*'),
     []),
    # corpus: vimagick+dockerfiles/shadowsocks/libev-arm/Dockerfile
    (df('FROM alpine:3.20',
        'ENV SS_DEP autoconf build-base curl libtool',
        'RUN set -ex \\',
        '    && apk add --update $SS_DEP \\',
        '    && ./configure && make install \\',
        '    && apk del --purge $SS_DEP \\',
        '    && rm -rf /var/cache/apk/*'),
     []),
    # corpus: vimagick+dockerfiles/glances/Dockerfile (remove without autoremove: a miss)
    (df('FROM debian:bookworm',
        'RUN set -xe \\',
        '    && apt-get update \\',
        '    && apt-get install -y build-essential \\',
        '                          curl \\',
        '                          libfreetype6-dev \\',
        '    && pip3 install glances \\',
        '    && apt-get remove -y build-essential \\',
        '                         curl \\',
        '                         libfreetype6-dev \\',
        '    && rm -rf /var/lib/apt/lists/*'),
     [tools(2, 'build-essential', PURGE)]),
)


@pytest.mark.parametrize(('src', 'expected'), INSTALLS)
def test_installs(src, expected, clean_cwd, capsys):
    ret, out = run(clean_cwd / 'Dockerfile', capsys, src)
    assert out == expected
    assert ret == (1 if expected else 0)


# --------------------------------------------------------------------------- base images

IMAGES = (
    (df('FROM golang:1.22'), [image(1, 'golang:1.22')]),  # Go toolchain
    (df('FROM golang:1.22-alpine'), [image(1, 'golang:1.22-alpine')]),  # alpine Go still builds
    (df('FROM rust:1.79-slim'), [image(1, 'rust:1.79-slim')]),  # slim rust still has rustc
    (df('FROM gcc:14'), [image(1, 'gcc:14')]),  # the gcc image
    (df('FROM buildpack-deps:bookworm'), [image(1, 'buildpack-deps:bookworm')]),
    (df('FROM buildpack-deps:bookworm-curl'), []),  # curl variant: no compiler
    (df('FROM buildpack-deps:bookworm-scm'), []),  # scm variant: no compiler
    (df('FROM maven:3.9-eclipse-temurin-21'), [image(1, 'maven:3.9-eclipse-temurin-21')]),
    (df('FROM gradle:8-jdk21'), [image(1, 'gradle:8-jdk21')]),  # Gradle: no jre variant
    (df('FROM openjdk:21-jdk'),
     [image(1, 'openjdk:21-jdk', runtime='FROM eclipse-temurin:21-jre')]),  # a JDK (openjdk
    # publishes no JRE after 11)
    (df('FROM openjdk:8-jre-alpine'), []),  # a JRE
    # openjdk never published 11-jre-alpine: the advice is Eclipse Temurin's, alpine kept
    (df('FROM openjdk:11-jdk-alpine'),
     [image(1, 'openjdk:11-jdk-alpine', runtime='FROM eclipse-temurin:11-jre-alpine')]),
    (df('FROM java:8'), [image(1, 'java:8', runtime='FROM eclipse-temurin:8-jre')]),  # deprecated
    (df('FROM java:8-jre-alpine'), []),  # ... unless its tag says jre
    (df('FROM amazoncorretto:21'), [image(1, 'amazoncorretto:21')]),  # Corretto JDK
    (df('FROM eclipse-temurin:21-jdk'),
     [image(1, 'eclipse-temurin:21-jdk', JDK, runtime='FROM eclipse-temurin:21-jre')]),
    (df('FROM eclipse-temurin:21-jre-alpine'), []),  # Temurin JRE
    (df('FROM mcr.microsoft.com/dotnet/sdk:8.0'),
     [image(1, 'mcr.microsoft.com/dotnet/sdk:8.0', runtime='FROM mcr.microsoft.com/dotnet/'
            'runtime:8.0 (aspnet:8.0 for a web app)')]),  # .NET SDK
    (df('FROM mcr.microsoft.com/dotnet/aspnet:8.0'), []),  # .NET runtime
    (df('FROM python:3.13'),
     [image(1, 'python:3.13', FULL, runtime='FROM python:3.13-slim')]),  # full python
    (df('FROM python'), [image(1, 'python', FULL, runtime='FROM python:<version>-slim')]),
    (df('FROM python:3.13-bookworm'),
     [image(1, 'python:3.13-bookworm', FULL, runtime='FROM python:3.13-slim-bookworm')]),
    (df('FROM python:3.13-slim'), []),  # slim
    (df('FROM python:3.13-alpine'), []),  # alpine
    (df('FROM docker.io/library/python:3.13'),
     [image(1, 'docker.io/library/python:3.13', FULL, runtime='FROM python:3.13-slim')]),
    (df('FROM node:22'), [image(1, 'node:22', FULL, runtime='FROM node:22-slim')]),
    (df('FROM node:22-alpine'), []),  # alpine node
    (df('FROM ruby:3.3'), [image(1, 'ruby:3.3', FULL, runtime='FROM ruby:3.3-slim')]),
    (df('FROM ruby:3.3-slim-bookworm'), []),  # slim ruby
    (df('FROM myorg/golang:1.22'), []),  # someone else's image of that name
    (df('FROM scratch'), []),  # nothing at all
    (df('FROM ${BASE}'), []),  # unknown image: not judged
    (df('ARG BASE=golang:1.22', 'FROM ${BASE}'), [image(2, 'golang:1.22')]),  # ARG default
    # a toolchain base and a toolchain install in the same final stage
    (df('FROM golang:1.22', 'RUN apk add --no-cache gcc'),
     [image(1, 'golang:1.22'), tools(2, 'gcc')]),
)


@pytest.mark.parametrize(('src', 'expected'), IMAGES)
def test_images(src, expected, clean_cwd, capsys):
    ret, out = run(clean_cwd / 'Dockerfile', capsys, src)
    assert out == expected
    assert ret == (1 if expected else 0)


# --------------------------------------------------------------------------- stages

STAGES = (
    (df('FROM golang:1.22 AS build',
        'RUN apt-get update && apt-get install -y gcc make',
        'RUN go build -o /app .',
        'FROM gcr.io/distroless/static-debian12',
        'COPY --from=build /app /app'),
     []),  # builder stages may hold anything
    (df('FROM debian:bookworm-slim AS build',
        'RUN apt-get install -y gcc',
        'FROM build',
        'RUN make',
        'CMD ["app"]'),
     [tools(2, 'gcc', 'install, build and remove them in one RUN (the RUN on line 4 builds '
                      'with them)')]),  # the final stage inherits what the stage it builds on
    # installed, and builds with it later
    (df('FROM golang:1.22 AS build',
        'FROM build AS test',
        'FROM test'),
     [image(1, 'golang:1.22', inherited=True)]),  # a toolchain base two stages up
    (df('FROM debian:bookworm-slim AS tools',
        'RUN apt-get install -y gcc',
        'FROM debian:bookworm-slim',
        'COPY --from=tools /usr/bin/gcc /usr/bin/gcc'),
     []),  # COPY --from-only stages are not shipped (copying gcc is not an install)
    (df('FROM debian:bookworm-slim AS base',
        'RUN apt-get install -y curl',
        'FROM base AS build',
        'RUN apt-get install -y gcc',
        'FROM base',
        'COPY --from=build /out /out'),
     []),  # a sibling stage is not in the final stage's chain
    (df('FROM alpine:3.20',
        'ONBUILD RUN apk add --no-cache gcc'),
     []),  # ONBUILD triggers run in the child build, not in this one
)


@pytest.mark.parametrize(('src', 'expected'), STAGES)
def test_stages(src, expected, clean_cwd, capsys):
    ret, out = run(clean_cwd / 'Dockerfile', capsys, src)
    assert out == expected
    assert ret == (1 if expected else 0)


# --------------------------------------------------------------------------- what the image is for

GCC = 'RUN apt-get install -y gcc && pip install uwsgi'  # a compiler used to build
PURPOSES = (
    # an image with no command of its own runs what its user gives it: a toolchain or base
    ('Dockerfile', df('FROM buildpack-deps:bookworm', GCC), []),
    ('Dockerfile', df('FROM golang:1.22', 'RUN go install golang.org/x/tools/gopls@latest'),
     []),  # (the official golang image itself)
    # a bare interpreter or shell: the official language images, toolboxes
    ('Dockerfile', df('FROM buildpack-deps:bookworm', GCC, 'CMD ["python3"]'), []),
    ('Dockerfile', df('FROM buildpack-deps:bookworm', GCC,
                      'ENTRYPOINT ["docker-entrypoint.sh"]', 'CMD [ "node" ]'), []),
    ('Dockerfile', df('FROM debian:bookworm', GCC, 'ENTRYPOINT ["tini", "--"]', 'CMD ["bash"]'),
     []),  # behind an init
    # a command that builds: a build environment
    ('Dockerfile', df('FROM golang:1.22', 'ENTRYPOINT [ "/usr/bin/make" ]'), []),
    ('Dockerfile', df('FROM debian:bookworm', GCC,
                      'CMD ["bash", "-lc", "cd /src && make docs && hugo server"]'), []),
    ('Dockerfile', df('FROM debian:bookworm', GCC,
                      'ENTRYPOINT ["bash", "/src/docker/build_debian.sh"]'), []),
    ('Dockerfile', df('FROM golang:1.22', 'CMD go build -o /out/app ./...'), []),
    ('Dockerfile', df('FROM golang:1.22', 'CMD ["dlv", "debug", "--headless"]'), []),
    ('Dockerfile', df('FROM eclipse-temurin:21', 'CMD ["./gradlew", "build"]'), []),
    # a file named as a base or builder for other images
    ('Dockerfile.base', df('FROM node:22', 'RUN apt-get install -y cmake', 'CMD ["node"]'), []),
    ('sqlite-builder.Dockerfile', df('FROM debian:bookworm', GCC, 'CMD ["sqlite3"]'), []),
    # ... an application is judged
    ('Dockerfile', df('FROM golang:1.22', 'CMD ["go", "run", "."]'),
     [image(1, 'golang:1.22')]),  # go run compiles the application at every start
    ('Dockerfile', df('FROM debian:bookworm', GCC, 'ENTRYPOINT ["tini", "--", "/app/server"]'),
     [tools(2, 'gcc', SAME_RUN)]),
    ('Dockerfile', df('FROM debian:bookworm', GCC, 'CMD python3 app.py'),
     [tools(2, 'gcc', SAME_RUN)]),  # an interpreter running a program
    ('Dockerfile', df('FROM debian:bookworm AS base', GCC, 'CMD ["python3"]',
                      'FROM base', 'ENTRYPOINT ["/app/run"]'),
     [tools(2, 'gcc', SAME_RUN)]),  # an ENTRYPOINT resets the CMD of the stage it builds on
    ('Dockerfile', df('FROM debian:bookworm AS base', GCC, 'ENTRYPOINT ["/app/run"]',
                      'FROM base', 'CMD ["python3"]'),
     [tools(2, 'gcc', SAME_RUN)]),  # the entrypoint runs the application with CMD as arguments
    ('build-tools/Dockerfile', df('FROM debian:bookworm', GCC, 'CMD ["/app/server"]'),
     [tools(2, 'gcc', SAME_RUN)]),  # only the file name counts, not the folder's
)


@pytest.mark.parametrize(('name', 'src', 'expected'), PURPOSES)
def test_what_the_image_is_for(name, src, expected, clean_cwd, capsys):
    path = clean_cwd / name
    path.parent.mkdir(parents=True, exist_ok=True)
    ret, out = run_main(main, path, capsys, src)
    assert out == expected
    assert ret == (1 if expected else 0)


# Build tools that no step of the image builds with are there for what the image runs: a
# kernel-module builder, a benchmark that compiles its programs, a compile server.
UNUSED = (
    (df('FROM debian:bookworm', 'RUN apt-get install -y build-essential git',
        'RUN git clone https://git.zx2c4.com/wireguard-linux-compat /wireguard',
        'CMD ["/usr/local/bin/build-module.sh"]'), []),
    (df('FROM alpine:3.20', 'RUN apk add --no-cache gcc make musl-dev',
        'CMD ["/usr/src/unixbench/Run"]'), []),
    (df('FROM debian:bookworm', 'RUN apt-get install -y distcc gcc g++',
        'CMD ["distccd", "--daemon", "--no-detach"]'), []),  # a compile server
    (df('FROM alpine:3.20', 'RUN apk add --no-cache make openssl',
        'CMD ["radiusd", "-f"]'), []),  # make alone compiles nothing
    # ... but a later step that compiles uses them
    (df('FROM python:3.13-slim', 'RUN apt-get install -y gcc libpq-dev',
        'RUN pip install psycopg2', 'CMD ["app"]'),
     [tools(2, 'gcc', 'install, build and remove them in one RUN (the RUN on line 3 builds '
                      'with them)')]),
    (df('FROM php:8.3-fpm-alpine', 'RUN apk add g++ && pecl install redis',
        'RUN docker-php-ext-install pdo_mysql', 'CMD ["php-fpm"]'),
     [tools(2, 'g++', 'install, build and remove them in one RUN (the RUN on line 3 builds '
                      'with them)')]),  # it builds in its own RUN too, and in a later one
    # the Debian php images keep $PHPIZE_DEPS (gcc, g++, make) for docker-php-ext-install:
    # installing them again adds nothing, and removing them breaks the extension builds
    (df('FROM php:8.3-fpm', 'RUN apt-get install -y g++ && pecl install redis',
        'RUN docker-php-ext-install pdo_mysql', 'CMD ["php-fpm"]'), []),
    (df('FROM myorg/php-base:8.3', 'RUN apt-get install -y make gcc g++ cmake libzip-dev',
        'RUN docker-php-ext-install zip', 'CMD ["php-fpm"]'), []),  # a base derived from it
    (df('FROM myorg/php-base:8.3', 'RUN apk add gcc make musl-dev',
        'RUN docker-php-ext-install zip', 'CMD ["php-fpm"]'),
     [tools(2, 'gcc, make, musl-dev', 'install, build and remove them in one RUN (the RUN on '
                                      'line 3 builds with them)')]),
    # ... on Alpine they are reported
    (df('FROM debian:bookworm-slim', 'RUN apt-get install -y openjdk-17-jdk && ./build.sh',
        'CMD ["java", "-jar", "/app.jar"]'),
     ['2:1: DH104 the final stage installs a JDK (openjdk-17-jdk) and ships its compiler; '
      'build in a stage with the JDK and COPY --from only what it builds into a final stage '
      'that ' + jre('openjdk-17-jre-headless')]),  # an image that runs Java
    # a toolchain base image that builds nothing: its runtime variant is the whole fix
    (df('FROM eclipse-temurin:17-jdk', 'COPY app.jar /app.jar', 'CMD ["java", "-jar", '
        '"/app.jar"]'),
     [image(1, 'eclipse-temurin:17-jdk', JDK, runtime='FROM eclipse-temurin:17-jre',
            built=False)]),
    (df('FROM golang:1.22', 'COPY . /src', 'CMD ["go", "run", "/src"]'),
     [image(1, 'golang:1.22')]),  # go run compiles at every start: build in a stage
)


@pytest.mark.parametrize(('src', 'expected'), UNUSED)
def test_tools_nothing_builds_with(src, expected, clean_cwd, capsys):
    ret, out = run(clean_cwd / 'Dockerfile', capsys, src)
    assert out == expected
    assert ret == (1 if expected else 0)


TARGETED = df(
    'FROM golang:1.22 AS build',
    'RUN apt-get install -y gcc && go build -o /app .',
    'CMD ["/app"]',
    'FROM debian:bookworm-slim AS dev',
    'RUN apt-get install -y gdb gcc && make',
    'CMD ["/app"]',
    'FROM gcr.io/distroless/static AS prod',
    'COPY --from=build /app /app',
)


@pytest.mark.parametrize(('args', 'expected'), (
    ((), []),  # the last stage ships: clean
    (('--target', 'dev'), [tools(5, 'gcc', SAME_RUN)]),  # the dev stage ships
    (('--target', 'DEV'), [tools(5, 'gcc', SAME_RUN)]),  # stage names are case-insensitive
    (('--target', 'build'), [
        '1:1: DH104 base image golang:1.22 is a build toolchain image; the RUN on line 2 builds '
        'the Go binary (`go build -o /app .`), and the stage on line 7 already copies only its '
        'output (COPY --from=build, line 8): ship that stage instead',
        tools(2, 'gcc', SAME_RUN)]),  # a builder targeted: the file has its runtime stage
    (('--target=prod',), []),  # --target=NAME
    (('--target', 'nope'), []),  # an unknown target falls back to the last stage
))
def test_target(args, expected, clean_cwd, capsys):
    ret, out = run(clean_cwd / 'Dockerfile', capsys, TARGETED, *args)
    assert out == expected
    assert ret == (1 if expected else 0)


def test_devcontainer_is_skipped(clean_cwd, capsys):
    src = df('FROM mcr.microsoft.com/devcontainers/base:bookworm',
             'RUN apt-get install -y build-essential')
    ret, out = run(clean_cwd / '.devcontainer' / 'Dockerfile', capsys, src)
    assert (ret, out) == (0, [])


# --------------------------------------------------------------------------- RUN forms

FORMS = (
    (df('FROM debian:bookworm-slim',
        'RUN <<EOF',
        'apt-get update',
        'apt-get install -y gcc',
        'rm -rf /var/lib/apt/lists/*',
        'EOF'),
     [tools(2, 'gcc')]),  # heredoc script
    (df('FROM alpine:3.20',
        'RUN <<EOF sh',
        'set -e',
        'apk add --no-cache --virtual .bd gcc',
        'make',
        'apk del .bd',
        'EOF'),
     []),  # heredoc handed to sh, removal inside
    (df('FROM debian:bookworm-slim',
        'RUN cat <<EOF > /etc/notes.txt',
        'apt-get install -y gcc',
        'EOF'),
     []),  # a heredoc given to cat is data
    (df('FROM debian:bookworm-slim',
        'RUN <<EOF',
        'apt-get install -y gcc',
        'EOF',
        'RUN echo done'),
     [tools(2, 'gcc')]),  # an instruction right after the terminator
    (df('FROM debian:bookworm-slim', 'RUN ["apt-get", "install", "-y", "gcc"]'),
     [tools(2, 'gcc')]),  # JSON form
    (df('FROM debian:bookworm-slim',
        'RUN ["/bin/sh", "-c", "apt-get update && apt-get install -y g++"]'),
     [tools(2, 'g++')]),  # JSON form through sh -c
    (df('FROM debian:bookworm-slim',
        'RUN apt-get update \\',
        '    # compilers',
        '    && apt-get install -y \\',
        '        gcc \\',
        '        # and make',
        '        make \\',
        '',
        '    && rm -rf /var/lib/apt/lists/*'),
     [tools(2, 'gcc, make')]),  # continuation lines with comments and a blank line inside
    (df('FROM debian:bookworm-slim',
        'RUN apt-get update; apt-get install -y gcc || true'),
     [tools(2, 'gcc')]),  # ; and ||
    (df('FROM debian:bookworm-slim',
        'RUN yes | apt-get install gcc | tee /tmp/log'),
     [tools(2, 'gcc')]),  # pipes
    (df('FROM debian:bookworm-slim',
        'RUN if [ "$X" = 1 ]; then apt-get install -y gcc; fi'),
     [tools(2, 'gcc')]),  # a conditional install still ships when it runs
    (df('FROM debian:bookworm-slim',
        'RUN DEBIAN_FRONTEND=noninteractive sudo -E apt-get install -y gcc'),
     [tools(2, 'gcc')]),  # assignments and sudo
    (df('FROM debian:bookworm-slim',
        "RUN sh -c 'apt-get install -y gcc'"),
     [tools(2, 'gcc')]),  # sh -c
    (df('FROM debian:bookworm-slim',
        'RUN --mount=type=cache,target=/var/cache/apt \\',
        '    --mount=type=cache,target=/var/lib/apt \\',
        '    apt-get update && apt-get install -y gcc'),
     [tools(2, 'gcc')]),  # a cache mount keeps the package lists out, not gcc
    (df('FROM debian:bookworm-slim',
        '  run apt-get install -y gcc'),
     [tools(2, 'gcc', col=3)]),  # lower-case keyword, indented: the column follows it
)


@pytest.mark.parametrize(('src', 'expected'), FORMS)
def test_run_forms(src, expected, clean_cwd, capsys):
    ret, out = run(clean_cwd / 'Dockerfile', capsys, src)
    assert out == expected
    assert ret == (1 if expected else 0)


# --------------------------------------------------------------------------- options

OPTION_SRC = df(
    'FROM debian:bookworm-slim',
    'RUN apt-get install -y gcc gcc-12 make protobuf-compiler libfoo-dev',
)


@pytest.mark.parametrize(('args', 'expected'), (
    ((), [tools(2, 'gcc, gcc-12, make')]),  # the default list
    (('--extra-build-tools', 'protobuf-compiler'),
     [tools(2, 'gcc, gcc-12, make, protobuf-compiler')]),  # one more tool
    (('--extra-build-tools=protobuf-compiler,libfoo-*',),
     [tools(2, 'gcc, gcc-12, make, protobuf-compiler, libfoo-dev')]),  # comma list, glob
    (('--extra-build-tools', 'protobuf-compiler', '--extra-build-tools', 'libfoo-dev'),
     [tools(2, 'gcc, gcc-12, make, protobuf-compiler, libfoo-dev')]),  # repeated flag
    (('--allowed-build-tools', 'make'), [tools(2, 'gcc, gcc-12')]),  # make is allowed
    (('--allowed-build-tools', 'gcc*,make'), []),  # a glob allows gcc and gcc-12
    (('--extra-build-tools', 'make', '--allowed-build-tools', 'make'),
     [tools(2, 'gcc, gcc-12')]),  # allowed wins over extra
))
def test_build_tool_options(args, expected, clean_cwd, capsys):
    ret, out = run(clean_cwd / 'Dockerfile', capsys, OPTION_SRC, *args)
    assert out == expected
    assert ret == (1 if expected else 0)


@pytest.mark.parametrize(('src', 'args', 'expected'), (
    (df('FROM myorg/builder:1.4'), ('--extra-toolchain-images', 'myorg/builder'),
     [image(1, 'myorg/builder:1.4')]),  # one more toolchain image, matched without its tag
    (df('FROM ghcr.io/acme/ci-gcc:2'), ('--extra-toolchain-images=ghcr.io/acme/*',),
     [image(1, 'ghcr.io/acme/ci-gcc:2')]),  # a glob with a registry
    (df('FROM myorg/builder:1.4'), ('--extra-toolchain-images', 'myorg/builder:1.4'),
     []),  # the tag is not part of what is matched
    (df('FROM golang:1.22'), ('--allowed-toolchain-images', 'golang'), []),  # allowed
    (df('FROM python:3.13'), ('--allowed-toolchain-images', 'py*'), []),  # allowed by glob
    (df('FROM golang:1.22'),
     ('--extra-toolchain-images', 'golang', '--allowed-toolchain-images', 'golang'),
     []),  # allowed wins over extra
))
def test_toolchain_image_options(src, args, expected, clean_cwd, capsys):
    ret, out = run(clean_cwd / 'Dockerfile', capsys, src, *args)
    assert out == expected
    assert ret == (1 if expected else 0)


def test_options_from_config_file(clean_cwd, capsys):
    (clean_cwd / '.dockhooks.toml').write_text(
        'allowed-build-tools = ["make"]\nextra-build-tools = ["protobuf-compiler"]\n'
        'target = "prod"\n',
    )
    src = df('FROM debian:bookworm-slim AS prod',
             'RUN apt-get install -y make protobuf-compiler && make',
             'CMD ["/app"]',
             'FROM scratch')
    ret, out = run(clean_cwd / 'Dockerfile', capsys, src)
    assert out == [tools(2, 'protobuf-compiler', SAME_RUN)]
    assert ret == 1


def test_command_line_wins_over_config_file(clean_cwd, capsys):
    (clean_cwd / '.dockhooks.toml').write_text('allowed-build-tools = ["make"]\n')
    src = df('FROM debian:bookworm-slim', 'RUN apt-get install -y clang make gcc')
    ret, out = run(clean_cwd / 'Dockerfile', capsys, src, '--allowed-build-tools', 'gcc')
    assert out == [tools(2, 'clang, make')]
    assert ret == 1


def test_output_line_is_exact(clean_cwd, capsys):
    path = clean_cwd / 'Dockerfile'
    path.write_text('FROM debian:bookworm-slim\nRUN apt-get install -y gcc && make\n'
                    'CMD ["/app"]\n')
    assert main([str(path)]) == 1
    assert capsys.readouterr().out == (
        f'{path}:2:1: DH104 the final stage installs build tools (gcc) and ships them; '
        f'install them in a build stage and COPY --from only what it builds, or remove them '
        f'in this same RUN\n'
    )


def test_several_files_and_a_clean_one(clean_cwd, capsys):
    bad = clean_cwd / 'bad.Dockerfile'
    good = clean_cwd / 'good.Dockerfile'
    bad.write_text('FROM golang:1.22\nCMD ["/app"]\n')
    good.write_text('FROM alpine:3.20\nCMD ["/app"]\n')
    assert main([str(good), str(bad)]) == 1
    assert capsys.readouterr().out.splitlines() == [f'{bad}:{image(1, "golang:1.22", built=False)}']
    assert main([str(good)]) == 0
    assert capsys.readouterr().out == ''


# --------------------------------------------------------------------------- build steps

NGINX = 'into a static server: FROM nginx:<version>-alpine (the files go to /usr/share/nginx/html)'
# the frontend: built and served by Node in one stage on a small base
FRONTEND = df(
    'FROM node:20.18-alpine',
    'WORKDIR /app',
    'COPY package.json package-lock.json ./',
    'RUN npm ci',
    'COPY . .',
    'RUN npm run build',
    'USER node',
    'CMD ["npx", "http-server", "dist", "-p", "8080"]',
)
STATIC = ('6:1: DH104 the final stage builds the frontend (`npm run build`) after installing the '
          'devDependencies (`npm ci`, line 4), so the image ships Node, the sources and the '
          'devDependencies to serve static files; build in a stage `FROM node:20.18-alpine AS '
          f'build` and COPY --from=build only /app/dist {NGINX}')


UNKNOWN = "only the build's output folder"  # no file shows where the build writes
STANDALONE = ("the standalone output (Next.js: set output: 'standalone' in next.config, then "
              "copy .next/standalone, .next/static and public)")


def server(line: int, text: str, deps: str = '', tooling: str = 'the devDependencies',
           base: str = 'node:20-alpine', prod: str = 'npm ci --omit=dev', out: str = '/app/dist',
           where: str = 'the final stage', more: str = '', copy: str = '') -> str:
    return (f'{line}:1: DH104 {where} builds the app (`{text}`{more}){deps}, so the image '
            f'ships the sources and {tooling} beside the built output; build in a stage '
            f'`FROM {base} AS build`, then in a runtime stage FROM {base} install only the '
            f'production '
            f'dependencies ({prod}) and COPY --from=build '
            f'{copy or f"only the built output ({out}/)"}')


def npm_ci(line: int, text: str = 'npm ci') -> str:
    return f' after installing the devDependencies (`{text}`, line {line})'


NODE_APP = 'CMD ["node", "dist/server.js"]'
BUILD_STEPS = (
    (FRONTEND, [STATIC]),  # the example: a static frontend served by Node
    (FRONTEND.replace('"npx", "http-server", "dist", "-p", "8080"', '"serve", "-s", "build"')
     .replace('npm run build', 'npx react-scripts build'),
     [STATIC.replace('npm run build', 'npx react-scripts build').replace('/app/dist',
                                                                        '/app/build')]),
    # the folder a static server serves is the build's output
    (df('FROM node:20-alpine', 'WORKDIR /app', 'COPY . .', 'RUN npm ci', 'RUN npm run build',
        NODE_APP),
     [server(5, 'npm run build', npm_ci(4))]),  # a Node server: prune the devDependencies
    (df('FROM node:20-alpine', 'WORKDIR /app', 'COPY . .', 'RUN npm ci',
        'RUN npm run build', 'RUN npx tsc -p .', NODE_APP),
     [server(5, 'npm run build', npm_ci(4), more=', and on line 6')]),  # one finding per image
    (df('FROM node:20-alpine', 'WORKDIR /app', 'COPY . .', 'RUN npm ci --omit=dev',
        'RUN npm run build', NODE_APP),
     [server(5, 'npm run build', tooling='the build tooling')]),  # no devDependencies
    (df('FROM node:20-alpine', 'ENV NODE_ENV=production', 'WORKDIR /app', 'COPY . .',
        'RUN yarn install', 'RUN yarn build', NODE_APP),
     [server(6, 'yarn build', tooling='the build tooling',
             prod='yarn install --production')]),  # NODE_ENV=production: yarn leaves them out
    (df('FROM node:20-alpine', 'WORKDIR /app', 'COPY . .', 'RUN pnpm install',
        'RUN pnpm --filter web build', 'CMD ["pnpm", "start"]'),
     [server(5, 'pnpm --filter web build', npm_ci(4, 'pnpm install'),
             prod='pnpm install --prod', copy=UNKNOWN)]),
    # pnpm, a workspace filter: no file shows the output folder, so none is named
    (df('FROM node:20-alpine', 'WORKDIR /app', 'COPY . .', 'RUN npm ci',
        'RUN npx next build', 'CMD ["npx", "next", "start"]'),
     [server(5, 'npx next build', npm_ci(4), copy=STANDALONE)]),
    # Next.js writes .next, never dist: the standalone output
    (df('FROM node:20-alpine', 'WORKDIR /app', 'COPY . .',
        'RUN npm ci && npm run build && npm prune --omit=dev', NODE_APP),
     []),  # installed, built and pruned in one RUN: no devDependencies in any layer
    (df('FROM node:20-alpine', 'WORKDIR /app', 'COPY . .', 'RUN npm ci',
        'RUN npm run build && npm prune --omit=dev', NODE_APP),
     [server(5, 'npm run build', npm_ci(4))]),  # ... pruned later: the npm ci layer keeps them
    (df('FROM node:20-alpine', 'WORKDIR /app', 'COPY . .', 'RUN ["npm", "run", "build"]',
        NODE_APP),
     [server(4, 'npm run build', tooling='the build tooling')]),  # JSON form
    (df('# syntax=docker/dockerfile:1', 'FROM node:20-alpine', 'WORKDIR /app', 'COPY . .',
        'RUN <<EOF', 'npm ci', 'npm run build', 'EOF', NODE_APP),
     [server(5, 'npm run build', npm_ci(5))]),  # a heredoc script
    (df('FROM node:20-alpine', 'WORKDIR /app', 'COPY . .', 'RUN npm ci', 'RUN npm test',
        'RUN npm run lint', NODE_APP),
     []),  # no build step: tests and lint
    (df('FROM node:20-alpine', 'WORKDIR /app', 'COPY . .', 'RUN npm ci',
        'CMD ["sh", "-c", "npm run build && npx serve dist"]'),
     []),  # the image builds when it runs, not in a RUN: a build environment
    (df('FROM node:20-alpine', 'WORKDIR /app', 'COPY . .', 'RUN npm ci',
        'CMD ["npm", "run", "build"]'),
     []),  # its command is the build: a builder image
    # --- stages
    (df('FROM node:20-alpine AS build', 'WORKDIR /app', 'COPY . .', 'RUN npm ci',
        'RUN npm run build',
        'FROM nginx:1.27-alpine', 'COPY --from=build /app/dist /usr/share/nginx/html',
        'CMD ["nginx", "-g", "daemon off;"]'),
     []),  # built in a stage used only through COPY --from: the guide's pattern
    (df('FROM node:20-alpine AS build', 'WORKDIR /app', 'COPY . .', 'RUN npm ci',
        'RUN npm run build',
        'FROM build', NODE_APP),
     [server(5, 'npm run build', npm_ci(4),
             where='stage build (the final stage builds on it)')]),  # reached through FROM
    (df('FROM node:20-alpine AS app', 'WORKDIR /app', 'COPY . .', 'RUN npm ci',
        'RUN npm run build', NODE_APP,
        'FROM nginx:1.27-alpine AS web', 'COPY --from=app /app/dist /usr/share/nginx/html',
        'CMD ["nginx", "-g", "daemon off;"]'),
     []),  # the last stage ships; app is only copied from
    (df('FROM node:20-alpine AS base', 'WORKDIR /app',
        'ONBUILD COPY . .', 'ONBUILD RUN npm ci && npm run build',
        'FROM base', NODE_APP),
     [server(4, 'npm run build', npm_ci(4))]),  # a parent stage's ONBUILD runs in the child
    (df('FROM node:20-alpine', 'WORKDIR /app', 'ONBUILD COPY . .',
        'ONBUILD RUN npm ci && npm run build', NODE_APP),
     []),  # the final stage's own ONBUILD runs in images built FROM it, not in this one
    # --- Python builds
    (df('FROM python:3.13-slim', 'WORKDIR /app', 'COPY . .', 'RUN python -m build',
        'RUN pip install dist/*.whl', 'CMD ["app"]'),
     ['4:1: DH104 the final stage builds Python packages (`python -m build`) and ships the '
      'sources and what built them; build in a stage `FROM python:3.13-slim AS build` '
      '(compilers there), install into a prefix (pip install --prefix=/install) and COPY '
      '--from=build /install /usr/local into FROM python:3.13-slim']),
    (df('FROM python:3.13-slim', 'WORKDIR /app', 'COPY . .',
        'RUN pip wheel --wheel-dir /wheels -r requirements.txt', 'CMD ["app"]'),
     ['4:1: DH104 the final stage builds Python packages (`pip wheel --wheel-dir /wheels -r '
      'requirements.txt`) and ships the sources and what built them; build in a stage `FROM '
      'python:3.13-slim AS build` (compilers there), install into a prefix (pip install '
      '--prefix=/install) and COPY --from=build /install /usr/local into FROM '
      'python:3.13-slim']),
    (df('FROM python:3.13-slim', 'RUN pip install -r requirements.txt', 'CMD ["app"]'),
     []),  # an install is no build
    # --- merged with what the rule already says about the stage
    (df('FROM golang:1.22', 'WORKDIR /src', 'COPY . .', 'RUN go build -o /app .',
        'CMD ["/app"]'),
     ['1:1: DH104 base image golang:1.22 is a build toolchain image; the RUN on line 4 builds '
      'the Go binary (`go build -o /app .`): build in a stage `FROM golang:1.22 AS build` and '
      'COPY --from=build only the binary into gcr.io/distroless/static-debian12 or '
      'alpine:<version> (a static binary: CGO_ENABLED=0 go build)']),
    (df('FROM golang:1.22 AS builder', 'WORKDIR /src', 'COPY . .', 'RUN go build -o /app .',
        'CMD ["/app"]', 'FROM scratch', 'COPY --from=builder /app /app', 'CMD ["/app"]'),
     []),  # the last stage ships ...
    (df('FROM golang:1.22 AS builder', 'WORKDIR /src', 'COPY . .', 'RUN go build -o /app .',
        'CMD ["/app"]', 'FROM scratch', 'COPY --from=builder /app /app', 'CMD ["/app"]'),
     ['1:1: DH104 base image golang:1.22 is a build toolchain image; the RUN on line 4 builds '
      'the Go binary (`go build -o /app .`), and the stage on line 6 already copies only its '
      'output (COPY --from=builder, line 7): ship that stage instead'], '--target', 'builder'),
    # ... and a target that names the builder is told so
    (df('FROM node:22', 'WORKDIR /app', 'COPY . .', 'RUN npm install', 'RUN npm run build',
        NODE_APP),
     ['1:1: DH104 base image node:22 is the full image, built on buildpack-deps with gcc and '
      'make; the RUN on line 5 builds the app (`npm run build`) after installing the '
      'devDependencies (`npm install`, line 4): build in a stage `FROM node:22 AS build`, then '
      'in a runtime stage FROM node:22-slim install only the production dependencies (npm ci '
      '--omit=dev) and COPY --from=build only the built output (/app/dist/)']),
    # a full image: one finding, at its FROM
    (df('FROM node:20-alpine', 'WORKDIR /app', 'RUN apk add --no-cache build-base python3',
        'COPY . .', 'RUN npm ci', 'RUN npm run build', NODE_APP),
     [tools(3, 'build-base', 'install, build and remove them in one RUN (the RUN on line 5 '
                             'builds with them)')
      + '; the final stage builds the app (`npm run build`) after installing the '
        'devDependencies (`npm ci`, line 5), so the image ships the sources and the '
        'devDependencies beside the built output: build in a stage `FROM node:20-alpine AS '
        'build`, then in a runtime stage FROM node:20-alpine install only the production '
        'dependencies (npm ci --omit=dev) and COPY --from=build only the built output '
        '(/app/dist/)']),  # compilers installed too: one finding says both
)


@pytest.mark.parametrize('case', BUILD_STEPS)
def test_build_steps(case, clean_cwd, capsys):
    src, expected, *args = case
    ret, out = run_main(main, clean_cwd / 'Dockerfile', capsys, src, *args)
    assert out == expected
    assert ret == (1 if expected else 0)


@pytest.mark.parametrize('path', ['.devcontainer/Dockerfile', 'tests/web/Dockerfile',
                                  'Dockerfile.dev'])
def test_build_steps_in_images_that_never_ship(path, clean_cwd, capsys):
    ret, out = run_main(main, clean_cwd / path, capsys, FRONTEND)
    assert (ret, out) == (0, [])


def test_build_step_in_a_test_target(clean_cwd, capsys):
    src = FRONTEND.replace('FROM node:20.18-alpine', 'FROM node:20.18-alpine AS test')
    assert run_main(main, clean_cwd / 'Dockerfile', capsys, src) == (0, [])


JS_BUILDS = (
    ('npm run build', True), ('npm run-script build', True), ('npm run build:prod', True),
    ('npm --prefix web run build', True), ('yarn build', True), ('yarn run build', True),
    ('yarn workspace web build', True), ('pnpm build', True), ('pnpm run build', True),
    ('pnpm -r build', True), ('bun run build', True), ('npx vite build', True),
    ('npx ng build --configuration production', True), ('ng build', True),
    ('next build', True), ('nuxt build', True), ('npx nuxi generate', True), ('tsc', True),
    ('tsc -p tsconfig.build.json', True), ('node_modules/.bin/webpack --mode production', True),
    ('npm exec -- vite build', True), ('npx turbo run build --filter=web', True),
    ('tsc --noEmit', False), ('tsc --version', False), ('npm build', False),
    ('npm run start', False), ('npm test', False), ('yarn install', False),
    ('vite preview', False), ('npx vite', False), ('next start', False),
    ('echo npm run build', False), ('npm run lint', False),
)


@pytest.mark.parametrize(('text', 'expected'), JS_BUILDS)
def test_js_build(text, expected):
    from dockhooks._shell import split_commands
    from dockhooks.dockerfile_no_build_tools_in_final_stage import js_build

    assert [js_build(c) for c in split_commands(text)] == [expected]


def test_build_step_in_the_compose_target(clean_cwd, capsys):
    """The stage compose builds (`build.target`) is the one that ships: its build step is
    reported, and the later stage that copies the output is named as the one to ship."""
    (clean_cwd / 'compose.yaml').write_text(
        'services:\n  web:\n    build:\n      context: .\n      target: app\n')
    src = df('FROM node:20-alpine AS app', 'WORKDIR /app', 'COPY . .', 'RUN npm ci',
             'RUN npm run build', 'CMD ["npx", "serve", "-s", "dist"]',
             'FROM nginx:1.27-alpine', 'COPY --from=app /app/dist /usr/share/nginx/html',
             'CMD ["nginx", "-g", "daemon off;"]')
    assert run_main(main, clean_cwd / 'Dockerfile', capsys, src) == (1, [
        '5:1: DH104 the final stage builds the frontend (`npm run build`) after installing the '
        'devDependencies (`npm ci`, line 4), so the image ships Node, the sources and the '
        'devDependencies to serve static files; the stage on line 7 already copies only its '
        'output (COPY --from=app, line 8): ship that stage instead'])


# --------------------------------------------------------------------------- what a build makes

NODE_SERVER = df('FROM node:20-alpine', 'WORKDIR /app', 'COPY . .', 'RUN npm ci',
                 'RUN npm run build', 'CMD ["npm", "start"]')
PROJECTS = (
    # the output folder is the one the build writes, read from the files, never a guess
    ({'build': 'tsc', 'start': 'node build/index.js'},
     {'tsconfig.json': '{"compilerOptions": {"outDir": "./build"}}'},
     NODE_SERVER, [server(5, 'npm run build', npm_ci(4), out='/app/build')]),  # tsconfig outDir
    ({'build': 'tsc', 'start': 'cd build && node ./index.js'}, {}, NODE_SERVER,
     [server(5, 'npm run build', npm_ci(4), out='/app/build')]),  # the folder the app runs from
    ({'build': 'tsc', 'start': 'node index.js'}, {}, NODE_SERVER,
     [server(5, 'npm run build', npm_ci(4), copy=UNKNOWN)]),  # tsc without outDir: not known
    ({'build': 'next build', 'start': 'next start'}, {}, NODE_SERVER,
     [server(5, 'npm run build', npm_ci(4), copy=STANDALONE)]),  # Next.js writes .next
    ({'build': 'frontity build', 'serve': 'frontity serve'}, {},
     NODE_SERVER.replace('"npm", "start"', '"npm", "run", "serve"'),
     [server(5, 'npm run build', npm_ci(4), out='/app/build')]),  # frontity writes build/
    ({'build': 'vite build', 'start': 'node server.js'},
     {'vite.config.ts': 'export default {build: {outDir: "www"}}'},
     NODE_SERVER, [server(5, 'npm run build', npm_ci(4), copy=UNKNOWN)]),  # the config moves it
    # a development server never uses the build: a static build is served by nginx instead
    ({'build': 'react-scripts build', 'start': 'react-scripts start'}, {}, NODE_SERVER,
     ['5:1: DH104 the final stage builds the frontend (`npm run build`) after installing the '
      'devDependencies (`npm ci`, line 4), but its command runs a development server '
      '(`react-scripts start`) that never uses the build, and the image ships Node, the '
      'sources and the devDependencies where the built files alone would do; build in a '
      f'stage `FROM node:20-alpine AS build` and COPY --from=build only /app/build {NGINX}']),
    ({'build': 'tsc -b && vite build', 'dev': 'vite'}, {}, NODE_SERVER,
     ['5:1: DH104 the final stage builds the frontend (`npm run build`) after installing the '
      'devDependencies (`npm ci`, line 4), but its command (`npm start`) runs no script the '
      'package.json defines and never uses the build, and the image ships Node, the sources '
      'and the devDependencies where the built files alone would do; build in a stage `FROM '
      f'node:20-alpine AS build` and COPY --from=build only /app/dist {NGINX}']),
    # ... and the dev server of a server framework makes a development image: not judged
    ({'build': 'next build', 'dev': 'next dev'},
     {}, NODE_SERVER.replace('"npm", "start"', '"npm", "run", "dev"'), []),
    (None, {}, NODE_SERVER.replace('"npm", "start"', '"yarn", "dev"'), []),
)


@pytest.mark.parametrize(('scripts', 'files', 'src', 'expected'), PROJECTS)
def test_what_the_build_makes(scripts, files, src, expected, clean_cwd, capsys):
    import json

    if scripts is not None:
        (clean_cwd / 'package.json').write_text(json.dumps({'scripts': scripts}))
    for name, text in files.items():
        (clean_cwd / name).write_text(text)
    ret, out = run_main(main, clean_cwd / 'Dockerfile', capsys, src)
    assert (ret, out) == (1 if expected else 0, expected)


def test_dev_server_command_without_package_json(clean_cwd, capsys):
    """`npx vite` is Vite's dev server: the build's output is served by nginx; its folder is
    not named, as no file shows it."""
    src = NODE_SERVER.replace('"npm", "start"', '"npx", "vite", "--host"')
    ret, out = run_main(main, clean_cwd / 'Dockerfile', capsys, src)
    assert (ret, out) == (1, [
        '5:1: DH104 the final stage builds the frontend (`npm run build`) after installing the '
        'devDependencies (`npm ci`, line 4), but its command runs a development server (`npx '
        'vite --host`) that never uses the build, and the image ships Node, the sources and '
        'the devDependencies where the built files alone would do; build in a stage `FROM '
        f"node:20-alpine AS build` and COPY --from=build {UNKNOWN} {NGINX}"])


@pytest.mark.parametrize('target', ['/app/node_modules', 'node_modules'])
def test_node_modules_in_a_cache_mount(target, clean_cwd, capsys):
    """An install into a cache or tmpfs mount reaches no layer: the image keeps only the
    production install of the next RUN."""
    src = df('FROM node:20-alpine', 'WORKDIR /app', 'COPY . .',
             f'RUN --mount=type=cache,target={target} npm ci && npm run build',
             'RUN npm ci --omit=dev', 'CMD ["node", "dist/server.js"]')
    assert run_main(main, clean_cwd / 'Dockerfile', capsys, src) == (0, [])


def test_nest_build_is_a_build(clean_cwd, capsys):
    src = df('FROM node:20-alpine', 'WORKDIR /app', 'COPY . .', 'RUN npm ci',
             'RUN npx nest build', 'CMD ["node", "dist/main"]')
    assert run_main(main, clean_cwd / 'Dockerfile', capsys, src) == (1, [
        server(5, 'npx nest build', npm_ci(4))])


@pytest.mark.parametrize('image_key', sorted(
    __import__('dockhooks.dockerfile_no_build_tools_in_final_stage',
               fromlist=['TOOLCHAIN_IMAGES']).TOOLCHAIN_IMAGES))
def test_every_toolchain_image_has_its_build_commands(image_key):
    """The rule says "nothing in the image is built with it" only when no RUN builds: every
    toolchain image it knows must come with build commands it recognises (cabal for haskell,
    mix for elixir, swift build ...)."""
    from dockhooks._shell import split_commands
    from dockhooks.dockerfile_no_build_tools_in_final_stage import TOOLCHAIN_BUILDS
    from dockhooks.dockerfile_no_build_tools_in_final_stage import _compiles

    assert all(_compiles(c) for c in split_commands(TOOLCHAIN_BUILDS[image_key]))


def test_cabal_install_builds_in_a_haskell_image(clean_cwd, capsys):
    src = df('FROM haskell:8.8', 'RUN cabal update && cabal install brok',
             'ENTRYPOINT ["brok"]')
    assert run_main(main, clean_cwd / 'Dockerfile', capsys, src) == (1, [
        image(1, 'haskell:8.8')])


@pytest.mark.parametrize('header', [
    '# Builds an editable install. Not suitable for production use.',
    '# For testing only', '# Do not use this image in production!'])
def test_a_file_that_says_it_never_ships(header, clean_cwd, capsys):
    src = header + '\n' + df('FROM python:3.13-slim', 'RUN apt-get install -y gcc',
                              'RUN pip install -e .', 'CMD ["app"]')
    assert run_main(main, clean_cwd / 'Dockerfile', capsys, src) == (0, [])
