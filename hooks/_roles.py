"""What a Dockerfile or compose file is for, read from where it lives and what it is called.

The practices are about what ships: the image that goes to a registry, the stack that runs
for users. Some files never ship, and the rules that speak of what ships leave them alone:

* ``vendored``: third-party trees nobody in the repository edits (``vendor/``,
  ``node_modules/``, ``third_party/``); no rule reads them;
* ``workspace``: development environments (``.devcontainer/``, ``.gitpod.Dockerfile``), built
  on a developer's machine and never pushed;
* ``test``: test and CI fixtures (``tests/``, ``e2e/``, ``testdata/``, ``fixtures/``, ``.ci/``,
  ``.github/``, ``Dockerfile.test``, ``docker-compose.ci.yml``);
* ``dev``: local development stacks and images (``dev/``, ``local/``,
  ``docker-compose.dev.yml``, ``Dockerfile.dev``, ``compose.local.yaml``, ``Dockerfile.debug``);
* ``ship``: everything else, examples included (they are what users copy).

Folders count by their whole name (``tests/``, ``.github/``) or by a word of it that says the
same (``upgrade-tests/``, ``load_testing/``, ``discourse_dev/``); a file name counts by its
words (``docker-compose.e2e.yml``, ``Dockerfile.dev``). The path is read relative to the
repository (the folder holding ``.git``) or, outside one, to the current folder, so that
where a checkout lives (``/home/me/tests/app``) never changes what its files are.

What a shipped image is for is read from the image itself (:func:`image_purpose`): the
command it runs says whether it is an application, a base or toolbox others build on, or a
build environment whose job is to compile.
"""
from __future__ import annotations

import os
import posixpath
import re
from collections.abc import Iterator

from dockhooks._records import TYPE_CHECKING
from dockhooks._text import RUN_CACHES

if TYPE_CHECKING:
    from dockhooks._compose import ComposeFile
    from dockhooks._compose import Service
    from dockhooks._dockerfile import Dockerfile
    from dockhooks._dockerfile import Instruction
    from dockhooks._dockerfile import Stage
    from dockhooks._shell import Command

VENDORED_DIRS = frozenset((
    'vendor', 'vendors', 'node_modules', 'bower_components', 'third_party', 'third-party',
    'thirdparty', '3rdparty', '.venv', 'venv', 'site-packages', '_vendor',
))
WORKSPACE_DIRS = frozenset(('.devcontainer', 'devcontainer', '.gitpod', '.codespaces'))
WORKSPACE_WORDS = frozenset(('devcontainer', 'gitpod', 'codespace', 'codespaces'))
TEST_DIRS = frozenset((
    'test', 'tests', 'testing', 'testdata', 'test-data', 'test_data', 'testcases', 'e2e',
    'fixtures', 'fixture', '__tests__', 'integration-tests', 'integration_tests', 'itest',
    'cypress', 'playwright', 'suites', '.ci', 'ci', '.github', '.gitlab', '.circleci',
    '.buildkite',
))
TEST_WORDS = frozenset(('test', 'tests', 'testing', 'e2e', 'ci', 'fixture', 'fixtures',
                        'cypress', 'playwright', 'testdata', 'integrationtest', 'loadtest',
                        'smoketest'))
DEV_DIRS = frozenset(('dev', 'development', 'dev-envs', 'devenv', 'local-dev', 'local'))
# Words of a folder's name that say what is in it (`upgrade-tests/`, `load_testing/`,
# `discourse_dev/`); `local` and `ci` count only as a folder's whole name, not as a word of
# it (`local-path-provisioner/`)
FOLDER_TEST_WORDS = frozenset((
    'test', 'tests', 'testing', 'testdata', 'e2e', 'fixtures', 'integrationtest',
    'integrationtests', 'loadtest', 'loadtests', 'smoketest', 'smoketests',
))
FOLDER_DEV_WORDS = frozenset(('dev', 'development', 'devel', 'debug'))
DEV_WORDS = frozenset(('dev', 'development', 'local', 'debug', 'devel'))

