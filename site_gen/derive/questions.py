"""The questions the home page starts from, each answered from the data."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from site_gen import urls
from site_gen.derive.compare import Comparison, Row


@dataclass(frozen=True)
class Question:
    question: str
    answer_hint: str
    href: str


def _row(comparison: Comparison, key: str) -> Row | None:
    return next((r for r in comparison.rows if r.key == key), None)


def talent_city(talent: Comparison) -> tuple[str, str] | None:
    """(slug, name) of the city with the fullest talent package: most rows with an offer."""
    counts = {col.slug: 0 for col in talent.columns}
    for row in talent.rows:
        for cell in row.cells:
            if cell.state == "found":
                counts[cell.city] += 1
    if not counts or max(counts.values()) == 0:
        return None
    best = max(talent.columns, key=lambda col: counts[col.slug])
    return best.slug, best.name


def home_questions(comparisons: dict[str, Comparison]) -> list[Question]:
    """Ways into the comparisons, with the current answer as a hint.

    Each question needs its table; a site built without that table skips it.
    """
    questions = []
    incubators = comparisons.get("incubator-awards")
    if incubators is not None:
        row = _row(incubators, "row-incubator-recognition-national")
        questions.append(Question(
            "新认定一家国家级孵化器，哪个城市奖励最多？",
            f"目前最高：{row.best_text}" if row and row.best_text else "查看各市孵化载体奖励",
            urls.anchored(incubators.href, row.key) if row else incubators.href,
        ))
    talent = talent_city(comparisons["talent-packages"]) if "talent-packages" in comparisons else None
    if talent:
        slug, name = talent
        questions.append(Question(
            f"高层次人才到{name}创业，能得到什么？",
            "启动资金、人才资金、跟投、租金、税收与生活保障",
            urls.anchored(urls.city(slug), urls.category_anchor("talent")),
        ))
    targets = comparisons.get("targets")
    row = _row(targets, "row-rd-intensity-stock") if targets is not None else None
    if targets is not None and row:
        above = [
            f"{cell.city_name} {entry.text}（{entry.year_text}）"
            for cell in row.cells for entry in cell.entries
            if entry.sort_value is not None and entry.sort_value >= 2
        ]
        questions.append(Question(
            "哪些城市的研发投入强度目标达到2%以上？到哪一年？",
            "、".join(above[:3]) or "查看各市研发投入目标",
            urls.anchored(targets.href, row.key),
        ))
    funds = comparisons.get("funds")
    if funds is None:
        return questions
    largest = max((r for r in funds.rows if r.best_value is not None),
                  key=lambda r: r.best_value or Decimal(0), default=None)
    questions.append(Question(
        "哪里设立的科技投资基金规模最大？",
        f"{largest.label}：{largest.best_text}" if largest else "查看各市基金与科技金融",
        urls.anchored(funds.href, largest.key) if largest else funds.href,
    ))
    return questions
