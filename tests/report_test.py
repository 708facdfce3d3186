from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from dockhooks import __version__
from dockhooks import cli
from dockhooks import dockerfile_combine_runs
from dockhooks import dockerfile_pinned_base_image
from dockhooks._findings import Finding
from dockhooks._findings import github_command
from dockhooks._findings import sarif_uri
from dockhooks._registry import RULES
from hookrun import fingerprint

SCHEMA = Path(__file__).parent / 'data' / 'sarif-schema-2.1.0.json'
README = f'https://github.com/dockhooks/dockhooks/blob/v{__version__}/README.md'

DOCKERFILE = 'FROM python\nRUN wget -O /tmp/a https://x/a\nRUN rm /tmp/a\nUSER app\n'
COMPOSE = 'services:\n  api:\n    image: example/api:1.4.2\n    read_only: false\n'
SELECT = ('--select', 'DH101,DH107,DH205')

NO_TAG = ('base image python has no tag, so it means :latest; pin a version: '
          'FROM python:<version>')
RUNS = ('the RUN on line 3 removes /tmp/a, which this RUN writes: it still ships in this '
        'layer; do both in one RUN (join lines 2-3 with &&)')
# (the image's paths are not known: the message says how to find them)
READ_ONLY = ('service api sets read_only: false; use read_only: true and give each path it '
             'writes to a tmpfs: (scratch, it starts empty) or a volume (data only); where '
             'example/api writes is not known here: `docker diff <container>` on a running one '
             'lists the files it changed (if it rewrites its own code or /etc at start, exempt '
             'it)')
TEXT = [
    f'Dockerfile:1:1: DH101 {NO_TAG}',
    f'Dockerfile:2:1: DH107 {RUNS}',
    f'compose.yaml:4:5: DH205 {READ_ONLY}',
]


@pytest.fixture
def files(clean_cwd):
    (clean_cwd / 'Dockerfile').write_text(DOCKERFILE)
    (clean_cwd / 'compose.yaml').write_text(COMPOSE)
    return clean_cwd


def _check(capsys, *args):
    rc = cli.main(['check', *SELECT, *args, 'Dockerfile', 'compose.yaml'])
    out, err = capsys.readouterr()
    return rc, out, err


def _row(file, line, col, code, hook, severity, message):
    return {'file': file, 'line': line, 'column': col, 'code': code, 'hook': hook,
            'severity': severity, 'message': message}


ROWS = [
    _row('Dockerfile', 1, 1, 'DH101', 'dockerfile-pinned-base-image', 'error', NO_TAG),
    _row('Dockerfile', 2, 1, 'DH107', 'dockerfile-combine-runs', 'warning', RUNS),
    _row('compose.yaml', 4, 5, 'DH205', 'compose-read-only', 'warning', READ_ONLY),
]


def _report(rows, files_checked):
    by_code: dict[str, int] = {}
    for r in rows:
        by_code[r['code']] = by_code.get(r['code'], 0) + 1
    return {
        'tool': 'dockhooks',
        'version': __version__,
        'findings': rows,
        'summary': {
            'files_checked': files_checked,
            'findings': len(rows),
            'by_severity': {
                'error': sum(r['severity'] == 'error' for r in rows),
                'warning': sum(r['severity'] == 'warning' for r in rows),
            },
            'by_code': dict(sorted(by_code.items())),
        },
    }


# -- text and colour ----------------------------------------------------------------------

def test_text_is_the_default(files, capsys):
    assert _check(capsys) == (1, '\n'.join(TEXT) + '\n', '')


def test_color_always(files, capsys):
    rc, out, err = _check(capsys, '--color', 'always')
    assert (rc, err) == (1, '')
    assert out.splitlines() == [
        f'\033[1mDockerfile\033[0m:1:1: \033[1;31mDH101\033[0m {NO_TAG}',
        f'\033[1mDockerfile\033[0m:2:1: \033[1;33mDH107\033[0m {RUNS}',
        f'\033[1mcompose.yaml\033[0m:4:5: \033[1;33mDH205\033[0m {READ_ONLY}',
    ]


class _Terminal(io.StringIO):
    def isatty(self):
        return True


COLORED = f'\033[1mDockerfile\033[0m:1:1: \033[1;31mDH101\033[0m {NO_TAG}\n'
PLAIN = f'Dockerfile:1:1: DH101 {NO_TAG}\n'


