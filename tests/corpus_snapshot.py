"""The findings of ``dockhooks check`` over the real-world corpus (``../shared/corpus``), as a
committed snapshot: every change in real-world behaviour shows in review as a diff of
``tests/data/corpus-findings.txt``, as a linter's ecosystem check does.

Regenerate it after a change that is meant to alter findings, and read the diff::

    python tests/corpus_snapshot.py

``tests/corpus_snapshot_test.py`` fails on any difference and prints it.
"""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
CORPUS = HERE.parents[1] / 'shared' / 'corpus'
SNAPSHOT = HERE / 'data' / 'corpus-findings.txt'


def current_findings(corpus: Path = CORPUS) -> list[str]:
    """The sorted output lines of ``dockhooks check .`` run in the corpus folder, with an
    empty configuration (no settings file above the corpus can change them)."""
    with tempfile.TemporaryDirectory() as tmp:
        config = Path(tmp) / '.dockhooks.toml'
        config.write_text('')
        env = {k: v for k, v in os.environ.items() if k not in ('NO_COLOR', 'COLUMNS')}
        run = subprocess.run(
            (sys.executable, '-m', 'dockhooks', 'check', '--config', str(config),
             '--color', 'never', '.'),
            cwd=corpus, capture_output=True, text=True, check=False, timeout=600, env=env,
        )
    if run.returncode not in (0, 1) or run.stderr:
        raise RuntimeError(f'dockhooks check exited {run.returncode}: {run.stderr[-2000:]}')
    return sorted(run.stdout.splitlines())


def main() -> int:
    if not (CORPUS / 'MANIFEST.tsv').is_file():
        print(f'corpus not found at {CORPUS}', file=sys.stderr)
        return 2
    lines = current_findings()
    SNAPSHOT.write_text(''.join(f'{line}\n' for line in lines), encoding='utf-8')
    print(f'{SNAPSHOT}: {len(lines)} findings')
    return 0


if __name__ == '__main__':
    raise SystemExit(main())
