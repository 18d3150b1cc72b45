"""Every figure a number, every claim sourced.

Ranges and qualifiers of targets, quantities and thresholds as numbers,
one target with several citations, numbers that are not commitments,
periods stated or inferred, and summaries that cite what they say: each
is checked by the build, with a ``file:line`` problem when it is wrong.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from decimal import Decimal

import pytest

from site_gen.build import load_site
from site_gen.coverage import uncovered_figures
from site_gen.derive import derive_site
from site_gen.derive.amounts import quantity_text, target_value_text, target_year_text
from site_gen.derive.opendata import (
    DOCUMENT_FIELDS,
    MEASURE_FIELDS,
    TARGET_FIELDS,
    column_names,
    record_columns,
    to_csv,
)
from site_gen.figures import find_figures
from site_gen.records import Document, Measure, Quantity, Target, content_json_schema
from tests.conftest import CITY, DOC, ContentTree
from tests.test_gate_figures import refused
from tests.test_validation import doc_path

SOURCE = "sources/shili-2022-measures.txt"
TODAY = dt.date(2026, 11, 23)


def add_text(content: ContentTree, text: str) -> None:
    """Append paragraphs (a new attachment) to the fixture's archived text."""
    content.write(SOURCE, content.read(SOURCE) + text)


def add_target(content: ContentTree, target: str) -> None:
    content.replace(DOC, "targets:\n", "targets:\n" + target)


def site_of(content: ContentTree):
    return load_site(content.root)


# --- reading figures and the words around them ----------------------------------------


@pytest.mark.parametrize("text, expected", [
    ("占全省近30%", [("30", "%", "nearly")]),
    ("选育10个左右", [("10", "个", "about")]),
    ("达到20家以上", [("20", "家", "at-least")]),
    ("单笔技术合同额50万元(含)以上", [("500000", "元", "at-least")]),
    ("企业实际投入不低于100万元", [("1000000", "元", "at-least")]),
    ("高新技术企业突破260家", [("260", "家", "exceed")]),
    ("产值规模超10亿元", [("1000000000", "元", "exceed")]),
    ("三年内遴选", [("3", "年", "at-most")]),
    ("毕业2年内企业", [("2", "年", "at-most")]),
    ("力争到2024年左右", [("2024", "年", "about")]),
    ("组建一支以上创业导师团队", [("1", "支", "at-least")]),
    ("最近3年", [("3", "年", "reach")]),
    ("10个国内领先", [("10", "个", "reach")]),
    ("超百亿元的8个", [("8", "个", "reach"), ("10000000000", "元", "exceed")]),
    ("超千亿元产业集群", [("100000000000", "元", "exceed")]),
])
def test_qualifiers_are_read_from_the_words_touching_a_figure(text, expected):
    assert [(format(f.value, "f"), f.unit, f.qualifier) for f in find_figures(text)] == [
        (format(Decimal(v), "f"), u, q) for v, u, q in expected]


@pytest.mark.parametrize("text", [
    "“四个全面”战略布局", "“三个推进”", "“一个窗口对外”", "锦州市科技创新发展三年行动计划", "另一个城市", "同一项目标",
    "百强科技创新企业和百户工业高成长型中小企业", "“百企联百校”",
])
def test_names_slogans_and_idioms_are_not_figures(text):
    assert find_figures(text) == []


# --- targets: ranges and qualifiers -------------------------------------------------------

TRAINING = """  - id: training
    metric: event-count
    label: 组织开展创业培训
    min: 1
    max: 2
    unit: 场
    year: 2021
    basis: new
    source:
      locator: 附件2
      quote: 2021年组织开展创业培训1—2场
"""


def test_a_range_target_keeps_both_ends(content):
    add_text(content, "附件2\n2021年组织开展创业培训1—2场。\n")
    add_target(content, TRAINING)
    target = site_of(content).document("shili-2022-measures").targets[0]
    assert (target.min, target.max, target.value, target.unit) == (1, 2, None, "场")
    assert target_value_text(target) == "1—2场"
    row = record_columns(target)
    assert (row["min"], row["max"], row["value"]) == (1, 2, None)


