"""Fixes: the runner applies what rules propose, and keeps every other byte.

A rule that can mend a finding attaches a :class:`Fix` to its ``Problem``: edits of whole
lines of the file it checks (replace lines ``start`` to ``end`` with ``lines``), and whether
the fix is *safe* (the image or stack does the same at run time: a cache removed in the layer
that made it) or *unsafe* (it may change what runs or how the build caches: merged RUNs, a
startup that now waits). ``--fix`` applies the safe fixes, ``--unsafe-fixes`` the others too,
``--diff`` prints what ``--fix`` would write as a unified diff and writes nothing.

How a file is written:

* only the file a finding is in, and only the lines the fix names: everything else stays
  byte for byte, a BOM and each line's own ending (CRLF) included; a new line takes the
  ending of the line it replaces or follows;
* fixes whose lines overlap are applied one at a time: the first in the file wins, the others
  wait for the next run;
* the new text must parse as the same kind of file, and a rule may check that what it did
  not touch is unchanged (``verify``); otherwise nothing is written;
* the write happens under an exclusive lock on the file (``fcntl`` / ``msvcrt``), with the
  file read again under it: pre-commit runs a hook in parallel processes over partitions of
  the files, and a file that two processes reach is then fixed once, by the first;
* ``Fixing PATH`` goes to stderr, so that ``--format json`` on stdout stays a document.

A fix is idempotent: after it, the rule finds nothing to fix there.
"""
from __future__ import annotations

import os
import sys
from collections.abc import Callable
from collections.abc import Iterable
from collections.abc import Sequence

from dockhooks._records import NamedTuple


class Edit(NamedTuple):
    """Replace lines ``start``..``end`` (1-based, inclusive) with ``lines`` (no line ends)."""

    start: int
    end: int
    lines: tuple[str, ...]


class Fix(NamedTuple):
    edits: tuple[Edit, ...]
    safe: bool = True


def chosen(fixes: Iterable[Fix | None], unsafe: bool) -> list[Fix]:
    """The fixes to apply: the safe ones, and with ``unsafe`` the others too."""
    return [f for f in fixes if f is not None and (f.safe or unsafe)]


def apply(lines: Sequence[str], fixes: Sequence[Fix]) -> tuple[list[str], list[Fix]]:
    """``lines`` (each with its own ending, ``'\\r'`` kept) with ``fixes`` applied, and the
    fixes applied: a fix that overlaps one applied before it waits for the next run."""
    taken: list[tuple[int, int]] = []
    applied: list[Fix] = []
    for fix in sorted(fixes, key=lambda f: min(e.start for e in f.edits)):
        spans = [(e.start, e.end) for e in fix.edits]
        if any(a <= d and c <= b for a, b in spans for c, d in taken):
            continue
        taken.extend(spans)
        applied.append(fix)
    out = list(lines)
    edits = sorted((e for f in applied for e in f.edits), key=lambda e: e.start, reverse=True)
    for edit in edits:
        old = out[edit.start - 1:edit.end]
        ending = '\r' if old and old[-1].endswith('\r') else ''
        new = [line + ending for line in edit.lines]
        out[edit.start - 1:edit.end] = new
    return out, applied


class Raw(NamedTuple):
    """A file's text as it is on disk: its lines (``'\\r'`` kept at the end of CRLF lines),
    whether it starts with a BOM, whether it ends with a newline."""

    lines: list[str]
    bom: bool
    final_newline: bool

    def text(self) -> str:
        return '\n'.join(self.lines) + ('\n' if self.final_newline else '')

    def data(self) -> bytes:
        return (b'\xef\xbb\xbf' if self.bom else b'') + self.text().encode('utf-8')


def read_raw(path: str) -> Raw | None:
    """The file at ``path`` as :class:`Raw`, or None when it cannot be fixed in place (not
    UTF-8, old Mac line ends)."""
    with open(path, 'rb') as f:
        data = f.read()
    bom = data.startswith(b'\xef\xbb\xbf')
    if bom:
        data = data[3:]
    try:
        text = data.decode('utf-8')
    except UnicodeDecodeError:
        return None
    if '\r' in text.replace('\r\n', ''):
        return None
    final = text.endswith('\n')
    lines = text.split('\n')
    if final:
        lines.pop()
    return Raw(lines, bom, final)


def _lock(f: object) -> Callable[[], None]:
    """Take an exclusive lock on the open file ``f``; returns what releases it."""
    fd = f.fileno()  # type: ignore[attr-defined]
    try:
        import fcntl
    except ImportError:  # pragma: no cover (Windows)
        try:
            import msvcrt
        except ImportError:
            return lambda: None
        msvcrt.locking(fd, msvcrt.LK_LOCK, 1)  # type: ignore[attr-defined]
        return lambda: msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)  # type: ignore[attr-defined]
    fcntl.flock(fd, fcntl.LOCK_EX)
    return lambda: fcntl.flock(fd, fcntl.LOCK_UN)


