"""GraphML for Gephi, yEd and Cytoscape, with every node and edge attribute.

networkx writes (and XML-escapes) it; lists become newline-separated strings
because GraphML attributes are scalars.
"""

from __future__ import annotations

from typing import Any

import networkx as nx

from rpmgraph.graph import DepGraph, edge_kind


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
    return "".join(ch if ch.isprintable() or ch in "\n\t" else f"\\x{ord(ch):02x}"
                   for ch in text)


def to_graphml(graph: DepGraph) -> str:
    out: nx.DiGraph = nx.DiGraph()
    out.graph.update(policy=graph.graph["policy"], roots="\n".join(graph.graph["roots"]),
                     sources="\n".join(graph.graph["sources"]))
    for node, data in sorted(graph.nodes(data=True)):
        out.add_node(_clean(node), **{k: _clean(v) if isinstance(v, str) else v
                                      for k, v in _node_attrs(data).items()})
    for source, target, data in sorted(graph.edges(data=True), key=lambda e: (e[0], e[1])):
        deps = data["deps"]
        out.add_edge(_clean(source), _clean(target), kind=edge_kind(deps).value,
                     capabilities=_clean("\n".join(d.capability for d in deps)),
                     kinds="\n".join(d.kind.value for d in deps))
    return "\n".join(nx.generate_graphml(out)) + "\n"
