"""The baseline: the findings a repository had when it adopted dockhooks, so that only new
ones are reported.

``dockhooks baseline`` writes the file; ``baseline = "FILE"`` (or ``--baseline FILE``) makes
every hook and ``dockhooks check`` skip the findings it records. A finding is recorded by its
fingerprint, a SHA-256 over:

- the file's path relative to the baseline file's folder (so it works from any folder);
- the code;
- the offending content, what the finding points at: in a Dockerfile the whole instruction at
  its line (continuations joined, comment lines dropped, white space collapsed); in a compose
  file the line (white space collapsed) and the keys above it (``services/db``), so that a
  reordered or re-indented service keeps it; in a ``.env`` file the lines of the keys the
  finding names; nothing for the build-context rule, whose message names what it is about;
- the message with line numbers taken out (``lines 3-5`` -> ``lines N-N``);
- the occurrence index among findings equal in all of the above.

Lines inserted or removed elsewhere, re-indentation, reordered services and edits of other
instructions keep a fingerprint; a change of the offending content (another secret value,
another base image) makes a new one. The file holds the fingerprints, paths, codes and messages
(messages never quote a secret), sorted, without line numbers or times, so that its diff shows
exactly which findings came and went. The same fingerprint is SARIF's ``partialFingerprints``.
Only imported (with json and hashlib) when a baseline or SARIF is asked for.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Iterable
from collections.abc import Iterator

from dockhooks._config import ConfigError
from dockhooks._findings import Finding
from dockhooks._hook import parse_file
from dockhooks._records import NamedTuple
from dockhooks._registry import BY_CODE
from dockhooks._text import InputError

FORMAT = 'dockhooks-baseline/1'
SCHEME = 'dockhooks/v1'  # the key of SARIF's partialFingerprints
DEFAULT_FILE = '.dockhooks-baseline.json'

_LINE_NUMBERS = re.compile(r'\b(lines?) \d+(?:-\d+)?')
# a word of a message, which may be a path (compiled on first use: rarely needed)
_WORD = r'[^\s\'"(),;]+'


class Recorded(NamedTuple):
    fingerprint: str
    file: str     # relative to the baseline's folder, with /
    message: str  # without line numbers
    finding: Finding


def message_key(message: str) -> str:
    """The message without the line numbers it names (``the RUN on line 12``)."""
    return _LINE_NUMBERS.sub(lambda m: m.group(1) + (' N-N' if '-' in m.group(0) else ' N'),
                             message)


def _relative(path: str, base: str) -> str:
    return os.path.relpath(os.path.abspath(path), base).replace(os.sep, '/')


def _rebased(finding: Finding, base: str) -> str:
    """The message of a build-context or .env finding with the paths it names relative to the
    working folder (the finding's own path, ``build context DIR``) made relative to ``base``:
    the same from any folder."""
    if os.path.abspath('.') == base:
        return finding.message

    def rebase(m: re.Match[str]) -> str:
        word = m.group(0)
        if word == finding.path or m.string.endswith('build context ', 0, m.start()):
            return _relative(word, base)
        return word
    return re.sub(_WORD, rebase, finding.message)


def _instruction(path: str, line: int) -> str:
    parsed = parse_file(path, 'dockerfile')
    start, end = parsed.span_of(line)  # type: ignore[operator]
    escape = getattr(parsed.doc, 'escape', '\\')
    words: list[str] = []
    for n in range(start, end + 1):
        text = parsed.lines[n - 1].strip()
        if n > start and text.startswith('#'):
            continue
        if text.endswith(escape):
            text = text[:-1]
        words.extend(text.split())
    return ' '.join(words)


def _indent(text: str) -> int:
    return len(text) - len(text.lstrip())


def _yaml_line(path: str, line: int) -> str:
    """The keys above ``line`` (by indentation) and the line itself, white space collapsed."""
    lines = parse_file(path, 'compose').lines
    text = lines[line - 1]
    indent = _indent(text)
    item = text.lstrip().startswith('-')
    keys: list[str] = []
    for above in reversed(lines[:line - 1]):
        s = above.strip()
        if not s or s.startswith('#'):
            continue
        if s.startswith('---') and not _indent(above):
            break  # the document starts here
        n = _indent(above)
        above_item = s.startswith('-')
        # a block sequence may sit at its key's indentation: `ports:` / `- "80"`
        if n < indent or (n == indent and item and not above_item):
            keys.append('-' if above_item else s.split(':', 1)[0].strip('\'" '))
            indent, item = n, above_item
            if not n and not item:
                break
    return '/'.join(reversed(keys)) + ' ' + ' '.join(text.split())


def _env_lines(finding: Finding) -> str:
    """The lines of the keys a ``.env`` finding names (``... for DB_PASSWORD, API_TOKEN:``),
    white space collapsed: a new value of one of them makes a new finding."""
    from dockhooks._text import read_text

    m = re.search(r' for ([\w.\-\[\], ]+?): ', finding.message)
    keys = set(m.group(1).split(', ')) if m else set()
    out = []
    for line in read_text(finding.path).split('\n'):
        key = re.split(r'[=:]', line.strip().removeprefix('export ').strip(), maxsplit=1)[0]
        if key.strip() in keys:
            out.append(' '.join(line.split()))
    return '\n'.join(out)


def _content(finding: Finding) -> str:
    info = BY_CODE.get(finding.code)
    kind: str | None
    if info is not None:
        kind = info.kind
    else:  # DH001, DH002: the file's kind by its name
        from dockhooks._files import kind_of

        kind = kind_of(finding.path)
    try:
        if kind == 'dockerfile':
            return _instruction(finding.path, finding.line)
        if kind == 'compose':
            return _yaml_line(finding.path, finding.line)
        if kind == 'envfile' and finding.code != 'DH001':
            return _env_lines(finding)
    except (InputError, RecursionError, IndexError):
        pass  # DH001: the file cannot be parsed; the message says why
    return ''


def fingerprints(findings: Iterable[Finding], base: str) -> Iterator[Recorded]:
    """Each finding with its fingerprint, paths relative to the folder ``base`` (absolute)."""
    seen: dict[str, int] = {}
    for f in findings:
        file = _relative(f.path, base)
        info = BY_CODE.get(f.code)
        message = message_key(_rebased(f, base) if info is not None
                              and info.kind in ('context', 'envfile') else f.message)
        key = '\0'.join((file, f.code, _content(f), message))
        n = seen[key] = seen.get(key, -1) + 1
        digest = hashlib.sha256(f'{key}\0{n}'.encode('utf-8', 'surrogateescape')).hexdigest()
        yield Recorded(digest, file, message, f)


class Baseline:
    """The fingerprints a baseline file records."""

    def __init__(self, path: str, known: frozenset[str]) -> None:
        self.path = path
        self.base = os.path.dirname(os.path.abspath(path))
        self.known = known

    def new(self, findings: Iterable[Finding]) -> Iterator[Finding]:
        """The findings the baseline does not record."""
        for recorded in fingerprints(findings, self.base):
            if recorded.fingerprint not in self.known:
                yield recorded.finding


def load(path: str) -> Baseline:
    """Read a baseline file; ConfigError (one line) when it cannot be read or is malformed."""
    try:
        with open(path, encoding='utf-8') as f:
            data = json.load(f)
    except OSError as exc:
        raise ConfigError(f'{path}: the baseline cannot be read ({exc.strerror or exc}); '
                          f'write it with dockhooks baseline') from None
    except ValueError as exc:  # not JSON, or not UTF-8
        raise ConfigError(f'{path}: the baseline is not valid JSON ({exc})') from None
    if not isinstance(data, dict) or data.get('format') != FORMAT:
        raise ConfigError(f'{path}: not a dockhooks baseline (no "format": "{FORMAT}")')
    rows = data.get('findings')
    if not isinstance(rows, list):
        raise ConfigError(f'{path}: the baseline has no "findings" list')
    known: set[str] = set()
    for i, row in enumerate(rows):
        fingerprint = row.get('fingerprint') if isinstance(row, dict) else None
        if not isinstance(fingerprint, str) or len(fingerprint) != 64 or \
                fingerprint.strip('0123456789abcdef'):
            raise ConfigError(f'{path}: finding {i + 1} of the baseline has no "fingerprint" '
                              f'of 64 hex digits')
        known.add(fingerprint)
    return Baseline(path, frozenset(known))


def write(path: str, findings: Iterable[Finding]) -> list[Recorded]:
    """Write the baseline of ``findings`` to ``path``; what it records. Raises OSError."""
    base = os.path.dirname(os.path.abspath(path))
    recorded = sorted(fingerprints(findings, base),
                      key=lambda r: (r.file, r.finding.code, r.message, r.fingerprint))
    doc = {
        'format': FORMAT,
        'findings': [{'file': r.file, 'code': r.finding.code, 'message': r.message,
                      'fingerprint': r.fingerprint} for r in recorded],
    }
    text = json.dumps(doc, indent=2, ensure_ascii=False) + '\n'
    with open(path, 'w', encoding='utf-8', newline='\n') as f:
        f.write(text)
    return recorded
