"""GraphML for Gephi, yEd and Cytoscape, with every node and edge attribute.

Lists become newline-separated strings because GraphML attributes are scalars. The
text is written line by line, in the layout networkx's ``generate_graphml`` has always
given it (ElementTree's escaping, indentation and ASCII character references; keys
numbered in the order attributes first appear, listed last first), without a copy of
the graph or an ElementTree of the whole document, which took 2 GiB for a 70,000-package
repository. A package node with nothing to escape (most of them) is one template
filled in (``_Document._plain_node``), other nodes are written attribute by attribute:
done that way for every node, a whole repository takes markedly longer.
tests/render/golden/ holds the text of both kinds; tests/render/test_parse_back.py
reads it back with networkx.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, get_type_hints

from rpmgraph.depgraph import DepGraph, edge_kind, node_table
from rpmgraph.model import Dependency, Package

_HEAD = ('<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
         'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
         'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
         'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">')
_LINE_BREAKS = ("\r", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e")  # str.splitlines's, in ASCII
_TYPES = {str: "string", int: "long", float: "double", bool: "boolean"}  # networkx's names


def _node_attrs(data: dict[str, Any]) -> dict[str, Any]:
    attrs = {k: v for k, v in data.items() if isinstance(v, (str, int)) and not
             isinstance(v, bool)}
    attrs["unresolved"] = "\n".join(f"{d.kind.value}: {d.capability}"
                                    for d in data.get("unresolved", []))
    if "members" in data:
        attrs["members"] = "\n".join(data["members"])
    if data.get("alternative"):  # drawn only by --show-alternatives: not installed
        attrs["alternative"] = "true"
    return attrs


def _clean(text: str) -> str:
    """XML 1.0 cannot carry most control characters, even escaped."""
    if text.isprintable() or text.replace("\n", "").replace("\t", "").isprintable():
        return text  # (lists joined by newlines: without going character by character)
    return "".join(ch if ch.isprintable() or ch in "\n\t" else f"\\x{ord(ch):02x}"
                   for ch in text)


def _node_attr_types(data: dict[str, Any]) -> dict[str, type]:
    """The names and types of ``_node_attrs(data)``, without making its text."""
    names = {k: type(v) for k, v in data.items() if isinstance(v, (str, int)) and not
             isinstance(v, bool)}
    names["unresolved"] = str
    if "members" in data:
        names["members"] = str
    if data.get("alternative"):
        names["alternative"] = str
    return names


def _text(text: str) -> str:
    """ElementTree's escaping of element text."""
    if "&" in text or "<" in text or ">" in text:
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text


def _attr(text: str) -> str:
    """ElementTree's escaping of an attribute value."""
    return (_text(text).replace('"', "&quot;").replace("\r", "&#13;").replace("\n", "&#10;")
            .replace("\t", "&#09;"))


def _datum(indent: str, ident: str, text: str) -> str:
    return (f'{indent}<data key="{ident}">{_text(text)}</data>' if text
            else f'{indent}<data key="{ident}" />')


class _Keys:
    """GraphML keys, numbered d0, d1, ... in the order (name, type, scope) first appears."""

    def __init__(self) -> None:
        self.ids: dict[tuple[str, type, str], str] = {}

    def add(self, scope: str, names: dict[str, type]) -> None:
        for name, kind in names.items():
            self.ids.setdefault((name, kind, scope), f"d{len(self.ids)}")

    def data(self, scope: str, attrs: dict[str, Any], indent: str) -> list[str]:
        ids = self.ids
        return [_datum(indent, ids[name, type(value), scope], str(value))
                for name, value in attrs.items()]

    def lines(self) -> list[str]:
        return [f'  <key id="{ident}" for="{scope}" attr.name="{_attr(name)}" '
                f'attr.type="{_TYPES[kind]}" />'
                for (name, kind, scope), ident in reversed(self.ids.items())]


