"""Every build context has an ignore file that keeps local junk out.

## What it does
Finds the build contexts of the repository: each compose `build:` context with its
`dockerfile:` (relative to the file's project directory, `include: project_directory`
honoured). Any other Dockerfile's context must be known, not guessed:
- the build commands the repository writes down for it: `docker build -f <it> <context>`
  (and `buildx build`, `podman build`, `buildah bud`) in a Makefile, a shell or PowerShell
  script, a CI workflow or a `package.json` script, `docker/build-push-action`'s `context`
  and `file`, a bake target, a skaffold artifact, a Tiltfile's `docker_build`;
- else the command its header comment documents (`# docker build -f docker/Dockerfile .`,
  also in prose: `(or: docker build -f docker/Dockerfile -t app .)`);
- else the one folder, its own or one above it inside the repository, where the files its
  COPY sources name exist (`COPY go.mod oryx/go.mod` in `.docker/Dockerfile`: the
  repository root), or where the paths it uses inside its whole-context copy exist (`COPY .
  /src` then `COPY --from=build /src/cmd/migrate/migrate`);
- else its own folder when that is the repository's root or holds the project's manifest
  (`package.json`, `go.mod`, `*.csproj`, ...).
`COPY . X` alone says nothing about where the context is: a Dockerfile elsewhere whose
context nothing decides is not judged, and neither is one that a command builds from a
context chosen when it runs (`docker build -f x/Dockerfile "$APP_DIR"`). A build that cannot
run as written is not judged: a compose context or Dockerfile that does not exist, named
sources found nowhere (a leftover template copying a lock file the project does not have), a
package of a JavaScript workspace that depends on its siblings. Test fixtures and
devcontainers never ship and are not judged either.

BuildKit sends only what the Dockerfile's COPY/ADD sources and bind mounts name, so an entry
is required only where a source can send it, in the places the files show that junk arises:
- `node_modules` beside each `package.json`, `.venv` beside each Python manifest,
  `__pycache__` beside `.py` files;
- `.env` files where a template is copied to one (`.env.example` -> `.env`), a compose
  `env_file:` names one, a manifest names a library that reads one (`python-dotenv`,
  `next`, `vite`, `godotenv`...), a `.gitignore` lists them, an env file names another
  (`put the key in .env.local`), or git does not track one that is there;
- log files where a `.gitignore` lists them, a `logs/` folder holds no code, the Dockerfile
  makes a logs folder in the copied tree (`RUN mkdir -p /code/app/logs`), a compose volume
  writes one into the tree, or git does not track one that is there;
- `.git` when the whole context is sent and its root holds the repository's `.git`, unless
  the build needs the history (`setuptools-scm`, `hatch-vcs`, `git describe`, ...).
So `COPY . .` of a folder where such junk arises needs an ignore file, while `COPY conf/
/etc/app/` (committed files), `COPY *.sh`, `COPY app-linux-$TARGETARCH` (a variable inside a
name still names one file) or a source that is only a variable of unknown value do not; no
file is asked to be excluded for its name alone (`config/.env` where nothing shows one). A
file that a build reading the ignore file copies by name (`COPY .env .`) is never asked to
be excluded, as that build would fail: the copy bakes it into the image, and that is the
problem to fix. For each context, the ignore file Docker uses is `<Dockerfile
name>.dockerignore` beside the Dockerfile where it exists (as BuildKit does), else
`.dockerignore` at the context root. Reports, one finding per ignore file:
- a context with no ignore file (at line 1 of the first Dockerfile built from it, naming
  the others);
- required entries that the ignore file does not exclude under Docker's own matching rules
  (at line 1 of the ignore file naming them all, each with what shows it arises, and the
  patterns to add);
- a `!` line that re-includes one of them (at that line).
Docker's rules are not git's: `node_modules` alone excludes only the folder at the context
root, so nested ones are still sent; `**/node_modules` excludes them all. The patterns
suggested for `.env` files (`**/.env`, `**/.env.*`) come with `!` lines for the committed
templates and env files a build reads (`!**/.env*.example`, `!web/.env.production`) and the
files a build names; those for logs name the folder they are written to (`storage/logs`)
or exclude what the `.gitignore` line excludes (`logs/` in it: `**/logs`).

`--fix` (safe) creates the ignore file or appends the missing patterns, under a
comment saying so: idempotent, every existing line, comment, line end and BOM kept; it
prints `Fixing PATH` on stderr and exits 1 (`--diff` shows it instead). It is safe because
it excludes only what no build of the context names; `!` lines that re-include junk are
left for you. An ignore file that several contexts (or several pre-commit processes)
reach is completed once, under a lock.

## Why is this bad?
Without an ignore file, `docker build` sends everything to the daemon: the `.git` history,
gigabytes of `node_modules` and virtualenvs, logs, and the `.env` file with production
secrets, which a `COPY . .` then bakes into the image. Builds get slow and images leak.

## Example
```text
# .dockerignore
node_modules
```

## Use instead
```text
# .dockerignore
.git
**/node_modules
**/*.log
**/.env
**/.env.*
```

## Options
- `--extra-ignore-entries PATTERNS`: more patterns every ignore file must exclude
  (comma-separated, e.g. `coverage,**/*.tmp`).
- `--fix`: create or complete the ignore files; `--diff`: show what it would write.
"""
from __future__ import annotations

