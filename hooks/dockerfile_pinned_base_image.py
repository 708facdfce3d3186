"""Every FROM of an external image names a version tag or a digest.

## What it does
Checks each image a build pulls, in a `FROM` (not `scratch`, not an earlier stage), a
`COPY --from=<image>` or a `RUN --mount=from=<image>`, for a pinned reference: a tag with a
version number in it, a distribution release codename (`bookworm`, `jammy`, a Node.js LTS
line such as `iron`), a release line in the repository's name
(`gcr.io/distroless/static-debian12`, `redhat/ubi9-minimal`) or an `@sha256:` digest.
An image copied from several times is one finding, at its first use.
Reports a missing tag, `latest` (also before a component's version: `latest-rust-1.97`;
but `<version>-latest`, `mssql/server:2022-latest`, names a release line as `postgres:16`
does and passes),
floating tags that carry no version (`lts`, `stable`, `alpine`, `slim`, `mainline`, ...),
suites and channels that no version ever names (`sid`, `testing`, `edge`, `rawhide`), and the
one major version every release of an Official Image shares (`alpine:3`, `python:3-slim`,
`golang:1`, `rust:1`, `perl:5`, `php:8`, `caddy:2`, `nginx:1`), which moves with each release
as latest does.

The fix keeps the variant where publishers combine it with a version (`node:lts-alpine` ->
`node:<version>-alpine`, `php:cli` -> `php:<version>-cli`, `alpine:3` -> `alpine:3.<minor>`);
a tag word that is no known variant (`armeria`, `develop`) selects something no versioned
tag is known to name, and the fix is a digest; a word followed by a version names a component
the tag pins, kept after the version (`latest-kafka-4.1.0` -> `<version>-kafka-4.1.0`). For
an image that is no Official Image, which may publish no version tags, a digest is offered
beside the version. A suite is never given
a `<version>`, which would be another image: `debian:sid-slim` -> a dated snapshot
`debian:sid-<YYYYMMDD>-slim` or a digest, `alpine:edge` -> `alpine:<YYYYMMDD>` or a digest,
any other image a digest. Distroless names its Debian release in the repository: the fix of
`gcr.io/distroless/static:nonroot` is `gcr.io/distroless/static-debian12:nonroot` (or
`-debian13`), or a digest; Chainguard's free tier publishes no version tags: a digest.

Build arguments are resolved first, and the finding goes where what floats is written: the
global `ARG` whose default writes it, even through another ARG (`ARG VERSION=latest`,
`ARG FROM=img:$VERSION`, `FROM $FROM` is told at `ARG VERSION`, with the default to write
there), once for every FROM that uses it; the references to variables stay as written (a
digest that would make a `--build-arg` change nothing is not offered), and a default written
in the FROM is changed in place (`node:${TAG:-<version>}`). An `ARG` with no default cannot be
known and is not judged; neither is a `--from` with a variable, which BuildKit does not expand,
nor an `ARG` that every compose build of the file passes in `build.args` (every compose file
of the repository, wherever it is: `dockerfile:` is read from `context:`, and the files they
`include:`): Compose passes the value, even an empty
one, so the default is not what the project builds.

When the repository builds the image itself, the message says so: a Dockerfile named after
the image's last name (`acme/base-java` -> `base-java/Dockerfile`, `Dockerfile.base-java`,
`Dockerfile-base-java`, `base-java.Dockerfile`; the folders its tag names below that folder:
`r.j3ss.co/wireguard:install` -> `wireguard/install/Dockerfile`) or after what follows the
repository's or the organisation's name (`outlinewiki/outline-base` in the outline repository
-> `Dockerfile.base`, `matrixdotorg/synapse-workers` -> `Dockerfile-workers`), in the folders from
the Dockerfile's up to the repository's root, and that does not build on that image itself;
an image named after the repository (the folder it is checked out in: the nearest `.git`,
or outside git the folder given to `dockhooks check`, wherever it runs from), found by the
folders its tag names in the docker-library layout (`buildpack-deps:sid-curl` ->
`debian/sid/curl/Dockerfile`) or else by its name alone (and, at no tag or `latest`, the
plain `Dockerfile` of a folder from the file's up to the root: `docker build -t NAME .` tags
what it builds). A build of the file alone takes
whatever was pushed last. Named by the tag the repository's own build gives it (the folder its
tag names, or none / `latest`, as `docker build -t NAME` tags a Dockerfile found here), it is
the image that build just made: with the default docker driver the FROM resolves to it, a pin
or a digest would cut the chain (bashbrew builds `sid/curl` before `sid/scm`), and it is not
reported.

A stage that only names an image and that nothing builds on, copies or mounts from (and no
compose `build.target` names) is never built, and BuildKit never pulls its image: it is not
judged. A registry port is not a tag: `localhost:5000/team/app` is untagged. Local images are
not pulled and not judged: a name with no registry and no organisation that is no Docker
Official Image (`myapp`, `conductor:server`), and a name Docker would refuse (`REPLACE-ME`, a
template's placeholder).

## Why is this bad?
An unpinned base image is whatever the registry serves on the day of the build: two builds
of the same commit can get different operating systems, interpreters and libraries, and a
build that passed yesterday breaks today. A version tag makes builds reproducible across
machines and CI, and an upgrade becomes a reviewed change.

## Example
```dockerfile
ARG NGINX_TAG=latest
FROM node:lts-alpine AS build
RUN npm ci && npm run build
FROM nginx:${NGINX_TAG}
COPY --from=build /app/dist /usr/share/nginx/html
COPY --from=ghcr.io/acme/error-pages /pages /usr/share/nginx/errors
```

## Use instead
```dockerfile
ARG NGINX_TAG=1.27-alpine
FROM node:22-alpine AS build
RUN npm ci && npm run build
FROM nginx:${NGINX_TAG}
COPY --from=build /app/dist /usr/share/nginx/html
COPY --from=ghcr.io/acme/error-pages:2.3.1@sha256:<digest> /pages /usr/share/nginx/errors
```

## Options
- `--require-digest`: also require an `@sha256:` digest on every external image.
- `--extra-codenames NAMES`: more release codenames to accept as pinned tags (comma-separated).
  Built in: Debian (`buster`, `bullseye`, `bookworm`, `trixie`, ...), Ubuntu (`focal`,
  `jammy`, `noble`, ...) and Node.js LTS (`hydrogen`, `iron`, `jod`, ...) codenames; `sid`
  is unstable and not accepted.
"""
from __future__ import annotations

