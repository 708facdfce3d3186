"""The build commands a repository writes down: which Dockerfile each builds, from which context.

A Dockerfile that no compose file builds is built by a command: ``docker build -f
cmd/migrate/Dockerfile .`` in a Makefile, a shell or PowerShell script, a CI workflow or a
``package.json`` script; ``docker/build-push-action``'s ``context:`` and ``file:``; a bake
file's target, a skaffold artifact, a Tiltfile's ``docker_build``; or the command its own header
comment documents. Each is read as Docker reads it:

* ``docker build``, ``docker buildx build``, ``docker image build``, ``podman build``,
  ``nerdctl build``, ``buildah bud``: ``-f``/``--file`` is relative to the folder the command
  runs in, the one positional argument is the context, no ``-f`` means
  ``<context>/Dockerfile``. A shell command runs in the folder of the file that holds it or one
  above it (scripts ``cd`` to the repository's root; CI runs there), after any ``cd dir &&``
  written before it on its line; ``$PWD`` and ``$(pwd)`` are that folder. A command whose
  options cannot all be read, or with more than one positional argument (prose), says nothing.
* bake (``docker-bake*.hcl``/``.json``) and skaffold: ``dockerfile`` is relative to the
  context, the context to the file's folder. Tilt: both relative to the Tiltfile's folder.
* ``docker/build-push-action``: ``file`` is relative to the repository's root, the context
  defaults to it.

A context or Dockerfile path written with a variable (``$APP_ROOT``, ``${{ inputs.ctx }}``) is
decided when the command runs: such a build says its Dockerfile's context cannot be known.
"""
from __future__ import annotations

import os
import re
from collections.abc import Iterator

from dockhooks._records import TYPE_CHECKING
from dockhooks._records import NamedTuple

if TYPE_CHECKING:
    from typing import Any

# A context decided when the command runs.
UNKNOWN = '$'


class Command(NamedTuple):
    """One build, as found in a file: its paths as written."""

    folder: str               # the folder of the file holding it, usable from the cwd
    cwd: str                  # `cd dir &&` before it on its line ('' for none)
    dockerfile: str | None    # as written; None: `Dockerfile` in the context
    context: str              # as written; holds `$` when decided at run time
    in_context: bool = False  # the Dockerfile path is relative to the context (bake, skaffold)
    up: bool = False          # it may run in a folder above `folder` (shell scripts, CI)


# Options of `docker build`, `docker buildx build`, `podman build` and `buildah bud` that take
# a value (written `--opt value` or `--opt=value`), and those that take none.
_VALUE_OPTIONS = frozenset((
    '-f', '--file', '-t', '--tag', '--build-arg', '--build-arg-file', '--target', '--platform',
    '--label', '--label-file', '--secret', '--ssh', '--cache-from', '--cache-to', '-o',
    '--output', '--network', '--iidfile', '--progress', '--builder', '--add-host',
    '--build-context', '--metadata-file', '--allow', '--annotation', '--attest', '--call',
    '--cgroup-parent', '--shm-size', '--ulimit', '-m', '--memory', '--memory-swap',
    '--cpu-shares', '-c', '--cpuset-cpus', '--cpuset-mems', '--cpu-period', '--cpu-quota',
    '--isolation', '--security-opt', '--no-cache-filter', '--format', '--authfile', '--creds',
    '--jobs', '-v', '--volume', '-e', '--env', '--arch', '--os', '--variant', '--ignorefile',
    '--from', '--userns', '--cap-add', '--cap-drop', '--device', '--dns', '--logfile',
    '--manifest', '--sign-by', '--timestamp', '--retry', '--retry-delay',
))
_FLAG_OPTIONS = frozenset((
    '--no-cache', '--pull', '--load', '--push', '-q', '--quiet', '--rm', '--force-rm',
    '--squash', '--compress', '--disable-content-trust', '--check', '--debug', '-D',
    '--no-hosts', '--stream', '--all-platforms', '--layers', '--sbom', '--provenance',
    '--tls-verify', '--http-proxy', '--identity-label', '--omit-history', '--disable-compression',
))
_BUILDERS = frozenset(('docker', 'podman', 'nerdctl', 'buildah', 'docker.exe', 'podman.exe'))
_BUILDER = re.compile(r'(?<![\w./$-])(?:docker|podman|nerdctl|buildah)(?:\.exe)?(?=[ \t])')
# The folder the command runs in, written as a variable: it is the command's own folder.
_PWD = re.compile(r'\$\{?PWD\}?|\$\(\s*(?:shell\s+)?pwd\s*\)|\$\(CURDIR\)|\$\{CURDIR\}|'
                  r'\$\(Get-Location\)|\$pwd\b', re.I)
