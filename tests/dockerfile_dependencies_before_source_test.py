from __future__ import annotations

from pathlib import Path

import pytest
from dockhooks.dockerfile_dependencies_before_source import main
from hookrun import df
from hookrun import run_main


def dep(line: int, src: str, text: str, install_line: int, keyword: str = 'COPY',
        col: int = 1, advice: str = '', what: str = 'the whole context') -> str:
    advice = advice or f'copy the dependency manifests first, install, then {keyword} the rest'
    return (f'{line}:{col}: DH105 {keyword} {src} copies {what} before `{text}` '
            f'(line {install_line}), so any source change re-runs the install; {advice}')


FOLDER = 'a whole folder, its source with its manifests,'
GO_ADVICE = 'copy go.mod and go.sum first and RUN go mod download, then COPY the rest'
CARGO_ADVICE = ('build the dependencies from Cargo.toml and Cargo.lock alone first '
                '(cargo-chef), or mount the registry: RUN '
                '--mount=type=cache,target=/usr/local/cargo/registry')
GRADLE_ADVICE = ("mount Gradle's cache so nothing is downloaded again: RUN "
                 '--mount=type=cache,target=/root/.gradle')
DOTNET_ADVICE = ('copy the project files (*.csproj) first and RUN dotnet restore, then COPY '
                 'the rest')


def run(path: Path, capsys: pytest.CaptureFixture[str], src: str,
        *args: str) -> tuple[int, list[str]]:
    return run_main(main, path, capsys, src, *args)


def after_copy(*run_lines: str) -> str:
    """A stage that copies the whole context on line 3, then runs ``run_lines`` from 4."""
    return df('FROM python:3.13-slim', 'WORKDIR /app', 'COPY . .', *run_lines)


# --------------------------------------------------------------------------- installs

INSTALLS = (
    # --- Python
    (after_copy('RUN pip install -r requirements.txt'),
     [dep(3, '.', 'pip install -r', 4)]),  # pip -r
    (after_copy('RUN pip install --no-cache-dir --requirement=requirements/prod.txt'),
     [dep(3, '.', 'pip install --no-cache-dir', 4)]),  # --requirement=FILE
    (after_copy('RUN pip install .'), [dep(3, '.', 'pip install .', 4)]),  # the project
    (after_copy('RUN pip install -e ".[dev]"'),
     [dep(3, '.', 'pip install -e', 4)]),  # editable with extras
    (after_copy('RUN python -m pip install -r requirements.txt'),
     [dep(3, '.', 'python -m pip', 4)]),  # python -m pip
    (after_copy('RUN pip3 install -c constraints.txt flask'),
     [dep(3, '.', 'pip3 install -c', 4)]),  # a constraints file is a manifest
    (after_copy('RUN pip install gunicorn'), []),  # a named package reads no manifest
    (after_copy('RUN poetry install --no-root'),
     [dep(3, '.', 'poetry install --no-root', 4)]),  # poetry
    (after_copy('RUN pipenv install --deploy --system'),
     [dep(3, '.', 'pipenv install --deploy', 4)]),  # pipenv
    (after_copy('RUN uv sync --frozen'), [dep(3, '.', 'uv sync --frozen', 4)]),  # uv sync
    (after_copy('RUN uv pip install -r requirements.txt'),
     [dep(3, '.', 'uv pip install', 4)]),  # uv pip
    # --- Node
    (after_copy('RUN npm ci'), [dep(3, '.', 'npm ci', 4)]),  # npm ci
    (after_copy('RUN npm install --omit=dev'),
     [dep(3, '.', 'npm install --omit=dev', 4)]),  # npm install
    (after_copy('RUN yarn'), [dep(3, '.', 'yarn', 4)]),  # bare yarn installs
    (after_copy('RUN yarn install --frozen-lockfile'),
     [dep(3, '.', 'yarn install --frozen-lockfile', 4)]),  # yarn install
    (after_copy('RUN pnpm install --frozen-lockfile'),
     [dep(3, '.', 'pnpm install --frozen-lockfile', 4)]),  # pnpm
    (after_copy('RUN npm install express'), []),  # adds one named package
    (after_copy('RUN npm install -g serve'), []),  # a global tool
    (after_copy('RUN yarn global add @vue/cli'), []),  # a global tool
    # --- Ruby, PHP, Go, Rust, Java
    (after_copy('RUN bundle install --jobs 4'),
     [dep(3, '.', 'bundle install --jobs', 4)]),  # bundler
    (after_copy('RUN composer install --no-dev'),
     [dep(3, '.', 'composer install --no-dev', 4)]),  # composer
    (after_copy('RUN go mod download'), [dep(3, '.', 'go mod download', 4)]),  # go modules
    (after_copy('RUN go get -d -v ./...'),
     [dep(3, '.', 'go get -d', 4)]),  # old GOPATH style: go get of the local packages
    (after_copy('RUN go install golang.org/x/tools/gopls@v0.16.0'),
     []),  # go install x@version does not read the module
    (after_copy('RUN go get golang.org/x/lint/golint'), []),  # go get of a remote tool
    (after_copy('RUN cargo fetch'), [dep(3, '.', 'cargo fetch', 4)]),  # cargo fetch
    (after_copy('RUN cargo install ripgrep'), []),  # cargo install of a crate
    (after_copy('RUN mvn -B -f pom.xml dependency:go-offline'),
     [dep(3, '.', 'mvn dependency:go-offline', 4)]),  # maven, option values skipped
    (after_copy('RUN ./mvnw -q package'), [dep(3, '.', './mvnw package', 4)]),  # wrapper
    (after_copy('RUN mvn --version'), []),  # no goal
    # --- build, test and run steps
    (after_copy('RUN npm run build', 'RUN python manage.py collectstatic --noinput'),
     []),  # only build steps follow
    (after_copy('RUN pytest -q'), []),  # a test run
    (df('FROM python:3.13-slim', 'RUN pip install -r /tmp/requirements.txt', 'COPY . .'),
     []),  # the install comes before the COPY
)