def _element(head: str, children: list[str], indent: str) -> list[str]:
    if not children:
        return [f"{indent}<{head} />"]
    tag = head.split(" ", 1)[0]
    return [f"{indent}<{head}>", *children, f"{indent}</{tag}>"]


def to_graphml(graph: DepGraph) -> str:
    return "".join(iter_graphml(graph))


def iter_graphml(graph: DepGraph) -> Iterator[str]:
    """The document in pieces of whole lines, in order. The keys come first in it but are
    numbered in the order the data uses them: they are gathered in a first pass over the
    attribute names, so that the data itself is made once, while it is written."""
    document = _Document(graph)
    batch: list[str] = []
    for lines in document.parts():
        batch += lines
        if len(batch) >= _BATCH_LINES:
            yield _finished(batch)
            batch = []
    if batch:
        yield _finished(batch)


_BATCH_LINES = 4_000


def _finished(lines: list[str]) -> str:
    """Lines as ElementTree and networkx write them: ASCII, and line breaks made ``\\n``."""
    text = "\n".join(lines) + "\n"
    if not text.isascii():  # ElementTree writes US-ASCII, the rest as character references
        text = text.encode("ascii", "xmlcharrefreplace").decode("ascii")
    if any(brk in text for brk in _LINE_BREAKS):
        # networkx joins str.splitlines() with "\n": a \r or \v in the text becomes one.
        # (Pieces end at the end of a line, so a "\r\n" is never cut in two.)
        text = "\n".join(text.splitlines()) + "\n"
    return text


