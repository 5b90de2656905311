"""The dependency graph: a networkx DiGraph keyed by NEVRA, and the helpers that fill it.

Nodes carry the Package fields plus ``unresolved`` (Dependency list); edges carry
``deps``, the tuple of Dependency (kind and capability) that the target satisfies for
the source, sorted strongest kind first. Graph attributes: policy, sources, roots, notes.

Edge data dicts are read-only: graphs built from the all policy's shared plans give one
dict to every edge with the same ``deps`` (in one graph and across the graphs of a
batch), which saves 40 MB on a distribution's 300,000 edges. To change an edge, replace
its dict as ``add_dependency`` does; ``graph.copy()`` gives every edge its own.
"""

from __future__ import annotations

import operator
from collections import deque
from collections.abc import Iterable, Sequence
from dataclasses import fields
from typing import TypeAlias

import networkx as nx

from rpmgraph.model import KIND_ORDER, Dependency, Kind, Package

DepGraph: TypeAlias = nx.DiGraph
EdgeData: TypeAlias = dict[str, object]
_NX_CLEAR_CACHE = getattr(nx, "_clear_cache", None)  # networkx >= 3.3
_PACKAGE_FIELDS = tuple(f.name for f in fields(Package))


_PACKAGE_VALUES = operator.attrgetter(*_PACKAGE_FIELDS)


def _attributes(package: Package) -> dict[str, object]:
    """``dataclasses.asdict`` for a Package (every field a scalar), without its deep copies."""
    return package_data(_PACKAGE_VALUES(package))


def package_data(values: tuple[object, ...]) -> dict[str, object]:
    """A package node's data (without ``unresolved``) from its Package's field values."""
    return dict(zip(_PACKAGE_FIELDS, values, strict=True))


def node_table(graph: DepGraph) -> dict[str, dict[str, object]]:
    """Every node's data by node, read-only: networkx's own node dictionary, for writers
    that look up every node (``graph.nodes[n]`` costs a view lookup each time)."""
    table: dict[str, dict[str, object]] = graph._node
    return table


def node_package(data: dict[str, object]) -> Package:
    """The Package record of a package node's data."""
    return Package(*(data[name] for name in _PACKAGE_FIELDS))  # type: ignore[arg-type]


def new_graph(policy: str, sources: list[str], roots: list[str]) -> DepGraph:
    graph = nx.DiGraph()
    graph.graph.update(policy=policy, sources=list(sources), roots=list(roots), notes=[])
    return graph


def add_package(graph: DepGraph, package: Package) -> str:
    node = package.nevra
    if node not in graph:
        add_new_package(graph, node, package)
    return node


def add_new_package(graph: DepGraph, node: str, package: Package) -> None:
    """``add_package`` for a node known to be new, named ``package.nevra``: what
    ``graph.add_node`` does, without copying the attributes through keywords twice."""
    add_new_package_data(graph, node, _attributes(package))


def add_new_package_data(graph: DepGraph, node: str, attributes: dict[str, object]) -> None:
    """``add_new_package`` from the node's ``package_data``, which the graph takes over."""
    attributes["unresolved"] = []
    graph._succ[node] = {}
    graph._pred[node] = {}
    graph._node[node] = attributes
    _clear_cache(graph)


def add_edges_from_new_node(graph: DepGraph, node: str,
                            targets: Iterable[tuple[str, EdgeData]]) -> None:
    """Edges from ``node``, which has none yet, to nodes already in the graph, each with
    the data dict given (which may be shared: see the module's docstring).

    ``graph.add_edges_from`` (one data dict per edge, in both adjacencies, as networkx's
    DiGraph keeps them), without its per-edge checks and copies: the 300,000 edges of a
    distribution's repository took a second through it."""
    succ, pred = graph._succ[node], graph._pred
    for target, data in targets:
        succ[target] = pred[target][node] = data
    _clear_cache(graph)


