from __future__ import annotations

import os
import shutil
import subprocess

import pytest
from dockhooks import cli
from dockhooks.no_committed_env_files import main

SECRET = 'sk_live_51HfakeFAKEfake0000SECRET'


def env_file(path: str) -> str:
    return (f'{path}:1:1: DH302 {path} is a .env file: its secrets must not be committed; add '
            f'it to .gitignore, run git rm --cached {path}, and commit a .env.example with '
            f'placeholders instead')


def _run(capsys, *args: str) -> tuple[int, list[str], str]:
    rc = main(list(args))
    out, err = capsys.readouterr()
    return rc, out.splitlines(), err


@pytest.mark.parametrize('path', (
    '.env',
    '.env.local',
    '.env.production',
    '.env.development.local',
    '.env.test',
    'prod.env',
    'config/.env',
    'deploy/staging/.env.staging',
    'docker/db.env',
))
def test_env_files_fail(clean_cwd, capsys, path):
    (clean_cwd / path).parent.mkdir(parents=True, exist_ok=True)
    (clean_cwd / path).write_text(f'STRIPE_KEY={SECRET}\nDB_PASSWORD=hunter2\n')
    rc, out, err = _run(capsys, path)
    assert (rc, out, err) == (1, [env_file(path)], '')
    assert SECRET not in '\n'.join(out) + err  # the file is never read, let alone printed
    assert 'hunter2' not in '\n'.join(out) + err


@pytest.mark.parametrize('path', (
    '.env.example',
    '.env.sample',
    '.env.template',
    '.env.dist',
    '.env.defaults',
    '.env.tmpl',
    '.env.local.example',  # the template of a local file
    'example.env',
    'sample.env',
    'config/.env.example',
    '.envrc',  # direnv, not a .env file
    'environment.py',
    'README.md',
))
def test_templates_and_other_files_pass(clean_cwd, capsys, path):
    (clean_cwd / path).parent.mkdir(parents=True, exist_ok=True)
    (clean_cwd / path).write_text(f'KEY={SECRET}\n')
    assert _run(capsys, path) == (0, [], '')


def test_several_files_one_line_each(clean_cwd, capsys):
    for name in ('.env', '.env.example', 'prod.env'):
        (clean_cwd / name).write_text(f'KEY={SECRET}\n')
    rc, out, err = _run(capsys, '.env', '.env.example', 'prod.env')
    assert (rc, out, err) == (1, [env_file('.env'), env_file('prod.env')], '')


def test_no_files(clean_cwd, capsys):
    assert _run(capsys) == (0, [], '')


def test_json_report_never_holds_the_value(clean_cwd, capsys):
    (clean_cwd / '.env').write_text(f'KEY={SECRET}\n')
    rc, out, err = _run(capsys, '--format', 'json', '.env')
    assert rc == 1
    assert SECRET not in '\n'.join(out) + err
    assert '"DH302"' in '\n'.join(out)


@pytest.fixture
def git_env(monkeypatch):
    if shutil.which('git') is None:
        pytest.skip('git is needed')
    for key in list(os.environ):
        if key.startswith('GIT_'):
            monkeypatch.delenv(key)


def test_check_in_a_git_repository(clean_cwd, git_env, capsys, monkeypatch):
    repo = clean_cwd / 'repo'
    (repo / 'config').mkdir(parents=True)
    subprocess.run(('git', 'init', '-q'), cwd=repo, check=True, capture_output=True)
    (repo / '.gitignore').write_text('config/.env\n')
    (repo / '.env').write_text(f'KEY={SECRET}\n')  # untracked, not ignored: would be added
    (repo / 'config' / '.env').write_text(f'KEY={SECRET}\n')  # git-ignored: never committed
    (repo / '.env.example').write_text('KEY=\n')
    monkeypatch.chdir(repo)
    rc = cli.main(['check', '--select', 'DH302'])
    out, err = capsys.readouterr()
    assert (rc, out.splitlines(), err) == (1, [env_file('.env')], '')
    assert SECRET not in out + err
