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
