"""Exclusive sizes on hand-made graphs, where the dominated sets are worked out by hand."""

from __future__ import annotations

import itertools

import networkx as nx
import pytest

from rpmgraph.analysis.paths import forward_view
from rpmgraph.analysis.sizes import (
    chain,
    exclusive_sizes,
    parents,
    root_stats,
)
from rpmgraph.model import Dependency, Kind

SIZES = {"R": 1, "A": 10, "B": 20, "C": 100, "D": 1000, "E": 10_000, "F": 100_000,
         "G": 1_000_000}


def _graph(edges: list[tuple[str, str, list[Kind]]], sizes: dict[str, int]) -> nx.DiGraph:
    graph = nx.DiGraph()
    graph.graph.update(policy="install", sources=[], roots=["R"], notes=[])
    for node, size in sizes.items():
        graph.add_node(node, name=node.lower(), installsize=size, downloadsize=size // 10,
                       unresolved=[])
    for source, target, kinds in edges:
        graph.add_edge(source, target, deps=[Dependency(k, target.lower()) for k in kinds])
    return graph


REQ = [Kind.REQUIRES]


def shapes() -> nx.DiGraph:
    """R -> A, B, E. Diamond: A -> C <- B. Chain: C -> D and E -> F -> G. Shared: A -> G,
    so G hangs under two branches and belongs to neither."""
    return _graph([("R", "A", REQ), ("R", "B", REQ), ("R", "E", REQ), ("A", "C", REQ),
                   ("B", "C", REQ), ("C", "D", REQ), ("E", "F", REQ), ("F", "G", REQ),
                   ("A", "G", REQ)], SIZES)


def test_exclusive_sizes_of_diamond_chain_and_shared_dependency() -> None:
    got = {e.id: (e.packages, e.installsize) for e in
           exclusive_sizes(forward_view(shapes()), "R", SIZES)}
    assert got == {
        "A": (1, 10),  # C is shared with B, G with F: A alone removes only itself
        "B": (1, 20),
        "C": (2, 1100),  # C and D: both diamond branches pass through C
        "D": (1, 1000),
        "E": (2, 110_000),  # E and F; G stays (A still pulls it in)
        "F": (1, 100_000),
        "G": (1, 1_000_000),
    }


def test_root_stats_totals_and_ranking() -> None:
    stats = root_stats(shapes(), "R", top=3)
    assert (stats.packages, stats.installsize, stats.downloadsize) == (8, 1_111_131, 111_113)
    assert stats.direct == 3
    assert stats.depth == 3  # R -> A -> C -> D; G is only 2 away (R -> A -> G)
    assert [(e.id, e.installsize) for e in stats.top] == [
        ("G", 1_000_000), ("E", 110_000), ("F", 100_000)]
    assert stats.unresolved == ()


def test_supplements_count_from_the_package_they_supplement() -> None:
    """P supplements A: A pulls P in. M requires B and supplements it (mod_ssl and httpd):
    B pulls M in, although the edge also points from M to B."""
    sizes = {"R": 1, "A": 2, "B": 4, "P": 8, "M": 16}
    graph = _graph([("R", "A", REQ), ("R", "B", REQ), ("P", "A", [Kind.SUPPLEMENTS]),
                    ("M", "B", [Kind.REQUIRES, Kind.SUPPLEMENTS])], sizes)
    got = {e.id: (e.packages, e.installsize) for e in
           exclusive_sizes(forward_view(graph), "R", sizes)}
    assert got == {"A": (2, 10), "P": (1, 8), "B": (2, 20), "M": (1, 16)}
    assert root_stats(graph, "R").packages == 5


def test_unpicked_alternatives_do_not_count() -> None:
    graph = _graph([("R", "A", REQ), ("R", "B", REQ)], {"R": 1, "A": 2, "B": 4})
    graph.edges["R", "B"]["alternative"] = "not picked"
    stats = root_stats(graph, "R")
    assert (stats.packages, stats.installsize) == (2, 3)


def test_unresolved_dependencies_are_listed() -> None:
    graph = shapes()
    graph.nodes["D"]["unresolved"] = [Dependency(Kind.REQUIRES, "missing >= 1")]
    (missing,) = root_stats(graph, "R").unresolved
    assert (missing.source, missing.kind, missing.capability) == ("D", "requires", "missing >= 1")


def test_chains_are_shortest_and_stable() -> None:
    parent = parents(forward_view(shapes()), ["R"])
    assert chain(parent, "G") == ["R", "A", "G"]
    assert chain(parent, "D") == ["R", "A", "C", "D"]  # A before B: neighbours sorted
    assert chain(parent, "nowhere") == []


@pytest.mark.parametrize("length", [3000])
def test_a_long_chain_needs_no_recursion(length: int) -> None:
    names = ["R", *(f"n{i:05d}" for i in range(length))]
    graph = _graph([(a, b, REQ) for a, b in itertools.pairwise(names)],
                   dict.fromkeys(names, 1))
    stats = root_stats(graph, "R", top=1)
    assert stats.depth == length
    assert stats.top[0].packages == length  # the first link dominates the whole chain
