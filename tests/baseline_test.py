"""The baseline: `dockhooks baseline` records the findings, `--baseline` / `baseline =` reports
only the others. A finding keeps its identity through what does not touch it and loses it when
what it points at changes."""
from __future__ import annotations

import json
import os

import pytest
from dockhooks import _baseline
from dockhooks import cli
from dockhooks import dockerfile_no_secrets
from dockhooks._findings import Finding
from dockhooks._hook import _PARSED
from hookrun import df
from hookrun import fingerprint

SELECT = ('--select', 'DH101,DH103,DH107,DH201,DH206', '--max-consecutive', '2')
BASELINE = '.dockhooks-baseline.json'

DOCKERFILE = df(
    'FROM python',
    'ENV SECRET_KEY=abc123',
    'RUN a',
    'RUN b',
    'RUN c',
    'USER app',
)
COMPOSE = df(
    'services:',
    '  api:',
    '    image: example/api',
    '    environment:',
    '      DB_PASSWORD: hunter2',
    '  db:',
    '    image: postgres:16',
)

NO_TAG = ('Dockerfile:1:1: DH101 base image python has no tag, so it means :latest; pin a '
          'version: FROM python:<version>')
SECRET = ('DH103 ENV SECRET_KEY bakes a secret into the image config; remove it and give it at '
          'run time (docker run -e SECRET_KEY, compose environment from .env or secrets:), or '
          'use RUN --mount=type=secret for build steps')
RUNS = ('Dockerfile:3:1: DH107 3 consecutive RUN instructions (lines 3-5) make 3 layers; join '
        'the commands into one RUN with && (at most 2 in a row)')
API_IMAGE = ('compose.yaml:3:5: DH201 service api: image example/api has no tag, so it means '
             ':latest; pin a version: image: example/api:<version>, or, where it publishes no '
             'such tag, a digest: image: example/api@sha256:<digest>')
DB_PASSWORD = ('DH206 service {}: environment DB_PASSWORD has a secret-like name and a literal '
               'value, committed with the file; use DB_PASSWORD: ${{DB_PASSWORD:?set DB_PASSWORD '
               'in .env}} with the value in a git-ignored .env, or compose secrets: mounted at '
               '/run/secrets')
EVERYTHING = [NO_TAG, f'Dockerfile:2:1: {SECRET}', RUNS, API_IMAGE,
              f'compose.yaml:5:7: {DB_PASSWORD.format("api")}']


def _main(capsys, *args):
    _PARSED.clear()  # each file is parsed once per process: these tests change them
    rc = cli.main(list(args))
    out, err = capsys.readouterr()
    return rc, out.splitlines(), err


@pytest.fixture
def repo(clean_cwd, capsys):
    """The two files, and a baseline of their findings."""
    (clean_cwd / 'Dockerfile').write_text(DOCKERFILE)
    (clean_cwd / 'compose.yaml').write_text(COMPOSE)
    assert _main(capsys, 'check', *SELECT) == (1, EVERYTHING, '')
    assert _main(capsys, 'baseline', *SELECT) == (
        0, [f'{BASELINE}: recorded 5 findings in 2 files'], '')
    return clean_cwd


def _check(capsys, *paths):
    return _main(capsys, 'check', *SELECT, '--baseline', BASELINE, *paths)


def test_the_baseline_hides_what_it_records(repo, capsys):
    assert _check(capsys) == (0, [], '')
    assert _main(capsys, 'check', *SELECT) == (1, EVERYTHING, '')  # without it: all


KEPT = (
    # (what changes, file, its new text): every finding keeps its identity
    ('lines inserted above', 'Dockerfile', '# the API\n\n\n' + DOCKERFILE),
    ('lines removed', 'Dockerfile', DOCKERFILE.replace('USER app\n', '')),
    ('the offending instruction re-indented and split', 'Dockerfile',
     DOCKERFILE.replace('ENV SECRET_KEY=abc123', '  ENV   \\\n      SECRET_KEY=abc123')),
    ('a comment inside the offending instruction', 'Dockerfile',
     DOCKERFILE.replace('ENV SECRET_KEY=abc123', 'ENV \\\n# the key\n SECRET_KEY=abc123')),
    ('other instructions edited', 'Dockerfile',
     DOCKERFILE.replace('RUN b', 'RUN b --verbose').replace('USER app', 'USER web')),
    ('services reordered', 'compose.yaml', df(
        'services:',
        '  db:',
        '    image: postgres:16',
        '  api:',
        '    environment:',
        '      DB_PASSWORD: hunter2',
        '    image: example/api',
    )),
    ('re-indented', 'compose.yaml', COMPOSE.replace('  ', '    ')),
    ('lines inserted in the service and above', 'compose.yaml', '# the stack\n' + COMPOSE.replace(
        '    image: example/api\n', '    image: example/api\n    ports:\n      - "80:80"\n')),
)


