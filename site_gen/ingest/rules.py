"""The ingest rules file: which junk to drop from a scraped page, and how.

The file lives in content/ and so arrives by pull request like the rest: it
is read by the same reader and YAML dialect as the content (no links, no
special files, no aliases, no invisible characters).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from site_gen.load.yaml_source import load_yaml


@dataclass(frozen=True)
class LineRule:
    """A named regular expression applied to one stripped line."""

    name: str
    pattern: re.Pattern[str]


@dataclass(frozen=True)
class IngestRules:
    drop_lines: tuple[LineRule, ...] = ()
    strip: tuple[LineRule, ...] = ()
    pinyin: re.Pattern[str] | None = None
    traditional_threshold: float = 0.02
    table_headers: tuple[str, ...] = field(default_factory=tuple)


class RulesError(ValueError):
    """The rules file cannot be used; the message names the file and the rule."""


def _compile(path: Path, where: str, pattern: object) -> re.Pattern[str]:
    if not isinstance(pattern, str):
        raise RulesError(f"{path}: {where}: expected a regular expression as text")
    try:
        return re.compile(pattern)
    except re.error as exc:
        raise RulesError(f"{path}: {where}: invalid regular expression: {exc}") from exc


def _line_rules(path: Path, data: dict, key: str) -> tuple[LineRule, ...]:
    rules = []
    for i, entry in enumerate(data.get(key) or []):
        where = f"{key}[{i}]"
        if not isinstance(entry, dict) or set(entry) != {"name", "pattern"}:
            raise RulesError(f"{path}: {where}: expected `name` and `pattern`")
        rules.append(LineRule(str(entry["name"]), _compile(path, where, entry["pattern"])))
    return tuple(rules)


def load_rules(path: Path) -> IngestRules:
    """Read and compile the rules file at ``path``."""
    doc, problems = load_yaml(path, str(path))
    if doc is None:
        raise RulesError("; ".join(str(p) for p in problems))
    data = doc.data
    if not isinstance(data, dict):
        raise RulesError(f"{path}: expected a mapping of rules")
    known = {"drop_lines", "strip", "pinyin", "traditional_threshold", "tables"}
    unknown = sorted(set(data) - known)
    if unknown:
        raise RulesError(f"{path}: unknown key {unknown[0]!r} (expected one of {sorted(known)})")
    pinyin = data.get("pinyin")
    tables = data.get("tables") or []
    if not all(isinstance(t, dict) and isinstance(t.get("header"), str) for t in tables):
        raise RulesError(f"{path}: tables: each entry needs a `header` text")
    threshold = data.get("traditional_threshold", 0.02)
    if isinstance(threshold, bool) or not isinstance(threshold, (int, float, Decimal)) or not 0 <= threshold <= 1:
        raise RulesError(f"{path}: traditional_threshold: expected a number between 0 and 1")
    return IngestRules(
        drop_lines=_line_rules(path, data, "drop_lines"),
        strip=_line_rules(path, data, "strip"),
        pinyin=_compile(path, "pinyin", pinyin) if pinyin else None,
        traditional_threshold=float(threshold),
        table_headers=tuple(t["header"] for t in tables),
    )
