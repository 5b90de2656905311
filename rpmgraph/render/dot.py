"""Graphviz DOT, in the text pydot writes (render/dotwriter.py writes it faster).

Nodes are filled by their role (root, direct dependency, transitive dependency, base)
or by their repository; each dependency kind has its own line style; a legend explains
the colours and styles in use. Unresolved dependencies are red octagons, unpicked
alternatives grey. Rendering hints that are not part of the graph's data (colouring,
clusters, sizes, legend, direction) come in ``Style``.

Every node and edge carries a tooltip: Graphviz writes the node id into the SVG
``<title>`` and the tooltip into the ``xlink:title`` of the link around it.

Every string that comes from metadata goes through ``quote`` first: pydot leaves
pre-quoted strings alone, and its own quoting lets keywords such as ``node`` through.
"""

from __future__ import annotations

import itertools
import textwrap
from collections import Counter
from collections.abc import Iterator, Sequence
from typing import Any

from rpmgraph.depgraph import DepGraph, edge_kind
from rpmgraph.model import Dependency, Kind
from rpmgraph.render import dotwriter as dotlib
from rpmgraph.render.style import (
    NODE_FILL,
    ROLES,
    STATUS_FILL,
    Style,
    node_fill,
    node_roles,
    repo_fills,
)

_FONT = "Helvetica"
_UNRESOLVED = "#cc0000"
_UNRESOLVED_FILL = "#f4cccc"
_GREY = "#999999"
_BORDER = "#5b7fa6"
_BIG = 80  # from this many nodes on, parallel edges are merged and labels shrink
_SMALL = 8  # up to this many nodes (a why-path, a cycle) edges are labelled with capabilities
_EDGE_STYLE: dict[Kind, dict[str, Any]] = {
    Kind.PREREQUIRES: {"style": "bold"},
    Kind.REQUIRES: {"style": "solid"},
    Kind.RECOMMENDS: {"style": "dashed"},
    Kind.SUGGESTS: {"style": "dotted"},
    Kind.SUPPLEMENTS: {"style": "dashed", "color": "grey50", "dir": "back"},
    Kind.ENHANCES: {"style": "dotted", "color": "grey50", "dir": "back"},
    Kind.BUILDREQUIRES: {"style": "bold", "color": "#b45f06"},
}



# Graphviz refuses a quoted string longer than 16 KiB; longer ones are written as
# "..." + "..." pieces, which DOT joins back into one string.
_PIECE_BYTES = 8192
_TITLE_WIDTH = 100  # characters of a note per line of a picture's title


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


# Graphviz lays out and draws every character of a label (a 64 KiB name ran it out of
# memory) and copies tooltips into the SVG: text from metadata is cut to these lengths
# there (node ids, which the SVG keeps in <title>, stay whole).
MAX_LABEL_LINE = 256
MAX_TOOLTIP_LINE = 1024
MAX_TOOLTIP_LINES = 40


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else f"{text[:limit - 1]}\u2026"


def _tooltip(*lines: str) -> str:
    """A tooltip: ``_label``'s form, cut to its limits, each backslash written so that no
    Graphviz version reads it as the start of ``\\N``, ``\\G``, ``\\L`` or ``\\E`` (which
    it expands in tooltips even after an escaped backslash; four give one backslash, or
    two where Graphviz reads them as labels are read: never an expansion)."""
    kept = [_cut(line, MAX_TOOLTIP_LINE) for line in lines[:MAX_TOOLTIP_LINES]]
    if len(lines) > MAX_TOOLTIP_LINES:
        kept.append(f"... and {len(lines) - MAX_TOOLTIP_LINES} more lines")
    return _label(*(line.replace("\\", "\\\\") for line in kept), limit=None)


def _label(*lines: str, limit: int | None = MAX_LABEL_LINE) -> str:
    """A multi-line label: each line cut to ``limit`` characters and escaped on its own,
    joined by DOT's newline escape."""
    if limit is not None and any(len(line) > limit for line in lines):
        lines = tuple(_cut(line, limit) for line in lines)
    joined = "".join(lines)  # plain when each line is: one check for all of them
    if len(joined) * 4 + 2 * len(lines) <= _PIECE_BYTES and _plain(joined):
        return '"' + "\\n".join(lines) + '"'
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




