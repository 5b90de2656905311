"""The all policy's shared plans (resolve._Builder.build_planned) draw exactly what the
general walk draws: the same nodes, edges, dependencies, unresolved lists, in the same
insertion order (the order outputs are written in), for one graph or a batch of graphs
over one pool."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, ClassVar

import networkx as nx
import pytest

from rpmgraph import resolve
from rpmgraph.depgraph import add_dependency, add_edges_from_new_node, add_new_package, discard
from rpmgraph.forked import can_fork, usable_cpus
from rpmgraph.model import Dependency, Kind, Package
from rpmgraph.pool import LoadedPool, Source, SourceKind, build_pool
from rpmgraph.resolve import Policy, ResolveOptions, Resolver, _shared, find_roots
from tests.support.rpmbuild import Spec, build_rpms, make_repo

SAMPLES = Path(__file__).resolve().parents[2] / "sample_repos"


def _load(*repos: Path) -> LoadedPool:
    return build_pool([Source(SourceKind.REPO, r) for r in repos], "x86_64", None, None,
                      lambda _: None)


def _snapshot(graph: nx.DiGraph) -> tuple[list[Any], list[Any], dict[str, Any]]:
    return (list(graph.nodes(data=True)), list(graph.edges(data=True)), graph.graph)


def _graphs(loaded: LoadedPool, roots: list[str], all_versions: bool) -> list[Any]:
    options = ResolveOptions(policy=Policy.ALL, all_versions=all_versions)
    found = find_roots(loaded, roots)
    resolver = Resolver(loaded, options, lambda _: None)
    return [_snapshot(resolver.graph([r])) for r in found] + [_snapshot(resolver.graph(found))]


@pytest.mark.parametrize("all_versions", [False, True])
@pytest.mark.parametrize("release", ["essex", "folsom", "grizzly"])
def test_plans_draw_what_the_general_walk_draws(release: str, all_versions: bool,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    planned = _graphs(_load(SAMPLES / release), ["openstack-*", "python-*"], all_versions)
    monkeypatch.setattr(Resolver, "_planned", lambda *_: None)  # the general walk
    general = _graphs(_load(SAMPLES / release), ["openstack-*", "python-*"], all_versions)
    assert len(planned) > 10
    assert planned == general


def test_plans_on_the_mini_repository(mini_repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Rich, versioned, multi-provider and unresolved dependencies, two repositories."""
    planned = _graphs(_load(mini_repo, SAMPLES / "essex"), ["*"], False)
    monkeypatch.setattr(Resolver, "_planned", lambda *_: None)
    general = _graphs(_load(mini_repo, SAMPLES / "essex"), ["*"], False)
    assert any(data["unresolved"] for nodes, _, _ in planned for _, data in nodes)
    assert planned == general


_INSTALL_OPTIONS = [ResolveOptions(), ResolveOptions(weak=False), ResolveOptions(best=False),
                    ResolveOptions(kinds=frozenset(Kind) - {Kind.BUILDREQUIRES, Kind.ENHANCES}),
                    ResolveOptions(kinds=frozenset(Kind) - {Kind.BUILDREQUIRES})]


def _install_graphs(loaded: LoadedPool, options: ResolveOptions) -> list[Any]:
    resolver = Resolver(loaded, options, lambda _: None)
    return [_snapshot(resolver.graph([r])) for r in resolve.read_roots(loaded, ["*"])]


