"""Stage 1, load: read the content tree into raw data that remembers its origin.

The tree (Hugo-like: a section per city, a data file per document)::

    content/
      site.yaml                       site title and description (optional)
      ingest-rules.yaml               rules site-gen ingest cleans scraped pages with (optional)
      sources/<document-id>.txt       archived official texts
      cities/<slug>/city.yaml         the city and its high-tech zones
      cities/<slug>/city.md           our summary of the city
      cities/<slug>/documents/<document-id>.yaml   a document, its measures and targets
      cities/<slug>/documents/<document-id>.md     our summary of the document

Nothing here judges the data; it only reads it, keeping the file, line and
column of every value.  Unreadable files become problems, not exceptions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from site_gen.errors import Problem
from site_gen.load.yaml_source import YamlDocument, load_yaml, read_text
from site_gen.sourcetext import SourceText, parse_source_text

TOP_LEVEL_FILES = {"README.md", "site.yaml", "ingest-rules.yaml"}


@dataclass
class MarkdownFile:
    path: str
    text: str


@dataclass
class RawDocument:
    """A document's YAML and summary, as read."""

    file_id: str
    yaml: YamlDocument
    summary: MarkdownFile | None


@dataclass
class RawCity:
    folder: str
    path: str
    yaml: YamlDocument | None
    summary: MarkdownFile | None
    documents: list[RawDocument] = field(default_factory=list)


@dataclass
class RawSource:
    path: str
    text: SourceText


@dataclass
class RawContent:
    """Everything read from a content folder, plus what could not be read."""

    root: str
    site: YamlDocument | None
    cities: list[RawCity]
    sources: dict[str, RawSource]
    problems: list[Problem]
    ingest_rules: YamlDocument | None = None
    """``ingest-rules.yaml``: not part of the site, but content that arrives by pull request."""


def _display(path: Path) -> str:
    return path.as_posix()


def _unexpected(path: Path, expected: str) -> Problem:
    return Problem(_display(path), 1, 1, "file", f"unexpected file (expected {expected})")


def _read_markdown(path: Path, problems: list[Problem]) -> MarkdownFile | None:
    if not path.is_file():
        return None
    text, found = read_text(path, _display(path))
    problems.extend(found)
    return MarkdownFile(_display(path), text) if text is not None else None


def _read_yaml(path: Path, problems: list[Problem]) -> YamlDocument | None:
    doc, found = load_yaml(path, _display(path))
    problems.extend(found)
    return doc


def _load_city(folder: Path, problems: list[Problem]) -> RawCity:
    city_yaml = folder / "city.yaml"
    city = RawCity(
        folder=folder.name,
        path=_display(folder),
        yaml=_read_yaml(city_yaml, problems) if city_yaml.is_file() else None,
        summary=_read_markdown(folder / "city.md", problems),
    )
    if not city_yaml.is_file():
        problems.append(Problem(_display(city_yaml), 1, 1, "file", "missing city.yaml (every city folder needs one)"))
    for entry in sorted(folder.iterdir()):
        if entry.name in ("city.yaml", "city.md", "documents") or entry.name.startswith("."):
            continue
        problems.append(_unexpected(entry, "city.yaml, city.md or documents/"))
    documents = folder / "documents"
    if documents.is_dir():
        city.documents = _load_documents(documents, problems)
    return city


def _load_documents(folder: Path, problems: list[Problem]) -> list[RawDocument]:
    found = []
    for entry in sorted(folder.iterdir()):
        if entry.name.startswith("."):
            continue
        if entry.suffix == ".yaml" and entry.is_file():
            doc = _read_yaml(entry, problems)
            if doc is not None:
                summary = _read_markdown(entry.with_suffix(".md"), problems)
                found.append(RawDocument(entry.stem, doc, summary))
        elif entry.suffix == ".md" and entry.with_suffix(".yaml").is_file():
            continue
        else:
            problems.append(_unexpected(entry, "<document-id>.yaml with its <document-id>.md"))
    return found


def _load_sources(folder: Path, problems: list[Problem]) -> dict[str, RawSource]:
    sources: dict[str, RawSource] = {}
    if not folder.is_dir():
        return sources
    for entry in sorted(folder.iterdir()):
        if entry.name.startswith("."):
            continue
        if entry.suffix != ".txt" or not entry.is_file():
            problems.append(_unexpected(entry, "<document-id>.txt"))
            continue
        text, found = read_text(entry, _display(entry))
        problems.extend(found)
        if text is not None:
            sources[entry.stem] = RawSource(_display(entry), parse_source_text(entry.stem, text))
    return sources


def load_content(root: Path) -> RawContent:
    """Read the content folder at ``root``."""
    problems: list[Problem] = []
    if not root.is_dir():
        problems.append(Problem(_display(root), 1, 1, "file", "content folder not found"))
        return RawContent(_display(root), None, [], {}, problems)
    site_yaml = root / "site.yaml"
    site = _read_yaml(site_yaml, problems) if site_yaml.is_file() else None
    rules_yaml = root / "ingest-rules.yaml"
    ingest_rules = _read_yaml(rules_yaml, problems) if rules_yaml.is_file() else None
    cities_dir = root / "cities"
    cities = []
    if cities_dir.is_dir():
        for folder in sorted(cities_dir.iterdir()):
            if folder.name.startswith("."):
                continue
            if folder.is_dir():
                cities.append(_load_city(folder, problems))
            else:
                problems.append(_unexpected(folder, "a folder per city"))
    for entry in sorted(root.iterdir()):
        if entry.name.startswith(".") or entry.name in TOP_LEVEL_FILES | {"cities", "sources"}:
            continue
        problems.append(_unexpected(entry, "site.yaml, README.md, cities/ or sources/"))
    return RawContent(_display(root), site, cities, _load_sources(root / "sources", problems), problems,
                      ingest_rules)
