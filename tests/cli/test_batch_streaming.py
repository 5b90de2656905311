"""A batch (-O) makes, renders and writes one graph at a time: each file is whole before
the next graph is made, and memory does not grow with the number of graphs."""

from __future__ import annotations

import gc
import tracemalloc
from collections.abc import Iterator
from pathlib import Path

import pytest

from rpmgraph.cli.outputs import write_each
from rpmgraph.depgraph import DepGraph
from rpmgraph.render import FORMATS, Format, RenderOptions
from tests.conftest import Run
from tests.render.graphs import layered


def _lazily(folder: Path, count: int, seen: list[set[str]], size: int = 50,
            ) -> Iterator[tuple[str, DepGraph]]:
    """``count`` graphs, each made when asked for; records which files existed then."""
    for i in range(count):
        seen.append({p.name for p in folder.iterdir()})
        yield str(folder / f"g{i}.dot"), layered(size)


def test_each_file_is_written_whole_before_the_next_graph_is_made(tmp_path: Path) -> None:
    seen: list[set[str]] = []
    failed, total = write_each(_lazily(tmp_path, 4, seen), FORMATS["dot"])
    assert (failed, total) == ([], 4)
    assert seen == [set(), {"g0.dot"}, {"g0.dot", "g1.dot"}, {"g0.dot", "g1.dot", "g2.dot"}]
    whole = FORMATS["dot"].render(layered(50))
    assert all((tmp_path / f"g{i}.dot").read_bytes() == whole for i in range(4))


