"""Dependency cycles: the strongly connected components of a graph, with the edges that
close them, as records, JSON and text.

Light on purpose (no networkx at import): ``rpmgraph.api`` re-exports its records.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from rpmgraph.analysis.why import Step

if TYPE_CHECKING:
    from rpmgraph.api import DependencyGraph
    from rpmgraph.depgraph import DepGraph


@dataclass(frozen=True, slots=True)
class Cycle:
    """Packages that need each other (a strongly connected component, Supplements and
    Enhances turned around), and every edge among them, in (source, target) order, as
    drawn: from the package that declares the dependency."""

    packages: tuple[str, ...]
    edges: tuple[Step, ...]


@dataclass(frozen=True, slots=True)
class Cycles:
    """Every cycle of a graph, in order; ``graph``: only their packages, to be drawn."""

    cycles: tuple[Cycle, ...]
    graph: DependencyGraph = field(repr=False, compare=False)

    def __bool__(self) -> bool:
        return bool(self.cycles)

    def __len__(self) -> int:
        return len(self.cycles)

    def to_json(self) -> dict[str, Any]:
        """What ``rpmgraph cycles --format json`` prints."""
        return {"cycles": [list(c.packages) for c in self.cycles],
                "edges": [[_edge_json(e) for e in c.edges] for c in self.cycles]}

    def text(self) -> str:
        """What ``rpmgraph cycles`` prints, escaped for a terminal."""
        from rpmgraph.render.tree import terminal_safe

        if not self.cycles:
            return "no dependency cycles\n"
        blocks = []
        for i, cycle in enumerate(self.cycles, 1):
            lines = [f"cycle {i}: {len(cycle.packages)} packages"]
            lines += [f"  {e.source} --{e.kind.value} "
                      f"{', '.join(d.capability for d in e.dependencies)}--> {e.target}"
                      for e in cycle.edges]
            blocks.append("\n".join(map(terminal_safe, lines)))
        return "\n\n".join(blocks) + "\n"


def _edge_json(edge: Step) -> dict[str, Any]:
    return {"source": edge.source, "target": edge.target, "kind": edge.kind.value,
            "capabilities": [d.capability for d in edge.dependencies]}


def find_cycles(graph: DepGraph) -> tuple[tuple[Cycle, ...], DepGraph]:
    """The cycles of ``graph``, and the graph of their packages (no root)."""
    from rpmgraph.analysis.transform import cycles

    found = [_cycle(graph, members) for members in cycles(graph)]
    members = sorted({n for c in found for n in c.packages})
    sub: DepGraph = graph.subgraph(members).copy()
    sub.graph = {**graph.graph, "roots": [], "notes": [*graph.graph["notes"], "cycles"]}
    return tuple(found), sub


def _cycle(graph: DepGraph, members: list[str]) -> Cycle:
    inside = graph.subgraph(members).edges(data="deps")
    edges = [Step(a, b, tuple(deps), a) for a, b, deps in sorted(inside, key=lambda e: e[:2])]
    return Cycle(tuple(members), tuple(edges))
