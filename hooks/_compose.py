"""Compose file model shared by the compose hooks.

``load(path)`` parses a compose file with ruamel.yaml's round-trip loader (for 1-based line
numbers) and resolves what Docker Compose resolves before it looks at a service:

* merge keys (``<<: *anchor`` and ``<<: [*a, *b]``), at every level; a key brought in by a merge
  key is reported at its position inside the anchored mapping;
* ``extends`` (same document, or ``file:`` relative to this file when that file exists);
* several YAML documents in one file, merged in order like ``-f a.yaml -f b.yaml`` (what Compose
  does: each document is interpolated and extended on its own, then merged over the previous);
* ``!reset`` (the key is removed, also from earlier documents and extended services) and
  ``!override`` (the value replaces instead of merging) tags;
* interpolation as ``docker compose`` does it in the file's folder with no shell variables:
  values from the project's ``.env`` (the ``.env`` beside the compose file, Compose's default
  project directory) first, then ``${V:-d}`` defaults; ``$$`` gives ``$``; a variable that
  neither sets is *unknown* (``None``): we judge the committed files, not a machine. A
  ``.env`` Compose cannot read makes every variable unknown. ``env_file:`` is a container's
  environment, never used for interpolation (as in Compose).

Everything Compose rejects and a hook could trip over (broken YAML, duplicate keys, a top level
or ``services`` that is not a mapping, a service that is not a mapping, an empty file, alias
bombs, absurd nesting, ``extends`` cycles) raises :class:`InputError` with a 1-based line.
YAML tags never construct Python objects: unknown tags stay data.

ruamel.yaml is imported on the first ``load`` only: it costs ~15 ms, more than the rest of a
hook's start-up.
"""
from __future__ import annotations

import functools
import os
import posixpath
import re

# relative imports: mypy cannot follow the editable install's `dockhooks` -> hooks/ mapping
from ._files import COMPOSE_FILES
from ._records import TYPE_CHECKING
from ._records import NamedTuple
from ._text import RUN_CACHES
from ._text import InputError
from ._text import read_text
from ._vars import UNKNOWN
from ._vars import expand

if TYPE_CHECKING:
    from typing import Any

# basename rule of Compose's default file names plus override and per-environment variants:
# compose.yaml, docker-compose.yml, compose.override.yaml, docker-compose.prod.yml, ...
COMPOSE_FILES_RE = COMPOSE_FILES  # one definition, shared with the manifest's files:

# Bigger than this is not a hand-written compose file (the corpus's largest is 50 kB): the
# pure-Python YAML parser needs ~1 s per 150 kB, so a 3 MB file would take half a minute.
MAX_CHARS = 512 * 1024

# Deeper than this is not a hand-written compose file (real ones stay under 10 levels); the
# limit keeps ruamel's recursive composer far from Python's recursion limit.
MAX_DEPTH = 100

# Top-level keys of the Compose Specification; anything else (except x-*) makes Compose fail,
# typically a legacy version-1 file with services at the top level.
TOP_LEVEL_KEYS = frozenset((
    'version', 'name', 'include', 'services', 'networks', 'volumes', 'secrets', 'configs',
    'models',
))


class _Missing:
    """Type of :data:`MISSING`: falsy, one instance."""

    _instance: _Missing | None = None

    def __new__(cls) -> _Missing:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __bool__(self) -> bool:
        return False

    def __repr__(self) -> str:
        return 'MISSING'


MISSING: Any = _Missing()
_RESET: Any = object()  # a value tagged !reset: the key is removed

_MERGE_ATTRIB = '_yaml_merge'  # ruamel.yaml.comments.merge_attrib
_TAG_ATTRIB = '_yaml_tag'  # ruamel.yaml.tag.Tag.attrib


class Build(NamedTuple):
    """A service's ``build``, short (``build: ./dir``) or long form.

    ``context`` is relative to the compose file's folder as written (a URL for a remote
    context; rebased when inherited with ``extends: {file: ...}``). ``dockerfile`` is relative
    to the context, as Compose reads it (``'Dockerfile'`` when not given; None with
    ``dockerfile_inline``, then ``inline`` is True). ``known`` is False when the context or
    dockerfile uses a variable without a default: the text is then kept as written.
    ``target`` is the stage built (None: the last one, or a target that cannot be known).
    """

    context: str
    dockerfile: str | None
    line: int
    inline: bool = False
    known: bool = True
    target: str | None = None


class Dependency(NamedTuple):
    """One ``depends_on`` entry; ``condition`` is None for the short (list) form."""

    name: str
    condition: str | None
    line: int
    col: int
    # a list item written with a variable (`- ${DB:-db}`): its long form cannot say it, as
    # Compose does not interpolate mapping keys
    interpolated: bool = False


class EnvVar(NamedTuple):
    """One ``environment`` entry; ``value`` as written (not interpolated), None when absent."""

    name: str
    value: str | None
    line: int
    col: int


class _Layer(NamedTuple):
    """One mapping that contributes to a service, highest priority first in Service._layers."""

    node: dict[Any, Any]
    own: bool  # in this file and defined by this service (not inherited through extends)
    base_dir: str  # folder of the defining file, relative to this file's folder ('' = same)
    here: bool = True  # written in this file (own, or inherited from a service of this file)
    path: str = ''  # the file that writes it, as given


def _unknown(_name: str) -> str | None:
    return None


# A project's variables for interpolation: name -> value (None: unknown); None for a `.env`
# that Compose cannot read, with which every variable is unknown.

NO_ENV: dict[str, str | None] = {}
_VARIABLE = re.compile(r'\$(?!\$)')


def project_env(path: str) -> dict[str, str | None] | None:
    """The variables of the ``.env`` in the folder of the compose file ``path``: {} without
    one, None when Compose could not read it."""
    from dockhooks import _dotenv

    env_path = os.path.join(os.path.dirname(path), '.env')
    if not os.path.lexists(env_path):
        return NO_ENV
    try:
        return _dotenv.values(read_text(env_path))
    except InputError:
        return None


def _tag(value: object) -> str | None:
    tag = getattr(value, _TAG_ATTRIB, None)
    return None if tag is None else getattr(tag, 'value', None)


def _is_tagged_scalar(value: object) -> bool:
    return type(value).__name__ == 'TaggedScalar'


