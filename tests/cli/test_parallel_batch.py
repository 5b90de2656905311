"""A batch split among forked workers writes the same files, byte for byte, and reports
the same unresolved dependencies and failures as one process does."""

from __future__ import annotations

from pathlib import Path

import pytest

import rpmgraph.forked
from tests.conftest import SAMPLE_REPOS, Run


def files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


@pytest.mark.parametrize("policy", ["install", "all"])
@pytest.mark.parametrize("fmt", ["dot", "json"])
def test_parallel_batch_is_byte_identical_to_serial(run: Run, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch,
                                                    policy: str, fmt: str) -> None:
    forks: list[object] = []
    real = rpmgraph.forked.Forked.__init__

    def counted(self: rpmgraph.forked.Forked, work: object) -> None:
        forks.append(work)
        real(self, work)  # type: ignore[arg-type]

    monkeypatch.setattr(rpmgraph.forked.Forked, "__init__", counted)
    monkeypatch.setattr(rpmgraph.forked, "usable_cpus", lambda: 2)
    args = ("graph", "--repo", SAMPLE_REPOS / "essex", "openstack-*", "python-*",
            "--policy", policy, "-f", fmt)
    parallel = run(*args, "-O", tmp_path / "parallel")
    # Under install the batch is split; under all its graphs share plans and it is not.
    assert len(forks) == (1 if policy == "install" else 0)
    monkeypatch.setenv("RPMGRAPH_JOBS", "1")
    serial = run(*args, "-O", tmp_path / "serial")
    assert (parallel.exit_code, parallel.stderr) == (serial.exit_code, serial.stderr)
    assert files(tmp_path / "parallel") == files(tmp_path / "serial")
    assert len(files(tmp_path / "serial")) > 16
