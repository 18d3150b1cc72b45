"""How the two editions point at each other: ``hreflang`` alternates, the language switch, the sitemap.

A page at ``P`` (``cities/jinzhou/index.html``) is ``P`` in Chinese and
``en/P`` in English (:func:`site_gen.urls.in_language`).  Each edition's page
links to both, with ``x-default`` the Chinese one; the links are absolute
when the site's address is known and relative to the page otherwise, like
every other link of the site.
"""

from __future__ import annotations

from typing import Any

from site_gen import urls
from site_gen.render.environment import relative_root
from site_gen.render.i18n import Language


def alternates(page_path: str, rendered_path: str, base_url: str,
               languages: tuple[Language, ...]) -> list[dict[str, Any]]:
    """The page in every language: ``hreflang``, ``href``, the language's own name, whether it is this one."""
    root = base_url or relative_root(rendered_path)
    found = []
    for language in languages:
        path = urls.in_language(page_path, language.prefix)
        clean = path.removesuffix("index.html")
        href = root + clean if clean or base_url else root
        found.append({"hreflang": language.html_lang, "href": href, "name": language.name,
                      "current": path == rendered_path, "lang": language})
    return found


def sitemap_urls(base_url: str, page_paths: list[str], languages: tuple[Language, ...]) -> list[str]:
    """Every page of every edition, absolute, sorted."""
    return sorted(base_url + urls.in_language(path, language.prefix).removesuffix("index.html")
                  for path in page_paths for language in languages)
