from __future__ import annotations

import pytest
from dockhooks.compose_no_secrets import main

# Credential-shaped values are assembled here so that this file itself holds none.
AWS_KEY_ID = 'AKIA' + 'Z7Q3KXMW4PLN2BVR'  # not AWS's documented AKIAIOSFODNN7EXAMPLE
GITHUB_TOKEN = 'ghp_' + 'a1B2' * 9
SLACK_TOKEN = 'xoxb-' + '1234567890-abcDEF'
FERNET_KEY = '46BKJoQYlPPOexq0' + 'OhDZnIlNepKFf87WFwLbfzqDDho='
PASSWORD = 'hunter2'


def _req(var: str) -> str:
    """The advice's reference: required, so that a value missing from .env is an error
    rather than an empty password."""
    return f'${{{var}:?set {var} in .env}}'


def _env(pos: str, name: str, who: str = 'service api',
         problem: str = 'has a secret-like name and a literal value', listed: bool = False) -> str:
    # the entry the advice writes has the form of the entry it replaces: a list's item is
    # `- NAME=${...}` (`NAME: ${...}` in a list would not parse as Compose needs)
    entry = f'- {name}={_req(name)}' if listed else f'{name}: {_req(name)}'
    return (f'{pos}: DH206 {who}: environment {name} {problem}, committed with the file; use '
            f'{entry} with the value in a git-ignored .env, or compose secrets: '
            f'mounted at /run/secrets')


def _defaulted(pos: str, name: str, var: str | None = None) -> str:
    var = var or name
    return (f'{pos}: DH206 service api: environment {name} has a secret-like name and a literal '
            f'value, committed with the file; drop the committed default and require the '
            f'variable: {_req(var)} with the value in a git-ignored .env')


def _cmd(pos: str, where: str, option: str, var: str | None = None) -> str:
    var = var or option.lstrip('-').replace('-', '_').upper()
    return (f'{pos}: DH206 service api: {where} option {option} has a secret-like name and a '
            f'literal value, committed with the file; pass it as {_req(var)} (the value in a '
            f'git-ignored .env) or read it from a compose secret in /run/secrets')


def _arg(pos: str, name: str, problem: str = 'has a secret-like name and a literal value') -> str:
    return (f'{pos}: DH206 service api: build.args {name} {problem}, committed with the file; '
            f'a build arg also stays in the image history: pass it as a build secret (build: '
            f'secrets:, RUN --mount=type=secret in the Dockerfile)')


def _label(pos: str, name: str, kind: str) -> str:
    return (f'{pos}: DH206 service api: labels {name} holds {kind}, committed with the file; '
            f'anyone who can inspect the container reads labels: revoke it and remove it')


API = 'services:\n  api:\n    image: example/api:1.4.2\n'
ENV = API + '    environment:\n'
URL = 'a URL with a password'

