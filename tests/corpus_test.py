"""The real-world corpus (``../shared/corpus``): every hook finishes on every file, without a
traceback, and every corpus Dockerfile can be read and parsed."""
from __future__ import annotations

import subprocess
import sys

import pytest
from dockhooks import dockerfile_no_secrets
from dockhooks import dockerfile_non_root_user
from dockhooks import dockerfile_pinned_base_image


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
    assert [line for line in lines if f': {module.CODE} ' not in line] == []  # no DH001
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
