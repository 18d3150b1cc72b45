"""A test hook: the build kills itself with SIGKILL at a named point.

This exists for tests only (``tests/test_kill.py``).  A kill test cannot hit
the instant between two renames by timing a signal from outside; instead it
runs the build with ``SITE_GEN_KILL_AT=<point>`` and the build, on reaching
that point, sends itself SIGKILL, exactly there, with no cleanup.  The test
then checks that ``output/`` is still the complete old or new site and that
the next build recovers.  Unset (always, outside the tests) it does nothing.

The variable is read once, when this module is first imported.  A value
that names no point is refused at the start of the build, so a typo in a
test cannot pass by never killing anything.
"""

from __future__ import annotations

import os
import signal

ENV = "SITE_GEN_KILL_AT"

# In the order a build reaches them.
POINTS: tuple[str, ...] = (
    "load",          # nothing read yet
    "render",        # content loaded and validated, nothing rendered, no staging folder yet
    "write",         # staging folder created, still empty
    "write-half",    # half of the pages rendered and written into the staging folder
    "index",         # the site rendered into the staging folder, Pagefind not started
    "written",       # every file written (the search index too), not yet read back
    "swap",          # the site complete and checked in the staging folder, no marker yet
    "marker",        # the marker is written; the next step is the swap itself
    "exchanged",     # staging and output/ exchanged; the old site not yet removed
    "renamed-old",   # two-rename fallback: output/ moved aside, the new site not yet moved in
    "entries-half",  # mount point: half of output/'s entries replaced by the new ones
    "done",          # the build has finished
)

_ARMED: str | None = os.environ.get(ENV) or None


def armed() -> str | None:
    """The point this process will die at, if any."""
    return _ARMED


def check() -> str | None:
    """The armed point's name, or a message saying it is not a point."""
    if _ARMED is not None and _ARMED not in POINTS:
        return f"{ENV}={_ARMED!r} is not a kill point (expected one of: {', '.join(POINTS)})"
    return None


def reached(point: str) -> None:
    """Die here, now, if this is the armed point."""
    assert point in POINTS, point
    if point == _ARMED:
        os.kill(os.getpid(), signal.SIGKILL)
