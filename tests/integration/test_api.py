"""The Python library, used as a script would use it: no command line involved."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import networkx as nx
import pytest

import rpmgraph
from tests.conftest import SAMPLE_REPOS
from tests.support.dnf import dnf_available, dnf_install_set

ESSEX = SAMPLE_REPOS / "essex"


@pytest.fixture(scope="module")
def essex() -> rpmgraph.Universe:
    return rpmgraph.load(repos=[ESSEX], arch="x86_64")


def test_graph_has_typed_records(essex: rpmgraph.Universe) -> None:
    graph = essex.graph(["openstack-nova"])
    assert graph.roots == ("openstack-nova-2012.1-6.fc17.noarch",)
    assert (graph.policy, graph.problems) == ("install", ())
    packages = {p.nevra: p for p in graph.packages()}
    assert len(packages) == len(graph) and "openstack-nova-2012.1-6.fc17.noarch" in graph
    greenlet = packages["python-greenlet-0.3.1-9.fc17.x86_64"]
    assert (greenlet.name, greenlet.arch, greenlet.repo) == ("python-greenlet", "x86_64",
                                                             "essex")
    edges = {(e.source, e.target): e for e in graph.edges()}
    nova = edges["openstack-nova-2012.1-6.fc17.noarch", "python-nova-2012.1-6.fc17.noarch"]
    assert nova.kind is rpmgraph.Kind.REQUIRES
    assert nova.dependencies == (rpmgraph.Dependency(rpmgraph.Kind.REQUIRES,
                                                     "python-nova = 2012.1-6.fc17"),)
    assert all(e.source in packages and e.target in packages for e in edges.values())


def test_to_networkx_is_a_copy(essex: rpmgraph.Universe) -> None:
    graph = essex.graph(["openstack-keystone"])
    copy = graph.to_networkx()
    assert isinstance(copy, nx.DiGraph) and set(copy) == {p.nevra for p in graph.packages()}
    copy.clear()
    assert len(graph) > 0


def test_render_gives_bytes_in_each_format(essex: rpmgraph.Universe) -> None:
    graph = essex.graph(["openstack-keystone"], depth=1)
    assert graph.render("dot").startswith(b"digraph")
    assert graph.render("json").startswith(b"{")
    assert graph.render("svg").lstrip().startswith(b"<?xml")
    with pytest.raises(rpmgraph.RenderError, match="unknown format 'gif'"):
        graph.render("gif")


def test_why_reverse_stats(essex: rpmgraph.Universe) -> None:
    (path,) = essex.why("openstack-nova", "python-greenlet").chains()
    assert [s.target for s in path] == ["python-nova-2012.1-6.fc17.noarch",
                                        "python-greenlet-0.3.1-9.fc17.x86_64"]
    assert not essex.why("python-greenlet", "openstack-nova")
    reverse = essex.reverse(["python-eventlet"], depth=1)
    assert reverse.roots == ("python-eventlet-0.9.16-6.fc17.noarch",)
    direct = {e.source for e in reverse.edges() if e.target in reverse.roots}
    assert {p.nevra for p in reverse.packages()} == direct | set(reverse.roots)
    assert "python-nova-2012.1-6.fc17.noarch" in direct
    (stats,) = essex.stats(["openstack-keystone"])
    assert stats.packages == len(essex.graph(["openstack-keystone"]))
    assert stats.installsize > 0 and stats.policy == "install"


def test_why_gives_what_the_command_prints(essex: rpmgraph.Universe) -> None:
    found = essex.why("openstack-nova", "python-greenlet")
    nova, python_nova, greenlet = found.paths[0]
    assert (found.policy, len(found.paths), nova) == ("install", 1,
                                                      "openstack-nova-2012.1-6.fc17.noarch")
    assert [(s.source, s.target, s.kind, s.declared_by) for s in found.steps] == [
        (nova, python_nova, rpmgraph.Kind.REQUIRES, nova),
        (python_nova, greenlet, rpmgraph.Kind.REQUIRES, python_nova)]
    assert found.text() == (f"{nova}\n  --requires python-nova = 2012.1-6.fc17--> {python_nova}"
                            f"\n  --requires python-greenlet--> {greenlet}\n")
    assert found.to_json()["paths"] == [[nova, python_nova, greenlet]]
    assert {p.nevra for p in found.graph.packages()} == {nova, python_nova, greenlet}
    assert "why-path" in found.graph.notes
    every = essex.why("openstack-nova", "python-greenlet", every=True)
    assert len(every.paths) >= 1 and found.paths[0] in every.paths


def test_why_walks_supplements_from_what_they_name(mini_repo: Path) -> None:
    """plugin supplements app: app's graph pulls plugin in, a step declared by plugin."""
    universe = rpmgraph.load(repos=[mini_repo], arch="x86_64")
    found = universe.why("app", "plugin", kinds=["requires", "supplements"])
    (step,) = found.steps
    assert (step.source, step.target, step.declared_by) == (
        "app-1.0-1.noarch", "plugin-1.0-1.noarch", "plugin-1.0-1.noarch")
    assert step.kind is rpmgraph.Kind.SUPPLEMENTS
    assert not universe.why("app", "plugin", kinds=["requires"])


