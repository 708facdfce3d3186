"""The Dockerfile model every Dockerfile rule reads: instructions, stages and variables.

The file is parsed once. Our own line scanner does what BuildKit does and dockerfile-parse does
not (see ``../shared/notes/parsing.md`` §2): parser directives (``# escape=``, ``# syntax=``,
``# check=``), heredoc bodies, blank lines and comments inside continuations, an escaped escape
character at the end of a line. It hands dockerfile-parse a sanitised copy of the text (same
line numbers, heredoc bodies blanked) as a file object, never a path, and takes each
instruction's keyword and continuation-joined value from it. On top of that come flags, JSON
(exec) form, ONBUILD triggers, stages and ARG/ENV scopes.

Values that cannot be known (an ARG without a default, a variable of the base image) are
``None``, never an empty string.
"""
from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from collections.abc import Mapping
from collections.abc import Sequence

from dockhooks._records import TYPE_CHECKING
from dockhooks._records import NamedTuple
from dockhooks._text import InputError

if TYPE_CHECKING:
    from typing import Any

    from dockhooks._shell import Command
from dockhooks._vars import expand

INSTRUCTIONS = frozenset((
    'ADD', 'ARG', 'CMD', 'COPY', 'ENTRYPOINT', 'ENV', 'EXPOSE', 'FROM', 'HEALTHCHECK',
    'LABEL', 'MAINTAINER', 'ONBUILD', 'RUN', 'SHELL', 'STOPSIGNAL', 'USER', 'VOLUME',
    'WORKDIR',
))
HEREDOC_INSTRUCTIONS = frozenset(('RUN', 'COPY', 'ADD'))
_DIRECTIVE = re.compile(r'^\s*#\s*([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$')
DIRECTIVES = frozenset(('syntax', 'escape', 'check'))  # BuildKit's; any other ends them
_HEREDOC = re.compile(r'^(\d*)<<(-?)([^<]*)$')
_KEYWORD = re.compile(r'\s*(\S+)')
_FLAG = re.compile(r'--([A-Za-z][A-Za-z0-9-]*)(?:=(\S*))?')
_PRIVATE = '\ue000'  # stands in for an escaped escape character at a line end
# Each stage built on an earlier one copies that stage's ENV values; past this many copied in
# all (absurd files: 10,000 chained stages each adding an ENV) the file is not modelled.
MAX_INHERITED = 200_000


# The model's classes are NamedTuples and plain classes, not dataclasses: importing
# dataclasses (inspect, ast, dis, tokenize) and building the classes cost a Dockerfile hook
# ~8 ms of its ~50 ms (python -X importtime; benchmarks/run.py).


class Heredoc(NamedTuple):
    name: str
    content: str
    strip_tabs: bool
    fd: int


