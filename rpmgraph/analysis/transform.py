"""Transforms that make big graphs readable; each returns a new graph.

All of them keep the graph attributes (policy, sources, roots) and add a note
saying what was done, so a picture or JSON document says how it was cut.
"""

from __future__ import annotations

import fnmatch
import itertools
from collections.abc import Callable, Iterable
from typing import Any

import networkx as nx

from rpmgraph.analysis.paths import forward_view
from rpmgraph.depgraph import DepGraph, add_dependency, levels
from rpmgraph.model import Dependency

# Ubiquitous packages nearly everything ends in (debtree's "end" list, for RPM systems).
BASE_PACKAGES = ("setup", "filesystem", "basesystem", "glibc", "glibc-common", "libgcc",
                 "bash", "coreutils", "tzdata", "ncurses-base", "ncurses-libs", "zlib")


def _noted(source: DepGraph, graph: DepGraph, note: str) -> DepGraph:
    graph.graph = {**source.graph, "notes": [*source.graph["notes"], note]}
    return graph


def matches(data: dict[str, Any], node: str, patterns: Iterable[str]) -> bool:
    """A glob matches a package by name or by NEVRA."""
    return any(fnmatch.fnmatchcase(data.get("name", node), p) or fnmatch.fnmatchcase(node, p)
               for p in patterns)


def reachable_from_roots(graph: DepGraph) -> set[str]:
    """What the roots pull in (with the alternatives offered along the way, as a depth
    cut keeps them): the one walk of ``depgraph.levels``."""
    return set(levels(graph))


def _prune(graph: DepGraph) -> DepGraph:
    pruned: DepGraph = graph.subgraph(sorted(reachable_from_roots(graph))).copy()
    pruned.graph = graph.graph
    return pruned


def exclude(graph: DepGraph, patterns: list[str]) -> DepGraph:
    """Leave out matching packages and whatever is reachable only through them."""
    roots = set(graph.graph["roots"])
    drop = [n for n, d in graph.nodes(data=True) if n not in roots and matches(d, n, patterns)]
    cut = graph.copy()
    cut.remove_nodes_from(drop)
    return _noted(graph, _prune(cut), f"excluded {', '.join(patterns)}")


def stop_at(graph: DepGraph, patterns: list[str]) -> DepGraph:
    """Show matching packages but not what they depend on."""
    cut = graph.copy()
    for node, data in graph.nodes(data=True):
        if node in graph.graph["roots"] or not matches(data, node, patterns):
            continue
        cut.remove_edges_from([(node, t) for t in graph.successors(node)
                               if not _only_reverse(graph, node, t)])
        cut.nodes[node]["stopped"] = True
    return _noted(graph, _prune(cut), f"not followed past {', '.join(patterns)}")


def _only_reverse(graph: DepGraph, source: str, target: str) -> bool:
    return all(d.kind.reverse for d in graph.edges[source, target]["deps"])


def reduce(graph: DepGraph) -> DepGraph:
    """Transitive reduction that tolerates cycles: reduce the graph of strongly connected
    components, keep an edge when its components' edge survives or it lies in a cycle."""
    view = forward_view(graph)
    condensed = nx.condensation(view)
    member = condensed.graph["mapping"]
    kept = _reduction_edges(condensed)
    reduced = graph.copy()
    for source, target in list(graph.edges):
        a, b = (target, source) if _only_reverse(graph, source, target) else (source, target)
        if member[a] != member[b] and (member[a], member[b]) not in kept:
            reduced.remove_edge(source, target)
    return _noted(graph, reduced, "transitive reduction")


def _reduction_edges(dag: nx.DiGraph) -> set[tuple[int, int]]:
    """The edges of the transitive reduction of ``dag`` (networkx's gives the same, but
    keeps the set of descendants of every node: quadratic on a long chain). An edge
    (u, v) goes when v is reachable from another of u's successors; only nodes with two
    successors or more are searched, and a search stops past the last of them in
    topological order (no edge leads back), so chains and trees take linear time."""
    order = {node: i for i, node in enumerate(nx.topological_sort(dag))}
    kept: set[tuple[int, int]] = set()
    for u in dag:
        children = list(dag.successors(u))
        if len(children) > 1:
            children = [c for c in children if c not in _reached(dag, order, children)]
        kept.update((u, c) for c in children)
    return kept


def _reached(dag: nx.DiGraph, order: dict[int, int], targets: list[int]) -> set[int]:
    """Those of ``targets`` reachable from one of them by a path of one edge or more."""
    wanted, limit = set(targets), max(order[t] for t in targets)
    found: set[int] = set()
    seen: set[int] = set()
    stack = [s for t in targets for s in dag.successors(t)]
    while stack:
        node = stack.pop()
        if node in seen or order[node] > limit:
            continue
        seen.add(node)
        if node in wanted:
            found.add(node)
        stack.extend(dag.successors(node))
    return found


