"""``site-gen diff``: what a change to the content does to the site, record by record.

Both trees are loaded with the real loader (:func:`site_gen.build.load_site`:
each must validate), so what is compared is records, never text: an edit
that only reindents, reorders keys, changes quote style or comments reports
nothing.  Records are matched by identity — documents by id, measures and
targets by (document id, record id), cities by slug, zones by id — and
compared field by field on their content values (amounts in whole yuan,
shown as the site shows them).  Comparison-table cells come from the real
derive stage (:func:`site_gen.derive.derive_site`) run on both sides for the
same date, and are compared as the published CSV shows them.

The result renders as Markdown for a pull-request comment and as JSON.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Iterable, Iterator

from site_gen import urls
from site_gen import vocabulary as vocab
from site_gen.derive import Derived, derive_site
from site_gen.derive.amounts import amount_text, target_value_text
from site_gen.derive.views import CitationView, MeasureView, TargetView
from site_gen.errors import shorten
from site_gen.figures import format_number
from site_gen.model import Site
from site_gen.records import (
    AMOUNT_KINDS,
    ChangeEntry,
    City,
    Document,
    Measure,
    Record,
    SiteSettings,
    Target,
    Zone,
)

RECORD_ORDER = ("site", "document", "measure", "target", "city", "zone")


@dataclass(frozen=True)
class FieldDiff:
    """One field whose value differs: the values as data (``old``/``new``) and as the site shows them."""

    field: str
    old: Any
    new: Any
    old_text: str | None
    new_text: str | None


@dataclass(frozen=True)
class RecordDiff:
    change: str
    """``added``, ``removed`` or ``changed``."""
    what: str
    """``document``, ``measure``, ``target``, ``city``, ``zone`` or ``site``."""
    document: str | None
    id: str | None
    city: str | None
    city_name: str | None
    title: str
    value_text: str | None
    """The record's figure as shown (an amount, a target's value), for additions and removals."""
    tables: tuple[str, ...]
    """Titles of the comparison tables showing the record (after the change; before, for a removal)."""
    citation: str | None
    href: str | None
    """Where the record is on the site (site-root relative), after the change; None for a removal."""
    fields: tuple[FieldDiff, ...] = ()
    detail: str | None = None

    @property
    def key(self) -> str:
        return "/".join(part for part in (self.document, self.id) if part) if self.what != "site" else "site"


@dataclass(frozen=True)
class CellDiff:
    """A cell of a comparison table whose published text changes."""

    table: str
    table_title: str
    row: str
    row_label: str
    city: str
    city_name: str
    old: str
    new: str


@dataclass(frozen=True)
class SiteDiff:
    base_label: str
    head_label: str
    records: tuple[RecordDiff, ...]
    cells: tuple[CellDiff, ...]
    new_log_entries: tuple[ChangeEntry, ...]
    compared: dict[str, int] = field(default_factory=dict)
    """How many records of each kind the head holds (to say what "no changes" covered)."""

    @property
    def empty(self) -> bool:
        return not self.records and not self.cells

    def count(self, what: Iterable[str], change: str) -> int:
        kinds = set(what)
        return sum(1 for r in self.records if r.what in kinds and r.change == change)


# --- values ------------------------------------------------------------------------------


def plain(value: Any) -> Any:
    """A value as JSON holds it: integral decimals as integers, dates as ISO text."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, tuple):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    return value


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format_number(value, "")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return "、".join(_text(v) or "" for v in value)
    return str(value)


def _content(record: Record) -> dict[str, Any]:
    """The content fields of a record as data (resolved fields left out), for JSON."""
    out: dict[str, Any] = {}
    for name in type(record).model_fields:
        if name in record.resolved_fields:
            continue
        value = getattr(record, name)
        if isinstance(value, Record):
            out[name] = _content(value)
        elif isinstance(value, list):
            out[name] = [_content(v) if isinstance(v, Record) else plain(v) for v in value]
        elif value is not None:
            out[name] = plain(value)
    return out


Leaf = tuple[Any, str | None]
"""(the value as data, the value as shown)."""


