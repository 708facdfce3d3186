from __future__ import annotations

import pytest
from dockhooks.dockerfile_non_root_user import is_root
from dockhooks.dockerfile_non_root_user import main
from hookrun import assert_findings

USERADD = 'RUN useradd --create-home --uid 10001 appuser, then USER appuser'
ADDUSER = 'RUN adduser -D -u 10001 appuser, then USER appuser'
END = 'at the end of the final stage'


def _no_user(pos: str, alias: str | None = None, base: str = 'python', how: str = USERADD,
             where: str = END) -> str:
    name = f'final stage {alias!r}' if alias else 'final stage'
    return (f'{pos}: DH102 the {name} has no USER and its base image {base} runs as root, so '
            f'the container does too; add {how} {where}')


def _root(pos: str, shown: str, how: str = USERADD, where: str = END) -> str:
    return (f'{pos}: DH102 the image runs as root: USER {shown} is the last USER of the final '
            f'stage; end it as a non-root user instead: add {how} {where}')


CASES = (
    # no USER at all: reported at the final FROM
    ('FROM python:3.13-slim\nCOPY . /app\nCMD ["python", "/app/main.py"]\n',
     (_no_user('1:1', where='before CMD (line 3)'),)),
    ('  from python:3.13-slim\n  cmd ["app"]\n', (_no_user('1:3', where='before CMD (line 2)'),)),
    ('FROM python:3.13-slim AS Final\nCMD ["app"]\n',
     (_no_user('1:1', 'final', where='before CMD (line 2)'),)),  # alias lower-cased
    # an image that sets no command of its own is a base or toolbox: the image built on it,
    # which sets the command, is the one judged
    ('FROM python:3.13-slim\nRUN pip install poetry\n', ()),
    # a non-root user
    ('FROM python:3.13-slim\nRUN useradd -m appuser\nUSER appuser\n', ()),
    ('FROM python:3.13-slim\nUSER 10001:10001\n', ()),
    ('FROM python:3.13-slim\nUSER app:root\n', ()),  # only the user part matters
    # root, by name or id, with a group, quoted
    ('FROM python:3.13-slim\nUSER root\n', (_root('2:1', 'root'),)),
    ('FROM python:3.13-slim\nUSER 0\n', (_root('2:1', '0'),)),
    ('FROM python:3.13-slim\nUSER root:root\n', (_root('2:1', 'root:root'),)),
    ('FROM python:3.13-slim\nUSER 0:0\n', (_root('2:1', '0:0'),)),
    ('FROM python:3.13-slim\nUSER "root"\n', (_root('2:1', '"root"'),)),
    ("FROM python:3.13-slim\nUSER 'root'\n", (_root('2:1', "'root'"),)),
    # the last USER counts
    ('FROM python:3.13-slim\nUSER app\nUSER root\n', (_root('3:1', 'root'),)),
    ('FROM python:3.13-slim\nUSER root\nRUN apt-get update\nUSER app\n', ()),
    # an ARG or ENV whose value is known
    ('FROM python:3.13-slim\nARG U=root\nUSER $U\n',  # the default to change is the ARG's
     ('3:1: DH102 the image runs as root: USER $U (= root) is the last USER of the final stage '
      'and its value is the default of ARG U on line 2; give that ARG a non-root default '
      '(e.g. 10001)',)),
    ('FROM python:3.13-slim\nENV U=0\nUSER ${U}\n', (_root('3:1', '${U} (= 0)'),)),
    ('FROM python:3.13-slim\nARG UID\nUSER ${UID:-0}\n', (_root('3:1', '${UID:-0} (= 0)'),)),
    ('FROM python:3.13-slim\nARG U=app\nUSER $U\n', ()),
    # a USER whose value cannot be known is not judged
    ('FROM python:3.13-slim\nARG U\nUSER $U\n', ()),
    ('FROM python:3.13-slim\nUSER $UNDECLARED\n', ()),
    # builder stages may run as root
    ('FROM golang:1.22 AS build\nUSER root\nFROM python:3.13-slim\nUSER app\n', ()),
    # ... but a USER in a builder stage does not make the final stage non-root
    ('FROM golang:1.22 AS build\nUSER app\nFROM python:3.13-slim\nCMD ["app"]\n',
     (_no_user('3:1', where='before CMD (line 4)'),)),
    # a last stage for tests or development is not what is pushed: the stage before it is
    ('FROM golang:1.22 AS runtime\nUSER app\nFROM golang:1.22 AS test\nRUN go test\n', ()),
    ('FROM golang:1.22 AS runtime\nCMD ["app"]\nFROM golang:1.22 AS test\nRUN go test\n',
     (_no_user('1:1', 'runtime', 'golang', where='before CMD (line 2)'),)),
    # FROM <stage> inherits the stage's USER
    ('FROM python:3.13-slim AS base\nUSER app\nFROM base AS final\nRUN echo hi\n', ()),
    ('FROM python:3.13-slim AS base\nUSER app\nFROM BASE\n', ()),
    ('FROM python:3.13-slim AS base\nUSER root\nFROM base\n', (_root('2:1', 'root'),)),
    ('FROM python:3.13-slim AS base\nFROM base AS final\nCMD ["app"]\n',
     (_no_user('2:1', 'final', where='before CMD (line 3)'),)),
    # gosu / su-exec drop to a user in the entrypoint (the official database images)
    ('FROM debian:bookworm\nRUN apt-get install -y gosu\n', ()),
    ('FROM alpine:3.20\nRUN set -eux; \\\n    apk add --no-cache su-exec\n', ()),
    ('FROM debian:bookworm\nRUN <<EOF\napt-get install -y gosu\nEOF\n', ()),
    ('FROM debian:bookworm AS base\nRUN apt-get install -y gosu\nFROM base\n', ()),
    # in a builder stage, gosu does not help the final stage
    ('FROM debian:bookworm AS build\nRUN apt-get install -y gosu\nFROM debian:bookworm\n'
     'CMD ["app"]\n', (_no_user('3:1', base='debian', where='before CMD (line 4)'),)),
    # an explicit USER root with gosu installed is root on purpose: the entrypoint steps down
    ('FROM debian:bookworm\nRUN apt-get install -y gosu\nUSER root\n', ()),
    # ... and so is a program that needs root to start what it runs, or that is handed the
    # user to switch to
    ('FROM debian:bookworm\nCMD ["/usr/bin/supervisord", "-n"]\n', ()),
    ('FROM docker:29-dind\nENTRYPOINT ["dockerd-entrypoint.sh"]\n', ()),
    ('FROM alpine:3.20\nUSER root\nCMD ["crond", "-f"]\n', ()),
    ('FROM debian:bookworm\nRUN useradd pihole\nENV DNSMASQ_USER=pihole\n'
     'CMD ["/start.sh"]\n', ()),
    # gosu fetched by a stage the final stage copies from
    ('FROM debian:bookworm AS deps\nRUN apt-get download gosu curl\n'
     'FROM debian:bookworm\nCOPY --from=deps /debs /debs\nCMD ["app"]\n', ()),
    ('FROM debian:bookworm\nRUN echo gosumo\nCMD ["app"]\n',  # a whole word only
     (_no_user('1:1', base='debian', where='before CMD (line 3)'),)),
    # base images known to run as a non-root user
    ('FROM gcr.io/distroless/static:nonroot\n', ()),
    ('FROM gcr.io/distroless/static-debian12:debug-nonroot\n', ()),
    ('FROM gcr.io/distroless/python3-debian12:nonroot\nCOPY . /app\n', ()),
    ('FROM cgr.dev/chainguard/python:latest\n', ()),
    ('FROM bitnami/nginx:1.25\n', ()),
    ('FROM nginxinc/nginx-unprivileged:1.27-alpine\n', ()),
    ('FROM gcr.io/distroless/static:latest\nCOPY app /\nENTRYPOINT ["/app"]\n',  # not nonroot
     (_no_user('1:1', base='gcr.io/distroless/static',
               how='the :nonroot tag of the base image (FROM gcr.io/distroless/static:nonroot'
                   '; it runs as 65532), or USER 65532:65532',
               where='before ENTRYPOINT (line 3)'),)),
    ('ARG BASE=gcr.io/distroless/static:nonroot\nFROM ${BASE}\n', ()),
    # a final stage whose base image cannot be known is not judged
    ('ARG BASE\nFROM $BASE\n', ()),
    ('ARG BASE\nFROM $BASE AS base\nFROM base\n', ()),
    # scratch has no users: the process runs as uid 0 (a numeric USER needs no account)
    ('FROM scratch\nCOPY app /app\nENTRYPOINT ["/app"]\n',
     (_no_user('1:1', base='scratch', how='USER 65532:65532 (a numeric user needs no account, '
               'and the image has no tool to create one)', where='before ENTRYPOINT (line 3)'),)),
    ('FROM scratch\nCOPY data /data\n', ()),  # files only: nothing runs
    # pinned: a USER without a value (Docker rejects it) is ignored
    ('FROM python:3.13-slim\nUSER\nCMD ["app"]\n',
     (_no_user('1:1', where='before CMD (line 3)'),)),
    # USER inside a heredoc body is not an instruction
    ('FROM alpine:3.20\nCOPY <<EOF /etc/x\nUSER app\nEOF\nCMD ["/app"]\n',
     (_no_user('1:1', base='alpine', how=ADDUSER, where='before CMD (line 5)'),)),
    ('FROM alpine:3.20\nRUN <<EOF\nadduser -D app\nEOF\nCOPY <<EOF /x\nUSER root\nEOF\nUSER app\n',
     ()),
    # an ONBUILD USER runs in a child image, not in this one
    ('FROM python:3.13-slim\nUSER app\nONBUILD USER root\n', ()),
    # no stage at all
    ('ARG DEBIAN_FRONTEND=noninteractive\n', ()),
    # a digest does not change how the tag is read
    ('FROM gcr.io/distroless/static-debian12:nonroot@sha256:' + 'a' * 64 + '\n'
     'COPY app /\nENTRYPOINT ["/app"]\n', ()),
    ('FROM docker.io/grafana/k6:0.52.0\nCOPY s.js /\n', ()),  # k6 runs as uid 12345
    # gosu or su-exec: installed from an ARG package list, downloaded, copied from an image
    ('FROM debian:bookworm\nARG PKGS="curl gosu"\nRUN apt-get install -y $PKGS\n'
     'ENTRYPOINT ["e.sh"]\n', ()),
    ('FROM debian:bookworm\nCOPY --from=tianon/gosu:1.17 /gosu /usr/local/bin/\n'
     'ENTRYPOINT ["e.sh"]\n', ()),
    ('FROM debian:bookworm\nRUN curl -fsSLo /usr/local/bin/gosu https://x/gosu && '
     'chmod +x /usr/local/bin/gosu\nENTRYPOINT ["e.sh"]\n', ()),
    # ... while a RUN that only mentions or removes it drops nothing
    ('FROM debian:bookworm\nRUN apt-get purge -y gosu\nENTRYPOINT ["e.sh"]\n',
     (_no_user('1:1', base='debian', where='before ENTRYPOINT (line 3)'),)),
    ('FROM debian:bookworm\nRUN apt-get install -y gosu && apt-get purge -y gosu\n'
     'CMD ["app"]\n', (_no_user('1:1', base='debian', where='before CMD (line 3)'),)),
    # images whose own entrypoint drops to a user, unless the Dockerfile replaces it
    ('FROM postgres:16\nCOPY init.sql /docker-entrypoint-initdb.d/\n', ()),
    ('FROM redis:7.4@sha256:' + 'b' * 64 + '\nCMD ["redis-server", "/etc/redis.conf"]\n', ()),
    ('FROM postgres:16\nENTRYPOINT ["/my.sh"]\n',
     (_no_user('1:1', base='postgres', where='before ENTRYPOINT (line 2)'),)),
    # a third-party image whose user cannot be known is not judged
    ('FROM ghcr.io/acme/base:1.2\nCMD ["app"]\n', ()),
    ('FROM conductor:server\nCMD ["app"]\n', ()),  # a local image: not an Official Image
    # base images and toolboxes: no command of their own, or a bare shell or interpreter
    ('FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y curl\n', ()),
    ('FROM buildpack-deps:bookworm\nRUN make\nCMD ["python3"]\n', ()),
    ('FROM alpine:3.20\nRUN apk add --no-cache bash\nCMD ["bash"]\n', ()),
    ('FROM node:22-slim\nCMD node\n', ()),
    ('FROM alpine:3.21\nENTRYPOINT ["docker-entrypoint.sh"]\nCMD ["node"]\n', ()),
    ('FROM alpine:3.21\nENTRYPOINT ["/sbin/tini", "-g", "sh"]\n', ()),  # behind an init
    # build environments: the command builds
    ('FROM golang:1.22\nENTRYPOINT ["/usr/bin/make"]\n', ()),
    ('FROM debian:bookworm\nCMD ["bash", "-lc", "cd /src && make docs && hugo server"]\n', ()),
    ('FROM alpine:3.21\nENTRYPOINT ["/app"]\nCMD ["sh"]\n',  # the entrypoint is the app
     (_no_user('1:1', base='alpine', how=ADDUSER, where='before ENTRYPOINT (line 2)'),)),
    # php-fpm's master drops its pool workers to www-data itself, like postfix or named
    ('FROM php:8.3-fpm-alpine\nCOPY . /var/www\nCMD ["php-fpm"]\n', ()),
    ('FROM php:8.3-fpm-alpine\nCOPY . /var/www\nCMD ["php", "worker.php"]\n',
     (_no_user('1:1', base='php', how='USER www-data', where='before CMD (line 3)'),)),
    # the advice fits what the file shows: the user it creates, .NET's APP_UID from .NET 8
    ('ARG PHP\nFROM php:${PHP}-alpine\nRUN adduser -D laradock\nUSER root\nCMD ["x"]\n',
     (_root('4:1', 'root', how='USER laradock (the user created on line 3)',
            where='before CMD (line 5)'),)),
    ('FROM mcr.microsoft.com/dotnet/runtime:7.0\nCMD ["dotnet", "w.dll"]\n',
     (_no_user('1:1', base='mcr.microsoft.com/dotnet/runtime', where='before CMD (line 2)'),)),
    ('FROM mcr.microsoft.com/dotnet/runtime:8.0\nCMD ["dotnet", "w.dll"]\n',
     (_no_user('1:1', base='mcr.microsoft.com/dotnet/runtime', how='USER $APP_UID',
               where='before CMD (line 2)'),)),
    # ... but an application's command is judged
    ('FROM node:22-slim\nCOPY . /app\nCMD ["node", "/app/server.js"]\n',
     (_no_user('1:1', base='node', how='USER node', where='before CMD (line 3)'),)),
    # the advice fits the base image
    ('FROM python:3.13-alpine\nCMD ["app"]\n',
     (_no_user('1:1', how=ADDUSER, where='before CMD (line 2)'),)),
    ('FROM debian:bookworm\nRUN apk add curl\nCMD ["app"]\n',  # apk shows an Alpine base
     (_no_user('1:1', base='debian', how=ADDUSER, where='before CMD (line 3)'),)),
    ('FROM mcr.microsoft.com/dotnet/aspnet:8.0\nENTRYPOINT ["dotnet", "app.dll"]\n',
     (_no_user('1:1', base='mcr.microsoft.com/dotnet/aspnet', how='USER $APP_UID',
               where='before ENTRYPOINT (line 2)'),)),
    ('FROM mcr.microsoft.com/dotnet/aspnet:8.0-noble-chiseled\nENTRYPOINT ["dotnet", "a"]\n',
     ()),  # chiseled images run as the app user
    # the nginx master drops its workers to nginx's `user` itself: root by design (a bare
    # `USER nginx` would not start: its pid and temp paths are root-owned)
    ('FROM nginx:1.27-alpine\nCOPY dist /usr/share/nginx/html\nCMD ["nginx", "-g", "x"]\n',
     ()),
    ('FROM python:3.13-slim\nUSER root\nENTRYPOINT ["app"]\n',
     (_root('2:1', 'root', where='before ENTRYPOINT (line 3)'),)),
    # Windows and WebAssembly images have other users
    ('FROM mcr.microsoft.com/windows/servercore:ltsc2022\nCMD ["app.exe"]\n', ()),
    ('FROM golang:1.22-windowsservercore-ltsc2022\nCMD ["app.exe"]\n', ()),
    ('FROM --platform=wasi/wasm scratch\nCOPY app.wasm /\nENTRYPOINT ["/app.wasm"]\n', ()),
)


