"""Hostile input, round two (issue 17): depth that comes from the input (a long chain, a
big cycle, nested rich dependencies, folders, JSON and TOML) never reaches a recursion
limit, in Python or in libsolv's C."""

from __future__ import annotations

import itertools
import json
import random
import shutil
import subprocess
import time
from pathlib import Path

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rpmgraph.analysis.sizes import root_stats
from rpmgraph.analysis.transform import reduce
from rpmgraph.depgraph import DepGraph, add_dependency, add_package, new_graph
from rpmgraph.model import Dependency, Kind
from rpmgraph.render.tree import indented_json
from tests.cli.test_bad_input import assert_user_error
from tests.conftest import Run
from tests.render.graphs import package
from tests.robustness.support import RPMGRAPH, synthetic_repo
from tests.support.repomd_edit import rewrite

LENGTH = 1200  # packages: deeper than Python's recursion limit of 1000


@pytest.fixture(scope="module")
def chain(tmp_path_factory: pytest.TempPathFactory) -> Path:
    names = [f"c{i}" for i in range(LENGTH)]
    return synthetic_repo(tmp_path_factory.mktemp("deep") / "chain",
                          {n: names[i + 1:i + 2] for i, n in enumerate(names)})


@pytest.fixture(scope="module")
def ring(tmp_path_factory: pytest.TempPathFactory) -> Path:
    names = [f"r{i}" for i in range(LENGTH)]
    return synthetic_repo(tmp_path_factory.mktemp("deep") / "ring",
                          {n: [names[(i + 1) % LENGTH]] for i, n in enumerate(names)})


# ---------------------------------------------------------------- 8. no RecursionError


@pytest.mark.parametrize("fmt", ["text", "json"])
@pytest.mark.parametrize("shape", ["chain", "ring"])
def test_tree_of_a_long_chain_and_a_big_cycle(run: Run, request: pytest.FixtureRequest,
                                              shape: str, fmt: str) -> None:
    repo = request.getfixturevalue(shape)
    root = f"{shape[0]}0"
    result = run("tree", "--repo", repo, root, "-f", fmt)
    assert result.exit_code == 0, result.stderr
    if fmt == "json":
        # (json.loads itself would recurse: count what the document holds instead)
        assert result.stdout.count('"id": ') == LENGTH + (1 if shape == "ring" else 0)
        assert result.stdout.rstrip().endswith("]\n}") and result.stdout.count("[") == \
            result.stdout.count("]")
    else:
        lines = result.stdout.splitlines()
        assert len(lines) == LENGTH + (1 if shape == "ring" else 0)
        assert lines[-1].endswith("(*)" if shape == "ring" else f"c{LENGTH - 1}-1.0-1.noarch")


@settings(max_examples=100, deadline=None)
@given(st.recursive(st.none() | st.booleans() | st.integers() | st.text(),
                    lambda inner: st.lists(inner) | st.dictionaries(st.text(), inner),
                    max_leaves=30))
def test_indented_json_is_json_dumps(value: object) -> None:
    assert indented_json(value) == json.dumps(value, indent=2, ensure_ascii=False)


def test_rpm_folder_nested_1000_deep(run: Run, mini_rpms: Path, tmp_path: Path) -> None:
    deep = tmp_path / "rpms"
    deep.mkdir()
    for _ in range(1000):  # (Path.mkdir(parents=True) recurses too)
        deep /= "d"
        deep.mkdir()
    shutil.copy(mini_rpms / "lonely-1.0-1.noarch.rpm", deep)
    try:
        result = run("graph", "--rpm", tmp_path / "rpms", "lonely", "-f", "json")
        assert result.exit_code == 0, result.stderr
        assert '"lonely-1.0-1.noarch"' in result.stdout
    finally:  # bottom up: shutil.rmtree (pytest's cleanup) recurses once a level
        (deep / "lonely-1.0-1.noarch.rpm").unlink()
        while deep != tmp_path:
            deep.rmdir()
            deep = deep.parent


@pytest.mark.parametrize("doc", ["[" * 100_000 + "]" * 100_000,
                                 '{"format": "rpmgraph-lock", "version": 1, "roots": {"a": '
                                 '{"root": "a", "policy": "install", "closure": [{"id": "x", '
                                 '"name": "x", "arch": "noarch", "installsize": 1e999, '
                                 '"downloadsize": 1, "via": null}]}}}'])
def test_hostile_baselines(run: Run, mini_repo: Path, tmp_path: Path, doc: str) -> None:
    lock = tmp_path / "lock.json"
    lock.write_text(doc)
    result = run("diff", "--old-baseline", lock, "--repo", mini_repo, "lonely")
    assert_user_error(result, str(lock))


@pytest.mark.parametrize("text", ["x = " + "[" * 50_000 + "]" * 50_000,
                                  "tool = 1\n", "[tool]\nrpmgraph = 3\n"])
def test_hostile_pyproject(run: Run, mini_repo: Path, tmp_path: Path, text: str) -> None:
    path = tmp_path / "pyproject.toml"
    path.write_text(text)
    assert_user_error(run("check", "--config", path), str(path))


@pytest.mark.parametrize("size", ['"9' + "9" * 400 + ' TB"', '"99999999999999999999 TB"',
                                  '"\u00b2 MB"'])
def test_hostile_config_sizes(run: Run, mini_repo: Path, tmp_path: Path, size: str) -> None:
    path = tmp_path / "rpmgraph.toml"
    path.write_text(f'repos = ["{mini_repo}"]\n[[budget]]\nroots = "lonely"\n'
                    f"max-installsize = {size}\n")
    assert_user_error(run("check", "--config", path), "max-installsize")


# ---------------------------------------------------------------- 3. rich dependency depth


