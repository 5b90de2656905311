"""Resolution on the mini repository: every policy, kind and dependency form.

Expected nodes and edges are worked out by hand from MINI_SPECS in conftest.py.
"""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest

from rpmgraph.errors import RootError
from rpmgraph.model import Dependency, Kind
from rpmgraph.pool import LoadedPool, Source, SourceKind, build_pool
from rpmgraph.resolve import Policy, ResolveOptions, Resolver, find_roots

WARNINGS: list[str] = []


def load(repo: Path, arch: str = "x86_64") -> LoadedPool:
    return build_pool([Source(SourceKind.REPO, repo)], arch, None, None, WARNINGS.append)


def resolve(repo: Path, *roots: str, arch: str = "x86_64", **options: object) -> nx.DiGraph:
    loaded = load(repo, arch)
    resolver = Resolver(loaded, ResolveOptions(**options), WARNINGS.append)  # type: ignore[arg-type]
    return resolver.graph(find_roots(loaded, list(roots)))


def names(graph: nx.DiGraph) -> set[str]:
    return {data["name"] for _, data in graph.nodes(data=True)}


def edge(graph: nx.DiGraph, source: str, target: str) -> list[Dependency]:
    ids = {data["name"]: node for node, data in graph.nodes(data=True)}
    deps: tuple[Dependency, ...] = graph.edges[ids[source], ids[target]]["deps"]
    assert isinstance(deps, tuple)  # shared between graphs: never changed in place
    return list(deps)


INSTALL_SET = {"app", "lib", "libcore", "tool", "shell", "data", "users", "extras", "engine",
               "plugin", "native"}


def test_install_policy_holds_what_dnf_would_install(mini_repo: Path) -> None:
    graph = resolve(mini_repo, "app")
    webs = names(graph) & {"web-a", "web-b"}
    assert len(webs) == 1, "the solver picks one provider of webserver"
    assert names(graph) - webs == INSTALL_SET
    assert graph.graph["policy"] == "install"
    assert graph.graph["roots"] == ["app-1.0-1.noarch"]


def test_install_policy_edges_carry_kind_and_capability(mini_repo: Path) -> None:
    graph = resolve(mini_repo, "app")
    assert edge(graph, "app", "lib") == [Dependency(Kind.REQUIRES, "lib >= 2")]
    assert edge(graph, "app", "users") == [Dependency(Kind.PREREQUIRES, "users")]
    assert edge(graph, "app", "extras") == [Dependency(Kind.RECOMMENDS, "extras")]
    assert edge(graph, "app", "engine") == [Dependency(Kind.REQUIRES, "engine >= 2:1.0")]
    assert edge(graph, "app", "tool") == [Dependency(Kind.REQUIRES, "(tool if shell)")]
    assert edge(graph, "app", "data") == [Dependency(Kind.REQUIRES, "/usr/share/data/file.dat")]
    assert edge(graph, "app", "shell") == [Dependency(Kind.REQUIRES, "/bin/sh")]
    assert edge(graph, "app", "native") == [Dependency(Kind.REQUIRES, "archcap")]
    # Supplements is declared by plugin, about app: the edge goes plugin -> app.
    assert edge(graph, "plugin", "app") == [Dependency(Kind.SUPPLEMENTS, "app")]
    # The cycle lib <-> libcore is kept in both directions.
    assert edge(graph, "lib", "libcore") and edge(graph, "libcore", "lib")
    assert not any(data["unresolved"] for _, data in graph.nodes(data=True))


def test_newest_build_wins(mini_repo: Path) -> None:
    graph = resolve(mini_repo, "app")
    assert "lib-2.0-1.noarch" in graph and "lib-1.0-1.noarch" not in graph
    assert "engine-2:1.0-1.noarch" in graph


def test_no_weak_leaves_out_recommends_and_supplements(mini_repo: Path) -> None:
    graph = resolve(mini_repo, "app", weak=False)
    assert "extras" not in names(graph)
    assert "plugin" not in names(graph)
    assert {"lib", "users", "data"} <= names(graph)


