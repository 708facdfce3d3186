"""Unit tests of the compose model (hooks/_compose.py): exact values and 1-based positions."""
from __future__ import annotations

import os
import re
import subprocess
import sys
import time

import pytest
from dockhooks import _compose
from dockhooks._compose import COMPOSE_FILES_RE
from dockhooks._compose import MISSING
from dockhooks._compose import Build
from dockhooks._compose import Dependency
from dockhooks._compose import EnvVar
from dockhooks._compose import is_compose_filename
from dockhooks._compose import load
from dockhooks._compose import value_str
from dockhooks._text import InputError
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

# -- merge keys ---------------------------------------------------------------------------------

MERGE = (
    'x-base: &base\n'                               # 1
    '  restart: always\n'                           # 2
    '  read_only: true\n'                           # 3
    '  image: base:1\n'                             # 4
    'x-limits: &limits\n'                           # 5
    '  read_only: false\n'                          # 6
    '  deploy:\n'                                   # 7
    '    resources:\n'                              # 8
    '      limits: {cpus: "0.5", memory: 256M}\n'   # 9
    'x-env: &env\n'                                 # 10
    '  TZ: UTC\n'                                   # 11
    '  LANG: C\n'                                   # 12
    'services:\n'                                   # 13
    '  web:\n'                                      # 14
    '    <<: [*base, *limits]\n'                    # 15
    '    image: nginx:1.25\n'                       # 16
    '    environment:\n'                            # 17
    '      <<: *env\n'                              # 18
    '      LANG: C.UTF-8\n'                         # 19
    '  worker:\n'                                   # 20
    '    image: w:1\n'                              # 21
    '    <<: *base\n'                               # 22
    '    deploy: *limits\n'                         # 23
)

MERGE_CASES = (
    # (service, key path, has, value, position)
    ('web', ('restart',), True, 'always', (2, 3)),  # inherited by merge: the anchor's line
    ('web', ('read_only',), True, True, (3, 3)),  # first source in the list wins
    ('web', ('image',), True, 'nginx:1.25', (16, 5)),  # own key beats the merged one
    ('web', ('deploy',), True, {'resources': {'limits': {'cpus': '0.5', 'memory': '256M'}}},
     (7, 3)),
    ('web', ('deploy', 'resources', 'limits'), True, {'cpus': '0.5', 'memory': '256M'}, (9, 7)),
    ('web', ('deploy', 'resources', 'limits', 'memory'), True, '256M', (9, 29)),
    ('web', ('environment', 'TZ'), True, 'UTC', (11, 3)),  # merge key one level down
    ('web', ('environment', 'LANG'), True, 'C.UTF-8', (19, 7)),
    ('web', ('healthcheck',), False, MISSING, (14, 3)),  # absent: the service's position
    ('web', ('deploy', 'resources', 'reservations'), False, MISSING, (8, 5)),  # deepest found
    ('worker', ('image',), True, 'w:1', (21, 5)),  # own key before `<<` still wins
    ('worker', ('restart',), True, 'always', (2, 3)),
    ('worker', ('deploy', 'read_only'), True, False, (6, 3)),  # alias as a plain value
)


@pytest.mark.parametrize(('service', 'keys', 'has', 'value', 'pos'), MERGE_CASES)
def test_merge_keys(service, keys, has, value, pos):
    svc = load('compose.yaml', MERGE).service(service)
    assert svc is not None
    if len(keys) == 1:
        assert svc.has(keys[0]) is has
        assert svc.get(keys[0], 'dflt') == (value if has else 'dflt')
    assert svc.lookup(*keys) == value
    assert svc.key_pos(*keys) == pos


def test_merge_keys_environment_entries():
    svc = load('compose.yaml', MERGE).services[0]
    assert svc.environment() == [
        EnvVar('LANG', 'C.UTF-8', 19, 7),
        EnvVar('TZ', 'UTC', 11, 3),
    ]


def test_merge_key_order_and_positions():
    f = load('compose.yaml', MERGE)
    assert [(s.name, s.line, s.col) for s in f.services] == [('web', 14, 3), ('worker', 20, 3)]


def test_lookup_missing_is_falsy_singleton():
    svc = load('compose.yaml', MERGE).services[0]
    assert svc.lookup('nope') is MISSING
    assert not MISSING
    assert repr(MISSING) == 'MISSING'
    assert svc.lookup('image', 'deeper') is MISSING  # through a scalar


# -- extends ------------------------------------------------------------------------------------

