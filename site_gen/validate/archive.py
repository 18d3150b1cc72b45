"""Archived texts are evidence: each document records the SHA-256 of its text.

``source_sha256`` in ``cities/<slug>/documents/<id>.yaml`` must equal the
SHA-256 of the bytes of ``sources/<id>.txt`` (what ``sha256sum`` prints).  A
pull request that edits an archived text therefore also changes the digest
in the document's YAML, where a reviewer sees it, and ``site-gen diff``
reports it; an accidental or hidden edit fails the build at the field.
``site-gen ingest`` writes the digest whenever it writes a text.
"""

from __future__ import annotations

from site_gen.errors import Problem
from site_gen.load import RawSource
from site_gen.validate.parse import ParsedCity


def check_source_digests(cities: list[ParsedCity], sources: dict[str, RawSource]) -> list[Problem]:
    """A problem for every document whose digest is missing or is not its archived text's."""
    problems = []
    for city in cities:
        for doc in city.documents:
            source = sources.get(doc.record.id)
            if source is None:
                continue  # no archived text: reported by the identity checks
            recorded = doc.record.source_sha256
            if recorded is None:
                problems.append(doc.yaml.problem(("source_sha256",), (
                    f"missing (expected source_sha256: {source.sha256}, the SHA-256 of {source.path}; "
                    "site-gen ingest writes it)")))
            elif recorded != source.sha256:
                problems.append(doc.yaml.problem(("source_sha256",), (
                    f"{source.path} has SHA-256 {source.sha256}, not the one recorded here (expected the "
                    "archived text unchanged; to change it deliberately, re-archive it with site-gen ingest "
                    "--force, which writes the new digest here)")))
    return problems
