"""Side-by-side comparison tables.

A table's rows are kinds of offer (from :data:`site_gen.vocabulary.OFFER_KINDS`,
split by level where an offer depends on one) or target metrics; its columns
are the cities with at least one entry.  Because rows come from a controlled
vocabulary, the same kind of offer from two cities always lands in the same
row.  A cell is in one of three states:

* ``found`` — entries with an amount or benefit (some may be marked past their
  period or expired; they are shown, with the mark);
* ``unstated`` — the offer is made but no amount is stated (未明确金额);
* ``missing`` — nothing in the documents we hold.

The largest offer of a row (by :func:`~site_gen.derive.amounts.headline_yuan`)
is marked when at least two cells have an amount to compare.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Iterable

from site_gen import urls
from site_gen import vocabulary as vocab
from site_gen.derive.tables import OfferTable, Table, TargetTable
from site_gen.derive.views import CitationView, CityView, MeasureView, TargetView
from site_gen.figures import format_yuan

LEVEL_ORDER = {key: i for i, key in enumerate((*vocab.LEVELS, None))}


@dataclass(frozen=True)
class Entry:
    """One offer or target in a cell."""

    text: str
    sort_value: Decimal | None
    unstated: bool
    past: bool
    expired: bool
    status_text: str | None
    year_text: str | None
    title: str
    details: tuple[tuple[str, str], ...]
    scope: str | None
    citation: CitationView
    also: tuple[CitationView, ...] = ()


@dataclass(frozen=True)
class Cell:
    city: str
    city_name: str
    entries: tuple[Entry, ...]
    state: str
    sort_value: Decimal | None
    best: bool = False

    @property
    def best_entry_text(self) -> str:
        """The text of the entry holding the cell's largest value."""
        valued = [e for e in self.entries if e.sort_value is not None]
        return max(valued, key=_sort_value).text if valued else ""

    @property
    def csv_text(self) -> str:
        if self.state == "missing":
            return "未找到"
        parts = []
        for e in self.entries:
            extra = "，".join(x for x in (e.year_text, e.scope, e.status_text) if x)
            parts.append(f"{e.text}（{extra}）" if extra else e.text)
        return "；".join(parts)


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    level_label: str | None
    note: str
    cells: tuple[Cell, ...]
    best_text: str | None
    best_value: Decimal | None
    order: int


@dataclass(frozen=True)
class Column:
    slug: str
    name: str


@dataclass(frozen=True)
class Bar:
    label: str
    value_text: str
    y: int
    width: int


@dataclass(frozen=True)
class Chart:
    id: str
    title: str
    description: str
    width: int
    height: int
    bars: tuple[Bar, ...]


@dataclass(frozen=True)
class Comparison:
    name: str
    title: str
    description: str
    value_note: str
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    absent: tuple[str, ...]
    charts: tuple[Chart, ...]
    row_heading: str = "支持方式"
    template: str = "compare.html"

    @property
    def href(self) -> str:
        return urls.comparison(self.name)


# --- entries --------------------------------------------------------------------


def _status(past: bool, expired: bool, until: str | None) -> str | None:
    if expired:
        return f"有效期已届满（{until}）"
    if past:
        return "文件已过规划期"
    return None


def measure_entry(m: MeasureView) -> Entry:
    details = tuple((k, v) for k, v in (("措施", m.title), ("支持对象", m.beneficiaries),
                                         ("条件", m.conditions), ("说明", m.note)) if v)
    scope = m.zone_name or m.district
    return Entry(
        text=m.amount_text, sort_value=Decimal(m.amount_yuan) if m.amount_yuan is not None else None,
        unstated=m.amount_kind == "unstated", past=m.document_past, expired=m.expired,
        status_text=_status(m.document_past, m.expired, m.valid_until_text), year_text=None,
        title=m.title, details=details, scope=scope, citation=m.citation,
    )


def target_entry(t: TargetView) -> Entry:
    details = tuple((k, v) for k, v in (("指标", t.label), ("说明", t.note)) if v)
    return Entry(
        text=t.value_text, sort_value=t.value, unstated=False, past=t.document_past, expired=False,
        status_text=_status(t.document_past, False, None), year_text=t.year_text,
        title=t.label or t.metric_label, details=details, scope=t.zone_name or t.district,
        citation=t.citation,
    )


