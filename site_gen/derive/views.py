"""View objects: everything a template prints, already computed.

Templates only lay these out.  Every ``href`` here is relative to the site
root (``documents/x/#p-3``); the render stage makes it relative to the page.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Iterable

from site_gen import urls
from site_gen import vocabulary as vocab
from site_gen.derive.amounts import amount_text, quantity_text, target_value_text, target_year_text
from site_gen.derive.status import format_date, is_past_period, measure_validity, valid_until
from site_gen.memo import Memo
from site_gen.model import Site
from site_gen.records import City, Document, Measure, Quantity, SourceRef, Target, Validity, Zone
from site_gen.sourcetext import PREAMBLE
from site_gen.words import Msg, Named, msg


def section_label(section: str) -> str:
    """``附件3/三/6`` -> ``附件3 › 三 › 6``."""
    return " › ".join(section.split("/")) if section else PREAMBLE


COUNT_UNITS = {"个", "家", "项", "件", "只", "人", "场", "名"}


def comparable_value(target: Target) -> Decimal | None:
    """The value, when it can be compared with other cities' values for the metric.

    A count in 个 compares with one in 家; a multiple (翻番, 2倍) does not
    compare with a count, nor a goal stated in words with anything.
    """
    if target.value is None or target.unit is None:
        return None
    expected = vocab.METRICS[target.metric].unit
    if target.unit == expected or (target.unit in COUNT_UNITS and expected in COUNT_UNITS):
        return target.value
    return None


@dataclass(frozen=True)
class CitationView:
    href: str
    document_id: str
    document_title: str
    section: str
    quote: str
    document_title_en: str | None = None


@dataclass(frozen=True)
class MeasureView:
    record: Measure
    anchor: str
    id: str
    title: str
    category: str
    category_label: str
    kind: str | None
    kind_label: str | None
    level: str | None
    level_label: str | None
    amount_kind: str
    amount_text: str
    amount_yuan: int | None
    beneficiaries: str | None
    conditions: str | None
    note: str | None
    city: str
    city_name: str
    zone_name: str | None
    district: str | None
    document_id: str
    document_title: str
    href: str
    valid_until: dt.date | None
    valid_until_text: str | None
    expired: bool
    document_past: bool
    citation: CitationView
    conditions_citation: CitationView | None
    quantities_text: tuple[str, ...] = ()
    """The offer's other figures, formatted: 人才服务大厦建筑面积：1.6万平方米."""
    thresholds_text: tuple[str, ...] = ()
    """Its conditions stated as figures, formatted: 单笔技术合同额：50万元以上."""
    also_citations: tuple[CitationView, ...] = ()
    """Other paragraphs that make the same offer."""
    zone_name_en: str | None = None
    document_title_en: str | None = None

    @property
    def city_anchor(self) -> str:
        """Its anchor on a city page, where measures of several documents meet."""
        return urls.city_measure_anchor(self.document_id, self.id)


@dataclass(frozen=True)
class TargetView:
    record: Target
    anchor: str
    id: str
    metric: str
    metric_label: str
    label: str | None
    value: Decimal | None
    """The number, comparable within its metric (None for goals in words or odd units such as 倍)."""
    value_text: str
    year: int | None
    year_text: str
    basis_label: str
    basis: str
    note: str | None
    city: str
    city_name: str
    zone_name: str | None
    district: str | None
    document_id: str
    document_title: str
    href: str
    document_past: bool
    citation: CitationView
    year_citation: CitationView | None
    quantities_text: tuple[str, ...] = ()
    thresholds_text: tuple[str, ...] = ()
    also_citations: tuple[CitationView, ...] = ()
    """Other paragraphs that state the same goal: one target, several citations."""
    zone_name_en: str | None = None
    document_title_en: str | None = None

    @property
    def city_anchor(self) -> str:
        """Its anchor on a city page, where targets of several documents meet."""
        return urls.city_target_anchor(self.document_id, self.id)


