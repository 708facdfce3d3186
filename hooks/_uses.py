"""What a compose service is given, and whom it can reach: the evidence that one service of a
stack uses another.

A service reaches another by name when they share a network: Compose's ``default`` network when
neither names ``networks:``, a network both list, or one namespace (``network_mode:
service:x`` runs in ``x``'s). It uses another when it is told where to find it: the other's
service name, ``container_name``, ``hostname`` or a network alias (or a ``links:`` alias of it,
or the name Compose gives its container, ``project-name-1`` / ``project_name_1``) appears in
what the service is given:

* ``environment`` values and the contents of its ``env_file`` files (read as Compose reads
  them, relative to the compose file);
* ``command`` and ``entrypoint``, as an address (``db:5432``, ``--host=db``, ``-h db``: a
  bare word there may be a subcommand);
* the configuration files of the repository it bind-mounts (a file, or the files directly in a
  mounted folder) and its file-based ``configs:``;
* for a service built here: the ``ENV`` of the stages of its Dockerfile that make the image,
  and the single files those stages ``COPY`` from the build context.

Comment lines of those files (``#``, ``//``, ``;``) are left out, and so is a name written as
a key (``prometheus:`` opening a YAML mapping) or inside a path (``/app/``). What the image
brings itself (its defaults, files outside the repository) cannot be read: a dependency named
nowhere is not known to be used.
"""
from __future__ import annotations

import os
import re
from collections.abc import Iterable

from dockhooks._compose import MISSING
from dockhooks._records import TYPE_CHECKING

if TYPE_CHECKING:
    from dockhooks._compose import ComposeFile
    from dockhooks._compose import Service

# Words of a variable's name that point a service at a telemetry or mail sink: exporters queue
# and retry, and a mail relay is contacted when a mail is sent, not when the service starts.
SINK_WORDS = frozenset(('OTEL', 'OTLP', 'TRACING', 'TRACES', 'TRACE', 'TRACER', 'STATSD',
                        'SMTP', 'MAIL', 'EMAIL', 'MAILER'))
SINK_PAIRS = (('JAEGER', 'AGENT'), ('JAEGER', 'ENDPOINT'), ('JAEGER', 'COLLECTOR'),
              ('SENTRY', 'DSN'), ('DD', 'AGENT'))


def is_sink_variable(key: str) -> bool:
    """``OTEL_EXPORTER_OTLP_ENDPOINT``, ``JAEGER_AGENT_HOST``, ``SMTP_HOST``, ``EMAIL_URL``."""
    words = set(re.split(r'[^A-Z0-9]+', key.upper()))
    return bool(words & SINK_WORDS) or any(a in words and b in words for a, b in SINK_PAIRS)


# A file bigger than this is no configuration file: not read.
MAX_CONFIG_BYTES = 128 * 1024
# At most this many files of a mounted folder are read.
MAX_FOLDER_FILES = 24
_COMMENT = re.compile(r'^\s*(#|//|;)')
# `${VAR:-default}`: the default is what Compose uses when the variable is unset
_DEFAULT = re.compile(r'\$\{\w+:?[-=+?]')


class Given:
    """What one service is given, as text, in three parts: ``commands`` (its command line,
    where a bare word may be a subcommand: only addresses count), ``sinks`` (the values of
    variables that name telemetry or mail sinks) and ``text`` (everything else)."""

    def __init__(self) -> None:
        self.text: list[str] = []
        self.sinks: list[str] = []
        self.commands: list[str] = []
        # values of variables that tell the image's entrypoint what to wait for (`WAIT_FOR`,
        # `WAIT_HOSTS`, `DOCKER_WAIT_HOST`), kept in ``text`` too
        self.waits: list[str] = []
        # the shell scripts of the repository it mounts (an entrypoint), kept in ``text`` too
        self.scripts: list[str] = []

    def add(self, text: str | None, key: str = '') -> None:
        if not text:
            return
        text = _DEFAULT.sub(' ', text)
        (self.sinks if key and is_sink_variable(key) else self.text).append(text)
        if 'WAIT' in re.split(r'[^A-Z0-9]+', key.upper()):
            self.waits.append(text)


