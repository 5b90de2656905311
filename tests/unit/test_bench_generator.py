"""benchmarks/generate.py: the synthetic distribution is deterministic and loads."""

from __future__ import annotations

import gzip
import hashlib
import re
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


def test_the_full_shape_is_what_it_was(generator: ModuleType, tmp_path: Path) -> None:
    """The default output stays byte for byte what earlier figures were measured on."""
    generator.generate(tmp_path / "r", packages=1500, seed=7)
    digest = hashlib.sha256((tmp_path / "r" / "repodata" / "repomd.xml").read_bytes())
    assert digest.hexdigest() == (
        "d6a358b92c70f49580a2007062d14a75f3f94b8f02406b601f716f0603eba575")


def _filelists(repo: Path) -> dict[str, list[str]]:
    """Each package's files in filelists.xml, by pkgid."""
    text = gzip.decompress(next((repo / "repodata").glob("*-filelists.xml.gz")).read_bytes())
    return {m[1]: re.findall(r"<file>([^<]*)</file>", m[2])
            for m in re.finditer(r'<package pkgid="(\w+)"[^>]*>(.*?)</package>',
                                 text.decode())}


def test_the_realistic_shape_keeps_few_file_lists(generator: ModuleType,
                                                   tmp_path: Path) -> None:
    full = generator.generate(tmp_path / "full", packages=1500, seed=7)
    few = generator.generate(tmp_path / "few", packages=1500, seed=7, shape="realistic")
    generator.generate(tmp_path / "again", packages=1500, seed=7, shape="realistic")
    assert _files(tmp_path / "few") == _files(tmp_path / "again")
    # the same packages, the same primary.xml and other.xml: only filelists.xml differs
    assert [p.pkgid for p in few] == [p.pkgid for p in full]
    same = set(_files(tmp_path / "full").items()) & set(_files(tmp_path / "few").items())
    assert sorted(name.split("-", 1)[1] for name, _ in same) == ["other.xml.gz",
                                                                 "primary.xml.gz"]
    lists, full_lists = _filelists(tmp_path / "few"), _filelists(tmp_path / "full")
    beyond_primary = [p for p in few if set(lists[p.pkgid]) - set(p.primary_files)]
    assert len(beyond_primary) < 0.2 * len(few)
    assert sum(map(len, lists.values())) < 0.5 * sum(map(len, full_lists.values()))
    # every file a dependency names is still listed
    listed = {f for files in lists.values() for f in files}
    wanted = {d.name for p in full for d in p.requires if d.name.startswith("/")}
    assert wanted and wanted <= listed


def test_the_realistic_shape_draws_the_same_graph(generator: ModuleType,
                                                  tmp_path: Path) -> None:
    from rpmgraph.pool import Source, SourceKind, build_pool
    from rpmgraph.resolve import Policy, ResolveOptions, Resolver, find_roots

    graphs = []
    for shape in generator.SHAPES:
        repo = tmp_path / shape
        generator.generate(repo, packages=1500, seed=1, shape=shape)
        loaded = build_pool([Source(SourceKind.REPO, repo)], "x86_64", None, None, print)
        for policy in Policy:
            resolver = Resolver(loaded, ResolveOptions(policy=policy), print)
            roots = find_roots(loaded, ["openstack-*-api"])
            graph = resolver.graph(roots[:2])
            graphs.append((shape, policy, sorted(graph.nodes), graph.number_of_edges()))
    half = len(graphs) // 2
    assert [g[2:] for g in graphs[:half]] == [g[2:] for g in graphs[half:]]


def test_an_unknown_shape_is_refused(generator: ModuleType, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="shape must be one of full, realistic"):
        generator.generate(tmp_path / "r", packages=1500, shape="fedora")
