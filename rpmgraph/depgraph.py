"""The dependency graph: ``DepGraph``, the project's own graph type, and the helpers that
fill and walk it. networkx is the storage and the algorithms; this module is the only one
that touches its internals.

A graph's data, written down here and nowhere else:

- graph metadata (``NodeData``/``EdgeFields``/``GraphMeta`` below): ``policy``,
  ``sources``, ``roots`` (NEVRAs), ``notes``; ``problems`` when the roots cannot be
  installed together; ``reverse`` for a what-requires graph;
- nodes, keyed by NEVRA: the ``Package`` fields, ``unresolved`` (the dependencies
  nothing provides), and the marks transforms and resolvers add: ``base``,
  ``alternative`` (a provider the solver did not pick), ``stopped`` (``--stop-at``),
  ``members`` (a collapsed group), ``status`` (a diff's added/removed/changed);
- edges: ``deps``, the dependencies (kind and capability) the target satisfies for the
  source, strongest kind first; ``alternative``: why an unpicked provider was not used.

Edge data dicts are read-only: graphs built from resolve's shared plans give one dict to
every edge with the same ``deps`` (in one graph and across the graphs of a batch). To
change an edge, replace its dict as ``add_dependency`` does; ``graph.copy()`` gives every
edge its own.
"""

from __future__ import annotations

import operator
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import fields
from typing import Any, TypeAlias, TypedDict, TypeVar

import networkx as nx

from rpmgraph.model import KIND_ORDER, Dependency, Kind, Package

EdgeData: TypeAlias = dict[str, object]
_NX_CLEAR_CACHE = getattr(nx, "_clear_cache", None)  # networkx >= 3.3
_PACKAGE_FIELDS = tuple(f.name for f in fields(Package))
T = TypeVar("T")


_PACKAGE_VALUES = operator.attrgetter(*_PACKAGE_FIELDS)


class NodeData(TypedDict, total=False):
    """A node's data: the ``Package`` fields (name, epoch, version, release, arch, repo,
    sizes, summary, ...), then what the graph adds."""

    unresolved: list[Dependency]
    base: bool
    alternative: bool
    stopped: bool
    members: list[str]
    status: str


class EdgeFields(TypedDict, total=False):
    """An edge's data (read-only: see the module's docstring)."""

    deps: tuple[Dependency, ...]
    alternative: str


class GraphMeta(TypedDict, total=False):
    """A graph's own data."""

    policy: str
    sources: list[str]
    roots: list[str]
    notes: list[str]
    problems: list[str]
    reverse: bool


class DepGraph(nx.DiGraph):  # type: ignore[misc]  # (networkx ships no types)
    """A dependency graph: networkx's DiGraph with the data this module's docstring
    describes, and typed access to its metadata. Copies, subgraphs and reversed graphs
    that networkx makes are DepGraphs too."""

    graph: dict[str, Any]

    @property
    def policy(self) -> str:
        return str(self.graph.get("policy", ""))

    @property
    def roots(self) -> list[str]:
        roots: list[str] = self.graph.get("roots", [])
        return roots

    @property
    def sources(self) -> list[str]:
        sources: list[str] = self.graph.get("sources", [])
        return sources

    @property
    def notes(self) -> list[str]:
        notes: list[str] = self.graph.get("notes", [])
        return notes

    @property
    def problems(self) -> list[str]:
        problems: list[str] = self.graph.get("problems", [])
        return problems

    @property
    def reverse_view(self) -> bool:
        """A what-requires graph: edges still point from what requires to what is required."""
        return bool(self.graph.get("reverse"))



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
    graph = DepGraph()
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


def add_planned_edges(graph: DepGraph, node: str,
                      targets: Iterable[tuple[str, EdgeData]]) -> None:
    """``add_edges_from_new_node`` for a node that may have edges already (a Supplements
    edge drawn towards what it supplements): such an edge keeps its place and takes the
    new dependencies as ``add_dependency`` merges them."""
    if not graph._succ[node]:
        add_edges_from_new_node(graph, node, targets)
        return
    for target, data in targets:
        for dep in data["deps"]:  # type: ignore[attr-defined]
            add_dependency(graph, node, target, dep)


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


