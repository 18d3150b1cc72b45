"""Stage 3, model: the validated records as one site, in reading order, indexed.

The records themselves (:mod:`site_gen.records`) are the model: this stage
orders them (cities by administrative code, documents newest first) and
builds, once, the lookups later stages need (a city's documents, measures
and targets, a zone's offers), so that no stage scans every record for every
city.  Nothing here computes what is shown: that is :mod:`site_gen.derive`.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from site_gen.records import ChangeEntry, City, Document, Measure, SiteSettings, Target, Zone
from site_gen.validate import ValidContent


@dataclass(frozen=True)
class Site:
    """The whole validated content: the input to every later stage."""

    settings: SiteSettings
    cities: tuple[City, ...]
    documents: tuple[Document, ...]
    changes: tuple[ChangeEntry, ...] = ()
    """The change log (``changes/*.yaml``), by file name: oldest first."""
    measures: tuple[Measure, ...] = field(init=False)
    targets: tuple[Target, ...] = field(init=False)
    _cities: dict[str, City] = field(init=False, repr=False)
    _documents: dict[str, Document] = field(init=False, repr=False)
    _zones: dict[str, Zone] = field(init=False, repr=False)
    _by_scope: dict[tuple[str, str], tuple[list[Measure], list[Target]]] = field(init=False, repr=False)
    _documents_of: dict[str, tuple[Document, ...]] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        def put(name: str, value: object) -> None:
            object.__setattr__(self, name, value)

        put("measures", tuple(m for d in self.documents for m in d.measures))
        put("targets", tuple(t for d in self.documents for t in d.targets))
        put("_cities", {c.slug: c for c in self.cities})
        put("_documents", {d.id: d for d in self.documents})
        put("_zones", {z.id: z for c in self.cities for z in c.zones})
        scopes: dict[tuple[str, str], tuple[list[Measure], list[Target]]] = defaultdict(lambda: ([], []))
        for measure in self.measures:
            scopes[("zone", measure.zone) if measure.zone else ("city", measure.city_slug)][0].append(measure)
        for target in self.targets:
            scopes[("zone", target.zone) if target.zone else ("city", target.city_slug)][1].append(target)
        put("_by_scope", dict(scopes))
        documents_of: dict[str, list[Document]] = defaultdict(list)
        for document in self.documents:
            documents_of[document.city_slug].append(document)
        put("_documents_of", {slug: tuple(docs) for slug, docs in documents_of.items()})

    @property
    def title(self) -> str:
        return self.settings.title

    def city(self, slug: str) -> City:
        return self._cities[slug]

    def document(self, document_id: str) -> Document:
        return self._documents[document_id]

    def zone(self, zone_id: str) -> Zone | None:
        return self._zones.get(zone_id)

    def documents_of(self, slug: str) -> tuple[Document, ...]:
        """The documents a city issued (in the site's document order)."""
        return self._documents_of.get(slug, ())

    def city_measures(self, slug: str) -> list[Measure]:
        """A city's measures that are not about one of its zones (district ones included)."""
        return self._by_scope.get(("city", slug), ([], []))[0]

    def city_targets(self, slug: str) -> list[Target]:
        return self._by_scope.get(("city", slug), ([], []))[1]

    def zone_measures(self, zone_id: str) -> list[Measure]:
        return self._by_scope.get(("zone", zone_id), ([], []))[0]

    def zone_targets(self, zone_id: str) -> list[Target]:
        return self._by_scope.get(("zone", zone_id), ([], []))[1]


def build_site_model(content: ValidContent) -> Site:
    """The :class:`Site` for validated content, cities and documents in a stable order."""
    cities = tuple(sorted(content.cities, key=lambda c: (c.code is None, c.code or 0, c.slug)))
    documents = tuple(sorted(
        content.documents,
        key=lambda d: (d.issued is None, -(d.issued.toordinal() if d.issued else 0), d.id),
    ))
    return Site(content.site, cities, documents, content.changes)
