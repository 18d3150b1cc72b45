"""Rendering on two processors (:func:`site_gen.parallel.map_in_two`): the bytes of one process, in page order.

Used by a full build of many pages (``site-gen build``).
"""

from __future__ import annotations

from typing import Callable, Protocol, Sequence, TypeVar

from site_gen import parallel


class _HasPath(Protocol):
    @property
    def path(self) -> str: ...


P = TypeVar("P", bound=_HasPath)


PARALLEL_PAGES = 200
"""From this many pages a full build renders on two processors (:func:`render_in_two`)."""


def render_in_two(pages: Sequence[P], render: Callable[[P], bytes], rendered: Callable[[int, int], None],
                  order: Sequence[int] | None = None, meanwhile: Callable[[], None] = lambda: None) -> dict[str, bytes]:
    """Every page, rendered by this process and a forked one; the same bytes as one process.

    ``order`` is the order pages are taken in, ``meanwhile`` this process's
    other work (:func:`site_gen.parallel.map_in_two`).  A page that fails is
    reported as the one-process build reports it: the exception of the first
    failing page, in page order.
    """
    data = parallel.map_in_two(pages, render, lambda page: page.path, rendered, order, meanwhile)
    return {page.path: page_bytes for page, page_bytes in zip(pages, data)}
