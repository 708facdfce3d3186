from __future__ import annotations

import pytest
from dockhooks.compose_read_only import main
from hookrun import assert_findings


def unknown(image: str = 'a', known: str = '') -> str:
    """The advice for an image whose paths nobody can know from the files: how to find them
    (``known``: what is known all the same, as clauses starting with '; '). A named volume is
    offered for data only: over the image's code or assets it would keep the first start's
    files across upgrades."""
    return (f' and give each path it writes to a tmpfs: (scratch, it starts empty) or a volume '
            f'(data only){known}; where {image} writes is not known here: `docker diff '
            f'<container>` on a running one lists the files it changed (if it rewrites its '
            f'own code or /etc at start, exempt it)')


def scratch(name: str, paths: str, extra: str = '') -> str:
    """The advice for an image whose scratch paths are known."""
    return f', with tmpfs: for the paths {name} writes to outside its volumes ({paths}){extra}'


def _missing(pos: str, service: str, needs: str | None = None) -> str:
    needs = unknown() if needs is None else needs
    return (f'{pos}: DH205 service {service} has a writable root filesystem; add read_only: '
            f'true{needs}')


def _false(pos: str, who: str, value: str = 'false', needs: str | None = None) -> str:
    needs = unknown() if needs is None else needs
    return f'{pos}: DH205 {who} read_only: {value}; use read_only: true{needs}'


CASES = (
    # a missing key is reported at the service, read_only: false at its line
    ('services:\n  api:\n    image: example/api:1.4.2\n',
     (_missing('2:3', 'api', unknown('example/api')),)),
    ('services:\n  api:\n    image: example/api:1.4.2\n    read_only: false\n',
     (_false('4:5', 'service api sets', needs=unknown('example/api')),)),
    ('services:\n  api:\n    image: a:1\n    read_only: "false"\n',
     (_false('4:5', 'service api sets'),)),
    # true, with tmpfs for the scratch paths
    ('services:\n  api:\n    image: a:1\n    read_only: true\n    tmpfs:\n      - /tmp\n', ()),
    # interpolation: a default is judged, a variable without one is unknown
    ('services:\n  api:\n    image: a:1\n    read_only: ${READ_ONLY:-false}\n',
     (_false('4:5', 'service api sets'),)),
    ('services:\n  api:\n    image: a:1\n    read_only: ${READ_ONLY:-true}\n', ()),
    ('services:\n  api:\n    image: a:1\n    read_only: ${READ_ONLY}\n', ()),
    # merge keys: true from an anchor counts; false in an anchor is one finding there
    ('x-hardened: &hardened\n  read_only: true\nservices:\n  api:\n    <<: *hardened\n'
     '    image: a:1\n', ()),
    ('x-base: &base\n  read_only: false\nservices:\n  api:\n    <<: *base\n    image: a:1\n'
     '  worker:\n    <<: *base\n    image: w:1\n',
     (_false('2:3', 'services api, worker set'),)),  # the advice for the first of them
    # an own key beats the merged one
    ('x-base: &base\n  read_only: false\nservices:\n  api:\n    <<: *base\n    image: a:1\n'
     '    read_only: true\n', ()),
    # extends: inherited true counts, inherited false is reported at the service
    ('services:\n  base:\n    image: a:1\n    read_only: true\n  api:\n    extends: base\n', ()),
    ('services:\n  base:\n    image: a:1\n    read_only: false\n  api:\n    extends: base\n',
     (_false('4:5', 'service base sets'), _false('5:3', 'service api sets'))),
    # several YAML documents: the last word counts
    ('services:\n  api:\n    image: a:1\n    read_only: false\n---\nservices:\n  api:\n'
     '    read_only: true\n', ()),
    ('services:\n  api:\n    image: a:1\n    read_only: true\n---\nservices:\n  api:\n'
     '    read_only: false\n', (_false('8:5', 'service api sets'),)),
    # x- extension fields are not services
    ('x-api:\n  image: a:1\nservices:\n  api:\n    image: a:1\n    read_only: true\n', ()),
    # zulip+docker-zulip/ci/*/compose.yaml: fragments (no image or build) completed by another
    # compose file are judged there; a false they write is still theirs
    ('services:\n  database:\n    networks: [zulip-backend]\n  redis:\n    networks: [backend]\n',
     ()),
    ('services:\n  zulip:\n    read_only: false\n',
     (_false('3:5', 'service zulip sets', needs=unknown('its image')),)),
    # pragmas: above the service, above the key, for the file
    ('services:\n  # dockhooks: ignore=DH205 writes its plugins at run time\n  api:\n'
     '    image: a:1\n  web:\n    image: n:1\n', (_missing('5:3', 'web', unknown('n')),)),
    ('services:\n  api:\n    image: a:1\n    # dockhooks: ignore=DH205\n    read_only: false\n',
     ()),
    ('# dockhooks: ignore-file=DH205\nservices:\n  api:\n    image: a:1\n', ()),
    # a pragma above a key covers only that key's block
    ('services:\n  api:\n    # dockhooks: ignore=DH205\n    image: a:1\n',
     (_missing('2:3', 'api'),)),
    # a pragma for another code, or an unknown code, hides nothing
    ('services:\n  # dockhooks: ignore=DH204\n  api:\n    image: a:1\n',
     (_missing('3:3', 'api'),)),
    ('services:\n  # dockhooks: ignore=DH999\n  api:\n    image: a:1\n',
     (_missing('3:3', 'api'),  # the pragma's own finding comes after the file's findings
      "2:23: DH002 unknown code 'DH999' in a dockhooks pragma; `dockhooks rules` lists the "
      'codes')),
)


