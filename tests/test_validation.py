"""Each kind of bad content gives one precise line: file:line:col: field: message."""

from __future__ import annotations

import pytest

from site_gen.build import load_site
from site_gen.errors import ContentError
from tests.conftest import CITY, DOC, ContentTree


def problems(content: ContentTree) -> list[str]:
    with pytest.raises(ContentError) as caught:
        load_site(content.root)
    return [str(p) for p in caught.value.problems]


def doc_path(content: ContentTree) -> str:
    return content.path(DOC).as_posix()


def test_fixture_is_valid(content):
    site = load_site(content.root)
    assert [c.slug for c in site.cities] == ["shili"]
    assert len(site.measures) == 5 and len(site.targets) == 2


def test_unknown_field_is_reported_at_the_key_with_a_suggestion(content):
    content.replace(DOC, "    title: 新认定国家级孵化器奖励\n", "    title: 新认定国家级孵化器奖励\n    benefciaries: 孵化器\n")
    assert problems(content) == [
        f"{doc_path(content)}:24:5: measures[0].benefciaries: unknown field 'benefciaries' "
        "(expected one of: id, category, kind, title, title_en, beneficiaries, conditions, level, amount, "
        "city, zone, district, note, source, conditions_source, quantities, thresholds, also_cited; "
        "did you mean 'beneficiaries'?)"
    ]


def test_wrong_type(content):
    content.replace(DOC, "    value: 300\n", "    value: 三百\n")
    assert problems(content) == [
        f"{doc_path(content)}:86:12: targets[1].value: '三百' is not a number "
        "(expected a number, or an amount such as 21亿元)"
    ]


def test_bad_date(content):
    content.replace(DOC, "issued: 2022-03-01", "issued: 2022-02-30")
    assert problems(content) == [
        f"{doc_path(content)}:6:9: issued: '2022-02-30' is not a valid date (expected YYYY-MM-DD, or unknown)"
    ]


def test_unknown_date_is_accepted_and_kept_unknown(content):
    content.replace(DOC, "issued: 2022-03-01", "issued: unknown")
    document = load_site(content.root).document("shili-2022-measures")
    assert document.issued is None


def test_duplicate_measure_id(content):
    content.replace(DOC, "  - id: incubator-provincial", "  - id: incubator-national")
    assert problems(content) == [
        f"{doc_path(content)}:30:9: measures[1].id: duplicate id 'incubator-national' "
        "(expected unique ids in measures; first at measures[0])"
    ]


def test_duplicate_document_id_across_cities(content):
    content.write("cities/other/city.yaml", "slug: other\nname: 另一市\nname_en: Other\n"
                  "summary_sources:\n  - document: shili-2022-measures\n    locator: 文首\n    quote: 示例市人民政府\n")
    content.write("cities/other/city.md", "另一个城市。\n")
    content.write("cities/other/documents/shili-2022-measures.yaml", content.read(DOC))
    content.write("cities/other/documents/shili-2022-measures.md", "重复。\n")
    found = problems(content)
    assert found == [
        f"{content.path('cities/shili/documents/shili-2022-measures.yaml').as_posix()}:1:5: id: duplicate document id "
        f"'shili-2022-measures' (expected unique ids; also in "
        f"{content.path('cities/other/documents/shili-2022-measures.yaml').as_posix()})"
    ]


def test_reference_to_missing_document(content):
    content.replace(CITY, "      document: shili-2022-measures\n      locator: 文首", "      document: shili-2099-plan\n      locator: 文首")
    assert problems(content) == [
        f"{content.path(CITY).as_posix()}:11:17: zones[0].source.document: document 'shili-2099-plan' not found "
        "(expected the id of a document under content/cities/*/documents/)"
    ]


def test_reference_to_missing_city(content):
    content.replace(DOC, "    level: national\n", "    level: national\n    city: nowhere\n")
    assert problems(content) == [
        f"{doc_path(content)}:23:11: measures[0].city: city 'nowhere' not found (expected one of: shili)"
    ]


def test_reference_to_missing_zone(content):
    content.replace(DOC, "    level: national\n", "    level: national\n    zone: shili-park\n")
    assert problems(content) == [
        f"{doc_path(content)}:23:11: measures[0].zone: zone 'shili-park' not found in shili "
        "(expected one of: shili-hitech)"
    ]


def test_amount_that_does_not_parse(content):
    content.replace(DOC, "      value: 100万元", "      value: 一百万")
    assert problems(content) == [
        f"{doc_path(content)}:26:14: measures[0].amount.value: '一百万' is not an amount "
        "(expected a number with 元, 万元 or 亿元, such as 50万元)"
    ]


