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
    """Make writing a file into the staging folder raise OSError(code) after ``after`` files.

    Pages and data files are written as they are made (``site_gen.output.write_parts``),
    the marker by the swap (``Path.write_bytes``).
    """
    import site_gen.output

    real, real_parts = Path.write_bytes, site_gen.output.write_parts
    seen = {"files": 0, "raised": 0}

    def fail(target: Path) -> None:
        if ".tmp-" in str(target) and (name is None or target.name == name):
            seen["files"] += 1
            if seen["files"] > after:
                seen["raised"] += 1
                raise OSError(code, os.strerror(code), str(target))

    def write_bytes(self: Path, data: bytes) -> int:
        fail(self)
        return real(self, data)

    def write_parts(target: Path, parts) -> int:
        fail(target)
        return real_parts(target, parts)

    monkeypatch.setattr(Path, "write_bytes", write_bytes)
    monkeypatch.setattr(site_gen.output, "write_parts", write_parts)
    return seen


# --- 1. disk full and read-only file system ------------------------------------------

DISK_ERRORS = {errno.ENOSPC: "disk is full", errno.EROFS: "read-only"}


@pytest.mark.parametrize("code", sorted(DISK_ERRORS), ids=lambda c: errno.errorcode[c])
@pytest.mark.parametrize("where", ["staging-first-file", "staging-mid", "marker", "staging-folder",
                                   "exchange", "second-rename"])
def test_disk_errors_leave_output_and_say_so(site, monkeypatch, tmp_path, where, code):
    content, out, before = site
    if where == "staging-first-file":
        seen = fail_writes(monkeypatch, code)
    elif where == "staging-mid":
        seen = fail_writes(monkeypatch, code, after=10)
    elif where == "marker":
        seen = fail_writes(monkeypatch, code, name=".site-gen")
    elif where == "staging-folder":
        real_mkdir = os.mkdir
        seen = {"raised": 0}

        def mkdir(path, *args, **kwargs):
            if ".tmp-" in os.fspath(path):
                seen["raised"] += 1
                raise OSError(code, os.strerror(code), os.fspath(path))
            return real_mkdir(path, *args, **kwargs)

        monkeypatch.setattr(os, "mkdir", mkdir)
    elif where == "exchange":
        seen = {"raised": 0}

        def exchange(a, b):
            seen["raised"] += 1
            raise OSError(code, os.strerror(code), str(b))

        monkeypatch.setattr("site_gen.write._exchange", exchange)
    else:  # the two-rename fallback: output/ moved aside, then the new site cannot move in
        monkeypatch.setattr("site_gen.write._exchange", lambda a, b: False)
        real_rename = os.rename
        seen = {"raised": 0}

        def rename(src, dst, *args, **kwargs):
            if ".tmp-" in os.fspath(src) and Path(dst).name == "output":
                seen["raised"] += 1
                raise OSError(code, os.strerror(code), os.fspath(dst))
            return real_rename(src, dst, *args, **kwargs)

        monkeypatch.setattr(os, "rename", rename)
    result = build(content.root, out)
    assert seen["raised"], "the simulated disk error was never hit"
    one_error_line(result, DISK_ERRORS[code], str(out))
    assert snapshot(out) == before
    assert not debris(tmp_path)
    record("hostile corpus: disk errors (ENOSPC, EROFS) at each write and swap step")


@contextlib.contextmanager
def tmpfs(mount_point: Path, size: str):
    """Mount a tmpfs at ``mount_point`` for the block, or skip the test saying why."""
    mount_point.mkdir(parents=True, exist_ok=True)
    if os.geteuid() != 0 or not shutil.which("mount"):
        pytest.skip("needs root and mount(8) to mount a tmpfs; the in-process simulation covers the same cases")
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size},mode=0755", "tmpfs", str(mount_point)],
                          capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"this machine does not allow mounts ({done.stderr.strip()}); "
                    "the in-process simulation covers the same cases")
    try:
        yield mount_point
    finally:
        subprocess.run(["mount", "-o", "remount,rw", str(mount_point)], capture_output=True)
        if subprocess.run(["umount", str(mount_point)], capture_output=True).returncode != 0:
            subprocess.run(["umount", "-l", str(mount_point)], capture_output=True)


