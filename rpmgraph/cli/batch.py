"""``graph -O``: one file per root, each root solved on its own, on every core.

The roots' graphs are independent (each is its own solve over the one loaded pool), so
a batch of text files is split among forked copies of this process, which share the
pool as it is and write their own files; what they report back (files that failed,
unresolved dependencies) is merged, so the run's files and messages are those of a
serial run. Pictures are already drawn in parallel by Graphviz processes.
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from rpmgraph.cli.base import Session
from rpmgraph.cli.outputs import Failure, Unresolved, render_jobs, write_each
from rpmgraph.cli.progress import progress
from rpmgraph.cli.views import View
from rpmgraph.errors import RpmgraphError
from rpmgraph.sources.progress import ProgressBar

if TYPE_CHECKING:
    from rpmgraph.depgraph import DepGraph
    from rpmgraph.render import Format, RenderOptions
    from rpmgraph.resolve import Root

Prepare = Callable[["DepGraph"], "DepGraph"]
_SHARE_FROM = 8  # roots per forked worker below which one process does it all
# What a worker sends back: failures (file, message), files made, unresolved dependencies.
_Report = tuple[list[tuple[str, str]], int, dict[tuple[str, str], str]]


def write_batch(session: Session, view: View, roots: list[Root], folder: Path,
                drawing: tuple[Format, RenderOptions], prepare: Prepare,
                unresolved: Unresolved) -> tuple[list[Failure], int]:
    """Write one file per root into ``folder`` in the format and with the options of
    ``drawing``; the failures and how many files."""
    from rpmgraph.safefiles import prepare_folder

    fmt = drawing[0]
    prepare_folder(folder)
    targets = [str(folder / name) for name in file_names(roots, fmt)]
    work = list(zip(targets, roots, strict=True))
    shares = _shares(session, view, fmt, work)
    bar = progress("graphs")("graphs", len(roots))
    try:
        failed, total = _write_shares(session, view, shares, drawing, prepare, unresolved,
                                      bar)
    finally:
        bar.close()
    index = {target: i for i, (target, _) in enumerate(work)}  # in the roots' order
    return sorted(failed, key=lambda f: index[f[0]]), total


def file_names(roots: list[Root], fmt: Format) -> list[str]:
    """Each root's file name: its package name, or its NEVRA when names repeat."""
    from rpmgraph.safefiles import safe_filename

    repeated = {label for label, n in Counter(r.label for r in roots).items() if n > 1}
    return [safe_filename(r.key if r.label in repeated else r.label, fmt.extension)
            for r in roots]


def _shares(session: Session, view: View, fmt: Format, work: list[tuple[str, Root]],
            ) -> list[list[tuple[str, Root]]]:
    """The work split among the workers, every n-th root to the same one (neighbouring
    roots, such as the subpackages of one source, cost alike)."""
    from rpmgraph.cli.views import resolution
    from rpmgraph.forked import can_fork, usable_cpus
    from rpmgraph.resolve import Policy

    # The all policy's batches share one plan per package, which workers would each
    # make again; pictures have Graphviz processes of their own.
    shared_plans = resolution(session, view.reverse)["policy"] == Policy.ALL.value
    if shared_plans or fmt.graphviz or not can_fork():
        return [work]
    workers = max(1, min(render_jobs() or usable_cpus(), len(work) // _SHARE_FROM))
    return [work[k::workers] for k in range(workers)]


def _write_shares(session: Session, view: View, shares: list[list[tuple[str, Root]]],
                  drawing: tuple[Format, RenderOptions], prepare: Prepare,
                  unresolved: Unresolved, bar: ProgressBar) -> tuple[list[Failure], int]:
    from rpmgraph.forked import Forked

    fmt, options = drawing
    write = functools.partial(_write_share, session, view, drawing=drawing, prepare=prepare)
    children = []
    try:
        for share in shares[1:]:
            children.append(Forked(functools.partial(write, share, unresolved=Unresolved())))
        failed, total = write_each(_graphs(session, view, shares[0], prepare, unresolved),
                                   fmt, release=True, progress=bar, options=options)
        for child, share in zip(children, shares[1:], strict=True):
            report: _Report | None = child.result()
            if report is None:  # the worker died: its share is done here
                report = write(share, unresolved=Unresolved())
            failed += [(target, RpmgraphError(message)) for target, message in report[0]]
            total += report[1]
            unresolved.seen.update(report[2])
            bar.update(report[1])
    finally:
        for child in children:
            child.close()
    return failed, total


def _write_share(session: Session, view: View, share: list[tuple[str, Root]], *,
                 drawing: tuple[Format, RenderOptions], prepare: Prepare,
                 unresolved: Unresolved) -> _Report:
    fmt, options = drawing
    failed, total = write_each(_graphs(session, view, share, prepare, unresolved), fmt,
                               release=True, options=options)
    return [(target, str(exc)) for target, exc in failed], total, unresolved.seen


def _graphs(session: Session, view: View, share: list[tuple[str, Root]], prepare: Prepare,
            unresolved: Unresolved) -> Iterator[tuple[str, DepGraph]]:
    """Each root's graph, made when it is asked for (and not kept here)."""
    for target, root in share:
        graph = prepare(view.graph(session, [root]))
        unresolved.add(graph)
        yield target, graph
