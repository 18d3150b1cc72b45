"""``site-gen serve``: a local preview that rebuilds when content changes.

The server is bound to 127.0.0.1 only.  Like ``hugo server``, it serves the
site from memory: each rebuild's complete set of files replaces the last one
in a single step, so the next request sees the new site whole, before
``output/`` is written (then swapped in atomically, as ``site-gen build``
does).  After a failed rebuild (for any reason, a bug included) the problems
are printed and the last good site stays up.  Without a built site in memory
(the first build failed) it serves ``output/`` by path.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import http.server
import io
import os
import posixpath
import signal
import sys
import threading
import time
import urllib.parse
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Mapping

import click

from site_gen import urls
from site_gen.config import BuildConfig
from site_gen.errors import BuildError, ContentError, printable, printable_lines, shorten
from site_gen.publish import NewestOnly, OutputWriter

if TYPE_CHECKING:
    from site_gen.build import BuildResult


# Longer request paths are refused before they reach the file system.
MAX_PATH_LENGTH = 2048

# Shown at the top of every served page while the search index is being rebuilt after an edit.
UPDATING_NOTE = ('<p class="serve-note" role="status" data-pagefind-ignore="all">'
                 "搜索索引更新中：刚修改的内容要等索引更新后才能搜到（site-gen serve 预览提示）。</p>")
# Shown instead while the first index is being made: the site is served before it, and search has no index yet.
FIRST_INDEX_NOTE = ('<p class="serve-note" role="status" data-pagefind-ignore="all">'
                    "搜索索引生成中：索引生成后才能使用搜索（site-gen serve 预览提示）。</p>")
# The same notes on the pages of the English edition.
UPDATING_NOTE_EN = ('<p class="serve-note" role="status" data-pagefind-ignore="all">'
                    "Search index updating: what was just edited can be searched once it is done "
                    "(a note of the site-gen serve preview).</p>")
FIRST_INDEX_NOTE_EN = ('<p class="serve-note" role="status" data-pagefind-ignore="all">'
                       "Search index being made: search works once it is done "
                       "(a note of the site-gen serve preview).</p>")
# Shown once the index of the pages served could not be made (the terminal says why), until the next edit's index.
INDEX_FAILED_NOTE = ('<p class="serve-note" role="status" data-pagefind-ignore="all">'
                     "搜索索引未能更新：搜索用的仍是上一次的索引，原因见运行 site-gen serve 的终端（预览提示）。</p>")
FIRST_INDEX_FAILED_NOTE = ('<p class="serve-note" role="status" data-pagefind-ignore="all">'
                           "搜索索引未能生成：搜索暂不可用，原因见运行 site-gen serve 的终端（预览提示）。</p>")
INDEX_FAILED_NOTE_EN = ('<p class="serve-note" role="status" data-pagefind-ignore="all">'
                        "Search index could not be updated: search still answers from the last index; the terminal "
                        "running site-gen serve says why (a note of the site-gen serve preview).</p>")
FIRST_INDEX_FAILED_NOTE_EN = ('<p class="serve-note" role="status" data-pagefind-ignore="all">'
                              "Search index could not be made: search does not work yet; the terminal running "
                              "site-gen serve says why (a note of the site-gen serve preview).</p>")


def with_note(page: bytes, note: str) -> bytes:
    """An HTML page with ``note`` first in its body."""
    return page.replace(b"<body>", b"<body>\n" + note.encode("utf-8"), 1)


class PreviewHandler(http.server.SimpleHTTPRequestHandler):
    """Static files, with the site's own 404 page and no request log noise.

    Paths are checked before the standard handler maps them to files: a NUL
    byte (which makes ``open`` raise ValueError, not OSError), a ``..``
    segment however it is encoded, a backslash, or a path over
    ``MAX_PATH_LENGTH`` is a 400; anything whose real path is not under the
    served folder is a 404.
    """

    def __init__(self, *args: Any, preview: "Preview | None" = None, **kwargs: Any):
        self.preview = preview  # set first: the standard handler answers the request inside __init__
        super().__init__(*args, **kwargs)

    def _decoded_path(self) -> str:
        """The request's path, its query and fragment left off, percent-decoded."""
        return urllib.parse.unquote(self.path.split("?", 1)[0].split("#", 1)[0], errors="surrogateescape")

    def _bad_path(self) -> bool:
        decoded = self._decoded_path()
        return (len(self.path) > MAX_PATH_LENGTH or "\x00" in decoded or "\\" in decoded
                or any(part == ".." for part in decoded.split("/")))

    def send_head(self) -> Any:  # the standard library's own (untyped) signature
        if self._bad_path():
            self.send_error(400, "Bad request path")
            return None
        root = os.path.realpath(self.directory)
        try:
            real = os.path.realpath(self.translate_path(self.path))
        except (ValueError, OSError):
            self.send_error(400, "Bad request path")
            return None
        if real != root and not real.startswith(root + os.sep):
            self.send_error(404, "File not found")
            return None
        site = self._site()
        if site is not None:
            return self._from_memory(site)
        note = self.preview.note(self._english()) if self.preview is not None else ""
        if note:
            noted = self._noted_page(real, note)
            if noted is not None:
                return noted
        try:
            return super().send_head()
        except ValueError:
            self.send_error(400, "Bad request path")
            return None

    def _english(self) -> bool:
        """The request is for a page of the English edition (under ``/en/``)."""
        return self._decoded_path().lstrip("/").split("/", 1)[0] == urls.ENGLISH.rstrip("/")

    def _site(self) -> Mapping[str, bytes] | None:
        return self.preview.site if self.preview is not None else None

    def _from_memory(self, site: Mapping[str, bytes]) -> io.BytesIO | None:
        """The file the request names in the preview's last good build, as the files on disk would be served.

        A folder's URL serves its ``index.html``; the folder's URL without its
        slash is redirected to it; anything else not in the site is the site's 404 page.
        """
        path, _, query = self.path.split("#", 1)[0].partition("?")
        decoded = urllib.parse.unquote(path, errors="surrogateescape")
        name = posixpath.normpath(decoded).lstrip("/")
        name = "" if name == "." else name
        if decoded.endswith("/") or not name:
            name = f"{name}/index.html" if name else "index.html"
        data = site.get(name)
        if data is None and f"{name}/index.html" in site:
            self.send_response(301)
            # the normalised path, never the request's own: ``//host`` would send the browser elsewhere
            self.send_header("Location", urllib.parse.quote(f"/{name}/", errors="surrogateescape")
                             + (f"?{query}" if query else ""))
            self.send_header("Content-Length", "0")
            self.end_headers()
            return None
        if data is None:
            self.send_error(404, "File not found")
            return None
        note = self.preview.note(self._english()) if self.preview is not None and name.endswith(".html") else ""
        if note:
            data = with_note(data, note)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(name))
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        return io.BytesIO(data)

    def _noted_page(self, real: str, note: str) -> io.BytesIO | None:
        """The HTML page at ``real`` with ``note`` after ``<body>``; None for anything else."""
        if os.path.isdir(real):
            if not self.path.split("?", 1)[0].split("#", 1)[0].endswith("/"):
                return None  # the standard handler redirects to the folder's URL
            real = os.path.join(real, "index.html")
        if not real.endswith(".html") or not os.path.isfile(real):
            return None
        try:
            body = Path(real).read_bytes()
        except OSError:
            return None
        body = with_note(body, note)
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        body = self._not_found_page() if code == 404 else None
        if body is not None:
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)
            return
        super().send_error(code, message, explain)

    def _not_found_page(self) -> bytes | None:
        site = self._site()
        if site is not None:
            return site.get("404.html")
        page = Path(self.directory) / "404.html"
        try:
            return page.read_bytes() if page.is_file() else None
        except OSError:
            return None

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib name
        pass


