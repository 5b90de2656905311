"""Cache writes left to a forked process: made from the pool as it was when loading
ended, in place once the command returns, read by the next run; dropped, not made
half-way, when the run is interrupted."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from rpmgraph.pool import LoadedPool, LoadOptions, Source, SourceKind, build_pool
from rpmgraph.sources import background
from tests.conftest import SAMPLE_REPOS, Run

ESSEX = SAMPLE_REPOS / "essex"


def _load(cache: Path, in_background: bool) -> LoadedPool:
    return build_pool([Source(SourceKind.REPO, ESSEX)], "x86_64", None, None, print,
                      LoadOptions(cachedir=cache, background_writes=in_background))


def _cached(cache: Path) -> list[str]:
    return sorted(p.name.rsplit(".", 1)[-1] if p.name.startswith("ids-") else p.name
                  for p in cache.rglob("*") if p.suffix in (".solv", ".usable", ".newest"))


def _no_children() -> bool:
    try:
        os.waitpid(-1, os.WNOHANG)
    except ChildProcessError:
        return True
    return False


def test_writes_from_the_pool_as_loading_left_it(tmp_path: Path) -> None:
    cold = _load(tmp_path, in_background=True)
    expected = [str(s) for s in cold.solvables()]
    # Changes after loading are the parent's own: the child writes what was loaded.
    added = cold.pool.id2solvable(max(cold.usable)).repo.add_solvable()
    added.name, added.evr, added.arch = "added-later", "1-1", "noarch"
    cold.newest_ids()
    background.wait()
    assert _no_children()
    assert _cached(tmp_path) == ["filelists.solv", "newest", "primary.solv", "usable"]
    warm = _load(tmp_path, in_background=True)
    assert [str(s) for s in warm.solvables()] == expected
    assert not any(r.has_filelists for r in warm.repomd), "the file provides were cached"
    assert warm.id_sets is not None and warm.id_sets.read("usable") == warm.usable


def test_without_background_writes_are_made_at_once(tmp_path: Path) -> None:
    _load(tmp_path, in_background=False).newest_ids()
    assert background._children == [] and background._deferred == []
    assert _cached(tmp_path) == ["filelists.solv", "newest", "primary.solv", "usable"]


def test_an_interrupted_run_drops_what_was_deferred(tmp_path: Path) -> None:
    done: list[str] = []
    background.defer(lambda: done.append("dropped"), True)
    background.wait(finish=False)
    background.defer(lambda: done.append("made"), True)
    background.wait()
    assert done == ["made"]


def test_a_failing_child_leaves_the_parent_alone(tmp_path: Path) -> None:
    def fail() -> None:
        raise OSError("disk full")

    background.defer(fail, True)
    background.start()
    background.wait()
    assert _no_children()


@pytest.mark.parametrize("policy", ["all", "install"])
def test_the_command_returns_with_the_cache_in_place(run: Run, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch,
                                                     policy: str) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    result = run("graph", "--repo", ESSEX, "openstack-nova", "--policy", policy)
    assert result.exit_code == 0, result.stderr
    assert _no_children()
    cached = ["filelists.solv", "primary.solv", "usable"]
    assert _cached(tmp_path) == sorted([*cached, "newest"] if policy == "all" else cached)
    again = run("graph", "--repo", ESSEX, "openstack-nova", "--policy", policy)
    assert again.stdout == result.stdout
