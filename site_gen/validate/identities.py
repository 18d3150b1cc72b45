"""Ids match file names, nothing is defined twice, references point at real things.

A city's document speaks for that city only: its records cannot be published
on another city's page.  The provincial document may attribute a record to a
city, but only to the city that owns the zone it names.
"""

from __future__ import annotations

from collections.abc import Sequence

from site_gen.errors import Problem
from site_gen.records import Measure, Target
from site_gen.sourcetext import SourceText
from site_gen.validate.parse import ParsedCity


def check_identities(cities: list[ParsedCity], sources: dict[str, SourceText], reported: set[str],
                     refused_sources: set[str]) -> list[Problem]:
    """Ids match file names, nothing is defined twice, every document is complete.

    A file that exists but could not be read (``reported``, ``refused_sources``)
    has its problem already; it is not reported again as missing.
    """
    problems = []
    seen_documents: dict[str, str] = {}
    seen_zones: dict[str, str] = {}
    for city in cities:
        if city.record is not None and city.raw.yaml is not None:
            yaml = city.raw.yaml
            if city.record.slug != city.raw.folder:
                problems.append(yaml.problem(("slug",), f"slug {city.record.slug!r} does not match its folder "
                                             f"(expected {city.raw.folder!r}, the folder name)"))
            if city.raw.summary is None and f"{city.raw.path}/city.md" not in reported:
                problems.append(Problem(f"{city.raw.path}/city.md", 1, 1, "file",
                                        "missing summary (expected city.md beside city.yaml)"))
            for i, zone in enumerate(city.record.zones):
                if zone.id in seen_zones:
                    problems.append(yaml.problem(("zones", i, "id"), f"duplicate zone id {zone.id!r} "
                                                 f"(expected unique ids; also in {seen_zones[zone.id]})"))
                seen_zones.setdefault(zone.id, yaml.path)
        for doc in city.documents:
            yaml, data = doc.yaml, doc.record
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
            ids: list[tuple[str, list[str]]] = [("measures", [m.id for m in data.measures]),
                                                ("targets", [t.id for t in data.targets])]
            for key, items in ids:
                seen: dict[str, int] = {}
                for i, item_id in enumerate(items):
                    if item_id in seen:
                        problems.append(yaml.problem((key, i, "id"), f"duplicate id {item_id!r} "
                                                     f"(expected unique ids in {key}; first at {key}[{seen[item_id]}])"))
                    seen.setdefault(item_id, i)
    return problems


def check_references(cities: list[ParsedCity]) -> list[Problem]:
    """Cities and zones named by measures and targets exist, and follow the document."""
    zones_of = {c.raw.folder: {z.id for z in c.record.zones} if c.record else set() for c in cities}
    owner = {zone: slug for slug, zones in zones_of.items() for zone in zones}
    provincial = {c.raw.folder for c in cities if c.record is not None and c.record.kind == "province"}
    problems = []
    for city in cities:
        for doc in city.documents:
            records: list[tuple[str, Sequence[Measure | Target]]] = [
                ("measures", doc.record.measures), ("targets", doc.record.targets)]
            for key, items in records:
                for i, item in enumerate(items):
                    problem = _reference_problem(item, doc.city, zones_of, owner, provincial)
                    if problem is not None:
                        name, message = problem
                        problems.append(doc.yaml.problem((key, i, name), message))
    return problems


def _reference_problem(item: Measure | Target, document_city: str, zones_of: dict[str, set[str]],
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
