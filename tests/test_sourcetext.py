"""Section paths, anchors and quote lookup in archived texts."""

from __future__ import annotations

from site_gen.sourcetext import chinese_numeral, find_quote, locator_exists, parse_source_text

TEXT = """\
标题行
一、总体要求
总体要求的正文。
(一)第一节
1.第一条,给予50万元。
2.第二条。
(1)第二条的细目。
二、保障措施
附件1
某某办法
一、适用范围
1.附件里的第一条。
专栏3 专栏文字
"""


def paths(text: str = TEXT) -> list[tuple[str, str]]:
    return [(p.locator, p.anchor) for p in parse_source_text("d", text).paragraphs]


def test_numbered_sections_nest():
    source = parse_source_text("d", TEXT)
    assert [p.locator for p in source.paragraphs] == [
        "文首", "一", "一", "一/(一)", "一/(一)/1", "一/(一)/2", "一/(一)/2/(1)", "二",
        "附件1", "附件1", "附件1/一", "附件1/一/1", "附件1/一/1/专栏3",
    ]


def test_numbered_paragraph_anchor_comes_from_its_path():
    anchors = dict((p.text, p.anchor) for p in parse_source_text("d", TEXT).paragraphs)
    assert anchors["1.第一条,给予50万元。"] == "p-1-s1-1"
    assert anchors["1.附件里的第一条。"] == "p-fj1-1-1"
    assert anchors["(1)第二条的细目。"] == "p-1-s1-2-i1"


def test_anchors_are_unique():
    anchors = [a for _, a in paths(TEXT + "二、保障措施\n二、保障措施\n")]
    assert len(anchors) == len(set(anchors))


def test_anchor_of_a_paragraph_survives_unrelated_edits():
    before = {p.text: p.anchor for p in parse_source_text("d", TEXT).paragraphs}
    edited = TEXT.replace("总体要求的正文。", "总体要求的正文。\n新插入的一段。").replace("标题行", "改过的标题行")
    after = {p.text: p.anchor for p in parse_source_text("d", edited).paragraphs}
    for text, anchor in before.items():
        if text in after:
            assert after[text] == anchor, text


def test_short_heading_lines_count_only_without_paren_sections():
    numbered = "一、甲\n(一)乙\n本措施由市科技局负责解释。\n"
    assert [p.locator for p in parse_source_text("d", numbered).paragraphs] == ["一", "一/(一)", "一/(一)"]
    unnumbered = "一、甲\n发展基础。\n1.第一条。\n"
    assert [p.locator for p in parse_source_text("d", unnumbered).paragraphs] == ["一", "一/发展基础", "一/发展基础/1"]


def test_table_rows_are_items():
    text = "附件2\n序号｜任务｜时限\n1｜鼓励孵化｜12月31日\n2｜引进机构｜长期推进\n"
    assert [p.locator for p in parse_source_text("d", text).paragraphs] == ["附件2", "附件2", "附件2/1", "附件2/2"]


def test_locator_may_skip_levels_and_ignores_width():
    source = parse_source_text("d", TEXT)
    assert locator_exists(source, "一/(一)/1")
    assert locator_exists(source, "一/1")
    assert locator_exists(source, "（一）")
    assert locator_exists(source, "专栏3")
    assert not locator_exists(source, "三")


def test_quote_is_found_in_one_paragraph_with_ellipsis():
    source = parse_source_text("d", TEXT)
    assert find_quote(source, "一/(一)/1", "第一条,…50万元").anchor == "p-1-s1-1"
    assert find_quote(source, "一/(一)/1", "第一条，给予50万元") is not None  # full-width comma
    assert find_quote(source, "一/(一)/2", "给予50万元") is None  # right words, wrong section
    assert find_quote(source, "一", "给予50万元…第一条") is None  # pieces out of order


def test_chinese_numerals():
    assert [chinese_numeral(x) for x in ("一", "九", "十", "十二", "二十", "二十一")] == [1, 9, 10, 12, 20, 21]


def test_item_followed_by_a_year_is_still_an_item():
    text = "二、工作目标\n1.“十四五”工作目标:达到20家。\n2.2021年工作目标:建设10家。\n3.1.5亿元不是条目。\n"
    assert [p.locator for p in parse_source_text("d", text).paragraphs] == ["二", "二/1", "二/2", "二/2"]
    assert parse_source_text("d", "1.5亿元的基金\n").paragraphs[0].locator == "文首"


def test_a_line_that_only_looks_numbered_opens_no_section():
    """十十、 or (一二) is no numeral: such a line is plain text, not a crash in chinese_numeral."""
    text = "一、甲\n十十、乙\n(一二)丙\n二十一、丁\n(二十)戊\n"
    assert [p.locator for p in parse_source_text("d", text).paragraphs] == [
        "一", "一", "一", "二十一", "二十一/(二十)"]
