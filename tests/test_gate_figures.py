"""The gate for figures and attribution: nothing shown on a record escapes its quote.

Each case is content an outside contributor could send in a pull request;
each was accepted and published before these checks existed.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from site_gen.build import load_site
from site_gen.figures import find_figures
from tests.conftest import CITY, DOC, ContentTree, record
from tests.test_validation import doc_path, problems


def refused(content: ContentTree, *expected: str) -> list[str]:
    """The problems of ``content``; each expected fragment is in one of them."""
    found = problems(content)
    for fragment in expected:
        assert any(fragment in line for line in found), (fragment, found)
    record("hostile corpus: figure, unit and attribution cases refused")
    return found


# --- figures in a record's own words ------------------------------------------------


def test_benefit_with_a_figure_its_quote_lacks(content):
    content.replace(DOC, "benefit: 免费入住人才公寓三年", "benefit: 免费入住人才公寓三年，一次性补贴500万元")
    found = refused(content, "measures[4].amount.benefit: states 500万元, which none of the record's quotes contains")
    assert found[0].startswith(f"{doc_path(content)}:")


@pytest.mark.parametrize("field, line", [
    ("title", "    title: 人才创业启动资金\n"),
    ("note", "    title: 人才创业启动资金\n    note: 另有3年免租\n"),
    ("conditions", "    title: 人才创业启动资金\n    conditions: 落户满2年\n"),
    ("beneficiaries", "    title: 人才创业启动资金\n    beneficiaries: 500名高层次人才\n"),
])
def test_figure_in_any_shown_field_must_be_quoted(content, field, line):
    new = line.replace("人才创业启动资金\n", "人才创业启动资金（每年5次）\n") if field == "title" else line
    content.replace(DOC, "    title: 人才创业启动资金\n", new)
    refused(content, f"measures[2].{field}: states ")


def test_chinese_numeral_in_a_title_counts(content):
    content.replace(DOC, "    title: 人才公寓\n", "    title: 人才公寓（五年内）\n")
    refused(content, "measures[4].title: states 五年, which none of the record's quotes contains")


def test_chinese_numeral_in_a_quote_must_be_captured(content):
    content.replace(DOC, "benefit: 免费入住人才公寓三年", "benefit: 免费入住人才公寓")
    content.replace(DOC, "    quantities: [{what: 免费入住期限, value: 3, unit: 年}]\n", "")
    refused(content, "measures[4].source.quote: quote has 三年 that the record does not capture")


def test_a_second_cited_quote_may_hold_the_figure(content):
    content.write("sources/shili-2022-measures.txt", content.read("sources/shili-2022-measures.txt")
                  + "附件2\n申请人须落户满2年。\n")
    content.replace(DOC, "    title: 人才创业启动资金\n", "    title: 人才创业启动资金\n    conditions: 落户满2年\n"
                    "    thresholds: [{what: 落户年限, value: 2, unit: 年, qualifier: at-least}]\n")
    content.replace(DOC, "      quote: 给予最低20万元、最高80万元启动资金\n",
                    "      quote: 给予最低20万元、最高80万元启动资金\n    conditions_source:\n"
                    "      locator: 附件2\n      quote: 申请人须落户满2年\n")
    assert load_site(content.root).document("shili-2022-measures").measures[2].conditions == "落户满2年"


# --- units are compared, not only digits ------------------------------------------------


def test_target_unit_changed(content):
    content.replace(DOC, "    value: 300\n    unit: 家\n", "    value: 300\n    unit: 个\n")
    refused(content, "targets[1].source.quote: quote does not contain 300个",
            "targets[1].source.quote: quote has 300家 that the record does not capture")


def test_area_unit_changed_from_mu_to_square_metres(content):
    content.write("sources/shili-2022-measures.txt", content.read("sources/shili-2022-measures.txt")
                  + "附件2\n到2025年,科技园区面积达到10万亩。\n")
    target = """  - id: park-area
    metric: other
    label: 科技园区面积
    value: 10
    unit: 万亩
    year: 2025
    source:
      locator: 附件2
      quote: 到2025年,科技园区面积达到10万亩
