"""Every source and every compression gives the same graph; output is deterministic."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest

from tests.conftest import Run
from tests.support.repomd_edit import reverse_packages, rewrite
from tests.support.rpmbuild import install_into_rpmdb, make_repo


def graph_json(run: Run, *args: object) -> dict[str, object]:
    result = run("graph", *args, "-f", "json")
    assert result.exit_code == 0, result.stderr
    doc: dict[str, object] = json.loads(result.stdout)
    return doc


def shape(doc: dict[str, object]) -> tuple[list[str], list[object], list[object]]:
    """Nodes, edges and unresolved marks: what must not depend on where packages came from."""
    nodes = [n["id"] for n in doc["nodes"]]  # type: ignore[attr-defined]
    return nodes, doc["edges"], doc["unresolved"]  # type: ignore[return-value]


@pytest.mark.parametrize("compress", ["xz", "bz2", "zst", ""])
def test_every_metadata_compression_gives_the_same_graph(
        run: Run, mini_repo: Path, tmp_path: Path, compress: str) -> None:
    repo = tmp_path / "mini"
    shutil.copytree(mini_repo, repo)
    for kind in ("primary", "filelists"):
        rewrite(repo, kind, compress=compress)
    expected = graph_json(run, "--repo", mini_repo, "app", "--policy", "all")
    assert shape(graph_json(run, "--repo", repo, "app", "--policy", "all")) == shape(expected)


def test_createrepo_xz_and_bz2(run: Run, mini_rpms: Path, tmp_path: Path) -> None:
    expected = shape(graph_json(run, "--rpm", mini_rpms, "app", "--policy", "all"))
    for compress in ("xz", "bz2"):
        repo = tmp_path / compress
        shutil.copytree(mini_rpms, repo)
        make_repo(repo, compress=compress)
        assert shape(graph_json(run, "--repo", repo, "app", "--policy", "all")) == expected


def test_rpm_files_match_the_repository(run: Run, mini_repo: Path, mini_rpms: Path) -> None:
    for root in ("app", "broken", "plugin"):
        from_repo = graph_json(run, "--repo", mini_repo, root, "--policy", "all")
        from_rpms = graph_json(run, "--rpm", mini_rpms, root, "--policy", "all")
        assert shape(from_rpms) == shape(from_repo)


def _tree_digest(root: Path) -> dict[str, tuple[str, int]]:
    """Content and mtime of every file, except SQLite's shared-memory index (``-shm``):
    every reader of a WAL database writes its read marks there, rpm -q included."""
    return {str(p.relative_to(root)): (hashlib.sha256(p.read_bytes()).hexdigest(),
                                       p.stat().st_mtime_ns)
            for p in sorted(root.rglob("*")) if p.is_file() and not p.name.endswith("-shm")}


def test_installed_database_matches_the_repository(run: Run, mini_repo: Path, mini_rpms: Path,
                                                   tmp_path: Path) -> None:
    """The newest build of each package, installed into a real rpm database."""
    rpms = [p for p in sorted(mini_rpms.glob("*.rpm"))
            if not p.name.startswith(("lib-1.0", "foreign"))]
    root = tmp_path / "root"
    install_into_rpmdb(root, rpms)
    before = _tree_digest(root)
    installed = graph_json(run, "--installed", "--root", root, "--dbpath", "/var/lib/rpm", "app")
    assert installed["policy"] == "all", "the installed database alone answers with its own"
    assert {n["repo"] for n in installed["nodes"]} == {"@System"}  # type: ignore[attr-defined]
    expected = graph_json(run, "--repo", mini_repo, "app", "--policy", "all")
    assert shape(installed) == shape(expected)
    assert _tree_digest(root) == before, "reading the rpm database must not change it"


def test_shuffled_metadata_gives_byte_identical_output(run: Run, mini_repo: Path,
                                                       tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    shuffled = tmp_path / "shuffled" / "mini"
    shutil.copytree(mini_repo, shuffled)
    rewrite(shuffled, "primary", reverse_packages)
    rewrite(shuffled, "filelists", reverse_packages)
    outputs = []
    for parent in (mini_repo.parent, shuffled.parent):
        monkeypatch.chdir(parent)  # same relative path, so the sources line matches too
        for fmt in ("dot", "json"):
            for policy in ("install", "all"):
                result = run("graph", "--repo", "mini", "app", "web-*", "-f", fmt,
                             "--policy", policy)
                assert result.exit_code == 0
                outputs.append(result.stdout_bytes)
    half = len(outputs) // 2
    assert outputs[:half] == outputs[half:]