ROLES = ('vendored', 'workspace', 'test', 'dev', 'ship')
# What the role is called in a message.
DESCRIPTION = {
    'vendored': 'a vendored third-party tree',
    'workspace': 'a development environment (devcontainer)',
    'test': 'a test or CI fixture',
    'dev': 'a local development image or stack',
    'ship': 'shipped',
}

_WORDS = re.compile(r'[^a-z0-9]+')
_ROOTS: dict[str, str | None] = {}
# The folders `dockhooks check` was given (absolute): outside a git checkout, the folder a
# file was found in stands for its repository, wherever the check runs from.
GIVEN: list[str] = []


def set_given(paths: list[str]) -> None:
    """Remember the folders among ``paths`` (what `dockhooks check` was given)."""
    GIVEN[:] = [os.path.abspath(p) for p in paths if os.path.isdir(p)]


def top_folder(folder: str) -> str:
    """The folder a file in ``folder`` (absolute) belongs to: its repository's root (the
    nearest ``.git``), else the deepest folder given to the check that holds it, else the
    current folder."""
    root = repository_root(folder)
    if root is not None:
        return root
    held = [g for g in GIVEN if os.path.commonpath((folder, g)) == g]
    return max(held, key=len) if held else os.getcwd()


def repository_root(folder: str) -> str | None:
    """The nearest folder at or above ``folder`` that holds ``.git`` (cached per folder)."""
    if folder in _ROOTS:
        return _ROOTS[folder]
    here = folder
    seen = []
    root = None
    while True:
        if here in _ROOTS:
            root = _ROOTS[here]
            break
        seen.append(here)
        if os.path.exists(os.path.join(here, '.git')):
            root = here
            break
        parent = os.path.dirname(here)
        if parent == here:
            break
        here = parent
    for f in seen:
        _ROOTS[f] = root
    return root


# The entries of the folders looked at, once per run (every Dockerfile of a folder looks at
# the same folders above it)
_LISTINGS: dict[str, list[str]] = {}
RUN_CACHES.append(_LISTINGS)


def folder_entries(folder: str) -> list[str]:
    """The sorted entries of ``folder`` (none when it cannot be listed), listed once per run;
    not to be changed by the caller."""
    key = os.path.abspath(folder)
    if key not in _LISTINGS:
        try:
            _LISTINGS[key] = sorted(os.listdir(folder))
        except OSError:
            _LISTINGS[key] = []
    return _LISTINGS[key]


def folders_up(path: str) -> Iterator[tuple[str, list[str]]]:
    """The folder of the file ``path`` and the folders above it up to the repository's root
    (outside one: up to the folder given to the check, or the current folder), each with its
    sorted entries. The folders are named as ``path`` is (relative stays relative), so that a
    file found there is named as the other rules name it."""
    full = os.path.dirname(os.path.abspath(path))
    top = top_folder(full)
    if os.path.commonpath((full, top)) != top:
        top = full
    folder = os.path.dirname(path) or '.'
    while True:
        yield folder, folder_entries(folder)
        if full == top or os.path.dirname(full) == full:
            return
        full = os.path.dirname(full)
        folder = os.path.normpath(os.path.join(folder, os.pardir))


_REPOSITORY_FILES: dict[str, list[tuple[str, str]]] = {}
RUN_CACHES.append(_REPOSITORY_FILES)


def repository_files(path: str, kind: str) -> list[str]:
    """The files of ``kind`` (``'dockerfile'``, ``'compose'``: see ``kind_of``) anywhere in
    the repository of the file ``path`` (absolute), the repository walked once per run."""
    from dockhooks._files import _walk
    from dockhooks._files import kind_of

    top = top_folder(os.path.dirname(os.path.abspath(path)))
    if top not in _REPOSITORY_FILES:
        _REPOSITORY_FILES[top] = [(k, f) for f in _walk(top) if (k := kind_of(f) or '')]
    return [f for k, f in _REPOSITORY_FILES[top] if k == kind]


def relative(path: str) -> str:
    """``path`` relative to its repository (or to the folder given, or the current folder),
    with ``/``."""
    full = os.path.abspath(path)
    rel = os.path.relpath(full, top_folder(os.path.dirname(full)))
    if rel == os.pardir or rel.startswith(os.pardir + os.sep):
        rel = os.path.basename(full)  # outside both: only the name says anything
    return rel.replace(os.sep, '/')


