from __future__ import annotations

import pytest
from dockhooks.compose_debug_profiles import main
from hookrun import assert_findings


def _f(pos: str, service: str, tool: str) -> str:
    return (f'{pos}: DH203 service {service} runs {tool}, a debug/admin tool, on every '
            f'`docker compose up`; add profiles: [debug] so it starts only with '
            f'`docker compose --profile debug up`')


APP = 'services:\n  app:\n    image: example/app:1.4.2\n'

CASES = (
    # an admin tool next to the application, without profiles
    (APP + '  pgadmin:\n    image: dpage/pgadmin4:8.14\n    ports: ["5050:80"]\n',
     (_f('4:3', 'pgadmin', 'pgAdmin'),)),
    (APP + '  insight:\n    image: redis/redisinsight:2.60\n',
     (_f('4:3', 'insight', 'RedisInsight'),)),
    # registry, tag, digest and library/ do not hide the name
    (APP + '  db-ui:\n    image: docker.io/library/adminer:4.8.1@sha256:' + 'a' * 64 + '\n',
     (_f('4:3', 'db-ui', 'Adminer'),)),
    (APP + '  mail:\n    image: axllent/mailpit\n', (_f('4:3', 'mail', 'Mailpit'),)),
    (APP + '  pma:\n    image: phpmyadmin:5-apache\n', (_f('4:3', 'pma', 'phpMyAdmin'),)),
    (APP + '  me:\n    image: mongo-express:1.0\n', (_f('4:3', 'me', 'mongo-express'),)),
    (APP + '  mailhog:\n    image: mailhog/mailhog:v1.0.1\n', (_f('4:3', 'mailhog', 'MailHog'),)),
    (APP + '  rc:\n    image: ghcr.io/joeferner/redis-commander:0.9\n',
     (_f('4:3', 'rc', 'redis-commander'),)),
    (APP + '  kafka-ui:\n    image: provectuslabs/kafka-ui:v0.7.2\n',
     (_f('4:3', 'kafka-ui', 'kafka-ui'),)),
    # vimagick+dockerfiles/redpanda/docker-compose.yml, vimagick+dockerfiles/cmak: admin
    # consoles the list did not know
    (APP + '  console:\n    image: redpandadata/console:v2.7.2\n',
     (_f('4:3', 'console', 'Redpanda Console'),)),
    (APP + '  cmak:\n    image: vimagick/cmak\n', (_f('4:3', 'cmak', 'CMAK'),)),
    (APP + '  flower:\n    image: mher/flower:2.0\n', (_f('4:3', 'flower', 'Flower'),)),
    # not admin tools: the database itself, an image that only looks alike
    (APP + '  db:\n    image: postgres:16\n  web:\n    image: example/pgadmin-theme:1\n', ()),
    # profiles, own or brought in by a merge key, or added by a later document
    (APP + '  pgadmin:\n    image: dpage/pgadmin4:8.14\n    profiles: [debug]\n', ()),
    ('x-debug: &debug\n  profiles: ["tools"]\n' + APP
     + '  adminer:\n    <<: *debug\n    image: adminer:4.8.1\n', ()),
    (APP + '  adminer:\n    image: adminer:4.8.1\n'
     '---\nservices:\n  adminer:\n    profiles: [debug]\n', ()),
    # extends brings the image: the extending service is judged too
    (APP + '  pgadmin:\n    image: dpage/pgadmin4:8.14\n    profiles: [debug]\n'
     '  pgadmin2:\n    extends: pgadmin\n', ()),
    (APP + '  tools:\n    image: adminer:4.8.1\n    profiles: [debug]\n'
     '  adminer:\n    extends: tools\n    profiles: !reset []\n',
     (_f('7:3', 'adminer', 'Adminer'),)),
    # an image from a variable without default is unknown
    (APP + '  pgadmin:\n    image: ${PGADMIN_IMAGE}\n', ()),
    (APP + '  pgadmin:\n    image: ${PGADMIN_IMAGE:-dpage/pgadmin4:8.14}\n',
     (_f('4:3', 'pgadmin', 'pgAdmin'),)),
    # x- extension fields are not services
    ('x-pgadmin:\n  image: dpage/pgadmin4:8.14\n' + APP, ()),
    # vimagick+dockerfiles/pgadmin4/docker-compose.yml: a file that deploys only the tool is
    # started on purpose
    ('services:\n  pgadmin4:\n    image: dpage/pgadmin4\n    ports:\n      - "5050:80"\n'
     '    restart: unless-stopped\n', ()),
    ('services:\n  adminer:\n    image: adminer:4.8.1\n  mailpit:\n    image: axllent/mailpit:1\n'
     '  db:\n    ports: ["5432:5432"]\n', ()),  # with a fragment of the main file: still tools
    # appwrite+appwrite/tests/resources/docker/docker-compose.yml: the workers send their
    # mail to maildev; Compose refuses a dependency in an inactive profile
    (APP + '    depends_on: [maildev]\n  maildev:\n    image: appwrite/mailcatcher:1.0.0\n'
     '  mail:\n    image: maildev/maildev:2.1.0\n  worker:\n    image: example/app:1.4.2\n'
     '    depends_on:\n      mail: {condition: service_started}\n', ()),
    # ... unless the service that depends on it only starts with a profile itself
    (APP + '  tests:\n    image: example/tests:1\n    profiles: [test]\n    depends_on: [mail]\n'
     '  mail:\n    image: maildev/maildev:2.1.0\n',
     (_f('8:3', 'mail', 'MailDev'),)),
    # pragmas
    (APP + '  # dockhooks: ignore=DH203 the team wants it always on\n'
     '  pgadmin:\n    image: dpage/pgadmin4:8.14\n', ()),
    ('# dockhooks: ignore-file=DH203\n' + APP + '  pgadmin:\n    image: dpage/pgadmin4:8.14\n',
     ()),
)


