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
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Any, TypeAlias

from pydantic import AfterValidator, BeforeValidator, ConfigDict, Field, WithJsonSchema, field_validator, model_validator

from site_gen.errors import shorten

from site_gen import vocabulary as vocab
from site_gen.figures import AmountFormatError, parse_yuan
from site_gen.records.amounts import Amount
from site_gen.records.base import (
    DateOrUnknown,
    EnglishLongText,
    EnglishText,
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
    PeriodBasisId: TypeAlias = str
    TargetScopeId: TypeAlias = str
else:
    PeriodBasisId = choice(vocab.PERIOD_BASES)
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


def _money_values(data: Any, names: tuple[str, ...] = ("value", "min", "max")) -> Any:
    """``value: 21亿元`` (or min/max) is an amount: whole yuan, unit 元."""
    if not isinstance(data, dict):
        return data
    converted = dict(data)
    money = False
    for name in names:
        value = data.get(name)
        if isinstance(value, str) and "元" in value:
            try:
                converted[name] = parse_yuan(value)
            except AmountFormatError:
                return data
            money = True
    if not money:
        return data
    if converted.get("unit", "元") != "元":
        raise ValueError(f"{'/'.join(n for n in names if isinstance(data.get(n), str))} is an amount, "
                         "so unit must be 元 or left out")
    converted["unit"] = "元"
    return converted


def _check_value_or_range(record: Any, *, words_allowed: bool) -> None:
    """``value`` or a range (``min``/``max``), not both; a unit whenever there is a number."""
    if record.value is not None and (record.min is not None or record.max is not None):
        raise ValueError("value and min/max are both given (expected value for one figure, "
                         "or min and max for a range such as 1—2场)")
    if record.min is not None and record.max is not None and record.min >= record.max:
        raise ValueError("min must be less than max")
    has_number = any(n is not None for n in (record.value, record.min, record.max))
    if not has_number and not words_allowed:
        raise ValueError("a quantity needs value, or min and/or max")
    if has_number and not record.unit:
        raise ValueError("unit is missing (expected the unit of the value: %, 家, 件, 个 ...)")
    if not has_number and record.unit:
        raise ValueError("unit is given but value is not (expected both, or neither for a goal in words)")


class Quantity(Record):
    """A figure of a record that is not its amount or its value, kept as a number with its unit.

    Used for what an offer or a fact states (建设1.6万平方米的人才服务大厦, 3只基金, 三年全额租金补贴),
    for thresholds (单笔技术合同额50万元(含)以上, 企业实际投入不低于100万元, 2年内) and for a target's
    horizon (三年内, 经过3—5年).
    """

    what: ShortText | None = column("what", default=None,
                                    description="what is counted or measured, e.g. 人才服务大厦建筑面积, 股权投资基金, "
                                                "单笔技术合同额; may be left out for a target's horizon")
    value: Number | None = column("value", default=None, ge=0,
                                  description="the number as the text writes it with its unit: 1.6 with 万平方米; "
                                              "an amount may be written 50万元 (then leave unit out)")
    min: Number | None = column("min", default=None, ge=0, description="a range's lower end: 3—5年 is min 3, max 5")
    max: Number | None = column("max", default=None, ge=0, description="a range's upper end")
    unit: ShortText | None = column("unit", default=None,
                                    description="平方米, 万平方米, 亩, 家, 只, 个, 年, 人, 元 ...; implied 元 for an amount")
    qualifier: QualifierId = column("qualifier", default="reach",
                                    description="reach, at-least (以上, 不低于), exceed (超, 突破), at-most (以内, 三年内), "
                                                "about (左右), nearly (近); the quote must say so")

    @model_validator(mode="before")
    @classmethod
    def _money(cls, data: Any) -> Any:
        return _money_values(data)

    @model_validator(mode="after")
    def _shape(self) -> "Quantity":
        _check_value_or_range(self, words_allowed=False)
        return self

    def numbers(self) -> tuple[Decimal, ...]:
        return tuple(n for n in (self.value, self.min, self.max) if n is not None)


class NonCommitment(Record):
    """A number of the text that is not a commitment: a name, a foreign strategy, a report rhythm.

    Recorded so that ``site-gen coverage`` can show every number of a text is either in the data
    or explained; the reason is shown on the document page.
    """

    reason: Text = column("reason", description="why the number is not a goal or an offer, naming the number, "
                                                "e.g. “工业4.0”是国外战略的名称，不是本规划的目标")
    source: SourceRef = column("")


class Measure(Record):
    """A concrete support offer made by a document."""

    id: Slug = column("id")
    category: CategoryId = column("category")
    kind: KindId | None = column("kind", default=None, description="the comparison row; must belong to the category")
    title: ShortText = column("title")
    title_en: EnglishText | None = column("title_en", default=None)
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
    quantities: list[Quantity] = column(
        "quantity_", default=[],
        description="other figures the offer states, as numbers: 建设1.6万平方米的人才服务大厦 is "
                    "{what: 人才服务大厦建筑面积, value: 1.6, unit: 万平方米}; 三年全额租金补贴 is "
                    "{what: 租金补贴期限, value: 3, unit: 年}",
    )
    thresholds: list[Quantity] = column(
        "threshold_", default=[],
        description="conditions stated as figures: 单笔技术合同额50万元(含)以上 is {what: 单笔技术合同额, "
                    "value: 50万元, qualifier: at-least}; 2年内 is {value: 2, unit: 年, qualifier: at-most}",
    )
    also_cited: list[SourceRef] = column(
        "also_", default=[],
        description="other paragraphs that make the same offer (the plan and its annex); each must hold "
                    "the amount too",
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
        return tuple(ref for ref in (self.source, self.conditions_source, *self.also_cited) if ref is not None)


class Target(Record):
    """A numeric goal: metric, value, unit, target year and scope."""

    id: Slug = column("id")
    metric: MetricId = column("metric")
    label: ShortText | None = column("label", default=None,
                                     description="the goal in the document's words, if the metric label is too "
                                                 "broad; required when there is no value")
    label_en: EnglishText | None = column("label_en", default=None,
                                          description="the label in English, written by an editor")
    value: Number | None = column("value", default=None, ge=0,
                                   description="the number; leave out for a goal stated in words (全覆盖, 建成…) "
                                               "or a range (min/max)")
    min: Number | None = column("min", default=None, ge=0,
                                description="a range's lower end: 1—2场 is min 1, max 2 (instead of value)")
    max: Number | None = column("max", default=None, ge=0, description="a range's upper end")
    unit: ShortText | None = column("unit", default=None,
                                    description="%, 家, 件, 个, 元 ...; implied 元 when value is an amount")
    year: YearOrUnknown = column("year", description="target year, or unknown when the text gives none")
    year_approximate: bool = column("year_approximate", default=False,
                                    description="true for 到2024年左右 (the quote must say 左右 after the year)")
    qualifier: QualifierId = column("qualifier", default="reach",
                                    description="reach, exceed (突破, 超), at-least (以上, 不低于), about (左右), "
                                                "nearly (近), at-most (以内); the quote must say so")
    strive: bool = column("strive", default=False,
                          description="true when the text strives for it (力争); exactly then the quote holds 力争")
    basis: BasisId = column("basis", default="stock")
    horizon: Quantity | None = column(
        "horizon_", default=None,
        description="the time the text gives instead of, or besides, a year: 三年内 is "
                    "{value: 3, unit: 年, qualifier: at-most}; 经过3—5年 is {min: 3, max: 5, unit: 年}",
    )
    quantities: list[Quantity] = column(
        "quantity_", default=[],
        description="other figures of the goal, as numbers: 15个省级以上高新区区域总面积 has "
                    "{what: 高新区, value: 15, unit: 个}",
    )
    thresholds: list[Quantity] = column(
        "threshold_", default=[],
        description="what counts toward the goal, as figures: 产值规模超10亿元的企业 has "
                    "{what: 产值规模, value: 10亿元, qualifier: exceed}",
    )
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
    also_cited: list[SourceRef] = column(
        "also_", default=[],
        description="other paragraphs that state the same goal (a plan, its annex and its task table): one "
                    "target, several citations; each must hold the value too",
    )
    document_id: str = resolved("", "the document that sets the goal", column="document_id")
    city_slug: str = resolved("", "the city it is published under: ``city``, or the document's", column="city")

    @model_validator(mode="after")
    def _value_or_words(self) -> "Target":
        if self.year_source is not None and self.year is None:
            raise ValueError("year_source is given but year is unknown (expected the year it states)")
        if self.year_approximate and self.year is None:
            raise ValueError("year_approximate is true but year is unknown (expected the year the text gives)")
        if self.value is None and self.min is None and self.max is None and not self.label:
            raise ValueError("a target without a value needs a label saying the goal in words")
        _check_value_or_range(self, words_allowed=True)
        if self.scope != "whole" and (self.zone or self.district):
            raise ValueError("scope zones is for the zones together; a target of one zone or district names it "
                             "in zone or district instead (expected scope left out)")
        return self

    @model_validator(mode="before")
    @classmethod
    def _money_value(cls, data: Any) -> Any:
        return _money_values(data)

    def numbers(self) -> tuple[Decimal, ...]:
        """The value, or the ends of its range."""
        return tuple(n for n in (self.value, self.min, self.max) if n is not None)

    @property
    def citations(self) -> tuple[SourceRef, ...]:
        return tuple(ref for ref in (self.source, self.year_source, *self.also_cited) if ref is not None)


class Period(Record):
    """The years a plan covers, as the document states them, or inferred and saying so."""

    start: YearOrUnknown = column("period_start")
    end: YearOrUnknown = column("period_end")
    basis: PeriodBasisId = column("period_basis", default="stated",
                                  description="stated (the years are in the text) or inferred (then give reason)")
    reason: ShortText | None = column("period_reason", default=None,
                                      description="for an inferred period: what the years are inferred from, e.g. "
                                                  "原文只写“十四五”，十四五规划期为2021—2025年")
    source: SourceRef | None = column("period_", default=None,
                                      description="where the text states the period (a stated period's years must "
                                                  "be in the quote), or what an inferred one rests on")

    @model_validator(mode="after")
    def _reason(self) -> "Period":
        if self.basis == "inferred" and not self.reason:
            raise ValueError("an inferred period needs a reason (expected what the years are inferred from)")
        if self.basis == "stated" and self.reason:
            raise ValueError("reason is given for a stated period (expected basis: inferred, or no reason)")
        return self


class Validity(Record):
    """A stated term of validity, e.g. 自发布之日起执行,有效期五年."""

    years: int = column("years", ge=1, le=50)
    source: SourceRef = column("")


class Part(Record):
    """An attachment or other named part of a document."""

    locator: ShortText = Field(description="section the part occupies, e.g. 附件1")
    title: ShortText
    title_en: EnglishText | None = None
    valid_for: Validity | None = None


def _sha256(value: object) -> object:
    """A SHA-256 digest as lower-case hex (an all-digit one may have been read as a YAML integer)."""
    if isinstance(value, int) and not isinstance(value, bool) and len(str(value)) == 64:
        value = str(value)
    if not isinstance(value, str) or not re.fullmatch(r"[0-9a-f]{64}", value.strip()):
        raise ValueError(f"{shorten(repr(value))} is not a SHA-256 digest (expected 64 lower-case hexadecimal "
                         "characters, as site-gen ingest prints them)")
    return value.strip()


Sha256 = Annotated[str, BeforeValidator(_sha256),
                   WithJsonSchema({"type": "string", "pattern": "^[0-9a-f]{64}$",
                                   "description": "SHA-256 of the archived text, lower-case hex"})]


def _digest_required(schema: dict[str, Any]) -> None:
    """Editors' tooling flags a missing digest; the validate stage refuses it with the digest to paste."""
    schema.setdefault("required", []).append("source_sha256")
    schema["properties"]["source_sha256"] = schema["properties"]["source_sha256"]["anyOf"][0] | {
        "description": schema["properties"]["source_sha256"]["description"]}


class Document(Record):
    """``cities/<slug>/documents/<id>.yaml``: one official document.

    ``source_sha256`` is required, but checked by the validate stage rather
    than by the schema: a document without it keeps being checked field by
    field, and the problem gives the digest to paste.
    """

    model_config = ConfigDict(json_schema_extra=_digest_required)

    id: Slug = column("id")
    title: ShortText = column("title")
    title_supplied: bool = column("title_supplied", default=False,
                                  description="true when the text carries no title and this one is ours "
                                              "(shown as such)")
    short_title: ShortText | None = column("short_title", default=None)
    title_en: EnglishText | None = column("title_en", default=None)
    short_title_en: EnglishText | None = column("short_title_en", default=None)
    issuer: TextOrUnknown = column("issuer", description="发文机关 as the text gives it, or unknown")
    number: TextOrUnknown = column("number", description="文号, e.g. 阜政发〔2015〕44号, or unknown")
    issued: DateOrUnknown = column("issued", description="issue date YYYY-MM-DD, or unknown")
    source_sha256: Sha256 | None = column(
        "source_sha256", default=None,
        description="SHA-256 of the archived text sources/<id>.txt; required (the build refuses a document "
                    "without it or with another text's): site-gen ingest writes it",
    )
    period: Period | None = column("", default=None)
    valid_for: Validity | None = column("valid_for_", default=None)
    source_url: WebAddress | None = column(
        "source_url", default=None,
        description="the official page the text was archived from, only when it is known (never guessed)")
    retrieved: DateOrUnknown = column(
        "retrieved", default=None,
        description="the day the archived text was retrieved (YYYY-MM-DD), only when it was recorded")
    parts: list[Part] = []
    summary_sources: list[SourceRef] = Field(
        [], description="the paragraphs our summary (the .md beside this file) draws on; every figure of the "
                        "summary must be in one of their quotes")
    non_commitments: list[NonCommitment] = column(
        "non_commitment_", default=[],
        description="numbers of the text that are not goals or offers (names, foreign strategies, report "
                    "rhythms), each with its reason; they are not targets",
    )
    measures: list[Measure] = []
    targets: list[Target] = []
    city_slug: str = resolved("", "the city whose folder holds the document", column="city")
    summary_markdown: str = resolved("", "our summary (the Markdown file beside the YAML)")
    summary_markdown_en: str = resolved("", "our English summary (<id>.en.md beside the YAML), if written")
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
    quantities: list[Quantity] = Field(
        [], description="the figures of the fact, as numbers: 3只 is {what: 股权投资基金, value: 3, unit: 只}")
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
    name_en: EnglishText | None = None
    short_name_en: EnglishText | None = None
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
    summary_sources: list[SourceRef] = Field(
        [], description="the paragraphs our summary (city.md) draws on, each with its document; every figure of "
                        "the summary must be in one of their quotes")
    summary_markdown: str = resolved("", "our summary of the city (city.md)")
    summary_markdown_en: str = resolved("", "our English summary of the city (city.en.md), if written")

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
    title_en: EnglishText | None = None
    tagline_en: EnglishText | None = None
    description_en: EnglishLongText | None = None
    licence: ShortText | None = Field(None, description="the licence the data is published under, e.g. CC BY 4.0; "
                                                        "shown in the footer and on the about page only when set")
    licence_url: WebAddress | None = Field(None, description="the licence's text")
    issues_url: WebAddress | None = Field(None, description="where readers report an error: the repository's "
                                                            "new-issue form; without it the site says how to "
                                                            "report in words")
