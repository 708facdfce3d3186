"""Each compose service runs with a read-only root filesystem.

## What it does
Reports a service without `read_only: true`: `read_only: false` at that line, a missing key
at the service. Paths the process must write to go on `tmpfs:` (scratch space) or volumes
(data), which stay writable with a read-only root. The message names only the paths it knows
and leaves out those a `tmpfs:` or writable volume of the service already holds:
- of a well-known image or image family (WRITES below: postgres and the images built on it,
  nginx, mysql, mariadb, MinIO, qdrant, logstash, squid ...), also when the service builds a
  Dockerfile of the repository `FROM` one;
- the `VOLUME`s of the Dockerfile of the repository the service builds, which stay writable;
- what the service's own command shows: a file a shell in `command:` or `entrypoint:` (or in
  the Dockerfile's `CMD`/`ENTRYPOINT`) writes with `>`, and the path of an option that names
  where data goes (`--storage.tsdb.path=/prometheus`, `--data-dir /var/lib/x`);
- what its healthcheck shows, since `healthcheck.test` runs in the same root (read as
  `command:` is): a file it writes, and the folder of a tool it runs (TOOLS below: MinIO's
  `mc ready local` saves mc's configuration in `$MC_CONFIG_DIR`, which MinIO's images set to
  `/tmp/.mc`, else in `~/.mc`).
An image tagged by a variable without a value (`valkey/valkey:${VERSION}`) is known by its
name.
A known image given a configuration file of its own (`./nginx.conf:/etc/nginx/nginx.conf`,
`redis-server /usr/local/etc/redis/redis.conf`) may write where that file says: the message
says so. For any other image it says that the paths are not known and how to find them:
`docker diff <container>` on a running one lists what it changed in its root; a tmpfs: is
for scratch and starts empty, a volume is for data only (a new named volume over the image's
code or assets keeps the first start's files across upgrades); a start that rewrites the
image's own files (users added to `/etc/passwd`, its code or assets) means it cannot run
read-only as built. A privileged service (`privileged: true`, `cap_add: SYS_ADMIN`) is told
that a process with CAP_SYS_ADMIN can remount the root read-write.

Images whose start rewrites their own system or configuration files (docker-mailserver,
Pi-hole, the Nextcloud All-in-One mastercontainer, the Selenium Grid images, bytemark/smtp's
exim, FTP and SFTP servers that create their users at start) cannot run with a read-only
root: they are not judged (NOT_READ_ONLY below), nor is a service built from a Dockerfile
`FROM` one, nor one whose command or healthcheck writes a file of the system itself
(`> /etc/environment`) or runs a program that rewrites the image's files (REWRITERS below:
`adduser`, `useradd`, `import-meta-env`). One-shot jobs, as DH204 reads them (another
service waits for them with `condition: service_completed_successfully`, or their name says
they are a job and nothing restarts them), exit and are not judged; a `read_only: false`
they write is.

Services can be exempted with `--exempt-services` or a `# dockhooks: ignore=DH205` pragma
above the service. A `read_only: false` written once in an anchor (`<<: *base`) is one
finding at the anchor's line, naming the services that use it. In a fragment that another
compose file completes (no `image:` or `build:`, or an override of a service of the base
`compose.yaml`) a missing key is judged where the service is defined in full, and a service
that `extends:` another (in this file or another compose file) where that one is written.
Stacks that never ship are not judged: local development stacks (`docker-compose.dev.yml`,
`dev/`, `local/`, or read from what their services do, the default override file
`docker-compose.override.yml` merged over the base file as Compose does), devcontainers and
test or CI fixtures ("What ships" in the README).

`--fix --unsafe-fixes` adds `read_only: true` to the service, with a `tmpfs:` entry for
each path the rule knows the image writes (`/tmp`, `/var/run/postgresql`,
`/var/cache/nginx`...), only where what the image writes is known in full and the service
has no `tmpfs:` of its own; a `read_only: false` becomes `true`. Unsafe: a path the image
writes that the rule does not know now fails at run time; try the stack before you commit.

## Why is this bad?
With a writable root filesystem, an attacker who gets code execution can drop binaries,
edit the application or its configuration, and persist until the container is recreated.
A read-only root turns all of that into "Read-only file system" errors, and it documents
exactly where the service writes.

## Example
```yaml
services:
  db:
    image: postgres:16.4
    volumes:
      - db-data:/var/lib/postgresql/data
```

## Use instead
```yaml
services:
  db:
    image: postgres:16.4
    read_only: true
    tmpfs:
      - /var/run/postgresql
      - /tmp
    volumes:
      - db-data:/var/lib/postgresql/data
```

## Options
- `--exempt-services NAMES`: services that may keep a writable root (comma-separated).
"""
from __future__ import annotations