class Stack:
    """The services of one compose file, with what each is given (read once, on demand)."""

    def __init__(self, cf: ComposeFile) -> None:
        self.cf = cf
        self.by_name = {s.name: s for s in cf.services}
        self._given: dict[str, Given] = {}
        self._folder = os.path.dirname(cf.path) or '.'
        self._project: dict[str, str] | None = None

    # -- names ------------------------------------------------------------------------------

    def names(self, service: Service) -> set[str]:
        """The names another container reaches ``service`` by: its service name,
        ``container_name``, ``hostname`` and network aliases."""
        out = {service.name}
        for key in ('container_name', 'hostname'):
            value = service.value_str(service.lookup(key))
            if value and value != 'localhost':  # every container's own name for itself
                out.add(value)
        nets = service.lookup('networks')
        if isinstance(nets, dict):
            for net in nets.values():
                aliases = net.get('aliases') if isinstance(net, dict) else None
                for alias in aliases if isinstance(aliases, list) else ():
                    text = service.value_str(alias)
                    if text:
                        out.add(text)
        return out

    # -- reach ------------------------------------------------------------------------------

    def networks(self, service: Service, seen: tuple[str, ...] = ()) -> frozenset[str] | None:
        """The networks ``service`` is attached to (``service:x`` stands for ``x``'s
        namespace, ``<host>`` for the host's), None when they cannot be known."""
        mode_value = service.lookup('network_mode')
        if mode_value is not None and mode_value is not MISSING:
            mode = service.value_str(mode_value)
            if mode is None:
                return None
            if mode.startswith('service:'):
                other = self.by_name.get(mode[len('service:'):])
                if other is None or other.name in seen:
                    return None
                inner = self.networks(other, (*seen, service.name))
                return None if inner is None else inner | {f'service:{service.name}'}
            if mode == 'host':
                return frozenset(('<host>',))
            if mode == 'none':
                return frozenset()
            if mode.startswith('container:'):
                return None
            return frozenset((f'<{mode}>',))
        nets = service.lookup('networks')
        own = f'service:{service.name}'
        if nets is MISSING or nets is None:
            return frozenset(('default', own))
        if isinstance(nets, dict):
            return frozenset((*(str(k) for k in nets), own))
        if isinstance(nets, list):
            names = [service.value_str(n) for n in nets]
            if any(n is None for n in names):
                return None
            return frozenset((*(n for n in names if n), own))
        return None

    def reachable(self, a: Service, b: Service) -> bool | None:
        """Whether ``a`` and ``b`` share a network or a namespace; None: cannot be known."""
        na, nb = self.networks(a), self.networks(b)
        if na is None or nb is None:
            return None
        return bool(na & nb)

    def in_namespace_of(self, service: Service, other: Service) -> bool:
        """``service`` runs in ``other``'s network namespace (``network_mode: service:other``)."""
        mode = service.value_str(service.lookup('network_mode')) or ''
        return mode == f'service:{other.name}'

    def reads_docker_socket(self, service: Service) -> bool:
        """``service`` mounts the Docker socket: it finds the containers it serves itself
        (traefik, nginx-proxy), whenever they start."""
        return any(host.rstrip('/').endswith('docker.sock') for host, _ in service.bind_mounts())

    # -- use --------------------------------------------------------------------------------

    def uses(self, service: Service, other: Service, *, sinks: bool = False) -> bool:
        """Whether ``service`` is told where to find ``other`` and can reach it: they share a
        network and ``service`` names ``other`` in what it is given (in sink variables too when
        ``sinks``), or it runs in ``other``'s namespace."""
        if self.in_namespace_of(service, other):
            return True
        if not self.reachable(service, other):
            return False
        return self.names_in(service, self.names(other) | self._link_aliases(service, other),
                             sinks=sinks)

    def names_in(self, service: Service, names: Iterable[str], *, sinks: bool = False) -> bool:
        """Whether one of ``names`` is written in what ``service`` is given."""
        pattern = name_pattern(names)
        if pattern is None:
            return False
        given = self.given(service)
        parts = given.text + given.sinks if sinks else given.text
        return any(pattern.search(part) for part in parts) or \
            any(_address(pattern, part) for part in given.commands)

    def waits_for(self, service: Service, other: Service) -> bool:
        """``service`` tells its entrypoint to wait for ``other`` itself (``WAIT_FOR:
        db:5432``, ``DOCKER_WAIT_HOST: db``, ``WAIT_HOSTS``)."""
        pattern = name_pattern(self.names(other))
        return pattern is not None and any(pattern.search(t) for t in self.given(service).waits)

    def _link_aliases(self, service: Service, other: Service) -> set[str]:
        links = service.lookup('links')
        out: set[str] = set()
        for item in links if isinstance(links, list) else ():
            text = service.value_str(item) or ''
            name, _, alias = text.partition(':')
            if name == other.name and alias:
                out.add(alias)
        return out

    # -- what a service is given ------------------------------------------------------------

    def given(self, service: Service) -> Given:
        if service.name not in self._given:
            self._given[service.name] = self._read(service)
        return self._given[service.name]

    def _read(self, service: Service) -> Given:
        given = Given()
        for var in service.environment():
            # `- KEY` alone: Compose takes the value from the shell or the project's .env
            value = var.value if var.value is not None else self._project_value(var.name)
            given.add(value, var.name)
        for path in self.env_files(service):
            for key, value in _env_file(_or_template(path)):
                given.add(value, key)
        command = service.command_text()
        if command:
            given.commands.append(_DEFAULT.sub(' ', command))
        for key in ('links', 'external_links'):
            value = service.lookup(key)
            if isinstance(value, list):
                given.add(' '.join(str(v) for v in value))
        skip = self._not_config(service)
        for host, _target in service.bind_mounts():
            if '$' in host or host.startswith('~'):
                continue  # a variable without value, a home folder: not the repository's
            path = os.path.normpath(os.path.join(self._folder, host))
            if os.path.abspath(path) in skip:
                continue
            for name, text in _config_files(path):
                given.add(text)
                if name.endswith('.sh') or text.startswith('#!'):
                    given.scripts.append(text)
        for text in self._configs(service):
            given.add(text)
        for text in self._build_texts(service):
            given.add(text)
        return given

    def _project_value(self, name: str) -> str | None:
        """A variable of the project's ``.env`` (or, without one, of the template committed
        for it, ``.env.example``)."""
        if self._project is None:
            env = self.cf.env
            if env:
                self._project = {k: v or '' for k, v in env.items()}
            else:
                path = _or_template(os.path.join(self._folder, '.env'))
                self._project = dict(_env_file(path))
        return self._project.get(name)

    def env_files(self, service: Service) -> list[str]:
        """The paths of the service's ``env_file`` files (short form, list, ``path:``)."""
        value = service.lookup('env_file')
        items = value if isinstance(value, list) else [value]
        out = []
        for item in items:
            if isinstance(item, dict):
                item = item.get('path')
            text = service.value_str(item) if isinstance(item, str) else None
            if text:
                out.append(os.path.join(self._folder, text))
        return out

    def _not_config(self, service: Service) -> set[str]:
        """Folders whose mount is the source tree, not a configuration: the compose file's
        folder and those above it, and the service's own build context (absolute paths)."""
        out = set()
        here = os.path.abspath(self._folder)
        while True:
            out.add(here)
            parent = os.path.dirname(here)
            if parent == here:
                break
            here = parent
        build = service.build
        if build is not None and build.known and '://' not in build.context:
            out.add(os.path.abspath(os.path.join(self._folder, build.context)))
        return out

    def _configs(self, service: Service) -> list[str]:
        """The texts of the file-based and inline top-level ``configs:`` the service uses."""
        wanted = service.lookup('configs')
        names = []
        for item in wanted if isinstance(wanted, list) else ():
            if isinstance(item, dict):
                item = item.get('source')
            if isinstance(item, str):
                names.append(item)
        out: list[str] = []
        for doc in self.cf.documents:
            configs = doc.get('configs')
            if not isinstance(configs, dict):
                continue
            for name in names:
                spec = configs.get(name)
                if not isinstance(spec, dict):
                    continue
                if isinstance(spec.get('content'), str):
                    out.append(spec['content'])
                elif isinstance(spec.get('file'), str) and '$' not in spec['file']:
                    out.extend(_config_texts(os.path.join(self._folder, spec['file'])))
        return out

    def _build_texts(self, service: Service) -> list[str]:
        """What the image built here is given: the ENV of its stages and the single files they
        copy from the build context."""
        build = service.build
        if build is None or build.inline or not build.known or build.dockerfile is None \
                or '://' in build.context:
            return []
        from dockhooks._dockerfile import load
        from dockhooks._text import InputError

        context = os.path.join(self._folder, build.context)
        try:
            df = load(os.path.join(context, build.dockerfile))
        except (InputError, RecursionError):
            return []
        final = df.final_stage(build.target)
        if final is None:
            return []
        out: list[str] = []
        for stage in df.chain(final):
            for ins in stage.instructions:
                if ins.keyword == 'ENV':
                    out.append(ins.args)
                elif ins.keyword in ('COPY', 'ADD') and ins.flag('from') is None \
                        and ins.json is None:
                    for source in ins.args.split()[:-1]:
                        if any(c in source for c in '*?[$') or '://' in source:
                            continue
                        path = os.path.normpath(os.path.join(context, source))
                        if os.path.isfile(path):
                            out.extend(_config_texts(path))
        return out


