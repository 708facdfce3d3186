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
FROM python:3.13
RUN apt-get update && apt-get install -y gcc libpq-dev && rm -rf /var/lib/apt/lists/*
COPY requirements.txt .
RUN pip install -r requirements.txt
```

## Use instead
```dockerfile
FROM python:3.13-slim AS build
RUN apt-get update && apt-get install -y --no-install-recommends gcc libpq-dev \\
    && rm -rf /var/lib/apt/lists/*
COPY requirements.txt .
RUN pip install --prefix=/install -r requirements.txt

FROM python:3.13-slim
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
    'clojure', 'elixir', 'erlang',
)
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
    'dkms', 'python-build', 'pyenv', 'R',
))
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
    if key in ('openjdk', 'java') and tag[:1].isdigit() and int(
            ''.join(c for c in tag.partition('-')[0].partition('.')[0] if c.isdigit()) or 0) > 11:
        # openjdk publishes no JRE images after 11: Eclipse Temurin does
        return f'eclipse-temurin:{tag.partition("-")[0]}-jre'
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


def check(df: Dockerfile, opts: SimpleNamespace) -> Iterator[Problem]:
    if not dockerfile_ships(df, opts.target):
        return  # a devcontainer, test fixture or dev image: toolchains belong there
    final = shipped_stage(df, opts.target)
    if final is None:
        return
    tools = BUILD_TOOLS + tuple(opts.extra_build_tools)
    chain = df.chain(final)
    if image_purpose(df, chain) != 'runtime':
        return  # a base, toolbox or build environment: the toolchain is its job
    root = chain[-1]
    if root.image is not None and '$' not in root.image:
        why = toolchain_image(root.image, opts.extra_toolchain_images,
                              opts.allowed_toolchain_images)
        if why:
            inherited = '' if root is final else ', and the final stage builds on it'
            runtime = _runtime_variant(root.image)
            if _build_lines(chain, root.from_) or _compiles_when_run(chain):
                fix = (f'build in a stage of its own and COPY --from it into '
                       f'{"FROM " + runtime if ":" in runtime else runtime}')
            else:  # nothing is built here: the runtime image is the whole fix
                fix = (f'nothing in the image is built with it: run on '
                       f'{"FROM " + runtime if ":" in runtime else runtime} instead')
            yield Problem(root.from_.line, root.from_.col,
                          f'base image {root.image} {why}{inherited}; {fix}')
    for stage in reversed(chain):
        for ins in stage.instructions:
            if ins.keyword != 'RUN':
                continue
            names, half_removed = _installed(ins, tools, opts.allowed_build_tools)
            if not names or all(_matches(n, DRIVERS) for n in names):
                continue  # make or cmake alone compiles nothing
            lines = _build_lines(chain, ins)
            if not lines:
                continue  # no step of the image builds with them: they are for what it runs
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
            yield Problem(
                ins.line, ins.col,
                f'the final stage installs build tools ({listed}) and ships them; install '
                f'them in a build stage and COPY --from only what it builds, or {how}',
            )


def main(argv: Sequence[str] | None = None) -> int:
    return run_hook(__name__, argv)


if __name__ == '__main__':
    raise SystemExit(main())
