"""-o / -O / --format, shared by every command that writes graphs."""

from __future__ import annotations

import functools
import os
import sys
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast

import click

from rpmgraph.cli.base import EXIT_USAGE, one_line, warn, with_options
from rpmgraph.errors import RpmgraphError
from rpmgraph.render import FORMATS, PLAIN, Format, RenderOptions, format_for_path
from rpmgraph.sources.progress import ProgressBar, no_progress

if TYPE_CHECKING:
    from concurrent.futures import Future

    from rpmgraph.depgraph import DepGraph

F = TypeVar("F", bound=Callable[..., Any])
EXIT_SOME_FAILED = 1


@dataclass(frozen=True, slots=True)
class Outputs:
    output: str | None
    output_dir: Path | None
    fmt: str | None

    def format(self, default: str = "dot") -> Format:
        """--format, else -o's extension (DOT when it has none), else ``default``."""
        if self.fmt is not None:
            return FORMATS[self.fmt]
        if self.output and self.output != "-" and "." in Path(self.output).name:
            found = format_for_path(self.output)
            if found is None:
                raise click.UsageError(
                    f"cannot tell the format of {self.output!r} from its extension; "
                    f"pass --format ({', '.join(sorted(FORMATS))})")
            return found
        return FORMATS[default if self.output in (None, "-") else "dot"]

    def check(self) -> None:
        if self.output and self.output_dir:
            raise click.UsageError("-o and -O cannot be used together")


def output_options(per_root: bool = True, formats: Sequence[str] | None = None,
                   ) -> Callable[[F], F]:
    """Add -o, -O (when each root can get its own file) and --format; pass ``outputs``."""
    choices = sorted(formats or FORMATS)

    def decorate(func: F) -> F:
        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            outputs = Outputs(kwargs.pop("output"), kwargs.pop("output_dir", None),
                              kwargs.pop("fmt"))
            outputs.check()
            return func(*args, outputs=outputs, **kwargs)

        options = [
            click.option("-o", "--output", metavar="FILE",
                         help="Write to FILE ('-' for stdout, the default); the format "
                         "follows the extension unless --format is given."),
            click.option("-f", "--format", "fmt", type=click.Choice(choices),
                         help="Output format (default: from -o's extension)."),
        ]
        if per_root:
            options.insert(1, click.option(
                "-O", "--output-dir", type=click.Path(path_type=Path), metavar="DIR",
                help="Write one file per root package into DIR, named after the package."))
        return cast(F, with_options(wrapper, options))

    return decorate


class Unresolved:
    """The dependencies nothing satisfies, over every graph of a run, told in one line."""

    def __init__(self) -> None:
        self.seen: dict[tuple[str, str], str] = {}

    def add(self, graph: DepGraph) -> None:
        for node, unresolved in graph.nodes(data="unresolved"):
            for dep in unresolved or ():
                self.seen.setdefault((node, dep.capability), dep.kind.value)

    def warn(self) -> None:
        """How many there are, and the first."""
        if self.seen:
            (node, capability), kind = min(self.seen.items())
            more = f" and {len(self.seen) - 1} more" if len(self.seen) > 1 else ""
            warn(f"{len(self.seen)} unresolved dependencies, marked in the output: "
                 f"{node} {kind} {capability!r}{more}")


def warn_unresolved(graphs: Iterable[DepGraph]) -> None:
    unresolved = Unresolved()
    for graph in graphs:
        unresolved.add(graph)
    unresolved.warn()


Failure = tuple[str, RpmgraphError]


def write_graphs(graphs: Iterable[tuple[str, DepGraph]], fmt: Format) -> None:
    """Write each graph (see ``write_each``), then report the files that failed."""
    report_failures(*write_each(graphs, fmt))


