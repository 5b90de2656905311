"""The DOT writer render/dot.py had before it wrote statements as text: pydot's object
tree, assembled from the same pieces, and its quoting character by character. Kept as
the oracle that tests/render/test_dotwriter.py compares dot.py's text with."""

from __future__ import annotations

import itertools
import textwrap
from collections import Counter
from typing import Any

import pydot as dotlib

from rpmgraph.depgraph import DepGraph, edge_kind
from rpmgraph.model import Dependency, Kind
from rpmgraph.render.dot import (
    _BIG,
    _BORDER,
    _EDGE_STYLE,
    _FONT,
    _GREY,
    _PIECE_BYTES,
    _SMALL,
    _UNRESOLVED,
    _UNRESOLVED_FILL,
    MAX_LABEL_LINE,
    MAX_TOOLTIP_LINE,
    MAX_TOOLTIP_LINES,
    _legend_swatches,
    _node_lines,
    _source_name,
    _swatch_style,
    _tooltip_lines,
)
from rpmgraph.render.style import NODE_FILL, Style, node_fill, node_roles, repo_fills


def quote(text: str) -> str:
    """A DOT double-quoted string: backslashes and quotes escaped, controls made visible."""
    if _plain(text):  # the common case, without going character by character
        return f'"{text}"'
    return _join(_escape(text))


def _plain(text: str) -> bool:
    """Nothing to escape, and short enough to stay one piece (4 bytes a character at most)."""
    return (len(text) * 4 <= _PIECE_BYTES and text.isprintable() and '"' not in text
            and "\\" not in text)


def _escape(text: str) -> list[str]:
    """Escaped characters, each kept whole so that a long string can be cut between them."""
    # Control characters are shown as a literal \xNN (an escaped backslash, then hex).
    return ["\\" + ch if ch in '\\"' else ch if ch.isprintable() else f"\\\\x{ord(ch):02x}"
            for ch in text]


def _join(escaped: list[str]) -> str:
    pieces: list[str] = []
    current: list[str] = []
    size = 0
    for unit in escaped:
        width = len(unit.encode())
        if size + width > _PIECE_BYTES:
            pieces.append("".join(current))
            current, size = [], 0
        current.append(unit)
        size += width
    pieces.append("".join(current))
    return '"' + '" + "'.join(pieces) + '"'


def _cut(text: str, limit: int | None) -> str:
    return text if limit is None or len(text) <= limit else text[:limit - 1] + "\u2026"


def _tooltip(*lines: str) -> str:
    """A tooltip: lines cut, at most MAX_TOOLTIP_LINES of them, backslashes doubled first."""
    kept = [_cut(line, MAX_TOOLTIP_LINE) for line in lines[:MAX_TOOLTIP_LINES]]
    if len(lines) > MAX_TOOLTIP_LINES:
        kept.append(f"... and {len(lines) - MAX_TOOLTIP_LINES} more lines")
    return _label(*(line.replace("\\", "\\\\") for line in kept), limit=None)


def _label(*lines: str, limit: int | None = MAX_LABEL_LINE) -> str:
    """A multi-line label: each line escaped on its own, joined by DOT's newline escape."""
    lines = tuple(_cut(line, limit) for line in lines)
    if sum(len(line) for line in lines) * 4 + 2 * len(lines) <= _PIECE_BYTES and all(
            map(_plain, lines)):
        return '"' + "\\n".join(lines) + '"'
    escaped: list[str] = []
    for i, line in enumerate(lines):
        escaped += ["\\n"] if i else []
        escaped += _escape(line)
    return _join(escaped)



