from __future__ import annotations

import pytest
from dockhooks.compose_healthchecks import main
from hookrun import assert_findings


def _entry(pos: str, service: str, dep: str, how: str = 'lists it without a condition') -> str:
    return (f'{pos}: DH202 service {service} depends on {dep} but {how}, so it starts before '
            f'{dep} is ready; use depends_on: {dep}: condition: service_healthy')


def _job(pos: str, service: str, dep: str) -> str:
    return (f'{pos}: DH202 service {service} depends on {dep} but lists it without a '
            f'condition, so it starts before {dep} has finished; {dep} is a one-shot job: use '
            f'depends_on: {dep}: condition: service_completed_successfully')


def _target(pos: str, name: str, users: str, disabled: bool = False) -> str:
    what, fix = ('disables its healthcheck', 'give healthcheck: a test:') if disabled else \
        ('has no healthcheck', 'add healthcheck: with a test:')
    return (f'{pos}: DH202 service {name} is in depends_on of {users} but {what}, so nothing '
            f'can wait for it to be ready; {fix} that checks it answers, then make {users} '
            f'wait for it with depends_on: {name}: condition: service_healthy')


HC = '    healthcheck:\n      test: ["CMD-SHELL", "pg_isready -U postgres"]\n'
DB = '  db:\n    image: postgres:16\n'

