"""Stage 5, render: every page, data file and static file of the site.

:func:`render_site` puts the complete output in a mapping of relative
POSIX paths to bytes: a dict (``site-gen serve``), or
:class:`~site_gen.output.StagedFiles`, which writes each file into the
staging folder as it is put there (``site-gen build``).  The URL of each page
is part of the public contract (see README): pretty URLs, ``<path>/index.html``.
"""

from __future__ import annotations

import functools
import itertools
import traceback
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator, Mapping, MutableMapping
from urllib.parse import urlsplit

from site_gen import urls
from site_gen import vocabulary as vocab
from site_gen.config import BuildConfig
from site_gen.derive import Derived
from site_gen.derive.tables import Table, table_of_kind
from site_gen.derive.opendata import (
    DOCUMENT_FIELDS,
    MEASURE_FIELDS,
    TARGET_FIELDS,
)
from site_gen.derive.sourceinfo import source_info
from site_gen.derive.standing import FILTERS
from site_gen.derive.status import format_date
from jinja2 import Environment, TemplateError, TemplateSyntaxError

from site_gen.changes import feed_id, history
from site_gen.errors import BuildError
from site_gen.memo import Memo
from site_gen.output import put_parts
from site_gen.parallel import processes
from site_gen.render import parallel
from site_gen.render.datafiles import data_files
from site_gen.render.environment import TemplateCache, make_environment, relative_root, static_versions
from site_gen.render.headers import netlify_headers
from site_gen.render.i18n import LANGUAGES, Language, Words, edition_key, install
from site_gen.render.editions import alternates, sitemap_urls
from site_gen.words import Listed, Msg, N_, Named, msg

CSP = (
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; "
    "img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; "
    "base-uri 'self'; form-action 'self'"
)

NAV = (
    (urls.HOME, N_("首页")),
    (urls.CITIES, N_("城市")),
    (urls.DOCUMENTS, N_("文件")),
    (urls.COMPARE, N_("比较")),
    (urls.SEARCH, N_("搜索")),
    (urls.ABOUT, N_("关于")),
)


@dataclass(frozen=True)
class Page:
    """One HTML page: where it goes, which template draws it, with what."""

    path: str
    template: str
    title: str | Msg | Named
    description: str | Msg | Named
    section: str
    context: dict[str, Any] = field(default_factory=dict)


def _nav(section: str, words: Words) -> list[dict[str, Any]]:
    return [{"href": href, "label": words.gettext(label), "current": href == section} for href, label in NAV]


def _terms(terms: Any) -> list[tuple[str, Msg, Msg | str]]:
    """(id, label, note) of vocabulary terms, their words as messages."""
    return [(t.id, Msg(t.label), Msg(t.note) if t.note else "") for t in terms]


def _vocabularies(tables: tuple[Table, ...]) -> list[dict[str, Any]]:
    shown_in = table_of_kind(tables)
    return [
        {"id": "categories", "title": N_("措施类别"), "terms": _terms(vocab.CATEGORIES.values())},
        {"id": "kinds", "title": N_("支持方式（比较表的行）"),
         "terms": [(k.id, Msg(k.label), msg("%(category)s · 见“%(table)s”比较", category=Msg(vocab.CATEGORIES[k.category].label),
                                            table=Msg(shown_in[k.id].label)) if k.id in shown_in
                    else Msg(vocab.CATEGORIES[k.category].label))
                   for k in vocab.OFFER_KINDS.values()]},
        {"id": "metrics", "title": N_("目标指标"),
         "terms": [(m.id, Msg(m.label), msg("常用单位：%(unit)s", unit=Msg(m.unit)) if m.unit else "")
                   for m in vocab.METRICS.values()]},
        {"id": "zone-topics", "title": N_("高新区信息类别"), "terms": _terms(vocab.ZONE_FACT_TOPICS.values())},
        {"id": "target-scopes", "title": N_("目标的范围（scope）"), "terms": _terms(vocab.TARGET_SCOPES.values())},
    ]


