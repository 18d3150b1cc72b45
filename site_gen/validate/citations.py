"""Every citation in the content, resolved to its paragraph and checked figure by figure.

Citations are found by walking the records (no list of which fields cite):
any :class:`~site_gen.records.SourceRef` value is one, and the record that
holds it says which figures its quote must contain.  Summaries cite too: each
figure written in a city's or a document's summary must be in one of the
quotes its ``summary_sources`` list.
"""

from __future__ import annotations

from typing import Callable, Iterator, NamedTuple, TypeVar

from site_gen import figures as fig
from site_gen import parallel
from site_gen.errors import Problem
from site_gen.errors import FieldPath
from site_gen.figures_en import english_figures, other_money
from site_gen.load import MarkdownFile
from site_gen.load.yaml_source import YamlDocument
from site_gen.memo import Memo
from site_gen.records import (
    City,
    Document,
    Measure,
    NonCommitment,
    Period,
    Record,
    SourceRef,
    Target,
    Validity,
    ZoneFact,
)
from site_gen.records.walk import citations_in
from site_gen.sourcetext import SourceText
from site_gen.validate.parse import ParsedCity
from site_gen.validate.provenance import (
    FACT_TEXT_FIELDS,
    MEASURE_TEXT_FIELDS,
    TARGET_TEXT_FIELDS,
    FigureCheck,
    ProvenanceError,
    check_figures,
    check_stated_figures,
    fact_check,
    measure_check,
    non_commitment_check,
    period_check,
    resolve_citation,
    target_check,
    target_qualifier_problems,
    validity_check,
)

Resolved = dict[tuple[str, FieldPath], SourceRef]
"""Resolved citations by (file, path of the ``source`` field): validate's own bookkeeping."""


def _figures(owner: Record, name: str) -> FigureCheck | None:
    """What a quote cited in field ``name`` of ``owner`` is checked against, or None when not checked.

    Not checked: a zone's ``source`` (it names the zone and its level) and the
    ``summary_sources`` of a city or a document (see :func:`check_summaries`).
    """
    if isinstance(owner, Validity):
        return validity_check(owner)
    if isinstance(owner, Measure):
        return measure_check(owner, name)
    if isinstance(owner, Target):
        return target_check(owner, name)
    if isinstance(owner, ZoneFact):
        return fact_check(owner)
    if isinstance(owner, Period):
        return period_check(owner)
    if isinstance(owner, NonCommitment):
        return non_commitment_check(owner)
    return None


class _CitingFile(NamedTuple):
    """A parsed file whose citations, stated figures and summaries are checked."""

    yaml: YamlDocument
    record: City | Document
    default: str | None
    """The document a citation without ``document`` cites: a document's own; None for a city."""
    summaries: tuple[MarkdownFile | None, MarkdownFile | None]
    """Its Chinese and English summaries, as read."""
    skipped: bool
    """A document whose text could not be read (already reported): its figures are not checked."""


def _citing_files(cities: list[ParsedCity], unparsed: set[str]) -> Iterator[_CitingFile]:
    """Every parsed file, each city's before its documents."""
    for city in cities:
        if city.record is not None and city.raw.yaml is not None:
            yield _CitingFile(city.raw.yaml, city.record, None, (city.raw.summary, city.raw.summary_en), False)
        for doc in city.documents:
            yield _CitingFile(doc.yaml, doc.record, doc.record.id, (doc.raw.summary, doc.raw.summary_en),
                              doc.raw.file_id in unparsed)


F = TypeVar("F")
C = TypeVar("C")

PARALLEL_FILES = 100
"""From this many files a one-shot build checks them on two processors."""


def in_file_order(files: list[F], check: Callable[[F], C], name: Callable[[F], str]) -> list[C]:
    """``[check(f) for f in files]``, on two processors when there are many files (:func:`site_gen.parallel.map_in_two`)."""
    if len(files) >= PARALLEL_FILES and parallel.processes() > 1:
        return parallel.map_in_two(files, check, name)
    return [check(f) for f in files]