class PreviewServer(http.server.ThreadingHTTPServer):
    """A request that fails in a way the handler did not foresee costs one line, not a traceback."""

    daemon_threads = True

    def handle_error(self, request, client_address) -> None:  # type: ignore[no-untyped-def]
        error = sys.exc_info()[1]
        if isinstance(error, (ConnectionError, TimeoutError)):
            return  # the browser went away
        click.echo(f"error: request from {client_address[0]} failed: {type(error).__name__}: {error}", err=True)


def make_server(out_dir: Path, port: int, preview: "Preview | None" = None) -> http.server.ThreadingHTTPServer:
    handler = functools.partial(PreviewHandler, directory=str(out_dir), preview=preview)
    return PreviewServer(("127.0.0.1", port), handler)


def rebuild(config: BuildConfig, preview: "Preview | None" = None, changed: Iterable[str] | None = None,
            wait: bool = True) -> bool:
    """Build once (incrementally with ``preview``, told what ``changed``), printing the outcome; True on success.

    Without ``wait`` a preview's rebuild returns once served, ``output/`` being written in the background.
    """
    from site_gen.build import build_site

    started = time.perf_counter()
    try:
        result = preview.rebuild(changed, wait) if preview is not None else build_site(config)
    except ContentError as error:
        click.echo(error.report(), err=True)
        click.echo(f"{len(error.problems)} problem(s); still serving the last good build.", err=True)
        return False
    except BuildError as error:
        click.echo(printable_lines(f"error: {error}; still serving the last good build."), err=True)
        return False
    except Exception as error:  # noqa: BLE001 - whatever broke, the preview keeps serving
        message = printable(str(error)) or "no message"
        click.echo(f"error: the rebuild failed ({type(error).__name__}: {shorten(message, 300)}); "
                   "still serving the last good build.", err=True)
        return False
    note = ""
    if preview is not None and preview.index_pending:
        note = " (search index updating)" if preview.bundle is not None else " (search index being made)"
    served = f"served after {preview.visible - started:.2f} s, " if preview is not None else ""
    if wait:
        written = f"written into {config.out_dir}/ after {time.perf_counter() - started:.2f} s"
    elif preview is not None and preview.bundle is None and config.search:
        written = f"to be written into {config.out_dir}/ with its search index"
    else:
        written = f"being written into {config.out_dir}/"
    click.echo(printable(f"built {result.pages} pages: {served}{written}{note}"))
    return True


