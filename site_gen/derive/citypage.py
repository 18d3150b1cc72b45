"""What a city page shows above and around its cards: contents, a summary of offers, one badge per fact.

A city page is long on a phone, so it opens with an in-page contents list
and a table of the city's offers that state an amount (each linking to its
card).  Repeated badges are collapsed: a section whose offers all share a
standing (有效期已届满…, 文件已过规划期) or a document says it once in its
heading, and its cards leave it out; a card shows one standing, not two.
"""

from __future__ import annotations

from dataclasses import dataclass

from site_gen import urls
from site_gen.derive.standing import Standing, measure_standing, shared_label, target_standing
from site_gen.derive.views import CityView, MeasureView
from site_gen.words import Msg, Named, msg


@dataclass(frozen=True)
class ContentsItem:
    anchor: str
    label: Msg | Named
    count: int | None = None
    children: tuple["ContentsItem", ...] = ()


@dataclass(frozen=True)
class OfferLine:
    """One row of the summary table: an offer with an amount."""

    measure: MeasureView
    standing: Standing
    where: str | None
    """The zone or county it is limited to."""


@dataclass(frozen=True)
class CardGroup:
    """A section of cards with what they share said once."""

    key: str
    label: str
    anchor: str
    items: tuple[tuple[MeasureView, Standing | None], ...]
    """Each card with the standing it shows (None when the section states it)."""
    shared_standing: Standing | None
    shared_document: tuple[str, str, str | None] | None
    """(title, href, English title) of the one document every card comes from, said once."""


@dataclass(frozen=True)
class CityOutline:
    contents: tuple[ContentsItem, ...]
    offers: tuple[OfferLine, ...]
    groups: tuple[CardGroup, ...]
    zone_groups: dict[str, CardGroup]
    offers_key: tuple[tuple[str, Msg], ...]
    """The short badges of the offers table and what each means (已届满 — 有效期已届满（2026年10月8日））."""
    targets_standing: Standing | None
    """The standing every target shares, when it is not in force (the targets table then leaves it out)."""
    targets_document: tuple[str, str, str | None] | None = None
    """(title, href, English title) of the one document every target comes from (the table then has no document column)."""


def _group(key: str, label: str, anchor: str, measures: tuple[MeasureView, ...]) -> CardGroup:
    standings = [measure_standing(m) for m in measures]
    shared = shared_label(standings)
    shared_standing = standings[0] if shared and standings[0].lapsed and len(measures) > 1 else None
    documents = {(m.document_title, urls.document(m.document_id), m.document_title_en) for m in measures}
    items = tuple((m, None if shared_standing else (s if s.lapsed else None)) for m, s in zip(measures, standings))
    return CardGroup(key, label, anchor, items, shared_standing,
                     documents.pop() if len(documents) == 1 and len(measures) > 1 else None)


def city_outline(city: CityView) -> CityOutline:
    groups = tuple(_group(g.category, g.label, urls.category_anchor(g.category), g.measures)
                   for g in city.measure_groups)
    zone_groups = {z.id: _group(z.id, f"{z.short_name}的支持措施", urls.zone_anchor(z.id), z.measures)
                   for z in city.zones if z.measures}
    offers = tuple(
        OfferLine(m, measure_standing(m), m.zone_name or m.district)
        for m in [*(m for z in city.zones for m in z.measures), *(m for g in city.measure_groups for m in g.measures)]
        if m.amount_yuan is not None
    )
    contents: list[ContentsItem] = []
    if offers:
        contents.append(ContentsItem("offers-h", msg("有金额的措施一览"), len(offers)))
    if city.zones:
        contents.append(ContentsItem("zones-h", msg("高新区"), len(city.zones), tuple(
            ContentsItem(urls.zone_anchor(z.id), Named(z.short_name, z.short_name_en or z.name_en))
            for z in city.zones)))
    if groups:
        contents.append(ContentsItem("measures-h", msg("扶持措施"), sum(len(g.items) for g in groups), tuple(
            ContentsItem(g.anchor, Msg(g.label), len(g.items)) for g in groups)))
    if city.targets:
        contents.append(ContentsItem("targets-h", msg("量化目标"), len(city.targets)))
    contents.append(ContentsItem("docs-h", msg("文件"), len(city.documents)))
    key: dict[str, Msg] = {}
    for line in offers:
        if line.standing.lapsed:
            key.setdefault(line.standing.short, line.standing.words)
    standings = [target_standing(t) for t in city.targets]
    shared = shared_label(standings)
    target_documents = {(t.document_title, urls.document(t.document_id), t.document_title_en) for t in city.targets}
    return CityOutline(tuple(contents), offers, groups, zone_groups, tuple(key.items()),
                       standings[0] if shared and standings and standings[0].lapsed else None,
                       target_documents.pop() if len(target_documents) == 1 and len(city.targets) > 1 else None)
