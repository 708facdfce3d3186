"""Files that hold a secret, known by their name or read from the tree: what
``dockerfile-no-secrets`` judges in the sources of a COPY or ADD.

Three kinds of name:

* secret by name: an env file of the dotenv convention (``.env``, ``.env.production``; not a
  template such as ``.env.example``, judged as ``no-committed-env-files`` judges templates),
  a private key (``id_rsa``, ``id_ed25519``, ``deploy_rsa``; ``key.pem``, ``server-key.pem``,
  ``privkey.pem``; ``server.key``, ``tls.key``), a credential file (``.git-credentials``,
  ``.aws/credentials``, a kubeconfig, ``.pgpass``, a Google ``credentials.json`` or
  ``service-account*.json``);
* sometimes a secret: files that hold a token only where someone wrote one into them
  (``.npmrc``, ``.yarnrc.yml``, ``.pypirc``, ``.netrc``, ``pip.conf``, Maven's ``settings.xml``,
  ``.docker/config.json``, other env files such as ``app.env``);
* anything else: not a secret file.

Where the file is in the tree, what it holds decides (:func:`read`): an env file that sets only
settings, a ``.pem`` that holds only certificates, a registry-only ``.npmrc`` hold no secret; a
token written as ``${NPM_TOKEN}`` is a variable the tool reads from its environment (npm,
Yarn and Maven expand them when they read the file): the file holds no secret, the variable
does. Keys named as published on purpose (``insecure_id_rsa``) or as examples are no secret.
``.htpasswd`` is not one either: it holds the hashes a web server checks passwords against
(as ``/etc/shadow`` does), and the server needs it in the image or a volume.

Contents are read to judge them, never printed: what a finding names is the file and the
keys that hold the secret.
"""
from __future__ import annotations

import posixpath
import re

from dockhooks._records import NamedTuple

# The kinds of secret file; each gets its own advice.
ENV = 'env'          # an env file
SSH_KEY = 'ssh-key'  # an SSH private key
KEY = 'key'          # any other private key (TLS)
CREDENTIALS = 'credentials'
TOKEN_FILE = 'token-file'  # a tool's configuration that may hold a token


class SecretFile(NamedTuple):
    kind: str
    what: str            # what the file is, for a message: 'a private key'
    by_name: bool        # its name alone says it holds a secret
    tool: str | None = None  # the tool that reads it (npm), for the advice


_WORD = re.compile(r'[._-]+')
_SSH_KEY = re.compile(r'^(id_(rsa|dsa|ecdsa|ed25519)(_sk)?|[\w.-]+_(rsa|dsa|ecdsa|ed25519))$')
# Words that say a key is published on purpose or stands for one.
_NOT_REAL = frozenset(('insecure', 'dummy', 'fake', 'snakeoil', 'example', 'examples',
                       'sample', 'samples', 'template', 'templates', 'tmpl', 'tpl', 'dist',
                       'demo', 'mock'))
# Words of a key file's name that say it is public: apt and package signing keys.
_PUBLIC = frozenset(('pub', 'public', 'pubkey', 'gpg', 'pgp', 'asc', 'keyring', 'keys',
                     'signing', 'release', 'repo', 'archive', 'apt', 'yum', 'rpm', 'trust',
                     'truststore'))
# A `.pem` is a private key when its name says key; a `.key` when it names what TLS serves.
_PEM_KEY_WORDS = frozenset(('key', 'private', 'priv', 'privkey', 'privatekey'))
_KEY_WORDS = _PEM_KEY_WORDS | frozenset(('server', 'tls', 'ssl', 'https', 'client', 'cert',
                                         'domain', 'localhost', 'ca', 'selfsigned'))
_GOOGLE_CREDENTIALS = re.compile(
    r'^(credentials|(gcp|gcloud|google|firebase)[-_]?(credentials|key|sa)'
    r'|service[-_]?account([-_.][\w.-]*)?)\.json$', re.I)
_TOKEN_FILES = {
    '.npmrc': 'npm', '.yarnrc.yml': 'yarn', '.yarnrc.yaml': 'yarn', '.pypirc': 'twine',
    '.netrc': None, '_netrc': None, 'pip.conf': 'pip', 'pip.ini': 'pip',
    'settings.xml': 'mvn', 'settings-security.xml': 'mvn',
}


def classify(path: str) -> SecretFile | None:
    """What the file at ``path`` (a COPY source, ``/``-separated) is, by its name."""
    from dockhooks.no_committed_env_files import is_env_file
    from dockhooks.no_committed_env_files import is_template

    parts = [p for p in path.split('/') if p]
    if not parts:
        return None
    name = parts[-1]
    low = name.lower()
    words = [w for w in _WORD.split(low) if w]
    if is_env_file(path):
        if is_template(path):
            return None
        dotenv = low == '.env' or low.startswith('.env.')
        return SecretFile(ENV, 'an env file', dotenv)
    if _NOT_REAL & set(words):
        return None
    if _SSH_KEY.match(low):
        return SecretFile(SSH_KEY, 'an SSH private key', True)
    ext = words[-1] if len(words) > 1 else ''
    if ext in ('pem', 'key'):
        stem = set(words[:-1])
        private = not _PUBLIC & stem and bool(
            stem & (_PEM_KEY_WORDS if ext == 'pem' else _KEY_WORDS))
        return SecretFile(KEY, 'a private key', private)
    tail = '/'.join(parts[-2:]).lower()
    if low == '.git-credentials':
        return SecretFile(CREDENTIALS, 'Git credentials', True)
    if tail == '.aws/credentials':
        return SecretFile(CREDENTIALS, 'AWS credentials', True)
    if 'kubeconfig' in words or tail == '.kube/config':
        return SecretFile(CREDENTIALS, 'a kubeconfig', True)
    if low == '.pgpass':
        return SecretFile(CREDENTIALS, 'a PostgreSQL password file', True)
    if _GOOGLE_CREDENTIALS.match(low):
        return SecretFile(CREDENTIALS, 'a credentials file', True)
    if tail == '.docker/config.json':
        return SecretFile(TOKEN_FILE, 'a Docker client configuration', False, 'docker')
    if low in _TOKEN_FILES:
        return SecretFile(TOKEN_FILE, name, False, _TOKEN_FILES[low])
    return None


