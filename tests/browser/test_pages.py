"""Every page type: accessibility (axe-core) and layout at phone and desktop width.

The comparisons' layout at both widths, and their screenshots, are in test_compare_layout.py.
"""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import screenshot

PAGES = {
    "home": "",
    "city": "cities/jinzhou/",
    "city-without-documents": "cities/tieling/",
    "document": "documents/jinzhou-2021-action-plan/",
    "compare-hub": "compare/",
    "compare-incubator-awards": "compare/incubator-awards/",
    "compare-talent-packages": "compare/talent-packages/",
    "compare-funds": "compare/funds/",
    "compare-targets": "compare/targets/",
    "search": "search/?q=孵化器",
    "about": "about/",
    "404": "404.html",
}


OUT_OF_SIGHT = """() => [...document.querySelectorAll(".site-nav a, .lang-switch a")].filter(a => {
  const box = a.getBoundingClientRect();
  return box.width === 0 || box.left < 0 || box.right > window.innerWidth;
}).map(a => a.textContent.trim())"""
"""The menu's links that a reader cannot see without scrolling sideways (or not at all)."""


def settle(page) -> None:
    if "search/" in page.url:
        page.locator("#search-status").filter(has_text=re.compile(r"^(找到|没有)")).wait_for()


@pytest.mark.parametrize("name", list(PAGES))
def test_no_serious_accessibility_violations(page, real_site, name):
    from axe_playwright_python.sync_playwright import Axe

    page.goto(f"{real_site}/{PAGES[name]}")
    settle(page)
    results = Axe().run(page)
    serious = [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == []


@pytest.mark.parametrize("width", [375, 1280])
@pytest.mark.parametrize("name", ["home", "city", "city-without-documents", "document", "compare-hub", "search", "about"])
def test_layout_has_no_horizontal_page_overflow(browser, real_site, name, width):
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.goto(f"{real_site}/{PAGES[name]}")
    settle(page)
    path = screenshot(page, f"{name}-{width}")
    assert path.stat().st_size > 10_000
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{name} at {width}px overflows by {overflow}px"
    assert page.evaluate(OUT_OF_SIGHT) == [], f"{name} at {width}px: menu items out of sight"
    context.close()


@pytest.mark.parametrize("base_url, path", [
    ("", "/cities/nowhere/deeper/"),                                      # a site at the host's root
    ("https://example.org/policy/", "/policy/documents/nowhere/x.html"),  # a site under a path
])
def test_the_404_page_is_styled_wherever_a_missing_address_is(browser, tmp_path, base_url, path):
    """A host answers any missing address with the site's 404.html (nginx ``error_page``, Pages, S3): its
    stylesheet and links must work at any depth."""
    import functools
    import http.server
    import threading

    from site_gen.build import build_site
    from site_gen.config import BuildConfig
    from tests.browser.conftest import TEMPLATES, TODAY
    from tests.conftest import REAL_CONTENT

    root = tmp_path / "host"
    out = root / "policy" if base_url else root
    build_site(BuildConfig(content_dir=REAL_CONTENT, out_dir=out, templates_dir=TEMPLATES, today=TODAY,
                           search=False, base_url=base_url))
    not_found = (out / "404.html").read_bytes()

    class Host(http.server.SimpleHTTPRequestHandler):
        def send_error(self, code, message=None, explain=None):  # type: ignore[no-untyped-def]
            if code != 404:
                return super().send_error(code, message, explain)
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(not_found)))
            self.end_headers()
            self.wfile.write(not_found)

        def log_message(self, format, *args):  # type: ignore[no-untyped-def]  # noqa: A002
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Host, directory=str(root)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        page = browser.new_page(viewport={"width": 375, "height": 800})
        response = page.goto(f"http://127.0.0.1:{server.server_address[1]}{path}")
        assert response is not None and response.status == 404
        assert page.locator("h1").inner_text() == "找不到这个页面"
        background = page.evaluate("getComputedStyle(document.body).backgroundColor")
        assert background == "rgb(245, 246, 248)"  # var(--bg) of site.css: the stylesheet was found
        home = page.locator("main a").first.get_attribute("href")
        assert page.evaluate("(href) => new URL(href, document.baseURI).pathname", home) == (
            "/policy/" if base_url else "/")
        page.close()
    finally:
        server.shutdown()
        server.server_close()
