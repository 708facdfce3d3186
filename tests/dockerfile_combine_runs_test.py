from __future__ import annotations

from pathlib import Path

import pytest
from dockhooks.dockerfile_combine_runs import main
from hookrun import df
from hookrun import run_main


def runs(first: int, last: int, count: int, limit: int = 2, col: int = 1) -> str:
    return (f'{first}:{col}: DH107 {count} consecutive RUN instructions (lines {first}-{last}) '
            f'make {count} layers; join the commands into one RUN with && (at most {limit} '
            f'in a row)')


def run(path: Path, capsys: pytest.CaptureFixture[str], src: str,
        *args: str) -> tuple[int, list[str]]:
    return run_main(main, path, capsys, src, *args)


BASE = 'FROM debian:bookworm-slim'

CASES = (
    (df(BASE, 'RUN a', 'RUN b'), []),  # two in a row are allowed
    (df(BASE, 'RUN a', 'RUN b', 'RUN c'), [runs(2, 4, 3)]),  # three are not
    (df(BASE, 'RUN a', 'RUN b', 'RUN c', 'RUN d', 'RUN e'),
     [runs(2, 6, 5)]),  # one finding for the whole sequence, at its first RUN
    (df(BASE, 'RUN a', 'RUN b', 'ENV X=1', 'RUN c', 'RUN d'),
     []),  # another instruction ends the sequence
    (df(BASE, 'RUN a', 'RUN b', 'RUN c', 'WORKDIR /x', 'RUN d', 'RUN e', 'RUN f'),
     [runs(2, 4, 3), runs(6, 8, 3)]),  # two sequences in one stage
    (df(BASE, 'RUN a', 'RUN b', 'USER app', 'RUN c'), []),  # USER ends it
    (df(BASE, 'RUN a', 'ARG V', 'RUN b', 'RUN c'), []),  # ARG ends it
    (df(BASE, 'RUN a', '# a comment', '', 'RUN b', '# another', 'RUN c'),
     [runs(2, 7, 3)]),  # comments and blank lines do not
    (df(BASE, 'RUN a', 'RUN b', 'FROM alpine:3.20', 'RUN c', 'RUN d'),
     []),  # each stage counts on its own
    (df('FROM debian:bookworm-slim AS build', 'RUN a', 'RUN b', 'RUN c', 'FROM scratch',
        'COPY --from=build /out /out'),
     []),  # a builder stage's layers are thrown away: separate RUNs only cache finer
    (df('FROM debian:bookworm-slim AS base', 'RUN a', 'RUN b', 'RUN c', 'FROM base',
        'CMD ["x"]'),
     [runs(2, 4, 3)]),  # a stage the final stage builds on ships its layers
    (df(BASE, 'RUN a \\', '    && b', 'RUN c \\', '  # note', '    && d', 'RUN e'),
     [runs(2, 7, 3)]),  # continuation lines (with a comment inside) are one RUN each
    (df(BASE, 'RUN <<EOF', 'a', 'b', 'EOF', 'RUN c', 'RUN <<EOF', 'd', 'EOF'),
     [runs(2, 7, 3)]),  # heredoc RUNs count; their bodies are not instructions
    (df(BASE, 'RUN ["a"]', 'RUN ["/bin/sh", "-c", "b && c"]', 'RUN d'),
     [runs(2, 4, 3)]),  # JSON-form RUNs count
    (df(BASE, 'RUN a && b; c || d | e', 'RUN f', 'RUN g'),
     [runs(2, 4, 3)]),  # chained commands are still one RUN
    (df(BASE, 'RUN a', 'RUN b', 'ONBUILD RUN c', 'RUN d', 'RUN e'),
     []),  # ONBUILD RUN is not a layer of this build: it ends the sequence
    (df(BASE, 'ONBUILD RUN a', 'ONBUILD RUN b', 'ONBUILD RUN c'),
     []),  # ONBUILD triggers are not counted
    # --- flags that keep RUNs apart
    (df(BASE, 'RUN a', 'RUN --mount=type=cache,target=/root/.cache b', 'RUN c'),
     []),  # a different --mount breaks the sequence
    (df(BASE, 'RUN --mount=type=cache,target=/root/.cache a',
        'RUN --mount=type=cache,target=/root/.cache b',
        'RUN --mount=type=cache,target=/root/.cache c'),
     [runs(2, 4, 3)]),  # the same --mount does not
    (df(BASE, 'RUN --mount=type=cache,target=/a --mount=type=cache,target=/b x',
        'RUN --mount=type=cache,target=/b --mount=type=cache,target=/a y',
        'RUN --mount=type=cache,target=/a --mount=type=cache,target=/b z'),
     [runs(2, 4, 3)]),  # the same mounts in another order
    (df(BASE, 'RUN --mount=type=secret,id=npm a', 'RUN --mount=type=secret,id=npm b',
        'RUN c'),
     []),  # a secret mount only some RUNs have
    (df(BASE, 'RUN a', 'RUN --network=none b', 'RUN --network=none c'),
     []),  # --network
    (df(BASE, 'RUN --network=none a', 'RUN --network=none b', 'RUN --network=none c'),
     [runs(2, 4, 3)]),  # the same --network
    (df(BASE, 'RUN --security=insecure a', 'RUN b', 'RUN c'),
     []),  # --security
    (df(BASE, 'RUN a', 'RUN b', 'RUN --mount=type=cache,target=/x c', 'RUN d', 'RUN e'),
     []),  # 2 + 1 + 2: no sequence is long enough
    (df(BASE, 'RUN --mount=type=cache,target=/x a', 'RUN b', 'RUN c', 'RUN d'),
     [runs(3, 5, 3)]),  # the sequence starts after the RUN with other flags
    (df(BASE, '  run a', '  run b', '  run c'), [runs(2, 4, 3, col=3)]),  # indented, lower case
)


