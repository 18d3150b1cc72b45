"""Provenance is checked, not trusted.

For every cited record the build verifies that:

1. the cited document exists and has an archived text;
2. the locator names a section of that text;
3. the quote occurs in one paragraph of that section (an ellipsis … may skip
   words; width variants and whitespace are ignored);
4. every figure the record states (amounts, percentages, values, years)
   appears in the quote, and every figure in the quote is captured by the
   record (in its amount, value, year, or its own words: title, conditions,
   note ...), so a quote never carries a number the data silently dropped.
"""

from __future__ import annotations

import unicodedata
from decimal import Decimal
from typing import Iterable

from site_gen import figures as fig
from site_gen.sourcetext import (
    PREAMBLE,
    SourceText,
    find_quote,
    locator_exists,
    normalise_for_match,
    quote_segments,
    quote_spans,
)
from site_gen.records import AnyAmount, Measure, PercentAmount, SourceRef, Target, TiersAmount, Validity


class ProvenanceError(ValueError):
    """What is wrong with one citation; the caller adds file and line."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


def resolve_citation(
    ref: SourceRef, default_document: str | None, sources: dict[str, SourceText],
    documents: set[str],
) -> SourceRef:
    """The citation with its paragraph recorded on it, or :class:`ProvenanceError`."""
    document_id = ref.document or default_document
    if document_id is None:
        raise ProvenanceError("document", "missing (required here: name the document the quote is from)")
    if document_id not in documents:
        raise ProvenanceError("document", f"document {document_id!r} not found (expected the id of a "
                              "document under content/cities/*/documents/)")
    source = sources.get(document_id)
    if source is None:
        raise ProvenanceError(
            "document",
            f"no archived text for document {document_id!r} "
            f"(expected content/sources/{document_id}.txt and a document with that id)",
        )
    if not locator_exists(source, ref.locator):
        raise ProvenanceError(
            "locator",
            f"section {ref.locator!r} not found in {document_id} "
            f"(expected a section path such as 附件3/三/6, 二/(一)/1, 专栏8 or {PREAMBLE}; "
            "each paragraph's path is shown on the document page)",
        )
    check_quote_words(ref.quote)
    paragraph = find_quote(source, ref.locator, ref.quote)
    if paragraph is None:
        raise ProvenanceError(
            "quote",
            f"quote not found in section {ref.locator!r} of {document_id} "
            "(expected words copied from one paragraph of that section; … may skip words)",
        )
    check_whole_figures(paragraph.text, ref.quote)
    return ref.resolve(document_id=document_id, anchor=paragraph.anchor, section=paragraph.locator)


MIN_QUOTE_CHARACTERS = 4
MIN_PIECE_CHARACTERS = 2


def _meaningful(text: str) -> int:
    """Letters and digits: what identifies a passage (punctuation and spaces do not)."""
    return sum(1 for ch in text if unicodedata.category(ch)[0] in "LN")


def check_quote_words(quote: str) -> None:
    """A quote must identify a passage: ``，`` or ``的`` would match almost any paragraph."""
    pieces = quote_segments(quote)
    if _meaningful(quote) < MIN_QUOTE_CHARACTERS or not pieces:
        raise ProvenanceError("quote", f"quote {quote!r} is too short to identify a passage (expected at least "
                              f"{MIN_QUOTE_CHARACTERS} characters copied from the text, not only punctuation)")
    short = next((p for p in pieces if _meaningful(p) < MIN_PIECE_CHARACTERS), None)
    if short is not None:
        raise ProvenanceError("quote", f"quote piece {short!r} between … is too short to place (expected at "
                              f"least {MIN_PIECE_CHARACTERS} characters in every piece)")


def check_whole_figures(text: str, quote: str) -> None:
    """Every piece of a quote starts and ends outside a figure of the text.

    Otherwise an ellipsis or the quote's edge could hide digits or a unit:
    ``给予…万元`` quoted from 给予500万元, ``给予50`` from 给予500万元.
    """
    spans = quote_spans(text, quote)
    if spans is None:  # pragma: no cover - only called for a quote that was found
        return
    haystack = normalise_for_match(text)
    for figure_start, figure_end in fig.figure_spans(haystack):
        for start, end in spans:
            for edge in (start, end):
                if figure_start < edge < figure_end:
                    raise ProvenanceError(
                        "quote",
                        f"quote cuts the figure {haystack[figure_start:figure_end]} of the text "
                        "(expected each piece of the quote to begin and end outside a number and its unit)",
                    )


def _text_figures(texts: Iterable[str | None]) -> list[fig.Figure]:
    return [f for text in texts if text for f in fig.find_figures(text)]


def amount_figures(amount: AnyAmount) -> list[fig.Figure]:
    """The figures an amount states, which its quote must contain."""
    found = [fig.money_figure(v) for v in amount.yuan_values()]
    if isinstance(amount, PercentAmount):
        found.append(fig.percent_figure(amount.percent))
    if isinstance(amount, TiersAmount) and amount.over_years:
        found.append(fig.number_figure(amount.over_years, "年"))
    return found


# The fields of a record whose words are shown on its page: each figure in
# them must be in one of the record's quotes, like the figures of its amount.
MEASURE_TEXT_FIELDS: tuple[tuple[str, ...], ...] = (
    ("title",), ("beneficiaries",), ("conditions",), ("note",),
    ("amount", "of"), ("amount", "per"), ("amount", "benefit"),
)
TARGET_TEXT_FIELDS: tuple[tuple[str, ...], ...] = (("label",), ("note",))
FACT_TEXT_FIELDS: tuple[tuple[str, ...], ...] = (("text",), ("note",))


def _field(record: object, path: tuple[str, ...]) -> object:
    for name in path:
        record = getattr(record, name, None)
    return record


def stated_figures(record: object, fields: tuple[tuple[str, ...], ...]) -> list[tuple[tuple[str | int, ...], fig.Figure]]:
    """(field path, figure) for every figure written in the record's own words."""
    found: list[tuple[tuple[str | int, ...], fig.Figure]] = []
    for path in fields:
        value = _field(record, path)
        if isinstance(value, str):
            found += [(path, f) for f in fig.find_figures(value)]
    for i, item in enumerate(getattr(record, "items", None) or []):
        found += [(("items", i), f) for f in fig.find_figures(item)]
    return found