EXTENDS = (
    'services:\n'                                           # 1
    '  base:\n'                                             # 2
    '    image: app:${TAG:-1}\n'                            # 3
    '    build: ./app\n'                                    # 4
    '    profiles: [debug]\n'                               # 5
    '    environment: [A=1, B=2]\n'                         # 6
    '    depends_on: [db]\n'                                # 7
    '    deploy: {resources: {limits: {cpus: "1"}}}\n'      # 8
    '  app:\n'                                              # 9
    '    extends: base\n'                                   # 10
    '    build: {dockerfile: Dockerfile.prod}\n'            # 11
    '    environment: {B: 3}\n'                             # 12
    '    deploy: {resources: {limits: {memory: 1g}}}\n'     # 13
    '    profiles: [ops]\n'                                 # 14
    '  child:\n'                                            # 15
    '    extends: {service: app}\n'                         # 16
    '    depends_on:\n'                                     # 17
    '      cache: {condition: service_healthy}\n'           # 18
    '  db:\n'                                               # 19
    '    image: postgres:16\n'                              # 20
    '  cache:\n'                                            # 21
    '    image: redis:7\n'                                  # 22
)


def test_extends_values_and_positions():
    f = load('compose.yaml', EXTENDS)
    app = f.service('app')
    child = f.service('child')
    assert app is not None and child is not None
    assert app.image == 'app:1'
    assert app.key_pos('image') == (9, 3)  # inherited through extends: the service's position
    assert app.key_pos('build') == (11, 5)
    assert app.build == Build('./app', 'Dockerfile.prod', 11)
    assert app.lookup('deploy', 'resources', 'limits') == {'cpus': '1', 'memory': '1g'}
    assert app.key_pos('deploy', 'resources', 'limits', 'memory') == (13, 35)
    assert app.key_pos('deploy', 'resources', 'limits', 'cpus') == (9, 3)
    assert app.profiles == ['debug', 'ops']  # Compose appends profiles
    # an entry inherited from a service of this file is where it is written
    assert app.environment() == [EnvVar('A', '1', 6, 19), EnvVar('B', '3', 12, 19)]
    assert app.depends_on() == [Dependency('db', None, 7, 18)]
    # two levels of extends
    assert child.image == 'app:1'
    assert child.build == Build('./app', 'Dockerfile.prod', 15)
    assert child.has('deploy') and child.key_pos('deploy') == (15, 3)
    assert child.depends_on() == [
        Dependency('db', None, 7, 18), Dependency('cache', 'service_healthy', 18, 7),
    ]
    assert [e.name for e in child.environment()] == ['A', 'B']
    assert child.has('extends')  # own key; Compose drops it from its output
    assert child.keys() == [
        'extends', 'depends_on', 'build', 'environment', 'deploy', 'profiles', 'image',
    ]


@pytest.mark.parametrize(('text', 'line', 'reason'), (
    ('services:\n  a:\n    extends: b\n  b:\n    extends: {service: a}\n', 5,
     'extends cycle: a -> b -> a; Compose rejects circular extends'),
    ('services:\n  a:\n    image: x\n    extends: a\n', 4,
     'extends cycle: a -> a; Compose rejects circular extends'),
    ('services:\n  a:\n    extends: b\n  b:\n    extends: c\n  c:\n    extends: a\n', 7,
     'extends cycle: a -> b -> c -> a; Compose rejects circular extends'),
    ('services:\n  a:\n    extends: zz\n', 3,
     'service "a" extends "zz", which is not defined in this document'),
))
def test_extends_errors(text, line, reason):
    with pytest.raises(InputError) as exc:
        load('compose.yaml', text)
    assert (exc.value.line, str(exc.value)) == (line, reason)


def test_extends_other_file(tmp_path):
    (tmp_path / 'common').mkdir()
    (tmp_path / 'common' / 'base.yml').write_text(
        'services:\n'
        '  app:\n'
        '    image: base:2\n'
        '    build: ./src\n'
        '    read_only: true\n'
        '  parent:\n'
        '    extends: app\n'
        '    restart: always\n',
    )
    main = tmp_path / 'compose.yaml'
    main.write_text(
        'services:\n'
        '  web:\n'
        '    extends: {file: common/base.yml, service: parent}\n'
        '  gone:\n'
        '    extends: {file: missing.yml, service: app}\n'
        '    image: own:1\n'
        '  other:\n'
        '    extends: {file: common/base.yml, service: nope}\n'
        '  self:\n'
        '    extends: {file: compose.yaml, service: gone}\n',
    )
    f = load(str(main))
    web, gone, other, self_ = (f.service(n) for n in ('web', 'gone', 'other', 'self'))
    assert web is not None and gone is not None and other is not None and self_ is not None
    assert (web.image, web.get('restart'), web.get('read_only')) == ('base:2', 'always', True)
    assert web.build == Build('common/src', 'Dockerfile', 2)  # rebased on this file's folder
    assert web.key_pos('read_only') == (2, 3)
    assert (gone.image, gone.has('build')) == ('own:1', False)  # missing file: no extends
    assert other.has('image') is False  # unknown service in the other file: no extends
    assert self_.image == 'own:1'  # a file naming itself is a same-file extends
    # the service each extends, where it is written
    base = web.extends_base()
    assert base is not None and (base.name, base.file.path) == (
        'parent', str(tmp_path / 'common' / 'base.yml'))
    assert base.extends_base() is not None and base.extends_base().name == 'app'
    assert self_.extends_base() is gone
    assert (gone.extends_base(), other.extends_base(), f.service('gone').extends_base()) == (
        None, None, None)  # a file or a service that is not there


