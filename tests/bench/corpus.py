#!/usr/bin/env python3
"""Make a larger, valid content tree for site-gen from the real one (``make bench``'s corpora).

    python tests/bench/corpus.py SRC_CONTENT OUT_CONTENT --copies K [--force]

Every city folder of SRC_CONTENT (its city.yaml, city.md, city.en.md and documents/) and
every archived text under sources/ is copied K times.  Copy k renames every
identity with the suffix ``-k<k>``:

* city slugs (folder names, ``slug:``, and every ``city:`` that names one);
* zone ids (``zones[].id`` and every ``zone:`` that names one);
* document ids (file names, ``id:``, every ``source.document:``, and the
  archived text ``sources/<id>.txt``);

so copy k is a self-contained replica of the real content: a city of copy k
only ever points at documents, cities and zones of copy k.  Names and titles
(city ``name``/``name_en``, zone ``name``/``short_name``, document
``title``/``short_title``) get a visible ``（k<k>）`` suffix so the pages of
different copies differ.  Archived texts, quotes, locators and Markdown
summaries are copied byte for byte, so every provenance check passes exactly
as it does on the real content.

The YAML is edited in place (only the scalars that change are rewritten,
comments and layout stay), and each rewritten file is re-parsed and compared
with the expected data, so a rewrite that YAML would read differently stops
the run instead of producing a silently different corpus.

Afterwards check it with ``site-gen validate --content OUT_CONTENT``.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from pathlib import Path

import yaml

MAX_SLUG = 64


def _slug(base: str, k: int) -> str:
    new = f"{base}-k{k}"
    if len(new) > MAX_SLUG:
        raise SystemExit(f"{new!r} is longer than {MAX_SLUG} characters")
    return new


def _title(text: str, k: int) -> str:
    return f"{text}（k{k}）"


def _title_en(text: str, k: int) -> str:
    return f"{text} k{k}"


class Renames:
    """What copy k renames: old id -> new id, by kind of identity."""

    def __init__(self, cities: set[str], zones: set[str], documents: set[str], k: int):
        self.k = k
        self.city = {s: _slug(s, k) for s in cities}
        self.zone = {z: _slug(z, k) for z in zones}
        self.document = {d: _slug(d, k) for d in documents}


# --- which scalars change ------------------------------------------------------------


def _edits_for(kind: str, path: tuple, value: object, r: Renames) -> object | None:
    """The new value of the scalar at ``path`` in a ``kind`` file, or None to keep it."""
    if not isinstance(value, str):
        return None
    key = path[-1] if path else None
    depth = len(path)
    if key == "document":  # any source reference, wherever it sits
        return r.document.get(value)
    if kind == "city":
        if path == ("slug",):
            return r.city.get(value)
        if path == ("name",):
            return _title(value, r.k)
        if path == ("name_en",):
            return _title_en(value, r.k)
        if depth == 3 and path[0] == "zones":
            if key == "id":
                return r.zone.get(value)
            if key in ("name", "short_name"):
                return _title(value, r.k)
        return None
    # a document file
    if path == ("id",):
        return r.document.get(value)
    if path in (("title",), ("short_title",)):
        return _title(value, r.k)
    if depth == 3 and path[0] in ("measures", "targets"):
        if key == "city":
            return r.city.get(value)
        if key == "zone":
            return r.zone.get(value)
    return None


def _walk(node: yaml.Node, path: tuple, out: list) -> None:
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            _walk(value, path + (key.value,), out)
    elif isinstance(node, yaml.SequenceNode):
        for i, value in enumerate(node.value):
            _walk(value, path + (i,), out)
    elif isinstance(node, yaml.ScalarNode):
        out.append((path, node))


def _expected(data: object, path: tuple, kind: str, r: Renames) -> object:
    if isinstance(data, dict):
        return {key: _expected(value, path + (key,), kind, r) for key, value in data.items()}
    if isinstance(data, list):
        return [_expected(value, path + (i,), kind, r) for i, value in enumerate(data)]
    new = _edits_for(kind, path, data, r)
    return data if new is None else new


def _scalar_text(node: yaml.ScalarNode, new: str, span: str) -> str:
    """The YAML source for ``new`` in place of ``span`` (the node's own text)."""
    if not node.style and new.startswith(node.value):
        return span + new[len(node.value):] if span == node.value else json.dumps(new, ensure_ascii=False)
    if not node.style:  # plain (the C loader says '', the Python one None)
        return new
    # quoted or block scalar: a JSON string is a valid YAML double-quoted scalar
    trailing = span[len(span.rstrip("\n")):]
    return json.dumps(new, ensure_ascii=False) + trailing


_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class YamlFile:
    """A YAML file parsed once; :meth:`rewrite` gives its text for any copy."""

    def __init__(self, text: str, kind: str, where: str):
        self.text, self.kind, self.where = text, kind, where
        root = yaml.compose(text, Loader=_LOADER)
        scalars: list = []
        if root is not None:
            _walk(root, (), scalars)
        # only string scalars can name an identity or be a title
        self.scalars = [(path, node) for path, node in scalars if node.tag.endswith(":str")]
        self.data = yaml.load(text, Loader=_LOADER)

    def rewrite(self, r: Renames) -> str:
        """The text with the scalars of copy ``r.k`` rewritten; checked by re-parsing."""
        text = self.text
        edits = []
        for path, node in self.scalars:
            new = _edits_for(self.kind, path, node.value, r)
            if new is None or new == node.value:
                continue
            start, end = node.start_mark.index, node.end_mark.index
            edits.append((start, end, _scalar_text(node, new, text[start:end])))
        pieces, last = [], len(text)
        for start, end, replacement in sorted(edits, reverse=True):
            pieces.append(text[end:last])
            pieces.append(replacement)
            last = start
        pieces.append(text[:last])
        result = "".join(reversed(pieces))
        if yaml.load(result, Loader=_LOADER) != _expected(self.data, (), self.kind, r):
            raise SystemExit(f"{self.where}: the rewritten YAML does not read as expected; stopping")
        return result


# --- the tree --------------------------------------------------------------------------


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8-sig")


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def survey(src: Path) -> tuple[list[Path], set[str], set[str], set[str]]:
    """City folders, and the city slugs, zone ids and document ids they define."""
    folders = sorted(p for p in (src / "cities").iterdir() if p.is_dir() and not p.name.startswith("."))
    cities, zones, documents = set(), set(), set()
    for folder in folders:
        city = yaml.safe_load(_read(folder / "city.yaml")) or {}
        cities.add(folder.name)
        if isinstance(city.get("slug"), str):
            cities.add(city["slug"])
        for zone in city.get("zones") or []:
            if isinstance(zone, dict) and isinstance(zone.get("id"), str):
                zones.add(zone["id"])
        docs = folder / "documents"
        if docs.is_dir():
            for path in sorted(docs.glob("*.yaml")):
                documents.add(path.stem)
                data = yaml.safe_load(_read(path)) or {}
                if isinstance(data.get("id"), str):
                    documents.add(data["id"])
    sources = src / "sources"
    if sources.is_dir():
        documents |= {p.stem for p in sources.glob("*.txt")}
    return folders, cities, zones, documents


def make_copy(src: Path, out: Path, folders: list[Path], r: Renames, parsed: dict[Path, YamlFile]) -> int:
    """Write copy ``r.k``; returns the number of files written."""
    written = 0
    for folder in folders:
        slug = r.city[folder.name]
        target = out / "cities" / slug
        for entry in sorted(folder.rglob("*")):
            if not entry.is_file() or any(part.startswith(".") for part in entry.relative_to(folder).parts):
                continue
            relative = entry.relative_to(folder)
            stem, dot, suffix = entry.name.partition(".")  # x.yaml, x.md and x.en.md all belong to x
            if relative.parts[0] == "documents" and stem in r.document:
                relative = relative.with_name(r.document[stem] + dot + suffix)
            if entry.suffix == ".yaml":
                if entry not in parsed:
                    kind = "city" if relative.parts == ("city.yaml",) else "document"
                    parsed[entry] = YamlFile(_read(entry), kind, str(entry))
                _write(target / relative, parsed[entry].rewrite(r))
            else:
                (target / relative).parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(entry, target / relative)
            written += 1
    sources = src / "sources"
    if sources.is_dir():
        for entry in sorted(sources.glob("*.txt")):
            (out / "sources").mkdir(parents=True, exist_ok=True)
            shutil.copyfile(entry, out / "sources" / f"{r.document[entry.stem]}.txt")
            written += 1
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("src", type=Path, help="the real content folder (site.yaml, cities/, sources/)")
    parser.add_argument("out", type=Path, help="folder to create")
    parser.add_argument("--copies", "-k", type=int, required=True, help="how many copies of every city")
    parser.add_argument("--force", action="store_true", help="replace OUT if it exists")
    args = parser.parse_args(argv)
    if args.copies < 1:
        parser.error("--copies must be at least 1")
    if not (args.src / "cities").is_dir():
        parser.error(f"{args.src} has no cities/ folder")
    if args.out.exists():
        if not args.force:
            parser.error(f"{args.out} exists (use --force to replace it)")
        shutil.rmtree(args.out)
    args.out.mkdir(parents=True)
    for name in ("site.yaml", "ingest-rules.yaml", "README.md"):
        if (args.src / name).is_file():
            shutil.copyfile(args.src / name, args.out / name)
    folders, cities, zones, documents = survey(args.src)
    files = 0
    parsed: dict[Path, YamlFile] = {}
    for k in range(1, args.copies + 1):
        files += make_copy(args.src, args.out, folders, Renames(cities, zones, documents, k), parsed)
    print(f"{args.out}: {len(folders) * args.copies} cities, {len(documents) * args.copies} documents, "
          f"{files} files ({args.copies} copies)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
