from __future__ import annotations

import pytest
from dockhooks._images import CODENAMES
from dockhooks._images import Fix
from dockhooks._images import ImageRef
from dockhooks._images import judge
from dockhooks._images import mark
from dockhooks._images import parse_image
from dockhooks._images import place

PARSE = (
    ('python', ImageRef(None, 'python', None, None)),
    ('python:3.12', ImageRef(None, 'python', '3.12', None)),
    ('python@sha256:abc', ImageRef(None, 'python', None, 'sha256:abc')),
    ('python:3.12@sha256:abc', ImageRef(None, 'python', '3.12', 'sha256:abc')),
    ('user/app:2', ImageRef(None, 'user/app', '2', None)),  # no dot: a Docker Hub user
    ('docker.io/library/python', ImageRef('docker.io', 'library/python', None, None)),
    ('ghcr.io/a/b/c:tag', ImageRef('ghcr.io', 'a/b/c', 'tag', None)),
    # a registry port is not a tag
    ('localhost:5000/team/app', ImageRef('localhost:5000', 'team/app', None, None)),
    ('localhost:5000/team/app:1.2@sha256:ff',
     ImageRef('localhost:5000', 'team/app', '1.2', 'sha256:ff')),
    ('registry:5000/app', ImageRef('registry:5000', 'app', None, None)),  # port: a registry
    ('localhost/app', ImageRef('localhost', 'app', None, None)),
    ('python:', ImageRef(None, 'python', '', None)),
)


@pytest.mark.parametrize(('ref', 'expected'), PARSE)
def test_parse_image(ref, expected):
    assert parse_image(ref) == expected


@pytest.mark.parametrize(('ref', 'short'), (
    ('python', 'python'),
    ('docker.io/library/python:3', 'python'),
    ('ghcr.io/a/b/c', 'c'),
))
def test_short(ref, short):
    assert parse_image(ref).short == short


LATEST = 'uses the tag latest, which moves with every release'
NO_TAG = 'has no tag, so it means :latest'
DIGEST = 'is not pinned by digest'


def _floating(tag: str) -> str:
    return f'uses the floating tag {tag!r}, which carries no version and moves'


def _problem(ref: str, **kwargs: object) -> str | None:
    found = judge(parse_image(ref), **kwargs)  # type: ignore[arg-type]
    return None if found is None else found.problem


TAGS = (
    ('python', {}, NO_TAG),
    ('python:', {}, NO_TAG),  # empty tag
    ('python:latest', {}, LATEST),
    ('python:LATEST', {}, LATEST),
    ('python:3.13-slim', {}, None),
    ('alpine3', {}, NO_TAG),
    ('x:alpine3.20', {}, None),  # a digit anywhere is a version
    ('node:lts', {}, _floating('lts')),
    ('node:lts-alpine', {}, _floating('lts-alpine')),
    ('nginx:stable', {}, _floating('stable')),
    ('nginx:mainline-alpine', {}, _floating('mainline-alpine')),
    ('python:slim', {}, _floating('slim')),
    ('debian:bookworm', {}, None),  # codenames name a fixed release
    ('debian:bookworm-slim', {}, None),
    ('debian:Bookworm', {}, None),
    ('ubuntu:jammy', {}, None),
    ('ubuntu:noble_x', {}, None),
    ('ubuntu:trixie.backports', {}, None),
    ('node:iron', {}, None),  # a Node.js LTS line is a major, as node:20 is
    # suites and channels that no version names: sid, edge, ...
    ('debian:sid', {}, "uses the tag 'sid': sid is a suite or channel that no version names, "
                       'so it moves with every build'),
    ('debian:sid-slim', {}, "uses the tag 'sid-slim': sid is a suite or channel that no "
                            'version names, so it moves with every build'),
    ('alpine:edge', {}, "uses the tag 'edge': edge is a suite or channel that no version "
                        'names, so it moves with every build'),
    ('debian:sid-20250203-slim', {}, None),  # a dated snapshot of sid
    # latest moves, whatever digits stand beside it
    ('lukemathwalker/cargo-chef:latest-rust-1.97.1-bookworm', {},
     "uses the tag 'latest-rust-1.97.1-bookworm', whose word latest moves with every release"),
    # ... but `<version>-latest` names a release line, the newest patch of release N, as
    # postgres:16 does
    ('mcr.microsoft.com/mssql/server:2025-latest', {}, None),
    ('prefecthq/prefect:3-latest-python3.12', {}, None),
    ('acme/app:16.4-latest', {}, None),
    ('mcr.microsoft.com/mssql/server:2025-latest', {'require_digest': True}, DIGEST),
    ('acme/app:rpi-latest', {},
     "uses the tag 'rpi-latest', whose word latest moves with every release"),
    # the major every alpine release shares is no release line
    ('alpine:3-latest', {}, "uses the tag '3-latest', whose word latest moves with every "
                            'release'),
    # the one major every release of the image shares moves as latest does
    ('alpine:3', {}, "uses the tag '3': 3 is the major version every alpine release shares, so "
                     'it moves with each release as latest does'),
    ('python:3-slim', {}, "uses the tag '3-slim': 3 is the major version every python release "
                          'shares, so it moves with each release as latest does'),
    ('alpine:3.21', {}, None),
    ('python:2-alpine', {}, None),  # Python 2 is over: its last release no longer moves
    ('node:22-alpine', {}, None),  # a Node.js major is a release line
    ('example/alpine:3', {}, None),  # only images whose history is known
    ('x:jammy', {'codenames': ()}, _floating('jammy')),
    ('x:kaiju', {'codenames': CODENAMES | {'kaiju'}}, None),
    ('x:kaiju-slim', {'codenames': ('kaiju',)}, None),
    ('python@sha256:abc', {}, None),  # a digest pins whatever the tag
    ('python:latest@sha256:abc', {}, None),
    ('python:3.12', {'require_digest': True}, DIGEST),
    ('python', {'require_digest': True}, DIGEST),
    ('python:3.12@sha256:abc', {'require_digest': True}, None),
    # a release line in the repository's name pins it
    ('gcr.io/distroless/static-debian12', {}, None),
    ('gcr.io/distroless/static-debian12:nonroot', {}, None),
    ('redhat/ubi9-minimal:latest', {}, None),
)