@dataclass(frozen=True)
class ParagraphView:
    anchor: str
    section: str
    text: str
    opens_section: bool


@dataclass(frozen=True)
class PartView:
    locator: str
    title: str
    href: str
    validity_text: Msg | None
    title_en: str | None = None


@dataclass(frozen=True)
class DocumentView:
    record: Document
    id: str
    href: str
    title: str
    title_supplied: bool
    display_title: str
    issuer: str
    issuer_known: bool
    number_text: str
    number_known: bool
    issued_text: str
    issued_known: bool
    issued_iso: str | None
    period_text: str
    past_period: bool
    status_text: str
    validity_text: Msg | None
    city: str
    city_name: str
    summary_markdown: str
    parts: tuple[PartView, ...]
    measures: tuple[MeasureView, ...]
    targets: tuple[TargetView, ...]
    paragraphs: tuple[ParagraphView, ...]
    filter_year: str | None
    """The year readers filter by: the issue year, else the first year of the period."""
    status_words: Msg | None = None
    """``status_text`` as a message, for the edition's words."""
    period_words: Msg | None = None
    """``period_text`` as a message, for the edition's words."""
    period_inferred: bool = False
    """True when the period's years are inferred, not stated (the reason is in period_text)."""
    period_citation: CitationView | None = None
    summary_citations: tuple[CitationView, ...] = ()
    """The paragraphs our summary draws on."""
    non_commitments: tuple[tuple[str, CitationView], ...] = ()
    """(reason, citation) for each number of the text that is not a commitment."""

    @property
    def structured_data(self) -> dict[str, Any]:
        """schema.org Legislation for search engines (unknown facts are left out)."""
        data: dict[str, Any] = {
            "@context": "https://schema.org",
            "@type": "Legislation",
            "name": self.title,
            "legislationJurisdiction": self.city_name,
            "inLanguage": "zh-CN",
        }
        if self.issuer_known:
            data["legislationPassedBy"] = {"@type": "GovernmentOrganization", "name": self.issuer}
        if self.number_known:
            data["legislationIdentifier"] = self.number_text
        if self.issued_iso:
            data["legislationDate"] = self.issued_iso
        return data

    @property
    def category_labels(self) -> tuple[str, ...]:
        return category_labels(self.measures)


@dataclass(frozen=True)
class FactView:
    topic_label: str
    items: tuple[str, ...]
    text: str | None
    note: str | None
    citation: CitationView
    quantities_text: tuple[str, ...] = ()
    quantities: tuple[Quantity, ...] = ()


@dataclass(frozen=True)
class ZoneView:
    id: str
    name: str
    short_name: str
    level_label: str
    industries: tuple[str, ...]
    citation: CitationView
    facts: tuple[FactView, ...]
    measures: tuple[MeasureView, ...]
    targets: tuple[TargetView, ...]
    name_en: str | None = None
    short_name_en: str | None = None


@dataclass(frozen=True)
class CategoryGroup:
    category: str
    label: str
    measures: tuple[MeasureView, ...]


@dataclass(frozen=True)
class CityView:
    slug: str
    href: str
    name: str
    name_en: str
    kind_label: str
    summary_markdown: str
    zones: tuple[ZoneView, ...]
    documents: tuple[DocumentView, ...]
    measure_groups: tuple[CategoryGroup, ...]
    targets: tuple[TargetView, ...]
    measure_count: int
    target_count: int
    summary_citations: tuple[CitationView, ...] = ()
    """The paragraphs our summary draws on."""
    kind: str = "city"
    """``city`` or ``province``."""
    summary_markdown_en: str = ""
    """Our English summary (``city.en.md``), if written."""

    @property
    def category_labels(self) -> tuple[str, ...]:
        return category_labels(
            [m for g in self.measure_groups for m in g.measures] + [m for z in self.zones for m in z.measures]
        )