class _Document:
    """What networkx would hold: nodes under their cleaned names (two names that clean
    alike become one node, its attributes updated as add_node does), and the edges
    between them, each made when it is written."""

    def __init__(self, graph: DepGraph) -> None:
        self.graph = graph
        self.nodes: dict[str, list[str]] = {}  # cleaned name: the nodes it stands for
        for node in sorted(graph):
            self.nodes.setdefault(_clean(node), []).append(node)
        self.renamed = any(group != [name] for name, group in self.nodes.items())
        self.adjacency = dict(graph.adjacency())  # networkx's own dictionaries
        self.data = node_table(graph)
        self.ids = {name: _attr(name) for name in self.nodes}  # as XML attribute values
        self.graph_data = {"policy": _clean(graph.graph["policy"]),
                           "roots": _clean("\n".join(graph.graph["roots"])),
                           "sources": _clean("\n".join(graph.graph["sources"]))}
        self.keys = _Keys()
        self._plain_template: str | None = None  # see _plain_node
        self.keys.add("graph", {k: type(v) for k, v in self.graph_data.items()})
        self._declare_node_keys()
        if graph.number_of_edges():
            self.keys.add("edge", dict.fromkeys(_EDGE_KEYS, str))
        self._edge_ids = [self.keys.ids.get((key, str, "edge"), "") for key in _EDGE_KEYS]

    def _declare_node_keys(self) -> None:
        """The nodes' keys. Most nodes have the same attributes, of the same types: a
        node whose names and types were seen before adds nothing new."""
        seen: set[tuple[tuple[str, ...], tuple[type, ...]]] = set()
        nodes = self.data
        for group in self.nodes.values():
            if len(group) == 1:
                data = nodes[group[0]]
                shape = (tuple(data), tuple(map(type, data.values())))
                if shape in seen:
                    continue
                seen.add(shape)
            names: dict[str, type] = {}
            for node in group:
                names.update(_node_attr_types(nodes[node]))
            self.keys.add("node", names)

    def parts(self) -> Iterator[list[str]]:
        yield [_HEAD, *self.keys.lines(), '  <graph edgedefault="directed">']
        plain = self._plain_node
        for name, group in self.nodes.items():
            line = plain(name, group[0]) if len(group) == 1 else None
            if line is not None:
                yield [line]
                continue
            attrs: dict[str, Any] = {}
            for node in group:
                attrs.update((k, _clean(v) if isinstance(v, str) else v)
                             for k, v in _node_attrs(self.data[node]).items())
            yield _element(f'node id="{self.ids[name]}"',
                           self.keys.data("node", attrs, "      "), "    ")
        for source, group in self.nodes.items():
            yield self._cleaned_edges(source, group) if self.renamed else self._edges(source)
        yield [*self.keys.data("graph", self.graph_data, "    "), "  </graph>", "</graphml>"]

    def _plain_node(self, name: str, node: str) -> str | None:
        """Most nodes: a package's fields, none of them empty or with anything to escape
        or clean, and nothing unresolved. Their element is one template filled in, as the
        general way (``_node_attrs``, ``_clean``, ``_Keys.data``) would write it."""
        data = self.data[node]
        if tuple(data) != _PLAIN_NAMES or data["unresolved"]:
            return None
        values = [str(v) for v in data.values()][:-1]
        text = "".join(values)
        if (tuple(map(type, data.values())) != _PLAIN_TYPES or not all(values)
                or not text.isprintable() or "&" in text or "<" in text or ">" in text):
            return None
        if self._plain_template is None:
            self._plain_template = self._make_plain_template()
        return self._plain_template.format(self.ids[name], *values)

    def _make_plain_template(self) -> str:
        ids = self.keys.ids
        data = [f'      <data key="{ids[field, kind, "node"]}">{{}}</data>'
                for field, kind in _PACKAGE_TYPES.items()]
        unresolved = ids["unresolved", str, "node"]
        return "\n".join(['    <node id="{}">', *data, f'      <data key="{unresolved}" />',
                          "    </node>"])

    def _edges(self, source: str) -> list[str]:
        """The edges from a node, in target order, when no name had to be cleaned: an
        edge's lines as one string."""
        targets = self.adjacency[source]
        if not targets:
            return []
        head, ids, tail = f'    <edge source="{self.ids[source]}" target="', self.ids, _edge_tail
        return [f"{head}{ids[target]}{tail(self._edge_ids, targets[target]['deps'])}"
                for target in sorted(targets)]

    def _cleaned_edges(self, source: str, group: list[str]) -> list[str]:
        """The edges from the nodes of one cleaned name, by cleaned target: an edge's
        data updated by each edge that cleans into it, as add_edge does."""
        successors = self.graph.succ
        edges: dict[str, dict[str, str]] = {}
        for node in group:
            targets = successors[node]
            for target in sorted(targets):
                deps = targets[target]["deps"]
                edges.setdefault(_clean(target), {}).update(
                    kind=edge_kind(deps).value,
                    capabilities=_clean("\n".join(d.capability for d in deps)),
                    kinds="\n".join(d.kind.value for d in deps))
        lines = []
        for target, attrs in edges.items():
            lines += _element(f'edge source="{self.ids[source]}" target="{self.ids[target]}"',
                              self.keys.data("edge", attrs, "      "), "    ")
        return lines


def _edge_tail(ids: list[str], deps: tuple[Dependency, ...]) -> str:
    """An edge's lines after its target's name. (Kinds are plain words, never empty.)"""
    if len(deps) == 1:  # most edges
        kind = kinds = deps[0].kind.value
        capabilities = deps[0].capability
    else:
        kind = edge_kind(deps).value
        capabilities = "\n".join(d.capability for d in deps)
        kinds = "\n".join(d.kind.value for d in deps)
    kind_key, capabilities_key, kinds_key = ids
    return (f'">\n      <data key="{kind_key}">{kind}</data>\n'
            f"{_datum('      ', capabilities_key, _clean(capabilities))}\n"
            f"      <data key=\"{kinds_key}\">{kinds}</data>\n    </edge>")


_EDGE_KEYS = ("kind", "capabilities", "kinds")
# A package's node data as depgraph.py makes it: its fields, then its unresolved list.
_PACKAGE_TYPES: dict[str, type] = get_type_hints(Package)  # in the fields' order
_PLAIN_NAMES = (*_PACKAGE_TYPES, "unresolved")
_PLAIN_TYPES = (*_PACKAGE_TYPES.values(), list)
