"""DOT statements as text, in the bytes pydot 4 writes for the same objects.

render/dot.py used to build pydot's object tree (then this module's copy of it) and
write it at the end. Here each statement becomes its line at once, so the text can be
written out while it is made, without the tree or the whole text in memory.

pydot checks every attribute value and name character by character to decide whether
to quote it. A value that is already double-quoted, as every string dot.py takes from
metadata is, is written as it is, which is what pydot does with it. Any other value
(``box``, ``0.7``, ``LR``) goes through pydot's own quoting once (cached).
tests/render/test_dotwriter.py compares dot.py's text with pydot's.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from typing import Any

KEYWORDS = ("graph", "node", "edge")


@lru_cache(maxsize=1024)
def _pydot_quoted(value: str) -> str:
    from pydot.core import quote_attr_if_necessary

    return str(quote_attr_if_necessary(value))


@lru_cache(maxsize=1024)
def _pydot_id(name: str) -> str:
    from pydot.core import quote_id_if_necessary

    return str(quote_id_if_necessary(name, unquoted_keywords=KEYWORDS))


@lru_cache(maxsize=1024)
def _pydot_endpoint(name: str) -> str:
    import pydot

    return str(pydot.Edge("a", "b").parse_node_ref(name))  # it reads ports: "a:n"


def _quoted(text: str) -> bool:
    return len(text) >= 2 and text[0] == '"' and text[-1] == '"'


def value(value: Any) -> str:
    """An attribute value as pydot writes it."""
    if isinstance(value, str) and value[:1] == '"' == value[-1:] and len(value) >= 2:
        return value  # most values: quoted by dot.py
    if value == "":
        return '""'
    return _pydot_quoted(value)


def _name(name: str) -> str:
    return name if _quoted(name) else _pydot_id(name)


def _endpoint(name: str) -> str:
    return name if _quoted(name) else _pydot_endpoint(name)


def attribute_list(attrs: Mapping[str, Any]) -> str:
    """``k=v, k=v`` (a ``None`` value writes the bare key, as pydot does)."""
    return ", ".join([f"{k}={value(v)}" if v is not None else k for k, v in attrs.items()])


def _bracketed(attrs: Mapping[str, Any]) -> str:
    return f" [{attribute_list(attrs)}]" if attrs else ""


def node(name: str, attrs: Mapping[str, Any]) -> str:
    """A node statement (``node`` and ``edge`` give the defaults' statements)."""
    if not _quoted(name):
        if name[:1] != '"' and 0 < name.find(":") < len(name) - 1:
            name = name[:name.find(":")]  # pydot keeps the port apart, and never writes it
        name = _pydot_id(name)
        if name in KEYWORDS and not attrs:
            return "\n"
    return f"{name}{_bracketed(attrs)};\n"


def edge(source: str, target: str, attrs: Mapping[str, Any]) -> str:
    return f"{_endpoint(source)} -> {_endpoint(target)}{_bracketed(attrs)};\n"


def graph_open(keyword: str, name: str, attrs: Mapping[str, Any]) -> str:
    """``digraph NAME {`` or ``subgraph NAME {``, then the graph's attributes a line each;
    ``graph_close`` ends it after its statements."""
    head = " ".join([keyword] + ([_name(name)] if name else []))
    return head + " {\n" + "".join(f"{k}={value(v)};\n" if v is not None else f"{k};\n"
                                   for k, v in attrs.items())


def graph_close() -> str:
    return "}\n"
