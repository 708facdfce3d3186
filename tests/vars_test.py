from __future__ import annotations

import pytest
from dockhooks._vars import expand

VALUES = {'A': 'a', 'E': '', 'N': None}  # N: declared, value unknown (an ARG with no default)


def _lookup(name: str) -> str | None:
    return VALUES.get(name)


CASES = (
    ('no variables', 'no variables'),
    ('$A', 'a'),
    ('${A}', 'a'),
    ('x${A}y$A.z', 'xaya.z'),
    ('${A:-d}', 'a'),
    ('${A-d}', 'a'),
    ('${E:-d}', 'd'),  # set but empty: `:-` takes the default
    ('${E-d}', ''),  # set but empty: `-` keeps the empty value
    ('${U:-d}', 'd'),  # unknown name: the default as written
    ('${U-d}', 'd'),
    ('${N:-d}', 'd'),
    ('${A:+x}', 'x'),
    ('${E:+x}', ''),
    ('${E+x}', 'x'),
    ('${A+x}', 'x'),
    ('${U:+x}', None),  # depends on a value we do not know
    ('${N:+x}', None),
    ('${A:?err}', 'a'),
    ('${E?err}', ''),
    ('${U:?err}', None),  # an error when unset: the value is not known
    ('${E:?err}', None),
    ('$U', None),
    ('${N}', None),
    ('pre-$N-post', None),  # one unknown part makes the whole unknown
    ('${A:-${E:-z}}', 'a'),  # nested default
    ('${U:-${E:-z}}', 'z'),
    ('${U:-$A}', 'a'),
    ('${U:-${N}}', None),
    ('$', '$'),  # a lone dollar is literal
    ('a$', 'a$'),
    ('$1', '$1'),  # not a name
    ('$-', '$-'),
    ('\\$A', '$A'),  # escaped dollar
    ('\\\\$A', '\\a'),  # escaped escape, then a variable
    ('$$A', '$a'),  # `$$` means nothing special outside compose
    ('${A', None),  # unterminated
    ('${}', None),  # no name
    ('${A:x}', None),  # unsupported operator
    ('${A:-unterminated', None),
    ('${1}', None),
)


@pytest.mark.parametrize(('text', 'expected'), CASES)
def test_expand(text, expected):
    assert expand(text, _lookup) == expected


@pytest.mark.parametrize(('text', 'expected'), (
    ('$$A', '$A'),  # `$$` is a literal dollar in compose
    ('$$$A', '$a'),
    ('\\$A', '\\a'),  # and a backslash is not an escape
    ('${A:-x}$$', 'a$'),
    ('${U:-$$}', '$'),
))
def test_expand_compose(text, expected):
    assert expand(text, _lookup, compose=True) == expected


@pytest.mark.parametrize(('text', 'expected'), (
    ('`$A', '$A'),  # backtick escape (Windows Dockerfiles)
    ('C:\\$A', 'C:\\a'),  # a backslash is literal then
    ('``$A', '`a'),
))
def test_expand_backtick_escape(text, expected):
    assert expand(text, _lookup, escape='`') == expected


def test_lookup_is_not_called_without_a_dollar():
    def lookup(name: str) -> str | None:
        raise AssertionError(name)

    assert expand('plain {text} 100%', lookup) == 'plain {text} 100%'
