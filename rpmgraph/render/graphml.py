"""GraphML for Gephi, yEd and Cytoscape, with every node and edge attribute.

Lists become newline-separated strings because GraphML attributes are scalars. The
text is written line by line in the bytes networkx's ``generate_graphml`` gives
(ElementTree's escaping, indentation and ASCII character references; keys numbered
in the order attributes first appear, listed last first) without building networkx's
copy of the graph and the ElementTree of the whole document, which took 2 GiB for a
70,000-package repository. tests/render/test_graphml_writer.py compares the two.
"""

from __future__ import annotations

from typing import Any

from rpmgraph.graph import DepGraph, edge_kind

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
    return attrs


def _clean(text: str) -> str:
    """XML 1.0 cannot carry most control characters, even escaped."""
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() or ch in "\n\t" else f"\\x{ord(ch):02x}"
                   for ch in text)


def _text(text: str) -> str:
    """ElementTree's escaping of element text."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _attr(text: str) -> str:
    """ElementTree's escaping of an attribute value."""
    return (_text(text).replace('"', "&quot;").replace("\r", "&#13;").replace("\n", "&#10;")
            .replace("\t", "&#09;"))


class _Keys:
    """GraphML keys, numbered d0, d1, ... in the order (name, type, scope) first appears."""

    def __init__(self) -> None:
        self.ids: dict[tuple[str, str, str], str] = {}

    def data(self, scope: str, attrs: dict[str, Any], indent: str) -> list[str]:
        lines = []
        for name, value in attrs.items():
            key = (name, _TYPES[type(value)], scope)
            ident = self.ids.get(key)
            if ident is None:
                ident = self.ids[key] = f"d{len(self.ids)}"
            text = str(value)
            lines.append(f'{indent}<data key="{ident}">{_text(text)}</data>' if text
                         else f'{indent}<data key="{ident}" />')
        return lines

    def lines(self) -> list[str]:
        return [f'  <key id="{ident}" for="{scope}" attr.name="{_attr(name)}" '
                f'attr.type="{kind}" />'
                for (name, kind, scope), ident in reversed(self.ids.items())]


def _element(head: str, children: list[str], indent: str) -> list[str]:
    if not children:
        return [f"{indent}<{head} />"]
    tag = head.split(" ", 1)[0]
    return [f"{indent}<{head}>", *children, f"{indent}</{tag}>"]


def to_graphml(graph: DepGraph) -> str:
    # What networkx would hold: nodes and edges under their cleaned names (two names
    # that clean alike become one node, its attributes updated as add_node does).
    nodes: dict[str, dict[str, Any]] = {}
    for node, data in sorted(graph.nodes(data=True)):
        attrs = {k: _clean(v) if isinstance(v, str) else v for k, v in _node_attrs(data).items()}
        nodes.setdefault(_clean(node), {}).update(attrs)
    successors: dict[str, dict[str, dict[str, Any]]] = {node: {} for node in nodes}
    for source, target, data in sorted(graph.edges(data=True), key=lambda e: (e[0], e[1])):
        deps = data["deps"]
        successors[_clean(source)].setdefault(_clean(target), {}).update(
            kind=edge_kind(deps).value, capabilities=_clean("\n".join(d.capability
                                                                      for d in deps)),
            kinds="\n".join(d.kind.value for d in deps))
    keys = _Keys()
    graph_data = keys.data("graph", {"policy": graph.graph["policy"],
                                     "roots": "\n".join(graph.graph["roots"]),
                                     "sources": "\n".join(graph.graph["sources"])}, "    ")
    body: list[str] = []
    for node, attrs in nodes.items():
        body += _element(f'node id="{_attr(node)}"', keys.data("node", attrs, "      "), "    ")
    for source, targets in successors.items():
        for target, attrs in targets.items():
            body += _element(f'edge source="{_attr(source)}" target="{_attr(target)}"',
                             keys.data("edge", attrs, "      "), "    ")
    document = [_HEAD, *keys.lines(),
                *_element('graph edgedefault="directed"', body + graph_data, "  "),
                "</graphml>"]
    text = "\n".join(document)
    if not text.isascii():  # ElementTree writes US-ASCII, the rest as character references
        text = text.encode("ascii", "xmlcharrefreplace").decode("ascii")
    if any(brk in text for brk in _LINE_BREAKS):
        # networkx joins str.splitlines() with "\n": a \r or \v in the text becomes one.
        text = "\n".join(text.splitlines())
    return text + "\n"