class Instruction:
    """One instruction. Lines are 1-based; ``end_line`` includes heredoc bodies."""

    def __init__(
            self,
            keyword: str,              # upper case: 'RUN'
            line: int,
            col: int,
            end_line: int,
            value: str,                # everything after the keyword, continuation-joined
            flags: dict[str, str | None],
            args: str,                 # ``value`` without the leading flags
            json: list[str] | None,    # the exec form's arguments, or None for shell form
            heredocs: list[Heredoc],
            stage: int,                # index of its stage, -1 before the first FROM
            trigger: Instruction | None = None,   # the instruction inside ONBUILD
            scope: Mapping[str, str | None] | None = None,
    ) -> None:
        self.keyword = keyword
        self.line = line
        self.col = col
        self.end_line = end_line
        self.value = value
        self.flags = flags
        self.args = args
        self.json = json
        self.heredocs = heredocs
        self.stage = stage
        self.trigger = trigger
        self.scope: Mapping[str, str | None] = {} if scope is None else scope
        self._commands: list[Command] | None = None

    def __repr__(self) -> str:
        return (f'Instruction({self.keyword!r}, line={self.line}, end_line={self.end_line}, '
                f'value={self.value!r}, stage={self.stage})')

    def commands(self) -> list[Command]:
        """A RUN's simple commands (see ``_shell``), split once and kept."""
        if self._commands is None:
            from dockhooks._shell import split_commands

            self._commands = split_commands(self.script())
        return self._commands

    def package_names(self, specs: Sequence[str]) -> list[str]:
        """Package names from a package-manager call's arguments (``op.packages``), as this
        instruction sees its variables: ``${PKGS}`` from ``ARG PKGS="curl gosu"`` gives both
        names; a variable whose value cannot be known gives none. Versions, architectures
        and extras are dropped (``gcc=4:12`` -> ``gcc``); a quoted group name keeps its words
        (``"Development Tools"`` -> ``development-tools``)."""
        from dockhooks._shell import package_name

        out: list[str] = []
        for spec in specs:
            if '$' in spec:
                value = self.resolve(spec)
                out.extend(package_name(one) for one in (value or '').split())
            elif ' ' in spec.strip():
                out.append(spec.strip().lower().replace(' ', '-'))
            else:
                out.append(package_name(spec))
        return out

    def flag(self, name: str) -> str | None:
        return self.flags.get(name)

    def mounts(self) -> list[dict[str, str]]:
        """``--mount=type=cache,target=/x`` flags as dicts (``type`` defaults to bind)."""
        out = []
        for spec in (self.flags.get('mount') or '').split('\n'):
            if not spec:
                continue
            opts = {'type': 'bind'}
            for part in spec.split(','):
                key, _, val = part.partition('=')
                key = key.strip().lower()
                opts['target' if key in ('dst', 'destination') else key] = val.strip()
            out.append(opts)
        return out

    def script(self) -> str:
        """A RUN's shell text: heredoc bodies used as the script are included."""
        if self.json is not None:
            import shlex

            return ' '.join(shlex.quote(a) for a in self.json)
        if not self.heredocs:
            return self.args
        head = _split_words(self.args)
        # `RUN <<EOF`, `RUN <<EOF bash`, `RUN bash <<EOF`: the body is the shell script;
        # other heredocs (`cat <<EOF > f`, `python3 <<EOF`) are data, not shell.
        bodies = [h.content for h in self.heredocs]
        if head and _HEREDOC.match(head[0]) and all(
                _HEREDOC.match(w) or w in ('sh', 'bash', 'ash', 'dash', '/bin/sh', '/bin/bash')
                or w.startswith('-') for w in head):
            return '\n'.join(bodies)
        if len(head) >= 2 and head[0] in ('sh', 'bash', '/bin/sh', '/bin/bash') and \
                _HEREDOC.match(head[-1]):
            return '\n'.join(bodies)
        return self.args

    def resolve(self, text: str) -> str | None:
        """Expand variables as this instruction sees them (None: cannot be known)."""
        return expand(text, self.scope.get)


class _Vars:
    """Every value each variable takes in one stage, in order, over the ENV values the stage
    inherits (``base``, not copied). The scope of each instruction is a view of it: a dict copy
    per ARG/ENV made a 200,000-line Dockerfile take gigabytes."""

    def __init__(self, base: Mapping[str, str | None]) -> None:
        self.base = base
        self.seqs: dict[str, list[int]] = {}
        self.values: dict[str, list[str | None]] = {}
        self.seq = 0

    def set(self, name: str, value: str | None) -> None:
        self.seq += 1
        self.seqs.setdefault(name, []).append(self.seq)
        self.values.setdefault(name, []).append(value)

    def view(self) -> Scope:
        return Scope(self, self.seq)


class Scope(Mapping[str, 'str | None']):
    """The variables an instruction sees (read-only): name -> value, None when unknown."""

    __slots__ = ('_seq', '_vars')

    def __init__(self, vars_: _Vars, seq: int) -> None:
        self._vars = vars_
        self._seq = seq

    def _find(self, name: str) -> tuple[bool, str | None]:
        seqs = self._vars.seqs.get(name)
        if seqs:
            k = bisect.bisect_right(seqs, self._seq)
            if k:
                return True, self._vars.values[name][k - 1]
        if name in self._vars.base:
            return True, self._vars.base[name]
        return False, None

    def __getitem__(self, name: str) -> str | None:
        found, value = self._find(name)
        if not found:
            raise KeyError(name)
        return value

    def get(self, name: str, default: Any = None) -> Any:
        found, value = self._find(name)
        return value if found else default

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and self._find(name)[0]

    def __iter__(self) -> Iterator[str]:
        seen = dict.fromkeys(self._vars.base)
        seen.update((k, None) for k, seqs in self._vars.seqs.items() if seqs[0] <= self._seq)
        return iter(seen)

    def __len__(self) -> int:
        return sum(1 for _ in self)

    def __repr__(self) -> str:
        return f'Scope({dict(self)!r})'


