"""No literal secret is written into a compose file.

## What it does
Reports, in each service's `environment` (mapping or list form), `build.args` and `labels`:
a secret-like name (`DB_PASSWORD`, `SECRET_KEY`, `apiKey`, ...) with a literal value, and
any value in a known credential format whatever its name (AWS access key ids, GitHub,
GitLab, Slack, Stripe, npm and Google tokens, private-key blocks, passwords in URLs such as
`postgres://app:hunter2@db/app`). On the command line of `command`, `entrypoint` and
`healthcheck.test` it reports a literal value given to an option or variable with a
secret-like name (`redis-server --requirepass x`, `PASSWORD=x` in `sh -c`, `curl -u
admin:x`) and credential formats; a shell expansion that Compose's `$$` escape leaves for the
command to compute (`--requirepass "$$(cat $$REDIS_PASSWORD_FILE)"`, `$$DB_PASSWORD`) is a
reference, not a literal. The judgement is the same code as `dockerfile-no-secrets` and
`no-committed-env-files`. Interpolated values (`DB_PASSWORD: ${DB_PASSWORD}`, read from a
git-ignored `.env`) pass; a default written into the file (`${DB_PASSWORD:-hunter2}`) is a
literal and is reported, and the advice keeps the variable the stack reads
(`${DB_PASSWORD:?set DB_PASSWORD in .env}`). `..._FILE` names, paths, settings such as
`TOKEN_TTL: 3600` or `60/minute`, hashes (`ADMIN_PASSWORD_HASH`), names compiled into browser
code (`VITE_`, `NEXT_PUBLIC_`) and placeholders pass: masked or filler values (`******`,
`xxxxxxxx`, `xoxb-xxxxxxxxxx`), keyboard runs (`12345`, `qwerty`), templates (`<your-token>`,
`your-api-key-here`, `your_mysql_root_password`), values that say they are not real
(`changeme`, `changeit`, `FAKE_KEY`, `dummy`, `user_provided`), a value that restates its
name (`db_password`, `password` for `CLICKHOUSE_PASSWORD`), a value whose line or the
comment line above says to change it (`# change this`, `# Please UPDATE this password`,
`# CHANGEME`, a URL's password included). A weak working default (`postgres`, `admin`) is
reported. A `..._KEY` name with a random-looking value (`FERNET_KEY: 46BKJoQY...=`) is
reported too, unless the name says the key is public (`..._PUBLIC_KEY`, `..._SITE_KEY`). A
password that the service's own settings leave unused passes: OpenSearch's
`OPENSEARCH_INITIAL_ADMIN_PASSWORD` beside `DISABLE_SECURITY_PLUGIN=true`,
`DISABLE_INSTALL_DEMO_CONFIG=true` or `plugins.security.disabled=true`, Elasticsearch's
`ELASTIC_PASSWORD` beside `xpack.security.enabled=false`. Values that say they are test or
throwaway ones pass too (`testpass`, `app_test`, `hackme`), unless a generated part stands
beside the word (`sk_test_4eC39HqLyjWD...`). In files that never ship (test fixtures,
devcontainers, dev stacks: "What ships" in the README; a file whose opening comment says it is
not for production or deployment, "NOT TO BE USED FOR DEPLOYMENTS", "meant for learning, not
production", unless the sentence makes it a base to customize first: "not intended for
production use without first customizing it") only credential formats count. A password
that published images fix passes: the server's own password when every service that depends
on the server runs a prebuilt image the file gives no configuration (no environment,
env_file, secrets, configs or bind mount: what it connects with is built into it), or a
client's password for a server that is such an image; the file cannot change it, and it is
public with the images. (A prebuilt client configured through its own web installer looks the
same and passes too.) The message never shows the value.

One value is one finding, naming every other place of the file that writes it so that they
move together: other services' entries (an anchor shared by several services is one place,
naming them), a URL or a driver's `user:VALUE@` that holds it as its password, a command
word (`mc alias set minio URL user VALUE`), a configuration file bind-mounted from the
project that writes it on a credential's line, an entry reading the same variable with the
same default whatever its name (`REDIS_AUTH: ${REDIS_AUTH:-VALUE}`), an env file a service
reads with `env_file:` (`${APP_DATA_DIR}/.env` is the `.env` beside the file) that holds it
under a secret-like name. Places are grouped by the account they authenticate, not by equal
text: a root password and the application user's password, or PostgreSQL's and RabbitMQ's,
that share a literal are two findings, each with its own variable (the server and user told
by the entry's name and its `..._USER` entry, a URL's host and user). It is reported at the
server's own entry (MariaDB's image reads `MYSQL_*`, PostGIS's `POSTGRES_*`)
(`POSTGRES_PASSWORD` of the `postgres` service), else at the entry with the most specific
name, before URLs and command lines: the same place however the file orders its services,
so that a baseline keeps it. The advice puts it in one variable,
required (`${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD in .env}`: an unset variable would
become an empty password), named after the server's own entry (`POSTGRES_PASSWORD` of the
`postgres` service). Another variable whose default holds it (a URL's) is never required,
as a template may leave it empty to keep its default: the password's variable is nested in
that default (`${DATABASE_URL:-postgresql://app:${POSTGRES_PASSWORD:?...}@db/app}`). On a
folded command (`command: >`) the finding is at the literal's line. It names the other
end of a password when the file gives it no credential for that server (a URL to it, a
password variable the server reads too, a password beside an entry naming its host; another
secret such as an API key is none): a service that `depends_on` the database (its image,
code or env_file holds its own copy), or the server a client's password is for (`MYSQL_PASS`
of a client of a server image that has it built in, configured otherwise by the file). A
stack whose file reads variables that no env file beside it sets, in host paths or by
secret-like names (`${APP_DATA_DIR}`, `${APP_PASSWORD}`: a platform that installs the stack
sets them), is told to take the value the same way rather than from a `.env` nobody writes.

## Why is this bad?
A compose file is committed, copied into images, pasted into tickets and shared: a password
written in it is a password published to everyone who can read the repository, forever, in
its history.

## Example
```yaml
services:
  db:
    image: postgres:16-alpine
    environment:
      POSTGRES_PASSWORD: hunter2
```

## Use instead
```yaml
services:
  db:
    image: postgres:16-alpine
    environment:
      POSTGRES_PASSWORD_FILE: /run/secrets/db_password
    secrets:
      - db_password
secrets:
  db_password:
    file: ./db_password.txt   # git-ignored
```
or `POSTGRES_PASSWORD: ${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD in .env}` with the value in
a git-ignored `.env` (`:?` makes a missing value an error rather than an empty password).

## Options
- `--extra-secret-names NAMES`: more variable names to treat as secrets.
- `--allowed-names NAMES`: names that are never secrets here.
"""
from __future__ import annotations