"""
    content.replace(DOC, "targets:\n", "targets:\n" + target)
    load_site(content.root)  # as written, it validates
    content.replace(DOC, "    unit: 万亩\n", "    unit: 万平方米\n")
    refused(content, "quote does not contain 10万平方米", "quote has 10万亩 that the record does not capture")


def test_validity_years_must_be_in_its_quote(content):
    content.replace(DOC, "      years: 3\n", "      years: 4\n")
    refused(content, "parts[0].valid_for.source.quote: quote does not contain 4年")


# --- quotes that identify nothing, or hide a figure ---------------------------------------


@pytest.mark.parametrize("quote", ["'，'", "的", "'…'", "省级…的…50万元奖励", "'  。 '"])
def test_quote_too_short_to_identify_a_passage(content, quote):
    content.replace(DOC, "      quote: 省级给予50万元奖励\n", f"      quote: {quote}\n")
    refused(content, "measures[1].source.quote: quote")
    assert "too short" in " ".join(problems(content))


@pytest.mark.parametrize("quote, value", [
    ("省级给予…万元奖励", "50万元"),   # the ellipsis hides the number
    ("省级给予5…万元奖励", "50万元"),  # … cuts the number
    ("省级给予5", "5"),                # the quote's edge cuts the number
])
def test_quote_that_cuts_a_figure(content, quote, value):
    content.replace(DOC, "      quote: 省级给予50万元奖励\n", f"      quote: {quote}\n")
    content.replace(DOC, "      value: 50万元\n", f"      value: {value}\n") if value != "50万元" else None
    refused(content, "measures[1].source.quote: quote cuts the figure 50万元 of the text")


# --- a record's city follows its document --------------------------------------------------

OTHER_CITY = """\
slug: qita
name: 其他市
name_en: Qita
code: 219800
zones:
  - id: qita-hitech
    name: 其他高新技术产业开发区
    short_name: 其他高新区
    level: provincial
    source:
      document: shili-2022-measures
      locator: 文首
      quote: 示例市人民政府
summary_sources:
  - document: shili-2022-measures
    locator: 文首
    quote: 示例市人民政府
"""


@pytest.fixture
def two_cities(content: ContentTree) -> ContentTree:
    content.write("cities/qita/city.yaml", OTHER_CITY)
    content.write("cities/qita/city.md", "其他市。\n")
    return content


def test_city_document_cannot_publish_on_another_citys_page(two_cities):
    two_cities.replace(DOC, "    title: 新认定国家级孵化器奖励\n", "    title: 新认定国家级孵化器奖励\n    city: qita\n")
    refused(two_cities, "measures[0].city: city 'qita' differs from the document's city 'shili'")


def test_city_document_cannot_name_another_citys_zone(two_cities):
    two_cities.replace(DOC, "    title: 新认定国家级孵化器奖励\n", "    title: 新认定国家级孵化器奖励\n    zone: qita-hitech\n")
    refused(two_cities, "measures[0].zone: zone 'qita-hitech' not found in shili (it belongs to qita)")


def test_provincial_document_attributes_only_with_the_owning_citys_zone(two_cities):
    two_cities.replace(CITY, "code: 219900\n", "code: 219900\nkind: province\n")
    two_cities.replace(DOC, "    title: 新认定国家级孵化器奖励\n",
                       "    title: 新认定国家级孵化器奖励\n    city: qita\n    zone: qita-hitech\n")
    measure = load_site(two_cities.root).document("shili-2022-measures").measures[0]
    assert (measure.city, measure.zone) == ("qita", "qita-hitech")
    two_cities.replace(DOC, "    zone: qita-hitech\n", "")
    refused(two_cities, "measures[0].city: city 'qita' is named without one of its zones")
    two_cities.replace(DOC, "    city: qita\n", "    city: qita\n    zone: shili-hitech\n")
    refused(two_cities, "measures[0].city: city 'qita' is named without one of its zones")


# --- reading figures -----------------------------------------------------------------------


@pytest.mark.parametrize("text, expected", [
    ("一到两个产业链条", [("1", "个"), ("2", "个")]),
    ("五年内实现排名全国中游", [("5", "年")]),
    ("设立三只基金", [("3", "只")]),
    ("引进一家运营机构", [("1", "家")]),
    ("1—2场", [("1", "场"), ("2", "场")]),
    ("3-5年", [("3", "年"), ("5", "年")]),
    ("建设1.6万平方米的人才服务大厦", [("16000", "平方米")]),
    ("“十三五”期间", []), ("一人一策", []), ("一次性补贴", []), ("第一阶段", []),
    ("统一进行", []), ("一批企业", []), ("见附件2第7行", []), ("三/(四)/3 再次提出", []),
])
def test_find_figures_reads_chinese_numerals_and_units(text, expected):
    assert [(format(f.value, "f"), f.unit) for f in find_figures(text)] == [
        (format(Decimal(v), "f"), u) for v, u in expected]
