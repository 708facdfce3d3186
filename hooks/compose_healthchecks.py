"""Dependencies define healthchecks, and dependents wait for them to be healthy.

## What it does
Reports, for a dependent that uses its dependency,
- each `depends_on` entry without a condition whose dependency has a healthcheck (its own
  `healthcheck:`, the `HEALTHCHECK` of the local Dockerfile the service builds, final stage or
  `build.target`, of the Dockerfile the repository builds its image from, or an image known
  to declare one: IMAGES_WITH_HEALTHCHECK below), at the entry: use
  `condition: service_healthy`;
- a dependency that dependents need ready (listed without a condition) but that has no
  healthcheck, once, at that service: add a healthcheck, then make the dependents wait for
  it. Asking for `service_healthy` alone would make `docker compose up` fail on a dependency
  without healthcheck. For an image the files cannot read, the message says that it may
  declare one; for an image built `FROM scratch` (no shell, no curl) it says what a test can
  run there: a health mode of the program in exec form, or a static probe.
- a dependency that dependents wait for with `condition: service_healthy` but whose
  healthcheck the files turn off (`disable: true`, `test: ["NONE"]`, `HEALTHCHECK NONE`) or
  that is built `FROM scratch` with none: that wait cannot pass. Otherwise such a wait is
  trusted: Compose refuses to start it without a healthcheck, so the image has one (and the
  other dependents that list it are told to wait for it too).

A dependent uses a dependency when it can reach it (they share a network: Compose's
`default` one when neither names `networks:`; `network_mode: service:x` runs in `x`'s) and is
told where to find it: the dependency's name (service name, `container_name`, `hostname`, a
network or `links:` alias, or Compose's container name `project-name-1`) appears in its
`environment`, its `env_file` contents (or the template committed for one each checkout
makes, `.env.example`), its command line as an address (`db:5432`, `--host=db`, `-h db`), a
configuration file of the repository it bind-mounts or a `configs:` file, or the `ENV` and
copied files of the Dockerfile it builds. Any other entry orders the start and nothing more
(a scheduler that lists the web server it never calls, a scraper or reverse proxy that is
the side that connects), and is not judged; nor is an entry whose dependent names it only in
a mail relay's or telemetry exporter's variable (`SMTP_HOST`, `OTEL_EXPORTER_OTLP_ENDPOINT`:
contacted when a mail is sent or spans are flushed, with retries), a dependent that finds
its backends through the Docker socket (traefik, nginx-proxy), one that tells its entrypoint
to wait for the dependency itself (`WAIT_FOR: db:5432`, `DOCKER_WAIT_HOST: db`) or mounts a
script of the repository that waits (`until curl ...`, `wait_for_db`), or members
of a cluster whose health test passes only once the whole cluster has formed
(`cluster_state:ok`, `rs.status()`), where a member that waited for another's health would
never start.

One-shot jobs, which run and exit, need no healthcheck: a service that a dependent waits for
with `service_completed_successfully`, or one whose name or image's name says it is a job
(`init`, `migrate`, `setup`, `seed`, `schema`, `bootstrap`, ... as a word, and no `worker`,
`server`, `api`, `registry`, ...) that publishes no port and that no `restart:` keeps
running. The entries that list a job are told to wait for `service_completed_successfully`,
whether or not they name it (its work is used, not its address). An entry written once in an
anchor (`<<: *deps`) or in a service that others of the file extend is one finding, naming
the services that use it.

Not judged: an explicit `condition: service_started` (the maintainer decided not to wait); a
dependent that needs no readiness because it only keeps a container alive for a developer
(`sleep infinity`, `tail -f /dev/null`, `while sleep 1000; do :; done`), is an interactive
toolbox (`stdin_open` and `tty` with no command) or waits by itself (`wait-for-it`,
`dockerize -wait`, an `until pg_isready` loop); the entries of a short-form list that holds
an item written with a variable (Compose does not interpolate the long form's keys, so the
list cannot take it); a dependency that another compose file defines; `provider:` services,
which are no containers; test and CI fixtures. A fragment that another compose file
completes (no `image:` or `build:`, an override of a service of the base `compose.yaml`, any
service of an override file whose base is not beside it) has its healthcheck judged where it
is defined in full.

`--fix --unsafe-fixes` rewrites a dependent's short `depends_on` list in the long form:
`condition: service_healthy` for a dependency with a healthcheck, the condition each other
entry needs (`service_started`, what the short form meant), kept in the file's indentation.
Not rewritten: a list with comments, anchors, aliases, tags or variables in it, or one the
service shares or inherits. Unsafe: the dependent now starts only once its dependency is
healthy, so a stack whose healthcheck never passes no longer starts.

## Why is this bad?
Without a healthcheck, `depends_on` only waits for the dependency's container to *start*:
the API boots while the database is still initialising, fails its first connections, and
the frontend sends traffic to a backend that is not ready. With a healthcheck and
`condition: service_healthy`, compose starts each service only once what it needs answers.

## Example
```yaml
services:
  api:
    image: example/api:1.4.2
    environment:
      DATABASE_URL: postgres://app@db:5432/app
    depends_on:
      - db
  db:
    image: postgres:16-alpine
```

## Use instead
```yaml
services:
  api:
    image: example/api:1.4.2
    environment:
      DATABASE_URL: postgres://app@db:5432/app
    depends_on:
      db:
        condition: service_healthy
  db:
    image: postgres:16-alpine
    healthcheck:
      test: ["CMD-SHELL", "pg_isready -U postgres"]
      interval: 5s
      retries: 10
```

## Options
- `--extra-healthcheck-images GLOBS`: more images whose own Dockerfile declares a
  `HEALTHCHECK` (names without registry or tag, e.g. `myorg/api`), so that a service
  running them needs no `healthcheck:` of its own.
"""
from __future__ import annotations

