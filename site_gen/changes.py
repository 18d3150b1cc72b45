"""The change history readers see: ``/changes/``, its Atom feed, and "last changed" on pages.

The history is ``content/changes/*.yaml`` (one
:class:`site_gen.records.ChangeEntry` per file), a log committed with the
content, and nothing else: the build never reads
git, so it stays a function of its inputs, identical on a laptop, in a
shallow CI clone or from a tarball, and every date shown is a date an editor
recorded (``site-gen diff --record`` writes the day it is run, or
``--date``), never the build date.  A document or city the log does not
mention shows its last change as unknown.

:func:`entry_from_diff` turns a :class:`~site_gen.diff.SiteDiff` into a log
entry and :func:`record_entry` writes it as the branch's one file in ``changes/``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from site_gen import urls
from site_gen import vocabulary as vocab
from site_gen.errors import BuildError, shorten
from site_gen.model import Site
from site_gen.records import ChangeEntry, ChangeItem, FieldChange
from site_gen.words import N_, Chinese, Msg, Named, msg

LOG_FOLDER = "changes"
SCHEMA_COMMENT = "# yaml-language-server: $schema=../../output/data/schema.json\n"
HEADER = (SCHEMA_COMMENT +
          "# One entry of the change log readers see on /changes/ and in /changes/feed.xml.\n"
          "# Written by site-gen diff --record (re-running it replaces this branch's entry); edit the note freely.\n")

FIELD_LABELS = {
    "amount": N_("金额"), "title": N_("名称"), "short_title": N_("简称"), "value": N_("目标值"), "year": N_("年份"),
    "label": N_("指标表述"), "unit": N_("单位"), "qualifier": N_("表述"), "basis": N_("口径"), "level": N_("级别"),
    "category": N_("类别"), "kind": N_("支持方式"), "metric": N_("指标"), "beneficiaries": N_("支持对象"), "conditions": N_("条件"),
    "note": N_("说明"), "district": N_("县（区）"), "zone": N_("高新区"), "city": N_("城市"), "issuer": N_("发文机关"),
    "number": N_("文号"), "issued": N_("印发日期"), "source.quote": N_("原文摘录"), "source.locator": N_("原文位置"),
    "source.document": N_("出处文件"), "source_sha256": N_("存档原文（SHA-256）"), "summary": N_("摘要"),
    "name": N_("名称"), "name_en": N_("英文名"), "code": N_("行政区划代码"), "period.start": N_("规划期起始年"),
    "period.end": N_("规划期结束年"), "tagline": N_("副标题"), "description": N_("简介"),
}
"""Readers' words for the fields a change names; others are shown as their field path."""


def field_label(path: str) -> str:
    return FIELD_LABELS.get(path, path)


# --- views -------------------------------------------------------------------------------


@dataclass(frozen=True)
class FieldView:
    label: str
    old: str | None
    new: str | None

    @property
    def label_words(self) -> Msg | Chinese:
        """The label as a message (a field path no label names stays as it is)."""
        return Msg(self.label) if self.label in FIELD_LABELS.values() else Chinese(self.label)


@dataclass(frozen=True)
class ItemView:
    change: str
    text: str
    """e.g. ``修改措施：新获批备案的国家级孵化器后补助（锦州市）``."""
    href: str | None
    """The record on the site now, site-root relative; None once it is gone."""
    detail: str | None
    fields: tuple[FieldView, ...]
    words: Any = ""
    """``text`` as a value the edition puts into words: the kind of change and record translated, the name as logged."""


@dataclass(frozen=True)
class EntryView:
    anchor: str
    href: str
    date: dt.date
    date_iso: str
    date_text: str
    note: str | None
    title: str
    items: tuple[ItemView, ...]
    atom_id: str
    documents: frozenset[str]
    cities: frozenset[str]


