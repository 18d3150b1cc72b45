"""The build as a gate on what content files are and what they contain.

Content arrives by pull request from outsiders, so the tree itself is hostile:

* links and special files: a symbolic link would publish ``/etc/passwd`` or
  ``.git/config``; a FIFO would block the build; a device may do anything
  when opened.  Every one is refused, naming the path, and so is any entry of
  the wrong kind (a folder where a file belongs, or the reverse);
* invisible and control characters: bidirectional overrides and zero-width
  characters make text display differently from what it says, and control
  characters can drive a terminal;
* Pagefind's internal ``___PAGEFIND_…`` markers, which would steer the index.

Each case must fail the build with ``file:line:col: field: message`` lines,
exit code 1, nothing written and no traceback.
"""

from __future__ import annotations

import os
import re
import socket
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from site_gen.cli import main
from site_gen.ingest.clean import clean_text
from site_gen.errors import ContentError
from site_gen.validate.ingest_rules import load_ingest_rules as load_rules
from tests.conftest import CITY, DOC, REAL_CONTENT, ROOT, TEMPLATES, ContentTree, record

SOURCE = "sources/shili-2022-measures.txt"
CITY_MD = "cities/shili/city.md"
DOC_MD = "cities/shili/documents/shili-2022-measures.md"
PROBLEM_LINE = re.compile(r"^.+:\d+:\d+: [^:]+: .+$")


def refused(content: ContentTree, tmp_path: Path, *expected: str) -> str:
    """Build ``content``; it must fail cleanly, and report each expected line fragment."""
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", "--content", str(content.root), "--out", str(out),
                                       "--templates", str(TEMPLATES), "--no-search"], color=True)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exc_info
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert not out.exists(), "nothing may be written"
    lines = result.output.splitlines()
    assert lines[-1].endswith("problem(s); nothing was written.")
    for line in lines[:-1]:
        assert PROBLEM_LINE.match(line), line
    for fragment in expected:
        assert fragment in result.output, (fragment, result.output)
    assert "\x1b" not in result.output
    return result.output


def shown(content: ContentTree, relative: str) -> str:
    return content.path(relative).as_posix()


# --- links ----------------------------------------------------------------------


LINK_CASES = {
    # name: (link inside the content folder, where it points; None: a file inside the tree)
    "city summary to /etc/passwd": (CITY_MD, "/etc/passwd"),
    "archived text to /etc/passwd": (SOURCE, "/etc/passwd"),
    "city summary to ../../../.git/config": (CITY_MD, "../../../.git/config"),
    "document yaml to a file inside the tree": ("cities/shili/documents/shili-2022-measures.yaml",
                                                "../../../site.yaml"),
    "document summary to a file inside the tree": (DOC_MD, "../city.md"),
    "site.yaml to /etc/hostname": ("site.yaml", "/etc/hostname"),
    "README.md to /etc/passwd": ("README.md", "/etc/passwd"),
    "ingest rules to /etc/passwd": ("ingest-rules.yaml", "/etc/passwd"),
    "hidden file to /etc/passwd": ("cities/shili/.notes", "/etc/passwd"),
    "editor's backup to /etc/passwd": ("cities/shili/city.yaml~", "/etc/passwd"),
    "dangling link": ("cities/shili/documents/extra.yaml", "nowhere.yaml"),
}


@pytest.mark.parametrize("name", sorted(LINK_CASES))
def test_a_file_link_is_refused(name, content, tmp_path):
    record("hostile corpus: unsafe files refused (links, special files, wrong kinds)")
    relative, target = LINK_CASES[name]
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git/config").write_text("[remote]\n  url = secret\n", encoding="utf-8")
    link = content.path(relative)
    if link.exists() or link.is_symlink():
        link.unlink()
    link.symlink_to(target)
    output = refused(content, tmp_path, f"{shown(content, relative)}:1:1: file: symbolic link")
    assert "not allowed" in output
    assert "root:x:0:0" not in output and "secret" not in output


FOLDER_LINK_CASES = {
    "city folder linked outside the content folder": "cities/elsewhere",
    "documents folder linked outside": "cities/shili/documents",
    "sources folder linked outside": "sources",
    "cities folder linked outside": "cities",
}


