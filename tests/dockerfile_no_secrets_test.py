from __future__ import annotations

import pytest
from dockhooks.dockerfile_no_secrets import main
from hookrun import assert_findings

# Credential-shaped values are assembled here so that this file itself holds none.
AWS_KEY_ID = 'AKIA' + 'Z7Q3KXMW4PLN2BVR'  # not AWS's documented AKIAIOSFODNN7EXAMPLE
GITHUB_TOKEN = 'ghp_' + 'a1B2' * 9
GITLAB_TOKEN = 'glpat-' + 'Zq8Kt3vLm2Np9Rx4Wb6Y'
SLACK_TOKEN = 'xoxb-' + '7291836450-kQz'
STRIPE_KEY = 'sk_live_' + 'Zq8Kt3vLm2Np9Rx4Wb6Yc1Dd'
GOOGLE_KEY = 'AIza' + 'Zq8Kt3vLm2Np9Rx4Wb6Yc1Dd5Fg7Hj0Kk3L'
NPM_TOKEN = 'npm_' + 'Zq8Kt3vLm2Np9Rx4Wb6Yc1Dd5Fg7Hj0Kk3Lm'
# the same shapes filled with filler: placeholders
FILLER_TOKENS = ('glpat-' + 'x' * 20, 'sk_live_' + '0' * 24, 'AIza' + 'S' * 35,
                 'npm_' + 'n' * 36, 'ghp_' + '1234567890abcdefghijklmnopqrstuvwxyz')
PRIVATE_KEY = '-----BEGIN OPENSSH ' + 'PRIVATE KEY-----'
# a key's body: an Ed25519 key, the shortest there is, has 64 base64 characters
KEY_BODY = 'b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW'


def _env(pos: str, name: str) -> str:
    return (f'{pos}: DH103 ENV {name} bakes a secret into the image config; remove it and give '
            f'it at run time (docker run -e {name}, compose environment from .env or secrets:), '
            f'or use RUN --mount=type=secret for build steps')


def _arg(pos: str, name: str) -> str:
    low = name.lower()
    return (f'{pos}: DH103 ARG {name} looks like a secret: build-arg values stay in the image '
            f'history; use RUN --mount=type=secret,id={low} and read /run/secrets/{low} in '
            f'that RUN')


def _holds(pos: str, keyword: str, name: str, kind: str) -> str:
    return (f'{pos}: DH103 {keyword} {name} holds {kind}: it is stored in the image for anyone '
            f'who pulls it; revoke it, and pass it at run time or with RUN --mount=type=secret')


