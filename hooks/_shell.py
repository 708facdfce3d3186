"""Split the shell text of a Dockerfile RUN instruction into simple commands.

``split_commands`` takes the text Docker hands to ``/bin/sh -c`` (continuation lines already
joined by the caller; heredoc bodies may follow on later lines) and returns the simple commands
in it, in order: lists (``&&``, ``||``, ``;``, ``&``, newlines), pipelines, subshells, groups and
``if``/``for``/``while``/``until``/``case`` bodies are all flattened (the loop headers and case
patterns are not commands). Wrappers are removed: ``sudo``, ``env``, ``nice``, ``time``,
``nohup``, ``command``, ``exec``, ``xargs``, ``eatmydata``, ``timeout``, ``gosu``, ``su-exec``,
``runuser -u``. The scripts of ``sh -c '...'`` (bash, dash, ash...), ``su -c '...'``, ``eval``,
``sh <<EOF`` and Docker's own ``RUN <<EOF`` are split in turn. Heredoc bodies given to any other
command (``cat <<EOF > file``) are data and are skipped. Commands inside ``$(...)`` and
backquotes are not split out: the substitution stays one word, as written.

``package_ops`` recognises package-manager calls among those commands.

This is a reader for linting, not a shell: it never raises, never expands anything (``$VAR``,
``$(cmd)`` and globs stay as written) and reads broken input (an unclosed quote, a stray ``fi``)
as best it can.
"""
from __future__ import annotations

import os.path
import re
from collections.abc import Iterable
from collections.abc import Mapping
from collections.abc import Sequence

from dockhooks._records import NamedTuple


class Command(NamedTuple):
    """One simple command.

    ``argv`` holds the words with quotes removed, leading ``VAR=value`` assignments dropped and
    wrappers (``sudo``, ``env``, ``xargs``...) removed. ``text`` is every word of the command as
    written after quote removal, assignments and wrappers included, redirections left out: it is
    meant for messages.
    """

    argv: tuple[str, ...]
    text: str
    writes: tuple[str, ...] = ()  # the files its output redirections write (> f, >> f)


class PackageOp(NamedTuple):
    """A package-manager call: see ``package_ops``."""

    manager: str
    tool: str
    action: str
    packages: tuple[str, ...]
    options: tuple[str, ...]
    command: Command


# --------------------------------------------------------------------------- tokenizer

_BLANK = frozenset(' \t\r\f\v')
_WORD_END = frozenset(' \t\r\f\v\n;&|()<>')
_OPERATORS = (
    ';;&', '&>>', '<<<', '<<-',
    ';;', ';&', '&&', '||', '|&', '&>', '<<', '>>', '<>', '>&', '<&', '>|',
    ';', '&', '|', '(', ')', '<', '>',
)
_REDIRECTS = frozenset({'<', '>', '>>', '<<', '<<-', '<<<', '<>', '>&', '<&', '>|', '&>', '&>>'})
_WRITING = frozenset({'>', '>>', '>|', '&>', '&>>'})  # (>&N duplicates a descriptor)
_ANSI_C = {
    'n': '\n', 't': '\t', 'r': '\r', '\\': '\\', "'": "'", '"': '"', '?': '?',
    'a': '\a', 'b': '\b', 'e': '\x1b', 'E': '\x1b', 'f': '\f', 'v': '\v',
}
_ARRAY_START = re.compile(r'[A-Za-z_][A-Za-z0-9_]*\+?=$')


class _Tok:
    """A token: kind 'word' (value without quotes, raw as written), 'op', or 'redir'.

    For a redirection, ``value`` is the operator, ``raw`` its target word and ``body`` the
    heredoc body of ``<<``/``<<-``.
    """

    __slots__ = ('body', 'kind', 'raw', 'value')

    def __init__(self, kind: str, value: str, raw: str = '') -> None:
        self.kind = kind
        self.value = value
        self.raw = raw
        self.body = ''

    def is_op(self, *ops: str) -> bool:
        return self.kind == 'op' and self.value in ops

    def is_word(self, word: str) -> bool:
        return self.kind == 'word' and self.raw == word


def _backtick_end(s: str, i: int) -> int:
    """Index just past the backquote closing the one at ``s[i]`` (len(s) if unclosed)."""
    n = len(s)
    i += 1
    while i < n:
        c = s[i]
        if c == '\\':
            i += 2
            continue
        if c == '`':
            return i + 1
        i += 1
    return n


def _match_end(s: str, i: int) -> int:
    """Index just past the bracket closing the ``(`` or ``{`` at ``s[i]`` (len(s) if unclosed).

    Quotes inside are skipped flatly (no recursion), which is right for the usual
    ``"$(cmd "$x")"`` shapes and cannot overflow the stack on hostile input.
    """
    opening = s[i]
    closing = ')' if opening == '(' else '}'
    depth = 0
    n = len(s)
    while i < n:
        c = s[i]
        if c == '\\':
            i += 2
            continue
        if c == "'":
            j = s.find("'", i + 1)
            if j < 0:
                return n
            i = j + 1
            continue
        if c == '"':
            i += 1
            while i < n and s[i] != '"':
                i += 2 if s[i] == '\\' else 1
            i += 1
            continue
        if c == '`':
            i = _backtick_end(s, i)
            continue
        if c == opening:
            depth += 1
        elif c == closing:
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return n


