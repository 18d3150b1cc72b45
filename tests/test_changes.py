"""The change history: changes/ entries validated at file:line, /changes/ and its Atom feed,
"last changed" on document and city pages, every date from the log and none from the build."""

from __future__ import annotations

import datetime as dt
import hashlib
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner
from selectolax.lexbor import LexborHTMLParser as HTMLParser

from site_gen.build import build_site, load_site
from site_gen.cli import main
from site_gen.config import BuildConfig
from tests.conftest import REAL_CONTENT, TEMPLATES, ContentTree

ATOM = "{http://www.w3.org/2005/Atom}"

ENTRY = """\
# yaml-language-server: $schema=../../output/data/schema.json
date: 2026-11-20
note: 孵化器奖励按原文更正
items:
  - change: changed
    what: measure
    document: shili-2022-measures
    id: incubator-national
    city: shili
    title: 新认定国家级孵化器奖励
    fields:
      - field: amount
        old: 80万元
        new: 100万元
  - change: removed
    what: target
    document: shili-2022-measures
    id: rd-2024
    city: shili
    title: 研发投入强度
"""

LATER = """\
date: 2026-11-22
items:
  - change: changed
    what: city
    id: shili
    city: shili
    title: 示例市
    fields:
      - field: summary
        old: 旧摘要
        new: 新摘要
"""


def build(content: ContentTree, out: Path, today: dt.date = dt.date(2026, 11, 23), base_url: str = "") -> Path:
    build_site(BuildConfig(content_dir=content.root, out_dir=out, templates_dir=TEMPLATES, today=today,
                           search=False, base_url=base_url))
    return out


def page(out: Path, path: str) -> HTMLParser:
    return HTMLParser((out / path).read_text(encoding="utf-8"))


@pytest.fixture
def logged(content: ContentTree) -> ContentTree:
    content.write("changes/2026-11-20-incubator-amount.yaml", ENTRY)
    content.write("changes/2026-11-22-shili-summary.yaml", LATER)
    return content


def test_the_changes_page_lists_entries_newest_first_with_old_and_new(logged, tmp_path):
    out = build(logged, tmp_path / "out")
    html = page(out, "changes/index.html")
    sections = html.css("section.change")
    assert [s.attributes["id"] for s in sections] == ["c-2026-11-22-shili-summary", "c-2026-11-20-incubator-amount"]
    first = sections[1]
    assert first.css_first("time").attributes["datetime"] == "2026-11-20"
    assert "孵化器奖励按原文更正" in first.text()
    links = {a.text(): a.attributes["href"] for a in first.css("a")}
    assert links["修改措施：新认定国家级孵化器奖励（示例市）"] == "../documents/shili-2022-measures/#m-incubator-national"
    assert "删除目标：研发投入强度（示例市）" in first.text()  # removed: no link
    assert [d.text() for d in first.css("del")] == ["80万元"] and [i.text() for i in first.css("ins")] == ["100万元"]


def test_document_and_city_pages_show_their_last_change(logged, tmp_path):
    out = build(logged, tmp_path / "out")
    document = (out / "documents/shili-2022-measures/index.html").read_text(encoding="utf-8")
    assert ('<dt>数据最后修改</dt><dd><a href="../../changes/#c-2026-11-20-incubator-amount">'
            '<time datetime="2026-11-20">2026年11月20日</time></a></dd>') in document
    city = (out / "cities/shili/index.html").read_text(encoding="utf-8")
    assert '<a href="../../changes/#c-2026-11-22-shili-summary"><time datetime="2026-11-22">2026年11月22日</time></a>' in city


def test_the_feed_is_atom_and_its_dates_are_the_log_s(logged, tmp_path):
    out = build(logged, tmp_path / "out", base_url="https://example.org/policy/")
    feed = ET.fromstring((out / "changes/feed.xml").read_bytes())
    assert feed.tag == f"{ATOM}feed"
    for name in ("id", "title", "updated", "author"):
        assert feed.find(f"{ATOM}{name}") is not None, name
    assert feed.find(f"{ATOM}id").text.startswith("urn:uuid:")
    assert feed.find(f"{ATOM}updated").text == "2026-11-22T00:00:00Z"
    self_link = next(l for l in feed.findall(f"{ATOM}link") if l.get("rel") == "self")
    assert self_link.get("href") == "https://example.org/policy/changes/feed.xml"
    entries = feed.findall(f"{ATOM}entry")
    assert [e.find(f"{ATOM}updated").text for e in entries] == ["2026-11-22T00:00:00Z", "2026-11-20T00:00:00Z"]
    for entry in entries:
        assert entry.find(f"{ATOM}id").text.startswith("urn:uuid:") and entry.find(f"{ATOM}title").text
        assert entry.find(f"{ATOM}link").get("href").startswith("https://example.org/policy/changes/#c-2026-11-2")
    content = entries[1].find(f"{ATOM}content")
    assert content.get("type") == "html" and "80万元 → 100万元" in content.text
    assert 'href="https://example.org/policy/documents/shili-2022-measures/#m-incubator-national"' in content.text
    head = page(out, "index.html").css_first('link[rel="alternate"]')
    assert head.attributes["type"] == "application/atom+xml" and head.attributes["href"] == "./changes/feed.xml"


