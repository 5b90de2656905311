"""Hostile input, round two (issue 17): what the machine does to a run (a closed terminal,
a read-only cache, a damaged rpm database) and text that reaches the terminal."""

from __future__ import annotations

import os
import signal
import subprocess
import time
import xml.etree.ElementTree as ET
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