def _sort_value(entry: Entry) -> Decimal:
    """An entry's value for ``max``; entries without one sort below every number."""
    return entry.sort_value if entry.sort_value is not None else Decimal("-Infinity")


def _merge_duplicates(entries: list[Entry]) -> list[Entry]:
    """The same figure cited twice (a plan and its attachment) is one entry with two sources."""
    merged: dict[tuple[str, str | None, str | None], Entry] = {}
    for entry in entries:
        key = (entry.text, entry.year_text, entry.scope)
        if key in merged:
            first = merged[key]
            merged[key] = Entry(**{**first.__dict__, "also": first.also + (entry.citation,)})
        else:
            merged[key] = entry
    return list(merged.values())


def _cell(city: Column, entries: list[Entry]) -> Cell:
    entries = _merge_duplicates(entries)
    if not entries:
        return Cell(city.slug, city.name, (), "missing", None)
    state = "unstated" if all(e.unstated for e in entries) else "found"
    values = [e.sort_value for e in entries if e.sort_value is not None]
    return Cell(city.slug, city.name, tuple(entries), state, max(values) if values else None)


def _mark_best(cells: list[Cell]) -> tuple[list[Cell], Decimal | None]:
    values = [c.sort_value for c in cells if c.sort_value is not None]
    if len(values) < 2:
        return cells, max(values) if values else None
    best = max(values)
    return [Cell(**{**c.__dict__, "best": c.sort_value == best}) for c in cells], best


# --- tables ---------------------------------------------------------------------


def _columns(cities: Iterable[CityView], used: set[str]) -> tuple[tuple[Column, ...], tuple[str, ...]]:
    columns = tuple(Column(c.slug, c.name) for c in cities if c.slug in used)
    absent = tuple(c.name for c in cities if c.slug not in used)
    return columns, absent


def _row(key: str, label: str, level: str | None, note: str, order: int, columns: tuple[Column, ...],
         grouped: dict[str, list[Entry]]) -> Row:
    cells, best = _mark_best([_cell(col, grouped.get(col.slug, [])) for col in columns])
    winners = [c for c in cells if best is not None and c.sort_value == best]
    text = None
    if best is not None and winners:
        text = f"{winners[0].best_entry_text}（{'、'.join(c.city_name for c in winners)}）"
    return Row(key, label, vocab.LEVELS[level].label if level else None, note, tuple(cells), text, best, order)


def offer_comparison(table: OfferTable, cities: tuple[CityView, ...], measures: Iterable[MeasureView]) -> Comparison:
    """A comparison of support offers: rows are (kind, level), columns are cities."""
    name = table.name
    kinds = [vocab.OFFER_KINDS[k] for k in table.kinds]
    kind_order = {k.id: i for i, k in enumerate(kinds)}
    relevant = [(m.kind, m) for m in measures if m.kind is not None and m.kind in kind_order]
    columns, absent = _columns(cities, {m.city for _, m in relevant})
    keys = sorted({(kind, m.level) for kind, m in relevant}, key=lambda k: (kind_order[k[0]], LEVEL_ORDER[k[1]]))
    rows = []
    for order, (kind, level) in enumerate(keys):
        grouped: dict[str, list[Entry]] = {}
        for measure_kind, m in relevant:
            if (measure_kind, m.level) == (kind, level):
                grouped.setdefault(m.city, []).append(measure_entry(m))
        offer = vocab.OFFER_KINDS[kind]
        rows.append(_row(urls.offer_row_anchor(kind, level), offer.label, level, offer.note, order, columns, grouped))
    charts = (amount_chart(f"chart-{name}", f"{table.label}：各市金额", rows),) if rows else ()
    return Comparison(name, table.label, table.note, table.value_note,
                      columns, tuple(rows), absent, tuple(c for c in charts if c.bars), template=table.template)


