"""Archived texts built to be slow: anchors and lookups stay linear and unchanged.

No test here is timed (speed targets live in ``make bench``); each counts the
work instead, so it fails on a quadratic implementation on any machine.
"""

from __future__ import annotations

import itertools
from collections import Counter
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from site_gen import sourceindex, sourcetext
from site_gen.load import load_content
from site_gen.sourcetext import _AnchorNames, find_quote, locator_exists, parse_source_text
from site_gen.validate import validate
from tests import hostile_sources as hostile
from tests.conftest import REAL_CONTENT, record


def reference_unique(anchors: list[str]) -> list[str]:
    """The documented anchor rule, written the obvious (quadratic) way."""
    used: set[str] = set()
    out = []
    for anchor in anchors:
        candidate, n = anchor, 1
        while candidate in used:
            n += 1
            candidate = f"{anchor}-{n}"
        used.add(candidate)
        out.append(candidate)
    return out


class CountingSet(set):
    """A set that counts membership tests."""

    tests = 0

    def __contains__(self, item: object) -> bool:
        CountingSet.tests += 1
        return super().__contains__(item)


def test_identical_lines_get_unique_anchors_numbered_in_order():
    record("hostile corpus: archived texts built to be slow")
    text = "一、总体要求\n" + "ab\n" * 3000
    anchors = [p.anchor for p in parse_source_text("d", text).paragraphs]
    base = anchors[1]
    assert base.startswith("p-1-") and len(base) == len("p-1-") + 5
    assert anchors[1:] == [base] + [f"{base}-{n}" for n in range(2, 3001)]
    assert len(set(anchors)) == len(anchors)


def test_a_run_of_identical_anchors_is_named_in_linear_work():
    names = _AnchorNames()
    names._used = CountingSet()
    CountingSet.tests = 0
    given_names = [names.unique("p-1") for _ in range(5000)]
    assert given_names == ["p-1"] + [f"p-1-{n}" for n in range(2, 5001)]
    assert CountingSet.tests <= 2 * 5000  # the quadratic rule makes 12.5 million


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(st.lists(st.sampled_from(["p-1", "p-1-2", "p-1-2-2", "p-1-3", "p-2", "p-1-2-3", "p-top"]), max_size=60))
def test_anchor_names_follow_the_documented_rule_whatever_collides(anchors: list[str]):
    """Bases that look like another base's suffix (p-1-2 is item 2 and the 2nd p-1) included."""
    names = _AnchorNames()
    assert [names.unique(a) for a in anchors] == reference_unique(anchors)


def brute_force_within(path: tuple[str, ...], wanted: tuple[str, ...]) -> bool:
    """The locator rule as documented: the labels appear, in order, along the path."""
    if not wanted:
        return not path
    labels = iter(sourceindex.normalise_for_match(label) for label in path)
    return all(any(label == w for label in labels) for w in wanted)


def all_locators(source: sourcetext.SourceText) -> set[tuple[str, ...]]:
    """Every subsequence of every path (what can be cited), and some that name nothing."""
    found: set[tuple[str, ...]] = {(), ("三十",), ("附件9", "一"), ("一", "一"), ("专栏3", "附件1")}
    for path in {tuple(sourceindex.normalise_for_match(x) for x in p.path) for p in source.paragraphs}:
        for size in range(1, len(path) + 1):
            found.update(itertools.combinations(path, size))
    return found


def test_sections_found_by_the_index_are_those_the_rule_names():
    texts = {f.stem: f.read_text(encoding="utf-8") for f in (REAL_CONTENT / "sources").glob("*.txt")}
    texts["nested"] = "一、甲\n1.乙\n(1)丙\n二、丁\n1.戊\n专栏1\n(1)己\n一、重开\n1.庚\n"
    checked = 0
    for name, text in texts.items():
        source = parse_source_text(name, text)
        for wanted in all_locators(source):
            expected = [i for i, p in enumerate(source.paragraphs) if brute_force_within(p.path, wanted)]
            found = [i for start, end in source.index.ranges(wanted) for i in range(start, end)]
            assert found == expected, (name, wanted)
            checked += 1
    assert checked > 500


def test_every_paragraph_is_found_by_a_piece_of_its_own_text():
    for path in (REAL_CONTENT / "sources").glob("*.txt"):
        source = parse_source_text(path.stem, path.read_text(encoding="utf-8"))
        for paragraph in source.paragraphs:
            quote = paragraph.text[-12:]
            found = find_quote(source, paragraph.locator, quote)
            first = next(p for p in source.paragraphs if brute_force_within(p.path, sourceindex.parse_locator(
                paragraph.locator)) and sourceindex.normalise_for_match(quote) in sourceindex.normalise_for_match(p.text))
            assert found == first, (path.stem, paragraph.anchor)


def test_lookups_normalise_each_paragraph_once(monkeypatch):
    """Many citations of a long section: each paragraph's text is normalised once in all."""
    record("hostile corpus: archived texts built to be slow")
    calls: list[str] = []
    real = sourceindex.normalise_for_match

    def counting(text: str) -> str:
        calls.append(text)
        return real(text)

    for module in (sourceindex, sourcetext):  # wherever the lookup code finds it
        monkeypatch.setattr(module, "normalise_for_match", counting)
    source = parse_source_text("d", hostile.long_section_text(2000))
    lines = Counter(p.text for p in source.paragraphs)
    for n in range(300):
        assert locator_exists(source, hostile.LONG_SECTION)
        found = find_quote(source, hostile.LONG_SECTION, hostile.LONG_SECTION_QUOTE)
        assert found is not None and found.text == hostile.LONG_SECTION_QUOTE + "。"
        assert find_quote(source, hostile.LONG_SECTION, f"不在文中的话{n}") is None
    normalised = Counter(calls)
    # Once per paragraph (plus once as a label: 附件1 is a line and a label); the old lookup made 600.
    assert all(normalised[p.text] <= lines[p.text] + 1 for p in source.paragraphs)
    assert len(calls) < len(source.paragraphs) + 20 + 300 * 5  # + path labels + each lookup's own


def test_identical_lines_content_validates(tmp_path: Path):
    record("hostile corpus: archived texts built to be slow")
    tree = hostile.identical_lines_tree(tmp_path / "content", 3000)
    valid = validate(load_content(tree.root))
    assert len(valid.citations()) == hostile.FIXTURE_CITATIONS
    assert len(valid.archived_text("shili-2022-measures").paragraphs) > 3000


def test_long_section_cited_many_times_validates(tmp_path: Path):
    record("hostile corpus: archived texts built to be slow")
    tree = hostile.long_section_tree(tmp_path / "content", paragraphs=500, citations=400)
    valid = validate(load_content(tree.root))
    assert len(valid.citations()) == hostile.FIXTURE_CITATIONS + 400
    anchors = {c.anchor for c in valid.citations() if c.locator == hostile.LONG_SECTION}
    source = valid.archived_text("shili-2022-measures")
    last = [p for p in source.paragraphs if p.locator == hostile.LONG_SECTION][-1]
    assert anchors == {last.anchor} and last.text == hostile.LONG_SECTION_QUOTE + "。"