def check_citations(cities: list[ParsedCity], sources: dict[str, SourceText], unparsed: set[str],
                    memo: Memo | None = None,
                    files: dict[str, Resolved] | None = None) -> tuple[Resolved, list[Problem]]:
    """Every citation resolved and its quote checked, and every file's :func:`check_stated` and
    :func:`check_summaries`; ``unparsed`` documents (already reported) are skipped.

    A one-shot build checks each file whole, all three checks at once, so
    that the files split evenly between two processors.  With ``memo``
    (``site-gen serve``) each check is kept under the key of what it reads
    (:func:`resolve_citations`).  ``files``, when given, receives each file's
    resolved citations.
    """
    if memo is not None and memo.enabled:
        kept, problems = resolve_citations(cities, sources, unparsed, memo, files)
        return kept, problems + check_stated(cities, unparsed, memo) + check_summaries(cities, unparsed, memo)
    documents = {d.record.id for c in cities for d in c.documents}

    def check(file: _CitingFile) -> tuple[Resolved, list[Problem]]:
        mine, problems = _resolve_file(file.yaml, file.record, file.default, sources, documents, unparsed)
        if not file.skipped:
            problems += _stated_file(file.yaml, file.record)
            problems += _summaries_problems(file, lambda summary: summary_problems(
                summary, file.yaml, file.record.summary_sources))
        return mine, problems

    every = list(_citing_files(cities, unparsed))
    resolved: Resolved = {}
    problems = []
    for file, (mine, found) in zip(every, in_file_order(every, check, lambda f: f.yaml.path)):
        resolved.update(mine)
        problems += found
        if files is not None:
            files[file.yaml.path] = mine
    return resolved, problems


def resolve_citations(cities: list[ParsedCity], sources: dict[str, SourceText], unparsed: set[str],
                      memo: Memo, files: dict[str, Resolved] | None = None) -> tuple[Resolved, list[Problem]]:
    """Resolve every citation; ``unparsed`` documents (already reported) are skipped.

    Each file is resolved on its own: its result depends on the file, its
    record and the archived texts it cites (and whether those documents
    exist), which is the key it is kept under in ``memo``.
    """
    resolved: Resolved = {}
    problems = []
    documents = {d.record.id for c in cities for d in c.documents}
    for yaml, record, default, _, _ in _citing_files(cities, unparsed):
        cited = memo.get("cited", default, (record,), lambda: sorted(
            {ref.document or default or "" for _, ref, _, _ in citations_in(record)}))
        state = tuple((d, d in documents, d in unparsed) for d in cited)
        texts = tuple(sources.get(d) for d in cited)
        mine, found = memo.get("citations", (default, state), (yaml, record, *texts),
                               lambda: _resolve_file(yaml, record, default, sources, documents, unparsed))
        resolved.update(mine)
        problems += found
        if files is not None:
            files[yaml.path] = mine
    return resolved, problems


def _resolve_file(yaml: YamlDocument, record: Record, default: str | None, sources: dict[str, SourceText],
                  documents: set[str], unparsed: set[str]) -> tuple[Resolved, list[Problem]]:
    resolved: Resolved = {}
    problems = []
    for loc, ref, owner, name in citations_in(record):
        if (ref.document or default) in unparsed:
            continue
        try:
            resolved[(yaml.path, loc)] = resolve_citation(ref, default, sources, documents)
        except ProvenanceError as exc:
            problems.append(yaml.problem(loc + (exc.field,), exc.message))
            continue
        check = _figures(owner, name)
        if check is not None:
            for message in check_figures(ref.quote, check):
                problems.append(yaml.problem(loc + ("quote",), message))
    return resolved, problems


def check_stated(cities: list[ParsedCity], unparsed: set[str], memo: Memo) -> list[Problem]:
    """Figures in a record's own words (title, benefit, note, fact text ...) and its quantities are in
    its quotes; a target's qualifier, 力争 and 年左右 are the quote's."""
    problems = []
    for file in _citing_files(cities, unparsed):
        if not file.skipped:
            problems += memo.get("stated", None, (file.yaml, file.record),
                                 lambda: _stated_file(file.yaml, file.record))
    return problems


def _stated_file(yaml: YamlDocument, record: City | Document) -> list[Problem]:
    problems = []
    if isinstance(record, City):
        for zi, zone in enumerate(record.zones):
            for fi, fact in enumerate(zone.facts):
                problems += _stated(yaml, ("zones", zi, "facts", fi), fact)
        return problems
    for i, measure in enumerate(record.measures):
        problems += _stated(yaml, ("measures", i), measure)
    for i, target in enumerate(record.targets):
        problems += _stated(yaml, ("targets", i), target)
        problems += [yaml.problem(("targets", i, name), message)
                     for name, message in target_qualifier_problems(target)]
    return problems


