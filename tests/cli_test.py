from __future__ import annotations

import os
import subprocess
import sys

import pytest
from dockhooks import __version__
from dockhooks import cli
from dockhooks import dockerfile_no_secrets
from dockhooks import dockerfile_non_root_user
from dockhooks import dockerfile_pinned_base_image
from dockhooks._registry import RULES

# Other rules join the collection over time: these tests pin the three security rules.
THREE = ('--select', 'DH101,DH102,DH103')

NO_TAG = ('DH101 base image python has no tag, so it means :latest; pin a version: '
          'FROM python:<version>')
NODE_LATEST = ('DH101 base image node:latest uses the tag latest, which moves with every release; '
               'pin a version: FROM node:<version>')
NO_USER = ('DH102 the final stage has no USER and its base image node runs as root, so the '
           'container does too; add USER node before CMD (line 4)')
SECRET = ('DH103 ENV SECRET_KEY bakes a secret into the image config; remove it and give it at '
          'run time (docker run -e SECRET_KEY, compose environment from .env or secrets:), '
          'or use RUN --mount=type=secret for build steps')
ROOT = ('DH102 the image runs as root: USER root is the last USER of the final stage; end it '
        'as a non-root user instead: add RUN adduser -D -u 10001 appuser, then USER appuser at '
        'the end of the final stage')

UNPINNED = 'FROM python\nUSER app\n'
SECRET_AS_ROOT = 'FROM alpine:3.20\nUSER root\nENV SECRET_KEY=abc\n'
CLEAN = 'FROM alpine:3.20\nUSER app\n'
EVERYTHING = ('FROM python AS build\nENV SECRET_KEY=abc\nFROM node:latest\n'
              'CMD ["node", "server.js"]\n')
WITH_PRAGMAS = (
    '# dockhooks: ignore=DH101,DH404\n'
    'FROM python\n'
    '# dockhooks: ignore-file=DH103\n'
    'ENV SECRET_KEY=abc\n'
    'CMD ["app"]\n'
)


def _check(capsys, *args):
    rc = cli.main(['check', *args])
    out, err = capsys.readouterr()
    return rc, out.splitlines(), err


def test_check_files(clean_cwd, capsys):
    (clean_cwd / 'Dockerfile').write_text(UNPINNED)
    (clean_cwd / 'api.Dockerfile').write_text(SECRET_AS_ROOT)
    (clean_cwd / 'ok.Dockerfile').write_text(CLEAN)
    assert _check(capsys, *THREE, 'Dockerfile', 'api.Dockerfile', 'ok.Dockerfile') == (1, [
        f'Dockerfile:1:1: {NO_TAG}',
        f'api.Dockerfile:2:1: {ROOT}',
        f'api.Dockerfile:3:1: {SECRET}',
    ], '')


def test_check_clean_file(clean_cwd, capsys):
    (clean_cwd / 'Dockerfile').write_text(CLEAN)
    assert _check(capsys, *THREE, 'Dockerfile') == (0, [], '')


def test_check_every_rule_on_one_file(clean_cwd, capsys):
    (clean_cwd / 'Dockerfile').write_text(EVERYTHING)
    assert _check(capsys, *THREE, 'Dockerfile') == (1, [
        f'Dockerfile:1:1: {NO_TAG}',
        f'Dockerfile:2:1: {SECRET}',
        f'Dockerfile:3:1: {NODE_LATEST}',
        f'Dockerfile:3:1: {NO_USER}',
    ], '')


def test_check_explicit_files(clean_cwd, capsys):
    (clean_cwd / 'README.md').write_text('FROM python\n')
    (clean_cwd / 'nope.txt').write_text('FROM python\n')
    (clean_cwd / 'Dockerfile').mkdir()
    # a file of no known kind is skipped; a folder named like a Dockerfile is expanded
    assert _check(capsys, *THREE, 'README.md', 'nope.txt', 'Dockerfile') == (0, [], (
        'dockhooks: no Dockerfile, compose, .dockerignore or .env file to check in '
        'README.md, nope.txt, Dockerfile\n'))
    (clean_cwd / 'api.Dockerfile').write_bytes(b'FROM python:3.13-slim\n\xff\n')
    assert _check(capsys, *THREE, 'api.Dockerfile', 'README.md') == (1, [
        'api.Dockerfile:2:1: DH001 cannot be checked: is not UTF-8 text (byte 0xff at offset 22)',
    ], '')