def _clear_cache(graph: DepGraph) -> None:
    """What networkx >= 3.3 does after each change: drop the graph's cached conversions."""
    if _NX_CLEAR_CACHE is not None:
        _NX_CLEAR_CACHE(graph)


def discard(graph: DepGraph) -> None:
    """Free a graph at once. networkx keeps the views it hands out (``graph.edges``, the
    degree views) in the graph's own ``__dict__``, and they point back at the graph: a
    cycle that only the cyclic garbage collector frees, and the command line runs
    without it (see cli.main). A batch of a thousand graphs would otherwise keep them all."""
    graph.__dict__.clear()


def add_dependency(graph: DepGraph, source: str, target: str, dep: Dependency) -> None:
    """Draw ``dep`` on the edge. An existing edge gets a new data dict, in the same place
    in both adjacencies (the order outputs follow): its dict may be shared."""
    out = graph._succ.get(source)
    data = out.get(target) if out is not None else None
    if data is None:
        if out is None or target not in graph._pred:
            graph.add_edge(source, target, deps=(dep,))
        else:  # both nodes there (most edges): what add_edge does, without its checks
            out[target] = graph._pred[target][source] = {"deps": (dep,)}
            _clear_cache(graph)
    elif dep not in data["deps"]:
        deps = tuple(sorted((*data["deps"], dep), key=Dependency.sort_key))
        graph._succ[source][target] = graph._pred[target][source] = {**data, "deps": deps}
        _clear_cache(graph)


def add_alternative(graph: DepGraph, source: str, package: Package, dep: Dependency,
                    reason: str) -> None:
    """A provider the install did not use, drawn greyed so the reader sees the choice."""
    node = package.nevra
    if node not in graph:
        graph.add_node(node, **_attributes(package), unresolved=[], alternative=True)
    if not graph.has_edge(source, node):
        graph.add_edge(source, node, deps=(dep,), alternative=reason)


def add_unresolved(graph: DepGraph, source: str, dep: Dependency) -> None:
    unresolved: list[Dependency] = graph.nodes[source]["unresolved"]
    if dep not in unresolved:
        unresolved.append(dep)
        unresolved.sort(key=Dependency.sort_key)


def edge_kind(deps: Sequence[Dependency]) -> Kind:
    """The strongest kind among an edge's dependencies decides how it is drawn."""
    if len(deps) == 1:  # most edges
        return deps[0].kind
    return min((d.kind for d in deps), key=KIND_ORDER.__getitem__)


def distances(graph: DepGraph) -> dict[str, int]:
    """Levels from the roots. Supplements/Enhances edges are walked backwards: the
    package that declares them is pulled in by their target."""
    level = {root: 0 for root in graph.graph["roots"] if root in graph}
    queue = deque(level)
    while queue:
        node = queue.popleft()
        for nxt in _next_nodes(graph, node):
            if nxt not in level:
                level[nxt] = level[node] + 1
                queue.append(nxt)
    return level


def _next_nodes(graph: DepGraph, node: str) -> list[str]:
    forward = [t for t in graph.successors(node)
               if not all(d.kind.reverse for d in graph.edges[node, t]["deps"])]
    backward = [s for s in graph.predecessors(node)
                if any(d.kind.reverse for d in graph.edges[s, node]["deps"])]
    return sorted(forward + backward)


def cut_depth(graph: DepGraph, depth: int) -> DepGraph:
    """Keep the nodes at most ``depth`` levels from the roots."""
    keep = [n for n, lvl in distances(graph).items() if lvl <= depth]
    cut: DepGraph = graph.subgraph(keep).copy()
    cut.graph = {**graph.graph, "notes": [*graph.graph["notes"], f"cut at depth {depth}"]}
    return cut


def unresolved_count(graph: DepGraph) -> int:
    return sum(len(data["unresolved"]) for _, data in graph.nodes(data=True))