@pytest.mark.parametrize(('src', 'expected'), INSTALLS)
def test_installs(src, expected, clean_cwd, capsys):
    ret, out = run(clean_cwd / 'Dockerfile', capsys, src)
    assert out == expected
    assert ret == (1 if expected else 0)


# --------------------------------------------------------------------------- builds

GO_MOD = 'module example.com/app\n\ngo 1.22\n\nrequire github.com/lib/pq v1.10.9\n'
CARGO_TOML = '[package]\nname = "app"\n\n[dependencies]\nserde = "1"\n'
CSPROJ = ('<Project Sdk="Microsoft.NET.Sdk.Web"><ItemGroup>'
          '<PackageReference Include="Npgsql" Version="8.0.3" /></ItemGroup></Project>\n')
GO_BUILD = after_copy('RUN CGO_ENABLED=0 go build -o /app ./cmd/app')

# A build fetches what its manifest declares: it is judged where the tree shows the manifest
# declares something to fetch (explicit installs are judged whatever the tree shows, unless
# it shows a manifest that declares nothing).
BUILDS = (
    ({'go.mod': GO_MOD}, GO_BUILD,
     [dep(3, '.', 'go build -o', 4, advice=GO_ADVICE)]),  # go build downloads the modules
    ({}, GO_BUILD, []),  # go.mod not seen: whether anything is fetched cannot be known
    ({'go.mod': 'module example.com/app\n\ngo 1.22\n'}, GO_BUILD, []),  # nothing required
    ({'go.mod': GO_MOD, 'vendor/modules.txt': '# github.com/lib/pq v1.10.9\n'}, GO_BUILD,
     []),  # vendored modules: nothing is fetched
    ({'go.mod': GO_MOD}, after_copy('RUN go build -mod=vendor -o /app .'), []),  # -mod=vendor
    ({'go.mod': GO_MOD}, df('FROM golang:1.22', 'ENV GOFLAGS=-mod=vendor', 'COPY . .',
                            'RUN go build -o /app .'), []),  # ... set in GOFLAGS
    ({'go.mod': GO_MOD},
     after_copy('RUN --mount=type=cache,target=/go/pkg/mod go build -o /app .'),
     []),  # a cache mount keeps the modules a build fetched
    ({'Cargo.toml': CARGO_TOML}, after_copy('RUN cargo build --release'),
     [dep(3, '.', 'cargo build --release', 4, advice=CARGO_ADVICE)]),  # cargo build
    ({'Cargo.toml': CARGO_TOML}, after_copy('RUN cargo install --path .'),
     [dep(3, '.', 'cargo install --path', 4, advice=CARGO_ADVICE)]),  # cargo install --path
    ({'Cargo.toml': '[package]\nname = "app"\n\n[dependencies]\n'},
     after_copy('RUN cargo build --release'), []),  # no dependencies
    ({'build.gradle': "plugins { id 'java' }\n"}, after_copy('RUN ./gradlew --no-daemon build'),
     [dep(3, '.', './gradlew build', 4, advice=GRADLE_ADVICE)]),  # gradle wrapper
    ({'build.gradle': "plugins { id 'java' }\n"},
     after_copy('RUN --mount=type=cache,target=/root/.gradle ./gradlew build'), []),
    ({'app.csproj': CSPROJ}, after_copy('RUN dotnet publish -c Release -o /out'),
     [dep(3, '.', 'dotnet publish', 4, advice=DOTNET_ADVICE)]),  # publish restores
    ({}, after_copy('RUN dotnet restore'),
     [dep(3, '.', 'dotnet restore', 4, advice=DOTNET_ADVICE)]),  # an explicit restore
    ({'app.csproj': CSPROJ}, df('FROM mcr.microsoft.com/dotnet/sdk:8.0', 'COPY *.csproj ./',
                                'RUN dotnet restore', 'COPY . .',
                                'RUN dotnet publish -c Release -o /out'),
     []),  # .NET's own pattern
    # explicit installs whose manifest the tree shows declares nothing
    ({'package.json': '{"name": "app", "scripts": {"start": "node x.js"}}'},
     df('FROM node:22-alpine', 'COPY . .', 'RUN npm ci'), []),
    ({'package.json': '{"name": "app", "dependencies": {"express": "^4"}}'},
     df('FROM node:22-alpine', 'COPY . .', 'RUN npm ci'), [dep(2, '.', 'npm ci', 3)]),
    ({'requirements.txt': '# nothing yet\n'},
     after_copy('RUN pip install -r requirements.txt'), []),
    ({'go.mod': 'module example.com/app\n\ngo 1.22\n'}, after_copy('RUN go mod download'),
     []),  # ... and a download of a module that requires nothing
    # pnpm's Docker pattern: fetch from the lockfile, then install offline after the COPY
    ({}, df('FROM node:22-alpine', 'COPY pnpm-lock.yaml ./', 'RUN pnpm fetch --prod',
            'COPY . .', 'RUN pnpm install -r --offline --prod'), []),
    ({}, df('FROM oven/bun:1', 'COPY . .', 'RUN bun install --frozen-lockfile'),
     [dep(2, '.', 'bun install', 3)]),  # bun
)


