"""Words as values: a message id and its parameters, put into words at render time.

Derive and the page list hand templates values rather than finished sentences:
numbers, dates, statuses, vocabulary ids and :class:`Msg` — a Chinese message
id (the zh-CN source string of the catalogue) with named parameters.  The
render stage puts a ``Msg`` into the words of the edition it renders
(``site_gen/render/i18n.py``): the Chinese edition uses the id itself, the
English one its translation in ``site_gen/locale/en/LC_MESSAGES/messages.po``.

``N_`` marks a plain string as a message id for ``pybabel extract`` and
returns it unchanged; ``msg`` (also extracted) builds a ``Msg``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Msg:
    """A message id with named parameters (``%(name)s`` in the id)."""

    id: str
    params: tuple[tuple[str, Any], ...] = ()

    def __str__(self) -> str:
        """The Chinese words, for places that have no edition (the open data, logs)."""
        return chinese(self)


def msg(message_id: str, **params: Any) -> Msg:
    return Msg(message_id, tuple(sorted(params.items())))


def N_(message_id: str) -> str:
    """Marks ``message_id`` for extraction; returns it as it is."""
    return message_id


def chinese(value: Any) -> str:
    """A value in the source language, without any catalogue."""
    if value is None:
        return ""
    if isinstance(value, Msg):
        return value.id % {name: chinese(v) for name, v in value.params} if value.params else value.id
    if isinstance(value, dt.date):
        return f"{value.year}年{value.month}月{value.day}日"
    return str(value)


@dataclass(frozen=True)
class Named:
    """A name editors give in Chinese and, optionally, in English (``name_en``, ``title_en``)."""

    zh: str
    en: str | None = None

    def __str__(self) -> str:
        return self.zh


@dataclass(frozen=True)
class Figure:
    """An amount, a quantity or a target's figure or year, put into words by the edition.

    ``kind`` names the method of :class:`site_gen.render.amounts.Figures` that
    writes it (``amount``, ``money``, ``target_value``, ``target_year``,
    ``quantity``, ``count``); ``zh`` is the Chinese words derive wrote
    (:mod:`site_gen.derive.amounts`), for places that have no edition.
    """

    kind: str
    value: Any
    zh: str

    def __str__(self) -> str:
        return self.zh


@dataclass(frozen=True)
class Chinese:
    """Text that stays Chinese in both editions (a county's name, an editor's note): ``lang="zh-CN"`` on English pages."""

    text: str

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class Listed:
    """Values joined by a separator (a message id: ``、``, ``；``)."""

    items: tuple[Any, ...]
    separator: str = "、"

    def __str__(self) -> str:
        return self.separator.join(chinese(i) for i in self.items)


@dataclass(frozen=True)
class Clipped:
    """A value cut to ``size`` characters with an ellipsis (a chart's label); English gets more room."""

    value: Any
    size: int

    def __str__(self) -> str:
        return clip(chinese(self.value), self.size)


def clip(text: str, size: int) -> str:
    return text if len(text) <= size else text[: size - 1] + "…"


def nonempty(value: Any) -> bool:
    """A value that says something (a message, a name, a non-empty string)."""
    return bool(str(value))
