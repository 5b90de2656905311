"""The ends of compressed metadata streams: a stream that fails after a whole, valid
document (only its trailer cut, or garbage after it) is refused as corrupt, and nothing
of it is cached; every compression gives a warm pool equal to the cold one."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import solv

from rpmgraph.pool import LoadOptions, Source, SourceKind, build_pool
from tests.cli.test_bad_input import assert_user_error
from tests.conftest import Run
from tests.support.repomd_edit import replace_file, rewrite

CopyRepo = Callable[[Path], Path]


# Cutting only the end of the stream (gzip's CRC and size, xz's footer, the last bytes of
# a bzip2 or zstd stream) leaves a complete document: only the decompressor sees the cut.
@pytest.mark.parametrize(("compress", "count"), [("gz", 4), ("gz", 8), ("xz", 6),
                                                 ("bz2", 2), ("zst", 2)])
@pytest.mark.parametrize("kind", ["primary", "filelists"])
def test_stream_cut_after_a_complete_document(run: Run, mini_repo: Path, copy_repo: CopyRepo,
                                              tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                              compress: str, count: int, kind: str) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    repo = copy_repo(mini_repo)
    path = rewrite(repo, kind, compress=compress)
    replace_file(path, path.read_bytes()[:-count])
    assert_user_error(run("graph", "--repo", repo, "app"), str(path), "corrupt or truncated")
    assert not list((tmp_path / "cache").rglob("*.solv")), "nothing of it is cached"


def test_garbage_after_the_stream(run: Run, mini_repo: Path, copy_repo: CopyRepo) -> None:
    repo = copy_repo(mini_repo)
    path = rewrite(repo, "primary")
    replace_file(path, path.read_bytes() + b"garbage after the gzip member")
    assert_user_error(run("graph", "--repo", repo, "app"), str(path), "corrupt or truncated")


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
    assert len(cold) > 10
    assert packages() == cold