@pytest.mark.parametrize("name", sorted(FOLDER_LINK_CASES))
def test_a_folder_link_is_refused(name, content, tmp_path):
    record("hostile corpus: unsafe files refused (links, special files, wrong kinds)")
    relative = FOLDER_LINK_CASES[name]
    outside = tmp_path / "outside"
    original = content.path(relative)
    if original.exists():
        original.rename(outside)
    else:
        outside.mkdir()
        (outside / "city.yaml").write_text("slug: elsewhere\n", encoding="utf-8")
    original.symlink_to(outside, target_is_directory=True)
    refused(content, tmp_path, f"{shown(content, relative)}:1:1: file: symbolic link")


def test_a_folder_link_inside_the_tree_is_refused(content, tmp_path):
    record("hostile corpus: unsafe files refused (links, special files, wrong kinds)")
    content.path("cities/copy").symlink_to("shili", target_is_directory=True)
    refused(content, tmp_path, f"{shown(content, 'cities/copy')}:1:1: file: symbolic link")


def test_the_content_root_may_itself_be_a_link(content, tmp_path):
    linked = tmp_path / "linked-content"
    linked.symlink_to(content.root, target_is_directory=True)
    result = CliRunner().invoke(main, ["validate", "--content", str(linked)])
    assert result.exit_code == 0, result.output


def test_every_problem_of_the_tree_in_one_run(content, tmp_path):
    content.path(CITY_MD).unlink()
    content.path(CITY_MD).symlink_to("/etc/passwd")
    content.path(SOURCE).unlink()
    content.path(SOURCE).symlink_to("/etc/passwd")
    content.path("site.yaml").unlink()
    content.path("site.yaml").mkdir()
    output = refused(content, tmp_path,
                     f"{shown(content, CITY_MD)}:1:1: file: symbolic link",
                     f"{shown(content, SOURCE)}:1:1: file: symbolic link",
                     f"{shown(content, 'site.yaml')}:1:1: file: is a folder")
    # the link is the problem: no second, misleading "missing summary" for the same file
    assert output.count(f"{shown(content, CITY_MD)}:") == 1


# --- special files --------------------------------------------------------------


def run_validate(content: ContentTree) -> subprocess.CompletedProcess:
    """In a child process with a timeout: a FIFO must never block the build."""
    return subprocess.run([sys.executable, "-m", "site_gen", "validate", "--content", str(content.root)],
                          capture_output=True, text=True, timeout=60, cwd=ROOT)


@pytest.mark.parametrize("relative", [CITY_MD, SOURCE, CITY, DOC_MD, "site.yaml"])
def test_a_fifo_is_refused_without_blocking(relative, content):
    record("hostile corpus: unsafe files refused (links, special files, wrong kinds)")
    content.path(relative).unlink()
    os.mkfifo(content.path(relative))
    result = run_validate(content)
    assert result.returncode == 1, result.stderr
    assert f"{shown(content, relative)}:1:1: file: FIFO" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr


def test_a_socket_is_refused(content, monkeypatch):
    record("hostile corpus: unsafe files refused (links, special files, wrong kinds)")
    content.path(SOURCE).unlink()
    monkeypatch.chdir(content.path("sources"))  # socket paths are limited to ~100 bytes
    server = socket.socket(socket.AF_UNIX)
    try:
        server.bind("shili-2022-measures.txt")
        result = run_validate(content)
    finally:
        server.close()
    assert result.returncode == 1
    assert f"{shown(content, SOURCE)}:1:1: file: socket" in result.stderr, result.stderr


def test_a_device_is_refused(content):
    content.path(CITY_MD).unlink()
    try:
        os.mknod(content.path(CITY_MD), stat.S_IFCHR | 0o600, os.makedev(1, 3))  # like /dev/null
    except (PermissionError, OSError) as exc:
        pytest.skip(f"cannot make a device node here: {exc}")
    record("hostile corpus: unsafe files refused (links, special files, wrong kinds)")
    result = run_validate(content)
    assert result.returncode == 1
    assert f"{shown(content, CITY_MD)}:1:1: file: character device" in result.stderr, result.stderr


# --- entries of the wrong kind --------------------------------------------------


