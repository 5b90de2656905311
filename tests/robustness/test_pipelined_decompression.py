"""Metadata is decompressed by a child process while libsolv parses it: a stream that
fails after libsolv has seen a whole, valid document is still refused, libsolv giving
up early does not leave the child hanging, and no process is left behind."""

from __future__ import annotations

import gzip
import hashlib
import os
import time
from collections.abc import Callable
from pathlib import Path

import pytest
import solv

from rpmgraph.errors import SourceError
from rpmgraph.pool import LoadOptions, Source, SourceKind, build_pool
from rpmgraph.sources.decompress import decompressed
from tests.cli.test_bad_input import assert_user_error
from tests.conftest import Run
from tests.support.repomd_edit import rewrite

CopyRepo = Callable[[Path], Path]


def _no_children() -> bool:
    try:
        os.waitpid(-1, os.WNOHANG)
    except ChildProcessError:
        return True
    return False


def _replace(path: Path, new: bytes) -> None:
    """Give a metadata file other bytes, and repomd.xml their size and checksum (as a
    mirror that stored a damaged file would serve it)."""
    old = path.read_bytes()
    repomd = path.parent / "repomd.xml"
    text = repomd.read_text().replace(hashlib.sha256(old).hexdigest(),
                                      hashlib.sha256(new).hexdigest())
    repomd.write_text(text.replace(f"<size>{len(old)}</size>", f"<size>{len(new)}</size>"))
    path.write_bytes(new)


# Cutting only the end of the stream (gzip's CRC and size, xz's footer, the last bytes of
# a bzip2 or zstd stream) may leave libsolv a complete document: only the child sees the cut.
@pytest.mark.parametrize(("compress", "count"), [("gz", 4), ("gz", 8), ("xz", 6),
                                                 ("bz2", 2), ("zst", 2)])
@pytest.mark.parametrize("kind", ["primary", "filelists"])
def test_stream_cut_after_a_complete_document(run: Run, mini_repo: Path, copy_repo: CopyRepo,
                                              tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                              compress: str, count: int, kind: str) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    repo = copy_repo(mini_repo)
    path = rewrite(repo, kind, compress=compress)
    _replace(path, path.read_bytes()[:-count])
    assert_user_error(run("graph", "--repo", repo, "app"), str(path), "corrupt or truncated")
    assert not list((tmp_path / "cache").rglob("*.solv")), "nothing of it is cached"
    assert _no_children()


def test_garbage_after_the_stream(run: Run, mini_repo: Path, copy_repo: CopyRepo) -> None:
    repo = copy_repo(mini_repo)
    path = rewrite(repo, "primary")
    _replace(path, path.read_bytes() + b"garbage after the gzip member")
    assert_user_error(run("graph", "--repo", repo, "app"), str(path), "corrupt or truncated")


def test_libsolv_giving_up_early_does_not_hang() -> None:
    """Bad XML at the start and megabytes after it: libsolv stops reading at once; the
    rest is read and checked all the same, and its error is libsolv's."""
    data = gzip.compress(b"<metadata><oops>" + b"<x/>" * (4 << 20), compresslevel=1)
    start = time.monotonic()
    with decompressed(data, "bad.xml.gz", 1 << 30) as fd:
        assert os.read(fd, 10) == b"<metadata>"
    assert time.monotonic() - start < 30
    assert _no_children()


def test_errors_of_the_child_are_raised_after_the_block() -> None:
    data = gzip.compress(b"<metadata/>" * 500_000)  # megabytes come before the cut end
    with pytest.raises(SourceError, match="corrupt or truncated"), \
            decompressed(data[:-3], "cut.xml.gz", 1 << 30) as fd:
        assert os.read(fd, 1 << 20).startswith(b"<metadata/>")
    with pytest.raises(SourceError, match="expands to more than the 100 bytes"), \
            decompressed(data, "big.xml.gz", 100) as fd:
        os.read(fd, 10)
    assert _no_children()


def test_an_error_in_the_block_stops_the_child() -> None:
    data = gzip.compress(b"\0" * (64 << 20), compresslevel=1)
    with pytest.raises(KeyboardInterrupt), \
            decompressed(data, "zeros.gz", 1 << 30) as fd:
        os.read(fd, 10)
        raise KeyboardInterrupt
    assert _no_children()


@pytest.mark.parametrize("compress", ["gz", "xz", "bz2", "zst", ""])
def test_cold_and_warm_pools_hold_the_same_packages(mini_repo: Path, copy_repo: CopyRepo,
                                                    tmp_path: Path, compress: str) -> None:
    repo = copy_repo(mini_repo)
    for kind in ("primary", "filelists"):
        rewrite(repo, kind, compress=compress)

    def packages() -> list[tuple[str, list[str]]]:
        loaded = build_pool([Source(SourceKind.REPO, repo)], "x86_64", None, None, print,
                            LoadOptions(cachedir=tmp_path))
        return [(str(s), sorted(str(d) for key in (solv.SOLVABLE_REQUIRES,
                                                   solv.SOLVABLE_PROVIDES)
                                for d in s.lookup_deparray(key)))
                for s in loaded.solvables()]

    cold = packages()
    assert len(cold) > 10 and _no_children()
    assert packages() == cold


def test_the_child_moves_and_clears_the_progress_bar(tmp_path: Path) -> None:
    """Progress is drawn by the process that decompresses: it updates the bar to the
    whole compressed size, then closes it (a terminal bar clears its line)."""
    log = tmp_path / "bar.log"

    class Bar:
        def update(self, n: int, /) -> None:
            with log.open("a") as out:
                out.write(f"{os.getpid()} update {n}\n")

        def close(self) -> None:
            with log.open("a") as out:
                out.write(f"{os.getpid()} close\n")

    data = gzip.compress(os.urandom(3 << 20))
    with decompressed(data, "x.gz", 1 << 30, Bar()) as fd:
        while os.read(fd, 1 << 20):
            pass
    lines = [line.split() for line in log.read_text().splitlines()]
    assert {pid for pid, *_ in lines} != {str(os.getpid())}
    assert sum(int(line[2]) for line in lines if line[1] == "update") == len(data)
    assert lines[-1][1] == "close"
