"""``site-gen serve``: a local preview that rebuilds when content changes.

The server is bound to 127.0.0.1 only.  It serves ``output/`` by path, so the
atomic swap of a rebuild is picked up by the next request; after a failed
rebuild (for any reason, a bug included) the problems are printed and the
last good site stays up.
"""

from __future__ import annotations

import functools
import http.server
import os
import sys
import threading
import urllib.parse
from pathlib import Path
from typing import Any, Iterable

import click

from site_gen.config import BuildConfig
from site_gen.errors import BuildError, ContentError, printable, printable_lines, shorten


# Longer request paths are refused before they reach the file system.
MAX_PATH_LENGTH = 2048


class PreviewHandler(http.server.SimpleHTTPRequestHandler):
    """Static files, with the site's own 404 page and no request log noise.

    Paths are checked before the standard handler maps them to files: a NUL
    byte (which makes ``open`` raise ValueError, not OSError), a ``..``
    segment however it is encoded, a backslash, or a path over
    ``MAX_PATH_LENGTH`` is a 400; anything whose real path is not under the
    served folder is a 404.
    """

    def _bad_path(self) -> bool:
        path = self.path.split("?", 1)[0].split("#", 1)[0]
        decoded = urllib.parse.unquote(path, errors="surrogateescape")
        return (len(self.path) > MAX_PATH_LENGTH or "\x00" in decoded or "\\" in decoded
                or any(part == ".." for part in decoded.split("/")))

    def send_head(self) -> Any:  # the standard library's own (untyped) signature
        if self._bad_path():
            self.send_error(400, "Bad request path")
            return None
        root = os.path.realpath(self.directory)
        try:
            real = os.path.realpath(self.translate_path(self.path))
        except (ValueError, OSError):
            self.send_error(400, "Bad request path")
            return None
        if real != root and not real.startswith(root + os.sep):
            self.send_error(404, "File not found")
            return None
        try:
            return super().send_head()
        except ValueError:
            self.send_error(400, "Bad request path")
            return None

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = Path(self.directory) / "404.html"
        if code == 404 and page.is_file():
            body = page.read_bytes()
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)
            return
        super().send_error(code, message, explain)

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib name
        pass


class PreviewServer(http.server.ThreadingHTTPServer):
    """A request that fails in a way the handler did not foresee costs one line, not a traceback."""

    daemon_threads = True

    def handle_error(self, request, client_address) -> None:  # type: ignore[no-untyped-def]
        error = sys.exc_info()[1]
        if isinstance(error, (ConnectionError, TimeoutError)):
            return  # the browser went away
        click.echo(f"error: request from {client_address[0]} failed: {type(error).__name__}: {error}", err=True)


def make_server(out_dir: Path, port: int) -> http.server.ThreadingHTTPServer:
    handler = functools.partial(PreviewHandler, directory=str(out_dir))
    return PreviewServer(("127.0.0.1", port), handler)


def rebuild(config: BuildConfig) -> bool:
    """Build once, printing the outcome; True on success."""
    from site_gen.build import build_site

    try:
        result = build_site(config)
    except ContentError as error:
        click.echo(error.report(), err=True)
        click.echo(f"{len(error.problems)} problem(s); still serving the last good build.", err=True)
        return False
    except BuildError as error:
        click.echo(printable_lines(f"error: {error}; still serving the last good build."), err=True)
        return False
    except Exception as error:  # noqa: BLE001 - whatever broke, the preview keeps serving
        message = printable(str(error)) or "no message"
        click.echo(f"error: the rebuild failed ({type(error).__name__}: {shorten(message, 300)}); "
                   "still serving the last good build.", err=True)
        return False
    click.echo(printable(f"built {result.pages} pages into {config.out_dir}/"))
    return True


def changed_line(changes: Iterable[tuple[object, str]]) -> str:
    """``changed: a.yaml, b.md``: the names of changed files (anyone's, so escaped), at most five."""
    names = sorted({Path(path).name for _, path in changes})
    return printable(f"changed: {', '.join(names[:5])}{' …' if len(names) > 5 else ''}")


def serve_forever(config: BuildConfig, port: int) -> None:
    """Build, serve and rebuild on change until Ctrl-C."""
    from watchfiles import watch

    rebuild(config)
    try:
        config.out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise click.ClickException(f"cannot serve {config.out_dir}: {exc.strerror}") from exc
    try:
        server = make_server(config.out_dir, port)
    except OSError as exc:
        raise click.ClickException(f"cannot listen on 127.0.0.1:{port}: {exc.strerror}") from exc
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    click.echo(printable(f"serving http://127.0.0.1:{port}/ — watching {config.content_dir}/ and "
                         f"{config.templates_dir}/; Ctrl-C to stop"))
    watched = [str(p) for p in (config.content_dir, config.templates_dir) if p.exists()]
    try:
        for changes in watch(*watched, raise_interrupt=True):
            click.echo(changed_line(changes))
            rebuild(config)
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
        server.server_close()
        click.echo("stopped")
