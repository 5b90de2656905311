"""stats, snapshot, check and diff on small repositories of real rpms whose closures,
exclusive sizes, budgets and diffs are worked out by hand from the specs below."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pydot
import pytest

from tests.conftest import Run
from tests.integration.test_gate_sample_repos import primary_sizes
from tests.support.rpmbuild import Spec, build_rpms, install_into_rpmdb, make_repo


def _payload(name: str, size: int) -> dict[str, str]:
    return {f"/usr/share/{name}/payload": "x" * size}


# top -> left, right, solo. Diamond: left -> base <- right, base -> leaf.
# Chain: solo -> chain1 -> chain2. Shared: shared-lib under left and under chain2.
SHAPES = [
    Spec(name="top", requires=["left", "right", "solo"], files=_payload("top", 100)),
    Spec(name="left", requires=["base", "shared-lib"], files=_payload("left", 1000)),
    Spec(name="right", requires=["base"], files=_payload("right", 2000)),
    Spec(name="base", requires=["leaf"], files=_payload("base", 4000)),
    Spec(name="leaf", files=_payload("leaf", 8000)),
    Spec(name="solo", requires=["chain1"], files=_payload("solo", 16000)),
    Spec(name="chain1", requires=["chain2"], files=_payload("chain1", 32000)),
    Spec(name="chain2", requires=["shared-lib"], files=_payload("chain2", 64000)),
    Spec(name="shared-lib", files=_payload("shared-lib", 128000)),
]
# The next release: base needs a new package, leaf has a new version, chain1 drops chain2.
SHAPES_2 = [
    *(s for s in SHAPES if s.name not in ("base", "leaf", "chain1", "chain2")),
    Spec(name="base", requires=["leaf", "newdep"], files=_payload("base", 4000)),
    Spec(name="leaf", version="2.0", files=_payload("leaf", 9000)),
    Spec(name="chain1", files=_payload("chain1", 32000)),
    Spec(name="newdep", files=_payload("newdep", 256000)),
]
# What dropping each dependency of top removes, by hand from the shapes above.
EXCLUSIVE = {"left": ["left"], "right": ["right"], "base": ["base", "leaf"], "leaf": ["leaf"],
             "solo": ["solo", "chain1", "chain2"], "chain1": ["chain1", "chain2"],
             "chain2": ["chain2"], "shared-lib": ["shared-lib"]}
TOP = "top-1.0-1.noarch"


def nevra(name: str, version: str = "1.0") -> str:
    return f"{name}-{version}-1.noarch"


@pytest.fixture(scope="module")
def shapes(tmp_path_factory: pytest.TempPathFactory) -> Path:
    repo = tmp_path_factory.mktemp("gate") / "shapes"
    repo.mkdir()
    build_rpms(SHAPES, repo)
    return make_repo(repo)


@pytest.fixture(scope="module")
def shapes2(tmp_path_factory: pytest.TempPathFactory) -> Path:
    repo = tmp_path_factory.mktemp("gate") / "shapes2"
    repo.mkdir()
    build_rpms(SHAPES_2, repo)
    return make_repo(repo, compress="xz")


def ok_json(run: Run, *args: object) -> dict[str, object]:
    result = run(*args)
    assert result.exit_code == 0, result.stderr
    doc: dict[str, object] = json.loads(result.stdout)
    return doc


def installed(repo: Path) -> dict[str, int]:
    return {n: sizes[0] for n, sizes in primary_sizes(repo).items()}


# ---------------------------------------------------------------- stats


def test_exclusive_sizes_through_the_whole_pipeline(run: Run, shapes: Path) -> None:
    sizes = installed(shapes)
    assert sizes[nevra("leaf")] == 8000  # rpm counts exactly the payload bytes
    doc = ok_json(run, "stats", "--repo", shapes, "top", "--top", "100", "-f", "json")
    (top,) = doc["roots"]  # type: ignore[misc]
    assert (top["root"], top["packages"], top["direct"], top["depth"]) == (TOP, 9, 3, 3)
    assert top["installsize"] == sum(sizes.values())
    got = {e["id"]: (e["exclusive_packages"], e["exclusive_installsize"]) for e in top["top"]}
    assert got == {nevra(n): (len(ns), sum(sizes[nevra(p)] for p in ns))
                   for n, ns in EXCLUSIVE.items()}
    ranked = [e["exclusive_installsize"] for e in top["top"]]
    assert ranked == sorted(ranked, reverse=True)


def test_stats_text_and_markdown(run: Run, shapes: Path) -> None:
    text = run("stats", "--repo", shapes, "top", "--top", "2")
    assert text.exit_code == 0
    root, totals = text.stdout.splitlines()[:2]
    # 100 + 1000 + ... + 128000 = 255100 bytes
    assert (root, totals.split(", download")[0]) == (
        TOP, "  9 packages (3 direct, depth 3), installed 249.1 KiB")
    # solo takes chain1 and chain2 with it: 16000 + 32000 + 64000 bytes
    assert f"           3   109.4 KiB  {nevra('solo')}" in text.stdout
    markdown = run("stats", "--repo", shapes, "top", "-o", "-", "-f", "markdown").stdout
    assert f"| `{nevra('solo')}` | 3 | 109.4 KiB |" in markdown


# ---------------------------------------------------------------- check


def config(folder: Path, repo: Path, budget: str, baseline: str | None = None) -> Path:
    path = folder / "rpmgraph.toml"
    head = f'repos = ["{repo}"]\n' + (f'baseline = "{baseline}"\n' if baseline else "")
    path.write_text(f'{head}[[budget]]\nroots = "top"\n{budget}\n')
    return path


@pytest.mark.parametrize(("limit", "code"), [(8, 1), (9, 0), (10, 0)])
def test_max_packages(run: Run, shapes: Path, tmp_path: Path, limit: int, code: int) -> None:
    result = run("check", "--config", config(tmp_path, shapes, f"max-packages = {limit}"))
    assert result.exit_code == code
    if code:
        assert result.stdout == (f"FAIL budget 1: {TOP}: max-packages 8: 9 packages "
                                 "(over by 1)\n1 of 1 budget checks failed\n")


def test_installsize_limit_says_by_how_much(run: Run, shapes: Path, tmp_path: Path) -> None:
    total = sum(installed(shapes).values())
    result = run("check", "--config", config(tmp_path, shapes, f"max-installsize = {total - 2048}"),
                 "-f", "json")
    assert result.exit_code == 1
    (outcome,) = json.loads(result.stdout)["results"]
    assert (outcome["root"], outcome["limit"], outcome["actual"], outcome["excess"]) == (
        TOP, "max-installsize", total, 2048)
    assert "over by 2.0 KiB" in run("check", "--config", tmp_path / "rpmgraph.toml").stdout


def test_forbidden_packages_come_with_their_chain(run: Run, shapes: Path,
                                                  tmp_path: Path) -> None:
    path = config(tmp_path, shapes, 'forbid = ["leaf", "chain*"]')
    result = run("check", "--config", path, "-f", "json")
    assert result.exit_code == 1
    (outcome,) = json.loads(result.stdout)["results"]
    assert outcome["packages"] == [
        {"id": nevra("chain1"), "path": [TOP, nevra("solo"), nevra("chain1")]},
        {"id": nevra("chain2"), "path": [TOP, nevra("solo"), nevra("chain1"), nevra("chain2")]},
        {"id": nevra("leaf"), "path": [TOP, nevra("left"), nevra("base"), nevra("leaf")]},
    ]
    text = run("check", "--config", path).stdout
    assert f"       + {nevra('leaf')}: top -> left -> base -> leaf\n" in text


def test_new_packages_against_the_baseline(run: Run, shapes: Path, shapes2: Path,
                                           tmp_path: Path) -> None:
    lock = tmp_path / "rpmgraph.lock.json"
    assert run("snapshot", "--repo", shapes, "top", "-o", lock).exit_code == 0
    limits = "max-new-packages = 0\nmax-installsize-increase = \"1 KiB\""
    path = config(tmp_path, shapes2, limits, baseline=lock.name)
    result = run("check", "--config", path, "-f", "json")
    assert result.exit_code == 1, result.stderr
    new, growth = json.loads(result.stdout)["results"]
    assert (new["actual"], new["excess"]) == (1, 1)
    assert new["packages"] == [{"id": nevra("newdep"), "path": [
        TOP, nevra("left"), nevra("base"), nevra("newdep")]}]
    sizes, sizes2 = installed(shapes), installed(shapes2)
    assert growth["actual"] == sum(sizes2.values()) - sum(sizes.values())
    # a deliberate change: the baseline is rewritten and the same budgets hold again
    updated = run("check", "--config", path, "--update-baseline")
    assert updated.exit_code == 0, updated.stdout
    assert nevra("newdep") in lock.read_text()
    assert run("check", "--config", path).exit_code == 0


def test_junit_and_markdown_reports(run: Run, shapes: Path, tmp_path: Path) -> None:
    path = config(tmp_path, shapes, 'max-packages = 100\nforbid = ["lea*"]')
    out = tmp_path / "report.xml"
    assert run("check", "--config", path, "-o", out).exit_code == 1  # junit from .xml
    suites = ET.parse(out).getroot()
    (suite,) = suites
    assert (suites.tag, suite.get("tests"), suite.get("failures")) == ("testsuites", "2", "1")
    cases = {c.get("name"): c.find("failure") for c in suite.iter("testcase")}
    assert cases[f"{TOP} max-packages"] is None
    failure = cases[f"{TOP} forbid"]
    assert failure is not None and "1 forbidden packages" in str(failure.get("message"))
    assert failure.text == f"{nevra('leaf')}: top -> left -> base -> leaf"
    markdown = run("check", "--config", path, "-f", "markdown").stdout
    assert markdown.startswith("### rpmgraph: 1 of 2 budget checks failed\n")
    assert f"| ❌ | 1 | `{TOP}` | forbid | 1 | 0 |" in markdown
    assert f"- `{nevra('leaf')}`: top → left → base → leaf" in markdown


def test_config_is_found_in_the_current_folder(run: Run, shapes: Path, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    config(tmp_path, shapes, "max-packages = 9")
    monkeypatch.chdir(tmp_path)
    assert run("check").exit_code == 0


# ---------------------------------------------------------------- snapshot


def test_snapshot_is_stable_and_one_package_a_line(run: Run, shapes: Path, shapes2: Path,
                                                   tmp_path: Path) -> None:
    first = run("snapshot", "--repo", shapes, "top", "solo").stdout
    again = run("snapshot", "--rpm", shapes, "solo", "top").stdout
    assert first == again.replace(f"rpm:{shapes}", f"repo:{shapes}")
    doc = json.loads(first)
    assert (doc["format"], doc["version"], list(doc["roots"])) == (
        "rpmgraph-lock", 1, ["solo", "top"])
    lines = [line.strip().rstrip(",") for line in first.splitlines()]
    leaf = json.loads(next(line for line in lines if f'"{nevra("leaf")}"' in line))
    assert leaf == {"id": nevra("leaf"), "name": "leaf", "arch": "noarch",
                    "installsize": 8000, "downloadsize": leaf["downloadsize"], "via": "base"}
    assert doc["roots"]["solo"]["packages"] == 4  # solo, chain1, chain2, shared-lib
    # a one-package change is a small change in a code review diff
    other = run("snapshot", "--repo", shapes2, "top", "solo").stdout
    removed = set(first.splitlines()) - set(other.splitlines())
    assert any(nevra("chain2") in line for line in removed)


# ---------------------------------------------------------------- diff


def expected_delta(shapes: Path, shapes2: Path) -> int:
    return sum(installed(shapes2).values()) - sum(installed(shapes).values())


def test_diff_between_repositories(run: Run, shapes: Path, shapes2: Path) -> None:
    doc = ok_json(run, "diff", "--old-repo", shapes, "--new-repo", shapes2, "top", "-f", "json")
    assert doc["added"] == [{"name": "newdep", "id": nevra("newdep"), "path": [
        TOP, nevra("left"), nevra("base"), nevra("newdep")]}]
    assert doc["removed"] == [{"name": "chain2", "id": nevra("chain2")}]
    assert doc["changed"] == [{"name": "leaf", "old": nevra("leaf"),
                               "new": nevra("leaf", "2.0")}]
    assert doc["installsize_delta"] == expected_delta(shapes, shapes2)
    text = run("diff", "--old-repo", shapes, "--repo", shapes2, "top").stdout
    assert f"  + {nevra('newdep')}  via top -> left -> base\n" in text
    assert f"  - {nevra('chain2')}\n" in text
    assert f"  ~ {nevra('leaf')} -> {nevra('leaf', '2.0')}\n" in text
    assert "9 -> 9 packages" in text and "1 added, 1 removed, 1 changed" in text
    markdown = run("diff", "--old-repo", shapes, "--repo", shapes2, "top", "-f", "markdown")
    assert f"- `{nevra('newdep')}`: top → left → base → newdep" in markdown.stdout


def test_diff_against_a_baseline_agrees(run: Run, shapes: Path, shapes2: Path,
                                        tmp_path: Path) -> None:
    lock = tmp_path / "lock.json"
    run("snapshot", "--repo", shapes, "top", "-o", lock)
    by_repo = ok_json(run, "diff", "--old-repo", shapes, "--repo", shapes2, "top", "-f", "json")
    by_lock = ok_json(run, "diff", "--old-baseline", lock, "--repo", shapes2, "top",
                      "-f", "json")
    for key in ("added", "removed", "changed", "installsize_delta", "roots", "old_roots"):
        assert by_lock[key] == by_repo[key], key


def _fills(dot_text: str) -> dict[str, str]:
    (dot,) = pydot.graph_from_dot_data(dot_text)
    return {n.get_name().strip('"'): str(n.get("fillcolor")).strip('"')
            for n in dot.get_nodes()}


@pytest.mark.parametrize("old_side", ["repo", "baseline"])
def test_diff_picture_colours_the_union_graph(run: Run, shapes: Path, shapes2: Path,
                                              tmp_path: Path, old_side: str) -> None:
    lock = tmp_path / "lock.json"
    run("snapshot", "--repo", shapes, "top", "-o", lock)
    old = ["--old-repo", shapes] if old_side == "repo" else ["--old-baseline", lock]
    out = tmp_path / "diff.dot"
    assert run("diff", *old, "--repo", shapes2, "top", "-o", out).exit_code == 0
    fills = _fills(out.read_text())
    assert fills[nevra("newdep")] == "#b6e3b6"  # added: green
    assert fills[nevra("chain2")] == "#f4b6b6"  # removed: red
    assert fills[nevra("leaf", "2.0")] == "#d9c8f0"  # changed: lavender, not the root's
    (legend,) = pydot.graph_from_dot_data(out.read_text())[0].get_subgraph(
        '"cluster_legend"')
    swatches = {str(n.get("fillcolor")).strip('"') for n in legend.get_nodes()
                if n.get("fillcolor") and n.get("shape") != "octagon"}
    assert swatches and swatches <= set(fills.values()) | {"#ffffff"}  # only colours in use
    assert nevra("leaf") not in fills  # one node per changed package
    (dot,) = pydot.graph_from_dot_data(out.read_text())
    assert dot.get_edge(f'"{nevra("chain1")}"', f'"{nevra("chain2")}"')  # where it hung
    svg = tmp_path / "diff.svg"
    assert run("diff", *old, "--repo", shapes2, "top", "-o", svg).exit_code == 0
    assert ET.parse(svg).getroot().tag == "{http://www.w3.org/2000/svg}svg"


# ---------------------------------------------------------------- help and errors


@pytest.mark.parametrize("command", ["stats", "snapshot", "check", "diff"])
def test_help_has_examples(run: Run, command: str) -> None:
    result = run(command, "--help")
    assert result.exit_code == 0
    assert "Examples:" in result.stdout and f"rpmgraph {command}" in result.stdout


def assert_user_error(result: object, *parts: str) -> None:
    from click.testing import Result

    assert isinstance(result, Result)
    assert result.exit_code == 2, result.stdout
    assert result.stdout == ""
    assert result.stderr.startswith("rpmgraph: error: ")
    assert result.stderr.count("\n") == 1, result.stderr
    for part in parts:
        assert part in result.stderr, result.stderr


def test_bad_input(run: Run, shapes: Path, tmp_path: Path) -> None:
    assert_user_error(run("stats", "--repo", shapes, "tpo"), "no package or capability "
                      "matches 'tpo'", "did you mean top")
    bad = config(tmp_path, shapes, 'max-installsize = "lots"')
    assert_user_error(run("check", "--config", bad),
                      f"{bad}:4: max-installsize: cannot read 'lots' as a size")
    assert_user_error(run("check", "--config", tmp_path / "none.toml"), "does not exist")
    lock = tmp_path / "missing.lock.json"
    path = config(tmp_path, shapes, "max-new-packages = 0", baseline=lock.name)
    assert_user_error(run("check", "--config", path), f"baseline {lock} does not exist",
                      "--update-baseline")
    lock.write_text('{"format": "something-else"}')
    assert_user_error(run("check", "--config", path), "is not an rpmgraph lock file")
    unknown = tmp_path / "unknown.toml"
    unknown.write_text(f'repos = ["{shapes}"]\n[[budget]]\nroots = "tpo"\nmax-packages = 1\n')
    assert_user_error(run("check", "--config", unknown), "matches 'tpo'", "did you mean top")
    assert_user_error(run("snapshot", "--repo", shapes, "top", "-o", tmp_path / "no" / "x"),
                      "does not exist")


def test_diff_usage_errors(run: Run, shapes: Path, tmp_path: Path) -> None:
    assert_user_error(run("diff", "--repo", shapes, "top"), "--old-repo or --old-baseline",
                      "rpmgraph diff --help")
    assert_user_error(run("diff", "--old-repo", shapes, "--new-repo", shapes, "--repo",
                          shapes, "top"), "--new-repo cannot be combined")
    assert_user_error(run("diff", "--old-repo", shapes, "top"), "name the new side")
    lock = tmp_path / "lock.json"
    run("snapshot", "--repo", shapes, "solo", "-o", lock)
    assert_user_error(run("diff", "--old-baseline", lock, "--repo", shapes, "top"),
                      f"{lock} has no entry for top; its roots: solo")


def test_graph_help_names_its_environment_variables(run: Run) -> None:
    result = run("graph", "--help")
    assert result.exit_code == 0
    environment = result.stdout.split("Environment:", 1)[1]
    for name in ("RPMGRAPH_JOBS", "RPMGRAPH_LAYOUT_TIMEOUT", "XDG_CACHE_HOME"):
        assert name in environment


# ---------------------------------------------------------------- sources of .repo files


def test_lock_files_name_the_repositories_of_repo_files(run: Run, shapes: Path, shapes2: Path,
                                                        tmp_path: Path) -> None:
    """--repofile and --reposdir (as --system-repos, which reads this machine's) are
    sources like --repo: the lock file records each repository read, by its name."""
    repofile = tmp_path / "shapes.repo"
    repofile.write_text(f"[shapes]\nname=Shapes\nbaseurl=file://{shapes}\n")
    by_file = run("snapshot", "--repofile", repofile, "top")
    assert by_file.exit_code == 0, by_file.stderr
    doc = json.loads(by_file.stdout)
    assert doc["sources"] == [f"repo:shapes={shapes}"]
    assert doc["roots"] == json.loads(run("snapshot", "--repo", shapes, "top").stdout)["roots"]
    reposdir = tmp_path / "repos.d"
    reposdir.mkdir()
    (reposdir / "next.repo").write_text(f"[next]\nbaseurl=file://{shapes2}\n"
                                        f"[off]\nbaseurl=file://{shapes}\nenabled=0\n")
    by_dir = json.loads(run("snapshot", "--reposdir", reposdir, "top").stdout)
    assert by_dir["sources"] == [f"repo:next={shapes2}"]
    # and either is the new side of a diff
    result = run("diff", "--old-repo", shapes, "--reposdir", reposdir, "top", "-f", "json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["added"][0]["id"] == nevra("newdep")
    assert_user_error(run("diff", "--old-repo", shapes, "--new-repo", shapes2, "--repofile",
                          repofile, "top"), "--new-repo cannot be combined")


def test_a_lock_file_of_a_database_under_a_root_names_it(run: Run, mini_rpms: Path,
                                                        tmp_path: Path) -> None:
    root = tmp_path / "root"
    install_into_rpmdb(root, [p for p in sorted(mini_rpms.glob("*.rpm"))
                              if not p.name.startswith(("lib-1.0", "foreign"))])
    result = run("snapshot", "--installed", "--root", root, "--dbpath", "/var/lib/rpm", "app")
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    assert (doc["policy"], doc["sources"]) == ("all", [f"installed:{root}/var/lib/rpm"])
    assert "app" in doc["roots"]
