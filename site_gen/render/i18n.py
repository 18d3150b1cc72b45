"""The two editions: a :class:`Language` value, its catalogue and its number formats.

The site is rendered once per language (:data:`LANGUAGES`): Chinese at the
root, English under ``en/`` (:func:`site_gen.urls.in_language`).  Interface
words come from Jinja's i18n extension; the message ids are the Chinese
strings themselves (the zh-CN source), so the Chinese edition needs no
catalogue and stays exactly what it was, and the English edition reads
``site_gen/locale/en/LC_MESSAGES/messages.po`` — the ``.po`` itself, compiled
in memory with Babel, so no stale ``.mo`` can exist (``make messages``
updates the ``.po`` from the sources).
"""

from __future__ import annotations

import datetime as dt
import gettext
import hashlib
import io
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from jinja2 import Environment
from markupsafe import Markup, escape

from site_gen.derive.status import format_date
from site_gen.render.environment import SiteEnvironment
from site_gen.words import Chinese, Clipped, Figure, Listed, Msg, N_, Named, clip

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
DOMAIN = "messages"


@dataclass(frozen=True)
class Language:
    """One edition of the site."""

    code: str
    """The catalogue's locale: ``zh_CN`` (the source) or ``en``."""
    html_lang: str
    """``<html lang>``, ``hreflang`` and what Pagefind indexes by: ``zh-CN``, ``en``."""
    prefix: str
    """Where its pages are, from the site root: ``""`` or ``"en/"``."""
    og_locale: str
    name: str
    """The language's own name, on the switch that leads to it: 中文, English."""

    @property
    def source(self) -> bool:
        """The Chinese edition: message ids are its words."""
        return self.prefix == ""


ZH = Language("zh_CN", "zh-CN", "", "zh_CN", "中文")
EN = Language("en", "en", "en/", "en_GB", "English")
LANGUAGES: tuple[Language, ...] = (ZH, EN)


def po_path(language: Language) -> Path:
    return LOCALE_DIR / language.code / "LC_MESSAGES" / f"{DOMAIN}.po"


@lru_cache(maxsize=None)
def _compiled(path: Path, mtime_ns: int) -> gettext.GNUTranslations:
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with path.open("rb") as handle:
        catalog = read_po(handle)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def translations(language: Language) -> gettext.NullTranslations:
    """The language's catalogue; the source language translates nothing."""
    if language.source:
        return gettext.NullTranslations()
    path = po_path(language)
    return _compiled(path, path.stat().st_mtime_ns)


def edition_key(language: Language) -> str:
    """What a template compiled for the language's edition depends on: its catalogue and :func:`install`."""
    catalogue = b"" if language.source else po_path(language).read_bytes()
    digest = hashlib.sha256(b"\0".join((catalogue, Path(__file__).read_bytes()))).hexdigest()
    return f"{language.code}:{digest}"


MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")


def english_date(date: dt.date) -> str:
    """``9 October 2021``."""
    return f"{date.day} {MONTHS[date.month - 1]} {date.year}"


