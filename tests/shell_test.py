from __future__ import annotations

import pytest
from dockhooks._fileops import removes_paths
from dockhooks._shell import Command
from dockhooks._shell import PackageOp
from dockhooks._shell import package_name
from dockhooks._shell import package_ops
from dockhooks._shell import split_commands
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

Argvs = list[tuple[str, ...]]
Op = tuple[str, str, str, tuple[str, ...], tuple[str, ...]]


def argvs(script: str) -> Argvs:
    return [c.argv for c in split_commands(script)]


def ops(script: str) -> list[Op]:
    return [(o.manager, o.tool, o.action, o.packages, o.options)
            for o in package_ops(split_commands(script))]


# --------------------------------------------------------------------------- splitting

SPLIT_CASES: list[tuple[str, Argvs]] = [
    ('apt-get update && apt-get install -y curl',  # &&
     [('apt-get', 'update'), ('apt-get', 'install', '-y', 'curl')]),
    ('a || b; c | d & e |& f',  # every list and pipeline operator
     [('a',), ('b',), ('c',), ('d',), ('e',), ('f',)]),
    ('a\nb\n\nc',  # newlines separate commands
     [('a',), ('b',), ('c',)]),
    ('a&&b;c',  # operators need no spaces
     [('a',), ('b',), ('c',)]),
    ('echo "a && b; c" \'d | e\'',  # operators inside quotes are text
     [('echo', 'a && b; c', 'd | e')]),
    ('echo a\\;b \\&\\& c',  # escaped operators are text
     [('echo', 'a;b', '&&', 'c')]),
    ('echo "x"y\'z\' "a\\"b" \'a\\b\'',  # quote removal: adjacent parts join, escapes in "..."
     [('echo', 'xyz', 'a"b', 'a\\b')]),
    ('echo "$(cat /etc/os-release | grep ID)" `uname -m` ${A:-"x y"}',  # substitutions: one word
     [('echo', '$(cat /etc/os-release | grep ID)', '`uname -m`', '${A:-"x y"}')]),
    ('echo $((1 + 2)) $\'a\\tb\'',  # arithmetic expansion and ANSI-C quoting
     [('echo', '$((1 + 2))', 'a\tb')]),
    ('set -eux; cd /app',  # set -eux stays a command
     [('set', '-eux'), ('cd', '/app')]),
    ('echo a # && rm -rf /',  # a comment runs to the end of the line
     [('echo', 'a')]),
    ('echo a#b "#c" #d\necho e',  # '#' starts a comment only at a word start
     [('echo', 'a#b', '#c'), ('echo', 'e')]),
    ('DEBIAN_FRONTEND=noninteractive TZ=UTC apt-get install -y tzdata',  # assignments dropped
     [('apt-get', 'install', '-y', 'tzdata')]),
    ('savedAptMark="$(apt-mark showmanual)"; arr=(a b) ; x+=1',  # assignment-only: no command
     []),
    ('"A=1" cmd B=2',  # a quoted assignment is a command word; later assignments are arguments
     [('A=1', 'cmd', 'B=2')]),
    ('export DEBIAN_FRONTEND=noninteractive',  # export is a command
     [('export', 'DEBIAN_FRONTEND=noninteractive')]),
    ('make > /tmp/log 2>&1 < /dev/null; cat <<< "x" >> f &> g',  # redirections and targets dropped
     [('make',), ('cat',)]),
    ('echo a>b 2>/dev/null', [('echo', 'a')]),  # redirection glued to a word
    ('( cd /src && make ) && { make install; } > log',  # subshell and group flattened
     [('cd', '/src'), ('make',), ('make', 'install')]),
    ('diff <(sort a) >(tee b) c',  # process substitution: one word
     [('diff', '<(sort a)', '>(tee b)', 'c')]),
    ('if [ -f a ]; then apt-get update; elif b; then c; else d; fi',  # if keywords dropped
     [('[', '-f', 'a', ']'), ('apt-get', 'update'), ('b',), ('c',), ('d',)]),
    ('if ! command -v curl; then apk add curl; fi',  # '!' dropped
     [('command', '-v', 'curl'), ('apk', 'add', 'curl')]),
    ('for p in gcc make; do apk add "$p"; done',  # the for header is not a command
     [('apk', 'add', '$p')]),
    ('for p in\\\n a b\ndo\n x $p\ndone | sort',  # multi-line for loop, piped
     [('x', '$p'), ('sort',)]),
    ('for ((i = 0; i < 3; i++)); do echo $i; done',  # C-style for header
     [('echo', '$i')]),
    ('while read -r l; do echo "$l"; done < f; until false; do :; done',  # while / until
     [('read', '-r', 'l'), ('echo', '$l'), ('false',), (':',)]),
    ('case "$(uname -m)" in x86_64|amd64) a=amd64; apk add x ;; (arm*) b ;; *) exit 1 ;; esac; z',
     # case: subject, patterns and keywords dropped
     [('apk', 'add', 'x'), ('b',), ('exit', '1'), ('z',)]),
    ('case $a in\n  x)\n    case $b in y) c ;; esac\n    ;;\n  *) d\nesac\ne',  # nested case
     [('c',), ('d',), ('e',)]),
    ('[[ -f a && $b == x* ]] && echo y',  # [[ ]] keeps its && and patterns
     [('[[', '-f', 'a', '&&', '$b', '==', 'x*', ']]'), ('echo', 'y')]),
    ('f() { apt-get update; }; function g { h; }; f',  # function definitions
     [('apt-get', 'update'), ('h',), ('f',)]),
    ('echo if then fi done',  # keywords are only keywords at command start
     [('echo', 'if', 'then', 'fi', 'done')]),
    ('sudo apt-get update',  # sudo
     [('apt-get', 'update')]),
    ('sudo -E -u discourse -H bundle install',  # sudo with options and their values
     [('bundle', 'install')]),
    ('sudo --user=app DEBUG=1 make',  # sudo --opt=value and assignments
     [('make',)]),
    ('sudo -l', [('sudo', '-l')]),  # sudo that runs nothing stays
    ('env -i PATH=/bin A=b apt-get install -y x',  # env with -i and assignments
     [('apt-get', 'install', '-y', 'x')]),
    ('env', [('env',)]),  # bare env prints the environment
    ('env - PATH=/bin make', [('make',)]),  # env - (same as -i)
    ('nice -n 10 make; nice -5 make',  # nice
     [('make',), ('make',)]),
    ('time -p make; time make',  # time
     [('make',), ('make',)]),
    ('nohup server &', [('server',)]),  # nohup
    ('command apt-get update; command -v apt-get',  # command runs; command -v only looks up
     [('apt-get', 'update'), ('command', '-v', 'apt-get')]),
    ('exec gosu app "$@"', [('$@',)]),  # exec, then gosu USER
    ('exec 3>&1', [('exec',)]),  # exec with only redirections
    ('cat pkgs | xargs apt-get install -y',  # xargs
     [('cat', 'pkgs'), ('apt-get', 'install', '-y')]),
    ('find / -name x | xargs -r -n 1 -I{} rm -rf {}',  # xargs with options
     [('find', '/', '-name', 'x'), ('rm', '-rf', '{}')]),
    ('xargs -0', [('xargs', '-0')]),  # xargs without a command stays
    ('sudo -u root env DEBIAN_FRONTEND=noninteractive nice apt-get update',  # nested wrappers
     [('apt-get', 'update')]),
    ('eatmydata apt-get update; timeout 30 curl x; su-exec app id',  # more wrappers
     [('apt-get', 'update'), ('curl', 'x'), ('id',)]),
    ('retry 3 apt-get update; travis_retry apt-get install -y x',  # retry wrappers
     [('apt-get', 'update'), ('apt-get', 'install', '-y', 'x')]),
    ('retry -t 5 -d 2 apk add y; stdbuf -oL ionice -c3 chronic yum install z',
     [('apk', 'add', 'y'), ('yum', 'install', 'z')]),
    ('retry 3', [('retry', '3')]),  # a count alone wraps no command
    ("sh -c 'apt-get update && apt-get install -y curl'",  # sh -c: recurse
     [('apt-get', 'update'), ('apt-get', 'install', '-y', 'curl')]),
    ('bash -euxo pipefail -c "set -x; pip install flask"',  # shell options before -c
     [('set', '-x'), ('pip', 'install', 'flask')]),
    ('/bin/bash -lc "a | b"', [('a',), ('b',)]),  # -c in a cluster, full path
    ("sudo sh -c 'echo x > /etc/y'", [('echo', 'x')]),  # wrapper then shell
    ('bash /tmp/install.sh x', [('bash', '/tmp/install.sh', 'x')]),  # script file: kept
    ('curl -fsSL https://x | sh -s -- -y',  # piped into sh: kept
     [('curl', '-fsSL', 'https://x'), ('sh', '-s', '--', '-y')]),
    ('su app -c "npm install -g x"; su -c \'id\' app',  # su -c: recurse
     [('npm', 'install', '-g', 'x'), ('id',)]),
    ('runuser -u app -- make', [('make',)]),  # runuser -u
    ("eval \"make -C /src '-j4'\"", [('make', '-C', '/src', '-j4')]),  # eval: recurse
    ('<<EOF\nset -e\napt-get update\nEOF',  # Docker's RUN <<EOF: the body is the script
     [('set', '-e'), ('apt-get', 'update')]),
    ('<<EOF bash\nA=1 apk add x\nEOF',  # RUN <<EOF bash
     [('apk', 'add', 'x')]),
    ('cat <<EOF > /etc/apt/sources.list\napt-get install nope\nEOF\napt-get update',
     # a heredoc given to cat is data
     [('cat',), ('apt-get', 'update')]),
    ('cat <<-"X" | sh\n\tdata\n\tX\necho after',  # <<- strips tabs; quoted delimiter
     [('cat',), ('sh',), ('echo', 'after')]),
    ('python3 <<EOF\nimport os\nEOF', [('python3',)]),  # heredoc for another interpreter
    ('sh <<A && cat <<B\nx1\nA\ny1\nB\nz',  # two heredocs on one line
     [('x1',), ('cat',), ('z',)]),
]


