from __future__ import annotations

import dockerfile_parse
import pytest
from dockerfile_parse.util import WordSplitter
from dockhooks import _dockerfile
from dockhooks import _text
from dockhooks._dockerfile import Comment
from dockhooks._dockerfile import Heredoc
from dockhooks._dockerfile import key_values
from dockhooks._dockerfile import unquote
from dockhooks._text import InputError
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

# Every Dockerfile text of this module is a module-level constant (or sits in a module-level
# table) so that dockerfile_oracle_test.py also checks it against BuildKit's parser.

HEREDOC_BODIES = (
    'FROM alpine:3.20\n'
    'RUN <<EOF\n'
    'apk add --no-cache curl\n'
    'echo done\n'
    'EOF\n'
    'COPY <<EOT /etc/motd\n'
    'USER root\n'
    'ENV SECRET_KEY=abc\n'
    'EOT\n'
    'USER app\n'
)
BLANK_IN_CONTINUATION = (
    'FROM debian:bookworm\n'
    'RUN apt-get update && \\\n'
    '\n'
    '    apt-get install -y curl\n'
    'USER app\n'
)
COMMENTS_IN_CONTINUATION = (
    'FROM debian:bookworm\n'
    'RUN a && \\\n'
    '    # one\n'
    '\n'
    '    b \\\n'
    '# two\n'
    '    && c\n'
    'USER x\n'
)
DEFAULT_FORMS = (
    'ARG BASE=alpine\n'
    'ARG TAG\n'
    'FROM ${BASE}:${TAG:-3.19}\n'
    'FROM ${BASE}:${TAG-3.18}\n'
    'FROM $BASE${TAG:+:never}\n'
    'FROM ${UNDECLARED}\n'
)
UNDEFINED_VARIABLE = (
    'FROM alpine:3.20\n'
    'ENV PATH=/opt/bin:$PATH\n'
    'ENV HOME_DIR=$HOME/app\n'
)
STAGE_NAMES = (
    'FROM --platform=$BUILDPLATFORM golang:1.22 AS build\n'
    'RUN go build -o /app\n'
    'FROM scratch AS Final\n'
    'COPY --from=build /app /app\n'
    'FROM BUILD\n'
    'FROM later\n'
    'FROM golang:1.22 AS later\n'
)
CHECK_THEN_ESCAPE = (
    '# syntax=docker/dockerfile:1\n'
    '# check=skip=JSONArgsRecommended\n'
    '# escape=`\n'
    'FROM mcr.microsoft.com/windows/servercore:ltsc2022\n'
    'RUN dir `\n'
    '    C:\\\n'
)
ESCAPED_ESCAPE_AT_END = (
    'FROM alpine:3.20\n'
    'ENV C a\\\\\n'
    'ENV D x\n'
)
ARG_NAMES = (
    'ARG A B=2\n'
    'ARG C=1 D\n'
    'FROM alpine:3.20\n'
    'ARG A C\n'
)
ARG_WITHOUT_DEFAULT = (
    'ARG NONE\n'
    'ARG EMPTY=\n'
    'FROM alpine:3.20\n'
)
ENV_WITHOUT_ARGUMENTS = (
    'FROM alpine:3.20\n'
    'ENV\n'
    'ENV a=b c\n'
    'LABEL\n'
)
BARE_USER_AT_EOF = 'FROM alpine:3.20\nUSER'
JSON_FORMS = (
    'FROM python:3.13-slim\n'
    'CMD ["python", "-m", "app"]\n'
    'ENTRYPOINT [ "tini", "--" ]\n'
    'CMD [python]\n'
    'CMD ["a",]\n'
    'RUN ["sh", "-c", "echo hi"]\n'
    'CMD []\n'
    'CMD {"a": "b"}\n'
    "CMD ['single']\n"
    'EXPOSE ["80"]\n'
)
KEYWORD_CASE = (
    'from python:3.13-slim as BUILD\n'
    'onbuild run make\n'
    'HEALTHCHECK --interval=5s --retries=3 CMD curl -f http://localhost/\n'
    'Copy --From=build /a /b\n'
)
UNCLOSED_QUOTE = 'FROM alpine:3.20\nRUN echo "unclosed\nUSER app\n'
PLATFORM_STAGE = 'FROM --platform=$BUILDPLATFORM golang:1.22 AS build\n'
INDENTED = '  FROM alpine:3.20\n\tRUN true\n'
ONBUILD = (
    'FROM python:3.13-slim\n'
    'ONBUILD COPY . /app\n'
    'ONBUILD ENV SECRET_KEY=abc\n'
    'ONBUILD RUN <<EOF\n'
    'pip install -r requirements.txt\n'
    'EOF\n'
    'USER app\n'
)
WINDOWS = (
    '# escape=`\n'
    'FROM mcr.microsoft.com/windows/servercore:ltsc2022\n'
    'WORKDIR C:\\\n'
    'RUN dir `\n'
    '    c:\\ `\n'
    '    /s\n'
    'COPY . C:\\app\\\n'
)
HEREDOC_DASH = 'FROM alpine:3.20\nRUN <<-EOF\n\techo hi\n\t\tindented\n\tEOF\nUSER app\n'
HEREDOC_QUOTED = (
    'FROM alpine:3.20\n'
    'RUN <<"EOF" <<\'EOT\'\n'
    'echo $HOME\n'
    'EOF\n'
    "echo '$USER'\n"
    'EOT\n'
)
HEREDOC_TWO = (
    'FROM alpine:3.20\n'
    'RUN <<A cat /dev/stdin && 3<<B cat /dev/fd/3\n'
    'first\n'
    'A\n'
    'second\n'
    'B\n'
    'USER app\n'
)
HEREDOC_COPY = 'FROM alpine:3.20\nCOPY --chmod=755 <<EOF /usr/local/bin/entry\n#!/bin/sh\nEOF\n'
HEREDOC_WITH_FLAGS = (
    'FROM alpine:3.20\n'
    'RUN --mount=type=cache,target=/var/cache/apk --network=none <<EOF\n'
    'apk add curl\n'
    'EOF\n'
)
HEREDOC_TERMINATOR_MUST_BE_ALONE = (
    'FROM alpine:3.20\n'
    'RUN <<EOF\n'
    '  EOF\n'
    'EOF \n'
    'EOF\n'
)
HEREDOC_IN_QUOTES = 'FROM alpine:3.20\nRUN echo "<<EOF" \'<<EOT\'\nUSER app\n'
UNTERMINATED_HEREDOC = 'FROM alpine:3.20\nRUN <<EOF\necho never closed\n'
UNKNOWN_INSTRUCTION = 'FROM alpine:3.20\nRUN apk update &&\n    apk add curl\n'
UNKNOWN_FIRST = 'FORM alpine:3.20\n'
REPEATED_DIRECTIVE = '# escape=\\\n# escape=`\nFROM alpine:3.20\n'
INVALID_ESCAPE = '# escape=x\nFROM alpine:3.20\n'
UNKNOWN_DIRECTIVE_ENDS = '# foo=bar\n# escape=`\nFROM alpine:3.20\nRUN echo `\n'
EMPTY_DIRECTIVE = '# escape=\nFROM alpine:3.20\nRUN echo `\n'
INDENTED_DIRECTIVE = ' # escape=`\nFROM alpine:3.20\nRUN echo `\n  done\n'
BLANK_BEFORE_DIRECTIVE = '\n# escape=`\nFROM alpine:3.20\nRUN echo `\n'
VARIABLES = (
    'ARG REGISTRY=docker.io\n'
    'ARG VERSION=3.12\n'
    'ARG NOVALUE\n'
    'FROM ${REGISTRY}/library/python:${VERSION}-slim AS base\n'
    'ARG VERSION\n'
    'ARG NOVALUE\n'
    'ARG REGISTRY=ghcr.io\n'
    'ARG LOCAL=x\n'
    'ENV PYTHON_VERSION=$VERSION\n'
    'ENV LOCAL=from-env\n'
    'ARG LOCAL=from-arg\n'
    'FROM base AS final\n'
    'ENV HOME_DIR=/home/${USER_NAME:-app}\n'
    'ENV QUOTED="a b" SINGLE=\'$VERSION\' ESCAPED=\\$VERSION\n'
    'ENV OLD=$PYTHON_VERSION PYTHON_VERSION=4 NEW=$PYTHON_VERSION\n'
    'ENV LEGACY value with $PYTHON_VERSION\n'
)
SCRIPTS = (
    ('RUN <<EOF\necho hi\nEOF\n', 'echo hi\n'),  # the body is the script
    ('RUN <<EOF bash\nset -e\nEOF\n', 'set -e\n'),  # `<<EOF bash`: still the script
    ('RUN bash <<EOF\nls\nEOF\n', 'ls\n'),  # a shell reading the heredoc
    ('RUN /bin/sh -e <<EOF\nls\nEOF\n', 'ls\n'),
    ('RUN <<A <<B\na\nA\nb\nB\n', 'a\n\nb\n'),  # two scripts, joined
    ('RUN cat <<EOF > /etc/f\nbody\nEOF\n', 'cat <<EOF > /etc/f'),  # the body is data
    # not a shell: pinned as current behaviour, the body is not the script
    ('RUN python3 <<EOF\nprint(1)\nEOF\n', 'python3 <<EOF'),
    ('RUN ["sh", "-c", "echo hi"]\n', "sh -c 'echo hi'"),  # exec form: the words, quoted
    ('RUN --mount=type=cache,target=/root/.cache pip install x\n', 'pip install x'),
)
FLAGS = (
    ('RUN --mount=type=secret,id=npm --network=none npm ci\n',
     {'mount': 'type=secret,id=npm', 'network': 'none'}, 'npm ci'),
    ('COPY --from=build --chown=1000:1000 /app /app\n',
     {'from': 'build', 'chown': '1000:1000'}, '/app /app'),
    ('ADD --checksum=sha256:abc https://example.com/x.tgz /x\n',
     {'checksum': 'sha256:abc'}, 'https://example.com/x.tgz /x'),
    ('HEALTHCHECK --interval=5s --retries=3 CMD ["curl", "-f", "x"]\n',
     {'interval': '5s', 'retries': '3'}, 'CMD ["curl", "-f", "x"]'),
    ('COPY --link . /app\n', {'link': None}, '. /app'),  # a flag without a value
    ('COPY --Chown=app . /app\n', {'chown': 'app'}, '. /app'),  # flag names are lower-cased
    ('RUN echo --not-a-flag\n', {}, 'echo --not-a-flag'),  # flags only lead
    ('RUN --x=a"b echo\n', {'x': 'a"b'}, 'echo'),
    ('RUN -- echo\n', {}, '-- echo'),  # `--` alone is no flag
    ('ENV --notaflag=1\n', {}, '--notaflag=1'),  # ENV takes no flags
)
STAGE_TEXTS = tuple(f'FROM alpine:3.20\n{src}' for src, _, _ in FLAGS) + tuple(
    f'FROM alpine:3.20\n{src}' for src, _ in SCRIPTS)


