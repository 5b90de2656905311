"""The rpmgraph-graph JSON format, version 1: stable, sorted, documented in the README."""

from __future__ import annotations

import json
from collections.abc import Iterator
from itertools import groupby
from typing import Any

from rpmgraph.graph import DepGraph
from rpmgraph.model import Dependency

FORMAT_NAME = "rpmgraph-graph"
FORMAT_VERSION = 1
_NODE_FIELDS = ("name", "epoch", "version", "release", "arch", "repo", "installsize",
                "downloadsize", "sourcerpm", "summary")


def graph_document(graph: DepGraph) -> dict[str, Any]:
    return {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "policy": graph.graph["policy"],
        "sources": list(graph.graph["sources"]),
        "roots": list(graph.graph["roots"]),
        "notes": list(graph.graph["notes"]),
        "nodes": [_node(node, data) for node, data in sorted(graph.nodes(data=True))],
        "edges": [edge for s, t, data in sorted(graph.edges(data=True), key=_edge_key)
                  for edge in _edges(s, t, data["deps"])],
        "unresolved": [
            {"source": node, "kind": dep.kind.value, "capability": dep.capability}
            for node, data in sorted(graph.nodes(data=True))
            for dep in data["unresolved"]
        ],
    }


def to_json(graph: DepGraph) -> str:
    return "".join(iter_json(graph))


def iter_json(graph: DepGraph) -> Iterator[str]:
    """The text ``json.dumps`` gives, in the pieces its encoder makes it of: written while
    it is made, it is never whole in memory."""
    yield from json.JSONEncoder(indent=2, ensure_ascii=False).iterencode(graph_document(graph))
    yield "\n"


def _edge_key(edge: tuple[str, str, dict[str, Any]]) -> tuple[str, str]:
    return (edge[0], edge[1])


def _node(node: str, data: dict[str, Any]) -> dict[str, Any]:
    return {"id": node, **{key: data[key] for key in _NODE_FIELDS}}


def _edges(source: str, target: str, deps: list[Dependency]) -> list[dict[str, Any]]:
    """One JSON edge per kind, so a weak capability is never shown as a hard one."""
    ordered = sorted(deps, key=Dependency.sort_key)
    return [
        {"source": source, "target": target, "kind": kind.value,
         "capabilities": [d.capability for d in group]}
        for kind, group in groupby(ordered, key=lambda d: d.kind)
    ]

