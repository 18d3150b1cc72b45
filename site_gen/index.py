"""Stage 6, index: the Pagefind full-text search index."""

from __future__ import annotations

from pathlib import Path


def build_search_index(site_dir: Path) -> None:
    """Index the rendered site in ``site_dir`` (filled in by the search work)."""
