"""The preview's background workers (:mod:`site_gen.publish`): newest item only, and behind the rebuild."""

from __future__ import annotations

import os
import subprocess
import sys
import threading

import pytest

from site_gen.publish import NewestOnly


def test_only_the_newest_item_handed_over_while_busy_is_worked_on():
    started, release = threading.Event(), threading.Event()
    done: list[int] = []

    def work(item: int) -> None:
        started.set()
        assert release.wait(30)
        done.append(item)

    worker: NewestOnly[int] = NewestOnly(work, "test-worker")
    worker.submit(1)
    assert started.wait(30)
    for item in (2, 3, 4):  # handed over while 1 is worked on: 2 and 3 are superseded before they begin
        worker.submit(item)
    release.set()
    worker.wait()
    assert done == [1, 4]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="per-thread nice values are Linux's")
def test_a_worker_behind_runs_and_starts_its_processes_at_a_lower_priority():
    seen: dict[str, int] = {}

    def work(_: None) -> None:
        seen["thread"] = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
        stat = subprocess.run(["cat", "/proc/self/stat"], capture_output=True, text=True, check=True).stdout
        seen["process"] = int(stat.rsplit(")", 1)[1].split()[16])  # field 19, nice, counted after the name

    mine = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
    worker: NewestOnly[None] = NewestOnly(work, "test-behind", behind=True)
    worker.submit(None)
    worker.wait()
    assert seen["thread"] == seen["process"] == min(19, mine + 10)
    assert os.getpriority(os.PRIO_PROCESS, threading.get_native_id()) == mine  # the caller's is unchanged
