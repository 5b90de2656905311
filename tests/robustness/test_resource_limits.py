"""Hostile input, round two (issue 17): every byte count, wait and number that comes from
metadata or a server is bounded by a limit of rpmgraph's own, and a breach is one line and
exit 2, in bounded memory and time."""

from __future__ import annotations

import hashlib
import os
import re
import resource
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import zstandard

from tests.cli.test_bad_input import assert_user_error
from tests.conftest import Run
from tests.robustness.support import RPMGRAPH

CopyRepo = Callable[[Path], Path]
XML_HEAD = b'<?xml version="1.0" encoding="UTF-8"?>\n'


def _block(repo: Path, kind: str) -> str:
    text = (repo / "repodata" / "repomd.xml").read_text()
    found = re.search(rf'<data type="{kind}">.*?</data>', text, re.S)
    assert found is not None
    return found.group(0)


def _edit_block(repo: Path, kind: str, edit: Callable[[str], str]) -> None:
    repomd = repo / "repodata" / "repomd.xml"
    block = _block(repo, kind)
    repomd.write_text(repomd.read_text().replace(block, edit(block)))


def put_metadata(repo: Path, kind: str, data: bytes, name: str,
                 size: bool = True) -> Path:
    """Make ``data`` the ``kind`` file of ``repo``, with its checksum (and size, unless
    ``size`` is False) in repomd.xml and no open-size."""
    path = repo / "repodata" / name
    path.write_bytes(data)
    digest = hashlib.sha256(data).hexdigest()

    def edit(block: str) -> str:
        block = re.sub(r'href="[^"]+"', f'href="repodata/{name}"', block)
        block = re.sub(r'<checksum type="\w+">\w+</checksum>',
                       f'<checksum type="sha256">{digest}</checksum>', block)
        block = re.sub(r"\s*<open-(size|checksum)[^<]*</open-\w+>", "", block)
        return re.sub(r"<size>\d+</size>", f"<size>{len(data)}</size>" if size else "", block)

    _edit_block(repo, kind, edit)
    return path


def zstd_zeros(megabytes: int) -> bytes:
    """A zstd frame of ``megabytes`` MiB of zeros after an XML declaration (a few KB)."""
    packer = zstandard.ZstdCompressor(level=1).compressobj()
    zeros = bytes(1 << 20)
    parts = [packer.compress(XML_HEAD)]
    parts += [packer.compress(zeros) for _ in range(megabytes)]
    return b"".join(parts) + packer.flush()


def run_limited(*args: object, memory: int = 768 << 20, timeout: float = 60,
                env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """The real CLI with an address-space limit."""

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))

    return subprocess.run([str(RPMGRAPH), *map(str, args)], capture_output=True, text=True,
                          timeout=timeout, preexec_fn=limit, check=False,
                          env={**os.environ, **(env or {})})


def assert_one_line_error(result: subprocess.CompletedProcess[str], *fragments: str) -> None:
    assert result.returncode == 2, result.stderr
    assert result.stderr.count("\n") == 1, result.stderr
    assert result.stderr.startswith("rpmgraph: error: ")
    for fragment in fragments:
        assert fragment in result.stderr, result.stderr


# ---------------------------------------------------------------- 1. zstd, chunk by chunk


def test_zstd_bomb_is_refused_in_bounded_memory(mini_repo: Path, copy_repo: CopyRepo) -> None:
    """1 GiB of zeros in ~32 KB of zstd: refused at the cap, without ever holding the
    expansion in memory (the address space is limited to 768 MiB)."""
    repo = copy_repo(mini_repo)
    path = put_metadata(repo, "primary", zstd_zeros(1024), "bomb-primary.xml.zst")
    assert path.stat().st_size < 64 << 10
    result = run_limited("graph", "--repo", repo, "lonely", "-f", "json")
    assert_one_line_error(result, str(path), "expands to more than", "RPMGRAPH_MAX_RATIO")


# ---------------------------------------------------------------- 10. numbers from metadata


@pytest.mark.parametrize("size", ["\u00b2", "\u0663", "9" * 5000, "-5", "1e9", "0x10"])
def test_sizes_in_repomd_are_parsed_strictly(run: Run, mini_repo: Path, copy_repo: CopyRepo,
                                             size: str) -> None:
    repo = copy_repo(mini_repo)
    _edit_block(repo, "primary", lambda b: re.sub(r"<size>\d+</size>", f"<size>{size}</size>", b))
    result = run("graph", "--repo", repo, "lonely", "-f", "json")
    assert_user_error(result, "repomd.xml gives <size>", "which is not a size in bytes")
    assert len(result.stderr) < 400


def test_open_size_of_a_terabyte_does_not_lift_the_cap(mini_repo: Path, copy_repo: CopyRepo,
                                                      tmp_path: Path) -> None:
    """open-size says 1 TB; the file is a 200 MiB bomb: refused at rpmgraph's own ratio cap
    (64 MiB here), before it is all pushed through TMPDIR."""
    repo = copy_repo(mini_repo)
    path = put_metadata(repo, "primary", zstd_zeros(200), "big-primary.xml.zst")
    _edit_block(repo, "primary", lambda b: b.replace("</size>",
                                                     "</size>\n<open-size>10" + "0" * 11 +
                                                     "</open-size>"))
    start = time.monotonic()
    result = run_limited("graph", "--repo", repo, "lonely", "-f", "json")
    assert_one_line_error(result, str(path), "more than the 67108864 bytes")
    assert time.monotonic() - start < 30


