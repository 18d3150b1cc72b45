"""Side-by-side comparison tables.

A table's rows are kinds of offer (from :data:`site_gen.vocabulary.OFFER_KINDS`,
split by level where an offer depends on one) or target metrics; its columns
are the cities with at least one entry.  Because rows come from a controlled
vocabulary, the same kind of offer from two cities always lands in the same
row.  A cell is in one of three states:

* ``found`` — entries with an amount or benefit (each with its standing:
  in force, validity ended, or document past its period);
* ``unstated`` — the offer is made but no amount is stated (未明确金额);
* ``missing`` — nothing in the documents we hold.

**最高 only among comparable figures.**  Every entry has a *scope* — the whole
city (全市), the province (全省), the zones of the province together
(全省高新区), every zone (每个高新区), one zone or one county — shown beside
its figure, and a *basis*: an amount per unit (每认定一家…) is not a total.
Entries of one scope and basis form a *group*; within a row (one metric, one
basis of target) the largest figure of a group is marked 最高 when at least
two cities have a figure in that group.  A figure without a comparable peer
gets no mark; the row says why (仅锦州市写明金额, 范围或口径不同).  Targets of
different years are compared and the row says so (目标年份不同).

The browser (``static/compare.js``) applies the same rule to the cities and
the status a reader chooses; :func:`judge` is the rule, and a browser test
checks that the page reads the same with and without JavaScript.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any, Iterable

from site_gen import urls
from site_gen import vocabulary as vocab
from site_gen.derive.opendata import spreadsheet_safe
from site_gen.derive.standing import Standing, measure_standing, shared_label, target_standing
from site_gen.derive.tables import OfferTable, Table, TargetTable
from site_gen.derive.tilemap import GRID, TileMap, layer, tile_map
from site_gen.derive.views import CitationView, CityView, MeasureView, TargetView
from site_gen.figures import format_number, format_yuan
from site_gen.words import Chinese, Clipped, Figure, Listed, Msg, N_, Named, msg

LEVEL_ORDER = {key: i for i, key in enumerate((*vocab.LEVELS, None))}

SCOPE_ORDER = ("city", "province", "city-zones", "province-zones", "each-zone", "zone", "district")
"""Kinds of scope, in the order groups are told."""
SCOPE_GROUP_LABELS = {
    "city": N_("全市"), "province": N_("全省"), "city-zones": N_("全市高新区"), "province-zones": N_("全省高新区"),
    "each-zone": N_("每个高新区"), "zone": N_("高新区"), "district": N_("县区"),
}
BASIS_LABELS = {"total": "", "per-unit": N_("（按每单位）"), "value": ""}
DETAIL_LABELS = (N_("措施"), N_("支持对象"), N_("条件"), N_("说明"), N_("指标"))


@dataclass(frozen=True)
class Entry:
    """One offer or target in a cell."""

    text: str
    short: str
    """The figure as a map tile prints it: 50万元, 2.16%, 未明确."""
    sort_value: Decimal | None
    unstated: bool
    standing: Standing
    year_text: str | None
    title: str
    details: tuple[tuple[str, Any], ...]
    scope: str
    """Where it applies, as shown beside the figure: 全市, 全省高新区, 锦州高新区, 盘山县."""
    scope_kind: str
    """One of :data:`SCOPE_ORDER`."""
    basis: str
    """``total`` or ``per-unit`` for offers, ``value`` for targets."""
    citation: CitationView
    also: tuple[CitationView, ...] = ()
    yuan: int | None = None
    year: int | None = None
    value_text: str = ""
    unit: str = ""
    best: bool = False
    note: int = 0
    """Its citation's number in the notes under the table."""
    also_notes: tuple[int, ...] = ()
    words: Any = ""
    """``text`` as a value the edition puts into words (a :class:`~site_gen.words.Figure`)."""
    scope_words: Any = ""
    year_words: Any = None
    short_words: Any = ""
    """``short`` as a value: a map tile's figure."""

    @property
    def group(self) -> str:
        """Entries of one group can be compared: same scope kind, same basis."""
        return f"{self.scope_kind}/{self.basis}"

    @property
    def past(self) -> bool:
        return self.standing.key == "past"

    @property
    def expired(self) -> bool:
        return self.standing.key == "expired"

    @property
    def status_text(self) -> str | None:
        """The standing, when it is not in force."""
        return self.standing.label if self.standing.lapsed else None

    @property
    def show_scope(self) -> bool:
        """Targets always name their scope; an offer only when it is narrower than its city."""
        return self.basis == "value" or self.scope_kind in ("zone", "district", "city-zones", "province-zones",
                                                            "each-zone")