@pytest.mark.parametrize(('script', 'expected'), SPLIT_CASES)
def test_split_commands(script: str, expected: Argvs) -> None:
    assert argvs(script) == expected


TEXT_CASES: list[tuple[str, list[str]]] = [
    ('DEBIAN_FRONTEND=noninteractive apt-get install -y "gcc"',  # assignments kept, quotes gone
     ['DEBIAN_FRONTEND=noninteractive apt-get install -y gcc']),
    ('sudo -u app  npm   ci  > /dev/null',  # wrappers kept, single spaces, no redirection
     ['sudo -u app npm ci']),
    ("bash -c 'apt-get update'", ['apt-get update']),  # the inner command's own words
]


@pytest.mark.parametrize(('script', 'expected'), TEXT_CASES)
def test_command_text(script: str, expected: list[str]) -> None:
    assert [c.text for c in split_commands(script)] == expected


BAD_INPUT_CASES: list[tuple[str, Argvs]] = [
    ('', []),  # empty
    ('   \n\t ;; ;', []),  # only separators
    ('echo "unclosed && rm -rf /', [('echo', 'unclosed && rm -rf /')]),  # unclosed "
    ("echo 'unclosed; x", [('echo', 'unclosed; x')]),  # unclosed '
    ('echo $(unclosed; x', [('echo', '$(unclosed; x')]),  # unclosed $(
    ('echo `unclosed; x', [('echo', '`unclosed; x')]),  # unclosed backquote
    ('echo ${unclosed x', [('echo', '${unclosed x')]),  # unclosed ${
    ('fi; done; esac; } ) x', [('esac',), ('x',)]),  # stray closers (esac outside a case)
    ('case x in', []),  # truncated case
    ('case x', []),  # case without 'in'
    ('for x in a b', []),  # truncated for
    ('cat <<EOF\nno end', [('cat',)]),  # heredoc without its delimiter
    ('echo \\', [('echo', '\\')]),  # trailing backslash
    ('>', []),  # redirection without target or command
    ('sh -c', [('sh', '-c')]),  # -c without its script
    ('sudo', [('sudo',)]),  # wrapper without a command
    ('Write-Host (\'Downloading {0}\' -f $url); $x = 1',  # PowerShell: nonsense, no error
     [('Write-Host',), ('Downloading {0}', '-f', '$url'), ('$x', '=', '1')]),
]


