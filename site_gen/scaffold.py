"""``site-gen new city|document``: files an editor starts from, valid as written.

Each file carries the ``yaml-language-server`` schema comment (so an editor's
YAML tooling completes and checks fields at once), only facts that were
given or can be known (anything else is ``unknown`` or left out, with a
comment saying what goes there), and nothing that needs a citation yet.  A
document's archived text is made by the real ``site-gen ingest``, and its
digest written as ``source_sha256``.  An existing slug or id is refused; a
new file is never written over an old one.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from site_gen.errors import BuildError
from site_gen.load.tree import Kind, kind_of
from site_gen.write import write_file_atomically

CITY_SCHEMA = "# yaml-language-server: $schema=../../../output/data/schema.json\n"
DOCUMENT_SCHEMA = "# yaml-language-server: $schema=../../../../output/data/schema.json\n"
# Summaries start empty: every sentence of a summary must be supported by a
# paragraph in ``summary_sources``, so the editor writes both together.  Pages
# say that a summary is not written yet while the file is empty.
CITY_SUMMARY = ""
DOCUMENT_SUMMARY = ""


def _text(value: str) -> str:
    """A YAML scalar for ``value``: JSON's double-quoted strings are YAML too, and say exactly one thing."""
    return json.dumps(value, ensure_ascii=False)


@dataclass(frozen=True)
class Scaffold:
    files: tuple[Path, ...]


def _refuse_existing(*paths: Path) -> None:
    for path in paths:
        if kind_of(path) is not Kind.MISSING:
            raise BuildError(f"{path} exists (expected a new slug or id; edit the existing files instead)")


def _write(files: dict[Path, str]) -> Scaffold:
    written = []
    try:
        for path, text in files.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            write_file_atomically(path, text.encode("utf-8"))
            written.append(path)
    except OSError as exc:
        for path in written:
            path.unlink(missing_ok=True)
        raise BuildError(f"cannot write {exc.filename or 'the new files'}: {exc.strerror}") from None
    return Scaffold(tuple(written))


def city_files(slug: str, name: str, name_en: str, kind: str, code: int | None) -> tuple[str, str]:
    """(city.yaml, city.md) for a new city."""
    code_line = (f"code: {code}                # 行政区划代码 (GB/T 2260); orders the city lists\n" if code
                 else "# code: 210000            # 行政区划代码 (GB/T 2260); orders the city lists\n")
    yaml_text = (
        CITY_SCHEMA
        + f"slug: {slug}\n"
        + f"name: {_text(name)}\n"
        + f"name_en: {_text(name_en)}\n"
        + f"kind: {kind}                 # city | province\n"
        + code_line
        + "zones: []                  # each zone: id, name, short_name, level, source (see content/README.md)\n"
        + "# summary_sources:          # the paragraphs city.md draws on, once it is written: document, locator, quote\n"
    )
    return yaml_text, CITY_SUMMARY


def new_city(content_dir: Path, slug: str, name: str, name_en: str, kind: str = "city",
             code: int | None = None) -> Scaffold:
    folder = content_dir / "cities" / slug
    _refuse_existing(folder)
    yaml_text, summary = city_files(slug, name, name_en, kind, code)
    return _write({folder / "city.yaml": yaml_text, folder / "city.md": summary})


def guess_title(text: str) -> str | None:
    """The first line of an archived text, when it can be a title (at most 200 characters)."""
    first = next((line.strip() for line in text.splitlines() if line.strip()), "")
    return first if 0 < len(first) <= 200 else None


def document_files(document_id: str, title: str, digest: str, title_from_text: bool) -> tuple[str, str]:
    """(<id>.yaml, <id>.md) for a new document whose archived text has ``digest``."""
    note = "   # the first line of the archived text: check it" if title_from_text else ""
    yaml_text = (
        DOCUMENT_SCHEMA
        + f"id: {document_id}\n"
        + f"source_sha256: {digest}   # of sources/{document_id}.txt; site-gen ingest --force rewrites it\n"
        + f"title: {_text(title)}{note}\n"
        + "# short_title: ...          # optional: a shorter title for lists\n"
        + "issuer: unknown             # 发文机关 as the text gives it\n"
        + "number: unknown             # 文号 exactly as printed, e.g. 锦政发〔2021〕10号\n"
        + "issued: unknown             # YYYY-MM-DD\n"
        + "# period: {start: 2021, end: 2024}   # the years a plan covers; either may be unknown\n"
        + "measures: []                # support offers: see content/README.md, \"A measure\"\n"
        + "targets: []                 # numeric goals: see content/README.md, \"A target\"\n"
        + "# summary_sources:           # the paragraphs the summary (.md) draws on, once it is written: locator, quote\n"
    )
    return yaml_text, DOCUMENT_SUMMARY


def document_paths(content_dir: Path, city: str, document_id: str) -> tuple[Path, Path, Path]:
    """(<id>.yaml, <id>.md, sources/<id>.txt)."""
    folder = content_dir / "cities" / city / "documents"
    return folder / f"{document_id}.yaml", folder / f"{document_id}.md", content_dir / "sources" / f"{document_id}.txt"


def check_new_document(content_dir: Path, city: str, document_id: str) -> None:
    """Refuse a city that does not exist and an id some file already has."""
    if kind_of(content_dir / "cities" / city / "city.yaml") is not Kind.FILE:
        raise BuildError(f"no city {city!r} (expected {content_dir}/cities/{city}/city.yaml; "
                         f"make it first with site-gen new city {city})")
    taken = sorted(str(p) for p in (content_dir / "cities").glob(f"*/documents/{document_id}.yaml"))
    _refuse_existing(*document_paths(content_dir, city, document_id), *map(Path, taken))


def write_document(content_dir: Path, city: str, document_id: str, title: str, digest: str,
                   title_from_text: bool) -> Scaffold:
    yaml_path, summary_path, _ = document_paths(content_dir, city, document_id)
    _refuse_existing(yaml_path, summary_path)
    yaml_text, summary = document_files(document_id, title, digest, title_from_text)
    return _write({yaml_path: yaml_text, summary_path: summary})