@dataclass(frozen=True)
class Cell:
    city: str
    city_name: str
    entries: tuple[Entry, ...]
    state: str
    sort_value: Decimal | None
    city_words: Any = ""

    @property
    def best(self) -> bool:
        return any(e.best for e in self.entries)

    @property
    def summary_text(self) -> str:
        """What the cell says, in one line: each entry with its year, scope and status (未找到 when empty)."""
        if self.state == "missing":
            return "未找到"
        parts = []
        for e in self.entries:
            extra = "，".join(x for x in (e.year_text, e.scope, e.standing.label if e.standing.lapsed else None) if x)
            parts.append(f"{e.text}（{extra}）" if extra else e.text)
        return "；".join(parts)


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    level_label: str | None
    note: str
    cells: tuple[Cell, ...]
    order: int
    verdict: str
    """What the 最高 column says: the best figure, 仅…写明金额, 范围或口径不同…, or —."""
    best_text: str | None
    """The verdict when a figure is marked 最高, else None."""
    best_value: Decimal | None
    """The largest figure marked 最高 (None when none is)."""
    sort_value: Decimal | None
    """The largest figure of the row, for sorting by the 最高 column."""
    label_words: Any = ""
    verdict_words: Any = "—"
    """``verdict`` as a value the edition puts into words."""

    @property
    def level_words(self) -> Msg | None:
        return Msg(self.level_label) if self.level_label else None

    @property
    def title(self) -> str:
        return self.label + (f"（{self.level_label}）" if self.level_label else "")

    @property
    def title_words(self) -> Any:
        return msg("%(label)s（%(level)s）", label=self.label_words, level=self.level_words) if self.level_label \
            else self.label_words

    @property
    def missing_names(self) -> tuple[str, ...]:
        return tuple(c.city_name for c in self.cells if c.state == "missing")

    @property
    def missing_words(self) -> Msg | None:
        missing = tuple(c.city_words for c in self.cells if c.state == "missing")
        return msg("未找到：%(cities)s", cities=Listed(missing)) if missing else None


@dataclass(frozen=True)
class Column:
    """A city as a comparison sees it: all a comparison reads of a city, so one is rebuilt only when these change."""

    slug: str
    name: str
    name_en: str | None = None
    kind: str = "city"

    @property
    def words(self) -> Named:
        return Named(self.name, self.name_en)


@dataclass(frozen=True)
class Bar:
    label: Any
    value_text: Any
    y: int
    width: int
    city: str = ""
    status: str = ""


@dataclass(frozen=True)
class Chart:
    id: str
    title: Any
    description: Any
    width: int
    height: int
    bars: tuple[Bar, ...]


@dataclass(frozen=True)
class Note:
    """A citation, numbered under the table; a cell's number opens its quote."""

    number: int
    citation: CitationView
    row_key: str
    """The first row that cites it (the note's link back)."""

    @property
    def id(self) -> str:
        return f"n-{self.number}"

    @property
    def quote_id(self) -> str:
        return f"q-{self.number}"


@dataclass(frozen=True)
class CsvTable:
    """The table as open data: one line per entry (a missing cell is one line, 未找到)."""

    header: tuple[str, ...]
    lines: tuple[tuple[str, str, tuple[str, ...]], ...]
    """(city slug, status filter of the entry or "" for a missing cell, cells)."""
    link_column: int

    @property
    def data(self) -> dict[str, Any]:
        """For the page: the browser filters the lines by the chosen cities and status."""
        return {"header": list(self.header), "link": self.link_column,
                "lines": [[city, status, list(cells)] for city, status, cells in self.lines]}


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
    row_heading: str = N_("支持方式")
    template: str = "compare.html"
    kind: str = "offers"
    """``offers`` (amounts in yuan) or ``targets``."""
    notes: tuple[Note, ...] = ()
    uniform_standing: str | None = None
    """When every entry of the table has one standing (文件已过规划期), it is said once above the table."""
    standing_counts: tuple[tuple[str, int], ...] = ()
    """(status filter, entries it shows), for the filter's labels."""
    csv: CsvTable = field(default_factory=lambda: CsvTable((), (), 0))
    map: TileMap | None = None
    absent_words: tuple[Named, ...] = ()
    uniform_words: Msg | None = None
    """``uniform_standing`` as a message."""

    @property
    def href(self) -> str:
        return urls.comparison(self.name)

    @property
    def absent_listed(self) -> Listed:
        return Listed(self.absent_words)

    @property
    def fit(self) -> str:
        """The width class of the table with every column shown (see ``site.css``, ``.compare-fit``)."""
        return fit_class(len(self.columns))

    @property
    def entries(self) -> tuple[Entry, ...]:
        return tuple(e for row in self.rows for cell in row.cells for e in cell.entries)