@pytest.mark.parametrize(('script', 'expected'), BAD_INPUT_CASES)
def test_bad_input_is_read_best_effort(script: str, expected: Argvs) -> None:
    assert argvs(script) == expected


HOSTILE_INPUTS: list[str] = [
    '"$(' * 5000,  # deep unclosed substitutions in quotes
    '(' * 20000,  # deep parentheses
    'sh -c "sh -c \\"' * 300,  # deep nested shells
    'case x in ' * 3000,  # deep case
    '<<EOF\n' * 3000,  # many heredocs
    'sudo ' * 5000 + 'apt-get install x',  # long wrapper chain
]


@pytest.mark.parametrize('script', HOSTILE_INPUTS)
def test_hostile_input_does_not_raise(script: str) -> None:
    commands = split_commands(script)
    package_ops(commands)
    removes_paths(commands)


_SHELLISH = st.lists(
    st.sampled_from([
        *'ab -=$(){}[]\'"`\\;&|<>#\n\t!*',
        'apt-get ', 'install ', 'sh -c ', 'case ', ' in ', 'esac', 'if ', 'fi', 'for ', 'do ',
        '<<EOF\n', '\nEOF\n', 'sudo ', 'env ', 'xargs ', 'pip ', '-r ', 'uv pip ', '$((', '[[ ',
    ]),
    max_size=40,
).map(''.join)


@settings(max_examples=300, deadline=None)
@given(st.one_of(_SHELLISH, st.text(max_size=80)))
def test_never_raises(script: str) -> None:
    commands = split_commands(script)
    for command in commands:
        assert command.argv
        assert isinstance(command.text, str)
    for op in package_ops(commands):
        for package in op.packages:
            package_name(package)
    removes_paths(commands)


# --------------------------------------------------------------------------- package managers

