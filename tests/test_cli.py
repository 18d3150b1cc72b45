"""The command line: help, exit codes, and what each command prints."""

from __future__ import annotations

import os
import re

from click.testing import CliRunner

from site_gen.cli import main
from tests.conftest import DOC, TEMPLATES


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def test_help_lists_every_command():
    result = run("--help")
    assert result.exit_code == 0
    for command in ("build", "validate", "serve", "ingest"):
        assert re.search(rf"^\s+{command}\s", result.output, re.M), command


def test_each_command_help_has_an_example():
    for command in ("build", "validate", "serve", "ingest"):
        result = run(command, "--help")
        assert result.exit_code == 0
        assert "Example:" in result.output and f"site-gen {command}" in result.output


def test_validate_ok(content):
    result = run("validate", "--content", str(content.root))
    assert result.exit_code == 0
    assert result.output == "ok: 1 cities, 1 documents, 5 measures, 2 targets\n"


def test_validate_reports_problems_and_exits_1(content):
    content.replace(DOC, "issued: 2022-03-01", "issued: 2022-02-30")
    result = run("validate", "--content", str(content.root))
    assert result.exit_code == 1
    assert f"{content.path(DOC).as_posix()}:6:9: issued: '2022-02-30' is not a valid date" in result.output
    assert "Traceback" not in result.output


def test_build_reports_problems_without_traceback(content, tmp_path):
    content.replace(DOC, "    unit: 家", "    unit: 家\n    colour: red")
    result = run("build", "--content", str(content.root), "--out", str(tmp_path / "out"),
                 "--templates", str(TEMPLATES), "--no-search")
    assert result.exit_code == 1
    assert "targets[1].colour: unknown field 'colour'" in result.output
    assert "nothing was written" in result.output
    assert not (tmp_path / "out").exists()


def test_usage_error_exits_2():
    assert run("build", "--port", "1").exit_code == 2


def test_ingest_refuses_unsafe_id(tmp_path):
    raw = tmp_path / "raw.txt"
    raw.write_text("正文\n", encoding="utf-8")
    result = run("ingest", str(raw), "--id", "../../etc", "--content", str(tmp_path))
    assert result.exit_code == 2
    assert "Invalid value for --id" in result.output


def test_editors_commands_are_listed_with_examples():
    listed = run("--help").output
    for command in ("diff", "new", "hosting"):
        assert re.search(rf"^\s+{command}\s", listed, re.M), command
    for args in (("diff",), ("new",), ("new", "city"), ("new", "document"), ("hosting",)):
        result = run(*args, "--help")
        assert result.exit_code == 0 and "Example:" in result.output and f"site-gen {' '.join(args)}" in result.output


def test_the_program_ends_with_its_exit_code_and_every_line_it_printed(content, tmp_path):
    """``site-gen`` ends its process without tearing down (cli.run): the streams are flushed first."""
    import subprocess
    import sys

    def program(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "site_gen", *args], capture_output=True, text=True,
                              env={**os.environ, "SOURCE_DATE_EPOCH": "1795392000"}, timeout=300)

    built = program("build", "--no-search", "--content", str(content.root), "--out", str(tmp_path / "out"))
    assert built.returncode == 0, built.stderr
    assert built.stdout.startswith("built ") and built.stdout.endswith(f"into {tmp_path / 'out'}/\n")
    assert (tmp_path / "out" / "index.html").is_file()
    ok = program("validate", "--content", str(content.root))
    assert ok.returncode == 0 and ok.stdout.startswith("ok: ") and ok.stdout.endswith(" targets\n")
    content.write("cities/shili/city.yaml", "slug: [\n")
    broken = program("validate", "--content", str(content.root))
    assert broken.returncode == 1 and broken.stderr.rstrip().endswith("nothing was written.")
    assert program("no-such-command").returncode == 2
