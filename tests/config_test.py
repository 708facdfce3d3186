from __future__ import annotations

import pytest
from dockhooks import _config
from dockhooks import cli
from dockhooks import dockerfile_non_root_user
from dockhooks import dockerfile_pinned_base_image

HOOK = 'dockerfile-pinned-base-image'
KNOWN = ', '.join(sorted(_config.OPTIONS))
DIGEST = ('Dockerfile:1:1: DH101 base image python:3.12 is not pinned by digest; pin it by digest: '
          'FROM python:3.12@sha256:<digest>\n')


def _run(args, capsys):
    rc = dockerfile_pinned_base_image.main(['Dockerfile', *args])
    out, err = capsys.readouterr()
    return rc, out, err


@pytest.fixture
def dockerfile(clean_cwd):
    (clean_cwd / 'Dockerfile').write_text('FROM python:3.12\nCMD ["app"]\n')
    return clean_cwd


BAD = (
    # (file name, content, what follows the file's path in the error)
    ('pyproject.toml', '[tool.dockhooks]\nbogus = 1\n',
     f" [tool.dockhooks]: unknown setting 'bogus' (known: {KNOWN})"),
    ('.dockhooks.toml', 'require_digest = true\n',  # snake case is not the key
     f": unknown setting 'require_digest' (known: {KNOWN})"),
    ('pyproject.toml', '[tool.dockhooks]\nrequire-digest = "yes"\n',
     " [tool.dockhooks]: require-digest must be true or false, not 'yes'"),
    ('.dockhooks.toml', 'extra-codenames = "kaiju"\n',
     ": extra-codenames must be a list of strings, not 'kaiju'"),
    ('.dockhooks.toml', 'extra-codenames = ["kaiju", 1]\n',
     ": extra-codenames must be a list of strings, not ['kaiju', 1]"),
    ('.dockhooks.toml', 'target = 1\n', ': target must be a string, not 1'),
)


@pytest.mark.parametrize(('name', 'toml', 'error'), BAD)
def test_invalid_settings(name, toml, error, dockerfile, capsys):
    (dockerfile / name).write_text(toml)
    assert _run([], capsys) == (2, '', f'{HOOK}: error: {dockerfile / name}{error}\n')


def test_tool_dockhooks_that_is_not_a_table(dockerfile, capsys):
    (dockerfile / 'pyproject.toml').write_text('[tool]\ndockhooks = 1\n')
    # the lookup only picks a pyproject.toml whose text has `[tool.dockhooks`: pinned
    assert _run([], capsys) == (0, '', '')
    assert _run(['--config', 'pyproject.toml'], capsys) == (
        2, '', f'{HOOK}: error: pyproject.toml [tool.dockhooks]: must be a table\n')


@pytest.mark.parametrize(('name', 'data'), (
    ('pyproject.toml', b'[tool.dockhooks\n'),
    ('.dockhooks.toml', b'require-digest = \n'),
    ('.dockhooks.toml', b'\xff\xfe'),  # not UTF-8
    ('pyproject.toml', b'tool = 1\n[tool.dockhooks]\n'),  # a key redefined
))
def test_invalid_toml(name, data, dockerfile, capsys):
    (dockerfile / name).write_bytes(data)
    rc, out, err = _run([], capsys)
    assert (rc, out) == (2, '')
    prefix = f'{HOOK}: error: {dockerfile / name}: invalid TOML ('
    assert err.startswith(prefix)
    assert err.endswith(')\n')
    assert len(err.splitlines()) == 1
    assert 'Traceback' not in err


def test_tool_that_is_not_a_table_is_not_ours(dockerfile, capsys):
    # `[tool.dockhooks` appears only in a comment, and `tool` is no table: no settings
    (dockerfile / 'pyproject.toml').write_text('tool = 3\n# [tool.dockhooks]\n')
    rc, out, err = _run([], capsys)
    assert (rc, out, err) == (0, '', '')


def test_missing_config_file(dockerfile, capsys):
    rc, out, err = _run(['--config', 'nope.toml'], capsys)
    assert (rc, out, err) == (2, '', f'{HOOK}: error: nope.toml: no such config file\n')


def test_config_that_is_a_folder(dockerfile, capsys):
    rc, out, err = _run(['--config', '.'], capsys)
    assert (rc, out, err) == (2, '', f'{HOOK}: error: .: no such config file\n')


