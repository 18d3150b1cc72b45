"""Every URL and public anchor of the site, in one place.

These are the public contract of the README's URL table: links to them are
shared, so they only ever change here, on purpose.  Every URL is relative to
the site root (``cities/jinzhou/``); the render stage makes it relative to
the page it appears on, so the site works under any path on any host.
Pages use "pretty URLs": ``cities/jinzhou/`` is the file
``cities/jinzhou/index.html`` (:func:`page_file`).

Anchors join a slug and a suffix with ``--``, which no slug can contain, so
an anchor of one kind never equals one of another.
"""

from __future__ import annotations

HOME = ""
CITIES = "cities/"
DOCUMENTS = "documents/"
COMPARE = "compare/"
SEARCH = "search/"
ABOUT = "about/"
NOT_FOUND = "404.html"
SCHEMA = "data/schema.json"
CHANGES = "changes/"
CHANGES_FEED = "changes/feed.xml"
HEADERS_FILE = "_headers"
"""Netlify's and Cloudflare Pages' header rules, at the site root (see :mod:`site_gen.render.headers`)."""

ENGLISH = "en/"
"""The English edition's prefix: every page has its English counterpart at ``en/<path>``."""
SHARED = ("data/", "static/", "pagefind/", CHANGES_FEED)
"""One copy for both editions, at the site root: the open data, static files, the search bundle, the feed."""


def is_shared(url: str) -> bool:
    return url.startswith(SHARED)


def in_language(url: str, prefix: str) -> str:
    """A page URL in the edition under ``prefix`` (``""`` or :data:`ENGLISH`); shared files stay where they are."""
    return url if is_shared(url) else prefix + url


def page_file(url: str) -> str:
    """The output file of a page URL: ``cities/x/`` -> ``cities/x/index.html``."""
    return url + "index.html" if url == "" or url.endswith("/") else url


def city(slug: str) -> str:
    return f"cities/{slug}/"


def document(document_id: str) -> str:
    return f"documents/{document_id}/"


def comparison(name: str) -> str:
    return f"compare/{name}/"


def comparison_csv(name: str) -> str:
    return f"data/compare/{name}.csv"


def data_file(name: str, extension: str) -> str:
    """``data/measures.json``: the open data."""
    return f"data/{name}.{extension}"


def source_text(document_id: str) -> str:
    """The archived official text, one paragraph per line."""
    return f"data/sources/{document_id}.txt"


def anchored(url: str, anchor: str) -> str:
    return f"{url}#{anchor}"


# --- anchors ------------------------------------------------------------------------


def measure_anchor(measure_id: str) -> str:
    """A measure on its document page: ``#m-<id>``."""
    return f"m-{measure_id}"


def target_anchor(target_id: str) -> str:
    """A target on its document page: ``#t-<id>``."""
    return f"t-{target_id}"


def city_measure_anchor(document_id: str, measure_id: str) -> str:
    """A measure on a city page, where measures of several documents meet: ``#m-<document>--<id>``."""
    return f"m-{document_id}--{measure_id}"


def city_target_anchor(document_id: str, target_id: str) -> str:
    return f"t-{document_id}--{target_id}"


def category_anchor(category: str) -> str:
    """A category's section on a city page: ``#cat-talent``."""
    return f"cat-{category}"


def zone_anchor(zone_id: str) -> str:
    return f"zone-{zone_id}"


def offer_row_anchor(kind: str, level: str | None) -> str:
    """A row of an offer comparison: ``#row-incubator-recognition-national``.

    Kind ids and level ids never end in a level name, so kind plus level
    cannot equal another kind (a test checks every pair the vocabulary allows).
    """
    return f"row-{kind}" + (f"-{level}" if level else "")


def change_anchor(name: str) -> str:
    """An entry of the change log on ``changes/``: ``#c-<its file name>``, e.g. ``#c-2026-12-01-jinzhou-4f2a1c``."""
    return f"c-{name}"


def target_row_anchor(metric: str, basis: str) -> str:
    """A row of the targets comparison: ``#row-rd-intensity-stock``."""
    return f"row-{metric}-{basis}"


def measure(document_id: str, measure_id: str) -> str:
    return anchored(document(document_id), measure_anchor(measure_id))


def target(document_id: str, target_id: str) -> str:
    return anchored(document(document_id), target_anchor(target_id))


def paragraph(document_id: str, anchor: str) -> str:
    """A paragraph of an archived text on its document page (``anchor`` is the paragraph's own)."""
    return anchored(document(document_id), anchor)
