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


def _unknown(pos: str, name: str, users: str, image: str) -> str:
    return (f'{pos}: DH202 service {name} is in depends_on of {users} but has no healthcheck '
            f'here (its image {image} may declare one: then only the wait is missing), so '
            f'nothing can wait for it to be ready; add healthcheck: with a test: that checks it '
            f'answers, then make {users} wait for it with depends_on: {name}: condition: '
            f'service_healthy')


HC = '    healthcheck:\n      test: ["CMD-SHELL", "pg_isready -U postgres"]\n'
DB = '  db:\n    image: postgres:16\n'
# A dependent that uses db: it is told where to find it (only such a dependent needs it ready)
USES = '    environment:\n      DATABASE_URL: postgres://app@db:5432/app\n'

API = 'services:\n  api:\n    image: a:1\n' + USES  # lines 1-5

CASES = (
    # short form, and the dependency has no healthcheck: one finding, at the dependency, that
    # says both steps (asking for service_healthy alone would make `up` fail)
    (API + '    depends_on:\n      - db\n' + DB, (_target('8:3', 'db', 'api'),)),
    (API + '    depends_on: [db]\n' + DB, (_target('7:3', 'db', 'api'),)),
    # short form to a dependency with a healthcheck: the entry
    (API + '    depends_on:\n      - db\n' + DB + HC, (_entry('7:9', 'api', 'db'),)),
    # an explicit condition is the maintainer's decision
    (API + '    depends_on:\n      db:\n        condition: service_started\n' + DB + HC, ()),
    (API + '    depends_on:\n      db:\n        condition: service_started\n' + DB, ()),
    # long form with service_healthy and a healthcheck: right
    (API + '    depends_on:\n      db:\n        condition: service_healthy\n' + DB + HC, ()),
    # service_healthy on a pulled image without healthcheck: the file says its image has one
    # (Compose refuses to start the dependent otherwise), and the image is not read
    ('services:\n  api:\n    image: a:1\n    depends_on:\n      db:\n'
     '        condition: service_healthy\n' + DB, ()),
    # healthcheck: {disable: true} and test: ["NONE"] turn the image's healthcheck off: the
    # wait cannot pass, and the file itself says so
    ('services:\n  api:\n    image: a:1\n    depends_on:\n      db: {condition: service_healthy}\n'
     + DB + '    healthcheck:\n      disable: true\n',
     (_target('6:3', 'db', 'api', disabled=True),)),
    ('services:\n  api:\n    image: a:1\n    depends_on:\n      db: {condition: service_healthy}\n'
     + DB + '    healthcheck:\n      test: ["NONE"]\n',
     (_target('6:3', 'db', 'api', disabled=True),)),
    # only timing keys on a pulled image: its own HEALTHCHECK is kept
    (API + '    depends_on: [db]\n' + DB + '    healthcheck:\n      interval: 5s\n',
     (_entry('6:18', 'api', 'db'),)),
    # a healthcheck brought in by a merge key counts
    ('x-hc: &hc\n  healthcheck:\n    test: ["CMD", "pg_isready"]\nservices:\n'
     '  api:\n    image: a:1\n    depends_on:\n      db: {condition: service_healthy}\n'
     '  db:\n    <<: *hc\n    image: postgres:16\n', ()),
    # service_completed_successfully is right for a one-shot job, which needs no healthcheck
    ('services:\n  api:\n    image: a:1\n    depends_on:\n      migrate:\n'
     '        condition: service_completed_successfully\n'
     '  migrate:\n    image: a:1\n    command: ["manage", "migrate"]\n', ()),
    # a dependent waits for it to finish: it is a job, the short-form entries are told so
    # (whether the dependent names it or not: a job's work is used, not its address)
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
    ('services:\n  app:\n    image: a:1\n    environment:\n      REGISTRY: http://registry:8081\n'
     '    depends_on: [registry]\n'
     '  registry:\n    image: confluentinc/cp-schema-registry:7.6.0\n',
     (_unknown('7:3', 'registry', 'app', 'confluentinc/cp-schema-registry'),)),
    # temporalio/docker-compose: a job's word in the image's name (auto-setup), but it
    # publishes a port: a server, which others reach at that port
    ('services:\n  ui:\n    image: a:1\n    environment:\n      - ADDRESS=temporal:7233\n'
     '    depends_on: [temporal]\n'
     '  temporal:\n    image: temporalio/auto-setup:1.29\n    ports: ["7233:7233"]\n',
     (_unknown('7:3', 'temporal', 'ui', 'temporalio/auto-setup'),)),
    # appwrite+appwrite/docker-compose.override.yml: a queue worker for migrations serves
    ('services:\n  app:\n    image: a:1\n    command: ["app", "--queue=worker-migrations:9000"]\n'
     '    depends_on: [worker-migrations]\n'
     '  worker-migrations:\n    image: example/worker:1\n',
     (_unknown('6:3', 'worker-migrations', 'app', 'example/worker'),)),
    # a job's name, but a restart policy keeps it running: a server
    ('services:\n  app:\n    image: a:1\n    environment: [INIT_URL=http://init]\n'
     '    depends_on: [init]\n  init:\n    image: example/init:1\n    restart: unless-stopped\n',
     (_unknown('6:3', 'init', 'app', 'example/init'),)),
    # vimagick+dockerfiles/airflow/docker-compose.yml: every dependent waits for airflow-init
    # to finish, and it was told to add a healthcheck
    ('services:\n  airflow-webserver:\n    image: apache/airflow:3.0.5\n    depends_on:\n'
     '      airflow-init:\n        condition: service_completed_successfully\n'
     '  airflow-init:\n    image: apache/airflow:3.0.5\n    restart: always\n', ()),
    # element-hq+synapse/contrib/docker_compose_workers/docker-compose.yaml: the Synapse
    # image declares its own HEALTHCHECK
    ('services:\n  synapse:\n    image: matrixdotorg/synapse:latest\n'
     '  synapse-generic-worker-1:\n    image: matrixdotorg/synapse:latest\n'
     '    environment:\n      MAIN: http://synapse:8008\n    depends_on:\n      - synapse\n',
     (_entry('9:9', 'synapse-generic-worker-1', 'synapse'),)),
    # laradock+laradock/mailu/compose.yml: Mailu's images too, whatever the tag
    ('services:\n  mailu:\n    image: mailu/admin:${MAILU_VERSION}\n    depends_on:\n'
     '      mailu-front: {condition: service_healthy}\n'
     '  mailu-front:\n    image: ghcr.io/mailu/nginx:${MAILU_VERSION}\n', ()),
    # merge keys: an anchored depends_on is one finding at the anchor, for every service
    ('x-dep: &dep\n  depends_on:\n    - db\nservices:\n'
     '  a:\n    image: a:1\n    <<: *dep\n' + USES + '  b:\n    image: b:1\n    <<: *dep\n'
     + USES + DB + HC,
     ('3:7: DH202 services a, b depend on db but list it without a condition, so they start '
      'before db is ready; use depends_on: db: condition: service_healthy',)),
    # extends: an entry inherited from a service of the file is reported once, where written
    ('services:\n  base:\n    image: a:1\n' + USES + '    depends_on: [db]\n'
     '  web:\n    extends: base\n' + DB + HC,
     ('6:18: DH202 services base, web depend on db but list it without a condition, so they '
      'start before db is ready; use depends_on: db: condition: service_healthy',)),
    # x- extension fields are not services
    ('x-tmpl:\n  image: a:1\n  depends_on: [db]\nservices:\n' + DB, ()),
    # several YAML documents: the later long form replaces the earlier short one
    (API + '    depends_on: [db]\n' + DB + HC +
     '---\nservices:\n  api:\n    depends_on:\n      db:\n        condition: service_healthy\n',
     ()),
    (API + DB + '---\nservices:\n  api:\n    depends_on: [db]\n',
     (_target('6:3', 'db', 'api'),)),
    # a list item with a variable: its long form could not be interpolated; not judged, and
    # neither are the other items of its list: written as a mapping, the list would lose it
    (API + '    depends_on:\n      - ${DB:-db}\n' + DB + HC, ()),
    (API + '    depends_on:\n      - redis\n      - ${DB_HOST:-db}\n' + DB + HC +
     '  redis:\n    image: redis:8\n', ()),
    # a dependency another file defines: its healthcheck cannot be known here
    (API + '    depends_on: [db]\n', ()),
    # a fragment (no image or build) is completed by another file, which holds its healthcheck
    ('services:\n  caddy-gen:\n    image: caddy-gen:1\n    depends_on:\n'
     '      plausible: {condition: service_healthy}\n'
     '  plausible:\n    labels:\n      virtual.host: example.com\n', ()),
    # dependents that need no readiness: a keep-alive dev container, one that waits itself,
    # an interactive toolbox a developer attaches to
    ('services:\n  dev:\n    image: a:1\n' + USES + '    command: sleep infinity\n'
     '    depends_on: [db]\n' + DB, ()),
    ('services:\n  dev:\n    image: a:1\n' + USES +
     '    command: /bin/sh -c "while sleep 1000; do :; done"\n    depends_on: [db]\n' + DB, ()),
    ('services:\n  dev:\n    image: a:1\n' + USES +
     '    entrypoint: ["tail", "-f", "/dev/null"]\n    depends_on: [db]\n' + DB, ()),
    ('services:\n  app:\n    image: a:1\n'
     '    command: ["./wait-for-it.sh", "db:5432", "--", "app"]\n    depends_on: [db]\n' + DB, ()),
    # loops that repeat a probe until it passes, whatever the probe
    ('services:\n  app:\n    image: a:1\n    command:\n      - /bin/sh\n      - -c\n'
     '      - |\n        while ! curl -sf http://db:5432/; do sleep 1; done\n'
     '        exec app\n    depends_on: [db]\n' + DB, ()),
    ('services:\n  app:\n    image: a:1\n    command: >-\n      sh -c "for i in 1 2 3 4 5;'
     ' do nc db 5432 < /dev/null && break; sleep 2; done; exec app"\n'
     '    depends_on: [db]\n' + DB, ()),
    (API + '    stdin_open: true\n    tty: true\n    depends_on: [db]\n' + DB, ()),
    # provider services are not containers
    ('services:\n  app:\n    image: a:1\n    depends_on: [llm]\n'
     '  llm:\n    provider:\n      type: model\n', ()),
    # pragmas: above the entry, above the dependency, for the file
    (API + '    depends_on:\n      # dockhooks: ignore=DH202\n      - db\n' + DB + HC, ()),
    (API + '    depends_on:\n      - db\n'
     '  # dockhooks: ignore=DH202 db is a throwaway fixture\n' + DB, ()),
    ('# dockhooks: ignore-file=DH202\n' + API + '    depends_on: [db]\n' + DB, ()),
)


