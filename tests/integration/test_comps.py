"""Comps groups and environments as roots, on real repositories made by createrepo_c
with a comps.xml, compared with what Debian's real dnf installs for the same roots."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import Run
from tests.support.dnf import dnf_available, dnf_install_set
from tests.support.rpmbuild import Spec, build_rpms, make_repo

_SPECS = [
    Spec("tool-a", requires=["lib-a"]), Spec("lib-a"), Spec("lib-a-extras"),
    Spec("tool-b"), Spec("tool-c", requires=["lib-c"]), Spec("lib-c"),
    Spec("tool-a-doc"), Spec("tool-x"), Spec("tool-x-plugin"),
    Spec("extra-a"), Spec("extra-b"), Spec("extra-c"), Spec("extra-c-addon"),
    Spec("more-a"),
]
# Two groups with every package type; ghost-pkg is in no repository. Conditional packages:
# tool-a-doc comes with a root, lib-a-extras with a dependency (lib-a, which tool-a
# requires), tool-x-plugin only when tool-x is installed, extra-c-addon with an optional
# package. The environment's optionlist marks extras default: dnf installs it even so
# only with its grouplist.
COMPS = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE comps PUBLIC "-//Red Hat, Inc.//DTD Comps info//EN" "comps.dtd">
<comps>
  <group>
    <id>core-tools</id>
    <name>Core Tools</name>
    <name xml:lang="de">Kernwerkzeuge</name>
    <description>The core tools</description>
    <default>true</default>
    <uservisible>true</uservisible>
    <packagelist>
      <packagereq type="mandatory">tool-a</packagereq>
      <packagereq type="mandatory">ghost-pkg</packagereq>
      <packagereq type="default">tool-b</packagereq>
      <packagereq type="optional">tool-c</packagereq>
      <packagereq type="conditional" requires="tool-a">tool-a-doc</packagereq>
      <packagereq type="conditional" requires="tool-x">tool-x-plugin</packagereq>
      <packagereq type="conditional" requires="lib-a">lib-a-extras</packagereq>
    </packagelist>
  </group>
  <group>
    <id>extras</id>
    <name>Extra Stuff</name>
    <packagelist>
      <packagereq type="mandatory">extra-a</packagereq>
      <packagereq type="default">extra-b</packagereq>
      <packagereq type="optional">extra-c</packagereq>
      <packagereq type="conditional" requires="extra-c">extra-c-addon</packagereq>
    </packagelist>
  </group>
  <group>
    <id>more</id>
    <name>More</name>
    <packagelist><packagereq type="mandatory">more-a</packagereq></packagelist>
  </group>
  <environment>
    <id>workstation</id>
    <name>Workstation</name>
    <grouplist><groupid>core-tools</groupid></grouplist>
    <optionlist><groupid default="true">extras</groupid><groupid>more</groupid></optionlist>
  </environment>
</comps>
"""
# A second repository whose comps adds a package to the group extras.
SECOND_COMPS = """<?xml version="1.0" encoding="UTF-8"?>
<comps>
  <group><id>extras</id><name>Extra Stuff</name><packagelist>
    <packagereq type="mandatory">second-a</packagereq>
  </packagelist></group>
</comps>
"""

WITH_OPTIONAL = "group_package_types=mandatory,default,conditional,optional"


@pytest.fixture(scope="module")
def comps_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("comps")
    (base / "comps.xml").write_text(COMPS, encoding="utf-8")
    build_rpms(_SPECS, base / "repo")
    return make_repo(base / "repo", comps=base / "comps.xml")


@pytest.fixture(scope="module")
def second_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("comps2")
    (base / "comps.xml").write_text(SECOND_COMPS, encoding="utf-8")
    build_rpms([Spec("second-a")], base / "second")
    return make_repo(base / "second", compress="xz", comps=base / "comps.xml")


def node_ids(run: Run, *args: object) -> set[str]:
    result = run("graph", *args, "-f", "json")
    assert result.exit_code == 0, result.stderr
    return {n["id"] for n in json.loads(result.stdout)["nodes"]}


