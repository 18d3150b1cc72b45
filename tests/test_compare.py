"""Comparison tables: the same kind of offer from two cities lands in the same row."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import replace
from decimal import Decimal

import pytest

from site_gen.build import build_site, load_site
from site_gen.config import BuildConfig
from site_gen.derive import derive_site
from tests.conftest import TEMPLATES, ContentTree, sha256_line

SECOND_SOURCE = """\
二号市科技创新政策
一、孵化载体
1.对新认定的国家级科技企业孵化器奖励80万元。
2.对省级孵化器给予奖励。
3.到2030年,全社会研发经费投入强度达到3%。
4.对在孵企业新认定为高新技术企业的,每家奖励孵化器3万元。
"""

SECOND_DOCUMENT = """\
id: erhao-2023-measures
title: 二号市科技创新政策
issuer: 二号市人民政府
number: unknown
issued: 2023-05-01
period: {start: 2023, end: 2030}
measures:
  - id: incubator-national
    category: incubator
    kind: incubator-recognition
    level: national
    title: 国家级孵化器奖励
    amount: {kind: fixed, value: 80万元}
    source:
      locator: 一/1
      quote: 对新认定的国家级科技企业孵化器奖励80万元
  - id: incubator-provincial
    category: incubator
    kind: incubator-recognition
    level: provincial
    title: 省级孵化器奖励
    amount: {kind: unstated}
    source:
      locator: 一/2
      quote: 对省级孵化器给予奖励
  - id: incubated-hte
    category: incubator
    kind: incubated-hte-reward
    title: 在孵企业认定高企奖励
    amount: {kind: per-unit, value: 3万元, per: 每家}
    source:
      locator: 一/4
      quote: 每家奖励孵化器3万元
targets:
  - id: rd-2030
    metric: rd-intensity
    value: 3
    unit: "%"
    year: 2030
    source:
      locator: 一/3
      quote: 到2030年,全社会研发经费投入强度达到3%
summary_sources:
  - locator: 一/1
    quote: 对新认定的国家级科技企业孵化器奖励80万元