CASES = (
    # short form, and the dependency has no healthcheck: one finding, at the dependency, that
    # says both steps (asking for service_healthy alone would make `up` fail)
    ('services:\n  api:\n    image: a:1\n    depends_on:\n      - db\n' + DB,
     (_target('6:3', 'db', 'api'),)),
    ('services:\n  api:\n    image: a:1\n    depends_on: [db]\n' + DB,
     (_target('5:3', 'db', 'api'),)),
    # short form to a dependency with a healthcheck: the entry
    ('services:\n  api:\n    image: a:1\n    depends_on:\n      - db\n' + DB + HC,
     (_entry('5:9', 'api', 'db'),)),
    # an explicit condition is the maintainer's decision
    ('services:\n  api:\n    image: a:1\n    depends_on:\n      db:\n'
     '        condition: service_started\n' + DB + HC, ()),
    ('services:\n  api:\n    image: a:1\n    depends_on:\n      db:\n'
     '        condition: service_started\n' + DB, ()),
    # long form with service_healthy and a healthcheck: right
    ('services:\n  api:\n    image: a:1\n    depends_on:\n      db:\n'
     '        condition: service_healthy\n' + DB + HC, ()),
    # service_healthy on a dependency without healthcheck (compose refuses to start it)
    ('services:\n  api:\n    image: a:1\n    depends_on:\n      db:\n'
     '        condition: service_healthy\n' + DB,
     (_target('7:3', 'db', 'api'),)),
    # healthcheck: {disable: true} and test: ["NONE"] turn the image's healthcheck off
    ('services:\n  api:\n    image: a:1\n    depends_on:\n      db: {condition: service_healthy}\n'
     + DB + '    healthcheck:\n      disable: true\n',
     (_target('6:3', 'db', 'api', disabled=True),)),
    ('services:\n  api:\n    image: a:1\n    depends_on:\n      db: {condition: service_healthy}\n'
     + DB + '    healthcheck:\n      test: ["NONE"]\n',
     (_target('6:3', 'db', 'api', disabled=True),)),
    # only timing keys on a pulled image: its own HEALTHCHECK is kept
    ('services:\n  api:\n    image: a:1\n    depends_on:\n      db: {condition: service_healthy}\n'
     + DB + '    healthcheck:\n      interval: 5s\n', ()),
    # a healthcheck brought in by a merge key counts
    ('x-hc: &hc\n  healthcheck:\n    test: ["CMD", "pg_isready"]\nservices:\n'
     '  api:\n    image: a:1\n    depends_on:\n      db: {condition: service_healthy}\n'
     '  db:\n    <<: *hc\n    image: postgres:16\n', ()),
    # service_completed_successfully is right for a one-shot job, which needs no healthcheck
    ('services:\n  api:\n    image: a:1\n    depends_on:\n      migrate:\n'
     '        condition: service_completed_successfully\n'
     '  migrate:\n    image: a:1\n    command: ["manage", "migrate"]\n', ()),
    # a dependent waits for it to finish: it is a job, the short-form entries are told so
    ('services:\n  api:\n    image: a:1\n    depends_on:\n      migrations:\n'
     '        condition: service_completed_successfully\n'
     '  worker:\n    image: a:1\n    depends_on: [migrations]\n'
     '  migrations:\n    image: a:1\n',
     (_job('9:18', 'worker', 'migrations'),)),
    # vimagick+dockerfiles/nifi/docker-compose.yml: a job by its name (init-nifi copies a
    # config and exits) was told to add a healthcheck
    ('services:\n  init-nifi:\n    image: apache/nifi:2.10.0\n    entrypoint: ["bash", "-c"]\n'
     '    command: ["test -f /tmp/bootstrap.conf || cp -v /opt/nifi/conf/* /tmp"]\n'
     '  nifi:\n    image: apache/nifi:2.10.0\n    depends_on:\n      - init-nifi\n'
     '    restart: unless-stopped\n',
     (_job('9:9', 'nifi', 'init-nifi'),)),
    ('services:\n  app:\n    image: a:1\n    depends_on: [db_setup, createBuckets]\n'
     '  db_setup:\n    image: a:1\n    restart: "no"\n  createBuckets:\n    image: minio/mc:1\n',
     (_job('4:18', 'app', 'db_setup'), _job('4:28', 'app', 'createBuckets'))),
    # ... or by its image's name (a schema job), not a schema registry
    ('services:\n  collector:\n    image: a:1\n    depends_on: [cassandra-init]\n'
     '  cassandra-init:\n    image: jaegertracing/jaeger-cassandra-schema:1.6\n',
     (_job('4:18', 'collector', 'cassandra-init'),)),
    ('services:\n  app:\n    image: a:1\n    depends_on: [registry]\n'
     '  registry:\n    image: confluentinc/cp-schema-registry:7.6.0\n',
     (_target('5:3', 'registry', 'app'),)),
    # appwrite+appwrite/docker-compose.override.yml: a queue worker for migrations serves
    ('services:\n  app:\n    image: a:1\n    depends_on: [worker-migrations]\n'
     '  worker-migrations:\n    image: a:1\n',
     (_target('5:3', 'worker-migrations', 'app'),)),
    # a job's name, but a restart policy keeps it running: a server
    ('services:\n  app:\n    image: a:1\n    depends_on: [init]\n'
     '  init:\n    image: a:1\n    restart: unless-stopped\n',
     (_target('5:3', 'init', 'app'),)),
    # vimagick+dockerfiles/airflow/docker-compose.yml: every dependent waits for airflow-init
    # to finish, and it was told to add a healthcheck
    ('services:\n  airflow-webserver:\n    image: apache/airflow:3.0.5\n    depends_on:\n'
     '      airflow-init:\n        condition: service_completed_successfully\n'
     '  airflow-init:\n    image: apache/airflow:3.0.5\n    restart: always\n', ()),
    # element-hq+synapse/contrib/docker_compose_workers/docker-compose.yaml: the Synapse
    # image declares its own HEALTHCHECK
    ('services:\n  synapse:\n    image: matrixdotorg/synapse:latest\n'
     '  synapse-generic-worker-1:\n    image: matrixdotorg/synapse:latest\n    depends_on:\n'
     '      - synapse\n',
     (_entry('7:9', 'synapse-generic-worker-1', 'synapse'),)),
    # laradock+laradock/mailu/compose.yml: Mailu's images too, whatever the tag
    ('services:\n  mailu:\n    image: mailu/admin:${MAILU_VERSION}\n    depends_on:\n'
     '      mailu-front: {condition: service_healthy}\n'
     '  mailu-front:\n    image: ghcr.io/mailu/nginx:${MAILU_VERSION}\n', ()),
    # ... but only those: an image by another name has no such promise
    ('services:\n  app:\n    image: a:1\n    depends_on:\n'
     '      cache: {condition: service_healthy}\n'
     '  cache:\n    image: ghcr.io/example/mailu-like:1\n',
     (_target('6:3', 'cache', 'app'),)),
    # merge keys: an anchored depends_on is one finding at the anchor, for every service
    ('x-dep: &dep\n  depends_on:\n    - db\nservices:\n'
     '  a:\n    image: a:1\n    <<: *dep\n  b:\n    image: b:1\n    <<: *dep\n' + DB + HC,
     ('3:7: DH202 services a, b depend on db but list it without a condition, so they start '
      'before db is ready; use depends_on: db: condition: service_healthy',)),
    # extends: an entry inherited from a service of the file is reported once, where written
    ('services:\n  base:\n    image: a:1\n    depends_on: [db]\n  web:\n    extends: base\n'
     + DB + HC,
     ('4:18: DH202 services base, web depend on db but list it without a condition, so they '
      'start before db is ready; use depends_on: db: condition: service_healthy',)),
    # x- extension fields are not services
    ('x-tmpl:\n  image: a:1\n  depends_on: [db]\nservices:\n' + DB, ()),
    # several YAML documents: the later long form replaces the earlier short one
    ('services:\n  api:\n    image: a:1\n    depends_on: [db]\n' + DB + HC +
     '---\nservices:\n  api:\n    depends_on:\n      db:\n        condition: service_healthy\n',
     ()),
    ('services:\n  api:\n    image: a:1\n' + DB + '---\nservices:\n  api:\n    depends_on: [db]\n',
     (_target('4:3', 'db', 'api'),)),
    # a list item with a variable: its long form could not be interpolated; not judged
    ('services:\n  api:\n    image: a:1\n    depends_on:\n      - ${DB:-db}\n' + DB + HC, ()),
    # a dependency another file defines: its healthcheck cannot be known here
    ('services:\n  api:\n    image: a:1\n    depends_on: [db]\n', ()),
    # a fragment (no image or build) is completed by another file, which holds its healthcheck
    ('services:\n  caddy-gen:\n    image: caddy-gen:1\n    depends_on:\n'
     '      plausible: {condition: service_healthy}\n'
     '  plausible:\n    labels:\n      virtual.host: example.com\n', ()),
    # dependents that need no readiness: a keep-alive dev container, one that waits itself
    ('services:\n  dev:\n    image: a:1\n    command: sleep infinity\n    depends_on: [db]\n'
     + DB, ()),
    ('services:\n  dev:\n    image: a:1\n    command: /bin/sh -c "while sleep 1000; do :; done"\n'
     '    depends_on: [db]\n' + DB, ()),
    ('services:\n  dev:\n    image: a:1\n    entrypoint: ["tail", "-f", "/dev/null"]\n'
     '    depends_on: [db]\n' + DB, ()),
    ('services:\n  app:\n    image: a:1\n'
     '    command: ["./wait-for-it.sh", "db:5432", "--", "app"]\n    depends_on: [db]\n' + DB, ()),
    # provider services are not containers
    ('services:\n  app:\n    image: a:1\n    depends_on: [llm]\n'
     '  llm:\n    provider:\n      type: model\n', ()),
    # pragmas: above the entry, above the dependency, for the file
    ('services:\n  api:\n    image: a:1\n    depends_on:\n      # dockhooks: ignore=DH202\n'
     '      - db\n' + DB + HC, ()),
    ('services:\n  api:\n    image: a:1\n    depends_on:\n      - db\n'
     '  # dockhooks: ignore=DH202 db is a throwaway fixture\n' + DB, ()),
    ('# dockhooks: ignore-file=DH202\nservices:\n  api:\n    image: a:1\n    depends_on: [db]\n'
     + DB, ()),
)


