from __future__ import annotations

import pytest
from dockhooks.compose_resource_limits import main
from hookrun import assert_findings


def _none(pos: str, service: str) -> str:
    return (f'{pos}: DH204 service {service} has no CPU and memory limit, so a leak can take '
            f'the whole machine; set deploy: resources: limits: cpus: and memory: to its peak '
            f'use with some headroom (docker stats shows it)')


def _one(pos: str, service: str, there: str, where: str, missing: str, fix: str) -> str:
    return (f'{pos}: DH204 service {service} has a {there} limit ({where}) but no {missing} '
            f'limit, so a runaway process can still take the whole machine; {fix}')


NO_CPU = 'add cpus: "<cores>" to deploy: resources: limits:'
NO_MEM = 'add memory: <size> to deploy: resources: limits:'
LIMITS = '    deploy:\n      resources:\n        limits:\n'

CASES = (
    # no limits at all
    ('services:\n  worker:\n    image: example/worker:2.1.0\n', (_none('2:3', 'worker'),)),
    # both, in deploy.resources.limits or with the older keys, or mixed
    ('services:\n  worker:\n    image: w:1\n' + LIMITS + '          cpus: "1.0"\n'
     '          memory: 512M\n', ()),
    ('services:\n  worker:\n    image: w:1\n    cpus: 0.5\n    mem_limit: 256m\n', ()),
    ('services:\n  worker:\n    image: w:1\n    cpus: 0.5\n' + LIMITS + '          memory: 1G\n',
     ()),
    # docker+awesome-compose/minecraft/compose.yaml: a memory limit and no CPU limit
    ('services:\n minecraft:\n   image: itzg/minecraft-server\n   deploy:\n     resources:\n'
     '       limits:\n         memory: 1.5G\n',
     (_one('2:2', 'minecraft', 'memory', 'line 7', 'CPU', NO_CPU),)),
    ('services:\n  worker:\n    image: w:1\n' + LIMITS + '          cpus: "1.0"\n',
     (_one('2:3', 'worker', 'CPU', 'line 7', 'memory', NO_MEM),)),
    # the older keys: the fix uses them too
    ('services:\n  worker:\n    image: w:1\n    mem_limit: 1g\n',
     (_one('2:3', 'worker', 'memory', 'line 4', 'CPU', 'add cpus: "<cores>" next to mem_limit:'),)),
    ('services:\n  worker:\n    image: w:1\n    cpus: 2\n',
     (_one('2:3', 'worker', 'CPU', 'line 4', 'memory', 'add mem_limit: <size> next to cpus:'),)),
    # reservations and mem_reservation are not limits
    ('services:\n  worker:\n    image: w:1\n    mem_reservation: 256m\n    deploy:\n'
     '      resources:\n        reservations:\n          cpus: "0.5"\n          memory: 256M\n',
     (_none('2:3', 'worker'),)),
    # a limit of 0 is no limit
    ('services:\n  worker:\n    image: w:1\n    cpus: 0\n    mem_limit: 1g\n',
     (_one('2:3', 'worker', 'memory', 'line 5', 'CPU', 'add cpus: "<cores>" next to mem_limit:'),)),
    # interpolation: a default, or a variable without one, sets the limit
    ('services:\n  worker:\n    image: w:1\n' + LIMITS + '          cpus: ${CPUS:-0.5}\n'
     '          memory: ${MEMORY}\n', ()),
    # merge keys: limits from an anchor count, a partial one points at the anchor
    ('x-limits: &limits\n  deploy:\n    resources:\n      limits: {cpus: "0.5", memory: 256M}\n'
     'services:\n  a:\n    <<: *limits\n    image: a:1\n  b:\n    image: b:1\n    <<: *limits\n',
     ()),
    ('x-limits: &limits\n  resources:\n    limits:\n      memory: 256M\n'
     'services:\n  a:\n    image: a:1\n    deploy: *limits\n  b:\n    image: b:1\n'
     '    deploy:\n      <<: *limits\n',
     (_one('6:3', 'a', 'memory', 'line 4', 'CPU', NO_CPU),
      _one('9:3', 'b', 'memory', 'line 4', 'CPU', NO_CPU))),
    # extends: inherited limits count; a partial one is said to be inherited
    ('services:\n  base:\n    image: w:1\n    cpus: 1\n    mem_limit: 1g\n'
     '  worker:\n    extends: base\n', ()),
    ('services:\n  base:\n    image: w:1\n    mem_limit: 1g\n    cpus: 1\n'
     '  worker:\n    extends: base\n    cpus: 0\n',
     (_one('6:3', 'worker', 'memory', 'inherited through extends', 'CPU',
           'add cpus: "<cores>" next to mem_limit:'),)),
    # several YAML documents: a later one adds the limits
    ('services:\n  worker:\n    image: w:1\n---\nservices:\n  worker:\n'
     + LIMITS + '          cpus: "1"\n          memory: 1G\n', ()),
    # x- extension fields are not services
    ('x-worker:\n  image: w:1\nservices: {}\n', ()),
    # zulip+docker-zulip/ci/memory/compose.yaml: a fragment (no image or build) that another
    # compose file completes is judged there
    ('services:\n  zulip:\n' + LIMITS + '          memory: 4000m\n', ()),
    # pragmas: above the service, for the file
    ('services:\n  # dockhooks: ignore=DH204 sized by the orchestrator\n  worker:\n'
     '    image: w:1\n  web:\n    image: n:1\n', (_none('5:3', 'web'),)),
    ('# dockhooks: ignore-file=DH204\nservices:\n  worker:\n    image: w:1\n', ()),
)


