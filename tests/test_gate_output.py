"""The build as a gate on what it publishes and prints.

* CSV cells that a spreadsheet would run as a formula are neutralised;
* ``--base-url`` is an absolute web address or a usage error;
* HTML ids are unique on every page whatever ids the content uses;
* nothing printed to the terminal carries a raw control character.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from site_gen import vocabulary as vocab
from site_gen.build import build_site
from site_gen.cli import main
from site_gen.config import BuildConfig
from site_gen.derive.opendata import to_table_csv
from tests.conftest import CITY, DOC, SOURCE_TEXT, TEMPLATES, ContentTree, record
from tests.linkcheck import check_site

TODAY = dt.date(2026, 11, 23)


def build(content: ContentTree, out: Path, base_url: str = "") -> Path:
    build_site(BuildConfig(content_dir=content.root, out_dir=out, templates_dir=TEMPLATES,
                           base_url=base_url, today=TODAY, search=False))
    return out


# --- CSV formula injection ------------------------------------------------------

# (file, text in the fixture, replacement): each puts a formula-like value into a field that reaches a CSV.
FORMULA_FIELDS = [
    (DOC, "    title: 新认定国家级孵化器奖励", '    title: "=HYPERLINK(\\"https://evil.example/\\",\\"x\\")"'),
    (DOC, "    title: 人才创业启动资金", '    title: "+cmd|\' /C calc\'!A"\n    beneficiaries: "-SUM(A:A)"'),
    (DOC, "    title: 新认定省级孵化器奖励", '    title: "@SUM(A:A)"\n    conditions: "\\t=SUM(A:A)"'),
    (DOC, "    title: 风险投资跟投", '    title: "\\r=SUM(A:A)"\n    district: "=区"'),
    (DOC, "      benefit: 免费入住人才公寓三年", '      benefit: "=免费入住人才公寓三年"'),
    (DOC, "    unit: 家", '    unit: 家\n    label: "=高新技术企业"'),
    (DOC, "short_title: 示例市科技创新若干措施", 'short_title: "-示例市科技创新若干措施"'),
    (DOC, "issuer: 示例市人民政府", 'issuer: "+示例市人民政府"'),
    (DOC, "number: unknown", 'number: "@示例〔〕号"'),
]
DANGEROUS_START = ("=", "+", "-", "@", "\t", "\r")
NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


def csv_cells(site: Path) -> dict[str, list[str]]:
    cells = {}
    for path in sorted((site / "data").rglob("*.csv")):
        rows = list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8-sig"), newline="")))
        cells[path.relative_to(site).as_posix()] = [cell for row in rows for cell in row]
    return cells


def test_csv_cells_never_start_a_formula(content, tmp_path):
    for relative, old, new in FORMULA_FIELDS:
        content.replace(relative, old, new)
        record("hostile corpus: formula-like CSV values neutralised")
    site = build(content, tmp_path / "out")
    files = csv_cells(site)
    assert {"data/measures.csv", "data/targets.csv", "data/documents.csv"} <= set(files)
    assert any(name.startswith("data/compare/") for name in files)
    neutralised = 0
    for name, cells in files.items():
        for cell in cells:
            assert not cell.startswith(DANGEROUS_START) or NUMBER.match(cell), (name, cell)
            neutralised += cell.startswith(("'=", "'+", "'-", "'@", "'\t", "'\r"))
    assert neutralised >= len(FORMULA_FIELDS)
    measures = "".join(files["data/measures.csv"])
    for value in ("'=HYPERLINK(", "'+cmd|", "'-SUM(A:A)", "'@SUM(A:A)", "'=SUM(A:A)", "'=区"):
        assert value in measures, value  # (the schema strips the leading tab and CR; the = stays)
    assert "'=免费入住人才公寓三年" in "".join(files["data/compare/talent-packages.csv"])
    assert "'=高新技术企业" in "".join(files["data/targets.csv"])
    assert {"'-示例市科技创新若干措施", "'+示例市人民政府", "'@示例〔〕号"} <= set(files["data/documents.csv"])


def test_csv_numbers_and_ordinary_text_are_unchanged():
    data = to_table_csv(["a", "b", "c", "d"], [["-5", "2.5", "示例", "-1+2"]]).decode("utf-8-sig")
    assert list(csv.reader(io.StringIO(data))) == [["a", "b", "c", "d"], ["-5", "2.5", "示例", "'-1+2"]]


def test_csv_tab_and_carriage_return_starts_are_neutralised():
    data = to_table_csv(["a", "b"], [["\t=SUM(A:A)", "\r=SUM(A:A)"]]).decode("utf-8-sig")
    assert list(csv.reader(io.StringIO(data, newline=""))) == [["a", "b"], ["'\t=SUM(A:A)", "'\r=SUM(A:A)"]]


# --- --base-url -----------------------------------------------------------------

BAD_BASE_URLS = {
    "javascript": "javascript:alert(1)",
    "javascript with slashes": "javascript://example.org/%0aalert(1)",
    "data": "data:text/html,x",
    "no scheme": "example.org/policy/",
    "scheme-relative": "//example.org/policy/",
    "ftp": "ftp://example.org/",
    "no host": "https:///policy/",
    "newline into robots.txt": "https://example.org/\nDisallow: /",
    "carriage return": "https://example.org/\r",
    "space": "https://example.org/a b/",
    "tab": "https://example.org/\t",
    "ESC": "https://example.org/\x1b[2J",
    "right-to-left override": "https://example.org/\u202e/",
    "credentials": "https://user:secret@example.org/",
    "user only": "https://user@example.org/",
    "query": "https://example.org/?a=1",
    "fragment": "https://example.org/#top",
    "bad port": "https://example.org:99999/",
    "quote": 'https://example.org/"onmouseover="x',
    "angle bracket": "https://example.org/<script>",
}


@pytest.mark.parametrize("name", sorted(BAD_BASE_URLS))
def test_a_bad_base_url_is_a_usage_error(name, content, tmp_path):
    record("hostile corpus: bad --base-url values refused")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", "--content", str(content.root), "--out", str(out),
                                       "--templates", str(TEMPLATES), "--no-search",
                                       "--base-url", BAD_BASE_URLS[name]], color=True)
    assert result.exit_code == 2, result.output
    assert "--base-url" in result.output
    assert not out.exists()
    assert "\x1b" not in result.output and "\u202e" not in result.output


@pytest.mark.parametrize("url", ["https://example.org/policy/", "http://127.0.0.1:8000", "https://example.org",
                                 "https://example.org/a%0ab/", "HTTPS://Example.ORG/p/"])
def test_a_good_base_url_is_accepted(url, content, tmp_path):
    result = CliRunner().invoke(main, ["build", "--content", str(content.root), "--out", str(tmp_path / "out"),
                                       "--templates", str(TEMPLATES), "--no-search", "--base-url", url])
    assert result.exit_code == 0, result.output
    robots = (tmp_path / "out/robots.txt").read_text(encoding="utf-8")
    assert robots.count("\n") == 3 and "Disallow" not in robots


def test_a_non_ascii_base_url_asks_for_encoding(content, tmp_path):
    result = CliRunner().invoke(main, ["build", "--content", str(content.root), "--out", str(tmp_path / "out"),
                                       "--templates", str(TEMPLATES), "--no-search",
                                       "--base-url", "https://example.org/政策/"])
    assert result.exit_code == 2 and "percent-encode" in result.output


# --- unique HTML ids ------------------------------------------------------------

SECOND_ZONE = """\
  - id: shili-hitech-h
    name: 示例第二高新技术产业开发区
    short_name: 示例第二高新区
    level: provincial
    source:
      document: shili-2022-measures
      locator: 文首
      quote: 示例市人民政府