def role(path: str) -> str:
    """The role of the file at ``path``: one of :data:`ROLES`."""
    parts = relative(path).lower().split('/')
    folders, name = parts[:-1], parts[-1]
    words = set(_WORDS.split(name))
    folder_words = {w for f in folders for w in _WORDS.split(f)}
    if VENDORED_DIRS.intersection(folders):
        return 'vendored'
    if WORKSPACE_DIRS.intersection(folders) or WORKSPACE_WORDS & (words | folder_words):
        return 'workspace'
    if TEST_DIRS.intersection(folders) or TEST_WORDS & words or \
            FOLDER_TEST_WORDS & folder_words:
        return 'test'
    if DEV_DIRS.intersection(folders) or DEV_WORDS & words or FOLDER_DEV_WORDS & folder_words:
        return 'dev'
    return 'ship'


def ships(path: str) -> bool:
    """Whether what the file builds or runs is what users get (not a workspace, test fixture
    or local development image or stack)."""
    return role(path) == 'ship'


# --------------------------------------------------------------------------- compose stacks

# A command that only keeps a container alive for a developer to exec into.
KEEP_ALIVE = re.compile(
    r'\bsleep\s+(infinity|inf|[0-9]{4,})\b|tail\s+-f\s+/dev/null|while\s+(true|:|sleep)\b')
# A command that runs a development server that reloads the code it is given.
_RELOADER = re.compile(
    r'--reload\b|\bnodemon\b|\bhupper\b|\bair\b|\bwatchexec\b|\bcargo[- ]watch\b|'
    r'\b(npm|yarn|pnpm|bun)\s+(run\s+)?(dev|start:dev|watch)\b|\brunserver\b|'
    r'\bflask\s+run\b.*--debug|\bvite\b(?!\s+build)|\bng\s+serve\b|dotnet\s+watch')
# Containers that run the tests of the stack (Docker Hub's autotest name, test runners).
_TEST_COMMANDS = re.compile(
    r'\b(pytest|py\.test|go\s+test|npm\s+(run\s+)?test|yarn\s+test|jest|mocha|'
    r'playwright\s+test|cypress\s+run|rspec|phpunit|mvn\s+test|gradle\s+test)\b')


def stack_role(cf: ComposeFile) -> str:
    """The role of a compose file: by its path (:func:`role`), else by what its services
    show (:func:`compose_role`)."""
    by_path = role(cf.path)
    return by_path if by_path != 'ship' else compose_role(cf)


def compose_role(cf: ComposeFile) -> str:
    """What a compose file's services say it is for:

    * ``workspace``: a service built from a devcontainer's Dockerfile, or one that only
      keeps a container alive (``sleep infinity``) with the working tree mounted into it;
    * ``test``: a service named ``sut`` (the system under test of Docker Hub's automated
      tests), one that runs a test suite (``pytest``, ``go test``, ``npm test``), that tags
      the image it builds as a test one (``image: app:test``) or whose environment says it
      runs in CI (``CI: "true"``, ``MINIO_CI_CD: 1``);
    * ``dev``: a service built from a development stage (``target: development``), one
      that tags the image it builds as a development one (``image: app:dev``), one whose
      built code is replaced by the working tree (its own build context bind-mounted into
      it) or that runs a reloading development server (``--reload``, ``nodemon``); or
      a stack that builds nothing and whose every published port a development environment
      file beside it (``.env.development``, ``.env.dev``) points at (``127.0.0.1:5432``):
      the databases of an application developed on the host;
    * ``ship``: none of these.

    The services are read as a plain ``docker compose`` in the file's folder runs them: a base
    file merged with the default override file beside it (``docker-compose.override.yml``,
    which Compose loads by itself), so an override that rebuilds a service from a
    development target with the source mounted makes the base file's project a dev stack.
    """
    from dockhooks._compose import default_project

    found = 'ship'
    rank = {'ship': 0, 'dev': 1, 'test': 2, 'workspace': 3}
    for service in default_project(cf):
        kind = _service_role(service)
        if rank[kind] > rank[found]:
            found = kind
    if found == 'ship' and _serves_a_dev_environment(cf):
        found = 'dev'
    return found


