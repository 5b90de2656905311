"""``rpmdep``: rpmorphan's command line over an installed rpm database.

The 2012 loop runs verbatim in a shell against an rpm database holding the Essex
sample's packages (pointed at through RPMGRAPH_RPMDEP_ROOT and RPMGRAPH_RPMDEP_DBPATH),
and its DOT files go through Graphviz; the rest checks the option parsing and the
messages, one by one, on small databases.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import rpmgraph
from rpmgraph.cli.rpmdep import dot_text, run
from tests.conftest import SAMPLE_REPOS
from tests.support.rpmbuild import RPMDB_DBPATH, install_into_rpmdb

ESSEX = SAMPLE_REPOS / "essex"
BIN = Path(sys.executable).parent
EDGE_LINE = re.compile(r"^[A-Za-z0-9_]+ -> [A-Za-z0-9_]+;$")
SEED_LOOP = ("for pkg in nova glance keystone quantum; do rpmdep -dot $pkg.dot "
             "openstack-$pkg; dot -Tsvg $pkg.dot -o $pkg.svg; done")


@pytest.fixture(scope="module")
def essex_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An rpm database holding the Essex sample: the newest build of each package, as a
    system holds one (two python-eventlet builds would conflict on their files)."""
    newest = rpmgraph.load(repos=[ESSEX]).graph(["*"], "all").packages()
    root = tmp_path_factory.mktemp("essex-rpmdb")
    install_into_rpmdb(root, [ESSEX / "Packages" / f"{p.name}-{p.version}-{p.release}."
                              f"{p.arch}.rpm" for p in newest])
    return root


@pytest.fixture(scope="module")
def mini_root(mini_rpms: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("mini-rpmdb")
    names = ["broken", "lib-2.0", "libcore", "lonely", "cond", "tool", "shell"]
    install_into_rpmdb(root, [mini_rpms / f"{n}{'' if '-' in n else '-1.0'}-1.noarch.rpm"
                              for n in names])
    return root


def rpmdep(*args: str | Path, root: Path | None = None) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    environ = {} if root is None else {"RPMGRAPH_RPMDEP_ROOT": str(root),
                                       "RPMGRAPH_RPMDEP_DBPATH": RPMDB_DBPATH}
    status = run([str(a) for a in args], out, err, environ)
    return status, out.getvalue(), err.getvalue()


# ---------------------------------------------------------------- the seed's loop


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz's dot is not installed")
def test_seed_loop_runs_verbatim(essex_root: Path, tmp_path: Path) -> None:
    assert (BIN / "rpmdep").exists(), "rpmdep is not installed: pip install -e . (dev.sh setup)"
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}",
           "RPMGRAPH_RPMDEP_ROOT": str(essex_root), "RPMGRAPH_RPMDEP_DBPATH": RPMDB_DBPATH}
    done = subprocess.run(["sh", "-c", SEED_LOOP], cwd=tmp_path, env=env, text=True,
                          capture_output=True, check=False)
    assert done.returncode == 0 and done.stderr == "", done.stderr
    lines = done.stdout.splitlines()
    assert [line.split(" ")[0] for line in lines] == [
        f"openstack-{p}" for p in ("nova", "glance", "keystone", "quantum")]
    universe = rpmgraph.load(installed=True, root=essex_root, dbpath=RPMDB_DBPATH)
    for pkg, line in zip(("nova", "glance", "keystone", "quantum"), lines, strict=True):
        graph = universe.graph([f"openstack-{pkg}"], "all", kinds=["requires"])
        names = {p.nevra: p.name for p in graph.packages()}
        expected = sorted({names[e.target] for e in graph.edges()})
        assert line == f"openstack-{pkg} depends upon {','.join(expected)}"
        dot = (tmp_path / f"{pkg}.dot").read_text().splitlines()
        assert dot[0] == 'digraph "rpmdep" {' and dot[-1] == "}"
        assert all(EDGE_LINE.match(edge) for edge in dot[1:-1])
        norm = {n: n.replace("-", "_").replace(".", "_").replace("+", "") for n in
                names.values()}
        edges = {f"{norm[names[e.source]]} -> {norm[names[e.target]]};" for e in graph.edges()}
        assert dot[1:-1] == sorted(edges) and len(edges) > 50
        svg = ET.parse(tmp_path / f"{pkg}.svg").getroot()
        titles = {t.text for t in svg.iter("{http://www.w3.org/2000/svg}title")}
        assert f"openstack_{pkg}" in titles and "python_eventlet" in titles


def test_every_provider_is_an_edge(essex_root: Path, tmp_path: Path) -> None:
    """rpmdep drew the first provider it had seen; here both providers of mysql-libs count,
    and both branches of a rich dependency."""
    assert rpmdep("-dot", tmp_path / "n.dot", "openstack-nova", root=essex_root)[0] == 0
    edges = (tmp_path / "n.dot").read_text().splitlines()
    assert {"MySQL_python -> mysql_libs;", "MySQL_python -> mariadb_libs;",
            "openstack_utils -> python_qpid;", "openstack_utils -> python_amqplib;"} <= set(edges)


# ---------------------------------------------------------------- messages and status


def test_unresolved_dependencies_are_warned_and_counted(mini_root: Path) -> None:
    assert rpmdep("broken", root=mini_root) == (
        1, "broken has no dependencies\n",
        "WARNING can not find who provide nothing-provides-this >= 1.0\n")


