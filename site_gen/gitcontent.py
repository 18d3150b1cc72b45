"""The content folder at a git revision, and the lines a checkout changed since one.

Used by ``site-gen diff --git REF`` (the base tree is ``content/`` at REF,
exported with ``git archive`` into a temporary folder and loaded like any
other tree) and by ``site-gen validate --changed-since REF`` (annotations on
the lines a pull request changed come first).  The build itself never reads
git: see README, "Change history".

Every failure — not a git checkout, git missing, an unknown revision (a
shallow clone may not hold the base), a revision without the content folder
— is a :class:`GitError` with one line saying what to do.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import tarfile
from dataclasses import dataclass
from pathlib import Path


class GitError(Exception):
    """Git could not give what was asked; the message says why and what to do."""


@dataclass(frozen=True)
class Checkout:
    """Where a folder sits in a git work tree."""

    root: Path
    """The work tree's top folder."""
    prefix: str
    """The folder's path inside the repository, with a trailing ``/`` (``content/``), or ``""``."""


def _git(cwd: Path, *args: str, binary: bool = False, check: bool = True) -> subprocess.CompletedProcess[bytes]:
    if shutil.which("git") is None:
        raise GitError("git is not installed (expected the git command on PATH)")
    try:
        result = subprocess.run(["git", *args], cwd=cwd, capture_output=True, timeout=120,
                                env={**os.environ, "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C"})
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise GitError(f"cannot run git {args[0]}: {exc}") from None
    if check and result.returncode != 0:
        message = result.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitError(f"git {args[0]} failed: {message[-1] if message else 'exit ' + str(result.returncode)}")
    return result


def checkout_of(folder: Path) -> Checkout:
    """The git work tree holding ``folder``; :class:`GitError` if it is not in one."""
    real = Path(os.path.realpath(folder))
    if not real.is_dir():
        raise GitError(f"{folder} is not a folder")
    result = _git(real, "rev-parse", "--show-toplevel", "--show-prefix", check=False)
    if result.returncode != 0:
        raise GitError(f"{folder} is not in a git checkout (expected a clone of the repository; "
                       "or compare two folders: site-gen diff BASE_CONTENT HEAD_CONTENT)")
    top, prefix = (result.stdout.decode("utf-8").splitlines() + ["", ""])[:2]
    return Checkout(Path(top), prefix)


def resolve(checkout: Checkout, ref: str) -> str:
    """The commit ``ref`` names; :class:`GitError` naming the fix when it is unknown (say, in a shallow clone)."""
    if not ref or ref.startswith("-") or any(ch.isspace() or not ch.isprintable() for ch in ref):
        raise GitError(f"{ref!r} is not a git revision (expected a branch, tag or commit such as main or HEAD~1)")
    result = _git(checkout.root, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}",
                  check=False)
    if result.returncode != 0:
        shallow = _git(checkout.root, "rev-parse", "--is-shallow-repository", check=False).stdout.strip() == b"true"
        hint = (" (this clone is shallow: fetch the base first, e.g. git fetch --no-tags origin main, "
                "or clone with full history: actions/checkout with fetch-depth: 0)" if shallow
                else " (expected a branch, tag or commit this clone holds; fetch it first if it is remote)")
        raise GitError(f"unknown revision {ref!r}{hint}")
    return result.stdout.decode("ascii").strip()


def fork_point(checkout: Checkout, commit: str) -> str:
    """Where HEAD's history left ``commit`` (``git merge-base``), as a pull request's diff counts it.

    When ``commit`` is an ancestor of HEAD that is ``commit`` itself.  Without
    a common ancestor (unrelated or truncated history) it is ``commit``.
    """
    result = _git(checkout.root, "merge-base", commit, "HEAD", check=False)
    found = result.stdout.decode("ascii").strip()
    return found if result.returncode == 0 and re.fullmatch(r"[0-9a-f]{40,64}", found) else commit


def export(checkout: Checkout, commit: str, destination: Path) -> Path:
    """Write the content folder as it is at ``commit`` under ``destination``; returns its path there.

    ``git archive`` gives the committed files only; links and anything but
    regular files and folders are left out (the loader would refuse them),
    and no member may leave ``destination``.
    """
    prefix = checkout.prefix
    if prefix:
        present = _git(checkout.root, "cat-file", "-e", f"{commit}:{prefix.rstrip('/')}", check=False)
        if present.returncode != 0:
            raise GitError(f"{prefix.rstrip('/')}/ does not exist at {commit[:12]} "
                           "(expected the content folder in that revision)")
    archive = _git(checkout.root, "archive", "--format=tar", commit, "--", prefix or ".").stdout
    destination.mkdir(parents=True, exist_ok=True)
    root = destination.resolve()
    with tarfile.open(fileobj=io.BytesIO(archive), mode="r:") as tar:
        for member in tar.getmembers():
            target = (root / member.name).resolve()
            if not (member.isfile() or member.isdir()) or (target != root and root not in target.parents):
                continue
            if member.isdir():
                target.mkdir(parents=True, exist_ok=True)
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            source = tar.extractfile(member)
            if source is not None:
                target.write_bytes(source.read())
    folder = destination / prefix if prefix else destination
    folder.mkdir(parents=True, exist_ok=True)
    return folder


_HUNK = re.compile(rb"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@")


def changed_lines(checkout: Checkout, commit: str) -> dict[str, set[int]]:
    """Lines of the content folder added or changed in the work tree since ``commit``, by repository path.

    Untracked files count as changed throughout.  A deletion marks the lines
    either side of it, where an annotation about what went missing belongs.
    """
    pathspec = checkout.prefix or "."
    diff = _git(checkout.root, "diff", "--unified=0", "--no-color", "--no-ext-diff", "--no-renames", commit, "--",
                pathspec).stdout
    changed: dict[str, set[int]] = {}
    current: set[int] | None = None
    for line in diff.splitlines():
        if line.startswith(b"+++ "):
            name = line[4:].decode("utf-8", "replace")
            current = changed.setdefault(name[2:], set()) if name.startswith("b/") else None
        elif current is not None:
            hunk = _HUNK.match(line)
            if hunk:
                start, count = int(hunk.group(1)), int(hunk.group(2) or 1)
                current.update(range(start, start + count) if count else (max(start, 1), start + 1))
    untracked = _git(checkout.root, "ls-files", "--others", "--exclude-standard", "-z", "--", pathspec).stdout
    for name in filter(None, untracked.decode("utf-8", "replace").split("\0")):
        changed[name] = ALL_LINES
    return changed


class _AllLines(set[int]):
    def __contains__(self, item: object) -> bool:
        return True


ALL_LINES: set[int] = _AllLines()