PACKAGE_CASES: list[tuple[str, list[Op]]] = [
    # apt-get / apt / aptitude
    ('DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends gcc=4:12.2.0-3'
     ' libc6-dev:amd64',  # leading assignment, pins as written
     [('apt-get', 'apt-get', 'install', ('gcc=4:12.2.0-3', 'libc6-dev:amd64'),
       ('-y', '--no-install-recommends'))]),
    ('apt-get -o Dpkg::Options::="--force-confold" -t bookworm-backports -c apt.conf install -y'
     ' nginx',  # options with values before the verb
     [('apt-get', 'apt-get', 'install', ('nginx',),
       ('-o', 'Dpkg::Options::=--force-confold', '-t', 'bookworm-backports', '-c', 'apt.conf',
        '-y'))]),
    ('apt-get -qqy --target-release=sid install x',  # clustered flags, --opt=value
     [('apt-get', 'apt-get', 'install', ('x',), ('-qqy', '--target-release=sid'))]),
    ('apt update && apt install -y $PKGS',  # apt, variables kept
     [('apt-get', 'apt', 'update', (), ()), ('apt-get', 'apt', 'install', ('$PKGS',), ('-y',))]),
    ('aptitude install -y vim',  # aptitude
     [('apt-get', 'aptitude', 'install', ('vim',), ('-y',))]),
    ('apt-get purge -y --auto-remove gcc; apt-get remove x; apt-get autoremove -y',  # removals
     [('apt-get', 'apt-get', 'remove', ('gcc',), ('-y', '--auto-remove')),
      ('apt-get', 'apt-get', 'remove', ('x',), ()),
      ('apt-get', 'apt-get', 'remove', (), ('-y',))]),
    ('apt-get clean; apt-get dist-clean; apt-get autoclean',  # clean (autoclean is not)
     [('apt-get', 'apt-get', 'clean', (), ()), ('apt-get', 'apt-get', 'clean', (), ()),
      ('apt-get', 'apt-get', 'autoclean', (), ())]),
    ('apt-get -y dist-upgrade; apt-get upgrade',  # upgrades
     [('apt-get', 'apt-get', 'upgrade', (), ('-y',)), ('apt-get', 'apt-get', 'upgrade', (), ())]),
    ('apt-get build-dep -y postgresql',  # other verbs as written
     [('apt-get', 'apt-get', 'build-dep', ('postgresql',), ('-y',))]),
    ('apt-get --version', [('apt-get', 'apt-get', '', (), ('--version',))]),  # no sub-command
    # apk
    ('apk add --no-cache --virtual .build-deps gcc musl-dev',  # --virtual NAME is an option
     [('apk', 'apk', 'install', ('gcc', 'musl-dev'), ('--no-cache', '--virtual', '.build-deps'))]),
    ('apk add -t .deps -X http://dl-cdn/edge --repository=http://r x build-base@edge',  # -t, -X
     [('apk', 'apk', 'install', ('x', 'build-base@edge'),
       ('-t', '.deps', '-X', 'http://dl-cdn/edge', '--repository=http://r'))]),
    ('apk --update add curl; apk update; apk upgrade',  # options before the verb
     [('apk', 'apk', 'install', ('curl',), ('--update',)), ('apk', 'apk', 'update', (), ()),
      ('apk', 'apk', 'upgrade', (), ())]),
    ('apk del .build-deps; apk cache clean; apk cache purge',  # remove, clean
     [('apk', 'apk', 'remove', ('.build-deps',), ()), ('apk', 'apk', 'clean', (), ()),
      ('apk', 'apk', 'clean', (), ())]),
    # yum family
    ('yum -y install --setopt=tsflags=nodocs httpd && yum clean all',  # yum
     [('yum', 'yum', 'install', ('httpd',), ('-y', '--setopt=tsflags=nodocs')),
      ('yum', 'yum', 'clean', ('all',), ())]),
    ('dnf install -y --enablerepo crb gcc; dnf makecache; dnf update -y',  # update = upgrade
     [('yum', 'dnf', 'install', ('gcc',), ('-y', '--enablerepo', 'crb')),
      ('yum', 'dnf', 'update', (), ()), ('yum', 'dnf', 'upgrade', (), ('-y',))]),
    ('microdnf install -y tar; microdnf remove -y x; tdnf erase y',  # microdnf, tdnf
     [('yum', 'microdnf', 'install', ('tar',), ('-y',)),
      ('yum', 'microdnf', 'remove', ('x',), ('-y',)), ('yum', 'tdnf', 'remove', ('y',), ())]),
    ('yum groupinstall -y "Development Tools"; dnf group install x',  # group installs
     [('yum', 'yum', 'install', ('Development Tools',), ('-y',)),
      ('yum', 'dnf', 'install', ('x',), ())]),
    # zypper
    ('zypper --non-interactive in --no-recommends -r repo x; zypper ref; zypper cc -a',  # zypper
     [('zypper', 'zypper', 'install', ('x',), ('--non-interactive', '--no-recommends', '-r',
                                               'repo')),
      ('zypper', 'zypper', 'update', (), ()), ('zypper', 'zypper', 'clean', (), ('-a',))]),
    ('zypper rm x; zypper refresh; zypper clean --all; zypper up',  # long forms
     [('zypper', 'zypper', 'remove', ('x',), ()), ('zypper', 'zypper', 'update', (), ()),
      ('zypper', 'zypper', 'clean', (), ('--all',)), ('zypper', 'zypper', 'upgrade', (), ())]),
    # pip
    ('pip install -r requirements.txt',  # -r FILE is not a package
     [('pip', 'pip', 'install', (), ('-r', 'requirements.txt'))]),
    ('pip3 install --no-cache-dir -c c.txt -i https://pypi/simple --extra-index-url https://x'
     ' "flask[async]==3.0" gunicorn',  # value options
     [('pip', 'pip3', 'install', ('flask[async]==3.0', 'gunicorn'),
       ('--no-cache-dir', '-c', 'c.txt', '-i', 'https://pypi/simple', '--extra-index-url',
        'https://x'))]),
    ('pip install -e . --target /deps --index-url=https://i -rreq.txt',  # -e PATH, --target DIR
     [('pip', 'pip', 'install', (), ('-e', '.', '--target', '/deps', '--index-url=https://i',
                                    '-rreq.txt'))]),
    ('python3 -m pip install -U pip; python -m pip uninstall -y x',  # python -m pip
     [('pip', 'python3', 'install', ('pip',), ('-U',)),
      ('pip', 'python', 'remove', ('x',), ('-y',))]),
    ('/usr/local/bin/pip install x; pip3.11 install y',  # path and versioned names
     [('pip', 'pip', 'install', ('x',), ()), ('pip', 'pip3.11', 'install', ('y',), ())]),
    ('uv pip install --system -p 3.12 -r req.txt flask',  # uv pip is pip
     [('pip', 'uv', 'install', ('flask',), ('--system', '-p', '3.12', '-r', 'req.txt'))]),
    ('pip cache purge; pip download x -d /w',  # clean, other verbs
     [('pip', 'pip', 'clean', (), ()), ('pip', 'pip', 'download', ('x',), ('-d', '/w'))]),
    ('python3 setup.py install; python -c "import pip"', []),  # python without -m pip
    # node
    ('npm ci; npm i -g npm@10; npm install --omit dev',  # npm
     [('npm', 'npm', 'ci', (), ()), ('npm', 'npm', 'install', ('npm@10',), ('-g',)),
      ('npm', 'npm', 'install', (), ('--omit', 'dev'))]),
    ('npm cache clean --force; npm run build -- --prod',  # npm clean; args after --
     [('npm', 'npm', 'clean', (), ('--force',)),
      ('npm', 'npm', 'run', ('build',), ('--', '--prod'))]),
    ('yarn; yarn install --frozen-lockfile; yarn --production',  # bare yarn = install
     [('yarn', 'yarn', 'install', (), ()),
      ('yarn', 'yarn', 'install', (), ('--frozen-lockfile',)),
      ('yarn', 'yarn', 'install', (), ('--production',))]),
    ('yarn global add @vue/cli; yarn cache clean; yarn build',  # yarn global, clean, scripts
     [('yarn', 'yarn', 'install', ('@vue/cli',), ()), ('yarn', 'yarn', 'clean', (), ()),
      ('yarn', 'yarn', 'build', (), ())]),
    ('pnpm install --frozen-lockfile; pnpm fetch --prod; pnpm add -D x',  # pnpm
     [('pnpm', 'pnpm', 'install', (), ('--frozen-lockfile',)),
      ('pnpm', 'pnpm', 'fetch', (), ('--prod',)), ('pnpm', 'pnpm', 'install', ('x',), ('-D',))]),
    # ruby, php
    ('gem install bundler -v 2.4.22 --no-document; gem update --system',  # gem
     [('gem', 'gem', 'install', ('bundler',), ('-v', '2.4.22', '--no-document')),
      ('gem', 'gem', 'upgrade', (), ('--system',))]),
    ('bundle install --jobs 4; bundle; bundle config set without dev',  # bundle
     [('bundle', 'bundle', 'install', (), ('--jobs', '4')), ('bundle', 'bundle', 'install', (), ()),
      ('bundle', 'bundle', 'config', ('set', 'without', 'dev'), ())]),
    ('composer install --no-dev -o -d /app; composer clear-cache',  # composer
     [('composer', 'composer', 'install', (), ('--no-dev', '-o', '-d', '/app')),
      ('composer', 'composer', 'clean', (), ())]),
    # go, rust
    ('go mod download && go build -ldflags "-s -w" -o /app ./cmd/app',  # go
     [('go', 'go', 'mod', ('download',), ()),
      ('go', 'go', 'build', ('./cmd/app',), ('-ldflags', '-s -w', '-o', '/app'))]),
    ('go install -trimpath golang.org/x/tools/gopls@v0.15.0',  # go install
     [('go', 'go', 'install', ('golang.org/x/tools/gopls@v0.15.0',), ('-trimpath',))]),
    ('cargo build --release --target x86_64-unknown-linux-musl; cargo fetch',  # cargo
     [('cargo', 'cargo', 'build', (), ('--release', '--target', 'x86_64-unknown-linux-musl')),
      ('cargo', 'cargo', 'fetch', (), ())]),
    ('cargo install --locked --root /usr/local ripgrep',  # cargo install
     [('cargo', 'cargo', 'install', ('ripgrep',), ('--locked', '--root', '/usr/local'))]),
    # python project managers
    ('poetry install --no-root --only main; poetry add x',  # poetry
     [('poetry', 'poetry', 'install', (), ('--no-root', '--only', 'main')),
      ('poetry', 'poetry', 'install', ('x',), ())]),
    ('pipenv install --system --deploy; pipenv sync',  # pipenv
     [('pipenv', 'pipenv', 'install', (), ('--system', '--deploy')),
      ('pipenv', 'pipenv', 'sync', (), ())]),
    ('uv sync --frozen --no-dev --group test; uv cache clean; uv add x',  # uv
     [('uv', 'uv', 'sync', (), ('--frozen', '--no-dev', '--group', 'test')),
      ('uv', 'uv', 'clean', (), ()), ('uv', 'uv', 'install', ('x',), ())]),
    # conda
    ('conda install -y -c conda-forge numpy=1.26 && conda clean -afy',  # conda
     [('conda', 'conda', 'install', ('numpy=1.26',), ('-y', '-c', 'conda-forge')),
      ('conda', 'conda', 'clean', (), ('-afy',))]),
    ('mamba install -yc conda-forge x; micromamba create -n env -f env.yml',  # mamba, micromamba
     [('conda', 'mamba', 'install', ('x',), ('-yc', 'conda-forge')),
      ('conda', 'micromamba', 'create', (), ('-n', 'env', '-f', 'env.yml'))]),
    # through wrappers and shells
    ('sudo -E apt-get install -y x; bash -c "pip install y"',  # recognised after unwrapping
     [('apt-get', 'apt-get', 'install', ('x',), ('-y',)), ('pip', 'pip', 'install', ('y',), ())]),
    ('echo apt-get install x; apt-cache policy x; dpkg -i x.deb', []),  # not package managers
]


