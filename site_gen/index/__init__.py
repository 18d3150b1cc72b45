"""Stage 6, index: the Pagefind full-text search index, built into the staging folder.

Pagefind comes from its pip package, the *extended* build, which segments
Chinese at index time; the plain build leaves whole sentences as single
"words" and finds almost nothing.  The version is pinned to 1.4.0: 1.5.x
segments queries in the browser differently from the index (upstream issue
#1237) and misses words such as 中试基地 and 盘锦, and writes its filter files
in a different order on every run.  The build checks both facts and fails
clearly rather than publish a search that cannot find Chinese words: it runs
the binary once on an empty folder, where it announces itself
(``Running Pagefind v1.4.0 (Extended)``) and indexes nothing.

The pages are then handed to ``pagefind --service`` one by one in sorted
order (:mod:`site_gen.index.service`), not found by ``pagefind --site``,
whose page numbering follows the order the file system lists files in; so
two builds of the same pages give a byte-identical index on any disk.  The
bundle comes back in memory and is written with the rest of the site, then
read back from the staging folder (:mod:`site_gen.index.bundle`) before the
swap: Pagefind's own writer reports success even when a full disk left its
files empty.

Only pages with ``data-pagefind-body`` are indexed: document and city pages,
where a result is a paragraph of an official text, a measure or a zone.
"""

from __future__ import annotations

import base64
import html
import re
import subprocess
import tempfile
from pathlib import Path
from typing import Callable, Mapping

from site_gen.errors import BuildError
from site_gen.index.bundle import check_bundle
from site_gen.index.service import PagefindService

PAGEFIND_VERSION = "1.4.0"
INSTALL_HINT = f'pip install "pagefind[extended]=={PAGEFIND_VERSION}"'
TIMEOUT_SECONDS = 600
BUNDLE = "pagefind"  # the bundle's folder in the site; search.js loads pagefind/pagefind.js
# Files the search page asks for before its script runs (templates/search.html), so they load at once.
PRELOADED = ("pagefind.js", "wasm.unknown.pagefind")


def pagefind_executable() -> Path:
    """The extended Pagefind binary from the pip package, or a clear error."""
    try:
        import pagefind_bin_extended
    except ImportError as exc:
        raise BuildError(
            f"Pagefind's extended build is not installed ({INSTALL_HINT}); it is needed to index Chinese. "
            "Build with --no-search to skip the search index."
        ) from exc
    try:
        executable = pagefind_bin_extended.get_executable()
    except FileNotFoundError as exc:
        raise BuildError(f"the pagefind-bin-extended package has no binary ({exc}); reinstall it: {INSTALL_HINT}") from exc
    executable = Path(executable)
    if executable.name.removesuffix(".exe") != "pagefind_extended":
        raise BuildError(f"{executable} is not Pagefind's extended build; install it: {INSTALL_HINT}")
    return executable


def check_banner(output: str) -> None:
    """Pagefind announces itself as ``Running Pagefind v1.4.0 (Extended)``."""
    match = re.search(r"Running Pagefind v(\S+)( \(Extended\))?", output)
    if not match:
        raise BuildError(f"could not tell which Pagefind ran (expected 'Running Pagefind v{PAGEFIND_VERSION} (Extended)')")
    if not match.group(2):
        raise BuildError(f"Pagefind v{match.group(1)} ran without Chinese segmentation (not the extended build); {INSTALL_HINT}")
    if match.group(1) != PAGEFIND_VERSION:
        raise BuildError(
            f"Pagefind v{match.group(1)} is installed but the site is tested with v{PAGEFIND_VERSION} "
            f"(1.5.x misses Chinese words such as 中试基地); {INSTALL_HINT}"
        )


def announced_banner(executable: Path) -> str:
    """What the binary prints when run on an empty folder: its banner, then "nothing to index"."""
    try:
        with tempfile.TemporaryDirectory(prefix="site-gen-pagefind-") as empty:
            result = subprocess.run([str(executable), "--site", empty], capture_output=True, text=True,
                                    timeout=60, check=False)
    except subprocess.TimeoutExpired as exc:
        raise BuildError(f"Pagefind ({executable}) did not start within 60 seconds") from exc
    except OSError as exc:  # the binary, or the temporary folder (TMPDIR) it runs in
        raise BuildError(f"cannot run Pagefind ({executable}) in {tempfile.gettempdir()}: "
                         f"{exc.strerror}; check TMPDIR, or build with --no-search") from exc
    return result.stdout + result.stderr


