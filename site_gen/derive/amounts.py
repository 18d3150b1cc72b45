"""Amounts as readers expect to see them, and the figure used to rank them."""

from __future__ import annotations

from decimal import Decimal

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


def _percent(value: Decimal) -> str:
    return format_number(value, "%")


def _bounds(low: int | None, high: int | None) -> str:
    if low is not None and high is not None:
        return f"最低{format_yuan(low)}、最高{format_yuan(high)}"
    if high is not None:
        return f"最高{format_yuan(high)}"
    if low is not None:
        return f"不低于{format_yuan(low)}"
    return ""


def amount_text(amount: AnyAmount) -> str:
    """The amount in words: ``50万元``, ``最低50万元、最高100万元``, ``风险投资总额的20%，最高200万元``."""
    if isinstance(amount, FixedAmount):
        return format_yuan(amount.value)
    if isinstance(amount, RangeAmount):
        if amount.min is not None and amount.max is not None:
            return f"{format_yuan(amount.min)}—{format_yuan(amount.max)}"
        return _bounds(amount.min, amount.max)
    if isinstance(amount, TiersAmount):
        tiers = "、".join(format_yuan(t) for t in amount.tiers)
        years = f"{amount.over_years}年内" if amount.over_years else ""
        return f"{years}分档给予{tiers}"
    if isinstance(amount, PercentAmount):
        share = f"{'不超过' if amount.up_to else ''}{amount.of}的{_percent(amount.percent)}"
        bounds = _bounds(amount.min, amount.cap)
        return f"{share}，{bounds}" if bounds else share
    if isinstance(amount, PerUnitAmount):
        cap = f"，最高{format_yuan(amount.cap)}" if amount.cap is not None else ""
        return f"{amount.per}{format_yuan(amount.value)}{cap}"
    if isinstance(amount, BenefitAmount):
        return amount.benefit
    return "未明确金额"


_TIME_UNITS = ("年", "月", "天", "日")


def _number(value: Decimal, unit: str) -> str:
    return format_number(value, unit)


def _range(low: Decimal | None, high: Decimal | None, unit: str) -> str:
    """``1—2场``, ``3—5年``, ``50万元—100万元``; an open end as 以上 / 以内."""
    if low is not None and high is not None:
        if unit == "元":
            return f"{format_number(low, unit)}—{format_number(high, unit)}"
        return f"{format_number(low, '')}—{format_number(high, unit)}"
    if low is not None:
        return f"{format_number(low, unit)}以上"
    assert high is not None
    return f"{format_number(high, unit)}以内"


def qualified(text: str, qualifier: str, unit: str, *, goal: bool = False) -> str:
    """A formatted figure with its qualifier in the text's words: 近30%, 20家以上, 突破260家 (a goal),
    超过10亿元 (a threshold), 3年内."""
    if qualifier == "exceed":
        return f"突破{text}" if goal else f"超过{text}"
    if qualifier == "at-least":
        return f"{text}以上"
    if qualifier == "about":
        return f"{text}左右"
    if qualifier == "nearly":
        return f"近{text}"
    if qualifier == "at-most":
        return f"{text}内" if unit in _TIME_UNITS else f"不超过{text}"
    return text


def figure_text(value: Decimal | None, low: Decimal | None, high: Decimal | None, unit: str,
                qualifier: str, *, goal: bool = False) -> str:
    """A value or a range, with its unit and qualifier."""
    if value is None:
        return _range(low, high, unit)
    return qualified(_number(value, unit), qualifier, unit, goal=goal)


def quantity_text(quantity: Quantity) -> str:
    """``人才服务大厦建筑面积：1.6万平方米``, ``单笔技术合同额：50万元以上``, ``3年内``."""
    shown = figure_text(quantity.value, quantity.min, quantity.max, quantity.unit or "", quantity.qualifier)
    return f"{quantity.what}：{shown}" if quantity.what else shown


def target_value_text(target: Target) -> str:
    """``2.16%``, ``突破260家``, ``21亿元``, ``60项以上``, ``1—2场``, ``近30%``, ``力争20家以上``;
    a goal in words as written."""
    if not target.numbers():
        return target.label or ""
    value = figure_text(target.value, target.min, target.max, target.unit or "", target.qualifier, goal=True)
    return f"力争{value}" if target.strive else value


def target_year_text(target: Target) -> str:
    """``2024年``, ``2024年左右``, ``三年内（起算年份未载明）``, or 年份未载明."""
    horizon = quantity_text(target.horizon) if target.horizon is not None else None
    if target.year is not None:
        year = f"{target.year}年{'左右' if target.year_approximate else ''}"
        return f"{year}（{horizon}）" if horizon else year
    if horizon:
        return f"{horizon}（起算年份未载明）"
    return "年份未载明"