import fnmatch
import os
import re
from collections.abc import Iterator
from collections.abc import Sequence
from types import SimpleNamespace

from dockhooks._compose import MISSING
from dockhooks._compose import Build
from dockhooks._compose import ComposeFile
from dockhooks._compose import Service
from dockhooks._compose import value_str
from dockhooks._findings import Problem
from dockhooks._hook import run_hook
from dockhooks._images import is_official
from dockhooks._images import parse_image
from dockhooks._records import TYPE_CHECKING
from dockhooks._records import NamedTuple
from dockhooks._roles import KEEP_ALIVE
from dockhooks._roles import stack_role
from dockhooks._uses import Stack

if TYPE_CHECKING:
    from dockhooks._fixes import Fix

CODE = 'DH202'
ID = 'compose-healthchecks'
SUMMARY = 'services others depend on have a healthcheck; depends_on waits for service_healthy'
SEVERITY = 'error'
OPTIONS = ('extra-healthcheck-images',)
FIXES = 'unsafe'
WAITING = frozenset(('service_healthy', 'service_completed_successfully'))
DONE = 'service_completed_successfully'

# Images whose Dockerfile declares a HEALTHCHECK (checked in their sources), by name without
# registry or tag; fnmatch globs.
IMAGES_WITH_HEALTHCHECK = (
    'matrixdotorg/synapse', 'mailu/*', 'docker-mailserver/docker-mailserver',
    'mailserver/docker-mailserver', 'pihole/pihole', 'vaultwarden/server',
    'louislam/uptime-kuma', 'axllent/mailpit', 'zulip/zulip-server', 'vimagick/ggr',
    'vimagick/ggr-ui', 'inbucket/inbucket', 'visibilityspots/cloudflared',
)
# A word of the service name that makes it a one-shot job (run, exit) rather than a server.
ONE_SHOT_WORDS = frozenset((
    'init', 'migrate', 'migrations', 'migration', 'migrator', 'setup', 'seed', 'seeder',
    'seeding', 'bootstrap', 'provision', 'provisioner', 'createbuckets', 'schema',
))
# ... unless another word says it serves (``appwrite-worker-migrations`` is a queue worker)
SERVER_WORDS = frozenset(('worker', 'workers', 'server', 'daemon', 'api', 'web', 'ui', 'proxy',
                          'scheduler', 'listener', 'consumer', 'registry'))
_KEEPS_RUNNING = frozenset(('always', 'unless-stopped'))


# What is known of a service's healthcheck.
YES, NO, DISABLED, UNKNOWN = 'yes', 'no', 'disabled', 'unknown'
# Bases with no shell and no HTTP client, where a test: can only run a program of the image.
_NO_SHELL = ('scratch', 'gcr.io/distroless/*', 'cgr.dev/chainguard/static*')


class Built(NamedTuple):
    """What the Dockerfile that makes an image says about its healthcheck."""

    state: str
    base: str | None = None  # the base of its first stage, when it has no shell
    program: str | None = None  # the program it runs (exec form), for a probe of its own
    root: str | None = None  # the image its first stage builds on, when known