import os
import posixpath
import re
import shlex
from collections.abc import Iterator
from collections.abc import Sequence
from types import SimpleNamespace

from dockhooks._compose import MISSING
from dockhooks._compose import ComposeFile
from dockhooks._compose import Service
from dockhooks._compose import is_compose_filename
from dockhooks._findings import Problem
from dockhooks._hook import run_hook
from dockhooks._images import matches
from dockhooks._images import parse_image
from dockhooks._images import repository
from dockhooks._records import TYPE_CHECKING
from dockhooks._records import NamedTuple
from dockhooks._roles import stack_role

if TYPE_CHECKING:
    from dockhooks._dockerfile import Dockerfile
    from dockhooks._dockerfile import Stage
    from dockhooks._fixes import Fix

CODE = 'DH205'
ID = 'compose-read-only'
SUMMARY = 'each compose service sets read_only: true (tmpfs: for scratch paths)'
SEVERITY = 'warning'
OPTIONS = ('exempt-services',)
FIXES = 'unsafe'
_TRUE = frozenset(('true', 'yes', 'on', '1'))


class Writes(NamedTuple):
    """Where an image writes outside the VOLUMEs it declares itself."""

    name: str                       # how the message names the image
    scratch: tuple[str, ...] = ()   # for tmpfs: (sockets, pid files, temporary files)
    data: tuple[str, ...] = ()      # for volumes (what it keeps)
    # environment variables that move a data path elsewhere: (variable, the path it moves)
    moved_by: tuple[tuple[str, str], ...] = ()
    note: str = ''                  # what else a read-only root needs, said as a clause
    # where its configuration is read from, when a configuration file can name more paths
    # it writes to (a mount at or below one gives it one)
    configs: tuple[str, ...] = ()
    # scratch paths a mount or an option brings: (a mount target or option prefix, the path)
    brought: tuple[tuple[str, str], ...] = ()
    # whether a configuration file mounted where `configs` are is read without being named
    mounted_config: bool = True
    # environment the image sets that the tools it runs read (TOOLS): (variable, value)
    env: tuple[tuple[str, str], ...] = ()


