"""Zero broken links, zero missing anchors, zero citations to a missing paragraph."""

from __future__ import annotations

import datetime as dt

import pytest

from site_gen.build import build_site
from site_gen.config import BuildConfig
from tests.conftest import REAL_CONTENT, TEMPLATES, record
from tests.linkcheck import check_site


@pytest.fixture(scope="module")
def real_build(tmp_path_factory):
    out = tmp_path_factory.mktemp("links") / "output"
    build_site(BuildConfig(content_dir=REAL_CONTENT, out_dir=out, templates_dir=TEMPLATES,
                           today=dt.date(2026, 11, 23), search=False))
    return out


def test_every_internal_link_and_anchor_resolves(real_build):
    problems, counts = check_site(real_build)
    assert problems == []
    assert counts["pages"] >= 20 and counts["links"] > 1000 and counts["citations"] > 100
    for name, value in counts.items():
        record(f"link check: {name} checked", value)


def test_the_checker_finds_breakage(real_build, tmp_path):
    import shutil

    broken = tmp_path / "site"
    shutil.copytree(real_build, broken)
    page = broken / "documents/jinzhou-2021-action-plan/index.html"
    html = page.read_text(encoding="utf-8")
    page.write_text(html.replace('id="p-fj3-3-6"', 'id="p-moved"', 1).replace(
        'href="../../about/"', 'href="../../abuot/"', 1), encoding="utf-8")
    problems, _ = check_site(broken)
    assert any("missing anchor" in p and "p-fj3-3-6" in p for p in problems)
    assert any("broken link '../../abuot/'" in p for p in problems)
