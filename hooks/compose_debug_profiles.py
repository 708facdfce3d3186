"""Debug and admin tools in a compose file only start when asked for.

## What it does
Reports a service whose image is a debug or admin tool and that has no `profiles:`, so that
it starts with every `docker compose up`. Judged by the image name (registry and tag
ignored): pgAdmin (`dpage/pgadmin4`), RedisInsight (`redis/redisinsight`,
`redislabs/redisinsight`), redis-commander, Adminer, phpMyAdmin, mongo-express, MailHog,
Mailpit, MailDev, MailCatcher, smtp4dev, Inbucket, MailCrab, kafka-ui
(`provectuslabs/kafka-ui`, `kafbat/kafka-ui`), AKHQ, Kafdrop, Redpanda Console, CMAK (Kafka
Manager), Landoop's Kafka UIs, Flower, ElasticHQ, Cerebro, Dejavu, elasticvue, Dozzle,
pgweb, DbGate, CloudBeaver, SQLPad, phpLDAPadmin and phpRedisAdmin. The list can be extended
or trimmed.

A file whose services are all such tools (`pgadmin/compose.yaml`, `compose.debug.yaml`) is
the tool's own deployment, started on purpose, and is not reported, unless it is a
`*.override.*` file, which `docker compose up` reads with the main file. A tool that a
service without profiles lists in `depends_on` (a mail catcher the app sends its mail to)
is part of the stack: Compose refuses to start a service whose dependency is in an inactive
profile, so it is not reported either; nor is a tool that another service of the project
(this file or another compose file of its folder) uses: names in what it is given (its
`environment`, the contents of its `env_file`, its command line, a configuration file it
mounts: a mail catcher the app names as its SMTP host, `SMTP_HOST: mailpit`,
`smtp://mailpit:1025`; a console another service reaches), or shares a network namespace
with (`network_mode: service:...`, on either side: a catcher in the app's namespace is its
SMTP server at localhost). A mail catcher whose SMTP port (25, 465, 587, 1025, 2500, 2525)
is published takes mail from outside Compose, the application a developer runs on the host
(a `.env.example` pointing SMTP at `127.0.0.1:2500`), and is part of the stack too. A file in
a folder named after the tool (`postgresql-pgadmin/compose.yaml`) is the tool's own
deployment too. Test and CI fixtures start what their tests need, and devcontainer stacks are
workspaces that the devcontainer tooling starts without profiles: neither is judged ("What
ships" in the README).

`--fix --unsafe-fixes` adds `profiles: ["debug"]` to the tool's service (the profile
name is the `debug-profile` setting). Unsafe: `docker compose up` no longer starts it;
`docker compose --profile debug up` does.

## Why is this bad?
Admin consoles are powerful, often run with default credentials and publish a port: started
by default they widen the attack surface of every environment the file reaches, and they
cost memory on every developer machine. With `profiles: [debug]` they start only with
`docker compose --profile debug up`.

## Example
```yaml
services:
  pgadmin:
    image: dpage/pgadmin4:8.14
    ports:
      - "5050:80"
```

## Use instead
```yaml
services:
  pgadmin:
    image: dpage/pgadmin4:8.14
    profiles: [debug]
    ports:
      - "127.0.0.1:5050:80"
```

## Options
- `--extra-debug-images GLOBS`: more images that are debug or admin tools (names without
  registry or tag, e.g. `myorg/db-console`).
- `--allowed-debug-images GLOBS`: images from the list that may start by default.
"""
from __future__ import annotations

import fnmatch
import os
import re
from collections.abc import Iterator
from collections.abc import Sequence
from types import SimpleNamespace

from dockhooks._compose import ComposeFile
from dockhooks._compose import Service
from dockhooks._compose import project_services
from dockhooks._findings import Problem
from dockhooks._hook import run_hook
from dockhooks._images import parse_image
from dockhooks._records import TYPE_CHECKING
from dockhooks._roles import stack_role
from dockhooks._uses import Stack

if TYPE_CHECKING:
    from dockhooks._fixes import Fix

