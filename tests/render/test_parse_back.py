"""What users feed our outputs to must read them, and read back what the graph holds:
pydot and Graphviz the DOT, networkx the GraphML, any JSON parser the JSON. Run on the
graphs of the golden files (test_golden.py), the hostile ones included."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from typing import Any

import networkx as nx
import pydot
import pytest

from rpmgraph.depgraph import DepGraph, edge_kind
from rpmgraph.render import FORMATS, RenderOptions
from rpmgraph.render.style import Style
from tests.render.test_golden import outputs
from tests.render.test_json_streamed import document

_CASES = {(file.rsplit(".", 1)[0], fmt): (make, style)
          for file, make, fmt, style in outputs()}


def _cases(fmt: str) -> list[Any]:
    return [pytest.param(make, style, id=name)
            for (name, f), (make, style) in _CASES.items() if f == fmt]


def _text(make: Callable[[], DepGraph], fmt: str, style: Style) -> tuple[DepGraph, str]:
    graph = make()
    return graph, FORMATS[fmt].render(graph, RenderOptions(style)).decode()


def _visible(text: str) -> str:
    """Text as the renderers show what XML and DOT cannot carry: controls as \\xNN."""
    return "".join(ch if ch.isprintable() or ch in "\n\t" else f"\\x{ord(ch):02x}"
                   for ch in text)


@pytest.mark.parametrize(("make", "style"), _cases("dot"))
def test_dot_reads_back_in_pydot_and_graphviz(make: Callable[[], DepGraph],
                                              style: Style) -> None:
    graph, text = _text(make, "dot", style)
    parsed = pydot.graph_from_dot_data(text)
    assert parsed is not None and len(parsed) == 1
    assert parsed[0].get_name() == "rpmgraph"
    drawn = subprocess.run(["dot", "-Tjson0"], input=text.encode(), capture_output=True,
                           check=True, timeout=120)
    objects = json.loads(drawn.stdout).get("objects", [])
    names = {o["name"] for o in objects if "nodes" not in o}  # (clusters have nodes)
    # (Graphviz writes the backslashes of the others' escapes in its own way)
    assert {node for node in graph if node.isprintable() and "\\" not in node} <= names
    assert len(names) >= len(graph)
    missing = {f"unresolved:{d.capability}" for _, u in graph.nodes(data="unresolved")
               for d in u if d.capability.isprintable() and "\\" not in d.capability}
    assert missing <= names


def _graphml_expected(graph: DepGraph) -> tuple[dict[str, dict[str, Any]],
                                                dict[tuple[str, str], dict[str, str]]]:
    nodes = {}
    for node, data in graph.nodes(data=True):
        attrs = {k: _visible(v) if isinstance(v, str) else v for k, v in data.items()
                 if isinstance(v, (str, int)) and not isinstance(v, bool)}
        attrs["unresolved"] = _visible("\n".join(f"{d.kind.value}: {d.capability}"
                                                 for d in data["unresolved"]))
        if data.get("alternative"):
            attrs["alternative"] = "true"
        nodes[_visible(node)] = attrs
    edges = {(_visible(s), _visible(t)): {
        "kind": edge_kind(d["deps"]).value,
        "capabilities": _visible("\n".join(dep.capability for dep in d["deps"])),
        "kinds": "\n".join(dep.kind.value for dep in d["deps"])}
        for s, t, d in graph.edges(data=True)}
    return nodes, edges


def _no_empty(attrs: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in attrs.items() if v != ""}  # (networkx reads no empty text)


@pytest.mark.parametrize(("make", "style"), _cases("graphml"))
def test_graphml_reads_back_in_networkx(make: Callable[[], DepGraph], style: Style) -> None:
    graph, text = _text(make, "graphml", style)
    parsed = nx.parse_graphml(text)
    nodes, edges = _graphml_expected(graph)
    if len(nodes) < len(graph):  # names that are shown alike are one node
        assert set(parsed) == set(nodes)
        return
    assert {n: _no_empty(d) for n, d in parsed.nodes(data=True)} == {
        n: _no_empty(d) for n, d in nodes.items()}
    assert {(s, t): _no_empty(d) for s, t, d in parsed.edges(data=True)} == {
        k: _no_empty(d) for k, d in edges.items()}
    assert parsed.graph.get("policy") == graph.graph["policy"]


@pytest.mark.parametrize(("make", "style"), _cases("json"))
def test_json_parses_to_the_documented_document(make: Callable[[], DepGraph],
                                                style: Style) -> None:
    graph, text = _text(make, "json", style)
    assert json.loads(text) == document(graph)
    assert text.endswith("}\n")


@pytest.mark.parametrize(("make", "style"), _cases("list"))
def test_list_is_the_installed_nevras(make: Callable[[], DepGraph], style: Style) -> None:
    graph, text = _text(make, "list", style)
    installed = sorted(n for n, alt in graph.nodes(data="alternative") if not alt)
    assert text.splitlines() == [_visible(n).replace("\n", "\\x0a").replace("\t", "\\x09")
                                 for n in installed]
