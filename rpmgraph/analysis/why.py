"""Why does a root pull a package in: the shortest chains, as records, JSON and text.

Light on purpose (no networkx at import): ``rpmgraph.api`` re-exports its records.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from rpmgraph.model import Dependency, Kind

if TYPE_CHECKING:
    from rpmgraph.api import DependencyGraph
    from rpmgraph.depgraph import DepGraph

Paths = tuple[tuple[str, ...], ...]


@dataclass(frozen=True, slots=True)
class Step:
    """One step of a why-path: ``source`` pulls ``target`` in through ``dependencies``,
    declared by ``declared_by`` (``target`` itself for Supplements and Enhances)."""

    source: str
    target: str
    dependencies: tuple[Dependency, ...]
    declared_by: str

    @property
    def kind(self) -> Kind:
        from rpmgraph.depgraph import edge_kind

        return edge_kind(self.dependencies)

    def to_json(self) -> dict[str, Any]:
        return {"source": self.source, "target": self.target, "kind": self.kind.value,
                "capabilities": [d.capability for d in self.dependencies],
                "declared_by": self.declared_by}


@dataclass(frozen=True, slots=True)
class WhyPaths:
    """The shortest chains (``paths``, NEVRAs from a root to the target), every step
    they walk, once, in (source, target) order, and ``graph``: only those packages and
    edges, to be drawn. Empty (false) when the root does not pull the target in under
    ``policy``."""

    policy: str
    paths: Paths
    steps: tuple[Step, ...]
    graph: DependencyGraph = field(repr=False, compare=False)

    def __bool__(self) -> bool:
        return bool(self.paths)

    def chains(self) -> list[list[Step]]:
        """Each path as its steps."""
        by_edge = {(s.source, s.target): s for s in self.steps}
        return [[by_edge[pair] for pair in itertools.pairwise(p)] for p in self.paths]

    def to_json(self) -> dict[str, Any]:
        """What ``rpmgraph why --format json`` prints."""
        return {"paths": [list(p) for p in self.paths],
                "steps": [s.to_json() for s in self.steps]}

    def text(self) -> str:
        """What ``rpmgraph why`` prints: each path from its root, one step a line
        (``  --requires python-eventlet--> python-eventlet-...``), escaped for a
        terminal."""
        from rpmgraph.render.tree import terminal_safe

        blocks = []
        for path, chain in zip(self.paths, self.chains(), strict=True):
            lines = [path[0]] + [f"  --{s.kind.value} "
                                 f"{', '.join(d.capability for d in s.dependencies)}--> "
                                 f"{s.target}" for s in chain]
            blocks.append("\n".join(map(terminal_safe, lines)))
        return "\n\n".join(blocks) + "\n"


def shortest_chains(graph: DepGraph, targets: Sequence[str], every: bool = False,
                    ) -> tuple[Paths, tuple[Step, ...]]:
    """The shortest chains from ``graph``'s roots to any of ``targets`` (the first one in
    order, or ``every`` shortest one), and their steps. Supplements and Enhances are
    walked from the package they name to the one that declares them, as they pull it
    in."""
    from rpmgraph.analysis.paths import forward_view, shortest_paths

    view = forward_view(graph)
    found = sorted(p for start in graph.graph["roots"] for t in targets if t in graph
                   for p in shortest_paths(view, start, t, every))
    paths = found if every else found[:1]
    steps: dict[tuple[str, str], Step] = {}
    for path in paths:
        for a, b in itertools.pairwise(path):
            data = view.edges[a, b]
            steps[a, b] = Step(a, b, tuple(data["deps"]), b if data["reversed"] else a)
    return tuple(tuple(p) for p in paths), tuple(steps[key] for key in sorted(steps))


def paths_graph(graph: DepGraph, paths: Paths) -> DepGraph:
    """Only the packages and edges on the paths, to be drawn."""
    from rpmgraph.analysis.transform import subgraph_of_paths

    return subgraph_of_paths(graph, [list(p) for p in paths], "why-path")
