"""Where a locator and a quote point in an archived text, found without rescanning it.

Every measure, target and fact cites ``(document, locator, quote)``; the
build checks each citation.  Done naively, each check normalises every
paragraph of the text again, so N citations of a long text cost
N × text.  :class:`SourceIndex` does the per-text work once, when the text
is parsed:

* each paragraph's text and each distinct section label are normalised once
  (:func:`normalise_for_match`), and the normalised texts are joined into
  one string, so a quote is searched with ``str.find`` at C speed;
* each paragraph that opens a section is indexed under its own label and
  under (ancestor label, own label) for each of its ancestors, and the end
  of its section is recorded; a locator's section is then a few ranges of
  paragraphs, found without looking at the others and kept per locator.

Complexity, for a text of n paragraphs and c characters (a path is at most
6 labels deep, one per marker rank, so the index holds at most 6n entries):

* building: O(n + c);
* a locator's ranges, the first time it is asked: O(r) for a locator of one
  or two labels, r being the number of sections it names (every candidate
  the index returns is one of them); for three or more labels O(m log n),
  m being the number of sections whose label and one ancestor's label match
  its last two labels.  The ranges are kept, so asking again is O(1);
* a quote within those ranges: O(s), s being the characters of the section
  (one ``str.find`` over them, plus one check of each paragraph that holds
  the quote's first piece).

So N citations cost O(n + c + N × s): linear in the text plus, per
citation, in its own section, whatever the number of other citations
(plus, for each distinct locator of three or more labels, O(m log n) once).
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from typing import Protocol, Sequence

PREAMBLE = "文首"
"""The locator of the paragraphs before the first numbered section."""

_ELLIPSIS = re.compile(r"…+|\.{3,}")
_SPACE = re.compile(r"\s+")
_SEPARATOR = "\n"  # between paragraphs in the joined text; normalised text never holds whitespace

Locator = tuple[str, ...]
Ranges = tuple[tuple[int, int], ...]  # (first paragraph, one past the last), sorted, disjoint


def normalise_for_match(text: str) -> str:
    """Fold width variants and drop whitespace, so a pasted quote still matches."""
    return _SPACE.sub("", unicodedata.normalize("NFKC", text))


def parse_locator(locator: str) -> Locator:
    """``"附件3 / 三 / 6"`` -> ``("附件3", "三", "6")``; ``文首`` -> ``()``."""
    parts = tuple(normalise_for_match(p) for p in locator.split("/"))
    if parts == (PREAMBLE,):
        return ()
    return parts


def quote_segments(quote: str) -> list[str]:
    """A quote may skip text with an ellipsis (…); these are its pieces."""
    return [s for s in (normalise_for_match(x) for x in _ELLIPSIS.split(quote)) if s]


class IndexedParagraph(Protocol):
    """What the index reads of a paragraph (:class:`site_gen.sourcetext.Paragraph`)."""

    @property
    def path(self) -> tuple[str, ...]: ...
    @property
    def text(self) -> str: ...
    @property
    def opens_section(self) -> bool: ...


class SourceIndex:
    """Normalised paragraphs and their sections, built once per archived text."""

    def __init__(self, paragraphs: Sequence[IndexedParagraph]):
        self._texts = [normalise_for_match(p.text) for p in paragraphs]
        self._starts: list[int] = []  # offset of each paragraph's text in the joined text
        offset = 0
        for text in self._texts:
            self._starts.append(offset)
            offset += len(text) + len(_SEPARATOR)
        self._joined = _SEPARATOR.join(self._texts)
        self._preamble = next((i for i, p in enumerate(paragraphs) if p.path), len(paragraphs))
        self._openings: dict[tuple[str | None, str], list[int]] = {}
        self._ends: dict[int, int] = {}
        self._memo: dict[Locator, Ranges] = {}
        labels: dict[str, str] = {}  # each distinct label normalised once
        open_sections: list[tuple[int, int]] = []  # (depth, opening paragraph)
        for i, paragraph in enumerate(paragraphs):
            if not paragraph.opens_section:
                continue
            for label in paragraph.path:
                if label not in labels:
                    labels[label] = normalise_for_match(label)
            path = tuple(labels[label] for label in paragraph.path)
            while open_sections and open_sections[-1][0] >= len(path):
                self._ends[open_sections.pop()[1]] = i
            open_sections.append((len(path), i))
            label = path[-1]
            for key in {(None, label), *((ancestor, label) for ancestor in path[:-1])}:
                self._openings.setdefault(key, []).append(i)
        for _, i in open_sections:
            self._ends[i] = len(paragraphs)

    def ranges(self, locator: Locator) -> Ranges:
        """The paragraphs within ``locator``: its labels appear, in order, along their path."""
        found = self._memo.get(locator)
        if found is None:
            found = self._memo[locator] = self._find_ranges(locator)
        return found

    def _find_ranges(self, locator: Locator) -> Ranges:
        if not locator:
            return ((0, self._preamble),) if self._preamble else ()
        if len(locator) == 1:
            openings = self._openings.get((None, locator[0]), [])
        else:
            # Sections labelled like the last label, below one labelled like the one before ...
            openings = self._openings.get((locator[-2], locator[-1]), [])
            if len(locator) > 2:  # ... that lie inside a section of the locator without its last label
                outer = self.ranges(locator[:-1])
                outer_starts = [start for start, _ in outer]
                openings = [i for i in openings if _strictly_inside(outer, outer_starts, i)]
        ranges: list[tuple[int, int]] = []
        for i in openings:
            if ranges and i < ranges[-1][1]:
                continue  # nested in a section already taken
            ranges.append((i, self._ends[i]))
        return tuple(ranges)

    def find(self, locator: Locator, segments: Sequence[str]) -> int | None:
        """Index of the first paragraph within ``locator`` holding every segment, in order."""
        if not segments:
            return None
        first, rest = segments[0], segments[1:]
        for start, end in self.ranges(locator):
            position = self._starts[start]
            stop = self._starts[end - 1] + len(self._texts[end - 1])
            while (hit := self._joined.find(first, position, stop)) >= 0:
                i = bisect_right(self._starts, hit) - 1
                if _contains_in_order(self._texts[i], rest, hit - self._starts[i] + len(first)):
                    return i
                position = self._starts[i] + len(self._texts[i]) + len(_SEPARATOR)
        return None


def _strictly_inside(ranges: Ranges, starts: list[int], paragraph: int) -> bool:
    """True when ``paragraph`` lies in one of ``ranges`` and does not open it."""
    k = bisect_right(starts, paragraph) - 1
    return k >= 0 and ranges[k][0] < paragraph < ranges[k][1]


def _contains_in_order(haystack: str, segments: Sequence[str], position: int = 0) -> bool:
    for segment in segments:
        found = haystack.find(segment, position)
        if found < 0:
            return False
        position = found + len(segment)
    return True