@pytest.mark.parametrize(('args', 'no_color', 'tty', 'expected'), (
    ((), None, True, COLORED),          # auto: a terminal
    ((), None, False, PLAIN),           # auto: a pipe or file
    ((), '1', True, PLAIN),             # NO_COLOR set
    ((), '', True, COLORED),            # NO_COLOR empty counts as unset
    (('--color', 'never'), None, True, PLAIN),
    (('--color', 'always'), '1', False, COLORED),  # an explicit flag wins over NO_COLOR
    (('--color', 'auto'), 'yes', True, PLAIN),
))
def test_color_auto_and_no_color(args, no_color, tty, expected, files, monkeypatch):
    if no_color is None:
        monkeypatch.delenv('NO_COLOR', raising=False)
    else:
        monkeypatch.setenv('NO_COLOR', no_color)
    out = _Terminal() if tty else io.StringIO()
    monkeypatch.setattr(sys, 'stdout', out)
    assert dockerfile_pinned_base_image.main([*args, 'Dockerfile']) == 1
    assert out.getvalue() == expected


def test_color_from_the_config_file(files, capsys):
    (files / '.dockhooks.toml').write_text('color = "always"\n')
    assert dockerfile_pinned_base_image.main(['Dockerfile']) == 1
    assert capsys.readouterr() == (COLORED, '')


def test_bad_choices_are_usage_errors(files, capsys):
    with pytest.raises(SystemExit) as exc:
        dockerfile_pinned_base_image.main(['--format', 'xml', 'Dockerfile'])
    assert exc.value.code == 2
    assert "invalid choice: 'xml'" in capsys.readouterr().err
    (files / '.dockhooks.toml').write_text('format = "xml"\n')
    assert dockerfile_pinned_base_image.main(['Dockerfile']) == 2
    assert capsys.readouterr() == ('', (
        f"dockerfile-pinned-base-image: error: {files / '.dockhooks.toml'}: format must be one "
        "of text, json, sarif, github, not 'xml'\n"))


# -- json ---------------------------------------------------------------------------------

def test_json_check(files, capsys):
    rc, out, err = _check(capsys, '--format', 'json')
    assert (rc, err) == (1, '')
    assert out.endswith('}\n')
    assert json.loads(out) == _report(ROWS, 2)


def test_json_check_folder_counts_the_files_found(files, capsys):
    (files / 'README.md').write_text('not checked\n')
    assert cli.main(['check', *SELECT, '--format', 'json']) == 1
    out, err = capsys.readouterr()
    assert (json.loads(out), err) == (_report(ROWS, 2), '')


def test_json_hook(files, capsys):
    assert dockerfile_combine_runs.main(['--format', 'json', 'Dockerfile']) == 1
    out, err = capsys.readouterr()
    assert json.loads(out) == _report([ROWS[1]], 1)
    assert err == ''


def test_json_clean(files, capsys):
    (files / 'clean.Dockerfile').write_text('FROM python:3.12\nUSER app\n')
    assert dockerfile_pinned_base_image.main(['--format', 'json', 'clean.Dockerfile']) == 0
    assert json.loads(capsys.readouterr().out) == _report([], 1)


def test_json_meta_codes_name_the_running_hook(files, capsys):
    message = 'cannot be checked: cannot be read (No such file or directory)'
    assert dockerfile_combine_runs.main(['--format', 'json', 'missing/Dockerfile']) == 1
    assert json.loads(capsys.readouterr().out)['findings'] == [
        _row('missing/Dockerfile', 1, 1, 'DH001', 'dockerfile-combine-runs', 'error', message),
    ]
    # `check` refuses a path that does not exist (exit 2): an unreadable file is DH001
    os.makedirs('bad', exist_ok=True)
    with open('bad/Dockerfile', 'wb') as f:
        f.write(b'FROM a\x00\n')
    assert cli.main(['check', *SELECT, '--format', 'json', 'bad/Dockerfile']) == 1
    assert json.loads(capsys.readouterr().out)['findings'] == [
        _row('bad/Dockerfile', 1, 1, 'DH001', 'dockhooks', 'error',
             'cannot be checked: contains NUL bytes: a binary file, not text'),
    ]


# -- sarif --------------------------------------------------------------------------------

