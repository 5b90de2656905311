"""How pictures look, whatever draws them (DOT, SVG, HTML, Mermaid): each package's role
(root, direct or transitive dependency, base, unpicked alternative), the fills of roles,
repositories and diff statuses, and the settings a user chooses (``Style``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rpmgraph.depgraph import DepGraph, levels

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
    alternative, or package (not reached from any root, e.g. in a cycles graph); steps
    as ``depgraph.forward_steps`` takes them, the ones a depth cut follows."""
    level = levels(graph)
    return {node: _role(data, level.get(node)) for node, data in graph.nodes(data=True)}


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
