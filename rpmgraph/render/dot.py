"""Graphviz DOT built with pydot: roots stand out, weak edges dashed, unresolved in red.

Every string that comes from metadata goes through ``quote`` first: pydot leaves
pre-quoted strings alone, and its own quoting lets keywords such as ``node`` through.
"""

from __future__ import annotations

from typing import Any

import pydot

from rpmgraph.graph import DepGraph, edge_kind
from rpmgraph.model import Dependency, Kind

_FONT = "Helvetica"
_ROOT_FILL = "#ffd966"
_NODE_FILL = "#dde9f7"
_UNRESOLVED = "#cc0000"
_STATUS_FILL = {"added": "#b6e3b6", "removed": "#f4b6b6", "changed": "#fce5a8"}
_EDGE_STYLE: dict[Kind, dict[str, Any]] = {
    Kind.PREREQUIRES: {"style": "bold"},
    Kind.REQUIRES: {"style": "solid"},
    Kind.RECOMMENDS: {"style": "dashed"},
    Kind.SUGGESTS: {"style": "dotted"},
    Kind.SUPPLEMENTS: {"style": "dashed", "color": "grey50", "dir": "back"},
    Kind.ENHANCES: {"style": "dotted", "color": "grey50", "dir": "back"},
}


def quote(text: str) -> str:
    """A DOT double-quoted string: backslashes and quotes escaped, controls made visible."""
    return f'"{_escape(text)}"'


def _escape(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    # Control characters are shown as a literal \xNN (an escaped backslash, then hex).
    return "".join(ch if ch.isprintable() else f"\\\\x{ord(ch):02x}" for ch in escaped)


def _label(*lines: str) -> str:
    """A multi-line label: each line escaped on its own, joined by DOT's newline escape."""
    return '"' + "\\n".join(_escape(line) for line in lines) + '"'


def to_dot(graph: DepGraph) -> str:
    dot = pydot.Dot("rpmgraph", graph_type="digraph", strict=False)
    for key, value in _graph_attributes(graph).items():
        dot.set(key, value)
    dot.set_node_defaults(shape="box", style='"rounded,filled"', fontname=_FONT,
                          fillcolor=quote(_NODE_FILL), color=quote("#5b7fa6"))
    dot.set_edge_defaults(fontname=_FONT, fontsize="9", color=quote("#555555"))
    roots = set(graph.graph["roots"])
    for node, data in sorted(graph.nodes(data=True)):
        dot.add_node(_node(node, data, node in roots))
        for dep in data["unresolved"]:
            _add_unresolved(dot, node, dep)
    for source, target, data in sorted(graph.edges(data=True), key=lambda e: (e[0], e[1])):
        dot.add_edge(_edge(source, target, data["deps"]))
    return str(dot.to_string())


def _graph_attributes(graph: DepGraph) -> dict[str, str]:
    roots = ", ".join(graph.graph["roots"]) or "(no roots)"
    lines = [roots, f"policy: {graph.graph['policy']}", *graph.graph["notes"]]
    return {"rankdir": "LR", "fontname": _FONT, "fontsize": "12", "labelloc": "t",
            "label": _label(*lines), "ranksep": "0.6", "nodesep": "0.25"}


def _node(node: str, data: dict[str, Any], is_root: bool) -> pydot.Node:
    evr = f"{data['epoch']}:" if data["epoch"] else ""
    attrs: dict[str, Any] = {
        "label": _label(data["name"], f"{evr}{data['version']}-{data['release']}"),
        "tooltip": _label(node, data["summary"], f"repo: {data['repo']}",
                          f"installed size: {data['installsize']} bytes"),
    }
    if is_root:
        attrs.update(fillcolor=quote(_ROOT_FILL), penwidth="2")
    status = data.get("status")  # set by diffs: added / removed / changed
    if status in _STATUS_FILL:
        attrs.update(fillcolor=quote(_STATUS_FILL[status]))
    if data["unresolved"]:
        attrs.update(color=quote(_UNRESOLVED))
    return pydot.Node(quote(node), **attrs)


def _add_unresolved(dot: pydot.Dot, node: str, dep: Dependency) -> None:
    missing = quote(f"unresolved:{dep.capability}")
    dot.add_node(pydot.Node(missing, label=_label("nothing provides", dep.capability),
                            shape="octagon", style="filled", fillcolor=quote("#f4cccc"),
                            color=quote(_UNRESOLVED), fontcolor=quote(_UNRESOLVED)))
    style: dict[str, Any] = {**_EDGE_STYLE[dep.kind], "color": quote(_UNRESOLVED)}
    dot.add_edge(pydot.Edge(quote(node), missing, tooltip=quote(dep.capability), **style))


def _edge(source: str, target: str, deps: list[Dependency]) -> pydot.Edge:
    kind = edge_kind(deps)
    tooltip = "\n".join(f"{d.kind.value}: {d.capability}" for d in deps)
    attrs: dict[str, Any] = {**_EDGE_STYLE[kind], "tooltip": _label(*tooltip.split("\n"))}
    if "color" in attrs:
        attrs["color"] = quote(attrs["color"])
    return pydot.Edge(quote(source), quote(target), **attrs)