class WalkLimitError(Exception):
    """A walk reached more nodes than its ``limit`` before it was done."""


def walk(starts: Iterable[T], step: Callable[[T], Iterable[T]], depth: int | None = None,
         limit: int | None = None) -> dict[T, int]:
    """The one walk from the roots: each node reached from ``starts`` and its level, the
    fewest steps from one of them (``step``: the nodes one step from a node), stopping
    ``depth`` steps out. ``limit``: raise WalkLimitError rather than take another step once
    more than that many nodes are reached. Levels are shortest distances, so the order
    in which ``step`` gives the nodes does not change them."""
    level = dict.fromkeys(starts, 0)
    frontier = list(level)
    distance = 0
    while frontier and (depth is None or distance < depth):
        distance += 1
        following = []
        for node in frontier:
            if limit is not None and len(level) > limit:
                raise WalkLimitError
            for nxt in step(node):
                if nxt not in level:
                    level[nxt] = distance
                    following.append(nxt)
        frontier = following
    return level


_REVERSE_KINDS = frozenset(kind for kind in Kind if kind.reverse)


def forward_steps(graph: DepGraph, backward: bool = False) -> dict[str, list[str]]:
    """Each package's steps: what it pulls in. Along an edge of a forward kind, against
    one of Supplements/Enhances (the package that declares them is pulled in by their
    target; both ways when an edge has both), and in a reverse graph (``--reverse``)
    from a package to what requires it. ``backward``: the steps turned around.

    An unpicked alternative (``--show-alternatives``) is not pulled in: the step to it
    from the package that offers it is kept, so it sits one level past that package
    (and a depth cut keeps it with it), but no step leaves it, and an edge marked
    alternative is no step to a package that is in the graph for its own reasons.
    One pass over the edges, each looked at once."""
    steps: dict[str, list[str]] = defaultdict(list)
    turned = bool(graph.graph.get("reverse")) != backward
    offers = []
    for tail, heads in graph.adjacency():  # networkx's own dictionaries, read directly
        for head, data in heads.items():
            if data.get("alternative"):
                offers.append((tail, head))
                continue
            deps = data["deps"]
            if len(deps) == 1:  # most edges
                back = deps[0].kind in _REVERSE_KINDS
                ahead = not back
            else:
                back = any(d.kind in _REVERSE_KINDS for d in deps)
                ahead = not all(d.kind in _REVERSE_KINDS for d in deps)
            source, target = (head, tail) if turned else (tail, head)
            if ahead:  # pulled in by the source
                steps[source].append(target)
            if back:  # pulls the source in
                steps[target].append(source)
    offered = {node for node, flag in graph.nodes(data="alternative") if flag}
    for node in offered:  # an alternative leads nowhere
        steps.pop(node, None)
    if not turned:  # each is one step from what offers it
        for tail, head in offers:
            if head in offered and tail not in offered:
                steps[tail].append(head)
    return steps


def levels(graph: DepGraph, depth: int | None = None) -> dict[str, int]:
    """Each package's level: the fewest steps (``forward_steps``) from a root."""
    roots = [r for r in graph.graph["roots"] if r in graph]
    if not roots or len(roots) == len(graph):  # nothing to walk
        return dict.fromkeys(roots, 0)
    steps = forward_steps(graph)
    return walk(roots, lambda node: steps.get(node, ()), depth)


def cut_depth(graph: DepGraph, depth: int) -> DepGraph:
    """Keep the nodes at most ``depth`` levels from the roots."""
    keep = list(levels(graph, depth))
    cut: DepGraph = graph.subgraph(keep).copy()
    cut.graph = {**graph.graph, "notes": [*graph.graph["notes"], f"cut at depth {depth}"]}
    return cut


def unresolved_count(graph: DepGraph) -> int:
    return sum(len(data["unresolved"]) for _, data in graph.nodes(data=True))
