"""Shared fixtures: a small, valid content tree that tests copy and break."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import textwrap
from pathlib import Path
from typing import Iterator

import pytest

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "templates"
REAL_CONTENT = ROOT / "content"

SOURCE_TEXT = """\
示例市人民政府关于印发示例市科技创新若干措施的通知
示例市人民政府
2022年3月1日
一、总体目标
到2025年,全社会研发经费投入强度达到2.5%;高新技术企业达到300家。
二、支持措施
1.对新认定的国家级科技企业孵化器给予100万元奖励,省级给予50万元奖励。
2.对高层次人才创业项目给予最低20万元、最高80万元启动资金。
3.对取得风险投资的企业,按投资额的10%给予跟投,最高300万元。
(1)每新认定一家高新技术企业,奖励孵化器3万元。
附件1
示例市人才公寓管理办法
一、人才公寓
人才可免费入住人才公寓三年。
上述措施有效期三年。
"""

CITY_YAML = """\
slug: shili
name: 示例市
name_en: Shili
code: 219900
zones:
  - id: shili-hitech
    name: 示例高新技术产业开发区
    short_name: 示例高新区
    level: provincial
    source:
      document: shili-2022-measures
      locator: 文首
      quote: 示例市人民政府
    facts:
      - topic: industries
        items: [新材料, 生物医药]
        source:
          document: shili-2022-measures
          locator: 二/1
          quote: 国家级科技企业孵化器
summary_sources:
  - document: shili-2022-measures
    locator: 文首
    quote: 示例市人民政府
"""

def sha256_line(text: str) -> str:
    """The ``source_sha256:`` line for an archived text (what site-gen ingest writes)."""
    return f"source_sha256: {hashlib.sha256(text.encode('utf-8')).hexdigest()}"


DOCUMENT_YAML = """\
id: shili-2022-measures
title: 示例市人民政府关于印发示例市科技创新若干措施的通知
short_title: 示例市科技创新若干措施
issuer: 示例市人民政府
number: unknown
issued: 2022-03-01
period:
  start: 2022
  end: 2025
parts:
  - locator: 附件1
    title: 示例市人才公寓管理办法
    valid_for:
      years: 3
      source:
        locator: 附件1
        quote: 上述措施有效期三年。
measures:
  - id: incubator-national
    category: incubator
    kind: incubator-recognition
    level: national
    title: 新认定国家级孵化器奖励
    amount:
      kind: fixed
      value: 100万元
    source:
      locator: 二/1
      quote: 对新认定的国家级科技企业孵化器给予100万元奖励
  - id: incubator-provincial
    category: incubator
    kind: incubator-recognition
    level: provincial
    title: 新认定省级孵化器奖励
    amount:
      kind: fixed
      value: 50万元
    source:
      locator: 二/1
      quote: 省级给予50万元奖励
  - id: talent-startup
    category: talent
    kind: talent-startup
    title: 人才创业启动资金
    amount:
      kind: range
      min: 20万元
      max: 80万元
    source:
      locator: 二/2
      quote: 给予最低20万元、最高80万元启动资金
  - id: co-investment
    category: talent
    kind: talent-co-investment
    title: 风险投资跟投
    amount:
      kind: percent
      percent: 10
      of: 投资额
      cap: 300万元
    source:
      locator: 二/3
      quote: 按投资额的10%给予跟投,最高300万元
  - id: talent-apartment
    category: talent
    kind: talent-housing
    title: 人才公寓
    amount:
      kind: benefit
      benefit: 免费入住人才公寓三年
    quantities: [{what: 免费入住期限, value: 3, unit: 年}]
    source:
      locator: 附件1/一
      quote: 人才可免费入住人才公寓三年
targets:
  - id: rd-2025
    metric: rd-intensity
    value: 2.5
    unit: "%"
    year: 2025
    source:
      locator: 一
      quote: 到2025年,全社会研发经费投入强度达到2.5%
  - id: hte-2025
    metric: hte-count
    value: 300
    unit: 家
    year: 2025
    source:
      locator: 一
      quote: 到2025年,…高新技术企业达到300家
