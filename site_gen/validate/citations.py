"""Every citation in the content, resolved to its paragraph and checked figure by figure.

Citations are found by walking the records (no list of which fields cite):
any :class:`~site_gen.records.SourceRef` value is one, and the record that
holds it says which figures its quote must contain.
"""

from __future__ import annotations

from typing import Iterator

from site_gen import figures as fig
from site_gen.errors import Problem
from site_gen.errors import FieldPath
from site_gen.load.yaml_source import YamlDocument
from site_gen.memo import Memo
from site_gen.records import City, Document, Measure, Record, SourceRef, Target, Validity, ZoneFact
from site_gen.records.walk import citations_in
from site_gen.sourcetext import SourceText
from site_gen.validate.parse import ParsedCity
from site_gen.validate.provenance import (
    FACT_TEXT_FIELDS,
    MEASURE_TEXT_FIELDS,
    TARGET_TEXT_FIELDS,
    ProvenanceError,
    check_figures,
    check_stated_figures,
    measure_figures,
    resolve_citation,
    target_figures,
    target_year_figures,
    validity_figures,
)

Resolved = dict[tuple[str, FieldPath], SourceRef]
"""Resolved citations by (file, path of the ``source`` field): validate's own bookkeeping."""


def _figures(owner: Record, name: str) -> tuple[list[fig.Figure], list[fig.Figure]] | None:
    """(figures the quote must hold, figures the record captures), or None when not checked."""
    if isinstance(owner, Validity):
        return validity_figures(owner), validity_figures(owner)
    if isinstance(owner, Measure):
        required, captured = measure_figures(owner)
        return (required, captured) if name == "source" else ([], captured)
    if isinstance(owner, Target):
        return target_figures(owner) if name == "source" else target_year_figures(owner)
    return None


def _cited_files(cities: list[ParsedCity]) -> Iterator[tuple[YamlDocument, Record, str | None]]:
    """(file, its record, the document a citation defaults to) for every parsed file."""
    for city in cities:
        if city.record is not None and city.raw.yaml is not None:
            yield city.raw.yaml, city.record, None
        for doc in city.documents:
            yield doc.yaml, doc.record, doc.record.id


def resolve_citations(cities: list[ParsedCity], sources: dict[str, SourceText], unparsed: set[str],
                      memo: Memo | None = None,
                      files: dict[str, Resolved] | None = None) -> tuple[Resolved, list[Problem]]:
    """Resolve every citation; ``unparsed`` documents (already reported) are skipped.

    Each file is resolved on its own: its result depends on the file, its
    record and the archived texts it cites (and whether those documents
    exist), which is the key it is kept under in ``memo``.  ``files``, when
    given, receives each file's resolved citations.
    """
    memo = memo or Memo.off()
    resolved: Resolved = {}
    problems = []
    documents = {d.record.id for c in cities for d in c.documents}
    for yaml, record, default in _cited_files(cities):
        if not memo.enabled:
            mine, found = _resolve_file(yaml, record, default, sources, documents, unparsed)
            resolved.update(mine)
            problems += found
            if files is not None:
                files[yaml.path] = mine
            continue
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
        figures = _figures(owner, name)
        if figures is not None:
            for message in check_figures(ref.quote, *figures):
                problems.append(yaml.problem(loc + ("quote",), message))
    return resolved, problems


def check_stated(cities: list[ParsedCity], unparsed: set[str], memo: Memo | None = None) -> list[Problem]:
    """Figures in a record's own words (title, benefit, note, fact text ...) are in its quotes."""
    memo = memo or Memo.off()
    problems = []
    for city in cities:
        if city.record is not None and city.raw.yaml is not None:
            problems += memo.get("stated", None, (city.raw.yaml, city.record),
                                 lambda: _stated_city(city.raw.yaml, city.record))  # type: ignore[arg-type]
        for doc in city.documents:
            if doc.raw.file_id in unparsed:
                continue
            problems += memo.get("stated", None, (doc.yaml, doc.record), lambda: _stated_document(doc.yaml, doc.record))
    return problems


def _stated_city(yaml: YamlDocument, record: City) -> list[Problem]:
    problems = []
    for zi, zone in enumerate(record.zones):
        for fi, fact in enumerate(zone.facts):
            problems += _stated(yaml, ("zones", zi, "facts", fi), fact)
    return problems


def _stated_document(yaml: YamlDocument, record: Document) -> list[Problem]:
    problems = []
    for i, measure in enumerate(record.measures):
        problems += _stated(yaml, ("measures", i), measure)
    for i, target in enumerate(record.targets):
        problems += _stated(yaml, ("targets", i), target)
    return problems


def _stated(yaml: YamlDocument, loc: FieldPath, record: Measure | Target | ZoneFact) -> list[Problem]:
    fields = (MEASURE_TEXT_FIELDS if isinstance(record, Measure)
              else TARGET_TEXT_FIELDS if isinstance(record, Target) else FACT_TEXT_FIELDS)
    quotes = [ref.quote for _, ref, _, _ in citations_in(record)]
    return [yaml.problem(loc + path, message) for path, message in check_stated_figures(record, fields, quotes)]