import os
import re
from collections.abc import Iterator
from collections.abc import Sequence
from types import SimpleNamespace

from dockhooks._dockerfile import Dockerfile
from dockhooks._dockerfile import Instruction
from dockhooks._dockerfile import Stage
from dockhooks._findings import Problem
from dockhooks._hook import run_hook
from dockhooks._images import Fix
from dockhooks._images import advice
from dockhooks._images import mark
from dockhooks._images import place
from dockhooks._images import unpinned
from dockhooks._records import NamedTuple

CODE = 'DH101'
ID = 'dockerfile-pinned-base-image'
SUMMARY = 'every FROM of an external image names a version tag or a digest'
SEVERITY = 'error'
OPTIONS = ('require-digest', 'extra-codenames')

class _Arg(NamedTuple):
    ins: Instruction
    name: str
    raw: str  # the default as written, quotes kept


class _Use(NamedTuple):
    """One reference to an image: a FROM, a COPY --from or a RUN --mount from=."""

    ins: Instruction
    label: str   # 'FROM', 'COPY --from', 'RUN --mount'
    raw: str     # as written
    image: str   # after the global ARGs


def _global_args(df: Dockerfile) -> tuple[list[_Arg], dict[str, str | None]]:
    """The ARGs before the first FROM, and each one's value with its text marked by its
    index (:func:`mark`): an expansion then shows which ARG wrote what."""
    from dockhooks._dockerfile import _expand_word
    from dockhooks._dockerfile import key_values

    args: list[_Arg] = []
    marked: dict[str, str | None] = {}
    for ins in df.instructions:
        if ins.keyword == 'FROM':
            break
        if ins.keyword != 'ARG':
            continue
        for name, raw in key_values(ins.args, legacy=False):
            if raw is None:
                marked[name] = None
                continue
            marked[name] = mark(len(args), _expand_word(raw, marked, df.escape))
            args.append(_Arg(ins, name, raw))
    return args, marked