CASES = (
    # ENV with a secret-like name and a literal value
    ('FROM alpine:3.20\nENV SECRET_KEY=9f8e7d6c5b4a\n', (_env('2:1', 'SECRET_KEY'),)),
    ('FROM alpine:3.20\nENV SECRET_KEY 9f8e7d6c5b4a\n', (_env('2:1', 'SECRET_KEY'),)),  # legacy
    ('FROM alpine:3.20\nENV DB_PASSWORD="hunter2" API_TOKEN=abc apiKey=k3yv4lue\n',
     (_env('2:1', 'DB_PASSWORD'), _env('2:1', 'API_TOKEN'), _env('2:1', 'apiKey'))),
    ('FROM alpine:3.20\nENV A=1 \\\n    DJANGO_SECRET_KEY=dj4ngo-s3cret\n',
     (_env('2:1', 'DJANGO_SECRET_KEY'),)),  # at the instruction's first line
    ('FROM alpine:3.20\nENV db.password=s3cr3tpw client-secret=s3cr3tpw\n',
     (_env('2:1', 'db.password'), _env('2:1', 'client-secret'))),
    ('FROM alpine:3.20\nENV MAIL_PASS=s3cr3tpw VPN_PASSWD=s3cr3tpw\n',
     (_env('2:1', 'MAIL_PASS'), _env('2:1', 'VPN_PASSWD'))),
    # a literal default is a literal value
    ('FROM alpine:3.20\nENV SECRET_KEY=${SECRET_KEY:-s3cr3tv4lue}\n',
     (_env('2:1', 'SECRET_KEY'),)),
    # ARG with a secret-like name, with or without a default
    ('FROM alpine:3.20\nARG NPM_TOKEN\n', (_arg('2:1', 'NPM_TOKEN'),)),
    ('FROM alpine:3.20\nARG DB_PASSWORD=postgres\n', (_arg('2:1', 'DB_PASSWORD'),)),
    ('ARG SECRET_KEY=abc\nFROM alpine:3.20\n', (_arg('1:1', 'SECRET_KEY'),)),  # global ARG
    ('FROM alpine:3.20\nARG NPM_TOKEN GITHUB_TOKEN\n',  # one ARG, two names
     (_arg('2:1', 'NPM_TOKEN'), _arg('2:1', 'GITHUB_TOKEN'))),
    # ENV that only passes a variable on: the ARG is what gets reported, with run-time advice
    ('FROM alpine:3.20\nARG DB_PASSWORD\nENV DB_PASSWORD=$DB_PASSWORD\n',
     ('2:1: DH103 ARG DB_PASSWORD looks like a secret and ENV on line 3 copies it into the '
      'image config, for anyone who pulls it; give it at run time instead (docker run -e '
      'DB_PASSWORD, compose environment or secrets:)',)),
    ('FROM alpine:3.20\nENV DB_PASSWORD=${DB_PASSWORD}\n', ()),
    ('FROM alpine:3.20\nENV DB_PASSWORD="${DB_PASSWORD:-}"\n', ()),
    ('FROM alpine:3.20\nENV DB_PASSWORD=${DB_PASSWORD:-$DEFAULT_PASSWORD}\n', ()),
    ('FROM alpine:3.20\nENV DB_PASSWORD=${DB_PASSWORD-s3cr3t$Y}\n',
     (_env('2:1', 'DB_PASSWORD'),)),
    ('FROM alpine:3.20\nENV API_TOKEN=$TOKEN_PREFIX$TOKEN_BODY\n', ()),
    # an ENV without a value, or an empty one
    ("FROM alpine:3.20\nENV SECRET=''\nENV PASSWORD=\n", ()),
    # values in a known credential format, whatever the name
    (f'FROM alpine:3.20\nLABEL maintainer=me aws={AWS_KEY_ID}\n',
     (_holds('2:1', 'LABEL', 'aws', 'an AWS access key id'),)),
    (f'FROM alpine:3.20\nENV MY_VAR={GITHUB_TOKEN}\n',
     (_holds('2:1', 'ENV', 'MY_VAR', 'a GitHub token'),)),
    (f'FROM alpine:3.20\nARG GITHUB_TOKEN={GITHUB_TOKEN}\n',  # one finding, the stronger one
     (_holds('2:1', 'ARG', 'GITHUB_TOKEN', 'a GitHub token'),)),
    (f'FROM alpine:3.20\nENV GL={GITLAB_TOKEN}\n', (_holds('2:1', 'ENV', 'GL', 'a GitLab token'),)),
    (f'FROM alpine:3.20\nENV HOOK={SLACK_TOKEN}\n',
     (_holds('2:1', 'ENV', 'HOOK', 'a Slack token'),)),
    (f'FROM alpine:3.20\nENV STRIPE={STRIPE_KEY}\n',
     (_holds('2:1', 'ENV', 'STRIPE', 'a Stripe live key'),)),
    (f'FROM alpine:3.20\nENV MAPS={GOOGLE_KEY}\n',
     (_holds('2:1', 'ENV', 'MAPS', 'a Google API key'),)),
    (f'FROM alpine:3.20\nARG NPMRC={NPM_TOKEN}\n',
     (_holds('2:1', 'ARG', 'NPMRC', 'an npm token'),)),
    (f'FROM alpine:3.20\nENV SSH_CFG="{PRIVATE_KEY}\\n{KEY_BODY}"\n',
     (_holds('2:1', 'ENV', 'SSH_CFG', 'a private key'),)),
    # a BEGIN line without a key's body holds no key (outline+outline/.env.test: the header
    # and the 16 characters every RSA key starts with)
    (f'FROM alpine:3.20\nENV SSH_CFG="{PRIVATE_KEY}\\nMIIEpAIBAAKCAQEA\\n-----END"\n', ()),
    ('FROM alpine:3.20\nENV DATABASE_URL=postgres://user:s3cret@db:5432/app\n',
     (_holds('2:1', 'ENV', 'DATABASE_URL', 'a URL with a password'),)),
    ('FROM alpine:3.20\nENV CACHE=redis://:s3cret@redis:6379/0\n',  # no user name
     (_holds('2:1', 'ENV', 'CACHE', 'a URL with a password'),)),
    (f'FROM alpine:3.20\nONBUILD ENV KEY_ID={AWS_KEY_ID}\n',
     (_holds('2:1', 'ENV', 'KEY_ID', 'an AWS access key id'),)),
    # URLs whose password is a variable or a mask
    ('FROM alpine:3.20\nENV DATABASE_URL=postgres://user:${PW}@db:5432/app\n', ()),
    ('FROM alpine:3.20\nENV DSN=https://user:***@host/ U=https://user@host/\n', ()),
    # names are judged by words, not substrings
    ('FROM alpine:3.20\nENV PASSWORD_HASHERS=argon2 TOKENIZERS_PARALLELISM=false\n', ()),
    ('FROM python:3.13-slim\nENV GPG_KEY A035C8C19219BA821ECEA86B64E628F8D684696D\n', ()),
    ('FROM python:3.13-slim\nARG GPG_KEY=A035C8C19219BA821ECEA86B64E628F8D684696D\n', ()),
    ('FROM alpine:3.20\nENV KEYCLOAK_VERSION=24 MONKEY=banana PASSAGE=x COMPASS=y\n', ()),
    # the false positives users report against other linters
    ('FROM alpine:3.20\nENV username=bob\nARG username\n', ()),
    ('FROM golang:1.22\nENV GOPRIVATE=github.com/org\n', ()),
    ('FROM alpine:3.20\nENV GITHUB_TOKEN_FILE=/run/secrets/gh\nARG NPM_TOKEN_FILE\n', ()),
    ('FROM alpine:3.20\nENV FACEBOOK_APP_ID=123456 TRAVIS_OS_NAME=linux\n', ()),
    ('FROM alpine:3.20\nENV SECRET_VERSION=3 NODE_VERSION=20\nARG TOKEN_VERSION=1\n', ()),
    ('FROM alpine:3.20\nENV PWD=/app OLDPWD=/ GIT_ASKPASS=/bin/true PASS_MAX_DAYS=99\n', ()),
    # names that point at a secret instead of holding it
    ('FROM alpine:3.20\nENV SECRET_KEY_FILE=/run/secrets/key DB_PASSWORD_PATH=/x\n', ()),
    ('FROM alpine:3.20\nENV CREDENTIALS_DIR=/creds API_KEY_HEADER=X-Api-Key\n', ()),
    # values that are settings about a secret
    ('FROM alpine:3.20\nENV TOKEN_TTL=3600 PASSWORD_MIN_LENGTH=12 SECRET_ROTATION=30d\n', ()),
    ('FROM alpine:3.20\nENV TOKEN_REFRESH=15m API_KEY=PT15M SECRET=0 DB_PASSWORD=true\n', ()),
    # a LABEL is only judged by its value
    ('FROM alpine:3.20\nLABEL api_key=abc password=x\n', ()),
    # RUN --mount=type=secret is the way to do it
    ('FROM alpine:3.20\nRUN --mount=type=secret,id=npm_token '
     'NPM_TOKEN=$(cat /run/secrets/npm_token) npm ci\n', ()),
    # ENV inside a heredoc body is not an instruction
    ('FROM alpine:3.20\nCOPY <<EOF /app/.env.example\nENV SECRET_KEY=abc\nEOF\n', ()),
    # placeholders, judged as compose-no-secrets judges them: filler token shapes, values
    # that say they are not real, restate their name or whose line says so, paths
    *((f'FROM alpine:3.20\nENV TOKEN={t}\n', ()) for t in FILLER_TOKENS),
    ('FROM alpine:3.20\nENV SECRET_KEY=changeme DB_PASSWORD=db_password\n', ()),
    # a keyboard run, the name's own secret word (nextcloud+all-in-one AIO_TOKEN, vimagick
    # hans and ocserv): the rule's documented placeholders, for names judged by name too
    ('FROM alpine:3.20\nENV AIO_TOKEN=123456 API_TOKEN=123456789 PIN_PASS=12345\n', ()),
    ('FROM alpine:3.20\nENV PASSWORD=password VPN_PASSWORD=password DB_PASS=password\n', ()),
    ('FROM alpine:3.20\nARG AWS_SECRET_ACCESS_KEY=FAKE_TO_GENERATE_WARNING_OUTPUT\n', ()),
    ('FROM alpine:3.20\n# change this before deploying\nENV JWT_SECRET=s3cr3tv4lue\n', ()),
    ('FROM alpine:3.20\nENV TLS_PRIVATE_KEY=/certs/tls.key API_PASS=http://up:80\n', ()),
    ('FROM alpine:3.20\nENV UWSGI_PASS=app:3031 VITE_API_TOKEN=abc123\n', ()),
    # ONBUILD triggers are checked too
    ('FROM alpine:3.20\nONBUILD ENV SECRET_KEY=abc\n', (_env('2:1', 'SECRET_KEY'),)),
    ('FROM alpine:3.20\nONBUILD ARG NPM_TOKEN\n', (_arg('2:1', 'NPM_TOKEN'),)),
)


