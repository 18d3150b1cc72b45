"""site-gen new city|document: files with the schema comment that validate as written."""

from __future__ import annotations

import hashlib
from pathlib import Path

from click.testing import CliRunner

from site_gen.build import load_site
from site_gen.cli import main
from tests.conftest import REAL_CONTENT, ContentTree

RAW = """\
首 页 区县招商 产业园区 企业选址 优惠政策 新闻中心
鞍山市人民政府关于印发鞍山市科技创新若干措施的通知
鞍政发〔2022〕5号
一、支持措施
1.对新认定的国家级科技企业孵化器给予100万元奖励。
"""


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def test_new_city_validates_at_once(real_content_copy: ContentTree):
    result = run("new", "city", "wafangdian", "--name", "瓦房店市", "--code", "210281",
                 "--content", str(real_content_copy.root))
    assert result.exit_code == 0, result.output
    assert "ok: " in result.output and "validates with the new files" in result.output
    text = real_content_copy.read("cities/wafangdian/city.yaml")
    assert text.startswith("# yaml-language-server: $schema=../../../output/data/schema.json\n")
    city = next(c for c in load_site(real_content_copy.root).cities if c.slug == "wafangdian")
    assert (city.name, city.name_en, city.code, city.zones) == ("瓦房店市", "Wafangdian", 210281, [])
    assert run("validate", "--content", str(real_content_copy.root)).exit_code == 0


def test_new_city_refuses_an_existing_slug_and_a_bad_one(real_content_copy: ContentTree):
    before = real_content_copy.read("cities/jinzhou/city.yaml")
    taken = run("new", "city", "jinzhou", "--name", "锦州市", "--content", str(real_content_copy.root))
    assert taken.exit_code == 1 and "exists (expected a new slug or id" in taken.output
    assert real_content_copy.read("cities/jinzhou/city.yaml") == before
    bad = run("new", "city", "../x", "--name", "x", "--content", str(real_content_copy.root))
    assert bad.exit_code == 2


def test_new_document_archives_the_text_and_validates(real_content_copy: ContentTree, tmp_path: Path):
    raw = tmp_path / "scraped.txt"
    raw.write_text(RAW, encoding="utf-8")
    root = real_content_copy.root
    result = run("new", "document", "anshan", "anshan-2022-measures", "--source", str(raw), "--content", str(root))
    assert result.exit_code == 0, result.output
    assert "dropped line: site navigation bar: 1" in result.output  # the real site-gen ingest ran
    archived = (root / "sources/anshan-2022-measures.txt").read_bytes()
    assert archived.decode("utf-8").startswith("鞍山市人民政府关于印发")
    text = real_content_copy.read("cities/anshan/documents/anshan-2022-measures.yaml")
    assert text.startswith("# yaml-language-server: $schema=../../../../output/data/schema.json\n")
    assert f"source_sha256: {hashlib.sha256(archived).hexdigest()}" in text
    document = load_site(root).document("anshan-2022-measures")
    assert document.title == "鞍山市人民政府关于印发鞍山市科技创新若干措施的通知"
    assert (document.issuer, document.number, document.issued) == (None, None, None)
    # the summary starts empty (its sentences need their sources): the page says it is not written yet
    assert real_content_copy.read("cities/anshan/documents/anshan-2022-measures.md") == ""
    assert run("validate", "--content", str(root)).exit_code == 0


def test_new_document_takes_a_title_and_refuses_what_exists(real_content_copy: ContentTree, tmp_path: Path):
    raw = tmp_path / "scraped.txt"
    raw.write_text(RAW, encoding="utf-8")
    root = str(real_content_copy.root)
    ok = run("new", "document", "anshan", "anshan-2022-measures", "--source", str(raw), "--title", "鞍山市科技创新若干措施",
             "--content", root)
    assert ok.exit_code == 0, ok.output
    again = run("new", "document", "anshan", "anshan-2022-measures", "--source", str(raw), "--content", root)
    assert again.exit_code == 1 and "exists" in again.output
    elsewhere = run("new", "document", "benxi", "jinzhou-2021-action-plan", "--source", str(raw), "--content", root)
    assert elsewhere.exit_code == 1 and "jinzhou-2021-action-plan" in elsewhere.output
    assert (REAL_CONTENT / "sources/jinzhou-2021-action-plan.txt").read_bytes() == (
        real_content_copy.root / "sources/jinzhou-2021-action-plan.txt").read_bytes()  # untouched
    nowhere = run("new", "document", "nowhere", "nowhere-2022-plan", "--source", str(raw), "--content", root)
    assert nowhere.exit_code == 1 and "no city 'nowhere'" in nowhere.output
    assert not (real_content_copy.root / "sources/nowhere-2022-plan.txt").exists()


def test_scaffolds_in_a_fresh_tree(tmp_path: Path):
    """A city and a document scaffolded into an empty folder make a tree that validates."""
    content = tmp_path / "content"
    assert run("new", "city", "shili", "--name", "示例市", "--content", str(content)).exit_code == 0
    raw = tmp_path / "scraped.txt"
    raw.write_text(RAW, encoding="utf-8")
    result = run("new", "document", "shili", "shili-2022-plan", "--source", str(raw),
                 "--rules", str(REAL_CONTENT / "ingest-rules.yaml"), "--content", str(content))
    assert result.exit_code == 0, result.output
    assert run("validate", "--content", str(content)).output == "ok: 1 cities, 1 documents, 0 measures, 0 targets\n"