@pytest.mark.parametrize(('change', 'name', 'text'), KEPT, ids=[k[0] for k in KEPT])
def test_identity_is_kept(change, name, text, repo, capsys):
    (repo / name).write_text(text)
    assert _check(capsys) == (0, [], '')


BROKEN = (
    # (what changes, file, its new text, the one finding that is new)
    ('a new secret value', 'Dockerfile', DOCKERFILE.replace('abc123', 'qrs789'),
     f'Dockerfile:2:1: {SECRET}'),
    ('a different base image', 'Dockerfile', DOCKERFILE.replace('python', 'python:latest'),
     'Dockerfile:1:1: DH101 base image python:latest uses the tag latest, which moves with '
     'every release; pin a version: FROM python:<version>'),
    ('the same problem once more', 'Dockerfile', DOCKERFILE + 'ENV SECRET_KEY=abc123\n',
     f'Dockerfile:7:1: {SECRET}'),  # the occurrence index tells the two apart
    ('a longer sequence of RUNs', 'Dockerfile', DOCKERFILE.replace('RUN c', 'RUN c\nRUN d'),
     'Dockerfile:3:1: DH107 4 consecutive RUN instructions (lines 3-6) make 4 layers; join the '
     'commands into one RUN with && (at most 2 in a row)'),
    ('a new compose secret value', 'compose.yaml', COMPOSE.replace('hunter2', 'hunter3'),
     f'compose.yaml:5:7: {DB_PASSWORD.format("api")}'),
    ('a different compose image', 'compose.yaml', COMPOSE.replace('api\n', 'api:latest\n'),
     'compose.yaml:3:5: DH201 service api: image example/api:latest uses the tag latest, which '
     'moves with every release; pin a version: image: example/api:<version>, or, where it '
     'publishes no such tag, a digest: image: example/api:latest@sha256:<digest>'),
     # the same value written once more is one finding naming both places: a new finding
    ('the same line in another service', 'compose.yaml',
     COMPOSE + '    environment:\n      DB_PASSWORD: hunter2\n',
     'compose.yaml:5:7: DH206 service api: environment DB_PASSWORD has a secret-like name and a '
     'literal value, committed with the file; the same value is also in service db environment '
     'DB_PASSWORD (line 9); put it in one variable: write ${DB_PASSWORD:?set DB_PASSWORD in '
     '.env} in place of the value at each place, with the value in a git-ignored .env'),
)


@pytest.mark.parametrize(('change', 'name', 'text', 'new'), BROKEN, ids=[b[0] for b in BROKEN])
def test_identity_is_broken(change, name, text, new, repo, capsys):
    (repo / name).write_text(text)
    assert _check(capsys) == (1, [new], '')


def test_from_another_folder_and_through_the_setting(repo, capsys, monkeypatch):
    (repo / '.dockhooks.toml').write_text(f'baseline = "{BASELINE}"\n')
    (repo / 'sub').mkdir()
    monkeypatch.chdir(repo / 'sub')
    # the setting is relative to the config file's folder, the paths to the baseline's
    assert _main(capsys, 'check', *SELECT, '..') == (0, [], '')
    assert _main(capsys, 'check', *SELECT, '--baseline', f'../{BASELINE}', '..') == (0, [], '')
    # and the hooks take it too
    assert dockerfile_no_secrets.main(['../Dockerfile']) == 0
    assert capsys.readouterr() == ('', '')


def test_an_empty_baseline_option_reports_everything(repo, capsys):
    (repo / '.dockhooks.toml').write_text(f'baseline = "{BASELINE}"\n')
    assert _main(capsys, 'check', *SELECT) == (0, [], '')
    assert _main(capsys, 'check', *SELECT, '--baseline', '') == (1, EVERYTHING, '')


