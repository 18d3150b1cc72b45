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
from functools import lru_cache

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


# Counter words that give a bare number its unit: 2年, 500家, 1.6万平方米.
COUNTERS = ("平方公里", "平方米", "年", "家", "个", "件", "项", "场", "名", "人", "只", "支", "条",
            "所", "座", "倍", "亩", "天", "月", "日", "次", "户", "位", "套", "台")
_COUNTER = "|".join(COUNTERS)
_RANGE = r"\s*(?:—|–|-|~|～|至|到)\s*"

# A figure in running text: 50万元, 2.16%, 2024年, 1.6万平方米, 500家; a range
# such as 1—2场 or 3-5年 gives its unit to both ends.
_FIGURE = re.compile(
    r"(?<![\d.])(?P<num>\d+(?:\.\d+)?)(?![\d.])"
    rf"(?:{_RANGE}(?P<num2>\d+(?:\.\d+)?)(?![\d.]))?"
    r"\s*(?P<mult>万|亿)?(?P<unit>元|%|％)?"
    rf"(?(unit)|(?P<counter>{_COUNTER})?)"
)

# Chinese numerals count as figures when a counter word follows: 三只, 五年内,
# 一到两个.  Without a counter they are names or idioms (十三五, 一流, 统一,
# 一批), so those are not read; nor are ordinals (第一), 每一, 另一个, 同一项,
# 一次性 and the 一X一Y idioms (一人一策, 一区一园).
_CN_NUMERAL = "[一二两三四五六七八九十]+"
_CN_FIGURE = re.compile(
    rf"(?<![第每统唯之逐另同任])(?P<num>{_CN_NUMERAL})(?:{_RANGE}(?P<num2>{_CN_NUMERAL}))?"
    r"(?P<mult>万|亿)?"
    rf"(?P<counter>{_COUNTER})(?!性|一)(?!.一)"
)
# Hundreds and thousands of 万元/亿元 written in Chinese: 超百亿元, 超千亿元, 五百万元.  Only with a
# money unit: 百强, 百户 and 百企联百校 are names.
_CN_BIG_MONEY = re.compile(r"(?<![\d.一二两三四五六七八九十百千])(?P<num>[一二两三四五六七八九]?[百千])"
                           r"(?P<mult>万|亿)(?P<unit>元)")


@dataclass(frozen=True)
class Figure:
    """A number found in text, or stated by a record.

    ``kind`` is ``money`` (value in yuan), ``percent`` or ``number`` (value
    with any 万/亿 multiplier applied).  ``unit`` is compared with the value:
    ``元`` for money, ``%`` for a percentage, and for a number the counter
    word that follows it (``家``, ``年``, ``平方米``), or empty.  ``text`` is
    the figure as written.
    """

    kind: str
    value: Decimal
    text: str
    unit: str = ""
    qualifier: str = "reach"
    """How the text qualifies the figure, read from the words around it (see :data:`QUALIFIER_WORDS`):
    ``nearly`` (近30%), ``about`` (10个左右), ``at-least`` (20家以上, 不低于100万元), ``exceed``
    (突破260家, 超10亿元), ``at-most`` (三年内, 不超过20%), or ``reach`` when no such word touches it."""

    def same_as(self, other: "Figure") -> bool:
        """Same kind, value and unit: 10万亩 is not 10万平方米, 5年 is not 5家."""
        return (self.kind, self.value, self.unit) == (other.kind, other.value, other.unit)

    @property
    def unitless(self) -> bool:
        """A bare number (4+1, 6+4, 工业4.0): a name or label more often than a quantity."""
        return self.kind == "number" and not self.unit

    @property
    def date_part(self) -> bool:
        """The month or day of a date or deadline (12月31日), not a quantity."""
        return self.kind == "number" and self.unit in ("月", "日")


# Multiplying words that state a figure without digits: 翻番 = 2 times.
_DOUBLING = re.compile(r"翻(?:一)?番|翻两番")