def fit_class(columns: int) -> str:
    """Tables of up to 2, 4, 6, 8, 10, 12 and more city columns need 30, 42 … 90 rem to show as a table.

    Narrower than that, each row is a card of cities.  ``compare.js`` sets the
    class again for the cities a reader picks.
    """
    for most, name in ((2, "c2"), (4, "c4"), (6, "c6"), (8, "c8"), (10, "c10"), (12, "c12")):
        if columns <= most:
            return name
    return "c14"


# --- entries --------------------------------------------------------------------


def _city_scope(kind: str) -> tuple[str, str]:
    return ("province", N_("全省")) if kind == "province" else ("city", N_("全市"))


def _scope_words(scope_kind: str, scope: str, zone_en: str | None) -> Any:
    """The scope as a value: a zone by its English name, a county in Chinese, a whole city or province by its word."""
    if scope_kind == "zone":
        return Named(scope, zone_en)
    if scope_kind == "district":
        return Chinese(scope)
    return Msg(scope)


def measure_entry(m: MeasureView, city_kind: str = "city") -> Entry:
    details = tuple((k, v) for k, v in (("措施", Named(m.title, m.record.title_en)),
                                         ("支持对象", Chinese(m.beneficiaries or "")),
                                         ("条件", Chinese(m.conditions or "")), ("说明", Chinese(m.note or "")))
                    if str(v))
    if m.zone_name:
        scope_kind, scope = "zone", m.zone_name
    elif m.district:
        scope_kind, scope = "district", m.district
    else:
        scope_kind, scope = _city_scope(city_kind)
    yuan = m.amount_yuan
    if yuan is not None:
        short = format_yuan(yuan)
        short_words: Any = Figure("money", yuan, short)
    else:
        short = "未明确" if m.amount_kind == "unstated" else "非资金"
        short_words = Msg(N_("未明确") if m.amount_kind == "unstated" else N_("非资金"))
    return Entry(
        text=m.amount_text, short=short, sort_value=Decimal(yuan) if yuan is not None else None,
        unstated=m.amount_kind == "unstated", standing=measure_standing(m), year_text=None,
        title=m.title, details=details, scope=scope, scope_kind=scope_kind,
        basis="per-unit" if m.amount_kind == "per-unit" else "total", citation=m.citation, yuan=yuan,
        words=Figure("amount", m.record.amount, m.amount_text),
        scope_words=_scope_words(scope_kind, scope, m.zone_name_en), short_words=short_words,
    )


def target_entry(t: TargetView, city_kind: str = "city") -> Entry:
    details = tuple((k, v) for k, v in (("指标", Named(t.label or "", t.record.label_en)),
                                         ("说明", Chinese(t.note or ""))) if str(v))
    whole = "全省" if city_kind == "province" else "全市"
    if t.zone_name:
        scope_kind, scope = "zone", t.zone_name
    elif t.district:
        scope_kind, scope = "district", t.district
    elif t.record.scope == "zones":
        scope_kind, scope = ("province-zones" if city_kind == "province" else "city-zones"), f"{whole}高新区"
    elif t.record.scope == "each-zone":
        scope_kind, scope = "each-zone", "每个高新区"
    else:
        scope_kind, scope = _city_scope(city_kind)
    record = t.record
    short = format_number(t.value, record.unit or "") if t.value is not None else "非数值"
    short_words: Any = (Figure("number_of", (t.value, record.unit or ""), short) if t.value is not None
                        else Msg(N_("非数值")))
    return Entry(
        text=t.value_text, short=short, sort_value=t.value, unstated=False, standing=target_standing(t),
        year_text=t.year_text, title=t.label or t.metric_label, details=details, scope=scope,
        scope_kind=scope_kind, basis="value", citation=t.citation, year=t.year,
        value_text=format(record.value.normalize(), "f") if record.value is not None else "",
        unit=record.unit or "", words=Figure("target_value", record, t.value_text),
        scope_words=_scope_words(scope_kind, scope, t.zone_name_en),
        year_words=Figure("target_year", record, t.year_text), short_words=short_words,
    )


def _merge_duplicates(entries: list[Entry]) -> list[Entry]:
    """The same figure cited twice (a plan and its attachment) is one entry with two sources."""
    merged: dict[tuple[str, str | None, str, str], Entry] = {}
    for entry in entries:
        key = (entry.text, entry.year_text, entry.scope, entry.standing.key)
        if key in merged:
            first = merged[key]
            merged[key] = replace(first, also=first.also + (entry.citation,))
        else:
            merged[key] = entry
    return list(merged.values())


