"""Time-dependent status, computed from a document's own dates at build time.

* A document is *past its period* once the last year it covers has ended
  (a plan "到2020年" is past from 2021-01-01).
* A stated validity (有效期五年, counted from the issue date) ends the day
  before the same date N years later: issued 2021-10-09, five years →
  valid until 2026-10-08.  A part's validity overrides the document's.
"""

from __future__ import annotations

import datetime as dt

from site_gen.records import Document, Measure, Validity
from site_gen.sourcetext import parse_locator


def is_past_period(document: Document, today: dt.date) -> bool:
    return document.period_end is not None and document.period_end < today.year


def valid_until(document: Document, validity: Validity | None) -> dt.date | None:
    """Last day of a validity counted from the issue date; None if unknown."""
    if validity is None or document.issued is None:
        return None
    issued = document.issued
    try:
        end = issued.replace(year=issued.year + validity.years)
    except ValueError:  # 29 February
        end = issued.replace(year=issued.year + validity.years, day=28)
    return end - dt.timedelta(days=1)


def measure_validity(document: Document, measure: Measure) -> Validity | None:
    """The validity that governs a measure: its part's, else the document's."""
    section = parse_locator(measure.source.section)
    for part in document.parts:
        prefix = parse_locator(part.locator)
        if part.valid_for is not None and section[: len(prefix)] == prefix:
            return part.valid_for
    return document.valid_for


def format_date(date: dt.date | None, unknown: str = "不详") -> str:
    return f"{date.year}年{date.month}月{date.day}日" if date else unknown