CASES = (
    # mapping and list form, reported at the entry
    (ENV + f'      DB_PASSWORD: {PASSWORD}\n', (_env('5:7', 'DB_PASSWORD'),)),
    (ENV + f'      - DB_PASSWORD={PASSWORD}\n      - TZ=UTC\n',
     (_env('5:9', 'DB_PASSWORD', listed=True),)),
    (ENV + '      SECRET_KEY: "django-insecure-8f2kq0c7"\n      apiKey: abc123\n'
     '      MAIL_PASS: s3cr3tpw\n',
     (_env('5:7', 'SECRET_KEY'), _env('6:7', 'apiKey'), _env('7:7', 'MAIL_PASS'))),
    # interpolation: a variable passes, a default written into the file is a literal
    (ENV + '      DB_PASSWORD: ${DB_PASSWORD}\n      API_TOKEN: $API_TOKEN\n', ()),
    (ENV + '      DB_PASSWORD: ${DB_PASSWORD:-}\n      API_TOKEN: ${API_TOKEN:?set it}\n', ()),
    # ... and the advice keeps the variable the stack reads, dropping only the default
    (ENV + f'      DB_PASSWORD: ${{DB_PASSWORD:-{PASSWORD}}}\n',
     (_defaulted('5:7', 'DB_PASSWORD'),)),
    (ENV + f'      - DB_PASSWORD=${{DB_PASSWORD-{PASSWORD}}}\n',
     (_defaulted('5:9', 'DB_PASSWORD'),)),
    (ENV + f'      GF_SECURITY_ADMIN_PASSWORD: ${{ADMIN_PASSWORD:-{PASSWORD}}}\n',
     (_defaulted('5:7', 'GF_SECURITY_ADMIN_PASSWORD', 'ADMIN_PASSWORD'),)),
    # `$$` is a literal dollar sign: still a literal value
    (ENV + '      DB_PASSWORD: "pa$$word"\n', (_env('5:7', 'DB_PASSWORD'),)),
    # names and values that point at a secret instead of holding it
    (ENV + '      POSTGRES_PASSWORD_FILE: /run/secrets/db_password\n', ()),
    # docker+awesome-compose/react-express-mysql/compose.yaml: the app reads the file the
    # value names
    (ENV + '      - DATABASE_PASSWORD=/run/secrets/db-password\n', ()),
    # settings about a secret, entries without a value
    (ENV + '      TOKEN_TTL: 3600\n      PASSWORD_MIN_LENGTH: 12\n      SESSION_TIMEOUT: 30m\n'
     '      MYSQL_RANDOM_ROOT_PASSWORD: "yes"\n      VNC_NO_PASSWORD: 1\n', ()),
    # a number is a setting, unless it is a PIN-like one under the secret's own name
    (ENV + '      MYSQL_ROOT_PASSWORD: 271828\n      ROOT_PASS: "0000"\n',
     (_env('5:7', 'MYSQL_ROOT_PASSWORD'), _env('6:7', 'ROOT_PASS'))),
    (ENV + '      - TOKEN=8675309\n      - PASSWORD_ROUNDS=10000\n      - NO_PASSWORD=1\n',
     (_env('5:9', 'TOKEN', listed=True),)),
    # ... but a keyboard run says it stands for one, as the rule documents (it was reported
    # before: vimagick+dockerfiles/browserless TOKEN=1234567890, conductor's five-digit root
    # password)
    (ENV + '      MYSQL_ROOT_PASSWORD: 12345\n      TOKEN: "1234567890"\n      PIN: "1234"\n'
     '      API_TOKEN: qwerty\n      SECRET_KEY: abcdefgh\n', ()),
    (ENV + '      - API_TOKEN\n      - SECRET_KEY=\n', ()),
    (ENV + '      API_TOKEN:\n      SECRET_KEY: ""\n', ()),
    # non-secret names that contain secret-ish letters
    (ENV + '      PASSWORD_HASHERS: argon2\n      TOKENIZERS_PARALLELISM: "false"\n'
     '      GPG_KEY: 7169605F62C751356D054A26A821E680E5FA6305\n'
     '      REGISTRY_AUTH_HTPASSWD_REALM: Registry Realm\n'
     '      REGISTRY_AUTH_HTPASSWD_PATH: /auth/htpasswd\n', ()),
    # stefanprodan+dockprom/docker-compose.yml: a password hash is not the password
    (ENV + '      ADMIN_PASSWORD_HASH: $$2a$$14$$1l.IozJx7xQRVmlkEQ32OeEEfP5mRx\n', ()),
    # vimagick+dockerfiles/mongo/docker-compose.yml: one word that ends in PASSWORD
    (ENV + '      ME_CONFIG_MONGODB_ADMINPASSWORD: admin\n      WEBPASSWORD: s3cr3tpw\n',
     (_env('5:7', 'ME_CONFIG_MONGODB_ADMINPASSWORD'), _env('6:7', 'WEBPASSWORD'))),
    # known credential formats, whatever the name
    (ENV + f'      AWS_ID: {AWS_KEY_ID}\n      GH: {GITHUB_TOKEN}\n',
     (_env('5:7', 'AWS_ID', problem='holds an AWS access key id'),
      _env('6:7', 'GH', problem='holds a GitHub token'))),
    (ENV + f'      HUBOT_SLACK_TOKEN: {SLACK_TOKEN}\n',
     (_env('5:7', 'HUBOT_SLACK_TOKEN', problem='holds a Slack token'),)),
    (ENV + f'      DATABASE_URL: postgres://app:{PASSWORD}@db:5432/app\n',
     (_env('5:7', 'DATABASE_URL', problem=f'holds {URL}'),)),
    (ENV + '      - REDIS_URL=redis://:s3cr3t@cache:6379/0\n',
     (_env('5:9', 'REDIS_URL', problem=f'holds {URL}', listed=True),)),
    (ENV + '      DATABASE_URL: postgres://app:${DB_PASSWORD}@db/app\n'
     '      BROKER_URL: amqp://guest@rabbit//\n', ()),
    # placeholders are not secrets: masked, filler, templates
    # (vimagick+dockerfiles: grafana ******, meilisearch xxxxxx, minio YYYY..., hubot
    # xoxb-xxxx..., anthropics sk-xxx-xxx-xxx, healthchecks all-zero UUID)
    (ENV + '      GF_SMTP_PASSWORD: "******"\n      MEILI_MASTER_KEY: xxxxxx\n'
     '      MINIO_ROOT_PASSWORD: YYYYYYYYYYYYYYYYYYYYYYYY\n'
     '      HUBOT_SLACK_TOKEN: xoxb-xxxxxxxxxxx-xxxxxxxxxxxxxxxxxxxxxxxx\n'
     '      ANTHROPIC_API_KEY: sk-xxx-xxx-xxx\n'
     '      SECRET_KEY: 00000000-0000-0000-0000-000000000000\n'
     '      API_TOKEN: <your-api-token>\n      CLIENT_SECRET: your-client-secret\n'
     '      STRIPE_SECRET: put-the-key-here\n      JWT_SECRET: "{{ jwt_secret }}"\n'
     '      DATABASE_URL: postgres://app:<password>@db/app\n', ()),
    # ... but a weak default that works is a literal value
    (ENV + '      POSTGRES_PASSWORD: postgres\n      MYSQL_ROOT_PASSWORD: root\n',
     (_env('5:7', 'POSTGRES_PASSWORD'), _env('6:7', 'MYSQL_ROOT_PASSWORD'))),
    # values that say they are not real, restate their name, or whose line says so
    (ENV + '      POSTGRES_PASSWORD: changeme\n      SECRET_KEY: FAKE_KEY_FOR_TESTS\n'
     '      CF_API_TOKEN: MyCloudflareApiToken\n      DB_PASSWORD: db_password\n'
     '      MYSQL_PASSWORD: your_mysql_password\n      OPENAI_API_KEY: user_provided\n'
     '      JWT_SECRET: s3cr3tv4lue  # change this\n'
     '      # generate with: openssl rand -hex 32\n      APP_SECRET: a8f5f167f44f4964e\n'
     '      DD_SECRET_KEY: "."\n', ()),
    # ... in every spelling the rule documents: glued words (frappe+frappe_docker's
    # mariadb-shared override), a comment on the line above saying to update it (hoppscotch),
    # `# CHANGEME` on a URL's line (langfuse), the name's own secret word (jaeger's clickhouse,
    # vimagick+dockerfiles pptp) or its words glued
    (ENV + '      MYSQL_ROOT_PASSWORD: ${DB_PASSWORD:-changeit}\n'
     '      # NOTE: Please UPDATE THIS PASSWORD!\n      POSTGRES_PASSWORD: testpass\n'
     '      DATABASE_URL: postgres://app:s3cr3tpw@db/app # CHANGEME\n'
     '      CLICKHOUSE_PASSWORD: password\n      VPN_PASS: password\n'
     '      DB_ROOT_PASSWORD: rootpassword\n      MARIADB_ROOT_PASSWORD: RootPassword\n', ()),
    # a default that restates the variable it stands for, whatever the entry's name
    # (makeplane+plane: MINIO_ROOT_PASSWORD: ${AWS_SECRET_ACCESS_KEY:-secret-key})
    (ENV + '      MINIO_ROOT_PASSWORD: ${AWS_SECRET_ACCESS_KEY:-secret-key}\n', ()),
    # a password the service's own settings leave unused: OpenSearch's initial admin password
    # is read only by its demo security setup, which a disabled security plugin or demo
    # installer never runs; Elasticsearch without security has no user to give it to
    (API + '    environment:\n      - DISABLE_SECURITY_PLUGIN=true\n'
     '      - OPENSEARCH_INITIAL_ADMIN_PASSWORD=Str0ng-Adm1n!\n', ()),
    (API + '    environment:\n      plugins.security.disabled: "true"\n'
     '      OPENSEARCH_INITIAL_ADMIN_PASSWORD: Str0ng-Adm1n!\n', ()),
    (API + '    environment:\n      - xpack.security.enabled=false\n'
     '      - ELASTIC_PASSWORD=s3cr3tpw\n', ()),
    (API + '    environment:\n      - xpack.security.enabled=true\n'
     '      - ELASTIC_PASSWORD=s3cr3tpw\n', (_env('6:9', 'ELASTIC_PASSWORD', listed=True),)),
    # names that describe or point at a secret, public names, upstreams
    (ENV + '      MAILCOW_PASS_SCHEME: BLF-CRYPT\n      KUBECONFIG: ~/.kube/config\n'
     '      GOOGLE_APPLICATION_CREDENTIALS: ./key.json\n      SSL_KEY: /etc/ssl/private/k.pem\n'
     '      KAFKA_SSL_TRUSTSTORE_CREDENTIALS: broker_truststore_creds\n'
     '      NGINX_PROXY_PASS: http://backend:8080\n      VITE_API_KEY: pk_abc123xyz\n'
     '      NEXT_PUBLIC_TOKEN: abc123xyz\n      API_KEY_RATE_LIMIT: 60/minute\n'
     '      DATABASE_URL: postgres://db:5432/app\n', ()),
    # secrets by their words as a whole
    (ENV + '      CS2_PW: s3cr3tpw1\n      RCONPW: s3cr3tpw2\n      DB_PASSWD: s3cr3tpw3\n'
     '      NEXT_PRIVATE_ENCRYPTION_SECONDARY_KEY: s3cr3tpw4\n',
     (_env('5:7', 'CS2_PW'), _env('6:7', 'RCONPW'), _env('7:7', 'DB_PASSWD'),
      _env('8:7', 'NEXT_PRIVATE_ENCRYPTION_SECONDARY_KEY'))),
    # a key that is not a valid variable name gets one in the advice
    (ENV + '      sonar.jdbc.password: s3cr3tpw\n',
     ('5:7: DH206 service api: environment sonar.jdbc.password has a secret-like name and a '
      f'literal value, committed with the file; use sonar.jdbc.password: '
      f'{_req("SONAR_JDBC_PASSWORD")} with the value in a git-ignored .env, or compose '
      'secrets: mounted at /run/secrets',)),
    # secrets on the command line, the entrypoint and the healthcheck
    (API + '    command: redis-server --requirepass s3cr3tpw --port 6379\n',
     (_cmd('4:5', 'command', '--requirepass'),)),
    (API + '    command: ["sh", "-c", "app --api-token=s3cr3tpw --verbose"]\n',
     (_cmd('4:5', 'command', '--api-token'),)),
    (API + '    healthcheck:\n      test: ["CMD", "curl", "-u", "admin:s3cr3tpw", "http://x"]\n',
     ('5:7: DH206 service api: healthcheck option -u has a secret-like name and a literal '
      f'value, committed with the file; pass it as {_req("USER_PASSWORD")} (the value in a '
      'git-ignored .env) or read it from a compose secret in /run/secrets',)),
    # a host and port before an `@` are no user and password (mitmproxy's reverse mode)
    (API + '    command: mitmdump --mode reverse:https://example.org:443@8443\n', ()),
    # an option's value is judged once, with the option
    (API + '    command: ["app", "--mode", "upstream:http://u:s3cr3tpw@proxy:3128"]\n',
     ('4:5: DH206 service api: command option --mode holds a URL with a password, committed '
      f'with the file; pass it as {_req("MODE")} (the value in a git-ignored .env) or read it '
      'from a compose secret in /run/secrets',)),
    # an assignment in a shell command
    (API + '    command: sh -c "RABBITMQ_DEFAULT_PASS=s3cr3tpw exec rabbitmq-server"\n',
     ('4:5: DH206 service api: command variable RABBITMQ_DEFAULT_PASS has a secret-like name '
      f'and a literal value, committed with the file; pass it as {_req("RABBITMQ_DEFAULT_PASS")} '
      '(the value in a git-ignored .env) or read it from a compose secret in /run/secrets',)),
    # a shell expansion left after Compose's `$$` escape is computed when the command runs:
    # a reference, here to a compose secret (zulip+docker-zulip/compose.yaml), also with the
    # script after a combined `-euc`
    (API + '    command: ["sh", "-euc", \'exec redis-server --requirepass '
     '"$$(cat $$REDIS_PASSWORD_FILE)"\']\n', ()),
    (API + '    command:\n      - sh\n      - -euc\n      - |\n'
     '        export RABBITMQ_DEFAULT_PASS="$$(cat $$RABBITMQ_PASSWORD_FILE)"\n'
     '        exec docker-entrypoint.sh rabbitmq-server\n', ()),
    (API + '    healthcheck:\n      test: ["CMD-SHELL", "mysqladmin ping --password=$$DB_PASS"]\n',
     ()),
    # ... and a value that is only such a reference is resolved in the container
    (ENV + '      DB_PASSWORD: $$DB_PASSWORD_FROM_VAULT\n', ()),
    (API + '    command: redis-server --requirepass ${REDIS_PASSWORD} --port 6379\n', ()),
    (API + '    command: ["app", "--password-file", "/run/secrets/db", "--token-ttl", "60"]\n', ()),
    # a ..._KEY with a random-looking value is a key (vimagick+dockerfiles/airflow/deprecated,
    # fteproxy); a public one, or a word, is not
    (ENV + f'      FERNET_KEY: {FERNET_KEY}\n      KEY: 66754b8113ea7a218b7613f73f7e13b1\n',
     (_env('5:7', 'FERNET_KEY', problem='has a key-like name and a random-looking literal value'),
      _env('6:7', 'KEY', problem='has a key-like name and a random-looking literal value'))),
    (ENV + f'      - APP_KEY=base64:{FERNET_KEY}\n',
     (_env('5:9', 'APP_KEY', listed=True,
           problem='has a key-like name and a random-looking literal value'),)),
    (ENV + f'      VAPID_PUBLIC_KEY: {FERNET_KEY}\n      RECAPTCHA_SITE_KEY: {FERNET_KEY}\n'
     '      CACHE_KEY: sessions\n      SORT_KEY: created_at\n'
     '      RELEASE_KEY: production-2024-key\n', ()),
    # build args, mapping and list form
    ('services:\n  api:\n    build:\n      context: .\n      args:\n'
     f'        NPM_TOKEN: {PASSWORD}\n        NODE_ENV: production\n',
     (_arg('6:9', 'NPM_TOKEN'),)),
    ('services:\n  api:\n    build:\n      context: .\n      args:\n'
     f'        - NODE_ENV=production\n        - GITHUB_TOKEN={GITHUB_TOKEN}\n'
     '        - PIP_INDEX_PASSWORD\n',
     (_arg('7:11', 'GITHUB_TOKEN', problem='holds a GitHub token'),)),
    # labels: names say nothing there, only credential formats count
    (API + '    labels:\n      com.example.password: not-judged-by-name\n'
     f'      com.example.aws: {AWS_KEY_ID}\n',
     (_label('6:7', 'com.example.aws', 'an AWS access key id'),)),
    (API + f'    labels:\n      - "traefik.enable=true"\n      - "aws={AWS_KEY_ID}"\n',
     (_label('6:9', 'aws', 'an AWS access key id'),)),
    # merge keys: an anchored entry is one finding, at the anchor, naming the services
    # (vimagick+dockerfiles/airflow/docker-compose.yml gave five findings on one line)
    (f'x-env: &env\n  DB_PASSWORD: {PASSWORD}\n  TZ: UTC\nservices:\n'
     '  api:\n    image: a:1\n    environment: *env\n'
     '  worker:\n    image: w:1\n    environment:\n      <<: *env\n      QUEUE: default\n',
     (_env('2:3', 'DB_PASSWORD', who='services api, worker'),)),
    # extends: an entry inherited from a service of the file is one finding, where written
    ('services:\n  base:\n    image: a:1\n    environment:\n'
     f'      DB_PASSWORD: {PASSWORD}\n  api:\n    extends: base\n',
     (_env('5:7', 'DB_PASSWORD', who='services base, api'),)),
    # several YAML documents: a later document replaces the value
    (ENV + f'      DB_PASSWORD: {PASSWORD}\n---\nservices:\n  api:\n    environment:\n'
     '      DB_PASSWORD: ${DB_PASSWORD}\n', ()),
    # x- extension fields are not services
    (f'x-defaults:\n  environment:\n    DB_PASSWORD: {PASSWORD}\n' + API, ()),
    # pragmas: above the entry, above the service, for the file
    (ENV + f'      # dockhooks: ignore=DH206 test fixture password\n'
     f'      DB_PASSWORD: {PASSWORD}\n      API_TOKEN: t0ken\n', (_env('7:7', 'API_TOKEN'),)),
    (f'services:\n  # dockhooks: ignore=DH206\n  api:\n    image: a:1\n    environment:\n'
     f'      DB_PASSWORD: {PASSWORD}\n', ()),
    (f'# dockhooks: ignore-file=DH206\n{ENV}      DB_PASSWORD: {PASSWORD}\n', ()),
)


