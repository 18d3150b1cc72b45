"""A full build reads city folders, checks citations and renders pages on two processors: the same bytes and
problems, the same errors."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from typing import Iterator

import pytest

from site_gen.build import build_site
from site_gen.config import BuildConfig
from site_gen.errors import BuildError
from site_gen.parallel import processes
from site_gen.render import parallel
from tests.conftest import REAL_CONTENT, TEMPLATES
from tests.test_build import snapshot

pytestmark = pytest.mark.skipif(processes() < 2, reason="this machine offers one processor")


@pytest.fixture
def forks(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """One item for each ``os.fork`` the test makes."""
    made: list[int] = []
    real_fork = os.fork

    def counted_fork() -> int:
        made.append(1)
        return real_fork()

    monkeypatch.setattr(os, "fork", counted_fork)
    return made


def build(tmp_path, out: str, templates=TEMPLATES) -> dict[str, str]:
    config = BuildConfig(content_dir=REAL_CONTENT, out_dir=tmp_path / out, templates_dir=templates,
                         today=dt.date(2026, 11, 23), search=False)
    build_site(config)
    return snapshot(config.out_dir)


def test_two_processes_render_the_bytes_of_one(tmp_path, monkeypatch, forks):
    monkeypatch.setattr(parallel, "PARALLEL_PAGES", 2)
    two = build(tmp_path, "two")
    assert forks  # the pages were rendered by two processes
    monkeypatch.setenv("SITE_GEN_JOBS", "1")
    assert build(tmp_path, "one") == two


def test_a_page_is_written_in_parts_as_it_is_rendered_and_the_bytes_are_those_of_one_part(tmp_path, monkeypatch):
    """A build writes each page part by part (never whole in memory): the bytes do not depend on the parts."""
    from site_gen.output import StagedFiles
    from site_gen.render import pages as rendering

    monkeypatch.setenv("SITE_GEN_JOBS", "1")
    parts: dict[str, int] = {}
    real_put_parts = StagedFiles.put_parts

    def counted(self, relative, pieces):
        pieces = list(pieces)
        parts[relative] = len(pieces)
        return real_put_parts(self, relative, pieces)

    monkeypatch.setattr(StagedFiles, "put_parts", counted)
    monkeypatch.setattr(rendering, "_PIECES_PER_PART", 10**9)
    whole = build(tmp_path, "whole")
    assert all(parts[path] == 1 for path in whole if path.endswith(".html"))
    monkeypatch.setattr(rendering, "_PIECES_PER_PART", 7)
    assert build(tmp_path, "parts") == whole
    assert all(parts[path] > 10 for path in whole if path.endswith(".html"))


@pytest.mark.parametrize("template, injected", [
    ("city.html", "{{ 1 // 0 if true }}"),          # an exception of Python's own, in the forked half first
    ("document.html", "{{ no_such_value.x }}"),     # a template error: a BuildError naming file and line
])
def test_a_page_that_fails_fails_the_build_as_in_one_process(tmp_path, monkeypatch, template, injected):
    monkeypatch.setattr(parallel, "PARALLEL_PAGES", 2)
    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES, templates)
    page = templates / template
    page.write_text(page.read_text(encoding="utf-8").replace("{% block main %}", "{% block main %}" + injected, 1), encoding="utf-8")
    messages = []
    for jobs in ("2", "1"):
        monkeypatch.setenv("SITE_GEN_JOBS", jobs)
        with pytest.raises((BuildError, ZeroDivisionError)) as caught:
            build(tmp_path, f"out{jobs}", templates)
        messages.append(f"{type(caught.value).__name__}: {caught.value}")
    assert messages[0] == messages[1], messages


class FakePage:
    def __init__(self, path: str):
        self.path = path


def test_a_full_disk_in_the_second_process_fails_the_build_and_leaves_output_as_it_was(tmp_path, monkeypatch):
    """The forked process writes its pages into the staging folder: its disk error is the build's, reported once."""
    import errno

    import site_gen.output

    monkeypatch.setattr(parallel, "PARALLEL_PAGES", 2)
    before = build(tmp_path, "out")
    parent, real = os.getpid(), site_gen.output.write_parts

    def write_parts(target, parts):
        if os.getpid() != parent and target.name == "index.html":
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(target))
        return real(target, parts)

    monkeypatch.setattr(site_gen.output, "write_parts", write_parts)
    with pytest.raises(BuildError, match=r"cannot write .*index\.html: No space left on device; the disk is full.*is unchanged"):
        build(tmp_path, "out")
    assert snapshot(tmp_path / "out") == before
    assert not [p for p in tmp_path.iterdir() if ".tmp-" in p.name]


