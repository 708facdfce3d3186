"""`.env` files committed to the repository hold no real secret.

## What it does
Reads each `.env` file handed to it (pre-commit hands it the staged files; `dockhooks check`
the files git tracks or would track): `.env`, `.env.local`, `.env.production`, `prod.env`,
`config/.env` and the like, with Compose's own env-file grammar. Reports a file that holds a
secret-like key with a real value (`DB_PASSWORD=hunter2`, `STRIPE_KEY=sk_live_...`), at that
key's line, naming every such key and never a value. The judgement is the one of
`dockerfile-no-secrets` and `compose-no-secrets`: placeholders (`changeme`, `<your-token>`,
`your_api_key`, a value whose line says `# change this`, a private-key header without a
key's body), empty values, references (`${DB_PASSWORD}`, `/run/secrets/db`) and settings
pass. The advice follows how the file is read: the `.env` beside a compose file is what
Compose reads to fill in `${...}` (a `.env.local` would not be read for that: git-ignore
`.env` and commit a `.env.example`, or use compose `secrets:`); the `env_file:` of a stack
that a platform installs (its compose file reads variables such as `${APP_DATA_DIR}` that no
env file sets) and a template whose keys fill the compose file beside it, or that a
Dockerfile beside it copies into the image, reach every install with the same values (leave
them empty, and have each install get its own); `.env.local` is to leave git; any other file
keeps settings and references, its secrets moved to a git-ignored file. An `.env` that holds
only settings
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
# .env.example, committed: each user copies it to a git-ignored .env (echo .env >> .gitignore)
COMPOSE_PROJECT_NAME=shop
DB_PASSWORD=
```
with `DB_PASSWORD: ${DB_PASSWORD:?set DB_PASSWORD in .env}` in the compose file, or compose
`secrets:`. An env file that only an `env_file:` reads can keep its settings committed, its
secrets in a git-ignored `.env.local` (`env_file: [app.env, {path: .env.local, required:
false}]`). Rotate a secret that was committed.

## Options
- `--extra-secret-names NAMES`: more variable names to treat as secrets.
- `--allowed-names NAMES`: names that are never secrets here.
"""
from __future__ import annotations

import os
import posixpath
import re
from collections.abc import Iterator
from collections.abc import Sequence
from types import SimpleNamespace

from dockhooks._files import ENV_EXCLUDE
from dockhooks._files import ENV_FILES
from dockhooks._findings import Finding
from dockhooks._hook import run_hook
from dockhooks._records import TYPE_CHECKING

if TYPE_CHECKING:
    from dockhooks._compose import ComposeFile
    from dockhooks._compose import Service

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
        one = len(found) == 1
        noun = 'a real value' if one else 'real values'
        yield Finding(
            path, first, 1, CODE,
            f'commits {noun} for {keys}: anyone with the repository has '
            f'{"it" if one else "them"}, in its history too; {_advice(path, list(found))}',
        )


def _advice(path: str, keys: list[str]) -> str:
    """What to do, by how the file is read: the ``.env`` Compose reads to fill in its compose
    files, a file installed with a stack or an image (a template every install copies), or
    a file of one environment's own values."""
    from dockhooks._compose import is_compose_filename
    from dockhooks._roles import folder_entries

    folder = os.path.dirname(path) or '.'
    name = posixpath.basename(path.replace('\\', '/'))
    it = 'it' if len(keys) == 1 else 'them'
    entries = folder_entries(folder)
    stacks = [_load(os.path.join(folder, e)) for e in entries if is_compose_filename(e)]
    for cf in stacks:
        if cf is None:
            continue
        readers = [s.name for s in cf.services if name in _env_file_names(s)]
        given = _runner_variables(cf) if readers else []
        if given:
            shown = ' and '.join(f'${{{g}}}' for g in given[:2])
            return (f'it is installed with the stack as the env_file of '
                    f'{_services(readers)} ({posixpath.basename(cf.path)}), so every install '
                    f'shares {it}: give each install its own the way the compose file takes '
                    f'{shown} from whatever runs the stack, and remove {it} here')
    filled = [(cf, [k for k in keys if re.search(r'\$\{?' + re.escape(k) + r'\b', cf.text)])
              for cf in stacks if cf is not None]
    filled = [(cf, ks) for cf, ks in filled if ks]
    if name == '.env' and any(cf is not None for cf in stacks):
        where = f' to fill ${{{filled[0][1][0]}}} in {posixpath.basename(filled[0][0].path)}' \
            if filled else ''
        return (f'Compose reads this file{where}, and would not read a .env.local for that: '
                f'rotate {it}, git-ignore .env and commit a .env.example for each user to copy '
                f'(the settings as they are, the secrets empty), or give {it} through compose '
                f'secrets:')
    if filled:
        cf, ks = filled[0]
        return (f'its keys fill ${{{ks[0]}}} in {posixpath.basename(cf.path)}, so it is the '
                f'template each install copies, and every install that keeps {it} shares '
                f'{it}: leave {it} empty here and have the install generate {it} (openssl rand '
                f'-hex 32)')
    if name.endswith('.local'):
        return (f'rotate {it} and take the file out of git (git rm --cached {name}, and add it '
                f'to .gitignore): it is the private file of its convention, never committed')
    copied = _copied_by_dockerfile(folder, entries, name)
    if copied:
        return (f'{copied} copies it into the image, so every container of the image shares '
                f'{it}: leave {it} empty here and have the container generate {it} when it '
                f'first starts, or take {it} at run time (docker run -e, compose environment)')
    return (f'rotate {it}, move {it} to a git-ignored file (.env.local, or compose secrets:) '
            f'and keep only settings and ${{...}} references here')


def _load(path: str) -> ComposeFile | None:
    from dockhooks._compose import load
    from dockhooks._text import InputError

    try:
        return load(path)
    except (InputError, OSError):
        return None


def _env_file_names(service: Service) -> set[str]:
    """The file names a service reads with ``env_file`` (``${APP_DATA_DIR}/settings.env`` ->
    ``settings.env``)."""
    value = service.get('env_file')
    items = value if isinstance(value, list) else [value] if value else []
    out = set()
    for item in items:
        text = item.get('path') if isinstance(item, dict) else item
        if text:
            out.add(posixpath.basename(str(text).replace('\\', '/')))
    return out


def _runner_variables(cf: ComposeFile) -> list[str]:
    from dockhooks.compose_no_secrets import runner_variables

    return runner_variables(cf)


def _services(names: list[str]) -> str:
    return f'service {names[0]}' if len(names) == 1 else f"services {', '.join(names)}"


_COPY = re.compile(r'^\s*(COPY|ADD)\s+(.*)$', re.I | re.M)


def _copied_by_dockerfile(folder: str, entries: list[str], name: str) -> str | None:
    """``Dockerfile (line 12)`` when a Dockerfile of ``folder`` copies the file ``name``."""
    from dockhooks._text import InputError
    from dockhooks._text import read_text

    for entry in entries:
        if not (entry == 'Dockerfile' or entry.endswith('.Dockerfile')
                or entry.startswith('Dockerfile.')):
            continue
        try:
            text = read_text(os.path.join(folder, entry))
        except (InputError, OSError):
            continue
        for m in _COPY.finditer(text):
            words = m.group(2).split()
            if any(posixpath.basename(w.strip('"[],')) == name for w in words[:-1]):
                return f'{entry} (line {text.count(chr(10), 0, m.start()) + 1})'
    return None


def main(argv: Sequence[str] | None = None) -> int:
    return run_hook(__name__, argv)


if __name__ == '__main__':
    raise SystemExit(main())
