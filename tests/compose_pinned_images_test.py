from __future__ import annotations

import pytest
from dockhooks.compose_pinned_images import main
from hookrun import assert_findings


def _f(pos: str, who: str, shown: str, problem: str, fix: str, alt: str | None = None) -> str:
    how = 'pin it by digest' if '@sha256' in fix else 'pin a version'
    # an image that is no Official Image may publish no version tags: a digest too
    more = '' if alt is None else f', or, where it publishes no such tag, a digest: image: {alt}'
    return f'{pos}: DH201 {who}: image {shown} {problem}; {how}: image: {fix}{more}'


NO_TAG = 'has no tag, so it means :latest'
LATEST = 'uses the tag latest, which moves with every release'


def _floating(tag: str) -> str:
    return f'uses the floating tag {tag!r}, which carries no version and moves'


CASES = (
    # no tag, latest and a floating tag; the official images get a concrete example tag
    ('services:\n  db:\n    image: postgres\n',
     (_f('3:5', 'service db', 'postgres', NO_TAG, 'postgres:<version>'),)),
    ('services:\n  db:\n    image: postgres:latest\n',
     (_f('3:5', 'service db', 'postgres:latest', LATEST, 'postgres:<version>'),)),
    ('services:\n  cache:\n    image: "redis:alpine"\n',
     (_f('3:5', 'service cache', 'redis:alpine', _floating('alpine'), 'redis:<version>-alpine'),)),
    ('services:\n  db:\n    image: mariadb:lts\n',
     (_f('3:5', 'service db', 'mariadb:lts', _floating('lts'), 'mariadb:<version>'),)),
    ('services:\n  app:\n    image: ghcr.io/acme/app:stable\n',  # registry kept in the fix
     (_f('3:5', 'service app', 'ghcr.io/acme/app:stable', _floating('stable'),
         'ghcr.io/acme/app:<version>', 'ghcr.io/acme/app:stable@sha256:<digest>'),)),
    # a word no versioned tag is known to name (a selector: brave-example:armeria): a digest
    ('services:\n  app:\n    image: ghcr.io/openzipkin/brave-example:armeria\n',
     (_f('3:5', 'service app', 'ghcr.io/openzipkin/brave-example:armeria', _floating('armeria'),
         'ghcr.io/openzipkin/brave-example:armeria@sha256:<digest>'),)),
    # ... the variable that chooses it keeps choosing it: the digest goes in its default
    ('services:\n  app:\n    image: ghcr.io/openzipkin/brave-example:${PROJECT:-armeria}\n',
     (_f('3:5', 'service app', 'ghcr.io/openzipkin/brave-example:${PROJECT:-armeria} (= '
         'ghcr.io/openzipkin/brave-example:armeria)', _floating('armeria'),
         'ghcr.io/openzipkin/brave-example:${PROJECT:-armeria@sha256:<digest>}'),)),
    # pinned: a version, a codename, a digest
    ('services:\n  db:\n    image: postgres:16.4-alpine\n', ()),
    ('services:\n  a:\n    image: debian:bookworm-slim\n  b:\n    image: ubuntu:noble\n', ()),
    ('services:\n  db:\n    image: postgres@sha256:' + 'a' * 64 + '\n', ()),
    # a registry port is not a tag
    ('services:\n  app:\n    image: localhost:5000/app\n',
     (_f('3:5', 'service app', 'localhost:5000/app', NO_TAG, 'localhost:5000/app:<version>',
         'localhost:5000/app@sha256:<digest>'),)),
    ('services:\n  app:\n    image: registry.local:5000/team/app:2.1.0\n', ()),
    # interpolation: the default is judged, shown next to what is written, and the fix
    # changes the default, the variable kept
    ('services:\n  app:\n    image: example/app:${TAG:-latest}\n',
     (_f('3:5', 'service app', 'example/app:${TAG:-latest} (= example/app:latest)', LATEST,
         'example/app:${TAG:-<version>}', 'example/app:${TAG:-latest@sha256:<digest>}'),)),
    ('services:\n  app:\n    image: ${IMAGE:-nginx}\n',
     (_f('3:5', 'service app', '${IMAGE:-nginx} (= nginx)', NO_TAG,
         '${IMAGE:-nginx:<version>}'),)),
    ('services:\n  app:\n    image: ${REPO:-example/app}:${TAG:-1.4.2}\n', ()),
    # a variable without default is unknown: not judged
    ('services:\n  app:\n    image: example/app:${TAG}\n', ()),
    ('services:\n  app:\n    image: $IMAGE\n', ()),
    # `$$` is a literal `$`: not a tag anyone can pull, not judged
    ('services:\n  app:\n    image: example/app:v$$1\n', ()),
    # build + image names the image it builds
    ('services:\n  app:\n    build: .\n    image: example/app\n', ()),
    ('services:\n  app:\n    build: {context: .}\n    image: example/app:latest\n', ()),
    # an image another service of the file builds is not pulled (compose's
    # isServiceImageToBuild); one it does not build is
    ('services:\n'
     '  api:\n    build: .\n    image: example/app:latest\n'
     '  worker:\n    image: example/app:latest\n'
     '  other:\n    image: example/other:latest\n',
     (_f('8:5', 'service other', 'example/other:latest', LATEST, 'example/other:<version>',
         'example/other:latest@sha256:<digest>'),)),
    # a merge key: reported once, at the anchor's line, naming every service that uses it
    ('x-db: &db\n  image: mariadb:lts\n  restart: always\n'
     'services:\n  primary:\n    <<: *db\n  replica:\n    <<: *db\n',
     (_f('2:3', 'services primary, replica', 'mariadb:lts', _floating('lts'),
         'mariadb:<version>'),)),
    # MariaDB+mariadb-docker/examples/replication-async/compose-replication.yml: one image in
    # an anchor shared by three services was three findings on one line
    ('x-common-attributes: &common-attributes\n  env_file:\n    - .env\n  image: mariadb:lts\n'
     'services:\n  master:\n    <<: *common-attributes\n    command: --log-bin\n'
     '  replica1:\n    <<: [*common-attributes]\n  replica2:\n    <<: *common-attributes\n',
     (_f('4:3', 'services master, replica1, replica2', 'mariadb:lts', _floating('lts'),
         'mariadb:<version>'),)),
    # an own image beats the merged one
    ('x-db: &db\n  image: mariadb:lts\nservices:\n  db:\n    <<: *db\n    image: mariadb:11.4\n',
     ()),
    # x- extension fields are not services
    ('x-template:\n  image: postgres\nservices:\n  db:\n    image: postgres:16\n', ()),
    # extends: an inherited image is told once, where it is written, naming the services
    ('services:\n  base:\n    image: redis\n  cache:\n    extends: base\n',
     (_f('3:5', 'services base, cache', 'redis', NO_TAG, 'redis:<version>'),)),
    ('services:\n  base:\n    image: redis\n  cache:\n    extends: base\n    image: redis:7.4\n',
     (_f('3:5', 'service base', 'redis', NO_TAG, 'redis:<version>'),)),
    # several YAML documents: a later one overrides, at its own line
    ('services:\n  db:\n    image: postgres:16\n---\nservices:\n  db:\n    image: postgres\n',
     (_f('7:5', 'service db', 'postgres', NO_TAG, 'postgres:<version>'),)),
    ('services:\n  db:\n    image: postgres\n---\nservices:\n  db:\n    image: postgres:16\n', ()),
    # a service without image (a fragment another file completes) has nothing to judge
    ('services:\n  db:\n    ports: ["5432:5432"]\n', ()),
    # pragmas: above the service, above the key, for the whole file
    ('services:\n  # dockhooks: ignore=DH201 upstream publishes no tags\n  app:\n'
     '    image: example/app\n', ()),
    ('services:\n  app:\n    # dockhooks: ignore=DH201\n    image: example/app\n'
     '  db:\n    image: postgres\n',
     (_f('6:5', 'service db', 'postgres', NO_TAG, 'postgres:<version>'),)),
    ('# dockhooks: ignore-file=DH201\nservices:\n  app:\n    image: example/app\n', ()),
    # another code's pragma does not hide DH201
    ('services:\n  # dockhooks: ignore=DH205\n  app:\n    image: example/app\n',
     (_f('4:5', 'service app', 'example/app', NO_TAG, 'example/app:<version>',
         'example/app@sha256:<digest>'),)),
    # pull_policy: always (or a schedule) pulls the newest push on every `up`: the file tracks
    # the tag on purpose; build builds it; never pulls nothing
    ('services:\n  a:\n    image: example/app:develop\n    pull_policy: always\n'
     '  b:\n    image: example/app:latest\n    pull_policy: every_12h\n'
     '  c:\n    image: example/c\n    pull_policy: never\n'
     '  d:\n    image: example/d\n    pull_policy: ${PULL_POLICY:-always}\n'
     '  e:\n    image: example/e\n    pull_policy: missing\n',
     (_f('15:5', 'service e', 'example/e', NO_TAG, 'example/e:<version>',
         'example/e@sha256:<digest>'),)),
    # ... and services that extend one with it inherit it
    ('services:\n  base:\n    image: example/app:develop\n    pull_policy: always\n'
     '  other:\n    extends: base\n', ()),
)


