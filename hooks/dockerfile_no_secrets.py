"""No secret is baked into the image through ENV, ARG or LABEL.

## What it does
Reports an `ENV` whose name is secret-like (`SECRET_KEY`, `DB_PASSWORD`, `API_TOKEN`,
`apiKey`, ...) and that sets a literal value; an `ARG` with a secret-like name, with or
without a default; and any `ENV`, `ARG` or `LABEL` value in a known credential format
whatever its name (AWS access key ids, GitHub, GitLab, Slack, Stripe, npm and Google tokens,
private-key blocks, `scheme://user:password@host`). Names are judged by their words, not by
substrings: `PASSWORD_HASHERS`, `TOKENIZERS_PARALLELISM` and `GPG_KEY` are not secrets.
Names that point at a secret instead of holding it (`..._FILE`, `..._PATH`, `..._DIR`, ...)
and values that are only settings about one (a number, boolean or duration such as
`TOKEN_TTL=3600`) pass, and so does an `ENV` that only passes a variable on (`ENV A=$B`: the
`ARG B` is what gets reported). Placeholders pass, judged as `compose-no-secrets` and
`no-committed-env-files` judge them: `changeme`, `changeit`, `<your-token>`, a keyboard run
(`123456`), a value restating its name (`PASSWORD=password`), a value whose line or the
comment above says to change it, a private-key header without a key. The message never
shows the value.

## Why is this bad?
`ENV` values are stored in the image configuration and `ARG` values in the image history:
anyone who can pull the image reads them with `docker inspect` or `docker history`, and they
stay in every registry and cache the image reaches, long after the key is rotated.

## Example
```dockerfile
ENV SECRET_KEY=9f8e7d6c5b4a
ARG NPM_TOKEN
RUN echo "//registry.npmjs.org/:_authToken=${NPM_TOKEN}" > .npmrc && npm ci
```

## Use instead
```dockerfile
# the key is given at run time: docker run -e SECRET_KEY / compose `secrets:`
RUN --mount=type=secret,id=npm_token \
    NPM_TOKEN=$(cat /run/secrets/npm_token) npm ci
```

## Options
- `--extra-secret-names NAMES`: more variable names to treat as secrets.
- `--allowed-names NAMES`: names that are never secrets here (e.g. a public
  `STRIPE_PUBLISHABLE_KEY`).
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from collections.abc import Sequence
from types import SimpleNamespace

from dockhooks._dockerfile import Dockerfile
from dockhooks._dockerfile import Instruction
from dockhooks._dockerfile import key_values
from dockhooks._dockerfile import unquote
from dockhooks._findings import Problem
from dockhooks._hook import run_hook
from dockhooks._roles import dockerfile_ships
from dockhooks._roles import shipped_stages
from dockhooks._secrets import credential_kind
from dockhooks._secrets import is_secret_name
from dockhooks._secrets import line_says_placeholder
from dockhooks._secrets import secret_problem

CODE = 'DH103'
ID = 'dockerfile-no-secrets'
SUMMARY = 'no secret is baked into the image through ENV, ARG or LABEL'
SEVERITY = 'error'
OPTIONS = ('extra-secret-names', 'allowed-names')
_LITERAL_DEFAULT = re.compile(r'\$\{[A-Za-z0-9_]+:?-[^}$]')  # `${B:-changeme}` writes a value


def _only_variables(raw: str) -> bool:
    """`$B`, `${B}`, `"${B:-}"`: the value is passed on, not written here."""
    s = unquote(raw).strip()
    if not s.startswith('$') or _LITERAL_DEFAULT.search(s):
        return False
    s = s.replace('${', '').replace('}', '').replace('$', '')
    return all(c.isalnum() or c in '_:-' for c in s)


def _instructions(df: Dockerfile) -> Iterator[Instruction]:
    for ins in df.instructions:
        yield ins
        if ins.trigger is not None:
            yield ins.trigger


def _copied_to_env(df: Dockerfile, arg: Instruction, name: str) -> Instruction | None:
    """The ENV of the same stage, after the ARG, that copies its value (``ENV KEY=$KEY``)."""
    ref = re.compile(r'\$\{?' + re.escape(name) + r'\b')
    for ins in df.instructions:
        if ins.keyword == 'ENV' and ins.stage == arg.stage and ins.line > arg.line \
                and ref.search(ins.args):
            return ins
    return None


def check(df: Dockerfile, opts: SimpleNamespace) -> Iterator[Problem]:
    extra = frozenset(n.upper() for n in opts.extra_secret_names)
    allowed = frozenset(n.upper() for n in opts.allowed_names)
    strict = dockerfile_ships(df)
    shipped = shipped_stages(df)
    for ins in _instructions(df):
        if ins.keyword not in ('ENV', 'ARG', 'LABEL'):
            continue
        placeholder_line = line_says_placeholder(df.lines, ins.line)
        for name, raw in key_values(ins.args, legacy=ins.keyword != 'ARG'):
            literal = None if raw is None else _literal(raw)
            kind = credential_kind(raw) if raw else None
            if kind is not None and name.upper() not in allowed and secret_problem(
                    name, raw, allowed=allowed, by_name=False) is not None:
                yield Problem(
                    ins.line, ins.col,
                    f'{ins.keyword} {name} holds {kind}: it is stored in the image for anyone '
                    f'who pulls it; revoke it, and pass it at run time or with '
                    f'RUN --mount=type=secret',
                )
                continue
            if ins.keyword == 'LABEL' or not strict or not is_secret_name(name, extra, allowed):
                continue
            if ins.keyword == 'ARG':
                if literal is not None and secret_problem(
                        name, literal, extra_names=extra, allowed=allowed,
                        placeholder_line=placeholder_line) is None and literal.strip():
                    continue  # a placeholder default (FAKE_TOKEN, changeme, /path/to/key)
                env = _copied_to_env(df, ins, name)
                if env is not None and ins.stage in shipped:
                    yield Problem(
                        ins.line, ins.col,
                        f'ARG {name} looks like a secret and ENV on line {env.line} copies it '
                        f'into the image config, for anyone who pulls it; give it at run time '
                        f'instead (docker run -e {name}, compose environment or secrets:)',
                    )
                    continue
                where = 'the image history' if ins.stage in shipped or ins.stage < 0 \
                    else 'the build cache and provenance'
                yield Problem(
                    ins.line, ins.col,
                    f'ARG {name} looks like a secret: build-arg values stay in {where}; use '
                    f'RUN --mount=type=secret,id={name.lower()} and read '
                    f'/run/secrets/{name.lower()} in that RUN',
                )
                continue
            if raw is None or _only_variables(raw) or secret_problem(
                    name, literal, extra_names=extra, allowed=allowed,
                    placeholder_line=placeholder_line) is None:
                continue
            yield Problem(
                ins.line, ins.col,
                f'ENV {name} bakes a secret into the image config; remove it and give it '
                f'at run time (docker run -e {name}, compose environment from .env or '
                f'secrets:), or use RUN --mount=type=secret for build steps',
            )


def _literal(raw: str) -> str:
    """What the Dockerfile itself writes: quotes removed, variables that are passed on
    removed, defaults kept (``${B:-changeme}`` -> ``changeme``)."""
    from dockhooks._vars import expand

    value = unquote(raw)
    return expand(value, lambda _name: None, literal_only=True) or ''


def main(argv: Sequence[str] | None = None) -> int:
    return run_hook(__name__, argv)


if __name__ == '__main__':
    raise SystemExit(main())
