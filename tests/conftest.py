from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

# The real-world corpus (Dockerfiles, compose and ignore files from public repositories, listed
# in MANIFEST.tsv) lives next to the repository, not in it.
CORPUS = Path(__file__).resolve().parents[2] / 'shared' / 'corpus'
CORPUS_MISSING = '../shared/corpus not found: the real-world corpus tests run in CI'


def corpus_paths(kind: str) -> list[Path]:
    """The corpus files of one kind ('dockerfile', 'compose', 'dockerignore')."""
    rows = (CORPUS / 'MANIFEST.tsv').read_text(encoding='utf-8').splitlines()[1:]
    return [CORPUS / r.split('\t')[2] for r in rows if r.split('\t')[3] == kind]


@pytest.fixture
def corpus() -> Path:
    """The corpus folder; skips the test when it is not there."""
    if not (CORPUS / 'MANIFEST.tsv').is_file():
        pytest.skip(CORPUS_MISSING)
    return CORPUS


@pytest.fixture
def corpus_dockerfiles(corpus: Path) -> list[Path]:
    return corpus_paths('dockerfile')


@pytest.fixture
def clean_cwd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run in ``tmp_path``, with a ``.git`` folder there so that the config lookup stops at
    ``tmp_path`` instead of finding a ``pyproject.toml`` above it."""
    (tmp_path / '.git').mkdir()
    monkeypatch.chdir(tmp_path)
    return tmp_path


def fix_everything(target: Path, codes: str, capsys: pytest.CaptureFixture[str]) -> str:
    """Run ``dockhooks check --fix --unsafe-fixes`` over one file with the rules given, afresh
    (no parse of an earlier run reused), and return the file's text afterwards."""
    from dockhooks import cli
    from dockhooks._hook import _PARSED
    _PARSED.clear()
    cli.main(['check', '--select', codes, '--fix', '--unsafe-fixes', '--format', 'json',
              str(target)])
    capsys.readouterr()
    return target.read_text(encoding='utf-8')


@pytest.fixture
def git_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """git, with no GIT_* variable of the calling process (a hook run sets GIT_DIR)."""
    if shutil.which('git') is None:
        pytest.skip('git is needed')
    for key in list(os.environ):
        if key.startswith('GIT_'):
            monkeypatch.delenv(key)