def _double_quoted(s: str, i: int, out: list[str]) -> int:
    """Read a double-quoted string starting after its opening quote; return the end index."""
    n = len(s)
    while i < n:
        c = s[i]
        if c == '"':
            return i + 1
        if c == '\\' and i + 1 < n:
            nxt = s[i + 1]
            if nxt in '$`"\\':
                out.append(nxt)
            elif nxt != '\n':
                out.append(c + nxt)
            i += 2
            continue
        if c == '$' and i + 1 < n and s[i + 1] in '({':
            j = _match_end(s, i + 1)
            out.append(s[i:j])
            i = j
            continue
        if c == '`':
            j = _backtick_end(s, i)
            out.append(s[i:j])
            i = j
            continue
        out.append(c)
        i += 1
    return n


def _ansi_c_quoted(s: str, i: int, out: list[str]) -> int:
    """Read a ``$'...'`` string starting after its opening quote; return the end index."""
    n = len(s)
    while i < n:
        c = s[i]
        if c == "'":
            return i + 1
        if c == '\\' and i + 1 < n:
            out.append(_ANSI_C.get(s[i + 1], s[i:i + 2]))
            i += 2
            continue
        out.append(c)
        i += 1
    return n


def _read_word(s: str, i: int) -> tuple[str, str, int]:
    """Read the word starting at ``s[i]``: (value with quotes removed, raw text, end index)."""
    n = len(s)
    start = i
    out: list[str] = []
    while i < n:
        c = s[i]
        if c in _WORD_END:
            if c == '(' and _ARRAY_START.match(s, start, i):
                # array assignment: a=(x y z)
                j = _match_end(s, i)
                out.append(s[i:j])
                i = j
                continue
            break
        if c == '\\':
            if i + 1 < n:
                if s[i + 1] != '\n':
                    out.append(s[i + 1])
                i += 2
            else:
                out.append(c)
                i += 1
        elif c == "'":
            j = s.find("'", i + 1)
            if j < 0:
                out.append(s[i + 1:])
                i = n
            else:
                out.append(s[i + 1:j])
                i = j + 1
        elif c == '"':
            i = _double_quoted(s, i + 1, out)
        elif c == '$' and i + 1 < n and s[i + 1] in '({':
            j = _match_end(s, i + 1)
            out.append(s[i:j])
            i = j
        elif c == '$' and i + 1 < n and s[i + 1] == "'":
            i = _ansi_c_quoted(s, i + 2, out)
        elif c == '$' and i + 1 < n and s[i + 1] == '"':
            i += 1  # $"..." (locale translation) reads like "..."
        elif c == '`':
            j = _backtick_end(s, i)
            out.append(s[i:j])
            i = j
        else:
            out.append(c)
            i += 1
    return ''.join(out), s[start:i], i


def _read_heredocs(s: str, i: int, pending: list[tuple[_Tok, str, bool]]) -> int:
    """Fill the bodies of the heredocs opened on the line that just ended; return the index
    of the first line after them."""
    n = len(s)
    for tok, delimiter, strip_tabs in pending:
        lines: list[str] = []
        while i < n:
            j = s.find('\n', i)
            end = n if j < 0 else j
            line = s[i:end]
            i = n if j < 0 else j + 1
            if strip_tabs:
                line = line.lstrip('\t')
            if line.rstrip() == delimiter:
                break
            lines.append(line)
        tok.body = '\n'.join(lines)
    return i


def _tokenize(s: str) -> list[_Tok]:
    toks: list[_Tok] = []
    pending: list[tuple[_Tok, str, bool]] = []
    n = len(s)
    i = 0
    while i < n:
        c = s[i]
        if c == '\n':
            toks.append(_Tok('op', '\n'))
            i += 1
            if pending:
                i = _read_heredocs(s, i, pending)
                pending = []
            continue
        if c in _BLANK:
            i += 1
            continue
        if c == '\\' and s.startswith('\n', i + 1):
            i += 2
            continue
        if c == '#':
            j = s.find('\n', i)
            i = n if j < 0 else j
            continue
        if (c in '<>' or c == '(') and s.startswith('(', i + 1):
            # process substitution <(cmd) / >(cmd), or an arithmetic command ((...)):
            # one opaque word
            j = _match_end(s, i + 1 if c != '(' else i)
            toks.append(_Tok('word', s[i:j], s[i:j]))
            i = j
            continue
        if c in ';&|()<>':
            op = next(o for o in _OPERATORS if s.startswith(o, i))
            i += len(op)
            if op not in _REDIRECTS:
                toks.append(_Tok('op', op))
                continue
            while i < n and s[i] in _BLANK:
                i += 1
            target = ''
            if i < n and s[i] not in _WORD_END:
                target, _, i = _read_word(s, i)
            tok = _Tok('redir', op, target)
            if op in ('<<', '<<-'):
                pending.append((tok, target, op == '<<-'))
            toks.append(tok)
            continue
        value, raw, j = _read_word(s, i)
        if j <= i:  # cannot happen, but never loop forever
            j = i + 1
        i = j
        if raw.isdigit() and i < n and s[i] in '<>':
            continue  # file descriptor of a redirection: 2>&1
        toks.append(_Tok('word', value, raw))
    return toks


