"""Header snippets for hosts that can send headers carry exactly the policy the pages carry."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from selectolax.lexbor import LexborHTMLParser

from site_gen.build import build_site
from site_gen.cli import main
from site_gen.config import BuildConfig
from site_gen.render.headers import SNIPPETS
from site_gen.render.pages import CSP
from tests.conftest import ROOT, TEMPLATES

HOSTING = ROOT / "hosting"


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    from tests.conftest import write_fixture

    root = tmp_path_factory.mktemp("hosting")
    content = write_fixture(root / "content")
    out = root / "out"
    build_site(BuildConfig(content_dir=content.root, out_dir=out, templates_dir=TEMPLATES,
                           today=dt.date(2026, 11, 23), search=False))
    return out


def meta_policies(out: Path) -> set[str]:
    found = set()
    for page in out.rglob("*.html"):
        node = LexborHTMLParser(page.read_text(encoding="utf-8")).css_first('meta[http-equiv="Content-Security-Policy"]')
        found.add(node.attributes["content"])
    return found


def test_every_page_carries_the_one_policy(built):
    assert meta_policies(built) == {CSP}


def test_the_snippets_in_the_repository_are_what_the_command_writes():
    assert sorted(p.name for p in HOSTING.iterdir()) == sorted(SNIPPETS)
    for name, make in SNIPPETS.items():
        assert (HOSTING / name).read_text(encoding="utf-8") == make(CSP), f"hosting/{name}: run site-gen hosting"
    assert CliRunner().invoke(main, ["hosting", "--out", str(HOSTING), "--check"]).exit_code == 0


def test_each_snippet_sends_the_pages_policy(built):
    pages = meta_policies(built)
    netlify = re.findall(r"^  Content-Security-Policy: (.+)$", (HOSTING / "_headers").read_text(encoding="utf-8"), re.M)
    nginx = re.findall(r'^add_header Content-Security-Policy "(.+)" always;$',
                       (HOSTING / "nginx.conf").read_text(encoding="utf-8"), re.M)
    readme = re.findall(r"^    Content-Security-Policy: (.+)$", (HOSTING / "README.md").read_text(encoding="utf-8"), re.M)
    assert {*netlify, *nginx, *readme} == pages and len(netlify) == len(nginx) == len(readme) == 1
    referrer = LexborHTMLParser((built / "index.html").read_text(encoding="utf-8")).css_first(
        'meta[name="referrer"]').attributes["content"]
    assert f"  Referrer-Policy: {referrer}\n" in (HOSTING / "_headers").read_text(encoding="utf-8")


def test_the_build_writes_headers_for_netlify_and_cloudflare_pages(built):
    assert (built / "_headers").read_text(encoding="utf-8") == (HOSTING / "_headers").read_text(encoding="utf-8")
    assert (built / "_headers").read_text(encoding="utf-8").splitlines()[2] == "/*"


def test_check_reports_a_stale_snippet(tmp_path):
    out = tmp_path / "hosting"
    assert CliRunner().invoke(main, ["hosting", "--out", str(out)]).exit_code == 0
    (out / "nginx.conf").write_text("add_header Content-Security-Policy \"default-src *\" always;\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["hosting", "--out", str(out), "--check"])
    assert result.exit_code == 1 and "nginx.conf differs from the policy the pages carry" in result.output
