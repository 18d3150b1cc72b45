"""``site-gen serve``: a local preview that rebuilds when content changes.

The server is bound to 127.0.0.1 only.  It serves ``output/`` by path, so the
atomic swap of a rebuild is picked up by the next request; after a failed
rebuild the problems are printed and the last good site stays up.
"""

from __future__ import annotations

import functools
import http.server
import threading
from pathlib import Path

import click

from site_gen.config import BuildConfig
from site_gen.errors import BuildError, ContentError, printable, printable_lines


class PreviewHandler(http.server.SimpleHTTPRequestHandler):
    """Static files, with the site's own 404 page and no request log noise."""

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


def make_server(out_dir: Path, port: int) -> http.server.ThreadingHTTPServer:
    handler = functools.partial(PreviewHandler, directory=str(out_dir))
    return http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)


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
    click.echo(printable(f"built {result.pages} pages into {config.out_dir}/"))
    return True


def changed_line(changes: set[tuple[object, str]]) -> str:
    """``changed: a.yaml, b.md``: the names of changed files (anyone's, so escaped), at most five."""
    names = sorted({Path(path).name for _, path in changes})
    return printable(f"changed: {', '.join(names[:5])}{' …' if len(names) > 5 else ''}")


def serve_forever(config: BuildConfig, port: int) -> None:
    """Build, serve and rebuild on change until Ctrl-C."""
    from watchfiles import watch

    rebuild(config)
    config.out_dir.mkdir(parents=True, exist_ok=True)
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