def _cell(city: Column, entries: list[Entry]) -> Cell:
    entries = _merge_duplicates(entries)
    if not entries:
        return Cell(city.slug, city.name, (), "missing", None, city.words)
    state = "unstated" if all(e.unstated for e in entries) else "found"
    values = [e.sort_value for e in entries if e.sort_value is not None]
    return Cell(city.slug, city.name, tuple(entries), state, max(values) if values else None, city.words)


# --- the rule for 最高 ------------------------------------------------------------


@dataclass(frozen=True)
class Judgement:
    marked: frozenset[tuple[str, int]]
    """(city, index of the entry in its cell) of every entry marked 最高."""
    verdict: str
    best_text: str | None
    best_value: Decimal | None
    words: Any = "—"
    """``verdict`` as a value the edition puts into words."""


def _group_order(group: str) -> tuple[int, str]:
    scope, _, basis = group.partition("/")
    return SCOPE_ORDER.index(scope), basis


def judge(cells: Iterable[Cell], offers: bool) -> Judgement:
    """Which entries of a row are 最高, and what the 最高 column says.

    ``static/compare.js`` (``judge``) is the same rule for the entries a
    reader's choice of cities and status leaves visible.
    """
    cells = list(cells)
    groups: dict[str, dict[str, tuple[Decimal, int]]] = {}
    for cell in cells:
        for index, entry in enumerate(cell.entries):
            if entry.sort_value is None:
                continue
            best = groups.setdefault(entry.group, {})
            if cell.city not in best or entry.sort_value > best[cell.city][0]:
                best[cell.city] = (entry.sort_value, index)
    by_city = {cell.city: cell for cell in cells}
    marked: set[tuple[str, int]] = set()
    parts: list[tuple[str, str]] = []
    said_parts: list[tuple[str, Msg]] = []
    best_value: Decimal | None = None
    years_differ = False
    for group in sorted(groups, key=_group_order):
        per_city = groups[group]
        if len(per_city) < 2:
            continue
        top = max(value for value, _ in per_city.values())
        best_value = top if best_value is None else max(best_value, top)
        winners = [c.city for c in cells if c.city in per_city and per_city[c.city][0] == top]
        for city in winners:
            for index, entry in enumerate(by_city[city].entries):
                if entry.group == group and entry.sort_value == top:
                    marked.add((city, index))
        first = by_city[winners[0]].entries[per_city[winners[0]][1]]
        zoned = first.scope_kind in ("zone", "district")
        chosen = [by_city[c].entries[per_city[c][1]] for c in winners]
        names = [(e.scope if zoned else by_city[c].city_name) for c, e in zip(winners, chosen)]
        named = tuple((e.scope_words if zoned else by_city[c].city_words) for c, e in zip(winners, chosen))
        said_words: Any
        if offers:
            said = "、".join(names)
            said_words = Listed(named)
        elif len({e.year_text for e in chosen}) == 1:
            said = f"{'、'.join(names)}，{first.year_text}"
            said_words = msg("%(names)s，%(year)s", names=Listed(named), year=first.year_words)
        else:
            said = "、".join(f"{n} {e.year_text}" for n, e in zip(names, chosen))
            said_words = Listed(tuple(msg("%(name)s %(year)s", name=n, year=e.year_words)
                                      for n, e in zip(named, chosen)))
        parts.append((group, f"{first.text}（{said}）"))
        said_parts.append((group, msg("%(figure)s（%(said)s）", figure=first.words, said=said_words)))
        if not offers and len({by_city[c].entries[i].year_text for c, (_, i) in per_city.items()}) > 1:
            years_differ = True
    if parts:
        words: Any
        if len(parts) == 1:
            text = parts[0][1]
            words = said_parts[0][1]
        else:
            text = "；".join(
                f"{SCOPE_GROUP_LABELS[g.partition('/')[0]]}{BASIS_LABELS[g.partition('/')[2]]}：{t}" for g, t in parts
            )
            words = Listed(tuple(
                msg("%(scope)s%(basis)s：%(text)s", scope=Msg(SCOPE_GROUP_LABELS[g.partition('/')[0]]),
                    basis=Msg(BASIS_LABELS[g.partition('/')[2]]) if BASIS_LABELS[g.partition('/')[2]] else "",
                    text=t)
                for g, t in said_parts), "；")
        if years_differ:
            text += " · 目标年份不同"
            words = msg("%(verdict)s · 目标年份不同", verdict=words)
        return Judgement(frozenset(marked), text, text, best_value, words)
    valued = [c for c in cells if any(e.sort_value is not None for e in c.entries)]
    if len(valued) == 1:
        cell = valued[0]
        entry = max((e for e in cell.entries if e.sort_value is not None), key=_sort_value)
        scope = f"（{entry.scope}）" if entry.scope_kind not in ("city", "province") else ""
        said = "写明金额" if offers else "给出数值"
        scope_words: Any = msg("（%(scope)s）", scope=entry.scope_words) if scope else ""
        only = (msg("仅%(city)s写明金额：%(figure)s%(scope)s", city=cell.city_words, figure=entry.words,
                    scope=scope_words) if offers
                else msg("仅%(city)s给出数值：%(figure)s%(scope)s", city=cell.city_words, figure=entry.words,
                         scope=scope_words))
        return Judgement(frozenset(), f"仅{cell.city_name}{said}：{entry.text}{scope}", None, None, only)
    if valued:
        return Judgement(frozenset(), "范围或口径不同，不作比较", None, None, Msg(N_("范围或口径不同，不作比较")))
    return Judgement(frozenset(), "—", None, None)


