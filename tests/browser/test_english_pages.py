"""The English edition in the browser: its search finds English pages in English words, and its pages fit a
phone and a desktop (screenshots in test-artifacts/screenshots/en-*.png)."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import screenshot
from tests.browser.test_pages import OUT_OF_SIGHT

HAN = re.compile(r"[\u3400-\u9fff]")
DONE = re.compile(r"^(Results for|Nothing found)")


@pytest.fixture
def english(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    yield page
    context.close()
    assert not [e for e in errors if "favicon" not in e], errors


def results(page) -> list[str]:
    """Every link the results offer, resolved."""
    return page.eval_on_selector_all("#search-results a", "links => links.map(a => a.href)")


def assert_english_results(page, base: str) -> None:
    status = page.locator("#search-status").inner_text()
    assert status.startswith("Results for “incubator”: "), status
    assert not HAN.search(status)
    hrefs = results(page)
    assert hrefs
    assert all(h.startswith(f"{base}/en/") for h in hrefs), [h for h in hrefs if not h.startswith(f"{base}/en/")]
    paths = {h.removeprefix(f"{base}/en/").split("#")[0] for h in hrefs}
    assert "documents/jinzhou-2021-action-plan/" in paths and "cities/jinzhou/" in paths
    # A measure found in its document, with the same measure on its city page beside it.
    assert f"{base}/en/documents/jinzhou-2021-action-plan/#m-incubator-national" in hrefs
    assert f"{base}/en/cities/jinzhou/#m-jinzhou-2021-action-plan--incubator-national" in hrefs
    titles = page.locator("#search-results .result-title").all_inner_texts()
    assert any(t.startswith("Notice of the Jinzhou") for t in titles), titles
    # The interface words around the results are English; the filters offer English names.
    legends = page.locator("#search-filters legend").all_inner_texts()
    assert legends and not any(HAN.search(t) for t in legends), legends
    options = page.locator("#search-filters label").all_inner_texts()
    assert "Jinzhou (2)" in options, options
    assert not any(HAN.search(t) for t in options), options
    for also in page.locator(".section-also").all_inner_texts():
        assert not HAN.search(also), also
    more = page.locator("#search-more")
    if more.is_visible():
        assert not HAN.search(more.inner_text())


def test_english_search_from_the_url_finds_english_pages(english, real_site):
    english.goto(f"{real_site}/en/search/?q=incubator")
    english.locator("#search-status").filter(has_text=DONE).wait_for()
    assert_english_results(english, real_site)
    english.locator("#search-results a[href*='#m-incubator-national']").first.click()
    english.wait_for_url(re.compile(r"/en/documents/jinzhou-2021-action-plan/#m-incubator-national$"))
    assert english.locator("#m-incubator-national").is_visible()


def test_english_search_typed_into_the_box(english, real_site):
    english.goto(f"{real_site}/en/search/")
    english.locator("#search-status").filter(has_text="Type words to search").wait_for()
    english.locator("#search-q").fill("incubator")
    english.locator("#search-status").filter(has_text=DONE).wait_for()
    assert english.url.endswith("/en/search/?q=incubator")
    assert_english_results(english, real_site)
    english.locator("#search-filters label", has_text="Jinzhou (2)").click()
    english.locator("#search-status").filter(has_text="(filtered by the selected filters)").wait_for()
    assert "city=Jinzhou" in english.url
    assert not HAN.search(english.locator("#filter-panel summary").inner_text())


def test_english_home_map_speaks_english(english, real_site):
    english.goto(f"{real_site}/en/")
    select = english.locator("#map-layer")
    values = select.locator("option").evaluate_all("options => options.map(o => o.value)")
    select.select_option(values[-1])
    labels = english.locator("svg.tilemap a.tile").evaluate_all("tiles => tiles.map(t => t.getAttribute('aria-label'))")
    assert labels and not any(HAN.search(label) for label in labels), labels


ENGLISH_PAGES = {
    "home": "en/",
    "compare-funds": "en/compare/funds/",
    "compare-targets": "en/compare/targets/",
    "city": "en/cities/jinzhou/",
    "document": "en/documents/jinzhou-2021-action-plan/",
    "search": "en/search/?q=incubator",
}


@pytest.mark.parametrize("width", [375, 1280])
@pytest.mark.parametrize("name", list(ENGLISH_PAGES))
def test_english_pages_have_no_horizontal_page_overflow(browser, real_site, name, width):
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="en-GB")
    page = context.new_page()
    page.goto(f"{real_site}/{ENGLISH_PAGES[name]}")
    if "search/" in page.url:
        page.locator("#search-status").filter(has_text=DONE).wait_for()
    path = screenshot(page, f"en-{name}-{width}")
    assert path.stat().st_size > 10_000
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    hidden = page.evaluate(OUT_OF_SIGHT)
    context.close()
    assert overflow <= 0, f"en/{name} at {width}px overflows by {overflow}px"
    assert hidden == [], f"en/{name} at {width}px: menu items out of sight: {hidden}"


FITS = """() => {
  const out = [];
  for (const tile of document.querySelectorAll("svg.tilemap a.tile")) {
    const rect = tile.querySelector(".tile-rect").getBBox();
    for (const text of tile.querySelectorAll("text")) {
      const box = text.getBBox();
      if (box.x < rect.x - 0.5 || box.x + box.width > rect.x + rect.width + 0.5) out.push(`${tile.dataset.city}: ${text.textContent}`);
    }
  }
  for (const svg of document.querySelectorAll("svg.chart-svg")) {
    const width = svg.viewBox.baseVal.width;
    for (const text of svg.querySelectorAll("text")) {
      const box = text.getBBox();
      if (box.width && box.x + box.width > width + 0.5) out.push(`chart: ${text.textContent}`);
    }
  }
  return out;
}"""


@pytest.mark.parametrize("layer", ["funds/row-venture-fund", "incubator-awards/row-incubator-recognition-national"])
def test_english_figures_fit_their_tiles_on_the_home_map(english, real_site, layer):
    english.goto(f"{real_site}/en/")
    english.locator("#map-layer").select_option(layer)
    values = english.locator("svg.tilemap .tile-value").all_text_contents()
    assert any(v.startswith("CNY") for v in values), values
    assert english.evaluate(FITS) == []


@pytest.mark.parametrize("name", ["funds", "targets", "incubator-awards", "talent-packages"])
def test_english_figures_fit_the_comparisons_tiles_and_charts(english, real_site, name):
    english.goto(f"{real_site}/en/compare/{name}/")
    assert english.evaluate(FITS) == []
