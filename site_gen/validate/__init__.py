"""Stage 2, validate: schema, identities, references and provenance.

:func:`validate` checks everything :func:`site_gen.load.load_content` read
and either returns the content as resolved records, ready for the model, or
raises :class:`~site_gen.errors.ContentError` with every problem found, each
at its file, line and column.  It never writes anything.

The steps, one module each: :mod:`~site_gen.validate.parse` (each file to
its record, :mod:`site_gen.records`), :mod:`~site_gen.validate.identities`
(ids, duplicates, references), :mod:`~site_gen.validate.citations` (every
quote found in its paragraph, figure by figure), and
:mod:`~site_gen.validate.resolve` (citations and context set on the records).
``ingest-rules.yaml`` is checked here too (:mod:`site_gen.validate.ingest_rules`):
it is not part of the site, but it arrives by pull request like the rest.
"""

from __future__ import annotations

from dataclasses import dataclass

from site_gen.errors import ContentError
from site_gen.load import RawContent
from site_gen.memo import Memo
from site_gen.records import ChangeEntry, City, Document, SiteSettings, SourceRef
from site_gen.records.walk import citations_in
from site_gen.sourcetext import SourceText
from site_gen.validate.archive import check_source_digests
from site_gen.validate.citations import Resolved, check_citations
from site_gen.validate.identities import check_identities, check_references
from site_gen.validate.ingest_rules import check_ingest_rules
from site_gen.validate.changes import parse_changes
from site_gen.validate.parse import ParsedCity, ParsedDocument, parse_content
from site_gen.validate.resolve import resolved_city, resolved_document


@dataclass(frozen=True)
class ValidContent:
    """Content that passed every check: records with every resolved field set."""

    site: SiteSettings
    cities: tuple[City, ...]
    documents: tuple[Document, ...]
    changes: tuple[ChangeEntry, ...] = ()
    """``changes/*.yaml``: the change log, by file name (which starts with the date)."""

    def citations(self) -> list[SourceRef]:
        """Every resolved citation, in file order."""
        return [ref for record in (*self.cities, *self.documents) for _, ref, _, _ in citations_in(record)]

    def archived_text(self, document_id: str) -> SourceText:
        return next(d.archived_text for d in self.documents if d.id == document_id)


def validate(raw: RawContent, memo: Memo | None = None) -> ValidContent:
    """Check the content; raise :class:`ContentError` listing every problem.

    ``memo`` (``site-gen serve``) keeps each file's checks from the last build,
    so only files that changed, or cite a text that changed, are checked again.
    """
    memo = memo or Memo.off()
    problems = list(raw.problems)
    if raw.ingest_rules is not None:
        rules = raw.ingest_rules
        problems += memo.get("ingest-rules", None, (rules,), lambda: check_ingest_rules(rules)[1])
    site, cities = parse_content(raw, problems, memo)
    changes = parse_changes(raw.changes, problems)
    sources = {key: value.text for key, value in raw.sources.items()}
    problems += check_identities(cities, sources, raw.reported, raw.refused_sources)
    problems += check_references(cities)
    problems += check_source_digests(cities, raw.sources)
    parsed = {d.raw.file_id for c in cities for d in c.documents}
    unparsed = ({d.file_id for c in raw.cities for d in c.documents} - parsed) | raw.refused_sources
    files: dict[str, Resolved] = {}
    resolved, found = check_citations(cities, sources, unparsed, memo, files)
    problems += found
    if problems:
        raise ContentError(problems)

    def city(parsed: ParsedCity) -> City:
        assert parsed.raw.yaml is not None
        mine = files.get(parsed.raw.yaml.path, {})
        summaries = tuple(s.text if s else None for s in (parsed.raw.summary, parsed.raw.summary_en))
        return memo.get("city", summaries, (parsed.record, mine), lambda: resolved_city(parsed, resolved))

    def document(parsed: ParsedDocument) -> Document:
        mine = files.get(parsed.yaml.path, {})
        summaries = tuple(s.text if s else None for s in (parsed.raw.summary, parsed.raw.summary_en))
        text = sources.get(parsed.record.id)
        return memo.get("document", (parsed.city, summaries), (parsed.record, mine, text),
                        lambda: resolved_document(parsed, resolved, sources))

    return ValidContent(
        site=site,
        cities=tuple(city(c) for c in cities if c.record is not None),
        documents=tuple(document(d) for c in cities for d in c.documents),
        changes=changes,
    )