def _sort_value(entry: Entry) -> Decimal:
    """An entry's value for ``max``; entries without one sort below every number."""
    return entry.sort_value if entry.sort_value is not None else Decimal("-Infinity")


# --- tables ---------------------------------------------------------------------


def city_columns(cities: Iterable[CityView]) -> tuple[Column, ...]:
    """Every city, as the comparisons read it (:func:`build_comparison`)."""
    return tuple(Column(c.slug, c.name, c.name_en, c.kind) for c in cities)


def _columns(cities: tuple[Column, ...], used: set[str]) -> tuple[tuple[Column, ...], tuple[str, ...]]:
    columns = tuple(c for c in cities if c.slug in used)
    absent = tuple(c.name for c in cities if c.slug not in used)
    return columns, absent


def _absent_words(cities: tuple[Column, ...], absent: tuple[str, ...]) -> tuple[Named, ...]:
    return tuple(Named(c.name, c.name_en) for c in cities if c.name in absent)


def _row(key: str, label: str, level: str | None, note: str, order: int, columns: tuple[Column, ...],
         grouped: dict[str, list[Entry]], offers: bool, label_words: Any = None) -> Row:
    cells = [_cell(col, grouped.get(col.slug, [])) for col in columns]
    judgement = judge(cells, offers)
    marked = judgement.marked  # an entry comes unmarked (best=False): only a cell with a marked one is made again
    cells = [
        replace(c, entries=tuple(replace(e, best=(c.city, i) in marked) for i, e in enumerate(c.entries)))
        if any((c.city, i) in marked for i in range(len(c.entries))) else c
        for c in cells
    ]
    values = [c.sort_value for c in cells if c.sort_value is not None]
    return Row(key, label, vocab.LEVELS[level].label if level else None, note, tuple(cells), order,
               judgement.verdict, judgement.best_text, judgement.best_value, max(values) if values else None,
               label_words if label_words is not None else Msg(label), judgement.words)


def _numbered(rows: list[Row]) -> tuple[list[Row], tuple[Note, ...]]:
    """Number every citation in table order; the same paragraph and quote keep one number."""
    numbers: dict[tuple[str, str], int] = {}
    notes: list[Note] = []

    def number(citation: CitationView, row_key: str) -> int:
        key = (citation.href, citation.quote)
        if key not in numbers:
            numbers[key] = len(numbers) + 1
            notes.append(Note(numbers[key], citation, row_key))
        return numbers[key]

    out = []
    for row in rows:
        cells = []
        for cell in row.cells:
            if not cell.entries:  # most cells of a table of many cities: nothing to number
                cells.append(cell)
                continue
            entries = tuple(
                replace(e, note=number(e.citation, row.key), also_notes=tuple(number(a, row.key) for a in e.also))
                for e in cell.entries
            )
            cells.append(replace(cell, entries=entries))
        out.append(replace(row, cells=tuple(cells)))
    return out, tuple(notes)


