"""Citations are checked against the archived text, figure by figure."""

from __future__ import annotations

from site_gen.build import load_site
from site_gen.figures import find_figures
from site_gen.load import load_content
from site_gen.validate import validate
from site_gen.validate.provenance import check_figures, measure_check, target_check
from tests.conftest import DOC, REAL_CONTENT
from tests.test_validation import doc_path, problems


def test_citation_resolves_to_the_paragraph(content):
    site = load_site(content.root)
    measure = site.document("shili-2022-measures").measures[0]
    assert measure.source.section == "二/1"
    assert measure.source.anchor == "p-2-1"


def test_locator_not_in_text(content):
    content.replace(DOC, "      locator: 二/2\n", "      locator: 三/2\n")
    assert problems(content) == [
        f"{doc_path(content)}:50:16: measures[2].source.locator: section '三/2' not found in shili-2022-measures "
        "(expected a section path such as 附件3/三/6, 二/(一)/1, 专栏8 or 文首; each paragraph's path is shown on the document page)"
    ]


def test_quote_not_in_section(content):
    content.replace(DOC, "给予最低20万元、最高80万元启动资金", "给予最低20万元、最高90万元启动资金")
    assert problems(content) == [
        f"{doc_path(content)}:51:14: measures[2].source.quote: quote not found in section '二/2' of "
        "shili-2022-measures (expected words copied from one paragraph of that section; … may skip words)"
    ]


def test_quote_right_words_wrong_section(content):
    content.replace(DOC, "      locator: 二/1\n      quote: 省级给予50万元奖励", "      locator: 二/2\n      quote: 省级给予50万元奖励")
    assert "measures[1].source.quote: quote not found in section '二/2'" in problems(content)[0]


def test_record_figure_missing_from_quote(content):
    content.replace(DOC, "      value: 50万元", "      value: 60万元")
    assert problems(content) == [
        f"{doc_path(content)}:40:14: measures[1].source.quote: quote does not contain 60万元 "
        "(expected every figure of the record in its quote)",
        f"{doc_path(content)}:40:14: measures[1].source.quote: quote has 50万元 that the record does not capture "
        "(expected it in the amount, value, year, horizon, quantities or thresholds; a name or a date in the "
        "title, conditions or note)",
    ]


def test_target_year_must_be_in_quote(content):
    content.replace(DOC, "    year: 2025\n    source:\n      locator: 一\n      quote: 到2025年,全社会", "    year: 2026\n    source:\n      locator: 一\n      quote: 到2025年,全社会")
    found = problems(content)
    assert any("quote does not contain 2026" in p for p in found)
    assert any("quote has 2025年 that the record does not capture" in p for p in found)


def test_a_threshold_holds_a_figure_of_the_conditions_as_a_number():
    """毕业2年内 in the conditions is shown, so it is checked; as a number it goes in thresholds."""
    from site_gen.records import Measure

    measure = Measure.model_validate({
        "id": "x", "category": "incubator", "title": "奖励", "conditions": "毕业2年内",
        "thresholds": [{"what": "毕业后的时间", "value": 2, "unit": "年", "qualifier": "at-most"}],
        "amount": {"kind": "per-unit", "value": "5万元", "per": "每认定一家"},
        "source": {"locator": "一", "quote": "毕业2年内企业,每认定一家给予5万元"},
    })
    assert check_figures(measure.source.quote, measure_check(measure, "source")) == []
    words_only = measure.model_copy(update={"thresholds": []})
    assert check_figures(words_only.source.quote, measure_check(words_only, "source")) == [
        "quote has 2年 that the record states only in its words (expected it as a number: in the amount, "
        "value, year, horizon, quantities or thresholds)"
    ]
    bare = words_only.model_copy(update={"conditions": None})
    assert check_figures(bare.source.quote, measure_check(bare, "source")) == [
        "quote has 2年 that the record does not capture (expected it in the amount, value, year, horizon, "
        "quantities or thresholds; a name or a date in the title, conditions or note)"
    ]


def test_every_figure_in_every_real_quote_is_held_as_a_number():
    """The published content: no quote carries a number its record dropped or kept only as words."""
    content = validate(load_content(REAL_CONTENT))
    checked = 0
    for document in content.documents:
        for record in (*document.measures, *document.targets):
            check = measure_check if hasattr(record, "amount") else target_check
            for name, refs in (("source", [record.source]), ("also_cited", record.also_cited)):
                for ref in refs:
                    assert check_figures(ref.quote, check(record, name)) == [], (document.id, record.id)
                    checked += len(find_figures(ref.quote))
    assert checked > 300


def test_year_may_be_cited_from_a_table_title(content):
    content.write("sources/shili-2022-measures.txt", content.read("sources/shili-2022-measures.txt")
                  + "附件2\n2021年重点任务表\n序号｜任务｜目标\n1｜孵化｜新增孵化器2家\n")
    content.replace(DOC, "targets:\n", """targets:
  - id: table-row
    metric: incubator-count
    value: 2
    unit: 家
    year: 2021
    basis: new
    source:
      locator: 附件2/1
      quote: 新增孵化器2家
    year_source:
      locator: 附件2
      quote: 2021年重点任务表
""")
    target = load_site(content.root).document("shili-2022-measures").targets[0]
    assert target.year == 2021 and target.year_source.section == "附件2"
    content.replace(DOC, "      quote: 2021年重点任务表", "      quote: 重点任务表")
    assert "targets[0].year_source.quote: quote does not contain 2021" in problems(content)[0]
