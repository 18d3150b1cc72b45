"""The build pipeline, one stage after another:

load → validate → model → derive → render → index → write.

Each stage is a module with a small surface; this file only connects them.
"""

from __future__ import annotations

import gc
import json
import sys
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator, Mapping, MutableMapping, TextIO

from site_gen import killpoint, urls
from site_gen.config import BuildConfig, out_dir_conflict
from site_gen.derive import derive_site
from site_gen.derive.tables import TABLES, Table
from site_gen.errors import BuildError
from site_gen.load import load_content
from site_gen.memo import Memo
from site_gen.model import Site, build_site_model
from site_gen.output import StagedFiles
from site_gen.render.pages import page_count, render_site, site_pages, templates_exist
from site_gen.records import content_json_schema
from site_gen.validate import validate
from site_gen.write import Staging, write_tree


@dataclass(frozen=True)
class BuildResult:
    pages: int
    files: int


Progress = Callable[[str], None]
"""Told each stage as it starts (``load``, ``validate``, ``derive``, ``render``, ``index``,
``write``, ``swap``, ``done``), and counts within a stage as ``render 200/2011``."""


def load_site(content_dir: Path, memo: Memo | None = None) -> Site:
    """Load and validate ``content_dir``; raises ContentError listing every problem."""
    with collecting_less():
        return build_site_model(validate(load_content(content_dir, memo), memo))