def _finish(comparison: Comparison, cities: tuple[Column, ...]) -> Comparison:
    """Notes, the status summary, the open-data lines and the map of a built comparison."""
    rows, notes = _numbered(list(comparison.rows))
    comparison = replace(comparison, rows=tuple(rows), notes=notes)
    standings = [e.standing for e in comparison.entries]
    in_force = sum(1 for s in standings if not s.lapsed)
    uniform = shared_label(standings)
    lapsed = bool(uniform and standings and standings[0].lapsed)
    return replace(
        comparison,
        uniform_standing=uniform if lapsed else None,
        uniform_words=standings[0].words if lapsed else None,
        standing_counts=(("all", len(standings)), ("in-force", in_force), ("expired", len(standings) - in_force)),
        csv=csv_table(comparison),
        map=comparison_map(comparison, cities),
    )


def offer_comparison(table: OfferTable, cities: tuple[Column, ...], measures: Iterable[MeasureView]) -> Comparison:
    """A comparison of support offers: rows are (kind, level), columns are cities."""
    name = table.name
    kinds = {kind: i for i, kind in enumerate(table.kinds)}
    city_kind = {c.slug: c.kind for c in cities}
    relevant = [(m.kind, m) for m in measures if m.kind is not None and m.kind in kinds]
    columns, absent = _columns(cities, {m.city for _, m in relevant})
    keys = sorted({(kind, m.level) for kind, m in relevant}, key=lambda k: (kinds[k[0]], LEVEL_ORDER[k[1]]))
    by_key: dict[tuple[str, str | None], dict[str, list[Entry]]] = {}  # one pass over the measures, not one a row
    for measure_kind, m in relevant:
        by_key.setdefault((measure_kind, m.level), {}).setdefault(m.city, []).append(
            measure_entry(m, city_kind.get(m.city, "city")))
    rows = []
    for order, (kind, level) in enumerate(keys):
        grouped = by_key[(kind, level)]
        offer = vocab.OFFER_KINDS[kind]
        rows.append(_row(urls.offer_row_anchor(kind, level), offer.label, level, offer.note, order, columns,
                         grouped, offers=True))
    charts = (amount_chart(f"chart-{name}", msg("%(table)s：各市金额", table=Msg(table.label)), rows),) if rows else ()
    comparison = Comparison(name, table.label, table.note, table.value_note, columns, tuple(rows), absent,
                            tuple(c for c in charts if c.bars), template=table.template, kind="offers",
                            absent_words=_absent_words(cities, absent))
    return _finish(comparison, cities)


def target_comparison(table: TargetTable, cities: tuple[Column, ...], targets: Iterable[TargetView]) -> Comparison:
    """Numeric goals: rows are (metric, basis), cells show the value, its scope and its target year.

    Baselines (current levels), the goals of one zone or county and one-off
    goals (metric ``other``) are left out: the table compares what whole
    cities, the province and its zones aim for, on metrics they share.
    """
    metric_order = {m: i for i, m in enumerate(vocab.METRICS)}
    basis_order = {b: i for i, b in enumerate(vocab.BASES)}
    city_kind = {c.slug: c.kind for c in cities}
    relevant = [t for t in targets
                if t.basis != "baseline" and t.metric != "other" and not t.zone_name and not t.district]
    columns, absent = _columns(cities, {t.city for t in relevant})
    keys = sorted({(t.metric, t.basis) for t in relevant}, key=lambda k: (metric_order[k[0]], basis_order[k[1]]))
    by_key: dict[tuple[str, str], dict[str, list[Entry]]] = {}  # one pass over the targets, not one a row
    for t in relevant:
        by_key.setdefault((t.metric, t.basis), {}).setdefault(t.city, []).append(
            target_entry(t, city_kind.get(t.city, "city")))
    rows = []
    for order, (metric, basis) in enumerate(keys):
        grouped = by_key[(metric, basis)]
        label = vocab.METRICS[metric].label + ("（新增）" if basis == "new" else "")
        words = (msg("%(metric)s（新增）", metric=Msg(vocab.METRICS[metric].label)) if basis == "new"
                 else Msg(vocab.METRICS[metric].label))
        rows.append(_row(urls.target_row_anchor(metric, basis), label, None, vocab.METRICS[metric].note, order,
                         columns, grouped, offers=False, label_words=words))
    charts = tuple(
        chart for chart in (target_chart(f"chart-{row.key}", row) for row in rows) if chart is not None
    )
    comparison = Comparison(table.name, table.label, table.note, table.value_note, columns, tuple(rows), absent,
                            charts, row_heading=N_("指标"), template=table.template, kind="targets",
                            absent_words=_absent_words(cities, absent))
    return _finish(comparison, cities)


def build_comparison(table: Table, cities: tuple[Column, ...], measures: tuple[MeasureView, ...],
                     targets: tuple[TargetView, ...]) -> Comparison:
    """The comparison a registered table describes."""
    if isinstance(table, OfferTable):
        return offer_comparison(table, cities, measures)
    if isinstance(table, TargetTable):
        return target_comparison(table, cities, targets)
    raise TypeError(f"comparison {table.name!r}: no builder for {type(table).__name__}")