@pytest.mark.parametrize(('script', 'expected'), PACKAGE_CASES)
def test_package_ops(script: str, expected: list[Op]) -> None:
    assert ops(script) == expected


def test_package_op_keeps_its_command() -> None:
    commands = split_commands('set -e; sudo apt-get install -y x')
    assert package_ops(commands) == [PackageOp(
        'apt-get', 'apt-get', 'install', ('x',), ('-y',),
        Command(('apt-get', 'install', '-y', 'x'), 'sudo apt-get install -y x'),
    )]


PACKAGE_NAME_CASES: list[tuple[str, str]] = [
    ('gcc=4:12.2.0-3', 'gcc'),  # apt pin
    ('libc6-dev:amd64', 'libc6-dev'),  # apt architecture
    ('gcc-12', 'gcc-12'),  # a version in the name stays
    ('flask[async]==3.0', 'flask'),  # pip extras and pin
    ('requests>=2,<3', 'requests'),  # pip range
    ('numpy~=1.26', 'numpy'),  # pip compatible release
    ("pywin32; sys_platform == 'win32'", 'pywin32'),  # pip marker
    ('build-base@edge', 'build-base'),  # apk repository tag
    ('su-exec>=0.2', 'su-exec'),  # apk constraint
    ('python3~3.11', 'python3'),  # apk fuzzy version
    ('npm@10', 'npm'),  # npm version
    ('@angular/cli@17', '@angular/cli'),  # npm scoped package
    ('rails:7.1', 'rails'),  # gem version
    ('conda-forge::numpy=1.26', 'numpy'),  # conda channel and version
    ('laravel/installer', 'laravel/installer'),  # composer vendor/package
    ('postgresql-$PG_MAJOR=$PG_VERSION', 'postgresql-$PG_MAJOR'),  # variables in the name
    ('${PKG:-gcc}=1.0', '${PKG:-gcc}'),  # ${...} is not split
    ('$PKGS', '$PKGS'),  # a variable stays
    ('./app[dev]', './app'),  # a path loses its extras
    ('git+https://github.com/x/y.git@v1', 'git+https://github.com/x/y.git@v1'),  # URL as is
    ('', ''),  # empty
]