@pytest.mark.parametrize(('src', 'expected'), CASES)
def test_pinned_images(src, expected, clean_cwd, capsys):
    assert_findings(main, clean_cwd / 'compose.yaml', capsys, src, expected)


OPTION_CASES = (
    # --require-digest: a version tag is not enough
    ('services:\n  db:\n    image: postgres:16\n', ('--require-digest',),
     (_f('3:5', 'service db', 'postgres:16', 'is not pinned by digest',
         'postgres:16@sha256:<digest>'),)),
    ('services:\n  db:\n    image: postgres:16@sha256:' + 'a' * 64 + '\n', ('--require-digest',),
     ()),
    ('services:\n  app:\n    build: .\n    image: example/app\n', ('--require-digest',), ()),
    # --extra-codenames: more tags that name a fixed release
    ('services:\n  app:\n    image: example/app:warty\n', ('--extra-codenames', 'warty'), ()),
    ('services:\n  app:\n    image: example/app:warty\n', (),
     (_f('3:5', 'service app', 'example/app:warty', _floating('warty'),
         'example/app:warty@sha256:<digest>'),)),
    # a local image (no registry, no organisation, not an Official Image) is not pulled
    ('services:\n  app:\n    image: conductor:server\n', (), ()),
)


def test_an_image_built_by_another_compose_file_of_the_project(clean_cwd, capsys):
    (clean_cwd / 'docker-compose.build.yml').write_text(
        'services:\n  app:\n    build: .\n    image: example/app:latest\n')
    assert_findings(main, clean_cwd / 'compose.yaml', capsys,
                    'services:\n  app:\n    image: example/app:latest\n', ())