def target_comparison(table: TargetTable, cities: tuple[CityView, ...], targets: Iterable[TargetView]) -> Comparison:
    """Numeric goals: rows are (metric, basis), cells show the value and its target year.

    Baselines (current levels), county- or zone-level goals and one-off goals
    (metric ``other``) are left out: the table compares what whole cities and
    the province aim for, on metrics they share.
    """
    metric_order = {m: i for i, m in enumerate(vocab.METRICS)}
    basis_order = {b: i for i, b in enumerate(vocab.BASES)}
    relevant = [t for t in targets
                if t.basis != "baseline" and t.metric != "other" and not t.zone_name and not t.district]
    columns, absent = _columns(cities, {t.city for t in relevant})
    keys = sorted({(t.metric, t.basis) for t in relevant}, key=lambda k: (metric_order[k[0]], basis_order[k[1]]))
    rows = []
    for order, (metric, basis) in enumerate(keys):
        grouped: dict[str, list[Entry]] = {}
        for t in relevant:
            if (t.metric, t.basis) == (metric, basis):
                grouped.setdefault(t.city, []).append(target_entry(t))
        label = vocab.METRICS[metric].label + ("（新增）" if basis == "new" else "")
        rows.append(_row(urls.target_row_anchor(metric, basis), label, None, vocab.METRICS[metric].note, order, columns,
                         grouped))
    charts = tuple(
        chart for chart in (target_chart(f"chart-{row.key}", row) for row in rows) if chart is not None
    )
    return Comparison(table.name, table.label, table.note, table.value_note,
                      columns, tuple(rows), absent, charts, row_heading="指标", template=table.template)


def build_comparison(table: Table, cities: tuple[CityView, ...], measures: tuple[MeasureView, ...],
                     targets: tuple[TargetView, ...]) -> Comparison:
    """The comparison a registered table describes."""
    if isinstance(table, OfferTable):
        return offer_comparison(table, cities, measures)
    if isinstance(table, TargetTable):
        return target_comparison(table, cities, targets)
    raise TypeError(f"comparison {table.name!r}: no builder for {type(table).__name__}")


# --- charts ---------------------------------------------------------------------

CHART_WIDTH = 360
BAR_SPACE = 270
ITEM_HEIGHT = 40


def _chart(chart_id: str, title: str, items: list[tuple[str, Decimal, str]], description: str) -> Chart:
    biggest = max(value for _, value, _ in items)
    bars = tuple(
        Bar(label, text, 6 + i * ITEM_HEIGHT, max(2, int(BAR_SPACE * value / biggest)) if biggest else 2)
        for i, (label, value, text) in enumerate(items)
    )
    return Chart(chart_id, title, description, CHART_WIDTH, 12 + len(items) * ITEM_HEIGHT, bars)


def _short(label: str, size: int = 26) -> str:
    return label if len(label) <= size else label[: size - 1] + "…"


def amount_chart(chart_id: str, title: str, rows: list[Row]) -> Chart:
    """Every amount in the table, one bar per city and kind of offer."""
    items = []
    for row in rows:
        label = row.label + (f"·{row.level_label}" if row.level_label else "")
        for cell in row.cells:
            if cell.sort_value is not None:
                items.append((_short(f"{cell.city_name} · {label}"), cell.sort_value,
                              format_yuan(int(cell.sort_value))))
    description = "条形长度表示金额；" + "；".join(f"{label}：{text}" for label, _, text in items)
    return _chart(chart_id, title, items, description) if items else Chart(chart_id, title, "", 0, 0, ())


def target_chart(chart_id: str, row: Row) -> Chart | None:
    """One bar per city for a metric that at least two cities give a number for."""
    items: list[tuple[str, Decimal, str]] = []
    for cell in row.cells:
        numbered = [e for e in cell.entries if e.sort_value is not None]
        if numbered:
            entry = max(numbered, key=_sort_value)
            items.append((f"{cell.city_name}（{entry.year_text}）", _sort_value(entry), entry.text))
    if len(items) < 2:
        return None
    description = "条形长度表示目标数值，括号内为目标年份；" + "；".join(f"{l}：{t}" for l, _, t in items)
    return _chart(chart_id, f"{row.label}：各市目标", items, description)


# --- previews -------------------------------------------------------------------


@dataclass(frozen=True)
class Highlight:
    label: str
    text: str


@dataclass(frozen=True)
class Preview:
    href: str
    title: str
    description: str
    rows: int
    cities: int
    highlights: tuple[Highlight, ...]


def preview(comparison: Comparison, size: int = 3) -> Preview:
    """A few rows of a comparison for the hub: the largest amounts, or the first targets."""
    rows = [r for r in comparison.rows if r.best_text]
    if comparison.name != "targets":
        rows.sort(key=lambda r: -(r.best_value or 0))
    highlights = tuple(
        Highlight(r.label + (f"（{r.level_label}）" if r.level_label else ""), r.best_text or "")
        for r in rows[:size]
    )
    return Preview(comparison.href, comparison.title, comparison.description, len(comparison.rows),
                   len(comparison.columns), highlights)
