"""What every page tells beyond its content: sharing meta, where the text came from, the licence, how to report."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from selectolax.lexbor import LexborHTMLParser

from site_gen.build import build_site
from site_gen.config import BuildConfig
from tests.conftest import DOC, TEMPLATES, ContentTree
from tests.test_validation import problems

TODAY = dt.date(2026, 12, 1)


def build(content: ContentTree, out: Path, base_url: str = "") -> Path:
    build_site(BuildConfig(content_dir=content.root, out_dir=out, templates_dir=TEMPLATES, today=TODAY,
                           search=False, base_url=base_url))
    return out


def meta(tree: LexborHTMLParser, key: str) -> str | None:
    node = tree.css_first(f'meta[property="{key}"]') or tree.css_first(f'meta[name="{key}"]')
    return node.attributes.get("content") if node else None


def test_every_page_has_open_graph_and_twitter_meta_with_its_own_description(real_content_copy, tmp_path):
    site = build(real_content_copy, tmp_path / "out", base_url="https://example.org/policy/")
    descriptions = {}
    for page in sorted(site.rglob("*.html")):
        if "pagefind" in page.parts:
            continue
        tree = LexborHTMLParser(page.read_text(encoding="utf-8"))
        name = page.relative_to(site).as_posix()
        title = tree.css_first("title").text()
        for key in ("og:title", "og:description", "og:type", "og:site_name", "og:locale",
                    "twitter:card", "twitter:title", "twitter:description"):
            assert meta(tree, key), (name, key)
        assert title.startswith(meta(tree, "og:title") or "-"), name
        assert meta(tree, "og:description") == meta(tree, "description") == meta(tree, "twitter:description")
        plain = name.removeprefix("en/")  # the English edition has the same pages under en/
        if plain != "404.html":
            assert meta(tree, "og:url") == tree.css_first('link[rel="canonical"]').attributes["href"]
        descriptions[name] = meta(tree, "og:description")
        assert meta(tree, "og:type") == ("article" if plain.startswith("documents/") and plain.count("/") == 2
                                         else "website"), name
    pages = [n for n in descriptions if not n.endswith("404.html")]
    assert len({descriptions[n] for n in pages}) == len(pages), "each page describes itself"
    assert "锦州市" in descriptions["compare/funds/index.html"]  # the cities a comparison holds


def test_a_document_page_says_where_its_text_came_from_or_that_it_is_not_recorded(real_content_copy, tmp_path):
    site = build(real_content_copy, tmp_path / "out")
    tree = LexborHTMLParser((site / "documents/jinzhou-2021-action-plan/index.html").read_text(encoding="utf-8"))
    assert tree.css_first("#official-source").text() == "未记录"
    assert tree.css_first("#retrieved").text() == "未记录"
    assert not tree.css_first("#official-source a")  # no link is made up


@pytest.mark.parametrize("url", ["javascript:alert(1)", "https://user:pw@example.org/", "ftp://example.org/x",
                                 "https://example.org/a b", "//example.org/x", "https://example.org/<script>"])
def test_a_source_url_must_be_a_plain_web_address(content, url):
    content.replace(DOC, "parts:\n", f"source_url: '{url}'\nparts:\n")
    assert any("source_url" in p and "not a web address" in p for p in problems(content)), problems(content)


def test_scope_zones_cannot_name_one_zone(content):
    content.replace(DOC, "  - id: rd-2025\n    metric: rd-intensity\n",
                    "  - id: rd-2025\n    metric: rd-intensity\n    scope: zones\n    zone: shili-hitech\n")
    assert any("scope zones is for the zones together" in p for p in problems(content)), problems(content)


def test_licence_and_issue_form_are_shown_only_when_set(content, tmp_path):
    site = build(content, tmp_path / "plain")
    home = (site / "index.html").read_text(encoding="utf-8")
    assert "数据许可" not in home
    assert "告知本站的维护者" in home and 'href="./about/#report"' in home
    about = (site / "about/index.html").read_text(encoding="utf-8")
    assert 'id="report"' in about and "问题表单" not in about

    content.write("site.yaml", "title: 测试站点\nlicence: CC BY 4.0\n"
                               "licence_url: https://creativecommons.org/licenses/by/4.0/\n"
                               "issues_url: https://example.org/site/issues/new\n")
    site = build(content, tmp_path / "set")
    home = (site / "index.html").read_text(encoding="utf-8")
    assert '<a href="https://creativecommons.org/licenses/by/4.0/" rel="license">CC BY 4.0</a>' in home
    assert '<a href="https://example.org/site/issues/new">在问题表单中报告</a>' in home


def test_the_site_yaml_links_must_be_web_addresses(content):
    content.write("site.yaml", "title: 测试站点\nissues_url: javascript:alert(1)\n")
    assert any("issues_url" in p for p in problems(content)), problems(content)


def test_every_page_prints_its_address_and_the_build_date(content, tmp_path):
    site = build(content, tmp_path / "out", base_url="https://example.org/")
    for name in ("index.html", "compare/funds/index.html", "cities/shili/index.html"):
        html = (site / name).read_text(encoding="utf-8")
        line = LexborHTMLParser(html).css_first(".print-meta").text()
        assert "生成日期：2026年12月1日" in line
        assert re.search(r"本页地址：https://example\.org/", line), line
