"""Remote repositories over real HTTP: the same graph as the folder, and every failure
refused with one clear line."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from tests.conftest import SAMPLE_REPOS, Run
from tests.remote.conftest import RepoServer

ROOT_PKG = "openstack-nova"


def graph(run: Run, *args: object) -> dict[str, object]:
    result = run("graph", *args, ROOT_PKG, "-f", "json")
    assert result.exit_code == 0, result.stderr
    doc: dict[str, object] = json.loads(result.stdout)
    return doc


def without_sources(doc: dict[str, object]) -> dict[str, object]:
    return {k: v for k, v in doc.items() if k != "sources"}


@pytest.fixture
def local(run: Run, tmp_path: Path) -> dict[str, object]:
    return graph(run, "--repo", SAMPLE_REPOS / "essex", "--cachedir", tmp_path / "local-cache")


def test_remote_graph_equals_the_local_one(run: Run, repo_server: RepoServer,
                                           local: dict[str, object], tmp_path: Path) -> None:
    remote = graph(run, "--repo", repo_server.url("essex"), "--cachedir", tmp_path / "c")
    assert without_sources(remote) == without_sources(local)
    assert remote["sources"] == [f"repo:{repo_server.url('essex')}"]
    assert {n["repo"] for n in remote["nodes"]} == {"essex"}  # type: ignore[attr-defined]


def test_named_remote_repository(run: Run, repo_server: RepoServer, tmp_path: Path) -> None:
    doc = graph(run, "--repo", f"updates={repo_server.url('essex/')}",
                "--cachedir", tmp_path / "c")
    assert {n["repo"] for n in doc["nodes"]} == {"updates"}  # type: ignore[attr-defined]


def test_file_url(run: Run, local: dict[str, object], tmp_path: Path) -> None:
    url = (SAMPLE_REPOS / "essex").as_uri()
    assert without_sources(graph(run, "--repo", url, "--cachedir", tmp_path / "c")) == \
        without_sources(local)


def test_redirect_is_followed(run: Run, repo_server: RepoServer, local: dict[str, object],
                              tmp_path: Path) -> None:
    doc = graph(run, "--repo", repo_server.url("redirect/essex"), "--cachedir", tmp_path / "c")
    assert without_sources(doc) == without_sources(local)
    assert any(p.startswith("/redirect/") for p in repo_server.log)


def _primary(repo: Path) -> Path:
    return next((repo / "repodata").glob("*-primary.xml.gz"))


def test_tampered_primary_is_refused_and_not_cached(run: Run, repo_server: RepoServer,
                                                    tmp_path: Path) -> None:
    primary = _primary(repo_server.root / "essex")
    data = bytearray(primary.read_bytes())
    data[len(data) // 2] ^= 0xFF  # same size, other bytes
    primary.write_bytes(bytes(data))
    cache = tmp_path / "c"
    result = run("graph", "--repo", repo_server.url("essex"), "--cachedir", cache, ROOT_PKG)
    assert result.exit_code == 2
    assert result.stderr.startswith("rpmgraph: error: checksum mismatch for "
                                    f"{repo_server.url('essex/repodata/')}")
    assert primary.name in result.stderr
    assert len(result.stderr.splitlines()) == 1
    kept = [p.name for p in cache.rglob("*") if p.is_file()]
    assert not [k for k in kept if k.endswith((".gz", ".solv", "repomd.xml"))], kept
    # and -C has nothing to use afterwards
    again = run("graph", "--repo", repo_server.url("essex"), "--cachedir", cache, "-C", ROOT_PKG)
    assert again.exit_code == 2
    assert "no cached metadata for repository essex" in again.stderr


def test_not_found(run: Run, repo_server: RepoServer, tmp_path: Path) -> None:
    url = repo_server.url("nowhere")
    result = run("graph", "--repo", url, "--cachedir", tmp_path / "c", ROOT_PKG)
    assert result.exit_code == 2
    assert result.stderr == (f"rpmgraph: error: cannot download {url}/repodata/repomd.xml: "
                             "HTTP 404 File not found\n")


def test_missing_primary(run: Run, repo_server: RepoServer, tmp_path: Path) -> None:
    result = run("graph", "--repo", repo_server.url("missing/essex"),
                 "--cachedir", tmp_path / "c", ROOT_PKG)
    assert result.exit_code == 2
    assert "HTTP 404" in result.stderr and "primary.xml.gz" in result.stderr


def test_truncated_download(run: Run, repo_server: RepoServer, tmp_path: Path) -> None:
    result = run("graph", "--repo", repo_server.url("truncate/essex"),
                 "--cachedir", tmp_path / "c", ROOT_PKG)
    assert result.exit_code == 2
    assert result.stderr.startswith("rpmgraph: error: the download of "
                                    f"{repo_server.url('truncate/essex/repodata/')}")
    assert "was cut short" in result.stderr


def test_stalled_server_times_out(run: Run, repo_server: RepoServer, tmp_path: Path,
                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RPMGRAPH_TIMEOUT", "0.5")
    start = time.monotonic()
    result = run("graph", "--repo", repo_server.url("stall/essex"),
                 "--cachedir", tmp_path / "c", ROOT_PKG)
    assert time.monotonic() - start < 5
    assert result.exit_code == 2
    assert result.stderr == (f"rpmgraph: error: cannot download "
                             f"{repo_server.url('stall/essex/repodata/repomd.xml')}: not done "
                             "within 0.5 s (RPMGRAPH_TIMEOUT bounds a whole download, in "
                             "seconds)\n")


def test_retries_are_bounded(run: Run, tmp_path: Path,
                             monkeypatch: pytest.MonkeyPatch) -> None:
    """Nothing listens on the port: a few quick retries, then one line."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    monkeypatch.setenv("RPMGRAPH_RETRIES", "2")
    start = time.monotonic()
    result = run("graph", "--repo", f"http://127.0.0.1:{port}/essex",
                 "--cachedir", tmp_path / "c", ROOT_PKG)
    assert time.monotonic() - start < 10
    assert result.exit_code == 2
    assert "Connection refused" in result.stderr


