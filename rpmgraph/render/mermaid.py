"""Mermaid flowcharts, which GitHub, GitLab and many wikis draw inside Markdown.

Node ids are ``n0``, ``n1``, ... in NEVRA order (``u0``... for what nothing provides),
so no package name can break the syntax; every label is quoted, with each character
outside a small safe set written as a Mermaid entity (``#35;``), so metadata can neither
end a label nor inject HTML. Nodes get the fills of the DOT pictures through
``classDef`` (roles, diff status, nothing provides), edges the line of their kind as
far as Mermaid allows: pre-requires thick (``==>``), requires solid, weak kinds dotted
(suggests with shorter dots, supplements and enhances grey and drawn from the package
they pull in). Mermaid becomes unreadable and slow past a few hundred edges, and GitHub
refuses large diagrams: past ``MAX_NODES`` packages or ``MAX_EDGES`` edges the packages
nearest the roots are kept and a note says what was left out.
"""

from __future__ import annotations

import itertools
from collections import defaultdict, deque
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from rpmgraph.model import Dependency, Kind

if TYPE_CHECKING:
    from rpmgraph.depgraph import DepGraph
    from rpmgraph.render.style import Style

MAX_NODES = 100
MAX_EDGES = 200
_SMALL = 8  # up to this many packages, edges are labelled with their capabilities
_SAFE = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789 ._+:~^,=/()-")
_BORDER = "#5b7fa6"
_GREY = "#999999"
_RED = "#cc0000"
CLASSES: dict[str, str] = {
    "root": f"fill:#ffd966,stroke:{_BORDER},stroke-width:3px,font-weight:bold",
    "direct": f"fill:#9fc5e8,stroke:{_BORDER}",
    "transitive": f"fill:#dde9f7,stroke:{_BORDER}",
    "package": f"fill:#ffffff,stroke:{_BORDER}",
    "base": f"fill:#eeeeee,stroke:{_GREY}",
    "alternative": f"fill:#ffffff,stroke:{_GREY},stroke-dasharray:5 3,color:{_GREY}",
    "added": f"fill:#b6e3b6,stroke:{_BORDER}",
    "removed": f"fill:#f4b6b6,stroke:{_BORDER}",
    "changed": f"fill:#f6d5f7,stroke:{_BORDER}",
    "new": f"fill:#b6e3b6,stroke:{_BORDER},stroke-width:2px",
    "unresolved": f"fill:#f4cccc,stroke:{_RED},color:{_RED}",
    "note": "fill:#fafafa,stroke:#bbbbbb,stroke-dasharray:3 3,color:#555555",
}
_ARROWS = {Kind.PREREQUIRES: "==>", Kind.REQUIRES: "-->"}  # the weak kinds: "-.->"
_LINK_STYLES = {
    Kind.SUGGESTS: "stroke-dasharray:2 4",
    Kind.SUPPLEMENTS: f"stroke:{_GREY}",
    Kind.ENHANCES: f"stroke:{_GREY},stroke-dasharray:2 4",
    "alternative": f"stroke:{_GREY},stroke-dasharray:5 3",
    "unresolved": f"stroke:{_RED}",
}


def text(value: str) -> str:
    """Label text: safe characters as they are, every other one as a Mermaid entity."""
    return "".join(ch if ch in _SAFE else f"#{ord(ch)};" for ch in value)


def _comment(value: str) -> str:
    printable = "".join(ch if ch.isprintable() else " " for ch in value)
    return "%% " + " ".join(printable.split())


