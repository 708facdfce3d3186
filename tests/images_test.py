from __future__ import annotations

import pytest
from dockhooks._images import CODENAMES
from dockhooks._images import ImageRef
from dockhooks._images import parse_image
from dockhooks._images import suggestion
from dockhooks._images import tag_problem

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
    ('alpine:edge', {}, _floating('edge')),
    ('python:slim', {}, _floating('slim')),
    ('debian:bookworm', {}, None),  # codenames name a fixed release
    ('debian:bookworm-slim', {}, None),
    ('debian:Bookworm', {}, None),
    ('ubuntu:jammy', {}, None),
    ('ubuntu:noble_x', {}, None),
    ('ubuntu:trixie.backports', {}, None),
    ('debian:sid', {}, _floating('sid')),  # unstable moves every day: not a codename
    ('debian:sid-slim', {}, _floating('sid-slim')),
    ('x:jammy', {'codenames': ()}, _floating('jammy')),
    ('x:kaiju', {'codenames': CODENAMES | {'kaiju'}}, None),
    ('x:kaiju-slim', {'codenames': ('kaiju',)}, None),
    ('python@sha256:abc', {}, None),  # a digest pins whatever the tag
    ('python:latest@sha256:abc', {}, None),
    ('python:3.12', {'require_digest': True}, DIGEST),
    ('python', {'require_digest': True}, DIGEST),
    ('python:3.12@sha256:abc', {'require_digest': True}, None),
)


@pytest.mark.parametrize(('ref', 'kwargs', 'problem'), TAGS)
def test_tag_problem(ref, kwargs, problem):
    assert tag_problem(parse_image(ref), **kwargs) == problem


SUGGESTIONS = (
    # the version replaces the floating words; the variant stays, no fixed example is made up
    ('python', False, 'python:<version>'),
    ('python:latest', False, 'python:<version>'),
    ('library/node:lts', False, 'library/node:<version>'),
    ('node:lts-alpine', False, 'node:<version>-alpine'),
    ('php:cli', False, 'php:<version>-cli'),
    ('redis:alpine', False, 'redis:<version>-alpine'),
    ('nginx:mainline-alpine-slim', False, 'nginx:<version>-alpine-slim'),
    ('docker.io/library/python', False, 'docker.io/library/python:<version>'),
    ('ghcr.io/org/python', False, 'ghcr.io/org/python:<version>'),
    ('myimage:kaiju', False, 'myimage:<version>-kaiju'),
    ('localhost:5000/team/app', False, 'localhost:5000/team/app:<version>'),
    # registries without version tags: a digest
    ('gcr.io/distroless/static:nonroot', False, 'gcr.io/distroless/static:nonroot@sha256:<digest>'),
    ('cgr.dev/chainguard/node:latest', False, 'cgr.dev/chainguard/node:latest@sha256:<digest>'),
    ('python:3.12', True, 'python:3.12@sha256:<digest>'),
    ('python', True, 'python@sha256:<digest>'),
    ('ghcr.io/org/app:1.0', True, 'ghcr.io/org/app:1.0@sha256:<digest>'),
)


@pytest.mark.parametrize(('ref', 'require_digest', 'expected'), SUGGESTIONS)
def test_suggestion(ref, require_digest, expected):
    assert suggestion(parse_image(ref), require_digest) == expected
