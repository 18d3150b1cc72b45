"""A one-shot build writes its files into the staging folder as they are made (site_gen.output)."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from site_gen.build import load_site
from site_gen.derive import derive_site
from site_gen.derive.opendata import MEASURE_FIELDS, TARGET_FIELDS, json_parts, to_csv, to_json
from site_gen.errors import BuildError
from site_gen.output import StagedFiles, put_parts
from site_gen.render.datafiles import data_files
from tests.conftest import REAL_CONTENT


def test_staged_files_are_on_disk_and_read_back(tmp_path):
    staged = StagedFiles(tmp_path / "staging")
    staged["a/b/index.html"] = b"<p>x</p>"
    put_parts(staged, "data/x.json", iter([b"[", b"1", b"]"]))
    assert (tmp_path / "staging/a/b/index.html").read_bytes() == b"<p>x</p>"
    assert (tmp_path / "staging/data/x.json").read_bytes() == b"[1]"
    assert sorted(staged) == ["a/b/index.html", "data/x.json"] and len(staged) == 2
    assert staged["data/x.json"] == b"[1]" and "nowhere" not in staged
    with pytest.raises(KeyError):
        staged["nowhere"]
    del staged["a/b/index.html"]
    assert not (tmp_path / "staging/a/b/index.html").exists() and list(staged) == ["data/x.json"]


def test_a_file_that_cannot_be_written_is_a_build_error_naming_it(tmp_path):
    (tmp_path / "staging").mkdir()
    (tmp_path / "staging/a").write_bytes(b"a file where a folder should be")
    staged = StagedFiles(tmp_path / "staging", out_dir=tmp_path / "output")
    with pytest.raises(BuildError, match=r"cannot write .*staging/a: File exists; .*output is unchanged"):
        staged["a/index.html"] = b"x"


@pytest.mark.parametrize("records", [[], [{"id": "x", "n": 1}], [{"id": "x", "text": "引号\"和\n换行"}, {"id": "y"}]])
def test_json_written_record_by_record_is_the_json_of_the_list(records):
    assert b"".join(json_parts(iter(records))) == to_json(records)
    assert to_json(records) == (json.dumps(records, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def test_the_open_data_written_as_made_is_the_open_data_made_whole(tmp_path):
    derived = derive_site(load_site(REAL_CONTENT), dt.date(2026, 11, 23))
    staged = StagedFiles(tmp_path / "staging")
    data_files(derived, into=staged)
    whole = data_files(derived)
    assert sorted(staged) == sorted(whole)
    assert all(staged[name] == whole[name] for name in whole)
    assert staged["data/measures.json"] == to_json(derived.measure_records)
    assert staged["data/measures.csv"] == to_csv(derived.measure_records, MEASURE_FIELDS)
    assert staged["data/targets.csv"] == to_csv(derived.target_records, TARGET_FIELDS)


def test_a_file_the_last_build_wrote_with_the_same_bytes_is_linked_not_written(tmp_path):
    """site-gen serve: write_tree links what is unchanged in output/, writes the rest, and never links a file
    that is not what the last build wrote."""
    from site_gen.write import write_tree

    out = tmp_path / "output"
    published = {"same/index.html": b"same", "changed/index.html": b"old", "tampered/index.html": b"tamper"}
    write_tree(out, published)
    (out / "tampered/index.html").write_bytes(b"edited by hand")
    new = {"same/index.html": b"same", "changed/index.html": b"new", "tampered/index.html": b"tamper",
           "added/index.html": b"added"}
    staging = tmp_path / "staging"
    write_tree(staging, new, out, published)
    assert {p.relative_to(staging).as_posix(): p.read_bytes() for p in staging.rglob("*.html")} == new
    assert (staging / "same/index.html").stat().st_ino == (out / "same/index.html").stat().st_ino
    for name in ("changed/index.html", "tampered/index.html", "added/index.html"):
        assert (staging / name).stat().st_nlink == 1
