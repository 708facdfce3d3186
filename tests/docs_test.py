"""The documentation cannot drift: the manifest, the console scripts, the rule modules and
their docstrings, the registry, the README and `dockhooks explain` all name the same hooks."""
from __future__ import annotations

import importlib
import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from dockhooks import cli
from dockhooks._findings import LEVELS
from dockhooks._findings import REPORT_OPTIONS
from dockhooks._findings import github_anchor
from dockhooks._registry import BY_CODE
from dockhooks._registry import META_CODES
from dockhooks._registry import RULES
from dockhooks._suppress import HADOLINT_CODES

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover (Python < 3.11)
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / 'README.md').read_text(encoding='utf-8')
PYPROJECT = tomllib.loads((ROOT / 'pyproject.toml').read_text(encoding='utf-8'))
SCRIPTS = PYPROJECT['project']['scripts']
HEADINGS = ('## What it does', '## Why is this bad?', '## Example', '## Use instead',
            '## Options')


def _manifest() -> list[dict[str, object]]:
    from ruamel.yaml import YAML

    return YAML(typ='safe').load((ROOT / '.pre-commit-hooks.yaml').read_text(encoding='utf-8'))


MANIFEST = _manifest()
RULE_HOOKS = [str(h['id']) for h in MANIFEST if h['id'] != 'dockhooks']


def test_the_whole_collection_hook():
    (hook,) = [h for h in MANIFEST if h['id'] == 'dockhooks']
    assert hook['entry'] == 'dockhooks check'
    assert SCRIPTS['dockhooks'] == 'dockhooks.cli:main'


def test_every_registry_rule_is_in_the_manifest():
    assert sorted(RULE_HOOKS) == sorted(info.hook for info in RULES)
    assert len(set(RULE_HOOKS)) == len(RULE_HOOKS)


def test_every_console_script_is_a_manifest_hook():
    assert sorted(SCRIPTS) == sorted(['dockhooks', *RULE_HOOKS])


@pytest.mark.parametrize('hook', RULE_HOOKS)
def test_hook(hook, capsys):
    name = hook.replace('-', '_')
    # one hook = one console script named as its id = one module named after it
    assert SCRIPTS[hook] == f'dockhooks.{name}:main'
    assert (ROOT / 'hooks' / f'{name}.py').is_file()
    (entry,) = [h for h in MANIFEST if h['id'] == hook]
    assert entry['entry'] == hook
    assert entry['language'] == 'python'
    module = importlib.import_module(f'dockhooks.{name}')
    assert module.ID == hook
    info = BY_CODE[module.CODE]
    assert (info.hook, info.module) == (hook, name)
    assert module.SEVERITY in LEVELS
    assert isinstance(module.SUMMARY, str) and module.SUMMARY
    # the docstring is the documentation: a first line, then the five headings in order
    doc = (module.__doc__ or '').strip()
    assert doc.splitlines()[0].endswith('.')
    lines = doc.splitlines()
    positions = [lines.index(h) if h in lines else -1 for h in HEADINGS]
    assert -1 not in positions, f'{hook}: missing {HEADINGS[positions.index(-1)]}'
    assert positions == sorted(positions), f'{hook}: headings out of order'
    # the README: a row of the rules table, and a section (the SARIF helpUri points at it)
    assert f'| {module.CODE} | `{hook}` | {module.SUMMARY} |' in README
    heading = f'### `{hook}` ({module.CODE})'
    assert f'\n{heading}\n' in README
    assert github_anchor(heading[4:]) == f'{hook}-{module.CODE.lower()}'
    assert f'`{hook}`' in README.split('## Rules')[0]  # in the pre-commit snippet or id list
    # a rule that fixes says so, with the kind of its fix, in its docs and the README's
    # section and table; the others have no --fix
    section = README.split(f'\n{heading}\n')[1].split('\n### ')[0]
    fixing = README.split('\n## Fixing what the rules find\n')[1].split('\n## ')[0]
    if getattr(module, 'FIXES', None):
        assert '`--fix' in doc and '`--fix' in section
        for kind in ('safe', 'unsafe'):
            if kind in module.FIXES.split():
                assert ('(safe)' if kind == 'safe' else 'unsafe:') in doc.lower()
                assert f'| {kind} |' in fixing
        assert f'| {module.CODE} ' in fixing
    else:
        assert '--fix' not in doc and f'| {module.CODE} ' not in fixing
    # explain knows the code and the hook id, and prints the docstring
    for key in (module.CODE, hook):
        assert cli.main(['explain', key]) == 0
        assert capsys.readouterr() == (f'{module.CODE} {hook}\n\n{doc}\n', '')