def test_extends_files_extending_each_other(tmp_path):
    (tmp_path / 'a.yml').write_text(
        'services:\n  s:\n    extends: {file: b.yml, service: t}\n    image: a:1\n')
    (tmp_path / 'b.yml').write_text(
        'services:\n  t:\n    extends: {file: a.yml, service: s}\n    restart: always\n')
    svc = load(str(tmp_path / 'a.yml')).services[0]
    assert (svc.image, svc.get('restart')) == ('a:1', 'always')


# -- several YAML documents -------------------------------------------------------------------

MULTI = (
    'x-common: &common\n'       # 1
    '  restart: always\n'       # 2
    'services:\n'               # 3
    '  web:\n'                  # 4
    '    image: nginx:1.25\n'   # 5
    '    ports: ["80:80"]\n'    # 6
    '    environment: {A: "1"}\n'  # 7
    '    read_only: true\n'     # 8
    '---\n'                     # 9
    'services:\n'               # 10
    '  extra:\n'                # 11
    '    <<: *common\n'         # 12
    '    image: busybox:1.36\n'  # 13
    '  web:\n'                  # 14
    '    image: nginx:1.27\n'   # 15
    '    ports: !reset []\n'    # 16
    '    environment: !override\n'  # 17
    '      B: "2"\n'            # 18
)


def test_multi_document_merges_like_override_files():
    f = load('compose.yaml', MULTI)
    assert [(s.name, s.line) for s in f.services] == [('web', 4), ('extra', 11)]
    web, extra = f.services
    assert (web.image, web.key_pos('image')) == ('nginx:1.27', (15, 5))
    assert (web.get('read_only'), web.key_pos('read_only')) == (True, (8, 5))
    assert web.has('ports') is False  # !reset removes it, also from the first document
    assert web.keys() == ['image', 'environment', 'read_only']
    assert web.environment() == [EnvVar('B', '2', 18, 7)]  # !override replaces, no merge
    assert extra.get('restart') == 'always'  # anchor of document 1 used in document 2
    assert extra.key_pos('restart') == (2, 3)
    assert len(f.documents) == 2


def test_reset_and_override_in_one_document():
    f = load('compose.yaml', (
        'x-a: &a\n  image: anchored:1\n  restart: always\n'
        'services:\n'
        '  s:\n'
        '    <<: *a\n'
        '    image: !reset x\n'  # Compose drops the own key: the anchored value is left
        '    restart: !reset null\n'
        '    build: !override ./b\n'
        '    user: !custom 1000\n'  # an unknown tag: the tagged value
    ))
    svc = f.services[0]
    assert (svc.image, svc.key_pos('image')) == ('anchored:1', (2, 3))
    assert svc.get('restart') == 'always'
    assert svc.build == Build('./b', 'Dockerfile', 9)
    assert svc.get('user') == '1000'


@pytest.mark.parametrize(('text', 'line', 'reason'), (
    ('services:\n  a:\n    image: x\n---\n', 4,
     'has an empty YAML document (a stray "---"?); Compose rejects it'),
    ('services:\n  a:\n    image: x\n---\n- a\n', 5, 'top level must be a mapping, not a list'),
    ('services:\n  a:\n    image: x\n---\nservices: []\n', 5,
     '"services" must be a mapping, not a list'),
))
def test_multi_document_errors(text, line, reason):
    with pytest.raises(InputError) as exc:
        load('compose.yaml', text)
    assert (exc.value.line, str(exc.value)) == (line, reason)


def test_leading_document_marker_is_one_document():
    f = load('compose.yaml', '---\nservices:\n  a:\n    image: x:1\n...\n')
    assert [(s.name, s.line, s.image) for s in f.services] == [('a', 3, 'x:1')]


# -- interpolation ------------------------------------------------------------------------------

