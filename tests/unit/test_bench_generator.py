"""benchmarks/generate.py: the synthetic distribution is deterministic and loads."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

import pytest

from tests.conftest import ROOT, load_script


@pytest.fixture(scope="module")
def generator() -> ModuleType:
    return load_script(ROOT / "benchmarks" / "generate.py", "bench_generate")


def _files(repo: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((repo / "repodata").iterdir())}


def test_same_seed_same_bytes(generator: ModuleType, tmp_path: Path) -> None:
    generator.generate(tmp_path / "a", packages=1500, seed=7)
    generator.generate(tmp_path / "b", packages=1500, seed=7)
    generator.generate(tmp_path / "c", packages=1500, seed=8)
    assert _files(tmp_path / "a") == _files(tmp_path / "b")
    assert _files(tmp_path / "a") != _files(tmp_path / "c")


def test_shape_of_the_distribution(generator: ModuleType, tmp_path: Path) -> None:
    pkgs = generator.generate(tmp_path / "r", packages=1500, seed=1)
    assert len(pkgs) >= 1500
    names = {p.name for p in pkgs}
    assert {"glibc", "bash", "python3", "httpd", "nginx"} <= names
    assert sum(n.startswith("openstack-") for n in names) >= 20
    provides = {d.name for p in pkgs for d in p.provides}
    assert any(c.endswith("()(64bit)") for c in provides)
    assert any(c.startswith("python3dist(") for c in provides)
    requires = [d for p in pkgs for d in p.requires]
    assert any(d.name.startswith("(") for d in requires)
    assert any(d.op == ">=" for d in requires) and any(d.pre for d in requires)
    assert any(p.epoch for p in pkgs)
    assert len(names) < len(pkgs)  # two builds of some packages


def test_rpmgraph_resolves_in_it(generator: ModuleType, tmp_path: Path) -> None:
    from rpmgraph.pool import Source, SourceKind, build_pool
    from rpmgraph.resolve import Policy, ResolveOptions, Resolver, find_roots

    repo = tmp_path / "r"
    generator.generate(repo, packages=1500, seed=1)
    loaded = build_pool([Source(SourceKind.REPO, repo)], "x86_64", None, None, print)
    assert all(r.has_filelists for r in loaded.repomd)  # some file dep needs them
    resolver = Resolver(loaded, ResolveOptions(policy=Policy.ALL), print)
    roots = find_roots(loaded, ["openstack-*-api"])
    graph = resolver.graph(roots[:1])
    assert 50 < graph.number_of_nodes() < 1000
    assert "glibc-2.39-5.fc40.x86_64" in graph
