"""Amounts, figures and years in the words of one edition.

Derive keeps amounts as values (yuan, Decimal, qualifiers); this module puts
them into words with the edition's gettext and number format.  The Chinese
words are the message ids, so the Chinese edition reads exactly as
:mod:`site_gen.derive.amounts` writes it (a test compares both over the real
content); the English edition writes money as ``CNY 500,000``,
``CNY 1 million``, ``CNY 2.1 billion`` and ranges as ``CNY 200,000–800,000``.
What an editor wrote inside an amount (``percent_of``, ``per_unit``,
``benefit``, a quantity's ``what``) stays as written, marked ``lang="zh-CN"``
on English pages by the caller's ``zh``.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Callable

from markupsafe import Markup, escape

from site_gen.figures import format_number, format_yuan
from site_gen.records import (
    AnyAmount,
    BenefitAmount,
    FixedAmount,
    PercentAmount,
    PerUnitAmount,
    Quantity,
    RangeAmount,
    Target,
    TiersAmount,
)
from site_gen.words import N_

Gettext = Callable[[str], str]

_TIME_UNITS = ("年", "月", "天", "日")

# English unit words (message ids: the Chinese figure); a count's noun is its row's label.
UNITS = {
    "%": N_("%(n)s%%"), "元": N_("%(n)s元"),
    "个": N_("%(n)s个"), "家": N_("%(n)s家"), "项": N_("%(n)s项"), "场": N_("%(n)s场"), "人": N_("%(n)s人"),
    "名": N_("%(n)s名"), "户": N_("%(n)s户"), "只": N_("%(n)s只"), "件": N_("%(n)s件"), "次": N_("%(n)s次"),
    "条": N_("%(n)s条"), "支": N_("%(n)s支"), "所": N_("%(n)s所"), "座": N_("%(n)s座"), "套": N_("%(n)s套"),
    "台": N_("%(n)s台"), "位": N_("%(n)s位"),
    "倍": N_("%(n)s倍"), "年": N_("%(n)s年"), "月": N_("%(n)s月"), "天": N_("%(n)s天"), "日": N_("%(n)s日"),
    "平方公里": N_("%(n)s平方公里"), "平方米": N_("%(n)s平方米"), "亩": N_("%(n)s亩"),
    "万平方米": N_("%(n)s万平方米"), "万亩": N_("%(n)s万亩"),
}
_TEN_THOUSANDS = {"万平方米", "万亩"}


def english_money(yuan: int) -> str:
    """``CNY 500,000``, ``CNY 1 million``, ``CNY 2.1 billion``."""
    return "CNY " + english_yuan(yuan)


def english_yuan(yuan: int) -> str:
    if yuan >= 1_000_000_000 and yuan % 10_000_000 == 0:
        return f"{_trim(Decimal(yuan) / 1_000_000_000)} billion"
    if yuan >= 1_000_000 and yuan % 10_000 == 0:
        return f"{_trim(Decimal(yuan) / 1_000_000)} million"
    return f"{yuan:,}"


def _trim(number: Decimal) -> str:
    return format(number.normalize(), "f")


def english_number(number: Decimal) -> str:
    """``2.16``, ``1,200``: thousands separated, no trailing zeros."""
    text = _trim(number)
    whole, _, fraction = text.partition(".")
    return f"{int(whole):,}" + (f".{fraction}" if fraction else "")


@dataclass(frozen=True)
class Figures:
    """Amounts and figures for one edition: its ``gettext``, its money and its ``zh`` marking."""

    gettext: Gettext
    source: bool
    """True for the Chinese edition: numbers as Chinese documents write them."""
    zh: Callable[[str], Markup]

    def _(self, message: str, **params: object) -> Markup:
        text = self.gettext(message)
        return Markup(escape(text).replace("%%", "%")) if not params else Markup(escape(text)) % params

    def money(self, yuan: int) -> Markup:
        return Markup(escape(format_yuan(yuan) if self.source else english_money(yuan)))

    def number(self, value: Decimal, unit: str) -> Markup:
        """A figure with its unit: ``2.16%``, ``260家`` / ``260``, ``1.6万平方米`` / ``16,000 m²``."""
        if unit == "元":
            return self.money(int(value))
        if self.source:
            return Markup(escape(format_number(value, unit)))
        if unit in UNITS:
            shown = value * 10_000 if unit in _TEN_THOUSANDS else value
            return self._(UNITS[unit], n=english_number(shown))
        return Markup(escape(english_number(value))) + (Markup(" ") + self.zh(unit) if unit else Markup(""))

    def number_of(self, pair: tuple[Decimal, str]) -> Markup:
        """:meth:`number` of a (value, unit) pair (a map tile's figure)."""
        return self.number(*pair)

    def _bounds(self, low: int | None, high: int | None) -> Markup:
        if low is not None and high is not None:
            return self._("最低%(low)s、最高%(high)s", low=self.money(low), high=self.money(high))
        if high is not None:
            return self._("最高%(amount)s", amount=self.money(high))
        if low is not None:
            return self._("不低于%(amount)s", amount=self.money(low))
        return Markup("")

    def money_range(self, low: int, high: int) -> Markup:
        if self.source:
            return Markup(escape(f"{format_yuan(low)}—{format_yuan(high)}"))
        return Markup(escape(f"CNY {english_yuan(low)}–{english_yuan(high)}"))

    def amount(self, amount: AnyAmount) -> Markup:
        """``50万元`` / ``CNY 500,000``, ``最低50万元、最高100万元``, ``风险投资总额的20%，最高200万元``."""
        if isinstance(amount, FixedAmount):
            return self.money(amount.value)
        if isinstance(amount, RangeAmount):
            if amount.min is not None and amount.max is not None:
                return self.money_range(amount.min, amount.max)
            return self._bounds(amount.min, amount.max)
        if isinstance(amount, TiersAmount):
            tiers = self._("、").join(self.money(t) for t in amount.tiers)
            if amount.over_years:
                return self._("%(years)s年内分档给予%(tiers)s", years=amount.over_years, tiers=tiers)
            return self._("分档给予%(tiers)s", tiers=tiers)
        if isinstance(amount, PercentAmount):
            percent = self.number(amount.percent, "%")
            of = self.zh(amount.of)
            share = (self._("不超过%(of)s的%(percent)s", of=of, percent=percent) if amount.up_to
                     else self._("%(of)s的%(percent)s", of=of, percent=percent))
            bounds = self._bounds(amount.min, amount.cap)
            return self._("%(share)s，%(bounds)s", share=share, bounds=bounds) if bounds else share
        if isinstance(amount, PerUnitAmount):
            value = self._("%(per)s%(amount)s", per=self.zh(amount.per), amount=self.money(amount.value))
            if amount.cap is None:
                return value
            return self._("%(value)s，最高%(cap)s", value=value, cap=self.money(amount.cap))
        if isinstance(amount, BenefitAmount):
            return self.zh(amount.benefit)
        return self._("未明确金额")

    def _range(self, low: Decimal | None, high: Decimal | None, unit: str) -> Markup:
        if low is not None and high is not None:
            if self.source:
                first = format_number(low, unit) if unit == "元" else format_number(low, "")
                return Markup(escape(f"{first}—{format_number(high, unit)}"))
            if unit == "元":
                return self.money_range(int(low), int(high))
            return self._("%(low)s—%(high)s", low=english_number(low), high=self.number(high, unit))
        if low is not None:
            return self._("%(figure)s以上", figure=self.number(low, unit))
        assert high is not None
        return self._("%(figure)s以内", figure=self.number(high, unit))

    def qualified(self, text: Markup, qualifier: str, unit: str, *, goal: bool = False) -> Markup:
        """近30%, 20家以上, 突破260家 (a goal), 超过10亿元 (a threshold), 3年内."""
        if qualifier == "exceed":
            return self._("突破%(figure)s", figure=text) if goal else self._("超过%(figure)s", figure=text)
        if qualifier == "at-least":
            return self._("%(figure)s以上", figure=text)
        if qualifier == "about":
            return self._("%(figure)s左右", figure=text)
        if qualifier == "nearly":
            return self._("近%(figure)s", figure=text)
        if qualifier == "at-most":
            return (self._("%(figure)s内", figure=text) if unit in _TIME_UNITS
                    else self._("不超过%(figure)s", figure=text))
        return text

    def figure(self, value: Decimal | None, low: Decimal | None, high: Decimal | None, unit: str,
               qualifier: str, *, goal: bool = False) -> Markup:
        if value is None:
            return self._range(low, high, unit)
        return self.qualified(self.number(value, unit), qualifier, unit, goal=goal)

    def quantity(self, quantity: Quantity) -> Markup:
        """``人才服务大厦建筑面积：1.6万平方米``, ``3年内``."""
        shown = self.figure(quantity.value, quantity.min, quantity.max, quantity.unit or "", quantity.qualifier)
        return self._("%(what)s：%(figure)s", what=self.zh(quantity.what), figure=shown) if quantity.what else shown

    def target_value(self, target: Target) -> Markup:
        """``2.16%``, ``突破260家``, ``力争20家以上``; a goal in words as written."""
        if not target.numbers():
            return self.zh(target.label or "") if target.label else Markup("")
        value = self.figure(target.value, target.min, target.max, target.unit or "", target.qualifier, goal=True)
        return self._("力争%(figure)s", figure=value) if target.strive else value

    def target_year(self, target: Target) -> Markup:
        """``2024年``, ``2024年左右``, ``三年内（起算年份未载明）``, or 年份未载明."""
        horizon = self.quantity(target.horizon) if target.horizon is not None else None
        if target.year is not None:
            year = (self._("%(year)s年左右", year=target.year) if target.year_approximate
                    else self._("%(year)s年", year=target.year))
            return self._("%(year)s（%(horizon)s）", year=year, horizon=horizon) if horizon else year
        if horizon:
            return self._("%(horizon)s（起算年份未载明）", horizon=horizon)
        return self._("年份未载明")
