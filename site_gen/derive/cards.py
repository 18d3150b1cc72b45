"""Cities as the lists of cities show them (the home page, the cities page and the home map).

A card holds only what those lists print, so comparing two builds' cards is
cheap and an edit that leaves them alone (a zone's name, a summary) renders
none of those pages again in ``site-gen serve``.
"""

from __future__ import annotations

from dataclasses import dataclass

from site_gen.derive.views import CityView


@dataclass(frozen=True)
class CityCard:
    """A city's name, link and counts."""

    slug: str
    href: str
    name: str
    name_en: str
    document_count: int
    measure_count: int
    target_count: int
    zone_count: int


def city_card(city: CityView) -> CityCard:
    return CityCard(city.slug, city.href, city.name, city.name_en, len(city.documents), city.measure_count,
                    city.target_count, len(city.zones))
