"""diff between the Essex and Folsom sample repositories, against dnf's install sets.

In Folsom openstack-nova became a meta-package over openstack-nova-compute, -api, ...
so its install set gains those; the expectations come from dnf, not from rpmgraph."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest

from tests.conftest import SAMPLE_REPOS, Run
from tests.integration.test_gate_sample_repos import dnf_only, primary_sizes
from tests.support.dnf import dnf_install_set

ESSEX, FOLSOM = SAMPLE_REPOS / "essex", SAMPLE_REPOS / "folsom"


def names(nevras: set[str]) -> dict[str, str]:
    """name -> NEVRA (each name is installed once), split at the last two dashes."""
    return {n.rsplit("-", 2)[0]: n for n in nevras}


def diff_doc(run: Run, *args: object) -> dict[str, list[dict[str, object]]]:
    result = run("diff", *args, "openstack-nova", "-f", "json")
    assert result.exit_code == 0, result.stderr
    doc: dict[str, list[dict[str, object]]] = json.loads(result.stdout)
    return doc


def folsom_pull_edges(run: Run) -> set[tuple[str, str]]:
    """Edges of the Folsom graph in the direction packages are pulled in."""
    doc = json.loads(run("graph", "--repo", FOLSOM, "openstack-nova", "-f", "json").stdout)
    return {(e["target"], e["source"]) if e["kind"] in ("supplements", "enhances")
            else (e["source"], e["target"]) for e in doc["edges"]}


@dnf_only
@pytest.mark.dnf
def test_essex_to_folsom_nova_against_dnf(run: Run) -> None:
    old = names(dnf_install_set([ESSEX], ["openstack-nova"]))
    new = names(dnf_install_set([FOLSOM], ["openstack-nova"]))
    doc = diff_doc(run, "--old-repo", ESSEX, "--new-repo", FOLSOM)
    assert [a["name"] for a in doc["added"]] == sorted(new.keys() - old.keys())
    assert {a["id"] for a in doc["added"]} == {new[n] for n in new.keys() - old.keys()}
    assert "openstack-nova-compute" in new.keys() - old.keys()
    assert [r["name"] for r in doc["removed"]] == sorted(old.keys() - new.keys())
    assert doc["changed"] == [{"name": n, "old": old[n], "new": new[n]}
                              for n in sorted(old.keys() & new.keys()) if old[n] != new[n]]
    old_sizes, new_sizes = primary_sizes(ESSEX), primary_sizes(FOLSOM)
    assert doc["installsize_delta"] == (sum(new_sizes[n][0] for n in new.values())
                                        - sum(old_sizes[n][0] for n in old.values()))
    # every path starts at the Folsom root, ends at the package, and follows real edges
    edges = folsom_pull_edges(run)
    for added in doc["added"]:
        path = added["path"]
        assert isinstance(path, list)
        assert path[0] == new["openstack-nova"] and path[-1] == added["id"]
        assert all((a, b) in edges for a, b in itertools.pairwise(path)), path


def test_baseline_and_repository_give_the_same_diff(run: Run, tmp_path: Path) -> None:
    lock = tmp_path / "essex.lock.json"
    assert run("snapshot", "--repo", ESSEX, "openstack-nova", "-o", lock).exit_code == 0
    by_repo = diff_doc(run, "--old-repo", ESSEX, "--repo", FOLSOM)
    by_lock = diff_doc(run, "--old-baseline", lock, "--repo", FOLSOM)
    assert by_lock == by_repo
    assert by_repo["roots"] == ["openstack-nova-2012.2-1.fc18.noarch"]
    assert by_repo["old_roots"] == ["openstack-nova-2012.1-6.fc17.noarch"]