@pytest.mark.parametrize(('src', 'expected'), CASES)
def test_non_root_user(src, expected, tmp_path, capsys, clean_cwd):
    assert_findings(main, tmp_path / 'Dockerfile', capsys, src, expected)


TWO_STAGES = (
    'FROM python:3.13-slim AS runtime\n'
    'RUN useradd app\n'
    'USER app\n'
    'FROM runtime AS test\n'
    'USER root\n'
    'RUN pytest\n'
)
RUNTIME_ROOT = (
    'FROM python:3.13-slim AS runtime\n'
    'RUN pip install app\n'
    'CMD ["app"]\n'
    'FROM python:3.13-slim AS dev\n'
    'USER dev\n'
)
RUNTIME = _no_user('1:1', 'runtime', where='before CMD (line 3)')
MYORG = 'FROM myorg/base:1.0\nCMD ["app"]\n'
MYORG_ROOT = _no_user('1:1', base='myorg/base', where='before CMD (line 2)')
OPTION_CASES = (
    # --target: the stage that is shipped
    (('--target=runtime',), TWO_STAGES, ()),
    (('--target', 'RUNTIME'), TWO_STAGES, ()),  # stage names are case-insensitive
    ((), TWO_STAGES, ()),  # the last stage is for tests: `runtime` is what ships
    (('--target=test',), TWO_STAGES,
     (_root('5:1', 'root', how='USER app (the user created on line 2)'),)),  # ... unless named
    (('--target=runtime',), RUNTIME_ROOT, (RUNTIME,)),
    ((), RUNTIME_ROOT, (RUNTIME,)),
    # no stage of that name: the stage that ships is found as without --target
    (('--target=nope',), TWO_STAGES, ()),
    # --extra-non-root-images: shell globs against the image reference
    (('--extra-non-root-images=myorg/base:*',), MYORG, ()),
    (('--extra-non-root-images=other/*,myorg/*',), MYORG, ()),
    (('--extra-non-root-images', 'other/*', '--extra-non-root-images', 'myorg/base:*'),
     MYORG, ()),
    # a third-party image's user cannot be known: judged only when listed as root
    (('--extra-non-root-images=myorg/base:2.*',), MYORG, ()),
    ((), MYORG, ()),
    (('--extra-root-images=myorg/*',), MYORG, (MYORG_ROOT,)),
    # a known non-root base does not excuse an explicit USER root; the fix is its own user
    (('--extra-non-root-images=myorg/*',), 'FROM myorg/base:1.0\nUSER root\n',
     ('2:1: DH102 the image runs as root: USER root is the last USER of the final stage, '
      'while its base image myorg/base runs as a user of its own; end the stage as that '
      "user again: add USER with the base image's user (docker image inspect -f "
      "'{{.Config.User}}' myorg/base:1.0 shows it) after the steps that need root, and give "
      'it the files its program writes (COPY --chown and chown of their directories with that '
      'user in a RUN before that USER)',)),
)


