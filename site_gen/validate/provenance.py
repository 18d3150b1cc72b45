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

from decimal import Decimal
from typing import Iterable

from site_gen import figures as fig
from site_gen.model import Citation
from site_gen.sourcetext import PREAMBLE, SourceText, find_quote, locator_exists
from site_gen.validate import schema


class ProvenanceError(ValueError):
    """What is wrong with one citation; the caller adds file and line."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


def resolve_citation(
    ref: schema.SourceRef, default_document: str | None, sources: dict[str, SourceText],
    documents: set[str],
) -> Citation:
    """Find the paragraph a citation points at, or raise :class:`ProvenanceError`."""
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
    paragraph = find_quote(source, ref.locator, ref.quote)
    if paragraph is None:
        raise ProvenanceError(
            "quote",
            f"quote not found in section {ref.locator!r} of {document_id} "
            "(expected words copied from one paragraph of that section; … may skip words)",
        )
    return Citation(document_id, ref.locator, ref.quote, paragraph.anchor, paragraph.locator)


def _text_figures(texts: Iterable[str | None]) -> list[fig.Figure]:
    return [f for text in texts if text for f in fig.find_figures(text)]


def _same(a: fig.Figure, b: fig.Figure) -> bool:
    return a.kind == b.kind and a.value == b.value


def amount_figures(amount: schema.BaseModel) -> list[fig.Figure]:
    """The figures an amount states, which its quote must contain."""
    found = [fig.money_figure(getattr(amount, name)) for name in ("value", "min", "max", "cap")
             if getattr(amount, name, None) is not None]
    found += [fig.money_figure(t) for t in getattr(amount, "tiers", [])]
    if getattr(amount, "percent", None) is not None:
        found.append(fig.percent_figure(amount.percent))
    return found


def measure_figures(measure: schema.Measure) -> tuple[list[fig.Figure], list[fig.Figure]]:
    """(figures the quote must contain, every figure the record captures)."""
    required = amount_figures(measure.amount)
    amount = measure.amount
    extra = [fig.number_figure(amount.over_years)] if getattr(amount, "over_years", None) else []
    words = _text_figures([measure.title, measure.beneficiaries, measure.conditions, measure.note,
                           getattr(amount, "of", None), getattr(amount, "per", None),
                           getattr(amount, "benefit", None)])
    return required, required + extra + words


def target_figures(target: schema.Target) -> tuple[list[fig.Figure], list[fig.Figure]]:
    required = [] if target.value is None else [fig.number_figure(target.value, target.unit or "")]
    year = [fig.number_figure(Decimal(target.year))] if target.year is not None else []
    words = _text_figures([target.label, target.note])
    if target.year_source is not None:  # the year is checked against its own citation
        return required, required + year + words
    return required + year, required + year + words


def target_year_figures(target: schema.Target) -> tuple[list[fig.Figure], list[fig.Figure]]:
    """For a target's ``year_source``: the year must be in that quote."""
    return [fig.number_figure(Decimal(target.year))], target_figures(target)[1]


def check_figures(quote: str, required: list[fig.Figure], captured: list[fig.Figure]) -> list[str]:
    """Messages for figures missing from the quote or from the record."""
    in_quote = fig.find_figures(quote)
    messages = []
    for figure in required:
        if not any(_same(figure, q) for q in in_quote):
            messages.append(
                f"quote does not contain {figure.text} (expected every figure of the record in its quote)"
            )
    for q in in_quote:
        if not any(_same(q, c) for c in captured):
            messages.append(
                f"quote has {q.text} that the record does not capture "
                "(expected it in the amount, value or year, or in the title, conditions or note)"
            )
    return messages
