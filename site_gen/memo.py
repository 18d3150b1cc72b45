"""Results of pure steps kept from one build to the next, for ``site-gen serve``'s rebuilds.

Each stage asks the memo for a step's result under a key naming everything
the step reads, and computes it only when the key is new:

* keys made of text (a file's path and content) are compared by value, so a
  file whose bytes did not change is parsed once;
* keys made of objects are compared by identity (``is``): a record, a
  document's archived text or a view is reused exactly when the step that
  made it was itself a hit, so a change propagates to everything computed
  from it and nothing else.  The memo keeps every key's objects alive, so an
  identity cannot be reused by another object while its entry exists.

Only entries used by the latest build are kept (the rest are dropped when the
next build starts), so memory stays that of about one build.  ``Memo.off()``
(the default of ``site-gen build``) computes every step and keeps nothing.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import operator
from decimal import Decimal
from typing import Any, Callable, Hashable, TypeVar

from pydantic import BaseModel

T = TypeVar("T")


class Memo:
    def __init__(self, enabled: bool = True):
        self.enabled = enabled
        self._old: dict[Hashable, tuple[tuple[object, ...], Any]] = {}
        self._new: dict[Hashable, tuple[tuple[object, ...], Any]] = {}
        self.hits = 0
        self.misses = 0

    @classmethod
    def off(cls) -> "Memo":
        return cls(enabled=False)

    def next_build(self) -> None:
        """Start a build: entries the last build used stay available, older ones are dropped."""
        self._old, self._new = self._new, {}
        self.hits = self.misses = 0

    def forget(self) -> None:
        self._old.clear()
        self._new.clear()

    def get(self, step: str, values: Hashable, objects: tuple[object, ...], make: Callable[[], T]) -> T:
        """``make()``, or its result from a build where ``values`` were equal and ``objects`` the same."""
        if not self.enabled:
            return make()
        key = (step, values, tuple(map(id, objects)))
        entry = self._new.get(key)
        if entry is None:
            entry = self._old.pop(key, None)
            if entry is not None and all(map(operator.is_, entry[0], objects)):
                self.hits += 1
            else:
                self.misses += 1
                entry = (objects, make())
            self._new[key] = entry
        result: T = entry[1]
        return result

    def get_kept(self, step: str, values: Hashable, objects: tuple[object, ...],
                 make: Callable[[], T]) -> tuple[T, bool]:
        """:meth:`get`, and whether its result is one a build before made (never, with the memo off)."""
        hits = self.hits
        result = self.get(step, values, objects, make)
        return result, self.hits > hits

    def same(self, step: str, key: Hashable, value: object, make: Callable[[], T]) -> T:
        """``make()``, or its result from the last build if ``value`` was equal (``==``) then.

        For results computed from a whole tree of views (a comparison table):
        equality of two trees is mostly identity of their kept parts, far
        cheaper than computing the result again.  Equality is
        :func:`strictly_equal`: values that print differently are never equal.
        """
        if not self.enabled:
            return make()
        full = ("same", step, key)
        entry = self._new.get(full) or self._old.pop(full, None)
        if entry is not None and strictly_equal(entry[0][0], value):
            self.hits += 1
        else:
            self.misses += 1
            entry = ((value,), make())
        self._new[full] = entry
        result: T = entry[1]
        return result


def strictly_equal(a: object, b: object) -> bool:
    """``a`` and ``b`` hold the same values, and each would print the same.

    Plain ``==`` says ``Decimal("1.0") == Decimal("1.00")``, ``1 == True`` and
    ``0.0 == -0.0``, which a page prints differently; here types must match,
    decimals must have the same digits and exponent, floats the same repr.
    Containers, dataclasses and records are compared field by field (the
    same object is equal to itself at once); any other kind of object only
    to itself.
    """
    if a is b:
        return True
    kind = type(a)
    if kind is not type(b):
        return False
    check = _CHECKS.get(kind)
    if check is None:
        check = _CHECKS[kind] = _check_for(kind)
    return check(a, b)


def _sequences(a: Any, b: Any) -> bool:
    return len(a) == len(b) and all(x is y or strictly_equal(x, y) for x, y in zip(a, b))


def _dicts(a: Any, b: Any) -> bool:
    return len(a) == len(b) and all(
        k == j and (x is y or strictly_equal(x, y)) for (k, x), (j, y) in zip(a.items(), b.items()))


def _fields(a: Any, b: Any) -> bool:
    return _dicts(a.__dict__, b.__dict__)


def _decimals(a: Any, b: Any) -> bool:
    return bool(a.as_tuple() == b.as_tuple())


def _floats(a: Any, b: Any) -> bool:
    return repr(a) == repr(b)


def _plain(a: Any, b: Any) -> bool:
    return bool(a == b)


def _never(a: Any, b: Any) -> bool:
    return False


def _check_for(kind: type) -> Callable[[Any, Any], bool]:
    if issubclass(kind, (str, bytes, int, dt.date, frozenset, type(None))):  # bool is an int: types match here
        return _plain
    if issubclass(kind, Decimal):
        return _decimals
    if issubclass(kind, float):
        return _floats
    if issubclass(kind, (tuple, list)):
        return _sequences
    if issubclass(kind, dict):
        return _dicts
    if issubclass(kind, BaseModel) or (dataclasses.is_dataclass(kind) and not hasattr(kind, "__slots__")):
        return _fields  # a record's field values, or a dataclass's, are its __dict__
    return _never


_CHECKS: dict[type, Callable[[Any, Any], bool]] = {}
