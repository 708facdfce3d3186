"""Helpers the rule test modules share: build a Dockerfile text, run a hook's main on it;
the fingerprint a finding must have."""
from __future__ import annotations

import hashlib
from collections.abc import Callable
from collections.abc import Sequence
from pathlib import Path

import pytest


def df(*lines: str) -> str:
    """A file's text from its lines."""
    return '\n'.join(lines) + '\n'


def run_main(main: Callable[[Sequence[str]], int], path: Path,
             capsys: pytest.CaptureFixture[str], src: str, *args: str) -> tuple[int, list[str]]:
    """Write ``src`` to ``path``, run ``main`` on it: (exit code, output lines without the
    ``PATH:`` prefix, which every line must carry); nothing may go to stderr."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(src)
    ret = main([str(path), *args])
    captured = capsys.readouterr()
    assert captured.err == ''
    out = captured.out.splitlines()
    prefix = f'{path}:'
    assert all(line.startswith(prefix) for line in out), out
    return ret, [line[len(prefix):] for line in out]


def assert_findings(main: Callable[[Sequence[str]], int], path: Path,
                    capsys: pytest.CaptureFixture[str], src: str, expected: Sequence[str],
                    *args: str) -> None:
    """Run ``main`` on ``src``: exactly the ``expected`` lines (without ``PATH:``), exit 1
    when there are any, else 0."""
    ret, out = run_main(main, path, capsys, src, *args)
    assert out == list(expected)
    assert ret == (1 if expected else 0)


def fingerprint(file: str, code: str, content: str, message: str, n: int = 0) -> str:
    """The ``dockhooks/v1`` fingerprint, computed here as the README describes it, so that a
    change of the scheme (which would make every baseline report everything) fails a test:
    SHA-256 of the path, code, offending content, message without line numbers and occurrence
    index, joined by NUL."""
    return hashlib.sha256('\0'.join((file, code, content, message, str(n))).encode()).hexdigest()
