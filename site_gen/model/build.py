"""Build the plain model from validated content."""

from __future__ import annotations

from site_gen.load.yaml_source import Path_
from site_gen.model import (
    Amount,
    Citation,
    City,
    Document,
    Measure,
    Part,
    Site,
    Target,
    Validity,
    Zone,
    ZoneFact,
)
from site_gen.validate import ParsedCity, ParsedDocument, ValidContent, schema


def _amount(amount: schema.BaseModel) -> Amount:
    fields = amount.model_dump()
    if "tiers" in fields:
        fields["tiers"] = tuple(fields["tiers"])
    return Amount(**fields)


class _Builder:
    def __init__(self, content: ValidContent):
        self.content = content

    def citation(self, file: str, loc: Path_) -> Citation:
        return self.content.citations[(file, loc)]

    def validity(self, file: str, loc: Path_, data: schema.Validity | None) -> Validity | None:
        if data is None:
            return None
        return Validity(data.years, self.citation(file, loc + ("source",)))

    def document(self, parsed: ParsedDocument) -> Document:
        data, file = parsed.data, parsed.raw.yaml.path
        measures = tuple(
            Measure(
                id=m.id, document_id=data.id, city=m.city or parsed.city, zone=m.zone, district=m.district,
                category=m.category, kind=m.kind, title=m.title, beneficiaries=m.beneficiaries,
                conditions=m.conditions, level=m.level, amount=_amount(m.amount), note=m.note,
                citation=self.citation(file, ("measures", i, "source")),
                conditions_citation=(self.citation(file, ("measures", i, "conditions_source"))
                                     if m.conditions_source else None),
            )
            for i, m in enumerate(data.measures)
        )
        targets = tuple(
            Target(
                id=t.id, document_id=data.id, city=t.city or parsed.city, zone=t.zone, district=t.district,
                metric=t.metric, label=t.label, value=t.value, unit=t.unit, year=t.year,
                qualifier=t.qualifier, basis=t.basis, note=t.note,
                citation=self.citation(file, ("targets", i, "source")),
                year_citation=self.citation(file, ("targets", i, "year_source")) if t.year_source else None,
            )
            for i, t in enumerate(data.targets)
        )
        parts = tuple(
            Part(p.locator, p.title, self.validity(file, ("parts", i, "valid_for"), p.valid_for))
            for i, p in enumerate(data.parts)
        )
        return Document(
            id=data.id, city=parsed.city, title=data.title, title_supplied=data.title_supplied,
            short_title=data.short_title, issuer=None if data.issuer == "unknown" else data.issuer,
            number=None if data.number == "unknown" else data.number,
            issued=data.issued,
            period_start=data.period.start if data.period else None,
            period_end=data.period.end if data.period else None,
            valid_for=self.validity(file, ("valid_for",), data.valid_for),
            parts=parts, measures=measures, targets=targets,
            summary_markdown=parsed.raw.summary.text if parsed.raw.summary else "",
            source=self.content.sources[data.id],
        )

    def city(self, parsed: ParsedCity) -> City:
        data, file = parsed.data, parsed.raw.yaml.path
        zones = tuple(
            Zone(
                id=z.id, city=data.slug, name=z.name, short_name=z.short_name, level=z.level,
                citation=self.citation(file, ("zones", zi, "source")),
                facts=tuple(
                    ZoneFact(f.topic, tuple(f.items or ()), f.text, f.note,
                             self.citation(file, ("zones", zi, "facts", fi, "source")))
                    for fi, f in enumerate(z.facts)
                ),
            )
            for zi, z in enumerate(data.zones)
        )
        return City(data.slug, data.name, data.name_en, data.kind, data.code, zones,
                    parsed.raw.summary.text if parsed.raw.summary else "")


def build_site_model(content: ValidContent) -> Site:
    """The :class:`Site` for validated content, cities and documents in a stable order."""
    builder = _Builder(content)
    cities = tuple(
        sorted(
            (builder.city(c) for c in content.cities if c.data is not None),
            key=lambda c: (c.code is None, c.code or 0, c.slug),
        )
    )
    documents = tuple(
        sorted(
            (builder.document(d) for c in content.cities for d in c.documents),
            key=lambda d: (d.issued is None, -(d.issued.toordinal() if d.issued else 0), d.id),
        )
    )
    return Site(content.site.title, content.site.tagline, content.site.description, cities, documents)
