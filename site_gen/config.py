"""Build configuration: everything the build depends on besides content/."""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

# RFC 3986's characters: unreserved, reserved and %; anything else must be percent-encoded.
_URL_CHARACTERS = re.compile(r"[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]*")

from site_gen.errors import BuildError, printable

# SOURCE_DATE_EPOCH is whole seconds since 1970-01-01 00:00:00 UTC, written in
# ASCII digits (https://reproducible-builds.org/specs/source-date-epoch/).  The
# largest accepted is the last second of 9999-12-31, the last day Python's
# dates can hold; negative values (dates before 1970) are refused.
MAX_EPOCH = 253402300799


def build_date() -> dt.date:
    """The date statuses are computed against.

    ``SOURCE_DATE_EPOCH`` (the reproducible-builds convention) fixes it, so a
    build can be repeated exactly; otherwise it is today.  Unset or empty
    means today; surrounding white space is ignored; anything other than
    ASCII digits from 0 to 253402300799 is a :class:`BuildError`, because a
    build that silently used today's date instead would not be the build
    that was asked for.
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not epoch:
        return dt.date.today()
    if not re.fullmatch(r"[0-9]{1,20}", epoch) or int(epoch) > MAX_EPOCH:
        shown = printable(epoch if len(epoch) <= 40 else epoch[:40] + "…")
        raise BuildError(
            f"SOURCE_DATE_EPOCH='{shown}' is not a build date (expected whole seconds since "
            f"1970-01-01 UTC, ASCII digits from 0 to {MAX_EPOCH}, e.g. 1795392000; or unset it for today)"
        )
    return dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc).date()


def base_url_problem(url: str) -> str | None:
    """Why ``url`` cannot be the site's public address, or None if it can.

    It becomes the canonical link of every page, the sitemap's addresses, the
    404 page's base and a line of robots.txt, so it must be exactly an
    absolute web address: ``http`` or ``https``, a host, no credentials, no
    query or fragment, and only URL characters — a raw newline would add a
    line to robots.txt, and ``javascript:`` would become every page's canonical link.
    """
    if not url.isascii() or not url.isprintable():
        bad = next(ch for ch in url if not (ch.isascii() and ch.isprintable()))
        if bad.isprintable() and not bad.isspace():
            return f"{url!r} holds {bad!r} (expected ASCII; percent-encode the path and use punycode for the host)"
        return f"{url!r} holds the character {bad!r} (expected no whitespace or control characters)"
    if not _URL_CHARACTERS.fullmatch(url):
        bad = next(ch for ch in url if not _URL_CHARACTERS.fullmatch(ch))
        return f"{url!r} holds {bad!r} (expected only URL characters; percent-encode the rest)"
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https"):
        return f"{url!r} is not an http:// or https:// address (expected e.g. https://example.org/policy/)"
    if "@" in parts.netloc:  # not echoed: it may be a password
        return "the address holds a user name or password (expected none: it is published on every page)"
    if not parts.hostname:
        return f"{url!r} has no host (expected e.g. https://example.org/policy/)"
    try:
        parts.port
    except ValueError:
        return f"{url!r} has an invalid port (expected a number from 1 to 65535)"
    if "?" in url or "#" in url:
        return f"{url!r} has a query or fragment (expected the address of the site's root folder only)"
    return None


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
    template_cache: Path | None = None
    """Where compiled templates are kept from one build to the next (None: compiled by every build).

    Only the time to compile is saved: a template is compiled again whenever
    its source, the catalogue of its edition, Jinja or site-gen's compiler
    changes (:class:`~site_gen.render.environment.TemplateCache`).  The
    commands use :func:`template_cache_dir`.
    """


def template_cache_dir() -> Path | None:
    """``$SITE_GEN_CACHE_DIR``, else ``$XDG_CACHE_HOME/site-gen``, else ``~/.cache/site-gen``; ``off`` for none."""
    chosen = os.environ.get("SITE_GEN_CACHE_DIR", "").strip()
    if chosen.lower() in ("off", "0", "none", "no"):
        return None
    if chosen:
        return Path(chosen)
    xdg = os.environ.get("XDG_CACHE_HOME", "").strip()
    base = Path(xdg) if xdg and Path(xdg).is_absolute() else Path.home() / ".cache"
    return base / "site-gen"


def out_dir_conflict(out_dir: Path, **inputs: Path) -> str | None:
    """Why ``out_dir`` cannot be written, if it overlaps an input folder.

    Each build replaces ``out_dir`` entirely, so it must not be, contain or
    lie inside ``content/`` or ``templates/`` (the swap would delete them, and
    ``serve`` would rebuild forever on its own output).  Paths are compared
    after resolving symbolic links, so a link to ``content/`` is caught too.
    """
    out = Path(os.path.realpath(out_dir))
    for option, folder in inputs.items():
        real = Path(os.path.realpath(folder))
        if out == real:
            relation = "is"
        elif real in out.parents:
            relation = "is inside"
        elif out in real.parents:
            relation = "contains"
        else:
            continue
        return (f"{out_dir} {relation} the {option} folder {folder}; every build replaces --out "
                f"entirely, so choose a folder outside {option}")
    return None
