"""Problems as GitHub Actions annotations: ``::error file=…,line=…,col=…::message``.

``site-gen validate --format github`` prints one workflow command per
problem; GitHub shows each on its line in the pull request's "Files changed"
view (and in the run's summary).  GitHub shows at most 10 error annotations
per step, so with ``--changed-since REF`` the problems on lines the pull
request changed come first; the others follow, titled as such.  Paths are
made relative to the repository (the workflow's working directory), which is
what GitHub matches them against.

Escaping is GitHub's: in the message ``%``, CR and LF become ``%25``,
``%0D``, ``%0A``; in properties ``:`` and ``,`` also become ``%3A``, ``%2C``.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Iterable

from site_gen.errors import Problem, printable


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def repository_path(file: str, root: Path) -> str:
    """``file`` (as a problem shows it) relative to ``root`` when it lies inside, else as shown."""
    absolute = Path(os.path.abspath(file))
    try:
        return absolute.relative_to(Path(os.path.abspath(root))).as_posix()
    except ValueError:
        return file


def github_annotations(problems: Iterable[Problem], root: Path,
                changed: dict[str, set[int]] | None = None) -> list[str]:
    """One ``::error`` line per problem; with ``changed``, problems on changed lines first."""
    rows = []
    for problem in problems:
        path = repository_path(problem.file, root)
        on_changed = changed is None or problem.line in changed.get(path, set())
        title = problem.field if on_changed else f"{problem.field} (a line this change did not touch)"
        rows.append((not on_changed, path, problem.line, problem.column, title, problem.message))
    rows.sort(key=lambda r: r[0])  # stable: the problems' own order within each group
    return [
        f"::error file={escape_property(path)},line={line},col={column},title={escape_property(printable(title))}"
        f"::{escape_data(printable(message))}"
        for _, path, line, column, title, message in rows
    ]
