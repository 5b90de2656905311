"""Source packages, builddep, build-order and rebuilds on real rpms and source rpms.

The universe: binary packages built by rpmbuild (with alternatives, a weak dependency, a
file only the file lists name, a versioned provide, and the binaries of the sources), and
source packages built by ``rpmbuild -bs`` whose BuildRequires are of every form. The
buildroot of each source is compared with what ``dnf builddep`` installs.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from rpmgraph.cli import cli
from tests.support.dnf import DnfError, dnf_available
from tests.support.dnf_builddep import dnf_builddep_set
from tests.support.rpmbuild import Spec, build_rpms, make_repo
from tests.support.srpmbuild import SourceSpec, build_srpms

TOOLS = [
    Spec("compiler", version="2.0", requires=["libc"], recommends=["compiler-doc"]),
    Spec("compiler-doc"),
    Spec("libc", files={"/usr/lib/libc.so": "libc\n"}),
    Spec("make", version="4.0", requires=["libc", "/usr/lib/libc.so"]),
    Spec("pyhelper-a", provides=["pyhelper"], requires=["libc"]),
    Spec("pyhelper-b", provides=["pyhelper"]),
    Spec("docgen", version="1.2", files={"/usr/bin/docgen": "#!/bin/sh\n"}),
]
# a: a library; b needs a's binary; c needs b's through a runtime dependency of b-tools;
# d and e need each other (a planted cycle); f needs nothing the others build.
SOURCES = [
    SourceSpec("a", buildrequires=["compiler >= 2.0", "make"],
               packages=[Spec("a"), Spec("a-devel", requires=["a"])]),
    SourceSpec("b", buildrequires=["a-devel", "(pyhelper-b or pyhelper-a)", "/usr/bin/docgen"],
               packages=[Spec("b"), Spec("b-tools", requires=["b"])]),
    SourceSpec("c", buildrequires=["b-tools", "pyhelper"]),
    SourceSpec("d", buildrequires=["e", "compiler"]),
    SourceSpec("e", buildrequires=["d", "compiler", "make", "docgen >= 1.0"]),
    SourceSpec("f", buildrequires=["make"]),
]


@pytest.fixture(scope="module")
def universe(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    top = tmp_path_factory.mktemp("builddep")
    binaries = top / "bin"
    build_rpms(TOOLS, binaries)
    srpms = top / "srpms"
    build_srpms(SOURCES, srpms, binaries=binaries)
    for srpm in binaries.glob("*.src.rpm"):
        srpm.unlink()
    make_repo(binaries)
    source_repo = top / "src-repo"
    build_srpms(SOURCES, source_repo)
    make_repo(source_repo)
    return {"bin": binaries, "srpms": srpms, "source_repo": source_repo}


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def buildroot(universe: dict[str, Path], name: str, *extra: str) -> set[str]:
    code, out, err = run("builddep", "--srpm", str(universe["srpms"]), "--repo",
                         str(universe["bin"]), name, "-f", "json", *extra)
    assert code == 0, err
    nodes = json.loads(out)["nodes"]
    return {n["id"] for n in nodes if n["arch"] != "src"}


def test_srpm_headers_give_buildrequires(universe: dict[str, Path]) -> None:
    from rpmgraph.sources.srpms import read_srpm_files

    found = {p.name: p for p in read_srpm_files([universe["srpms"]], print)}
    assert found["b"].buildrequires == ("(pyhelper-b or pyhelper-a)", "/usr/bin/docgen",
                                        "a-devel")
    assert found["a"].buildrequires == ("compiler >= 2.0", "make")
    assert found["a"].nevra == "a-1.0-1.src"


def test_source_repo_and_srpm_files_read_alike(universe: dict[str, Path]) -> None:
    from rpmgraph.pool import LoadOptions
    from rpmgraph.sources.repofiles import RepoSpec
    from rpmgraph.sources.srpms import read_source_repos, read_srpm_files

    files = read_srpm_files([universe["srpms"]], print)
    repo = read_source_repos([RepoSpec(path=universe["source_repo"])],
                             LoadOptions(use_cache=False), print)
    assert ({(p.nevra, p.buildrequires) for p in files}
            == {(p.nevra, p.buildrequires) for p in repo})


def test_builddep_graph_edges(universe: dict[str, Path]) -> None:
    code, out, err = run("builddep", "--srpm", str(universe["srpms"]), "--repo",
                         str(universe["bin"]), "b", "-f", "json")
    assert code == 0, err
    graph = json.loads(out)
    assert graph["roots"] == ["b-1.0-1.src"]
    edges = {(e["target"], e["capabilities"][0]) for e in graph["edges"]
             if e["source"] == "b-1.0-1.src"}
    assert edges == {("a-devel-1.0-1.noarch", "a-devel"),
                     ("pyhelper-a-1.0-1.noarch", "(pyhelper-b or pyhelper-a)"),  # as dnf
                     ("docgen-1.2-1.noarch", "/usr/bin/docgen")}
    assert all(e["kind"] == "buildrequires" for e in graph["edges"]
               if e["source"] == "b-1.0-1.src")


def test_builddep_weak_and_base(universe: dict[str, Path]) -> None:
    assert "compiler-doc-1.0-1.noarch" in buildroot(universe, "a")
    assert "compiler-doc-1.0-1.noarch" not in buildroot(universe, "a", "--no-weak")
    code, out, _ = run("builddep", "--srpm", str(universe["srpms"]), "--repo",
                       str(universe["bin"]), "a", "-f", "json", "--base", "libc",
                       "--hide-base")
    assert code == 0
    assert "libc-1.0-1.noarch" not in {n["id"] for n in json.loads(out)["nodes"]}


def test_builddep_every_format(universe: dict[str, Path], tmp_path: Path) -> None:
    for fmt in ("dot", "svg", "json", "graphml", "tree", "html"):
        code, _, err = run("builddep", "--srpm", str(universe["srpms"]), "--repo",
                           str(universe["bin"]), "c", "-o", str(tmp_path / f"c.{fmt}"),
                           "-f", fmt)
        assert code == 0, err
        assert (tmp_path / f"c.{fmt}").stat().st_size > 0
    code, _, err = run("builddep", "--source-repo", str(universe["source_repo"]), "--repo",
                       str(universe["bin"]), "*", "-O", str(tmp_path / "all"), "-f", "dot")
    assert code == 0, err
    assert sorted(p.name for p in (tmp_path / "all").iterdir()) == [
        f"{s.name}.dot" for s in SOURCES]


def test_several_sources_are_one_buildroot(universe: dict[str, Path], tmp_path: Path) -> None:
    code, out, err = run("builddep", "--srpm", str(universe["srpms"]), "--repo",
                         str(universe["bin"]), "a", "f", "-f", "json")
    assert code == 0, err
    graph = json.loads(out)
    assert graph["roots"] == ["a-1.0-1.src", "f-1.0-1.src"]
    assert {(e["source"], e["target"]) for e in graph["edges"] if e["source"] == "f-1.0-1.src"
            } == {("f-1.0-1.src", "make-4.0-1.noarch")}
    nodes = {n["id"] for n in graph["nodes"] if n["arch"] != "src"}
    assert nodes == buildroot(universe, "a") | buildroot(universe, "f")
    # -O still draws each one's own
    code, _, err = run("builddep", "--srpm", str(universe["srpms"]), "--repo",
                       str(universe["bin"]), "a", "f", "-O", str(tmp_path), "-f", "json")
    assert code == 0, err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.json", "f.json"]


def _sizes(universe: dict[str, Path], name: str) -> tuple[int, int, int]:
    code, out, err = run("builddep", "--srpm", str(universe["srpms"]), "--repo",
                         str(universe["bin"]), name, "-f", "json")
    assert code == 0, err
    nodes = [n for n in json.loads(out)["nodes"] if n["arch"] != "src"]
    return (len(nodes), sum(n["installsize"] for n in nodes),
            sum(n["downloadsize"] for n in nodes))


def test_builddep_stats(universe: dict[str, Path], tmp_path: Path) -> None:
    code, out, err = run("builddep", "--srpm", str(universe["srpms"]), "--repo",
                         str(universe["bin"]), "b", "c", "--stats", "-f", "json")
    assert code == 0, err
    found = json.loads(out)["roots"]
    assert [r["root"] for r in found] == ["b-1.0-1.src", "c-1.0-1.src"]
    for stats, name in zip(found, "bc", strict=True):
        # the buildroot's packages and sizes: the source package itself is not installed
        assert (stats["packages"], stats["installsize"], stats["downloadsize"]) == _sizes(
            universe, name)
        assert stats["installable"] and not stats["unresolved"]
    b = found[0]
    assert b["direct"] == 3  # a-devel, pyhelper-a, docgen
    exclusive = {e["id"]: (e["exclusive_packages"], e["exclusive_installsize"])
                 for e in b["top"]}
    # a-devel alone brings a; libc is shared with pyhelper-a, so it is no one's alone
    assert exclusive["a-devel-1.0-1.noarch"][0] == 2
    assert "libc-1.0-1.noarch" in exclusive
    assert exclusive["libc-1.0-1.noarch"][0] == 1
    code, out, _ = run("builddep", "--srpm", str(universe["srpms"]), "--repo",
                       str(universe["bin"]), "b", "--stats", "--top", "1")
    lines = out.splitlines()
    assert lines[0] == "b-1.0-1.src"
    assert lines[1].startswith(f"  {b['packages']} packages (3 direct, depth ")
    assert len(lines) == 5  # one ranked dependency under its header
    code, _, err = run("builddep", "--srpm", str(universe["srpms"]), "--repo",
                       str(universe["bin"]), "b", "--stats", "-o", str(tmp_path / "b.md"),
                       "-f", "markdown")
    assert code == 0, err
    assert (tmp_path / "b.md").read_text().startswith("### `b-1.0-1.src`")


@pytest.mark.parametrize("args", [["-f", "markdown"], ["--stats", "-f", "svg"],
                                  ["--stats", "-o", "b.svg"], ["--stats", "-O", "{tmp}/out"]])
def test_builddep_stats_usage(universe: dict[str, Path], args: list[str],
                              tmp_path: Path) -> None:
    code, out, err = run("builddep", "--srpm", str(universe["srpms"]), "--repo",
                         str(universe["bin"]), "b", *(a.format(tmp=tmp_path) for a in args))
    assert (code, out) == (2, "")
    assert err.startswith("rpmgraph: error: --stats reports go to -o as text, json or "
                          "markdown; a graph's text form is --format tree")
    assert len(err.splitlines()) == 1
    assert not list(tmp_path.iterdir())


def test_library(universe: dict[str, Path]) -> None:
    import rpmgraph

    universe_ = rpmgraph.load(repos=[universe["bin"]], srpms=[universe["srpms"]])
    graph = universe_.builddep(["b", "c"])
    assert graph.roots == ("b-1.0-1.src", "c-1.0-1.src")
    assert graph.notes[0] == "buildroot of b-1.0-1.src, c-1.0-1.src, as dnf builddep installs it"
    (stats,) = universe_.builddep_stats("a", top=None)
    assert (stats.packages, stats.installsize, stats.downloadsize) == _sizes(universe, "a")
    assert [s.root for s in universe_.builddep_stats(["a", "f"])] == [
        "a-1.0-1.src", "f-1.0-1.src"]


def test_unknown_source_is_one_line_error(universe: dict[str, Path]) -> None:
    code, _, err = run("builddep", "--srpm", str(universe["srpms"]), "--repo",
                       str(universe["bin"]), "bb")
    assert code == 2
    assert err == "rpmgraph: error: no source package matches 'bb'; did you mean b?\n"
    code, _, err = run("builddep", "--repo", str(universe["bin"]), "b")
    assert code == 2
    assert err.startswith("rpmgraph: error: no source packages to find 'b' in")


def test_missing_buildrequires_is_unresolved(universe: dict[str, Path]) -> None:
    # d's buildroot needs e's binary, which the repository has; without it: unresolved.
    code, out, err = run("builddep", "--srpm", str(universe["srpms"]), "--repo",
                         str(universe["bin"]), "d", "-f", "json")
    assert code == 0
    assert json.loads(out)["unresolved"] == []
    # a .src.rpm named as a file works too
    code, out, err = run("builddep", "--repo", str(universe["bin"]),
                         str(universe["srpms"] / "f-1.0-1.src.rpm"), "-f", "json")
    assert code == 0, err
    assert json.loads(out)["roots"] == ["f-1.0-1.src"]


def test_build_order_layers_and_cycle(universe: dict[str, Path]) -> None:
    code, out, err = run("build-order", "--srpm", str(universe["srpms"]), "--repo",
                         str(universe["bin"]), "*", "-f", "json")
    assert code == 0, err
    order = json.loads(out)
    assert order["layers"] == [["a", "d", "f"], ["b", "e"], ["c"]]
    assert order["chain"] == "a d f : b e : c"
    (cycle,) = order["cycles"]
    assert cycle["sources"] == ["d", "e"]
    # e has more BuildRequires than d: d is built first without e, then e, then d again
    assert [(b["before"], b["after"]) for b in cycle["break"]] == [("e", "d")]
    c_edges = [e for e in order["edges"] if e["after"] == "c"]
    assert [(e["before"], e["binary"], e["through"]) for e in c_edges] == [
        ("b", "b-tools-1.0-1.noarch", [])]
    code, text, _ = run("build-order", "--srpm", str(universe["srpms"]), "--repo",
                        str(universe["bin"]), "*")
    assert text.splitlines()[:4] == ["layer 1: a d f", "layer 2: b e", "layer 3: c", ""]
    assert "suggested break: build d first without its BuildRequires e" in text


def test_build_order_pictures(universe: dict[str, Path], tmp_path: Path) -> None:
    for fmt in ("dot", "svg", "graphml", "html", "chain"):
        code, _, err = run("build-order", "--srpm", str(universe["srpms"]), "--repo",
                           str(universe["bin"]), "*", "-o", str(tmp_path / f"o.{fmt}"),
                           "-f", fmt)
        assert code == 0, err
    assert (tmp_path / "o.chain").read_text() == "a d f : b e : c\n"
    assert "dashed" in (tmp_path / "o.dot").read_text()


def test_rebuilds(universe: dict[str, Path]) -> None:
    code, out, err = run("rebuilds", "--srpm", str(universe["srpms"]), "--repo",
                         str(universe["bin"]), "b", "-f", "json")
    assert code == 0, err
    found = [(r["source"], r["depth"]) for r in json.loads(out)["rebuilds"]]
    assert found == [("c-1.0-1.src", 2)]  # through b-tools, which requires b
    code, out, _ = run("rebuilds", "--srpm", str(universe["srpms"]), "--repo",
                       str(universe["bin"]), "libc")
    assert out.splitlines()[0].startswith("2  ")
    names = sorted(line.split()[1] for line in out.splitlines())
    assert names == sorted(f"{s.name}-1.0-1.src" for s in SOURCES)


@pytest.mark.dnf
@pytest.mark.skipif(not dnf_available(), reason="needs dnf (as root)")
@pytest.mark.parametrize("weak", [True, False])
@pytest.mark.parametrize("source", [s.name for s in SOURCES])
def test_buildroot_agrees_with_dnf_builddep(universe: dict[str, Path], source: str,
                                            weak: bool) -> None:
    srpm = universe["srpms"] / f"{source}-1.0-1.src.rpm"
    try:
        expected = dnf_builddep_set([universe["bin"]], srpm, weak=weak)
    except DnfError as exc:  # pragma: no cover - would be a fixture mistake
        pytest.fail(str(exc))
    extra = () if weak else ("--no-weak",)
    assert buildroot(universe, source, *extra) == expected


@pytest.mark.dnf
@pytest.mark.skipif(not dnf_available(), reason="needs dnf (as root)")
@pytest.mark.parametrize("weak", [True, False])
@pytest.mark.parametrize("sources", [("b", "c"), ("a", "d", "f"), tuple(s.name for s in SOURCES)],
                         ids="+".join)
def test_several_sources_agree_with_dnf_builddep(universe: dict[str, Path],
                                                 sources: tuple[str, ...], weak: bool) -> None:
    srpms = [universe["srpms"] / f"{name}-1.0-1.src.rpm" for name in sources]
    expected = dnf_builddep_set([universe["bin"]], srpms, weak=weak)
    extra = () if weak else ("--no-weak",)
    assert buildroot(universe, sources[0], *sources[1:], *extra) == expected
