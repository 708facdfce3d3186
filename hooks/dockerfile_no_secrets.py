"""No secret is baked into the image through ENV, ARG or LABEL, or a secret file copied in.

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

It also reports a `COPY` or `ADD` (JSON form, `--from`, `ONBUILD` included) that puts a
secret file into the image:
- by its name: an env file of the dotenv convention (`.env`, `.env.production`; templates
  such as `.env.example`, `.sample`, `.template`, `.dist`, `.defaults` are named as
  `no-committed-env-files` names them, and pass), a private key (`id_rsa`, `id_ed25519`,
  `deploy_rsa`; `key.pem`, `server-key.pem`, `privkey.pem`; `server.key`, `tls.key`; not
  `ca.pem`, `cert.pem`, `id_rsa.pub` or an apt key such as `repo.gpg.key`), a credential file
  (`.git-credentials`, `.aws/credentials`, a kubeconfig, `.pgpass`, a Google
  `credentials.json` or `service-account*.json`);
- by what it holds, read where the build context has it (never printed): `.npmrc`,
  `.yarnrc.yml`, `.pypirc`, `.netrc`, `pip.conf`, Maven's `settings.xml`,
  `.docker/config.json` and other env files (`app.env`) with a token or password in them.
  A registry-only `.npmrc` holds none. A token written as `${NPM_TOKEN}` is read from the
  build's environment (npm, Yarn and Maven expand it when they read the file): the file
  holds no secret; an `ARG` that hands the variable to the build is reported (at the ARG when
  its name is secret-like, else at the COPY). A file of this kind that the tree does not hold
  is reported only where git ignores it (each machine has its own, which may hold a token);
  otherwise what it holds cannot be known and it passes.

What the tree holds decides over the name: an env file that sets only settings, a key file
that holds no private key pass. The build context is the one a compose file gives the
Dockerfile, else the one the repository's build commands or the sources show; a file that
the ignore file Docker reads for it (`<Dockerfile>.dockerignore` beside the Dockerfile, else
the context's `.dockerignore`) excludes is never sent and passes. A wildcard source
(`COPY .env* ./`) is reported for the secret files it matches in a known context, after the
ignore file; `COPY . .` is `dockerignore-complete`'s to judge. A source the build decides
(an `ARG` with no default) passes. Only what ships is judged: a file copied in the stage that
runs or a stage it builds on; a builder stage's file stays in the build cache and passes
unless a `COPY --from` of the image copies its folder on (then it is reported where it
was copied in). `ONBUILD COPY` copies into every image built from this one. A key that the
comments heading its block say is published on purpose (`# default self-signed
certificate`, `insecure`, `example`) passes, and so do keys named so (`insecure_id_rsa`) and
`.htpasswd` (the hashes a web server checks passwords against).

## Why is this bad?
`ENV` values are stored in the image configuration and `ARG` values in the image history:
anyone who can pull the image reads them with `docker inspect` or `docker history`, and they
stay in every registry and cache the image reaches, long after the key is rotated.

A file copied in is in a layer of the image: `docker save` or any registry pull gives it to
whoever has the image, and a later `RUN rm` only hides it in the next layer.

## Example
```dockerfile
ENV SECRET_KEY=9f8e7d6c5b4a
ARG NPM_TOKEN
RUN echo "//registry.npmjs.org/:_authToken=${NPM_TOKEN}" > .npmrc && npm ci
COPY .env /app/.env
COPY id_rsa /root/.ssh/id_rsa
```

## Use instead
```dockerfile
# the key is given at run time: docker run -e SECRET_KEY / compose `secrets:`
RUN --mount=type=secret,id=npm_token \
    NPM_TOKEN=$(cat /run/secrets/npm_token) npm ci
# or the whole .npmrc, for that step only: docker build --secret id=npmrc,src=.npmrc
RUN --mount=type=secret,id=npmrc,target=/root/.npmrc npm ci
# a private repository cloned with the SSH agent: docker build --ssh default
RUN --mount=type=ssh git clone git@github.com:example/private.git
```
with the `.env` given at run time (compose `env_file: .env`, `docker run --env-file .env`).

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
SUMMARY = 'no secret is baked into the image through ENV, ARG, LABEL or a copied file'
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
    if strict:
        yield from _copy_problems(df, opts)


# --------------------------------------------------------------------------- secret files

_STEPS = {'npm': 'npm ci', 'yarn': 'yarn install --immutable', 'twine': 'twine upload dist/*',
          'pip': 'pip install -r requirements.txt', 'mvn': 'mvn package'}
_TOOLS = {'npm': ('npm', 'npx', 'pnpm', 'yarn', 'bun'), 'yarn': ('yarn',), 'twine': ('twine',),
          'pip': ('pip', 'pip3', 'python', 'python3', 'uv'), 'mvn': ('mvn', './mvnw', 'mvnw')}


class _Tree:
    """The build context on disk, found once when a COPY names a file that may be secret:
    the context folders (a compose ``build:``, else what ``_context`` knows), or, when they
    cannot be known, the Dockerfile's folder and those above it, any of which may be it."""

    def __init__(self, dockerfile: str) -> None:
        self.dockerfile = dockerfile
        self._roots: list[str] | None = None
        self.known = False
        self._ignores: dict[str, object] = {}

    def roots(self) -> list[str]:
        if self._roots is None:
            from dockhooks._context import dockerfile_contexts
            from dockhooks._roles import folders_up

            self._roots = dockerfile_contexts(self.dockerfile)
            self.known = bool(self._roots)
            if not self._roots:
                self._roots = [folder for folder, _ in folders_up(self.dockerfile)]
        return self._roots

    def excluded(self, root: str, rel: str) -> bool:
        """Whether the ignore file Docker reads for ``root`` keeps ``rel`` out of the
        context (an ignore file Docker would refuse: cannot know, taken as excluded)."""
        import os

        from dockhooks._dockerignore import IgnoreFile
        from dockhooks._dockerignore import ignore_file_for
        from dockhooks._text import InputError
        from dockhooks._text import read_text

        path = ignore_file_for(self.dockerfile, root)
        if path not in self._ignores:
            try:
                self._ignores[path] = IgnoreFile.parse(read_text(path)) \
                    if os.path.isfile(path) else IgnoreFile.parse('')
            except InputError:
                self._ignores[path] = None
        ignore = self._ignores[path]
        return ignore is None or ignore.is_excluded(rel)  # type: ignore[attr-defined]

    def sent(self, rel: str) -> list[str]:
        """The roots whose build sends ``rel``: with a known context, those whose ignore file
        lets it through; with an unknown one, all candidates unless any excludes it."""
        roots = self.roots()
        if self.known:
            return [r for r in roots if not self.excluded(r, rel)]
        return [] if any(self.excluded(r, rel) for r in roots) else roots

    def matches(self, pattern: str) -> list[str]:
        """The files a wildcard source matches in a known context and sends, as Go's
        filepath.Match does (a leading ``*`` matches dotfiles too)."""
        import glob
        import os

        if not self.roots() or not self.known:
            return []
        out = []
        for root in self.roots():
            for hit in sorted(glob.glob(os.path.join(glob.escape(root), pattern),
                                        include_hidden=True)):
                rel = os.path.relpath(hit, root).replace(os.sep, '/')
                if os.path.isfile(hit) and not self.excluded(root, rel):
                    out.append(rel)
        return list(dict.fromkeys(out))


