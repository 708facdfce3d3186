"""Inline suppression pragmas.

``# dockhooks: ignore=DH101[,DH102]`` on its own line above an instruction (or a compose key)
silences those codes for that instruction or key block; ``# dockhooks: ignore-file=DH103``
anywhere silences the code in the whole file. Text after the codes is a free-form reason.
A code that no rule has is reported as DH002 so that a typo cannot silently disable nothing.

In Dockerfiles, hadolint's pragmas are honoured too, so that a project can switch without
rewriting its Dockerfiles: ``# hadolint ignore=DL3006,DL3002`` above an instruction and
``# hadolint global ignore=DL3059`` anywhere silence the dockhooks rules that correspond to
those hadolint rules (HADOLINT_CODES). Other DL/SC codes are hadolint's own and are ignored.
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
# hadolint's grammar (src/Hadolint/Pragma.hs): `hadolint`, optional `global`, `ignore=`, codes
# of the letters DLSC and digits separated by commas, then nothing but an optional `# comment`.
_HADOLINT = re.compile(
    r'^\s*#[ \t]*hadolint[ \t]+(global[ \t]+)?ignore[ \t]*=[ \t]*'
    r'([DLSC0-9]+(?:[ \t]*,[ \t]*[DLSC0-9]+)*)[ \t]*(?:#.*)?$',
)
# hadolint rule -> the dockhooks rule that checks the same thing (checked against
# hadolint's src/Hadolint/Rule/DL*.hs; the README has the table).
HADOLINT_CODES = {
    'DL3006': 'DH101',  # Always tag the version of an image explicitly
    'DL3007': 'DH101',  # Using latest is prone to errors
    'DL3002': 'DH102',  # Last USER should not be root
    'DL3064': 'DH103',  # Potentially sensitive data in ARG or ENV (hadolint 2.15)
    'DL3009': 'DH106',  # Delete the apt-get lists after installing something
    'DL3019': 'DH106',  # Use apk add --no-cache
    'DL3032': 'DH106',  # yum clean all missing after yum command
    'DL3036': 'DH106',  # zypper clean missing after zypper use
    'DL3040': 'DH106',  # dnf clean all missing after dnf (and microdnf) command
    'DL3059': 'DH107',  # Multiple consecutive RUN instructions
}
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


def scan(lines: list[str], span_of: Span | None = None, *, hadolint: bool = False) -> Suppressions:
    """Find pragmas in ``lines``. ``span_of(line)`` gives the (first, last) 1-based lines of
    the instruction or block that starts at ``line``; by default just that line. ``hadolint``:
    honour hadolint's pragmas too (Dockerfiles)."""
    sup = Suppressions()
    if not any('dockhooks:' in line or (hadolint and 'hadolint' in line) for line in lines):
        return sup
    for i, line in enumerate(lines):
        m = _PRAGMA.match(line)
        if m is None:
            if hadolint:
                _hadolint_pragma(sup, lines, i, span_of)
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
        span = _span_after(lines, i, span_of)
        if span is not None:
            sup.spans.append((*span, good))
    return sup


def _span_after(lines: list[str], i: int, span_of: Span | None) -> tuple[int, int] | None:
    """The (first, last) lines a pragma on line index ``i`` covers: the instruction or block
    at the next line that is not blank or a comment; None at the end of the file."""
    target = _next_content_line(lines, i + 1)
    if target is None:
        return None
    start, end = span_of(target) if span_of else (target, target)
    return min(start, target), max(end, target)


def _hadolint_pragma(sup: Suppressions, lines: list[str], i: int, span_of: Span | None) -> None:
    m = _HADOLINT.match(lines[i].rstrip())
    if m is None:
        return
    codes = frozenset(HADOLINT_CODES[c.strip()] for c in m.group(2).split(',')
                      if c.strip() in HADOLINT_CODES)
    if not codes:
        return
    if m.group(1):
        sup.file_codes |= codes
        return
    span = _span_after(lines, i, span_of)
    if span is None:
        return
    start, end = span
    sup.spans.append((start, end, codes - {'DH107'}))
    if 'DH107' in codes:
        # hadolint reports DL3059 at each RUN that follows a RUN, dockhooks reports DH107 at
        # the first RUN of the sequence: cover the RUNs before this one as well.
        sup.spans.append((_first_run(lines, start, span_of), end, frozenset({'DH107'})))


def _is_run(line: str) -> bool:
    words = line.split(None, 1)
    return bool(words) and words[0].upper() == 'RUN'


def _first_run(lines: list[str], start: int, span_of: Span | None) -> int:
    """The first line of the sequence of RUN instructions (comments between them allowed)
    that ends with the instruction at ``start``."""
    if not _is_run(lines[start - 1]):
        return start
    first = start
    line = start - 1
    while line >= 1:
        text = lines[line - 1].strip()
        if not text or text.startswith('#'):
            line -= 1
            continue
        begin = span_of(line)[0] if span_of else line
        if not _is_run(lines[begin - 1]):
            break
        first = begin
        line = begin - 1
    return first


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


def is_pragma(line: str) -> bool:
    """Whether a line is a dockhooks or hadolint pragma comment."""
    return bool(_PRAGMA.match(line) or _HADOLINT.match(line))