def leaves(record: Record, skip: frozenset[str] = frozenset(), prefix: str = "") -> dict[str, Leaf]:
    """Every content value of ``record`` by field path; an amount and a target's value are one field each.

    Resolved fields (set by the build: anchors, the document a measure is in)
    are left out: they follow from content compared elsewhere.
    """
    out: dict[str, Leaf] = {}
    if isinstance(record, Target) and not prefix:
        out["value"] = ({"value": plain(record.value), "unit": record.unit, "qualifier": record.qualifier},
                        target_value_text(record) or None)
        skip = skip | {"value", "unit", "qualifier"}
    for name in type(record).model_fields:
        if name in record.resolved_fields or name in skip:
            continue
        value = getattr(record, name)
        path = prefix + name
        if isinstance(value, AMOUNT_KINDS):
            out[path] = (_content(value), amount_text(value))  # type: ignore[arg-type]  # one of the amount kinds
        elif isinstance(value, Record):
            out.update(leaves(value, prefix=path + "."))
        elif isinstance(value, list) and any(isinstance(v, Record) for v in value):
            for i, item in enumerate(value):
                out.update(leaves(item, prefix=f"{path}[{i}]."))
        else:
            out[path] = (plain(value), _text(value))
    return out


def _field_diffs(old: dict[str, Leaf], new: dict[str, Leaf]) -> tuple[FieldDiff, ...]:
    found = []
    for name in list(old) + [n for n in new if n not in old]:
        before, after = old.get(name, (None, None)), new.get(name, (None, None))
        if before[0] != after[0]:
            found.append(FieldDiff(name, before[0], after[0], before[1], after[1]))
    return tuple(found)


# --- the two sites -----------------------------------------------------------------------


@dataclass
class _Side:
    """One tree: its site, derived views and which tables show each record."""

    site: Site
    derived: Derived
    measures: dict[tuple[str, str], MeasureView]
    targets: dict[tuple[str, str], TargetView]
    shown_in: dict[tuple[str, str, str], list[str]]

    @classmethod
    def of(cls, site: Site, today: dt.date) -> "_Side":
        derived = derive_site(site, today)
        shown_in: dict[tuple[str, str, str], list[str]] = {}
        for comparison in derived.comparisons:
            for row in comparison.rows:
                for cell in row.cells:
                    for entry in cell.entries:
                        for citation in (entry.citation, *entry.also):
                            titles = shown_in.setdefault((cell.city, citation.href, entry.text), [])
                            if comparison.title not in titles:
                                titles.append(comparison.title)
        return cls(
            site, derived,
            {(m.document_id, m.id): m for m in derived.measures},
            {(t.document_id, t.id): t for t in derived.targets},
            shown_in,
        )

    def tables(self, view: MeasureView | TargetView) -> tuple[str, ...]:
        text = view.amount_text if isinstance(view, MeasureView) else view.value_text
        return tuple(self.shown_in.get((view.city, view.citation.href, text), ()))

    def city_name(self, slug: str | None) -> str | None:
        if slug is None:
            return None
        return next((c.name for c in self.site.cities if c.slug == slug), None)

    def cells(self) -> dict[tuple[str, str, str], tuple[str, str, str, str]]:
        """(table, row, city) -> (table title, row label, city name, text as the CSV shows it)."""
        found = {}
        for comparison in self.derived.comparisons:
            for row in comparison.rows:
                label = row.label + (f"（{row.level_label}）" if row.level_label else "")
                for cell in row.cells:
                    found[(comparison.name, row.key, cell.city)] = (comparison.title, label, cell.city_name,
                                                                    cell.summary_text)
        return found


def _citation(view: CitationView) -> str:
    return f"{view.section}「{shorten(view.quote, 60)}」"


def _record_diff(change: str, what: str, side: _Side, record: Record, *, document: str | None,
                 record_id: str | None, city: str | None, title: str, fields: tuple[FieldDiff, ...] = (),
                 detail: str | None = None) -> RecordDiff:
    value_text = citation = href = None
    tables: tuple[str, ...] = ()
    if isinstance(record, Measure) and document:
        view = side.measures[(document, record.id)]
        value_text, citation, href, tables = view.amount_text, _citation(view.citation), view.href, side.tables(view)
    elif isinstance(record, Target) and document:
        tview = side.targets[(document, record.id)]
        value_text, citation, href, tables = (tview.value_text, _citation(tview.citation), tview.href,
                                              side.tables(tview))
    elif isinstance(record, Document):
        href = urls.document(record.id)
    elif isinstance(record, City):
        href = urls.city(record.slug)
    elif isinstance(record, Zone):
        href = urls.anchored(urls.city(record.city_slug), urls.zone_anchor(record.id))
    elif isinstance(record, SiteSettings):
        href = urls.HOME
    return RecordDiff(change, what, document, record_id, city, side.city_name(city), title, value_text, tables,
                      citation, None if change == "removed" else href, fields, detail)


