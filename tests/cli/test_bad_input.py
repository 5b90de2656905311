"""Bad input: one line on stderr naming what is wrong, exit code 2, no traceback,
and no output file left behind."""

from __future__ import annotations

import gzip
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import Run


def primary_of(repo: Path) -> Path:
    return next((repo / "repodata").glob("*-primary.xml.gz"))


def assert_user_error(result: object, *fragments: str) -> None:
    exit_code = result.exit_code  # type: ignore[attr-defined]
    stderr: str = result.stderr  # type: ignore[attr-defined]
    assert exit_code == 2, stderr
    assert stderr.count("\n") == 1, f"expected one line, got: {stderr!r}"
    assert stderr.startswith("rpmgraph: error: ")
    assert "Traceback" not in stderr
    for fragment in fragments:
        assert fragment in stderr


def test_usage_errors_point_at_the_help_of_the_command_given(run: Run) -> None:
    assert_user_error(run("nosuch"), "No such command 'nosuch'", "(see 'rpmgraph --help')")
    assert_user_error(run("graph", "--format", "x", "y"), "'--format'",
                      "(see 'rpmgraph graph --help')")
    assert_user_error(run("cache", "list", "--bogus"), "No such option",
                      "(see 'rpmgraph cache list --help')")


def test_missing_repository(run: Run, tmp_path: Path) -> None:
    result = run("graph", "--repo", tmp_path / "nope", "app")
    assert_user_error(result, f"repository {tmp_path / 'nope'} does not exist")


def test_folder_that_is_not_a_repository(run: Run, tmp_path: Path) -> None:
    result = run("graph", "--repo", tmp_path, "app")
    assert_user_error(result, "is not an rpm-md repository", "--rpm")


def test_corrupt_primary_with_matching_checksum(run: Run, mini_repo: Path,
                                                copy_repo: Callable[[Path], Path]) -> None:
    """Valid gzip, valid checksum, broken XML: libsolv's parser must refuse it."""
    repo = copy_repo(mini_repo)
    primary = primary_of(repo)
    primary.write_bytes(gzip.compress(b"<metadata><package type='rpm'><name>x</oops>"))
    _fix_checksum(repo, primary)
    result = run("graph", "--repo", repo, "app")
    assert_user_error(result, str(primary), "not valid rpm-md metadata")


def test_truncated_primary(run: Run, mini_repo: Path, copy_repo: Callable[[Path], Path]) -> None:
    repo = copy_repo(mini_repo)
    primary = primary_of(repo)
    primary.write_bytes(primary.read_bytes()[:200])
    _fix_checksum(repo, primary)
    assert_user_error(run("graph", "--repo", repo, "app"), str(primary), "corrupt or truncated")


def test_checksum_mismatch(run: Run, mini_repo: Path, copy_repo: Callable[[Path], Path]) -> None:
    repo = copy_repo(mini_repo)
    primary = primary_of(repo)
    data = bytearray(primary.read_bytes())
    data[-10] ^= 0xFF
    primary.write_bytes(bytes(data))
    assert_user_error(run("graph", "--repo", repo, "app"), "checksum mismatch", str(primary))


def test_unknown_package(run: Run, mini_repo: Path) -> None:
    assert_user_error(run("graph", "--repo", mini_repo, "libcor"),
                      "no package or capability matches 'libcor'", "did you mean libcore")


def test_unwritable_output_folder(run: Run, mini_repo: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    result = run("graph", "--repo", mini_repo, "app", "-O", blocker / "out")
    assert_user_error(result, "cannot create output folder")


def test_output_into_missing_folder(run: Run, mini_repo: Path, tmp_path: Path) -> None:
    result = run("graph", "--repo", mini_repo, "app", "-o", tmp_path / "no" / "app.dot")
    assert_user_error(result, "does not exist")
    assert not (tmp_path / "no").exists()


def test_failed_render_leaves_no_file(run: Run, mini_repo: Path, tmp_path: Path,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """Graphviz missing: nothing half-written, the message says what to do."""
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    out = tmp_path / "app.svg"
    result = run("graph", "--repo", mini_repo, "app", "-o", out)
    assert_user_error(result, "Graphviz", "--format dot")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("args", [
    ["graph", "--kinds", "requires,bogus", "app"],
    ["graph", "-o", "x.dot", "-O", "out", "app"],
    ["graph", "-o", "x.unknown", "app"],
    ["graph"],
])
def test_usage_errors(run: Run, mini_repo: Path, args: list[str]) -> None:
    result = run(*args[:1], "--repo", mini_repo, *args[1:])
    assert_user_error(result, "rpmgraph graph --help")


def test_empty_rpm_database(run: Run, tmp_path: Path) -> None:
    (tmp_path / "var/lib/rpm").mkdir(parents=True)
    result = run("graph", "--installed", "--root", tmp_path, "--dbpath", "/var/lib/rpm", "app")
    assert_user_error(result, "no rpm database at", "--repo PATH")


def test_missing_root_folder(run: Run, tmp_path: Path) -> None:
    assert_user_error(run("graph", "--root", tmp_path / "nope", "app"), "--root", "does not exist")


def test_rpm_folder_with_junk_warns_and_goes_on(run: Run, mini_rpms: Path,
                                                copy_repo: Callable[[Path], Path]) -> None:
    folder = copy_repo(mini_rpms)
    (folder / "junk.rpm").write_bytes(b"this is not an rpm")
    result = run("graph", "--rpm", folder, "lib", "-f", "json")
    assert result.exit_code == 0
    assert result.stderr.startswith(f"rpmgraph: warning: skipping {folder / 'junk.rpm'}")


def _fix_checksum(repo: Path, changed: Path) -> None:
    """Rewrite repomd.xml so the damaged file passes the checksum and size checks."""
    import hashlib
    import re

    repomd = repo / "repodata" / "repomd.xml"
    text = repomd.read_text()
    name = changed.name
    block = re.search(r"<data type=\"primary\">.*?</data>", text, re.S)
    assert block is not None and name in block.group(0)
    new_block = re.sub(r"<checksum type=\"sha256\">\w+</checksum>",
                       f'<checksum type="sha256">{hashlib.sha256(changed.read_bytes()).hexdigest()}'
                       "</checksum>", block.group(0))
    new_block = re.sub(r"<size>\d+</size>", f"<size>{changed.stat().st_size}</size>", new_block)
    repomd.write_text(text.replace(block.group(0), new_block))


def test_decompression_bomb_is_refused(run: Run, mini_repo: Path,
                                       copy_repo: Callable[[Path], Path]) -> None:
    """A small gzip of 200 MB of zeros, with a valid checksum: decompression stops at the
    open-size repomd.xml gives instead of filling the disk."""
    repo = copy_repo(mini_repo)
    primary = primary_of(repo)
    primary.write_bytes(gzip.compress(b"\0" * (200 << 20), compresslevel=1))
    _fix_checksum(repo, primary)
    assert_user_error(run("graph", "--repo", repo, "app"), str(primary),
                      "expands to more than the", "decompression bomb")
