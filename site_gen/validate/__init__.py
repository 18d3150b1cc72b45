"""Stage 2, validate: schema, identities, references and provenance.

:func:`validate` checks everything :func:`site_gen.load.load_content` read
and either returns the content ready for the model, or raises
:class:`~site_gen.errors.ContentError` with every problem found, each at its
file, line and column.  It never writes anything.  ``ingest-rules.yaml`` is
checked here too (:mod:`site_gen.validate.ingest_rules`): it is not part of
the site, but it arrives by pull request like the rest of the content.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from site_gen.errors import ContentError, Problem
from site_gen.load import RawCity, RawContent, RawDocument
from site_gen.load.yaml_source import Path_, YamlDocument
from site_gen.model import Citation
from site_gen.sourcetext import SourceText
from site_gen.validate import schema
from site_gen.validate.ingest_rules import check_ingest_rules
from site_gen.validate.messages import problems_from
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

M = TypeVar("M", bound=BaseModel)


@dataclass
class ParsedDocument:
    raw: RawDocument
    data: schema.DocumentFile
    city: str


@dataclass
class ParsedCity:
    raw: RawCity
    data: schema.CityFile | None
    documents: list[ParsedDocument] = field(default_factory=list)


@dataclass
class ValidContent:
    """Content that passed every check, with each citation resolved.

    ``citations`` maps (file, path of the ``source`` field) to the paragraph
    the quote was found in.
    """

    site: schema.SiteFile
    cities: list[ParsedCity]
    sources: dict[str, SourceText]
    citations: dict[tuple[str, Path_], Citation]


DEFAULT_SITE = schema.SiteFile(title="辽宁城市科技创新政策对照")


def _parse(doc: YamlDocument, model: type[M], problems: list[Problem]) -> M | None:
    if not isinstance(doc.data, dict):
        problems.append(doc.problem((), "the file is empty or not a mapping (expected a mapping of fields)"))
        return None
    try:
        return model.model_validate(doc.data)
    except ValidationError as exc:
        problems.extend(problems_from(exc, doc, model))
        return None


def _parse_all(raw: RawContent, problems: list[Problem]) -> tuple[schema.SiteFile, list[ParsedCity]]:
    site = (_parse(raw.site, schema.SiteFile, problems) if raw.site else None) or DEFAULT_SITE
    cities = []
    for raw_city in raw.cities:
        data = _parse(raw_city.yaml, schema.CityFile, problems) if raw_city.yaml else None
        city = ParsedCity(raw_city, data)
        for raw_doc in raw_city.documents:
            parsed = _parse(raw_doc.yaml, schema.DocumentFile, problems)
            if parsed is not None:
                city.documents.append(ParsedDocument(raw_doc, parsed, raw_city.folder))
        cities.append(city)
    return site, cities


def _check_identities(cities: list[ParsedCity], sources: dict[str, SourceText], reported: set[str],
                      refused_sources: set[str]) -> list[Problem]:
    """Ids match file names, nothing is defined twice, every document is complete.

    A file that exists but could not be read (``reported``, ``refused_sources``)
    has its problem already; it is not reported again as missing.
    """
    problems = []
    seen_documents: dict[str, str] = {}
    seen_zones: dict[str, str] = {}
    for city in cities:
        if city.data is not None:
            yaml = city.raw.yaml
            if city.data.slug != city.raw.folder:
                problems.append(yaml.problem(("slug",), f"slug {city.data.slug!r} does not match its folder "
                                             f"(expected {city.raw.folder!r}, the folder name)"))
            if city.raw.summary is None and f"{city.raw.path}/city.md" not in reported:
                problems.append(Problem(f"{city.raw.path}/city.md", 1, 1, "file",
                                        "missing summary (expected city.md beside city.yaml)"))
            for i, zone in enumerate(city.data.zones):
                if zone.id in seen_zones:
                    problems.append(yaml.problem(("zones", i, "id"), f"duplicate zone id {zone.id!r} "
                                                 f"(expected unique ids; also in {seen_zones[zone.id]})"))
                seen_zones.setdefault(zone.id, yaml.path)
        for doc in city.documents:
            yaml, data = doc.raw.yaml, doc.data
            if data.id != doc.raw.file_id:
                problems.append(yaml.problem(("id",), f"id {data.id!r} does not match the file name "
                                             f"(expected {doc.raw.file_id!r})"))
            if data.id in seen_documents:
                problems.append(yaml.problem(("id",), f"duplicate document id {data.id!r} "
                                             f"(expected unique ids; also in {seen_documents[data.id]})"))
            seen_documents.setdefault(data.id, yaml.path)
            if doc.raw.summary is None and yaml.path.removesuffix(".yaml") + ".md" not in reported:
                problems.append(Problem(yaml.path.removesuffix(".yaml") + ".md", 1, 1, "file",
                                        "missing summary (expected a Markdown file beside the YAML)"))
            if data.id not in sources and data.id not in refused_sources:
                problems.append(yaml.problem(("id",), f"no archived text for {data.id!r} "
                                             f"(expected content/sources/{data.id}.txt; make it with site-gen ingest)"))
            for key in ("measures", "targets"):
                seen: dict[str, int] = {}
                for i, item in enumerate(getattr(data, key)):
                    if item.id in seen:
                        problems.append(yaml.problem((key, i, "id"), f"duplicate id {item.id!r} "
                                                     f"(expected unique ids in {key}; first at {key}[{seen[item.id]}])"))
                    seen.setdefault(item.id, i)
    return problems


def _check_references(cities: list[ParsedCity]) -> list[Problem]:
    """Cities and zones named by measures and targets exist, and follow the document.

    A city's document speaks for that city only: its records cannot be
    published on another city's page.  The provincial document may attribute
    a record to a city, but only to the city that owns the zone it names.
    """
    zones_of = {c.raw.folder: {z.id for z in c.data.zones} if c.data else set() for c in cities}
    owner = {zone: slug for slug, zones in zones_of.items() for zone in zones}
    provincial = {c.raw.folder for c in cities if c.data is not None and c.data.kind == "province"}
    problems = []
    for city in cities:
        for doc in city.documents:
            for key in ("measures", "targets"):
                for i, item in enumerate(getattr(doc.data, key)):
                    problem = _reference_problem(item, doc.city, zones_of, owner, provincial)
                    if problem is not None:
                        field, message = problem
                        problems.append(doc.raw.yaml.problem((key, i, field), message))
    return problems


def _reference_problem(item: schema.Measure | schema.Target, document_city: str, zones_of: dict[str, set[str]],
                       owner: dict[str, str], provincial: set[str]) -> tuple[str, str] | None:
    """(field, message) for a record whose city or zone is wrong, else None."""
    if item.city is not None and item.city not in zones_of:
        return "city", f"city {item.city!r} not found (expected one of: {', '.join(sorted(zones_of))})"
    if item.city is not None and item.city != document_city:
        if document_city not in provincial:
            return "city", (f"city {item.city!r} differs from the document's city {document_city!r} (expected "
                            "it left out: a city's document applies to that city; only the provincial "
                            "document may name another city)")
        if item.zone is None or owner.get(item.zone) != item.city:
            return "city", (f"city {item.city!r} is named without one of its zones (expected the zone the "
                            "provincial document attributes the record to, and the city that owns it)")
    slug = item.city or document_city
    if item.zone is not None and item.zone not in zones_of.get(slug, set()):
        known = ", ".join(sorted(zones_of.get(slug, set()))) or "none defined"
        where = f" (it belongs to {owner[item.zone]})" if item.zone in owner else ""
        return "zone", f"zone {item.zone!r} not found in {slug}{where} (expected one of: {known})"
    return None


@dataclass(frozen=True)
class _ConditionsOf:
    """Marks a citation of a measure's conditions: its figures must be captured too."""

    measure: schema.Measure