@dataclass(slots=True)
class Flowchart:
    """The statements of one flowchart, and the classes and link styles they use."""

    direction: str = "LR"
    comments: list[str] = field(default_factory=list)
    nodes: list[str] = field(default_factory=list)
    edges: list[str] = field(default_factory=list)
    classes: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    link_styles: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    extra: list[str] = field(default_factory=list)

    def node(self, ident: str, lines: Sequence[str], cls: str,
             shape: tuple[str, str] = ("(", ")")) -> None:
        label = "<br/>".join(text(line) for line in lines)
        self.nodes.append(f'    {ident}{shape[0]}"{label}"{shape[1]}')
        self.classes[cls].append(ident)

    def edge(self, source: str, target: str, arrow: str = "-->", label: str = "",
             style: str | None = None) -> None:
        labelled = f'|"{text(label)}"|' if label else ""
        if style is not None:
            self.link_styles[style].append(len(self.edges))
        self.edges.append(f"    {source} {arrow}{labelled} {target}")

    def note(self, message: str) -> None:
        self.node("note0", [message], "note", ("[", "]"))

    def text(self) -> str:
        lines = [f"flowchart {self.direction}", *self.comments, *self.nodes, *self.edges]
        lines += [f"    classDef {name} {CLASSES[name]}" for name in CLASSES
                  if self.classes.get(name)]
        lines += [f"    class {','.join(ids)} {name}" for name in CLASSES
                  if (ids := self.classes.get(name))]
        lines += [f"    linkStyle {','.join(map(str, sorted(indexes)))} {_LINK_STYLES[key]}"
                  for key, indexes in sorted(self.link_styles.items())]
        return "\n".join([*lines, *self.extra]) + "\n"


# ---------------------------------------------------------------- a whole graph


def to_mermaid(graph: DepGraph, style: Style | None = None, max_nodes: int = MAX_NODES,
               max_edges: int = MAX_EDGES) -> str:
    from rpmgraph.render.style import node_roles

    chart = Flowchart(direction=getattr(style, "rankdir", "LR"))
    chart.comments += [_comment(line) for line in _title_lines(graph)]
    kept, levels = _kept_nodes(graph, max_nodes)
    ids = {node: f"n{i}" for i, node in enumerate(sorted(kept))}
    roles = node_roles(graph)
    small = len(graph) <= _SMALL
    for node in sorted(kept):
        data = graph.nodes[node]
        cls = data.get("status") if data.get("status") in CLASSES else roles[node]
        chart.node(ids[node], _node_lines(data), cls)
        if data.get("unresolved"):
            chart.extra.append(f"    style {ids[node]} stroke:{_RED},stroke-width:2px")
    edges = sorted(((s, t, d) for s, t, d in graph.edges(data=True) if s in kept and t in kept),
                   key=lambda e: (max(levels[e[0]], levels[e[1]]), e[0], e[1]))
    shown_edges = edges[:max_edges]
    for source, target, data in sorted(shown_edges, key=lambda e: (e[0], e[1])):
        _package_edge(chart, ids[source], ids[target], data, small)
    room = max_edges - len(shown_edges)
    missing = _unresolved(graph, kept)
    for i, (node, dep) in enumerate(missing[:room]):
        chart.node(f"u{i}", ["nothing provides", dep.capability], "unresolved", ("{{", "}}"))
        chart.edge(ids[node], f"u{i}", _arrow(dep.kind), style="unresolved")
    left_nodes = len(graph) - len(kept)
    left_edges = graph.number_of_edges() - len(shown_edges) + max(len(missing) - room, 0)
    if left_nodes or left_edges:
        chart.note(_left_out(left_nodes, left_edges))
    return chart.text()


def _title_lines(graph: DepGraph) -> list[str]:
    roots: list[str] = graph.graph["roots"]
    shown = ", ".join(roots[:4]) + (f" and {len(roots) - 4} more" if len(roots) > 4 else "")
    return [f"rpmgraph: {shown or '(no roots)'}",
            f"policy: {graph.graph['policy']}; {len(graph)} packages, "
            f"{graph.number_of_edges()} dependencies", *graph.graph["notes"]]


def _kept_nodes(graph: DepGraph, limit: int) -> tuple[set[str], dict[str, int]]:
    """The ``limit`` packages nearest the roots (breadth first, either direction, then
    NEVRA order), and every package's distance (unreached ones after all others)."""
    roots = [r for r in graph.graph["roots"] if r in graph]
    level = dict.fromkeys(roots, 0)
    queue = deque(roots)
    while queue:
        node = queue.popleft()
        for nxt in sorted({*graph.succ[node], *graph.pred[node]}):
            if nxt not in level:
                level[nxt] = level[node] + 1
                queue.append(nxt)
    far = len(graph) + 1
    for node in graph:
        level.setdefault(node, far)
    order = sorted(graph, key=lambda n: (level[n], n))
    return set(order[:limit]), level