VALUE_CASES = (
    ('nginx:1.25', 'nginx:1.25'),
    ('nginx:${TAG:-1.2}', 'nginx:1.2'),
    ('nginx:${TAG-1.2}', 'nginx:1.2'),
    ('${REGISTRY:-docker.io}/app:${TAG:-${FALLBACK:-3}}', 'docker.io/app:3'),
    ('nginx:${TAG}', None),  # a variable without default: unknown
    ('nginx:$TAG', None),
    ('nginx:${TAG:?set TAG}', None),
    ('nginx:${TAG?set TAG}', None),
    ('$$x', '$x'),
    ('a$$b:${X:-1}', 'a$b:1'),
    ('price: 5$', 'price: 5$'),
    ('${unterminated', None),
    (1, '1'),
    (True, 'true'),
    (False, 'false'),
    (1.5, '1.5'),
    (None, None),
    ([1], None),
    ({'a': 1}, None),
)


@pytest.mark.parametrize(('value', 'expected'), VALUE_CASES)
def test_value_str(value, expected):
    assert value_str(value) == expected


# YAML scalars as Compose turns them into strings (checked against the binary in the oracle test)
YAML_SCALARS = (
    ('1.10', '1.1'),
    ('1000000.0', '1e+06'),
    ('100000.0', '100000'),
    ('1234567.0', '1.234567e+06'),
    ('0.0001', '0.0001'),
    ('0.00001', '1e-05'),
    ('1.5e-7', '1.5e-07'),
    ('1e21', '1e+21'),
    ('-2.5', '-2.5'),
    ('-0.0', '-0'),
    ('3.', '3'),
    ('.inf', '+Inf'),
    ('-.inf', '-Inf'),
    ('.nan', 'NaN'),
    ('022', '18'),  # a leading zero is octal for Compose's YAML parser
    ('08', '8'),
    ('0o17', '15'),
    ('0x1F', '31'),
    ('1_000', '1000'),
    ('12345678901234567890', '12345678901234567890'),
    ('true', 'true'),
    ('True', 'true'),
    ('yes', 'yes'),  # YAML 1.2: a string
    ('~', None),
    ('', None),
    ('"${X:-d}"', 'd'),
    ("'$$HOME'", '$HOME'),
    ('!!str 5', '5'),
    ('!custom ${X:-1}', '1'),
    ('2001-12-14', '2001-12-14'),
)


@pytest.mark.parametrize(('scalar', 'expected'), YAML_SCALARS)
def test_value_str_of_yaml_scalars(scalar, expected):
    text = f'services:\n  a:\n    environment:\n      V: {scalar}\n'
    svc = load('compose.yaml', text).services[0]
    assert svc.value_str(svc.lookup('environment', 'V')) == expected


@pytest.mark.parametrize(('image', 'expected', 'raw'), (
    ('nginx:${TAG:-1.2}', 'nginx:1.2', 'nginx:${TAG:-1.2}'),
    ('nginx:${TAG}', None, 'nginx:${TAG}'),
    ('"lit$$eral:1"', 'lit$eral:1', 'lit$$eral:1'),
    ('5', '5', '5'),
    ('', None, None),
))
def test_image(image, expected, raw):
    svc = load('compose.yaml', f'services:\n  a:\n    image: {image}\n').services[0]
    assert (svc.image, svc.raw_image) == (expected, raw)


def test_image_absent():
    svc = load('compose.yaml', 'services:\n  a:\n    build: .\n').services[0]
    assert (svc.image, svc.raw_image) == (None, None)


# -- build, profiles, depends_on, environment ----------------------------------------------

@pytest.mark.parametrize(('build', 'expected'), (
    ('./dir', Build('./dir', 'Dockerfile', 3)),
    ('{context: ., dockerfile: docker/Dockerfile.prod}', Build('.', 'docker/Dockerfile.prod', 3)),
    ('{dockerfile: Dockerfile.dev}', Build('.', 'Dockerfile.dev', 3)),  # context defaults to .
    ('{context: ./app, dockerfile_inline: "FROM alpine"}', Build('./app', None, 3, inline=True)),
    ('"${CTX:-./svc}"', Build('./svc', 'Dockerfile', 3)),
    ('"${CTX}"', Build('${CTX}', 'Dockerfile', 3, known=False)),
    ('{context: ., dockerfile: "${DF}"}', Build('.', '${DF}', 3, known=False)),
    ('https://github.com/o/r.git#main', Build('https://github.com/o/r.git#main', 'Dockerfile', 3)),
    ('', None),
))
def test_build(build, expected):
    svc = load('compose.yaml', f'services:\n  a:\n    build: {build}\n').services[0]
    assert svc.build == expected


@pytest.mark.parametrize(('profiles', 'expected'), (
    ('[debug]', ['debug']),
    ('[debug, tools]', ['debug', 'tools']),
    ('["${P:-ops}", "${Q}"]', ['ops', '${Q}']),  # an unknown one stays as written
    ('[]', []),
))
def test_profiles(profiles, expected):
    svc = load('compose.yaml', f'services:\n  a:\n    image: x\n    profiles: {profiles}\n')
    assert svc.services[0].profiles == expected


def test_no_profiles():
    assert load('compose.yaml', 'services:\n  a:\n    image: x\n').services[0].profiles == []


