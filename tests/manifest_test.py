"""The pre-commit manifest's file patterns, tested as pre-commit applies them (re.search on
the repository-relative path), and kept equal to the patterns `dockhooks check` uses."""
from __future__ import annotations

import functools
import re
from pathlib import Path

import pytest
from dockhooks import _files
from dockhooks._registry import RULES

ROOT = Path(__file__).resolve().parents[1]


@functools.cache
def _manifest() -> dict[str, dict[str, object]]:
    from ruamel.yaml import YAML

    hooks = YAML(typ='safe').load((ROOT / '.pre-commit-hooks.yaml').read_text())
    return {h['id']: h for h in hooks}


def _selected(hook: dict[str, object], path: str) -> bool:
    files = re.compile(str(hook.get('files', '')))
    exclude = hook.get('exclude')
    return bool(files.search(path)) and not (exclude and re.search(str(exclude), path))


DOCKERFILES = (
    ('Dockerfile', True),
    ('Containerfile', True),
    ('Dockerfile.prod', True),
    ('Dockerfile-dev', True),
    ('prod.Dockerfile', True),
    ('api.dockerfile', True),
    ('services/api/Dockerfile', True),
    ('docker/test.Containerfile', True),
    ('Dockerfile.dockerignore', False),      # BuildKit's per-Dockerfile ignore file
    ('app.Dockerfile.dockerignore', False),
    ('Dockerfile.md', False),                 # documentation about a Dockerfile
    ('Dockerfile.template', False),           # docker-library templates are not Dockerfiles
    ('Dockerfile.j2', False),
    ('docs/Dockerfile.txt', False),
    ('MyDockerfileNotes', False),
    ('README.md', False),
)
COMPOSE = (
    ('compose.yaml', True),
    ('compose.yml', True),
    ('docker-compose.yaml', True),
    ('docker-compose.yml', True),
    ('compose.override.yaml', True),
    ('docker-compose.override.yml', True),
    ('compose.prod.yaml', True),
    ('docker-compose.staging.yml', True),
    ('deploy/docker-compose.yml', True),
    ('docker-compose-dev.yml', True),        # a common -f name
    ('compose.json', False),
    ('my-compose.yaml', False),
    ('composer.yaml', False),
    ('compose..yaml', False),
    ('.github/workflows/ci.yml', False),
)
ENV_FILES = (
    ('.env', True),
    ('.env.local', True),
    ('.env.production', True),
    ('prod.env', True),
    ('config/.env', True),
    ('.envrc', False),
    ('environment.yml', False),
    ('.env.patch', False),  # other kinds of file named after an env file
    ('config/.env.sh', False),
    ('.env.gpg', False),
    ('venv/bin/python', False),
)


def _hooks_of_kind(kind: str) -> list[str]:
    return [r.hook for r in RULES if r.kind == kind]


@pytest.mark.parametrize(('path', 'expected'), DOCKERFILES)
@pytest.mark.parametrize('hook_id', _hooks_of_kind('dockerfile'))
def test_dockerfile_hooks_select(hook_id, path, expected):
    assert _selected(_manifest()[hook_id], path) is expected
    assert (_files.kind_of(path) == 'dockerfile') is expected


@pytest.mark.parametrize(('path', 'expected'), COMPOSE)
@pytest.mark.parametrize('hook_id', _hooks_of_kind('compose'))
def test_compose_hooks_select(hook_id, path, expected):
    assert _selected(_manifest()[hook_id], path) is expected
    assert (_files.kind_of(path) == 'compose') is expected


@pytest.mark.parametrize(('path', 'expected'), ENV_FILES)
def test_env_file_hook_selects(path, expected):
    assert _selected(_manifest()['no-committed-env-files'], path) is expected


@pytest.mark.parametrize(('path', 'expected'), (
    *DOCKERFILES[:8], *COMPOSE[:10], *ENV_FILES[:5],
    ('.dockerignore', True),
    ('api/Dockerfile.dockerignore', True),
    ('README.md', False),
    ('package.json', False),
))
def test_all_in_one_and_context_hooks_select(path, expected):
    manifest = _manifest()
    assert _selected(manifest['dockhooks'], path) is expected
    assert _selected(manifest['dockerignore-complete'], path) is expected


def test_manifest_patterns_are_the_ones_dockhooks_check_uses():
    manifest = _manifest()
    for hook_id in _hooks_of_kind('dockerfile'):
        assert manifest[hook_id]['files'] == _files.DOCKERFILE_FILES
        assert manifest[hook_id]['exclude'] == _files.DOCKERFILE_EXCLUDE
    for hook_id in _hooks_of_kind('compose'):
        assert manifest[hook_id]['files'] == _files.COMPOSE_FILES
    assert manifest['no-committed-env-files']['files'] == _files.ENV_FILES
    assert manifest['no-committed-env-files']['exclude'] == _files.ENV_EXCLUDE


def test_context_hook_sees_the_whole_repository():
    # pre-commit must not narrow dockerignore-complete to the changed files
    assert _manifest()['dockerignore-complete']['pass_filenames'] is False
