"""One definition of each record, and comparison tables as data.

* Every field of a measure, target and document reaches the model, the page
  and the open data: a field added to :mod:`site_gen.records` alone fails here.
* A comparison table is one registered entry (plus, if it wants, a template
  block): derive builds it, render draws it, and the about page, the
  comparison hub and the sitemap list it.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import shutil
from pathlib import Path
from typing import Any, get_args

import pytest

from site_gen.build import build_site, load_site
from site_gen.config import BuildConfig
from site_gen.derive.opendata import DOCUMENT_FIELDS, MEASURE_FIELDS, TARGET_FIELDS, record_columns
from site_gen.derive.tables import AMOUNT_NOTE, TABLES, OfferTable
from site_gen.records import AMOUNT_KINDS, Document, Measure, Record, SourceRef, Target, field_column
from tests.conftest import DOC, TEMPLATES, ContentTree

TODAY = dt.date(2026, 11, 23)

# Fields that reach open data as another column, or not at all, and why.
NOT_COLUMNS = {
    (Measure, "city"): "published as the resolved city (column city)",
    (Target, "city"): "published as the resolved city (column city)",
    (SourceRef, "document"): "published as the resolved quote_document",
    (SourceRef, "locator"): "published as the resolved full section path (column locator)",
    (SourceRef, "anchor"): "published inside the url column",
    (Document, "parts"): "attachments are shown on the document page; their validity reaches each measure's valid_until",
    (Document, "measures"): "published as measures.json, counted in the measures column",
    (Document, "targets"): "published as targets.json, counted in the targets column",
    (Document, "summary_markdown"): "our prose, shown on the page",
    (Document, "summary_markdown_en"): "our English prose, shown on the English page",
    (Document, "source_text"): "published as data/sources/<id>.txt (column source_text)",
    (Document, "summary_sources"): "the paragraphs our summary draws on, listed under it on the page",
    (Document, "non_commitments"): "numbers of the text that are not goals, listed on the document page",
}


def _records_in(annotation: Any) -> list[type[Record]]:
    """The record types an annotation holds (``SourceRef | None``, ``list[Part]``, an amount union)."""
    if isinstance(annotation, type) and issubclass(annotation, Record):
        return [annotation]
    return [record for arg in get_args(annotation) for record in _records_in(arg)]


def published_fields(model: type[Record], prefix: str = "") -> dict[str, str]:
    """column -> the field it comes from, for ``model`` and the records nested in it."""
    out = {}
    for name, info in model.model_fields.items():
        column = field_column(info)
        nested = _records_in(info.annotation)
        if (model, name) in NOT_COLUMNS:
            continue
        assert column is not None, f"{model.__name__}.{name} declares no open-data column"
        if nested:
            for record in nested:
                out.update(published_fields(record, prefix + column))
        else:
            out[prefix + column] = f"{model.__name__}.{name}"
    return out


@pytest.mark.parametrize("model, described", [
    (Measure, MEASURE_FIELDS), (Target, TARGET_FIELDS), (Document, DOCUMENT_FIELDS),
])
def test_every_field_has_a_documented_column(model, described):
    documented = {name for name, _ in described}
    columns = published_fields(model)
    assert set(columns) <= documented, f"columns without a description: {sorted(set(columns) - documented)}"


def test_every_amount_kind_is_published():
    columns = {c for kind in AMOUNT_KINDS for c in published_fields(kind)}
    assert columns <= {name for name, _ in MEASURE_FIELDS}


# --- a value in every field reaches the model, the page and the open data ------------------

MEASURE_WITH_EVERY_FIELD = """\
  - id: every-field
    category: talent
    kind: talent-startup
    level: national
    title: 字段测试措施
    title_en: Field test measure
    beneficiaries: 字段测试对象
    conditions: 字段测试条件
    district: 字段测试县
    note: 字段测试说明
    amount:
      kind: range
      min: 20万元
      max: 80万元
    source:
      locator: 二/2
      quote: 给予最低20万元、最高80万元启动资金
    conditions_source:
      locator: 附件2
      quote: 字段测试条件的原文