def _parse(text: str) -> _dockerfile.Dockerfile:
    return _dockerfile.parse('Dockerfile', text)


def _rows(df: _dockerfile.Dockerfile) -> list[tuple[str, int, int]]:
    return [(i.keyword, i.line, i.end_line) for i in df.instructions]


def test_pitfall_01_a_path_is_never_passed(tmp_path, capsys):
    # dockerfile-parse appends /Dockerfile to a path not ending in Dockerfile
    path = tmp_path / 'Dockerfile.prod'
    path.write_bytes(b'FROM alpine:3.20\nUSER app\n')
    df = _dockerfile.load(str(path))
    assert df.path == str(path)
    assert _rows(df) == [('FROM', 1, 1), ('USER', 2, 2)]
    assert capsys.readouterr() == ('', '')  # and nothing logged on stderr


def test_pitfall_02_heredoc_bodies_are_not_instructions():
    df = _parse(HEREDOC_BODIES)
    assert _rows(df) == [('FROM', 1, 1), ('RUN', 2, 5), ('COPY', 6, 9), ('USER', 10, 10)]
    run, copy = df.instructions[1], df.instructions[2]
    assert run.heredocs == [Heredoc('EOF', 'apk add --no-cache curl\necho done\n', False, 0)]
    assert copy.heredocs == [Heredoc('EOT', 'USER root\nENV SECRET_KEY=abc\n', False, 0)]
    assert copy.args == '<<EOT /etc/motd'


