"""One root measured: its stats, its closure, and the chain that pulls in each package."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rpmgraph.analysis.paths import forward_view
from rpmgraph.analysis.sizes import RootStats, chain, parents, root_stats
from rpmgraph.checks.snapshot import Closure, closure_from, root_keys
from rpmgraph.depgraph import DepGraph

if TYPE_CHECKING:
    from rpmgraph.pool import LoadedPool
    from rpmgraph.resolve import ResolveOptions


@dataclass(frozen=True, slots=True)
class Measured:
    """One root's stats, its closure and the breadth-first tree (``parent``) that gives
    each package's chain from the root (``path``)."""

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


def measure_roots(loaded: LoadedPool, specs: list[str], options: ResolveOptions,
                  warn: Callable[[str], None], *, with_optional: bool = False,
                  top: int | None = 0) -> list[Measured]:
    """Each root of ``specs`` resolved on its own, as ``graph -O`` does, and measured."""
    from rpmgraph.resolve import Resolver, read_roots

    roots = read_roots(loaded, specs, with_optional, warn)
    resolver = Resolver(loaded, options, warn)
    keys = root_keys([(r.key, r.label) for r in roots])
    return [measure(resolver.graph([r]), r.key, keys[r.key], top) for r in roots]
