"""Write an archived text's SHA-256 into its document's YAML, in place.

``site-gen ingest`` archives a text; the document that cites it records the
text's digest as ``source_sha256`` (checked by the build, see
:mod:`site_gen.validate.archive`).  Only that one top-level line of the
document file is touched — or, when the file has none yet, one line is
inserted after ``id:`` — so the editor's layout and comments stay as written,
and the pull request shows exactly one changed line beside the changed text.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from site_gen.errors import BuildError
from site_gen.load.tree import Kind, kind_of
from site_gen.load.yaml_source import parse_yaml, read_text
from site_gen.write import write_file_atomically

FIELD = "source_sha256"
_LINE = re.compile(rf"^{FIELD}[ \t]*:[ \t]*(?P<value>[^\s#]*)(?P<comment>[ \t]+#[^\r\n]*)?[ \t]*(?=\r?$)", re.M)
_ID_LINE = re.compile(r"^id[ \t]*:[^\r\n]*(?:\r?\n|$)", re.M)


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def document_files(content_dir: Path, document_id: str) -> list[Path]:
    """Every ``cities/*/documents/<id>.yaml`` that is a regular file (never a link)."""
    cities = content_dir / "cities"
    if kind_of(cities) is not Kind.FOLDER:
        return []
    return sorted(path for path in cities.glob(f"*/documents/{document_id}.yaml") if kind_of(path) is Kind.FILE)


def with_digest(text: str, digest: str) -> str:
    """``text`` with its top-level ``source_sha256`` set to ``digest`` (inserted after ``id:`` if absent)."""
    line = f"{FIELD}: {digest}"
    if _LINE.search(text):
        return _LINE.sub(lambda m: line + (m.group("comment") or ""), text)
    found = _ID_LINE.search(text)
    newline = "\r\n" if "\r\n" in text else "\n"
    if found is None:  # no id line: put it first, after the leading comments
        lead = re.match(r"(?:#[^\n]*\n|[ \t]*\n)*", text)
        at = lead.end() if lead else 0
    else:
        at = found.end()
        if not found.group(0).endswith("\n"):
            text, at = text + newline, at + len(newline)
    return text[:at] + line + newline + text[at:]


def record_digest(document_file: Path, digest: str) -> bool:
    """Set the digest in ``document_file``; False when it already held it (nothing written).

    Raises :class:`BuildError` when the file cannot be read, or when the
    result would not hold the digest as its ``source_sha256`` (a layout this
    line-wise edit does not understand): then nothing is written.
    """
    text, problems = read_text(document_file, str(document_file))
    if text is None:
        raise BuildError("; ".join(str(p) for p in problems))
    updated = with_digest(text, digest)
    if updated == text:
        return False
    parsed, _ = parse_yaml(updated, str(document_file))
    data = parsed.data if parsed is not None else None
    if not isinstance(data, dict) or data.get(FIELD) != digest:
        raise BuildError(f"{document_file}: cannot set {FIELD} in this file's layout; nothing was changed "
                         f"(expected a top-level line: {FIELD}: {digest})")
    write_file_atomically(document_file, updated.encode("utf-8"))
    return True
