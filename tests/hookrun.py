"""Helpers the rule test modules share: build a Dockerfile text, run a hook's main on it."""
from __future__ import annotations

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
    ``PATH:`` prefix, which every line must carry)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(src)
    ret = main([str(path), *args])
    out = capsys.readouterr().out.splitlines()
    prefix = f'{path}:'
    assert all(line.startswith(prefix) for line in out), out
    return ret, [line[len(prefix):] for line in out]
