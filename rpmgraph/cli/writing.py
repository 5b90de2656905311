"""Rendering graphs and writing them, whole or not at all, many at once when pictures
wait on Graphviz; and the one report of the files that could not be written."""

from __future__ import annotations

import functools
import os
import sys
from collections import deque
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

import click

from rpmgraph.cli.exits import EXIT_USAGE
from rpmgraph.cli.messages import one_line
from rpmgraph.errors import RpmgraphError
from rpmgraph.render import PLAIN, Format, RenderOptions
from rpmgraph.sources.progress import ProgressBar, no_progress

if TYPE_CHECKING:
    from concurrent.futures import Future

    from rpmgraph.depgraph import DepGraph

EXIT_SOME_FAILED = 1
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
