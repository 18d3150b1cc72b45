"""The Jinja environment: autoescaping everywhere, relative links, filters.

Every link in a page is relative to that page (``url('cities/jinzhou/')``
on ``documents/x/index.html`` gives ``../../cities/jinzhou/``), so the
output works under any base path on any static host.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, pass_context
from jinja2.runtime import Context
from markupsafe import Markup

from site_gen import urls
from site_gen.markdown import make_markdown


def relative_root(page_path: str) -> str:
    """``cities/jinzhou/index.html`` -> ``../../``; ``index.html`` -> ``./``."""
    depth = page_path.count("/")
    return "../" * depth if depth else "./"


@pass_context
def url(context: Context, href: str) -> str:
    """A site-root-relative href, made relative to the page being rendered."""
    root = str(context["root"])
    if href.startswith("#"):
        return href
    if urls.is_shared(href):  # one copy for both editions, at the site root
        root = str(context.get("site_root", root))
    return root + href if href else root


def static_versions(static_dir: Path) -> dict[str, str]:
    """Content hashes for static files, to bust caches deterministically."""
    versions = {}
    if static_dir.is_dir():
        for path in sorted(static_dir.rglob("*")):
            if path.is_file():
                digest = hashlib.sha256(path.read_bytes()).hexdigest()[:10]
                versions[path.relative_to(static_dir).as_posix()] = digest
    return versions


_JSON_ESCAPES = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026",
                 0x2028: "\\u2028", 0x2029: "\\u2029"}


def json_for_html(value: object) -> Markup:
    """JSON safe to embed in a ``<script type="application/ld+json">`` block.

    ``<``, ``>`` and ``&`` become ``\\u003c``… so no string can close the
    element (``</script>``) or open a comment, whatever an editor writes.
    """
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return Markup(text.translate(_JSON_ESCAPES))


TILE_LINE = 9
"""Characters that fit on one line of a 64-px tile (``CNY 200 million`` takes two: tilemap.js, compare.js)."""


def tile_lines(text: str) -> list[str]:
    """A tile's value as printed: one line, or two cut at the space nearest its middle when it is long."""
    spaces = [i for i, c in enumerate(text) if c == " "]
    if len(text) <= TILE_LINE or not spaces:
        return [text]
    cut = min(spaces, key=lambda i: abs(i - len(text) / 2))
    return [text[:cut], text[cut + 1:]]


def make_environment(templates_dir: Path, versions: dict[str, str]) -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(templates_dir)),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    markdown = make_markdown()

    @pass_context
    def static(context: Context, name: str) -> str:
        return f"{context.get('site_root', context['root'])}static/{name}?v={versions.get(name, '0')}"

    env.globals.update(url=url, static=static, urls=urls, tile_lines=tile_lines)
    env.filters["markdown"] = lambda text: Markup(markdown.render(text or ""))
    env.filters["json_for_html"] = json_for_html
    return env
