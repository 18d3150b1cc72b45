"""Chinese full-text search with Pagefind, measured and used in Chromium the way readers type."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest

from tests.browser.conftest import ARTIFACTS, screenshot
from tests.browser.search_queries import GLUED, NORMALISED, SPACED, TRUTH_JS, all_queries

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
  const pf = await import(new URL('../pagefind/pagefind.js', location.href).href);
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

# Every result as the reader sees it; links as paths ("/documents/x/#m-y"), resolved like the browser does.
RESULTS_JS = """
items => items.map(li => {
  const path = (a) => { const u = new URL(a.getAttribute('href'), location.href); return u.pathname + u.hash; };
  const title = li.querySelector('.result-title a');
  return {
    title: title.textContent,
    url: path(title),
    titleMarked: title.querySelectorAll('mark').length > 0,
    meta: li.querySelector('.result-meta').textContent,
    sections: [...li.querySelectorAll('.result-sections > li')].map(s => ({
      url: path(s.querySelector('.section-link')),
      title: s.querySelector('.section-link').textContent,
      marked: s.querySelectorAll('mark').length > 0,
      titleMarked: s.querySelector('.section-link').querySelectorAll('mark').length > 0,
      excerpt: s.querySelector('.excerpt') ? s.querySelector('.excerpt').textContent : '',
      also: [...s.querySelectorAll('.section-also a')].map(path),
    })),
  };
})
"""


def wait_for_results(page) -> None:
    """Wait until the status says how many were found (locator waits: no eval under our CSP)."""
    page.locator("#search-status").filter(has_text=re.compile(r"^(找到|没有)")).wait_for()


def collect(page) -> list[dict]:
    """Every result on the page, after pressing "显示更多结果" until there are no more."""
    more = page.locator("#search-more")
    while more.is_visible():
        count = page.locator("#search-results > li.result").count()
        more.click()
        page.locator(f"#search-results > li.result >> nth={count}").wait_for()
    return page.eval_on_selector_all("#search-results > li.result", RESULTS_JS)


def search(page, base: str, query: str, **filters) -> list[dict]:
    params = [("q", query)] + [(k, v) for k, values in filters.items() for v in values]
    page.goto(f"{base}/search/?{urlencode(params)}")
    wait_for_results(page)
    return collect(page)


def ask(page, query: str) -> list[dict]:
    """Type a query into the search page already open, press Enter, and read every result."""
    box = page.locator("#search-q")
    box.fill(query)
    page.evaluate("document.getElementById('search-status').textContent = ''")  # not the last query's answer
    box.press("Enter")
    page.locator("#search-status").filter(
        has_text=re.compile(rf"^(找到|没有)[^“]*“{re.escape(query.strip())}”")).wait_for()
    return collect(page)


def pages_of(results: list[dict]) -> tuple[set[str], set[str]]:
    """The pages shown as results, and every page the reader can open from them (sections, 也见 links)."""
    shown = {r["url"].split("#")[0] for r in results}
    reachable = set(shown)
    for r in results:
        for s in r["sections"]:
            reachable.add(s["url"].split("#")[0])
            reachable.update(u.split("#")[0] for u in s["also"])
    return shown, reachable


@pytest.fixture
def search_page(page, real_site):
    page.goto(f"{real_site}/search/")
    page.locator("#search-status").filter(has_text="输入关键词").wait_for()
    return page


# --- recall -------------------------------------------------------------------------------------------

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


def test_reader_queries_find_exactly_the_pages_holding_their_words(search_page):
    """129 queries beyond the 40 terms — glued, spaced, new terms and figures, other brackets and
    full-width forms — each against the pages whose text holds every word of what it means: every such
    page can be opened from the results, and every result is such a page."""
    queries = list(dict.fromkeys(all_queries() + [(t, t) for t in TERMS]))
    assert len(all_queries()) >= 120
    truth = search_page.evaluate(TRUTH_JS, sorted({meaning for _, meaning in queries}))
    missed, wrong = {}, {}
    for typed, meaning in queries:
        assert truth[meaning], f"{meaning} is on no page: the query set is wrong"
        shown, reachable = pages_of(ask(search_page, typed))
        if set(truth[meaning]) - reachable:
            missed[typed] = sorted(set(truth[meaning]) - reachable)
        if shown - set(truth[meaning]):
            wrong[typed] = sorted(shown - set(truth[meaning]))
    assert missed == {}
    assert wrong == {}


def test_glued_queries_find_the_same_pages_as_spaced_ones(search_page):
    differ = {}
    for glued, spaced in GLUED:
        with_spaces = ask(search_page, spaced)
        without = ask(search_page, glued)
        assert without, f"{glued} found nothing"
        if pages_of(without) != pages_of(with_spaces):
            differ[glued] = [sorted(a ^ b) for a, b in zip(pages_of(without), pages_of(with_spaces))]
    assert differ == {}


def test_a_glued_query_says_how_it_was_read(search_page):
    results = ask(search_page, "锦州中试基地")
    assert "按“锦州 中试基地”" in search_page.locator("#search-status").inner_text()
    assert "/documents/jinzhou-2021-action-plan/" in [r["url"] for r in results]
    marked = search_page.locator("#search-results mark").all_inner_texts()
    assert {"锦州", "中试基地"} <= set(marked)  # both words marked, as if typed with a space


@pytest.mark.parametrize("typed, written", NORMALISED)
def test_brackets_and_full_width_forms_find_what_the_text_writes(search_page, typed, written):
    as_written = ask(search_page, written)
    assert as_written
    as_typed = ask(search_page, typed)
    assert pages_of(as_typed) == pages_of(as_written)
    if "号" in written:  # the 文号 itself is marked where the text has it
        marked = search_page.locator("#search-results mark").all_inner_texts()
        assert written in marked


# --- typing with an input method -----------------------------------------------------------------------

def test_pinyin_composition_does_not_search_until_a_word_is_chosen(search_page, real_site):
    """Chromium's own IME path (CDP Input.imeSetComposition): "yeya" is composed, then 液压 chosen."""
    seen = []
    search_page.expose_function("seenEvent", lambda name: seen.append(name))
    search_page.evaluate("""() => {
      const box = document.getElementById('search-q');
      for (const name of ['compositionstart', 'compositionend']) box.addEventListener(name, () => window.seenEvent(name));
    }""")
    cdp = search_page.context.new_cdp_session(search_page)
    search_page.locator("#search-q").focus()
    before = search_page.url
    for text in ("y", "ye", "yey", "yeya"):
        cdp.send("Input.imeSetComposition", {"text": text, "selectionStart": len(text), "selectionEnd": len(text)})
        search_page.wait_for_timeout(120)
    search_page.wait_for_timeout(800)  # well past the 300 ms pause after typing that starts a search
    assert search_page.locator("#search-q").input_value() == "yeya"
    assert search_page.url == before
    assert "没有找到" not in search_page.locator("#search-status").inner_text()
    assert search_page.locator("#search-results > li").count() == 0
    cdp.send("Input.insertText", {"text": "液压"})  # the reader picks 液压: the composition ends
    search_page.wait_for_url(re.compile(r"q=%E6%B6%B2%E5%8E%8B"))
    wait_for_results(search_page)
    assert search_page.locator("#search-status").inner_text().startswith("找到")
    assert "yeya" not in search_page.url
    assert seen[:1] == ["compositionstart"] and "compositionend" in seen


