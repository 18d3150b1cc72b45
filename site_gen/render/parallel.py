"""Rendering on two processors: a forked process renders every other page and streams it back.

Used by a full build of many pages (``site-gen build``); the bytes are those
of rendering in one process, in the same order.
"""

from __future__ import annotations

import os
from typing import Callable, Protocol, Sequence, TypeVar

from site_gen.errors import BuildError


class _HasPath(Protocol):
    @property
    def path(self) -> str: ...


P = TypeVar("P", bound=_HasPath)


PARALLEL_PAGES = 200
"""From this many pages a full build renders on two processors (:func:`render_in_two`)."""


def render_jobs() -> int:
    """Processes to render with: 2 when this process may run on two processors and can fork, else 1.

    ``SITE_GEN_JOBS=1`` renders in one process.
    """
    if os.environ.get("SITE_GEN_JOBS", "").strip() == "1" or not hasattr(os, "fork"):
        return 1
    try:
        processors = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        processors = os.cpu_count() or 1
    return 2 if processors >= 2 else 1


def render_in_two(pages: Sequence[P], render: Callable[[P], bytes],
                   rendered: Callable[[int, int], None]) -> dict[str, bytes]:
    """Every page, rendered by this process and a forked one, half each; the same bytes as one process.

    The child renders every other page (it shares, copy on write, everything
    computed so far) and streams each page back as it is done, so neither
    process holds more than its half before the parent has it.  A page that
    fails is reported as the one-process build reports it: the exception of
    the first failing page, in page order, is raised.
    """
    import pickle
    import struct

    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: its pages, then exit without running the parent's clean-up
        code = 0
        try:
            os.close(read_end)
            with os.fdopen(write_end, "wb", buffering=1 << 20) as out:
                for index in range(1, len(pages), 2):
                    try:
                        item: tuple[int, bytes | None, BaseException | None] = (index, render(pages[index]), None)
                    except Exception as exc:  # noqa: BLE001 - handed to the parent, which raises it
                        item = (index, None, exc)
                    try:
                        payload = pickle.dumps(item, protocol=pickle.HIGHEST_PROTOCOL)
                    except Exception:  # noqa: BLE001 - an exception that cannot be pickled: its words
                        error = item[2]
                        payload = pickle.dumps((index, None, BuildError(
                            f"cannot render {pages[index].path}: {type(error).__name__}: {error}")))
                    out.write(struct.pack("<Q", len(payload)) + payload)
                    if item[1] is None:
                        break
        except BaseException:  # noqa: BLE001 - the parent went away (a broken pipe) or the child broke
            code = 1
        os._exit(code)
    os.close(write_end)
    results: list[bytes | None] = [None] * len(pages)
    errors: dict[int, BaseException] = {}
    try:
        with os.fdopen(read_end, "rb", buffering=1 << 20) as stream:
            mine = iter(range(0, len(pages), 2))
            done = 0
            for index in mine:
                try:
                    results[index] = render(pages[index])
                except Exception as exc:  # noqa: BLE001 - raised below, if no earlier page failed
                    errors[index] = exc
                    break
                done += 1
                if done % 50 == 0:
                    rendered(done * 2, len(pages))
            while True:
                head = stream.read(8)
                if len(head) < 8:
                    break
                index, data, error = pickle.loads(stream.read(struct.unpack("<Q", head)[0]))
                if data is None:
                    errors[index] = error or BuildError(f"cannot render {pages[index].path}")
                    break
                results[index] = data
    finally:
        _, status = os.waitpid(pid, 0)
    if errors:
        raise errors[min(errors)]
    missing = [pages[i].path for i, data in enumerate(results) if data is None]
    if missing or os.waitstatus_to_exitcode(status) != 0:
        raise BuildError(f"the second rendering process stopped before {missing[0] if missing else 'its end'}"
                         f" (exit {os.waitstatus_to_exitcode(status)}); set SITE_GEN_JOBS=1 to render in one")
    rendered(len(pages), len(pages))
    return {page.path: data for page, data in zip(pages, results) if data is not None}