@pytest.mark.parametrize(('files', 'src', 'expected'), BUILDS)
def test_builds(files, src, expected, clean_cwd, capsys):
    for name, text in files.items():
        (clean_cwd / name).parent.mkdir(parents=True, exist_ok=True)
        (clean_cwd / name).write_text(text)
    ret, out = run(clean_cwd / 'Dockerfile', capsys, src)
    assert out == expected
    assert ret == (1 if expected else 0)


# --------------------------------------------------------------------------- copies

COPIES = (
    (df('FROM node:22-alpine', 'COPY ./ ./', 'RUN npm ci'),
     [dep(2, './', 'npm ci', 3)]),  # ./
    (df('FROM node:22-alpine', 'COPY * ./', 'RUN npm ci'),
     [dep(2, '*', 'npm ci', 3)]),  # *
    (df('FROM node:22-alpine', 'COPY . /usr/src/app/', 'RUN npm ci'),
     [dep(2, '.', 'npm ci', 3)]),  # another destination
    (df('FROM node:22-alpine', 'ADD . /app', 'RUN npm ci'),
     [dep(2, '.', 'npm ci', 3, 'ADD')]),  # ADD
    (df('FROM node:22-alpine', 'COPY --chown=node:node --link . .', 'RUN npm ci'),
     [dep(2, '.', 'npm ci', 3)]),  # flags are not sources
    (df('FROM node:22-alpine', 'COPY [".", "/app/"]', 'RUN npm ci'),
     [dep(2, '.', 'npm ci', 3)]),  # JSON form
    (df('FROM node:22-alpine', 'COPY src/ ./src/', 'RUN npm ci'),
     []),  # a part of the context is not the whole context
    (df('FROM node:22-alpine AS build', 'COPY . .', 'FROM node:22-alpine',
        'COPY --from=build . .', 'RUN npm ci'),
     []),  # COPY --from another stage is not the build context
    (df('FROM node:22-alpine', 'COPY <<EOF /app/.npmrc', 'fund=false', 'EOF', 'RUN npm ci'),
     []),  # a heredoc COPY is not the context
    (df('FROM node:22-alpine', 'COPY . .', 'RUN npm ci', 'RUN npm run build',
        'RUN npm install --omit=dev'),
     [dep(2, '.', 'npm ci', 3)]),  # one finding per whole-context COPY
    (df('FROM node:22-alpine', 'COPY . .', 'COPY . /other', 'RUN npm ci'),
     [dep(2, '.', 'npm ci', 4)]),  # reported at the first whole-context COPY
    (df('FROM node:22-alpine', 'COPY . .', 'RUN npm ci && pip install -r requirements.txt'),
     [dep(2, '.', 'npm ci', 3)]),  # the first install of the RUN is named
    (df('FROM node:22-alpine', '  copy . .', 'RUN npm ci'),
     [dep(2, '.', 'npm ci', 3, col=3)]),  # lower case, indented
    # a folder copied where the install reads its manifests brings its source along
    (df('FROM node:22-alpine', 'WORKDIR /app', 'COPY ./packages/backend .', 'RUN pnpm i'),
     [dep(3, './packages/backend', 'pnpm i', 4, what=FOLDER)]),
    (df('FROM node:22-alpine', 'COPY app/ /srv/app', 'RUN cd /srv/app && npm ci'),
     [dep(2, 'app/', 'npm ci', 3, what=FOLDER)]),  # the RUN's cd counts
    (df('FROM python:3.13-slim', 'COPY service /opt/service',
        'RUN pip install -r /opt/service/requirements/prod.txt'),
     [dep(2, 'service', 'pip install -r', 3, what=FOLDER)]),  # a -r file inside the folder
    (df('FROM node:22-alpine', 'WORKDIR /app', 'COPY package.json package-lock.json ./',
        'COPY src ./src', 'RUN npm ci'),
     []),  # manifests copied on their own; the folder goes elsewhere
    # manifests copied on their own, then the folder they come from over them: the install
    # reads the whole folder again, and any change to it re-runs the install
    (df('FROM node:22-alpine', 'WORKDIR /app', 'COPY web/package*.json ./', 'COPY web/ .',
        'RUN npm ci', 'RUN npm run build'),
     [dep(4, 'web/', 'npm ci', 5, what='a whole folder, after the manifests,',
          advice='move this COPY below the RUN, so that the install reads only the manifests')]),
    (df('FROM node:22-alpine', 'WORKDIR /app', 'COPY web/package*.json ./', 'RUN npm ci',
        'COPY web/ .', 'RUN npm run build'),
     []),  # the order the rule asks for
    (df('FROM node:22-alpine', 'WORKDIR /app', 'COPY --from=deps /app/package.json ./',
        'COPY dist .', 'RUN npm ci --omit=dev'),
     []),  # manifests from another stage
    (df('FROM node:22-alpine', 'WORKDIR /app', 'COPY src /elsewhere', 'RUN npm ci'),
     []),  # a folder copied where the install does not read
    (df('FROM node:22-alpine', 'WORKDIR /app', 'COPY Makefile .', 'RUN npm ci'),
     []),  # a file without a dot is no folder
    (df('FROM node:22-alpine', 'WORKDIR /app', 'COPY packages/* .', 'RUN npm ci'),
     []),  # a glob: what it copies cannot be known
)