def test_a_hook_with_a_baseline(repo, capsys):
    (repo / 'Dockerfile').write_text(DOCKERFILE + 'ENV API_TOKEN=t0k3n\n')
    _PARSED.clear()
    assert dockerfile_no_secrets.main(['--baseline', BASELINE, 'Dockerfile']) == 1
    assert capsys.readouterr() == (
        'Dockerfile:7:1: DH103 ENV API_TOKEN bakes a secret into the image config; remove it '
        'and give it at run time (docker run -e API_TOKEN, compose environment from .env or '
        'secrets:), or use RUN --mount=type=secret for build steps\n', '')


def test_contexts_and_env_files_from_another_folder(clean_cwd, capsys, monkeypatch):
    # their messages name paths relative to the working folder: rebased to the baseline's
    (clean_cwd / 'Dockerfile').write_text('FROM python:3.12-slim\nCOPY . .\nUSER app\n')
    (clean_cwd / '.env').write_text('DB_PASSWORD=hunter2\n')
    (clean_cwd / 'sub').mkdir()
    select = ('--select', 'DH301,DH302')
    rc, out, _ = _main(capsys, 'check', *select)
    assert (rc, [line.split(': ')[0] for line in out]) == (
        1, ['Dockerfile:1:1', '.env:1:1'])
    assert 'build context . has no .dockerignore' in out[0]
    assert _main(capsys, 'baseline', *select)[0] == 0
    monkeypatch.chdir(clean_cwd / 'sub')
    rc, out, _ = _main(capsys, 'check', *select, '..')
    assert 'build context .. has no .dockerignore' in out[0]
    assert _main(capsys, 'check', *select, '--baseline', f'../{BASELINE}', '..') == (0, [], '')


def test_an_env_file_finding_is_its_keys_lines(clean_cwd, capsys):
    (clean_cwd / '.env').write_text('TZ=UTC\nDB_PASSWORD=hunter2\n')
    assert _main(capsys, 'baseline', '--select', 'DH302')[0] == 0
    # other lines change, lines move: the same finding
    (clean_cwd / '.env').write_text('# settings\nTZ=Europe/Paris\nPORT=80\nDB_PASSWORD=hunter2\n')
    assert _main(capsys, 'check', '--select', 'DH302', '--baseline', BASELINE) == (0, [], '')
    # a new value of the secret: a new finding
    (clean_cwd / '.env').write_text('TZ=UTC\nDB_PASSWORD=hunter3\n')
    rc, out, _ = _main(capsys, 'check', '--select', 'DH302', '--baseline', BASELINE)
    assert (rc, [line.split(': ')[0] for line in out]) == (1, ['.env:2:1'])
    assert 'hunter' not in (clean_cwd / BASELINE).read_text()  # the value only in the hash


# -- the file --------------------------------------------------------------------------------

def test_the_file(repo):
    text = (repo / BASELINE).read_text(encoding='utf-8')
    assert text.endswith('}\n')
    assert 'abc123' not in text and 'hunter2' not in text  # only hashes of secrets
    doc = json.loads(text)
    assert doc == {'format': 'dockhooks-baseline/1', 'findings': [
        {'file': 'Dockerfile', 'code': 'DH101', 'message': NO_TAG.split(' DH101 ')[1],
         'fingerprint': fingerprint('Dockerfile', 'DH101', 'FROM python',
                                    NO_TAG.split(' DH101 ')[1])},
        {'file': 'Dockerfile', 'code': 'DH103', 'message': SECRET[6:],
         'fingerprint': fingerprint('Dockerfile', 'DH103', 'ENV SECRET_KEY=abc123',
                                    SECRET[6:])},
        {'file': 'Dockerfile', 'code': 'DH107',
         'message': RUNS.split(' DH107 ')[1].replace('lines 3-5', 'lines N-N'),
         'fingerprint': fingerprint('Dockerfile', 'DH107', 'RUN a',
                                    RUNS.split(' DH107 ')[1].replace('3-5', 'N-N'))},
        {'file': 'compose.yaml', 'code': 'DH201', 'message': API_IMAGE.split(' DH201 ')[1],
         'fingerprint': fingerprint('compose.yaml', 'DH201', 'services/api image: example/api',
                                    API_IMAGE.split(' DH201 ')[1])},
        {'file': 'compose.yaml', 'code': 'DH206', 'message': DB_PASSWORD.format('api')[6:],
         'fingerprint': fingerprint('compose.yaml', 'DH206',
                                    'services/api/environment DB_PASSWORD: hunter2',
                                    DB_PASSWORD.format('api')[6:])},
    ]}
    assert text.startswith('{\n  "format": "dockhooks-baseline/1",\n  "findings": [\n    {\n'
                           '      "file": "Dockerfile",\n      "code": "DH101",\n')


