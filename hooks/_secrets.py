"""Telling secrets from settings, shared by ``dockerfile-no-secrets`` and ``compose-no-secrets``.

A name is secret-like by its words (``DB_PASSWORD``, ``apiKey``, ``SECRET_KEY``), never by a
substring (``PASSWORD_HASHER``, ``TOKENIZERS_PARALLELISM`` and ``GPG_KEY`` are not secrets).
Names that point at a secret rather than hold it (``..._FILE``, ``..._PATH``) and values that
are only settings about one (a number, a boolean, a duration) are not findings. Independently
of the name, a value in a known credential format is always a finding. Placeholders are not
secrets: masked or filler values (``******``, ``xxxxxxxx``, ``sk-xxx-xxx``, an all-zero UUID)
and templates (``<your-token>``, ``{{ api_key }}``, ``your-api-key-here``); a weak but
working default such as ``changeme`` or ``postgres`` is still a literal value.
"""
from __future__ import annotations

import re

_CAMEL = re.compile(r'[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|\d+')
_SPLIT = re.compile(r'[^A-Za-z0-9]+')

# Words that make a name secret on their own.
SECRET_WORDS = frozenset((
    'SECRET', 'SECRETS', 'PASSWORD', 'PASSWORDS', 'PASSWD', 'PASSPHRASE', 'TOKEN', 'TOKENS',
    'APIKEY', 'CREDENTIAL', 'CREDENTIALS', 'CREDS', 'PRIVATEKEY', 'ACCESSKEY', 'SECRETKEY',
    'PWD', 'PASS',
))
# Word pairs: (first, second) next to each other.
SECRET_PAIRS = frozenset((
    ('API', 'KEY'), ('PRIVATE', 'KEY'), ('ACCESS', 'KEY'), ('SECRET', 'KEY'),
    ('ENCRYPTION', 'KEY'), ('SIGNING', 'KEY'), ('MASTER', 'KEY'), ('CLIENT', 'SECRET'),
    ('AUTH', 'KEY'), ('SESSION', 'KEY'), ('LICENSE', 'KEY'), ('WEBHOOK', 'SECRET'),
))
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
    'HASH', 'HASHED', 'REALM',
))
# A single word that ends with one of these is secret too (``ADMINPASSWORD``, ``APITOKEN``),
# except the words in NOT_SECRET_WORDS.
SECRET_SUFFIXES = ('PASSWORD', 'PASSWD', 'SECRET', 'TOKEN', 'APIKEY')
NOT_SECRET_WORDS = frozenset(('HTPASSWD', 'ASKPASS'))
# Names that look secret-like by their words but are well-known non-secrets.
NOT_SECRET_NAMES = frozenset((
    'PWD', 'OLDPWD', 'PASS_MAX_DAYS', 'PASS_MIN_DAYS', 'PASS_WARN_AGE',
    'TOKENIZERS_PARALLELISM', 'GIT_ASKPASS', 'SSH_ASKPASS', 'SUDO_ASKPASS',
))

_BOOL = frozenset(('true', 'false', 'yes', 'no', 'on', 'off', 'none', 'null', 'enabled',
                   'disabled', '0', '1'))
_SETTING = re.compile(
    r'^\s*-?\d+(\.\d+)?\s*(ms|s|sec|secs|seconds|m|min|mins|minutes|h|hr|hrs|hours|d|days|w|'
    r'weeks|y|years|b|k|kb|m|mb|g|gb)?\s*$', re.I,
)
_ISO_DURATION = re.compile(r'^P(\d+[YMWD])*(T(\d+[HMS])+)?$')