def make_folder(content: ContentTree, relative: str) -> None:
    path = content.path(relative)
    path.unlink()
    path.mkdir()
    (path / "inside.txt").write_text("x\n", encoding="utf-8")


def make_file(content: ContentTree, relative: str) -> None:
    import shutil

    shutil.rmtree(content.path(relative))
    content.path(relative).write_text("not a folder\n", encoding="utf-8")


WRONG_KIND = {
    "city.yaml is a folder": (make_folder, CITY, "is a folder (expected a file)"),
    "city.md is a folder": (make_folder, CITY_MD, "is a folder (expected a file)"),
    "site.yaml is a folder": (make_folder, "site.yaml", "is a folder (expected a file)"),
    "document summary is a folder": (make_folder, DOC_MD, "is a folder (expected a file)"),
    "document yaml is a folder": (make_folder, DOC, "is a folder (expected a file)"),
    "archived text is a folder": (make_folder, SOURCE, "is a folder (expected a file)"),
    "documents is a file": (make_file, "cities/shili/documents", "is a file (expected a folder"),
    "sources is a file": (make_file, "sources", "is a file (expected a folder"),
    "cities is a file": (make_file, "cities", "is a file (expected a folder"),
}


@pytest.mark.parametrize("name", sorted(WRONG_KIND))
def test_an_entry_of_the_wrong_kind_is_a_clear_problem(name, content, tmp_path):
    record("hostile corpus: unsafe files refused (links, special files, wrong kinds)")
    change, relative, message = WRONG_KIND[name]
    change(content, relative)
    refused(content, tmp_path, f"{shown(content, relative)}:1:1: file: {message}")


def test_read_text_refuses_a_link_itself(tmp_path):
    """The one reader opens with O_NOFOLLOW, so a link swapped in after the walk still fails."""
    from site_gen.load.yaml_source import read_text

    (tmp_path / "real.txt").write_text("text\n", encoding="utf-8")
    (tmp_path / "link.txt").symlink_to("real.txt")
    os.mkfifo(tmp_path / "fifo.txt")
    text, problems = read_text(tmp_path / "link.txt", "link.txt")
    assert text is None and "symbolic link" in str(problems[0])
    text, problems = read_text(tmp_path / "fifo.txt", "fifo.txt")
    assert text is None and "FIFO" in str(problems[0])


def test_ingest_rules_are_read_safely(tmp_path):
    record("hostile corpus: unsafe files refused (links, special files, wrong kinds)")

    def refused_rules(path: Path, expected: str) -> None:
        with pytest.raises(ContentError) as caught:
            load_rules(path)
        assert expected in caught.value.report()

    link = tmp_path / "rules.yaml"
    link.symlink_to(REAL_CONTENT / "ingest-rules.yaml")
    refused_rules(link, "symbolic link")
    os.mkfifo(tmp_path / "fifo.yaml")
    refused_rules(tmp_path / "fifo.yaml", "FIFO")
    bomb = tmp_path / "bomb.yaml"
    bomb.write_text("a: &a [x, x]\nb: [*a, *a]\n", encoding="utf-8")
    refused_rules(bomb, "aliases")
    assert load_rules(REAL_CONTENT / "ingest-rules.yaml").drop_lines


# --- invisible and control characters --------------------------------------------

