"""Inline suppression pragmas.

``# dockhooks: ignore=DH101[,DH102]`` on its own line above an instruction (or a compose key)
silences those codes for that instruction or key block; ``# dockhooks: ignore-file=DH103``
anywhere silences the code in the whole file. Text after the codes is a free-form reason.
A code that no rule has is reported as DH002 so that a typo cannot silently disable nothing.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from collections.abc import Iterable
from collections.abc import Iterator

from dockhooks._findings import Finding
from dockhooks._registry import KNOWN_CODES

_PRAGMA = re.compile(
    r'^\s*#\s*dockhooks:\s*(ignore|ignore-file)\s*=\s*([A-Za-z0-9]+(?:\s*,\s*[A-Za-z0-9]+)*)',
)
Span = Callable[[int], 'tuple[int, int]']


class Suppressions:
    def __init__(self) -> None:
        self.file_codes: set[str] = set()
        self.spans: list[tuple[int, int, frozenset[str]]] = []
        self.unknown: list[tuple[int, int, str]] = []

    def hides(self, finding: Finding) -> bool:
        if finding.code in self.file_codes:
            return True
        return any(start <= finding.line <= end and finding.code in codes
                   for start, end, codes in self.spans)

    def filter(self, path: str, findings: Iterable[Finding]) -> Iterator[Finding]:
        for f in findings:
            if not self.hides(f):
                yield f
        for line, col, code in self.unknown:
            yield Finding(path, line, col, 'DH002',
                          f'unknown code {code!r} in a dockhooks pragma; '
                          f'`dockhooks rules` lists the codes')


def scan(lines: list[str], span_of: Span | None = None) -> Suppressions:
    """Find pragmas in ``lines``. ``span_of(line)`` gives the (first, last) 1-based lines of
    the instruction or block that starts at ``line``; by default just that line."""
    sup = Suppressions()
    if not any('dockhooks:' in line for line in lines):
        return sup
    for i, line in enumerate(lines):
        m = _PRAGMA.match(line)
        if m is None:
            continue
        codes = [c.strip().upper() for c in m.group(2).split(',')]
        col = line.index(m.group(2)) + 1
        for code in codes:
            if code not in KNOWN_CODES:
                sup.unknown.append((i + 1, col, code))
        good = frozenset(c for c in codes if c in KNOWN_CODES)
        if m.group(1) == 'ignore-file':
            sup.file_codes |= good
            continue
        target = _next_content_line(lines, i + 1)
        if target is None:
            continue
        start, end = span_of(target) if span_of else (target, target)
        sup.spans.append((min(start, target), max(end, target), good))
    return sup


def _next_content_line(lines: list[str], i: int) -> int | None:
    while i < len(lines):
        s = lines[i].strip()
        if s and not s.startswith('#'):
            return i + 1
        i += 1
    return None


def yaml_block(lines: list[str]) -> Span:
    """Span of a YAML key at a line: the key line and every deeper-indented line after it."""
    def span(line: int) -> tuple[int, int]:
        text = lines[line - 1]
        indent = len(text) - len(text.lstrip())
        if text.lstrip().startswith('- '):
            indent += 1  # a list item owns the lines indented past its dash
        end = line
        for j in range(line, len(lines)):
            s = lines[j]
            if not s.strip() or s.lstrip().startswith('#'):
                continue
            if len(s) - len(s.lstrip()) <= indent and s.strip() not in (']', '}'):
                break
            end = j + 1
        return line, end
    return span
