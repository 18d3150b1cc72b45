"""What a measure offers: one class per kind of amount, tagged by ``kind``.

Each class knows its own sums (:meth:`yuan_values`) and the largest sum it
can reach (:meth:`headline_yuan`, used to sort and to mark the largest offer),
so no later stage dispatches on the ``kind`` string.  Amounts are whole yuan.
"""

from __future__ import annotations

from typing import Annotated, Literal, Union

from pydantic import Field, model_validator

from site_gen.records.base import Number, Record, ShortText, Text, Yuan, column

_KIND = "amount_kind"


class FixedAmount(Record):
    """A fixed sum: 给予50万元."""

    kind: Literal["fixed"] = column(_KIND)
    value: Yuan = column("value_yuan")

    def yuan_values(self) -> tuple[int, ...]:
        return (self.value,)

    def headline_yuan(self) -> int | None:
        return self.value


class RangeAmount(Record):
    """最低50万元、最高100万元; either end may be open (最高200万元, 不低于6亿元)."""

    kind: Literal["range"] = column(_KIND)
    min: Yuan | None = column("min_yuan", default=None)
    max: Yuan | None = column("max_yuan", default=None)

    @model_validator(mode="after")
    def _ends(self) -> "RangeAmount":
        if self.min is None and self.max is None:
            raise ValueError("a range needs min, max or both")
        if self.min is not None and self.max is not None and self.min >= self.max:
            raise ValueError("min must be less than max")
        return self

    def yuan_values(self) -> tuple[int, ...]:
        return tuple(v for v in (self.min, self.max) if v is not None)

    def headline_yuan(self) -> int | None:
        return self.max if self.max is not None else self.min


class TiersAmount(Record):
    """Tiers decided by review: 三年内给予总额100万元、200万元、300万元、500万元."""

    kind: Literal["tiers"] = column(_KIND)
    tiers: list[Yuan] = column("tiers_yuan", min_length=2)
    over_years: int | None = column("over_years", default=None, ge=1, le=20,
                                    description="paid over this many years")

    def yuan_values(self) -> tuple[int, ...]:
        return tuple(self.tiers)

    def headline_yuan(self) -> int | None:
        return max(self.tiers)


class PercentAmount(Record):
    """A share of something, with optional floor and cap: 20%, 最高200万元."""

    kind: Literal["percent"] = column(_KIND)
    percent: Number = column("percent", gt=0, le=100)
    of: ShortText = column("percent_of", description="what the percentage is of, e.g. 风险投资总额")
    up_to: bool = column("percent_up_to", default=False, description="true for 不超过 N%")
    min: Yuan | None = column("min_yuan", default=None)
    cap: Yuan | None = column("cap_yuan", default=None)

    def yuan_values(self) -> tuple[int, ...]:
        return tuple(v for v in (self.min, self.cap) if v is not None)

    def headline_yuan(self) -> int | None:
        return self.cap


class PerUnitAmount(Record):
    """So much for each unit: 每认定一家给予5万元."""

    kind: Literal["per-unit"] = column(_KIND)
    value: Yuan = column("value_yuan")
    per: ShortText = column("per_unit", description="the unit, e.g. 每新认定一家高新技术企业")
    cap: Yuan | None = column("cap_yuan", default=None)

    def yuan_values(self) -> tuple[int, ...]:
        return tuple(v for v in (self.value, self.cap) if v is not None)

    def headline_yuan(self) -> int | None:
        return self.value


class BenefitAmount(Record):
    """A non-monetary benefit: rent, land, tax refund, school places."""

    kind: Literal["benefit"] = column(_KIND)
    benefit: Text = column("benefit")

    def yuan_values(self) -> tuple[int, ...]:
        return ()

    def headline_yuan(self) -> int | None:
        return None


class UnstatedAmount(Record):
    """The document offers support but states no amount (未明确金额)."""

    kind: Literal["unstated"] = column(_KIND)

    def yuan_values(self) -> tuple[int, ...]:
        return ()

    def headline_yuan(self) -> int | None:
        return None


AnyAmount = Union[FixedAmount, RangeAmount, TiersAmount, PercentAmount, PerUnitAmount, BenefitAmount, UnstatedAmount]
Amount = Annotated[AnyAmount, Field(discriminator="kind")]
AMOUNT_KINDS: tuple[type[Record], ...] = (FixedAmount, RangeAmount, TiersAmount, PercentAmount, PerUnitAmount,
                                          BenefitAmount, UnstatedAmount)
