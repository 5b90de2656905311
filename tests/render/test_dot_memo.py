"""A batch's graphs share a DotMemo: a statement made for one graph is written again for
the next only when it would be made the same. Every graph must read as if drawn alone."""

from __future__ import annotations

import pytest

from rpmgraph.depgraph import DepGraph, add_alternative, add_dependency, add_unresolved
from rpmgraph.model import Dependency, Kind
from rpmgraph.render.dot import DotMemo, to_dot
from rpmgraph.render.style import Style
from tests.render.graphs import evil, hostile, layered, package


def _variants() -> list[DepGraph]:
    """Graphs with the same nodes and edges as each other, each time a little different."""
    graphs = [layered(120), layered(120), layered(7), layered(120)]
    graphs[1].graph["roots"] = ["p3-1.0-1.noarch"]  # other roles
    add_unresolved(graphs[3], "p5-1.0-1.noarch", Dependency(Kind.REQUIRES, "gone"))
    add_dependency(graphs[3], "p1-1.0-1.noarch", "p4-1.0-1.noarch",
                   Dependency(Kind.RECOMMENDS, "extra"))  # one more dependency on an edge
    add_alternative(graphs[3], "p2-1.0-1.noarch", package("p0"),
                    Dependency(Kind.REQUIRES, "choice"), "not picked")
    more = layered(150)  # the same names, different sizes (and so widths with --sizes)
    for _, data in more.nodes(data=True):
        data["installsize"] = 5000
    del graphs[0].nodes["p9-1.0-1.noarch"]["summary"]
    return [*graphs, more, layered(120), evil(), hostile("p1-1.0-1.noarch", "a\nb")]


@pytest.mark.parametrize("style", [Style(), Style(cluster="srpm", sizes=True),
                                   Style(color_by="repo", legend=False)])
def test_each_graph_reads_as_if_drawn_alone(style: Style) -> None:
    memo = DotMemo(style)
    for graph in _variants():
        assert to_dot(graph, style, memo) == to_dot(graph, style)
    assert memo.nodes and memo.edges


def test_a_full_memo_starts_again(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(DotMemo, "LIMIT", 10)
    memo = DotMemo(Style())
    for graph in _variants():
        assert to_dot(graph, Style(), memo) == to_dot(graph, Style())
        assert len(memo.nodes) <= 10 and len(memo.edges) <= 10


def test_a_memo_of_another_style_is_not_used() -> None:
    memo = DotMemo(Style(sizes=True))
    graph = layered(100)
    assert to_dot(graph, Style(), memo) == to_dot(graph, Style())
    assert not memo.nodes


def test_statements_are_taken_from_the_memo() -> None:
    """What makes it fast: the second graph's statements are those of the first."""
    memo = DotMemo(Style())
    first, second = layered(100), layered(100)
    to_dot(first, Style(), memo)
    made = {line for _, line in memo.nodes.values()}
    text = to_dot(second, Style(), memo)
    assert made and all(line in text for line in made)
    assert sum(text.count(line) for line in made) == len(made)


def test_data_changed_in_place_is_not_taken_for_what_was_drawn() -> None:
    """Node data lists (unresolved dependencies) may be shared and changed afterwards:
    the memo keeps what a statement was made of, not a view of it."""
    memo = DotMemo(Style())
    graph = layered(20)
    to_dot(graph, Style(), memo)
    add_unresolved(graph, "p5-1.0-1.noarch", Dependency(Kind.REQUIRES, "gone"))
    assert to_dot(graph, Style(), memo) == to_dot(graph, Style())