# One value written in several places is one finding, at the first, naming the others so that
# they move together into one variable: the server's own entry names it (POSTGRES_PASSWORD of
# the postgres service), a URL takes it in place of its password, a command word that holds
# it and a mounted configuration file that writes it are named too.
STACK = '''services:
  app:
    image: example/app:1.4.2
    environment:
      DB_PASSWORD: s3cr3tpw
      DATABASE_URL: postgres://app:s3cr3tpw@db/app
    volumes:
      - ./config/app.yaml:/etc/app.yaml:ro
  init:
    image: example/init:1.4.2
    entrypoint: sh -c "psql postgres://app@db/app -c 'select 1' && login app s3cr3tpw"
  db:
    image: postgres:16-alpine
    environment:
      POSTGRES_USER: app
      POSTGRES_PASSWORD: s3cr3tpw
'''
GROUPED = ('16:7: DH206 service db: environment POSTGRES_PASSWORD has a secret-like name and a '
           'literal value, committed with the file; the same value is also in service app '
           'environment DB_PASSWORD (line 5), service app environment DATABASE_URL (line 6), '
           'service init entrypoint (line 11) and ./config/app.yaml (mounted into app); put it in '
           f'one variable: write {_req("POSTGRES_PASSWORD")} in place of the value at each place '
           '(in a URL, in place of its password), with the value in a git-ignored .env')