DEPENDS = (
    'services:\n'                                   # 1
    '  short:\n'                                    # 2
    '    depends_on:\n'                             # 3
    '      - db\n'                                  # 4
    '      - "${CACHE:-redis}"\n'                   # 5
    '      - ${UNKNOWN}\n'                          # 6
    '  long:\n'                                     # 7
    '    depends_on:\n'                             # 8
    '      db:\n'                                   # 9
    '        condition: service_healthy\n'          # 10
    '      migrate: {condition: service_completed_successfully}\n'  # 11
    '      redis: {restart: true}\n'                # 12
    '      plain:\n'                                # 13
    '  flow:\n'                                     # 14
    '    depends_on: [db, redis]\n'                 # 15
)


@pytest.mark.parametrize(('service', 'expected'), (
    ('short', [Dependency('db', None, 4, 9), Dependency('redis', None, 5, 9, True),
               Dependency('${UNKNOWN}', None, 6, 9, True)]),
    ('long', [Dependency('db', 'service_healthy', 9, 7),
              Dependency('migrate', 'service_completed_successfully', 11, 7),
              Dependency('redis', 'service_started', 12, 7),
              Dependency('plain', 'service_started', 13, 7)]),
    ('flow', [Dependency('db', None, 15, 18), Dependency('redis', None, 15, 22)]),
))
def test_depends_on(service, expected):
    svc = load('compose.yaml', DEPENDS).service(service)
    assert svc is not None
    assert svc.depends_on() == expected


ENVIRONMENT = (
    'services:\n'                    # 1
    '  listform:\n'                  # 2
    '    environment:\n'             # 3
    '      - PASSWORD=hunter2\n'     # 4
    '      - FROM_HOST\n'            # 5
    '      - EMPTY=\n'               # 6
    '      - EQ=a=b\n'               # 7
    '      - REF=${SECRET}\n'        # 8
    '  mapform:\n'                   # 9
    '    environment:\n'             # 10
    '      PASSWORD: hunter2\n'      # 11
    '      FROM_HOST:\n'             # 12
    '      PORT: 5432\n'             # 13
    '      DEBUG: true\n'            # 14
    '      QUOTED: ""\n'             # 15
    '  none:\n'                      # 16
    '    image: x\n'                 # 17
)


@pytest.mark.parametrize(('service', 'expected'), (
    ('listform', [EnvVar('PASSWORD', 'hunter2', 4, 9), EnvVar('FROM_HOST', None, 5, 9),
                  EnvVar('EMPTY', '', 6, 9), EnvVar('EQ', 'a=b', 7, 9),
                  EnvVar('REF', '${SECRET}', 8, 9)]),
    ('mapform', [EnvVar('PASSWORD', 'hunter2', 11, 7), EnvVar('FROM_HOST', None, 12, 7),
                 EnvVar('PORT', '5432', 13, 7), EnvVar('DEBUG', 'true', 14, 7),
                 EnvVar('QUOTED', '', 15, 7)]),
    ('none', []),
))
def test_environment(service, expected):
    svc = load('compose.yaml', ENVIRONMENT).service(service)
    assert svc is not None
    assert svc.environment() == expected


# -- file-level structure -------------------------------------------------------------------

def test_x_keys_are_not_services_and_unknown_keys_are_listed():
    f = load('compose.yaml', (
        'x-svc:\n  image: no\n'
        'version: "3.8"\n'
        'name: demo\n'
        'services:\n  b:\n    image: b\n  a:\n    image: a\n  x-c:\n    image: c\n'
        'web:\n  image: legacy\n'
    ))
    assert [s.name for s in f.services] == ['b', 'a', 'x-c']  # x-* under services is a service
    assert f.unknown_keys == [('web', 12)]
    assert f.service('zz') is None


def test_legacy_v1_file_is_an_input_error():
    # services at the top level: docker compose v2 no longer reads the version 1 format
    with pytest.raises(InputError) as exc:
        load('docker-compose.yml', 'web:\n  image: nginx\ndb:\n  image: postgres\n')
    assert (exc.value.reason, exc.value.line) == (
        '"web" is a service at the top level (the version 1 format, which docker compose '
        'no longer reads); move the services under services:', 1)


def test_unknown_top_level_key_that_is_not_a_service():
    f = load('docker-compose.yml', 'services:\n  a:\n    image: x:1\nweb:\n  image: nginx\n')
    assert [s.name for s in f.services] == ['a']
    assert f.unknown_keys == [('web', 4)]


def test_no_services_key():
    f = load('compose.yaml', 'networks:\n  n: {}\n')
    assert (f.services, f.unknown_keys) == ([], [])


