"""``NamedTuple`` without importing ``typing`` at run time.

``typing`` costs a hook's process ~3 ms at start-up (with ``contextlib`` and ``warnings``),
and dockhooks used it only for ``NamedTuple`` base classes and ``TYPE_CHECKING``. Type
checkers see ``typing.NamedTuple`` here; at run time a class written as

    class Edit(NamedTuple):
        start: int
        lines: tuple[str, ...] = ()

becomes a ``collections.namedtuple`` of its annotated fields (in order, with their defaults)
with the class body's methods and docstring on top: the same tuple, fields, ``_replace`` and
``_fields`` as ``typing.NamedTuple`` gives. Modules that use it have
``from __future__ import annotations``, so the annotations are plain strings in the class
body, read without evaluating them."""
from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import NamedTuple as NamedTuple
else:
    from collections import namedtuple

    class _Record(type):
        def __new__(mcs, name, bases, namespace):
            if not bases:
                return super().__new__(mcs, name, bases, namespace)
            fields = list(namespace.get('__annotations__', {}))
            defaults = [namespace[f] for f in fields if f in namespace]
            base = namedtuple(name, fields, defaults=defaults or None,
                              module=namespace.get('__module__'))
            body = {k: v for k, v in namespace.items()
                    if k not in fields and k not in ('__annotations__', '__dict__')}
            body['__slots__'] = ()
            cls = type(name, (base,), body)
            cls.__annotations__ = namespace.get('__annotations__', {})
            return cls

    class NamedTuple(metaclass=_Record):
        """The base class of a record type (see the module's docstring)."""
