"""One root measured: its stats, its closure, and the chain that pulls in each package."""

from __future__ import annotations

from dataclasses import dataclass

from rpmgraph.analysis.paths import forward_view
from rpmgraph.analysis.sizes import RootStats, chain, parents, root_stats
from rpmgraph.checks.snapshot import Closure, closure_from
from rpmgraph.graph import DepGraph


@dataclass(frozen=True, slots=True)
class Measured:
    key: str  # the root's key in a lock file
    stats: RootStats
    closure: Closure
    parent: dict[str, str | None]

    def path(self, node: str) -> tuple[str, ...]:
        return tuple(chain(self.parent, node))


def measure(graph: DepGraph, root: str, key: str, top: int | None = 10) -> Measured:
    parent = parents(forward_view(graph), [root])
    return Measured(key, root_stats(graph, root, top), closure_from(graph, parent), parent)