def test_pitfall_03_blank_line_inside_a_continuation_does_not_end_it():
    df = _parse(BLANK_IN_CONTINUATION)
    assert _rows(df) == [('FROM', 1, 1), ('RUN', 2, 4), ('USER', 5, 5)]
    assert df.instructions[1].args == 'apt-get update &&     apt-get install -y curl'


def test_pitfall_04_unknown_instruction_is_an_input_error():
    with pytest.raises(InputError) as exc:
        _parse(UNKNOWN_INSTRUCTION)
    assert exc.value.reason == (
        "line 3: unknown instruction 'apk' "
        '(is a `\\` missing at the end of the previous line?)'
    )
    assert (exc.value.line, exc.value.col) == (3, 5)


def test_unknown_first_instruction_has_no_continuation_hint():
    with pytest.raises(InputError) as exc:
        _parse(UNKNOWN_FIRST)
    assert exc.value.reason == "line 1: unknown instruction 'form'"
    assert (exc.value.line, exc.value.col) == (1, 1)


def test_pitfall_05_comments_inside_a_continuation_keep_their_line():
    df = _parse(COMMENTS_IN_CONTINUATION)
    assert _rows(df) == [('FROM', 1, 1), ('RUN', 2, 7), ('USER', 8, 8)]
    assert df.comments == [Comment(3, 'one'), Comment(6, 'two')]
    assert df.instructions[1].args == 'a &&     b     && c'


def test_pitfall_06_default_and_alternative_forms_are_expanded():
    df = _parse(DEFAULT_FORMS)
    assert [(s.image, s.raw_image) for s in df.stages] == [
        ('alpine:3.19', '${BASE}:${TAG:-3.19}'),  # TAG has no value: the default
        ('alpine:3.18', '${BASE}:${TAG-3.18}'),
        (None, '$BASE${TAG:+:never}'),  # `:+` of an unknown value cannot be known
        (None, '${UNDECLARED}'),  # never a tag, never a bogus 'alpine:3.20:-3.19}'
    ]


