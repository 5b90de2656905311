"""What a new user trips on (issue 20, part 4): each test here failed before its fix."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import SAMPLE_REPOS, Run
from tests.support.rpmbuild import rpm_env

ESSEX = SAMPLE_REPOS / "essex"
OURS = Path(sys.executable).parent / "rpmgraph"


def test_mistyped_command_suggests_the_closest(run: Run) -> None:
    result = run("grpah", "--repo", ESSEX, "openstack-nova")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == ("rpmgraph: error: No such command 'grpah'; did you mean graph? "
                             "(see 'rpmgraph --help')\n")
    nothing_close = run("zzz")
    assert nothing_close.stderr == ("rpmgraph: error: No such command 'zzz' "
                                    "(see 'rpmgraph --help')\n")


@pytest.mark.parametrize("suffix", ["repodata", "repodata/"])
def test_repodata_folder_points_at_its_parent(run: Run, suffix: str) -> None:
    result = run("graph", "--repo", f"{ESSEX}/{suffix}", "openstack-nova")
    assert result.exit_code == 2
    assert result.stderr == (f"rpmgraph: error: {ESSEX}/repodata is the repodata folder of a "
                             f"repository: pass the folder above it, --repo {ESSEX}\n")


@pytest.mark.parametrize("args", [["graph", "-f", "json"], ["tree"], ["graph", "-f", "list"]])
def test_closed_pipe_ends_quietly_with_141(args: list[str]) -> None:
    """``rpmgraph ... | head``: once the reader has gone, stop without a word, with the
    status a shell reports for SIGPIPE (click's own handling exits 1, like a failure)."""
    read, write = os.pipe()
    os.close(read)  # the reader is gone before the first byte is written
    try:
        done = subprocess.run([str(OURS), *args[:1], "--repo", str(ESSEX), "openstack-nova",
                               *args[1:]], stdout=write, stderr=subprocess.PIPE, check=False)
    finally:
        os.close(write)
    assert (done.returncode, done.stderr) == (141, b"")


def test_list_format_is_sorted_nevras(run: Run, mini_repo: Path, tmp_path: Path) -> None:
    result = run("graph", "--repo", ESSEX, "openstack-keystone", "-f", "list")
    assert result.exit_code == 0, result.stderr
    doc = json.loads(run("graph", "--repo", ESSEX, "openstack-keystone", "-f", "json").stdout)
    assert result.stdout.splitlines() == sorted(n["id"] for n in doc["nodes"])
    out = tmp_path / "app.list"  # chosen by the extension too; alternatives are not listed
    assert run("graph", "--repo", mini_repo, "app", "--show-alternatives", "-o", out
               ).exit_code == 0
    listed = out.read_text().splitlines()
    assert "web-a-1.0-1.noarch" in listed and "web-b-1.0-1.noarch" not in listed
    assert listed == sorted(listed)


def test_diff_exit_code(run: Run) -> None:
    changed = ("diff", "--old-repo", ESSEX, "--new-repo", SAMPLE_REPOS / "folsom",
               "openstack-keystone")
    assert run(*changed).exit_code == 0
    assert run(*changed, "--exit-code").exit_code == 1
    same = ("diff", "--old-repo", ESSEX, "--new-repo", ESSEX, "openstack-keystone")
    assert run(*same, "--exit-code").exit_code == 0
    assert "--exit-code" in run("diff", "--help").stdout


def test_unmatched_exclude_and_stop_at_globs_are_warned(run: Run) -> None:
    result = run("tree", "--repo", ESSEX, "openstack-keystone", "--exclude", "pyhton-*",
                 "--stop-at", "glibc*", "--stop-at", "python-eventlet-0.9.15-1.fc17.noarch",
                 "--stop-at", "Bash")
    assert result.exit_code == 0
    assert result.stderr == (
        "rpmgraph: warning: --exclude 'pyhton-*' matches no package in the sources, so it "
        "changes nothing (globs match names or NEVRAs, case-sensitively)\n"
        "rpmgraph: warning: --stop-at 'Bash' matches no package in the sources, so it "
        "changes nothing (globs match names or NEVRAs, case-sensitively)\n")


def test_kinds_dnf_never_installs_are_warned_under_install(run: Run, mini_repo: Path) -> None:
    result = run("graph", "--repo", mini_repo, "app", "--kinds", "requires,suggests",
                 "-f", "list")
    assert result.exit_code == 0
    assert result.stderr == (
        "rpmgraph: warning: --kinds suggests: dnf never installs Suggests or Enhances, so "
        "under --policy install they add nothing; --policy all follows them\n")
    followed = run("graph", "--repo", mini_repo, "app", "--kinds", "requires,suggests",
                   "--policy", "all", "-f", "list")
    assert followed.stderr == "" and "docs-1.0-1.noarch" in followed.stdout


def _source_rpms(folder: Path, names: list[str]) -> None:
    top = folder.parent / "rpmbuild"
    for name in names:
        spec = top / f"{name}.spec"
        spec.parent.mkdir(parents=True, exist_ok=True)
        spec.write_text(f"Name: {name}\nVersion: 1.0\nRelease: 1\nSummary: s\nLicense: MIT\n"
                        f"BuildArch: noarch\n%description\nd\n%files\n")
        subprocess.run(["rpmbuild", "-bs", "--define", f"_topdir {top}", "--define",
                        f"_srcrpmdir {folder}", str(spec)], env=rpm_env(top), check=True,
                       capture_output=True)


def test_folder_of_source_packages_says_so(run: Run, tmp_path: Path) -> None:
    folder = tmp_path / "SRPMS"
    folder.mkdir()
    _source_rpms(folder, ["one", "two"])
    result = run("graph", "--rpm", folder, "one")
    assert result.exit_code == 2
    assert result.stderr == (
        f"rpmgraph: error: the 2 .rpm files in {folder} are source packages (.src.rpm); a "
        "graph needs the binary packages built from them (rpmbuild, then --rpm "
        "~/rpmbuild/RPMS/), or a --repo of binary packages\n")


def test_show_alternatives_flags_them_in_every_text_format(run: Run, mini_repo: Path) -> None:
    """A provider the solver did not pick is marked as such, not listed as installed."""
    args = ("graph", "--repo", mini_repo, "cond", "--show-alternatives")
    doc = json.loads(run(*args, "-f", "json").stdout)
    flagged = {n["id"] for n in doc["nodes"] if n.get("alternative")}
    assert flagged == {"tool-1.0-1.noarch"}
    (edge,) = (e for e in doc["edges"] if e["target"] == "tool-1.0-1.noarch")
    assert edge["alternative"] == "condition not met: docs"
    assert "alternative" not in json.loads(run("graph", "--repo", mini_repo, "cond", "-f",
                                               "json").stdout)["nodes"][0]
    tree = run("tree", "--repo", mini_repo, "cond", "--show-alternatives").stdout
    assert "tool-1.0-1.noarch (alternative: condition not met: docs)" in tree
    graphml = run(*args, "-f", "graphml").stdout
    assert 'attr.name="alternative"' in graphml


def test_the_base_note_counts_no_alternatives(run: Run, mini_repo: Path) -> None:
    """cond's graph shows tool as an alternative; app installs tool itself: tool does not
    come with the base."""
    doc = json.loads(run("graph", "--repo", mini_repo, "app", "--base", "cond",
                         "--show-alternatives", "-f", "json").stdout)
    assert doc["notes"][0] == "2 packages come with the base"


def test_picture_titles_and_boxes(run: Run, tmp_path: Path) -> None:
    """cycles over every package has a title that says so; a source package of one
    binary package gets no box of its own; a long note is wrapped, not one wide line."""
    from rpmgraph.depgraph import add_package, new_graph
    from rpmgraph.render.dot import to_dot
    from rpmgraph.render.style import Style
    from tests.render.graphs import package

    cycles = run("cycles", "--repo", ESSEX, "-f", "dot").stdout
    assert "every package of the sources" in cycles and "(no roots)" not in cycles
    clustered = run("graph", "--repo", ESSEX, "openstack-nova", "--cluster", "srpm",
                    "-f", "dot").stdout
    assert 'cluster_srpm_openstack-nova"' in clustered  # openstack-nova, python-nova
    assert 'cluster_srpm_bash"' not in clustered  # one package: no box
    graph = new_graph("all", ["synthetic"], [])
    graph.graph["roots"] = [add_package(graph, package("a"))]
    graph.graph["notes"] = ["word " * 100]
    text = to_dot(graph, Style())
    title = text[text.index('label="') + 7:].split('"', 1)[0]
    assert max(len(line) for line in title.split("\\n")) <= 100 < len(title)


def test_a_long_warning_is_cut_with_a_count() -> None:
    from rpmgraph.cli.base import one_line

    line = one_line("x" * 4000)
    assert line == "x" * 500 + "... (3500 more characters)"
    assert one_line("a\nb\x1bc") == "a b c"


def test_the_legend_explains_the_red_border(run: Run, mini_repo: Path) -> None:
    text = run("graph", "--repo", mini_repo, "broken", "--policy", "all", "-f", "dot").stdout
    swatch = text[text.index('"legend:role:incomplete"'):].split(";", 1)[0]
    assert 'label="needs what nothing provides"' in swatch
    assert 'color="#cc0000"' in swatch and "penwidth=2" in swatch


def test_a_diff_legend_lists_only_the_colours_in_use() -> None:
    """Every dependency of the root is new: filled green as added, none blue as direct."""
    from rpmgraph.depgraph import add_dependency, add_package, new_graph
    from rpmgraph.model import Dependency, Kind
    from rpmgraph.render.dot import to_dot
    from rpmgraph.render.style import Style
    from tests.render.graphs import package

    graph = new_graph("install", ["synthetic"], [])
    root = add_package(graph, package("top"))
    new = add_package(graph, package("newdep"))
    graph.graph["roots"] = [root]
    graph.nodes[new]["status"] = "added"
    add_dependency(graph, root, new, Dependency(Kind.REQUIRES, "newdep"))
    text = to_dot(graph, Style())
    assert '"legend:status:added"' in text and '"legend:role:root"' in text
    assert '"legend:role:direct"' not in text
