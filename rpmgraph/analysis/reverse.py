"""Reverse dependencies: what requires the given packages, recursively."""

from __future__ import annotations

from rpmgraph.depgraph import DepGraph, forward_steps, walk


def reverse_closure(whole: DepGraph, targets: list[str], depth: int | None = None,
                    view: DepGraph | None = None) -> DepGraph:
    """From the graph of every package, the targets and everything that pulls them in
    (within ``depth`` steps): the one walk (``depgraph.walk``) taking the steps of
    ``depgraph.forward_steps`` backwards. Edges keep their direction: A -> B still
    means A needs B.

    ``view``: a graph whose predecessors are those steps back, made once by a caller
    that asks for many targets (``paths.forward_view(whole)``, or ``whole`` itself when
    none of its edges is turned around or left out there: no Supplements/Enhances, no
    unpicked alternatives); without it the steps are read from every edge of ``whole``."""
    start = [t for t in targets if t in whole]
    if view is not None:
        level = walk(start, view.predecessors, depth)
    else:
        steps = forward_steps(whole, backward=True)
        level = walk(start, lambda node: steps.get(node, ()), depth)
    result: DepGraph = whole.subgraph(sorted(level)).copy()
    note = "reverse dependencies" + (f", depth {depth}" if depth is not None else "")
    result.graph = {**whole.graph, "roots": sorted(level.keys() & set(targets)),
                    "notes": [*whole.graph["notes"], note], "reverse": True}
    return result
