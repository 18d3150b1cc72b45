"""What every record shares: strictness, context set by the build, value types.

A record is a pydantic model: the same class is the editors' schema (and the
JSON Schema exported for their tooling), the validated content, and the model
every later stage reads.  Two kinds of field exist:

* **content fields**, written by editors in YAML and checked here;
* **resolved fields**, declared with :func:`resolved`: values the validate
  stage works out and sets (a citation's anchor, a measure's document).
  They are left out of the JSON Schema and refused when an editor writes
  them, so content can never claim what only the build may decide.

Open-data columns are declared on the fields too (``column=``), so a new field
is published by naming its column where the field is defined.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, ClassVar, Self

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, WithJsonSchema, model_validator

from site_gen.errors import shorten
from site_gen.figures import AmountFormatError, figure_problem, parse_yuan

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"

Slug = Annotated[
    str,
    Field(
        pattern=SLUG_PATTERN,
        min_length=1,
        max_length=64,
        description="lower-case ASCII letters and digits joined by single hyphens, e.g. jinzhou-2021-action-plan",
    ),
]
Text = Annotated[str, Field(min_length=1, max_length=2000)]
ShortText = Annotated[str, Field(min_length=1, max_length=200)]

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]")


def _english(value: str) -> str:
    """English written by an editor: Chinese characters or full-width punctuation mean it is not."""
    found = _HAN.search(value)
    if found:
        raise ValueError(f"expected English, found {found.group()!r} (the Chinese belongs in the field without "
                         "_en; leave the _en field out until it is translated)")
    return value


EnglishText = Annotated[str, Field(min_length=1, max_length=200,
                                   description="English written by an editor (never a machine guess); "
                                               "left out, the English page shows the Chinese, marked untranslated"),
                        AfterValidator(_english)]
EnglishLongText = Annotated[str, Field(min_length=1, max_length=2000), AfterValidator(_english)]

_RESOLVED = "resolved"


def resolved(default: Any, description: str, *, column: str | None = None) -> Any:
    """A field the validate stage sets: not in the JSON Schema, refused in content."""
    extra: dict[str, Any] = {_RESOLVED: True}
    if column:
        extra["column"] = column
    return Field(default, description=description, json_schema_extra=extra)


def column(name: str, **kwargs: Any) -> Any:
    """A content field published in the open data as column ``name``."""
    extra = dict(kwargs.pop("json_schema_extra", None) or {})
    extra["column"] = name
    return Field(json_schema_extra=extra, **kwargs)


class Record(BaseModel):
    """Unknown fields are errors (a typo is never silently dropped); records are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True,
                              arbitrary_types_allowed=True)

    resolved_fields: ClassVar[frozenset[str]] = frozenset()

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        cls.resolved_fields = frozenset(
            name for name, info in cls.model_fields.items()
            if isinstance(info.json_schema_extra, dict) and info.json_schema_extra.get(_RESOLVED)
        )

    @model_validator(mode="before")
    @classmethod
    def _refuse_resolved(cls, data: Any) -> Any:
        if isinstance(data, dict):
            written = sorted(set(data) & cls.resolved_fields)
            if written:
                raise ValueError(f"field {written[0]!r} is set by the build, not written in content "
                                 "(expected it left out)")
        return data

    def resolve(self, **values: Any) -> Self:
        """A copy with resolved fields set (only those; content stays as validated)."""
        unknown = set(values) - self.resolved_fields
        if unknown:
            raise TypeError(f"{type(self).__name__}: not resolved fields: {sorted(unknown)}")
        return self.updated(values)

    def updated(self, values: Mapping[str, Any]) -> Self:
        """A copy with ``values`` in place of those fields' values, unchecked (the build made them).

        What ``model_copy(update=values)`` makes, but leaner: pydantic's copy
        also copies the set of fields the content wrote (``model_fields_set``)
        and adds the updated names to it, about 700 bytes a copy.  A record
        is frozen, so that set never changes and the copy shares it: it stays
        the fields the editor wrote.  The build copies every citation, measure
        and target once (17,000 copies at 150 cities): 11 MB of one process's peak there.
        """
        cls = type(self)
        copied = cls.__new__(cls)
        state = self.__dict__.copy()
        state.update(values)
        object.__setattr__(copied, "__dict__", state)
        object.__setattr__(copied, "__pydantic_fields_set__", self.__pydantic_fields_set__)
        object.__setattr__(copied, "__pydantic_extra__", self.__pydantic_extra__)
        object.__setattr__(copied, "__pydantic_private__", self.__pydantic_private__)
        return copied


