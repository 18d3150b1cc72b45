"""The English edition: every page in both languages, linked both ways, with English words only."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
from selectolax.lexbor import LexborHTMLParser

from tests.conftest import DOC, TEMPLATES, ContentTree
from site_gen.build import build_site
from site_gen.config import BuildConfig
from site_gen.render.amounts import english_money

import datetime as dt

TODAY = dt.date(2024, 6, 1)
HAN = re.compile(r"[\u3400-\u9fff\u3000-\u303f\uff00-\uffef]")
INCUBATOR_EN = "Award for newly recognised national-level incubators"


def english_fields(content: ContentTree) -> None:
    content.write("site.yaml", "title: 测试站点\ntagline: 用于测试\ntitle_en: Test site\ntagline_en: For tests\n")
    content.replace(DOC, "short_title: 示例市科技创新若干措施\n",
                    "short_title: 示例市科技创新若干措施\ntitle_en: Notice on several measures\n"
                    "short_title_en: Several measures\n")
    content.replace(DOC, "    title: 新认定国家级孵化器奖励\n", f"    title: 新认定国家级孵化器奖励\n    title_en: {INCUBATOR_EN}\n")
    content.replace(DOC, "    title: 示例市人才公寓管理办法\n", "    title: 示例市人才公寓管理办法\n    title_en: Talent apartments\n")
    content.replace("cities/shili/city.yaml", "    short_name: 示例高新区\n",
                    "    short_name: 示例高新区\n    name_en: Shili High-tech Zone\n    short_name_en: Shili zone\n")
    content.write("cities/shili/city.en.md", "Shili is a city for tests.\n")
    content.write("cities/shili/documents/shili-2022-measures.en.md", "A summary in English.\n")


def build(content: ContentTree, out: Path, base_url: str = "") -> Path:
    build_site(BuildConfig(content_dir=content.root, out_dir=out, templates_dir=TEMPLATES, today=TODAY,
                           base_url=base_url, search=False))
    return out


def pages(out: Path) -> set[str]:
    return {p.relative_to(out).as_posix() for p in out.rglob("*.html")}


def han_outside_chinese(html: str) -> list[str]:
    tree = LexborHTMLParser(re.sub(r"<script.*?</script>", "", html, flags=re.S))
    for node in tree.css('body [lang="zh-CN"]'):
        node.decompose()
    return re.findall(r"\S*[\u3400-\u9fff]\S*", tree.body.text())


def test_every_page_has_its_english_counterpart_and_back(content, tmp_path):
    out = build(content, tmp_path / "out")
    found = pages(out)
    chinese = {p for p in found if not p.startswith("en/")}
    english = {p.removeprefix("en/") for p in found if p.startswith("en/")}
    assert chinese == english and "404.html" in english and "index.html" in english


def test_hreflang_links_are_reciprocal_and_the_switch_leads_to_the_counterpart(content, tmp_path):
    out = build(content, tmp_path / "out", base_url="https://example.org/p/")
    for path in sorted(pages(out)):
        if path.endswith("404.html"):
            continue
        tree = LexborHTMLParser((out / path).read_text(encoding="utf-8"))
        links = {n.attributes["hreflang"]: n.attributes["href"] for n in tree.css('link[rel="alternate"][hreflang]')}
        zh_path = path.removeprefix("en/")
        zh_url = "https://example.org/p/" + zh_path.removesuffix("index.html")
        en_url = "https://example.org/p/en/" + zh_path.removesuffix("index.html")
        assert links == {"zh-CN": zh_url, "en": en_url, "x-default": zh_url}, path
        lang = tree.css_first("html").attributes["lang"]
        assert lang == ("en" if path.startswith("en/") else "zh-CN")
        switch = tree.css_first(".lang-switch a").attributes["href"]
        assert switch == (zh_url if lang == "en" else en_url)
    sitemap = (out / "sitemap.xml").read_text(encoding="utf-8")
    assert "https://example.org/p/en/cities/shili/</loc>" in sitemap and "https://example.org/p/cities/shili/</loc>" in sitemap


def test_english_document_and_city_pages_have_no_chinese_outside_marked_chinese(content, tmp_path):
    english_fields(content)
    out = build(content, tmp_path / "out")
    for page in ("en/documents/shili-2022-measures/index.html", "en/cities/shili/index.html"):
        html = (out / page).read_text(encoding="utf-8")
        assert han_outside_chinese(html) == [], page
    document = (out / "en/documents/shili-2022-measures/index.html").read_text(encoding="utf-8")
    assert INCUBATOR_EN in document and "A summary in English." in document
    assert "CNY 1 million" in document and "CNY 200,000–800,000" in document


def test_missing_english_shows_the_chinese_marked_untranslated(content, tmp_path):
    out = build(content, tmp_path / "out")
    tree = LexborHTMLParser((out / "en/documents/shili-2022-measures/index.html").read_text(encoding="utf-8"))
    title = tree.css_first("h1")
    assert title.css_first('[lang="zh-CN"]').text() == "示例市人民政府关于印发示例市科技创新若干措施的通知"
    assert title.css_first(".untranslated").text() == "(not yet translated)"


def test_chinese_pages_link_within_chinese_and_english_within_english(content, tmp_path):
    out = build(content, tmp_path / "out")
    tree = LexborHTMLParser((out / "en/cities/shili/index.html").read_text(encoding="utf-8"))
    nav = [a.attributes["href"] for a in tree.css(".site-nav a")]
    assert "../../" in nav and "../../../cities/shili/" in nav  # English home, and the switch to Chinese
    css = tree.css_first('link[rel="stylesheet"]').attributes["href"]
    assert css.startswith("../../../static/site.css")


@pytest.mark.parametrize("yuan, text", [(500_000, "CNY 500,000"), (1_000_000, "CNY 1 million"),
                                        (2_100_000_000, "CNY 2.1 billion"), (200_000_000, "CNY 200 million"),
                                        (16_000, "CNY 16,000")])
def test_money_in_english(yuan, text):
    assert english_money(yuan) == text


def test_english_dates():
    from site_gen.render.i18n import english_date

    assert english_date(dt.date(2021, 10, 9)) == "9 October 2021"


def test_every_english_page_of_the_real_content_has_no_chinese_outside_marked_chinese(tmp_path):
    """The acceptance test: on the real content, every en/ page's words (text and the attributes readers see or
    hear) are English, except inside elements marked lang="zh-CN" (quotes, archived texts, names as logged)."""
    from html.parser import HTMLParser

    from tests.conftest import REAL_CONTENT

    void = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    class Page(HTMLParser):
        def __init__(self) -> None:
            super().__init__(convert_charrefs=True)
            self.stack: list[tuple[str, bool]] = []
            self.chinese = 0
            self.found: list[str] = []

        def handle_starttag(self, tag, attrs):
            attributes = dict(attrs)
            marked = attributes.get("lang") == "zh-CN"
            for name in ("title", "aria-label", "alt", "placeholder", "content", "data-label"):
                value = attributes.get(name) or ""
                if HAN.search(value) and not (self.chinese or marked):
                    self.found.append(f"{tag}[{name}]={value[:60]}")
            if tag not in void:
                self.stack.append((tag, marked))
                self.chinese += marked

        def handle_endtag(self, tag):
            while self.stack:
                open_tag, marked = self.stack.pop()
                self.chinese -= marked
                if open_tag == tag:
                    break

        def handle_data(self, data):
            if not self.chinese and re.search(r"[\u3400-\u9fff]", data):
                self.found.append(data.strip()[:80])

    out = tmp_path / "out"
    build_site(BuildConfig(content_dir=REAL_CONTENT, out_dir=out, templates_dir=TEMPLATES, today=TODAY, search=False))
    problems = {}
    for page in sorted(out.glob("en/**/*.html")):
        parser = Page()
        parser.feed(page.read_text(encoding="utf-8"))
        if parser.found:
            problems[page.relative_to(out).as_posix()] = parser.found[:5]
    assert problems == {}
