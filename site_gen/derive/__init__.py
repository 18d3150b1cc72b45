"""Stage 4, derive: everything computed from the model for display and data.

:func:`derive_site` returns a :class:`Derived` holding the view objects for
every page, the open-data records and (see :mod:`site_gen.derive.compare`)
the comparison tables.  Nothing here renders markup.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from site_gen.derive.compare import Comparison, offer_comparison, target_comparison
from site_gen.derive.opendata import document_records, measure_records, target_records
from site_gen.derive.views import CityView, DocumentView, MeasureView, TargetView, Views
from site_gen.model import Site


@dataclass(frozen=True)
class Derived:
    site: Site
    today: dt.date
    cities: tuple[CityView, ...]
    documents: tuple[DocumentView, ...]
    measures: tuple[MeasureView, ...]
    targets: tuple[TargetView, ...]
    measure_records: list
    target_records: list
    document_records: list
    comparisons: tuple[Comparison, ...]


def derive_site(site: Site, today: dt.date) -> Derived:
    views = Views(site, today)
    documents = tuple(views.document(d) for d in site.documents)
    measures = tuple(m for d in documents for m in d.measures)
    targets = tuple(t for d in documents for t in d.targets)
    cities = tuple(views.city(c) for c in site.cities)
    comparisons = (
        offer_comparison("incubator-awards", cities, measures),
        offer_comparison("talent-packages", cities, measures),
        offer_comparison("funds", cities, measures),
        target_comparison(cities, targets),
    )
    return Derived(
        site=site,
        today=today,
        cities=cities,
        documents=documents,
        measures=measures,
        targets=targets,
        measure_records=measure_records(list(measures)),
        target_records=target_records(list(targets)),
        document_records=document_records(list(documents)),
        comparisons=comparisons,
    )
