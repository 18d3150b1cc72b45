"""The questions the home page starts from, each answered from the data, and the home page's map.

An answer is honest about time and comparability: it answers from what is in
force and says so (现行有效：…); when nothing in force answers, it gives the
best it has and states its standing (有效期已届满（2026年10月8日）); when only
one city states an amount it says so (仅锦州市写明金额); and 最高 is only
awarded among comparable figures (:func:`site_gen.derive.compare.judge`).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from site_gen import urls
from site_gen.derive.compare import Comparison, Row, judge, row_layer, row_status, standing_words
from site_gen.derive.tilemap import GRID, Layer, TileMap, layer, tile_map
from site_gen.derive.standing import shared_label
from site_gen.derive.cards import CityCard
from site_gen.words import Figure, Listed, Msg, N_, Named, msg


@dataclass(frozen=True)
class Question:
    question: Msg
    answer_hint: Any
    """A value the edition puts into words (a :class:`~site_gen.words.Msg`)."""
    href: str


def _row(comparison: Comparison, key: str) -> Row | None:
    return next((r for r in comparison.rows if r.key == key), None)


def in_force(row: Row) -> Row:
    """The row with only the entries in force."""
    return replace(row, cells=tuple(
        replace(c, entries=tuple(e for e in c.entries if not e.standing.lapsed)) for c in row.cells))


def answer(row: Row, offers: bool) -> Any:
    """What the row says, from what is in force if anything is; else with the standing of what it quotes."""
    current = judge(in_force(row).cells, offers)
    if current.verdict != "—":
        return msg("现行有效：%(verdict)s", verdict=current.words)
    if row.verdict == "—":
        return Msg(N_("文件提出了支持，但没有写明金额")) if offers else Msg(N_("没有给出数值的目标"))
    status = row_status(row)
    return (msg("%(verdict)s。%(status)s；收录的文件中没有现行有效的同类规定", verdict=row.verdict_words, status=status)
            if status else row.verdict_words)


def talent_city(talent: Comparison) -> tuple[str, Named] | None:
    """(slug, name) of the city with the fullest talent package: most rows with an offer."""
    counts = {col.slug: 0 for col in talent.columns}
    for row in talent.rows:
        for cell in row.cells:
            if cell.state == "found":
                counts[cell.city] += 1
    if not counts or max(counts.values()) == 0:
        return None
    best = max(talent.columns, key=lambda col: counts[col.slug])
    return best.slug, best.words


def _talent_hint(talent: Comparison, slug: str) -> Any:
    rows = [r for r in talent.rows for c in r.cells if c.city == slug and c.state == "found"]
    shown = Listed(tuple(r.label_words for r in rows[:4]))
    labels: Any = msg("%(labels)s等%(n)s项", labels=shown, n=len(rows)) if len(rows) > 4 else shown
    status = standing_words([e.standing for r in rows for c in r.cells if c.city == slug for e in c.entries])
    return msg("%(labels)s；%(status)s", labels=labels, status=status) if status else labels


def _rd_hint(row: Row) -> Any:
    cities = [(cell.city_words, e) for cell in row.cells for e in cell.entries
              if e.sort_value is not None and e.sort_value >= 2 and e.scope_kind == "city"]
    others = [(cell.city_words, e) for cell in row.cells for e in cell.entries
              if e.sort_value is not None and e.sort_value >= 2 and e.scope_kind != "city"]
    if not cities:
        return Msg(N_("查看各市研发投入目标"))
    text: Any = Listed(tuple(msg("%(city)s %(figure)s（%(year)s）", city=name, figure=e.words, year=e.year_words)
                             for name, e in cities[:3]))
    status = shared_label([e.standing for _, e in cities])
    if status and status != "现行有效":
        text = (msg("%(text)s；均已过规划期", text=text) if status == "文件已过规划期"
                else msg("%(text)s；%(status)s", text=text, status=cities[0][1].standing.words))
    if others:
        name, e = others[0]
        text = msg("%(text)s（%(city)s %(figure)s是%(scope)s的目标，不与各市比较）", text=text, city=name,
                   figure=e.words, scope=e.scope_words)
    return text


def home_questions(comparisons: dict[str, Comparison]) -> list[Question]:
    """Ways into the comparisons, with the current answer as a hint.

    Each question needs its table; a site built without that table skips it.
    """
    questions = []
    incubators = comparisons.get("incubator-awards")
    if incubators is not None:
        row = _row(incubators, "row-incubator-recognition-national")
        questions.append(Question(
            Msg(N_("新认定一家国家级孵化器，哪个城市奖励最多？")),
            answer(row, offers=True) if row else Msg(N_("查看各市孵化载体奖励")),
            urls.anchored(incubators.href, row.key) if row else incubators.href,
        ))
    talent = comparisons.get("talent-packages")
    city = talent_city(talent) if talent is not None else None
    if talent is not None and city:
        slug, name = city
        questions.append(Question(
            msg("高层次人才到%(city)s创业，能得到什么？", city=name),
            _talent_hint(talent, slug),
            urls.anchored(urls.city(slug), urls.category_anchor("talent")),
        ))
    targets = comparisons.get("targets")
    row = _row(targets, "row-rd-intensity-stock") if targets is not None else None
    if targets is not None and row:
        questions.append(Question(
            Msg(N_("哪些城市的研发投入强度目标达到2%以上？到哪一年？")),
            _rd_hint(row),
            urls.anchored(targets.href, row.key),
        ))
    funds = comparisons.get("funds")
    if funds is None:
        return questions
    current = [(r, judge(in_force(r).cells, True)) for r in funds.rows]
    current = [(r, j) for r, j in current if j.best_value is not None]
    if current:
        row, judgement = max(current, key=lambda rj: rj[1].best_value or Decimal(0))
        hint: Any = msg("现行有效：%(row)s：%(verdict)s", row=row.label_words, verdict=judgement.words)
    else:
        largest = max((r for r in funds.rows if r.best_value is not None),
                      key=lambda r: r.best_value or Decimal(0), default=None)
        row = largest
        hint = (msg("%(row)s：%(answer)s", row=largest.label_words, answer=answer(largest, offers=True)) if largest
                else Msg(N_("查看各市基金与科技金融")))
    questions.append(Question(
        Msg(N_("哪里设立的科技投资基金规模最大？")),
        hint,
        urls.anchored(funds.href, row.key) if row else funds.href,
    ))
    return questions


HOME_MAP_ROWS = (
    ("incubator-awards", "row-incubator-recognition-national"),
    ("targets", "row-rd-intensity-stock"),
    ("funds", "row-venture-fund"),
    ("talent-packages", "row-talent-startup"),
)
"""The comparison rows a reader can show on the home page's map, after the count of offers."""


