"""Provenance is checked, not trusted.

For every cited record the build verifies that:

1. the cited document exists and has an archived text;
2. the locator names a section of that text;
3. the quote occurs in one paragraph of that section (an ellipsis … may skip
   words; width variants and whitespace are ignored);
4. every figure the record states (amounts, percentages, values, years,
   quantities, thresholds) appears in the quote, and every figure in the
   quote is held by the record as a number (its amount, value, year,
   horizon, quantities or thresholds), so a quote never carries a number the
   data silently dropped or kept only as words; a bare number (4+1) or a
   date's month and day may be in the record's words instead;
5. the words that qualify a figure in the quote (近, 左右, 以上, 突破, 内,
   力争, 2024年左右) are the record's qualifier, ``strive`` and
   ``year_approximate``.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache
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
)
from site_gen.records import (
    AnyAmount,
    Measure,
    NonCommitment,
    PercentAmount,
    Period,
    Quantity,
    SourceRef,
    Target,
    TiersAmount,
    Validity,
    ZoneFact,
)


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


def _meaningful(text: str, enough: int) -> bool:
    """True when ``text`` has at least ``enough`` letters and digits: what identifies a passage
    (punctuation and spaces do not).  Stops counting once there are enough."""
    found = 0
    for ch in text:
        if unicodedata.category(ch)[0] in "LN":
            found += 1
            if found >= enough:
                return True
    return found >= enough


def check_quote_words(quote: str) -> None:
    """A quote must identify a passage: ``，`` or ``的`` would match almost any paragraph."""
    pieces = quote_segments(quote)
    if not _meaningful(quote, MIN_QUOTE_CHARACTERS) or not pieces:
        raise ProvenanceError("quote", f"quote {quote!r} is too short to identify a passage (expected at least "
                              f"{MIN_QUOTE_CHARACTERS} characters copied from the text, not only punctuation)")
    short = next((p for p in pieces if not _meaningful(p, MIN_PIECE_CHARACTERS)), None)
    if short is not None:
        raise ProvenanceError("quote", f"quote piece {short!r} between … is too short to place (expected at "
                              f"least {MIN_PIECE_CHARACTERS} characters in every piece)")


def check_whole_figures(text: str, quote: str) -> None:
    """Every piece of a quote starts and ends outside a figure of the text.

    Otherwise an ellipsis or the quote's edge could hide digits or a unit:
    ``给予…万元`` quoted from 给予500万元, ``给予50`` from 给予500万元.
    """
    haystack, figure_spans = _paragraph_figures(text)
    spans, position = [], 0  # where each piece sits in the haystack, as quote_spans finds them
    for segment in quote_segments(quote):
        found = haystack.find(segment, position)
        if found < 0:  # pragma: no cover - only called for a quote that was found
            return
        position = found + len(segment)
        spans.append((found, position))
    for figure_start, figure_end in figure_spans:
        for start, end in spans:
            for edge in (start, end):
                if figure_start < edge < figure_end:
                    raise ProvenanceError(
                        "quote",
                        f"quote cuts the figure {haystack[figure_start:figure_end]} of the text "
                        "(expected each piece of the quote to begin and end outside a number and its unit)",
                    )


@lru_cache(maxsize=4096)
def _paragraph_figures(text: str) -> tuple[str, tuple[tuple[int, int], ...]]:
    """A cited paragraph's text as quotes are matched against it, and where its figures are.

    A paragraph is cited by several records (a measure, its conditions, a
    target's year); the result depends on the text alone, so it is remembered
    like :func:`site_gen.figures.find_figures`.
    """
    haystack = normalise_for_match(text)
    return haystack, tuple(fig.figure_spans(haystack))


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


def quantity_figures(quantity: Quantity | None) -> list[fig.Figure]:
    """The numbers of a quantity (its value, or the ends of its range), with its unit."""
    if quantity is None:
        return []
    return [fig.number_figure(n, quantity.unit or "", quantity.qualifier) for n in quantity.numbers()]


def target_number_figures(target: Target) -> list[fig.Figure]:
    """The target's value, or the ends of its range."""
    return [fig.number_figure(n, target.unit or "", target.qualifier) for n in target.numbers()]


def year_figure(year: int) -> fig.Figure:
    return fig.number_figure(Decimal(year), "年")


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


def held_quantities(record: object) -> list[tuple[tuple[str | int, ...], Quantity]]:
    """(field path, quantity) for the horizon, quantities and thresholds of a record."""
    found: list[tuple[tuple[str | int, ...], Quantity]] = []
    horizon = getattr(record, "horizon", None)
    if horizon is not None:
        found.append((("horizon",), horizon))
    for name in ("quantities", "thresholds"):
        found += [((name, i), q) for i, q in enumerate(getattr(record, name, None) or [])]
    return found


@dataclass(frozen=True)
class FigureCheck:
    """What one quote of a record is checked against.

    ``required``: figures the quote must contain.  ``numbers``: figures the
    record holds as numbers (amount, value, year, horizon, quantities,
    thresholds).  ``words``: figures only in its words (title, conditions,
    note ...).  Every figure of the quote must be one of the record's
    numbers; a bare number (4+1, 工业4.0) or a date's month and day
    (12月31日) may instead be in its words, because neither is a quantity.
    """

    required: list[fig.Figure]
    numbers: list[fig.Figure]
    words: list[fig.Figure]


def measure_check(measure: Measure, name: str) -> FigureCheck:
    amount = amount_figures(measure.amount)
    per = getattr(measure.amount, "per", None)  # 每认定一家: the count a per-unit amount is paid for
    numbers = amount + (fig.find_figures(per) if per else [])
    numbers += [f for _, q in held_quantities(measure) for f in quantity_figures(q)]
    words = [f for _, f in stated_figures(measure, MEASURE_TEXT_FIELDS)]
    required = amount if name in ("source", "also_cited") else []
    return FigureCheck(required, numbers, words)


def target_check(target: Target, name: str) -> FigureCheck:
    value = target_number_figures(target)
    year = [year_figure(target.year)] if target.year is not None else []
    horizon = quantity_figures(target.horizon)
    numbers = value + year + [f for _, q in held_quantities(target) for f in quantity_figures(q)]
    words = [f for _, f in stated_figures(target, TARGET_TEXT_FIELDS)]
    if name == "year_source":
        required = year
    elif name == "also_cited":  # the same goal elsewhere: its value, not necessarily its year
        required = value
    else:
        required = value + horizon + ([] if target.year_source is not None else year)
    return FigureCheck(required, numbers, words)


def fact_check(fact: ZoneFact) -> FigureCheck:
    numbers = [f for _, q in held_quantities(fact) for f in quantity_figures(q)]
    return FigureCheck([], numbers, [f for _, f in stated_figures(fact, FACT_TEXT_FIELDS)])


def validity_check(validity: Validity) -> FigureCheck:
    """有效期五年: the years of a validity must be in its quote."""
    years = [fig.number_figure(validity.years, "年")]
    return FigureCheck(years, years, [])


def period_check(period: Period) -> FigureCheck:
    """A stated period's years are in its quote; an inferred one's quote is what it rests on."""
    years = [year_figure(y) for y in (period.start, period.end) if y is not None]
    return FigureCheck(years if period.basis == "stated" else [], years, [])


def non_commitment_check(item: NonCommitment) -> FigureCheck:
    """The reason names every number of the quote it explains."""
    return FigureCheck([], fig.find_figures(item.reason), [])


def validity_figures(validity: Validity) -> list[fig.Figure]:
    return validity_check(validity).required


def _contains(figures: list[fig.Figure], figure: fig.Figure) -> bool:
    return any(figure.same_as(f) for f in figures)


def check_figures(quote: str, check: FigureCheck) -> list[str]:
    """Messages for figures missing from the quote, or from the record's numbers."""
    in_quote = fig.find_figures(quote)
    messages = []
    for figure in check.required:
        if not _contains(in_quote, figure):
            messages.append(
                f"quote does not contain {figure.text} (expected every figure of the record in its quote)"
            )
    for q in in_quote:
        if _contains(check.numbers, q):
            continue
        if _contains(check.words, q):
            if q.unitless or q.date_part:
                continue
            messages.append(
                f"quote has {q.text} that the record states only in its words (expected it as a number: "
                "in the amount, value, year, horizon, quantities or thresholds)"
            )
            continue
        messages.append(
            f"quote has {q.text} that the record does not capture "
            "(expected it in the amount, value, year, horizon, quantities or thresholds; "
            "a name or a date in the title, conditions or note)"
        )
    return messages


def check_stated_figures(
    record: object, fields: tuple[tuple[str, ...], ...], quotes: list[str]
) -> list[tuple[tuple[str | int, ...], str]]:
    """(field path, message) for each figure of the record that none of its quotes holds.

    A figure shown on a page must be traceable like an amount: 一次性补贴500万元
    in a benefit needs 500万元 in a quote, and 10万亩 is not 10万平方米.  The
    same holds for its quantities, thresholds and horizon, whose qualifier
    must also be the one the quote gives.
    """
    in_quotes = [f for quote in quotes for f in fig.find_figures(quote)]
    problems = []
    for path, figure in stated_figures(record, fields):
        if not _contains(in_quotes, figure):
            problems.append((path, f"states {figure.text}, which none of the record's quotes contains "
                                   "(expected every figure shown on a record in its quote)"))
    for path, quantity in held_quantities(record):
        figures = quantity_figures(quantity)
        for figure in figures:
            if not _contains(in_quotes, figure):
                problems.append((path, f"states {figure.text}, which none of the record's quotes contains "
                                       "(expected every figure shown on a record in its quote)"))
        message = qualifier_problem(figures, quantity.qualifier, quotes)
        if message:
            problems.append((path + ("qualifier",), message))
    return problems


# --- qualifiers: what the words around a figure say ------------------------------------


def _word_label(qualifier: str) -> str:
    return "、".join(fig.QUALIFIER_WORDS.get(qualifier, ())) or "no qualifying word"


def qualifier_problem(numbers: list[fig.Figure], qualifier: str, quotes: list[str]) -> str | None:
    """Why ``qualifier`` does not fit what the quotes say about ``numbers``, or None.

    The words touching a figure in the quote (近30%, 20家以上, 突破260家, 三年内) decide: a record
    must carry that qualifier.  A record may carry one that a quote holding the figure gives a few
    words away (各县区至少建成1个), but never one no such quote gives.
    """
    holding = [quote for quote in quotes if any(_contains(numbers, q) for q in fig.find_figures(quote))]
    found = [q for quote in holding for q in fig.find_figures(quote) if _contains(numbers, q)]
    if not found:
        return None  # a missing figure is reported on its own
    said = {q.qualifier for q in found}
    if qualifier in said:
        return None
    marked = sorted(said - {"reach"})
    if marked:
        figure = next(q for q in found if q.qualifier == marked[0])
        return (f"the quote qualifies {figure.text} as {marked[0]} ({_word_label(marked[0])}), but the qualifier "
                f"is {qualifier} (expected qualifier: {marked[0]})")
    if qualifier == "reach":
        return None
    if any(w in normalise_for_match(quote) for quote in holding for w in fig.QUALIFIER_WORDS.get(qualifier, ())):
        return None
    return (f"qualifier is {qualifier}, but no quote says so (expected one of {_word_label(qualifier)} in the "
            "quote, or the qualifier left out)")


STRIVE = "力争"


def target_qualifier_problems(target: Target) -> list[tuple[str, str]]:
    """(field, message) for a target's qualifier, 力争 and 年左右 that its quotes do not bear out."""
    quotes = [ref.quote for ref in (target.source, *target.also_cited)]
    problems = []
    message = qualifier_problem(target_number_figures(target), target.qualifier, quotes)
    if message:
        problems.append(("qualifier", message))
    strives = any(STRIVE in normalise_for_match(q) for q in quotes)
    if strives and not target.strive:
        problems.append(("strive", f"a quote says {STRIVE} (strive for), but strive is false "
                                   "(expected strive: true)"))
    if target.strive and not strives:
        problems.append(("strive", f"strive is true, but no quote says {STRIVE} "
                                   f"(expected {STRIVE} in the quote, or strive left out)"))
    if target.year is not None:
        year = year_figure(target.year)
        year_quotes = quotes + ([target.year_source.quote] if target.year_source else [])
        years = [q for quote in year_quotes for q in fig.find_figures(quote) if q.same_as(year)]
        approximate = any(q.qualifier == "about" for q in years)
        if approximate and not target.year_approximate:
            problems.append(("year_approximate", f"the quote says {target.year}年左右, but year_approximate is "
                                                 "false (expected year_approximate: true)"))
        if target.year_approximate and years and not approximate:
            problems.append(("year_approximate", f"year_approximate is true, but no quote says {target.year}年左右 "
                                                 "(expected 左右 after the year in the quote, or it left out)"))
    return problems
