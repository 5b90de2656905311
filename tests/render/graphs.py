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