def test_composition_events_without_cdp_are_respected(search_page):
    """The same with events dispatched by the page, in the order Safari and Firefox send them."""
    before = search_page.url
    search_page.evaluate("""() => {
      const box = document.getElementById('search-q');
      box.dispatchEvent(new CompositionEvent('compositionstart', {data: ''}));
      box.value = 'yeya';
      box.dispatchEvent(new InputEvent('input', {data: 'yeya', isComposing: true, inputType: 'insertCompositionText'}));
    }""")
    search_page.wait_for_timeout(700)
    assert search_page.url == before
    assert search_page.locator("#search-results > li").count() == 0
    search_page.evaluate("""() => {
      const box = document.getElementById('search-q');
      box.value = '液压';
      box.dispatchEvent(new CompositionEvent('compositionend', {data: '液压'}));
      box.dispatchEvent(new InputEvent('input', {data: '液压', isComposing: false, inputType: 'insertText'}));
    }""")
    search_page.wait_for_url(re.compile(r"q=%E6%B6%B2%E5%8E%8B"))
    wait_for_results(search_page)
    assert search_page.locator("#search-results > li").count() > 0


# --- sub-results, excerpts, grouping -------------------------------------------------------------------

# For each result page, how many of the query's words each of its sections holds; a section runs from its
# anchor to the next anchor further on (Pagefind's anchors and word locations, not search.js).
SECTION_WORDS_JS = """
async ([words, urls]) => {
  const fold = (s) => s.replace(/[\\uff01-\\uff5e]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).toLowerCase();
  const pf = await import(new URL('../pagefind/pagefind.js', location.href).href);
  await pf.init();
  const all = await pf.search(null);
  const out = {};
  for (const d of await Promise.all(all.results.map((r) => r.data()))) {
    const path = d.raw_url || d.url;
    if (!urls.includes(path)) continue;
    const pieces = d.raw_content.split('\\u200b');
    const starts = [];
    let at = 0;
    for (const w of pieces) { starts.push(at); at += w.replace(/&lt;/g, '<').replace(/&gt;/g, '>').length; }
    const text = fold(pieces.join('').replace(/&lt;/g, '<').replace(/&gt;/g, '>'));
    const anchors = d.anchors.map((a) => ({id: a.id, at: starts[a.location]})).sort((a, b) => a.at - b.at);
    const sections = {};
    anchors.forEach((a, i) => {
      const next = anchors.slice(i + 1).find((b) => b.at > a.at);
      const part = text.slice(a.at, next ? next.at : text.length);
      sections[a.id] = words.filter((w) => part.includes(w)).length;
    });
    out[path] = sections;
  }
  return out;
}
"""