# A development environment file: `.env.development`, `.env.dev.example`, `dev.env`
_DEV_ENV_FILE = re.compile(r'^(\.env[._-].*|.*[._-]env)$')
# The host's own address and a port, as a development environment file points at a service
_LOCAL_PORT = re.compile(r'(?:localhost|127\.0\.0\.1|\[::1\]):([0-9]{1,5})\b')
_PORT_VALUE = re.compile(r'^[A-Za-z_][A-Za-z0-9_]*PORT\s*=\s*["\']?([0-9]{1,5})["\']?\s*$', re.M)


def _serves_a_dev_environment(cf: ComposeFile) -> bool:
    """A stack that builds nothing, all of whose published ports a development environment
    file beside it points at on this machine: what it runs (a database, a cache) is used by an
    application run on the host for development, and the stack is not what ships."""
    services = cf.services
    if not services or any(s.build is not None for s in services):
        return False
    ports: set[str] = set()
    for service in services:
        for port in service.published_ports():
            if port is None:
                return False  # a port Compose picks or a variable: cannot be pointed at
            ports.add(port)
    if not ports:
        return False
    folder = os.path.dirname(cf.path) or '.'
    pointed: set[str] = set()
    for name in folder_entries(folder):
        lower = name.lower()
        if not _DEV_ENV_FILE.match(lower) or not \
                set(_WORDS.split(lower)) & {'dev', 'development', 'devel'}:
            continue
        try:
            with open(os.path.join(folder, name), encoding='utf-8', errors='replace') as f:
                text = f.read(65536)
        except OSError:
            continue
        pointed.update(_LOCAL_PORT.findall(text))
        pointed.update(_PORT_VALUE.findall(text))
    return ports <= pointed


def _service_role(service: Service) -> str:
    build = service.build
    command = service.command_text()
    mounts = service.bind_mounts()
    base = os.path.dirname(os.path.abspath(service.file.path))
    context = None
    if build is not None and build.known and '://' not in build.context:
        context = os.path.normpath(os.path.join(base, build.context))
        dockerfile = (build.dockerfile or '').replace('\\', '/').lower()
        if 'devcontainer' in dockerfile or '.devcontainer' in build.context:
            return 'workspace'
    tree = {os.path.normpath(os.path.join(base, host)) for host, _ in mounts
            if host.startswith('.')}
    source_mounted = bool(tree) and (
        (context is not None and context in tree) or base in tree
        or os.path.dirname(base) in tree)
    if KEEP_ALIVE.search(command) and source_mounted:
        return 'workspace'
    if service.name.lower() == 'sut' or _TEST_COMMANDS.search(command) or _runs_in_ci(service):
        return 'test'
    if build is not None and build.target and _dev_stage(build.target):
        return 'dev'
    tag = _built_tag(service) if build is not None else None
    if tag is not None and set(_WORDS.split(tag)) & TEST_WORDS:
        return 'test'
    if tag is not None and set(_WORDS.split(tag)) & (DEV_WORDS | {'develop'}):
        return 'dev'
    if (build is not None and source_mounted) or _RELOADER.search(command):
        return 'dev'
    return 'ship'


_TRUE = frozenset(('1', 'true', 'yes', 'on'))


def _runs_in_ci(service: Service) -> bool:
    """An environment variable that tells the process it runs in CI (``CI: "true"``,
    ``MINIO_CI_CD: 1``): a word ``ci`` in its name, set to a true value."""
    for var in service.environment():
        if 'ci' in _WORDS.split(var.name.lower()) and var.value is not None \
                and (service.value_str(var.value) or '').strip().lower() in _TRUE:
            return True
    return False


def _built_tag(service: Service) -> str | None:
    """The tag a service names the image it builds with (``image: app:dev`` beside
    ``build:``), lower case; None without one."""
    image = (service.image or '').split('@')[0]
    name = image.rsplit('/', 1)[-1]
    return name.rsplit(':', 1)[1].lower() if ':' in name else None


# --------------------------------------------------------------------------- what ships