# --------------------------------------------------------------------------- parser

# reserved words dropped at the start of a command, so that what they wrap still shows
_DROPPED = frozenset({'if', 'then', 'else', 'elif', 'fi', 'do', 'done', 'while', 'until',
                      '{', '}', '!'})
_SEPARATORS = frozenset({'&&', '||', ';', '|', '&', '|&', '\n', '(', ')'})
_CASE_ITEM_END = frozenset({';;', ';&', ';;&'})


class _Simple:
    """A simple command as parsed: its words (value, raw) and the bodies of its heredocs."""

    __slots__ = ('bodies', 'words', 'writes')

    def __init__(self, words: list[tuple[str, str]], bodies: list[str],
                 writes: list[str] | None = None) -> None:
        self.words = words
        self.bodies = bodies
        self.writes = writes or []


def _parse(toks: list[_Tok]) -> list[_Simple]:
    out: list[_Simple] = []
    words: list[tuple[str, str]] = []
    bodies: list[str] = []
    writes: list[str] = []
    case_depth = 0
    want_pattern = False
    n = len(toks)
    i = 0
    while i < n:
        t = toks[i]
        if want_pattern:
            # after 'case x in' or ';;': a pattern list up to ')', or 'esac'
            if t.is_op('\n', ';', *_CASE_ITEM_END):
                i += 1
                continue
            if t.is_word('esac'):
                case_depth -= 1
                want_pattern = False
                i += 1
                continue
            while i < n and not toks[i].is_op(')'):
                i += 1
            i += 1
            want_pattern = False
            continue
        if t.kind == 'word':
            if not words and t.value == t.raw:
                word = t.value
                if word in _DROPPED:
                    i += 1
                    continue
                if word in ('for', 'select'):
                    # the loop header is not a command: skip to ';', newline or 'do'
                    i += 1
                    while i < n and not toks[i].is_op(';', '\n') and not toks[i].is_word('do'):
                        i += 1
                    if i < n and toks[i].kind == 'op':
                        i += 1
                    continue
                if word == 'case':
                    i += 1
                    while i < n and not toks[i].is_word('in') and (
                            toks[i].kind != 'op' or toks[i].value == '\n'):
                        i += 1
                    if i < n and toks[i].is_word('in'):
                        i += 1
                        case_depth += 1
                        want_pattern = True
                    continue
                if word == 'esac' and case_depth:
                    case_depth -= 1
                    i += 1
                    continue
                if word == 'function':
                    i += 2
                    if i + 1 < n and toks[i].is_op('(') and toks[i + 1].is_op(')'):
                        i += 2
                    continue
                if word == '[[':
                    # [[ ... ]] may hold && || < > that are not shell operators
                    while i < n and not toks[i].is_op('\n', ';'):
                        tk = toks[i]
                        i += 1
                        words.append((tk.value, tk.raw or tk.value))
                        if tk.kind == 'redir' and tk.raw:
                            words.append((tk.raw, tk.raw))
                        if tk.is_word(']]'):
                            break
                    continue
            words.append((t.value, t.raw))
            i += 1
            continue
        if t.kind == 'redir':
            if t.value in ('<<', '<<-'):
                bodies.append(t.body)
            elif t.value in _WRITING and t.raw and not t.raw.startswith('&'):
                writes.append(t.raw.strip('\'"'))
            i += 1
            continue
        if t.value == '(' and len(words) == 1 and i + 1 < n and toks[i + 1].is_op(')'):
            words = []  # function definition: name() { ...; }
            i += 2
            continue
        if words or bodies:
            out.append(_Simple(words, bodies, writes))
        words = []
        bodies = []
        writes = []
        if t.value in _CASE_ITEM_END and case_depth:
            want_pattern = True
        i += 1
    if words or bodies:
        out.append(_Simple(words, bodies, writes))
    return out


# --------------------------------------------------------------------------- wrappers

_ASSIGNMENT = re.compile(r'[A-Za-z_][A-Za-z0-9_]*(\[[^\]]*\])?\+?=')
_SHELLS = frozenset({'sh', 'bash', 'dash', 'ash', 'zsh', 'ksh', 'mksh'})
_MAX_DEPTH = 8


class _Wrapper(NamedTuple):
    short_values: str           # short options that take a value
    long_values: frozenset[str]  # long options that take a value (unless written --opt=value)
    not_wrapping: frozenset[str]  # options that mean "no command is run": command -v, sudo -l
    positionals: int = 0        # operands before the command: gosu USER, timeout DURATION
    assignments: bool = False   # VAR=value words allowed before the command (env, sudo)
    dash: bool = False          # a lone '-' is an option (env -), not the command


