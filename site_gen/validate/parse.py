"""Turn each YAML file read by the load stage into its record, or into problems."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TypeVar

from pydantic import ValidationError

from site_gen.errors import Problem
from site_gen.load import RawCity, RawContent, RawDocument
from site_gen.load.yaml_source import YamlDocument
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


def parse_content(raw: RawContent, problems: list[Problem]) -> tuple[SiteSettings, list[ParsedCity]]:
    """Every file's record; files that fail are left out, their problems added."""
    site = (parse_record(raw.site, SiteSettings, problems) if raw.site else None) or DEFAULT_SITE
    cities = []
    for raw_city in raw.cities:
        record = parse_record(raw_city.yaml, City, problems) if raw_city.yaml else None
        city = ParsedCity(raw_city, record)
        for raw_doc in raw_city.documents:
            parsed = parse_record(raw_doc.yaml, Document, problems)
            if parsed is not None:
                city.documents.append(ParsedDocument(raw_doc, parsed, raw_city.folder))
        cities.append(city)
    return site, cities