def to_dot(graph: DepGraph, style: Style | None = None) -> str:
    style = style or Style()
    dot = dotlib.Dot("rpmgraph", graph_type="digraph", strict=False)
    for key, value in _graph_attributes(graph, style).items():
        dot.set(key, value)
    big = graph.number_of_nodes() >= _BIG
    dot.set_node_defaults(shape="box", style='"rounded,filled"', fontname=_FONT,
                          fontsize="10" if big else "11", fillcolor=quote(NODE_FILL),
                          color=quote(_BORDER), margin='"0.12,0.04"')
    dot.set_edge_defaults(fontname=_FONT, fontsize="9", color=quote("#55555599"),
                          arrowsize="0.7")
    roles = node_roles(graph)
    repos = repo_fills(graph)
    biggest = max((d.get("installsize", 0) for _, d in graph.nodes(data=True)), default=0)
    clusters: dict[str, dotlib.Subgraph] = {}
    sizes = Counter(_key(data, style) for _, data in graph.nodes(data=True)
                    if not data.get("members"))
    for node, data in sorted(graph.nodes(data=True)):
        holder = (_holder(dot, clusters, data, style) if sizes[_key(data, style)] > 1
                  else dot)
        fill = node_fill(data, roles[node], style, repos)
        holder.add_node(_node(node, data, roles[node], fill, style, biggest))
        for dep in data["unresolved"]:
            _add_unresolved(dot, node, dep)
    for source, target, data in sorted(graph.edges(data=True), key=lambda e: (e[0], e[1])):
        dot.add_edge(_edge(source, target, data, graph.number_of_nodes() <= _SMALL))
    if style.legend:
        _add_legend(dot, graph, roles, style, repos)
    return str(dot.to_string())


def _title_lines(graph: DepGraph) -> list[str]:
    roots: list[str] = graph.graph["roots"]
    shown = ", ".join(roots[:4]) + (f" and {len(roots) - 4} more" if len(roots) > 4 else "")
    counts = f"{graph.number_of_nodes()} packages, {graph.number_of_edges()} dependencies"
    notes = [part for note in graph.graph["notes"]
             for part in textwrap.wrap(note, 100) or [""]]
    return [shown or "every package of the sources",
            f"policy: {graph.graph['policy']}; {counts}", *notes]


def _graph_attributes(graph: DepGraph, style: Style) -> dict[str, str]:
    big = graph.number_of_nodes() >= _BIG
    return {"rankdir": style.rankdir, "fontname": _FONT, "fontsize": "14", "labelloc": "t",
             "labeljust": "l", "label": _label(*_title_lines(graph)),
             "ranksep": "0.9" if big else "0.6", "nodesep": "0.12" if big else "0.25",
             "bgcolor": "white", "pad": "0.3", "newrank": "true",
             "tooltip": _tooltip(*_title_lines(graph))}


def _key(data: dict[str, Any], style: Style) -> str:
    return str(_source_name(data) if style.cluster == "srpm" else data.get("repo", ""))


def _holder(dot: dotlib.Dot, clusters: dict[str, dotlib.Subgraph], data: dict[str, Any],
            style: Style) -> dotlib.Dot | dotlib.Subgraph:
    """The cluster a node is drawn in (by source package or repository), if any."""
    if style.cluster is None or data.get("members"):
        return dot
    key = _key(data, style)
    if key not in clusters:
        cluster = dotlib.Subgraph(quote(f"cluster_{style.cluster}_{key}"),
                                  label=quote(_cut(key, MAX_LABEL_LINE)),
                                 style="rounded", color=quote("#bbbbbb"), fontname=_FONT)
        clusters[key] = cluster
        dot.add_subgraph(cluster)
    return clusters[key]



def _node(node: str, data: dict[str, Any], role: str, fill: str, style: Style,
          biggest: int) -> dotlib.Node:
    attrs: dict[str, Any] = {"label": _label(*_node_lines(data, style)),
                             "tooltip": _tooltip(*_tooltip_lines(node, data, role)),
                             "fillcolor": quote(fill)}
    if role == "root":
        attrs.update(penwidth="2.5", fontname=quote(f"{_FONT} Bold"))
    if data.get("members"):
        attrs.update(shape="box3d", style="filled")
    if role == "base":
        attrs.update(color=quote(_GREY))
    if role == "alternative":
        attrs.update(style='"rounded,dashed,filled"', fontcolor=quote(_GREY), color=quote(_GREY))
    if data.get("stopped"):
        attrs.update(peripheries="2")
    if data["unresolved"]:
        attrs.update(color=quote(_UNRESOLVED), penwidth="2")
    if style.sizes and biggest:
        attrs.update(width=f"{1.5 + 3.0 * data.get('installsize', 0) / biggest:.2f}")
    return dotlib.Node(quote(node), **attrs)