def _go_float(value: float) -> str:
    """Format a float as Go's fmt.Sprint does (Compose stringifies YAML numbers that way)."""
    if value != value:
        return 'NaN'
    if value in (float('inf'), float('-inf')):
        return '+Inf' if value > 0 else '-Inf'
    if value == 0:
        return '-0' if str(value).startswith('-') else '0'
    sign = '-' if value < 0 else ''
    # repr gives the shortest digits that round-trip, as Go's strconv does
    mantissa, _, exp_text = repr(abs(value)).partition('e')
    whole, _, frac = mantissa.partition('.')
    written = whole + frac
    digits = written.lstrip('0')
    exp = len(whole) - (len(written) - len(digits)) - 1 + (int(exp_text) if exp_text else 0)
    digits = digits.rstrip('0') or '0'
    if exp < -4 or exp >= 6:  # %g with the shortest precision: 1e+06, 1.5e-05
        mant = digits[0] + ('.' + digits[1:] if len(digits) > 1 else '')
        return f"{sign}{mant}e{'-' if exp < 0 else '+'}{abs(exp):02d}"
    if exp >= 0:
        if len(digits) <= exp + 1:
            return sign + digits + '0' * (exp + 1 - len(digits))
        return f'{sign}{digits[:exp + 1]}.{digits[exp + 1:]}'
    return f"{sign}0.{'0' * (-exp - 1)}{digits}"


def _scalar_text(value: object) -> str | None:
    """A YAML scalar as Compose turns it into a string (Go's fmt.Sprint), not interpolated."""
    if value is None or value is MISSING:
        return None
    if isinstance(value, str):
        return str(value)
    if _is_tagged_scalar(value):
        return str(getattr(value, 'value', ''))
    if isinstance(value, bool):
        return 'true' if value else 'false'
    if isinstance(value, int):
        width = getattr(value, '_width', None)
        if type(value).__name__ == 'ScalarInt' and width and width > len(str(abs(value))):
            # a leading zero: Go's yaml.v3 reads `022` as octal 18, ruamel as decimal 22
            digits = str(abs(value)).zfill(width)
            if set(digits) <= set('01234567'):
                return str(int(digits, 8) * (-1 if value < 0 else 1))
        return str(int(value))
    if isinstance(value, float):
        return _go_float(float(value))
    if hasattr(value, 'isoformat'):  # an unquoted date; Compose rejects it in most places
        return str(value)
    return None


def value_str(value: object, env: dict[str, str | None] | None = NO_ENV) -> str | None:
    """A scalar as Compose sees it after interpolation with the project variables ``env``
    (see :func:`project_env`; by default none).

    ``"${TAG:-1.2}"`` -> ``'1.2'``, ``'$$x'`` -> ``'$x'``, numbers and booleans as Compose
    prints them (``true``, ``1.1``, ``022`` -> ``'18'``); None when unknown (a variable without
    a value or default) or not a scalar (mapping, list, null).
    """
    text = _scalar_text(value)
    if text is None or not (isinstance(value, str) or _is_tagged_scalar(value)):
        return text
    if env is None:
        return None if _VARIABLE.search(text.replace('$$', '')) else text.replace('$$', '$')
    if not env:
        return expand(text, _unknown, compose=True)

    def lookup(name: str) -> str | None:
        value = env.get(name, None)
        return UNKNOWN if value is None and name in env else value
    return expand(text, lookup, compose=True)


def _holder(mapping: dict[Any, Any], key: object) -> dict[Any, Any]:
    """The mapping whose own key ``key`` is: ``mapping`` or a merge-key source (recursively)."""
    own = getattr(mapping, '_ok', None)
    if own is None or key in own:
        return mapping
    for source in getattr(mapping, _MERGE_ATTRIB, ()):
        if key in source:
            return _holder(source, key)
    return mapping


def _get(mapping: dict[Any, Any], key: object) -> tuple[Any, dict[Any, Any] | None]:
    """``mapping[key]`` with merge keys and ``!reset``: (value | MISSING | _RESET, holder)."""
    if key not in mapping:
        return MISSING, None
    holder = _holder(mapping, key)
    value = mapping[key]
    if _tag(value) == '!reset':
        # Compose drops a !reset key before merge keys apply: an anchored value survives
        for source in getattr(mapping, _MERGE_ATTRIB, ()):
            if key in source:
                inner, inner_holder = _get(source, key)
                if inner is not MISSING:
                    return inner, inner_holder
        return _RESET, holder
    return value, holder


def _pos(mapping: dict[Any, Any] | None, key: object) -> tuple[int, int] | None:
    """1-based position of ``key`` in ``mapping`` (or in the merge source holding it)."""
    if mapping is None:
        return None
    holder = _holder(mapping, key)
    try:
        line, col = holder.lc.key(key)  # type: ignore[attr-defined]
    except (AttributeError, KeyError, TypeError):
        return None
    return line + 1, col + 1


def _item_pos(seq: list[Any], index: int) -> tuple[int, int] | None:
    try:
        line, col = seq.lc.item(index)  # type: ignore[attr-defined]
    except (AttributeError, KeyError, TypeError, IndexError):
        return None
    return line + 1, col + 1


def _plain(value: object) -> object:
    """Unwrap a tagged scalar (``!override 1.2``, ``!custom x``) to its text."""
    if _is_tagged_scalar(value):
        return str(getattr(value, 'value', ''))
    return value


def _merge_values(values: list[Any]) -> Any:
    """Merge values of one key, highest priority first, as Compose merges mappings."""
    top = values[0]
    if not isinstance(top, dict) or len(values) == 1:
        return top
    from ruamel.yaml.comments import CommentedMap

    maps = [v for v in values if isinstance(v, dict)]
    merged = CommentedMap()
    keys: dict[Any, None] = {}
    for m in reversed(maps):
        keys.update(dict.fromkeys(m))
    for key in keys:
        found: list[Any] = []
        for m in maps:
            value, _ = _get(m, key)
            if value is MISSING:
                continue
            if value is _RESET:
                break
            if found and not isinstance(value, dict):
                break
            found.append(_plain(value))
            if _tag(value) == '!override' or not isinstance(value, dict):
                break
        if found:
            merged[key] = _merge_values(found)
    return merged


