"""``site-gen serve``'s incremental rebuild gives the bytes a fresh full build gives.

Each case builds through one :class:`~site_gen.serve.Preview` (the memo warm
from the build before), edits the content or a template, rebuilds, and
compares every file with a fresh ``build_site`` of the edited input.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import shutil
import threading
import urllib.request
from pathlib import Path
from typing import Iterator

import pytest

from site_gen.build import build_site
from site_gen.config import BuildConfig
from site_gen.serve import (
    FIRST_INDEX_FAILED_NOTE,
    FIRST_INDEX_FAILED_NOTE_EN,
    FIRST_INDEX_NOTE,
    FIRST_INDEX_NOTE_EN,
    INDEX_FAILED_NOTE,
    UPDATING_NOTE,
    UPDATING_NOTE_EN,
    Preview,
    make_server,
)
from tests.conftest import REAL_CONTENT, TEMPLATES
from tests.test_build import snapshot

TODAY = dt.date(2026, 11, 23)
ZONE = "    name: 锦州高新技术产业开发区"


@pytest.fixture
def tree(tmp_path):
    content, templates = tmp_path / "content", tmp_path / "templates"
    shutil.copytree(REAL_CONTENT, content)
    shutil.copytree(TEMPLATES, templates)
    return content, templates


@contextlib.contextmanager
def serving(preview: Preview) -> Iterator[int]:
    """The preview's server on a free port of 127.0.0.1, stopped afterwards; yields the port."""
    server = make_server(preview.config.out_dir, 0, preview)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()


def configs(tmp_path: Path, content: Path, templates: Path, search: bool) -> tuple[BuildConfig, BuildConfig]:
    def one(out: str) -> BuildConfig:
        return BuildConfig(content_dir=content, out_dir=tmp_path / out, templates_dir=templates,
                           today=TODAY, search=search)
    return one("served"), one("fresh")


def replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


EDITS = [  # (file under the tree, old, new): each one content edit, as an editor makes them
    ("content/cities/jinzhou/city.yaml", "    name: 锦州高新技术产业开发区", "    name: 锦州高新技术产业开发区（改）"),
    ("content/cities/jinzhou/city.yaml", "    short_name: 锦州高新区", "    short_name: 锦州高新园"),
    ("content/cities/jinzhou/city.yaml", "name: 锦州市", "name: 锦州市（改）"),
    ("content/cities/panjin/documents/panjin-2021-incubation-plan.yaml",
     "title: 引进知名孵化器专业机构来盘共建孵化载体的运营补贴", "title: 引进知名孵化器专业机构来盘共建孵化载体的运营奖补"),
    # equal as numbers, written differently: a page that prints the value must change
    ("content/cities/jinzhou/documents/jinzhou-2021-action-plan.yaml", "    value: 2.16\n", "    value: 2.160\n"),
    ("content/cities/jinzhou/documents/jinzhou-2021-action-plan.md", "", "另起一段。\n"),
    ("content/cities/jinzhou/city.md", "", "新的一段。\n\n"),
    ("templates/city.html", "<h2 id=\"zones-h\">", "<h2 id=\"zones-h\" class=\"edited\">"),
    ("templates/static/site.css", "", "/* edited */\n"),
]


def test_each_edit_rebuilds_to_the_bytes_of_a_full_build(tree, tmp_path):
    content, templates = tree
    served, fresh = configs(tmp_path, content, templates, search=False)
    preview = Preview(served)
    preview.rebuild()
    for relative, old, new in EDITS:
        path = tmp_path / relative
        if old:
            replace(path, old, new)
        else:
            path.write_text(new + path.read_text(encoding="utf-8"), encoding="utf-8")
        preview.rebuild()
        build_site(fresh)
        assert snapshot(served.out_dir) == snapshot(fresh.out_dir), relative
    assert preview.builder.memo.hits > 0  # the rebuilds reused work