# Where well-known images write outside their own VOLUMEs, from their Dockerfiles and
# documentation; the first match wins. An image not here gets no paths: nobody can know them
# from the compose file.
WRITES: tuple[tuple[tuple[str, ...], Writes], ...] = (
    # the official image and the images built FROM it (same entrypoint, same paths)
    (('postgres', '*/postgres', 'postgis/postgis', 'pgvector/pgvector', 'ankane/pgvector',
      'timescale/timescaledb', 'zulip/zulip-postgresql', 'pgautoupgrade/pgautoupgrade'),
     Writes('postgres', ('/var/run/postgresql', '/tmp'),
            moved_by=(('PGDATA', '/var/lib/postgresql/data'),), configs=('/etc/postgresql',))),
    # templates in /etc/nginx/templates are rendered into /etc/nginx/conf.d at each start
    (('nginx',), Writes('nginx', ('/var/cache/nginx', '/var/run', '/tmp'),
                        brought=(('/etc/nginx/templates', '/etc/nginx/conf.d'),),
                        configs=('/etc/nginx/nginx.conf', '/etc/nginx/conf.d'))),
    (('nginxinc/nginx-unprivileged',),
     Writes('nginx-unprivileged', ('/tmp',),
            configs=('/etc/nginx/nginx.conf', '/etc/nginx/conf.d'))),
    (('mysql',), Writes('mysql', ('/var/run/mysqld', '/tmp'), configs=('/etc/mysql',))),
    (('mariadb',), Writes('mariadb', ('/run/mysqld', '/tmp'), configs=('/etc/mysql',))),
    # only its VOLUME /data; a configuration file counts only when its command names it
    # (`redis-server /usr/local/etc/redis/redis.conf`): a bare redis-server reads none
    (('redis', 'valkey/valkey'), Writes('redis', configs=('/usr/local/etc/redis',),
                                        mounted_config=False)),
    # only its VOLUMEs /config and /data (XDG_CONFIG_HOME, XDG_DATA_HOME: certificates,
    # autosaved configuration)
    (('caddy',), Writes('caddy', configs=('/etc/caddy',))),
    # its socket; data on VOLUME /data/db
    (('mongo',), Writes('mongo', ('/tmp',), configs=('/etc/mongod.conf', '/etc/mongo'))),
    (('memcached',), Writes('memcached')),          # keeps everything in memory
    (('httpd',), Writes('httpd', ('/usr/local/apache2/logs', '/tmp'),
                        configs=('/usr/local/apache2/conf',))),
    # where these keep data is set by options only (--storage.tsdb.path, --storage.path)
    (('prom/prometheus', 'quay.io/prometheus/prometheus'), Writes('prometheus')),
    (('prom/alertmanager', 'quay.io/prometheus/alertmanager'), Writes('alertmanager')),
    # only the files its options name (acme storage, log files); plugins are downloaded
    (('traefik',), Writes('traefik', brought=(('--experimental.plugins', '/plugins-storage'),),
                          configs=('/etc/traefik', '/traefik.yml', '/traefik.yaml',
                                   '/traefik.toml'))),
    # MinIO creates its certificates folder (~/.minio/certs, or --certs-dir) at start and
    # exits when it cannot (minio/minio#14763); its drives are the paths `server` is given
    # the `mc` it ships (the `mc ready local` healthcheck) keeps its configuration in
    # MC_CONFIG_DIR, which its images set to /tmp/.mc
    (('minio/minio', 'quay.io/minio/minio'),
     Writes('minio', ('/root/.minio',), env=(('MC_CONFIG_DIR', '/tmp/.mc'),))),
    (('qdrant/qdrant',),
     Writes('qdrant', data=('/qdrant/storage', '/qdrant/snapshots'), configs=('/qdrant/config',),
            moved_by=(('QDRANT__STORAGE__STORAGE_PATH', '/qdrant/storage'),
                      ('QDRANT__STORAGE__SNAPSHOTS_PATH', '/qdrant/snapshots')))),
    (('logstash', 'docker.elastic.co/logstash/logstash'),
     Writes('logstash', ('/tmp',), ('/usr/share/logstash/data',),
            configs=('/usr/share/logstash/config',),
            note='settings given in its environment are written into '
                 '/usr/share/logstash/config/logstash.yml at start, so with those that '
                 'folder needs a named volume (a new one starts with the image\'s files)')),
    (('ubuntu/squid', 'sameersbn/squid'),
     Writes('squid', ('/run', '/tmp'), ('/var/spool/squid', '/var/log/squid'),
            configs=('/etc/squid',))),
)
# Images whose start rewrites files of the image itself, so that no tmpfs: or volume can
# stand in for them: docker-mailserver and Pi-hole configure their daemons under /etc at
# each start, the Nextcloud AIO mastercontainer adjusts its users and groups and runs
# supervisord with php-fpm and caddy, the Selenium Grid images (built on selenium/base)
# generate /opt/selenium/config.toml at start and open /etc/passwd to an arbitrary user, and
# bytemark/smtp rewrites /etc/exim4/update-exim4.conf.conf and regenerates exim's config;
# mbentley/timemachine adds its users to /etc/passwd and writes /etc/samba/smb.conf; the
# FTP and SFTP servers that take their users from the environment or their arguments
# (delfer/alpine-ftp-server's adduser per USERS entry, atmoz/sftp's useradd and chpasswd)
# write /etc/passwd and /etc/shadow at each start.
NOT_READ_ONLY = (
    'docker-mailserver/docker-mailserver', 'mailserver/docker-mailserver',
    'ghcr.io/docker-mailserver/docker-mailserver', 'pihole/pihole',
    'nextcloud/all-in-one', 'ghcr.io/nextcloud-releases/all-in-one',
    'selenium/base', 'selenium/hub', 'selenium/node-*', 'selenium/standalone-*',
    'selenium/distributor', 'selenium/event-bus', 'selenium/router', 'selenium/sessions',
    'selenium/session-queue', 'bytemark/smtp', 'mbentley/timemachine',
    'delfer/alpine-ftp-server', 'atmoz/sftp',
    # IDE servers are workspaces: the developer installs tools and extensions into them
    'theiaide/theia', 'theiaide/theia-*', 'codercom/code-server',
    'lscr.io/linuxserver/code-server', 'linuxserver/code-server', 'gitpod/openvscode-server',
)
# Programs that rewrite the image's own files when a start runs them: users and groups
# added to /etc/passwd, /etc/group and /etc/shadow, or a shipped JavaScript bundle rewritten
# in place with the environment (import-meta-env); no tmpfs: or volume stands in for those.
REWRITERS = frozenset((
    'useradd', 'adduser', 'userdel', 'deluser', 'usermod', 'groupadd', 'addgroup', 'groupdel',
    'delgroup', 'groupmod', 'chpasswd', 'import-meta-env',
))
# Tools a command or a healthcheck runs that create a folder of their own and fail when they
# cannot: (the variable that names the folder, the folder in the home without it). MinIO's
# client `mc` (`mc ready local`, MinIO's healthcheck) exits when it cannot save its config.
TOOLS = {'mc': ('MC_CONFIG_DIR', '.mc')}
_BARE = frozenset(('bash', 'sh', '/bin/bash', '/bin/sh', 'true', '/bin/true'))
_SHELLS = frozenset(('sh', 'bash', 'ash', 'dash', 'zsh'))
# Words of an option's name that say it names where the process keeps data or writes a file
_WRITE_OPTION_WORDS = frozenset(('data', 'datadir', 'storage', 'dbpath', 'filepath'))
_OPTION = re.compile(r'^--?([A-Za-z][A-Za-z0-9_.-]*)(?:=(.*))?$')
_SPLIT = re.compile(r'[._-]+')
_NOT_ON_ROOT = ('/dev/', '/proc/', '/sys/')
# Folders whose files are the system's own: a start that writes one rewrites the image
_SYSTEM_FOLDERS = frozenset(('/', '/etc', '/usr', '/bin', '/sbin', '/lib', '/lib64', '/var'))
_VARIABLE = re.compile(r'\$\{[^}]*\}|\$[A-Za-z_][A-Za-z0-9_]*')