"""


def colliding_content(content: ContentTree) -> None:
    """Zones ``x`` and ``x-h`` (zone-x-h was both a section and a heading), and two
    documents of one city with the same target id (t-rd-2025 twice on the city page)."""
    content.replace(CITY, "summary_sources:\n", SECOND_ZONE + "summary_sources:\n")  # the zones list ends there
    content.write("sources/shili-2023-measures.txt", SOURCE_TEXT)
    content.write("cities/shili/documents/shili-2023-measures.yaml",
                  content.read(DOC).replace("id: shili-2022-measures", "id: shili-2023-measures", 1))
    content.write("cities/shili/documents/shili-2023-measures.md", "第二份测试文件的摘要。\n")
    # a zone measure and a zone target, so zone sections hold cards and tables too
    content.replace("cities/shili/documents/shili-2023-measures.yaml", "    title: 人才公寓",
                    "    title: 人才公寓\n    zone: shili-hitech-h")
    content.replace("cities/shili/documents/shili-2023-measures.yaml", "    unit: 家", "    unit: 家\n    zone: shili-hitech")


def test_ids_are_unique_whatever_ids_the_content_uses(content, tmp_path):
    colliding_content(content)
    record("hostile corpus: colliding id pairs", 2)
    site = build(content, tmp_path / "out")
    problems, counts = check_site(site)
    assert problems == []
    city = (site / "cities/shili/index.html").read_text(encoding="utf-8")
    assert 'id="zone-shili-hitech"' in city and 'id="zone-shili-hitech-h"' in city  # sections keep their ids
    assert 'id="t-shili-2022-measures--rd-2025"' in city and 'id="t-shili-2023-measures--rd-2025"' in city
    document = (site / "documents/shili-2023-measures/index.html").read_text(encoding="utf-8")
    assert 'id="t-rd-2025"' in document and 'id="m-talent-apartment"' in document  # the public anchors


def test_every_aria_reference_names_an_id_on_its_page(content, tmp_path):
    colliding_content(content)
    site = build(content, tmp_path / "out")
    for page in sorted(site.rglob("*.html")):
        html = page.read_text(encoding="utf-8")
        ids = set(re.findall(r'\sid="([^"]+)"', html))
        for refs in re.findall(r'aria-(?:labelledby|describedby)="([^"]+)"', html):
            for ref in refs.split():
                assert ref in ids, (page, ref)


def test_comparison_row_anchors_cannot_collide():
    """Row anchors (#row-…) are a public contract, so they keep their form; the
    vocabulary makes them unique, and this says so for every possible row."""
    from site_gen.urls import offer_row_anchor, target_row_anchor

    levels = [None, *vocab.LEVELS]
    # any kind could be put in any table, so all kinds together must give distinct anchors
    keys = [offer_row_anchor(k, level) for k in vocab.OFFER_KINDS for level in levels]
    assert len(keys) == len(set(keys))
    keys = [target_row_anchor(m, b) for m in vocab.METRICS for b in vocab.BASES]
    assert len(keys) == len(set(keys))
    categories = list(vocab.CATEGORIES)
    assert len(categories) == len(set(categories))


# --- what reaches the terminal --------------------------------------------------
# color=True: as on a terminal, where click does not strip escape sequences.


def test_build_errors_are_printed_escaped(content, tmp_path):
    record("hostile corpus: control characters kept off the terminal")
    templates = tmp_path / "tpl\x1b[2J\x07"
    templates.mkdir()
    result = CliRunner().invoke(main, ["build", "--content", str(content.root), "--out", str(tmp_path / "out"),
                                       "--templates", str(templates), "--no-search"],
                                 color=True)
    assert result.exit_code == 1
    assert "no templates in" in result.output
    assert "\x1b" not in result.output and "\x07" not in result.output
    assert "\\x1b[2J" in result.output


def test_file_names_in_problems_are_printed_escaped(content):
    record("hostile corpus: control characters kept off the terminal")
    content.write("cities/shili/evil\x1b]0;owned\x07.txt", "x\n")
    content.write("cities/evil\u202e.d/city.yaml", "slug: x\n")
    result = CliRunner().invoke(main, ["validate", "--content", str(content.root)], color=True)
    assert result.exit_code == 1
    assert "\x1b" not in result.output and "\x07" not in result.output and "\u202e" not in result.output


def test_ingest_output_is_printed_escaped(tmp_path):
    record("hostile corpus: control characters kept off the terminal")
    rules = tmp_path / "rules.yaml"
    rules.write_text('drop_lines:\n  - name: "junk"\n    pattern: "^junk$"\n', encoding="utf-8")
    raw = tmp_path / "raw.txt"
    raw.write_text("一、总则\njunk\n", encoding="utf-8")
    content = tmp_path / "content\x1b[31m"
    result = CliRunner().invoke(main, ["ingest", str(raw), "--id", "x-2020-plan", "--content", str(content),
                                       "--rules", str(rules)], color=True)
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.output and "dropped line: junk: 1" in result.output
    bad = tmp_path / "bad.yaml"
    bad.write_text('drop_lines:\n  - name: "\\e[31mred"\n    pattern: "("\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["ingest", str(raw), "--id", "y-2020-plan", "--content", str(content),
                                       "--rules", str(bad)], color=True)
    assert result.exit_code == 1 and "\x1b" not in result.output, result.output


def test_coverage_lines_are_printed_escaped(content, monkeypatch):
    record("hostile corpus: control characters kept off the terminal")
    import site_gen.coverage
    from site_gen.coverage import Uncovered

    monkeypatch.setattr(site_gen.coverage, "uncovered_figures",
                        lambda site, doc: [Uncovered(doc, "p-x", "二\x1b[2J", "5", "…\x9b5\u202e…")])
    result = CliRunner().invoke(main, ["coverage", "--content", str(content.root), "shili-2022-measures"], color=True)
    assert result.exit_code == 1
    assert "\x1b" not in result.output and "\x9b" not in result.output and "\u202e" not in result.output


def test_serve_change_line_is_escaped():
    from site_gen.serve import changed_line

    line = changed_line({"/c/evil\x1b[2J.md", "/c/ok.md"})
    assert "\x1b" not in line and line.startswith("changed: ")
    assert "ok.md" in line and "evil\\x1b[2J.md" in line
