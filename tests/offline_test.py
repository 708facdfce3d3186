"""The hooks need no network at run time (pre-commit.ci blocks it while hooks run): every
hook and `dockhooks check` run over the examples with sockets blocked, in-process."""
from __future__ import annotations

import importlib
import json
import re
import socket
from pathlib import Path

import pytest
from dockhooks import cli
from dockhooks._registry import RULES

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / 'examples'


class NetworkUsed(Exception):
    pass


@pytest.fixture
def no_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise NetworkUsed(f'network used: {args!r}')

    monkeypatch.setattr(socket, 'socket', refuse)
    monkeypatch.setattr(socket, 'create_connection', refuse)
    monkeypatch.setattr(socket, 'getaddrinfo', refuse)
    monkeypatch.setattr(socket, 'gethostbyname', refuse)


def test_the_fixture_blocks_sockets(no_network):
    with pytest.raises(NetworkUsed):
        socket.create_connection(('localhost', 9))


@pytest.mark.parametrize('fmt', ('text', 'json', 'sarif', 'github'))
def test_check_the_examples_offline(fmt, no_network, monkeypatch, capsys):
    monkeypatch.chdir(ROOT)
    assert cli.main(['check', '--format', fmt, 'examples/good']) == 0
    assert cli.main(['check', '--format', fmt, 'examples/bad']) == 1
    out, err = capsys.readouterr()
    assert 'examples/bad/api/Dockerfile' in out
    assert 'NetworkUsed' not in out + err
    if fmt in ('json', 'sarif'):
        json.loads(out.split('\n}\n')[1] + '\n}')  # the bad example's document parses


def _manifest() -> dict[str, dict[str, object]]:
    from ruamel.yaml import YAML

    hooks = YAML(typ='safe').load((ROOT / '.pre-commit-hooks.yaml').read_text(encoding='utf-8'))
    return {str(h['id']): h for h in hooks}


MANIFEST = _manifest()


def _files_for(hook: str, folder: Path) -> list[str]:
    """The files of ``folder`` (relative to it) that pre-commit would hand the hook there:
    its `files` and `exclude` regexes, none when it takes no file names."""
    entry = MANIFEST[hook]
    if entry.get('pass_filenames') is False:
        return []
    paths = sorted(p.relative_to(folder).as_posix() for p in folder.rglob('*') if p.is_file())
    return [p for p in paths if re.search(str(entry.get('files', '')), p)
            and not (entry.get('exclude') and re.search(str(entry['exclude']), p))]


@pytest.mark.parametrize('info', RULES, ids=[r.hook for r in RULES])
def test_every_hook_offline(info, no_network, monkeypatch, capsys):
    module = importlib.import_module(f'dockhooks.{info.module}')
    rcs = []
    for example in ('good', 'bad'):
        monkeypatch.chdir(EXAMPLES / example)
        rcs.append(module.main(_files_for(info.hook, EXAMPLES / example)))
    out, err = capsys.readouterr()
    assert (rcs, err) == ([0, 1], ''), out