def cycles(graph: DepGraph) -> list[list[str]]:
    """Strongly connected components with more than one package, each sorted, in order."""
    view = forward_view(graph)
    found = [sorted(c) for c in nx.strongly_connected_components(view) if len(c) > 1]
    return sorted(found)


def collapse(graph: DepGraph, group_of: Callable[[str, dict[str, Any]], str | None],
             describe: Callable[[str, list[str]], dict[str, Any]], note: str) -> DepGraph:
    """Merge the nodes that ``group_of`` puts in one group into a node of their own; edges
    between groups are merged and edges inside a group dropped."""
    mapping = {n: group_of(n, d) or n for n, d in graph.nodes(data=True)}
    members: dict[str, list[str]] = {}
    for node, group in sorted(mapping.items()):
        members.setdefault(group, []).append(node)
    merged = DepGraph()
    for group, nodes in sorted(members.items()):
        if nodes == [group]:
            merged.add_node(group, **graph.nodes[group])
        else:
            merged.add_node(group, **describe(group, nodes), members=nodes,
                            unresolved=[u for n in nodes for u in graph.nodes[n]["unresolved"]])
    for source, target, data in sorted(graph.edges(data=True), key=lambda e: (e[0], e[1])):
        a, b = mapping[source], mapping[target]
        if a != b:
            for dep in data["deps"]:
                add_dependency(merged, a, b, dep)
    roots = sorted({mapping[r] for r in graph.graph["roots"] if r in mapping})
    merged.graph = {**graph.graph, "roots": roots, "notes": [*graph.graph["notes"], note]}
    return merged


def group_node(graph: DepGraph, label: str, nodes: list[str], **extra: Any) -> dict[str, Any]:
    """Attributes of a merged node: sizes summed, the rest describing the group."""
    datas = [graph.nodes[n] for n in nodes]
    return {"name": label, "epoch": 0, "version": "", "release": "", "arch": "",
            "repo": ",".join(sorted({d.get("repo", "") for d in datas})),
            "installsize": sum(d.get("installsize", 0) for d in datas),
            "downloadsize": sum(d.get("downloadsize", 0) for d in datas),
            "sourcerpm": "", "summary": f"{len(nodes)} packages: {', '.join(nodes)}", **extra}


def source_name(sourcerpm: str) -> str:
    """``openstack-nova-2012.1-6.fc17.src.rpm`` -> ``openstack-nova``."""
    stem = sourcerpm.removesuffix(".rpm").rsplit(".", 1)[0]
    parts = stem.rsplit("-", 2)
    return parts[0] if len(parts) == 3 else stem


def collapse_srpm(graph: DepGraph) -> DepGraph:
    def group(node: str, data: dict[str, Any]) -> str | None:
        srpm = data.get("sourcerpm", "")
        return f"srpm:{source_name(srpm)}" if srpm else None

    return collapse(graph, group,
                    lambda g, nodes: group_node(graph, g.removeprefix("srpm:"), nodes),
                    "subpackages of one source package merged")


def collapse_cycles(graph: DepGraph) -> DepGraph:
    group_of = {n: "cycle:" + "+".join(c) for c in cycles(graph) for n in c}
    return collapse(graph, lambda n, _d: group_of.get(n),
                    lambda g, nodes: group_node(graph, "cycle: " + " <-> ".join(
                        graph.nodes[n]["name"] for n in nodes), nodes),
                    "each dependency cycle drawn as one node")


def collapse_base(graph: DepGraph, hide: bool) -> DepGraph:
    """Packages marked ``base`` (already there) become one node, or disappear."""
    base = [n for n, d in graph.nodes(data=True) if d.get("base")]
    if not base:
        return graph
    if hide:
        cut = graph.copy()
        cut.remove_nodes_from(base)
        return _noted(graph, cut, f"{len(base)} base packages left out")
    return collapse(graph, lambda n, d: "base" if d.get("base") else None,
                    lambda g, nodes: group_node(graph, f"base ({len(nodes)} packages)", nodes,
                                                base=True),
                    f"{len(base)} base packages drawn as one node")


def subgraph_of_paths(graph: DepGraph, paths: list[list[str]], note: str) -> DepGraph:
    """Only the nodes and edges on the given paths (as walked in the forward view)."""
    keep = sorted({n for path in paths for n in path})
    sub = DepGraph()
    sub.add_nodes_from((n, graph.nodes[n]) for n in keep)
    for path in paths:
        for a, b in itertools.pairwise(path):
            source, target = (a, b) if graph.has_edge(a, b) else (b, a)
            for dep in graph.edges[source, target]["deps"]:
                add_dependency(sub, source, target, Dependency(dep.kind, dep.capability))
    sub.graph = {**graph.graph, "notes": [*graph.graph["notes"], note]}
    return sub