CREDENTIAL_FORMATS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ('an AWS access key id', re.compile(r'\b(AKIA|ASIA)[0-9A-Z]{16}\b')),
    ('a GitHub token', re.compile(r'\b(gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{60,})')),
    ('a GitLab token', re.compile(r'\bglpat-[A-Za-z0-9_-]{20,}')),
    ('a Slack token', re.compile(r'\bxox[abposr]-[A-Za-z0-9-]{10,}')),
    ('a Stripe live key', re.compile(r'\b[rs]k_live_[A-Za-z0-9]{20,}')),
    ('a Google API key', re.compile(r'\bAIza[0-9A-Za-z_-]{35}\b')),
    ('an npm token', re.compile(r'\bnpm_[A-Za-z0-9]{36}\b')),
    ('an OpenAI API key', re.compile(r'\bsk-(proj-)?[A-Za-z0-9_-]{20,}T3BlbkFJ[A-Za-z0-9_-]{20,}')),
    ('a private key', re.compile(r'-----BEGIN ([A-Z]+ )*PRIVATE KEY-----')),
)
# scheme://user:password@host where the password is a literal (the user may be empty:
# redis://:password@host)
_URL_PASSWORD = re.compile(r'\b[a-zA-Z][a-zA-Z0-9+.-]*://[^\s:/@]*:([^\s@/]+)@[^\s/@]')


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
    words = name_words(name)
    if not words or words[-1] in POINTER_WORDS:
        return False
    if any(w in SECRET_WORDS or (w.endswith(SECRET_SUFFIXES) and w not in NOT_SECRET_WORDS)
           for w in words):
        return True
    return any(pair in SECRET_PAIRS for pair in zip(words, words[1:]))


def is_setting_value(value: str) -> bool:
    """A number, boolean or duration: a setting about a secret, not one."""
    v = value.strip().strip('"\'')
    return (not v or v.lower() in _BOOL or bool(_SETTING.match(v))
            or bool(_ISO_DURATION.match(v) and len(v) > 1))


_TEMPLATE = re.compile(
    r'^(<[^<>]*>|\{\{.*\}\}|\.\.\.+|(your|my|enter|insert)[-_ ].*|.*[-_ ]here)$', re.I | re.S,
)
_FILLER = re.compile(r'[A-Za-z0-9*]')


def is_placeholder(value: str) -> bool:
    """A value that stands for a secret instead of being one: masked or filler characters
    (``******``, ``xxxx``, ``xoxb-xxxxxxxxxx``, ``00000000-0000-...``) or a template
    (``<token>``, ``{{ key }}``, ``your-api-key``, ``api-key-goes-here``)."""
    v = value.strip().strip('"\'')
    if _TEMPLATE.match(v):
        return True
    body = _FILLER.findall(v)
    if len(body) < 3:
        return False
    top = max(set(body), key=body.count)
    return body.count(top) >= 0.8 * len(body) and (len(body) >= 6 or top in 'xX*')


def credential_kind(value: str) -> str | None:
    """The name of the credential format ``value`` contains, if any."""
    for kind, regex in CREDENTIAL_FORMATS:
        if regex.search(value):
            return kind
    m = _URL_PASSWORD.search(value)
    if m and not m.group(1).startswith('$') and m.group(1) != '*' \
            and not is_placeholder(m.group(1)):
        return 'a URL with a password'
    return None


def secret_problem(
        name: str,
        literal: str | None,
        *,
        extra_names: frozenset[str] = frozenset(),
        allowed: frozenset[str] = frozenset(),
        by_name: bool = True,
) -> str | None:
    """Why ``name`` = ``literal`` is a committed secret, as a clause, or None.

    ``literal`` is the part of the value written in the file (variables that are passed on
    removed, defaults kept); None when there is no value. With ``by_name=False`` only
    credential formats count (labels, where names say nothing).
    """
    if literal is None or name.upper() in allowed:
        return None
    kind = credential_kind(literal)
    if kind is not None:
        # a token's shape filled with filler (xoxb-xxxxxxxxxx) is a placeholder
        return None if is_placeholder(literal) else f'holds {kind}'
    if not by_name or is_placeholder(literal) or literal.strip().startswith(SECRET_MOUNTS):
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


# A value that is a path under these is where a secret is mounted, not the secret.
SECRET_MOUNTS = ('/run/secrets/', '/var/run/secrets/')
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
