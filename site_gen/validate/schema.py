"""The content schema: what each YAML file may hold.

Three kinds of file are described here, and exported as JSON Schema to
``output/data/schema.json`` for editors' YAML tooling:

* ``site.yaml``: :class:`SiteFile`;
* ``cities/<slug>/city.yaml``: :class:`CityFile` (the city, its zones and
  the facts the provincial plan gives about them);
* ``cities/<slug>/documents/<id>.yaml``: :class:`DocumentFile` (metadata,
  :class:`Measure` support offers and :class:`Target` numeric goals).

Vocabularies come from :mod:`site_gen.vocabulary`.  Cross-file checks
(references, duplicates, provenance) live in :mod:`site_gen.validate`.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, Literal, Union

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    WithJsonSchema,
    field_validator,
    model_validator,
)

from site_gen import vocabulary as vocab
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


def _choice(terms: dict[str, Any]) -> Any:
    return Literal.__getitem__(tuple(terms))  # type: ignore[attr-defined]


CategoryId = _choice(vocab.CATEGORIES)
KindId = _choice(vocab.OFFER_KINDS)
LevelId = _choice(vocab.LEVELS)
ZoneLevelId = _choice(vocab.ZONE_LEVELS)
MetricId = _choice(vocab.METRICS)
QualifierId = _choice(vocab.QUALIFIERS)
BasisId = _choice(vocab.BASES)
TopicId = _choice(vocab.ZONE_FACT_TOPICS)
CityKindId = _choice(vocab.CITY_KINDS)


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


# A figure a document states: finite, below 10^15, at most 6 decimal places.
Figure = Annotated[Decimal, BeforeValidator(_figure_text), AfterValidator(_figure)]


def _date_or_unknown(value: object) -> dt.date | None:
    if value == "unknown":
        return None
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise ValueError(f"{value!r} is not a valid date (expected YYYY-MM-DD, or unknown)")


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


class Strict(BaseModel):
    """Unknown fields are errors: a typo must never be silently dropped."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class SourceRef(Strict):
    """Where a figure comes from: a paragraph of an archived official text."""

    document: Slug | None = Field(
        None, description="document id; in a document file, defaults to that document"
    )
    locator: ShortText = Field(
        description="section path in the archived text, e.g. 附件3/三/6, 二, 专栏8 or 文首"
    )
    quote: Text = Field(
        description="verbatim words from that section containing every figure; … skips text"
    )


# --- amounts -----------------------------------------------------------------


class FixedAmount(Strict):
    """A fixed sum: 给予50万元."""

    kind: Literal["fixed"]
    value: Yuan


class RangeAmount(Strict):
    """最低50万元、最高100万元; either end may be open (最高200万元, 不低于6亿元)."""

    kind: Literal["range"]
    min: Yuan | None = None
    max: Yuan | None = None

    @model_validator(mode="after")
    def _ends(self) -> "RangeAmount":
        if self.min is None and self.max is None:
            raise ValueError("a range needs min, max or both")
        if self.min is not None and self.max is not None and self.min >= self.max:
            raise ValueError("min must be less than max")
        return self


class TiersAmount(Strict):
    """Tiers decided by review: 三年内给予总额100万元、200万元、300万元、500万元."""

    kind: Literal["tiers"]
    tiers: list[Yuan] = Field(min_length=2)
    over_years: int | None = Field(None, ge=1, le=20, description="paid over this many years")


class PercentAmount(Strict):
    """A share of something, with optional floor and cap: 20%, 最高200万元."""

    kind: Literal["percent"]
    percent: Figure = Field(gt=0, le=100)
    of: ShortText = Field(description="what the percentage is of, e.g. 风险投资总额")
    up_to: bool = Field(False, description="true for 不超过 N%")
    min: Yuan | None = None
    cap: Yuan | None = None


class PerUnitAmount(Strict):
    """So much for each unit: 每认定一家给予5万元."""

    kind: Literal["per-unit"]
    value: Yuan
    per: ShortText = Field(description="the unit, e.g. 每新认定一家高新技术企业")
    cap: Yuan | None = None


class BenefitAmount(Strict):
    """A non-monetary benefit: rent, land, tax refund, school places."""

    kind: Literal["benefit"]
    benefit: Text


class UnstatedAmount(Strict):
    """The document offers support but states no amount (未明确金额)."""

    kind: Literal["unstated"]


Amount = Annotated[
    Union[FixedAmount, RangeAmount, TiersAmount, PercentAmount, PerUnitAmount, BenefitAmount, UnstatedAmount],
    Field(discriminator="kind"),
]


# --- measures and targets ----------------------------------------------------


class Measure(Strict):
    """A concrete support offer made by a document."""

    id: Slug
    category: CategoryId
    kind: KindId | None = Field(None, description="the comparison row; must belong to the category")
    title: ShortText
    beneficiaries: Text | None = None
    conditions: Text | None = None
    level: LevelId | None = Field(None, description="the level it depends on: national, provincial, ...")
    amount: Amount
    city: Slug | None = Field(None, description="the city it applies to, if not the document's own")
    zone: Slug | None = Field(None, description="the high-tech zone it applies to, if any")
    district: ShortText | None = Field(None, description="the county or district it applies to, e.g. 盘山县")
    note: Text | None = None
    source: SourceRef
    conditions_source: SourceRef | None = Field(
        None, description="where the conditions are stated, when that is another paragraph than source"
    )

    @model_validator(mode="after")
    def _kind_in_category(self) -> "Measure":
        if self.conditions_source is not None and not self.conditions:
            raise ValueError("conditions_source is given but conditions is not (expected both)")
        if self.kind is not None:
            category = vocab.OFFER_KINDS[self.kind].category
            if category != self.category:
                raise ValueError(
                    f"kind {self.kind!r} belongs to category {category!r}, not {self.category!r}"
                )
        return self