def site_pages(derived: Derived) -> list[Page]:
    """Every HTML page of the site, each at its URL (:mod:`site_gen.urls`)."""
    site = derived.site.settings
    documents = list(derived.documents)
    changes = history(derived.site)
    pages = [
        Page(urls.page_file(urls.HOME), "home.html", msg("首页"),
             Named(site.description or site.title, site.description_en or site.title_en), urls.HOME, {
            "cities": derived.city_cards, "latest": documents[:6], "counts": derived.counts,
            "questions": derived.questions, "tilemap": derived.home_map,
        }),
        Page(urls.page_file(urls.CITIES), "cities.html", msg("城市"), msg("辽宁各市和省级的科技创新政策"), urls.CITIES,
             {"cities": derived.city_cards}),
        Page(urls.page_file(urls.DOCUMENTS), "documents.html", msg("文件"), msg("本站收录的全部政策文件"), urls.DOCUMENTS,
             {"documents": documents}),
        Page(urls.page_file(urls.ABOUT), "about.html", msg("数据来源与方法"), msg("数据来源、核对方法、金额换算和开放数据格式"),
             urls.ABOUT, {
                 "documents": documents,
                 "data_files": [
                     {"name": "measures", "title": N_("扶持措施"), "fields": MEASURE_FIELDS, "count": len(derived.measures)},
                     {"name": "targets", "title": N_("量化目标"), "fields": TARGET_FIELDS, "count": len(derived.targets)},
                     {"name": "documents", "title": N_("文件"), "fields": DOCUMENT_FIELDS, "count": len(documents)},
                 ],
                 "vocabularies": _vocabularies(derived.tables),
                 "tables": derived.comparisons,
             }),
        Page(urls.page_file(urls.SEARCH), "search.html", msg("搜索"), msg("全文搜索政策原文、扶持措施和量化目标"),
             urls.SEARCH, {}),
        Page(urls.NOT_FOUND, "404.html", msg("找不到页面"), msg("找不到这个页面"), urls.HOME, {}),
        Page(urls.page_file(urls.COMPARE), "compare_index.html", msg("政策比较"),
             msg("各市科技创新政策并排比较：%(tables)s", tables=Listed(tuple(Msg(c.title) for c in derived.comparisons))),
             urls.COMPARE,
             {"previews": derived.previews}),
    ]
    pages.append(Page(urls.page_file(urls.CHANGES), "changes.html", msg("变更记录"),
                      msg("本站数据的修改记录：新增、删除和修改的文件、措施与目标，按日期排列"), urls.CHANGES,
                      {"history": changes}))
    city_names = {c.slug: c.name_en for c in derived.cities}
    for comparison in derived.comparisons:
        names = Named("、".join(c.name for c in comparison.columns),
                      ", ".join(city_names.get(c.slug, c.name) for c in comparison.columns))
        pages.append(Page(urls.page_file(comparison.href), comparison.template, Msg(comparison.title),
                          msg("%(description)s：%(names)s并排比较，每个数字链接到原文段落",
                              description=Msg(comparison.description), names=names) if names.zh
                          else Msg(comparison.description), urls.COMPARE,
                          {"cmp": comparison, "comparisons": derived.comparisons, "status_filters": FILTERS}))
    for city in derived.cities:
        name = Named(city.name, city.name_en)
        pages.append(Page(urls.page_file(city.href), "city.html", name,
                          msg("%(city)s的科技创新政策：%(measures)s 项措施、%(targets)s 项目标",
                              city=name, measures=city.measure_count, targets=city.target_count),
                          urls.CITIES, {"c": city, "last_change": changes.last_for_city(city.slug),
                                        "outline": derived.city_outlines[city.slug]}))
    for document in documents:
        record = document.record
        pages.append(Page(urls.page_file(document.href), "document.html",
                          Named(document.display_title, record.short_title_en or record.title_en),
                          msg("%(issuer)s《%(title)s》的措施、目标与原文", issuer=document.issuer,
                              title=Named(document.title, record.title_en)), urls.DOCUMENTS,
                          {"d": document, "last_change": changes.last_for_document(document.id),
                           "og_type": "article", "source": source_info(document),
                           "city_name_en": derived.site.city(document.city).name_en}))
    return pages


