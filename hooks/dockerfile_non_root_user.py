"""The final stage runs as a non-root user.

## What it does
Finds the user the shipped image runs as: the last `USER` of the stage that runs (the last
stage, `--target NAME`, or the stage the project's compose files build: "What ships" in the
README) or of the stages it builds on (`FROM base` inherits `base`'s `USER`). Reports
- an effective user that is root (`root`, `0`, `root:group`, `0:0`, quoted forms, or an
  ARG/ENV whose known value is one of them), at that `USER`; when the value comes from an
  `ARG` default, the message points at the `ARG` line to change;
- a chain with no `USER` at all (at the final `FROM`), when the base image is known to run
  as root: `scratch`, the Docker Official Images (`python`, `node`, `debian`, ...) other
  than those that run as a user of their own, and other well-known root images (.NET,
  distroless without `:nonroot`, Red Hat UBI).
It passes an image that drops to a user in its entrypoint with `gosu` or `su-exec` (installed
by a package manager, a package list in an `ARG`, a download or `COPY --from` an image or a
stage that carries or fetched the binary; a RUN that only mentions or removes them does not
count), also behind an explicit `USER root`; an image built on one that does so itself
(`postgres`, `mysql`, `redis`, `mongo`, `rabbitmq`, ...) without an `ENTRYPOINT` of its own;
an image whose program needs root by design (its command is a process supervisor or
init such as `supervisord`, runit or s6; `crond`, `sshd`, `dockerd`; a server that drops
to its own user after binding, such as `vsftpd`, `postfix`, `named`), and one that creates
a user and hands its name to the program in an `ENV` (`DNSMASQ_USER=pihole`), which drops
to it. Base images known to run as a non-root user pass
(distroless `:nonroot` tags, Chainguard, Bitnami, nginx-unprivileged, Grafana, k6,
Prometheus, OpenSearch, Elastic, Pulsar, .NET chiseled, the official `haproxy`, `memcached`,
`sonarqube`, `solr` ... images); the digest does not change how the tag is read.

Not judged, because nothing can be known or nothing runs there: a `USER` whose value cannot
be known (an ARG with no default); a base image whose default user dockhooks does not know
(a third-party or private image: it may set its own `USER`; list root ones in
`--extra-root-images`); an image that is only a base for others, a toolbox or a build
environment (it sets no command of its own, or only an entrypoint script that runs what it
is given; its command is a bare shell or interpreter such as `bash` or `python3`, or builds,
such as `make` or `go build`; or its file name says `base` or `builder`): the image built on
it sets the command and is the one judged;
Windows images (whose users are `ContainerAdministrator` and `ContainerUser`) and
WebAssembly targets; images that never ship (devcontainers, test fixtures, local
development images: "What ships" in the README).

The advice fits the file: the user it creates (`USER app`, naming the line); else the user
the base image already has (`USER node`, `USER $APP_UID` on .NET 8 and later, the `:nonroot`
tag of distroless, `nginxinc/nginx-unprivileged` for nginx), `adduser -D` on Alpine and
BusyBox, `useradd` on Debian, Ubuntu and RHEL, a numeric `USER 65532:65532` where there is
no shell to create one (`scratch`, chiseled, UBI micro); placed before the `ENTRYPOINT` or
`CMD` the file has.

## Why is this bad?
A process running as root inside a container is root on the host's kernel: one container
breakout, a mounted socket or a writable host path away from owning the machine. Almost no
application needs root at run time; a dedicated user costs one line.

## Example
```dockerfile
FROM python:3.13-slim
COPY . /app
CMD ["python", "/app/main.py"]
```

## Use instead
```dockerfile
FROM python:3.13-slim
RUN useradd --create-home --uid 10001 appuser
COPY --chown=appuser . /app
USER appuser
CMD ["python", "/app/main.py"]
```

## Options
- `--target STAGE`: the stage that is shipped, when it is not the last one (a Dockerfile
  without a stage of that name is judged on its last stage).
- `--extra-non-root-images GLOBS`: more base images (shell globs matched against the image
  reference, e.g. `myorg/base:*`) that already run as a non-root user.
- `--extra-root-images GLOBS`: base images that run as root, to be judged like the official
  images (your own base images, e.g. `registry.example.com/base/*`).
"""
from __future__ import annotations

