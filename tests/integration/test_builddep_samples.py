"""The sample source repositories: every source package's buildroot against dnf builddep,
and the build order of the done-when command of the issue (layers, the planted cycle)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from rpmgraph.cli import cli
from tests.conftest import SAMPLE_REPOS
from tests.support.dnf import DnfError, dnf_available
from tests.support.dnf_builddep import dnf_builddep_set

RELEASES = ["essex", "folsom", "grizzly"]


def _repos(release: str) -> list[Path]:
    return [SAMPLE_REPOS / release, SAMPLE_REPOS / f"{release}-buildroot"]


def _srpms(release: str) -> list[Path]:
    return sorted((SAMPLE_REPOS / f"{release}-source" / "Packages").glob("*.src.rpm"))


def _buildroot(release: str, srpm: Path) -> tuple[set[str], list[object]]:
    args = ["builddep", "--repo", str(_repos(release)[0]), "--repo", str(_repos(release)[1]),
            "--srpm", str(srpm), "*", "-f", "json"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.stderr
    graph = json.loads(result.stdout)
    return {n["id"] for n in graph["nodes"] if n["arch"] != "src"}, graph["unresolved"]


@pytest.mark.dnf
@pytest.mark.skipif(not dnf_available(), reason="needs dnf (as root)")
@pytest.mark.parametrize(("release", "srpm"), [(r, s) for r in RELEASES for s in _srpms(r)],
                         ids=lambda v: v.name if isinstance(v, Path) else v)
def test_sample_buildroots_agree_with_dnf_builddep(release: str, srpm: Path) -> None:
    found, unresolved = _buildroot(release, srpm)
    try:
        expected = dnf_builddep_set(_repos(release), srpm)
    except DnfError as exc:
        # dnf builddep refuses a BuildRequires nothing provides; rpmgraph marks it.
        assert unresolved, exc.stderr
        return
    assert not unresolved
    assert found == expected


@pytest.mark.dnf
@pytest.mark.skipif(not dnf_available(), reason="needs dnf (as root)")
@pytest.mark.parametrize("release", RELEASES)
def test_every_source_together_agrees_with_dnf_builddep(release: str) -> None:
    """``builddep A B ...``: one transaction for every source of the release, as
    ``dnf builddep A B ...`` solves it."""
    args = ["builddep", "--repo", str(_repos(release)[0]), "--repo", str(_repos(release)[1]),
            "--source-repo", str(SAMPLE_REPOS / f"{release}-source"), "*", "-f", "json"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.stderr
    graph = json.loads(result.stdout)
    assert len(graph["roots"]) == len(_srpms(release))
    assert not graph["unresolved"]
    found = {n["id"] for n in graph["nodes"] if n["arch"] != "src"}
    assert found == dnf_builddep_set(_repos(release), _srpms(release))


def test_essex_build_order_has_the_planted_cycle() -> None:
    args = ["build-order", "--source-repo", str(SAMPLE_REPOS / "essex-source"), "--repo",
            str(SAMPLE_REPOS / "essex"), "--repo", str(SAMPLE_REPOS / "essex-buildroot"),
            "openstack-*", "-f", "json"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.stderr
    order = json.loads(result.stdout)
    assert order["layers"] == [
        ["openstack-nova", "openstack-quantum", "openstack-swift", "openstack-utils"],
        ["openstack-glance", "openstack-keystone"]]
    (cycle,) = order["cycles"]
    assert cycle["sources"] == ["openstack-keystone", "openstack-utils"]
    assert [(b["before"], b["after"], b["capability"]) for b in cycle["break"]] == [
        ("openstack-keystone", "openstack-utils", "openstack-keystone")]


def test_library_api() -> None:
    import rpmgraph

    universe = rpmgraph.load(repos=_repos("essex"),
                             source_repos=[SAMPLE_REPOS / "essex-source"])
    assert len(universe.source_packages()) == 18
    graph = universe.builddep("openstack-keystone")
    assert graph.roots == ("openstack-keystone-2012.1-3.fc17.src",)
    assert {e.kind.value for e in graph.edges() if e.source == graph.roots[0]} == {
        "buildrequires"}
    order = universe.build_order(["openstack-*"])
    assert order.chain() == ("openstack-nova openstack-quantum openstack-swift "
                             "openstack-utils : openstack-glance openstack-keystone")
    assert [r.source for r in universe.rebuilds(["python-greenlet"]) if r.depth == 1] == [
        "python-eventlet-0.9.16-6.fc17.src"]
    (stats,) = universe.builddep_stats("openstack-nova")
    assert (stats.root, stats.packages) == ("openstack-nova-2012.1-6.fc17.src", 44)
    nova = universe.builddep("openstack-nova").packages()
    assert stats.installsize == sum(p.installsize for p in nova if p.arch != "src")