@pytest.mark.parametrize(('src', 'expected'), CASES)
def test_read_only(src, expected, clean_cwd, capsys):
    assert_findings(main, clean_cwd / 'compose.yaml', capsys, src, expected)


def test_exempt_services(clean_cwd, capsys):
    path = clean_cwd / 'compose.yaml'
    path.write_text('services:\n  db:\n    image: p:1\n  web:\n    image: n:1\n'
                    '  cache:\n    image: r:1\n    read_only: false\n')
    assert main([str(path), '--exempt-services', 'db', '--exempt-services', 'cache']) == 1
    assert capsys.readouterr().out.splitlines() == [
        f'{path}:' + _missing('4:3', 'web', unknown('n'))]


def test_override_file_judges_what_it_writes(clean_cwd, capsys):
    # an override service is merged over the base file's: a missing key is the base file's
    # finding, a false it writes is its own
    (clean_cwd / 'compose.yaml').write_text('services:\n  api:\n    image: a:1\n'
                                            '  web:\n    image: n:1\n')
    path = clean_cwd / 'compose.override.yaml'
    path.write_text('services:\n  api:\n    build: .\n  web:\n    read_only: false\n')
    assert main([str(path)]) == 1
    # (the image is the base file's: the override alone does not name it)
    assert capsys.readouterr().out.splitlines() == [
        f'{path}:' + _false('5:5', 'service web sets', needs=unknown('its image'))]


@pytest.mark.parametrize(('src', 'expected'), (
    # the paths a well-known image writes to, for tmpfs:
    ('services:\n  db:\n    image: postgres:16\n',
     (_missing('2:3', 'db', scratch('postgres', '/var/run/postgresql, /tmp')),)),
    ('services:\n  web:\n    image: docker.io/library/nginx:1.27-alpine\n',
     (_missing('2:3', 'web', scratch('nginx', '/var/cache/nginx, /var/run, /tmp')),)),
    # a service only built (its image is a base for another), or synced by compose watch
    ('services:\n  prebuild:\n    build: .\n    image: app-base\n    entrypoint: /bin/bash\n', ()),
    ('services:\n  web:\n    build: .\n    develop:\n      watch:\n'
     '        - action: sync\n          path: ./src\n          target: /app/src\n', ()),
    # a service extending another of the file: told once, at the service it extends
    ('services:\n  base:\n    image: a:1\n  api:\n    extends: base\n',
     (_missing('2:3', 'base'),)),
    ('services:\n  base:\n    image: a:1\n    read_only: true\n  api:\n    extends: base\n', ()),
))
def test_what_a_read_only_root_needs(src, expected, clean_cwd, capsys):
    assert_findings(main, clean_cwd / 'compose.yaml', capsys, src, expected)


