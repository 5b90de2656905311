"""The dependency tree as text (like dnf5 deptree, pactree, cargo tree) or nested JSON.

Each package's subtree is expanded once; later occurrences are marked ``(*)``.
Reverse graphs (``--reverse``) are walked from the targets to what requires them.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

import click

from rpmgraph.analysis.paths import forward_view
from rpmgraph.graph import DepGraph, edge_kind
from rpmgraph.model import Dependency, Kind


@dataclass(frozen=True, slots=True)
class TreeStyle:
    ascii: bool = False
    show_caps: bool = False
    color: bool = False
    depth: int | None = None
    width: int | None = None  # cut lines to this many columns (a terminal's width)

    @property
    def branch(self) -> tuple[str, str, str, str]:
        """(tee, last, pipe, blank) drawing characters."""
        if self.ascii:
            return ("|-- ", "`-- ", "|   ", "    ")
        return ("├── ", "└── ", "│   ", "    ")


@dataclass(frozen=True, slots=True)
class _Child:
    node: str
    deps: list[Dependency]
    alternative: str | None = None  # why a provider shown with --show-alternatives is unused


def _children(graph: DepGraph, view: DepGraph, node: str) -> list[_Child]:
    if graph.graph.get("reverse"):
        pairs = [(p, view.edges[p, node]) for p in sorted(view.predecessors(node))]
    else:
        pairs = [(s, view.edges[node, s]) for s in sorted(view.successors(node))]
    return [_Child(other, data["deps"], data.get("alternative")) for other, data in pairs]


def terminal_safe(text: str) -> str:
    """Metadata must not reach the terminal as control sequences."""
    return "".join(ch if ch.isprintable() else f"\\x{ord(ch):02x}" for ch in text)


class _TextTree:
    def __init__(self, graph: DepGraph, style: TreeStyle) -> None:
        self.graph = graph
        self.view = forward_view(graph, alternatives=True)
        self.style = style
        self.expanded: set[str] = set()
        self.lines: list[str] = []

    def paint(self, text: str, **kwargs: Any) -> str:
        return click.style(text, **kwargs) if self.style.color else text

    def render(self) -> str:
        for root in self.graph.graph["roots"]:
            if root in self.graph:
                self.lines.append(self.paint(terminal_safe(root), bold=True))
                self.walk(root, "", 0)
        lines = self.lines if self.style.width is None else [
            fit(line, self.style.width, self.style.ascii) for line in self.lines]
        return "\n".join(lines) + "\n"

    def walk(self, node: str, prefix: str, level: int) -> None:
        self.expanded.add(node)
        if self.style.depth is not None and level >= self.style.depth:
            return
        items: list[_Child | Dependency] = [*_children(self.graph, self.view, node),
                                            *self.graph.nodes[node]["unresolved"]]
        tee, last, pipe, blank = self.style.branch
        for i, item in enumerate(items):
            final = i == len(items) - 1
            lead, pad = prefix + (last if final else tee), prefix + (blank if final else pipe)
            if isinstance(item, _Child):
                self.child(item, lead, pad, level)
            else:
                self.unresolved(item, lead)

    def child(self, child: _Child, lead: str, pad: str, level: int) -> None:
        repeated = child.node in self.expanded and bool(self.view.adj[child.node])
        label = terminal_safe(child.node)
        kind = edge_kind(child.deps)
        if kind is not Kind.REQUIRES:
            label += " " + self.paint(f"({kind.value})", fg="cyan")
        if self.style.show_caps:
            caps = ", ".join(d.capability for d in child.deps)
            label += " " + self.paint(f"[{terminal_safe(caps)}]", fg="bright_black")
        if child.alternative:
            label += " " + self.paint(f"(alternative: {child.alternative})", dim=True)
        if repeated:
            label += self.paint(" (*)", dim=True)
        self.lines.append(lead + label)
        if not repeated:
            self.walk(child.node, pad, level + 1)

    def unresolved(self, dep: Dependency, lead: str) -> None:
        mark = "!" if self.style.ascii else "✗"
        text = f"{mark} nothing provides {terminal_safe(dep.capability)} ({dep.kind.value})"
        self.lines.append(lead + self.paint(text, fg="red"))


_ANSI = re.compile(r"(\x1b\[[0-9;]*m)")


def fit(line: str, width: int, ascii_only: bool = False) -> str:
    """Cut a line to ``width`` visible columns, ending it with an ellipsis; colour codes
    do not count, and the colour is reset after the cut."""
    if len(click.unstyle(line)) <= width:
        return line
    mark = "..." if ascii_only else "…"
    room, out = max(width - len(mark), 0), []
    for piece in _ANSI.split(line):
        if _ANSI.fullmatch(piece):
            out.append(piece)
        else:
            out.append(piece[:room])
            room -= len(out[-1])
    styled = any(_ANSI.fullmatch(p) for p in out)
    return "".join(out) + mark + ("\x1b[0m" if styled else "")


def to_tree_text(graph: DepGraph, style: TreeStyle | None = None) -> str:
    return _TextTree(graph, style or TreeStyle()).render()


def tree_document(graph: DepGraph, depth: int | None = None) -> dict[str, Any]:
    """Nested JSON: each node once in full, repeats as ``{"id", "repeated": true}``."""
    view = forward_view(graph, alternatives=True)
    expanded: set[str] = set()

    def build(node: str, deps: list[Dependency] | None, level: int) -> dict[str, Any]:
        entry: dict[str, Any] = {"id": node}
        if deps is not None:
            entry["kind"] = edge_kind(deps).value
            entry["capabilities"] = [d.capability for d in deps]
        if node in expanded and view.adj[node]:
            entry["repeated"] = True
            return entry
        expanded.add(node)
        entry["unresolved"] = [{"kind": d.kind.value, "capability": d.capability}
                               for d in graph.nodes[node]["unresolved"]]
        if depth is None or level < depth:
            entry["children"] = [build(c.node, c.deps, level + 1)
                                 for c in _children(graph, view, node)]
        return entry

    return {"format": "rpmgraph-tree", "version": 1, "policy": graph.graph["policy"],
            "reverse": bool(graph.graph.get("reverse")),
            "roots": [build(r, None, 0) for r in graph.graph["roots"] if r in graph]}


def to_tree_json(graph: DepGraph, depth: int | None = None) -> str:
    return json.dumps(tree_document(graph, depth), indent=2, ensure_ascii=False) + "\n"