@pytest.mark.parametrize(('args', 'src', 'expected'), OPTION_CASES)
def test_options(args, src, expected, tmp_path, capsys, clean_cwd):
    assert_findings(main, tmp_path / 'Dockerfile', capsys, src, expected, *args)


@pytest.mark.parametrize(('name', 'toml'), (
    ('pyproject.toml', '[tool.dockhooks]\ntarget = "runtime"\n'),
    ('.dockhooks.toml', 'target = "runtime"\n'),
))
def test_target_from_config_and_cli_wins(name, toml, tmp_path, capsys, clean_cwd):
    (tmp_path / name).write_text(toml)
    (tmp_path / 'Dockerfile').write_text(RUNTIME_ROOT)
    assert main(['Dockerfile']) == 1
    assert capsys.readouterr().out == f'Dockerfile:{RUNTIME}\n'
    assert main(['Dockerfile', '--target=dev']) == 0
    assert capsys.readouterr().out == ''


@pytest.mark.parametrize(('name', 'toml'), (
    ('pyproject.toml', '[tool.dockhooks]\nextra-non-root-images = ["myorg/*"]\n'),
    ('.dockhooks.toml', 'extra-non-root-images = ["myorg/*"]\n'),
))
def test_extra_non_root_images_from_config_and_cli_wins(name, toml, tmp_path, capsys,
                                                        clean_cwd):
    (tmp_path / name).write_text(toml)
    (tmp_path / 'Dockerfile').write_text(MYORG)
    assert main(['Dockerfile']) == 0
    assert capsys.readouterr().out == ''
    assert main(['Dockerfile', '--extra-non-root-images=other/*',
                 '--extra-root-images=myorg/*']) == 1
    assert capsys.readouterr().out == f'Dockerfile:{MYORG_ROOT}\n'