import posixpath
from collections.abc import Iterator
from collections.abc import Sequence
from types import SimpleNamespace

from dockhooks._dockerfile import Dockerfile
from dockhooks._dockerfile import Instruction
from dockhooks._dockerfile import Stage
from dockhooks._dockerfile import unquote
from dockhooks._findings import Problem
from dockhooks._hook import run_hook
from dockhooks._images import is_official
from dockhooks._images import matches
from dockhooks._images import parse_image
from dockhooks._images import repository
from dockhooks._roles import dockerfile_ships
from dockhooks._roles import image_purpose
from dockhooks._roles import last_instruction
from dockhooks._roles import shipped_stage

CODE = 'DH102'
ID = 'dockerfile-non-root-user'
SUMMARY = 'the final stage runs as a non-root USER'
SEVERITY = 'error'
OPTIONS = ('target', 'extra-non-root-images', 'extra-root-images')

# Images whose default user is not root (checked in their Dockerfiles).
NON_ROOT_IMAGES = (
    'gcr.io/distroless/*:nonroot', 'gcr.io/distroless/*:*-nonroot',
    'cgr.dev/chainguard/*', 'bitnami/*', 'nginxinc/nginx-unprivileged',
    '*/ubi*/nodejs-*', '*/ubi*/python-*', '*/ubi*/php-*', '*/ubi*/ruby-*', '*/ubi*/perl-*',
    '*/ubi*/httpd-*', '*/ubi*/nginx-*', '*/ubi*/openjdk-*', '*/ubi*/go-toolset*',
    'quay.io/sclorg/*', 'jenkins/jenkins', 'jenkins/inbound-agent', 'sonarqube',
    'grafana/grafana*', 'grafana/k6', 'grafana/loki', 'grafana/tempo', 'grafana/mimir',
    'grafana/promtail', 'prom/*', 'quay.io/prometheus/*', 'quay.io/keycloak/keycloak',
    'keycloak/keycloak', 'opensearchproject/opensearch*', 'docker.elastic.co/elasticsearch/*',
    'docker.elastic.co/kibana/*', 'docker.elastic.co/logstash/*', 'apachepulsar/pulsar*',
    'confluentinc/cp-*', 'mcr.microsoft.com/dotnet/*:*chiseled*',
    'mcr.microsoft.com/dotnet/*:*distroless*', 'mcr.microsoft.com/mssql/server',
    'sonatype/nexus3', 'haproxy', 'memcached', 'solr', 'odoo', 'adminer', 'elasticsearch',
    'kibana', 'logstash', 'rocket.chat', 'mongo-express', 'eclipse-mosquitto',
    'hashicorp/terraform', 'gitea/gitea:*rootless*', 'zenika/alpine-chrome',
)
# Images whose entrypoint drops from root to a user of their own (gosu, su-exec, setpriv),
# as long as the Dockerfile built on them keeps that entrypoint.
STEP_DOWN_IMAGES = (
    'postgres', 'mysql', 'mariadb', 'percona', 'mongo', 'redis', 'valkey', 'rabbitmq',
    'cassandra', 'couchdb', 'couchbase', 'zookeeper', 'influxdb', 'telegraf', 'chronograf',
    'kapacitor', 'neo4j', 'ghost', 'redmine', 'nats', 'hashicorp/vault', 'hashicorp/consul',
    'vault', 'consul', 'clickhouse/clickhouse-server', 'clickhouse',
)
# Other images known to run as root by default (besides the Official Images).
ROOT_IMAGES = (
    'mcr.microsoft.com/dotnet/*', 'gcr.io/distroless/*', 'redhat/ubi*',
    'registry.access.redhat.com/ubi*', 'quay.io/centos/*', 'mcr.microsoft.com/playwright*',
    'nvidia/cuda', 'pytorch/pytorch', 'tensorflow/tensorflow', 'ghcr.io/astral-sh/uv',
    'public.ecr.aws/docker/library/*',
)
# Operating-system images: an image built on one without a command of its own is a base.
OS_IMAGES = (
    'alpine', 'busybox', 'debian', 'ubuntu', 'fedora', 'centos', 'rockylinux', 'almalinux',
    'amazonlinux', 'oraclelinux', 'opensuse/*', 'archlinux', 'photon', 'clearlinux',
    'mageia', 'alt', 'redhat/ubi*', 'registry.access.redhat.com/ubi*', 'quay.io/centos/*',
    'buildpack-deps', 'gcr.io/distroless/base*', 'gcr.io/distroless/static*',
    'mcr.microsoft.com/dotnet/runtime-deps',
)
_ROOT = frozenset(('root', '0'))
STEP_DOWN_TOOLS = frozenset(('gosu', 'su-exec'))
# Users the common base images already have, and how to switch to them.
EXISTING_USERS = (
    ('node', 'USER node'),
    ('mcr.microsoft.com/dotnet/*', 'USER $APP_UID'),
    ('nginx', 'FROM nginxinc/nginx-unprivileged (it listens on 8080), or USER nginx with a '
              'port above 1024'),
    ('httpd', 'USER www-data with Listen 8080 (only root may bind port 80)'),
    ('php:*fpm*', 'USER www-data'),
    ('wordpress:*fpm*', 'USER www-data'),
    ('nextcloud:*fpm*', 'USER www-data'),
    ('php', 'USER www-data with Listen 8080 for Apache (only root may bind port 80)'),
    ('wordpress', 'USER www-data with Listen 8080 for Apache (only root may bind port 80)'),
    ('nextcloud', 'USER www-data with Listen 8080 for Apache (only root may bind port 80)'),
    ('gcr.io/distroless/*', 'the :nonroot tag of the base image (or USER 65532:65532)'),
)
_NO_SHELL = ('gcr.io/distroless/*', 'cgr.dev/chainguard/*', '*/ubi*/ubi-micro',
             '*/ubi*-micro', '*/ubi*/ubi-minimal', '*/ubi*-minimal')


