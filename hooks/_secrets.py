"""Telling secrets from settings, shared by ``dockerfile-no-secrets``, ``compose-no-secrets``
and ``no-committed-env-files``, so that the same value is judged the same way everywhere.

A name is secret-like by its words as a whole (``DB_PASSWORD``, ``apiKey``, ``SECRET_KEY``,
``CS2_PW``, ``RCONPW``), never by a substring (``PASSWORD_HASHER``, ``TOKENIZERS_PARALLELISM``
and ``GPG_KEY`` are not secrets). Names that point at a secret or describe one rather than
hold it (``..._FILE``, ``..._PATH``, ``..._SCHEME``, ``GOOGLE_APPLICATION_CREDENTIALS``,
``KUBECONFIG``), nginx's upstream directives (``PROXY_PASS``) and names of values compiled into
browser code (``VITE_``, ``NEXT_PUBLIC_``, ...) are not findings, and neither are values that
are only settings about one (a number, a boolean, a duration, a rate such as ``60/minute``),
a path or file name (``/run/secrets/db``, ``./key.json``, ``~/.kube/config``) or a URL without
a password. Independently of the name, a value in a known credential format is always a
finding. Placeholders are not secrets: masked or filler values (``******``, ``xxxxxxxx``,
``sk-xxx-xxx``, an all-zero UUID, a keyboard run such as ``1234``, ``12345``, ``123456789``,
``abcdefgh`` or ``qwerty``, ``foo``, one or two characters), templates (``<your-token>``,
``{{ api_key }}``, ``your-api-key-here``, ``your_mysql_root_password``), values that say they
are not real (``changeme``, ``changeit``, ``change_this``, ``FAKE_VALUE``, ``dummy``,
``placeholder``, ``user_provided``, ``hackme``) or that they are a test one (``testpass``,
``quarkus_test``, ``testing``), values that restate their name (``MyCloudflareApiToken``
for ``CF_API_TOKEN``, ``db_password`` for ``DB_PASSWORD``, ``password`` for ``PASSWORD`` or
``VPN_PASSWORD``) and values whose line, or the comment line above it, says to change them
(``# change this``, ``# Please UPDATE this password``, ``# CHANGEME``, ``# made with: rclone
obscure <your_password>``), a password in a URL included. A private-key block counts only
with a key's body in it: a ``BEGIN ... PRIVATE KEY`` line with a few characters after it is a
stub. A weak but working default such as ``postgres`` or ``admin`` is still a literal value.

With ``strict=False`` (files that never ship: test fixtures, devcontainers, local
development stacks) only values in a known credential format count: a weak password there
protects a throwaway container, while a real token is a leak wherever it is committed.
"""
from __future__ import annotations

import re
from collections.abc import Sequence

_CAMEL = re.compile(r'[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|\d+')
_SPLIT = re.compile(r'[^A-Za-z0-9]+')

# Words that make a name secret on their own.
SECRET_WORDS = frozenset((
    'SECRET', 'SECRETS', 'PASSWORD', 'PASSWORDS', 'PASSWD', 'PASSPHRASE', 'TOKEN', 'TOKENS',
    'APIKEY', 'CREDENTIAL', 'CREDENTIALS', 'CREDS', 'PRIVATEKEY', 'ACCESSKEY', 'SECRETKEY',
    'PWD', 'PASS', 'PW', 'MASTERAUTH',
))
# Word pairs: (first, second) next to each other.
SECRET_PAIRS = frozenset((
    ('API', 'KEY'), ('PRIVATE', 'KEY'), ('ACCESS', 'KEY'), ('SECRET', 'KEY'),
    ('ENCRYPTION', 'KEY'), ('SIGNING', 'KEY'), ('MASTER', 'KEY'), ('CLIENT', 'SECRET'),
    ('AUTH', 'KEY'), ('SESSION', 'KEY'), ('LICENSE', 'KEY'), ('WEBHOOK', 'SECRET'),
))
# A ``..._KEY`` name with one of these words anywhere before KEY holds a key
# (``NEXT_PRIVATE_ENCRYPTION_SECONDARY_KEY``, ``JWT_SIGNING_KEY``).
KEY_WORDS = frozenset(('PRIVATE', 'ENCRYPTION', 'SIGNING', 'SECRET', 'MASTER', 'API', 'ACCESS',
                       'AUTH', 'SESSION', 'LICENSE', 'HMAC', 'JWT', 'CRYPT', 'CIPHER'))
