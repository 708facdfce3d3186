from __future__ import annotations

import subprocess

import pytest
from dockhooks import cli
from dockhooks.no_committed_env_files import main

# a Stripe live key's shape, assembled so that this file holds none
SECRET = 'sk_live_' + '51Hq8Kt3vLm2Np9Rx4Wb6Yc1Dd'


def env_file(path: str, keys: str = 'STRIPE_KEY, DB_PASSWORD', line: int = 1,
             advice: str | None = None) -> str:
    one = ',' not in keys
    noun = 'a real value' if one else 'real values'
    it = 'it' if one else 'them'
    advice = advice or (f'rotate {it}, move {it} to a git-ignored file (.env.local, or compose '
                        f'secrets:) and keep only settings and ${{...}} references here')
    return (f'{path}:{line}:1: DH302 commits {noun} for {keys}: anyone with the repository has '
            f'{it}, in its history too; {advice}')


def _local(name: str, it: str = 'them') -> str:
    return (f'rotate {it} and take the file out of git (git rm --cached {name}, and add it to '
            f'.gitignore): it is the private file of its convention, never committed')


def _run(capsys, *args: str) -> tuple[int, list[str], str]:
    rc = main(list(args))
    out, err = capsys.readouterr()
    return rc, out.splitlines(), err


@pytest.mark.parametrize('path', (
    '.env',
    '.env.local',
    '.env.production',
    '.env.development.local',
    'prod.env',
    'config/.env',
    'deploy/staging/.env.staging',
    'docker/db.env',
))
def test_env_files_fail(clean_cwd, capsys, path):
    (clean_cwd / path).parent.mkdir(parents=True, exist_ok=True)
    (clean_cwd / path).write_text(f'STRIPE_KEY={SECRET}\nDB_PASSWORD=hunter2\n')
    rc, out, err = _run(capsys, path)
    local = _local(path.rsplit('/', 1)[-1]) if path.endswith('.local') else None
    assert (rc, out, err) == (1, [env_file(path, advice=local)], '')
    assert SECRET not in '\n'.join(out) + err  # a value is never printed
    assert 'hunter2' not in '\n'.join(out) + err


@pytest.mark.parametrize('path', (
    '.env.example',
    '.env.sample',
    '.env.template',
    '.env.dist',
    '.env.defaults',
    '.env.tmpl',
    '.env.local.example',  # the template of a local file
    'example.env',
    'sample.env',
    'config/.env.example',
    '.envrc',  # direnv, not a .env file
    '.env.patch',  # other kinds of file named after one
    '.env.sh',
    '.env.md',
    'config/.env.gpg',  # encrypted
    'environment.py',
    'README.md',
))
def test_templates_and_other_files_pass(clean_cwd, capsys, path):
    (clean_cwd / path).parent.mkdir(parents=True, exist_ok=True)
    (clean_cwd / path).write_text(f'KEY={SECRET}\n')
    assert _run(capsys, path) == (0, [], '')


def test_several_files_one_line_each(clean_cwd, capsys):
    for name in ('.env', '.env.example', 'prod.env'):
        (clean_cwd / name).write_text(f'STRIPE_KEY={SECRET}\n')
    rc, out, err = _run(capsys, '.env', '.env.example', 'prod.env')
    assert (rc, out, err) == (1, [env_file('.env', 'STRIPE_KEY'),
                                  env_file('prod.env', 'STRIPE_KEY')], '')


@pytest.mark.parametrize('text', (
    # settings only: a file Compose needs, shipped on purpose
    'COMPOSE_PROJECT_NAME=paperless\nCOMPOSE_PROFILES=web\nTZ=Europe/Berlin\nPORT=8000\n',
    'POSTGRES_VERSION=16\nIMAGE_TAG=v3.1.0\n',
    # references and placeholders, judged as the other secret rules judge them
    'DB_PASSWORD=${DB_PASSWORD}\nSECRET_KEY=\nAPI_TOKEN=<your-token>\n',
    'SECRET_KEY=changeme\nDB_PASSWORD=your_db_password\n',
    'JWT_SECRET=s3cr3tv4lue # change this\n',
    '# generate one: openssl rand -hex 32\nAPP_KEY=a8f5f167f44f4964e6c998dee827110c\n',
    'DB_PASSWORD_FILE=/run/secrets/db\nGOOGLE_APPLICATION_CREDENTIALS=./key.json\n',
    '',  # empty: filled in by the installer
))
def test_files_without_a_real_secret_pass(clean_cwd, capsys, text):
    (clean_cwd / '.env').write_text(text)
    assert _run(capsys, '.env') == (0, [], '')


