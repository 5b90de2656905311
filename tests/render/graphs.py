"""Graphs made in Python, for renderer tests that need shapes no repository has:
thousands of packages, or metadata written to break out of its format."""

from __future__ import annotations

from rpmgraph.depgraph import DepGraph, add_dependency, add_package, add_unresolved, new_graph
from rpmgraph.model import Dependency, Kind, Package

EVIL = '</script><script>window.pwned=1</script><!-- "&amp; <b>bold</b>'


def package(name: str, summary: str = "a package", size: int = 1000) -> Package:
    return Package(name=name, epoch=0, version="1.0", release="1", arch="noarch",
                   repo="synthetic", installsize=size, downloadsize=size // 2,
                   sourcerpm=f"{name}-1.0-1.src.rpm", summary=summary)


def layered(count: int, fanout: int = 3) -> DepGraph:
    """``count`` packages: p0 the root, each pN requiring a few packages further on."""
    graph = new_graph("install", ["synthetic"], ["p0-1.0-1.noarch"])
    nodes = [add_package(graph, package(f"p{i}")) for i in range(count)]
    for i, node in enumerate(nodes):
        for step in range(1, fanout + 1):
            target = i * fanout + step
            if target < count:
                add_dependency(graph, node, nodes[target],
                               Dependency(Kind.REQUIRES, f"cap-{target}"))
    return graph


def evil() -> DepGraph:
    """A root whose summary, dependency capability and unresolved capability are HTML."""
    graph = new_graph("install", ["synthetic"], [])
    root = add_package(graph, package("root", summary=EVIL))
    leaf = add_package(graph, package("leaf<!--", summary="-->" + EVIL))
    graph.graph["roots"] = [root]
    add_dependency(graph, root, leaf, Dependency(Kind.REQUIRES, EVIL))
    add_unresolved(graph, root, Dependency(Kind.RECOMMENDS, EVIL))
    return graph


def hostile(name: str, text: str) -> DepGraph:
    """Two packages named after ``name`` and ``text``, requiring and supplementing each
    other through ``text``, with ``text`` also unresolved: metadata that tries to break
    out of every part of a format."""
    graph = new_graph("all", ["synthetic"], [])
    root = add_package(graph, package(name, summary=text))
    leaf = add_package(graph, package(text or "leaf", summary=name))
    graph.graph["roots"] = [root]
    add_dependency(graph, root, leaf, Dependency(Kind.REQUIRES, text))
    add_dependency(graph, leaf, root, Dependency(Kind.SUPPLEMENTS, f"({name} if {text})"))
    add_unresolved(graph, root, Dependency(Kind.RECOMMENDS, text))
    return graph


def multi_kind() -> DepGraph:
    """Edges carrying several kinds, added out of order, and unresolved dependencies."""
    graph = new_graph("all", ["one", "two"], [])
    names = [add_package(graph, package(name)) for name in ("zeta", "alpha", "mid", "beta")]
    graph.graph["roots"] = names[:2]
    for source in names:
        for target in reversed(names):
            if source != target:
                for kind in reversed(Kind):
                    add_dependency(graph, source, target,
                                   Dependency(kind, f"{kind.value}({target})"))
                add_dependency(graph, source, target, Dependency(Kind.REQUIRES, "aaa"))
        add_unresolved(graph, source, Dependency(Kind.SUGGESTS, "missing"))
        add_unresolved(graph, source, Dependency(Kind.REQUIRES, "gone > 1.0"))
    return graph


def long_edges(length: int) -> DepGraph:
    """A graph big enough for plain edges (not a why-path's labelled ones), with an edge of
    three dependencies and one of four whose capabilities add up to ``length`` four-byte
    characters: tooltips about as long as the longest string Graphviz takes whole."""
    graph = layered(12)
    one, two, target = (add_package(graph, package(n)) for n in ("one", "two", "target"))
    third = length // 3  # (a tooltip's lines are cut at 1,024 characters each)
    for source in (one, two):
        for kind, count in ((Kind.REQUIRES, length - 2 * third), (Kind.RECOMMENDS, third),
                            (Kind.SUGGESTS, third)):
            add_dependency(graph, source, target, Dependency(kind, "\U0001f600" * count))
    add_dependency(graph, two, target, Dependency(Kind.PREREQUIRES, "x"))
    return graph