class _Image(NamedTuple):
    """What is known of the image a service runs."""

    writes: Writes | None   # its known paths, or None
    named: str              # how the message names it
    volumes: tuple[str, ...] = ()   # VOLUMEs of the repository's Dockerfile it is built from
    chain: list[Stage] | None = None  # the stages of that Dockerfile's image, final first
    # a known base whose paths are a start only: the Dockerfile runs a command of its own
    base: Writes | None = None


def _known(image: str | None) -> Writes | None:
    if image is None:
        return None
    for globs, writes in WRITES:
        if matches(image, globs):
            return writes
    return None


def _built(cf: ComposeFile, service: Service) -> tuple[Dockerfile, list[Stage]] | None:
    """The repository's Dockerfile the service builds and the stages of its image."""
    build = service.build
    if build is None or build.inline or not build.known or build.dockerfile is None \
            or '://' in build.context:
        return None
    from dockhooks._dockerfile import Dockerfile
    from dockhooks._hook import parsed_doc

    df = parsed_doc(os.path.join(os.path.dirname(cf.path), build.context, build.dockerfile),
                    'dockerfile')
    if not isinstance(df, Dockerfile):
        return None
    stage = df.final_stage(build.target)
    return (df, df.chain(stage)) if stage is not None else None


def _image(cf: ComposeFile, service: Service) -> _Image | None:
    """What is known of the service's image; None for one that cannot run read-only.

    An image the repository builds takes the paths of its base image when it runs the base's
    own command (no ``CMD`` or ``ENTRYPOINT`` of its own: ``FROM nginx`` and ``COPY dist``);
    with a command of its own, what that command writes is not known."""
    built = _built(cf, service)
    if built is not None:
        df, chain = built
        base = chain[-1].image
        if base is not None and matches(base, NOT_READ_ONLY):
            return None
        volumes: list[str] = []
        own_command = False
        for stage in reversed(chain):
            for ins in stage.instructions:
                if ins.keyword == 'VOLUME':
                    words = ins.json if ins.json is not None else ins.args.split()
                    volumes.extend(posixpath.normpath(v) for v in (ins.resolve(w) for w in words)
                                   if v and v.startswith('/'))
                own_command = own_command or ins.keyword in ('CMD', 'ENTRYPOINT')
        rel = posixpath.relpath(os.path.relpath(df.path, os.path.dirname(cf.path) or '.')
                                .replace(os.sep, '/'))
        writes = _known(base)
        if writes is not None and not own_command:
            return _Image(writes, f'{writes.name} (the base of {rel})', tuple(volumes), chain)
        return _Image(None, f'the image built from {rel}', tuple(volumes), chain, writes)
    if service.build is not None:
        return _Image(None, 'the image it builds')
    image = service.image
    shown = image
    if shown is None and service.raw_image is not None:
        # a variable without a value: the name as the file writes it, with its defaults
        from dockhooks._vars import expand

        env = service.file.env or {}
        shown = expand(service.raw_image, env.get, compose=True, literal_only=True)
    name = repository(parse_image(shown)) if shown else ''
    if image is None and name and '$' not in name:
        image = name  # only the tag is unknown (valkey/valkey:${VERSION}): the image is not
    if image is not None and matches(image, NOT_READ_ONLY):
        return None
    writes = _known(image)
    if writes is not None:
        return _Image(writes, writes.name)
    return _Image(None, name if name and '$' not in name else 'its image')