def test_the_finding_is_at_the_first_secret_and_names_every_key(clean_cwd, capsys):
    (clean_cwd / '.env').write_text(
        'COMPOSE_PROJECT_NAME=shop\nTZ=UTC\nDB_PASSWORD=hunter2\nAPI_TOKEN="t0k3nv4lue"\n')
    assert _run(capsys, '.env') == (1, [env_file('.env', 'DB_PASSWORD, API_TOKEN', 3)], '')


# The advice follows how the file is read.
COMPOSE = 'services:\n  db:\n    image: postgres:16-alpine\n'
ADVICE = (
    # the .env Compose reads to fill in the compose file beside it: a .env.local would not
    # be read for that (temporalio+docker-compose)
    ({'.env': 'COMPOSE_PROJECT_NAME=shop\nPOSTGRES_PASSWORD=hunter2\n',
      'compose.yaml': COMPOSE + '    environment:\n'
                      '      POSTGRES_PASSWORD: ${POSTGRES_PASSWORD}\n'},
     '.env', env_file('.env', 'POSTGRES_PASSWORD', 2, advice=(
         'Compose reads this file to fill ${POSTGRES_PASSWORD} in compose.yaml, and would not '
         'read a .env.local for that: rotate it, git-ignore .env and commit a .env.example for '
         'each user to copy (the settings as they are, the secrets empty), or give it through '
         'compose secrets:'))),
    # the env_file of a stack that a platform installs, with the variables it sets for each
    # install (getumbrel+umbrel-apps: ${APP_DATA_DIR}, ${APP_SEED}): every install shares it
    ({'settings.env': 'WEBHOOK_SECRET=Wh-8c1f2e9a\n',
      'docker-compose.yml': 'services:\n  core:\n    image: example/core:1.0\n'
                            '    environment:\n      JWT_SECRET: ${APP_SEED}\n'
                            '    env_file:\n      - ${APP_DATA_DIR}/settings.env\n'},
     'settings.env', env_file('settings.env', 'WEBHOOK_SECRET', advice=(
         'it is installed with the stack as the env_file of service core (docker-compose.yml), '
         'so every install shares it: give each install its own the way the compose file takes '
         '${APP_DATA_DIR} from whatever runs the stack, and remove it here'))),
    # a template whose keys fill the compose file beside it, copied by each install
    # (makeplane+plane deployments/cli: install.sh downloads it as plane.env)
    ({'variables.env': 'SECRET_KEY=60gp0byfz2dvffa45cxl20p1scy9xbpf\n',
      'docker-compose.yml': 'services:\n  api:\n    image: example/api:1.0\n'
                            '    environment:\n      SECRET_KEY: ${SECRET_KEY}\n'},
     'variables.env', env_file('variables.env', 'SECRET_KEY', advice=(
         'its keys fill ${SECRET_KEY} in docker-compose.yml, so it is the template each install '
         'copies, and every install that keeps it shares it: leave it empty here and have the '
         'install generate it (openssl rand -hex 32)'))),
    # a file a Dockerfile beside it copies into the image
    ({'app.env': 'SECRET_KEY=60gp0byfz2dvffa45cxl20p1scy9xbpf\n',
      'Dockerfile': 'FROM alpine:3.20\nCOPY app.env /app/.env\n'},
     'app.env', env_file('app.env', 'SECRET_KEY', advice=(
         'Dockerfile (line 2) copies it into the image, so every container of the image shares '
         'it: leave it empty here and have the container generate it when it first starts, or '
         'take it at run time (docker run -e, compose environment)'))),
)


@pytest.mark.parametrize(('files', 'path', 'expected'), ADVICE)
def test_the_advice_follows_how_the_file_is_read(clean_cwd, capsys, files, path, expected):
    for name, text in files.items():
        (clean_cwd / name).write_text(text)
    assert _run(capsys, path) == (1, [expected], '')


