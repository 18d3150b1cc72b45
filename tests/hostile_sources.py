"""Hostile archived texts, as complete content trees that validate.

Each tree is the small fixture tree of :mod:`tests.conftest` with its one
archived text replaced by a large one built to expose super-linear work in
:mod:`site_gen.sourcetext`.  The trees are valid on purpose: a benchmark or
test that ended in an early "problem found" exit would measure nothing.
The bench (:mod:`tests.bench`) builds them at full size; the unit tests
build small ones.
"""

from __future__ import annotations

from pathlib import Path

from site_gen.load.yaml_source import MAX_FILE_BYTES
from tests.conftest import DOC, DOCUMENT_YAML, SOURCE_TEXT, ContentTree, write_fixture

SOURCE = "sources/shili-2022-measures.txt"

IDENTICAL_LINE = "ab"
"""The repeated line: no marker, no heading, 3 bytes with its newline."""

# The fixture's 附件1/一 section; both of its citations must read past the repeats.
_REPEAT_AFTER = "一、人才公寓\n"

FIXTURE_CITATIONS = 12
"""Citations in the fixture tree itself: 2 in city.yaml, 1 part, 5 measures, 2 targets, 2 summary sources."""


def identical_lines_text(lines: int) -> str:
    """The fixture text with ``lines`` identical lines before the cited paragraphs of 附件1/一."""
    assert _REPEAT_AFTER in SOURCE_TEXT
    return SOURCE_TEXT.replace(_REPEAT_AFTER, _REPEAT_AFTER + (IDENTICAL_LINE + "\n") * lines, 1)


def identical_lines_fitting(limit: int = MAX_FILE_BYTES) -> int:
    """How many identical lines fit in an archived text of at most ``limit`` bytes."""
    base = len(identical_lines_text(0).encode("utf-8"))
    return (limit - base) // len((IDENTICAL_LINE + "\n").encode("utf-8"))


def identical_lines_tree(root: Path, lines: int) -> ContentTree:
    tree = write_fixture(root)
    tree.path(SOURCE).write_text(identical_lines_text(lines), encoding="utf-8")
    tree.record_digest(SOURCE)
    return tree


LONG_SECTION = "三"
LONG_SECTION_QUOTE = "入驻人才公寓的人才,免交租金"  # the comma: not a heading line


def long_section_text(paragraphs: int) -> str:
    """The fixture text with a section 三 of ``paragraphs`` paragraphs, the cited one last."""
    filler = "".join(f"第{n}段是说明文字,不含所引的话。\n" for n in range(1, paragraphs - 1))
    section = f"{LONG_SECTION}、人才公寓管理\n{filler}{LONG_SECTION_QUOTE}。\n"
    return SOURCE_TEXT.replace("附件1\n", section + "附件1\n", 1)


def long_section_tree(root: Path, paragraphs: int, citations: int) -> ContentTree:
    """A section of ``paragraphs`` paragraphs and ``citations`` measures citing its last one."""
    tree = write_fixture(root)
    tree.path(SOURCE).write_text(long_section_text(paragraphs), encoding="utf-8")
    measures = "".join(
        f"  - {{id: housing-{n}, category: talent, kind: talent-housing, title: 人才公寓租金, "
        f"amount: {{kind: benefit, benefit: 免交租金}}, "
        f"source: {{locator: {LONG_SECTION}, quote: '{LONG_SECTION_QUOTE}'}}}}\n"
        for n in range(1, citations + 1)
    )
    text = DOCUMENT_YAML.replace("targets:\n", measures + "targets:\n", 1)
    assert len(text.encode("utf-8")) <= MAX_FILE_BYTES, "too many measures for one YAML file"
    tree.path(DOC).write_text(text, encoding="utf-8")
    tree.record_digest(SOURCE)
    return tree