class Stage:
    def __init__(
            self,
            index: int,
            from_: Instruction,
            image: str | None,         # the base image after ARG expansion; None if unknown
            raw_image: str,
            alias: str | None,         # `AS name`, lower-cased as Docker compares it
            parent: int | None,        # index of the earlier stage it builds on (FROM <stage>)
            instructions: list[Instruction] | None = None,
            env: dict[str, str | None] | None = None,
    ) -> None:
        self.index = index
        self.from_ = from_
        self.image = image
        self.raw_image = raw_image
        self.alias = alias
        self.parent = parent
        self.instructions: list[Instruction] = [] if instructions is None else instructions
        self.env: dict[str, str | None] = {} if env is None else env

    def __repr__(self) -> str:
        return (f'Stage({self.index}, image={self.image!r}, alias={self.alias!r}, '
                f'parent={self.parent})')


class Comment(NamedTuple):
    line: int
    text: str  # without the leading '#', stripped


class Dockerfile:
    def __init__(
            self,
            path: str,
            lines: list[str],
            instructions: list[Instruction],
            stages: list[Stage],
            comments: list[Comment],
            directives: dict[str, str],
            escape: str,
            global_args: dict[str, str | None],
    ) -> None:
        self.path = path
        self.lines = lines
        self.instructions = instructions
        self.stages = stages
        self.comments = comments
        self.directives = directives
        self.escape = escape
        self.global_args = global_args

    def __repr__(self) -> str:
        return f'Dockerfile({self.path!r}, {len(self.instructions)} instructions)'

    def final_stage(self, target: str | None = None) -> Stage | None:
        if target is None:
            return self.stages[-1] if self.stages else None
        for stage in self.stages:
            if stage.alias == target.lower():
                return stage
        return None

    def chain(self, stage: Stage) -> list[Stage]:
        """``stage`` and the stages it builds on through FROM, nearest first."""
        out = [stage]
        while out[-1].parent is not None:
            out.append(self.stages[out[-1].parent])
        return out

    def shipped_stages(self, target: str | None = None) -> set[int]:
        """Indexes of the stages whose layers end up in the final image."""
        final = self.final_stage(target)
        return {s.index for s in self.chain(final)} if final else set()

    def all_instructions(self) -> Iterator[Instruction]:
        yield from self.instructions


# --------------------------------------------------------------------------- scanning


class _Logical(NamedTuple):
    start: int       # 0-based physical line of the keyword
    head_end: int    # 0-based last line of the continuation-joined part
    end: int         # 0-based last line, heredoc terminators included
    text: str        # joined text (our own join, used for heredoc detection and checks)
    heredocs: list[Heredoc]


def _ends_with_escape(line: str, escape: str) -> bool:
    """BuildKit's line-continuation test: a trailing escape char not itself escaped."""
    s = line.rstrip(' \t')
    if not s.endswith(escape):
        return False
    return len(s) < 2 or s[-2] != escape


def _split_words(text: str) -> list[str]:
    """Split on whitespace outside quotes, quotes kept (enough to find heredoc words)."""
    words: list[str] = []
    cur: list[str] = []
    quote = ''
    for ch in text:
        if quote:
            cur.append(ch)
            if ch == quote:
                quote = ''
        elif ch in '"\'':
            quote = ch
            cur.append(ch)
        elif ch.isspace():
            if cur:
                words.append(''.join(cur))
                cur = []
        else:
            cur.append(ch)
    if cur:
        words.append(''.join(cur))
    return words