import os
from collections.abc import Iterator
from collections.abc import Sequence
from types import SimpleNamespace

from dockhooks._context import REQUIRED
from dockhooks._context import Context
from dockhooks._context import Entry
from dockhooks._context import discover
from dockhooks._context import required
from dockhooks._findings import Finding
from dockhooks._hook import run_hook
from dockhooks._records import TYPE_CHECKING
from dockhooks._records import NamedTuple
from dockhooks._text import InputError
from dockhooks._text import read_text

if TYPE_CHECKING:
    from dockhooks._fixes import Raw

CODE = 'DH301'
ID = 'dockerignore-complete'
SUMMARY = 'every build context has a .dockerignore that excludes .git, node_modules, ' \
    '__pycache__, logs and .env files'
SEVERITY = 'error'
OPTIONS = ('extra-ignore-entries',)
FIXES = 'safe'


class Verdict(NamedTuple):
    missing: list[tuple[Entry, int]]  # (entry, index of the probe it does not exclude)
    reincluded: list[tuple[int, str, Entry]]  # (line, rule text, entry) of a `!` line
    root_only: list[tuple[int, str]]  # (line, rule text) of root-only matches of a missing one


def _judge(entries: Sequence[Entry], text: str) -> Verdict:
    from dockhooks._dockerignore import IgnoreFile

    ignore = IgnoreFile.parse(text)
    verdict = Verdict([], [], [])
    for entry in entries:
        for k, probe in enumerate(entry.probes):
            if ignore.is_excluded(probe):
                continue
            rule = ignore.deciding_rule(probe)
            if rule is not None and rule.exclusion:
                verdict.reincluded.append((rule.line, rule.text, entry))
                break
            verdict.missing.append((entry, k))
            # `node_modules` excludes node_modules/ but not web/node_modules/: say so
            parts = probe.split('/')
            shallow = next((ignore.deciding_rule(top) for top in (
                '/'.join(parts[k:]) for k in range(1, len(parts)))
                if ignore.is_excluded(top)), None)
            if shallow is not None and (shallow.line, shallow.text) not in verdict.root_only:
                verdict.root_only.append((shallow.line, shallow.text))
            break
    return verdict


def _patterns(entries: Sequence[Entry], text: str | None = None) -> list[str]:
    """The patterns to add for ``entries``: those the ignore file ``text`` does not hold."""
    have: set[str] = set()
    if text:
        from dockhooks._dockerignore import IgnoreFile

        have = {r.text.strip() for r in IgnoreFile.parse(text).rules}
    return [p for p in dict.fromkeys(p for e in entries for p in e.patterns) if p not in have]


def _label(entry: Entry, k: int = 0) -> str:
    """An entry as a message names it, with what shows that the junk arises (``.env files
    (apps/api/.env, from apps/api/.env.example)``)."""
    if not entry.whys:
        return entry.name
    return f'{entry.name} ({entry.whys[k]})'


def fix_text(text: str | None, missing: Sequence[Entry]) -> str:
    """The ignore file with the missing patterns appended (or a new file)."""
    patterns = _patterns(missing, text)
    if text is None:
        return '# Keep local junk and secrets out of the build context.\n' + \
            ''.join(f'{p}\n' for p in patterns)
    out = text if text.endswith('\n') or not text else text + '\n'
    out += '# added by dockhooks: local junk and secrets stay out of the build context\n'
    return out + ''.join(f'{p}\n' for p in patterns)


def _fixed(raw: Raw | None, entries: Sequence[Entry]) -> Raw | None:
    """The ignore file ``raw`` (None: there is none) completed with what it misses of
    ``entries``; None when it misses nothing. Judged again on the text given (the file as it
    is under the fixer's lock), the lines it has kept as they are, CRLF ends followed."""
    from dockhooks._fixes import Raw

    if raw is None:
        return Raw(fix_text(None, entries).split('\n')[:-1], False, True)
    text = raw.text().replace('\r\n', '\n')
    try:
        missing = _judge(entries, text).missing
    except InputError:
        return None  # a file Docker refuses is reported as it is, not appended to
    if not missing:
        return None
    kept = raw.lines if text else []  # an empty file has no line to keep
    added = fix_text(text, [e for e, _ in missing]).split('\n')[len(kept):-1]
    eol = '\r' if kept and kept[0].endswith('\r') else ''
    return Raw(kept + [line + eol for line in added], raw.bom, True)


