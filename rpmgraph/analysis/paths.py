"""Why-paths: the shortest chains of dependencies from one package to another."""

from __future__ import annotations

import networkx as nx

from rpmgraph.graph import DepGraph


def forward_view(graph: DepGraph, alternatives: bool = False) -> DepGraph:
    """The graph with Supplements/Enhances edges turned around: walking it goes from a
    package to what it pulls in, whichever package declared the dependency. An edge
    that carries both kinds (mod_ssl requires and supplements httpd) goes both ways.
    Providers drawn only as unpicked alternatives are left out unless asked for."""
    view: DepGraph = nx.DiGraph()
    view.add_nodes_from(graph.nodes)
    for source, target, data in graph.edges(data=True):
        if data.get("alternative") and not alternatives:
            continue
        forward = [d for d in data["deps"] if not d.kind.reverse]
        backward = [d for d in data["deps"] if d.kind.reverse]
        if forward:
            view.add_edge(source, target, deps=forward, reversed=False)
        if backward:
            view.add_edge(target, source, deps=backward, reversed=True)
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
