"""Turn pydantic's validation errors into editor-facing problems.

Pydantic reports ``loc`` paths that include union tags (``amount.fixed.value``)
and messages written for programmers.  Here each error becomes one
:class:`~site_gen.errors.Problem` at the line and column of the offending
value, saying what is wrong and what was expected.
"""

from __future__ import annotations

import difflib
from decimal import Decimal
import types
import typing
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from site_gen.errors import Problem, shorten
from site_gen.errors import FieldPath
from site_gen.load.yaml_source import YamlDocument


def _data_loc(data: Any, loc: tuple[Any, ...]) -> FieldPath:
    """The path of ``loc`` in the data, without pydantic's union tags."""
    out: list[str | int] = []
    node = data
    for part in loc:
        if isinstance(node, dict) and part in node:
            out.append(part)
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            out.append(part)
            node = node[part]
        elif isinstance(node, dict) and node.get("kind") == part:
            continue  # the tag of a discriminated union
        elif isinstance(node, dict) and not isinstance(part, int) and part not in node:
            # Either a union tag (skip it) or a missing/unknown key (keep it, last).
            if part == loc[-1]:
                out.append(part)
            continue
    return tuple(out)


def _model_fields_at(model: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    """Field names of the model that sits at ``loc`` (best effort)."""
    current: Any = model
    for part in loc:
        current = _unwrap(current, part)
        if current is None:
            return []
    current = _unwrap(current, None)
    if isinstance(current, type) and issubclass(current, BaseModel):
        hidden: frozenset[str] = getattr(current, "resolved_fields", frozenset())  # set by the build
        return [name for name in current.model_fields if name not in hidden]
    return []


def _unwrap(tp: Any, part: Any) -> Any:
    """Descend one step from a type along ``part`` (a field, an index, a tag)."""
    while True:
        origin = typing.get_origin(tp)
        if origin is typing.Annotated:
            tp = typing.get_args(tp)[0]
        elif origin in (typing.Union, types.UnionType):
            members = [a for a in typing.get_args(tp) if a is not type(None)]
            if part is not None and not isinstance(part, int):
                for member in members:
                    kind = getattr(member, "model_fields", {}).get("kind")
                    if kind is not None and typing.get_args(kind.annotation) == (part,):
                        return member
            if len(members) == 1 or part is None:
                tp = members[0]
            else:
                tp = next((m for m in members if isinstance(m, type) and part in getattr(m, "model_fields", {})), None)
                if tp is None:
                    return None
        elif origin is list:
            if isinstance(part, int):
                return typing.get_args(tp)[0]
            tp = typing.get_args(tp)[0]
        else:
            break
    if part is None or isinstance(part, int):
        return tp
    if isinstance(tp, type) and issubclass(tp, BaseModel) and part in tp.model_fields:
        return tp.model_fields[part].annotation
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return tp  # a union tag: stay on the chosen member
    return None


def _choices(expected: str) -> list[str]:
    return [part.strip().strip("'") for part in expected.replace(" or ", ",").split(",") if part.strip()]


def _suggest(value: object, options: list[str]) -> str:
    if isinstance(value, str):
        close = difflib.get_close_matches(value, options, n=1)
        if close:
            return f"; did you mean {close[0]!r}?"
    return ""


def _message(error: ErrorDetails, model: type[BaseModel]) -> str:
    kind = error["type"]
    value = error.get("input")
    ctx = error.get("ctx") or {}
    shown = (type(value).__name__ if isinstance(value, (dict, list))
             else shorten(str(value)) if isinstance(value, Decimal) else shorten(repr(value)))  # 1.5, not Decimal('1.5')
    if kind == "missing":
        return "missing (required field)"
    if kind == "extra_forbidden":
        name = error["loc"][-1]
        fields = _model_fields_at(model, error["loc"][:-1])
        hint = f"expected one of: {', '.join(fields)}" if fields else "not part of the schema"
        return f"unknown field {name!r} ({hint}{_suggest(name, fields)})"
    if kind == "literal_error":
        options = _choices(ctx.get("expected", ""))
        return f"{shown} is not allowed (expected one of: {', '.join(options)}{_suggest(value, options)})"
    if kind == "union_tag_invalid":
        options = _choices(ctx.get("expected_tags", ""))
        return f"kind {ctx.get('tag')!r} is not known (expected one of: {', '.join(options)}{_suggest(ctx.get('tag'), options)})"
    if kind == "union_tag_not_found":
        return f"missing {ctx.get('discriminator', 'kind')} (expected one of the amount kinds: fixed, range, tiers, percent, per-unit, benefit, unstated)"
    if kind == "string_type":
        return f"{shown} is not text (expected text)"
    if kind == "string_too_short":
        return "is empty (expected some text)"
    if kind == "string_too_long":
        return f"is too long (expected at most {ctx.get('max_length')} characters)"
    if kind == "string_pattern_mismatch":
        return (f"{shown} is not a valid id (expected lower-case ASCII letters and digits "
                "joined by single hyphens, e.g. jinzhou-2021-action-plan)")
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return f"{shown} is not a whole number (expected an integer)"
    if kind in ("decimal_parsing", "decimal_type", "float_parsing", "float_type"):
        return f"{shown} is not a number (expected a number, or an amount such as 21亿元)"
    if kind in ("bool_type", "bool_parsing"):
        return f"{shown} is not true or false (expected true or false)"
    if kind in ("list_type",):
        return f"{shown} is not a list (expected a list)"
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return f"{shown} is not a mapping (expected a mapping of fields)"
    if kind == "too_short":
        return f"has too few items (expected at least {ctx.get('min_length')})"
    if kind in ("greater_than", "greater_than_equal", "less_than", "less_than_equal"):
        bound = next(iter(ctx.values()), "")
        words = {"greater_than": "greater than", "greater_than_equal": "at least",
                 "less_than": "less than", "less_than_equal": "at most"}[kind]
        return f"{shown} is out of range (expected {words} {bound})"
    if kind == "value_error":
        return str(ctx.get("error") or error["msg"]).removeprefix("Value error, ")
    return f"{error['msg']} (got {shown})"


def problems_from(exc: ValidationError, doc: YamlDocument, model: type[BaseModel]) -> list[Problem]:
    """One problem per pydantic error, placed at the value's line and column."""
    problems = []
    for error in exc.errors(include_url=False):
        loc = _data_loc(doc.data, tuple(error["loc"]))
        is_key = error["type"] == "extra_forbidden"
        problems.append(doc.problem(loc, _message(error, model), key=is_key))
    return problems