class Preview:
    """The builds of ``site-gen serve``: incremental, with the search index deferred.

    Each rebuild is a :class:`~site_gen.build.Builder` build: files whose
    bytes did not change are not parsed or checked again, and pages whose
    views did not change are not rendered again.  The new site is then
    served at once by replacing :attr:`site` (one assignment: the browser
    never sees half of it), and written into ``output/`` with the atomic swap
    of ``site-gen build``.

    The search index (tens of seconds for a large site, minutes for 1,500
    cities) is not rebuilt before that swap: when no page changed, the last
    index is the index of these pages and is kept; otherwise the new pages
    are published with the last index, pages say "search index updating"
    (:data:`UPDATING_NOTE`), and a worker thread indexes the new pages and
    swaps in the same pages with their index: the site a full build makes.
    A newer rebuild supersedes an index still being made.  The first build
    is served before it has any index, its pages saying so
    (:data:`FIRST_INDEX_NOTE`), unless the caller waits for ``output/``: a
    site is written there only with its index.
    """

    def __init__(self, config: BuildConfig):
        from site_gen.build import Builder

        self.config = config
        self.builder = Builder(config)  # its files(): pages and data only; the index is built here
        self.lock = threading.Lock()
        self.generation = 0
        self.bundle: dict[str, bytes] | None = None
        self.indexed: dict[str, bytes] = {}
        self._indexing: NewestOnly[tuple[int, dict[str, bytes]]] = NewestOnly(self._index, "search-index", behind=True)
        self.index_pending = False
        self.index_failed = False
        """The index of the pages served could not be made (their note says so until the next edit's index)."""
        self.index_done = threading.Event()
        """Set when nothing is left to index for the last rebuild: its index is made, or could not be."""
        self.writer = OutputWriter(config)
        """Writes each new site into ``output/`` (unchanged files linked from the site written before)."""
        self.site: dict[str, bytes] | None = None
        """The last good build, search bundle included: what the server serves (one assignment swaps it)."""
        self.visible = 0.0
        """``time.perf_counter()`` when the last rebuild's site began to be served."""
        self.city_versions: dict[str, int] = {}
        """Changes the file watcher reported, counted by city folder name."""

    def note(self, english: bool = False) -> str:
        """The note at the top of each served page (of the English edition): "" when the search index is that of
        the pages served."""
        if not self.index_pending:
            return ""
        if self.index_failed:
            if self.bundle is not None:
                return INDEX_FAILED_NOTE_EN if english else INDEX_FAILED_NOTE
            return FIRST_INDEX_FAILED_NOTE_EN if english else FIRST_INDEX_FAILED_NOTE
        if self.bundle is not None:
            return UPDATING_NOTE_EN if english else UPDATING_NOTE
        return FIRST_INDEX_NOTE_EN if english else FIRST_INDEX_NOTE

    def _write(self, files: dict[str, bytes], check_index: bool = True, wait: bool = True) -> None:
        """Write ``files`` into ``output/``: in the background, and with ``wait`` returning once written."""
        self.writer.write(files, check_index)
        if wait:
            self.writer.wait()

    def rebuild(self, changed: Iterable[str] | None = None, wait: bool = True) -> "BuildResult":
        """Build again; ``changed``: the paths a file watcher reported since the last rebuild.

        Given ``changed`` (the watcher ran throughout: from before the
        first build it was given to), a city folder with no changed path is
        taken whole from the last build, unread; each other folder is walked
        and each file's status checked, as every folder is without ``changed``.
        With ``wait`` it returns once ``output/`` holds the new site (and
        raises what stopped that); without, once the new site is served,
        while ``output/`` is written in the background (``site-gen serve``:
        the next edit need not wait for that).
        """
        from site_gen.build import TerminalProgress

        trusted = changed is not None
        for path in changed or ():
            city = self._city_of(path)
            if city is not None:
                self.city_versions[city] = self.city_versions.get(city, 0) + 1
            elif all(_parts_below(path, folder) is None
                     for folder in (self.config.content_dir, self.config.templates_dir)):
                trusted = False  # reported by a name the folders are not known by (a link?): walk every folder
        with TerminalProgress() as progress:
            return self._rebuild(progress, self.city_versions if trusted else None, wait)

    def _city_of(self, path: str) -> str | None:
        """The name of the city folder ``path`` is in (or is), if any."""
        parts = _parts_below(path, self.config.content_dir)
        return parts[1] if parts is not None and len(parts) >= 2 and parts[0] == "cities" else None

    def _rebuild(self, progress: Callable[[str], None], city_versions: Mapping[str, int] | None = None,
                 wait: bool = True) -> "BuildResult":
        from site_gen.build import BuildResult, collecting_none
        from site_gen.index import search_files

        with self.lock, collecting_none():  # what the build makes is collected once its site is out
            self.generation += 1
            files = self.builder.files(progress, city_versions)
            pages = {name: data for name, data in files.items() if name.endswith(".html")}
            pending = False
            if not self.config.search:
                site = files
            else:
                if self.bundle is None and wait:  # waited for, the first build is served with its index
                    progress("index")
                    self.bundle, self.indexed = search_files(files), pages
                # the new pages, with the last index (or none yet) until theirs is made
                pending = self.bundle is None or pages != self.indexed
                site = {**files, **(self.bundle or {})}
            self.index_pending = self.index_pending or pending  # the note is never missing from a new page
            self.site, self.index_pending = site, pending  # served from here on
            self.visible = time.perf_counter()
            self.index_failed = False  # these pages' index is being made, or is the last one
            if pending:
                self.index_done.clear()
                self._request_index(self.generation, files)  # it writes its site once this lock is free
            else:
                self.index_done.set()
            if self.bundle is not None or not self.config.search:  # else written with its index, once made
                self._write(site, check_index=self.config.search, wait=wait)
            gc.collect(1)  # the young objects: the build's own (the kept ones move on to the oldest generation)
            return BuildResult(pages=len(pages), files=len(site))

    def _request_index(self, generation: int, files: dict[str, bytes]) -> None:
        self._indexing.submit((generation, files))

    def _index(self, wanted: tuple[int, dict[str, bytes]]) -> None:
        """Index a rebuild's pages, then serve and write them with their index, unless a newer rebuild came."""
        from site_gen.index import IndexSuperseded, search_files

        generation, files = wanted
        try:
            bundle = search_files(files, superseded=lambda: generation != self.generation)
        except IndexSuperseded:
            return  # a newer rebuild asked for its own index, which the worker makes next
        except Exception as error:  # noqa: BLE001 - the preview keeps serving the last index
            message = printable(str(error)) or "no message"
            last = ("the last index" if self.bundle is not None
                    else f"no index, and {self.config.out_dir}/ is written once it has one")
            click.echo(f"error: the search index could not be updated ({type(error).__name__}: "
                       f"{shorten(message, 300)}); search has {last} (the next edit tries again).", err=True)
            with self.lock:
                if generation == self.generation:  # else a newer rebuild's index is on its way
                    self.index_failed = True
                    self.index_done.set()
            return
        with self.lock:
            if generation != self.generation:
                return  # a newer rebuild asked for its own index
            self.site, self.index_pending = {**files, **bundle}, False
            self._write(self.site, wait=False)
            self.bundle = bundle
            self.indexed = {name: data for name, data in files.items() if name.endswith(".html")}
            self.index_pending = False
        click.echo("search index updated")
        try:
            self.writer.wait()  # not holding the lock: a rebuild may start meanwhile
        except Exception as error:  # noqa: BLE001 - the site with its index is served all the same
            click.echo(self.writer.failure_line(error), err=True)
        with self.lock:
            if generation == self.generation:
                self.index_done.set()


