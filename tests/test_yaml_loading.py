"""The YAML dialect: positions for every value, and a clear error for each trap."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from site_gen.load.yaml_source import load_yaml, parse_yaml
from tests.conftest import REAL_CONTENT, record


def one_problem(text: str) -> str:
    record("hostile corpus: broken YAML inputs refused with file:line")
    doc, problems = parse_yaml(text, "f.yaml")
    assert doc is None
    assert len(problems) == 1
    return str(problems[0])


def test_values_keep_their_line_and_column():
    doc, problems = parse_yaml("a: 1\nb:\n  - x\n  - {c: 2.5}\n", "f.yaml")
    assert problems == []
    assert doc.data == {"a": 1, "b": ["x", {"c": Decimal("2.5")}]}
    assert doc.position(("a",)) == (1, 4)
    assert doc.position(("b", 1, "c")) == (4, 9)
    assert doc.position(("b", 1, "c"), key=True) == (4, 6)


def test_the_plain_path_reads_every_real_file_as_the_full_path_does(monkeypatch):
    """Values, and positions made only when asked, equal to those of the composer's path."""
    from site_gen.load import yaml_source

    files = sorted(REAL_CONTENT.rglob("*.yaml"))
    texts = [path.read_text(encoding="utf-8") for path in files]
    plain = [parse_yaml(text, str(path))[0] for path, text in zip(files, texts)]
    with monkeypatch.context() as patched:
        patched.setattr(yaml_source, "_parse_plain", lambda text, display, positions=False: None)
        composed = [parse_yaml(text, str(path)) for path, text in zip(files, texts)]
    for path, text, doc, (full, problems) in zip(files, texts, plain, composed):
        assert problems == [] and full.text is None
        assert doc.text == text, f"{path}: not read on the plain path"
        assert doc.data == full.data
        assert doc.keys == full.keys and doc.values == full.values, path
        assert doc.text is None  # the positions are made once; the text is then let go
    assert len(files) > 20


def test_parsing_keeps_nothing_of_a_file_once_its_values_are_made():
    """The constructor shared by every parse keeps no node of an int, a bool or a null (it did, build by build)."""
    import gc

    from site_gen.load import yaml_source
    from yaml.nodes import ScalarNode

    def nodes() -> int:
        return sum(isinstance(o, ScalarNode) for o in gc.get_objects())

    before = nodes()
    for number in range(50):
        doc, problems = parse_yaml(f"a: {number}\nb: true\nc: null\nd: [1, 2, false]\n", "f.yaml")
        assert problems == [] and doc.data == {"a": number, "b": True, "c": None, "d": [1, 2, False]}
    gc.collect()
    assert not yaml_source._CONSTRUCTOR.constructed_objects
    assert nodes() <= before


def test_dates_and_yaml11_words_stay_text():
    doc, _ = parse_yaml("d: 2021-10-09\nn: no\no: on\ny: yes\n", "f.yaml")
    assert doc.data == {"d": "2021-10-09", "n": "no", "o": "on", "y": "yes"}


def test_duplicate_key():
    assert one_problem("a: 1\nb: 2\na: 3\n") == (
        "f.yaml:3:1: a: duplicate key 'a' (expected each key once; first at line 1)"
    )


def test_alias_is_refused():
    assert one_problem("a: &x [1, 2]\nb: *x\n") == (
        "f.yaml:2:4: yaml: aliases (*name) are not allowed (write the value out)"
    )


def test_billion_laughs_is_refused_quickly():
    bomb = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},"
        f"*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)}]\n"
        for i in range(8)
    )
    assert one_problem(bomb).startswith("f.yaml:2:")
    assert "aliases (*name) are not allowed" in one_problem(bomb)


def test_merge_key_is_refused():
    assert one_problem("a:\n  <<: {b: 1}\n").startswith("f.yaml:2:3: a: merge keys (<<) are not allowed")


def test_tab_indentation():
    assert one_problem("a:\n\t- 1\n") == "f.yaml:2:1: yaml: a tab character cannot indent YAML (expected spaces)"


def test_python_tag_is_refused():
    assert one_problem("a: !!python/object/apply:os.system [ls]\n") == (
        "f.yaml:1:4: a: YAML tag 'tag:yaml.org,2002:python/object/apply:os.system' is not allowed (expected a list)"
    )


def test_syntax_error_position():
    assert one_problem("a: [1, 2\nb: 3\n").startswith("f.yaml:2:2: yaml: while parsing a flow sequence")


def test_two_documents_in_one_file():
    assert one_problem("a: 1\n---\nb: 2\n") == (
        "f.yaml:2:1: yaml: expected a single document in the stream but found another document (expected valid YAML)"
    )


def test_non_text_key():
    assert one_problem("1: a\n") == "f.yaml:1:1: file: a key must be plain text (expected a field name)"


def test_deep_nesting_is_bounded():
    assert "nesting too deep" in one_problem("a: " + "[" * 60 + "]" * 60 + "\n")


def test_gbk_file_names_the_bad_byte(tmp_path: Path):
    record("hostile corpus: broken YAML inputs refused with file:line")
    path = tmp_path / "city.yaml"
    path.write_bytes("slug: x\nname: 锦州\n".encode("gbk"))
    doc, problems = load_yaml(path, "city.yaml")
    assert doc is None
    assert [str(p) for p in problems] == [
        "city.yaml:2:7: file: byte 0xBD is not UTF-8 (expected UTF-8 text; re-save the file as UTF-8, e.g. from GBK)"
    ]


def test_binary_file(tmp_path: Path):
    record("hostile corpus: broken YAML inputs refused with file:line")
    path = tmp_path / "x.yaml"
    path.write_bytes(b"a: 1\n\x00\x01\x02")
    _, problems = load_yaml(path, "x.yaml")
    assert [str(p) for p in problems] == ["x.yaml:2:1: file: binary data, not text (expected UTF-8 text)"]


def test_huge_file_is_refused_without_reading(tmp_path: Path):
    record("hostile corpus: broken YAML inputs refused with file:line")
    path = tmp_path / "big.yaml"
    with path.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)
    _, problems = load_yaml(path, "big.yaml")
    assert [str(p) for p in problems] == [
        "big.yaml:1:1: file: file is 52,428,800 bytes (expected at most 1,000,000)"
    ]


def test_byte_order_mark_is_accepted(tmp_path: Path):
    path = tmp_path / "bom.yaml"
    path.write_bytes("\ufeffslug: x\n".encode("utf-8"))
    doc, problems = load_yaml(path, "bom.yaml")
    assert problems == [] and doc.data == {"slug": "x"}
