from __future__ import annotations

import pytest
from dockhooks import cli
from dockhooks import dockerfile_no_secrets
from dockhooks import dockerfile_pinned_base_image
from dockhooks._findings import Finding
from dockhooks._suppress import scan
from dockhooks._suppress import yaml_block

NO_TAG = ('DH101 base image python has no tag, so it means :latest; pin a version: '
          'FROM python:<version>')
SECRET = ('DH103 ENV SECRET_KEY bakes a secret into the image config; remove it and give it at '
          'run time (docker run -e SECRET_KEY, compose environment from .env or secrets:), '
          'or use RUN --mount=type=secret for build steps')


def _unknown(pos: str, code: str) -> str:
    return (f'{pos}: DH002 unknown code {code!r} in a dockhooks pragma; '
            f'`dockhooks rules` lists the codes')


PINNED = (
    # the pragma on the line above silences the code for that instruction
    ('# dockhooks: ignore=DH101\nFROM python\n', ()),
    # a reason after the codes
    ('# dockhooks: ignore=DH101 -- the base comes from CI\nFROM python\n', ()),
    ('# dockhooks: ignore=DH101 because: reasons\nFROM python\n', ()),
    # several codes, spaces and lower case
    ('# dockhooks: ignore=DH101,DH102 reason\nFROM python\n', ()),
    ('# dockhooks: ignore = dh101 , DH102\nFROM python\n', ()),
    ('#dockhooks:ignore=DH101\nFROM python\n', ()),
    ('  # dockhooks: ignore=DH101\nFROM python\n', ()),
    # another code does not silence DH101
    ('# dockhooks: ignore=DH103\nFROM python\n', (f'2:1: {NO_TAG}',)),
    # not directly above: an instruction in between
    ('# dockhooks: ignore=DH101\nARG X=1\nFROM python\n', (f'3:1: {NO_TAG}',)),
    # only the next instruction
    ('# dockhooks: ignore=DH101\nFROM python AS a\nFROM python\n', (f'3:1: {NO_TAG}',)),
    # pinned: blank lines and other comments between pragma and instruction are skipped
    ('# dockhooks: ignore=DH101\n\nFROM python\n', ()),
    ('# dockhooks: ignore=DH101\n# a note\nFROM python\n', ()),
    # a trailing comment is part of the instruction, not a pragma
    ('FROM python # dockhooks: ignore=DH101\n', (f'1:1: {NO_TAG}',)),
    # the prefix is lower case
    ('# DOCKHOOKS: ignore=DH101\nFROM python\n', (f'2:1: {NO_TAG}',)),
    # a pragma at the end of the file applies to nothing
    ('FROM python\n# dockhooks: ignore=DH101\n', (f'1:1: {NO_TAG}',)),
    # ignore-file: anywhere, for the whole file
    ('FROM python AS a\nFROM python\n# dockhooks: ignore-file=DH101\n', ()),
    ('# dockhooks: ignore-file=DH102,DH101\nFROM python\n', ()),
    # unknown codes are reported, after the file's findings, at the column of the codes
    ('# dockhooks: ignore=DH999\nFROM python\n', (f'2:1: {NO_TAG}', _unknown('1:21', 'DH999'))),
    ('# dockhooks: ignore=DH101,XX1\nFROM python\n', (_unknown('1:21', 'XX1'),)),
    ('# dockhooks: ignore-file=dh998\nFROM python:3.12\n', (_unknown('1:26', 'DH998'),)),
    # the meta codes are known codes
    ('# dockhooks: ignore=DH001,DH002\nFROM python:3.12\n', ()),
    # a pragma-like line inside a heredoc body is still read as a pragma (pinned)
    ('FROM alpine:3.20\nRUN <<EOF\n# dockhooks: ignore=DH999\nEOF\n', (_unknown('3:21', 'DH999'),)),
)


@pytest.mark.parametrize(('src', 'expected'), PINNED)
def test_pragmas(src, expected, tmp_path, capsys, clean_cwd):
    path = tmp_path / 'Dockerfile'
    path.write_text(src)
    rc = dockerfile_pinned_base_image.main([str(path)])
    out, err = capsys.readouterr()
    assert out.splitlines() == [f'{path}:{e}' for e in expected]
    assert err == ''
    assert rc == (1 if expected else 0)