def test_the_tag_the_repository_build_gives_its_own_image(clean_cwd, capsys):
    # `docker build -t acme/acme-eureka:test docker/test-images/acme-eureka` makes the image
    # the test stack runs: the tag names no version and no channel a registry publishes, and
    # a digest would test a stale image
    repo = clean_cwd / 'acme'
    (repo / '.git').mkdir(parents=True)
    (repo / 'docker' / 'test-images' / 'acme-eureka').mkdir(parents=True)
    (repo / 'docker' / 'test-images' / 'acme-eureka' / 'Dockerfile').write_text(
        'FROM eclipse-temurin:21\n')
    assert_findings(main, repo / 'build-bin' / 'docker-compose-eureka.yml', capsys,
                    'services:\n  sut:\n    image: example/acme-eureka:test\n', ())
    # latest is what the registry publishes (no build: here, Compose pulls it); another
    # organisation's image of that name is upstream's
    assert_findings(
        main, repo / 'build-bin' / 'compose.yaml', capsys,
        'services:\n  sut:\n    image: example/acme-eureka:latest\n'
        '  up:\n    image: other/eureka:test\n',
        ('3:5: DH201 service sut: image example/acme-eureka:latest uses the tag latest, which '
         'moves with every release; pin a version: image: example/acme-eureka:<version>, or, '
         'where it publishes no such tag, a digest: image: '
         'example/acme-eureka:latest@sha256:<digest>',
         "5:5: DH201 service up: image other/eureka:test uses the floating tag 'test', which "
         'carries no version and moves; pin it by digest: image: '
         'other/eureka:test@sha256:<digest>'))


@pytest.mark.parametrize(('src', 'args', 'expected'), OPTION_CASES)
def test_options(src, args, expected, clean_cwd, capsys):
    path = clean_cwd / 'compose.yaml'
    path.write_text(src)
    assert main([str(path), *args]) == (1 if expected else 0)
    assert capsys.readouterr().out.splitlines() == [f'{path}:{e}' for e in expected]


