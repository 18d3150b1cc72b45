"""Work on two processors: this process and a forked one take items from one queue.

Used by one-shot builds (``site-gen build``) where the work splits into
independent items: rendering pages, checking each file's citations.  The
results are those of doing the items in one process, in item order.
"""

from __future__ import annotations

import os
import pickle
import struct
import tempfile
from typing import BinaryIO, Callable, Sequence, TypeVar

from site_gen.errors import BuildError

T = TypeVar("T")
R = TypeVar("R")


def processes() -> int:
    """Processes to work with: 2 when this process may run on two processors and can fork, else 1.

    ``SITE_GEN_JOBS=1`` works in one.
    """
    if os.environ.get("SITE_GEN_JOBS", "").strip() == "1" or not hasattr(os, "fork"):
        return 1
    try:
        processors = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        processors = os.cpu_count() or 1
    return 2 if processors >= 2 else 1


def map_in_two(items: Sequence[T], work: Callable[[T], R], name: Callable[[T], str],
               done: Callable[[int, int], None] = lambda done, total: None,
               order: Sequence[int] | None = None, meanwhile: Callable[[], None] = lambda: None) -> list[R]:
    """``[work(item) for item in items]``, done by this process and a forked one.

    Both processes take the next item from one shared counter, so neither
    waits while the other still has items to do, whichever take long.
    ``order`` is the order items are taken in (indexes into ``items``; the
    slowest first keeps the two finishing together); the result is in item
    order whatever it is.  ``meanwhile`` is other work this process does
    first, while the child starts on the items.  The child shares, copy on
    write, everything computed so far, and writes its results (pickled) to an
    unnamed temporary file that this process reads once the child is done (a
    pipe would make it wait for its reader).  An item that fails is reported
    as one process reports it: the exception of the first failing item, in
    item order.  ``name`` says which item a result that could not be handed
    back belongs to.
    """
    import multiprocessing

    context = multiprocessing.get_context("fork")
    taken = context.Value("q", 0)  # how many of ``sequence`` are taken
    failed = context.Value("q", len(items))  # the first item known to fail: later ones need not be done
    sequence = list(order) if order is not None else list(range(len(items)))

    def next_item() -> int | None:
        """The next item to do, None when every item is taken; items after a failure are skipped."""
        while True:
            with taken.get_lock():
                position: int = taken.value
                if position >= len(sequence):
                    return None
                taken.value = position + 1
            if sequence[position] < failed.value:
                return sequence[position]

    def do(index: int) -> tuple[bool, R | BaseException]:
        try:
            return True, work(items[index])
        except Exception as exc:  # noqa: BLE001 - reported below, if no earlier item failed
            with failed.get_lock():
                failed.value = min(failed.value, index)
            return False, exc

    spool = tempfile.TemporaryFile()
    pid = os.fork()
    if pid == 0:  # the child: items until none is left, then exit without running the parent's clean-up
        code = 0
        try:
            with os.fdopen(os.dup(spool.fileno()), "wb", buffering=1 << 20) as out:
                while (index := next_item()) is not None:
                    _write_record(out, index, *do(index), name(items[index]))
        except BaseException:  # noqa: BLE001 - the child broke: its missing items are reported below
            code = 1
        os._exit(code)
    results: dict[int, R] = {}
    errors: dict[int, BaseException] = {}
    try:
        meanwhile()
        count = 0
        while (index := next_item()) is not None:
            ok, value = do(index)
            if ok:
                results[index] = value  # type: ignore[assignment]
            else:
                errors[index] = value  # type: ignore[assignment]
            count += 1
            if count % 50 == 0:
                done(min(taken.value, len(items)), len(items))
    finally:
        _, status = os.waitpid(pid, 0)
    with spool:
        spool.seek(0)
        _read_records(spool, results, errors)
    if errors:
        raise errors[min(errors)]
    missing = [name(items[i]) for i in range(len(items)) if i not in results]
    if missing or os.waitstatus_to_exitcode(status) != 0:
        raise BuildError(f"the second process stopped before {missing[0] if missing else 'its end'}"
                         f" (exit {os.waitstatus_to_exitcode(status)}); set SITE_GEN_JOBS=1 to work in one")
    done(len(items), len(items))
    return [results[i] for i in range(len(items))]


def _write_record(out: BinaryIO, index: int, ok: bool, value: object, name: str) -> None:
    """One result of the child, length-prefixed: its index, and its value or the exception it raised."""
    try:
        payload = pickle.dumps((index, ok, value), protocol=pickle.HIGHEST_PROTOCOL)
    except Exception as exc:  # noqa: BLE001 - a value that cannot be pickled: its words
        error = value if not ok else exc
        payload = pickle.dumps((index, False, BuildError(f"cannot make {name}: {type(error).__name__}: {error}")))
    out.write(struct.pack("<Q", len(payload)) + payload)


def _read_records(spool: BinaryIO, results: dict[int, R], errors: dict[int, BaseException]) -> None:
    """The child's results from its file; a cut-off last record is left out (its item is then missing)."""
    while len(head := spool.read(8)) == 8:
        body = spool.read(struct.unpack("<Q", head)[0])
        try:
            index, ok, value = pickle.loads(body)
        except Exception:  # noqa: BLE001 - the child stopped mid-record
            return
        if ok:
            results[index] = value
        else:
            errors[index] = value if isinstance(value, BaseException) else BuildError(f"cannot make item {index}")