def _built_stages(df: Dockerfile) -> set[int] | None:
    """The stages a build may reach: the last one, the targets the project's compose files
    build, any stage with instructions of its own (a target a script or bake file may name),
    and what they use (FROM <stage>, COPY --from, RUN --mount from=). A stage that only
    names an image and that nothing uses is never built, and BuildKit never pulls its image.
    None when a reference cannot be resolved: every stage counts."""
    from dockhooks._compose import build_targets

    by_name = {st.alias: st.index for st in df.stages if st.alias}
    todo = [st.index for st in df.stages if len(st.instructions) > 1]
    todo.append(len(df.stages) - 1)
    if len(df.stages) > 1 and len(todo) < len(df.stages):
        for target in build_targets(df.path):
            if target is not None and target.lower() in by_name:
                todo.append(by_name[target.lower()])
    seen: set[int] = set()
    while todo:
        index = todo.pop()
        if index in seen or not 0 <= index < len(df.stages):
            continue
        seen.add(index)
        stage = df.stages[index]
        if stage.parent is not None:
            todo.append(stage.parent)
        elif stage.image is None:
            return None  # FROM binary-$TARGETOS: any stage
        for ins in stage.instructions:
            for ref in _stage_refs(ins):
                found = ins.resolve(ref)
                if found is None:
                    return None
                found = found.lower()
                if found in by_name:
                    todo.append(by_name[found])
                elif found.isdigit():
                    todo.append(int(found))
    return seen


def _passed_args(df: Dockerfile) -> set[str]:
    """The build arguments every compose build of this Dockerfile passes (``build.args``,
    any form: Compose passes the value, even an empty one, and ``- NAME`` passes the
    environment's), in the compose files anywhere in the repository (a sibling folder's
    file builds it through ``context:`` and ``dockerfile:``); none when no compose file
    builds it. The Dockerfile's default of such an ARG is not what the project builds."""
    from dockhooks._compose import builds_of

    passed: set[str] | None = None
    for service in builds_of(df.path, 'args', everywhere=True):
        value = service.lookup('build', 'args')
        names = {str(k) for k in value} if isinstance(value, dict) else \
            {i.partition('=')[0] for i in value if isinstance(i, str)} \
            if isinstance(value, list) else set()
        passed = names if passed is None else passed & names
    return passed or set()


def _variables(raw: str, args: list[_Arg]) -> set[str]:
    """The variables ``raw`` uses, also through the defaults of the ARGs it names."""
    names: set[str] = set()
    todo = [raw]
    while todo:
        for name in re.findall(r'\$\{?([A-Za-z_][A-Za-z0-9_]*)', todo.pop()):
            if name not in names:
                names.add(name)
                todo.extend(a.raw for a in args if a.name == name)
    return names


def _stage_refs(ins: Instruction) -> list[str]:
    """What ``--from`` of a COPY and ``from=`` of a RUN --mount name, as written."""
    refs = [ins.flag('from')] if ins.keyword in ('COPY', 'ADD') else []
    if ins.keyword == 'RUN':
        refs += [m.get('from') for m in ins.mounts()]
    return [r for r in refs if r]


