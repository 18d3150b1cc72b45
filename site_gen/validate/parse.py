"""Turn each YAML file read by the load stage into its record, or into problems."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TypeVar

from pydantic import ValidationError

from site_gen.errors import Problem
from site_gen.load import RawCity, RawContent, RawDocument
from site_gen.load.yaml_source import YamlDocument
from site_gen.memo import Memo
from site_gen.records import City, Document, Record, SiteSettings
from site_gen.validate.messages import problems_from

R = TypeVar("R", bound=Record)

DEFAULT_SITE = SiteSettings(title="辽宁城市科技创新政策对照")


@dataclass
class ParsedDocument:
    """A document record and the file it came from (for positions in problems)."""

    raw: RawDocument
    record: Document
    city: str
    """The slug of the city folder holding the document."""

    @property
    def yaml(self) -> YamlDocument:
        return self.raw.yaml


@dataclass
class ParsedCity:
    raw: RawCity
    record: City | None
    documents: list[ParsedDocument] = field(default_factory=list)


def parse_record(doc: YamlDocument, model: type[R], problems: list[Problem]) -> R | None:
    """The record of one file, or None with its problems added to ``problems``."""
    if not isinstance(doc.data, dict):
        problems.append(doc.problem((), "the file is empty or not a mapping (expected a mapping of fields)"))
        return None
    try:
        return model.model_validate(doc.data)
    except ValidationError as exc:
        problems.extend(problems_from(exc, doc, model))
        return None


def _parse(doc: YamlDocument, model: type[R], problems: list[Problem], memo: Memo) -> R | None:
    """:func:`parse_record`, once per parsed file (``memo``)."""
    def make() -> tuple[R | None, list[Problem]]:
        found: list[Problem] = []
        return parse_record(doc, model, found), found

    record, found = memo.get("record", model.__name__, (doc,), make)
    problems.extend(found)
    return record


def parse_content(raw: RawContent, problems: list[Problem],
                  memo: Memo | None = None) -> tuple[SiteSettings, list[ParsedCity]]:
    """Every file's record; files that fail are left out, their problems added."""
    memo = memo or Memo.off()
    site = (_parse(raw.site, SiteSettings, problems, memo) if raw.site else None) or DEFAULT_SITE
    cities = []
    for raw_city in raw.cities:
        record = _parse(raw_city.yaml, City, problems, memo) if raw_city.yaml else None
        city = ParsedCity(raw_city, record)
        for raw_doc in raw_city.documents:
            parsed = _parse(raw_doc.yaml, Document, problems, memo)
            if parsed is not None:
                city.documents.append(ParsedDocument(raw_doc, parsed, raw_city.folder))
        cities.append(city)
    return site, cities