def test_an_override_file_without_its_base_holds_fragments(clean_cwd, capsys):
    # copied into place by a script next to a base that lives elsewhere: its services are
    # completed there (DefectDojo's docker-compose.override.*.yml)
    assert_findings(main, clean_cwd / 'docker-compose.override.prod.yml', capsys,
                    'services:\n  uwsgi:\n    build: {target: release}\n'
                    '  nginx:\n    read_only: false\n',
                    (_false('5:5', 'service nginx sets', needs=unknown('its image')),))


# -- what the message may say: only the paths it knows ---------------------------------------

@pytest.mark.parametrize(('src', 'expected'), (
    # an image built FROM postgres has postgres' entrypoint and paths
    ('services:\n  db:\n    image: zulip/zulip-postgresql:14\n',
     (_missing('2:3', 'db', scratch('postgres', '/var/run/postgresql, /tmp')),)),
    ('services:\n  db:\n    image: ghcr.io/immich-app/postgres:16\n',
     (_missing('2:3', 'db', scratch('postgres', '/var/run/postgresql, /tmp')),)),
    # a path its tmpfs: or a writable volume already holds is not asked for again
    ('services:\n  db:\n    image: postgres:16\n    tmpfs:\n      - /tmp:size=64m\n',
     (_missing('2:3', 'db', scratch('postgres', '/var/run/postgresql')),)),
    ('services:\n  db:\n    image: postgres:16\n    read_only: false\n    tmpfs: /tmp\n'
     '    volumes:\n      - type: tmpfs\n        target: /var/run/postgresql\n',
     (_false('4:5', 'service db sets',
             needs=': its tmpfs: and volumes already hold what postgres writes to'),)),
    # ... a read-only bind mount does not hold anything written
    ('services:\n  q:\n    image: qdrant/qdrant:v1.12.0\n    volumes:\n'
     '      - ./storage:/qdrant/storage:ro\n      - snaps:/qdrant/snapshots\n',
     (_missing('2:3', 'q', ', and keep /qdrant/storage on a volume'),)),
    # ... nor is a volume whose source is a variable without value unknown as a target
    ('services:\n  q:\n    image: qdrant/qdrant:v1.12.0\n    volumes:\n'
     '      - ${DATA}/storage:/qdrant/storage\n',
     (_missing('2:3', 'q', ', and keep /qdrant/snapshots on a volume'),)),
    # an image that keeps data outside the VOLUMEs it declares: the data paths, where the
    # environment puts them
    ('services:\n  q:\n    image: qdrant/qdrant:v1.12.0\n    environment:\n'
     '      QDRANT__STORAGE__STORAGE_PATH: /data/qdrant\n',
     (_missing('2:3', 'q', ', and keep /qdrant/snapshots, /data/qdrant on volumes'),)),
    # MinIO: its certificates folder, and the drives `server` is given
    ('services:\n  s3:\n    image: minio/minio:RELEASE.2024-01-01T00-00-00Z\n'
     '    command: server /export --console-address ":9001"\n    volumes:\n'
     '      - uploads:/export\n',
     (_missing('2:3', 's3', scratch('minio', '/root/.minio')),)),
    ('services:\n  s3:\n    image: minio/minio:RELEASE.2024-01-01T00-00-00Z\n'
     '    command: server --certs-dir /certs http://minio{1...2}/data{1...2}\n',
     (_missing('2:3', 's3', scratch('minio', '/certs', '; keep /data1, /data2 on volumes')),)),
    # ... run as another user, MinIO's folder is in that user's home
    ('services:\n  s3:\n    image: minio/minio:RELEASE.2024-01-01T00-00-00Z\n'
     '    user: "1000:1000"\n    command: server /data\n    volumes: ["s3:/data"]\n',
     (_missing('2:3', 's3', ', and it creates its certificates folder (~/.minio/certs) at '
                            'start: name one with --certs-dir and put it on a tmpfs:'),)),
    # a path a mount brings: nginx renders /etc/nginx/templates into /etc/nginx/conf.d
    ('services:\n  web:\n    image: nginx:1.27\n    volumes:\n'
     '      - ./site.conf.template:/etc/nginx/templates/site.conf.template:ro\n',
     (_missing('2:3', 'web', scratch('nginx', '/var/cache/nginx, /var/run, /tmp, '
                                              '/etc/nginx/conf.d')),)),
    # a configuration it is given can name more paths: said, not guessed
    ('services:\n  web:\n    image: nginx:1.27\n    volumes:\n'
     '      - ./nginx.conf:/etc/nginx/nginx.conf:ro\n',
     (_missing('2:3', 'web', scratch(
         'nginx', '/var/cache/nginx, /var/run, /tmp',
         '; the configuration it is given (/etc/nginx/nginx.conf) may name more paths it '
         'writes to')),)),
    ('services:\n  cache:\n    image: redis:7.4\n'
     '    command: redis-server /usr/local/etc/redis/redis.conf\n',
     (_missing('2:3', 'cache', ', and the configuration it is given '
                               '(/usr/local/etc/redis/redis.conf) may name more paths it '
                               'writes to'),)),
    ('services:\n  proxy:\n    image: traefik:v3.1\n    command:\n'
     '      - --certificatesresolvers.le.acme.storage=/letsencrypt/acme.json\n'
     '    volumes:\n      - ./letsencrypt:/letsencrypt\n',
     (_missing('2:3', 'proxy', ': traefik writes nothing outside its volumes'),)),
    # an image known to write nothing outside its own VOLUMEs
    ('services:\n  cache:\n    image: redis:7.4\n',
     (_missing('2:3', 'cache', ': redis writes nothing outside its volumes'),)),
    # a file a shell of the command writes, with the container's environment resolved
    ('services:\n  cache:\n    image: memcached:1.6\n    command:\n      - sh\n      - -euc\n'
     '      - |\n        echo "mech_list: plain" > "$$SASL_CONF_PATH"\n'
     '        exec memcached -S\n    environment:\n'
     '      SASL_CONF_PATH: /home/memcache/memcached.conf\n',
     (_missing('2:3', 'cache', ', and its command writes /home/memcache/memcached.conf at '
                               "each start: give that folder a tmpfs: (it starts empty: the "
                               "image's files there are hidden)"),)),
    # ... one written right in /etc is the system's own: the image cannot run read-only
    ('services:\n  app:\n    image: example/app:1\n'
     '    entrypoint: ["bash", "-c", "env > /etc/environment && exec app"]\n', ()),
    # ... a string command is not run by a shell: `>` is an argument
    ('services:\n  app:\n    image: redis:7.4\n    command: redis-server > /etc/x\n',
     (_missing('2:3', 'app', ': redis writes nothing outside its volumes'),)),
    # an option that names where the process keeps its data
    ('services:\n  alloy:\n    image: grafana/alloy:v1.5.0\n    command: run '
     '--storage.path=/var/lib/alloy/data /etc/alloy/config.alloy\n',
     (_missing('2:3', 'alloy', unknown('grafana/alloy',
                                       '; keep /var/lib/alloy/data on a volume')),)),
    ('services:\n  alloy:\n    image: grafana/alloy:v1.5.0\n    command: run '
     '--storage.path /var/lib/alloy/data /etc/alloy/config.alloy\n    volumes:\n'
     '      - alloy:/var/lib/alloy\n',
     (_missing('2:3', 'alloy', unknown('grafana/alloy')),)),
    # an image tagged by a variable is still named; one named by a variable is not
    ('services:\n  api:\n    image: example/api:${TAG}\n',
     (_missing('2:3', 'api', unknown('example/api')),)),
    ('services:\n  api:\n    image: ${IMAGE:-example/api}:${TAG}\n',
     (_missing('2:3', 'api', unknown('example/api')),)),
    ('services:\n  api:\n    image: ${IMAGE}\n', (_missing('2:3', 'api', unknown('its image')),)),
    # images whose start rewrites their own files cannot run read-only: not judged
    ('services:\n  mail:\n    image: ghcr.io/docker-mailserver/docker-mailserver:14\n'
     '  dns:\n    image: pihole/pihole:2024.07.0\n    read_only: false\n'
     '  chrome:\n    image: selenium/node-chrome:4.20\n', ()),
))
def test_the_advice_names_only_known_paths(src, expected, clean_cwd, capsys):
    assert_findings(main, clean_cwd / 'compose.yaml', capsys, src, expected)