# ``PROXY_PASS`` and its kind are nginx's upstream directives, not passwords.
UPSTREAM_WORDS = frozenset(('PROXY', 'UWSGI', 'FASTCGI', 'FCGI', 'GRPC', 'SCGI', 'MEMCACHED'))
# Prefixes of variables compiled into the JavaScript served to every browser: public.
PUBLIC_PREFIXES = ('VITE_', 'NEXT_PUBLIC_', 'REACT_APP_', 'NUXT_PUBLIC_', 'GATSBY_',
                   'EXPO_PUBLIC_', 'PUBLIC_', 'VUE_APP_', 'STORYBOOK_')
# A last word that makes the name point at, or describe, a secret instead of holding it.
POINTER_WORDS = frozenset((
    'FILE', 'FILES', 'PATH', 'PATHS', 'DIR', 'DIRECTORY', 'NAME', 'NAMES', 'ID', 'IDS',
    'URL', 'URI', 'ENDPOINT', 'HOST', 'PORT', 'ARN', 'REF', 'VERSION', 'LENGTH', 'LEN',
    'SIZE', 'TTL', 'EXPIRY', 'EXPIRES', 'EXPIRATION', 'LIFETIME', 'TIMEOUT', 'TYPE', 'ALGO',
    'ALGORITHM', 'HEADER', 'ENABLED', 'ENABLE', 'DISABLED', 'REQUIRED', 'MODE', 'POLICY',
    'FORMAT', 'PREFIX', 'SUFFIX', 'FIELD', 'PARAM', 'COOKIE', 'ROTATION', 'HASHER',
    'HASHERS', 'VALIDATORS', 'RESET', 'MIN', 'MAX', 'COUNT', 'ATTEMPTS', 'STORE', 'PROVIDER',
    'BACKEND', 'LOCATION', 'KEYRING', 'ISSUER', 'AUDIENCE', 'SCOPE', 'SCOPES', 'USER',
    'USERNAME', 'EMAIL', 'AUTHENTICATION', 'COMMAND', 'CMD', 'SCRIPT', 'HELPER', 'MOUNT',
    'HASH', 'HASHED', 'REALM', 'SCHEME', 'METHOD', 'STRATEGY', 'CIPHER', 'ENCODING', 'KIND',
    'LEVEL', 'STRENGTH', 'COMPLEXITY', 'RULES', 'REGEX', 'PATTERN', 'CHARSET', 'LIMIT', 'RATE',
    'INTERVAL', 'DELAY', 'RETRIES', 'TEMPLATE', 'GENERATOR', 'SOURCE', 'CREDENTIALS', 'CONFIG',
    'KEYSTORE', 'TRUSTSTORE', 'CERT', 'CERTIFICATE', 'PEM', 'LOCATIONS',
))
# A single word that ends with one of these is secret too (``ADMINPASSWORD``, ``APITOKEN``),
# except the words in NOT_SECRET_WORDS.
SECRET_SUFFIXES = ('PASSWORD', 'PASSWD', 'SECRET', 'TOKEN', 'APIKEY', 'PW', 'PASS')
NOT_SECRET_WORDS = frozenset(('HTPASSWD', 'ASKPASS', 'BYPASS', 'COMPASS', 'SURPASS',
                              'TRESPASS', 'OVERPASS', 'UNDERPASS', 'ENCOMPASS'))
