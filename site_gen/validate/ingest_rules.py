"""``content/ingest-rules.yaml``: what it may hold, and the checks that make it safe to run.

The rules file arrives by pull request like the rest of the content, so it
is read with the project's YAML loader (every value keeps its line and
column) and checked like the rest: ``site-gen validate`` and ``site-gen
build`` report its problems with the others, and ``site-gen ingest``
refuses to run on a file with any.  The checks:

* the schema (:class:`RulesFile`): unknown keys, wrong types, a rule without
  ``name`` or ``pattern``, a threshold outside 0–1;
* every pattern compiles with the ``regex`` module, the one ingest runs (the
  message gives the error's position in the pattern);
* no pattern repeats a group that is itself only a repetition — ``(a+)+``,
  ``(\\s*x+)*``, ``(a+|b)+`` — the classic exponential backtracking;
* no line rule matches an empty line (it would drop or strip every line);
* rule names are unique: they name the rule in ingest's report and errors.

Not every slow pattern is recognisable (``(a|aa)+$`` is exponential too), so
ingest also runs each rule under a time limit (:mod:`site_gen.ingest.rules`).
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any

import regex
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError

from site_gen.errors import ContentError, Problem
from site_gen.ingest.rules import IngestRules, LineRule
from site_gen.load.yaml_source import YamlDocument, load_yaml
from site_gen.validate.messages import problems_from

_SYNTAX = "expected a regular expression in Python syntax"


def _safe_pattern(text: str) -> str:
    """A pattern the ``regex`` module compiles, without a nested quantifier."""
    try:
        regex.compile(text)
    except regex.error as exc:
        raise ValueError(f"invalid regular expression: {exc} ({_SYNTAX})") from None
    if nested_quantifier(text):
        raise ValueError(
            "a repeated group that is itself only a repetition, as in (a+)+, (a*)* or (a+|b)+, "
            "can take exponential time on a line that almost matches "
            "(expected a pattern without one, e.g. a+ instead of (a+)+)")
    return text


def _needs_text(text: str) -> str:
    """A line rule must not match an empty line: it would drop or strip every line."""
    if regex.compile(text).search("") is not None:
        raise ValueError("matches an empty line, so it applies to every line "
                         "(expected a pattern that needs some text to match)")
    return text


Name = Annotated[str, Field(min_length=1, max_length=200)]
Pattern = Annotated[str, Field(min_length=1, max_length=2000,
                               description="a regular expression (Python syntax), matched against one line"),
                    AfterValidator(_safe_pattern)]
LinePattern = Annotated[Pattern, AfterValidator(_needs_text)]


class _Strict(BaseModel):
    """Unknown keys are errors: a misspelt rule must never be silently ignored."""

    model_config = ConfigDict(extra="forbid")


class RuleEntry(_Strict):
    """A named pattern; the name is printed in ingest's report."""

    name: Name
    pattern: LinePattern


class TableEntry(_Strict):
    """A line that starts a table flattened one cell per line."""

    header: Name


class RulesFile(_Strict):
    """``content/ingest-rules.yaml``."""

    drop_lines: list[RuleEntry] | None = None
    strip: list[RuleEntry] | None = None
    pinyin: Pattern | None = None
    traditional_threshold: Decimal = Field(Decimal("0.02"), ge=0, le=1)
    tables: list[TableEntry] | None = None


_LINE_RULES = ("drop_lines", "strip")


def check_ingest_rules(doc: YamlDocument) -> tuple[IngestRules | None, list[Problem]]:
    """The compiled rules of a parsed rules file, or every problem with it."""
    if not isinstance(doc.data, dict):
        fields = ", ".join(RulesFile.model_fields)
        return None, [doc.problem((), f"the file is empty or not a mapping (expected a mapping of {fields})")]
    problems = _duplicate_names(doc)
    try:
        data = RulesFile.model_validate(doc.data)
    except ValidationError as exc:
        problems += [_naming_the_rule(doc, p) for p in problems_from(exc, doc, RulesFile)]
    if problems:
        return None, problems
    line_rules = {key: tuple(LineRule(entry.name, regex.compile(entry.pattern), f"{key}[{i}]")
                             for i, entry in enumerate(getattr(data, key) or []))
                  for key in _LINE_RULES}
    return IngestRules(
        drop_lines=line_rules["drop_lines"],
        strip=line_rules["strip"],
        pinyin=LineRule("pinyin annotations", regex.compile(data.pinyin), "pinyin") if data.pinyin else None,
        traditional_threshold=float(data.traditional_threshold),
        table_headers=tuple(t.header for t in data.tables or []),
        source=doc.path,
    ), []