# --- open data ------------------------------------------------------------------

OFFER_CSV = ("支持方式", "级别", "城市", "城市代码", "内容", "金额（元）", "金额口径", "适用范围", "状态",
             "文件", "文件编号", "原文位置", "原文摘录", "链接")
TARGET_CSV = ("指标", "口径", "城市", "城市代码", "目标", "数值", "单位", "目标年份", "适用范围", "状态",
              "文件", "文件编号", "原文位置", "原文摘录", "链接")


def csv_table(comparison: Comparison) -> CsvTable:
    """One line per entry with its figure as a number, its scope, status and source, beside the text shown.

    Links are relative to the site's root here; the published file makes them
    absolute when the site's address is known (``--base-url``), and the page's
    download makes them absolute for the address it is read at.
    """
    offers = comparison.kind == "offers"
    header = OFFER_CSV if offers else TARGET_CSV
    lines: list[tuple[str, str, tuple[str, ...]]] = []
    for row in comparison.rows:
        if offers:
            first = [row.label, row.level_label or ""]
        else:
            first = [row.label.removesuffix("（新增）"), "新增" if row.label.endswith("（新增）") else "总量"]
        for cell in row.cells:
            if not cell.entries:
                blank = [""] * (len(header) - 5)
                lines.append((cell.city, "", tuple(first + [cell.city_name, cell.city, "未找到"] + blank)))
                continue
            for e in cell.entries:
                locator = e.citation.section + "".join(f"；另见 {a.section}" for a in e.also)
                source = [e.citation.document_title, e.citation.document_id, locator, e.citation.quote,
                          e.citation.href]
                if offers:
                    basis = ("按每单位" if e.basis == "per-unit" else "最高可得") if e.yuan is not None else ""
                    middle = [e.text, str(e.yuan) if e.yuan is not None else "", basis]
                else:
                    middle = [e.text, e.value_text, e.unit, str(e.year) if e.year else ""]
                cells = first + [cell.city_name, cell.city] + middle + [e.scope, e.standing.label] + source
                lines.append((cell.city, e.standing.filter, tuple(cells)))
    safe = tuple((city, status, tuple(spreadsheet_safe(c) for c in cells)) for city, status, cells in lines)
    return CsvTable(tuple(header), safe, len(header) - 1)


# --- the map --------------------------------------------------------------------


def row_layer(row: Row) -> dict[str, tuple[Decimal | None, Any]]:
    """Each city's largest figure in a row, or the first entry's words when none has one."""
    values: dict[str, tuple[Decimal | None, Any]] = {}
    for cell in row.cells:
        if not cell.entries:
            continue
        numbered = [e for e in cell.entries if e.sort_value is not None]
        if numbered:
            top = max(numbered, key=_sort_value)
            values[cell.city] = (top.sort_value, top.short_words)
        else:
            values[cell.city] = (None, cell.entries[0].short_words)
    return values


def comparison_map(comparison: Comparison, cities: Iterable[Column]) -> TileMap | None:
    """The tile map of a comparison, showing the row most cities give a figure for."""
    if not comparison.rows:
        return None

    def numbered(row: Row) -> int:
        return sum(1 for c in row.cells if c.city in GRID and c.sort_value is not None)

    first = max(comparison.rows, key=lambda r: (numbered(r), -r.order))
    current = layer(first.key, first.title_words, "", row_layer(first))
    province = next((c for c in first.cells if c.city not in GRID and c.entries), None)
    outside = None
    if province is not None:
        top = max(province.entries, key=_sort_value)
        outside = msg("%(city)s：%(figure)s（%(scope)s）", city=province.city_words, figure=top.words,
                      scope=top.scope_words)
    return tile_map(f"map-{comparison.name}", msg("%(table)s：地图", table=Msg(comparison.title)),
                    ((c.slug, Named(c.name, c.name_en)) for c in cities), (current,), outside)


# --- charts ---------------------------------------------------------------------

CHART_WIDTH = 360
BAR_SPACE = 270
ITEM_HEIGHT = 40


def _chart(chart_id: str, title: Any, items: list[tuple[Any, Decimal, Any, str, str]], description: Any) -> Chart:
    biggest = max(value for _, value, _, _, _ in items)
    bars = tuple(
        Bar(label, text, 6 + i * ITEM_HEIGHT, max(2, int(BAR_SPACE * value / biggest)) if biggest else 2, city, status)
        for i, (label, value, text, city, status) in enumerate(items)
    )
    return Chart(chart_id, title, description, CHART_WIDTH, 12 + len(items) * ITEM_HEIGHT, bars)