@pytest.mark.parametrize(('spec', 'expected'), PACKAGE_NAME_CASES)
def test_package_name(spec: str, expected: str) -> None:
    assert package_name(spec) == expected


REMOVES_CASES: list[tuple[str, list[str]]] = [
    ('rm -rf /var/lib/apt/lists/* /tmp/*',  # globs kept as written
     ['/var/lib/apt/lists/*', '/tmp/*']),
    ('apt-get update && rm -r -f -- -odd "$HOME/.cache" && /bin/rm x',  # -- and full path
     ['-odd', '$HOME/.cache', 'x']),
    ("sh -c 'rm -rf /root/.npm'; sudo rm /a", ['/root/.npm', '/a']),  # through shell and sudo
    ('echo rm -rf /x; rmdir /y; rm -rf', []),  # not rm commands, or no operand
    ('find /var/cache/apt /tmp -type f -delete',  # find -delete: its starting points
     ['/var/cache/apt', '/tmp']),
    ('find /usr -name "*.pyc" -exec rm -f {} +', ['/usr']),  # find -exec rm
    ('find / -name x -print', []),  # find that removes nothing
]


@pytest.mark.parametrize(('script', 'expected'), REMOVES_CASES)
def test_removes_paths(script: str, expected: list[str]) -> None:
    assert removes_paths(split_commands(script)) == expected


# --------------------------------------------------------------------------- real RUN lines
# Continuation lines joined (backslash-newline -> space), as Docker passes them to the shell.

