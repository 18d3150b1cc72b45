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
import unicodedata
from dataclasses import dataclass

PREAMBLE = "文首"
"""The locator of the paragraphs before the first numbered section."""

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


_CN = "[一二三四五六七八九十]+"
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
    for marker in _MARKERS + ((_HEADING,) if headings else ()):
        match = marker.pattern.match(text)
        if match:
            label, fragment = _label(marker.kind, match.group(1))
            return marker.rank, label, fragment
    return None


@dataclass(frozen=True)
class Paragraph:
    """One paragraph of an archived text.

    ``path`` is the chain of section labels it sits in (for a paragraph that
    opens a section, the path ends with that section); ``line`` is its line
    in the archived file, 1-based.
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
    """An archived official text, split into paragraphs."""

    document_id: str
    paragraphs: tuple[Paragraph, ...]

    def by_anchor(self) -> dict[str, Paragraph]:
        return {p.anchor: p for p in self.paragraphs}


def parse_source_text(document_id: str, text: str) -> SourceText:
    """Split an archived text into paragraphs with section paths and anchors."""
    lines = [(n, raw.strip()) for n, raw in enumerate(text.splitlines(), start=1)]
    lines = [(n, line) for n, line in lines if line]
    section = next(m for m in _MARKERS if m.kind == "section")
    headings = not any(section.pattern.match(line) for _, line in lines)
    stack: list[tuple[int, str, str]] = []  # (rank, label, fragment)
    used: set[str] = set()
    paragraphs = []
    for number, line in lines:
        marker = match_marker(line, headings)
        if marker:
            rank = marker[0]
            while stack and stack[-1][0] >= rank:
                stack.pop()
            stack.append(marker)
        base = "p-" + ("-".join(f for _, _, f in stack) if stack else "top")
        anchor = base if marker else f"{base}-{_digest(line, 5)}"
        anchor = _unique(anchor, used)
        paragraphs.append(
            Paragraph(anchor, tuple(label for _, label, _ in stack), line, number, bool(marker))
        )
    return SourceText(document_id, tuple(paragraphs))


def _unique(anchor: str, used: set[str]) -> str:
    candidate, n = anchor, 1
    while candidate in used:
        n += 1
        candidate = f"{anchor}-{n}"
    used.add(candidate)
    return candidate


# --- locating a quote --------------------------------------------------------

_ELLIPSIS = re.compile(r"…+|\.{3,}")
_SPACE = re.compile(r"\s+")


def normalise_for_match(text: str) -> str:
    """Fold width variants and drop whitespace, so a pasted quote still matches."""
    return _SPACE.sub("", unicodedata.normalize("NFKC", text))


def parse_locator(locator: str) -> tuple[str, ...]:
    """``"附件3 / 三 / 6"`` -> ``("附件3", "三", "6")``; ``文首`` -> ``()``."""
    parts = tuple(normalise_for_match(p) for p in locator.split("/"))
    if parts == (PREAMBLE,):
        return ()
    return parts


def _within(path: tuple[str, ...], locator: tuple[str, ...]) -> bool:
    """True when the locator's labels appear, in order, along the path."""
    if not locator:
        return not path
    normalised = [normalise_for_match(label) for label in path]
    i = 0
    for label in normalised:
        if i < len(locator) and label == locator[i]:
            i += 1
    return i == len(locator)


def locator_exists(source: SourceText, locator: str) -> bool:
    wanted = parse_locator(locator)
    return any(_within(p.path, wanted) for p in source.paragraphs)


def quote_segments(quote: str) -> list[str]:
    """A quote may skip text with an ellipsis (…); these are its pieces."""
    return [s for s in (normalise_for_match(x) for x in _ELLIPSIS.split(quote)) if s]


def _contains_in_order(haystack: str, segments: list[str]) -> bool:
    position = 0
    for segment in segments:
        found = haystack.find(segment, position)
        if found < 0:
            return False
        position = found + len(segment)
    return True


def find_quote(source: SourceText, locator: str, quote: str) -> Paragraph | None:
    """The first paragraph within ``locator`` holding every piece of ``quote``."""
    wanted = parse_locator(locator)
    segments = quote_segments(quote)
    if not segments:
        return None
    for paragraph in source.paragraphs:
        if _within(paragraph.path, wanted) and _contains_in_order(
            normalise_for_match(paragraph.text), segments
        ):
            return paragraph
    return None


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
