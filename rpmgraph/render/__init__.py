"""Output formats: one module per format, each a function from graph to text or bytes.

FORMATS is the one table the CLI takes its choices and file extensions from. A format
gives its output in pieces (``Format.pieces``) so that a file can be written while it is
made: the DOT of a whole distribution is 80 MB, and it is never all in memory at once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import PurePath
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # networkx is imported by the commands that make graphs, not by --help
    from rpmgraph.depgraph import DepGraph
    from rpmgraph.render.dot import DotMemo
    from rpmgraph.render.style import Style

_CHUNK = 1 << 20  # characters of text encoded and written at a time
# Graphviz's layout engines (--layout); here so that the CLI lists them without
# importing render/graphviz.py, which only runs them.
ENGINES = ("dot", "sfdp", "neato", "fdp", "twopi", "circo", "osage", "patchwork")


@dataclass(frozen=True, slots=True)
class RenderOptions:
    """How a graph is drawn; never part of the graph itself."""

    style: Style | None = None  # pictures, DOT, HTML, Mermaid: roles, colours, layout
    memo: DotMemo | None = None  # DOT statements shared by the graphs of a batch
    layout: str | None = None  # the Graphviz engine asked for (None: chosen by size)


PLAIN = RenderOptions()
Pieces = Callable[["DepGraph", RenderOptions], Iterable[bytes]]


@dataclass(frozen=True, slots=True)
class Format:
    name: str
    extension: str
    binary: bool
    make: Pieces
    description: str
    graphviz: bool = False  # rendering waits on Graphviz processes: worth doing in parallel

    def pieces(self, graph: DepGraph, options: RenderOptions = PLAIN) -> Iterable[bytes]:
        """The output in pieces, to be written as they come."""
        return self.make(graph, options)

    def render(self, graph: DepGraph, options: RenderOptions = PLAIN) -> bytes:
        """The whole output at once."""
        return b"".join(self.make(graph, options))


def encoded(pieces: Iterable[str]) -> Iterator[bytes]:
    """UTF-8 text in chunks of about a megabyte, however small the pieces it is made of."""
    batch: list[str] = []
    size = 0
    for piece in pieces:
        batch.append(piece)
        size += len(piece)
        if size >= _CHUNK:
            yield "".join(batch).encode()
            batch, size = [], 0
    if batch:
        yield "".join(batch).encode()


def _dot(graph: DepGraph, options: RenderOptions) -> Iterator[bytes]:
    from rpmgraph.render.dot import iter_dot

    return encoded(iter_dot(graph, options.style, options.memo))


def _json(graph: DepGraph, options: RenderOptions) -> Iterator[bytes]:
    from rpmgraph.render.json import iter_json

    return encoded(iter_json(graph))


def _graphml(graph: DepGraph, options: RenderOptions) -> Iterator[bytes]:
    from rpmgraph.render.graphml import iter_graphml

    return encoded(iter_graphml(graph))


def _tree(graph: DepGraph, options: RenderOptions) -> Iterator[bytes]:
    from rpmgraph.render.tree import to_tree_text

    yield to_tree_text(graph).encode()


def _list(graph: DepGraph, options: RenderOptions) -> Iterator[bytes]:
    from rpmgraph.render.listing import iter_list

    return encoded(iter_list(graph))


def _mermaid(graph: DepGraph, options: RenderOptions) -> Iterator[bytes]:
    from rpmgraph.render.mermaid import to_mermaid

    yield to_mermaid(graph, options.style).encode()


def _html(graph: DepGraph, options: RenderOptions) -> Iterator[bytes]:
    from rpmgraph.render.html import to_html

    yield to_html(graph, options.style).encode()


def _graphviz(fmt: str) -> Pieces:
    def render(graph: DepGraph, options: RenderOptions) -> Iterator[bytes]:
        from rpmgraph.render.dot import to_dot
        from rpmgraph.render.graphviz import choose_engine, layout

        # Sized up before the DOT text is made: a graph too big to draw fails at once.
        engine = choose_engine(graph.number_of_nodes(), graph.number_of_edges(),
                               options.layout).engine
        yield layout(to_dot(graph, options.style, options.memo), fmt, engine)

    return render


FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format("dot", "dot", False, _dot, "Graphviz DOT source"),
        Format("svg", "svg", False, _graphviz("svg"), "SVG picture (Graphviz dot)", True),
        Format("png", "png", True, _graphviz("png"), "PNG picture (Graphviz dot)", True),
        Format("pdf", "pdf", True, _graphviz("pdf"), "PDF document (Graphviz dot)", True),
        Format("json", "json", False, _json, "rpmgraph-graph JSON, version 1"),
        Format("graphml", "graphml", False, _graphml, "GraphML (Gephi, yEd, Cytoscape)"),
        Format("tree", "txt", False, _tree, "indented text tree"),
        Format("list", "list", False, _list, "NEVRAs, one a line, sorted (as repoquery)"),
        Format("mermaid", "mmd", False, _mermaid,
               "Mermaid flowchart, for Markdown (capped at 100 packages, 200 edges)"),
        Format("html", "html", False, _html, "interactive page: pan, zoom, search, details",
               True),
    )
}


def format_for_path(path: str) -> Format | None:
    """The format a file name's extension asks for, if any."""
    suffix = PurePath(path).suffix.lstrip(".").lower()
    return next((f for f in FORMATS.values() if f.extension == suffix), None)