def test_pitfall_07_undefined_variable_is_unknown_not_empty():
    df = _parse(UNDEFINED_VARIABLE)
    assert df.instructions[1].scope == {'PATH': None}  # not '/opt/bin:'
    assert df.instructions[2].scope == {'PATH': None, 'HOME_DIR': None}
    assert df.instructions[1].resolve('$PATH') is None


def test_pitfall_08_stage_names_and_scratch_are_not_images():
    df = _parse(STAGE_NAMES)
    got = [(s.index, s.image, s.alias, s.parent) for s in df.stages]
    assert got == [
        (0, 'golang:1.22', 'build', None),
        (1, 'scratch', 'final', None),
        (2, 'BUILD', None, 0),  # an earlier stage, any case
        (3, 'later', None, None),  # a stage defined later is an image
        (4, 'golang:1.22', 'later', None),
    ]
    assert df.stages[0].from_.flags == {'platform': '$BUILDPLATFORM'}


def test_pitfall_09_escape_directive_after_a_check_directive():
    df = _parse(CHECK_THEN_ESCAPE)
    assert df.directives == {
        'syntax': 'docker/dockerfile:1',
        'check': 'skip=JSONArgsRecommended',
        'escape': '`',
    }
    assert df.escape == '`'
    assert _rows(df) == [('FROM', 4, 4), ('RUN', 5, 6)]
    assert df.instructions[1].args == 'dir     C:\\'
    assert df.comments == []  # directives are not comments


def test_pitfall_10_escaped_escape_at_line_end_is_literal():
    df = _parse(ESCAPED_ESCAPE_AT_END)
    assert _rows(df) == [('FROM', 1, 1), ('ENV', 2, 2), ('ENV', 3, 3)]
    assert df.instructions[1].args == 'C a\\\\'
    assert df.instructions[2].args == 'D x'


def test_pitfall_11_arg_declares_several_names():
    df = _parse(ARG_NAMES)
    assert df.global_args == {'A': None, 'B': '2', 'C': '1', 'D': None}
    assert df.instructions[3].scope == {'A': None, 'C': '1'}


def test_pitfall_12_arg_without_default_is_none_not_empty():
    df = _parse(ARG_WITHOUT_DEFAULT)
    assert df.global_args == {'NONE': None, 'EMPTY': ''}


def test_pitfall_13_env_without_arguments_does_not_crash():
    df = _parse(ENV_WITHOUT_ARGUMENTS)
    assert [(i.keyword, i.args) for i in df.instructions] == [
        ('FROM', 'alpine:3.20'), ('ENV', ''), ('ENV', 'a=b c'), ('LABEL', ''),
    ]
    # Docker rejects `c` without `=`; we keep it as a name without a value
    assert df.instructions[2].scope == {'a': 'b', 'c': None}


def test_pitfall_14_instruction_without_argument_at_eof_is_kept():
    df = _parse(BARE_USER_AT_EOF)
    assert [(i.keyword, i.line, i.args) for i in df.instructions] == [
        ('FROM', 1, 'alpine:3.20'), ('USER', 2, ''),
    ]


@pytest.mark.parametrize(('data', 'text'), (
    (b'\xef\xbb\xbfFROM alpine:3.20\n', 'FROM alpine:3.20\n'),  # UTF-8 BOM dropped
    (b'FROM a\r\nRUN b \\\r\n  c\r\n', 'FROM a\nRUN b \\\n  c\n'),  # CRLF
    (b'FROM a\rRUN b\r', 'FROM a\nRUN b\n'),  # old Mac CR
    (b'FROM caf\xc3\xa9\n', 'FROM caf\u00e9\n'),
))
def test_pitfall_15_decode(data, text):
    assert _text.decode(data) == text


def test_pitfall_15_bom_is_not_part_of_the_keyword():
    df = _parse('\ufeffFROM alpine:3.20\n')  # even when handed to parse() directly
    assert _rows(df) == [('FROM', 1, 1)]


@pytest.mark.parametrize(('data', 'reason', 'line'), (
    (b'\xff\xfeF\x00R\x00', 'is UTF-16 text; save it as UTF-8', 1),
    (b'\xfe\xff\x00F\x00R', 'is UTF-16 text; save it as UTF-8', 1),
    (b'FROM a\nRUN \x00x\n', 'contains NUL bytes: a binary file, not text', 2),
    (b'FROM a\nRUN caf\xe9\n', 'is not UTF-8 text (byte 0xe9 at offset 14)', 2),
    (b'FROM a\n\n\nLABEL x=\x80\n', 'is not UTF-8 text (byte 0x80 at offset 17)', 4),
))
def test_pitfall_15_bad_encoding_is_an_input_error(data, reason, line):
    with pytest.raises(InputError) as exc:
        _text.decode(data)
    assert (exc.value.reason, exc.value.line, exc.value.col) == (reason, line, 1)
    assert str(exc.value) == reason


