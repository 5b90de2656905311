"""A real HTTP server on 127.0.0.1 serving copies of the sample repositories.

Paths pick a behaviour, so that one server covers every case:

    /essex/...                 the files as they are
    /redirect/essex/...        302 to /essex/...
    /truncate/essex/...        metadata (not repomd.xml) cut in half, Content-Length full
    /stall/essex/...           no answer until the test ends
    /missing/essex/...         404 for metadata other than repomd.xml
"""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.conftest import SAMPLE_REPOS


class Handler(SimpleHTTPRequestHandler):
    server: Server

    def log_message(self, format: str, *args: object) -> None:
        self.server.log.append(self.path)

    def do_GET(self) -> None:
        mode, _, rest = self.path.lstrip("/").partition("/")
        metadata = "/repodata/" in self.path and not self.path.endswith("repomd.xml")
        if mode == "redirect":
            self.send_response(302)
            self.send_header("Location", f"/{rest}")
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif mode == "stall":
            self.server.release.wait(30)
        elif mode == "missing" and metadata:
            self.send_error(404)
        elif mode == "truncate" and metadata:
            self._truncated(rest)
        else:
            if mode in ("missing", "truncate"):
                self.path = f"/{rest}"
            super().do_GET()

    def _truncated(self, rest: str) -> None:
        data = (Path(self.directory) / rest).read_bytes()
        self.send_response(200)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data[: len(data) // 2])
        self.wfile.flush()
        self.close_connection = True


class Server(ThreadingHTTPServer):
    daemon_threads = True
    release: threading.Event
    log: list[str]


@dataclass
class RepoServer:
    """The running server: ``url(path)``, the folder it serves, and ``stop()``."""

    root: Path
    server: Server
    thread: threading.Thread
    stopped: bool = field(default=False)

    @property
    def base(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def url(self, path: str) -> str:
        return f"{self.base}/{path}"

    @property
    def log(self) -> list[str]:
        return self.server.log

    def stop(self) -> None:
        if not self.stopped:
            self.stopped = True
            self.server.release.set()
            self.server.shutdown()
            self.server.server_close()
            self.thread.join(10)


@pytest.fixture
def repo_server(tmp_path: Path) -> Iterator[RepoServer]:
    root = tmp_path / "www"
    root.mkdir()
    shutil.copytree(SAMPLE_REPOS / "essex", root / "essex")
    server = Server(("127.0.0.1", 0), partial(Handler, directory=str(root)))
    server.release = threading.Event()
    server.log = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    running = RepoServer(root, server, thread)
    yield running
    running.stop()


@pytest.fixture(autouse=True)
def _fast_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Failures come at once: a short timeout and no retries (tests that need retries
    set them)."""
    monkeypatch.setenv("RPMGRAPH_TIMEOUT", "5")
    monkeypatch.setenv("RPMGRAPH_RETRIES", "0")
    for name in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY",
                 "all_proxy"):
        monkeypatch.delenv(name, raising=False)