@pytest.mark.parametrize(('dockerfile', 'expected'), (
    # the VOLUMEs of the Dockerfile the service builds stay writable
    ('FROM python:3.12-slim\nVOLUME ["/app/data/"]\nCMD ["python", "app.py"]\n',
     unknown('the image built from Dockerfile',
             "; its Dockerfile's VOLUME /app/data stays writable")),
    # built FROM a known image and running its command: that image's paths
    ('FROM nginx:1.27-alpine\nCOPY dist /usr/share/nginx/html\n',
     scratch('nginx (the base of Dockerfile)', '/var/cache/nginx, /var/run, /tmp')),
    # ... with a command of its own, those paths are a start only
    ('FROM nginx:1.27-alpine\nCOPY entrypoint.sh /\nENTRYPOINT ["/entrypoint.sh"]\n',
     unknown('the image built from Dockerfile',
             '; nginx, its base, writes to /var/cache/nginx, /var/run, /tmp')),
    # built FROM an image that cannot run read-only: not judged
    ('FROM pihole/pihole:2024.07.0\nCOPY custom.list /etc/pihole/\n', None),
))
def test_the_advice_reads_the_dockerfile_it_builds(dockerfile, expected, clean_cwd, capsys):
    (clean_cwd / 'Dockerfile').write_text(dockerfile)
    assert_findings(main, clean_cwd / 'compose.yaml', capsys,
                    'services:\n  web:\n    build: .\n',
                    () if expected is None else (_missing('2:3', 'web', expected),))