def _short(label: Any, size: int = 26) -> Clipped:
    return Clipped(label, size)


def _described(lead: str, items: list[tuple[Any, Decimal, Any, str, str]]) -> Msg:
    """A chart's description: what the bars mean, then each bar's label and figure."""
    return msg(lead, bars=Listed(tuple(msg("%(label)s：%(figure)s", label=label, figure=text)
                                      for label, _, text, _, _ in items), "；"))


def amount_chart(chart_id: str, title: Any, rows: list[Row]) -> Chart:
    """Every amount in the table, one bar per city and kind of offer."""
    items: list[tuple[Any, Decimal, Any, str, str]] = []
    for row in rows:
        label = (msg("%(kind)s·%(level)s", kind=row.label_words, level=row.level_words) if row.level_label
                 else row.label_words)
        for cell in row.cells:
            numbered = [e for e in cell.entries if e.sort_value is not None]
            if numbered:
                top = max(numbered, key=_sort_value)
                yuan = int(_sort_value(top))
                items.append((_short(msg("%(city)s · %(row)s", city=cell.city_words, row=label)), _sort_value(top),
                              Figure("money", yuan, format_yuan(yuan)), cell.city, top.standing.filter))
    description = _described(N_("条形长度表示金额；%(bars)s"), items)
    return _chart(chart_id, title, items, description) if items else Chart(chart_id, title, "", 0, 0, ())


def target_chart(chart_id: str, row: Row) -> Chart | None:
    """One bar per city for the comparable figures of a row (the group marked 最高)."""
    groups = sorted({e.group for c in row.cells for e in c.entries if e.best}, key=_group_order)
    if not groups:
        return None
    items: list[tuple[Any, Decimal, Any, str, str]] = []
    for cell in row.cells:
        numbered = [e for e in cell.entries if e.group == groups[0] and e.sort_value is not None]
        if numbered:
            entry = max(numbered, key=_sort_value)
            items.append((msg("%(city)s（%(scope)s，%(year)s）", city=cell.city_words, scope=entry.scope_words,
                              year=entry.year_words), _sort_value(entry), entry.words,
                          cell.city, entry.standing.filter))
    description = _described(N_("条形长度表示目标数值，括号内为范围和目标年份；%(bars)s"), items)
    return _chart(chart_id, msg("%(row)s：各市目标", row=row.label_words), items, description)


# --- previews -------------------------------------------------------------------


@dataclass(frozen=True)
class Highlight:
    label: Any
    text: Any
    status: Msg | None = None
    """The standing of what it quotes, when that is not in force (有效期已届满…)."""


@dataclass(frozen=True)
class Preview:
    href: str
    title: str
    description: str
    rows: int
    cities: int
    highlights: tuple[Highlight, ...]


def row_status(row: Row) -> Msg | None:
    """The standing of the entries a row's verdict quotes, when they share one that is not in force."""
    quoted = [e for c in row.cells for e in c.entries if e.best] or [
        e for c in row.cells for e in c.entries if e.sort_value is not None]
    return standing_words([e.standing for e in quoted])


def standing_words(standings: list[Standing]) -> Msg | None:
    """:func:`standing_summary` as a message."""
    label = standing_summary(standings)
    if label is None:
        return None
    if shared_label(standings) is not None:
        return standings[0].words
    return Msg(label)


def standing_summary(standings: list[Standing]) -> str | None:
    """One phrase for the standings of what an answer quotes; None when all are in force."""
    label = shared_label(standings)
    if label is not None:
        return None if label == "现行有效" else label
    if all(s.lapsed for s in standings):
        return N_("均已届满或已过规划期")
    return N_("部分已届满或已过规划期") if any(s.lapsed for s in standings) else None


def preview(comparison: Comparison, size: int = 3) -> Preview:
    """A few rows of a comparison for the hub: the largest comparable amounts, or the first targets."""
    rows = [r for r in comparison.rows if r.best_text]
    if comparison.kind == "offers":
        rows.sort(key=lambda r: -(r.best_value or 0))
    if not rows:
        rows = [r for r in comparison.rows if r.verdict != "—"]
    highlights = tuple(Highlight(r.title_words, r.verdict_words, row_status(r)) for r in rows[:size])
    return Preview(comparison.href, comparison.title, comparison.description, len(comparison.rows),
                   len(comparison.columns), highlights)