@pytest.mark.parametrize(('src', 'expected'), COPIES)
def test_copies(src, expected, clean_cwd, capsys):
    ret, out = run(clean_cwd / 'Dockerfile', capsys, src)
    assert out == expected
    assert ret == (1 if expected else 0)


# --------------------------------------------------------------------------- manifests first

MANIFESTS = (
    (df('FROM python:3.13-slim',
        'COPY requirements.txt .',
        'RUN pip install -r requirements.txt',
        'COPY . .'),
     []),  # the pattern the practice asks for
    (df('FROM python:3.13-slim',
        'COPY requirements.txt .',
        'RUN pip install -r requirements.txt',
        'COPY . .',
        'RUN pip install --no-deps .'),
     []),  # installing the project itself after its dependencies
    (df('FROM golang:1.22 AS build',
        'COPY go.mod go.sum ./',
        'RUN go mod download',
        'COPY . .',
        'RUN go build -o /app .'),
     []),  # go build after go mod download
    (df('FROM node:22-alpine',
        'COPY package.json package-lock.json ./',
        'RUN npm ci',
        'COPY . .',
        'RUN npm run build && npm prune --omit=dev'),
     []),  # node
    (df('FROM eclipse-temurin:21-jdk',
        'COPY ["build.gradle", "gradlew", "./"]',
        'COPY gradle gradle',
        'RUN ./gradlew downloadRepos',
        'COPY . .',
        'RUN ./gradlew installDist'),
     []),  # corpus: GoogleCloudPlatform+microservices-demo/src/adservice/Dockerfile
    (df('FROM python:3.13-slim',
        'COPY requirements.txt .',
        'COPY . .',
        'RUN pip install -r requirements.txt'),
     [dep(3, '.', 'pip install -r', 4)]),  # manifests copied first but not installed first
    (df('FROM golang:1.22',
        'COPY go.mod go.sum ./',
        'COPY . .',
        'RUN go mod download'),
     [dep(3, '.', 'go mod download', 4)]),  # go.mod copied, but nothing downloaded before
    (df('FROM python:3.13-slim',
        'COPY requirements.txt .',
        'RUN pip install -r requirements.txt',
        'COPY . .',
        'RUN npm ci'),
     [dep(4, '.', 'npm ci', 5)]),  # Python was installed first, Node was not
    (df('FROM python:3.13-slim',
        'RUN pip install -r requirements.txt',
        'COPY . .',
        'RUN pip install -r requirements.txt'),
     [dep(3, '.', 'pip install -r', 4)]),  # the first install read no copied manifest
    (df('FROM python:3.13-slim',
        'COPY requirements/*.txt requirements/',
        'RUN pip install -r requirements/prod.txt',
        'COPY . .',
        'RUN pip install -r requirements/prod.txt'),
     []),  # manifests copied with a glob
    (df('FROM python:3.13-slim',
        'COPY pyproject.toml poetry.lock ./',
        'RUN poetry install --no-root',
        'COPY . .',
        'RUN poetry install --only-root'),
     []),  # poetry: dependencies, then the project
)


