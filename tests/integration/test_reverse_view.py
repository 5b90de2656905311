"""``--reverse`` walks the whole graph itself instead of its forward view (a copy of
every edge) when no edge would be turned around there: the same closure for every
package of the sample repositories, at every depth."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from rpmgraph import resolve
from rpmgraph.analysis.paths import forward_view
from rpmgraph.analysis.reverse import reverse_closure
from rpmgraph.depgraph import DepGraph
from rpmgraph.model import Kind
from rpmgraph.pool import Source, SourceKind, build_pool, newest_per_name_arch, to_package
from rpmgraph.resolve import Policy, ResolveOptions, Resolver
from tests.conftest import Run

SAMPLES = Path(__file__).resolve().parents[2] / "sample_repos"


def _whole(*repos: Path, kinds: frozenset[Kind] | None = None) -> DepGraph:
    loaded = build_pool([Source(SourceKind.REPO, r) for r in repos], "x86_64", None, None,
                        lambda _: None)
    resolver = Resolver(loaded, ResolveOptions(policy=Policy.ALL, kinds=kinds), lambda _: None)
    return resolver.graph(newest_per_name_arch(loaded.solvables()))


def _snapshot(graph: DepGraph) -> Any:
    return (sorted(graph.nodes(data=True)), sorted(graph.edges(data=True)), graph.graph)


@pytest.mark.parametrize("repos", [("essex",), ("folsom",), ("grizzly",), ("mini", "essex")])
def test_the_whole_graph_walks_back_as_its_forward_view(repos: tuple[str, ...],
                                                        mini_repo: Path) -> None:
    whole = _whole(*(mini_repo if name == "mini" else SAMPLES / name for name in repos))
    assert not any(d.kind.reverse for _, _, deps in whole.edges(data="deps") for d in deps)
    view = forward_view(whole)
    for target in sorted(whole):
        for depth in (1, None):
            assert (_snapshot(reverse_closure(whole, [target], depth, view=whole))
                    == _snapshot(reverse_closure(whole, [target], depth, view=view)))


def test_supplements_turn_edges_around(mini_repo: Path) -> None:
    """Why the forward view is still made when Supplements are drawn: the whole graph's
    own predecessors would miss what a supplementing package pulls in."""
    whole = _whole(mini_repo, kinds=frozenset({Kind.REQUIRES, Kind.SUPPLEMENTS}))
    app = next(n for n in whole if n.startswith("app-"))
    walked = set(reverse_closure(whole, [app], view=whole))
    viewed = set(reverse_closure(whole, [app]))
    assert walked != viewed


def _resolver(*repos: Path, all_versions: bool = False) -> tuple[Resolver, DepGraph, Any]:
    loaded = build_pool([Source(SourceKind.REPO, r) for r in repos], "x86_64", None, None,
                        lambda _: None)
    resolver = Resolver(loaded, ResolveOptions(policy=Policy.ALL, all_versions=all_versions),
                        lambda _: None)
    whole = Resolver(loaded, ResolveOptions(policy=Policy.ALL, all_versions=all_versions),
                     lambda _: None).graph(newest_per_name_arch(loaded.solvables()))
    whole.graph["roots"] = []  # as cli.views.whole_graph leaves it
    by_nevra = {to_package(s).nevra: s for s in loaded.solvables()}
    return resolver, whole, by_nevra


@pytest.mark.parametrize("repos", [("essex",), ("folsom",), ("grizzly",), ("mini", "essex"),
                                   ("mini", "essex", "folsom")])
def test_walking_back_through_libsolv_gives_the_reverse_closure(
        repos: tuple[str, ...], mini_repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every package of the sample repositories as the target, at depths 1, 2 and all:
    the same graph as the reverse closure of the graph of every package."""
    monkeypatch.setattr(resolve, "_WALK_BACK_LIMIT", 10**6)  # walk back every time
    paths = [mini_repo if name == "mini" else SAMPLES / name for name in repos]
    resolver, whole, by_nevra = _resolver(*paths)
    view = forward_view(whole)
    checked = 0
    for target in sorted(whole):
        for depth in (1, 2, None):
            walked = resolver.reverse_graph([by_nevra[target]], depth)
            assert walked is not None
            expected = reverse_closure(whole, [target], depth, view=view)
            assert _snapshot(walked) == _snapshot(expected), (target, depth)
            checked += walked.number_of_edges()
    assert checked > 100


def test_walking_back_leaves_the_whole_graph_to_all_versions(mini_repo: Path) -> None:
    resolver, _, by_nevra = _resolver(mini_repo, all_versions=True)
    assert resolver.reverse_graph([next(iter(by_nevra.values()))], None) is None


def test_a_walk_that_grows_too_far_leaves_it_to_the_whole_graph(
        run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """libsolv looks at every package for each step back: past a few dozen packages the
    graph of every package is made instead. Either way the files are the same."""
    resolver, _, by_nevra = _resolver(SAMPLES / "essex")
    glibc = next(s for n, s in by_nevra.items() if n.startswith("glibc-2"))
    monkeypatch.setattr(resolve, "_WALK_BACK_LIMIT", 10)
    assert resolver.reverse_graph([glibc], None) is None
    files = {}
    for limit in (10, 10**6):
        monkeypatch.setattr(resolve, "_WALK_BACK_LIMIT", limit)
        out = tmp_path / f"{limit}.json"
        assert run("graph", "--repo", SAMPLES / "essex", "--reverse", "glibc", "python-nova",
                   "-O", out).exit_code == 0
        files[limit] = {p.name: p.read_bytes() for p in out.iterdir()}
    assert files[10] == files[10**6]
    assert len(files[10]) == 2
