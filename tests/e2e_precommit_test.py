"""End to end through the real `pre-commit` binary, in temporary git repositories whose
`.pre-commit-config.yaml` points at this checkout (at its HEAD commit)."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from dockhooks._registry import RULES

ROOT = Path(__file__).resolve().parents[1]
PRE_COMMIT = Path(sys.executable).parent / 'pre-commit'


def _hook_ids() -> list[str]:
    from ruamel.yaml import YAML

    return [h['id'] for h in YAML(typ='safe').load((ROOT / '.pre-commit-hooks.yaml').read_text())]


def _git(repo: Path, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(('git', *args), cwd=repo, env=env, capture_output=True, text=True,
                          check=False)


@pytest.fixture(scope='module')
def env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    if shutil.which('git') is None or not PRE_COMMIT.exists():
        pytest.skip('git and pre-commit are needed for the end-to-end test')
    head = subprocess.run(('git', 'rev-parse', 'HEAD'), cwd=ROOT, capture_output=True,
                          text=True, check=False)
    if head.returncode != 0:
        pytest.skip('this checkout has no commit for pre-commit to install from')
    e = {k: v for k, v in os.environ.items() if not k.startswith('GIT_')}
    e.update({
        'PRE_COMMIT_HOME': str(tmp_path_factory.mktemp('pre-commit-home')),
        'GIT_AUTHOR_NAME': 'test', 'GIT_AUTHOR_EMAIL': 'test@example.invalid',
        'GIT_COMMITTER_NAME': 'test', 'GIT_COMMITTER_EMAIL': 'test@example.invalid',
        'GIT_CONFIG_GLOBAL': os.devnull, 'GIT_CONFIG_NOSYSTEM': '1',
        'DOCKHOOKS_REV': head.stdout.strip(),
    })
    e['PATH'] = f'{PRE_COMMIT.parent}{os.pathsep}{e.get("PATH", "")}'
    return e


def _commit_example(name: str, tmp_path: Path, env: dict[str, str],
                    ids: list[str]) -> subprocess.CompletedProcess[str]:
    repo = tmp_path / name
    shutil.copytree(ROOT / 'examples' / name, repo)
    hooks = ''.join(f'    -   id: {i}\n' for i in ids)
    (repo / '.pre-commit-config.yaml').write_text(
        f'repos:\n-   repo: {ROOT}\n    rev: {env["DOCKHOOKS_REV"]}\n    hooks:\n{hooks}')
    assert _git(repo, 'init', '-q', '-b', 'main', env=env).returncode == 0
    installed = subprocess.run((str(PRE_COMMIT), 'install'), cwd=repo, env=env,
                               capture_output=True, text=True, check=False)
    assert installed.returncode == 0, installed.stderr
    assert _git(repo, 'add', '-A', env=env).returncode == 0
    return _git(repo, 'commit', '-q', '-m', 'add the stack', env=env)


def test_bad_example_commit_is_blocked(tmp_path: Path, env: dict[str, str]) -> None:
    ids = [i for i in _hook_ids() if i != 'dockhooks']
    result = _commit_example('bad', tmp_path, env, ids)
    out = result.stdout + result.stderr
    assert result.returncode == 1, out
    # the commit described in the README: FROM python, no USER, ENV SECRET_KEY=...
    assert ('api/Dockerfile:2:1: DH101 base image python has no tag, so it means :latest; '
            'pin a version: FROM python:3.13-slim') in out
    assert ('api/Dockerfile:2:1: DH102 the final stage has no USER, so the container runs '
            'as root; add RUN useradd --uid 10001 appuser and USER appuser before CMD') in out
    assert 'api/Dockerfile:4:1: DH103 ENV SECRET_KEY bakes a secret' in out
    assert 'django-insecure' not in out  # never print a secret's value
    assert 'hunter2' not in out
    # the bad example breaks every practice of the collection: each hook fails on it
    for hook in ids:
        assert f'- hook id: {hook}\n- exit code: 1' in out, hook
    codes = set(re.findall(r':\d+:\d+: (DH\d{3}) ', out))
    assert codes == {info.code for info in RULES}
    log = _git(tmp_path / 'bad', 'log', '--oneline', env=env)
    assert log.returncode != 0  # no commit was made


def test_good_example_commit_passes(tmp_path: Path, env: dict[str, str]) -> None:
    result = _commit_example('good', tmp_path, env, _hook_ids())
    assert result.returncode == 0, result.stdout + result.stderr
    log = _git(tmp_path / 'good', 'log', '--oneline', env=env)
    assert log.stdout.count('\n') == 1


def test_all_in_one_hook_blocks_bad_example(tmp_path: Path, env: dict[str, str]) -> None:
    result = _commit_example('bad', tmp_path, env, ['dockhooks'])
    out = result.stdout + result.stderr
    assert result.returncode == 1, out
    assert 'api/Dockerfile:4:1: DH103 ENV SECRET_KEY bakes a secret' in out