CODE = 'DH203'
ID = 'compose-debug-profiles'
SUMMARY = 'debug and admin tools (pgAdmin, RedisInsight, Adminer, ...) have profiles:'
SEVERITY = 'error'
OPTIONS = ('extra-debug-images', 'allowed-debug-images', 'debug-profile')
FIXES = 'unsafe'

DEBUG_IMAGES = {
    'dpage/pgadmin4': 'pgAdmin', 'dpage/pgadmin': 'pgAdmin',
    'redis/redisinsight': 'RedisInsight', 'redislabs/redisinsight': 'RedisInsight',
    'rediscommander/redis-commander': 'redis-commander', 'redis-commander': 'redis-commander',
    'adminer': 'Adminer', 'phpmyadmin': 'phpMyAdmin', 'phpmyadmin/phpmyadmin': 'phpMyAdmin',
    'mongo-express': 'mongo-express', 'mailhog/mailhog': 'MailHog', 'axllent/mailpit': 'Mailpit',
    'maildev/maildev': 'MailDev', 'djfarrelly/maildev': 'MailDev',
    'schickling/mailcatcher': 'MailCatcher', 'sj26/mailcatcher': 'MailCatcher',
    'provectuslabs/kafka-ui': 'kafka-ui', 'kafbat/kafka-ui': 'kafka-ui',
    'tchiotludo/akhq': 'AKHQ', 'obsidiandynamics/kafdrop': 'Kafdrop', 'amir20/dozzle': 'Dozzle',
    'sosedoff/pgweb': 'pgweb', 'dbgate/dbgate': 'DbGate', 'dbeaver/cloudbeaver': 'CloudBeaver',
    'bitnami/phpmyadmin': 'phpMyAdmin', 'joeferner/redis-commander': 'redis-commander',
    'erikdubbelboer/phpredisadmin': 'phpRedisAdmin', 'dockage/mailcatcher': 'MailCatcher',
    'rnwood/smtp4dev': 'smtp4dev', 'inbucket/inbucket': 'Inbucket', 'marlonb/mailcrab': 'MailCrab',
    'redpandadata/console': 'Redpanda Console', 'vectorized/console': 'Redpanda Console',
    'hlebalbau/kafka-manager': 'CMAK', 'sheepkiller/kafka-manager': 'CMAK',
    'vimagick/cmak': 'CMAK', 'vimagick/kafka-manager': 'CMAK',
    'landoop/kafka-topics-ui': 'kafka-topics-ui', 'landoop/schema-registry-ui':
    'schema-registry-ui', 'mher/flower': 'Flower', 'elastichq/elasticsearch-hq': 'ElasticHQ',
    'lmenezes/cerebro': 'Cerebro', 'appbaseio/dejavu': 'Dejavu', 'cars10/elasticvue':
    'elasticvue', 'sqlpad/sqlpad': 'SQLPad', 'osixia/phpldapadmin': 'phpLDAPadmin',
}


def debug_tool(image: str, extra: Sequence[str], allowed: Sequence[str]) -> str | None:
    ref = parse_image(image)
    name = ref.name[len('library/'):] if ref.name.startswith('library/') else ref.name
    if any(fnmatch.fnmatchcase(name, g) for g in allowed):
        return None
    if name in DEBUG_IMAGES:
        return DEBUG_IMAGES[name]
    if any(fnmatch.fnmatchcase(name, g) for g in extra):
        return name
    return None


def _deploys_the_tool(cf: ComposeFile, image: str, tool: str) -> bool:
    """The file's folder is named after the tool (``pgadmin/``, ``postgresql-pgadmin/``,
    ``kafka-ui/``): the file is the tool's own deployment, started on purpose."""
    folder = os.path.basename(os.path.dirname(os.path.abspath(cf.path))).lower()
    flat = re.sub(r'[^a-z0-9]', '', folder)
    names = {re.sub(r'[^a-z0-9]', '', tool.lower()),
             re.sub(r'[^a-z0-9]', '', parse_image(image).short.lower())}
    return any(n and n in flat for n in names)


# Mail catchers: an SMTP server that keeps what it is sent, with a web UI to read it.
MAIL_CATCHERS = frozenset(('MailHog', 'Mailpit', 'MailDev', 'MailCatcher', 'smtp4dev', 'Inbucket',
                           'MailCrab'))