# Names that look secret-like by their words but are well-known non-secrets.
NOT_SECRET_NAMES = frozenset((
    'PWD', 'OLDPWD', 'PASS_MAX_DAYS', 'PASS_MIN_DAYS', 'PASS_WARN_AGE',
    'TOKENIZERS_PARALLELISM', 'GIT_ASKPASS', 'SSH_ASKPASS', 'SUDO_ASKPASS', 'KUBECONFIG',
    'GOOGLE_APPLICATION_CREDENTIALS', 'DOCKER_CONFIG',
))

_BOOL = frozenset(('true', 'false', 'yes', 'no', 'on', 'off', 'none', 'null', 'enabled',
                   'disabled', '0', '1'))
_SETTING = re.compile(
    r'^\s*-?\d+(\.\d+)?\s*(ms|s|sec|secs|seconds|m|min|mins|minutes|h|hr|hrs|hours|d|days|w|'
    r'weeks|y|years|b|k|kb|m|mb|g|gb)?\s*$', re.I,
)
_ISO_DURATION = re.compile(r'^P(\d+[YMWD])*(T(\d+[HMS])+)?$')
_RATE = re.compile(r'^\d+\s*/\s*(s|sec|second|m|min|minute|h|hr|hour|d|day)s?$', re.I)

_PRIVATE_KEY = re.compile(r'-----BEGIN ([A-Z]+ )*PRIVATE KEY-----')
CREDENTIAL_FORMATS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ('an AWS access key id', re.compile(r'\b(AKIA|ASIA)[0-9A-Z]{16}\b')),
    ('a GitHub token', re.compile(r'\b(gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{60,})')),
    ('a GitLab token', re.compile(r'\bglpat-[A-Za-z0-9_-]{20,}')),
    ('a Slack token', re.compile(r'\bxox[abposr]-[A-Za-z0-9-]{10,}')),
    ('a Stripe live key', re.compile(r'\b[rs]k_live_[A-Za-z0-9]{20,}')),
    ('a Google API key', re.compile(r'\bAIza[0-9A-Za-z_-]{35}\b')),
    ('an npm token', re.compile(r'\bnpm_[A-Za-z0-9]{36}\b')),
    ('an OpenAI API key', re.compile(r'\bsk-(proj-)?[A-Za-z0-9_-]{20,}T3BlbkFJ[A-Za-z0-9_-]{20,}')),
    ('a private key', _PRIVATE_KEY),
)
# scheme://user:password@host where the password is a literal (the user may be empty:
# redis://:password@host)
_URL_PASSWORD = re.compile(r'\b[a-zA-Z][a-zA-Z0-9+.-]*://([^\s:/@]*):([^\s@/]+)@[^\s/@]')


def name_words(name: str) -> list[str]:
    """``DB_PASSWORD`` / ``dbPassword`` / ``db.password`` -> ['DB', 'PASSWORD']."""
    words: list[str] = []
    for part in _SPLIT.split(name):
        if part:
            words.extend(w.upper() for w in _CAMEL.findall(part))
    return words


def is_secret_name(name: str, extra_names: frozenset[str] = frozenset(),
                   allowed: frozenset[str] = frozenset()) -> bool:
    upper = name.upper()
    if upper in allowed or upper in NOT_SECRET_NAMES:
        return False
    if upper in extra_names:
        return True
    if upper.startswith(PUBLIC_PREFIXES):
        return False  # compiled into the JavaScript every browser downloads: public
    words = name_words(name)
    if not words or words[-1] in POINTER_WORDS:
        return False
    if words[-1] in ('PASS', 'PW') and len(words) > 1 and words[-2] in UPSTREAM_WORDS:
        return False  # PROXY_PASS, UWSGI_PASS: where nginx passes requests
    if any(w in SECRET_WORDS or (w.endswith(SECRET_SUFFIXES) and w not in NOT_SECRET_WORDS)
           for w in words):
        return True
    if words[-1] == 'KEY' and KEY_WORDS & set(words[:-1]) and not PUBLIC_KEY_WORDS & set(words):
        return True
    return any(pair in SECRET_PAIRS for pair in zip(words, words[1:]))