_CN_VALUES = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def chinese_hundreds(text: str) -> int | None:
    """百 -> 100, 五百 -> 500, 千 -> 1000, 两千 -> 2000."""
    scale = {"百": 100, "千": 1000}.get(text[-1:])
    if scale is None:
        return None
    head = text[:-1]
    return scale * (_CN_VALUES.get(head, 0) if head else 1) or None


def chinese_number(text: str) -> int | None:
    """Value of a Chinese numeral below 100 (三 -> 3, 十二 -> 12, 二十 -> 20), else None."""
    if not text or text.count("十") > 1:
        return None
    if "十" in text:
        tens, _, units = text.partition("十")
        if len(tens) > 1 or len(units) > 1:
            return None
        high = _CN_VALUES.get(tens, 0) if tens else 1
        low = _CN_VALUES.get(units, 0) if units else 0
        return high * 10 + low if (not tens or high) and (not units or low) else None
    return _CN_VALUES.get(text) if len(text) == 1 else None


def _number_figures(num: str, num2: str | None, mult: str | None, unit: str | None,
                    counter: str | None, text: str, qualifier: str = "reach") -> list[Figure]:
    factor = _MULTIPLIERS[mult or ""]
    figures = []
    for written in (num, num2):
        if written is None:
            continue
        if unit == "元":
            figures.append(Figure("money", (Decimal(written) * factor).normalize(), text, "元", qualifier))
        elif unit in ("%", "％"):
            figures.append(Figure("percent", Decimal(written).normalize(), text, "%", qualifier))
        else:
            figures.append(Figure("number", (Decimal(written) * factor).normalize(), text, counter or "",
                                  qualifier))
    return figures


# Words that qualify a figure when they touch it, by the qualifier they mean.  Words before the
# figure, longest first; words after it.  内 counts only after a time (三年内, 2年内).
QUALIFIER_WORDS: dict[str, tuple[str, ...]] = {
    "nearly": ("近",),
    "about": ("左右", "约"),
    "at-least": ("以上", "不低于", "不少于", "至少", "最低", "最少", "满"),
    "exceed": ("突破", "超过", "超"),
    "at-most": ("以内", "以下", "不超过", "最高", "最多", "内"),
}
_BEFORE = sorted(((w, q) for q, ws in QUALIFIER_WORDS.items() for w in ws
                  if w not in ("以上", "以下", "以内", "左右", "内")), key=lambda p: -len(p[0]))
_AFTER = (("(含)以上", "at-least"), ("（含）以上", "at-least"), ("以上", "at-least"), ("以下", "at-most"),
          ("以内", "at-most"), ("左右", "about"), ("内", "at-most"))
_TIME_UNITS = ("年", "月", "天", "日")


def read_qualifier(text: str, start: int, end: int, unit: str) -> str:
    """The qualifier the words touching ``text[start:end]`` give it, or ``reach``."""
    before, after = text[max(0, start - 3):start], text[end:end + 5]
    for word, qualifier in _AFTER:
        if after.startswith(word) and (word != "内" or unit in _TIME_UNITS):
            return qualifier
    for word, qualifier in _BEFORE:
        if before.endswith(word) and not (word == "近" and before[-2:] in ("最近", "附近")):
            return qualifier
    return "reach"


# Pointers into a text are not quantities: 附件2, 专栏8, 第7行, 第一阶段, 三/(四)/3; nor is a
# slogan that opens with a numeral (“四个全面”, “三个推进”, “一个窗口对外”), nor a plan's
# name (三年行动计划: its years are the document's period).
_LABEL = rf"(?:附件\d+|专栏\d+|{_CN_NUMERAL}|[(（](?:{_CN_NUMERAL}|\d+)[)）]|\d+)"
_REFERENCE = re.compile(
    r"^\d+(?:[.．、｜](?!\d)|[.．](?=(?:19|20)\d\d年))"               # an item number opening a paragraph: 2.2021年…
    rf"|^[(（](?:\d+|{_CN_NUMERAL})[)）]"                          # … or in brackets: (1), （二）
    rf"|{_LABEL}(?:/{_LABEL})+"                                  # a section path: 三/(四)/3
    rf"|附件\s*\d+|专栏\s*\d+|第\s*(?:\d+|{_CN_NUMERAL})\s*[行列条项款章节部分批次届期段阶]"
    r"|“[一二三四五六七八九十]个[^”\d]{2,4}”"                      # a slogan: “四个全面”, “一个窗口对外”
    rf"|{_CN_NUMERAL}年行动计划"                                  # a plan's name: 三年行动计划
)


