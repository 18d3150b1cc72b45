"""Stage 6, index: the Pagefind full-text search index, built into the staging folder.

Pagefind comes from its pip package, the *extended* build, which segments
Chinese at index time; the plain build leaves whole sentences as single
"words" and finds almost nothing.  The version is pinned to 1.4.0: 1.5.x
segments queries in the browser differently from the index (upstream issue
#1237) and misses words such as 中试基地 and 盘锦, and writes its filter files
in a different order on every run.  The build checks both facts and fails
clearly rather than publish a search that cannot find Chinese words.

Only pages with ``data-pagefind-body`` are indexed: document and city pages,
where a result is a paragraph of an official text, a measure or a zone.

Pagefind writes private markers (``___PAGEFIND_ANCHOR___``, ``___PAGEFIND_WEIGHT___``
…) into the text it indexes and obeys any word that starts with one.  The
load stage refuses them in every content file; as a last guard, the pages'
text is checked once more before Pagefind reads it, so that no two values
side by side can spell one either.
"""

from __future__ import annotations

import html
import re
import subprocess
from pathlib import Path

from site_gen.errors import BuildError

PAGEFIND_VERSION = "1.4.0"
INSTALL_HINT = f'pip install "pagefind[extended]=={PAGEFIND_VERSION}"'
TIMEOUT_SECONDS = 600


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


_TAG = re.compile(r"<[^>]*>")


def refuse_markers(site_dir: Path) -> None:
    """Fail if the text of any page, tags removed, holds a Pagefind marker."""
    from site_gen.load.characters import PAGEFIND_MARKER

    for page in sorted(site_dir.rglob("*.html")):
        text = html.unescape(_TAG.sub("", page.read_text(encoding="utf-8")))
        found = PAGEFIND_MARKER.search(text)
        if found:
            raise BuildError(f"{page.relative_to(site_dir).as_posix()}: the page text holds {found.group()!r}, "
                             "which Pagefind would read as its own marker (expected none; "
                             "reword the content next to it)")


def build_search_index(site_dir: Path) -> int:
    """Index ``site_dir`` in place (writes ``site_dir/pagefind/``); returns the pages indexed."""
    refuse_markers(site_dir)
    executable = pagefind_executable()
    try:
        result = subprocess.run(
            [str(executable), "--site", str(site_dir)],
            capture_output=True, text=True, timeout=TIMEOUT_SECONDS, check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise BuildError(f"Pagefind did not finish within {TIMEOUT_SECONDS} seconds") from exc
    except OSError as exc:
        raise BuildError(f"cannot run Pagefind ({executable}): {exc.strerror}") from exc
    output = result.stdout + result.stderr
    if result.returncode != 0:
        tail = "\n".join(output.strip().splitlines()[-5:])
        raise BuildError(f"Pagefind failed (exit {result.returncode}):\n{tail}")
    check_banner(output)
    pages = re.search(r"Indexed (\d+) pages?", output)
    if not pages or int(pages.group(1)) == 0:
        raise BuildError("Pagefind indexed no pages (expected pages marked data-pagefind-body)")
    return int(pages.group(1))