def test_rewriting_is_stable_and_drops_fixed_findings(repo, capsys):
    before = (repo / BASELINE).read_bytes()
    (repo / 'Dockerfile').write_text('# moved\n\n' + DOCKERFILE)
    assert _main(capsys, 'baseline', *SELECT)[0] == 0
    assert (repo / BASELINE).read_bytes() == before  # no line numbers, no times
    (repo / 'Dockerfile').write_text(DOCKERFILE.replace('python', 'python:3.12-slim'))
    assert _main(capsys, 'baseline', *SELECT) == (
        0, [f'{BASELINE}: recorded 4 findings in 2 files'], '')
    rows = json.loads((repo / BASELINE).read_text())['findings']
    assert [(r['file'], r['code']) for r in rows] == [
        ('Dockerfile', 'DH103'), ('Dockerfile', 'DH107'), ('compose.yaml', 'DH201'),
        ('compose.yaml', 'DH206')]


def test_baseline_output_and_setting(clean_cwd, capsys):
    (clean_cwd / 'Dockerfile').write_text('FROM python:3.12-slim\nCMD ["app"]\n')
    assert _main(capsys, 'baseline', '--output', 'b.json', 'Dockerfile') == (
        0, ['b.json: recorded 1 finding in 1 file'], '')
    (clean_cwd / 'ci').mkdir()
    (clean_cwd / '.dockhooks.toml').write_text('baseline = "ci/known.json"\n')
    # the setting names the file `baseline` writes, relative to the config file
    assert _main(capsys, 'baseline') == (
        0, [f'{os.path.join("ci", "known.json")}: recorded 1 finding in 1 file'], '')
    # paths relative to the baseline's folder
    (row,) = json.loads((clean_cwd / 'b.json').read_text())['findings']
    (moved,) = json.loads((clean_cwd / 'ci' / 'known.json').read_text())['findings']
    assert (row['file'], moved['file'], moved['code']) == ('Dockerfile', '../Dockerfile', 'DH102')
    assert (row['fingerprint'], moved['fingerprint']) == (
        fingerprint('Dockerfile', 'DH102', 'FROM python:3.12-slim', row['message']),
        fingerprint('../Dockerfile', 'DH102', 'FROM python:3.12-slim', row['message']))
    assert _main(capsys, 'check') == (0, [], '')
    (clean_cwd / 'clean').mkdir()
    assert _main(capsys, 'baseline', '--output', 'empty.json', 'clean') == (
        0, ['empty.json: recorded 0 findings in 0 files'], '')
    assert (clean_cwd / 'empty.json').read_text() == (
        '{\n  "format": "dockhooks-baseline/1",\n  "findings": []\n}\n')


def test_baseline_respects_ignore_and_never_fixes(clean_cwd, capsys):
    (clean_cwd / 'Dockerfile').write_text('FROM python:3.12-slim\nCOPY . .\n')
    # fix = true in the configuration (for the hooks) does not make baseline fix anything
    (clean_cwd / '.dockhooks.toml').write_text('fix = true\n')
    assert _main(capsys, 'baseline', '--ignore', 'DH102') == (
        0, [f'{BASELINE}: recorded 1 finding in 1 file'], '')
    assert not (clean_cwd / '.dockerignore').exists()
    (row,) = json.loads((clean_cwd / BASELINE).read_text())['findings']
    assert row['code'] == 'DH301'


def test_baseline_cannot_be_written(clean_cwd, capsys):
    (clean_cwd / 'Dockerfile').write_text('FROM python\n')
    assert _main(capsys, 'baseline', '--output', 'no/such/folder.json') == (
        2, [], 'dockhooks: error: no/such/folder.json: cannot be written '
               '(No such file or directory)\n')


# -- a baseline that cannot be used is a configuration error ---------------------------------