def is_setting_value(value: str) -> bool:
    """A number, boolean or duration: a setting about a secret, not one."""
    v = value.strip().strip('"\'')
    return (not v or v.lower() in _BOOL or bool(_SETTING.match(v)) or bool(_RATE.match(v))
            or bool(_ISO_DURATION.match(v) and len(v) > 1))


_TEMPLATE = re.compile(
    r'^(<[^<>]*>|\{\{.*\}\}|\.\.\.+|(your|my|enter|insert|put|the)[-_ ].*|.*[-_ ]here)$',
    re.I | re.S,
)
_FILLER = re.compile(r'[A-Za-z0-9*]')
# Words of a value that say it is not a real one.
NOT_REAL_WORDS = frozenset((
    'changeme', 'changethis', 'replaceme', 'change', 'replace', 'placeholder', 'dummy', 'fake',
    'example', 'sample', 'redacted', 'todo', 'tbd', 'notasecret', 'notsecret', 'foo', 'bar',
    'baz', 'qux', 'foobar', 'xyz', 'provided', 'yourpassword', 'yoursecret', 'yourtoken',
    'secretkey', 'mysecret', 'mypassword', 'supersecret', 'topsecret', 'hackme',
))
# A value word that says the value is a test one (``testpass``, ``quarkus_test``,
# ``testing``): a credential of a throwaway test database, not a secret.
_TEST_WORD = re.compile(r'^test(s|ing)?(pass\w*|pwd|pw|secret|key|token)?$')
# A run of 16+ letters and digits mixing both: a generated part, which a test word beside it
# does not make a placeholder.
_RANDOM_RUN = re.compile(r'(?=[A-Za-z0-9]{16})(?=[A-Za-z]*[0-9])(?=[0-9]*[A-Za-z])[A-Za-z0-9]{16,}')
_HEXSPEAK = re.compile(r'^((dead|beef|cafe|babe|feed|face|f00d|c0de|d00d|0ff1ce|8badf00d)+)$',
                       re.I)
_SEQUENCES = ('0123456789', '9876543210', 'abcdefghijklmnopqrstuvwxyz',
              'zyxwvutsrqponmlkjihgfedcba', 'qwertyuiop', 'asdfghjkl')


def _sequential(v: str) -> bool:
    """``123456789``, ``abcdefg``, ``0123456789abcdef``: a run typed on the keyboard."""
    s = re.sub(r'[^a-z0-9]', '', v.lower())
    if len(s) < 6:
        return False
    runs = 0
    k = 0
    while k < len(s):
        for seq in _SEQUENCES:
            j = seq.find(s[k:k + 4])
            if j >= 0 and len(s[k:k + 4]) == 4:
                length = 4
                while k + length < len(s) and j + length < len(seq) and \
                        s[k + length] == seq[j + length]:
                    length += 1
                runs += length
                k += length
                break
        else:
            k += 1
    return runs >= 0.8 * len(s)


def _keyboard_run(v: str) -> bool:
    """The whole value one run of 4 or more keys (``1234``, ``12345``, ``qwerty``, ``abcd``),
    or mostly runs (:func:`_sequential`)."""
    s = re.sub(r'[^a-z0-9]', '', v.lower())
    return len(s) >= 4 and (any(s in seq for seq in _SEQUENCES) or _sequential(s))


# A value word that says the value is to be changed, its words glued (``changeit``,
# ``pleasechangeme``, ``updatethis``, ``setme``).
_CHANGE_WORD = re.compile(
    r'^(please)?((change|replace|update|fill)(it|me|this|that|now|later|please)*|'
    r'set(it|me|this)+)$')