@pytest.mark.parametrize(('ref', 'kwargs', 'problem'), TAGS)
def test_problem(ref, kwargs, problem):
    assert _problem(ref, **kwargs) == problem


OR_DIGEST = 'or, where it publishes no such tag, a digest'
FIXES = (
    # an Official Image: the version replaces the floating words, the variant stays
    ('python', False, (('pin a version', 'python:<version>'),)),
    ('python:latest', False, (('pin a version', 'python:<version>'),)),
    ('node:lts-alpine', False, (('pin a version', 'node:<version>-alpine'),)),
    ('php:cli', False, (('pin a version', 'php:<version>-cli'),)),
    ('redis:alpine', False, (('pin a version', 'redis:<version>-alpine'),)),
    ('nginx:mainline-alpine-slim', False, (('pin a version', 'nginx:<version>-alpine-slim'),)),
    ('rabbitmq:management', False, (('pin a version', 'rabbitmq:<version>-management'),)),
    ('docker.io/library/python', False,
     (('pin a version', 'docker.io/library/python:<version>'),)),
    # another image may publish no version tags: a digest is the alternative
    ('ghcr.io/org/python', False, (('pin a version', 'ghcr.io/org/python:<version>'),
                                   (OR_DIGEST, 'ghcr.io/org/python@sha256:<digest>'))),
    ('localhost:5000/team/app', False,
     (('pin a version', 'localhost:5000/team/app:<version>'),
      (OR_DIGEST, 'localhost:5000/team/app@sha256:<digest>'))),
    ('acme/app:latest-py3', False, (('pin a version', 'acme/app:<version>-py3'),
                                    (OR_DIGEST, 'acme/app:latest-py3@sha256:<digest>'))),
    # a word that is no known variant selects something no versioned tag is known to name
    # (openzipkin/brave-example publishes :armeria only): a digest
    ('ghcr.io/openzipkin/brave-example:armeria', False,
     (('pin it by digest', 'ghcr.io/openzipkin/brave-example:armeria@sha256:<digest>'),)),
    ('myimage:kaiju', False, (('pin it by digest', 'myimage:kaiju@sha256:<digest>'),)),
    ('acme/app:develop', False, (('pin it by digest', 'acme/app:develop@sha256:<digest>'),)),
    # a floating word after others: how its versioned tags are spelt is not known
    ('acme/app:rpi-latest', False,
     (('pin it by digest', 'acme/app:rpi-latest@sha256:<digest>'),)),
    # a suite: a dated snapshot where the image publishes them, else a digest; never a
    # <version>, which would be another image
    ('debian:sid-slim', False, (('pin a dated snapshot', 'debian:sid-<YYYYMMDD>-slim'),
                                ('or a digest', 'debian:sid-slim@sha256:<digest>'))),
    ('alpine:edge', False, (('pin a dated snapshot', 'alpine:<YYYYMMDD>'),
                            ('or a digest', 'alpine:edge@sha256:<digest>'))),
    ('buildpack-deps:sid-curl', False,
     (('pin it by digest', 'buildpack-deps:sid-curl@sha256:<digest>'),)),
    # the one major every release shares: the release line
    ('alpine:3', False, (('pin a release', 'alpine:3.<minor>'),)),
    ('python:3-slim-bookworm', False, (('pin a release', 'python:3.<minor>-slim-bookworm'),)),
    # Caddy 2.x since 2020, nginx 1.x: the same shape as alpine:3
    ('caddy:2-alpine', False, (('pin a release', 'caddy:2.<minor>-alpine'),)),
    ('caddy:2', False, (('pin a release', 'caddy:2.<minor>'),)),
    ('nginx:1', False, (('pin a release', 'nginx:1.<minor>'),)),
    # a word followed by a version is a component the tag pins: the publisher's versioned
    # tags keep it after theirs (strimzi/kafka:0.48.0-kafka-4.1.0)
    ('quay.io/strimzi/kafka:latest-kafka-4.1.0', False,
     (('pin a version', 'quay.io/strimzi/kafka:<version>-kafka-4.1.0'),
      (OR_DIGEST, 'quay.io/strimzi/kafka:latest-kafka-4.1.0@sha256:<digest>'))),
    ('lukemathwalker/cargo-chef:latest-rust-1.97.1-bookworm', False,
     (('pin a version', 'lukemathwalker/cargo-chef:<version>-rust-1.97.1-bookworm'),
      (OR_DIGEST, 'lukemathwalker/cargo-chef:latest-rust-1.97.1-bookworm@sha256:<digest>'))),
    ('acme/app:latest-armeria', False,
     (('pin it by digest', 'acme/app:latest-armeria@sha256:<digest>'),)),
    # distroless: the name with the Debian release, or a digest
    ('gcr.io/distroless/static:nonroot', False,
     (('name the release (-debian12 or -debian13)',
       'gcr.io/distroless/static-debian12:nonroot'),
      ('or pin it by digest', 'gcr.io/distroless/static:nonroot@sha256:<digest>'))),
    ('gcr.io/distroless/cc', False,
     (('name the release (-debian12 or -debian13)', 'gcr.io/distroless/cc-debian12'),
      ('or pin it by digest', 'gcr.io/distroless/cc@sha256:<digest>'))),
    ('gcr.io/distroless/java', False,
     (('pin it by digest', 'gcr.io/distroless/java@sha256:<digest>'),)),
    # Chainguard's free tier publishes no version tags
    ('cgr.dev/chainguard/node:latest', False,
     (('pin it by digest (the registry publishes no version tags)',
       'cgr.dev/chainguard/node:latest@sha256:<digest>'),)),
    # --require-digest
    ('python:3.12', True, (('pin it by digest', 'python:3.12@sha256:<digest>'),)),
    ('python', True, (('pin it by digest', 'python@sha256:<digest>'),)),
    ('ghcr.io/org/app:1.0', True, (('pin it by digest', 'ghcr.io/org/app:1.0@sha256:<digest>'),)),
)