def _stated(yaml: YamlDocument, loc: FieldPath, record: Measure | Target | ZoneFact) -> list[Problem]:
    fields = (MEASURE_TEXT_FIELDS if isinstance(record, Measure)
              else TARGET_TEXT_FIELDS if isinstance(record, Target) else FACT_TEXT_FIELDS)
    quotes = [ref.quote for _, ref, _, _ in citations_in(record)]
    return [yaml.problem(loc + path, message) for path, message in check_stated_figures(record, fields, quotes)]


# --- summaries ------------------------------------------------------------------------


def _line_column(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def summary_problems(summary: MarkdownFile, yaml: YamlDocument, sources: list[SourceRef]) -> list[Problem]:
    """A summary cites the paragraphs it draws on, and each figure it writes is in one of their quotes.

    A figure is compared as the records' figures are (value and unit: 2亿元, 30%, 三年, 2021年); a
    bare number without a unit is a name or a label and is not compared.  An English summary
    (``.en.md``) draws on the same sources: its money and percentages are compared
    (:func:`_english_figure_problems`).
    """
    if not summary.text.strip():
        return []
    if not sources:
        return [yaml.problem(("summary_sources",), f"{summary.path} cites no paragraph (expected "
                             "summary_sources: the paragraphs the summary draws on, each with locator and quote)")]
    in_quotes = [f for ref in sources for f in fig.find_figures(ref.quote)]
    if summary.path.endswith(".en.md"):
        return _english_figure_problems(summary, in_quotes)
    problems = []
    for start, end in fig.figure_spans(summary.text):
        for figure in fig.find_figures(summary.text[start:end]):
            if figure.unitless:  # a bare number is a name or a label (“1+2+X”, C4, 〔2015〕44号)
                continue
            if not any(figure.same_as(q) for q in in_quotes):
                line, column = _line_column(summary.text, start)
                problems.append(Problem(summary.path, line, column, "summary",
                                        f"states {figure.text}, which none of the summary's sources contains "
                                        "(expected it, written as the text writes it, in a quote of "
                                        "summary_sources)"))
    return problems


def _english_figure_problems(summary: MarkdownFile, in_quotes: list[fig.Figure]) -> list[Problem]:
    """An English summary's CNY amounts and percentages are in its quotes; money must be written ``CNY …``
    (:mod:`site_gen.figures_en`), so that it can be compared."""
    problems = []
    for found in english_figures(summary.text):
        if not all(any(figure.same_as(q) for q in in_quotes) for figure in found.figures):
            line, column = _line_column(summary.text, found.start)
            problems.append(Problem(summary.path, line, column, "summary",
                                    f"states {found.text}, which none of the summary's sources contains "
                                    "(expected the same amount or percentage in a quote of summary_sources: "
                                    "CNY 500,000 is 50万元, CNY 2 million is 200万元)"))
    for offset, words in other_money(summary.text):
        line, column = _line_column(summary.text, offset)
        problems.append(Problem(summary.path, line, column, "summary",
                                f"money written with {words!r} (expected CNY before the amount: CNY 500,000, "
                                "CNY 2 million, CNY 1.5 billion)"))
    return problems


def check_summaries(cities: list[ParsedCity], unparsed: set[str], memo: Memo) -> list[Problem]:
    """Every city's and document's summary, Chinese and English, against its ``summary_sources``.

    ``memo``: a summary's problems are kept while its text, its YAML file and its record are the same.
    """
    problems = []
    for file in _citing_files(cities, unparsed):
        if not file.skipped:
            problems += _summaries_problems(file, lambda summary: memo.get(
                "summary", (summary.path, summary.text), (file.yaml, file.record),
                lambda: summary_problems(summary, file.yaml, file.record.summary_sources)))
    return problems


def _summaries_problems(file: _CitingFile, check: Callable[[MarkdownFile], list[Problem]]) -> list[Problem]:
    """``check`` of each summary the file has."""
    return [problem for summary in file.summaries if summary is not None for problem in check(summary)]