# The words a secret's name uses for the secret, by what they stand for: a value that is
# only one of them (``password`` for ``PASSWORD``, ``DB_PASS`` or ``VPN_PASSWORD``) names the
# secret instead of being one.
_SECRET_KIND = {
    'password': 'password', 'passwords': 'password', 'passwd': 'password', 'pass': 'password',
    'pwd': 'password', 'pw': 'password', 'passphrase': 'password', 'secret': 'secret',
    'secrets': 'secret', 'token': 'token', 'tokens': 'token', 'key': 'key', 'apikey': 'key',
}


def secret_kinds(words: Sequence[str]) -> set[str]:
    """What the secret words of ``words`` stand for (``ADMINPASSWORD`` -> password)."""
    kinds = set()
    for w in words:
        w = w.lower()
        if w in _SECRET_KIND:
            kinds.add(_SECRET_KIND[w])
        else:
            kinds.update(_SECRET_KIND[s.lower()] for s in SECRET_SUFFIXES
                         if w.endswith(s.lower()) and w.upper() not in NOT_SECRET_WORDS
                         and s.lower() in _SECRET_KIND)
    return kinds


def value_words(value: str) -> list[str]:
    """``MyCloudflareApiToken`` -> ['my', 'cloudflare', 'api', 'token']."""
    return [w.lower() for w in name_words(value)]


def is_placeholder(value: str, name: str | None = None) -> bool:
    """A value that stands for a secret instead of being one: masked or filler characters
    (``******``, ``xxxx``, ``xoxb-xxxxxxxxxx``, ``00000000-0000-...``), a keyboard run
    (``12345``, ``123456789``, ``qwerty``), a template (``<token>``, ``{{ key }}``,
    ``your-api-key``, ``api-key-goes-here``), a value that says it is not real (``changeme``,
    ``changeit``, ``FAKE_TOKEN``, ``dummy``, ``hackme``) or a test one (``testpass``,
    ``app_test``) and, given the variable's ``name``, a value that
    restates it (``db_password`` for ``DB_PASSWORD``, ``MyCloudflareApiToken`` for
    ``CF_API_TOKEN``, ``password`` for ``PASSWORD`` or ``DB_PASS``)."""
    v = value.strip().strip('"\'')
    if _TEMPLATE.match(v) or (0 < len(v) <= 2) or not re.search(r'[A-Za-z0-9]', v or 'x'):
        return True
    words = value_words(v)
    if NOT_REAL_WORDS & set(words) or _HEXSPEAK.match(v) or _keyboard_run(v) \
            or any(_CHANGE_WORD.match(w) for w in words):
        return True
    if any(_TEST_WORD.match(w) for w in words) and not _RANDOM_RUN.search(v):
        return True  # testpass, app_test; a test-mode key's random part (sk_test_4eC39Hq...) not

    if name is not None and words:
        named = [w.lower() for w in name_words(name)]
        if len(words) == 1 and _SECRET_KIND.get(words[0]) in secret_kinds(named):
            return True  # PASSWORD=password, DB_PASS=password: the name, not a value
        compact = ''.join(words)
        if any(compact == ''.join(named[i:j]) and secret_kinds(named[i:j])
               for i in range(len(named)) for j in range(i + 2, len(named) + 1)):
            return True  # rootpassword for MYSQL_ROOT_PASSWORD: its words glued
        secret = [w for w in named if w.upper() in SECRET_WORDS
                  or w.upper().endswith(SECRET_SUFFIXES) or w == 'key']
        # all of the name's words, or its secret word with a "my"/"your"/"the"
        if len(named) >= 2 and set(named) <= set(words):
            return True
        if secret and set(secret) <= set(words) and {'my', 'your', 'the', 'some'} & set(words):
            return True
        if len(words) >= 2 and set(words) <= set(named) | {'my', 'your', 'the'}:
            return True
    body = _FILLER.findall(v)
    if len(body) < 3:
        return False
    top = max(set(body), key=body.count)
    return body.count(top) >= 0.8 * len(body) and (len(body) >= 6 or top in 'xX*')