_WRAPPERS: Mapping[str, _Wrapper] = {
    'sudo': _Wrapper(
        'ugCpDrtTU',
        frozenset({'--user', '--group', '--close-from', '--prompt', '--chdir', '--role', '--type',
                   '--command-timeout', '--other-user', '--host'}),
        frozenset({'-e', '-l', '-v', '-V', '-K', '-h', '--edit', '--list', '--validate',
                   '--version', '--help', '--remove-timestamp'}),
        assignments=True,
    ),
    'env': _Wrapper(
        'uCS', frozenset({'--unset', '--chdir', '--split-string'}),
        frozenset({'--help', '--version'}), assignments=True, dash=True,
    ),
    'nice': _Wrapper('n', frozenset({'--adjustment'}), frozenset({'--help', '--version'})),
    'time': _Wrapper('fo', frozenset({'--format', '--output'}), frozenset({'--help', '-V',
                                                                           '--version'})),
    'nohup': _Wrapper('', frozenset(), frozenset({'--help', '--version'})),
    'command': _Wrapper('', frozenset(), frozenset({'-v', '-V'})),
    'exec': _Wrapper('a', frozenset(), frozenset()),
    'xargs': _Wrapper(
        'adEILnPs',
        frozenset({'--arg-file', '--delimiter', '--max-args', '--max-procs', '--max-chars',
                   '--process-slot-var'}),
        frozenset({'--help', '--version', '--show-limits'}),
    ),
    'eatmydata': _Wrapper('', frozenset(), frozenset({'--help', '--version'})),
    'gosu': _Wrapper('', frozenset(), frozenset({'--help', '--version', '-h', '-v'}), 1),
    'su-exec': _Wrapper('', frozenset(), frozenset({'-h'}), 1),
    'timeout': _Wrapper('sk', frozenset({'--signal', '--kill-after'}),
                        frozenset({'--help', '--version'}), 1),
    # init processes in front of an image's command
    'tini': _Wrapper('pel', frozenset(), frozenset({'-h', '--version'})),
    'tini-static': _Wrapper('pel', frozenset(), frozenset({'-h', '--version'})),
    'dumb-init': _Wrapper('r', frozenset({'--rewrite'}), frozenset({'--help', '--version'})),
    # retries and apt wrappers seen in front of package managers
    'retry': _Wrapper('tdmxsc', frozenset({'--tries', '--times', '--delay', '--sleep',
                                            '--max-time', '--attempts', '--count'}),
                      frozenset({'--help', '--version'})),
    'travis_retry': _Wrapper('', frozenset(), frozenset()),
    'with-retry': _Wrapper('', frozenset(), frozenset()),
    'apt-dpkg-wrap': _Wrapper('', frozenset(), frozenset()),
    'unbuffer': _Wrapper('', frozenset(), frozenset()),
    'chronic': _Wrapper('', frozenset(), frozenset()),
    'ionice': _Wrapper('cnp', frozenset({'--class', '--classdata', '--pid'}),
                       frozenset({'--help', '--version'})),
    'stdbuf': _Wrapper('ioe', frozenset({'--input', '--output', '--error'}),
                       frozenset({'--help', '--version'})),
}


def _unwrap(argv: list[str], w: _Wrapper) -> list[str] | None:
    """The wrapped command's argv, or None when ``argv`` runs no command."""
    j = 1
    n = len(argv)
    while j < n:
        a = argv[j]
        if a in w.not_wrapping:
            return None
        if a == '--':
            j += 1
            break
        if a == '-' and w.dash:
            j += 1
            continue
        if len(a) < 2 or a[0] != '-':
            break
        j += 1
        if a.startswith('--'):
            if '=' not in a and a in w.long_values:
                j += 1
            continue
        for k, ch in enumerate(a[1:]):
            if ch in w.short_values:
                if k == len(a) - 2:
                    j += 1
                break
            if '-' + ch in w.not_wrapping:
                return None
    j += w.positionals
    while j < n and argv[j].isdigit() and os.path.basename(argv[0]) == 'retry':
        j += 1  # `retry 3 apt-get ...`: a count before the command
    if w.assignments:
        while j < n and _ASSIGNMENT.match(argv[j]):
            j += 1
    return argv[j:] if j < n else None


def _shell_operand(argv: list[str]) -> tuple[bool, str | None]:
    """For ``sh [options] [operand]``: whether -c was given, and the first operand."""
    has_c = False
    j = 1
    n = len(argv)
    while j < n:
        a = argv[j]
        if a in ('--', '-'):
            j += 1
            break
        if len(a) < 2 or a[0] not in '-+':
            break
        j += 1
        if a.startswith('--'):
            if a in ('--rcfile', '--init-file'):
                j += 1
            continue
        body = a[1:]
        if a[0] == '-' and 'c' in body:
            has_c = True
        j += body.count('o') + body.count('O')  # -o pipefail, -O extglob
    return has_c, (argv[j] if j < n else None)


def _su_command(argv: list[str]) -> tuple[str | None, list[str] | None]:
    """``su``/``runuser``: the -c command string, or the argv after ``runuser -u USER``."""
    user_form = False
    j = 1
    n = len(argv)
    while j < n:
        a = argv[j]
        j += 1
        if a == '--':
            break
        if a in ('-c', '--command') or (len(a) > 2 and a[0] == '-' and a[1] != '-'
                                          and a.endswith('c')):
            return (argv[j] if j < n else None), None
        if a.startswith('--command='):
            return a[len('--command='):], None
        if a in ('-u', '--user'):
            user_form = True
            j += 1
        elif a in ('-s', '--shell', '-g', '--group', '-G', '--supp-group', '-w',
                   '--whitelist-environment'):
            j += 1
    if user_form and j < n:
        return None, argv[j:]
    return None, None


