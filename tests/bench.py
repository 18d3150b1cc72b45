"""``make bench``: speed and memory of the build, with targets.

Each case runs in a fresh process so its peak memory (max RSS) is its own,
three times: the median time and the largest peak are judged.  Targets are deliberately loose multiples of what this machine (2 cores)
measures; a miss prints FAIL and exits 1.  Each case also states how it must
end (valid with so many citations resolved, or refused with a given problem),
so a run that stopped early cannot pass for a fast one.  Run:
``python -m tests.bench``.

Then the scale cases (``tests/bench/scale.py``): synthetic corpora of K copies
of the real content (``BENCH_K``, default ``1,10,100``), site-gen against Hugo
on the same pages.  With K=100 the whole bench takes about 30 minutes on this
2-core machine; ``BENCH_K=1,10 make bench`` about 5.  ``BENCH_K=`` (empty)
skips the scale cases.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Callable

from tests import hostile_sources as hostile

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"

CASE = r"""
import json, resource, sys, time
from pathlib import Path
kind, content, out = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
started = time.perf_counter()
if kind == "validate":
    from site_gen.errors import ContentError
    from site_gen.load import load_content
    from site_gen.model import build_site_model
    from site_gen.validate import validate
    try:  # what site_gen.build.load_site does, keeping the citations to count them
        valid = validate(load_content(content))
        build_site_model(valid)
        outcome = {"ok": True, "citations": len(valid.citations())}
    except ContentError as error:
        outcome = {"ok": False, "problems": [str(p).removeprefix(f"{content}/") for p in error.problems[:20]]}
elif kind == "ingest":
    from site_gen.errors import BuildError, ContentError
    from site_gen.ingest import ingest_file
    try:
        ingest_file(content / "raw.txt", "x-2020-plan", content, content / "rules.yaml")
        outcome = {"ok": True}
    except ContentError as error:
        outcome = {"ok": False, "problems": [str(p).removeprefix(f"{content}/") for p in error.problems[:20]]}
    except BuildError as error:
        outcome = {"ok": False, "problems": [str(error).replace(f"{content}/", "")]}
else:
    import datetime as dt
    from site_gen.build import build_site
    from site_gen.config import BuildConfig
    build_site(BuildConfig(content_dir=content, out_dir=out, templates_dir=Path("templates"),
                           today=dt.date(2026, 11, 23), search=(kind == "build")))
    outcome = {"ok": True}
elapsed = time.perf_counter() - started
try:  # this process's own peak: ru_maxrss survives exec, so it would report the bench's own peak too
    status = Path("/proc/self/status").read_text()
    peak_kb = int(next(line for line in status.splitlines() if line.startswith("VmHWM:")).split()[1])