def _parts_below(path: str, folder: Path) -> list[str] | None:
    """The names on the way from ``folder`` (by its real or its absolute path) to ``path``; None if not below it."""
    for root in {os.path.realpath(folder), os.path.abspath(folder)}:
        if path == root:
            return []
        if path.startswith(root + os.sep):
            return path[len(root) + 1:].split(os.sep)
    return None


def changed_line(changed: Iterable[str]) -> str:
    """``changed: a.yaml, b.md``: the names of changed files (anyone's, so escaped), at most five."""
    names = sorted({Path(path).name for path in changed})
    return printable(f"changed: {', '.join(names[:5])}{' …' if len(names) > 5 else ''}")


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def serve_forever(config: BuildConfig, port: int) -> None:
    """Build, serve and rebuild on change until Ctrl-C or SIGTERM (``kill``, a container's stop).

    Either way it stops the same: a write of ``output/`` under way is
    finished first, and the last line printed is "stopped".
    """
    from site_gen.watch import Watcher, WatchError

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _interrupt)
    preview = Preview(config)
    watcher = Watcher([p for p in (config.content_dir, config.templates_dir) if p.exists()])
    watcher.start()  # before the first build: an edit made while it runs is rebuilt right after
    rebuild(config, preview, changed=(), wait=False)
    try:
        config.out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise click.ClickException(f"cannot serve {config.out_dir}: {exc.strerror}") from exc
    try:
        server = make_server(config.out_dir, port, preview)
    except OSError as exc:
        raise click.ClickException(f"cannot listen on 127.0.0.1:{port}: {exc.strerror}") from exc
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    click.echo(printable(f"serving http://127.0.0.1:{port}/ — watching {config.content_dir}/ and "
                         f"{config.templates_dir}/; Ctrl-C to stop"))
    try:
        for changed in watcher:
            click.echo(changed_line(changed))
            rebuild(config, preview, changed, wait=False)
    except KeyboardInterrupt:
        pass
    except WatchError as error:
        raise click.ClickException(printable(str(error))) from error
    finally:
        watcher.stop()
        with contextlib.suppress(Exception):  # reported as it failed; output/ keeps the site before
            preview.writer.wait()  # output/ holds the last site served
        server.shutdown()
        server.server_close()
        click.echo("stopped")