def test_pitfall_16_json_form_is_decoded_and_invalid_json_is_shell_form():
    df = _parse(JSON_FORMS)
    assert [(i.keyword, i.json) for i in df.instructions[1:]] == [
        ('CMD', ['python', '-m', 'app']),
        ('ENTRYPOINT', ['tini', '--']),
        ('CMD', None),  # not JSON: shell form
        ('CMD', None),  # trailing comma: not JSON
        ('RUN', ['sh', '-c', 'echo hi']),
        ('CMD', []),
        ('CMD', None),  # an object is not an array
        ('CMD', None),  # single quotes are not JSON
        ('EXPOSE', None),  # EXPOSE has no exec form
    ]
    assert df.instructions[3].args == '[python]'


def test_json_array_of_non_strings_is_shell_form():
    # pinned: BuildKit refuses the file ("arrays must be comprised of strings only"); we read
    # it as shell form, which no rule misreads (see DIVERGENT in dockerfile_oracle_test.py)
    df = _parse('FROM alpine:3.20\nCMD ["a", 1]\n')
    assert df.instructions[1].json is None
    assert df.instructions[1].args == '["a", 1]'


def test_pitfall_17_keyword_case_and_onbuild_and_flags():
    df = _parse(KEYWORD_CASE)
    assert [i.keyword for i in df.instructions] == ['FROM', 'ONBUILD', 'HEALTHCHECK', 'COPY']
    assert df.stages[0].alias == 'build'  # `as BUILD`
    assert df.final_stage('Build') is df.stages[0]
    trigger = df.instructions[1].trigger
    assert trigger is not None
    assert (trigger.keyword, trigger.args, trigger.line) == ('RUN', 'make', 2)
    health = df.instructions[2]
    assert health.flags == {'interval': '5s', 'retries': '3'}
    assert health.args == 'CMD curl -f http://localhost/'
    assert df.instructions[3].flags == {'from': 'build'}


def test_pitfall_18_unclosed_quotes_are_kept():
    df = _parse(UNCLOSED_QUOTE)
    assert _rows(df) == [('FROM', 1, 1), ('RUN', 2, 2), ('USER', 3, 3)]
    assert df.instructions[1].args == 'echo "unclosed'


def test_stages():
    df = _parse(STAGE_NAMES)
    assert [i.stage for i in df.instructions] == [0, 0, 1, 1, 2, 3, 4]
    assert [[i.line for i in s.instructions] for s in df.stages] == [
        [1, 2], [3, 4], [5], [6], [7],
    ]
    assert df.final_stage() is df.stages[4]
    assert df.final_stage('FINAL') is df.stages[1]  # alias lookup is case-insensitive
    assert df.final_stage('nope') is None
    assert df.chain(df.stages[2]) == [df.stages[2], df.stages[0]]
    assert df.shipped_stages() == {4}
    assert df.shipped_stages('final') == {1}
    assert df.shipped_stages('nope') == set()


def test_stage_of_platform_flag():
    df = _parse(PLATFORM_STAGE)
    stage = df.stages[0]
    assert (stage.image, stage.raw_image, stage.alias, stage.parent) == (
        'golang:1.22', 'golang:1.22', 'build', None)
    assert stage.from_.flags == {'platform': '$BUILDPLATFORM'}
    assert stage.from_.args == 'golang:1.22 AS build'


def test_instructions_before_the_first_from_have_no_stage():
    df = _parse(ARG_WITHOUT_DEFAULT)
    assert [i.stage for i in df.instructions] == [-1, -1, 0]


def test_no_stages():
    df = _parse('ARG X=1\n# just a comment\n')
    assert df.stages == []
    assert df.final_stage() is None
    assert df.shipped_stages() == set()


def test_parent_stage_inherits_env():
    df = _parse('FROM alpine:3.20 AS base\nENV A=1\nFROM base\nENV B=$A\n')
    assert df.stages[1].env == {'A': '1', 'B': '1'}
    assert df.stages[0].env == {'A': '1'}  # the parent is not changed


@pytest.mark.parametrize(('src', 'flags', 'args'), FLAGS)
def test_flags(src, flags, args):
    ins = _parse(f'FROM alpine:3.20\n{src}').instructions[1]
    assert ins.flags == flags
    assert ins.args == args
    for name, value in flags.items():
        assert ins.flag(name) == value
    assert ins.flag('nope') is None


def test_columns_of_indented_instructions():
    df = _parse(INDENTED)
    assert [(i.keyword, i.line, i.col) for i in df.instructions] == [
        ('FROM', 1, 3), ('RUN', 2, 2),
    ]


