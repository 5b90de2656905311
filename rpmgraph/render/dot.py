"""Graphviz DOT built with pydot.

Roots stand out, each dependency kind has its own line style (explained in a legend),
unresolved dependencies are red, unpicked alternatives grey. Rendering hints that
are not part of the graph's data (clusters, sizes, legend) come in ``DotStyle``.

Every string that comes from metadata goes through ``quote`` first: pydot leaves
pre-quoted strings alone, and its own quoting lets keywords such as ``node`` through.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pydot

from rpmgraph.graph import DepGraph, edge_kind
from rpmgraph.model import Dependency, Kind

_FONT = "Helvetica"
_ROOT_FILL = "#ffd966"
_NODE_FILL = "#dde9f7"
_UNRESOLVED = "#cc0000"
_GREY = "#999999"
_STATUS_FILL = {"added": "#b6e3b6", "removed": "#f4b6b6", "changed": "#fce5a8"}
_EDGE_STYLE: dict[Kind, dict[str, Any]] = {
    Kind.PREREQUIRES: {"style": "bold"},
    Kind.REQUIRES: {"style": "solid"},
    Kind.RECOMMENDS: {"style": "dashed"},
    Kind.SUGGESTS: {"style": "dotted"},
    Kind.SUPPLEMENTS: {"style": "dashed", "color": "grey50", "dir": "back"},
    Kind.ENHANCES: {"style": "dotted", "color": "grey50", "dir": "back"},
}


@dataclass(frozen=True, slots=True)
class DotStyle:
    cluster: str | None = None  # "srpm" or "repo"
    sizes: bool = False  # installed size in the labels, node width growing with it
    legend: bool = True
    rankdir: str = "LR"


# Graphviz refuses a quoted string longer than 16 KiB; longer ones are written as
# "..." + "..." pieces, which DOT joins back into one string.
_PIECE_BYTES = 8192


def quote(text: str) -> str:
    """A DOT double-quoted string: backslashes and quotes escaped, controls made visible."""
    return _join(_escape(text))


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


def _label(*lines: str) -> str:
    """A multi-line label: each line escaped on its own, joined by DOT's newline escape."""
    escaped: list[str] = []
    for i, line in enumerate(lines):
        escaped += ["\\n"] if i else []
        escaped += _escape(line)
    return _join(escaped)


def human_size(size: int) -> str:
    value = float(size)
    for unit in ("B", "KiB", "MiB", "GiB"):
        if value < 1024 or unit == "GiB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{size} B"


def to_dot(graph: DepGraph, style: DotStyle | None = None) -> str:
    style = style or DotStyle()
    dot = pydot.Dot("rpmgraph", graph_type="digraph", strict=False)
    for key, value in _graph_attributes(graph, style).items():
        dot.set(key, value)
    dot.set_node_defaults(shape="box", style='"rounded,filled"', fontname=_FONT,
                          fillcolor=quote(_NODE_FILL), color=quote("#5b7fa6"))
    dot.set_edge_defaults(fontname=_FONT, fontsize="9", color=quote("#555555"))
    roots = set(graph.graph["roots"])
    biggest = max((d.get("installsize", 0) for _, d in graph.nodes(data=True)), default=0)
    clusters: dict[str, pydot.Subgraph] = {}
    for node, data in sorted(graph.nodes(data=True)):
        holder = _holder(dot, clusters, data, style)
        holder.add_node(_node(node, data, node in roots, style, biggest))
        for dep in data["unresolved"]:
            _add_unresolved(dot, node, dep)
    for source, target, data in sorted(graph.edges(data=True), key=lambda e: (e[0], e[1])):
        dot.add_edge(_edge(source, target, data))
    if style.legend:
        _add_legend(dot, graph)
    return str(dot.to_string())


def _graph_attributes(graph: DepGraph, style: DotStyle) -> dict[str, str]:
    roots = ", ".join(graph.graph["roots"]) or "(no roots)"
    lines = [roots, f"policy: {graph.graph['policy']}", *graph.graph["notes"]]
    return {"rankdir": style.rankdir, "fontname": _FONT, "fontsize": "12", "labelloc": "t",
            "label": _label(*lines), "ranksep": "0.6", "nodesep": "0.25"}


def _holder(dot: pydot.Dot, clusters: dict[str, pydot.Subgraph], data: dict[str, Any],
            style: DotStyle) -> pydot.Dot | pydot.Subgraph:
    """The cluster a node is drawn in (by source package or repository), if any."""
    if style.cluster is None or data.get("members"):
        return dot
    key = _source_name(data) if style.cluster == "srpm" else data.get("repo", "")
    if key not in clusters:
        cluster = pydot.Subgraph(quote(f"cluster_{style.cluster}_{key}"), label=quote(key),
                                 style="rounded", color=quote("#bbbbbb"), fontname=_FONT)
        clusters[key] = cluster
        dot.add_subgraph(cluster)
    return clusters[key]


def _source_name(data: dict[str, Any]) -> str:
    from rpmgraph.analysis.transform import source_name

    return source_name(data.get("sourcerpm", "")) or data.get("name", "")