@pytest.mark.parametrize(('user', 'expected'), (
    ('root', True),
    ('0', True),
    ('root:root', True),
    ('0:1000', True),
    ('"root"', True),
    (' root ', True),
    ('app', False),
    ('rootless', False),
    ('1000:0', False),
    ('00', False),  # pinned: only the spellings Docker's docs use
))
def test_is_root(user, expected):
    assert is_root(user) is expected


@pytest.mark.parametrize(('name', 'expected'), (
    ('Dockerfile.base', ()),  # a base image by its name, whatever its command
    ('builder.Dockerfile', ()),
    ('Dockerfile', (_no_user('1:1', where='before CMD (line 3)'),)),
))
def test_base_images_by_name(name, expected, tmp_path, capsys, clean_cwd):
    assert_findings(main, tmp_path / name, capsys,
                    'FROM python:3.13-slim\nRUN pip install poetry\nCMD ["poetry"]\n',
                    expected)


# Programs that need root by what they do, servers that drop their own workers, images that
# are no service, WebAssembly: not judged. Each case is the semantic rule in a small file.
ROOT_BY_DESIGN = (
    # the command configures the kernel: CAP_NET_ADMIN is effective for root only
    'FROM alpine:3.20\nRUN apk add iptables ppp\nCMD set -e && iptables -t nat -A POSTROUTING '
    '-j MASQUERADE && pptpd\n',
    'FROM debian:12\nCMD ["sh", "-c", "ip route add 10.0.0.0/8 via 172.17.0.1 && exec app"]\n',
    'FROM debian:12\nCMD sysctl -w net.ipv4.ip_forward=1 && exec vpn\n',
    # packet capture opens raw sockets: CAP_NET_RAW is effective for root only
    'FROM centos:8\nRUN dnf install -y snort\nENTRYPOINT ["snort"]\nCMD ["-i", "eth0"]\n',
    'FROM debian:12\nRUN apt-get install -y zeek\nCMD ["bro", "--iface", "eth0"]\n',
    'FROM alpine:3.20\nRUN apk add tcpdump\nCMD tcpdump -i any -w /cap/out.pcap\n',
    # ... or the start script the file writes does
    'FROM alpine:3.20\nCOPY <<EOF /start.sh\nnft -f /etc/nft.conf\nexec app\nEOF\n'
    'CMD ["/start.sh"]\n',
    # servers whose master drops its workers to their own user (httpd User, nginx user,
    # php-fpm pool user), like postfix
    'FROM debian:12\nRUN apt-get install -y apache2\nCMD ["apache2-foreground"]\n',
    'FROM alpine:3.20\nRUN apk add nginx\nCMD ["nginx", "-g", "daemon off;"]\n',
    'FROM alpine:3.20\nRUN apk add php83-fpm\nCMD ["php-fpm83", "-F"]\n',
    # a start script on a base whose program is such a server starts that server
    'FROM nginx:1.27-alpine\nCOPY startup.sh /opt/\nCMD ["/bin/bash", "/opt/startup.sh"]\n',
    # several daemons: a supervisor installed, or a start script next to a server package
    'FROM python:3.13-slim\nRUN apt-get install -y supervisor\nCMD ["/app/start.sh"]\n',
    'FROM debian:12\nRUN apt-get install -y openjdk-17-jre nginx\nCMD ["/app/startup.sh"]\n',
    'FROM alpine:3.20\nRUN apk add php83-fpm nginx\nCMD php-fpm83 && nginx -g "daemon off;"\n',
    # SMTP: a mail transfer agent delivers for local users
    'FROM ubuntu:24.04\nEXPOSE 25 80 443\nENTRYPOINT ["/sbin/entrypoint.sh"]\nCMD ["app:run"]\n',
    # images that are no service: a job that copies out or prints and exits
    'FROM golang:1.22\nRUN make-certs\nVOLUME ["/pki-out"]\nENTRYPOINT cp /pki/ca.pem /pki-out/\n',
    "FROM alpine:3.20\nCMD printf 'this image moved to example/app\\n' && exit 1\n",
    # a toolbox kept alive for operators to exec into
    'FROM gcr.io/distroless/static:debug\nCOPY migrate /usr/bin/\n'
    'ENTRYPOINT ["/busybox/tail", "-f", "/dev/null"]\n',
    # a CI tool: it drives Docker on a copy of the repository
    'FROM debian:12\nRUN apt-get install -y docker-ce-cli\nCOPY . /repo\nCMD ["update-deps"]\n',
    # WebAssembly: a .wasm command, or scratch holding a module
    'FROM scratch\nCOPY app.wasm /app.wasm\nENTRYPOINT ["/app.wasm"]\n',
)


