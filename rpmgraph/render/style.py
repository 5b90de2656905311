"""How pictures look, whatever draws them (DOT, SVG, HTML, Mermaid): each package's role
(root, direct or transitive dependency, base, unpicked alternative), the fills of roles,
repositories and diff statuses, and the settings a user chooses (``Style``)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from rpmgraph.depgraph import DepGraph
from rpmgraph.model import Kind

ROOT_FILL = "#ffd966"
NODE_FILL = "#dde9f7"
# Fill and legend text of each role, in legend order.
ROLES: dict[str, tuple[str, str]] = {
    "root": (ROOT_FILL, "root"),
    "direct": ("#9fc5e8", "direct dependency"),
    "transitive": (NODE_FILL, "transitive dependency"),
    "package": ("#ffffff", "package"),
    "base": ("#eeeeee", "base"),
    "alternative": ("#ffffff", "not picked (alternative)"),
}
# Light, distinct fills for --color-by repo (ColorBrewer Set3 and Pastel1).
REPO_FILLS = ("#8dd3c7", "#ffffb3", "#bebada", "#fb8072", "#80b1d3", "#fdb462", "#b3de69",
              "#fccde5", "#d9d9d9", "#bc80bd", "#ccebc5", "#ffed6f")
# (changed in lavender: a yellow one was hard to tell from the root's)
STATUS_FILL = {"added": "#b6e3b6", "removed": "#f4b6b6", "changed": "#d9c8f0"}


@dataclass(frozen=True, slots=True)
class Style:
    """Rendering settings that are not part of the graph's data."""

    cluster: str | None = None  # "srpm" or "repo"
    sizes: bool = False  # installed size in the labels, node width growing with it
    legend: bool = True
    rankdir: str = "LR"
    color_by: str = "role"  # "role" or "repo"


def node_roles(graph: DepGraph) -> dict[str, str]:
    """Each node's role: root, direct (one step from a root), transitive, base,
    alternative, or package (not reached from any root, e.g. in a cycles graph).

    Steps follow what pulls what in (Supplements/Enhances turned around), and go from
    a package to what requires it in a ``--reverse`` graph: ``forward_view``'s edges,
    walked here without building that graph (levels are shortest distances, so the
    order of the walk does not change them)."""
    level = {r: 0 for r in graph.graph["roots"] if r in graph}
    if level and len(level) < len(graph):  # (every package a root: nothing to walk)
        steps = _steps(graph)
        frontier = list(level)
        while frontier:
            following = []
            for node in frontier:
                for nxt in steps.get(node, ()):
                    if nxt not in level:
                        level[nxt] = level[node] + 1
                        following.append(nxt)
            frontier = following
    return {node: _role(data, level.get(node)) for node, data in graph.nodes(data=True)}


_REVERSE_KINDS = frozenset(kind for kind in Kind if kind.reverse)


def _steps(graph: DepGraph) -> dict[str, list[str]]:
    """The successors of each node in ``forward_view(graph)`` (reversed for a reverse
    graph): along edges with a forward kind, against edges with Supplements/Enhances
    (both ways when an edge has both); unpicked alternatives are no step. One pass over
    the edges, each looked at once."""
    steps: dict[str, list[str]] = defaultdict(list)
    turned = bool(graph.graph.get("reverse"))
    for tail, heads in graph.adjacency():  # networkx's own dictionaries, read directly
        for head, data in heads.items():
            if data.get("alternative"):
                continue
            deps = data["deps"]
            if len(deps) == 1:  # most edges
                back = deps[0].kind in _REVERSE_KINDS
                ahead = not back
            else:
                back = any(d.kind in _REVERSE_KINDS for d in deps)
                ahead = not all(d.kind in _REVERSE_KINDS for d in deps)
            source, target = (head, tail) if turned else (tail, head)
            if ahead:  # pulled in by the source
                steps[source].append(target)
            if back:  # pulls the source in
                steps[target].append(source)
    return steps


def _role(data: dict[str, Any], level: int | None) -> str:
    if data.get("base"):
        return "base"
    if data.get("alternative"):
        return "alternative"
    if level is None:
        return "package"
    return "root" if level == 0 else "direct" if level == 1 else "transitive"


def repo_fills(graph: DepGraph) -> dict[str, str]:
    """A fill per repository, assigned in name order (the palette repeats past 12)."""
    repos = sorted({str(d.get("repo", "")) for _, d in graph.nodes(data=True)})
    return {repo: REPO_FILLS[i % len(REPO_FILLS)] for i, repo in enumerate(repos)}


def node_fill(data: dict[str, Any], role: str, style: Style,
              repos: dict[str, str]) -> str:
    """The fill a node gets: a diff status wins, then the repository or the role."""
    if data.get("status") in STATUS_FILL:
        return STATUS_FILL[data["status"]]
    if style.color_by == "repo" and role not in ("base", "alternative"):
        return repos.get(str(data.get("repo", "")), NODE_FILL)
    return ROLES[role][0]
