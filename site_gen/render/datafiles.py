"""The open-data files of the site: records as JSON and CSV, comparison tables as CSV, archived texts.

With a memo (``site-gen serve``), each document's run of JSON and CSV lines is
kept while its records are the same objects.
"""

from __future__ import annotations

from typing import Any, Iterator, MutableMapping

from site_gen import urls
from site_gen.derive import Derived
from site_gen.derive.compare import Comparison
from site_gen.derive.opendata import (
    DOCUMENT_FIELDS,
    MEASURE_FIELDS,
    TARGET_FIELDS,
    csv_line,
    json_fragment,
    json_parts,
    record_line,
    to_table_csv,
)
from site_gen.memo import Memo
from site_gen.output import put_parts


def comparison_csv(comparison: Comparison, base_url: str = "") -> bytes:
    """The table as open data, every city: one line per entry, its number, scope, status and source.

    The links are absolute when the site's address is known; the page's own
    download (``compare.js``) writes the same lines for the cities and status
    a reader chose, with links absolute for the address it is read at.
    """
    table = comparison.csv
    rows = []
    for _, _, cells in table.lines:
        row = list(cells)
        if base_url and row[table.link_column]:
            row[table.link_column] = base_url + row[table.link_column]
        rows.append(row)
    return to_table_csv(list(table.header), rows)


def data_files(derived: Derived, base_url: str = "", memo: Memo | None = None,
               into: MutableMapping[str, bytes] | None = None) -> MutableMapping[str, bytes]:
    """The open data, put in ``into`` file by file (or a new dict); with a ``memo``, each record's JSON
    and CSV lines are kept while its row is the same."""
    memo = memo or Memo.off()
    files: MutableMapping[str, bytes] = {} if into is None else into
    for name, rows, described in (("measures", derived.measure_rows, MEASURE_FIELDS),
                                  ("targets", derived.target_rows, TARGET_FIELDS),
                                  ("documents", derived.document_rows, DOCUMENT_FIELDS)):
        if memo.enabled:
            records = list(rows())
            runs = _runs(records)

            def fragments(run: tuple[dict[str, Any], ...]) -> str:
                return ",\n".join(json_fragment(record) for record in run)

            def lines(run: tuple[dict[str, Any], ...], described: tuple[tuple[str, str], ...] = described) -> str:
                return "".join(record_line(record, described) for record in run)

            json_runs = tuple(memo.get("json-rows", None, run, lambda: fragments(run)) for run in runs)
            csv_runs = tuple(memo.get("csv-rows", described, run, lambda: lines(run)) for run in runs)
            # the whole file is kept while every run is the same string as last time
            files[urls.data_file(name, "json")] = memo.get("json-file", name, json_runs, lambda: (
                ("[\n" + ",\n".join(json_runs) + "\n]\n").encode("utf-8") if records else b"[]\n"))
            files[urls.data_file(name, "csv")] = memo.get("csv-file", (name, described), csv_runs, lambda: (
                "\ufeff" + csv_line([field for field, _ in described]) + "".join(csv_runs)).encode("utf-8"))
        else:
            csv_rows: list[str] = []  # kept while the JSON is written (a third of its size)
            put_parts(files, urls.data_file(name, "json"), json_parts(_noting_lines(rows(), described, csv_rows)))
            header = "\ufeff" + csv_line([field for field, _ in described])
            put_parts(files, urls.data_file(name, "csv"), (row.encode("utf-8") for row in (header, *csv_rows)))
    for comparison in derived.comparisons:
        files[urls.comparison_csv(comparison.name)] = memo.get(  # a comparison is kept while its inputs are equal
            "comparison-csv", base_url, (comparison,), lambda: comparison_csv(comparison, base_url))
    for document in derived.site.documents:
        files[urls.source_text(document.id)] = memo.get("source-file", None, (document.archived_text,), lambda: (
            "\n".join(p.text for p in document.archived_text.paragraphs) + "\n").encode("utf-8"))
    return files


def _noting_lines(rows: Iterator[dict[str, Any]], described: tuple[tuple[str, str], ...],
                  lines: list[str]) -> Iterator[dict[str, Any]]:
    """``rows`` as they come, each one's CSV row (:func:`record_line`) appended to ``lines``: one pass makes both files."""
    for row in rows:
        lines.append(record_line(row, described))
        yield row


def _runs(records: list[dict[str, Any]]) -> list[tuple[dict[str, Any], ...]]:
    """The records in runs of one document each (their ids are ``<document>/<id>``), in order."""
    runs: list[tuple[dict[str, Any], ...]] = []
    start = 0
    for i in range(1, len(records) + 1):
        if i == len(records) or str(records[i]["id"]).split("/")[0] != str(records[start]["id"]).split("/")[0]:
            runs.append(tuple(records[start:i]))
            start = i
    return runs