class Service:
    """A service after merge keys, ``extends`` and multi-document merging."""

    def __init__(
            self, name: str, line: int, col: int, layers: list[_Layer], file: ComposeFile,
    ) -> None:
        self.name = name
        self.line = line
        self.col = col
        self._layers = layers
        self.file = file
        # defined too in the base file that Compose reads before this override file
        self.overlay = False

    def __repr__(self) -> str:
        return f'Service({self.name!r}, line={self.line})'

    # -- generic access ---------------------------------------------------------------------

    def _walk(
            self, keys: tuple[str, ...], *, collect: bool = False,
    ) -> list[tuple[Any, _Layer, dict[Any, Any] | None]]:
        """Contributions to ``keys``, highest priority first: (value, layer, holder mapping).

        A mapping merges with the mappings below it; a scalar or list replaces everything
        below. ``collect=True`` keeps every value of the last key, for keys Compose merges
        entry by entry whatever their form (environment, depends_on, profiles, build).
        ``!reset`` cuts the chain, ``!override`` ends it.
        """
        current: list[tuple[dict[Any, Any], _Layer]] = [(lay.node, lay) for lay in self._layers]
        found: list[tuple[Any, _Layer, dict[Any, Any] | None]] = []
        for depth, key in enumerate(keys):
            last = depth == len(keys) - 1
            found = []
            for mapping, layer in current:
                value, holder = _get(mapping, key)
                if value is MISSING:
                    continue
                if value is _RESET:
                    break
                mergeable = isinstance(value, dict) or (collect and last)
                if found and not mergeable:
                    break
                found.append((value, layer, holder))
                if _tag(value) == '!override' or not mergeable:
                    break
            if not last:
                current = [(v, lay) for v, lay, _ in found if isinstance(v, dict)]
                if not current:
                    return []
        return found

    def has(self, key: str) -> bool:
        """True if the service has ``key``: own, via a merge key or inherited via extends."""
        return bool(self._walk((key,)))

    def keys(self) -> list[str]:
        """The service's keys (own, merged, inherited; not ``!reset`` ones), first seen first."""
        seen: dict[Any, None] = {}
        for layer in self._layers:
            seen.update(dict.fromkeys(layer.node))
        return [str(k) for k in seen if self._walk((k,))]

    def lookup(self, *keys: str) -> Any:
        """The merged value at the nested key path, or :data:`MISSING`."""
        found = self._walk(keys)
        if not found:
            return MISSING
        return _merge_values([_plain(v) for v, _, _ in found])

    def get(self, key: str, default: Any = None) -> Any:
        """The merged value of ``key`` (CommentedMap, CommentedSeq or a scalar), or ``default``.

        Mappings are merged across merge keys, extends and documents; for a list the
        highest-priority one is returned (Compose appends some lists, e.g. ``profiles``).
        """
        value = self.lookup(key)
        return default if value is MISSING else value

    def key_pos(self, *keys: str) -> tuple[int, int]:
        """1-based (line, col) of the nested key path, or of the deepest ancestor found.

        A key brought in by a merge key is at its place in the anchored mapping; a key
        inherited through ``extends`` is at the service's own position.
        """
        pos = (self.line, self.col)
        for depth in range(len(keys)):
            found = self._walk(keys[:depth + 1])
            if not found:
                break
            _, layer, holder = found[0]
            if not layer.own:
                pos = (self.line, self.col)
                continue
            pos = _pos(holder, keys[depth]) or pos
        return pos

    def written_at(self, *keys: str) -> tuple[str, int, int] | None:
        """Where the value of the nested key path is written: (file as given, line, col) in
        the file that writes it (this one, an anchor a merge key brings in, a service it
        extends here or in another file); None without the key."""
        found = self._walk(keys)
        if not found:
            return None
        _, layer, holder = found[0]
        pos = _pos(holder, keys[-1])
        return None if pos is None else (layer.path or self.file.path, *pos)

    def value_str(self, value: object) -> str | None:
        """A scalar of this service as Compose sees it after interpolation with the project's
        variables (see the module-level :func:`value_str`)."""
        return value_str(value, self.file.env)

    def _entry_pos(self, layer: _Layer, pos: tuple[int, int] | None) -> tuple[int, int]:
        """Where an entry is written: in this file (own, or a service of this file that this
        one extends), else at the service."""
        if not layer.here or pos is None:
            return self.line, self.col
        return pos

    # -- typed views ------------------------------------------------------------------------

    def extends_base(self) -> Service | None:
        """The service this one extends: of this file (``extends: base``) or of another
        (``extends: {file: common.yaml, service: base}``, read as Compose reads it, relative
        to this file); None without ``extends`` or when that file cannot be read."""
        ref, file, _ = _extends_ref(self._layers[0].node, self.file.env)
        if ref is None:
            return None
        path = os.path.join(os.path.dirname(self.file.path), file) if file is not None else ''
        if file is None or _same_file(path, self.file.path):
            return self.file.service(ref)
        from dockhooks._hook import parsed_doc

        other = parsed_doc(path, 'compose')
        return other.service(ref) if isinstance(other, ComposeFile) else None

    @property
    def is_fragment(self) -> bool:
        """True for a partial definition that another compose file completes.

        A service with neither ``image`` nor ``build`` (own, merged or extended), which
        Compose rejects on its own (``-f compose.yaml -f compose.ci.yaml``), or a service of
        ``compose.override.yaml`` that the base ``compose.yaml`` beside it defines too
        (:attr:`overlay`). What it leaves out is judged where the service is defined in full.
        """
        return self.overlay or (not self.has('image') and not self.has('build'))

    @property
    def raw_image(self) -> str | None:
        """``image`` as written, None if absent."""
        return _scalar_text(self.lookup('image'))

    @property
    def image(self) -> str | None:
        """``image`` after interpolation; None if absent or unknown."""
        return self.value_str(self.lookup('image'))

    @property
    def profiles(self) -> list[str]:
        """``profiles`` merged like Compose (appended, unique); an unknown one as written."""
        out: list[str] = []
        for value, _, _ in reversed(self._walk(('profiles',), collect=True)):
            items = value if isinstance(value, list) else []
            for item in items:
                text = self.value_str(item)
                if text is None:
                    text = _scalar_text(item)
                if text is not None and text not in out:
                    out.append(text)
        return out

    @property
    def build(self) -> Build | None:
        """The resolved build section, or None without ``build``."""
        found = self._walk(('build',), collect=True)
        if not found or found[0][0] is None:
            return None
        context: str | None = None
        context_dir = ''
        dockerfile: str | None = None
        inline = False
        dockerfile_set = False
        known = True
        target: str | None = None
        target_set = False
        for value, layer, _ in found:
            value = _plain(value)
            if isinstance(value, dict):
                entries = {
                    k: _get(value, k)[0]
                    for k in ('context', 'dockerfile', 'dockerfile_inline', 'target')
                }
            elif isinstance(value, str):
                entries = {'context': value}
            else:
                continue
            if context is None and entries.get('context', MISSING) not in (MISSING, _RESET, None):
                raw = entries['context']
                context = self.value_str(raw)
                if context is None:
                    known = False
                    context = _scalar_text(raw) or '.'
                context_dir = layer.base_dir
            if not target_set and entries.get('target', MISSING) not in (MISSING, _RESET, None):
                target, target_set = self.value_str(entries['target']), True
            if not dockerfile_set:
                if entries.get('dockerfile_inline', MISSING) not in (MISSING, _RESET, None):
                    inline, dockerfile_set = True, True
                elif entries.get('dockerfile', MISSING) not in (MISSING, _RESET, None):
                    raw = entries['dockerfile']
                    dockerfile = self.value_str(raw)
                    if dockerfile is None:
                        known = False
                        dockerfile = _scalar_text(raw)
                    dockerfile_set = True
        if context is None:
            context = '.'
        elif context_dir and not _is_remote(context) and not posixpath.isabs(context):
            context = posixpath.normpath(posixpath.join(context_dir, context))
        if not dockerfile_set:
            dockerfile = 'Dockerfile'
        return Build(context, dockerfile, self.key_pos('build')[0], inline, known, target)

    def command_text(self) -> str:
        """``entrypoint`` and ``command`` as one line of words (lists joined), '' without."""
        parts: list[str] = []
        for key in ('entrypoint', 'command'):
            value = self.lookup(key)
            if isinstance(value, list):
                parts.extend(str(v) for v in value)
            elif value is not MISSING and value is not None:
                parts.append(str(value))
        return ' '.join(parts)

    def bind_mounts(self) -> list[tuple[str, str]]:
        """(host path as written, path in the container) of each bind mount in
        ``volumes`` (short form ``./src:/app[:ro]`` and long form ``type: bind``)."""
        out: list[tuple[str, str]] = []
        volumes = self.get('volumes')
        for item in volumes if isinstance(volumes, list) else []:
            item = _plain(item)
            if isinstance(item, str):
                text = self.value_str(item) or item
                parts = text.split(':')
                if len(parts) >= 2 and parts[0].startswith(('.', '/', '~', '$')):
                    out.append((parts[0], parts[1]))
            elif isinstance(item, dict) and item.get('type') == 'bind':
                source, target = item.get('source'), item.get('target')
                if isinstance(source, str) and isinstance(target, str):
                    out.append((self.value_str(source) or source, target))
        return out

    def published_ports(self) -> list[str | None]:
        """The host port of each ``ports:`` entry (``127.0.0.1:5432:5432`` -> ``5432``, long
        form ``published``); None for one Compose picks (``"5432"`` alone, a range) or that
        a variable without a known value sets."""
        out: list[str | None] = []
        ports = self.get('ports')
        for item in ports if isinstance(ports, list) else []:
            item = _plain(item)
            if isinstance(item, dict):
                text = self.value_str(item.get('published'))
            else:
                text = self.value_str(item)
                if text is not None:
                    # [ip:]host:container[/protocol]; an IPv6 address is in brackets
                    parts = re.sub(r'^\[[^\]]*\]:', 'ip:', text.split('/')[0]).split(':')
                    text = parts[-2] if len(parts) >= 2 else None
            out.append(text if text is not None and text.isdigit() else None)
        return out

    def depends_on(self) -> list[Dependency]:
        """``depends_on`` entries (list and mapping form, merged like Compose).

        A list item is interpolated (``- ${DB:-postgres}`` -> ``postgres``); one with an
        unknown variable keeps its text.
        """
        deps: dict[str, Dependency] = {}
        for value, layer, _ in reversed(self._walk(('depends_on',), collect=True)):
            value = _plain(value)
            if isinstance(value, list):
                for i, item in enumerate(value):
                    # Compose interpolates list items (not mapping keys); unknown: as written
                    name = self.value_str(item) or _scalar_text(item)
                    if name is not None:
                        line, col = self._entry_pos(layer, _item_pos(value, i))
                        deps.pop(name, None)
                        deps[name] = Dependency(name, None, line, col,
                                                '$' in (_scalar_text(item) or ''))
            elif isinstance(value, dict):
                for key in value:
                    entry, _ = _get(value, key)
                    if entry is _RESET:
                        continue
                    condition: str | None = 'service_started'
                    if isinstance(entry, dict):
                        cond = _get(entry, 'condition')[0]
                        if cond not in (MISSING, _RESET, None):
                            condition = _scalar_text(cond)
                    name = str(key)
                    line, col = self._entry_pos(layer, _pos(value, key))
                    deps.pop(name, None)
                    deps[name] = Dependency(name, condition, line, col)
        return list(deps.values())

    def environment(self) -> list[EnvVar]:
        """``environment`` entries from mapping or list form, merge keys and extends included."""
        env: dict[str, EnvVar] = {}
        for value, layer, _ in reversed(self._walk(('environment',), collect=True)):
            value = _plain(value)
            if isinstance(value, list):
                for i, item in enumerate(value):
                    text = _scalar_text(item)
                    if text is None:
                        continue
                    name, eq, val = text.partition('=')
                    line, col = self._entry_pos(layer, _item_pos(value, i))
                    env.pop(name, None)
                    env[name] = EnvVar(name, val if eq else None, line, col)
            elif isinstance(value, dict):
                for key in value:
                    entry, _ = _get(value, key)
                    if entry is _RESET:
                        continue
                    name = str(key)
                    line, col = self._entry_pos(layer, _pos(value, key))
                    env.pop(name, None)
                    env[name] = EnvVar(name, _scalar_text(entry), line, col)
        return list(env.values())


