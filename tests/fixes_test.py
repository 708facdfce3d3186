"""Fixes (``_fixes`` and the rules that attach them): exact bytes before and after, what is
never fixed, line ends and comments kept, idempotence, --diff, and the exit status."""
from __future__ import annotations

import pytest
from dockhooks import cli
from dockhooks import dockerfile_clean_package_install as dh106
from dockhooks import dockerfile_combine_runs as dh107
from dockhooks._hook import _PARSED

DEB = 'FROM debian:bookworm-slim\n'
APP = 'CMD ["app"]\n'


def _fix(capsys, main, path, *args):
    _PARSED.clear()  # each file is parsed once per process: these tests change them
    rc = main([*args, str(path)])
    out, err = capsys.readouterr()
    return rc, out, err


# --------------------------------------------------------------------------- DH106 (safe)

DH106_FIXES = (
    # apt: the lists removed in the RUN that fetched them
    (DEB + 'RUN apt-get update && apt-get install -y curl\n' + APP,
     DEB + 'RUN apt-get update && apt-get install -y curl \\\n'
           '    && rm -rf /var/lib/apt/lists/*\n' + APP),
    (DEB + 'RUN apt-get update \\\n  && apt-get install -y curl\n' + APP,
     DEB + 'RUN apt-get update \\\n  && apt-get install -y curl \\\n'
           '  && rm -rf /var/lib/apt/lists/*\n' + APP),  # the RUN's own indentation
    ('FROM rockylinux:9\nRUN yum install -y git\n' + APP,
     'FROM rockylinux:9\nRUN yum install -y git \\\n    && yum clean all\n' + APP),
    ('FROM opensuse/leap:15.6\nRUN zypper install -y git\n' + APP,
     'FROM opensuse/leap:15.6\nRUN zypper install -y git \\\n    && zypper clean --all\n'
     + APP),
    # apk: --no-cache, and the update it makes needless dropped
    ('FROM alpine:3.20\nRUN apk update && apk add curl\n' + APP,
     'FROM alpine:3.20\nRUN apk add --no-cache curl\n' + APP),
    ('FROM alpine:3.20\nRUN apk add --virtual .b gcc && make && apk del .b\n' + APP,
     'FROM alpine:3.20\nRUN apk add --no-cache --virtual .b gcc && make && apk del .b\n'
     + APP),
    ('FROM alpine:3.20\nRUN apk update\nRUN apk add --no-cache curl\n' + APP,
     'FROM alpine:3.20\nRUN apk add --no-cache curl\n' + APP),  # a RUN that only updates
    # comments and other lines stay as they are
    (DEB + '# tools\nRUN apt-get update && apt-get install -y curl  # trailing\n' + APP,
     None),  # a comment at the end of the RUN's line: not a place to append to
    # a later `rm` without -f of what the fix empties would fail the build: not fixed
    ('FROM alpine:3.20\nRUN apk add curl\nRUN rm /var/cache/apk/*\n' + APP, None),
    (DEB + 'RUN apt-get update && apt-get install -y curl\nRUN rm -r /var/lib/apt/lists/*\n'
     + APP, None),
    ('FROM alpine:3.20\nRUN apk add curl\nRUN rm -rf /var/cache/apk/*\n' + APP,
     'FROM alpine:3.20\nRUN apk add --no-cache curl\nRUN rm -rf /var/cache/apk/*\n' + APP),
    (DEB + '# tools\nRUN apt-get update && apt-get install -y curl\n# done\n' + APP,
     DEB + '# tools\nRUN apt-get update && apt-get install -y curl \\\n'
           '    && rm -rf /var/lib/apt/lists/*\n# done\n' + APP),
)


@pytest.mark.parametrize(('before', 'after'), DH106_FIXES)
def test_dh106_fixes(before, after, clean_cwd, capsys):
    path = clean_cwd / 'Dockerfile'
    path.write_text(before)
    rc, out, err = _fix(capsys, dh106.main, path, '--fix')
    if after is None:
        assert (path.read_text(), err) == (before, '')
        return
    assert (path.read_text(), err) == (after, f'Fixing {path}\n')
    assert rc == 1  # a file written: the commit must be retried
    # idempotent: a second run finds nothing left to fix, and writes nothing
    rc, out, err = _fix(capsys, dh106.main, path, '--fix')
    assert (rc, out, err, path.read_text()) == (0, '', '', after)


