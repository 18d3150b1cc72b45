"""The ``site-gen`` command line.

Exit codes: 0 success; 1 the content (or an input file) has problems, each
printed as ``file:line:col: field: message``; 2 a usage error (click's own).
"""

from __future__ import annotations

import datetime as dt
import os
import re
import sys
import threading
from pathlib import Path
from typing import NoReturn

import click

from site_gen.config import BuildConfig, base_url_problem, build_date, out_dir_conflict, template_cache_dir
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


def run() -> NoReturn:
    """The ``site-gen`` program: :func:`main`, then the process ends without taking apart what it built.

    Freeing a large build object by object (and the collector's last pass
    over it) took seconds at 1,500 cities, after the work was done and its
    result printed; the operating system reclaims the memory at once.  The
    streams are flushed first; if a thread other than daemons is still
    running, the process ends the ordinary way, after it.
    """
    try:
        main(obj={"process_ends": True})
        code: object = 0
    except SystemExit as end:
        code = end.code
    if code is None:
        code = 0
    elif not isinstance(code, int):
        print(code, file=sys.stderr)
        code = 1
    if any(t.is_alive() and not t.daemon for t in threading.enumerate() if t is not threading.main_thread()):
        sys.exit(code)
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a reader that went away (a closed pipe): nothing more to say to it
            pass
    os._exit(code)


def _process_ends_after() -> bool:
    """True when this command is the whole process (``site-gen``, not a test's runner): nothing need be freed."""
    context = click.get_current_context(silent=True)
    root = context.find_root() if context is not None else None
    return bool(root is not None and isinstance(root.obj, dict) and root.obj.get("process_ends"))


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
      site-gen diff --git main   what this branch changes, record by record
      site-gen new city SLUG --name 名称   start a city that validates
      site-gen new document CITY ID --source RAW.txt   start a document that validates
      site-gen hosting           header snippets for nginx, Netlify, Cloudflare Pages
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
                       base_url=base_url, today=today, search=search, template_cache=template_cache_dir())


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
    from site_gen.output import disk_error

    config = _config(content_dir, out_dir, templates_dir, base_url, search)
    collect = not _process_ends_after()
    try:
        if verbose:
            result = build_site(config, progress=lambda stage: click.echo(f"stage: {stage}", err=True),
                                collect=collect)
        else:
            with TerminalProgress() as progress:
                result = build_site(config, progress=progress, collect=collect)
    except (ContentError, BuildError) as error:
        _fail(error)
    except OSError as exc:  # a file-system failure no stage anticipated: still one line
        _fail(disk_error(exc, "build into", out_dir))
    click.echo(printable(f"built {result.pages} pages and {result.files} files into {out_dir}/"))


@main.command()
@_CONTENT
@click.option("--format", "output_format", type=click.Choice(["text", "github"]), default="text",
              show_default=True, help="github: print each problem as a GitHub Actions annotation "
                                      "(::error file=…,line=…,col=…::…) on standard output.")
@click.option("--changed-since", "changed_since", metavar="REF", default=None,
              help="With --format github: problems on lines changed since REF (git) come first.")
def validate(content_dir: Path, output_format: str, changed_since: str | None) -> None:
    """Check the content and report every problem; writes nothing.

    Each problem is one line: file:line:col: field: what is wrong (what was expected).

    \b
    Example:
      site-gen validate --content content
      site-gen validate --format github --changed-since origin/main
    """
    from site_gen.build import load_site

    try:
        site = load_site(content_dir)
    except ContentError as error:
        if output_format == "github":
            _annotate(error, content_dir, changed_since)
        _fail(error)
    click.echo(
        f"ok: {len(site.cities)} cities, {len(site.documents)} documents, "
        f"{len(site.measures)} measures, {len(site.targets)} targets"
    )


