"""Reading env files with Compose's grammar (compose-go's dotenv package); the oracle test
checks the same reader against the real Compose binary."""
from __future__ import annotations

import pytest
from dockhooks import _dotenv
from dockhooks._text import InputError


@pytest.mark.parametrize(('text', 'expected'), (
    ('A=1\nB=two words\n', {'A': '1', 'B': 'two words'}),
    ('# comment\n\n  A = spaced  \n', {'A': 'spaced'}),
    ('export A=1\n', {'A': '1'}),
    ('exported=1\n', {'exported': '1'}),  # `export` only as a word of its own
    ('A: colon\n', {'A': 'colon'}),  # YAML style
    ('A=value # comment\nB=a#b\n', {'A': 'value', 'B': 'a#b'}),  # ` #` starts a comment
    ('A="quoted # not a comment"\n', {'A': 'quoted # not a comment'}),
    ("A='single $B'\n", {'A': 'single $B'}),  # single quotes: literal
    ('A="tab\\tq\\"x"\n', {'A': 'tab\tq"x'}),
    ('A="\\$HOME"\n', {'A': '$HOME'}),
    ("A='first\nsecond'\nB=3\n", {'A': 'first\nsecond', 'B': '3'}),
    ('A=1\nB=${A}-x\nC=${NOPE:-d}\n', {'A': '1', 'B': '1-x', 'C': 'd'}),
    ('A=$$lit\n', {'A': '$lit'}),
    ('A=\n', {'A': ''}),
    ('A=1\nA=2\n', {'A': '2'}),
    ('FOO=BAR', {'FOO': 'BAR'}),  # no newline at the end
    ('\ufeffA=1\n', {'A': '1'}),  # a byte-order mark is skipped
))
def test_values(text, expected):
    assert _dotenv.values(text) == expected


@pytest.mark.parametrize(('text', 'expected'), (
    # a key alone takes its value from the environment: unknown here
    ('A\nB=1\n', {'A': None, 'B': '1'}),
    # a variable that nothing defines: unknown, not empty
    ('A=${HOME}/x\n', {'A': None}),
    ('A\nB=$A\n', {'A': None, 'B': None}),
))
def test_unknown_values(text, expected):
    assert _dotenv.values(text) == expected


def test_entries_have_lines_and_literals():
    entries = _dotenv.parse('# c\nA=1\n\nB="x\ny"\nC=${A}${OTHER:-d}\n')
    assert [(e.key, e.line) for e in entries] == [('A', 2), ('B', 4), ('C', 6)]
    assert entries[2].literal == 'd'  # what the file itself writes


@pytest.mark.parametrize(('text', 'line', 'reason'), (
    ('A=1\nB C=2\n', 2, 'a variable name cannot contain a space'),
    ('A=1\nB$=2\n', 2, "unexpected character '$' in variable name"),
    ('A="open\n', 1, 'unterminated quoted value of A'),
    ('=value\n', 1, 'a value without a variable name'),
))
def test_errors(text, line, reason):
    with pytest.raises(InputError) as exc:
        _dotenv.parse(text)
    assert exc.value.line == line
    assert reason in exc.value.reason
