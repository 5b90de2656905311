"""``iter_json`` writes the JSON document by hand, element by element: whatever the text
in the graph, it must parse to the document the README describes (``document`` here),
and its pieces must join to the whole text. The bytes themselves are held by the golden
files (test_golden.py)."""

from __future__ import annotations

import gc
import json
from itertools import groupby
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rpmgraph.depgraph import DepGraph, add_dependency, add_package, add_unresolved, new_graph
from rpmgraph.model import Dependency, Kind
from rpmgraph.pool import LoadedPool, Source, SourceKind, build_pool
from rpmgraph.render import json as json_render
from rpmgraph.render.json import graph_document, iter_json, to_json
from rpmgraph.resolve import Policy, ResolveOptions, Resolver, find_roots
from tests.render.graphs import evil, layered, multi_kind, package

SAMPLES = Path(__file__).resolve().parents[2] / "sample_repos"

HOSTILE = ['"quoted"', "back\\slash", '\\"', "new\nline\r\t", "\x00\x01\x1f\x7f",
           "é ü 漢字 🙂", "\u2028\u2029", "\ud800", "</script>", "x" * 100_000,
           "é" * 20_000 + '"\\\n', "", " ", "{}[],:"]


def document(graph: DepGraph) -> dict[str, Any]:
    """The rpmgraph-graph document of ``graph``, as the README describes it: nodes in
    NEVRA order, edges in (source, target) order, one per kind of dependency (strongest
    first), unresolved dependencies by package."""
    edges = []
    for source, target, data in sorted(graph.edges(data=True), key=lambda e: (e[0], e[1])):
        why = {"alternative": data["alternative"]} if data.get("alternative") else {}
        deps = sorted(data["deps"], key=Dependency.sort_key)
        for kind, group in groupby(deps, key=lambda d: d.kind):
            edges.append({"source": source, "target": target, "kind": kind.value,
                          "capabilities": [d.capability for d in group], **why})
    return {
        "format": "rpmgraph-graph", "version": 1, "policy": graph.graph["policy"],
        "sources": list(graph.graph["sources"]), "roots": list(graph.graph["roots"]),
        "notes": list(graph.graph["notes"]),
        "nodes": [{"id": node, **{key: data[key] for key in json_render._NODE_FIELDS},
                   **({"alternative": True} if data.get("alternative") else {})}
                  for node, data in sorted(graph.nodes(data=True))],
        "edges": edges,
        "unresolved": [{"source": node, "kind": dep.kind.value, "capability": dep.capability}
                       for node, data in sorted(graph.nodes(data=True))
                       for dep in data["unresolved"]],
    }


def _expected(graph: DepGraph) -> str:
    return to_json(graph)


def _check(graph: DepGraph) -> None:
    text = "".join(iter_json(graph))
    assert text == to_json(graph)
    assert text.endswith("\n}\n")
    # (compared as text: NaN is not equal to itself)
    assert json.dumps(json.loads(text)) == json.dumps(document(graph))
    assert graph_document(graph) == json.loads(text)


def _load(repo: Path) -> LoadedPool:
    return build_pool([Source(SourceKind.REPO, repo)], "x86_64", None, None, lambda _: None)


@pytest.mark.parametrize("policy", [Policy.INSTALL, Policy.ALL])
@pytest.mark.parametrize("release", ["essex", "folsom", "grizzly"])
def test_sample_repositories(release: str, policy: Policy) -> None:
    loaded = _load(SAMPLES / release)
    resolver = Resolver(loaded, ResolveOptions(policy=policy), lambda _: None)
    for roots in (["openstack-nova"], ["*"]):
        graph = resolver.graph(find_roots(loaded, roots))
        assert graph.number_of_edges() > 10
        _check(graph)


@pytest.mark.parametrize("policy", [Policy.INSTALL, Policy.ALL])
def test_mini_repository(mini_repo: Path, policy: Policy) -> None:
    """Rich, versioned, multi-provider and unresolved dependencies."""
    loaded = _load(mini_repo)
    graph = Resolver(loaded, ResolveOptions(policy=policy), lambda _: None).graph(
        find_roots(loaded, ["*"]))
    _check(graph)


def test_empty_graph() -> None:
    graph = new_graph("install", [], [])
    assert to_json(graph).count("[]") == 6
    _check(graph)


def test_nodes_without_edges_or_unresolved() -> None:
    for graph in (layered(1), layered(5, fanout=0)):
        graph.graph["notes"].append("a note")
        _check(graph)


