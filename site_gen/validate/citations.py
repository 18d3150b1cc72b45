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
from site_gen.records import Measure, Record, SourceRef, Target, Validity, ZoneFact
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


def resolve_citations(cities: list[ParsedCity], sources: dict[str, SourceText],
                      unparsed: set[str]) -> tuple[Resolved, list[Problem]]:
    """Resolve every citation; ``unparsed`` documents (already reported) are skipped."""
    resolved: Resolved = {}
    problems = []
    documents = {d.record.id for c in cities for d in c.documents}
    for yaml, record, default in _cited_files(cities):
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


def check_stated(cities: list[ParsedCity], unparsed: set[str]) -> list[Problem]:
    """Figures in a record's own words (title, benefit, note, fact text ...) are in its quotes."""
    problems = []
    for city in cities:
        if city.record is not None and city.raw.yaml is not None:
            for zi, zone in enumerate(city.record.zones):
                for fi, fact in enumerate(zone.facts):
                    problems += _stated(city.raw.yaml, ("zones", zi, "facts", fi), fact)
        for doc in city.documents:
            if doc.raw.file_id in unparsed:
                continue
            for i, measure in enumerate(doc.record.measures):
                problems += _stated(doc.yaml, ("measures", i), measure)
            for i, target in enumerate(doc.record.targets):
                problems += _stated(doc.yaml, ("targets", i), target)
    return problems


def _stated(yaml: YamlDocument, loc: FieldPath, record: Measure | Target | ZoneFact) -> list[Problem]:
    fields = (MEASURE_TEXT_FIELDS if isinstance(record, Measure)
              else TARGET_TEXT_FIELDS if isinstance(record, Target) else FACT_TEXT_FIELDS)
    quotes = [ref.quote for _, ref, _, _ in citations_in(record)]
    return [yaml.problem(loc + path, message) for path, message in check_stated_figures(record, fields, quotes)]
