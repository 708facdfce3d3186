"""Differential test: our Dockerfile model against BuildKit's own parser (PyPI ``dockerfile``).

For every corpus Dockerfile, every Dockerfile text of the test modules in SOURCES and the tricky
texts below, our instructions' (keyword, line, end_line, number of heredocs) must equal
BuildKit's, restricted to the instruction names Docker knows. Where we reject a file (InputError)
BuildKit must reject it too, or hold an instruction Docker does not know (the build fails then).
"""
from __future__ import annotations

import importlib.util
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from dockhooks import _dockerfile
from dockhooks._text import InputError
from dockhooks._text import decode
from dockhooks._text import read_text

dockerfile = pytest.importorskip(
    'dockerfile', reason='the BuildKit parser (PyPI dockerfile, a test dependency) is needed')

HERE = Path(__file__).resolve().parent
# Test modules whose module-level Dockerfile texts (constants and case tables) are checked too.
SOURCES = (
    'dockerfile_model_test',
    'dockerfile_pinned_base_image_test',
    'dockerfile_non_root_user_test',
    'dockerfile_no_secrets_test',
    'suppress_test',
    'cli_test',
)
_LOOKS_LIKE_A_DOCKERFILE = re.compile(r'^\s*(?:FROM|ARG)\s', re.I | re.M)

TRICKY = (
    # an instruction or a comment right after a heredoc terminator (hadolint#960)
    'FROM a\nRUN <<EOF\nx\nEOF\nUSER u\n',
    'FROM a\nRUN <<EOF\nx\nEOF\n# c\nUSER u\n',
    # a continuation after the heredoc marker: the body starts after the joined line
    'FROM a\nRUN <<EOF \\\n  && echo\nx\nEOF\n',
    'FROM a\nRUN \\\n<<EOF\nx\nEOF\n',
    # lower-case keyword and name; the same name twice; a comment and a backslash as content
    'FROM a\nrun <<eof\nx\neof\n',
    'FROM a\nRUN <<EOF <<EOF\na\nEOF\nb\nEOF\n',
    'FROM a\nRUN <<EOF\n# comment\nEOF\n',
    'FROM a\nRUN <<EOF\nx \\\nEOF\nUSER u\n',
    'FROM a\nRUN <<EOF\n\n\nEOF\n',
    'FROM a\nRUN <<EOF\nx\nEOF',  # no newline at the end
    # names: dashes, quotes with spaces, `<<-` with a tab-indented terminator
    'FROM a\nRUN <<END-OF-FILE\nx\nEND-OF-FILE\n',
    'FROM a\nRUN <<"E O F"\nx\nE O F\n',
    'FROM a\nRUN <<EOF\n\tEOF\nEOF\n',
    'FROM a\nRUN <<-EOF\n\t\tEOF\n',
    # heredocs with commands around them
    "FROM a\nRUN cat <<'EOF' | sh\necho\nEOF\n",
    'FROM a\nRUN <<EOF bash -ex\nset\nEOF\n',
    'FROM a\nRUN <<EOF python3\nprint(1)\nEOF\n',
    'FROM a\nRUN echo <<EOF\nx\nEOF\n',
    'FROM a\nRUN echo a<<EOF\nUSER x\n',  # not a word of its own: no heredoc
    'FROM a\nRUN cat <<EOF>/f\nx\nEOF\n',
    'FROM a\nCOPY <<one <<two /dest/\n1\none\n2\ntwo\n',
    'FROM a\nONBUILD ADD <<EOF /x\ny\nEOF\n',
    'FROM a\nARG X=<<EOF\n',  # ARG takes no heredoc
    'FROM a\nCMD <<EOF\nx\nEOF\n',  # neither does CMD: both reject `x`
    # continuations: at EOF, trailing blanks, a backslash mid-line, escaped backslashes
    'FROM a\nRUN a \\',
    'FROM a\nRUN a \\\n',
    'FROM a\nRUN a \\  \n b\n',
    'FROM a\nRUN a \\ x\n',
    'FROM a\nRUN echo \\\\\nUSER x\n',
    'FROM a\nRUN echo \\\\\\\nUSER x\n',
    'FROM a\nRUN a \\\n\\\n b\n',
    'FROM a\nRUN a\\\n\\\n\\\n',
    # blank, whitespace-only and comment lines inside continuations
    'FROM a\nRUN echo hi \\\n\n\n\nUSER x\n',
    'FROM a\nRUN echo \\\n  \t \n  done\n',
    'FROM a\nENV a=1 \\\n b=2 \\\n # comment\n c=3\n',
    'FROM a\nRUN a \\\n# c \\\n b\n',
    'FROM a\nLABEL a=b \\\n      c=d\n',
    # comments, indentation, separators
    'FROM a\n   # indented comment\n\tRUN x\n',
    'FROM a\nRUN x # not a comment\n',
    'FROM a\n#\nRUN x\n',
    'FROM a\nRUN\techo\n',
    'FROM a AS b\n\nfrom b\n',
    '#!/bin/sh\nFROM a\n',
    # every instruction name
    'FROM a\nHEALTHCHECK NONE\nSTOPSIGNAL SIGTERM\nMAINTAINER me\nSHELL ["/bin/bash", "-c"]\n'
    'VOLUME /data\nEXPOSE 80/tcp\nWORKDIR /app\nADD a /b\nENTRYPOINT ["x"]\n',
    # directives
    '# syntax=docker/dockerfile:1\n# escape=\\\nFROM a\n',
    '#escape=`\n#syntax=x\nFROM alpine\nRUN a `\n b\n',
    '# Escape = `\nFROM alpine\nRUN a `\n b\n',
    '# escape=`\n\n# syntax=y\nFROM alpine\n',
    '# syntax=x\n# syntax=y\nFROM alpine\n',  # both reject a repeated directive
    # CRLF and a BOM
    'FROM a\r\nRUN a \\\r\n b\r\nUSER x\r\n',
    '\ufeffFROM a\nUSER x\n',
)