def page_url(relative: str) -> str:
    """The URL Pagefind gives a page: ``cities/x/index.html`` -> ``/cities/x/``."""
    if relative == "index.html" or relative.endswith("/index.html"):
        return "/" + relative.removesuffix("index.html")
    return "/" + relative


def _bundle_path(path: object) -> str:
    """A file of the bundle, as Pagefind names it, checked to stay inside ``pagefind/``."""
    text = str(path)
    parts = text.split("/")
    if not text or text.startswith("/") or "\\" in text or any(p in ("", ".", "..") for p in parts):
        raise BuildError(f"Pagefind returned a file outside its folder: {text[:80]!r}")
    return f"{BUNDLE}/{text}"


_TAG = re.compile(r"<[^>]*>")


def refuse_markers(files: Mapping[str, bytes]) -> None:
    """Fail if the text of any page, tags removed, holds a Pagefind marker.

    Pagefind writes private markers (``___PAGEFIND_ANCHOR___``,
    ``___PAGEFIND_WEIGHT___`` …) into the text it indexes and obeys any word
    that starts with one.  The load stage refuses them in every content file;
    as a last guard, the pages' text is checked once more before Pagefind
    reads it, so that no two values side by side can spell one either.
    """
    from site_gen.load.characters import PAGEFIND_MARKER

    for name in sorted(n for n in files if n.endswith(".html")):
        text = html.unescape(_TAG.sub("", files[name].decode("utf-8")))
        found = PAGEFIND_MARKER.search(text)
        if found:
            raise BuildError(f"{name}: the page text holds {found.group()!r}, "
                             "which Pagefind would read as its own marker (expected none; "
                             "reword the content next to it)")


class IndexSuperseded(Exception):
    """The index was given up before it was done: the pages it was for are no longer wanted."""


def search_files(files: Mapping[str, bytes],
                 superseded: Callable[[], bool] | None = None) -> dict[str, bytes]:
    """The Pagefind bundle for the site's pages: ``pagefind/…`` path -> bytes, in memory.

    ``superseded`` (``site-gen serve``: a newer rebuild wants its own index)
    is asked before each page is handed over; once true, Pagefind is stopped
    and :class:`IndexSuperseded` raised, as the pages' index would be thrown
    away (handing the pages over is most of the time: 7 of 9 s at K=10).

    The pages are given to Pagefind in sorted order, from memory, and the
    bundle comes back in memory (``GetFiles``), so the build writes it with
    the rest of the site: one writer, one way of reporting a full disk.
    (Pagefind's own ``WriteFiles`` answers before its writes have finished,
    and loses their errors.)
    """
    refuse_markers(files)
    executable = pagefind_executable()
    check_banner(announced_banner(executable))
    pages = sorted(name for name in files if name.endswith(".html"))
    with PagefindService(executable, TIMEOUT_SECONDS) as service:
        index = service.request({"type": "NewIndex", "config": None})["index_id"]
        for relative in pages:
            if superseded is not None and superseded():
                raise IndexSuperseded
            service.request({"type": "AddFile", "index_id": index, "file_path": None, "url": page_url(relative),
                             "file_contents": files[relative].decode("utf-8")})
        written = service.request({"type": "GetFiles", "index_id": index}).get("files")
    if not isinstance(written, list) or not written:
        raise BuildError("Pagefind returned no search index files")
    bundle: dict[str, bytes] = {}
    for item in written:
        try:
            bundle[_bundle_path(item["path"])] = base64.b64decode(item["content"], validate=True)
        except (KeyError, TypeError, ValueError):
            raise BuildError("Pagefind returned a search index file it did not name or encode") from None
    check_preloaded(bundle)
    return bundle


def check_preloaded(bundle: dict[str, bytes]) -> None:
    """The bundle holds the files the search page preloads (a missing one would be a broken link)."""
    missing = [name for name in PRELOADED if f"{BUNDLE}/{name}" not in bundle]
    if missing:
        raise BuildError(f"the search index Pagefind wrote has no {', '.join(missing)}, which the search page "
                         f"preloads (templates/search.html); expected Pagefind {PAGEFIND_VERSION}'s whole bundle")


def check_search_index(site_dir: Path) -> int:
    """Read back the bundle written into ``site_dir``; returns the pages it holds."""
    count = check_bundle(site_dir / BUNDLE, PAGEFIND_VERSION)
    if count == 0:
        raise BuildError("Pagefind indexed no pages (expected pages marked data-pagefind-body)")
    return count