@pytest.mark.parametrize(('ref', 'require_digest', 'expected'), FIXES)
def test_fixes(ref, require_digest, expected):
    found = judge(parse_image(ref), require_digest=require_digest)
    assert found is not None
    assert tuple(found.fixes) == tuple(Fix(how, text) for how, text in expected)


@pytest.mark.parametrize(('marked', 'new', 'source', 'expected'), (
    # the ARG that writes the tag changes, the reference keeps its variable
    ((0, 'latest'), 'app:<version>', 'latest', (0, '<version>')),
    # an insertion goes to the word it extends, not to a separator
    ((0, 'alpine'), 'postgres:<version>-alpine', 'alpine', (0, '<version>-alpine')),
))
def test_place_in_the_arg_that_writes_the_tag(marked, new, source, expected):
    index, value = marked
    head = new.split(':', 1)[0] + ':'
    text = head + (mark(index, value) or '')
    found = place(head + value, text, (Fix('pin a version', new),),
                  lambda k: source if k == index else None)
    assert found is not None
    assert (found[0], found[1][0][1]) == expected


def test_place_keeps_a_variable_default():
    # compose: `${TAG:-latest}` is written in the reference itself: its default changes
    found = place('app:latest', 'app:latest', (Fix('pin a version', 'app:<version>'),),
                  lambda k: 'app:${TAG:-latest}' if k < 0 else None)
    assert found is not None and found[1][0][1] == 'app:${TAG:-<version>}'


def test_place_drops_a_digest_that_would_silence_a_variable():
    # `debian:${SUITE}-slim@sha256:...` would no longer change with SUITE
    text = 'debian:' + (mark(0, 'sid') or '') + '-slim'
    fixes = (Fix('pin a dated snapshot', 'debian:sid-<YYYYMMDD>-slim'),
             Fix('or a digest', 'debian:sid-slim@sha256:<digest>'))
    found = place('debian:sid-slim', text, fixes,
                  lambda k: 'debian:${SUITE}-slim' if k < 0 else 'sid')
    assert found is not None
    assert found[1] == [(fixes[0], 'debian:${SUITE}-<YYYYMMDD>-slim')]