def test_a_range_stored_as_at_least_its_lower_end_is_refused(content):
    """The audit's 1—2场 stored as 1场以上: the quote has 2场, and no 以上."""
    add_text(content, "附件2\n2021年组织开展创业培训1—2场。\n")
    add_target(content, TRAINING.replace("    min: 1\n    max: 2\n", "    value: 1\n    qualifier: at-least\n"))
    found = refused(content, "targets[0].source.quote: quote has 1—2场 that the record does not capture",
                    "targets[0].qualifier: qualifier is at-least, but no quote says so")
    assert found[0].startswith(f"{doc_path(content)}:")


def test_value_and_range_together_are_refused(content):
    add_text(content, "附件2\n2021年组织开展创业培训1—2场。\n")
    add_target(content, TRAINING.replace("    min: 1\n", "    value: 1\n    min: 1\n"))
    refused(content, "targets[0]: value and min/max are both given")


NEARLY = """  - id: share
    metric: other
    label: 高新技术企业数量占全省比重
    value: 30
    unit: "%"
    year: unknown
    qualifier: nearly
    basis: baseline
    source:
      locator: 附件2
      quote: 高新技术企业数量占全省近30%
"""


def test_nearly_is_not_about(content):
    add_text(content, "附件2\n高新技术企业数量占全省近30%。\n")
    add_target(content, NEARLY)
    assert target_value_text(site_of(content).document("shili-2022-measures").targets[0]) == "近30%"
    content.replace(DOC, "    qualifier: nearly\n", "    qualifier: about\n")
    found = refused(content, "targets[0].qualifier: the quote qualifies 30% as nearly (近), but the qualifier is "
                             "about (expected qualifier: nearly)")
    assert f"{doc_path(content)}:" in found[0]


def test_at_least_in_the_quote_must_be_the_qualifier(content):
    content.replace(DOC, "      quote: 到2025年,…高新技术企业达到300家\n", "      quote: 到2025年,…高新技术企业达到300家\n")
    add_text(content, "附件2\n到2025年,孵化器达到20家以上。\n")
    add_target(content, """  - id: incubators
    metric: incubator-count
    value: 20
    unit: 家
    year: 2025
    source:
      locator: 附件2
      quote: 到2025年,孵化器达到20家以上
""")
    refused(content, "targets[0].qualifier: the quote qualifies 20家 as at-least (以上、不低于、不少于、至少、最低、最少、满), "
                     "but the qualifier is reach (expected qualifier: at-least)")


def test_strive_and_year_about_are_read_from_the_quote(content):
    add_text(content, "附件2\n力争到2024年左右,孵化器达到20家。\n")
    target = """  - id: incubators
    metric: incubator-count
    value: 20
    unit: 家
    year: 2024
    source:
      locator: 附件2
      quote: 力争到2024年左右,孵化器达到20家
"""
    add_target(content, target)
    refused(content, "targets[0].strive: a quote says 力争 (strive for), but strive is false",
            "targets[0].year_approximate: the quote says 2024年左右, but year_approximate is false")
    content.replace(DOC, "    year: 2024\n", "    year: 2024\n    year_approximate: true\n    strive: true\n")
    incubators = site_of(content).document("shili-2022-measures").targets[0]
    assert target_value_text(incubators) == "力争20家" and target_year_text(incubators) == "2024年左右"
    content.replace(DOC, "      quote: 力争到2024年左右,孵化器达到20家\n", "      quote: 到2024年左右,孵化器达到20家\n")
    refused(content, "targets[0].strive: strive is true, but no quote says 力争")


