"""DOT statements as text, each made into its line at once, so that a graph's DOT can be
written out while it is made, without an object tree or the whole text in memory.

Names and attribute values that come from metadata reach here already double-quoted
(``dot.quote``) and are written as they are. The others are this project's own words
and numbers (``box``, ``0.7``, ``LR``, the ``node`` and ``edge`` defaults): pydot,
which models DOT for the project, decides whether each needs quoting (once, cached).
tests/render/golden/ holds the text; tests/render/test_parse_back.py has pydot and
Graphviz read it.
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


def _quoted(text: str) -> bool:
    return len(text) >= 2 and text[0] == '"' and text[-1] == '"'


def value(value: Any) -> str:
    """An attribute value: already quoted, or one of the project's words or numbers."""
    if isinstance(value, str) and _quoted(value):
        return value  # most values: quoted by dot.py
    if value == "":
        return '""'
    return _pydot_quoted(value)


def _name(name: str) -> str:
    return name if _quoted(name) else _pydot_id(name)


def attribute_list(attrs: Mapping[str, Any]) -> str:
    """``k=v, k=v`` (a ``None`` value writes the bare key)."""
    return ", ".join([f"{k}={value(v)}" if v is not None else k for k, v in attrs.items()])


def _bracketed(attrs: Mapping[str, Any]) -> str:
    return f" [{attribute_list(attrs)}]" if attrs else ""


def node(name: str, attrs: Mapping[str, Any]) -> str:
    """A node statement (``node`` and ``edge`` give the defaults' statements)."""
    return f"{_name(name)}{_bracketed(attrs)};\n"


def edge(source: str, target: str, attrs: Mapping[str, Any]) -> str:
    return f"{_name(source)} -> {_name(target)}{_bracketed(attrs)};\n"


def graph_open(keyword: str, name: str, attrs: Mapping[str, Any]) -> str:
    """``digraph NAME {`` or ``subgraph NAME {``, then the graph's attributes a line each;
    ``graph_close`` ends it after its statements."""
    head = " ".join([keyword] + ([_name(name)] if name else []))
    return head + " {\n" + "".join(f"{k}={value(v)};\n" if v is not None else f"{k};\n"
                                   for k, v in attrs.items())


def graph_close() -> str:
    return "}\n"