# A server's password that a client gets from elsewhere: the client's copy must change too.
PEERS = (
    # the server's own password, a client built here that depends on it with no credential
    # from the file: its code or image holds its own copy
    ('services:\n  db:\n    image: postgres:16-alpine\n    environment:\n'
     '      POSTGRES_PASSWORD: s3cr3tpw\n  worker:\n    build: .\n'
     '    depends_on: [db]\n',
     '5:7: DH206 service db: environment POSTGRES_PASSWORD has a secret-like name and a literal '
     'value, committed with the file; service worker depends on db but gets no credential from '
     'this file: if it uses this one, whatever gives it the value (an image, code, an '
     'env_file, a mounted file) must change with it; use POSTGRES_PASSWORD: '
     f'{_req("POSTGRES_PASSWORD")} with the value in a git-ignored .env, or compose secrets: '
     'mounted at /run/secrets'),
    # a client's password for a server the file configures otherwise (an init folder
    # mounted into it): whatever sets the password there must change with it
    ('services:\n  storage:\n    image: example/app-mysql:1.0\n'
     '    volumes: [./init:/docker-entrypoint-initdb.d]\n  app:\n'
     '    image: example/app:1.0\n    environment:\n      MYSQL_PASS: s3cr3tpw\n'
     '    depends_on: [storage]\n',
     '8:7: DH206 service app: environment MYSQL_PASS has a secret-like name and a literal '
     'value, committed with the file; service storage, which MYSQL_PASS is for, gets no '
     'credential from this file: whatever gives it the value (an image, code, an env_file, a '
     f'mounted file) must change with it; use MYSQL_PASS: {_req("MYSQL_PASS")} with the value '
     'in a git-ignored .env, or compose secrets: mounted at /run/secrets'),
)