def test_a_horizon_holds_within_three_years(content):
    """三年内遴选100名创业导师: the 三年内 is kept as a number, not only in a note."""
    add_text(content, "附件2\n三年内遴选100名创业导师。\n")
    add_target(content, """  - id: mentors
    metric: other
    label: 遴选创业导师
    value: 100
    unit: 名
    year: unknown
    note: 原文为“三年内”
    source:
      locator: 附件2
      quote: 三年内遴选100名创业导师
""")
    refused(content, "targets[0].source.quote: quote has 三年 that the record states only in its words")
    content.replace(DOC, "    year: unknown\n    note: 原文为“三年内”\n",
                    "    year: unknown\n    horizon: {value: 3, unit: 年, qualifier: at-most}\n")
    mentors = site_of(content).document("shili-2022-measures").targets[0]
    assert target_year_text(mentors) == "3年内（起算年份未载明）"
    row = record_columns(mentors)
    assert (row["horizon_value"], row["horizon_unit"], row["horizon_qualifier"]) == (3, "年", "at-most")
    content.replace(DOC, "qualifier: at-most}", "qualifier: reach}")
    refused(content, "targets[0].horizon.qualifier: the quote qualifies 三年 as at-most")


# --- measures: quantities and thresholds ----------------------------------------------------


def test_a_benefit_figure_is_a_quantity(content):
    content.replace(DOC, "    quantities: [{what: 免费入住期限, value: 3, unit: 年}]\n", "")
    refused(content, "measures[4].source.quote: quote has 三年 that the record states only in its words "
                     "(expected it as a number: in the amount, value, year, horizon, quantities or thresholds)")


def test_a_quantity_must_be_in_a_quote_with_its_unit(content):
    content.replace(DOC, "{what: 免费入住期限, value: 3, unit: 年}", "{what: 免费入住期限, value: 3, unit: 个}")
    refused(content, "measures[4].quantities[0]: states 3个, which none of the record's quotes contains",
            "measures[4].source.quote: quote has 三年 that the record states only in its words")


def test_area_quantity_is_shown_and_published(content):
    add_text(content, "附件2\n建设1.6万平方米的人才服务大厦。\n")
    content.replace(DOC, "measures:\n", """measures:
  - id: talent-building
    category: talent
    kind: talent-housing
    title: 人才服务大厦
    amount: {kind: benefit, benefit: 建设1.6万平方米的人才服务大厦}
    quantities:
      - what: 人才服务大厦建筑面积
        value: 1.6
        unit: 万平方米
    source:
      locator: 附件2
      quote: 建设1.6万平方米的人才服务大厦
""")
    site = site_of(content)
    building = site.document("shili-2022-measures").measures[0]
    assert quantity_text(building.quantities[0]) == "人才服务大厦建筑面积：1.6万平方米"
    view = next(m for m in derive_site(site, TODAY).measure_records if m["id"].endswith("/talent-building"))
    assert (view["quantity_what"], view["quantity_value"], view["quantity_unit"]) == (
        ["人才服务大厦建筑面积"], [1.6], ["万平方米"])


THRESHOLD = """  - id: contract-subsidy
    category: tech-transfer
    kind: tech-contract-subsidy
    title: 技术合同后补助
    conditions: 单笔技术合同额50万元(含)以上
    thresholds:
      - what: 单笔技术合同额
        value: 50万元
        qualifier: at-least
    amount: {kind: fixed, value: 10万元}
    source:
      locator: 附件2
      quote: 对单笔技术合同额50万元(含)以上的项目给予10万元后补助
"""


def test_a_threshold_is_a_number_with_its_comparison(content):
    add_text(content, "附件2\n对单笔技术合同额50万元(含)以上的项目给予10万元后补助。\n")
    content.replace(DOC, "measures:\n", "measures:\n" + THRESHOLD)
    measure = site_of(content).document("shili-2022-measures").measures[0]
    assert measure.thresholds[0] == Quantity(what="单笔技术合同额", value=500000, unit="元", qualifier="at-least")
    assert quantity_text(measure.thresholds[0]) == "单笔技术合同额：50万元以上"
    row = record_columns(measure)
    assert (row["threshold_value"], row["threshold_unit"], row["threshold_qualifier"]) == ([500000], ["元"], ["at-least"])
    content.replace(DOC, "        qualifier: at-least\n    amount: {kind: fixed, value: 10万元}",
                    "    amount: {kind: fixed, value: 10万元}")
    refused(content, "measures[0].thresholds[0].qualifier: the quote qualifies 50万元 as at-least")