def write_each(graphs: Iterable[tuple[str, DepGraph]], fmt: Format, release: bool = False,
               progress: ProgressBar | None = None, options: RenderOptions = PLAIN,
               ) -> tuple[list[Failure], int]:
    """Render and write each graph as it comes, whole or not at all; the failures and how
    many graphs there were. ``graphs`` may make each graph only when it is asked for, and
    none is kept here once written, so that a batch needs the memory of one graph.

    ``release``: the graphs are the caller's to discard, and each is freed once written
    (``graph.discard``: without the cyclic garbage collector, networkx's cached views would
    keep every graph of a batch). ``progress`` counts the files written; ``options`` say
    how the graphs are drawn.

    Text is written while it is made. Pictures (and pages laid out by Graphviz) are
    rendered in parallel, one Graphviz process per CPU and a few more (``render_jobs``).
    """
    from rpmgraph.depgraph import discard

    bar = progress or no_progress("", None)
    if fmt.graphviz:
        return _write_in_parallel(graphs, fmt, release, bar, options)
    failed: list[Failure] = []
    total = 0
    for target, graph in graphs:
        _check_target(target, fmt)
        total += 1
        failed += _write_one(target, functools.partial(fmt.pieces, graph, options))
        bar.update(1)
        if release:
            discard(graph)
    return failed, total


_Pending = deque[tuple[str, "Future[bytes]", "DepGraph | None"]]


def _write_in_parallel(graphs: Iterable[tuple[str, DepGraph]], fmt: Format, release: bool,
                       bar: ProgressBar, options: RenderOptions,
                       ) -> tuple[list[Failure], int]:
    from concurrent.futures import ThreadPoolExecutor  # pictures only: text needs no threads

    jobs = render_jobs() or min(32, (os.cpu_count() or 1) + 4)  # ThreadPoolExecutor's own
    pool = ThreadPoolExecutor(max_workers=jobs)
    pending: _Pending = deque()
    failed: list[Failure] = []
    total = 0
    try:
        for target, graph in graphs:
            _check_target(target, fmt)
            total += 1
            future = pool.submit(fmt.render, graph, options)
            pending.append((target, future, graph if release else None))
            while len(pending) > 2 * jobs:  # enough queued to keep every worker busy
                failed += _write_oldest(pending, bar)
        while pending:
            failed += _write_oldest(pending, bar)
    except BaseException as exc:  # Ctrl-C or SIGTERM: stop the layouts still running, now
        from rpmgraph.render.graphviz import stop_all

        pool.shutdown(wait=False, cancel_futures=True)
        if not isinstance(exc, click.UsageError):  # (refused before its graph is drawn)
            stop_all()
        raise
    pool.shutdown()
    return failed, total


def _write_oldest(pending: _Pending, bar: ProgressBar) -> list[Failure]:
    from rpmgraph.depgraph import discard

    target, future, graph = pending.popleft()
    failed = _write_one(target, future.result)
    bar.update(1)
    if graph is not None:
        discard(graph)
    return failed


def _check_target(target: str, fmt: Format) -> None:
    if fmt.binary and target == "-" and sys.stdout.isatty():
        raise click.UsageError(f"will not write {fmt.name} to a terminal; use -o FILE")


def render_jobs() -> int | None:
    """``RPMGRAPH_JOBS``: how many graphs render at once (1: serially); unset or invalid,
    one Graphviz process per CPU and a few more, so every core is busy."""
    text = os.environ.get("RPMGRAPH_JOBS", "").strip()
    return int(text) if text.isdigit() and int(text) > 0 else None


def _write_one(target: str, make: Callable[[], bytes | Iterable[bytes]]) -> list[Failure]:
    """Write what ``make`` gives (a finished rendering, or pieces made while writing)."""
    from rpmgraph.safefiles import write_output

    try:
        write_output(target, make())
    except RpmgraphError as exc:
        return [(target, exc)]
    return []


def report_failures(failed: list[Failure], total: int) -> None:
    """One graph, or every graph failing the same way (no Graphviz): one plain error.
    Otherwise one line per file that failed, then the count."""
    if not failed:
        return
    if len(failed) == total and len({str(exc) for _, exc in failed}) == 1:
        raise failed[0][1]
    for target, exc in failed:
        message = str(exc) if target in str(exc) else f"{target}: {exc}"
        click.echo(f"rpmgraph: error: {one_line(message)}", err=True)
    click.echo(f"rpmgraph: {len(failed)} of {total} graphs could not be written", err=True)
    sys.exit(EXIT_USAGE if len(failed) == total else EXIT_SOME_FAILED)