def _matched(old: dict[Any, Any], new: dict[Any, Any]) -> Iterator[tuple[str, Any, Any]]:
    """(change, old, new) for every key of either side, in the head's order then the removed ones."""
    for key, record in new.items():
        yield ("changed" if key in old else "added"), old.get(key), record
    for key, record in old.items():
        if key not in new:
            yield "removed", record, None


def _documents(base: _Side, head: _Side) -> Iterator[RecordDiff]:
    old = {d.id: d for d in base.site.documents}
    new = {d.id: d for d in head.site.documents}
    skip = frozenset({"measures", "targets"})
    for change, before, after in _matched(old, new):
        record = after or before
        side = head if after is not None else base
        fields: tuple[FieldDiff, ...] = ()
        detail = None
        if change == "changed":
            fields = _field_diffs(_document_leaves(before, skip), _document_leaves(after, skip))
            if not fields:
                continue
        else:
            detail = f"{len(record.measures)} 项措施、{len(record.targets)} 项目标"
        yield _record_diff(change, "document", side, record, document=record.id, record_id=None,
                           city=record.city_slug, title=record.display_title, fields=fields, detail=detail)


def _document_leaves(document: Document, skip: frozenset[str]) -> dict[str, Leaf]:
    found = leaves(document, skip)
    found["summary"] = (document.summary_markdown, shorten(document.summary_markdown.strip(), 120))
    return found


def _records(base: _Side, head: _Side, what: str) -> Iterator[RecordDiff]:
    def pick(side: _Side) -> tuple[Measure | Target, ...]:
        return side.site.measures if what == "measure" else side.site.targets

    old = {(r.document_id, r.id): r for r in pick(base)}
    new = {(r.document_id, r.id): r for r in pick(head)}
    for change, before, after in _matched(old, new):
        record = after or before
        side = head if after is not None else base
        fields: tuple[FieldDiff, ...] = ()
        if change == "changed":
            fields = _field_diffs(leaves(before), leaves(after))
            if not fields:
                continue
        title = record.title if isinstance(record, Measure) else (record.label or vocab.METRICS[record.metric].label)
        yield _record_diff(change, what, side, record, document=record.document_id, record_id=record.id,
                           city=record.city_slug, title=title, fields=fields)


def _cities(base: _Side, head: _Side) -> Iterator[RecordDiff]:
    old = {c.slug: c for c in base.site.cities}
    new = {c.slug: c for c in head.site.cities}
    for change, before, after in _matched(old, new):
        record = after or before
        side = head if after is not None else base
        fields: tuple[FieldDiff, ...] = ()
        if change == "changed":
            fields = _field_diffs(_city_leaves(before), _city_leaves(after))
            if not fields:
                continue
        yield _record_diff(change, "city", side, record, document=None, record_id=record.slug, city=record.slug,
                           title=record.name, fields=fields)
    old_zones = {z.id: z for c in base.site.cities for z in c.zones}
    new_zones = {z.id: z for c in head.site.cities for z in c.zones}
    for change, before, after in _matched(old_zones, new_zones):
        zone = after or before
        side = head if after is not None else base
        fields = ()
        if change == "changed":
            fields = _field_diffs(leaves(before), leaves(after))
            if before.city_slug != after.city_slug:
                fields += (FieldDiff("city", before.city_slug, after.city_slug, before.city_slug, after.city_slug),)
            if not fields:
                continue
        yield _record_diff(change, "zone", side, zone, document=None, record_id=zone.id, city=zone.city_slug,
                           title=zone.name, fields=fields)


def _city_leaves(city: City) -> dict[str, Leaf]:
    found = leaves(city, frozenset({"zones"}))
    found["summary"] = (city.summary_markdown, shorten(city.summary_markdown.strip(), 120))
    return found


