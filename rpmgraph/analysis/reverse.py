"""Reverse dependencies: what requires the given packages, recursively."""

from __future__ import annotations

from collections import deque

from rpmgraph.analysis.paths import forward_view
from rpmgraph.depgraph import DepGraph


def reverse_closure(whole: DepGraph, targets: list[str], depth: int | None = None,
                    view: DepGraph | None = None) -> DepGraph:
    """From the graph of every package, the targets and everything that pulls them in
    (within ``depth`` steps). Edges keep their direction: A -> B still means A needs B.

    ``view``: ``forward_view(whole)``, made once by a caller that asks for many targets
    (it copies every edge of the whole graph: a second per root of a large batch); or
    ``whole`` itself when none of its edges is turned around or left out there (no
    Supplements/Enhances, no unpicked alternatives): only predecessors are walked."""
    view = forward_view(whole) if view is None else view
    level = {t: 0 for t in targets if t in view}
    queue = deque(sorted(level))
    while queue:
        node = queue.popleft()
        if depth is not None and level[node] >= depth:
            continue
        for parent in sorted(view.predecessors(node)):
            if parent not in level:
                level[parent] = level[node] + 1
                queue.append(parent)
    result: DepGraph = whole.subgraph(sorted(level)).copy()
    note = "reverse dependencies" + (f", depth {depth}" if depth is not None else "")
    result.graph = {**whole.graph, "roots": sorted(level.keys() & set(targets)),
                    "notes": [*whole.graph["notes"], note], "reverse": True}
    return result
