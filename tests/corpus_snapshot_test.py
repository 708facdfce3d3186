"""The committed findings snapshot of the real-world corpus is current (see
``corpus_snapshot.py``: ``python tests/corpus_snapshot.py`` regenerates it)."""
from __future__ import annotations

import collections
import difflib

import pytest
from corpus_snapshot import CORPUS
from corpus_snapshot import SNAPSHOT
from corpus_snapshot import current_findings


def _codes(lines: list[str]) -> collections.Counter[str]:
    return collections.Counter(line.split(' ', 2)[1] for line in lines if ' ' in line)


def test_findings_match_the_snapshot():
    if not (CORPUS / 'MANIFEST.tsv').is_file():
        pytest.skip(f'corpus not found at {CORPUS}')
    expected = SNAPSHOT.read_text(encoding='utf-8').splitlines()
    actual = current_findings()
    if actual == expected:
        return
    diff = list(difflib.unified_diff(expected, actual, 'snapshot', 'now', n=0, lineterm=''))
    before, after = _codes(expected), _codes(actual)
    counts = ', '.join(f'{code} {before[code]}->{after[code]}'
                       for code in sorted(before | after) if before[code] != after[code])
    shown = '\n'.join(diff[:300]) + (f'\n... {len(diff) - 300} more lines' if len(diff) > 300
                                     else '')
    pytest.fail(
        f'dockhooks check over the corpus differs from {SNAPSHOT.name} '
        f'({counts or "same counts"}); if the change is meant, run '
        f'`python tests/corpus_snapshot.py` and read the diff:\n{shown}',
        pytrace=False,
    )
