"""Build order among source packages, through the binary packages they build.

Source A must be built before source B when B's buildroot (what ``dnf builddep B``
installs) holds a binary package built from A: its SOURCERPM names A. Only the sources
given are ordered; what they need from the binary repositories is taken as present.

- layers: the sources that can be built in parallel, one layer after another
  (``nx.topological_generations`` once the suggested breaks are taken out);
- cycles: the strongly connected components of more than one source, the edges that
  close them, and the edges to break for bootstrapping, chosen greedily: the edge on
  the most cycles first, then the one into the source with the fewest BuildRequires
  (the one easiest to build first in a reduced form), then by name;
- a source-level graph (``to_graph``) any renderer draws: B -> A with ``buildrequires``
  dependencies naming the BuildRequires and the binary package, broken edges drawn as
  alternatives (dashed, grey).
"""

from __future__ import annotations

import itertools
import json
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import networkx as nx

from rpmgraph.depgraph import DepGraph, add_package, new_graph
from rpmgraph.model import Dependency, Kind
from rpmgraph.sources.srpms import SourcePackage

_CYCLES_LIMIT = 1000  # simple cycles counted per component when choosing a break


@dataclass(frozen=True, slots=True)
class BuildEdge:
    """``before`` must be built before ``after``: ``after``'s buildroot holds ``binary``,
    built from ``before``, brought in by its BuildRequires ``capability`` (directly, or
    ``through`` the binary packages listed)."""

    before: str
    after: str
    binary: str
    capability: str
    through: tuple[str, ...] = ()

    @property
    def direct(self) -> bool:
        return not self.through

    def explain(self) -> str:
        how = (f"BuildRequires {self.capability}" if self.direct else
               f"BuildRequires {self.capability} -> {' -> '.join(self.through)}")
        return f"{self.after} needs {self.binary} from {self.before} ({how})"


@dataclass(frozen=True, slots=True)
class BuildCycle:
    """Sources that need each other's binaries, the edges among them, and the edges to
    leave out for bootstrapping (build ``after`` without that BuildRequires first, then
    ``before``, then ``after`` again)."""

    sources: tuple[str, ...]
    edges: tuple[BuildEdge, ...]
    breaks: tuple[BuildEdge, ...]


@dataclass(frozen=True, slots=True)
class BuildOrder:
    sources: tuple[SourcePackage, ...]
    edges: tuple[BuildEdge, ...]
    layers: tuple[tuple[str, ...], ...]
    cycles: tuple[BuildCycle, ...]

    def chain(self) -> str:
        """Koji's chain-build form: ``a b : c : d``."""
        return " : ".join(" ".join(layer) for layer in self.layers)

    def to_json(self) -> dict[str, object]:
        def edge(e: BuildEdge) -> dict[str, object]:
            return {"before": e.before, "after": e.after, "binary": e.binary,
                    "capability": e.capability, "through": list(e.through)}

        return {
            "format": "rpmgraph-build-order", "version": 1,
            "sources": [p.nevra for p in self.sources],
            "layers": [list(layer) for layer in self.layers],
            "chain": self.chain(),
            "edges": [edge(e) for e in self.edges],
            "cycles": [{"sources": list(c.sources), "edges": [edge(e) for e in c.edges],
                        "break": [edge(e) for e in c.breaks]} for c in self.cycles],
        }


def build_edges(source: SourcePackage, buildroot: DepGraph,
                names: set[str]) -> list[BuildEdge]:
    """The edges into ``source`` that its buildroot graph gives: for each other source of
    ``names`` with binaries in it, the binary reached by the shortest chain."""
    from rpmgraph.builddep import buildroot_packages, built_from

    start = buildroot.graph["roots"][0]
    paths = nx.single_source_shortest_path(buildroot, start)
    best: dict[str, BuildEdge] = {}
    for node in buildroot_packages(buildroot):
        before = built_from(buildroot, node)
        if before not in names or before == source.name:
            continue
        path = paths.get(node, [start, node])
        caps = buildroot.edges[path[0], path[1]]["deps"] if len(path) > 1 and \
            buildroot.has_edge(path[0], path[1]) else ()
        edge = BuildEdge(before, source.name, node, caps[0].capability if caps else "",
                         tuple(path[1:-1]))
        current = best.get(before)
        if current is None or (len(edge.through), edge.binary) < (len(current.through),
                                                                  current.binary):
            best[before] = edge
    return [best[name] for name in sorted(best)]