def _tree(root):
    """A Dockerfile at the top, one in a subfolder, and ones that the walk must not read."""
    (root / 'Dockerfile').write_text(UNPINNED)
    (root / 'sub').mkdir()
    (root / 'sub' / 'Dockerfile.prod').write_text(SECRET_AS_ROOT)
    (root / 'sub' / 'README.md').write_text('FROM python\n')
    (root / 'sub' / 'Dockerfile.md').write_text('FROM python\n')
    for skipped in ('node_modules/pkg', '.venv', '__pycache__', '.tox'):
        (root / skipped).mkdir(parents=True)
        (root / skipped / 'Dockerfile').write_text('FROM python\n')
    (root / '.git').mkdir(exist_ok=True)
    (root / '.git' / 'Dockerfile').write_text('FROM python\n')
    os.symlink('..', root / 'sub' / 'loop')  # a symlink loop
    os.symlink('nowhere', root / 'sub' / 'broken.Dockerfile')  # a dangling link


EXPECTED_TREE = [
    f'Dockerfile:1:1: {NO_TAG}',
    f'sub/Dockerfile.prod:2:1: {ROOT}',
    f'sub/Dockerfile.prod:3:1: {SECRET}',
]


def test_check_walks_the_current_folder(clean_cwd, capsys):
    _tree(clean_cwd)
    assert _check(capsys, *THREE) == (1, EXPECTED_TREE, '')


def test_check_walks_named_folders(clean_cwd, capsys):
    _tree(clean_cwd)
    assert _check(capsys, *THREE, 'sub') == (1, EXPECTED_TREE[1:], '')
    rc, out, err = _check(capsys, *THREE, str(clean_cwd))
    assert (rc, out, err) == (1, [f'{clean_cwd}/{line}' for line in EXPECTED_TREE], '')


@pytest.fixture
def git_env(git_env, monkeypatch):
    """conftest's git_env, with an author for commits."""
    for key in ('GIT_AUTHOR_NAME', 'GIT_COMMITTER_NAME'):
        monkeypatch.setenv(key, 'test')
    for key in ('GIT_AUTHOR_EMAIL', 'GIT_COMMITTER_EMAIL'):
        monkeypatch.setenv(key, 'test@example.invalid')


def _git(repo, *args):
    subprocess.run(('git', *args), cwd=repo, check=True, capture_output=True)


def test_check_in_a_git_repository(clean_cwd, git_env, capsys):
    repo = clean_cwd / 'repo'
    repo.mkdir()
    _git(repo, 'init', '-q')
    (repo / 'Dockerfile').write_text(UNPINNED)
    (repo / 'gone.Dockerfile').write_text(UNPINNED)
    (repo / 'ignored').mkdir()
    (repo / 'ignored' / 'Dockerfile').write_text(UNPINNED)
    (repo / '.gitignore').write_text('ignored/\n')
    _git(repo, 'add', 'Dockerfile', 'gone.Dockerfile', '.gitignore')
    _git(repo, 'commit', '-q', '--no-gpg-sign', '--no-verify', '-m', 'init')
    (repo / 'gone.Dockerfile').unlink()  # tracked, deleted from the work tree
    (repo / 'new.Dockerfile').write_text(SECRET_AS_ROOT)  # untracked, not ignored
    assert _check(capsys, *THREE, 'repo') == (1, [
        f'repo/Dockerfile:1:1: {NO_TAG}',
        # pinned: files git would add (untracked, not ignored) are checked too
        f'repo/new.Dockerfile:2:1: {ROOT}',
        f'repo/new.Dockerfile:3:1: {SECRET}',
    ], '')


def test_check_reports_only_on_what_it_was_given(clean_cwd, git_env, capsys):
    # a folder of git-ignored files: nothing to check there, and nothing from elsewhere in
    # the repository (the build-context rule once judged every context of the repository)
    repo = clean_cwd / 'repo'
    repo.mkdir()
    _git(repo, 'init', '-q')
    (repo / 'Dockerfile').write_text('FROM python:3.13-slim\nCOPY . .\n')
    (repo / 'ignored').mkdir()
    (repo / 'ignored' / 'Dockerfile').write_text(UNPINNED)
    (repo / '.gitignore').write_text('ignored/\n')
    os.chdir(repo)
    assert _check(capsys, 'ignored') == (0, [], (
        'dockhooks: no Dockerfile, compose, .dockerignore or .env file to check in ignored\n'))
    assert _check(capsys, '--select', 'DH301', '.') == (1, [
        'Dockerfile:1:1: DH301 build context . has no .dockerignore to keep .git out of '
        'COPY; create one excluding .git',
    ], '')