def _dockerfile_state(folder: str, build: Build | None, target: str | None) -> Built:
    """The HEALTHCHECK of a Dockerfile (``build`` relative to ``folder``), final stage or
    ``target``: YES, DISABLED (``HEALTHCHECK NONE``), NO when no stage declares one down to
    ``scratch``, UNKNOWN when its base image may declare one or it cannot be read."""
    if build is None or build.inline or not build.known or build.dockerfile is None \
            or '://' in build.context:
        return Built(UNKNOWN)
    from dockhooks import _dockerfile
    from dockhooks._text import InputError

    path = os.path.join(folder, build.context, build.dockerfile)
    try:
        df = _dockerfile.load(path)
    except (InputError, RecursionError):
        return Built(UNKNOWN)
    final = df.final_stage(target)
    if final is None:
        return Built(UNKNOWN)
    chain = df.chain(final)
    for stage in chain:
        for ins in reversed(stage.instructions):
            if ins.keyword == 'HEALTHCHECK':
                off = ins.args.split()[:1] == ['NONE'] or ins.args.upper() == 'NONE'
                return Built(DISABLED if off else YES)
    base = chain[-1].image
    if base is None:
        return Built(UNKNOWN)
    from dockhooks._images import repository

    repo = 'scratch' if base == 'scratch' else repository(parse_image(base))
    if not any(fnmatch.fnmatchcase(repo, g) for g in _NO_SHELL):
        return Built(UNKNOWN, root=base)
    from dockhooks._roles import image_command

    commands = image_command(chain)
    program = commands[0].argv[0] if commands and commands[0].argv else None
    return Built(NO, base, program)


def image_name(service: Service) -> str | None:
    """The service's image without registry, tag or ``library/``; None when not known.

    A tag from a variable without default does not hide the name (``mailu/admin:${V}``).
    """
    raw = service.raw_image
    if raw is None or service.has('build'):
        return None
    name = parse_image(service.image or raw).name
    name = name[len('library/'):] if name.startswith('library/') else name
    return None if '$' in name or not name else name


def _image_healthcheck(service: Service, extra: Sequence[str] = ()) -> bool:
    name = image_name(service)
    return name is not None and any(fnmatch.fnmatchcase(name, g)
                                    for g in (*IMAGES_WITH_HEALTHCHECK, *extra))


def _disabled(hc: object) -> bool:
    """``healthcheck: {disable: true}`` or ``test: ["NONE"]``."""
    if not isinstance(hc, dict):
        return False
    test = hc.get('test')
    return value_str(hc.get('disable')) in ('true', 'True', 'yes') or \
        (isinstance(test, list) and bool(test) and value_str(test[0]) == 'NONE')


def healthcheck_state(cf: ComposeFile, service: Service,
                      extra_images: Sequence[str] = ()) -> Built:
    """What is known of ``service``'s healthcheck: its own ``healthcheck:``, else the
    ``HEALTHCHECK`` of the Dockerfile it builds, or that the repository builds its image from,
    else an image known to declare one."""
    hc = service.lookup('healthcheck')
    if hc is not MISSING and hc is not None:
        if not isinstance(hc, dict):
            return Built(YES)
        if _disabled(hc):
            return Built(DISABLED)
        if hc.get('test') is not None:
            return Built(YES)
        if not service.has('build'):
            return Built(YES)  # only timing keys on a pulled image: its own HEALTHCHECK is kept
    folder = os.path.dirname(cf.path)
    if service.has('build'):
        return _dockerfile_state(folder, service.build,
                                 service.value_str(service.lookup('build', 'target')))
    if _image_healthcheck(service, extra_images):
        return Built(YES)
    built = _built_by_project(cf, service)
    if built is not None:
        return _dockerfile_state(*built)
    return Built(UNKNOWN)


