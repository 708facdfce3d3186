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
It passes an image that drops to a user in its entrypoint with `gosu` or `su-exec`
(installed by a package manager, a package list in an `ARG`, a download or `COPY --from` an
image or a stage that carries or fetched the binary; a RUN that only mentions or removes
them does not count), also behind an explicit `USER root`; an image built on one that does
so itself (`postgres`, `mysql`, `redis`, `mongo`, `rabbitmq`, ...) without an `ENTRYPOINT`
of its own; an image whose program needs root by design: its command (or the start script it
runs, as the file writes it or the build context holds it) is a process supervisor or init
such as `supervisord`, runit or s6; `crond`, `sshd`, `dockerd`; a server that drops to its
own user after binding (`vsftpd`, `postfix`, `named`, and web servers whose master drops its
workers: `httpd-foreground`/`apache2-foreground`, `nginx`, `php-fpm`); or it configures the
kernel (`iptables`, `nft`, `ip route add`/`ip link set`, `sysctl -w`, `modprobe`: they need
CAP_NET_ADMIN or CAP_SYS_ADMIN, which a container gives to root only) or captures packets
(`snort`, `suricata`, `zeek`/`bro`, `tcpdump`, `tshark`: CAP_NET_RAW, root's too); the image
installs a process supervisor, or its start script runs on a base whose program is such a
server (`nginx`, `httpd`, `php:*-fpm`) or next to one the stage installs (nginx beside a
JVM); it serves SMTP (`EXPOSE 25`: a mail transfer agent); a compose file of the project
that builds it runs it `privileged: true`, with `cap_add: [NET_ADMIN]` (or `SYS_ADMIN`),
with `pid: host` or mounting the Docker socket or the host's /proc, /sys, /var/log (a host
agent); and one that creates a user and hands its name to the program in an `ENV`
(`DNSMASQ_USER=pihole`), which drops to it. Base images known to run as a non-root user pass
(distroless `:nonroot` tags, Chainguard, Bitnami, nginx-unprivileged, Grafana, k6,
Prometheus, OpenSearch, Elastic, Pulsar, .NET chiseled, the official `haproxy`, `memcached`,
`sonarqube`, `solr` ... images); the digest does not change how the tag is read.

