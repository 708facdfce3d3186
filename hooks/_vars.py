"""Variable expansion shared by the Dockerfile model (ARG/ENV) and the compose model.

``expand`` returns the expanded text, or ``None`` when the result cannot be known: a variable
whose value is unknown (an ARG without a default, a compose variable from the environment)
and that has no default in the reference. Defaults are judged as written, since they are what
a plain ``docker build`` / ``docker compose up`` uses.
"""
from __future__ import annotations

import re
from collections.abc import Callable

Lookup = Callable[[str], 'str | None']

_NAME = re.compile(r'[A-Za-z_][A-Za-z0-9_]*')


class _Unknown(Exception):
    pass


# What a lookup returns for a variable that is set to a value nobody can know (a `.env` line
# `KEY` alone, which takes the machine's value): unlike None (unset), no default applies.
class _UnknownValue(str):
    __slots__ = ()


UNKNOWN: str = _UnknownValue()


class _Ctx:
    def __init__(self, lookup: Lookup, compose: bool, escape: str, literal_only: bool) -> None:
        self.lookup = lookup
        self.compose = compose
        self.escape = escape
        self.literal_only = literal_only

    def unknown(self) -> str:
        """An unknown variable: nothing in literal-only mode, else the result is unknown."""
        if self.literal_only:
            return ''
        raise _Unknown


def expand(
        text: str,
        lookup: Lookup,
        *,
        compose: bool = False,
        escape: str = '\\',
        literal_only: bool = False,
) -> str | None:
    """Expand ``$V``, ``${V}``, ``${V:-d}``, ``${V-d}``, ``${V:+x}``, ``${V+x}``,
    ``${V:?e}``, ``${V?e}``.

    ``lookup(name)`` gives a variable's value, None when unset or unknown (then a default
    applies), or :data:`UNKNOWN` when set to a value that cannot be known (no default applies). With
    ``compose=True``, ``$$`` is a literal ``$``; otherwise ``escape`` followed by ``$`` is.
    With ``literal_only=True`` an unknown variable expands to nothing while defaults are
    kept: the result is what the file itself writes (used to judge committed secrets).
    """
    if '$' not in text:
        return text
    try:
        out, _ = _expand(text, 0, _Ctx(lookup, compose, escape, literal_only), None)
    except _Unknown:
        return None
    return out


def _expand(text: str, i: int, ctx: _Ctx, stop: str | None) -> tuple[str, int]:
    out: list[str] = []
    n = len(text)
    while i < n:
        c = text[i]
        if stop is not None and c == stop:
            return ''.join(out), i
        if not ctx.compose and c == ctx.escape and i + 1 < n and text[i + 1] in ('$', ctx.escape):
            out.append(text[i + 1])
            i += 2
            continue
        if c != '$':
            out.append(c)
            i += 1
            continue
        if ctx.compose and i + 1 < n and text[i + 1] == '$':
            out.append('$')
            i += 2
            continue
        if i + 1 < n and text[i + 1] == '{':
            value, i = _braced(text, i + 2, ctx)
            out.append(value)
            continue
        m = _NAME.match(text, i + 1)
        if m is None:
            out.append('$')
            i += 1
            continue
        found = ctx.lookup(m.group())
        out.append(ctx.unknown() if found is None or found is UNKNOWN else found)
        i = m.end()
    if stop is not None:
        # unterminated ${...}: Docker and Compose both reject it; we cannot know the value
        raise _Unknown
    return ''.join(out), i


def _braced(text: str, i: int, ctx: _Ctx) -> tuple[str, int]:
    m = _NAME.match(text, i)
    if m is None:
        raise _Unknown
    i = m.end()
    value = ctx.lookup(m.group())
    if value is UNKNOWN:
        _, end = _expand(text, i, ctx, '}') if text[i:i + 1] != '}' else ('', i)
        return ctx.unknown(), end + 1
    if i < len(text) and text[i] == '}':
        return (ctx.unknown() if value is None else value), i + 1
    colon = text.startswith(':', i)
    op_at = i + 1 if colon else i
    if op_at >= len(text) or text[op_at] not in '-+?':
        raise _Unknown
    op = text[op_at]
    word, end = _expand(text, op_at + 1, ctx, '}')
    end += 1
    if value is not None and (value != '' or not colon):
        # set (and, with ':', not empty)
        return (value if op in '-?' else word), end
    if op == '-':
        return word, end
    if op == '?' or value is None:
        return ctx.unknown(), end  # an error when unset, or `+` of an unknown variable
    return '', end  # ':+' of a variable that is set but empty
