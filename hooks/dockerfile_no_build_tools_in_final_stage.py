"""The final stage ships no compiler or build toolchain.

## What it does
Looks at the stages that end up in the shipped image: the final stage (the last one, or
`--target NAME`) and the stages it builds on through `FROM <stage>`. Reports
- a RUN there that installs a compiler or build toolchain through a system package manager
  (apt-get/apt, apk, yum/dnf/microdnf, zypper): `gcc`, `g++`, `clang`, `make`, `cmake`,
  `build-essential`, `build-base`, `musl-dev`, `libc6-dev`, `autoconf`, `automake`,
  `libtool`, `rustc`, `cargo`, `golang`, JDKs, ... (the list is below), unless the same RUN
  removes them again (`apt-get purge --auto-remove`, `apk del` of the `--virtual` group,
  `yum remove`). A plain `apt-get remove` of a Debian metapackage (`build-essential`,
  `gcc`, `g++`, `clang`, `golang`, `default-jdk`, ...) without `--auto-remove` or
  `apt-get autoremove` keeps the compiler it pulled in (`gcc-12`) and is still reported;
- a base image that is a toolchain: `golang`, `rust`, `gcc`, `buildpack-deps`, `maven`,
  `gradle`, JDK images, .NET SDK images, and the full (non `-slim`, non `-alpine`) `python`,
  `node` and `ruby` images, which are built on buildpack-deps and ship gcc (at that FROM).
A build step in those stages is reported too: a JavaScript bundle or app build (`npm run
build`, `yarn build`, `pnpm build`, `npx vite build`, `ng build`, `next build`, `tsc`, ...) or
a Python build (`python -m build`, `pip wheel`, `poetry build`), at its RUN, once for the image
(the other build lines are named), with the devDependencies an earlier `npm ci` / `yarn
install` / `pnpm install` keeps in the image (no `--omit=dev`, `--production` or
`NODE_ENV=production`). The advice is picked from what is built: a frontend that the image
serves as static files (`serve`, `http-server`, `nginx` as its command) is built in a stage
`AS build` and only its output folder copied into `nginx:alpine`; a Node server keeps Node and
installs only its production dependencies (`npm ci --omit=dev`) beside the copied output
(Next.js: `output: 'standalone'`); Python packages are installed into a prefix and copied into
`python:<version>-slim`. The output folder named is one the files show: the package.json
beside the Dockerfile resolves the build script to its tool (`react-scripts` and `frontity`
write `build/`, `vite` and `vue-cli-service` `dist/` unless their config moves it, `ng` the
`outputPath` of angular.json, `tsc` and `nest build` the tsconfig `outDir`, `next` `.next`),
else the folder the command runs (`node build/index.js`); otherwise no path is named. An
image whose command is a development server (`ng serve`, bare `vite`, `react-scripts start`)
or a script the package.json does not define never uses the build: a static build is told to
be served by nginx, and the dev server of a server framework (`next dev`, `nodemon`, an
unresolved `yarn dev`) makes a development image, not judged here. A JDK is told to give way
to a JRE in the final stage (removing it would remove the Java the image runs); the compilers
of `$PHPIZE_DEPS` are not reported on the Debian official `php` images (a `php` base, or a
derived one whose RUNs call `docker-php-ext-*` with apt-get), which keep them for extension
builds. Where the rule already reports the stage (a toolchain base image,
installed compilers), the build step is told in that finding instead, with the same advice
(`go build` in a `golang` image: copy only the binary into distroless/static or alpine), and
where another stage of the file already copies the output (`COPY --from=builder`) it says to
ship that stage. Not reported: a RUN that installs, builds and prunes the devDependencies in
one layer (`npm ci && npm run build && npm prune --omit=dev`) or into a `node_modules` cache
or tmpfs mount (nothing of it reaches a layer); an image whose command is the
build (`CMD npm run build`: a build environment); the ONBUILD triggers of the final stage
itself (they run in images built from it; those of a stage the final stage builds on do run
here); compiled builds (`make`, `go build`) whose compiler the image did not get from its base
image or a package install it keeps (removed in the same RUN, or from a base whose contents
are not known): the file cannot tell.
Build tools are reported where a step of the image builds with them: a later command of
the same RUN or a later RUN that builds or installs what may compile (`make`, `go build`,
`pip install`, `npm ci`, `gem install`, `pecl install`, `docker-php-ext-install`, a
`./configure`); tools no step uses are there for what the image runs (a kernel-module builder,
a benchmark that compiles its programs, a compile server) and are not judged, nor are build
drivers alone (`make`, `cmake`, autotools: they compile nothing themselves). The advice is
one RUN that installs, builds and removes when the builds are in later RUNs; for a toolchain
base image that builds nothing, the runtime variant (`eclipse-temurin:17-jre`,
`python:3.13-slim-bookworm`, `mcr.microsoft.com/dotnet/runtime`).
Builder stages may hold anything: that is what they are for, and so may images that are
not an application's runtime, as the file shows them: an image that sets no `CMD` or
`ENTRYPOINT` (it runs what its user gives it: a base, a toolbox, a toolchain such as the
official `golang`, `rust` or `buildpack-deps` images), one whose command is a bare shell or
interpreter (`python3`, `bash`, `docker-entrypoint.sh node`: the official language images
and toolboxes), one whose command builds (`make`, `go build`, `cargo test`, `./gradlew`,
`dpkg-buildpackage`, `dlv`, a `build*.sh` script: a build environment), and one whose file
name says it is a base or builder for other images (`Dockerfile.base`,
`Dockerfile.sqlite-builder`). Packages named through a
variable whose value cannot be known are not judged. Images that never ship are skipped:
development environments (`.devcontainer/`), test and CI fixtures (`tests/`, `e2e/`,
`Dockerfile.test`) and local development images (`Dockerfile.dev`, `dev/`); see "What
ships" in the README. So are the `curl` and `scm` variants of buildpack-deps, which carry
no compiler.

## Why is this bad?
"If your production image contains a compiler, you haven't finished your multi-stage build."
A toolchain adds hundreds of megabytes, slows every pull and deploy, and hands an attacker
who gets a shell the means to build exploits in place. Runtime images need only what runs
the code.

## Example
```dockerfile
FROM node:20.18-alpine
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
RUN npm run build
CMD ["npx", "http-server", "dist", "-p", "8080"]
```
```dockerfile
FROM python:3.13
RUN apt-get update && apt-get install -y gcc libpq-dev && rm -rf /var/lib/apt/lists/*
COPY requirements.txt .
RUN pip install -r requirements.txt
```

## Use instead
The guide's two patterns. A frontend is built in a `node` stage, and only `/dist` is copied
into a small `nginx:alpine` stage:
```dockerfile
FROM node:20.18-alpine AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci
COPY . .
RUN npm run build

FROM nginx:1.27-alpine
COPY --from=build /app/dist /usr/share/nginx/html
```
A backend installs compilers and dependencies in a build stage, and the installed packages
are copied into a clean `python:slim` stage:
```dockerfile
FROM python:3.13-slim AS build
RUN apt-get update && apt-get install -y --no-install-recommends gcc libpq-dev \\
    && rm -rf /var/lib/apt/lists/*
COPY requirements.txt .
RUN pip install --prefix=/install -r requirements.txt

FROM python:3.13-slim
RUN apt-get update && apt-get install -y --no-install-recommends libpq5 \\
    && rm -rf /var/lib/apt/lists/*
COPY --from=build /install /usr/local
```

## Options
- `--target STAGE`: the shipped stage, when it is not the last.
- `--extra-build-tools NAMES` / `--allowed-build-tools NAMES`: add packages to, or take
  them off, the build-tool list (globs allowed, e.g. `gcc-*`).
- `--extra-toolchain-images GLOBS` / `--allowed-toolchain-images GLOBS`: the same for base
  images (matched against the image without its tag, e.g. `myorg/builder`).
"""
from __future__ import annotations

import fnmatch
import posixpath
from collections.abc import Iterator
from collections.abc import Sequence
from types import SimpleNamespace