def is_root(user: str) -> bool:
    name = unquote(user.strip()).split(':', 1)[0].strip()
    return name in _ROOT


def _steps_down(df: Dockerfile, chain: list[Stage]) -> bool:
    """Whether the image carries gosu or su-exec to drop to a user in its entrypoint:
    installed by a package manager (package lists in ARGs resolved), downloaded to a path,
    or copied in (``COPY --from=tianon/gosu /gosu /usr/local/bin/``, or ``COPY --from`` a
    stage that fetched it) and not removed."""
    present = False
    for stage in reversed(chain):  # the stage the chain starts from first
        for ins in stage.instructions:
            if ins.keyword in ('COPY', 'ADD'):
                words = ins.json if ins.json is not None else ins.args.split()
                if any(posixpath.basename(w.rstrip('/')) in STEP_DOWN_TOOLS for w in words):
                    present = True
                source = ins.flag('from')
                if source and _fetches_step_down(df, source):
                    present = True
                continue
            if ins.keyword == 'RUN':
                present = _run_step_down(ins, present)
    return present


def _run_step_down(ins: Instruction, present: bool) -> bool:
    """Whether gosu/su-exec is there after this RUN (``present``: before it)."""
    from dockhooks._shell import package_ops

    commands = ins.commands()
    ops = package_ops(commands)
    for op in ops:
        names = set(ins.package_names(op.packages)) & STEP_DOWN_TOOLS
        if names and op.action in ('install', 'download'):
            present = True
        elif names and op.action == 'remove':
            present = False
    if any(op.action == 'download' for op in ops) and any(
            STEP_DOWN_TOOLS & set(c.argv[1:]) for c in commands):
        present = True  # `apt-cache depends gosu ... > list; apt-get download $(cat list)`
    in_ops = {id(op.command) for op in ops}
    for command in commands:
        # a download or a copy to a path: curl -o /usr/local/bin/gosu, chmod +x .../gosu
        if id(command) not in in_ops and any(
                '/' in w and posixpath.basename(w) in STEP_DOWN_TOOLS for w in command.argv[1:]):
            present = True
    return present


