"""The comparison tables, as a registered list: what derive builds, render draws,
the about page names and the sitemap lists.

Adding a table is one entry here plus, if it needs other markup than the
shared ``compare.html``, a template that extends it and fills its blocks.
An offer table lists the kinds of offer (:data:`site_gen.vocabulary.OFFER_KINDS`)
that are its rows; the targets table takes every shared metric.  Like
markdown-it-py's rules, the list is data: :func:`site_gen.derive.derive_site`
takes it as an argument, so a test (or a fork) can add a table without
editing this file.
"""

from __future__ import annotations

from dataclasses import dataclass

from site_gen import vocabulary as vocab
from site_gen.words import N_


@dataclass(frozen=True)
class Table:
    """One comparison table: its URL name, the words that introduce it, its page template."""

    name: str
    """``compare/<name>/``; also the name of its CSV and chart ids."""
    label: str
    note: str
    value_note: str
    template: str = "compare.html"


@dataclass(frozen=True)
class OfferTable(Table):
    """Support offers side by side: rows are (kind, level), columns are cities."""

    kinds: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        unknown = [k for k in self.kinds if k not in vocab.OFFER_KINDS]
        if unknown:
            raise ValueError(f"comparison {self.name!r}: unknown kinds of offer {unknown} "
                             "(expected ids from site_gen.vocabulary.OFFER_KINDS)")


@dataclass(frozen=True)
class TargetTable(Table):
    """Numeric goals side by side: rows are (metric, basis), cells carry their target year."""


AMOUNT_NOTE = N_("金额为该项最高可得的数额：固定金额、区间或分档的上限、比例的封顶额。")

TABLES: tuple[Table, ...] = (
    OfferTable(
        "incubator-awards", N_("孵化载体奖励"),
        N_("孵化器、众创空间、星创天地、中试基地和技术转移机构新获批时各市给多少钱"), AMOUNT_NOTE,
        kinds=(
        "incubator-recognition", "makerspace-recognition", "star-space-recognition", "carrier-performance",
        "carrier-operation", "incubated-hte-reward", "pilot-base-recognition", "pilot-base-performance",
        "pilot-base-hte-reward", "tech-transfer-institution", "tech-transfer-commission",
        ),
    ),
    OfferTable(
        "talent-packages", N_("高层次人才创业支持"),
        N_("高层次人才或团队来创业，能得到的资金、股权、土地、租金、税收与生活保障"), AMOUNT_NOTE,
        kinds=(
        "talent-startup", "talent-funding", "talent-co-investment", "talent-land", "talent-rent",
        "talent-income-tax", "talent-housing", "talent-schooling", "talent-medical", "talent-residence",
        "talent-case-by-case", "talent-fund", "talent-base", "talent-service",
        ),
    ),
    OfferTable(
        "funds", N_("基金与科技金融"),
        N_("各类投资基金的规模，以及风险补偿、贴息、担保、质押融资等融资工具"), AMOUNT_NOTE,
        kinds=(
        "guide-fund", "venture-fund", "angel-fund", "industry-fund", "risk-compensation",
        "loan-interest-subsidy", "guarantee", "ip-pledge", "listing-support", "financial-institutions",
        "innovation-voucher",
        ),
    ),
    TargetTable(
        "targets", N_("量化目标"),
        N_("研发投入强度、高新技术企业、发明专利、技术合同成交额等目标，以及各自的目标年份"),
        N_("每个格子都写明目标年份：各市的目标年份不同，不能只比数字。"),
    ),
)


def table_of_kind(tables: tuple[Table, ...]) -> dict[str, Table]:
    """Which table shows each kind of offer (a kind appears in at most one)."""
    found: dict[str, Table] = {}
    for table in tables:
        for kind in getattr(table, "kinds", ()):
            if kind in found:
                raise ValueError(f"kind {kind!r} is in two comparison tables: {found[kind].name} and {table.name}")
            found[kind] = table
    return found
