from __future__ import annotations

import pytest
from dockhooks.compose_read_only import main
from hookrun import assert_findings


def _missing(pos: str, service: str, paths: str = '/tmp') -> str:
    return (f'{pos}: DH205 service {service} has a writable root filesystem; add read_only: '
            f'true and put the paths it writes to on tmpfs: ({paths}) or volumes')


def _false(pos: str, who: str, value: str = 'false', paths: str = '/tmp') -> str:
    return (f'{pos}: DH205 {who} read_only: {value}; use read_only: true and put the paths it '
            f'writes to on tmpfs: ({paths}) or volumes')


CASES = (
    # a missing key is reported at the service, read_only: false at its line
    ('services:\n  api:\n    image: example/api:1.4.2\n', (_missing('2:3', 'api'),)),
    ('services:\n  api:\n    image: example/api:1.4.2\n    read_only: false\n',
     (_false('4:5', 'service api sets'),)),
    ('services:\n  api:\n    image: a:1\n    read_only: "false"\n',
     (_false('4:5', 'service api sets'),)),
    # true, with tmpfs for the scratch paths
    ('services:\n  api:\n    image: a:1\n    read_only: true\n    tmpfs:\n      - /tmp\n', ()),
    # interpolation: a default is judged, a variable without one is unknown
    ('services:\n  api:\n    image: a:1\n    read_only: ${READ_ONLY:-false}\n',
     (_false('4:5', 'service api sets'),)),
    ('services:\n  api:\n    image: a:1\n    read_only: ${READ_ONLY:-true}\n', ()),
    ('services:\n  api:\n    image: a:1\n    read_only: ${READ_ONLY}\n', ()),
    # merge keys: true from an anchor counts; false in an anchor is one finding there
    ('x-hardened: &hardened\n  read_only: true\nservices:\n  api:\n    <<: *hardened\n'
     '    image: a:1\n', ()),
    ('x-base: &base\n  read_only: false\nservices:\n  api:\n    <<: *base\n    image: a:1\n'
     '  worker:\n    <<: *base\n    image: w:1\n',
     (_false('2:3', 'services api, worker set'),)),
    # an own key beats the merged one
    ('x-base: &base\n  read_only: false\nservices:\n  api:\n    <<: *base\n    image: a:1\n'
     '    read_only: true\n', ()),
    # extends: inherited true counts, inherited false is reported at the service
    ('services:\n  base:\n    image: a:1\n    read_only: true\n  api:\n    extends: base\n', ()),
    ('services:\n  base:\n    image: a:1\n    read_only: false\n  api:\n    extends: base\n',
     (_false('4:5', 'service base sets'), _false('5:3', 'service api sets'))),
    # several YAML documents: the last word counts
    ('services:\n  api:\n    image: a:1\n    read_only: false\n---\nservices:\n  api:\n'
     '    read_only: true\n', ()),
    ('services:\n  api:\n    image: a:1\n    read_only: true\n---\nservices:\n  api:\n'
     '    read_only: false\n', (_false('8:5', 'service api sets'),)),
    # x- extension fields are not services
    ('x-api:\n  image: a:1\nservices:\n  api:\n    image: a:1\n    read_only: true\n', ()),
    # zulip+docker-zulip/ci/*/compose.yaml: fragments (no image or build) completed by another
    # compose file are judged there; a false they write is still theirs
    ('services:\n  database:\n    networks: [zulip-backend]\n  redis:\n    networks: [backend]\n',
     ()),
    ('services:\n  zulip:\n    read_only: false\n', (_false('3:5', 'service zulip sets'),)),
    # pragmas: above the service, above the key, for the file
    ('services:\n  # dockhooks: ignore=DH205 writes its plugins at run time\n  api:\n'
     '    image: a:1\n  web:\n    image: n:1\n', (_missing('5:3', 'web'),)),
    ('services:\n  api:\n    image: a:1\n    # dockhooks: ignore=DH205\n    read_only: false\n',
     ()),
    ('# dockhooks: ignore-file=DH205\nservices:\n  api:\n    image: a:1\n', ()),
    # a pragma above a key covers only that key's block
    ('services:\n  api:\n    # dockhooks: ignore=DH205\n    image: a:1\n',
     (_missing('2:3', 'api'),)),
    # a pragma for another code, or an unknown code, hides nothing
    ('services:\n  # dockhooks: ignore=DH204\n  api:\n    image: a:1\n',
     (_missing('3:3', 'api'),)),
    ('services:\n  # dockhooks: ignore=DH999\n  api:\n    image: a:1\n',
     (_missing('3:3', 'api'),  # the pragma's own finding comes after the file's findings
      "2:23: DH002 unknown code 'DH999' in a dockhooks pragma; `dockhooks rules` lists the "
      'codes')),
)


