"""The structure of an archived official text: paragraphs, sections, anchors.

An archived text (``content/sources/<document-id>.txt``) holds one paragraph
per line.  Chinese official documents number their sections with a small,
fixed set of markers, and this module reads them into a path for every
paragraph::

    附件3                      -> ("附件3",)
    三、加强双创载体建设         -> ("附件3", "三")
    6.鼓励各县(市)区...         -> ("附件3", "三", "6")

The path is what a citation's *locator* names (``附件3/三/6``), and it gives
each paragraph a stable HTML anchor: a numbered paragraph's anchor comes from
its path (``p-fj3-3-6``), an unnumbered one's from its path and its own text.
Editing, adding or removing an unnumbered paragraph moves no other anchor;
renumbering a section (a new item 3 before the old one) moves the anchors of
the items renumbered, as it moves their locators.

Markers, from outermost to innermost:

========  ==================  ==========
rank      marker              label
========  ==================  ==========
0         附件1 (whole line)   附件1
1         一、                 一
2         (一)                (一)
2         发展基础。 (short     发展基础
          heading line)
3         1.                  1
3         1｜ (table row)      1
4         (1)                 (1)
5         专栏1                专栏1
========  ==================  ==========
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from typing import NamedTuple

from site_gen.sourceindex import PREAMBLE, SourceIndex, normalise_for_match, parse_locator, quote_segments

__all__ = [  # the quote-lookup helpers live in sourceindex and are used from here
    "PREAMBLE", "Paragraph", "SourceText", "chinese_numeral", "find_quote", "locator_exists", "match_marker",
    "normalise_for_match", "parse_locator", "parse_source_text", "quote_segments", "quote_spans",
]

_CN_DIGITS = {"零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def chinese_numeral(text: str) -> int:
    """Value of a Chinese numeral up to 99: 三 -> 3, 十二 -> 12, 二十一 -> 21."""
    if "十" in text:
        tens, _, units = text.partition("十")
        return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[units] if units else 0)
    return _CN_DIGITS[text]


@dataclass(frozen=True)
class _Marker:
    rank: int
    pattern: re.Pattern[str]
    kind: str


# A Chinese numeral up to 99, as chinese_numeral reads it: 三, 十二, 二十, 二十一 (not 十十).
_CN = "(?:[一二三四五六七八九]?十[一二三四五六七八九]?|[一二三四五六七八九])"
_MARKERS = (
    _Marker(0, re.compile(r"^附件\s*(\d+)\s*$"), "attachment"),
    _Marker(5, re.compile(r"^专栏\s*(\d+)"), "box"),
    _Marker(1, re.compile(rf"^({_CN})、"), "chapter"),
    _Marker(2, re.compile(rf"^[(（]({_CN})[)）]"), "section"),
    _Marker(3, re.compile(r"^(\d+)｜"), "row"),
    # "1." opens an item, but "1.5亿元" does not; "2.2021年工作目标" is item 2 about 2021.
    _Marker(3, re.compile(r"^(\d+)(?:[.．、](?!\d)|[.．](?=(?:19|20)\d\d年))"), "item"),
    _Marker(4, re.compile(r"^[(（](\d+)[)）]"), "subitem"),
)
# Every marker above starts with one of these; most paragraphs don't, and skip them all.
_MAY_OPEN = re.compile(rf"附件|专栏|[(（]|{_CN}|\d")
# Some scraped texts lost their (一) markers and keep only a short heading
# line such as "发展基础。".  Such lines are read as headings only in a text
# with no (一) markers at all, so a closing line like "本措施由市科技局负责解释。"
# in a normally numbered text is never mistaken for one.
_HEADING = _Marker(2, re.compile(r"^([^，,。;；:：、()（）\d]{2,16})。$"), "heading")


def _label(kind: str, value: str) -> tuple[str, str]:
    """The locator label and the anchor fragment of a marker."""
    if kind == "attachment":
        return f"附件{int(value)}", f"fj{int(value)}"
    if kind == "box":
        return f"专栏{int(value)}", f"zl{int(value)}"
    if kind == "chapter":
        return value, str(chinese_numeral(value))
    if kind == "section":
        return f"({value})", f"s{chinese_numeral(value)}"
    if kind in ("item", "row"):
        return str(int(value)), str(int(value))
    if kind == "subitem":
        return f"({int(value)})", f"i{int(value)}"
    return value, "h" + _digest(value, 4)


def _digest(text: str, size: int) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:size]


def match_marker(
    text: str, headings: bool = False
) -> tuple[int, str, str] | None:
    """The (rank, label, anchor fragment) a paragraph opens, if it opens a section."""
    markers = _MARKERS if _MAY_OPEN.match(text) else ()
    for marker in markers + ((_HEADING,) if headings else ()):
        match = marker.pattern.match(text)
        if match:
            label, fragment = _label(marker.kind, match.group(1))
            return marker.rank, label, fragment
    return None


class Paragraph(NamedTuple):
    """One paragraph of an archived text.

    ``path`` is the chain of section labels it sits in (for a paragraph that
    opens a section, the path ends with that section); ``line`` is its line
    in the archived file, 1-based.

    A named tuple rather than a frozen dataclass: a text has a paragraph per
    line, and a frozen dataclass takes ten times as long to make (0.4 s of
    a 1 MB text of short lines).
    """

    anchor: str
    path: tuple[str, ...]
    text: str
    line: int
    opens_section: bool

    @property
    def locator(self) -> str:
        return "/".join(self.path) if self.path else PREAMBLE


@dataclass(frozen=True)
class SourceText:
    """An archived official text, split into paragraphs.

    ``index`` is built with the text and holds what every citation lookup
    needs (normalised paragraphs, sections by label); see
    :mod:`site_gen.sourceindex`.
    """

    document_id: str
    paragraphs: tuple[Paragraph, ...]
    index: SourceIndex = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "index", SourceIndex(self.paragraphs))

    def by_anchor(self) -> dict[str, Paragraph]:
        return {p.anchor: p for p in self.paragraphs}


def parse_source_text(document_id: str, text: str) -> SourceText:
    """Split an archived text into paragraphs with section paths and anchors.

    Linear in the text: each line is matched against the markers once, and
    anchors are made unique with :class:`_AnchorNames`.
    """
    lines = [raw.strip() for raw in text.splitlines()]  # numbered as they come: no tuple per line
    section = next(m for m in _MARKERS if m.kind == "section")
    headings = not any(section.pattern.match(line) for line in lines)
    stack: list[tuple[int, str, str]] = []  # (rank, label, fragment)
    path: tuple[str, ...] = ()
    base = "p-top"
    names = _AnchorNames()
    paragraphs = []
    for number, line in enumerate(lines, start=1):
        if not line:
            continue
        marker = match_marker(line, headings)
        if marker:
            rank = marker[0]
            while stack and stack[-1][0] >= rank:
                stack.pop()
            stack.append(marker)
            path = tuple(label for _, label, _ in stack)
            base = "p-" + "-".join(f for _, _, f in stack)
        anchor = names.unique(base if marker else f"{base}-{_digest(line, 5)}")
        paragraphs.append(Paragraph(anchor, path, line, number, bool(marker)))
    return SourceText(document_id, tuple(paragraphs))


class _AnchorNames:
    """Anchors handed out so far; a repeat of an anchor gets ``-2``, ``-3`` ...

    The rule (a public contract: anchors are URLs) is: a paragraph takes its
    anchor, or if that is taken the first of ``anchor-2``, ``anchor-3``, ...
    not taken yet.  Each base remembers the suffix it got to, so a run of k
    identical paragraphs costs O(k), not O(k²): a suffix skipped once was
    taken, and taken anchors are never released, so it need not be tried
    again.  Over a text each name is tried at most twice (as a base and as
    ``base-n`` of the one base it can be a suffix of), so the whole text is
    linear.
    """

    def __init__(self) -> None:
        self._used: set[str] = set()
        self._next: dict[str, int] = {}  # base -> the first suffix not known to be taken

    def unique(self, anchor: str) -> str:
        n = self._next.get(anchor, 1)
        candidate = anchor if n == 1 else f"{anchor}-{n}"
        while candidate in self._used:
            n += 1
            candidate = f"{anchor}-{n}"
        self._next[anchor] = n
        self._used.add(candidate)
        return candidate


# --- locating a quote --------------------------------------------------------


def locator_exists(source: SourceText, locator: str) -> bool:
    """True when some paragraph of ``source`` lies within ``locator``."""
    return bool(source.index.ranges(parse_locator(locator)))


def find_quote(source: SourceText, locator: str, quote: str) -> Paragraph | None:
    """The first paragraph within ``locator`` holding every piece of ``quote``.

    Costs O(size of the section), whatever the size of the text or the
    number of other citations (see :mod:`site_gen.sourceindex`).
    """
    found = source.index.find(parse_locator(locator), quote_segments(quote))
    return None if found is None else source.paragraphs[found]


def quote_spans(text: str, quote: str) -> list[tuple[int, int]] | None:
    """Where each piece of ``quote`` sits in ``normalise_for_match(text)``, or None.

    The provenance check uses the spans to refuse a quote whose pieces begin
    or end inside a figure (``给予…万元`` for 给予500万元).
    """
    haystack = normalise_for_match(text)
    spans, position = [], 0
    for segment in quote_segments(quote):
        found = haystack.find(segment, position)
        if found < 0:
            return None
        spans.append((found, found + len(segment)))
        position = found + len(segment)
    return spans
