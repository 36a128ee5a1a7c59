"""Serve the built site (``site/``) on 127.0.0.1 only: ``make lite-serve``; the tests use it too.

Python's own static server, with the content types a browser insists on for this site: the
Pyodide runtime is an ES module (``.mjs``) and WebAssembly compiles fastest as
``application/wasm``. Any static host (GitHub Pages, a university web space) does the same.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, ClassVar

SITE = Path(__file__).resolve().parents[1] / "site"

CONTENT_TYPES = {
    ".mjs": "text/javascript",
    ".js": "text/javascript",
    ".wasm": "application/wasm",
    ".whl": "application/zip",
    ".json": "application/json",
    ".ipynb": "application/json",
}


class SiteHandler(http.server.SimpleHTTPRequestHandler):
    extensions_map: ClassVar[dict[str, str]] = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        **CONTENT_TYPES,
    }

    def copyfile(self, source: Any, outputfile: Any) -> None:
        """Send a file, counting its bytes (bench/lite_bench.py: what a first visit costs)."""
        counted = 0
        try:
            while chunk := source.read(64 * 1024):
                outputfile.write(chunk)
                counted += len(chunk)
        except (BrokenPipeError, ConnectionResetError):
            # The browser went away mid-file (a closed tab, a cancelled fetch): nothing to
            # report, and no traceback on the server's console.
            self.close_connection = True
        with self.server.lock:  # type: ignore[attr-defined]
            self.server.bytes_sent += counted  # type: ignore[attr-defined]

    def log_message(self, format: str, *args: object) -> None:
        if self.server.quiet:  # type: ignore[attr-defined]
            return
        super().log_message(format, *args)


class SiteServer(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, root: Path, port: int = 0, *, quiet: bool = False) -> None:
        handler = functools.partial(SiteHandler, directory=str(root))
        super().__init__(("127.0.0.1", port), handler)
        self.quiet = quiet
        self.bytes_sent = 0  # file bodies sent so far
        self.lock = threading.Lock()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


@contextmanager
def serving(root: Path = SITE) -> Iterator[SiteServer]:
    """The site served from a background thread on a free port, shut down on exit."""
    if not (root / "index.html").is_file():
        raise FileNotFoundError(f"no site in {root}: run `make lite` first")
    server = SiteServer(root, quiet=True)
    thread = threading.Thread(target=server.serve_forever, name="lite-site", daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--directory", type=Path, default=SITE)
    args = parser.parse_args()
    if not (args.directory / "index.html").is_file():
        raise SystemExit(f"no site in {args.directory}: run `make lite` first")
    server = SiteServer(args.directory, args.port)
    print(f"Serving {args.directory} at {server.base_url}/ (the lessons in JupyterLab: "
          f"{server.base_url}/lab/index.html). Ctrl+C stops.")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
