"""Property: whatever the content, ``site-gen validate`` exits 0, or 1 with file:line problems.

Never a traceback, never exit code 2 or more (those are for usage errors).
Two generators: random content trees, and random mutations of the real
content.  The number of examples each runs is set here and reported in the
README's reliability section.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path

import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from site_gen.cli import main
from tests.conftest import REAL_CONTENT, record

RANDOM_TREES = 120
MUTATIONS = 120

PROBLEM_LINE = re.compile(r"^.+:\d+:\d+: [^:]+: .+$")
SUMMARY_LINE = re.compile(r"^\d+ problem\(s\); nothing was written\.$")
OK_LINE = re.compile(r"^ok: \d+ cities, \d+ documents, \d+ measures, \d+ targets$")

def examples(count: int) -> settings:
    """Fixed, reproducible examples (derandomized), no per-example deadline."""
    return settings(max_examples=count, deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def assert_clean_outcome(content: Path) -> None:
    result = CliRunner().invoke(main, ["validate", "--content", str(content)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exc_info
    assert result.exit_code in (0, 1), result.output
    lines = result.output.splitlines()
    if result.exit_code == 0:
        assert len(lines) == 1 and OK_LINE.match(lines[0]), result.output
    else:
        assert lines and SUMMARY_LINE.match(lines[-1]), result.output
        for line in lines[:-1]:
            assert PROBLEM_LINE.match(line), line


# --- random trees ---------------------------------------------------------------

names = st.one_of(
    st.sampled_from(["jinzhou", "x", "a-b", "Upper", "中文", "with space", "..", "-x", "x--y", "city.yaml"]),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="/\\\x00"),
            min_size=1, max_size=12).filter(lambda s: s not in (".", "..")),
)
scalars = st.one_of(st.none(), st.booleans(), st.integers(-10**12, 10**12), st.floats(allow_nan=False),
                    st.text(max_size=30), st.sampled_from(["50万元", "2021-02-30", "unknown", "fixed", "附件3/三/6"]))
keys = st.one_of(st.sampled_from(["slug", "name", "name_en", "id", "title", "issuer", "number", "issued",
                                  "measures", "targets", "zones", "amount", "kind", "value", "source",
                                  "locator", "quote", "category", "metric", "year", "unit"]), st.text(max_size=8))
yaml_values = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                          st.dictionaries(keys, inner, max_size=5)), max_leaves=20)
file_bodies = st.one_of(
    yaml_values.map(lambda v: yaml.safe_dump(v, allow_unicode=True)),
    st.text(max_size=200).map(lambda t: t.encode("utf-8", "surrogatepass").decode("utf-8", "ignore")),
    st.binary(max_size=200),
    st.sampled_from(["a: &x [1]\nb: *x\n", "a:\n\t- 1\n", "a: 1\na: 2\n", "\ufeffslug: x\n", "[" * 100]),
)
documents = st.dictionaries(names, file_bodies, max_size=3)
cities = st.dictionaries(names, st.tuples(file_bodies, st.one_of(st.none(), st.text(max_size=50)), documents),
                         max_size=3)
sources = st.dictionaries(names, st.one_of(st.text(max_size=300), st.binary(max_size=100)), max_size=2)


def write(path: Path, body: str | bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(body, bytes):
        path.write_bytes(body)
    else:
        path.write_text(body, encoding="utf-8", errors="surrogatepass")


@examples(RANDOM_TREES)
@given(cities=cities, sources=sources, site=st.one_of(st.none(), file_bodies))
def test_random_content_trees(cities, sources, site):
    record("property: random content trees validated")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "content"
        root.mkdir()
        if site is not None:
            write(root / "site.yaml", site)
        for slug, (city_yaml, city_md, docs) in cities.items():
            folder = root / "cities" / slug
            try:
                write(folder / "city.yaml", city_yaml)
                if city_md is not None:
                    write(folder / "city.md", city_md)
                for doc_id, body in docs.items():
                    write(folder / "documents" / f"{doc_id}.yaml", body)
            except OSError:
                continue  # a name the file system refuses is not content
        for doc_id, body in sources.items():
            try:
                write(root / "sources" / f"{doc_id}.txt", body)
            except OSError:
                continue
        assert_clean_outcome(root)


# --- mutations of the real content -----------------------------------------------

REAL_YAML = sorted(p.relative_to(REAL_CONTENT).as_posix() for p in REAL_CONTENT.rglob("*.yaml")
                   if p.name != "ingest-rules.yaml")

mutations = st.sampled_from(["delete-line", "duplicate-line", "swap-lines", "insert-text", "truncate",
                             "tab-indent", "replace-value", "insert-bytes", "delete-file", "empty-file"])


def mutate(text: str, kind: str, data) -> str | bytes | None:
    lines = text.splitlines(keepends=True)
    index = data.draw(st.integers(0, max(0, len(lines) - 1)))
    if kind == "delete-line" and lines:
        del lines[index]
    elif kind == "duplicate-line" and lines:
        lines.insert(index, lines[index])
    elif kind == "swap-lines" and len(lines) > 1:
        other = data.draw(st.integers(0, len(lines) - 1))
        lines[index], lines[other] = lines[other], lines[index]
    elif kind == "insert-text":
        position = data.draw(st.integers(0, len(text)))
        return text[:position] + data.draw(st.text(max_size=10)) + text[position:]
    elif kind == "truncate":
        return text[: data.draw(st.integers(0, len(text)))]
    elif kind == "tab-indent" and lines:
        lines[index] = "\t" + lines[index].lstrip(" ")
    elif kind == "replace-value" and lines and ":" in lines[index]:
        key = lines[index].split(":", 1)[0]
        value = data.draw(st.one_of(st.text(max_size=12), st.sampled_from(
            ["unknown", "-1", "2021-13-01", "[]", "{}", "null", "'", "\"", "*x", "&y", "!!binary x"])))
        lines[index] = f"{key}: {value}\n"
    elif kind == "insert-bytes":
        raw = text.encode("utf-8")
        position = data.draw(st.integers(0, len(raw)))
        return raw[:position] + data.draw(st.binary(min_size=1, max_size=4)) + raw[position:]
    elif kind == "delete-file":
        return None
    elif kind == "empty-file":
        return ""
    return "".join(lines)


@examples(MUTATIONS)
@given(file=st.sampled_from(REAL_YAML), kind=mutations, data=st.data())
def test_mutations_of_the_real_content(file, kind, data):
    record("property: mutations of the real content validated")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "content"
        shutil.copytree(REAL_CONTENT, root)
        target = root / file
        changed = mutate(target.read_text(encoding="utf-8"), kind, data)
        if changed is None:
            target.unlink()
        elif isinstance(changed, bytes):
            target.write_bytes(changed)
        else:
            target.write_text(changed, encoding="utf-8", errors="surrogatepass")
        assert_clean_outcome(root)
