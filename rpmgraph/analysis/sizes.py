"""Closure sizes: what a root pulls in, and what each dependency costs on its own.

A dependency's *exclusive* size is what would go away if it were dropped: itself and
every package reachable from the root only through it. Those are exactly the nodes
it dominates in the dominator tree rooted at the root (nix-tree's "added size").
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

import networkx as nx

from rpmgraph.analysis.paths import forward_view
from rpmgraph.depgraph import DepGraph


@dataclass(frozen=True, slots=True)
class Exclusive:
    """What dropping one dependency would remove."""

    id: str
    packages: int
    installsize: int


@dataclass(frozen=True, slots=True)
class Unresolved:
    source: str
    kind: str
    capability: str


@dataclass(frozen=True, slots=True)
class RootStats:
    root: str
    packages: int
    installsize: int
    downloadsize: int
    direct: int
    depth: int
    unresolved: tuple[Unresolved, ...]
    top: tuple[Exclusive, ...]
    policy: str = "install"  # the policy the closure was drawn under
    problems: tuple[str, ...] = ()  # why the install policy could not install the root


def parents(view: nx.DiGraph, roots: list[str]) -> dict[str, str | None]:
    """Breadth-first tree from the roots, neighbours in sorted order, so that each
    package's chain back to a root is a shortest one and the same on every run."""
    parent: dict[str, str | None] = {r: None for r in roots if r in view}
    queue = deque(parent)
    while queue:
        node = queue.popleft()
        for nxt in sorted(view.successors(node)):
            if nxt not in parent:
                parent[nxt] = node
                queue.append(nxt)
    return parent


def chain(parent: dict[str, str | None], node: str) -> list[str]:
    """The path from a root to ``node`` through the breadth-first tree; [] if unreached."""
    if node not in parent:
        return []
    path = [node]
    while (up := parent[path[-1]]) is not None:
        path.append(up)
    return path[::-1]


def levels(parent: dict[str, str | None]) -> dict[str, int]:
    """Each package's distance from its root in the breadth-first tree, in one pass (a
    parent comes before its children in ``parent``): walking every chain back would
    take quadratic time on a long chain."""
    level: dict[str, int] = {}
    for node, up in parent.items():
        level[node] = 0 if up is None else level[up] + 1
    return level


def exclusive_sizes(view: nx.DiGraph, root: str, sizes: dict[str, int]) -> list[Exclusive]:
    """For every package reachable from ``root`` but the root: its dominated set's size."""
    # networkx before 3.5 maps the start to itself; later versions leave it out.
    idom = {n: d for n, d in nx.immediate_dominators(view, root).items() if n != root}
    children: dict[str, list[str]] = {node: [] for node in [root, *idom]}
    for node, dominator in idom.items():
        children[dominator].append(node)
    count: dict[str, int] = {}
    total: dict[str, int] = {}
    for node in _postorder(children, root):
        count[node] = 1 + sum(count[c] for c in children[node])
        total[node] = sizes.get(node, 0) + sum(total[c] for c in children[node])
    return [Exclusive(n, count[n], total[n]) for n in sorted(idom)]


def _postorder(children: dict[str, list[str]], root: str) -> list[str]:
    order: list[str] = []
    stack = [root]
    while stack:  # iterative: a long chain must not hit Python's recursion limit
        node = stack.pop()
        order.append(node)
        stack.extend(children[node])
    return order[::-1]


def root_stats(graph: DepGraph, root: str, top: int | None = 10) -> RootStats:
    """Sizes and shape of the closure of ``root`` in its own graph."""
    view = forward_view(graph)
    parent = parents(view, [root])
    closure = sorted(parent)
    nodes = graph.nodes
    sizes = {n: int(nodes[n]["installsize"]) for n in closure}
    ranked = sorted(exclusive_sizes(view, root, sizes),
                    key=lambda e: (-e.installsize, -e.packages, e.id))
    return RootStats(
        root=root,
        packages=len(closure),
        installsize=sum(sizes.values()),
        downloadsize=sum(int(nodes[n]["downloadsize"]) for n in closure),
        direct=view.out_degree(root) if root in view else 0,
        depth=max(levels(parent).values(), default=0),
        unresolved=tuple(Unresolved(n, d.kind.value, d.capability)
                         for n in closure for d in nodes[n]["unresolved"]),
        top=tuple(ranked if top is None else ranked[:top]),
        policy=str(graph.graph["policy"]),
        problems=tuple(graph.graph.get("problems", ())),
    )