def _is_remote(context: str) -> bool:
    return '://' in context or context.startswith(('git@', 'github.com/'))


class ComposeFile:
    """A parsed compose file: its services in file order (first appearance)."""

    def __init__(self, path: str, text: str,
                 env: dict[str, str | None] | None = NO_ENV) -> None:
        self.path = path
        self.text = text
        # the project's variables for interpolation (see project_env)
        self.env = env
        self.services: list[Service] = []
        # the top-level mapping of each YAML document
        self.documents: list[dict[Any, Any]] = []
        # top-level keys Compose rejects (name, line): e.g. a legacy version-1 file
        self.unknown_keys: list[tuple[str, int]] = []

    def service(self, name: str) -> Service | None:
        for service in self.services:
            if service.name == name:
                return service
        return None

    def __repr__(self) -> str:
        return f'ComposeFile({self.path!r}, services={[s.name for s in self.services]})'


def is_compose_filename(path: str) -> bool:
    """True for compose.yaml, docker-compose.yml, compose.override.yaml, compose.prod.yml..."""
    return re.search(COMPOSE_FILES_RE, path.replace(os.sep, '/')) is not None


# -- parsing ------------------------------------------------------------------------------------

_YAML_CLASSES: tuple[Any, Any, Any] | None = None


def _new_yaml() -> Any:
    """A round-trip YAML instance whose anchors persist across documents, as in yaml.v3."""
    global _YAML_CLASSES
    if _YAML_CLASSES is None:
        from ruamel.yaml import YAML
        from ruamel.yaml import YAMLError
        from ruamel.yaml.composer import Composer
        from ruamel.yaml.constructor import ConstructorError
        from ruamel.yaml.constructor import RoundTripConstructor

        class _Composer(Composer):
            def __init__(self, loader: Any = None) -> None:
                super().__init__(loader)
                self.warn_double_anchors = False
                self.doc_lines: list[int] = []

            def compose_document(self) -> Any:
                # like Composer.compose_document, but without `self.anchors = {}`: Compose's
                # YAML parser lets a later document use an earlier document's anchor
                start = self.parser.get_event()
                node = self.compose_node(None, None)
                # where an error about the document points: its content, else its `---`
                tag = getattr(node.tag, 'value', node.tag)
                empty = tag == 'tag:yaml.org,2002:null' and not node.value
                self.doc_lines.append((start if empty else node).start_mark.line + 1)
                self.parser.get_event()
                return node

        class _Constructor(RoundTripConstructor):
            def construct_non_recursive_object(self, node: Any, tag: str | None = None) -> Any:
                # ruamel fails with plain exceptions on a value that does not fit its tag
                # (`!!int abc`, `!!set x`): report it as a YAML error at the value
                try:
                    return super().construct_non_recursive_object(node, tag)
                except YAMLError:
                    raise
                except (ValueError, TypeError, AttributeError, IndexError, KeyError) as exc:
                    name = str(getattr(node.tag, 'value', node.tag))
                    name = name.replace('tag:yaml.org,2002:', '!!')
                    raise ConstructorError(
                        None, None, f'the value does not fit its tag {name}', node.start_mark,
                    ) from exc

        _YAML_CLASSES = (YAML, _Composer, _Constructor)  # one assignment: thread-safe
    yaml_cls, composer_cls, constructor_cls = _YAML_CLASSES
    yaml = yaml_cls(typ='rt', pure=True)
    yaml.Composer = composer_cls
    yaml.Constructor = constructor_cls
    yaml.max_depth = MAX_DEPTH
    return yaml