# The ports a mail catcher takes mail on: SMTP's own and the unprivileged ones catchers use.
SMTP_PORTS = frozenset((25, 465, 587, 1025, 2500, 2525))


def published_ports(service: Service) -> set[int]:
    """The container ports ``service`` publishes on the host (``ports:``, short and long
    syntax, ranges); none that cannot be read."""
    out: set[int] = set()
    value = service.lookup('ports')
    for item in value if isinstance(value, list) else ():
        if isinstance(item, dict):
            target = service.value_str(item.get('target'))
            texts = [target] if target else []
        else:
            text = service.value_str(item)
            # [ip:][host:]container[/protocol]; an IPv6 address is in brackets
            texts = [re.sub(r'^\[[^]]*\]:', '', text).split('/')[0].rsplit(':', 1)[-1]] \
                if text else []
        for port in texts:
            first, _, last = port.partition('-')
            if first.isdigit() and (not last or last.isdigit()):
                out.update(range(int(first), int(last or first) + 1))
    return out


def _part_of_the_stack(service: Service, tool: str, others: list[Service]) -> bool:
    """Another service of the project that always starts uses the tool: names it in what it is
    given (environment, env_file contents, command, mounted configuration), or shares a
    network namespace with it (``network_mode: service:...``, either way); or the tool is a
    mail catcher whose SMTP port is published, for a sender outside Compose (the
    application run on the host)."""
    if tool in MAIL_CATCHERS and published_ports(service) & SMTP_PORTS:
        return True
    names = {service.name, service.value_str(service.lookup('hostname')) or '',
             service.value_str(service.lookup('container_name')) or ''}
    mode = service.value_str(service.lookup('network_mode')) or ''
    stacks: dict[int, Stack] = {}
    for other in others:
        if other.profiles or other.name == service.name:
            continue
        stack = stacks.setdefault(id(other.file), Stack(other.file))
        if mode == f'service:{other.name}' or stack.names_in(other, names, sinks=True) or \
                stack.in_namespace_of(other, service):
            return True
    return False


def check(cf: ComposeFile, opts: SimpleNamespace) -> Iterator[Problem]:
    if stack_role(cf) in ('test', 'workspace'):
        return  # a test fixture starts what its test needs; a devcontainer is a workspace
    tools: dict[str, str] = {}
    for service in cf.services:
        image = service.image
        tool = None if image is None else \
            debug_tool(image, opts.extra_debug_images, opts.allowed_debug_images)
        if tool is not None and not _deploys_the_tool(cf, image or '', tool):
            tools[service.name] = tool
    whole = [s for s in cf.services if not s.is_fragment]
    if all(s.name in tools for s in whole) and \
            '.override.' not in os.path.basename(cf.path).lower():
        return  # the file deploys the tools themselves: `up` means them
    # what a service that always starts depends on must start with it
    needed = {d.name for s in cf.services if not s.profiles for d in s.depends_on()}
    others: list[Service] | None = None
    for service in cf.services:
        tool = tools.get(service.name)
        if tool is None or service.profiles or service.name in needed:
            continue
        if others is None:
            others = project_services(cf)
        if _part_of_the_stack(service, tool, others):
            continue
        profile = opts.debug_profile
        yield Problem(
            service.line, service.col,
            f'service {service.name} runs {tool}, a debug/admin tool, on every '
            f'`docker compose up`; add profiles: [{profile}] so it starts only with '
            f'`docker compose --profile {profile} up`',
            _add_profile(cf, service, profile),
        )


def _add_profile(cf: ComposeFile, service: Service, profile: str) -> Fix | None:
    """Unsafe (the tool no longer starts with a plain `docker compose up`): the service
    gets `profiles: ["<profile>"]`, first among its keys, where it is written in full."""
    from dockhooks._fixes import add_keys

    if service.is_fragment or service.file is not cf:
        return None
    return add_keys(cf.text.split('\n'), service.line, (f'profiles: ["{profile}"]',),
                    safe=False)


def main(argv: Sequence[str] | None = None) -> int:
    return run_hook(__name__, argv)


if __name__ == '__main__':
    raise SystemExit(main())
