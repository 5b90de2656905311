"""The OpenStack sample repositories, end to end: the packagers' loop, agreement with
dnf for every openstack-* root, and the same graph from every kind of source."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.conftest import SAMPLE_REPOS, Run
from tests.support.dnf import dnf_available, dnf_install_set, dnf_repoquery_recursive
from tests.support.rpmbuild import install_into_rpmdb

RELEASES = ["essex", "folsom", "grizzly"]
SVG = {"svg": "http://www.w3.org/2000/svg"}


def openstack_roots(release: str) -> list[str]:
    """The openstack-* package names, read from the repository's own rpm file names."""
    names = {p.name.rsplit("-", 2)[0] for p in (SAMPLE_REPOS / release).rglob("*.rpm")}
    return sorted(n for n in names if n.startswith("openstack-"))


def graph_doc(run: Run, *args: object) -> dict[str, object]:
    result = run("graph", *args, "-f", "json")
    assert result.exit_code == 0, result.stderr
    doc: dict[str, object] = json.loads(result.stdout)
    return doc


def ids(doc: dict[str, object]) -> set[str]:
    return {n["id"] for n in doc["nodes"]}  # type: ignore[attr-defined]


def test_the_packagers_loop_writes_one_svg_per_package(run: Run, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run("graph", "--repo", SAMPLE_REPOS / "essex", "openstack-*", "-O", out,
                 "--format", "svg")
    assert result.exit_code == 0, result.stderr
    roots = openstack_roots("essex")
    assert sorted(p.stem for p in out.iterdir()) == roots
    for name in roots:
        svg = ET.parse(out / f"{name}.svg").getroot()
        titles = [t.text or "" for t in svg.iterfind(".//svg:g[@class='node']/svg:title", SVG)]
        assert any(t.rsplit("-", 2)[0] == name for t in titles), name
    nova = ET.parse(out / "openstack-nova.svg").getroot()
    assert len(list(nova.iterfind(".//svg:g[@class='node']", SVG))) > 50


@pytest.mark.parametrize("release", RELEASES)
def test_every_openstack_root_is_installable(run: Run, release: str) -> None:
    for root in openstack_roots(release):
        doc = graph_doc(run, "--repo", SAMPLE_REPOS / release, root)
        assert doc["policy"] == "install", doc["notes"]
        assert doc["unresolved"] == []


dnf_only = pytest.mark.skipif(not dnf_available(), reason="needs dnf")


@dnf_only
@pytest.mark.dnf
@pytest.mark.parametrize("release", RELEASES)
def test_install_sets_agree_with_dnf_install(run: Run, release: str) -> None:
    repo = SAMPLE_REPOS / release
    for root in openstack_roots(release):
        ours = ids(graph_doc(run, "--repo", repo, root))
        assert ours == dnf_install_set([repo], [root]), root


@dnf_only
@pytest.mark.dnf
@pytest.mark.parametrize("release", RELEASES)
def test_all_policy_agrees_with_dnf_repoquery(run: Run, release: str) -> None:
    repo = SAMPLE_REPOS / release
    for root in openstack_roots(release):
        doc = graph_doc(run, "--repo", repo, root, "--policy", "all")
        assert ids(doc) == dnf_repoquery_recursive([repo], root) | set(doc["roots"]), root


@pytest.mark.parametrize("release", RELEASES)
def test_rpm_files_and_installed_database_give_the_repository_graph(
        run: Run, release: str, tmp_path: Path) -> None:
    repo = SAMPLE_REPOS / release
    newest = _newest_rpms(run, repo)
    root = tmp_path / "root"
    install_into_rpmdb(root, newest)
    for name in openstack_roots(release):
        expected = graph_doc(run, "--repo", repo, name, "--policy", "all")
        from_rpms = graph_doc(run, "--rpm", repo, name, "--policy", "all")
        installed = graph_doc(run, "--installed", "--root", root, "--dbpath", "/var/lib/rpm",
                              name)
        for doc in (from_rpms, installed):
            assert ids(doc) == ids(expected), name
            assert doc["edges"] == expected["edges"], name


def _newest_rpms(run: Run, repo: Path) -> list[Path]:
    """The .rpm files of the newest build of each package, as `--policy all` sees them."""
    everything = graph_doc(run, "--repo", repo, "*", "--policy", "all", "--kinds", "suggests")
    newest = {f"{n['name']}-{n['version']}-{n['release']}.{n['arch']}.rpm"
              for n in everything["nodes"]}  # type: ignore[attr-defined]
    return sorted(p for p in repo.rglob("*.rpm") if p.name in newest)
