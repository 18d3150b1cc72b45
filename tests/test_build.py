"""Building a small fixture site end to end."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
from pathlib import Path

import pytest

from site_gen.build import build_site
from site_gen.config import BuildConfig
from site_gen.errors import BuildError, ContentError
from site_gen.write import MARKER
from tests.conftest import DOC, TEMPLATES

TODAY = dt.date(2026, 11, 23)


def config(content, out: Path, **extra) -> BuildConfig:
    return BuildConfig(content_dir=content.root, out_dir=out, templates_dir=TEMPLATES,
                       today=TODAY, search=False, **extra)


def snapshot(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*")) if p.is_file()
    }


@pytest.fixture
def built(content, tmp_path):
    out = tmp_path / "output"
    build_site(config(content, out))
    return out


def test_pages_at_their_public_urls(built):
    for page in ("index.html", "404.html", "about/index.html", "cities/index.html", "cities/shili/index.html",
                 "documents/index.html", "documents/shili-2022-measures/index.html"):
        assert (built / page).is_file(), page
    assert (built / MARKER).is_file()


def test_links_are_relative(built):
    html = (built / "documents/shili-2022-measures/index.html").read_text(encoding="utf-8")
    assert 'href="../../cities/shili/"' in html
    assert 'href="../../static/site.css?v=' in html
    assert 'href="/' not in html and "http://" not in html


def test_document_page_cites_paragraphs_that_exist(built):
    html = (built / "documents/shili-2022-measures/index.html").read_text(encoding="utf-8")
    assert 'id="p-2-1"' in html
    assert 'href="../../documents/shili-2022-measures/#p-2-1"' in html
    assert "原文未载明" in html  # number: unknown is shown as such
    assert "100万元" in html and "最低20万元、最高80万元" in html and "投资额的10%，最高300万元" in html


def test_past_period_and_expiry_are_shown(built):
    html = (built / "documents/shili-2022-measures/index.html").read_text(encoding="utf-8")
    assert "已过规划期（2025年结束）" in html
    assert "自发布之日起3年，至2025年2月28日（已届满）" in html


def test_open_data(built):
    measures = json.loads((built / "data/measures.json").read_text(encoding="utf-8"))
    by_id = {m["id"]: m for m in measures}
    assert by_id["shili-2022-measures/incubator-national"]["value_yuan"] == 1_000_000
    assert by_id["shili-2022-measures/talent-startup"]["min_yuan"] == 200_000
    assert by_id["shili-2022-measures/co-investment"]["percent"] == 10
    assert by_id["shili-2022-measures/co-investment"]["locator"] == "二/3"
    raw = (built / "data/measures.csv").read_bytes()
    assert raw.startswith("\ufeff".encode("utf-8"))
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert len(rows) == len(measures) == 5
    assert rows[0]["city"] == "shili" and rows[0]["quote"]
    targets = json.loads((built / "data/targets.json").read_text(encoding="utf-8"))
    assert {t["value"] for t in targets} == {2.5, 300}
    schema = json.loads((built / "data/schema.json").read_text(encoding="utf-8"))
    assert set(schema["$defs"]) >= {"DocumentFile", "CityFile", "SiteFile", "Measure", "Target"}


def test_two_builds_are_byte_identical(content, tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    build_site(config(content, first))
    build_site(config(content, second))
    assert snapshot(first) == snapshot(second)


def test_failing_build_leaves_output_unchanged(content, built):
    before = snapshot(built)
    content.replace(DOC, "issued: 2022-03-01", "issued: 2022-02-30")
    with pytest.raises(ContentError):
        build_site(config(content, built))
    assert snapshot(built) == before
    assert not list(built.parent.glob(".output.*"))


def test_failure_after_rendering_leaves_output_unchanged(content, built, monkeypatch):
    before = snapshot(built)
    content.replace(DOC, "title: 新认定国家级孵化器奖励", "title: 新认定国家级孵化器奖励（改）")

    def broken_index(files):
        raise BuildError("index failed")

    monkeypatch.setattr("site_gen.index.search_files", broken_index)
    with pytest.raises(BuildError):
        build_site(config(content, built).__class__(**{**config(content, built).__dict__, "search": True}))
    assert snapshot(built) == before
    assert not list(built.parent.glob(".output.*"))


def test_successful_rebuild_replaces_output(content, built):
    content.replace(DOC, "title: 新认定国家级孵化器奖励", "title: 新认定国家级孵化器大奖")
    build_site(config(content, built))
    assert "新认定国家级孵化器大奖" in (built / "documents/shili-2022-measures/index.html").read_text(encoding="utf-8")


def test_refuses_to_replace_a_folder_it_did_not_make(content, tmp_path):
    out = tmp_path / "precious"
    out.mkdir()
    (out / "thesis.txt").write_text("irreplaceable")
    with pytest.raises(BuildError, match="did not make"):
        build_site(config(content, out))
    assert (out / "thesis.txt").read_text() == "irreplaceable"


def test_404_page_is_anchored_at_the_base_path(content, tmp_path):
    out = tmp_path / "output"
    build_site(config(content, out, base_url="https://example.org/policy/"))
    html = (out / "404.html").read_text(encoding="utf-8")
    assert '<base href="/policy/">' in html
    index = (out / "index.html").read_text(encoding="utf-8")
    assert '<link rel="canonical" href="https://example.org/policy/">' in index
    sitemap = (out / "sitemap.xml").read_text(encoding="utf-8")
    assert "<loc>https://example.org/policy/documents/shili-2022-measures/</loc>" in sitemap
    assert "404" not in sitemap
    assert "Sitemap: https://example.org/policy/sitemap.xml" in (out / "robots.txt").read_text(encoding="utf-8")


def test_no_sitemap_without_a_public_address(built):
    assert not (built / "sitemap.xml").exists()


def test_build_runs_pagefind_and_is_still_deterministic(content, tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    for out in (first, second):
        build_site(BuildConfig(content_dir=content.root, out_dir=out, templates_dir=TEMPLATES,
                               today=TODAY, search=True))
    assert (first / "pagefind/pagefind.js").is_file()
    assert any((first / "pagefind/fragment").iterdir())
    assert snapshot(first) == snapshot(second)


def test_the_model_is_freed_before_pagefind_runs(content, tmp_path, monkeypatch):
    """Pagefind needs the most memory of a build; the model and its views, garbage by then, are not kept for it."""
    import gc

    import site_gen.index
    from site_gen.derive.views import CitationView
    from site_gen.records import SourceRef

    real_index = site_gen.index.search_files
    alive: list[int] = []

    def counting_index(files, superseded=None):  # type: ignore[no-untyped-def]
        alive.append(sum(isinstance(o, (CitationView, SourceRef)) for o in gc.get_objects()))
        return real_index(files, superseded)

    monkeypatch.setattr("site_gen.index.search_files", counting_index)
    build_site(BuildConfig(content_dir=content.root, out_dir=tmp_path / "out", templates_dir=TEMPLATES,
                           today=TODAY, search=True))
    assert alive == [0]


@pytest.mark.parametrize("broken, line", [
    ("{{ c.no_such_field.name }}", 4),      # fails while rendering: the traceback's template frame
    ("{% if %}", 4),                        # fails to parse: the syntax error's own line
])
def test_template_errors_name_the_template_file_and_line(content, tmp_path, broken, line):
    import shutil

    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES, templates)
    page = (templates / "city.html").read_text(encoding="utf-8").split("\n")
    page.insert(line - 1, broken)
    (templates / "city.html").write_text("\n".join(page), encoding="utf-8")
    with pytest.raises(BuildError) as caught:
        build_site(BuildConfig(content_dir=content.root, out_dir=tmp_path / "out", templates_dir=templates,
                               today=TODAY, search=False))
    assert str(caught.value).startswith(f"{templates / 'city.html'}:{line}: cannot render cities/shili/index.html")
