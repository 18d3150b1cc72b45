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
    RangeAmount,
    Target,
    TiersAmount,
)
from site_gen.vocabulary import QUALIFIERS


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


def target_value_text(target: Target) -> str:
    """``2.16%``, ``突破260家``, ``21亿元``, ``60项以上``; a goal in words as written."""
    if target.value is None:
        return target.label or ""
    value = format_number(target.value, target.unit or "")
    if target.qualifier == "exceed":
        return f"{QUALIFIERS['exceed'].label}{value}"
    if target.qualifier in ("at-least", "about"):
        return f"{value}{QUALIFIERS[target.qualifier].label}"
    return value
