"""DH103 on secret files a COPY or ADD puts into an image: the names that say a secret, the
files the tree holds, the build context and ignore file Docker uses, the stages that ship."""
from __future__ import annotations

import subprocess

import pytest
from dockhooks.dockerfile_no_secrets import main
from hookrun import assert_findings
from hookrun import df

TOKEN = 'Zq8Kt3vLm2Np9Rx4Wb6Y'  # random-looking: no placeholder
LAYER = ('anyone who pulls the image can read it, and deleting it in a later step does not '
         'remove it')


def _env(pos: str, shown: str, target: str, src: str, what: str = 'an env file, where '
         'secrets are kept,', where: str = 'a layer of the image', kw: str = 'COPY') -> str:
    sid = target.rsplit('/', 1)[-1].lstrip('.').replace('.', '_')
    return (f'{pos}: DH103 {kw} {shown} copies {what} into {where}: {LAYER}; give it at run '
            f'time instead (compose env_file:, docker run --env-file, Docker secrets); a build '
            f'step that reads it can mount it for that step only with RUN '
            f'--mount=type=secret,id={sid},target={target}'
            + (f' (docker build --secret id={sid},src={src})' if src else ''))


def _npmrc(pos: str, what: str, target: str, step: str = 'npm ci') -> str:
    return (f'{pos}: DH103 COPY .npmrc copies .npmrc, {what}, into a layer of the image: '
            f'{LAYER}; mount it for the step that needs it instead: RUN '
            f'--mount=type=secret,id=npmrc,target={target} {step} (docker build --secret '
            f'id=npmrc,src=.npmrc), which leaves nothing in a layer')


SSH = (f'COPY id_rsa copies an SSH private key into a layer of the image: {LAYER}; forward '
       f'your SSH agent to the step that needs it instead: RUN --mount=type=ssh (docker build '
       f'--ssh default); a key the container needs at run time goes in a Docker secret or a '
       f'mounted volume')


def _key(pos: str, kw: str, shown: str, what: str, target: str, src: str | None,
         noun: str = 'a key', where: str = 'a layer of the image') -> str:
    sid = target.rsplit('/', 1)[-1].lstrip('.').replace('.', '_')
    build = f' (docker build --secret id={sid},src={src})' if src else ''
    return (f'{pos}: DH103 {kw} {shown} copies {what} into {where}: {LAYER}; give it at run '
            f'time instead (a Docker secret, or a volume mounted at {target}); a build step '
            f'that needs {noun} can mount it for that step only with RUN '
            f'--mount=type=secret,id={sid},target={target}{build}')