def schema_file() -> bytes:
    return (json.dumps(content_json_schema(), ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def render_files(site: Site, config: BuildConfig, tables: tuple[Table, ...] = TABLES,
                 memo: Memo | None = None, progress: Progress = lambda stage: None,
                 into: MutableMapping[str, bytes] | None = None) -> MutableMapping[str, bytes]:
    """Every output file of the site but the search index; ``tables`` are the comparisons it shows.

    The files are put in ``into`` as they are made (:class:`~site_gen.output.StagedFiles`
    writes them into the staging folder), or in a new dict.
    """
    if not templates_exist(config.templates_dir):
        raise BuildError(f"no templates in {config.templates_dir} (expected base.html and the page templates)")
    with collecting_less():
        progress("derive")
        derived = derive_site(site, config.today, tables, memo)
        pages = site_pages(derived)
        progress("render")
        files = render_site(derived, config, pages, memo,
                            rendered=lambda done, total: progress(f"render {done}/{total}"), into=into)
        # inside: a full collection here re-scans the whole build; the schema is the code's, kept while it runs
        files[urls.SCHEMA] = (memo or Memo.off()).get("schema", None, (), schema_file)
    return files


@contextmanager
def collecting_less() -> Iterator[None]:
    """Run the garbage collector's full passes less often while a stage builds millions of objects.

    A build allocates objects by the million and frees almost none until it
    ends; Python's default thresholds then re-scan everything built so far,
    over and over (a quarter of the build's time at 1,500 cities).  The
    youngest generation is collected ten times less often, the older ones
    far less; memory stays the same, as nearly nothing is garbage before the
    stage ends.  Nothing the build computes depends on when collection happens.
    """
    global _collecting_less
    if _collecting_less:  # inside another stage's: thresholds already raised, and kept till it ends
        yield
        return
    before = gc.get_threshold()
    gc.set_threshold(before[0] * 10, 100, 1000)
    _collecting_less = True
    try:
        yield
    finally:
        _collecting_less = False
        gc.set_threshold(*before)


_collecting_less = False


class Builder:
    """Builds the site, keeping what each step computed for the next build (``site-gen serve``).

    Every build reads every file again; a file whose bytes did not change is
    not parsed or checked again, a record that did not change keeps its view,
    and a city or document page whose view did not change is not rendered
    again (:mod:`site_gen.memo`).  The result is the same as a fresh
    :func:`build_site` of the same input: the kept results are those of pure
    steps under keys naming all they read.
    """

    def __init__(self, config: BuildConfig, tables: tuple[Table, ...] = TABLES, memo: Memo | None = None):
        self.config = config
        self.tables = tables
        self.memo = memo if memo is not None else Memo()

    def files(self, progress: Progress = lambda stage: None,
              city_versions: Mapping[str, int] | None = None) -> dict[str, bytes]:
        """Every file of the site but the search index, in memory (``site-gen serve``).

        ``city_versions``: changes a file watcher reported, counted by city
        folder (:func:`site_gen.load.load_content`); without it every file's status is checked.
        """
        files: dict[str, bytes] = {}
        render_files(self._site(progress, city_versions), self.config, self.tables, self.memo, progress, files)
        return files

    def _site(self, progress: Progress, city_versions: Mapping[str, int] | None = None) -> Site:
        """The content, loaded and validated: the model."""
        self.memo.next_build()
        progress("load")
        killpoint.reached("load")
        with collecting_less():
            raw = load_content(self.config.content_dir, self.memo, city_versions)
            progress("validate")
            site = build_site_model(validate(raw, self.memo))
            del raw  # every value's file position: no longer needed (the memo keeps what it needs)
        killpoint.reached("render")
        return site

    def build(self, progress: Progress = lambda stage: None) -> BuildResult:
        """Build into ``config.out_dir``, replacing it only on success.

        Each file is written into the staging folder as it is made
        (:class:`~site_gen.output.StagedFiles`), not held in memory until
        the end; with ``config.search`` the search index is built from the
        pages there.  The staging folder is made once the content is valid.
        """
        config = self.config
        unusable = killpoint.check() or out_dir_conflict(
            config.out_dir, content=config.content_dir, templates=config.templates_dir)
        if unusable:
            raise BuildError(unusable)
        site = self._site(progress)
        staging = Staging(config.out_dir)
        with staging as folder:
            files = StagedFiles(folder, config.out_dir)
            killpoint.reached("write")
            half = _once_past_half(lambda: killpoint.reached("write-half"))

            def told(stage: str) -> None:
                progress(stage)
                name, _, count = stage.partition(" ")
                if name == "render" and count:
                    half(*map(int, count.split("/")))

            render_files(site, config, self.tables, self.memo, told, files)
            del site
            killpoint.reached("index")
            bundle: dict[str, bytes] = {}
            if config.search:
                from site_gen.index import search_files

                progress("index")
                give_back_memory()
                bundle = search_files(files)
            progress("write")
            files.update(bundle)
            killpoint.reached("written")
            if config.search:
                from site_gen.index import check_search_index

                check_search_index(folder)
            progress("swap")
            killpoint.reached("swap")
            staging.commit()
        progress("done")
        killpoint.reached("done")
        return BuildResult(pages=page_count(files), files=len(files))


def give_back_memory() -> None:
    """Free what the build no longer holds and hand the free memory back to the system, before Pagefind runs.

    Pagefind then needs about 1 GB at K=100, while this process waits for
    it, needing little more than the pages' names.  But a one-shot build runs
    without the collector (:func:`collecting_none`), and the model, derived
    views and Jinja's macros hold one another in cycles, so they are still
    there; and glibc keeps freed memory for the process.  A full collection
    (2 s at K=100) and ``malloc_trim`` (0.01 s) took this process from 819 MB
    to 551 MB at K=100, and the whole build's peak from 2,200 to 2,049 MB.
    Where the C library is not glibc, only the collection is made.
    """
    gc.collect()
    if sys.platform.startswith("linux"):
        import ctypes

        try:
            ctypes.CDLL(None).malloc_trim(0)
        except (OSError, AttributeError):  # not glibc (musl has no malloc_trim)
            pass


def _once_past_half(then: Callable[[], None]) -> Callable[[int, int], None]:
    """Told ``(done, total)`` as work goes on: calls ``then`` once, when ``done`` first reaches half of ``total``."""
    fired = False

    def told(done: int, total: int) -> None:
        nonlocal fired
        if not fired and done >= max(1, total // 2):
            fired = True
            then()

    return told


def write_site(config: BuildConfig, files: dict[str, bytes], progress: Progress = lambda stage: None,
               check_index: bool = True, published: dict[str, bytes] | None = None,
               discard: Callable[[Path], None] | None = None) -> None:
    """Write ``files`` into a staging folder and swap it in for ``config.out_dir``.

    ``published``: what the last build wrote there (see :func:`~site_gen.write.write_tree`);
    ``discard`` removes the previous site once swapped out (:class:`~site_gen.write.Staging`).
    """
    staging = Staging(config.out_dir, discard)
    with staging as folder:
        progress("write")
        killpoint.reached("write")
        write_tree(folder, files, config.out_dir, published)
        killpoint.reached("written")
        if check_index:
            from site_gen.index import check_search_index

            check_search_index(folder)
        progress("swap")
        killpoint.reached("swap")
        staging.commit()


STAGES = ("load", "validate", "derive", "render", "index", "write", "swap")


class TerminalProgress:
    """Stages and counts of a long build, on one line of a terminal.

    ``with TerminalProgress() as progress: build_site(config, progress)``.
    Nothing is shown for the first ``delay`` seconds (a short build stays
    quiet) nor ever when ``stream`` is not a terminal; then one line is redrawn
    in place four times a second, e.g. ``site-gen: 4/7 render 1,200/2,011 · 12.3 s``,
    and cleared at the end.
    """

    def __init__(self, stream: TextIO | None = None, delay: float = 2.0, interval: float = 0.25):
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = bool(getattr(self.stream, "isatty", lambda: False)())
        self.delay, self.interval = delay, interval
        self.stage = ""
        self.shown = False
        self._started = time.monotonic()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def __call__(self, stage: str) -> None:
        self.stage = stage

    def line(self, now: float | None = None) -> str:
        name, _, count = self.stage.partition(" ")
        position = f"{STAGES.index(name) + 1}/{len(STAGES)} " if name in STAGES else ""
        if count and "/" in count:
            done, total = count.split("/", 1)
            count = f"{int(done):,}/{int(total):,}" if done.isdigit() and total.isdigit() else count
        elapsed = (now if now is not None else time.monotonic()) - self._started
        return f"site-gen: {position}{name}{' ' + count if count else ''} · {elapsed:.1f} s"

    def _run(self) -> None:
        if self._stop.wait(self.delay):
            return
        while not self._stop.is_set():
            self.stream.write("\r\x1b[K" + self.line())
            self.stream.flush()
            self.shown = True
            self._stop.wait(self.interval)

    def __enter__(self) -> "TerminalProgress":
        self._started = time.monotonic()
        if self.enabled:
            self._thread = threading.Thread(target=self._run, daemon=True, name="progress")
            self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        if self.shown:
            self.stream.write("\r\x1b[K")
            self.stream.flush()


def build_site(config: BuildConfig, progress: Progress = lambda stage: None,
               tables: tuple[Table, ...] = TABLES, collect: bool = True) -> BuildResult:
    """Build the site into ``config.out_dir``, replacing it only on success.

    ``progress`` is told each stage as it starts (:data:`Progress`).  The
    stage names ``load``, ``render``, ``index``, ``write``, ``swap`` and
    ``done``, and finer ones inside the write and the swap, are the kill
    points of :mod:`site_gen.killpoint` (a test hook).  ``collect=False``
    (the ``site-gen`` program, which ends right after) leaves the collector
    off on return instead of letting it pass over what the build left.
    """
    with collecting_none(restore=collect):
        return Builder(config, tables, Memo.off()).build(progress)


@contextmanager
def collecting_none(restore: bool = True) -> Iterator[None]:
    """No automatic collection while a one-shot build runs (``site-gen build``, the process ends with it).

    Even with :func:`collecting_less`, the collector visits every object
    the build makes as it ages through the young generations, and a full
    collection between two stages re-scans the whole build; the build makes
    next to no cyclic garbage (its objects are freed by reference counting
    as each stage drops them), so nothing is there to find.  Measured at
    1,500 cities: 29.4 s → 25.3 s, peak memory 1,348 MB → 1,357 MB.
    ``site-gen serve``, which builds again and again, keeps
    :func:`collecting_less`.  ``restore=False`` leaves it off afterwards.
    """
    enabled = gc.isenabled() and restore
    gc.disable()
    try:
        with collecting_less():
            yield
    finally:
        if enabled:
            gc.enable()
