"""Why-paths: the shortest chains of dependencies from one package to another."""

from __future__ import annotations

import networkx as nx

from rpmgraph.graph import DepGraph


def forward_view(graph: DepGraph) -> DepGraph:
    """The graph with Supplements/Enhances edges turned around: walking it goes from a
    package to what it pulls in, whichever package declared the dependency."""
    view: DepGraph = nx.DiGraph()
    view.add_nodes_from(graph.nodes)
    for source, target, data in graph.edges(data=True):
        if all(d.kind.reverse for d in data["deps"]):
            view.add_edge(target, source, **data, reversed=True)
        else:
            view.add_edge(source, target, **data, reversed=False)
    return view


def why_paths(graph: DepGraph, source: str, target: str, every: bool = False) -> list[list[str]]:
    """The shortest path(s) from ``source`` to ``target``, sorted; [] when there is none."""
    view = forward_view(graph)
    if source not in view or target not in view:
        return []
    try:
        if every:
            return sorted(nx.all_shortest_paths(view, source, target))
        return [nx.shortest_path(view, source, target)]
    except nx.NetworkXNoPath:
        return []