@pytest.mark.parametrize('src', ROOT_BY_DESIGN)
def test_root_by_design_or_not_a_service(src, tmp_path, capsys, clean_cwd):
    assert_findings(main, tmp_path / 'Dockerfile', capsys, src, ())


def test_a_start_script_in_the_context_that_configures_the_kernel(tmp_path, capsys, clean_cwd):
    (tmp_path / 'start.sh').write_text('#!/bin/sh\nip link set wg0 up\nexec app\n')
    src = 'FROM alpine:3.20\nCOPY start.sh /usr/local/bin/\nCMD ["/usr/local/bin/start.sh"]\n'
    assert_findings(main, tmp_path / 'Dockerfile', capsys, src, ())
    # the same script that only starts the program: a plain application
    (tmp_path / 'start.sh').write_text('#!/bin/sh\nip addr show\nexec app\n')
    assert_findings(main, tmp_path / 'Dockerfile', capsys, src,
                    (_no_user('1:1', base='alpine', how=ADDUSER, where='before CMD (line 3)'),))


def test_an_engineering_folder_is_a_tool(tmp_path, capsys, clean_cwd):
    (tmp_path / '.git').mkdir(exist_ok=True)
    assert_findings(main, tmp_path / 'eng' / 'gen' / 'Dockerfile', capsys,
                    'FROM node:22\nCMD ["node", "convert.js"]\n', ())


