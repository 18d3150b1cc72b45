"""Comparisons a reader can trust at a glance, on a phone and on paper — checked in Chromium.

At 375 and 1280 px every comparison fits (no horizontal page overflow; every
shown city column inside the viewport, or each row stacked as a card of
cities), the header row sticks, the status filter and the chosen cities live
in the URL and carry across, 最高 is only given among comparable figures, the
CSV holds the chosen cities, and a printed A4 page holds every chosen city.
"""

from __future__ import annotations

import csv
import io
import re
import shutil
import subprocess
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.browser.conftest import ARTIFACTS, screenshot

COMPARISONS = ["incubator-awards", "talent-packages", "funds", "targets"]
WIDTHS = [375, 1280]


@pytest.fixture
def sized(browser):
    """Open pages at a given width; fails the test on console errors (CSP violations included)."""
    contexts = []
    errors: list[str] = []

    def open_page(width: int, **options):
        context = browser.new_context(viewport={"width": width, "height": 900}, locale="zh-CN", **options)
        contexts.append(context)
        page = context.new_page()
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        return page

    yield open_page
    for context in contexts:
        context.close()
    assert not [e for e in errors if "favicon" not in e], errors


def columns(page) -> list[str]:
    return page.eval_on_selector_all("table[data-compare] thead th[data-city]", "ths => ths.map(th => th.dataset.city)")


def layout(page) -> dict:
    """How the table is drawn, and where every shown city is."""
    return page.evaluate("""() => {
      const table = document.querySelector('table[data-compare]');
      const stacked = getComputedStyle(table.tBodies[0].rows[0]).display === 'block';
      const shown = el => getComputedStyle(el).display !== 'none';
      const box = el => { const r = el.getBoundingClientRect(); return [r.left, r.right, r.width]; };
      const heads = [...table.tHead.querySelectorAll('th[data-city]')].filter(shown);
      const cells = [...table.querySelectorAll('tbody tr:not(.row-hidden) td.cell')].filter(shown);
      return {
        stacked,
        overflow: document.documentElement.scrollWidth - innerWidth,
        width: innerWidth,
        table: box(table),
        heads: heads.map(th => [th.dataset.city, ...box(th)]),
        cells: cells.slice(0, 60).map(td => [td.dataset.city, ...box(td),
                                             getComputedStyle(td, '::before').content]),
      };
    }""")


def assert_fits(info: dict, wanted: list[str]) -> None:
    assert info["overflow"] <= 0, f"the page overflows by {info['overflow']}px"
    if info["stacked"]:
        assert info["cells"], "stacked rows show their cities"
        for city, left, right, width, label in info["cells"]:
            assert city in wanted
            assert 0 <= left and right <= info["width"] + 0.5, (city, left, right)
            assert label not in ("none", "normal", ""), "each stacked cell names its city"
    else:
        assert [h[0] for h in info["heads"]] == wanted
        for city, left, right, width in info["heads"]:
            assert left >= 0 and right <= info["width"] + 0.5, f"{city} column is off-screen ({left}–{right})"
            assert width >= 60, f"{city} column is too narrow to read ({width}px)"
        assert info["table"][1] <= info["width"] + 0.5


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", COMPARISONS)
def test_every_city_column_is_in_view_or_stacked(sized, real_site, name, width):
    page = sized(width)
    page.goto(f"{real_site}/compare/{name}/")
    everyone = columns(page)
    info = layout(page)
    assert info["stacked"] == (width == 375), "a phone stacks each row as a card; 1280 px shows the table"
    assert_fits(info, everyone)
    screenshot(page, f"compare-{name}-{width}")
    # two chosen cities: both in view
    chosen = [everyone[0], everyone[-1]]
    page.goto(f"{real_site}/compare/{name}/?cities={','.join(chosen)}")
    info = layout(page)
    assert_fits(info, chosen)
    assert {c for c, *_ in info["cells"]} <= set(chosen)
    screenshot(page, f"compare-{name}-{width}-two-cities")