def _heredoc_markers(text: str) -> list[tuple[str, bool, int]]:
    out: list[tuple[str, bool, int]] = []
    if '<<' not in text:  # most RUN/COPY lines: no word splitting needed
        return out
    for word in _split_words(text):
        m = _HEREDOC.match(word)
        if not m or not m.group(3):
            continue
        name = m.group(3)
        if len(name) >= 2 and name[0] == name[-1] and name[0] in '"\'':
            name = name[1:-1]
        if not name:
            continue
        out.append((name, m.group(2) == '-', int(m.group(1) or 0)))
    return out


def _directives(lines: list[str]) -> tuple[dict[str, str], int]:
    """Leading parser directives and the index of the first line after them."""
    found: dict[str, str] = {}
    i = 0
    while i < len(lines):
        m = _DIRECTIVE.match(lines[i])
        if not m:
            break
        key = m.group(1).lower()
        if key not in DIRECTIVES:  # `# foo=bar` is a comment and ends the directives
            break
        if key in found:
            raise InputError(f'line {i + 1}: only one {key} parser directive can be used',
                             i + 1)
        found[key] = m.group(2)
        i += 1
    return found, i


def _scan(lines: list[str], escape: str, first: int) -> tuple[list[_Logical], list[Comment]]:
    logical: list[_Logical] = []
    comments: list[Comment] = []
    n = len(lines)
    i = first
    while i < n:
        line = lines[i]
        stripped = line.strip()
        if not stripped:
            i += 1
            continue
        if stripped.startswith('#'):
            comments.append(Comment(i + 1, stripped[1:].strip()))
            i += 1
            continue
        start = i
        parts: list[str] = []
        while True:
            line = lines[i]
            if _ends_with_escape(line, escape):
                parts.append(line.rstrip(' \t')[:-1])
                i += 1
                # blank lines and comment lines inside a continuation are skipped
                while i < n and (not lines[i].strip() or lines[i].lstrip().startswith('#')):
                    if lines[i].strip():
                        comments.append(Comment(i + 1, lines[i].strip()[1:].strip()))
                    i += 1
                if i >= n:
                    break
                continue
            parts.append(line)
            break
        head_end = min(i, n - 1)
        text = ''.join(parts)
        heredocs: list[Heredoc] = []
        kw = text.split(None, 1)[0].upper() if text.strip() else ''
        end = head_end
        if kw in HEREDOC_INSTRUCTIONS or (kw == 'ONBUILD' and '<<' in text):
            for name, strip_tabs, fd in _heredoc_markers(text):
                body: list[str] = []
                j = end + 1
                while True:
                    if j >= n:
                        raise InputError(
                            f'heredoc <<{name} opened on line {start + 1} is never closed '
                            f'(a line holding only {name} ends it)', start + 1,
                        )
                    cand = lines[j].lstrip('\t') if strip_tabs else lines[j]
                    if cand == name:
                        break
                    body.append(cand + '\n')
                    j += 1
                heredocs.append(Heredoc(name, ''.join(body), strip_tabs, fd))
                end = j
        logical.append(_Logical(start, head_end, end, text, heredocs))
        i = end + 1
    return logical, comments


def _sanitise(lines: list[str], logical: list[_Logical], escape: str, first: int) -> str:
    """The text handed to dockerfile-parse: same line count, pitfalls neutralised."""
    out = list(lines)
    for k in range(first):
        out[k] = ''
    if escape == '`' and first > 0:
        out[0] = '# escape=`'
    for lg in logical:
        for k in range(lg.start, lg.head_end + 1):
            s = out[k]
            if not s.strip():
                out[k] = '#'  # blank line inside a continuation (pitfall 3)
            elif k < lg.head_end and s.lstrip().startswith('#'):
                continue
            elif not _ends_with_escape(s, escape) and s.rstrip(' \t').endswith(escape):
                # an escaped escape at the line end is literal (pitfall 10)
                t = s.rstrip(' \t')
                out[k] = t[:-1] + _PRIVATE
        for k in range(lg.head_end + 1, lg.end + 1):
            out[k] = ''  # heredoc bodies are not instructions (pitfall 2)
    return '\n'.join(out) + '\n\n'  # trailing newlines: a bare `USER` at EOF (pitfall 14)


