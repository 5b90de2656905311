"""One walk from the roots (depgraph.levels) decides a depth cut, the roles pictures
colour, what --exclude and --stop-at keep and the HTML page's columns: on graphs with
unpicked alternatives (--show-alternatives) they agree. An alternative sits one step
past the package that offers it, and nothing is reached through it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rpmgraph.analysis.transform import exclude
from rpmgraph.depgraph import DepGraph, add_alternative, cut_depth, levels
from rpmgraph.model import Dependency, Kind, Package
from rpmgraph.pool import Source, SourceKind, build_pool, to_package
from rpmgraph.render.html import layered_positions
from rpmgraph.render.style import node_roles
from rpmgraph.resolve import ResolveOptions, Resolver, find_roots
from tests.conftest import Run

SAMPLES = Path(__file__).resolve().parents[2] / "sample_repos"


def _graph(repo: Path, root: str) -> DepGraph:
    loaded = build_pool([Source(SourceKind.REPO, repo)], "x86_64", None, None,
                        lambda _: None)
    resolver = Resolver(loaded, ResolveOptions(show_alternatives=True), lambda _: None)
    return resolver.graph(find_roots(loaded, [root]))


def _alternatives(graph: DepGraph) -> set[str]:
    return {n for n, flag in graph.nodes(data="alternative") if flag}


@pytest.mark.parametrize(("repo", "root"), [("essex", "mod_wsgi"), ("mini", "cond"),
                                            ("mini", "app")])
def test_depth_cuts_and_roles_agree(repo: str, root: str, mini_repo: Path) -> None:
    graph = _graph(mini_repo if repo == "mini" else SAMPLES / repo, root)
    offered = _alternatives(graph)
    assert offered, "the graph shows an unpicked alternative"
    roles = node_roles(graph)
    by_role = {role: {n for n, r in roles.items() if r == role} for role in set(roles.values())}
    assert set(cut_depth(graph, 0)) == by_role["root"]
    kept = set(cut_depth(graph, 1))
    assert kept - offered == by_role["root"] | by_role.get("direct", set())
    # the alternatives a depth cut keeps are those the roots offer, one step out
    assert kept & offered == {t for r in by_role["root"] for t in graph.successors(r)
                              if t in offered}
    assert set(cut_depth(graph, len(graph))) == set(graph) - by_role.get("package", set())
    assert by_role["alternative"] == offered


def test_nothing_is_reached_through_an_alternative(mini_repo: Path) -> None:
    """An edge leaving an alternative (a graph the resolver does not make, but a reader
    of the library may) is no step: before one walk, ``--depth`` took it and the role
    colours did not."""
    graph = _graph(mini_repo, "cond")
    (tool,) = _alternatives(graph)
    docs = to_package_of(mini_repo, "docs")
    add_alternative(graph, tool, docs, Dependency(Kind.REQUIRES, "docs"), "not picked")
    graph.nodes[tool]["alternative"] = True
    graph.add_node("far-1-1.noarch", **{**graph.nodes[docs.nevra], "alternative": False})
    graph.add_edge(tool, "far-1-1.noarch", deps=(Dependency(Kind.REQUIRES, "far"),))
    level = levels(graph)
    assert level[tool] == 1
    assert docs.nevra not in level and "far-1-1.noarch" not in level
    assert "far-1-1.noarch" not in cut_depth(graph, 5)
    assert node_roles(graph)["far-1-1.noarch"] == "package"


def to_package_of(repo: Path, name: str) -> Package:
    loaded = build_pool([Source(SourceKind.REPO, repo)], "x86_64", None, None,
                        lambda _: None)
    return to_package(next(s for s in loaded.solvables() if s.name == name))


def test_exclude_keeps_the_alternatives_of_what_it_keeps(run: Run) -> None:
    """--exclude and --stop-at prune what the roots no longer pull in; an alternative
    offered by a package still there stays (they used to drop every alternative)."""
    args = ("graph", "--repo", SAMPLES / "essex", "mod_wsgi", "--show-alternatives",
            "-f", "json")
    for more in ((), ("--exclude", "glibc"), ("--stop-at", "httpd")):
        doc = json.loads(run(*args, *more).stdout)
        assert [n["id"] for n in doc["nodes"] if n.get("alternative")] == [
            "nginx-1:1.0.15-5.fc17.noarch"], more
    graph = _graph(SAMPLES / "essex", "mod_wsgi")
    assert _alternatives(exclude(graph, ["glibc"])) == _alternatives(graph)


def test_the_html_columns_are_the_levels() -> None:
    graph = _graph(SAMPLES / "essex", "mod_wsgi")
    level = levels(graph)
    positions = layered_positions(graph)
    columns = sorted({x for x, _ in positions.values()})
    by_level: dict[int, set[float]] = {}
    for node, (x, _) in positions.items():
        by_level.setdefault(level[node], set()).add(x)
    firsts = [min(xs) for _, xs in sorted(by_level.items())]
    assert firsts == sorted(firsts) and firsts[0] == columns[0]
    (nginx,) = _alternatives(graph)
    assert positions[nginx][0] in by_level[1]  # beside what mod_wsgi pulls in, not last
