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

from typing import Any, Callable, Hashable, TypeVar

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
        key = (step, values, tuple(id(o) for o in objects))
        entry = self._new.get(key)
        if entry is None:
            entry = self._old.pop(key, None)
            if entry is not None and all(a is b for a, b in zip(entry[0], objects)):
                self.hits += 1
            else:
                self.misses += 1
                entry = (objects, make())
            self._new[key] = entry
        result: T = entry[1]
        return result