def test_a_threshold_only_in_the_conditions_text_is_refused(content):
    add_text(content, "附件2\n对单笔技术合同额50万元(含)以上的项目给予10万元后补助。\n")
    content.replace(DOC, "measures:\n", "measures:\n" + THRESHOLD.replace(
        "    thresholds:\n      - what: 单笔技术合同额\n        value: 50万元\n        qualifier: at-least\n", ""))
    refused(content, "measures[0].source.quote: quote has 50万元 that the record states only in its words")


# --- one target, several citations ---------------------------------------------------------

ALSO = """    also_cited:
      - locator: 附件2/1
        quote: 新增高新技术企业10家以上…12月31日
"""


def test_one_target_with_several_citations(content):
    add_text(content, "附件2\n序号｜任务｜目标｜时限\n1｜培育｜新增高新技术企业10家以上｜12月31日\n")
    content.write(SOURCE, content.read(SOURCE).replace("高新技术企业达到300家。", "高新技术企业达到300家;新增高新技术企业10家以上。"))
    add_target(content, """  - id: hte-new
    metric: hte-count
    value: 10
    unit: 家
    year: 2025
    qualifier: at-least
    basis: new
    note: 附件2第1行重申这一目标（完成时限12月31日）
    source:
      locator: 一
      quote: 到2025年,…新增高新技术企业10家以上
""" + ALSO)
    site = site_of(content)
    target = site.document("shili-2022-measures").targets[0]
    assert target.also_cited[0].section == "附件2/1"
    derived = derive_site(site, TODAY)
    row = next(r for r in derived.target_records if r["id"].endswith("/hte-new"))
    assert row["also_locator"] == ["附件2/1"] and row["also_url"][0].startswith("documents/shili-2022-measures/#p-fj2")
    document = next(d for d in derived.documents if d.id == "shili-2022-measures")
    assert len(document.targets) == 3  # one record, so the page counts one target
    cell = next(r for r in csv.DictReader(io.StringIO(to_csv(derived.target_records, TARGET_FIELDS).decode("utf-8-sig")))
                if r["id"].endswith("/hte-new"))
    assert cell["also_quote"] == "新增高新技术企业10家以上…12月31日"
    # the other citation must state the same value, and all its figures are the record's
    content.replace(DOC, "        quote: 新增高新技术企业10家以上…12月31日\n", "        quote: 新增高新技术企业…12月31日\n")
    refused(content, "targets[0].also_cited[0].quote: quote does not contain 10家")
    content.replace(DOC, "        quote: 新增高新技术企业…12月31日\n", "        quote: 新增高新技术企业10家以上…12月31日\n")
    content.replace(DOC, "    note: 附件2第1行重申这一目标（完成时限12月31日）\n", "")
    refused(content, "targets[0].also_cited[0].quote: quote has 12月 that the record does not capture")


def test_another_citation_must_be_found_like_the_source(content):
    add_target(content, """  - id: rd-again
    metric: rd-intensity
    value: 2.5
    unit: "%"
    year: 2025
    source:
      locator: 一
      quote: 到2025年,全社会研发经费投入强度达到2.5%
    also_cited:
      - locator: 二/1
        quote: 研发经费投入强度达到2.5%
""")
    refused(content, "targets[0].also_cited[0].quote: quote not found in section '二/1'")


# --- numbers that are not commitments ------------------------------------------------------------


def test_a_number_that_is_not_a_commitment_is_recorded_with_its_reason(content):
    before = [u.figure for u in uncovered_figures(site_of(content), "shili-2022-measures")]
    add_text(content, "附件2\n一些发达国家实施工业4.0战略。\n")
    site = site_of(content)
    assert [u.figure for u in uncovered_figures(site, "shili-2022-measures")] == before + ["4.0"]
    content.replace(DOC, "measures:\n", """non_commitments:
  - reason: “工业4.0”是国外战略的名称，不是目标
    source:
      locator: 附件2
      quote: 一些发达国家实施工业4.0战略
measures:
""")
    site = site_of(content)
    assert [u.figure for u in uncovered_figures(site, "shili-2022-measures")] == before
    document = next(d for d in derive_site(site, TODAY).documents if d.id == "shili-2022-measures")
    assert document.non_commitments[0][0] == "“工业4.0”是国外战略的名称，不是目标"
    content.replace(DOC, "  - reason: “工业4.0”是国外战略的名称，不是目标\n", "  - reason: 这是国外战略的名称，不是目标\n")
    refused(content, "non_commitments[0].source.quote: quote has 4.0 that the record does not capture")


