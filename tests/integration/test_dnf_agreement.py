"""Package sets agree with the real dnf: ``dnf install`` for the install policy,
``dnf repoquery --requires --resolve --recursive`` for the all policy."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import Run
from tests.support.dnf import dnf_available, dnf_install_set, dnf_repoquery_recursive

pytestmark = [pytest.mark.dnf, pytest.mark.skipif(not dnf_available(), reason="needs dnf")]


def node_ids(run: Run, *args: object) -> set[str]:
    result = run("graph", *args, "-f", "json")
    assert result.exit_code == 0, result.stderr
    return {n["id"] for n in json.loads(result.stdout)["nodes"]}


@pytest.mark.parametrize("root", ["app", "lib", "plugin", "web-b"])
@pytest.mark.parametrize("weak", [True, False])
def test_install_policy_matches_dnf_install(run: Run, mini_repo: Path, root: str,
                                            weak: bool) -> None:
    args = ["--repo", mini_repo, root, "--arch", "x86_64"] + ([] if weak else ["--no-weak"])
    assert node_ids(run, *args) == dnf_install_set([mini_repo], [root], weak=weak,
                                                   arch="x86_64")


@pytest.mark.parametrize("root", ["app", "libcore", "broken"])
def test_all_policy_matches_repoquery(run: Run, mini_repo: Path, root: str) -> None:
    ours = node_ids(run, "--repo", mini_repo, root, "--policy", "all", "--arch", "x86_64")
    theirs = dnf_repoquery_recursive([mini_repo], root, arch="x86_64")
    root_id = next(i for i in ours if i.startswith(f"{root}-"))
    assert ours == theirs | {root_id}
