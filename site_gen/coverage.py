"""Which figures of an archived text are not yet in the data.

Figures are read as the provenance checks read them (:func:`site_gen.figures.figure_spans`):
Arabic numerals, Chinese numerals with a counter (三年内, 一到两个, 引进一家), 翻番, 百亿元, with
any unit (元, %, 平方米, 亩, 家, 只, 年 ...).  A figure in a paragraph is *covered* when a
quote cited from that paragraph spans it and the citing record holds it: a measure, target,
fact, validity, period, or a ``non_commitments`` entry saying why the number is not a
commitment.  A zone's ``source`` (which only names the zone) and a summary's
``summary_sources`` do not cover anything.  Not counted as figures: section, row,
attachment and box numbers, document numbers (〔2015〕44号), meeting and session numbers
(第43次), dates (2015年12月2日), a plan's period (2021—2024年, recorded as document
metadata) and names such as 5G — they are references, not commitments.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from site_gen.figures import figure_spans
from site_gen.model import Site
from site_gen.records import Zone
from site_gen.records.walk import citations_in
from site_gen.sourcetext import normalise_for_match, quote_segments

_NOT_FIGURES = re.compile(
    r"^\d+(?:[.．、｜|](?!\d)|[.．](?=\d{4}年))"  # item or row number opening the paragraph
    r"|^附件\d+|^专栏\d+"                # attachment and box markers
    r"|〔\d+〕\d*号?|\d+号"              # document numbers
    r"|\d{4}\s*[—–-]\s*\d{4}年"           # a plan's period, recorded as document metadata
    r"|\d+(?=[A-Za-z])|(?<=[A-Za-z])\d+"  # names such as 5G, C4
    r"|第\d+[次届期批]"                  # meeting, session, batch numbers
    r"|\d+年\d+月\d+日|\d+月\d+日"       # dates
    r"|\d+-\d+-\d+"
)


@dataclass(frozen=True)
class Uncovered:
    document_id: str
    anchor: str
    section: str
    figure: str
    context: str


def _spans(text: str, pattern: re.Pattern[str]) -> list[tuple[int, int]]:
    return [m.span() for m in pattern.finditer(text)]


def _covered_spans(text: str, quotes: list[str]) -> list[tuple[int, int]]:
    spans = []
    for quote in quotes:
        position = 0
        for segment in quote_segments(quote):
            found = text.find(segment, position)
            if found < 0:
                break
            spans.append((found, found + len(segment)))
            position = found + len(segment)
    return spans


def _inside(span: tuple[int, int], spans: list[tuple[int, int]]) -> bool:
    return any(start <= span[0] and span[1] <= end for start, end in spans)


def _covers(owner: object, name: str) -> bool:
    """A citation covers figures only when its record holds them (not a zone's name, not a summary)."""
    return name != "summary_sources" and not (isinstance(owner, Zone) and name == "source")


def _quotes_by_anchor(site: Site, document_id: str) -> dict[str, list[str]]:
    records = [*site.documents, *site.cities]
    citations = [ref for record in records for _, ref, owner, name in citations_in(record) if _covers(owner, name)]
    by_anchor: dict[str, list[str]] = {}
    for citation in citations:
        if citation.document_id == document_id:
            by_anchor.setdefault(citation.anchor, []).append(citation.quote)
    return by_anchor


def uncovered_figures(site: Site, document_id: str) -> list[Uncovered]:
    """Figures of ``document_id``'s archived text that no citation covers."""
    document = site.document(document_id)
    quotes = _quotes_by_anchor(site, document_id)
    missing = []
    for paragraph in document.archived_text.paragraphs:
        text = normalise_for_match(paragraph.text)
        excluded = _spans(text, _NOT_FIGURES)
        covered = _covered_spans(text, quotes.get(paragraph.anchor, []))
        for span in figure_spans(text):
            if any(s <= span[0] < e for s, e in excluded) or _inside(span, covered):
                continue
            context = text[max(0, span[0] - 12): span[1] + 8]
            missing.append(Uncovered(document_id, paragraph.anchor, paragraph.locator,
                                     text[span[0]:span[1]], context))
    return missing