def _node(node: str, data: dict[str, Any], is_root: bool, style: DotStyle,
          biggest: int) -> pydot.Node:
    attrs: dict[str, Any] = {"label": _label(*_node_lines(data, style)),
                             "tooltip": _label(*_tooltip_lines(node, data))}
    if is_root:
        attrs.update(fillcolor=quote(_ROOT_FILL), penwidth="2")
    if data.get("members"):
        attrs.update(shape="box3d", style="filled")
    if data.get("base"):
        attrs.update(fillcolor=quote("#eeeeee"), color=quote(_GREY))
    if data.get("alternative"):
        attrs.update(style='"rounded,dashed"', fontcolor=quote(_GREY), color=quote(_GREY))
    if data.get("stopped"):
        attrs.update(peripheries="2")
    if data.get("status") in _STATUS_FILL:
        attrs.update(fillcolor=quote(_STATUS_FILL[data["status"]]))
    if data["unresolved"]:
        attrs.update(color=quote(_UNRESOLVED))
    if style.sizes and biggest:
        attrs.update(width=f"{1.5 + 3.0 * data.get('installsize', 0) / biggest:.2f}")
    return pydot.Node(quote(node), **attrs)


def _node_lines(data: dict[str, Any], style: DotStyle) -> list[str]:
    evr = f"{data['epoch']}:" if data.get("epoch") else ""
    lines = [data["name"]]
    if data.get("version"):
        lines.append(f"{evr}{data['version']}-{data['release']}")
    if style.sizes:
        lines.append(human_size(data.get("installsize", 0)))
    return lines


def _tooltip_lines(node: str, data: dict[str, Any]) -> list[str]:
    return [node, data.get("summary", ""), f"repo: {data.get('repo', '')}",
            f"installed size: {human_size(data.get('installsize', 0))}"]


def _add_unresolved(dot: pydot.Dot, node: str, dep: Dependency) -> None:
    missing = quote(f"unresolved:{dep.capability}")
    dot.add_node(pydot.Node(missing, label=_label("nothing provides", dep.capability),
                            shape="octagon", style="filled", fillcolor=quote("#f4cccc"),
                            color=quote(_UNRESOLVED), fontcolor=quote(_UNRESOLVED),
                            tooltip=_label(f"nothing provides {dep.capability}")))
    style = {**_EDGE_STYLE[dep.kind], "color": quote(_UNRESOLVED)}
    dot.add_edge(pydot.Edge(quote(node), missing, tooltip=quote(dep.capability), **style))


def _edge(source: str, target: str, data: dict[str, Any]) -> pydot.Edge:
    deps: list[Dependency] = data["deps"]
    kind = edge_kind(deps)
    lines = [f"{d.kind.value}: {d.capability}" for d in deps]
    attrs: dict[str, Any] = {**_EDGE_STYLE[kind]}
    rich = [d.capability for d in deps if d.capability.startswith("(")]
    if rich:  # a condition or a choice is part of the story: show it on the edge
        attrs["label"] = _label(*rich)
    if data.get("alternative"):
        lines.append(data["alternative"])
        attrs.update(style="dashed", color=_GREY, fontcolor=quote(_GREY))
        attrs["label"] = _label(*(rich or [d.capability for d in deps]), data["alternative"])
    attrs["tooltip"] = _label(*lines)
    if "color" in attrs:
        attrs["color"] = quote(attrs["color"])
    return pydot.Edge(quote(source), quote(target), **attrs)


def _add_legend(dot: pydot.Dot, graph: DepGraph) -> None:
    """Explain the line styles of the kinds that appear, and the node colours in use."""
    kinds = sorted({d.kind for _, _, e in graph.edges(data=True) for d in e["deps"]},
                   key=list(Kind).index)
    legend = pydot.Subgraph(quote("cluster_legend"), label=quote("legend"), fontname=_FONT,
                            style="rounded", color=quote("#bbbbbb"), fontsize="10")
    for kind in kinds:
        a, b = quote(f"legend:{kind.value}:a"), quote(f"legend:{kind.value}:b")
        legend.add_node(pydot.Node(a, label=quote(""), shape="point", width="0.05"))
        legend.add_node(pydot.Node(b, label=quote(kind.value), shape="plaintext",
                                   style="solid"))
        edge_style = {**_EDGE_STYLE[kind]}
        if "color" in edge_style:
            edge_style["color"] = quote(edge_style["color"])
        legend.add_edge(pydot.Edge(a, b, **edge_style))
    roles = [("root", _ROOT_FILL)]
    if any(d["unresolved"] for _, d in graph.nodes(data=True)):
        roles.append(("unresolved", "#f4cccc"))
    if any(d.get("base") for _, d in graph.nodes(data=True)):
        roles.append(("base", "#eeeeee"))
    for role, fill in roles:
        legend.add_node(pydot.Node(quote(f"legend:role:{role}"), label=quote(role),
                                   fillcolor=quote(fill)))
    dot.add_subgraph(legend)