@pytest.mark.parametrize(('src', 'expected'), CASES)
def test_healthchecks(src, expected, clean_cwd, capsys):
    assert_findings(main, clean_cwd / 'compose.yaml', capsys, src, expected)


BUILT = ('services:\n  web:\n    image: w:1\n    depends_on:\n'
         '      api: {condition: service_healthy}\n')

DOCKERFILE_CASES = (
    # a HEALTHCHECK in the final stage of the Dockerfile the service builds counts
    ('FROM node:22-alpine\nHEALTHCHECK CMD wget -qO- localhost:3000/health\nCMD ["node", "."]\n',
     BUILT + '  api:\n    build: ./api\n', ()),
    # ... also inherited from an earlier stage, and with only timing keys in the compose file
    ('FROM node:22-alpine AS base\nHEALTHCHECK CMD wget -qO- localhost:3000/health\n'
     'FROM base\nCMD ["node", "."]\n',
     BUILT + '  api:\n    build: ./api\n    healthcheck:\n      interval: 5s\n', ()),
    # HEALTHCHECK NONE, or none at all
    ('FROM node:22-alpine\nHEALTHCHECK NONE\n', BUILT + '  api:\n    build: ./api\n',
     (_target('6:3', 'api', 'web'),)),
    ('FROM node:22-alpine\nCMD ["node", "."]\n',
     BUILT + '  api:\n    build: ./api\n    healthcheck:\n      interval: 5s\n',
     (_target('6:3', 'api', 'web'),)),
    # build.target picks the stage that runs, not the last one
    ('FROM node:22-alpine AS dev\nHEALTHCHECK CMD wget -qO- localhost:3000/health\n'
     'FROM node:22-alpine AS prod\nCMD ["node", "."]\n',
     BUILT + '  api:\n    build: {context: ./api, target: dev}\n', ()),
    ('FROM node:22-alpine AS dev\nCMD ["node", "."]\n'
     'FROM node:22-alpine AS prod\nHEALTHCHECK CMD wget -qO- localhost:3000/health\n',
     BUILT + '  api:\n    build: {context: ./api, target: dev}\n',
     (_target('6:3', 'api', 'web'),)),
)


