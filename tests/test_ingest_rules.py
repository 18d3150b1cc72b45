"""ingest-rules.yaml is content: checked with file:line:col, and no rule can hang ingest.

Tests that run a rule against a hostile line do it in a subprocess with a
timeout, so a lost time limit fails the test instead of hanging the run.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from site_gen.cli import main
from site_gen.errors import ContentError
from site_gen.load.yaml_source import parse_yaml
from site_gen.validate.ingest_rules import check_ingest_rules, load_ingest_rules, nested_quantifier
from tests.conftest import REAL_CONTENT, record

GOOD_RULE = "drop_lines:\n  - name: view counter\n    pattern: '^浏览次数\\d+$'\n"

# (rules file, the one problem it must give: line:col: field: start of the message)
MALFORMED = {
    "unknown top-level key": (
        GOOD_RULE + "drop_line: []\n",
        "4:1: drop_line: unknown field 'drop_line' (expected one of: drop_lines, strip, pinyin, "
        "traditional_threshold, tables; did you mean 'drop_lines'?)"),
    "unknown key in a rule": (
        "strip:\n  - name: prefix\n    pattern: '^x'\n    flags: i\n",
        "4:5: strip[0].flags: rule 'prefix': unknown field 'flags'"),
    "pattern is not text": (
        "drop_lines:\n  - name: number\n    pattern: 123\n",
        "3:14: drop_lines[0].pattern: rule 'number': 123 is not text (expected text)"),
    "list is a mapping": (
        "strip:\n  name: prefix\n  pattern: x\n",
        "2:3: strip: dict is not a list (expected a list)"),
    "threshold is text": (
        "traditional_threshold: some\n",
        "1:24: traditional_threshold: 'some' is not a number"),
    "threshold out of range": (
        "traditional_threshold: 1.5\n",
        "1:24: traditional_threshold: 1.5 is out of range (expected at most 1)"),
    "invalid regular expression": (
        "drop_lines:\n  - name: broken\n    pattern: 'ab(['\n",
        "3:14: drop_lines[0].pattern: rule 'broken': invalid regular expression: "
        "unterminated character set at position 4"),
    "invalid pinyin pattern": (
        "pinyin: '(?<=x'\n",
        "1:9: pinyin: invalid regular expression: missing ) at position 5"),
    "missing pattern": (
        "drop_lines:\n  - name: lonely\n",
        "2:5: drop_lines[0].pattern: rule 'lonely': missing (required field)"),
    "missing name": (
        "strip:\n  - pattern: x\n",
        "2:5: strip[0].name: missing (required field)"),
    "empty name": (
        "strip:\n  - name: ''\n    pattern: x\n",
        "2:11: strip[0].name: is empty (expected some text)"),
    "duplicate rule names": (
        GOOD_RULE + "strip:\n  - name: view counter\n    pattern: x\n",
        "5:11: strip[0].name: duplicate rule name 'view counter' "
        "(expected each rule named once; first at drop_lines[0])"),
    "nested quantifier": (
        "drop_lines:\n  - name: runaway\n    pattern: '(a+)+$'\n",
        "3:14: drop_lines[0].pattern: rule 'runaway': a repeated group that is itself only a repetition"),
    "matches an empty line": (
        "drop_lines:\n  - name: everything\n    pattern: 'x*'\n",
        "3:14: drop_lines[0].pattern: rule 'everything': matches an empty line"),
    "table without header": (
        "tables:\n  - {}\n",
        "2:5: tables[0].header: missing (required field)"),
    "not a mapping": (
        "- name: x\n  pattern: y\n",
        "1:1: file: the file is empty or not a mapping"),
    "YAML alias": (
        "drop_lines:\n  - &r {name: a, pattern: b}\n  - *r\n",
        "3:5: yaml: aliases (*name) are not allowed"),
}


def problems_of(text: str) -> list[str]:
    doc, problems = parse_yaml(text, "ingest-rules.yaml")
    if doc is not None:
        problems = check_ingest_rules(doc)[1]
    return [str(p) for p in problems]


@pytest.mark.parametrize("case", sorted(MALFORMED))
def test_malformed_rules_give_one_positioned_problem(case: str):
    record("hostile corpus: broken or runaway ingest rules refused")
    text, expected = MALFORMED[case]
    problems = problems_of(text)
    assert len(problems) == 1, problems
    assert problems[0].startswith(f"ingest-rules.yaml:{expected}"), problems[0]


def test_every_problem_of_a_file_is_reported_at_once():
    text = "".join(t for t, _ in (MALFORMED["invalid regular expression"], MALFORMED["threshold out of range"]))
    text += "strip:\n  - name: broken\n    pattern: '(a*)*'\n"
    problems = problems_of(text)
    assert sorted(p.split(": ")[1] for p in problems) == [  # strip[0] is also named 'broken'
        "drop_lines[0].pattern", "strip[0].name", "strip[0].pattern", "traditional_threshold"]


def test_the_real_rules_are_valid_and_not_nested():
    rules = load_ingest_rules(REAL_CONTENT / "ingest-rules.yaml")
    assert len(rules.drop_lines) == 5 and len(rules.strip) == 3 and rules.pinyin is not None


@pytest.mark.parametrize("pattern, nested", [
    ("(a+)+$", True), ("(a*)*", True), ("(?:a+|b)+", True), (r"(\s*x+)*", True), ("((ab)+)+", True),
    (r"(\d+\s*)+x", True), ("(a+){2}", True),
    (r"^首\s*页(\s+\S+){3,}$", False),  # the site-navigation rule: \s and \S cannot share a character
    ("(a|aa)+$", False),  # exponential too, but not recognisable: the time limit stops it
    ("(?>a+)+", False), ("(a++)+", False), ("a+", False), ("(a+){1}", False), (r"\p{Han}+", False),
])
def test_nested_quantifiers_are_recognised(pattern: str, nested: bool):
    assert nested_quantifier(pattern) is nested


def run_ingest(tmp_path: Path, rules: str, raw: str) -> subprocess.CompletedProcess:
    """``site-gen ingest`` in its own process, killed (and the test failed) after 30 s."""
    (tmp_path / "rules.yaml").write_text(rules, encoding="utf-8")
    (tmp_path / "raw.txt").write_text(raw, encoding="utf-8")
    command = [sys.executable, "-m", "site_gen", "ingest", str(tmp_path / "raw.txt"), "--id", "x-2020-plan",
               "--content", str(tmp_path / "content"), "--rules", str(tmp_path / "rules.yaml")]
    return subprocess.run(command, capture_output=True, text=True, timeout=30)


HOSTILE_LINE = "a" * 5000 + "!"


def test_a_runaway_rule_is_stopped_naming_the_rule_and_the_line(tmp_path: Path):
    record("hostile corpus: broken or runaway ingest rules refused")
    rules = "drop_lines:\n  - name: runaway\n    pattern: '^(a|aa)+$'\n"
    result = run_ingest(tmp_path, rules, f"正文第一行。\n\n{HOSTILE_LINE}\n正文。\n")
    assert result.returncode == 1, result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: {tmp_path / 'raw.txt'}:3: rule 'runaway' "), lines
    assert "drop_lines[0]" in lines[0] and "was stopped" in lines[0]
    assert not (tmp_path / "content/sources/x-2020-plan.txt").exists()


def test_a_runaway_strip_or_pinyin_rule_is_stopped_too(tmp_path: Path):
    for rules, name in (("strip:\n  - name: greedy\n    pattern: '(a|aa)+b'\n", "greedy"),
                        ("pinyin: '(a|aa)+b'\n", "pinyin annotations")):
        record("hostile corpus: broken or runaway ingest rules refused")
        result = run_ingest(tmp_path, rules, HOSTILE_LINE + "\n")
        assert result.returncode == 1 and f"rule {name!r}" in result.stderr, result.stderr


def test_a_nested_quantifier_is_refused_before_any_line_is_read(tmp_path: Path):
    record("hostile corpus: broken or runaway ingest rules refused")
    result = run_ingest(tmp_path, "drop_lines:\n  - name: runaway\n    pattern: '(a+)+$'\n", HOSTILE_LINE + "\n")
    assert result.returncode == 1
    assert result.stderr.splitlines()[0].startswith(
        f"{tmp_path / 'rules.yaml'}:3:14: drop_lines[0].pattern: rule 'runaway': a repeated group")


def test_bad_rules_file_is_reported_by_ingest():
    with pytest.raises(ContentError) as error:
        load_ingest_rules(REAL_CONTENT / "no-such-rules.yaml")
    assert "cannot read file" in error.value.report()


def test_validate_and_build_check_the_rules_with_the_rest(content, tmp_path: Path, templates: Path):
    record("hostile corpus: broken or runaway ingest rules refused")
    content.write("ingest-rules.yaml", "drop_lines:\n  - name: runaway\n    pattern: '(a+)+$'\n")
    content.replace("cities/shili/city.yaml", "name_en: Shili", "name_en: 3")
    result = CliRunner().invoke(main, ["validate", "--content", str(content.root)])
    assert result.exit_code == 1
    assert f"{content.root}/ingest-rules.yaml:3:14: drop_lines[0].pattern: rule 'runaway':" in result.output
    assert f"{content.root}/cities/shili/city.yaml:" in result.output and "2 problem(s)" in result.output
    out = tmp_path / "out"
    built = CliRunner().invoke(main, ["build", "--content", str(content.root), "--out", str(out),
                                      "--templates", str(templates), "--no-search"])
    assert built.exit_code == 1 and "ingest-rules.yaml:3:14" in built.output and not out.exists()
    content.write("ingest-rules.yaml", (REAL_CONTENT / "ingest-rules.yaml").read_text(encoding="utf-8"))
    content.replace("cities/shili/city.yaml", "name_en: 3", "name_en: Shili")
    assert CliRunner().invoke(main, ["validate", "--content", str(content.root)]).exit_code == 0