from dockhooks._dockerfile import Dockerfile
from dockhooks._dockerfile import Instruction
from dockhooks._findings import Problem
from dockhooks._hook import run_hook
from dockhooks._images import parse_image
from dockhooks._records import TYPE_CHECKING
from dockhooks._records import NamedTuple
from dockhooks._roles import dockerfile_ships
from dockhooks._roles import image_purpose
from dockhooks._roles import shipped_stage

if TYPE_CHECKING:
    from dockhooks._dockerfile import Stage
    from dockhooks._shell import Command

CODE = 'DH104'
ID = 'dockerfile-no-build-tools-in-final-stage'
SUMMARY = 'the final stage ships no compiler or build toolchain; build in an earlier stage'
SEVERITY = 'error'
OPTIONS = ('target', 'extra-build-tools', 'allowed-build-tools', 'extra-toolchain-images',
           'allowed-toolchain-images')

BUILD_TOOLS = (
    'gcc', 'gcc-[0-9]*', 'g++', 'g++-[0-9]*', 'gcc-c++', 'cpp', 'clang', 'clang-[0-9]*',
    'llvm', 'make', 'cmake', 'ninja-build', 'meson', 'build-essential', 'build-base',
    'musl-dev', 'libc6-dev', 'libc-dev', 'glibc-devel', 'autoconf', 'automake', 'libtool',
    'gfortran', 'rustc', 'cargo', 'rust', 'golang', 'golang-go', 'golang-[0-9]*', 'go',
    'default-jdk', 'default-jdk-headless', 'openjdk-*-jdk', 'openjdk-*-jdk-headless',
    'openjdk[0-9]*', 'java-*-openjdk-devel', 'maven', 'gradle', 'dotnet-sdk-*',
    '@development-tools', 'development-tools',
)
SYSTEM_MANAGERS = frozenset(('apt-get', 'apk', 'yum', 'zypper'))
# Debian/Ubuntu packages whose compiler lives in the packages they depend on (gcc -> gcc-12,
# build-essential -> gcc, g++, make): removing them without autoremove keeps the compiler.
APT_METAPACKAGES = (
    'build-essential', 'gcc', 'g++', 'cpp', 'clang', 'llvm', 'gfortran', 'golang',
    'golang-go', 'default-jdk', 'default-jdk-headless',
)
# Base images that are toolchains whatever their tag.
TOOLCHAIN_IMAGES = (
    'golang', 'rust', 'gcc', 'buildpack-deps', 'maven', 'gradle', 'openjdk', 'amazoncorretto',
    'sapmachine', 'java', 'mcr.microsoft.com/dotnet/sdk', 'microsoft/dotnet', 'haskell', 'swift',
    'clojure', 'elixir', 'erlang', 'l.gcr.io/google/bazel', 'gcr.io/bazel-public/bazel',
    'ocaml/opam', 'dart', 'crystallang/crystal', 'nimlang/nim',
)
# A build command of each toolchain image: what a RUN of an image FROM it builds with (the
# rule tells "nothing in the image is built with it" only when no RUN runs one of the kind;
# a test checks that every toolchain image has its commands recognised).
TOOLCHAIN_BUILDS = {
    'golang': 'go build', 'rust': 'cargo build', 'gcc': 'gcc -o app main.c',
    'buildpack-deps': 'make', 'maven': 'mvn package', 'gradle': 'gradle build',
    'openjdk': 'javac Main.java', 'amazoncorretto': './gradlew build',
    'sapmachine': './mvnw package', 'java': 'javac Main.java',
    'mcr.microsoft.com/dotnet/sdk': 'dotnet publish', 'microsoft/dotnet': 'dotnet build',
    'haskell': 'cabal install', 'swift': 'swift build', 'clojure': 'lein uberjar',
    'elixir': 'mix release', 'erlang': 'rebar3 release',
    'l.gcr.io/google/bazel': 'bazel build //...', 'gcr.io/bazel-public/bazel': 'bazel build',
    'ocaml/opam': 'opam install .', 'dart': 'dart compile exe bin/main.dart',
    'crystallang/crystal': 'crystal build src/app.cr', 'nimlang/nim': 'nimble build',
}
# The official php images (Debian variants) keep $PHPIZE_DEPS installed so that
# docker-php-ext-install works: installing these there adds nothing, and removing them breaks
# the extension builds (the Alpine variants install and remove them per build: not these).
PHPIZE_DEPS = ('autoconf', 'dpkg-dev', 'file', 'g++', 'gcc', 'libc-dev', 'libc6-dev', 'make',
               'pkg-config', 're2c', 'cpp')
# JDK packages: a Java image runs on what they hold, so the fix is a JRE, never a removal
JDK_PACKAGES = ('default-jdk', 'default-jdk-headless', 'openjdk-*-jdk', 'openjdk-*-jdk-headless',
                'openjdk[0-9]*', 'java-*-openjdk-devel')
# Images whose full variants are built on buildpack-deps (gcc, make, headers): only their
# slim and alpine variants are runtime images.
FULL_IMAGES = ('python', 'node', 'ruby', 'perl', 'pypy')
_RUNTIME_WORDS = ('slim', 'alpine', 'jre', 'distroless', 'runtime', 'aspnet', 'chiseled')


def _image_key(image: str) -> str:
    ref = parse_image(image)
    name = ref.name[len('library/'):] if ref.name.startswith('library/') else ref.name
    if ref.registry in (None, 'docker.io', 'index.docker.io'):
        return name
    return f'{ref.registry}/{name}'


def toolchain_image(image: str, extra: Sequence[str], allowed: Sequence[str]) -> str | None:
    """Why ``image`` is a toolchain image, or None."""
    key = _image_key(image)
    tag = (parse_image(image).tag or 'latest').lower()
    if any(fnmatch.fnmatchcase(key, g) for g in allowed):
        return None
    if any(fnmatch.fnmatchcase(key, g) for g in extra):
        return 'is a build toolchain image'
    runtime_tag = any(w in tag for w in _RUNTIME_WORDS)
    if key == 'buildpack-deps' and ('curl' in tag or 'scm' in tag):
        return None  # the curl and scm variants carry no compiler
    if key in TOOLCHAIN_IMAGES:
        if key in ('openjdk', 'amazoncorretto', 'sapmachine', 'java') and 'jre' in tag:
            return None
        return 'is a build toolchain image'
    if key == 'eclipse-temurin' and 'jre' not in tag:
        return 'is a JDK image (javac included)'
    if key in FULL_IMAGES and not runtime_tag:
        return 'is the full image, built on buildpack-deps with gcc and make'
    return None


def _matches(name: str, patterns: Sequence[str]) -> bool:
    return any(fnmatch.fnmatchcase(name, p) for p in patterns)


def _option_value(options: Sequence[str], names: Sequence[str]) -> str | None:
    """The value of the last of ``names`` in ``options`` (``--opt VALUE`` or
    ``--opt=VALUE``)."""
    found = None
    for k, opt in enumerate(options):
        name, eq, value = opt.partition('=')
        if name in names:
            if eq:
                found = value
            elif k + 1 < len(options):
                found = options[k + 1]
    return found


def installed_build_tools(ins: Instruction, tools: Sequence[str],
                          allowed: Sequence[str]) -> list[str]:
    """Build tools a RUN installs with a system package manager and does not remove."""
    return _installed(ins, tools, allowed)[0]