def field_column(info: Any) -> str | None:
    """The open-data column a field is published as, if any."""
    extra = info.json_schema_extra
    return extra.get("column") if isinstance(extra, dict) else None


# --- value types ---------------------------------------------------------------------


def _yuan(value: object) -> int:
    try:
        return parse_yuan(value)
    except AmountFormatError as exc:
        raise ValueError(str(exc)) from None


Yuan = Annotated[
    int,
    BeforeValidator(_yuan),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "integer", "minimum": 0},
                {"type": "string", "pattern": r"^\s*\d+(\.\d+)?\s*(万|亿)?\s*元?\s*$"},
            ],
            "description": "an amount: whole yuan (500000) or as written (50万元, 2.5亿元)",
        }
    ),
]


def _figure_text(value: object) -> object:
    """Before pydantic reads a number: Python's Decimal would take ``１００`` or ``٣`` for digits."""
    if isinstance(value, str) and not value.isascii():
        try:
            Decimal(value)
        except InvalidOperation:
            return value  # not a number in any script: pydantic's own message says so
        raise ValueError(f"{shorten(value)!r} is not a number (expected ASCII digits, such as 2.5)")
    return value


def _figure(value: Decimal) -> Decimal:
    problem = figure_problem(value)
    if problem:
        raise ValueError(problem)
    return value


Number = Annotated[Decimal, BeforeValidator(_figure_text), AfterValidator(_figure)]
"""A figure a document states: finite, below 10^15, at most 6 decimal places."""


def iso_date(value: object) -> dt.date | None:
    """``value`` as a date (a YAML date, or text ``YYYY-MM-DD``), or None when it is not one."""
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def _date_or_unknown(value: object) -> dt.date | None:
    if value == "unknown":
        return None
    date = iso_date(value)
    if date is None:
        raise ValueError(f"{value!r} is not a valid date (expected YYYY-MM-DD, or unknown)")
    return date


DateOrUnknown = Annotated[
    dt.date | None,
    BeforeValidator(_date_or_unknown),
    WithJsonSchema({"anyOf": [{"type": "string", "format": "date"}, {"const": "unknown"}]}),
]


def _year_or_unknown(value: object) -> int | None:
    if value == "unknown":
        return None
    if isinstance(value, int) and not isinstance(value, bool) and 1949 <= value <= 2100:
        return value
    raise ValueError(f"{value!r} is not a year (expected a year such as 2024, or unknown)")


YearOrUnknown = Annotated[
    int | None,
    BeforeValidator(_year_or_unknown),
    WithJsonSchema({"anyOf": [{"type": "integer", "minimum": 1949, "maximum": 2100}, {"const": "unknown"}]}),
]


def _text_or_unknown(value: object) -> object:
    if value is None:
        raise ValueError("is empty (expected the text's words, or unknown when the text does not say)")
    return None if value == "unknown" else value


TextOrUnknown = Annotated[
    ShortText | None,
    BeforeValidator(_text_or_unknown),
    WithJsonSchema({"type": "string", "minLength": 1, "maxLength": 200,
                    "description": "as the text gives it, or unknown"}),
]

def choice(terms: dict[str, Any]) -> Any:
    """A ``Literal`` of a vocabulary's ids: the schema lists them, errors suggest the nearest.

    Type checkers see such a field as ``str`` (see the ``TYPE_CHECKING``
    aliases where it is used); pydantic sees the literal.
    """
    from typing import Literal

    return Literal.__getitem__(tuple(terms))