""" + sha256_line(SECOND_SOURCE) + "\n"

TODAY = dt.date(2026, 11, 23)
SUMMARY_SOURCES = "summary_sources:\n  - document: {document}\n    locator: {locator}\n    quote: {quote}\n"


@pytest.fixture
def two_cities(content: ContentTree) -> ContentTree:
    content.write("sources/erhao-2023-measures.txt", SECOND_SOURCE)
    content.write("cities/erhao/city.yaml", "slug: erhao\nname: 二号市\nname_en: Erhao\ncode: 219800\n"
                  + SUMMARY_SOURCES.format(document="erhao-2023-measures", locator="一/2", quote="对省级孵化器给予奖励"))
    content.write("cities/erhao/city.md", "第二个测试城市。\n")
    content.write("cities/erhao/documents/erhao-2023-measures.yaml", SECOND_DOCUMENT)
    content.write("cities/erhao/documents/erhao-2023-measures.md", "二号市的测试文件。\n")
    return content


def comparison(content: ContentTree, name: str):
    derived = derive_site(load_site(content.root), TODAY)
    return next(c for c in derived.comparisons if c.name == name)


def row(table, key):
    return next(r for r in table.rows if r.key == key)


def test_same_kind_from_two_cities_lands_in_one_row(two_cities):
    table = comparison(two_cities, "incubator-awards")
    assert [c.slug for c in table.columns] == ["erhao", "shili"]  # ordered by 行政区划代码
    national = row(table, "row-incubator-recognition-national")
    assert [(c.city, [e.text for e in c.entries]) for c in national.cells] == [
        ("erhao", ["80万元"]), ("shili", ["100万元"]),
    ]
    assert [r.key for r in table.rows].count("row-incubator-recognition-national") == 1


def test_largest_offer_is_marked_and_named(two_cities):
    national = row(comparison(two_cities, "incubator-awards"), "row-incubator-recognition-national")
    assert [c.best for c in national.cells] == [False, True]
    assert national.best_text == "100万元（示例市）"


def test_three_empty_states(two_cities):
    table = comparison(two_cities, "incubator-awards")
    provincial = row(table, "row-incubator-recognition-provincial")
    assert [(c.city, c.state) for c in provincial.cells] == [("erhao", "unstated"), ("shili", "found")]
    per_firm = row(table, "row-incubated-hte-reward")
    assert [(c.city, c.state) for c in per_firm.cells] == [("erhao", "found"), ("shili", "missing")]
    shili = next(c for c in provincial.cells if c.city == "shili")
    assert shili.entries[0].past and shili.entries[0].status_text == "文件已过规划期"


def test_no_best_mark_with_a_single_amount(two_cities):
    provincial = row(comparison(two_cities, "incubator-awards"), "row-incubator-recognition-provincial")
    assert not any(c.best for c in provincial.cells)
    assert provincial.best_text is None
    assert provincial.verdict == "仅示例市写明金额：50万元"


def test_targets_show_their_year(two_cities):
    rd = row(comparison(two_cities, "targets"), "row-rd-intensity-stock")
    assert [(c.city, c.entries[0].text, c.entries[0].year_text) for c in rd.cells] == [
        ("erhao", "3%", "2030年"), ("shili", "2.5%", "2025年"),
    ]
    assert rd.best_value == Decimal(3)


def test_cities_without_entries_are_listed_not_shown(two_cities):
    table = comparison(two_cities, "funds")
    assert table.rows == () and table.absent == ("二号市", "示例市")


def test_comparison_pages_and_csv(two_cities, tmp_path):
    out = tmp_path / "out"
    build_site(BuildConfig(content_dir=two_cities.root, out_dir=out, templates_dir=TEMPLATES,
                           today=TODAY, search=False, base_url="https://example.org/policy/"))
    for name in ("incubator-awards", "talent-packages", "funds", "targets"):
        assert (out / f"compare/{name}/index.html").is_file()
    html = (out / "compare/incubator-awards/index.html").read_text(encoding="utf-8")
    assert '<th scope="col" class="city-head" data-sort="city" data-city="erhao">二号市</th>' in html
    assert 'id="row-incubator-recognition-national"' in html
    assert '<svg role="img" aria-labelledby="chart-incubator-awards--title chart-incubator-awards--desc"' in html
    raw = (out / "data/compare/incubator-awards.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0] == ["支持方式", "级别", "城市", "城市代码", "内容", "金额（元）", "金额口径", "适用范围", "状态",
                       "文件", "文件编号", "原文位置", "原文摘录", "链接"]
    national = [r for r in rows if r[0] == "孵化器（大学科技园）新认定奖励" and r[1] == "国家级"]
    assert [(r[3], r[4], r[5], r[6], r[8]) for r in national] == [
        ("erhao", "80万元", "800000", "最高可得", "现行有效"),
        ("shili", "100万元", "1000000", "最高可得", "文件已过规划期"),
    ]
    shili = national[1]
    assert (shili[9], shili[10], shili[11]) == ("示例市科技创新若干措施", "shili-2022-measures", "二 › 1")
    assert shili[12] == "对新认定的国家级科技企业孵化器给予100万元奖励"
    assert shili[13].startswith("https://example.org/policy/documents/shili-2022-measures/#p-")
    per_firm = [r for r in rows if r[0] == "每培育一家高新技术企业的奖励"]
    assert [(r[3], r[4], r[5], r[6]) for r in per_firm] == [("erhao", "每家3万元", "30000", "按每单位"),
                                                           ("shili", "未找到", "", "")]
    hub = (out / "compare/index.html").read_text(encoding="utf-8")
    assert "孵化器（大学科技园）新认定奖励（国家级）" in hub


def test_the_page_holds_the_csv_lines_with_city_and_status(two_cities):
    table = comparison(two_cities, "incubator-awards")
    data = table.csv.data
    assert data["header"][data["link"]] == "链接"
    assert {(city, status) for city, status, _ in data["lines"]} == {
        ("erhao", "in-force"), ("shili", "expired"), ("shili", ""), }
    assert all(cells[data["link"]].startswith("documents/") for _, status, cells in data["lines"] if status)


# --- 最高 only among comparable figures ------------------------------------------

ZONE_OFFER = """\
  - id: zone-national
    category: incubator
    kind: incubator-recognition
    level: national
    zone: erhao-hitech
    title: 高新区国家级孵化器奖励
    amount: {kind: fixed, value: 80万元}
    source:
      locator: 一/1
      quote: 对新认定的国家级科技企业孵化器奖励80万元
