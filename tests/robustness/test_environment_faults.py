"""Hostile input, round two (issue 17): what the machine does to a run (a closed terminal,
a read-only cache, a damaged rpm database) and text that reaches the terminal."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import SAMPLE_REPOS
from tests.robustness.support import RPMGRAPH, leftovers

# ---------------------------------------------------------------- 14. SIGHUP


def test_sighup_during_a_batch_cleans_up_like_sigterm(tmp_path: Path) -> None:
    out = tmp_path / "out"
    proc = subprocess.Popen(
        [str(RPMGRAPH), "graph", "--repo", str(SAMPLE_REPOS / "grizzly"), "*", "-O", str(out),
         "--format", "svg"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        start_new_session=True)
    deadline = time.monotonic() + 30
    while not (out.is_dir() and any(out.iterdir())) and time.monotonic() < deadline:
        time.sleep(0.05)  # Graphviz is drawing once the first file is there
    proc.send_signal(signal.SIGHUP)
    _, stderr = proc.communicate(timeout=30)
    assert b"Traceback" not in stderr
    assert proc.returncode == 128 + signal.SIGTERM, stderr.decode()
    assert stderr.decode().rstrip().endswith("rpmgraph: interrupted")
    time.sleep(0.2)
    with pytest.raises(ProcessLookupError):  # no Graphviz process left running
        os.killpg(proc.pid, 0)
    assert not leftovers(out)
    for path in out.iterdir():
        ET.parse(path)


# ---------------------------------------------------------------- 12. a read-only cache


def _as_another_user() -> None:
    """Run as nobody when the tests run as root (root may write anywhere)."""
    if os.geteuid() == 0:
        os.setgid(65534)
        os.setuid(65534)


@pytest.fixture
def shared(mini_repo: Path) -> Iterator[Path]:
    """A folder everyone may read (pytest's own are the owner's only), with the mini
    repository in it."""
    folder = Path(tempfile.mkdtemp(prefix="rpmgraph-shared-"))
    folder.chmod(0o755)
    shutil.copytree(mini_repo, folder / "mini")
    for path in folder.rglob("*"):
        path.chmod(0o755 if path.is_dir() else 0o644)
    yield folder
    shutil.rmtree(folder)


@pytest.fixture
def readonly_cache(shared: Path) -> Path:
    """A cache filled for the shared mini repository, that the runs below cannot write
    to (as nobody when the tests run as root; else by its permissions)."""
    cache = shared / "cache"
    result = subprocess.run([str(RPMGRAPH), "graph", "--repo", str(shared / "mini"),
                             "--cachedir", str(cache), "lonely", "-f", "json"],
                            capture_output=True, check=False)
    assert result.returncode == 0, result.stderr
    for path in [*cache.rglob("*"), cache]:
        writable = os.geteuid() == 0
        path.chmod((0o755 if writable else 0o555) if path.is_dir()
                   else (0o644 if writable else 0o444))
    return cache


@pytest.mark.parametrize("args", [["--refresh"], ["new"], []])
def test_readonly_cache_falls_back_with_a_warning(readonly_cache: Path, shared: Path,
                                                  args: list[str]) -> None:
    repo = shared / "mini"
    if args == ["new"]:  # a repository the cache has not seen
        repo = shared / "other"
        shutil.copytree(shared / "mini", repo)
        args = []
    result = subprocess.run([str(RPMGRAPH), "graph", "--repo", str(repo), "--cachedir",
                             str(readonly_cache), "lonely", "-f", "json", *args],
                            capture_output=True, text=True, check=False,
                            preexec_fn=_as_another_user)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert '"lonely-1.0-1.noarch"' in result.stdout
    warnings = result.stderr.splitlines()
    assert len(warnings) <= 1, warnings
    if warnings:
        assert warnings[0].startswith("rpmgraph: warning: cannot use the cache ")
        assert warnings[0].endswith("reading metadata without it")


def test_readonly_cache_clean_is_one_line(readonly_cache: Path) -> None:
    if os.geteuid() != 0:  # the folders are read-only, which rmtree cannot get past either
        pytest.skip("needs root, to run as another user")
    result = subprocess.run([str(RPMGRAPH), "cache", "clean", "--cachedir", str(readonly_cache)],
                            capture_output=True, text=True, check=False,
                            preexec_fn=_as_another_user)
    assert result.returncode == 2, result.stderr
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith("rpmgraph: error: cannot remove ")


# ---------------------------------------------------------------- 15. cache list


def test_cache_list_shows_no_terminal_escapes(mini_repo: Path, tmp_path: Path) -> None:
    repofile = tmp_path / "evil.repo"
    repofile.write_text(f"[evil\x1b]0;owned\x07\x1b[31m]\nbaseurl=file://{mini_repo}\n")
    cache = tmp_path / "c"
    result = subprocess.run([str(RPMGRAPH), "graph", "--repofile", str(repofile), "--cachedir",
                             str(cache), "lonely", "-f", "json"], capture_output=True,
                            text=True, check=False)
    assert result.returncode == 0, result.stderr
    listed = subprocess.run([str(RPMGRAPH), "cache", "list", "--cachedir", str(cache)],
                            capture_output=True, text=True, check=False)
    assert listed.returncode == 0, listed.stderr
    assert "\x1b" not in listed.stdout and "\x07" not in listed.stdout
    assert "evil\\x1b]0;owned\\x07\\x1b[31m" in listed.stdout


# ---------------------------------------------------------------- 13. a damaged rpmdb header


def test_damaged_rpmdb_header_is_warned_about(mini_rpms: Path, tmp_path: Path) -> None:
    """rpm skips a record whose header it cannot read, and ``rpm -qa`` says so; rpmgraph
    warns too, naming the record, and goes on with the others."""
    import sqlite3

    from tests.support.rpmbuild import install_into_rpmdb

    root = tmp_path / "root"
    install_into_rpmdb(root, [mini_rpms / f"{n}-1.0-1.noarch.rpm" for n in ("lonely", "tool")])
    database = root / "var/lib/rpm/rpmdb.sqlite"
    with sqlite3.connect(database) as db:
        (hnum, blob), *_ = db.execute("select hnum, blob from Packages order by hnum")
        db.execute("update Packages set blob = ? where hnum = ?", (b"\xff" * 8 + blob[8:], hnum))
    db.close()
    result = subprocess.run([str(RPMGRAPH), "graph", "--root", str(root), "--dbpath",
                             "/var/lib/rpm", "*", "-f", "json"], capture_output=True, text=True,
                            check=False)
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines() == [
        f"rpmgraph: warning: the rpm database at {root}/var/lib/rpm has a record rpm cannot "
        f"read, skipped: h# {hnum} (hdr tags: BAD, no. of tags(4294967295) out of range)"]
    assert result.stdout.count('"name": ') == 1  # the other package is there


# ---------------------------------------------------------------- 15. cache files bound


def test_solv_file_of_another_repository_is_not_trusted(mini_repo: Path, tmp_path: Path) -> None:
    """primary.solv records the repomd.xml it was made from: one copied in from another
    repository's folder is dropped (with a warning) and the XML read instead."""
    from tests.robustness.support import synthetic_repo

    other = synthetic_repo(tmp_path / "other", {"stranger": []})
    cache = tmp_path / "c"

    def graph(repo: Path) -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(RPMGRAPH), "graph", "--repo", str(repo), "--cachedir",
                               str(cache), "*", "-f", "json"], capture_output=True, text=True,
                              check=False)

    assert graph(mini_repo).returncode == 0
    assert graph(other).returncode == 0
    (mini_solv,) = cache.glob("repos/mini-*/*/primary.solv")
    (other_solv,) = cache.glob("repos/other-*/*/primary.solv")
    shutil.copy(mini_solv, other_solv)
    result = graph(other)
    assert result.returncode == 0, result.stderr
    assert '"stranger-1.0-1.noarch"' in result.stdout
    assert '"lonely-1.0-1.noarch"' not in result.stdout
    assert result.stderr == (f"rpmgraph: warning: {other_solv} was made from other metadata; "
                             "reading the XML instead\n")
    assert graph(other).stderr == ""  # the cache was written again, right this time