def _naming_the_rule(doc: YamlDocument, problem: Problem) -> Problem:
    """``drop_lines[2].pattern: rule 'spam': ...``: say which rule, not only where it is."""
    for key in _LINE_RULES:
        entries = doc.data.get(key)
        if not isinstance(entries, list) or not problem.field.startswith(f"{key}["):
            continue
        index = problem.field[len(key) + 1:].partition("]")[0]
        entry = entries[int(index)] if index.isdigit() and int(index) < len(entries) else None
        name = entry.get("name") if isinstance(entry, dict) else None
        if isinstance(name, str) and problem.field != f"{key}[{index}].name":
            return replace(problem, message=f"rule {name!r}: {problem.message}")
    return problem


def _duplicate_names(doc: YamlDocument) -> list[Problem]:
    """Each rule's name once, across both lists; read from the raw data, so it is checked
    even when something else in the file is wrong."""
    problems = []
    first: dict[str, str] = {}
    for key in _LINE_RULES:
        entries = doc.data.get(key)
        for i, entry in enumerate(entries if isinstance(entries, list) else []):
            name = entry.get("name") if isinstance(entry, dict) else None
            if not isinstance(name, str):
                continue
            if name in first:
                problems.append(doc.problem((key, i, "name"), f"duplicate rule name {name!r} "
                                            f"(expected each rule named once; first at {first[name]})"))
            first.setdefault(name, f"{key}[{i}]")
    return problems


def load_ingest_rules(path: Path) -> IngestRules:
    """Read and check the rules file at ``path``; raises :class:`ContentError` listing every problem."""
    doc, problems = load_yaml(path, path.as_posix())
    rules = None
    if doc is not None:
        rules, problems = check_ingest_rules(doc)
    if rules is None:
        raise ContentError(problems)
    return rules


# --- nested quantifiers --------------------------------------------------------

try:  # the standard library's own regular-expression parser (private, stable since Python 2)
    from re import _constants as _sre  # type: ignore[attr-defined]
    from re import _parser as _sre_parse  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - a Python without it skips this check; the time limit remains
    _sre = _sre_parse = None


def nested_quantifier(text: str) -> bool:
    """True when a repetition repeats something that is only another unbounded repetition.

    ``(a+)+`` can split a run of n letters between the two loops in 2ⁿ ways,
    and tries them all on a line that almost matches.  Repeats whose body
    needs something else (``(\\s+\\S+){3,}``), possessive repeats and atomic
    groups are left alone.  Patterns only the ``regex`` module understands
    (``\\p{Han}``) are not parsed here; the time limit still bounds them.
    """
    if _sre_parse is None:
        return False
    try:
        parsed = _sre_parse.parse(text)
    except Exception:  # noqa: BLE001 - not standard syntax: the regex module compiled it, fine
        return False
    return _has_nested(list(parsed))


def _items(node: Any) -> list[tuple[Any, Any]]:
    return list(node) if node is not None else []


def _has_nested(seq: list[tuple[Any, Any]]) -> bool:
    for op, av in seq:
        if op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT):
            _, most, body = av
            if most > 1 and _only_a_repeat(_items(body)):
                return True
            if _has_nested(_items(body)):
                return True
        elif op is _sre.POSSESSIVE_REPEAT or op is _sre.ATOMIC_GROUP:
            continue  # never backtracks into itself
        elif op is _sre.SUBPATTERN:
            if _has_nested(_items(av[-1])):
                return True
        elif op is _sre.BRANCH:
            if any(_has_nested(_items(branch)) for branch in av[1]):
                return True
        elif op in (_sre.ASSERT, _sre.ASSERT_NOT):
            if _has_nested(_items(av[1])):
                return True
    return False


def _only_a_repeat(seq: list[tuple[Any, Any]]) -> bool:
    """True when ``seq`` is one unbounded repetition, give or take parts that can match nothing."""
    solid = [item for item in seq if not _nullable(item)]
    if len(solid) > 1:
        return False
    for op, av in solid or seq:
        if op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT) and av[1] == _sre.MAXREPEAT:
            return True
        if op is _sre.SUBPATTERN and _only_a_repeat(_items(av[-1])):
            return True
        if op is _sre.BRANCH and any(_only_a_repeat(_items(branch)) for branch in av[1]):
            return True
    return False


def _nullable(item: tuple[Any, Any]) -> bool:
    """True when the item can match the empty string."""
    op, av = item
    if op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT, _sre.POSSESSIVE_REPEAT):
        return av[0] == 0 or all(_nullable(x) for x in _items(av[2]))
    if op is _sre.SUBPATTERN:
        return all(_nullable(x) for x in _items(av[-1]))
    if op is _sre.ATOMIC_GROUP:
        return all(_nullable(x) for x in _items(av))
    if op is _sre.BRANCH:
        return any(all(_nullable(x) for x in _items(branch)) for branch in av[1])
    return op in (_sre.AT, _sre.ASSERT, _sre.ASSERT_NOT, _sre.GROUPREF, _sre.GROUPREF_EXISTS)
