"""Archived texts are evidence: each document records its text's SHA-256, the build refuses a mismatch,
and site-gen ingest writes the digest into the document's YAML in place."""

from __future__ import annotations

import hashlib
from pathlib import Path

from click.testing import CliRunner

from site_gen.build import load_site
from site_gen.cli import main
from site_gen.ingest.digest import with_digest
from tests.conftest import DOC, REAL_CONTENT, SOURCE_TEXT, TEMPLATES

SOURCE = "sources/shili-2022-measures.txt"
RULES = REAL_CONTENT / "ingest-rules.yaml"


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def digest_line(content) -> int:
    return next(i for i, line in enumerate(content.read(DOC).splitlines(), 1) if line.startswith("source_sha256:"))


def test_every_real_document_records_its_archived_text():
    site = load_site(REAL_CONTENT)
    assert len(site.documents) == 5
    for document in site.documents:
        text = (REAL_CONTENT / "sources" / f"{document.id}.txt").read_bytes()
        assert document.source_sha256 == digest(text), document.id


def test_an_edited_archived_text_is_refused_at_the_field(content, tmp_path):
    path = content.path(SOURCE)
    path.write_text(SOURCE_TEXT.replace("示例市人民政府\n", "示例市人民政府办公室\n", 1), encoding="utf-8")
    result = run("validate", "--content", str(content.root))
    assert result.exit_code == 1
    now = digest(path.read_bytes())
    assert result.output.splitlines() == [(
        f"{content.path(DOC).as_posix()}:{digest_line(content)}:16: source_sha256: {path.as_posix()} has SHA-256 "
        f"{now}, not the one recorded here (expected the archived text unchanged; to change it deliberately, "
        "re-archive it with site-gen ingest --force, which writes the new digest here)"),
        "1 problem(s); nothing was written."]
    out = tmp_path / "out"
    built = run("build", "--content", str(content.root), "--out", str(out), "--templates", str(TEMPLATES),
                "--no-search")
    assert built.exit_code == 1 and "source_sha256" in built.output and not out.exists()


def test_a_missing_digest_says_what_to_write_and_the_rest_is_still_checked(content):
    text = content.read(DOC)
    content.path(DOC).write_text(
        "\n".join(line for line in text.splitlines() if not line.startswith("source_sha256:")) + "\n",
        encoding="utf-8")
    content.replace(DOC, "quote: 对新认定的国家级科技企业孵化器给予100万元奖励", "quote: 对新认定的国家级孵化器给予100万元奖励")
    result = run("validate", "--content", str(content.root))
    assert result.exit_code == 1
    expected = digest(content.path(SOURCE).read_bytes())
    assert (f"source_sha256: missing (expected source_sha256: {expected}, the SHA-256 of "
            f"{content.path(SOURCE).as_posix()}; site-gen ingest writes it)") in result.output
    assert "measures[0].source.quote: quote not found in section" in result.output
    assert "2 problem(s)" in result.output


def test_a_malformed_digest_is_refused(content):
    content.replace(DOC, "source_sha256: ", "source_sha256: ABC")
    result = run("validate", "--content", str(content.root))
    assert result.exit_code == 1
    assert "source_sha256: 'ABC" in result.output and "is not a SHA-256 digest (expected 64 lower-case" in result.output


def test_ingest_updates_the_document_in_place(content, tmp_path):
    raw = tmp_path / "raw.txt"
    raw.write_text(SOURCE_TEXT + "补充一段。\n", encoding="utf-8")
    before = content.read(DOC).replace("\nmeasures:", "  # a comment the editor wrote\nmeasures:", 1)
    before = before.replace("source_sha256: ", "source_sha256:   ", 1).replace("\n", "  # checked 2026-11\n", 1)
    content.path(DOC).write_text(before, encoding="utf-8")
    args = ["ingest", str(raw), "--id", "shili-2022-measures", "--content", str(content.root),
            "--rules", str(RULES), "--force"]
    result = run(*args)
    assert result.exit_code == 0, result.output
    new = digest(content.path(SOURCE).read_bytes())
    assert f"source_sha256: {new}\n" in result.output
    assert f"updated {content.path(DOC)}" in result.output
    after = content.read(DOC)
    changed = [(a, b) for a, b in zip(before.splitlines(), after.splitlines()) if a != b]
    assert len(before.splitlines()) == len(after.splitlines())
    assert [b for _, b in changed] == [f"source_sha256: {new}"]
    assert run("validate", "--content", str(content.root)).exit_code == 0
    again = run(*args)
    assert again.exit_code == 0 and f"already recorded in {content.path(DOC)}" in again.output


def test_ingest_inserts_the_digest_after_the_id_when_absent(content, tmp_path):
    text = content.read(DOC)
    content.path(DOC).write_text("\n".join(l for l in text.splitlines() if not l.startswith("source_sha256:")) + "\n",
                                 encoding="utf-8")
    raw = tmp_path / "raw.txt"
    raw.write_text(SOURCE_TEXT, encoding="utf-8")
    result = run("ingest", str(raw), "--id", "shili-2022-measures", "--content", str(content.root),
                 "--rules", str(RULES), "--force")
    assert result.exit_code == 0, result.output
    lines = content.read(DOC).splitlines()
    assert lines[0] == "id: shili-2022-measures"
    assert lines[1] == f"source_sha256: {digest(content.path(SOURCE).read_bytes())}"
    assert run("validate", "--content", str(content.root)).exit_code == 0


def test_ingest_without_a_document_prints_the_line_to_paste(tmp_path):
    raw = tmp_path / "raw.txt"
    raw.write_text("正文。\n", encoding="utf-8")
    result = run("ingest", str(raw), "--id", "x-2020-plan", "--content", str(tmp_path / "content"),
                 "--rules", str(RULES))
    assert result.exit_code == 0, result.output
    expected = digest("正文。\n".encode("utf-8"))
    assert f"source_sha256: {expected}\n" in result.output
    assert "no document" in result.output and "put this line in its YAML" in result.output


def test_with_digest_keeps_layout():
    sha = "a" * 64
    assert with_digest("id: x\ntitle: t\n", sha) == f"id: x\nsource_sha256: {sha}\ntitle: t\n"
    assert with_digest(f"id: x\nsource_sha256: {'b' * 64}  # note\n", sha) == f"id: x\nsource_sha256: {sha}  # note\n"
    assert with_digest("id: x\r\ntitle: t\r\n", sha) == f"id: x\r\nsource_sha256: {sha}\r\ntitle: t\r\n"
    assert with_digest("# comment\ntitle: t\n", sha) == f"# comment\nsource_sha256: {sha}\ntitle: t\n"
    assert with_digest("id: x", sha) == f"id: x\nsource_sha256: {sha}\n"
    # an indented key of the same name (inside a measure, say) is not the document's field
    assert with_digest("id: x\nm:\n  source_sha256: y\n", sha) == f"id: x\nsource_sha256: {sha}\nm:\n  source_sha256: y\n"