COMPOSE_BUILT = 'FROM alpine:3.20\nCOPY app /app\nCMD ["/app/run"]\n'


@pytest.mark.parametrize('service', (
    'privileged: true',
    'cap_add: [NET_ADMIN]',
    'pid: host',
    'volumes: ["/var/run/docker.sock:/var/run/docker.sock"]',
    'platform: wasi/wasm',
    'runtime: io.containerd.wasmedge.v1',
))
def test_compose_runs_the_image_as_root_needs_or_as_wasm(service, tmp_path, capsys, clean_cwd):
    (tmp_path / 'compose.yaml').write_text(f'services:\n  app:\n    build: .\n    {service}\n')
    assert_findings(main, tmp_path / 'Dockerfile', capsys, COMPOSE_BUILT, ())


@pytest.mark.parametrize('volume', ('.:/code', '${APP_CODE_PATH_HOST}:${APP_CODE_PATH_CONTAINER}',
                                    '../:/code'))
def test_a_compose_that_runs_it_over_the_working_tree_is_development(volume, tmp_path, capsys,
                                                                    clean_cwd):
    # the working tree bind-mounted over the WORKDIR: the code is the developer's own files
    # (owned by the host's uid), so the image is a local development one
    (tmp_path / 'compose.yaml').write_text(
        f'services:\n  app:\n    build: .\n    volumes: ["{volume}"]\n')
    src = 'FROM alpine:3.20\nWORKDIR /code\nCOPY . .\nCMD ["/code/run"]\n'
    assert_findings(main, tmp_path / 'Dockerfile', capsys, src, ())
    # a mount beside the code (a config file, a data folder) does not replace it
    (tmp_path / 'other').mkdir()
    (tmp_path / 'other' / 'compose.yaml').write_text(
        'services:\n  app:\n    build: .\n    volumes: ["./conf.yml:/code/conf.yml"]\n')
    assert_findings(main, tmp_path / 'other' / 'Dockerfile', capsys, src,
                    (_no_user('1:1', base='alpine', how=ADDUSER, where='before CMD (line 4)'),))