@dataclass(frozen=True)
class History:
    """The change log as pages show it: newest first, and what each document and city last saw."""

    entries: tuple[EntryView, ...]

    def last_for_document(self, document_id: str) -> EntryView | None:
        return next((e for e in self.entries if document_id in e.documents), None)

    def last_for_city(self, slug: str) -> EntryView | None:
        return next((e for e in self.entries if slug in e.cities), None)

    @property
    def updated(self) -> EntryView | None:
        return self.entries[0] if self.entries else None


def _date_text(date: dt.date) -> str:
    return f"{date.year}年{date.month}月{date.day}日"


def _href(site: Site, item: ChangeItem) -> str | None:
    """Where the record the item names is on the site now, if it still is."""
    documents = {d.id: d for d in site.documents}
    if item.what == "document" and item.document in documents:
        return urls.document(item.document)
    if item.what in ("measure", "target") and item.document in documents:
        records = documents[item.document].measures if item.what == "measure" else documents[item.document].targets
        if any(r.id == item.id for r in records):
            make = urls.measure if item.what == "measure" else urls.target
            return make(item.document, item.id or "")
        return urls.document(item.document)
    if item.what == "city" and any(c.slug == item.id for c in site.cities):
        return urls.city(item.id or "")
    if item.what == "zone":
        city = next((c for c in site.cities if any(z.id == item.id for z in c.zones)), None)
        return urls.anchored(urls.city(city.slug), urls.zone_anchor(item.id or "")) if city else None
    if item.what == "site":
        return urls.HOME
    return None


def _item_view(site: Site, item: ChangeItem, city_names: dict[str, str],
               english_names: dict[str, str] | None = None) -> ItemView:
    label = vocab.CHANGE_KINDS[item.change].label + vocab.CHANGED_RECORDS[item.what].label
    name = item.title or item.id or item.document or ""
    where = city_names.get(item.city or "", "") if item.what != "city" else ""
    text = f"{label}：{name}" + (f"（{where}）" if where else "")
    words_where: Any = msg("（%(city)s）", city=Named(where, (english_names or {}).get(item.city or ""))) if where else ""
    words = msg("%(change)s%(what)s：%(name)s%(where)s", change=Msg(vocab.CHANGE_KINDS[item.change].label),
                what=Msg(vocab.CHANGED_RECORDS[item.what].label),
                name=Chinese(name) if item.title else name, where=words_where)
    return ItemView(item.change, text, _href(site, item) if item.change != "removed" else None, item.detail,
                    tuple(FieldView(field_label(f.field), f.old, f.new) for f in item.fields), words)


def _cities_of(site: Site, item: ChangeItem) -> set[str]:
    found = {item.city} if item.city else set()
    if item.what == "city" and item.id:
        found.add(item.id)
    document = next((d for d in site.documents if d.id == item.document), None)
    if document is not None and item.what == "document":
        found.add(document.city_slug)
    return found


def history(site: Site) -> History:
    """The log as views, newest first (entries of one day by file name, last first)."""
    city_names = {c.slug: c.name for c in site.cities}
    english_names = {c.slug: c.name_en for c in site.cities}
    views = []
    for position, entry in enumerate(site.changes):
        anchor = urls.change_anchor(entry.name)
        items = tuple(_item_view(site, item, city_names, english_names) for item in entry.items)
        title = entry.note or "；".join(i.text for i in items[:3]) + ("等" if len(items) > 3 else "")
        views.append((entry.date, position, EntryView(
            anchor=anchor, href=urls.anchored(urls.CHANGES, anchor), date=entry.date,
            date_iso=entry.date.isoformat(), date_text=_date_text(entry.date), note=entry.note,
            title=shorten(title, 120), items=items,
            atom_id=f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'site-gen:{site.title}:change:{anchor}')}",
            documents=frozenset(i.document for i in entry.items if i.document),
            cities=frozenset(c for i in entry.items for c in _cities_of(site, i)),
        )))
    views.sort(key=lambda v: (v[0], v[1]), reverse=True)
    return History(tuple(v for _, _, v in views))


def feed_id(site: Site) -> str:
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'site-gen:{site.title}:changes')}"


# --- recording ---------------------------------------------------------------------------

VALUE_LIMIT = 300