UNUSABLE = (
    # (the file's bytes or None for no file, the error after `PATH: `)
    (None, 'the baseline cannot be read (No such file or directory); write it with dockhooks '
           'baseline'),
    (b'{"format": ', 'the baseline is not valid JSON (Expecting value: line 1 column 12 '
                    '(char 11))'),
    (b'\xff\xfe{}', "the baseline is not valid JSON ('utf-8' codec can't decode byte 0xff in "
                    'position 0: invalid start byte)'),
    (b'[]', 'not a dockhooks baseline (no "format": "dockhooks-baseline/1")'),
    (b'{"format": "dockhooks-baseline/2", "findings": []}',
     'not a dockhooks baseline (no "format": "dockhooks-baseline/1")'),
    (b'{"format": "dockhooks-baseline/1"}', 'the baseline has no "findings" list'),
    (b'{"format": "dockhooks-baseline/1", "findings": [{"fingerprint": "abc"}]}',
     'finding 1 of the baseline has no "fingerprint" of 64 hex digits'),
    (b'{"format": "dockhooks-baseline/1", "findings": ["x"]}',
     'finding 1 of the baseline has no "fingerprint" of 64 hex digits'),
)


@pytest.mark.parametrize(('data', 'error'), UNUSABLE)
def test_unusable_baseline(data, error, clean_cwd, capsys):
    (clean_cwd / 'Dockerfile').write_text('FROM python\n')
    if data is not None:
        (clean_cwd / 'b.json').write_bytes(data)
    assert _main(capsys, 'check', '--baseline', 'b.json') == (
        2, [], f'dockhooks: error: b.json: {error}\n')
    assert dockerfile_no_secrets.main(['--baseline', 'b.json', 'Dockerfile']) == 2
    assert capsys.readouterr() == ('', f'dockerfile-no-secrets: error: b.json: {error}\n')


def test_unusable_baseline_setting(clean_cwd, capsys):
    (clean_cwd / 'Dockerfile').write_text('FROM python\n')
    (clean_cwd / '.dockhooks.toml').write_text('baseline = "gone.json"\n')
    assert _main(capsys, 'check') == (
        2, [], f'dockhooks: error: {clean_cwd / "gone.json"}: the baseline cannot be read '
               f'(No such file or directory); write it with dockhooks baseline\n')
    (clean_cwd / '.dockhooks.toml').write_text('baseline = ""\n')
    assert _main(capsys, 'check') == (
        2, [], f"dockhooks: error: {clean_cwd / '.dockhooks.toml'}: baseline must be a file "
               f"name, not ''\n")


# -- the fingerprint ---------------------------------------------------------------------------

@pytest.mark.parametrize(('message', 'key'), (
    ('(lines 3-5) make 3 layers', '(lines N-N) make 3 layers'),
    ('fetched by the RUN on line 12, which', 'fetched by the RUN on line N, which'),
    ('key "a" (first at line 2): Compose', 'key "a" (first at line N): Compose'),
    ('no line numbers: python:3.12 on 2 lines', 'no line numbers: python:3.12 on 2 lines'),
))
def test_message_key(message, key):
    assert _baseline.message_key(message) == key


def _fingerprint(path, line, code, message='m'):
    (recorded,) = _baseline.fingerprints([Finding(path, line, 1, code, message)],
                                         os.path.abspath('.'))
    return recorded.fingerprint


CONTENTS = (
    # (file name, text, line, code, the content the fingerprint hashes)
    ('Dockerfile', df('FROM alpine:3.20', 'RUN apt-get update \\', '  # why', '    && x', 'USER a'),
     3, 'DH106', 'RUN apt-get update && x'),  # any line of the instruction: all of it
    ('Dockerfile', df('# escape=`', 'FROM alpine:3.20', 'RUN a `', '  b'), 3, 'DH107', 'RUN a b'),
    ('Dockerfile', df('# dockhooks: ignore=DH999', 'FROM alpine:3.20'), 1, 'DH002',
     '# dockhooks: ignore=DH999'),
    ('compose.yaml', df('services:', '  web:', '    ports:', '    - "80:80"'), 4, 'DH205',
     'services/web/ports - "80:80"'),  # a sequence at its key's indentation
    ('compose.yaml', df('services:', '  web:', '    volumes:', '      - type: bind',
                        '        source: ./x'), 5, 'DH205', 'services/web/volumes/- source: ./x'),
    ('compose.yaml', df('x: 1', '---', 'services:', '  web:', '    image: a'), 5, 'DH201',
     'services/web image: a'),  # the keys of its own YAML document only
    ('compose.yaml', 'services: [\n', 1, 'DH001', ''),  # cannot be parsed
    ('.env', 'A=1\n', 1, 'DH302', ''),  # never read
)


@pytest.mark.parametrize(('name', 'text', 'line', 'code', 'content'), CONTENTS)
def test_content(name, text, line, code, content, clean_cwd):
    (clean_cwd / name).write_text(text)
    assert _fingerprint(name, line, code) == fingerprint(name, code, content, 'm')