def test_real_full_disk(content, tmp_path):
    with tmpfs(tmp_path / "disk", "2m") as disk:  # room for both editions of the fixture
        out = disk / "output"
        assert build(content.root, out).exit_code == 0
        before = snapshot(out)
        content.replace(DOC, "title: 新认定国家级孵化器奖励", "title: 新认定国家级孵化器奖励（修订）")
        free = shutil.disk_usage(disk).free
        (disk / "filler").write_bytes(b"\0" * max(free - 64 * 1024, 0))
        one_error_line(build(content.root, out), "disk is full", str(out))
        assert snapshot(out) == before
        assert not debris(disk)
        (disk / "filler").unlink()
        assert build(content.root, out).exit_code == 0  # space freed: the next build goes through
        assert not debris(disk)
    record("hostile corpus: disk errors (ENOSPC, EROFS) at each write and swap step")


def test_real_read_only_file_system(site, tmp_path):
    content, _, _ = site
    with tmpfs(tmp_path / "disk", "4m") as disk:
        out = disk / "output"
        assert build(content.root, out).exit_code == 0
        before = snapshot(out)
        subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True)
        one_error_line(build(content.root, out), "read-only", str(out))
        assert snapshot(out) == before
        assert not debris(disk)
    record("hostile corpus: disk errors (ENOSPC, EROFS) at each write and swap step")


# --- 2. --out is a mount point -------------------------------------------------------------


def test_mount_point_busy_falls_back_to_swapping_contents(site, monkeypatch, tmp_path):
    """rename(2) of a mount point fails with EBUSY: the entries inside it are swapped instead."""
    content, out, before = site
    inode = out.stat().st_ino

    def busy(*args):
        raise OSError(errno.EBUSY, os.strerror(errno.EBUSY), str(out))

    from site_gen.write import _exchange as real_exchange

    def exchange(a, b):
        if Path(a) == out or Path(b) == out:
            busy()
        return real_exchange(a, b)

    monkeypatch.setattr("site_gen.write._exchange", exchange)
    real_rename = os.rename

    def rename(src, dst, *args, **kwargs):
        if Path(src) == out or Path(dst) == out:
            busy()
        return real_rename(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "rename", rename)
    result = build(content.root, out)
    assert result.exit_code == 0, result.output
    assert out.stat().st_ino == inode, "output/ itself must stay (it is the mount point)"
    assert snapshot(out) != before
    assert "（修订）" in (out / "documents/shili-2022-measures/index.html").read_text(encoding="utf-8")
    assert not debris(tmp_path, out)
    record("hostile corpus: --out paths (mount point, symlink, under a file, overlapping inputs)")


def test_real_mount_point(site, tmp_path):
    content, _, _ = site
    with tmpfs(tmp_path / "webroot", "4m") as out:
        (out / "lost+found").mkdir()  # what a fresh ext4 mount point holds
        for _ in range(2):  # into the empty mount point, then replacing the site in it
            result = build(content.root, out)
            assert result.exit_code == 0, result.output
            assert os.path.ismount(out)
            assert (out / ".site-gen").is_file() and (out / "lost+found").is_dir()
            assert not debris(tmp_path, out)
        content.replace(DOC, "（修订）", "（再修订）")
        assert build(content.root, out).exit_code == 0
        assert "（再修订）" in (out / "documents/shili-2022-measures/index.html").read_text(encoding="utf-8")
        assert not debris(tmp_path, out)
    record("hostile corpus: --out paths (mount point, symlink, under a file, overlapping inputs)")


def test_real_bind_mount(site, tmp_path):
    """A bind mount from the same file system: os.path.ismount cannot see it, rename still fails."""
    content, _, _ = site
    source, out = tmp_path / "srv", tmp_path / "webroot"
    source.mkdir()
    out.mkdir()
    if os.geteuid() != 0 or subprocess.run(["mount", "--bind", str(source), str(out)],
                                           capture_output=True).returncode != 0:
        pytest.skip("this machine does not allow bind mounts; the EBUSY simulation covers the same case")
    try:
        for _ in range(2):
            result = build(content.root, out)
            assert result.exit_code == 0, result.output
            assert (source / ".site-gen").is_file(), "the site must land in the mounted folder"
            assert not debris(tmp_path, out)
    finally:
        subprocess.run(["umount", str(out)], capture_output=True)
    record("hostile corpus: --out paths (mount point, symlink, under a file, overlapping inputs)")


# --- 3. --out under a regular file ---------------------------------------------------------------