_DUP_KEY = r'found duplicate (?:merge )?key "(.*)"(?: with value|$)'


def _first_definition(text: str, key: str, start: int, end: int, col: int) -> int | None:
    """Line (1-based) of a block-mapping key ``key`` at column ``col`` in lines [start, end)."""
    lines = text.split('\n')
    pattern = re.compile(r'(["\']?)' + re.escape(key) + r'\1\s*:(\s|$)')
    for i in range(start, min(end, len(lines))):
        line = lines[i]
        if pattern.match(line, col) and not line[:col].strip(' -'):
            return i + 1
    return None


def _yaml_error(exc: Exception, text: str) -> InputError:
    problem_mark = getattr(exc, 'problem_mark', None)
    context_mark = getattr(exc, 'context_mark', None)
    mark = problem_mark or context_mark
    line = mark.line + 1 if mark is not None else 1
    col = mark.column + 1 if mark is not None else 1
    problem = str(getattr(exc, 'problem', None) or getattr(exc, 'context', None) or '')
    if type(exc).__name__ == 'DuplicateKeyError':
        m = re.search(_DUP_KEY, problem, re.S)
        key = m.group(1) if m else '?'
        first = None
        if context_mark is not None and problem_mark is not None:
            first = _first_definition(text, key, context_mark.line, problem_mark.line,
                                      problem_mark.column)
        where = f' (first at line {first})' if first else ''
        return InputError(
            f'duplicate key "{key}"{where}: Compose rejects a key defined twice', line, col,
        )
    if type(exc).__name__ == 'MaxDepthExceededError':
        return InputError(f'is nested more than {MAX_DEPTH} levels deep', line, col)
    if type(exc).__name__ == 'ReaderError':
        position = getattr(exc, 'position', 0)
        line = text.count('\n', 0, position) + 1
        col = position - text.rfind('\n', 0, position)
        char = getattr(exc, 'character', 0)
        if isinstance(char, str) and len(char) == 1:
            char = ord(char)
        code = f'U+{char:04X}' if isinstance(char, int) else repr(char)
        return InputError(f'contains a character YAML does not allow ({code})', line, col)
    context = str(getattr(exc, 'context', None) or '')
    if context and context != problem:
        problem = f'{problem} ({context})'
    return InputError(f'is not valid YAML: {problem or exc}', line, col)


def _parse(text: str) -> tuple[list[Any], list[int]]:
    """All YAML documents of ``text`` and the 1-based line where each starts."""
    from ruamel.yaml import YAMLError

    m = re.search(r'^%YAML[ \t]+(\S+)', text, re.M)
    if m and m.group(1) != '1.1':
        line = text.count('\n', 0, m.start()) + 1
        raise InputError(
            f'has a %YAML {m.group(1)} directive: Compose accepts only %YAML 1.1', line,
        )
    yaml = _new_yaml()
    docs: list[Any] = []
    try:
        docs.extend(yaml.load_all(text))
    except YAMLError as exc:
        raise _yaml_error(exc, text) from None
    except RecursionError:
        raise InputError('is nested too deeply to parse') from None
    except Exception as exc:  # ruamel internals on pathological input: never a traceback
        raise InputError(f'cannot be parsed as YAML ({type(exc).__name__}: {exc})') from None
    return docs, list(yaml.composer.doc_lines)


def _alias_ratio_allowed(count: int) -> float:
    # yaml.v3 (Compose's YAML parser) decode.go: allowedAliasRatio
    if count <= 400_000:
        return 0.99
    if count >= 4_000_000:
        return 0.10
    return 0.99 - 0.89 * (count - 400_000) / 3_600_000


def _check_aliasing(root: object, line: int) -> None:
    """Reject alias bombs: expanded node count per yaml.v3's rule, memoised by object id."""
    memo: dict[int, int] = {}
    unique = 0

    def size(node: object) -> int:
        nonlocal unique
        if isinstance(node, dict):
            key = id(node)
            if key in memo:
                return memo[key]
            memo[key] = 1
            own = getattr(node, '_ok', None)
            total = 1
            unique += 1
            for k, v in dict.items(node):
                if own is not None and k not in own:
                    continue  # brought in by a merge key: counted through the source below
                total += 1 + size(v)
                unique += 1 if not isinstance(v, (dict, list)) else 0
                unique += 1
            for source in getattr(node, _MERGE_ATTRIB, ()):
                total += size(source)
            memo[key] = total
            return total
        if isinstance(node, list):
            key = id(node)
            if key in memo:
                return memo[key]
            memo[key] = 1
            total = 1
            unique += 1
            for v in node:
                total += size(v)
                unique += 1 if not isinstance(v, (dict, list)) else 0
            memo[key] = total
            return total
        return 1

    total = size(root)
    aliased = total - unique
    if aliased > 100 and total > 1000 and aliased / total > _alias_ratio_allowed(total):
        raise InputError(
            f'has excessive aliasing: {total} nodes after expanding aliases from {unique} '
            'written (a "billion laughs" alias bomb?); Compose rejects it', line,
        )


def _kind(value: object) -> str:
    if value is None:
        return 'null'
    if isinstance(value, dict):
        return 'a mapping'
    if isinstance(value, list):
        return 'a list'
    if isinstance(value, str) or _is_tagged_scalar(value):
        return 'a string'
    if isinstance(value, bool):
        return 'a boolean'
    return 'a number' if isinstance(value, (int, float)) else type(value).__name__