import os
import re
from collections.abc import Iterator
from collections.abc import Sequence
from types import SimpleNamespace

from dockhooks._compose import ComposeFile
from dockhooks._compose import Service
from dockhooks._compose import value_str
from dockhooks._findings import Problem
from dockhooks._hook import run_hook
from dockhooks._records import NamedTuple
from dockhooks._roles import VENDORED_DIRS
from dockhooks._roles import stack_role
from dockhooks._secrets import is_placeholder
from dockhooks._secrets import is_secret_name
from dockhooks._secrets import line_says_placeholder
from dockhooks._secrets import name_words
from dockhooks._secrets import secret_kinds
from dockhooks._secrets import secret_problem
from dockhooks._secrets import url_password
from dockhooks._vars import expand

CODE = 'DH206'
ID = 'compose-no-secrets'
SUMMARY = 'no literal secret in compose environment, build args, labels or command lines'
SEVERITY = 'error'
OPTIONS = ('extra-secret-names', 'allowed-names')

COMMANDS = ('command', 'entrypoint', 'healthcheck')
# Settings of a service that turn off the authentication a password is for: the password is
# then read by nothing. (setting, values that turn it off, the passwords it makes unused)
_AUTH_OFF = (
    # OpenSearch: the initial admin password is read only by the demo security configuration,
    # which neither a disabled security plugin nor a disabled demo installer runs
    ('DISABLE_SECURITY_PLUGIN', ('true',), ('OPENSEARCH_INITIAL_ADMIN_PASSWORD',)),
    ('DISABLE_INSTALL_DEMO_CONFIG', ('true',), ('OPENSEARCH_INITIAL_ADMIN_PASSWORD',)),
    ('plugins.security.disabled', ('true',), ('OPENSEARCH_INITIAL_ADMIN_PASSWORD',)),
    # Elasticsearch: without security there is no user to give the bootstrap password to
    ('xpack.security.enabled', ('false',), ('ELASTIC_PASSWORD',)),
)
# Variables of the shell that runs Compose, not of a project.
_SHELL_VARIABLES = frozenset(('HOME', 'USER', 'PWD', 'UID', 'GID', 'HOSTNAME', 'SHELL', 'PATH',
                              'LOGNAME', 'TMPDIR', 'XDG_RUNTIME_DIR', 'DOCKER_HOST'))


class _Place(NamedTuple):
    """Where a secret is written: one entry, option or command variable of a service."""

    line: int
    col: int
    where: str  # environment, build.args, labels, command, entrypoint, healthcheck
    name: str  # as the message shows it: the entry's name, option or variable
    key: str  # the name the value was judged by, a variable name for it
    raw: str | None
    problem: str
    secret: str  # the secret itself: the value, or the password of a URL or user:password
    var: str | None  # the variable the stack reads, whose committed default holds the secret
    in_url: bool  # the secret is the password of a URL
    listed: bool = False  # an entry of a list (`- NAME=value`), not a mapping


def _literal(raw: str | None, where: str = 'environment') -> str | None:
    """What the file itself writes: variables passed on removed, defaults kept. On a command
    line, what is left of a shell expansion after Compose's ``$$`` escape (``$(cat
    $PASSWORD_FILE)``, ``$REDIS_PASSWORD``) is computed when the command runs: no literal."""
    if raw is None:
        return None
    value = expand(raw, lambda _name: None, compose=True, literal_only=True)
    if value is None or '$' not in value:
        return value
    if where in COMMANDS and re.search(r'\$[({A-Za-z_]', value):
        return ''
    if re.fullmatch(r'\s*(\$\{[^}]*\}|\$\([^)]*\)|\$[A-Za-z_]\w*)\s*', value):
        return ''  # the whole value a reference the container resolves
    return value


def _mapping_entries(service: Service, *keys: str) -> Iterator[tuple[str, str | None, int, int]]:
    value = service.lookup(*keys)
    if isinstance(value, dict):
        for k, v in value.items():
            line, col = service.key_pos(*keys, str(k))
            yield str(k), (None if v is None else value_str(v) if not isinstance(v, str)
                           else v), line, col
    elif isinstance(value, list):
        pos = service.key_pos(*keys)
        own = pos != (service.line, service.col)  # not inherited through extends
        for i, item in enumerate(value):
            if isinstance(item, str):
                name, eq, val = item.partition('=')
                line, col = (_item_pos(value, i) if own else None) or pos
                yield name, (val if eq else None), line, col


def _item_pos(seq: object, index: int) -> tuple[int, int] | None:
    try:
        line, col = seq.lc.item(index)  # type: ignore[attr-defined]
    except (AttributeError, KeyError, TypeError, IndexError):
        return None
    return line + 1, col + 1


_DEFAULTED = re.compile(r'\$\{([A-Za-z_][A-Za-z0-9_]*):?-([^}]*)\}')
_REFERENCE = re.compile(r'\$\{([A-Za-z_][A-Za-z0-9_]*)(:?[-+?][^}]*)?\}|\$([A-Za-z_][A-Za-z0-9_]*)')


def _variable(name: str) -> str:
    """A valid variable name for a key (``sonar.jdbc.password`` -> ``SONAR_JDBC_PASSWORD``)."""
    if re.fullmatch(r'[A-Za-z_][A-Za-z0-9_]*', name):
        return name
    out = re.sub(r'[^A-Za-z0-9_]+', '_', name).strip('_').upper() or 'SECRET'
    return f'_{out}' if out[0].isdigit() else out


