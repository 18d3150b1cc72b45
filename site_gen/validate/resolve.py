"""Set the resolved fields: citations carry their paragraph, records their context.

Runs only on content that passed every check, so every citation is in the
map :func:`~site_gen.validate.citations.check_citations` made.  The walk is
generic (any :class:`~site_gen.records.SourceRef` anywhere is replaced), so a
new field that cites needs nothing here.
"""

from __future__ import annotations

from typing import Any, TypeVar

from site_gen.errors import FieldPath
from site_gen.records import City, Document, Record, SourceRef
from site_gen.records.walk import citing_fields
from site_gen.sourcetext import SourceText
from site_gen.validate.citations import Resolved
from site_gen.validate.parse import ParsedCity, ParsedDocument

R = TypeVar("R", bound=Record)


def with_citations(record: R, file: str, loc: FieldPath, resolved: Resolved) -> R:
    """``record`` with every citation under it replaced by its resolved form."""
    updates = {}
    for name in citing_fields(type(record)):  # the other fields hold no citation
        value = getattr(record, name)
        new = _replace(value, file, loc + (name,), resolved)
        if new is not value:
            updates[name] = new
    return record.updated(updates) if updates else record


def _replace(value: Any, file: str, loc: FieldPath, resolved: Resolved) -> Any:
    if isinstance(value, SourceRef):
        return resolved[(file, loc)]
    if isinstance(value, Record):
        return with_citations(value, file, loc, resolved)
    if isinstance(value, list):
        items = [_replace(item, file, loc + (i,), resolved) for i, item in enumerate(value)]
        return items if any(a is not b for a, b in zip(items, value)) else value
    return value


def resolved_document(parsed: ParsedDocument, resolved: Resolved, sources: dict[str, SourceText]) -> Document:
    """The document with its citations, its city, its records' context, summary and text."""
    document = with_citations(parsed.record, parsed.yaml.path, (), resolved)
    measures = [m.resolve(document_id=document.id, city_slug=m.city or parsed.city) for m in document.measures]
    targets = [t.resolve(document_id=document.id, city_slug=t.city or parsed.city) for t in document.targets]
    document = document.updated({"measures": measures, "targets": targets})
    return document.resolve(
        city_slug=parsed.city,
        summary_markdown=parsed.raw.summary.text if parsed.raw.summary else "",
        summary_markdown_en=parsed.raw.summary_en.text if parsed.raw.summary_en else "",
        source_text=sources[document.id],
    )


def resolved_city(parsed: ParsedCity, resolved: Resolved) -> City:
    """The city with its citations, its zones' city, and its summary."""
    assert parsed.record is not None and parsed.raw.yaml is not None
    city = with_citations(parsed.record, parsed.raw.yaml.path, (), resolved)
    zones = [z.resolve(city_slug=city.slug) for z in city.zones]
    city = city.updated({"zones": zones})
    return city.resolve(summary_markdown=parsed.raw.summary.text if parsed.raw.summary else "",
                        summary_markdown_en=parsed.raw.summary_en.text if parsed.raw.summary_en else "")