def test_unpacked_cap_can_be_changed(mini_repo: Path, copy_repo: CopyRepo) -> None:
    """RPMGRAPH_MAX_UNPACKED lowers the cap below what repomd.xml's open-size allows."""
    repo = copy_repo(mini_repo)
    result = run_limited("graph", "--repo", repo, "lonely", "-f", "json",
                         env={"RPMGRAPH_MAX_UNPACKED": "1000"})
    assert_one_line_error(result, "expands to more than the 1000 bytes")
    result = run_limited("graph", "--repo", repo, "lonely", "-f", "json",
                         env={"RPMGRAPH_MAX_UNPACKED": "lots"})
    assert_one_line_error(result, "RPMGRAPH_MAX_UNPACKED='lots' is not a whole number")


# ---------------------------------------------------------------- 5. local files: type, size


def test_fifo_in_place_of_primary_does_not_hang(mini_repo: Path, copy_repo: CopyRepo) -> None:
    repo = copy_repo(mini_repo)
    primary = repo / _href(repo, "primary")
    primary.unlink()
    os.mkfifo(primary)
    result = run_limited("graph", "--repo", repo, "lonely", timeout=20)
    assert_one_line_error(result, str(primary), "not a regular file")


def _href(repo: Path, kind: str) -> str:
    found = re.search(r'href="([^"]+)"', _block(repo, kind))
    assert found is not None
    return found.group(1)


def test_local_file_larger_than_repomd_says_is_not_read(run: Run, mini_repo: Path,
                                                       copy_repo: CopyRepo,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """The size is compared before reading: a sparse 64 GiB primary is refused at once."""
    repo = copy_repo(mini_repo)
    primary = repo / _href(repo, "primary")
    with primary.open("r+b") as handle:
        handle.truncate(64 << 30)
    start = time.monotonic()
    assert_user_error(run("graph", "--repo", repo, "lonely"), "size mismatch", str(primary),
                      f"the file has {64 << 30}")
    assert time.monotonic() - start < 5
    # Without a size in repomd.xml, the cap of RPMGRAPH_MAX_DOWNLOAD applies.
    _edit_block(repo, "primary", lambda b: re.sub(r"<size>\d+</size>", "", b))
    monkeypatch.setenv("RPMGRAPH_MAX_DOWNLOAD", str(1 << 20))
    assert_user_error(run("graph", "--repo", repo, "lonely"), str(primary),
                      "more than the 1048576 rpmgraph reads", "RPMGRAPH_MAX_DOWNLOAD")


# ---------------------------------------------------------------- 2, 6. downloads


class _Hostile(BaseHTTPRequestHandler):
    """Serves a repository folder, except: /endless/... sends a body that never ends,
    /trickle/... sends metadata a byte at a time (a fraction of a second apart)."""

    directory: Path
    stop: threading.Event

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        mode, _, rest = self.path.lstrip("/").partition("/")
        path = self.directory / rest
        metadata = not rest.endswith("repomd.xml")
        if not path.is_file():
            self.send_error(404)
            return
        self.send_response(200)
        self.end_headers()  # no Content-Length: the body ends when the connection does
        try:
            if mode == "endless" and metadata:
                chunk = b"<" * (1 << 16)
                while not self.stop.is_set():
                    self.wfile.write(chunk)
            elif mode == "trickle" and metadata:
                for byte in path.read_bytes()[:200]:
                    if self.stop.wait(0.1):
                        break
                    self.wfile.write(bytes([byte]))
                    self.wfile.flush()
            else:
                self.wfile.write(path.read_bytes())
        except OSError:
            pass
        self.close_connection = True


@contextmanager
def hostile_server(folder: Path) -> Iterator[str]:
    handler = type("Handler", (_Hostile,), {"directory": folder, "stop": threading.Event()})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    host, port = server.server_address[:2]
    try:
        yield f"http://{host!s}:{port}"
    finally:
        handler.stop.set()
        server.shutdown()
        server.server_close()
        thread.join(10)


@pytest.fixture
def no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RPMGRAPH_RETRIES", "0")
    for name in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY",
                 "all_proxy"):
        monkeypatch.delenv(name, raising=False)


@pytest.mark.usefixtures("no_proxy")
def test_endless_primary_without_a_size_is_cut_at_the_cap(mini_repo: Path, copy_repo: CopyRepo,
                                                         tmp_path: Path) -> None:
    repo = copy_repo(mini_repo)
    _edit_block(repo, "primary", lambda b: re.sub(r"<size>\d+</size>", "", b))
    with hostile_server(repo) as base:
        result = run_limited("graph", "--repo", f"{base}/endless/", "--cachedir", tmp_path / "c",
                             "lonely", env={"RPMGRAPH_MAX_DOWNLOAD": str(32 << 20)})
    assert_one_line_error(result, f"{base}/endless/{_href(repo, 'primary')}",
                          f"over {32 << 20} bytes", "RPMGRAPH_MAX_DOWNLOAD")