def test_the_header_row_sticks_and_a_row_link_lands_below_it(sized, real_site):
    page = sized(1280)
    page.goto(f"{real_site}/compare/funds/#row-ip-pledge")
    page.wait_for_function("scrollY > 200")
    head = page.locator("thead th[data-city='jinzhou']").bounding_box()
    row = page.locator("#row-ip-pledge").bounding_box()
    assert 0 <= head["y"] <= 2, "the city names are at the top of the window"
    assert row["y"] >= head["y"] + head["height"] - 1, "the row is not hidden under the header"
    assert row["y"] < 900
    page.mouse.wheel(0, 700)
    page.wait_for_timeout(200)
    assert abs(page.locator("thead th[data-city='anshan']").bounding_box()["y"]) <= 2
    position = page.eval_on_selector("thead th[data-city='anshan']", "th => getComputedStyle(th).position")
    assert position == "sticky"


def verdict(page, key: str) -> str:
    return page.locator(f"#{key} [data-verdict]").inner_text()


def best_cities(page, key: str) -> list[str]:
    return page.eval_on_selector_all(f"#{key} td.best", "tds => tds.map(td => td.dataset.city)")


def test_status_filter_lives_in_the_url_and_recomputes_the_best(sized, three_city_site):
    page = sized(1280)
    page.goto(f"{three_city_site}/compare/incubator-awards/")
    key = "row-incubator-recognition-national"
    assert best_cities(page, key) == ["sanhao"] and verdict(page, key) == "120万元（三号市）"
    labels = page.eval_on_selector_all("input[name=status]", "rs => rs.map(r => r.parentElement.textContent.trim())")
    assert labels == ["全部（8）", "现行有效（6）", "已届满或已过规划期（2）"]
    page.get_by_role("radio", name="已届满或已过规划期").check()
    assert parse_qs(urlsplit(page.url).query)["status"] == ["expired"]
    assert best_cities(page, key) == []
    assert verdict(page, key) == "仅示例市写明金额：100万元"
    assert page.locator("#row-incubated-hte-reward").is_hidden()  # no expired entry in that row
    page.get_by_role("radio", name="现行有效").check()
    assert best_cities(page, key) == ["sanhao"]
    assert page.locator(f"#{key} td[data-city='shili']").get_attribute("class").count("filtered-empty") == 1
    page.goto(f"{three_city_site}/compare/incubator-awards/?status=expired&cities=shili,erhao")
    assert page.get_by_role("radio", name="已届满或已过规划期").is_checked()
    assert verdict(page, key) == "仅示例市写明金额：100万元"
    page.get_by_role("radio", name="全部").check()
    assert "status" not in parse_qs(urlsplit(page.url).query)
    assert best_cities(page, key) == ["shili"]


def test_nothing_in_force_says_so(sized, real_site):
    page = sized(375)
    page.goto(f"{real_site}/compare/incubator-awards/?status=in-force")
    assert page.locator("#filter-empty").is_visible()
    assert page.locator("table[data-compare] tbody tr:not(.row-hidden)").count() == 0


def test_best_is_only_given_among_comparable_figures(sized, real_site):
    page = sized(1280)
    page.goto(f"{real_site}/compare/targets/")
    key = "row-rd-intensity-stock"
    province = page.locator(f"#{key} td[data-city='liaoning']")
    assert "全省高新区" in province.inner_text() and "最高" not in province.inner_text()
    assert best_cities(page, key) == ["jinzhou"]
    assert verdict(page, key) == "力争2.16%（锦州市，2024年左右） · 目标年份不同"
    page.get_by_role("checkbox", name="辽宁省").check()
    page.get_by_role("checkbox", name="辽阳市").check()
    assert best_cities(page, key) == []  # the zones' 2.8 % is not compared with a city's 2 %
    assert verdict(page, key) == "范围或口径不同，不作比较"
    page.get_by_role("checkbox", name="锦州市").check()
    assert best_cities(page, key) == ["jinzhou"]


READ_TABLE = """() => [...document.querySelectorAll('table[data-compare] tbody tr')].map(tr => [
  tr.id, tr.querySelector('[data-verdict]').textContent.trim(),
  [...tr.querySelectorAll('td.cell')].map(td => [td.dataset.city,
     [...td.querySelectorAll('.entry')].map(e => e.classList.contains('best'))])])"""


