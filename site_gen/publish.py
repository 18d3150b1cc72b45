"""``site-gen serve`` writes what it serves into ``output/`` in a thread of its own.

The preview serves each rebuild from memory the moment it is made; writing
it into ``output/`` (with the atomic swap of ``site-gen build``) takes
seconds for a large site, and an edit saved meanwhile must not wait for it.
So the write goes on in the background while the next edit is rebuilt.  Only
the newest site is written: one superseded before its write began never is.
Unchanged files are hard-linked from the site written before (see
:func:`~site_gen.write.write_tree`), so only the writer thread may know what
``output/`` holds: :attr:`OutputWriter.published`.
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
from pathlib import Path
from typing import Callable, Generic, TypeVar

import click

from site_gen.config import BuildConfig
from site_gen.errors import printable, shorten


T = TypeVar("T")


class NewestOnly(Generic[T]):
    """``work`` done in a thread of its own on the newest item handed over; one superseded before it began is
    dropped.  The preview's background work (its search index, its writes of ``output/``) is all of this kind:
    only the newest site matters.

    ``behind``: the thread, and the processes it starts, run at a lower CPU priority (on Linux, where each
    thread has its own), so that a rebuild the reader waits for comes first on a busy machine.
    """

    def __init__(self, work: Callable[[T], None], name: str, behind: bool = False):
        self._work, self._name, self._behind = work, name, behind
        self._wanted: tuple[T] | None = None
        self._busy = False
        self._changed = threading.Condition()
        self._thread: threading.Thread | None = None

    def submit(self, item: T) -> None:
        with self._changed:
            self._wanted = (item,)
            self._changed.notify_all()
            if self._thread is None:
                self._thread = threading.Thread(target=self._forever, daemon=True, name=self._name)
                self._thread.start()

    def wait(self) -> None:
        """Return once nothing is waiting nor being worked on."""
        with self._changed:
            while self._wanted is not None or self._busy:
                self._changed.wait()

    def _forever(self) -> None:
        if self._behind:
            run_behind()
        while True:
            with self._changed:
                while self._wanted is None:
                    self._changed.wait()
                (item,), self._wanted = self._wanted, None
                self._busy = True
            try:
                self._work(item)  # handles its own failures: the thread must go on
            finally:
                with self._changed:
                    self._busy = False
                    self._changed.notify_all()


def run_behind(niceness: int = 10) -> None:
    """Lower the calling thread's CPU priority by ``niceness`` (Linux only; elsewhere nothing).

    Linux schedules threads one by one, each with its own nice value, and a
    process a thread starts inherits that thread's: so Pagefind, started from
    the index worker, runs behind the rebuild too.  Elsewhere the call would
    name the whole process, or another one, and is not made.
    """
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError):  # not permitted here: the thread keeps its priority
            thread = threading.get_native_id()
            os.setpriority(os.PRIO_PROCESS, thread, min(19, os.getpriority(os.PRIO_PROCESS, thread) + niceness))


class OutputWriter:
    def __init__(self, config: BuildConfig):
        self.config = config
        self.published: dict[str, bytes] | None = None
        """What the last write put into ``output/``."""
        self._writes = NewestOnly(self._write, "write-output")
        self._failure: BaseException | None = None
        self._waited = 0
        self._lock = threading.Lock()

    def write(self, files: dict[str, bytes], check_index: bool) -> None:
        """Have ``files`` written into ``output/`` (in place of any site still waiting to be written)."""
        self._writes.submit((files, check_index))

    def wait(self) -> None:
        """Return once the newest site asked for is in ``output/``; raise what stopped its write."""
        with self._lock:
            self._waited += 1
        try:
            self._writes.wait()
        finally:
            with self._lock:
                self._waited -= 1
                failure, self._failure = self._failure, None
        if failure is not None:
            raise failure

    def _write(self, item: tuple[dict[str, bytes], bool]) -> None:
        from site_gen.build import write_site

        files, check_index = item
        failure: BaseException | None = None
        try:
            write_site(self.config, files, check_index=check_index, published=self.published, discard=_discard)
            self.published = files
        except Exception as error:  # noqa: BLE001 - the preview keeps serving; output/ keeps its last site
            failure = error
        with self._lock:
            self._failure = failure
            if failure is not None and not self._waited:
                click.echo(self.failure_line(failure), err=True)
                self._failure = None

    def failure_line(self, failure: BaseException) -> str:
        """What a failed write of ``output/`` means for the user, in one line."""
        message = printable(str(failure)) or type(failure).__name__
        return (f"error: {self.config.out_dir} could not be written ({shorten(message, 300)}); "
                "it keeps the site written before, the preview serves the new one.")


def _discard(previous: Path) -> None:
    """Remove the swapped-out site in the background: the new one is already served.

    If the preview stops before it is gone, the next build removes it
    (:class:`~site_gen.write.Staging` clears folders left by a process that ended).
    """
    from site_gen.write import _remove

    threading.Thread(target=_remove, args=(previous,), daemon=True, name="remove-previous").start()
