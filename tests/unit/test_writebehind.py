"""Cache writes left for a forked child as the command exits (sources/writebehind.py):
the command's output ends before the writes do, the writes still land, and without
``write_later`` (a library user) they are done at once."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path

from rpmgraph.sources import writebehind
from tests.conftest import SAMPLE_REPOS

_SCRIPT = """
import sys, time
from pathlib import Path

from rpmgraph.sources import writebehind

def slow_write():
    time.sleep(3)
    Path(sys.argv[1]).write_text("written")

writebehind.write_later()
writebehind.later(slow_write)
print("the answer", flush=True)
writebehind.finish()
print("after finish", flush=True)
"""


def test_the_output_ends_before_the_writes(tmp_path: Path) -> None:
    """stdout closes when the command exits (a pipe reading it is not kept waiting);
    stderr, which the writer keeps for its warnings, closes once the write is done."""
    target = tmp_path / "written"
    proc = subprocess.Popen([sys.executable, "-c", _SCRIPT, str(target)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None and proc.stderr is not None
    start = time.monotonic()
    out = proc.stdout.read()
    assert out == b"the answer\nafter finish\n"
    assert not target.exists(), "the command ended before its write"
    assert proc.wait() == 0 and time.monotonic() - start < 3
    assert proc.stderr.read() == b""  # until the writer's end
    assert target.read_text() == "written"


def test_without_write_later_writes_are_done_at_once() -> None:
    done: list[int] = []
    writebehind.later(lambda: done.append(1))
    assert done == [1]
    writebehind.finish()  # nothing queued: nothing forked
    assert done == [1]


def test_a_cold_command_leaves_a_cache_that_the_next_one_reads(tmp_path: Path) -> None:
    """Through the command line (which writes behind): once the command's stderr has
    ended, the next run finds the .solv file, and needs the XML no more."""
    repo = tmp_path / "essex"
    shutil.copytree(SAMPLE_REPOS / "essex", repo)
    rpmgraph = Path(sys.executable).with_name("rpmgraph")
    cache = tmp_path / "c"
    command = [str(rpmgraph), "graph", "--repo", str(repo), "--cachedir", str(cache),
               "openstack-nova", "-f", "list"]
    cold = subprocess.run(command, capture_output=True, text=True, check=True)
    assert sorted(p.name for p in cache.rglob("*.solv")) == ["filelists.solv", "primary.solv"]
    assert list(cache.rglob("ids-*.usable"))
    assert not list(cache.rglob(".*.tmp"))
    (primary,) = (repo / "repodata").glob("*primary.xml*")
    primary.unlink()
    warm = subprocess.run(command, capture_output=True, text=True, check=True)
    assert warm.stdout == cold.stdout and warm.stderr == ""

