"""Findings and how they are reported.

``text`` (the default) prints ``PATH:LINE:COL: CODE message`` on stdout as each finding is
found; ``github`` prints one workflow command (an annotation) per finding, also as found;
``json`` and ``sarif`` write one document when the run ends. ``--output FILE`` writes the
report to FILE and keeps text on the terminal. ``json`` is imported only by the formats that
need it, so a hook that reports text starts as fast as one that cannot report anything else.
"""
from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from collections.abc import Sequence
from types import ModuleType

from dockhooks import __version__
from dockhooks._records import TYPE_CHECKING
from dockhooks._records import NamedTuple
from dockhooks._registry import BY_CODE
from dockhooks._registry import META_CODES

if TYPE_CHECKING:
    from typing import TextIO

    from dockhooks._registry import RuleInfo

FORMATS = ('text', 'json', 'sarif', 'github')
LEVELS = ('error', 'warning')
# The options every hook and `dockhooks check` take (declared in _config, `# -- reporting --`).
REPORT_OPTIONS = ('format', 'output', 'color', 'severity', 'exit-zero')

HOME_URL = 'https://github.com/dockhooks/dockhooks'
SARIF_SCHEMA = ('https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/'
                'sarif-schema-2.1.0.json')
# README anchors of the codes that are not rules
META_ANCHORS = {'DH001': 'rules', 'DH002': 'suppressing-a-finding'}
META_NAMES = {'DH001': 'cannot-be-checked', 'DH002': 'unknown-pragma-code'}

BOLD = '\033[1m'
RED = '\033[1;31m'
YELLOW = '\033[1;33m'
RESET = '\033[0m'


class Finding(NamedTuple):
    path: str
    line: int
    col: int
    code: str
    message: str

    def text(self) -> str:
        return f'{self.path}:{self.line}:{self.col}: {self.code} {self.message}'


class Problem(NamedTuple):
    """What a rule yields: a position and a message; the runner adds path and code. A rule
    that can mend it attaches a fix (``_fixes.Fix``)."""

    line: int
    col: int
    message: str
    fix: object = None


def use_color(setting: str, stream: TextIO) -> bool:
    """``always``, ``never``, or ``auto``: when ``stream`` is a terminal and ``NO_COLOR`` is
    unset or empty (https://no-color.org: an explicit ``--color always`` wins over it)."""
    if setting == 'always':
        return True
    if setting == 'never' or os.environ.get('NO_COLOR'):
        return False
    isatty = getattr(stream, 'isatty', None)
    return bool(isatty is not None and isatty())


def _escape_data(s: str) -> str:
    return s.replace('%', '%25').replace('\r', '%0D').replace('\n', '%0A')


def _escape_property(s: str) -> str:
    return _escape_data(s).replace(':', '%3A').replace(',', '%2C')


def github_command(finding: Finding, level: str) -> str:
    """A GitHub Actions workflow command that annotates the finding's line, escaped as
    actions/toolkit does (``%``, CR and LF everywhere, ``:`` and ``,`` in properties too)."""
    props = ','.join(f'{key}={_escape_property(value)}' for key, value in (
        ('file', finding.path), ('line', str(finding.line)), ('col', str(finding.col)),
        ('title', finding.code),
    ))
    return f'::{level} {props}::{_escape_data(finding.message)}'


def doc_sections(doc: str) -> dict[str, str]:
    """The ``## Heading`` sections of a rule docstring, by heading; the text before the first
    heading is under ``''``."""
    sections: dict[str, list[str]] = {'': []}
    current = ''
    for line in doc.strip().splitlines():
        if line.startswith('## '):
            current = line[3:].strip()
            sections[current] = []
        else:
            sections[current].append(line)
    return {k: '\n'.join(v).strip() for k, v in sections.items()}


def github_anchor(heading: str) -> str:
    """The anchor GitHub gives a Markdown heading: lower case, punctuation dropped, spaces to
    hyphens."""
    kept = ''.join(c for c in heading.strip().lower() if c.isalnum() or c in ' -_')
    return kept.replace(' ', '-')


def help_uri(code: str, hook: str) -> str:
    """Where a rule is documented: its section of the README of this version."""
    anchor = META_ANCHORS.get(code) or github_anchor(f'`{hook}` ({code})')
    return f'{HOME_URL}/blob/v{__version__}/README.md#{anchor}'


def sarif_uri(path: str) -> str:
    """A relative URI for a path (absolute ones inside the working folder are made relative;
    others become file: URIs)."""
    from pathlib import Path
    from urllib.parse import quote

    if os.path.isabs(path):
        rel = os.path.relpath(path)
        if rel == os.pardir or rel.startswith(os.pardir + os.sep):
            return Path(path).as_uri()
        path = rel
    path = path.replace(os.sep, '/')
    while path.startswith('./'):
        path = path[2:]
    return quote(path)


