"""Rendering on two processors: this process and a forked one take pages from one queue.

Used by a full build of many pages (``site-gen build``); the bytes are those
of rendering in one process, in the same order.
"""

from __future__ import annotations

import os
import pickle
import struct
import tempfile
from typing import BinaryIO, Callable, Protocol, Sequence, TypeVar

from site_gen.errors import BuildError


class _HasPath(Protocol):
    @property
    def path(self) -> str: ...


P = TypeVar("P", bound=_HasPath)


PARALLEL_PAGES = 200
"""From this many pages a full build renders on two processors (:func:`render_in_two`)."""


def render_jobs() -> int:
    """Processes to render with: 2 when this process may run on two processors and can fork, else 1.

    ``SITE_GEN_JOBS=1`` renders in one process.
    """
    if os.environ.get("SITE_GEN_JOBS", "").strip() == "1" or not hasattr(os, "fork"):
        return 1
    try:
        processors = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        processors = os.cpu_count() or 1
    return 2 if processors >= 2 else 1


def render_in_two(pages: Sequence[P], render: Callable[[P], bytes], rendered: Callable[[int, int], None],
                  order: Sequence[int] | None = None, meanwhile: Callable[[], None] = lambda: None) -> dict[str, bytes]:
    """Every page, rendered by this process and a forked one; the same bytes as one process.

    Both processes take the next page from one shared counter, so neither
    waits while the other still has pages to do, whichever pages take long.
    ``order`` is the order pages are taken in (indexes into ``pages``; the
    slowest first keeps the two finishing together); the result is in page
    order whatever it is.  ``meanwhile`` is other work this process does
    first, while the child starts on the pages.  The child shares, copy on write, everything
    computed so far, and writes its pages to an unnamed temporary file that
    this process reads once the child is done (a pipe would make it wait for
    its reader).  A page that fails is reported as the one-process build
    reports it: the exception of the first failing page, in page order.
    """
    import multiprocessing

    context = multiprocessing.get_context("fork")
    taken = context.Value("q", 0)  # how many of ``order`` are taken
    failed = context.Value("q", len(pages))  # the first page known to fail: later ones need not be rendered
    sequence = list(order) if order is not None else list(range(len(pages)))

    def next_page() -> int | None:
        """The next page to render, None when every page is taken; pages after a failure are skipped."""
        while True:
            with taken.get_lock():
                position: int = taken.value
                if position >= len(sequence):
                    return None
                taken.value = position + 1
            if sequence[position] < failed.value:
                return sequence[position]

    def fail(index: int) -> None:
        with failed.get_lock():
            failed.value = min(failed.value, index)

    def render_one(index: int) -> tuple[bytes | None, BaseException | None]:
        try:
            return render(pages[index]), None
        except Exception as exc:  # noqa: BLE001 - reported below, if no earlier page failed
            fail(index)
            return None, exc

    spool = tempfile.TemporaryFile()
    pid = os.fork()
    if pid == 0:  # the child: pages until none is left, then exit without running the parent's clean-up
        code = 0
        try:
            with os.fdopen(os.dup(spool.fileno()), "wb", buffering=1 << 20) as out:
                while (index := next_page()) is not None:
                    data, error = render_one(index)
                    _write_record(out, index, data, error, pages[index].path)
        except BaseException:  # noqa: BLE001 - the child broke: its missing pages are reported below
            code = 1
        os._exit(code)
    results: list[bytes | None] = [None] * len(pages)
    errors: dict[int, BaseException] = {}
    try:
        meanwhile()
        done = 0
        while (index := next_page()) is not None:
            results[index], error = render_one(index)
            if error is not None:
                errors[index] = error
            done += 1
            if done % 50 == 0:
                rendered(min(taken.value, len(pages)), len(pages))
    finally:
        _, status = os.waitpid(pid, 0)
    with spool:
        spool.seek(0)
        _read_records(spool, results, errors)
    if errors:
        raise errors[min(errors)]
    missing = [pages[i].path for i, data in enumerate(results) if data is None]
    if missing or os.waitstatus_to_exitcode(status) != 0:
        raise BuildError(f"the second rendering process stopped before {missing[0] if missing else 'its end'}"
                         f" (exit {os.waitstatus_to_exitcode(status)}); set SITE_GEN_JOBS=1 to render in one")
    rendered(len(pages), len(pages))
    return {page.path: data for page, data in zip(pages, results) if data is not None}


def _write_record(out: BinaryIO, index: int, data: bytes | None, error: BaseException | None, path: str) -> None:
    """One page of the child, length-prefixed: its index, its bytes or the exception it raised."""
    try:
        payload = pickle.dumps((index, data, error), protocol=pickle.HIGHEST_PROTOCOL)
    except Exception:  # noqa: BLE001 - an exception that cannot be pickled: its words
        payload = pickle.dumps((index, None, BuildError(f"cannot render {path}: {type(error).__name__}: {error}")))
    out.write(struct.pack("<Q", len(payload)) + payload)


def _read_records(spool: BinaryIO, results: list[bytes | None], errors: dict[int, BaseException]) -> None:
    """The child's pages from its file, into ``results`` and ``errors``; a cut-off last record is left out."""
    while len(head := spool.read(8)) == 8:
        body = spool.read(struct.unpack("<Q", head)[0])
        try:
            index, data, error = pickle.loads(body)
        except Exception:  # noqa: BLE001 - the child stopped mid-record: its page is reported missing
            return
        if data is None:
            errors[index] = error or BuildError("a page could not be rendered")
        else:
            results[index] = data