@pytest.mark.parametrize("name", COMPARISONS)
def test_the_browser_applies_the_builds_rule(browser, real_site, name):
    """With JavaScript the page re-judges every row; with all cities shown it must read as built."""
    built = browser.new_context(java_script_enabled=False)
    page = built.new_page()
    page.goto(f"{real_site}/compare/{name}/")
    expected = page.evaluate(READ_TABLE)
    built.close()
    live = browser.new_context()
    page = live.new_page()
    page.goto(f"{real_site}/compare/{name}/")
    assert page.evaluate(READ_TABLE) == expected
    live.close()


def test_the_csv_holds_the_chosen_cities_with_numbers_and_sources(sized, real_site):
    page = sized(1280)
    page.goto(f"{real_site}/compare/funds/?cities=anshan,jinzhou")
    with page.expect_download() as caught:
        page.get_by_role("button", name="下载所选内容（CSV）").click()
    download = caught.value
    assert download.suggested_filename == "funds-anshan-jinzhou.csv"
    raw = open(download.path(), "rb").read()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    header, lines = rows[0], rows[1:]
    assert header[:7] == ["支持方式", "级别", "城市", "城市代码", "内容", "金额（元）", "金额口径"]
    assert header[-5:] == ["文件", "文件编号", "原文位置", "原文摘录", "链接"]
    assert {line[3] for line in lines} == {"anshan", "jinzhou"}
    venture = [line for line in lines if line[0] == "创业投资、风险投资基金" and line[3] == "anshan"]
    assert venture[0][4] == "不低于6亿元" and venture[0][5] == "600000000" and venture[0][7] == "鞍山高新区"
    for line in lines:
        if line[5]:
            assert line[5].isdigit()
        if line[4] != "未找到":
            assert line[-1].startswith(f"{real_site}/documents/") and "#p-" in line[-1]
    # the same lines as the published file, filtered by city, with absolute links
    published = page.request.get(f"{real_site}/data/compare/funds.csv").body().decode("utf-8-sig")
    every = list(csv.reader(io.StringIO(published, newline="")))
    assert every[0] == header
    absolute = [row[:-1] + [f"{real_site}/{row[-1]}" if row[-1] else ""] for row in every[1:]
                if row[3] in ("anshan", "jinzhou")]
    assert absolute == lines
    first = next(line for line in lines if line[-1])
    target = page.context.new_page()
    target.goto(first[-1])
    assert target.locator(f"#{urlsplit(first[-1]).fragment}").count() == 1
    target.close()


def test_copy_link_and_the_cities_carry_across_comparisons(browser, real_site):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=real_site)
    page = context.new_page()
    page.goto(f"{real_site}/compare/funds/?cities=anshan,jinzhou")
    page.get_by_role("button", name="复制本页链接").click()
    page.locator("#action-status").filter(has_text="已复制").wait_for()
    assert page.evaluate("navigator.clipboard.readText()") == page.url
    bars = page.eval_on_selector_all("figure[data-chart] g.chart-bar",
                                     "gs => gs.filter(g => getComputedStyle(g).display !== 'none').map(g => g.dataset.city)")
    assert set(bars) == {"anshan", "jinzhou"}, "the chart follows the chosen cities"
    page.get_by_role("link", name="高层次人才创业支持").click()
    page.wait_for_url("**/compare/talent-packages/**")
    assert parse_qs(urlsplit(page.url).query)["cities"] == ["anshan,jinzhou"]
    assert page.get_by_role("checkbox", name="锦州市").is_checked()  # 鞍山 has no column here, and stays in the URL
    page.get_by_role("checkbox", name="盘锦市").check()
    page.get_by_role("link", name="量化目标").click()
    page.wait_for_url("**/compare/targets/**")
    assert sorted(parse_qs(urlsplit(page.url).query)["cities"][0].split(",")) == ["anshan", "jinzhou", "panjin"]
    assert columns(page) == ["liaoning", "jinzhou", "fuxin", "liaoyang", "panjin"]
    shown = page.eval_on_selector_all("thead th[data-city]",
                                      "ths => ths.filter(th => getComputedStyle(th).display !== 'none').map(th => th.dataset.city)")
    assert shown == ["jinzhou", "panjin"]
    context.close()


