"""tree, why, cycles and the options that shape graphs, checked against what they must
do to the graph; expectations come from the mini specs (conftest.py) or the metadata."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import networkx as nx
import pydot
import pytest

from tests.conftest import SAMPLE_REPOS, Run

ESSEX = SAMPLE_REPOS / "essex"


def doc(run: Run, *args: object) -> dict[str, object]:
    result = run("graph", *args, "-f", "json")
    assert result.exit_code == 0, result.stderr
    data: dict[str, object] = json.loads(result.stdout)
    return data


def names(data: dict[str, object]) -> set[str]:
    return {n["name"] for n in data["nodes"]}  # type: ignore[attr-defined]


def edges(data: dict[str, object]) -> set[tuple[str, str]]:
    return {(e["source"], e["target"]) for e in data["edges"]}  # type: ignore[attr-defined]


def as_nx(data: dict[str, object]) -> nx.DiGraph:
    graph = nx.DiGraph()
    graph.add_nodes_from(n["id"] for n in data["nodes"])  # type: ignore[attr-defined]
    graph.add_edges_from(edges(data))
    return graph


# ---------------------------------------------------------------- tree


def test_tree_expands_once_and_marks_repeats(run: Run, mini_repo: Path) -> None:
    result = run("tree", "--repo", mini_repo, "lib", "--policy", "all")
    assert result.stdout == ("lib-2.0-1.noarch\n"
                             "└── libcore-1.0-1.noarch\n"
                             "    └── lib-2.0-1.noarch (*)\n")


def test_tree_ascii_caps_kinds_and_unresolved(run: Run, mini_repo: Path) -> None:
    result = run("tree", "--repo", mini_repo, "app", "--policy", "all", "--kinds",
                 "requires,recommends", "--ascii", "--show-caps", "--depth", "1")
    lines = result.stdout.splitlines()
    assert lines[0] == "app-1.0-1.noarch"
    assert "|-- engine-2:1.0-1.noarch [engine >= 2:1.0]" in lines
    assert "|-- extras-1.0-1.noarch (recommends) [extras]" in lines
    assert "|-- users-1.0-1.noarch (pre-requires) [users]" in lines
    assert lines[-1].startswith("`-- ")
    direct = {line[4:].split(" ")[0].rsplit("-", 2)[0] for line in lines[1:]}
    assert direct == {"lib", "tool", "shell", "data", "web-a", "web-b", "engine", "native",
                      "users", "extras"}, "depth 1: only the direct dependencies"
    broken = run("tree", "--repo", mini_repo, "broken", "--policy", "all", "--ascii")
    assert broken.stdout.splitlines()[1] == (
        "`-- ! nothing provides nothing-provides-this >= 1.0 (requires)")


def test_tree_colour_only_when_asked_or_on_a_terminal(run: Run, mini_repo: Path) -> None:
    plain = run("tree", "--repo", mini_repo, "lib")
    assert "\x1b[" not in plain.stdout
    coloured = run("tree", "--repo", mini_repo, "lib", "--color")
    assert "\x1b[1mlib-2.0-1.noarch" in coloured.stdout


def test_tree_json_is_nested(run: Run, mini_repo: Path) -> None:
    result = run("tree", "--repo", mini_repo, "lib", "--policy", "all", "--format", "json")
    tree = json.loads(result.stdout)
    (root,) = tree["roots"]
    assert root["id"] == "lib-2.0-1.noarch"
    (child,) = root["children"]
    assert child["id"] == "libcore-1.0-1.noarch" and child["capabilities"] == ["libcore"]
    assert child["children"] == [{"id": "lib-2.0-1.noarch", "kind": "requires",
                                  "capabilities": ["lib"], "repeated": True}]


def test_graph_tree_format_is_the_tree_command(run: Run, mini_repo: Path) -> None:
    assert (run("graph", "--repo", mini_repo, "app", "-f", "tree").stdout
            == run("tree", "--repo", mini_repo, "app").stdout)


def test_nova_tree_depths(run: Run) -> None:
    """python-nova is a direct dependency of openstack-nova and python-greenlet one level
    below it, as the essex facts say (openstack-nova -> python-nova -> python-greenlet)."""
    lines = run("tree", "--repo", ESSEX, "openstack-nova", "--depth", "2").stdout.splitlines()
    level: dict[str, int] = {}
    for line in lines[1:]:
        package = line.lstrip("│├└─ ").split(" ")[0]
        depth = (len(line) - len(line.lstrip("│├└─ "))) // 4
        level[package] = min(depth, level.get(package, depth))
    assert level["python-nova-2012.1-6.fc17.noarch"] == 1
    assert level["python-greenlet-0.3.1-9.fc17.x86_64"] == 2
    assert max(level.values()) == 2


# ---------------------------------------------------------------- why


def test_why_prints_a_valid_shortest_path(run: Run) -> None:
    result = run("why", "--repo", ESSEX, "openstack-nova", "python-greenlet")
    assert result.exit_code == 0
    graph = doc(run, "--repo", ESSEX, "openstack-nova")
    by_edge = {(e["source"], e["target"]): e for e in graph["edges"]}  # type: ignore[attr-defined]
    lines = result.stdout.splitlines()
    path = [lines[0]] + [line.rsplit("--> ", 1)[1] for line in lines[1:]]
    assert path[0] == "openstack-nova-2012.1-6.fc17.noarch"
    assert path[-1] == "python-greenlet-0.3.1-9.fc17.x86_64"
    for (a, b), line in zip(itertools.pairwise(path), lines[1:], strict=True):
        edge = by_edge[(a, b)]
        assert line == f"  --{edge['kind']} {', '.join(edge['capabilities'])}--> {b}"
    shortest = nx.shortest_path_length(as_nx(graph), path[0], path[-1])
    assert len(path) - 1 == shortest


def test_why_json_and_every_path(run: Run, mini_repo: Path) -> None:
    result = run("why", "--repo", mini_repo, "app", "libcore", "--all", "-f", "json")
    data = json.loads(result.stdout)
    assert data["paths"] == [["app-1.0-1.noarch", "lib-2.0-1.noarch", "libcore-1.0-1.noarch"]]
    assert [s["capabilities"] for s in data["steps"]] == [["lib >= 2"], ["libcore"]]


def test_why_without_a_path_exits_1(run: Run, mini_repo: Path) -> None:
    result = run("why", "--repo", mini_repo, "lib", "app")
    assert result.exit_code == 1
    assert result.stderr == "lib does not pull app in (under the install policy)\n"


def test_why_draws_only_the_path(run: Run, mini_repo: Path) -> None:
    result = run("why", "--repo", mini_repo, "app", "libcore", "-f", "dot")
    (dot,) = pydot.graph_from_dot_data(result.stdout)
    drawn = {n.get_name().strip('"') for n in dot.get_nodes()}
    assert {n for n in drawn if not n.startswith(("legend:", "node", "edge"))} == {
        "app-1.0-1.noarch", "lib-2.0-1.noarch", "libcore-1.0-1.noarch"}


# ---------------------------------------------------------------- reverse


def test_reverse_is_every_package_whose_graph_holds_the_target(run: Run) -> None:
    reverse = doc(run, "--repo", ESSEX, "--reverse", "python-eventlet", "--policy", "all")
    every = doc(run, "--repo", ESSEX, "*", "--policy", "all", "--kinds", "suggests")
    holders = set()
    for node in every["nodes"]:  # type: ignore[attr-defined]
        forward = doc(run, "--repo", ESSEX, node["id"], "--policy", "all")
        if "python-eventlet" in names(forward):
            holders.add(node["name"])
    assert names(reverse) == holders
    assert {"openstack-nova", "python-nova", "openstack-swift"} <= holders


@pytest.mark.dnf
def test_reverse_agrees_with_dnf_whatrequires(run: Run) -> None:
    from tests.support.dnf import dnf_available, dnf_whatrequires_recursive

    if not dnf_available():
        pytest.skip("needs dnf")
    reverse = doc(run, "--repo", ESSEX, "--reverse", "python-greenlet", "--policy", "all")
    theirs = {i.rsplit("-", 2)[0] for i in dnf_whatrequires_recursive([ESSEX], "python-greenlet")}
    assert names(reverse) - {"python-greenlet"} == theirs


def test_reverse_depth(run: Run, mini_repo: Path) -> None:
    one = doc(run, "--repo", mini_repo, "--reverse", "libcore", "--depth", "1")
    assert names(one) == {"libcore", "lib"}
    every = doc(run, "--repo", mini_repo, "--reverse", "libcore")
    assert names(every) == {"libcore", "lib", "app"}


# ---------------------------------------------------------------- cycles


def test_cycles_finds_the_planted_cycles(run: Run) -> None:
    result = run("cycles", "--repo", ESSEX, "-f", "json")
    data = json.loads(result.stdout)
    assert data["cycles"] == [["glibc-2.15-59.fc17.noarch", "glibc-common-2.15-59.fc17.noarch"],
                              ["python-2.7.3-7.fc17.noarch", "python-libs-2.7.3-7.fc17.noarch"]]
    glibc_edges = {(e["source"], e["target"]) for e in data["edges"][0]}
    assert glibc_edges == {("glibc-2.15-59.fc17.noarch", "glibc-common-2.15-59.fc17.noarch"),
                           ("glibc-common-2.15-59.fc17.noarch", "glibc-2.15-59.fc17.noarch")}
    text = run("cycles", "--repo", ESSEX, "openstack-keystone").stdout
    assert text.startswith("cycle 1: 2 packages\n")


# ---------------------------------------------------------------- shaping


def test_reduce_keeps_reachability_and_drops_only_shortcuts(run: Run) -> None:
    full = as_nx(doc(run, "--repo", ESSEX, "openstack-nova"))
    reduced = as_nx(doc(run, "--repo", ESSEX, "openstack-nova", "--reduce"))
    assert reduced.number_of_edges() < full.number_of_edges()
    for node in full:
        assert nx.descendants(reduced, node) == nx.descendants(full, node)
    for a, b in set(full.edges) - set(reduced.edges):
        without = full.copy()
        without.remove_edge(a, b)
        assert nx.has_path(without, a, b), f"{a} -> {b} was not a shortcut"


def test_exclude_and_stop_at(run: Run) -> None:
    full = doc(run, "--repo", ESSEX, "openstack-keystone")
    excluded = doc(run, "--repo", ESSEX, "openstack-keystone", "--exclude", "python-keystone")
    assert "python-keystone" not in names(excluded)
    assert "python-passlib" not in names(excluded), "only python-keystone pulls it in"
    assert {"bash", "python-keystoneclient"} <= names(excluded)
    stopped = doc(run, "--repo", ESSEX, "openstack-keystone", "--stop-at", "python-keystone")
    assert "python-keystone" in names(stopped) and "python-passlib" not in names(stopped)
    assert not [e for e in edges(stopped) if e[0].startswith("python-keystone-2012")]
    base = doc(run, "--repo", ESSEX, "openstack-keystone", "--stop-at-base")
    glibc = next(n["id"] for n in base["nodes"] if n["name"] == "glibc")  # type: ignore[attr-defined]
    assert not [e for e in edges(base) if e[0] == glibc]
    assert len(names(base)) < len(names(full))


def test_base_collapses_or_hides_what_the_base_brings(run: Run) -> None:
    keystone = names(doc(run, "--repo", ESSEX, "openstack-keystone"))
    base_set = names(doc(run, "--repo", ESSEX, "python-keystone"))
    hidden = doc(run, "--repo", ESSEX, "openstack-keystone", "--base", "python-keystone",
                 "--hide-base")
    assert names(hidden) == keystone - base_set
    collapsed = doc(run, "--repo", ESSEX, "openstack-keystone", "--base", "python-keystone")
    assert names(collapsed) == keystone - base_set | {f"base ({len(base_set)} packages)"}


def test_cluster_and_collapse_by_source_package(run: Run) -> None:
    dot = run("graph", "--repo", ESSEX, "openstack-nova", "--cluster", "srpm").stdout
    (parsed,) = pydot.graph_from_dot_data(dot)
    cluster = parsed.get_subgraph('"cluster_srpm_openstack-nova"')[0]
    members = {n.get_name().strip('"') for n in cluster.get_nodes()}
    assert members == {"openstack-nova-2012.1-6.fc17.noarch", "python-nova-2012.1-6.fc17.noarch"}
    collapsed = doc(run, "--repo", ESSEX, "openstack-nova", "--collapse", "srpm")
    group = next(n for n in collapsed["nodes"] if n["id"] == "srpm:openstack-nova")  # type: ignore[attr-defined]
    assert collapsed["roots"] == ["srpm:openstack-nova"]
    assert "python-nova-2012.1-6.fc17.noarch" in group["summary"]


def test_collapse_cycles(run: Run) -> None:
    data = doc(run, "--repo", ESSEX, "openstack-keystone", "--collapse-cycles")
    ids = {n["id"] for n in data["nodes"]}  # type: ignore[attr-defined]
    assert "cycle:glibc-2.15-59.fc17.noarch+glibc-common-2.15-59.fc17.noarch" in ids
    assert "glibc-2.15-59.fc17.noarch" not in ids
    assert nx.is_directed_acyclic_graph(as_nx(data))


def test_show_alternatives(run: Run, mini_repo: Path) -> None:
    plain = doc(run, "--repo", mini_repo, "cond")
    assert "tool" not in names(plain), "docs is not installed, so (tool if docs) is void"
    dot = run("graph", "--repo", mini_repo, "cond", "--show-alternatives").stdout
    assert "condition not met: docs" in dot
    (parsed,) = pydot.graph_from_dot_data(dot)
    edge = parsed.get_edge('"cond-1.0-1.noarch"', '"tool-1.0-1.noarch"')[0]
    assert edge.get("style") == "dashed"
    dashboard = run("graph", "--repo", ESSEX, "mod_wsgi", "--show-alternatives").stdout
    assert "nginx" in dashboard and "not picked by the solver" in dashboard


def test_kind_styles_rich_labels_and_legend(run: Run, mini_repo: Path) -> None:
    dot = run("graph", "--repo", mini_repo, "app", "plugin").stdout
    (parsed,) = pydot.graph_from_dot_data(dot)

    def edge(a: str, b: str) -> pydot.Edge:
        return parsed.get_edge(f'"{a}-1.0-1.noarch"', f'"{b}-1.0-1.noarch"')[0]

    assert edge("app", "users").get("style") == "bold"
    assert edge("app", "extras").get("style") == "dashed"
    assert edge("plugin", "app").get("dir") == "back"
    assert edge("app", "tool").get("label") == '"(tool if shell)"'
    legend = parsed.get_subgraph('"cluster_legend"')[0]
    labels = {n.get("label") for n in legend.get_nodes()}
    assert {'"requires"', '"pre-requires"', '"recommends"', '"supplements"'} <= labels


def test_graphml(run: Run, mini_repo: Path, tmp_path: Path) -> None:
    out = tmp_path / "g.graphml"
    assert run("graph", "--repo", mini_repo, "app", "-o", out).exit_code == 0
    graph = nx.read_graphml(out)
    assert graph.nodes["app-1.0-1.noarch"]["summary"] == "the root application"
    assert graph.edges["app-1.0-1.noarch", "users-1.0-1.noarch"]["kind"] == "pre-requires"
    assert graph.graph["policy"] == "install"


def test_base_installed_collapses_the_installed_system(run: Run, tmp_path: Path) -> None:
    from tests.support.rpmbuild import install_into_rpmdb

    base = sorted(p for p in ESSEX.rglob("*.rpm")
                  if p.name.rsplit("-", 2)[0] in {"glibc", "glibc-common", "bash", "zlib"})
    install_into_rpmdb(tmp_path, base)
    data = doc(run, "--repo", ESSEX, "--root", tmp_path, "--dbpath", "/var/lib/rpm",
               "--base-installed", "openstack-keystone")
    assert "base (4 packages)" in names(data)
    assert not {"glibc", "glibc-common", "bash", "zlib"} & names(data)
    assert "python-keystone" in names(data)


# ---------------------------------------------------------------- what must be rebuilt

BUILD_SOURCES = ("--repo", SAMPLE_REPOS / "essex-source", "--repo", ESSEX,
                 "--repo", SAMPLE_REPOS / "essex-buildroot")


def test_reverse_tree_through_buildrequires_lists_the_rebuilds(run: Run) -> None:
    """tree --reverse --kinds buildrequires: each source package that 'rebuilds' lists,
    at its depth under the library, with the chain that brings the library in."""
    tree = run("tree", *BUILD_SOURCES, "--reverse", "--kinds", "buildrequires", "--ascii",
               "python-eventlet")
    assert tree.exit_code == 0, tree.stderr
    lines = tree.stdout.splitlines()
    assert lines[0] == "python-eventlet-0.9.16-6.fc17.noarch"
    depth = {line.lstrip("|`- ").split()[0]: (len(line) - len(line.lstrip("|`- "))) // 4
             for line in lines[1:]}
    listed = run("rebuilds", *BUILD_SOURCES, "python-eventlet", "-f", "json")
    rebuilds = {r["source"]: r["depth"] for r in json.loads(listed.stdout)["rebuilds"]}
    assert {n: d for n, d in depth.items() if n.endswith(".src")} == rebuilds
    assert "        `-- openstack-utils-2012.1-1.fc17.src (buildrequires)" in lines
    one = run("tree", *BUILD_SOURCES, "--reverse", "--kinds", "buildrequires", "--depth", "1",
              "python-eventlet", "--format", "json")
    children = json.loads(one.stdout)["roots"][0]["children"]
    assert {c["id"] for c in children} == {s for s, d in rebuilds.items() if d == 1}
    assert {c["kind"] for c in children} == {"buildrequires"}


def test_buildrequires_only_in_reverse_and_alone(run: Run) -> None:
    mixed = run("tree", *BUILD_SOURCES, "--reverse", "--kinds", "buildrequires,requires",
                "python-eventlet")
    assert (mixed.exit_code, mixed.stdout) == (2, "")
    assert mixed.stderr == ("rpmgraph: error: the buildrequires kind goes alone (each "
                            "buildroot already holds the runtime dependencies of what it "
                            "installs)\n")
    forward = run("tree", *BUILD_SOURCES, "--kinds", "buildrequires", "python-eventlet")
    assert forward.exit_code == 2 and "rpmgraph rebuilds" in forward.stderr


def test_reverse_graph_through_buildrequires_draws_the_rebuild_tree(run: Run,
                                                                    tmp_path: Path) -> None:
    """graph --reverse --kinds buildrequires draws what tree prints: the same sources
    (JSON nodes), one file per package with -O."""
    listed = run("rebuilds", *BUILD_SOURCES, "python-eventlet", "-f", "json")
    rebuilds = {r["source"] for r in json.loads(listed.stdout)["rebuilds"]}
    drawn = run("graph", *BUILD_SOURCES, "--reverse", "--kinds", "buildrequires",
                "python-eventlet", "python-greenlet", "-O", str(tmp_path), "-f", "json")
    assert drawn.exit_code == 0, drawn.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["python-eventlet.json",
                                                          "python-greenlet.json"]
    nodes = json.loads((tmp_path / "python-eventlet.json").read_text())["nodes"]
    assert {n["id"] for n in nodes if n["id"].endswith(".src")} == rebuilds