@pytest.mark.parametrize("below", ["site", "deeper/site"])
def test_out_under_a_file(content, tmp_path, below):
    blocker = tmp_path / "some.txt"
    blocker.write_text("not a folder")
    result = build(content.root, blocker / below)
    one_error_line(result, str(blocker), "not a folder")
    assert blocker.read_text() == "not a folder"
    assert not debris(tmp_path)
    record("hostile corpus: --out paths (mount point, symlink, under a file, overlapping inputs)")


def test_out_is_a_file(content, tmp_path):
    blocker = tmp_path / "some.txt"
    blocker.write_text("not a folder")
    one_error_line(build(content.root, blocker), str(blocker), "not a folder")
    assert blocker.read_text() == "not a folder"
    record("hostile corpus: --out paths (mount point, symlink, under a file, overlapping inputs)")


# --- 4. --out is a symlink to a web root -------------------------------------------------------------


@pytest.mark.parametrize("link_kind", ["absolute", "relative", "dangling", "chain"])
def test_symlink_to_a_web_root_updates_the_web_root(content, tmp_path, link_kind):
    webroot = tmp_path / "var/www/site"
    webroot.parent.mkdir(parents=True)
    link = tmp_path / "output"
    if link_kind == "relative":
        link.symlink_to(Path("var/www/site"))
    elif link_kind == "chain":
        (tmp_path / "current").symlink_to(webroot)
        link.symlink_to(tmp_path / "current")
    else:
        link.symlink_to(webroot)
    if link_kind != "dangling":
        webroot.mkdir()
    target = os.readlink(link)
    for edit in ("", "（修订）"):
        if edit:
            content.replace(DOC, "title: 新认定国家级孵化器奖励", f"title: 新认定国家级孵化器奖励{edit}")
        result = build(content.root, link)
        assert result.exit_code == 0, result.output
        assert link.is_symlink() and os.readlink(link) == target, "the link must stay a link, unchanged"
        assert webroot.is_dir() and not webroot.is_symlink()
        page = (webroot / "documents/shili-2022-measures/index.html").read_text(encoding="utf-8")
        assert ("（修订）" in page) == bool(edit)
        assert not debris(tmp_path, webroot.parent)
    record("hostile corpus: --out paths (mount point, symlink, under a file, overlapping inputs)")


# --- 5. --out overlapping the inputs ---------------------------------------------------------------


@pytest.mark.parametrize("relation", ["equal", "inside", "containing", "link-to-content"])
@pytest.mark.parametrize("which", ["content", "templates"])
def test_out_overlapping_an_input_is_a_usage_error(tmp_path, relation, which):
    inputs = tmp_path / "project"
    content = write_fixture(inputs / "content").root
    templates = inputs / "templates"
    shutil.copytree(TEMPLATES, templates)
    before = {p: snapshot(p) for p in (content, templates)}
    folder = content if which == "content" else templates
    out = {"equal": folder, "inside": folder / "output", "containing": inputs,
           "link-to-content": tmp_path / "output"}[relation]
    if relation == "link-to-content":
        out.symlink_to(folder)
    result = CliRunner().invoke(main, ["build", "--content", str(content), "--out", str(out),
                                       "--templates", str(templates), "--no-search"])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == 2, result.output
    assert "--out" in result.output and "Traceback" not in result.output
    assert {p: snapshot(p) for p in (content, templates)} == before
    assert not debris(tmp_path, inputs, folder)
    record("hostile corpus: --out paths (mount point, symlink, under a file, overlapping inputs)")


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
        assert f"{content.path(DOC).as_posix()}:78:12: targets[0].value: " in result.output
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


# --- 7. SOURCE_DATE_EPOCH ------------------------------------------------------------------------------


@pytest.mark.parametrize("epoch", ["99999999999999999999", "253402300800", "-1", "-99999999999", "abc", "1.5",
                                   "1e9", " 12 3", "١٢٣", "0x10", "+5", "1795392000\n1"])
def test_out_of_range_source_date_epoch(content, tmp_path, monkeypatch, epoch):
    def serve_forever(*args):
        raise SystemExit(99)  # serve must refuse the date before it starts serving

    monkeypatch.setattr("site_gen.serve.serve_forever", serve_forever)
    for command in ("build", "serve"):
        args = [command, "--content", str(content.root), "--out", str(tmp_path / "out"),
                "--templates", str(TEMPLATES), "--no-search"]
        line = one_error_line(run(*args, env={"SOURCE_DATE_EPOCH": epoch}), "SOURCE_DATE_EPOCH", "253402300799")
        assert "\n" not in line
    assert not (tmp_path / "out").exists()
    record("hostile corpus: SOURCE_DATE_EPOCH values")