def test_dependencies_sorted_and_cycles(mini_root: Path, tmp_path: Path) -> None:
    status, out, err = rpmdep("-dot", tmp_path / "lib.dot", "lib", root=mini_root)
    # lib -> libcore -> lib: rpmdep's walk comes back to the root and lists it too
    assert (status, out, err) == (0, "lib depends upon lib,libcore\n", "")
    assert (tmp_path / "lib.dot").read_text() == (
        'digraph "rpmdep" {\nlib -> libcore;\nlibcore -> lib;\n}\n')
    assert rpmdep("cond", root=mini_root) == (0, "cond depends upon lonely\n", "")
    assert rpmdep("lonely", root=mini_root) == (0, "lonely has no dependencies\n", "")


@pytest.mark.parametrize("target", ["nope", "lib*", "lib-2.0-1.noarch", "/bin/sh", "Lib"])
def test_only_an_installed_package_name(mini_root: Path, target: str, tmp_path: Path) -> None:
    dot = tmp_path / "x.dot"
    assert rpmdep("-dot", dot, target, root=mini_root) == (
        1, "", f"WARNING package {target} is not installed\n")
    assert not dot.exists()


@pytest.mark.parametrize("argv", [[], ["a", "b"]])
def test_need_a_target(argv: list[str]) -> None:
    status, out, err = rpmdep(*argv)
    assert status == 2 and out == ""
    assert err.startswith("need a target : package name\nUsage:\n    rpmdep [options] package\n")


def test_missing_database_is_one_error_line(tmp_path: Path) -> None:
    status, out, err = rpmdep("bash", root=tmp_path)
    assert (status, out) == (2, "")
    assert err == (f"rpmdep: error: no rpm database at {tmp_path}/var/lib/rpm; pass --repo "
                   "PATH or --rpm PATH to read packages from elsewhere, or --root/--dbpath to "
                   "name another database\n")


def test_root_and_dbpath_options_win_over_the_environment(mini_root: Path,
                                                          tmp_path: Path) -> None:
    out, err = io.StringIO(), io.StringIO()
    environ = {"RPMGRAPH_RPMDEP_ROOT": str(tmp_path), "RPMGRAPH_RPMDEP_DBPATH": "/nowhere"}
    status = run(["--root", str(mini_root), "--dbpath=/var/lib/rpm", "cond"], out, err,
                 environ)
    assert (status, out.getvalue(), err.getvalue()) == (0, "cond depends upon lonely\n", "")


# ---------------------------------------------------------------- Getopt::Long


@pytest.mark.parametrize("argv", [
    ["-dot", "{dot}", "cond"], ["--dot", "{dot}", "cond"], ["--dot={dot}", "cond"],
    ["-d", "{dot}", "cond"], ["cond", "-do", "{dot}"], ["-nouse-cache", "-dot", "{dot}", "cond"],
    ["--no-use-cache", "-use-cache", "-dot={dot}", "--", "cond"],
])
def test_options_as_getopt_long_reads_them(mini_root: Path, tmp_path: Path,
                                           argv: list[str]) -> None:
    dot = tmp_path / "cond.dot"
    args = [a.format(dot=dot) for a in argv]
    assert rpmdep(*args, root=mini_root) == (0, "cond depends upon lonely\n", "")
    assert dot.read_text() == 'digraph "rpmdep" {\ncond -> lonely;\n}\n'


@pytest.mark.parametrize(("argv", "message"), [
    (["-v", "x"], "Option v is ambiguous (verbose, version)"),
    (["-x", "x"], "Unknown option: x"),
    (["-ro", "/", "x"], "Unknown option: ro"),  # extensions are never abbreviated
    (["-verbose=1", "x"], "Option verbose does not take an argument"),
    (["x", "-dot"], "Option dot requires an argument"),
    (["-version", "-Dot", "f", "x"], "Unknown option: Dot"),  # no_ignore_case
])
def test_bad_options_print_usage(argv: list[str], message: str) -> None:
    status, out, err = rpmdep(*argv)
    assert (status, out) == (2, "")
    assert err.startswith(f"{message}\nUsage:\n")


def test_verbose_prints_debug_lines_on_stdout(mini_root: Path) -> None:
    status, out, _ = rpmdep("-verb", "cond", root=mini_root)
    assert status == 0
    assert out.splitlines()[-2:] == ["debug (solve) cond -> lonely", "cond depends upon lonely"]
    assert all(line.startswith("debug ") for line in out.splitlines()[:-1])


def test_help_man_and_version() -> None:
    status, out, err = rpmdep("-?")
    assert (status, err) == (1, "") and out.startswith("Usage:\n    rpmdep [options] package")
    status, out, _ = rpmdep("--he")
    assert status == 1 and "-dot dotfile" in out
    status, out, _ = rpmdep("-man")
    assert status == 1 and "RPMGRAPH_RPMDEP_ROOT" in out and out.startswith("NAME\n")
    assert rpmdep("-V")[:2] == (0, f"rpmdep version 0.5 (rpmgraph {rpmgraph.__version__})\n")
    assert rpmdep("--version", "-help")[0] == 1  # help first, as rpmdep checks it


def test_clear_cache_empties_rpmgraph_cache(mini_root: Path, mini_repo: Path) -> None:
    from rpmgraph.sources.cache import Cache

    rpmgraph.load(repos=[mini_repo])  # fills the (test's private) cache
    assert Cache(None).entries()
    assert rpmdep("-clear-cache", "cond", root=mini_root)[0] == 0
    assert Cache(None).entries() == []


def test_dot_names_lose_dashes_dots_and_pluses() -> None:
    assert dot_text([("gtk+-2.0", "libstdc++.x86"), ("a", "b")]) == (
        'digraph "rpmdep" {\ngtk_2_0 -> libstdc_x86;\na -> b;\n}\n')