def test_file_lists_of_another_repository_are_not_trusted(tmp_path: Path) -> None:
    """filelists.solv records the repomd.xml it was made from too: one copied in from
    another repository (as many packages, other files) is dropped with a warning."""
    from tests.support.rpmbuild import Spec, build_rpms, make_repo

    def repo(name: str, folder: str) -> Path:
        path = tmp_path / name
        build_rpms([Spec(name=f"{name}-user", requires=[f"/opt/{folder}/data"]),
                    Spec(name=f"{name}-data", files={f"/opt/{folder}/data": "x"})], path)
        return make_repo(path)

    first, second = repo("first", "one"), repo("second", "two")
    cache = tmp_path / "c"

    def graph(path: Path) -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(RPMGRAPH), "graph", "--repo", str(path), "--cachedir",
                               str(cache), "--policy", "all", "*", "-f", "list"],
                              capture_output=True, text=True, check=False)

    assert graph(first).stdout.split() == ["first-data-1.0-1.noarch", "first-user-1.0-1.noarch"]
    right = graph(second)
    assert right.stderr == ""
    (first_solv,) = cache.glob("repos/first-*/*/filelists.solv")
    (second_solv,) = cache.glob("repos/second-*/*/filelists.solv")
    for primary in cache.glob("repos/second-*/*/primary.solv"):
        primary.unlink()  # (its file provides would answer without the file lists)
    shutil.copy(first_solv, second_solv)
    result = graph(second)
    assert (result.returncode, result.stdout) == (0, right.stdout)
    assert result.stderr == (f"rpmgraph: warning: {second_solv} was made from other "
                             "metadata; reading the XML instead\n")
