"""The ``site-gen`` command line.

Exit codes: 0 success; 1 the content (or an input file) has problems, each
printed as ``file:line:col: field: message``; 2 a usage error (click's own).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import NoReturn

import click

from site_gen.config import BuildConfig, base_url_problem, build_date, out_dir_conflict
from site_gen.errors import BuildError, ContentError, printable, printable_lines
from site_gen.records import SLUG_PATTERN

_CONTENT = click.option(
    "--content", "content_dir", type=click.Path(path_type=Path), default=Path("content"),
    show_default=True, help="Folder holding site.yaml, cities/ and sources/.",
)
_OUT = click.option(
    "--out", "out_dir", type=click.Path(path_type=Path), default=Path("output"),
    show_default=True, help="Folder the site is written to (replaced only when the build succeeds).",
)
_TEMPLATES = click.option(
    "--templates", "templates_dir", type=click.Path(path_type=Path), default=Path("templates"),
    show_default=True, help="Folder holding the Jinja templates and static/ files.",
)
def _check_base_url(ctx: click.Context, param: click.Parameter, value: str) -> str:
    problem = base_url_problem(value) if value else None
    if problem:
        raise click.BadParameter(problem, ctx=ctx, param=param)
    return value


_BASE_URL = click.option(
    "--base-url", default="", metavar="URL", callback=_check_base_url,
    help="Public address of the site, e.g. https://example.org/policy/ (used for canonical links, "
         "the sitemap and the 404 page; all other links are relative).",
)
_SEARCH = click.option(
    "--search/--no-search", default=True, show_default=True,
    help="Build the Pagefind search index (--no-search is faster while editing).",
)


def _fail(error: ContentError | BuildError) -> NoReturn:
    if isinstance(error, ContentError):
        click.echo(error.report(), err=True)
        click.echo(f"{len(error.problems)} problem(s); nothing was written.", err=True)
    else:
        click.echo(printable_lines(f"error: {error}"), err=True)
    sys.exit(1)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="site-gen")
def main() -> None:
    """Build the Liaoning science-and-technology policy comparison site.

    \b
    Typical use:
      site-gen validate          check content/ and list every problem
      site-gen build             build content/ into output/
      site-gen serve             build, serve on 127.0.0.1 and rebuild on change
      site-gen ingest RAW.txt --id DOC_ID   clean a scraped text into content/sources/
      site-gen coverage DOC_ID   list figures of a text not yet in the data
    """


def _config(content_dir: Path, out_dir: Path, templates_dir: Path, base_url: str, search: bool) -> BuildConfig:
    """The build's configuration, or exit: 2 if --out overlaps an input, 1 for a bad SOURCE_DATE_EPOCH."""
    conflict = out_dir_conflict(out_dir, content=content_dir, templates=templates_dir)
    if conflict:
        raise click.BadParameter(conflict, param_hint="--out")
    try:
        today = build_date()
    except BuildError as error:
        _fail(error)
    return BuildConfig(content_dir=content_dir, out_dir=out_dir, templates_dir=templates_dir,
                       base_url=base_url, today=today, search=search)


@main.command()
@_CONTENT
@_OUT
@_TEMPLATES
@_BASE_URL
@_SEARCH
@click.option("-v", "--verbose", is_flag=True, help="Print each stage of the build as it starts.")
def build(content_dir: Path, out_dir: Path, templates_dir: Path, base_url: str, search: bool, verbose: bool) -> None:
    """Validate content/ and build the site into output/.

    The site is built in a temporary folder beside output/ and swapped in only
    when every stage succeeded, so a failed or interrupted build leaves the
    previous output/ untouched.

    \b
    Example:
      site-gen build --base-url https://example.org/policy/
    """
    from site_gen.build import TerminalProgress, build_site
    from site_gen.write import disk_error

    config = _config(content_dir, out_dir, templates_dir, base_url, search)
    try:
        if verbose:
            result = build_site(config, progress=lambda stage: click.echo(f"stage: {stage}", err=True))
        else:
            with TerminalProgress() as progress:
                result = build_site(config, progress=progress)
    except (ContentError, BuildError) as error:
        _fail(error)
    except OSError as exc:  # a file-system failure no stage anticipated: still one line
        _fail(disk_error(exc, "build into", out_dir))
    click.echo(printable(f"built {result.pages} pages and {result.files} files into {out_dir}/"))


