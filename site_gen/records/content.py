"""The content records: documents, measures, targets, cities, zones and facts.

Three kinds of file hold them (see ``content/README.md``):

* ``site.yaml``: :class:`SiteSettings`;
* ``cities/<slug>/city.yaml``: :class:`City`, its :class:`Zone` s and their
  :class:`ZoneFact` s;
* ``cities/<slug>/documents/<id>.yaml``: :class:`Document`, its
  :class:`Measure` support offers and :class:`Target` goals.

Every citation is a :class:`SourceRef`; the validate stage resolves it to the
paragraph that holds the quote and records the paragraph's anchor on it.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Annotated, Any, TypeAlias

from pydantic import AfterValidator, Field, field_validator, model_validator

from site_gen import vocabulary as vocab
from site_gen.figures import AmountFormatError, parse_yuan
from site_gen.records.amounts import Amount
from site_gen.records.base import (
    DateOrUnknown,
    Number,
    Record,
    ShortText,
    Slug,
    Text,
    TextOrUnknown,
    YearOrUnknown,
    choice,
    column,
    resolved,
)
from site_gen.sourcetext import SourceText

_WEB_ADDRESS = re.compile(r"https?://[A-Za-z0-9.\-]+(?::[0-9]{1,5})?(?:[/?#][A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]*)?")


def _web_address(value: str) -> str:
    """An absolute http(s) address of a public page: no credentials, only URL characters."""
    if not _WEB_ADDRESS.fullmatch(value):
        raise ValueError(f"{value[:80]!r} is not a web address (expected http:// or https://, a host and only "
                         "URL characters; percent-encode the rest)")
    return value


WebAddress = Annotated[str, Field(min_length=1, max_length=500, json_schema_extra={"format": "uri"}),
                       AfterValidator(_web_address)]

if TYPE_CHECKING:  # type checkers see the vocabulary ids as text; pydantic sees the literals
    CategoryId: TypeAlias = str
    KindId: TypeAlias = str
    LevelId: TypeAlias = str
    ZoneLevelId: TypeAlias = str
    MetricId: TypeAlias = str
    QualifierId: TypeAlias = str
    BasisId: TypeAlias = str
    TopicId: TypeAlias = str
    CityKindId: TypeAlias = str
    TargetScopeId: TypeAlias = str
else:
    CategoryId = choice(vocab.CATEGORIES)
    KindId = choice(vocab.OFFER_KINDS)
    LevelId = choice(vocab.LEVELS)
    ZoneLevelId = choice(vocab.ZONE_LEVELS)
    MetricId = choice(vocab.METRICS)
    QualifierId = choice(vocab.QUALIFIERS)
    BasisId = choice(vocab.BASES)
    TopicId = choice(vocab.ZONE_FACT_TOPICS)
    CityKindId = choice(vocab.CITY_KINDS)
    TargetScopeId = choice(vocab.TARGET_SCOPES)


class SourceRef(Record):
    """Where a figure comes from: a paragraph of an archived official text."""

    document: Slug | None = Field(None, description="document id; in a document file, defaults to that document")
    locator: ShortText = Field(description="section path in the archived text, e.g. 附件3/三/6, 二, 专栏8 or 文首")
    quote: Text = column("quote", description="verbatim words from that section containing every figure; … skips text")
    document_id: str = resolved("", "the document the quote is from (``document``, or the file's own)",
                                column="quote_document")
    anchor: str = resolved("", "HTML id of the paragraph holding the quote on the document page")
    section: str = resolved("", "full section path of that paragraph (the locator may skip levels); "
                                "published as the locator", column="locator")


class Measure(Record):
    """A concrete support offer made by a document."""

    id: Slug = column("id")
    category: CategoryId = column("category")
    kind: KindId | None = column("kind", default=None, description="the comparison row; must belong to the category")
    title: ShortText = column("title")
    beneficiaries: Text | None = column("beneficiaries", default=None)
    conditions: Text | None = column("conditions", default=None)
    level: LevelId | None = column("level", default=None,
                                   description="the level it depends on: national, provincial, ...")
    amount: Amount = column("")
    city: Slug | None = Field(None, description="provincial document only: the city it applies to, "
                                                "with one of that city's zones")
    zone: Slug | None = column("zone", default=None, description="the high-tech zone it applies to, if any")
    district: ShortText | None = column("district", default=None,
                                        description="the county or district it applies to, e.g. 盘山县")
    note: Text | None = column("note", default=None)
    source: SourceRef = column("")
    conditions_source: SourceRef | None = column(
        "conditions_", default=None,
        description="where the conditions are stated, when that is another paragraph than source",
    )
    document_id: str = resolved("", "the document that makes the offer", column="document_id")
    city_slug: str = resolved("", "the city it is published under: ``city``, or the document's", column="city")

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

    @property
    def citations(self) -> tuple[SourceRef, ...]:
        return tuple(ref for ref in (self.source, self.conditions_source) if ref is not None)


class Target(Record):
    """A numeric goal: metric, value, unit, target year and scope."""

    id: Slug = column("id")
    metric: MetricId = column("metric")
    label: ShortText | None = column("label", default=None,
                                     description="the goal in the document's words, if the metric label is too "
                                                 "broad; required when there is no value")
    value: Number | None = column("value", default=None, ge=0,
                                   description="the number; leave out for a goal stated in words (全覆盖, 建成…)")
    unit: ShortText | None = column("unit", default=None,
                                    description="%, 家, 件, 个, 元 ...; implied 元 when value is an amount")
    year: YearOrUnknown = column("year", description="target year, or unknown when the text gives none")
    qualifier: QualifierId = column("qualifier", default="reach")
    basis: BasisId = column("basis", default="stock")
    city: Slug | None = Field(None, description="provincial document only: the city it applies to, "
                                                "with one of that city's zones")
    zone: Slug | None = column("zone", default=None)
    district: ShortText | None = column("district", default=None,
                                        description="the county or district it applies to, e.g. 盘山县")
    scope: TargetScopeId = column("scope", default="whole",
                                  description="zones when the figure covers the high-tech zones of the city or "
                                              "province together (全省高新区…), each-zone when it asks it of every "
                                              "zone (每个高新区…); whole (the default) for the whole city or province")
    note: Text | None = column("note", default=None)
    source: SourceRef = column("")
    year_source: SourceRef | None = column(
        "year_", default=None,
        description="where the year is stated, when not in the quote (e.g. a table's title: 2021年…分解表)",
    )
    document_id: str = resolved("", "the document that sets the goal", column="document_id")
    city_slug: str = resolved("", "the city it is published under: ``city``, or the document's", column="city")

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
        if self.scope != "whole" and (self.zone or self.district):
            raise ValueError("scope zones is for the zones together; a target of one zone or district names it "
                             "in zone or district instead (expected scope left out)")
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

    @property
    def citations(self) -> tuple[SourceRef, ...]:
        return tuple(ref for ref in (self.source, self.year_source) if ref is not None)


class Period(Record):
    """The years a plan covers, as the document states them."""

    start: YearOrUnknown = column("period_start")
    end: YearOrUnknown = column("period_end")


class Validity(Record):
    """A stated term of validity, e.g. 自发布之日起执行,有效期五年."""

    years: int = column("years", ge=1, le=50)
    source: SourceRef = column("")


class Part(Record):
    """An attachment or other named part of a document."""

    locator: ShortText = Field(description="section the part occupies, e.g. 附件1")
    title: ShortText
    valid_for: Validity | None = None


class Document(Record):
    """``cities/<slug>/documents/<id>.yaml``: one official document."""

    id: Slug = column("id")
    title: ShortText = column("title")
    title_supplied: bool = column("title_supplied", default=False,
                                  description="true when the text carries no title and this one is ours "
                                              "(shown as such)")
    short_title: ShortText | None = column("short_title", default=None)
    issuer: TextOrUnknown = column("issuer", description="发文机关 as the text gives it, or unknown")
    number: TextOrUnknown = column("number", description="文号, e.g. 阜政发〔2015〕44号, or unknown")
    issued: DateOrUnknown = column("issued", description="issue date YYYY-MM-DD, or unknown")
    period: Period | None = column("", default=None)
    valid_for: Validity | None = column("valid_for_", default=None)
    source_url: WebAddress | None = column(
        "source_url", default=None,
        description="the official page the text was archived from, only when it is known (never guessed)")
    retrieved: DateOrUnknown = column(
        "retrieved", default=None,
        description="the day the archived text was retrieved (YYYY-MM-DD), only when it was recorded")
    parts: list[Part] = []
    measures: list[Measure] = []
    targets: list[Target] = []
    city_slug: str = resolved("", "the city whose folder holds the document", column="city")
    summary_markdown: str = resolved("", "our summary (the Markdown file beside the YAML)")
    source_text: SourceText | None = resolved(None, "the archived official text")

    @property
    def display_title(self) -> str:
        return self.short_title or self.title

    @property
    def period_start(self) -> int | None:
        return self.period.start if self.period else None

    @property
    def period_end(self) -> int | None:
        return self.period.end if self.period else None

    @property
    def archived_text(self) -> SourceText:
        """The archived text (always set on a validated document)."""
        if self.source_text is None:
            raise ValueError(f"document {self.id!r} has not been validated")
        return self.source_text


class ZoneFact(Record):
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


class Zone(Record):
    """A high-tech industrial development zone (高新区)."""

    id: Slug
    name: ShortText
    short_name: ShortText
    level: ZoneLevelId
    source: SourceRef = Field(description="where the document names the zone and its level")
    facts: list[ZoneFact] = []
    city_slug: str = resolved("", "the city whose file defines the zone")

    @property
    def industries(self) -> tuple[str, ...]:
        return tuple(i for f in self.facts if f.topic == "industries" for i in f.items or ())


class City(Record):
    """``cities/<slug>/city.yaml``: a city (or the province) and its zones."""

    slug: Slug
    name: ShortText
    name_en: ShortText
    kind: CityKindId = "city"
    code: int | None = Field(None, ge=100000, le=999999,
                             description="行政区划代码 (GB/T 2260), e.g. 210700; orders the city lists")
    zones: list[Zone] = []
    summary_markdown: str = resolved("", "our summary of the city (city.md)")

    @field_validator("name_en")
    @classmethod
    def _ascii(cls, value: str) -> str:
        if not value.isascii():
            raise ValueError("expected the English name in Latin letters")
        return value


class SiteSettings(Record):
    """``site.yaml``: the site's own words."""

    title: ShortText
    tagline: ShortText | None = None
    description: Text | None = None
    licence: ShortText | None = Field(None, description="the licence the data is published under, e.g. CC BY 4.0; "
                                                        "shown in the footer and on the about page only when set")
    licence_url: WebAddress | None = Field(None, description="the licence's text")
    issues_url: WebAddress | None = Field(None, description="where readers report an error: the repository's "
                                                            "new-issue form; without it the site says how to "
                                                            "report in words")