@pytest.mark.parametrize("epoch, day", [("0", "1970-01-01"), ("253402300799", "9999-12-31"),
                                        ("1795392000", "2026-11-23"), (" 1795392000 ", "2026-11-23")])
def test_source_date_epoch_range_ends(epoch, day, monkeypatch):
    from site_gen.config import build_date

    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
    assert build_date().isoformat() == day


# --- 8. site-gen serve: odd request paths, and rebuilds that fail ---------------------------

ODD_PATHS = ["/%00", "/index.html%00.txt", "/%2e%2e/", "/%2e%2e/secret.txt", "/..%2fsecret.txt",
             "/..%2f..%2f..%2fetc%2fpasswd", "/%2e%2e%2f%2e%2e%2fsecret.txt", "/..\\secret.txt",
             "/%5c..%5csecret.txt", "//etc/passwd", "/" + "a" * 5000, "/" + "a/" * 3000, "/%ff%fe",
             "/cities/%00/", "/.%00./", "/%c0%ae%c0%ae/secret.txt", "/?%00", "/static/../../secret.txt"]


@pytest.fixture(params=["disk", "memory"])
def preview(content, tmp_path, request):
    """A server of ``output/`` on disk, or of a :class:`~site_gen.serve.Preview`'s build in memory."""
    from site_gen.config import BuildConfig
    from site_gen.serve import Preview, make_server

    out = tmp_path / "site" / "output"
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "secret.txt").write_text("TOP-SECRET-BESIDE-OUTPUT")
    if request.param == "disk":
        assert build(content.root, out).exit_code == 0
        server = make_server(out, 0)
    else:
        built = Preview(BuildConfig(content_dir=content.root, out_dir=out, templates_dir=TEMPLATES, search=False))
        built.rebuild()
        assert built.site is not None
        server = make_server(out, 0, built)
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


# --- 9. Pagefind that exits 0 with a broken index -----------------------------------------------------

FAKE_PAGEFIND = r'''#!{python}
"""A stand-in for pagefind_extended that says the right things and writes a broken index."""
import base64, json, os, sys
MODE = {mode!r}
BANNER = "Running Pagefind v1.4.0 (Extended)"

def bundle():
    entry = {{"version": "1.4.0", "languages": {{"zh-cn": {{"hash": "zh-cn_0", "wasm": None, "page_count": 3}}}}}}
    files = {{"pagefind.js": b"x", "wasm.unknown.pagefind": b"x", "pagefind.zh-cn_0.pf_meta": b"x",
              "pagefind-entry.json": json.dumps(entry).encode()}}
    if MODE == "empty":
        files = {{name: b"" for name in files}}
    elif MODE == "missing-entry":
        del files["pagefind-entry.json"]
    elif MODE == "no-languages":
        files["pagefind-entry.json"] = json.dumps({{"version": "1.4.0", "languages": {{}}}}).encode()
    elif MODE == "missing-wasm":
        del files["wasm.unknown.pagefind"]
    elif MODE == "entry-not-json":
        files["pagefind-entry.json"] = b"{{\"version\": \"1.4"
    elif MODE == "truncated-meta":
        import gzip
        files["pagefind.zh-cn_0.pf_meta"] = gzip.compress(b"pagefind_dcd\x85e1.4.0\x94")[:-6]
    return files

def write_bundle(folder):
    os.makedirs(folder, exist_ok=True)
    for name, data in bundle().items():
        with open(os.path.join(folder, name), "wb") as handle:
            handle.write(data)

args = sys.argv[1:]
if "--version" in args:
    print("pagefind 1.4.0")
elif "--service" in args:
    def reply(message_id, payload):
        sys.stdout.write(base64.b64encode(json.dumps({{"message_id": message_id, "payload": payload}}).encode()).decode() + ",")
        sys.stdout.flush()
    buffer = b""
    while True:
        chunk = sys.stdin.buffer.read(1)
        if not chunk:
            sys.exit(0)
        if chunk != b",":
            buffer += chunk
            continue
        message = json.loads(base64.b64decode(buffer))
        buffer = b""
        kind = message["payload"]["type"]
        if kind == "NewIndex":
            reply(message["message_id"], {{"type": "NewIndex", "index_id": 0}})
        elif kind == "AddFile":
            reply(message["message_id"], {{"type": "IndexedFile", "page_word_count": 40,
                                           "page_url": message["payload"].get("url") or "/", "page_meta": {{}}}})
        elif kind == "WriteFiles":
            write_bundle(message["payload"]["output_path"])
            reply(message["message_id"], {{"type": "WriteFiles", "output_path": message["payload"]["output_path"]}})
        elif kind == "GetFiles":
            files = [{{"path": name, "content": base64.b64encode(data).decode()}} for name, data in bundle().items()]
            reply(message["message_id"], {{"type": "GetFiles", "files": files}})
        else:
            reply(message["message_id"], {{"type": kind}})
else:
    print()
    print(BANNER)
    site = args[args.index("--site") + 1]
    if any(name.endswith(".html") for _, _, names in os.walk(site) for name in names):
        write_bundle(os.path.join(site, "pagefind"))
        print("Indexed 3 pages")
sys.exit(0)
'''

