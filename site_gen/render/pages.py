"""Stage 5, render: every page, data file and static file of the site.

:func:`render_site` returns the complete output as a mapping of relative
POSIX paths to bytes; nothing is written here.  The URL of each page is part
of the public contract (see README): pretty URLs, ``<path>/index.html``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from site_gen import vocabulary as vocab
from site_gen.config import BuildConfig
from site_gen.derive import Derived
from site_gen.derive.compare import Comparison, preview
from site_gen.derive.questions import home_questions
from site_gen.derive.opendata import (
    DOCUMENT_FIELDS,
    MEASURE_FIELDS,
    TARGET_FIELDS,
    to_csv,
    to_json,
    to_table_csv,
)
from site_gen.derive.status import format_date
from jinja2 import TemplateError, TemplateSyntaxError

from site_gen.errors import BuildError
from site_gen.render.environment import make_environment, relative_root, static_versions

CSP = (
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; "
    "img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; "
    "base-uri 'self'; form-action 'self'"
)

NAV = (
    ("", "首页"),
    ("cities/", "城市"),
    ("documents/", "文件"),
    ("compare/", "比较"),
    ("search/", "搜索"),
    ("about/", "关于"),
)


@dataclass(frozen=True)
class Page:
    """One HTML page: where it goes, which template draws it, with what."""

    path: str
    template: str
    title: str
    description: str
    section: str
    context: dict[str, Any] = field(default_factory=dict)


def _nav(section: str) -> list[dict[str, Any]]:
    return [{"href": href, "label": label, "current": href == section} for href, label in NAV]


def _vocabularies() -> list[dict[str, Any]]:
    return [
        {"id": "categories", "title": "措施类别", "terms": list(vocab.CATEGORIES.values())},
        {"id": "kinds", "title": "支持方式（比较表的行）",
         "terms": [vocab.Term(k.id, k.label, f"{vocab.CATEGORIES[k.category].label}"
                              + (f" · 见“{vocab.COMPARISONS[k.comparison].label}”比较" if k.comparison else ""))
                   for k in vocab.OFFER_KINDS.values()]},
        {"id": "metrics", "title": "目标指标", "terms": [vocab.Term(m.id, m.label, f"常用单位：{m.unit}" if m.unit else "")
                                                      for m in vocab.METRICS.values()]},
        {"id": "zone-topics", "title": "高新区信息类别", "terms": list(vocab.ZONE_FACT_TOPICS.values())},
    ]


def _talent_city(derived: Derived) -> tuple[str, str] | None:
    """The city with the fullest talent package, for the home page's question."""
    talent = next(c for c in derived.comparisons if c.name == "talent-packages")
    counts = {col.slug: 0 for col in talent.columns}
    for row in talent.rows:
        for cell in row.cells:
            if cell.state == "found":
                counts[cell.city] += 1
    if not counts or max(counts.values()) == 0:
        return None
    best = max(talent.columns, key=lambda col: counts[col.slug])
    return best.slug, best.name


def site_pages(derived: Derived) -> list[Page]:
    """The list of HTML pages (comparison and search pages are added by their modules)."""
    site = derived.site.settings
    documents = list(derived.documents)
    counts = {
        "documents": len(documents),
        "measures": len(derived.measures),
        "targets": len(derived.targets),
        "cities": sum(1 for c in derived.site.cities if c.kind == "city"),
    }
    pages = [
        Page("index.html", "home.html", "首页", site.description or site.title, "", {
            "cities": derived.cities, "latest": documents[:6], "counts": counts,
            "questions": home_questions({c.name: c for c in derived.comparisons}, _talent_city(derived)),
        }),
        Page("cities/index.html", "cities.html", "城市", "辽宁各市和省级的科技创新政策", "cities/",
             {"cities": derived.cities}),
        Page("documents/index.html", "documents.html", "文件", "本站收录的全部政策文件", "documents/",
             {"documents": documents}),
        Page("about/index.html", "about.html", "数据来源与方法", "数据来源、核对方法、金额换算和开放数据格式", "about/", {
            "documents": documents,
            "data_files": [
                {"name": "measures", "title": "扶持措施", "fields": MEASURE_FIELDS, "count": len(derived.measures)},
                {"name": "targets", "title": "量化目标", "fields": TARGET_FIELDS, "count": len(derived.targets)},
                {"name": "documents", "title": "文件", "fields": DOCUMENT_FIELDS, "count": len(documents)},
            ],
            "vocabularies": _vocabularies(),
        }),
        Page("search/index.html", "search.html", "搜索", "全文搜索政策原文、扶持措施和量化目标", "search/", {}),
        Page("404.html", "404.html", "找不到页面", "找不到这个页面", "", {}),
    ]
    pages.append(Page("compare/index.html", "compare_index.html", "政策比较",
                      "各市科技创新政策并排比较：孵化载体奖励、人才创业支持、基金与科技金融、量化目标", "compare/",
                      {"previews": [preview(c) for c in derived.comparisons]}))
    for comparison in derived.comparisons:
        pages.append(Page(f"compare/{comparison.name}/index.html", "compare.html", comparison.title,
                          comparison.description, "compare/", {"cmp": comparison}))
    for city in derived.cities:
        pages.append(Page(f"cities/{city.slug}/index.html", "city.html", city.name,
                          f"{city.name}的科技创新政策：{city.measure_count} 项措施、{city.target_count} 项目标",
                          "cities/", {"c": city}))
    for document in documents:
        pages.append(Page(f"documents/{document.id}/index.html", "document.html", document.display_title,
                          f"{document.issuer}《{document.title}》的措施、目标与原文", "documents/",
                          {"d": document}))
    return pages