def test_amount_range_upside_down(content):
    content.replace(DOC, "      min: 20万元\n      max: 80万元", "      min: 80万元\n      max: 20万元")
    assert problems(content) == [
        f"{doc_path(content)}:46:7: measures[2].amount: min must be less than max"
    ]


def test_amount_kind_unknown(content):
    content.replace(DOC, "      kind: fixed\n      value: 100万元", "      kind: lump-sum\n      value: 100万元")
    assert problems(content) == [
        f"{doc_path(content)}:25:7: measures[0].amount: kind 'lump-sum' is not known (expected one of: "
        "fixed, range, tiers, percent, per-unit, benefit, unstated)"
    ]


def test_amount_field_that_belongs_to_another_kind(content):
    content.replace(DOC, "      value: 100万元", "      value: 100万元\n      cap: 200万元")
    assert problems(content) == [
        f"{doc_path(content)}:27:7: measures[0].amount.cap: unknown field 'cap' (expected one of: kind, value)"
    ]


def test_kind_outside_its_category(content):
    content.replace(DOC, "    category: incubator\n    kind: incubator-recognition\n    level: national",
                    "    category: talent\n    kind: incubator-recognition\n    level: national")
    assert problems(content) == [
        f"{doc_path(content)}:19:5: measures[0]: kind 'incubator-recognition' belongs to category "
        "'incubator', not 'talent'"
    ]


def test_unknown_vocabulary_term_suggests_the_close_one(content):
    content.replace(DOC, "    metric: hte-count", "    metric: hte-cuont")
    found = problems(content)
    assert len(found) == 1
    assert found[0].startswith(f"{doc_path(content)}:85:13: targets[1].metric: 'hte-cuont' is not allowed (expected one of: rd-intensity, ")
    assert found[0].endswith("; did you mean 'hte-count'?)")


def test_missing_required_field(content):
    content.replace(DOC, "    title: 新认定国家级孵化器奖励\n", "")
    assert problems(content) == [f"{doc_path(content)}:19:5: measures[0].title: missing (required field)"]


def test_id_must_be_a_safe_slug(content):
    content.replace(DOC, "  - id: incubator-national", "  - id: ../../etc")
    assert problems(content) == [
        f"{doc_path(content)}:19:9: measures[0].id: '../../etc' is not a valid id (expected lower-case "
        "ASCII letters and digits joined by single hyphens, e.g. jinzhou-2021-action-plan)"
    ]


def test_city_slug_must_match_its_folder(content):
    content.replace(CITY, "slug: shili", "slug: shi-li")
    assert problems(content) == [
        f"{content.path(CITY).as_posix()}:1:7: slug: slug 'shi-li' does not match its folder (expected 'shili', the folder name)"
    ]


def test_missing_summary(content):
    content.path("cities/shili/documents/shili-2022-measures.md").unlink()
    assert problems(content) == [
        f"{content.path('cities/shili/documents/shili-2022-measures.md').as_posix()}:1:1: file: "
        "missing summary (expected a Markdown file beside the YAML)"
    ]


def test_unexpected_file_is_reported(content):
    content.write("cities/shili/city.yml", "slug: shili\n")
    assert problems(content) == [
        f"{content.path('cities/shili/city.yml').as_posix()}:1:1: file: unexpected file "
        "(expected city.yaml, city.md, city.en.md or documents/)"
    ]


def test_editors_backups_and_temporary_files_are_left_out(content):
    for name in ("city.yaml~", "#city.md#", "flycheck_city.yaml", ".city.yaml.swp"):
        content.write(f"cities/shili/{name}", "slug: [broken\n")
    content.write("cities/shili/documents/shili-2022-measures.yaml~", "issued: [\n")
    content.write("site.yaml~", "title: [\n")
    site = load_site(content.root)  # valid: none of them was read
    assert [c.slug for c in site.cities] == ["shili"]
    content.write("cities/shili/city.yaml.bak", "slug: shili\n")  # not a name editors leave behind unasked
    assert [p.split(": ", 1)[0] for p in problems(content)] == [f"{content.path('cities/shili/city.yaml.bak').as_posix()}:1:1"]


def test_all_problems_are_reported_in_one_run(content):
    content.replace(DOC, "issued: 2022-03-01", "issued: 2022-13-01")
    content.replace(DOC, "    metric: hte-count", "    metric: nope")
    content.replace(CITY, "name_en: Shili", "name_en: 示例")
    found = problems(content)
    assert len(found) == 3
    assert [p.split(": ")[1] for p in found] == ["name_en", "issued", "targets[1].metric"]
