"""The terminal side: colour and the terminal's width on a terminal, plain text when piped;
help with examples for every command; shell completion; man pages."""

from __future__ import annotations

import fcntl
import os
import pty
import re
import struct
import subprocess
import sys
import termios
from pathlib import Path

import click

from rpmgraph.cli import cli
from rpmgraph.render.tree import fit
from tests.conftest import ROOT, SAMPLE_REPOS, Run, load_script

ESSEX = SAMPLE_REPOS / "essex"
ANSI = re.compile(r"\x1b\[[0-9;]*m")
# Commands whose --help has no examples yet; none may be added to this list.
WITHOUT_EXAMPLES: set[str] = set()


def rpmgraph(*args: str | Path, env: dict[str, str] | None = None,
             terminal: bool = False) -> str:
    """Run the real command line in a subprocess, its stdout a pipe or a terminal."""
    command = [sys.executable, "-m", "rpmgraph", *map(str, args)]
    environ = {**os.environ, **(env or {})}
    if not terminal:
        return subprocess.run(command, capture_output=True, text=True, check=False,
                              env=environ, cwd=ROOT).stdout
    return on_terminal(command, "stdout", environ).replace("\r\n", "\n")


def on_terminal(command: list[str], stream: str, env: dict[str, str] | None = None,
                columns: int | None = None) -> str:
    """What ``command`` writes to ``stream`` (stdout or stderr) when that is a terminal
    (of ``columns`` columns: a new pseudo-terminal has none); the other one is dropped."""
    primary, secondary = pty.openpty()
    if columns is not None:
        fcntl.ioctl(secondary, termios.TIOCSWINSZ, struct.pack("HHHH", 24, columns, 0, 0))
    streams = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL, stream: secondary}
    with subprocess.Popen(command, **streams, env=env, cwd=ROOT) as process:
        os.close(secondary)
        chunks = []
        while True:
            try:
                chunk = os.read(primary, 65536)
            except OSError:  # the terminal closed: the process is done
                break
            if not chunk:
                break
            chunks.append(chunk)
        process.wait()
    os.close(primary)
    return b"".join(chunks).decode(errors="replace")


def test_tree_fits_the_terminal_in_colour_and_is_plain_when_piped() -> None:
    args = ("tree", "--repo", ESSEX, "openstack-nova", "--show-caps", "--depth", "2")
    shown = rpmgraph(*args, env={"COLUMNS": "72"}, terminal=True)
    lines = shown.splitlines()
    assert ANSI.search(shown), "colour on a terminal"
    assert max(len(ANSI.sub("", line)) for line in lines) <= 72
    assert any(ANSI.sub("", line).endswith("…") for line in lines)
    piped = rpmgraph(*args, env={"COLUMNS": "72"})
    assert not ANSI.search(piped)
    assert max(len(line) for line in piped.splitlines()) > 72, "piped text is never cut"
    assert len(piped.splitlines()) == len(lines)


def test_fit_counts_only_visible_characters() -> None:
    red = click.style("abcdefghij", fg="red")
    assert fit(red, 20) == red
    cut = fit("xy" + red, 6)
    assert click.unstyle(cut) == "xyabc…" and cut.endswith("\x1b[0m")
    assert fit("plain text here", 8, ascii_only=True) == "plain..."


def command_names() -> list[str]:
    return cli.list_commands(click.Context(cli))


def every_command() -> list[tuple[str, click.Command]]:
    found = []
    for name in command_names():
        command = cli.get_command(click.Context(cli), name)
        assert command is not None, name
        if isinstance(command, click.Group):
            found += [(f"{name} {sub}", c) for sub, c in sorted(command.commands.items())]
        found.append((name, command))
    return found


def test_every_command_has_a_description_and_examples(run: Run) -> None:
    missing = set()
    for name, command in every_command():
        text = run(*name.split(), "--help").stdout
        assert command.help and command.get_short_help_str(), name
        if not isinstance(command, click.Group) and "Examples:" not in text:
            missing.add(name)
    assert missing <= WITHOUT_EXAMPLES, f"--help without examples: {missing}"
    assert run("--version").stdout.startswith("rpmgraph, version ")