def test_onbuild_triggers():
    df = _parse(ONBUILD)
    triggers = [i.trigger for i in df.instructions if i.keyword == 'ONBUILD']
    assert [(t.keyword, t.args, t.line, t.end_line) for t in triggers if t] == [
        ('COPY', '. /app', 2, 2),
        ('ENV', 'SECRET_KEY=abc', 3, 3),
        ('RUN', '<<EOF', 4, 6),
    ]
    assert triggers[2] is not None
    assert triggers[2].script() == 'pip install -r requirements.txt\n'
    assert _rows(df)[-1] == ('USER', 7, 7)
    # the trigger is not an instruction of the stage
    assert [i.keyword for i in df.stages[0].instructions] == [
        'FROM', 'ONBUILD', 'ONBUILD', 'ONBUILD', 'USER',
    ]


def test_escape_directive_backtick():
    df = _parse(WINDOWS)
    assert df.escape == '`'
    assert df.directives == {'escape': '`'}
    assert [(i.keyword, i.line, i.end_line, i.args) for i in df.instructions] == [
        ('FROM', 2, 2, 'mcr.microsoft.com/windows/servercore:ltsc2022'),
        ('WORKDIR', 3, 3, 'C:\\'),  # a backslash is literal with the backtick escape
        ('RUN', 4, 6, 'dir     c:\\     /s'),
        ('COPY', 7, 7, '. C:\\app\\'),
    ]


@pytest.mark.parametrize(('src', 'directives', 'rows'), (
    # `# foo=bar` is a comment and ends the directives: the escape is not one
    (UNKNOWN_DIRECTIVE_ENDS, {}, [('FROM', 3, 3), ('RUN', 4, 4)]),
    # `# escape=` with no value is a comment
    (EMPTY_DIRECTIVE, {}, [('FROM', 2, 2), ('RUN', 3, 3)]),
    # BuildKit strips leading whitespace before looking for a directive
    (INDENTED_DIRECTIVE, {'escape': '`'}, [('FROM', 2, 2), ('RUN', 3, 4)]),
    # a blank line ends the directives
    (BLANK_BEFORE_DIRECTIVE, {}, [('FROM', 3, 3), ('RUN', 4, 4)]),
))
def test_directives(src, directives, rows):
    df = _parse(src)
    assert df.directives == directives
    assert _rows(df) == rows


@pytest.mark.parametrize(('src', 'reason', 'line'), (
    (REPEATED_DIRECTIVE, 'line 2: only one escape parser directive can be used', 2),
    (INVALID_ESCAPE, "invalid escape directive 'x': use \\ or `", 1),
    (UNTERMINATED_HEREDOC,
     'heredoc <<EOF opened on line 2 is never closed (a line holding only EOF ends it)', 2),
))
def test_input_errors(src, reason, line):
    with pytest.raises(InputError) as exc:
        _parse(src)
    assert (exc.value.reason, exc.value.line) == (reason, line)


def test_comments_and_blank_lines_in_continuations():
    df = _parse(COMMENTS_IN_CONTINUATION)
    run = df.instructions[1]
    assert (run.line, run.end_line) == (2, 7)
    assert 'one' not in run.args
    assert 'two' not in run.args


def test_crlf_file(tmp_path):
    path = tmp_path / 'Dockerfile'
    path.write_bytes(b'FROM alpine:3.20\r\nRUN a \\\r\n    b\r\nUSER app\r\n')
    df = _dockerfile.load(str(path))
    assert [(i.keyword, i.line, i.end_line, i.args) for i in df.instructions] == [
        ('FROM', 1, 1, 'alpine:3.20'), ('RUN', 2, 3, 'a     b'), ('USER', 4, 4, 'app'),
    ]


def test_bom_file(tmp_path):
    path = tmp_path / 'Dockerfile'
    path.write_bytes(b'\xef\xbb\xbf# escape=`\nFROM alpine:3.20\nRUN a `\n  b\n')
    df = _dockerfile.load(str(path))
    assert df.escape == '`'  # the BOM does not hide the directive
    assert _rows(df) == [('FROM', 2, 2), ('RUN', 3, 4)]