def to_dot(graph: DepGraph, style: Style | None = None, memo: DotMemo | None = None,
           ) -> str:
    return "".join(iter_dot(graph, style, memo))


class DotMemo:
    """Statements already made for earlier graphs of a run, to be written again as they
    are: the graphs of a batch share most of their packages and edges (1,119 openstack
    roots: 262,000 node and a million edge statements, of 2,200 and 7,900 different ones).
    Statements are taken from here only when what they are made of is equal: a node's
    data, role and fill; the data of every edge from a node."""

    LIMIT = 100_000  # statements of each kind kept; past that, start again

    def __init__(self, style: Style) -> None:
        self.style = style  # the statements' style: graphs in another one make their own
        self.nodes: dict[tuple[str, str, str, int], tuple[dict[str, Any], str]] = {}
        self.edges: dict[tuple[str, bool],
                         tuple[dict[str, dict[str, Any]], frozenset[Kind], str]] = {}

    def node(self, key: tuple[str, str, str, int], data: dict[str, Any]) -> str | None:
        entry = self.nodes.get(key)
        return entry[1] if entry is not None and entry[0] == data else None

    def keep_node(self, key: tuple[str, str, str, int], data: dict[str, Any],
                  line: str) -> None:
        if len(self.nodes) >= self.LIMIT:
            self.nodes.clear()
        self.nodes[key] = (_snapshot(data), line)

    def edges_from(self, source: str, heads: dict[str, dict[str, Any]], small: bool,
                   ) -> tuple[frozenset[Kind], str] | None:
        entry = self.edges.get((source, small))
        if entry is None or entry[0] != heads:
            return None
        return entry[1], entry[2]

    def keep_edges_from(self, source: str, heads: dict[str, dict[str, Any]], small: bool,
                        text: str) -> None:
        if len(self.edges) >= self.LIMIT:
            self.edges.clear()
        kinds = frozenset(d.kind for data in heads.values() for d in data["deps"])
        self.edges[source, small] = ({t: _snapshot(data) for t, data in heads.items()}, kinds,
                                     text)


def _snapshot(data: dict[str, Any]) -> dict[str, Any]:
    """A copy of a node's or an edge's data to compare later ones with: its lists copied
    too (a node's unresolved dependencies), so that a list changed in place afterwards
    cannot make other data look equal to what a statement was made of."""
    return {k: list(v) if isinstance(v, list) else v for k, v in data.items()}


def iter_dot(graph: DepGraph, style: Style | None = None, memo: DotMemo | None = None,
             ) -> Iterator[str]:
    """The DOT text in pieces of a few statements, in order: a file can be written while
    it is made, without the whole text (80 MB for a distribution) in memory. ``memo``:
    statements of the run's earlier graphs, written again instead of made again."""
    writer = _Writer(graph, style or Style(), memo)
    yield writer.head()
    yield from writer.node_statements()
    yield from writer.edge_statements()
    if writer.style.legend:
        yield writer.legend()
    yield dotlib.graph_close()