except (OSError, StopIteration):
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"seconds": elapsed, "max_rss_mb": peak_kb / 1024, "outcome": outcome}))
"""


def scale_module():
    """tests/bench/scale.py (tests/bench/ is a folder of bench files, not a package beside this module)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("bench_scale", Path(__file__).parent / "bench" / "scale.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


CASE_RUNS = 3
"""Each case runs this many times; its median time is judged (one run slowed by the machine does not fail it)."""


def run_case(kind: str, content: Path, out: Path) -> dict:
    runs = []
    for _ in range(CASE_RUNS):
        result = subprocess.run([sys.executable, "-c", CASE, kind, str(content), str(out)], cwd=ROOT,
                                capture_output=True, text=True, check=True)
        runs.append(json.loads(result.stdout.strip().splitlines()[-1]))
    runs.sort(key=lambda run: run["seconds"])
    median = runs[len(runs) // 2]
    return {**median, "max_rss_mb": max(run["max_rss_mb"] for run in runs)}


def hostile_content(root: Path) -> dict[str, Path]:
    """Content folders that each hold one hostile file."""
    cases = {}

    def case(name: str, filename: str, data: bytes) -> None:
        folder = root / name
        (folder / "cities/x").mkdir(parents=True)
        (folder / "cities/x" / filename).write_bytes(data)
        cases[name] = folder

    bomb = b'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + b"".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{','.join(['*' + chr(97 + i)] * 9)}]\n".encode() for i in range(8))
    case("alias bomb", "city.yaml", bomb)
    case("50 MB file", "city.yaml", b"a: " + b"x" * 50_000_000 + b"\n")
    case("deep nesting", "city.yaml", b"a: " + b"[" * 50_000 + b"]" * 50_000 + b"\n")
    case("0.99 MB of keys", "city.yaml", b"".join(f"k{i}: v\n".encode() for i in range(99_000)))
    return cases


def hostile_sources(root: Path) -> dict[str, Path]:
    """Valid content trees whose archived text is built to be slow (tests/hostile_sources.py)."""
    full = hostile.identical_lines_fitting()  # as many as an archived text may hold
    return {
        "16,000 identical lines (48 KB)": hostile.identical_lines_tree(root / "lines", 16_000).root,
        "1 MB of identical lines (333,000)": hostile.identical_lines_tree(root / "lines-1mb", full).root,
        "4,500 citations of a 4,000-par. section": hostile.long_section_tree(root / "long", 4_000, 4_500).root,
    }


HOSTILE_LINE = "a" * 100_000 + "!"


def hostile_ingest(root: Path) -> dict[str, Path]:
    """Folders holding raw.txt (a hostile line) and rules.yaml (a catastrophic rule) for ingest."""
    cases = {}
    for name, rule in (("ingest: (a+)+$ rule, hostile line", "(a+)+$"),
                       ("ingest: ^(a|aa)+$ rule, hostile line", "^(a|aa)+$")):
        folder = root / str(len(cases))
        folder.mkdir(parents=True)
        (folder / "rules.yaml").write_text(f"drop_lines:\n  - name: runaway\n    pattern: '{rule}'\n")
        (folder / "raw.txt").write_text(f"正文第一行。\n{HOSTILE_LINE}\n正文。\n", encoding="utf-8")
        cases[name] = folder
    return cases


def valid(citations: int | None = None) -> Callable[[dict], bool]:
    """The run validated, resolving this many citations: the real path was measured."""
    return lambda o: o["ok"] and (citations is None or o.get("citations") == citations)


def refused(text: str) -> Callable[[dict], bool]:
    """The run ended with a problem saying ``text``: refused on purpose, not by accident."""
    return lambda o: not o["ok"] and any(text in p for p in o["problems"])


TARGETS = {  # case: (seconds, max RSS in MB, what the run must end with)
    "validate real content": (5.0, 400, valid()),
    "build real content, no search": (10.0, 500, valid()),
    "build real content with search": (20.0, 500, valid()),
    "alias bomb": (2.0, 200, refused("aliases (*name) are not allowed")),
    "50 MB file": (2.0, 200, refused("file is 50,000,004 bytes")),
    "deep nesting": (5.0, 300, refused("nesting depth")),
    "0.99 MB of keys": (10.0, 400, refused("unknown field 'k0'")),
    "16,000 identical lines (48 KB)": (2.0, 150, valid(hostile.FIXTURE_CITATIONS)),
    "1 MB of identical lines (333,000)": (2.0, 300, valid(hostile.FIXTURE_CITATIONS)),
    "4,500 citations of a 4,000-par. section": (2.0, 250, valid(hostile.FIXTURE_CITATIONS + 4_500)),
    # refused when the rules are read: the nested quantifier is recognised
    "ingest: (a+)+$ rule, hostile line": (2.0, 150, refused("rule 'runaway': a repeated group")),
    # not recognisable, so it runs: stopped by the time limit on line 2
    "ingest: ^(a|aa)+$ rule, hostile line": (2.0, 150, refused("raw.txt:2: rule 'runaway'")),
}


def main() -> int:
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        results["validate real content"] = run_case("validate", CONTENT, tmp_path / "o1")
        results["build real content, no search"] = run_case("render", CONTENT, tmp_path / "o2")
        results["build real content with search"] = run_case("build", CONTENT, tmp_path / "o3")
        for name, folder in hostile_content(tmp_path / "hostile").items():
            results[name] = run_case("validate", folder, tmp_path / "o4")
        for name, folder in hostile_sources(tmp_path / "sources").items():
            results[name] = run_case("validate", folder, tmp_path / "o4")
        for name, folder in hostile_ingest(tmp_path / "ingest").items():
            results[name] = run_case("ingest", folder, tmp_path / "o4")
    failed = False
    print(f"{'case':40} {'seconds':>8} {'target':>7} {'max RSS MB':>11} {'target':>7}  outcome")
    for name, measured in results.items():
        seconds, memory, expected = TARGETS[name]
        ended_right = expected(measured["outcome"])
        ok = measured["seconds"] <= seconds and measured["max_rss_mb"] <= memory and ended_right
        failed |= not ok
        print(f"{name:40} {measured['seconds']:8.2f} {seconds:7.1f} {measured['max_rss_mb']:11.0f} {memory:7d}"
              f"  {'ok' if ok else 'FAIL'}: {_describe(measured['outcome'])}"
              f"{'' if ended_right else ' (not the expected outcome)'}")
    if os.environ.get("BENCH_K", "1,10,100").strip():
        with tempfile.TemporaryDirectory() as tmp:
            failed |= not scale_module().main(Path(tmp))
    return 1 if failed else 0


def _describe(outcome: dict) -> str:
    if outcome["ok"]:
        return "valid" + (f", {outcome['citations']:,} citations resolved" if "citations" in outcome else "")
    problems = outcome["problems"]
    return f"refused: {problems[0][:70]}" + (f" (+{len(problems) - 1} more)" if len(problems) > 1 else "")


if __name__ == "__main__":
    sys.exit(main())