def test_why_splits_an_edge_that_both_requires_and_supplements(tmp_path: Path) -> None:
    """mod_ssl requires httpd and supplements it: one edge of the graph, two steps of
    the forward view. httpd pulls mod_ssl in through the Supplements alone, declared by
    mod_ssl (its Requires point the other way)."""
    from tests.support.rpmbuild import Spec, build_rpms, make_repo

    build_rpms([Spec(name="httpd"), Spec(name="mod_ssl", requires=["httpd"],
                                         supplements=["httpd"])], tmp_path)
    universe = rpmgraph.load(repos=[make_repo(tmp_path)], arch="x86_64")
    (step,) = universe.why("httpd", "mod_ssl").steps
    assert (step.source, step.target, step.declared_by) == (
        "httpd-1.0-1.noarch", "mod_ssl-1.0-1.noarch", "mod_ssl-1.0-1.noarch")
    assert step.dependencies == (rpmgraph.Dependency(rpmgraph.Kind.SUPPLEMENTS, "httpd"),)
    (back,) = universe.why("mod_ssl", "httpd").steps
    assert back.dependencies == (rpmgraph.Dependency(rpmgraph.Kind.REQUIRES, "httpd"),)


def test_cycles_of_roots_and_of_every_package(essex: rpmgraph.Universe) -> None:
    every = essex.cycles()
    assert [c.packages for c in every.cycles] == [
        ("glibc-2.15-59.fc17.noarch", "glibc-common-2.15-59.fc17.noarch"),
        ("python-2.7.3-7.fc17.noarch", "python-libs-2.7.3-7.fc17.noarch")]
    glibc = every.cycles[0]
    assert {(e.source, e.target) for e in glibc.edges} == {
        (glibc.packages[0], glibc.packages[1]), (glibc.packages[1], glibc.packages[0])}
    assert every.text().startswith("cycle 1: 2 packages\n  glibc-2.15-59.fc17.noarch --requires")
    assert every.to_json()["cycles"] == [list(c.packages) for c in every.cycles]
    assert {p.nevra for p in every.graph.packages()} == {n for c in every.cycles
                                                          for n in c.packages}
    assert every.graph.roots == ()
    keystone = essex.cycles(["openstack-keystone"])
    assert 0 < len(keystone) <= len(every)
    assert not essex.cycles(["python-greenlet"])
    assert essex.cycles(["python-greenlet"]).text() == "no dependency cycles\n"


