"""``rpmgraph graph`` through click's CliRunner, on the mini repository."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pydot

from tests.conftest import Run


def test_json_to_stdout(run: Run, mini_repo: Path) -> None:
    result = run("graph", "--repo", mini_repo, "app", "--policy", "all", "--format", "json")
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["format"] == "rpmgraph-graph" and doc["version"] == 1
    assert doc["policy"] == "all" and doc["roots"] == ["app-1.0-1.noarch"]
    assert doc["sources"] == [f"repo:{mini_repo}"]
    app = next(n for n in doc["nodes"] if n["id"] == "app-1.0-1.noarch")
    assert app["summary"] == "the root application" and app["repo"] == "mini"
    assert app["sourcerpm"] == "app-1.0-1.src.rpm" and app["installsize"] > 0
    assert {"source": "app-1.0-1.noarch", "target": "users-1.0-1.noarch",
            "kind": "pre-requires", "capabilities": ["users"]} in doc["edges"]


def test_default_output_is_dot_that_graphviz_parses(run: Run, mini_repo: Path) -> None:
    result = run("graph", "--repo", mini_repo, "app")
    assert result.exit_code == 0
    (dot,) = pydot.graph_from_dot_data(result.stdout)
    ids = {n.get_name().strip('"') for n in dot.get_nodes()}
    assert {"app-1.0-1.noarch", "lib-2.0-1.noarch", "extras-1.0-1.noarch"} <= ids
    recommends = dot.get_edge('"app-1.0-1.noarch"', '"extras-1.0-1.noarch"')[0]
    assert recommends.get("style") == "dashed"


def test_svg_file_has_a_node_per_package(run: Run, mini_repo: Path, tmp_path: Path) -> None:
    out = tmp_path / "app.svg"
    result = run("graph", "--repo", mini_repo, "app", "--policy", "all", "-o", out)
    assert result.exit_code == 0, result.stderr
    svg = ET.parse(out).getroot()
    ns = {"svg": "http://www.w3.org/2000/svg"}
    every = {g.findtext("svg:title", namespaces=ns) or ""
             for g in svg.iterfind(".//svg:g[@class='node']", ns)}
    titles = {t for t in every if not t.startswith("legend:")}
    assert {"legend:requires:b", "legend:pre-requires:b", "legend:role:root"} <= every
    assert titles == {"app-1.0-1.noarch", "lib-2.0-1.noarch", "libcore-1.0-1.noarch",
                      "tool-1.0-1.noarch", "shell-1.0-1.noarch", "data-1.0-1.noarch",
                      "web-a-1.0-1.noarch", "web-b-1.0-1.noarch", "users-1.0-1.noarch",
                      "engine-2:1.0-1.noarch", "native-1.0-1.x86_64"}


def test_png_and_pdf(run: Run, mini_repo: Path, tmp_path: Path) -> None:
    assert run("graph", "--repo", mini_repo, "lib", "-o", tmp_path / "g.png").exit_code == 0
    assert (tmp_path / "g.png").read_bytes().startswith(b"\x89PNG")
    assert run("graph", "--repo", mini_repo, "lib", "-o", tmp_path / "g.pdf").exit_code == 0
    assert (tmp_path / "g.pdf").read_bytes().startswith(b"%PDF")


def test_one_file_per_root(run: Run, mini_repo: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run("graph", "--repo", mini_repo, "web-*", "lib", "-O", out, "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["lib.json", "web-a.json", "web-b.json"]
    doc = json.loads((out / "web-a.json").read_text())
    assert doc["roots"] == ["web-a-1.0-1.noarch"]
    assert [n["id"] for n in doc["nodes"]] == ["web-a-1.0-1.noarch"]


def test_unresolved_is_marked_and_warned_once(run: Run, mini_repo: Path) -> None:
    result = run("graph", "--repo", mini_repo, "broken", "--policy", "all", "-f", "json")
    assert result.exit_code == 0
    doc = json.loads(result.stdout)
    assert doc["unresolved"] == [{"source": "broken-1.0-1.noarch", "kind": "requires",
                                  "capability": "nothing-provides-this >= 1.0"}]
    assert result.stderr == ("rpmgraph: warning: 1 unresolved dependencies, marked in the "
                             "output: broken-1.0-1.noarch requires "
                             "'nothing-provides-this >= 1.0'\n")


def test_uninstallable_root_is_explained_and_drawn_under_all(run: Run, mini_repo: Path) -> None:
    result = run("graph", "--repo", mini_repo, "broken", "-f", "json")
    assert result.exit_code == 0
    assert ("cannot install broken: nothing provides nothing-provides-this >= 1.0 "
            "needed by broken-1.0-1.noarch") in result.stderr
    doc = json.loads(result.stdout)
    assert doc["policy"] == "all" and "drawn under the all policy" in doc["notes"][0]


def test_depth_option(run: Run, mini_repo: Path) -> None:
    result = run("graph", "--repo", mini_repo, "app", "--policy", "all", "--depth", "1",
                 "-f", "json")
    ids = {n["name"] for n in json.loads(result.stdout)["nodes"]}
    assert "lib" in ids and "libcore" not in ids


def test_rpm_files_source(run: Run, mini_rpms: Path) -> None:
    result = run("graph", "--rpm", mini_rpms, "app", "--policy", "all", "-f", "json")
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    assert {n["repo"] for n in doc["nodes"]} == {"@commandline"}
    assert len(doc["nodes"]) == 11


def test_kinds_option(run: Run, mini_repo: Path) -> None:
    result = run("graph", "--repo", mini_repo, "app", "--policy", "all", "--kinds",
                 "suggests", "-f", "json")
    assert {n["name"] for n in json.loads(result.stdout)["nodes"]} == {"app", "docs"}