"""
ERHAO_ZONE = """\
zones:
  - id: erhao-hitech
    name: 二号高新技术产业开发区
    short_name: 二号高新区
    level: provincial
    source:
      document: erhao-2023-measures
      locator: 一/1
      quote: 国家级科技企业孵化器
"""


def test_a_zone_offer_is_not_compared_with_a_city_wide_one(two_cities):
    """二号市 offers 80万元 in its zone only; 示例市 100万元 city-wide: no 最高, and the row says why."""
    doc = "cities/erhao/documents/erhao-2023-measures.yaml"
    text = two_cities.read(doc)
    start = text.index("  - id: incubator-national")
    end = text.index("  - id: incubator-provincial")
    two_cities.write(doc, text[:start] + ZONE_OFFER + text[end:])
    two_cities.write("cities/erhao/city.yaml", two_cities.read("cities/erhao/city.yaml") + ERHAO_ZONE)
    national = row(comparison(two_cities, "incubator-awards"), "row-incubator-recognition-national")
    assert [(c.city, [(e.text, e.scope, e.scope_kind) for e in c.entries]) for c in national.cells] == [
        ("erhao", [("80万元", "二号高新区", "zone")]), ("shili", [("100万元", "全市", "city")]),
    ]
    assert not any(c.best for c in national.cells)
    assert national.verdict == "范围或口径不同，不作比较" and national.best_text is None


def test_a_per_unit_amount_is_not_compared_with_a_total(two_cities):
    from site_gen.derive.compare import judge

    national = row(comparison(two_cities, "incubator-awards"), "row-incubator-recognition-national")
    erhao, shili = national.cells
    per_unit = replace(erhao, entries=(replace(erhao.entries[0], basis="per-unit"),))
    judged = judge([per_unit, shili], offers=True)
    assert judged.marked == frozenset() and judged.verdict == "范围或口径不同，不作比较"
    assert judge([erhao, shili], offers=True).marked == {("shili", 0)}


def test_targets_compare_only_the_same_scope_and_say_when_years_differ(real_content_copy):
    rd = row(comparison(real_content_copy, "targets"), "row-rd-intensity-stock")
    cells = {c.city: c for c in rd.cells}
    province = cells["liaoning"].entries[0]
    assert (province.text, province.scope, province.scope_kind, province.best) == ("力争2.8%", "全省高新区",
                                                                                  "province-zones", False)
    assert [e.best for e in cells["jinzhou"].entries] == [True] and cells["jinzhou"].entries[0].scope == "全市"
    assert not cells["liaoyang"].best
    assert rd.verdict == "力争2.16%（锦州市，2024年左右） · 目标年份不同"


def test_a_target_without_a_comparable_peer_gets_no_mark(real_content_copy):
    table = comparison(real_content_copy, "targets")
    fund_count = row(table, "row-fund-count-new")  # only the province: 每个高新区各1只
    assert not any(c.best for c in fund_count.cells)
    assert fund_count.verdict == "仅辽宁省给出数值：1只（每个高新区）"
    for r in table.rows:
        for group in {e.group for c in r.cells for e in c.entries if e.best}:
            cities = {c.city for c in r.cells for e in c.entries if e.group == group and e.sort_value is not None}
            assert len(cities) >= 2, (r.key, group)


# --- standing: in force, validity ended, past its period -----------------------------


def test_a_running_validity_outranks_the_plans_period(real_content_copy):
    """Jinzhou's attachments are valid until 2026-10-08; the plan ended in 2024."""
    before = derive_site(load_site(real_content_copy.root), dt.date(2026, 10, 8))
    after = derive_site(load_site(real_content_copy.root), dt.date(2026, 10, 9))
    key = "row-incubator-recognition-national"

    def jinzhou(derived):
        table = next(c for c in derived.comparisons if c.name == "incubator-awards")
        return next(c for c in row(table, key).cells if c.city == "jinzhou").entries[0].standing

    assert jinzhou(before).key == "in-force"
    assert (jinzhou(after).key, jinzhou(after).label) == ("expired", "有效期已届满（2026年10月8日）")


