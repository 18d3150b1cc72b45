"""Where a build's files go as they are made: into the staging folder, not into memory.

``site-gen serve`` keeps the files of a build in a dict (it compares them
with the last build's).  A one-shot build (``site-gen build``) gives the
render stage a :class:`StagedFiles` instead: each file is written into the
staging folder the moment it is made, so the site is never held in memory
whole (at 1,500 cities that is 500 MB of pages), and the second rendering
process writes its pages there too.  The staging folder is swapped in for
``output/`` only when the build has succeeded (:class:`site_gen.write.Staging`).
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path
from typing import Iterable, Iterator, MutableMapping

from site_gen.errors import BuildError, printable

_HINTS = {
    errno.ENOSPC: "the disk is full: free some space, or choose another --out",
    errno.EDQUOT: "the disk quota is used up: free some space, or choose another --out",
    errno.EROFS: "the file system is read-only: remount it read-write, or choose another --out",
    errno.EACCES: "permission denied: fix the folder's permissions, or choose another --out",
    errno.EPERM: "not permitted: fix the folder's permissions, or choose another --out",
    errno.ENOTDIR: "part of the path is a file, not a folder: choose another --out",
    errno.ENAMETOOLONG: "the path is too long: choose a shorter --out",
    errno.EIO: "the disk reported an input/output error: check the disk, or choose another --out",
}


def disk_error(exc: OSError, action: str, path: Path | str, out_dir: Path | None = None) -> BuildError:
    """One line saying which path failed, why, and what to do about it."""
    where = exc.filename if exc.filename is not None else path
    hint = _HINTS.get(exc.errno or 0, "fix the cause, or choose another --out")
    tail = f" ({out_dir} is unchanged)" if out_dir is not None else ""
    return BuildError(printable(f"cannot {action} {where}: {exc.strerror or exc}; {hint}{tail}"))


class StagedFiles(MutableMapping[str, bytes]):
    """The site's files (relative POSIX path -> bytes), kept in ``folder`` rather than in memory.

    Setting a file writes it there at once; getting one reads it back (the
    search index reads the pages).  :meth:`put` writes without recording
    the file, from any process; :meth:`record` then tells this mapping a
    file is there.  A failure of the file system is a BuildError naming the
    path, with ``out_dir`` said to be unchanged.
    """

    def __init__(self, folder: Path, out_dir: Path | None = None):
        self.folder = folder
        self.out_dir = out_dir
        self._sizes: dict[str, int] = {}
        self._made: set[Path] = set()

    def put(self, relative: str, data: bytes) -> int:
        """Write ``data`` as ``relative`` under the folder; its size."""
        return self.put_parts(relative, (data,))

    def put_parts(self, relative: str, parts: Iterable[bytes]) -> int:
        """Write the file made of ``parts``, one part at a time (a large data file is never whole in memory); its size."""
        target = self._target(relative)
        try:
            return write_parts(target, parts)
        except OSError as exc:
            raise disk_error(exc, "write", target, self.out_dir) from None

    def link(self, relative: str, source: Path, size: int) -> bool:
        """Record ``relative`` as a hard link to ``source``, the file a previous build wrote with these
        ``size`` bytes; False, and nothing made, when ``source`` is not that file or cannot be linked."""
        target = self._target(relative)
        try:
            status = os.lstat(source)
            if not stat.S_ISREG(status.st_mode) or status.st_size != size:
                return False  # not the file the last build wrote
            os.link(source, target, follow_symlinks=False)
        except OSError:
            return False
        self.record(relative, size)
        return True

    def _target(self, relative: str) -> Path:
        """Where ``relative`` goes, its folder made (once per folder)."""
        target = self.folder / relative
        if target.parent not in self._made:
            try:
                target.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise disk_error(exc, "write", target, self.out_dir) from None
            self._made.add(target.parent)
        return target

    def record(self, relative: str, size: int) -> None:
        """``relative`` (``size`` bytes) was written under the folder by :meth:`put`, maybe in another process."""
        self._sizes[relative] = size

    def __setitem__(self, relative: str, data: bytes) -> None:
        self.record(relative, self.put(relative, data))

    def __getitem__(self, relative: str) -> bytes:
        if relative not in self._sizes:
            raise KeyError(relative)
        target = self.folder / relative
        try:
            return target.read_bytes()
        except OSError as exc:
            raise disk_error(exc, "read back", target, self.out_dir) from None

    def __delitem__(self, relative: str) -> None:
        del self._sizes[relative]
        try:
            os.unlink(self.folder / relative)
        except OSError as exc:
            raise disk_error(exc, "remove", self.folder / relative, self.out_dir) from None

    def __contains__(self, relative: object) -> bool:
        return relative in self._sizes

    def __iter__(self) -> Iterator[str]:
        return iter(self._sizes)

    def __len__(self) -> int:
        return len(self._sizes)


def write_parts(target: Path, parts: Iterable[bytes]) -> int:
    """Write ``parts`` one after another as the file ``target``; the bytes written."""
    size = 0
    with open(target, "wb") as out:
        for part in parts:
            size += out.write(part)
    return size


def put_parts(into: MutableMapping[str, bytes], relative: str, parts: Iterable[bytes]) -> None:
    """``into[relative] = b"".join(parts)``, written part by part into :class:`StagedFiles`."""
    if isinstance(into, StagedFiles):
        into.record(relative, into.put_parts(relative, parts))
    else:
        into[relative] = b"".join(parts)