def test_variables():
    df = _parse(VARIABLES)
    ins = {i.line: i for i in df.instructions}
    assert df.global_args == {'REGISTRY': 'docker.io', 'VERSION': '3.12', 'NOVALUE': None}
    assert df.stages[0].image == 'docker.io/library/python:3.12-slim'  # global ARGs in FROM
    assert ins[4].scope == {}  # global ARGs are not visible in the stage ...
    assert ins[5].scope == {'VERSION': '3.12'}  # ... until declared again, without default
    assert ins[6].scope['NOVALUE'] is None  # no default anywhere: unknown, not ''
    assert ins[7].scope['REGISTRY'] == 'ghcr.io'  # a stage ARG with its own default
    assert ins[9].scope['PYTHON_VERSION'] == '3.12'
    assert ins[11].scope['LOCAL'] == 'from-env'  # ENV wins over a later ARG
    assert ins[11].resolve('$LOCAL') == 'from-env'
    # a child stage starts from its parent's ENV, not its ARGs
    assert ins[12].scope == {'PYTHON_VERSION': '3.12', 'LOCAL': 'from-env'}
    assert ins[13].scope['HOME_DIR'] == '/home/app'  # `${V:-d}` of an unknown V
    assert {k: ins[14].scope[k] for k in ('QUOTED', 'SINGLE', 'ESCAPED')} == {
        'QUOTED': 'a b',  # quotes removed
        'SINGLE': '$VERSION',  # no expansion inside single quotes
        'ESCAPED': '$VERSION',  # an escaped $ is literal
    }
    # one ENV sees the values from before it (Docker's documented `def=$abc` example)
    assert {k: ins[15].scope[k] for k in ('OLD', 'PYTHON_VERSION', 'NEW')} == {
        'OLD': '3.12', 'PYTHON_VERSION': '4', 'NEW': '3.12',
    }
    assert ins[16].scope['LEGACY'] == 'value with 4'  # `ENV NAME value words`
    assert ins[16].resolve('${PYTHON_VERSION}-${NOPE:-x}') == '4-x'
    assert ins[16].resolve('$NOPE') is None


@pytest.mark.parametrize(('src', 'expected'), (
    ('$V', '1'),
    ('${V}', '1'),
    ('${V:-d}', '1'),
    ('${V-d}', '1'),
    ('${V:+x}', 'x'),
    ('${U:-d}', 'd'),  # U has no value: the default
    ('${U-d}', 'd'),
    ('${U:+x}', None),  # U's value cannot be known, so neither can this
    ('${E:-d}', 'd'),  # empty counts as unset with the colon ...
    ('${E-d}', ''),  # ... not without it
    ('$U', None),
))
def test_variable_forms_in_a_stage(src, expected):
    df = _parse('FROM alpine:3.20\nARG V=1\nARG U\nARG E=\nRUN true\n')
    assert df.instructions[-1].resolve(src) == expected


def test_heredocs():
    df = _parse(HEREDOC_TWO)
    run = df.instructions[1]
    assert (run.line, run.end_line) == (2, 6)
    assert run.heredocs == [Heredoc('A', 'first\n', False, 0), Heredoc('B', 'second\n', False, 3)]
    assert _rows(df)[-1] == ('USER', 7, 7)


def test_heredoc_dash_strips_leading_tabs():
    df = _parse(HEREDOC_DASH)
    assert df.instructions[1].heredocs == [Heredoc('EOF', 'echo hi\nindented\n', True, 0)]
    assert _rows(df) == [('FROM', 1, 1), ('RUN', 2, 5), ('USER', 6, 6)]


def test_heredoc_quoted_names():
    df = _parse(HEREDOC_QUOTED)
    assert df.instructions[1].heredocs == [
        Heredoc('EOF', 'echo $HOME\n', False, 0),
        Heredoc('EOT', "echo '$USER'\n", False, 0),
    ]
    assert df.instructions[1].end_line == 6


def test_heredoc_copy():
    df = _parse(HEREDOC_COPY)
    copy = df.instructions[1]
    assert (copy.line, copy.end_line, copy.flags, copy.args) == (
        2, 4, {'chmod': '755'}, '<<EOF /usr/local/bin/entry')
    assert copy.heredocs == [Heredoc('EOF', '#!/bin/sh\n', False, 0)]
    assert df.comments == []  # `#!/bin/sh` is heredoc content, not a comment


def test_heredoc_after_flags():
    run = _parse(HEREDOC_WITH_FLAGS).instructions[1]
    assert run.flags == {'mount': 'type=cache,target=/var/cache/apk', 'network': 'none'}
    assert run.heredocs == [Heredoc('EOF', 'apk add curl\n', False, 0)]
    assert run.script() == 'apk add curl\n'


def test_heredoc_terminator_must_be_alone_on_its_line():
    run = _parse(HEREDOC_TERMINATOR_MUST_BE_ALONE).instructions[1]
    assert run.heredocs == [Heredoc('EOF', '  EOF\nEOF \n', False, 0)]
    assert run.end_line == 5


def test_heredoc_markers_in_quotes_are_words():
    df = _parse(HEREDOC_IN_QUOTES)
    assert _rows(df) == [('FROM', 1, 1), ('RUN', 2, 2), ('USER', 3, 3)]
    assert df.instructions[1].heredocs == []


@pytest.mark.parametrize(('src', 'script'), SCRIPTS)
def test_script(src, script):
    assert _parse(f'FROM alpine:3.20\n{src}').instructions[1].script() == script


