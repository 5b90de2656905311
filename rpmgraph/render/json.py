"""The rpmgraph-graph JSON format, version 1: stable, sorted, documented in the README.

``iter_json`` writes the text as ``json.dumps(document, indent=2, ensure_ascii=False)``
would lay it out, plus a newline, without making the document first: for a 70,000-package
repository that took 200 MiB, and the json module's pure-Python indenting encoder was
slow. Each node, edge and unresolved entry is formatted straight from the graph, its
strings and numbers encoded by the json module's own encoders, so the escaping is
exactly json's. Elements are joined in batches of ``_BATCH_ELEMENTS``. The text is the
format's one definition (``graph_document`` reads it back); tests/render/golden/ holds
it, and tests/render/test_json_streamed.py checks what it says for any graph.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from itertools import groupby, islice
from json.encoder import encode_basestring
from typing import Any

from rpmgraph.depgraph import DepGraph
from rpmgraph.model import Dependency, Kind

FORMAT_NAME = "rpmgraph-graph"
FORMAT_VERSION = 1
_NODE_FIELDS = ("name", "epoch", "version", "release", "arch", "repo", "installsize",
                "downloadsize", "sourcerpm", "summary")
_BATCH_ELEMENTS = 2000  # nodes or edges per piece: a few hundred KB of text

# Indentation of the document's levels: the top-level keys, the elements of its lists,
# their fields, and the capabilities of an edge.
_KEY, _ELEMENT, _FIELD, _ITEM = ("\n" + " " * n for n in (2, 4, 6, 8))
# What comes before each value of a node: its line's indentation and its key.
_NODE_KEYS = tuple(f"{_FIELD}{encode_basestring(key)}: " for key in ("id", *_NODE_FIELDS))


def graph_document(graph: DepGraph) -> dict[str, Any]:
    """The document as Python values (the HTML page embeds it): the text read back."""
    document: dict[str, Any] = json.loads(to_json(graph))
    return document


def to_json(graph: DepGraph) -> str:
    return "".join(iter_json(graph))


def iter_json(graph: DepGraph) -> Iterator[str]:
    """The text ``json.dumps(graph_document(graph), indent=2, ensure_ascii=False)`` and a
    newline, in pieces of a few thousand elements: never whole in memory."""
    nodes = sorted(graph)
    yield "{"
    for key, value in (("format", FORMAT_NAME), ("version", FORMAT_VERSION),
                       ("policy", graph.graph["policy"]),
                       ("sources", list(graph.graph["sources"])),
                       ("roots", list(graph.graph["roots"])),
                       ("notes", list(graph.graph["notes"]))):
        yield f"{_KEY}{encode_basestring(key)}: {_value(value, _KEY)},"
    yield f'{_KEY}"nodes": '
    yield from _array(_node_text(node, graph.nodes[node]) for node in nodes)
    yield f',{_KEY}"edges": '
    yield from _array(_edge_texts(graph, nodes))
    yield f',{_KEY}"unresolved": '
    yield from _array(_unresolved_texts(graph, nodes))
    yield "\n}\n"


def _value(value: object, indent: str) -> str:
    """``value`` as json.dumps writes it nested at ``indent`` ("\\n" and spaces): strings
    and ints (every field of a package) by the encoder's own functions, lists by hand.

    json.dumps with an indent makes its encoder of closures that refer to each other: a
    cycle per call, which the command line, running without the cyclic garbage collector
    (see cli.main), would keep for every graph of a batch. Only dicts, which no graph
    has, go that way; other scalars go through json's C encoder, which makes no cycle."""
    if type(value) is str:
        return encode_basestring(value)
    if type(value) is int:
        return int.__repr__(value)
    if isinstance(value, (list, tuple)):
        return _list(value, indent)
    if isinstance(value, dict):
        # json escapes the newlines in strings: its only line breaks are its indentation's.
        return json.dumps(value, indent=2, ensure_ascii=False).replace("\n", indent)
    return json.dumps(value, ensure_ascii=False)


def _list(values: list[object] | tuple[object, ...], indent: str) -> str:
    if not values:
        return "[]"
    inner = indent + "  "
    return f"[{inner}{f',{inner}'.join(_value(v, inner) for v in values)}{indent}]"


def _array(elements: Iterable[str]) -> Iterator[str]:
    """A list of the document's top level, its elements given as text, a batch of them
    per piece; ``[]`` when empty, as json writes an empty list."""
    elements = iter(elements)
    batch = list(islice(elements, _BATCH_ELEMENTS))
    if not batch:
        yield "[]"
        return
    opening = f"[{_ELEMENT}"
    while batch:
        yield opening + f",{_ELEMENT}".join(batch)
        opening = f",{_ELEMENT}"  # between the last element of a batch and the next
        batch = list(islice(elements, _BATCH_ELEMENTS))
    yield f"{_KEY}]"


def _node_text(node: str, data: dict[str, Any]) -> str:
    values = (node, *(data[key] for key in _NODE_FIELDS))
    fields = ",".join(key + _value(value, _FIELD)
                      for key, value in zip(_NODE_KEYS, values, strict=True))
    if data.get("alternative"):  # drawn only by --show-alternatives: not installed
        fields += f',{_FIELD}"alternative": true'
    return f"{{{fields}{_ELEMENT}}}"


def _edge_texts(graph: DepGraph, nodes: list[str]) -> Iterator[str]:
    """Edges in (source, target) order: each source's few targets are sorted, not the
    300,000 edges of a distribution."""
    for source in nodes:
        targets = graph.succ[source]
        for target in sorted(targets):
            data = targets[target]
            for kind, capabilities in _kind_groups(data["deps"]):
                yield _edge_text(source, target, kind, capabilities, data.get("alternative"))


def _edge_text(source: str, target: str, kind: Kind, capabilities: list[str],
               alternative: str | None = None) -> str:
    items = f",{_ITEM}".join(_value(capability, _ITEM) for capability in capabilities)
    why = f',{_FIELD}"alternative": {_value(alternative, _FIELD)}' if alternative else ""
    return (f'{{{_FIELD}"source": {_value(source, _FIELD)},'
            f'{_FIELD}"target": {_value(target, _FIELD)},'
            f'{_FIELD}"kind": {_value(kind.value, _FIELD)},'
            f'{_FIELD}"capabilities": [{_ITEM}{items}{_FIELD}]{why}{_ELEMENT}}}')


def _unresolved_texts(graph: DepGraph, nodes: list[str]) -> Iterator[str]:
    for node in nodes:
        for dep in graph.nodes[node]["unresolved"]:
            yield (f'{{{_FIELD}"source": {_value(node, _FIELD)},'
                   f'{_FIELD}"kind": {_value(dep.kind.value, _FIELD)},'
                   f'{_FIELD}"capability": {_value(dep.capability, _FIELD)}{_ELEMENT}}}')


def _edge_key(edge: tuple[str, str, dict[str, Any]]) -> tuple[str, str]:
    return (edge[0], edge[1])


def _kind_groups(deps: Iterable[Dependency]) -> Iterator[tuple[Kind, list[str]]]:
    """An edge's capabilities grouped by kind, strongest kind first: one JSON edge per
    kind, so a weak capability is never shown as a hard one."""
    for kind, group in groupby(sorted(deps, key=Dependency.sort_key), key=lambda d: d.kind):
        yield kind, [d.capability for d in group]