def test_rules_lists_every_code(capsys):
    assert cli.main(['rules']) == 0
    out = capsys.readouterr().out
    codes = [line.split()[0] for line in out.splitlines()]
    assert codes == [*(info.code for info in RULES), *META_CODES]
    for code in META_CODES:
        assert f'| {code} | (any) |' in README


def test_readme_json_example_has_the_report_shape(tmp_path, monkeypatch, capsys):
    """The JSON example of the README has exactly the keys a real report has."""
    example = json.loads(re.search(r'`--format json` writes one document:\n\n```json\n(.*?)```',
                                   README, re.S).group(1))
    (tmp_path / '.git').mkdir()
    monkeypatch.chdir(tmp_path)
    (tmp_path / 'Dockerfile').write_text('FROM python\nUSER app\n')
    assert cli.main(['check', '--select', 'DH101', '--format', 'json', 'Dockerfile']) == 1
    real = json.loads(capsys.readouterr().out)

    def shape(value):
        if isinstance(value, dict):
            return {k: shape(v) for k, v in value.items() if not k.startswith('DH')}
        if isinstance(value, list):
            return [shape(v) for v in value[:1]]
        return type(value).__name__

    assert shape(example) == shape(real)


def test_readme_hadolint_table_is_the_mapping():
    rows = re.findall(r'^\| (DL\d{4}) \| [^|]+ \| (DH\d{3}) `([a-z-]+)` \|$', README, re.M)
    assert {dl: dh for dl, dh, _ in rows} == HADOLINT_CODES
    assert len(rows) == len(HADOLINT_CODES)
    for _, dh, hook in rows:
        assert BY_CODE[dh].hook == hook


def test_readme_documents_the_reporting_options():
    for option in REPORT_OPTIONS:
        assert f'`--{option}' in README
    for section in ('## Output formats', '### JSON report', '### SARIF', '## CI recipes',
                    '### GitHub Actions', '### GitLab CI', '### pre-commit.ci',
                    '## Migrating from hadolint'):
        assert f'\n{section}\n' in README
    assert README.index('## Migrating from hadolint') < README.index('## Development')


def test_readme_warning_rules_are_the_warning_rules():
    text = README.split('### Severity and exit status')[1].split('###')[0]
    said = set(re.findall(r'(DH\d{3})\s+`', text.split('Every other rule')[0]))
    warnings = {info.code for info in RULES
                if importlib.import_module(f'dockhooks.{info.module}').SEVERITY == 'warning'}
    assert said == warnings


# -- README, "Adopting on an existing repository": the examples run as written ----------------

ADOPTING = README.split('\n## Adopting on an existing repository\n')[1].split('\n## ')[0]


def _fenced(lang: str) -> list[str]:
    """The ``lang`` code blocks of the adoption section, dedented (some are in a list)."""
    return [textwrap.dedent(m.group(2)) for m in
            re.finditer(rf'^( *)```{lang}\n(.*?)^\1```', ADOPTING, re.M | re.S)]