# (name, file, text to put at the start of a line of that file, character named in the problem)
CHARACTER_CASES = [
    ("YAML: right-to-left override", DOC, "title: 示例\u202e市\n", "U+202E RIGHT-TO-LEFT OVERRIDE"),
    ("YAML: left-to-right embedding", DOC, "title: 示例\u202a市\n", "U+202A LEFT-TO-RIGHT EMBEDDING"),
    ("YAML: first strong isolate", DOC, "title: 示例\u2068市\n", "U+2068 FIRST STRONG ISOLATE"),
    ("YAML: pop directional isolate", DOC, "title: 示例\u2069市\n", "U+2069 POP DIRECTIONAL ISOLATE"),
    ("YAML: right-to-left mark", DOC, "title: 示例\u200f市\n", "U+200F RIGHT-TO-LEFT MARK"),
    ("YAML: arabic letter mark", DOC, "title: 示例\u061c市\n", "U+061C ARABIC LETTER MARK"),
    ("YAML: zero width space", DOC, "title: 示例\u200b市\n", "U+200B ZERO WIDTH SPACE"),
    ("YAML: zero width joiner", DOC, "title: 示例\u200d市\n", "U+200D ZERO WIDTH JOINER"),
    ("YAML: word joiner", DOC, "title: 示例\u2060市\n", "U+2060 WORD JOINER"),
    ("YAML: byte-order mark inside", DOC, "title: 示例\ufeff市\n", "U+FEFF ZERO WIDTH NO-BREAK SPACE"),
    ("YAML: escaped override", DOC, 'title: "示例\\u202e市"\n', "U+202E RIGHT-TO-LEFT OVERRIDE"),
    ("YAML: escaped ESC", DOC, 'title: "示例\\e[31m市"\n', "U+001B ESCAPE"),
    ("YAML: C1 next line", DOC, "title: 示例\x85市\n", "U+0085"),
    ("Markdown: right-to-left override", CITY_MD, "示例\u202e市\n", "U+202E RIGHT-TO-LEFT OVERRIDE"),
    ("Markdown: right-to-left isolate", DOC_MD, "示例\u2067市\n", "U+2067 RIGHT-TO-LEFT ISOLATE"),
    ("Markdown: zero width non-joiner", CITY_MD, "示例\u200c市\n", "U+200C ZERO WIDTH NON-JOINER"),
    ("Markdown: ESC", CITY_MD, "示例\x1b[2J市\n", "U+001B ESCAPE"),
    ("Markdown: bell", DOC_MD, "示例\x07市\n", "U+0007 BELL"),
    ("Markdown: C1 control", CITY_MD, "示例\x9b市\n", "U+009B"),
    ("Markdown: override as an entity", CITY_MD, "示例&#x202E;市\n", "U+202E RIGHT-TO-LEFT OVERRIDE"),
    ("Markdown: zero width space as an entity", DOC_MD, "示例&#8203;市\n", "U+200B ZERO WIDTH SPACE"),
    ("Markdown: override in a link title", CITY_MD, '[示例](https://example.org/ "a&#x202E;b")\n',
     "U+202E RIGHT-TO-LEFT OVERRIDE"),
    ("Markdown: override in an image's alt text", DOC_MD, "![示例&#x202E;市](https://example.org/a.png)\n",
     "U+202E RIGHT-TO-LEFT OVERRIDE"),
    ("archived text: right-to-left override", SOURCE, "示例\u202e市\n", "U+202E RIGHT-TO-LEFT OVERRIDE"),
    ("archived text: zero width space", SOURCE, "示例\u200b市\n", "U+200B ZERO WIDTH SPACE"),
    ("archived text: ESC", SOURCE, "示例\x1b]0;title\x07市\n", "U+001B ESCAPE"),
    ("archived text: line separator", SOURCE, "示例\u2028市\n", "U+2028 LINE SEPARATOR"),
    ("archived text: tag character", SOURCE, "示例\U000e0041市\n", "U+E0041 TAG LATIN CAPITAL LETTER A"),
]


def put_line(content: ContentTree, relative: str, line: str) -> int:
    """Insert ``line`` into the file (a title replaces the title); returns its line number."""
    text = content.read(relative)
    if relative == DOC:
        lines = text.splitlines(keepends=True)
        number = next(i for i, existing in enumerate(lines) if existing.startswith("title:"))
        lines[number] = line
        content.path(relative).write_text("".join(lines), encoding="utf-8")
        return number + 1
    if relative == SOURCE:
        lines = text.splitlines(keepends=True)
        lines.insert(3, line)
        content.path(relative).write_text("".join(lines), encoding="utf-8")
        return 4
    content.path(relative).write_text(text + "\n" + line, encoding="utf-8")
    return len(text.splitlines()) + 2


@pytest.mark.parametrize("case", CHARACTER_CASES, ids=[c[0] for c in CHARACTER_CASES])
def test_invisible_and_control_characters_are_refused(case, content, tmp_path):
    record("hostile corpus: invisible and control characters refused with file:line:col")
    _, relative, line, name = case
    number = put_line(content, relative, line)
    output = refused(content, tmp_path, f"{shown(content, relative)}:{number}:", name)
    assert "\u202e" not in output and "\u200b" not in output