def shipped_stage(df: Dockerfile, target: str | None = None) -> Stage | None:
    """The stage of ``df`` whose image is run: ``target`` (the ``--target`` option) when it
    names a stage, else the stage that the compose files of the project build when they all
    name one that is no development or test stage (``build.target``), else the last
    stage."""
    if target is not None:
        found = df.final_stage(target)
        if found is not None:
            return found
    if len(df.stages) > 1:
        from dockhooks._compose import build_targets

        targets = build_targets(df.path)
        # a compose build without a target builds the last stage, as docker build does
        # a development target (`target: development`) is the stage a developer runs, while
        # the last one may still be what is pushed: only another target replaces it
        shipping = [t for t in targets if t is not None and not _dev_stage(t)
                    and df.final_stage(t) is not None]
        if shipping and None not in targets:
            return df.final_stage(shipping[0])
        last = df.final_stage()
        if last is not None and last.alias is not None and _dev_stage(last.alias):
            # `FROM base AS development` or `AS test` last: the image pushed is the last
            # other stage that is no builder (`FROM base AS production`, built with --target)
            sources = _copy_sources(df)
            shipped = [st for st in df.stages if st.index not in sources
                       and not (st.alias and _dev_stage(st.alias))]
            if shipped:
                return shipped[-1]
    return df.final_stage()


def _copy_sources(df: Dockerfile) -> set[int]:
    """The stages used only through ``COPY --from`` or ``RUN --mount=from=``: builders."""
    copied: set[int] = set()
    parents = {st.parent for st in df.stages if st.parent is not None}
    by_name = {st.alias: st.index for st in df.stages if st.alias}
    for st in df.stages:
        for ins in st.instructions:
            refs = [ins.flag('from')] if ins.keyword in ('COPY', 'ADD') else []
            refs += [m.get('from') for m in ins.mounts()] if ins.keyword == 'RUN' else []
            for ref in refs:
                if ref is None:
                    continue
                ref = ref.lower()
                if ref in by_name:
                    copied.add(by_name[ref])
                elif ref.isdigit():
                    copied.add(int(ref))
    return copied - parents


def _dev_stage(name: str) -> bool:
    return bool(set(_WORDS.split(name.lower()))
                & (DEV_WORDS | TEST_WORDS | WORKSPACE_WORDS | {'devenv', 'envs'}))


def dockerfile_ships(df: Dockerfile, target: str | None = None) -> bool:
    """Whether the image of ``df`` is what users get: its path says it ships, and the stage
    that is run (``--target``, else as :func:`shipped_stage` finds it) is not named as a
    development or test stage (``target: development`` in compose, a last stage
    ``FROM base AS test``)."""
    if not ships(df.path) or says_it_never_ships(df):
        return False
    if target is not None and df.final_stage(target) is not None:
        return True  # the stage the user names as shipped (--target), whatever its name
    stage = shipped_stage(df, target)
    return stage is None or stage.alias is None or not _dev_stage(stage.alias)


# What a file's leading comments say when the image is not for production ("Not suitable for
# production use", "for testing only", "do not use in production"): a test or dev image.
_NEVER_SHIPS = re.compile(
    r'\bnot (?:suitable|intended|meant|designed|recommended|fit|to be used|for use)\b[^.]*?'
    r'\bproduction\b|\bnot for production\b|\bdo not use (?:it |this (?:image )?)?in '
    r'production\b|\b(?:for|in) (?:local )?(?:testing|development|tests?) (?:purposes )?only\b',
    re.IGNORECASE)


def says_it_never_ships(df: Dockerfile) -> bool:
    """Whether the comment block heading ``df`` (before its first instruction) says the
    image is not for production use."""
    first = df.instructions[0].line if df.instructions else len(df.lines) + 1
    text = ' '.join(c.text for c in df.comments if c.line < first)
    return bool(text) and _NEVER_SHIPS.search(text) is not None


def shipped_stages(df: Dockerfile, target: str | None = None) -> set[int]:
    """The indexes of the stages whose layers are in the image that is run."""
    stage = shipped_stage(df, target)
    return {s.index for s in df.chain(stage)} if stage is not None else set()