def test_a_build_whose_dockerfile_is_elsewhere(clean_cwd, capsys):
    # the context is resolved by another file (an `include:` with its own project folder)
    assert_findings(main, clean_cwd / 'compose.yaml', capsys,
                    'services:\n  web:\n    build: ./missing\n',
                    (_missing('2:3', 'web', unknown('the image it builds')),))


def test_an_extends_of_another_file_is_told_where_it_is_written(clean_cwd, capsys):
    # Compose reads `extends: {file:}` relative to the file; the base's finding covers the
    # services that extend it, which inherit a read_only: true added there
    (clean_cwd / 'docker-compose-base.yml').write_text('services:\n  app:\n    image: a:1\n')
    assert_findings(main, clean_cwd / 'docker-compose-more.yml', capsys,
                    'services:\n  app:\n    extends:\n      file: docker-compose-base.yml\n'
                    '      service: app\n    environment:\n      A: "1"\n', ())
    # a base in a file that is not judged (no compose file name, or a test fixture): the
    # service that extends it is reported
    (clean_cwd / 'common-services.yml').write_text('services:\n  app:\n    image: a:1\n')
    assert_findings(main, clean_cwd / 'compose.yaml', capsys,
                    'services:\n  app:\n    extends:\n      file: common-services.yml\n'
                    '      service: app\n',
                    (_missing('2:3', 'app'),))
    (clean_cwd / 'tests').mkdir()
    (clean_cwd / 'tests' / 'compose.yaml').write_text('services:\n  app:\n    image: a:1\n')
    assert_findings(main, clean_cwd / 'compose.prod.yaml', capsys,
                    'services:\n  app:\n    extends:\n      file: tests/compose.yaml\n'
                    '      service: app\n',
                    (_missing('2:3', 'app'),))


# -- the project a plain `docker compose` runs: base file and default override --------------

BASE = 'services:\n  app:\n    image: example/app:1.0\n'
DEV_OVERRIDE = ('services:\n  app:\n    build: {context: ., target: development}\n'
                '    volumes: ["./src:/app/src"]\n')