def _installed(ins: Instruction, tools: Sequence[str],
               allowed: Sequence[str]) -> tuple[list[str], bool]:
    """(build tools left installed, whether one of them was removed without autoremove)."""
    from dockhooks._shell import package_ops

    ops = package_ops(ins.commands())
    found: list[str] = []
    manager_of: dict[str, str] = {}
    removed: dict[str, bool] = {}  # package or apk group -> removed with autoremove (apt)
    virtual: dict[str, str] = {}  # package -> apk --virtual group it was installed in
    marked_auto = any(c.argv[:2] == ('apt-mark', 'auto') for c in ins.commands())
    purge_all = False
    autoremove = False
    for op in ops:
        if op.manager not in SYSTEM_MANAGERS:
            continue
        if op.action == 'install':
            group = None
            if op.manager == 'apk':
                group = _option_value(op.options, ('--virtual', '-t'))
            for name in ins.package_names(op.packages):
                if 'jre' not in name and _matches(name, tools) \
                        and not _matches(name, allowed) \
                        and name not in found:
                    found.append(name)
                    manager_of[name] = op.manager
                    if group:
                        virtual[name] = group
        elif op.action == 'remove':
            auto = op.manager == 'apt-get' and (
                '--auto-remove' in op.options or '--autoremove' in op.options
                or any(w in ('autoremove', 'autopurge') for w in op.command.argv[1:]))
            autoremove = autoremove or auto
            purge_all = purge_all or (auto and marked_auto)
            for name in ins.package_names(op.packages):
                removed[name] = removed.get(name, False) or auto

    left: list[str] = []
    half_removed = False
    for name in found:
        key = virtual.get(name, name)
        if purge_all or key not in removed:
            if not purge_all:
                left.append(name)
            continue
        # `apt-get remove gcc` leaves gcc-12, which the gcc package only depends on: a
        # metapackage is gone with what it pulled in only when autoremove runs too
        if manager_of[name] == 'apt-get' and _matches(name, APT_METAPACKAGES) \
                and not (removed[key] or autoremove):
            left.append(name)
            half_removed = True
    return left, half_removed


# Tools that drive a build but compile nothing themselves: alone they are no compiler (make
# also runs certificate and configuration Makefiles at run time).
DRIVERS = ('make', 'cmake', 'ninja-build', 'meson', 'autoconf', 'automake', 'libtool')
# Commands that compile what they install (native extensions, modules), besides the build
# commands every rule knows (`_roles.BUILD_COMMANDS`: make, gcc, go build ...).
COMPILING = frozenset((
    'pecl', 'docker-php-ext-install', 'phpize', 'configure', 'node-gyp', 'cpanm', 'cpan',
    'dkms', 'python-build', 'pyenv', 'R', 'ghc', 'erlc', 'elixirc', 'swiftc', 'ocamlopt',
    'ocamlfind',
))
# Toolchain commands that compile with one of their subcommands (None: any run compiles)
COMPILING_SUBCOMMANDS: dict[str, frozenset[str] | None] = {
    'cabal': frozenset(('install', 'build', 'v1-install', 'v1-build', 'v2-install',
                        'v2-build', 'new-install', 'new-build')),
    'stack': frozenset(('build', 'install')),
    'mix': frozenset(('compile', 'release', 'deps.compile', 'escript.build')),
    'rebar3': frozenset(('compile', 'release', 'tar', 'escriptize', 'as')),
    'swift': frozenset(('build',)), 'lein': frozenset(('uberjar', 'jar', 'compile', 'install')),
    'clojure': None, 'clj': None, 'dune': frozenset(('build', 'install')),
    'opam': frozenset(('install',)), 'dart': frozenset(('compile',)),
    'zig': frozenset(('build', 'build-exe')), 'crystal': frozenset(('build',)),
    'nimble': frozenset(('build', 'install')), 'nim': frozenset(('c', 'compile', 'cpp')),
}
_COMPILING_MANAGERS = frozenset(('pip', 'uv', 'poetry', 'pipenv', 'npm', 'yarn', 'pnpm',
                                 'bundle', 'gem', 'cargo', 'go'))


def _compiles(command: Command) -> bool:
    """Whether a command builds or installs something that may compile (pip, npm, gem,
    pecl, docker-php-ext-install ...)."""
    from dockhooks._roles import builds
    from dockhooks._shell import package_ops

    if builds(command):
        return True
    argv = command.argv
    if argv and posixpath.basename(argv[0]) in COMPILING:
        return True
    name = posixpath.basename(argv[0]) if argv else ''
    if name in COMPILING_SUBCOMMANDS:
        subcommands = COMPILING_SUBCOMMANDS[name]
        words = [a for a in argv[1:] if not a.startswith('-')]
        if subcommands is None and any(a.startswith('-T') for a in argv[1:]):
            return True  # clojure -T:build uber
        return subcommands is not None and bool(words) and words[0] in subcommands
    return any(op.manager in _COMPILING_MANAGERS
               and op.action in ('install', 'ci', 'sync', 'get') for op in package_ops([command]))


def _build_lines(chain: list[Stage], after: Instruction) -> list[int]:
    """The lines of the RUNs of the shipped chain, from ``after`` on, that build or compile
    (in ``after`` itself, only the commands after its install)."""
    lines: list[int] = []
    started = False
    for stage in reversed(chain):
        for ins in stage.instructions:
            if ins is after:
                started = True
            if not started or ins.keyword != 'RUN':
                continue
            commands = ins.commands()
            if ins is after:
                from dockhooks._shell import package_ops

                installs = [op.command for op in package_ops(commands)
                            if op.manager in SYSTEM_MANAGERS and op.action == 'install']
                last = max((commands.index(c) for c in installs if c in commands), default=-1)
                commands = commands[last + 1:]
            if any(_compiles(c) for c in commands):
                lines.append(ins.line)
    return lines


def _compiles_when_run(chain: list[Stage]) -> bool:
    """Whether the image's command compiles the code it runs (``go run``, ``cargo run``,
    ``dotnet run``): the compile belongs in a build stage."""
    from dockhooks._roles import image_command

    return any(len(c.argv) >= 2 and posixpath.basename(c.argv[0]) in ('go', 'cargo', 'dotnet')
               and c.argv[1] == 'run' for c in image_command(chain) or [])


def _runtime_variant(image: str) -> str:
    """What to run on instead of a toolchain image."""
    ref = parse_image(image)
    tag = ref.tag or ''
    key = _image_key(image)
    if key in ('openjdk', 'java') and tag[:1].isdigit():
        # the deprecated openjdk image published JRE tags only for 8 and 11 (alpine only for
        # 8: openjdk:11-jre-alpine never existed); Eclipse Temurin has them all, alpine too
        major = tag.partition('-')[0].partition('.')[0].partition('u')[0]
        return f'eclipse-temurin:{major}-jre' + ('-alpine' if 'alpine' in tag else '')
    if key == 'mcr.microsoft.com/dotnet/sdk' and tag:
        return f'mcr.microsoft.com/dotnet/runtime:{tag} (aspnet:{tag} for a web app)'
    if key in ('openjdk', 'eclipse-temurin', 'sapmachine', 'java') and tag[:1].isdigit():
        if 'jdk' in tag:
            return f'{key}:{tag.replace("jdk", "jre", 1)}'
        version, _, rest = tag.partition('-')  # eclipse-temurin:17 -> 17-jre, 8-alpine
        return f'{key}:{version}-jre' + (f'-{rest}' if rest else '')
    if key in FULL_IMAGES and not any(w in tag for w in _RUNTIME_WORDS):
        if not tag or not tag[0].isdigit():
            return f'{key}:<version>-slim'
        if key == 'node':  # node:22-slim, node:22-bookworm-slim
            return f'{key}:{tag}-slim'
        version, _, release = tag.partition('-')  # python:3.13-slim-bookworm
        return f'{key}:{version}-slim' + (f'-{release}' if release else '')
    return 'a runtime image (a -slim, -alpine, jre or distroless variant)'


# --------------------------------------------------------------------------- build steps