@pytest.mark.parametrize(('src', 'expected'), CASES)
def test_no_secrets(src, expected, tmp_path, capsys, clean_cwd):
    assert_findings(main, tmp_path / 'Dockerfile', capsys, src, expected)


VALUES = (
    ('ENV SECRET_KEY=9f8e7d6c5b4a\n', '9f8e7d6c5b4a'),
    ('ENV DB_PASSWORD="hunter two"\n', 'hunter'),
    ('ARG DB_PASSWORD=postgres\n', 'postgres'),
    (f'ENV MY_VAR={GITHUB_TOKEN}\n', GITHUB_TOKEN),
    (f'LABEL aws={AWS_KEY_ID}\n', AWS_KEY_ID),
    ('ENV DATABASE_URL=postgres://user:s3cret@db:5432/app\n', 's3cret'),
    (f'ENV SSH_CFG="{PRIVATE_KEY}\\n{KEY_BODY}"\n', 'PRIVATE KEY'),
)


@pytest.mark.parametrize(('src', 'value'), VALUES)
def test_message_never_contains_the_value(src, value, tmp_path, capsys, clean_cwd):
    path = tmp_path / 'Dockerfile'
    path.write_text(f'FROM alpine:3.20\n{src}')
    assert main([str(path)]) == 1
    out, err = capsys.readouterr()
    assert len(out.splitlines()) == 1
    assert value not in out
    assert err == ''


