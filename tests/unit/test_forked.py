"""rpmgraph.forked: work done in a forked child, its value sent back, failures as None."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from rpmgraph.forked import Forked, can_fork, usable_cpus


def _no_child_left() -> bool:
    try:
        os.waitpid(-1, os.WNOHANG)
    except ChildProcessError:
        return True
    return False


def test_the_value_comes_from_another_process() -> None:
    parent = os.getpid()
    with Forked(lambda: (os.getpid(), [("x86_64", 1, 2.5)], {"a": b"b"})) as child:
        pid, values, mapping = child.result()
    assert pid != parent
    assert values == [("x86_64", 1, 2.5)]
    assert mapping == {"a": b"b"}
    assert _no_child_left()


def test_the_parent_works_while_the_child_does() -> None:
    """Both sleep 0.5 s: together, not one after the other."""
    start = time.monotonic()
    with Forked(lambda: time.sleep(0.5) or "done") as child:
        time.sleep(0.5)
        assert child.result() == "done"
    assert time.monotonic() - start < 0.95


def test_a_failing_child_gives_none_and_prints_nothing(capfd: pytest.CaptureFixture[str]
                                                        ) -> None:
    def work() -> None:
        raise RuntimeError("broken")

    with Forked(work) as child:
        assert child.result() is None
    assert capfd.readouterr() == ("", "")
    assert _no_child_left()


def test_the_child_alone_runs_without_the_collector() -> None:
    """(Its finalizers would run on the parent's garbage: a temporary folder's removal.)"""
    import gc

    assert gc.isenabled()
    with Forked(gc.isenabled) as child:
        assert child.result() is False
    assert gc.isenabled()


def test_a_value_marshal_cannot_carry_gives_none() -> None:
    with Forked(object) as child:
        assert child.result() is None


def test_a_killed_child_gives_none() -> None:
    def work() -> int:
        os.kill(os.getpid(), signal.SIGKILL)
        return 1

    with Forked(work) as child:
        assert child.result() is None


def test_leaving_early_kills_and_reaps_the_child() -> None:
    with pytest.raises(KeyboardInterrupt), Forked(lambda: time.sleep(60)):
        raise KeyboardInterrupt
    assert _no_child_left()


def test_the_child_writes_none_of_the_parents_unflushed_output() -> None:
    """Buffered output copied into the child must not be written a second time."""
    script = ("import sys\n"
              "from rpmgraph.forked import Forked\n"
              "print('before', end='\\n')\n"  # buffered: stdout is a pipe
              "with Forked(lambda: 42) as child:\n"
              "    print(child.result())\n")
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         check=True)
    assert out.stdout == "before\n42\n"
    assert out.stderr == ""


def test_can_fork_follows_rpmgraph_jobs_and_threads(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("RPMGRAPH_JOBS", raising=False)
    several = usable_cpus() > 1 and threading.active_count() == 1
    assert can_fork() is several
    monkeypatch.setenv("RPMGRAPH_JOBS", "1")
    assert can_fork() is False
    monkeypatch.setenv("RPMGRAPH_JOBS", "2")
    assert can_fork() is several
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert can_fork() is False
    finally:
        stop.set()
        thread.join()


def test_a_fork_the_system_refuses_leaves_no_pipe_open(monkeypatch: pytest.MonkeyPatch
                                                        ) -> None:
    def refuse() -> int:
        raise BlockingIOError(11, "Resource temporarily unavailable")

    before = set(Path("/proc/self/fd").iterdir())
    monkeypatch.setattr(os, "fork", refuse)
    with pytest.raises(OSError, match="temporarily unavailable"):
        Forked(lambda: 1)
    assert set(Path("/proc/self/fd").iterdir()) == before
