"""A link checker for a built site: internal links, #anchors and duplicate ids."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from selectolax.lexbor import LexborHTMLParser

ORIGIN = "http://site.invalid"


def page_url(site: Path, page: Path) -> str:
    relative = page.relative_to(site).as_posix()
    return f"{ORIGIN}/{relative.removesuffix('index.html')}"


def target_file(site: Path, path: str) -> Path:
    local = site / unquote(path).lstrip("/")
    return local / "index.html" if path.endswith("/") else local


def check_site(site: Path) -> tuple[list[str], dict[str, int]]:
    """Problems found (empty when all is well) and counts of what was checked."""
    ids: dict[Path, set[str]] = {}
    links: list[tuple[Path, str, str]] = []
    problems: list[str] = []
    for page in sorted(site.rglob("*.html")):
        tree = LexborHTMLParser(page.read_text(encoding="utf-8"))
        seen: set[str] = set()
        for node in tree.css("[id]"):
            anchor = node.attributes["id"]
            if anchor in seen:
                problems.append(f"{page.relative_to(site)}: duplicate id {anchor!r}")
            seen.add(anchor)
        ids[page] = seen
        base_node = tree.css_first("base[href]")
        base = urljoin(page_url(site, page), base_node.attributes["href"]) if base_node else page_url(site, page)
        for node in tree.css("a[href], area[href], link[href], script[src], img[src], source[src]"):
            if node.attributes.get("rel") == "canonical":
                continue  # absolute by design, points at the public address
            value = node.attributes.get("href") or node.attributes.get("src") or ""
            links.append((page, base, value))
    counts = {"pages": len(ids), "links": 0, "anchors": 0, "citations": 0}
    for page, base, href in links:
        absolute = urljoin(base, href)
        parts = urlsplit(absolute)
        if f"{parts.scheme}://{parts.netloc}" != ORIGIN:
            continue  # another site
        counts["links"] += 1
        target = target_file(site, parts.path)
        if not target.is_file():
            problems.append(f"{page.relative_to(site)}: broken link {href!r}")
            continue
        if parts.fragment:
            counts["anchors"] += 1
            if parts.fragment.startswith("p-"):
                counts["citations"] += 1
            if target.suffix == ".html":
                if target not in ids:
                    ids[target] = {n.attributes["id"] for n in
                                   LexborHTMLParser(target.read_text(encoding="utf-8")).css("[id]")}
                if unquote(parts.fragment) not in ids[target]:
                    problems.append(f"{page.relative_to(site)}: missing anchor {href!r}")
    return problems, counts
