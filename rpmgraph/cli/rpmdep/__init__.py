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
from typing import TYPE_CHECKING, NoReturn, TextIO

from rpmgraph.cli.exits import EXIT_PIPE, EXIT_SIGINT, EXIT_USAGE, quiet_stdout
from rpmgraph.cli.getoptlong import GetoptLong, OptionSpec, Parsed
from rpmgraph.cli.messages import one_line
from rpmgraph.cli.rpmdep.output import Console, dot_text, report
from rpmgraph.cli.rpmdep.texts import (
    DBPATH_VARIABLE,
    HELP,
    MAN,
    ROOT_VARIABLE,
    RPMDEP_VERSION,
    SYNOPSIS,
)

if TYPE_CHECKING:
    from rpmgraph.api import DependencyGraph

SPECS = [
    OptionSpec("help|?"), OptionSpec("man"), OptionSpec("verbose"), OptionSpec("version|V"),
    OptionSpec("dot=s"), OptionSpec("use-cache!"), OptionSpec("clear-cache"),
    OptionSpec("root=s", exact=True), OptionSpec("dbpath=s", exact=True),
]


def main() -> NoReturn:
    try:
        status = run(sys.argv[1:], sys.stdout, sys.stderr, os.environ)
        sys.stdout.flush()
    except BrokenPipeError:
        quiet_stdout()  # the reader went away (rpmdep ... | head): stop quietly, as a shell
        status = EXIT_PIPE
    except KeyboardInterrupt:
        sys.stderr.write("rpmdep: interrupted\n")
        status = EXIT_SIGINT
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
        console.err.write(f"rpmdep: error: {one_line(str(exc))}\n")
        return EXIT_USAGE
    if graph is None:
        console.warning(f"package {package} is not installed")
        return 1
    return report(package, graph, console, chosen.get("dot"))


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


def _clear_cache(console: Console) -> None:
    from rpmgraph.sources.cache import Cache

    store = Cache(None)
    entries = store.entries()
    for entry in entries:
        store.clean(entry)
    console.debug(f"removed the cache of {len(entries)} repositories from {store.root}")


def _text(value: bool | str | None) -> str | None:
    return value if isinstance(value, str) else None


__all__: list[str] = ["dot_text", "main", "run"]