def test_dh106_the_lists_later_installs_use_are_not_removed(clean_cwd, capsys):
    path = clean_cwd / 'Dockerfile'
    before = DEB + 'RUN apt-get update && apt-get install -y curl\nRUN apt-get install -y git\n'
    path.write_text(before + APP)
    rc, out, err = _fix(capsys, dh106.main, path, '--fix')
    assert (rc, path.read_text(), err) == (1, before + APP, '')
    assert 'the install on line 3 uses them' in out


def test_dh106_a_lone_update_moves_only_with_unsafe_fixes(clean_cwd, capsys):
    path = clean_cwd / 'Dockerfile'
    before = DEB + 'RUN apt-get update\nRUN apt-get install -y curl\n' + APP
    path.write_text(before)
    rc, out, err = _fix(capsys, dh106.main, path, '--fix')
    assert (rc, path.read_text(), err) == (1, before, '')  # reported, not fixed
    rc, out, err = _fix(capsys, dh106.main, path, '--fix', '--unsafe-fixes')
    # moved into the install, then its lists removed: one run leaves nothing to fix
    assert (rc, out, path.read_text()) == (
        1, '', DEB + 'RUN apt-get update && apt-get install -y curl \\\n'
                     '    && rm -rf /var/lib/apt/lists/*\n' + APP)


def test_crlf_bom_and_no_final_newline_are_kept(clean_cwd, capsys):
    path = clean_cwd / 'Dockerfile'
    path.write_bytes(b'\xef\xbb\xbfFROM alpine:3.20\r\nRUN apk add curl\r\nCMD ["app"]')
    rc, _, _ = _fix(capsys, dh106.main, path, '--fix')
    assert (rc, path.read_bytes()) == (
        1, b'\xef\xbb\xbfFROM alpine:3.20\r\nRUN apk add --no-cache curl\r\nCMD ["app"]')
    path.write_bytes(b'FROM debian:12\r\nRUN apt-get update && apt-get install -y x\r\n')
    _fix(capsys, dh106.main, path, '--fix')
    assert path.read_bytes() == (b'FROM debian:12\r\nRUN apt-get update && apt-get install '
                                 b'-y x \\\r\n    && rm -rf /var/lib/apt/lists/*\r\n')


def test_json_form_heredocs_and_escape_directive(clean_cwd, capsys):
    for name, text in (
        ('a.Dockerfile', DEB + 'RUN ["apt-get", "install", "-y", "x"]\n' + APP),
        ('b.Dockerfile', DEB + 'RUN <<EOF\napt-get update\napt-get install -y x\nEOF\n' + APP),
    ):
        path = clean_cwd / name
        path.write_text(text)
        _fix(capsys, dh106.main, path, '--fix')
        assert path.read_text() == text  # not edited
    path = clean_cwd / 'c.Dockerfile'
    path.write_text('# escape=`\nFROM debian:12\nRUN apt-get update && apt-get install -y x\n')
    _fix(capsys, dh106.main, path, '--fix')
    assert path.read_text() == ('# escape=`\nFROM debian:12\n'
                                'RUN apt-get update && apt-get install -y x `\n'
                                '    && rm -rf /var/lib/apt/lists/*\n')


def test_diff_writes_nothing(clean_cwd, capsys):
    path = clean_cwd / 'Dockerfile'
    before = 'FROM alpine:3.20\nRUN apk add curl\n' + APP
    path.write_text(before)
    rc, out, err = _fix(capsys, dh106.main, path, '--diff')
    assert (rc, err, path.read_text()) == (1, '', before)
    assert out == (f'--- a/{path}\n+++ b/{path}\n@@ -1,3 +1,3 @@\n FROM alpine:3.20\n'
                   f'-RUN apk add curl\n+RUN apk add --no-cache curl\n CMD ["app"]\n')


def test_suppressed_findings_are_not_fixed(clean_cwd, capsys):
    path = clean_cwd / 'Dockerfile'
    before = 'FROM alpine:3.20\n# dockhooks: ignore=DH106\nRUN apk add curl\n' + APP
    path.write_text(before)
    assert _fix(capsys, dh106.main, path, '--fix')[0] == 0
    assert path.read_text() == before


# --------------------------------------------------------------------------- DH107 (unsafe)

