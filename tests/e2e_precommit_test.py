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


def _install(name: str, tmp_path: Path, env: dict[str, str], ids: list[str],
             hooks: str = '') -> Path:
    """A git repository holding the example ``name`` (a folder of tmp_path when it is not one
    of examples/), with pre-commit running ``ids`` (or the hook entries ``hooks``)."""
    repo = tmp_path / name
    if (ROOT / 'examples' / name).is_dir():
        shutil.copytree(ROOT / 'examples' / name, repo)
    hooks += ''.join(f'    -   id: {i}\n' for i in ids)
    (repo / '.pre-commit-config.yaml').write_text(
        f'repos:\n-   repo: {ROOT}\n    rev: {env["DOCKHOOKS_REV"]}\n    hooks:\n{hooks}')
    assert _git(repo, 'init', '-q', '-b', 'main', env=env).returncode == 0
    installed = subprocess.run((str(PRE_COMMIT), 'install'), cwd=repo, env=env,
                               capture_output=True, text=True, check=False)
    assert installed.returncode == 0, installed.stderr
    return repo


def _commit(repo: Path, env: dict[str, str], message: str) -> subprocess.CompletedProcess[str]:
    assert _git(repo, 'add', '-A', env=env).returncode == 0
    return _git(repo, 'commit', '-q', '-m', message, env=env)


def _commit_example(name: str, tmp_path: Path, env: dict[str, str],
                    ids: list[str]) -> subprocess.CompletedProcess[str]:
    return _commit(_install(name, tmp_path, env, ids), env, 'add the stack')


def test_bad_example_commit_is_blocked(tmp_path: Path, env: dict[str, str]) -> None:
    ids = [i for i in _hook_ids() if i != 'dockhooks']
    result = _commit_example('bad', tmp_path, env, ids)
    out = result.stdout + result.stderr
    assert result.returncode == 1, out
    # the commit described in the README: FROM python, no USER, ENV SECRET_KEY=...
    assert ('api/Dockerfile:2:1: DH101 base image python has no tag, so it means :latest; '
            'pin a version: FROM python:<version>') in out
    assert ('api/Dockerfile:2:1: DH102 the final stage has no USER and its base image python '
            'runs as root, so the container does too; add RUN useradd --create-home --uid '
            '10001 appuser, then USER appuser before CMD (line 14)') in out
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


# examples/bad/compose.yaml with its services in another order, indented by four, and lines
# inserted: every finding in it is the same finding
REORDERED = """\
# the services of the bad example, in another order
services:
    pgadmin:
        image: dpage/pgadmin4:latest
        ports:
        -   "5050:80"
    web:
        build: ./web
        ports:
        -   "8080:80"
        depends_on:
        -   api
    db:
        image: postgres
        environment:
            POSTGRES_PASSWORD: hunter2
    api:
        build: ./api

        environment:
            DATABASE_URL: postgres://app:hunter2@db:5432/app
            DJANGO_SECRET_KEY: django-insecure-8f2kq0c7x1mz9d3v
        depends_on:
        -   db
"""


def test_adopting_with_a_baseline(tmp_path: Path, env: dict[str, str]) -> None:
    """README, "Adopting on an existing repository": the hooks, `dockhooks baseline`, commit;
    then only a new problem blocks a commit."""
    repo = _install('bad', tmp_path, env, [i for i in _hook_ids() if i != 'dockhooks'])
    (repo / '.dockhooks.toml').write_text('baseline = ".dockhooks-baseline.json"\n')
    written = subprocess.run((str(PRE_COMMIT.parent / 'dockhooks'), 'baseline'), cwd=repo,
                             env=env, capture_output=True, text=True, check=False)
    assert (written.returncode, written.stderr) == (0, '')
    assert re.fullmatch(r'\.dockhooks-baseline\.json: recorded \d+ findings in 5 files\n',
                        written.stdout)
    result = _commit(repo, env, 'adopt dockhooks')
    assert result.returncode == 0, result.stdout + result.stderr
    # lines inserted, services reordered and re-indented: still the same findings
    (repo / 'compose.yaml').write_text(REORDERED)
    for name in ('api/Dockerfile', 'web/Dockerfile'):
        text = (repo / name).read_text()
        (repo / name).write_text(f'# syntax=docker/dockerfile:1\n\n{text}'.replace(
            '\nWORKDIR /app\n', '\nLABEL org.opencontainers.image.title=app\n\nWORKDIR /app\n'))
    result = _commit(repo, env, 'reorder')
    assert result.returncode == 0, result.stdout + result.stderr
    # one new problem: blocked, with exactly that finding
    dockerfile = (repo / 'api/Dockerfile').read_text()
    (repo / 'api/Dockerfile').write_text(dockerfile.replace(
        '\nCOPY . .\n', '\nENV AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY\n'
                        'COPY . .\n'))
    result = _commit(repo, env, 'a new secret')
    out = result.stdout + result.stderr
    assert result.returncode == 1, out
    assert re.findall(r'^.*:\d+:\d+: DH\d{3} .*$', out, re.M) == [
        'api/Dockerfile:14:1: DH103 ENV AWS_SECRET_ACCESS_KEY bakes a secret into the image '
        'config; remove it and give it at run time (docker run -e AWS_SECRET_ACCESS_KEY, compose '
        'environment from .env or secrets:), or use RUN --mount=type=secret for build steps']
    assert '- hook id: dockerfile-no-secrets\n- exit code: 1' in out
    assert out.count('- exit code: 1') == 1
    assert 'wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY' not in (
        repo / '.dockhooks-baseline.json').read_text() + out


FIXABLE = ('FROM debian:12.8-slim\n'
           'RUN apt-get update && apt-get install -y --no-install-recommends curl\n'
           'USER nobody\nCMD ["curl", "--version"]\n')
FIXED = ('FROM debian:12.8-slim\n'
         'RUN apt-get update && apt-get install -y --no-install-recommends curl \\\n'
         '    && rm -rf /var/lib/apt/lists/*\n'
         'USER nobody\nCMD ["curl", "--version"]\n')


def test_a_fixing_hook_fails_once_then_the_commit_passes(tmp_path: Path,
                                                         env: dict[str, str]) -> None:
    """pre-commit's fixer protocol, with enough files that pre-commit runs each hook in
    parallel processes over partitions of them: the first commit is blocked and every file
    is fixed exactly once (two fixing hooks on the same files, the single hook and the
    all-in-one one), the fix is staged, and the next commit passes."""
    repo = tmp_path / 'fixing'
    for k in range(60):
        (repo / f'svc{k:02}').mkdir(parents=True)
        (repo / f'svc{k:02}' / 'Dockerfile').write_text(FIXABLE)
    _install('fixing', tmp_path, env, [], hooks=(
        '    -   id: dockerfile-clean-package-install\n'
        '        args: [--fix]\n'
        '    -   id: dockhooks\n'
        '        args: [--fix, --select, DH106]\n'))
    result = _commit(repo, env, 'sixty services')
    out = result.stdout + result.stderr
    assert result.returncode == 1, out
    assert 'files were modified by this hook' in out
    assert sorted(re.findall(r'^Fixing (\S+)$', out, re.M)) == [
        f'svc{k:02}/Dockerfile' for k in range(60)]  # by the first hook; the second has none
    assert re.findall(r'^.*:\d+:\d+: DH\d{3} .*$', out, re.M) == []
    for k in range(60):
        assert (repo / f'svc{k:02}' / 'Dockerfile').read_text() == FIXED
    result = _commit(repo, env, 'sixty services')
    assert result.returncode == 0, result.stdout + result.stderr
