"""``make bench``: speed and memory of the build, with targets.

Each case runs in a fresh process so its peak memory (max RSS) is its own.
Targets are deliberately loose multiples of what this machine (2 cores)
measures; a miss prints FAIL and exits 1.  Run: ``python -m tests.bench``.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"

CASE = r"""
import json, resource, sys, time
from pathlib import Path
kind, content, out = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
started = time.perf_counter()
if kind == "validate":
    from site_gen.build import load_site
    from site_gen.errors import ContentError
    try:
        load_site(content)
    except ContentError:
        pass
else:
    import datetime as dt
    from site_gen.build import build_site
    from site_gen.config import BuildConfig
    build_site(BuildConfig(content_dir=content, out_dir=out, templates_dir=Path("templates"),
                           today=dt.date(2026, 11, 23), search=(kind == "build")))
elapsed = time.perf_counter() - started
print(json.dumps({"seconds": elapsed, "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def run_case(kind: str, content: Path, out: Path) -> dict:
    result = subprocess.run([sys.executable, "-c", CASE, kind, str(content), str(out)], cwd=ROOT,
                            capture_output=True, text=True, check=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


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


TARGETS = {  # case: (seconds, max RSS in MB)
    "validate real content": (5.0, 400),
    "build real content, no search": (10.0, 500),
    "build real content with search": (20.0, 500),
    "alias bomb": (2.0, 200),
    "50 MB file": (2.0, 200),
    "deep nesting": (5.0, 300),
    "0.99 MB of keys": (10.0, 400),
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
    failed = False
    print(f"{'case':34} {'seconds':>8} {'target':>7} {'max RSS MB':>11} {'target':>7}")
    for name, measured in results.items():
        seconds, memory = TARGETS[name]
        ok = measured["seconds"] <= seconds and measured["max_rss_mb"] <= memory
        failed |= not ok
        print(f"{name:34} {measured['seconds']:8.2f} {seconds:7.1f} {measured['max_rss_mb']:11.0f} {memory:7d}"
              f"  {'ok' if ok else 'FAIL'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