def _add_unresolved(dot: dotlib.Dot, node: str, dep: Dependency) -> None:
    missing = quote(f"unresolved:{dep.capability}")
    dot.add_node(dotlib.Node(missing, label=_label("nothing provides", dep.capability),
                            shape="octagon", style="filled", fillcolor=quote(_UNRESOLVED_FILL),
                            color=quote(_UNRESOLVED), fontcolor=quote(_UNRESOLVED),
                            tooltip=_tooltip(f"nothing provides {dep.capability}")))
    style = {**_EDGE_STYLE[dep.kind], "color": quote(_UNRESOLVED)}
    tooltip = _tooltip(f"{node} -> (nothing)", f"{dep.kind.value}: {dep.capability}")
    dot.add_edge(dotlib.Edge(quote(node), missing, tooltip=tooltip, **style))


def _edge(source: str, target: str, data: dict[str, Any], small: bool = False) -> dotlib.Edge:
    deps: list[Dependency] = data["deps"]
    kind = edge_kind(deps)
    lines = [f"{source} -> {target}", *(f"{d.kind.value}: {d.capability}" for d in deps)]
    attrs: dict[str, Any] = {**_EDGE_STYLE[kind]}
    rich = [d.capability for d in deps if d.capability.startswith("(")]
    if rich:  # a condition or a choice is part of the story: show it on the edge
        attrs["label"] = _label(*rich)
    elif small:  # room to say through which capability each step goes
        attrs["label"] = _label(*(d.capability for d in deps))
        attrs["fontcolor"] = quote("#555555")
    if data.get("alternative"):
        lines.append(data["alternative"])
        attrs.update(style="dashed", color=_GREY, fontcolor=quote(_GREY))
        attrs["label"] = _label(*(rich or [d.capability for d in deps]), data["alternative"])
    attrs["tooltip"] = _tooltip(*lines)
    if "color" in attrs:
        attrs["color"] = quote(attrs["color"])
    return dotlib.Edge(quote(source), quote(target), **attrs)


def _add_legend(dot: dotlib.Dot, graph: DepGraph, roles: dict[str, str], style: Style,
                repos: dict[str, str]) -> None:
    """Explain the line styles of the kinds that appear, and the node colours in use."""
    kinds = sorted({d.kind for _, _, e in graph.edges(data=True) for d in e["deps"]},
                   key=list(Kind).index)
    legend = dotlib.Subgraph(quote("cluster_legend"), label=quote("legend"), fontname=_FONT,
                            style='"rounded,filled"', fillcolor=quote("#fafafa"),
                            color=quote("#bbbbbb"), fontsize="11", labeljust="l")
    for kind in kinds:
        a, b = quote(f"legend:{kind.value}:a"), quote(f"legend:{kind.value}:b")
        legend.add_node(dotlib.Node(a, label=quote(""), shape="point", width="0.05",
                                   tooltip=quote(kind.value)))
        legend.add_node(dotlib.Node(b, label=quote(kind.value), shape="plaintext",
                                   style="solid", fontsize="10", tooltip=quote(kind.value)))
        edge_style = {**_EDGE_STYLE[kind]}
        if "color" in edge_style:
            edge_style["color"] = quote(edge_style["color"])
        legend.add_edge(dotlib.Edge(a, b, tooltip=quote(kind.value), **edge_style))
    swatches = _legend_swatches(graph, roles, style, repos)
    for key, label, fill in swatches:
        legend.add_node(dotlib.Node(quote(f"legend:{key}"), label=quote(label),
                                   fillcolor=quote(fill), fontsize="10", tooltip=quote(label),
                                   **_swatch_style(key)))
    # Invisible edges line the swatches up across the ranks: one compact row (or column).
    for (a, _, _), (b, _, _) in itertools.pairwise(swatches):
        legend.add_edge(dotlib.Edge(quote(f"legend:{a}"), quote(f"legend:{b}"), style="invis",
                                   minlen="1"))
    dot.add_subgraph(legend)


