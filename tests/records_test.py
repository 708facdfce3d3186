"""``_records.NamedTuple`` (no typing at run time) gives what ``typing.NamedTuple`` gives."""
from __future__ import annotations

import pickle
import typing

from dockhooks._records import NamedTuple


class Mine(NamedTuple):
    """A record."""

    start: int
    name: str = 'x'
    lines: tuple[str, ...] = ()

    def twice(self) -> int:
        return self.start * 2


class Theirs(typing.NamedTuple):
    start: int
    name: str = 'x'
    lines: tuple[str, ...] = ()


def test_records_behave_as_typing_namedtuples():
    mine, theirs = Mine(3), Theirs(3)
    assert (mine._fields, mine._field_defaults) == (theirs._fields, theirs._field_defaults)
    assert tuple(mine) == tuple(theirs) == (3, 'x', ())
    assert repr(mine) == 'Mine(start=3, name=\'x\', lines=())'
    assert mine._replace(name='y') == Mine(3, 'y') == (3, 'y', ())
    assert mine.twice() == 6 and Mine.__doc__ == 'A record.'
    assert hash(mine) == hash(theirs) and isinstance(mine, tuple)
    assert pickle.loads(pickle.dumps(mine)) == mine
    assert list(Mine.__annotations__) == ['start', 'name', 'lines']
    assert not hasattr(mine, '__dict__')  # slots, as a namedtuple's