def pdf_pages(pdf: bytes, name: str) -> list[str]:
    folder = ARTIFACTS / "print"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.pdf"
    path.write_bytes(pdf)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    size = next(line for line in info.splitlines() if line.startswith("Page size:"))
    width, height = float(size.split()[2]), float(size.split()[4])
    assert "(A4)" in size and width > height, size  # A4, landscape
    pages = int(next(line for line in info.splitlines() if line.startswith("Pages:")).split()[1])
    texts = [subprocess.run(["pdftotext", "-layout", "-f", str(n), "-l", str(n), str(path), "-"],
                            capture_output=True, text=True, check=True).stdout for n in range(1, pages + 1)]
    subprocess.run(["pdftoppm", "-png", "-r", "70", "-f", "1", "-l", "2", str(path),
                    str(ARTIFACTS / "screenshots" / f"print-{name}")], check=True)
    return texts


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils (pdftotext) is not installed")
@pytest.mark.parametrize("name, query", [("funds", ""), ("targets", "?cities=jinzhou,liaoyang,panjin"),
                                         ("talent-packages", "")])
def test_a_printed_comparison_holds_every_chosen_city(sized, real_site, name, query):
    page = sized(1280)
    page.goto(f"{real_site}/compare/{name}/{query}")
    cities = page.eval_on_selector_all(
        "thead th[data-city]", "ths => ths.filter(th => getComputedStyle(th).display !== 'none')"
                               ".map(th => th.querySelector('.print-label').textContent.trim())")
    page.emulate_media(media="print")
    assert page.evaluate("getComputedStyle(document.querySelector('table[data-compare] tbody tr')).display") \
        == "table-row", "printed, the table is a table (no cards, no scroll box)"
    assert page.evaluate("document.querySelector('table[data-compare]').getBoundingClientRect().right") \
        <= page.evaluate("document.documentElement.clientWidth") + 0.5
    texts = pdf_pages(page.pdf(format="A4", prefer_css_page_size=True, print_background=True),
                      f"{name}{'-chosen' if query else ''}")
    whole = "".join(texts)
    heading = "支持方式" if name != "targets" else "指标"
    with_table = [t.replace(" ", "") for t in texts
                  if any(line.split()[:1] == [heading] for line in t.splitlines()) and re.search(r"\[\d+\]", t)]
    assert len(with_table) == len({t for t in texts if re.search(r"\[\d+\]", t)}), "every page of the table has its header"
    assert with_table, "the table is printed"
    assert len(with_table) >= 2 or name == "targets", "the test needs a table that runs over pages"
    for text in with_table:  # the header row repeats on every page the table runs over
        for city in cities:
            assert city in text, (city, text[:400])
    assert f"{real_site}/compare/{name}/" in whole.replace("\n", "")
    assert "生成日期：2026年11月23日" in whole.replace(" ", "")
    for control in ("显示全部城市", "复制本页链接", "下载所选内容", "选择2–4个城市", "按状态筛选", "显示哪一行"):
        assert control not in whole.replace(" ", ""), control


@pytest.mark.parametrize("width", WIDTHS)
def test_focus_stays_visible_while_tabbing_through_the_table(sized, real_site, width):
    page = sized(width)
    page.goto(f"{real_site}/compare/funds/")
    page.locator("thead th.row-head button").focus()
    seen = []

    def check():
        info = page.evaluate("""() => {
          const el = document.activeElement;
          const r = el.getBoundingClientRect();
          const x = Math.min(Math.max(r.left + r.width / 2, 0), innerWidth - 1);
          const y = Math.min(Math.max(r.top + r.height / 2, 0), innerHeight - 1);
          const top = document.elementFromPoint(x, y);
          const outline = getComputedStyle(el).outlineStyle;
          return {tag: el.tagName, text: el.textContent.trim().slice(0, 20), box: [r.left, r.top, r.right, r.bottom],
                  covered: !(top === el || el.contains(top)), outline, w: innerWidth, h: innerHeight};
        }""")
        left, top, right, bottom = info["box"]
        assert 0 <= left and right <= info["w"] + 0.5 and 0 <= top and bottom <= info["h"] + 0.5, info
        assert not info["covered"], f"the focused control is hidden under something: {info}"
        assert info["outline"] != "none", info
        seen.append(info["text"])

    for _ in range(45):
        page.keyboard.press("Tab")
        check()
    for _ in range(20):
        page.keyboard.press("Shift+Tab")
        check()
    assert len(set(seen)) > 10


