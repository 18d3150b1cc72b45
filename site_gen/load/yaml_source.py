"""Read YAML safely, keeping the line and column of every key and value.

PyYAML's safe loader composes the file into nodes that carry their marks; we
turn the nodes into plain Python values ourselves so each value's position
can be recorded under its path (``("measures", 3, "amount")``).

The dialect is deliberately small, so that a value means what it looks like:

* scalars resolve to text, integers, decimals, ``true``/``false`` and null
  only (a "number" of more than 100 characters stays text); dates stay text (the schema parses them, with a clear error for
  ``2021-02-30``), and ``no``/``on`` stay text;
* anchors, aliases and merge keys are refused (no "billion laughs");
* explicit tags are refused; duplicate keys are errors;
* files must be UTF-8 (a BOM is accepted) and at most 1 MB (the largest real one is 45 KB);
* invisible and control characters and search-index markers are refused,
  written out or as escapes (:mod:`site_gen.load.characters`).

:func:`read_text` is the one reader of content files: it never follows a
link, never blocks on a FIFO and reads only regular files.
"""

from __future__ import annotations

import errno
import hashlib
import os
import re
import stat
from sys import intern
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable, NamedTuple

import yaml
from yaml.composer import Composer, ComposerError
from yaml.constructor import SafeConstructor
from yaml.events import (
    AliasEvent,
    CollectionEndEvent,
    CollectionStartEvent,
    DocumentEndEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
    StreamStartEvent,
)
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.parser import Parser
from yaml.reader import Reader
from yaml.resolver import BaseResolver
from yaml.scanner import Scanner

from site_gen.errors import FieldPath, Problem
from site_gen.load.characters import first_unsafe, text_problems
from site_gen.load.tree import Kind, kind_of_mode, refusal

MAX_FILE_BYTES = 1_000_000
MAX_DEPTH = 40



class Position(NamedTuple):
    """A 1-based line and column."""

    line: int
    column: int


class _Resolver(BaseResolver):
    pass


_Resolver.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
_Resolver.add_implicit_resolver(
    "tag:yaml.org,2002:int", re.compile(r"^[-+]?(?:0|[1-9][0-9_]*)$"), list("-+0123456789")
)
_Resolver.add_implicit_resolver(
    "tag:yaml.org,2002:float", re.compile(r"^[-+]?[0-9][0-9_]*\.[0-9_]+$"), list("-+0123456789")
)
_Resolver.add_implicit_resolver(
    "tag:yaml.org,2002:null", re.compile(r"^(?:~|null|Null|NULL|)$"), ["~", "n", "N", ""]
)

_NUMBER_TAGS = {"tag:yaml.org,2002:int", "tag:yaml.org,2002:float"}
# Longer numbers stay text: Python refuses to read an int of more than 4,300
# digits, and no figure of a policy needs more than a few dozen characters.
MAX_NUMBER_CHARACTERS = 100

_STR = "tag:yaml.org,2002:str"
_SCALAR_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
}


class _Loader(Reader, Scanner, Parser, Composer, SafeConstructor, _Resolver):
    def __init__(self, stream: str):
        Reader.__init__(self, stream)
        Scanner.__init__(self)
        Parser.__init__(self)
        Composer.__init__(self)
        SafeConstructor.__init__(self)
        _Resolver.__init__(self)


if yaml.__with_libyaml__:
    from yaml._yaml import CParser

    class _CLoader(CParser, SafeConstructor, _Resolver):
        """libyaml's C scanner and parser, our constructor and resolver."""

        def __init__(self, stream: str):
            CParser.__init__(self, stream)
            SafeConstructor.__init__(self)
            _Resolver.__init__(self)


