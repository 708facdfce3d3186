"""What a Dockerfile or compose file is for, read from where it lives and what it is called.

The practices are about what ships: the image that goes to a registry, the stack that runs
for users. Some files never ship, and the rules that speak of what ships leave them alone:

* ``vendored``: third-party trees nobody in the repository edits (``vendor/``,
  ``node_modules/``, ``third_party/``); no rule reads them;
* ``workspace``: development environments (``.devcontainer/``, ``.gitpod.Dockerfile``), built
  on a developer's machine and never pushed;
* ``test``: test and CI fixtures (``tests/``, ``e2e/``, ``testdata/``, ``fixtures/``, ``.ci/``,
  ``.github/``, ``Dockerfile.test``, ``docker-compose.ci.yml``);
* ``dev``: local development stacks and images (``dev/``, ``docker-compose.dev.yml``,
  ``Dockerfile.dev``, ``compose.local.yaml``, ``Dockerfile.debug``);
* ``ship``: everything else, examples included (they are what users copy).

Folders count by their whole name (``tests/``, not ``test_utils/``); a file name counts by its
words (``docker-compose.e2e.yml``, ``Dockerfile.dev``). The path is read relative to the
repository (the folder holding ``.git``) or, outside one, to the current folder, so that
where a checkout lives (``/home/me/tests/app``) never changes what its files are.
"""
from __future__ import annotations

import os
import re

VENDORED_DIRS = frozenset((
    'vendor', 'vendors', 'node_modules', 'bower_components', 'third_party', 'third-party',
    'thirdparty', '3rdparty', '.venv', 'venv', 'site-packages', '_vendor',
))
WORKSPACE_DIRS = frozenset(('.devcontainer', 'devcontainer', '.gitpod', '.codespaces'))
WORKSPACE_WORDS = frozenset(('devcontainer', 'gitpod', 'codespace', 'codespaces'))
TEST_DIRS = frozenset((
    'test', 'tests', 'testing', 'testdata', 'test-data', 'test_data', 'testcases', 'e2e',
    'fixtures', 'fixture', '__tests__', 'integration-tests', 'integration_tests', 'itest',
    'cypress', 'playwright', 'suites', '.ci', 'ci', '.github', '.gitlab', '.circleci',
    '.buildkite',
))
TEST_WORDS = frozenset(('test', 'tests', 'testing', 'e2e', 'ci', 'fixture', 'fixtures',
                        'cypress', 'playwright', 'testdata'))
DEV_DIRS = frozenset(('dev', 'development', 'dev-envs', 'devenv', 'local-dev'))
DEV_WORDS = frozenset(('dev', 'development', 'local', 'debug', 'devel'))

ROLES = ('vendored', 'workspace', 'test', 'dev', 'ship')
# What the role is called in a message.
DESCRIPTION = {
    'vendored': 'a vendored third-party tree',
    'workspace': 'a development environment (devcontainer)',
    'test': 'a test or CI fixture',
    'dev': 'a local development image or stack',
    'ship': 'shipped',
}

_WORDS = re.compile(r'[^a-z0-9]+')
_ROOTS: dict[str, str | None] = {}


def _repository_root(folder: str) -> str | None:
    """The nearest folder at or above ``folder`` that holds ``.git`` (cached per folder)."""
    if folder in _ROOTS:
        return _ROOTS[folder]
    here = folder
    seen = []
    root = None
    while True:
        if here in _ROOTS:
            root = _ROOTS[here]
            break
        seen.append(here)
        if os.path.exists(os.path.join(here, '.git')):
            root = here
            break
        parent = os.path.dirname(here)
        if parent == here:
            break
        here = parent
    for f in seen:
        _ROOTS[f] = root
    return root


def relative(path: str) -> str:
    """``path`` relative to its repository (or to the current folder), with ``/``."""
    full = os.path.abspath(path)
    root = _repository_root(os.path.dirname(full))
    base = root if root is not None else os.getcwd()
    rel = os.path.relpath(full, base)
    if rel == os.pardir or rel.startswith(os.pardir + os.sep):
        rel = os.path.basename(full)  # outside both: only the name says anything
    return rel.replace(os.sep, '/')


def role(path: str) -> str:
    """The role of the file at ``path``: one of :data:`ROLES`."""
    parts = relative(path).lower().split('/')
    folders, name = parts[:-1], parts[-1]
    words = set(_WORDS.split(name))
    if VENDORED_DIRS.intersection(folders):
        return 'vendored'
    if WORKSPACE_DIRS.intersection(folders) or WORKSPACE_WORDS & words:
        return 'workspace'
    if TEST_DIRS.intersection(folders) or TEST_WORDS & words:
        return 'test'
    if DEV_DIRS.intersection(folders) or DEV_WORDS & words:
        return 'dev'
    return 'ship'


def ships(path: str) -> bool:
    """Whether what the file builds or runs is what users get (not a workspace, test fixture
    or local development image or stack)."""
    return role(path) == 'ship'