def test_parallel_rendering_keeps_only_a_few_graphs_queued(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RPMGRAPH_JOBS", "2")
    fmt = Format("slow", "dot", False, FORMATS["dot"].make, "as if laid out by Graphviz",
                 graphviz=True)
    seen: list[set[str]] = []
    failed, total = write_each(_lazily(tmp_path, 12, seen), fmt)
    assert (failed, total) == ([], 12)
    # 2 jobs: at most 2 x 2 graphs wait to be written when the next one is made.
    assert all(i - len(files) <= 4 for i, files in enumerate(seen))
    assert len(list(tmp_path.iterdir())) == 12


def _peak(folder: Path, count: int, fmt: Format) -> int:
    """Peak traced memory of writing ``count`` graphs, as the command line runs: without
    the cyclic garbage collector."""
    gc.collect()
    gc.disable()
    tracemalloc.start()
    try:
        write_each(_lazily(folder, count, [], size=400), fmt, release=True)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
        gc.enable()


@pytest.mark.parametrize("fmt", ["dot", "json", "graphml"])
def test_memory_does_not_grow_with_the_number_of_graphs(tmp_path: Path, fmt: str) -> None:
    for name in ("few", "many", "again"):
        (tmp_path / name).mkdir()
    few = _peak(tmp_path / "few", 3, FORMATS[fmt])
    # The smaller of two runs: the interpreter's own tables (interned strings, type
    # caches) grow now and then, after a long test session more than alone, whatever the
    # code does. A graph kept or leaked makes every run bigger.
    many = min(_peak(tmp_path / name, 30, FORMATS[fmt]) for name in ("many", "again"))
    assert many < few * 1.5, (few, many)


def test_batch_files_are_those_of_single_runs(run: Run, mini_repo: Path,
                                              tmp_path: Path) -> None:
    roots = ["app", "lib", "tool", "broken"]
    result = run("graph", "--repo", mini_repo, "--policy", "all", *roots, "-O", tmp_path / "b")
    assert result.exit_code == 0, result.stderr
    # One warning for the whole batch, after every graph was made.
    assert result.stderr.count("rpmgraph: warning:") == 1
    assert "unresolved dependencies" in result.stderr
    for root in roots:
        single = tmp_path / f"{root}.dot"
        assert run("graph", "--repo", mini_repo, "--policy", "all", root, "-o",
                   single).exit_code == 0
        assert (tmp_path / "b" / f"{root}.dot").read_bytes() == single.read_bytes()


@pytest.mark.parametrize(("kinds", "limit", "made"), [
    ([], None, (0, 0)),  # walked back from each root through libsolv: no whole graph
    ([], 0, (1, 0)),  # the walk grows too far: the whole graph, walked as it is
    (["--kinds", "requires,supplements"], None, (1, 1)),  # and its forward view
])
def test_reverse_batch_files_are_those_of_single_runs(
        run: Run, mini_repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        kinds: list[str], limit: int | None, made: tuple[int, int]) -> None:
    """Each root's reverse graph is walked back on its own, or the graph of every
    package is made once for all roots, and its forward view (a copy of every edge) too
    when Supplements turn edges around."""
    from rpmgraph import resolve
    from rpmgraph.analysis import paths, whole

    if limit is not None:
        monkeypatch.setattr(resolve, "_WALK_BACK_LIMIT", limit)
    wholes: list[DepGraph] = []
    views: list[DepGraph] = []
    made_whole, made_view = whole.whole_graph, paths.forward_view

    def counted_whole(loaded: object, options: object, warn: object) -> DepGraph:
        wholes.append(made_whole(loaded, options, warn))  # type: ignore[arg-type]
        return wholes[-1]

    def counted_view(graph: DepGraph, alternatives: bool = False) -> DepGraph:
        views.append(graph)
        return made_view(graph, alternatives)

    monkeypatch.setattr(whole, "whole_graph", counted_whole)
    monkeypatch.setattr(paths, "forward_view", counted_view)
    roots = ["lib", "tool", "users"]
    result = run("graph", "--repo", mini_repo, "--reverse", *roots, *kinds,
                 "-O", tmp_path / "b", "-f", "json")
    assert result.exit_code == 0, result.stderr
    assert (len(wholes), len(views)) == made
    for root in roots:
        single = tmp_path / f"{root}.json"
        assert run("graph", "--repo", mini_repo, "--reverse", root, *kinds, "-o",
                   single).exit_code == 0
        assert (tmp_path / "b" / f"{root}.json").read_bytes() == single.read_bytes()


def test_an_interrupt_half_way_through_a_file_leaves_no_part_of_it(tmp_path: Path) -> None:
    """Ctrl-C (or SIGTERM, raised the same way) while a file is being written."""

    def pieces(graph: DepGraph, options: RenderOptions) -> Iterator[bytes]:
        yield b"digraph {\n"
        if graph.number_of_nodes() == 3:
            raise KeyboardInterrupt
        yield b"}\n"

    fmt = Format("fake", "dot", False, pieces, "interrupted on its third graph")
    graphs = ((str(tmp_path / f"g{size}.dot"), layered(size)) for size in (1, 2, 3, 4))
    with pytest.raises(KeyboardInterrupt):
        write_each(graphs, fmt, release=True)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["g1.dot", "g2.dot"]
    assert (tmp_path / "g2.dot").read_bytes() == b"digraph {\n}\n"


def test_no_picture_is_made_for_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    import click

    def never(graph: DepGraph) -> Iterator[bytes]:
        raise AssertionError("rendered for a terminal")

    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    for parallel in (False, True):
        fmt = Format("png", "png", True, never, "a binary picture", graphviz=parallel)
        with pytest.raises(click.UsageError, match="will not write png to a terminal"):
            write_each([("-", layered(3))], fmt)
    from rpmgraph.render import graphviz

    assert not graphviz._stopped.is_set()  # the run's later pictures can still be drawn


@pytest.mark.parametrize("parallel", [False, True])
def test_each_graph_is_freed_once_written(tmp_path: Path, parallel: bool) -> None:
    """Without the cyclic garbage collector, as the command line runs."""
    import weakref

    made: list[weakref.ref[DepGraph]] = []

    def graphs() -> Iterator[tuple[str, DepGraph]]:
        for i in range(6):
            assert all(ref() is None for ref in made[:-5])  # 2 x 1 job + 1 may wait
            graph = layered(30)
            made.append(weakref.ref(graph))
            yield str(tmp_path / f"g{i}.dot"), graph
            del graph

    fmt = Format("dot", "dot", False, FORMATS["dot"].pieces, "DOT", graphviz=parallel)
    gc.collect()
    gc.disable()
    try:
        with pytest.MonkeyPatch.context() as monkeypatch:
            monkeypatch.setenv("RPMGRAPH_JOBS", "1")
            assert write_each(graphs(), fmt, release=True) == ([], 6)
        assert [ref() for ref in made] == [None] * 6
    finally:
        gc.enable()