class _Writer:
    """What the statements of one graph share: its roles, fills and quoted node names,
    and the dependency kinds its edges use (the legend shows those)."""

    def __init__(self, graph: DepGraph, style: Style, memo: DotMemo | None = None) -> None:
        self.graph = graph
        self.style = style
        self.memo = memo if memo is not None and memo.style == style else None
        self.nodes = sorted(graph.nodes(data=True))
        self.roles = node_roles(graph)
        self.repos = repo_fills(graph)
        self.names = {node: quote(node) for node, _ in self.nodes}
        self.escaped = {node for node, name in self.names.items() if "\\" in name}
        # Node widths grow with the installed size (--sizes) up to the biggest's.
        self.biggest = max((d.get("installsize", 0) for _, d in self.nodes),
                           default=0) if style.sizes else 0
        self.kinds: set[Kind] = set()

    def head(self) -> str:
        big = self.graph.number_of_nodes() >= _BIG
        return (dotlib.graph_open("digraph", "rpmgraph",
                                  _graph_attributes(self.graph, self.style))
                + dotlib.node("node", {"shape": "box", "style": '"rounded,filled"',
                                       "fontname": _FONT, "fontsize": "10" if big else "11",
                                       "fillcolor": quote(NODE_FILL),
                                       "color": quote(_BORDER), "margin": '"0.12,0.04"'})
                + dotlib.node("edge", {"fontname": _FONT, "fontsize": "9",
                                       "color": quote("#55555599"), "arrowsize": "0.7"}))

    def node_statements(self) -> Iterator[str]:
        """Each node, then its unresolved dependencies, in name order."""
        if self.style.cluster is None:
            for node, data in self.nodes:
                line = self._statement(node, data)
                yield line + self._unresolved(node, data) if data["unresolved"] else line
        else:
            yield from self._clustered()

    def _clustered(self) -> Iterator[str]:
        """A cluster (by source package or repository) is written where its first node
        is and holds all of its nodes, so this section is made whole before it is written."""
        pieces: list[list[str]] = []  # a node's or a cluster's statements, in order
        clusters: dict[str, list[str]] = {}
        sizes = Counter(self._cluster_key(data) for _, data in self.nodes
                        if not data.get("members"))
        for node, data in self.nodes:
            key = self._cluster_key(data)
            if data.get("members") or sizes[key] < 2:  # a box holds two packages or more
                pieces.append([self._statement(node, data)])
            else:
                if key not in clusters:
                    clusters[key] = [dotlib.graph_open(
                        "subgraph", quote(f"cluster_{self.style.cluster}_{key}"),
                        {"label": quote(_cut(key, MAX_LABEL_LINE)), "style": "rounded",
                         "color": quote("#bbbbbb"),
                         "fontname": _FONT})]
                    pieces.append(clusters[key])
                clusters[key].append(self._statement(node, data))
            pieces.append([self._unresolved(node, data)])
        for cluster in clusters.values():
            cluster.append(dotlib.graph_close())
        for statements in pieces:
            yield "".join(statements)

    def _cluster_key(self, data: dict[str, Any]) -> str:
        return str(_source_name(data) if self.style.cluster == "srpm"
                   else data.get("repo", ""))

    def _statement(self, node: str, data: dict[str, Any]) -> str:
        role = self.roles[node]
        fill = node_fill(data, role, self.style, self.repos)
        key = (node, role, fill, self.biggest)
        line = self.memo.node(key, data) if self.memo is not None else None
        if line is None:
            line = self._plain_node(node, data, role, fill) or dotlib.node(
                self.names[node], _node(node, data, role, fill, self.style, self.biggest))
            if self.memo is not None:
                self.memo.keep_node(key, data, line)
        return line

    def _plain_node(self, node: str, data: dict[str, Any], role: str, fill: str,
                    ) -> str | None:
        """Most nodes: a package with a label, a tooltip and a fill, and a root's border,
        none of its text to escape; written as ``_node``'s attributes would be, without
        making them a dictionary or checking each line of the two labels apart. A second
        path kept for speed alone (benchmarks/README.md, "What bounds each target"); the
        golden files of tests/render hold both to the same text."""
        if (role not in _PLAIN_ROLES or self.style.sizes or data["unresolved"]
                or data.get("members") or data.get("stopped")):
            return None
        lines = _node_lines(data, self.style)
        label = "\\n".join(lines)
        tooltip = "\\n".join(_tooltip_lines(node, data, role))  # (nothing unresolved)
        # What _label checks for each, at once (a little stricter: the rest go its way).
        if (len(label) + len(tooltip)) * 4 > _PIECE_BYTES or len(label) > MAX_LABEL_LINE \
                or len(tooltip) > MAX_TOOLTIP_LINE or not _plain(
                "".join([*lines, node, data.get("summary", ""), data.get("repo", "")])):
            return None
        # (fills are this module's colours: nothing to escape)
        return (f'{self.names[node]} [label="{label}", tooltip="{tooltip}", '
                f'fillcolor="{fill}"{_PLAIN_ROLES[role]}];\n')

    def _unresolved(self, node: str, data: dict[str, Any]) -> str:
        return "".join([_unresolved(self.names[node], node, dep)
                        for dep in data["unresolved"]])

    def edge_statements(self) -> Iterator[str]:
        """Edges in (source, target) order, a source's edges at a time."""
        small = self.graph.number_of_nodes() <= _SMALL
        adjacency = dict(self.graph.adjacency())  # networkx's own dictionaries
        for source, _ in self.nodes:
            heads = adjacency[source]
            if heads:
                yield self._edges_from(source, heads, small)

    def _edges_from(self, source: str, heads: dict[str, dict[str, Any]], small: bool) -> str:
        """The statements of a node's edges: a package's dependencies are the same in
        most graphs of a batch, and their statements are made once (``DotMemo``)."""
        known = self.memo.edges_from(source, heads, small) if self.memo is not None else None
        if known is not None:
            self.kinds |= known[0]
            return known[1]
        text = "".join(self._new_edges(source, heads, small))
        if self.memo is not None:
            self.memo.keep_edges_from(source, heads, small, text)
        return text

    def _new_edges(self, source: str, heads: dict[str, dict[str, Any]], small: bool,
                   ) -> list[str]:
        """Most edges: one capability, no label, a tooltip with nothing to escape. They
        are written here as ``_edge``'s attributes would be, the others through it."""
        names, escaped, kinds = self.names, self.escaped, self.kinds
        plain = source not in escaped and not small
        # What every statement from this source starts with, made once for all of them.
        head, tip_head, room = f"{names[source]} -> ", f"{source} -> ", len(source)
        statements = []
        for target in sorted(heads):
            data = heads[target]
            if plain and target not in escaped:
                form = self._plain_form(data)
                if form and (room + len(target)) * 4 + form[2] <= _PIECE_BYTES \
                        and room + len(target) + 4 <= MAX_TOOLTIP_LINE:
                    statements.append(
                        f'{head}{names[target]} [{form[0]}tooltip="{tip_head}{target}{form[1]}')
                    continue
            kinds.update(d.kind for d in data["deps"])
            statements.append(dotlib.edge(names[source], names[target],
                                          _edge(source, target, data, small)))
        return statements

    def _plain_form(self, data: dict[str, Any]) -> tuple[str, str, int] | tuple[()]:
        """How an edge with this data is written when it is plain (no label: nothing rich
        nor an alternative, capabilities with nothing to escape): its attributes up to
        the tooltip, the end of the tooltip and of the statement, and the bytes ``_label``
        counts for the tooltip besides its two names. Empty when it is not plain."""
        deps: Sequence[Dependency] = data["deps"]
        if len(deps) > 1:
            return self._plain_merged_form(data, deps)
        form: tuple[str, str, int] | tuple[()] = ()
        kind, capability = deps[0].kind, deps[0].capability
        if capability[:1] != "(" and _plain(capability) and not data.get("alternative") \
                and len(capability) <= MAX_LABEL_LINE:
            tail = f"\\n{_KIND_TEXT[kind]}: {capability}"
            # _label's count: four bytes a character (" -> " and the second line's,
            # "\\n" not counted), two a line
            form = (_KIND_ATTRIBUTES[kind], tail + '"];\n', 4 * (2 + len(tail)) + 4)
            self.kinds.add(kind)
        return form

    def _plain_merged_form(self, data: dict[str, Any], deps: Sequence[Dependency],
                           ) -> tuple[str, str, int] | tuple[()]:
        """``_plain_form`` for an edge of several dependencies."""
        if data.get("alternative") or len(deps) >= MAX_TOOLTIP_LINES or not all(
                d.capability[:1] != "(" and _plain(d.capability)
                and len(d.capability) <= MAX_LABEL_LINE for d in deps):
            return ()
        lines = [f"{_KIND_TEXT[d.kind]}: {d.capability}" for d in deps]
        counted = 4 * (len(" -> ") + sum(map(len, lines))) + 2 * (1 + len(lines))
        self.kinds.update(d.kind for d in deps)
        return (_KIND_ATTRIBUTES[edge_kind(deps)],
                "".join(f"\\n{line}" for line in lines) + '"];\n', counted)

    def legend(self) -> str:
        kinds = sorted(self.kinds, key=list(Kind).index)
        return _legend(self.graph, kinds, self.roles, self.style, self.repos)


