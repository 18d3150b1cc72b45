"""English fields written by editors: read, kept on the records, refused when they are not English."""

from __future__ import annotations

from site_gen.build import load_site
from tests.conftest import DOC
from tests.test_validation import doc_path, problems


def test_english_title_and_summaries_reach_the_records(content):
    content.replace(DOC, "    title: 新认定国家级孵化器奖励\n",
                    "    title: 新认定国家级孵化器奖励\n    title_en: Award for a new national incubator\n")
    content.write("cities/shili/city.en.md", "Shili is the fixture city.\n")
    content.write(DOC.removesuffix(".yaml") + ".en.md", "The fixture document.\n")
    site = load_site(content.root)
    document = site.document("shili-2022-measures")
    assert document.measures[0].title_en == "Award for a new national incubator"
    assert document.summary_markdown_en == "The fixture document.\n"
    assert site.cities[0].summary_markdown_en == "Shili is the fixture city.\n"


def test_chinese_in_an_english_field_is_refused_at_its_line(content):
    content.replace(DOC, "    title: 新认定国家级孵化器奖励\n",
                    "    title: 新认定国家级孵化器奖励\n    title_en: 国家级孵化器 award\n")
    (problem,) = problems(content)
    assert problem.startswith(f"{doc_path(content)}:24:") and "measures[0].title_en" in problem
    assert "expected English, found '国'" in problem


def test_an_english_summary_without_its_yaml_is_unexpected(content):
    content.write("cities/shili/documents/other.en.md", "Stray.\n")
    (problem,) = problems(content)
    assert "other.en.md" in problem and "unexpected file" in problem


def _cite_award(content) -> None:
    content.replace(DOC, "summary_sources:\n", "summary_sources:\n  - locator: 二/1\n"
                    "    quote: 对新认定的国家级科技企业孵化器给予100万元奖励\n")


def test_english_summary_figures_are_checked_against_the_cited_quotes(content):
    _cite_award(content)
    summary = DOC.removesuffix(".yaml") + ".en.md"
    content.write(summary, "A new national-level incubator receives CNY 1 million.\n")
    load_site(content.root)  # 100万元 is CNY 1 million
    content.write(summary, "A new national-level incubator receives CNY 2 million, or 2.5% of it.\n")
    found = problems(content)
    assert [p.split(": summary: ")[1].split(",")[0] for p in found] == [
        "states CNY 2 million", "states 2.5%"]
    assert all(p.startswith(f"{content.path(summary).as_posix()}:1:") for p in found)


def test_english_summary_money_must_be_written_in_cny(content):
    _cite_award(content)
    summary = DOC.removesuffix(".yaml") + ".en.md"
    content.write(summary, "A new national-level incubator receives 1 million yuan.\n")
    (problem,) = problems(content)
    assert "money written with 'yuan'" in problem and ":1:51:" in problem