# JavaScript build tools, run directly, through npx/`npm exec` or node_modules/.bin, with the
# subcommands that build (None: any run of the tool builds, but --version, --help or --noEmit)
JS_TOOLS: dict[str, frozenset[str] | None] = {
    'vite': frozenset(('build',)), 'ng': frozenset(('build',)), 'next': frozenset(('build',)),
    'nuxt': frozenset(('build', 'generate')), 'nuxi': frozenset(('build', 'generate')),
    'react-scripts': frozenset(('build',)), 'vue-cli-service': frozenset(('build',)),
    'gatsby': frozenset(('build',)), 'astro': frozenset(('build',)),
    'parcel': frozenset(('build',)), 'remix': frozenset(('build',)),
    'svelte-kit': frozenset(('build',)), 'ember': frozenset(('build',)),
    'craco': frozenset(('build',)), 'docusaurus': frozenset(('build',)),
    'vitepress': frozenset(('build',)), 'nest': frozenset(('build',)),
    'frontity': frozenset(('build',)), 'tsc': None, 'webpack': None, 'rollup': None,
    'esbuild': None,
}
# Monorepo runners: they build where a word of a task they are given says so
_JS_TASK_RUNNERS = frozenset(('turbo', 'nx', 'lerna'))
_JS_MANAGERS = frozenset(('npm', 'yarn', 'yarnpkg', 'pnpm', 'bun'))
_JS_EXECS = frozenset(('npx', 'bunx', 'pnpx'))
# A script name that says it builds (`build`, `build:prod`, `compile`)
_BUILD_SCRIPT_WORDS = frozenset(('build', 'compile'))
_NOT_A_BUILD = frozenset(('--version', '-v', '--help', '-h', '--noEmit', '--watch', '-w'))
# Servers that serve a folder of static files, and static-server base images
STATIC_SERVERS = frozenset((
    'serve', 'http-server', 'nginx', 'caddy', 'httpd', 'httpd-foreground', 'lighttpd',
    'live-server', 'static-server', 'sirv', 'busybox',
))
# What each kind of build is called, what it leaves to keep, and where to run it instead
_KINDS = {
    'go': ('builds the Go binary', 'the binary',
           'gcr.io/distroless/static-debian12 or alpine:<version> (a static binary: '
           'CGO_ENABLED=0 go build)'),
    'rust': ('builds the Rust binary', 'the binary',
             'gcr.io/distroless/cc-debian12 or debian:bookworm-slim'),
    'java': ('builds the Java application', 'the built jar or distribution',
             'eclipse-temurin:<version>-jre'),
    'dotnet': ('builds the .NET application', 'the dotnet publish output',
               'mcr.microsoft.com/dotnet/aspnet:<version> (runtime:<version> for a console '
               'app)'),
    'python': ('builds Python packages', 'the installed packages (pip install '
               '--prefix=/install, then COPY --from=build /install /usr/local)',
               'python:<version>-slim'),
}


def _words(text: str) -> set[str]:
    import re

    return set(re.split(r'[^a-z0-9]+', text.lower()))


def _js_tool_builds(argv: Sequence[str]) -> bool:
    """Whether ``argv`` (a JS tool and its arguments) runs a build."""
    name = posixpath.basename(argv[0])
    if name in _JS_TASK_RUNNERS:
        return any(not a.startswith('-') and _BUILD_SCRIPT_WORDS & _words(a) for a in argv[1:])
    if name not in JS_TOOLS:
        return False
    subcommands = JS_TOOLS[name]
    if subcommands is None:
        return not _NOT_A_BUILD.intersection(argv[1:])
    return len(argv) > 1 and argv[1] in subcommands


def js_build(command: Command) -> bool:
    """Whether a command builds a JavaScript bundle or app: a package script named for a
    build (``npm run build``, ``yarn build:prod``, ``pnpm --filter web build``, ``bun run
    build``) or a build tool (``vite build``, ``npx ng build``, ``tsc``, ``next build``)."""
    argv = list(command.argv)
    if not argv:
        return False
    name = posixpath.basename(argv[0])
    if name in _JS_EXECS:
        rest = [a for a in argv[1:] if not a.startswith('-')]
        return bool(rest) and _js_tool_builds(rest)
    if name in _JS_MANAGERS:
        from dockhooks._shell import package_ops

        ops = package_ops([command])
        if ops:
            words = [ops[0].action, *ops[0].packages]
        else:  # bun: no package manager of _shell
            words = [a for a in argv[1:] if not a.startswith('-')]
        if words[:1] == ['workspace'] and len(words) > 2:
            words = words[2:]  # yarn workspace NAME SCRIPT
        if words[:1] in (['exec'], ['dlx'], ['x']):
            # `npm exec -- vite build`: the tool's words follow `--`
            rest = words[1:] or [a for a in argv[argv.index(words[0]) + 1:]
                                 if not a.startswith('-')]
            return bool(rest) and _js_tool_builds(rest)
        if words[:1] in (['run'], ['run-script'], ['rum'], ['urn']):
            words = words[1:]
        elif name == 'npm':
            return False  # `npm build` is no script: npm's own (old) rebuild
        return bool(words) and bool(_BUILD_SCRIPT_WORDS & _words(words[0]))
    return _js_tool_builds(argv)  # vite build, node_modules/.bin/tsc


def python_build(command: Command) -> bool:
    """Whether a command builds Python wheels or distributions (``python -m build``, ``pip
    wheel``, ``poetry build``, ``uv build``)."""
    from dockhooks._shell import package_ops

    argv = command.argv
    if not argv:
        return False
    name = posixpath.basename(argv[0])
    if name.startswith('python') and 'build' in argv[1:3] and \
            argv[argv.index('build') - 1] == '-m':
        return True
    if name in ('hatch', 'flit', 'pdm') and argv[1:2] == ('build',):
        return True
    return any((op.manager == 'pip' and op.action == 'wheel')
               or (op.manager in ('poetry', 'uv') and op.action == 'build')
               for op in package_ops([command]))


def compiled_kind(command: Command) -> str | None:
    """The language a compiled build of ``command`` is for (``go build`` -> go), or None."""
    from dockhooks._roles import builds

    argv = command.argv
    if not argv or not builds(command):
        return None
    name = posixpath.basename(argv[0])
    if name in ('go', 'cargo', 'dotnet'):
        return {'go': 'go', 'cargo': 'rust', 'dotnet': 'dotnet'}[name]
    if name in ('mvn', 'mvnw', 'gradle', 'gradlew', 'sbt', 'javac'):
        return 'java'
    return None  # make, cmake, gcc, a build script: what they build is not known here


class Step(NamedTuple):
    """A build step of the shipped image."""

    ins: Instruction   # where it is reported: its RUN, or the ONBUILD of a parent stage
    kind: str          # 'js', 'python', 'go', 'rust', 'java', 'dotnet'
    text: str          # the command as written
    stage: Stage       # the stage it runs in
    output: Output | None = None  # what a JavaScript build makes (js_output)


def _runs(chain: list[Stage]) -> Iterator[tuple[Instruction, Instruction, Stage]]:
    """(reported instruction, RUN, stage it runs in) of the shipped chain in build order: the
    ONBUILD RUN triggers of a stage run when a later stage builds FROM it (BuildKit runs the
    triggers of a stage of the same file as it does an image's), before that stage's own."""
    for k, stage in enumerate(reversed(chain)):
        if k:
            parent = chain[len(chain) - k]
            for ins in parent.instructions:
                if ins.keyword == 'ONBUILD' and ins.trigger is not None and \
                        ins.trigger.keyword == 'RUN':
                    yield ins, ins.trigger, stage
        for ins in stage.instructions:
            if ins.keyword == 'RUN':
                yield ins, ins, stage


def build_steps(df: Dockerfile, chain: list[Stage]) -> list[Step]:
    """The build steps of the shipped chain, in build order: JavaScript and Python builds,
    and compiled builds of a known language. A JavaScript build is left out where the same
    RUN installed the dependencies before it and prunes them after it (``npm ci && npm run
    build && npm prune --omit=dev``) or keeps ``node_modules`` in a cache or tmpfs mount: that
    layer holds no devDependencies; and so is one of a development image (its command is a
    dev server, see :func:`js_output`)."""
    steps: list[Step] = []
    for at, ins, stage in _runs(chain):
        commands = ins.commands()
        for k, command in enumerate(commands):
            kind = 'js' if js_build(command) else 'python' if python_build(command) else \
                compiled_kind(command)
            if kind is None:
                continue
            pruned = _pruned_after(commands, k) and _installs_before(commands, k)
            if kind == 'js' and (pruned or _modules_mounted(ins, chain)):
                break
            step = Step(at, kind, command.text, stage)
            if kind == 'js':
                output = js_output(df, chain, step)
                if output is None:
                    break  # a development image: its command never uses the build
                step = step._replace(output=output)
            steps.append(step)
            break
    return steps