def _mounts(service: Service, writable: bool = True) -> list[str]:
    """The container paths a volume or a tmpfs of the service holds (``writable``: only those
    it can write to, not ``:ro`` ones)."""
    out: list[str] = []
    volumes = service.get('volumes')
    for item in volumes if isinstance(volumes, list) else []:
        if isinstance(item, dict):
            target = service.value_str(item.get('target'))
            if target and not (writable and service.value_str(item.get('read_only'))
                               in ('true', 'True')):
                out.append(target)
            continue
        text = service.value_str(item)
        if text is None and isinstance(item, str):
            # a variable without a known value: the source is unknown, the target may not be
            text = _VARIABLE.sub('x', item)
        if text is None or '$' in text:
            continue
        parts = text.split(':')
        if len(parts) == 1:
            out.append(parts[0])  # an anonymous volume
        elif not (writable and len(parts) >= 3 and 'ro' in parts[2].split(',')):
            out.append(parts[1])
    tmpfs = service.get('tmpfs')
    for item in tmpfs if isinstance(tmpfs, list) else [tmpfs]:
        text = service.value_str(item)
        if text:
            out.append(text.split(':')[0])
    return [posixpath.normpath(p) for p in out if p.startswith('/')]


def _held(path: str, mounts: Sequence[str]) -> bool:
    path = posixpath.normpath(path)
    return any(path == m or path.startswith(m.rstrip('/') + '/') for m in mounts)


def _words(service: Service, key: str) -> list[str] | None:
    """``entrypoint``/``command`` as the words Compose gives the container (a string is
    split like a shell would, without running one); None when not set or not knowable."""
    value = service.lookup(key)
    if value is MISSING or value is None:
        return None
    if isinstance(value, list):
        words = [service.value_str(v) for v in value]
        return None if any(w is None for w in words) else [w for w in words if w is not None]
    text = service.value_str(value)
    if text is None:
        return None
    try:
        return shlex.split(text)
    except ValueError:
        return None


def _scripts(words: Sequence[str]) -> list[str]:
    """The shell scripts a command runs (``sh -c '...'``, ``bash -euc '...'``)."""
    for i, word in enumerate(words[:-1]):
        if posixpath.basename(word) in _SHELLS:
            for j in range(i + 1, len(words) - 1):
                flag = words[j]
                if not flag.startswith('-'):
                    break
                if 'c' in flag[1:] and not flag.startswith('--'):
                    return [words[j + 1]]
    return []


class _Run(NamedTuple):
    """What the service's command and healthcheck show they write."""

    files: list[str]        # files a shell of its command writes with ``>``
    checked: list[str]      # ... of its healthcheck, which runs in the same root
    data: list[str]         # paths its command's options name for data
    programs: set[str]      # the programs they run (base names)


def _healthcheck(service: Service) -> tuple[list[str], list[str]]:
    """The words of the service's ``healthcheck.test`` read as ``command:`` is (``CMD``
    form), and the shell scripts it runs (``CMD-SHELL`` form, or a string)."""
    test = service.lookup('healthcheck', 'test')
    if isinstance(test, list):
        words = [service.value_str(v) or '' for v in test]
        if words[:1] == ['CMD']:
            return words[1:], _scripts(words[1:])
        return ([], [' '.join(words[1:])]) if words[:1] == ['CMD-SHELL'] else ([], [])
    text = service.value_str(test) if test is not MISSING else None
    return [], [text] if text else []


def _command_writes(service: Service, chain: list[Stage] | None) -> _Run:
    """What the service's command (else its image's ``CMD``/``ENTRYPOINT``) and its
    healthcheck write and run, absolute and with the container's environment variables
    resolved."""
    words: list[str] = []
    scripts: list[str] = []
    for key in ('entrypoint', 'command'):
        found = _words(service, key)
        if found is not None:
            words.extend(found)
            scripts.extend(_scripts(found))
    if not words and chain is not None:
        from dockhooks._roles import image_command

        for cmd in image_command(chain) or []:
            words.extend(cmd.argv)
            scripts.extend(_scripts(cmd.argv))
            scripts.extend(f'true > {shlex.quote(w)}' for w in cmd.writes)
    env = {v.name: service.value_str(v.value) for v in service.environment()
           if v.value is not None}
    programs: set[str] = set()
    files = _shell_writes(words, scripts, env, programs)
    check_words, check_scripts = _healthcheck(service)
    checked = _shell_writes(check_words, check_scripts, env, programs)
    data: list[str] = []
    for i, word in enumerate(words):
        m = _OPTION.match(word)
        if m is None or not _WRITE_OPTION_WORDS & set(_SPLIT.split(m.group(1).lower())):
            continue
        value = m.group(2) if m.group(2) is not None else (
            words[i + 1] if i + 1 < len(words) else None)
        if value and value.startswith('/') and value not in data:
            data.append(value)
    return _Run(files, checked, data, programs)


