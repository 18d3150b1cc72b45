"""Stage 1, load: read the content tree into raw data that remembers its origin.

The tree (Hugo-like: a section per city, a data file per document)::

    content/
      site.yaml                       site title and description (optional)
      ingest-rules.yaml               rules site-gen ingest cleans scraped pages with (optional)
      changes/<date>-<name>.yaml      the change log shown on /changes/, one entry per file (optional)
      sources/<document-id>.txt       archived official texts
      cities/<slug>/city.yaml         the city and its high-tech zones
      cities/<slug>/city.md           our summary of the city
      cities/<slug>/city.en.md        our English summary of the city (optional)
      cities/<slug>/documents/<document-id>.yaml   a document, its measures and targets
      cities/<slug>/documents/<document-id>.md     our summary of the document
      cities/<slug>/documents/<document-id>.en.md  our English summary (optional)

Nothing here judges the data; it only reads it, keeping the file, line and
column of every value.  Unreadable files become problems, not exceptions.
Because content arrives from outsiders, reading is also the first gate: links,
special files and entries of the wrong kind are refused (:mod:`site_gen.load.tree`),
and so are invisible and control characters and search-index markers in any
text (:mod:`site_gen.load.characters`).
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Mapping, TypeVar

from site_gen import parallel
from site_gen.errors import Problem
from site_gen.load.characters import markdown_problems, text_problems
from site_gen.load.tree import Kind, entries, kind_of, refusal
from site_gen.load.yaml_source import YamlDocument, parse_yaml, read_text_and_digest
from site_gen.memo import Memo
from site_gen.sourcetext import SourceText, parse_source_text

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

TOP_LEVEL_FILES = {"README.md", "site.yaml", "ingest-rules.yaml"}

PARALLEL_CITIES = 100
"""From this many city folders a one-shot build reads them on two processors (:meth:`_Walk.cities`)."""

CITY_BATCHES = 32
"""The city folders are handed to the two processes in this many batches: each batch's result is pickled once,
so a field name is one string per batch, not per file."""

T = TypeVar("T")

SETTLED_NS = 2_000_000_000
"""A file last changed longer ago than this (2 s: the coarsest file-time step, FAT's) is not read again
by ``site-gen serve`` while its status stays the same (:meth:`_Walk.read`)."""


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
    summary_en: MarkdownFile | None = None


@dataclass
class RawCity:
    folder: str
    path: str
    yaml: YamlDocument | None
    summary: MarkdownFile | None
    documents: list[RawDocument] = field(default_factory=list)
    summary_en: MarkdownFile | None = None


@dataclass
class RawSource:
    path: str
    text: SourceText
    sha256: str = ""
    """SHA-256 of the file's bytes, which the document's ``source_sha256`` must equal."""


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
    changes: dict[str, YamlDocument] = field(default_factory=dict)
    """``changes/<name>.yaml`` by name: the change log readers see on ``/changes/``, one entry per file
    (``site-gen diff --record`` adds one)."""

    @property
    def reported(self) -> set[str]:
        """Files a problem was reported for while reading (so checks need not report them again)."""
        return {p.file for p in self.problems}

    @property
    def refused_sources(self) -> set[str]:
        """Document ids whose archived text exists but could not be read."""
        folder = Path(self.root, "sources").as_posix()
        return {Path(f).stem for f in self.reported
                if f.endswith(".txt") and Path(f).parent.as_posix() == folder} - set(self.sources)


def editor_leftover(name: str) -> bool:
    """A name editors give the backups and temporary files they leave beside a file.

    ``city.yaml~`` (Emacs, gedit, nano's backups), ``#city.md#`` (Emacs'
    autosave), ``flycheck_city.yaml`` (Emacs' checker): never content, so
    left out as hidden names are (Vim's ``.city.yaml.swp`` is hidden), as
    Jekyll leaves them out.  The preview's file watcher (watchfiles' default
    filter) does not report the first and last kinds either, so saving one
    rebuilds nothing.  A link by such a name is still refused (by ``serve``
    once that folder is walked again: its watcher does not report the name).
    """
    return name.endswith("~") or name.startswith("flycheck_") or (
        len(name) > 2 and name.startswith("#") and name.endswith("#"))


class _Walk:
    """One pass over a content folder: what was read, and every problem met.

    The root is resolved once (so ``--content`` may name a link); below it,
    nothing that is a link or a special file is ever opened or entered.
    Paths are shown as the root was given.
    """

    def __init__(self, root: Path, memo: Memo, city_versions: Mapping[str, int] | None = None):
        self.shown_root = root
        self.real_root = Path(os.path.realpath(root))
        self.problems: list[Problem] = []
        self.memo = memo
        self.city_versions = city_versions if memo.enabled else None
        # display() by string slicing, as (shown_root / relative).as_posix() gives it (a Path drops a "." root)
        self._real_prefix = str(self.real_root).rstrip(os.sep) + os.sep
        shown = self.shown_root.as_posix()
        self._shown_prefix = "" if shown == "." else shown.rstrip("/") + "/"

    def display(self, path: Path) -> str:
        """``path`` (under the real root) as the root was given: ``content/cities/x/city.yaml``."""
        text = str(path)
        if text.startswith(self._real_prefix):
            relative = text[len(self._real_prefix):]
            return f"{self._shown_prefix}{relative}" if self._shown_prefix else relative
        return (self.shown_root / path.relative_to(self.real_root)).as_posix()

    @cached_property
    def markdown_parser(self) -> MarkdownIt:
        """The site's Markdown parser (:func:`site_gen.markdown.make_markdown`), made once for every summary."""
        from site_gen.markdown import make_markdown

        return make_markdown()

    def refuse(self, path: Path, kind: Kind, expected: str) -> None:
        self.problems.append(refusal(path, self.display(path), kind, expected))

    def unexpected(self, path: Path, expected: str) -> None:
        self.problems.append(Problem(self.display(path), 1, 1, "file", f"unexpected file (expected {expected})"))

    def listing(self, folder: Path) -> dict[str, Kind]:
        """A folder's entries by name, hidden ones and editors' leftovers (:func:`editor_leftover`) left out;
        links and special files are refused here (those too), so callers pass over them without a second problem."""
        try:
            found = entries(folder)
        except OSError as exc:
            self.problems.append(Problem(self.display(folder), 1, 1, "file", f"cannot read folder: {exc.strerror}"))
            return {}
        kept = {}
        for name, kind in found:
            if kind.special:
                self.refuse(folder / name, kind, "a regular file or folder")
            if not name.startswith(".") and not editor_leftover(name):
                kept[name] = kind
        return kept

    def file(self, folder: Path, listing: dict[str, Kind], name: str) -> Path | None:
        """``folder/name`` if it is a regular file; a problem if it is a folder; None if absent."""
        kind = listing.get(name, Kind.MISSING)
        if kind is Kind.FOLDER:
            self.refuse(folder / name, kind, "a file")
        return folder / name if kind is Kind.FILE else None

    def folder(self, parent: Path, listing: dict[str, Kind], name: str, expected: str) -> Path | None:
        """``parent/name`` if it is a folder; a problem if it is a file; None if absent."""
        kind = listing.get(name, Kind.MISSING)
        if kind is Kind.FILE:
            self.refuse(parent / name, kind, expected)
        return parent / name if kind is Kind.FOLDER else None

    def read(self, path: Path, display: str) -> tuple[str | None, str | None, list[Problem]]:
        """:func:`read_text_and_digest`; with a memo, the last build's result for a file whose status is the same.

        A file is read again when anything of ``lstat`` that a write changes
        differs (inode, size, mode, modification and change times): any
        write, rename over it or ``touch`` moves its change time, which no
        program can set back.  A file changed within :data:`SETTLED_NS` of
        being read is read every time, as two writes that close together may
        leave the same times behind (as git treats "racily clean" files).
        """
        if not self.memo.enabled:
            return read_text_and_digest(path, display)
        try:
            status = os.lstat(path)
        except OSError:
            return read_text_and_digest(path, display)
        if time.time_ns() - status.st_ctime_ns < SETTLED_NS:
            return read_text_and_digest(path, display)
        signature = (status.st_dev, status.st_ino, status.st_mode, status.st_size,
                     status.st_mtime_ns, status.st_ctime_ns)
        return self.memo.get("read", (display, signature), (), lambda: read_text_and_digest(path, display))

    def text(self, path: Path) -> str | None:
        text, _, found = self.read(path, self.display(path))
        self.problems.extend(found)
        return text

    def markdown(self, path: Path | None) -> MarkdownFile | None:
        if path is None:
            return None
        text = self.text(path)
        if text is None:
            return None
        display = self.display(path)
        file, found = self.memo.get("markdown", (display, text), (), lambda: (
            MarkdownFile(display, text), markdown_problems(text, display, self.markdown_parser)))
        self.problems.extend(found)
        return file

    def yaml(self, path: Path) -> YamlDocument | None:
        display = self.display(path)
        text = self.text(path)
        if text is None:
            return None
        doc, found = self.memo.get("yaml", (display, text), (), lambda: parse_yaml(text, display))
        self.problems.extend(found)
        return doc

    def kept_city(self, folder: Path) -> RawCity:
        """:meth:`city`, or the last build's walk of a city folder in which nothing changed since.

        Only with ``city_versions``: ``site-gen serve``, whose file watcher
        ran throughout, counts the changes it reported in each city folder,
        so a folder whose count is the one of the last build holds what that
        build read, and is not listed nor its files looked at again.  A
        folder with a change is walked as always (each file's status checked).
        """
        if self.city_versions is None:
            return self.city(folder)
        version = self.city_versions.get(folder.name, 0)
        city, found = self.memo.get("city", (self.display(folder), version), (),
                                    lambda: self.apart(lambda: self.city(folder)))
        self.problems.extend(found)
        return city

    def apart(self, read: Callable[[], T]) -> tuple[T, list[Problem]]:
        """``read()``, and the problems it met, kept apart from this walk's."""
        start = len(self.problems)
        result = read()
        found = self.problems[start:]
        del self.problems[start:]
        return result, found

    def cities(self, folders: list[Path], meanwhile: Callable[[], T]) -> tuple[list[RawCity], T]:
        """Every city folder walked (:meth:`kept_city`), and what ``meanwhile`` reads.

        A one-shot build of :data:`PARALLEL_CITIES` cities or more walks them
        on two processors (:func:`site_gen.parallel.map_in_two`), a few
        dozen folders at a time; this process reads ``meanwhile`` (the
        archived texts) first, while the other starts on the folders.  The
        problems are those, in the order, of one process.  ``site-gen serve``
        reads in this process, where its memo keeps what each file gave.
        """
        if self.memo.enabled or len(folders) < PARALLEL_CITIES or parallel.processes() < 2:
            return [self.kept_city(folder) for folder in folders], meanwhile()
        size = -(-len(folders) // CITY_BATCHES)
        batches = [folders[i:i + size] for i in range(0, len(folders), size)]
        rest: list[tuple[T, list[Problem]]] = []
        walked = parallel.map_in_two(
            batches, lambda batch: [self.apart(lambda: self.city(folder)) for folder in batch],
            lambda batch: self.display(batch[0]), meanwhile=lambda: rest.append(self.apart(meanwhile)))
        cities = []
        for batch in walked:
            for city, found in batch:
                cities.append(city)
                self.problems.extend(found)
        result, found = rest[0]
        self.problems.extend(found)
        return cities, result

    def city(self, folder: Path) -> RawCity:
        listing = self.listing(folder)
        city_yaml = self.file(folder, listing, "city.yaml")
        city = RawCity(
            folder=folder.name,
            path=self.display(folder),
            yaml=self.yaml(city_yaml) if city_yaml else None,
            summary=self.markdown(self.file(folder, listing, "city.md")),
            summary_en=self.markdown(self.file(folder, listing, "city.en.md")),
        )
        if "city.yaml" not in listing:
            self.problems.append(Problem(self.display(folder / "city.yaml"), 1, 1, "file",
                                         "missing city.yaml (every city folder needs one)"))
        for name, kind in listing.items():
            if name not in ("city.yaml", "city.md", "city.en.md", "documents") and not kind.special:
                self.unexpected(folder / name, "city.yaml, city.md, city.en.md or documents/")
        documents = self.folder(folder, listing, "documents", "a folder of <document-id>.yaml files")
        if documents is not None:
            city.documents = self.documents(documents)
        return city

    def documents(self, folder: Path) -> list[RawDocument]:
        listing = self.listing(folder)
        found = []
        for name, kind in listing.items():
            entry = folder / name
            if kind.special or (entry.suffix == ".md" and _summary_of(name) in listing):
                continue  # refused already, or read with its YAML
            if kind is Kind.FOLDER:
                self.refuse(entry, kind, "a file")
            elif entry.suffix == ".yaml":
                doc = self.yaml(entry)
                if doc is not None:
                    summary = self.markdown(self.file(folder, listing, entry.with_suffix(".md").name))
                    summary_en = self.markdown(self.file(folder, listing, entry.with_suffix(".en.md").name))
                    found.append(RawDocument(entry.stem, doc, summary, summary_en))
            else:
                self.unexpected(entry, "<document-id>.yaml with its <document-id>.md (and <document-id>.en.md)")
        return found

    def sources(self, folder: Path) -> dict[str, RawSource]:
        sources: dict[str, RawSource] = {}
        for name, kind in self.listing(folder).items():
            entry = folder / name
            if kind.special:
                continue
            if kind is Kind.FOLDER:
                self.refuse(entry, kind, "a file")
                continue
            if entry.suffix != ".txt":
                self.unexpected(entry, "<document-id>.txt")
                continue
            display, stem = self.display(entry), entry.stem
            text, digest, found = self.read(entry, display)
            self.problems.extend(found)
            if text is not None and digest is not None:
                source, found = self.memo.get("source", (display, stem, text, digest), (), lambda: (
                    RawSource(display, parse_source_text(stem, text), digest), text_problems(text, display)))
                self.problems.extend(found)
                sources[stem] = source
        return sources

    def changes(self, folder: Path) -> dict[str, YamlDocument]:
        found = {}
        for name, kind in self.listing(folder).items():
            entry = folder / name
            if kind.special:
                continue
            if kind is Kind.FOLDER:
                self.refuse(entry, kind, "a file")
            elif entry.suffix != ".yaml":
                self.unexpected(entry, "<date>-<name>.yaml")
            else:
                doc = self.yaml(entry)
                if doc is not None:
                    found[entry.stem] = doc
        return found

    def content(self) -> RawContent:
        root = self.real_root
        shown = self.shown_root.as_posix()
        kind = kind_of(root)
        if kind is not Kind.FOLDER:
            message = ("content folder not found" if kind is Kind.MISSING
                       else f"the content folder is a {kind.value} (expected a folder)")
            return RawContent(shown, None, [], {}, [Problem(shown, 1, 1, "file", message)])
        listing = self.listing(root)
        for name in sorted(TOP_LEVEL_FILES - {"site.yaml", "ingest-rules.yaml"}):
            self.file(root, listing, name)  # not read here, but never a folder
        site_yaml = self.file(root, listing, "site.yaml")
        site = self.yaml(site_yaml) if site_yaml else None
        rules_yaml = self.file(root, listing, "ingest-rules.yaml")
        ingest_rules = self.yaml(rules_yaml) if rules_yaml else None
        folders = []
        cities_dir = self.folder(root, listing, "cities", "a folder holding one folder per city")
        if cities_dir is not None:
            for name, kind in self.listing(cities_dir).items():
                if kind is Kind.FOLDER:
                    folders.append(cities_dir / name)
                elif not kind.special:
                    self.unexpected(cities_dir / name, "a folder per city")
        sources_dir = self.folder(root, listing, "sources", "a folder of <document-id>.txt files")
        changes_dir = self.folder(root, listing, "changes", "a folder of <date>-<name>.yaml change-log entries")
        cities, (sources, changes) = self.cities(folders, lambda: (
            self.sources(sources_dir) if sources_dir is not None else {},
            self.changes(changes_dir) if changes_dir is not None else {}))
        for name, kind in listing.items():
            if name not in TOP_LEVEL_FILES | {"cities", "sources", "changes"} and not kind.special:
                self.unexpected(root / name, "site.yaml, ingest-rules.yaml, README.md, cities/, sources/ or changes/")
        return RawContent(shown, site, cities, sources, self.problems, ingest_rules, changes)


def load_content(root: Path, memo: Memo | None = None, city_versions: Mapping[str, int] | None = None) -> RawContent:
    """Read the content folder at ``root``; ``memo`` keeps what files unchanged since the last build gave.

    ``city_versions`` (a count of changes by city folder name, from a file
    watcher that ran since the last build) lets a city folder with no change
    be taken whole from the memo (:meth:`_Walk.kept_city`).
    """
    return _Walk(root, memo or Memo.off(), city_versions).content()


def _summary_of(name: str) -> str:
    """The YAML file a summary belongs to: ``x.md`` and ``x.en.md`` both belong to ``x.yaml``."""
    return name.removesuffix(".md").removesuffix(".en") + ".yaml"
