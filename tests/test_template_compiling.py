"""How templates compile: literal messages translated at compile time, printed values escaped as markupsafe does; the pages are what plain Jinja renders."""

from __future__ import annotations

import pytest
from jinja2 import DictLoader, Environment
from markupsafe import Markup, escape

from site_gen.render.environment import SiteEnvironment
from site_gen.render.i18n import LANGUAGES, install

TEMPLATE = """\
<p>{{ _("首页") }}|{{ _("比较") ~ "<b>" }}|{{ _("100%%") }}</p>
<p>{{ _("%(n)s 个", n=count) }}|{{ _(name) }}|{{ gettext("关于") }}</p>
{% trans n=count %}共 {{ n }} 项{% endtrans %}
{% trans %}搜索{% endtrans %}
{% autoescape false %}{{ _("文件") ~ "<i>" }}{% endautoescape %}
{% macro label(text) %}[{{ text }}]{% endmacro %}{{ label(_("城市")) }}
"""


def environment(cls: type[Environment], language_code: str) -> Environment:
    env = cls(loader=DictLoader({"page.html": TEMPLATE}), autoescape=True)
    install(env, next(lang for lang in LANGUAGES if lang.code == language_code))
    return env


@pytest.mark.parametrize("code", [lang.code for lang in LANGUAGES])
def test_folded_messages_render_as_gettext_renders_them(code):
    context = {"count": 3, "name": "搜索"}
    folded = environment(SiteEnvironment, code).get_template("page.html").render(context)
    at_render_time = environment(Environment, code).get_template("page.html").render(context)
    assert folded == at_render_time
    if code == "en":
        assert "Home" in folded  # the English catalogue was used, not the message id


def test_a_literal_message_compiles_to_its_translation():
    english = environment(SiteEnvironment, "en")
    code = english.compile('{{ _("首页") }}{{ _(name) }}', raw=True)
    assert "yield 'Home'" in code and "首页" not in code  # the translation itself, a constant of the page
    assert code.count("context.call(") == 1  # only the message that is not a literal is looked up at render time


def test_a_message_whose_format_fails_still_fails_when_rendered():
    for cls in (SiteEnvironment, Environment):
        env = environment(cls, "zh_CN")
        with pytest.raises(KeyError):
            env.from_string('{{ _("%(n)s 个") }}').render()


PRINTED = """\
{{ text }}|{{ safe }}|{{ number }}|{{ nothing }}|{{ html_object }}
{% macro box(x) %}<i>{{ x }}</i>{% endmacro %}{{ box(text) }}{{ box(safe) }}
{% set kept %}{{ text }}{% endset %}{{ kept }}|{{ kept|length }}
{% filter upper %}{{ text }}{% endfilter %}
{% autoescape false %}{{ text }}{% endautoescape %}
"""


class HTMLObject:
    def __html__(self) -> str:
        return "<em>as it says</em>"


def test_printed_values_are_escaped_as_markupsafe_escapes_them():
    context = {"text": "<b>\"R&D\" 'x'</b>", "safe": Markup("<b>safe</b>"), "number": 3, "nothing": None,
               "html_object": HTMLObject()}
    pages = []
    for cls in (SiteEnvironment, Environment):
        env = cls(loader=DictLoader({"page.html": PRINTED}), autoescape=True)
        install(env, LANGUAGES[0])
        pages.append(env.get_template("page.html").render(context))
    assert pages[0] == pages[1]
    assert "&lt;b&gt;&#34;R&amp;D&#34; &#39;x&#39;&lt;/b&gt;" in pages[0] and "<b>safe</b>" in pages[0]
    for value in context.values():
        assert SiteEnvironment.printed(value) == str(escape(value))