def _shell_writes(words: list[str], scripts: list[str], env: dict[str, str | None],
                  programs: set[str]) -> list[str]:
    """The files the shell scripts write with ``>``; the programs the words and scripts run
    are added to ``programs``."""
    from dockhooks._shell import split_commands
    from dockhooks._vars import expand

    if words:
        programs.add(posixpath.basename(words[0]))
    files: list[str] = []
    seen = set()
    while scripts:
        script = scripts.pop()
        if script in seen:
            continue
        seen.add(script)
        for cmd in split_commands(script):
            if cmd.argv:
                programs.add(posixpath.basename(cmd.argv[0]))
            scripts.extend(_scripts(cmd.argv))
            for target in cmd.writes:
                path = expand(target, env.get)
                if path and path.startswith('/') and not path.startswith(_NOT_ON_ROOT) \
                        and path not in files:
                    files.append(path)
    return files


_CONFIG = re.compile(r'\.(conf|cnf|cfg|ini|ya?ml|toml|properties|xml)$')


def _configuration(service: Service, writes: Writes) -> str | None:
    """A configuration file the service gives a program whose configuration can name where
    it writes (:attr:`Writes.configs`): mounted where it reads one, or named on its command
    line (an argument, or the value of an option named for it)."""
    if not writes.configs:
        return None
    words = (_words(service, 'entrypoint') or []) + (_words(service, 'command') or [])
    for word in words:
        name, eq, value = word.partition('=')  # `--config.file=/x.yml`, `config_file=/x.conf`
        if eq and 'conf' not in name.lower():
            continue  # another option's value (`--acme.storage=/letsencrypt/acme.yml`)
        value = value if eq else word
        if value.startswith('/') and _CONFIG.search(value):
            return value
    for target in _mounts(service, writable=False) if writes.mounted_config else ():
        if _held(target, writes.configs):
            return target
    return None


def _minio(words: Sequence[str], writes: Writes) -> tuple[tuple[str, ...], list[str]]:
    """MinIO's certificates folder (``--certs-dir``) and the drives ``server`` is given
    (``server /data``, ``server http://minio{1...4}/data{1...2}`` -> /data1, /data2)."""
    scratch = writes.scratch
    drives: list[str] = []
    if 'server' not in words:
        return scratch, drives
    args = list(words[words.index('server') + 1:])
    i = 0
    while i < len(args):
        word = args[i]
        if word.startswith('-'):
            name, eq, value = word.partition('=')
            takes_path = name in ('--certs-dir', '-S', '--config-dir', '-C')
            if not eq and i + 1 < len(args) and (
                    takes_path or not args[i + 1].startswith(('/', 'http'))):
                value, i = args[i + 1], i + 1
            if takes_path and value.startswith('/'):
                scratch = (value,)
        else:
            path = re.sub(r'^https?://[^/]*', '', word)
            for expanded in _ellipses(path):
                if expanded.startswith('/') and expanded not in drives:
                    drives.append(expanded)
        i += 1
    return scratch, drives


def _ellipses(text: str) -> list[str]:
    """MinIO's ``{1...4}`` expanded (at most 64 results); the text itself without one."""
    m = re.search(r'\{(\d+)\.\.\.(\d+)\}', text)
    if m is None:
        return [text]
    low, high = int(m.group(1)), int(m.group(2))
    if high < low or high - low > 63:
        return []
    return [out for n in range(low, high + 1)
            for out in _ellipses(text[:m.start()] + str(n) + text[m.end():])][:64]


def advice(cf: ComposeFile, service: Service) -> str | None:
    """What the service needs for a read-only root, as the clause after "read_only: true";
    None for an image that cannot run with one."""
    return needs(cf, service)[0]


