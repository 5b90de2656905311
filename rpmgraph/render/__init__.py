"""Output formats: one module per format, each a function from graph to text or bytes.

FORMATS is the one table the CLI takes its choices and file extensions from.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePath

from rpmgraph.graph import DepGraph


@dataclass(frozen=True, slots=True)
class Format:
    name: str
    extension: str
    binary: bool
    render: Callable[[DepGraph], bytes]
    description: str


def _dot(graph: DepGraph) -> bytes:
    from rpmgraph.render.dot import to_dot

    return to_dot(graph, graph.graph.get("dot_style")).encode()


def _json(graph: DepGraph) -> bytes:
    from rpmgraph.render.json import to_json

    return to_json(graph).encode()


def _graphml(graph: DepGraph) -> bytes:
    from rpmgraph.render.graphml import to_graphml

    return to_graphml(graph).encode()


def _tree(graph: DepGraph) -> bytes:
    from rpmgraph.render.tree import to_tree_text

    return to_tree_text(graph).encode()


def _html(graph: DepGraph) -> bytes:
    from rpmgraph.render.html import to_html

    return to_html(graph, graph.graph.get("dot_style")).encode()


def _graphviz(fmt: str) -> Callable[[DepGraph], bytes]:
    def render(graph: DepGraph) -> bytes:
        from rpmgraph.render.dot import to_dot
        from rpmgraph.render.graphviz import choose_engine, layout

        # Sized up before the DOT text is made: a graph too big to draw fails at once.
        engine = choose_engine(graph.number_of_nodes(), graph.number_of_edges(),
                               graph.graph.get("layout")).engine
        return layout(to_dot(graph, graph.graph.get("dot_style")), fmt, engine)

    return render


FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format("dot", "dot", False, _dot, "Graphviz DOT source"),
        Format("svg", "svg", False, _graphviz("svg"), "SVG picture (Graphviz dot)"),
        Format("png", "png", True, _graphviz("png"), "PNG picture (Graphviz dot)"),
        Format("pdf", "pdf", True, _graphviz("pdf"), "PDF document (Graphviz dot)"),
        Format("json", "json", False, _json, "rpmgraph-graph JSON, version 1"),
        Format("graphml", "graphml", False, _graphml, "GraphML (Gephi, yEd, Cytoscape)"),
        Format("tree", "txt", False, _tree, "indented text tree"),
        Format("html", "html", False, _html, "interactive page: pan, zoom, search, details"),
    )
}


def format_for_path(path: str) -> Format | None:
    """The format a file name's extension asks for, if any."""
    suffix = PurePath(path).suffix.lstrip(".").lower()
    return next((f for f in FORMATS.values() if f.extension == suffix), None)