def test_no_date_comes_from_the_build(logged, tmp_path):
    """Built on two different days, the history pages and the feed are the same bytes."""
    early = build(logged, tmp_path / "early", today=dt.date(2026, 11, 23))
    late = build(logged, tmp_path / "late", today=dt.date(2031, 5, 1))
    for name in ("changes/index.html", "changes/feed.xml"):
        a, b = (early / name).read_bytes(), (late / name).read_bytes()
        if name.endswith(".html"):  # the footer says which day statuses were computed for; nothing else differs
            a, b = (x.replace("2026年11月23日".encode(), b"").replace("2031年5月1日".encode(), b"") for x in (a, b))
        assert a == b, name
    assert b"2031" not in (late / "changes/feed.xml").read_bytes()


def test_without_a_log_dates_are_unknown_and_there_is_no_feed(content, tmp_path):
    out = build(content, tmp_path / "out")
    assert not (out / "changes/feed.xml").exists()
    assert "尚无变更记录" in (out / "changes/index.html").read_text(encoding="utf-8")
    document = (out / "documents/shili-2022-measures/index.html").read_text(encoding="utf-8")
    assert '<dt>数据最后修改</dt><dd class="unknown">未记录</dd>' in document
    assert 'application/atom+xml' not in document


def test_entries_are_checked_at_their_line(content):
    content.write("changes/2026-11-20-bad.yaml", ENTRY.replace("change: removed", "change: deleted")
                  .replace("date: 2026-11-20", "date: 2026-11-21"))
    content.write("changes/not-dated.yaml", LATER)
    content.write("changes/2026-11-22-no-document.yaml", LATER.replace("what: city", "what: measure"))
    result = CliRunner().invoke(main, ["validate", "--content", str(content.root)])
    assert result.exit_code == 1
    bad = content.path("changes/2026-11-20-bad.yaml").as_posix()
    assert (f"{bad}:15:13: items[1].change: 'deleted' is not allowed (expected one of: added, removed, changed)"
            in result.output)
    assert f"{content.path('changes/not-dated.yaml').as_posix()}:1:1: file: file name 'not-dated' is not <date>-<name>" in result.output
    assert "items[0]: a measure change needs document (expected the document's id)" in result.output


def test_a_date_that_disagrees_with_the_file_name_is_refused(content):
    content.write("changes/2026-11-20-moved.yaml", LATER)
    result = CliRunner().invoke(main, ["validate", "--content", str(content.root)])
    assert result.exit_code == 1
    assert ("date: date 2026-11-22 differs from the file name's 2026-11-20 (expected the same date in both; "
            "rename the file when correcting the date)") in result.output


def test_hostile_text_in_the_log_stays_text(content, tmp_path):
    content.write("changes/2026-11-20-x.yaml", ENTRY.replace("note: 孵化器奖励按原文更正",
                                                             'note: "</title><script>alert()</script>&amp;]]>"'))
    out = build(content, tmp_path / "out")
    feed = ET.fromstring((out / "changes/feed.xml").read_bytes())  # still well-formed XML
    assert feed.find(f"{ATOM}entry/{ATOM}title").text.endswith("</title><script>alert()</script>&amp;]]>")
    assert not page(out, "changes/index.html").css("main script")


def test_the_real_log():
    site = load_site(REAL_CONTENT)
    names = [e.name for e in site.changes]
    assert names[:4] == ["2026-11-23-first-documents", "2026-11-23-more-cities", "2026-12-01-citations-checked",
                         "2026-12-01-digests"]
    assert [e.date for e in site.changes] == sorted(e.date for e in site.changes)
    digests = next(e for e in site.changes if e.name == "2026-12-01-digests")
    recorded = {i.document: i.fields[0].new for i in digests.items}
    assert recorded == {d.id: d.source_sha256 for d in site.documents}
    for document in site.documents:
        text = (REAL_CONTENT / "sources" / f"{document.id}.txt").read_bytes()
        assert recorded[document.id] == hashlib.sha256(text).hexdigest()