def _git_ignored(path: str) -> bool:
    """Whether git ignores ``path`` (False outside a repository)."""
    import os
    import subprocess

    try:
        run = subprocess.run(('git', 'check-ignore', '-q', '--', os.path.abspath(path)),
                             cwd=os.path.dirname(os.path.abspath(path)) or '.',
                             capture_output=True, check=False, timeout=20)
    except (OSError, subprocess.SubprocessError):
        return False
    return run.returncode == 0


def _stage_of(df: Dockerfile, ref: str) -> int | None:
    ref = ref.lower()
    for st in df.stages:
        if st.alias == ref:
            return st.index
    return int(ref) if ref.isdigit() and int(ref) < len(df.stages) else None


def _workdirs(df: Dockerfile, ins: Instruction) -> list[str | None]:
    """The working folders in force at ``ins`` in order (None: not known), from the stages
    its stage builds on."""
    import posixpath

    out: list[str | None] = []
    wd: str | None = None
    for st in reversed(df.chain(df.stages[ins.stage])):
        for w in st.instructions:
            if w.keyword != 'WORKDIR' or (st.index == ins.stage and w.line >= ins.line):
                continue
            value = w.resolve(unquote(w.args.strip()))
            if value is None:
                wd = None
            elif value.startswith('/'):
                wd = posixpath.normpath(value)
            elif wd is not None:
                wd = posixpath.normpath(posixpath.join(wd, value))
            out.append(wd)
    return out