def _built_by_project(cf: ComposeFile, service: Service) \
        -> tuple[str, Build | None, str | None] | None:
    """Where the repository builds ``service``'s image: a service of a compose file in this
    file's folder or one above it (up to the repository's root) that builds the same image
    (``image:`` beside ``build:``), or that has the same name and builds the image the name
    ends with (``space`` builds ``makeplane/plane-space``)."""
    name = image_name(service)
    if name is None:
        return None
    from dockhooks._files import kind_of
    from dockhooks._hook import parse_file
    from dockhooks._roles import folders_up
    from dockhooks._text import InputError

    last = name_words(name.rsplit('/', 1)[-1])
    own = name_words(service.name)
    for folder, entries in folders_up(cf.path):
        for entry in entries:
            path = os.path.join(folder, entry)
            if kind_of(path) != 'compose':
                continue
            try:
                other = cf if os.path.abspath(path) == os.path.abspath(cf.path) \
                    else parse_file(path, 'compose').doc
            except (InputError, RecursionError):
                continue
            if not isinstance(other, ComposeFile):
                continue
            for s in other.services:
                if not s.has('build') or (s.image is None and s.name != service.name):
                    continue
                built = s.image and parse_image(s.image).name
                built = built[len('library/'):] if built and built.startswith('library/') \
                    else built
                if built == name or (s.name == service.name and own
                                     and last[-len(own):] == own):
                    return (os.path.dirname(path), s.build,
                            s.value_str(s.lookup('build', 'target')))
    return None


def has_healthcheck(cf: ComposeFile, service: Service,
                    extra_images: Sequence[str] = ()) -> bool:
    return healthcheck_state(cf, service, extra_images).state == YES


def is_one_shot(service: Service) -> bool:
    """A job by its name or its image's (``db-migrate``, ``init_nifi``, ``createbuckets``,
    ``jaeger-cassandra-schema``) that no ``restart:`` policy keeps running."""
    image = image_name(service) or ''
    job = False
    for text in (service.name, image.rsplit('/', 1)[-1]):
        words = name_words(text)
        if ONE_SHOT_WORDS & {*words, ''.join(words)} and not SERVER_WORDS & set(words):
            job = True
    if not job or service.has('ports') or service.has('expose'):
        return False  # a port it publishes or exposes says it serves (temporalio/auto-setup)
    restart = service.value_str(service.lookup('restart'))
    condition = service.value_str(service.lookup('deploy', 'restart_policy', 'condition'))
    return restart not in _KEEPS_RUNNING and condition != 'any'


def name_words(name: str) -> list[str]:
    """``db-migrate`` / ``initNifi`` -> ['db', 'migrate'] / ['init', 'nifi']."""
    return [w.lower() for w in re.findall(r'[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+', name)]


# A command that waits for what it needs: a waiting tool, a probe, or a loop that repeats a
# probe until it passes (`until probe`, `while ! probe`, `while true; do probe && break`),
# whatever the probe (curl, nc, a client's ping).
_WAITS = re.compile(
    r'wait-for-it|wait-for\b|wait_for|dockerize\s.*-wait|\buntil\b|\bnc\s+-z|pg_isready|'
    r'mysqladmin\s+ping|/dev/tcp/|curl\s[^|;&]*--retry|wget\s[^|;&]*--tries|'
    r'\bwhile\s+!\s|\b(?:while|for)\b.*?\bdo\b.*?&&\s*break\b', re.S)


def waits_by_itself(service: Service) -> bool:
    """A dependent that needs no readiness from Compose: it only keeps a container alive for
    a developer (``sleep infinity``, ``tail -f /dev/null``) or waits for its dependencies in
    its own command (``wait-for-it db:5432``, an ``until pg_isready`` loop), or it is an
    interactive toolbox (``stdin_open: true`` and ``tty: true`` with no command of its own),
    which a developer attaches to when the stack is up."""
    text = service.command_text()
    if not text and all(service.value_str(service.lookup(k)) in ('true', 'True', 'yes')
                        for k in ('stdin_open', 'tty')):
        return True
    return bool(KEEP_ALIVE.search(text) or _WAITS.search(text))


def is_provider(service: Service) -> bool:
    """A ``provider:`` service (a model runner, a cloud resource): not a container."""
    return service.has('provider')


# A health test that passes only once the whole cluster has formed: a member that waited for
# it to be healthy would never start, and the cluster would never form.
_CLUSTER_WIDE = re.compile(
    r'cluster[ _-]?(info|state|status|health)|_cluster/health|rs\.status|replSetGetStatus|'
    r'\.value\.ready|nodetool\s+status|\bquorum\b', re.I)


def _test_text(service: Service) -> str:
    hc = service.lookup('healthcheck')
    test = hc.get('test') if isinstance(hc, dict) else None
    if isinstance(test, list):
        return ' '.join(str(t) for t in test)
    return str(test) if test is not None else ''


