"""The Jinja environment: autoescaping everywhere, relative links, filters.

Every link in a page is relative to that page (``url('cities/jinzhou/')``
on ``documents/x/index.html`` gives ``../../cities/jinzhou/``), so the
output works under any base path on any static host.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from pathlib import Path
from typing import Callable

import jinja2
import markupsafe
from jinja2 import Environment, FileSystemLoader, StrictUndefined, nodes, pass_context
from jinja2.bccache import Bucket, FileSystemBytecodeCache
from jinja2.compiler import CodeGenerator, Frame
from jinja2.runtime import Context
from jinja2.visitor import NodeTransformer
from markupsafe import Markup, escape

from site_gen import urls
from site_gen.markdown import make_markdown


def relative_root(page_path: str) -> str:
    """``cities/jinzhou/index.html`` -> ``../../``; ``index.html`` -> ``./``."""
    depth = page_path.count("/")
    return "../" * depth if depth else "./"


@pass_context
def url(context: Context, href: str) -> str:
    """A site-root-relative href, made relative to the page being rendered."""
    root = str(context["root"])
    if href.startswith("#"):
        return href
    if urls.is_shared(href):  # one copy for both editions, at the site root
        root = str(context.get("site_root", root))
    return root + href if href else root


def static_versions(static_dir: Path) -> dict[str, str]:
    """Content hashes for static files, to bust caches deterministically."""
    versions = {}
    if static_dir.is_dir():
        for path in sorted(static_dir.rglob("*")):
            if path.is_file():
                digest = hashlib.sha256(path.read_bytes()).hexdigest()[:10]
                versions[path.relative_to(static_dir).as_posix()] = digest
    return versions


_JSON_ESCAPES = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026",
                 0x2028: "\\u2028", 0x2029: "\\u2029"}


def json_for_html(value: object) -> Markup:
    """JSON safe to embed in a ``<script type="application/ld+json">`` block.

    ``<``, ``>`` and ``&`` become ``\\u003c``… so no string can close the
    element (``</script>``) or open a comment, whatever an editor writes.
    """
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return Markup(text.translate(_JSON_ESCAPES))


TILE_LINE = 9
"""Characters that fit on one line of a 64-px tile (``CNY 200 million`` takes two: tilemap.js, compare.js)."""


def tile_lines(text: str) -> list[str]:
    """A tile's value as printed: one line, or two cut at the space nearest its middle when it is long."""
    spaces = [i for i, c in enumerate(text) if c == " "]
    if len(text) <= TILE_LINE or not spaces:
        return [text]
    cut = min(spaces, key=lambda i: abs(i - len(text) / 2))
    return [text[:cut], text[cut + 1:]]


# markupsafe's own escaping of a str, without the Markup around it (its C speedup where installed).
_escape_text: Callable[[str], str] = getattr(markupsafe, "_escape_inner", None) or (lambda text: str(escape(text)))


class _PrintingCodeGenerator(CodeGenerator):
    """Jinja's code generator, printing each ``{{ … }}`` under autoescape with :meth:`SiteEnvironment.printed`."""

    def _output_child_pre(self, node: nodes.Expr, frame: Frame, finalize: CodeGenerator._FinalizeInfo) -> None:
        if frame.eval_ctx.volatile or not frame.eval_ctx.autoescape:
            super()._output_child_pre(node, frame, finalize)
            return
        self.write("environment.printed(")
        if finalize.src is not None:
            self.write(finalize.src)


class SiteEnvironment(Environment):
    """Jinja's environment, compiling templates to the same pages with less work per page.

    * Each edition has its own environment (:func:`~site_gen.render.i18n.install`
      sets :attr:`translate`), so ``{{ _("首页") }}`` and ``{% trans %}`` blocks
      with a fixed message compile to the translated text itself instead of
      two calls per message on every page (a page calls gettext hundreds of times).
    * Each printed value is escaped by :meth:`printed`.

    Both rely on Jinja internals (``_parse``, ``CodeGenerator._output_child_pre``);
    ``tests/test_template_compiling.py`` renders against plain Jinja to catch a change there.
    """

    translate: Callable[[str], str] | None = None

    code_generator_class = _PrintingCodeGenerator

    @staticmethod
    def printed(value: object) -> str:
        """A value printed by ``{{ … }}`` under autoescape: :func:`markupsafe.escape`'s text, as a plain ``str``.

        The printed pieces of a page are only joined (a macro's or a block's
        are then made ``Markup`` whole), so making each one a ``Markup`` of its
        own, as ``escape`` does, is work for nothing: a third of the time of a
        comparison page.
        """
        if type(value) is str:
            return _escape_text(value)
        if hasattr(value, "__html__"):
            html: str = value.__html__()
            return html
        return _escape_text(str(value))

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        template = super()._parse(source, name, filename)
        if self.translate is not None:
            template = _FoldMessages(self.translate).visit(template)
            template.set_environment(self)
        return template


