"""Compiled templates are kept between builds: the same bytes, compiled again whenever what they depend on changes."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import shutil
from pathlib import Path

import pytest

from site_gen.build import build_site
from site_gen.config import BuildConfig, template_cache_dir
from site_gen.render import environment
from tests.conftest import REAL_CONTENT, TEMPLATES
from tests.test_build import snapshot


@pytest.fixture
def compiled(monkeypatch) -> list[str]:
    """The names of the templates compiled from source."""
    names: list[str] = []
    parse = environment.SiteEnvironment._parse

    def counted(self, source, name, filename):
        names.append(name)
        return parse(self, source, name, filename)

    monkeypatch.setattr(environment.SiteEnvironment, "_parse", counted)
    return names


def build(tmp_path: Path, out: str, cache: Path | None, templates: Path = TEMPLATES) -> dict[str, str]:
    config = BuildConfig(content_dir=REAL_CONTENT, out_dir=tmp_path / out, templates_dir=templates,
                         today=dt.date(2026, 11, 23), search=False, template_cache=cache)
    build_site(config)
    return snapshot(config.out_dir)


def test_a_second_build_compiles_nothing_and_writes_the_same_bytes(tmp_path, compiled):
    cache = tmp_path / "cache"
    uncached = build(tmp_path, "none", None)
    compiled.clear()
    assert build(tmp_path, "first", cache) == uncached
    assert "city.html" in compiled and "base.html" in compiled
    compiled.clear()
    assert build(tmp_path, "second", cache) == uncached
    assert compiled == []
    assert oct(os.stat(cache / "templates").st_mode & 0o777) == "0o700"


def test_a_changed_template_or_catalogue_is_compiled_again(tmp_path, compiled, monkeypatch):
    cache = tmp_path / "cache"
    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES, templates)
    build(tmp_path, "first", cache, templates)
    page = templates / "about.html"
    page.write_text(page.read_text(encoding="utf-8").replace("{% block main %}", "{% block main %}<!-- new -->", 1),
                    encoding="utf-8")
    compiled.clear()
    build(tmp_path, "second", cache, templates)
    assert sorted(set(compiled)) == ["about.html"]
    for path in ("about/index.html", "en/about/index.html"):
        assert "<!-- new -->" in (tmp_path / "second" / path).read_text(encoding="utf-8")

    from site_gen.render import pages
    monkeypatch.setattr(pages, "edition_key", lambda language: f"{language.code}:another catalogue")
    compiled.clear()
    build(tmp_path, "third", cache, templates)
    assert "city.html" in compiled  # the messages compiled in may have changed: every template again


def test_a_cache_others_may_write_in_or_that_is_damaged_is_not_used(tmp_path, compiled):
    cache = tmp_path / "cache"
    uncached = build(tmp_path, "none", None)
    build(tmp_path, "first", cache)
    for kept in (cache / "templates").iterdir():
        kept.write_bytes(kept.read_bytes()[:40])  # cut short
    compiled.clear()
    assert build(tmp_path, "damaged", cache) == uncached
    assert "city.html" in compiled
    os.chmod(cache / "templates", 0o777)
    compiled.clear()
    assert build(tmp_path, "shared", cache) == uncached
    assert "city.html" in compiled  # not loaded from a folder anyone may write in


def test_the_cache_folder_the_commands_use(monkeypatch, tmp_path):
    monkeypatch.setenv("SITE_GEN_CACHE_DIR", str(tmp_path / "mine"))
    assert template_cache_dir() == tmp_path / "mine"
    monkeypatch.setenv("SITE_GEN_CACHE_DIR", "off")
    assert template_cache_dir() is None
    monkeypatch.delenv("SITE_GEN_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert template_cache_dir() == tmp_path / "xdg" / "site-gen"
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert template_cache_dir() == Path.home() / ".cache" / "site-gen"