def _validate(doc):
    schema = json.loads(SCHEMA.read_text(encoding='utf-8'))
    jsonschema.Draft4Validator.check_schema(schema)
    validator = jsonschema.Draft4Validator(
        schema, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER)
    assert [e.message for e in validator.iter_errors(doc)] == []


# what each finding points at, and its message without line numbers: its fingerprint
CONTENT = {
    'DH101': ('FROM python', NO_TAG),
    'DH107': ('RUN wget -O /tmp/a https://x/a',
              RUNS.replace('line 3', 'line N').replace('lines 2-3', 'lines N-N')),
    'DH205': ('services/api read_only: false', READ_ONLY),
}


def _result(code, index, level, message, uri, line, col):
    return {
        'ruleId': code, 'ruleIndex': index, 'level': level, 'message': {'text': message},
        'locations': [{'physicalLocation': {
            'artifactLocation': {'uri': uri},
            'region': {'startLine': line, 'startColumn': col},
        }}],
        'partialFingerprints': {'dockhooks/v1': fingerprint(uri, code, *CONTENT[code])},
    }


def test_the_schema_is_the_official_one():
    schema = json.loads(SCHEMA.read_text(encoding='utf-8'))
    assert schema['$schema'] == 'http://json-schema.org/draft-04/schema#'
    assert schema['id'] == ('https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/'
                            'schemas/sarif-schema-2.1.0.json')
    assert len(schema['definitions']) == 52
    assert len(SCHEMA.read_text(encoding='utf-8')) == 112768


def test_sarif_check(files, capsys):
    rc = cli.main(['check', '--format', 'sarif', 'Dockerfile', 'compose.yaml'])
    out, err = capsys.readouterr()
    assert (rc, err) == (1, '')
    doc = json.loads(out)
    _validate(doc)
    assert doc['$schema'] == ('https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/'
                              'schemas/sarif-schema-2.1.0.json')
    assert doc['version'] == '2.1.0'
    (run,) = doc['runs']
    driver = run['tool']['driver']
    assert (driver['name'], driver['version']) == ('dockhooks', __version__)
    assert driver['informationUri'] == 'https://github.com/dockhooks/dockhooks'
    ids = [r['id'] for r in driver['rules']]
    assert ids == [*(info.code for info in RULES), 'DH001', 'DH002']
    assert [r['name'] for r in driver['rules']] == [
        *(info.hook for info in RULES), 'cannot-be-checked', 'unknown-pragma-code']
    index = {code: i for i, code in enumerate(ids)}
    assert run['columnKind'] == 'unicodeCodePoints'
    codes = {r['ruleId'] for r in run['results']}
    assert {'DH101', 'DH107', 'DH205'} <= codes
    results = [r for r in run['results'] if r['ruleId'] in ('DH101', 'DH107', 'DH205')]
    assert results == [
        _result('DH101', index['DH101'], 'error', NO_TAG, 'Dockerfile', 1, 1),
        _result('DH107', index['DH107'], 'warning', RUNS, 'Dockerfile', 2, 1),
        _result('DH205', index['DH205'], 'warning', READ_ONLY, 'compose.yaml', 4, 5),
    ]


def test_sarif_rule_descriptions(files, capsys):
    assert dockerfile_combine_runs.main(['--format', 'sarif', 'Dockerfile']) == 1
    doc = json.loads(capsys.readouterr().out)
    _validate(doc)
    rules = doc['runs'][0]['tool']['driver']['rules']
    assert [r['id'] for r in rules] == ['DH107', 'DH001', 'DH002']
    module_doc = (dockerfile_combine_runs.__doc__ or '').strip()
    assert rules[0] == {
        'id': 'DH107',
        'name': 'dockerfile-combine-runs',
        'shortDescription': {'text': dockerfile_combine_runs.SUMMARY},
        # the docstring's "What it does" section, without its heading
        'fullDescription': {'text': module_doc.split('## What it does\n', 1)[1].split(
            '\n\n## ', 1)[0].strip()},
        'help': {'text': module_doc, 'markdown': module_doc},
        'helpUri': f'{README}#dockerfile-combine-runs-dh107',
        'defaultConfiguration': {'level': 'warning'},
        'properties': {'tags': ['docker', 'dockerfile']},
    }
    assert rules[1] == {
        'id': 'DH001',
        'name': 'cannot-be-checked',
        'shortDescription': {'text': 'the file cannot be read or parsed'},
        'fullDescription': {'text': 'the file cannot be read or parsed'},
        'help': {'text': 'DH001: the file cannot be read or parsed',
                 'markdown': 'DH001: the file cannot be read or parsed'},
        'helpUri': f'{README}#rules',
        'defaultConfiguration': {'level': 'error'},
    }
    assert rules[2]['helpUri'] == f'{README}#suppressing-a-finding'
    assert doc['runs'][0]['results'] == [
        _result('DH107', 0, 'warning', RUNS, 'Dockerfile', 2, 1),
    ]


