"""Stage 3, model: plain typed objects for everything the site shows.

These are built from validated content (:func:`site_gen.validate.validate`)
and carry no behaviour beyond small conveniences; everything computed for
display (statuses, normalised amounts, comparison tables) is in
:mod:`site_gen.derive`.  Amounts are whole yuan.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from site_gen.sourcetext import SourceText


@dataclass(frozen=True)
class Citation:
    """A resolved provenance: the paragraph a quote was found in.

    ``locator`` is what the editor wrote; ``section`` is the full section
    path of the paragraph that holds the quote, and ``anchor`` its HTML id
    on the document page.
    """

    document_id: str
    locator: str
    quote: str
    anchor: str
    section: str


@dataclass(frozen=True)
class Amount:
    """What a measure offers.  Which fields are set depends on ``kind``:

    fixed: ``value``; range: ``min``/``max``; tiers: ``tiers``, ``over_years``;
    percent: ``percent``, ``of``, ``up_to``, ``min``, ``cap``;
    per-unit: ``value``, ``per``, ``cap``; benefit: ``benefit``; unstated: none.
    """

    kind: str
    value: int | None = None
    min: int | None = None
    max: int | None = None
    tiers: tuple[int, ...] = ()
    over_years: int | None = None
    percent: Decimal | None = None
    of: str | None = None
    up_to: bool = False
    cap: int | None = None
    per: str | None = None
    benefit: str | None = None

    def yuan_values(self) -> tuple[int, ...]:
        """Every sum of money the amount states, in yuan."""
        values = (self.value, self.min, self.max, *self.tiers, self.cap)
        return tuple(v for v in values if v is not None)


@dataclass(frozen=True)
class Measure:
    id: str
    document_id: str
    city: str
    zone: str | None
    district: str | None
    category: str
    kind: str | None
    title: str
    beneficiaries: str | None
    conditions: str | None
    level: str | None
    amount: Amount
    note: str | None
    citation: Citation
    conditions_citation: Citation | None = None


@dataclass(frozen=True)
class Target:
    id: str
    document_id: str
    city: str
    zone: str | None
    district: str | None
    metric: str
    label: str | None
    value: Decimal | None
    """The number, or ``None`` for a goal stated in words (then ``label`` says it)."""
    unit: str | None
    year: int | None
    """Target year, or ``None`` when the text gives none."""
    qualifier: str
    basis: str
    note: str | None
    citation: Citation
    year_citation: Citation | None = None


@dataclass(frozen=True)
class Validity:
    years: int
    citation: Citation


@dataclass(frozen=True)
class Part:
    locator: str
    title: str
    valid_for: Validity | None


@dataclass(frozen=True)
class Document:
    id: str
    city: str
    title: str
    title_supplied: bool
    """True when the text has no title and ``title`` is the site's own."""
    short_title: str | None
    issuer: str | None
    """发文机关, or ``None`` when the text does not give it."""
    number: str | None
    """文号, or ``None`` when the text does not give it."""
    issued: dt.date | None
    """Issue date, or ``None`` when the text does not give it."""
    period_start: int | None
    period_end: int | None
    valid_for: Validity | None
    parts: tuple[Part, ...]
    measures: tuple[Measure, ...]
    targets: tuple[Target, ...]
    summary_markdown: str
    source: SourceText

    @property
    def display_title(self) -> str:
        return self.short_title or self.title


@dataclass(frozen=True)
class ZoneFact:
    topic: str
    items: tuple[str, ...]
    text: str | None
    note: str | None
    citation: Citation


@dataclass(frozen=True)
class Zone:
    id: str
    city: str
    name: str
    short_name: str
    level: str
    citation: Citation
    facts: tuple[ZoneFact, ...]

    @property
    def industries(self) -> tuple[str, ...]:
        return tuple(i for f in self.facts if f.topic == "industries" for i in f.items)


@dataclass(frozen=True)
class City:
    slug: str
    name: str
    name_en: str
    kind: str
    code: int | None
    zones: tuple[Zone, ...]
    summary_markdown: str


@dataclass(frozen=True)
class Site:
    """The whole validated content: the input to every later stage."""

    title: str
    tagline: str | None
    description: str | None
    cities: tuple[City, ...]
    documents: tuple[Document, ...]
    _by_city: dict[str, City] = field(default_factory=dict, compare=False, repr=False)
    _by_document: dict[str, Document] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self._by_city.update({c.slug: c for c in self.cities})
        self._by_document.update({d.id: d for d in self.documents})

    def city(self, slug: str) -> City:
        return self._by_city[slug]

    def document(self, document_id: str) -> Document:
        return self._by_document[document_id]

    @property
    def measures(self) -> tuple[Measure, ...]:
        return tuple(m for d in self.documents for m in d.measures)

    @property
    def targets(self) -> tuple[Target, ...]:
        return tuple(t for d in self.documents for t in d.targets)

    def zone(self, zone_id: str) -> Zone | None:
        return next((z for c in self.cities for z in c.zones if z.id == zone_id), None)