def test_reverse_makes_the_whole_graph_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Past the walk back through libsolv, the graph of every package is made once and
    kept on the universe: every later question reuses it."""
    from rpmgraph import resolve
    from rpmgraph.analysis import whole

    made = []

    def counted(*args: Any) -> Any:
        made.append(whole_graph(*args))
        return made[-1]

    whole_graph = whole.whole_graph
    monkeypatch.setattr(whole, "whole_graph", counted)
    monkeypatch.setattr(resolve, "_WALK_BACK_LIMIT", 0)
    universe = rpmgraph.load(repos=[ESSEX], arch="x86_64")
    eventlet = universe.reverse(["python-eventlet"])
    greenlet = universe.reverse(["python-greenlet"], depth=2)
    universe.cycles()
    assert len(made) == 1
    monkeypatch.setattr(resolve, "_WALK_BACK_LIMIT", 10**6)  # walked back: the same graph
    fresh = rpmgraph.load(repos=[ESSEX], arch="x86_64")
    assert fresh.reverse(["python-eventlet"]).edges() == eventlet.edges()
    assert fresh.reverse(["python-greenlet"], depth=2).packages() == greenlet.packages()
    assert len(made) == 1


def test_reverse_through_buildrequires_is_what_must_be_rebuilt() -> None:
    """The source packages whose buildroot holds the target, each at its rebuild depth
    from the target, through the binary packages that bring it in."""
    universe = rpmgraph.load(repos=[SAMPLE_REPOS / "essex-source", ESSEX,
                                    SAMPLE_REPOS / "essex-buildroot"], arch="x86_64")
    graph = universe.reverse(["python-eventlet"], kinds=["buildrequires"])
    eventlet = "python-eventlet-0.9.16-6.fc17.noarch"
    assert graph.roots == (eventlet,)
    rebuilds = {r.source: r.depth for r in universe.rebuilds(["python-eventlet"])}
    view = graph.to_networkx().reverse()
    levels = nx.single_source_shortest_path_length(view, eventlet)
    assert {n: levels[n] for n in levels if n.endswith(".src")} == rebuilds
    assert rebuilds["openstack-nova-2012.1-6.fc17.src"] == 1
    assert max(rebuilds.values()) == 3
    nova = next(e for e in graph.edges() if e.source == "openstack-nova-2012.1-6.fc17.src")
    assert (nova.target, nova.kind) == (eventlet, rpmgraph.Kind.BUILDREQUIRES)
    direct = universe.reverse(["python-eventlet"], 1, kinds=["buildrequires"])
    assert {p.nevra for p in direct.packages()} == {eventlet} | {
        s for s, depth in rebuilds.items() if depth == 1}
    with pytest.raises(rpmgraph.RpmgraphError, match="buildrequires kind goes alone"):
        universe.reverse(["python-eventlet"], kinds=["buildrequires", "requires"])
    nothing = universe.reverse(["openstack-nova"], kinds=["buildrequires"])
    assert [p.nevra for p in nothing.packages()] == ["openstack-nova-2012.1-6.fc17.noarch"]


def test_graph_on_a_base_and_with_alternatives(essex: rpmgraph.Universe) -> None:
    plain = essex.graph(["openstack-nova"])
    based = essex.graph(["openstack-nova"], base=["python-nova"]).to_networkx()
    marked = {n for n, base in based.nodes(data="base") if base}
    assert marked and set(based) == {p.nevra for p in plain.packages()}
    assert "openstack-nova-2012.1-6.fc17.noarch" not in marked
    assert not any(e.alternative for e in plain.edges())
    shown = essex.graph(["openstack-nova"], show_alternatives=True)
    assert any(e.alternative == "not picked by the solver" for e in shown.edges())


def test_unmatched_globs(essex: rpmgraph.Universe) -> None:
    assert essex.unmatched(["python-*", "nosuch*", "glibc-2.15-59.fc17.noarch", "Glibc"]) == [
        "nosuch*", "Glibc"]


def test_errors_are_the_library_exceptions(essex: rpmgraph.Universe, tmp_path: Path) -> None:
    with pytest.raises(rpmgraph.RootError, match="no package or capability matches"):
        essex.graph(["no-such-package"])
    with pytest.raises(rpmgraph.RpmgraphError, match="unknown policy 'any'"):
        essex.graph(["openstack-nova"], policy="any")  # type: ignore[arg-type]
    with pytest.raises(rpmgraph.SourceError, match="does not exist"):
        rpmgraph.load(repos=[tmp_path / "missing"])


@pytest.mark.skipif(not dnf_available(), reason="needs dnf")
def test_library_install_set_is_dnfs(mini_repo: Path) -> None:
    universe = rpmgraph.load(repos=[mini_repo], arch="x86_64")
    for root in ("app", "plugin"):
        found = {p.nevra for p in universe.graph([root]).packages()}
        assert found == dnf_install_set([mini_repo], [root], arch="x86_64")


def test_every_graph_is_the_projects_graph_type(essex: rpmgraph.Universe) -> None:
    """Graphs made by resolving, cutting, walking back, finding paths and cycles, and
    building a buildroot are all DepGraphs (networkx's copies and subgraphs of one keep
    the type), with their metadata typed."""
    from rpmgraph.depgraph import DepGraph

    builds = rpmgraph.load(repos=[ESSEX, SAMPLE_REPOS / "essex-buildroot"],
                           source_repos=[SAMPLE_REPOS / "essex-source"])
    graphs = {
        "graph": essex.graph(["openstack-nova"]),
        "depth": essex.graph(["openstack-nova"], depth=1),
        "reverse": essex.reverse(["python-eventlet"], depth=1),
        "why": essex.why("openstack-nova", "python-greenlet").graph,
        "cycles": essex.cycles().graph,
        "builddep": builds.builddep("openstack-nova"),
        "rebuilds": builds.reverse(["python-eventlet"], kinds=["buildrequires"]),
    }
    for name, graph in graphs.items():
        assert type(graph._graph) is DepGraph, name
    nova = graphs["graph"]._graph
    assert (nova.policy, nova.roots, nova.sources) == (
        "install", ["openstack-nova-2012.1-6.fc17.noarch"], [f"repo:{ESSEX}"])
    assert graphs["depth"]._graph.notes[-1] == "cut at depth 1"
    assert graphs["reverse"]._graph.reverse_view and not nova.reverse_view
    plain = graphs["graph"].to_networkx()
    assert type(plain) is nx.DiGraph and set(plain.edges) == set(nova.edges)