def test_lines_are_the_source_lines():
    df = _parse(HEREDOC_COPY)
    assert df.lines == [
        'FROM alpine:3.20', 'COPY --chmod=755 <<EOF /usr/local/bin/entry', '#!/bin/sh', 'EOF',
    ]


@pytest.mark.parametrize(('text', 'expected'), (
    ('A=1 B="x y" C', [('A', '1'), ('B', '"x y"'), ('C', None)]),
    ('NAME some words', [('NAME', 'some words')]),  # legacy ENV form
    ('', []),
    ('"A"=1', [('A', '1')]),
))
def test_key_values(text, expected):
    assert key_values(text) == expected


def test_key_values_without_legacy_form():
    assert key_values('A B=2 C', legacy=False) == [('A', None), ('B', '2'), ('C', None)]


@pytest.mark.parametrize(('word', 'expected'), (
    ('plain', 'plain'),
    ('"x y"', 'x y'),
    ("'a b'", 'a b'),
    ('a\\ b', 'a b'),
    ('"a"b\'c\'', 'abc'),
))
def test_unquote(word, expected):
    assert unquote(word) == expected


@pytest.mark.parametrize(('setup', 'reason'), (
    (lambda p: p.mkdir(), 'is a directory, not a file'),
    (lambda p: None, 'cannot be read (No such file or directory)'),
))
def test_read_errors(tmp_path, setup, reason):
    path = tmp_path / 'Dockerfile'
    setup(path)
    with pytest.raises(InputError) as exc:
        _dockerfile.load(str(path))
    assert exc.value.reason == reason


def test_read_too_big(tmp_path, monkeypatch):
    monkeypatch.setattr(_text, 'MAX_BYTES', 10)
    path = tmp_path / 'Dockerfile'
    path.write_bytes(b'FROM alpine:3.20\n')
    with pytest.raises(InputError) as exc:
        _dockerfile.load(str(path))
    assert exc.value.reason == 'is 17 bytes, over the 10 byte limit for a config file'


# --------------------------------------------------------------------------- dockerfile-parse
# The scanner splits instructions and removes quotes as dockerfile-parse does, without importing
# it at run time (~9 ms with logging and json): dockerfile-parse is the reference here.

def _reference_split(text: str) -> list[tuple[str, str]]:
    import io

    parser = dockerfile_parse.DockerfileParser(fileobj=io.BytesIO(text.encode('utf-8')),
                                               env_replace=False)
    return [(d['instruction'], d['value']) for d in parser.structure
            if d['instruction'] != 'COMMENT']


_PIECES = st.sampled_from([
    'FROM a', 'RUN x', 'run  y', 'ENV A="b c"', 'USER', '\\', '`', '\\\\', '#', '# c', ' ', '\t',
    '\n', '\n\n', '\r', '\x0c', '\u2028', '\ufeff', '# escape=`', '# escape=\\', '# syntax=x',
    '#escape = `', "'", '"', '$A', '<<EOF', 'EOF', ' \\\n', ' `\n', '\\ \n',
])


@settings(max_examples=600, deadline=None)
@given(st.lists(_PIECES, max_size=30).map(''.join))
def test_split_instructions_is_dockerfile_parse(text: str) -> None:
    assert _dockerfile.split_instructions(text) == _reference_split(text)


def test_split_instructions_is_dockerfile_parse_on_the_corpus(corpus_dockerfiles) -> None:
    differ = []
    for path in corpus_dockerfiles:
        try:
            text = _text.read_text(str(path))
        except InputError:
            continue
        if _dockerfile.split_instructions(text) != _reference_split(text):
            differ.append(str(path))
    assert differ == []


@settings(max_examples=600, deadline=None)
@given(st.text(alphabet='ab $\\"\'`\t\n{}', max_size=24))
def test_unquote_is_dockerfile_parse(word: str) -> None:
    assert unquote(word) == WordSplitter(word).dequote()


# --------------------------------------------------------------------------- exec form
# The exec form is read without the json module; json.loads is the reference.

def _reference_exec_form(text: str) -> list[str] | None:
    import json

    s = text.strip()
    if not s.startswith('['):
        return None
    try:
        data = json.loads(s)
    except ValueError:
        return None
    if isinstance(data, list) and all(isinstance(x, str) for x in data):
        return data
    return None


@settings(max_examples=1500, deadline=None)
@given(st.one_of(
    st.lists(st.text(max_size=6), max_size=4).map(lambda xs: __import__('json').dumps(xs)),
    st.lists(st.sampled_from(['[', ']', '"', '\\', ',', ' ', 'a', 'u', '0', 'd8', 'D800',
                              '\\u', '\\n', '\t', '\x01', '1', 'null', '\\ud83d\\ude00']),
             max_size=14).map(''.join),
))
def test_exec_form_is_json(text: str) -> None:
    assert _dockerfile._parse_json(text) == _reference_exec_form(text)