def _outside_references(text: str) -> str:
    """``text`` with references blanked out (same length, so offsets stay)."""
    return _REFERENCE.sub(lambda m: " " * len(m.group(0)), text)


def find_figures(text: str) -> list[Figure]:
    """Every figure in ``text``: Arabic numerals, Chinese numerals with a counter, 翻番 (x2) / 翻两番 (x4).

    References (附件2, 专栏8, 第7行) are not figures.  A record's quotes are read
    by several checks, so results are remembered (figures are immutable).
    """
    return list(_find_figures(text))


@lru_cache(maxsize=4096)
def _find_figures(text: str) -> tuple[Figure, ...]:
    text = _outside_references(text)
    figures = [
        Figure("number", Decimal(4 if m.group(0) == "翻两番" else 2), m.group(0), "倍")
        for m in _DOUBLING.finditer(text)
    ]
    for match in _FIGURE.finditer(text):
        unit = match["unit"] or match["counter"] or ""
        figures += _number_figures(match["num"], match["num2"], match["mult"], match["unit"],
                                   match["counter"], match.group(0),
                                   read_qualifier(text, *match.span(), unit))
    for match in _CN_FIGURE.finditer(text):
        first, second = chinese_number(match["num"]), chinese_number(match["num2"] or "")
        if first is None or (match["num2"] and second is None):
            continue
        figures += _number_figures(str(first), str(second) if match["num2"] else None, match["mult"], None,
                                   match["counter"], match.group(0),
                                   read_qualifier(text, *match.span(), match["counter"]))
    for match in _CN_BIG_MONEY.finditer(text):
        value = chinese_hundreds(match["num"])
        if value is not None:
            figures += _number_figures(str(value), None, match["mult"], "元", None, match.group(0),
                                       read_qualifier(text, *match.span(), "元"))
    return tuple(figures)


def figure_spans(text: str) -> list[tuple[int, int]]:
    """Where the figures of ``text`` are, as (start, end) offsets."""
    text = _outside_references(text)
    spans = [m.span() for m in _FIGURE.finditer(text)]
    spans += [m.span() for m in _CN_FIGURE.finditer(text)
              if chinese_number(m["num"]) is not None and (not m["num2"] or chinese_number(m["num2"]) is not None)]
    spans += [m.span() for m in _CN_BIG_MONEY.finditer(text)]
    return sorted(spans)


def money_figure(yuan: int) -> Figure:
    return Figure("money", Decimal(yuan).normalize(), format_yuan(yuan), "元")


def percent_figure(percent: Decimal) -> Figure:
    return Figure("percent", Decimal(percent).normalize(), f"{_trim(Decimal(percent))}%", "%")


def number_figure(number: Decimal | int, unit: str = "", qualifier: str = "reach") -> Figure:
    """A figure a record states, with a unit such as ``万平方米`` folded into its value.

    ``1.6`` in ``万平方米`` is 16000 平方米; ``21`` in ``亿元`` is money.
    """
    value = Decimal(number)
    base = unit
    for prefix, factor in (("亿", _YI), ("万", _WAN)):
        if unit.startswith(prefix) and len(unit) > 1:
            value *= factor
            base = unit[len(prefix):]
            break
    if base == "元":
        return Figure("money", value.normalize(), f"{_trim(Decimal(number))}{unit}", "元", qualifier)
    if base in ("%", "％"):
        return Figure("percent", value.normalize(), f"{_trim(value)}%", "%", qualifier)
    return Figure("number", value.normalize(), f"{_trim(Decimal(number))}{unit}", base, qualifier)
