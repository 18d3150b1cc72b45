"""A synchronous client for ``pagefind --service``, Pagefind's own indexing protocol.

Why not ``pagefind --site``: the command walks the site folder in directory
order (readdir), and numbers pages in the order it finds them, so the same
pages give a different index on tmpfs than on ext4, or after files were
written in another order.  Through the service the build hands Pagefind the
pages itself, in sorted order, and the index depends only on the pages.

Why not the pip package's ``pagefind.index.PagefindIndex``: it speaks this
same protocol, but its reader sleeps 0.1 s before every response, which
costs seconds per build for a few dozen pages.

The protocol (Pagefind 1.4.0, ``pagefind/src/service/``): each request is
``base64(JSON)`` followed by a comma on stdin, each response likewise on
stdout; requests are handled one at a time, in the order sent, and every
response carries the ``message_id`` of its request.  Closing stdin ends the
service.
"""

from __future__ import annotations

import base64
import json
import os
import selectors
import subprocess
import tempfile
import time
from pathlib import Path
from types import TracebackType
from typing import Any

from site_gen.errors import BuildError


class PagefindService:
    """``with PagefindService(binary, timeout) as service: service.request({...})``."""

    def __init__(self, executable: Path, timeout: float):
        self.executable = executable
        self.deadline = time.monotonic() + timeout
        self.timeout = timeout
        self._message_id = 0
        self._buffer = b""
        self._stderr = tempfile.TemporaryFile()
        try:
            self.process = subprocess.Popen([str(executable), "--service"], stdin=subprocess.PIPE,
                                            stdout=subprocess.PIPE, stderr=self._stderr)
        except OSError as exc:
            self._stderr.close()
            raise BuildError(f"cannot run Pagefind ({executable}): {exc.strerror}") from None

    def __enter__(self) -> "PagefindService":
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        """Close stdin (the service then exits), and make sure the process is gone."""
        try:
            if self.process.stdin:
                self.process.stdin.close()
        except OSError:
            pass
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        if self.process.stdout:
            self.process.stdout.close()
        self._stderr.close()

    def _said(self) -> str:
        """The last lines Pagefind wrote to stderr, for an error message."""
        try:
            self._stderr.seek(0)
            text = self._stderr.read().decode("utf-8", "replace").strip()
        except (OSError, ValueError):
            return ""
        return f": {' / '.join(text.splitlines()[-3:])}" if text else ""

    def request(self, payload: dict[str, Any]) -> dict[str, Any]:
        """Send one request and return its response's payload; an ``Error`` response raises."""
        self._message_id += 1
        message = json.dumps({"message_id": self._message_id, "payload": payload}).encode("utf-8")
        assert self.process.stdin is not None
        try:
            self.process.stdin.write(base64.b64encode(message) + b",")
            self.process.stdin.flush()
        except OSError:
            raise BuildError(f"Pagefind stopped while indexing (exit {self.process.poll()}){self._said()}") from None
        response = self._read_response()
        if response.get("message_id") != self._message_id:
            raise BuildError(f"Pagefind answered message {response.get('message_id')} "
                             f"instead of {self._message_id}{self._said()}")
        answer = response.get("payload") or {}
        if answer.get("type") == "Error":
            raise BuildError(f"Pagefind could not {payload['type']}: {answer.get('message')}")
        return answer

    def _read_response(self) -> dict[str, Any]:
        assert self.process.stdout is not None
        fd = self.process.stdout.fileno()
        with selectors.DefaultSelector() as selector:
            selector.register(fd, selectors.EVENT_READ)
            while b"," not in self._buffer:
                left = self.deadline - time.monotonic()
                if left <= 0 or not selector.select(timeout=left):
                    raise BuildError(f"Pagefind did not finish within {self.timeout:.0f} seconds")
                chunk = os.read(fd, 1 << 16)
                if not chunk:
                    raise BuildError(f"Pagefind stopped while indexing (exit {self.process.wait()}){self._said()}")
                self._buffer += chunk
        encoded, _, self._buffer = self._buffer.partition(b",")
        try:
            response = json.loads(base64.b64decode(encoded, validate=True))
        except ValueError:
            response = None
        if not isinstance(response, dict):
            raise BuildError(f"Pagefind's answer is not its service protocol: {encoded[:60]!r}")
        return response