def _image_key(service: Service) -> tuple[str | None, ...] | None:
    build = service.build
    if build is not None:
        return ('build', build.context, build.dockerfile, build.target)
    raw = service.image or service.raw_image
    return None if raw is None else ('image', parse_image(raw).name)


def _cluster_member(stack: Stack, service: Service, target: Service) -> bool:
    """``target``'s health test waits for the whole cluster (``cluster_state:ok``,
    ``rs.status()``) and ``service`` is a member of it: it runs the same image, or
    ``target`` names it among its peers."""
    if not _CLUSTER_WIDE.search(_test_text(target)):
        return False
    key = _image_key(service)
    return (key is not None and key == _image_key(target)) or \
        stack.names_in(target, stack.names(service), sinks=True)


def _no_healthcheck(name: str, who: str, target: Service, built: Built) -> str:
    """The finding at a dependency without healthcheck: both steps, worded for its image."""
    wait = f'then make {who} wait for it with depends_on: {name}: condition: service_healthy'
    if built.state == DISABLED:
        return (f'service {name} is in depends_on of {who} but disables its healthcheck, so '
                f'nothing can wait for it to be ready; give healthcheck: a test: that checks it '
                f'answers, {wait}')
    if built.base is not None:
        program = built.program
        probe = (f'a health check mode of {program} in exec form (test: ["CMD", "{program}", '
                 f'"healthcheck"] if it has one)' if program else
                 'a health check program of the image in exec form (test: ["CMD", ...])')
        return (f'service {name} is in depends_on of {who} but has no healthcheck, so nothing '
                f'can wait for it to be ready; its image is built FROM {built.base}, with no '
                f'shell or curl for a test: to run: use {probe}, or copy a static probe into '
                f'the image, and {wait}')
    # an Official Image declares none (docker-library's rule); another image, or a local build
    # on one, may: the files cannot show it
    if target.has('build'):
        image, whose = built.root, 'its base image'
    else:
        image, whose = image_name(target), 'its image'
    if image is not None and is_official(parse_image(image)):
        what = 'has no healthcheck'
    elif image is None and target.has('build'):
        what = ('has no healthcheck here (its base image, which the files do not show, may '
                'declare one: then only the wait is missing)')
    elif image is None:
        what = 'has no healthcheck'
    else:
        what = (f'has no healthcheck here ({whose} {parse_image(image).name} may declare one: '
                f'then only the wait is missing)')
    return (f'service {name} is in depends_on of {who} but {what}, so nothing can wait for it '
            f'to be ready; add healthcheck: with a test: that checks it answers, {wait}')