class _Context:
    """State shared while loading a file and the files its services extend."""

    def __init__(self, env: dict[str, str | None] | None) -> None:
        self.loading: list[str] = []
        self.cache: dict[str, ComposeFile | None] = {}
        self.env = env  # the project's variables, for every file it loads


class _Doc:
    def __init__(self, root: dict[Any, Any], services: dict[Any, Any] | None) -> None:
        self.root = root
        self.services = services
        self.resolved: dict[str, list[_Layer]] = {}


def _extends_ref(
        node: dict[Any, Any], env: dict[str, str | None] | None,
) -> tuple[str | None, str | None, tuple[int, int] | None]:
    """(service, file, position) of a service's ``extends``; service None when absent/unknown."""
    ext, holder = _get(node, 'extends')
    if ext is MISSING or ext is _RESET or ext is None:
        return None, None, None
    pos = _pos(holder, 'extends') if holder is not None else None
    ext = _plain(ext)
    if isinstance(ext, dict):
        service = value_str(_get(ext, 'service')[0], env)
        file_value = _get(ext, 'file')[0]
        file = None if file_value in (MISSING, _RESET, None) else value_str(file_value, env)
        if file is None and file_value not in (MISSING, _RESET, None):
            return None, None, pos  # a variable without default: cannot know the file
        return service, file, pos
    return value_str(ext, env), None, pos


def _resolve(
        path: str, doc: _Doc, name: Any, ctx: _Context, chain: tuple[Any, ...],
) -> list[_Layer]:
    """Layers of service ``name`` in one document: its own mapping, then what it extends."""
    if name in doc.resolved:
        return doc.resolved[name]
    assert doc.services is not None
    node, _ = _get(doc.services, name)
    layers = [_Layer(node, True, '', True, path)]
    ref, file, pos = _extends_ref(node, ctx.env)
    line, col = pos or (1, 1)
    if ref is not None and file is not None:
        if _same_file(os.path.join(os.path.dirname(path), file), path):
            file = None  # `extends: {file: <this file>}` is a same-file extends
    if ref is not None and file is not None:
        other = _load_extended(path, file, ctx)
        if other is not None:
            base = other.service(ref)
            if base is not None:
                rel = posixpath.relpath(
                    os.path.dirname(os.path.abspath(other.path)).replace(os.sep, '/'),
                    os.path.dirname(os.path.abspath(path)).replace(os.sep, '/'),
                )
                rel = '' if rel == '.' else rel
                layers.extend(
                    lay._replace(own=False, here=False, base_dir=posixpath.normpath(
                        posixpath.join(rel, lay.base_dir)) if rel else lay.base_dir)
                    for lay in base._layers
                )
    if ref is not None and file is None:
        if name in chain or ref == name or ref in chain:
            cycle = ' -> '.join(str(n) for n in (*chain, name, ref))
            raise InputError(f'extends cycle: {cycle}; Compose rejects circular extends', line, col)
        if _get(doc.services, ref)[0] in (MISSING, _RESET):
            raise InputError(
                f'service "{name}" extends "{ref}", which is not defined in this document',
                line, col,
            )
        base_layers = _resolve(path, doc, ref, ctx, (*chain, name))
        layers.extend(lay._replace(own=False) for lay in base_layers)
    doc.resolved[name] = layers
    return layers


def _same_file(a: str, b: str) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return os.path.abspath(a) == os.path.abspath(b)


def _load_extended(path: str, file: str, ctx: _Context) -> ComposeFile | None:
    """The file an ``extends`` names, or None when it cannot be read or parsed."""
    other = os.path.join(os.path.dirname(path), file)
    if not os.path.isfile(other):
        return None
    real = os.path.realpath(other)
    if real in ctx.cache:
        return ctx.cache[real]
    if real in ctx.loading:
        return None  # files extending each other: not followed
    try:
        result: ComposeFile | None = _load(other, None, ctx)
    except InputError:
        result = None
    ctx.cache[real] = result
    return result


def load(path: str, text: str | None = None) -> ComposeFile:
    """Parse the compose file at ``path`` (or ``text``, with ``path`` for messages/extends).

    Raises InputError (reason, 1-based line) for anything Compose would reject that keeps us
    from modelling the file.
    """
    return _load(path, text, _Context(project_env(path)))


def _load(path: str, text: str | None, ctx: _Context) -> ComposeFile:
    if text is None:
        text = read_text(path)
    if len(text) > MAX_CHARS:
        raise InputError(
            f'is {len(text)} characters long, over the {MAX_CHARS} dockhooks parses in a compose '
            'file (real ones stay under 100 kB; YAML parsing takes about 1 s per 150 kB)',
        )
    result = ComposeFile(path, text, ctx.env)
    ctx.loading.append(os.path.realpath(path))
    try:
        _build(result, ctx)
    except RecursionError:
        raise InputError('is nested too deeply to process') from None
    finally:
        ctx.loading.pop()
    return result


def _build(result: ComposeFile, ctx: _Context) -> None:
    path, text = result.path, result.text
    roots, lines = _parse(text)
    if not roots or (len(roots) == 1 and roots[0] is None):
        # empty or only comments: an override seam (`-f compose.yaml -f local.yaml`), which
        # Compose merges as nothing: no services
        return
    docs: list[_Doc] = []
    for root, line in zip(roots, lines):
        if root is None and len(roots) > 1:
            raise InputError(
                'has an empty YAML document (a stray "---"?); Compose rejects it', line,
            )
        if not isinstance(root, dict):
            raise InputError(f'top level must be a mapping, not {_kind(root)}', line)
        _check_aliasing(root, line)
        services, holder = _get(root, 'services')
        if services is MISSING or services is _RESET:
            services = None
        elif not isinstance(services, dict):
            spos = _pos(holder, 'services') or (line, 1)
            raise InputError(f'"services" must be a mapping, not {_kind(services)}', *spos)
        else:
            for name in services:
                node, nholder = _get(services, name)
                if node is not _RESET and not isinstance(node, dict):
                    npos = _pos(nholder, name) or (line, 1)
                    raise InputError(
                        f'service "{name}" must be a mapping, not {_kind(node)}', *npos,
                    )
        for key in root:
            if isinstance(key, str) and (key in TOP_LEVEL_KEYS or key.startswith('x-')):
                continue
            kpos = _pos(root, key)
            result.unknown_keys.append((str(key), kpos[0] if kpos else line))
            value, _ = _get(root, key)
            if services is None and isinstance(value, dict) and (
                    'image' in value or 'build' in value):
                # version 1: services at the top level; Compose v2 no longer reads these
                raise InputError(
                    f'"{key}" is a service at the top level (the version 1 format, which '
                    f'docker compose no longer reads); move the services under services:',
                    *(kpos or (line, 1)),
                )
        result.documents.append(root)
        docs.append(_Doc(root, services))

    order: dict[str, tuple[int, int]] = {}
    layers: dict[str, list[_Layer]] = {}
    for doc in docs:
        if doc.services is None:
            continue
        for key in doc.services:
            name = str(key)
            node, _ = _get(doc.services, key)
            if node is _RESET:
                layers.pop(name, None)
                order.pop(name, None)
                continue
            if name not in order:
                order[name] = _pos(doc.services, key) or (1, 1)
            # a later document's definition goes on top of the earlier ones
            layers[name] = _resolve(path, doc, key, ctx, ()) + layers.get(name, [])
    result.services = [
        Service(name, line, col, layers[name], result) for name, (line, col) in order.items()
    ]
    _mark_overlays(result, ctx)