# (files of the tree, Dockerfile, expected lines)
CASES = (
    # the two lines: an env file (not in the repository: git-ignored) and an SSH key
    ({}, df('FROM alpine:3.20', 'COPY .env /app/.env', 'COPY id_rsa /root/.ssh/id_rsa'),
     (_env('2:1', '.env', '/app/.env', '.env'), f'3:1: DH103 {SSH}')),
    # templates are no secrets, whatever the destination is called
    ({}, df('FROM alpine:3.20', 'COPY .env.example /app/.env', 'COPY secrets.env.sample /a/',
            'COPY .env.template .env.dist .env.defaults /app/'), ()),
    # JSON form, ADD, a destination folder resolved with WORKDIR
    ({}, df('FROM alpine:3.20', 'WORKDIR /srv', 'COPY [".env", "./"]', 'ADD .env.production .'),
     (_env('3:1', '.env', '/srv/.env', '.env'),
      _env('4:1', '.env.production', '/srv/.env.production', '.env.production', kw='ADD'))),
    # an env file the tree holds is judged by what it sets: settings only pass
    ({'.env': 'PORT=3000\nNODE_ENV=production\n'}, df('FROM alpine:3.20', 'COPY .env /app/'), ()),
    ({'.env': f'PORT=3000\nDB_PASSWORD={TOKEN}\n'}, df('FROM alpine:3.20', 'COPY .env /app/'),
     (_env('2:1', '.env', '/app/.env', '.env', 'an env file that sets DB_PASSWORD'),)),
    # the ignore file keeps it out of the context: the COPY cannot send it
    ({'.dockerignore': '**/.env\n'}, df('FROM alpine:3.20', 'COPY .env /app/'), ()),
    ({'.dockerignore': '*\n!src\n'}, df('FROM alpine:3.20', 'COPY id_rsa /root/.ssh/'), ()),
    # <Dockerfile>.dockerignore beside the Dockerfile wins over the context's .dockerignore
    ({'.dockerignore': '.env\n', 'Dockerfile.dockerignore': 'node_modules\n'},
     df('FROM alpine:3.20', 'COPY .env /app/'), (_env('2:1', '.env', '/app/.env', '.env'),)),
    ({'.dockerignore': 'node_modules\n', 'Dockerfile.dockerignore': '.env\n'},
     df('FROM alpine:3.20', 'COPY .env /app/'), ()),
    # a wildcard: the secret files it matches in the context, after the ignore file
    ({'.env.local': f'API_TOKEN={TOKEN}\n', '.env.example': 'API_TOKEN=\n',
      '.env.production': 'PORT=1\n'},
     df('FROM alpine:3.20', 'COPY .env* /app/'),
     (_env('2:1', '.env* (.env.local)', '/app/.env.local', '.env.local',
           'an env file that sets API_TOKEN'),)),
    ({'.env.local': f'API_TOKEN={TOKEN}\n', '.dockerignore': '.env.local\n'},
     df('FROM alpine:3.20', 'COPY .env* /app/'), ()),
    ({'ca.pem': 'x\n'}, df('FROM alpine:3.20', 'COPY *.pem /certs/'), ()),  # a certificate
    ({}, df('FROM alpine:3.20', 'COPY *.pem /certs/'), ()),  # matches nothing here
    # private keys by name, not certificates or public keys
    ({}, df('FROM alpine:3.20', 'COPY server.key /etc/ssl/private/'),
     (_key('2:1', 'COPY', 'server.key', 'a private key', '/etc/ssl/private/server.key',
           'server.key'),)),
    ({}, df('FROM alpine:3.20', 'COPY ca.pem fullchain.pem cert.pem /etc/ssl/',
            'COPY repo.gpg.key /usr/share/keyrings/', 'COPY id_rsa.pub /root/.ssh/',
            'COPY insecure_id_rsa /tmp/id_rsa'), ()),
    # a key file the tree holds: its content decides
    ({'server.key': '-----BEGIN PUBLIC KEY-----\nMFkw\n-----END PUBLIC KEY-----\n'},
     df('FROM alpine:3.20', 'COPY server.key /etc/ssl/'), ()),
    # a key the comment above says is published on purpose
    ({}, df('FROM alpine:3.20', '# the default self-signed certificate, replaced by a volume',
            'COPY tls.crt tls.key /etc/ssl/'), ()),
    # credential files
    ({}, df('FROM alpine:3.20', 'COPY .git-credentials /root/'),
     (_key('2:1', 'COPY', '.git-credentials', 'Git credentials', '/root/.git-credentials',
           '.git-credentials', 'a credential'),)),
    ({}, df('FROM alpine:3.20', 'COPY .htpasswd /etc/nginx/'), ()),  # hashes the server checks
    # a registry-only .npmrc, a token, a token read from the environment
    ({'.npmrc': 'registry=https://npm.example.com/\nalways-auth=true\n'},
     df('FROM node:20.18', 'WORKDIR /app', 'COPY .npmrc ./', 'RUN npm ci'), ()),
    ({'.npmrc': f'//npm.example.com/:_authToken={TOKEN}\n'},
     df('FROM node:20.18', 'WORKDIR /app', 'COPY .npmrc package.json ./',
        'RUN pnpm install --frozen-lockfile'),
     (_npmrc('3:1', 'which holds a credential (_authToken)', '/app/.npmrc',
             'pnpm install --frozen-lockfile'),)),
    ({'.npmrc': '//npm.example.com/:_authToken=${NPM_TOKEN}\n'},
     df('FROM node:20.18', 'COPY .npmrc /root/', 'RUN npm ci'), ()),  # no token in the build
    ({'.npmrc': '//npm.example.com/:_authToken=${REGISTRY}\n'},
     df('FROM node:20.18', 'ARG REGISTRY', 'COPY .npmrc /root/', 'RUN npm ci'),
     ('3:1: DH103 COPY .npmrc reads its token from ${REGISTRY}, which ARG REGISTRY on line 2 '
      'hands to the build: build-arg values stay in the image history; drop the ARG and '
      'mount the file with the token as a secret instead: RUN '
      '--mount=type=secret,id=npmrc,target=/root/.npmrc npm ci',)),
    # a global ARG not declared again in the stage is not in its RUNs' environment
    ({'.npmrc': '//npm.example.com/:_authToken=${REGISTRY}\n'},
     df('ARG REGISTRY', 'FROM node:20.18', 'COPY .npmrc /root/', 'RUN npm ci'), ()),
    # a file not in the tree that only sometimes holds a token: cannot know
    ({}, df('FROM node:20.18', 'COPY .npmrc /root/', 'RUN npm ci'), ()),
    # a source the build decides (ARG without a default), or given with a default
    ({}, df('FROM alpine:3.20', 'ARG ENV_FILE', 'COPY $ENV_FILE /app/'), ()),
    ({}, df('FROM alpine:3.20', 'ARG MODE=production', 'COPY .env.${MODE} /app/'),
     (_env('3:1', '.env.${MODE}', '/app/.env.production', '.env.production'),)),
    # another stage's or image's file: its name
    ({}, df('FROM alpine:3.20 AS build', 'RUN make', 'FROM alpine:3.20',
            'COPY --from=build /src/.env /app/'),
     (_env('4:1', '/src/.env', '/app/.env', ''),)),
    ({}, df('FROM alpine:3.20', 'COPY --from=example/tools:1.0 /root/.kube/config /root/.kube/'),
     (_key('2:1', 'COPY', '/root/.kube/config', 'a kubeconfig', '/root/.kube/config', None,
           'a credential'),)),
    # a builder stage: its file stays in the build cache, unless the image copies it on
    ({}, df('FROM node:20.18 AS build', 'WORKDIR /app', 'COPY .env .', 'RUN npm run build',
            'FROM nginx:1.27-alpine', 'COPY --from=build /app/dist /usr/share/nginx/html'), ()),
    ({}, df('FROM node:20.18 AS build', 'WORKDIR /app', 'COPY .env .', 'RUN npm run build',
            'FROM node:20.18-slim', 'COPY --from=build /app /app'),
     (_env('3:1', '.env', '/app/.env', '.env', where='a layer of a build stage, and COPY '
           '--from on line 6 copies it on into the image'),)),
    # ONBUILD: every image built from this one copies it from its own context
    ({}, df('FROM alpine:3.20', 'ONBUILD COPY .env /app/'),
     (_env('2:1', '.env', '/app/.env', '', where='a layer of every image built FROM this one',
           kw='ONBUILD COPY'),)),
)


