"""The ingest rules, compiled, and applying one to a line within a time limit.

The rules come from ``content/ingest-rules.yaml``, which arrives by pull
request like the rest of the content; it is read and checked by
:mod:`site_gen.validate.ingest_rules`.  A check cannot tell every slow
pattern from a fast one (``(a|aa)+$`` backtracks exponentially and looks
harmless), so every match runs with the ``regex`` module's timeout: a rule
that runs away stops ``site-gen ingest`` with the rule's name and the line,
instead of hanging it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import regex

RULE_SECONDS = 0.5
"""Time one rule may take on one line.  A real rule takes microseconds on a
real line; this is thousands of times that, and short enough to fail fast."""

SECONDS_PER_CHARACTER = 1e-7
"""Added per character of the line, so a linear rule on a huge line (10 million
characters: one more second) is never mistaken for a runaway one."""


@dataclass(frozen=True)
class LineRule:
    """A named regular expression applied to one stripped line.

    ``where`` is the rule's place in the rules file (``drop_lines[2]``), for
    messages.
    """

    name: str
    pattern: regex.Pattern[str]
    where: str = ""


@dataclass(frozen=True)
class IngestRules:
    drop_lines: tuple[LineRule, ...] = ()
    strip: tuple[LineRule, ...] = ()
    pinyin: LineRule | None = None
    traditional_threshold: float = 0.02
    table_headers: tuple[str, ...] = field(default_factory=tuple)
    source: str = "ingest-rules.yaml"
    """The rules file, as named in messages."""


class RuleTimeout(Exception):
    """A rule ran longer than its time limit on one line."""

    def __init__(self, rule: LineRule, seconds: float):
        super().__init__(f"rule {rule.name!r} took longer than {seconds:.1f} s")
        self.rule, self.seconds = rule, seconds
        self.line: int | None = None  # the line of the scraped page, set by the cleaner
        self.text = ""


def time_limit(line: str) -> float:
    return RULE_SECONDS + len(line) * SECONDS_PER_CHARACTER


def search(rule: LineRule, line: str) -> bool:
    """True when ``rule`` matches somewhere in ``line``; :class:`RuleTimeout` if it runs away."""
    seconds = time_limit(line)
    try:
        return rule.pattern.search(line, timeout=seconds) is not None
    except TimeoutError:
        raise RuleTimeout(rule, seconds) from None


def remove(rule: LineRule, line: str) -> tuple[str, int]:
    """``line`` without what ``rule`` matches, and how many matches; :class:`RuleTimeout` if it runs away."""
    seconds = time_limit(line)
    try:
        return rule.pattern.subn("", line, timeout=seconds)
    except TimeoutError:
        raise RuleTimeout(rule, seconds) from None