# --------------------------------------------------------------------------- image purpose

# A Dockerfile whose name says it builds a base or a builder for other images.
BUILDER_WORDS = frozenset(('base', 'builder', 'build', 'deps', 'toolchain', 'buildenv'))
# Commands that start an interactive shell or interpreter: the command of a base image.
BARE_COMMANDS = frozenset((
    'sh', 'bash', 'ash', 'zsh', 'dash', 'python', 'python3', 'python2', 'pypy', 'pypy3',
    'node', 'irb', 'ruby', 'php', 'perl', 'jshell', 'ghci', 'iex', 'erl', 'julia', 'R',
    'pwsh', 'powershell', 'cmd', 'lua', 'tclsh', 'swift', 'clojure', 'groovysh', 'scala',
))
# Commands that compile or build whatever they are given.
BUILD_COMMANDS = frozenset((
    'make', 'gmake', 'cmake', 'ninja', 'meson', 'gcc', 'g++', 'cc', 'c++', 'clang', 'clang++',
    'rustc', 'javac', 'mvn', 'mvnw', 'gradle', 'gradlew', 'sbt', 'bazel', 'bazelisk',
    'dpkg-buildpackage', 'debuild', 'rpmbuild', 'abuild', 'dlv', 'distccd',
))
# Tools that build with one of their subcommands (`go build`, `cargo test`, `dotnet watch`).
BUILD_SUBCOMMANDS = {
    # (`go run`, `cargo run`, `dotnet run` run an application, compiling it first: that
    # compile belongs in a build stage)
    'go': frozenset(('build', 'test', 'install', 'generate', 'vet')),
    'cargo': frozenset(('build', 'test', 'check', 'watch', 'install', 'bench')),
    'dotnet': frozenset(('build', 'test', 'watch', 'publish', 'pack')),
}
_SCRIPT_WORDS = re.compile(r'[^a-z0-9]+')
# Folders of a repository's own engineering tools (CI automation, code generators), run by
# its developers and pipelines, not by users.
TOOL_DIRS = frozenset(('eng', 'tools', 'tooling'))
# Commands that only copy files, print or exit: a job that hands out what the build made.
HAND_OUT_COMMANDS = frozenset((
    'cp', 'rsync', 'tar', 'mv', 'install', 'cat', 'echo', 'printf', 'exit', 'true', 'false',
    'set', 'ls', 'chmod', 'chown', 'mkdir',
))
# Packages of the Docker CLI or engine: an image that drives Docker.
DOCKER_PACKAGES = frozenset((
    'docker-cli', 'docker-ce-cli', 'docker-ce', 'docker.io', 'docker-engine', 'moby-cli',
    'moby-engine', 'docker',
))


def last_instruction(chain: list[Stage], keyword: str) -> Instruction | None:
    """The last ``keyword`` instruction of a stage chain (the final stage first)."""
    for stage in chain:
        for ins in reversed(stage.instructions):
            if ins.keyword == keyword:
                return ins
    return None


def image_command(chain: list[Stage]) -> list[Command] | None:
    """The commands the image runs when started (ENTRYPOINT then CMD, as Docker combines
    them: an ENTRYPOINT in shell form ignores CMD, and one set in a later stage resets the
    CMD of the stage it builds on), None when the file sets neither."""
    entry: Instruction | None = None
    cmd: Instruction | None = None
    for stage in reversed(chain):  # the stage the chain starts from first
        cmd_here = False
        for ins in stage.instructions:
            if ins.keyword == 'CMD':
                cmd, cmd_here = ins, True
            elif ins.keyword == 'ENTRYPOINT':
                entry = ins
                if not cmd_here:
                    cmd = None  # Docker resets a CMD inherited from the base
    if entry is None and cmd is None:
        return None
    if entry is None:
        assert cmd is not None
        return cmd.commands()
    if entry.json is None or cmd is None:
        return entry.commands()
    args = cmd.json if cmd.json is not None else ['/bin/sh', '-c', cmd.args]
    words = entry.json + args
    if len(entry.json) == 1 and 'entrypoint' in posixpath.basename(entry.json[0]):
        words = args  # a setup script that ends by running its arguments
    import shlex

    from dockhooks._shell import split_commands

    return split_commands(' '.join(shlex.quote(w) for w in words))