def test_all_policy_follows_every_provider(mini_repo: Path) -> None:
    graph = resolve(mini_repo, "app", policy=Policy.ALL)
    assert names(graph) == {"app", "lib", "libcore", "tool", "shell", "data", "web-a", "web-b",
                            "users", "engine", "native"}
    assert edge(graph, "app", "web-a") == edge(graph, "app", "web-b")
    assert "lib-1.0-1.noarch" not in graph, "only the newest build of each name.arch"


def test_all_versions_adds_older_builds_where_they_satisfy(mini_repo: Path) -> None:
    graph = resolve(mini_repo, "app", policy=Policy.ALL, all_versions=True)
    assert "lib-1.0-1.noarch" in graph
    assert not graph.has_edge("app-1.0-1.noarch", "lib-1.0-1.noarch"), "lib >= 2 excludes 1.0"
    assert graph.has_edge("libcore-1.0-1.noarch", "lib-1.0-1.noarch")


def test_kinds_select_what_is_followed(mini_repo: Path) -> None:
    graph = resolve(mini_repo, "app", policy=Policy.ALL,
                    kinds=frozenset({Kind.RECOMMENDS, Kind.SUGGESTS}))
    assert names(graph) == {"app", "extras", "docs"}
    assert edge(graph, "app", "docs") == [Dependency(Kind.SUGGESTS, "docs")]


def test_arch_filter(mini_repo: Path) -> None:
    assert "native" in names(resolve(mini_repo, "app", policy=Policy.ALL))
    other = resolve(mini_repo, "app", arch="aarch64", policy=Policy.ALL)
    assert "foreign" in names(other) and "native" not in names(other)
    with pytest.raises(RootError):
        resolve(mini_repo, "native", arch="aarch64")


def test_unresolvable_root_falls_back_to_all_and_marks_it(mini_repo: Path) -> None:
    WARNINGS.clear()
    graph = resolve(mini_repo, "broken")
    assert graph.graph["policy"] == "all"
    assert "cannot be installed" in graph.graph["notes"][0]
    assert any("nothing provides nothing-provides-this >= 1.0 needed by broken" in w
               for w in WARNINGS)
    unresolved = graph.nodes["broken-1.0-1.noarch"]["unresolved"]
    assert unresolved == [Dependency(Kind.REQUIRES, "nothing-provides-this >= 1.0")]


def test_filelists_are_loaded_only_when_a_file_dependency_needs_them(mini_repo: Path) -> None:
    loaded = load(mini_repo)
    assert loaded.repomd[0].has_filelists, "/usr/share/data/file.dat is only in filelists"


@pytest.mark.parametrize(("spec", "expected"), [
    ("app", ["app-1.0-1.noarch"]),
    ("lib", ["lib-2.0-1.noarch"]),
    ("lib-1.0-1.noarch", ["lib-1.0-1.noarch"]),
    ("web-*", ["web-a-1.0-1.noarch", "web-b-1.0-1.noarch"]),
    ("webserver", ["web-a-1.0-1.noarch", "web-b-1.0-1.noarch"]),
    ("/usr/bin/app", ["app-1.0-1.noarch"]),
    ("engine >= 2:1", ["engine-2:1.0-1.noarch"]),
])
def test_root_specs(mini_repo: Path, spec: str, expected: list[str]) -> None:
    loaded = load(mini_repo)
    assert [str(r) for r in find_roots(loaded, [spec])] == [
        e.replace("2:", "2:") for e in expected]


def test_unknown_root_suggests_close_names(mini_repo: Path) -> None:
    with pytest.raises(RootError, match=r"no package or capability matches 'libcor'.*libcore"):
        find_roots(load(mini_repo), ["libcor"])


def test_depth_cut(mini_repo: Path) -> None:
    from rpmgraph.depgraph import cut_depth

    graph = cut_depth(resolve(mini_repo, "app", policy=Policy.ALL), 1)
    assert "libcore" not in names(graph) and "lib" in names(graph)
    zero = cut_depth(resolve(mini_repo, "app"), 0)
    assert names(zero) == {"app"}