BROKEN = (
    # broken YAML
    ('services:\n  app: [\n',
     "3:1: DH001 cannot be checked: is not valid YAML: expected the node content, but found "
     "'<stream end>' (while parsing a flow node)"),
    # a key defined twice, which Compose rejects
    ('services:\n  app:\n    image: a:1\n  app:\n    image: b\n',
     '4:3: DH001 cannot be checked: duplicate key "app" (first at line 2): Compose rejects a '
     'key defined twice'),
    # services of the wrong type
    ('services:\n  - app\n', '1:1: DH001 cannot be checked: "services" must be a mapping, not a '
     'list'),
    # a service that is null, or a number
    ('services:\n  app:\n', '2:3: DH001 cannot be checked: service "app" must be a mapping, not '
     'null'),
    ('services:\n  app:\n    image: a:1\n  db: 3\n',
     '4:3: DH001 cannot be checked: service "db" must be a mapping, not a number'),
)


@pytest.mark.parametrize(('src', 'expected'), BROKEN)
def test_unparseable_file_is_one_line(src, expected, clean_cwd, capsys):
    path = clean_cwd / 'compose.yaml'
    path.write_text(src)
    assert main([str(path)]) == 1
    out, err = capsys.readouterr()
    assert (out, err) == (f'{path}:{expected}\n', '')


def test_a_clean_and_a_dirty_file(clean_cwd, capsys):
    good = clean_cwd / 'compose.yaml'
    good.write_text('services:\n  db:\n    image: postgres:16\n')
    bad = clean_cwd / 'compose.prod.yaml'
    bad.write_text('services:\n  db:\n    image: postgres\n')
    assert main([str(good), str(bad)]) == 1
    assert capsys.readouterr().out.splitlines() == [
        f'{bad}:' + _f('3:5', 'service db', 'postgres', NO_TAG, 'postgres:<version>'),
    ]


def test_usage_error_exits_2(clean_cwd, capsys):
    with pytest.raises(SystemExit) as exc:
        main(['--no-such-option', 'compose.yaml'])
    assert exc.value.code == 2
    assert 'usage:' in capsys.readouterr().err


def test_project_dotenv_pins_the_image(clean_cwd, capsys):
    # Compose reads the project's .env for interpolation: this image is app:v3.1.0
    (clean_cwd / '.env').write_text('IMMICH_VERSION=v3.1.0\n')
    assert_findings(main, clean_cwd / 'compose.yaml', capsys,
                    'services:\n  a:\n    image: app:${IMMICH_VERSION:-release}\n', ())


def test_project_dotenv_value_is_judged(clean_cwd, capsys):
    (clean_cwd / '.env').write_text('TAG=latest\n')
    assert_findings(main, clean_cwd / 'compose.yaml', capsys,
                    'services:\n  a:\n    image: example/app:${TAG:-1.2}\n',
                    ('3:5: DH201 service a: image example/app:${TAG:-1.2} (= example/app:latest) '
                     f'{LATEST}; pin a version: TAG=<version> in .env, or, where it publishes '
                     'no such tag, a digest: TAG=latest@sha256:<digest> in .env',))


@pytest.mark.parametrize(('base', 'override', 'expected_base', 'expected_override'), (
    # with no -f, Compose merges compose.override.yaml over compose.yaml: a service the
    # override builds pulls nothing, and the base's image names what it builds
    ('services:\n  api:\n    image: example/api:latest\n',
     'services:\n  api:\n    build: .\n', (), ()),
    ('services:\n  api:\n    image: example/api:latest\n',
     'services:\n  api:\n    build: .\n    image: api-dev\n', (), ()),
    # ... the base builds what the override names
    ('services:\n  api:\n    build: .\n',
     'services:\n  api:\n    image: example/api:latest\n', (), ()),
    # an image the override gives replaces the base's: judged in the override only
    ('services:\n  api:\n    image: example/api:latest\n',
     'services:\n  api:\n    image: example/api:dev\n', (),
     (_f('3:5', 'service api', 'example/api:dev', _floating('dev'), 'example/api:<version>',
         'example/api:dev@sha256:<digest>'),)),
    # the override's pull_policy is the merged service's
    ('services:\n  api:\n    image: example/api:latest\n',
     'services:\n  api:\n    pull_policy: always\n', (), ()),
    # a service the override leaves alone is judged in the base
    ('services:\n  db:\n    image: postgres\n',
     'services:\n  api:\n    build: .\n',
     (_f('3:5', 'service db', 'postgres', NO_TAG, 'postgres:<version>'),), ()),
))
def test_the_default_override_file_is_merged(base, override, expected_base, expected_override,
                                             clean_cwd, capsys):
    (clean_cwd / 'compose.override.yaml').write_text(override)
    assert_findings(main, clean_cwd / 'compose.yaml', capsys, base, expected_base)
    assert_findings(main, clean_cwd / 'compose.override.yaml', capsys, override,
                    expected_override)