def _modules_mounted(ins: Instruction, chain: list[Stage]) -> bool:
    """Whether the RUN keeps ``node_modules`` in a cache or tmpfs mount: what it installs
    there never reaches a layer of the image."""
    workdir = _workdir(chain, ins)
    for mount in ins.mounts():
        target = mount.get('target') or mount.get('dst') or mount.get('destination') or ''
        if mount.get('type') in ('cache', 'tmpfs') and \
                posixpath.basename(target.rstrip('/')) == 'node_modules' and \
                posixpath.normpath(posixpath.join(workdir, target)) == \
                posixpath.join(workdir, 'node_modules'):
            return True
    return False


def _prunes(command: Command) -> bool:
    argv = command.argv
    if not argv:
        return False
    if posixpath.basename(argv[0]) == 'rm' and any(
            posixpath.basename(a.rstrip('/')) == 'node_modules' for a in argv[1:]):
        return True
    install = dev_install(command)
    if install is None and posixpath.basename(argv[0]) in ('npm', 'pnpm', 'yarn', 'bun') and \
            'prune' in argv[1:3]:
        return _production(command, argv)
    return install is False


def _pruned_after(commands: list[Command], k: int) -> bool:
    return any(_prunes(c) for c in commands[k + 1:])


def _installs_before(commands: list[Command], k: int) -> bool:
    return any(dev_install(c) is not None for c in commands[:k])


_PRODUCTION_OPTIONS = frozenset((
    '--production', '--prod', '-P', '--omit=dev', '--only=prod', '--only=production',
    '--production=true', '--no-dev',
))


def _production(command: Command, options: Sequence[str]) -> bool:
    """Whether the install leaves development dependencies out."""
    opts = list(options)
    if _PRODUCTION_OPTIONS.intersection(opts):
        return True
    if any(o == '--omit' and v == 'dev' for o, v in zip(opts, opts[1:])):
        return True
    return 'NODE_ENV=production' in command.text.split()


def dev_install(command: Command, env: str | None = None) -> bool | None:
    """For a JavaScript dependency install of the project's manifest (``npm ci``, ``npm
    install``, ``yarn``, ``pnpm install``, ``bun install``): True when it installs the
    devDependencies too, False when it leaves them out (``--omit=dev``, ``--production``,
    ``NODE_ENV=production`` in ``env`` or the command); None for any other command."""
    argv = command.argv
    if not argv:
        return None
    name = posixpath.basename(argv[0])
    if name == 'bun':
        words = [a for a in argv[1:] if not a.startswith('-')]
        if words not in ([], ['install'], ['i']):
            return None
        options: Sequence[str] = [a for a in argv[1:] if a.startswith('-')]
    else:
        from dockhooks._shell import package_ops

        ops = [op for op in package_ops([command]) if op.manager in ('npm', 'yarn', 'pnpm')
               and op.action in ('install', 'ci') and not op.packages]
        if not ops or any(o in ('-g', '--global') for o in ops[0].options):
            return None
        options = ops[0].options
    if env == 'production' or _production(command, options):
        return False
    return True


def _workdir(chain: list[Stage], upto: Instruction) -> str:
    """The WORKDIR a RUN of the chain runs in (``/`` before any)."""
    folder = '/'
    for stage in reversed(chain):
        for ins in stage.instructions:
            if ins is upto:
                return folder
            if ins.keyword == 'WORKDIR' and ins.args:
                value = ins.resolve(ins.args.strip())
                if value is None:
                    return '<workdir>'
                folder = posixpath.normpath(posixpath.join(folder, value))
    return folder


def _served_folder(chain: list[Stage]) -> str | None:
    """The folder the image's command serves as static files (``serve -s build`` -> build,
    ``http-server dist``), '' for a static server whose folder is not named; None when the
    command is no static server."""
    from dockhooks._roles import image_command

    for command in image_command(chain) or []:
        argv = list(command.argv)
        while argv and posixpath.basename(argv[0]) in _JS_EXECS | {'npm', 'exec'}:
            argv = [a for a in argv[1:] if a not in ('exec', '--yes', '-y', '--')]
        if argv and posixpath.basename(argv[0]).startswith('python') and \
                argv[1:3] == ['-m', 'http.server']:
            return _option_value(argv, ('--directory', '-d')) or ''
        if not argv or posixpath.basename(argv[0]) not in STATIC_SERVERS:
            continue
        if posixpath.basename(argv[0]) == 'busybox' and 'httpd' not in argv[1:2]:
            continue
        skip = False
        for a in argv[1:]:
            if skip:
                skip = False
            elif a in ('-p', '-l', '--port', '--listen', '-a', '--address', '-c', '-g'):
                skip = True
            elif not a.startswith('-') and not a.isdigit() and '=' not in a \
                    and ':' not in a and a != 'httpd':
                return a.rstrip('/')
        return ''
    return None


def _js_manager(chain: list[Stage], step: Step) -> str:
    """npm, yarn, pnpm or bun: the one the step or the image's installs use."""
    for _, ins, _ in _runs(chain):
        for command in ins.commands():
            if command.argv and posixpath.basename(command.argv[0]) in _JS_MANAGERS \
                    and dev_install(command) is not None:
                return posixpath.basename(command.argv[0]).replace('yarnpkg', 'yarn')
    word = step.text.split()[0] if step.text.split() else 'npm'
    return word if word in ('yarn', 'pnpm', 'bun') else 'npm'


_PROD_INSTALL = {'npm': 'npm ci --omit=dev', 'yarn': 'yarn install --production',
                 'pnpm': 'pnpm install --prod', 'bun': 'bun install --production'}


def _dev_deps(chain: list[Stage], step: Step) -> tuple[Instruction, str] | None:
    """The install of devDependencies the shipped image keeps before ``step``: (its RUN, the
    command), None when there is none (or it leaves them out)."""
    found: tuple[Instruction, str] | None = None
    for at, ins, _ in _runs(chain):
        env = ins.scope.get('NODE_ENV')
        for command in ins.commands():
            if js_build(command) and at is step.ins:
                return found
            installs = dev_install(command, env)
            if installs:
                found = (at, command.text)
            elif installs is False or _prunes(command):
                found = None
    return found


def _build_base(chain: list[Stage]) -> str:
    root = chain[-1]
    return root.image if root.image and '$' not in root.image else root.raw_image


def pattern(step: Step, chain: list[Stage], runtime: str | None = None) -> str:
    """What to write instead of ``step`` in a shipped stage: the build in a stage of its own,
    and only its output copied into a runtime image picked from what it builds."""
    base = _build_base(chain)
    if step.kind != 'js':
        _, kept, into = _KINDS[step.kind]
        if step.kind == 'python':
            return (f'build in a stage `FROM {base} AS build` (compilers there), install into '
                    f'a prefix (pip install --prefix=/install) and COPY --from=build /install '
                    f'/usr/local into FROM {runtime or _language_runtime(base, "python")}')
        return (f'build in a stage `FROM {base} AS build` and COPY --from=build only {kept} '
                f'into {runtime or into}')
    workdir = _workdir(chain, step.ins)
    output = step.output or Output(None, False, False, None)
    served = _served_folder(chain)
    if served is not None or output.static:
        folder = served if served and not served.startswith('/') else output.folder
        copy = f'only {posixpath.join(workdir, folder)}' if folder else \
            "only the build's output folder"
        return (f'build in a stage `FROM {base} AS build` and COPY --from=build {copy} into a '
                f'static server: FROM nginx:<version>-alpine (the files go to '
                f'/usr/share/nginx/html)')
    manager = _js_manager(chain, step)
    node = _language_runtime(base, 'node')
    if output.nextjs:  # .next needs the whole project beside it, unless standalone
        copy = ("the standalone output (Next.js: set output: 'standalone' in next.config, "
                "then copy .next/standalone, .next/static and public)")
    elif output.folder:
        copy = f'only the built output ({posixpath.join(workdir, output.folder)}/)'
    else:
        copy = "only the build's output folder"
    return (f'build in a stage `FROM {base} AS build`, then in a runtime stage FROM {node} '
            f'install only the production dependencies ({_PROD_INSTALL[manager]}) and COPY '
            f'--from=build {copy}')