def _settings(base: _Side, head: _Side) -> Iterator[RecordDiff]:
    fields = _field_diffs(leaves(base.site.settings), leaves(head.site.settings))
    if fields:
        yield _record_diff("changed", "site", head, head.site.settings, document=None, record_id=None, city=None,
                           title=head.site.settings.title, fields=fields)


def _cell_diffs(base: _Side, head: _Side) -> tuple[CellDiff, ...]:
    old, new = base.cells(), head.cells()
    missing = "未找到"
    found = []
    for key in list(new) + [k for k in old if k not in new]:
        before = old.get(key)
        after = new.get(key)
        before_text = before[3] if before else missing
        after_text = after[3] if after else missing
        if before_text != after_text:
            title, label, city_name, _ = after or before  # type: ignore[misc]  # one of them is set
            found.append(CellDiff(key[0], title, key[1], label, key[2], city_name, before_text, after_text))
    return tuple(found)


def compare_sites(base: Site, head: Site, today: dt.date, *, base_label: str = "base",
                  head_label: str = "head") -> SiteDiff:
    """Every record and comparison cell that differs between ``base`` and ``head`` at ``today``."""
    old, new = _Side.of(base, today), _Side.of(head, today)
    records = [*_settings(old, new), *_documents(old, new), *_records(old, new, "measure"),
               *_records(old, new, "target"), *_cities(old, new)]
    records.sort(key=lambda r: (RECORD_ORDER.index(r.what), r.document or "", r.id or ""))
    return SiteDiff(
        base_label, head_label, tuple(records), _cell_diffs(old, new),
        tuple(e for e in head.changes if e.name not in {b.name for b in base.changes}),
        {"documents": len(head.documents), "measures": len(head.measures), "targets": len(head.targets),
         "cities": len(head.cities), "zones": sum(len(c.zones) for c in head.cities)},
    )


# --- JSON --------------------------------------------------------------------------------