# A stack whose variables come from whatever runs it (getumbrel+umbrel-apps: ${APP_DATA_DIR},
# ${APP_PASSWORD} set by the platform for each install, no .env anywhere): the advice takes
# the value that way, not from a .env nobody writes.
RUNNER = '''services:
  app:
    image: example/app:1.4.2
    environment:
      SECRET_KEY: ${APP_PASSWORD}
      DB_PASSWORD: s3cr3tpw
    volumes:
      - ${APP_DATA_DIR}/data:/data
  db:
    image: postgres:16-alpine
    environment:
      POSTGRES_PASSWORD: s3cr3tpw
'''
RUNNER_FINDING = (
    '12:7: DH206 service db: environment POSTGRES_PASSWORD has a secret-like name and a literal '
    'value, committed with the file; the same value is also in service app environment '
    'DB_PASSWORD (line 6); ${APP_PASSWORD} and ${APP_DATA_DIR} come from the '
    'environment of whatever runs the stack (no env file beside the file sets them): write '
    '${POSTGRES_PASSWORD:?POSTGRES_PASSWORD is not set} in place of the value at each place, '
    'and give POSTGRES_PASSWORD the same way (what was stored with the old value, as a '
    "database's own password, keeps it until changed there)")


def test_one_value_is_one_finding_naming_every_place(clean_cwd, capsys):
    path = clean_cwd / 'compose.yaml'
    path.write_text(STACK)
    (clean_cwd / 'config').mkdir()
    (clean_cwd / 'config' / 'app.yaml').write_text('db:\n  user: app\n  password: s3cr3tpw\n')
    assert main([str(path)]) == 1
    assert capsys.readouterr().out.splitlines() == [f'{path}:{GROUPED}']
    # ... at the same place, however the file orders its services (a baseline keeps it)
    app, rest = STACK.split('  init:\n')
    init, db = rest.split('  db:\n')
    path = clean_cwd / 'docker-compose.yml'
    path.write_text('services:\n  db:\n' + db + '  init:\n' + init + app[len('services:\n'):])
    assert main([str(path)]) == 1
    out = capsys.readouterr().out
    assert out.startswith(f'{path}:6:7: DH206 service db: environment POSTGRES_PASSWORD ')
    assert out.count('DH206') == 1
    # a driver's user:password@ names the password even when it is also the user name
    path = clean_cwd / 'compose.yml'
    path.write_text('services:\n  db:\n    image: mariadb:11\n    environment:\n'
                    '      MYSQL_USER: photos\n      MYSQL_PASSWORD: photos\n  app:\n'
                    '    image: example/photos:1.0\n    environment:\n'
                    '      MYSQL_URL: photos:photos@tcp(db)/photos\n')
    assert main([str(path)]) == 1
    assert capsys.readouterr().out.splitlines() == [
        f'{path}:6:7: DH206 service db: environment MYSQL_PASSWORD has a secret-like name and a '
        'literal value, committed with the file; the same value is also in service app '
        'environment MYSQL_URL (line 10); put it in one variable: write '
        f'{_req("MYSQL_PASSWORD")} in place of the value at each place (in a URL, in place of '
        'its password), with the value in a git-ignored .env']