def test_config_file_is_used(dockerfile, capsys):
    (dockerfile / 'settings.toml').write_text('require-digest = true\n')
    # a config file found by the lookup is not read when --config names one
    (dockerfile / '.dockhooks.toml').write_text('bogus = 1\n')
    assert _run(['--config', 'settings.toml'], capsys) == (1, DIGEST, '')


def test_config_pyproject_uses_its_tool_table(dockerfile, capsys):
    (dockerfile / 'cfg').mkdir()
    (dockerfile / 'cfg' / 'pyproject.toml').write_text(
        '[project]\nname = "x"\n[tool.dockhooks]\nrequire-digest = true\n')
    assert _run(['--config', 'cfg/pyproject.toml'], capsys) == (1, DIGEST, '')


def test_config_is_looked_up_in_parent_folders(dockerfile, capsys, monkeypatch):
    (dockerfile / '.dockhooks.toml').write_text('require-digest = true\n')
    sub = dockerfile / 'a' / 'b'
    sub.mkdir(parents=True)
    (sub / 'Dockerfile').write_text('FROM python:3.12\n')
    monkeypatch.chdir(sub)
    assert _run([], capsys) == (1, DIGEST, '')


def test_lookup_stops_at_the_repository_root(dockerfile, capsys, monkeypatch):
    (dockerfile / '.dockhooks.toml').write_text('require-digest = true\n')
    repo = dockerfile / 'repo'
    (repo / '.git').mkdir(parents=True)
    (repo / 'Dockerfile').write_text('FROM python:3.12\n')
    monkeypatch.chdir(repo)
    assert _run([], capsys) == (0, '', '')


def test_pyproject_without_our_table_is_skipped(dockerfile, capsys, monkeypatch):
    (dockerfile / 'pyproject.toml').write_text('[tool.dockhooks]\nrequire-digest = true\n')
    sub = dockerfile / 'sub'
    sub.mkdir()
    (sub / 'pyproject.toml').write_text('[project]\nname = "sub"\n')
    (sub / 'Dockerfile').write_text('FROM python:3.12\n')
    monkeypatch.chdir(sub)
    assert _run([], capsys) == (1, DIGEST, '')


def test_dockhooks_toml_comes_before_pyproject(dockerfile, capsys):
    (dockerfile / 'pyproject.toml').write_text('[tool.dockhooks]\nbogus = 1\n')
    (dockerfile / '.dockhooks.toml').write_text('require-digest = true\n')
    assert _run([], capsys) == (1, DIGEST, '')


def test_settings_of_other_hooks_are_accepted(dockerfile, capsys):
    # one file serves every hook: a hook ignores the settings it does not use
    (dockerfile / '.dockhooks.toml').write_text('target = "x"\nallowed-names = ["A"]\n')
    assert _run([], capsys) == (0, '', '')


def test_check_reports_config_errors(dockerfile, capsys):
    (dockerfile / '.dockhooks.toml').write_text('select = "DH101"\n')
    assert cli.main(['check', 'Dockerfile']) == 2
    assert capsys.readouterr() == (
        '', f"dockhooks: error: {dockerfile / '.dockhooks.toml'}: select must be a list of "
            f"strings, not 'DH101'\n")


def test_check_reads_select_from_config(dockerfile, capsys):
    (dockerfile / '.dockhooks.toml').write_text('select = ["DH102"]\nrequire-digest = true\n')
    assert cli.main(['check', 'Dockerfile']) == 1
    assert capsys.readouterr() == (
        'Dockerfile:1:1: DH102 the final stage has no USER and its base image python runs as '
        'root, so the container does too; add RUN useradd --create-home --uid 10001 appuser, '
        'then USER appuser before CMD (line 2)\n', '')


def test_check_unknown_code_in_config(dockerfile, capsys):
    (dockerfile / '.dockhooks.toml').write_text('ignore = ["DH999"]\n')
    assert cli.main(['check', 'Dockerfile']) == 2
    assert capsys.readouterr() == (
        '', "dockhooks: error: ignore: unknown code or hook 'DH999'; "
            '`dockhooks rules` lists them\n')


def test_target_string_option(dockerfile, capsys):
    (dockerfile / 'Dockerfile').write_text('FROM python:3.12 AS app\nUSER app\nFROM python:3.12\n')
    (dockerfile / '.dockhooks.toml').write_text('target = "app"\n')
    assert dockerfile_non_root_user.main(['Dockerfile']) == 0
    assert capsys.readouterr() == ('', '')
