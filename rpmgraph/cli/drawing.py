"""How the graphs of one ``rpmgraph graph`` run are drawn, and what the run tells once
at its end: the Graphviz engines chosen by size, the dependencies nothing provides."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from rpmgraph.cli.messages import warn
from rpmgraph.cli.outputs import Unresolved

if TYPE_CHECKING:
    from rpmgraph.depgraph import DepGraph
    from rpmgraph.render import Format, RenderOptions
    from rpmgraph.render.dot import DotMemo
    from rpmgraph.render.style import Style


class Layouts:
    """Pictures: the Graphviz engine for each graph, and one warning for the run when big
    graphs go to sfdp instead of dot (a graph too big for any engine fails when drawn)."""

    def __init__(self, fmt: Format, requested: str | None) -> None:
        self.pictures = fmt.name in ("svg", "png", "pdf")
        self.requested = requested
        self.switched: list[str] = []

    def choose(self, graph: DepGraph) -> None:
        if not self.pictures:
            return  # (text formats: without importing the Graphviz runner)
        from rpmgraph.errors import RenderError
        from rpmgraph.render.graphviz import choose_engine

        try:
            choice = choose_engine(graph.number_of_nodes(), graph.number_of_edges(),
                                   self.requested)
        except RenderError:
            return
        if choice.reason:
            self.switched.append(choice.reason)

    def warn(self) -> None:
        if self.switched:
            more = (f" (and for {len(self.switched) - 1} more graphs)"
                    if len(self.switched) > 1 else "")
            warn(self.switched[0] + more)


@dataclass(frozen=True, slots=True)
class Drawing:
    """What every graph of a run gets (``options``, ``prepare``), and what the run tells
    once at its end (``warn``)."""

    style: Style
    memo: DotMemo | None  # a batch's graphs share most of their DOT statements
    layouts: Layouts
    unresolved: Unresolved

    @classmethod
    def of(cls, fmt: Format, style: Style, layout: str | None, batch: bool) -> Drawing:
        from rpmgraph.render.dot import DotMemo

        return cls(style, DotMemo(style) if batch else None, Layouts(fmt, layout),
                   Unresolved())

    @property
    def options(self) -> RenderOptions:
        from rpmgraph.render import RenderOptions

        return RenderOptions(self.style, self.memo, self.layouts.requested)

    def prepare(self, graph: DepGraph) -> DepGraph:
        self.layouts.choose(graph)
        return graph

    def warn(self) -> None:
        self.layouts.warn()
        self.unresolved.warn()
