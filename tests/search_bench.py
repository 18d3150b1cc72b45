"""Search as readers meet it, measured in Chromium: recall, precision and time on slow 4G.

Run ``python -m tests.search_bench`` (``--site DIR`` measures an already built
site, ``--no-speed`` or ``--no-recall`` skips a part).  It builds the real
content, serves it on 127.0.0.1 and drives the search page itself:

* recall and precision of every query of ``tests/browser/search_queries.py``
  (glued, spaced, new terms, normalised forms) and of the 40 policy terms of
  ``tests/browser/test_search.py``, against the pages whose indexed text
  holds every word of what the query means: recall counts the pages a reader
  can open from the results (a result's link, its sections' links and the
  "也见" link of a measure to its other page), precision the results shown;
* time on an emulated slow 4G line (150 ms, 1.6 Mbit/s down, 750 kbit/s up,
  no cache) until the first result is shown and until the search is done,
  both for opening ``/search/?q=…`` cold and for a query typed on a search
  page that has already loaded, with the most fragment requests in flight.

These are measurements, not tests: nothing here fails a build.  The target
(first results within 3 s on slow 4G) is printed next to the figures.  The
local server compresses text with gzip, as static hosts do, and speaks
HTTP/1.1, so Chromium opens at most 6 connections to it; a host that speaks
HTTP/2 allows more requests in flight.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import io
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

from tests.browser.search_queries import GLUED, NEW_TERMS, NORMALISED, SPACED, TRUTH_JS

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
SLOW_4G = {"offline": False, "latency": 150, "downloadThroughput": 1_600_000 / 8, "uploadThroughput": 750_000 / 8}
TARGET_SECONDS = 3.0
TEXT = {".html", ".css", ".js", ".json", ".svg", ".txt", ".xml", ".csv"}
SPEED_QUERIES = ["孵化器", "人才", "盘锦孵化器", "锦州 人才", "高新区", "阜政发[2015]44号", "人才公寓", "科技金融天使投资"]

# Recorded in the page from navigation start: when the first result appears, and when the status says done.
OBSERVER = """
(() => {
  const marks = window.__searchBench = {first: null, done: null, submitted: null};
  const done = (text) => /^(找到|没有|显示)/.test(text || "");
  new MutationObserver(() => {
    const now = performance.now();
    if (marks.first === null && document.querySelector('#search-results li')) marks.first = now;
    const status = document.getElementById('search-status');
    if (marks.done === null && status && done(status.textContent)) marks.done = now;
  }).observe(document, {subtree: true, childList: true, characterData: true});
  document.addEventListener('submit', () => {
    marks.submitted = performance.now(); marks.first = null; marks.done = null;
  }, true);
})();
"""

# The pages shown as results (each result's own link), and every page a reader can open from them.
RESULT_PAGES_JS = """
() => {
  const path = (a) => new URL(a.getAttribute('href'), location.href).pathname;
  const results = [...document.querySelectorAll('#search-results > li')].map((li) => path(li.querySelector('a[href]')));
  const reachable = [...document.querySelectorAll('#search-results a[href]')].map(path);
  return {results: [...new Set(results)], reachable: [...new Set(reachable)]};
}
"""


def build(out: Path) -> Path:
    from site_gen.build import build_site
    from site_gen.config import BuildConfig

    build_site(BuildConfig(content_dir=ROOT / "content", out_dir=out, templates_dir=ROOT / "templates",
                           today=dt.date(2026, 11, 23), search=True))
    return out


def serve(folder: Path):
    import functools
    import http.server
    import threading

    class Handler(http.server.SimpleHTTPRequestHandler):
        """Static files, text compressed with gzip as static hosts do (Pagefind's own files are gzip already)."""

        protocol_version = "HTTP/1.1"

        def log_message(self, format, *args):  # noqa: A002
            pass

        def send_head(self):
            path = Path(self.translate_path(self.path))
            if path.is_dir():
                path = path / "index.html"
            if (path.suffix not in TEXT or "gzip" not in self.headers.get("Accept-Encoding", "")
                    or not path.is_file()):
                return super().send_head()
            body = gzip.compress(path.read_bytes(), mtime=0)
            self.send_response(200)
            self.send_header("Content-Type", self.guess_type(str(path)))
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            return io.BytesIO(body)

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def wait_done(page, timeout: float = 60) -> None:
    page.locator("#search-status").filter(has_text=__import__("re").compile(r"^(找到|没有|显示)")).wait_for(
        timeout=timeout * 1000)


def poll(page, expression: str, timeout: float = 60) -> None:
    """Wait until ``expression`` is true (page.wait_for_function would need eval, which the CSP refuses)."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(expression):
        if time.monotonic() > deadline:
            raise TimeoutError(expression)
        time.sleep(0.02)


def all_results(page) -> list[str]:
    """Every page the results link to, after pressing "more" until there is no more."""
    more = page.locator("#search-more")
    for _ in range(20):
        if not more.is_visible():
            break
        count = page.locator("#search-results > li").count()
        more.click()
        poll(page, f"document.querySelectorAll('#search-results > li').length > {count}"
                   " || document.getElementById('search-more').hidden")
    return page.evaluate(RESULT_PAGES_JS)


def measure_recall(browser, base: str) -> dict:
    from urllib.parse import quote

    from tests.browser.test_search import TERMS

    groups = {
        "40 policy terms": [(t, t) for t in TERMS],
        "glued": list(GLUED),
        "spaced": [(q, q) for q in SPACED],
        "new terms": [(t, t) for t in NEW_TERMS],
        "normalised": list(NORMALISED),
    }
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.goto(f"{base}/search/")
    truth = page.evaluate(TRUTH_JS, sorted({m for queries in groups.values() for _, m in queries}))
    report = {}
    for group, queries in groups.items():
        rows = []
        for typed, meaning in queries:
            page.goto(f"{base}/search/?q={quote(typed)}")
            wait_done(page)
            pages = all_results(page)
            shown, reachable = set(pages["results"]), set(pages["reachable"])
            expected = set(truth[meaning])
            hits = len(reachable & expected)
            right = len(shown & expected)
            rows.append({"query": typed, "expected": len(expected), "found": len(shown), "hits": hits,
                         "recall": hits / len(expected) if expected else 1.0,
                         "precision": right / len(shown) if shown else (1.0 if not expected else 0.0)})
        report[group] = rows
    context.close()
    return report


def measure_speed(browser, base: str) -> list[dict]:
    from urllib.parse import quote

    rows = []
    for query in SPEED_QUERIES:
        row = {"query": query}
        for mode in ("cold", "typed"):
            context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
            context.add_init_script(OBSERVER)
            page = context.new_page()
            cdp = context.new_cdp_session(page)
            cdp.send("Network.enable")
            cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
            cdp.send("Network.emulateNetworkConditions", SLOW_4G)
            flight = {"now": 0, "max": 0, "fragments": 0}

            def started(request, flight=flight):
                if "/fragment/" in request.url:
                    flight["now"] += 1
                    flight["fragments"] += 1
                    flight["max"] = max(flight["max"], flight["now"])

            def ended(request, flight=flight):
                if "/fragment/" in request.url:
                    flight["now"] -= 1

            page.on("request", started)
            page.on("requestfinished", ended)
            page.on("requestfailed", ended)
            if mode == "cold":
                page.goto(f"{base}/search/?q={quote(query)}", wait_until="commit")
                wait_done(page)
                marks = page.evaluate("window.__searchBench")
                start = 0.0
            else:
                page.goto(f"{base}/search/")
                page.locator("#search-status").filter(has_text="输入关键词").wait_for(timeout=60_000)
                flight.update(now=0, max=0, fragments=0)
                page.locator("#search-q").fill(query)
                page.locator("#search-q").press("Enter")
                poll(page, "window.__searchBench.submitted !== null && window.__searchBench.done !== null")
                marks = page.evaluate("window.__searchBench")
                start = marks["submitted"]
            first = marks["first"] if marks["first"] is not None else marks["done"]
            row[mode] = {"first": (first - start) / 1000, "done": (marks["done"] - start) / 1000,
                         "fragments": flight["fragments"], "in_flight": flight["max"]}
            context.close()
        rows.append(row)
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, help="an already built site (default: build content/ now)")
    parser.add_argument("--no-recall", action="store_true")
    parser.add_argument("--no-speed", action="store_true")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="search-bench-") as tmp:
        site = args.site or build(Path(tmp) / "output")
        server, base = serve(site)
        figures: dict = {}
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
            if not args.no_recall:
                started = time.perf_counter()
                figures["recall"] = report = measure_recall(browser, base)
                print(f"recall and precision, per query, averaged ({time.perf_counter() - started:.0f} s):")
                for group, rows in report.items():
                    perfect = sum(r["recall"] == 1 and r["precision"] == 1 for r in rows)
                    print(f"  {group:16} {len(rows):3} queries  recall {statistics.mean(r['recall'] for r in rows):6.1%}"
                          f"  precision {statistics.mean(r['precision'] for r in rows):6.1%}"
                          f"  exact {perfect}/{len(rows)}  no results {sum(r['found'] == 0 for r in rows)}")
                    for r in rows:
                        if r["recall"] < 1 or r["precision"] < 1:
                            print(f"      {r['query']}: {r['hits']} of {r['expected']} expected reachable, "
                                  f"{r['found']} results shown, precision {r['precision']:.0%}")
            if not args.no_speed:
                figures["speed"] = rows = measure_speed(browser, base)
                print(f"slow 4G (150 ms, 1.6 Mbit/s), seconds to the first result / to done "
                      f"(target: first within {TARGET_SECONDS:.0f} s):")
                print(f"  {'query':12} {'cold first':>10} {'done':>6} {'typed first':>11} {'done':>6}"
                      f" {'fragments':>9} {'in flight':>9}")
                for r in rows:
                    c, t = r["cold"], r["typed"]
                    print(f"  {r['query']:12} {c['first']:10.2f} {c['done']:6.2f} {t['first']:11.2f} {t['done']:6.2f}"
                          f" {t['fragments']:9} {t['in_flight']:9}")
            browser.close()
        server.shutdown()
        if args.json:
            args.json.write_text(json.dumps(figures, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
