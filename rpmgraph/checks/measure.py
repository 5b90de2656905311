"""One root measured: its stats, its closure, and the chain that pulls in each package."""

from __future__ import annotations

from dataclasses import dataclass

from rpmgraph.analysis.paths import forward_view
from rpmgraph.analysis.sizes import RootStats, chain, parents, root_stats
from rpmgraph.checks.snapshot import Closure, closure_from
from rpmgraph.depgraph import DepGraph


@dataclass(frozen=True, slots=True)
class Measured:
    key: str  # the root's key in a lock file
    asked: str  # the root as the specs named it (its newest build's NEVRA)
    stats: RootStats
    closure: Closure
    parent: dict[str, str | None]

    def path(self, node: str) -> tuple[str, ...]:
        return tuple(chain(self.parent, node))


def measure(graph: DepGraph, asked: str, key: str, top: int | None = 10) -> Measured:
    """``asked``'s closure in its own graph, from the build the graph draws as its root
    (the solver may have chosen another build of it, or what obsoletes it)."""
    drawn = graph.graph["roots"]
    root = drawn[0] if drawn else asked
    parent = parents(forward_view(graph), [root])
    return Measured(key, asked, root_stats(graph, root, top), closure_from(graph, parent),
                    parent)