@pytest.mark.parametrize(('src', 'expected'), PEERS)
def test_the_other_end_of_a_password(src, expected, clean_cwd, capsys):
    path = clean_cwd / 'compose.yaml'
    path.write_text(src)
    assert main([str(path)]) == 1
    assert capsys.readouterr().out.splitlines() == [f'{path}:{expected}']


def test_variables_from_whatever_runs_the_stack(clean_cwd, capsys):
    path = clean_cwd / 'compose.yaml'
    path.write_text(RUNNER)
    assert main([str(path)]) == 1
    assert capsys.readouterr().out.splitlines() == [f'{path}:{RUNNER_FINDING}']
    # a .env that sets them says where the stack's values come from: the .env advice
    (clean_cwd / '.env').write_text('APP_PASSWORD=\nAPP_DATA_DIR=./data\n')
    assert main([str(path)]) == 1
    out = capsys.readouterr().out
    assert 'whatever runs the stack' not in out
    assert f'write {_req("POSTGRES_PASSWORD")} in place of the value at each place, with the ' \
           'value in a git-ignored .env' in out


@pytest.mark.parametrize(('src', 'expected'), CASES)
def test_no_secrets(src, expected, clean_cwd, capsys):
    path = clean_cwd / 'compose.yaml'
    path.write_text(src)
    assert main([str(path)]) == (1 if expected else 0)
    out = capsys.readouterr().out
    assert out.splitlines() == [f'{path}:{e}' for e in expected]
    # the message never shows the value
    for value in (PASSWORD, AWS_KEY_ID, GITHUB_TOKEN, SLACK_TOKEN, FERNET_KEY, 'changeme'):
        assert value not in out