def needs(cf: ComposeFile, service: Service) -> tuple[str | None, tuple[str, ...] | None]:
    """:func:`advice`, and the tmpfs: paths that are all a read-only root needs when that is
    known in full (the image is known, and nothing else must be kept or looked into), else
    None: what a fix may write."""
    image = _image(cf, service)
    if image is None:
        return None, None
    mounts = _mounts(service) + list(image.volumes)
    run = _command_writes(service, image.chain)
    if run.programs & REWRITERS or any(
            posixpath.dirname(f) in _SYSTEM_FOLDERS and not _held(f, mounts)
            for f in run.files + run.checked):
        return None, None  # its start rewrites the system's or the image's own files
    writes = image.writes
    scratch: tuple[str, ...] = ()
    kept: list[str] = []
    note = ''
    if writes is not None:
        scratch = writes.scratch + tuple(
            path for prefix, path in writes.brought
            if any(_held(m, (prefix,)) for m in _mounts(service, writable=False)) or any(
                w.startswith(prefix) for w in _words(service, 'command') or []))
        env = {v.name: v for v in service.environment()}
        kept = [p for p in writes.data if not any(
            name in env and moved == p for name, moved in writes.moved_by)]
        for name, _ in writes.moved_by:
            moved_to = service.value_str(env[name].value) if name in env else None
            if moved_to and moved_to.startswith('/'):
                kept.append(moved_to)
        if writes.name == 'minio':
            words = (_words(service, 'entrypoint') or []) + (_words(service, 'command') or [])
            scratch, drives = _minio(words, writes)
            kept.extend(drives)
            if scratch == writes.scratch and not _as_root(service):
                # another user's home: the folder is not known, --certs-dir names it
                scratch = ()
                note = ('it creates its certificates folder (~/.minio/certs) at start: name one '
                        'with --certs-dir and put it on a tmpfs:')
    tools, unplaced = _tool_folders(service, writes, run.programs)
    scratch += tuple(t for t in tools if t not in scratch)
    kept.extend(run.data)
    scratch = tuple(p for p in scratch if not _held(p, mounts))
    kept = [p for p in dict.fromkeys(kept) if not _held(p, mounts)]
    files = [p for p in run.files if not _held(p, mounts) and not _held(p, scratch)
             and not _held(p, kept)]
    checked = [p for p in run.checked if not _held(p, mounts) and not _held(p, scratch)
               and not _held(p, kept) and p not in files]
    extra = ''
    if kept:
        extra += f'; keep {", ".join(kept)} on {"a volume" if len(kept) == 1 else "volumes"}'
    for who, when, written in (('command', 'start', files), ('healthcheck', 'check', checked)):
        if written:
            extra += (f'; its {who} writes {", ".join(written)} at each {when}: give '
                      f'{"that folder" if len(written) == 1 else "those folders"} a tmpfs: '
                      f'(it starts empty: the image\'s files there are hidden)')
    extra += ''.join(f'; its command or healthcheck runs {tool}, which writes {folder}: '
                     f'give that folder a tmpfs:' for tool, folder in unplaced)
    if writes is not None and writes.note:
        note = writes.note
    if note:
        extra += f'; {note}'
    config = _configuration(service, writes) if writes is not None else None
    if config is not None:
        extra += f'; the configuration it is given ({config}) may name more paths it writes to'
    if service.value_str(service.lookup('privileged')) in ('true', 'True') or 'SYS_ADMIN' in {
            (service.value_str(c) or '').upper().removeprefix('CAP_')
            for c in _list(service.lookup('cap_add'))}:
        extra += ('; it runs privileged (CAP_SYS_ADMIN), with which a process can remount the '
                  'root read-write: drop that first, or read_only: true protects little')
    if writes is None:
        known = ''
        if image.volumes:
            known += (f'; its Dockerfile\'s VOLUME {", ".join(image.volumes)} '
                      f'{"stays" if len(image.volumes) == 1 else "stay"} writable')
        if image.base is not None and image.base.scratch:
            known += (f'; {image.base.name}, its base, writes to '
                      f'{", ".join(image.base.scratch)}')
        return (f' and give each path it writes to a tmpfs: (scratch, it starts empty) or a '
                f'volume (data only){known}{extra}; where {image.named} writes is not known '
                f'here: `docker diff <container>` on a running one lists the files it changed '
                f'(if it rewrites its own code or /etc at start, exempt it)'), None
    if scratch:
        return (f', with tmpfs: for the paths {image.named} writes to outside its volumes '
                f'({", ".join(scratch)}){extra}'), (None if extra else scratch)
    if extra:
        return extra.replace('; ', ', and ', 1), None
    if writes.scratch or writes.data:
        return f': its tmpfs: and volumes already hold what {image.named} writes to', ()
    return f': {image.named} writes nothing outside its volumes', ()


def _list(value: object) -> list[object]:
    return value if isinstance(value, list) else []


def _as_root(service: Service) -> bool:
    """The service runs as root: no ``user:``, or root's name or id (the images known here
    run as root unless told otherwise)."""
    user = service.value_str(service.lookup('user'))
    return user is None or user.split(':')[0] in ('root', '0')


def _tool_folders(service: Service, writes: Writes | None, programs: set[str],
                  ) -> tuple[list[str], list[tuple[str, str]]]:
    """The folders the tools the service runs write (:data:`TOOLS`): (those a tmpfs: can be
    written for, those only said: the image is not known, or the home is another user's)."""
    placed: list[str] = []
    said: list[tuple[str, str]] = []
    env = {v.name: service.value_str(v.value) for v in service.environment()
           if v.value is not None}
    image_env = dict(writes.env) if writes is not None else {}
    for tool in sorted(programs & TOOLS.keys()):
        variable, home = TOOLS[tool]
        folder = env.get(variable) or image_env.get(variable)
        if folder is None and writes is not None and _as_root(service):
            folder = '/root/' + home
        if folder is None or not folder.startswith('/'):
            said.append((tool, f'${variable}, else ~/{home}'))
        elif writes is None:
            said.append((tool, folder))
        else:
            placed.append('/tmp' if _held(folder, ('/tmp',)) else folder)
    return placed, said