def test_both_processes_take_pages_from_one_queue_and_the_result_is_in_page_order():
    pages = [FakePage(f"p{i}/index.html") for i in range(200)]

    def render(page: FakePage) -> bytes:
        import time
        time.sleep(0.002)  # long enough that the other process takes pages meanwhile
        return f"{page.path} {os.getpid()}".encode()

    order = list(reversed(range(len(pages))))  # taken last page first: the result is still in page order
    result: dict[str, bytes] = {}
    parallel.render_in_two(pages, lambda page: (render(page),), lambda done, total: None, result, order)
    assert list(result) == [p.path for p in pages]
    assert all(data.decode().startswith(path + " ") for path, data in result.items())
    by = {data.decode().split()[1] for data in result.values()}
    assert str(os.getpid()) in by and len(by) == 2  # the forked process rendered pages too


def test_the_first_failing_page_in_page_order_is_raised_whatever_the_order_pages_are_taken_in():
    pages = [FakePage(f"p{i}") for i in range(40)]

    def render(page: FakePage) -> bytes:
        if page.path in ("p7", "p31"):
            raise ValueError(page.path)
        return page.path.encode()

    with pytest.raises(ValueError, match="^p7$"):
        parallel.render_in_two(pages, lambda page: (render(page),), lambda done, total: None, {},
                               list(reversed(range(len(pages)))))


def test_into_the_staging_folder_each_process_writes_the_pages_it_renders(tmp_path):
    """Into StagedFiles, pages are written where they go by whichever process rendered them, none handed back."""
    from site_gen.output import StagedFiles

    pages = [FakePage(f"p{i}/index.html") for i in range(200)]

    def render(page: FakePage) -> Iterator[bytes]:
        import time
        time.sleep(0.002)
        yield f"{page.path} ".encode()
        yield str(os.getpid()).encode()  # written part by part

    staged = StagedFiles(tmp_path / "staging")
    parallel.render_in_two(pages, render, lambda done, total: None, staged)
    assert sorted(staged) == sorted(p.path for p in pages)
    on_disk = sorted(str(p.relative_to(tmp_path / "staging")) for p in (tmp_path / "staging").rglob("*") if p.is_file())
    assert on_disk == sorted(staged)
    assert all(staged[path].decode().startswith(path + " ") for path in staged)
    by = {staged[path].decode().split()[1] for path in staged}
    assert str(os.getpid()) in by and len(by) == 2


def test_citations_checked_on_two_processors_are_those_of_one(real_content_copy, monkeypatch, forks):
    """Many files' citations, stated figures and summaries are checked by two processes: the same resolved
    citations, the same problems in order."""
    from site_gen.errors import ContentError
    from site_gen.load import load_content
    from site_gen.validate import citations, validate

    content = real_content_copy
    for path in sorted(content.root.glob("cities/*/documents/*.yaml"))[:3]:  # a wrong quote in several files
        text = path.read_text(encoding="utf-8")
        start = text.index("quote: ") + len("quote: ")
        path.write_text(text[:start] + "并非原文的句子" + text[start:], encoding="utf-8")
    benefit = next(content.root.glob("cities/fuxin/documents/*.yaml"))  # a figure the record states, no quote has
    benefit.write_text(benefit.read_text(encoding="utf-8").replace(
        "benefit: 提供专利检索分析", "benefit: 提供9876万元专利检索分析", 1), encoding="utf-8")
    for summary in sorted(content.root.glob("cities/*/city.md"))[:2]:  # a figure none of its sources has
        summary.write_text(summary.read_text(encoding="utf-8") + "\n投入8765亿元。\n", encoding="utf-8")
    outcomes = []
    for threshold, jobs in ((1, "2"), (10**6, "1")):
        monkeypatch.setattr(citations, "PARALLEL_FILES", threshold)
        monkeypatch.setenv("SITE_GEN_JOBS", jobs)
        with pytest.raises(ContentError) as caught:
            validate(load_content(content.root))
        outcomes.append([str(p) for p in caught.value.problems])
    assert forks and outcomes[0] == outcomes[1] and len(outcomes[0]) >= 6
    assert sum("9876万元" in p for p in outcomes[0]) == 1 and sum("8765亿元" in p for p in outcomes[0]) == 2
    monkeypatch.setattr(citations, "PARALLEL_FILES", 1)
    monkeypatch.setenv("SITE_GEN_JOBS", "2")
    two = validate(load_content(REAL_CONTENT)).citations()
    monkeypatch.setenv("SITE_GEN_JOBS", "1")
    assert two == validate(load_content(REAL_CONTENT)).citations()