def _base_href(base_url: str) -> str:
    path = urlsplit(base_url).path if base_url else "/"
    return path if path.endswith("/") else path + "/"


def sitemap(base_url: str, pages: list[Page]) -> bytes:
    """sitemap.xml of every page but the 404 page (no dates: builds stay byte-identical)."""
    from xml.sax.saxutils import escape

    locations = sitemap_urls(base_url, [p.path for p in pages if p.path != urls.NOT_FOUND], LANGUAGES)
    body = "".join(f"  <url><loc>{escape(u)}</loc></url>\n" for u in locations)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
            f"{body}</urlset>\n").encode("utf-8")


def _templates_state(templates_dir: Path) -> tuple[tuple[str, bytes], ...]:
    """Every file under ``templates/`` with its bytes: what a rendered page may depend on besides its view."""
    if not templates_dir.is_dir():
        return ()
    return tuple((p.relative_to(templates_dir).as_posix(), p.read_bytes())
                 for p in sorted(templates_dir.rglob("*")) if p.is_file())


def render_site(derived: Derived, config: BuildConfig, pages: list[Page], memo: Memo | None = None,
                rendered: Callable[[int, int], None] = lambda done, total: None,
                into: MutableMapping[str, bytes] | None = None) -> MutableMapping[str, bytes]:
    """Render ``pages`` in every language (:data:`LANGUAGES`) and collect static and data files into one mapping.

    ``into`` is the mapping the files are put in as they are made (a new dict
    if not given); a :class:`~site_gen.output.StagedFiles` writes each into
    the staging folder at once, from both rendering processes.

    ``memo`` (``site-gen serve``) keeps each language's Jinja environment while
    no file under ``templates/`` changed, and the bytes of each page while its
    context is equal (views kept by :class:`~site_gen.derive.views.Views` are
    the same objects, so unchanged pages compare at once).
    ``rendered`` is told the pages done so far.
    """
    memo = memo or Memo.off()
    static_dir = config.templates_dir / "static"
    state = _templates_state(config.templates_dir) if memo.enabled else ()
    base_url = config.base_url.rstrip("/") + "/" if config.base_url else ""
    changes = history(derived.site)
    common = {
        "site": derived.site.settings,
        "csp": CSP,
        "has_feed": bool(changes.entries),
        "search": config.search,  # the search page preloads Pagefind's files only when they are built
    }
    files: MutableMapping[str, bytes] = {} if into is None else into
    editions: list[_Edition] = []
    for language in LANGUAGES:
        env, words = memo.get("environment", (state, str(config.templates_dir), language.code), (),
                              lambda: _environment(config, static_dir, language))
        site = derived.site.settings
        edition = {**common, "today_text": words.date(derived.today),
                   "site_title": words.text(Named(site.title, site.title_en))}
        # One object while the environment and everything every page of this edition shows are the same.
        shared, kept = memo.get_kept("render-shared", (base_url, edition["today_text"], common["has_feed"],
                                                       config.search, edition["site_title"]), (env, site), object)
        editions.append(_Edition(env, words, edition, shared, kept))
    def open_data() -> None:  # made by this process while the second one starts on the pages
        data_files(derived, base_url, memo, files)

    _render_pages(editions, pages, config, base_url, memo, rendered, files, meanwhile=open_data)
    for each in editions:
        if each.words.language.source and changes.entries:
            files[urls.CHANGES_FEED] = _render(each.env, "changes_feed.xml", {
                **common, "today_text": format_date(derived.today), "root": relative_root(urls.CHANGES_FEED),
                "history": changes, "base_url": base_url, "feed_id": feed_id(derived.site)},
                urls.CHANGES_FEED, config.templates_dir)
    files[urls.HEADERS_FILE] = netlify_headers(CSP).encode("utf-8")
    if base_url:
        files["sitemap.xml"] = sitemap(base_url, pages)
        files["robots.txt"] = f"User-agent: *\nAllow: /\nSitemap: {base_url}sitemap.xml\n".encode("utf-8")
    if static_dir.is_dir():
        for path in sorted(static_dir.rglob("*")):
            if path.is_file():
                files[f"static/{path.relative_to(static_dir).as_posix()}"] = path.read_bytes()
    return files