def _fetches_step_down(df: Dockerfile, source: str) -> bool:
    """Whether the stage ``source`` (a name or index) fetches gosu or su-exec (``apt-get
    download`` of a package list that holds it, an install, a download)."""
    name = source.lower()
    stage = next((st for st in df.stages if st.alias == name
                  or (name.isdigit() and st.index == int(name))), None)
    if stage is None:
        return False
    present = False
    for st in reversed(df.chain(stage)):
        for ins in st.instructions:
            if ins.keyword == 'RUN':
                present = _run_step_down(ins, present)
    return present


def _family(chain: list[Stage], image: str | None) -> str:
    """How users are made on the base: 'alpine' (adduser -D), 'none' (no shell), 'useradd'.
    A base that cannot be known (an ARG with no default) is read from the file's commands."""
    if image is not None:
        ref = parse_image(image)
        tag = (ref.tag or '').lower()
        if repository(ref) == 'scratch' or 'chiseled' in tag or matches(image, _NO_SHELL):
            return 'none'
        if repository(ref) in ('alpine', 'busybox') or 'alpine' in tag or 'busybox' in tag:
            return 'alpine'
    from dockhooks._shell import package_ops

    for stage in chain:
        for ins in stage.instructions:
            if ins.keyword == 'RUN' and any(op.manager == 'apk'
                                            for op in package_ops(ins.commands())):
                return 'alpine'
    return 'useradd'


def _advice(chain: list[Stage], image: str | None) -> str:
    """What to write, fitted to the base image and to the users the file creates, and
    where."""
    final = chain[0]
    how = None
    if image is not None:
        how = next((fix for glob, fix in EXISTING_USERS if matches(image, (glob,))
                    and not (fix == 'USER $APP_UID' and not _dotnet_8_or_later(image))), None)
    created = _created_users(chain)
    if how is None and created:
        name, line = created[-1]
        how = f'USER {name} (the user created on line {line})'
        low = _privileged_port(chain)
        if low is not None:
            how += f' and a port above 1024 for the server (only root may bind {low})'
    if how is None:
        how = {
            'alpine': 'RUN adduser -D -u 10001 appuser, then USER appuser',
            'none': 'USER 65532:65532 (a numeric user needs no account, and the image has no '
                    'tool to create one)',
            'useradd': 'RUN useradd --create-home --uid 10001 appuser, then USER appuser',
        }[_family(chain, image)]
    where = next((f'before {ins.keyword} (line {ins.line})' for ins in final.instructions
                  if ins.keyword in ('ENTRYPOINT', 'CMD')), 'at the end of the final stage')
    return f'add {how} {where}'



def _privileged_port(chain: list[Stage]) -> int | None:
    """The first port below 1024 the image EXPOSEs, if any."""
    import re

    for stage in reversed(chain):
        for ins in stage.instructions:
            if ins.keyword == 'EXPOSE':
                for m in re.finditer(r'(?<![\w$])(\d+)(?:/\w+)?', ins.args):
                    if 0 < int(m.group(1)) < 1024:
                        return int(m.group(1))
    return None


def _dotnet_8_or_later(image: str) -> bool:
    """.NET images define APP_UID (and the `app` user) from .NET 8 on."""
    import re

    m = re.match(r'(\d+)', parse_image(image).tag or '')
    return m is None or int(m.group(1)) >= 8