def _uses(df: Dockerfile, stages: list[Stage]) -> Iterator[_Use]:
    """The images the stages pull: their FROMs, COPY --from and RUN --mount from=."""
    names = {st.alias for st in df.stages if st.alias}
    for stage in stages:
        if stage.parent is None and stage.image is not None:
            yield _Use(stage.from_, 'FROM', stage.raw_image, stage.image)
        for ins in stage.instructions:
            for ref in _stage_refs(ins):
                # BuildKit does not expand variables in --from (moby/buildkit#2374): a `$`
                # there is no reference anyone can pull
                image = ref
                if '$' in image or image.lower() in names or image.isdigit():
                    continue
                label = 'COPY --from' if ins.keyword != 'RUN' else 'RUN --mount'
                yield _Use(ins, label, ref, image)


def _repository_names(path: str) -> set[str]:
    """The names the repository goes by: the folder it is checked out in (``synapse``, or
    ``element-hq+synapse`` as an owner+name checkout)."""
    from dockhooks._roles import top_folder

    root = top_folder(os.path.dirname(os.path.abspath(path)))
    name = os.path.basename(root)
    return {_key(name), _key(name.rsplit('+', 1)[-1])} - {''}


def _key(word: str) -> str:
    return re.sub(r'[^a-z0-9]', '', word.lower())


def _builds_image(path: str, image: str) -> bool:
    """Whether the Dockerfile at ``path`` could build ``image`` rather than build on it (a
    variant built on another variant of the same repository still builds its own)."""
    from dockhooks._dockerfile import load
    from dockhooks._images import parse_image
    from dockhooks._images import repository
    from dockhooks._text import InputError

    try:
        other = load(path)
    except (InputError, OSError, RecursionError):
        return False
    want = parse_image(image)
    for st in other.stages:
        if st.parent is not None:
            continue
        ref = parse_image(st.image or st.raw_image)
        name = repository(ref)
        if '$' in name or (name == repository(want) and (
                '$' in (ref.tag or '') or (ref.tag or 'latest') == (want.tag or 'latest'))):
            return False  # builds on it (or on an image that cannot be known)
    return True


class _Own(NamedTuple):
    """What in this repository builds an image: the Dockerfile (relative to the repository),
    or ``'named after it'`` when no Dockerfile was found. ``local``: the reference names the
    tag this repository's own build gives that Dockerfile's image, the folder its tag names
    (the docker-library layout, one folder per tag) or the tag ``docker build -t NAME``
    gives (none, ``latest``). With the default docker driver a FROM of it resolves to the
    image the build just made: a pin would cut that chain, and nothing is pulled."""

    where: str
    local: bool = False
    path: str = ''  # the Dockerfile as found


