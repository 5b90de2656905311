"""yum/dnf .repo files: substitutions, enabling and disabling, mirror lists, metalinks."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from rpmgraph.errors import SourceError
from rpmgraph.sources.repofiles import RepoVars, read_repofile, select
from tests.conftest import SAMPLE_REPOS, Run
from tests.remote.conftest import RepoServer
from tests.remote.test_remote import graph, without_sources


@pytest.fixture
def local(run: Run, tmp_path: Path) -> dict[str, object]:
    return graph(run, "--repo", SAMPLE_REPOS / "essex", "--cachedir", tmp_path / "local")


def _served_as(server: RepoServer, path: str) -> None:
    target = server.root / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.symlink_to(server.root / "essex")


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "test.repo"
    path.write_text(text)
    return path


def test_repofile_with_substitutions(run: Run, repo_server: RepoServer, tmp_path: Path,
                                     local: dict[str, object]) -> None:
    _served_as(repo_server, "17/x86_64/os")
    repofile = _write(tmp_path, f"""
[fedora]
name=Fedora $releasever - $basearch
baseurl={repo_server.base}/$releasever/${{basearch}}/os/
enabled=1

[updates]
name=never enabled
baseurl={repo_server.base}/nowhere/$releasever/$arch/
enabled=0
""")
    doc = graph(run, "--repofile", repofile, "--releasever", "17", "--arch", "x86_64",
                "--cachedir", tmp_path / "c")
    assert without_sources(doc) == without_sources(local) | {"nodes": [
        n | {"repo": "fedora"} for n in local["nodes"]]}  # type: ignore[attr-defined]
    assert doc["sources"] == [f"repo:fedora={repo_server.base}/17/x86_64/os/"]
    enabled = run("graph", "--repofile", repofile, "--releasever", "17", "--arch", "x86_64",
                  "--cachedir", tmp_path / "c", "--enablerepo", "upd*", "openstack-nova")
    assert enabled.exit_code == 2
    assert f"{repo_server.base}/nowhere/17/x86_64/repodata/repomd.xml" in enabled.stderr
    none = run("graph", "--repofile", repofile, "--releasever", "17", "--disablerepo", "*",
               "openstack-nova")
    assert none.exit_code == 2 and "no enabled repository in" in none.stderr


def test_reposdir_and_mirrorlist_tried_in_order(run: Run, repo_server: RepoServer,
                                                tmp_path: Path,
                                                local: dict[str, object]) -> None:
    (repo_server.root / "mirrors.txt").write_text(
        f"# first a dead mirror, then a good one\n{repo_server.base}/gone/\n"
        f"{repo_server.base}/essex/\n")
    folder = tmp_path / "repos.d"
    folder.mkdir()
    (folder / "essex.repo").write_text(
        f"[essex]\nname=Essex\nmirrorlist={repo_server.base}/mirrors.txt\n")
    (folder / "ignored.txt").write_text("[not-a-repo-file]\nbaseurl=http://x/\n")
    doc = graph(run, "--reposdir", folder, "--cachedir", tmp_path / "c")
    assert [n["id"] for n in doc["nodes"]] == [  # type: ignore[attr-defined]
        n["id"] for n in local["nodes"]]  # type: ignore[attr-defined]
    assert "/gone/repodata/repomd.xml" in repo_server.log


def test_metalink(run: Run, repo_server: RepoServer, tmp_path: Path,
                  local: dict[str, object]) -> None:
    repomd = (repo_server.root / "essex/repodata/repomd.xml").read_bytes()
    good = hashlib.sha256(repomd).hexdigest()
    (repo_server.root / "metalink.xml").write_text(f"""<?xml version="1.0" encoding="utf-8"?>
<metalink version="3.0" xmlns="http://www.metalinker.org/">
 <files><file name="repomd.xml"><verification><hash type="sha256">{good}</hash></verification>
  <resources>
   <url protocol="http" preference="90">{repo_server.base}/essex/repodata/repomd.xml</url>
   <url protocol="http" preference="100">{repo_server.base}/gone/repodata/repomd.xml</url>
  </resources></file></files></metalink>""")
    repofile = _write(tmp_path, f"[essex]\nmetalink={repo_server.base}/metalink.xml\n")
    doc = graph(run, "--repofile", repofile, "--cachedir", tmp_path / "c")
    assert [n["id"] for n in doc["nodes"]] == [  # type: ignore[attr-defined]
        n["id"] for n in local["nodes"]]  # type: ignore[attr-defined]
    assert repo_server.log.index("/gone/repodata/repomd.xml") < repo_server.log.index(
        "/essex/repodata/repomd.xml"), "the preferred mirror first"


def test_metalink_refuses_an_outdated_mirror(run: Run, repo_server: RepoServer,
                                             tmp_path: Path) -> None:
    (repo_server.root / "metalink.xml").write_text(f"""<?xml version="1.0"?>
<metalink xmlns="http://www.metalinker.org/"><files><file name="repomd.xml">
<verification><hash type="sha256">{"0" * 64}</hash></verification><resources>
<url protocol="http">{repo_server.base}/essex/repodata/repomd.xml</url></resources>
</file></files></metalink>""")
    repofile = _write(tmp_path, f"[essex]\nmetalink={repo_server.base}/metalink.xml\n")
    result = run("graph", "--repofile", repofile, "--cachedir", tmp_path / "c",
                 "openstack-nova")
    assert result.exit_code == 2 and "does not match the metalink" in result.stderr


def test_unknown_variable_and_bad_files(tmp_path: Path) -> None:
    repofile = _write(tmp_path, "[r]\nbaseurl=http://example.org/$releasever/$nosuch/\n")
    with pytest.raises(SourceError, match=r"unknown variable \$nosuch"):
        read_repofile(repofile, RepoVars.make("x86_64", "40"))
    with pytest.raises(SourceError, match=r"\[r\]: no baseurl, mirrorlist or metalink"):
        read_repofile(_write(tmp_path, "[r]\nname=x\n"), RepoVars.make("x86_64", "40"))
    with pytest.raises(SourceError, match="cannot read repository file"):
        read_repofile(_write(tmp_path, "baseurl=before any section\n"),
                      RepoVars.make("x86_64", "40"))


def test_enable_and_disable_globs(tmp_path: Path) -> None:
    repofile = _write(tmp_path, "".join(
        f"[{name}]\nbaseurl=http://example.org/{name}/\nenabled={on}\n"
        for name, on in [("fedora", 1), ("updates", 1), ("updates-testing", 0),
                         ("fedora-debuginfo", 0)]))
    configs = read_repofile(repofile, RepoVars.make("aarch64", "40"))

    def names(enable: tuple[str, ...] = (), disable: tuple[str, ...] = ()) -> list[str | None]:
        return [s.name for s in select(configs, enable, disable)]

    assert names() == ["fedora", "updates"]
    assert names(("*-testing",)) == ["fedora", "updates", "updates-testing"]
    assert names(("updates-testing",), ("*",)) == ["updates-testing"]
    assert names(disable=("fedora,updates",)) == []
    with pytest.raises(SourceError, match="--enablerepo nope: no such repository"):
        names(("nope",))


def test_quiet_silences_warnings(run: Run, mini_repo: Path) -> None:
    loud = run("graph", "--repo", mini_repo, "broken", "-f", "json")
    assert loud.exit_code == 0 and "rpmgraph: warning:" in loud.stderr
    quiet = run("-q", "graph", "--repo", mini_repo, "broken", "-f", "json")
    assert quiet.exit_code == 0 and quiet.stderr == ""
    assert quiet.stdout == loud.stdout