# Options of useradd / adduser (Debian and BusyBox) that take a value.
_USER_OPTION_VALUES = frozenset((
    '-u', '--uid', '-g', '--gid', '--ingroup', '-G', '--groups', '-s', '--shell', '-h',
    '--home', '-d', '--home-dir', '-c', '--comment', '--gecos', '-k', '--skel', '-K', '--key',
    '-p', '--password', '-e', '--expiredate', '-f', '--inactive', '-b', '--base-dir',
    '--firstuid', '--lastuid', '--add_extra_groups', '--extrausers', '-R', '--root',
    '-P', '--prefix', '-Z', '--selinux-user', '--conf',
))


def _created_users(chain: list[Stage]) -> list[tuple[str, int]]:
    """The users the stages of ``chain`` create (``useradd app``, ``adduser -D app``), each
    with the line of its RUN, in order; root and names with variables left out."""
    out: list[tuple[str, int]] = []
    for stage in reversed(chain):
        for ins in stage.instructions:
            if ins.keyword != 'RUN':
                continue
            for command in ins.commands():
                if not command.argv or posixpath.basename(command.argv[0]) not in (
                        'useradd', 'adduser'):
                    continue
                skip = False
                for word in command.argv[1:]:
                    if skip:
                        skip = False
                    elif word in _USER_OPTION_VALUES:
                        skip = True
                    elif not word.startswith('-'):
                        if '$' not in word and not is_root(word):
                            out.append((word, ins.line))
                        break
    return out


# Programs that need root by design: a supervisor or init that starts services which drop
# privileges themselves, a daemon that serves each user under that user's account or drops
# to its own user after taking what only root may (FTP, mail, DNS, VPN, SMB servers), and
# Docker's own daemon.
ROOT_PROGRAMS = frozenset((
    'supervisord', 'runsvdir', 'runit', 'runsv', 's6-svscan', 'systemd', 'init', 'crond',
    'cron', 'sshd', 'dockerd', 'dockerd-entrypoint.sh', 'containerd', 'openrc-init',
    'vsftpd', 'pure-ftpd', 'proftpd', 'dovecot', 'postfix', 'exim', 'exim4', 'named',
    'squid', 'smbd', 'openvpn', 'dnsmasq', 'xinetd', 'inetd', 'rsyslogd', 'radiusd',
))


def _runs_as_root_by_design(chain: list[Stage]) -> bool:
    """Whether root is what the image's program needs or hands on: its command is a process
    supervisor, an init, cron, sshd or dockerd; or it creates a user and hands the name to
    its program in an ENV (``DNSMASQ_USER=pihole``, ``RUN_AS=app``), whose entrypoint then
    drops to it."""
    from dockhooks._roles import image_command
    from dockhooks._roles import last_instruction

    entry = last_instruction(chain, 'ENTRYPOINT')
    first = (entry.json or [''])[0] if entry is not None and entry.json is not None else \
        entry.args.split()[0] if entry is not None and entry.args.split() else ''
    if posixpath.basename(first) in ROOT_PROGRAMS:
        return True
    for command in image_command(chain) or []:
        if command.argv and posixpath.basename(command.argv[0]) in ROOT_PROGRAMS:
            return True
    created = {name for name, _ in _created_users(chain)}
    if created:
        for stage in chain:
            if any(value in created for value in stage.env.values() if value):
                return True
    return False


def _windows(image: str) -> bool:
    ref = parse_image(image)
    tag = (ref.tag or '').lower()
    return repository(ref).startswith('mcr.microsoft.com/windows') or any(
        w in tag for w in ('nanoserver', 'windowsservercore', 'ltsc20'))