def test_sub_results_are_ranked_by_how_many_query_words_they_hold(search_page):
    multi = [q for q in SPACED if len(q.split()) >= 2]
    assert len(multi) >= 30
    checked, problems = 0, []
    for query in multi:
        results = ask(search_page, query)
        words = query.split()
        held = search_page.evaluate(SECTION_WORDS_JS, [words, sorted({r["url"] for r in results})])
        # A city page's measures that are shown under their document are not the city result's sections.
        elsewhere = {measure_key(s["url"]) for r in results if r["url"].startswith("/documents/")
                     for s in r["sections"]} - {None}
        for r in results:
            counts = {anchor: n for anchor, n in held[r["url"]].items()
                      if not r["url"].startswith("/cities/") or measure_key(f"{r['url']}#{anchor}") not in elsewhere}
            anchored = [s for s in r["sections"] if "#" in s["url"]]
            if not anchored:
                continue
            shown = [counts[s["url"].split("#")[1]] for s in anchored]
            checked += 1
            if shown != sorted(shown, reverse=True):
                problems.append((query, r["url"], shown))
            if shown[0] < max(counts.values()):  # the best section of the page comes first
                problems.append((query, r["url"], "best not first", shown[0], max(counts.values())))
    assert checked >= 30
    assert problems == []


# Field labels, locators and table headers that used to run into the excerpts ("支持对象初创期…").
LABELS = ["支持对象", "条件原文", "原文摘录", "级别出处", "原文：", "指标目标年份", "已过规划期", "本文件的量化目标"]


