"""A build killed at any moment leaves the previous output/ complete and servable."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import DOC, TEMPLATES, record, write_fixture
from tests.test_build import snapshot

STAGES = ["load", "render", "write", "index", "swap"]
DELAYS = [0.05, 0.15, 0.3, 0.5, 0.8, 1.2]


def build_command(content: Path, out: Path) -> list[str]:
    return [sys.executable, "-m", "site_gen", "build", "--content", str(content), "--out", str(out),
            "--templates", str(TEMPLATES), "--verbose"]


def run_build(content: Path, out: Path) -> None:
    subprocess.run(build_command(content, out), check=True, capture_output=True,
                   env={**os.environ, "SOURCE_DATE_EPOCH": "1795392000"})


@pytest.fixture(scope="module")
def sites(tmp_path_factory):
    """Content, the site built from it (old), and the site of the edited content (new)."""
    root = tmp_path_factory.mktemp("kill")
    content = write_fixture(root / "content")
    old = root / "old"
    run_build(content.root, old)
    content.replace(DOC, "title: 新认定国家级孵化器奖励", "title: 新认定国家级孵化器奖励（修订）")
    new = root / "new"
    run_build(content.root, new)
    return content.root, snapshot(old), snapshot(new), old


def killed_build(content: Path, out: Path, *, stage: str | None = None, delay: float | None = None) -> str:
    process = subprocess.Popen(build_command(content, out), stderr=subprocess.PIPE, stdout=subprocess.DEVNULL,
                               env={**os.environ, "SOURCE_DATE_EPOCH": "1795392000"}, text=True)
    reached = "finished"
    if stage is not None:
        for line in process.stderr:
            if line.strip() == f"stage: {stage}":
                reached = stage
                break
    else:
        time.sleep(delay)
        reached = f"{delay}s"
    process.send_signal(signal.SIGKILL)
    process.wait()
    return reached


def check_output(out: Path, before: dict, after: dict) -> None:
    now = snapshot(out)
    assert now in (before, after), "output/ is neither the old site nor the new one"


@pytest.mark.parametrize("point", [f"stage:{s}" for s in STAGES] + [f"delay:{d}" for d in DELAYS])
def test_sigkill_leaves_a_complete_site(sites, tmp_path, point):
    import shutil

    content, before, after, old = sites
    out = tmp_path / "output"
    shutil.copytree(old, out)
    kind, value = point.split(":")
    if kind == "stage":
        assert killed_build(content, out, stage=value) == value
    else:
        killed_build(content, out, delay=float(value))
    check_output(out, before, after)
    run_build(content, out)  # the next build recovers and leaves nothing behind
    assert snapshot(out) == after
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith(".output.")]
    record("kill test: SIGKILL points survived")
