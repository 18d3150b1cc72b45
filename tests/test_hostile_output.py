"""Nothing an editor writes can run script in a reader's browser.

A corpus of hostile inputs goes into every field that reaches a page (Markdown
summaries, YAML strings, the archived text itself); the built site is parsed
with a spec-compliant HTML5 parser (Lexbor, as browsers parse) and checked for
script elements, event-handler attributes and dangerous URLs.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from selectolax.lexbor import LexborHTMLParser

from site_gen.build import build_site
from site_gen.config import BuildConfig
from site_gen.render.pages import CSP
from tests.conftest import CITY, DOC, TEMPLATES, ContentTree, record

MARKDOWN_ATTACKS = [
    "<script>alert('md-script')</script>",
    "<img src=x onerror=alert('md-img')>",
    "<iframe src=\"https://evil.example/\"></iframe>",
    "[click](javascript:alert('md-js'))",
    "[click](JaVaScRiPt:alert('md-js-case'))",
    "[click](java\tscript:alert('md-js-tab'))",
    "[click](&#106;avascript:alert('md-js-entity'))",
    "[click](vbscript:msgbox('md-vb'))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[click](file:///etc/passwd)",
    "![pic](javascript:alert('md-img-js'))",
    "<javascript:alert('md-autolink')>",
    "<a href=\"javascript:alert('md-raw-a')\">raw</a>",
    "[ok](https://example.org/\" onmouseover=\"alert('md-attr'))",
    "<svg onload=alert('md-svg')>",
    "<style>body{display:none}</style>",
    "<!-- <script>alert('md-comment')</script> -->",
    "[site](https://evil.example/) opens without giving the new page a handle on this one",
]

# (field written into the fixture, hostile value); each is a YAML double-quoted string.
YAML_ATTACKS = [
    ("title", "\\\"><script>alert('title')</script>"),
    ("short_title", "</script><script>alert('json-ld')</script>"),
    ("issuer", "' onmouseover='alert(1)' x='"),
    ("number", "\\\" autofocus onfocus=\\\"alert(1)"),
]

MEASURE_TITLE = "<img src=x onerror=alert('measure')>"
ZONE_ITEM = "<svg/onload=alert('zone')>"
SOURCE_LINE = "3.<script>alert('source')</script>对取得风险投资的企业,按投资额的10%给予跟投,最高300万元。"

DANGEROUS_SCHEMES = re.compile(r"^\s*(javascript|vbscript|data|file):", re.I)
URL_ATTRIBUTES = ("href", "src", "action", "formaction", "xlink:href", "srcset", "poster", "background")


def hostile_corpus() -> int:
    return len(MARKDOWN_ATTACKS) + len(YAML_ATTACKS) + 3  # + measure title, zone item, source line


def make_hostile(content: ContentTree) -> None:
    markdown = "\n\n".join(MARKDOWN_ATTACKS) + "\n"
    content.write("cities/shili/city.md", markdown)
    content.write("cities/shili/documents/shili-2022-measures.md", markdown)
    for field, value in YAML_ATTACKS:
        text = content.read(DOC)
        content.path(DOC).write_text(
            re.sub(rf"^{field}: .*$", f'{field}: "{value}"', text, count=1, flags=re.M)
            if re.search(rf"^{field}: ", text, re.M) else text.replace("issuer:", f'{field}: "{value}"\nissuer:', 1),
            encoding="utf-8",
        )
    content.replace(DOC, "    title: 风险投资跟投", f'    title: "{MEASURE_TITLE}"')
    content.replace(CITY, "items: [新材料, 生物医药]", f'items: ["{ZONE_ITEM}", 生物医药]')
    source = content.read("sources/shili-2022-measures.txt")
    content.write("sources/shili-2022-measures.txt",
                  source.replace("3.对取得风险投资的企业,按投资额的10%给予跟投,最高300万元。", SOURCE_LINE))
    content.replace(DOC, "      quote: 按投资额的10%给予跟投,最高300万元",
                    "      quote: \"<script>alert('source')</script>对取得风险投资的企业,按投资额的10%给予跟投,最高300万元\"")


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> Path:
    from tests.conftest import write_fixture

    root = tmp_path_factory.mktemp("hostile")
    content = write_fixture(root / "content")
    make_hostile(content)
    out = root / "output"
    build_site(BuildConfig(content_dir=content.root, out_dir=out, templates_dir=TEMPLATES,
                           today=dt.date(2026, 11, 23), search=False))
    return out


def pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def test_the_corpus_builds(hostile_site):
    assert len(pages(hostile_site)) >= 10
    assert hostile_corpus() >= 20
    record("hostile corpus: inputs in published fields", hostile_corpus())
    record("hostile corpus: pages parsed and checked", len(pages(hostile_site)))


def test_no_script_runs_from_content(hostile_site):
    for page in pages(hostile_site):
        tree = LexborHTMLParser(page.read_text(encoding="utf-8"))
        for script in tree.css("script"):
            attrs = script.attributes
            if attrs.get("type") in ("application/ld+json", "application/json"):
                json.loads(script.text())  # still valid JSON: nothing closed the element early
                continue
            assert attrs.get("type") == "module" and attrs.get("src", "").startswith(("../", "./")) \
                and "/static/" in "/" + attrs["src"].lstrip("./"), (page, attrs)
            assert not script.text().strip(), (page, "inline script")
        for tag in ("iframe", "object", "embed", "base[href^='javascript']", "style"):
            assert not tree.css(tag), (page, tag)


def test_no_event_handler_attributes(hostile_site):
    for page in pages(hostile_site):
        for node in LexborHTMLParser(page.read_text(encoding="utf-8")).root.traverse():
            handlers = [name for name in node.attributes if name.lower().startswith("on")]
            assert not handlers, (page, node.tag, handlers)
            assert "autofocus" not in node.attributes, (page, node.tag)


def test_no_dangerous_urls(hostile_site):
    for page in pages(hostile_site):
        for node in LexborHTMLParser(page.read_text(encoding="utf-8")).root.traverse():
            for name in URL_ATTRIBUTES:
                value = node.attributes.get(name)
                if value:
                    assert not DANGEROUS_SCHEMES.match(value), (page, node.tag, name, value)


def test_hostile_text_is_shown_as_text(hostile_site):
    html = (hostile_site / "documents/shili-2022-measures/index.html").read_text(encoding="utf-8")
    tree = LexborHTMLParser(html)
    assert tree.css_first("h1").text() == "\"><script>alert('title')</script>"
    assert MEASURE_TITLE in tree.text()
    assert "<script>alert('source')</script>" in tree.text()
    summary = tree.css_first(".prose").text()
    assert "<script>alert('md-script')</script>" in summary  # raw HTML shown, not run


def test_external_links_get_noopener(hostile_site):
    html = (hostile_site / "cities/shili/index.html").read_text(encoding="utf-8")
    links = [a for a in LexborHTMLParser(html).css(".prose a") if a.attributes.get("href", "").startswith("http")]
    assert links, "the corpus has an external link"
    for a in links:
        assert a.attributes.get("rel") == "noopener noreferrer"


def test_every_page_sends_csp_and_referrer_policy(hostile_site):
    for page in pages(hostile_site):
        tree = LexborHTMLParser(page.read_text(encoding="utf-8"))
        csp = tree.css_first('meta[http-equiv="Content-Security-Policy"]')
        assert csp is not None and csp.attributes["content"] == CSP, page
        assert tree.css_first('meta[name="referrer"]').attributes["content"] == "strict-origin-when-cross-origin"


def test_csp_is_strict():
    directives = dict(d.strip().split(" ", 1) for d in CSP.split(";"))
    assert directives["script-src"] == "'self' 'wasm-unsafe-eval'"
    assert "unsafe-inline" not in CSP and "'unsafe-eval'" not in CSP and "*" not in CSP
    assert directives["object-src"] == "'none'"
