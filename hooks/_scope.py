"""What the configuration leaves out: ``exclude`` (paths no rule reads) and
``per-file-ignores`` (codes not reported in some paths).

Globs are gitignore's (pathspec's ``GitIgnoreSpec``), matched against a path relative to the
config file's folder: ``*`` matches within one folder, ``**`` any number of folders, a glob
without a ``/`` (other than a trailing one) matches at any depth, a leading ``/`` anchors it at
the config file's folder, a trailing ``/`` matches a folder and everything in it; in
``exclude`` a glob starting with ``!`` takes paths back in (the last match wins), in
``per-file-ignores`` it means the paths the rest does not match (as in ruff). A path outside
the config file's folder matches nothing. Only imported (with pathspec, ~7 ms) when one of the two
settings is set.
"""
from __future__ import annotations

import os
from collections.abc import Iterable
from collections.abc import Iterator
from collections.abc import Mapping
from collections.abc import Sequence

from dockhooks._config import ConfigError
from dockhooks._config import rule_code
from dockhooks._findings import Finding
from dockhooks._records import TYPE_CHECKING

if TYPE_CHECKING:
    from pathspec import GitIgnoreSpec


def _spec(globs: Sequence[str], what: str) -> GitIgnoreSpec:
    from pathspec import GitIgnoreSpec

    try:
        return GitIgnoreSpec.from_lines(globs)
    except ValueError as exc:
        raise ConfigError(f'{what}: invalid glob ({exc})') from None


class Scope:
    """``exclude`` and ``per-file-ignores`` of one configuration, read against ``base``."""

    def __init__(self, base: str, exclude: Sequence[str],
                 per_file_ignores: Mapping[str, Sequence[str]]) -> None:
        """Raises ConfigError for an invalid glob or an unknown code or hook id."""
        self.base = base
        self.exclude = _spec(exclude, 'exclude') if exclude else None
        # (glob, negated, codes): a glob with a leading `!` means the files it does not match
        self.ignores: list[tuple[GitIgnoreSpec, bool, frozenset[str]]] = []
        for glob, keys in per_file_ignores.items():
            what = f'per-file-ignores {glob!r}'
            codes = frozenset(rule_code(key, what) for key in keys)
            negated = glob.startswith('!')
            spec = _spec([glob[negated:]], what)
            if not any(p.include for p in spec.patterns):  # blank, `#...`, `/`
                raise ConfigError(f'{what}: the glob matches no path')
            self.ignores.append((spec, negated, codes))
        self._rel: dict[str, str | None] = {}

    def _relative(self, path: str) -> str | None:
        """``path`` relative to the base folder, with ``/``; None outside it."""
        if path not in self._rel:
            rel = os.path.relpath(os.path.abspath(path), self.base).replace(os.sep, '/')
            self._rel[path] = None if rel == '..' or rel.startswith('../') else rel
        return self._rel[path]

    def excluded(self, path: str) -> bool:
        rel = self._relative(path)
        return self.exclude is not None and rel is not None and self.exclude.match_file(rel)

    def files(self, paths: Iterable[str]) -> list[str]:
        """``paths`` without the excluded ones."""
        return [p for p in paths if not self.excluded(p)]

    def ignored(self, finding: Finding) -> bool:
        """The finding is in an excluded path, or its code is ignored there."""
        if self.excluded(finding.path):
            return True
        rel = self._relative(finding.path)
        return rel is not None and any(
            finding.code in codes and spec.match_file(rel) != negated
            for spec, negated, codes in self.ignores)

    def filter(self, findings: Iterable[Finding]) -> Iterator[Finding]:
        return (f for f in findings if not self.ignored(f))