def test_home_answers_state_status_and_single_cities(real_content_copy):
    derived = derive_site(load_site(real_content_copy.root), dt.date(2026, 12, 1))
    hints = {str(q.question): str(q.answer_hint) for q in derived.questions}  # the Chinese words
    incubator = hints["新认定一家国家级孵化器，哪个城市奖励最多？"]
    assert incubator.startswith("仅锦州市写明金额：50万元") and "有效期已届满（2026年10月8日）" in incubator
    assert "目前最高" not in incubator
    rd = hints["哪些城市的研发投入强度目标达到2%以上？到哪一年？"]
    assert rd.startswith("锦州市 力争2.16%（2024年左右）、辽阳市 2%（2020年）") and "已过规划期" in rd
    assert "辽宁省 力争2.8%是全省高新区的目标" in rd


def test_home_answers_from_what_is_in_force_and_says_so(real_content_copy):
    derived = derive_site(load_site(real_content_copy.root), dt.date(2022, 6, 1))
    hints = {str(q.question): str(q.answer_hint) for q in derived.questions}  # the Chinese words
    assert hints["新认定一家国家级孵化器，哪个城市奖励最多？"] == "现行有效：仅锦州市写明金额：50万元"


def test_status_counts_and_a_shared_standing_said_once(real_content_copy):
    table = comparison(real_content_copy, "targets")
    counts = dict(table.standing_counts)
    assert counts["all"] == counts["expired"] == len(table.entries) and counts["in-force"] == 0
    assert table.uniform_standing == "文件已过规划期"
    html_entry_badges = [e for e in table.entries if e.standing.lapsed]
    assert html_entry_badges  # every entry is lapsed, so the page says it once, above the table


# --- the map -------------------------------------------------------------------------


def test_the_tile_map_places_every_city_once_and_prints_its_value(real_content_copy):
    from site_gen.derive.tilemap import GRID, shade

    assert len(GRID) == 14 and len(set(GRID.values())) == 14
    derived = derive_site(load_site(real_content_copy.root), TODAY)
    assert {c.slug for c in derived.cities} - {"liaoning"} == set(GRID)
    funds = next(c for c in derived.comparisons if c.name == "funds")
    tiles = {t.slug: t for t in funds.map.tiles}
    assert funds.map.current.key == "row-venture-fund"
    assert (str(tiles["anshan"].shown.text), tiles["anshan"].shown.shade) == ("6亿元", "4")
    assert (str(tiles["shenyang"].shown.text), tiles["shenyang"].shown.shade) == ("2亿元", "2")
    assert (str(tiles["panjin"].shown.text), tiles["panjin"].shown.shade) == ("未明确", "text")
    assert (str(tiles["dalian"].shown.text), tiles["dalian"].shown.shade) == ("—", "none")
    assert tiles["jinzhou"].href == "cities/jinzhou/" and str(tiles["jinzhou"].label) == "锦州市：2亿元"
    assert [shade(Decimal(v), Decimal(100)) for v in (1, 25, 26, 50, 75, 76, 100)] == ["1", "1", "2", "2", "3", "4", "4"]
    targets = next(c for c in derived.comparisons if c.name == "targets")
    assert targets.map.outside and str(targets.map.outside).startswith("辽宁省：")  # the province has no tile
    home = derived.home_map
    assert home is not None and home.layers[0].key == "measures" and len(home.tiles) == 14
    assert {t.slug: str(t.shown.text) for t in home.tiles}["jinzhou"] == "38项"


# --- city pages ----------------------------------------------------------------------


def test_a_city_page_outline_has_contents_offers_and_collapsed_badges(real_content_copy):
    derived = derive_site(load_site(real_content_copy.root), dt.date(2026, 12, 1))
    outline = derived.city_outlines["jinzhou"]
    assert [i.anchor for i in outline.contents] == ["offers-h", "zones-h", "measures-h", "targets-h", "docs-h"]
    assert len(outline.offers) == 19 and all(line.measure.amount_yuan is not None for line in outline.offers)
    incubators = next(g for g in outline.groups if g.key == "incubator")
    assert incubators.shared_standing is not None and incubators.shared_standing.key == "expired"
    assert all(standing is None for _, standing in incubators.items)  # said once, in the heading
    assert incubators.shared_document and incubators.shared_document[1] == "documents/jinzhou-2021-action-plan/"
    assert outline.targets_standing is not None and outline.targets_standing.key == "past"
