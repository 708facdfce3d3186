"""The real-world corpus (``../shared/corpus``): every hook finishes on every file, without a
traceback, and every corpus Dockerfile can be read and parsed, except those Docker itself
refuses to build (broken on purpose, as a test fixture of the repository they come from)."""
from __future__ import annotations

import importlib
import re
import subprocess
import sys
from pathlib import Path

import pytest
from dockhooks import dockerfile_no_secrets
from dockhooks import dockerfile_non_root_user
from dockhooks import dockerfile_pinned_base_image
from dockhooks._dockerfile import INSTRUCTIONS
from dockhooks._registry import BY_HOOK
from dockhooks._registry import RULES
from ruamel.yaml import YAML


def _refused_by_docker(path: Path) -> bool:
    """Whether BuildKit refuses the file: its own parser fails, or finds an instruction Docker
    does not know (``WRONG DOCKERFILE`` in a fixture of docker/compose), which fails the build."""
    dockerfile = pytest.importorskip('dockerfile')
    try:
        commands = dockerfile.parse_file(str(path))
    except dockerfile.GoParseError:
        return True
    return any(c.cmd.upper() not in INSTRUCTIONS for c in commands)


@pytest.mark.parametrize('module', (
    dockerfile_pinned_base_image, dockerfile_non_root_user, dockerfile_no_secrets,
))
def test_hook_on_the_corpus(module, corpus_dockerfiles, capsys, clean_cwd):
    rc = module.main([str(p) for p in corpus_dockerfiles])
    out, err = capsys.readouterr()
    assert rc in (0, 1)
    assert err == ''
    assert 'Traceback' not in out
    lines = out.splitlines()
    # DH001 only for a file Docker refuses too: a broken file is reported, a valid one never
    unreadable = {line.split(':', 1)[0] for line in lines if f': {module.CODE} ' not in line}
    assert unreadable == {str(p) for p in corpus_dockerfiles if str(p) in unreadable
                          and _refused_by_docker(p)}
    assert all(': DH001 cannot be checked: ' in line for line in lines
               if f': {module.CODE} ' not in line)
    assert len({line.split(':', 1)[0] for line in lines}) < len(corpus_dockerfiles)


def test_check_on_the_corpus_folder(corpus, clean_cwd):
    run = subprocess.run(
        (sys.executable, '-m', 'dockhooks', 'check', str(corpus)),
        capture_output=True, text=True, check=False, timeout=300,
    )
    assert run.returncode in (0, 1)
    assert run.stderr == ''
    assert 'Traceback' not in run.stdout
    assert run.stdout.count(': DH101 ') > 100


def _manifest_files(hook_id: str, corpus) -> list[str]:
    """The corpus files pre-commit would hand the hook (its manifest files/exclude)."""
    root = Path(__file__).resolve().parents[1]
    hooks = YAML(typ='safe').load((root / '.pre-commit-hooks.yaml').read_text())
    hook = next(h for h in hooks if h['id'] == hook_id)
    files = re.compile(hook['files'])
    exclude = re.compile(hook['exclude']) if 'exclude' in hook else None
    out = []
    for p in sorted(corpus.rglob('*')):
        rel = p.relative_to(corpus).as_posix()
        if p.is_file() and files.search(rel) and not (exclude and exclude.search(rel)):
            out.append(rel)
    return out


@pytest.mark.parametrize('hook_id', [r.hook for r in RULES])
def test_every_hook_as_pre_commit_runs_it(hook_id, corpus, monkeypatch, capsys):
    module = importlib.import_module(f'dockhooks.{BY_HOOK[hook_id].module}')
    monkeypatch.chdir(corpus)
    files = [] if hook_id == 'dockerignore-complete' else _manifest_files(hook_id, corpus)
    rc = module.main(files)
    out, err = capsys.readouterr()
    assert rc in (0, 1)
    assert err == ''
    assert 'Traceback' not in out
    for line in out.splitlines():
        # every line is a finding of this hook, or one clear DH001 line for a broken file
        assert f': {module.CODE} ' in line or ': DH001 cannot be checked: ' in line, line