DH107_FIXES = (
    (DEB + 'RUN curl -o /tmp/a.tgz https://x/a.tgz\nRUN tar -xzf /tmp/a.tgz -C /opt\n'
     'RUN rm /tmp/a.tgz\n' + APP,
     DEB + 'RUN curl -o /tmp/a.tgz https://x/a.tgz \\\n    && tar -xzf /tmp/a.tgz -C /opt \\\n'
           '    && rm /tmp/a.tgz\n' + APP),
    # a RUN that changes the shell's state runs in a subshell; comments between are kept
    (DEB + 'RUN wget -O /tmp/a https://x/a\n# unpack\nRUN cd /tmp && \\\n    tar -xf a\n'
     'RUN rm /tmp/a\n' + APP,
     DEB + 'RUN wget -O /tmp/a https://x/a \\\n# unpack\n    && ( cd /tmp && \\\n'
           '    tar -xf a ) \\\n    && rm /tmp/a\n' + APP),
    (DEB + 'RUN curl -o /tmp/a https://x/a; echo got\nRUN rm /tmp/a\n' + APP,
     DEB + 'RUN ( curl -o /tmp/a https://x/a; echo got ) \\\n    && rm /tmp/a\n' + APP),
    # never across a blank line or a pragma
    (DEB + 'RUN curl -o /tmp/a https://x/a\n\nRUN rm /tmp/a\n' + APP, None),
    (DEB + 'RUN curl -o /tmp/a https://x/a\n# dockhooks: ignore=DH101\nRUN rm /tmp/a\n'
     + APP, None),
)


@pytest.mark.parametrize(('before', 'after'), DH107_FIXES)
def test_dh107_fixes_are_unsafe(before, after, clean_cwd, capsys):
    path = clean_cwd / 'Dockerfile'
    path.write_text(before)
    assert _fix(capsys, dh107.main, path, '--fix')[0] == 1  # reported
    assert path.read_text() == before  # but not fixed without --unsafe-fixes
    rc, out, err = _fix(capsys, dh107.main, path, '--fix', '--unsafe-fixes')
    assert path.read_text() == (before if after is None else after)
    if after is not None:
        assert (rc, out, err) == (1, '', f'Fixing {path}\n')
        assert _fix(capsys, dh107.main, path, '--fix', '--unsafe-fixes')[0] == 0


def test_check_fixes_with_every_rule_and_reports_to_stderr(clean_cwd, capsys):
    path = clean_cwd / 'Dockerfile'
    path.write_text('FROM alpine:3.20\nRUN apk add curl\nUSER app\n' + APP)
    _PARSED.clear()
    rc = cli.main(['check', '--fix', '--format', 'json', 'Dockerfile'])
    out, err = capsys.readouterr()
    assert (rc, err) == (1, 'Fixing Dockerfile\n')
    assert out.startswith('{')  # stdout stays a JSON document
    assert path.read_text() == 'FROM alpine:3.20\nRUN apk add --no-cache curl\nUSER app\n' + APP


# --------------------------------------------------------------------------- compose (unsafe)

COMPOSE_FIXES = (
    # DH202: the short list in the long form, the conditions each dependency needs
    ('DH202',
     'services:\n  app:\n    image: ex/app:1.0\n    environment:\n      DB_HOST: db\n'
     '    depends_on:\n      - db\n      - cache\n  db:\n    image: postgres:16\n'
     '    healthcheck:\n      test: ["CMD", "pg_isready"]\n  cache:\n    image: redis:7\n',
     'services:\n  app:\n    image: ex/app:1.0\n    environment:\n      DB_HOST: db\n'
     '    depends_on:\n      db:\n        condition: service_healthy\n      cache:\n'
     '        condition: service_started\n  db:\n    image: postgres:16\n'
     '    healthcheck:\n      test: ["CMD", "pg_isready"]\n  cache:\n    image: redis:7\n'),
    ('DH202',  # a flow list, four-space indentation
     'services:\n    app:\n        image: ex/app:1.0\n        command: ["app", "--db", "db"]\n'
     '        depends_on: [db]\n    db:\n        image: postgres:16\n        healthcheck:\n'
     '            test: ["CMD", "pg_isready"]\n',
     'services:\n    app:\n        image: ex/app:1.0\n        command: ["app", "--db", "db"]\n'
     '        depends_on:\n            db:\n                condition: service_healthy\n'
     '    db:\n        image: postgres:16\n        healthcheck:\n'
     '            test: ["CMD", "pg_isready"]\n'),
    ('DH202',  # a comment in the list: not rewritten
     'services:\n  app:\n    image: ex/app:1.0\n    environment:\n      DB_HOST: db\n'
     '    depends_on:\n      # the database\n      - db\n  db:\n    image: postgres:16\n'
     '    healthcheck:\n      test: ["CMD", "pg_isready"]\n', None),
    # DH203: the tool behind a profile
    ('DH203',
     'services:\n  app:\n    image: ex/app:1.0  # the app\n  adminer:\n    image: adminer:4\n',
     'services:\n  app:\n    image: ex/app:1.0  # the app\n  adminer:\n'
     '    profiles: ["debug"]\n    image: adminer:4\n'),
    ('DH203', 'services:\n  app:\n    image: ex/app:1.0\n  adminer: {image: "adminer:4"}\n',
     None),  # flow style: left as it is
    # DH205: read_only, and tmpfs where what the image writes is known in full
    ('DH205', 'services:\n  web:\n    image: nginx:1.27\n',
     'services:\n  web:\n    read_only: true\n    tmpfs:\n      - /var/cache/nginx\n'
     '      - /var/run\n      - /tmp\n    image: nginx:1.27\n'),
    ('DH205', 'services:\n  app:\n    image: ex/app:1.0\n', None),  # unknown image: left
    # ... its healthcheck runs in the same root: MinIO's `mc ready local` saves mc's
    # configuration in MC_CONFIG_DIR (/tmp/.mc in its images), so /tmp is written too
    ('DH205', 'services:\n  s3:\n    image: minio/minio:RELEASE.2025-01-01T00-00-00Z\n'
     '    command: server /data\n    volumes: [data:/data]\n    healthcheck:\n'
     '      test: ["CMD", "mc", "ready", "local"]\n',
     'services:\n  s3:\n    read_only: true\n    tmpfs:\n      - /root/.minio\n      - /tmp\n'
     '    image: minio/minio:RELEASE.2025-01-01T00-00-00Z\n    command: server /data\n'
     '    volumes: [data:/data]\n    healthcheck:\n      test: ["CMD", "mc", "ready", "local"]\n'),
)