SECRETS = (
    # a pragma above a multi-line instruction whose finding is on its first line
    ('FROM alpine:3.20\n# dockhooks: ignore=DH103\nENV A=1 \\\n    SECRET_KEY=abc\n', ()),
    # a pragma inside the continuation
    ('FROM alpine:3.20\nENV A=1 \\\n# dockhooks: ignore=DH103\n    SECRET_KEY=abc\n', ()),
    ('FROM alpine:3.20\nENV \\\n# dockhooks: ignore=DH103\n    SECRET_KEY=abc\n', ()),
    # a pragma after the instruction applies to the next one only
    ('FROM alpine:3.20\nENV A=1 \\\n    SECRET_KEY=abc\n# dockhooks: ignore=DH103\nENV B=2\n',
     (f'2:1: {SECRET}',)),
    # only the instruction right below the pragma
    ('FROM alpine:3.20\n# dockhooks: ignore=DH103\nENV SECRET_KEY=abc\nENV SECRET_KEY=def\n',
     (f'4:1: {SECRET}',)),
)


@pytest.mark.parametrize(('src', 'expected'), SECRETS)
def test_pragmas_and_multi_line_instructions(src, expected, tmp_path, capsys, clean_cwd):
    path = tmp_path / 'Dockerfile'
    path.write_text(src)
    rc = dockerfile_no_secrets.main([str(path)])
    out, err = capsys.readouterr()
    assert out.splitlines() == [f'{path}:{e}' for e in expected]
    assert err == ''
    assert rc == (1 if expected else 0)


def test_check_reports_an_unknown_code_once(tmp_path, capsys, clean_cwd):
    (tmp_path / 'Dockerfile').write_text(
        '# dockhooks: ignore=DH101,DH102,DH999\nFROM python\nUSER app\n')
    assert cli.main(['check', '--select', 'DH101,DH102,DH103', 'Dockerfile']) == 1
    assert capsys.readouterr() == (f'Dockerfile:{_unknown("1:21", "DH999")}\n', '')


def test_check_suppresses_per_code(tmp_path, capsys, clean_cwd):
    (tmp_path / 'Dockerfile').write_text('# dockhooks: ignore=DH102\nFROM python\n')
    assert cli.main(['check', '--select', 'DH101,DH102,DH103', 'Dockerfile']) == 1
    assert capsys.readouterr() == (f'Dockerfile:2:1: {NO_TAG}\n', '')


def test_scan_spans():
    lines = ['# dockhooks: ignore=DH101', 'FROM python AS a', '# dockhooks: ignore-file=DH103',
             '# dockhooks: ignore=DH102,NOPE', 'RUN a \\', '  b']
    sup = scan(lines, lambda line: (line, line + 1) if line == 5 else (line, line))
    assert sup.file_codes == {'DH103'}
    assert sup.spans == [(2, 2, frozenset({'DH101'})), (5, 6, frozenset({'DH102'}))]
    assert sup.unknown == [(4, 21, 'NOPE')]
    assert sup.hides(Finding('f', 6, 1, 'DH102', 'm'))
    assert not sup.hides(Finding('f', 7, 1, 'DH102', 'm'))
    assert sup.hides(Finding('f', 99, 1, 'DH103', 'm'))
    assert not sup.hides(Finding('f', 2, 1, 'DH102', 'm'))


def test_scan_without_pragmas():
    sup = scan(['FROM python', '# a comment'])
    assert (sup.file_codes, sup.spans, sup.unknown) == (set(), [], [])


def test_yaml_block():
    lines = ['services:', '  web:', '    image: x', '', '    # c', '    ports:', '      - 80',
             '  db:', '    image: y', '  list:', '    - a: 1', '      b: 2', '    - c']
    span = yaml_block(lines)
    assert span(2) == (2, 7)
    assert span(8) == (8, 9)
    assert span(11) == (11, 12)  # a list item owns the lines past its dash
    assert span(1) == (1, 13)