def _missing_message(ctx: Context, ignore_path: str, verdict: Verdict, text: str) -> str:
    names = ', '.join(_label(e, k) for e, k in verdict.missing)
    out = f'does not exclude {names}'
    if os.path.normpath(os.path.dirname(ignore_path) or '.') != os.path.normpath(ctx.root):
        out += f' from build context {ctx.root}'
    out += f'; add {", ".join(_patterns([e for e, _ in verdict.missing], text))}'
    if verdict.root_only:
        rules = ' and '.join(f'{t.strip()!r} on line {n}' for n, t in verdict.root_only)
        verb = 'matches' if len(verdict.root_only) == 1 else 'match'
        out += f' ({rules} {verb} only at the context root)'
    return out


def _no_file_message(contexts: Sequence[Context], entries: Sequence[Entry]) -> str:
    names = ', '.join(_label(e) for e in entries)
    out = (f'build context {contexts[0].root} has no .dockerignore to keep {names} out of '
           f'COPY; create one excluding {", ".join(_patterns(entries))}')
    others = list(dict.fromkeys(c.origin[0] for c in contexts[1:]
                                if c.origin[0] != contexts[0].origin[0]))
    if others:
        verb = 'is' if len(others) == 1 else 'are'
        out += f' ({", ".join(others)} {verb} built from it too)'
    return out


def _merge(entries: list[Entry], entry: Entry) -> None:
    """Add ``entry`` to ``entries``: one entry per name, probes and patterns merged."""
    same = next((k for k, e in enumerate(entries) if e.name == entry.name), None)
    if same is None:
        entries.append(entry)
        return
    e = entries[same]
    reasons = dict(zip(e.probes, e.whys)) if e.whys else {}
    for probe, why in zip(entry.probes, entry.whys):
        reasons.setdefault(probe, why)
    probes = tuple(dict.fromkeys(e.probes + entry.probes))
    entries[same] = e._replace(
        probes=probes, patterns=tuple(dict.fromkeys(e.patterns + entry.patterns)),
        whys=tuple(reasons[p] for p in probes) if reasons else ())


def check_paths(paths: Sequence[str], opts: SimpleNamespace) -> Iterator[Finding]:
    """Findings for the contexts of ``paths``; with no paths (pre-commit runs this hook
    with pass_filenames: false), the contexts of the whole repository in the cwd.

    Contexts are grouped by the ignore file Docker reads for them: one finding per ignore
    file. Only entries a source of a build can send are required, and never a file that a
    build reading the same ignore file names (``COPY .env .``)."""
    from dockhooks._context import compose_shows
    from dockhooks._context import sources

    if not paths:
        from dockhooks._files import expand_paths

        paths = expand_paths(['.'])
    groups: dict[str, list[Context]] = {}
    for ctx in discover(paths):
        groups.setdefault(os.path.normpath(ctx.ignore_path), []).append(ctx)
    if not groups:
        return
    shown = compose_shows(paths)
    listing: dict[str, list[str]] = {}
    names = [e.name for e in REQUIRED]
    for ignore_path, group in groups.items():
        keep = [s for c in group if c.dockerfile is not None
                for s in sources(c.dockerfile) or () if s.pattern]
        contexts: list[Context] = []
        entries: list[Entry] = []
        for ctx in group:
            needed = required(ctx, opts.extra_ignore_entries, listing, shown, keep)
            if not needed:
                continue  # no source of the build can send any junk
            contexts.append(ctx)
            for entry in needed:
                _merge(entries, entry)
        if not contexts:
            continue
        entries.sort(key=lambda e: names.index(e.name) if e.name in names else len(names))
        yield from _judge_file(ignore_path, contexts, entries, opts)


def _judge_file(ignore_path: str, contexts: Sequence[Context], entries: Sequence[Entry],
                opts: SimpleNamespace) -> Iterator[Finding]:
    ctx = contexts[0]
    fixing = getattr(opts, 'fix', False) or getattr(opts, 'diff', False)
    if fixing and (os.path.isfile(ignore_path) or os.path.isdir(ctx.root)):
        from dockhooks._fixes import fix_whole

        if fix_whole(ignore_path, lambda raw: _fixed(raw, entries),
                     getattr(opts, 'diff', False)):
            return  # written (or shown): what is left is judged on the next run
    if not os.path.isfile(ignore_path):
        path, line, col = ctx.origin
        yield Finding(path, line, col, CODE, _no_file_message(contexts, entries))
        return
    try:
        text = read_text(ignore_path)
        verdict = _judge(entries, text)
    except InputError as exc:
        yield Finding(ignore_path, exc.line, exc.col, 'DH001',
                      f'cannot be checked: {exc.reason}')
        return
    for line, rule_text, entry in verdict.reincluded:
        yield Finding(
            ignore_path, line, 1, CODE,
            f'{rule_text.strip()!r} re-includes {entry.name} into the build context; '
            f'remove or narrow this line',
        )
    if not verdict.missing:
        return
    yield Finding(ignore_path, 1, 1, CODE, _missing_message(ctx, ignore_path, verdict, text))


def main(argv: Sequence[str] | None = None) -> int:
    return run_hook(__name__, argv)


if __name__ == '__main__':
    raise SystemExit(main())
