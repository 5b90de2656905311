"""render/dot.py writes DOT statements as text without pydot: it must give the bytes of
pydot's object tree that it used to build (tests/render/pydot_reference.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rpmgraph.depgraph import DepGraph, add_dependency, add_package, add_unresolved, new_graph
from rpmgraph.model import Dependency, Kind
from rpmgraph.pool import LoadOptions, Source, SourceKind, build_pool
from rpmgraph.render import dot
from rpmgraph.resolve import Policy, ResolveOptions, Resolver, find_roots
from tests.conftest import SAMPLE_REPOS
from tests.render import pydot_reference
from tests.render.graphs import evil, layered, package

STYLES = [dot.Style(), dot.Style(cluster="srpm", sizes=True, color_by="repo"),
          dot.Style(cluster="repo", legend=False, rankdir="TB")]


def _both(graph: DepGraph, style: dot.Style) -> list[str]:
    return [dot.to_dot(graph, style), pydot_reference.to_dot(graph, style)]


def _sample_graphs(cache: Path) -> Iterator[DepGraph]:
    for repo in ("essex", "folsom", "grizzly"):
        loaded = build_pool([Source(SourceKind.REPO, SAMPLE_REPOS / repo)], "x86_64", None,
                            None, print, LoadOptions(cachedir=cache))
        roots = find_roots(loaded, ["*"])
        for options in (ResolveOptions(policy=Policy.ALL),
                        ResolveOptions(show_alternatives=True)):
            resolver = Resolver(loaded, options, print)
            yield resolver.graph(roots[:1])
            yield resolver.graph([r for r in roots if r.name.startswith("openstack-")])
        yield Resolver(loaded, ResolveOptions(policy=Policy.ALL), print).graph(roots)


def test_sample_repositories(tmp_path: Path) -> None:
    for graph in _sample_graphs(tmp_path):
        for style in STYLES:
            ours, theirs = _both(graph, style)
            assert ours == theirs


def _hostile(name: str, text: str) -> DepGraph:
    graph = new_graph("all", ["synthetic"], [])
    root = add_package(graph, package(name, summary=text))
    leaf = add_package(graph, package(text or "leaf", summary=name))
    graph.graph["roots"] = [root]
    add_dependency(graph, root, leaf, Dependency(Kind.REQUIRES, text))
    add_dependency(graph, leaf, root, Dependency(Kind.SUPPLEMENTS, f"({name} if {text})"))
    add_unresolved(graph, root, Dependency(Kind.RECOMMENDS, text))
    return graph


_NAMES = ["node", "graph", "edge", "strict", "subgraph", "a:b", "a:", ":b", "12", "1.5",
          '"quoted"', "back\\slash", "new\nline", "\x00\x01", "é", "<html>", "x" * 20000,
          "é" * 5000, "", " ", "-", "a b"]


@pytest.mark.parametrize("name", _NAMES)
def test_hostile_names(name: str) -> None:
    for graph in (_hostile(name or "x", name), evil(), layered(120)):
        for style in STYLES:
            ours, theirs = _both(graph, style)
            assert ours == theirs


@settings(max_examples=60, deadline=None)
@given(st.text(min_size=1, max_size=30), st.text(max_size=30))
def test_any_text(name: str, text: str) -> None:
    for style in STYLES:
        ours, theirs = _both(_hostile(name, text), style)
        assert ours == theirs


def _long_edges(length: int) -> DepGraph:
    """A graph big enough for plain edges (not a why-path's labelled ones), with an edge of
    one dependency and one of two whose capability is ``length`` four-byte characters."""
    graph = layered(12)
    one, two, target = (add_package(graph, package(n)) for n in ("one", "two", "target"))
    # Tooltip lines are cut at dot.MAX_TOOLTIP_LINE characters: the length is spread over
    # three dependencies (each edge is then one of several; the quick way is the same).
    third = length // 3
    for source in (one, two):
        for kind, count in ((Kind.REQUIRES, length - 2 * third), (Kind.RECOMMENDS, third),
                            (Kind.SUGGESTS, third)):
            add_dependency(graph, source, target, Dependency(kind, "\U0001f600" * count))
    add_dependency(graph, two, target, Dependency(Kind.PREREQUIRES, "x"))
    return graph


def test_tooltips_at_the_length_graphviz_takes() -> None:
    """Edge tooltips just under and just over the longest string Graphviz takes whole
    are written as pydot writes them (one piece, then two), with three dependencies and
    with four: the plain edges' quick way must not write a piece that is too long."""
    ascii_bytes = len("one-1.0-1.noarch -> target-1.0-1.noarch\\nrequires: "
                      "\\nrecommends: \\nsuggests: ")
    longest = (dot._PIECE_BYTES - ascii_bytes) // 4  # about: one piece up to here
    cuts: dict[str, set[int]] = {"one": set(), "two": set()}
    for length in range(longest - 12, longest + 8):
        ours, theirs = _both(_long_edges(length), dot.Style())
        assert ours == theirs, length
        for line in ours.splitlines():
            if " -> " in line and line.startswith(('"one-', '"two-')):
                cuts[line[1:4]].add(line.count('" + "'))
    assert cuts == {"one": {0, 1}, "two": {0, 1}}  # the lengths tried cross the limit