def _annotate(error: ContentError, content_dir: Path, changed_since: str | None) -> None:
    """Print ``error``'s problems as GitHub annotations (those on lines changed since a revision first)."""
    import os

    from site_gen.annotations import github_annotations
    from site_gen.gitcontent import GitError, changed_lines, checkout_of, fork_point, resolve

    root = Path(os.environ.get("GITHUB_WORKSPACE") or os.getcwd())
    changed = None
    if changed_since:
        try:
            checkout = checkout_of(content_dir)
            changed = changed_lines(checkout, fork_point(checkout, resolve(checkout, changed_since)))
            root = checkout.root
        except GitError as exc:  # the annotations still name every problem, in file order
            click.echo(printable_lines(f"::warning::{exc}; annotations are in file order"))
    for line in github_annotations(error.problems, root, changed):
        click.echo(line)


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
    _record_digest(content_dir, document_id, report.sha256)


def _record_digest(content_dir: Path, document_id: str, digest: str) -> None:
    """Print the archived text's digest and write it into the document's YAML, if there is one."""
    from site_gen.ingest.digest import FIELD, document_files, record_digest

    click.echo(f"{FIELD}: {digest}")
    files = document_files(content_dir, document_id)
    if len(files) != 1:
        where = (f"{len(files)} files define {document_id}" if files
                 else f"no document {content_dir}/cities/*/documents/{document_id}.yaml yet")
        click.echo(printable(f"{where}: put this line in its YAML (site-gen new document writes it)"))
        return
    try:
        changed = record_digest(files[0], digest)
    except BuildError as error:
        _fail(error)
    click.echo(printable(f"{'updated' if changed else 'already recorded in'} {files[0]}"))


# --- editors' pull requests ------------------------------------------------------------


@main.command()
@click.argument("base_content", required=False, type=click.Path(path_type=Path))
@click.argument("head_content", required=False, type=click.Path(path_type=Path))
@click.option("--git", "git_ref", metavar="REF", default=None,
              help="Compare the content at REF (where this branch left it: git merge-base REF HEAD) "
                   "with --content as it is now.")
@_CONTENT
@click.option("--format", "output_format", type=click.Choice(["markdown", "json"]), default="markdown",
              show_default=True, help="What to print on standard output.")