def check(cf: ComposeFile, opts: SimpleNamespace) -> Iterator[Problem]:
    # one place per entry written: an anchor or extends may serve several services
    places: dict[tuple[int, int, str, str], tuple[_Place, list[str]]] = {}
    for place, service in _findings(cf, opts):
        places.setdefault((place.line, place.col, place.where, place.name),
                          (place, []))[1].append(service)
    # one finding per secret value: every place that writes it moves with it
    groups: dict[tuple[str, ...], list[tuple[_Place, list[str]]]] = {}
    for (line, col, where, name), entry in places.items():
        key = (entry[0].secret,) if where not in ('build.args', 'labels') \
            else (where, name, str(line), str(col))
        groups.setdefault(key, []).append(entry)
    source: list[str] | None = None
    images = {s.name: _image_words(s) for s in cf.services}
    accounts: list[tuple[list[tuple[_Place, list[str]]], list[tuple[_Place, list[str]]]]] = []
    for whole in groups.values():
        # the finding is at the same place however the file orders its services (a baseline
        # keeps it): the server's own entry, else entries before URLs and command lines
        whole.sort(key=lambda e: _canonical(e, images))
        accounts.extend((part, whole) for part in (
            _by_account(cf, whole) if whole[0][0].where not in ('build.args', 'labels')
            else [whole]))
    for group, whole in accounts:
        head, names = group[0]
        if head.where not in ('build.args', 'labels') and _fixed_by_images(cf, group):
            continue
        if head.where in ('build.args', 'labels'):
            yield Problem(head.line, head.col,
                          f'{_who(names)}: {_what(head)} {head.problem}, committed with the '
                          f'file; {_fix_other(head.where)}')
            continue
        if source is None:
            source = runner_variables(cf)
        copies = _copies(cf, head.secret, group, whole)
        also = [f'{_what(p) if n == names else f"{_who(n)} {_what(p)}"} (line {p.line})'
                for p, n in group[1:]] + [text for text, _, _ in copies]
        text = f'{_who(names)}: {_what(head)} {head.problem}, committed with the file'
        if also:
            text += f'; the same value is also in {_join(also)}'
        text += _peers_without_credentials(cf, group, {n for _, ns, _ in copies for n in ns})
        in_url = any(url for _, _, url in copies)
        written = sum(url is not None for _, _, url in copies)
        yield Problem(head.line, head.col, f'{text}; {_fix(group, written, in_url, source)}')


def _by_account(cf: ComposeFile, group: list[tuple[_Place, list[str]]]
                ) -> list[list[tuple[_Place, list[str]]]]:
    """The places of one value split by the account they authenticate: a root password and
    an application user's password that share a literal, or two servers' passwords
    (PostgreSQL's and RabbitMQ's), are two secrets: two findings, each with its own variable.
    A place whose user cannot be told goes with the only account of its server, else with the
    first place's."""
    services = {s.name: s for s in cf.services}
    found = [_account(services, place, names) for place, names in group]
    known: list[tuple[frozenset[str], str]] = []
    for account in found:
        if account is not None and account[1] is not None and not any(
                account[0] & k[0] and account[1] == k[1] for k in known):
            known.append((account[0], account[1]))
    if len(known) <= 1:
        return [group]
    parts: dict[int, list[tuple[_Place, list[str]]]] = {}
    for entry, account in zip(group, found):
        at = [i for i, k in enumerate(known) if account is not None and account[0] & k[0]
              and account[1] in (k[1], None)]
        # known[0] is the first place's account, as the places are in order
        parts.setdefault(at[0] if len(at) == 1 else 0, []).append(entry)
    return list(parts.values())


# Names of one server in images and variables (PostgreSQL, MariaDB as MySQL, MongoDB).
_SERVER_NAMES = {'postgresql': 'postgres', 'pg': 'postgres', 'mariadb': 'mysql',
                 'mongodb': 'mongo'}


def _account(services: dict[str, Service], place: _Place,
             names: list[str]) -> tuple[frozenset[str], str | None] | None:
    """(the services that serve it, the user) a password place authenticates: a URL's host
    and user; an entry named after the image of a service of the file (``MYSQL_ROOT_PASSWORD``
    with ``root``, ``MYSQL_PASSWORD`` with its ``MYSQL_USER``, a client's as the server's); a
    command line's option for the service that runs it. None when the file does not say (a
    name that no image of the file matches)."""
    if place.where in COMMANDS:
        return frozenset(names[:1]), None
    if place.where != 'environment':
        return None
    if place.in_url:
        m = re.search(r'://([^\s:/@]*):[^\s@]*@([^\s:/?@}]+)', place.raw or '')
        server = m and next((s for s in services.values() if _reaches(m.group(2), s)), None)
        if not m or server is None:
            return None
        user = m.group(1) if m.group(1) and '$' not in m.group(1) else None
        return frozenset((server.name,)), user
    what = _server_word(name_words(place.key))
    if what is None or not names or names[0] not in services:
        return None
    what = _SERVER_NAMES.get(what, what)
    servers = frozenset(s.name for s in services.values()
                        if what in {_SERVER_NAMES.get(w, w) for w in _image_words(s)})
    if not servers:
        return None
    return servers, _user_of(services[names[0]], place.key)


def _user_of(service: Service, key: str) -> str | None:
    """The user a password entry of ``service`` goes with: the entry its name pairs with
    (``MYSQL_USER`` for ``MYSQL_PASSWORD``, ``MONGO_INITDB_ROOT_USERNAME``), else ``root``
    for a root password."""
    words = name_words(key)
    at = max((i for i, w in enumerate(words) if secret_kinds([w])), default=None)
    if at is None:
        return None
    prefix = words[:at]
    env = {e.name.upper(): e.value for e in service.environment()}
    for word in ('USER', 'USERNAME', 'LOGIN'):
        value = env.get('_'.join([*prefix, word]))
        literal = _literal(value) if value is not None else None
        if literal and '$' not in literal:
            return literal.strip().strip('"\'')
    return 'root' if 'ROOT' in prefix else None


