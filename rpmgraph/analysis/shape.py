"""The transforms that shape a graph before it is drawn, applied in one order: leave out
(``exclude``), stop at, cut at a depth, collapse the base, merge by source package or
by cycle, transitive reduction."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rpmgraph.depgraph import DepGraph


@dataclass(frozen=True, slots=True)
class Shape:
    """Which transforms to apply (see ``rpmgraph.analysis.transform``). ``depth``: keep
    the packages at most that many levels from the roots; ``base``: the graph was
    resolved on a base, whose packages are collapsed into one node (or left out:
    ``hide_base``); ``collapse``: ``"srpm"`` merges the subpackages of each source."""

    exclude: Sequence[str] = ()
    stop_at: Sequence[str] = ()
    stop_at_base: bool = False
    depth: int | None = None
    base: bool = False
    hide_base: bool = False
    collapse: str | None = None
    collapse_cycles: bool = False
    reduce: bool = False

    def apply(self, graph: DepGraph) -> DepGraph:
        from rpmgraph.analysis import transform
        from rpmgraph.depgraph import cut_depth

        if self.exclude:
            graph = transform.exclude(graph, list(self.exclude))
        stops = list(self.stop_at) + (list(transform.BASE_PACKAGES) if self.stop_at_base else [])
        if stops:
            graph = transform.stop_at(graph, stops)
        if self.depth is not None:
            graph = cut_depth(graph, self.depth)
        if self.base:
            graph = transform.collapse_base(graph, hide=self.hide_base)
        if self.collapse == "srpm":
            graph = transform.collapse_srpm(graph)
        if self.collapse_cycles:
            graph = transform.collapse_cycles(graph)
        if self.reduce:
            graph = transform.reduce(graph)
        return graph
