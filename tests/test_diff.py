"""site-gen diff: records compared, not text; comparison cells from the real derive stage; --git and --record."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from site_gen.build import load_site
from site_gen.cli import main
from tests.conftest import CITY, DOC, REAL_CONTENT, ContentTree, write_fixture
from tests.test_compare import SECOND_DOCUMENT, SECOND_SOURCE

EPOCH = {"SOURCE_DATE_EPOCH": "1795392000"}  # 2026-11-23: statuses are the same on both sides anyway


def run(*args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(main, list(args), env={**EPOCH, **(env or {})})


def diff_json(base: Path, head: Path) -> dict:
    result = run("diff", str(base), str(head), "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


@pytest.fixture
def pair(tmp_path: Path) -> tuple[ContentTree, ContentTree]:
    return write_fixture(tmp_path / "base"), write_fixture(tmp_path / "head")


# --- records, not text -------------------------------------------------------------------


class _Quoted(yaml.SafeDumper):
    """Every string double-quoted (dates too, which the loader reads as text anyway)."""


_Quoted.add_representer(str, lambda d, v: d.represent_scalar("tag:yaml.org,2002:str", v, style='"'))
_Quoted.add_representer(dt.date, lambda d, v: d.represent_scalar("tag:yaml.org,2002:str", v.isoformat(), style='"'))


def _reformat(value: object) -> str:
    """The same data, laid out differently: keys reversed, 4-space indents, every string double-quoted."""
    def reverse(node: object) -> object:
        if isinstance(node, dict):
            return {k: reverse(node[k]) for k in reversed(list(node))}
        if isinstance(node, list):
            return [reverse(v) for v in node]
        return node

    return "# reformatted\n" + yaml.dump(reverse(value), Dumper=_Quoted, allow_unicode=True, indent=4, width=40,
                                         sort_keys=False)


def test_a_reformat_of_every_yaml_file_reports_no_change(tmp_path):
    head = tmp_path / "content"
    shutil.copytree(REAL_CONTENT, head)
    for path in sorted(head.rglob("*.yaml")):
        if path.name == "ingest-rules.yaml":
            continue
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        # dates and numbers as YAML would write them stay what they were: the loader reads them the same way
        path.write_text(_reformat(data), encoding="utf-8")
    site = load_site(head)  # still valid
    result = run("diff", str(REAL_CONTENT), str(head))
    assert result.exit_code == 0, result.output
    assert (f"**No changes to the site's data.** Compared {len(site.documents)} documents, "
            f"{len(site.measures)} measures, {len(site.targets)} targets") in result.output
    data = diff_json(REAL_CONTENT, head)
    assert data["changes"] is False and data["records"] == [] and data["cells"] == []


def test_a_changed_figure_shows_old_and_new_city_table_citation_and_cells(pair):
    base, head = pair
    head.replace("sources/shili-2022-measures.txt", "给予100万元奖励", "给予120万元奖励")
    head.replace(DOC, "value: 100万元", "value: 120万元")
    head.replace(DOC, "quote: 对新认定的国家级科技企业孵化器给予100万元奖励", "quote: 对新认定的国家级科技企业孵化器给予120万元奖励")
    data = diff_json(base.root, head.root)
    measure = next(r for r in data["records"] if r["what"] == "measure")
    assert (measure["change"], measure["document"], measure["id"], measure["city_name"]) == (
        "changed", "shili-2022-measures", "incubator-national", "示例市")
    amount = next(f for f in measure["fields"] if f["field"] == "amount")
    assert amount["old"] == {"kind": "fixed", "value": 1_000_000} and amount["new"] == {"kind": "fixed", "value": 1_200_000}
    assert (amount["old_text"], amount["new_text"]) == ("100万元", "120万元")
    assert measure["tables"] == ["孵化载体奖励"]
    assert measure["citation"] == "二 › 1「对新认定的国家级科技企业孵化器给予120万元奖励」"
    assert measure["href"] == "documents/shili-2022-measures/#m-incubator-national"
    document = next(r for r in data["records"] if r["what"] == "document")
    assert [f["field"] for f in document["fields"]] == ["source_sha256"]  # the archived text changed, visibly
    assert data["cells"] == [{
        "table": "incubator-awards", "table_title": "孵化载体奖励", "row": "row-incubator-recognition-national",
        "row_label": "孵化器（大学科技园）新认定奖励（国家级）", "city": "shili", "city_name": "示例市",
        "old": "100万元（全市，文件已过规划期）" if "过规划期" in data["cells"][0]["old"] else "100万元（全市）",
        "new": data["cells"][0]["new"]}]
    assert data["cells"][0]["new"].startswith("120万元")
    assert data["summary"]["figures_changed"] == 1 and data["summary"]["cells_changed"] == 1
    markdown = run("diff", str(base.root), str(head.root)).output
    assert "| changed | 示例市 | measure `shili-2022-measures/incubator-national` 新认定国家级孵化器奖励 | amount | 100万元 | 120万元 | 孵化载体奖励 |" in markdown
    assert "**the archived text changed**" in markdown
    assert "#### Comparison tables" in markdown


def test_added_and_removed_figures(pair):
    base, head = pair
    text = head.read(DOC)
    start = text.index("  - id: hte-2025")
    head.path(DOC).write_text(text[:start] + text[text.index("summary_sources:"):], encoding="utf-8")
    head.replace(DOC, "targets:\n", "  - id: incubator-seed\n    category: incubator\n    kind: incubated-hte-reward\n"
                 "    title: 孵化器培育高新技术企业奖励\n    amount:\n      kind: per-unit\n      value: 3万元\n"
                 "      per: 每新认定一家高新技术企业\n    source:\n      locator: 二/3/(1)\n"
                 "      quote: 每新认定一家高新技术企业,奖励孵化器3万元\ntargets:\n")
    data = diff_json(base.root, head.root)
    changes = {(r["change"], r["what"], r["id"]): r for r in data["records"]}
    assert set(changes) == {("added", "measure", "incubator-seed"), ("removed", "target", "hte-2025")}
    assert changes[("added", "measure", "incubator-seed")]["value_text"] == "每新认定一家高新技术企业3万元"
    assert changes[("removed", "target", "hte-2025")]["value_text"] == "300家"
    assert changes[("removed", "target", "hte-2025")]["href"] is None
    assert data["summary"]["figures_added"] == 1 and data["summary"]["figures_removed"] == 1


def test_a_new_document_brings_its_figures_and_the_log_gets_one_item(pair):
    base, head = pair
    head.write("sources/erhao-2023-measures.txt", SECOND_SOURCE)
    head.write("cities/erhao/city.yaml", "slug: erhao\nname: 二号市\nname_en: Erhao\ncode: 219800\n")
    head.write("cities/erhao/city.md", "")  # a summary not written yet needs no sources
    head.write("cities/erhao/documents/erhao-2023-measures.yaml", SECOND_DOCUMENT)
    head.write("cities/erhao/documents/erhao-2023-measures.md", "二号市的测试文件。\n")
    data = diff_json(base.root, head.root)
    document = next(r for r in data["records"] if r["what"] == "document")
    assert (document["change"], document["id"], document["document"], document["detail"]) == (
        "added", None, "erhao-2023-measures", "3 项措施、1 项目标")
    assert sum(1 for r in data["records"] if r["what"] in ("measure", "target") and r["change"] == "added") == 4
    assert {(r["what"], r["change"]) for r in data["records"]} >= {("city", "added")}
    result = run("diff", str(base.root), str(head.root), "--record", "--date", "2026-11-30")
    assert result.exit_code == 0, result.output
    [written] = head.path("changes").iterdir()
    assert written.name.startswith("2026-11-30-erhao-2023-measures-") and written.suffix == ".yaml"
    text = written.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../../output/data/schema.json\n")
    entry = yaml.safe_load(text)
    assert [(i["change"], i["what"]) for i in entry["items"]] == [("added", "document"), ("added", "city")]
    assert entry["items"][0]["detail"] == "3 项措施、1 项目标"
    assert run("validate", "--content", str(head.root)).exit_code == 0


def test_an_invalid_tree_is_reported_and_nothing_compared(pair):
    base, head = pair
    head.replace(DOC, "issued: 2022-03-01", "issued: 2022-02-30")
    result = run("diff", str(base.root), str(head.root))
    assert result.exit_code == 1
    assert "issued: '2022-02-30' is not a valid date" in result.output
    assert f"head ({head.root}): 1 problem(s); nothing compared" in result.output
    assert "Traceback" not in result.output


def test_usage_errors_exit_2(pair):
    base, head = pair
    assert run("diff", str(base.root)).exit_code == 2
    assert run("diff", str(base.root), str(head.root), "--git", "main").exit_code == 2
    assert run("diff", str(base.root), str(head.root), "--note", "x").exit_code == 2


def test_content_in_the_comment_is_inert(pair):
    base, head = pair
    head.replace(DOC, "    title: 风险投资跟投", '    title: "跟投 | <img src=x onerror=alert()> @octocat [点我](https://evil.example) #abc"')
    markdown = run("diff", str(base.root), str(head.root)).output
    row = next(line for line in markdown.splitlines() if "co-investment" in line and "| title |" in line)
    assert "<img" not in row and "&lt;img" in row
    assert "@octocat" not in row and "&#64;octocat" in row
    assert "[点我](" not in row and "\\[点我\\]" in row
    assert "#abc" not in row and "&#35;abc" in row
    assert row.count(" | ") == 7  # eight cells: the | in the title did not add a column


# --- --git and --record ------------------------------------------------------------------


def git(repo: Path, *args: str) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}
    return subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, text=True, env=env).stdout


@pytest.fixture
def repo(tmp_path: Path) -> tuple[Path, ContentTree]:
    root = tmp_path / "repo"
    tree = write_fixture(root / "content")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "content")
    return root, tree


def test_git_ref_compares_with_where_the_branch_left_it(repo):
    root, tree = repo
    git(root, "checkout", "-qb", "edit")
    tree.replace(DOC, "    title: 人才公寓", "    title: 人才公寓免费入住")
    git(root, "commit", "-qam", "edit")
    git(root, "checkout", "-q", "main")
    tree.replace(CITY, "name_en: Shili", "name_en: Shili City")  # main moves on after the branch left it
    git(root, "commit", "-qam", "main moves")
    git(root, "checkout", "-q", "edit")
    result = run("diff", "--git", "main", "--content", str(tree.root), "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert [(r["what"], r["id"]) for r in data["records"]] == [("measure", "talent-apartment")]
    assert data["base"].startswith("main (") and "where this branch left main" in data["base"]
    assert data["records"][0]["fields"][0]["new_text"] == "人才公寓免费入住"


def test_git_errors_are_one_line_and_exit_2(repo, tmp_path):
    root, tree = repo
    unknown = run("diff", "--git", "no-such-branch", "--content", str(tree.root))
    assert unknown.exit_code == 2 and "unknown revision 'no-such-branch'" in unknown.output
    hostile = run("diff", "--git", "--upload-pack=x", "--content", str(tree.root))
    assert hostile.exit_code == 2 and "is not a git revision" in hostile.output
    plain = write_fixture(tmp_path / "plain" / "content")
    outside = run("diff", "--git", "main", "--content", str(plain.root))
    assert outside.exit_code == 2 and "is not in a git checkout" in outside.output
    assert "Traceback" not in unknown.output + outside.output


def test_a_shallow_clone_says_how_to_fetch_the_base(repo, tmp_path):
    root, tree = repo
    tree.replace(DOC, "    title: 人才公寓", "    title: 人才公寓免费入住")
    git(root, "commit", "-qam", "second")
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{root}", str(clone)], check=True)
    result = run("diff", "--git", "HEAD~1", "--content", str(clone / "content"))
    assert result.exit_code == 2
    assert "this clone is shallow: fetch the base first" in result.output


def test_record_keeps_one_entry_per_branch(repo):
    root, tree = repo
    git(root, "checkout", "-qb", "edit")
    tree.replace(DOC, "    title: 人才公寓", "    title: 人才公寓免费入住")
    first = run("diff", "--git", "main", "--content", str(tree.root), "--record", "--note", "人才公寓措施改名",
                "--date", "2026-11-30")
    assert first.exit_code == 0, first.output
    assert "wrote " in first.output
    [first_file] = tree.path("changes").iterdir()
    tree.replace(DOC, "    title: 风险投资跟投", "    title: 风险投资跟投支持")
    second = run("diff", "--git", "main", "--content", str(tree.root), "--record", "--date", "2026-12-01")
    assert second.exit_code == 0 and "replaced this branch’s entry with" in second.output
    assert not first_file.exists() and len(list(tree.path("changes").iterdir())) == 1
    log = load_site(tree.root).changes
    assert len(log) == 1
    assert log[0].note == "人才公寓措施改名" and log[0].date.isoformat() == "2026-12-01"
    assert [(i.id, [f.field for f in i.fields]) for i in log[0].items] == [
        ("co-investment", ["title"]), ("talent-apartment", ["title"])]
    assert log[0].items[1].fields[0].old == "人才公寓" and log[0].items[1].fields[0].new == "人才公寓免费入住"
    # the entry is what the pull request's diff reports in its change-log section
    markdown = run("diff", "--git", "main", "--content", str(tree.root)).output
    assert "#### Change log" in markdown and "2026-12-01: 人才公寓措施改名 (2 items)" in markdown


def test_record_of_a_reformat_writes_nothing(repo):
    root, tree = repo
    tree.replace(DOC, "  start: 2022\n  end: 2025\n", "  end: 2025\n  start: 2022\n")
    result = run("diff", "--git", "main", "--content", str(tree.root), "--record")
    assert result.exit_code == 0 and "nothing to record" in result.output
    assert not tree.path("changes").exists()


def test_record_removes_the_branch_entry_once_the_change_is_undone(repo):
    root, tree = repo
    tree.replace(DOC, "    title: 人才公寓", "    title: 人才公寓免费入住")
    assert run("diff", "--git", "main", "--content", str(tree.root), "--record").exit_code == 0
    tree.replace(DOC, "    title: 人才公寓免费入住", "    title: 人才公寓")
    result = run("diff", "--git", "main", "--content", str(tree.root), "--record")
    assert result.exit_code == 0 and "removed this branch's entry" in result.output
    assert list(tree.path("changes").iterdir()) == []


def test_two_branches_recording_entries_merge_cleanly(repo):
    root, tree = repo
    for branch, old, new in (("a", "    title: 人才公寓", "    title: 人才公寓甲"),
                             ("b", "    title: 风险投资跟投", "    title: 风险投资跟投乙")):
        git(root, "checkout", "-q", "main")
        git(root, "checkout", "-qb", branch)
        tree.replace(DOC, old, new)
        assert run("diff", "--git", "main", "--content", str(tree.root), "--record", "--note", branch).exit_code == 0
        git(root, "add", "-A")
        git(root, "commit", "-qm", branch)
    git(root, "checkout", "-q", "main")
    git(root, "merge", "-q", "a")
    git(root, "merge", "-q", "--no-edit", "b")  # each branch added its own file: no conflict
    assert sorted(e.note for e in load_site(tree.root).changes) == ["a", "b"]
