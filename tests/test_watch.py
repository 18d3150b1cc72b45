"""``site-gen serve`` watches before its first build, and walks again only the city folders with a change.

The file watcher is real (watchfiles on this machine's file system); so are
the builds, compared file by file with a fresh full build of the same input.
"""

from __future__ import annotations

import os
import queue
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest

import site_gen.build
import site_gen.load
from site_gen.build import build_site
from site_gen.serve import Preview
from site_gen.watch import Watcher, WatchError
from tests.test_build import snapshot
from tests.test_incremental import ZONE, configs, replace, tree  # noqa: F401 - tree is a fixture

PANJIN_CITY = "\nname: 盘锦市"


def next_batch(watcher: Watcher, wanted: Path, timeout: float = 30) -> set[str]:
    """The watcher's batches until one names ``wanted``, merged (with a deadline, as a test must end)."""
    found: queue.Queue[set[str]] = queue.Queue()
    seen: set[str] = set()

    def take() -> None:
        for batch in watcher:
            found.put(batch)

    threading.Thread(target=take, daemon=True).start()
    deadline = time.monotonic() + timeout
    while str(wanted) not in seen:
        seen |= found.get(timeout=max(0.1, deadline - time.monotonic()))
    return seen


def page(out: Path, city: str) -> str:
    return (out / "cities" / city / "index.html").read_text(encoding="utf-8")


def test_the_watcher_reports_a_write_made_as_soon_as_it_has_started(tmp_path):
    folder = tmp_path / "watched"
    (folder / "cities/jinzhou").mkdir(parents=True)
    watcher = Watcher([folder])
    watcher.start()
    try:
        target = folder / "cities/jinzhou/city.yaml"
        target.write_text("slug: jinzhou\n", encoding="utf-8")  # no wait: start() returned, so it is watched
        assert str(target) in next_batch(watcher, target)
    finally:
        watcher.stop()


def test_a_watcher_that_cannot_watch_says_so():
    watcher = Watcher([Path("/no/such/folder/anywhere")])
    with pytest.raises(WatchError):
        watcher.start()
        for _ in watcher:
            break


def test_an_edit_made_while_the_first_build_runs_is_rebuilt_after_it(tree, tmp_path, monkeypatch):
    """The edit lands after the first build read the content, so that build cannot show it; the watcher,
    started before the build, reports it, and the next rebuild shows it."""
    content, templates = tree
    served, fresh = configs(tmp_path, content, templates, search=False)
    city = content / "cities/jinzhou/city.yaml"
    real_load = site_gen.build.load_content

    def load_then_edit(*args, **kwargs):  # type: ignore[no-untyped-def]
        raw = real_load(*args, **kwargs)
        replace(city, ZONE, ZONE + "（改）")
        return raw

    watcher = Watcher([content, templates])
    watcher.start()
    try:
        preview = Preview(served)
        monkeypatch.setattr("site_gen.build.load_content", load_then_edit)
        preview.rebuild(changed=())
        monkeypatch.setattr("site_gen.build.load_content", real_load)
        assert "锦州高新技术产业开发区（改）" not in page(served.out_dir, "jinzhou")
        preview.rebuild(next_batch(watcher, city))
    finally:
        watcher.stop()
    assert "锦州高新技术产业开发区（改）" in page(served.out_dir, "jinzhou")
    build_site(fresh)
    assert snapshot(served.out_dir) == snapshot(fresh.out_dir)


