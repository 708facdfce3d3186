from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from dockhooks import _context_size
from dockhooks import cli

NODE_DOCKERFILE = 'FROM node:22\nCOPY . .\nRUN npm ci\n'  # 33 bytes


def _tree(root: Path, files: dict[str, str | int]) -> None:
    """Files by path: text, or a size in bytes."""
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content if isinstance(content, str) else 'x' * content)


@pytest.fixture
def ctx(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A small Node context with known sizes: 8 files sent, 5,288 bytes."""
    monkeypatch.chdir(tmp_path)
    _tree(tmp_path / 'ctx', {
        'Dockerfile': NODE_DOCKERFILE,     # 33
        'package.json': '{}',              # 2
        '.dockerignore': 'node_modules\n',  # 13: only the root node_modules
        'debug.log': 40,
        'src/a.js': 1500,
        'src/b.js': 500,
        'node_modules/x/i.js': 1000,       # excluded
        'web/node_modules/y/i.js': 3000,   # sent: `node_modules` is root-only
        'web/app.js': 200,
    })
    return tmp_path / 'ctx'


def _run(capsys, *args: str) -> tuple[int, str, str]:
    rc = cli.main(['context-size', *args])
    out, err = capsys.readouterr()
    return rc, out, err


TEXT = '''\
build context: ctx
dockerfile:    ctx/Dockerfile
ignore file:   ctx/.dockerignore
sent:          8 files, 5.3 kB  (not sent: 1 files and folders)

largest folders sent:
     3.2 kB        2 files  web/
     2.0 kB        2 files  src/
       88 B        4 files  .

required entries not excluded (what excluding them would save):
     3.0 kB        1 files  node_modules  (add **/node_modules)
       40 B        1 files  log files  (add **/*.log)
        0 B        0 files  .env files  (add **/.env, **/.env.*)
'''


def test_text_report(ctx, capsys):
    assert _run(capsys, 'ctx') == (0, TEXT, '')


def test_json_report(ctx, capsys):
    rc, out, err = _run(capsys, 'ctx', '--format', 'json')
    assert (rc, err) == (0, '')
    assert json.loads(out) == {
        'context': 'ctx',
        'dockerfile': 'ctx/Dockerfile',
        'ignore_file': 'ctx/.dockerignore',
        'files': 8,
        'bytes': 5288,
        'excluded_files': 1,  # the node_modules folder, not walked
        'excluded_bytes': 0,
        'largest_folders': [
            {'path': 'web/', 'files': 2, 'bytes': 3200},
            {'path': 'src/', 'files': 2, 'bytes': 2000},
            {'path': '.', 'files': 4, 'bytes': 88},
        ],
        'missing': [
            # the nested node_modules the root-only pattern lets through
            {'entry': 'node_modules', 'patterns': ['**/node_modules'], 'files': 1,
             'bytes': 3000},
            {'entry': 'log files', 'patterns': ['**/*.log'], 'files': 1, 'bytes': 40},
            {'entry': '.env files', 'patterns': ['**/.env', '**/.env.*'], 'files': 0,
             'bytes': 0},
        ],
    }


def test_complete_ignore_file(ctx, capsys):
    (ctx / '.dockerignore').write_text('**/node_modules\n**/*.log\n**/.env\n**/.env.*\n')
    rc, out, err = _run(capsys, 'ctx')
    assert (rc, err) == (0, '')
    assert out.splitlines()[3] == 'sent:          6 files, 2.3 kB  (not sent: 3 files and folders)'
    assert out.splitlines()[-2:] == [
        'required entries not excluded (what excluding them would save):',
        '  (none: the ignore file is complete)',
    ]


def test_no_ignore_file(ctx, capsys):
    (ctx / '.dockerignore').unlink()
    rc, out, err = _run(capsys, 'ctx', '--format', 'json')
    report = json.loads(out)
    assert (rc, err, report['ignore_file']) == (0, '', None)
    assert (report['files'], report['bytes']) == (8, 6275)  # everything
    assert report['missing'][0] == {'entry': 'node_modules', 'patterns': ['**/node_modules'],
                                    'files': 2, 'bytes': 4000}
    rc, out, err = _run(capsys, 'ctx')
    assert out.splitlines()[2] == 'ignore file:   (none: everything is sent)'


def test_git_and_python_entries(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    _tree(tmp_path / 'repo', {
        'Dockerfile': 'FROM python:3.13-slim\nCOPY . /app\n',
        'app/main.py': 100,
        'app/__pycache__/main.cpython-313.pyc': 700,
        '.venv/bin/python': 5000,
        '.git/HEAD': 23,
        '.env.production': 50,
    })
    rc, out, err = _run(capsys, 'repo', '--format', 'json')
    assert (rc, err) == (0, '')
    assert [(m['entry'], m['files'], m['bytes']) for m in json.loads(out)['missing']] == [
        ('.git', 1, 23),
        ('.venv', 1, 5000),
        ('__pycache__', 1, 700),
        ('log files', 0, 0),
        ('.env files', 1, 50),
    ]


def test_dockerfile_option_and_its_own_ignore_file(ctx, capsys):
    _tree(ctx, {
        'docker/app.Dockerfile': 'FROM alpine:3.20\nCOPY . /srv\n',
        'docker/app.Dockerfile.dockerignore': '**/node_modules\n**/*.log\n**/.env\n**/.env.*\n',
    })
    dockerfile = os.path.join('ctx', 'docker', 'app.Dockerfile')
    rc, out, err = _run(capsys, 'ctx', '--dockerfile', dockerfile, '--format', 'json')
    report = json.loads(out)
    assert (rc, err) == (0, '')
    assert report['dockerfile'] == dockerfile
    assert report['ignore_file'] == 'ctx/docker/app.Dockerfile.dockerignore'  # BuildKit's pick
    assert report['missing'] == []
    # sent: Dockerfile, package.json, .dockerignore, src/a.js, src/b.js, web/app.js and the
    # two docker/ files; not sent: debug.log and the two node_modules folders
    assert (report['files'], report['excluded_files']) == (8, 3)


def test_default_dockerfile_is_none_without_one(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    _tree(tmp_path / 'site', {'index.html': 10})
    rc, out, err = _run(capsys, 'site')
    assert (rc, err) == (0, '')
    assert out.splitlines()[:4] == [
        'build context: site',
        'dockerfile:    (none)',
        'ignore file:   (none: everything is sent)',
        'sent:          1 files, 10 B  (not sent: 0 files and folders)',
    ]


def _walked(monkeypatch) -> list[str]:
    seen: list[str] = []
    real = os.scandir

    def scandir(path='.'):
        seen.append(str(path))
        return real(path)
    monkeypatch.setattr(_context_size.os, 'scandir', scandir)
    return seen


def test_excluded_folders_are_not_walked(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    _tree(tmp_path / 'ctx', {
        'Dockerfile': NODE_DOCKERFILE,
        '.dockerignore': '**/node_modules\n',
        'node_modules/a/1.js': 10, 'node_modules/a/2.js': 10, 'node_modules/b/3.js': 10,
        'web/node_modules/c/4.js': 10,
        'web/app.js': 10,
    })
    seen = _walked(monkeypatch)
    _context_size.main(['ctx', '--format', 'json'])
    report = json.loads(capsys.readouterr().out)
    # a folder that is excluded, with no `!` line to bring part of it back, is not entered
    assert not [p for p in seen if 'node_modules' in p]
    assert (report['files'], report['excluded_files'], report['excluded_bytes']) == (3, 2, 0)


def test_an_exception_line_turns_pruning_off(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    _tree(tmp_path / 'ctx', {
        'Dockerfile': NODE_DOCKERFILE,
        '.dockerignore': '**/node_modules\n!node_modules/b\n',
        'node_modules/a/1.js': 10, 'node_modules/a/2.js': 10, 'node_modules/b/3.js': 10,
        'web/app.js': 10,
    })
    seen = _walked(monkeypatch)
    _context_size.main(['ctx', '--format', 'json'])
    report = json.loads(capsys.readouterr().out)
    assert [p for p in seen if 'node_modules' in p]
    # node_modules/b/3.js comes back; the two files of node_modules/a are counted one by one
    assert (report['files'], report['excluded_files'], report['excluded_bytes']) == (4, 2, 20)


@pytest.mark.parametrize('arg', ('ctx/Dockerfile', 'missing'))
def test_not_a_folder(ctx, capsys, arg):
    assert _run(capsys, arg) == (
        2, '', f'dockhooks context-size: error: {arg} is not a folder\n')


def test_broken_ignore_file(ctx, capsys):
    (ctx / '.dockerignore').write_text('[\n')
    assert _run(capsys, 'ctx') == (
        1, '', "dockhooks context-size: error: the ignore file cannot be used: pattern '[' has "
               'an unclosed [...] class: Docker fails the build on it\n')


def test_default_folder_is_the_cwd(ctx, capsys, monkeypatch):
    monkeypatch.chdir(ctx)
    rc, out, err = _run(capsys)
    assert (rc, err) == (0, '')
    assert out.splitlines()[:3] == [
        'build context: .',
        'dockerfile:    ./Dockerfile',
        'ignore file:   .dockerignore',
    ]
