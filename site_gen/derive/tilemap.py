"""A tile map of Liaoning's 14 cities: one square per city, roughly where it lies.

No map data is needed: :data:`GRID` places each city on a 5 × 5 grid
(Fuxin and Tieling in the north, Dalian at the tip of the peninsula, Dandong
on the Yalu).  A map has layers — a row of a comparison, or a count — and
each tile prints its value as text (a colour is never the only sign) and
links to the city's page.  Shades are quarters of the layer's largest value:
``1`` up to a quarter, ``4`` above three quarters; a city with an entry but no
number is ``text``, one without an entry ``none``.  The same rule runs in the
browser (``static/compare.js``) when a reader picks another row.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Iterable

from site_gen import urls
from site_gen.words import Msg, N_, Named, msg

GRID: dict[str, tuple[int, int]] = {
    "fuxin": (1, 0), "tieling": (3, 0),
    "chaoyang": (0, 1), "jinzhou": (1, 1), "panjin": (2, 1), "shenyang": (3, 1), "fushun": (4, 1),
    "huludao": (0, 2), "anshan": (2, 2), "liaoyang": (3, 2), "benxi": (4, 2),
    "yingkou": (2, 3), "dandong": (4, 3),
    "dalian": (2, 4),
}
"""(column, row) of each prefecture-level city; the province has no tile."""

TILE = 64
GAP = 4
COLUMNS = 5
ROWS = 5


@dataclass(frozen=True)
class TileValue:
    """What one tile shows for one layer."""

    text: Any
    """The number as printed in the tile (``50万元``, ``2.16%``), 未明确, or — (a value the edition puts into words)."""
    shade: str
    """``1``–``4``, ``text`` (an entry without a number) or ``none``."""
    value: Decimal | None = None


NO_ENTRY = TileValue("—", "none")


@dataclass(frozen=True)
class Tile:
    slug: str
    name: Named
    short: Named
    """The name without 市, as printed: 锦州 (in English the city's name)."""
    href: str
    x: int
    y: int
    shown: TileValue

    @property
    def label(self) -> Msg:
        """What a screen reader hears for the tile's link."""
        return msg("%(city)s：%(value)s", city=self.name,
                   value=Msg(N_("没有内容")) if self.shown.text == "—" else self.shown.text)


@dataclass(frozen=True)
class Layer:
    key: str
    label: Any
    note: Any
    values: dict[str, TileValue]

    @property
    def data(self) -> dict[str, object]:
        """(Its words are values: the page's ``plain_data`` filter puts them into the edition's words.)"""
        """The layer for the page's JSON block (home, where a reader picks a layer)."""
        return {"key": self.key, "label": self.label, "note": self.note,
                "values": {slug: [v.text, v.shade] for slug, v in sorted(self.values.items())}}


@dataclass(frozen=True)
class TileMap:
    id: str
    title: Any
    width: int
    height: int
    tiles: tuple[Tile, ...]
    layers: tuple[Layer, ...]
    current: Layer
    outside: Any = None
    """The province's own value, told below the map (it has no tile)."""


def shade(value: Decimal, largest: Decimal) -> str:
    """``1``–``4``: the quarter of ``largest`` that ``value`` falls in (the browser uses the same rule)."""
    if largest <= 0:
        return "1"
    return str(min(4, max(1, math.ceil(4 * float(value) / float(largest) - 1e-9))))


def _value(value: Decimal | None, text: Any, largest: Decimal) -> TileValue:
    if value is None:
        return TileValue(text if str(text) else Msg(N_("有")), "text")
    if value == 0:
        return TileValue(text, "none", value)
    return TileValue(text, shade(value, largest), value)


def layer(key: str, label: Any, note: Any, values: dict[str, tuple[Decimal | None, Any]]) -> Layer:
    """A layer from each city's (number, text); a city left out has no entry."""
    numbers = [v for slug, (v, _) in values.items() if v is not None and slug in GRID]
    largest = max(numbers) if numbers else Decimal(0)
    shown = {slug: _value(value, text, largest) for slug, (value, text) in values.items() if slug in GRID}
    return Layer(key, label, note, shown)


def tile_map(map_id: str, title: Any, cities: Iterable[tuple[str, Named]], layers: tuple[Layer, ...],
             outside: Any = None) -> TileMap:
    """The map of ``cities`` ((slug, name)) showing the first of ``layers``."""
    current = layers[0]
    tiles = tuple(
        Tile(slug, name, Named(name.zh.removesuffix("市"), name.en), urls.city(slug),
             GAP + GRID[slug][0] * (TILE + GAP), GAP + GRID[slug][1] * (TILE + GAP),
             current.values.get(slug, NO_ENTRY))
        for slug, name in cities if slug in GRID
    )
    size_w = GAP + COLUMNS * (TILE + GAP)
    size_h = GAP + ROWS * (TILE + GAP)
    return TileMap(map_id, title, size_w, size_h, tiles, layers, current, outside)