_PATH = re.compile(r'^(/|\./|\.\./|~/|[A-Za-z]:[\\/]|file://)\S*$')
_FILE_NAME = re.compile(
    r'^[\w.-]+\.(json|pem|key|crt|cer|p12|pfx|jks|keystore|truststore|txt|conf|cfg|ini|'
    r'ya?ml|env|properties|keytab|der|gpg|asc)$', re.I)
_URL = re.compile(r'^[a-zA-Z][a-zA-Z0-9+.-]*://\S+$')


def is_reference(value: str) -> bool:
    """A value that names where a secret is (a path, a file, a URL with no password) rather
    than holding it."""
    v = value.strip().strip('"\'')
    if _PATH.match(v) or _FILE_NAME.match(v):
        return True
    return bool(_URL.match(v)) and url_password(v) is None


_CHANGE_COMMENT = re.compile(
    r'#.*(\b(change|replace|update|modify|generate|set (this|your|it|a|me)|fill|your own|'
    r'random|example|placeholder|dummy|not (a )?(real|secret)|dev(elopment)? only)|'
    r'<\s*your\b|<your[-_])', re.I)


def line_says_placeholder(lines: Sequence[str], line: int) -> bool:
    """Whether the 1-based ``line`` of ``lines``, or a comment line right above it, says the
    value is to be changed (``# change this``, ``# generate with openssl rand``)."""
    if not 1 <= line <= len(lines):
        return False
    here = lines[line - 1]
    if '#' in here and _CHANGE_COMMENT.search(here[here.index('#'):]):
        return True
    above = lines[line - 2].strip() if line >= 2 else ''
    return above.startswith('#') and bool(_CHANGE_COMMENT.search(above))


# A private key's body: base64 lines after the BEGIN line, written or escaped (``\n`` in an
# env file), after any ``Proc-Type:``-style header lines.
_PEM_LINES = re.compile(r'\\[nr]|[\r\n]')
_PEM_HEADER_LINE = re.compile(r'^\s*[A-Za-z-]+:')
_BASE64_CHARS = re.compile(r'[A-Za-z0-9+/=]')
# The shortest private key there is, an Ed25519 key in PKCS#8, is 64 base64 characters.
_PEM_MIN_BODY = 64


def _has_key_body(value: str, header: re.Match[str]) -> bool:
    """Whether a key's body follows the BEGIN line: a stub (the header and the few base64
    characters every RSA key starts with) holds no key."""
    rest = value[header.end():]
    end = rest.find('-----END')
    lines = _PEM_LINES.split(rest if end < 0 else rest[:end])
    body = sum(len(_BASE64_CHARS.findall(line)) for line in lines
               if not _PEM_HEADER_LINE.match(line))
    return body >= _PEM_MIN_BODY


def url_password(value: str) -> str | None:
    """The password written in a URL of ``value`` (``postgres://app:PASSWORD@db/app``); a
    host and port before an ``@`` are none (mitmproxy's ``reverse:https://example.org:443@8443``
    listens on 8443)."""
    for m in _URL_PASSWORD.finditer(value):
        user, password = m.group(1), m.group(2)
        if password.isdigit() and len(password) <= 5 and ('.' in user or user == 'localhost'):
            continue
        return password
    return None


def _key_stub(value: str) -> bool:
    """A private key's BEGIN line without the key: it stands for one."""
    m = _PRIVATE_KEY.search(value)
    return m is not None and not _has_key_body(value, m)