@pytest.mark.parametrize("options", _INSTALL_OPTIONS)
@pytest.mark.parametrize("repos", [("essex",), ("grizzly",), ("mini", "essex")])
def test_install_graphs_from_plans_are_the_general_walks(
        repos: tuple[str, ...], options: ResolveOptions, mini_repo: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Under the install policy a package whose plan over every usable package draws only
    into the install set takes that plan (resolve._Builder._expand_planned); the graphs
    are those of the general walk, Supplements edges drawn first merged in place."""
    paths = [mini_repo if name == "mini" else SAMPLES / name for name in repos]
    loaded = _load(*paths)
    planned = _install_graphs(loaded, options)
    assert bool(_shared(loaded).usable_planners) == (
        Kind.ENHANCES not in options.kinds_for(Policy.INSTALL))
    monkeypatch.setattr(Resolver, "_usable_planner", lambda *_: None)
    general = _install_graphs(_load(*paths), options)
    assert len(planned) > 50
    assert planned == general


def test_a_supplements_edge_drawn_first_takes_the_plans_dependencies(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """addon requires and supplements server (mod_ssl and httpd): server's expansion
    draws addon -> server first; addon's plan then adds its requires to that edge, in
    its place, as the general walk does."""
    rpms = tmp_path / "rpms"
    rpms.mkdir()
    build_rpms([Spec(name="server", requires=["helper"]), Spec(name="helper"),
                Spec(name="other"),
                Spec(name="addon", requires=["other", "server"], supplements=["server"])],
               rpms)
    repo = make_repo(rpms)
    planned = _install_graphs(_load(repo), ResolveOptions())
    monkeypatch.setattr(Resolver, "_usable_planner", lambda *_: None)
    assert planned == _install_graphs(_load(repo), ResolveOptions())
    (server,) = [edges for _, edges, graph in planned
                 if graph["roots"] == ["server-1.0-1.noarch"]]
    addon = [(b, [(d.kind.value, d.capability) for d in data["deps"]])
             for a, b, data in server if a == "addon-1.0-1.noarch"]
    assert addon == [("server-1.0-1.noarch", [("requires", "server"), ("supplements", "server")]),
                     ("other-1.0-1.noarch", [("requires", "other")])]


def test_batch_graphs_share_edge_labels_but_not_node_data() -> None:
    loaded = _load(SAMPLES / "essex")
    resolver = Resolver(loaded, ResolveOptions(policy=Policy.ALL), lambda _: None)
    nova, compute = (resolver.graph(find_roots(loaded, [name]))
                     for name in ("openstack-nova", "openstack-glance"))
    shared = [(a, b) for a, b in nova.edges if compute.has_edge(a, b)]
    assert shared
    for a, b in shared:
        assert isinstance(nova.edges[a, b]["deps"], tuple)
        assert nova.nodes[a] is not compute.nodes[a]
        assert nova.nodes[a]["unresolved"] is not compute.nodes[a]["unresolved"]


def test_add_edges_from_new_node_is_add_edges_from() -> None:
    dep = (Dependency(Kind.REQUIRES, "x"),)
    pairs = [("b", dep), ("c", (Dependency(Kind.REQUIRES, "y"),)), ("a", dep)]
    fast, slow = nx.DiGraph(), nx.DiGraph()
    for graph in (fast, slow):
        graph.add_nodes_from(["a", "b", "c", "n"])
        graph.add_edge("a", "b", deps=dep)
    add_edges_from_new_node(fast, "n", [(t, {"deps": d}) for t, d in pairs])
    slow.add_edges_from(("n", t, {"deps": d}) for t, d in pairs)
    assert list(fast.edges(data=True)) == list(slow.edges(data=True))
    assert [list(fast.pred[n].items()) for n in fast] == [list(slow.pred[n].items())
                                                         for n in slow]
    assert fast.edges["n", "a"] is fast.pred["a"]["n"]  # one dict for both adjacencies
    assert nx.utils.graphs_equal(fast, slow)


def test_discard_frees_a_graph_without_the_cyclic_collector() -> None:
    import gc
    import weakref

    loaded = _load(SAMPLES / "essex")
    graph = Resolver(loaded, ResolveOptions(policy=Policy.ALL), lambda _: None).graph(
        find_roots(loaded, ["openstack-nova"]))
    assert graph.number_of_edges() > 10  # creates the cached views that point back
    ref = weakref.ref(graph)
    gc.disable()
    try:
        discard(graph)
        del graph
        assert ref() is None
    finally:
        gc.enable()


def test_edges_with_the_same_dependencies_share_one_dict_that_nothing_changes() -> None:
    """The memory a distribution's whole graph needs rests on this sharing; a change to
    one edge (add_dependency) must leave every other edge, and the other graphs, alone."""
    loaded = _load(SAMPLES / "essex")
    resolver = Resolver(loaded, ResolveOptions(policy=Policy.ALL), lambda _: None)
    nova = resolver.graph(find_roots(loaded, ["openstack-nova"]))
    glance = resolver.graph(find_roots(loaded, ["openstack-glance"]))
    by_dict: dict[int, list[tuple[str, str]]] = {}
    for a, b, data in nova.edges(data=True):
        by_dict.setdefault(id(data), []).append((a, b))
    (a, b), (c, d) = next(edges for edges in by_dict.values() if len(edges) > 1)[:2]
    assert nova.edges[a, b] is nova.edges[c, d]
    before = nova.edges[c, d]["deps"]
    in_glance = {(x, y): data["deps"] for x, y, data in glance.edges(data=True)}
    order = list(nova.succ[a]), list(nova.pred[b])
    extra = Dependency(Kind.RECOMMENDS, "something-else")
    add_dependency(nova, a, b, extra)
    assert extra in nova.edges[a, b]["deps"]
    assert nova.edges[a, b] is nova.pred[b][a]
    assert nova.edges[c, d]["deps"] == before
    assert {(x, y): data["deps"] for x, y, data in glance.edges(data=True)} == in_glance
    assert (list(nova.succ[a]), list(nova.pred[b])) == order  # kept its place


def test_add_dependency_keeps_the_edge_in_its_place() -> None:
    graph = nx.DiGraph()
    first, second = Dependency(Kind.REQUIRES, "x"), Dependency(Kind.REQUIRES, "y")
    for target in ("b", "c", "d"):
        add_dependency(graph, "a", target, first)
    add_dependency(graph, "a", "c", second)
    assert list(graph.succ["a"]) == ["b", "c", "d"]
    assert list(graph.pred["c"]) == ["a"]
    assert graph.edges["a", "c"]["deps"] == (first, second)


def test_add_new_package_is_add_node(mini_repo: Path) -> None:
    loaded = _load(mini_repo)
    package = _shared(loaded).package(loaded.pool.id2solvable(sorted(loaded.usable)[0]))
    fast, slow = nx.DiGraph(), nx.DiGraph()
    add_new_package(fast, package.nevra, package)
    slow.add_node(package.nevra, **{**fast.nodes[package.nevra]})
    assert nx.utils.graphs_equal(fast, slow)
    assert list(fast.nodes(data=True)) == list(slow.nodes(data=True))
    assert fast.nodes[package.nevra]["unresolved"] == []


def test_a_single_graph_keeps_no_plans_a_batch_does() -> None:
    """Each plan is read once per graph: the whole repository's graph would hold 70,000
    for nothing. From the second graph over the same world on, they are kept."""
    loaded = _load(SAMPLES / "essex")
    resolver = Resolver(loaded, ResolveOptions(policy=Policy.ALL), lambda _: None)
    first = resolver.graph(find_roots(loaded, ["openstack-nova"]))
    plans = _shared(loaded).plans
    assert first.number_of_nodes() > 10
    assert not any(plans.values())
    resolver.graph(find_roots(loaded, ["openstack-glance"]))
    assert sum(map(len, plans.values())) > 10


class _CountedForked(resolve.Forked):
    made: ClassVar[list[_CountedForked]] = []

    def __init__(self, work: Callable[[], Any]) -> None:
        super().__init__(work)
        self.made.append(self)


@pytest.mark.skipif(usable_cpus() < 2, reason="one usable CPU: nothing is forked")
@pytest.mark.parametrize("child", ["reads", "fails", "refused"])
def test_roots_read_by_a_forked_child_give_the_same_graph(
        child: str, mini_repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Many roots (every package of a distribution) are read by a forked child while the
    plans are made here; a child that fails leaves the reading to this process. Either
    way, the same graph as one process alone makes."""
    repos = (mini_repo, SAMPLES / "essex", SAMPLES / "folsom")
    def every_package(loaded: LoadedPool) -> Any:
        options = ResolveOptions(policy=Policy.ALL)
        return _snapshot(Resolver(loaded, options, print).graph(find_roots(loaded, ["*"])))

    monkeypatch.setenv("RPMGRAPH_JOBS", "1")
    alone = every_package(_load(*repos))
    monkeypatch.delenv("RPMGRAPH_JOBS")
    if not can_fork():
        pytest.skip("another thread is running: nothing is forked")
    monkeypatch.setattr(resolve, "_FORK_FROM", 10)  # the sample repositories are small
    monkeypatch.setattr(resolve, "Forked", _CountedForked)
    _CountedForked.made.clear()
    if child == "fails":
        monkeypatch.setattr(resolve, "_read_ahead", lambda *_: 1 / 0)
    loaded = _load(*repos)
    if child == "refused":  # the system has no process to spare
        def refuse() -> int:
            raise BlockingIOError(11, "Resource temporarily unavailable")

        monkeypatch.setattr(os, "fork", refuse)
    forked = every_package(loaded)
    assert len(_CountedForked.made) == (child != "refused")
    assert len(forked[0]) > 200
    assert forked == alone
    assert all(type(p) is Package for p in _shared(loaded).packages.values())


def test_graphs_after_the_shared_tables_are_released() -> None:
    """``release_shared`` drops the tables graphs over the run's pool share; a graph made
    after it makes them again, and is the graph made before it."""
    loaded = _load(SAMPLES / "essex")
    before = _graphs(loaded, ["openstack-*"], False)
    shared = _shared(loaded)
    assert shared.steps and shared.nevras
    resolve.release_shared()
    assert _shared(loaded) is not shared and not _shared(loaded).nevras
    assert _graphs(loaded, ["openstack-*"], False) == before
