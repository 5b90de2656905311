"""What a command imports: --help and completion must not pay for the graph libraries,
and a finished run leaves at once (rpmgraph.cli.main's fast exit) with its output whole."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.conftest import SAMPLE_REPOS

_PROBE = """
import sys
from rpmgraph.cli import cli
try:
    cli(sys.argv[1:], prog_name="rpmgraph")  # main() would leave through os._exit
finally:
    print("imported:", " ".join(sorted(m for m in ("networkx", "solv", "rpm", "pydot",
                                                   "rpmgraph.render.graphviz")
                                      if m in sys.modules)), file=sys.stderr)
    print("commands:", " ".join(sorted(m for m in sys.modules
                                      if m.startswith("rpmgraph.cli."))), file=sys.stderr)
"""


def _probe(*args: str) -> tuple[int, dict[str, set[str]], str]:
    """Exit code, what was imported ("imported": graph libraries, "commands":
    rpmgraph.cli modules), and stdout."""
    proc = subprocess.run([sys.executable, "-c", _PROBE, *args], capture_output=True,
                          text=True, timeout=120, check=False)
    found = {line.split(":")[0]: set(line.split()[1:]) for line in proc.stderr.splitlines()
             if line.startswith(("imported:", "commands:"))}
    return proc.returncode, found, proc.stdout


def _imports(*args: str) -> tuple[int, set[str], str]:
    code, found, out = _probe(*args)
    return code, found["imported"], out


def test_help_imports_no_graph_library() -> None:
    for args in (["--help"], ["graph", "--help"], ["why", "--help"], ["check", "--help"]):
        code, imported, out = _imports(*args)
        assert code == 0 and "Usage:" in out
        assert imported == set(), (args, imported)


def test_a_command_imports_its_own_module_only() -> None:
    """The commands' modules are imported when their command runs (cli.group's
    COMMAND_MODULES); --help lists them all, and so imports them."""
    own = {f"rpmgraph.cli.{m}" for m in ("base", "exits", "group", "messages", "options",
                                          "outputs", "progress", "session", "views", "writing")}
    code, found, _ = _probe("graph", "--help")
    assert code == 0 and found["commands"] == own | {"rpmgraph.cli.graph",
                                                          "rpmgraph.cli.drawing"}
    code, found, out = _probe("why", "--help")
    assert code == 0 and found["commands"] == own | {"rpmgraph.cli.query"}
    code, found, out = _probe("--help")
    assert code == 0 and {"rpmgraph.cli.checks", "rpmgraph.cli.cache"} <= found["commands"]
    listed = out.split("Commands:")[1].split()
    for name in ("cache", "check", "completion", "cycles", "diff", "graph", "snapshot",
                 "stats", "tree", "why"):
        assert name in listed, name


def test_text_formats_do_not_import_the_graphviz_runner(tmp_path: Path) -> None:
    """Only pictures run Graphviz: a DOT file is written without its runner's module."""
    essex = str(SAMPLE_REPOS / "essex")
    for name, runner in (("nova.dot", False), ("nova.svg", True)):
        code, imported, _ = _imports("graph", "--repo", essex, "openstack-nova",
                                     "-o", str(tmp_path / name))
        assert code == 0 and "networkx" in imported
        assert ("rpmgraph.render.graphviz" in imported) is runner, name


def test_a_usage_error_imports_no_graph_library() -> None:
    code, imported, _ = _imports("graph", "--format", "nonsense", "x")
    assert code == 2
    assert imported == set()


def test_the_fast_exit_flushes_what_was_written() -> None:
    """Output to a pipe, larger than its buffer, arrives whole; the exit status is kept."""
    proc = subprocess.run(
        [sys.executable, "-m", "rpmgraph", "graph", "--repo", str(SAMPLE_REPOS / "grizzly"),
         "--policy", "all", "*", "--format", "json"], capture_output=True, timeout=120,
        check=False)
    assert proc.returncode == 0, proc.stderr
    assert len(proc.stdout) > 65536 and proc.stdout.rstrip().endswith(b"}")
    import json

    assert json.loads(proc.stdout)["nodes"]


def test_every_command_is_listed_with_the_module_that_defines_it() -> None:
    import importlib

    from rpmgraph.cli import cli
    from rpmgraph.cli.base import COMMAND_MODULES

    for module in set(COMMAND_MODULES.values()):
        importlib.import_module(module)
    assert set(cli.commands) == set(COMMAND_MODULES)
    for name, module in COMMAND_MODULES.items():
        callback = cli.commands[name].callback
        assert callback is not None and callback.__module__ == module, name


def test_the_library_leaves_the_collector_on() -> None:
    """Switching the cyclic garbage collector off is the command line's own choice, made
    in main(): a script that loads packages and makes graphs (forked workers included)
    keeps ordinary Python behaviour."""
    script = f"""
import gc
import rpmgraph
universe = rpmgraph.load(repos=[{str(SAMPLE_REPOS / "grizzly")!r}])
for policy in ("install", "all"):
    assert len(universe.graph(["*"], policy)) > 0
    assert len(universe.graph(["openstack-nova"], policy)) > 0
print(gc.isenabled())
"""
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=120, check=False)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "True\n"
