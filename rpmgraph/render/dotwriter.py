"""The few pydot classes that render/dot.py builds, writing the same text as pydot 4.

pydot checks every attribute value and name character by character to decide whether
to quote it (46 million generator steps for the whole 70,000-package repository) and
keeps a dictionary tree per object. Here a graph is a list of lines' ingredients in
insertion order (the order pydot's sequence numbers give), and a value that is already
double-quoted, as every string dot.py takes from metadata is, is written as it is,
which is what pydot does with it. Any other value (``box``, ``0.7``, ``LR``) goes
through pydot's own quoting once. tests/render/test_dotwriter.py compares both writers.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any


@lru_cache(maxsize=1024)
def _pydot_quoted(value: str) -> str:
    from pydot.core import quote_attr_if_necessary

    return str(quote_attr_if_necessary(value))


@lru_cache(maxsize=1024)
def _pydot_id(name: str) -> str:
    from pydot.core import quote_id_if_necessary

    return str(quote_id_if_necessary(name, unquoted_keywords=("graph", "node", "edge")))


def _quoted(text: str) -> bool:
    return len(text) >= 2 and text[0] == '"' and text[-1] == '"'


def _value(value: Any) -> str:
    if value == "":
        return '""'
    if isinstance(value, str) and _quoted(value):
        return value
    return str(_pydot_quoted(value))


def _name(name: str) -> str:
    return name if _quoted(name) else _pydot_id(name)


@lru_cache(maxsize=1024)
def _pydot_endpoint(name: str) -> str:
    import pydot

    return str(pydot.Edge("a", "b").parse_node_ref(name))  # it reads ports: "a:n"


def _endpoint(name: str) -> str:
    return name if _quoted(name) else _pydot_endpoint(name)


def _attrs(attrs: dict[str, Any]) -> str:
    if not attrs:
        return ""
    return " [" + ", ".join(f"{k}={_value(v)}" if v is not None else k
                            for k, v in attrs.items()) + "]"


class Node:
    __slots__ = ("attrs", "name")

    def __init__(self, name: str, **attrs: Any) -> None:
        if not name.startswith('"') and 0 < name.find(":") < len(name) - 1:
            name = name[:name.find(":")]  # pydot keeps the port apart, and never writes it
        self.name = name
        self.attrs = attrs

    def write(self, out: list[str]) -> None:
        name = _name(self.name)
        if name in ("graph", "node", "edge") and not self.attrs:
            out.append("\n")
            return
        out.append(f"{name}{_attrs(self.attrs)};\n")


class Edge:
    __slots__ = ("attrs", "source", "target")

    def __init__(self, source: str, target: str, **attrs: Any) -> None:
        self.source = source
        self.target = target
        self.attrs = attrs

    def write(self, out: list[str]) -> None:
        out.append(f"{_endpoint(self.source)} -> {_endpoint(self.target)}"
                   f"{_attrs(self.attrs)};\n")


class _Graph:
    keyword = ""

    def __init__(self, name: str, **attrs: Any) -> None:
        self.name = name
        self.attrs: dict[str, Any] = dict(attrs)
        self.children: list[Node | Edge | _Graph] = []

    def set(self, key: str, value: Any) -> None:
        self.attrs[key] = value

    def set_node_defaults(self, **attrs: Any) -> None:
        self.children.append(Node("node", **attrs))

    def set_edge_defaults(self, **attrs: Any) -> None:
        self.children.append(Node("edge", **attrs))

    def add_node(self, node: Node) -> None:
        self.children.append(node)

    def add_edge(self, edge: Edge) -> None:
        self.children.append(edge)

    def add_subgraph(self, graph: Subgraph) -> None:
        self.children.append(graph)

    def write(self, out: list[str]) -> None:
        head = [self.keyword] + ([_name(self.name)] if self.name else [])
        out.append(" ".join(head) + " {\n")
        out.extend(f"{k}={_value(v)};\n" if v is not None else f"{k};\n"
                   for k, v in self.attrs.items())
        for child in self.children:
            child.write(out)
        out.append("}\n")

    def to_string(self) -> str:
        out: list[str] = []
        self.write(out)
        return "".join(out)


class Dot(_Graph):
    keyword = "digraph"

    def __init__(self, name: str, graph_type: str = "digraph", strict: bool = False,
                 **attrs: Any) -> None:
        if graph_type != "digraph" or strict:
            raise ValueError("only non-strict digraphs are written")
        super().__init__(name, **attrs)


class Subgraph(_Graph):
    keyword = "subgraph"
