"""The build pipeline, one stage after another:

load → validate → model → derive → render → index → write.

Each stage is a module with a small surface; this file only connects them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from site_gen import killpoint, urls
from site_gen.config import BuildConfig, out_dir_conflict
from site_gen.derive import derive_site
from site_gen.derive.tables import TABLES, Table
from site_gen.errors import BuildError
from site_gen.load import load_content
from site_gen.model import Site, build_site_model
from site_gen.render.pages import page_count, render_site, site_pages, templates_exist
from site_gen.records import content_json_schema
from site_gen.validate import validate
from site_gen.write import Staging, write_tree


@dataclass(frozen=True)
class BuildResult:
    pages: int
    files: int


def load_site(content_dir: Path) -> Site:
    """Load and validate ``content_dir``; raises ContentError listing every problem."""
    return build_site_model(validate(load_content(content_dir)))


def schema_file() -> bytes:
    return (json.dumps(content_json_schema(), ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def render_files(site: Site, config: BuildConfig, tables: tuple[Table, ...] = TABLES) -> dict[str, bytes]:
    """Every output file of the site, in memory; ``tables`` are the comparisons it shows."""
    if not templates_exist(config.templates_dir):
        raise BuildError(f"no templates in {config.templates_dir} (expected base.html and the page templates)")
    derived = derive_site(site, config.today, tables)
    files = render_site(derived, config, site_pages(derived))
    files[urls.SCHEMA] = schema_file()
    return files


def build_site(config: BuildConfig, progress: Callable[[str], None] = lambda stage: None,
               tables: tuple[Table, ...] = TABLES) -> BuildResult:
    """Build the site into ``config.out_dir``, replacing it only on success.

    ``progress`` is told each stage as it starts (``load``, ``render``,
    ``index``, ``write``, ``swap``) and ``done`` at the end.  The same names,
    and finer ones inside the write and the swap, are the kill points of
    :mod:`site_gen.killpoint` (a test hook).
    """
    def stage(name: str) -> None:
        progress(name)
        killpoint.reached(name)

    unusable = killpoint.check() or out_dir_conflict(
        config.out_dir, content=config.content_dir, templates=config.templates_dir)
    if unusable:
        raise BuildError(unusable)
    stage("load")
    site = load_site(config.content_dir)
    stage("render")
    files = render_files(site, config, tables)
    if config.search:
        from site_gen.index import search_files

        stage("index")
        files.update(search_files(files))
    staging = Staging(config.out_dir)
    with staging as folder:
        stage("write")
        write_tree(folder, files, config.out_dir)
        killpoint.reached("written")
        if config.search:
            from site_gen.index import check_search_index

            check_search_index(folder)
        stage("swap")
        staging.commit()
    stage("done")
    return BuildResult(pages=page_count(files), files=len(files))
