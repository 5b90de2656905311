"""``rpmdep``: rpmorphan's rpmdep (0.5) command line, over rpmgraph's resolution.

    rpmdep [options] PACKAGE

reads the installed rpm database, follows every Requires of the installed package
PACKAGE recursively, and prints ``PACKAGE depends upon a,b,c`` (or ``PACKAGE has no
dependencies``); ``-dot FILE`` also writes the graph as rpmdep wrote it, for scripts
that merge such files by grepping their ``;`` lines. Unlike rpmdep, each dependency is
resolved as rpm resolves it (versions, rich dependencies, file dependencies) and every
installed provider counts, not the first one found.

Exit status: the number of dependencies nothing installed provides (at most 255);
1 with ``WARNING package PACKAGE is not installed``; 2 for bad usage (as Pod::Usage) or
a database that cannot be read; ``-help`` and ``-man`` exit 1, as rpmdep did.

Extensions: ``--root DIR`` and ``--dbpath DIR``, as rpm reads them (whole names only,
so that rpmdep's abbreviations such as ``-d`` for ``-dot`` keep their meaning); the
environment variables ``RPMGRAPH_RPMDEP_ROOT`` and ``RPMGRAPH_RPMDEP_DBPATH`` give
their defaults, so that unchanged scripts can be pointed at another database.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn, TextIO

from rpmgraph.cli.getoptlong import GetoptLong, OptionSpec, Parsed

if TYPE_CHECKING:
    from rpmgraph.api import DependencyGraph

RPMDEP_VERSION = "0.5"
ROOT_VARIABLE = "RPMGRAPH_RPMDEP_ROOT"
DBPATH_VARIABLE = "RPMGRAPH_RPMDEP_DBPATH"
EXIT_USAGE = 2
MAX_STATUS = 255

SPECS = [
    OptionSpec("help|?"), OptionSpec("man"), OptionSpec("verbose"), OptionSpec("version|V"),
    OptionSpec("dot=s"), OptionSpec("use-cache!"), OptionSpec("clear-cache"),
    OptionSpec("root=s", exact=True), OptionSpec("dbpath=s", exact=True),
]

SYNOPSIS = """\
Usage:
    rpmdep [options] package

     options:
       -help                brief help message
       -man                 full documentation
       -V, --version        print version
       -use-cache           use rpmgraph's cache (-nouse-cache: do not)
       -clear-cache         clear rpmgraph's metadata cache

       -verbose             verbose
       -dot dotfile         build a dot file for graphviz

       --root DIR           read the rpm database under DIR (rpmgraph extension)
       --dbpath DIR         rpm database path, inside --root (rpmgraph extension)

"""

HELP = SYNOPSIS + """\
Required arguments:
    the name of the installed package to resolve

"""

MAN = """\
NAME
    rpmdep - display the full dependency of an installed rpm package

DESCRIPTION
    rpmdep searches recursively for the dependencies of an installed package and
    resolves them to package names. It can also write a dot file for Graphviz.
    This rpmdep is rpmgraph's: every Requires (versioned, rich, file dependencies) is
    resolved to every installed package that provides it, as rpm resolves it.

""" + HELP + f"""\
USAGE
    rpmdep -dot bash.dot bash
    dot -Tsvg bash.dot -o bash.svg

ENVIRONMENT
    {ROOT_VARIABLE}, {DBPATH_VARIABLE}
        defaults of --root and --dbpath

EXIT STATUS
    the number of dependencies nothing installed provides (0 if all is ok, at most
    {MAX_STATUS}); 1 if the package is not installed; 2 for bad usage or an unreadable
    rpm database

SEE ALSO
    rpmgraph(1), rpm(8), dot(1)