def _title_lines(graph: DepGraph) -> list[str]:
    roots: list[str] = graph.graph["roots"]
    shown = ", ".join(roots[:4]) + (f" and {len(roots) - 4} more" if len(roots) > 4 else "")
    counts = f"{graph.number_of_nodes()} packages, {graph.number_of_edges()} dependencies"
    # Long notes wrapped: one line of a picture's title is as wide as its text.
    notes = [part for note in graph.graph["notes"]
             for part in textwrap.wrap(note, _TITLE_WIDTH) or [""]]
    return [shown or "every package of the sources",
            f"policy: {graph.graph['policy']}; {counts}", *notes]


def _graph_attributes(graph: DepGraph, style: Style) -> dict[str, str]:
    big = graph.number_of_nodes() >= _BIG
    title = _title_lines(graph)
    # No "concentrate": the trunks it merges parallel edges into seem to start from
    # empty points, so every edge is drawn from its package to its dependency.
    return {"rankdir": style.rankdir, "fontname": _FONT, "fontsize": "14", "labelloc": "t",
            "labeljust": "l", "label": _label(*title),
            "ranksep": "0.9" if big else "0.6", "nodesep": "0.12" if big else "0.25",
            "bgcolor": "white", "pad": "0.3", "newrank": "true", "tooltip": _tooltip(*title)}