@pytest.mark.parametrize(('src', 'expected'), MANIFESTS)
def test_manifests_first(src, expected, clean_cwd, capsys):
    ret, out = run(clean_cwd / 'Dockerfile', capsys, src)
    assert out == expected
    assert ret == (1 if expected else 0)


# --------------------------------------------------------------------------- stages

STAGES = (
    (df('FROM node:22 AS build',
        'WORKDIR /app',
        'COPY . .',
        'RUN npm ci && npm run build',
        'FROM nginx:1.27-alpine',
        'COPY --from=build /app/dist /usr/share/nginx/html'),
     [dep(3, '.', 'npm ci', 4)]),  # builder stages count too: their cache matters
    (df('FROM node:22 AS src',
        'COPY . .',
        'FROM node:22',
        'RUN npm ci'),
     []),  # another stage that does not build on it starts clean
    (df('FROM node:22 AS src',
        'COPY . .',
        'FROM src AS build',
        'RUN npm ci',
        'FROM src AS test',
        'RUN npm ci'),
     [dep(2, '.', 'npm ci', 4)]),  # a stage FROM another continues it; reported once
    (df('FROM golang:1.22 AS deps',
        'COPY go.mod go.sum ./',
        'RUN go mod download',
        'FROM deps AS build',
        'COPY . .',
        'RUN go build -o /app .'),
     []),  # manifests installed in the stage it builds on
    (df('FROM python:3.13-slim',
        'ONBUILD COPY . /app',
        'ONBUILD RUN pip install -r /app/requirements.txt'),
     []),  # ONBUILD triggers run in the child build, not in this one
    (df('FROM python:3.13-slim',
        'COPY . .',
        'ONBUILD RUN pip install -r requirements.txt'),
     []),  # ... even after a whole-context COPY of this build
)