def _destination(df: Dockerfile, ins: Instruction, source: str, dest: str,
                 many: bool) -> str:
    """Where the COPY puts ``source``: its own path when ``dest`` is a folder (a trailing
    ``/``, ``.``, several sources, a WORKDIR of the stage), else ``dest``."""
    import posixpath

    name = posixpath.basename(source.rstrip('/'))
    workdirs = _workdirs(df, ins) if ins.stage >= 0 else []
    here = workdirs[-1] if workdirs else None
    absolute = dest if dest.startswith('/') else (
        posixpath.join(here, dest) if here else None)
    folder = dest.endswith('/') or dest in ('.', './') or many or (
        absolute is not None and posixpath.normpath(absolute) in
        {w for w in workdirs if w is not None})
    path = posixpath.normpath(posixpath.join(dest, name)) if folder else dest
    return posixpath.normpath(posixpath.join(here, path)) if here else path


def _reached(df: Dockerfile, ins: Instruction, target: str, shipped: set[int]) -> \
        Instruction | None:
    """The COPY --from of a shipped stage that copies ``target`` (the file a builder stage
    copied, absolute) on into the image: its folder or a folder above."""
    import posixpath

    if not target.startswith('/'):
        workdirs = _workdirs(df, ins)
        if not workdirs or workdirs[-1] is None:
            return None
        target = posixpath.join(workdirs[-1], target)
    target = posixpath.normpath(target)
    for st in df.stages:
        if st.index not in shipped:
            continue
        for other in st.instructions:
            ref = other.flag('from') if other.keyword in ('COPY', 'ADD') else None
            index = _stage_of(df, ref) if ref else None
            if index is None or ins.stage not in {s.index for s in df.chain(df.stages[index])}:
                continue
            from dockhooks._context import _copy_words

            for word in _copy_words(other)[:-1]:
                value = other.resolve(word)
                if value is None or any(c in value for c in '*?['):
                    continue
                src = posixpath.normpath(posixpath.join('/', value))
                if src == '/' or target.startswith(src.rstrip('/') + '/'):
                    return other
    return None


def _step(df: Dockerfile, ins: Instruction, tool: str | None) -> str | None:
    """The command of a later RUN of the stage that runs ``tool`` (``pnpm install``), short
    enough for a message, else the tool's usual one."""
    for other in df.instructions:
        if other.keyword != 'RUN' or other.stage != ins.stage or other.line <= ins.line:
            continue
        for command in other.commands():
            if command.argv and tool and command.argv[0] in _TOOLS.get(tool, ()) \
                    and len(command.text) <= 60 and '\n' not in command.text:
                return command.text
    return _STEPS.get(tool or '')


# A comment that says a key is published with the repository on purpose: a default
# self-signed certificate's key, a test or example key.
_PUBLISHED_KEY = re.compile(
    r'\b(self[- ]?signed|snakeoil|insecure|dummy|example|sample|demo|for test(s|ing)?)\b', re.I)


def _published_key(df: Dockerfile, ins: Instruction) -> bool:
    """Whether the comments heading the block of lines ``ins`` belongs to (no blank line in
    between: ``# Add the default self-signed certificate``) say the key is published on
    purpose, or its own line says so."""
    k = ins.line - 1
    comments = [df.lines[k][df.lines[k].index('#'):]] if '#' in df.lines[k] else []
    while k > 0 and df.lines[k - 1].strip():
        k -= 1
        if df.lines[k].lstrip().startswith('#'):
            comments.append(df.lines[k])
    return any(_PUBLISHED_KEY.search(c) for c in comments)