def check(cf: ComposeFile, opts: SimpleNamespace) -> Iterator[Problem]:
    if stack_role(cf) == 'test':
        return  # a test fixture starts what its test needs; its harness waits
    stack = Stack(cf)
    by_name = stack.by_name
    deps = [(service, dep) for service in cf.services for dep in service.depends_on()]
    # one-shot jobs: a dependent waits for one to finish, or its name or image says so
    jobs = {dep.name for _, dep in deps if dep.condition == DONE}
    jobs |= {s.name for s in cf.services if is_one_shot(s)}
    # a short-form list with a `${VAR}` item cannot take the long form: Compose does not
    # interpolate mapping keys, so its other items are not told to use it either
    beside_variable = {s.name for s, d in deps
                       if d.condition is None and (d.interpolated or '$' in d.name)}
    # the dependents that wait for a dependency's health: Compose refuses to start them
    # without a healthcheck, so the files say the image has one unless they turn it off
    awaited: dict[str, list[str]] = {}
    for service, dep in deps:
        target = by_name.get(dep.name)
        if dep.condition == 'service_healthy' and target is not None \
                and not is_provider(service) and not is_provider(target):
            awaited.setdefault(dep.name, []).append(service.name)
    states: dict[str, Built] = {}

    def state(target: Service) -> Built:
        if target.name not in states:
            states[target.name] = healthcheck_state(cf, target, opts.extra_healthcheck_images)
        return states[target.name]

    # the short-form entries whose dependent needs the dependency ready: it uses it
    needing: dict[str, list[str]] = {}
    entries: dict[tuple[int, int, str, str | None], list[str]] = {}
    for service, dep in deps:
        target = by_name.get(dep.name)
        if target is None or dep.condition is not None or dep.interpolated \
                or '$' in dep.name or is_provider(service) or is_provider(target) \
                or service.name in beside_variable or waits_by_itself(service):
            continue  # elsewhere: its healthcheck unknown; long form: the maintainer's choice
        key = (dep.line, dep.col, dep.name, dep.condition)
        if dep.name in jobs:
            entries.setdefault(key, []).append(service.name)
            continue
        # only a dependent that reaches and uses the dependency needs it ready; an edge it
        # never uses (a scraper or proxy that connects to it, a sink) orders the start only,
        # and a proxy that finds its backends through the Docker socket needs no start gate
        if not stack.uses(service, target) or stack.reads_docker_socket(service) \
                or stack.waits_for(service, target) or _cluster_member(stack, service, target) \
                or any(_WAITS.search(script) for script in stack.given(service).scripts):
            continue
        known = state(target).state
        if known == YES or (known == UNKNOWN and dep.name in awaited):
            entries.setdefault(key, []).append(service.name)
        else:
            needing.setdefault(dep.name, []).append(service.name)
    # the fix rewrites a dependent's whole list at once, with every condition it needs
    wanted: dict[str, dict[str, str]] = {}
    for (_line, _col, name, _condition), users in entries.items():
        if len(users) == 1:
            wanted.setdefault(users[0], {})[name] = DONE if name in jobs else 'service_healthy'
    for (line, col, name, _condition), users in entries.items():
        one = len(users) == 1
        who = f'service {users[0]} depends' if one else f"services {', '.join(users)} depend"
        how = ('lists' if one else 'list') + ' it without a condition'
        fix = _long_form(cf, by_name[users[0]], wanted[users[0]]) if one else None
        if name in jobs:
            yield Problem(
                line, col,
                f'{who} on {name} but {how}, so {"it starts" if one else "they start"} before '
                f'{name} has finished; {name} is a one-shot job: use depends_on: {name}: '
                f'condition: {DONE}',
                fix,
            )
            continue
        yield Problem(
            line, col,
            f'{who} on {name} but {how}, so {"it starts" if one else "they start"} before '
            f'{name} is ready; use depends_on: {name}: condition: service_healthy',
            fix,
        )
    for name in dict.fromkeys((*needing, *awaited)):
        target = by_name[name]
        if name in jobs or (target.is_fragment and not target.has('healthcheck')):
            continue
        built = state(target)
        if built.state == YES:
            continue
        users = needing.get(name, [])
        if built.state in (DISABLED, NO):
            # a wait for health that cannot pass, as the files themselves show
            users = [*users, *awaited.get(name, [])]
        if not users:
            continue
        who = ', '.join(dict.fromkeys(users))
        yield Problem(target.line, target.col, _no_healthcheck(name, who, target, built))


def _long_form(cf: ComposeFile, service: Service, conditions: dict[str, str]) -> Fix | None:
    """Unsafe (the dependent now starts only once its dependencies are healthy, or done):
    the service's short `depends_on` list, where it is written in this file, rewritten in
    the long form, each entry with the condition it needs (`service_started` for the others,
    which is what the short form meant). Not rewritten: a list with comments, anchors,
    aliases, tags or variables in it, or one the service shares or inherits."""
    from dockhooks._fixes import Edit
    from dockhooks._fixes import Fix
    from dockhooks._fixes import block_end

    lines = cf.text.split('\n')
    if service.file is not cf or service.is_fragment:
        return None
    deps = service.depends_on()
    line, col = service.key_pos('depends_on')
    head = lines[line - 1] if 0 < line <= len(lines) else ''
    if not head.lstrip().startswith('depends_on:') or any(d.condition is not None
                                                          or d.interpolated for d in deps):
        return None
    end = block_end(lines, line)
    block = '\n'.join(lines[line - 1:end])
    after_key = block.split('depends_on:', 1)[1]
    if any(c in after_key for c in '#&*!$"\'{'):
        return None
    names = [d.name for d in deps]
    written = [w for w in re.split(r'[\s,\[\]-]+', after_key) if w]
    if written != names:
        return None  # the list is not (only) this service's own, as written
    key_indent = head[:len(head) - len(head.lstrip())]
    step = ' ' * max(2, col - service.col)
    out = [f'{key_indent}depends_on:']
    for name in names:
        out += [f'{key_indent}{step}{name}:',
                f'{key_indent}{step}{step}condition: {conditions.get(name, "service_started")}']
    return Fix((Edit(line, end, tuple(out)),), safe=False)


def main(argv: Sequence[str] | None = None) -> int:
    return run_hook(__name__, argv)


if __name__ == '__main__':
    raise SystemExit(main())