@pytest.mark.parametrize(('src', 'expected'), STAGES)
def test_stages(src, expected, clean_cwd, capsys):
    ret, out = run(clean_cwd / 'Dockerfile', capsys, src)
    assert out == expected
    assert ret == (1 if expected else 0)


# --------------------------------------------------------------------------- RUN forms

FORMS = (
    (after_copy('RUN <<EOF', 'set -e', 'pip install -r requirements.txt', 'EOF'),
     [dep(3, '.', 'pip install -r', 4)]),  # heredoc script
    (after_copy('RUN cat <<EOF > /app/setup.txt', 'pip install -r requirements.txt', 'EOF'),
     []),  # heredoc data
    (after_copy('RUN ["pip", "install", "-r", "requirements.txt"]'),
     [dep(3, '.', 'pip install -r', 4)]),  # JSON form
    (after_copy('RUN ["/bin/sh", "-c", "cd /app && npm ci"]'),
     [dep(3, '.', 'npm ci', 4)]),  # JSON form through sh -c
    (after_copy('RUN pip install \\',
                '    # the locked dependencies',
                '    --no-cache-dir \\',
                '',
                '    -r requirements.txt'),
     [dep(3, '.', 'pip install --no-cache-dir', 4)]),  # continuation with a comment, blank
    (after_copy('RUN cd /app && npm ci || npm install'),
     [dep(3, '.', 'npm ci', 4)]),  # && and ||
    (after_copy('RUN set -e; bundle config set frozen true; bundle install'),
     [dep(3, '.', 'bundle install', 4)]),  # ;
    (after_copy('RUN yes | composer install 2>&1 | tee /tmp/log'),
     [dep(3, '.', 'composer install', 4)]),  # pipes
    (after_copy('RUN --mount=type=cache,target=/root/.cache/pip pip install -r requirements.txt'),
     [dep(3, '.', 'pip install -r', 4)]),  # a cache mount speeds the install, it still re-runs
    (df('FROM python:3.13-slim',
        'RUN --mount=type=bind,source=requirements.txt,target=/tmp/r.txt \\',
        '    pip install -r /tmp/r.txt',
        'COPY . .'),
     []),  # a bind mount of the manifest before the COPY
    (after_copy("RUN su app -c 'pip install --user -r requirements.txt'"),
     [dep(3, '.', 'pip install --user', 4)]),  # su -c
)


