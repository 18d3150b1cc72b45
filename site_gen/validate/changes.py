"""``changes/<date>-<name>.yaml``: each file one change-log entry, named by its date.

The name is the entry's identity (its anchor on ``changes/`` and its Atom
id), so it must be a plain slug that starts with the entry's ``date``:
a date corrected in the file but not in its name is refused at the date.
"""

from __future__ import annotations

import re

from site_gen.errors import Problem
from site_gen.load.yaml_source import YamlDocument
from site_gen.records import ChangeEntry
from site_gen.validate.parse import parse_record

NAME = re.compile(r"(\d{4}-\d{2}-\d{2})-[a-z0-9]+(?:-[a-z0-9]+)*")


def parse_changes(files: dict[str, YamlDocument], problems: list[Problem]) -> tuple[ChangeEntry, ...]:
    """The entries, by file name; problems for those that do not parse or are misnamed."""
    entries = []
    for name, doc in sorted(files.items()):
        entry = parse_record(doc, ChangeEntry, problems)
        if entry is None:
            continue
        named = NAME.fullmatch(name)
        if named is None or len(name) > 100:
            problems.append(doc.problem((), f"file name {name!r} is not <date>-<name> (expected e.g. "
                                            f"{entry.date.isoformat()}-jinzhou-2021-action-plan.yaml: lower-case "
                                            "letters, digits and hyphens, at most 100)"))
        elif named.group(1) != entry.date.isoformat():
            problems.append(doc.problem(("date",), f"date {entry.date.isoformat()} differs from the file name's "
                                                   f"{named.group(1)} (expected the same date in both; rename the file "
                                                   "when correcting the date)"))
        else:
            entries.append(entry.resolve(name=name))
    return tuple(entries)