def _node_lines(data: Mapping[str, Any]) -> list[str]:
    evr = f"{data['epoch']}:" if data.get("epoch") else ""
    lines = [str(data.get("name", ""))]
    if data.get("version"):
        lines.append(f"{evr}{data['version']}-{data['release']}")
    return lines


def _arrow(kind: Kind) -> str:
    return _ARROWS.get(kind, "-.->")


def _package_edge(chart: Flowchart, source: str, target: str, data: Mapping[str, Any],
                  small: bool) -> None:
    from rpmgraph.depgraph import edge_kind

    deps: Sequence[Dependency] = data["deps"]
    kind = edge_kind(deps)
    rich = [d.capability for d in deps if d.capability.startswith("(")]
    label = " ".join(rich or ([d.capability for d in deps] if small else []))
    if data.get("alternative"):
        chart.edge(source, target, "-.->", label, style="alternative")
    elif kind.reverse:  # drawn from the package it pulls in, as in the pictures
        chart.edge(target, source, "-.->", label, style=kind)
    else:
        chart.edge(source, target, _arrow(kind), label,
                   style=kind if kind in _LINK_STYLES else None)


def _unresolved(graph: DepGraph, kept: Iterable[str]) -> list[tuple[str, Dependency]]:
    return [(node, dep) for node in sorted(kept)
            for dep in sorted(graph.nodes[node].get("unresolved") or (),
                              key=Dependency.sort_key)]


def _left_out(nodes: int, edges: int) -> str:
    parts = [f"{nodes} packages" if nodes else "", f"{edges} dependencies" if edges else ""]
    return (f"{' and '.join(p for p in parts if p)} not shown (Mermaid diagrams are capped "
            f"at {MAX_NODES} packages and {MAX_EDGES} edges); --depth, --reduce or "
            "--stop-at-base make the graph smaller, --format svg or html shows it whole")


# ---------------------------------------------------------------- chains (reports)


def chains_mermaid(chains: Sequence[Sequence[str]], names: Mapping[str, str],
                   new: Iterable[str], max_edges: int = MAX_EDGES) -> str:
    """A small graph of the chains that pull new packages in: each chain goes from a
    root to a new package, by package id; ``names`` labels them (name, and the rest of
    the id below it); new packages are green, roots yellow."""
    fresh = set(new)
    steps: dict[tuple[str, str], None] = {}
    kept_chains = 0
    for chain in chains:
        pairs = [(a, b) for a, b in itertools.pairwise(chain) if (a, b) not in steps]
        if len(steps) + len(pairs) > max_edges:
            break
        steps.update(dict.fromkeys(pairs))
        kept_chains += 1
    nodes = sorted({n for chain in chains[:kept_chains] for n in chain})
    ids = {node: f"n{i}" for i, node in enumerate(nodes)}
    roots = {chain[0] for chain in chains[:kept_chains] if chain}
    chart = Flowchart()
    for node in nodes:
        cls = "new" if node in fresh else "root" if node in roots else "package"
        chart.node(ids[node], _id_lines(node, names.get(node, node)), cls)
    for a, b in sorted(steps):
        chart.edge(ids[a], ids[b])
    if kept_chains < len(chains):
        chart.note(f"{len(chains) - kept_chains} more chains not shown (Mermaid diagrams "
                   f"are capped at {max_edges} edges)")
    return chart.text()


def _id_lines(node: str, name: str) -> list[str]:
    """``name`` over the rest of a NEVRA (``1.0-1.noarch``) when it begins with the name."""
    if node.startswith(f"{name}-") and len(node) > len(name) + 1:
        return [name, node[len(name) + 1:]]
    return [node]
