"""Faults during a run: signals, Graphviz failing on one graph of a batch, a full disk,
a read-only folder. Nothing is ever left half-written."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest

from rpmgraph.forked import usable_cpus
from tests.cli.test_bad_input import assert_user_error
from tests.conftest import SAMPLE_REPOS, Run
from tests.robustness.support import RPMGRAPH, check_output, leftovers

ROOTS = ["lonely", "tool", "shell", "users"]


# ---------------------------------------------------------------- signals


def _restore_sigint() -> None:
    """A shell starts background jobs with SIGINT ignored; the test wants the default."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
@pytest.mark.parametrize("delay", [0.4, 1.5])
def test_signal_during_a_batch(tmp_path: Path, signum: int, delay: float) -> None:
    """Early: while loading; later: while Graphviz draws the 200 grizzly graphs."""
    out = tmp_path / "out"
    proc = subprocess.Popen(
        [str(RPMGRAPH), "graph", "--repo", str(SAMPLE_REPOS / "grizzly"), "*", "-O", str(out),
         "--format", "svg"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        start_new_session=True, preexec_fn=_restore_sigint)  # noqa: PLW1509 (no threads)
    time.sleep(delay)
    sent = time.monotonic()
    proc.send_signal(signum)
    _, stderr = proc.communicate(timeout=30)
    assert time.monotonic() - sent < 5, "exit promptly"
    assert b"Traceback" not in stderr
    if proc.returncode == -signum:  # so early that Python had not set its handlers up yet
        assert not out.exists()
        return
    assert proc.returncode == 128 + signum, stderr.decode()
    assert stderr.decode().rstrip().endswith("rpmgraph: interrupted")
    time.sleep(0.2)
    with pytest.raises(ProcessLookupError):  # no Graphviz process left running
        os.killpg(proc.pid, 0)
    if out.exists():
        assert not leftovers(out)
        for path in out.iterdir():
            ET.parse(path)  # every file there is whole


_SLOW_CHILD = """
import os, sys, time
from rpmgraph import resolve

marker_path, repo, out = sys.argv[1:]

def read_slowly(pool, ids):  # the forked child's work, made to last
    with open(marker_path, "w") as marker:
        marker.write(str(os.getpid()))
    time.sleep(60)

resolve._FORK_FROM = 1  # the sample repository is small: fork anyway
resolve._read_ahead = read_slowly
sys.argv = ["rpmgraph", "graph", "--repo", repo, "--policy", "all", "*", "-o", out]
from rpmgraph.cli import main
main()
"""


@pytest.mark.skipif(usable_cpus() < 2, reason="one usable CPU: nothing is forked")
@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_signal_while_a_forked_child_reads(tmp_path: Path, signum: int) -> None:
    """The whole repository's packages are read by a forked child: a signal to the
    command (not to the child) stops both, at once, leaving no file and no process."""
    marker, out = tmp_path / "child.pid", tmp_path / "all.dot"
    proc = subprocess.Popen(
        [sys.executable, "-c", _SLOW_CHILD, str(marker), str(SAMPLE_REPOS / "essex"), str(out)],
        stderr=subprocess.PIPE, preexec_fn=_restore_sigint)  # noqa: PLW1509 (no threads)
    deadline = time.monotonic() + 30
    while not marker.exists() or not marker.read_text():
        assert time.monotonic() < deadline and proc.poll() is None
        time.sleep(0.05)
    child = int(marker.read_text())
    proc.send_signal(signum)
    _, stderr = proc.communicate(timeout=10)
    assert proc.returncode == 128 + signum, stderr.decode()
    assert stderr.decode() == "rpmgraph: interrupted\n"
    with pytest.raises(ProcessLookupError):  # killed and reaped, not left sleeping
        os.kill(child, 0)
    assert not out.exists()
    assert not leftovers(tmp_path)


# ---------------------------------------------------------------- Graphviz faults


@pytest.fixture
def failing_dot(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The real Graphviz, except that it fails on the graph of package 'tool'."""
    import shutil

    real = shutil.which("dot")
    assert real is not None
    wrapper = tmp_path / "bin" / "dot"
    wrapper.parent.mkdir()
    wrapper.write_text(f"""#!/bin/sh
input=$(cat)
case "$input" in
  *'label="tool-1.0-1.noarch'*) echo "Error: simulated layout failure" >&2; exit 1;;
esac
printf '%s' "$input" | exec {real} "$@"
""")
    wrapper.chmod(0o755)
    monkeypatch.setenv("PATH", f"{wrapper.parent}:{os.environ['PATH']}")


@pytest.mark.usefixtures("failing_dot")
def test_graphviz_failing_on_one_graph_of_a_batch(run: Run, mini_repo: Path,
                                                  tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run("graph", "--repo", mini_repo, *ROOTS, "-O", out, "-f", "svg")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"rpmgraph: error: {out / 'tool.svg'}: Graphviz failed: Error: simulated layout failure",
        "rpmgraph: 1 of 4 graphs could not be written",
    ]
    assert sorted(p.name for p in out.iterdir()) == ["lonely.svg", "shell.svg", "users.svg"]
    for path in out.iterdir():
        check_output("svg", path.read_bytes())


def test_graphviz_missing_for_a_batch(run: Run, mini_repo: Path, tmp_path: Path,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """Every graph fails the same way: one message, exit 2, no file."""
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    out = tmp_path / "out"
    result = run("graph", "--repo", mini_repo, *ROOTS, "-O", out, "-f", "png")
    assert_user_error(result, "Graphviz's dot program is not installed")
    assert list(out.iterdir()) == []


def test_folder_in_the_way_of_one_file(run: Run, mini_repo: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    (out / "shell.json").mkdir(parents=True)
    result = run("graph", "--repo", mini_repo, *ROOTS, "-O", out, "-f", "json")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        f"rpmgraph: error: cannot write {out / 'shell.json'}: it is a folder "
        "(use -O for one file per root)")
    assert sorted(p.name for p in out.iterdir() if p.is_file()) == [
        "lonely.json", "tool.json", "users.json"]


# ---------------------------------------------------------------- full disk, read-only folder


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Path]:
    """A 32 KiB tmpfs: room for a few small files, not for a big one."""
    mountpoint = tmp_path / "disk"
    mountpoint.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=32k", "tmpfs",
                              str(mountpoint)], capture_output=True, text=True, check=False)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here (needs root): {mounted.stderr.strip()}")
    try:
        yield mountpoint
    finally:
        subprocess.run(["umount", str(mountpoint)], check=True)


def _fill(disk: Path, leave: int) -> None:
    """Fill the disk up to ``leave`` bytes of free space."""
    free = os.statvfs(disk).f_bavail * os.statvfs(disk).f_frsize
    (disk / "filler").write_bytes(b"x" * max(0, free - leave))


def test_full_disk_single_file(run: Run, mini_repo: Path, tiny_disk: Path) -> None:
    target = tiny_disk / "lonely.json"
    assert run("graph", "--repo", mini_repo, "lonely", "-f", "json", "-o", target).exit_code == 0
    _fill(tiny_disk, 0)
    result = run("graph", "--repo", mini_repo, "lonely", "-f", "svg", "-o", target)
    assert_user_error(result, f"cannot write {target}: No space left on device")
    assert sorted(p.name for p in tiny_disk.iterdir()) == ["filler", "lonely.json"]
    check_output("json", target.read_bytes())  # the earlier file is still there, whole


def test_full_disk_in_a_batch(run: Run, mini_repo: Path, tiny_disk: Path) -> None:
    """Room for some of the graphs: those are written whole, the others named."""
    out = tiny_disk / "out"
    out.mkdir()
    _fill(tiny_disk, 12288)
    roots = ["lonely", "tool", "shell", "users", "docs", "extras", "engine", "data", "native"]
    result = run("graph", "--repo", mini_repo, *roots, "-O", out, "-f", "svg")
    assert result.exit_code == 1, result.stderr
    errors = result.stderr.splitlines()
    assert errors[-1] == f"rpmgraph: {len(errors) - 1} of {len(roots)} graphs could not be written"
    for line in errors[:-1]:
        assert line.startswith(f"rpmgraph: error: cannot write {out}/")
        assert line.endswith(".svg: No space left on device")
    assert not leftovers(tiny_disk)
    assert len(list(out.iterdir())) == len(roots) - (len(errors) - 1)
    for path in out.iterdir():
        check_output("svg", path.read_bytes())


def test_read_only_output_folder(run: Run, mini_repo: Path, tiny_disk: Path) -> None:
    (tiny_disk / "out").mkdir()
    subprocess.run(["mount", "-o", "remount,ro", str(tiny_disk)], check=True)
    result = run("graph", "--repo", mini_repo, *ROOTS, "-O", tiny_disk / "out", "-f", "dot")
    assert_user_error(result, f"cannot write into output folder {tiny_disk / 'out'}")
    result = run("graph", "--repo", mini_repo, "lonely", "-o", tiny_disk / "x.dot")
    assert_user_error(result, f"cannot write {tiny_disk / 'x.dot'}: Read-only file system")


# ---------------------------------------------------------------- the temporary file


def test_a_signal_while_the_temporary_file_is_made_leaves_nothing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Ctrl-C raised the moment the temporary file exists, before the call that made it
    has returned its name (seen under load in a batch: blocking the signal around
    ``mkstemp`` did not close that window, a signal already received is still raised)."""
    from rpmgraph.safefiles import write_output

    made = os.open

    def interrupted(path: str | os.PathLike[str], flags: int, mode: int = 0o777,
                    **kwargs: object) -> int:
        fd = made(path, flags, mode, **kwargs)  # type: ignore[arg-type]
        if not str(path).endswith(".tmp"):
            return fd
        os.close(fd)
        raise KeyboardInterrupt  # as Python's handler does at its next chance

    monkeypatch.setattr(os, "open", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_output(str(tmp_path / "x.dot"), [b"digraph {}\n"])
    monkeypatch.undo()
    assert list(tmp_path.iterdir()) == []