def test_city_folders_read_on_two_processors_are_those_of_one(real_content_copy, monkeypatch, forks):
    """Many city folders are read by two processes, a batch at a time: the same files read, the same problems."""
    import site_gen.load as load

    content = real_content_copy
    cities = sorted(p for p in (content.root / "cities").iterdir())
    (cities[0] / "notes.txt").write_text("不是内容", encoding="utf-8")  # an unexpected file
    (cities[1] / "city.yaml").write_text("name: [unclosed\n", encoding="utf-8")  # not YAML
    summary = cities[-1] / "city.md"
    summary.write_text(summary.read_text(encoding="utf-8") + "\n\u202e\n", encoding="utf-8")  # a refused character
    (content.root / "sources" / "stray.md").write_text("x", encoding="utf-8")  # read by this process meanwhile
    monkeypatch.setattr(load, "CITY_BATCHES", 4)
    outcomes = []
    for threshold, jobs in ((1, "2"), (10**6, "1")):
        monkeypatch.setattr(load, "PARALLEL_CITIES", threshold)
        monkeypatch.setenv("SITE_GEN_JOBS", jobs)
        outcomes.append(load.load_content(content.root))
    assert len(forks) == 1
    two, one = outcomes
    assert two == one and [c.folder for c in two.cities] == [c.folder for c in one.cities]
    assert len(two.cities) == len(cities) and two.sources
    shown = [str(p) for p in two.problems]
    for expected in ("notes.txt", f"{cities[1].name}/city.yaml", f"{cities[-1].name}/city.md", "stray.md"):
        assert sum(expected in p for p in shown) == 1, (expected, shown)


def test_serve_renders_on_two_processes_when_it_can_keep_no_page(tmp_path, monkeypatch, forks):
    """The preview's first build, and a rebuild after a template changed, render as a full build does; an edit
    of content renders only its pages, in this process; every build gives the bytes of a full build."""
    import site_gen.load as load
    import site_gen.render.pages as pages_module
    from site_gen.serve import Preview
    from tests.test_incremental import ZONE, replace

    monkeypatch.setattr(parallel, "PARALLEL_PAGES", 2)
    monkeypatch.setattr(load, "PARALLEL_CITIES", 1)  # serve reads in this process: its memo keeps the reads
    rendered: list[str] = []  # by this process: the forked one's pages are not counted here
    real_renderer = pages_module._page_renderer

    def counting_renderer(*args, **kwargs):  # type: ignore[no-untyped-def]
        render = real_renderer(*args, **kwargs)

        def counted(page, path):  # type: ignore[no-untyped-def]
            rendered.append(path)
            return render(page, path)
        return counted

    monkeypatch.setattr(pages_module, "_page_renderer", counting_renderer)
    content, templates = tmp_path / "content", tmp_path / "templates"
    shutil.copytree(REAL_CONTENT, content)
    shutil.copytree(TEMPLATES, templates)

    def config(out: str) -> BuildConfig:
        return BuildConfig(content_dir=content, out_dir=tmp_path / out, templates_dir=templates,
                           today=dt.date(2026, 11, 23), search=False)

    preview = Preview(config("served"))
    preview.rebuild()
    assert forks
    build_site(config("fresh"))
    assert snapshot(tmp_path / "served") == snapshot(tmp_path / "fresh")
    forks.clear()
    rendered.clear()
    replace(content / "cities/jinzhou/city.yaml", ZONE, ZONE + "（改）")
    preview.rebuild()
    assert not forks  # a rebuild renders only what changed, here
    assert sorted(rendered) == ["cities/jinzhou/index.html", "en/cities/jinzhou/index.html"]
    build_site(config("fresh"))
    assert snapshot(tmp_path / "served") == snapshot(tmp_path / "fresh")
    forks.clear()
    replace(templates / "static/site.css", "/* ", "/* edited. ")  # every page links the stylesheet by its hash
    preview.rebuild()
    assert forks
    build_site(config("fresh"))
    assert snapshot(tmp_path / "served") == snapshot(tmp_path / "fresh")