BROKEN_INDEXES = ["empty", "missing-entry", "no-languages", "missing-wasm", "entry-not-json", "truncated-meta"]


@pytest.mark.parametrize("mode", BROKEN_INDEXES)
def test_pagefind_exiting_0_with_a_broken_index_fails_the_build(site, tmp_path, monkeypatch, mode):
    content, out, before = site
    fake = tmp_path / "bin" / "pagefind_extended"
    fake.parent.mkdir()
    fake.write_text(FAKE_PAGEFIND.format(python=sys.executable, mode=mode))
    fake.chmod(0o755)
    monkeypatch.setattr("site_gen.index.pagefind_executable", lambda: fake)
    result = run("build", "--content", str(content.root), "--out", str(out), "--templates", str(TEMPLATES))
    one_error_line(result, "search index", "pagefind")
    assert snapshot(out) == before
    assert not debris(tmp_path)
    record("hostile corpus: broken Pagefind indexes refused")


@pytest.mark.parametrize("banner, message", [
    ("Running Pagefind v1.5.2 (Extended)", "1.5.x misses Chinese words"),
    ("Running Pagefind v1.4.0", "without Chinese segmentation"),
    ("pagefind says hello", "could not tell which Pagefind ran"),
])
def test_pagefind_version_and_extended_checks_still_run(site, tmp_path, monkeypatch, banner, message):
    """The service is only started after the binary announced the pinned extended build."""
    content, out, before = site
    fake = tmp_path / "bin" / "pagefind_extended"
    fake.parent.mkdir()
    fake.write_text(f"#!{sys.executable}\nprint({banner!r})\nraise SystemExit(1)\n")
    fake.chmod(0o755)
    monkeypatch.setattr("site_gen.index.pagefind_executable", lambda: fake)
    result = run("build", "--content", str(content.root), "--out", str(out), "--templates", str(TEMPLATES))
    one_error_line(result, message)
    assert snapshot(out) == before
    assert not debris(tmp_path)


# --- 10. the search index does not depend on directory order -----------------------------------------


def test_search_index_does_not_depend_on_directory_order(content, tmp_path, monkeypatch):
    """Pagefind numbers pages in the order it finds them; on tmpfs that is the reverse of creation order."""
    import site_gen.build
    from site_gen.write import write_tree

    def reversed_tree(folder, files, *rest):
        for relative in reversed(sorted(files)):
            write_tree(folder, {relative: files[relative]}, *rest)

    places = [tmp_path]
    if Path("/dev/shm").is_dir() and os.access("/dev/shm", os.W_OK):
        places.append(Path(tempfile.mkdtemp(prefix="site-gen-order-", dir="/dev/shm")))
    trees = {}
    try:
        for place in places:
            for order in ("sorted", "reversed"):
                if order == "reversed":
                    monkeypatch.setattr(site_gen.build, "write_tree", reversed_tree)
                else:
                    monkeypatch.setattr(site_gen.build, "write_tree", write_tree)
                out = place / f"out-{order}"
                result = run("build", "--content", str(content.root), "--out", str(out), "--templates", str(TEMPLATES))
                assert result.exit_code == 0, result.output
                trees[(str(place), order)] = {k: v for k, v in snapshot(out).items() if k.startswith("pagefind/")}
    finally:
        for place in places[1:]:
            shutil.rmtree(place, ignore_errors=True)
    first = next(iter(trees.values()))
    assert len(first) > 10
    for key, tree in trees.items():
        assert tree == first, f"pagefind/ differs for {key}"
    record("hostile corpus: directory orders giving one search index", len(trees))