# dockerfile-parse's own expressions (DockerfileParser.structure), kept as they are there
_DP_INSTRUCTION = re.compile(r'^\s*(\S+)\s+(.*)$')
_DP_COMMENT = re.compile(r'^\s*#')
_DP_ESCAPE = re.compile(r'^\s*#\s*escape\s*=\s*(\\|`)\s*$', re.I)
_DP_SYNTAX = re.compile(r'^\s*#\s*syntax\s*=\s*(.*)\s*$', re.I)


def split_instructions(text: str) -> list[tuple[str, str]]:
    """(KEYWORD, value) of each instruction of ``text``, comments left out, exactly as
    dockerfile-parse's ``DockerfileParser.structure`` gives them: the same loop over the same
    lines with the same expressions. dockerfile-parse is the reference this is tested against
    (tests/dockerfile_model_test.py) rather than imported here: with the logging and json it
    pulls in it cost ~9 ms in every hook process, more than the rest of a Dockerfile hook.
    ``parse`` hands it the sanitised text, where its pitfalls are neutralised."""
    def rstrip_eol(value: str, char: str) -> str:
        value = value.rstrip()
        return value[:-1] if value.endswith(char) else value

    out: list[tuple[str, str]] = []
    char = '\\'
    continues = re.compile(r'^.*\\\s*$')
    directive_possible = True
    in_continuation = False
    current: list[str] | None = None  # [keyword, value]
    pieces = text.split('\n')
    lines = [p + '\n' for p in pieces[:-1]] + ([pieces[-1]] if pieces[-1] else [])
    for line in lines:
        if directive_possible:
            m = _DP_ESCAPE.match(line)
            if m:
                char = m.group(1)
                continues = re.compile(r'^.*' + re.escape(char) + r'\s*$')
            elif not _DP_SYNTAX.match(line):
                directive_possible = False
        if _DP_COMMENT.match(line):
            continue
        if not in_continuation:
            m = _DP_INSTRUCTION.match(line)
            if not m:
                continue
            current = [m.group(1).upper(), rstrip_eol(m.group(2), char)]
        elif current is not None:
            if current[1]:
                current[1] += rstrip_eol(line, char)
            else:
                current[1] = rstrip_eol(line.lstrip(), char)
        in_continuation = continues.match(line) is not None
        if not in_continuation and current is not None:
            out.append((current[0], current[1]))
    return out


# --------------------------------------------------------------------------- building


def _parse_flags(value: str) -> tuple[dict[str, str | None], str]:
    """Leading ``--name[=value]`` flags; a repeated flag (``--mount``) keeps every value,
    joined by newlines."""
    flags: dict[str, str | None] = {}
    rest = value.lstrip()
    while rest.startswith('--'):
        m = _FLAG.match(rest)
        if m is None:
            break
        end = m.end()
        if end < len(rest) and not rest[end].isspace():
            break
        name = m.group(1).lower()
        if flags.get(name) is not None and m.group(2) is not None:
            flags[name] = f'{flags[name]}\n{m.group(2)}'
        else:
            flags[name] = m.group(2)
        rest = rest[end:].lstrip()
    return flags, rest


def _parse_json(args: str) -> list[str] | None:
    """The exec form's arguments: a JSON array of strings, else None (Docker falls back to
    the shell form, pitfall 16). Read here rather than with the json module (~1.5 ms of a
    hook's start-up, for the few characters of a CMD); tests hold it to ``json.loads``."""
    s = args.strip()
    if not s.startswith('['):
        return None
    out: list[str] = []
    n = len(s)
    i = _skip_ws(s, 1)
    if i < n and s[i] == ']':
        return out if _skip_ws(s, i + 1) == n else None
    while i < n:
        if s[i] != '"':
            return None
        value, i = _json_string(s, i + 1)
        if value is None:
            return None
        out.append(value)
        i = _skip_ws(s, i)
        if i < n and s[i] == ',':
            i = _skip_ws(s, i + 1)
            continue
        if i < n and s[i] == ']':
            return out if _skip_ws(s, i + 1) == n else None
        return None
    return None


_JSON_ESCAPES = {'"': '"', '\\': '\\', '/': '/', 'b': '\b', 'f': '\f', 'n': '\n',
                 'r': '\r', 't': '\t'}


def _skip_ws(s: str, i: int) -> int:
    while i < len(s) and s[i] in ' \t\n\r':
        i += 1
    return i