def built_here(path: str, image: str) -> _Own | None:
    """What in this repository builds ``image``, found by its name: a Dockerfile named after
    its last name (``acme/node-base`` -> ``NodeBase/Dockerfile``, ``node_base/Dockerfile``,
    ``Dockerfile.node-base``, ``Dockerfile-node-base``; case and separators aside) or after
    what follows the repository's or the organisation's name in it (``outline-base`` ->
    ``Dockerfile.base``), or the folders its tag names below that folder
    (``r.j3ss.co/wireguard:install`` -> ``wireguard/install/Dockerfile``); for an image named
    after the repository, the folders its tag names (``buildpack-deps:sid-curl`` ->
    ``sid/curl/Dockerfile``), else the name itself. Searched
    in the folders from the Dockerfile's own up to the repository's root; an Official Image
    counts only when the repository is named after it."""
    from dockhooks._images import is_official
    from dockhooks._images import parse_image
    from dockhooks._roles import folders_up
    from dockhooks._roles import relative

    ref = parse_image(image)
    last = ref.name.rsplit('/', 1)[-1]
    org = ref.name.rsplit('/', 2)[-2] if '/' in ref.name else ''
    repo_names = _repository_names(path)
    named_after = _key(last) in repo_names
    if is_official(ref) and not named_after:
        return None
    wanted = {_key(last)}
    words = [w for w in re.split(r'[^a-z0-9]+', last.lower()) if w]
    for n in range(1, len(words)):
        if _key(''.join(words[:n])) in repo_names | {_key(org)}:
            wanted.add(''.join(words[n:]))
    tag_paths: list[str] = []
    if ref.tag and not ref.digest:
        parts = ref.tag.split('-')
        for mask in range(2 ** (len(parts) - 1) if len(parts) <= 6 else 1):
            groups = [parts[0]]
            for k, part in enumerate(parts[1:]):
                if mask >> k & 1:
                    groups[-1] += '-' + part
                else:
                    groups.append(part)
            tag_paths.append(os.path.join(*groups, 'Dockerfile'))
    # `docker build -t NAME .` tags what a plain Dockerfile builds: for an image named after
    # the repository, at no tag or latest, the repository's own Dockerfile (docker/Dockerfile)
    plain = named_after and (ref.tag or 'latest') == 'latest' and not ref.digest
    for folder, entries in folders_up(path):
        # the folders the tag names: below the repository's root for an image named after
        # it (docker-library), below the image's folder for any other (wireguard/install/)
        found = [os.path.join(folder, p) for p in tag_paths] if named_after else []
        for entry in entries:
            low = entry.lower()
            if entry.startswith('.'):
                continue  # a tool's folder (.devcontainer), never an image's name
            if _key(entry) in wanted and os.path.isdir(os.path.join(folder, entry)):
                found.append(os.path.join(folder, entry, 'Dockerfile'))
                found.extend(os.path.join(folder, entry, p) for p in tag_paths)
            elif plain and low in ('dockerfile', 'containerfile'):
                found.append(os.path.join(folder, entry))
            elif any(low.startswith(p) and _key(entry[len(p):]) in wanted
                     for p in ('dockerfile.', 'dockerfile-')) or \
                    (low.endswith('.dockerfile') and _key(entry[:-11]) in wanted):
                found.append(os.path.join(folder, entry))
        by_tag = {os.path.join(folder, p) for p in tag_paths} if named_after else set()
        by_tag.update(os.path.join(folder, entry, p) for entry in entries for p in tag_paths
                      if _key(entry) in wanted)
        for other in found:
            if os.path.isfile(other) and not os.path.samefile(other, path) \
                    and _builds_image(other, image):
                return _Own(relative(other),
                            other in by_tag or (ref.tag or 'latest') == 'latest', other)
    return _Own('named after it') if named_after else None


def local_image(path: str, image: str) -> bool:
    """Whether ``image`` names what a Dockerfile of this repository builds at a tag only a
    local build gives it: a word that names no version and no channel or variant a registry
    publishes (``docker build -t NAME:test``). A file of the repository at ``path`` that names
    it runs the image the project just built, and a pin would run a stale one. Found by a
    Dockerfile named after the image, when the image's name begins with the repository's or
    its organisation is named after it (:func:`built_here`, else anywhere in the repository
    by its folder or its name: ``openzipkin/zipkin-eureka:test`` ->
    ``docker/test-images/zipkin-eureka/Dockerfile`` in the zipkin repository) that does not
    build on that repository's images. Not at none or ``latest``: with no ``build:``, Compose
    pulls what the registry publishes under them, and which one the project means is not
    known."""
    from dockhooks._images import CODENAMES
    from dockhooks._images import FLOATING_WORDS
    from dockhooks._images import SUITES
    from dockhooks._images import VARIANT_WORDS
    from dockhooks._images import parse_image
    from dockhooks._images import repository
    from dockhooks._roles import repository_files

    ref = parse_image(image)
    words = set(re.split(r'[._-]+', (ref.tag or '').lower())) - {''}
    if ref.digest or not words or re.search(r'[0-9]', ref.tag or '') \
            or words & (FLOATING_WORDS | SUITES | VARIANT_WORDS | CODENAMES):
        return False
    last = ref.name.rsplit('/', 1)[-1]
    org = ref.name.rsplit('/', 2)[-2] if '/' in ref.name else ''
    repo_names = _repository_names(path)
    names = [w for w in re.split(r'[^a-z0-9]+', last.lower()) if w]
    related = _key(org) in repo_names or _key(last) in repo_names or \
        any(''.join(names[:n]) in repo_names for n in range(1, len(names)))
    if not related:
        return False  # zeek/zeek in a collection of others' images: upstream's
    own = built_here(path, image)
    found = [] if own is None or not own.path else [own.path]
    if not found:
        for other in repository_files(path, 'dockerfile'):
            folder, name = os.path.split(other)
            low = name.lower()
            named = _key(os.path.basename(folder)) \
                if low in ('dockerfile', 'containerfile') else \
                _key(name[11:]) if low.startswith(('dockerfile.', 'dockerfile-')) else \
                _key(name[:-11]) if low.endswith('.dockerfile') else ''
            if named == _key(last):
                found.append(other)
    return any(_builds_own(f, repository(ref)) for f in found)