def measure_figures(measure: Measure) -> tuple[list[fig.Figure], list[fig.Figure]]:
    """(figures the quote must contain, every figure the record captures)."""
    required = amount_figures(measure.amount)
    words = [f for _, f in stated_figures(measure, MEASURE_TEXT_FIELDS)]
    return required, required + words


def target_figures(target: Target) -> tuple[list[fig.Figure], list[fig.Figure]]:
    required = [] if target.value is None else [fig.number_figure(target.value, target.unit or "")]
    year = [fig.number_figure(Decimal(target.year), "年")] if target.year is not None else []
    words = [f for _, f in stated_figures(target, TARGET_TEXT_FIELDS)]
    if target.year_source is not None:  # the year is checked against its own citation
        return required, required + year + words
    return required + year, required + year + words


def target_year_figures(target: Target) -> tuple[list[fig.Figure], list[fig.Figure]]:
    """For a target's ``year_source``: the year must be in that quote."""
    year = [] if target.year is None else [fig.number_figure(Decimal(target.year), "年")]
    return year, target_figures(target)[1]


def validity_figures(validity: Validity) -> list[fig.Figure]:
    """有效期五年: the years of a validity must be in its quote."""
    return [fig.number_figure(validity.years, "年")]


def _contains(figures: list[fig.Figure], figure: fig.Figure) -> bool:
    return any(figure.same_as(f) for f in figures)


def check_figures(quote: str, required: list[fig.Figure], captured: list[fig.Figure]) -> list[str]:
    """Messages for figures missing from the quote or from the record."""
    in_quote = fig.find_figures(quote)
    messages = []
    for figure in required:
        if not _contains(in_quote, figure):
            messages.append(
                f"quote does not contain {figure.text} (expected every figure of the record in its quote)"
            )
    for q in in_quote:
        if not _contains(captured, q):
            messages.append(
                f"quote has {q.text} that the record does not capture "
                "(expected it in the amount, value or year, or in the title, conditions or note)"
            )
    return messages


def check_stated_figures(
    record: object, fields: tuple[tuple[str, ...], ...], quotes: list[str]
) -> list[tuple[tuple[str | int, ...], str]]:
    """(field path, message) for each figure in the record's words that none of its quotes holds.

    A figure shown on a page must be traceable like an amount: 一次性补贴500万元
    in a benefit needs 500万元 in a quote, and 10万亩 is not 10万平方米.
    """
    in_quotes = [f for quote in quotes for f in fig.find_figures(quote)]
    problems = []
    for path, figure in stated_figures(record, fields):
        if not _contains(in_quotes, figure):
            problems.append((path, f"states {figure.text}, which none of the record's quotes contains "
                                   "(expected every figure shown on a record in its quote)"))
    return problems