OPTION_CASES = (
    # --extra-secret-names: names the words do not catch
    (ENV + '      VAULT_ROLE: r-8c1f2\n', ('--extra-secret-names', 'vault_role'),
     (_env('5:7', 'VAULT_ROLE'),)),
    # --allowed-names: names that are never secrets here
    (ENV + '      SEARCH_API_KEY: sk_9f3c2e71\n      DB_PASSWORD: s3cr3tpw\n',
     ('--allowed-names', 'SEARCH_API_KEY'), (_env('6:7', 'DB_PASSWORD'),)),
    (ENV + '      SEARCH_API_KEY: sk_9f3c2e71\n', (), (_env('5:7', 'SEARCH_API_KEY'),)),
)


@pytest.mark.parametrize(('src', 'args', 'expected'), OPTION_CASES)
def test_options(src, args, expected, clean_cwd, capsys):
    path = clean_cwd / 'compose.yaml'
    path.write_text(src)
    assert main([str(path), *args]) == (1 if expected else 0)
    assert capsys.readouterr().out.splitlines() == [f'{path}:{e}' for e in expected]


# Round-2 review classes, each from the semantics it shows (synthetic files).
REVIEW_CASES = (
    # values that say they are test or throwaway ones (testpass, hackme) are placeholders
    ('services:\n  db:\n    image: postgres:16-alpine\n    environment:\n      P'
     'OSTGRES_PASSWORD: testpass\n  cache:\n    image: redis:7\n    command: re'
     'dis-server --requirepass hackme\n',
     {},
     []),
    # a header that says the file is not for production deployment: it never ships, only
    # credential formats count
    ('# Not to be used for production deployments: a stack for learning the '
     'API.\nservices:\n  db:\n    image: postgres:16-alpine\n    environment:\n  '
     '    POSTGRES_PASSWORD: s3cr3tpw\n',
     {},
     []),
    # a header that makes the file a base to customize first still ships
    ('# Fully functional to evaluate the app; not intended for production us'
     'e without first\n# customizing it.\nservices:\n  db:\n    image: postgres:'
     '16-alpine\n    environment:\n      POSTGRES_PASSWORD: s3cr3tpw\n',
     {},
     ['7:7: DH206 service db: environment POSTGRES_PASSWORD has a secret-like'
      ' name and a literal value, committed with the file; use POSTGRES_PASSW'
      'ORD: ${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD in .env} with the valu'
      'e in a git-ignored .env, or compose secrets: mounted at /run/secrets']),
    # the server's password that every client, a published image given no configuration, has built
    # in: fixed by the images, public with them, and not changeable from this file
    ('services:\n  result:\n    image: example/result:1.0\n    depends_on: [db]'
     '\n  db:\n    image: postgres:16-alpine\n    environment:\n      POSTGRES_P'
     'ASSWORD: s3cr3tpw\n',
     {},
     []),
    # a root password and the application user's password that share a literal are two accounts:
    # two findings, each with its own variable (MariaDB reads MYSQL_*: its entries are the
    # server's own)
    ('services:\n  app:\n    image: example/app:1.0\n    environment:\n      MYS'
     'QL_USER: app\n      MYSQL_PASSWORD: s3cr3tpw\n  db:\n    image: mariadb:1'
     '1\n    environment:\n      MYSQL_USER: app\n      MYSQL_ROOT_PASSWORD: s3'
     'cr3tpw\n      MYSQL_PASSWORD: s3cr3tpw\n',
     {},
     ['11:7: DH206 service db: environment MYSQL_ROOT_PASSWORD has a secret-l'
      'ike name and a literal value, committed with the file; use MYSQL_ROOT_'
      'PASSWORD: ${MYSQL_ROOT_PASSWORD:?set MYSQL_ROOT_PASSWORD in .env} with'
      ' the value in a git-ignored .env, or compose secrets: mounted at /run/'
      'secrets',
      '12:7: DH206 service db: environment MYSQL_PASSWORD has a secret-like n'
      'ame and a literal value, committed with the file; the same value is al'
      'so in service app environment MYSQL_PASSWORD (line 6); put it in one v'
      'ariable: write ${MYSQL_PASSWORD:?set MYSQL_PASSWORD in .env} in place '
      'of the value at each place, with the value in a git-ignored .env']),
    # two servers' passwords sharing a literal are two findings; a URL variable is never required
    # (a template may leave it empty to keep its default): the password variable is nested in its
    # default
    ('services:\n  db:\n    image: postgres:16-alpine\n    environment:\n      P'
     'OSTGRES_USER: app\n      POSTGRES_PASSWORD: ${POSTGRES_PASSWORD:-s3cr3t'
     'pw}\n  mq:\n    image: rabbitmq:3\n    environment:\n      RABBITMQ_DEFAUL'
     'T_USER: app\n      RABBITMQ_DEFAULT_PASS: ${RABBITMQ_PASSWORD:-s3cr3tpw'
     '}\n  api:\n    image: example/api:1.0\n    environment:\n      DATABASE_UR'
     'L: ${DATABASE_URL:-postgresql://app:s3cr3tpw@db/app}\n      AMQP_URL: $'
     '{AMQP_URL:-amqp://app:s3cr3tpw@mq:5672/app}\n',
     {},
     ['6:7: DH206 service db: environment POSTGRES_PASSWORD has a secret-like'
      ' name and a literal value, committed with the file; the same value is '
      'also in service api environment DATABASE_URL (line 15); put it in one '
      'variable: drop the committed default of ${POSTGRES_PASSWORD} and requi'
      're it: ${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD in .env} and nest it'
      ' in the default of ${DATABASE_URL} rather than requiring that variable'
      ' (an empty value keeps the default): ${DATABASE_URL:-postgresql://app:'
      '${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD in .env}@db/app}, with the '
      'value in a git-ignored .env',
      '11:7: DH206 service mq: environment RABBITMQ_DEFAULT_PASS has a secret'
      '-like name and a literal value, committed with the file; the same valu'
      'e is also in service api environment AMQP_URL (line 16); put it in one'
      ' variable: drop the committed default of ${RABBITMQ_PASSWORD} and requ'
      'ire it: ${RABBITMQ_PASSWORD:?set RABBITMQ_PASSWORD in .env} and nest i'
      't in the default of ${AMQP_URL} rather than requiring that variable (a'
      'n empty value keeps the default): ${AMQP_URL:-amqp://app:${RABBITMQ_PA'
      'SSWORD:?set RABBITMQ_PASSWORD in .env}@mq:5672/app}, with the value in'
      ' a git-ignored .env']),
    # an env_file the stack ships holding the same key is named: it must change with it
    ('services:\n  search:\n    image: getmeili/meilisearch:v1.7\n    environme'
     'nt:\n      MEILI_MASTER_KEY: Xk29fLq0vB7pT4mZ\n  api:\n    image: example'
     '/api:1.0\n    env_file: ${APP_DATA_DIR}/app.env\n',
     {'app.env': 'MEILI_HOST=http://search:7700\nMEILI_MASTER_KEY=Xk29fLq0vB7pT4mZ\n'},
     ['5:7: DH206 service search: environment MEILI_MASTER_KEY has a secret-l'
      'ike name and a literal value, committed with the file; the same value '
      'is also in ./app.env MEILI_MASTER_KEY (line 2, the env_file of api); $'
      '{APP_DATA_DIR} comes from the environment of whatever runs the stack ('
      'no env file beside the file sets it): write ${MEILI_MASTER_KEY:?MEILI_'
      'MASTER_KEY is not set} in place of the value at each place, and give M'
      'EILI_MASTER_KEY the same way (what was stored with the old value, as a'
      " database's own password, keeps it until changed there)"]),
    # another secret of a dependant (an API key) is no credential for the database: the note stays
    ('services:\n  server:\n    build: .\n    environment:\n      OPENAI_API_KEY'
     ': ${OPENAI_API_KEY:-}\n    depends_on: [db]\n  db:\n    image: postgres:1'
     '6-alpine\n    environment:\n      POSTGRES_PASSWORD: s3cr3tpw\n',
     {},
     ['10:7: DH206 service db: environment POSTGRES_PASSWORD has a secret-lik'
      'e name and a literal value, committed with the file; service server de'
      'pends on db but gets no credential from this file: if it uses this one'
      ', whatever gives it the value (an image, code, an env_file, a mounted '
      'file) must change with it; use POSTGRES_PASSWORD: ${POSTGRES_PASSWORD:'
      '?set POSTGRES_PASSWORD in .env} with the value in a git-ignored .env, '
      'or compose secrets: mounted at /run/secrets']),
    # a folded command is reported at the literal's line; an entry reading the same variable with
    # the same default is the same secret, whatever its name
    ('services:\n  web:\n    image: example/web:1.0\n    environment:\n      RED'
     'IS_AUTH: ${REDIS_AUTH:-r3d1ssecret}\n  redis:\n    image: redis:7\n    co'
     'mmand: >\n      --save 20 1\n      --requirepass ${REDIS_AUTH:-r3d1ssecr'
     'et}\n',
     {},
     ['10:21: DH206 service redis: command option --requirepass has a secret-'
      'like name and a literal value, committed with the file; the same value'
      ' is also in service web environment REDIS_AUTH (line 5); drop the comm'
      'itted default and require the variable: ${REDIS_AUTH:?set REDIS_AUTH i'
      'n .env} with the value in a git-ignored .env']),
)

REVIEW_CASES += (
    # a comment above a folded command's key that says to change it speaks for its value,
    # reported (when it is) at the value's own line
    ('services:\n  redis:\n    image: redis:7\n    # CHANGEME: the row below sets the '
     'password\n    command: >\n      --requirepass r3d1ssecret\n      --save 20 1\n', {}, []),
)


@pytest.mark.parametrize(('src', 'files', 'expected'), REVIEW_CASES)
def test_review_round2_classes(src, files, expected, clean_cwd, capsys):
    path = clean_cwd / 'compose.yaml'
    path.write_text(src)
    for name, text in files.items():
        (clean_cwd / name).write_text(text)
    assert main([str(path)]) == (1 if expected else 0)
    assert capsys.readouterr().out.splitlines() == [f'{path}:{line}' for line in expected]
