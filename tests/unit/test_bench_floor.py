"""benchmarks/floor.py: the floor make bench sets the one-root times against really
loads the repository (as many packages as rpmgraph finds) and names its phases."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import solv

from tests.conftest import ROOT, SAMPLE_REPOS, load_script

FLOOR = ROOT / "benchmarks" / "floor.py"
ESSEX = SAMPLE_REPOS / "essex"


def floor(*args: str | Path) -> dict[str, float]:
    proc = subprocess.run([sys.executable, str(FLOOR), *map(str, args)], capture_output=True,
                          text=True, timeout=120, check=True)
    pairs = (line.rsplit(" ", 1) for line in proc.stdout.splitlines())
    return {name: float(seconds) for name, seconds in pairs}


def floor_module() -> ModuleType:
    return load_script(FLOOR, "bench_floor")


def test_cold_parses_both_metadata_files_and_indexes() -> None:
    phases = floor("cold", ESSEX)
    assert list(phases) == ["import solv", "parse primary", "parse filelists",
                            "file provides", "whatprovides"]
    assert all(seconds >= 0 for seconds in phases.values())


def test_cold_loads_every_package_with_its_file_lists() -> None:
    from rpmgraph.pool import Source, SourceKind, build_pool

    module = floor_module()
    pool = module.cold(ESSEX, module.Phases())
    names = {s.name for s in pool.solvables}
    ours = build_pool([Source(SourceKind.REPO, ESSEX)], None, None, None, print)
    assert names == {s.name for s in ours.pool.solvables} and len(names) > 50
    # the file lists were parsed too: more files than primary alone names
    primary_only = solv.Pool()
    handle = solv.xfopen(str(next((ESSEX / "repodata").glob("*-primary.xml.gz"))))
    primary_only.add_repo("p").add_rpmmd(handle, None, 0)
    handle.close()
    assert _files(pool) > _files(primary_only) > 0


def _files(pool: solv.Pool) -> int:
    return sum(1 for _ in pool.Dataiterator(solv.SOLVABLE_FILELIST, None, 0))


def test_warm_loads_the_cache_rpmgraph_wrote(tmp_path: Path) -> None:
    env = dict(os.environ, XDG_CACHE_HOME=str(tmp_path))
    subprocess.run([sys.executable, "-m", "rpmgraph", "graph", "--repo", str(ESSEX),
                    "openstack-nova", "-o", str(tmp_path / "n.dot")], env=env, check=True,
                   timeout=120, stderr=subprocess.PIPE)  # (ends with the cache writer's stderr)
    solv_file = next(tmp_path.glob("rpmgraph/repos/*/*/primary.solv"))
    phases = floor("warm", solv_file)
    assert list(phases) == ["import click, networkx", "import solv", "load primary.solv",
                            "file provides", "whatprovides"]


def test_a_broken_file_is_an_error(tmp_path: Path) -> None:
    bad = tmp_path / "primary.solv"
    bad.write_bytes(b"not a solv file")
    proc = subprocess.run([sys.executable, str(FLOOR), "warm", str(bad)], capture_output=True,
                          text=True, timeout=60, check=False)
    assert proc.returncode != 0 and "floor:" in proc.stderr