def _row_note(row: Row) -> Listed:
    notes: list[Msg] = []
    if any(e.scope_kind not in ("city", "province") for c in row.cells if c.city in GRID for e in c.entries):
        notes.append(Msg(N_("高新区、县区的数值画在所在城市")))
    status = standing_words([e.standing for c in row.cells if c.city in GRID for e in c.entries])
    if status:
        notes.append(status)
    return Listed(tuple(notes), "；")


def home_map(cities: tuple[CityCard, ...], comparisons: dict[str, Comparison]) -> TileMap | None:
    """Each city's count of offers, and a few comparison rows, on the tile map."""
    if not any(c.slug in GRID for c in cities):
        return None
    layers: list[Layer] = [layer("measures", Msg(N_("收录的扶持措施数")), Msg(N_("含省级文件中写明适用于该市高新区的措施")), {
        c.slug: (Decimal(c.measure_count), msg("%(n)s项", n=c.measure_count)) for c in cities})]
    for name, key in HOME_MAP_ROWS:
        comparison = comparisons.get(name)
        row = _row(comparison, key) if comparison is not None else None
        if comparison is not None and row is not None:
            layers.append(layer(f"{name}/{key}", msg("%(table)s：%(row)s", table=Msg(comparison.title), row=row.title_words),
                                _row_note(row), row_layer(row)))
    return tile_map("map-home", Msg(N_("辽宁14市")), ((c.slug, Named(c.name, c.name_en)) for c in cities), tuple(layers))
