"""``rpmgraph FILE.rpm...`` with no command prints what rpm's own rpmgraph prints."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import SAMPLE_REPOS, Run

RPM_RPMGRAPH = Path("/usr/bin/rpmgraph")
OURS = Path(sys.executable).parent / "rpmgraph"
needs_rpm_tool = pytest.mark.skipif(
    not RPM_RPMGRAPH.exists(), reason="no /usr/bin/rpmgraph (Debian: the rpm package; "
    "Fedora: rpm-devel)")


def packages(release: str, pattern: str = "*.rpm") -> list[str]:
    return sorted(str(p) for p in (SAMPLE_REPOS / release / "Packages").glob(pattern))


def rpm_says(files: list[str]) -> str:
    done = subprocess.run([str(RPM_RPMGRAPH), *files], capture_output=True, text=True,
                          check=True)
    assert done.stderr == ""
    return done.stdout


@needs_rpm_tool
@pytest.mark.parametrize(("release", "pattern"), [
    ("essex", "*.rpm"), ("folsom", "*.rpm"), ("grizzly", "*.rpm"),
    ("essex", "openstack-*.rpm"), ("essex", "python-eventlet*.rpm"), ("essex", "bash-*.rpm"),
])
def test_same_output_as_rpms_own_rpmgraph(release: str, pattern: str) -> None:
    files = packages(release, pattern)
    expected = rpm_says(files)
    assert expected.startswith("digraph XXX {\n  rankdir=LR\n")
    done = subprocess.run([str(OURS), *files], capture_output=True, text=True, check=False)
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout == expected


@needs_rpm_tool
def test_same_order_whatever_the_order_given(run: Run) -> None:
    """rpm orders by dependencies; files given twice count once, as in rpm's."""
    files = packages("essex", "glibc*.rpm") + packages("essex", "bash-*.rpm")
    again = [*reversed(files), files[0]]
    assert run(*again).stdout == rpm_says(again)


def test_small_case_by_hand(run: Run) -> None:
    files = [*packages("essex", "setup-*.rpm"), *packages("essex", "filesystem-*.rpm")]
    result = run(*files)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ('digraph XXX {\n  rankdir=LR\n//===== Packages:\n  "setup"\n'
                             '  { rank=max ; "setup" }\n  "filesystem" -> "setup"\n}\n')


def test_help_mentions_it(run: Run) -> None:
    shown = run("--help").stdout
    assert "Usage: rpmgraph [OPTIONS] COMMAND [ARGS]... | FILE.rpm..." in shown
    assert "'rpmgraph FILE.rpm...' (no command) does what rpm's own rpmgraph does" in shown


def test_errors_are_one_line(run: Run, tmp_path: Path) -> None:
    missing = run(tmp_path / "missing.rpm")
    assert (missing.exit_code, missing.stdout) == (2, "")
    assert missing.stderr == (f"rpmgraph: error: cannot read {tmp_path}/missing.rpm: "
                              "No such file or directory\n")
    (tmp_path / "junk.rpm").write_text("not a package\n")
    junk = run(tmp_path / "junk.rpm")
    assert junk.exit_code == 2 and junk.stderr.startswith(
        f"rpmgraph: error: {tmp_path}/junk.rpm is not a valid rpm package (")


def test_commands_still_win(run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "tree").write_text("a file named like a command\n")
    result = run("tree", "--help")
    assert result.exit_code == 0 and "Usage: rpmgraph tree" in result.stdout