def test_an_edit_that_breaks_the_content_keeps_the_site_and_recovers(tree, tmp_path):
    from site_gen.errors import ContentError

    content, templates = tree
    served, fresh = configs(tmp_path, content, templates, search=False)
    preview = Preview(served)
    preview.rebuild()
    before = snapshot(served.out_dir)
    city = content / "cities/jinzhou/city.yaml"
    good = city.read_text(encoding="utf-8")
    city.write_text(good.replace("code: 210700", "code: [210700"), encoding="utf-8")
    with pytest.raises(ContentError):
        preview.rebuild()
    assert snapshot(served.out_dir) == before
    city.write_text(good.replace("name: 锦州市", "name: 锦州市（改）"), encoding="utf-8")
    preview.rebuild()
    build_site(fresh)
    assert snapshot(served.out_dir) == snapshot(fresh.out_dir)


def test_the_search_index_follows_and_matches_a_full_build(tree, tmp_path):
    content, templates = tree
    served, fresh = configs(tmp_path, content, templates, search=True)
    preview = Preview(served)
    preview.rebuild()
    assert not preview.index_pending
    index_before = {k: v for k, v in snapshot(served.out_dir).items() if k.startswith("pagefind/")}
    replace(content / "cities/jinzhou/city.yaml", "    name: 锦州高新技术产业开发区", "    name: 锦州高新技术开发区")
    preview.rebuild()
    assert preview.index_pending  # the new pages are out, with the last index
    published = snapshot(served.out_dir)
    assert {k: v for k, v in published.items() if k.startswith("pagefind/")} == index_before
    assert preview.index_done.wait(timeout=300)
    build_site(fresh)
    assert snapshot(served.out_dir) == snapshot(fresh.out_dir)
    # an edit that changes no page (a comment) keeps the index without re-indexing
    replace(content / "cities/jinzhou/city.yaml", "slug: jinzhou", "slug: jinzhou  # 锦州")
    preview.rebuild()
    assert not preview.index_pending
    assert snapshot(served.out_dir) == snapshot(fresh.out_dir)


def test_the_first_build_is_served_before_its_search_index_and_written_with_it(tree, tmp_path, monkeypatch):
    """``site-gen serve`` (not waiting) serves the first build at once; ``output/`` gets it only with its index."""
    import site_gen.index

    content, templates = tree
    served, fresh = configs(tmp_path, content, templates, search=True)
    real_index = site_gen.index.search_files
    release = threading.Event()

    def held_index(files, superseded=None):  # type: ignore[no-untyped-def]
        assert release.wait(120)
        return real_index(files, superseded)

    monkeypatch.setattr("site_gen.index.search_files", held_index)
    preview = Preview(served)
    preview.rebuild(changed=(), wait=False)
    assert preview.site is not None and "cities/jinzhou/index.html" in preview.site
    assert not any(name.startswith("pagefind/") for name in preview.site)
    assert preview.note() == FIRST_INDEX_NOTE
    with serving(preview) as port:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/search/", timeout=10) as response:
            assert FIRST_INDEX_NOTE in response.read().decode("utf-8")
    preview.writer.wait()
    assert not served.out_dir.exists()  # no site without its index is written
    release.set()
    assert preview.index_done.wait(timeout=300)
    assert preview.note() == "" and "pagefind/pagefind.js" in preview.site
    build_site(fresh)
    assert snapshot(served.out_dir) == snapshot(fresh.out_dir)