def name_pattern(names: Iterable[str]) -> re.Pattern[str] | None:
    """A regex for the host names ``names`` as an address in a text: ``db``, ``db:5432``,
    ``postgres://u@db/x``, ``--host=db``, and Compose's container names ``app-db-1`` /
    ``app_db_1``; not a key (``db:`` ending a line or before a space), a path part (``/db/``)
    or a longer name (``db-backup``, ``db.sqlite``)."""
    alts = '|'.join(re.escape(n) for n in sorted({n for n in names if n}, key=len, reverse=True))
    if not alts:
        return None
    return re.compile(
        rf'(?:(?<=//)|(?<![\w./-]))(?:{alts}|[\w.-]+?[_-](?:{alts})[_-]\d+)'
        rf'(?![\w-]|\.\w|:\s|:$)',
        re.M,
    )


def _address(pattern: re.Pattern[str], command: str) -> bool:
    """Whether a command line names a host of ``pattern`` as an address: ``db:5432``,
    ``postgres://db``, ``user@db``, ``--host=db``, ``-h db``; not as a bare word, which may be
    a subcommand (``manage.py admin``)."""
    for m in pattern.finditer(command):
        before = command[:m.start()]
        if command[m.end():m.end() + 1] == ':' or before.endswith(('//', '@', '=')) or \
                re.search(r'(^|\s)--?[\w.-]+\s+$', before):
            return True
    return False


