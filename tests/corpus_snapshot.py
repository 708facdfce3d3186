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
    """The sorted output lines of ``dockhooks check .`` run in each repository's folder of
    the corpus (as a user runs it in a checkout: the folder is the repository's root, so that
    file roles, build contexts and compose projects never reach across repositories), each
    line prefixed with the folder, with an empty configuration (no settings file above the
    corpus can change them)."""
    import concurrent.futures

    repos = sorted(p.name for p in corpus.iterdir() if p.is_dir())
    with tempfile.TemporaryDirectory() as tmp:
        config = Path(tmp) / '.dockhooks.toml'
        config.write_text('')
        env = {k: v for k, v in os.environ.items() if k not in ('NO_COLOR', 'COLUMNS')}

        def check(repo: str) -> list[str]:
            run = subprocess.run(
                (sys.executable, '-m', 'dockhooks', 'check', '--config', str(config),
                 '--color', 'never', '.'),
                cwd=corpus / repo, capture_output=True, text=True, check=False, timeout=600,
                env=env,
            )
            if run.returncode not in (0, 1) or run.stderr:
                raise RuntimeError(f'{repo}: dockhooks check exited {run.returncode}: '
                                   f'{run.stderr[-2000:]}')
            return [f'{repo}/{line}' for line in run.stdout.splitlines()]

        with concurrent.futures.ThreadPoolExecutor(os.cpu_count() or 2) as pool:
            lines = [line for found in pool.map(check, repos) for line in found]
    return sorted(lines)


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