@pytest.mark.parametrize(('dockerfile', 'src', 'expected'), DOCKERFILE_CASES)
def test_dockerfile_healthcheck(dockerfile, src, expected, clean_cwd, capsys):
    (clean_cwd / 'api').mkdir()
    (clean_cwd / 'api' / 'Dockerfile').write_text(dockerfile)
    assert_findings(main, clean_cwd / 'compose.yaml', capsys, src, expected)


def test_override_file_is_judged_with_its_base(clean_cwd, capsys):
    # appwrite+appwrite/docker-compose.override.yml: mongodb is defined with its healthcheck
    # in docker-compose.yml; the override only adds profiles and ports
    (clean_cwd / 'docker-compose.yml').write_text(
        'services:\n  mongodb:\n    image: mongo:8.0\n'
        '    healthcheck:\n      test: ["CMD", "mongosh", "--eval", "db.runCommand(\'ping\')"]\n',
    )
    path = clean_cwd / 'docker-compose.override.yml'
    path.write_text(
        'services:\n  mongo-express:\n    image: mongo-express:1.0\n    depends_on:\n'
        '      mongodb: {condition: service_healthy}\n'
        '  mongodb:\n    profiles: [mongodb]\n    build: ./mongo\n',
    )
    assert main([str(path)]) == 0
    assert capsys.readouterr().out == ''


EXTRA_IMAGE = '''\
services:
  app:
    image: myorg/app:1.0
    depends_on:
      api:
        condition: service_healthy
  api:
    image: registry.example.com/myorg/api:2.0
'''


@pytest.mark.parametrize(('args', 'config', 'expected'), (
    # the image is not known to declare a HEALTHCHECK: the dependency is reported
    ((), None, [f'compose.yaml:{_target("7:3", "api", "app")}']),
    # --extra-healthcheck-images: matched without registry or tag
    (('--extra-healthcheck-images', 'myorg/*'), None, []),
    # the same from .dockhooks.toml
    ((), 'extra-healthcheck-images = ["myorg/api"]\n', []),
    # a glob that does not match changes nothing
    (('--extra-healthcheck-images', 'other/*'), None,
     [f'compose.yaml:{_target("7:3", "api", "app")}']),
))
def test_extra_healthcheck_images(args, config, expected, clean_cwd, capsys):
    (clean_cwd / 'compose.yaml').write_text(EXTRA_IMAGE)
    if config is not None:
        (clean_cwd / '.dockhooks.toml').write_text(config)
    rc = main(['compose.yaml', *args])
    assert capsys.readouterr().out.splitlines() == expected
    assert rc == (1 if expected else 0)