# Compose's default files (compose-go cli.DefaultFileNames), the first found is the base that
# an override file (DefaultOverrideFileNames) is merged over by a plain `docker compose up`.
DEFAULT_FILES = ('compose.yaml', 'compose.yml', 'docker-compose.yml', 'docker-compose.yaml')
OVERRIDE_FILES = ('compose.override.yml', 'compose.override.yaml',
                  'docker-compose.override.yml', 'docker-compose.override.yaml')


def is_override(path: str) -> bool:
    """An override file: ``compose.override.yaml``, ``docker-compose.override.dev.yml`` ...,
    merged over a base file (by ``docker compose`` itself, or with ``-f`` by a script)."""
    return 'override' in re.split(r'[._-]+', os.path.basename(path).lower())


def _mark_overlays(result: ComposeFile, ctx: _Context) -> None:
    """Mark the services of an override file that its base file defines too; with no base
    file beside it (copied into place by a script, or given with -f from elsewhere), every
    service of an override file may complete one defined elsewhere."""
    folder = os.path.dirname(result.path)
    if not is_override(result.path):
        return
    for base_name in DEFAULT_FILES:
        if os.path.isfile(os.path.join(folder, base_name)):
            base = _load_extended(result.path, base_name, ctx)
            names = set() if base is None else {s.name for s in base.services}
            for service in result.services:
                service.overlay = service.name in names
            return
    for service in result.services:
        service.overlay = True


def default_partner(cf: ComposeFile) -> ComposeFile | None:
    """The file a plain ``docker compose`` (no ``-f``) merges with this one: the override
    file beside a base file (``compose.yaml`` + ``compose.override.yaml``), or the base file
    beside an override file; None when this file is neither, or the other cannot be read."""
    from dockhooks._hook import parse_file

    folder = os.path.dirname(cf.path) or '.'
    base = next((os.path.join(folder, n) for n in DEFAULT_FILES
                 if os.path.isfile(os.path.join(folder, n))), None)
    override = next((os.path.join(folder, n) for n in OVERRIDE_FILES
                     if os.path.isfile(os.path.join(folder, n))), None)
    if base is None or override is None:
        return None
    if _same_file(cf.path, base):
        other = override
    elif _same_file(cf.path, override):
        other = base
    else:
        return None
    try:
        doc = parse_file(other, 'compose').doc
    except (InputError, RecursionError):
        return None
    return doc if isinstance(doc, ComposeFile) else None


def default_project(cf: ComposeFile) -> list[Service]:
    """The services a plain ``docker compose`` runs in the file's folder: with a default
    partner (:func:`default_partner`), each service merged as Compose merges the override
    file over the base file (the override's keys first), and those only one file defines;
    without one, the file's own services."""
    partner = default_partner(cf)
    if partner is None:
        return list(cf.services)
    base, override = (partner, cf) if is_override(cf.path) else (cf, partner)
    out = []
    for service in base.services:
        over = override.service(service.name)
        out.append(service if over is None else Service(
            service.name, service.line, service.col, over._layers + service._layers, cf))
    names = {s.name for s in base.services}
    out.extend(s for s in override.services if s.name not in names)
    return out


def project_services(cf: ComposeFile) -> list[Service]:
    """The services of this file and of the other compose files of its folder (a project's
    base and override files), which an application may use the tool from."""
    from dockhooks._files import kind_of
    from dockhooks._hook import parse_file
    from dockhooks._roles import folder_entries

    out = list(cf.services)
    folder = os.path.dirname(cf.path) or '.'
    for name in folder_entries(folder):
        path = os.path.join(folder, name)
        if kind_of(path) != 'compose' or os.path.abspath(path) == os.path.abspath(cf.path):
            continue
        try:
            other = parse_file(path, 'compose').doc
        except (InputError, RecursionError):
            continue
        if isinstance(other, ComposeFile):
            out.extend(other.services)
    return out


def build_targets(dockerfile: str) -> list[str | None]:
    """The stages that compose files of the project build from the Dockerfile
    ``dockerfile``, in the order found: a service's ``build.target``, or None for a service
    that builds the last stage (see :func:`builds_of`; only files that mention ``target``
    count, as a build without one builds the last stage anyway)."""
    out: list[str | None] = []
    for service in builds_of(dockerfile, 'target'):
        target = service.build.target if service.build is not None else None
        if target not in out:
            out.append(target)
    return out


def builds_of(dockerfile: str, *mentions: str, everywhere: bool = False) -> list[Service]:
    """The services of the project's compose files that build the Dockerfile ``dockerfile``:
    the compose files of its folder and of the folders above it, up to the repository's
    root, and the files they ``include:`` (whose relative paths Compose reads from the
    include's ``project_directory``, by default the included file's folder); with
    ``everywhere``, every compose file of the repository too (a sibling folder's file builds
    it through ``context:`` and ``dockerfile:``). Only files whose text has one of
    ``mentions`` are read for their services (a file with ``include:`` for its includes), so
    a Dockerfile with no such file beside or above it costs a few directory listings."""
    from dockhooks._roles import folders_up
    from dockhooks._roles import repository_files

    want = os.path.abspath(dockerfile)
    out: list[Service] = []
    seen: set[tuple[str, str]] = set()

    def add(path: str, base: str) -> None:
        for service, built in _built_by(path, base, mentions):
            key = (_compose_path(path) or path, service.name)
            if built == want and key not in seen:
                seen.add(key)
                out.append(service)

    paths = [os.path.join(folder, name)  # as the other rules name it: parsed once
             for folder, names in folders_up(dockerfile) for name in _compose_names(names)]
    if everywhere:
        # only the repository's files whose text has a mention (found once per run)
        paths += _mentioning(tuple(repository_files(dockerfile, 'compose')), mentions)
    read: set[str] = set()
    for path in paths:
        full = _compose_path(path)
        if full is None or full in read:
            continue
        read.add(full)
        base = os.path.dirname(full)
        add(path, base)
        for included, project_dir in _includes(path):
            add(included, os.path.normpath(os.path.join(
                base, project_dir)) if project_dir is not None else
                os.path.dirname(os.path.abspath(included)))
    return out