@main.command()
@_CONTENT
def validate(content_dir: Path) -> None:
    """Check the content and report every problem; writes nothing.

    Each problem is one line: file:line:col: field: what is wrong (what was expected).

    \b
    Example:
      site-gen validate --content content
    """
    from site_gen.build import load_site

    try:
        site = load_site(content_dir)
    except ContentError as error:
        _fail(error)
    click.echo(
        f"ok: {len(site.cities)} cities, {len(site.documents)} documents, "
        f"{len(site.measures)} measures, {len(site.targets)} targets"
    )


@main.command()
@_CONTENT
@_OUT
@_TEMPLATES
@_SEARCH
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535),
              help="Port to serve on (always bound to 127.0.0.1).")
def serve(content_dir: Path, out_dir: Path, templates_dir: Path, search: bool, port: int) -> None:
    """Build, serve output/ on http://127.0.0.1:PORT and rebuild on change.

    Watches content/ and templates/; after a failed rebuild the problems are
    printed and the last good site keeps being served.  Ctrl-C stops.

    \b
    Example:
      site-gen serve --port 8000 --no-search
    """
    from site_gen.serve import serve_forever

    serve_forever(_config(content_dir, out_dir, templates_dir, "", search), port)


@main.command()
@_CONTENT
@click.argument("document_ids", nargs=-1, metavar="[DOC_ID]...")
def coverage(content_dir: Path, document_ids: tuple[str, ...]) -> None:
    """List figures of archived texts that no measure, target or fact cites.

    Every amount, percentage, count, area and year of a document should end up
    in the data; this shows, paragraph by paragraph, the ones that have not.
    Section numbers, document numbers and dates are not counted.  Exit code 1
    when anything is uncovered.

    \b
    Example:
      site-gen coverage jinzhou-2021-action-plan
    """
    from site_gen.build import load_site
    from site_gen.coverage import uncovered_figures

    try:
        site = load_site(content_dir)
    except ContentError as error:
        _fail(error)
    known = {d.id for d in site.documents}
    unknown = [d for d in document_ids if d not in known]
    if unknown:
        raise click.BadParameter(f"no document {unknown[0]!r}", param_hint="DOC_ID")
    total = 0
    for document_id in document_ids or sorted(known):
        missing = uncovered_figures(site, document_id)
        total += len(missing)
        for item in missing:
            line = f"{item.document_id} {item.section} #{item.anchor}: {item.figure} in …{item.context}…"
            click.echo(printable(line))
    click.echo(f"{total} uncovered figure(s)")
    sys.exit(1 if total else 0)


@main.command()
@click.argument("raw", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--id", "document_id", required=True, help="Document id, e.g. panjin-2021-incubation-plan.")
@_CONTENT
@click.option("--rules", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Ingest rules file [default: CONTENT/ingest-rules.yaml].")
@click.option("--force", is_flag=True, help="Replace an existing archived text.")
def ingest(raw: Path, document_id: str, content_dir: Path, rules: Path | None, force: bool) -> None:
    """Clean a scraped text into content/sources/DOC_ID.txt.

    Drops junk lines (spam, site navigation, page headers, view counters) and
    news-site prefixes by the rules in content/ingest-rules.yaml, removes
    pinyin annotations such as 盘(pán), converts traditional characters to
    simplified (OpenCC t2s), normalises whitespace and rejoins flattened
    tables one row per line.  Prints what each rule did.

    \b
    Example:
      site-gen ingest ../shared/seeds/002_a8401e22d6ed3200.txt --id panjin-2021-incubation-plan
    """
    from site_gen.ingest import ingest_file

    if not re.fullmatch(SLUG_PATTERN, document_id) or len(document_id) > 64:
        raise click.BadParameter(
            "expected lower-case ASCII letters and digits joined by single hyphens", param_hint="--id"
        )
    try:
        target, report = ingest_file(raw, document_id, content_dir,
                                     rules or content_dir / "ingest-rules.yaml", force)
    except (ContentError, BuildError) as error:
        _fail(error)
    for line in report.lines():
        click.echo(printable(f"  {line}"))
    click.echo(printable(f"wrote {target}"))