CORPUS_SPLIT_CASES: list[tuple[str, Argvs]] = [
    ('apt-get update && apt-get install -y  \tnetcat  \t--no-install-recommends  \t&& rm -rf'
     ' /var/lib/apt/lists/*',  # jessfraz+dockerfiles/netcat/Dockerfile:4
     [('apt-get', 'update'), ('apt-get', 'install', '-y', 'netcat', '--no-install-recommends'),
      ('rm', '-rf', '/var/lib/apt/lists/*')]),
    ('set -eux;  \tgroupadd -r -g 999 redis;  \tuseradd -r -g redis -u 999 redis',
     # docker-library+redis/7.4-rc/debian/Dockerfile:10
     [('set', '-eux'), ('groupadd', '-r', '-g', '999', 'redis'),
      ('useradd', '-r', '-g', 'redis', '-u', '999', 'redis')]),
    ('set -eux;  \tfor src in idle3 pip3 pydoc3 python3 python3-config; do  \t\tdst="$(echo "$src"'
     ' | tr -d 3)";  \t\t[ -s "/usr/local/bin/$src" ];  \t\t[ ! -e "/usr/local/bin/$dst" ];  \t\t'
     'ln -svT "$src" "/usr/local/bin/$dst";  \tdone',
     # docker-library+python/3.13/slim-bookworm/Dockerfile:143
     [('set', '-eux'), ('[', '-s', '/usr/local/bin/$src', ']'),
      ('[', '!', '-e', '/usr/local/bin/$dst', ']'),
      ('ln', '-svT', '$src', '/usr/local/bin/$dst')]),
    ('GOOS=${TARGETOS} GOARCH=${TARGETARCH} CGO_ENABLED=0 go build -ldflags="-s -w"'
     ' -gcflags="${SKAFFOLD_GO_GCFLAGS}" -o /go/bin/frontend .',
     # GoogleCloudPlatform+microservices-demo/src/frontend/Dockerfile:30
     [('go', 'build', '-ldflags=-s -w', '-gcflags=${SKAFFOLD_GO_GCFLAGS}', '-o',
       '/go/bin/frontend', '.')]),
    ('set -eux;  \t{  \t\techo \'opcache.memory_consumption=128\';  \t\techo'
     ' \'opcache.revalidate_freq=2\';  \t} > "$PHP_INI_DIR/conf.d/opcache-recommended.ini"',
     # docker-library+wordpress/beta/php8.2/apache/Dockerfile (opcache block, shortened)
     [('set', '-eux'), ('echo', 'opcache.memory_consumption=128'),
      ('echo', 'opcache.revalidate_freq=2')]),
    ('cd /var/www/discourse &&     sudo -u discourse bundle install --jobs $(nproc --ignore=1)'
     ' &&     sudo -E -u discourse -H /bin/bash -c \'CI=1 pnpm install\'',
     # discourse+discourse_docker/image/discourse_test/Dockerfile:44
     [('cd', '/var/www/discourse'), ('bundle', 'install', '--jobs', '$(nproc --ignore=1)'),
      ('pnpm', 'install')]),
    ('set -eux;  \tarch="$(uname -m)";  \tcase "$arch" in  \t\taarch64) gosuArch=\'arm64\' ;;'
     '  \t\tx86_64) gosuArch=\'amd64\' ;;  \t\t*) echo >&2 "error: unsupported architecture:'
     ' \'$arch\'"; exit 1 ;;  \tesac;  \tgosu --version;  \tgosu nobody true',
     # docker-library+mysql/8.4/Dockerfile.oracle:16 (shortened)
     [('set', '-eux'), ('echo', "error: unsupported architecture: '$arch'"), ('exit', '1'),
      ('gosu', '--version'), ('true',)]),
    ('<<EOF\n  group_flags=""\n  for group in $(echo "$install_groups" | tr \',\' \' \'); do\n'
     '    if [ "$group" != "main" ]; then\n      group_flags="$group_flags --group $group"\n'
     '    fi\n  done\n  uv sync $UV_OPTIONS $group_flags\nEOF',
     # getredash+redash/Dockerfile:118
     [('[', '$group', '!=', 'main', ']'), ('uv', 'sync', '$UV_OPTIONS', '$group_flags')]),
    ('if [ "${INSTALL_AZURE_CLI}" = "true" ]; then bash /tmp/library-scripts/azcli-debian.sh; fi'
     '      && if [ "${INSTALL_DOCKER}" = "true" ]; then          bash /tmp/x.sh "true";'
     '      else          echo \'#!/bin/bash\\n"$@"\' > /usr/local/share/docker-init.sh &&'
     ' chmod +x /usr/local/share/docker-init.sh;      fi      && rm -rf /var/lib/apt/lists/*',
     # microsoft+vscode-dev-containers/containers/azure-ansible/.devcontainer/Dockerfile:32
     [('[', '${INSTALL_AZURE_CLI}', '=', 'true', ']'),
      ('bash', '/tmp/library-scripts/azcli-debian.sh'),
      ('[', '${INSTALL_DOCKER}', '=', 'true', ']'), ('bash', '/tmp/x.sh', 'true'),
      ('echo', '#!/bin/bash\\n"$@"'), ('chmod', '+x', '/usr/local/share/docker-init.sh'),
      ('rm', '-rf', '/var/lib/apt/lists/*')]),
    ('curl -sSf https://sh.rustup.rs | sh -s -- -y --no-modify-path --default-toolchain stable'
     ' --profile minimal',  # element-hq+synapse/docker/Dockerfile:80
     [('curl', '-sSf', 'https://sh.rustup.rs'),
      ('sh', '-s', '--', '-y', '--no-modify-path', '--default-toolchain', 'stable', '--profile',
       'minimal')]),
    ('set -eux;  \tnproc="$(nproc)";  \teval "make -C /usr/src/haproxy -j \'$nproc\' all'
     ' $makeOpts"',  # docker-library+haproxy/3.3/Dockerfile:38 (eval line)
     [('set', '-eux'), ('make', '-C', '/usr/src/haproxy', '-j', '$nproc', 'all', '$makeOpts')]),
    ('find /usr/local -type f -executable -exec ldd \'{}\' \';\'  \t\t| awk \'/=>/ { so = $(NF-1);'
     ' printf "*%s\\n", so }\'  \t\t| sort -u  \t\t| xargs -r dpkg-query --search  \t\t| cut -d:'
     ' -f1  \t\t| sort -u  \t\t| xargs -r apt-mark manual',
     # docker-library+haproxy/3.3/Dockerfile:38 (shortened pipeline)
     [('find', '/usr/local', '-type', 'f', '-executable', '-exec', 'ldd', '{}', ';'),
      ('awk', '/=>/ { so = $(NF-1); printf "*%s\\n", so }'), ('sort', '-u'),
      ('dpkg-query', '--search'), ('cut', '-d:', '-f1'), ('sort', '-u'),
      ('apt-mark', 'manual')]),
]


@pytest.mark.parametrize(('script', 'expected'), CORPUS_SPLIT_CASES)
def test_corpus_split(script: str, expected: Argvs) -> None:
    assert argvs(script) == expected


