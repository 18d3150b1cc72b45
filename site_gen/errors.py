"""Problems found in content, reported as ``file:line:col: field: message``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable


FieldPath = tuple[str | int, ...]
"""Where a value sits inside a content file: ``("measures", 3, "amount")``, shown as
``measures[3].amount``.  Load records each value's line and column under it, and
problems and citations are keyed by it."""


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the content, at a place an editor can jump to.

    ``field`` is the dotted path of the value inside the file
    (``measures[3].amount.max``), or a word for the file as a whole
    (``file``, ``yaml``).  ``message`` says what is wrong and, in
    parentheses, what was expected.
    """

    file: str
    line: int
    column: int
    field: str
    message: str

    def __str__(self) -> str:
        return (f"{printable(self.file)}:{self.line}:{self.column}: "
                f"{printable(self.field)}: {printable(self.message)}")


def printable(text: str) -> str:
    """Escape control and line-breaking characters, so a problem stays on one line."""
    return "".join(
        ch if ch.isprintable() or ch == " " else (f"\\x{ord(ch):02x}" if ord(ch) < 0x100 else f"\\u{ord(ch):04x}")
        for ch in text
    )


def printable_lines(text: str) -> str:
    """:func:`printable` line by line: a message may span lines, but no line carries a
    control character.  Everything printed that holds a path or content goes through this
    (or through :class:`Problem`), so a file name or a text cannot drive the terminal."""
    return "\n".join(printable(line) for line in text.split("\n"))


def shorten(text: str, limit: int = 60) -> str:
    """``text``, or its start and its length when it is too long to quote in one line."""
    if len(text) <= limit:
        return text
    return f"{text[:limit // 2]}… ({len(text):,} characters)"


class ContentError(Exception):
    """The content cannot be built; carries every problem found in one run."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = sorted(set(problems))
        super().__init__(f"{len(self.problems)} problem(s) in the content")

    def report(self) -> str:
        return "\n".join(str(p) for p in self.problems)


class BuildError(Exception):
    """The build failed for a reason other than the content (disk, tools)."""