def _join(items: Sequence[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def _who(names: Sequence[str]) -> str:
    return f'service {names[0]}' if len(names) == 1 else f"services {', '.join(names)}"


def _what(place: _Place) -> str:
    if place.where not in COMMANDS:
        return f'{place.where} {place.name}'
    if place.name == '-u user:password':
        return f'{place.where} option -u'
    if place.name.startswith('-'):
        return f'{place.where} option {place.name}'
    return f'{place.where} {"value" if place.name == "value" else f"variable {place.name}"}'


def _fix_other(where: str) -> str:
    if where == 'build.args':
        return ('a build arg also stays in the image history: pass it as a build secret '
                '(build: secrets:, RUN --mount=type=secret in the Dockerfile)')
    return 'anyone who can inspect the container reads labels: revoke it and remove it'


def runner_variables(cf: ComposeFile) -> list[str]:
    """The variables the stack takes from whatever runs it: read by the file without a
    default, set by no env file of its folder (``.env``, ``.env.example``, ``app.env``), and
    needed, in a host path (``volumes``, ``env_file``) or by a secret-like name. A platform
    that installs the stack sets them for each install (``${APP_DATA_DIR}``,
    ``${APP_PASSWORD}``); a ``.env`` that is to be written would be shown by its template."""
    folder = os.path.dirname(cf.path) or '.'
    needed = set()
    for service in cf.services:
        for key in ('volumes', 'env_file'):
            value = service.get(key)
            for item in value if isinstance(value, list) else [value]:
                text = item.get('source') or item.get('path') \
                    if isinstance(item, dict) else item
                needed.update(_bare_references(str(text or '')))
    text = '\n'.join(line for line in cf.text.split('\n') if not line.lstrip().startswith('#'))
    used = [name for name in dict.fromkeys(_bare_references(text))
            if name not in _SHELL_VARIABLES and (name in needed or is_secret_name(name))]
    if not used:
        return []
    defined = _env_file_keys(folder)
    return [name for name in used if name not in defined]


def _bare_references(text: str) -> list[str]:
    """The variables ``text`` reads with no default (``${X}``, ``$X``, ``${X:?err}``)."""
    out = []
    for m in _REFERENCE.finditer(text.replace('$$', '')):
        name, op = (m.group(1), m.group(2) or '') if m.group(1) else (m.group(3), '')
        if not op.lstrip(':').startswith(('-', '+')):
            out.append(name)
    return out


def _env_file_keys(folder: str) -> set[str]:
    """The keys set by the env files and env templates of ``folder`` (``.env.example``,
    ``stack.env``)."""
    from dockhooks import _dotenv
    from dockhooks._roles import folder_entries
    from dockhooks._text import InputError
    from dockhooks._text import read_text

    keys: set[str] = set()
    for name in folder_entries(folder):
        if not (name.startswith('.env') or name.endswith('.env')):
            continue
        try:
            keys.update(_dotenv.values(read_text(os.path.join(folder, name))))
        except (InputError, OSError):
            continue
    return keys


def _fix(group: list[tuple[_Place, list[str]]], copies: int, url_copy: bool,
         given: list[str]) -> str:
    """What to write instead: one variable for the value wherever the file writes it as is,
    required where the stack already reads it with the value as its default, and nested in
    the defaults of the other variables that hold it (``${DATABASE_URL:-postgresql://app:
    ${POSTGRES_PASSWORD:?...}@db/app}``): never one of those required, as a template that
    leaves it empty on purpose keeps its default."""
    places = [p for p, _ in group]
    literal = [p for p in places if p.var is None]
    defaulted = list(dict.fromkeys(p.var for p in places if p.var is not None))
    many = len(places) + copies > 1
    var = _one_variable(group)
    whole_url = var is None and len(literal) == 1 and not defaulted and not copies
    if var is None and literal:
        # a URL on its own is the value; the password of several URLs is one variable
        var = _variable(literal[0].key).upper() if whole_url and literal[0].where in COMMANDS \
            else _variable(literal[0].key) if whole_url else _password_variable(literal[0])
    if var is None:
        # only URLs read through variables: a variable for their password, nested in them
        var = _password_variable(next(p for p in places if p.var is not None))

    def ref(name: str) -> str:
        return f'${{{name}:?{name} is not set}}' if given else \
            f'${{{name}:?set {name} in .env}}'

    parts = []
    if literal or copies:
        head = literal[0] if literal else None
        if not many and head is not None and head.where == 'environment' and (
                whole_url or not head.in_url):
            parts.append(f'use - {head.name}={ref(var)}' if head.listed else
                         f'use {head.name}: {ref(var)}')
        elif not many and head is not None and head.where in COMMANDS:
            parts.append(f'pass it as {ref(var)}')
        elif not many:
            parts.append(f'write {ref(var)} in the URL, in place of its password')
        else:
            in_url = ' (in a URL, in place of its password)' \
                if url_copy or any(p.in_url for p in literal) else ''
            parts.append(f'write {ref(var)} in place of the value at each place{in_url}')
    nested = [p for p in places if p.var is not None and p.var != var]
    if var in defaulted:
        parts.append(f'drop the committed default of ${{{var}}} and require it: {ref(var)}'
                     if nested else
                     f'drop the committed default and require the variable: {ref(var)}')
    if nested:
        names = list(dict.fromkeys(p.var for p in nested if p.var))
        one = len(names) == 1
        parts.append(f'nest it in the default of {_join([f"${{{n}}}" for n in names])} rather '
                     f'than requiring {"that variable" if one else "those variables"} (an empty '
                     f'value keeps the default): {_nested(nested[0], ref(var))}')
    text = ' and '.join(parts)
    if given:
        shown = _join([f'${{{g}}}' for g in given[:3]])
        one = len(given) == 1
        return (f'{shown} come{"s" if one else ""} from the environment of whatever runs the '
                f'stack (no env file beside the file sets {"it" if one else "them"}): {text}, '
                f'and give {var} the same way (what was stored with the old value, as a '
                f"database's own password, keeps it until changed there)")
    if many and (not defaulted or nested):
        text = f'put it in one variable: {text},'
    if not many and literal and literal[0].where in COMMANDS:
        return (f'{text} (the value in a git-ignored .env) or read it from a compose secret in '
                f'/run/secrets')
    text += ' with the value in a git-ignored .env'
    if not many and literal and literal[0].where == 'environment':
        text += ', or compose secrets: mounted at /run/secrets'
    return text


def _nested(place: _Place, ref: str) -> str:
    """``place``'s variable with ``ref`` nested in its default, in place of the value or of
    the password of its URL (Compose interpolates the default too)."""
    m = _DEFAULTED.search(place.raw or '')
    if m is None:
        return ref
    default = m.group(2)
    if place.in_url:
        default = default.replace(f':{place.secret}@', f':{ref}@', 1)
    else:
        default = default.replace(place.secret, ref, 1) if place.secret in default else ref
    return f'${{{m.group(1)}:-{default}}}'


def _canonical(entry: tuple[_Place, list[str]],
               images: dict[str, set[str]]) -> tuple[int, int, str, str, int]:
    """Where a place stands among those of one value, whatever the order of the file: the
    server's own entry (``POSTGRES_PASSWORD`` of a ``postgres`` service) first, then entries
    (the most specific name first: ``GF_SECURITY_ADMIN_PASSWORD`` before ``ADMIN_PASSWORD``),
    URLs and command lines, each by service and name."""
    place, names = entry
    if place.where != 'environment':
        rank = 3
    elif place.in_url:
        rank = 2
    else:
        what = _server_word(name_words(place.key))
        rank = 0 if what is not None and any(what in images.get(n, ()) for n in names) else 1
    specific = -len(name_words(place.key)) if rank == 1 else 0
    return rank, specific, min(names), place.name, place.line


def _one_variable(group: list[tuple[_Place, list[str]]]) -> str | None:
    """The variable for a value written as is: the name of its first entry (the server's
    own, as :func:`_canonical` orders them), else of the first option; a variable the stack
    already reads with the value as its default; None when the value is only in URLs."""
    plain = [(p, names) for p, names in group if p.var is None and not p.in_url]
    for p, _ in plain:
        if p.where == 'environment':
            return _variable(p.key)
    for p, _ in plain:
        if p.key:
            return _variable(p.key).upper()
    return next((p.var for p, _ in group if p.var and not p.in_url), None)


def _password_variable(place: _Place) -> str:
    """A variable for the password of a URL: named after its user (``postgres://app:...``
    -> ``APP_PASSWORD``), else after the entry."""
    m = re.search(r'://([A-Za-z_][A-Za-z0-9_.-]*):', place.raw or '')
    base = m.group(1) if m else place.key
    return f'{_variable(base).upper()}_PASSWORD'


def _copies(cf: ComposeFile, secret: str, group: list[tuple[_Place, list[str]]],
            whole: list[tuple[_Place, list[str]]]) -> list[tuple[str, list[str], bool | None]]:
    """Other places of the file, and of the files it mounts, where the same value is written
    without being reported on its own: words of a command (``mc alias set minio URL user
    PASSWORD``), a value under another name (``USERS=user|PASSWORD``, a driver's
    ``user:PASSWORD@tcp(db)/app``), a configuration file bind-mounted from the project that
    writes it on a credential's line. Where the value is also a plain setting of the file (the
    user name, when the password is the user name), only the password's own place in a
    ``user:PASSWORD@`` tells it apart."""
    if len(secret) < 4:
        return []
    token = re.compile(r'(?<![A-Za-z0-9_])' + re.escape(secret) + r'(?![A-Za-z0-9_])')
    as_password = re.compile(r':' + re.escape(secret) + r'@')
    # the places of the value, those of another account that shares it included
    reported = {(p.line, p.where) for p, _ in whole}
    commands = {(n, p.where) for p, names in whole for n in names if p.where in COMMANDS}
    variables = {p.var for p, _ in group if p.var}
    settings: list[tuple[Service, str, str, int, bool]] = []
    for service in cf.services:
        for env in service.environment():
            if env.value is not None and not is_secret_name(env.name):
                m = _DEFAULTED.search(env.value)
                # the default of a variable that a reported place reads: the same secret
                # whatever the entry's name (REDIS_AUTH: ${REDIS_AUTH:-VALUE})
                same = m is not None and m.group(1) in variables and m.group(2) == secret
                settings.append((service, env.name, _literal(env.value) or '', env.line, same))
    # the user name too: a word equal to it may be either
    ambiguous = any(value.strip('"\'') == secret and not same
                    for _, _, value, _, same in settings)
    writes = as_password if ambiguous else token
    found: list[tuple[str, list[str], bool | None]] = []
    for service, name, value, line, same in settings:
        if (same or writes.search(value)) and (line, 'environment') not in reported:
            # the same variable's default: required there as at the reported place
            found.append((f'service {service.name} environment {name} (line {line})',
                          [service.name], None if same else bool(as_password.search(value))))
    for service in cf.services:
        for where, keys in (('command', ('command',)), ('entrypoint', ('entrypoint',)),
                            ('healthcheck', ('healthcheck', 'test'))):
            value = service.lookup(*keys)
            text = ' '.join(map(str, value)) if isinstance(value, list) else \
                value if isinstance(value, str) else ''
            line = service.key_pos(*keys)[0] if text else 0
            text = text.replace('$$', '$')
            if text and writes.search(text) and (line, where) not in reported \
                    and (service.name, where) not in commands:
                found.append((f'service {service.name} {where} (line {line})', [service.name],
                              bool(as_password.search(text))))
    # as the places are: the same whatever the order of the file, the file's own first
    return [*sorted(found, key=lambda c: c[0]), *_env_file_copies(cf, secret),
            *sorted(_mounted_copies(cf, token))]


def _env_file_copies(cf: ComposeFile, secret: str) -> list[tuple[str, list[str], bool]]:
    """The entries of the env files the services read (``env_file:``, shipped with the stack)
    that hold the value under a secret-like name, as a value or a URL's password: the
    service reads its copy from there, which must change with the others. A path that starts
    with a variable set by whoever runs the stack (``${APP_DATA_DIR}/.env``) is the file of
    that name beside the compose file, as the stack is installed from its folder."""
    from dockhooks import _dotenv
    from dockhooks._text import InputError
    from dockhooks._text import read_text

    base = os.path.dirname(cf.path) or '.'
    readers: dict[str, list[str]] = {}
    for service in cf.services:
        value = service.get('env_file')
        for item in value if isinstance(value, list) else [value] if value else []:
            text = str((item.get('path') if isinstance(item, dict) else item) or '')
            if not text:
                continue
            if text.startswith('$'):
                text = text.replace('\\', '/').rsplit('/', 1)[-1] if '/' in text else ''
            if text and '$' not in text:
                path = os.path.normpath(os.path.join(base, text))
                readers.setdefault(path, []).append(service.name)
    found: list[tuple[str, list[str], bool]] = []
    for path, names in sorted(readers.items()):
        try:
            entries = _dotenv.parse(read_text(path))
        except (InputError, OSError):
            continue
        rel = os.path.relpath(path, base).replace(os.sep, '/')
        shown = rel if rel.startswith('..') else f'./{rel}'
        for entry in entries:
            value = (entry.literal or '').strip()
            password = url_password(value)
            if value and ((value == secret and is_secret_name(entry.key))
                          or password == secret):
                found.append((f'{shown} {entry.key} (line {entry.line}, the env_file of '
                              f"{', '.join(dict.fromkeys(names))})", names, value != secret))
    return found


# A line of a configuration file that holds a credential.
_SECRET_LINE = re.compile(r'pass|pwd|secret|key|token|auth|credential', re.I)
_MOUNT_LIMIT = 256 * 1024  # bytes read of one mounted file
_MOUNT_FILES = 50  # files read under one mounted folder


def _mounted_copies(cf: ComposeFile,
                    token: re.Pattern[str]) -> list[tuple[str, list[str], bool]]:
    """The files bind-mounted from the project into a service of ``cf`` that write the value
    on a line about a credential (``secret_access_key: VALUE``)."""
    base = os.path.dirname(cf.path) or '.'
    found: dict[str, list[str]] = {}
    for service in cf.services:
        for host, _ in service.bind_mounts():
            if not host.startswith('.'):
                continue
            path = os.path.normpath(os.path.join(base, host))
            for file in _files_under(path):
                if _writes_value(file, token):
                    shown = './' + os.path.relpath(file, base).replace(os.sep, '/') \
                        if not os.path.relpath(file, base).startswith('..') \
                        else os.path.relpath(file, base).replace(os.sep, '/')
                    found.setdefault(shown, []).append(service.name)
    return [(f"{shown} (mounted into {', '.join(dict.fromkeys(names))})", names, False)
            for shown, names in found.items()]


def _files_under(path: str) -> list[str]:
    if os.path.isfile(path):
        return [path]
    out: list[str] = []
    for folder, dirs, files in os.walk(path):
        dirs[:] = sorted(d for d in dirs if not d.startswith('.') and d not in VENDORED_DIRS)
        for name in sorted(files):
            out.append(os.path.join(folder, name))
            if len(out) >= _MOUNT_FILES:
                return out
    return out


def _writes_value(path: str, token: re.Pattern[str]) -> bool:
    try:
        with open(path, 'rb') as f:
            data = f.read(_MOUNT_LIMIT)
    except OSError:
        return False
    if b'\0' in data:
        return False
    text = data.decode('utf-8', 'replace')
    return any(token.search(line) and _SECRET_LINE.search(line) for line in text.splitlines())


def _peers_without_credentials(cf: ComposeFile, group: list[tuple[_Place, list[str]]],
                               copied: set[str]) -> str:
    """The services at the other end of a password that get no credential from the file:
    their own copy of the value (in their image, code, an env_file or a mounted file) must
    change with it. The server a password is for is known by its image, named by the word of
    the password's name before the secret (``POSTGRES_PASSWORD`` on ``postgres:16``,
    ``MYSQL_PASS`` for ``zipkin-mysql``, ``TOR_CONTROL_PASSWORD`` for a ``tor`` image; not
    ``KAFKA_MANAGER_PASSWORD`` for ``kafka``); its clients by their ``depends_on``."""
    services = {s.name: s for s in cf.services}
    holders = {name for p, names in group for name in names}
    quiet = holders | copied
    clients: dict[str, list[str]] = {}  # server -> its clients without a credential
    others: dict[str, str] = {}  # server -> the password it is for
    for place, names in group:
        words = name_words(place.key)
        if place.where != 'environment' or place.in_url or 'password' not in secret_kinds(words):
            continue
        what = _server_word(words)
        if what is None:
            continue
        for server in cf.services:
            if what not in _image_words(server):
                continue
            if server.name in names:  # the server's own password: who connects to it
                clients.setdefault(server.name, []).extend(
                    s.name for s in cf.services if s.name not in quiet
                    and server.name in _dependencies(s) and not _connects_to(s, server))
            elif server.name not in quiet and not _has_credentials(server) and not any(
                    what in _image_words(services[n]) for n in names if n in services):
                others.setdefault(server.name, place.key)
    notes = []
    for end, found in clients.items():
        names = list(dict.fromkeys(found))
        if names:
            one = len(names) == 1
            notes.append(f'{_who(names)} depend{"s" if one else ""} on {end} but '
                         f'get{"s" if one else ""} no credential from this file: if '
                         f'{"it uses" if one else "they use"} this one, whatever gives '
                         f'{"it" if one else "them"} the value (an image, code, an env_file, a '
                         f'mounted file) must change with it')
    for end, key in others.items():
        notes.append(f'service {end}, which {key} is for, gets no credential from this '
                     f'file: whatever gives it the value (an image, code, an env_file, a '
                     f'mounted file) must change with it')
    return ''.join(f'; {note}' for note in notes)


# Words of a password's name that qualify the secret rather than name the server it is for.
_GENERIC_WORDS = frozenset(('password', 'pass', 'passwd', 'pwd', 'pw', 'root', 'admin', 'user',
                            'default', 'initial', 'db', 'database', 'server', 'app', 'secret',
                            'control', 'rpc', 'api', 'auth', 'master', 'superuser', 'init'))


def _server_word(words: Sequence[str]) -> str | None:
    """The word before the secret word of a password's name, qualifiers skipped
    (``MYSQL_ROOT_PASSWORD`` -> ``mysql``, ``TOR_CONTROL_PASSWORD`` -> ``tor``); None for a
    database's password named by its client (``WORDPRESS_DB_PASSWORD``)."""
    lower = [w.lower() for w in words]
    at = max((i for i, w in enumerate(lower) if secret_kinds([w])), default=None)
    if at is None:
        return None
    for w in reversed(lower[:at]):
        if w in ('db', 'database'):
            return None  # WORDPRESS_DB_PASSWORD: a database's, named by its client
        if w not in _GENERIC_WORDS and not w.isdigit():
            return w
    return None


_IMAGE_NOISE = frozenset(('docker', 'io', 'ghcr', 'quay', 'library', 'latest', 'com', 'www'))


# Images that take another server's settings: MariaDB's reads MYSQL_* as well as MARIADB_*,
# PostGIS's, TimescaleDB's and pgvector's are PostgreSQL's (POSTGRES_PASSWORD).
_IMAGE_ALIASES = {'mariadb': 'mysql', 'postgis': 'postgres', 'timescaledb': 'postgres',
                  'pgvector': 'postgres'}


def _image_words(service: Service) -> set[str]:
    image = (service.image or service.raw_image or "").split("@")[0]
    repo = image.rsplit(':', 1)[0] if ':' in image.rsplit('/', 1)[-1] else image
    words = {w for w in re.split(r'[^a-z0-9]+', repo.lower()) if w and w not in _IMAGE_NOISE}
    return words | {_IMAGE_ALIASES[w] for w in words if w in _IMAGE_ALIASES}


def _dependencies(service: Service) -> set[str]:
    deps = {d.name for d in service.depends_on()}
    links = service.get('links')
    for link in links if isinstance(links, list) else []:
        deps.add(str(link).split(':')[0])
    return deps


def _has_credentials(service: Service) -> bool:
    """Whether the file gives ``service`` any credential: a secret-like entry of its
    environment (a value or a variable), a URL with a user and password, a password option
    on its command line."""
    for env in service.environment():
        if is_secret_name(env.name) or re.search(r'://[^\s/@]*:[^\s/@]+@', env.value or ''):
            return True
    return bool(re.search(r'--?(pass(word)?|requirepass|p)\b|://[^\s/@]*:[^\s/@]+@',
                          service.command_text()))


def _host_names(server: Service) -> set[str]:
    """The names other services reach ``server`` by: its service name, container_name and
    hostname."""
    names = {server.name}
    for key in ('container_name', 'hostname'):
        value = server.get(key)
        if isinstance(value, str) and value:
            names.add(value)
    return names


def _reaches(host: str, server: Service) -> bool:
    """Whether ``host`` names ``server``: one of its names, or the container name Compose
    gives it (``<project>-<service>-1``, ``<project>_<service>_1``)."""
    return host in _host_names(server) or bool(
        re.fullmatch(r'[\w.-]+[_-]' + re.escape(server.name) + r'[_-]\d+', host))


def _connects_to(client: Service, server: Service) -> bool:
    """Whether the file gives ``client`` a credential for ``server``: a URL with a user and
    password whose host is the server, a secret-like entry reading a variable that the
    server's own entries read too, or a secret-like entry beside an entry that points at the
    server (``DB_HOST: postgres`` with ``DB_PASSWORD``). Another secret of the client
    (``OPENAI_API_KEY``) says nothing about the database."""
    hosts = _host_names(server)
    at_host = re.compile(r'(?<![\w.-])(' + '|'.join(map(re.escape, sorted(hosts)))
                         + r')(?![\w-])')
    shared = {m.group(1) or m.group(3) for env in server.environment()
              for m in _REFERENCE.finditer(env.value or '') if is_secret_name(env.name)}
    secret = False
    points = False
    for env in client.environment():
        value = env.value or ''
        m = re.search(r'://[^\s/@]*:[^\s/@]+@([^\s:/?@]+)', value)
        if m and m.group(1) in hosts:
            return True
        if is_secret_name(env.name):
            secret = True
            if any((r.group(1) or r.group(3)) in shared for r in _REFERENCE.finditer(value)):
                return True
        elif at_host.search(value):
            points = True
    if secret and points:
        return True
    command = client.command_text()
    return bool(re.search(r'--?(pass(word)?|requirepass|p)\b', command)
                and at_host.search(command))


def _fixed_by_images(cf: ComposeFile, group: list[tuple[_Place, list[str]]]) -> bool:
    """Whether the value is a password that published images fix and the file cannot
    change: the server's own password where every service that depends on the server runs a
    prebuilt image the file gives no configuration (they connect with what their image has
    built in), or a client's password for a server that is such an image itself (``MYSQL_PASS``
    for a ``zipkin-mysql`` image with its user built in). It is public with the images."""
    services = {s.name: s for s in cf.services}
    holders = {n for _, names in group for n in names}
    for place, names in group:
        if place.where != 'environment' or place.in_url:
            return False
        what = _server_word(name_words(place.key))
        if what is None:
            return False
        own = [services[n] for n in names if n in services and what in _image_words(services[n])]
        if own:
            for server in own:
                clients = [s for s in cf.services if server.name in _dependencies(s)
                           and s.name not in holders]
                if not clients or not all(_unconfigured(s) for s in clients) or any(
                        _connects_to(s, server) for s in cf.services if s is not server):
                    return False
            continue
        ends = [s for s in cf.services if what in _image_words(s) and s.name not in holders]
        if not ends or not all(_unconfigured(s) for s in ends):
            return False
    return True


def _unconfigured(service: Service) -> bool:
    """A service that runs a prebuilt image as it is: built by no build section, given no
    environment, env_file, secrets, configs or files bind-mounted from the project."""
    return service.build is None and bool(service.image or service.raw_image) \
        and not service.environment() and not service.bind_mounts() \
        and not any(service.get(k) for k in ('env_file', 'secrets', 'configs'))


def _inert(service: Service) -> set[str]:
    """The passwords of ``service`` that its own settings leave unused (:data:`_AUTH_OFF`)."""
    settings: dict[str, str] = {}
    for env in service.environment():
        if env.value is not None:
            settings[env.name] = env.value.strip().strip('"\'').lower()
    for word in service.command_text().split():
        name, eq, val = word.lstrip('-').removeprefix('E').partition('=')
        if eq:
            settings.setdefault(name, val.strip('"\'').lower())
    out: set[str] = set()
    for name, values, passwords in _AUTH_OFF:
        if settings.get(name) in values:
            out.update(passwords)
    return out


def _words(value: object) -> list[str]:
    """The words of a command (string or list form); a word holding a shell script
    (``sh -c "redis-server --requirepass x"``) is split too."""
    import shlex

    items = [str(v) for v in value] if isinstance(value, list) else \
        [str(value)] if isinstance(value, str) else []
    out: list[str] = []
    for item in items:
        try:
            words = shlex.split(item) if (' ' in item or not isinstance(value, list)) else [item]
        except ValueError:
            words = item.split()
        for w in words:
            if ' ' in w.strip():
                try:
                    out.extend(shlex.split(w))
                except ValueError:
                    out.extend(w.split())
            else:
                out.append(w)
    return out


_SHELLS = frozenset(('sh', 'bash', 'ash', 'dash', 'zsh', 'ksh', '/bin/sh', '/bin/bash',
                     '/bin/ash', '/usr/bin/env'))


def _command_secrets(service: Service) -> Iterator[tuple[str, str, str | None, int, int]]:
    """(where, option or variable, literal, line, col) of values in ``command``,
    ``entrypoint`` and ``healthcheck.test`` given to an option or variable with a
    secret-like name (``--requirepass x``, ``--password=x``, ``DB_PASSWORD=x``), and
    ``-u user:password`` (curl's basic auth)."""
    for where, keys in (('command', ('command',)), ('entrypoint', ('entrypoint',)),
                        ('healthcheck', ('healthcheck', 'test'))):
        value = service.lookup(*keys)
        words = _words(value)
        if not words:
            continue
        line, col = service.key_pos(*keys)
        taken = -1  # the word an option took as its value
        for k, word in enumerate(words):
            if k == taken:
                continue
            nxt = words[k + 1] if k + 1 < len(words) else None
            if word.startswith('-'):
                flag, eq, val = word.lstrip('-').partition('=')
                # `sh -c SCRIPT`, `sh -euc SCRIPT`: the script's words follow, no option value
                script = flag in ('c', 'command') or (
                    k > 0 and words[k - 1] in _SHELLS and re.fullmatch(r'[a-z]*c[a-z]*', flag)
                    and not word.startswith('--'))
                if not eq:
                    val = nxt if nxt is not None and not nxt.startswith('-') \
                        and not script else ''
                    taken = k + 1 if val else -1
                if flag in ('u', 'user') and ':' in val:
                    yield where, '-u user:password', val.split(':', 1)[1], line, col
                elif val:
                    yield where, word.split('=', 1)[0], val, line, col
            elif '=' in word and re.match(r'[A-Za-z_][A-Za-z0-9_]*=', word):
                name, _, val = word.partition('=')
                yield where, name, val, line, col
            else:
                yield where, '', word, line, col  # only a credential format can tell


def _value_pos(lines: Sequence[str], line: int, col: int, value: str | None) -> tuple[int, int]:
    """Where a command's ``value`` is written when it is not on the key's line: a block or
    folded scalar (``command: >``) or a block list, whose lines are indented under the key."""
    if not value or not 1 <= line <= len(lines) or value in lines[line - 1]:
        return line, col
    key = lines[line - 1]
    indent = len(key) - len(key.lstrip())
    for i in range(line, min(len(lines), line + 200)):
        text = lines[i]
        if text.strip() and len(text) - len(text.lstrip()) <= indent:
            break
        at = text.find(value)
        if at >= 0:
            return i + 1, at + 1
    return line, col


def _findings(cf: ComposeFile, opts: SimpleNamespace) -> Iterator[tuple[_Place, str]]:
    extra = frozenset(n.upper() for n in opts.extra_secret_names)
    allowed = frozenset(n.upper() for n in opts.allowed_names)
    strict = stack_role(cf) == 'ship' and not says_not_deployed(cf.text)
    lines = cf.text.split('\n')
    for service in cf.services:
        sources: list[tuple[str, tuple[str, str | None, int, int], bool, str]] = []
        said: set[tuple[int, int]] = set()
        for env in service.environment():
            sources.append(('environment', (env.name, env.value, env.line, env.col), True,
                            env.name))
        for entry in _mapping_entries(service, 'build', 'args'):
            sources.append(('build.args', entry, True, entry[0]))
        for entry in _mapping_entries(service, 'labels'):
            sources.append(('labels', entry, False, entry[0]))
        for where, name, val, line, col in _command_secrets(service):
            # the option's name judged as a variable name: --requirepass, --api-key
            key = re.sub(r'[^A-Za-z0-9]+', '_', name.split(' ')[-1]).strip('_')
            at = _value_pos(lines, line, col, val)
            if at != (line, col) and line_says_placeholder(lines, line):
                said.add(at)  # `# CHANGEME` above the key speaks for its folded value too
            sources.append((where, (key, val, *at), bool(key), name or 'value'))
        inert = _inert(service)
        for where, (name, raw, line, col), by_name, shown in sources:
            if name in inert:
                continue
            literal = _literal(raw, where)
            problem = secret_problem(
                name, literal, extra_names=extra, allowed=allowed, by_name=by_name,
                strict=strict,
                placeholder_line=(line, col) in said or line_says_placeholder(lines, line))
            if problem is None or literal is None:
                continue
            m = _DEFAULTED.search(raw or '')
            if m and is_placeholder(m.group(2), m.group(1)):
                continue  # the default restates the variable it stands for (${KEY:-key})
            password = url_password(literal) if problem.endswith('URL with a password') \
                else None
            listed = 0 < line <= len(lines) and lines[line - 1].lstrip().startswith('-')
            yield _Place(line, col, where, shown, name, raw, problem, password or literal,
                         m.group(1) if m else None, password is not None, listed), service.name


# A header sentence that says the file is not what is deployed ("THIS IS NOT TO BE USED FOR
# PERSONAL DEPLOYMENTS", "meant for learning Zipkin, not production deployments"); the rest of
# its sentence must not make it a base to customize ("not intended for production use
# without first customizing it" is what ships, once edited).
_NOT_DEPLOYED = re.compile(
    r'\bnot\s+(?:(?:to\s+be|intended|meant|designed|suitable|recommended)\s+)?(?:used\s+)?'
    r'(?:(?:for|in)\s+)?(?:\w+\s+)?(?:production|deployments?)\b([^.!;]*)', re.I)
_BASE_TO_EDIT = re.compile(r'\b(without|unless|until|before|after)\b', re.I)


def says_not_deployed(text: str) -> bool:
    """Whether the comment block a file opens with says it is not for deployment: a test
    or learning stack, whose weak passwords protect throwaway containers."""
    header = []
    for line in text.split('\n'):
        stripped = line.strip()
        if stripped.startswith('#'):
            header.append(stripped.lstrip('#').strip())
        elif stripped:
            break
    return any(not _BASE_TO_EDIT.search(m.group(1))
               for m in _NOT_DEPLOYED.finditer(' '.join(header)))


def main(argv: Sequence[str] | None = None) -> int:
    return run_hook(__name__, argv)


if __name__ == '__main__':
    raise SystemExit(main())