OPTION_CASES = (
    # --extra-secret-names: any case, comma-separated, repeatable
    (('--extra-secret-names=MY_SETTING,other', '--extra-secret-names', 'third'),
     'FROM alpine:3.20\nENV MY_SETTING=abc OTHER=1 OTHER=v4lue2 THIRD=v4lue3\nARG my_setting\n',
     (_env('2:1', 'MY_SETTING'), _env('2:1', 'OTHER'), _env('2:1', 'THIRD'),
      _arg('3:1', 'my_setting'))),
    ((), 'FROM alpine:3.20\nENV MY_SETTING=abc\n', ()),
    # --allowed-names: never secrets here, not even in a credential format
    (('--allowed-names=search_api_key,KEY_ID',),
     f'FROM alpine:3.20\nENV SEARCH_API_KEY=pk_abc KEY_ID={AWS_KEY_ID}\n', ()),
    ((), 'FROM alpine:3.20\nENV SEARCH_API_KEY=pk_abc\n', (_env('2:1', 'SEARCH_API_KEY'),)),
    # allowed wins over extra
    (('--allowed-names=X_TOKEN', '--extra-secret-names=X_TOKEN'),
     'FROM alpine:3.20\nENV X_TOKEN=abc\n', ()),
)


@pytest.mark.parametrize(('args', 'src', 'expected'), OPTION_CASES)
def test_options(args, src, expected, tmp_path, capsys, clean_cwd):
    assert_findings(main, tmp_path / 'Dockerfile', capsys, src, expected, *args)


@pytest.mark.parametrize(('name', 'toml'), (
    ('pyproject.toml',
     '[tool.dockhooks]\nextra-secret-names = ["MY_SETTING"]\nallowed-names = ["API_TOKEN"]\n'),
    ('.dockhooks.toml', 'extra-secret-names = ["MY_SETTING"]\nallowed-names = ["API_TOKEN"]\n'),
))
def test_names_from_config_and_cli_wins(name, toml, tmp_path, capsys, clean_cwd):
    (tmp_path / name).write_text(toml)
    (tmp_path / 'Dockerfile').write_text(
        'FROM alpine:3.20\nENV MY_SETTING=v4lue1 API_TOKEN=v4lue2\n')
    assert main(['Dockerfile']) == 1
    assert capsys.readouterr().out == f'Dockerfile:{_env("2:1", "MY_SETTING")}\n'
    assert main(['Dockerfile', '--extra-secret-names=OTHER', '--allowed-names=MY_SETTING']) == 1
    assert capsys.readouterr().out == f'Dockerfile:{_env("2:1", "API_TOKEN")}\n'
