"""What rpmdep prints and writes: rpmorphan's three kinds of messages, and its DOT file."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from rpmgraph.cli.messages import one_line
from rpmgraph.cli.rpmdep.texts import MAX_STATUS

if TYPE_CHECKING:
    from rpmgraph.api import DependencyGraph


@dataclass(slots=True)
class Console:
    """rpmorphan's three kinds of messages: info (stdout), ``WARNING`` (stderr) and
    ``debug`` (stdout, with -verbose)."""

    out: TextIO
    err: TextIO
    verbose: bool = False

    def info(self, text: str) -> None:
        self.out.write(f"{text}\n")

    def warning(self, text: str) -> None:
        self.err.write(f"WARNING {one_line(text)}\n")

    def debug(self, text: str) -> None:
        if self.verbose:
            self.out.write(f"debug {text}\n")


def report(package: str, graph: DependencyGraph, console: Console,
           dot: bool | str | None) -> int:
    """rpmdep's list of what ``package`` depends upon, its warnings, its DOT file; the
    exit status: how many dependencies nothing provides."""
    names = {p.nevra: p.name for p in graph.packages()}
    edges = sorted({(names[e.source], names[e.target]) for e in graph.edges()
                    if names[e.source] != names[e.target]})
    for source, target in edges:
        console.debug(f"(solve) {source} -> {target}")
    # rpmdep's list: every package reached from the root; the root itself only when a
    # cycle leads back to it (rpmdep's walk adds it then too).
    reached = sorted({target for _source, target in edges})
    unresolved = sorted((names[u.source], u.dependency.capability)
                        for u in graph.unresolved())
    for _source, capability in unresolved:
        console.warning(f"can not find who provide {capability}")
    if reached:
        console.info(f"{package} depends upon {','.join(reached)}")
    else:
        console.info(f"{package} has no dependencies")
    if isinstance(dot, str):
        write_dot(Path(dot), edges, console)
    return min(len(unresolved), MAX_STATUS)


def dot_text(edges: list[tuple[str, str]]) -> str:
    """rpmdep's DOT file: names made into plain identifiers, one edge a line."""
    lines = [f"{_norm(a)} -> {_norm(b)};\n" for a, b in edges]
    unique = sorted(set(lines), key=lines.index)
    return 'digraph "rpmdep" {\n' + "".join(unique) + "}\n"


def _norm(name: str) -> str:
    """rpmdep's ``norm``: ``-`` and ``.`` become ``_``, ``+`` is removed."""
    return name.replace("-", "_").replace(".", "_").replace("+", "")


def write_dot(path: Path, edges: list[tuple[str, str]], console: Console) -> None:
    from rpmgraph.errors import OutputError
    from rpmgraph.safefiles import write_output

    try:
        write_output(str(path), dot_text(edges).encode())
    except OutputError as exc:  # rpmdep warned and went on without the file
        console.warning(f"can not write to {path} file : {exc}")