def _builds_own(path: str, name: str) -> bool:
    """Whether the Dockerfile at ``path`` builds on no image of the repository ``name``."""
    from dockhooks._dockerfile import load
    from dockhooks._images import parse_image
    from dockhooks._images import repository
    from dockhooks._text import InputError

    try:
        df = load(path)
    except (InputError, OSError, RecursionError):
        return False
    return all(st.parent is not None or (
        '$' not in (st.image or st.raw_image) and
        repository(parse_image(st.image or st.raw_image)) != name) for st in df.stages)


def _where(uses: list[_Use]) -> str:
    """``FROM on lines 2, 4 and COPY --from on line 9``."""
    groups: dict[str, list[int]] = {}
    for use in uses:
        lines = groups.setdefault(use.label, [])
        if use.ins.line not in lines:
            lines.append(use.ins.line)
    return ' and '.join(
        f'{label} on line {lines[0]}' if len(lines) == 1 else
        f'{label} on lines ' + ', '.join(str(n) for n in lines)
        for label, lines in groups.items())


def _own(found: _Own) -> str:
    return ('an image this repository builds, named after it' if found.where == 'named after it'
            else f'an image this repository builds ({found.where})')


class _Placed(NamedTuple):
    """Where the fixes of a reference go: the ARG (index; -1: the instruction) that writes
    what floats, and each fix that can be written there with its text there."""

    writer: int
    fixes: list[tuple[Fix, str]]
    role: str  # what the ARG writes of the image: '' (all of it), 'the tag of ', 'part of '
    via: list[int]  # the ARGs whose default brings the writer's in (ARG FROM=img:$VERSION)


def _place(df: Dockerfile, use: _Use, fixes: tuple[Fix, ...], marked: dict[str, str | None],
           args: list[_Arg]) -> _Placed | None:
    """Where a reference written with variables is fixed; None when no one place writes
    what must change (the fixes are then told as what the reference must read)."""
    from dockhooks._images import parse_image
    from dockhooks._vars import expand

    text = expand(use.raw, marked.get, escape=df.escape)
    found = place(use.image, text, fixes, lambda k: use.raw if k < 0 else args[k].raw)
    if found is None:
        return None
    writer, placed, owners = found
    mine = [k for k, o in enumerate(owners) if writer in o]
    tag = parse_image(use.image).tag
    role = '' if len(mine) == len(use.image) else \
        'the tag of ' if tag and mine == list(range(len(use.image) - len(tag), len(use.image))) \
        else 'part of '
    via: list[int] = []
    for stack in owners:
        if writer in stack:
            via.extend(o for o in stack[:stack.index(writer)] if o not in via)
    return _Placed(writer, placed, role, via)


_RENDER = {'FROM': 'FROM {}', 'COPY --from': 'COPY --from={}',
           'RUN --mount': 'RUN --mount=...,from={}'}


