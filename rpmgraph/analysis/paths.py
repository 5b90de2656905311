"""Why-paths: the shortest chains of dependencies from one package to another."""

from __future__ import annotations

import networkx as nx

from rpmgraph.depgraph import DepGraph
from rpmgraph.model import Dependency


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
        alternative = data.get("alternative")
        if forward:
            _add_view_edge(view, source, target, forward, False, alternative)
        if backward:
            _add_view_edge(view, target, source, backward, True, alternative)
    return view


def _add_view_edge(view: DepGraph, source: str, target: str, deps: list[Dependency],
                   reversed_: bool, alternative: str | None) -> None:
    """a requires b and b supplements a both give a -> b: merge them, whatever the order.
    An edge to a provider not picked keeps why (``alternative``) unless a real one joins."""
    if view.has_edge(source, target):
        data = view.edges[source, target]
        deps = sorted({*data["deps"], *deps}, key=Dependency.sort_key)
        reversed_ = reversed_ and data["reversed"]
        if not alternative:
            data.pop("alternative", None)
        elif not data.get("alternative"):
            alternative = None
    extra = {"alternative": alternative} if alternative else {}
    view.add_edge(source, target, deps=deps, reversed=reversed_, **extra)


def shortest_paths(view: DepGraph, source: str, target: str,
                   every: bool = False) -> list[list[str]]:
    """The shortest path(s) from ``source`` to ``target`` in ``view`` (``forward_view``,
    made once for many pairs), sorted; [] when there is none."""
    if source not in view or target not in view:
        return []
    try:
        if every:
            return sorted(nx.all_shortest_paths(view, source, target))
        return [nx.shortest_path(view, source, target)]
    except nx.NetworkXNoPath:
        return []