@click.option("--markdown", "markdown_file", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Also write the Markdown (for a pull-request comment) to this file.")
@click.option("--json", "json_file", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Also write the JSON to this file.")
@click.option("--record", is_flag=True,
              help="Write the change as HEAD's entry in changes/ (one entry per branch: re-running replaces it).")
@click.option("--note", default=None, help="With --record: the entry's summary for readers.")
@click.option("--date", "record_date", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="With --record: the entry's date [default: today, or SOURCE_DATE_EPOCH's].")
def diff(base_content: Path | None, head_content: Path | None, git_ref: str | None, content_dir: Path,
         output_format: str, markdown_file: Path | None, json_file: Path | None, record: bool,
         note: str | None, record_date: dt.datetime | None) -> None:
    """Show what a change to the content does to the site, record by record.

    Figures added, removed and changed (old → new, city, comparison table,
    citation), documents, cities and zones added or changed, and the cells of
    comparison tables that change.  Both trees must validate.  Records are
    compared, not text: an edit that only reformats YAML reports no changes.
    Exit 0 whether or not anything changed; 1 if a tree has problems.

    \b
    Example:
      site-gen diff old-content/ content/
      site-gen diff --git main --markdown diff.md --json diff.json
      site-gen diff --git main --record --note "锦州市孵化器奖励按新文件更新"
    """
    import tempfile

    from site_gen.build import load_site
    from site_gen.changes import LOG_FOLDER, entry_from_diff, record_entry
    from site_gen.diff import compare_sites, to_json, to_markdown
    from site_gen.gitcontent import GitError, checkout_of, export, fork_point, resolve

    if git_ref is not None and (base_content or head_content):
        raise click.UsageError("give either --git REF or BASE_CONTENT HEAD_CONTENT, not both")
    if git_ref is None and (base_content is None or head_content is None):
        raise click.UsageError("expected BASE_CONTENT and HEAD_CONTENT, or --git REF")
    if (note or record_date) and not record:
        raise click.UsageError("--note and --date go with --record")
    try:
        today = build_date()
    except BuildError as error:
        _fail(error)
    with tempfile.TemporaryDirectory(prefix="site-gen-diff-") as temporary:
        if git_ref is not None:
            try:
                checkout = checkout_of(content_dir)
                commit = resolve(checkout, git_ref)
                base_commit = fork_point(checkout, commit)
                base_dir = export(checkout, base_commit, Path(temporary))
            except GitError as exc:
                raise click.UsageError(str(exc)) from None
            shown = f"{git_ref}:{checkout.prefix or './'}"
            at = f"{base_commit[:12]}" + ("" if base_commit == commit else f", where this branch left {git_ref}")
            base_label, head_label = f"{git_ref} ({at})", f"{content_dir} (working tree)"
            head_dir = content_dir
        else:
            assert base_content is not None and head_content is not None
            base_dir, head_dir, shown = base_content, head_content, ""
            base_label, head_label = str(base_content), str(head_content)
        sites = []
        for name, folder in (("base", base_dir), ("head", head_dir)):
            try:
                sites.append(load_site(folder))
            except ContentError as error:
                report = error.report()
                if shown:
                    report = report.replace(Path(folder).as_posix() + "/", shown)
                click.echo(printable_lines(report), err=True)
                click.echo(printable(f"{name} ({base_label if name == 'base' else head_label}): "
                                     f"{len(error.problems)} problem(s); nothing compared"), err=True)
                sys.exit(1)
        result = compare_sites(sites[0], sites[1], today, base_label=base_label, head_label=head_label)
    markdown, data = to_markdown(result), to_json(result)
    for path, text in ((markdown_file, markdown), (json_file, data)):
        if path is not None:
            try:
                path.write_text(text, encoding="utf-8")
            except OSError as exc:
                _fail(BuildError(f"cannot write {path}: {exc.strerror}"))
    click.echo(data if output_format == "json" else markdown, nl=False)
    if record:
        date = record_date.date() if record_date else today
        entry = entry_from_diff(result, date, note)
        try:
            done = record_entry(head_dir / LOG_FOLDER, entry, sites[0].changes, sites[1].changes)
        except (BuildError, OSError) as error:
            _fail(error if isinstance(error, BuildError) else BuildError(str(error)))
        click.echo(printable(done), err=True)


@main.group()
def new() -> None:
    """Start a new city or document from files that validate as written.

    \b
    Example:
      site-gen new city anshan --name 鞍山市 --code 210300
      site-gen new document anshan anshan-2022-measures --source scraped.txt
    """


def _check_slug(value: str, option: str) -> None:
    if not re.fullmatch(SLUG_PATTERN, value) or len(value) > 64:
        raise click.BadParameter(
            "expected lower-case ASCII letters and digits joined by single hyphens", param_hint=option)


def _validated(content_dir: Path, written: tuple[Path, ...]) -> None:
    """Validate the tree holding the new files; exit 1 if they (not the rest) have a problem."""
    from site_gen.build import load_site

    for path in written:
        click.echo(printable(f"wrote {path}"))
    try:
        load_site(content_dir)
    except ContentError as error:
        new_files = {Path(p).resolve() for p in written}
        own = [p for p in error.problems if Path(p.file).resolve() in new_files]
        click.echo(printable_lines(error.report()), err=True)
        if own:
            click.echo(f"{len(own)} problem(s) in the new files", err=True)
            sys.exit(1)
        click.echo(f"the new files are valid; the rest of {content_dir} has {len(error.problems)} problem(s)",
                   err=True)
        return
    click.echo(printable(f"ok: {content_dir} validates with the new files; edit them, then run site-gen validate"))


@new.command("city")
@click.argument("slug")
@click.option("--name", required=True, help="The city's Chinese name, e.g. 鞍山市.")
@click.option("--name-en", default=None, help="The English name [default: the slug, capitalised].")
@click.option("--code", type=click.IntRange(100000, 999999), default=None,
              help="行政区划代码 (GB/T 2260), e.g. 210300; orders the city lists.")
@click.option("--kind", type=click.Choice(["city", "province"]), default="city", show_default=True)
@_CONTENT
def new_city(slug: str, name: str, name_en: str | None, code: int | None, kind: str, content_dir: Path) -> None:
    """Write cities/SLUG/city.yaml and city.md, ready to validate.

    \b
    Example:
      site-gen new city anshan --name 鞍山市 --code 210300
    """
    from site_gen.scaffold import new_city as scaffold_city

    _check_slug(slug, "SLUG")
    english = name_en if name_en is not None else slug.replace("-", " ").title()
    if not english.isascii() or not english.strip():
        raise click.BadParameter("expected the English name in Latin letters", param_hint="--name-en")
    if not name.strip() or len(name) > 200:
        raise click.BadParameter("expected the city's name (at most 200 characters)", param_hint="--name")
    try:
        done = scaffold_city(content_dir, slug, name.strip(), english.strip(), kind, code)
    except BuildError as error:
        _fail(error)
    _validated(content_dir, done.files)


@new.command("document")
@click.argument("city")
@click.argument("document_id", metavar="ID")
@click.option("--source", "raw", required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="The scraped text, archived with site-gen ingest into sources/ID.txt.")
@click.option("--title", default=None, help="The document's title [default: the first line of the archived text].")
@click.option("--rules", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Ingest rules file [default: CONTENT/ingest-rules.yaml].")
@_CONTENT
def new_document(city: str, document_id: str, raw: Path, title: str | None, rules: Path | None,
                 content_dir: Path) -> None:
    """Archive RAW as sources/ID.txt and write the document's YAML and summary, ready to validate.

    The YAML holds the schema comment, the archived text's source_sha256,
    the title and unknown for what the text has to tell (issuer, number,
    date); add measures and targets from there.

    \b
    Example:
      site-gen new document anshan anshan-2022-measures --source scraped.txt
    """
    from site_gen.ingest import ingest_file
    from site_gen.scaffold import check_new_document, guess_title, write_document

    _check_slug(city, "CITY")
    _check_slug(document_id, "ID")
    if title is not None and (not title.strip() or len(title) > 200):
        raise click.BadParameter("expected the title (at most 200 characters)", param_hint="--title")
    try:
        check_new_document(content_dir, city, document_id)
        target, report = ingest_file(raw, document_id, content_dir, rules or content_dir / "ingest-rules.yaml")
    except (ContentError, BuildError) as error:
        _fail(error)
    for line in report.lines():
        click.echo(printable(f"  {line}"))
    click.echo(printable(f"wrote {target}"))
    text = target.read_text(encoding="utf-8")
    chosen = title.strip() if title else guess_title(text)
    if chosen is None:
        target.unlink()
        _fail(BuildError(f"the archived text's first line is not a title; nothing was kept (expected "
                         f"--title with the document's title)"))
    try:
        done = write_document(content_dir, city, document_id, chosen, report.sha256, title is None)
    except BuildError as error:
        target.unlink()
        _fail(error)
    _validated(content_dir, done.files)


@main.command()
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("hosting"),
              show_default=True, help="Folder to write the snippets into.")
@click.option("--check", is_flag=True, help="Write nothing; exit 1 if a file in --out differs from what would be written.")
def hosting(out_dir: Path, check: bool) -> None:
    """Write header snippets for hosts that can send headers (nginx, Netlify, Cloudflare Pages).

    Each sends the same Content-Security-Policy the pages carry as a <meta>
    tag, generated from the one constant the pages use.  The build also
    writes _headers into output/ for Netlify and Cloudflare Pages.

    \b
    Example:
      site-gen hosting --out hosting
    """
    from site_gen.render.headers import SNIPPETS
    from site_gen.render.pages import CSP

    stale = []
    for name, make in SNIPPETS.items():
        path = out_dir / name
        text = make(CSP)
        if check:
            if not path.is_file() or path.read_text(encoding="utf-8") != text:
                stale.append(path)
            continue
        try:
            out_dir.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        except OSError as exc:
            _fail(BuildError(f"cannot write {path}: {exc.strerror}"))
        click.echo(printable(f"wrote {path}"))
    if stale:
        for path in stale:
            click.echo(printable(f"{path} differs from the policy the pages carry (run site-gen hosting)"), err=True)
        sys.exit(1)
