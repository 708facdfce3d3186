"""No literal secret is written into a compose file.

## What it does
Reports, in each service's `environment` (mapping or list form), `build.args` and `labels`:
a secret-like name (`DB_PASSWORD`, `SECRET_KEY`, `apiKey`, ...) with a literal value, and
any value in a known credential format whatever its name (AWS access key ids, GitHub,
GitLab, Slack, Stripe, npm and Google tokens, private-key blocks, passwords in URLs such as
`postgres://app:hunter2@db/app`). On the command line of `command`, `entrypoint` and
`healthcheck.test` it reports a literal value given to an option or variable with a
secret-like name (`redis-server --requirepass x`, `PASSWORD=x` in `sh -c`, `curl -u
admin:x`) and credential formats. The judgement is the same code as `dockerfile-no-secrets`
and `no-committed-env-files`. Interpolated values (`DB_PASSWORD: ${DB_PASSWORD}`, read from
a git-ignored `.env`) pass; a default written into the file (`${DB_PASSWORD:-hunter2}`) is a
literal and is reported, and the advice keeps the variable the stack reads
(`${DB_PASSWORD:?set DB_PASSWORD}`). `..._FILE` names, paths, settings such as `TOKEN_TTL:
3600` or `60/minute`, hashes (`ADMIN_PASSWORD_HASH`), names compiled into browser code
(`VITE_`, `NEXT_PUBLIC_`) and placeholders pass: masked or filler values (`******`,
`xxxxxxxx`, `xoxb-xxxxxxxxxx`), templates (`<your-token>`, `your-api-key-here`,
`your_mysql_root_password`), values that say they are not real (`changeme`, `FAKE_KEY`,
`dummy`, `user_provided`), a value that restates its name (`db_password`), a value whose
line says `# change this`. A weak working default (`postgres`, `admin`) is reported. A
`..._KEY` name with a random-looking value (`FERNET_KEY: 46BKJoQY...=`) is reported too,
unless the name says the key is public (`..._PUBLIC_KEY`, `..._SITE_KEY`). In files that
never ship (test fixtures, devcontainers, dev stacks: "What ships" in the README) only
credential formats count. An entry written once in an anchor (`environment: *common`) and
shared by several services is one finding at the anchor's line, naming the services. The
message never shows the value.

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
or `POSTGRES_PASSWORD: ${POSTGRES_PASSWORD}` with the value in a git-ignored `.env`.

## Options
- `--extra-secret-names NAMES`: more variable names to treat as secrets.
- `--allowed-names NAMES`: names that are never secrets here.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from collections.abc import Sequence
from types import SimpleNamespace

from dockhooks._compose import ComposeFile
from dockhooks._compose import Service
from dockhooks._compose import value_str
from dockhooks._findings import Problem
from dockhooks._hook import run_hook
from dockhooks._roles import stack_role
from dockhooks._secrets import line_says_placeholder
from dockhooks._secrets import secret_problem
from dockhooks._vars import expand

CODE = 'DH206'
ID = 'compose-no-secrets'
SUMMARY = 'no literal secret in compose environment, build args, labels or command lines'
SEVERITY = 'error'
OPTIONS = ('extra-secret-names', 'allowed-names')


def _literal(raw: str | None) -> str | None:
    """What the file itself writes: variables passed on removed, defaults kept."""
    if raw is None:
        return None
    return expand(raw, lambda _name: None, compose=True, literal_only=True)


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


_DEFAULTED = re.compile(r'\$\{([A-Za-z_][A-Za-z0-9_]*):?-[^}]*\}')


def _variable(name: str) -> str:
    """A valid variable name for a key (``sonar.jdbc.password`` -> ``SONAR_JDBC_PASSWORD``)."""
    if re.fullmatch(r'[A-Za-z_][A-Za-z0-9_]*', name):
        return name
    out = re.sub(r'[^A-Za-z0-9_]+', '_', name).strip('_').upper() or 'SECRET'
    return f'_{out}' if out[0].isdigit() else out


def _fix(where: str, name: str, raw: str | None) -> str:
    if where == 'build.args':
        return ('a build arg also stays in the image history: pass it as a build secret '
                '(build: secrets:, RUN --mount=type=secret in the Dockerfile)')
    if where == 'labels':
        return 'anyone who can inspect the container reads labels: revoke it and remove it'
    m = _DEFAULTED.search(raw or '')
    if m:  # keep the variable the stack already reads; only its committed default goes
        var = m.group(1)
        return (f'drop the committed default and require the variable: ${{{var}:?set {var}}} '
                f'with the value in a git-ignored .env')
    if where in ('command', 'entrypoint', 'healthcheck'):
        var = _variable(name.split(':')[-1].lstrip('-').replace('-', '_')).upper()
        return (f'pass it as ${{{var}}} (the value in a git-ignored .env) or read it from a '
                f'compose secret in /run/secrets')
    var = _variable(name)
    return (f'use {name}: ${{{var}}} with the value in a git-ignored .env, or compose secrets: '
            f'mounted at /run/secrets')


def check(cf: ComposeFile, opts: SimpleNamespace) -> Iterator[Problem]:
    # one finding per place a secret is written: an anchor may serve several services
    places: dict[tuple[int, int, str, str, str], tuple[str | None, list[str]]] = {}
    for place, raw, service in _findings(cf, opts):
        places.setdefault(place, (raw, []))[1].append(service)
    for (line, col, where, name, problem), (raw, names) in places.items():
        who = f'service {names[0]}' if len(names) == 1 else f"services {', '.join(names)}"
        if where not in ('command', 'entrypoint', 'healthcheck'):
            what = f'{where} {name}'
        elif name == '-u user:password':
            what, problem = f'{where} option -u', 'holds a literal password (user:password)'
        elif name.startswith('-'):
            what = f'{where} option {name}'
        else:
            what = f'{where} {"value" if name == "value" else f"variable {name}"}'
        yield Problem(line, col, f'{who}: {what} {problem}, committed with the file; '
                                 f'{_fix(where, name, raw)}')


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
                if not eq:
                    # `sh -c SCRIPT`: the script's words follow, they are no option value
                    val = nxt if nxt is not None and not nxt.startswith('-') \
                        and flag not in ('c', 'command') else ''
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


def _findings(
        cf: ComposeFile, opts: SimpleNamespace,
) -> Iterator[tuple[tuple[int, int, str, str, str], str | None, str]]:
    extra = frozenset(n.upper() for n in opts.extra_secret_names)
    allowed = frozenset(n.upper() for n in opts.allowed_names)
    strict = stack_role(cf) == 'ship'
    lines = cf.text.split('\n')
    for service in cf.services:
        sources: list[tuple[str, tuple[str, str | None, int, int], bool]] = []
        for env in service.environment():
            sources.append(('environment', (env.name, env.value, env.line, env.col), True))
        for entry in _mapping_entries(service, 'build', 'args'):
            sources.append(('build.args', entry, True))
        for entry in _mapping_entries(service, 'labels'):
            sources.append(('labels', entry, False))
        shown: dict[int, str] = {}
        for where, name, val, line, col in _command_secrets(service):
            # the option's name judged as a variable name: --requirepass, --api-key
            key = re.sub(r'[^A-Za-z0-9]+', '_', name.split(' ')[-1]).strip('_')
            shown[len(sources)] = name or 'value'
            sources.append((where, (key, val, line, col), bool(key)))
        for k, (where, (name, raw, line, col), by_name) in enumerate(sources):
            problem = secret_problem(
                name, _literal(raw), extra_names=extra, allowed=allowed, by_name=by_name,
                strict=strict, placeholder_line=line_says_placeholder(lines, line))
            if problem is not None:
                yield (line, col, where, shown.get(k, name), problem), raw, service.name


def main(argv: Sequence[str] | None = None) -> int:
    return run_hook(__name__, argv)


if __name__ == '__main__':
    raise SystemExit(main())
