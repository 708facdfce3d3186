"""`.env` files are never committed.

## What it does
Reports a `.env` file handed to it (pre-commit hands it the staged files; `dockhooks check`
the files git tracks or would track): `.env`, `.env.local`, `.env.production`, `prod.env`,
`config/.env` and the like, at line 1. Templates with placeholder values pass:
`.env.example`, `.env.sample`, `.env.template`, `.env.tmpl`, `.env.dist`, `.env.defaults`
(and `example.env`, `sample.env`, ...). The file is never read, so its values are never
printed.

## Why is this bad?
A `.env` file holds the real database passwords, API keys and signing secrets of an
environment. Once committed, it is in every clone and in the history forever: rotating
every secret in it is the only fix. The guide's rule: use `.env` files, excluded from Git.

## Example
```text
git add .env
```

## Use instead
```text
echo '.env' >> .gitignore
git rm --cached .env
git add .env.example   # the same keys with placeholder values
```

## Options
None.
"""
from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator
from collections.abc import Sequence
from types import SimpleNamespace

from dockhooks._files import ENV_FILES
from dockhooks._findings import Finding
from dockhooks._hook import run_hook

CODE = 'DH302'
ID = 'no-committed-env-files'
SUMMARY = '.env files are not committed (templates such as .env.example are)'
SEVERITY = 'error'
OPTIONS: tuple[str, ...] = ()

_ENV = re.compile(ENV_FILES)
TEMPLATE_WORDS = frozenset(('example', 'examples', 'sample', 'samples', 'template',
                            'templates', 'tmpl', 'tpl', 'dist', 'defaults', 'default',
                            'schema', 'skel'))


def is_env_file(path: str) -> bool:
    return bool(_ENV.search(path.replace('\\', '/')))


def is_template(path: str) -> bool:
    words = re.split(r'[._-]+', posixpath.basename(path.replace('\\', '/')).lower())
    return any(w in TEMPLATE_WORDS for w in words)


def check_paths(paths: Sequence[str], opts: SimpleNamespace) -> Iterator[Finding]:
    for path in paths:
        if not is_env_file(path) or is_template(path):
            continue
        yield Finding(
            path, 1, 1, CODE,
            f'{path} is a .env file: its secrets must not be committed; add it to .gitignore, '
            f'run git rm --cached {path}, and commit a .env.example with placeholders instead',
        )


def main(argv: Sequence[str] | None = None) -> int:
    return run_hook(__name__, argv)


if __name__ == '__main__':
    raise SystemExit(main())