@dataclass(frozen=True)
class _YearOf:
    """Marks a citation of a target's year: the year must be in it."""

    target: schema.Target


def _cited(city: ParsedCity) -> list[tuple[YamlDocument, Path_, schema.SourceRef, str | None, object]]:
    """Every citation in the content: (file, path, ref, default document, record)."""
    found: list = []
    if city.data is not None:
        for zi, zone in enumerate(city.data.zones):
            found.append((city.raw.yaml, ("zones", zi, "source"), zone.source, None, None))
            for fi, fact in enumerate(zone.facts):
                found.append((city.raw.yaml, ("zones", zi, "facts", fi, "source"), fact.source, None, None))
    for doc in city.documents:
        yaml, data = doc.raw.yaml, doc.data
        if data.valid_for:
            found.append((yaml, ("valid_for", "source"), data.valid_for.source, data.id, data.valid_for))
        for pi, part in enumerate(data.parts):
            if part.valid_for:
                found.append((yaml, ("parts", pi, "valid_for", "source"), part.valid_for.source, data.id,
                              part.valid_for))
        for key in ("measures", "targets"):
            for i, item in enumerate(getattr(data, key)):
                found.append((yaml, (key, i, "source"), item.source, data.id, item))
                if getattr(item, "conditions_source", None) is not None:
                    found.append((yaml, (key, i, "conditions_source"), item.conditions_source, data.id,
                                  _ConditionsOf(item)))
                if getattr(item, "year_source", None) is not None:
                    found.append((yaml, (key, i, "year_source"), item.year_source, data.id, _YearOf(item)))
    return found


