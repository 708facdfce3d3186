from __future__ import annotations

import pytest
from dockhooks import cli
from dockhooks import dockerfile_combine_runs
from dockhooks import dockerfile_pinned_base_image
from dockhooks._suppress import HADOLINT_CODES
from dockhooks._suppress import scan

# DH107 counting RUNs in a row, as hadolint's DL3059 does
SELECT = ('--select', 'DH101,DH102,DH103,DH106,DH107', '--max-consecutive', '2')
APT = 'RUN apt-get update && apt-get install -y --no-install-recommends curl\n'
APK = 'RUN apk add curl\n'
THREE_RUNS = 'RUN a\nRUN b\nRUN c\n'

CASES = (
    # DL3006 / DL3007 -> DH101, on the line above the FROM
    ('# hadolint ignore=DL3006\nFROM python\nUSER app\n', ()),
    ('# hadolint ignore=DL3007\nFROM python:latest\nUSER app\n', ()),
    # only the next instruction
    ('# hadolint ignore=DL3006\nFROM python AS a\nFROM python\nUSER app\n', ('3:1: DH101',)),
    # blank lines and comments in between are skipped, as for dockhooks pragmas
    ('# hadolint ignore=DL3006\n\n# a note\nFROM python\nUSER app\n', ()),
    # several codes, spaces around = and , and a trailing comment
    ('# hadolint ignore=DL3006,DL3008\nFROM python\nUSER app\n', ()),
    ('#hadolint ignore = DL3008 , DL3006\nFROM python\nUSER app\n', ()),
    ('  # hadolint ignore=DL3006 # the mirror pins it\nFROM python\nUSER app\n', ()),
    # not hadolint pragmas (hadolint would not read them either): a reason without '#',
    # lower-case codes, upper-case HADOLINT, no space after hadolint, a trailing comment
    ('# hadolint ignore=DL3006 because\nFROM python\nUSER app\n', ('2:1: DH101',)),
    ('# hadolint ignore=dl3006\nFROM python\nUSER app\n', ('2:1: DH101',)),
    ('# HADOLINT ignore=DL3006\nFROM python\nUSER app\n', ('2:1: DH101',)),
    ('# hadolintignore=DL3006\nFROM python\nUSER app\n', ('2:1: DH101',)),
    ('FROM python # hadolint ignore=DL3006\nUSER app\n', ('1:1: DH101',)),
    # a hadolint code that maps to another rule does not silence this one
    ('# hadolint ignore=DL3002\nFROM python\nUSER app\n', ('2:1: DH101',)),
    # unmapped codes are hadolint's own: silently ignored, no DH002
    ('# hadolint ignore=DL3008,SC2086\nFROM python\nUSER app\n', ('2:1: DH101',)),
    ('# hadolint ignore=DL9999\nFROM python:3.12\nUSER app\n', ()),
    ('# hadolint global ignore=DL3060\nFROM python:3.12\nUSER app\n', ()),
    # global ignore: the whole file, wherever it is
    ('FROM python AS a\nFROM node:latest\nUSER app\n# hadolint global ignore=DL3006,DL3007\n', ()),
    # one dockhooks code covers both DL3006 and DL3007: ignoring either silences DH101 (pinned)
    ('# hadolint global ignore=DL3007\nFROM python AS a\nFROM node:latest\nUSER app\n', ()),
    # DL3002 -> DH102 (the last USER root; also the missing USER of that stage)
    ('FROM python:3.12\n# hadolint ignore=DL3002\nUSER root\n', ()),
    ('FROM python:3.12\nUSER root\n', ('2:1: DH102',)),
    ('# hadolint global ignore=DL3002\nFROM python:3.12\n', ()),
    # DL3064 -> DH103
    ('FROM alpine:3.20\n# hadolint ignore=DL3064\nENV SECRET_KEY=abc\nUSER app\n', ()),
    ('FROM alpine:3.20\nENV SECRET_KEY=abc\nUSER app\n', ('2:1: DH103',)),
    # DL3009, DL3019, DL3032, DL3036, DL3040 -> DH106 (the whole code, for that RUN)
    (f'FROM debian:12\n{APT}USER app\n', ('2:1: DH106',)),
    (f'FROM debian:12\n# hadolint ignore=DL3009\n{APT}USER app\n', ()),
    (f'FROM alpine:3.20\n# hadolint ignore=DL3019\n{APK}USER app\n', ()),
    (f'FROM alpine:3.20\n# hadolint ignore=DL3032\n{APK}USER app\n', ()),
    (f'FROM alpine:3.20\n# hadolint ignore=DL3036\n{APK}USER app\n', ()),
    (f'FROM alpine:3.20\n# hadolint ignore=DL3040\n{APK}USER app\n', ()),
    (f'FROM debian:12\n# hadolint ignore=DL3009\n{APT}{APK}USER app\n', ('4:1: DH106',)),
    (f'# hadolint global ignore=DL3019\nFROM debian:12\n{APT}{APK}USER app\n', ()),
    # DL3059 -> DH107, reported by dockhooks at the first RUN of the sequence: an ignore
    # above any RUN of the sequence silences it
    (f'FROM alpine:3.20\n{THREE_RUNS}USER app\n', ('2:1: DH107',)),
    (f'FROM alpine:3.20\n# hadolint ignore=DL3059\n{THREE_RUNS}USER app\n', ()),
    ('FROM alpine:3.20\nRUN a\n# hadolint ignore=DL3059\nRUN b\nRUN c\nUSER app\n', ()),
    ('FROM alpine:3.20\nRUN a\nRUN b\n# hadolint ignore=DL3059\nRUN c\nUSER app\n', ()),
    ('FROM alpine:3.20\nRUN a \\\n  && x\n# c\nRUN b\n# hadolint ignore=DL3059\nRUN c\nUSER app\n',
     ()),
    # ... but not a sequence that ends before the pragma's RUN
    ('FROM alpine:3.20\nRUN a\nRUN b\nRUN c\nWORKDIR /x\n# hadolint ignore=DL3059\nRUN d\n'
     'USER app\n', ('2:1: DH107',)),
    # ... nor when the pragma's instruction is not a RUN
    ('FROM alpine:3.20\nRUN a\nRUN b\nRUN c\n# hadolint ignore=DL3059\nUSER app\n',
     ('2:1: DH107',)),
    (f'# hadolint global ignore=DL3059\nFROM alpine:3.20\n{THREE_RUNS}USER app\n', ()),
    # DL3059 with another code: each keeps its own span
    (f'FROM debian:12\nRUN a\nRUN b\n# hadolint ignore=DL3059,DL3009\n{APT}USER app\n', ()),
    (f'FROM debian:12\n{APT}RUN b\n# hadolint ignore=DL3059,DL3009\nRUN c\nUSER app\n',
     ('2:1: DH106',)),
    # both kinds of pragma in one file
    ('# dockhooks: ignore=DH101\nFROM python AS a\n# hadolint ignore=DL3006\nFROM python\n'
     'USER app\n', ()),
    ('# hadolint ignore=DL3006\n# dockhooks: ignore=DH999\nFROM python\nUSER app\n',
     ("2:21: DH002",)),
)