def _resolve(argv: list[str], text: str, bodies: list[str], depth: int,
             writes: tuple[str, ...] = ()) -> list[Command]:
    for _ in range(20):
        if not argv:
            break
        name = os.path.basename(argv[0])
        if name in _SHELLS:
            has_c, operand = _shell_operand(argv)
            if depth < _MAX_DEPTH:
                if has_c and operand is not None:
                    return _split(operand, depth + 1)
                if not has_c and operand is None and bodies:
                    return [c for body in bodies for c in _split(body, depth + 1)]
            break
        if name == 'eval' and len(argv) > 1 and depth < _MAX_DEPTH:
            return _split(' '.join(argv[1:]), depth + 1)
        if name in ('su', 'runuser'):
            script, inner = _su_command(argv)
            if script is not None and depth < _MAX_DEPTH:
                return _split(script, depth + 1)
            if not inner:
                break
            argv = inner
            continue
        wrapper = _WRAPPERS.get(name)
        if wrapper is None:
            break
        inner = _unwrap(argv, wrapper)
        if not inner:
            break
        argv = inner
    if not argv:
        # Docker's own heredoc form, RUN <<EOF: the body is the script
        if depth < _MAX_DEPTH:
            return [c for body in bodies for c in _split(body, depth + 1)]
        return []
    return [Command(tuple(argv), text, writes)]


def _split(script: str, depth: int) -> list[Command]:
    out: list[Command] = []
    for simple in _parse(_tokenize(script)):
        words = simple.words
        k = 0
        while k < len(words) and _ASSIGNMENT.match(words[k][1]):
            k += 1
        argv = [value for value, _ in words[k:]]
        text = ' '.join(value for value, _ in words)
        out.extend(_resolve(argv, text, simple.bodies, depth, tuple(simple.writes)))
    return out


def split_commands(script: str) -> list[Command]:
    """The simple commands of a RUN instruction's shell text, in order; never raises."""
    return _split(script, 0)


# --------------------------------------------------------------------------- package managers

class _Manager(NamedTuple):
    name: str
    short_values: str                # short options that take a value
    long_values: frozenset[str]      # long options that take a value unless written --opt=value
    verbs: Mapping[str, str]         # sub-command as written -> normalised action
    pairs: Mapping[tuple[str, str], str] = {}  # two-word sub-commands: ('cache', 'clean')
    bare: str = ''                   # action when no sub-command is given (yarn, bundle)
    prefixes: frozenset[str] = frozenset()  # words skipped before the sub-command ('global')
    passthrough: bool = False        # words after '--' are arguments for something else
    go_flags: bool = False           # single-dash long flags: -ldflags '...'


def _f(*words: str) -> frozenset[str]:
    return frozenset(words)


_INSTALL = 'install'
_REMOVE = 'remove'
_UPDATE = 'update'
_UPGRADE = 'upgrade'
_CLEAN = 'clean'