def test_a_citation_number_opens_its_quote_on_a_phone(sized, real_site):
    page = sized(375, has_touch=True)
    page.goto(f"{real_site}/compare/talent-packages/")
    ref = page.locator("#row-talent-startup td[data-city='jinzhou'] .note-ref").first
    number = ref.inner_text()
    ref.tap()
    popup = page.locator(f"#q-{number}")
    assert popup.is_visible()
    quote = page.locator(f"#n-{number} q").inner_text()
    assert quote and quote in popup.inner_text()
    box = popup.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 375
    popup.get_by_role("button", name="关闭").tap()
    assert popup.is_hidden()
    assert page.locator(f"#n-{number}").is_visible()  # and it is numbered under the table


def test_the_map_prints_numbers_follows_the_row_and_links_to_cities(sized, real_site):
    page = sized(1280)
    page.goto(f"{real_site}/compare/funds/")
    tiles = page.locator("svg.tilemap a.tile")
    assert tiles.count() == 14
    anshan = page.locator("svg.tilemap a.tile[data-city='anshan']")
    assert anshan.locator(".tile-value").text_content() == "6亿元" and "tile-4" in anshan.get_attribute("class")
    assert anshan.get_attribute("aria-label") == "鞍山市：6亿元"
    page.select_option("#map-row", "row-industry-fund")
    fushun = page.locator("svg.tilemap a.tile[data-city='fushun']")
    assert fushun.locator(".tile-value").text_content() == "2.5亿元" and "tile-4" in fushun.get_attribute("class")
    assert page.locator("svg.tilemap a.tile[data-city='dandong'] .tile-value").text_content() == "1亿元"
    assert page.locator("#map-title").inner_text() == "产业投资基金"
    page.get_by_role("radio", name="现行有效").check()
    assert set(page.eval_on_selector_all("svg.tilemap .tile-value", "ts => ts.map(t => t.textContent)")) == {"—"}
    page.get_by_role("link", name="抚顺市：没有内容").click()
    page.wait_for_url("**/cities/fushun/")


def test_the_home_map_switches_layers(sized, real_site):
    page = sized(375)
    page.goto(f"{real_site}/")
    assert page.locator("svg.tilemap a.tile").count() == 14
    jinzhou = page.locator("svg.tilemap a.tile[data-city='jinzhou'] .tile-value")
    assert jinzhou.text_content() == "38项"
    page.select_option("#map-layer", "targets/row-rd-intensity-stock")
    assert jinzhou.text_content() == "2.16%"
    assert "已过规划期" in page.locator("#map-note").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth - innerWidth") <= 0


@pytest.mark.parametrize("width", WIDTHS)
def test_a_city_page_opens_with_contents_and_a_summary_of_offers(sized, real_site, width):
    page = sized(width)
    page.goto(f"{real_site}/cities/jinzhou/")
    anchors = page.eval_on_selector_all(".page-contents a", "as => as.map(a => a.getAttribute('href').slice(1))")
    assert "offers-h" in anchors and "cat-talent" in anchors
    for anchor in anchors:
        assert page.locator(f"[id='{anchor}']").count() == 1
    assert page.locator(".offers-table tbody tr").count() == 19
    assert page.locator(".offers-table tbody tr").first.inner_text().count("2亿元") == 1
    # one badge per card at most, and none where the section says it once
    assert page.eval_on_selector_all("#cat-incubator .measure", "ms => ms.map(m => m.querySelectorAll('.badge').length)") \
        == [0] * 5
    assert "有效期均已届满（2026年10月8日）" in page.locator("#cat-incubator .group-note").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth - innerWidth") <= 0
    screenshot(page, f"city-jinzhou-{width}")


def test_targets_tables_wrap_long_goals(sized, real_site):
    page = sized(1280)
    page.goto(f"{real_site}/cities/liaoning/")
    sizes = page.evaluate("""() => [...document.querySelectorAll('.targets-table')].map(t => ({
      width: t.getBoundingClientRect().width, height: t.getBoundingClientRect().height,
      goal: Math.max(...[...t.querySelectorAll('td.goal, td.num')].map(td => td.getBoundingClientRect().width)),
      spill: [...t.querySelectorAll('td, th')].filter(c => c.scrollWidth > c.clientWidth + 1).length}))""")
    for table in sizes:
        assert table["goal"] <= 0.3 * table["width"], table
        assert table["spill"] == 0, table
    assert max(t["height"] for t in sizes) < 6000