class Target(Strict):
    """A numeric goal: metric, value, unit, target year and scope."""

    id: Slug
    metric: MetricId
    label: ShortText | None = Field(None, description="the goal in the document's words, if the metric label is too broad; required when there is no value")
    value: Figure | None = Field(None, ge=0, description="the number; leave out for a goal stated in words (全覆盖, 建成…)")
    unit: ShortText | None = Field(None, description="%, 家, 件, 个, 元 ...; implied 元 when value is an amount")
    year: YearOrUnknown = Field(description="target year, or unknown when the text gives none")
    qualifier: QualifierId = "reach"
    basis: BasisId = "stock"
    city: Slug | None = None
    zone: Slug | None = None
    district: ShortText | None = Field(None, description="the county or district it applies to, e.g. 盘山县")
    note: Text | None = None
    source: SourceRef
    year_source: SourceRef | None = Field(
        None, description="where the year is stated, when not in the quote (e.g. a table's title: 2021年…分解表)"
    )

    @model_validator(mode="after")
    def _value_or_words(self) -> "Target":
        if self.year_source is not None and self.year is None:
            raise ValueError("year_source is given but year is unknown (expected the year it states)")
        if self.value is None and not self.label:
            raise ValueError("a target without a value needs a label saying the goal in words")
        if self.value is not None and not self.unit:
            raise ValueError("unit is missing (expected the unit of the value: %, 家, 件, 个 ...)")
        if self.value is None and self.unit:
            raise ValueError("unit is given but value is not (expected both, or neither for a goal in words)")
        return self

    @model_validator(mode="before")
    @classmethod
    def _money_value(cls, data: Any) -> Any:
        value = data.get("value") if isinstance(data, dict) else None
        if isinstance(value, str) and "元" in value:
            try:
                yuan = parse_yuan(value)
            except AmountFormatError:
                return data
            if data.get("unit", "元") != "元":
                raise ValueError(f"value {value!r} is an amount, so unit must be 元 or left out")
            return {**data, "value": yuan, "unit": "元"}
        return data


# --- documents -----------------------------------------------------------------


class Period(Strict):
    """The years a plan covers, as the document states them."""

    start: YearOrUnknown
    end: YearOrUnknown


class Validity(Strict):
    """A stated term of validity, e.g. 自发布之日起执行,有效期五年."""

    years: int = Field(ge=1, le=50)
    source: SourceRef


class Part(Strict):
    """An attachment or other named part of a document."""

    locator: ShortText = Field(description="section the part occupies, e.g. 附件1")
    title: ShortText
    valid_for: Validity | None = None


class DocumentFile(Strict):
    """``cities/<slug>/documents/<id>.yaml``: one official document."""

    id: Slug
    title: ShortText
    title_supplied: bool = Field(
        False, description="true when the text carries no title and this one is ours (shown as such)"
    )
    short_title: ShortText | None = None
    issuer: ShortText = Field(description="发文机关 as the text gives it, or unknown")
    number: ShortText = Field(description="文号, e.g. 阜政发〔2015〕44号, or unknown")
    issued: DateOrUnknown = Field(description="issue date YYYY-MM-DD, or unknown")
    period: Period | None = None
    valid_for: Validity | None = None
    parts: list[Part] = []
    measures: list[Measure] = []
    targets: list[Target] = []


# --- cities ----------------------------------------------------------------------


class ZoneFact(Strict):
    """A fact about a zone from a document, with its source."""

    topic: TopicId
    items: list[ShortText] | None = None
    text: Text | None = None
    note: Text | None = Field(None, description="our remark, e.g. that the document's list ends with 等")
    source: SourceRef

    @model_validator(mode="after")
    def _content(self) -> "ZoneFact":
        if not self.items and not self.text:
            raise ValueError("a fact needs items or text")
        return self


class Zone(Strict):
    """A high-tech industrial development zone (高新区)."""

    id: Slug
    name: ShortText
    short_name: ShortText
    level: ZoneLevelId
    source: SourceRef = Field(description="where the document names the zone and its level")
    facts: list[ZoneFact] = []


class CityFile(Strict):
    """``cities/<slug>/city.yaml``: a city (or the province) and its zones."""

    slug: Slug
    name: ShortText
    name_en: ShortText
    kind: CityKindId = "city"
    code: int | None = Field(None, ge=100000, le=999999,
                             description="行政区划代码 (GB/T 2260), e.g. 210700; orders the city lists")
    zones: list[Zone] = []

    @field_validator("name_en")
    @classmethod
    def _ascii(cls, value: str) -> str:
        if not value.isascii():
            raise ValueError("expected the English name in Latin letters")
        return value


class SiteFile(Strict):
    """``site.yaml``: the site's own words."""

    title: ShortText
    tagline: ShortText | None = None
    description: Text | None = None


def content_json_schema() -> dict[str, Any]:
    """JSON Schema for the three kinds of content file, for editors' YAML tooling.

    The root accepts any of them; ``$defs`` holds ``SiteFile``, ``CityFile``
    and ``DocumentFile`` for mapping a schema to a file pattern.
    """
    from pydantic.json_schema import models_json_schema

    _, schema = models_json_schema(
        [(SiteFile, "validation"), (CityFile, "validation"), (DocumentFile, "validation")],
        title="辽宁城市科技创新政策对照 content schema",
    )
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["anyOf"] = [{"$ref": f"#/$defs/{name}"} for name in ("DocumentFile", "CityFile", "SiteFile")]
    return schema