def test_readme_adoption_steps_run_as_written(tmp_path):
    if shutil.which('git') is None:
        pytest.skip('git is needed')
    repo = tmp_path / 'bad'
    shutil.copytree(ROOT / 'examples' / 'bad', repo)
    setting, _ = _fenced('toml')
    (repo / 'pyproject.toml').write_text(setting)
    (repo / '.pre-commit-config.yaml').write_text('repos: []\n')
    env = {k: v for k, v in os.environ.items() if not k.startswith('GIT_')}
    env.update({
        'PATH': f'{Path(sys.executable).parent}{os.pathsep}{env.get("PATH", "")}',
        'GIT_AUTHOR_NAME': 'test', 'GIT_AUTHOR_EMAIL': 'test@example.invalid',
        'GIT_COMMITTER_NAME': 'test', 'GIT_COMMITTER_EMAIL': 'test@example.invalid',
        'GIT_CONFIG_GLOBAL': os.devnull, 'GIT_CONFIG_NOSYSTEM': '1',
    })
    subprocess.run(('git', 'init', '-q'), cwd=repo, env=env, check=True)
    printed = re.search(r'It prints what it wrote, e\.g\. `([^`]+)`', ADOPTING).group(1)
    commands = [line for block in _fenced('console') for line in block.splitlines()]
    assert commands[0] == 'dockhooks baseline'
    for command in commands:
        done = subprocess.run(command, shell=True, cwd=repo, env=env, capture_output=True,
                              text=True, check=False)
        assert done.returncode == 0, (command, done.stdout, done.stderr)
        if command == 'dockhooks baseline':
            assert done.stdout == f'{printed}\n'
    committed = subprocess.run(('git', 'show', '--stat', '--format=%s', 'HEAD'), cwd=repo,
                               capture_output=True, text=True, check=True).stdout
    assert '.dockhooks-baseline.json' in committed
    check = subprocess.run(('dockhooks', 'check'), cwd=repo, env=env, capture_output=True,
                           text=True, check=False)
    assert (check.returncode, check.stdout, check.stderr) == (0, '', '')
    # the file's example is an entry of the real file
    (example,) = _fenced('json')
    shown = json.loads(example)
    real = json.loads((repo / '.dockhooks-baseline.json').read_text())
    assert shown['format'] == real['format']
    (entry,) = shown['findings']
    assert entry in real['findings']


def test_readme_per_file_ignores_run_as_written(clean_cwd, capsys):
    _, per_file = _fenced('toml')
    (clean_cwd / 'pyproject.toml').write_text(per_file)
    base = 'FROM alpine:3.20\nRUN apk add --no-cache gcc && make\nCMD ["/app"]\n'  # DH102, DH104
    dev = 'services:\n  web:\n    image: nginx:1.27\n'  # DH204 and DH205
    files = {
        'images/base/Dockerfile': base, 'images/base/py/Dockerfile': base,
        'compose.dev.yaml': dev, 'tools/compose.dev.yaml': dev,
        'docker-compose.override.yml': dev,
        'examples/Dockerfile': 'FROM nginx\nUSER app\n',  # DH101
        'examples/compose.yaml': 'services:\n  web:\n    image: nginx\n',  # DH201
        'examples/.env': 'A=1\n',  # DH302
        'third_party/x/Dockerfile': 'FROM python\n',  # excluded
        'docs/guide/Dockerfile': 'FROM python\n',  # excluded
        # the same problems elsewhere are reported
        'Dockerfile': base, 'compose.yaml': dev, 'app/Dockerfile': 'FROM nginx\nUSER app\n',
    }
    for name, text in files.items():
        (clean_cwd / name).parent.mkdir(parents=True, exist_ok=True)
        (clean_cwd / name).write_text(text)
    codes = ('--select', 'DH101,DH102,DH104,DH201,DH204,DH205,DH302')
    assert cli.main(['check', *codes]) == 1
    out, err = capsys.readouterr()
    assert err == ''
    reported = sorted((line.split(':')[0], line.split()[1]) for line in out.splitlines())
    assert reported == [
        ('Dockerfile', 'DH102'), ('Dockerfile', 'DH104'),
        ('app/Dockerfile', 'DH101'),
        ('compose.yaml', 'DH204'), ('compose.yaml', 'DH205'),
        ('examples/compose.yaml', 'DH204'), ('examples/compose.yaml', 'DH205'),
    ]