@pytest.mark.parametrize(('src', 'expected'), FORMS)
def test_run_forms(src, expected, clean_cwd, capsys):
    ret, out = run(clean_cwd / 'Dockerfile', capsys, src)
    assert out == expected
    assert ret == (1 if expected else 0)


# --------------------------------------------------------------------------- corpus

def test_corpus_nginx_wsgi_flask(clean_cwd, capsys):
    # corpus: docker+awesome-compose/nginx-wsgi-flask/flask/Dockerfile (a true finding)
    src = df(
        'FROM python:3.9.2-alpine',
        'RUN adduser -D nonroot',
        'WORKDIR /home/app',
        'USER nonroot',
        '',
        '# copy all the files to the container',
        'COPY --chown=nonroot:nonroot . .',
        '',
        '# venv',
        'ENV VIRTUAL_ENV=/home/app/venv',
        'RUN python -m venv $VIRTUAL_ENV',
        'ENV PATH="$VIRTUAL_ENV/bin:$PATH"',
        'RUN export FLASK_APP=app.py',
        'RUN pip install -r requirements.txt',
    )
    ret, out = run(clean_cwd / 'Dockerfile', capsys, src)
    assert out == [dep(7, '.', 'pip install -r', 14)]
    assert ret == 1


def test_output_line_is_exact(clean_cwd, capsys):
    path = clean_cwd / 'Dockerfile'
    path.write_text('FROM node:22-alpine\nCOPY . .\nRUN npm ci\n')
    assert main([str(path)]) == 1
    assert capsys.readouterr().out == (
        f'{path}:2:1: DH105 COPY . copies the whole context before `npm ci` (line 3), so any '
        f'source change re-runs the install; copy the dependency manifests first, install, '
        f'then COPY the rest\n'
    )


def test_no_files(clean_cwd, capsys):
    assert main([]) == 0
    assert capsys.readouterr().out == ''


BIND_MOUNTS = (
    # uv's documented Docker pattern: dependencies from bind-mounted manifests, then the project
    (df('FROM python:3.13-slim',
        'WORKDIR /app',
        'RUN --mount=type=cache,target=/root/.cache/uv \\',
        '    --mount=type=bind,source=uv.lock,target=uv.lock \\',
        '    --mount=type=bind,source=pyproject.toml,target=pyproject.toml \\',
        '    uv sync --frozen --no-install-project',
        'COPY . /app',
        'RUN --mount=type=cache,target=/root/.cache/uv uv sync --frozen'),
     []),
    (df('FROM python:3.13-slim',
        'RUN --mount=type=bind,src=requirements.txt,dst=/tmp/requirements.txt \\',
        '    pip install -r /tmp/requirements.txt',
        'COPY . .',
        'RUN pip install --no-deps .'),
     []),  # src= and dst= spellings
    (df('FROM python:3.13-slim',
        'RUN --mount=type=bind,from=deps,source=/uv.lock,target=uv.lock uv sync --frozen',
        'COPY . .',
        'RUN uv sync --frozen'),
     [dep(3, '.', 'uv sync --frozen', 4)]),  # a mount from another stage is not the context
    (df('FROM python:3.13-slim',
        'COPY . .',
        'RUN --mount=type=bind,source=requirements.txt,target=/tmp/r.txt \\',
        '    pip install -r /tmp/r.txt'),
     [dep(2, '.', 'pip install -r', 3)]),  # the mount comes after the whole-context COPY
)


@pytest.mark.parametrize(('src', 'expected'), BIND_MOUNTS)
def test_bind_mounted_manifests(src, expected, clean_cwd, capsys):
    ret, out = run(clean_cwd / 'Dockerfile', capsys, src)
    assert out == expected
    assert ret == (1 if expected else 0)
