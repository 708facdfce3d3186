"""Which files each kind of rule reads: the regexes the pre-commit manifest uses too."""
from __future__ import annotations

import os
import re
from collections.abc import Iterator

# `Dockerfile`, `Containerfile`, `Dockerfile.prod`, `Dockerfile-dev`, `prod.Dockerfile`,
# `api.dockerfile`; not documentation, templates or per-Dockerfile ignore files.
DOCKERFILE_FILES = (
    r'(^|/)((Dockerfile|Containerfile|dockerfile|containerfile)([.-][^/]*)?'
    r'|[^/]*\.([Dd]ockerfile|[Cc]ontainerfile))$'
)
DOCKERFILE_EXCLUDE = (
    r'\.(dockerignore|md|markdown|rst|txt|adoc|html|json|ya?ml|toml|sh|ps1|py|j2|jinja2?'
    r'|tpl|tmpl|template|erb|mustache|in|orig|bak|swp|lock)$'
)
COMPOSE_FILES = r'(^|/)(docker-)?compose([.-][^/.][^/]*)?\.ya?ml$'
DOCKERIGNORE_FILES = r'(^|/)([^/]*\.)?dockerignore$'
ENV_FILES = r'(^|/)(\.env(\.[^/]*)?|[^/]+\.env)$'
# `.env.patch`, `.env.sh`, `.env.md`: other kinds of file named after an env file; an
# encrypted one (`.env.gpg`, `.env.vault`) holds nothing readable
ENV_EXCLUDE = (
    r'\.env\.(patch|diff|orig|rej|bak|old|swp|tmp|md|markdown|rst|txt|sh|bash|zsh|fish|ps1|'
    r'bat|cmd|py|js|mjs|cjs|ts|json|ya?ml|toml|xml|ini|j2|jinja2?|tpl|tmpl|erb|gpg|asc|enc|'
    r'age|vault|sops|lock|d\.ts)$'
)

PATTERNS: dict[str, tuple[str, str | None]] = {
    'dockerfile': (DOCKERFILE_FILES, DOCKERFILE_EXCLUDE),
    'compose': (COMPOSE_FILES, None),
    'dockerignore': (DOCKERIGNORE_FILES, None),
    'envfile': (ENV_FILES, ENV_EXCLUDE),
}
_COMPILED = {k: (re.compile(f), re.compile(e) if e else None) for k, (f, e) in PATTERNS.items()}

SKIP_DIRS = frozenset(('.git', 'node_modules', '.hg', '.svn', '.venv', '__pycache__', '.tox'))


def kind_of(path: str) -> str | None:
    """The kind of file ``path`` is, by name; None when no rule reads it."""
    p = path.replace(os.sep, '/')
    for kind, (files, exclude) in _COMPILED.items():
        if files.search(p) and not (exclude and exclude.search(p)):
            return kind
    return None


def _git_files(folder: str) -> list[str] | None:
    import subprocess  # only to expand folders: a hook handed files never pays for it

    try:
        out = subprocess.run(
            ('git', 'ls-files', '-z', '--cached', '--others', '--exclude-standard', '--', '.'),
            cwd=folder, capture_output=True, check=False, timeout=60,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    if out.returncode != 0:
        return None
    return [os.path.join(folder, p) if folder != '.' else p
            for p in out.stdout.decode('utf-8', 'surrogateescape').split('\0') if p]


def _walk(folder: str) -> Iterator[str]:
    # followlinks=False: a symlinked folder is not entered, so symlink loops cannot hang us
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS)
        for name in sorted(files):
            path = os.path.join(root, name)
            yield path[2:] if folder == '.' and path.startswith('./') else path


def expand_paths(paths: list[str]) -> list[str]:
    """Files given stay as given; folders become the files git tracks in them (or a walk)."""
    out: list[str] = []
    for path in paths:
        if os.path.isdir(path):
            listed = _git_files(path)
            found = sorted(listed) if listed is not None else list(_walk(path))
            out.extend(p for p in found if kind_of(p) and os.path.isfile(p))
        else:
            out.append(path)
    return list(dict.fromkeys(out))  # `check . sub` lists sub's files once
