"""Stage 4, derive: everything computed from the model for display and data.

:func:`derive_site` returns a :class:`Derived` holding the view objects for
every page, the open-data records and (see :mod:`site_gen.derive.compare`)
the comparison tables.  Nothing here renders markup.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Iterator

from site_gen.derive.cards import CityCard, city_card
from site_gen.derive.citypage import CityOutline, city_outline
from site_gen.derive.compare import Comparison, Preview, build_comparison, city_columns, preview
from site_gen.derive.opendata import document_records, measure_records, target_records
from site_gen.derive.questions import Question, home_map, home_questions
from site_gen.derive.tilemap import TileMap
from site_gen.derive.views import CityView, DocumentView, MeasureView, TargetView, Views
from site_gen.derive.tables import TABLES, Table
from site_gen.memo import Memo
from site_gen.model import Site


@dataclass(frozen=True)
class Counts:
    """What the site holds, for the home page."""

    documents: int
    measures: int
    targets: int
    cities: int
    """Prefecture-level cities (the province is not counted)."""


@dataclass(frozen=True)
class Derived:
    site: Site
    today: dt.date
    cities: tuple[CityView, ...]
    city_cards: tuple[CityCard, ...]
    documents: tuple[DocumentView, ...]
    measures: tuple[MeasureView, ...]
    targets: tuple[TargetView, ...]
    comparisons: tuple[Comparison, ...]
    tables: tuple[Table, ...]
    previews: tuple[Preview, ...]
    questions: tuple[Question, ...]
    counts: Counts
    city_outlines: dict[str, CityOutline]
    """Contents, offer summary and collapsed badges of each city page, by slug."""
    home_map: TileMap | None
    memo: Memo = field(default_factory=Memo.off, compare=False, repr=False)
    """Keeps the open-data rows of documents that did not change (``site-gen serve``)."""

    def measure_rows(self) -> Iterator[dict[str, Any]]:
        """The open-data rows of the measures, document by document, made as they are read.

        A one-shot build writes them straight into the data files, so they are
        never all in memory at once (at 1,500 cities, 90 MB of dicts).
        """
        for d in self.documents:
            yield from self.memo.get("measure-rows", None, (d,), lambda: measure_records(list(d.measures)))

    def target_rows(self) -> Iterator[dict[str, Any]]:
        """The open-data rows of the targets, as :meth:`measure_rows`."""
        for d in self.documents:
            yield from self.memo.get("target-rows", None, (d,), lambda: target_records(list(d.targets)))

    def document_rows(self) -> Iterator[dict[str, Any]]:
        """The open-data rows of the documents, as :meth:`measure_rows`."""
        for d in self.documents:
            yield self.memo.get("document-row", None, (d,), lambda: document_records([d])[0])

    @property
    def measure_records(self) -> list[dict[str, Any]]:
        return list(self.measure_rows())

    @property
    def target_records(self) -> list[dict[str, Any]]:
        return list(self.target_rows())

    @property
    def document_records(self) -> list[dict[str, Any]]:
        return list(self.document_rows())


def derive_site(site: Site, today: dt.date, tables: tuple[Table, ...] = TABLES,
                memo: Memo | None = None) -> Derived:
    """Views, open data and comparisons of ``site`` at ``today``; ``tables`` are the comparisons to build.

    ``memo`` (``site-gen serve``) keeps views and open-data rows of records
    that did not change since the last build.
    """
    memo = memo or Memo.off()
    views = Views(site, today, memo)
    documents = tuple(views.document(d) for d in site.documents)
    measures = tuple(m for d in documents for m in d.measures)
    targets = tuple(t for d in documents for t in d.targets)
    cities = tuple(views.city(c) for c in site.cities)
    columns = city_columns(cities)
    # A comparison is kept while what it reads is equal: the cities' names and kinds, and the measure and
    # target views (the same objects while their documents did not change). An edit elsewhere in a city
    # (a zone, a summary) then leaves every comparison, and every page showing one, as it was.
    comparisons = tuple(
        memo.same("comparison", table.name, (table, columns, measures, targets),
                  lambda: build_comparison(table, columns, measures, targets))
        for table in tables)
    by_name = {c.name: c for c in comparisons}
    cards = tuple(city_card(c) for c in cities)
    return Derived(
        site=site,
        today=today,
        cities=cities,
        city_cards=cards,
        documents=documents,
        measures=measures,
        targets=targets,
        comparisons=comparisons,
        tables=tables,
        previews=tuple(preview(c) for c in comparisons),
        questions=memo.get("questions", None, comparisons, lambda: tuple(home_questions(by_name))),
        counts=Counts(len(documents), len(measures), len(targets),
                      sum(1 for c in site.cities if c.kind == "city")),
        city_outlines={c.slug: memo.get("city-outline", None, (c,), lambda: city_outline(c)) for c in cities},
        home_map=memo.same("home-map", None, (cards, comparisons), lambda: home_map(cards, by_name)),
        memo=memo,
    )