def _command_words(chain: list[Stage]) -> set[str]:
    from dockhooks._roles import image_command

    return {w for c in image_command(chain) or [] for a in c.argv for w in _words(a)}


def _language_runtime(base: str, key: str) -> str:
    """The runtime image of ``key`` (node, python) to name beside the build stage's ``base``:
    the base itself when it is a runtime variant of it (``node:20-alpine``), else its runtime
    variant, else ``KEY:<version>-slim``."""
    ref = parse_image(base)
    if _image_key(base) != key:
        return f'{key}:<version>-{"alpine" if key == "node" else "slim"}'
    if ref.tag and any(w in ref.tag for w in _RUNTIME_WORDS):
        return base
    return _runtime_variant(base)


def _where(step: Step, chain: list[Stage]) -> str:
    if step.stage is chain[0]:
        return 'the final stage'
    name = step.stage.alias or str(step.stage.index)
    return f'stage {name} (the final stage builds on it)'


def step_problem(step: Step, chain: list[Stage], others: list[Step]) -> Problem:
    """The finding of a JavaScript or Python build in a shipped stage that nothing else
    reports."""
    return Problem(step.ins.line, step.ins.col,
                   f'{_what(step, chain, others)}; {pattern(step, chain)}')


def _did(step: Step, chain: list[Stage], others: list[Step]) -> str:
    """What the step builds, where else the image builds, and the devDependencies installed
    for it: ``builds the app (`npm run build`, and on line 9) after installing ...``."""
    more = [str(s.ins.line) for s in others if s.ins.line != step.ins.line]
    also = '' if not more else \
        f', and on line{"s" if len(more) > 1 else ""} {", ".join(more)}'
    if step.kind == 'js':
        static = _served_folder(chain) is not None or bool(step.output and step.output.static)
        what = 'the frontend' if static else 'the app'
        dev = _dev_deps(chain, step)
        deps = '' if dev is None else \
            f' after installing the devDependencies (`{dev[1]}`, line {dev[0].line})'
        unused = '' if step.output is None or step.output.dev is None else \
            f', but {step.output.dev}'
        return f'builds {what} (`{step.text}`{also}){deps}{unused}'
    return f'{_KINDS[step.kind][0]} (`{step.text}`{also})'


def _what(step: Step, chain: list[Stage], others: list[Step]) -> str:
    """What the step does there and what the image ships for it."""
    did = f'{_where(step, chain)} {_did(step, chain, others)}'
    if step.kind == 'python':
        return f'{did} and ships the sources and what built them'
    dev = _dev_deps(chain, step) is not None
    shipped = 'the sources and ' + ('the devDependencies' if dev else 'the build tooling')
    if step.output is not None and step.output.dev is not None:
        return (f'{did}, and the image ships Node, {shipped} where the built files alone '
                f'would do')
    if _served_folder(chain) is not None:
        return f'{did}, so the image ships Node, {shipped} to serve static files'
    return f'{did}, so the image ships {shipped} beside the built output'


def check(df: Dockerfile, opts: SimpleNamespace) -> Iterator[Problem]:
    if not dockerfile_ships(df, opts.target):
        return  # a devcontainer, test fixture or dev image: toolchains belong there
    final = shipped_stage(df, opts.target)
    if final is None:
        return
    tools = BUILD_TOOLS + tuple(opts.extra_build_tools)
    chain = df.chain(final)
    if image_purpose(df, chain) != 'runtime' or _builds_when_run(chain):
        return  # a base, toolbox or build environment: the toolchain is its job
    steps = build_steps(df, chain)
    found: list[Problem] = []
    php_debian = _php_debian(chain)
    root = chain[-1]
    if root.image is not None and '$' not in root.image:
        why = toolchain_image(root.image, opts.extra_toolchain_images,
                              opts.allowed_toolchain_images)
        if why:
            inherited = '' if root is final else ', and the final stage builds on it'
            runtime = _runtime_variant(root.image)
            into = f'{"FROM " + runtime if ":" in runtime else runtime}'
            copier = _copied_out(df, chain)
            if steps and copier is not None:  # the file has the runtime stage already
                step = steps[0]
                fix = (f'the RUN on line {step.ins.line} {_did(step, chain, steps)}, and the '
                       f'stage on line {copier[0].from_.line} already copies only its output '
                       f'(COPY --from={copier[1]}, line {copier[2]}): ship that stage instead')
            elif steps:  # what it builds says what to keep and where to run it
                step = steps[0]
                fix = (f'the RUN on line {step.ins.line} {_did(step, chain, steps)}: '
                       f'{pattern(step, chain, _kind_runtime(step, runtime))}')
            elif _build_lines(chain, root.from_) or _compiles_when_run(chain):
                fix = f'build in a stage of its own and COPY --from it into {into}'
            else:  # nothing is built here: the runtime image is the whole fix
                fix = f'nothing in the image is built with it: run on {into} instead'
            found.append(Problem(root.from_.line, root.from_.col,
                                 f'base image {root.image} {why}{inherited}; {fix}'))
    for stage in reversed(chain):
        for ins in stage.instructions:
            if ins.keyword != 'RUN':
                continue
            names, half_removed = _installed(ins, tools, opts.allowed_build_tools)
            if php_debian:
                names = [n for n in names if n not in PHPIZE_DEPS]  # the base holds them
            jdks = [n for n in names if _matches(n, JDK_PACKAGES)]
            names = [n for n in names if n not in jdks]
            if not jdks and (not names or all(_matches(n, DRIVERS) for n in names)):
                continue  # make or cmake alone compiles nothing
            lines = _build_lines(chain, ins)
            if not lines:
                continue  # no step of the image builds with them: they are for what it runs
            jre = _jre_advice(jdks)
            if not names or all(_matches(n, DRIVERS) for n in names):
                found.append(Problem(
                    ins.line, ins.col,
                    f'the final stage installs a JDK ({", ".join(jdks)}) and ships its '
                    f'compiler; build in a stage with the JDK and COPY --from only what it '
                    f'builds into a final stage that {jre}'))
                continue
            listed = ', '.join(names)
            if half_removed:
                how = ('remove them with apt-get purge --auto-remove (a plain remove keeps '
                       'the compiler the package pulled in)')
            elif lines == [ins.line]:
                how = 'remove them in this same RUN'
            else:
                later = [str(n) for n in lines if n != ins.line]
                shown = ', '.join(later[:3]) + (f' and {len(later) - 3} more'
                                                if len(later) > 3 else '')
                said = (f'the RUN on line {later[0]} builds' if len(later) == 1 else
                        f'the RUNs on lines {shown} build')
                how = f'install, build and remove them in one RUN ({said} with them)'
            also = f'; for the JDK ({", ".join(jdks)}): a final stage that {jre}' if jdks else ''
            found.append(Problem(
                ins.line, ins.col,
                f'the final stage installs build tools ({listed}) and ships them; install '
                f'them in a build stage and COPY --from only what it builds, or {how}{also}',
            ))
    # JavaScript and Python builds: one finding for the image, or a word in the one that
    # already tells it to build in a stage of its own (never two findings for one fix)
    new = [s for s in steps if s.kind in ('js', 'python')]
    if new:
        copier = _copied_out(df, chain)
        if not found and copier is not None:
            found.append(Problem(new[0].ins.line, new[0].ins.col, (
                f'{_what(new[0], chain, new)}; the stage on line {copier[0].from_.line} '
                f'already copies only its output (COPY --from={copier[1]}, line {copier[2]}): '
                f'ship that stage instead')))
        elif not found:
            found.append(step_problem(new[0], chain, new))
        elif not found[0].message.startswith('base image'):
            first = found[0]
            found[0] = first._replace(message=(
                f'{first.message}; {_what(new[0], chain, new)}: {pattern(new[0], chain)}'))
    yield from found


