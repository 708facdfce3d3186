"""Differential test of the compose fixes against the real Compose binary: every corpus compose
file that Compose accepts, fixed with every fix (``--fix --unsafe-fixes``), gives the same
``docker compose config`` as before apart from the keys the fixes write, which say what the
findings asked for; a second run fixes nothing."""
from __future__ import annotations

import shutil

import pytest
from compose_oracle_test import BINARY
from compose_oracle_test import run_compose
from conftest import corpus_paths
from conftest import fix_everything
from dockhooks._fixes import COMPOSE_FIXED_KEYS

needs_compose = pytest.mark.skipif(BINARY is None, reason='docker-compose not installed')


@needs_compose
def test_compose_fixes_change_only_what_they_fix(corpus, tmp_path, capsys, monkeypatch):
    (tmp_path / '.git').mkdir()
    monkeypatch.chdir(tmp_path)
    fixed = 0
    problems: list[str] = []
    for k, source in enumerate(corpus_paths('compose')):
        folder = tmp_path / str(k)
        shutil.copytree(source.parent, folder, ignore=shutil.ignore_patterns('*/'),
                        dirs_exist_ok=True)
        target = folder / source.name
        before, error = run_compose(target)
        if before is None:
            continue  # Compose refuses it as it stands
        text = fix_everything(target, 'DH202,DH203,DH205', capsys)
        if text == source.read_text(encoding='utf-8'):
            continue
        fixed += 1
        after, error = run_compose(target)
        if after is None:
            problems.append(f'{source}: Compose refuses the fixed file: {error[:200]}')
            continue
        old, new = before.get('services', {}), after.get('services', {})
        if set(old) != set(new):
            problems.append(f'{source}: the services changed')
            continue
        for name in old:
            keys = (set(old[name]) | set(new[name])) - COMPOSE_FIXED_KEYS
            changed = sorted(k for k in keys if old[name].get(k) != new[name].get(k))
            if changed:
                problems.append(f'{source}: service {name}: {changed} changed')
            if new[name].get('read_only') is False:
                problems.append(f'{source}: service {name} still writable')
            for dep, spec in (new[name].get('depends_on') or {}).items():
                was = (old[name].get('depends_on') or {}).get(dep, {})
                if spec.get('condition') not in (was.get('condition'), 'service_healthy',
                                                 'service_completed_successfully'):
                    problems.append(f'{source}: service {name}: depends_on {dep} became '
                                    f'{spec.get("condition")}')
        if fix_everything(target, 'DH202,DH203,DH205', capsys) != text:
            problems.append(f'{source}: a second --fix changed the file again')
    assert problems == []
    assert fixed > 20  # the corpus has plenty to fix: the test compares real fixes
