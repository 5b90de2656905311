"""``--reverse`` walks the whole graph itself instead of its forward view (a copy of
every edge) when no edge would be turned around there: the same closure for every
package of the sample repositories, at every depth."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from rpmgraph.analysis.paths import forward_view
from rpmgraph.analysis.reverse import reverse_closure
from rpmgraph.graph import DepGraph
from rpmgraph.model import Kind
from rpmgraph.pool import Source, SourceKind, build_pool, newest_per_name_arch
from rpmgraph.resolve import Policy, ResolveOptions, Resolver

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