def _php_debian(chain: list[Stage]) -> bool:
    """Whether the image is built on a Debian variant of the official php image, which keeps
    $PHPIZE_DEPS (gcc, g++, make, autoconf ...) installed: a ``php`` base that is no Alpine
    one, or a derived base whose RUNs call ``docker-php-ext-*`` and install with apt-get."""
    from dockhooks._shell import package_ops

    root = chain[-1]
    if root.image and '$' not in root.image and _image_key(root.image) == 'php':
        return 'alpine' not in (parse_image(root.image).tag or '')
    ext = apt = False
    for stage in chain:
        for ins in stage.instructions:
            if ins.keyword != 'RUN':
                continue
            commands = ins.commands()
            ext = ext or any(c.argv and posixpath.basename(c.argv[0]).startswith(
                'docker-php-ext-') for c in commands)
            apt = apt or any(op.manager == 'apt-get' for op in package_ops(commands))
    return ext and apt


def _jre_advice(jdks: Sequence[str]) -> str:
    """What a final stage that runs Java installs instead of ``jdks``."""
    import re

    jres = []
    for name in jdks:
        if name.startswith('default-jdk'):
            jre = 'default-jre-headless'
        elif (m := re.fullmatch(r'openjdk-(\d+)-jdk(?:-headless)?', name)):
            jre = f'openjdk-{m.group(1)}-jre-headless'
        elif (m := re.fullmatch(r'java-([\d.]+)-openjdk-devel', name)):
            jre = f'java-{m.group(1)}-openjdk-headless'
        elif (m := re.fullmatch(r'openjdk(\d+)(?:-jdk)?', name)):
            jre = f'openjdk{m.group(1)}-jre-headless'
        else:
            jre = 'the JRE package of the same version'
        if jre not in jres:
            jres.append(jre)
    return (f'installs only the Java runtime ({", ".join(jres)}), or runs FROM '
            f'eclipse-temurin:<version>-jre (removing the JDK would remove the Java the image '
            f'runs with)')


def _copied_out(df: Dockerfile, chain: list[Stage]) -> tuple[Stage, str, int] | None:
    """A later stage of the file, outside the shipped chain, that copies from a stage of it
    (``COPY --from=builder``): (that stage, the reference, the COPY's line); None without
    one. The file then has the runtime stage the advice would write."""
    names = {s.alias for s in chain if s.alias} | {str(s.index) for s in chain}
    inside = {s.index for s in chain}
    for stage in df.stages:
        if stage.index in inside or stage.index < chain[0].index:
            continue
        for ins in stage.instructions:
            ref = ins.flag('from') if ins.keyword in ('COPY', 'ADD') else None
            if ref is not None and ref.lower() in names:
                return stage, ref, ins.line
    return None


def _kind_runtime(step: Step, runtime: str) -> str | None:
    """The runtime image to name for a toolchain base whose variant is known (a JRE, the .NET
    runtime, a -slim image), else None for the kind's own (distroless for Go)."""
    if step.kind in ('java', 'dotnet') and ':' in runtime:
        return f'FROM {runtime}'
    return None


def _builds_when_run(chain: list[Stage]) -> bool:
    """Whether the image's command is a JavaScript or Python build (``npm run build``): a
    build environment whose output is taken from the container."""
    from dockhooks._roles import image_command

    return any(js_build(c) or python_build(c) for c in image_command(chain) or [])


# --------------------------------------------------------------------------- the project

# What each JavaScript build tool writes, when its config does not say otherwise: (output
# folder, the config files that may move it, whether the output is static files a web server
# serves). None: the folder is decided by the tool's config or adapter, not known here.
JS_OUTPUTS: dict[str, tuple[str | None, tuple[str, ...], bool]] = {
    'vite': ('dist', ('vite.config.js', 'vite.config.ts', 'vite.config.mjs',
                      'vite.config.mts', 'vite.config.cjs'), True),
    'react-scripts': ('build', (), True), 'craco': ('build', (), True),
    'vue-cli-service': ('dist', ('vue.config.js', 'vue.config.cjs', 'vue.config.mjs'), True),
    'ng': (None, (), True),  # dist/<project>: angular.json says it
    'gatsby': ('public', (), True), 'astro': ('dist', ('astro.config.mjs', 'astro.config.ts',
                                                       'astro.config.js'), True),
    'parcel': ('dist', (), True), 'docusaurus': ('build', (), True),
    'ember': ('dist', (), True), 'vitepress': (None, (), True),
    'next': ('.next', ('next.config.js', 'next.config.mjs', 'next.config.ts'), False),
    'nuxt': ('.output', (), False), 'nuxi': ('.output', (), False),
    'frontity': ('build', (), False), 'remix': (None, (), False),
    'svelte-kit': (None, (), False), 'tsc': (None, (), False), 'nest': (None, (), False),
    'webpack': (None, (), False), 'rollup': (None, (), False), 'esbuild': (None, (), False),
}
# Options that name the output folder on the command line
_OUT_OPTIONS = ('--outDir', '--out-dir', '--outdir', '--dist-dir', '--output-path', '--dest',
                '-o')
# Development servers: they serve the sources (with hot reload) and never use a build's
# output. True: the tool builds static files (its build is served by nginx); False: a server.
DEV_SERVERS: dict[str, tuple[frozenset[str] | None, bool]] = {
    'ng': (frozenset(('serve', 's')), True), 'vite': (frozenset(('', 'dev', 'serve')), True),
    'react-scripts': (frozenset(('start',)), True), 'craco': (frozenset(('start',)), True),
    'vue-cli-service': (frozenset(('serve',)), True), 'gatsby': (frozenset(('develop',)), True),
    'astro': (frozenset(('dev',)), True), 'parcel': (frozenset(('', 'serve')), True),
    'webpack': (frozenset(('serve',)), True), 'webpack-dev-server': (None, True),
    'next': (frozenset(('dev',)), False), 'nuxt': (frozenset(('dev',)), False),
    'nuxi': (frozenset(('dev',)), False), 'frontity': (frozenset(('dev',)), False),
    'remix': (frozenset(('dev',)), False), 'svelte-kit': (frozenset(('dev',)), False),
    'nodemon': (None, False), 'ts-node-dev': (None, False), 'tsnd': (None, False),
    'solid-start': (frozenset(('dev',)), False),
}
# Script names that run a development server when the package.json is not there to say
_DEV_SCRIPTS = frozenset(('dev', 'develop', 'serve:dev', 'start:dev', 'watch'))
_PROJECTS: dict[str, dict[str, object] | None] = {}


def _project(df: Dockerfile) -> tuple[str, dict[str, str]] | None:
    """(the folder, the ``scripts`` of the package.json) beside the Dockerfile; None when
    there is none (or it does not parse): the build's scripts are not known then."""
    import json
    import os

    folder = os.path.dirname(os.path.abspath(df.path))
    if folder not in _PROJECTS:
        try:
            with open(os.path.join(folder, 'package.json'), encoding='utf-8-sig') as f:
                data = json.load(f)
            _PROJECTS[folder] = data if isinstance(data, dict) else None
        except (OSError, ValueError):
            _PROJECTS[folder] = None
    data = _PROJECTS[folder]
    if data is None:
        return None
    scripts = data.get('scripts')
    return folder, {k: v for k, v in scripts.items() if isinstance(v, str)} \
        if isinstance(scripts, dict) else {}


