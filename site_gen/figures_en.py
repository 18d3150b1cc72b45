"""Figures in English prose, read as :mod:`site_gen.figures` reads Chinese: money in yuan, percentages.

Editors write money in English summaries one way (see content/README.md):
``CNY 500,000``, ``CNY 1 million``, ``CNY 2.1 billion``, a range as
``CNY 200,000–800,000`` or ``CNY 1–2 million``; percentages as ``2.16%``.
Reading them gives the same :class:`~site_gen.figures.Figure` values as the
Chinese quotes (50万元 and CNY 500,000 are both 500000 yuan), so an English
summary's figures are checked against the quotes it cites, as the Chinese
summary's are.  Money written another way (RMB, yuan, ¥) is reported, not
guessed at.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from site_gen.figures import Figure, money_figure, percent_figure

_NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_MONEY = re.compile(
    rf"CNY\s?(?P<num>{_NUMBER})(?:\s?(?:–|-|to)\s?(?:CNY\s?)?(?P<num2>{_NUMBER}))?"
    r"(?:\s?(?P<mult>million|billion)\b)?")
_PERCENT = re.compile(rf"(?<![\d.,])(?P<num>{_NUMBER})(?:\s?(?:–|-|to)\s?(?P<num2>{_NUMBER}))?\s?%")
_OTHER_MONEY = re.compile(r"\bRMB\b|\byuan\b|¥|\bRenminbi\b", re.IGNORECASE)
_MULTIPLIERS = {None: Decimal(1), "million": Decimal(10) ** 6, "billion": Decimal(10) ** 9}


@dataclass(frozen=True)
class EnglishFigure:
    """A figure of an English text: where it is, and the values it states (two for a range)."""

    start: int
    end: int
    text: str
    figures: tuple[Figure, ...]


def _value(number: str) -> Decimal:
    return Decimal(number.replace(",", ""))


def english_figures(text: str) -> list[EnglishFigure]:
    """Money and percentages of ``text``, in order."""
    found = []
    for match in _MONEY.finditer(text):
        factor = _MULTIPLIERS[match["mult"]]
        values = [_value(n) * factor for n in (match["num"], match["num2"]) if n]
        figures = tuple(money_figure(int(v)) if v == v.to_integral_value() else
                        Figure("money", v.normalize(), match.group(0), "元") for v in values)
        found.append(EnglishFigure(*match.span(), match.group(0), figures))
    for match in _PERCENT.finditer(text):
        values = [_value(n) for n in (match["num"], match["num2"]) if n]
        found.append(EnglishFigure(*match.span(), match.group(0), tuple(percent_figure(v) for v in values)))
    return sorted(found, key=lambda f: f.start)


def other_money(text: str) -> list[tuple[int, str]]:
    """Money written another way than ``CNY …`` (offset, the words), which the check cannot read."""
    return [(m.start(), m.group(0)) for m in _OTHER_MONEY.finditer(text)]
