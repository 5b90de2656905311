"""Roots read, and solved, the way dnf reads them: multilib, obsoletes, capabilities,
--best/--nobest, one solve per root with -O, and check/stats on what cannot be
installed. Every package set is compared with the real dnf on the same repository."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import Run
from tests.support.dnf import (
    DnfError,
    dnf_available,
    dnf_install_set,
    dnf_repoquery_recursive,
)
from tests.support.rpmbuild import Spec, build_rpms, make_repo

pytestmark = [pytest.mark.dnf, pytest.mark.skipif(not dnf_available(), reason="needs dnf")]

DISTRO_SPECS = [
    # multilib: one name built for both arches, and a library built for i686 only
    Spec(name="libc", arch="x86_64", provides=["libc.so.6()(64bit)"]),
    Spec(name="libc", arch="i686", provides=["libc.so.6"]),
    Spec(name="libnvme", arch="i686", requires=["libc.so.6"]),
    Spec(name="httpd", arch="x86_64", requires=["libc.so.6()(64bit)", "libnvme"]),
    # a package renamed into another: the new one provides and obsoletes the old name
    Spec(name="catatonit", requires=["gone-runtime"]),
    Spec(name="podman", version="2.0", arch="x86_64", requires=["libc.so.6()(64bit)"],
         provides=["catatonit = 2.0"], obsoletes=["catatonit < 2.0"]),
    Spec(name="podman-broken", requires=["nothing-provides-this"]),
    Spec(name="podman-docker", requires=["podman"]),
    # one file, two providers that conflict: dnf installs one of them
    Spec(name="coreutils", arch="x86_64", requires=["libc.so.6()(64bit)"],
         conflicts=["coreutils-single"], files={"/usr/bin/ls": "ls"}),
    Spec(name="coreutils-single", arch="x86_64", requires=["libc.so.6()(64bit)"],
         conflicts=["coreutils"], files={"/usr/bin/ls": "ls"}),
    # the newest build cannot be installed, an older one can
    Spec(name="tool", version="1.0", requires=["libc"]),
    Spec(name="tool", version="2.0", requires=["libtool-missing"]),
    # only for another architecture
    Spec(name="armonly", arch="aarch64"),
]


@pytest.fixture(scope="module")
def distro(tmp_path_factory: pytest.TempPathFactory) -> Path:
    repo = tmp_path_factory.mktemp("distro") / "distro"
    build_rpms(DISTRO_SPECS, repo)
    return make_repo(repo)


def graph_ids(run: Run, *args: object) -> set[str]:
    result = run("graph", *args, "-f", "json")
    assert result.exit_code == 0, result.stderr
    return {n["id"] for n in json.loads(result.stdout)["nodes"]}


def ours(run: Run, repo: Path, *args: str) -> set[str]:
    return graph_ids(run, "--repo", repo, "--arch", "x86_64", *args)


@pytest.mark.parametrize("root", ["httpd", "libc", "libc.i686", "libnvme", "catatonit",
                                  "/usr/bin/ls", "podman-docker", "podman"])
def test_install_policy_reads_roots_as_dnf(run: Run, distro: Path, root: str) -> None:
    assert ours(run, distro, root) == dnf_install_set([distro], [root], arch="x86_64")


@pytest.mark.parametrize("root", ["httpd", "libnvme"])
def test_all_policy_sees_multilib_as_repoquery(run: Run, distro: Path, root: str) -> None:
    found = ours(run, distro, root, "--policy", "all")
    theirs = dnf_repoquery_recursive([distro], root, arch="x86_64")
    assert any(n.endswith(".i686") for n in theirs)
    roots = {n for n in found if n.startswith(f"{root}-")}
    assert found == theirs | roots


def test_nobest_installs_the_newest_build_that_can_be_installed(run: Run,
                                                                distro: Path) -> None:
    with pytest.raises(DnfError):
        dnf_install_set([distro], ["tool"], arch="x86_64", best=True)
    theirs = dnf_install_set([distro], ["tool"], arch="x86_64", best=False)
    assert ours(run, distro, "tool", "--nobest") == theirs
    assert "tool-1.0-1.noarch" in theirs
    result = run("graph", "--repo", distro, "--arch", "x86_64", "tool", "--nobest",
                 "-f", "json")
    notes = json.loads(result.stdout)["notes"]
    assert any("the newest build of tool cannot be installed" in n
               and "libtool-missing" in n for n in notes), notes


def test_best_refuses_and_explains(run: Run, distro: Path) -> None:
    result = run("graph", "--repo", distro, "--arch", "x86_64", "tool", "-f", "json")
    assert result.exit_code == 0
    assert ("cannot install tool: cannot install the best candidate for the job; nothing "
            "provides libtool-missing needed by tool-2.0-1.noarch") in result.stderr
    assert json.loads(result.stdout)["policy"] == "all"


def test_each_root_of_a_batch_is_solved_alone(run: Run, distro: Path,
                                              tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run("graph", "--repo", distro, "--arch", "x86_64", "podman*", "-O", out,
                 "-f", "json")
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in out.iterdir()) == [
        "podman-broken.json", "podman-docker.json", "podman.json"]
    for name in ("podman", "podman-docker"):
        doc = json.loads((out / f"{name}.json").read_text())
        assert doc["policy"] == "install"
        assert {n["id"] for n in doc["nodes"]} == dnf_install_set([distro], [name],
                                                                  arch="x86_64")


def test_capability_root_is_one_provider(run: Run, distro: Path) -> None:
    found = ours(run, distro, "/usr/bin/ls")
    assert len([n for n in found if n.startswith("coreutils")]) == 1


def test_unknown_arch_is_an_error(run: Run, distro: Path) -> None:
    result = run("graph", "--repo", distro, "--arch", "x86-64", "httpd")
    assert result.exit_code == 2
    assert "--arch 'x86-64' is not an architecture libsolv knows" in result.stderr


def test_root_of_another_arch_says_which(run: Run, distro: Path) -> None:
    result = run("graph", "--repo", distro, "--arch", "x86_64", "armonly")
    assert result.exit_code == 2
    assert result.stderr == ("rpmgraph: error: 'armonly' matches only packages for "
                             "aarch64, which x86_64 does not install (choose with --arch)\n")


def test_stats_and_check_fail_what_cannot_be_installed(run: Run, distro: Path,
                                                       tmp_path: Path) -> None:
    result = run("stats", "--repo", distro, "--arch", "x86_64", "tool", "--format", "json")
    assert result.exit_code == 0
    (doc,) = json.loads(result.stdout)["roots"]
    assert (doc["policy"], doc["installable"]) == ("all", False)
    assert "nothing provides libtool-missing" in doc["problems"][0]
    config = tmp_path / "rpmgraph.toml"
    config.write_text(f'repos = ["{distro}"]\narch = "x86_64"\n\n[[budget]]\n'
                      'roots = ["tool", "httpd"]\nmax-packages = 50\n')
    result = run("check", "--config", config)
    assert result.exit_code == 1, result.stdout
    assert ("FAIL budget 1: tool-2.0-1.noarch: cannot be installed: cannot install the best "
            "candidate for the job; nothing provides libtool-missing") in result.stdout
    assert "ok   budget 1: httpd-" in result.stdout


# A path dependency that one package provides by name and another as a file: primary.xml
# holds the name but not the file (createrepo lists /usr/share files only in filelists).
FILE_SPECS = [
    Spec(name="needs-data", requires=["/usr/share/thing/data"]),
    Spec(name="names-data", provides=["/usr/share/thing/data"]),
    Spec(name="owns-data", files={"/usr/share/thing/data": "data\n"}),
]


@pytest.fixture(scope="module")
def file_providers(tmp_path_factory: pytest.TempPathFactory) -> Path:
    repo = tmp_path_factory.mktemp("files") / "files"
    build_rpms(FILE_SPECS, repo)
    return make_repo(repo)


def test_a_path_provided_by_name_still_finds_its_file_owners(run: Run,
                                                             file_providers: Path) -> None:
    """dnf reads the file lists whatever primary.xml satisfies: both providers count."""
    found = ours(run, file_providers, "needs-data", "--policy", "all")
    theirs = dnf_repoquery_recursive([file_providers], "needs-data", arch="x86_64")
    assert {n.rsplit("-", 2)[0] for n in theirs} == {"names-data", "owns-data"}
    assert found == theirs | {n for n in found if n.startswith("needs-data-")}
