"""Comparison tables: the same kind of offer from two cities lands in the same row."""

from __future__ import annotations

import csv
import datetime as dt
import io
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
    assert provincial.best_text == "50万元（示例市）"


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
                           today=TODAY, search=False))
    for name in ("incubator-awards", "talent-packages", "funds", "targets"):
        assert (out / f"compare/{name}/index.html").is_file()
    html = (out / "compare/incubator-awards/index.html").read_text(encoding="utf-8")
    assert '<th scope="col" data-sort="city" data-city="erhao">二号市</th>' in html
    assert 'id="row-incubator-recognition-national"' in html
    assert '<svg role="img" aria-labelledby="chart-incubator-awards--title chart-incubator-awards--desc"' in html
    raw = (out / "data/compare/incubator-awards.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0] == ["支持方式", "级别", "最高", "二号市", "示例市"]
    assert ["孵化器（大学科技园）新认定奖励", "国家级", "100万元（示例市）", "80万元", "100万元（文件已过规划期）"] in rows
    hub = (out / "compare/index.html").read_text(encoding="utf-8")
    assert "孵化器（大学科技园）新认定奖励（国家级）" in hub