def _base_href(base_url: str) -> str:
    path = urlsplit(base_url).path if base_url else "/"
    return path if path.endswith("/") else path + "/"


def sitemap(base_url: str, pages: list[Page]) -> bytes:
    """sitemap.xml of every page but the 404 page (no dates: builds stay byte-identical)."""
    from xml.sax.saxutils import escape

    urls = sorted(base_url + p.path.removesuffix("index.html") for p in pages if p.path != "404.html")
    body = "".join(f"  <url><loc>{escape(u)}</loc></url>\n" for u in urls)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
            f"{body}</urlset>\n").encode("utf-8")


def comparison_csv(comparison: Comparison) -> bytes:
    """The table as shown: one row per kind of offer, one column per city."""
    header = [comparison.row_heading, "级别", "最高", *[c.name for c in comparison.columns]]
    rows = [
        [row.label, row.level_label or "", row.best_text or "", *[cell.csv_text for cell in row.cells]]
        for row in comparison.rows
    ]
    return to_table_csv(header, rows)


def data_files(derived: Derived) -> dict[str, bytes]:
    files = {
        "data/measures.json": to_json(derived.measure_records),
        "data/measures.csv": to_csv(derived.measure_records, MEASURE_FIELDS),
        "data/targets.json": to_json(derived.target_records),
        "data/targets.csv": to_csv(derived.target_records, TARGET_FIELDS),
        "data/documents.json": to_json(derived.document_records),
        "data/documents.csv": to_csv(derived.document_records, DOCUMENT_FIELDS),
    }
    for comparison in derived.comparisons:
        files[f"data/compare/{comparison.name}.csv"] = comparison_csv(comparison)
    for document in derived.site.documents:
        text = "\n".join(p.text for p in document.archived_text.paragraphs) + "\n"
        files[f"data/sources/{document.id}.txt"] = text.encode("utf-8")
    return files


def render_site(derived: Derived, config: BuildConfig, pages: list[Page]) -> dict[str, bytes]:
    """Render ``pages`` and collect static and data files into one mapping."""
    static_dir = config.templates_dir / "static"
    versions = static_versions(static_dir)
    env = make_environment(config.templates_dir, versions)
    base_url = config.base_url.rstrip("/") + "/" if config.base_url else ""
    common = {
        "site": derived.site.settings,
        "csp": CSP,
        "today_text": format_date(derived.today),
        "search": config.search,  # the search page preloads Pagefind's files only when they are built
    }
    files: dict[str, bytes] = {}
    for page in pages:
        clean_path = page.path.removesuffix("index.html")
        context = {
            **common,
            **page.context,
            "root": relative_root(page.path),
            "nav": _nav(page.section),
            "page_title": page.title,
            "page_description": page.description,
            "canonical": base_url + clean_path if base_url and page.path != "404.html" else "",
            "base_href": _base_href(config.base_url) if page.path == "404.html" else "",
        }
        try:
            html = env.get_template(page.template).render(context)
        except TemplateError as exc:
            raise BuildError(f"{_template_location(exc, page.template)}: cannot render {page.path}: {exc}") from exc
        files[page.path] = html.encode("utf-8")
    if base_url:
        files["sitemap.xml"] = sitemap(base_url, pages)
        files["robots.txt"] = f"User-agent: *\nAllow: /\nSitemap: {base_url}sitemap.xml\n".encode("utf-8")
    if static_dir.is_dir():
        for path in sorted(static_dir.rglob("*")):
            if path.is_file():
                files[f"static/{path.relative_to(static_dir).as_posix()}"] = path.read_bytes()
    files.update(data_files(derived))
    return files


def _template_location(exc: TemplateError, template: str) -> str:
    if isinstance(exc, TemplateSyntaxError):
        return f"{exc.filename or exc.name or template}:{exc.lineno}"
    return f"templates/{template}"


def page_count(files: dict[str, bytes]) -> int:
    return sum(1 for name in files if name.endswith(".html"))


def templates_exist(templates_dir: Path) -> bool:
    return (templates_dir / "base.html").is_file()
