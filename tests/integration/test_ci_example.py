"""The CI examples run as written: the GitHub Actions job's rpmgraph commands and the
pre-commit hook's entry, on this repository's gate over the Essex sample repository."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

from tests.conftest import ROOT, SAMPLE_REPOS

WORKFLOW = ROOT / ".github" / "workflows" / "rpmgraph.yml"
HOOKS = ROOT / ".pre-commit-hooks.yaml"
GATE = ROOT / ".github" / "rpmgraph.toml"
LOCK = ROOT / ".github" / "rpmgraph.lock.json"
GATE_ROOTS = ["openstack-nova", "openstack-glance", "openstack-keystone",
              "openstack-dashboard"]


def workdir(tmp_path: Path) -> Path:
    """A checkout-like folder whose outputs (the JUnit file) stay out of the repository."""
    for name in (".github", "sample_repos", ".venv"):
        (tmp_path / name).symlink_to(ROOT / name)
    return tmp_path


def shell(command: str, cwd: Path, summary: Path) -> subprocess.CompletedProcess[str]:
    venv_bin = str(Path(sys.executable).parent)
    env = {**os.environ, "GITHUB_STEP_SUMMARY": str(summary),
           "PATH": f"{venv_bin}:{os.environ.get('PATH', '')}"}
    return subprocess.run(["bash", "-c", command], cwd=cwd, env=env, capture_output=True,
                          text=True, check=False)


def workflow_commands() -> list[str]:
    return re.findall(r"^\s+run: (.*rpmgraph check.*)$", WORKFLOW.read_text(), re.M)


def test_readme_shows_the_workflow_and_the_hook() -> None:
    readme = ROOT.joinpath("README.md").read_text()
    assert WORKFLOW.read_text() in readme
    assert "id: rpmgraph-check" in readme and "entry: rpmgraph check" in readme


def test_the_workflow_commands_pass_on_the_sample(tmp_path: Path) -> None:
    folder = workdir(tmp_path)
    summary = tmp_path / "summary.md"
    commands = workflow_commands()
    assert len(commands) == 2
    for command in commands:
        result = shell(command, folder, summary)
        assert result.returncode == 0, command + result.stdout + result.stderr
    suite = ET.parse(folder / "rpmgraph-junit.xml").getroot()
    assert (suite.get("tests"), suite.get("failures")) == ("16", "0")  # 4 roots x 4 limits
    assert summary.read_text().startswith("### rpmgraph: all 16 budget checks passed")


def test_the_pre_commit_hook_entry_passes(tmp_path: Path) -> None:
    entry = re.search(r"^\s+entry: (.*)$", HOOKS.read_text(), re.M)
    assert entry is not None
    result = shell(f"{entry.group(1)} --config .github/rpmgraph.toml", workdir(tmp_path),
                   tmp_path / "summary.md")
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_committed_baseline_is_current(tmp_path: Path) -> None:
    """What --update-baseline would write now is what is committed."""
    command = ["snapshot", "--repo", "../sample_repos/essex", *GATE_ROOTS]
    result = subprocess.run([str(Path(sys.executable).parent / "rpmgraph"), *command],
                            cwd=ROOT / ".github", capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout == LOCK.read_text()


def test_the_gate_stops_the_folsom_upgrade(tmp_path: Path) -> None:
    """The same budgets and baseline against Folsom: nova gained packages, the gate fails."""
    config = tmp_path / "rpmgraph.toml"
    text = GATE.read_text().replace('"../sample_repos/essex"', f'"{SAMPLE_REPOS / "folsom"}"')
    config.write_text(text.replace('"rpmgraph.lock.json"', f'"{LOCK}"'))
    result = shell(f"rpmgraph check --config {shlex.quote(str(config))}", tmp_path,
                   tmp_path / "summary.md")
    assert result.returncode == 1, result.stderr
    assert ("FAIL budget 1: openstack-nova-2012.2-1.fc18.noarch: max-new-packages 0:"
            in result.stdout)
    assert "+ openstack-nova-compute-2012.2-1.fc18.noarch: openstack-nova -> " \
        "openstack-nova-compute\n" in result.stdout