@pytest.mark.parametrize('args', (('missing',), ('Dockerfile', 'missing/compose.yaml')))
def test_check_a_path_that_does_not_exist(args, clean_cwd, capsys):
    # a typo in a path is a usage error, not a clean run
    (clean_cwd / 'Dockerfile').write_text(UNPINNED)
    missing = next(a for a in args if a != 'Dockerfile')
    assert _check(capsys, *args) == (
        2, [], f'dockhooks: error: {missing}: no such file or directory\n')


@pytest.mark.parametrize(('args', 'expected'), (
    (('--select', 'DH101'), [f'Dockerfile:1:1: {NO_TAG}', f'Dockerfile:3:1: {NODE_LATEST}']),
    (('--select', 'dh103'), [f'Dockerfile:2:1: {SECRET}']),  # codes in any case
    (('--select', 'dockerfile-no-secrets'), [f'Dockerfile:2:1: {SECRET}']),  # hook ids
    (('--select', 'DH101', '--select', 'dockerfile-non-root-user'),
     [f'Dockerfile:1:1: {NO_TAG}', f'Dockerfile:3:1: {NODE_LATEST}',
      f'Dockerfile:3:1: {NO_USER}']),
    ((*THREE, '--ignore', 'DH101,dockerfile-no-secrets'), [f'Dockerfile:3:1: {NO_USER}']),
    (('--select', 'DH101', '--ignore', 'DH101'), []),
))
def test_select_and_ignore(args, expected, clean_cwd, capsys):
    (clean_cwd / 'Dockerfile').write_text(EVERYTHING)
    assert _check(capsys, *args, 'Dockerfile') == (1 if expected else 0, expected, '')


@pytest.mark.parametrize(('args', 'error'), (
    (('--select', 'XX'), "select: unknown code or hook 'XX'"),
    (('--ignore', 'DH101,DH999'), "ignore: unknown code or hook 'DH999'"),
    (('--select', 'Dockerfile-No-Secrets'), "select: unknown code or hook 'Dockerfile-No-Secrets'"),
))
def test_unknown_codes(args, error, clean_cwd, capsys):
    (clean_cwd / 'Dockerfile').write_text(EVERYTHING)
    assert _check(capsys, *args, 'Dockerfile') == (
        2, [], f'dockhooks: error: {error}; `dockhooks rules` lists them\n')


def test_meta_codes_can_be_ignored(clean_cwd, capsys):
    (clean_cwd / 'Dockerfile').write_bytes(b'\xff\xfe')
    assert _check(capsys, *THREE, 'Dockerfile') == (1, [
        'Dockerfile:1:1: DH001 cannot be checked: is UTF-16 text; save it as UTF-8'], '')
    assert _check(capsys, *THREE, '--ignore', 'DH001', 'Dockerfile') == (0, [], '')


def test_options_are_passed_to_the_rules(clean_cwd, capsys):
    (clean_cwd / 'Dockerfile').write_text('FROM python:3.12 AS app\nUSER app\nFROM python:3.12\n')
    assert _check(capsys, *THREE, '--target', 'app', '--require-digest', 'Dockerfile') == (1, [
        'Dockerfile:1:1: DH101 base image python:3.12 is not pinned by digest; pin it by digest: '
        'FROM python:3.12@sha256:<digest>',
        'Dockerfile:3:1: DH101 base image python:3.12 is not pinned by digest; pin it by digest: '
        'FROM python:3.12@sha256:<digest>',
    ], '')


def test_rules(capsys):
    assert cli.main(['rules']) == 0
    out, err = capsys.readouterr()
    width = max(len(r.hook) for r in RULES)
    lines = out.splitlines()
    for code, hook, summary in (
        ('DH101', 'dockerfile-pinned-base-image',
         'every FROM of an external image names a version tag or a digest'),
        ('DH102', 'dockerfile-non-root-user', 'the final stage runs as a non-root USER'),
        ('DH103', 'dockerfile-no-secrets',
         'no secret is baked into the image through ENV, ARG, LABEL or a copied file'),
        ('DH001', '(any)', 'the file cannot be read or parsed'),
        ('DH002', '(any)', 'a suppression pragma names an unknown code'),
    ):
        assert f'{code}  {hook:<{width}}  {summary}' in lines
    assert len(lines) == len(RULES) + 2
    assert err == ''


