"""Where a document's archived text came from and when, as its page says it.

Only what the content records is shown: the official page (``source_url``)
and the day the text was retrieved (``retrieved``).  Either left out is
未记录 on the page — never guessed.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from site_gen.derive.status import format_date
from site_gen.derive.views import DocumentView

UNRECORDED = "未记录"


@dataclass(frozen=True)
class SourceInfo:
    url: str | None
    """The official page, when recorded."""
    host: str
    """Its host, shown as the link's text (or 未记录)."""
    retrieved_text: str
    retrieved_iso: str | None


def source_info(document: DocumentView) -> SourceInfo:
    record = document.record
    url = record.source_url
    return SourceInfo(
        url=url,
        host=(urlsplit(url).hostname or url) if url else UNRECORDED,
        retrieved_text=format_date(record.retrieved, UNRECORDED),
        retrieved_iso=record.retrieved.isoformat() if record.retrieved else None,
    )