"""

TARGET_WITH_EVERY_FIELD = """\
  - id: every-field
    metric: hte-count
    label: 字段测试指标
    label_en: Field test indicator
    value: 300
    unit: 家
    year: 2025
    qualifier: reach
    basis: new
    scope: whole
    district: 字段测试县
    note: 字段测试目标说明
    source:
      locator: 一
      quote: 高新技术企业达到300家
    year_source:
      locator: 一
      quote: 到2025年
"""


DOCUMENT_SOURCE_FIELDS = "source_url: https://example.org/zwgk/2022/03/field-test.html\nretrieved: 2024-03-05\n"


@pytest.fixture
def every_field(content: ContentTree) -> ContentTree:
    content.write("sources/shili-2022-measures.txt", content.read("sources/shili-2022-measures.txt")
                  + "附件2\n字段测试条件的原文。\n")
    content.replace(DOC, "targets:\n", MEASURE_WITH_EVERY_FIELD + "targets:\n")
    content.replace(DOC, "targets:\n", "targets:\n" + TARGET_WITH_EVERY_FIELD)
    content.replace(DOC, "parts:\n", DOCUMENT_SOURCE_FIELDS + "parts:\n")
    return content


# Fields the every-field test below leaves out, and the test that shows them on a page and in the open data.
SHOWN_BY = {
    "zone": "tests/test_content.py (zone measures on city pages) and the link check",
    "city": "tests/test_gate_figures.py (the provincial document's attributions)",
    "quantities": "tests/test_numbers.py::test_area_quantity_is_shown_and_published",
    "thresholds": "tests/test_numbers.py::test_pages_show_sources_thresholds_other_citations_and_non_commitments",
    "also_cited": "tests/test_numbers.py::test_pages_show_sources_thresholds_other_citations_and_non_commitments",
    "horizon": "tests/test_numbers.py::test_a_horizon_holds_within_three_years",
    "strive": "tests/test_numbers.py::test_strive_and_year_about_are_read_from_the_quote",
    "year_approximate": "tests/test_numbers.py::test_strive_and_year_about_are_read_from_the_quote",
    "min": "tests/test_numbers.py::test_a_range_target_keeps_both_ends",
    "max": "tests/test_numbers.py::test_a_range_target_keeps_both_ends",
}


@pytest.mark.parametrize("model, written", [(Measure, MEASURE_WITH_EVERY_FIELD), (Target, TARGET_WITH_EVERY_FIELD)])
def test_the_every_field_test_writes_every_field(model, written):
    """A new content field fails here until a test shows it on a page and in the open data."""
    keys = {line.split(":")[0].strip() for line in written.splitlines() if line.startswith("    ") and ":" in line
            and not line.startswith("     ")} | {"id"}
    content_fields = set(model.model_fields) - model.resolved_fields
    missing = content_fields - keys - set(SHOWN_BY)
    assert not missing, f"{model.__name__} fields no test writes: {sorted(missing)}"


def _leaf_values(record: Record) -> dict[str, object]:
    """Every content value of a record, by dotted field path (resolved fields too)."""
    out: dict[str, object] = {}
    for name in type(record).model_fields:
        value = getattr(record, name)
        if isinstance(value, Record):
            out.update({f"{name}.{k}": v for k, v in _leaf_values(value).items()})
        elif value is not None:
            out[name] = value
    return out


def test_every_field_reaches_the_model_the_page_and_the_open_data(every_field, tmp_path):
    site = load_site(every_field.root)
    document = site.document("shili-2022-measures")
    measure = next(m for m in document.measures if m.id == "every-field")
    target = next(t for t in document.targets if t.id == "every-field")
    # the model: every field written in the YAML is on the record
    written = {"id", "category", "kind", "level", "title", "title_en", "beneficiaries", "conditions", "district", "note",
               "amount.kind", "amount.min", "amount.max", "source.locator", "source.quote",
               "conditions_source.locator", "conditions_source.quote"}
    assert written <= set(_leaf_values(measure))
    assert measure.conditions_source is not None and measure.conditions_source.anchor
    assert target.year_source is not None and target.year_source.section == "一"

    out = tmp_path / "out"
    build_site(BuildConfig(content_dir=every_field.root, out_dir=out, templates_dir=TEMPLATES, today=TODAY,
                           search=False))
    page = (out / "documents/shili-2022-measures/index.html").read_text(encoding="utf-8")
    for shown in ("字段测试措施", "字段测试对象", "字段测试条件", "字段测试县", "字段测试说明", "最低20万元",
                  "最高80万元", "国家级", "人才引育", "创业启动资金", "给予最低20万元、最高80万元启动资金",
                  "#" + measure.conditions_source.anchor,
                  "字段测试指标", "300家", "2025年", "新增", "字段测试目标说明", "高新技术企业达到300家"):
        assert shown in page, shown
    # the English fields reach the English page: the measure's title and the target's label
    english = (out / "en/documents/shili-2022-measures/index.html").read_text(encoding="utf-8")
    for shown in ("Field test measure", "Field test indicator"):
        assert shown in english, shown

    measures = {r["id"]: r for r in json.loads((out / "data/measures.json").read_text(encoding="utf-8"))}
    row = measures["shili-2022-measures/every-field"]
    for column, expected in record_columns(measure).items():
        if column != "id":
            assert row[column] == expected, column
    assert row["note"] == "字段测试说明" and row["conditions_quote"] == "字段测试条件的原文"
    assert row["min_yuan"] == 200_000 and row["max_yuan"] == 800_000 and row["district"] == "字段测试县"
    targets = {r["id"]: r for r in json.loads((out / "data/targets.json").read_text(encoding="utf-8"))}
    trow = targets["shili-2022-measures/every-field"]
    assert (trow["label"], trow["value"], trow["unit"], trow["year"], trow["qualifier"], trow["basis"],
            trow["note"], trow["year_quote"], trow["label_en"]) == ("字段测试指标", 300, "家", 2025, "reach", "new",
                                                  "字段测试目标说明", "到2025年", "Field test indicator")
    header = next(csv.reader(io.StringIO((out / "data/measures.csv").read_text(encoding="utf-8-sig"))))
    assert header == [name for name, _ in MEASURE_FIELDS]
    assert trow["scope"] == "whole"
    # where the archived text came from and when: on the page and in the open data
    assert document.source_url == "https://example.org/zwgk/2022/03/field-test.html"
    assert document.retrieved == dt.date(2024, 3, 5)
    assert '<a href="https://example.org/zwgk/2022/03/field-test.html" rel="external noopener">example.org</a>' in page
    assert '<time datetime="2024-03-05">2024年3月5日</time>' in page
    documents = {r["id"]: r for r in json.loads((out / "data/documents.json").read_text(encoding="utf-8"))}
    assert (documents["shili-2022-measures"]["source_url"], documents["shili-2022-measures"]["retrieved"]) == (
        "https://example.org/zwgk/2022/03/field-test.html", "2024-03-05")


# --- comparison tables as data -------------------------------------------------------------

EXTRA_TABLE = OfferTable(
    "research-support", "科技攻关支持", "各市对科技攻关项目的支持", AMOUNT_NOTE,
    kinds=("research-project",), template="compare_research.html",
)


def test_a_new_table_is_one_entry_and_its_template_block(real_content_copy, tmp_path):
    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES, templates)
    (templates / "compare_research.html").write_text(
        '{% extends "compare.html" %}{% block table_intro %}<p class="intro" id="research-intro">'
        "科技攻关项目的支持方式</p>{% endblock %}\n", encoding="utf-8")
    out = tmp_path / "out"
    build_site(BuildConfig(content_dir=real_content_copy.root, out_dir=out, templates_dir=templates, today=TODAY,
                           search=False, base_url="https://example.org/policy/"),
               tables=TABLES + (EXTRA_TABLE,))
    page = (out / "compare/research-support/index.html").read_text(encoding="utf-8")
    assert 'id="research-intro"' in page and "科技攻关支持" in page
    assert page.count('<tr id="row-research-project') >= 1
    assert len([th for th in page.split('data-sort="city" data-city="')[1:]]) >= 3  # three cities state one
    assert "compare/research-support/" in (out / "compare/index.html").read_text(encoding="utf-8")
    about = (out / "about/index.html").read_text(encoding="utf-8")
    assert "compare/research-support/" in about and "见“科技攻关支持”比较" in about
    assert "https://example.org/policy/compare/research-support/" in (out / "sitemap.xml").read_text(encoding="utf-8")
    assert (out / "data/compare/research-support.csv").is_file()


def test_without_the_entry_there_is_no_table(real_content_copy, tmp_path):
    out = tmp_path / "out"
    build_site(BuildConfig(content_dir=real_content_copy.root, out_dir=out, templates_dir=TEMPLATES, today=TODAY,
                           search=False), tables=tuple(t for t in TABLES if t.name != "funds"))
    assert not (out / "compare/funds").exists()
    assert "compare/funds/" not in (out / "about/index.html").read_text(encoding="utf-8")
    assert "compare/funds/" not in (out / "index.html").read_text(encoding="utf-8")


def test_a_table_naming_an_unknown_kind_is_refused():
    with pytest.raises(ValueError, match="unknown kinds of offer"):
        OfferTable("x", "x", "x", AMOUNT_NOTE, kinds=("no-such-kind",))


def test_resolved_fields_cannot_be_written_in_content(content):
    from tests.test_validation import problems

    content.replace(DOC, "    title: 新认定国家级孵化器奖励\n", "    title: 新认定国家级孵化器奖励\n    document_id: other\n")
    assert any("field 'document_id' is set by the build" in p for p in problems(content))
    schema = json.dumps(__import__("site_gen.records", fromlist=["x"]).content_json_schema())
    assert "document_id" not in schema and "city_slug" not in schema and '"anchor"' not in schema


def test_a_resolved_copy_is_what_pydantic_copies_and_shares_the_written_fields():
    """``Record.updated`` is ``model_copy(update=…)`` without a new set of written fields per copy."""
    ref = SourceRef.model_validate({"quote": "给予奖励", "locator": "第三条"})
    values = {"document_id": "d", "anchor": "p-3", "section": "第三条"}
    lean, pydantic_copy = ref.resolve(**values), ref.model_copy(update=values)
    assert type(lean) is SourceRef
    assert lean == pydantic_copy and hash(lean) == hash(pydantic_copy)
    assert lean.model_dump() == pydantic_copy.model_dump() and lean.anchor == "p-3"
    assert ref.anchor == "" and ref.model_fields_set == {"quote", "locator"}
    assert lean.model_fields_set is ref.model_fields_set  # shared: the fields the editor wrote
    with pytest.raises(ValueError, match="frozen"):
        lean.anchor = "p-4"
    with pytest.raises(TypeError, match="not resolved fields"):
        ref.resolve(quote="其他")


def test_no_stage_imports_a_later_one():
    """load → validate → model → derive → render → index → write, by import."""
    import ast

    order = ["load", "validate", "model", "derive", "render", "index", "write"]
    root = Path(__file__).resolve().parent.parent / "site_gen"
    for stage in order:
        folder = root / stage
        files = list(folder.rglob("*.py")) if folder.is_dir() else [root / f"{stage}.py"]
        later = order[order.index(stage) + 1:]
        for path in files:
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                names = ([node.module or ""] if isinstance(node, ast.ImportFrom)
                         else [a.name for a in node.names] if isinstance(node, ast.Import) else [])
                for name in names:
                    parts = name.split(".")
                    assert not (parts[0] == "site_gen" and len(parts) > 1 and parts[1] in later), (
                        f"{path.relative_to(root)} ({stage}) imports {name}")