class Reporter:
    """Reports findings in one of FORMATS and remembers how many there were.

    ``severity`` maps codes to ``error``/``warning`` (unlisted codes are errors); ``rules``
    are the (info, module) pairs that ran, for the SARIF rule descriptions; ``program`` names
    the hook that reports codes that are not rules (DH001, DH002); ``fingerprint_base`` is the
    folder the SARIF fingerprints' paths are relative to (default: the working folder).
    Opening ``output`` may raise OSError.
    """

    def __init__(
            self,
            out: TextIO | None = None,
            *,
            fmt: str = 'text',
            color: bool = False,
            output: str | None = None,
            severity: Mapping[str, str] | None = None,
            rules: Sequence[tuple[RuleInfo, ModuleType]] = (),
            program: str = 'dockhooks',
            exit_zero: bool = False,
            fingerprint_base: str | None = None,
    ) -> None:
        self.out = out if out is not None else sys.stdout
        self.fmt = fmt
        self.color = color
        self.severity = dict(severity or {})
        self.rules = list(rules)
        self.program = program
        self.exit_zero = exit_zero
        self.fingerprint_base = fingerprint_base
        self.count = 0
        self.files_checked = 0
        self.findings: list[Finding] = []
        self.file = open(output, 'w', encoding='utf-8') if output else None

    def level(self, code: str) -> str:
        return self.severity.get(code, 'error')

    def hook(self, code: str) -> str:
        info = BY_CODE.get(code)
        return info.hook if info is not None else self.program

    def colored(self, finding: Finding) -> str:
        code = YELLOW if self.level(finding.code) == 'warning' else RED
        return (f'{BOLD}{finding.path}{RESET}:{finding.line}:{finding.col}: '
                f'{code}{finding.code}{RESET} {finding.message}')

    def add(self, finding: Finding) -> None:
        self.count += 1
        if self.fmt == 'text' or self.file is not None:
            print(self.colored(finding) if self.color else finding.text(), file=self.out)
        report = self.file if self.file is not None else self.out
        if self.fmt == 'text' and self.file is not None:
            print(finding.text(), file=self.file)
        elif self.fmt == 'github':
            print(github_command(finding, self.level(finding.code)), file=report)
        elif self.fmt in ('json', 'sarif'):
            self.findings.append(finding)

    def close(self) -> int:
        """Write the json or sarif document, close the output file; the exit code."""
        if self.fmt in ('json', 'sarif'):
            import json

            doc = self.json_report() if self.fmt == 'json' else self.sarif_report()
            report = self.file if self.file is not None else self.out
            report.write(json.dumps(doc, indent=2) + '\n')
        if self.file is not None:
            self.file.close()
        return self.exit_code()

    def exit_code(self) -> int:
        return 1 if self.count and not self.exit_zero else 0

    def json_report(self) -> dict[str, object]:
        by_severity = dict.fromkeys(LEVELS, 0)
        by_code: dict[str, int] = {}
        rows = []
        for f in self.findings:
            level = self.level(f.code)
            rows.append({
                'file': f.path, 'line': f.line, 'column': f.col, 'code': f.code,
                'hook': self.hook(f.code), 'severity': level, 'message': f.message,
            })
            by_severity[level] = by_severity.get(level, 0) + 1
            by_code[f.code] = by_code.get(f.code, 0) + 1
        return {
            'tool': 'dockhooks',
            'version': __version__,
            'findings': rows,
            'summary': {
                'files_checked': self.files_checked,
                'findings': len(rows),
                'by_severity': by_severity,
                'by_code': dict(sorted(by_code.items())),
            },
        }

    def sarif_rules(self) -> list[dict[str, object]]:
        """One reportingDescriptor per rule that ran, then the meta codes."""
        out: list[dict[str, object]] = []
        for info, module in self.rules:
            doc = (module.__doc__ or '').strip()
            sections = doc_sections(doc)
            out.append({
                'id': info.code,
                'name': info.hook,
                'shortDescription': {'text': module.SUMMARY},
                'fullDescription': {'text': sections.get('What it does') or sections['']},
                'help': {'text': doc, 'markdown': doc},
                'helpUri': help_uri(info.code, info.hook),
                'defaultConfiguration': {'level': getattr(module, 'SEVERITY', 'error')},
                'properties': {'tags': ['docker', info.kind]},
            })
        for code, summary in META_CODES.items():
            out.append({
                'id': code,
                'name': META_NAMES.get(code, code.lower()),
                'shortDescription': {'text': summary},
                'fullDescription': {'text': summary},
                'help': {'text': f'{code}: {summary}', 'markdown': f'{code}: {summary}'},
                'helpUri': help_uri(code, ''),
                'defaultConfiguration': {'level': 'error'},
            })
        return out

    def sarif_report(self) -> dict[str, object]:
        from dockhooks._baseline import SCHEME
        from dockhooks._baseline import fingerprints

        rules = self.sarif_rules()
        index = {str(r['id']): i for i, r in enumerate(rules)}
        results = []
        base = self.fingerprint_base or os.path.abspath('.')
        for fingerprint, _, _, f in fingerprints(self.findings, base):
            result: dict[str, object] = {'ruleId': f.code}
            if f.code in index:
                result['ruleIndex'] = index[f.code]
            result.update({
                'level': self.level(f.code),
                'message': {'text': f.message},
                'locations': [{'physicalLocation': {
                    'artifactLocation': {'uri': sarif_uri(f.path)},
                    'region': {'startLine': max(f.line, 1), 'startColumn': max(f.col, 1)},
                }}],
                # the baseline's identity: code scanning follows the alert when lines move
                'partialFingerprints': {SCHEME: fingerprint},
            })
            results.append(result)
        return {
            '$schema': SARIF_SCHEMA,
            'version': '2.1.0',
            'runs': [{
                'tool': {'driver': {
                    'name': 'dockhooks',
                    'version': __version__,
                    'informationUri': HOME_URL,
                    'rules': rules,
                }},
                'columnKind': 'unicodeCodePoints',
                'results': results,
            }],
        }
