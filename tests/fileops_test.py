from __future__ import annotations

import pytest
from dockhooks._fileops import PathOp
from dockhooks._fileops import covers
from dockhooks._fileops import path_ops
from dockhooks._shell import split_commands

VARS = {'DEST': '/opt/dest'}


def _resolve(word: str) -> str | None:
    if '$' not in word:
        return word
    name = word.strip('${}"')
    return VARS.get(name)


@pytest.mark.parametrize(('script', 'cwd', 'expected'), (
    ('mkdir -p -m 755 /a /b && touch /a/x', '/', [('/a', 'makes'), ('/b', 'makes'),
                                                   ('/a/x', 'makes')]),
    ('curl -fsSL -o /tmp/x.tgz https://h/x.tgz', '/', [('/tmp/x.tgz', 'writes')]),
    ('curl -fsSLO https://h/d/x.tgz?raw=1', '/tmp', []),  # -O inside a cluster: not read
    ('curl -O https://h/d/x.tgz?raw=1', '/tmp', [('/tmp/x.tgz', 'writes')]),
    ('curl --output=/o https://h/x', '/', [('/o', 'writes')]),
    ('wget -q https://h/d/y.zip', '/srv', [('/srv/y.zip', 'writes')]),
    ('wget -P /dl https://h/d/y.zip', '/', [('/dl/y.zip', 'writes')]),
    ('wget -O- https://h/x | sh', '/', []),  # to stdout
    ('git clone --depth 1 -b v1 https://github.com/a/b.git', '/src', [('/src/b', 'writes')]),
    ('git clone https://github.com/a/b /opt/b', '/', [('/opt/b', 'writes')]),
    ('tar -xzf /tmp/x.tgz -C /usr/local', '/', [('/usr/local', 'writes')]),
    ('tar xzf x.tgz --directory=/opt', '/', [('/opt', 'writes')]),
    ('tar -czf /out.tgz /src', '/', [('/out.tgz', 'writes')]),
    ('tar -xzf x.tgz', '/', []),  # extracted into the folder: names unknown
    ('unzip -q x.zip -d /opt/x', '/', [('/opt/x', 'writes')]),
    ('cp -r a b /dst/', '/', [('/dst', 'writes')]),
    ('install -m 755 -t /usr/bin tool', '/', [('/usr/bin', 'writes')]),
    ('mv /tmp/a /tmp/b /usr/bin/', '/', [('/tmp/a', 'moves'), ('/tmp/b', 'moves'),
                                          ('/usr/bin', 'writes')]),
    ('go build -o /out/app ./cmd', '/', [('/out/app', 'writes')]),
    ('chmod -R 755 /a /b', '/', [('/a', 'chmod'), ('/b', 'chmod')]),
    ('chown --reference=/x /a', '/', [('/a', 'chown')]),
    ("sed -i 's/a/b/' /etc/c", '/', [('/etc/c', 'rewrites')]),
    ("sed -i.bak -e 's/a/b/' -e 's/c/d/' /etc/c /etc/d", '/',
     [('/etc/c', 'rewrites'), ('/etc/d', 'rewrites')]),
    ("sed 's/a/b/' /etc/c", '/', []),  # not in place
    ('truncate -s 0 /var/log/x', '/', [('/var/log/x', 'rewrites')]),
    ('rm -rf -- /tmp/* .cache', '/root', [('/tmp/*', 'removes'), ('/root/.cache', 'removes')]),
    ('find /usr -name "*.pyc" -delete', '/', [('/usr', 'removes')]),
    ('echo x > /etc/y 2>&1; echo z >> "/etc/y" >&2', '/',
     [('/etc/y', 'writes'), ('/etc/y', 'rewrites'), ('/etc/y', 'writes'), ('/etc/y', 'rewrites')]),
    ('echo x > /dev/null', '/', []),
    ('cd /opt && mkdir a && cd a && touch b; cd ../c', '/', [('/opt/a', 'makes'),
                                                             ('/opt/a/b', 'makes')]),
    ('mkdir rel', None, []),  # a relative path in an unknown folder
    ('cd "$NOPE" && mkdir a', '/', []),  # a folder that cannot be known
    ('mkdir "$DEST" ~/x', '/', [('/opt/dest', 'makes')]),  # a known variable; ~ is not read
))
def test_path_ops(script: str, cwd: str | None, expected: list[tuple[str, str]]) -> None:
    assert path_ops(split_commands(script), cwd, _resolve) == [PathOp(*e) for e in expected]


@pytest.mark.parametrize(('changed', 'created', 'expected'), (
    ('/tmp/a', '/tmp/a', True),
    ('/tmp', '/tmp/a', True),  # a parent
    ('/tmp/', '/tmp/a/b', True),
    ('/tmp/*', '/tmp/a/b', True),  # a glob over a parent
    ('/tmp/a*', '/tmp/ab', True),
    ('/tmp/a', '/tmp', False),  # a child of what was made
    ('/tmp/a', '/tmp/ab', False),  # a sibling with the same prefix
    ('/var/*/x', '/var/lib/y', False),
))
def test_covers(changed: str, created: str, expected: bool) -> None:
    assert covers(changed, created) is expected