def test_sarif_clean_and_configured_level(files, capsys):
    (files / 'clean.Dockerfile').write_text('FROM python:3.12\nUSER app\n')
    assert dockerfile_combine_runs.main(['--format', 'sarif', 'clean.Dockerfile']) == 0
    doc = json.loads(capsys.readouterr().out)
    _validate(doc)
    assert doc['runs'][0]['results'] == []
    assert dockerfile_combine_runs.main(
        ['--format', 'sarif', '--severity', 'DH107=error', 'Dockerfile']) == 1
    doc = json.loads(capsys.readouterr().out)
    _validate(doc)
    assert doc['runs'][0]['results'][0]['level'] == 'error'
    # the rule's default stays what the module says
    rule = doc['runs'][0]['tool']['driver']['rules'][0]
    assert rule['defaultConfiguration'] == {'level': 'warning'}


@pytest.mark.parametrize(('path', 'uri'), (
    ('Dockerfile', 'Dockerfile'),
    ('./api/Dockerfile', 'api/Dockerfile'),
    ('my app/Dockerfile', 'my%20app/Dockerfile'),
    ('100%/Dockerfile', '100%25/Dockerfile'),
    ('caf\u00e9/Dockerfile', 'caf%C3%A9/Dockerfile'),
))
def test_sarif_uri(path, uri):
    assert sarif_uri(path) == uri