def runs_of(dockerfile: str, names: set[str], *mentions: str) -> list[Service]:
    """The services of the repository's compose files (any folder but vendored and hidden
    ones other than ``.github``; Compose v1 files, with no ``services:``, are not read) that
    run, without building it, an image whose last name part is one of ``names`` (lower case,
    letters and digits only: ``quay.io/minio/minio:RELEASE`` -> ``minio``): the image a
    Dockerfile publishes, run by ``image:``. Only files whose text has one of ``mentions``
    are read."""
    from dockhooks._roles import top_folder

    root = top_folder(os.path.dirname(os.path.abspath(dockerfile)))
    key = ('runs', root, mentions)
    if key not in _DERIVED:
        index: dict[str, list[Service]] = {}
        for path in _mentioning(_repository_composes(root), mentions):
            for last, service in _run_images(path):
                index.setdefault(last, []).append(service)
        _DERIVED[key] = index
    return [service for name in sorted(names) for service in _DERIVED[key].get(name, ())]


def _compose_path(path: str) -> str | None:
    """The absolute path of ``path`` when it is a compose file by its name, else None."""
    return _compose_path_from(os.getcwd(), path)


@functools.lru_cache(maxsize=4096)
def _compose_path_from(cwd: str, path: str) -> str | None:
    from dockhooks._files import kind_of

    return os.path.normpath(os.path.join(cwd, path)) if kind_of(path) == 'compose' else None


# What was read of the compose files a Dockerfile's rules look at, and indexes over them:
# a large repository's files are looked at once per Dockerfile (emptied with the parses).
_TEXTS: dict[str, str | None] = {}
_DERIVED: dict[tuple[object, ...], Any] = {}
RUN_CACHES.extend((_TEXTS, _DERIVED))


def _text_of(path: str) -> str | None:
    """The text of the file at ``path`` (None: unreadable), read once per run."""
    if path not in _TEXTS:
        try:
            _TEXTS[path] = read_text(path)
        except (InputError, OSError):
            _TEXTS[path] = None
    return _TEXTS[path]


def _compose_names(names: list[str]) -> list[str]:
    """Those of a folder's sorted ``names`` that are compose files (once per listing)."""
    key = ('compose-names', id(names))
    hit = _DERIVED.get(key)
    if hit is None or hit[0] is not names:
        hit = _DERIVED[key] = (names, [n for n in names if is_compose_filename(n)])
    return hit[1]


def _mentioning(paths: tuple[str, ...], mentions: tuple[str, ...]) -> tuple[str, ...]:
    """Those of ``paths`` whose text has one of ``mentions`` (once per run)."""
    key = ('mentioning', paths, mentions)
    if key not in _DERIVED:
        _DERIVED[key] = tuple(p for p in paths if any(
            m in (_text_of(p) or '\0') for m in mentions))
    return _DERIVED[key]


def _built_by(path: str, base: str, mentions: tuple[str, ...]) -> list[tuple[Service, str]]:
    """The services of the compose file at ``path`` (when its text has one of ``mentions``)
    that build a Dockerfile of the project, each with the Dockerfile's path (``base``: the
    folder its build contexts are read from)."""
    text = _text_of(path)
    if text is None or not any(m in text for m in mentions):
        return []
    key = ('built', path, base)
    if key not in _DERIVED:
        cf = _parsed(path, mentions)
        out: list[tuple[Service, str]] = []
        for service in cf.services if cf is not None else ():
            build = service.build
            if build is None or not build.known or build.inline \
                    or build.dockerfile is None or _is_remote(build.context):
                continue
            out.append((service, os.path.normpath(os.path.join(base, build.context,
                                                               build.dockerfile))))
        _DERIVED[key] = out
    return _DERIVED[key]


def _run_images(path: str) -> list[tuple[str, Service]]:
    """The services of the compose file at ``path`` that run an image without building it,
    each with the image's last name part (lower case, letters and digits only)."""
    cf = _parsed(path, ('',))
    out: list[tuple[str, Service]] = []
    for service in cf.services if cf is not None else ():
        if service.build is None:
            image = (service.image or '').split('@')[0]
            last = image.rsplit('/', 1)[-1].split(':', 1)[0]
            out.append((re.sub(r'[^a-z0-9]', '', last.lower()), service))
    return out


def _repository_composes(root: str) -> tuple[str, ...]:
    """The compose files under ``root`` (at most 5000 folders looked at), once per run."""
    from dockhooks._roles import VENDORED_DIRS

    key = ('composes', root)
    if key in _DERIVED:
        return _DERIVED[key]
    out = []
    for count, (folder, dirs, files) in enumerate(os.walk(root)):
        if count > 5000:
            break
        dirs[:] = sorted(d for d in dirs if d not in VENDORED_DIRS
                         and (not d.startswith('.') or d == '.github'))
        out += [os.path.join(folder, f) for f in sorted(files) if is_compose_filename(f)]
    # named as the other rules name them (relative to the current folder, when inside it),
    # so that a file parsed here is the same parse for them
    here = os.getcwd()
    _DERIVED[key] = tuple(os.path.relpath(p, here) if os.path.commonpath((p, here)) == here
                          else p for p in out)
    return _DERIVED[key]


def _parsed(path: str, mentions: tuple[str, ...]) -> ComposeFile | None:
    """The compose file at ``path`` when its text has one of ``mentions`` (parsed once per
    run)."""
    from dockhooks._hook import parse_file

    text = _text_of(path)
    if text is None or not any(m in text for m in mentions):
        return None
    try:
        cf = parse_file(path, 'compose').doc
    except (InputError, RecursionError, OSError):
        return None
    return cf if isinstance(cf, ComposeFile) else None


def _includes(path: str) -> list[tuple[str, str | None]]:
    """The files the compose file at ``path`` includes (``include:``, short or long form),
    each with its ``project_directory`` as written (None: the included file's folder)."""
    cf = _parsed(path, ('include',))
    out: list[tuple[str, str | None]] = []
    folder = os.path.dirname(path)
    for doc in cf.documents if cf is not None else ():
        entries = doc.get('include')
        for entry in entries if isinstance(entries, list) else ():
            files, project_dir = entry, None
            if isinstance(entry, dict):
                files, project_dir = entry.get('path'), entry.get('project_directory')
            for file in files if isinstance(files, list) else [files]:
                if isinstance(file, str) and '$' not in file and not _is_remote(file):
                    out.append((os.path.join(folder, file), project_dir
                                if isinstance(project_dir, str) and '$' not in project_dir
                                else None))
    return out