# (rpmgraph's roots, dnf's roots): dnf 4.14 has no @^ form; its @NAME matches
# environments and groups alike.
CASES = [
    (["@core-tools"], ["@core-tools"]),
    (["@Core Tools"], ["@Core Tools"]),
    (["@core tools"], ["@core tools"]),
    (["@extras"], ["@extras"]),
    (["@Extra*"], ["@Extra*"]),
    (["@^workstation"], ["@workstation"]),
    (["@workstation"], ["@workstation"]),
    (["@core-tools", "tool-x"], ["@core-tools", "tool-x"]),
    (["@extras", "@more"], ["@extras", "@more"]),
]

EXPECTED = {  # what dnf 4.14 installed when these tests were written
    "@core-tools": {"lib-a", "lib-a-extras", "tool-a", "tool-a-doc", "tool-b"},
    "@extras": {"extra-a", "extra-b"},
    "@^workstation": {"lib-a", "lib-a-extras", "tool-a", "tool-a-doc", "tool-b"},
}


def names(nevras: set[str]) -> set[str]:
    return {n.rsplit("-", 2)[0] for n in nevras}


@pytest.mark.parametrize(("spec", "expected"), sorted(EXPECTED.items()))
def test_group_roots_install_what_dnf_installs(run: Run, comps_repo: Path, spec: str,
                                               expected: set[str]) -> None:
    assert names(node_ids(run, "--repo", comps_repo, spec)) == expected


def test_with_optional(run: Run, comps_repo: Path) -> None:
    found = node_ids(run, "--repo", comps_repo, "@extras", "--with-optional")
    assert names(found) == {"extra-a", "extra-b", "extra-c", "extra-c-addon"}


def test_absent_package_is_skipped_with_a_warning(run: Run, comps_repo: Path) -> None:
    result = run("graph", "--repo", comps_repo, "@core-tools", "-f", "json")
    assert result.exit_code == 0
    assert result.stderr == ("rpmgraph: warning: @core-tools: no package named ghost-pkg "
                             "in the sources; skipped, as dnf skips it\n")


def test_unknown_group_is_one_line_with_close_ids(run: Run, comps_repo: Path) -> None:
    result = run("graph", "--repo", comps_repo, "@core-tool")
    assert result.exit_code == 2
    assert result.stderr == ("rpmgraph: error: no group or environment matches '@core-tool' "
                             "in the comps of the sources; did you mean core-tools?\n")


def test_environment_spec_matches_environments_only(run: Run, comps_repo: Path) -> None:
    result = run("graph", "--repo", comps_repo, "@^extras")
    assert result.exit_code == 2
    assert result.stderr == ("rpmgraph: error: no environment matches '@^extras' in the "
                             "comps of the sources; 'rpmgraph groups' lists them\n")


def test_repository_without_comps(run: Run, mini_repo: Path) -> None:
    result = run("graph", "--repo", mini_repo, "@core")
    assert result.exit_code == 2
    assert result.stderr == ("rpmgraph: error: no group or environment matches '@core': "
                             "the sources have no comps (group) metadata\n")


def test_module_stream_specs_are_not_groups(run: Run, comps_repo: Path) -> None:
    result = run("graph", "--repo", comps_repo, "@core-tools:1")
    assert result.exit_code == 2
    assert result.stderr == ("rpmgraph: error: root @core-tools:1: the sources have no "
                             "module metadata (no repository has a modules record)\n")


def test_comps_of_two_repositories_merge(run: Run, comps_repo: Path,
                                         second_repo: Path) -> None:
    found = node_ids(run, "--repo", comps_repo, "--repo", second_repo, "@extras")
    assert names(found) == {"extra-a", "extra-b", "second-a"}


def test_groups_command_text(run: Run, comps_repo: Path) -> None:
    result = run("groups", "--repo", comps_repo)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == (
        "@^workstation  Workstation  1 groups (+2 optional)\n"
        "@core-tools    Core Tools   2 mandatory, 1 default, 1 optional, 3 conditional\n"
        "@extras        Extra Stuff  1 mandatory, 1 default, 1 optional, 1 conditional\n"
        "@more          More         1 mandatory\n")