def test_sarif_uri_absolute(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert sarif_uri(str(tmp_path / 'api' / 'Dockerfile')) == 'api/Dockerfile'
    outside = tmp_path.parent / 'elsewhere' / 'Dockerfile'
    assert sarif_uri(str(outside)) == outside.as_uri()


def test_sarif_of_a_file_that_cannot_be_read(files, capsys):
    (files / 'Dockerfile').write_bytes(b'\xff\xfe\x00')
    assert cli.main(['check', *SELECT, '--format', 'sarif', 'Dockerfile']) == 1
    doc = json.loads(capsys.readouterr().out)
    _validate(doc)
    (result,) = doc['runs'][0]['results']
    assert (result['ruleId'], result['level']) == ('DH001', 'error')
    assert result['ruleIndex'] == 3  # after the three selected rules


# -- github -------------------------------------------------------------------------------

def test_github(files, capsys):
    assert _check(capsys, '--format', 'github') == (1, (
        f'::error file=Dockerfile,line=1,col=1,title=DH101::{NO_TAG}\n'
        f'::warning file=Dockerfile,line=2,col=1,title=DH107::{RUNS}\n'
        f'::warning file=compose.yaml,line=4,col=5,title=DH205::{READ_ONLY}\n'
    ), '')


@pytest.mark.parametrize(('finding', 'level', 'expected'), (
    (Finding('a/Dockerfile', 3, 7, 'DH101', 'pin it'), 'error',
     '::error file=a/Dockerfile,line=3,col=7,title=DH101::pin it'),
    (Finding('x', 1, 1, 'DH205', 'warn'), 'warning',
     '::warning file=x,line=1,col=1,title=DH205::warn'),
    # the message: %, CR and LF are escaped; : and , are not
    (Finding('x', 1, 1, 'DH101', '100% sure: a, b\r\nnext'), 'error',
     '::error file=x,line=1,col=1,title=DH101::100%25 sure: a, b%0D%0Anext'),
    # the properties: : and , too
    (Finding('C:\\a,b%c\nd', 1, 1, 'DH101', 'm'), 'error',
     '::error file=C%3A\\a%2Cb%25c%0Ad,line=1,col=1,title=DH101::m'),
))
def test_github_escaping(finding, level, expected):
    assert github_command(finding, level) == expected


def test_github_from_a_hook(files, capsys):
    assert dockerfile_combine_runs.main(['--format', 'github', 'Dockerfile']) == 1
    assert capsys.readouterr() == (
        f'::warning file=Dockerfile,line=2,col=1,title=DH107::{RUNS}\n', '')


# -- --output -----------------------------------------------------------------------------

@pytest.mark.parametrize('fmt', ('json', 'sarif'))
def test_output_file_keeps_text_on_the_terminal(fmt, files, capsys):
    rc, out, err = _check(capsys, '--format', fmt, '--output', 'report.out')
    assert (rc, out, err) == (1, '\n'.join(TEXT) + '\n', '')
    doc = json.loads((files / 'report.out').read_text(encoding='utf-8'))
    if fmt == 'json':
        assert doc == _report(ROWS, 2)
    else:
        _validate(doc)
        assert [r['ruleId'] for r in doc['runs'][0]['results']] == ['DH101', 'DH107', 'DH205']


def test_output_file_github(files, capsys):
    assert _check(capsys, '--format', 'github', '--output', 'gh.txt') == (
        1, '\n'.join(TEXT) + '\n', '')
    assert (files / 'gh.txt').read_text() == (
        f'::error file=Dockerfile,line=1,col=1,title=DH101::{NO_TAG}\n'
        f'::warning file=Dockerfile,line=2,col=1,title=DH107::{RUNS}\n'
        f'::warning file=compose.yaml,line=4,col=5,title=DH205::{READ_ONLY}\n')


def test_output_file_text_is_never_coloured(files, capsys):
    rc, out, err = _check(capsys, '--color', 'always', '--output', 'report.txt')
    assert (rc, err) == (1, '')
    assert out.startswith('\033[1mDockerfile\033[0m:1:1: ')
    assert (files / 'report.txt').read_text() == '\n'.join(TEXT) + '\n'


def test_output_file_is_written_when_clean(files, capsys):
    (files / 'clean.Dockerfile').write_text('FROM python:3.12\nUSER app\n')
    assert dockerfile_combine_runs.main(
        ['--format', 'json', '--output', 'r.json', 'clean.Dockerfile']) == 0
    assert capsys.readouterr() == ('', '')
    assert json.loads((files / 'r.json').read_text()) == _report([], 1)


def test_output_file_that_cannot_be_written(files, capsys):
    assert dockerfile_combine_runs.main(['--output', 'no/such/dir/r.json', 'Dockerfile']) == 2
    assert capsys.readouterr() == ('', (
        'dockerfile-combine-runs: error: no/such/dir/r.json: cannot be written '
        '(No such file or directory)\n'))
    assert cli.main(['check', '--output', 'no/such/dir/r.json', 'Dockerfile']) == 2
    assert capsys.readouterr() == ('', (
        'dockhooks: error: no/such/dir/r.json: cannot be written (No such file or directory)\n'))


# -- severity and exit status -------------------------------------------------------------

def _levels(capsys, *args, hook=None):
    if hook is None:
        rc = cli.main(['check', *SELECT, '--format', 'json', *args, 'Dockerfile', 'compose.yaml'])
    else:
        rc = hook.main(['--format', 'json', *args, 'Dockerfile'])
    out, err = capsys.readouterr()
    assert err == ''
    return rc, {f['code']: f['severity'] for f in json.loads(out)['findings']}


def test_default_severities(files, capsys):
    assert _levels(capsys) == (1, {'DH101': 'error', 'DH107': 'warning', 'DH205': 'warning'})


@pytest.mark.parametrize(('config', 'args', 'expected'), (
    # a table in .dockhooks.toml, by code or by hook id, any case of level
    ('[severity]\nDH107 = "error"\n', (), ('error', 'error', 'warning')),
    ('[severity]\ncompose-read-only = "Error"\n', (), ('error', 'warning', 'error')),
    ('[severity]\ndh101 = "warning"\n', (), ('warning', 'warning', 'warning')),
    # the command line, on top of the table key by key
    ('[severity]\nDH107 = "error"\n', ('--severity', 'DH205=error'), ('error', 'error', 'error')),
    ('[severity]\nDH107 = "error"\n', ('--severity', 'DH107=warning'),
     ('error', 'warning', 'warning')),
    ('', ('--severity', 'DH101=warning,dockerfile-combine-runs=error'),
     ('warning', 'error', 'warning')),
    ('', ('--severity', 'DH101=warning', '--severity', 'DH205=error'),
     ('warning', 'warning', 'error')),
))
def test_configured_severities(config, args, expected, files, capsys):
    (files / '.dockhooks.toml').write_text(config)
    assert _levels(capsys, *args) == (1, dict(zip(('DH101', 'DH107', 'DH205'), expected)))


def test_severity_in_pyproject(files, capsys):
    (files / 'pyproject.toml').write_text('[tool.dockhooks.severity]\nDH107 = "error"\n')
    assert _levels(capsys, hook=dockerfile_combine_runs) == (1, {'DH107': 'error'})


@pytest.mark.parametrize(('config', 'args', 'error'), (
    ('', ('--severity', 'DH999=error'),
     "severity: unknown code or hook 'DH999'; `dockhooks rules` lists them"),
    ('[severity]\nno-such-hook = "error"\n', (),
     "severity: unknown code or hook 'no-such-hook'; `dockhooks rules` lists them"),
    ('', ('--severity', 'DH107=fatal'),
     "--severity 'DH107=fatal': the value must be one of error, warning"),
    ('', ('--severity', 'DH107'), "--severity 'DH107': expected CODE=LEVEL"),
    ('[severity]\nDH107 = "info"\n', (),
     ".dockhooks.toml: severity must be one of error, warning, not 'info'"),
    ('severity = "error"\n', (),
     ".dockhooks.toml: severity must be a table of strings, not 'error'"),
))
def test_severity_errors(config, args, error, files, capsys):
    (files / '.dockhooks.toml').write_text(config)
    error = error.replace('.dockhooks.toml', str(files / '.dockhooks.toml'))
    assert dockerfile_combine_runs.main([*args, 'Dockerfile']) == 2
    assert capsys.readouterr() == ('', f'dockerfile-combine-runs: error: {error}\n')
    assert cli.main(['check', *args, 'Dockerfile']) == 2
    assert capsys.readouterr() == ('', f'dockhooks: error: {error}\n')


def test_warnings_still_fail(files, capsys):
    assert dockerfile_combine_runs.main(['Dockerfile']) == 1
    assert capsys.readouterr() == (f'Dockerfile:2:1: DH107 {RUNS}\n', '')


@pytest.mark.parametrize('fmt', ('text', 'json', 'sarif', 'github'))
def test_exit_zero(fmt, files, capsys):
    rc, out, err = _check(capsys, '--exit-zero', '--format', fmt)
    assert (rc, err) == (0, '')
    assert 'DH101' in out
    assert dockerfile_pinned_base_image.main(['--exit-zero', 'Dockerfile']) == 0
    assert capsys.readouterr() == (f'Dockerfile:1:1: DH101 {NO_TAG}\n', '')


def test_exit_zero_from_the_config_file(files, capsys):
    (files / '.dockhooks.toml').write_text('exit-zero = true\n')
    assert _check(capsys) == (0, '\n'.join(TEXT) + '\n', '')


# -- cost ---------------------------------------------------------------------------------

def test_text_reporting_imports_no_json(tmp_path):
    """A hook that reports text must not pay for the json module (nor urllib)."""
    (tmp_path / '.git').mkdir()
    (tmp_path / 'compose.yaml').write_text(COMPOSE)
    code = (
        'import sys\n'
        'before = set(sys.modules)\n'
        'from dockhooks._findings import Finding, Reporter\n'
        'import dockhooks._hook, dockhooks._config, dockhooks._suppress\n'
        'r = Reporter(color=True)\n'
        "r.add(Finding('compose.yaml', 4, 5, 'DH205', 'm'))\n"
        'r.close()\n'
        "print(sorted(m for m in ('json', 'urllib.parse') if m in set(sys.modules) - before))\n"
    )
    run = subprocess.run((sys.executable, '-c', code), cwd=tmp_path, capture_output=True,
                         text=True, check=False, env={**os.environ, 'PYTHONWARNINGS': 'ignore'})
    assert (run.stdout, run.stderr) == (
        '\033[1mcompose.yaml\033[0m:4:5: \033[1;31mDH205\033[0m m\n[]\n', '')
