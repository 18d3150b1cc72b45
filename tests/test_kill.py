"""A build killed at any point leaves output/ the complete old or new site, and the next build recovers.

The build kills itself (SIGKILL, no cleanup) at a point it names: the test
hook ``SITE_GEN_KILL_AT`` of :mod:`site_gen.killpoint`.  So the points are
exact, including inside the write (half the staging folder written, the
marker written) and inside the swap (after the exchange, between the two
renames of the fallback, half-way through replacing a mount point's
entries), and every test first proves its point was reached: the process
died of SIGKILL, and what it left on disk is what that point leaves.

The fallbacks are forced through a small wrapper around the CLI: without
``renameat2`` (``_exchange`` returns False, as on non-Linux systems) and with
``--out`` taken for a mount point (``is_mount_point`` returns True).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from site_gen.killpoint import ENV, POINTS
from site_gen.write import MARKER
from tests.conftest import DOC, TEMPLATES, record, write_fixture
from tests.test_build import snapshot

EPOCH = "1795392000"

# Runs the CLI after forcing a fallback of site_gen.write (argv[1]).
WRAPPER = """
import sys
import site_gen.write as write
variant = sys.argv.pop(1)
if variant == "renames":
    write._exchange = lambda a, b: False
elif variant == "mount":
    write.is_mount_point = lambda path: True
from site_gen.cli import main
main()
"""

# (variant, point): every point of a build with renameat2, and the points
# that only the fallbacks have (or where they differ).
CASES = [("exchange", point) for point in POINTS if point not in ("renamed-old", "entries-half")] + [
    ("renames", "marker"), ("renames", "renamed-old"), ("renames", "done"),
    ("mount", "write-half"), ("mount", "marker"), ("mount", "entries-half"), ("mount", "done"),
]
BEFORE_WRITE = ("load", "render")
BEFORE_SWAP = ("write", "write-half", "index", "written", "swap", "marker")


def build_command(variant: str, content: Path, out: Path) -> list[str]:
    return [sys.executable, "-c", WRAPPER, variant, "build", "--content", str(content), "--out", str(out),
            "--templates", str(TEMPLATES)]


def run_build(content: Path, out: Path, variant: str = "exchange", kill_at: str | None = None):
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH}
    env.pop(ENV, None)
    if kill_at:
        env[ENV] = kill_at
    return subprocess.run(build_command(variant, content, out), capture_output=True, text=True, env=env,
                          timeout=300)


@pytest.fixture(scope="module")
def sites(tmp_path_factory):
    """Content, the site built from it (old), and the site of the edited content (new)."""
    root = tmp_path_factory.mktemp("kill")
    content = write_fixture(root / "content")
    old = root / "old"
    assert run_build(content.root, old).returncode == 0
    content.replace(DOC, "title: 新认定国家级孵化器奖励", "title: 新认定国家级孵化器奖励（修订）")
    new = root / "new"
    assert run_build(content.root, new).returncode == 0
    return content.root, snapshot(old), snapshot(new), old


def leftovers(folder: Path, kind: str) -> list[Path]:
    """Staging (``tmp``) or previous-site (``old``) folders of a build beside or inside ``folder``."""
    beside = sorted(folder.parent.glob(f".{folder.name}.{kind}-*"))
    inside = sorted(folder.glob(f"{MARKER}.{kind}-*")) if folder.is_dir() else []
    return beside + inside


def files_in(folder: Path) -> dict[str, str]:
    return snapshot(folder) if folder.is_dir() else {}


def check_reached(variant: str, point: str, out: Path, before: dict, after: dict) -> None:
    """output/ is the old or the new site, and what the build left is what ``point`` leaves."""
    staging = leftovers(out, "tmp")
    now = {k: v for k, v in files_in(out).items() if not k.startswith(f"{MARKER}.")}  # not a staging inside
    new_files = {k: v for k, v in after.items() if k != MARKER}
    if point in BEFORE_WRITE + BEFORE_SWAP:
        assert now == before, "output/ changed before the swap"
    elif point in ("exchanged", "done"):
        assert now == after, "output/ is not the new site after the swap"
    elif point == "renamed-old":
        # The one gap without renameat2: output/ is missing until the next build puts it back.
        assert not out.exists(), "output/ is still there between the two renames"
    elif point == "entries-half":
        # The weaker guarantee of a mount point: each entry is old or new, the whole a mix of both.
        assert now != before and now != after, "half-way through, output/ holds entries of both sites"
        assert all(before.get(k) == v or after.get(k) == v for k, v in now.items()), "a file is neither"
    else:  # pragma: no cover - a point this test does not know
        raise AssertionError(point)
    if point in BEFORE_WRITE:
        assert not staging, "nothing may be written before the write stage"
    elif point in BEFORE_SWAP:
        assert len(staging) == 1, f"one staging folder at {point!r}: {staging}"
        staged = files_in(staging[0])
        if point == "write":
            assert staged == {}
        elif point == "write-half":
            assert 0 < len(staged) < len(new_files), "killed half-way through the write"
            assert all(after[k] == v for k, v in staged.items())
        elif point == "index":  # every file but the search index, which is not made yet
            assert staged == {k: v for k, v in new_files.items() if not k.startswith("pagefind/")}
            assert len(staged) < len(new_files)
        else:
            assert {k: v for k, v in staged.items() if k != MARKER} == new_files
            assert (MARKER in staged) == (point == "marker")
    elif point == "exchanged":
        assert len(staging) == 1 and snapshot(staging[0]) == before, "the old site waits to be removed"
    elif point == "renamed-old":
        old = leftovers(out, "old")
        assert len(old) == 1 and snapshot(old[0]) == before, "the old site must wait beside output/"
        assert len(staging) == 1 and snapshot(staging[0]) == after
    elif point == "done":
        assert not staging and not leftovers(out, "old")


@pytest.mark.parametrize("variant, point", CASES, ids=[f"{v}-{p}" for v, p in CASES])
def test_sigkill_leaves_a_complete_site(sites, tmp_path, variant, point):
    content, before, after, old = sites
    out = tmp_path / "output"
    shutil.copytree(old, out)
    killed = run_build(content, out, variant, kill_at=point)
    assert killed.returncode == -signal.SIGKILL, f"the build never reached {point!r}:\n{killed.stderr}"
    check_reached(variant, point, out, before, after)
    recovered = run_build(content, out, variant)  # the next build recovers and leaves nothing behind
    assert recovered.returncode == 0, recovered.stderr
    assert snapshot(out) == after
    assert not leftovers(out, "tmp") and not leftovers(out, "old")
    record("kill test: SIGKILL points survived")


def test_every_kill_point_is_tested():
    assert {point for _, point in CASES} == set(POINTS)


def test_an_unknown_kill_point_is_refused(sites, tmp_path):
    content, _, _, old = sites
    out = tmp_path / "output"
    shutil.copytree(old, out)
    result = run_build(content, out, kill_at="swapp")
    assert result.returncode == 1
    assert result.stderr.startswith(f"error: {ENV}='swapp' is not a kill point")
    assert snapshot(out) == snapshot(old)