def test_load_reads_path(tmp_path):
    path = tmp_path / 'compose.yaml'
    path.write_bytes(b'\xef\xbb\xbfservices:\r\n  a:\r\n    image: x:1\r\n')
    f = load(str(path))
    assert (f.path, f.text) == (str(path), 'services:\n  a:\n    image: x:1\n')
    assert [(s.name, s.line, s.image) for s in f.services] == [('a', 2, 'x:1')]
    path.write_bytes(b'services: \xff\n')
    with pytest.raises(InputError, match='not UTF-8'):
        load(str(path))
    with pytest.raises(InputError, match='cannot be read'):
        load(str(tmp_path / 'missing.yaml'))


# -- errors ---------------------------------------------------------------------------------

ERRORS = (
    # (text, line, col, reason)
    ('- a\n- b\n', 1, 1, 'top level must be a mapping, not a list'),
    ('just text\n', 1, 1, 'top level must be a mapping, not a string'),
    ('services:\n  a:\n    image: x\n   bad: [\n', 4, 4,
     "is not valid YAML: expected <block end>, but found '<block mapping start>' "
     '(while parsing a block mapping)'),
    ('services:\n\ta: 1\n', 2, 1,
     "is not valid YAML: found character '\\t' that cannot start any token "
     '(while scanning for the next token)'),
    ('services:\n  a: *nope\n', 2, 6, "is not valid YAML: found undefined alias 'nope'"),
    ('services:\n  a:\n    image: x\n    build: .\n    image: y\n', 5, 5,
     'duplicate key "image" (first at line 3): Compose rejects a key defined twice'),
    ('services:\n  a:\n    image: x\n  a:\n    image: y\n', 4, 3,
     'duplicate key "a" (first at line 2): Compose rejects a key defined twice'),
    ('services:\n  a:\n    environment:\n      - A=1\n    environment: {}\n', 5, 5,
     'duplicate key "environment" (first at line 3): Compose rejects a key defined twice'),
    ('services: {a: {image: x, image: y}}\n', 1, 26,
     'duplicate key "image": Compose rejects a key defined twice'),
    ('x: &a {k: 1}\nservices:\n  s:\n    <<: *a\n    <<: *a\n', 5, 5,
     'duplicate key "<<" (first at line 4): Compose rejects a key defined twice'),
    ('version: "3"\nservices:\n  - a\n', 2, 1, '"services" must be a mapping, not a list'),
    ('services:\n', 1, 1, '"services" must be a mapping, not null'),
    ('services: web\n', 1, 1, '"services" must be a mapping, not a string'),
    ('services:\n  a:\n  b:\n    image: x\n', 2, 3, 'service "a" must be a mapping, not null'),
    ('services:\n  a: nginx\n', 2, 3, 'service "a" must be a mapping, not a string'),
    ('services:\n  a: [1]\n', 2, 3, 'service "a" must be a mapping, not a list'),
    ('services:\n  a:\n    image: "x\x07"\n', 3, 14,
     'contains a character YAML does not allow (U+0007)'),
    ('%YAML 1.2\n---\nservices: {}\n', 1, 1,
     'has a %YAML 1.2 directive: Compose accepts only %YAML 1.1'),
    ('a:\n' + ''.join('  ' * i + 'k:\n' for i in range(1, 150)), 100, 199,
     'is nested more than 100 levels deep'),
)


@pytest.mark.parametrize(('text', 'line', 'col', 'reason'), ERRORS)
def test_errors(text, line, col, reason):
    with pytest.raises(InputError) as exc:
        load('compose.yaml', text)
    assert (exc.value.line, exc.value.col, str(exc.value)) == (line, col, reason)


def _billion_laughs() -> str:
    text = 'x-a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]\n'
    prev = 'a'
    for name in 'bcdefghi':
        text += f'x-{name}: &{name} [' + ', '.join([f'*{prev}'] * 9) + ']\n'
        prev = name
    return text + 'services:\n  a:\n    image: x\n'


def _merge_bomb() -> str:
    text = 'x0: &x0 {a: 1, b: 2}\n'
    for i in range(1, 15):
        text += f'x{i}: &x{i}\n  <<: [' + ', '.join([f'*x{i - 1}'] * 9) + f']\n  k{i}: 1\n'
    return text + 'services:\n  a:\n    <<: *x14\n'


@pytest.mark.parametrize('text', (_billion_laughs(), _merge_bomb()), ids=('lists', 'merge-keys'))
def test_alias_bomb_is_rejected_fast(text):
    start = time.perf_counter()
    with pytest.raises(InputError) as exc:
        load('compose.yaml', text)
    # a hang guard, not a speed target (benchmarks/run.py measures speed): a bomb that were
    # expanded would take minutes and gigabytes; rejecting it takes milliseconds
    assert time.perf_counter() - start < 15
    assert 'excessive aliasing' in str(exc.value)
    assert exc.value.line == 1


