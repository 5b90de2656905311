"""Pictures: tooltips reach the SVG, nodes are filled by role or repository, the legend
explains what is drawn, and big graphs get their readability settings."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pydot

from rpmgraph.render.dot import to_dot
from rpmgraph.render.style import REPO_FILLS, ROLES, Style, node_roles
from tests.conftest import SAMPLE_REPOS, Run
from tests.render.graphs import layered

NS = {"svg": "http://www.w3.org/2000/svg", "xlink": "http://www.w3.org/1999/xlink"}
XLINK_TITLE = "{http://www.w3.org/1999/xlink}title"


def svg_items(path: Path, cls: str) -> dict[str, str]:
    """Each SVG node or edge group: its <title> -> the tooltip of the link inside it."""
    root = ET.parse(path).getroot()
    found = {}
    for group in root.iterfind(f".//svg:g[@class='{cls}']", NS):
        link = group.find(".//svg:a", NS)
        found[group.findtext("svg:title", namespaces=NS) or ""] = (
            link.get(XLINK_TITLE, "") if link is not None else "")
    return found


def fills(dot_text: str) -> dict[str, str]:
    (dot,) = pydot.graph_from_dot_data(dot_text)
    nodes = dot.get_nodes() + [n for sub in dot.get_subgraphs() for n in sub.get_nodes()]
    return {n.get_name().strip('"'): str(n.get("fillcolor")).strip('"') for n in nodes
            if n.get("fillcolor")}


def test_svg_tooltips_name_nodes_and_edges(run: Run, mini_repo: Path, tmp_path: Path) -> None:
    out = tmp_path / "app.svg"
    assert run("graph", "--repo", mini_repo, "app", "-o", out).exit_code == 0
    broken = tmp_path / "broken.svg"
    assert run("graph", "--repo", mini_repo, "broken", "-o", broken).exit_code == 0
    assert "nothing provides: nothing-provides-this >= 1.0 (requires)" in (
        svg_items(broken, "node")["broken-1.0-1.noarch"])
    nodes = svg_items(out, "node")
    app = nodes["app-1.0-1.noarch"]
    assert app.splitlines() == ["app-1.0-1.noarch", "the root application", "repo: mini",
                                "installed size: " + app.splitlines()[3].split(": ")[1],
                                "role: root"]
    assert app.splitlines()[3].endswith(("B", "KiB"))
    assert "role: direct dependency" in nodes["lib-2.0-1.noarch"]
    assert "role: transitive dependency" in nodes["libcore-1.0-1.noarch"]
    edges = svg_items(out, "edge")
    assert edges["app-1.0-1.noarch->lib-2.0-1.noarch"].splitlines() == [
        "app-1.0-1.noarch -> lib-2.0-1.noarch", "requires: lib >= 2"]
    assert "pre-requires: users" in edges["app-1.0-1.noarch->users-1.0-1.noarch"]
    assert "recommends: extras" in edges["app-1.0-1.noarch->extras-1.0-1.noarch"]
    assert all(tip for tip in edges.values()), "every edge has a tooltip"
    assert all(tip for tip in nodes.values()), "every node has a tooltip"


def test_fill_by_role(run: Run, mini_repo: Path) -> None:
    found = fills(run("graph", "--repo", mini_repo, "app").stdout)
    assert found["app-1.0-1.noarch"] == ROLES["root"][0]
    assert found["lib-2.0-1.noarch"] == ROLES["direct"][0]
    assert found["libcore-1.0-1.noarch"] == ROLES["transitive"][0]
    legend = {k for k in found if k.startswith("legend:")}
    assert legend == {"legend:role:root", "legend:role:direct", "legend:role:transitive"}


def test_reverse_graph_roles_walk_towards_what_requires(run: Run) -> None:
    dot = run("graph", "--repo", SAMPLE_REPOS / "essex", "--reverse", "python-greenlet",
              "--depth", "2", "-f", "dot").stdout
    found = fills(dot)
    assert found["python-greenlet-0.3.1-9.fc17.x86_64"] == ROLES["root"][0]
    assert found["python-eventlet-0.9.16-6.fc17.noarch"] == ROLES["direct"][0]


def test_fill_by_repository(run: Run, tmp_path: Path) -> None:
    essex, folsom = SAMPLE_REPOS / "essex", SAMPLE_REPOS / "folsom"
    result = run("graph", "--repo", essex, "--repo", folsom, "--policy", "all",
                 "--all-versions", "openstack-nova-2012.1-6.fc17.noarch", "--color-by", "repo",
                 "-f", "json")
    import json

    repo_of = {n["id"]: n["repo"] for n in json.loads(result.stdout)["nodes"]}
    assert {"essex", "folsom"} <= set(repo_of.values())
    dot = run("graph", "--repo", essex, "--repo", folsom, "--policy", "all", "--all-versions",
              "openstack-nova-2012.1-6.fc17.noarch", "--color-by", "repo").stdout
    found = fills(dot)
    palette = dict(zip(sorted(set(repo_of.values())), REPO_FILLS, strict=False))
    for node, repo in repo_of.items():
        assert found[node] == palette[repo], node
    assert {"legend:repo:essex", "legend:repo:folsom"} <= set(found)
    assert "legend:role:direct" not in found
    assert found["legend:role:root"] == "#ffffff"  # roots are told by their border


def test_big_graphs_draw_every_edge_and_title_counts() -> None:
    """No "concentrate": its merged trunks seemed to start from empty points."""
    small, big = to_dot(layered(20)), to_dot(layered(200))
    assert "concentrate" not in small and "concentrate" not in big
    assert "200 packages, 199 dependencies" in big
    roles = node_roles(layered(20))
    assert roles["p0-1.0-1.noarch"] == "root"
    assert {roles[f"p{i}-1.0-1.noarch"] for i in (1, 2, 3)} == {"direct"}
    assert roles["p19-1.0-1.noarch"] == "transitive"
    assert "legend" not in to_dot(layered(5), Style(legend=False))
