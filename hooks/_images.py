"""Image references: parsing ``[registry[:port]/]name[:tag][@digest]`` and judging the tag.

Shared by ``dockerfile-pinned-base-image`` (FROM) and ``compose-pinned-images`` (``image:``),
so both hooks judge a tag the same way.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from types import SimpleNamespace
from typing import NamedTuple

# Distribution release codenames name a fixed release, not a moving target.
CODENAMES = frozenset((
    # Debian
    'jessie', 'stretch', 'buster', 'bullseye', 'bookworm', 'trixie', 'forky', 'duke',
    # Ubuntu
    'trusty', 'xenial', 'bionic', 'focal', 'jammy', 'kinetic', 'lunar', 'mantic', 'noble',
    'oracular', 'plucky', 'questing', 'resolute',
))
_DIGIT = re.compile(r'\d')
_WORDS = re.compile(r'[._-]+')

# Words of a tag that float: they name no release (the variant words around them stay).
FLOATING_WORDS = frozenset((
    'latest', 'lts', 'stable', 'mainline', 'current', 'edge', 'rolling', 'nightly', 'beta',
    'rc', 'dev', 'next', 'testing', 'unstable', 'sid', 'canary', 'master', 'main', 'release',
))
# Registries that publish no version tags (distroless; Chainguard's free tier): pin by digest.
DIGEST_ONLY = ('gcr.io/distroless/*', 'cgr.dev/chainguard/*')
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
    import fnmatch

    ref = parse_image(image)
    repo = repository(ref)
    tagged = f'{repo}:{ref.tag or "latest"}'
    return any(fnmatch.fnmatchcase(tagged if ':' in g else repo, g) for g in globs)


def tag_problem(
        ref: ImageRef,
        *,
        codenames: Iterable[str] = CODENAMES,
        require_digest: bool = False,
) -> str | None:
    """What is wrong with how ``ref`` is pinned, as a clause; None when it is pinned."""
    if ref.digest:
        return None
    if require_digest:
        return 'is not pinned by digest'
    release_in_name = bool(_RELEASE_IN_NAME.search(ref.name.lower()))
    if ref.tag is None or ref.tag == '':
        return None if release_in_name else 'has no tag, so it means :latest'
    words = _WORDS.split(ref.tag.lower())
    if release_in_name and not FLOATING_WORDS.intersection(words) - {'latest'}:
        return None  # static-debian12:nonroot, ubi9-minimal:latest: the release is pinned
    if ref.tag.lower() == 'latest':
        return 'uses the tag latest, which moves with every release'
    if _DIGIT.search(ref.tag):
        return None
    if any(w in set(codenames) for w in words):
        return None
    return f'uses the floating tag {ref.tag!r}, which carries no version and moves'


def suggestion(ref: ImageRef, require_digest: bool = False) -> str:
    """The reference to write instead: the variant kept, the floating words replaced by the
    version (``php:cli`` -> ``php:<version>-cli``, ``node:lts-alpine`` ->
    ``node:<version>-alpine``); a digest where the registry publishes no version tags."""
    base = ref.name if ref.registry is None else f'{ref.registry}/{ref.name}'
    tag = f':{ref.tag}' if ref.tag else ''
    if require_digest or matches(f'{base}{tag}', DIGEST_ONLY):
        return f'{base}{tag}@sha256:<digest>'
    variant = [w for w in (ref.tag or '').split('-') if w and w.lower() not in FLOATING_WORDS]
    return f'{base}:' + '-'.join(['<version>', *variant])


def pin_advice(pinned: str) -> str:
    """How to say the fix: a version, or a digest where no version tags exist."""
    if '@sha256:' not in pinned:
        return 'pin a version'
    if matches(pinned.split('@', 1)[0], DIGEST_ONLY):
        return 'pin it by digest (the registry publishes no version tags)'
    return 'pin it by digest'


def unpinned(image: str, raw: str | None, opts: SimpleNamespace) -> tuple[str, str] | None:
    """For an image reference after interpolation (``raw`` as written): the problem as a
    clause starting with the image, and the pinned reference to write instead; None when it
    is pinned or cannot be judged (``scratch``, an unresolved variable). Reads the
    ``extra_codenames`` and ``require_digest`` options, shared by DH101 and DH201."""
    if image.lower() == 'scratch' or '$' in image:
        return None
    ref = parse_image(image)
    if is_local(ref) or not _VALID_REPOSITORY.match(ref.name):
        return None  # built on this machine, or a placeholder (REPLACE-ME): nothing to pull
    codenames = CODENAMES | {c.lower() for c in opts.extra_codenames}
    problem = tag_problem(ref, codenames=codenames, require_digest=opts.require_digest)
    if problem is None:
        return None
    shown = image if raw in (None, image) else f'{raw} (= {image})'
    return f'{shown} {problem}', suggestion(ref, opts.require_digest)