def test_reasonable_anchor_reuse_is_fine():
    text = 'x-c: &c {restart: always, read_only: true, environment: {A: "1", B: "2"}}\n'
    text += 'services:\n' + ''.join(f'  s{i}:\n    <<: *c\n    image: i:{i}\n' for i in range(200))
    assert len(load('compose.yaml', text).services) == 200


@pytest.mark.parametrize('text', ('[' * 100_000, '{' * 100_000, '- ' * 100_000))
def test_deep_nesting_is_rejected(text):
    start = time.perf_counter()
    with pytest.raises(InputError, match='nested more than 100 levels deep'):
        load('compose.yaml', text)
    assert time.perf_counter() - start < 15  # a hang guard, generous for a loaded machine


def test_recursion_error_becomes_input_error(monkeypatch):
    monkeypatch.setattr(_compose, 'MAX_DEPTH', 0)  # ruamel's depth limit off: Python's applies
    with pytest.raises(InputError) as exc:
        load('compose.yaml', '[' * 100_000)
    assert str(exc.value) == 'is nested too deeply to parse'


# -- YAML tags never construct objects ----------------------------------------------------------

PYTHON_TAGS = (
    '!!python/object/apply:os.system ["touch {marker}"]',
    '!!python/object/apply:subprocess.check_output [["touch", "{marker}"]]',
    '!!python/object/new:os.system ["touch {marker}"]',
    '!!python/name:os.system',
    '!!python/module:os',
    '!!python/object:subprocess.Popen {{args: ["touch", "{marker}"]}}',
)


@pytest.mark.parametrize('tagged', PYTHON_TAGS)
def test_python_tags_are_inert(tagged, tmp_path, monkeypatch):
    def boom(*args: object, **kwargs: object) -> None:
        raise AssertionError('a YAML tag ran code')

    monkeypatch.setattr(os, 'system', boom)
    monkeypatch.setattr(subprocess, 'Popen', boom)
    marker = tmp_path / 'pwned'
    value = tagged.format(marker=marker)
    f = load('compose.yaml', f'services:\n  a:\n    image: x:1\n    command: {value}\n')
    svc = f.services[0]
    assert svc.image == 'x:1'
    command = svc.get('command')
    assert isinstance(command, (str, list, dict))  # plain data; the tag is only kept aside
    assert not marker.exists()


# -- file names ---------------------------------------------------------------------------------

FILENAMES = (
    ('compose.yaml', True),
    ('compose.yml', True),
    ('docker-compose.yaml', True),
    ('docker-compose.yml', True),
    ('compose.override.yaml', True),
    ('docker-compose.override.yml', True),
    ('compose.prod.yaml', True),
    ('docker-compose.ci.yml', True),
    ('deploy/staging/docker-compose.staging.yml', True),
    ('a/b/compose.yaml', True),
    ('compose.prod.override.yaml', True),
    ('Compose.yaml', False),  # case-sensitive, as Compose's defaults
    ('docker-compose.YML', False),
    ('compose.yaml.bak', False),
    ('my-compose.yaml', False),
    ('mycompose.yml', False),
    ('compose..yaml', False),
    ('docker-compose-dev.yml', True),  # not a Compose default name, but a common -f name
    ('compose.json', False),
    ('compose.yaml/Dockerfile', False),
    ('docker-compose', False),
)


@pytest.mark.parametrize(('path', 'expected'), FILENAMES)
def test_is_compose_filename(path, expected):
    assert is_compose_filename(path) is expected
    assert (re.search(COMPOSE_FILES_RE, path) is not None) is expected


def test_is_compose_filename_os_separator():
    assert is_compose_filename(os.path.join('deploy', 'compose.yaml'))


# -- robustness and start-up ------------------------------------------------------------------

YAMLISH = st.lists(
    st.sampled_from([*'ab:-[]{},&*!<>|#\'"$\n ~?%@`\t', '<<: ', '&a ', '*a', '---\n', '  ',
                     'services:\n', '  s:\n', '    image: ', 'extends: ', '!reset ', '!!int ']),
    max_size=40,
).map(''.join)


@settings(max_examples=300, deadline=None)
@given(YAMLISH)
def test_never_a_traceback(text):
    try:
        f = load('compose.yaml', text)
    except InputError as exc:
        assert exc.line >= 1 and exc.col >= 1 and str(exc)
        return
    for svc in f.services:
        svc.image, svc.build, svc.profiles, svc.depends_on(), svc.environment()
        svc.key_pos('deploy', 'resources')


def test_import_does_not_load_ruamel():
    code = 'import sys, dockhooks._compose; print("ruamel.yaml" in sys.modules)'
    out = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == 'False'