def _secret_id(name: str) -> str:
    return re.sub(r'[^A-Za-z0-9_-]+', '_', name.lstrip('.')) or 'secret'


def _file_problem(df: Dockerfile, ins: Instruction, label: str, shown: str, rel: str | None,
                  secret: object, contents: object, target: str, where: str,
                  maybe: bool = False) -> Problem:
    """The finding of a secret file a COPY puts into an image."""
    import posixpath

    from dockhooks._secret_files import CREDENTIALS
    from dockhooks._secret_files import ENV
    from dockhooks._secret_files import SSH_KEY
    from dockhooks._secret_files import TOKEN_FILE
    from dockhooks._secret_files import Contents
    from dockhooks._secret_files import SecretFile

    assert isinstance(secret, SecretFile)
    held = contents.secrets if isinstance(contents, Contents) else []
    name = posixpath.basename(rel or target)
    if secret.kind == ENV:
        what = f'an env file that sets {", ".join(held)}' if held else \
            'an env file, where secrets are kept,'
    elif secret.kind == TOKEN_FILE:
        what = f'{secret.what}, which may hold a token (git ignores it: each machine has its ' \
            f'own),' if maybe else f'{secret.what}, which holds a credential ({", ".join(held)}),'
    else:
        what = secret.what
    sid = _secret_id(name)
    build = f' (docker build --secret id={sid},src={rel})' if rel else ''
    mount = f'RUN --mount=type=secret,id={sid},target={target}'
    if secret.kind == ENV:
        advice = (f'give it at run time instead (compose env_file:, docker run --env-file, '
                  f'Docker secrets); a build step that reads it can mount it for that step '
                  f'only with {mount}{build}')
    elif secret.kind == TOKEN_FILE:
        step = _step(df, ins, secret.tool)
        advice = (f'mount it for the step that needs it instead: {mount} {step}{build}, which '
                  f'leaves nothing in a layer' if step else
                  f'mount it only in the RUN that reads it instead: {mount}{build}, which '
                  f'leaves nothing in a layer')
    elif secret.kind == SSH_KEY:
        advice = ('forward your SSH agent to the step that needs it instead: RUN '
                  '--mount=type=ssh (docker build --ssh default); a key the container needs '
                  'at run time goes in a Docker secret or a mounted volume')
    else:
        noun = 'a credential' if secret.kind == CREDENTIALS else 'a key'
        advice = (f'give it at run time instead (a Docker secret, or a volume mounted at '
                  f'{target}); a build step that needs {noun} can mount it for that step '
                  f'only with {mount}{build}')
    return Problem(
        ins.line, ins.col,
        f'{label} {shown} copies {what} into {where}: anyone who pulls the image can read '
        f'it, and deleting it in a later step does not remove it; {advice}',
    )