def rewrite(path: str, transform: Callable[[Raw], Raw | None]) -> bool:
    """Apply ``transform`` to the file at ``path`` under an exclusive lock, reading it again
    under the lock; write the result if it differs. True if the file was written."""
    with open(path, 'r+b') as f:
        release = _lock(f)
        try:
            raw = read_raw(path)
            if raw is None:
                return False
            new = transform(raw)
            if new is None or new.data() == raw.data():
                return False
            f.seek(0)
            f.write(new.data())
            f.truncate()
            f.flush()
            os.fsync(f.fileno())
            return True
        finally:
            release()


def fix_whole(path: str, transform: Callable[[Raw | None], Raw | None], show: bool) -> bool:
    """Fix a file a rule judges as a whole (a ``.dockerignore``): ``transform`` gets the file
    as it is on disk (None when there is none) and returns what it should be (None: nothing
    to do). With ``show`` (``--diff``) the change is printed as a diff; else it is written
    under the lock of :func:`rewrite`, ``transform`` applied again to what is on disk then (a
    file another process reaches too is completed once), and a new file is created only if
    none appeared meanwhile. True if anything was written or shown."""
    if os.path.lexists(path):
        raw = read_raw(path)
        if raw is None:
            return False  # not UTF-8, or old Mac line ends: left alone
    else:
        raw = None
    new = transform(raw)
    if new is None or (raw is not None and new.data() == raw.data()):
        return False
    if show:
        sys.stdout.write(diff(path, raw or Raw([], False, False), new))
        DIFFS.append(path)
        return True
    written = False
    if raw is None:
        try:
            with open(path, 'xb') as f:
                f.write(new.data())
            written = True
        except FileExistsError:
            pass  # another process created it meanwhile: complete what it wrote
    if not written:
        written = rewrite(path, transform)
    if written:
        say_fixing(path)
        WRITTEN.append(path)
    return written


def diff(path: str, old: Raw, new: Raw) -> str:
    """A unified diff of ``path`` from ``old`` to ``new``."""
    import difflib

    return ''.join(difflib.unified_diff(
        [line + '\n' for line in old.text().split('\n')][:len(old.lines)],
        [line + '\n' for line in new.text().split('\n')][:len(new.lines)],
        f'a/{path}', f'b/{path}'))


def say_fixing(path: str) -> None:
    print(f'Fixing {path}', file=sys.stderr)


def spans(applied: Sequence[Fix]) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """The line spans the applied fixes replaced, before and after: (old spans, new spans),
    1-based inclusive, in file order (an edit that inserts nothing has an empty new span)."""
    edits = sorted((e for f in applied for e in f.edits), key=lambda e: e.start)
    old: list[tuple[int, int]] = []
    new: list[tuple[int, int]] = []
    shift = 0
    for e in edits:
        old.append((e.start, e.end))
        start = e.start + shift
        new.append((start, start + len(e.lines) - 1))
        shift += len(e.lines) - (e.end - e.start + 1)
    return old, new


def outside(items: Iterable[tuple[int, int, object]],
            taken: Sequence[tuple[int, int]]) -> list[object]:
    """The values of ``items`` (first line, last line, value) that no span of ``taken``
    touches, in order."""
    return [value for first, last, value in items
            if not any(a <= last and first <= b for a, b in taken)]


# Files written, and diffs shown, by this process (the run then exits 1).
WRITTEN: list[str] = []
DIFFS: list[str] = []


# --------------------------------------------------------------------------- YAML text
# The service keys compose fixes write; every other key must read the same after a fix.
COMPOSE_FIXED_KEYS = frozenset(('depends_on', 'profiles', 'read_only', 'tmpfs'))

# Compose files are edited at the positions the parser gives, line by line: the keys a fix
# adds are written in the block style and indentation of the mapping they go in, and nothing
# else of the file changes (comments, anchors, quoting, key order, flow style elsewhere).

def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(' '))


def _content(line: str) -> bool:
    stripped = line.strip()
    return bool(stripped) and not stripped.startswith('#')


def child_indent(lines: Sequence[str], line: int) -> str | None:
    """The indentation of the keys of the block mapping whose key is on ``line`` (1-based):
    that of the first content line below it, when deeper; None when the value is not a block
    (a flow mapping on the same line, an alias, nothing)."""
    head = lines[line - 1]
    after = head.split('#', 1)[0].rstrip()
    if not after.endswith(':'):
        return None
    for text in lines[line:]:
        if _content(text):
            return ' ' * _indent(text) if _indent(text) > _indent(head) else None
    return None


def block_end(lines: Sequence[str], line: int) -> int:
    """The last line of the value of the key on ``line``: the lines below it that are
    indented deeper (blank and comment lines between them included, not after them)."""
    base = _indent(lines[line - 1])
    end = line
    for k in range(line, len(lines)):
        text = lines[k]
        if not _content(text):
            continue
        # deeper, or a block sequence at its key's own indentation (`key:` then `- item`)
        if _indent(text) > base or (_indent(text) == base and text.lstrip().startswith('- ')):
            end = k + 1
            continue
        break
    return end


def add_keys(lines: Sequence[str], line: int, keys: Sequence[str],
             safe: bool = True) -> Fix | None:
    """Add ``keys`` (lines without indentation) first in the block mapping whose key is on
    ``line``."""
    indent = child_indent(lines, line)
    if indent is None:
        return None
    return Fix((Edit(line, line, (lines[line - 1], *(indent + k for k in keys))),), safe)