def test_the_position_is_the_character_s(content, tmp_path):
    put_line(content, CITY_MD, "示例\u202e市\n")
    output = refused(content, tmp_path)
    assert f"{shown(content, CITY_MD)}:3:3: file: U+202E RIGHT-TO-LEFT OVERRIDE is not allowed" in output


def test_tabs_line_ends_and_a_leading_bom_are_still_fine(content):
    content.path(CITY_MD).write_bytes("\ufeff示例市\t是测试用的城市。\r\n".encode("utf-8"))
    source = content.read(SOURCE)
    content.path(SOURCE).write_bytes(("\ufeff" + source.replace("\n", "\r\n")).encode("utf-8"))
    content.record_digest(SOURCE)  # the digest is of the bytes, BOM and CR included
    result = CliRunner().invoke(main, ["validate", "--content", str(content.root)])
    assert result.exit_code == 0, result.output


def test_many_problems_in_one_file_are_capped(content, tmp_path):
    content.write(CITY_MD, "\u200b\n" * 200)
    output = refused(content, tmp_path)
    assert 5 <= output.count(shown(content, CITY_MD)) <= 12


def test_the_real_content_has_none():
    from site_gen.load.characters import text_problems

    for path in sorted(REAL_CONTENT.rglob("*")):
        if path.suffix in (".yaml", ".md", ".txt") and path.name != "README.md":  # the guide is not published
            text = path.read_text(encoding="utf-8").removeprefix("\ufeff")
            assert text_problems(text, path.name) == [], path


def test_ingest_removes_invisible_characters_it_finds():
    from site_gen.load.characters import text_problems

    rules = load_rules(REAL_CONTENT / "ingest-rules.yaml")
    cleaned, report = clean_text("一、总\u202e体\u200d目标\x1b[0m\n到2025年\u2066达到\u2069。\n", rules)
    assert cleaned == "一、总体目标[0m\n到2025年达到。\n"
    assert text_problems(cleaned, "x.txt") == []
    assert "invisible and control characters removed: 5" in report.lines()


# --- Pagefind's markers ---------------------------------------------------------

MARKER_CASES = [
    ("YAML: weight marker in a title", DOC, "title: 示例 ___PAGEFIND_WEIGHT___10 市\n"),
    ("YAML: anchor marker, escaped", DOC, 'title: "\\x5f\\x5f\\x5fPAGEFIND_ANCHOR___h3:0:m-x"\n'),
    ("Markdown: anchor marker", CITY_MD, "示例 ___PAGEFIND_ANCHOR___h2:0:fake 市\n"),
    ("Markdown: auto weight, escaped", DOC_MD, "示例 \\_\\_\\_PAGEFIND\\_AUTO\\_WEIGHT\\_\\_\\_9 市\n"),
    ("Markdown: weight as entities", CITY_MD, "示例 &#95;&#95;&#95;PAGEFIND_WEIGHT___10 市\n"),
    ("archived text: end of weight", SOURCE, "示例 ___END_PAGEFIND_WEIGHT___ 市\n"),
    ("archived text: lower case", SOURCE, "示例 ___pagefind_weight___10 市\n"),
]


@pytest.mark.parametrize("case", MARKER_CASES, ids=[c[0] for c in MARKER_CASES])
def test_pagefind_markers_are_refused(case, content, tmp_path):
    record("hostile corpus: Pagefind markers refused with file:line")
    _, relative, line = case
    number = put_line(content, relative, line)
    output = refused(content, tmp_path, f"{shown(content, relative)}:{number}:")
    assert "reserved by the search index" in output


def test_no_two_values_side_by_side_can_spell_a_marker(tmp_path):
    """The last guard, before Pagefind reads the pages: their text, tags removed."""
    from site_gen.errors import BuildError
    from site_gen.index import refuse_markers

    files = {"ok.html": "<ul><li>中试基地</li><li>_PAGE_</li></ul>".encode()}
    refuse_markers(files)
    files["bad.html"] = "<ul><li>___PAGE</li><li>FIND_WEIGHT___9</li></ul>".encode()
    with pytest.raises(BuildError, match=r"bad\.html: the page text holds '___PAGEFIND_'"):
        refuse_markers(files)