def _json_string(s: str, i: int) -> tuple[str | None, int]:
    """A JSON string whose opening quote is before ``i``: (its value, the index after the
    closing quote), or (None, i) where it is not valid JSON."""
    out: list[str] = []
    n = len(s)
    while i < n:
        c = s[i]
        if c == '"':
            return ''.join(out), i + 1
        if c < ' ':
            return None, i  # a raw control character
        if c != '\\':
            out.append(c)
            i += 1
            continue
        if i + 1 >= n:
            return None, i
        e = s[i + 1]
        if e in _JSON_ESCAPES:
            out.append(_JSON_ESCAPES[e])
            i += 2
            continue
        if e != 'u' or i + 6 > n:
            return None, i
        digits = s[i + 2:i + 6]
        if not all(d in '0123456789abcdefABCDEF' for d in digits):
            return None, i
        code = int(digits, 16)
        i += 6
        if 0xD800 <= code < 0xDC00 and s[i:i + 2] == '\\u' and all(
                d in '0123456789abcdefABCDEF' for d in s[i + 2:i + 6]) and len(s[i + 2:i + 6]) == 4:
            low = int(s[i + 2:i + 6], 16)
            if 0xDC00 <= low < 0xE000:
                code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                i += 6
        out.append(chr(code))
    return None, i


def _make(keyword: str, value: str, line: int, col: int, end: int,
          heredocs: list[Heredoc], stage: int) -> Instruction:
    if keyword in ('RUN', 'COPY', 'ADD', 'FROM', 'HEALTHCHECK'):
        flags, args = _parse_flags(value)
    else:
        flags, args = {}, value.strip()
    js = _parse_json(args) if keyword in ('RUN', 'CMD', 'ENTRYPOINT', 'SHELL', 'COPY',
                                          'ADD', 'VOLUME') else None
    ins = Instruction(keyword, line, col, end, value, flags, args, js, heredocs, stage)
    if keyword == 'ONBUILD':
        m = _KEYWORD.match(value)
        if m:
            inner_kw = m.group(1).upper()
            inner_val = value[m.end():].strip()
            ins.trigger = _make(inner_kw, inner_val, line, col, end, heredocs, stage)
    return ins


def key_values(text: str, *, legacy: bool = True) -> list[tuple[str, str | None]]:
    """ARG/ENV/LABEL words as (name, raw value): `A=1 B="x y"`, `A` (no value), legacy
    `ENV A some words`. Values keep their quotes; use :func:`unquote`. ARG has no legacy
    form (``legacy=False``): `ARG A B` declares two names."""
    words = _split_words(text)
    if not words:
        return []
    if legacy and '=' not in words[0]:
        # legacy form `ENV NAME value with spaces` / `ARG NAME`
        name, _, rest = text.strip().partition(' ')
        rest = rest.strip()
        return [(unquote(name), rest if rest else None)]
    out: list[tuple[str, str | None]] = []
    for w in words:
        name, eq, val = w.partition('=')
        out.append((unquote(name), val if eq else None))
    return out


def unquote(word: str) -> str:
    """Remove shell quotes and backslash escapes as Docker does for ENV/ARG/LABEL words: the
    quote removal of dockerfile-parse's ``WordSplitter.dequote``, which it is tested against
    (a backslash escapes the next character outside single quotes; inside double quotes it
    is kept unless it escapes a double quote)."""
    if '"' not in word and "'" not in word and '\\' not in word:
        return word
    out: list[str] = []
    quotes = ''
    escaped = False
    for ch in word:
        was_escaped = escaped
        escaped = not escaped and ch == '\\' and quotes != "'"
        if escaped:
            continue
        if was_escaped:
            out.append('\\' + ch if quotes == '"' and ch != '"' else ch)
        elif not quotes and ch in '\'"':
            quotes = ch
        elif quotes and ch == quotes:
            quotes = ''
        else:
            out.append(ch)
    return ''.join(out)


def _expand_word(raw: str, scope: Mapping[str, str | None], escape: str) -> str | None:
    if raw.startswith("'") and raw.endswith("'") and len(raw) >= 2:
        return raw[1:-1]  # no expansion inside single quotes
    value = expand(raw, scope.get, escape=escape)
    return None if value is None else unquote(value)