def _copy_problems(df: Dockerfile, opts: SimpleNamespace) -> Iterator[Problem]:
    """COPY and ADD of secret files into what ships (see the module's docstring)."""
    import os
    import posixpath

    from dockhooks._context import _clean_source
    from dockhooks._context import _copy_words
    from dockhooks._secret_files import KEY
    from dockhooks._secret_files import SSH_KEY
    from dockhooks._secret_files import TOKEN_FILE
    from dockhooks._secret_files import classify
    from dockhooks._secret_files import read

    shipped = shipped_stages(df)
    tree = _Tree(df.path)
    extra = frozenset(n.upper() for n in opts.extra_secret_names)
    allowed = frozenset(n.upper() for n in opts.allowed_names)
    for outer in df.instructions:
        ins = outer.trigger if outer.trigger is not None else outer
        if ins.keyword not in ('COPY', 'ADD') or ins.heredocs or (
                outer.trigger is not None and outer.stage not in shipped):
            continue
        words = _copy_words(ins)
        if len(words) < 2:
            continue
        dest = words[-1]
        label = f'ONBUILD {ins.keyword}' if outer.trigger is not None else ins.keyword
        ref = ins.flag('from')
        for word in words[:-1]:
            if ins.keyword == 'ADD' and re.match(r'[a-z][a-z0-9+.-]*://|git@', word, re.I):
                continue
            value = ins.resolve(word) if '$' in word else word
            if value is None:
                continue  # a source the build decides: cannot know
            glob = any(c in value for c in '*?[')
            where = 'a layer of the image'
            if outer.trigger is not None:
                where = 'a layer of every image built FROM this one'
            elif outer.stage not in shipped:
                on = _reached(df, outer, _destination(df, outer, value, dest, len(words) > 2),
                              shipped)
                if on is None:
                    continue  # a builder's file, in the build cache only
                where = (f'a layer of a build stage, and COPY --from on line {on.line} copies '
                         f'it on into the image')
            if ref is not None or outer.trigger is not None:
                # a file of another stage or image, or of the context of a later build: its
                # name is all that can be known
                path = posixpath.normpath(posixpath.join('/', value))
                secret = None if glob else classify(path)
                if secret is not None and secret.by_name:
                    yield _file_problem(df, outer, label, word, None, secret, None,
                                        _destination(df, outer, value, dest, len(words) > 2),
                                        where)
                continue
            rel = _clean_source(value)
            if not rel or rel.startswith('..'):
                continue
            if glob:
                hits = [(h, classify(h)) for h in tree.matches(rel)]
            else:
                hits = [(rel, classify(rel))]
            for path, secret in hits:
                if secret is None or (
                        secret.kind in (KEY, SSH_KEY) and _published_key(df, outer)):
                    continue
                roots = tree.sent(path)
                if not roots:
                    continue  # the ignore file keeps it out of the context
                found = next((os.path.join(r, path) for r in roots
                              if os.path.lexists(os.path.join(r, path))), None)
                if found is not None and os.path.isdir(found):
                    continue
                contents = read(found, secret) if found is not None else None
                maybe = False
                if contents is not None:
                    if not contents.secrets:
                        yield from _token_variables(
                            df, outer, contents.variables, (extra, allowed), label, word,
                            secret, _destination(df, outer, path, dest, len(words) > 2 or glob))
                        continue
                elif found is not None and not secret.by_name:
                    continue  # unreadable, and its name says nothing
                elif found is None and not secret.by_name:
                    if secret.kind != TOKEN_FILE or glob or not _git_ignored(
                            os.path.join(roots[0], path)):
                        continue
                    maybe = True
                shown = f'{word} ({path})' if glob else word
                yield _file_problem(df, outer, label, shown, path, secret, contents,
                                    _destination(df, outer, path, dest, len(words) > 2 or glob),
                                    where, maybe)


def _token_variables(df: Dockerfile, ins: Instruction, variables: list[str],
                     names: tuple[frozenset[str], frozenset[str]], label: str, word: str,
                     secret: object, target: str) -> Iterator[Problem]:
    """A copied file that reads its token from a variable (``${NPM_TOKEN}`` in ``.npmrc``)
    holds no secret; the variable does. An ARG that hands it to the build keeps it in the
    image history: one with a secret-like name is reported as such, another here."""
    from dockhooks._secret_files import SecretFile

    assert isinstance(secret, SecretFile)
    import posixpath

    for name in variables:
        if is_secret_name(name, *names):
            continue
        arg = next((a for a in df.instructions if a.keyword == 'ARG' and a.line < ins.line
                    and a.stage == ins.stage  # an ARG is in the environment of its stage's RUNs
                    and any(n == name for n, _ in key_values(a.args, legacy=False))), None)
        if arg is None:
            continue
        sid = _secret_id(posixpath.basename(target))
        step = _step(df, ins, secret.tool)
        yield Problem(
            ins.line, ins.col,
            f'{label} {word} reads its token from ${{{name}}}, which ARG {name} on line '
            f'{arg.line} hands to the build: build-arg values stay in the image history; '
            f'drop the ARG and mount the file with the token as a secret instead: RUN '
            f'--mount=type=secret,id={sid},target={target}{" " + step if step else ""}',
        )
        return


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
