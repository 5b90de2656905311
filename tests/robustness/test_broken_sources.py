"""Corrupt .rpm files, and rpm databases that are missing, locked, foreign or damaged.
The installed database is only ever read."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.cli.test_bad_input import assert_user_error
from tests.conftest import Run
from tests.integration.test_sources import _tree_digest
from tests.support.rpmbuild import install_into_rpmdb

CopyRepo = Callable[[Path], Path]


@pytest.fixture
def junk_folder(mini_rpms: Path, tmp_path: Path) -> Path:
    folder = tmp_path / "rpms"
    shutil.copytree(mini_rpms, folder)
    app = (mini_rpms / "app-1.0-1.noarch.rpm").read_bytes()
    (folder / "a-truncated-header.rpm").write_bytes(app[:3000])
    (folder / "b-truncated-late.rpm").write_bytes(app[:6000])
    (folder / "c-empty.rpm").write_bytes(b"")
    (folder / "d-text.rpm").write_text("#!/bin/sh\necho this is not an rpm\n")
    (folder / "e-folder.rpm").mkdir()
    (folder / "README.txt").write_text("not a package, not named .rpm: not looked at\n")
    return folder


def test_corrupt_rpm_files_warn_each_and_go_on(run: Run, junk_folder: Path) -> None:
    result = run("graph", "--rpm", junk_folder, "cond", "-f", "json")
    assert result.exit_code == 0, result.stderr
    lines = result.stderr.splitlines()
    bad = ["a-truncated-header", "b-truncated-late", "c-empty", "d-text"]
    assert len(lines) == len(bad), lines  # one line per bad file, nothing from rpm itself
    for line, name in zip(lines, bad, strict=True):
        assert line.startswith(f"rpmgraph: warning: skipping {junk_folder / name}.rpm: "
                               "not a valid rpm package (")
    assert "read returned 0" in lines[0]  # rpm's reason: the file ends early
    assert '"cond-1.0-1.noarch"' in result.stdout


def test_only_corrupt_files_is_an_error(run: Run, junk_folder: Path) -> None:
    for good in junk_folder.glob("*.*.rpm"):  # name-version-release.arch.rpm
        good.unlink()
    result = run("graph", "--rpm", junk_folder, "cond")
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == (
        f"rpmgraph: error: none of the 4 .rpm files in {junk_folder} could be read")
    assert "Traceback" not in result.stderr


def test_a_text_file_given_as_rpm(run: Run, tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("hello\n")
    result = run("graph", "--rpm", notes, "x")
    assert result.exit_code == 2
    assert result.stderr.splitlines()[0].startswith(f"rpmgraph: warning: skipping {notes}")
    assert result.stderr.splitlines()[1].startswith("rpmgraph: error: none of the 1 .rpm")


def test_missing_rpm_path(run: Run, tmp_path: Path) -> None:
    assert_user_error(run("graph", "--rpm", tmp_path / "nope.rpm", "x"), "does not exist")


# ---------------------------------------------------------------- rpm databases


@pytest.fixture
def rpmdb_root(mini_rpms: Path, tmp_path: Path) -> Path:
    root = tmp_path / "root"
    install_into_rpmdb(root, [mini_rpms / "cond-1.0-1.noarch.rpm",
                              mini_rpms / "lonely-1.0-1.noarch.rpm",
                              mini_rpms / "tool-1.0-1.noarch.rpm"])
    return root


def test_relative_root_reads_the_database(run: Run, rpmdb_root: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(rpmdb_root.parent)
    result = run("tree", "--root", "root", "--dbpath", "/var/lib/rpm", "cond")
    assert result.exit_code == 0, result.stderr
    assert "lonely-1.0-1.noarch" in result.stdout


def test_folder_without_a_database_is_not_written_to(run: Run, tmp_path: Path) -> None:
    """rpm would create an empty rpmdb.sqlite there; rpmgraph must not let it."""
    dbdir = tmp_path / "var/lib/rpm"
    dbdir.mkdir(parents=True)
    (dbdir / "README").write_text("nothing here\n")
    result = run("graph", "--root", tmp_path, "--dbpath", "/var/lib/rpm", "cond")
    assert_user_error(result, f"no rpm database at {dbdir}")
    assert sorted(p.name for p in dbdir.iterdir()) == ["README"]


@pytest.mark.parametrize(("filename", "reason"), [
    ("rpmdb.sqlite", "file is not a database"),
    ("Packages", "not a berkeley db"),
])
def test_damaged_or_foreign_database(run: Run, tmp_path: Path, filename: str,
                                     reason: str) -> None:
    dbdir = tmp_path / "var/lib/rpm"
    dbdir.mkdir(parents=True)
    (dbdir / filename).write_bytes(bytes(range(256)) * 40)
    before = _tree_digest(tmp_path)
    result = run("graph", "--root", tmp_path, "--dbpath", "/var/lib/rpm", "cond")
    assert_user_error(result, f"cannot read the rpm database at {dbdir}", reason)
    assert _tree_digest(tmp_path) == before


@pytest.mark.parametrize("args", [
    ["--root", "{tmp}/nope"],
    ["--root", "{tmp}/file"],
    ["--root", "{tmp}", "--dbpath", "/no/such/db"],
])
def test_root_or_dbpath_that_does_not_exist(run: Run, tmp_path: Path, args: list[str]) -> None:
    (tmp_path / "file").write_text("a file, not a folder\n")
    result = run("graph", *[a.format(tmp=tmp_path) for a in args], "cond")
    assert_user_error(result, "does not exist" if "--dbpath" not in args else "no rpm database")


_LOCKER = """
import fcntl, sqlite3, sys, time
db = sys.argv[1]
lock = open(db.rsplit("/", 1)[0] + "/.rpm.lock", "w")
fcntl.flock(lock, fcntl.LOCK_EX)          # what rpm -i holds during a transaction
con = sqlite3.connect(db, isolation_level=None, timeout=1)
con.execute("BEGIN EXCLUSIVE")            # and a write transaction in progress
print("locked", flush=True)
time.sleep(30)
"""


def test_locked_database_is_read_without_waiting_or_writing(run: Run, rpmdb_root: Path) -> None:
    """A transaction in progress (rpm's lock file held, a write transaction open) does
    not block a reader of the WAL database, and reading changes nothing."""
    db = rpmdb_root / "var/lib/rpm/rpmdb.sqlite"
    locker = subprocess.Popen([sys.executable, "-c", _LOCKER, str(db)], stdout=subprocess.PIPE,
                              text=True)
    try:
        assert locker.stdout is not None and locker.stdout.readline() == "locked\n"
        before = _tree_digest(rpmdb_root)
        start = time.monotonic()
        result = run("tree", "--root", rpmdb_root, "--dbpath", "/var/lib/rpm", "cond")
        assert time.monotonic() - start < 10
        assert result.exit_code == 0, result.stderr
        assert "lonely-1.0-1.noarch" in result.stdout
        assert _tree_digest(rpmdb_root) == before
    finally:
        locker.kill()
        locker.wait()


def test_every_command_leaves_the_database_unchanged(run: Run, rpmdb_root: Path) -> None:
    before = _tree_digest(rpmdb_root)
    db = ["--root", rpmdb_root, "--dbpath", "/var/lib/rpm"]
    for args in (["graph", *db, "*", "-f", "json"], ["tree", *db, "cond"],
                 ["why", *db, "cond", "lonely"], ["cycles", *db],
                 ["graph", "--installed", *db, "--policy", "install", "cond"]):
        result = run(*args)
        assert result.exit_code == 0, (args, result.stderr)
    assert _tree_digest(rpmdb_root) == before