def _source_name(data: dict[str, Any]) -> str:
    from rpmgraph.analysis.transform import source_name

    return source_name(data.get("sourcerpm", "")) or data.get("name", "")


def _node(node: str, data: dict[str, Any], role: str, fill: str, style: Style,
          biggest: int) -> dict[str, str]:
    attrs = {"label": _label(*_node_lines(data, style)),
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
    return attrs


# The roles a node is drawn plainly in, and what ``_node`` adds to their attributes.
_PLAIN_ROLES = dict.fromkeys(("direct", "transitive", "package"), "") | {
    "root": ", " + dotlib.attribute_list({"penwidth": "2.5",
                                          "fontname": quote(f"{_FONT} Bold")})}


_ROLE_LINES = {role: f"role: {text}" for role, (_, text) in ROLES.items()}  # a tooltip's last


def _node_lines(data: dict[str, Any], style: Style) -> list[str]:
    evr = f"{data['epoch']}:" if data.get("epoch") else ""
    lines = [data["name"]]
    if data.get("version"):
        lines.append(f"{evr}{data['version']}-{data['release']}")
    if style.sizes:
        lines.append(human_size(data.get("installsize", 0)))
    return lines


def _tooltip_lines(node: str, data: dict[str, Any], role: str) -> list[str]:
    lines = [node, data.get("summary", ""), f"repo: {data.get('repo', '')}",
             f"installed size: {human_size(data.get('installsize', 0))}",
             _ROLE_LINES[role]]
    lines += [f"nothing provides: {d.capability} ({d.kind.value})" for d in data["unresolved"]]
    return lines


def _unresolved(name: str, node: str, dep: Dependency) -> str:
    """The red octagon of a dependency nothing provides, and the edge to it."""
    missing = quote(f"unresolved:{dep.capability}")
    octagon = dotlib.node(missing, {
        "label": _label("nothing provides", dep.capability), "shape": "octagon",
        "style": "filled", "fillcolor": quote(_UNRESOLVED_FILL), "color": quote(_UNRESOLVED),
        "fontcolor": quote(_UNRESOLVED), "tooltip": _tooltip(f"nothing provides {dep.capability}")})
    tooltip = _tooltip(f"{node} -> (nothing)", f"{dep.kind.value}: {dep.capability}")
    style = {"tooltip": tooltip, **_EDGE_STYLE[dep.kind], "color": quote(_UNRESOLVED)}
    return octagon + dotlib.edge(name, missing, style)


def _edge(source: str, target: str, data: dict[str, Any], small: bool = False
          ) -> dict[str, Any]:
    deps: Sequence[Dependency] = data["deps"]
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
    return attrs


def _kind_attributes(kind: Kind) -> str:
    """The start of the attribute list of a plain edge of ``kind`` (``_edge``'s, up to its
    tooltip): written once per kind instead of once per edge."""
    attrs = _edge(".", ".", {"deps": (Dependency(kind, "."),)})
    del attrs["tooltip"]
    return dotlib.attribute_list(attrs) + ", "


_KIND_ATTRIBUTES = {kind: _kind_attributes(kind) for kind in Kind}
_KIND_TEXT = {kind: kind.value for kind in Kind}


def _legend(graph: DepGraph, kinds: list[Kind], roles: dict[str, str], style: Style,
            repos: dict[str, str]) -> str:
    """Explain the line styles of the kinds that appear, and the node colours in use."""
    out = [dotlib.graph_open("subgraph", quote("cluster_legend"), {
        "label": quote("legend"), "fontname": _FONT, "style": '"rounded,filled"',
        "fillcolor": quote("#fafafa"), "color": quote("#bbbbbb"), "fontsize": "11",
        "labeljust": "l"})]
    for kind in kinds:
        a, b = quote(f"legend:{kind.value}:a"), quote(f"legend:{kind.value}:b")
        out.append(dotlib.node(a, {"label": quote(""), "shape": "point", "width": "0.05",
                                   "tooltip": quote(kind.value)}))
        out.append(dotlib.node(b, {"label": quote(kind.value), "shape": "plaintext",
                                   "style": "solid", "fontsize": "10",
                                   "tooltip": quote(kind.value)}))
        edge_style = {**_EDGE_STYLE[kind]}
        if "color" in edge_style:
            edge_style["color"] = quote(edge_style["color"])
        out.append(dotlib.edge(a, b, {"tooltip": quote(kind.value), **edge_style}))
    swatches = _legend_swatches(graph, roles, style, repos)
    for key, label, fill in swatches:
        out.append(dotlib.node(quote(f"legend:{key}"), {
            "label": quote(label), "fillcolor": quote(fill), "fontsize": "10",
            "tooltip": quote(label), **_swatch_style(key)}))
    # Invisible edges line the swatches up across the ranks: one compact row (or column).
    for (a, _, _), (b, _, _) in itertools.pairwise(swatches):
        out.append(dotlib.edge(quote(f"legend:{a}"), quote(f"legend:{b}"),
                               {"style": "invis", "minlen": "1"}))
    return "".join(out) + dotlib.graph_close()


def _legend_swatches(graph: DepGraph, roles: dict[str, str], style: Style,
                     repos: dict[str, str]) -> list[tuple[str, str, str]]:
    """(name, text, fill) of each colour in use: roles, or repositories, then the rest."""
    statuses = {status for _, status in graph.nodes(data="status")}
    # A node of a diff is filled by its status: its role's colour is then not in use.
    used = {roles[node] for node, status in graph.nodes(data="status") if not status}
    swatches = []
    if style.color_by == "repo":
        swatches += [(f"repo:{r}", f"repository {r}", fill) for r, fill in repos.items()]
        used &= {"root", "base", "alternative"}
    swatches += [(f"role:{r}", text, fill) for r, (fill, text) in ROLES.items() if r in used]
    if style.color_by == "repo":  # roots keep their repository's fill: only the border tells
        swatches = [(k, "root (thick border)", "#ffffff") if k == "role:root" else (k, t, f)
                    for k, t, f in swatches]
    if any(unresolved for _, unresolved in graph.nodes(data="unresolved")):
        swatches.append(("role:incomplete", "needs what nothing provides", "#ffffff"))
        swatches.append(("role:unresolved", "nothing provides", _UNRESOLVED_FILL))
    swatches += [(f"status:{s}", s, fill) for s, fill in STATUS_FILL.items() if s in statuses]
    return swatches


def _swatch_style(key: str) -> dict[str, Any]:
    if key == "role:root":
        return {"penwidth": "2.5"}
    if key == "role:unresolved":
        return {"shape": "octagon", "style": "filled", "color": quote(_UNRESOLVED)}
    if key == "role:incomplete":  # the red border of a package with unresolved dependencies
        return {"color": quote(_UNRESOLVED), "penwidth": "2"}
    if key == "role:alternative":
        return {"style": '"rounded,dashed,filled"', "color": quote(_GREY)}
    return {}