class Words:
    """What templates of one edition call to put values into words (installed by :func:`install`)."""

    def __init__(self, language: Language):
        from site_gen.render.amounts import Figures

        self.language = language
        self.catalogue = translations(language)
        self.figures = Figures(self.gettext, language.source, self.zh)

    def gettext(self, message: str) -> str:
        return self.catalogue.gettext(message)

    def say(self, value: object) -> Markup:
        """A :class:`~site_gen.words.Msg` in this edition's words; anything else as it is (escaped)."""
        if isinstance(value, Msg):
            text = escape(self.gettext(value.id))
            if not value.params:
                return Markup(text)
            return Markup(text) % {name: self.say(v) for name, v in value.params}
        if isinstance(value, Named):
            return self.pick(value.zh, value.en)
        if isinstance(value, Figure):
            return Markup(getattr(self.figures, value.kind)(value.value))
        if isinstance(value, Chinese):
            return self.zh(value.text)
        if isinstance(value, Listed):
            return Markup(escape(self.gettext(value.separator))).join(self.say(i) for i in value.items)
        if isinstance(value, Clipped):
            return escape(self._clip(value))
        if isinstance(value, dt.date):
            return escape(self.date(value))
        if value is None:
            return Markup("")
        return escape(value)

    def _clip(self, value: Clipped) -> str:
        size = value.size if self.language.source else value.size * 2
        return clip(self.text(value.value), size)

    def text(self, value: object) -> str:
        """Plain text (a ``<title>``, a meta description): no markup, the untranslated mark in words."""
        if isinstance(value, Msg):
            message = self.gettext(value.id)
            return message % {name: self.text(v) for name, v in value.params} if value.params else message
        if isinstance(value, Named):
            if self.language.source or value.en:
                return value.en if value.en and not self.language.source else value.zh
            return f"{value.zh} {self.gettext('（尚未翻译）')}"
        if isinstance(value, (Figure, Listed)):
            return str(Markup(self.say(value)).striptags()) if not isinstance(value, Listed) else \
                self.gettext(value.separator).join(self.text(i) for i in value.items)
        if isinstance(value, Chinese):
            return value.text
        if isinstance(value, Clipped):
            return self._clip(value)
        if isinstance(value, dt.date):
            return self.date(value)
        if value is None:
            return ""
        return str(value)

    def plain_data(self, value: object) -> object:
        """JSON for the page: every value in it put into this edition's words, as plain text."""
        if isinstance(value, dict):
            return {k: self.plain_data(v) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return [self.plain_data(v) for v in value]
        if isinstance(value, WORDS):
            return self.text(value)
        return value

    def term(self, label: str) -> str:
        """A vocabulary label (a message id) in this edition's words."""
        return self.gettext(label) if label else label

    def zh(self, text: object) -> Markup:
        """Chinese text we do not translate (quotes, editors' notes): marked ``lang="zh-CN"`` on English pages."""
        if text is None or text == "":
            return Markup("")
        if self.language.source:
            return escape(text)
        return Markup('<span lang="zh-CN">%s</span>') % (text,)

    def pick(self, chinese_text: object, english: str | None) -> Markup:
        """An editor's English (``title_en`` …) on English pages, else the Chinese, marked untranslated."""
        if self.language.source:
            return escape(chinese_text)
        if english:
            return escape(english)
        return self.zh(chinese_text) + self.untranslated()

    def untranslated(self) -> Markup:
        return Markup(' <span class="untranslated">%s</span>') % (self.gettext("（尚未翻译）"),)

    def date(self, date: dt.date | None, unknown: str = "不详") -> str:
        if date is None:
            return self.gettext(unknown)
        return format_date(date) if self.language.source else english_date(date)


WORDS = (Msg, Named, Figure, Chinese, Listed, Clipped)
"""Values templates print through :meth:`Words.say` without a filter."""


def install(env: Environment, language: Language) -> Words:
    """Jinja's i18n extension with the language's catalogue, and the helpers of :class:`Words`."""
    words = Words(language)
    env.add_extension("jinja2.ext.i18n")
    env.install_gettext_translations(words.catalogue, newstyle=True)  # type: ignore[attr-defined]
    if isinstance(env, SiteEnvironment):  # before any template is compiled: literal messages folded in
        env.translate = words.catalogue.gettext
    env.globals.update(lang=language, say=words.say, zh=words.zh, pick=words.pick, figures=words.figures,
                       untranslated=words.untranslated, format_date=words.date)
    env.globals["N_"] = words.gettext  # a message's words unformatted, for a script to fill in (``%(n)s``)
    env.filters["term"] = words.term
    env.filters["say"] = words.say
    env.filters["plain"] = words.text
    env.filters["plain_data"] = words.plain_data
    env.finalize = lambda value: words.say(value) if isinstance(value, WORDS) else value
    return words


CITE_LABELS = (N_("原文"), N_("见"), N_("条件原文"), N_("级别出处"), N_("同一措施"), N_("另见"), N_("年份"), N_("依据"))
"""The labels templates give citation links (``cite(c, "见")``), translated by ``|term``."""