_CD = re.compile(r'\bcd\s+("[^"$]*"|\'[^\'$]*\'|[^\s;&|$]+)\s*(?:&&|;)\s*(?:sudo\s+)?$')


def parse_build(argv: tuple[str, ...] | list[str]) -> tuple[str | None, str] | None:
    """(Dockerfile path or None, context) of a build command's words, or None when they are
    not one build with one context that can be read."""
    if not argv or os.path.basename(argv[0]) not in _BUILDERS:
        return None
    words = list(argv[1:])
    if os.path.basename(argv[0]) == 'buildah':
        if words[:1] not in (['bud'], ['build']):
            return None
        words = words[1:]
    elif words[:2] in (['buildx', 'build'], ['buildx', 'b'], ['image', 'build'],
                       ['builder', 'build']):
        words = words[2:]
    elif words[:1] == ['build']:
        words = words[1:]
    else:
        return None
    dockerfile: str | None = None
    positional: list[str] = []
    k = 0
    while k < len(words):
        word = words[k]
        if word == '--':
            positional.extend(words[k + 1:])
            break
        if word.startswith('-') and word != '-':
            option, eq, value = word.partition('=')
            if option in ('-f', '--file'):
                if not eq:
                    if k + 1 >= len(words):
                        return None
                    k += 1
                    value = words[k]
                dockerfile = value
            elif word.startswith('-f') and not word.startswith('--'):
                dockerfile = word[2:]  # -fpath
            elif eq or option in _FLAG_OPTIONS:
                pass
            elif option in _VALUE_OPTIONS:
                k += 1
            elif not word.startswith('--') and word[:2] in _VALUE_OPTIONS:
                pass  # -tname: the value is attached
            else:
                return None  # an option not known here: its value cannot be told apart
        else:
            positional.append(word)
        k += 1
    if len(positional) != 1 or dockerfile == '-':
        return None
    context = positional[0].rstrip(',;:)"\'')  # the end of a sentence or of a string
    if context in ('', '-') or '://' in context or context.startswith('git@'):
        return None
    return dockerfile, context


def shell_commands(text: str, folder: str, *, up: bool) -> Iterator[Command]:
    """The build commands of shell-like text (scripts, Makefiles, CI files, comments)."""
    from dockhooks._shell import split_commands

    text = re.sub(r'[\\`][ \t]*\r?\n', ' ', text)  # line continuations (sh, make, PowerShell)
    for line in text.splitlines():
        if 'build' not in line and 'bud' not in line:
            continue
        for m in _BUILDER.finditer(line):
            rest = line[m.start():].split('`', 1)[0]  # a backtick ends a command in prose
            rest = _PWD.sub('.', rest).replace('$$', '$')  # make's $$ is a shell $
            for command in split_commands(rest)[:1]:
                found = parse_build(command.argv)
                if found is None:
                    continue
                cd = _CD.search(line[:m.start()])
                cwd = _PWD.sub('.', cd.group(1).strip('\'"')) if cd else ''
                yield Command(folder, cwd, found[0], found[1], up=up)


def _text_value(value: object) -> str | None:
    """A YAML/JSON/HCL value usable as a path; ``$`` marks one decided at run time."""
    if not isinstance(value, str):
        return None
    return re.sub(r'\$\{\{.*?\}\}', '$', value)


def _workflow_commands(doc: Any, top: str) -> Iterator[Command]:
    """``docker/build-push-action`` steps: ``file`` relative to the repository's root."""
    stack = [doc]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(node)
        elif isinstance(node, dict):
            uses = node.get('uses')
            with_ = node.get('with')
            if isinstance(uses, str) and uses.startswith('docker/build-push-action') and \
                    isinstance(with_, dict):
                context = _text_value(with_.get('context', '.'))
                dockerfile = _text_value(with_.get('file')) if 'file' in with_ else None
                if context is not None and (dockerfile is not None or 'file' not in with_):
                    yield Command(top, '', dockerfile, context)
            else:
                stack.extend(node.values())