def test_coverage_sees_chinese_numerals_and_units_a_zone_name_does_not_cover(content):
    before = len(uncovered_figures(site_of(content), "shili-2022-measures"))
    add_text(content, "附件2\n引进一家运营机构,建设2万平方米青年公寓。\n")
    found = uncovered_figures(site_of(content), "shili-2022-measures")
    assert [u.figure for u in found[before:]] == ["一家", "2万平方米"]
    # a zone's source only names the zone: quoting the paragraph there covers nothing
    content.replace(CITY, "      locator: 文首\n      quote: 示例市人民政府\n    facts:",
                    "      locator: 附件2\n      quote: 引进一家运营机构,建设2万平方米青年公寓\n    facts:")
    assert len(uncovered_figures(site_of(content), "shili-2022-measures")) == before + 2


# --- periods ----------------------------------------------------------------------------------------


def test_a_stated_period_is_cited_and_an_inferred_one_says_why(content):
    content.replace(DOC, "period:\n  start: 2022\n  end: 2025\n",
                    "period:\n  start: 2022\n  end: 2025\n  source:\n    locator: 一\n    quote: 到2025年\n")
    refused(content, "period.source.quote: quote does not contain 2022年")
    content.replace(DOC, "  source:\n    locator: 一\n    quote: 到2025年\n",
                    "  basis: inferred\n  source:\n    locator: 一\n    quote: 到2025年\n")
    refused(content, "period: an inferred period needs a reason")
    content.replace(DOC, "  basis: inferred\n", "  basis: inferred\n  reason: 原文只写到2025年的目标；起始年份取印发年份\n")
    site = site_of(content)
    document = next(d for d in derive_site(site, TODAY).documents if d.id == "shili-2022-measures")
    assert document.period_inferred and document.period_text.startswith("2022年—2025年（推定：")
    assert "推定" in document.status_text
    row = next(r for r in derive_site(site, TODAY).document_records if r["id"] == "shili-2022-measures")
    assert (row["period_basis"], row["period_reason"], row["period_locator"]) == (
        "inferred", "原文只写到2025年的目标；起始年份取印发年份", "一")


# --- summaries cite what they say --------------------------------------------------------------------


def test_a_summary_figure_must_be_in_a_summary_source(content):
    summary = "cities/shili/documents/shili-2022-measures.md"
    content.write(summary, "测试文件的摘要。\n\n到 2025 年研发投入强度 2.5%，高新技术企业 300 家。\n")
    found = refused(content, "shili-2022-measures.md:3:3: summary: states 2025 年, which none of the summary's "
                             "sources contains", "summary: states 2.5%", "summary: states 300 家")
    assert len(found) == 3
    content.replace(DOC, "summary_sources:\n", "summary_sources:\n  - locator: 一\n"
                    "    quote: 到2025年,全社会研发经费投入强度达到2.5%;高新技术企业达到300家\n")
    site = site_of(content)
    document = next(d for d in derive_site(site, TODAY).documents if d.id == "shili-2022-measures")
    assert [c.section for c in document.summary_citations] == ["一", "文首"]
    content.write(summary, "测试文件的摘要。\n\n高新技术企业 3000 家。\n")
    refused(content, "shili-2022-measures.md:3:8: summary: states 3000 家")


def test_a_summary_without_sources_is_refused(content):
    content.replace(CITY, "summary_sources:\n  - document: shili-2022-measures\n    locator: 文首\n    quote: 示例市人民政府\n",
                    "")
    refused(content, "city.yaml:1:1: summary_sources: ")
    assert any("city.md cites no paragraph" in p for p in refused(content))


def test_a_summary_source_is_found_like_any_citation(content):
    content.replace(DOC, "    quote: 示例市人民政府关于印发示例市科技创新若干措施的通知\n", "    quote: 示例市人民政府关于印发若干办法的通知\n")
    refused(content, "summary_sources[0].quote: quote not found in section '文首'")