@pytest.mark.parametrize(('src', 'expected'), CASES)
def test_healthchecks(src, expected, clean_cwd, capsys):
    assert_findings(main, clean_cwd / 'compose.yaml', capsys, src, expected)


# web proxies to api (it is told where to find it) and waits for its health
BUILT = ('services:\n  web:\n    image: w:1\n    environment: [BACKEND=api:3000]\n'
         '    depends_on:\n      api: {condition: service_healthy}\n')
# ... or lists it without a condition
LISTED = 'services:\n  web:\n    image: w:1\n    environment: [BACKEND=api:3000]\n' \
    '    depends_on: [api]\n'
SCRATCH = ('FROM golang:1.24 AS build\nRUN go build -o /server .\n'
           'FROM scratch\nCOPY --from=build /server /server\nENTRYPOINT ["/server"]\n')

DOCKERFILE_CASES = (
    # a HEALTHCHECK in the final stage of the Dockerfile the service builds counts
    ('FROM node:22-alpine\nHEALTHCHECK CMD wget -qO- localhost:3000/health\nCMD ["node", "."]\n',
     BUILT + '  api:\n    build: ./api\n', ()),
    ('FROM node:22-alpine\nHEALTHCHECK CMD wget -qO- localhost:3000/health\nCMD ["node", "."]\n',
     LISTED + '  api:\n    build: ./api\n', (_entry('5:18', 'web', 'api'),)),
    # ... also inherited from an earlier stage, and with only timing keys in the compose file
    ('FROM node:22-alpine AS base\nHEALTHCHECK CMD wget -qO- localhost:3000/health\n'
     'FROM base\nCMD ["node", "."]\n',
     BUILT + '  api:\n    build: ./api\n    healthcheck:\n      interval: 5s\n', ()),
    # HEALTHCHECK NONE turns it off: the wait cannot pass
    ('FROM node:22-alpine\nHEALTHCHECK NONE\n', BUILT + '  api:\n    build: ./api\n',
     (_target('7:3', 'api', 'web', disabled=True),)),
    ('FROM node:22-alpine\nHEALTHCHECK NONE\n', LISTED + '  api:\n    build: ./api\n',
     (_target('6:3', 'api', 'web', disabled=True),)),
    # none at all: listed without a condition, both steps are asked for ...
    ('FROM node:22-alpine\nCMD ["node", "."]\n',
     LISTED + '  api:\n    build: ./api\n    healthcheck:\n      interval: 5s\n',
     (_target('6:3', 'api', 'web'),)),
    # built on an image that is no Official Image: that base may declare one
    ('FROM example/base:1.2\nCMD ["app"]\n', LISTED + '  api:\n    build: ./api\n',
     ('6:3: DH202 service api is in depends_on of web but has no healthcheck here (its base '
      'image example/base may declare one: then only the wait is missing), so nothing can wait '
      'for it to be ready; add healthcheck: with a test: that checks it answers, then make web '
      'wait for it with depends_on: api: condition: service_healthy',)),
    ('ARG BASE\nFROM ${BASE}\nCMD ["app"]\n', LISTED + '  api:\n    build: ./api\n',
     ('6:3: DH202 service api is in depends_on of web but has no healthcheck here (its base '
      'image, which the files do not show, may declare one: then only the wait is missing), so '
      'nothing can wait for it to be ready; add healthcheck: with a test: that checks it '
      'answers, then make web wait for it with depends_on: api: condition: service_healthy',)),
    # ... but a dependent that waits for its health says the image has one: its base image
    # (not read) may declare it
    ('FROM node:22-alpine\nCMD ["node", "."]\n',
     BUILT + '  api:\n    build: ./api\n    healthcheck:\n      interval: 5s\n', ()),
    # build.target picks the stage that runs, not the last one
    ('FROM node:22-alpine AS dev\nHEALTHCHECK CMD wget -qO- localhost:3000/health\n'
     'FROM node:22-alpine AS prod\nCMD ["node", "."]\n',
     LISTED + '  api:\n    build: {context: ./api, target: dev}\n',
     (_entry('5:18', 'web', 'api'),)),
    ('FROM node:22-alpine AS dev\nCMD ["node", "."]\n'
     'FROM node:22-alpine AS prod\nHEALTHCHECK CMD wget -qO- localhost:3000/health\n',
     LISTED + '  api:\n    build: {context: ./api, target: dev}\n',
     (_target('6:3', 'api', 'web'),)),
    # FROM scratch: no shell or curl for a test, and nothing below it to declare one (a wait
    # for its health cannot pass); the advice is what can run there
    (SCRATCH, LISTED + '  api:\n    build: ./api\n',
     ('6:3: DH202 service api is in depends_on of web but has no healthcheck, so nothing can '
      'wait for it to be ready; its image is built FROM scratch, with no shell or curl for a '
      'test: to run: use a health check mode of /server in exec form (test: ["CMD", '
      '"/server", "healthcheck"] if it has one), or copy a static probe into the image, and '
      'then make web wait for it with depends_on: api: condition: service_healthy',)),
    (SCRATCH, BUILT + '  api:\n    build: ./api\n',
     ('7:3: DH202 service api is in depends_on of web but has no healthcheck, so nothing can '
      'wait for it to be ready; its image is built FROM scratch, with no shell or curl for a '
      'test: to run: use a health check mode of /server in exec form (test: ["CMD", '
      '"/server", "healthcheck"] if it has one), or copy a static probe into the image, and '
      'then make web wait for it with depends_on: api: condition: service_healthy',)),
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
    environment:
      API_URL: http://api:8080
    depends_on:
      - api
  api:
    image: registry.example.com/myorg/api:2.0
'''
# without the option: the image is not known to declare a HEALTHCHECK, and the finding says
# it may; with it: the entry is told to wait for it
NO_HC = f'compose.yaml:{_unknown("8:3", "api", "app", "myorg/api")}'
WAIT = f'compose.yaml:{_entry("7:9", "app", "api")}'


@pytest.mark.parametrize(('args', 'config', 'expected'), (
    ((), None, [NO_HC]),
    # --extra-healthcheck-images: matched without registry or tag
    (('--extra-healthcheck-images', 'myorg/*'), None, [WAIT]),
    # the same from .dockhooks.toml
    ((), 'extra-healthcheck-images = ["myorg/api"]\n', [WAIT]),
    # a glob that does not match changes nothing
    (('--extra-healthcheck-images', 'other/*'), None, [NO_HC]),
))
def test_extra_healthcheck_images(args, config, expected, clean_cwd, capsys):
    (clean_cwd / 'compose.yaml').write_text(EXTRA_IMAGE)
    if config is not None:
        (clean_cwd / '.dockhooks.toml').write_text(config)
    rc = main(['compose.yaml', *args])
    assert capsys.readouterr().out.splitlines() == expected
    assert rc == (1 if expected else 0)


# Readiness is asked for only where the dependent reaches the dependency and is told where to
# find it; every other depends_on entry orders the start and nothing more.
PG = '  db:\n    image: postgres:16\n'
USE_CASES = (
    # named nowhere: an order-only edge (getredash+redash: the scheduler lists the web server
    # it never talks to)
    ('services:\n  scheduler:\n    image: a:1\n    command: dev_scheduler\n'
     '    depends_on: [db]\n' + PG, ()),
    # a bare word of a command line may be a subcommand (`manage.py db upgrade`) ...
    ('services:\n  job:\n    image: a:1\n    command: python manage.py db upgrade\n'
     '    depends_on: [db]\n' + PG, ()),
    # ... an address there is a use: host:port, URL, --flag=host, -h host
    ('services:\n  job:\n    image: a:1\n    command: ["pgbench", "-h", "db", "app"]\n'
     '    depends_on: [db]\n' + PG, (_target('6:3', 'db', 'job'),)),
    ('services:\n  job:\n    image: a:1\n    command: app --database=db\n'
     '    depends_on: [db]\n' + PG, (_target('6:3', 'db', 'job'),)),
    # a name that is only part of a longer one, a path or a key is not a use
    ('services:\n  app:\n    image: a:1\n    environment:\n      BACKUP: db-backup\n'
     '      DATA: /srv/db/data\n      FILE: db.sqlite3\n    depends_on: [db]\n' + PG, ()),
    # the name Compose gives the container (project-service-index) is the service's
    ('services:\n  app:\n    image: a:1\n    environment:\n'
     '      MONGODB_URI: mongodb://shop_db_1:27017/shop\n    depends_on: [db]\n' + PG,
     (_target('7:3', 'db', 'app'),)),
    # a container_name, hostname or network alias is the service's too, and so is the alias
    # of a link
    ('services:\n  app:\n    image: a:1\n    environment: [DB_HOST=postgres.internal]\n'
     '    depends_on: [db]\n  db:\n    image: postgres:16\n    hostname: postgres.internal\n',
     (_target('6:3', 'db', 'app'),)),
    ('services:\n  app:\n    image: a:1\n    links: ["db:database"]\n'
     '    environment: [DB_HOST=database]\n    depends_on: [db]\n' + PG,
     (_target('7:3', 'db', 'app'),)),
    # only a mail relay or a telemetry exporter names it: contacted when a mail is sent or
    # spans are flushed, with retries, not when the service starts
    ('services:\n  app:\n    image: a:1\n    environment:\n      SMTP_HOST: mail\n'
     '      OTEL_EXPORTER_OTLP_ENDPOINT: http://jaeger:4318\n    depends_on: [mail, jaeger]\n'
     '  mail:\n    image: bytemark/smtp:1\n  jaeger:\n    image: jaegertracing/jaeger:2.5.0\n', ()),
    # no network in common: the dependent cannot reach it (a proxy on its own network)
    ('services:\n  app:\n    image: a:1\n    environment: [PROXY=http://proxy]\n'
     '    depends_on: [proxy]\n  proxy:\n    image: nginx:1.27\n    networks: [proxy-tier]\n'
     'networks:\n  proxy-tier: {}\n', ()),
    # ... a network in common, or the other's network namespace
    ('services:\n  app:\n    image: a:1\n    environment: [DB_HOST=db]\n    networks: [back]\n'
     '    depends_on: [db]\n  db:\n    image: postgres:16\n    networks: [back, front]\n'
     'networks:\n  back: {}\n  front: {}\n', (_target('7:3', 'db', 'app'),)),
    ('services:\n  app:\n    image: a:1\n    network_mode: service:vpn\n'
     '    environment: [DB_HOST=db]\n    depends_on: [db, vpn]\n'
     '  vpn:\n    image: qmcgaw/gluetun:v3\n    networks: [back]\n'
     '  db:\n    image: postgres:16\n    networks: [back]\nnetworks:\n  back: {}\n',
     (_unknown('7:3', 'vpn', 'app', 'qmcgaw/gluetun'), _target('10:3', 'db', 'app'))),
    ('services:\n  app:\n    image: a:1\n    network_mode: service:vpn\n'
     '    environment: [DB_HOST=db]\n    depends_on: [db, vpn]\n'
     '  vpn:\n    image: qmcgaw/gluetun:v3\n    networks: [front]\n'
     '  db:\n    image: postgres:16\n    networks: [back]\nnetworks:\n  back: {}\n  front: {}\n',
     (_unknown('7:3', 'vpn', 'app', 'qmcgaw/gluetun'),)),
    # a proxy that finds its backends through the Docker socket needs no start gate
    ('services:\n  traefik:\n    image: traefik:v3.3\n'
     '    command: ["--providers.docker.constraints=Label(`stack`,`app`)"]\n'
     '    volumes: ["/var/run/docker.sock:/var/run/docker.sock:ro"]\n    depends_on: [app]\n'
     '  app:\n    image: example/app:1\n    healthcheck:\n      test: ["CMD", "true"]\n', ()),
    # members of a cluster whose health test passes once the whole cluster has formed: a
    # member waiting for another's health would never start (a client of it does wait)
    ('x-node: &node\n  image: bitnami/redis-cluster:8.0\n  healthcheck:\n'
     '    test: ["CMD-SHELL", "redis-cli cluster info | grep -q cluster_state:ok"]\n'
     'services:\n  node-0:\n    <<: *node\n    environment: [REDIS_NODES=node-0 node-1]\n'
     '  node-1:\n    <<: *node\n    environment: [REDIS_NODES=node-0 node-1]\n'
     '    depends_on: [node-0]\n'
     '  app:\n    image: a:1\n    environment: [REDIS=node-0:6379]\n    depends_on: [node-0]\n',
     (_entry('16:18', 'app', 'node-0'),)),
)


@pytest.mark.parametrize(('src', 'expected'), USE_CASES)
def test_readiness_needs_a_use(src, expected, clean_cwd, capsys):
    assert_findings(main, clean_cwd / 'compose.yaml', capsys, src, expected)


def test_use_in_env_file_mounted_config_and_templates(clean_cwd, capsys):
    # what the dependent is given in files: its env_file (or, where each checkout makes it,
    # the template committed for it), a configuration file it mounts, the project's .env
    # for a variable listed without value
    (clean_cwd / 'app.env').write_text('# cache\nCACHE_URL=redis://cache:6379/0\n')
    (clean_cwd / 'api').mkdir()
    (clean_cwd / 'api' / '.env.example').write_text('DATABASE_URL=postgres://app@db/app\n')
    (clean_cwd / 'nginx').mkdir()
    (clean_cwd / 'nginx' / 'default.conf').write_text(
        '# upstream web is below\nserver {\n  location / { proxy_pass http://web:3000; }\n}\n')
    (clean_cwd / '.env').write_text('QUEUE_HOST=queue\n')
    src = ('services:\n'
           '  worker:\n    image: a:1\n    env_file: [app.env]\n    depends_on: [cache]\n'
           '  api:\n    image: a:1\n    env_file:\n'
           '      - path: api/.env\n        required: false\n'
           '    environment: [QUEUE_HOST]\n    depends_on: [db, queue]\n'
           '  proxy:\n    image: nginx:1.27\n    volumes: ["./nginx:/etc/nginx/conf.d:ro"]\n'
           '    depends_on: [web, api]\n'
           '  cache:\n    image: redis:8\n'
           '  db:\n    image: postgres:16\n'
           '  queue:\n    image: rabbitmq:4\n'
           '  web:\n    image: example/web:1\n')
    assert_findings(main, clean_cwd / 'compose.yaml', capsys, src, (
        _target('17:3', 'cache', 'worker'), _target('19:3', 'db', 'api'),
        _target('21:3', 'queue', 'api'), _unknown('23:3', 'web', 'proxy', 'example/web'),
    ))


def test_image_the_repository_builds(clean_cwd, capsys):
    # makeplane+plane: the deployment file pulls makeplane/plane-space, which the root
    # compose file builds as service `space` from a Dockerfile with a HEALTHCHECK: only the
    # wait is missing
    (clean_cwd / 'apps' / 'space').mkdir(parents=True)
    (clean_cwd / 'apps' / 'space' / 'Dockerfile').write_text(
        'FROM node:22-alpine\nHEALTHCHECK CMD wget -qO- localhost:3000\nCMD ["node", "."]\n')
    (clean_cwd / 'compose.yaml').write_text(
        'services:\n  space:\n    build: {context: apps/space}\n')
    (clean_cwd / 'deploy').mkdir()
    src = ('services:\n  proxy:\n    image: caddy:2.9\n    environment: [SPACE=space:3000]\n'
           '    depends_on: [space]\n  space:\n    image: makeplane/plane-space:v1\n')
    assert_findings(main, clean_cwd / 'deploy' / 'compose.yaml', capsys, src,
                    (_entry('5:18', 'proxy', 'space'),))
    # an image another service of the file builds (image: beside build:)
    src = ('services:\n  proxy:\n    image: caddy:2.9\n    environment: [SPACE=space:3000]\n'
           '    depends_on: [space]\n  space:\n    image: example/space:1\n'
           '  space-build:\n    image: example/space:1\n    build: ../apps/space\n'
           '    profiles: [build]\n')
    assert_findings(main, clean_cwd / 'deploy' / 'compose.yaml', capsys, src,
                    (_entry('5:18', 'proxy', 'space'),))


@pytest.mark.parametrize('env', ('WAIT_FOR: "db:5432"', 'DOCKER_WAIT_HOST: db',
                                 'WAIT_HOSTS: db:5432, cache:6379'))
def test_a_dependent_told_to_wait_by_itself(env, clean_cwd, capsys):
    # tinode/tinode, teamatldocker/jira, docker-compose-wait: the image's entrypoint waits
    # for what its environment names before it starts the application
    src = ('services:\n  app:\n    image: a:1\n    environment:\n      DB_HOST: db\n'
           f'      {env}\n    depends_on: [db]\n' + PG)
    assert_findings(main, clean_cwd / 'compose.yaml', capsys, src, ())


def test_a_wait_for_health_elsewhere_says_the_image_has_one(clean_cwd, capsys):
    # openzipkin+zipkin: one dependent waits for the storage's health (so its image declares a
    # healthcheck); another that lists it is told to wait too, not to add a healthcheck
    src = ('services:\n  zipkin:\n    image: openzipkin/zipkin:3\n'
           '    environment: [CASSANDRA_CONTACT_POINTS=storage]\n'
           '    depends_on:\n      storage: {condition: service_healthy}\n'
           '  dependencies:\n    image: openzipkin/zipkin-dependencies:3\n'
           '    environment: [CASSANDRA_CONTACT_POINTS=storage]\n    depends_on: [storage]\n'
           '  storage:\n    image: openzipkin/zipkin-cassandra:3\n')
    assert_findings(main, clean_cwd / 'compose.yaml', capsys, src,
                    (_entry('10:18', 'dependencies', 'storage'),))


def test_a_dependent_that_mounts_a_script_that_waits(clean_cwd, capsys):
    # deviantony+docker-elk: the setup job mounts its entrypoint, which waits for
    # Elasticsearch in a loop before it uses it
    (clean_cwd / 'setup').mkdir()
    (clean_cwd / 'setup' / 'entrypoint.sh').write_text(
        '#!/usr/bin/env bash\nuntil curl -s http://db:5432; do sleep 2; done\nexec setup\n')
    src = ('services:\n  setup:\n    image: a:1\n    environment: [DB_HOST=db]\n'
           '    volumes: ["./setup/entrypoint.sh:/entrypoint.sh:ro"]\n    depends_on: [db]\n' + PG)
    assert_findings(main, clean_cwd / 'compose.yaml', capsys, src, ())
    # a mounted configuration file is no script
    (clean_cwd / 'setup' / 'entrypoint.sh').write_text('# until the end\nhost = db\n')
    (clean_cwd / 'setup' / 'entrypoint.sh').rename(clean_cwd / 'setup' / 'app.conf')
    src = src.replace('./setup/entrypoint.sh:/entrypoint.sh', './setup/app.conf:/app.conf')
    assert_findings(main, clean_cwd / 'compose.yaml', capsys, src, (_target('7:3', 'db', 'setup'),))
