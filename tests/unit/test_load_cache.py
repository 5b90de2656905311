"""The usable and newest-build sets cached next to the .solv files: read back only for the
very pool they were computed on, equal to what computing them gives, and never a reason
for a graph to change."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from rpmgraph.pool import (
    LoadedPool,
    LoadOptions,
    Source,
    SourceKind,
    _newest_ids,
    _usable_ids,
    build_pool,
    newest_per_name_arch,
)
from rpmgraph.sources.idsets import IdSets, decode, encode
from tests.conftest import SAMPLE_REPOS, Run

ESSEX, FOLSOM = SAMPLE_REPOS / "essex", SAMPLE_REPOS / "folsom"


def _load(cache: Path, *sources: Source, arch: str = "x86_64",
          explicit: bool = True) -> LoadedPool:
    return build_pool(list(sources), arch if explicit else None, None, None, print,
                      LoadOptions(cachedir=cache))


def _repos(*paths: Path) -> list[Source]:
    return [Source(SourceKind.REPO, p) for p in paths]


def _computed(loaded: LoadedPool, explicit: bool = True) -> tuple[set[int], set[int]]:
    usable = _usable_ids(loaded.pool, loaded.arch, explicit)
    return usable, _newest_ids(loaded.pool, usable)


def _files(cache: Path) -> list[Path]:
    return sorted(cache.rglob("ids-*"))


@pytest.mark.parametrize("paths", [(ESSEX,), (ESSEX, FOLSOM), (FOLSOM, ESSEX)])
def test_cached_sets_equal_computed_ones(tmp_path: Path, paths: tuple[Path, ...]) -> None:
    """Written by the cold run (whose pool was parsed from XML), read by the warm one."""
    cold = _load(tmp_path, *_repos(*paths))
    cold_sets = (cold.usable, cold.newest_ids())
    assert cold_sets == _computed(cold)
    assert len(_files(tmp_path)) == 2
    warm = _load(tmp_path, *_repos(*paths))
    assert warm.id_sets is not None and warm.id_sets.read("usable") == warm.usable
    assert (warm.usable, warm.newest_ids()) == _computed(warm) == cold_sets
    assert len(_files(tmp_path)) == 2, "a warm run writes nothing"


def test_newest_across_identical_repositories(tmp_path: Path, mini_repo: Path) -> None:
    """Two repositories with the same metadata: equal builds, the first repository's wins."""
    copy = tmp_path / "copy"
    shutil.copytree(mini_repo, copy)
    for _ in range(2):
        loaded = _load(tmp_path / "cache", *_repos(mini_repo, copy))
        assert (loaded.usable, loaded.newest_ids()) == _computed(loaded)
        assert loaded.id_sets is not None and loaded.id_sets.read("newest") is not None


def test_the_cached_sets_are_what_a_warm_run_uses(tmp_path: Path, mini_repo: Path) -> None:
    """Proof that the files are read (and so that the tests above test them)."""
    _load(tmp_path, *_repos(mini_repo)).newest_ids()
    warm = _load(tmp_path, *_repos(mini_repo))
    assert warm.id_sets is not None
    some = set(sorted(warm.usable)[:3])
    warm.id_sets.write("usable", some)
    warm.id_sets.write("newest", some)
    again = _load(tmp_path, *_repos(mini_repo))
    assert again.usable == some and again.newest_ids() == some


def test_another_arch_or_order_has_its_own_sets(tmp_path: Path, mini_repo: Path) -> None:
    x86 = _load(tmp_path, *_repos(mini_repo))
    arm = _load(tmp_path, *_repos(mini_repo), arch="aarch64")
    names = {a: {x.pool.id2solvable(i).name for i in x.usable} for a, x in
             (("x86_64", x86), ("aarch64", arm))}
    assert "native" in names["x86_64"] and "foreign" not in names["x86_64"]
    assert "foreign" in names["aarch64"] and "native" not in names["aarch64"]
    again = _load(tmp_path, *_repos(mini_repo), arch="aarch64")
    assert again.usable == arm.usable == _computed(again)[0]
    both = _load(tmp_path, *_repos(mini_repo, ESSEX))
    reversed_ = _load(tmp_path, *_repos(ESSEX, mini_repo))
    assert len({s.id_sets.digest for s in (x86, arm, both, reversed_)  # type: ignore[union-attr]
                }) == 4