def _not_a_runtime_image(df: Dockerfile, chain: list[Stage], image: str) -> bool:
    """An image that is a base for others, a toolbox or a build environment, or runs
    nothing as a user."""
    root = chain[-1]
    platform = (root.from_.flag('platform') or '').lower()
    if _windows(image) or 'wasi' in platform or 'wasm' in platform:
        return True
    # no command of its own (a base or toolbox: the image that sets the command is judged),
    # a bare shell or interpreter, a command that builds
    return image_purpose(df, chain) != 'runtime'


def check(df: Dockerfile, opts: SimpleNamespace) -> Iterator[Problem]:
    final = shipped_stage(df, opts.target)
    if final is None or not dockerfile_ships(df, opts.target):
        return  # a devcontainer, test fixture or dev image runs on a developer's machine
    chain = df.chain(final)
    user = next((ins for stage in chain for ins in reversed(stage.instructions)
                 if ins.keyword == 'USER' and ins.args.strip()), None)
    image = chain[-1].image
    known = image is not None and '$' not in image
    if user is not None:
        if is_root(user.resolve(user.args.split()[0]) or '') and (
                _steps_down(df, chain) or _runs_as_root_by_design(chain)):
            return  # root on purpose: the entrypoint drops to a user, or the program must
        yield from _judge_user(user, chain, image if known else None)
        return
    if not known:
        return  # an ARG with no default: cannot be known
    assert image is not None
    if _not_a_runtime_image(df, chain, image) or _steps_down(df, chain) \
            or _runs_as_root_by_design(chain):
        return
    if matches(image, NON_ROOT_IMAGES + tuple(opts.extra_non_root_images)):
        return
    if matches(image, STEP_DOWN_IMAGES) and last_instruction(chain, 'ENTRYPOINT') is None:
        return  # the base image's entrypoint drops to its own user
    ref = parse_image(image)
    if not (is_official(ref) or matches(image, ROOT_IMAGES + tuple(opts.extra_root_images))):
        return  # a base image whose user cannot be known: it may set its own USER
    name = f'final stage {final.alias!r}' if final.alias else 'final stage'
    base = repository(ref)
    yield Problem(
        final.from_.line, final.from_.col,
        f'the {name} has no USER and its base image {base} runs as root, so the container '
        f'does too; {_advice(chain, image)}',
    )


def _judge_user(user: Instruction, chain: list[Stage],
                image: str | None) -> Iterator[Problem]:
    raw = user.args.split()[0]
    value = user.resolve(raw)
    if value is None or not is_root(value):
        return  # cannot be known, or not root
    via = '' if value == raw else f' (= {value})'
    arg = _arg_default(user, raw, chain)
    if arg is not None:
        yield Problem(
            user.line, user.col,
            f'the image runs as root: USER {raw}{via} is the last USER of the final stage and '
            f'its value is the default of ARG {arg.args.split("=", 1)[0].split()[0]} on line '
            f'{arg.line}; give that ARG a non-root default (e.g. 10001)',
        )
        return
    yield Problem(
        user.line, user.col,
        f'the image runs as root: USER {raw}{via} is the last USER of the final stage; end it '
        f'as a non-root user instead: {_advice(chain, image)}',
    )


def _arg_default(user: Instruction, raw: str, chain: list[Stage]) -> Instruction | None:
    """The ARG whose default gives the USER its value (``USER $UID`` with ``ARG UID=0``)."""
    import re

    names = re.findall(r'\$\{?([A-Za-z_][A-Za-z0-9_]*)', raw)
    found = None
    for stage in reversed(chain):
        for ins in stage.instructions:
            if ins.line >= user.line and stage is chain[0]:
                break
            if ins.keyword == 'ENV' and any(n in ins.args for n in names):
                found = None  # an ENV sets it: the value is written there, not in an ARG
            if ins.keyword == 'ARG' and any(
                    ins.args.split('=', 1)[0].strip() == n and '=' in ins.args for n in names):
                found = ins
    return found


def main(argv: Sequence[str] | None = None) -> int:
    return run_hook(__name__, argv)


if __name__ == '__main__':
    raise SystemExit(main())