@pytest.mark.usefixtures("no_proxy")
def test_timeout_bounds_the_whole_download(mini_repo: Path, copy_repo: CopyRepo,
                                           tmp_path: Path) -> None:
    """A byte every 0.1 s never trips a per-read timeout of 1 s; the whole download must
    still end after about 1 s, as curl's --max-time would."""
    repo = copy_repo(mini_repo)
    with hostile_server(repo) as base:
        start = time.monotonic()
        result = run_limited("graph", "--repo", f"{base}/trickle/", "--cachedir", tmp_path / "c",
                             "lonely", env={"RPMGRAPH_TIMEOUT": "1"})
        took = time.monotonic() - start
    assert_one_line_error(result, "not done within 1 s", "RPMGRAPH_TIMEOUT bounds a whole")
    assert took < 10


@pytest.mark.parametrize("value", ["0", "-1", "nan", "inf", "1e999", "\u0663", "soon"])
def test_bad_timeouts_are_one_line(run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                   value: str) -> None:
    monkeypatch.setenv("RPMGRAPH_TIMEOUT", value)
    result = run("graph", "--repo", "http://127.0.0.1:9/", "--cachedir", tmp_path / "c",
                 "lonely")
    assert_user_error(result, f"RPMGRAPH_TIMEOUT={value!r} is not a number of seconds")



@pytest.mark.usefixtures("no_proxy")
@pytest.mark.parametrize("preference", ["abc", "\u00b2", "9" * 5000, "-3"])
def test_metalink_preference_that_is_not_a_number(run: Run, mini_repo: Path,
                                                  copy_repo: CopyRepo, tmp_path: Path,
                                                  preference: str) -> None:
    """An unreadable preference counts as 0: the mirror is still tried, nothing crashes."""
    repo = copy_repo(mini_repo)
    with hostile_server(repo) as base:
        (repo / "metalink.xml").write_text(
            '<?xml version="1.0"?><metalink xmlns="http://www.metalinker.org/"><files>'
            '<file name="repomd.xml"><resources>'
            f'<url preference="{preference}">{base}/plain/repodata/repomd.xml</url>'
            "</resources></file></files></metalink>")
        (tmp_path / "m.repo").write_text(f"[m]\nmetalink={base}/plain/metalink.xml\n")
        result = run("graph", "--repofile", tmp_path / "m.repo", "--cachedir", tmp_path / "c",
                     "lonely", "-f", "json")
    assert result.exit_code == 0, result.stderr
    assert '"lonely-1.0-1.noarch"' in result.stdout


# ---------------------------------------------------------------- 15. mirror list schemes


@pytest.mark.usefixtures("no_proxy")
def test_remote_mirrorlist_cannot_send_us_to_local_folders(run: Run, mini_repo: Path,
                                                          copy_repo: CopyRepo,
                                                          tmp_path: Path) -> None:
    repo = copy_repo(mini_repo)
    with hostile_server(repo) as base:
        (repo / "mirrors.txt").write_text(f"file://{mini_repo}/\n")
        (tmp_path / "m.repo").write_text(f"[m]\nmirrorlist={base}/plain/mirrors.txt\n")
        result = run("graph", "--repofile", tmp_path / "m.repo", "--cachedir", tmp_path / "c",
                     "lonely", "-f", "json")
    assert_user_error(result, f"mirrorlist {base}/plain/mirrors.txt lists no http or https URL",
                      "may not name local files")
    # A local mirror list may name local folders.
    (tmp_path / "mirrors.txt").write_text(f"file://{mini_repo}/\n")
    (tmp_path / "l.repo").write_text(f"[l]\nmirrorlist=file://{tmp_path}/mirrors.txt\n")
    result = run("graph", "--repofile", tmp_path / "l.repo", "--cachedir", tmp_path / "c",
                 "lonely", "-f", "json")
    assert result.exit_code == 0, result.stderr


# ---------------------------------------------------------------- 15. a full TMPDIR


def test_full_tmpdir_is_not_reported_as_corrupt_metadata(mini_repo: Path,
                                                         copy_repo: CopyRepo) -> None:
    """Writing the decompressed primary fails (here: RLIMIT_FSIZE, as a full disk would);
    the message says so, and does not blame the metadata."""
    from tests.support.repomd_edit import rewrite

    repo = copy_repo(mini_repo)
    rewrite(repo, "primary", lambda xml: xml + b"<!--" + b" " * (4 << 20) + b"-->\n")

    def small_files() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (1 << 20, 1 << 20))

    result = subprocess.run([str(RPMGRAPH), "graph", "--repo", str(repo), "lonely", "-f", "json"],
                            capture_output=True, text=True, timeout=60, check=False,
                            preexec_fn=small_files)
    assert_one_line_error(result, "cannot decompress", "into the temporary folder",
                          "File too large", "TMPDIR")
    assert "corrupt" not in result.stderr
