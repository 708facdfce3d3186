"""Reading `.env` files as Docker Compose reads them (compose-go's ``dotenv`` package).

Compose reads the project's ``.env`` for interpolation and ``env_file:`` files for a
container's environment, with one grammar:

* blank lines and lines whose first non-blank character is ``#`` are skipped;
* a statement is ``[export ]KEY=VALUE`` or ``KEY: VALUE`` (YAML style); a ``KEY`` alone on its
  line takes its value from the environment; key characters are letters, digits and
  ``_ . - [ ]``, anything else is an error, and so is a space inside a key;
* an unquoted value runs to the end of the line, is cut at `` #`` (a ``#`` after a space starts
  a comment) and right-trimmed, then interpolated (``${V:-d}``, ``$$``) with the keys defined
  before it;
* a single-quoted value is literal and may span lines; a double-quoted value may span lines,
  takes the escapes ``\\n \\t \\" \\\\ \\$`` ... and is interpolated like an unquoted one.

We read a file without any environment: a ``KEY`` alone, or a value using a variable that no
earlier line defines, is unknown (``None``), never guessed. Values are used to interpolate
compose files and judged as secrets; they are never printed.
"""
from __future__ import annotations

import re

from dockhooks._records import NamedTuple
from dockhooks._text import InputError
from dockhooks._vars import expand


class Entry(NamedTuple):
    key: str
    value: str | None  # after escapes and interpolation; None: cannot be known
    literal: str | None  # what the file itself writes (variables from elsewhere left out)
    line: int  # 1-based line of the key


_EXPORT = re.compile(r'export[ \t\v\f\r\x85\xa0]+')
_SPACE = ' \t\v\f\r\x85\xa0'  # compose-go's isSpace: blanks, not line breaks
_ESCAPE = re.compile(r'\\(?:[abcfnrtv$"\\]|0[0-9]{0,3})')
_ESCAPES = {'a': '\a', 'b': '\b', 'c': '\\c', 'f': '\f', 'n': '\n', 'r': '\r', 't': '\t',
            'v': '\v', '"': '"', '\\': '\\', '$': '$$'}


def _key_char(ch: str) -> bool:
    return ch.isalnum() or ch in '_.-[]'


def _unescape(match: re.Match[str]) -> str:
    text = match.group()
    if text.startswith('\\0'):
        # `\0123` is the octal escape `\123` (Go's, which needs exactly three digits);
        # anything else is kept, without its `0`
        digits = text[2:]
        if len(digits) == 3 and set(digits) <= set('01234567') and int(digits, 8) < 256:
            return chr(int(digits, 8))
        return '\\' + digits
    return _ESCAPES[text[1]]


def parse(text: str) -> list[Entry]:
    """The statements of an env file, in order; raise InputError where Compose fails."""
    out: list[Entry] = []
    known: dict[str, str | None] = {}
    if text.startswith('\ufeff'):
        text = text[1:]
    n = len(text)
    i = 0
    line = 1
    while True:
        while i < n and text[i].isspace():
            line += text[i] == '\n'
            i += 1
        if i >= n:
            return out
        if text[i] == '#':
            j = text.find('\n', i)
            i = n if j < 0 else j
            continue
        m = _EXPORT.match(text, i)
        if m:
            i = m.end()
        start = i
        sep = ''
        while i < n:
            ch = text[i]
            if ch in '=:\n':
                sep = ch
                break
            if ch not in _SPACE and not _key_char(ch):
                raise InputError(f'line {line}: unexpected character {ch!r} in variable name '
                                 f'{text[start:i + 1].strip()!r}', line)
            i += 1
        key = text[start:i].rstrip()
        key_line = line
        if not key:
            raise InputError(f'line {line}: a value without a variable name', line)
        if any(c in _SPACE for c in key):
            raise InputError(f'line {line}: a variable name cannot contain a space ({key!r})',
                             line)
        i += 1  # past the separator (or the end)
        if sep != '=' and sep != ':':  # `KEY` alone: from the environment
            line += sep == '\n'
            out.append(Entry(key, None, None, key_line))
            known[key] = None
            continue
        while i < n and text[i] in _SPACE:
            i += 1
        if i < n and text[i] in '"\'':
            quote = text[i]
            chars: list[str] = []
            j = i + 1
            escaped = False
            while j < n:
                ch = text[j]
                if escaped:
                    escaped = False
                    if ch != quote:
                        chars.append('\\')
                    chars.append(ch)
                elif ch == '\\':
                    escaped = True
                elif ch == quote:
                    break
                else:
                    chars.append(ch)
                j += 1
            else:
                raise InputError(f'line {line}: unterminated quoted value of {key}', line)
            raw = ''.join(chars)
            line += text.count('\n', i, j)
            i = j + 1
            if quote == '"':
                raw = _ESCAPE.sub(_unescape, raw)
            else:
                raw = raw.replace('$', '$$')  # literal: no interpolation
        else:
            j = text.find('\n', i)
            end = n if j < 0 else j
            raw = text[i:end].split(' #', 1)[0].rstrip()
            i = end
        value = expand(raw, known.get, compose=True)
        literal = expand(raw, lambda _name: None, compose=True, literal_only=True)
        known[key] = value
        out.append(Entry(key, value, literal, key_line))


def values(text: str) -> dict[str, str | None]:
    """Each key's last value (None: cannot be known); raise InputError."""
    return {e.key: e.value for e in parse(text)}