@pytest.mark.parametrize(('src', 'expected'), CASES)
def test_read_only(src, expected, clean_cwd, capsys):
    assert_findings(main, clean_cwd / 'compose.yaml', capsys, src, expected)


def test_exempt_services(clean_cwd, capsys):
    path = clean_cwd / 'compose.yaml'
    path.write_text('services:\n  db:\n    image: p:1\n  web:\n    image: n:1\n'
                    '  cache:\n    image: r:1\n    read_only: false\n')
    assert main([str(path), '--exempt-services', 'db', '--exempt-services', 'cache']) == 1
    assert capsys.readouterr().out.splitlines() == [f'{path}:' + _missing('4:3', 'web')]


def test_override_file_judges_what_it_writes(clean_cwd, capsys):
    # an override service is merged over the base file's: a missing key is the base file's
    # finding, a false it writes is its own
    (clean_cwd / 'compose.yaml').write_text('services:\n  api:\n    image: a:1\n'
                                            '  web:\n    image: n:1\n')
    path = clean_cwd / 'compose.override.yaml'
    path.write_text('services:\n  api:\n    build: .\n  web:\n    read_only: false\n')
    assert main([str(path)]) == 1
    assert capsys.readouterr().out.splitlines() == [f'{path}:' + _false('5:5',
                                                                        'service web sets')]


@pytest.mark.parametrize(('src', 'expected'), (
    # the paths a well-known image writes to, for tmpfs:
    ('services:\n  db:\n    image: postgres:16\n',
     (_missing('2:3', 'db', '/var/run/postgresql, /tmp'),)),
    ('services:\n  web:\n    image: docker.io/library/nginx:1.27-alpine\n',
     (_missing('2:3', 'web', '/var/cache/nginx, /var/run, /tmp'),)),
    # a service only built (its image is a base for another), or synced by compose watch
    ('services:\n  prebuild:\n    build: .\n    image: app-base\n    entrypoint: /bin/bash\n', ()),
    ('services:\n  web:\n    build: .\n    develop:\n      watch:\n'
     '        - action: sync\n          path: ./src\n          target: /app/src\n', ()),
    # a service extending another of the file: told once, at the service it extends
    ('services:\n  base:\n    image: a:1\n  api:\n    extends: base\n',
     (_missing('2:3', 'base'),)),
    ('services:\n  base:\n    image: a:1\n    read_only: true\n  api:\n    extends: base\n', ()),
))
def test_what_a_read_only_root_needs(src, expected, clean_cwd, capsys):
    assert_findings(main, clean_cwd / 'compose.yaml', capsys, src, expected)


def test_an_override_file_without_its_base_holds_fragments(clean_cwd, capsys):
    # copied into place by a script next to a base that lives elsewhere: its services are
    # completed there (DefectDojo's docker-compose.override.*.yml)
    assert_findings(main, clean_cwd / 'docker-compose.override.prod.yml', capsys,
                    'services:\n  uwsgi:\n    build: {target: release}\n'
                    '  nginx:\n    read_only: false\n',
                    (_false('5:5', 'service nginx sets'),))


def test_an_extends_of_another_file_is_told_where_it_is_written(clean_cwd, capsys):
    # Compose reads `extends: {file:}` relative to the file; the base's finding covers the
    # services that extend it, which inherit a read_only: true added there
    (clean_cwd / 'docker-compose-base.yml').write_text('services:\n  app:\n    image: a:1\n')
    assert_findings(main, clean_cwd / 'docker-compose-more.yml', capsys,
                    'services:\n  app:\n    extends:\n      file: docker-compose-base.yml\n'
                    '      service: app\n    environment:\n      A: "1"\n', ())
    # a base in a file that is not judged (no compose file name, or a test fixture): the
    # service that extends it is reported
    (clean_cwd / 'common-services.yml').write_text('services:\n  app:\n    image: a:1\n')
    assert_findings(main, clean_cwd / 'compose.yaml', capsys,
                    'services:\n  app:\n    extends:\n      file: common-services.yml\n'
                    '      service: app\n',
                    (_missing('2:3', 'app'),))
    (clean_cwd / 'tests').mkdir()
    (clean_cwd / 'tests' / 'compose.yaml').write_text('services:\n  app:\n    image: a:1\n')
    assert_findings(main, clean_cwd / 'compose.prod.yaml', capsys,
                    'services:\n  app:\n    extends:\n      file: tests/compose.yaml\n'
                    '      service: app\n',
                    (_missing('2:3', 'app'),))
