"""The pull-request workflow: it parses, calls only deploy/ci.sh commands that exist, and the script's
commands work here as they would on GitHub or any other host; validate's annotations are GitHub's."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from site_gen.annotations import escape_data, escape_property, github_annotations
from site_gen.errors import Problem
from site_gen.gitcontent import checkout_of, changed_lines
from tests.conftest import DOC, ROOT, TEMPLATES, write_fixture

WORKFLOW = ROOT / ".github/workflows/site.yml"
SCRIPT = ROOT / "deploy/ci.sh"
SITE_GEN = str(Path(sys.executable).parent / "site-gen")
ACTIONS = {"actions/checkout@v4", "actions/setup-python@v5", "actions/github-script@v7",
           "actions/upload-artifact@v4", "actions/configure-pages@v5", "actions/upload-pages-artifact@v3",
           "actions/deploy-pages@v4"}


def workflow() -> dict:
    return yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))


def script_commands() -> set[str]:
    return set(re.findall(r"^  ([a-z]+)\)$", SCRIPT.read_text(encoding="utf-8"), re.M))


def steps() -> list[tuple[str, dict]]:
    return [(name, step) for name, job in workflow()["jobs"].items() for step in job["steps"]]


def test_the_workflow_parses_and_runs_on_pull_requests_and_main():
    flow = workflow()
    triggers = flow.get("on", flow.get(True))  # YAML 1.1 reads the key `on` as true
    assert set(triggers) >= {"pull_request", "push"} and triggers["push"]["branches"] == ["main"]
    assert "pull_request_target" not in triggers  # untrusted content never runs with write secrets
    assert flow["permissions"] == {"contents": "read"}
    assert set(flow["jobs"]) == {"pull-request", "build-pages", "deploy-pages"}


def test_every_run_step_calls_a_command_the_script_has():
    commands = script_commands()
    assert commands == {"install", "validate", "build", "diff", "test"}
    used = set()
    for _, step in steps():
        for line in filter(None, (l.strip() for l in step.get("run", "").splitlines())):
            called = re.fullmatch(r'deploy/ci\.sh ([a-z]+)(?: "[^"]*")*(?: >> "\$GITHUB_STEP_SUMMARY")?', line)
            assert called, f"a run step does more than call deploy/ci.sh: {line!r}"
            assert called.group(1) in commands, line
            used.add(called.group(1))
    assert used == {"install", "validate", "build", "diff"}
    assert os.access(SCRIPT, os.X_OK)


def test_the_actions_used_are_the_official_ones():
    assert {step["uses"] for _, step in steps() if "uses" in step} == ACTIONS


def test_pull_requests_comment_and_upload_main_publishes_to_pages():
    jobs = workflow()["jobs"]
    pr = jobs["pull-request"]
    assert pr["permissions"] == {"contents": "read", "pull-requests": "write"}
    checkout = next(s for s in pr["steps"] if s.get("uses", "").startswith("actions/checkout"))
    assert checkout["with"]["fetch-depth"] == 0  # the diff needs the base branch
    comment = next(s for s in pr["steps"] if s.get("uses", "").startswith("actions/github-script"))
    assert "diff/diff.md" in comment["with"]["script"] and comment["continue-on-error"] is True
    upload = next(s for s in pr["steps"] if s.get("uses", "").startswith("actions/upload-artifact"))
    assert "output/" in upload["with"]["path"]
    build = next(s for s in jobs["build-pages"]["steps"] if s.get("run") == "deploy/ci.sh build")
    assert build["env"]["BASE_URL"] == "${{ steps.pages.outputs.base_url }}/"
    pages = next(s for s in jobs["build-pages"]["steps"] if s.get("uses", "").startswith("actions/upload-pages"))
    assert pages["with"]["path"] == "output/"
    deploy = jobs["deploy-pages"]
    assert deploy["needs"] == "build-pages" and deploy["environment"]["name"] == "github-pages"
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}


# --- the script, run here ----------------------------------------------------------------


def git(repo: Path, *args: str) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, env=env)


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    """A repository laid out like this one: deploy/ci.sh, templates/ and content/, committed on main."""
    repo = tmp_path / "repo"
    (repo / "deploy").mkdir(parents=True)
    shutil.copy(SCRIPT, repo / "deploy/ci.sh")
    shutil.copytree(TEMPLATES, repo / "templates")
    write_fixture(repo / "content")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "content")
    return repo


def ci(repo: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if k not in ("GITHUB_ACTIONS", "GITHUB_WORKSPACE")}
    environment.update({"SITE_GEN": SITE_GEN, "SOURCE_DATE_EPOCH": "1795392000", **env})
    return subprocess.run([str(repo / "deploy/ci.sh"), *args], cwd=repo, capture_output=True, text=True,
                          env=environment, timeout=300)


def test_validate_build_and_diff_run_here(checkout):
    assert ci(checkout, "validate").stdout == "ok: 1 cities, 1 documents, 5 measures, 2 targets\n"
    built = ci(checkout, "build", SEARCH="no", OUT="site", BASE_URL="https://example.org/policy/")
    assert built.returncode == 0, built.stderr
    assert (checkout / "site/index.html").is_file() and (checkout / "site/_headers").is_file()
    assert "https://example.org/policy/" in (checkout / "site/sitemap.xml").read_text(encoding="utf-8")
    git(checkout, "checkout", "-qb", "edit")
    doc = checkout / "content" / DOC
    doc.write_text(doc.read_text(encoding="utf-8").replace("    title: 人才公寓", "    title: 人才公寓免费入住"),
                   encoding="utf-8")
    diff = ci(checkout, "diff", "main")
    assert diff.returncode == 0, diff.stderr
    assert diff.stdout == (checkout / "diff/diff.md").read_text(encoding="utf-8")
    assert diff.stdout.startswith("<!-- site-gen diff -->\n") and "人才公寓免费入住" in diff.stdout
    assert '"changes": true' in (checkout / "diff/diff.json").read_text(encoding="utf-8")


def test_validate_annotates_for_github_changed_lines_first(checkout):
    git(checkout, "checkout", "-qb", "edit")
    doc = checkout / "content" / DOC
    doc.write_text(doc.read_text(encoding="utf-8").replace("issued: 2022-03-01", "issued: 2022-02-30"),
                   encoding="utf-8")
    result = ci(checkout, "validate", "main", GITHUB_ACTIONS="true", GITHUB_WORKSPACE=str(checkout))
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        f"::error file=content/{DOC},line=6,col=9,title=issued::'2022-02-30' is not a valid date "
        "(expected YYYY-MM-DD, or unknown)"]
    assert "1 problem(s); nothing was written." in result.stderr


def test_unknown_commands_and_missing_arguments_exit_2(checkout):
    assert ci(checkout, "deploy").returncode == 2
    assert ci(checkout).returncode == 2
    assert ci(checkout, "diff").returncode == 2


# --- annotations ---------------------------------------------------------------------------


def test_annotations_escape_as_github_reads_them(tmp_path):
    assert escape_data("50%\r\nnext") == "50%25%0D%0Anext"
    assert escape_property("a:b,c%") == "a%3Ab%2Cc%25"
    problem = Problem(str(tmp_path / "content/a,b.yaml"), 3, 4, "x", "100% wrong: a, b")
    [line] = github_annotations([problem], tmp_path)
    assert line == "::error file=content/a%2Cb.yaml,line=3,col=4,title=x::100%25 wrong: a, b"


def test_problems_on_changed_lines_come_first(tmp_path):
    old = Problem(str(tmp_path / "a.yaml"), 1, 1, "old", "untouched line")
    new = Problem(str(tmp_path / "b.yaml"), 9, 1, "new", "changed line")
    lines = github_annotations([old, new], tmp_path, {"b.yaml": {9}})
    assert lines[0].startswith("::error file=b.yaml,line=9,col=1,title=new::")
    assert "title=old (a line this change did not touch)::" in lines[1]


def test_changed_lines_from_git(checkout):
    doc = checkout / "content" / DOC
    lines = doc.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[5] = "issued: 2022-03-02\n"
    del lines[10]
    doc.write_text("".join(lines), encoding="utf-8")
    (checkout / "content/cities/shili/new.yaml").write_text("x: 1\n", encoding="utf-8")
    changed = changed_lines(checkout_of(checkout / "content"), "HEAD")
    assert changed[f"content/{DOC}"] == {6, 10, 11}  # the edited line, and either side of the one removed
    assert 12345 in changed["content/cities/shili/new.yaml"]  # an untracked file is new throughout
