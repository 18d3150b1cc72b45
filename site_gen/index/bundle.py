"""Check the search bundle Pagefind wrote before it is published.

Pagefind can report success and still leave a broken bundle: on a full disk
it exits 0 with empty or missing files, and the search page then fails in
every reader's browser.  So after Pagefind runs, and before the swap, the
bundle is read back the way the browser reads it:

* ``pagefind-entry.json`` parses, is for the pinned version, and lists at
  least one language with pages;
* ``pagefind.js`` and each language's WebAssembly file exist and are not empty;
* each language's ``pagefind.<hash>.pf_meta`` is whole (gzip checks its own
  length and CRC) and lists its pages, index chunks and filters; every one
  of those files exists and is whole too, and the page count agrees.

Pagefind's binary files are gzip streams of ``pagefind_dcd`` followed by
CBOR (the metadata, index chunks and filters) or JSON (the fragments).
The metadata is ``[version, [[page hash, words]…], [[from, to, chunk
hash]…], [[filter, hash]…], sorts]`` (``pagefind/src/index/``); a minimal
CBOR reader for the types Pagefind writes is enough to follow it.
"""

from __future__ import annotations

import gzip
import json
import zlib
from pathlib import Path
from typing import Any

from site_gen.errors import BuildError

SIGNATURE = b"pagefind_dcd"


class BundleError(BuildError):
    """The bundle Pagefind wrote is incomplete."""


def _fail(bundle: Path, name: str, what: str) -> BundleError:
    return BundleError(
        f"the search index Pagefind wrote is incomplete: {bundle / name} {what} "
        "(Pagefind exited normally; is the disk full? free some space and build again)"
    )


def _read(bundle: Path, name: str) -> bytes:
    try:
        data = (bundle / name).read_bytes()
    except FileNotFoundError:
        raise _fail(bundle, name, "is missing") from None
    except OSError as exc:
        raise _fail(bundle, name, f"cannot be read ({exc.strerror})") from None
    if not data:
        raise _fail(bundle, name, "is empty")
    return data


def _unpack(bundle: Path, name: str) -> bytes:
    """A Pagefind data file's content after its signature, or the reason it is broken."""
    try:
        data = gzip.decompress(_read(bundle, name))
    except (OSError, EOFError, zlib.error):
        raise _fail(bundle, name, "is truncated or not gzip") from None
    if not data.startswith(SIGNATURE):
        raise _fail(bundle, name, "does not start with Pagefind's signature")
    return data[len(SIGNATURE):]


def cbor(data: bytes, offset: int = 0, depth: int = 0) -> tuple[Any, int]:
    """Decode one CBOR item at ``offset``: integers, strings, arrays, maps and simple values."""
    if depth > 32 or offset >= len(data):
        raise ValueError("truncated or too deep")
    initial = data[offset]
    major, info = initial >> 5, initial & 31
    offset += 1
    if info < 24:
        argument = info
    elif info <= 27:
        size = 1 << (info - 24)
        if offset + size > len(data):
            raise ValueError("truncated")
        argument = int.from_bytes(data[offset:offset + size], "big")
        offset += size
    else:
        raise ValueError(f"unsupported CBOR item 0x{initial:02x}")
    if major == 0:
        return argument, offset
    if major == 1:
        return -1 - argument, offset
    if major in (2, 3):
        if offset + argument > len(data):
            raise ValueError("truncated")
        raw = data[offset:offset + argument]
        return (raw if major == 2 else raw.decode("utf-8")), offset + argument
    if major in (4, 5):
        items = []
        for _ in range(argument * (2 if major == 5 else 1)):
            item, offset = cbor(data, offset, depth + 1)
            items.append(item)
        return (items if major == 4 else dict(zip(items[::2], items[1::2]))), offset
    if major == 7 and argument in (20, 21, 22):
        return {20: False, 21: True, 22: None}[argument], offset
    raise ValueError(f"unsupported CBOR item 0x{initial:02x}")


def _entry(bundle: Path, version: str) -> dict[str, Any]:
    try:
        entry = json.loads(_read(bundle, "pagefind-entry.json"))
    except (ValueError, UnicodeDecodeError):
        raise _fail(bundle, "pagefind-entry.json", "is not valid JSON") from None
    if not isinstance(entry, dict) or entry.get("version") != version:
        raise _fail(bundle, "pagefind-entry.json", f"is not for Pagefind {version}")
    languages = entry.get("languages")
    if not isinstance(languages, dict) or not languages:
        raise _fail(bundle, "pagefind-entry.json", "lists no languages")
    return languages


def _meta(bundle: Path, name: str, version: str) -> tuple[list[Any], list[Any], list[Any]]:
    """The pages, index chunks and filters a language's metadata lists."""
    try:
        meta, _ = cbor(_unpack(bundle, name))
        meta_version, pages, chunks, filters = meta[:4]
        pages = [(str(page[0]), int(page[1])) for page in pages]
        chunks = [str(chunk[2]) for chunk in chunks]
        filters = [str(item[1]) for item in filters]
    except (ValueError, TypeError, IndexError, UnicodeDecodeError):
        raise _fail(bundle, name, "cannot be read as Pagefind metadata") from None
    if meta_version != version:
        raise _fail(bundle, name, f"is not for Pagefind {version}")
    return pages, chunks, filters


def check_bundle(bundle: Path, version: str) -> int:
    """Raise :class:`BundleError` unless the bundle at ``bundle`` is whole; return its page count."""
    languages = _entry(bundle, version)
    _read(bundle, "pagefind.js")
    total = 0
    for language, info in sorted(languages.items()):
        if not isinstance(info, dict) or not isinstance(info.get("hash"), str):
            raise _fail(bundle, "pagefind-entry.json", f"has no index for language {language!r}")
        _read(bundle, f"wasm.{info.get('wasm') or 'unknown'}.pagefind")
        meta_name = f"pagefind.{info['hash']}.pf_meta"
        pages, chunks, filters = _meta(bundle, meta_name, version)
        if not pages or len(pages) != info.get("page_count"):
            raise _fail(bundle, meta_name, f"lists {len(pages)} pages, the entry file {info.get('page_count')}")
        for page_hash, _ in pages:
            name = f"fragment/{page_hash}.pf_fragment"
            try:
                json.loads(_unpack(bundle, name))
            except (ValueError, UnicodeDecodeError):
                raise _fail(bundle, name, "is not a whole page record") from None
        for chunk in chunks:
            _unpack(bundle, f"index/{chunk}.pf_index")
        for filter_hash in filters:
            _unpack(bundle, f"filter/{filter_hash}.pf_filter")
        total += len(pages)
    return total