class _FoldMessages(NodeTransformer):
    """``_("…")`` and ``gettext("…")`` with a literal message → the translation, as newstyle gettext gives it.

    Newstyle gettext returns ``Markup(translation) % variables`` under
    autoescape (the translation as is otherwise), so that is the node put in
    the call's place; without variables the ``%`` is done here.  A call this
    cannot fold (a message that is not a literal, ``*args``, a format that
    fails) is left as it was, to behave at render time as it always did.
    """

    def __init__(self, translate: Callable[[str], str]):
        self.translate = translate

    def visit_Call(self, node: nodes.Call) -> nodes.Node:
        self.generic_visit(node)
        callee = node.node
        if not (isinstance(callee, nodes.Name) and callee.name in ("_", "gettext") and callee.ctx == "load"
                and len(node.args) == 1 and isinstance(node.args[0], nodes.Const)
                and isinstance(node.args[0].value, str) and node.dyn_args is None and node.dyn_kwargs is None):
            return node
        text = self.translate(node.args[0].value)
        if node.kwargs:
            variables = nodes.Dict([nodes.Pair(nodes.Const(k.key), k.value) for k in node.kwargs])
            return nodes.Mod(nodes.MarkSafeIfAutoescape(nodes.Const(text)), variables, lineno=node.lineno)
        try:
            text = text % {}
        except (KeyError, TypeError, ValueError):
            return node
        return nodes.MarkSafeIfAutoescape(nodes.Const(text), lineno=node.lineno)


class TemplateCache(FileSystemBytecodeCache):
    """Compiled templates in a folder of the user's cache, so a build does not compile them again.

    Jinja keeps a template's code with the checksum of its source and
    compiles it again when the source changes.  What else the code depends on
    is in the key: the edition (``edition``: its language and catalogue, whose
    literal messages are compiled in), Jinja's version and this module (the
    environment's options and :class:`_FoldMessages`).  A cache that cannot be
    read or written is no cache: the template is compiled, the build goes on.
    The code in it is run, so it is used only while the folder is the user's
    own and nobody else may write in it (a new one is made that way).
    """

    def __init__(self, directory: Path, edition: str):
        super().__init__(str(directory), "%s.jinja")
        self.folder = directory
        self.key = hashlib.sha256(b"\0".join((
            edition.encode("utf-8"), jinja2.__version__.encode("ascii"), Path(__file__).read_bytes()))).hexdigest()

    def get_cache_key(self, name: str, filename: str | None = None) -> str:
        return hashlib.sha256(f"{self.key}\0{name}\0{filename or ''}".encode("utf-8")).hexdigest()

    def _private(self) -> bool:
        try:
            status = os.lstat(self.folder)
        except OSError:
            return False
        return (stat.S_ISDIR(status.st_mode) and status.st_uid == os.getuid()
                and not status.st_mode & (stat.S_IWGRP | stat.S_IWOTH))

    def load_bytecode(self, bucket: Bucket) -> None:
        if not self._private():
            return
        try:
            super().load_bytecode(bucket)
        except Exception:  # noqa: BLE001 - unreadable or cut short (OSError, UnpicklingError…): compiled instead
            bucket.reset()

    def dump_bytecode(self, bucket: Bucket) -> None:
        try:
            self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            if self._private():
                super().dump_bytecode(bucket)
        except OSError:
            pass


def make_environment(templates_dir: Path, versions: dict[str, str]) -> Environment:
    env = SiteEnvironment(
        loader=FileSystemLoader(str(templates_dir)),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    markdown = make_markdown()

    @pass_context
    def static(context: Context, name: str) -> str:
        return f"{context.get('site_root', context['root'])}static/{name}?v={versions.get(name, '0')}"

    env.globals.update(url=url, static=static, urls=urls, tile_lines=tile_lines)
    env.filters["markdown"] = lambda text: Markup(markdown.render(text or ""))
    env.filters["json_for_html"] = json_for_html
    return env
