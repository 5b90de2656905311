"""Shapes that trip naive graph code: loops, self-dependencies, the same NEVRA in two
repositories, a package that provides what it requires."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.conftest import Run
from tests.robustness.support import check_output
from tests.support.rpmbuild import Spec, build_rpms, make_repo

SHAPES = [
    Spec(name="ring-a", requires=["ring-b"]),
    Spec(name="ring-b", requires=["ring-c"]),
    Spec(name="ring-c", requires=["ring-a"]),
    Spec(name="selfish", requires=["selfish", "selfish-cap"], provides=["selfish-cap"]),
    Spec(name="pair-x", requires=["pair-y"], provides=["pair-x-cap"]),
    Spec(name="pair-y", requires=["pair-x-cap"]),
    Spec(name="twin", summary="same NEVRA in both repositories", requires=["ring-a"]),
    Spec(name="top", requires=["ring-a", "selfish", "pair-x", "twin"]),
]


@pytest.fixture(scope="module")
def shape_repos(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    base = tmp_path_factory.mktemp("shapes")
    first = base / "first"
    build_rpms(SHAPES, first)
    second = base / "second"
    second.mkdir()
    shutil.copy(first / "twin-1.0-1.noarch.rpm", second)
    return make_repo(first), make_repo(second)


@pytest.mark.parametrize("policy", ["install", "all"])
@pytest.mark.parametrize("fmt", ["json", "dot", "graphml", "tree", "svg"])
def test_loops_and_self_dependencies_render(run: Run, shape_repos: tuple[Path, Path],
                                            policy: str, fmt: str) -> None:
    first, second = shape_repos
    result = run("graph", "--repo", first, "--repo", second, "top", "--policy", policy,
                 "-f", fmt)
    assert result.exit_code == 0, result.stderr
    check_output(fmt, result.stdout_bytes)


def test_graph_shape(run: Run, shape_repos: tuple[Path, Path]) -> None:
    first, second = shape_repos
    result = run("graph", "--repo", first, "--repo", second, "top", "--policy", "all",
                 "-f", "json")
    doc = json.loads(result.stdout)
    edges = {(e["source"].split("-1.0")[0], e["target"].split("-1.0")[0])
             for e in doc["edges"]}
    assert {("ring-a", "ring-b"), ("ring-b", "ring-c"), ("ring-c", "ring-a")} <= edges
    assert ("selfish", "selfish") not in edges, "a package satisfies itself: no self-loop"
    assert {("pair-x", "pair-y"), ("pair-y", "pair-x")} <= edges
    assert doc["unresolved"] == []
    twins = [n for n in doc["nodes"] if n["name"] == "twin"]
    assert len(twins) == 1, "one node per NEVRA, whichever repository it came from"


@pytest.mark.parametrize("command", [
    ["cycles"],
    ["cycles", "top", "-f", "json"],
    ["tree", "top", "--show-caps"],
    ["tree", "--reverse", "ring-a"],
    ["why", "top", "ring-c", "--all"],
    ["graph", "top", "--reduce", "-f", "json"],
    ["graph", "top", "--collapse-cycles", "-f", "json"],
    ["graph", "*", "-O", "{out}", "-f", "dot"],
])
def test_every_command_handles_the_shapes(run: Run, shape_repos: tuple[Path, Path],
                                          tmp_path: Path, command: list[str]) -> None:
    first, second = shape_repos
    args = [a.format(out=tmp_path / "out") for a in command]
    result = run(args[0], "--repo", first, "--repo", second, *args[1:])
    assert result.exit_code == 0, result.stderr
    assert "Traceback" not in result.stderr


def test_cycles_lists_the_ring_and_the_pair(run: Run, shape_repos: tuple[Path, Path]) -> None:
    first, _ = shape_repos
    result = run("cycles", "--repo", first, "-f", "json")
    cycles = [sorted(n.split("-1.0")[0] for n in c) for c in json.loads(result.stdout)["cycles"]]
    assert sorted(cycles) == [["pair-x", "pair-y"], ["ring-a", "ring-b", "ring-c"]]