def test_an_index_a_newer_rebuild_supersedes_is_given_up_between_two_pages(tree, tmp_path, monkeypatch):
    """Pagefind is stopped part-way through an edit's index once a newer edit is rebuilt, and the newest is made."""
    import site_gen.index
    from site_gen.index.service import PagefindService

    content, templates = tree
    served, fresh = configs(tmp_path, content, templates, search=True)
    preview = Preview(served)
    preview.rebuild()
    real_request, real_index = PagefindService.request, site_gen.index.search_files
    added: list[str] = []
    outcomes: list[str] = []
    third, rebuilt = threading.Event(), threading.Event()

    def request(service, message):  # type: ignore[no-untyped-def]
        if message["type"] == "AddFile":
            added.append(message["url"])
            if len(added) == 3:  # the first edit's index is under way: held until the second edit is rebuilt
                third.set()
                assert rebuilt.wait(120)
        return real_request(service, message)

    def index(files, superseded=None):  # type: ignore[no-untyped-def]
        try:
            bundle = real_index(files, superseded)
        except site_gen.index.IndexSuperseded:
            outcomes.append("given up")
            raise
        outcomes.append("made")
        return bundle

    monkeypatch.setattr(PagefindService, "request", request)
    monkeypatch.setattr("site_gen.index.search_files", index)
    city = content / "cities/jinzhou/city.yaml"
    replace(city, ZONE, ZONE + "（一）")
    preview.rebuild(wait=False)
    assert preview.site is not None
    pages = sum(1 for name in preview.site if name.endswith(".html"))
    assert third.wait(120)
    replace(city, ZONE + "（一）", ZONE + "（二）")
    preview.rebuild(wait=False)
    rebuilt.set()
    assert preview.index_done.wait(timeout=300)
    assert outcomes == ["given up", "made"]
    assert len(added) == 3 + pages  # three pages of the first edit's index, then every page of the second's
    build_site(fresh)
    assert snapshot(served.out_dir) == snapshot(fresh.out_dir)


def test_a_failed_write_after_indexing_is_reported_as_a_failed_write(tree, tmp_path, monkeypatch, capsys):
    from site_gen.errors import BuildError

    content, templates = tree
    served, _ = configs(tmp_path, content, templates, search=True)
    preview = Preview(served)
    preview.rebuild()

    def failing_write(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise BuildError("no space left on device")

    monkeypatch.setattr("site_gen.build.write_site", failing_write)
    replace(content / "cities/jinzhou/city.yaml", ZONE, ZONE + "（改）")
    capsys.readouterr()
    preview.rebuild(wait=False)
    assert preview.index_done.wait(timeout=300)
    err = capsys.readouterr().err
    assert f"error: {served.out_dir} could not be written (no space left on device)" in err
    assert "search index could not be updated" not in err
    assert preview.note() == "" and "（改）".encode() in preview.site["cities/jinzhou/index.html"]


def test_pages_say_when_the_search_index_could_not_be_made_until_the_next_edit_makes_one(
        tree, tmp_path, monkeypatch, capsys):
    """An index that fails is said on the pages served (not "being made" for ever) and in the terminal; the next
    edit tries again, and once it succeeds the note goes and ``output/`` is the site a full build makes."""
    import site_gen.index
    from site_gen.errors import BuildError

    content, templates = tree
    served, fresh = configs(tmp_path, content, templates, search=True)
    real_index = site_gen.index.search_files

    def failing_index(files, superseded=None):  # type: ignore[no-untyped-def]
        raise BuildError("pagefind stopped")

    monkeypatch.setattr("site_gen.index.search_files", failing_index)
    preview = Preview(served)
    preview.rebuild(changed=(), wait=False)
    assert preview.index_done.wait(timeout=300)
    assert preview.note() == FIRST_INDEX_FAILED_NOTE and preview.note(english=True) == FIRST_INDEX_FAILED_NOTE_EN
    with serving(preview) as port:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/cities/jinzhou/", timeout=10) as response:
            page = response.read().decode("utf-8")
    assert FIRST_INDEX_FAILED_NOTE in page and FIRST_INDEX_NOTE not in page
    err = capsys.readouterr().err
    assert "error: the search index could not be updated (BuildError: pagefind stopped)" in err
    assert f"search has no index, and {served.out_dir}/ is written once it has one (the next edit tries again)" in err
    preview.writer.wait()
    assert not served.out_dir.exists()

    monkeypatch.setattr("site_gen.index.search_files", real_index)
    replace(content / "cities/jinzhou/city.yaml", ZONE, ZONE + "（改）")
    preview.rebuild(wait=False)
    assert preview.note() == FIRST_INDEX_NOTE  # tried again: being made
    assert preview.index_done.wait(timeout=300)
    assert preview.note() == ""
    preview.writer.wait()
    build_site(fresh)
    assert snapshot(served.out_dir) == snapshot(fresh.out_dir)

    monkeypatch.setattr("site_gen.index.search_files", failing_index)
    replace(content / "cities/jinzhou/city.yaml", ZONE + "（改）", ZONE)
    preview.rebuild(wait=False)
    assert preview.index_done.wait(timeout=300)
    assert preview.note() == INDEX_FAILED_NOTE  # the pages are new; search answers from the last index
    assert "search has the last index (the next edit tries again)" in capsys.readouterr().err


def test_pages_say_the_search_index_is_updating(tree, tmp_path):
    content, templates = tree
    served, _ = configs(tmp_path, content, templates, search=False)
    preview = Preview(served)
    preview.rebuild()
    with serving(preview) as port:
        def get(path: str) -> str:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10) as response:
                return str(response.read().decode("utf-8"))
        assert UPDATING_NOTE not in get("/cities/jinzhou/")
        preview.index_pending, preview.bundle = True, {}  # an edit's pages, served with the last index
        for path in ("/", "/cities/jinzhou/", "/documents/jinzhou-2021-action-plan/index.html"):
            page = get(path)
            assert UPDATING_NOTE in page and FIRST_INDEX_NOTE not in page, path
        assert UPDATING_NOTE not in get("/data/measures.json")
        page = get("/en/cities/jinzhou/")  # the English edition's pages say it in English
        assert UPDATING_NOTE_EN in page and UPDATING_NOTE not in page
        preview.bundle = None  # no index yet: the first build, served before it
        page = get("/cities/jinzhou/")
        assert FIRST_INDEX_NOTE in page and UPDATING_NOTE not in page
        page = get("/en/cities/jinzhou/")
        assert FIRST_INDEX_NOTE_EN in page and FIRST_INDEX_NOTE not in page
        preview.index_pending = False
        for path in ("/", "/en/"):
            assert "serve-note" not in get(path), path


