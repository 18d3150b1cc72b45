"""``site-gen ingest``: turn a scraped page into a clean archived text."""

from __future__ import annotations

import os
from pathlib import Path

from site_gen.errors import BuildError
from site_gen.ingest.clean import IngestReport, clean_text
from site_gen.ingest.rules import load_rules
from site_gen.load.yaml_source import read_text
from site_gen.write import write_file_atomically

RAW_LIMIT = 20_000_000


def ingest_file(raw: Path, document_id: str, content_dir: Path, rules_path: Path,
                force: bool = False) -> tuple[Path, IngestReport]:
    """Clean ``raw`` into ``content_dir/sources/<document_id>.txt``."""
    rules = load_rules(rules_path)
    # The scraped page is named on the command line by whoever runs ingest, so a
    # link there is resolved (once), as for --content; it is still read as a regular file only.
    text, problems = read_text(Path(os.path.realpath(raw)), str(raw), limit=RAW_LIMIT)
    if text is None:
        raise BuildError("; ".join(str(p) for p in problems))
    target = content_dir / "sources" / f"{document_id}.txt"
    if target.exists() and not force:
        raise BuildError(f"{target} exists (use --force to replace it)")
    cleaned, report = clean_text(text, rules)
    write_file_atomically(target, cleaned.encode("utf-8"))
    return target, report