def build_order(buildroots: Mapping[SourcePackage, DepGraph]) -> BuildOrder:
    """Layers and cycles of the sources, from each one's buildroot graph."""
    sources = sorted(buildroots, key=lambda p: p.name)
    names = {p.name for p in sources}
    edges = [e for p in sources for e in build_edges(p, buildroots[p], names)]
    graph = nx.DiGraph()
    graph.add_nodes_from(sorted(names))
    for e in edges:
        graph.add_edge(e.before, e.after, edge=e)
    requirements = {p.name: len(p.buildrequires) for p in sources}
    cycles = [_cycle(graph, component, requirements)
              for component in nx.strongly_connected_components(graph) if len(component) > 1]
    cycles.sort(key=lambda c: c.sources)
    acyclic = graph.copy()
    acyclic.remove_edges_from((e.before, e.after) for c in cycles for e in c.breaks)
    layers = tuple(tuple(sorted(layer)) for layer in nx.topological_generations(acyclic))
    return BuildOrder(tuple(sources), tuple(sorted(edges, key=_edge_key)), layers,
                      tuple(cycles))


def _edge_key(e: BuildEdge) -> tuple[str, str]:
    return (e.before, e.after)


def _cycle(graph: nx.DiGraph, component: set[str], requirements: Mapping[str, int],
           ) -> BuildCycle:
    inside: nx.DiGraph = graph.subgraph(component).copy()
    closing = sorted((d["edge"] for _, _, d in inside.edges(data=True)), key=_edge_key)
    breaks: list[BuildEdge] = []
    while not nx.is_directed_acyclic_graph(inside):
        on = Counter(pair for cycle in itertools.islice(nx.simple_cycles(inside), _CYCLES_LIMIT)
                     for pair in itertools.pairwise([*cycle, cycle[0]]))
        before, after = min(on, key=lambda pair: (-on[pair], requirements.get(pair[1], 0),
                                                  not inside.edges[pair]["edge"].direct, pair))
        breaks.append(inside.edges[before, after]["edge"])
        inside.remove_edge(before, after)
    return BuildCycle(tuple(sorted(component)), tuple(closing), tuple(breaks))


def to_graph(order: BuildOrder, sources: Sequence[str]) -> DepGraph:
    """The source-level graph: each source with an edge to each source it needs built
    first (its buildrequires, naming the binary that comes from there); the suggested
    breaks are drawn as alternatives; the last layer's sources are the roots."""
    graph = new_graph("install", list(sources), [])
    nodes = {p.name: add_package(graph, p.package()) for p in order.sources}
    breaks = {(e.before, e.after) for c in order.cycles for e in c.breaks}
    for e in order.edges:
        dep = Dependency(Kind.BUILDREQUIRES, f"{e.capability} ({e.binary})")
        data: dict[str, object] = {"deps": (dep,)}
        if (e.before, e.after) in breaks:
            data["alternative"] = "suggested break for bootstrapping"
        graph.add_edge(nodes[e.after], nodes[e.before], **data)
    graph.graph["roots"] = [nodes[n] for n in order.layers[-1]] if order.layers else []
    graph.graph["notes"] = ["build order: an edge points to a source to build first"]
    graph.graph["notes"] += [f"cycle: {', '.join(c.sources)}; break: "
                             f"{'; '.join(b.explain() for b in c.breaks)}"
                             for c in order.cycles]
    return graph


