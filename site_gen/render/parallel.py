"""Rendering on two processors (:func:`site_gen.parallel.map_in_two`): the bytes of one process.

Used by a full build of many pages (``site-gen build``).
"""

from __future__ import annotations

from typing import Callable, Iterable, MutableMapping, Protocol, Sequence, TypeVar

from site_gen import parallel
from site_gen.output import StagedFiles


class _HasPath(Protocol):
    @property
    def path(self) -> str: ...


P = TypeVar("P", bound=_HasPath)


PARALLEL_PAGES = 200
"""From this many pages a full build renders on two processors (:func:`render_in_two`)."""


def render_in_two(pages: Sequence[P], render: Callable[[P], Iterable[bytes]], rendered: Callable[[int, int], None],
                  into: MutableMapping[str, bytes], order: Sequence[int] | None = None,
                  meanwhile: Callable[[], None] = lambda: None) -> None:
    """Every page, rendered by this process and a forked one and put in ``into``; the same bytes as one process.

    ``render`` gives a page's bytes in parts.  Into
    :class:`~site_gen.output.StagedFiles` each process writes the pages it
    renders into the staging folder, part by part as they are made; into
    any other mapping the second process hands its pages back to this one.
    ``order`` is the order pages are taken in, ``meanwhile`` this process's
    other work (:func:`site_gen.parallel.map_in_two`).  A page that fails is
    reported as the one-process build reports it: the exception of the first
    failing page, in page order.
    """
    if isinstance(into, StagedFiles):
        sizes = parallel.map_in_two(pages, lambda page: into.put_parts(page.path, render(page)), _path,
                                    rendered, order, meanwhile)
        for page, size in zip(pages, sizes):
            into.record(page.path, size)
        return
    data = parallel.map_in_two(pages, lambda page: b"".join(render(page)), _path, rendered, order, meanwhile)
    into.update((page.path, page_bytes) for page, page_bytes in zip(pages, data))


def _path(page: _HasPath) -> str:
    return page.path
