from __future__ import annotations

import pytest
from dockhooks._files import kind_of

KINDS = (
    # Dockerfiles by every naming convention in use
    ('Dockerfile', 'dockerfile'),
    ('Containerfile', 'dockerfile'),
    ('Dockerfile.prod', 'dockerfile'),
    ('Dockerfile-dev', 'dockerfile'),
    ('Dockerfile.test', 'dockerfile'),  # hadolint#1010: not picked up by its hook
    ('prod.Dockerfile', 'dockerfile'),
    ('api.dockerfile', 'dockerfile'),
    ('docker/sub/Dockerfile', 'dockerfile'),
    ('dockerfile', 'dockerfile'),
    ('containerfile', 'dockerfile'),
    ('Containerfile.dev', 'dockerfile'),
    ('x.containerfile', 'dockerfile'),
    ('.Dockerfile', 'dockerfile'),
    # documentation, templates, scripts and backups named after a Dockerfile
    ('Dockerfile.md', None),
    ('Dockerfile.template', None),
    ('Dockerfile.j2', None),
    ('Dockerfile.prod.j2', None),
    ('Dockerfile.in', None),
    ('Dockerfile.bak', None),
    ('Dockerfile.sh', None),
    ('Dockerfile.txt', None),
    ('Dockerfile.yml', None),
    # per-Dockerfile ignore files are ignore files
    ('Dockerfile.dockerignore', 'dockerignore'),
    ('app.Dockerfile.dockerignore', 'dockerignore'),
    ('docker/test.Dockerfile.dockerignore', 'dockerignore'),
    ('.dockerignore', 'dockerignore'),
    ('sub/.dockerignore', 'dockerignore'),
    # compose files
    ('compose.yaml', 'compose'),
    ('compose.yml', 'compose'),
    ('docker-compose.yml', 'compose'),
    ('docker-compose.prod.yaml', 'compose'),
    ('compose.override.yml', 'compose'),
    ('deploy/compose.yaml', 'compose'),
    ('composer.yaml', None),
    ('my-compose.yaml', None),
    # other names
    ('README.md', None),
    ('mydockerfile', None),
    ('DockerfileX', None),
    ('Dockerfile_dev', None),
    ('foo.Dockerfile.prod', None),
    ('Dockerfiles/readme', None),
    ('docker/Dockerfile/x', None),  # a folder named Dockerfile
)


@pytest.mark.parametrize(('path', 'kind'), KINDS)
def test_kind_of(path, kind):
    assert kind_of(path) == kind