def parse(path: str, text: str) -> Dockerfile:
    """Parse Dockerfile ``text`` (already decoded, LF line ends); raise InputError."""
    lines = text.split('\n')
    if lines and lines[-1] == '':
        lines.pop()
    directives, first = _directives(lines)
    escape = directives.get('escape', '\\')
    if escape not in ('\\', '`'):
        raise InputError(f'invalid escape directive {escape!r}: use \\ or `', 1)
    logical, comments = _scan(lines, escape, first)
    structure = split_instructions(_sanitise(lines, logical, escape, first))
    if len(structure) != len(logical):  # pragma: no cover (guarded by the oracle tests)
        raise InputError('could not be split into instructions consistently')

    instructions: list[Instruction] = []
    stages: list[Stage] = []
    aliases: dict[str, int] = {}
    inherited = 0
    global_args: dict[str, str | None] = {}
    vars_ = _Vars({})
    for lg, (keyword, value) in zip(logical, structure):
        keyword = keyword.lstrip('\ufeff')
        value = value.replace(_PRIVATE, escape)
        line = lg.start + 1
        col = len(lines[lg.start]) - len(lines[lg.start].lstrip()) + 1
        if keyword not in INSTRUCTIONS:
            raise InputError(
                f'line {line}: unknown instruction {keyword.lower()!r}'
                + (' (is a `\\` missing at the end of the previous line?)'
                   if instructions else ''),
                line, col,
            )
        ins = _make(keyword, value, line, col, lg.end + 1, lg.heredocs, len(stages) - 1)
        if keyword == 'FROM':
            stage = _new_stage(ins, stages, global_args, escape, aliases)
            stages.append(stage)
            if stage.alias is not None:
                aliases[stage.alias] = stage.index
            ins.stage = stage.index
            inherited += len(stage.env)
            if inherited > MAX_INHERITED:
                raise InputError(
                    f'line {line}: {len(stages)} build stages inherit {inherited} ENV values in '
                    f'all, more than the {MAX_INHERITED} dockhooks models', line, col)
            # the parent's env is final: its stage is over
            vars_ = _Vars(stages[stage.parent].env if stage.parent is not None else {})
        elif keyword == 'ARG':
            for name, raw in key_values(ins.args, legacy=False):
                if raw is None:
                    if stages:
                        value_ = global_args.get(name) if name in global_args else None
                    else:
                        value_ = None
                else:
                    value_ = _expand_word(raw, vars_.view(), escape)
                if stages:
                    if name not in stages[-1].env:  # ENV wins over ARG
                        vars_.set(name, value_)
                else:
                    global_args[name] = value_
                    vars_.set(name, value_)
        elif keyword == 'ENV' and stages:
            before = vars_.view()
            for name, raw in key_values(ins.args):
                # `ENV a=bye b=$a`: b sees the value from before this ENV (Docker's docs)
                val = _expand_word(raw, before, escape) if raw is not None else None
                vars_.set(name, val)
                stages[-1].env[name] = val
        ins.scope = vars_.view()
        instructions.append(ins)
        if stages and keyword != 'FROM':
            stages[-1].instructions.append(ins)
    return Dockerfile(path, lines, instructions, stages, comments, directives, escape,
                      global_args)


def _new_stage(ins: Instruction, stages: list[Stage], global_args: dict[str, str | None],
               escape: str, aliases: dict[str, int]) -> Stage:
    """The stage a FROM starts; ``aliases`` maps each alias to its latest earlier stage."""
    words = ins.args.split()
    raw = words[0] if words else ''
    alias = words[2].lower() if len(words) >= 3 and words[1].lower() == 'as' else None
    image = expand(raw, global_args.get, escape=escape) if raw else None
    parent = None
    env: dict[str, str | None] = {}
    if image is not None and image.lower() in aliases:
        parent = aliases[image.lower()]
        env = dict(stages[parent].env)
    stage = Stage(len(stages), ins, image, raw, alias, parent, env=env)
    stage.instructions.append(ins)
    return stage


def load(path: str) -> Dockerfile:
    from dockhooks._text import read_text

    return parse(path, read_text(path))