def test_a_private_key_needs_its_body(clean_cwd, capsys):
    # outline+outline/.env.test: the BEGIN line and the 16 characters every RSA key starts
    # with are a stub, not a key
    header = '-----BEGIN RSA ' + 'PRIVATE KEY-----'
    (clean_cwd / '.env').write_text(f'GITHUB_APP_PRIVATE_KEY="{header}\\nMIIEpAIBAAKCAQEA\\n'
                                    '-----END RSA PRIVATE KEY-----"\n')
    assert _run(capsys, '.env') == (0, [], '')
    body = 'MIIEpAIBAAKCAQEAq8Kt3vLm2Np9Rx4Wb6Yc1Dd5Fg7Hj0Kk3LmZq8Kt3vLm2Np9Rx4Wb6Yc1Dd'
    (clean_cwd / '.env.test').write_text(f'GITHUB_APP_PRIVATE_KEY="{header}\\n{body}\\n'
                                         '-----END RSA PRIVATE KEY-----"\n')
    assert _run(capsys, '.env.test') == (1, [env_file('.env.test', 'GITHUB_APP_PRIVATE_KEY')],
                                         '')


@pytest.mark.parametrize('path', ('.env.test', '.env.development', 'tests/.env', '.env.ci'))
def test_test_and_dev_defaults_only_credential_formats_count(clean_cwd, capsys, path):
    (clean_cwd / path).parent.mkdir(parents=True, exist_ok=True)
    (clean_cwd / path).write_text(f'STRIPE_KEY={SECRET}\nDB_PASSWORD=hunter2\n')
    assert _run(capsys, path) == (1, [env_file(path, 'STRIPE_KEY')], '')


def test_in_files_that_never_ship_only_credential_formats_count(clean_cwd, capsys):
    # a test fixture's weak password protects a throwaway container; a real token leaks
    (clean_cwd / 'tests').mkdir()
    (clean_cwd / 'tests' / '.env').write_text('DB_PASSWORD=hunter2\n')
    assert _run(capsys, 'tests/.env') == (0, [], '')
    (clean_cwd / 'tests' / '.env').write_text(f'DB_PASSWORD=hunter2\nSTRIPE_KEY={SECRET}\n')
    assert _run(capsys, 'tests/.env') == (1, [env_file('tests/.env', 'STRIPE_KEY', 2)], '')


def test_a_file_compose_cannot_read(clean_cwd, capsys):
    (clean_cwd / '.env').write_text('A=1\nB C=2\n')
    assert _run(capsys, '.env') == (1, [
        '.env:2:1: DH001 cannot be checked: line 2: a variable name cannot contain a space '
        "('B C')"], '')


def test_no_files(clean_cwd, capsys):
    assert _run(capsys) == (0, [], '')


def test_json_report_never_holds_the_value(clean_cwd, capsys):
    (clean_cwd / '.env').write_text(f'KEY={SECRET}\n')
    rc, out, err = _run(capsys, '--format', 'json', '.env')
    assert rc == 1
    assert SECRET not in '\n'.join(out) + err
    assert '"DH302"' in '\n'.join(out)


def test_check_in_a_git_repository(clean_cwd, git_env, capsys, monkeypatch):
    repo = clean_cwd / 'repo'
    (repo / 'config').mkdir(parents=True)
    subprocess.run(('git', 'init', '-q'), cwd=repo, check=True, capture_output=True)
    (repo / '.gitignore').write_text('config/.env\n')
    (repo / '.env').write_text(f'STRIPE_KEY={SECRET}\n')  # untracked, not ignored: added
    (repo / 'config' / '.env').write_text(f'KEY={SECRET}\n')  # git-ignored: never committed
    (repo / '.env.example').write_text('KEY=\n')
    monkeypatch.chdir(repo)
    rc = cli.main(['check', '--select', 'DH302'])
    out, err = capsys.readouterr()
    assert (rc, out.splitlines(), err) == (1, [env_file('.env', 'STRIPE_KEY')], '')
    assert SECRET not in out + err
