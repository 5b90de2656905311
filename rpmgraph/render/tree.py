"""The dependency tree as text (like dnf5 deptree, pactree, cargo tree) or nested JSON.

Each package's subtree is expanded once; later occurrences are marked ``(*)``.
Reverse graphs (``--reverse``) are walked from the targets to what requires them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import click

from rpmgraph.analysis.paths import forward_view
from rpmgraph.depgraph import DepGraph, edge_kind
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
        """Depth first, with a stack of its own: a chain or a cycle of thousands of
        packages (perl's, texlive's) is as deep as the tree gets."""
        stack = [self._steps(node, prefix, level)]
        while stack:
            step = next(stack[-1], None)
            if step is None:
                stack.pop()
            else:
                stack.append(self._steps(*step))

    def _steps(self, node: str, prefix: str, level: int) -> Iterator[tuple[str, str, int]]:
        """Write ``node``'s lines; yield each child to expand, when it is its turn."""
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
                if self.child(item, lead):
                    yield item.node, pad, level + 1
            else:
                self.unresolved(item, lead)

    def child(self, child: _Child, lead: str) -> bool:
        """Write the child's line; whether its subtree is to be expanded."""
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
        return not repeated

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


_Steps = Iterator[tuple[str, list[Dependency] | None, int, list[dict[str, Any]]]]


def tree_document(graph: DepGraph, depth: int | None = None) -> dict[str, Any]:
    """Nested JSON: each node once in full, repeats as ``{"id", "repeated": true}``.
    Built with a stack of its own (see ``_TextTree.walk``)."""
    view = forward_view(graph, alternatives=True)
    expanded: set[str] = set()
    def start(node: str, deps: list[Dependency] | None, level: int,
              into: list[dict[str, Any]]) -> _Steps | None:
        entry: dict[str, Any] = {"id": node}
        into.append(entry)
        if deps is not None:
            entry["kind"] = edge_kind(deps).value
            entry["capabilities"] = [d.capability for d in deps]
        if node in expanded and view.adj[node]:
            entry["repeated"] = True
            return None
        expanded.add(node)
        entry["unresolved"] = [{"kind": d.kind.value, "capability": d.capability}
                               for d in graph.nodes[node]["unresolved"]]
        if depth is not None and level >= depth:
            return None
        children: list[dict[str, Any]] = []
        entry["children"] = children
        return iter([(c.node, c.deps, level + 1, children)
                     for c in _children(graph, view, node)])

    roots: list[dict[str, Any]] = []
    for root in graph.graph["roots"]:
        if root not in graph:
            continue
        first = start(root, None, 0, roots)
        stack = [first] if first is not None else []
        while stack:
            step = next(stack[-1], None)
            if step is None:
                stack.pop()
            elif (more := start(*step)) is not None:
                stack.append(more)
    return {"format": "rpmgraph-tree", "version": 1, "policy": graph.graph["policy"],
            "reverse": bool(graph.graph.get("reverse")), "roots": roots}


def to_tree_json(graph: DepGraph, depth: int | None = None) -> str:
    return indented_json(tree_document(graph, depth)) + "\n"


def indented_json(value: Any) -> str:
    """``json.dumps(value, indent=2, ensure_ascii=False)``, written with a stack of its own:
    the json module's indenting encoder recurses once a level, and a tree of a long chain
    nests thousands of levels deep."""
    out: list[str] = []
    # Each frame: the items still to write, whether it is a dict, its level, and whether
    # an item has been written yet.
    stack: list[tuple[Iterator[Any], bool, int, list[bool]]] = []

    def open_value(item: Any, level: int) -> None:
        if isinstance(item, dict) and item:
            out.append("{")
            stack.append((iter(item.items()), True, level + 1, [False]))
        elif isinstance(item, list) and item:
            out.append("[")
            stack.append((iter(item), False, level + 1, [False]))
        else:
            out.append(json.dumps(item, ensure_ascii=False))

    open_value(value, 0)
    while stack:
        items, is_dict, level, started = stack[-1]
        item: Any = next(items, _END)
        if item is _END:
            stack.pop()
            out.append("\n" + "  " * (level - 1) + ("}" if is_dict else "]"))
            continue
        out.append(("," if started[0] else "") + "\n" + "  " * level)
        started[0] = True
        if is_dict:
            key, item = item
            out.append(json.dumps(key, ensure_ascii=False) + ": ")
        open_value(item, level)
    return "".join(out)


_END = object()
