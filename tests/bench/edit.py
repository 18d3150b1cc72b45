"""The one-edit rebuild of ``site-gen serve``, timed as a reader sees it: ``python tests/bench/edit.py CONTENT WORK``.

Starts ``site-gen serve`` (with the search index) on CONTENT, waits until it
serves, renames a zone in the first city.yaml that has one, and asks the
server for that city's page every 10 ms until the page shows the new name;
three times, a few seconds apart.  Prints one JSON line: the first build's
seconds (start to serving, which is before its search index), the median of the three edits' seconds from the
saved file to the first response showing it (``seconds``: the file watcher's
wait, the rebuild and the swap, all included; each one in ``each``), and
from the last edit until that page no longer says the search index is
updating or being made (``indexed``).
CONTENT is edited in place: give it a copy.
"""

from __future__ import annotations

import json
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from site_gen.serve import FIRST_INDEX_NOTE, UPDATING_NOTE  # noqa: E402

MARK = "（改）"
EDITS = 3
PAUSE = 3.0
"""Seconds between edits: the search index of the last edit is still being made, as while editing."""


def edit(content: Path, mark: str = MARK) -> Path:
    for city in sorted((content / "cities").glob("*/city.yaml")):
        text = city.read_text(encoding="utf-8")
        marker = "    name: "
        if "\nzones:\n" in text and marker in text:
            start = text.index(marker, text.index("\nzones:\n")) + len(marker)
            end = text.index("\n", start)
            city.write_text(text[:end] + mark + text[end:], encoding="utf-8")
            return city
    raise SystemExit(f"no city with a zone under {content}")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def page(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return str(response.read().decode("utf-8"))
    except OSError:
        return ""  # not serving yet


def wait_for(check: Callable[[], bool], timeout: float, what: str, server: subprocess.Popen[bytes]) -> float:
    started = time.perf_counter()
    while not check():
        if server.poll() is not None:
            raise SystemExit(f"site-gen serve stopped (exit {server.returncode}) before {what}")
        if time.perf_counter() - started > timeout:
            raise SystemExit(f"{what}: not within {timeout:.0f} s")
        time.sleep(0.01)
    return time.perf_counter()


def main() -> None:
    content, work = Path(sys.argv[1]), Path(sys.argv[2])
    port = free_port()
    site_gen = Path(sys.executable).with_name("site-gen")
    command = [str(site_gen), "serve", "--content", str(content), "--out", str(work / "output"),
               "--templates", str(ROOT / "templates"), "--port", str(port)]
    started = time.perf_counter()
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              env={**os.environ, "PYTHONUNBUFFERED": "1"})
    try:
        home = f"http://127.0.0.1:{port}/"
        first = wait_for(lambda: bool(page(home)), 1800, "the first build", server) - started
        each = []
        for number in range(1, EDITS + 1):
            time.sleep(PAUSE)
            mark = f"（改{number}）"
            edited = edit(content, mark)
            saved = time.perf_counter()
            url = f"http://127.0.0.1:{port}/cities/{edited.parent.name}/"
            each.append(wait_for(lambda: mark in page(url), 600, "the edit on its page", server) - saved)
        indexed = wait_for(lambda: not any(note in page(url) for note in (UPDATING_NOTE, FIRST_INDEX_NOTE)),
                           1800, "the search index", server) - saved
    finally:
        server.terminate()
        server.wait(timeout=60)
    print(json.dumps({"first": first, "seconds": statistics.median(each), "each": each, "indexed": indexed}))


if __name__ == "__main__":
    main()
