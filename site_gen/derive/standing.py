"""Whether an offer or a goal is in force at the build date, in one word.

Three standings, from the document's own dates (see :mod:`site_gen.derive.status`):

* ``in-force`` (现行有效) — a stated validity that has not ended, or no stated
  validity and a document still within its period (or without one);
* ``expired`` (有效期已届满) — a stated validity that has ended;
* ``past`` (文件已过规划期) — no stated validity, and the document's period has
  ended.  A validity still running outranks the period: a measure valid for
  five years stays in force after its plan's last year.

Comparison tables filter by :data:`FILTERS`: ``in-force``, ``expired`` (both
lapsed standings: 已届满或已过规划期) and ``all``; headline answers come from
what is in force and say so, or state the standing of what they quote.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from site_gen.derive.views import MeasureView, TargetView
from site_gen.words import Msg, N_, msg


@dataclass(frozen=True)
class Standing:
    key: str
    """``in-force``, ``expired`` or ``past``."""
    label: str
    """What a reader is told: 有效期已届满（2026年10月8日）, 文件已过规划期, 现行有效."""
    short: str
    """The badge in a table cell: 已届满, 已过规划期, 现行有效."""
    collective: str = ""
    """Said once of a section whose entries all share it: 有效期均已届满（…）, 所在文件均已过规划期."""
    until: dt.date | None = None
    """The last day of an ended validity."""

    @property
    def words(self) -> Msg:
        """``label`` as a message: the words come from the edition's catalogue."""
        return msg("有效期已届满（%(date)s）", date=self.until) if self.until else Msg(self.label)

    @property
    def short_words(self) -> Msg:
        return Msg(self.short)

    @property
    def collective_words(self) -> Msg:
        return msg("有效期均已届满（%(date)s）", date=self.until) if self.until else Msg(self.collective)

    @property
    def lapsed(self) -> bool:
        return self.key != "in-force"

    @property
    def filter(self) -> str:
        """The status filter that shows it besides ``all``: ``in-force`` or ``expired``."""
        return "in-force" if self.key == "in-force" else "expired"


IN_FORCE = Standing("in-force", N_("现行有效"), N_("现行有效"), N_("均现行有效"))
PAST = Standing("past", N_("文件已过规划期"), N_("已过规划期"), N_("所在文件均已过规划期"))
N_("已届满")

FILTERS: tuple[tuple[str, str], ...] = (
    ("all", N_("全部")),
    ("in-force", N_("现行有效")),
    ("expired", N_("已届满或已过规划期")),
)
"""The status filter of comparison tables (``?status=``), default first."""


def measure_standing(m: MeasureView) -> Standing:
    if m.expired:
        return Standing("expired", f"有效期已届满（{m.valid_until_text}）", "已届满",
                        f"有效期均已届满（{m.valid_until_text}）", until=m.valid_until)
    if m.valid_until is not None:
        return IN_FORCE  # a stated validity still running outranks the plan's period
    return PAST if m.document_past else IN_FORCE


def target_standing(t: TargetView) -> Standing:
    return PAST if t.document_past else IN_FORCE


def shared_label(standings: list[Standing]) -> str | None:
    """The one label every standing shares, for a sentence such as “均已过规划期”."""
    labels = {s.label for s in standings}
    return labels.pop() if len(labels) == 1 else None