@pytest.mark.parametrize(('src', 'expected'), CASES)
def test_combine_runs(src, expected, clean_cwd, capsys):
    ret, out = run(clean_cwd / 'Dockerfile', capsys, src)
    assert out == expected
    assert ret == (1 if expected else 0)


FOUR = df(BASE, 'RUN a', 'RUN b', 'RUN c', 'RUN d', 'COPY . .', 'RUN e', 'RUN f')


@pytest.mark.parametrize(('args', 'expected'), (
    ((), [runs(2, 5, 4)]),  # default: at most 2
    (('--max-consecutive', '3'), [runs(2, 5, 4, 3)]),  # at most 3
    (('--max-consecutive=4',), []),  # at most 4
    (('--max-consecutive', '1'), [runs(2, 5, 4, 1), runs(7, 8, 2, 1)]),  # one RUN per layer
))
def test_max_consecutive(args, expected, clean_cwd, capsys):
    ret, out = run(clean_cwd / 'Dockerfile', capsys, FOUR, *args)
    assert out == expected
    assert ret == (1 if expected else 0)


def test_max_consecutive_from_dockhooks_toml(clean_cwd, capsys):
    (clean_cwd / '.dockhooks.toml').write_text('max-consecutive = 4\n')
    assert run(clean_cwd / 'Dockerfile', capsys, FOUR) == (0, [])


def test_max_consecutive_from_pyproject(clean_cwd, capsys):
    (clean_cwd / 'pyproject.toml').write_text('[tool.dockhooks]\nmax-consecutive = 3\n')
    assert run(clean_cwd / 'Dockerfile', capsys, FOUR) == (1, [runs(2, 5, 4, 3)])


def test_command_line_wins_over_config_file(clean_cwd, capsys):
    (clean_cwd / '.dockhooks.toml').write_text('max-consecutive = 4\n')
    ret, out = run(clean_cwd / 'Dockerfile', capsys, FOUR, '--max-consecutive', '3')
    assert (ret, out) == (1, [runs(2, 5, 4, 3)])


def test_explicit_config_file(clean_cwd, capsys):
    conf = clean_cwd / 'lint.toml'
    conf.write_text('max-consecutive = 4\n')
    assert run(clean_cwd / 'Dockerfile', capsys, FOUR, '--config', str(conf)) == (0, [])


def test_max_consecutive_zero_in_config_is_an_error(clean_cwd, capsys):
    (clean_cwd / '.dockhooks.toml').write_text('max-consecutive = 0\n')
    path = clean_cwd / 'Dockerfile'
    path.write_text(FOUR)
    assert main([str(path)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ''
    assert captured.err == (
        'dockerfile-combine-runs: error: max-consecutive must be at least 1, not 0\n'
    )


def test_max_consecutive_zero_on_command_line_is_an_error(clean_cwd, capsys):
    path = clean_cwd / 'Dockerfile'
    path.write_text(FOUR)
    assert main([str(path), '--max-consecutive', '0']) == 2
    captured = capsys.readouterr()
    assert captured.out == ''
    assert 'max-consecutive must be at least 1, not 0' in captured.err


def test_max_consecutive_not_an_integer_in_config(clean_cwd, capsys):
    (clean_cwd / '.dockhooks.toml').write_text('max-consecutive = "3"\n')
    path = clean_cwd / 'Dockerfile'
    path.write_text(FOUR)
    assert main([str(path)]) == 2
    assert 'max-consecutive must be an integer' in capsys.readouterr().err


def test_output_line_is_exact(clean_cwd, capsys):
    path = clean_cwd / 'Dockerfile'
    path.write_text('FROM alpine:3.20\nRUN a\nRUN b\nRUN c\n')
    assert main([str(path)]) == 1
    assert capsys.readouterr().out == (
        f'{path}:2:1: DH107 3 consecutive RUN instructions (lines 2-4) make 3 layers; join the '
        f'commands into one RUN with && (at most 2 in a row)\n'
    )


def test_corpus_proxyhub(clean_cwd, capsys):
    # corpus: vimagick+dockerfiles/proxyhub/Dockerfile (a true finding)
    src = df('FROM ubuntu:14.04',
             'MAINTAINER kev <noreply@easypi.pro>',
             '',
             'RUN apt-get update',
             'RUN apt-get install -y build-essential pdnsd haproxy polipo nginx python',
             'RUN apt-get clean')
    assert run(clean_cwd / 'Dockerfile', capsys, src) == (1, [runs(4, 6, 3)])
