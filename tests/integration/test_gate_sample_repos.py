"""stats and check on the Essex sample repository, against dnf and the repository's own
primary.xml: the package count is dnf's, the installed size the metadata's sum."""

from __future__ import annotations

import bz2
import gzip
import json
import lzma
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.conftest import SAMPLE_REPOS, Run
from tests.support.dnf import dnf_available, dnf_install_set

ESSEX = SAMPLE_REPOS / "essex"
_REPO_NS = {"r": "http://linux.duke.edu/metadata/repo"}
_COMMON = "{http://linux.duke.edu/metadata/common}"
_OPEN = {".gz": gzip.open, ".xz": lzma.open, ".bz2": bz2.open}
dnf_only = pytest.mark.skipif(not dnf_available(), reason="needs dnf")


def primary_sizes(repo: Path) -> dict[str, tuple[int, int]]:
    """NEVRA -> (installed size, package size), read from primary.xml without rpmgraph."""
    repomd = ET.parse(repo / "repodata" / "repomd.xml").getroot()
    href = repomd.find("r:data[@type='primary']/r:location", _REPO_NS).get("href")  # type: ignore[union-attr]
    path = repo / str(href)
    with _OPEN.get(path.suffix, open)(path, "rb") as stream:
        root = ET.parse(stream).getroot()
    sizes = {}
    for package in root.iter(f"{_COMMON}package"):
        version = package.find(f"{_COMMON}version")
        size = package.find(f"{_COMMON}size")
        assert version is not None and size is not None
        epoch = version.get("epoch", "0")
        evr = f"{'' if epoch == '0' else epoch + ':'}{version.get('ver')}-{version.get('rel')}"
        nevra = f"{package.findtext(f'{_COMMON}name')}-{evr}.{package.findtext(f'{_COMMON}arch')}"
        sizes[nevra] = (int(size.get("installed", "0")), int(size.get("package", "0")))
    return sizes


def stats_doc(run: Run, *args: object) -> dict[str, object]:
    result = run("stats", *args, "--format", "json")
    assert result.exit_code == 0, result.stderr
    doc: dict[str, object] = json.loads(result.stdout)
    return doc


@dnf_only
@pytest.mark.dnf
def test_stats_of_nova_is_what_dnf_installs(run: Run) -> None:
    (nova,) = stats_doc(run, "--repo", ESSEX, "openstack-nova")["roots"]  # type: ignore[misc]
    installs = dnf_install_set([ESSEX], ["openstack-nova"])
    sizes = primary_sizes(ESSEX)
    assert nova["packages"] == len(installs)
    assert nova["installsize"] == sum(sizes[n][0] for n in installs)
    assert nova["downloadsize"] == sum(sizes[n][1] for n in installs)
    assert nova["unresolved"] == []


def test_stats_sums_the_metadata_sizes_of_the_graph(run: Run) -> None:
    """Without dnf: the closure the graph command draws, summed from primary.xml."""
    graph = json.loads(run("graph", "--repo", ESSEX, "openstack-nova", "--no-weak",
                           "-f", "json").stdout)
    ids = {n["id"] for n in graph["nodes"]}
    (nova,) = stats_doc(run, "--repo", ESSEX, "openstack-nova", "--no-weak")["roots"]  # type: ignore[misc]
    sizes = primary_sizes(ESSEX)
    assert nova["packages"] == len(ids)
    assert nova["installsize"] == sum(sizes[n][0] for n in ids)
    # python-nova Recommends memcached (planted feature 5): with --no-weak it is gone
    assert not any(i.startswith("memcached-") for i in ids)


def test_each_root_is_measured_on_its_own(run: Run) -> None:
    both = stats_doc(run, "--repo", ESSEX, "openstack-nova", "openstack-keystone")
    alone = stats_doc(run, "--repo", ESSEX, "openstack-keystone")
    assert both["roots"][1] == alone["roots"][0]  # type: ignore[index]


def _budget(folder: Path, limit: int) -> Path:
    config = folder / "rpmgraph.toml"
    config.write_text(f'repos = ["{ESSEX}"]\n[[budget]]\nroots = "openstack-nova"\n'
                      f"max-packages = {limit}\n")
    return config


@dnf_only
@pytest.mark.dnf
def test_budget_one_below_the_true_count_fails_one_above_passes(
        run: Run, tmp_path: Path) -> None:
    count = len(dnf_install_set([ESSEX], ["openstack-nova"]))
    below = run("check", "--config", _budget(tmp_path, count - 1))
    assert below.exit_code == 1, below.stderr
    assert (f"FAIL budget 1: openstack-nova-2012.1-6.fc17.noarch: max-packages {count - 1}: "
            f"{count} packages (over by 1)") in below.stdout
    above = run("check", "--config", _budget(tmp_path, count + 1))
    assert above.exit_code == 0, above.stdout
    assert above.stdout.endswith("all 1 budget checks passed\n")