@pytest.mark.parametrize(('code', 'before', 'after'), COMPOSE_FIXES)
def test_compose_fixes_are_unsafe(code, before, after, clean_cwd, capsys):
    path = clean_cwd / 'compose.yaml'
    path.write_text(before)
    _PARSED.clear()
    assert cli.main(['check', '--select', code, '--fix', 'compose.yaml']) == 1
    assert path.read_text() == before  # reported, not fixed without --unsafe-fixes
    _PARSED.clear()
    rc = cli.main(['check', '--select', code, '--fix', '--unsafe-fixes', 'compose.yaml'])
    out, err = capsys.readouterr()
    assert path.read_text() == (before if after is None else after)
    if after is None:  # nothing it may fix: the finding is still reported
        assert (rc, err) == (1, '')
        assert f' {code} ' in out
    else:
        assert (rc, err.splitlines()[-1]) == (1, 'Fixing compose.yaml')
        _PARSED.clear()
        assert cli.main(['check', '--select', code, '--fix', '--unsafe-fixes',
                         'compose.yaml']) == 0
        assert path.read_text() == after


def test_debug_profile_is_configurable(clean_cwd, capsys):
    path = clean_cwd / 'compose.yaml'
    path.write_text('services:\n  app:\n    image: ex/app:1.0\n'
                    '  mailpit:\n    image: axllent/mailpit:v1.20\n')
    _PARSED.clear()
    cli.main(['check', '--select', 'DH203', '--fix', '--unsafe-fixes', '--debug-profile',
              'tools', 'compose.yaml'])
    capsys.readouterr()
    assert path.read_text() == ('services:\n  app:\n    image: ex/app:1.0\n'
                                '  mailpit:\n    profiles: ["tools"]\n'
                                '    image: axllent/mailpit:v1.20\n')


def test_compose_fixes_keep_crlf_bom_and_comments(clean_cwd, capsys):
    path = clean_cwd / 'compose.yaml'
    path.write_bytes(b'\xef\xbb\xbfservices:\r\n  db:\r\n    image: postgres:16\r\n'
                     b'  # the admin, for a look at the data\r\n  pgadmin:\r\n'
                     b'    image: dpage/pgadmin4:8.12  # pinned\r\n')
    _PARSED.clear()
    assert cli.main(['check', '--select', 'DH203,DH205', '--fix', '--unsafe-fixes',
                     'compose.yaml']) == 1
    capsys.readouterr()
    assert path.read_bytes() == (
        b'\xef\xbb\xbfservices:\r\n  db:\r\n    read_only: true\r\n    tmpfs:\r\n'
        b'      - /var/run/postgresql\r\n      - /tmp\r\n    image: postgres:16\r\n'
        b'  # the admin, for a look at the data\r\n  pgadmin:\r\n    profiles: ["debug"]\r\n'
        b'    image: dpage/pgadmin4:8.12  # pinned\r\n')
