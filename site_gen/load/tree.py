"""What an entry of the content tree is, judged without following links.

Content arrives by pull request, so the tree itself is hostile: a symbolic
link would publish ``/etc/passwd`` or ``.git/config`` as an archived text, a
FIFO would block the build, a device may do anything when opened.  Every
entry is classified with ``os.lstat`` (which never follows a link), links and
special files are refused wherever they are, and only regular files and real
folders are ever opened; :func:`~site_gen.load.yaml_source.read_text` opens
with ``O_NOFOLLOW`` and checks the open file as well, so a link swapped in
after the walk still fails.  With no link anywhere below the content root
(which is resolved once, so it may itself be a link), no path read can lead
outside it.
"""

from __future__ import annotations

import enum
import os
import stat
from pathlib import Path

from site_gen.errors import Problem


class Kind(enum.Enum):
    MISSING = "missing"
    FILE = "file"
    FOLDER = "folder"
    LINK = "symbolic link"
    FIFO = "FIFO (named pipe)"
    SOCKET = "socket"
    CHAR_DEVICE = "character device"
    BLOCK_DEVICE = "block device"
    OTHER = "special file"

    @property
    def special(self) -> bool:
        """A link or anything but a regular file or folder: refused wherever it is."""
        return self not in (Kind.MISSING, Kind.FILE, Kind.FOLDER)


def kind_of_mode(mode: int) -> Kind:
    for test, kind in ((stat.S_ISREG, Kind.FILE), (stat.S_ISDIR, Kind.FOLDER), (stat.S_ISLNK, Kind.LINK),
                       (stat.S_ISFIFO, Kind.FIFO), (stat.S_ISSOCK, Kind.SOCKET),
                       (stat.S_ISCHR, Kind.CHAR_DEVICE), (stat.S_ISBLK, Kind.BLOCK_DEVICE)):
        if test(mode):
            return kind
    return Kind.OTHER


def kind_of(path: Path) -> Kind:
    """What ``path`` itself is (a link is a link, whatever it points at)."""
    try:
        return kind_of_mode(os.lstat(path).st_mode)
    except (FileNotFoundError, NotADirectoryError):
        return Kind.MISSING


def _link_target(path: Path) -> str:
    try:
        target = os.readlink(path)
    except OSError:
        return ""
    return f" to {target[:200]!r}"


def refusal(path: Path, display: str, kind: Kind, expected: str = "a regular file or folder") -> Problem:
    """The problem for an entry of ``kind`` where ``expected`` belongs."""
    if kind is Kind.LINK:
        message = (f"symbolic link{_link_target(path)} is not allowed (expected {expected}; a link could "
                   "publish a file from outside the content folder)")
    elif kind.special:
        message = f"{kind.value} is not allowed (expected {expected})"
    else:
        message = f"is a {kind.value} (expected {expected})"
    return Problem(display, 1, 1, "file", message)


def entries(folder: Path) -> list[tuple[str, Kind]]:
    """The names in a real folder with what each is, sorted by name; never follows a link."""
    with os.scandir(folder) as listing:
        found = []
        for entry in listing:
            try:
                found.append((entry.name, kind_of_mode(entry.stat(follow_symlinks=False).st_mode)))
            except FileNotFoundError:
                continue  # removed while listing
    return sorted(found)