_APT_VERBS = {
    'install': _INSTALL, 'update': _UPDATE, 'remove': _REMOVE, 'purge': _REMOVE,
    'autoremove': _REMOVE, 'autopurge': _REMOVE, 'clean': _CLEAN, 'dist-clean': _CLEAN,
    'distclean': _CLEAN, 'upgrade': _UPGRADE, 'dist-upgrade': _UPGRADE,
    'full-upgrade': _UPGRADE, 'safe-upgrade': _UPGRADE,
}
_YUM_VERBS = {
    'install': _INSTALL, 'localinstall': _INSTALL, 'groupinstall': _INSTALL,
    'remove': _REMOVE, 'erase': _REMOVE, 'autoremove': _REMOVE, 'groupremove': _REMOVE,
    'makecache': _UPDATE, 'clean': _CLEAN, 'update': _UPGRADE, 'upgrade': _UPGRADE,
    'distro-sync': _UPGRADE, 'update-minimal': _UPGRADE, 'upgrade-minimal': _UPGRADE,
}
_PIP_LONG = _f(
    '--requirement', '--constraint', '--editable', '--index-url', '--extra-index-url',
    '--find-links', '--target', '--prefix', '--root', '--src', '--upgrade-strategy',
    '--platform', '--python-version', '--implementation', '--abi', '--only-binary',
    '--no-binary', '--trusted-host', '--cache-dir', '--log', '--proxy', '--retries', '--timeout',
    '--exists-action', '--cert', '--client-cert', '--progress-bar', '--config-settings',
    '--global-option', '--install-option', '--build-option', '--report', '--root-user-action',
    '--python', '--use-feature', '--use-deprecated', '--keyring-provider', '--dest',
    '--wheel-dir', '--format', '--path', '--excludes',
)
_PIP = _Manager(
    'pip', 'rceiftdwC', _PIP_LONG,
    {'install': _INSTALL, 'uninstall': _REMOVE},
    {('cache', 'purge'): _CLEAN},
)
_UV_PIP = _Manager(
    'pip', 'rceiftdwCp',
    _PIP_LONG | _f('--index', '--default-index', '--override', '--group', '--extra',
                   '--index-strategy', '--resolution', '--prerelease', '--python-platform',
                   '--reinstall-package', '--upgrade-package', '--no-binary-package',
                   '--directory', '--project', '--config-file', '--color', '--exclude-newer',
                   '--output-file', '--link-mode', '--refresh-package', '--torch-backend'),
    {'install': _INSTALL, 'uninstall': _REMOVE},
)
_MANAGERS: Mapping[str, _Manager] = {
    'apt-get': _Manager(
        'apt-get', 'octa',
        _f('--option', '--config-file', '--target-release', '--default-release',
           '--host-architecture', '--arch-only-architecture'),
        _APT_VERBS,
    ),
    'apk': _Manager(
        'apk', 'tXpo',
        _f('--virtual', '--repository', '--root', '--output', '--keys-dir', '--repositories-file',
           '--arch', '--cache-dir', '--cache-max-age', '--timeout', '--wait', '--progress-fd',
           '--repository-config'),
        {'add': _INSTALL, 'del': _REMOVE, 'update': _UPDATE, 'upgrade': _UPGRADE},
        {('cache', 'clean'): _CLEAN, ('cache', 'purge'): _CLEAN},
    ),
    'yum': _Manager(
        'yum', 'cdexR',
        _f('--config', '--setopt', '--enablerepo', '--disablerepo', '--releasever',
           '--installroot', '--debuglevel', '--errorlevel', '--repo', '--repoid', '--exclude',
           '--excludepkgs', '--forcearch', '--downloaddir', '--destdir', '--color',
           '--rpmverbosity', '--disableplugin', '--enableplugin', '--comment', '--advisory',
           '--setup'),
        _YUM_VERBS,
        {('group', 'install'): _INSTALL, ('groups', 'install'): _INSTALL,
         ('group', 'remove'): _REMOVE, ('groups', 'remove'): _REMOVE},
    ),
    'zypper': _Manager(
        'zypper', 'RcDCrtx',
        _f('--root', '--config', '--reposd-dir', '--cache-dir', '--repo', '--type', '--from',
           '--download', '--raw-cache-dir', '--solv-cache-dir', '--pkg-cache-dir'),
        {'install': _INSTALL, 'in': _INSTALL, 'remove': _REMOVE, 'rm': _REMOVE,
         'refresh': _UPDATE, 'ref': _UPDATE, 'clean': _CLEAN, 'cc': _CLEAN,
         'update': _UPGRADE, 'up': _UPGRADE, 'dist-upgrade': _UPGRADE, 'dup': _UPGRADE},
    ),
    'pip': _PIP,
    'npm': _Manager(
        'npm', 'wC',
        _f('--prefix', '--registry', '--cache', '--userconfig', '--globalconfig', '--workspace',
           '--omit', '--include', '--loglevel', '--tag', '--only', '--install-strategy',
           '--fetch-timeout', '--fetch-retries', '--location', '--script-shell'),
        {'install': _INSTALL, 'i': _INSTALL, 'add': _INSTALL, 'in': _INSTALL,
         'ci': 'ci', 'clean-install': 'ci', 'ic': 'ci', 'install-clean': 'ci',
         'uninstall': _REMOVE, 'un': _REMOVE, 'remove': _REMOVE, 'rm': _REMOVE, 'r': _REMOVE,
         'update': _UPGRADE, 'up': _UPGRADE, 'upgrade': _UPGRADE},
        {('cache', 'clean'): _CLEAN, ('cache', 'clear'): _CLEAN, ('cache', 'rm'): _CLEAN},
        passthrough=True,
    ),
    'yarn': _Manager(
        'yarn', '',
        _f('--cwd', '--modules-folder', '--cache-folder', '--network-timeout', '--registry',
           '--mutex', '--global-folder', '--link-folder', '--use-yarnrc', '--network-concurrency'),
        {'install': _INSTALL, 'add': _INSTALL, 'remove': _REMOVE, 'upgrade': _UPGRADE,
         'up': _UPGRADE},
        {('cache', 'clean'): _CLEAN},
        bare=_INSTALL, prefixes=_f('global'), passthrough=True,
    ),
    'pnpm': _Manager(
        'pnpm', 'FC',
        _f('--filter', '--dir', '--store-dir', '--registry', '--reporter', '--loglevel',
           '--virtual-store-dir', '--modules-dir', '--network-concurrency', '--child-concurrency'),
        {'install': _INSTALL, 'i': _INSTALL, 'add': _INSTALL, 'remove': _REMOVE,
         'rm': _REMOVE, 'uninstall': _REMOVE, 'un': _REMOVE, 'update': _UPGRADE,
         'up': _UPGRADE, 'upgrade': _UPGRADE},
        passthrough=True,
    ),
    'gem': _Manager(
        'gem', 'vinsPg',
        _f('--version', '--install-dir', '--bindir', '--source', '--trust-policy', '--platform',
           '--file', '--build-root', '--config-file', '--target-rbconfig'),
        {'install': _INSTALL, 'i': _INSTALL, 'uninstall': _REMOVE, 'update': _UPGRADE},
        passthrough=True,
    ),
    'bundle': _Manager(
        'bundle', 'j',
        _f('--jobs', '--retry', '--path', '--without', '--with', '--gemfile', '--binstubs',
           '--shebang', '--trust-policy', '--target-rbconfig'),
        {'install': _INSTALL, 'add': _INSTALL, 'remove': _REMOVE, 'update': _UPGRADE},
        bare=_INSTALL,
    ),
    'composer': _Manager(
        'composer', 'd',
        _f('--working-dir', '--prefer-install', '--ignore-platform-req', '--format',
           '--apcu-autoloader-prefix', '--audit-format'),
        {'install': _INSTALL, 'i': _INSTALL, 'require': _INSTALL, 'r': _INSTALL,
         'remove': _REMOVE, 'rm': _REMOVE, 'update': _UPGRADE, 'u': _UPGRADE,
         'upgrade': _UPGRADE, 'clear-cache': _CLEAN, 'clearcache': _CLEAN, 'cc': _CLEAN},
        prefixes=_f('global'),
    ),
    'go': _Manager(
        'go', '',
        _f('o', 'ldflags', 'gcflags', 'tags', 'mod', 'modfile', 'p', 'asmflags', 'buildmode',
           'compiler', 'gccgoflags', 'installsuffix', 'overlay', 'pgo', 'pkgdir', 'toolexec',
           'C', 'exec', 'run', 'count', 'timeout', 'bench', 'benchtime', 'coverprofile',
           'covermode', 'coverpkg', 'cpu', 'cpuprofile', 'memprofile', 'outputdir', 'parallel',
           'shuffle', 'skip', 'vet', 'fuzz', 'fuzztime', 'replace', 'dropreplace', 'require',
           'droprequire', 'exclude', 'dropexclude', 'retract', 'dropretract', 'go',
           'toolchain', 'module', 'reuse', 'covermode'),
        {'install': _INSTALL},
        go_flags=True,
    ),
    'cargo': _Manager(
        'cargo', 'pFjZ',
        _f('--target', '--target-dir', '--package', '--bin', '--example', '--test', '--bench',
           '--features', '--jobs', '--manifest-path', '--profile', '--root', '--version',
           '--vers', '--git', '--branch', '--tag', '--rev', '--path', '--registry', '--index',
           '--config', '--color', '--message-format', '--exclude', '--lockfile-path'),
        {'install': _INSTALL, 'uninstall': _REMOVE, 'update': _UPGRADE},
        passthrough=True,
    ),
    'poetry': _Manager(
        'poetry', 'ECPofG',
        _f('--only', '--with', '--without', '--extras', '--directory', '--project', '--output',
           '--format', '--group', '--source', '--python', '--platform'),
        {'install': _INSTALL, 'add': _INSTALL, 'remove': _REMOVE, 'update': _UPGRADE},
        {('cache', 'clear'): _CLEAN},
    ),
    'pipenv': _Manager(
        'pipenv', 'ri',
        _f('--python', '--requirements', '--index', '--extra-index-url', '--categories',
           '--pypi-mirror'),
        {'install': _INSTALL, 'uninstall': _REMOVE, 'update': _UPGRADE, 'upgrade': _UPGRADE},
    ),
    'uv': _Manager(
        'uv', 'pCw',
        _f('--python', '--directory', '--project', '--cache-dir', '--config-file', '--color',
           '--extra', '--group', '--only-group', '--no-group', '--package', '--index',
           '--default-index', '--index-url', '--extra-index-url', '--find-links',
           '--python-preference', '--index-strategy', '--resolution', '--prerelease',
           '--link-mode', '--exclude-newer', '--with', '--from', '--optional', '--dev-group',
           '--refresh-package', '--reinstall-package', '--upgrade-package', '--no-binary-package',
           '--no-install-package', '--config-setting', '--output-file'),
        {'add': _INSTALL, 'remove': _REMOVE},
        {('cache', 'clean'): _CLEAN},
    ),
    'conda': _Manager(
        'conda', 'cnpfr',
        _f('--channel', '--name', '--prefix', '--file', '--repodata-fn', '--solver',
           '--root-prefix', '--rc-file', '--platform', '--subdir'),
        {'install': _INSTALL, 'remove': _REMOVE, 'uninstall': _REMOVE, 'update': _UPGRADE,
         'upgrade': _UPGRADE, 'clean': _CLEAN},
    ),
}
_TOOLS: Mapping[str, str] = {
    'apt-get': 'apt-get', 'apt': 'apt-get', 'aptitude': 'apt-get', 'apk': 'apk',
    'yum': 'yum', 'dnf': 'yum', 'dnf5': 'yum', 'microdnf': 'yum', 'tdnf': 'yum',
    'zypper': 'zypper', 'npm': 'npm', 'yarn': 'yarn', 'yarnpkg': 'yarn', 'pnpm': 'pnpm',
    'gem': 'gem', 'bundle': 'bundle', 'bundler': 'bundle', 'composer': 'composer',
    'composer.phar': 'composer', 'go': 'go', 'cargo': 'cargo', 'poetry': 'poetry',
    'pipenv': 'pipenv', 'uv': 'uv', 'conda': 'conda', 'mamba': 'conda', 'micromamba': 'conda',
}
_PIP_NAME = re.compile(r'pip[0-9.]*$')
_PYTHON_NAME = re.compile(r'python[0-9.]*$')
_PYTHON_MODULES: Mapping[str, str] = {'pip': 'pip', 'uv': 'uv', 'pipenv': 'pipenv',
                                      'poetry': 'poetry'}


