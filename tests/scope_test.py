"""`exclude` and `per-file-ignores`: globs of the config file, read against its folder, that
every hook and `dockhooks check` honour."""
from __future__ import annotations

import json

import pytest
from dockhooks import cli
from dockhooks import dockerfile_pinned_base_image
from dockhooks import dockerignore_complete
from hookrun import df

# DH101 judges every file (the rules about what ships skip `Dockerfile.dev` and `dev/`)
NO_TAG_FILE = df('FROM alpine')
# in the order `dockhooks check .` finds them
FILES = ('Dockerfile', 'Dockerfile.dev', 'dev/Dockerfile.dev', 'images/Dockerfile',
         'images/base/Dockerfile', 'images/base/deep/Dockerfile')


def _main(main, capsys, *args):
    rc = main(list(args))
    out, err = capsys.readouterr()
    return rc, out.splitlines(), err


@pytest.fixture
def repo(clean_cwd):
    for name in FILES:
        (clean_cwd / name).parent.mkdir(parents=True, exist_ok=True)
        (clean_cwd / name).write_text(NO_TAG_FILE)
    return clean_cwd


def _check(capsys, *args):
    return _main(cli.main, capsys, 'check', '--select', 'DH101', *args)


def _reported(capsys, *args):
    rc, out, err = _check(capsys, *args)
    assert err == ''
    assert all(':1:1: DH101 base image alpine has no tag' in line for line in out)
    return rc, [line.split(':')[0] for line in out]


GLOBS = (
    # (the globs, the files they leave reported): gitignore's dialect
    ([], list(FILES)),
    (['images/base/**'], ['Dockerfile', 'Dockerfile.dev', 'dev/Dockerfile.dev',
                          'images/Dockerfile']),
    (['images/*'], ['Dockerfile', 'Dockerfile.dev', 'dev/Dockerfile.dev']),  # folders too
    (['images/*/Dockerfile'], ['Dockerfile', 'Dockerfile.dev', 'dev/Dockerfile.dev',
                               'images/Dockerfile',
                               'images/base/deep/Dockerfile']),  # * is within one folder
    (['images/**/Dockerfile'], ['Dockerfile', 'Dockerfile.dev', 'dev/Dockerfile.dev']),
    (['Dockerfile.dev'], ['Dockerfile', 'images/Dockerfile', 'images/base/Dockerfile',
                          'images/base/deep/Dockerfile']),  # no slash: at any depth
    (['/Dockerfile.dev'], ['Dockerfile', 'dev/Dockerfile.dev', 'images/Dockerfile',
                           'images/base/Dockerfile',
                           'images/base/deep/Dockerfile']),  # a leading slash anchors it
    (['*.dev', 'images/'], ['Dockerfile']),
)


@pytest.mark.parametrize(('globs', 'reported'), GLOBS)
def test_exclude(globs, reported, repo, capsys):
    (repo / '.dockhooks.toml').write_text(f'exclude = {json.dumps(globs)}\n')
    assert _reported(capsys) == (1, reported)
    # the hooks: pre-commit hands them the files, excluded ones among them
    rc, out, err = _main(dockerfile_pinned_base_image.main, capsys, *FILES)
    assert (rc, [line.split(':')[0] for line in out], err) == (1, reported, '')


def test_exclude_negation(repo, capsys):
    (repo / '.dockhooks.toml').write_text('exclude = ["images/**", "!images/Dockerfile"]\n')
    # gitignore's `!`: the last glob that matches wins
    assert _reported(capsys) == (1, ['Dockerfile', 'Dockerfile.dev', 'dev/Dockerfile.dev',
                                     'images/Dockerfile'])


def test_per_file_ignores_negation(repo, capsys):
    (repo / '.dockhooks.toml').write_text('[per-file-ignores]\n"!images/**" = ["DH101"]\n')
    # ruff's `!`: the codes are ignored in the files the glob does not match
    assert _reported(capsys) == (1, ['images/Dockerfile', 'images/base/Dockerfile',
                                     'images/base/deep/Dockerfile'])


@pytest.mark.parametrize(('globs', 'reported'), GLOBS)
def test_per_file_ignores(globs, reported, repo, capsys):
    table = ''.join(f'{json.dumps(glob)} = ["DH101"]\n' for glob in globs)
    (repo / '.dockhooks.toml').write_text(f'[per-file-ignores]\n{table}')
    assert _reported(capsys) == (1, reported)