def test_an_override_file_merges_only_over_a_default_file(clean_cwd, capsys):
    # compose.prod.yaml is merged with -f only: its own services are judged as written
    (clean_cwd / 'compose.override.yaml').write_text('services:\n  api:\n    build: .\n')
    assert_findings(main, clean_cwd / 'compose.prod.yaml', capsys,
                    'services:\n  api:\n    image: example/api:latest\n',
                    (_f('3:5', 'service api', 'example/api:latest', LATEST,
                        'example/api:<version>', 'example/api:latest@sha256:<digest>'),))


def test_an_image_extended_from_another_file(clean_cwd, capsys):
    # written in another compose file, which is judged itself: not told again here
    (clean_cwd / 'docker-compose.yml').write_text('services:\n  web:\n    image: nginx\n')
    assert_findings(main, clean_cwd / 'docker-compose-mysql.yml', capsys,
                    'services:\n  web:\n    extends:\n      file: docker-compose.yml\n'
                    '      service: web\n', ())
    # written in a file no hook reads: told once, at the first service that extends it
    (clean_cwd / 'common.yml').write_text('services:\n  web:\n    image: nginx\n')
    assert_findings(main, clean_cwd / 'compose.yaml', capsys,
                    'services:\n  a:\n    extends: {file: common.yml, service: web}\n'
                    '  b:\n    extends: {file: common.yml, service: web}\n',
                    (_f('3:5', 'services a, b (image from common.yml, line 3)', 'nginx', NO_TAG,
                        'nginx:<version>'),))


_NIGHTLY = ('services:\n  hub:\n    image: acme/hub:nightly\n'
            '  node:\n    image: acme/node:nightly\n')


@pytest.mark.parametrize(('name', 'sibling', 'expected'), (
    # a variant read only with -f, every image on one channel tag, and its folder's default
    # file pins the same images: the file exists to run the channel; no finding
    ('compose.nightly.yaml',
     'services:\n  hub:\n    image: acme/hub:4.25.0\n  node:\n    image: acme/node:4.25.0\n',
     ()),
    # the sibling does not pin every image: acme/node is judged in the variant
    ('compose.nightly.yaml', 'services:\n  hub:\n    image: acme/hub:4.25.0\n',
     ("3:5: DH201 service hub: image acme/hub:nightly uses the floating tag 'nightly', which "
      'carries no version and moves; pin a version: image: acme/hub:<version>, or, where it '
      'publishes no such tag, a digest: image: acme/hub:nightly@sha256:<digest>',
      "5:5: DH201 service node: image acme/node:nightly uses the floating tag 'nightly', which "
      'carries no version and moves; pin a version: image: acme/node:<version>, or, where it '
      'publishes no such tag, a digest: image: acme/node:nightly@sha256:<digest>')),
))
def test_a_release_channel_variant(name, sibling, expected, clean_cwd, capsys):
    (clean_cwd / 'docker-compose.yml').write_text(sibling)
    assert_findings(main, clean_cwd / name, capsys, _NIGHTLY, expected)


def test_the_default_file_on_a_channel_is_judged(clean_cwd, capsys):
    # the file a plain `docker compose` runs is never a variant, whatever its siblings pin
    (clean_cwd / 'compose.pinned.yaml').write_text(
        'services:\n  hub:\n    image: acme/hub:4.25.0\n  node:\n    image: acme/node:4.25.0\n')
    assert_findings(main, clean_cwd / 'compose.yaml', capsys, _NIGHTLY, (
        "3:5: DH201 service hub: image acme/hub:nightly uses the floating tag 'nightly', which "
        'carries no version and moves; pin a version: image: acme/hub:<version>, or, where it '
        'publishes no such tag, a digest: image: acme/hub:nightly@sha256:<digest>',
        "5:5: DH201 service node: image acme/node:nightly uses the floating tag 'nightly', which "
        'carries no version and moves; pin a version: image: acme/node:<version>, or, where it '
        'publishes no such tag, a digest: image: acme/node:nightly@sha256:<digest>'))