def _config_texts(path: str) -> list[str]:
    """The text of a configuration file, or of the files directly in a folder, comment lines
    left out; nothing for what cannot be read."""
    return [text for _, text in _config_files(path)]


def _config_files(path: str) -> list[tuple[str, str]]:
    """(name, text) of a configuration file, or of the files directly in a folder, comment
    lines left out (a script's `#!` line is kept); nothing for what cannot be read."""
    from dockhooks._text import InputError
    from dockhooks._text import read_text

    if os.path.isdir(path):
        from dockhooks._roles import folder_entries

        entries = folder_entries(path)[:MAX_FOLDER_FILES * 4]
        files = [os.path.join(path, e) for e in entries if os.path.isfile(os.path.join(path, e))]
        return [found for f in files[:MAX_FOLDER_FILES] for found in _config_files(f)]
    try:
        if os.path.getsize(path) > MAX_CONFIG_BYTES:
            return []
        text = read_text(path)
    except (OSError, InputError):
        return []
    if '\0' in text:
        return []
    kept = [line for i, line in enumerate(text.splitlines())
            if not _COMMENT.match(line) or (i == 0 and line.startswith('#!'))]
    return [(os.path.basename(path), '\n'.join(kept))]


# What a template committed for a file that each checkout makes from it is called.
TEMPLATE_SUFFIXES = ('.example', '.sample', '.template', '.dist', '.defaults', '.default')


def _or_template(path: str) -> str:
    """``path``, or when it does not exist, the template committed for it
    (``apps/api/.env`` -> ``apps/api/.env.example``)."""
    if os.path.exists(path):
        return path
    for suffix in TEMPLATE_SUFFIXES:
        if os.path.isfile(path + suffix):
            return path + suffix
    return path


def _env_file(path: str) -> list[tuple[str, str]]:
    """(key, value) of an env file as Compose reads it; nothing when it cannot be read."""
    from dockhooks import _dotenv
    from dockhooks._text import InputError
    from dockhooks._text import read_text

    try:
        if os.path.getsize(path) > MAX_CONFIG_BYTES:
            return []
        entries = _dotenv.parse(read_text(path))
    except (OSError, InputError):
        return []
    return [(e.key, e.value if e.value is not None else (e.literal or '')) for e in entries]