def _skaffold_commands(docs: list[Any], folder: str) -> Iterator[Command]:
    builders = ('jib', 'ko', 'bazel', 'buildpacks', 'custom', 'kaniko')
    for doc in docs:
        if not isinstance(doc, dict):
            continue
        builds = [doc.get('build')]
        profiles = doc.get('profiles')
        builds += [p.get('build') for p in profiles if isinstance(p, dict)] \
            if isinstance(profiles, list) else []
        for build in builds:
            artifacts = build.get('artifacts') if isinstance(build, dict) else None
            for art in artifacts if isinstance(artifacts, list) else []:
                if not isinstance(art, dict) or any(b in art for b in builders):
                    continue
                docker = art.get('docker')
                dockerfile = _text_value(docker.get('dockerfile', 'Dockerfile')) \
                    if isinstance(docker, dict) else 'Dockerfile'
                context = _text_value(art.get('context', '.'))
                if dockerfile is not None and context is not None:
                    yield Command(folder, '', dockerfile, context, in_context=True)


def _braced(text: str, start: int) -> str:
    """The text between the ``{`` at ``start`` and its matching ``}`` (strings skipped)."""
    depth = 0
    k = start
    while k < len(text):
        c = text[k]
        if c == '"':
            k += 1
            while k < len(text) and text[k] != '"':
                k += 2 if text[k] == '\\' else 1
        elif c == '{':
            depth += 1
        elif c == '}':
            depth -= 1
            if depth == 0:
                return text[start + 1:k]
        k += 1
    return text[start + 1:]


def _bake_targets(text: str, json_form: bool) -> dict[str, dict[str, Any]]:
    if json_form:
        import json

        try:
            data = json.loads(text)
        except ValueError:
            return {}
        targets = data.get('target') if isinstance(data, dict) else None
        return {k: v for k, v in targets.items() if isinstance(v, dict)} \
            if isinstance(targets, dict) else {}
    out: dict[str, dict[str, Any]] = {}
    for m in re.finditer(r'(?m)^\s*target\s+"([^"]+)"\s*\{', text):
        body = _braced(text, m.end() - 1)
        attrs: dict[str, Any] = {}
        # only the target's own attributes, not those of nested blocks
        for a in re.finditer(r'(?m)^\s*(context|dockerfile|dockerfile-inline|inherits)\s*=\s*'
                             r'("(?:[^"\\]|\\.)*"|\[[^\]]*\]|[^\s#]+)', body):
            raw = a.group(2)
            if raw.startswith('['):
                attrs[a.group(1)] = re.findall(r'"([^"]*)"', raw)
            elif raw.startswith('"'):
                attrs[a.group(1)] = raw[1:-1]
            else:
                attrs[a.group(1)] = '$'  # an expression: decided when bake runs
        out[m.group(1)] = attrs
    return out


def _bake_commands(text: str, folder: str, json_form: bool) -> Iterator[Command]:
    targets = _bake_targets(text, json_form)

    def attr(name: str, key: str, depth: int = 0) -> Any:
        target = targets.get(name, {})
        if key in target or depth > 8:
            return target.get(key)
        inherits = target.get('inherits')
        for parent in reversed(inherits if isinstance(inherits, list) else []):
            value = attr(str(parent), key, depth + 1)
            if value is not None:
                return value
        return None

    for name in targets:
        if attr(name, 'dockerfile-inline') is not None:
            continue
        context = _text_value(attr(name, 'context') or '.')
        dockerfile = _text_value(attr(name, 'dockerfile') or 'Dockerfile')
        if context is None or dockerfile is None or context.startswith('target:'):
            continue
        yield Command(folder, '', dockerfile.replace('${', '$'), context.replace('${', '$'),
                      in_context=True)


def _tilt_commands(text: str, folder: str) -> Iterator[Command]:
    """``docker_build(ref, context, dockerfile=...)``: Starlark parses as Python."""
    import ast

    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError):
        return
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                and node.func.id == 'docker_build'):
            continue
        kwargs = {k.arg: k.value for k in node.keywords if k.arg}
        context_node = node.args[1] if len(node.args) > 1 else kwargs.get('context')
        dockerfile_node = node.args[3] if len(node.args) > 3 else kwargs.get('dockerfile')

        def literal(n: ast.expr | None) -> str | None:
            return n.value if isinstance(n, ast.Constant) and isinstance(n.value, str) else \
                None if n is None else '$'

        context = literal(context_node)
        if context is None:
            continue
        dockerfile = literal(dockerfile_node)
        if dockerfile is None:
            yield Command(folder, '', None, context)
        else:
            yield Command(folder, '', dockerfile, context)