def test_the_preview_serves_each_build_from_memory_as_the_files_on_disk(tree, tmp_path):
    """What a browser gets from ``site-gen serve`` is the last build's files, before and whatever ``output/`` holds."""
    import urllib.error

    content, templates = tree
    served, _ = configs(tmp_path, content, templates, search=False)
    preview = Preview(served)
    preview.rebuild()

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
            return None

    opener = urllib.request.build_opener(NoRedirect)

    def disk(name: str) -> bytes:
        return (served.out_dir / name).read_bytes()

    with serving(preview) as port:
        def get(path: str) -> tuple[int, dict[str, str], bytes]:
            try:
                with opener.open(f"http://127.0.0.1:{port}{path}", timeout=10) as response:
                    return response.status, dict(response.headers), response.read()
            except urllib.error.HTTPError as error:
                return error.code, dict(error.headers), error.read()

        for path, name in (("/", "index.html"), ("/cities/jinzhou/", "cities/jinzhou/index.html"),
                           ("/cities//jinzhou/index.html", "cities/jinzhou/index.html"),
                           ("/data/measures.json?x=1", "data/measures.json"), ("/static/site.css", "static/site.css")):
            status, headers, body = get(path)
            assert (status, body) == (200, disk(name)), path
        assert get("/data/measures.json")[1]["Content-Type"] == "application/json"
        status, headers, _ = get("/cities/jinzhou?a=1")
        assert (status, headers["Location"]) == (301, "/cities/jinzhou/?a=1")
        status, headers, _ = get("//cities")  # never a protocol-relative redirect to another host
        assert (status, headers["Location"]) == (301, "/cities/")
        status, _, body = get("/no/such/page/")
        assert (status, body) == (404, disk("404.html"))
        # an edit is served from the new build; output/ is only written after it
        replace(content / "cities/jinzhou/city.yaml", "name: 锦州市", "name: 锦州市（改）")
        preview.rebuild()
        assert "锦州市（改）".encode() in get("/cities/jinzhou/")[2]
        shutil.rmtree(served.out_dir)
        assert "锦州市（改）".encode() in get("/cities/jinzhou/")[2]  # from memory, not from the folder


