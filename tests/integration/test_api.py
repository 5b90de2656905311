"""The Python library, used as a script would use it: no command line involved."""

from __future__ import annotations

from pathlib import Path

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
    (path,) = essex.why("openstack-nova", "python-greenlet")
    assert [s.target for s in path] == ["python-nova-2012.1-6.fc17.noarch",
                                        "python-greenlet-0.3.1-9.fc17.x86_64"]
    assert essex.why("python-greenlet", "openstack-nova") == []
    reverse = essex.reverse(["python-eventlet"], depth=1)
    assert reverse.roots == ("python-eventlet-0.9.16-6.fc17.noarch",)
    direct = {e.source for e in reverse.edges() if e.target in reverse.roots}
    assert {p.nevra for p in reverse.packages()} == direct | set(reverse.roots)
    assert "python-nova-2012.1-6.fc17.noarch" in direct
    (stats,) = essex.stats(["openstack-keystone"])
    assert stats.packages == len(essex.graph(["openstack-keystone"]))
    assert stats.installsize > 0 and stats.policy == "install"


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