# Texts where the oracle and we knowingly differ. Each must still differ (a test checks it), so
# that an oracle upgrade or a model change that closes the gap shows up.
DIVERGENT = {
    # the oracle's BuildKit predates the `check` directive (BuildKit 0.15): it stops reading
    # directives at `# check=` and ignores the escape that follows
    '# check=skip=all\n# escape=`\nFROM alpine\nRUN a `\n b\n':
        'check directive unknown to the oracle',
    # CHECK_THEN_ESCAPE of dockerfile_model_test.py (pitfall 9), for the same reason
    '# syntax=docker/dockerfile:1\n# check=skip=JSONArgsRecommended\n# escape=`\n'
    'FROM mcr.microsoft.com/windows/servercore:ltsc2022\nRUN dir `\n    C:\\\n':
        'check directive unknown to the oracle (model test)',
    # pinned: Docker rejects `ENV a=b c` (no `=` in `c`); we keep `c` as a name without a value
    # (ENV_WITHOUT_ARGUMENTS of dockerfile_model_test.py, pitfall 13)
    'FROM alpine:3.20\nENV\nENV a=b c\nLABEL\n': 'ENV word without =',
    # pinned: Docker rejects a file without instructions; we read it as empty (no finding)
    '': 'no instructions',
    '# only a comment\n': 'no instructions',
    # pinned: Docker rejects a JSON array holding a non-string; we read it as shell form
    'FROM alpine:3.20\nCMD ["a", 1]\n': 'JSON array of non-strings',
}


def _ours(text: str) -> list[tuple[str, int, int, int]]:
    df = _dockerfile.parse('Dockerfile', text)
    # BuildKit hangs an ONBUILD's heredocs on the trigger, not on the ONBUILD node
    return [(i.keyword, i.line, i.end_line, 0 if i.keyword == 'ONBUILD' else len(i.heredocs))
            for i in df.instructions]


def _difference(ours: object, theirs: object) -> str | None:
    """None when both agree; else what differs."""
    if isinstance(ours, InputError):
        if isinstance(theirs, Exception):
            return None  # both reject the file
        unknown = [c.cmd for c in theirs if c.cmd.upper() not in _dockerfile.INSTRUCTIONS]
        if unknown:
            return None  # Docker fails on an unknown instruction
        return f'we reject it ({ours}), BuildKit does not'
    if isinstance(theirs, Exception):
        return f'BuildKit rejects it ({theirs}), we do not'
    rows = [(c.cmd.upper(), c.start_line, c.end_line, len(c.heredocs))
            for c in theirs if c.cmd.upper() in _dockerfile.INSTRUCTIONS]
    return None if ours == rows else f'ours {ours} != BuildKit {rows}'


def _compare_text(text: str) -> str | None:
    try:
        ours: object = _ours(decode(text.encode('utf-8')))
    except InputError as exc:
        ours = exc
    try:
        theirs: object = dockerfile.parse_string(text)
    except dockerfile.GoParseError as exc:
        theirs = exc
    return _difference(ours, theirs)


def _compare_file(path: Path) -> str | None:
    try:
        ours: object = _ours(read_text(str(path)))
    except InputError as exc:
        ours = exc
    try:
        theirs: object = dockerfile.parse_file(str(path))
    except dockerfile.GoParseError as exc:
        theirs = exc
    return _difference(ours, theirs)


def _texts_in(value: object) -> Iterator[str]:
    if isinstance(value, str):
        if '\n' in value and _LOOKS_LIKE_A_DOCKERFILE.search(value):
            yield value
    elif isinstance(value, (tuple, list)):
        for item in value:
            yield from _texts_in(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _texts_in(item)


def _test_texts() -> list[tuple[str, str]]:
    """(id, text) for the Dockerfile texts of the SOURCES modules and TRICKY, deduplicated."""
    out: dict[str, str] = {}
    for name in SOURCES:
        path = HERE / f'{name}.py'
        if not path.is_file():
            continue
        spec = importlib.util.spec_from_file_location(f'_oracle_source_{name}', path)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        n = 0
        for key, value in vars(module).items():
            if key.isupper():
                for text in _texts_in(value):
                    if text not in out:
                        n += 1
                        out[text] = f'{name}-{n}'
    for n, text in enumerate(TRICKY, 1):
        out.setdefault(text, f'tricky-{n}')
    return [(ident, text) for text, ident in out.items() if text not in DIVERGENT]


TEXTS = _test_texts()


def test_the_test_texts_are_collected():
    idents = {ident.rsplit('-', 1)[0] for ident, _ in TEXTS}
    assert {'dockerfile_model_test', 'dockerfile_pinned_base_image_test', 'tricky'} <= idents
    assert len(TEXTS) > 200


@pytest.mark.parametrize('text', [t for _, t in TEXTS], ids=[i for i, _ in TEXTS])
def test_text_parses_like_buildkit(text):
    assert _compare_text(text) is None


@pytest.mark.parametrize('text', list(DIVERGENT), ids=list(DIVERGENT.values()))
def test_documented_divergences_still_diverge(text):
    assert _compare_text(text) is not None


def test_corpus_parses_like_buildkit(corpus_dockerfiles):
    assert len(corpus_dockerfiles) > 1000
    diffs = []
    for path in corpus_dockerfiles:
        diff = _compare_file(path)
        if diff is not None:
            diffs.append(f'{path}: {diff}')
    assert diffs == []