def _value(text: str | None) -> str | None:
    return shorten(text, VALUE_LIMIT) if text else None


def entry_from_diff(diff: Any, date: dt.date, note: str | None) -> ChangeEntry | None:
    """The log entry for ``diff`` (a :class:`site_gen.diff.SiteDiff`), or None when no record changed.

    A document added or removed is one item (its measures and targets are
    counted in its detail, not listed); every other record is one item with
    its changed fields' old and new values as the site shows them.
    """
    whole = {r.document for r in diff.records if r.what == "document" and r.change in ("added", "removed")}
    items = [
        ChangeItem(
            change=r.change, what=r.what, document=r.document, id=r.id, city=r.city,
            title=shorten(r.title, 200) if r.title else None, detail=r.detail,
            fields=[FieldChange(field=f.field, old=_value(f.old_text), new=_value(f.new_text)) for f in r.fields],
        )
        for r in diff.records
        if not (r.what in ("measure", "target") and r.document in whole)
    ]
    return ChangeEntry(date=date, note=note, items=items) if items else None


def entry_text(entry: ChangeEntry) -> str:
    """The file of one entry: the schema comment, then ``date``, ``note`` and ``items``."""
    data = entry.model_dump(exclude_none=True, exclude={"name", "date"})
    for item in data["items"]:
        if not item.get("fields"):
            item.pop("fields", None)
    body = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1_000_000, default_flow_style=False)
    return HEADER + f"date: {entry.date.isoformat()}\n" + body


def entry_name(entry: ChangeEntry) -> str:
    """``<date>-<what it is about>-<6 hex>``: a new, stable file name that no other entry has."""
    first = entry.items[0]
    topic = first.document or first.id or first.what
    digest = hashlib.sha256(entry_text(entry).encode("utf-8")).hexdigest()[:6]
    return f"{entry.date.isoformat()}-{topic}-{digest}"


def _same(a: ChangeEntry, b: ChangeEntry) -> bool:
    return a.model_dump(exclude={"name"}) == b.model_dump(exclude={"name"})


def record_entry(folder: Path, entry: ChangeEntry | None, base: tuple[ChangeEntry, ...],
                 head: tuple[ChangeEntry, ...]) -> str:
    """Make ``entry`` this branch's one entry in ``folder`` (``changes/``); returns what was done.

    ``base`` and ``head`` are the entries of the two trees compared.  The
    branch's entries are those of the head the base does not have (by file
    name): they are replaced by ``entry``, which keeps their note when it
    has none; with ``entry`` None (nothing changed) they are removed.  No
    other file is touched, and the new file is read back and checked before
    it is written.
    """
    from site_gen.load.yaml_source import parse_yaml
    from site_gen.write import write_file_atomically

    base_names = {e.name for e in base}
    own = [e for e in head if e.name not in base_names]
    if entry is not None and entry.note is None:
        note = next((e.note for e in reversed(own) if e.note), None)
        entry = entry.model_copy(update={"note": note}) if note else entry
    if entry is not None and len(own) == 1 and _same(own[0], entry):
        return f"{folder / own[0].name}.yaml already holds this change"
    if entry is None and not own:
        return "nothing to record"
    written = None
    if entry is not None:
        name = entry_name(entry)
        text = entry_text(entry)
        parsed, _ = parse_yaml(text, name)
        try:
            check = ChangeEntry.model_validate(parsed.data if parsed is not None else None)
        except ValueError as exc:  # pragma: no cover - the entry was made from valid records
            raise BuildError(f"cannot write the change-log entry: {exc}") from None
        if not _same(check, entry):  # pragma: no cover - as above
            raise BuildError("cannot write the change-log entry: it does not read back as written")
        written = folder / f"{name}.yaml"
        write_file_atomically(written, text.encode("utf-8"))
    for old in own:
        path = folder / f"{old.name}.yaml"
        if path != written:
            path.unlink(missing_ok=True)
    if written is None:
        return f"removed this branch's entry from {folder}: nothing changed"
    return f"{'replaced this branch’s entry with' if own else 'wrote'} {written}"
