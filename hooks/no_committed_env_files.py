"""`.env` files committed to the repository hold no real secret.

## What it does
Reads each `.env` file handed to it (pre-commit hands it the staged files; `dockhooks check`
the files git tracks or would track): `.env`, `.env.local`, `.env.production`, `prod.env`,
`config/.env` and the like, with Compose's own env-file grammar. Reports a file that holds a
secret-like key with a real value (`DB_PASSWORD=hunter2`, `STRIPE_KEY=sk_live_...`), at that
key's line, naming every such key and never a value. The judgement is the one of
`dockerfile-no-secrets` and `compose-no-secrets`: placeholders (`changeme`, `<your-token>`,
`your_api_key`, a value whose line says `# change this`), empty values, references
(`${DB_PASSWORD}`, `/run/secrets/db`) and settings pass. An `.env` that holds only settings
(`COMPOSE_PROJECT_NAME`, `COMPOSE_PROFILES`, `TZ`, image tags, ports) is a file Compose needs and
the project ships on purpose, and passes. In files that never ship (test and CI fixtures,
devcontainers, local development stacks: "What ships" in the README) only values in a known
credential format count. Templates pass without being read: `.env.example`, `.env.sample`,
`.env.template`, `.env.tmpl`, `.env.dist`, `.env.defaults` (and `example.env`, `sample.env`,
...); so do files that are not env files, though named like one (`.env.patch`, `.env.md`,
`.env.sh`, an encrypted `.env.gpg`). A file Compose could not read is one DH001 line.

## Why is this bad?
A `.env` file holds the real database passwords, API keys and signing secrets of an
environment. Once committed, they are in every clone and in the history forever: rotating
every secret in it is the only fix. The guide's rule: use `.env` files, excluded from Git.

## Example
```text
# .env, committed
COMPOSE_PROJECT_NAME=shop
DB_PASSWORD=hunter2
```

## Use instead
```text
# .env, committed: settings only, secrets by reference
COMPOSE_PROJECT_NAME=shop
# .env.local, git-ignored (echo '.env.local' >> .gitignore)
DB_PASSWORD=...
```
and `env_file: [.env, {path: .env.local, required: false}]` in the compose file, or compose
`secrets:`. Rotate a secret that was committed.

## Options
- `--extra-secret-names NAMES`: more variable names to treat as secrets.
- `--allowed-names NAMES`: names that are never secrets here.
"""
from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator
from collections.abc import Sequence
from types import SimpleNamespace

from dockhooks._files import ENV_EXCLUDE
from dockhooks._files import ENV_FILES
from dockhooks._findings import Finding
from dockhooks._hook import run_hook

CODE = 'DH302'
ID = 'no-committed-env-files'
SUMMARY = '.env files committed to the repository hold no real secret'
SEVERITY = 'error'
OPTIONS = ('extra-secret-names', 'allowed-names')

_ENV = re.compile(ENV_FILES)
_NOT_ENV = re.compile(ENV_EXCLUDE)
TEMPLATE_WORDS = frozenset(('example', 'examples', 'sample', 'samples', 'template',
                            'templates', 'tmpl', 'tpl', 'dist', 'defaults', 'default',
                            'schema', 'skel'))


def is_env_file(path: str) -> bool:
    p = path.replace('\\', '/')
    return bool(_ENV.search(p)) and not _NOT_ENV.search(p)


def is_template(path: str) -> bool:
    words = re.split(r'[._-]+', posixpath.basename(path.replace('\\', '/')).lower())
    return any(w in TEMPLATE_WORDS for w in words)


def check_paths(paths: Sequence[str], opts: SimpleNamespace) -> Iterator[Finding]:
    from dockhooks import _dotenv
    from dockhooks._roles import ships
    from dockhooks._secrets import line_says_placeholder
    from dockhooks._secrets import secret_problem
    from dockhooks._text import InputError
    from dockhooks._text import read_text

    extra = frozenset(n.upper() for n in opts.extra_secret_names)
    allowed = frozenset(n.upper() for n in opts.allowed_names)
    for path in paths:
        if not is_env_file(path) or is_template(path):
            continue
        try:
            text = read_text(path)
            entries = _dotenv.parse(text)
        except InputError as exc:
            yield Finding(path, exc.line, exc.col, 'DH001', f'cannot be checked: {exc.reason}')
            continue
        lines = text.split('\n')
        # `.env.local`, `.env.*.local`: the private files of the dotenv convention, however
        # their names read; `.env.test`, `.env.development`: committed test or dev defaults
        strict = ships(path) or posixpath.basename(path).endswith('.local')
        found: dict[str, int] = {}
        for entry in entries:
            if secret_problem(entry.key, entry.literal, extra_names=extra, allowed=allowed,
                              strict=strict,
                              placeholder_line=line_says_placeholder(lines, entry.line)):
                found.setdefault(entry.key, entry.line)
        if not found:
            continue
        keys = ', '.join(found)
        first = min(found.values())
        noun = 'a real value' if len(found) == 1 else 'real values'
        yield Finding(
            path, first, 1, CODE,
            f'{path} commits {noun} for {keys}: anyone with the repository has them, in its '
            f'history too; rotate them, move them to a git-ignored file (.env.local, or '
            f'compose secrets:) and keep only settings and ${{...}} references here',
        )


def main(argv: Sequence[str] | None = None) -> int:
    return run_hook(__name__, argv)


if __name__ == '__main__':
    raise SystemExit(main())
