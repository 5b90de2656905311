"""The gate as a library: closures measured, lock files, diffs and budget checks asked of
``rpmgraph.load`` by a script, and answered as the command line answers them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import rpmgraph
from rpmgraph.api import Resolution
from rpmgraph.checks.config import Config, load_config
from rpmgraph.checks.run import CheckReport, run_check
from rpmgraph.checks.snapshot import BaselineError, read_baseline
from tests.conftest import SAMPLE_REPOS, Run

ESSEX, GRIZZLY = SAMPLE_REPOS / "essex", SAMPLE_REPOS / "grizzly"
NOVA = "openstack-nova-2012.1-6.fc17.noarch"


@pytest.fixture(scope="module")
def essex() -> rpmgraph.Universe:
    return rpmgraph.load(repos=[ESSEX], arch="x86_64")


@pytest.fixture(scope="module")
def grizzly() -> rpmgraph.Universe:
    return rpmgraph.load(repos=[GRIZZLY], arch="x86_64")


def test_measure_gives_stats_closure_and_chains(essex: rpmgraph.Universe) -> None:
    (nova,) = essex.measure(["openstack-nova"], top=3)
    assert (nova.key, nova.asked, nova.stats.root) == ("openstack-nova", NOVA, NOVA)
    assert nova.stats == essex.stats(["openstack-nova"], top=3)[0]
    members = {m.id for m in nova.closure.members}
    assert members == {p.nevra for p in essex.graph(["openstack-nova"]).packages()}
    assert len(members) == nova.stats.packages and len(nova.stats.top) == 3
    greenlet = "python-greenlet-0.3.1-9.fc17.x86_64"
    path = nova.path(greenlet)
    assert (path[0], path[-1]) == (NOVA, greenlet)
    assert [s.target for s in essex.why("openstack-nova", "python-greenlet").chains()[0]] == \
        list(path[1:])  # a shortest chain, as why finds it


def test_resolution_is_the_question_asked(essex: rpmgraph.Universe) -> None:
    (install,) = essex.measure(["openstack-nova"])
    (every,) = essex.measure(["openstack-nova"], Resolution(policy="all"))
    assert (install.stats.policy, every.stats.policy) == ("install", "all")
    assert every.closure.policy == "all"
    with pytest.raises(rpmgraph.RpmgraphError, match="unknown dependency kind 'wants'"):
        essex.measure(["openstack-nova"], Resolution(kinds=("wants",)))


def test_snapshot_is_the_lock_file_the_command_writes(essex: rpmgraph.Universe, run: Run,
                                                      tmp_path: Path) -> None:
    snapshot = essex.snapshot(["openstack-nova", "openstack-keystone"])
    assert (snapshot.policy, snapshot.sources) == ("install", (f"repo:{ESSEX}",))
    written = run("snapshot", "--repo", ESSEX, "--arch", "x86_64", "openstack-nova",
                  "openstack-keystone")
    assert written.exit_code == 0, written.stderr
    assert snapshot.text() == written.stdout
    lock = tmp_path / "lock.json"
    snapshot.write(lock)
    closures = read_baseline(lock)
    assert sorted(closures) == ["openstack-keystone", "openstack-nova"]
    assert closures == {m.key: m.closure for m in snapshot.roots}
    named = essex.snapshot(["openstack-nova"], sources=["repo:essex"])
    assert json.loads(named.text())["sources"] == ["repo:essex"]


def test_diff_between_universes_and_against_a_lock_file(
        essex: rpmgraph.Universe, grizzly: rpmgraph.Universe, run: Run,
        tmp_path: Path) -> None:
    report = grizzly.diff(["openstack-nova"], essex)
    cli = run("diff", "--old-repo", ESSEX, "--new-repo", GRIZZLY, "--arch", "x86_64",
              "openstack-nova", "-f", "json")
    assert cli.exit_code == 0, cli.stderr
    assert report.render("json").decode() == cli.stdout
    assert report.differs and report.diff.roots[0].startswith("openstack-nova-2013")
    assert report.diff.old_roots == (NOVA,)
    assert {c.name for c in report.diff.changed} >= {"python-nova"}
    lock = tmp_path / "essex.lock.json"
    essex.snapshot(["openstack-nova"]).write(lock)
    by_lock = grizzly.diff(["openstack-nova"], lock)
    assert (by_lock.diff.added, by_lock.diff.removed, by_lock.diff.changed) == (
        report.diff.added, report.diff.removed, report.diff.changed)
    assert by_lock.render("svg").lstrip().startswith(b"<?xml")
    assert not essex.diff(["openstack-nova"], essex).differs
    with pytest.raises(BaselineError, match="has no entry for openstack-keystone"):
        grizzly.diff(["openstack-keystone"], lock)
    with pytest.raises(rpmgraph.RenderError, match="unknown format 'gif'"):
        report.render("gif")


def _config(folder: Path, budget: str, baseline: str = "") -> Path:
    path = folder / "rpmgraph.toml"
    path.write_text(f'repos = ["{ESSEX}"]\narch = "x86_64"\n{baseline}'
                    f'[[budget]]\nroots = ["openstack-nova", "openstack-keystone"]\n{budget}\n')
    return path


def test_check_runs_a_config(essex: rpmgraph.Universe, tmp_path: Path) -> None:
    (nova,) = essex.measure(["openstack-nova"])
    size = nova.stats.packages
    held = run_check(_config(tmp_path, f"max-packages = {size}"))
    assert isinstance(held, CheckReport) and held.ok and held.failed == ()
    assert {o.root for o in held.outcomes} == {NOVA, "openstack-keystone-2012.1-3.fc17.noarch"}
    report = run_check(_config(tmp_path, f"max-packages = {size - 1}\nforbid = ['python-nova']"))
    assert not report.ok
    assert [(o.root, o.limit, o.excess) for o in report.failed] == [
        (NOVA, "max-packages", 1), (NOVA, "forbid", 1)]
    assert report.failed[1].culprits[0].path_names == ("openstack-nova", "python-nova")
    assert report.render("text") == essex.check(
        _config_read(tmp_path)).render("text")  # loaded here or by the runner: one answer
    assert report.render("junit").startswith("<?xml")


def _config_read(folder: Path) -> Config:
    return load_config(folder / "rpmgraph.toml")


def test_check_updates_its_baseline(tmp_path: Path) -> None:
    path = _config(tmp_path, "max-new-packages = 0", 'baseline = "base.lock.json"\n')
    with pytest.raises(BaselineError, match="does not exist"):
        run_check(path)
    assert run_check(path, update_baseline=True).ok
    doc = json.loads((tmp_path / "base.lock.json").read_text())
    assert (doc["policy"], doc["sources"]) == ("install", [f"repo:{ESSEX}"])
    assert sorted(doc["roots"]) == ["openstack-keystone", "openstack-nova"]


def test_lock_files_name_this_machines_rpm_database_plainly() -> None:
    from rpmgraph.checks.snapshot import lock_sources
    from rpmgraph.sources.rpmdb import database_dir

    here = f"installed:{database_dir(None, None)}"
    image = f"installed:{database_dir(Path('/srv/image'), None)}"
    assert lock_sources(["repo:sample_repos/essex", here, image]) == (
        "repo:sample_repos/essex", "installed", image)
