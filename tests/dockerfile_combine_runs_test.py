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


def joined(line: int, later: int, change: str, path: str, made: str = 'writes',
           gone: bool = False) -> str:
    then = ('it still ships in this layer' if gone else
            'the image ships it twice, once in each layer')
    return (f'{line}:1: DH107 the RUN on line {later} {change} {path}, which this RUN {made}: '
            f'{then}; do both in one RUN (join lines {line}-{later} with &&)')


BASE = 'FROM debian:bookworm-slim'

# --------------------------------------------------------------------------- evidence

# By default a run of RUNs is reported only where a later RUN undoes or redoes what an
# earlier one made: the layers then ship the same bytes twice, or bytes that are gone.
EVIDENCE = (
    (df(BASE, 'RUN curl -fsSL -o /tmp/go.tgz https://go.dev/dl/go.tgz',
        'RUN tar -C /usr/local -xzf /tmp/go.tgz', 'RUN rm /tmp/go.tgz'),
     [joined(2, 4, 'removes', '/tmp/go.tgz', gone=True)]),  # download, extract, remove
    (df(BASE, 'WORKDIR /tmp', 'RUN wget https://example.com/x/tool.tar.gz',
        'RUN rm -rf /tmp/*'),
     [joined(3, 4, 'removes', '/tmp/tool.tar.gz', gone=True)]),  # wget's file, a glob
    (df(BASE, 'RUN git clone https://github.com/a/tool.git /src/tool',
        'RUN rm -rf /src/tool'),
     [joined(2, 3, 'removes', '/src/tool', gone=True)]),  # a clone
    (df(BASE, 'RUN cd /opt && git clone https://github.com/a/tool', 'RUN rm -r /opt/tool'),
     [joined(2, 3, 'removes', '/opt/tool', gone=True)]),  # a clone named by its repository
    (df(BASE, 'RUN curl -o /usr/local/bin/tool https://example.com/tool',
        'RUN chmod +x /usr/local/bin/tool'),
     [joined(2, 3, 'changes the mode of', '/usr/local/bin/tool')]),  # chmod re-ships it
    (df(BASE, 'RUN mkdir -p /var/log/app && touch /var/log/app/app.log',
        'RUN chown -R app:app /var/log/app'),
     [joined(2, 3, 'changes the owner of', '/var/log/app', made='makes')]),  # chown -R
    (df(BASE, 'RUN echo "a" > /etc/app.conf', "RUN sed -i 's/a/b/' /etc/app.conf"),
     [joined(2, 3, 'rewrites', '/etc/app.conf')]),  # sed -i
    (df(BASE, 'RUN echo "vm.x=1" >> /etc/sysctl.d/99.conf',
        'RUN echo "vm.y=2" >> /etc/sysctl.d/99.conf'),
     [joined(2, 3, 'rewrites', '/etc/sysctl.d/99.conf')]),  # appending twice
    (df(BASE, 'RUN echo a > /root/.bashrc', 'RUN echo b >> /root/.bashrc',
        'RUN echo c >> /root/.bashrc'),
     [joined(2, 3, 'rewrites', '/root/.bashrc').replace('lines 2-3', 'lines 2-4')]),
    # ... every RUN of the run that changes it belongs in the one RUN
    (df(BASE, 'RUN curl -o /tmp/a https://x/a', 'RUN tar -xf /tmp/a -C /opt || true',
        'RUN rm /tmp/a'),
     [joined(2, 4, 'removes', '/tmp/a', gone=True).replace(
         'with &&)', 'with &&, in ( ) where a RUN uses || or ;)')]),  # || keeps its meaning
    (df(BASE, 'RUN curl -o /tmp/tool https://example.com/tool', 'RUN mv /tmp/tool /usr/bin/'),
     [joined(2, 3, 'moves', '/tmp/tool', gone=True)]),  # moved away
    (df('FROM alpine:3.20', 'RUN apk add --no-cache --virtual .build gcc musl-dev',
        'RUN make -C /src install', 'RUN apk del .build'),
     ['2:1: DH107 the RUN on line 4 removes .build, which this RUN installs: it still ships in '
      'this layer; install, use and remove it in one RUN (join lines 2-4 with &&)']),
    (df(BASE, 'RUN apt-get install -y curl git', 'RUN git clone x /x',
        'RUN apt-get purge -y curl git'),
     ['2:1: DH107 the RUN on line 4 removes curl, git, which this RUN installs: they still '
      'ship in this layer; install, use and remove them in one RUN (join lines 2-4 with &&)']),
    # ... and not where every RUN does a job of its own
    (df(BASE, 'RUN useradd app', 'RUN mkdir /data', 'RUN echo 1.0 > /VERSION'), []),
    (df(BASE, 'RUN mkdir /a', 'RUN chown app /b'), []),  # another path
    (df(BASE, 'RUN mkdir /usr/local/lib/x', 'RUN chmod -R 755 /usr/local/bin'),
     []),  # a sibling, not a parent
    (df(BASE, 'RUN chmod +x /usr/local/bin/*', 'RUN echo done'), []),  # files from elsewhere
    (df(BASE, 'RUN apt-get update && apt-get install -y curl',
        'RUN rm -rf /var/lib/apt/lists/*'),
     []),  # package lists: DH106 tells that one
    (df(BASE, 'RUN curl -o /tmp/a.tgz https://x/a.tgz', 'COPY x /x', 'RUN rm /tmp/a.tgz'),
     []),  # another instruction between: they cannot simply be joined
    (df('FROM debian:bookworm-slim AS build', 'RUN curl -o /tmp/a https://x/a',
        'RUN rm /tmp/a', 'FROM scratch', 'COPY --from=build /out /out'),
     []),  # a builder stage's layers are thrown away
    (df(BASE, 'RUN curl -o "$DEST" https://x/a', 'RUN rm "$DEST"'),
     []),  # a path whose variable cannot be known
    (df(BASE, 'ARG DEST=/tmp/a', 'RUN curl -o "$DEST" https://x/a', 'RUN rm /tmp/a'),
     [joined(3, 4, 'removes', '/tmp/a', gone=True)]),  # ... or can
    (df(BASE, 'RUN curl -o /tmp/a https://x/a', 'RUN --mount=type=cache,target=/c rm /tmp/a'),
     []),  # different flags: not one RUN as written
)