@pytest.mark.parametrize(('src', 'expected'), CASES)
def test_resource_limits(src, expected, clean_cwd, capsys):
    assert_findings(main, clean_cwd / 'compose.yaml', capsys, src, expected)


def test_exempt_services(clean_cwd, capsys):
    path = clean_cwd / 'compose.yaml'
    path.write_text('services:\n  db:\n    image: p:1\n  web:\n    image: n:1\n  job:\n'
                    '    image: j:1\n')
    assert main([str(path), '--exempt-services', 'db,job']) == 1
    assert capsys.readouterr().out.splitlines() == [f'{path}:' + _none('4:3', 'web')]


def test_override_services_are_judged_in_the_base_file(clean_cwd, capsys):
    # appwrite+appwrite/docker-compose.override.yml overrides services of
    # docker-compose.yml (Compose reads both): what both lack is reported in the base
    (clean_cwd / 'docker-compose.yml').write_text('services:\n  api:\n    image: a:1\n')
    path = clean_cwd / 'docker-compose.override.yml'
    path.write_text('services:\n  api:\n    build: .\n    ports: ["80:80"]\n'
                    '  adminer:\n    image: adminer:4.8.1\n')
    assert main([str(path)]) == 1
    assert capsys.readouterr().out.splitlines() == [f'{path}:' + _none('5:3', 'adminer')]


def test_a_service_extending_another_is_told_once(clean_cwd, capsys):
    assert_findings(main, clean_cwd / 'compose.yaml', capsys,
                    'services:\n  base:\n    image: a:1\n  api:\n    extends: base\n'
                    '  other:\n    extends: base\n' + LIMITS + '          cpus: "1"\n'
                    '          memory: 1G\n',
                    (_none('2:3', 'base'),))


@pytest.mark.parametrize(('src', 'expected'), (
    # a job another service waits to finish runs once and exits: not a long-running service
    ('services:\n  migrate:\n    image: m:1\n  api:\n    image: a:1\n' + LIMITS +
     '          cpus: "1"\n          memory: 1G\n'
     '    depends_on:\n      migrate:\n        condition: service_completed_successfully\n',
     ()),
    ('services:\n  dump:\n    image: mariadb:11\n    restart: "no"\n'
     '  db:\n    image: mariadb:11\n    restart: unless-stopped\n',
     (_none('5:3', 'db'),)),
    # ... a named job that nothing restarts
    ('services:\n  db-init:\n    image: busybox:1.36\n    command: cp -n /seed/x /data/\n', ()),
    # restart: "no" on every service says nothing restarts at boot (a development stack),
    # not that they exit
    ('services:\n  postgres:\n    image: postgres:16\n    restart: no\n'
     '  mailpit:\n    image: axllent/mailpit:v1.20\n    restart: "no"\n',
     (_none('2:3', 'postgres'), _none('5:3', 'mailpit'))),
    # a container without a network serves nothing: a job (a key generator) unless restarted
    ('services:\n  genkeys:\n    image: kibana:8.15.0\n    network_mode: none\n'
     '    command: bin/kibana-encryption-keys generate\n'
     '  keep:\n    image: app:1\n    network_mode: none\n    restart: always\n',
     (_none('6:3', 'keep'),)),
    # a job's name with a restart policy that keeps it up: a server (a setup wizard)
    ('services:\n  setup:\n    image: python:3.12\n    restart: on-failure\n'
     '    command: ["python3", "/app/server.py"]\n',
     (_none('2:3', 'setup'),)),
))
def test_one_shot_jobs(src, expected, clean_cwd, capsys):
    assert_findings(main, clean_cwd / 'compose.yaml', capsys, src, expected)


@pytest.mark.parametrize(('base', 'base_text', 'extra', 'expected'), (
    # Compose reads `extends: {file:}` relative to the file; a limit added at the base is
    # inherited by every service extending it
    ('docker-compose.yml', 'image: z:1\n', '', ()),
    # ... unless the base lives in a file no rule judges, or is a job
    ('common.yml', 'image: z:1\n', '', (_none('2:3', 'zipkin'),)),
    ('compose.jobs.yaml', 'image: z:1\n    command: ["true"]\n    restart: "no"\n'
     '  web:\n    image: w:1\n    restart: always\n', '    restart: always\n',
     (_none('2:3', 'zipkin'),)),
))
def test_an_extends_of_another_file_is_told_where_it_is_written(base, base_text, extra,
                                                                 expected, clean_cwd, capsys):
    (clean_cwd / base).write_text('services:\n  zipkin:\n    ' + base_text)
    assert_findings(main, clean_cwd / 'compose.prod.yml', capsys,
                    f'services:\n  zipkin:\n    extends:\n      file: {base}\n'
                    f'      service: zipkin\n{extra}', expected)
