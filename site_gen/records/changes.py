"""``content/changes/<date>-<name>.yaml``: the change log readers see on ``/changes/``.

Each file is one entry: a dated list of what changed in the data, in the
same terms ``site-gen diff`` reports (a record added, removed or changed,
with the changed fields' old and new values as shown on the site).
``site-gen diff --record`` writes the entry of a pull request; editors may
word its ``note``.  One file per entry, so two pull requests never edit the
same file and never conflict.  The log is content: it arrives by pull
request, is validated like the rest and is the only source of the dates the
site shows for changes (see ``README.md``, "Change history", for why it is
not read from git).

Old values are history, not claims about the current data, so they are not
checked against the archived texts as the records' figures are.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Annotated, TypeAlias

from pydantic import BeforeValidator, Field, WithJsonSchema, model_validator

from site_gen import vocabulary as vocab
from site_gen.records.base import Record, ShortText, Slug, Text, choice, iso_date, resolved

if TYPE_CHECKING:
    ChangeKindId: TypeAlias = str
    ChangedRecordId: TypeAlias = str
else:
    ChangeKindId = choice(vocab.CHANGE_KINDS)
    ChangedRecordId = choice(vocab.CHANGED_RECORDS)


def _date(value: object) -> dt.date:
    date = iso_date(value)
    if date is None:
        raise ValueError(f"{value!r} is not a valid date (expected YYYY-MM-DD, the day the change was recorded)")
    return date


ChangeDate = Annotated[dt.date, BeforeValidator(_date), WithJsonSchema({"type": "string", "format": "date"})]


class FieldChange(Record):
    """One field of a record: its value before and after, as the site shows them."""

    field: ShortText = Field(description="the field, e.g. amount, title, source.quote")
    old: Text | None = Field(None, description="the value before (left out when the field was empty)")
    new: Text | None = Field(None, description="the value after (left out when the field is now empty)")


class ChangeItem(Record):
    """One record added, removed or changed."""

    change: ChangeKindId
    what: ChangedRecordId
    document: Slug | None = Field(None, description="the document, for a document, measure or target")
    id: Slug | None = Field(None, description="the measure, target or zone id, or the city's slug")
    city: Slug | None = Field(None, description="the city the record is published under")
    title: ShortText | None = Field(None, description="the record's title or name (before, for a removal)")
    detail: Text | None = Field(None, description="e.g. how many measures and targets a new document brings")
    fields: list[FieldChange] = Field([], description="for a change: the fields that changed")

    @model_validator(mode="after")
    def _names_a_record(self) -> "ChangeItem":
        if self.what in ("document", "measure", "target") and self.document is None:
            raise ValueError(f"a {self.what} change needs document (expected the document's id)")
        if self.what in ("measure", "target", "zone", "city") and self.id is None:
            raise ValueError(f"a {self.what} change needs id (expected the {self.what}'s id)")
        if self.fields and self.change != "changed":
            raise ValueError("fields are given for an addition or removal (expected fields only for a change)")
        return self


class ChangeEntry(Record):
    """``changes/<date>-<name>.yaml``: what changed, as one pull request recorded it."""

    date: ChangeDate = Field(description="the day the change was recorded, YYYY-MM-DD (also the file name's start)")
    note: Text | None = Field(None, description="the editor's summary of the change, for readers")
    items: list[ChangeItem] = Field(min_length=1)
    name: str = resolved("", "the file's name without .yaml: the entry's anchor on changes/ and its identity")