@pytest.mark.parametrize(('src', 'expected'), EVIDENCE)
def test_evidence(src, expected, clean_cwd, capsys):
    ret, out = run(clean_cwd / 'Dockerfile', capsys, src)
    assert out == expected
    assert ret == (1 if expected else 0)


# --------------------------------------------------------------------------- counting

# With --max-consecutive N, any run longer than N is reported too.
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
    ret, out = run(clean_cwd / 'Dockerfile', capsys, src, '--max-consecutive', '2')
    assert out == expected
    assert ret == (1 if expected else 0)


FOUR = df(BASE, 'RUN a', 'RUN b', 'RUN c', 'RUN d', 'COPY . .', 'RUN e', 'RUN f')


@pytest.mark.parametrize(('args', 'expected'), (
    ((), []),  # default: runs are not counted
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
    assert main([str(path), '--max-consecutive', '2']) == 1
    assert capsys.readouterr().out == (
        f'{path}:2:1: DH107 3 consecutive RUN instructions (lines 2-4) make 3 layers; join the '
        f'commands into one RUN with && (at most 2 in a row)\n'
    )
    path = clean_cwd / 'app.Dockerfile'  # (a file is parsed once per process)
    path.write_text('FROM alpine:3.20\nRUN wget -O /tmp/a https://x/a\nRUN rm /tmp/a\n')
    assert main([str(path)]) == 1
    assert capsys.readouterr().out == (
        f'{path}:2:1: DH107 the RUN on line 3 removes /tmp/a, which this RUN writes: it still '
        f'ships in this layer; do both in one RUN (join lines 2-3 with &&)\n'
    )


def test_corpus_proxyhub(clean_cwd, capsys):
    # corpus: vimagick+dockerfiles/proxyhub/Dockerfile (a true finding)
    src = df('FROM ubuntu:14.04',
             'MAINTAINER kev <noreply@easypi.pro>',
             '',
             'RUN apt-get update',
             'RUN apt-get install -y build-essential pdnsd haproxy polipo nginx python',
             'RUN apt-get clean')
    assert run(clean_cwd / 'Dockerfile', capsys, src, '--max-consecutive', '2') == (
        1, [runs(4, 6, 3)])