@pytest.mark.parametrize(('key', 'module'), (
    ('DH101', dockerfile_pinned_base_image),
    ('dh102', dockerfile_non_root_user),
    ('dockerfile-no-secrets', dockerfile_no_secrets),
))
def test_explain(key, module, capsys):
    assert cli.main(['explain', key]) == 0
    doc = (module.__doc__ or '').strip()
    assert capsys.readouterr() == (f'{module.CODE} {module.ID}\n\n{doc}\n', '')
    assert '## What it does' in doc


def test_explain_meta_code(capsys):
    assert cli.main(['explain', 'dh001']) == 0
    assert capsys.readouterr() == ('DH001: the file cannot be read or parsed\n', '')


def test_explain_unknown(capsys):
    assert cli.main(['explain', 'XYZ']) == 2
    assert capsys.readouterr() == (
        '', "dockhooks: error: unknown code or hook 'XYZ'; `dockhooks rules` lists them\n")


def test_no_command_prints_help(capsys):
    assert cli.main([]) == 2
    out, err = capsys.readouterr()
    assert out.startswith('usage: dockhooks [-h] [--version] COMMAND ...\n')
    assert err == ''


def test_version(capsys):
    with pytest.raises(SystemExit) as exc:
        cli.main(['--version'])
    assert exc.value.code == 0
    assert capsys.readouterr() == (f'dockhooks {__version__}\n', '')


def test_python_m_dockhooks(tmp_path):
    (tmp_path / '.git').mkdir()
    (tmp_path / 'Dockerfile').write_text(UNPINNED)
    run = subprocess.run(
        (sys.executable, '-m', 'dockhooks', 'check', *THREE, 'Dockerfile'), cwd=tmp_path,
        capture_output=True, text=True, check=False,
    )
    assert (run.returncode, run.stdout, run.stderr) == (1, f'Dockerfile:1:1: {NO_TAG}\n', '')


UNION = (UNPINNED, SECRET_AS_ROOT, CLEAN, EVERYTHING, WITH_PRAGMAS)


def test_check_is_the_union_of_the_hooks(clean_cwd, capsys):
    names = []
    for n, src in enumerate(UNION):
        name = f'{n}.Dockerfile'
        (clean_cwd / name).write_text(src)
        names.append(name)
    (clean_cwd / 'bad.Dockerfile').write_text('FROM python\nRUN <<EOF\n')
    names.append('bad.Dockerfile')
    union: set[str] = set()
    for module in (dockerfile_pinned_base_image, dockerfile_non_root_user,
                   dockerfile_no_secrets):
        module.main(names)
        out, err = capsys.readouterr()
        assert err == ''
        union |= set(out.splitlines())
    rc, out, err = _check(capsys, *THREE, *names)
    assert (rc, err) == (1, '')
    assert len(out) == len(set(out))  # DH001 and DH002 once, not once per rule
    assert sorted(out) == sorted(union)
    assert len(union) == 10


def test_outside_git_the_folder_given_is_the_repository(tmp_path, monkeypatch, capsys):
    # no `.git`: the folder named on the command line stands for the repository, so a
    # finding reads the same from wherever the check runs (its parent, or the folder itself)
    repo = tmp_path / 'acme'
    repo.mkdir()
    (repo / 'Dockerfile.base').write_text('FROM node:22\n')
    (repo / 'Dockerfile').write_text('ARG BASE_IMAGE=acme/acme-base:edge\nFROM ${BASE_IMAGE}\n')
    said = ('DH101 ARG BASE_IMAGE=acme/acme-base:edge, the base image of FROM on line 2, an '
            'image this repository builds (Dockerfile.base): a build that does not pass '
            '--build-arg BASE_IMAGE takes whatever was pushed last; give the ARG the digest your '
            'pipeline builds: ARG BASE_IMAGE=acme/acme-base:edge@sha256:<digest>')
    monkeypatch.chdir(tmp_path)
    assert cli.main(['check', '--select', 'DH101', '--color', 'never', 'acme']) == 1
    assert capsys.readouterr().out.splitlines() == [f'acme/Dockerfile:1:1: {said}']
    from dockhooks import _hook

    _hook._PARSED.clear()  # a new process in real use: files are parsed once per process
    monkeypatch.chdir(repo)
    assert cli.main(['check', '--select', 'DH101', '--color', 'never', '.']) == 1
    assert capsys.readouterr().out.splitlines() == [f'Dockerfile:1:1: {said}']