def category_labels(measures: Iterable[MeasureView]) -> tuple[str, ...]:
    """The categories present, once each, in vocabulary order."""
    present = {m.category for m in measures}
    return tuple(term.label for key, term in vocab.CATEGORIES.items() if key in present)


def english_title(document: Document) -> str | None:
    """The editors' English for the title a list shows (short title first), if written."""
    return document.short_title_en or document.title_en


class Views:
    """Builds the view objects for one site at one date.

    Each record's view is built once per build (a city page shows its
    documents, measures and targets, whose views the document pages use
    too).  With a ``memo`` (``site-gen serve``) a view is also kept across
    builds, under its record and the names every view may print (cities',
    zones' and documents' names, and the date): a record that did not change
    keeps its view unless a name it shows did.
    """

    def __init__(self, site: Site, today: dt.date, memo: Memo | None = None):
        self.site = site
        self.today = today
        self.memo = memo or Memo.off()
        self._built: dict[tuple[str, int], Any] = {}
        names = (today,
                 tuple((c.slug, c.name, tuple((z.id, z.short_name) for z in c.zones)) for c in site.cities),
                 tuple((d.id, d.display_title) for d in site.documents))
        # One object per set of names, the same across builds while the names are.
        self.names: object = self.memo.get("view-names", names, (), object)

    def _once(self, kind: str, record: object, objects: tuple[object, ...], make: Any) -> Any:
        key = (kind, id(record))
        view = self._built.get(key)
        if view is None:
            view = self._built[key] = self.memo.get(kind, None, (record, self.names, *objects), make)
        return view

    def citation(self, citation: SourceRef) -> CitationView:
        document = self.site.document(citation.document_id)
        return CitationView(
            href=urls.paragraph(document.id, citation.anchor),
            document_id=document.id,
            document_title=document.display_title,
            section=section_label(citation.section),
            quote=citation.quote,
            document_title_en=english_title(document),
        )

    def _zone_name(self, zone_id: str | None) -> str | None:
        zone = self.site.zone(zone_id) if zone_id else None
        return zone.short_name if zone else None

    def _zone_name_en(self, zone_id: str | None) -> str | None:
        zone = self.site.zone(zone_id) if zone_id else None
        return (zone.short_name_en or zone.name_en) if zone else None

    def measure(self, measure: Measure) -> MeasureView:
        view: MeasureView = self._once("measure", measure, (), lambda: self._measure(measure))
        return view

    def _measure(self, measure: Measure) -> MeasureView:
        document = self.site.document(measure.document_id)
        until = valid_until(document, measure_validity(document, measure))
        kind = vocab.OFFER_KINDS.get(measure.kind) if measure.kind else None
        level = vocab.LEVELS.get(measure.level) if measure.level else None
        anchor = urls.measure_anchor(measure.id)
        return MeasureView(
            record=measure, anchor=anchor, id=measure.id, title=measure.title,
            category=measure.category, category_label=vocab.CATEGORIES[measure.category].label,
            kind=measure.kind, kind_label=kind.label if kind else None,
            level=measure.level, level_label=level.label if level else None,
            amount_kind=measure.amount.kind, amount_text=amount_text(measure.amount),
            amount_yuan=measure.amount.headline_yuan(),
            beneficiaries=measure.beneficiaries, conditions=measure.conditions, note=measure.note,
            city=measure.city_slug, city_name=self.site.city(measure.city_slug).name,
            zone_name=self._zone_name(measure.zone), district=measure.district,
            document_id=document.id, document_title=document.display_title,
            href=urls.measure(document.id, measure.id),
            valid_until=until, valid_until_text=format_date(until) if until else None,
            expired=until is not None and until < self.today,
            document_past=is_past_period(document, self.today),
            citation=self.citation(measure.source),
            conditions_citation=self.citation(measure.conditions_source) if measure.conditions_source else None,
            quantities_text=tuple(quantity_text(q) for q in measure.quantities),
            thresholds_text=tuple(quantity_text(q) for q in measure.thresholds),
            also_citations=tuple(self.citation(c) for c in measure.also_cited),
            zone_name_en=self._zone_name_en(measure.zone), document_title_en=english_title(document),
        )

    def target(self, target: Target) -> TargetView:
        view: TargetView = self._once("target", target, (), lambda: self._target(target))
        return view

    def _target(self, target: Target) -> TargetView:
        document = self.site.document(target.document_id)
        anchor = urls.target_anchor(target.id)
        return TargetView(
            record=target, anchor=anchor, id=target.id, metric=target.metric,
            metric_label=vocab.METRICS[target.metric].label, label=target.label,
            value=comparable_value(target), value_text=target_value_text(target), year=target.year,
            year_text=target_year_text(target),
            basis_label=vocab.BASES[target.basis].label, basis=target.basis, note=target.note,
            city=target.city_slug, city_name=self.site.city(target.city_slug).name,
            zone_name=self._zone_name(target.zone), district=target.district,
            document_id=document.id, document_title=document.display_title,
            href=urls.target(document.id, target.id),
            document_past=is_past_period(document, self.today),
            citation=self.citation(target.source),
            year_citation=self.citation(target.year_source) if target.year_source else None,
            quantities_text=tuple(quantity_text(q) for q in target.quantities),
            thresholds_text=tuple(quantity_text(q) for q in target.thresholds),
            also_citations=tuple(self.citation(c) for c in target.also_cited),
            zone_name_en=self._zone_name_en(target.zone), document_title_en=english_title(document),
        )

    def _period_text(self, document: Document) -> Msg:
        if document.period_start is None and document.period_end is None:
            return msg("未载明")
        start = msg("%(year)s年", year=document.period_start) if document.period_start else msg("起始年份未载明")
        end = msg("%(year)s年", year=document.period_end) if document.period_end else msg("结束年份未载明")
        period = document.period
        if period is not None and period.basis == "inferred":
            return msg("%(start)s—%(end)s（推定：%(reason)s）", start=start, end=end, reason=Named(period.reason or ""))
        return msg("%(start)s—%(end)s", start=start, end=end)

    def _validity_text(self, document: Document, validity: Validity | None) -> Msg | None:
        if validity is None:
            return None
        until = valid_until(document, validity)
        state = msg("（已届满）") if until and until < self.today else ""
        if until:
            return msg("自发布之日起%(years)s年，至%(date)s%(state)s", years=validity.years, date=until, state=state)
        return msg("自发布之日起%(years)s年（起始日期不详）%(state)s", years=validity.years, state=state)

    def document(self, document: Document) -> DocumentView:
        view: DocumentView = self._once("document", document, (), lambda: self._document(document))
        return view

    def _document(self, document: Document) -> DocumentView:
        past = is_past_period(document, self.today)
        inferred = msg("，推定") if document.period is not None and document.period.basis == "inferred" else ""
        if past:
            status = msg("已过规划期（%(year)s年结束%(inferred)s）", year=document.period_end, inferred=inferred)
        elif document.period_end is not None:
            status = msg("规划期内（至%(year)s年%(inferred)s）", year=document.period_end, inferred=inferred)
        else:
            status = msg("规划期未载明")
        return DocumentView(
            record=document, id=document.id, href=urls.document(document.id), title=document.title,
            title_supplied=document.title_supplied, display_title=document.display_title,
            issuer=document.issuer or "原文未载明", issuer_known=document.issuer is not None,
            number_text=document.number or "原文未载明", number_known=document.number is not None,
            issued_text=format_date(document.issued, "原文未载明"), issued_known=document.issued is not None,
            issued_iso=document.issued.isoformat() if document.issued else None,
            period_text=str(self._period_text(document)), period_words=self._period_text(document),
            past_period=past, status_text=str(status), status_words=status,
            validity_text=self._validity_text(document, document.valid_for),
            city=document.city_slug, city_name=self.site.city(document.city_slug).name,
            summary_markdown=document.summary_markdown,
            parts=tuple(
                PartView(p.locator, p.title, f"#{self._section_anchor(document, p.locator)}",
                         self._validity_text(document, p.valid_for), p.title_en)
                for p in document.parts
            ),
            measures=tuple(self.measure(m) for m in document.measures),
            targets=tuple(self.target(t) for t in document.targets),
            paragraphs=tuple(
                ParagraphView(p.anchor, section_label("/".join(p.path)), p.text, p.opens_section)
                for p in document.archived_text.paragraphs
            ),
            filter_year=str(document.issued.year) if document.issued else (
                str(document.period_start) if document.period_start else None),
            period_inferred=document.period is not None and document.period.basis == "inferred",
            period_citation=(self.citation(document.period.source)
                             if document.period is not None and document.period.source else None),
            summary_citations=tuple(self.citation(c) for c in document.summary_sources),
            non_commitments=tuple((n.reason, self.citation(n.source)) for n in document.non_commitments),
        )

    @staticmethod
    def _section_anchor(document: Document, locator: str) -> str:
        wanted = tuple(locator.split("/"))
        for paragraph in document.archived_text.paragraphs:
            if paragraph.path[: len(wanted)] == wanted:
                return paragraph.anchor
        return "source"

    def zone(self, zone: Zone) -> ZoneView:
        shown = (*self.site.zone_measures(zone.id), *self.site.zone_targets(zone.id))
        view: ZoneView = self._once("zone", zone, shown, lambda: self._zone(zone))
        return view

    def _zone(self, zone: Zone) -> ZoneView:
        return ZoneView(
            id=zone.id, name=zone.name, short_name=zone.short_name,
            level_label=vocab.ZONE_LEVELS[zone.level].label, industries=zone.industries,
            citation=self.citation(zone.source),
            facts=tuple(
                FactView(vocab.ZONE_FACT_TOPICS[f.topic].label, tuple(f.items or ()), f.text, f.note,
                         self.citation(f.source), tuple(quantity_text(q) for q in f.quantities),
                         tuple(f.quantities))
                for f in zone.facts
            ),
            measures=tuple(self.measure(m) for m in self.site.zone_measures(zone.id)),
            targets=tuple(self.target(t) for t in self.site.zone_targets(zone.id)),
            name_en=zone.name_en, short_name_en=zone.short_name_en,
        )

    def city(self, city: City) -> CityView:
        shown: tuple[object, ...] = (*self.site.city_measures(city.slug), *self.site.city_targets(city.slug),
                                     *self.site.documents_of(city.slug), *(self.zone(z) for z in city.zones))
        view: CityView = self._once("city", city, shown, lambda: self._city(city))
        return view

    def _city(self, city: City) -> CityView:
        measures = [self.measure(m) for m in self.site.city_measures(city.slug)]
        # A city's page lists county and district figures too, marked with their district.
        groups = tuple(
            CategoryGroup(key, term.label, tuple(m for m in measures if m.category == key))
            for key, term in vocab.CATEGORIES.items()
            if any(m.category == key for m in measures)
        )
        targets = tuple(self.target(t) for t in self.site.city_targets(city.slug))
        zones = tuple(self.zone(z) for z in city.zones)
        return CityView(
            slug=city.slug, href=urls.city(city.slug), name=city.name, name_en=city.name_en,
            kind_label=vocab.CITY_KINDS[city.kind].label, summary_markdown=city.summary_markdown,
            zones=zones,
            documents=tuple(self.document(d) for d in self.site.documents_of(city.slug)),
            measure_groups=groups, targets=targets,
            measure_count=len(measures) + sum(len(z.measures) for z in zones),
            target_count=len(targets) + sum(len(z.targets) for z in zones),
            summary_citations=tuple(self.citation(c) for c in city.summary_sources),
            kind=city.kind, summary_markdown_en=city.summary_markdown_en,
        )
