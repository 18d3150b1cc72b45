"""The one-edit rebuild of ``site-gen serve``, timed: ``python tests/bench/edit.py CONTENT WORK``.

Builds CONTENT once the way ``site-gen serve`` does (with the search index),
renames a zone in the first city.yaml that has one, rebuilds, and prints one
JSON line: the first build's seconds, the rebuild's seconds until the new site
was swapped in (``seconds``), and until its search index was swapped in too.
CONTENT is edited in place: give it a copy.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from site_gen.config import BuildConfig, build_date  # noqa: E402
from site_gen.serve import Preview  # noqa: E402


def edit(content: Path) -> Path:
    for city in sorted((content / "cities").glob("*/city.yaml")):
        text = city.read_text(encoding="utf-8")
        marker = "    name: "
        if "\nzones:\n" in text and marker in text:
            start = text.index(marker, text.index("\nzones:\n")) + len(marker)
            end = text.index("\n", start)
            city.write_text(text[:end] + "（改）" + text[end:], encoding="utf-8")
            return city
    raise SystemExit(f"no city with a zone under {content}")


def main() -> None:
    content, work = Path(sys.argv[1]), Path(sys.argv[2])
    config = BuildConfig(content_dir=content, out_dir=work / "output", templates_dir=ROOT / "templates",
                         today=build_date(), search=True)
    preview = Preview(config)
    started = time.perf_counter()
    preview.rebuild()
    first = time.perf_counter() - started
    edited = edit(content)
    started = time.perf_counter()
    preview.rebuild()
    visible = time.perf_counter() - started
    if not preview.index_done.wait(timeout=900):
        raise SystemExit("the search index was not updated within 900 s")
    indexed = time.perf_counter() - started
    page = (work / "output" / "cities" / edited.parent.name / "index.html").read_text(encoding="utf-8")
    if "（改）" not in page:
        raise SystemExit(f"the edit of {edited} is not on its page")
    print(json.dumps({"first": first, "seconds": visible, "indexed": indexed,
                      "hits": preview.builder.memo.hits, "misses": preview.builder.memo.misses}))


if __name__ == "__main__":
    main()
