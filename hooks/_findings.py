"""Findings and how they are reported: ``PATH:LINE:COL: CODE message`` on stdout."""
from __future__ import annotations

import sys
from typing import NamedTuple
from typing import TextIO


class Finding(NamedTuple):
    path: str
    line: int
    col: int
    code: str
    message: str

    def text(self) -> str:
        return f'{self.path}:{self.line}:{self.col}: {self.code} {self.message}'


class Problem(NamedTuple):
    """What a rule yields: a position and a message; the runner adds path and code."""

    line: int
    col: int
    message: str


class Reporter:
    """Prints findings as they come and remembers whether any was printed."""

    def __init__(self, out: TextIO | None = None) -> None:
        self.out = out if out is not None else sys.stdout
        self.count = 0

    def add(self, finding: Finding) -> None:
        self.count += 1
        print(finding.text(), file=self.out)

    def exit_code(self) -> int:
        return 1 if self.count else 0