def test_excerpts_read_as_text_not_as_run_together_labels(search_page):
    excerpts = []
    for query in TERMS[:20] + ["人才 住房", "锦州 孵化器 后补助", "科技金融 天使投资", "未明确金额"]:
        for r in ask(search_page, query):
            excerpts += [s["excerpt"] for s in r["sections"]]
    assert len(excerpts) > 200
    labelled = [e for e in excerpts if any(label in e for label in LABELS)]
    assert labelled == []
    # Pagefind's block separator ". " after Chinese text is shown as 。
    assert [e for e in excerpts if re.search(r"[^\x00-\x7f]\. ", e)] == []


def test_every_sub_result_marks_a_query_word_in_its_heading_or_excerpt(search_page):
    unmarked, heading_only = [], 0
    for query in TERMS + ["人才 住房", "锦州 孵化器 后补助"]:
        for r in ask(search_page, query):
            for s in r["sections"]:
                if not s["marked"]:
                    unmarked.append((query, s["url"]))
                heading_only += s["titleMarked"]
    assert unmarked == []
    assert heading_only > 50  # words in a heading are marked there


def test_a_word_in_a_measure_heading_is_marked_in_the_heading(search_page):
    results = ask(search_page, "三甲医院")
    sections = [s for r in results for s in r["sections"] if s["url"].endswith("#m-jinxing-medical")]
    assert sections and sections[0]["titleMarked"]


ANCHORS_JS = """
async () => {
  const pf = await import(new URL('../pagefind/pagefind.js', location.href).href);
  await pf.init();
  const all = await pf.search(null);
  const out = {};
  for (const d of await Promise.all(all.results.map((r) => r.data()))) out[d.raw_url || d.url] = d.anchors.map((a) => a.id);
  return out;
}
"""


def measure_key(url: str) -> str | None:
    """/documents/d/#m-x and /cities/c/#m-d--x are the same measure: "m:d:x"."""
    path, _, anchor = url.partition("#")
    on_document = re.match(r"^/documents/([^/]+)/$", path)
    if on_document and re.match(r"^[mt]-", anchor):
        return f"{anchor[0]}:{on_document.group(1)}:{anchor[2:]}"
    on_city = re.match(r"^([mt])-(.+?)--(.+)$", anchor)
    if path.startswith("/cities/") and on_city:
        return f"{on_city.group(1)}:{on_city.group(2)}:{on_city.group(3)}"
    return None


@pytest.mark.parametrize("query", ["人才公寓", "孵化器", "锦州 人才", "盘锦孵化器", "院士工作站"])
def test_each_measure_is_one_result_with_links_to_both_its_pages(search_page, query):
    anchors = search_page.evaluate(ANCHORS_JS)
    results = ask(search_page, query)
    seen: dict[str, str] = {}
    for r in results:
        for s in r["sections"]:
            key = measure_key(s["url"])
            if not key:
                continue
            assert key not in seen, f"{key} shown twice: {seen[key]} and {s['url']}"
            seen[key] = s["url"]
            kind, document, ident = key.split(":")
            on_document = f"/documents/{document}/#{kind}-{ident}"
            on_cities = {f"{path}#{kind}-{document}--{ident}" for path, ids in anchors.items()
                         if path.startswith("/cities/") and f"{kind}-{document}--{ident}" in ids}
            links = {s["url"], *s["also"]}
            assert on_document in links
            assert on_cities <= links, (s["url"], on_cities - links)
    assert seen, f"{query}: no measure among the results"


def test_a_measure_found_on_its_city_page_is_not_repeated_as_a_city_result(search_page):
    """人才公寓 is on three pages: the provincial plan (which holds both measures) and the two zones' cities."""
    results = ask(search_page, "人才公寓")
    assert [r["url"] for r in results] == ["/documents/liaoning-2017-hitech-zone-plan/"]
    also = {u.split("#")[0] for s in results[0]["sections"] for u in s["also"]}
    assert {"/cities/dalian/", "/cities/panjin/"} <= also


# --- filters ------------------------------------------------------------------------------------------