def builds(command: Command) -> bool:
    """Whether a command compiles or builds (``make``, ``go build``, ``./gradlew``, a script
    named ``build*.sh``, ``dlv debug``)."""
    argv = command.argv
    if not argv:
        return False
    name = posixpath.basename(argv[0])
    if name in BUILD_COMMANDS:
        return True
    if name in BUILD_SUBCOMMANDS:
        return any(not a.startswith('-') and a in BUILD_SUBCOMMANDS[name] for a in argv[1:2])
    # a build script, run directly or through a shell
    for word in argv[:2]:
        base = posixpath.basename(word)
        if base.endswith('.sh') and 'build' in _SCRIPT_WORDS.split(base.lower()):
            return True
    return False


def image_purpose(df: Dockerfile, chain: list[Stage]) -> str:
    """What the image of ``chain`` (final stage first) is for, read from the file:

    * ``'builder'``: the file's name says it builds a base or builder (``Dockerfile.base``,
      ``builder.Dockerfile``);
    * ``'none'``: it sets no command of its own (it runs its base image's, or whatever the
      user of the image gives: a base, toolbox or build environment as far as the file says);
    * ``'base'``: its command is a bare shell or interpreter (``python3``, ``bash``,
      ``docker-entrypoint.sh node``): a base image or a toolbox;
    * ``'build'``: its command compiles (``make``, ``go build``, a ``build*.sh`` script):
      a build environment;
    * ``'tool'``: a tool of the repository's own engineering, not a service: the file lives
      in an ``eng/``, ``tools/`` or ``tooling/`` folder, or the image installs the Docker CLI
      or engine and copies the repository in (a CI automation that rewrites the checkout);
    * ``'job'``: its command only copies files out, prints or exits (``cp /pki/ca.pem
      /out/``, ``printf ... && exit 1``): it hands out what the build made and stops;
    * ``'runtime'``: it runs something else, an application.
    """
    path = df.path.replace('\\', '/')
    name = posixpath.basename(path).lower()
    if BUILDER_WORDS & set(_SCRIPT_WORDS.split(name)):
        return 'builder'
    if TOOL_DIRS.intersection(relative(df.path).lower().split('/')[:-1]):
        return 'tool'
    commands = image_command(chain)
    if commands is None or (len(commands) == 1 and len(commands[0].argv) == 1
                            and 'entrypoint' in posixpath.basename(commands[0].argv[0])
                            and last_instruction(chain, 'CMD') is None):
        return 'none'  # nothing of its own, or a setup script that runs what it is given
    if any(builds(c) for c in commands):
        return 'build'
    if all(c.argv and posixpath.basename(c.argv[0]) in HAND_OUT_COMMANDS
           and '--daemon' not in c.argv for c in commands):  # `rsync --daemon` serves
        return 'job'
    if _drives_docker_on_a_checkout(chain):
        return 'tool'
    if len(commands) == 1 and len(commands[0].argv) == 1 and \
            posixpath.basename(commands[0].argv[0]) in BARE_COMMANDS:
        return 'base'
    return 'runtime'


def _drives_docker_on_a_checkout(chain: list[Stage]) -> bool:
    """Whether the image installs the Docker CLI or engine (a package, or ``COPY --from`` a
    ``docker`` image) and copies the whole build context in (``COPY . /repo``)."""
    from dockhooks._shell import package_ops

    docker = checkout = False
    for stage in chain:
        for ins in stage.instructions:
            if ins.keyword == 'RUN':
                docker = docker or any(
                    op.action == 'install' and DOCKER_PACKAGES & set(ins.package_names(op.packages))
                    for op in package_ops(ins.commands()))
            elif ins.keyword in ('COPY', 'ADD'):
                source = (ins.flag('from') or '').lower()
                words = ins.json if ins.json is not None else ins.args.split()
                if source.split(':')[0].split('@')[0] in ('docker', 'docker.io/library/docker'):
                    docker = True
                elif not source and len(words) == 2 and words[0] in ('.', './'):
                    checkout = True
    return docker and checkout