@pytest.mark.parametrize(('override', 'expected'), (
    # no override: the base file is the stack that runs
    (None, (_missing('2:3', 'app', unknown('example/app')),)),
    # Compose loads docker-compose.override.yml by itself: what it rebuilds from a development
    # target with the source mounted makes the project a development stack, not judged
    (('docker-compose.override.yml', DEV_OVERRIDE), ()),
    (('compose.override.yaml', DEV_OVERRIDE), ()),
    # an override under another name is loaded only with -f: it changes nothing
    (('docker-compose.override.dev.yml', DEV_OVERRIDE),
     (_missing('2:3', 'app', unknown('example/app')),)),
    # an override that adds nothing of development leaves the base file judged
    (('docker-compose.override.yml', 'services:\n  app:\n    ports: ["8080:80"]\n'),
     (_missing('2:3', 'app', unknown('example/app')),)),
))
def test_the_default_override_file_is_part_of_the_project(override, expected, clean_cwd,
                                                         capsys):
    (clean_cwd / 'src').mkdir()
    if override is not None:
        (clean_cwd / override[0]).write_text(override[1])
    assert_findings(main, clean_cwd / 'docker-compose.yml', capsys, BASE, expected)


def test_resource_limits_still_judge_the_development_project(clean_cwd, capsys):
    # DH204 judges development stacks: the override changes nothing for it
    from dockhooks.compose_resource_limits import main as limits

    (clean_cwd / 'src').mkdir()
    (clean_cwd / 'docker-compose.override.yml').write_text(DEV_OVERRIDE)
    path = clean_cwd / 'docker-compose.yml'
    path.write_text(BASE)
    assert limits([str(path)]) == 1
    assert capsys.readouterr().out.splitlines() == [
        f'{path}:2:3: DH204 service app has no CPU and memory limit, so a leak can take the '
        f'whole machine; set deploy: resources: limits: cpus: and memory: to its peak use with '
        f'some headroom (docker stats shows it)']


# -- what the healthcheck runs, in the same read-only root ---------------------------------

MINIO = ('services:\n  s3:\n    image: minio/minio:RELEASE.2025-01-01T00-00-00Z\n'
         '    command: server /data\n    volumes: [data:/data]\n')


@pytest.mark.parametrize(('src', 'expected'), (
    # `mc ready local` saves mc's configuration in MC_CONFIG_DIR (/tmp/.mc in MinIO's images)
    (f'{MINIO}    healthcheck:\n'
     '      test: ["CMD", "mc", "ready", "local"]\n',
     (_missing('2:3', 's3', scratch('minio', '/root/.minio, /tmp')),)),
    # ... the same read from a shell (CMD-SHELL, or a string)
    (f'{MINIO}    healthcheck:\n'
     '      test: mc ready local || exit 1\n',
     (_missing('2:3', 's3', scratch('minio', '/root/.minio, /tmp')),)),
    # ... where the service moves it
    (f'{MINIO}'
     '    environment:\n      MC_CONFIG_DIR: /run/mc\n    healthcheck:\n'
     '      test: ["CMD-SHELL", "mc ready local"]\n',
     (_missing('2:3', 's3', scratch('minio', '/root/.minio, /run/mc')),)),
    # ... already on a tmpfs
    (f'{MINIO}    tmpfs: /tmp\n'
     '    healthcheck:\n      test: ["CMD", "mc", "ready", "local"]\n',
     (_missing('2:3', 's3', scratch('minio', '/root/.minio')),)),
    # an image not known: where mc keeps it is said, not written
    ('services:\n  s3:\n    image: example/s3:1\n    healthcheck:\n'
     '      test: ["CMD", "mc", "ready", "local"]\n',
     (_missing('2:3', 's3', unknown('example/s3', '; its command or healthcheck runs mc, which '
                                   'writes $MC_CONFIG_DIR, else ~/.mc: give that folder a '
                                   'tmpfs:')),)),
    # a file a shell of the healthcheck writes
    ('services:\n  db:\n    image: postgres:16\n    healthcheck:\n'
     '      test: ["CMD-SHELL", "pg_isready > /var/lib/health/last"]\n',
     (_missing('2:3', 'db', scratch('postgres', '/var/run/postgresql, /tmp',
                                    '; its healthcheck writes /var/lib/health/last at each '
                                    "check: give that folder a tmpfs: (it starts empty: the "
                                    "image's files there are hidden)")),)),
    # ... one of the system's own: the image cannot run read-only
    ('services:\n  db:\n    image: postgres:16\n    healthcheck:\n'
     '      test: ["CMD-SHELL", "date > /etc/last-check"]\n', ()),
))
def test_the_healthcheck_writes_in_the_same_root(src, expected, clean_cwd, capsys):
    assert_findings(main, clean_cwd / 'compose.yaml', capsys, src, expected)