def check(df: Dockerfile, opts: SimpleNamespace) -> Iterator[Problem]:
    built = _built_stages(df)
    stages = [st for st in df.stages if built is None or st.index in built]
    args: list[_Arg] = []
    marked: dict[str, str | None] | None = None
    passed: set[str] = set()
    # per ARG that writes what floats: the first use, its finding, and every use
    at_arg: dict[int, tuple[_Use, str, _Placed, list[_Use]]] = {}
    problems: list[tuple[_Use, str, str]] = []  # use, image as shown, the rest
    # an image copied from several times is one finding, at its first use
    copied: dict[tuple[str, str], list[int]] = {}
    for use in _uses(df, stages):
        if use.label != 'FROM':
            lines = copied.setdefault((use.label, use.raw), [])
            lines.append(use.ins.line)
            if len(lines) > 1:
                continue
        found = unpinned(use.image, use.raw, opts)
        if found is None:
            continue
        shown, (problem, fixes) = found
        said = f'{shown} {problem}'
        placed = None
        if '$' in use.raw:
            if marked is None:
                args, marked = _global_args(df)
                passed = _passed_args(df)
            if _variables(use.raw, args) & passed:
                continue  # the project's compose build passes it: the default is not used
            placed = _place(df, use, fixes, marked, args)
        if placed is not None and placed.writer >= 0:
            at_arg.setdefault(placed.writer, (use, said, placed, []))[3].append(use)
            continue
        own = built_here(df.path, use.image)
        if own is not None and own.local:
            continue  # the image the repository's own build just tagged: not pulled
        if own is not None:
            said += (f'; it is {_own(own)}, so a build of this file takes whatever was pushed '
                     f'last, not what this commit builds')
        render = _RENDER[use.label].format
        how = advice((Fix(f.how, t) for f, t in placed.fixes), render) if placed else \
            ', '.join(f'{f.how}, so that it reads {f.ref}' for f in fixes) \
            if '$' in use.raw else advice(fixes, render)
        problems.append((use, shown, f'{said[len(shown) + 1:]}; {how}'))
    for use, shown, message in problems:
        subject = 'base image' if use.label == 'FROM' else f'{use.label} image'
        lines = copied.get((use.label, use.raw), [])
        if len(lines) > 1:
            shown += ' (lines ' + ', '.join(str(n) for n in lines) + ')'
        yield Problem(use.ins.line, use.ins.col, f'{subject} {shown} {message}')
    for writer, (use, said, placed, uses) in at_arg.items():
        arg = args[writer]
        noun = 'the base image' if all(u.label == 'FROM' for u in uses) else 'the image'
        head = f'ARG {arg.name}={arg.raw}, {placed.role}{noun} of {_where(uses)}'
        if placed.via:
            head += ' through ' + ', '.join(f'ARG {args[k].name}' for k in placed.via)
        own = built_here(df.path, use.image)
        if own is not None and own.local:
            continue  # the image the repository's own build just tagged: not pulled
        if own is not None:
            # the repository's own pipeline builds and pushes it: the default is only what
            # a build without --build-arg takes
            fix, text = placed.fixes[0]
            what = 'version' if '@' not in fix.ref else 'digest'
            yield Problem(arg.ins.line, arg.ins.col,
                          f'{head}, {_own(own)}: a build that does not pass --build-arg '
                          f'{arg.name} takes whatever was pushed last; give the ARG the {what} '
                          f'your pipeline builds: ARG {arg.name}={text}')
            continue
        how = advice((Fix(f.how, t) for f, t in placed.fixes), f'ARG {arg.name}={{}}'.format)
        yield Problem(arg.ins.line, arg.ins.col, f'{head}: {said}; {how}')


def main(argv: Sequence[str] | None = None) -> int:
    return run_hook(__name__, argv)


if __name__ == '__main__':
    raise SystemExit(main())