def test_groups_command_json(run: Run, comps_repo: Path, second_repo: Path) -> None:
    result = run("groups", "--repo", comps_repo, "--repo", second_repo, "--format", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["environments"] == [{
        "id": "workstation", "name": "Workstation", "grouplist": ["core-tools"],
        "optionlist": [{"group": "extras", "default": True},
                       {"group": "more", "default": False}]}]
    extras = next(g for g in data["groups"] if g["id"] == "extras")
    assert extras["counts"] == {"mandatory": 2, "default": 1, "optional": 1,
                                "conditional": 1}
    assert {"name": "extra-c-addon", "type": "conditional",
            "requires": "extra-c"} in extras["packages"]


def test_groups_without_comps(run: Run, mini_repo: Path) -> None:
    result = run("groups", "--repo", mini_repo)
    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr == "rpmgraph: the sources have no comps (group) metadata\n"


# ---------------------------------------------------------------- against dnf


@pytest.mark.dnf
@pytest.mark.skipif(not dnf_available(), reason="needs dnf")
@pytest.mark.parametrize(("ours", "theirs"), CASES, ids=[" ".join(c[0]) for c in CASES])
@pytest.mark.parametrize("with_optional", [False, True])
def test_group_roots_match_dnf(run: Run, comps_repo: Path, ours: list[str],
                               theirs: list[str], with_optional: bool) -> None:
    flag = ["--with-optional"] if with_optional else []
    setopts = [WITH_OPTIONAL] if with_optional else []
    assert node_ids(run, "--repo", comps_repo, *ours, *flag) == dnf_install_set(
        [comps_repo], theirs, setopts=setopts)


@pytest.mark.dnf
@pytest.mark.skipif(not dnf_available(), reason="needs dnf")
@pytest.mark.parametrize("with_optional", [False, True])
def test_merged_comps_match_dnf(run: Run, comps_repo: Path, second_repo: Path,
                                with_optional: bool) -> None:
    flag = ["--with-optional"] if with_optional else []
    setopts = [WITH_OPTIONAL] if with_optional else []
    ours = node_ids(run, "--repo", comps_repo, "--repo", second_repo, "@extras", *flag)
    assert ours == dnf_install_set([comps_repo, second_repo], ["@extras"], setopts=setopts)


@pytest.mark.dnf
@pytest.mark.skipif(not dnf_available(), reason="needs dnf")
def test_dnf_reference_is_what_the_tests_expect(comps_repo: Path) -> None:
    """The expectations above are dnf's answers (a check that the oracle still agrees)."""
    for spec, expected in EXPECTED.items():
        theirs = "@workstation" if spec == "@^workstation" else spec
        assert names(dnf_install_set([comps_repo], [theirs])) == expected


def test_a_group_is_one_root_of_a_batch(run: Run, comps_repo: Path, tmp_path: Path) -> None:
    """With -O a group is one graph (what ``dnf install @GROUP`` installs), not one per
    package of the group."""
    out = tmp_path / "out"
    result = run("graph", "--repo", comps_repo, "@extras", "@^workstation", "-O", out,
                 "-f", "json")
    assert result.exit_code == 0, result.stderr
    # '@' and '^' cannot be in a file name: changed names carry a hash of the root's name
    files = sorted(p.name for p in out.iterdir())
    assert len(files) == 2 and all(f.endswith(".json") and "~" in f for f in files), files
    (extras,) = (f for f in files if f.startswith("_extras~"))
    doc = json.loads((out / extras).read_text())
    assert names({n["id"] for n in doc["nodes"]}) == EXPECTED["@extras"]
    assert names(set(doc["roots"])) == {"extra-a", "extra-b"}


def test_library_groups_are_what_the_command_lists(run: Run, comps_repo: Path,
                                                    second_repo: Path) -> None:
    import rpmgraph

    listed = json.loads(run("groups", "--repo", comps_repo, "--repo", second_repo,
                            "--format", "json").stdout)
    comps = rpmgraph.load(repos=[comps_repo, second_repo]).groups()
    assert [e.id for e in comps.environments] == [e["id"] for e in listed["environments"]]
    assert [g.id for g in comps.groups] == [g["id"] for g in listed["groups"]]
    extras = next(g for g in comps.groups if g.id == "extras")
    assert any(p.name == "extra-c-addon" and p.requires == "extra-c" for p in extras.packages)