def _nested_if(depth: int) -> str:
    return "(lonely if " * depth + "lonely" + ")" * depth


def test_rich_dependency_50000_deep_is_refused_before_libsolv(tmp_path: Path) -> None:
    """libsolv's parser recurses in C: 50,000 levels crashed the process (SIGSEGV, no
    message). The real CLI, so that a crash is seen as one."""
    repo = synthetic_repo(tmp_path / "r", {"lonely": [], "deep": [_nested_if(50_000)]})
    result = subprocess.run([str(RPMGRAPH), "graph", "--repo", str(repo), "deep"],
                            capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 2, (result.returncode, result.stderr[-300:])
    assert result.stderr.count("\n") == 1
    assert "nested more than 64 deep" in result.stderr
    assert "RPMGRAPH_MAX_RICH_DEPTH" in result.stderr


@pytest.mark.parametrize("escaped", [False, True])
def test_rich_dependency_600_deep_is_refused(run: Run, tmp_path: Path, escaped: bool) -> None:
    """600 levels of ``if`` took the resolver past Python's recursion limit; also written
    with character references, which libxml2 decodes before libsolv sees them."""
    deep = _nested_if(600)
    repo = synthetic_repo(tmp_path / "r", {"lonely": [], "deep": [deep]})
    if escaped:
        rewrite(repo, "primary", lambda xml: xml.replace(b'name="(', b'name="&#40;'))
    result = run("tree", "--repo", repo, "deep")
    assert_user_error(result, "nested more than 64 deep")


def test_rich_dependency_at_the_limit_resolves(run: Run, tmp_path: Path) -> None:
    repo = synthetic_repo(tmp_path / "r", {"lonely": [], "deep": [_nested_if(60)]})
    for command in (["tree", "deep"], ["graph", "deep", "-f", "json"],
                    ["graph", "deep", "--policy", "all", "-f", "dot"]):
        result = run(command[0], "--repo", repo, *command[1:])
        assert result.exit_code == 0, result.stderr
        assert "lonely-1.0-1.noarch" in result.stdout


def test_rich_depth_limit_can_be_raised(run: Run, tmp_path: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    repo = synthetic_repo(tmp_path / "r", {"lonely": [], "deep": [_nested_if(80)]})
    assert_user_error(run("tree", "--repo", repo, "deep"), "nested more than 64 deep")
    monkeypatch.setenv("RPMGRAPH_MAX_RICH_DEPTH", "100")
    assert run("tree", "--repo", repo, "deep").exit_code == 0


# ---------------------------------------------------------------- 9. linear time on chains


def _chain_graph(length: int) -> DepGraph:
    graph = new_graph("all", ["synthetic"], [])
    names = [add_package(graph, package(f"p{i}")) for i in range(length)]
    graph.graph["roots"] = [names[0]]
    for a, b in itertools.pairwise(names):
        add_dependency(graph, a, b, Dependency(Kind.REQUIRES, b))
    return graph


def test_reduce_and_stats_take_linear_time_on_a_long_chain() -> None:
    """networkx's transitive_reduction keeps every node's descendants (a 20,000-package
    chain took 100 s), and the depth walked every chain back: both quadratic."""
    graph = _chain_graph(60_000)
    start = time.monotonic()
    reduced = reduce(graph)
    assert reduced.number_of_edges() == 59_999
    stats = root_stats(graph, "p0-1.0-1.noarch")
    assert stats.depth == 59_999 and stats.packages == 60_000
    assert time.monotonic() - start < 20


def test_reduce_drops_only_shortcuts() -> None:
    """The reduction of a DAG is unique: the same edges as networkx's, on random DAGs."""
    from rpmgraph.analysis.transform import _reduction_edges

    for seed in range(200):
        rng = random.Random(seed)
        size = rng.randint(1, 25)
        dag = nx.DiGraph((u, v) for u in range(size) for v in range(u + 1, size)
                         if rng.random() < 0.25)
        dag.add_nodes_from(range(size))
        assert _reduction_edges(dag) == set(nx.transitive_reduction(dag).edges), seed


def test_install_policy_takes_linear_time_on_a_long_chain(run: Run, tmp_path: Path) -> None:
    """Each package asked libsolv what supplements it, which reads the whole pool: a
    200,000-package chain took over 5 minutes under install. Now the few packages with
    Supplements are indexed once."""
    from tests.robustness.support import synthetic_repo

    size = 40_000
    repo = synthetic_repo(tmp_path / "chain", {
        f"p{i}": [f"p{i + 1}"] if i + 1 < size else [] for i in range(size)})
    start = time.monotonic()
    result = run("graph", "--repo", repo, "p0", "-f", "list", "-o", tmp_path / "p0.list")
    assert result.exit_code == 0, result.stderr
    assert len((tmp_path / "p0.list").read_text().splitlines()) == size
    assert time.monotonic() - start < 30


def test_srpm_folder_nested_1000_deep(tmp_path: Path) -> None:
    """--srpm folders are walked as --rpm ones are, without recursion."""
    from rpmgraph.sources.srpms import find_srpm_files

    deep = tmp_path / "srpms"
    deep.mkdir()
    for _ in range(1000):
        deep /= "d"
        deep.mkdir()
    (deep / "a-1-1.src.rpm").write_bytes(b"")
    (deep / "a-1-1.noarch.rpm").write_bytes(b"")
    try:
        assert find_srpm_files([tmp_path / "srpms"]) == [deep / "a-1-1.src.rpm"]
    finally:
        for name in ("a-1-1.src.rpm", "a-1-1.noarch.rpm"):
            (deep / name).unlink()
        while deep != tmp_path:
            deep.rmdir()
            deep = deep.parent