def _environment(config: BuildConfig, static_dir: Path, language: Language) -> tuple[Environment, Words]:
    """One edition's Jinja environment and words, compiled templates kept in ``config.template_cache``."""
    env = make_environment(config.templates_dir, static_versions(static_dir))
    words = install(env, language)
    if config.template_cache is not None:
        env.bytecode_cache = TemplateCache(config.template_cache / "templates", edition_key(language))
    return env, words


@dataclass(frozen=True)
class _Edition:
    """One language's environment and words, the values every page of it shows, and the memo's token for them."""

    env: Environment
    words: Words
    common: dict[str, Any]
    shared: object
    kept: bool = False
    """``shared`` is the last build's: its pages may be kept (else every one is rendered: a template changed)."""


@dataclass(frozen=True)
class _Job:
    """A page in one edition, at its path there (``en/cities/x/index.html``)."""

    path: str
    page: Page
    edition: int


def _render_pages(editions: list[_Edition], pages: list[Page], config: BuildConfig, base_url: str, memo: Memo,
                  rendered: Callable[[int, int], None], into: MutableMapping[str, bytes],
                  meanwhile: Callable[[], None]) -> None:
    """Every page in every edition, put in ``into`` at its path in that edition.

    A build of many pages that can keep none from a build before (``site-gen
    build``; in ``site-gen serve`` the first build, and any after a change
    under ``templates/``) renders on two processors
    (:mod:`site_gen.render.parallel`), both editions in one go so the second
    process starts once, with every template already compiled; into
    :class:`~site_gen.output.StagedFiles`, each process writes its pages
    itself.  With a memo, a page is kept while its context is equal.
    ``meanwhile`` is other work of this process, done while the second one
    starts on the pages.
    """
    renderers = [_page_renderer(each, config, base_url) for each in editions]
    jobs = [_Job(urls.in_language(page.path, each.words.language.prefix), page, number)
            for number, each in enumerate(editions) for page in pages]

    def render_parts(job: _Job) -> Iterator[bytes]:
        return renderers[job.edition](job.page, job.path)

    def render(job: _Job) -> bytes:
        return b"".join(render_parts(job))

    def kept_page(job: _Job, make: Callable[[], bytes]) -> bytes:
        page, edition = job.page, editions[job.edition]
        key = (edition.words.language.code, page.path, page.template, page.title, page.description, page.section)
        # kept while its context is equal: a view the last build made is the same object, so a page
        # whose view and other values (its last change, its outline) did not change is compared at once
        return memo.same("page", key, (edition.shared, page.context), make)

    if not any(each.kept for each in editions) and len(jobs) >= parallel.PARALLEL_PAGES and processes() > 1:
        for each in editions:  # compiled once here, not once in each process
            _compile_templates(each.env)
        # Pages of a template that draws few pages (the home page, the comparisons, the lists) each show
        # many records and take long: taken first, so that the two processes finish together.
        drawn = Counter(job.page.template for job in jobs)
        order = sorted(range(len(jobs)), key=lambda i: drawn[jobs[i].page.template])
        parallel.render_in_two(jobs, render_parts, rendered, into, order, meanwhile)
        for job in jobs if memo.enabled else ():  # each page kept for the next build
            kept_page(job, functools.partial(into.__getitem__, job.path))
        return
    meanwhile()
    for done, job in enumerate(jobs, start=1):
        if memo.enabled:
            into[job.path] = kept_page(job, functools.partial(render, job))
        else:
            put_parts(into, job.path, render_parts(job))
        rendered(done, len(jobs))