def filter_options(page, legend: str) -> dict[str, int]:
    group = page.locator("#search-filters fieldset", has=page.locator("legend", has_text=legend))
    if not group.count():
        return {}
    out = {}
    for label in group.locator("label").all_inner_texts():
        value, count = re.match(r"^(.*)（(\d+)）$", label).groups()
        out[value] = int(count)
    return out


CITIES_JS = """
async () => {
  const pf = await import(new URL('../pagefind/pagefind.js', location.href).href);
  await pf.init();
  const all = await pf.search(null);
  const out = {};
  for (const d of await Promise.all(all.results.map((r) => r.data()))) out[d.raw_url || d.url] = d.filters.city || [];
  return out;
}
"""


@pytest.mark.parametrize("query", ["人才公寓", "瞪羚", "锦州中试基地"])
def test_filter_counts_are_those_of_the_current_results(page, real_site, query):
    """The cities offered are those of the pages holding the query (a city page grouped under its
    document counts for its city); each count is what ticking that value alone shows; none is 0."""
    search(page, real_site, query)
    meaning = dict(GLUED).get(query, query)
    truth = page.evaluate(TRUTH_JS, [meaning])[meaning]
    city_of = page.evaluate(CITIES_JS)
    search(page, real_site, query)
    for legend, key in [("城市", "city"), ("类别", "category"), ("年份", "year")]:
        options = filter_options(page, legend)
        assert all(n > 0 for n in options.values()), options  # no value that would give nothing
        if key == "city":
            assert set(options) == {city for url in truth for city in city_of[url]}
        for value, count in options.items():
            narrowed = search(page, real_site, query, **{key: [value]})
            assert len(narrowed) == count, (legend, value)
            assert page.locator("#search-status").inner_text().startswith(f"找到 {count} 条")
        search(page, real_site, query)


def test_a_city_with_no_results_is_not_offered(page, real_site):
    search(page, real_site, "人才公寓")
    options = filter_options(page, "城市")
    assert "鞍山市" not in options and len(options) == 3


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
    page.get_by_role("checkbox", name=re.compile("^锦州市（")).check()
    page.wait_for_url(re.compile(r"city="))
    query = parse_qs(urlsplit(page.url).query)
    assert query["q"] == ["孵化器"] and query["city"] == ["锦州市"]


# --- layout and keyboard --------------------------------------------------------------------------------

def test_on_a_phone_results_come_first_and_the_status_stays_in_view_after_a_filter(browser, real_site):
    context = browser.new_context(viewport={"width": 375, "height": 740}, locale="zh-CN")
    page = context.new_page()
    page.goto(f"{real_site}/search/?q=孵化器")
    wait_for_results(page)
    panel = page.locator("#filter-panel")
    assert panel.evaluate("el => el.open") is False  # folded on a phone
    first = page.locator("#search-results > li").first.bounding_box()
    assert panel.bounding_box()["y"] > first["y"] + first["height"]  # under the results
    page.locator("#filter-panel > summary").click()
    box = page.get_by_role("checkbox", name=re.compile("^盘锦市（"))
    box.scroll_into_view_if_needed()
    box.check()
    page.locator("#search-status").filter(has_text="已按所选条件筛选").wait_for()
    wait_for_results(page)
    status = page.locator("#search-status").bounding_box()
    assert 0 <= status["y"] and status["y"] + status["height"] <= 740, status
    screenshot(page, "search-filtered-375")
    page.screenshot(path=str(ARTIFACTS / "screenshots" / "search-filtered-375-viewport.png"))  # what the reader sees
    context.close()


def test_on_a_desktop_the_first_result_is_two_tab_stops_from_the_search_box(page, real_site):
    page.goto(f"{real_site}/search/?q=贴息")
    wait_for_results(page)
    page.locator("#search-q").focus()
    stops = []
    for _ in range(3):
        page.keyboard.press("Tab")
        stops.append(page.evaluate("document.activeElement.closest('.result-title') ? 'result'"
                                   " : document.activeElement.tagName + ':' + (document.activeElement.type || '')"))
    assert stops[:2] == ["BUTTON:submit", "result"]
    assert page.locator("#filter-panel").evaluate("el => el.open") is True  # beside the results, open
    screenshot(page, "search-1280-tab")