@pytest.mark.parametrize(('files', 'src', 'expected'), CASES)
def test_secret_files(files, src, expected, tmp_path, capsys, clean_cwd):
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    assert_findings(main, tmp_path / 'Dockerfile', capsys, src, expected)


def test_images_that_never_ship_are_not_judged(tmp_path, capsys, clean_cwd):
    src = df('FROM alpine:3.20', 'COPY .env id_rsa /app/')
    for path in ('.devcontainer/Dockerfile', 'tests/Dockerfile', 'Dockerfile.test'):
        assert_findings(main, tmp_path / path, capsys, src, ())
    # the last stage is a test stage: the image that runs is no product
    assert_findings(main, tmp_path / 'Dockerfile', capsys,
                    df('FROM alpine:3.20 AS base', 'FROM base AS test', 'COPY .env /app/'), ())


def test_compose_gives_the_context_and_its_ignore_file(tmp_path, capsys, clean_cwd):
    """The Dockerfile in docker/ is built from the repository's root: the root's ignore file
    is the one Docker reads, not one beside the Dockerfile."""
    (tmp_path / 'docker').mkdir()
    (tmp_path / 'compose.yaml').write_text(
        'services:\n  app:\n    build:\n      context: .\n      dockerfile: docker/Dockerfile\n')
    (tmp_path / 'docker' / '.dockerignore').write_text('.env\n')
    src = df('FROM alpine:3.20', 'COPY .env /app/')
    assert_findings(main, tmp_path / 'docker' / 'Dockerfile', capsys, src,
                    (_env('2:1', '.env', '/app/.env', '.env'),))
    (tmp_path / '.dockerignore').write_text('.env\n')
    assert_findings(main, tmp_path / 'docker' / 'Dockerfile', capsys, src, ())


def test_git_ignored_token_file_may_hold_a_token(tmp_path, capsys, monkeypatch):
    """A .npmrc that git ignores is each developer's own: it may hold a token."""
    subprocess.run(('git', 'init', '-q', str(tmp_path)), check=True)
    monkeypatch.chdir(tmp_path)
    (tmp_path / '.gitignore').write_text('.npmrc\n')
    assert_findings(
        main, tmp_path / 'Dockerfile', capsys,
        df('FROM node:20.18', 'COPY .npmrc /root/', 'RUN npm ci'),
        (_npmrc('2:1', 'which may hold a token (git ignores it: each machine has its own)',
                '/root/.npmrc'),))


def test_file_content_is_never_printed(tmp_path, capsys, clean_cwd):
    (tmp_path / '.env').write_text(f'SECRET_KEY={TOKEN}\n')
    (tmp_path / 'Dockerfile').write_text(df('FROM alpine:3.20', 'COPY .env /app/'))
    assert main([str(tmp_path / 'Dockerfile')]) == 1
    out = capsys.readouterr().out
    assert 'SECRET_KEY' in out and TOKEN not in out
