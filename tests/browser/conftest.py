"""Real-browser tests: Debian's Chromium driven by playwright, against a local server.

Chromium is never downloaded.  Without /usr/bin/chromium these tests are
skipped (one line says how to enable them), except in CI (CI=true), where a
missing browser is a failure.
"""

from __future__ import annotations

import datetime as dt
import functools
import http.server
import os
import shutil
import threading
from pathlib import Path

import pytest
from playwright.sync_api import Error as PlaywrightError

from site_gen.build import build_site
from site_gen.config import BuildConfig
from tests.conftest import REAL_CONTENT, ROOT, TEMPLATES, write_fixture

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--disable-gpu",
]
ENABLE_HINT = f"browser tests skipped: Chromium not found at {CHROMIUM} (apt-get install chromium fonts-noto-cjk to run them)"
ARTIFACTS = ROOT / "test-artifacts"
TODAY = dt.date(2026, 11, 23)


def chromium_available() -> bool:
    return Path(CHROMIUM).is_file() and os.access(CHROMIUM, os.X_OK)


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/browser" in item.nodeid:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def chromium_path() -> str:
    if not chromium_available():
        if os.environ.get("CI"):
            pytest.fail(f"CI=true but Chromium is missing at {CHROMIUM}; .ci/run installs it with apt-get")
        pytest.skip(ENABLE_HINT)
    return CHROMIUM


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002
        pass


def serve(folder: Path):
    handler = functools.partial(QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


@pytest.fixture(scope="session")
def browser(chromium_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _build(content: Path, out: Path, search: bool) -> Path:
    build_site(BuildConfig(content_dir=content, out_dir=out, templates_dir=TEMPLATES, today=TODAY, search=search))
    return out


@pytest.fixture(scope="session")
def real_site(tmp_path_factory, chromium_path):
    """The project's real content, built with its search index, served on 127.0.0.1."""
    out = _build(REAL_CONTENT, tmp_path_factory.mktemp("real") / "output", search=True)
    server, url = serve(out)
    yield url
    server.shutdown()


@pytest.fixture(scope="session")
def three_city_site(tmp_path_factory, chromium_path):
    """A small fixture site with three cities, for exact behaviour of the tables."""
    from tests.test_compare import SECOND_DOCUMENT, SECOND_SOURCE, SUMMARY_SOURCES

    root = tmp_path_factory.mktemp("fixture")
    content = write_fixture(root / "content")
    content.write("sources/erhao-2023-measures.txt", SECOND_SOURCE)
    content.write("cities/erhao/city.yaml", "slug: erhao\nname: 二号市\nname_en: Erhao\ncode: 219800\n"
                  + SUMMARY_SOURCES.format(document="erhao-2023-measures", locator="一/2", quote="对省级孵化器给予奖励"))
    content.write("cities/erhao/city.md", "第二个测试城市。\n")
    content.write("cities/erhao/documents/erhao-2023-measures.yaml", SECOND_DOCUMENT)
    content.write("cities/erhao/documents/erhao-2023-measures.md", "二号市的测试文件。\n")
    third = SECOND_DOCUMENT.replace("erhao-2023-measures", "sanhao-2024-plan").replace("80万元", "120万元")
    content.write("sources/sanhao-2024-plan.txt", SECOND_SOURCE.replace("80万元", "120万元"))
    content.write("cities/sanhao/city.yaml", "slug: sanhao\nname: 三号市\nname_en: Sanhao\ncode: 219700\n"
                  + SUMMARY_SOURCES.format(document="sanhao-2024-plan", locator="一/2", quote="对省级孵化器给予奖励"))
    content.write("cities/sanhao/city.md", "第三个测试城市。\n")
    content.write("cities/sanhao/documents/sanhao-2024-plan.yaml", third)
    content.write("cities/sanhao/documents/sanhao-2024-plan.md", "三号市的测试文件。\n")
    content.record_digest("sources/sanhao-2024-plan.txt")
    out = _build(content.root, root / "output", search=False)
    server, url = serve(out)
    yield url
    server.shutdown()


@pytest.fixture
def page(browser, request):
    """A fresh page at desktop width; fails the test on console errors or CSP violations."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.errors = errors
    yield page
    context.close()
    assert not [e for e in errors if "favicon" not in e], errors


def screenshot(page, name: str) -> Path:
    folder = ARTIFACTS / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.png"
    try:
        page.screenshot(path=str(path), full_page=True)
    except PlaywrightError:
        # Chromium sometimes cannot capture a very tall page in one image on a busy
        # machine; the screenshot is for people to look at, so keep the first screen.
        page.screenshot(path=str(path))
    return path


def clear_artifacts() -> None:
    shutil.rmtree(ARTIFACTS / "screenshots", ignore_errors=True)
