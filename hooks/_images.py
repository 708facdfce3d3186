"""Image references: parsing ``[registry[:port]/]name[:tag][@digest]`` and judging the tag.

Shared by ``dockerfile-pinned-base-image`` (FROM) and ``compose-pinned-images`` (``image:``),
so both hooks judge a tag the same way.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from collections.abc import Iterable
from collections.abc import Sequence
from types import SimpleNamespace

from dockhooks._records import NamedTuple

# Distribution release codenames name a fixed release, not a moving target.
CODENAMES = frozenset((
    # Debian
    'jessie', 'stretch', 'buster', 'bullseye', 'bookworm', 'trixie', 'forky', 'duke',
    # Ubuntu
    'trusty', 'xenial', 'bionic', 'focal', 'jammy', 'kinetic', 'lunar', 'mantic', 'noble',
    'oracular', 'plucky', 'questing', 'resolute',
    # Node.js LTS lines (node:iron is node:20)
    'argon', 'boron', 'carbon', 'dubnium', 'erbium', 'fermium', 'gallium', 'hydrogen', 'iron',
    'jod', 'krypton',
))
_DIGIT = re.compile(r'\d')
_SEPARATORS = frozenset(':/@.-_')
_WORDS = re.compile(r'[._-]+')

# Words of a tag that float: they name no release (the variant words around them stay).
FLOATING_WORDS = frozenset((
    'latest', 'lts', 'stable', 'mainline', 'current', 'rolling', 'nightly', 'beta', 'rc',
    'dev', 'next', 'canary', 'master', 'main', 'release',
))
# Suites and channels that never get a version of their own: Debian's unstable (`sid`),
# testing and experimental, Alpine's `edge`, Fedora's rawhide, openSUSE's tumbleweed. A
# `<version>` in their place would be another image: a digest (or a dated snapshot, where the
# image publishes them) is what pins them.
SUITES = frozenset((
    'sid', 'unstable', 'testing', 'experimental', 'edge', 'rawhide', 'tumbleweed',
))
# Official Images that publish dated snapshots of their suites: debian:sid-20250113-slim,
# alpine:20250108 (an edge snapshot).
_SNAPSHOTS = {'debian': '{suite}-<YYYYMMDD>', 'alpine': '<YYYYMMDD>'}
# Variant words that publishers combine with a version (`python:3.13-slim`,
# `php:8.4-fpm-alpine`, `rabbitmq:4-management`): kept after `<version>` in a fix. Any other
# word (`armeria`, `develop`, `build`) selects something no versioned tag is known to name,
# and the fix is a digest.
VARIANT_WORDS = frozenset((
    'alpine', 'slim', 'fpm', 'cli', 'apache', 'zts', 'jre', 'jdk', 'headless', 'management',
    'perl', 'otel', 'dind', 'rootless', 'musl', 'glibc', 'uclibc', 'community', 'enterprise',
    'scm', 'curl', 'onbuild', 'nonroot', 'debug', 'windowsservercore', 'nanoserver', 'gpu',
    'cpu', 'jupyter', 'minimal', 'ubi', 'ubuntu', 'debian', 'centos',
))
# Official Images whose releases all share one major version, their release lines being
# minors (Alpine 3.x since 2014, Python 3.x, Go 1.x, Rust 1.x, Perl 5.x, PHP 8.x, Caddy 2.x
# since 2020, nginx 1.x, Apache httpd 2.x, BusyBox 1.x, memcached 1.x): the major alone
# (`alpine:3`, `python:3-slim`, `caddy:2-alpine`) moves with every release, as latest does.
EPOCH_MAJORS = {
    'alpine': '3', 'python': '3', 'golang': '1', 'rust': '1', 'perl': '5', 'php': '8',
    'caddy': '2', 'nginx': '1', 'httpd': '2', 'busybox': '1', 'memcached': '1',
}
# Registries that publish no version tags (Chainguard's free tier): pin by digest.
DIGEST_ONLY = ('cgr.dev/chainguard/*',)
# Distroless names its releases in the repository (`static-debian12`, `cc-debian13`); the
# names without one follow whichever Debian release distroless builds on.
_DISTROLESS = re.compile(
    r'^gcr\.io/distroless/(static|base|base-nossl|cc|python3|java-base|(java|nodejs)[0-9]+)$')
# A release line in the repository's name pins it as a codename does
# (gcr.io/distroless/static-debian12, redhat/ubi9-minimal).
_RELEASE_IN_NAME = re.compile(r'(^|[-_/])(debian|ubi|rhel|el)[0-9]+($|[-_/])')
# Docker rejects a repository with upper case letters: `REPLACE-ME` is a placeholder.
_VALID_REPOSITORY = re.compile(r'^[a-z0-9]+([._/-]+[a-z0-9]+)*$')


class ImageRef(NamedTuple):
    registry: str | None
    name: str            # repository path without registry, e.g. 'library/python' or 'python'
    tag: str | None
    digest: str | None

    @property
    def short(self) -> str:
        """The last path component: 'python' for 'docker.io/library/python'."""
        return self.name.rsplit('/', 1)[-1]


def parse_image(ref: str) -> ImageRef:
    digest = None
    if '@' in ref:
        ref, digest = ref.split('@', 1)
    slash = ref.rfind('/')
    colon = ref.rfind(':')
    tag = None
    if colon > slash:
        ref, tag = ref[:colon], ref[colon + 1:]
    registry = None
    first, sep, rest = ref.partition('/')
    if sep and ('.' in first or ':' in first or first == 'localhost'):
        registry, ref = first, rest
    return ImageRef(registry, ref, tag, digest)


_HUB = ('docker.io/', 'index.docker.io/', 'registry-1.docker.io/')

# Docker Official Images: the closed list of names Docker Hub serves without an organisation
# (docker.io/library/<name>), current and deprecated. Any other name without a registry or an
# organisation cannot be pulled: it is an image built locally (by compose, a script, CI).
OFFICIAL_IMAGES = frozenset('''
adminer aerospike almalinux alpine alt amazoncorretto amazonlinux api-firewall arangodb
archlinux backdrop bash bonita buildpack-deps busybox caddy cassandra celery centos
chronograf cirros clearlinux clefos clickhouse clojure composer consul convertigo couchbase
couchdb crate crux dart debian django docker drupal eclipse-mosquitto eclipse-temurin
eggdrop elasticsearch elixir emqx erlang express-gateway fedora flink fluentd friendica
gazebo gcc geonetwork ghost glassfish golang gradle groovy haproxy haskell haxe hello-world
hipache hitch httpd hylang ibm-semeru-runtimes ibmjava influxdb iojs irssi java jenkins
jetty jobber joomla jruby julia kaazing-gateway kapacitor kibana known kong krakend
lighttpd liquibase logstash mageia mariadb matomo maven mediawiki memcached mongo
mongo-express monica mono mysql nats nats-streaming neo4j neurodebian nextcloud nginx node
notary nuxeo odoo open-liberty openjdk opensuse oraclelinux orientdb owncloud percona perl
photon php php-zendserver phpmyadmin piwik plone postfixadmin postgres pypy python r-base
rabbitmq rails rakudo-star rapidoid redis redmine registry rethinkdb rocket.chat rockylinux
ros ruby rust sapmachine satosa scratch sentry silverpeas sl solr sonarqube spark spiped
storm swarm swift swipl teamspeak telegraf thrift tomcat tomee traefik ubuntu unit valkey
varnish vault websphere-liberty wordpress xwiki yourls znc zookeeper
'''.split())


def repository(ref: ImageRef) -> str:
    """The repository as image knowledge names it: Docker Hub's registry and ``library/``
    dropped (``python``, ``bitnami/redis``, ``gcr.io/distroless/static-debian12``)."""
    full = ref.name if ref.registry is None else f'{ref.registry}/{ref.name}'
    for prefix in _HUB:
        if full.startswith(prefix):
            full = full[len(prefix):]
            break
    return full[len('library/'):] if full.startswith('library/') else full


def is_official(ref: ImageRef) -> bool:
    """A Docker Official Image (``python``, ``docker.io/library/python``)."""
    return ref.registry in (None, 'docker.io', 'index.docker.io', 'registry-1.docker.io') \
        and repository(ref) in OFFICIAL_IMAGES


def is_local(ref: ImageRef) -> bool:
    """A name no registry serves: no registry, no organisation, not an Official Image
    (``myapp``, ``conductor:server``); it can only be an image built on this machine."""
    return ref.registry is None and '/' not in ref.name and ref.name not in OFFICIAL_IMAGES


def matches(image: str, globs: Iterable[str]) -> bool:
    """Whether ``image`` matches one of ``globs`` (shell globs), read the same way with or
    without a digest and a Docker Hub prefix: a glob with a ``:`` is matched against
    ``repository:tag`` (``latest`` when there is no tag), any other against the repository
    (``gcr.io/distroless/*:nonroot``, ``bitnami/*``)."""
    ref = parse_image(image)
    repo = repository(ref)
    tagged = f'{repo}:{ref.tag or "latest"}'
    wild = []
    for g in globs:
        if not any(c in g for c in '*?['):
            if (tagged if ':' in g else repo) == g:
                return True  # a plain name: compared, not compiled into a regex (~0.15 ms)
        else:
            wild.append(g)
    if not wild:
        return False
    import fnmatch

    return any(fnmatch.fnmatchcase(tagged if ':' in g else repo, g) for g in wild)


class Fix(NamedTuple):
    """One way to pin an image: how to say it and the reference to write."""

    how: str   # 'pin a version', 'or a digest', ...
    ref: str


class Unpinned(NamedTuple):
    """What is wrong with how an image is pinned, and the fixes, best first."""

    problem: str  # a clause that follows the image: 'has no tag, so it means :latest'
    fixes: tuple[Fix, ...]


def advice(fixes: Iterable[Fix], render: Callable[[str], str]) -> str:
    """The fixes as one clause, each reference rendered as the line to write
    (``pin a version: FROM x:<version>, or ...``)."""
    return ', '.join(f'{fix.how}: {render(fix.ref)}' for fix in fixes)


def _variant(part: str, codenames: Iterable[str]) -> bool:
    """A part of a tag that publishers combine with a version: a variant word, a release
    codename or a part with a version in it (``alpine3.20``, ``ltsc2022``)."""
    low = part.lower()
    return low in VARIANT_WORDS or low in codenames or bool(_DIGIT.search(low))


def judge(
        ref: ImageRef,
        *,
        codenames: Iterable[str] = CODENAMES,
        require_digest: bool = False,
) -> Unpinned | None:
    """What is wrong with how ``ref`` is pinned, with the references to write instead; None
    when it is pinned."""
    if ref.digest:
        return None
    base = ref.name if ref.registry is None else f'{ref.registry}/{ref.name}'
    tag = ref.tag or ''
    written = f'{base}:{tag}' if tag else base
    digest = f'{written}@sha256:<digest>'
    if require_digest:
        return Unpinned('is not pinned by digest', (Fix('pin it by digest', digest),))
    codenames = frozenset(codenames)
    words = [w for w in _WORDS.split(tag.lower()) if w]
    if _RELEASE_IN_NAME.search(ref.name.lower()) and \
            not (set(words) & (FLOATING_WORDS | SUITES)) - {'latest'}:
        return None  # static-debian12:nonroot, ubi9-minimal:latest: the release is pinned
    repo = repository(ref)
    parts = tag.split('-') if tag else []
    major = EPOCH_MAJORS.get(repo) if is_official(ref) else None
    suite = next((w for w in words if w in SUITES), None)
    if not tag:
        problem = 'has no tag, so it means :latest'
    elif tag.lower() == 'latest':
        problem = 'uses the tag latest, which moves with every release'
    elif _release_line(parts) and not (major is not None and parts[0] == major):
        return None  # `2022-latest`, `16.4-latest`: the newest patch of a named release
    elif 'latest' in words:
        problem = f'uses the tag {tag!r}, whose word latest moves with every release'
    elif major is not None and parts[0] == major:
        problem = (f'uses the tag {tag!r}: {major} is the major version every {repo} release '
                   f'shares, so it moves with each release as latest does')
        return Unpinned(problem, (
            Fix('pin a release', f'{base}:' + '-'.join([f'{major}.<minor>', *parts[1:]])),))
    elif _DIGIT.search(tag) or any(w in codenames for w in words):
        return None  # a version or a release codename
    elif suite is not None:
        problem = (f'uses the tag {tag!r}: {suite} is a suite or channel that no version '
                   f'names, so it moves with every build')
    else:
        problem = f'uses the floating tag {tag!r}, which carries no version and moves'
    if _DISTROLESS.match(repo):
        kept = '' if tag.lower() == 'latest' else tag
        named = f'{base}-debian12' + (f':{kept}' if kept else '')
        return Unpinned(
            'names no Debian release, so it moves to whichever one distroless builds on next',
            (Fix('name the release (-debian12 or -debian13)', named),
             Fix('or pin it by digest', digest)))
    if matches(written, DIGEST_ONLY):
        return Unpinned(problem, (Fix('pin it by digest (the registry publishes no version '
                                      'tags)', digest),))
    if repo.startswith('gcr.io/distroless/'):
        return Unpinned(problem, (Fix('pin it by digest', digest),))
    if suite is not None:
        snapshot = _SNAPSHOTS.get(repo) if is_official(ref) else None
        if snapshot is None:
            return Unpinned(problem, (Fix('pin it by digest', digest),))
        at = [p.lower() for p in parts].index(suite)
        dated = [*parts[:at], snapshot.format(suite=parts[at]), *parts[at + 1:]]
        return Unpinned(problem, (Fix('pin a dated snapshot', f'{base}:' + '-'.join(dated)),
                                  Fix('or a digest', digest)))
    # the version takes the place of a leading floating word; the variant words stay
    floating = [i for i, p in enumerate(parts) if p.lower() in FLOATING_WORDS]
    if floating and floating[0] > 0:
        # `rpi-latest`, `3-nightly`: how the versioned tags of such a line are spelt is
        # not known
        return Unpinned(problem, (Fix('pin it by digest', digest),))
    if floating:
        new = ['<version>' if i == floating[0] else p for i, p in enumerate(parts)
               if i == floating[0] or i not in floating]
    else:
        new = ['<version>', *parts]
    # a word followed by a version names a component the tag pins (`latest-kafka-4.1.0`,
    # `latest-rust-1.97.1-bookworm`): the publisher's versioned tags keep it after theirs
    # (`<version>-kafka-4.1.0`)
    if not all(p == '<version>' or _variant(p, codenames)
               or (i + 1 < len(new) and _DIGIT.search(new[i + 1])) for i, p in enumerate(new)):
        # a word that selects something no versioned tag is known to name (`armeria`)
        return Unpinned(problem, (Fix('pin it by digest', digest),))
    version = Fix('pin a version', f'{base}:' + '-'.join(new))
    if is_official(ref):
        return Unpinned(problem, (version,))
    return Unpinned(problem, (version, Fix('or, where it publishes no such tag, a digest',
                                           digest)))


_VERSION = re.compile(r'v?[0-9]+(\.[0-9]+)*')


def _release_line(parts: list[str]) -> bool:
    """Whether a tag's parts name a release line by ``<version>-latest``
    (``mssql/server:2022-latest``, ``3-latest-python3.12``): the newest patch of release N,
    as ``postgres:16`` is. ``latest-<component><version>`` (``latest-rust-1.97``) is not:
    there the product's own version floats."""
    low = [p.lower() for p in parts]
    return 'latest' in low and low.index('latest') > 0 \
        and _VERSION.fullmatch(low[low.index('latest') - 1]) is not None


# Marks around the text a variable gives an expansion (its index, then its text, then the
# close mark): the expanded text then shows who wrote which part of a reference.
_OPEN = 0xE100
_CLOSE = '\ue000'


def mark(index: int, value: str | None) -> str | None:
    """``value`` marked as written by ``index`` (an empty value writes nothing, and
    ``${V:+x}`` must still see it empty)."""
    return f'{chr(_OPEN + index)}{value}{_CLOSE}' if value else value


def owners_of(marked: str) -> tuple[str, list[tuple[int, ...]]]:
    """The text without marks, and for each character the writers whose text it is part
    of, innermost last (empty: the reference itself)."""
    text: list[str] = []
    owners: list[tuple[int, ...]] = []
    stack: list[int] = []
    for ch in marked:
        if ch == _CLOSE:
            stack.pop()
        elif _OPEN <= ord(ch) < _OPEN + 0x1800:
            stack.append(ord(ch) - _OPEN)
        else:
            text.append(ch)
            owners.append(tuple(stack))
    return ''.join(text), owners


def _writer(owners: tuple[int, ...]) -> int:
    return owners[-1] if owners else -1


def edit_span(image: str, owners: list[tuple[int, ...]], new: str
          ) -> tuple[int, int, int, str] | None:
    """Where the change from ``image`` to ``new`` is written: (writer, start, end, text) of
    the span of ``image`` to replace; None when several places write it. ``owners`` gives
    for each character of ``image`` the places (ARGs) whose text it is part of, innermost
    last; empty: the reference itself."""
    i = 0
    while i < min(len(image), len(new)) and image[i] == new[i]:
        i += 1
    j = 0
    while j < min(len(image), len(new)) - i and image[-1 - j] == new[-1 - j]:
        j += 1
    end = len(image) - j
    if end > i:
        span = owners[i:end]
    else:
        # an insertion goes to the text it extends: the word beside it rather than a
        # separator (`postgres:` + `<version>-` + `${TAG}`: to TAG; `1` + `.<minor>`: to 1)
        around = [k for k in (i - 1, i) if 0 <= k < len(image)]
        words = [k for k in around if image[k] not in _SEPARATORS]
        span = [owners[(words or around or [0])[0]]] if owners else []
    writers = {_writer(o) for o in span}
    if len(writers) != 1:
        return None
    return writers.pop(), i, end, new[i:len(new) - j]


def apply_edit(text: str, image: str, owners: list[tuple[int, ...]],
             edit: tuple[int, int, int, str]) -> str | None:
    """``text`` (what the writer of the edit writes) with the edit made in it, found by the
    characters the writer writes around the span; None when they cannot be found once."""
    writer, start, end, repl = edit
    left = start
    while left > 0 and _writer(owners[left - 1]) == writer:
        left -= 1
    right = end
    while right < len(image) and _writer(owners[right]) == writer:
        right += 1
    before, old, after = image[left:start], image[start:end], image[end:right]
    # the widest context found once: a default or a value may be split by variables
    # (`node:${TAG:-latest}`: `latest` alone is written once)
    contexts = [(before, after), ('', after), (before, '')]
    contexts += [(before[k:], '') for k in range(1, len(before))]
    contexts += [('', after[:k]) for k in range(len(after) - 1, 0, -1)]
    contexts.append(('', ''))
    for pre, post in contexts:
        needle = pre + old + post
        if needle and text.count(needle) == 1:
            at = text.index(needle) + len(pre)
            return text[:at] + repl + text[at + len(old):]
    return None


def place(image: str, marked: str | None, fixes: Sequence[Fix],
          source: Callable[[int], str | None],
          ) -> tuple[int, list[tuple[Fix, str]], list[tuple[int, ...]]] | None:
    """Where the fixes of ``image`` are written when its reference uses variables:
    ``marked`` is its expansion with each variable's text marked (:func:`mark`),
    ``source(writer)`` what a writer writes as it is written (-1: the reference; None: a
    place no fix can be written in). Returns the writer of what the first fix changes, each
    fix that can be written there with the writer's new text, and the owners of each
    character; None when no one place writes what must change."""
    if marked is None:
        return None
    text, owners = owners_of(marked)
    first = edit_span(image, owners, fixes[0].ref) if text == image and owners else None
    if first is None:
        return None
    writer = first[0]
    written = source(writer)
    if written is None:
        return None
    placed: list[tuple[Fix, str]] = []
    # a digest pins the whole reference: a variable that writes part of it but not where
    # the digest goes would no longer change the image (`debian:${SUITE}-slim@sha256:...`)
    digest_ok = set().union(*owners) <= set(owners[-1])
    for fix in fixes:
        if '@sha256:' in fix.ref and not digest_ok:
            continue
        edit = edit_span(image, owners, fix.ref)
        new = None if edit is None or edit[0] != writer else \
            apply_edit(written, image, owners, edit)
        if new is not None:
            placed.append((fix, new))
    return (writer, placed, owners) if placed else None


def unpinned(image: str, raw: str | None, opts: SimpleNamespace) -> tuple[str, Unpinned] | None:
    """For an image reference after interpolation (``raw`` as written): the image as shown
    in a message and what is wrong with it; None when it is pinned or cannot be judged
    (``scratch``, an unresolved variable). Reads the ``extra_codenames`` and
    ``require_digest`` options, shared by DH101 and DH201."""
    if image.lower() == 'scratch' or '$' in image:
        return None
    ref = parse_image(image)
    if is_local(ref) or not _VALID_REPOSITORY.match(ref.name):
        return None  # built on this machine, or a placeholder (REPLACE-ME): nothing to pull
    codenames = CODENAMES | {c.lower() for c in opts.extra_codenames}
    found = judge(ref, codenames=codenames, require_digest=opts.require_digest)
    if found is None:
        return None
    shown = image if raw in (None, image) else f'{raw} (= {image})'
    return shown, found