def test_unsupported_scheme(run: Run) -> None:
    result = run("graph", "--repo", "gopher://example.org/essex", ROOT_PKG)
    assert result.exit_code == 2
    assert "unsupported URL 'gopher://example.org/essex'" in result.stderr


def test_cache_only_after_the_server_is_gone(run: Run, repo_server: RepoServer,
                                             local: dict[str, object], tmp_path: Path) -> None:
    cache = tmp_path / "c"
    url = repo_server.url("essex")
    first = graph(run, "--repo", url, "--cachedir", cache)
    repo_server.stop()
    offline = graph(run, "--repo", url, "--cachedir", cache, "-C")
    assert offline == first
    assert without_sources(offline) == without_sources(local)
    without = run("graph", "--repo", url, "--cachedir", cache, ROOT_PKG)
    assert without.exit_code == 2 and "Connection refused" in without.stderr
    empty = run("graph", "--repo", url, "--cachedir", tmp_path / "empty", "-C", ROOT_PKG)
    assert empty.exit_code == 2
    assert empty.stderr == (f"rpmgraph: error: no cached metadata for repository essex ({url}); "
                            "run once without -C/--cache-only\n")


def test_warm_remote_run_downloads_only_repomd(run: Run, repo_server: RepoServer,
                                               tmp_path: Path) -> None:
    cache = tmp_path / "c"
    graph(run, "--repo", repo_server.url("essex"), "--cachedir", cache)
    repo_server.log.clear()
    graph(run, "--repo", repo_server.url("essex"), "--cachedir", cache)
    assert repo_server.log == ["/essex/repodata/repomd.xml"]
    repo_server.log.clear()
    graph(run, "--repo", repo_server.url("essex"), "--cachedir", cache, "--refresh")
    assert len(repo_server.log) == 3, "--refresh downloads repomd, primary and filelists"
