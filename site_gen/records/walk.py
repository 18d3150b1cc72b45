"""Walk a record tree: every citation under a record, wherever it sits.

Used by the validate stage to resolve citations and by ``site-gen coverage``
to list what is cited, so neither keeps a list of which fields cite.
"""

from __future__ import annotations

from functools import cache
from typing import Annotated, Any, Iterator, Literal, get_args, get_origin

from site_gen.errors import FieldPath
from site_gen.records.base import Record
from site_gen.records.content import SourceRef


def citations_in(record: Record, loc: FieldPath = ()) -> Iterator[tuple[FieldPath, SourceRef, Record, str]]:
    """(path, citation, the record holding it, its field name) for every citation under ``record``."""
    for name in citing_fields(type(record)):
        yield from _walk(getattr(record, name), loc + (name,), record, name)


@cache
def citing_fields(model: type[Record]) -> tuple[str, ...]:
    """The fields of ``model`` that can hold a citation: those whose type can hold a record or a list.

    The others (text, numbers, dates, vocabularies) are passed over by the
    walks; worked out once per record type.
    """
    return tuple(name for name, info in model.model_fields.items() if _may_hold_records(info.annotation))


def _may_hold_records(annotation: Any) -> bool:
    if isinstance(annotation, type) and get_origin(annotation) is None:
        return issubclass(annotation, (Record, list))
    origin = get_origin(annotation)
    if origin is Literal:
        return False
    if origin is None:  # Any, a type variable, a forward reference: cannot tell, so walk it
        return True
    if origin is Annotated:  # the type, then metadata
        return _may_hold_records(get_args(annotation)[0])
    return any(_may_hold_records(arg) for arg in get_args(annotation))  # list[...], Optional, Union


def _walk(value: object, loc: FieldPath, owner: Record, name: str) -> Iterator[tuple[FieldPath, SourceRef, Record, str]]:
    if isinstance(value, SourceRef):
        yield loc, value, owner, name
    elif isinstance(value, Record):
        yield from citations_in(value, loc)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _walk(item, loc + (i,), owner, name)