def _package_commands(text: str, folder: str) -> Iterator[Command]:
    import json

    try:
        data = json.loads(text)
    except ValueError:
        return
    scripts = data.get('scripts') if isinstance(data, dict) else None
    for script in scripts.values() if isinstance(scripts, dict) else []:
        if isinstance(script, str):
            yield from shell_commands(script, folder, up=False)


_SHELL_FILES = re.compile(
    r'(^|/)(Makefile|makefile|GNUmakefile|Jenkinsfile[^/]*|[Jj]ustfile|Taskfile[^/]*\.ya?ml|'
    r'[^/]+\.(mk|sh|bash|zsh|ps1|psm1|bat|cmd)|[^/]*\.gitlab-ci\.ya?ml|\.travis\.ya?ml|'
    r'\.drone\.ya?ml|bitbucket-pipelines\.ya?ml|azure-pipelines[^/]*\.ya?ml|'
    r'cloudbuild[^/]*\.ya?ml|\.github/workflows/[^/]+\.ya?ml|\.circleci/config\.ya?ml|'
    r'\.buildkite/[^/]+\.ya?ml)$')
_BAKE_FILES = re.compile(r'(^|/)docker-bake[^/]*\.(hcl|json)$')
_SKAFFOLD_FILES = re.compile(r'(^|/)skaffold[^/]*\.ya?ml$')
_TILT_FILES = re.compile(r'(^|/)Tiltfile$')
_PACKAGE_FILES = re.compile(r'(^|/)package\.json$')
_ANY = (_SHELL_FILES, _BAKE_FILES, _SKAFFOLD_FILES, _TILT_FILES, _PACKAGE_FILES)
# Enough for a hand-written repository; a generated tree stops here.
_MAX_FILES = 2000
_MAX_BYTES = 512 * 1024


def _git_listing(top: str) -> list[tuple[str, bool]] | None:
    """(file, executable) for the files git tracks at ``top``; None when git cannot say."""
    import subprocess

    try:
        run = subprocess.run(('git', 'ls-files', '-s', '-z', '--', '.'), cwd=top,
                             capture_output=True, timeout=60, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    if run.returncode != 0:
        return None
    out = []
    for row in run.stdout.decode('utf-8', 'surrogateescape').split('\0'):
        meta, _, name = row.partition('\t')
        if name:
            out.append((name, meta.startswith('100755')))
    return out


def _listing(top: str) -> list[tuple[str, bool]]:
    """The files of the repository at ``top`` that can hold build commands, relative to it,
    each with whether it is an executable without a known name (a script such as
    ``./build``): those git tracks, or outside git a walk."""
    from dockhooks._files import SKIP_DIRS

    git = os.path.join(top, '.git')
    found = _git_listing(top) if os.path.isfile(git) or \
        os.path.isfile(os.path.join(git, 'HEAD')) else None
    if found is None:
        found = []
        for dirpath, dirs, files in os.walk(top):
            dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS)
            rel = os.path.relpath(dirpath, top)
            prefix = '' if rel == '.' else rel.replace(os.sep, '/') + '/'
            found.extend((prefix + f, os.access(os.path.join(dirpath, f), os.X_OK))
                         for f in files)
            if len(found) > 200_000:
                break
    out = []
    for name, executable in found:
        if '/node_modules/' in f'/{name}':
            continue
        known = any(r.search(name) for r in _ANY)
        if known or (executable and '.' not in name.rsplit('/', 1)[-1]):
            out.append((name, not known))
    return out[:_MAX_FILES]


