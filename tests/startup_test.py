"""A hook imports only what it needs (issue 7: each hook's process within 3x of bare Python
start-up). The modules named here cost milliseconds each at start-up (python -X importtime,
benchmarks/run.py) and are not needed by the hook in question."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

# pathspec: ~7 ms (only the DockerignorePattern flavour uses it); dataclasses: ~8 ms with
# inspect, ast, dis and tokenize; shutil: ~2.5 ms with bz2 and lzma, which argparse's default
# help formatter imports for the terminal width; subprocess: only to ask git for the files of
# a folder; ruamel.yaml: ~15 ms, compose files only; dockerfile_parse: ~9 ms with logging and
# json, never (it is the reference the Dockerfile scanner is tested against); hashlib and json:
# only with a baseline, an exec-form instruction or the json/sarif formats.
ALWAYS_HEAVY = ('pathspec', 'dataclasses', 'inspect', 'shutil', 'hashlib', 'dockerfile_parse',
                'logging')
# the modules of the adoption settings, imported only when one is set
ADOPTION = ('dockhooks._baseline', 'dockhooks._scope')
# the fixer, imported only by a run that fixes or a finding that carries a fix
NOT_FIXING = ('dockhooks._fixes',)
# typing: ~3 ms with contextlib and warnings; dockhooks needs it only for type checkers
# (dockhooks._records), and only ruamel.yaml brings it along
NO_TYPING = ('typing',)

CASES = [
    ('dockhooks.dockerfile_pinned_base_image', ['Dockerfile'],
     (*ALWAYS_HEAVY, 'subprocess', 'ruamel', 'json', 'argparse', *NOT_FIXING, *NO_TYPING)),
    ('dockhooks.dockerfile_clean_package_install', ['Dockerfile'],
     (*ALWAYS_HEAVY, 'subprocess', 'ruamel', 'json', 'argparse', *NOT_FIXING, *NO_TYPING)),
    ('dockhooks.compose_read_only', ['compose.yaml'],
     (*ALWAYS_HEAVY, 'subprocess', 'dockerfile_parse', 'json')),
    ('dockhooks.no_committed_env_files', ['.env'],
     (*ALWAYS_HEAVY, 'subprocess', 'dockerfile_parse', 'ruamel', 'json', *NOT_FIXING, *NO_TYPING)),
    ('dockhooks.dockerignore_complete', ['Dockerfile'], (*ALWAYS_HEAVY, 'ruamel')),
    ('dockhooks.cli', ['check', 'Dockerfile'], (*ALWAYS_HEAVY, 'subprocess', 'ruamel')),
]

CODE = '''
import contextlib, io, sys
from importlib import import_module
main = import_module(sys.argv[1]).main
with contextlib.redirect_stdout(io.StringIO()):
    main(sys.argv[2:])
modules = sorted(sys.modules)
import json
print(json.dumps(modules))
'''


@pytest.mark.parametrize(('module', 'argv', 'absent'), CASES, ids=[c[0] for c in CASES])
def test_hook_imports_only_what_it_needs(module: str, argv: list[str], absent: tuple[str, ...],
                                         tmp_path: Path) -> None:
    (tmp_path / '.git').mkdir()
    (tmp_path / 'Dockerfile').write_text(
        'FROM python:3.12-slim\nENV GREETING="hello world"\nCOPY . /app\nUSER app\n'
        'CMD ["python", "-m", "app"]\n')
    (tmp_path / '.dockerignore').write_text('.git\n**/*.log\n**/.env\n**/.env.*\n')
    # a compose file that builds the Dockerfile, as most do: the Dockerfile hooks read such
    # files only where their text holds what they look for (DH102: a root grant, a bind mount)
    (tmp_path / 'compose.yaml').write_text(
        'services:\n  web:\n    build: .\n    image: example/web:1.2\n'
        '    tmpfs: [/tmp, /var/run/postgresql]\n    volumes: [data:/var/lib/data]\n'
        'volumes:\n  data:\n')
    (tmp_path / '.env').write_text('A=1\n')
    out = subprocess.run([sys.executable, '-c', CODE, module, *argv], cwd=tmp_path,
                         capture_output=True, text=True, check=True, timeout=60).stdout
    modules = set(json.loads(out))
    loaded = {name.split('.')[0] for name in modules}
    assert not (loaded | modules) & set(absent)
    assert not modules & set(ADOPTION)


def test_a_dockerfile_hook_reads_compose_files_only_where_they_can_matter(tmp_path: Path) -> None:
    """DH102 on an image that runs as root asks the compose files that build it whether they
    grant root on purpose or mount the working tree; a file that holds neither (a postgres
    tmpfs under /var/run, a named volume) is not parsed, so ruamel.yaml stays out."""
    (tmp_path / '.git').mkdir()
    (tmp_path / 'Dockerfile').write_text(
        'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nCMD ["python", "-m", "app"]\n')
    (tmp_path / 'compose.yaml').write_text(
        'services:\n  web:\n    build: .\n    image: example/web:1.2\n'
        '    tmpfs: [/tmp, /var/run/postgresql]\n    volumes: [data:/var/lib/data]\n'
        'volumes:\n  data:\n')
    out = subprocess.run([sys.executable, '-c', CODE, 'dockhooks.dockerfile_non_root_user',
                          'Dockerfile'], cwd=tmp_path, capture_output=True, text=True,
                         check=True, timeout=60).stdout
    modules = set(json.loads(out))
    assert 'dockhooks._compose' in modules  # it did look
    assert not {m for m in modules if m.startswith('ruamel')}
    # a file that does grant root is read, and the image is root by design
    (tmp_path / 'compose.yaml').write_text(
        'services:\n  web:\n    build: .\n    privileged: true\n')
    out = subprocess.run([sys.executable, '-c', CODE, 'dockhooks.dockerfile_non_root_user',
                          'Dockerfile'], cwd=tmp_path, capture_output=True, text=True,
                         check=True, timeout=60).stdout
    assert {m for m in json.loads(out) if m.startswith('ruamel')}