def test_per_file_ignores_by_hook_id_and_code(repo, capsys):
    (repo / 'pyproject.toml').write_text(
        '[tool.dockhooks.per-file-ignores]\n'
        '"images/**" = ["dockerfile-pinned-base-image"]\n'
        '"*.dev" = ["DH102", "dh101"]\n')
    assert _reported(capsys) == (1, ['Dockerfile'])
    rc, out, _ = _main(dockerfile_pinned_base_image.main, capsys, *FILES)
    assert (rc, [line.split(':')[0] for line in out]) == (1, ['Dockerfile'])
    rc, out, _ = _main(cli.main, capsys, 'check', '--select', 'DH101,DH102', *FILES)
    assert (rc, [line.split(':')[0] for line in out]) == (1, ['Dockerfile'])


def test_globs_are_relative_to_the_config_file(repo, capsys, monkeypatch):
    (repo / '.dockhooks.toml').write_text('exclude = ["/images/", "dev/"]\n')
    monkeypatch.chdir(repo / 'images')
    assert _reported(capsys, '..') == (1, ['../Dockerfile', '../Dockerfile.dev'])
    assert _reported(capsys, 'base/Dockerfile', '../Dockerfile') == (1, ['../Dockerfile'])


def test_every_file_excluded_checks_nothing(repo, capsys):
    (repo / '.dockhooks.toml').write_text('exclude = ["*"]\n')
    rc, out, err = _check(capsys, '--format', 'json', 'Dockerfile', 'images')
    report = json.loads('\n'.join(out))
    assert (rc, err, report['findings'], report['summary']['files_checked']) == (0, '', [], 0)


def test_excluded_contexts(clean_cwd, capsys):
    # the build-context rule finds its files itself: its findings there are left out too
    for name in ('app', 'third/lib'):
        (clean_cwd / name).mkdir(parents=True)
        (clean_cwd / name / 'Dockerfile').write_text('FROM alpine:3.20\nCOPY . .\nUSER a\n')
        (clean_cwd / name / 'package.json').write_text('{}')  # its context, node_modules
    rc, out, err = _main(dockerignore_complete.main, capsys)
    assert [line.split(':')[0] for line in out] == ['app/Dockerfile', 'third/lib/Dockerfile']
    (clean_cwd / '.dockhooks.toml').write_text('exclude = ["third/"]\n')
    rc, out, err = _main(dockerignore_complete.main, capsys)
    assert (rc, [line.split(':')[0] for line in out], err) == (1, ['app/Dockerfile'], '')
    # handed only excluded files, it does not fall back to the whole repository
    assert _main(cli.main, capsys, 'check', 'third/lib/Dockerfile') == (0, [], '')


CONFIG_ERRORS = (
    # (the config file, the error after `.dockhooks.toml: ` or `dockhooks: error: `)
    ('exclude = "vendor"\n', "{path}: exclude must be a list of strings, not 'vendor'"),
    ('per-file-ignores = ["a"]\n',
     "{path}: per-file-ignores must be a table of lists of strings, not ['a']"),
    ('[per-file-ignores]\n"a/**" = "DH101"\n',
     "{path}: per-file-ignores must be a table of lists of strings, not {{'a/**': 'DH101'}}"),
    ('[per-file-ignores]\n"a/**" = ["DH999"]\n',
     "per-file-ignores 'a/**': unknown code or hook 'DH999'; `dockhooks rules` lists them"),
    ('[per-file-ignores]\n"a/**" = ["no-such-hook"]\n',
     "per-file-ignores 'a/**': unknown code or hook 'no-such-hook'; `dockhooks rules` lists "
     'them'),
    ('exclude = ["!"]\n', "exclude: invalid glob (Invalid git pattern: '!')"),
    ("[per-file-ignores]\n'a\\' = ['DH101']\n",
     "per-file-ignores 'a\\\\': invalid glob (Invalid git pattern: 'a\\\\')"),
    ('[per-file-ignores]\n"!" = ["DH101"]\n', "per-file-ignores '!': the glob matches no path"),
    ('[per-file-ignores]\n"# x" = ["DH101"]\n',
     "per-file-ignores '# x': the glob matches no path"),
)


@pytest.mark.parametrize(('toml', 'error'), CONFIG_ERRORS)
def test_config_errors(toml, error, repo, capsys):
    (repo / '.dockhooks.toml').write_text(toml)
    error = error.format(path=repo / '.dockhooks.toml')
    assert _check(capsys) == (2, [], f'dockhooks: error: {error}\n')
    assert _main(dockerfile_pinned_base_image.main, capsys, 'Dockerfile') == (
        2, [], f'dockerfile-pinned-base-image: error: {error}\n')
    assert _main(cli.main, capsys, 'baseline') == (2, [], f'dockhooks: error: {error}\n')


def test_no_command_line_flags(repo, capsys):
    # settings of the config file only: the globs are read against its folder
    for flag in ('--exclude', '--per-file-ignores'):
        with pytest.raises(SystemExit) as exc:
            cli.main(['check', flag, 'x'])
        assert exc.value.code == 2
        assert f'unrecognized arguments: {flag}\n' in capsys.readouterr().err