def _python_module(argv: tuple[str, ...]) -> tuple[str, int] | None:
    """For ``python [options] -m MODULE ...``: (module, index of its first argument)."""
    j = 1
    while j < len(argv):
        a = argv[j]
        if a == '-m':
            return (argv[j + 1], j + 2) if j + 1 < len(argv) else None
        if a.startswith('-m'):
            return a[2:], j + 1
        if not a.startswith('-') or a.startswith('-c'):
            return None
        j += 2 if a in ('-W', '-X') else 1
    return None


def _identify(argv: tuple[str, ...]) -> tuple[_Manager, str, list[str]] | None:
    tool = os.path.basename(argv[0])
    key = _TOOLS.get(tool)
    args = list(argv[1:])
    if key is None:
        if _PIP_NAME.match(tool):
            key = 'pip'
        elif _PYTHON_NAME.match(tool):
            found = _python_module(argv)
            if found is None or found[0] not in _PYTHON_MODULES:
                return None
            key = _PYTHON_MODULES[found[0]]
            args = list(argv[found[1]:])
        else:
            return None
    return _MANAGERS[key], tool, args


def _split_args(args: Sequence[str], m: _Manager) -> tuple[list[str], list[str]]:
    """Split a command's arguments into (options with their values, positionals)."""
    options: list[str] = []
    positionals: list[str] = []
    n = len(args)
    j = 0
    while j < n:
        a = args[j]
        j += 1
        if a == '--':
            options.append(a)
            rest = args[j:]
            (options if m.passthrough else positionals).extend(rest)
            break
        if len(a) < 2 or a[0] != '-':
            positionals.append(a)
            continue
        options.append(a)
        if m.go_flags:
            name = a.lstrip('-')
            if '=' not in name and name in m.long_values and j < n:
                options.append(args[j])
                j += 1
            continue
        if a.startswith('--'):
            if '=' not in a and a in m.long_values and j < n:
                options.append(args[j])
                j += 1
            continue
        for k, ch in enumerate(a[1:]):
            if ch in m.short_values:
                if k == len(a) - 2 and j < n:
                    options.append(args[j])
                    j += 1
                break
    return options, positionals