def _not_a_running_service(service: Service) -> bool:
    """Only built, or synced by `docker compose watch`: a read-only root does not apply."""
    words: list[str] = []
    for key in ('entrypoint', 'command'):
        value = service.lookup(key)
        if isinstance(value, list):
            words.extend(str(v) for v in value)
        elif isinstance(value, str):
            words.extend(value.split())
    if len(words) == 1 and words[0] in _BARE:
        return True  # a build-only service (its image is a base for another)
    watch = service.lookup('develop', 'watch')
    return isinstance(watch, list) and any(
        isinstance(w, dict) and str(w.get('action', '')).startswith('sync') for w in watch)


def _told_at_base(service: Service, exempt: set[str]) -> bool:
    """The service inherits a missing ``read_only`` from the service it extends, which is
    reported where it is written: in this file, or in another compose file that is judged."""
    base = service.extends_base()
    if base is None or base.name in exempt or base.is_fragment \
            or _not_a_running_service(base) or base.lookup('read_only') is not MISSING:
        return False
    other = base.file
    return other is service.file or (is_compose_filename(other.path)
                                     and stack_role(other) == 'ship')


def check(cf: ComposeFile, opts: SimpleNamespace) -> Iterator[Problem]:
    if stack_role(cf) != 'ship':
        return  # a dev stack, devcontainer or test fixture: nobody attacks it
    exempt = set(opts.exempt_services)
    jobs: set[str] | None = None  # read when a missing key is found: a compliant file pays none
    # read_only: false by where it is written: an anchor may serve several services
    written: dict[tuple[int, int], tuple[str, list[str], str, list[bool]]] = {}
    for service in cf.services:
        if service.name in exempt or _not_a_running_service(service):
            continue
        value = service.lookup('read_only')
        if value is MISSING:
            if service.is_fragment or _told_at_base(service, exempt):
                continue  # completed elsewhere, or told at the service it extends
            if jobs is None:
                from dockhooks.compose_resource_limits import one_shot_jobs

                jobs = one_shot_jobs(cf)
            if service.name in jobs:
                continue  # a one-shot job exits: nothing stays to persist in
            said, tmpfs = needs(cf, service)
            if said is None:
                continue  # its image rewrites its own files at start: it cannot be
            yield Problem(
                service.line, service.col,
                f'service {service.name} has a writable root filesystem; add read_only: '
                f'true{said}',
                _read_only(cf, service, tmpfs),
            )
            continue
        text = service.value_str(value)
        if text is None or text.lower() in _TRUE:
            continue
        said, tmpfs = needs(cf, service)
        if said is None:
            continue
        entry = written.setdefault(service.key_pos('read_only'), (text, [], said, []))
        entry[1].append(service.name)
        entry[3].append(tmpfs == () and service.file is cf)
    for (line, col), (text, names, said, fixable) in written.items():
        who = f'service {names[0]} sets' if len(names) == 1 else \
            f"services {', '.join(names)} set"
        yield Problem(line, col, f'{who} read_only: {text}; use read_only: true{said}',
                      _set_true(cf, line) if all(fixable) else None)


def _read_only(cf: ComposeFile, service: Service, tmpfs: tuple[str, ...] | None) -> Fix | None:
    """Unsafe (a service that writes elsewhere than the rule knows then fails at run time):
    `read_only: true`, and `tmpfs:` for the paths the image is known to write, added first
    among the service's keys where it is written in full. Only where what it writes is known
    in full, and the service has no tmpfs: of its own to merge with."""
    from dockhooks._fixes import add_keys

    if tmpfs is None or service.file is not cf or service.is_fragment or (
            tmpfs and service.has('tmpfs')):
        return None
    keys = ['read_only: true']
    if tmpfs:
        keys.append('tmpfs:')
        keys += [f'  - {path}' for path in tmpfs]
    return add_keys(cf.text.split('\n'), service.line, keys, safe=False)


def _set_true(cf: ComposeFile, line: int) -> Fix | None:
    """Unsafe: `read_only: false` (or a false-like value) written as `read_only: true`."""
    from dockhooks._fixes import Edit
    from dockhooks._fixes import Fix

    lines = cf.text.split('\n')
    text = lines[line - 1] if 0 < line <= len(lines) else ''
    m = re.match(r'(\s*(?:-\s+)?read_only:\s*)([^\s#]+)(.*)$', text)
    if m is None or '$' in m.group(2) or '&' in m.group(2) or '*' in m.group(2):
        return None
    return Fix((Edit(line, line, (f'{m.group(1)}true{m.group(3)}',)),), safe=False)


def main(argv: Sequence[str] | None = None) -> int:
    return run_hook(__name__, argv)


if __name__ == '__main__':
    raise SystemExit(main())