# --- schema and open data ------------------------------------------------------------------------------


def test_json_schema_holds_the_new_shapes():
    defs = content_json_schema()["$defs"]
    quantity = defs["Quantity"]["properties"]
    assert {"what", "value", "min", "max", "unit", "qualifier"} <= set(quantity)
    target = defs["Target"]["properties"]
    assert {"min", "max", "strive", "year_approximate", "horizon", "quantities", "thresholds", "also_cited"} <= set(target)
    assert {"quantities", "thresholds", "also_cited"} <= set(defs["Measure"]["properties"])
    assert {"summary_sources", "non_commitments"} <= set(defs["DocumentFile"]["properties"])
    assert "summary_sources" in defs["CityFile"]["properties"]
    assert {"basis", "reason", "source"} <= set(defs["Period"]["properties"])
    assert "nearly" in json.dumps(target["qualifier"]) and "at-most" in json.dumps(target["qualifier"])


@pytest.mark.parametrize("model, described, derived", [
    (Measure, MEASURE_FIELDS, {"amount_text", "valid_until", "url", "also_url"}),
    (Target, TARGET_FIELDS, {"value_text", "url", "also_url"}),
    (Document, DOCUMENT_FIELDS, {"past_period", "measures", "targets", "url", "source_text"}),
])
def test_every_published_field_is_a_documented_column(model, described, derived):
    """A field published with column() and the documented column list are the same set."""
    assert set(column_names(model)) | derived == {name for name, _ in described}


def test_csv_joins_numbers_with_semicolons_and_text_one_item_a_line():
    rows = [{"tiers_yuan": [1000000, 2000000], "also_quote": ["a;b", "c"], "quantity_min": [None, 3]}]
    fields = (("tiers_yuan", ""), ("also_quote", ""), ("quantity_min", ""))
    table = list(csv.reader(io.StringIO(to_csv(rows, fields).decode("utf-8-sig"))))
    assert table[1] == ["1000000;2000000", "a;b\nc", ";3"]


# --- pages show the new fields -------------------------------------------------------------------------


def test_pages_show_sources_thresholds_other_citations_and_non_commitments(content, tmp_path):
    from site_gen.build import build_site
    from site_gen.config import BuildConfig
    from tests.conftest import TEMPLATES

    add_text(content, "附件2\n对单笔技术合同额50万元(含)以上的项目给予10万元后补助。\n一些发达国家实施工业4.0战略。\n"
                      "附件3\n新增高新技术企业300家。\n")
    content.replace(DOC, "measures:\n", """non_commitments:
  - reason: “工业4.0”是国外战略的名称，不是目标
    source:
      locator: 附件2
      quote: 一些发达国家实施工业4.0战略
measures:
""" + THRESHOLD)
    content.replace(DOC, "      quote: 到2025年,…高新技术企业达到300家\n", "      quote: 到2025年,…高新技术企业达到300家\n"
                    "    also_cited:\n      - locator: 附件3\n        quote: 新增高新技术企业300家\n")
    content.replace(DOC, "period:\n  start: 2022\n  end: 2025\n",
                    "period:\n  start: 2022\n  end: 2025\n  basis: inferred\n  reason: 起始年份取印发年份\n")
    out = tmp_path / "output"
    build_site(BuildConfig(content_dir=content.root, out_dir=out, templates_dir=TEMPLATES, today=TODAY, search=False))
    page = (out / "documents/shili-2022-measures/index.html").read_text(encoding="utf-8")
    assert "门槛</dt><dd>单笔技术合同额：50万元以上" in page
    assert "数量</dt><dd>免费入住期限：3年" in page
    assert "原文中不是目标的数字（1 处）" in page and "“工业4.0”是国外战略的名称，不是目标" in page
    assert "另见：附件3" in page and "新增高新技术企业300家</p>" in page
    assert "摘要依据的原文段落（1 处）" in page
    assert "2022年—2025年（推定：起始年份取印发年份）" in page
    city = (out / "cities/shili/index.html").read_text(encoding="utf-8")
    assert "摘要依据的原文段落（1 处）" in city
