"""Chinese full-text search with Pagefind, measured and used in Chromium."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest

# Policy terms a reader types; each occurs in the archived texts.
TERMS = [
    "孵化器", "研发投入", "高新技术企业", "专精特新", "揭榜挂帅", "中试基地", "贴息", "知识产权质押",
    "瞪羚", "雏鹰", "众创空间", "技术合同", "人才", "科技金融", "风险补偿", "引导基金", "产业技术创新联盟",
    "重点实验室", "科技成果转化", "创业投资", "独角兽", "星创天地", "大学科技园", "技术转移", "发明专利",
    "孵化载体", "后补助", "科技型中小企业", "新型研发机构", "院士工作站", "科技创新券", "一事一议",
    "产学研", "锦州", "盘锦", "阜新", "辽阳", "铁岭", "精细化工", "融资租赁",
]

RECALL_JS = """
async (terms) => {
  const pf = await import(new URL('pagefind/pagefind.js', location.origin + '/').href);
  await pf.init();
  const all = await pf.search(null);
  const pages = await Promise.all(all.results.map(r => r.data()));
  const out = {};
  for (const term of terms) {
    const truth = pages.filter(d => d.content.replace(/\\u200b/g, '').includes(term)).map(d => d.url);
    const found = new Set((await Promise.all((await pf.search(term)).results.map(r => r.data()))).map(d => d.url));
    out[term] = {truth: truth.length, found: truth.filter(u => found.has(u)).length};
  }
  return {pages: pages.length, out};
}
"""


def test_recall_of_policy_terms_is_at_least_90_percent(page, real_site):
    """pagefind.search() finds ≥90 % of the pages whose indexed text contains each term."""
    assert len(TERMS) >= 30
    page.goto(f"{real_site}/search/")
    measured = page.evaluate(RECALL_JS, TERMS)
    assert measured["pages"] >= 10
    failures = {}
    for term, counts in measured["out"].items():
        assert counts["truth"] > 0, f"{term} is not in the indexed text"
        if counts["found"] < 0.9 * counts["truth"]:
            failures[term] = counts
    assert failures == {}


def wait_for_results(page) -> None:
    """Wait until the status says how many were found (locator waits: no eval under our CSP)."""
    page.locator("#search-status").filter(has_text=re.compile(r"^(找到|没有)")).wait_for()


def search(page, base: str, query: str, **filters) -> list[dict]:
    params = [("q", query)] + [(k, v) for k, values in filters.items() for v in values]
    from urllib.parse import urlencode

    page.goto(f"{base}/search/?{urlencode(params)}")
    wait_for_results(page)
    return page.eval_on_selector_all(
        "#search-results > li.result",
        """items => items.map(li => ({
            title: li.querySelector('.result-title a').textContent,
            url: li.querySelector('.result-title a').getAttribute('href'),
            meta: li.querySelector('.result-meta').textContent,
            sections: [...li.querySelectorAll('.result-sections a')].map(a => a.getAttribute('href')),
        }))""",
    )


def test_incubator_search_points_to_jinzhou_and_panjin_measures(page, real_site):
    results = search(page, real_site, "孵化器")
    top = results[:4]
    urls = [r["url"] for r in top]
    assert "/documents/jinzhou-2021-action-plan/" in urls
    assert "/documents/panjin-2021-incubation-plan/" in urls
    jinzhou = next(r for r in top if r["url"] == "/documents/jinzhou-2021-action-plan/")
    assert jinzhou["sections"][0].startswith("/documents/jinzhou-2021-action-plan/#m-")
    assert "/documents/jinzhou-2021-action-plan/#m-incubator-national" in jinzhou["sections"] or any(
        s.startswith("/documents/jinzhou-2021-action-plan/#m-incubator") for s in jinzhou["sections"])


@pytest.mark.parametrize("query, expected", [
    ("人才", "/documents/jinzhou-2021-action-plan/"),
    ("贴息", "/documents/jinzhou-2021-action-plan/"),
    ("瞪羚", "/documents/panjin-2021-incubation-plan/"),
    ("盘锦", "/cities/panjin/"),
])
def test_first_results_are_what_a_reader_expects(page, real_site, query, expected):
    results = search(page, real_site, query)
    assert results, query
    assert expected in [r["url"] for r in results[:3]]
    for result in results:
        assert result["sections"], result  # every result links into the page


def test_filter_by_city_narrows_results(page, real_site):
    everything = search(page, real_site, "孵化器")
    narrowed = search(page, real_site, "孵化器", city=["锦州市"])
    assert 0 < len(narrowed) < len(everything)
    assert all(r["meta"].startswith("锦州市") for r in narrowed)


def test_filters_of_one_key_combine_with_or(page, real_site):
    one = search(page, real_site, "孵化器", city=["锦州市"])
    two = search(page, real_site, "孵化器", city=["锦州市", "盘锦市"])
    assert len(two) > len(one)
    assert {r["meta"].split(" · ")[0] for r in two} == {"锦州市", "盘锦市"}


def test_choosing_a_filter_updates_the_url(page, real_site):
    search(page, real_site, "孵化器")
    page.get_by_role("checkbox", name="锦州市").first.check()
    page.wait_for_url(re.compile(r"city="))
    query = parse_qs(urlsplit(page.url).query)
    assert query["q"] == ["孵化器"] and query["city"] == ["锦州市"]


def test_header_box_on_any_page_lands_on_results(page, real_site):
    page.goto(f"{real_site}/cities/tieling/")
    page.get_by_role("searchbox", name="搜索政策原文、措施和目标").first.fill("孵化器")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search/?q=*")
    assert parse_qs(urlsplit(page.url).query)["q"] == ["孵化器"]
    page.wait_for_selector("#search-results li.result")
    assert page.locator("#search-q").input_value() == "孵化器"


def test_search_is_keyboard_usable(page, real_site):
    page.goto(f"{real_site}/search/")
    page.locator("#search-q").focus()
    page.keyboard.type("贴息")
    page.keyboard.press("Enter")
    wait_for_results(page)
    order = []
    for _ in range(4):  # button, the filter disclosure, then the first filter
        page.keyboard.press("Tab")
        order.append(page.evaluate("document.activeElement.tagName + ':' + (document.activeElement.type || '')"))
    assert order[:3] == ["BUTTON:submit", "SUMMARY:", "INPUT:checkbox"]
    before = page.locator("#search-results li.result").count()
    page.keyboard.press("Space")  # choose the first city filter
    page.wait_for_url(re.compile(r"city="))
    wait_for_results(page)
    assert 0 < page.locator("#search-results li.result").count() <= before


def test_without_javascript_search_says_so(browser, real_site):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{real_site}/search/?q=孵化器")
    notice = page.locator("noscript").inner_text() if False else page.locator(".notice").inner_text()
    assert "搜索需要浏览器启用 JavaScript" in notice
    assert page.get_by_role("link", name="政策比较").count() >= 1
    context.close()