def _prescan(text: str) -> None:
    """Refuse aliases and runaway nesting before any node is composed.

    With libyaml this runs at C speed over the event stream, and it keeps a
    deeply nested file from ever reaching the (recursive) composer.
    """
    parser = CParser(text) if yaml.__with_libyaml__ else yaml.SafeLoader(text)
    depth = 0
    try:
        while True:
            event = parser.get_event()
            if isinstance(event, AliasEvent):
                raise ComposerError(None, None, "aliases (*name) are not allowed (write the value out)",
                                    event.start_mark)  # type: ignore[arg-type]  # libyaml's Mark has the same fields
            if isinstance(event, CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    raise ComposerError(None, None, f"nesting too deep (expected at most {MAX_DEPTH} levels)",
                                        event.start_mark)  # type: ignore[arg-type]  # as above
            elif isinstance(event, CollectionEndEvent):
                depth -= 1
            elif isinstance(event, StreamEndEvent):
                return
    finally:
        if hasattr(parser, "dispose"):
            parser.dispose()


class _WalkError(Exception):
    def __init__(self, node: Node, field: str, message: str):
        self.node, self.field, self.message = node, field, message


_COLUMNS = 1 << 24  # a position is kept as one int, line * _COLUMNS + column (files are at most 1 MB)


def _packed(line: int, column: int) -> int:
    return line * _COLUMNS + column


@dataclass
class YamlDocument:
    """A parsed YAML file: its data and where each value came from.

    ``values`` and ``keys`` map a value's location to its position, packed
    in one int (a file has one per key and one per value: at 1,500 cities,
    millions); :meth:`position` unpacks it.  A file read on the plain path
    (:func:`_parse_plain`, nearly every file) keeps its ``text`` instead and
    makes the two maps from it the first time a position is asked for:
    positions are only needed to report a problem, and at 150 cities the
    maps of all files took 21 MB and a third of the load.
    """

    path: str
    data: Any
    _values: dict[FieldPath, int] | None = field(default_factory=dict)
    _keys: dict[FieldPath, int] | None = field(default_factory=dict)
    text: str | None = None
    """The file's text, while the maps are not made yet."""

    @property
    def values(self) -> dict[FieldPath, int]:
        return self._positions()[0]

    @property
    def keys(self) -> dict[FieldPath, int]:
        return self._positions()[1]

    def _positions(self) -> tuple[dict[FieldPath, int], dict[FieldPath, int]]:
        """The two maps, made from the text the first time they are asked for."""
        if self._values is None or self._keys is None:
            assert self.text is not None, "a document without positions keeps its text"
            again = _parse_plain(self.text, self.path, positions=True)
            assert again is not None, "a file read on the plain path reads on it again"
            self._values, self._keys, self.text = again._values, again._keys, None
        assert self._values is not None and self._keys is not None
        return self._values, self._keys

    def position(self, loc: FieldPath, *, key: bool = False) -> Position:
        """Position of the value (or key) at ``loc``, or its nearest parent."""
        keys, values = self.keys, self.values
        if key and loc in keys:
            return Position(*divmod(keys[loc], _COLUMNS))
        for end in range(len(loc), -1, -1):
            if loc[:end] in values:
                return Position(*divmod(values[loc[:end]], _COLUMNS))
        return Position(1, 1)

    def problem(self, loc: FieldPath, message: str, *, key: bool = False) -> Problem:
        pos = self.position(loc, key=key)
        return Problem(self.path, pos.line, pos.column, format_loc(loc), message)


def format_loc(loc: FieldPath) -> str:
    """``("measures", 3, "amount")`` -> ``measures[3].amount``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out or "file"


def _position(data: str | bytes, offset: int) -> tuple[int, int]:
    """1-based line and column of ``offset`` in text, or in raw bytes."""
    if isinstance(data, bytes):
        raw = data[:offset]
        return raw.count(b"\n") + 1, offset - (raw.rfind(b"\n") + 1) + 1
    before = data[:offset]
    return before.count("\n") + 1, offset - (before.rfind("\n") + 1) + 1


def _read_regular(path: Path, display: str, limit: int) -> tuple[bytes | None, list[Problem]]:
    """The bytes of a regular file, opened without following a link or blocking on a FIFO.

    The entry is checked before opening (so a device is never opened) and the
    open descriptor after (so nothing swapped in between is read).
    """
    try:
        kind = kind_of_mode(os.lstat(path).st_mode)
        if kind is not Kind.FILE:
            return None, [refusal(path, display, kind, "a regular file")]
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return None, [refusal(path, display, Kind.LINK, "a regular file")]
        return None, [Problem(display, 1, 1, "file", f"cannot read file: {exc.strerror}")]
    with os.fdopen(fd, "rb") as handle:
        try:
            status = os.fstat(fd)
            if not stat.S_ISREG(status.st_mode):
                return None, [refusal(path, display, kind_of_mode(status.st_mode), "a regular file")]
            if status.st_size > limit:
                return None, [Problem(display, 1, 1, "file",
                                      f"file is {status.st_size:,} bytes (expected at most {limit:,})")]
            raw = handle.read(limit + 1)
        except OSError as exc:
            return None, [Problem(display, 1, 1, "file", f"cannot read file: {exc.strerror}")]
    if len(raw) > limit:
        return None, [Problem(display, 1, 1, "file", f"file is over {limit:,} bytes (expected at most {limit:,})")]
    return raw, []


def read_text(path: Path, display: str, limit: int = MAX_FILE_BYTES) -> tuple[str | None, list[Problem]]:
    """Read a UTF-8 text file, or say precisely why it cannot be read."""
    text, _, problems = read_text_and_digest(path, display, limit)
    return text, problems


def read_text_and_digest(path: Path, display: str,
                         limit: int = MAX_FILE_BYTES) -> tuple[str | None, str | None, list[Problem]]:
    """:func:`read_text`, and the SHA-256 of the file's bytes as read (what ``sha256sum`` prints)."""
    raw, problems = _read_regular(path, display, limit)
    if raw is None:
        return None, None, problems
    digest = hashlib.sha256(raw).hexdigest()
    if b"\x00" in raw:
        line, column = _position(raw, raw.index(b"\x00"))
        return None, digest, [Problem(display, line, column, "file", "binary data, not text (expected UTF-8 text)")]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, column = _position(raw, exc.start)
        return None, digest, [
            Problem(
                display, line, column, "file",
                f"byte 0x{raw[exc.start]:02X} is not UTF-8 (expected UTF-8 text; "
                "re-save the file as UTF-8, e.g. from GBK)",
            )
        ]
    return text.removeprefix("\ufeff"), digest, []


def load_yaml(path: Path, display: str) -> tuple[YamlDocument | None, list[Problem]]:
    """Parse one YAML file; on failure return the problems instead."""
    text, problems = read_text(path, display)
    if text is None:
        return None, problems
    return parse_yaml(text, display)


def parse_yaml(text: str, display: str) -> tuple[YamlDocument | None, list[Problem]]:
    # Checked before parsing, so the message names the character rather than
    # giving YAML's complaint about it, and comments are held to it too.
    refused = text_problems(text, display)
    if refused:
        return None, refused
    if yaml.__with_libyaml__:
        fast = _parse_plain(text, display)
        if fast is not None:
            return fast, []
    loader = None
    try:
        _prescan(text)
        loader = _CLoader(text) if yaml.__with_libyaml__ else _Loader(text)
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        message = _explain(" ".join(str(x) for x in (exc.context, exc.problem) if x), text, mark)
        return None, [Problem(display, line, column, "yaml", message)]
    except yaml.YAMLError as exc:
        return None, [Problem(display, 1, 1, "yaml", f"{exc} (expected valid YAML)")]
    finally:
        if loader is not None and hasattr(loader, "dispose"):
            loader.dispose()
    doc = YamlDocument(display, None)
    if node is None:
        return doc, []
    try:
        doc.data = _to_python(loader, node, (), doc)
    except _WalkError as exc:
        mark = exc.node.start_mark
        return None, [Problem(display, mark.line + 1, mark.column + 1, exc.field, exc.message)]
    return doc, []


class _NotPlain(Exception):
    """The file is not a plain one for :func:`_parse_plain`: the full path decides what it is."""


_IMPLICIT: dict[str | None, list[tuple[str, re.Pattern[str]]]] = _Resolver.yaml_implicit_resolvers
_WILDCARD: tuple[tuple[str, re.Pattern[str]], ...] = tuple(_IMPLICIT.get(None, ()))


def _scalar_tag(value: str, implicit: tuple[bool, bool]) -> str:
    """The tag the composer gives an untagged scalar: ``BaseResolver.resolve`` for this resolver
    (no path resolvers), without its generic steps."""
    if implicit[0]:
        rules: list[tuple[str, re.Pattern[str]]] = [*_IMPLICIT.get(value[0] if value else "", ()), *_WILDCARD]
        for tag, regexp in rules:
            if regexp.match(value):
                return tag
    return _STR


_CONSTRUCTOR = SafeConstructor()


def _parse_plain(text: str, display: str, positions: bool = False) -> YamlDocument | None:
    """A file in the plain dialect, parsed in one pass over libyaml's events; None for any other.

    The usual file (one document; no anchors, aliases or tags; keys once
    each; nothing refused) reads exactly as :func:`parse_yaml`'s full path
    reads it (the composer's tags, :func:`_to_python`'s values and
    positions, in the same order), without composing nodes and without the
    separate :func:`_prescan` pass.  Anything else (an alias, a tag, nesting
    past MAX_DEPTH, a duplicate key, a refused character, a syntax error) is
    left to the full path, which reports it.

    Without ``positions`` the document keeps its text instead of the
    positions of its values (:class:`YamlDocument` makes them when asked).
    """
    parser = CParser(text)
    doc = YamlDocument(display, None) if positions else YamlDocument(display, None, None, None, text)
    values: dict[FieldPath, int] = {}
    keys: dict[FieldPath, int] = {}
    if positions:
        values, keys = doc.values, doc.keys
    get: Callable[[], Any] = parser.get_event
    try:
        if type(get()) is not StreamStartEvent or type(get()) is not DocumentStartEvent:
            return None
        # one frame per open collection: [container, its location, is a mapping, the key awaiting its value,
        # that key's location]
        stack: list[list[Any]] = []
        root: Any = None
        while True:
            event = get()
            kind = type(event)
            if kind is MappingEndEvent or kind is SequenceEndEvent:
                stack.pop()
                continue
            if kind is DocumentEndEvent:
                break
            if event.anchor is not None or event.tag is not None:
                return None  # anchors and tags: the full path refuses or resolves them
            frame = stack[-1] if stack else None
            if frame is not None and frame[2] and frame[3] is None:  # a mapping's key
                if kind is not ScalarEvent:
                    return None
                key = intern(event.value)  # a field name, repeated in every record: one string
                if (_scalar_tag(key, event.implicit) != _STR or key == "<<"
                        or key in frame[0] or first_unsafe(key)):
                    return None
                frame[3] = key
                if positions:
                    mark = event.start_mark
                    frame[4] = frame[1] + (key,)  # the key's location is its value's: one tuple for both
                    keys[frame[4]] = _packed(mark.line + 1, mark.column + 1)
                continue
            loc: FieldPath = ()
            if positions:
                if frame is not None:  # a mapping's value is at its key's location, a list's item at its index
                    loc = frame[4] if frame[2] else frame[1] + (len(frame[0]),)
                mark = event.start_mark
                values[loc] = _packed(mark.line + 1, mark.column + 1)
            if kind is ScalarEvent:
                value = _plain_scalar(event)
            elif kind is MappingStartEvent:
                value = {}
            elif kind is SequenceStartEvent:
                value = []
            else:
                return None
            if frame is None:
                root = value
            elif frame[2]:
                frame[0][frame[3]] = value
                frame[3] = None
            else:
                frame[0].append(value)
            if kind is not ScalarEvent:
                stack.append([value, loc, kind is MappingStartEvent, None, None])
                if len(stack) > MAX_DEPTH:
                    return None
        if type(get()) is not StreamEndEvent:
            return None
    except (_NotPlain, yaml.YAMLError, ValueError):
        return None
    finally:
        parser.dispose()
    doc.data = root
    return doc


def _plain_scalar(event: Any) -> Any:
    """A scalar's value as :func:`_to_python` makes it from the node the composer would make."""
    value = event.value
    tag = _scalar_tag(value, event.implicit)
    if tag not in _SCALAR_TAGS:  # pragma: no cover - the resolver knows only these
        raise _NotPlain
    if tag in _NUMBER_TAGS and len(value) > MAX_NUMBER_CHARACTERS:
        return value
    if tag == "tag:yaml.org,2002:float":
        return Decimal(value.replace("_", ""))
    if first_unsafe(value):
        raise _NotPlain
    if tag == _STR:
        return value
    # The tag's own constructor, not construct_object(): that one keeps every node it made a value of, for
    # the document's aliases, until construct_document() ends, which never comes here (a leak, build by build).
    node = ScalarNode(tag, value, event.start_mark, event.end_mark, event.style)
    return _CONSTRUCTOR.yaml_constructors[tag](_CONSTRUCTOR, node)


def _explain(message: str, text: str = "", mark: yaml.Mark | None = None) -> str:
    """Reword PyYAML's and libyaml's commonest complaints the way an editor would put them."""
    at_tab = mark is not None and 0 <= mark.index < len(text) and text[mark.index] == "\t"
    if "'\\t'" in message or (at_tab and "cannot start any token" in message):
        return "a tab character cannot indent YAML (expected spaces)"
    if "(expected" in message or "(write" in message:
        return message  # one of ours, already saying what to do
    return f"{message} (expected valid YAML)"


def _to_python(loader: SafeConstructor, node: Node, loc: FieldPath, doc: YamlDocument) -> Any:
    doc.values[loc] = _packed(node.start_mark.line + 1, node.start_mark.column + 1)
    if isinstance(node, ScalarNode):
        if node.tag not in _SCALAR_TAGS:
            raise _WalkError(node, format_loc(loc), f"YAML tag {node.tag!r} is not allowed (expected a plain value)")
        if node.tag in _NUMBER_TAGS and len(node.value) > MAX_NUMBER_CHARACTERS:
            return node.value  # too long to be a figure: the schema says so where a number belongs
        if node.tag == "tag:yaml.org,2002:float":
            return Decimal(node.value.replace("_", ""))
        unsafe = first_unsafe(node.value)  # what an escape such as "\u202e" or "\e" wrote
        if unsafe:
            raise _WalkError(node, format_loc(loc), unsafe)
        if node.tag == _STR:
            return node.value  # what SafeConstructor makes of a str node, without its bookkeeping
        try:
            return loader.construct_object(node)
        except (yaml.YAMLError, ValueError) as exc:
            raise _WalkError(node, format_loc(loc), f"cannot read value: {exc}") from exc
    if isinstance(node, SequenceNode):
        if node.tag != "tag:yaml.org,2002:seq":
            raise _WalkError(node, format_loc(loc), f"YAML tag {node.tag!r} is not allowed (expected a list)")
        return [_to_python(loader, item, loc + (i,), doc) for i, item in enumerate(node.value)]
    if isinstance(node, MappingNode):
        if node.tag != "tag:yaml.org,2002:map":
            raise _WalkError(node, format_loc(loc), f"YAML tag {node.tag!r} is not allowed (expected a mapping)")
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode) or key_node.tag != "tag:yaml.org,2002:str":
                raise _WalkError(key_node, format_loc(loc), "a key must be plain text (expected a field name)")
            key = key_node.value
            unsafe = first_unsafe(key)
            if unsafe:
                raise _WalkError(key_node, format_loc(loc), unsafe)
            if key == "<<":
                raise _WalkError(key_node, format_loc(loc), "merge keys (<<) are not allowed (write the fields out)")
            if key in result:
                raise _WalkError(
                    key_node, format_loc(loc + (key,)),
                    f"duplicate key {key!r} (expected each key once; "
                    f"first at line {doc.position(loc + (key,), key=True).line})",
                )
            doc.keys[loc + (key,)] = _packed(key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            result[key] = _to_python(loader, value_node, loc + (key,), doc)
        return result
    raise _WalkError(node, format_loc(loc), "unsupported YAML node")  # pragma: no cover
