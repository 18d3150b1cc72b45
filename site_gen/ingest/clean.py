"""Turn a scraped government page into a clean archived text.

The steps run in a fixed order, each a small function of lines to lines, so
the report can say what every step did:

1. normalise whitespace (full-width and no-break spaces, indentation, runs)
   and remove invisible and control characters, which the build refuses
   (:mod:`site_gen.load.characters`);
2. convert traditional characters to simplified (OpenCC t2s) when the text
   is mostly traditional;
3. remove pinyin annotations such as 盘(pán);
4. drop junk lines and strip junk from lines, by the named rules;
5. rejoin flattened tables, one row per line.

The result has one paragraph per line and no blank lines, which is the form
:mod:`site_gen.sourcetext` reads.  Each line keeps the number it had in the
scraped page, so a rule that runs away (:class:`RuleTimeout`) is reported
at the line it ran away on.
"""

from __future__ import annotations

import re
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Iterator

from site_gen.ingest.rules import IngestRules, LineRule, RuleTimeout, remove, search
from site_gen.load.characters import is_refused

_SPACES = re.compile(r"[ \t\u3000\u00a0\u2002\u2003\u2009\u200b\ufeff]+")
_CJK = re.compile(r"[\u4e00-\u9fff]")
CELL_SEPARATOR = "｜"


@dataclass
class IngestReport:
    """What cleaning did, counted by rule name, for the editor to review."""

    counts: Counter[str] = field(default_factory=Counter)
    converted_to_simplified: bool = False
    tables: int = 0
    sha256: str = ""
    """SHA-256 of the archived text as written (set by :func:`site_gen.ingest.ingest_file`)."""

    def lines(self) -> list[str]:
        out = []
        if self.converted_to_simplified:
            out.append("converted traditional characters to simplified (OpenCC t2s)")
        for name, count in sorted(self.counts.items()):
            out.append(f"{name}: {count}")
        if self.tables:
            out.append(f"flattened tables rejoined: {self.tables}")
        return out


def normalise_whitespace(lines: list[str], numbers: list[int]) -> tuple[list[str], list[int]]:
    """Collapse every run of spaces to one and drop empty lines; ``numbers`` follow the lines."""
    kept = [(number, _SPACES.sub(" ", line).strip()) for number, line in zip(numbers, lines)]
    kept = [(number, line) for number, line in kept if line]
    return [line for _, line in kept], [number for number, _ in kept]


def remove_invisible(lines: list[str], numbers: list[int], report: IngestReport) -> tuple[list[str], list[int]]:
    """Drop bidirectional controls, zero-width and control characters scraped pages carry.

    ``numbers`` (each line's number in the scraped page) follow the lines kept.
    """
    out, kept_numbers = [], []
    for number, line in zip(numbers, lines):
        if not line.isprintable():
            kept = "".join(ch for ch in line if not is_refused(ch))
            if len(kept) < len(line):
                report.counts["invisible and control characters removed"] += len(line) - len(kept)
                line = kept.strip()
        if line:
            out.append(line)
            kept_numbers.append(number)
    return out, kept_numbers


def _t2s() -> Any:
    import opencc  # imported here: only ingest needs it

    return opencc.OpenCC("t2s")


def to_simplified(text: str, threshold: float) -> tuple[str, bool]:
    """Convert to simplified characters if more than ``threshold`` of them are traditional.

    A character counts as traditional when t2s changes it on its own; counting
    per character (not comparing the texts position by position) stays right
    when a phrase conversion changes a text's length.
    """
    converter = _t2s()
    characters = _CJK.findall(text)
    if not characters:
        return text, False
    traditional = {c for c in set(characters) if converter.convert(c) != c}
    share = sum(1 for c in characters if c in traditional) / len(characters)
    if share > threshold:
        return converter.convert(text), True
    return text, False


def remove_pinyin(lines: list[str], rule: LineRule, report: IngestReport,
                  numbers: list[int] | None = None) -> list[str]:
    out = []
    for i, line in enumerate(lines):
        with _at_line(numbers[i] if numbers else i + 1, line):
            cleaned, n = remove(rule, line)
        if n:
            report.counts["pinyin annotations removed"] += n
        out.append(cleaned)
    return out


def apply_line_rules(lines: list[str], rules: IngestRules, report: IngestReport,
                     numbers: list[int] | None = None) -> tuple[list[str], list[int]]:
    """Drop junk lines and strip junk from lines; returns the lines kept and their numbers."""
    out, kept = [], []
    for i, line in enumerate(lines):
        number = numbers[i] if numbers else i + 1
        with _at_line(number, line):
            dropped = next((r for r in rules.drop_lines if search(r, line)), None)
            if dropped:
                report.counts[f"dropped line: {dropped.name}"] += 1
                continue
            for rule in rules.strip:
                line, n = remove(rule, line)
                if n:
                    report.counts[f"stripped: {rule.name}"] += n
        line = line.strip()
        if line:
            out.append(line)
            kept.append(number)
    return out, kept


@contextmanager
def _at_line(number: int, text: str) -> Iterator[None]:
    """Tell a :class:`RuleTimeout` which line of the scraped page it happened on."""
    try:
        yield
    except RuleTimeout as timeout:
        timeout.line, timeout.text = number, text
        raise


def rejoin_tables(lines: list[str], headers: tuple[str, ...], report: IngestReport) -> list[str]:
    """Rejoin tables flattened one cell per line into one paragraph per row."""
    out: list[str] = []
    i = 0
    while i < len(lines):
        if lines[i] not in headers:
            out.append(lines[i])
            i += 1
            continue
        try:
            first_row = lines.index("1", i + 1)
        except ValueError:
            out.append(lines[i])
            i += 1
            continue
        report.tables += 1
        out.append(CELL_SEPARATOR.join(lines[i:first_row]))
        i, row = first_row, 1
        while i < len(lines) and lines[i] == str(row):
            end = i + 1
            while end < len(lines) and lines[end] != str(row + 1):
                end += 1
            out.append(CELL_SEPARATOR.join(lines[i:end]))
            i, row = end, row + 1
    return out


def clean_text(raw: str, rules: IngestRules) -> tuple[str, IngestReport]:
    """Clean a scraped page; returns the archived text and what was done.

    Raises :class:`RuleTimeout`, with the line's number in ``raw``, when a
    rule runs past its time limit.
    """
    report = IngestReport()
    raw_lines = raw.splitlines()
    lines, numbers = normalise_whitespace(raw_lines, list(range(1, len(raw_lines) + 1)))
    lines, numbers = remove_invisible(lines, numbers, report)
    text, report.converted_to_simplified = to_simplified(
        "\n".join(lines), rules.traditional_threshold
    )
    lines = text.split("\n")
    if len(lines) != len(numbers):  # t2s keeps line breaks; if it ever did not, count afresh
        numbers = list(range(1, len(lines) + 1))
    if rules.pinyin is not None:
        lines = remove_pinyin(lines, rules.pinyin, report, numbers)
    lines, numbers = normalise_whitespace(lines, numbers)
    lines, numbers = apply_line_rules(lines, rules, report, numbers)
    lines = rejoin_tables(lines, rules.table_headers, report)
    return "\n".join(lines) + "\n", report