def test_a_file_not_read_again_is_still_seen_when_rewritten_with_its_size_and_times(tree, tmp_path, monkeypatch):
    """serve skips reading a file whose status did not change; a write that keeps its size and sets its
    modification time back (``touch -r``, ``cp -p``) still moves its change time, and is seen."""
    import os

    monkeypatch.setattr("site_gen.load.SETTLED_NS", 0)  # every file counts as settled at once
    content, templates = tree
    served, fresh = configs(tmp_path, content, templates, search=False)
    preview = Preview(served)
    preview.rebuild()
    city = content / "cities/jinzhou/city.yaml"
    before = os.stat(city)
    text = city.read_text(encoding="utf-8")
    edited = text.replace("    name: 锦州高新技术产业开发区", "    name: 锦州高新技术产业园开发", 1)
    assert edited != text and len(edited.encode()) == len(text.encode())
    city.write_text(edited, encoding="utf-8")
    os.utime(city, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert os.stat(city).st_mtime_ns == before.st_mtime_ns
    import site_gen.load

    reads: list[str] = []
    real = site_gen.load.read_text_and_digest

    def counted(path, display):  # type: ignore[no-untyped-def]
        reads.append(display)
        return real(path, display)

    monkeypatch.setattr("site_gen.load.read_text_and_digest", counted)
    preview.rebuild()
    assert [Path(r).name for r in reads] == ["city.yaml"]  # only the rewritten file is read again
    assert "锦州高新技术产业园开发" in (served.out_dir / "cities/jinzhou/index.html").read_text(encoding="utf-8")
    build_site(fresh)
    assert snapshot(served.out_dir) == snapshot(fresh.out_dir)
    reads.clear()
    preview.rebuild()  # nothing changed: nothing is read again
    assert reads == []


def test_the_next_edit_is_served_while_output_is_still_being_written(tree, tmp_path, monkeypatch):
    """``site-gen serve`` serves a rebuild at once and writes ``output/`` in the background: an edit saved
    during that write does not wait for it, and only the newest site is written after it."""
    import time

    import site_gen.build

    content, templates = tree
    served, fresh = configs(tmp_path, content, templates, search=False)
    preview = Preview(served)
    preview.rebuild()
    real_write = site_gen.build.write_site
    release = threading.Event()
    writes: list[dict[str, bytes]] = []

    def held_write(config, files, *args, **kwargs):  # type: ignore[no-untyped-def]
        writes.append(files)
        assert release.wait(120)
        return real_write(config, files, *args, **kwargs)

    monkeypatch.setattr("site_gen.build.write_site", held_write)
    city = content / "cities/jinzhou/city.yaml"
    replace(city, "name: 锦州市", "name: 锦州市（一）")
    preview.rebuild(wait=False)
    deadline = time.monotonic() + 60
    while not writes:  # the first write has begun, and is held
        assert time.monotonic() < deadline
        time.sleep(0.01)
    for mark in ("（二）", "（三）"):  # saved while output/ is being written: each served without waiting
        replace(city, "name: 锦州市（", f"name: 锦州市{mark}（")
        preview.rebuild(wait=False)
        assert preview.site is not None and f"锦州市{mark}".encode() in preview.site["cities/jinzhou/index.html"]
    assert not release.is_set() and "锦州市（一）" not in (served.out_dir / "cities/jinzhou/index.html").read_text()
    release.set()
    preview.writer.wait()
    assert len(writes) == 2  # the held site, then the newest; the one between was never written
    build_site(fresh)
    assert snapshot(served.out_dir) == snapshot(fresh.out_dir)
