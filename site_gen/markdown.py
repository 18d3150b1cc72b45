"""Markdown to HTML for summaries written by editors: the one parser configuration.

Shared by the load stage (which checks the parsed text for invisible
characters) and the render stage (which renders it), so both read a summary
exactly the same way.

Raw HTML is disabled (it is shown as text), links go through markdown-it's
``validateLink`` (which refuses ``javascript:``, ``vbscript:``, ``file:`` and
``data:`` URLs), and links to other sites get ``rel="noopener noreferrer"``.
"""

from __future__ import annotations

from collections.abc import Sequence

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict



def _is_external(href: str) -> bool:
    return href.startswith(("http://", "https://", "//"))


def _validate_link(url: str) -> bool:
    """Allow web, mail and relative links only."""
    lowered = url.strip().lower()
    if ":" not in lowered.split("/", 1)[0]:
        return True  # relative: no scheme before the first slash
    return lowered.startswith(("http:", "https:", "mailto:"))


def make_markdown() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.enable("table")
    md.validateLink = _validate_link  # type: ignore[method-assign]  # markdown-it's documented hook

    def link_open(self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
        token = tokens[idx]
        if _is_external(str(token.attrGet("href") or "")):
            token.attrSet("rel", "noopener noreferrer")
        return self.renderToken(tokens, idx, options, env)

    md.add_render_rule("link_open", link_open)
    # Editors' headings sit inside a page that already has h1/h2: start at h3.
    def heading_open(self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
        token = tokens[idx]
        level = min(6, int(token.tag[1]) + 2)
        token.tag = f"h{level}"
        return self.renderToken(tokens, idx, options, env)

    def heading_close(self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
        token = tokens[idx]
        token.tag = f"h{min(6, int(token.tag[1]) + 2)}"
        return self.renderToken(tokens, idx, options, env)

    md.add_render_rule("heading_open", heading_open)
    md.add_render_rule("heading_close", heading_close)
    return md