def credential_kind(value: str) -> str | None:
    """The name of the credential format ``value`` contains, if any."""
    for kind, regex in CREDENTIAL_FORMATS:
        m = regex.search(value)
        if m and (regex is not _PRIVATE_KEY or _has_key_body(value, m)):
            return kind
    password = url_password(value)
    # the URL's password judged as a password (``user:password@`` is the textbook template)
    if password is not None and not password.startswith('$') and password != '*' \
            and not is_placeholder(password, 'password'):
        return 'a URL with a password'
    return None


def secret_problem(
        name: str,
        literal: str | None,
        *,
        extra_names: frozenset[str] = frozenset(),
        allowed: frozenset[str] = frozenset(),
        by_name: bool = True,
        strict: bool = True,
        placeholder_line: bool = False,
) -> str | None:
    """Why ``name`` = ``literal`` is a committed secret, as a clause, or None.

    ``literal`` is the part of the value written in the file (variables that are passed on
    removed, defaults kept); None when there is no value. With ``by_name=False`` only
    credential formats count (labels, where names say nothing), and so with ``strict=False``
    (a file that never ships). ``placeholder_line``: the value's line says to change it.
    """
    if literal is None or name.upper() in allowed:
        return None
    kind = credential_kind(literal)
    if kind == 'a URL with a password' and (not strict or placeholder_line):
        # a password someone chose, not a provider's token: judged as a value is, and a line
        # that says to change it (`# CHANGEME`) speaks for the password in its URL too
        kind = None
    if kind is not None:
        # a token's shape filled with filler (xoxb-xxxxxxxxxx, ghp_1234567890abcdef...) is
        # a placeholder
        body = literal.split('_', 1)[-1] if kind != 'a URL with a password' else literal
        return None if is_placeholder(literal) or _sequential(body) else f'holds {kind}'
    if not by_name or not strict or is_placeholder(literal, name) or placeholder_line \
            or is_reference(literal) or _key_stub(literal):
        return None
    if is_setting_value(literal) and not _numeric_secret(name, literal):
        return None
    if is_secret_name(name, extra_names, allowed):
        return 'has a secret-like name and a literal value'
    if is_random_key(name, literal):
        return 'has a key-like name and a random-looking literal value'
    return None


def _numeric_secret(name: str, value: str) -> bool:
    """A PIN-like number (4+ digits) under a name whose last word is the secret itself
    (``MYSQL_ROOT_PASSWORD: 123456``); ``VNC_NO_PASSWORD: 1`` stays a setting."""
    words = name_words(name)
    last = words[-1] if words else ''
    return bool(re.fullmatch(r'\s*\d{4,}\s*', value.strip('"\''))) and \
        (last in SECRET_WORDS or last.endswith(SECRET_SUFFIXES))


# Words that make a ``..._KEY`` name a public or non-secret key.
PUBLIC_KEY_WORDS = frozenset((
    'PUBLIC', 'PUBLISHABLE', 'PUB', 'VAPID', 'SITE', 'GPG', 'PGP', 'ROUTING', 'PARTITION',
    'SORT', 'PRIMARY', 'FOREIGN', 'CACHE', 'IDEMPOTENCY', 'HOST',
))
_HEX = re.compile(r'^[0-9a-fA-F]{32,}$')
_BASE64 = re.compile(r'^[A-Za-z0-9+/_-]{20,}={0,2}$')


def is_random_key(name: str, value: str) -> bool:
    """A ``..._KEY`` name (``FERNET_KEY``, ``APP_KEY``, ``KEY``) with a random-looking value:
    32+ hex digits, or 20+ base64 characters mixing upper case, lower case and digits (an
    optional ``base64:`` prefix, as Laravel writes it). An encryption or signing key."""
    words = name_words(name)
    if not words or words[-1] != 'KEY' or PUBLIC_KEY_WORDS & set(words):
        return False
    v = value.strip().strip('"\'')
    v = v[len('base64:'):] if v.startswith('base64:') else v
    if _HEX.match(v):
        return True
    return bool(_BASE64.match(v)) and all(re.search(c, v) for c in ('[A-Z]', '[a-z]', '[0-9]'))
