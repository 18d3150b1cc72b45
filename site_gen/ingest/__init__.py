"""``site-gen ingest``: turn a scraped page into a clean archived text."""

from __future__ import annotations

import os
from pathlib import Path

from site_gen.errors import BuildError
from site_gen.ingest.clean import IngestReport, clean_text
from site_gen.ingest.digest import sha256_of
from site_gen.ingest.rules import RuleTimeout
from site_gen.load.yaml_source import read_text
from site_gen.write import write_file_atomically

RAW_LIMIT = 20_000_000


def ingest_file(raw: Path, document_id: str, content_dir: Path, rules_path: Path,
                force: bool = False) -> tuple[Path, IngestReport]:
    """Clean ``raw`` into ``content_dir/sources/<document_id>.txt``.

    Raises :class:`~site_gen.errors.ContentError` listing every problem of the
    rules file, and :class:`~site_gen.errors.BuildError` (one line) when the
    raw file cannot be read, the target exists, or a rule runs past its time
    limit on a line.  Nothing is written then.
    """
    # Imported here: site_gen.validate.ingest_rules imports this package's rules module.
    from site_gen.validate.ingest_rules import load_ingest_rules

    rules = load_ingest_rules(rules_path)
    # The scraped page is named on the command line by whoever runs ingest, so a
    # link there is resolved (once), as for --content; it is still read as a regular file only.
    text, problems = read_text(Path(os.path.realpath(raw)), str(raw), limit=RAW_LIMIT)
    if text is None:
        raise BuildError("; ".join(str(p) for p in problems))
    target = content_dir / "sources" / f"{document_id}.txt"
    if target.exists() and not force:
        raise BuildError(f"{target} exists (use --force to replace it)")
    try:
        cleaned, report = clean_text(text, rules)
    except RuleTimeout as timeout:
        raise BuildError(
            f"{raw}:{timeout.line}: rule {timeout.rule.name!r} ({rules.source}: {timeout.rule.where}) "
            f"ran longer than {timeout.seconds:.1f} s on this line and was stopped; nothing was written "
            "(expected a rule that does not backtrack: a repeated group whose parts can match the same "
            "text, such as (a|aa)+ or (a+)+, tries exponentially many ways)"
        ) from None
    data = cleaned.encode("utf-8")
    write_file_atomically(target, data)
    report.sha256 = sha256_of(data)
    return target, report
