"""No literal secret is written into a compose file.

## What it does
Reports, in each service's `environment` (mapping or list form), `build.args` and `labels`:
a secret-like name (`DB_PASSWORD`, `SECRET_KEY`, `apiKey`, ...) with a literal value, and
any value in a known credential format whatever its name (AWS access key ids, GitHub,
GitLab, Slack, Stripe, npm and Google tokens, private-key blocks, passwords in URLs such as
`postgres://app:hunter2@db/app`). The judgement is the same code as `dockerfile-no-secrets`.
Interpolated values (`DB_PASSWORD: ${DB_PASSWORD}`, read from a git-ignored `.env`) pass; a
default written into the file (`${DB_PASSWORD:-hunter2}`) is a literal and is reported.
`..._FILE` names and values pointing into `/run/secrets` pass, and so do settings such as
`TOKEN_TTL: 3600`, hashes (`ADMIN_PASSWORD_HASH`) and placeholders: masked or filler values
(`******`, `xxxxxxxx`, `xoxb-xxxxxxxxxx`) and templates (`<your-token>`,
`your-api-key-here`). A weak working default (`changeme`, `postgres`) is a literal and is
reported. A `..._KEY` name with a random-looking value (`FERNET_KEY: 46BKJoQY...=`) is
reported too, unless the name says the key is public (`..._PUBLIC_KEY`, `..._SITE_KEY`).
An entry written once in an anchor (`environment: *common`) and shared by several services
is one finding at the anchor's line, naming the services. The message never shows the
value.

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

from collections.abc import Iterator
from collections.abc import Sequence
from types import SimpleNamespace

from dockhooks._compose import ComposeFile
from dockhooks._compose import Service
from dockhooks._compose import value_str
from dockhooks._findings import Problem
from dockhooks._hook import run_hook
from dockhooks._secrets import secret_problem
from dockhooks._vars import expand

CODE = 'DH206'
ID = 'compose-no-secrets'
SUMMARY = 'no literal secret in compose environment, build args or labels'
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


def check(cf: ComposeFile, opts: SimpleNamespace) -> Iterator[Problem]:
    # one finding per place a secret is written: an anchor may serve several services
    places: dict[tuple[int, int, str, str, str], list[str]] = {}
    for place, service in _findings(cf, opts):
        places.setdefault(place, []).append(service)
    for (line, col, where, name, problem), names in places.items():
        who = f'service {names[0]}' if len(names) == 1 else f"services {', '.join(names)}"
        if where == 'build.args':
            fix = ('a build arg also stays in the image history: pass it as a build secret '
                   '(build: secrets:, RUN --mount=type=secret in the Dockerfile)')
        elif where == 'labels':
            fix = 'anyone who can inspect the container reads labels: revoke it and remove it'
        else:
            fix = (f'use {name}: ${{{name}}} with the value in a git-ignored .env, or compose '
                   f'secrets: mounted at /run/secrets')
        yield Problem(line, col, f'{who}: {where} {name} {problem}, committed with the file; {fix}')


def _findings(
        cf: ComposeFile, opts: SimpleNamespace,
) -> Iterator[tuple[tuple[int, int, str, str, str], str]]:
    extra = frozenset(n.upper() for n in opts.extra_secret_names)
    allowed = frozenset(n.upper() for n in opts.allowed_names)
    for service in cf.services:
        sources: list[tuple[str, tuple[str, str | None, int, int], bool]] = []
        for env in service.environment():
            sources.append(('environment', (env.name, env.value, env.line, env.col), True))
        for entry in _mapping_entries(service, 'build', 'args'):
            sources.append(('build.args', entry, True))
        for entry in _mapping_entries(service, 'labels'):
            sources.append(('labels', entry, False))
        for where, (name, raw, line, col), by_name in sources:
            problem = secret_problem(name, _literal(raw), extra_names=extra, allowed=allowed,
                                     by_name=by_name)
            if problem is not None:
                yield (line, col, where, name, problem), service.name


def main(argv: Sequence[str] | None = None) -> int:
    return run_hook(__name__, argv)


if __name__ == '__main__':
    raise SystemExit(main())