def _script_name(command: Command) -> str | None:
    """The package.json script a package manager runs (``npm run build``, ``yarn dev``,
    ``npm start``, ``pnpm build``), None for any other command."""
    argv = [a for a in command.argv if not a.startswith('-')]
    if not argv or posixpath.basename(argv[0]) not in _JS_MANAGERS:
        return None
    manager = posixpath.basename(argv[0])
    words = argv[1:]
    if words[:1] in (['run'], ['run-script']):
        return words[1] if len(words) > 1 else None
    if words[:1] in (['start'], ['test']):
        return words[0]
    if manager in ('yarn', 'yarnpkg', 'pnpm') and words and words[0] not in (
            'install', 'i', 'add', 'remove', 'exec', 'dlx', 'workspace', 'global', 'why',
            'info', 'config', 'cache', 'upgrade', 'up', 'update', 'link', 'unlink', 'prune',
            'rebuild', 'audit', 'outdated', 'init', 'create', 'x', 'import', 'store', 'env'):
        return words[0]
    return None


def _tools(commands: Sequence[Command], scripts: dict[str, str] | None,
           depth: int = 0) -> list[Command] | None:
    """The commands ``commands`` run, package scripts resolved through ``scripts`` (tools run
    through npx made direct); None when a script is not known (no package.json, or no such
    script)."""
    from dockhooks._shell import split_commands

    out: list[Command] = []
    for command in commands:
        name = _script_name(command)
        if name is None:
            argv = list(command.argv)
            if argv and posixpath.basename(argv[0]) in _JS_EXECS | {'npm', 'exec'}:
                if posixpath.basename(argv[0]) == 'npm' and argv[1:2] != ['exec']:
                    out.append(command)
                    continue
                argv = [a for a in argv[1:] if a not in ('exec', '--yes', '-y', '--')]
                command = command._replace(argv=tuple(argv))
            out.append(command)
            continue
        if scripts is None or name not in scripts or depth > 4:
            return None
        inner = _tools(split_commands(scripts[name]), scripts, depth + 1)
        if inner is None:
            return None
        out.extend(inner)
    return out


def _tool(command: Command) -> str:
    return posixpath.basename(command.argv[0]) if command.argv else ''


def _dev_server(command: Command) -> bool | None:
    """For a development server (``ng serve``, bare ``vite``, ``next dev``, ``nodemon``):
    whether its tool builds static files; None for any other command."""
    argv = command.argv
    entry = DEV_SERVERS.get(_tool(command))
    if entry is None:
        return None
    subcommands, static = entry
    words = [a for a in argv[1:] if not a.startswith('-')]
    sub = words[0] if words and not (argv[1:2] and argv[1].startswith('-')) else ''
    if subcommands is None or sub in subcommands:
        return static
    return None


def _read_config(folder: str, name: str) -> str | None:
    import os

    try:
        with open(os.path.join(folder, name), encoding='utf-8', errors='replace') as f:
            return f.read(200_000)
    except OSError:
        return None


def _config_value(text: str | None, key: str) -> list[str]:
    import re

    if text is None:
        return []
    return re.findall(rf'["\']?{key}["\']?\s*:\s*["\']([^"\']+)["\']', text)


def _tool_output(command: Command, folder: str) -> str | None:
    """The folder (relative to the project) ``command``, a build tool, writes; None when the
    files do not show it."""
    argv = list(command.argv)
    for k, a in enumerate(argv):
        name, eq, value = a.partition('=')
        if name in _OUT_OPTIONS:
            found = value if eq else argv[k + 1] if k + 1 < len(argv) else None
            return found.rstrip('/') if found and '$' not in found else None
    tool = _tool(command)
    if tool == 'ng':
        paths = set(_config_value(_read_config(folder, 'angular.json'), 'outputPath'))
        return paths.pop().rstrip('/') if len(paths) == 1 else None
    if tool in ('tsc', 'nest'):
        project = _option_value(argv, ('-p', '--project'))
        names = [project if project and project.endswith('.json') else
                 posixpath.join(project, 'tsconfig.json') if project else 'tsconfig.json']
        if tool == 'nest':
            names.insert(0, 'tsconfig.build.json')
        for name in names:
            text = _read_config(folder, name)
            outs = _config_value(text, 'outDir')
            if outs:
                set_out = posixpath.normpath(outs[0])
                return None if set_out.startswith('..') or '$' in set_out else set_out
            if text is not None and tool == 'tsc':
                return None  # no outDir (or one the base config sets): not known
        return None
    entry = JS_OUTPUTS.get(tool)
    if entry is None or entry[0] is None:
        return None
    out, configs, _ = entry
    if any((_read_config(folder, c) or '').find(w) >= 0 for c in configs
           for w in ('outDir', 'outputDir', 'distDir')):
        return None  # the config moves it
    return out


def _command_folder(commands: Sequence[Command]) -> str | None:
    """The folder the image's command runs the built app from: ``node build/index.js`` ->
    build, ``cd build && node index.js`` -> build; None when it does not name one."""
    for command in commands:
        argv = command.argv
        if not argv:
            continue
        if argv[0] == 'cd' and len(argv) == 2:
            target = posixpath.normpath(argv[1])
        elif posixpath.basename(argv[0]) == 'node' and len(argv) > 1 and \
                not argv[1].startswith('-') and '/' in argv[1]:
            target = posixpath.dirname(posixpath.normpath(argv[1]))
        else:
            continue
        if target and not target.startswith(('.', '/', '$')) and 'node_modules' not in target:
            return target.split('/')[0]
    return None


class Output(NamedTuple):
    """What a JavaScript build of the shipped image makes, as far as the files show it."""

    folder: str | None   # its folder, relative to the WORKDIR of the build; None: not known
    static: bool         # static files a web server serves
    nextjs: bool         # a Next.js build (.next: the standalone output)
    dev: str | None      # why the image's command never uses it (a dev server), or None


def js_output(df: Dockerfile, chain: list[Stage], step: Step) -> Output | None:
    """What the build ``step`` makes and whether the image uses it; None when the image's
    command is a development server of a server framework, or a development script the
    files cannot resolve: a development image, which this part does not judge."""
    from dockhooks._roles import image_command
    from dockhooks._shell import split_commands

    project = _project(df)
    folder, scripts = project if project is not None else ('', None)
    built = _tools(split_commands(step.text), scripts) or []
    builders = [c for c in built if js_build(c) or _tool(c) in JS_OUTPUTS]
    nextjs = any(_tool(c) == 'next' for c in builders) or \
        'next' in _words(step.text) or 'next' in _command_words(chain)
    static_build = any(JS_OUTPUTS.get(_tool(c), (None, (), False))[2] for c in builders)
    command = image_command(chain) or []
    run = _tools(command, scripts)
    dev: str | None = None
    if run is None:  # a script that is not in the package.json, or no package.json
        names = [_script_name(c) for c in command]
        missing = project is not None and not (
            names == ['start'] and _read_config(folder, 'server.js') is not None)
        shown = ' && '.join(c.text for c in command)
        if missing:
            dev = (f'its command (`{shown}`) runs no script the package.json defines '
                   f'and never uses the build')
        elif _DEV_SCRIPTS.intersection(n for n in names if n):
            dev = f'its command runs a development script (`{shown}`) that never uses the build'
        if dev is not None:
            if not static_build:
                return None
    else:
        servers = [(c, s) for c in run if (s := _dev_server(c)) is not None]
        if servers:
            dev = (f'its command runs a development server (`{servers[0][0].text}`) that never '
                   f'uses the build')
            if not (servers[0][1] or static_build):
                return None
            static_build = True
    out = None
    if project is not None:
        outs = [_tool_output(c, folder) for c in builders]
        known = [o for o in outs if o is not None]
        # the last tool of the build whose output is known (tsc -b && vite build -> dist)
        out = known[-1] if known and (static_build or len(set(known)) == 1) else None
    if out is None and dev is None and run is not None:
        out = _command_folder(run)
    # a static build the image serves through a Node server of its own (`node server.js`)
    # keeps the Node pattern: that server may render or proxy
    return Output(out, dev is not None, nextjs and not static_build, dev)


def main(argv: Sequence[str] | None = None) -> int:
    return run_hook(__name__, argv)


if __name__ == '__main__':
    raise SystemExit(main())