def order_text(order: BuildOrder) -> str:
    """Layers, then each cycle with its edges and the suggested break."""
    lines = [f"layer {i}: {' '.join(layer)}" for i, layer in enumerate(order.layers, 1)]
    lines += ["", f"chain: {order.chain()}"]
    for i, cycle in enumerate(order.cycles, 1):
        lines += ["", f"cycle {i}: {' '.join(cycle.sources)}"]
        lines += [f"  {e.before} before {e.after}: {e.explain()}" for e in cycle.edges]
        for b in cycle.breaks:
            lines += [f"  suggested break: build {b.after} first without its BuildRequires "
                      f"{b.capability} (which brings {b.binary} from {b.before}), then "
                      f"{b.before}, then rebuild {b.after}"]
    return "\n".join(lines) + "\n"


def order_report(order: BuildOrder, fmt: str, sources: Sequence[str],
                 ) -> tuple[str | None, DepGraph | None]:
    """The text, chain or JSON report of ``order``, or (for a picture format) its graph."""
    if fmt == "text":
        return order_text(order), None
    if fmt == "chain":
        return order.chain() + "\n", None
    if fmt == "json":
        return _dumps(order.to_json()), None
    return None, to_graph(order, sources)


# ---------------------------------------------------------------- what must be rebuilt


@dataclass(frozen=True, slots=True)
class Rebuild:
    """A source package whose buildroot holds ``target``: ``depth`` 1 when one of its
    BuildRequires is satisfied by it, more when it comes in through other packages
    (``path``: the source, the binary packages in between, the target)."""

    source: str
    depth: int
    target: str
    path: tuple[str, ...]

    @property
    def capability(self) -> str:
        return self.path[1] if len(self.path) > 1 else ""


def rebuilds(buildroots: Mapping[SourcePackage, DepGraph], targets: Sequence[str],
             ) -> list[Rebuild]:
    """The sources whose buildroot holds one of ``targets`` (binary NEVRAs), each with
    its shortest chain to it; by depth, then name."""
    found = []
    for source, graph in buildroots.items():
        start = graph.graph["roots"][0]
        paths = nx.single_source_shortest_path(graph, start)
        chains = [paths[t] for t in sorted(targets) if t in paths and t != start]
        if chains:
            best = min(chains, key=lambda p: (len(p), p))
            found.append(Rebuild(source.nevra, len(best) - 1, best[-1], tuple(best)))
    return sorted(found, key=lambda r: (r.depth, r.source))


def rebuilds_graph(buildroots: Mapping[SourcePackage, DepGraph], found: Sequence[Rebuild],
                   sources: Sequence[str]) -> DepGraph:
    """The chains of ``found`` as one graph, each source a root."""
    graph = new_graph("install", list(sources), [])
    by_nevra = {s.nevra: g for s, g in buildroots.items()}
    for rebuild in found:
        drawn = by_nevra[rebuild.source]
        for node in rebuild.path:
            if node not in graph:
                graph.add_node(node, **{**drawn.nodes[node], "unresolved": []})
        for a, b in itertools.pairwise(rebuild.path):
            graph.add_edge(a, b, deps=drawn.edges[a, b]["deps"])
    graph.graph["roots"] = [r.source for r in found]
    targets = sorted({r.target for r in found})
    graph.graph["notes"] = [f"source packages whose buildroot holds {', '.join(targets)}"]
    return graph


def rebuilds_json(targets: Sequence[str], found: Sequence[Rebuild]) -> dict[str, object]:
    rows = [{"source": r.source, "depth": r.depth, "target": r.target, "path": list(r.path)}
            for r in found]
    return {"targets": list(targets), "rebuilds": rows}


def rebuilds_report(targets: Sequence[str], found: Sequence[Rebuild], graph: DepGraph,
                    fmt: str) -> tuple[str | None, DepGraph | None]:
    """The text or JSON report of ``found``, or (for a picture format) the graph."""
    if fmt == "text":
        return rebuilds_text(found), None
    if fmt == "json":
        return _dumps(rebuilds_json(targets, found)), None
    return None, graph


def _dumps(doc: dict[str, object]) -> str:
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def rebuilds_text(found: Sequence[Rebuild]) -> str:
    if not found:
        return "no source package's buildroot holds it\n"
    lines = []
    for r in found:
        chain = " -> ".join(r.path[1:])
        lines.append(f"{r.depth}  {r.source}  (buildrequires {chain})")
    return "\n".join(lines) + "\n"
