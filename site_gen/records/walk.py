"""Walk a record tree: every citation under a record, wherever it sits.

Used by the validate stage to resolve citations and by ``site-gen coverage``
to list what is cited, so neither keeps a list of which fields cite.
"""

from __future__ import annotations

from typing import Iterator

from site_gen.errors import FieldPath
from site_gen.records.base import Record
from site_gen.records.content import SourceRef



def citations_in(record: Record, loc: FieldPath = ()) -> Iterator[tuple[FieldPath, SourceRef, Record, str]]:
    """(path, citation, the record holding it, its field name) for every citation under ``record``."""
    for name in type(record).model_fields:
        yield from _walk(getattr(record, name), loc + (name,), record, name)


def _walk(value: object, loc: FieldPath, owner: Record, name: str) -> Iterator[tuple[FieldPath, SourceRef, Record, str]]:
    if isinstance(value, SourceRef):
        yield loc, value, owner, name
    elif isinstance(value, Record):
        yield from citations_in(value, loc)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _walk(item, loc + (i,), owner, name)