def test_compose_without_such_settings_changes_nothing(tmp_path, capsys, clean_cwd):
    (tmp_path / 'compose.yaml').write_text(
        'services:\n  app:\n    build: .\n    network_mode: bridge\n    pid: "service:db"\n')
    assert_findings(main, tmp_path / 'Dockerfile', capsys, COMPOSE_BUILT,
                    (_no_user('1:1', base='alpine', how=ADDUSER, where='before CMD (line 3)'),))


ADVICE_CASES = (
    # the user must own what it writes: a VOLUME starts with its directory's ownership
    ('FROM alpine:3.20\nCOPY app /usr/bin/\nVOLUME ["/data"]\nCMD ["app", "/data"]\n',
     _no_user('1:1', base='alpine', how=ADDUSER, where='before CMD (line 4)')
     + ', and give it the directories it writes before VOLUME (line 3): RUN mkdir -p /data && '
       'chown -R appuser /data (a VOLUME starts with the ownership of its directory in the '
       'image)'),
    ('FROM debian:12\nRUN mkdir -p /app/logs /usr/share/man/man1\nCMD ["/app/run"]\n',
     _no_user('1:1', base='debian', where='before CMD (line 3)')
     + ', and give it the directories it writes: RUN mkdir -p /app/logs && chown -R appuser '
       '/app/logs (a VOLUME starts with the ownership of its directory in the image)'),
    # already owned, or open to all: nothing to hand over
    ('FROM debian:12\nRUN mkdir /data && chown app /data\nVOLUME /data /tmp\nCMD ["run"]\n',
     _no_user('1:1', base='debian', how='USER app (the user the file gives its files to on '
              'line 2)', where='before CMD (line 4)')),
    # root's home is closed to other users
    ('FROM alpine:3.20\nVOLUME /root/.config/app\nCMD ["app"]\n',
     _no_user('1:1', base='alpine', how=ADDUSER, where='before CMD (line 3)')
     + ', and move /root/.config/app out of /root (root\'s home is closed to other users) '
       'into a directory the user owns'),
    # the user the file already gives its files to
    ('FROM debian:12\nCOPY --chown=www-data:www-data site /srv\nCMD ["/srv/run"]\n',
     _no_user('1:1', base='debian', how='USER www-data (the user the file gives its files '
              'to on line 2)', where='before CMD (line 3)')),
    # distroless keeps its variant: :debug becomes :debug-nonroot, with the digest advice
    ('FROM gcr.io/distroless/static:debug\nSHELL ["/busybox/sh", "-c"]\nENTRYPOINT ["/a"]\n',
     _no_user('1:1', base='gcr.io/distroless/static', where='before ENTRYPOINT (line 3)',
              how='the :debug-nonroot tag of the base image (FROM gcr.io/distroless/static:'
                  'debug-nonroot; it runs as 65532), or USER 65532:65532')),
    ('FROM gcr.io/distroless/static-debian12:debug-amd64@sha256:' + 'a' * 64
     + '\nENTRYPOINT ["/a"]\n',
     _no_user('1:1', base='gcr.io/distroless/static-debian12',
              where='before ENTRYPOINT (line 2)',
              how='the :debug-nonroot-amd64 tag of the base image (FROM gcr.io/distroless/'
                  'static-debian12:debug-nonroot-amd64 pinned by its own digest; it runs as '
                  '65532), or USER 65532:65532')),
    # ... but a RUN of the file would run as 65532 on a :nonroot tag, and fail where it
    # writes as root: USER after the last RUN instead
    ('FROM gcr.io/distroless/static:debug\nSHELL ["/busybox/sh", "-c"]\n'
     'RUN ln -s /busybox/sh /bin/sh\nENTRYPOINT ["/a"]\n',
     _no_user('1:1', base='gcr.io/distroless/static', where='before ENTRYPOINT (line 4)',
              how='USER 65532:65532 after the last RUN (the nonroot user of distroless; its '
                  ':nonroot tags would run those RUNs as that user too)')),
    # low ports need no root under Docker (ip_unprivileged_port_start=0): only a note
    ('FROM alpine:3.20\nEXPOSE 80\nCMD ["app"]\n',
     _no_user('1:1', base='alpine', where='before CMD (line 3)',
              how=ADDUSER + ' (on Kubernetes or host networking, a port below 1024 still '
                            'needs root)')),
    # USER root over a base that runs as its own user: go back to that user
    ('FROM varnish:7.6\nUSER root\nCOPY start.sh /etc/varnish/\nCMD ["/etc/varnish/start.sh"]\n',
     '2:1: DH102 the image runs as root: USER root is the last USER of the final stage, while '
     'its base image varnish runs as a user of its own; end the stage as that user again: add '
     'USER varnish after the steps that need root, and give it the files its program writes '
     '(COPY --chown=varnish for them, chown varnish of their directories in a RUN before that '
     'USER)'),
    # a data directory another stage makes comes in root-owned with COPY --from: the COPY
    # hands it over; a folder made only for a COPY to fill is no data directory
    ('FROM alpine:3.20 AS build\nRUN mkdir -p /var/lib/app\nFROM alpine:3.20\n'
     'RUN mkdir -p /site/web\nCOPY --from=build /dist /site/web\n'
     'COPY --from=build /var/lib/app /var/lib/app\nENTRYPOINT ["/usr/bin/app"]\n',
     _no_user('3:1', base='alpine', how=ADDUSER, where='before ENTRYPOINT (line 7)')
     + ', and add --chown=appuser to the COPY on line 6 (/var/lib/app comes in root-owned '
       'from the stage that makes it)'),
    # a USER added to a stage that later stages build on is theirs too: their RUN steps
    # would run as that user
    ('FROM python:3.12-alpine AS app\nCOPY . /code\nENTRYPOINT ["python3"]\nCMD ["app.py"]\n'
     'FROM app AS dev-envs\nRUN apk add git\n',
     _no_user('1:1', 'app', base='python', how=ADDUSER, where='before ENTRYPOINT (line 3)')
     + "; stage 'dev-envs' (FROM on line 5) builds on this one and RUNs steps that need root "
       '(they would run as that user and fail): start it with USER root'),
)