Not judged, because nothing can be known or nothing runs there: a `USER` whose value cannot
be known (an ARG with no default); a base image whose default user dockhooks does not know
(a third-party or private image: it may set its own `USER`; list root ones in
`--extra-root-images`); an image that is only a base for others, a toolbox or a build
environment (it sets no command of its own, or only an entrypoint script that runs what it
is given, or only keeps the container alive to exec into: `tail -f /dev/null`; its command
is a bare shell or interpreter such as `bash` or `python3`, or builds,
such as `make` or `go build`; or its file name says `base` or `builder`): the image built on
it sets the command and is the one judged; images that are no service: a job whose command
only copies files out, prints or exits (`cp /pki/ca.pem /pki-out/`), a tool of the
repository's own engineering (an `eng/`, `tools/` or `tooling/` folder, an image that installs
the Docker CLI and copies the repository in); Windows images (whose users are
`ContainerAdministrator` and `ContainerUser`) and WebAssembly images (`FROM --platform=wasi/..`,
a `.wasm` command, `FROM scratch` holding a module, a compose service with `platform: wasi/..`
or a wasm `runtime:`); images that never ship (devcontainers, test fixtures, local
development images: "What ships" in the README), and an image every compose service that
builds it runs over the working tree (the build context or the compose folder bind-mounted
on its WORKDIR: the developer's own files, which a fixed user of the image could not write).
The compose services that count are those that build the Dockerfile and, for the
exemptions, those of any compose file of the repository that run the image it publishes by
`image:` (its last name part is the Dockerfile's folder or the repository); Compose v1 files
(no `services:`) are not read.

The advice fits the file: the user it creates (`USER app`, naming the line), else the user
it gives its files to (`chown www-data ...`, `COPY --chown=www-data`); else the user the base
image already has (`USER node`, `USER $APP_UID` on .NET 8 and later, `USER www-data` on php,
the distroless tag that keeps the variant and runs as nonroot: `:latest` -> `:nonroot`,
`:debug` -> `:debug-nonroot`, or `USER 65532:65532` after the last RUN where the file has
RUNs, which a `:nonroot` tag would run as that user; `nginxinc/nginx-unprivileged` for nginx
unless the file
replaces nginx.conf), `adduser -D` on Alpine and BusyBox, `useradd` on Debian, Ubuntu and
RHEL, a numeric `USER 65532:65532` where there is no shell to create one (`scratch`,
chiseled, UBI micro); placed before the `ENTRYPOINT` or `CMD` the file has. The user is
given the directories the program writes: every `VOLUME` (a volume starts with the
ownership of its directory in the image) and every data directory the stages `mkdir`
(`RUN mkdir -p /data && chown -R appuser /data`; not a folder made only for a COPY to
fill), and every such directory another stage makes that a `COPY --from` brings in
(`COPY --from=build --chown=appuser ...`); a path in /root is to be moved out. A stage built
on the judged one (`FROM app AS dev-envs`) whose RUN steps the new USER would break is told
to start with `USER root`. A
`USER root` over a base that runs as a user of its own (`varnish:7`) is told to go back to
that user, not to create another one. Ports need no root: since Docker Engine 20.10 a
container sets `net.ipv4.ip_unprivileged_port_start=0`; the message notes that Kubernetes
and host networking still keep ports below 1024 for root.

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
from dockhooks._records import TYPE_CHECKING
from dockhooks._roles import dockerfile_ships
from dockhooks._roles import image_purpose
from dockhooks._roles import last_instruction
from dockhooks._roles import shipped_stage

if TYPE_CHECKING:
    from dockhooks._compose import Service
    from dockhooks._shell import Command

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
    'varnish:[7-9]*', 'varnish:latest', 'varnish:fresh', 'varnish:fresh-*',
)
# The user some of those images run as, for advice that goes back to it.
IMAGE_USERS = (
    ('varnish', 'varnish'), ('jenkins/*', 'jenkins'), ('sonarqube', 'sonarqube'),
    ('haproxy', 'haproxy'), ('memcached', 'memcache'), ('solr', 'solr'), ('bitnami/*', '1001'),
    ('gcr.io/distroless/*', 'nonroot'), ('nginxinc/nginx-unprivileged', 'nginx'),
    ('grafana/grafana*', 'grafana'),
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
    ('nginx', 'FROM nginxinc/nginx-unprivileged (it listens on 8080)'),
    ('httpd', 'USER www-data'),
    ('php', 'USER www-data'),
    ('wordpress', 'USER www-data'),
    ('nextcloud', 'USER www-data'),
    ('gcr.io/distroless/*', ':nonroot'),
)
# Since Docker Engine 20.10 a container's network namespace sets
# net.ipv4.ip_unprivileged_port_start=0, so a non-root process binds any port; other runtimes
# (Kubernetes, host networking) keep the kernel's 1024.
PORT_NOTE = ' (on Kubernetes or host networking, a port below 1024 still needs root)'
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


def _advice(df: Dockerfile, chain: list[Stage], image: str | None) -> str:
    """What to write, fitted to the base image and to the users the file creates or uses,
    with the paths that user must own, and where; and ``USER root`` at the start of the
    stages built on this one whose RUN steps would otherwise run as that user."""
    final = chain[0]
    how, owner = _how(chain, image)
    writes = _write_paths(df, chain)
    where = next((f'before {ins.keyword} (line {ins.line})' for ins in final.instructions
                  if ins.keyword in ('ENTRYPOINT', 'CMD')), 'at the end of the final stage')
    hand = ', ' + _hand_over(chain, image, owner, writes) if owner and writes else ''
    later = _builds_on(df, final) if how.startswith(('USER', 'RUN')) else []
    if later:
        names = ', '.join(f'{st.alias!r}' if st.alias else f'{st.index}'
                          for st in later)
        lines = ', '.join(str(st.from_.line) for st in later)
        hand += (f'; stage {names} (FROM on line {lines}) builds on this one and RUNs steps '
                 f'that need root (they would run as that user and fail): start it with USER '
                 f'root')
    return f'add {how} {where}{hand}'


def _builds_on(df: Dockerfile, stage: Stage) -> list[Stage]:
    """The later stages built on ``stage`` (``FROM stage AS dev``, directly or through
    others) with a RUN before any USER of their own: a USER added to ``stage`` is theirs
    too."""
    out = []
    for st in df.stages:
        chain = df.chain(st)
        if st is stage or stage not in chain or any(
                ins.keyword == 'USER' for s in chain[1:chain.index(stage)] for ins in
                s.instructions):
            continue
        for ins in st.instructions:
            if ins.keyword == 'USER':
                break
            if ins.keyword == 'RUN':
                out.append(st)
                break
    return out


def _how(chain: list[Stage], image: str | None) -> tuple[str, str | None]:
    """The user to switch to, as a line to write, and that user as ``chown`` names it
    (None when the advice is another base image that owns its paths itself)."""
    low = _privileged_port(chain)
    note = PORT_NOTE if low is not None else ''
    if image is not None:
        found = next((fix for glob, fix in EXISTING_USERS if matches(image, (glob,))
                      and not (fix == 'USER $APP_UID' and not _dotnet_8_or_later(image))),
                     None)
        if found == ':nonroot':
            if any(ins.keyword == 'RUN' for st in chain for ins in st.instructions):
                # on a :nonroot tag the RUNs of the file would run as 65532 too, and fail
                # where they write as root (`ln -s /busybox/sh /bin/sh`)
                return ('USER 65532:65532 after the last RUN (the nonroot user of distroless; '
                        'its :nonroot tags would run those RUNs as that user too)'), \
                    '65532:65532'
            return _distroless_nonroot(image), '65532:65532'
        if found is not None and found.startswith('FROM nginxinc'):
            if not _replaces(chain, '/etc/nginx/nginx.conf'):
                return found, None
            found = None  # the file's nginx.conf replaces the one that makes that image work
        if found is not None:
            return found + note, found.split()[1]
    created = _created_users(chain)
    if created:
        name, line = created[-1]
        return f'USER {name} (the user created on line {line}){note}', name
    used = _used_users(chain)
    if used:
        name, line = used[-1]
        return f'USER {name} (the user the file gives its files to on line {line}){note}', name
    family = _family(chain, image)
    if family == 'none':
        return ('USER 65532:65532 (a numeric user needs no account, and the image has no tool '
                'to create one)'), '65532:65532'
    if family == 'alpine':
        return 'RUN adduser -D -u 10001 appuser, then USER appuser' + note, 'appuser'
    return 'RUN useradd --create-home --uid 10001 appuser, then USER appuser' + note, 'appuser'


def _distroless_nonroot(image: str) -> str:
    """The distroless tag that keeps the variant of ``image`` and runs as nonroot:
    ``latest`` -> ``nonroot``, ``debug`` -> ``debug-nonroot``, ``debug-amd64`` ->
    ``debug-nonroot-amd64``."""
    import re

    ref = parse_image(image)
    m = re.match(r'^(.*?)(-(?:amd64|arm64|arm|s390x|ppc64le|riscv64))?$', ref.tag or 'latest')
    assert m is not None
    variant, arch = m.group(1) or 'latest', m.group(2) or ''
    tag = 'nonroot' if variant == 'latest' else f'{variant}-nonroot'
    name = f'{repository(ref)}:{tag}{arch}'
    pin = ' pinned by its own digest' if ref.digest else ''
    return (f'the :{tag}{arch} tag of the base image (FROM {name}{pin}; it runs as '
            f'65532), or USER 65532:65532')


def _replaces(chain: list[Stage], target: str) -> bool:
    """Whether the chain COPYs or ADDs a file to ``target`` (or a file of that name into its
    folder)."""
    for stage in chain:
        for ins in stage.instructions:
            if ins.keyword in ('COPY', 'ADD'):
                words = ins.json if ins.json is not None else ins.args.split()
                if len(words) < 2:
                    continue
                dest = words[-1]
                if dest.rstrip('/') == target or (
                        dest.rstrip('/') == posixpath.dirname(target) and any(
                            posixpath.basename(w) == posixpath.basename(target)
                            for w in words[:-1])):
                    return True
    return False


# Where a program keeps no data of its own: directories made there are the system's.
_SYSTEM_PATHS = ('/usr/', '/etc/', '/lib', '/bin/', '/sbin/', '/root/', '/tmp/', '/var/tmp/',
                 '/run/', '/var/run/', '/proc/', '/sys/', '/dev/', '/var/lib/apt/',
                 '/var/cache/apt/', '/opt/')


# Directories every user may write already (mode 1777).
_OPEN_PATHS = frozenset(('/tmp', '/var/tmp', '/dev/shm'))


def _write_paths(df: Dockerfile, chain: list[Stage]) -> list[tuple[str, Instruction]]:
    """The directories the image's program writes that are root-owned after the build:
    each ``VOLUME`` (a named or anonymous volume starts with the ownership of the image's
    directory), each directory the stages make with ``mkdir`` for data (``/data``,
    ``/app/logs``; not system paths, nor a folder made only for a COPY to fill), and each
    such directory another stage makes that a ``COPY --from`` brings in (root-owned unless
    the COPY has ``--chown``), unless the file already hands it over; each with the
    instruction that makes it (the COPY for a copied one)."""
    found: dict[str, Instruction] = {}
    owned: set[str] = set()
    filled: set[str] = set()
    for stage in reversed(chain):
        for ins in stage.instructions:
            if ins.keyword == 'VOLUME':
                words = ins.json if ins.json is not None else ins.args.split()
                for word in words:
                    path = ins.resolve(word)
                    if path and path.startswith('/') and path.rstrip('/') not in _OPEN_PATHS:
                        found.setdefault(path.rstrip('/') or '/', ins)
            elif ins.keyword == 'RUN':
                for command in ins.commands():
                    name = posixpath.basename(command.argv[0]) if command.argv else ''
                    args = [a for a in command.argv[1:] if not a.startswith('-')]
                    if name == 'mkdir':
                        found.update((p, ins) for p in _data_dirs(ins, args) if p not in found)
                    elif name == 'chown':
                        owned.update((ins.resolve(a) or a).rstrip('/') for a in args[1:])
            elif ins.keyword in ('COPY', 'ADD'):
                words = ins.json if ins.json is not None else ins.args.split()
                dest = (ins.resolve(words[-1]) or '').rstrip('/') if len(words) > 1 else ''
                if ins.flag('chown'):
                    owned.add(dest)
                elif dest.startswith('/') and len(words) == 2 and _made_in(
                        df, ins.flag('from'), ins.resolve(words[0]) or ''):
                    found.setdefault(dest, ins)
                    continue
                filled.add(dest)
    return [(path, ins) for path, ins in found.items()
            if not any(path == o or path.startswith(o + '/') for o in owned)
            and not (ins.keyword == 'RUN' and path in filled)]


def _data_dirs(ins: Instruction, args: list[str]) -> list[str]:
    """The data directories among the folders a ``mkdir`` makes: absolute, no system path."""
    out = []
    for arg in args:
        path = ins.resolve(arg)
        if path and path.startswith('/') and not (
                path.rstrip('/') + '/').startswith(_SYSTEM_PATHS):
            out.append(path.rstrip('/'))
    return out


def _made_in(df: Dockerfile, source: str | None, path: str) -> bool:
    """Whether the stage ``source`` (a name or index; None: no stage) makes the data
    directory ``path`` with ``mkdir``."""
    if not source or not path.startswith('/'):
        return False
    name = source.lower()
    stage = next((st for st in df.stages if st.alias == name
                  or (name.isdigit() and st.index == int(name))), None)
    if stage is None:
        return False
    path = path.rstrip('/')
    for st in df.chain(stage):
        for ins in st.instructions:
            if ins.keyword == 'RUN':
                for command in ins.commands():
                    if command.argv and posixpath.basename(command.argv[0]) == 'mkdir' and \
                            path in _data_dirs(ins, [a for a in command.argv[1:]
                                                     if not a.startswith('-')]):
                        return True
    return False


def _hand_over(chain: list[Stage], image: str | None, owner: str,
               writes: list[tuple[str, Instruction]]) -> str:
    """The line that gives ``owner`` the directories the program writes."""
    import shlex

    home = [path for path, _ in writes if path == '/root' or path.startswith('/root/')]
    copied = [(path, ins) for path, ins in writes if ins.keyword in ('COPY', 'ADD')
              and path not in home]
    writes = [(path, ins) for path, ins in writes if path not in home
              and ins.keyword not in ('COPY', 'ADD')]
    moved = (f'move {" ".join(shlex.quote(p) for p in home)} out of /root (root\'s home is '
             f'closed to other users) into a directory the user owns')
    parts = [f'add --chown={owner} to the COPY on line {ins.line} ({path} comes in '
             f'root-owned from the stage that makes it)' for path, ins in copied]
    if writes:
        paths = ' '.join(shlex.quote(path) for path, _ in writes)
        volume = next((ins for _, ins in writes if ins.keyword == 'VOLUME'), None)
        where = f' before VOLUME (line {volume.line})' if volume is not None else ''
        shell = any(ins.keyword == 'RUN' for stage in chain for ins in stage.instructions)
        if not shell and (image is None or _family(chain, image) == 'none'):
            parts.insert(0, f'give it the directories it writes{where}: make {paths} in a build '
                            f'stage and COPY --from=that-stage --chown={owner} them into the '
                            f'image, since a root-owned directory (a VOLUME starts with its '
                            f'ownership) is read-only for it')
        else:
            parts.insert(0, f'give it the directories it writes{where}: RUN mkdir -p {paths} '
                            f'&& chown -R {owner} {paths} (a VOLUME starts with the ownership '
                            f'of its directory in the image)')
    if home:
        parts.append(moved)
    return 'and ' + '; '.join(parts)


def _used_users(chain: list[Stage]) -> list[tuple[str, int]]:
    """The users the stages give files to (``chown www-data ...``, ``COPY --chown=app``),
    which therefore exist in the image, each with its line; root, ids and variables left
    out."""
    out: list[tuple[str, int]] = []
    for stage in reversed(chain):
        for ins in stage.instructions:
            names: list[str] = []
            if ins.keyword in ('COPY', 'ADD') and ins.flag('chown'):
                names.append(ins.flag('chown') or '')
            elif ins.keyword == 'RUN':
                for command in ins.commands():
                    if command.argv and posixpath.basename(command.argv[0]) == 'chown':
                        names.extend([a for a in command.argv[1:] if not a.startswith('-')][:1])
            for value in names:
                user = value.split(':', 1)[0]
                if user and '$' not in user and not user.isdigit() and not is_root(user) \
                        and (user, ins.line) not in out:
                    out.append((user, ins.line))
    return out


def _privileged_port(chain: list[Stage]) -> int | None:
    """The lowest port below 1024 the image EXPOSEs, if any."""
    return min((p for p in _exposed(chain) if 0 < p < 1024), default=None)


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
# to its own user after taking what only root may (FTP, mail, DNS, VPN, SMB servers; web
# servers whose master process drops its workers to their own user: httpd `User`, nginx
# `user`, php-fpm's pool `user =`), and Docker's own daemon.
ROOT_PROGRAMS = frozenset((
    'supervisord', 'runsvdir', 'runit', 'runsv', 's6-svscan', 'systemd', 'init', 'crond',
    'cron', 'sshd', 'dockerd', 'dockerd-entrypoint.sh', 'containerd', 'openrc-init',
    'vsftpd', 'pure-ftpd', 'proftpd', 'dovecot', 'postfix', 'exim', 'exim4', 'named',
    'squid', 'smbd', 'openvpn', 'dnsmasq', 'xinetd', 'inetd', 'rsyslogd', 'radiusd',
    'httpd', 'httpd-foreground', 'apache2', 'apache2-foreground', 'apachectl', 'apache2ctl',
    'nginx', 'openresty', 'php-fpm',
))
# Programs that configure the kernel (firewall, routes, links, kernel parameters, modules):
# they need CAP_NET_ADMIN or CAP_SYS_ADMIN, which a container's capabilities give to root
# only (Docker puts an added capability in a non-root process's bounding set, not in its
# effective one).
KERNEL_PROGRAMS = frozenset((
    'iptables', 'ip6tables', 'iptables-legacy', 'ip6tables-legacy', 'iptables-nft',
    'ip6tables-nft', 'iptables-restore', 'ip6tables-restore', 'nft', 'ebtables', 'arptables',
    'ipset', 'modprobe', 'insmod', 'wg-quick', 'brctl',
))
# Programs that capture packets (sniffers, network IDS): they open raw sockets on an
# interface, which needs CAP_NET_RAW/CAP_NET_ADMIN, given in a container to root only.
CAPTURE_PROGRAMS = frozenset((
    'snort', 'suricata', 'zeek', 'bro', 'tcpdump', 'tshark', 'dumpcap', 'ntopng', 'dsniff',
    'ngrep', 'arpwatch', 'p0f', 'darkstat', 'iftop', 'nethogs',
))
# `ip OBJECT VERB` that changes the network configuration (`ip route add`, `ip link set`).
_IP_CHANGES = frozenset(('add', 'del', 'delete', 'replace', 'change', 'set', 'flush',
                         'append', 'prepend'))
# Packages of process supervisors, and of servers that start as root and drop their own
# workers: a start script that launches one of them next to the program needs root.
SUPERVISOR_PACKAGES = frozenset(('supervisor', 'runit', 's6', 's6-overlay', 'daemontools'))
SERVER_PACKAGES = frozenset((
    'nginx', 'nginx-light', 'nginx-full', 'nginx-extras', 'nginx-core', 'apache2', 'httpd',
    'postfix', 'exim4', 'exim', 'openssh-server', 'openssh', 'cron', 'cronie', 'dcron',
    'dovecot', 'dovecot-core', 'php-fpm', 'squid', 'bind9', 'dnsmasq',
))
# Base images whose own program is such a server: a start script of the file that runs on
# them starts that server (`nginx:alpine` with `CMD ["/bin/bash", "/opt/startup.sh"]`).
SERVER_IMAGES = ('nginx', 'httpd', 'php:*fpm*', 'php:*apache*', 'wordpress', 'nextcloud',
                 'drupal', 'joomla', 'openresty/openresty')
# Compose settings that give a container what only root can use, or that read the host:
# `privileged`, `cap_add` of these, `pid: host`, mounts of the Docker socket or the host's
# /proc, /sys, /var/log.
_ROOT_CAPABILITIES = frozenset(('NET_ADMIN', 'SYS_ADMIN', 'ALL', 'NET_RAW', 'SYS_MODULE',
                                'SYS_PTRACE'))
_HOST_MOUNTS = ('/var/run/docker.sock', '/run/docker.sock', '/proc', '/sys', '/var/log',
                '/var/lib/docker')
# SMTP: a mail transfer agent (postfix, exim) delivers for local users and runs as root.
_ROOT_PORTS = frozenset((25,))


def _runs_as_root_by_design(df: Dockerfile, chain: list[Stage]) -> bool:
    """Whether root is what the image's program needs or hands on (see :data:`ROOT_PROGRAMS`
    and :func:`_needs_root`); or it creates a user and hands the name to its program in an
    ENV (``DNSMASQ_USER=pihole``, ``RUN_AS=app``), whose entrypoint then drops to it."""
    if _needs_root(df, chain):
        return True
    created = {name for name, _ in _created_users(chain)}
    if created:
        for stage in chain:
            if any(value in created for value in stage.env.values() if value):
                return True
    return False


def _needs_root(df: Dockerfile, chain: list[Stage]) -> bool:
    """Whether what the image runs needs root: its command (or the start script it runs, as
    the file or the build context shows it) is a supervisor, an init or a server that drops
    to its own user, or configures the kernel (:data:`KERNEL_PROGRAMS`, ``ip route add``,
    ``sysctl -w``); the image installs a process supervisor; a start script runs on a base
    whose program is such a server, or next to one the stage installs; it serves SMTP; or a
    compose file of the project runs the image it builds privileged, with an added
    capability, or reading the host (``pid: host``, the Docker socket)."""
    from dockhooks._roles import image_command
    from dockhooks._roles import last_instruction

    entry = last_instruction(chain, 'ENTRYPOINT')
    first = (entry.json or [''])[0] if entry is not None and entry.json is not None else \
        entry.args.split()[0] if entry is not None and entry.args.split() else ''
    commands = list(image_command(chain) or [])
    script = _start_script(commands)
    if script is not None:
        commands += _script_commands(df, chain, script)
    if _root_program(first) or posixpath.basename(first) in CAPTURE_PROGRAMS or any(
            _root_program(c.argv[0]) or _configures_kernel(c.argv) for c in commands if c.argv):
        return True
    installed = _installed(chain)
    if installed & SUPERVISOR_PACKAGES:
        return True
    if script is not None and (installed & SERVER_PACKAGES or any(
            p.startswith('php') and p.endswith('-fpm') for p in installed) or (
            chain[-1].image is not None and matches(chain[-1].image, SERVER_IMAGES))):
        return True
    if _ROOT_PORTS & _exposed(chain):
        return True
    return _compose_needs_root(df)


def _root_program(word: str) -> bool:
    import re

    name = posixpath.basename(word)
    return name in ROOT_PROGRAMS or re.fullmatch(r'php-?fpm[0-9.]*', name) is not None


def _configures_kernel(argv: Sequence[str]) -> bool:
    name = posixpath.basename(argv[0])
    if name in KERNEL_PROGRAMS or name in CAPTURE_PROGRAMS:
        return True
    words = [a for a in argv[1:] if not a.startswith('-')]
    if name == 'ip':
        return len(words) >= 2 and words[1] in _IP_CHANGES
    if name == 'sysctl':
        return '-w' in argv or any('=' in w for w in words)
    return False


def _start_script(commands: list[Command]) -> str | None:
    """The script the image's command runs (``/start.sh``, ``bash /opt/startup.sh``), if
    its command is one: a path that is no program dockhooks knows."""
    if len(commands) != 1 or not commands[0].argv:
        return None
    argv = commands[0].argv
    words = [a for a in argv[1:] if not a.startswith('-')]
    if posixpath.basename(argv[0]) in ('sh', 'bash', 'ash', 'dash', 'zsh') and words:
        return words[0]
    if '/' in argv[0] or argv[0].endswith('.sh'):
        if _root_program(argv[0]) or posixpath.basename(argv[0]) in KERNEL_PROGRAMS:
            return None
        return argv[0]
    return None


def _script_commands(df: Dockerfile, chain: list[Stage], script: str) -> list[Command]:
    """The commands of the start script ``script`` (its path in the image), when the file
    writes it (``COPY <<EOF /start.sh``) or copies it from the build context beside the
    Dockerfile; none when it cannot be read."""
    import os

    from dockhooks._shell import split_commands

    for stage in chain:
        for ins in reversed(stage.instructions):
            if ins.keyword not in ('COPY', 'ADD') or ins.flag('from'):
                continue
            words = ins.json if ins.json is not None else ins.args.split()
            if len(words) < 2:
                continue
            dest = words[-1]
            for heredoc in ins.heredocs:
                if dest == script:
                    return split_commands(heredoc.content)
            for source in words[:-1]:
                into = dest.rstrip('/') + '/' + posixpath.basename(source.rstrip('/'))
                if dest == script or into == script:
                    path = os.path.join(os.path.dirname(df.path), source.lstrip('/'))
                    try:
                        with open(path, encoding='utf-8', errors='replace') as f:
                            return split_commands(f.read(65536))
                    except OSError:
                        return []
    return []


def _installed(chain: list[Stage]) -> set[str]:
    """The packages the stages install with a package manager."""
    from dockhooks._shell import package_ops

    out: set[str] = set()
    for stage in chain:
        for ins in stage.instructions:
            if ins.keyword == 'RUN':
                for op in package_ops(ins.commands()):
                    if op.action == 'install':
                        out.update(ins.package_names(op.packages))
    return out


def _exposed(chain: list[Stage]) -> set[int]:
    import re

    return {int(m.group(1)) for stage in chain for ins in stage.instructions
            if ins.keyword == 'EXPOSE'
            for m in re.finditer(r'(?<![\w$])(\d+)(?:/\w+)?', ins.args)}


def _compose_needs_root(df: Dockerfile) -> bool:
    """Whether a compose file of the project runs the image it builds from ``df`` with
    what only root can use (``privileged: true``, ``cap_add: [NET_ADMIN]``) or reading the
    host (``pid: host``, a mount of the Docker socket or the host's /proc)."""
    import os
    import re

    from dockhooks._compose import builds_of
    from dockhooks._compose import runs_of
    from dockhooks.dockerfile_pinned_base_image import _repository_names

    # words one of which a compose file that grants root must hold (`pid:`, not `pid`, and
    # the host paths whole, not /var/run: a postgres tmpfs names that): the others are not
    # parsed, which keeps ruamel.yaml out of a Dockerfile hook on most commits
    mentions = ('privileged', 'cap_add', 'pid:', *_HOST_MOUNTS)
    # the image this Dockerfile publishes, named after its folder or the repository, as the
    # repository's compose files run it by `image:` (the project's documented stacks)
    folder = os.path.basename(os.path.dirname(os.path.abspath(df.path)))
    names = _repository_names(df.path) | {re.sub(r'[^a-z0-9]', '', folder.lower())}
    for service in builds_of(df.path, *mentions) + runs_of(df.path, names - {''}, *mentions):
        if service.value_str(service.get('privileged')) in ('true', 'True') or \
                service.get('privileged') is True:
            return True
        caps = service.get('cap_add')
        if isinstance(caps, list) and any(
                str(c).upper().removeprefix('CAP_') in _ROOT_CAPABILITIES for c in caps):
            return True
        if str(service.get('pid') or '') == 'host':
            return True
        if any(host.rstrip('/') in _HOST_MOUNTS for host, _ in service.bind_mounts()):
            return True
    return False


def _source_mounted(df: Dockerfile, chain: list[Stage]) -> bool:
    """Whether every compose service of the project that builds ``df`` (one at least)
    bind-mounts a host folder of the project (a relative path or a variable) over the
    image's WORKDIR (or a folder above it, or a target that is a variable): the code it runs
    is the developer's working tree, owned by the developer's uid, so the image is a local
    development one (a fixed user of the image could not write there; root or the host's
    uid can)."""
    from dockhooks._compose import builds_of

    workdir = next((ins.resolve(ins.args.strip()) for stage in chain
                    for ins in reversed(stage.instructions) if ins.keyword == 'WORKDIR'), None)
    if not workdir or not workdir.startswith('/'):
        return False
    workdir = posixpath.normpath(workdir)
    last = df.final_stage()
    # only files that bind-mount a relative path or a variable can mount the working tree
    services = [s for s in builds_of(df.path, './', '.:', '${', '$PWD') if s.build is not None and (
        df.final_stage(s.build.target) if s.build.target else last) is chain[0]]
    return bool(services) and all(any(
        _working_tree(service, host, target) and (
            target.startswith('$') or workdir == posixpath.normpath(target) or
            workdir.startswith(posixpath.normpath(target).rstrip('/') + '/'))
        for host, target in service.bind_mounts()) for service in services)


def _working_tree(service: Service, host: str, target: str) -> bool:
    """Whether the host side of a bind mount is the project's working tree: the service's
    build context, its compose file's folder or the one above, or a variable mounted on a
    variable (``${APP_CODE_PATH_HOST}:${APP_CODE_PATH_CONTAINER}``, which cannot be known
    and is read as the code it names)."""
    import os

    if host.startswith('$'):
        return target.startswith('$')
    if not host.startswith('.') or service.build is None:
        return False
    base = os.path.dirname(os.path.abspath(service.file.path))
    path = os.path.normpath(os.path.join(base, host))
    return path in (os.path.normpath(os.path.join(base, service.build.context)), base,
                    os.path.dirname(base))


def _windows(image: str) -> bool:
    ref = parse_image(image)
    tag = (ref.tag or '').lower()
    return repository(ref).startswith('mcr.microsoft.com/windows') or any(
        w in tag for w in ('nanoserver', 'windowsservercore', 'ltsc20'))


def _not_a_runtime_image(df: Dockerfile, chain: list[Stage], image: str) -> bool:
    """An image that is a base for others, a toolbox, a build environment, a tool or a job,
    or runs nothing as a Linux user (Windows, WebAssembly)."""
    if _windows(image) or _wasm(df, chain):
        return True
    from dockhooks._roles import KEEP_ALIVE
    from dockhooks._roles import image_command

    # a toolbox kept alive for operators to exec into (`tail -f /dev/null`, `sleep infinity`)
    if any(KEEP_ALIVE.search(' '.join(c.argv)) for c in image_command(chain) or []):
        return True
    # no command of its own (a base or toolbox: the image that sets the command is judged),
    # a bare shell or interpreter, a command that builds, copies files out or prints
    return image_purpose(df, chain) != 'runtime'


# containerd shims that run WebAssembly modules (io.containerd.wasmedge.v1, ...spin.v2)
_WASM_RUNTIMES = ('wasm', 'wasi', 'wasmedge', 'wasmtime', 'wasmer', 'spin', 'slight', 'wws',
                  'lunatic')


def _wasm(df: Dockerfile, chain: list[Stage]) -> bool:
    """A WebAssembly image: built for a wasi/wasm platform (``FROM --platform``), its
    command is a ``.wasm`` module, it is ``FROM scratch`` holding a module, or a compose
    file of the project runs it with ``platform: wasi/...`` or a WebAssembly runtime."""
    import re

    from dockhooks._roles import image_command

    platform = (chain[-1].from_.flag('platform') or '').lower()
    if 'wasi' in platform or 'wasm' in platform:
        return True
    commands = image_command(chain) or []
    if any(c.argv and c.argv[0].endswith('.wasm') for c in commands):
        return True
    if chain[-1].image == 'scratch' and any(
            ins.keyword in ('COPY', 'ADD') and '.wasm' in ins.args
            for stage in chain for ins in stage.instructions):
        return True
    from dockhooks._compose import builds_of

    for service in builds_of(df.path, 'wasi', 'wasm', 'runtime'):
        platform = (service.value_str(service.get('platform')) or '').lower()
        runtime = (service.value_str(service.get('runtime')) or '').lower()
        if platform.startswith(('wasi', 'wasm')) or any(
                w in _WASM_RUNTIMES for w in re.split(r'[^a-z0-9]+', runtime)):
            return True
    return False


def check(df: Dockerfile, opts: SimpleNamespace) -> Iterator[Problem]:
    final = shipped_stage(df, opts.target)
    if final is None or not dockerfile_ships(df, opts.target):
        return  # a devcontainer, test fixture or dev image runs on a developer's machine
    chain = df.chain(final)
    if _source_mounted(df, chain):
        return  # a local development image: it runs over the developer's own files
    user = next((ins for stage in chain for ins in reversed(stage.instructions)
                 if ins.keyword == 'USER' and ins.args.strip()), None)
    image = chain[-1].image
    known = image is not None and '$' not in image
    if user is not None:
        if is_root(user.resolve(user.args.split()[0]) or '') and (
                _steps_down(df, chain) or _runs_as_root_by_design(df, chain)):
            return  # root on purpose: the entrypoint drops to a user, or the program must
        non_root = known and matches(image or '', NON_ROOT_IMAGES
                                     + tuple(opts.extra_non_root_images))
        yield from _judge_user(df, user, chain, image if known else None, non_root)
        return
    if not known:
        return  # an ARG with no default: cannot be known
    assert image is not None
    if _not_a_runtime_image(df, chain, image) or _steps_down(df, chain) \
            or _runs_as_root_by_design(df, chain):
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
        f'does too; {_advice(df, chain, image)}',
    )


def _judge_user(df: Dockerfile, user: Instruction, chain: list[Stage],
                image: str | None, non_root: bool) -> Iterator[Problem]:
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
    if non_root and image is not None:
        # the base runs as a user of its own: a new user is not the fix, going back to it is
        own = next((u for glob, u in IMAGE_USERS if matches(image, (glob,))), None)
        back = f'USER {own}' if own else (
            "USER with the base image's user (docker image inspect -f '{{.Config.User}}' "
            f"{image} shows it)")
        files = (f'COPY --chown={own} for them, chown {own} of their directories' if own
                 else 'COPY --chown and chown of their directories with that user')
        yield Problem(
            user.line, user.col,
            f'the image runs as root: USER {raw}{via} is the last USER of the final stage, '
            f'while its base image {repository(parse_image(image))} runs as a user of its '
            f'own; end the stage as that user again: add {back} after the steps that need '
            f'root, and give it the files its program writes ({files} in a RUN before that '
            f'USER)',
        )
        return
    yield Problem(
        user.line, user.col,
        f'the image runs as root: USER {raw}{via} is the last USER of the final stage; end it '
        f'as a non-root user instead: {_advice(df, chain, image)}',
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