def test_completion_scripts_for_each_shell(run: Run) -> None:
    for shell, marker in (("bash", "complete -o nosort -F"), ("zsh", "#compdef rpmgraph"),
                          ("fish", "complete --no-files --command rpmgraph")):
        script = run("completion", shell).stdout
        assert marker in script and "_RPMGRAPH_COMPLETE" in script, shell
        assert script == rpmgraph(env={"_RPMGRAPH_COMPLETE": f"{shell}_source"}), shell


def complete(words: str) -> list[str]:
    env = {"_RPMGRAPH_COMPLETE": "bash_complete", "COMP_WORDS": words,
           "COMP_CWORD": str(len(words.split()) - (0 if words.endswith(" ") else 1))}
    return [line for line in rpmgraph(env=env).splitlines() if line]


def test_package_arguments_complete_to_the_packages_of_the_repositories() -> None:
    essex = "sample_repos/essex"
    assert complete(f"rpmgraph graph --repo {essex} openstack-n") == [
        "plain,openstack-nova", "plain,openstack-nova-doc"]
    assert complete(f"rpmgraph why --repo {essex} openstack-nova python-greenl") == [
        "plain,python-greenlet", "plain,python-greenlet-devel"]
    assert "plain,openstack-nova" in complete(f"rpmgraph stats --repo essex={essex} open")
    assert complete("rpmgraph graph --repo /nonexistent openstack-n") == []
    assert complete("rpmgraph graph openstack-n") == []  # no source given: nothing to read
    assert "plain,graph" in complete("rpmgraph gr")


def test_man_pages_cover_every_command(tmp_path: Path) -> None:
    module = load_script(ROOT / "scripts" / "make_man.py", "make_man")
    written = {p.name for p in module.write_pages(tmp_path)}
    assert written == {"rpmgraph.1", *(f"rpmgraph-{n}.1" for n in command_names())}
    graph = (tmp_path / "rpmgraph-graph.1").read_text()
    assert graph.startswith('.TH "RPMGRAPH-GRAPH" "1"')
    for section in (".SH NAME", ".SH SYNOPSIS", ".SH OPTIONS", ".SH EXAMPLES"):
        assert section in graph
    assert "\\-\\-color\\-by" in graph and "openstack\\-nova" in graph
    assert "\\fBrpmgraph\\-why\\fR(1)" in (tmp_path / "rpmgraph.1").read_text()


def stderr_of(*args: str | Path, terminal: bool) -> str:
    """The real command line's stderr, a terminal or a pipe."""
    command = [sys.executable, "-m", "rpmgraph", *map(str, args)]
    if not terminal:
        return subprocess.run(command, capture_output=True, text=True, check=False,
                              cwd=ROOT).stderr
    return on_terminal(command, "stderr", columns=100)  # (progress bars need a width)


def test_a_batch_shows_progress_on_a_terminal_only(tmp_path: Path) -> None:
    generator = load_script(ROOT / "benchmarks" / "generate.py", "bench_generate")
    # (big enough that the batch outlasts the bar's half-second delay)
    generator.generate(tmp_path / "repo", packages=20000, seed=3)
    args = ("--repo", tmp_path / "repo", "openstack-*", "-f", "dot")
    shown = stderr_of("graph", *args, "-O", tmp_path / "a", terminal=True)
    total = len(list((tmp_path / "a").iterdir()))
    assert re.search(rf"graphs: +\d+%.*\| *\d+/{total} ", shown), shown
    assert stderr_of("graph", *args, "-O", tmp_path / "b", terminal=False) == ""
    assert stderr_of("-q", "graph", *args, "-O", tmp_path / "c", terminal=True) == ""


def test_help_lists_the_commands_own_options_before_the_shared_ones(run: Run) -> None:
    text = run("graph", "--help").stdout
    headings = [line for line in text.splitlines() if line.endswith(":") and
                not line.startswith(" ")]
    assert headings[:3] == ["Options:", "Sources:", "Resolution:"]
    own, sources, policy = (text.index(h) for h in headings[:3])
    assert own < text.index("--depth") < sources < text.index("--repo ") < policy
    assert policy < text.index("  --policy [") and policy < text.index("--best / --nobest")
    assert "CPUs + 4, up to 32" in text
