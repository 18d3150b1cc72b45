"""Money and other figures: parse what editors write, format what readers see.

Amounts are kept as whole yuan (``int``) everywhere inside the build; editors
may write them the way documents do (``50万元``, ``2.5亿元``) and readers see
them the same way.  :func:`find_figures` reads the numbers out of a Chinese
sentence so provenance checks can compare a record with its quote.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from site_gen.errors import shorten

_WAN = 10_000
_YI = 100_000_000
_MULTIPLIERS = {"": 1, "万": _WAN, "亿": _YI}

_MONEY_TEXT = re.compile(r"^\s*(?P<num>\d+(?:\.\d+)?)\s*(?P<mult>万|亿)?\s*元?\s*$")


# No policy states a figure anywhere near this (Liaoning's GDP is about 3×10^12
# yuan); anything larger is a typo or an attack, and refusing it keeps Decimal
# arithmetic and formatting (a million-digit 1e1000000) out of the build.
MAX_FIGURE = 10**15
# Decimal places a figure may carry (2.16%, 0.5万元): more is never a policy figure.
MAX_DECIMALS = 6


class AmountFormatError(ValueError):
    """Raised when a text cannot be read as an amount of money."""


def figure_problem(number: Decimal) -> str | None:
    """Why ``number`` cannot be a figure of a policy, or None if it can."""
    shown = shorten(str(number))
    if not number.is_finite():
        return f"{shown} is not a finite number (expected a number such as 2.5)"
    if number and number.adjusted() >= 15:
        return f"{shown} is too large (expected less than 10^15)"
    if number and number.adjusted() < -MAX_DECIMALS:
        return f"{shown} is too small (expected at most {MAX_DECIMALS} decimal places)"
    if number != number.quantize(Decimal(1).scaleb(-MAX_DECIMALS)):
        return f"{shown} has too many decimal places (expected at most {MAX_DECIMALS})"
    return None


def parse_yuan(value: object) -> int:
    """Return ``value`` as whole yuan.

    Accepts an ``int`` (already yuan) or a text such as ``"50万元"``,
    ``"2.5亿元"``, ``"1500元"`` or ``"500000"``.  Fractions of a yuan and
    negative amounts are refused, because no document offers either.
    """
    if isinstance(value, bool):
        raise AmountFormatError("expected an amount such as 50万元 or 500000")
    if isinstance(value, int):
        if value < 0:
            raise AmountFormatError("an amount cannot be negative")
        if value >= MAX_FIGURE:
            raise AmountFormatError(f"{shorten(str(value))} is too large (expected less than 10^15 yuan)")
        return value
    if isinstance(value, float):
        raise AmountFormatError(
            f"{value!r} is a fraction of a yuan; write it with its unit, such as 2.5万元"
        )
    if not isinstance(value, str):
        raise AmountFormatError("expected an amount such as 50万元 or 500000")
    shown = repr(shorten(value))
    match = _MONEY_TEXT.match(value)
    if not match:
        raise AmountFormatError(
            f"{shown} is not an amount (expected a number with 元, 万元 or 亿元, such as 50万元)"
        )
    try:
        number = Decimal(match["num"])
    except InvalidOperation as exc:  # pragma: no cover - the pattern only admits digits
        raise AmountFormatError(f"{shown} is not a number") from exc
    if number and not -MAX_DECIMALS <= number.adjusted() < 15:  # checked before multiplying, which rounds
        raise AmountFormatError(f"{shown} is not an amount a policy states (expected less than 10^15 yuan)")
    yuan = number * _MULTIPLIERS[match["mult"] or ""]
    if yuan >= MAX_FIGURE:
        raise AmountFormatError(f"{shown} is too large (expected less than 10^15 yuan)")
    if yuan != yuan.to_integral_value():
        raise AmountFormatError(f"{shown} is not a whole number of yuan")
    return int(yuan)


def _trim(number: Decimal) -> str:
    text = format(number.normalize(), "f")
    return text


def format_yuan(yuan: int) -> str:
    """Write whole yuan the way Chinese documents do: ``50万元``, ``2.5亿元``."""
    if yuan >= _YI and yuan % _WAN == 0:
        return f"{_trim(Decimal(yuan) / _YI)}亿元"
    if yuan >= _WAN:
        return f"{_trim(Decimal(yuan) / _WAN)}万元"
    return f"{yuan}元"


def format_number(number: Decimal | int, unit: str = "") -> str:
    """Write a plain figure with its unit: ``2.16%``, ``500家``, ``21亿元``."""
    if unit == "元":
        return format_yuan(int(number))
    return f"{_trim(Decimal(number))}{unit}"


# A figure in running text: 50万元, 2.16%, 2024年, 1.6万平方米, 500家.
_FIGURE = re.compile(
    r"(?<![\d.])(?P<num>\d+(?:\.\d+)?)(?![\d.])\s*(?P<mult>万|亿)?(?P<unit>元|%|％)?"
    # a counter word after a plain number is kept for display only: 2年, 500家
    r"(?(unit)|(?:年|家|个|件|项|场|名|人|只|倍|亩|平方米|平方公里|天|月|日|次|户)?)"
)


@dataclass(frozen=True)
class Figure:
    """A number found in text.

    ``kind`` is ``money`` (value in yuan), ``percent`` or ``number`` (value
    with any 万/亿 multiplier applied).  ``text`` is the figure as written.
    """

    kind: str
    value: Decimal
    text: str


# Multiplying words that state a figure without digits: 翻番 = 2 times.
_DOUBLING = re.compile(r"翻(?:一)?番|翻两番")


def find_figures(text: str) -> list[Figure]:
    """Every figure in ``text``: Arabic numerals, and 翻番 (x2) / 翻两番 (x4)."""
    figures = [
        Figure("number", Decimal(4 if m.group(0) == "翻两番" else 2), m.group(0))
        for m in _DOUBLING.finditer(text)
    ]
    for match in _FIGURE.finditer(text):
        number = Decimal(match["num"]) * _MULTIPLIERS[match["mult"] or ""]
        unit = match["unit"]
        if unit == "元":
            kind = "money"
        elif unit in ("%", "％"):
            kind = "percent"
            number = Decimal(match["num"])
        else:
            kind = "number"
        figures.append(Figure(kind, number.normalize(), match.group(0)))
    return figures


def money_figure(yuan: int) -> Figure:
    return Figure("money", Decimal(yuan).normalize(), format_yuan(yuan))


def percent_figure(percent: Decimal) -> Figure:
    return Figure("percent", Decimal(percent).normalize(), f"{_trim(Decimal(percent))}%")


def number_figure(number: Decimal | int, unit: str = "") -> Figure:
    """A plain figure, with a unit such as ``万平方米`` folded into its value."""
    value = Decimal(number)
    for prefix, factor in (("亿", _YI), ("万", _WAN)):
        if unit.startswith(prefix) and len(unit) > 1:
            value *= factor
            break
    if unit == "元":
        return money_figure(int(value))
    if unit in ("%", "％"):
        return percent_figure(value)
    return Figure("number", value.normalize(), f"{_trim(Decimal(number))}{unit}")