CORPUS_PACKAGE_CASES: list[tuple[str, list[Op]]] = [
    ('set -xe   && apk add --no-cache python3 py3-pip   && pip3 config set'
     ' global.break-system-packages true   && pip3 install visidata   && visidata --version',
     # vimagick+dockerfiles/visidata/Dockerfile:8
     [('apk', 'apk', 'install', ('python3', 'py3-pip'), ('--no-cache',)),
      ('pip', 'pip3', 'config', ('set', 'global.break-system-packages', 'true'), ()),
      ('pip', 'pip3', 'install', ('visidata',), ())]),
    ('apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install --allow-unauthenticated'
     ' --yes --no-install-recommends clickhouse-client tzdata      && env'
     ' DEBIAN_FRONTEND=noninteractive          apt-get install --yes x && apt-get clean',
     # laradock+laradock/clickhouse/Dockerfile:6 (shortened)
     [('apt-get', 'apt-get', 'update', (), ()),
      ('apt-get', 'apt-get', 'install', ('clickhouse-client', 'tzdata'),
       ('--allow-unauthenticated', '--yes', '--no-install-recommends')),
      ('apt-get', 'apt-get', 'install', ('x',), ('--yes',)),
      ('apt-get', 'apt-get', 'clean', (), ())]),
    ('dnf install --disableplugin=subscription-manager --setopt=install_weak_deps=0'
     ' --setopt=tsflags=nodocs --allowerasing -y      ca-certificates      curl      jq      &&'
     ' dnf clean --disableplugin=subscription-manager all      && /usr/bin/jdk-download.sh',
     # jenkinsci+docker/rhel/Dockerfile:12
     [('yum', 'dnf', 'install', ('ca-certificates', 'curl', 'jq'),
       ('--disableplugin=subscription-manager', '--setopt=install_weak_deps=0',
        '--setopt=tsflags=nodocs', '--allowerasing', '-y')),
      ('yum', 'dnf', 'clean', ('all',), ('--disableplugin=subscription-manager',))]),
    ('uv pip install --prefix="/install" --no-deps -r /synapse/requirements.txt',
     # element-hq+synapse/docker/Dockerfile:93
     [('pip', 'uv', 'install', (), ('--prefix=/install', '--no-deps', '-r',
                                   '/synapse/requirements.txt'))]),
    ('set -eux;  \tapt-get install --update -y --no-install-recommends  \t\tca-certificates  \t\t'
     'socat  \t;  \tapt-get dist-clean',  # docker-library+haproxy/3.3/Dockerfile:10
     [('apt-get', 'apt-get', 'install', ('ca-certificates', 'socat'),
       ('--update', '-y', '--no-install-recommends')),
      ('apt-get', 'apt-get', 'clean', (), ())]),
    ('set -eux;  \tmicrodnf install -y  \t\tbzip2  \t\tgzip  \t\topenssl  \t;  \tmicrodnf clean'
     ' all',  # docker-library+mysql/8.4/Dockerfile.oracle:34 (shortened)
     [('yum', 'microdnf', 'install', ('bzip2', 'gzip', 'openssl'), ('-y',)),
      ('yum', 'microdnf', 'clean', ('all',), ())]),
    ('<<EOF\napk update\napk add git\nEOF',  # docker+awesome-compose/vuejs/vuejs/Dockerfile:15
     [('apk', 'apk', 'update', (), ()), ('apk', 'apk', 'install', ('git',), ())]),
    ('yarn global add @vue/cli',  # docker+awesome-compose/vuejs/vuejs/Dockerfile:9
     [('yarn', 'yarn', 'install', ('@vue/cli',), ())]),
    ('set -ex;  \t \tfetchDeps=\'  \t\twget  \t\';  \tapt-get update;  \tapt-get install -y'
     ' --no-install-recommends $fetchDeps;  \trm -rf /var/lib/apt/lists/*;  \tgosu nobody true;'
     '  \t \tapt-get purge -y --auto-remove $fetchDeps',
     # jessfraz+dockerfiles/unifi/Dockerfile:44 (shortened)
     [('apt-get', 'apt-get', 'update', (), ()),
      ('apt-get', 'apt-get', 'install', ('$fetchDeps',), ('-y', '--no-install-recommends')),
      ('apt-get', 'apt-get', 'remove', ('$fetchDeps',), ('-y', '--auto-remove'))]),
    ('apt-get update -qq &&    apt-cache depends --recurse curl gosu | grep \'^\\w\' >'
     ' /tmp/pkg-list &&    for arch in arm64 amd64; do      mkdir -p /tmp/debs-${arch} &&'
     '      cd /tmp/debs-${arch} &&      apt-get -o APT::Architecture="${arch}" download'
     ' $(cat /tmp/pkg-list);    done',  # element-hq+synapse/docker/Dockerfile:133 (shortened)
     [('apt-get', 'apt-get', 'update', (), ('-qq',)),
      ('apt-get', 'apt-get', 'download', ('$(cat /tmp/pkg-list)',),
       ('-o', 'APT::Architecture=${arch}'))]),
    ('set -ex      && apt-get update      && curl -sSL https://deb.nodesource.com/setup_10.x |'
     ' bash -      && npm install --production      && npm cache clean      && apt-get remove'
     ' -y build-essential      && rm -rf /tmp/npm*                /var/cache/apt/*',
     # vimagick+dockerfiles/nodebb/Dockerfile.debian:17 (shortened)
     [('apt-get', 'apt-get', 'update', (), ()),
      ('npm', 'npm', 'install', (), ('--production',)),
      ('npm', 'npm', 'clean', (), ()),
      ('apt-get', 'apt-get', 'remove', ('build-essential',), ('-y',))]),
]


@pytest.mark.parametrize(('script', 'expected'), CORPUS_PACKAGE_CASES)
def test_corpus_package_ops(script: str, expected: list[Op]) -> None:
    assert ops(script) == expected


def test_corpus_removes_paths() -> None:
    # vimagick+dockerfiles/nodebb/Dockerfile.debian:17 (shortened)
    script = ('apt-get update && npm cache clean && rm -rf /tmp/npm*                '
              '/var/cache/apt/*')
    assert removes_paths(split_commands(script)) == ['/tmp/npm*', '/var/cache/apt/*']