def to_json(diff: SiteDiff) -> str:
    data = {
        "base": diff.base_label,
        "head": diff.head_label,
        "changes": not diff.empty,
        "summary": summary_counts(diff),
        "records": [{
            "change": r.change, "what": r.what, "document": r.document, "id": r.id, "city": r.city,
            "city_name": r.city_name, "title": r.title, "value_text": r.value_text, "tables": list(r.tables),
            "citation": r.citation, "href": r.href, "detail": r.detail,
            "fields": [{"field": f.field, "old": f.old, "new": f.new, "old_text": f.old_text,
                        "new_text": f.new_text} for f in r.fields],
        } for r in diff.records],
        "cells": [{"table": c.table, "table_title": c.table_title, "row": c.row, "row_label": c.row_label,
                   "city": c.city, "city_name": c.city_name, "old": c.old, "new": c.new} for c in diff.cells],
        "log_entries": [plain(e.model_dump()) for e in diff.new_log_entries],
        "compared": diff.compared,
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def summary_counts(diff: SiteDiff) -> dict[str, int]:
    figures = ("measure", "target")
    return {
        "figures_added": diff.count(figures, "added"),
        "figures_removed": diff.count(figures, "removed"),
        "figures_changed": diff.count(figures, "changed"),
        "documents_added": diff.count(["document"], "added"),
        "documents_removed": diff.count(["document"], "removed"),
        "documents_changed": diff.count(["document"], "changed"),
        "cities_and_zones_changed": sum(1 for r in diff.records if r.what in ("city", "zone", "site")),
        "cells_changed": len(diff.cells),
    }


# --- Markdown ----------------------------------------------------------------------------

MARKER = "<!-- site-gen diff -->"
"""First line of the comment, so a workflow can find and update its own comment."""

_ESCAPES = {
    "&": "&amp;", "<": "&lt;", ">": "&gt;", "|": "&#124;", "@": "&#64;", "#": "&#35;",
    "[": "\\[", "]": "\\]", "*": "\\*", "_": "\\_", "`": "\\`", "~": "\\~", "\\": "\\\\",
    "\n": " ", "\r": " ", "!": "\\!",
}


def md(text: str | None, limit: int = 120) -> str:
    """Content text made inert in a GitHub comment: no HTML, links, mentions, issue references or table breaks."""
    if text is None or text == "":
        return "—"
    return "".join(_ESCAPES.get(ch, ch) for ch in shorten(text, limit))


def _record_name(r: RecordDiff) -> str:
    key = f"`{r.key}`" if r.what != "site" else "site.yaml"
    return f"{r.what} {key} {md(r.title, 60)}"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def to_markdown(diff: SiteDiff) -> str:
    lines = [MARKER, "### Content changes", "",
             f"Base: `{md(diff.base_label, 80)}` → head: `{md(diff.head_label, 80)}`", ""]
    if diff.empty:
        compared = diff.compared
        lines.append(
            f"**No changes to the site's data.** Compared {compared.get('documents', 0)} documents, "
            f"{compared.get('measures', 0)} measures, {compared.get('targets', 0)} targets, "
            f"{compared.get('cities', 0)} cities and {compared.get('zones', 0)} zones record by record "
            "(layout, comments, key order and quoting do not count).")
        lines += _log_section(diff)
        return "\n".join(lines) + "\n"
    counts = summary_counts(diff)
    parts = [f"{counts['figures_changed']} changed", f"{counts['figures_added']} added",
             f"{counts['figures_removed']} removed"]
    documents = counts["documents_added"] + counts["documents_removed"] + counts["documents_changed"]
    lines.append(f"**Figures: {', '.join(parts)} · {_plural(documents, 'document')} · "
                 f"{_plural(counts['cities_and_zones_changed'], 'city, zone or setting')} · "
                 f"{_plural(counts['cells_changed'], 'comparison cell')}**")
    figures = [r for r in diff.records if r.what in ("measure", "target")]
    if figures:
        lines += ["", "#### Figures", "",
                  "| | city | record | field | before | after | table | citation |",
                  "|---|---|---|---|---|---|---|---|"]
        for r in figures:
            lines += _figure_rows(r)
    others = [r for r in diff.records if r.what not in ("measure", "target")]
    if others:
        lines += ["", "#### Documents, cities and zones", ""]
        for r in others:
            lines += _other_lines(r)
    if diff.cells:
        lines += ["", "#### Comparison tables", "", "| table | row | city | before | after |",
                  "|---|---|---|---|---|"]
        for c in diff.cells:
            lines.append(f"| {md(c.table_title)} | {md(c.row_label)} | {md(c.city_name)} | {md(c.old, 200)} | "
                         f"{md(c.new, 200)} |")
    lines += _log_section(diff)
    return "\n".join(lines) + "\n"


def _figure_rows(r: RecordDiff) -> list[str]:
    common = (md(r.city_name), _record_name(r))
    tail = f"{md('、'.join(r.tables))} | {md(r.citation, 90)} |"
    if r.change == "changed":
        return [f"| {r.change} | {common[0]} | {common[1]} | {md(f.field)} | {md(f.old_text)} | {md(f.new_text)} "
                f"| {tail}" for f in r.fields]
    before, after = (r.value_text, None) if r.change == "removed" else (None, r.value_text)
    return [f"| **{r.change}** | {common[0]} | {common[1]} | — | {md(before)} | {md(after)} | {tail}"]


def _other_lines(r: RecordDiff) -> list[str]:
    where = f" ({md(r.city_name)})" if r.city_name and r.what != "city" else ""
    detail = f": {md(r.detail)}" if r.detail else ""
    lines = [f"- **{r.change}** {_record_name(r)}{where}{detail}"]
    for f in r.fields:
        note = " — **the archived text changed**" if f.field == "source_sha256" else ""
        lines.append(f"  - {md(f.field)}: {md(f.old_text)} → {md(f.new_text)}{note}")
    return lines


def _log_section(diff: SiteDiff) -> list[str]:
    if diff.new_log_entries:
        lines = ["", "#### Change log", ""]
        for entry in diff.new_log_entries:
            note = f": {md(entry.note)}" if entry.note else ""
            lines.append(f"- {entry.date.isoformat()}{note} ({_plural(len(entry.items), 'item')})")
        return lines
    if diff.empty:
        return []
    return ["", "#### Change log", "",
            "Not recorded yet: run `site-gen diff --git main --record` and commit the file it writes in `content/changes/`, "
            "so readers see this change on /changes/."]