@pytest.mark.parametrize(('src', 'expected'), CASES)
def test_debug_profiles(src, expected, clean_cwd, capsys):
    assert_findings(main, clean_cwd / 'compose.yaml', capsys, src, expected)


def test_override_file_with_only_tools_is_reported(clean_cwd, capsys):
    # `docker compose up` reads compose.override.yaml with compose.yaml: its tools start too
    (clean_cwd / 'compose.yaml').write_text(APP)
    path = clean_cwd / 'compose.override.yaml'
    path.write_text('services:\n  adminer:\n    image: adminer:4.8.1\n')
    assert main([str(path)]) == 1
    assert capsys.readouterr().out.splitlines() == [f'{path}:' + _f('2:3', 'adminer', 'Adminer')]


OPTION_CASES = (
    # --extra-debug-images: globs over the name without registry or tag
    (APP + '  console:\n    image: registry.example.com/myorg/db-console:3\n',
     ('--extra-debug-images', 'myorg/db-*'),
     (_f('4:3', 'console', 'myorg/db-console'),)),
    (APP + '  console:\n    image: myorg/db-console:3\n', (), ()),
    # --allowed-debug-images: a listed tool that may start by default
    (APP + '  adminer:\n    image: adminer:4.8.1\n  pgadmin:\n    image: dpage/pgadmin4:8.14\n',
     ('--allowed-debug-images', 'adminer'),
     (_f('6:3', 'pgadmin', 'pgAdmin'),)),
    (APP + '  adminer:\n    image: adminer:4.8.1\n', ('--allowed-debug-images', 'adm*'), ()),
)


@pytest.mark.parametrize(('src', 'args', 'expected'), OPTION_CASES)
def test_options(src, args, expected, clean_cwd, capsys):
    path = clean_cwd / 'compose.yaml'
    path.write_text(src)
    assert main([str(path), *args]) == (1 if expected else 0)
    assert capsys.readouterr().out.splitlines() == [f'{path}:{e}' for e in expected]


APP_AND_MAILPIT = ('services:\n  app:\n    image: example/app:1.0\n    environment:\n'
                   '      {env}\n  mailcatch:\n    image: axllent/mailpit:v1.20\n')
MAILPIT_FINDING = ('6:3: DH203 service mailcatch runs Mailpit, a debug/admin tool, on every '
                   '`docker compose up`; add profiles: [debug] so it starts only with '
                   '`docker compose --profile debug up`')


@pytest.mark.parametrize(('env', 'expected'), (
    # the application sends its mail to the catcher: part of the stack
    ('SMTP_HOST: mailcatch', ()),
    ('EMAIL_URL: smtp://mailcatch:1025', ()),
    ('MAIL: "mailcatch:1025"', ()),
    # no one uses it: a debug tool
    ('SMTP_HOST: smtp.example.com', (MAILPIT_FINDING,)),
    ('SMTP_HOST: mailcatcher', (MAILPIT_FINDING,)),  # a longer name is another host
))
def test_a_tool_the_application_uses_is_part_of_the_stack(env, expected, clean_cwd, capsys):
    assert_findings(main, clean_cwd / 'compose.yaml', capsys,
                    APP_AND_MAILPIT.format(env=env), expected)