def test_only_city_folders_with_a_reported_change_are_walked_again(tree, tmp_path, monkeypatch):
    monkeypatch.setattr("site_gen.load.SETTLED_NS", 0)  # files count as settled at once, as after 2 s
    content, templates = tree
    served, fresh = configs(tmp_path, content, templates, search=False)
    preview = Preview(served)
    preview.rebuild(changed=())
    reads: list[str] = []
    real = site_gen.load.read_text_and_digest

    def counted(path, display):  # type: ignore[no-untyped-def]
        reads.append(Path(display).relative_to(content).as_posix())
        return real(path, display)

    monkeypatch.setattr("site_gen.load.read_text_and_digest", counted)
    jinzhou, panjin = content / "cities/jinzhou/city.yaml", content / "cities/panjin/city.yaml"
    replace(jinzhou, ZONE, ZONE + "（改）")
    replace(panjin, PANJIN_CITY, PANJIN_CITY + "（改）")
    preview.rebuild(changed=[str(jinzhou)])  # the watcher reported Jinzhou only
    assert reads == ["cities/jinzhou/city.yaml"]  # the other files of Jinzhou had the same status
    assert "锦州高新技术产业开发区（改）" in page(served.out_dir, "jinzhou")
    assert "盘锦市（改）" not in page(served.out_dir, "panjin")  # trusted unchanged: not looked at
    reads.clear()
    preview.rebuild(changed=[])  # nothing reported: nothing read, the same site
    assert reads == []
    preview.rebuild(changed=["/elsewhere/panjin/city.yaml"])  # a name outside the folders: walk them all
    assert "cities/panjin/city.yaml" in reads
    assert "盘锦市（改）" in page(served.out_dir, "panjin")
    replace(panjin, PANJIN_CITY + "（改）", PANJIN_CITY + "（再改）")
    reads.clear()
    preview.rebuild()  # no watcher: every folder is walked again, so Panjin's edit is found
    assert "cities/panjin/city.yaml" in reads
    assert "盘锦市（再改）" in page(served.out_dir, "panjin")
    build_site(fresh)
    assert snapshot(served.out_dir) == snapshot(fresh.out_dir)


def test_a_reported_path_names_its_city_folder_however_deep(tree, tmp_path):
    content, templates = tree
    served, _ = configs(tmp_path, content, templates, search=False)
    preview = Preview(served)
    real = os.path.realpath(content)
    assert preview._city_of(f"{real}/cities/jinzhou/documents/x.yaml") == "jinzhou"
    assert preview._city_of(f"{real}/cities/jinzhou") == "jinzhou"
    assert preview._city_of(os.path.abspath(content / "cities/panjin/city.md")) == "panjin"
    assert preview._city_of(f"{real}/cities") is None
    assert preview._city_of(f"{real}/sources/x.txt") is None
    assert preview._city_of(f"{real}-other/cities/jinzhou/city.yaml") is None


def test_site_gen_serve_shows_an_edit(tree, tmp_path):
    """The real command: built, served, one city edited twice, each edit on its page without a restart."""
    import socket

    content, templates = tree
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    command = [str(Path(sys.executable).with_name("site-gen")), "serve", "--content", str(content),
               "--out", str(tmp_path / "output"), "--templates", str(templates), "--port", str(port),
               "--no-search"]
    log = (tmp_path / "serve.log").open("wb")
    server = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env={**os.environ, "PYTHONUNBUFFERED": "1"})

    def get(path: str) -> str:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10) as response:
                return str(response.read().decode("utf-8"))
        except OSError:
            return ""

    def wait_for(text: str, path: str) -> None:
        deadline = time.monotonic() + 120
        while text not in get(path):
            assert server.poll() is None, (tmp_path / "serve.log").read_text(encoding="utf-8")
            assert time.monotonic() < deadline, (text, (tmp_path / "serve.log").read_text(encoding="utf-8"))
            time.sleep(0.05)

    try:
        wait_for("锦州", "/cities/jinzhou/")
        city = content / "cities/jinzhou/city.yaml"
        replace(city, ZONE, ZONE + "（一）")
        wait_for("锦州高新技术产业开发区（一）", "/cities/jinzhou/")
        replace(city, ZONE + "（一）", ZONE + "（二）")
        wait_for("锦州高新技术产业开发区（二）", "/cities/jinzhou/")
    finally:
        server.terminate()  # SIGTERM, as a container's stop sends: stopped as by Ctrl-C
        returncode = server.wait(timeout=60)
        log.close()
    printed = (tmp_path / "serve.log").read_text(encoding="utf-8")
    assert "changed: city.yaml" in printed
    assert returncode == 0 and printed.rstrip().endswith("stopped"), printed