def test_extends_service_name_is_interpolated():
    f = load('compose.yaml', (
        'services:\n'
        '  base:\n'
        '    image: b:1\n'
        '  a:\n'
        '    extends: {service: "${BASE:-base}"}\n'
        '  u:\n'
        '    extends: {service: "${UNSET}"}\n'  # unknown: not followed, no error
    ))
    a, u = f.service('a'), f.service('u')
    assert a is not None and u is not None
    assert (a.image, u.image) == ('b:1', None)


def test_get_returns_the_winning_list():
    f = load('compose.yaml', (
        'services:\n'
        '  base:\n'
        '    image: b:1\n'
        '    ports: ["80:80"]\n'
        '  a:\n'
        '    extends: base\n'
        '    ports: ["81:81"]\n'
    ))
    a = f.service('a')
    assert a is not None
    assert a.get('ports') == ['81:81']
    assert a.key_pos('ports') == (7, 5)


# -- the project's .env: Compose interpolates with it (the file's folder is the project's) -----

def _project(tmp_path, compose: str, dotenv: str | None, **others: str):
    (tmp_path / 'compose.yaml').write_text(compose)
    if dotenv is not None:
        (tmp_path / '.env').write_text(dotenv)
    for name, text in others.items():
        (tmp_path / name.replace('__', '/')).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name.replace('__', '/')).write_text(text)
    return load(str(tmp_path / 'compose.yaml'))


@pytest.mark.parametrize(('dotenv', 'image'), (
    (None, 'app:release'),  # no .env: the default
    ('IMMICH_VERSION=v3.1.0\n', 'app:v3.1.0'),  # .env wins over the default
    ('IMMICH_VERSION=\n', 'app:release'),  # `:-` also replaces an empty value
    ('OTHER=1\n', 'app:release'),
    ('IMMICH_VERSION="v3.1.0" # pinned\n', 'app:v3.1.0'),
    ('IMMICH_VERSION\n', None),  # from the machine's environment: unknown
    ('IMMICH_VERSION=${BASE}\n', None),  # a variable nothing defines: unknown
    ('BAD KEY=1\n', None),  # Compose cannot read this .env: every variable unknown
))
def test_project_dotenv_interpolates(tmp_path, dotenv, image):
    f = _project(tmp_path, 'services:\n  a:\n    image: app:${IMMICH_VERSION:-release}\n',
                 dotenv)
    assert f.services[0].image == image


def test_project_dotenv_without_default(tmp_path):
    f = _project(tmp_path, 'services:\n  a:\n    image: $REPO:${TAG}\n    read_only: $$RO\n',
                 'REPO=ghcr.io/acme/app\nTAG=2.1\n')
    a = f.services[0]
    assert (a.image, a.raw_image) == ('ghcr.io/acme/app:2.1', '$REPO:${TAG}')
    assert a.value_str(a.get('read_only')) == '$RO'  # `$$` stays a literal `$`


def test_env_file_is_not_used_for_interpolation(tmp_path):
    f = _project(tmp_path, 'services:\n  a:\n    image: app:${TAG:-1.0}\n    env_file: vars.env\n',
                 None, **{'vars.env': 'TAG=latest\n'})
    assert f.services[0].image == 'app:1.0'


def test_dotenv_of_the_project_applies_to_extended_files(tmp_path):
    f = _project(tmp_path, 'services:\n  web:\n    extends: {file: sub/base.yml, service: b}\n',
                 'TAG=9.9\n', **{'sub__base.yml': 'services:\n  b:\n    image: b:${TAG:-1}\n',
                                 'sub__.env': 'TAG=0.1\n'})
    assert f.services[0].image == 'b:9.9'  # the project's .env, not the extended file's


def test_a_dotenv_folder_is_unreadable(tmp_path):
    (tmp_path / '.env').mkdir()
    f = _project(tmp_path, 'services:\n  a:\n    image: app:${T:-1}\n', None)
    assert f.services[0].image is None


@pytest.mark.parametrize('text', (
    '', '\n\n', '# an override seam the Makefile always loads\n', '---\n', '{}\n', 'null\n', '~\n',
    'version: "3.8"\n', 'x-common: {restart: always}\n', 'services: {}\n',
))
def test_empty_files_have_no_services(text):
    # Compose merges an empty file given with -f as nothing: zero services, not an error
    assert load('compose.override.yaml', text).services == []


def test_published_ports():
    f = load('compose.yaml', 'services:\n  a:\n    image: x\n    ports:\n'
                             '      - 127.0.0.1:5432:5432\n      - "80:80/tcp"\n      - 3000\n'
                             '      - "[::1]:22:22"\n      - target: 1\n        published: "8080"\n'
                             '      - 9000-9001:9000-9001\n      - ${PORT}:80\n')
    assert f.services[0].published_ports() == ['5432', '80', None, '22', '8080', None, None]