def _check_provenance(
    cities: list[ParsedCity], sources: dict[str, SourceText], unparsed: set[str]
) -> tuple[dict[tuple[str, Path_], Citation], list[Problem]]:
    """Resolve every citation; ``unparsed`` documents (already reported) are skipped."""
    citations: dict[tuple[str, Path_], Citation] = {}
    problems = []
    documents = {d.data.id for c in cities for d in c.documents}
    for city in cities:
        for yaml, loc, ref, default, record in _cited(city):
            if (ref.document or default) in unparsed:
                continue
            try:
                citations[(yaml.path, loc)] = resolve_citation(ref, default, sources, documents)
            except ProvenanceError as exc:
                problems.append(yaml.problem(loc + (exc.field,), exc.message))
                continue
            if isinstance(record, schema.Validity):
                required, captured = validity_figures(record), validity_figures(record)
            elif isinstance(record, _ConditionsOf):
                required, captured = [], measure_figures(record.measure)[1]
            elif isinstance(record, _YearOf):
                required, captured = target_year_figures(record.target)
            elif isinstance(record, schema.Measure):
                required, captured = measure_figures(record)
            elif isinstance(record, schema.Target):
                required, captured = target_figures(record)
            else:
                continue
            for message in check_figures(ref.quote, required, captured):
                problems.append(yaml.problem(loc + ("quote",), message))
    return citations, problems


def _check_stated_figures(cities: list[ParsedCity], unparsed: set[str]) -> list[Problem]:
    """Figures in a record's own words (title, benefit, note, fact text ...) are in its quotes."""
    problems = []
    for city in cities:
        if city.data is not None:
            for zi, zone in enumerate(city.data.zones):
                for fi, fact in enumerate(zone.facts):
                    for path, message in check_stated_figures(fact, FACT_TEXT_FIELDS, [fact.source.quote]):
                        problems.append(city.raw.yaml.problem(("zones", zi, "facts", fi, *path), message))
        for doc in city.documents:
            if doc.raw.file_id in unparsed:
                continue
            for key, fields in (("measures", MEASURE_TEXT_FIELDS), ("targets", TARGET_TEXT_FIELDS)):
                for i, item in enumerate(getattr(doc.data, key)):
                    quotes = [ref.quote for ref in (item.source, getattr(item, "conditions_source", None),
                                                    getattr(item, "year_source", None)) if ref is not None]
                    for path, message in check_stated_figures(item, fields, quotes):
                        problems.append(doc.raw.yaml.problem((key, i, *path), message))
    return problems


def validate(raw: RawContent) -> ValidContent:
    """Check the content; raise :class:`ContentError` listing every problem."""
    problems = list(raw.problems)
    if raw.ingest_rules is not None:
        problems += check_ingest_rules(raw.ingest_rules)[1]
    site, cities = _parse_all(raw, problems)
    sources = {key: value.text for key, value in raw.sources.items()}
    problems += _check_identities(cities, sources, raw.reported, raw.refused_sources)
    problems += _check_references(cities)
    parsed = {d.raw.file_id for c in cities for d in c.documents}
    unparsed = ({d.file_id for c in raw.cities for d in c.documents} - parsed) | raw.refused_sources
    citations, found = _check_provenance(cities, sources, unparsed)
    problems += found
    problems += _check_stated_figures(cities, unparsed)
    if problems:
        raise ContentError(problems)
    return ValidContent(site, cities, sources, citations)
