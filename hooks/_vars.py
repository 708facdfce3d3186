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


def expand(
        text: str,
        lookup: Lookup,
        *,
        compose: bool = False,
        escape: str = '\\',
) -> str | None:
    """Expand ``$V``, ``${V}``, ``${V:-d}``, ``${V-d}``, ``${V:+x}``, ``${V+x}``,
    ``${V:?e}``, ``${V?e}``.

    ``lookup(name)`` gives a variable's value, or None when unset or unknown. With
    ``compose=True``, ``$$`` is a literal ``$``; otherwise ``escape`` followed by ``$`` is.
    """
    if '$' not in text:
        return text
    try:
        out, _ = _expand(text, 0, lookup, compose, escape, None)
    except _Unknown:
        return None
    return out


def _expand(
        text: str, i: int, lookup: Lookup, compose: bool, escape: str, stop: str | None,
) -> tuple[str, int]:
    out: list[str] = []
    n = len(text)
    while i < n:
        c = text[i]
        if stop is not None and c == stop:
            return ''.join(out), i
        if not compose and c == escape and i + 1 < n and text[i + 1] in ('$', escape):
            out.append(text[i + 1])
            i += 2
            continue
        if c != '$':
            out.append(c)
            i += 1
            continue
        if compose and i + 1 < n and text[i + 1] == '$':
            out.append('$')
            i += 2
            continue
        if i + 1 < n and text[i + 1] == '{':
            value, i = _braced(text, i + 2, lookup, compose, escape)
            out.append(value)
            continue
        m = _NAME.match(text, i + 1)
        if m is None:
            out.append('$')
            i += 1
            continue
        found = lookup(m.group())
        if found is None:
            raise _Unknown
        out.append(found)
        i = m.end()
    if stop is not None:
        # unterminated ${...}: Docker and Compose both reject it; we cannot know the value
        raise _Unknown
    return ''.join(out), i


def _braced(
        text: str, i: int, lookup: Lookup, compose: bool, escape: str,
) -> tuple[str, int]:
    m = _NAME.match(text, i)
    if m is None:
        raise _Unknown
    name = m.group()
    i = m.end()
    value = lookup(name)
    if i < len(text) and text[i] == '}':
        if value is None:
            raise _Unknown
        return value, i + 1
    colon = text.startswith(':', i)
    op_at = i + 1 if colon else i
    if op_at >= len(text) or text[op_at] not in '-+?':
        raise _Unknown
    op = text[op_at]
    word, end = _expand(text, op_at + 1, lookup, compose, escape, '}')
    end += 1
    is_set = value is not None and (value != '' or not colon)
    if op == '-':
        return (value if is_set else word), end  # type: ignore[return-value]
    if op == '+':
        if value is None:
            raise _Unknown
        return (word if is_set else ''), end
    # '?': an error when unset; the value is known only when it is set
    if not is_set:
        raise _Unknown
    return value, end  # type: ignore[return-value]