def _page_renderer(edition: _Edition, config: BuildConfig, base_url: str) -> Callable[[Page, str], Iterator[bytes]]:
    """Renders a page of ``edition`` given its path there, in parts as they are made.

    Jinja's ``render`` holds every piece of a page, then the joined text,
    then its bytes: several times the page's size, and the comparison of
    targets at 1,500 cities is 30 MB of HTML.  Written part by part
    (:meth:`~site_gen.output.StagedFiles.put_parts`), a page is never whole
    in memory; the bytes are the same.
    """
    env, words, common = edition.env, edition.words, edition.common
    language = words.language

    def render(page: Page, path: str) -> Iterator[bytes]:
        clean_path = path.removesuffix("index.html")
        context = {
            **common,
            **page.context,
            "root": relative_root(page.path),
            "site_root": relative_root(path),
            "nav": _nav(page.section, words),
            "page_title": words.text(page.title),
            "page_description": words.text(page.description),
            "canonical": base_url + clean_path if base_url and page.path != urls.NOT_FOUND else "",
            "og_type": page.context.get("og_type", "website"),
            "base_href": (_base_href(config.base_url) + language.prefix) if page.path == urls.NOT_FOUND else "",
            "alternates": alternates(page.path, path, base_url, LANGUAGES),
        }
        try:
            pieces = env.get_template(page.template).generate(context)
            while batch := list(itertools.islice(pieces, _PIECES_PER_PART)):
                yield "".join(batch).encode("utf-8")
        except TemplateError as exc:
            where = _template_location(exc, page.template, config.templates_dir)
            raise BuildError(f"{where}: cannot render {path}: {exc}") from exc

    return render


_PIECES_PER_PART = 4096
"""Pieces of a page joined and encoded at a time (a part is then some tens of kilobytes)."""


def _compile_templates(env: Environment) -> None:
    """Load every template of ``env`` (pages, their bases and macros); one that fails is left for its page to report."""
    for name in env.list_templates(filter_func=lambda name: not name.startswith("static/")
                                   and name.endswith((".html", ".xml"))):
        try:
            env.get_template(name)
        except TemplateError:
            pass


def _render(env: Environment, template: str, context: dict[str, Any], path: str, templates_dir: Path) -> bytes:
    """One file that is not a page (the Atom feed), rendered like a page."""
    try:
        return env.get_template(template).render(context).encode("utf-8")
    except TemplateError as exc:
        where = _template_location(exc, template, templates_dir)
        raise BuildError(f"{where}: cannot render {path}: {exc}") from exc


def _template_location(exc: TemplateError, template: str, templates_dir: Path) -> str:
    """``templates/x.html:LINE`` of the error, as a content problem gives ``file:line``.

    A syntax error carries its line; for an error while rendering, Jinja
    rewrites the traceback so its frames name the template file and line.
    """
    if isinstance(exc, TemplateSyntaxError):
        return f"{exc.filename or exc.name or template}:{exc.lineno}"
    root = str(templates_dir.resolve())
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if frame.filename and str(Path(frame.filename).resolve()).startswith(root):
            return f"{frame.filename}:{frame.lineno}"
    return f"{templates_dir / template}:1"


def page_count(files: Mapping[str, bytes]) -> int:
    return sum(1 for name in files if name.endswith(".html"))


def templates_exist(templates_dir: Path) -> bool:
    return (templates_dir / "base.html").is_file()