class Contents(NamedTuple):
    secrets: list[str]     # what holds a secret: keys (DB_PASSWORD, _authToken) or a kind
    variables: list[str]   # variables a token is read from (${NPM_TOKEN})


_VARIABLE = re.compile(r'\$\{?(?:env\.)?([A-Za-z_][A-Za-z0-9_]*)')
# Keys that hold a credential though their words do not say so.
_CREDENTIAL_KEYS = frozenset(('_auth', 'auth', 'npmauthident', 'client-key-data',
                              'identitytoken', 'auth_token'))
_XML_SECRET = re.compile(r'<(password|passphrase)>\s*([^<]*?)\s*</\1>', re.I)
_NETRC_PASSWORD = re.compile(r'(?:^|\s)password\s+(\S+)')


def _text(path: str) -> str | None:
    """The file's text; None for a binary (a keystore, a DER file) or unreadable one."""
    from dockhooks._text import InputError
    from dockhooks._text import read_text

    try:
        return read_text(path)
    except InputError:
        return None


def _value(raw: str) -> str:
    v = raw.strip().rstrip(',').strip()
    if len(v) >= 2 and v[0] == v[-1] and v[0] in '"\'':
        v = v[1:-1]
    return v


def _judge(key: str, value: str, found: Contents) -> None:
    from dockhooks._secrets import is_placeholder
    from dockhooks._secrets import is_setting_value
    from dockhooks._secrets import secret_problem

    if not value or value[0] in '{[&*|>':
        return
    if '$' in value:
        found.variables.extend(_VARIABLE.findall(value))
        return
    short = key.rsplit(':', 1)[-1].strip().lower()
    if secret_problem(short, value) is not None or (
            short in _CREDENTIAL_KEYS and not is_placeholder(value, short)
            and not is_setting_value(value)):
        found.secrets.append(key.rsplit(':', 1)[-1].strip())


def _pairs(text: str) -> list[tuple[str, str]]:
    """``key = value`` and ``key: value`` lines of an ini, npmrc, YAML or JSON file."""
    out = []
    for line in text.splitlines():
        s = line.strip()
        if not s or s[0] in '#;':
            continue
        eq = s.find('=')
        colon = s.find(': ') if not s.endswith(':') else -1
        if eq > 0 and (colon < 0 or eq < colon or s.startswith('//')):
            out.append((_value(s[:eq]), s[eq + 1:]))
        elif colon > 0:
            out.append((_value(s[:colon]), s[colon + 1:]))
    return out


def read(path: str, secret: SecretFile) -> Contents | None:
    """What the file at ``path`` holds: the keys whose values are secrets, and the variables
    its tokens are read from; None when it cannot be read."""
    from dockhooks._secrets import credential_kind

    text = _text(path)
    if text is None:
        return None
    found = Contents([], [])
    if secret.kind == ENV:
        from dockhooks import _dotenv
        from dockhooks._secrets import line_says_placeholder
        from dockhooks._secrets import secret_problem
        from dockhooks._text import InputError

        try:
            entries = _dotenv.parse(text)
        except InputError:
            return None
        lines = text.split('\n')
        for entry in entries:
            if secret_problem(entry.key, entry.literal,
                              placeholder_line=line_says_placeholder(lines, entry.line)):
                found.secrets.append(entry.key)
        return found
    kind = credential_kind(text)
    if kind is not None:
        found.secrets.append(kind)
    if secret.kind == KEY or secret.kind == SSH_KEY:
        return found  # a key file: its block, not its words
    if secret.tool == 'mvn':
        for tag, value in _XML_SECRET.findall(text):
            _judge(tag, _value(value), found)
        return found
    name = posixpath.basename(path).lower()
    if name in ('.netrc', '_netrc'):
        for value in _NETRC_PASSWORD.findall(text):
            _judge('password', _value(value), found)
        return found
    if name == '.pgpass':
        for line in text.splitlines():
            fields = re.split(r'(?<!\\):', line.strip())
            if not line.lstrip().startswith('#') and len(fields) >= 5:
                _judge('password', fields[-1], found)
        return found
    for key, raw in _pairs(text):
        _judge(key, _value(raw), found)
    found.secrets[:] = list(dict.fromkeys(found.secrets))
    found.variables[:] = list(dict.fromkeys(found.variables))
    return found
