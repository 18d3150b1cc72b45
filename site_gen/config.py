"""Build configuration: everything the build depends on besides content/."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path


def build_date() -> dt.date:
    """The date statuses are computed against.

    ``SOURCE_DATE_EPOCH`` (the reproducible-builds convention) fixes it, so a
    build can be repeated exactly; otherwise it is today.
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc).date()
    return dt.date.today()


@dataclass(frozen=True)
class BuildConfig:
    """Where to read, where to write, and how.

    ``base_url`` is only used for absolute links that must be absolute
    (canonical links, sitemap, the 404 page); every other link is relative,
    so the output works under any path on any static host.
    """

    content_dir: Path = Path("content")
    out_dir: Path = Path("output")
    templates_dir: Path = Path("templates")
    base_url: str = ""
    today: dt.date = dt.date(2000, 1, 1)
    search: bool = True