def test_pools_with_rpm_files_compute_their_sets(tmp_path: Path, mini_repo: Path,
                                                 mini_rpms: Path) -> None:
    """.rpm files (and rpm databases) are read afresh each run: no cached ids for them."""
    sources = [*_repos(mini_repo), Source(SourceKind.RPM, mini_rpms)]
    for _ in range(2):
        loaded = _load(tmp_path, *sources)
        assert loaded.id_sets is None
        assert (loaded.usable, loaded.newest_ids()) == _computed(loaded)
    assert _files(tmp_path) == []


def test_refresh_and_no_cache_ignore_the_sets(tmp_path: Path, mini_repo: Path) -> None:
    _load(tmp_path, *_repos(mini_repo)).newest_ids()
    for options in (LoadOptions(cachedir=tmp_path, refresh=True), LoadOptions(use_cache=False)):
        loaded = build_pool(_repos(mini_repo), "x86_64", None, None, print, options)
        assert loaded.id_sets is None
        assert (loaded.usable, loaded.newest_ids()) == _computed(loaded)


@pytest.mark.parametrize("damage", ["truncate", "garbage", "empty", "beyond"])
def test_damaged_sets_are_computed_again(tmp_path: Path, mini_repo: Path, damage: str) -> None:
    loaded = _load(tmp_path, *_repos(mini_repo))
    loaded.newest_ids()
    assert loaded.id_sets is not None
    for path in _files(tmp_path):
        data = path.read_bytes()
        path.write_bytes({"truncate": data[:-8], "garbage": b"\0" * len(data), "empty": b"",
                          "beyond": encode({loaded.id_sets.nsolvables + 5})}[damage])
    warm = _load(tmp_path, *_repos(mini_repo))
    assert (warm.usable, warm.newest_ids()) == _computed(warm)
    assert warm.id_sets is not None and warm.id_sets.read("usable") == warm.usable


def test_unwritable_cache_only_warns(tmp_path: Path, mini_repo: Path) -> None:
    loaded = _load(tmp_path, *_repos(mini_repo))
    warnings: list[str] = []
    sets = loaded.id_sets
    assert sets is not None
    blocked = IdSets(folder=tmp_path / "file" / "sub", digest=sets.digest,
                     nsolvables=sets.nsolvables, lock=sets.lock, warn=warnings.append)
    (tmp_path / "file").write_text("not a folder")
    blocked.write("usable", {1, 2})
    assert len(warnings) == 1 and "cannot write to the cache" in warnings[0]
    assert blocked.read("usable") is None


@pytest.mark.parametrize("ids", [set(), {5}, {2, 3, 4, 9, 11, 12}, set(range(2, 70_000, 3))])
def test_encoding_round_trip(ids: set[int]) -> None:
    runs = decode(encode(ids), 70_001)
    assert runs is not None
    assert {i for first, stop in runs for i in range(first, stop)} == ids
    limited = decode(encode(ids), max(ids, default=0))  # ids must stay below the limit
    assert limited is None if ids else limited == []


@pytest.mark.parametrize(("policy", "cold_is_warm"), [
    (["--policy", "all"], True), (["--policy", "all", "--all-versions"], True),
    (["--policy", "install"], True),
    # Both roots cannot be installed on aarch64, and libsolv names one of the missing
    # dependencies first: which one depends on its string ids, numbered in another order
    # when the pool comes from the XML than from the .solv (a cold run from a warm one).
    (["--arch", "aarch64"], False)])
def test_cold_and_warm_runs_give_identical_graphs(run: Run, mini_repo: Path, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch,
                                                  policy: list[str], cold_is_warm: bool) -> None:
    outputs = []
    for cache in ("a", "a", "a", "b"):  # cold, writes the sets, reads them; cold again
        monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / cache))
        result = run("graph", "--repo", ESSEX, "--repo", mini_repo, "openstack-nova", "app",
                     *policy, "-f", "json")
        assert result.exit_code == 0, result.stderr
        outputs.append(result.stdout)
    cold, warm, sets_read, cold_again = outputs
    assert sets_read == warm and cold_again == cold
    assert cold == warm or not cold_is_warm
    assert list((tmp_path / "a").rglob("ids-*"))


@pytest.mark.parametrize("paths", [(ESSEX, FOLSOM), (FOLSOM, ESSEX, ESSEX)])
def test_newest_is_newest_per_name_arch_of_the_sorted_packages(tmp_path: Path,
                                                               paths: tuple[Path, ...]) -> None:
    """What newest_ids must equal (its docstring): newest_per_name_arch over the usable
    packages in NEVRA, then repository order, equal builds keeping the first."""
    loaded = _load(tmp_path, *_repos(*paths))
    expected = {s.id for s in newest_per_name_arch(loaded.solvables())}
    assert loaded.newest_ids() == expected
    assert len(expected) < len(loaded.usable), "several builds of some name.arch"
