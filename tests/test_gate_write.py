"""The build as a gate: hostile disks, paths, numbers, clocks, requests and indexes.

Every case here used to end in a traceback (or, worse, a lost or half
``output/``).  Each must now end in one ``error: …`` line that names the path
and says what to do, exit 1 (2 for usage errors), and leave the previous
``output/`` byte for byte as it was, with no staging debris beside it.

Disk errors are simulated in-process by making the write primitives raise
``OSError(ENOSPC)`` / ``OSError(EROFS)``; where this machine allows mounts
(root, not a restricted container) the same cases also run for real on a
tiny tmpfs, and are skipped with the reason otherwise.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from site_gen.cli import main
from tests.conftest import DOC, TEMPLATES, record, write_fixture
from tests.test_build import snapshot

EPOCH = "1795392000"


# --- helpers ---------------------------------------------------------------------


def run(*args: str, env: dict[str, str] | None = None):
    """``site-gen ARGS`` in-process; an exception escaping the CLI fails the test."""
    result = CliRunner().invoke(main, list(args), env={"SOURCE_DATE_EPOCH": EPOCH, **(env or {})})
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        import traceback

        pytest.fail("the CLI raised instead of reporting:\n"
                    + "".join(traceback.format_exception(result.exception)))
    return result


def build(content: Path, out: Path, *extra: str, env: dict[str, str] | None = None):
    return run("build", "--content", str(content), "--out", str(out), "--templates", str(TEMPLATES),
               "--no-search", *extra, env=env)


def one_error_line(result, *fragments: str, code: int = 1) -> str:
    """The run failed with ``code`` and said why in exactly one ``error:`` line."""
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: "), lines[0]
    for fragment in fragments:
        assert fragment in lines[0], (fragment, lines[0])
    return lines[0]


def debris(*folders: Path) -> list[str]:
    """Staging or old-site folders left beside (or, for a mount point, inside) output/."""
    found = []
    for folder in folders:
        if folder.is_dir():
            found += [p.name for p in folder.iterdir() if ".tmp-" in p.name or ".old-" in p.name]
    return found


@pytest.fixture
def site(content, tmp_path):
    """A built output/ (the old site), and content edited so the next build differs."""
    out = tmp_path / "output"
    assert build(content.root, out).exit_code == 0
    content.replace(DOC, "title: 新认定国家级孵化器奖励", "title: 新认定国家级孵化器奖励（修订）")
    return content, out, snapshot(out)


def fail_writes(monkeypatch, code: int, *, after: int = 0, name: str | None = None) -> dict:
    """Make writing a file into the staging folder raise OSError(code) after ``after`` files."""
    real = Path.write_bytes
    seen = {"files": 0, "raised": 0}

    def write_bytes(self: Path, data: bytes) -> int:
        if ".tmp-" in str(self) and (name is None or self.name == name):
            seen["files"] += 1
            if seen["files"] > after:
                seen["raised"] += 1
                raise OSError(code, os.strerror(code), str(self))
        return real(self, data)

    monkeypatch.setattr(Path, "write_bytes", write_bytes)
    return seen


# --- 6. absurd numbers ---------------------------------------------------------------------------------

HUGE_INT = "1" + "0" * 5000
ABSURD_NUMBERS = [
    "1e1000000", "-1e1000000", "1e-1000000", "1E+999999999", "1e400", "1e-400", '"1e1000000"',
    HUGE_INT, "1_" + "0" * 4998, "0." + "0" * 4999 + "1", "1" * 2000 + ".5",
    ".inf", "-.inf", ".Inf", "+.INF", ".nan", ".NaN", "NaN", "nan", '"NaN"', '"Infinity"', '"-Infinity"',
    "sNaN", '"sNaN"', "1e", "0x10", "1,000", "１００",
]


@pytest.mark.parametrize("number", ABSURD_NUMBERS, ids=lambda n: n[:20])
def test_absurd_target_values_are_problems(content, tmp_path, number):
    content.replace(DOC, "    value: 2.5\n", f"    value: {number}\n")
    for command in ("validate", "build"):
        args = ["--content", str(content.root)]
        if command == "build":
            args += ["--out", str(tmp_path / "out"), "--templates", str(TEMPLATES), "--no-search"]
        result = run(command, *args)
        assert result.exit_code == 1, result.output
        assert f"{content.path(DOC).as_posix()}:77:12: targets[0].value: " in result.output
        assert all(len(line) < 500 for line in result.output.splitlines()), "a problem must stay readable"
    assert not (tmp_path / "out").exists()
    record("hostile corpus: absurd numbers (overflow, underflow, 5000 digits, inf, NaN)")


@pytest.mark.parametrize("field, old, number", [
    ("measures[3].amount.percent", "      percent: 10\n", "1e-1000000"),
    ("measures[3].amount.percent", "      percent: 10\n", "0." + "0" * 4999 + "1"),
    ("measures[0].amount.value", "      value: 100万元\n", HUGE_INT),
    ("measures[0].amount.value", "      value: 100万元\n", '"' + "9" * 3000 + '万元"'),
    ("measures[0].amount.value", "      value: 100万元\n", '"0.' + "0" * 3000 + '1万元"'),
], ids=["percent-tiny", "percent-long", "yuan-huge-int", "yuan-huge-text", "yuan-long-fraction"])
def test_absurd_amounts_are_problems(content, tmp_path, field, old, number):
    content.replace(DOC, old, old.split(":")[0] + f": {number}\n")
    result = build(content.root, tmp_path / "out")
    assert result.exit_code == 1, result.output
    assert f": {field}: " in result.output
    assert all(len(line) < 500 for line in result.output.splitlines())
    record("hostile corpus: absurd numbers (overflow, underflow, 5000 digits, inf, NaN)")


# --- 8. site-gen serve: odd request paths, and rebuilds that fail ---------------------------

ODD_PATHS = ["/%00", "/index.html%00.txt", "/%2e%2e/", "/%2e%2e/secret.txt", "/..%2fsecret.txt",
             "/..%2f..%2f..%2fetc%2fpasswd", "/%2e%2e%2f%2e%2e%2fsecret.txt", "/..\\secret.txt",
             "/%5c..%5csecret.txt", "//etc/passwd", "/" + "a" * 5000, "/" + "a/" * 3000, "/%ff%fe",
             "/cities/%00/", "/.%00./", "/%c0%ae%c0%ae/secret.txt", "/?%00", "/static/../../secret.txt"]


@pytest.fixture
def preview(content, tmp_path):
    from site_gen.serve import make_server

    out = tmp_path / "site" / "output"
    assert build(content.root, out).exit_code == 0
    (tmp_path / "site" / "secret.txt").write_text("TOP-SECRET-BESIDE-OUTPUT")
    server = make_server(out, 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


def raw_get(port: int, path: str) -> tuple[int, bytes]:
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(f"GET {path} HTTP/1.0\r\nHost: localhost\r\n\r\n".encode("latin-1"))
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    assert data.startswith(b"HTTP/1."), (path[:40], data[:100])
    return int(data.split()[1]), data


@pytest.mark.parametrize("path", ODD_PATHS, ids=lambda p: p[:30])
def test_odd_request_paths(preview, capfd, path):
    status, data = raw_get(preview, path)
    assert status in (400, 404, 414) or (status == 200 and path in ("/?%00",)), (status, data[:200])
    assert b"TOP-SECRET" not in data and b"root:" not in data
    captured = capfd.readouterr()
    assert "Traceback" not in captured.err and "Exception" not in captured.err, captured.err
    status, _ = raw_get(preview, "/")  # still serving
    assert status == 200
    record("hostile corpus: odd request paths on site-gen serve")


def test_serve_survives_any_exception_in_a_rebuild(content, tmp_path, monkeypatch, capsys):
    from site_gen.config import BuildConfig
    from site_gen.serve import rebuild

    out = tmp_path / "output"
    config = BuildConfig(content_dir=content.root, out_dir=out, templates_dir=TEMPLATES, search=False)
    assert rebuild(config)
    before = snapshot(out)
    content.replace(DOC, "    value: 2.5\n", "    value: 1e1000000\n")
    assert not rebuild(config)
    err = capsys.readouterr().err
    assert "targets[0].value" in err and "Traceback" not in err
    for exc in (ZeroDivisionError("division by zero"), RecursionError("deep"), MemoryError(),
                OSError(errno.EIO, "Input/output error")):
        def broken(*args, exc=exc, **kwargs):
            raise exc
        monkeypatch.setattr("site_gen.build.build_site", broken)
        assert rebuild(config) is False
        err = capsys.readouterr().err
        assert len(err.strip().splitlines()) == 1 and err.startswith("error: "), err
        assert "still serving the last good build" in err
    assert snapshot(out) == before
    record("hostile corpus: failed rebuilds survived by site-gen serve")