@pytest.mark.parametrize(('dockerfile', 'expected'), CASES)
def test_hadolint_pragmas(dockerfile, expected, clean_cwd, capsys):
    (clean_cwd / 'Dockerfile').write_text(dockerfile)
    rc = cli.main(['check', *SELECT, 'Dockerfile'])
    out, err = capsys.readouterr()
    found = tuple(' '.join(line.split(' ')[:2]).replace('Dockerfile:', '')
                  for line in out.splitlines())
    assert (rc, found, err) == (1 if expected else 0, expected, '')


def test_single_hooks_honour_them_too(clean_cwd, capsys):
    (clean_cwd / 'Dockerfile').write_text(
        '# hadolint ignore=DL3006\nFROM python\nRUN a\n# hadolint ignore=DL3059\nRUN b\nRUN c\n')
    assert dockerfile_pinned_base_image.main(['Dockerfile']) == 0
    assert dockerfile_combine_runs.main(['Dockerfile', '--max-consecutive', '2']) == 0
    assert capsys.readouterr() == ('', '')


def test_not_in_compose_files():
    lines = ['services:', '  # hadolint ignore=DL3006', '  api:', '    image: python']
    sup = scan(lines)
    assert (sup.file_codes, sup.spans, sup.unknown) == (set(), [], [])
    assert scan(lines, hadolint=True).spans == [(3, 3, frozenset({'DH101'}))]


def test_mapping_names_only_dockerfile_rules():
    assert set(HADOLINT_CODES.values()) == {'DH101', 'DH102', 'DH103', 'DH106', 'DH107'}
    assert sorted(HADOLINT_CODES) == [
        'DL3002', 'DL3006', 'DL3007', 'DL3009', 'DL3019', 'DL3032', 'DL3036', 'DL3040',
        'DL3059', 'DL3064',
    ]