def test_search_is_keyboard_usable(page, real_site):
    page.goto(f"{real_site}/search/")
    page.locator("#search-q").focus()
    page.keyboard.type("贴息")
    page.keyboard.press("Enter")
    wait_for_results(page)
    before = page.locator("#search-results li.result").count()
    page.locator("#search-filters input[type=checkbox]").first.focus()
    page.keyboard.press("Space")  # choose the first city filter
    page.wait_for_url(re.compile(r"city="))
    page.locator("#search-status").filter(has_text="已按所选条件筛选").wait_for()
    assert 0 < page.locator("#search-results li.result").count() <= before
    focused = page.evaluate("document.activeElement.id")
    assert focused.startswith("filter-city-")  # re-rendering the filters keeps the reader's place


# --- speed: fragments are fetched together, not one after another ----------------------------------------

def test_fragments_are_requested_concurrently(browser, real_site):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions",
             {"offline": False, "latency": 150, "downloadThroughput": 200_000, "uploadThroughput": 90_000})
    flight = {"now": 0, "max": 0, "all": 0}

    def started(request):
        if "/fragment/" in request.url:
            flight["now"] += 1
            flight["all"] += 1
            flight["max"] = max(flight["max"], flight["now"])

    def ended(request):
        if "/fragment/" in request.url:
            flight["now"] -= 1

    page.on("request", started)
    page.on("requestfinished", ended)
    page.goto(f"{real_site}/search/?q=孵化器")
    wait_for_results(page)
    assert flight["all"] >= 15  # 孵化器 is on nearly every page: each is checked against its text
    assert flight["max"] >= 10, flight
    context.close()


# --- reader expectations kept from the first version --------------------------------------------------------

def test_incubator_search_points_to_jinzhou_and_panjin_measures(page, real_site):
    results = search(page, real_site, "孵化器")
    top = results[:4]
    urls = [r["url"] for r in top]
    assert "/documents/jinzhou-2021-action-plan/" in urls
    assert "/documents/panjin-2021-incubation-plan/" in urls
    jinzhou = next(r for r in top if r["url"] == "/documents/jinzhou-2021-action-plan/")
    assert jinzhou["sections"][0]["url"].startswith("/documents/jinzhou-2021-action-plan/#m-")
    assert any(s["url"].startswith("/documents/jinzhou-2021-action-plan/#m-incubator") for s in jinzhou["sections"])


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


def test_links_are_relative(page, real_site):
    search(page, real_site, "孵化器")
    hrefs = page.eval_on_selector_all("#search-results a[href]", "els => els.map(a => a.getAttribute('href'))")
    assert hrefs and all(h.startswith("../") for h in hrefs)


def test_header_box_on_any_page_lands_on_results(page, real_site):
    page.goto(f"{real_site}/cities/tieling/")
    page.get_by_role("searchbox", name="搜索政策原文、措施和目标").first.fill("孵化器")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search/?q=*")
    assert parse_qs(urlsplit(page.url).query)["q"] == ["孵化器"]
    page.wait_for_selector("#search-results li.result")
    assert page.locator("#search-q").input_value() == "孵化器"


def test_without_javascript_search_says_so(browser, real_site):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{real_site}/search/?q=孵化器")
    notice = page.locator(".notice").inner_text()
    assert "搜索需要浏览器启用 JavaScript" in notice
    assert page.get_by_role("link", name="政策比较").count() >= 1
    context.close()


def test_screenshots_of_glued_search(browser, real_site):
    for width in (375, 1280):
        context = browser.new_context(viewport={"width": width, "height": 900}, locale="zh-CN")
        page = context.new_page()
        page.goto(f"{real_site}/search/?q=盘锦孵化器")
        wait_for_results(page)
        assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
        screenshot(page, f"search-glued-{width}")
        context.close()