def _file_commands(path: str, name: str, top: str, script: bool) -> Iterator[Command]:
    from dockhooks._text import InputError
    from dockhooks._text import read_text

    try:
        if os.path.getsize(path) > _MAX_BYTES:
            return
        text = read_text(path)
    except (InputError, OSError):
        return
    if _MAKEFILES.search(name):
        text = _make_expanded(text)
    structured = _BAKE_FILES.search(name) or _SKAFFOLD_FILES.search(name) or \
        _TILT_FILES.search(name)
    if not structured and not _BUILDER.search(text) and 'build-push-action' not in text:
        return  # names no builder: no build command in it
    if script and not re.match(r'#!\S*(/|\s)(ba|z|da|k)?sh\b', text):
        return  # an executable that is no shell script
    folder = os.path.dirname(path) or '.'
    if _PACKAGE_FILES.search(name):
        yield from _package_commands(text, folder)
    elif _TILT_FILES.search(name):
        yield from _tilt_commands(text, folder)
    elif _BAKE_FILES.search(name):
        yield from _bake_commands(text, folder, name.endswith('.json'))
    elif _SKAFFOLD_FILES.search(name):
        docs = _yaml_documents(text)
        yield from _skaffold_commands(docs, folder)
    else:
        yield from shell_commands(text, folder, up=True)
        if 'build-push-action' in text:
            for doc in _yaml_documents(text):
                yield from _workflow_commands(doc, top)


_MAKEFILES = re.compile(r'(^|/)([Mm]akefile|GNUmakefile|[^/]+\.mk)$')
_MAKE_ASSIGN = re.compile(r'^(?:export\s+|override\s+)?([A-Za-z_][\w.-]*)\s*(?:\?|::?|!)?=\s*(.*)$',
                          re.M)
_MAKE_REF = re.compile(r'\$[({]([A-Za-z_][\w.-]*)[)}]')


def _make_expanded(text: str) -> str:
    """A Makefile with its simple variables expanded (``DOCKER ?= docker`` makes ``$(DOCKER)
    build`` a docker build); a variable it does not set stays as written."""
    values: dict[str, str] = {}
    for m in _MAKE_ASSIGN.finditer(text):
        values.setdefault(m.group(1), m.group(2).strip())

    def one(m: re.Match[str]) -> str:
        return values.get(m.group(1), m.group(0))

    limit = 4 * len(text)
    for _ in range(5):
        expanded = _MAKE_REF.sub(one, text)
        if expanded == text or len(expanded) > limit:
            break  # done, or variables that double each other
        text = expanded
    return text


def _yaml_documents(text: str) -> list[Any]:
    from ruamel.yaml import YAML
    from ruamel.yaml import YAMLError

    try:
        return list(YAML(typ='safe', pure=True).load_all(text))
    except (YAMLError, ValueError, RecursionError):
        return []


_INDEX: dict[str, list[Command]] = {}


def repository_commands(top: str) -> list[Command]:
    """Every build command the repository at ``top`` writes down (read once per process)."""
    key = os.path.abspath(top)
    if key not in _INDEX:
        _INDEX[key] = [c for name, script in _listing(top)
                       for c in _file_commands(os.path.join(top, name), name, top, script)]
    return _INDEX[key]


def _ancestors(folder: str, top: str) -> list[str]:
    out = [folder]
    full, stop = os.path.abspath(folder), os.path.abspath(top)
    while full != stop and os.path.dirname(full) != full and \
            os.path.commonpath((full, stop)) == stop:
        full = os.path.dirname(full)
        out.append(os.path.normpath(os.path.join(out[-1], os.pardir)))
    return out


def context_of(command: Command, dockerfile: str, top: str) -> str | None:
    """The context ``command`` builds ``dockerfile`` from (a path usable from the cwd, or
    UNKNOWN when decided at run time); None when it builds another Dockerfile."""
    own = os.path.abspath(dockerfile)
    bases = _ancestors(command.folder, top) if command.up else [command.folder]
    for base in bases:
        base = os.path.normpath(os.path.join(base, command.cwd))
        context = command.context
        if '$' not in context and not os.path.isdir(os.path.join(base, context)) and \
                context.endswith('.') and context.strip('./') and \
                os.path.isdir(os.path.join(base, context[:-1])):
            context = context[:-1]  # a full stop after the command, in prose
        root = None if '$' in context else os.path.normpath(os.path.join(base, context))
        if command.dockerfile is None or command.in_context:
            if root is None or '$' in (command.dockerfile or ''):
                continue
            path = os.path.join(root, command.dockerfile or 'Dockerfile')
        elif '$' in command.dockerfile or os.path.isabs(command.dockerfile):
            continue
        else:
            path = os.path.join(base, command.dockerfile)
        if os.path.abspath(path) == own:
            return UNKNOWN if root is None else root
    return None