def _first_positional(args: Sequence[str], m: _Manager) -> int:
    """Index in ``args`` of the first positional argument (len(args) if none)."""
    n = len(args)
    for index in range(n + 1):
        if _split_args(args[:index + 1], m)[1]:
            return index
    return n


def _package_op(command: Command) -> PackageOp | None:
    found = _identify(command.argv)
    if found is None:
        return None
    m, tool, args = found
    options, positionals = _split_args(args, m)
    if m.name == 'uv' and positionals[:1] == ['pip']:
        # uv [global options] pip install ...: pip's grammar from here on
        index = _first_positional(args, m)
        options, _ = _split_args(args[:index], m)
        more_options, positionals = _split_args(args[index + 1:], _UV_PIP)
        options.extend(more_options)
        m = _UV_PIP
    while positionals and positionals[0] in m.prefixes:
        positionals = positionals[1:]
    if not positionals:
        action = m.bare
        packages: list[str] = []
    elif len(positionals) > 1 and (positionals[0], positionals[1]) in m.pairs:
        action = m.pairs[(positionals[0], positionals[1])]
        packages = positionals[2:]
    else:
        action = m.verbs.get(positionals[0], positionals[0])
        packages = positionals[1:]
    return PackageOp(m.name, tool, action, tuple(packages), tuple(options), command)


def package_ops(commands: Iterable[Command]) -> list[PackageOp]:
    """One PackageOp per package-manager command, in order.

    ``packages`` holds the positional arguments after the sub-command (for ``install``: the
    packages, version pins as written; for other actions whatever operands they take, such as
    ``('all',)`` for ``yum clean all``); ``options`` holds the option words and their values in
    order, so ``-r requirements.txt`` can be found there. ``action`` is normalised to install,
    update (index refresh), remove, clean, upgrade, or is the sub-command as written; it is ''
    when there is no sub-command (``pip --version``).
    """
    out: list[PackageOp] = []
    for command in commands:
        if command.argv:
            op = _package_op(command)
            if op is not None:
                out.append(op)
    return out


_NAME_END = frozenset('=<>!~[;:@ (,')
_PATH_EXTRAS = re.compile(r'\[[^\]/]*\]$')


def package_name(spec: str) -> str:
    """A package argument without version pin, architecture, extras or repository tag.

    ``gcc=4:12`` -> ``gcc``, ``libc6-dev:amd64`` -> ``libc6-dev``, ``flask[async]==3`` ->
    ``flask``, ``build-base@edge`` -> ``build-base``, ``@angular/cli@17`` -> ``@angular/cli``,
    ``conda-forge::numpy`` -> ``numpy``, ``${PKG}=$VERSION`` -> ``${PKG}``. URLs are returned
    unchanged, paths only lose pip extras (``./app[dev]`` -> ``./app``); ``pkg/release``
    (apt) is kept whole, since ``vendor/package`` (composer, go) is a name.
    """
    s = spec.strip()
    if '://' in s:
        return s
    if s.startswith(('.', '/', '~')):
        return _PATH_EXTRAS.sub('', s)
    if '::' in s:
        s = s.split('::', 1)[1]
    n = len(s)
    i = 0
    while i < n:
        c = s[i]
        if c == '$' and i + 1 < n and s[i + 1] in '({':
            i = _match_end(s, i + 1)
            continue
        if c in _NAME_END and i > 0:  # '@scope/name': a leading '@' is part of the name
            return s[:i]
        i += 1
    return s
