"""render/graphml.py writes GraphML itself: it must give networkx's very bytes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rpmgraph.depgraph import DepGraph, edge_kind
from rpmgraph.render.graphml import _clean, _node_attrs, to_graphml
from tests.render.graphs import evil, layered
from tests.render.test_dotwriter import _NAMES, _hostile, _sample_graphs


def _networkx(graph: DepGraph) -> str:
    """The GraphML writer this module had before: a networkx copy, then generate_graphml."""
    out: nx.DiGraph = nx.DiGraph()
    out.graph.update(policy=graph.graph["policy"], roots="\n".join(graph.graph["roots"]),
                     sources="\n".join(graph.graph["sources"]))
    for node, data in sorted(graph.nodes(data=True)):
        attrs: dict[str, Any] = {k: _clean(v) if isinstance(v, str) else v
                                 for k, v in _node_attrs(data).items()}
        out.add_node(_clean(node), **attrs)
    for source, target, data in sorted(graph.edges(data=True), key=lambda e: (e[0], e[1])):
        deps = data["deps"]
        out.add_edge(_clean(source), _clean(target), kind=edge_kind(deps).value,
                     capabilities=_clean("\n".join(d.capability for d in deps)),
                     kinds="\n".join(d.kind.value for d in deps))
    return "\n".join(nx.generate_graphml(out)) + "\n"


def test_sample_repositories(tmp_path: Path) -> None:
    for graph in _sample_graphs(tmp_path):
        assert to_graphml(graph) == _networkx(graph)


@pytest.mark.parametrize("name", [*_NAMES, "a\rb", "a\x0bb", "\u2028", "\x85", "a\r\nb"])
def test_hostile_names(name: str) -> None:
    for graph in (_hostile(name or "x", name), evil(), layered(120)):
        graph.graph["sources"].append(name)
        assert to_graphml(graph) == _networkx(graph)


def test_names_that_clean_alike() -> None:
    graph = _hostile("a\x01", "a\\x01")
    assert to_graphml(graph) == _networkx(graph)


def test_empty_graph() -> None:
    graph = layered(0)
    assert to_graphml(graph) == _networkx(graph)


@settings(max_examples=100, deadline=None)
@given(st.text(min_size=1, max_size=30), st.text(max_size=30), st.text(max_size=10))
def test_any_text(name: str, text: str, source: str) -> None:
    graph = _hostile(name, text)
    graph.graph["sources"].append(source)
    assert to_graphml(graph) == _networkx(graph)