"""


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
        self.err.write(f"WARNING {_one_line(text)}\n")

    def debug(self, text: str) -> None:
        if self.verbose:
            self.out.write(f"debug {text}\n")


def main() -> NoReturn:
    try:
        status = run(sys.argv[1:], sys.stdout, sys.stderr, os.environ)
        sys.stdout.flush()
    except BrokenPipeError:
        # The reader went away (rpmdep ... | head): stop quietly, as the shell would.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        status = 141
    except KeyboardInterrupt:
        sys.stderr.write("rpmdep: interrupted\n")
        status = 130
    sys.exit(status)


def run(argv: list[str], out: TextIO, err: TextIO, environ: Mapping[str, str]) -> int:
    """The whole command; returns the exit status."""
    parsed = GetoptLong(SPECS).parse(argv)
    if parsed.errors:
        err.write("".join(f"{e}\n" for e in parsed.errors) + SYNOPSIS)
        return EXIT_USAGE
    chosen = parsed.options
    console = Console(out, err, bool(chosen.get("verbose")))
    if chosen.get("help"):
        out.write(HELP)
        return 1
    if chosen.get("man"):
        out.write(MAN)
        return 1
    if chosen.get("version"):
        from rpmgraph import __version__

        out.write(f"rpmdep version {RPMDEP_VERSION} (rpmgraph {__version__})\n")
        return 0
    if len(parsed.arguments) != 1:
        err.write("need a target : package name\n" + SYNOPSIS)
        return EXIT_USAGE
    return _resolve(parsed, console, environ)


def _resolve(parsed: Parsed, console: Console, environ: Mapping[str, str]) -> int:
    from rpmgraph.errors import RootError, RpmgraphError

    package = parsed.arguments[0]
    chosen = parsed.options
    try:
        if chosen.get("clear-cache"):
            _clear_cache(console)
        graph = _graph(package, chosen, console, environ)
    except RootError:
        graph = None
    except RpmgraphError as exc:
        console.err.write(f"rpmdep: error: {_one_line(str(exc))}\n")
        return EXIT_USAGE
    if graph is None:
        console.warning(f"package {package} is not installed")
        return 1
    return _report(package, graph, console, chosen.get("dot"))


def _graph(package: str, chosen: dict[str, bool | str], console: Console,
           environ: Mapping[str, str]) -> DependencyGraph | None:
    """The graph of the installed package named ``package`` (None: no such package; a
    glob, capability or NEVRA is not a package name)."""
    import rpmgraph

    root = _text(chosen.get("root")) or environ.get(ROOT_VARIABLE) or None
    dbpath = _text(chosen.get("dbpath")) or environ.get(DBPATH_VARIABLE) or None
    console.debug(f"1 : read rpm database (root {root or '/'}, dbpath {dbpath or 'default'})")
    universe = rpmgraph.load(installed=True, root=root, dbpath=dbpath,
                             use_cache=chosen.get("use-cache") is not False,
                             warn=console.warning)
    console.debug("2 : solve")
    graph = universe.graph([package], "all", kinds=["requires"])
    names = {p.nevra: p.name for p in graph.packages()}
    if not any(names[r] == package for r in graph.roots):
        return None
    return graph


def _report(package: str, graph: DependencyGraph, console: Console,
            dot: bool | str | None) -> int:
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
        _write_dot(Path(dot), edges, console)
    return min(len(unresolved), MAX_STATUS)


def dot_text(edges: list[tuple[str, str]]) -> str:
    """rpmdep's DOT file: names made into plain identifiers, one edge a line."""
    lines = [f"{_norm(a)} -> {_norm(b)};\n" for a, b in edges]
    unique = sorted(set(lines), key=lines.index)
    return 'digraph "rpmdep" {\n' + "".join(unique) + "}\n"


def _norm(name: str) -> str:
    """rpmdep's ``norm``: ``-`` and ``.`` become ``_``, ``+`` is removed."""
    return name.replace("-", "_").replace(".", "_").replace("+", "")


def _write_dot(path: Path, edges: list[tuple[str, str]], console: Console) -> None:
    from rpmgraph.errors import OutputError
    from rpmgraph.safefiles import write_output

    try:
        write_output(str(path), dot_text(edges).encode())
    except OutputError as exc:  # rpmdep warned and went on without the file
        console.warning(f"can not write to {path} file : {exc}")


def _clear_cache(console: Console) -> None:
    from rpmgraph.sources.cache import Cache

    store = Cache(None)
    entries = store.entries()
    for entry in entries:
        store.clean(entry)
    console.debug(f"removed the cache of {len(entries)} repositories from {store.root}")


def _text(value: bool | str | None) -> str | None:
    return value if isinstance(value, str) else None


def _one_line(text: str) -> str:
    printable = "".join(ch if ch.isprintable() else " " for ch in text)
    return " ".join(printable.split())


__all__: list[str] = ["dot_text", "main", "run"]