# -- images whose start rewrites their own files: no tmpfs: or volume stands in ------------

@pytest.mark.parametrize('src', (
    # users created from the environment or the arguments at each start
    'services:\n  ftp:\n    image: delfer/alpine-ftp-server:latest\n'
    '    environment:\n      USERS: "one|1234"\n',
    'services:\n  sftp:\n    image: atmoz/sftp:alpine\n    command: foo:pass:1001\n',
    # a command that adds users, or rewrites the shipped bundle with the environment
    'services:\n  app:\n    image: example/app:1\n'
    '    entrypoint: ["sh", "-c", "adduser -D app && exec app"]\n',
    'services:\n  web:\n    image: example/web:1\n'
    '    command: sh -c "import-meta-env -x .env.example -p /site/index.html && exec caddy run"\n',
    # an IDE server is a workspace the developer installs into
    'services:\n  ide:\n    image: codercom/code-server:4.96.4\n    ports: ["8443:8080"]\n',
))
def test_an_image_that_rewrites_its_own_files_is_not_judged(src, clean_cwd, capsys):
    assert_findings(main, clean_cwd / 'compose.yaml', capsys, src, ())


# -- the debatable classes, where the files show them -------------------------------------

@pytest.mark.parametrize(('src', 'expected'), (
    # a one-shot job (DH204's notion: another waits for it to complete) exits: not judged
    ('services:\n  migrate:\n    image: example/app:1\n  app:\n    image: example/app:1\n'
     '    read_only: true\n    depends_on:\n      migrate:\n'
     '        condition: service_completed_successfully\n', ()),
    # ... but a read_only: false it writes is still its own
    ('services:\n  migrate:\n    image: example/app:1\n    read_only: false\n'
     '  app:\n    image: example/app:1\n    read_only: true\n    depends_on:\n      migrate:\n'
     '        condition: service_completed_successfully\n',
     (_false('4:5', 'service migrate sets', needs=unknown('example/app')),)),
    # privileged: a process can remount the root read-write
    ('services:\n  agent:\n    image: redis:7.4\n    privileged: true\n',
     (_missing('2:3', 'agent', ', and it runs privileged (CAP_SYS_ADMIN), with which a process '
                               'can remount the root read-write: drop that first, or '
                               'read_only: true protects little'),)),
    ('services:\n  agent:\n    image: redis:7.4\n    cap_add: [CAP_SYS_ADMIN]\n',
     (_missing('2:3', 'agent', ', and it runs privileged (CAP_SYS_ADMIN), with which a process '
                               'can remount the root read-write: drop that first, or '
                               'read_only: true protects little'),)),
    # an unset tag variable leaves the repository known, and what it writes with it
    ('services:\n  cache:\n    image: valkey/valkey:${VALKEY_VERSION}\n',
     (_missing('2:3', 'cache', ': redis writes nothing outside its volumes'),)),
    ('services:\n  db:\n    image: postgres:${PG}\n',
     (_missing('2:3', 'db', scratch('postgres', '/var/run/postgresql, /tmp')),)),
    # caddy writes only its VOLUMEs /config and /data; its Caddyfile can name log files
    ('services:\n  proxy:\n    image: caddy:2.8\n',
     (_missing('2:3', 'proxy', ': caddy writes nothing outside its volumes'),)),
    ('services:\n  proxy:\n    image: caddy:2.8\n    volumes:\n'
     '      - ./Caddyfile:/etc/caddy/Caddyfile:ro\n',
     (_missing('2:3', 'proxy', ', and the configuration it is given (/etc/caddy/Caddyfile) may '
                               'name more paths it writes to'),)),
    # a redis configuration file only mounted is never read by a bare redis-server
    ('services:\n  cache:\n    image: redis:7.4\n    volumes:\n'
     '      - ./redis.conf:/usr/local/etc/redis/redis.conf:ro\n',
     (_missing('2:3', 'cache', ': redis writes nothing outside its volumes'),)),
))
def test_what_the_files_show_of_a_service(src, expected, clean_cwd, capsys):
    assert_findings(main, clean_cwd / 'compose.yaml', capsys, src, expected)
