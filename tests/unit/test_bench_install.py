"""benchmarks/bench.py under the install policy: what counts as dnf having solved a
request, the warm dnf loop's sample and extrapolation, and the policy of each row."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

import pytest

from tests.conftest import ROOT, SAMPLE_REPOS, load_script
from tests.support.dnf import dnf_available

ESSEX = SAMPLE_REPOS / "essex"


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    return load_script(ROOT / "benchmarks" / "bench.py", "bench_install")


def test_assumeno_exits_1_on_success(bench: ModuleType) -> None:
    assert bench.installed(1, b"Operation aborted.\n")
    assert bench.installed(0, b"")
    assert not bench.installed(1, b"Error: \n Problem: nothing provides unavailable-x\n")
    assert not bench.installed(1, b"Error: Unable to find a match: nope\n")
    assert not bench.installed(2, b"")


class FakeDnf:
    """Each root takes one second; roots ending in -bad cannot be installed."""

    def __init__(self, bench: ModuleType) -> None:
        self.bench = bench
        self.asked: list[str] = []

    def try_install(self, root: str) -> tuple[object, bool]:
        self.asked.append(root)
        return self.bench.Run(1.0, 100), not root.endswith("-bad")


def test_the_dnf_loop_is_a_seeded_sample_extrapolated(bench: ModuleType) -> None:
    roots = [f"openstack-p{i:03}-api" for i in range(100)] + ["openstack-x-bad"]
    dnf = FakeDnf(bench)
    loop = bench.DnfLoop(dnf, roots, 20, seed=1)
    assert len(loop.sample) == 20 and loop.sample == sorted(loop.sample)
    assert loop.sample == bench.DnfLoop(FakeDnf(bench), roots, 20, seed=1).sample
    assert loop.sample != bench.DnfLoop(FakeDnf(bench), roots, 20, seed=2).sample
    run = loop.once()
    assert dnf.asked == loop.sample
    assert run.seconds == pytest.approx(101.0)  # 20 s over 20 of 101 roots
    assert run.max_rss_kib == 100
    assert "20 of 101 roots" in loop.label()
    assert "the sum over 20 roots drawn with seed 1, times 5.05" in loop.note()


def test_a_sample_as_large_as_the_loop_is_the_loop(bench: ModuleType) -> None:
    roots = ["openstack-a-api", "openstack-b-bad"]
    for sample in (0, 2, 5):
        loop = bench.DnfLoop(FakeDnf(bench), roots, sample, seed=1)
        assert loop.sample == roots
    assert loop.once().seconds == 2.0
    assert "each of the 2 roots" in loop.label()
    assert loop.note() == ("dnf loop: every root, times 1.00; dnf could not install 1 of "
                           "them (it says why, as rpmgraph does)")


def test_the_root_is_one_dnf_can_install(bench: ModuleType) -> None:
    dnf = FakeDnf(bench)
    roots = ["openstack-a-api", "openstack-b-api", "openstack-c-bad", "openstack-d-bad"]
    assert bench.pick_root(dnf, roots) == "openstack-a-api"  # none in the 2nd half
    assert dnf.asked[:1] == ["openstack-c-bad"]
    roots = ["openstack-a-api", "openstack-b-x", "openstack-c-bad", "openstack-d-api"]
    assert bench.pick_root(FakeDnf(bench), roots) == "openstack-d-api"
    roots = ["openstack-a-api", "openstack-b-x", "openstack-c-x", "openstack-d-bad"]
    assert bench.pick_root(FakeDnf(bench), roots) == "openstack-c-x"  # not an -api


def test_the_table_says_each_rows_policy(bench: ModuleType) -> None:
    rows = [bench.Row("one root, warm", 0.2, 0.25, "dnf install --assumeno, warm", 1.0,
                      policy=bench.INSTALL, turns=(0.8, 0.9)),
            bench.Row("one root, warm, install against all", 0.3, 0.25,
                      "rpmgraph --policy all, same root, warm", 1.2, policy=bench.BOTH),
            bench.Row("  floor: libsolv parse alone, cold", 0.1, 0.5, "dnf, cold", None)]
    text = bench.table(rows)
    assert "| measurement | policy | rpmgraph |" in text
    assert "| one root, warm | install | 0.200 s | dnf install --assumeno, warm |" in text
    assert "| install / all | 0.300 s |" in text and "| 1.20x | <= 1.2x met |" in text
    assert "|   floor: libsolv parse alone, cold | - | 0.100 s |" in text
    assert "- one root, warm (install): turn by turn 0.80x-0.90x" in text


def test_bench_knows_the_generators_shapes(bench: ModuleType) -> None:
    generator = load_script(ROOT / "benchmarks" / "generate.py", "bench_shapes")
    assert bench.SHAPES == generator.SHAPES


def test_the_full_shape_lives_where_it_always_did(bench: ModuleType,
                                                  monkeypatch: pytest.MonkeyPatch,
                                                  tmp_path: Path) -> None:
    monkeypatch.setattr(bench, "DATA", tmp_path)
    for shape in bench.SHAPES:
        (tmp_path / ("distro-9-s3" + ("" if shape == "full" else f"-{shape}")) / "repodata"
         ).mkdir(parents=True)
    for folder in tmp_path.iterdir():
        (folder / "repodata" / "repomd.xml").write_text("<repomd/>")
    assert bench.ensure_repo(9, 3, "full") == tmp_path / "distro-9-s3"
    assert bench.ensure_repo(9, 3, "realistic") == tmp_path / "distro-9-s3-realistic"


def test_no_root_dnf_can_install_stops_the_bench(bench: ModuleType) -> None:
    with pytest.raises(SystemExit, match="dnf can install none"):
        bench.pick_root(FakeDnf(bench), ["openstack-a-bad", "openstack-b-bad"])


@pytest.mark.skipif(not dnf_available(), reason="needs dnf and root")
def test_dnf_install_against_rpmgraph_on_essex(bench: ModuleType, tmp_path: Path) -> None:
    """The real commands: dnf's transaction is rpmgraph's install graph, and a root dnf
    cannot install is told apart from one it can."""
    dnf = bench.Dnf(ESSEX, tmp_path)
    assert dnf.install("openstack-nova").seconds > 0
    assert not dnf.try_install("no-such-package")[1]
    ours = bench.Rpmgraph(tmp_path)
    ours.reset()
    said = bench.same_set(dnf, ours, ESSEX, "openstack-nova", tmp_path)
    assert said.startswith("rpmgraph's graph and dnf's transaction: the same "), said