@pytest.mark.parametrize(('src', 'expected'), ADVICE_CASES)
def test_advice_gives_the_user_what_it_writes(src, expected, tmp_path, capsys, clean_cwd):
    assert_findings(main, tmp_path / 'Dockerfile', capsys, src, (expected,))


def test_a_compose_that_runs_the_published_image_by_name(tmp_path, capsys, clean_cwd):
    # the repository's own stack runs the image this Dockerfile publishes (named after its
    # folder) by `image:`, mounting the Docker socket: root by design, as when it builds it
    (tmp_path / 'proxy').mkdir()
    (tmp_path / 'docs').mkdir()
    (tmp_path / 'docs' / 'compose.yaml').write_text(
        'services:\n  proxy:\n    image: example/proxy:v3\n'
        '    volumes: ["/var/run/docker.sock:/var/run/docker.sock:ro"]\n')
    assert_findings(main, tmp_path / 'proxy' / 'Dockerfile', capsys, COMPOSE_BUILT, ())
    # an image of another name is another program
    (tmp_path / 'web').mkdir()
    assert_findings(main, tmp_path / 'web' / 'Dockerfile', capsys, COMPOSE_BUILT,
                    (_no_user('1:1', base='alpine', how=ADDUSER, where='before CMD (line 3)'),))