summary_sources:
  - locator: 文首
    quote: 示例市人民政府关于印发示例市科技创新若干措施的通知
""" + sha256_line(SOURCE_TEXT) + "\n"


# Figures the reliability tests report at the end of the run (quoted in the README).
RELIABILITY: dict[str, int] = {}


def record(name: str, amount: int = 1) -> None:
    RELIABILITY[name] = RELIABILITY.get(name, 0) + amount


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if RELIABILITY:
        terminalreporter.section("reliability figures from this run")
        for name, value in sorted(RELIABILITY.items()):
            terminalreporter.write_line(f"{name}: {value}")
    from tests.browser.conftest import ENABLE_HINT, chromium_available

    if not chromium_available():
        terminalreporter.write_line(ENABLE_HINT)


class ContentTree:
    """A content folder on disk that a test can read, edit and break."""

    def __init__(self, root: Path):
        self.root = root

    def path(self, relative: str) -> Path:
        return self.root / relative

    def write(self, relative: str, text: str) -> Path:
        target = self.root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(textwrap.dedent(text), encoding="utf-8")
        self.record_digest(relative)
        return target

    def read(self, relative: str) -> str:
        return (self.root / relative).read_text(encoding="utf-8")

    def replace(self, relative: str, old: str, new: str) -> None:
        text = self.read(relative)
        assert old in text, f"{old!r} not in {relative}"
        (self.root / relative).write_text(text.replace(old, new, 1), encoding="utf-8")
        self.record_digest(relative)

    def record_digest(self, relative: str) -> None:
        """An archived text rewritten by a test is re-recorded in its document, as site-gen ingest does.

        ``write`` and ``replace`` call this; a test that writes a text with ``Path.write_text``
        calls it itself, or does not when it tests the digest check.
        """
        found = re.fullmatch(r"sources/([^/]+)\.txt", relative)
        if not found:
            return
        from site_gen.ingest.digest import document_files, sha256_of, with_digest

        digest = sha256_of((self.root / relative).read_bytes())
        for document in document_files(self.root, found.group(1)):
            text = document.read_text(encoding="utf-8")
            if "source_sha256:" in text:
                document.write_text(with_digest(text, digest), encoding="utf-8")


CITY = "cities/shili/city.yaml"
DOC = "cities/shili/documents/shili-2022-measures.yaml"


def write_fixture(root: Path) -> ContentTree:
    tree = ContentTree(root)
    tree.write("site.yaml", "title: 测试站点\ntagline: 用于测试\n")
    tree.write("sources/shili-2022-measures.txt", SOURCE_TEXT)
    tree.write(CITY, CITY_YAML)
    tree.write("cities/shili/city.md", "示例市是测试用的城市。\n")
    tree.write(DOC, DOCUMENT_YAML)
    tree.write("cities/shili/documents/shili-2022-measures.md", "测试文件的摘要。\n")
    return tree


@pytest.fixture
def content(tmp_path: Path) -> ContentTree:
    """A fresh, valid fixture content tree."""
    return write_fixture(tmp_path / "content")


@pytest.fixture
def templates() -> Path:
    return TEMPLATES


@pytest.fixture
def real_content_copy(tmp_path: Path) -> ContentTree:
    """A copy of the project's real content, safe to modify."""
    target = tmp_path / "content"
    shutil.copytree(REAL_CONTENT, target)
    return ContentTree(target)


@pytest.fixture(autouse=True, scope="session")
def template_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The commands the tests run keep compiled templates in a folder of this run, not in the user's cache."""
    folder = tmp_path_factory.mktemp("template-cache")
    before = os.environ.get("SITE_GEN_CACHE_DIR")
    os.environ["SITE_GEN_CACHE_DIR"] = str(folder)
    yield folder
    if before is None:
        os.environ.pop("SITE_GEN_CACHE_DIR", None)
    else:
        os.environ["SITE_GEN_CACHE_DIR"] = before