def test_unresolved_and_multi_kind_edges() -> None:
    graph = multi_kind()
    document = json.loads(to_json(graph))
    assert len(document["edges"]) == 12 * len(Kind)
    assert len(document["unresolved"]) == 8
    _check(graph)


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text(text: str) -> None:
    graph = new_graph("all", [text, "plain"], [])
    root = add_package(graph, package(f"root{text}", summary=text))
    leaf = add_package(graph, package(text or "leaf", summary=f"{text}{text}"))
    graph.graph["roots"] = [root, text]
    graph.graph["notes"] = [text]
    graph.graph["policy"] = text
    add_dependency(graph, root, leaf, Dependency(Kind.REQUIRES, text))
    add_dependency(graph, root, leaf, Dependency(Kind.RECOMMENDS, f"({text} if x)"))
    add_dependency(graph, leaf, root, Dependency(Kind.SUPPLEMENTS, text))
    add_unresolved(graph, root, Dependency(Kind.SUGGESTS, text))
    _check(graph)


def test_the_existing_hostile_graphs() -> None:
    for graph in (evil(), layered(300)):
        _check(graph)


def test_field_values_of_other_types_go_through_json_dumps() -> None:
    """Packages only have str and int fields, but nothing must break if a node has others."""

    class Name(str):
        pass

    values: list[object] = [None, True, False, 1.5, float("nan"), float("inf"), -0.0,
                            Name('su"b'), [1, "two", [3, []]], {"k": ["v", {}]}, (), [],
                            ["a", {"b": [1.5, None]}], 10**30, {}]
    graph = layered(len(values))
    for node, value in zip(sorted(graph), values, strict=True):
        graph.nodes[node]["summary"] = value
        graph.nodes[node]["epoch"] = value
    graph.graph["sources"] = ("a", "b")
    graph.graph["notes"] = [{"nested": [1, 2]}, None]
    _check(graph)


def test_no_garbage_cycles() -> None:
    """The command line runs without the cyclic garbage collector (see cli.main): a cycle
    made per graph (as json.dumps with an indent makes) would stay for the whole batch."""
    graph = multi_kind()
    graph.graph["notes"] = ["a", ["nested", 1.5, None, True]]
    assert graph.nodes and graph.succ  # networkx's views of the graph: cycles it caches
    gc.collect()
    gc.disable()
    try:
        text = to_json(graph)
        assert gc.collect() == 0
    finally:
        gc.enable()
    assert text == _expected(graph)


@pytest.mark.parametrize("batch", [1, 2, 3, 1000])
def test_pieces_cut_between_elements(batch: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(json_render, "_BATCH_ELEMENTS", batch)
    for graph in (layered(40), multi_kind(), new_graph("install", [], [])):
        pieces = list(iter_json(graph))
        assert "".join(pieces) == _expected(graph)
        if batch == 1 and len(graph):
            assert len(pieces) > len(graph)


def test_big_graphs_come_in_several_pieces() -> None:
    graph = layered(3 * json_render._BATCH_ELEMENTS)
    pieces = list(iter_json(graph))
    assert len(pieces) > 6
    assert max(map(len, pieces)) < 2_000_000
    assert "".join(pieces) == _expected(graph)


_TEXT = st.text(max_size=12)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(_TEXT, _TEXT), min_size=0, max_size=6),
       st.lists(st.tuples(st.integers(0, 5), st.integers(0, 5), st.sampled_from(list(Kind)),
                          _TEXT), max_size=15),
       st.lists(st.tuples(st.integers(0, 5), st.sampled_from(list(Kind)), _TEXT),
                max_size=5),
       st.lists(_TEXT, max_size=3))
def test_any_text_any_shape(packages: list[tuple[str, str]],
                            edges: list[tuple[int, int, Kind, str]],
                            unresolved: list[tuple[int, Kind, str]],
                            notes: list[str]) -> None:
    graph = new_graph("all", notes, notes[:1])
    graph.graph["notes"] = list(notes)
    nodes = [add_package(graph, package(name, summary=summary)) for name, summary in packages]
    if nodes:
        for source, target, kind, capability in edges:
            add_dependency(graph, nodes[source % len(nodes)], nodes[target % len(nodes)],
                           Dependency(kind, capability))
        for source, kind, capability in unresolved:
            add_unresolved(graph, nodes[source % len(nodes)], Dependency(kind, capability))
    _check(graph)