def test_a_tool_used_from_another_compose_file_of_the_project(clean_cwd, capsys):
    (clean_cwd / 'compose.override.yaml').write_text(
        'services:\n  app:\n    environment:\n      SMTP_HOST: mailcatch\n')
    assert_findings(main, clean_cwd / 'compose.yaml', capsys,
                    APP_AND_MAILPIT.format(env='TZ: UTC'), ())


def test_a_folder_named_after_the_tool_deploys_it(clean_cwd, capsys):
    # docker+awesome-compose/postgresql-pgadmin: postgres and pgAdmin, the tool on purpose
    assert_findings(main, clean_cwd / 'postgresql-pgadmin' / 'compose.yaml', capsys,
                    'services:\n  db:\n    image: postgres:16\n'
                    '  pgadmin:\n    image: dpage/pgadmin4:8.14\n', ())


def test_a_tool_named_in_an_env_file(clean_cwd, capsys):
    # saleor+saleor: the application's env_file sets EMAIL_URL=smtp://mailcatch:1025
    (clean_cwd / 'backend.env').write_text('# Mailpit\nEMAIL_URL=smtp://mailcatch:1025\n')
    src = ('services:\n  app:\n    image: example/app:1.0\n    env_file:\n      - backend.env\n'
           '  mailcatch:\n    image: axllent/mailpit:v1.20\n')
    assert_findings(main, clean_cwd / 'compose.yaml', capsys, src, ())
    # an env_file that names another host: the tool is nobody's
    (clean_cwd / 'backend.env').write_text('EMAIL_URL=smtp://smtp.example.com:25\n')
    assert_findings(main, clean_cwd / 'compose.yaml', capsys, src, (MAILPIT_FINDING,))


@pytest.mark.parametrize(('src', 'expected'), (
    # the catcher joins the application's network namespace: the application reaches it at
    # localhost (bitwarden+server's devcontainer), and the other way round
    ('services:\n  app:\n    image: example/app:1.0\n'
     '  mail:\n    image: sj26/mailcatcher:v0.10\n    network_mode: service:app\n', ()),
    ('services:\n  app:\n    image: example/app:1.0\n    network_mode: service:mail\n'
     '  mail:\n    image: sj26/mailcatcher:v0.10\n', ()),
    # a mail catcher whose SMTP port is published takes mail from outside Compose (the
    # application run on the host, documenso+documenso/docker/development)
    ('services:\n  db:\n    image: postgres:16\n    ports: ["54320:5432"]\n'
     '  inbucket:\n    image: inbucket/inbucket:3.0\n    ports: ["9000:9000", "2500:2500"]\n', ()),
    ('services:\n  db:\n    image: postgres:16\n'
     '  mail:\n    image: axllent/mailpit:v1.20\n'
     '    ports:\n      - target: 1025\n        published: "1025"\n', ()),
    # ... its web UI alone published: a tool nobody sends to
    ('services:\n  db:\n    image: postgres:16\n'
     '  mail:\n    image: axllent/mailpit:v1.20\n    ports: ["127.0.0.1:8025:8025"]\n',
     (_f('4:3', 'mail', 'Mailpit'),)),
    # a published port is no reason to keep an admin console running
    (APP + '  pgadmin:\n    image: dpage/pgadmin4:8.14\n    ports: ["1025:80"]\n',
     (_f('4:3', 'pgadmin', 'pgAdmin'),)),
))
def test_tools_that_serve_the_stack(src, expected, clean_cwd, capsys):
    assert_findings(main, clean_cwd / 'compose.yaml', capsys, src, expected)


@pytest.mark.parametrize('path', ('.devcontainer/compose.yaml', 'tools/compose.yaml'))
def test_devcontainer_stacks_are_workspaces(path, clean_cwd, capsys):
    # a devcontainer's compose file, by its folder or by the devcontainer Dockerfile its
    # workspace service builds: started by the devcontainer tooling, which passes no profiles
    (clean_cwd / '.devcontainer').mkdir()
    (clean_cwd / '.devcontainer' / 'Dockerfile').write_text('FROM python:3.13\n')
    src = ('services:\n  workspace:\n    build:\n      context: ..\n'
           '      dockerfile: .devcontainer/Dockerfile\n    command: sleep infinity\n'
           '  pgadmin:\n    image: dpage/pgadmin4:8.14\n')
    assert_findings(main, clean_cwd / path, capsys, src, ())
