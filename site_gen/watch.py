"""The file watcher of ``site-gen serve``, watching before the first build reads anything.

watchfiles' generator runs in a thread of its own and hands each batch of
changes over a queue; the preview takes every batch waiting at once, so a
burst of saves is one rebuild.  As watching starts before the first build, an
edit made while a large site builds (minutes at national scale) is rebuilt
right after it, and every change made since is reported: what lets a rebuild
walk again only the folders with a change (:meth:`site_gen.serve.Preview.rebuild`).
"""

from __future__ import annotations

import queue
import threading
from pathlib import Path
from typing import Iterator, Sequence

READY_TIMEOUT_MS = 200
"""watchfiles reports "nothing changed" after this long: the first such report says it is watching."""


class WatchError(Exception):
    """The file watcher stopped: the preview can no longer see edits."""


class Watcher:
    """Changed paths under ``paths``, batch by batch: iterate over it (blocks until the next batch)."""

    def __init__(self, paths: Sequence[Path]):
        self.paths = [str(path) for path in paths]
        self._batches: queue.Queue[set[str] | BaseException] = queue.Queue()
        self._ready = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True, name="file-watcher")

    def start(self) -> None:
        """Start watching; returns once the watcher reports (so an edit from now on is seen)."""
        self._thread.start()
        self._ready.wait()
        if not self._thread.is_alive() and self._batches.empty():
            raise WatchError("the file watcher stopped at once")

    def stop(self) -> None:
        self._stop.set()

    def _watch(self) -> None:
        from watchfiles import watch

        try:
            for changes in watch(*self.paths, stop_event=self._stop, rust_timeout=READY_TIMEOUT_MS,
                                 yield_on_timeout=True, raise_interrupt=False):
                self._ready.set()
                if changes:
                    self._batches.put({path for _, path in changes})
        except Exception as error:  # noqa: BLE001 - handed to the preview, which says the watcher stopped
            self._batches.put(error)
        finally:
            self._ready.set()

    def __iter__(self) -> Iterator[set[str]]:
        while True:
            batch = _changed(self._batches.get())
            while not self._batches.empty():  # every batch already waiting: one rebuild for them all
                batch |= _changed(self._batches.get_nowait())
            yield batch


def _changed(item: set[str] | BaseException) -> set[str]:
    if isinstance(item, BaseException):
        raise WatchError(f"the file watcher stopped ({type(item).__name__}: {item})") from item
    return item
