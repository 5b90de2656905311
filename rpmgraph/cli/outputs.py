"""-o / -O / --format, shared by every command that writes graphs."""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast

import click

from rpmgraph.cli.base import EXIT_USAGE, one_line, warn, with_options
from rpmgraph.errors import RpmgraphError
from rpmgraph.render import FORMATS, Format, format_for_path

if TYPE_CHECKING:
    from rpmgraph.graph import DepGraph

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


def warn_unresolved(graphs: Sequence[DepGraph]) -> None:
    """One line for the whole run: how many dependencies nothing satisfies, and the first."""
    seen: dict[tuple[str, str], str] = {}
    for g in graphs:
        for node, data in g.nodes(data=True):
            for dep in data.get("unresolved", []):
                seen.setdefault((node, dep.capability), dep.kind.value)
    if seen:
        (node, capability), kind = sorted(seen.items())[0]
        more = f" and {len(seen) - 1} more" if len(seen) > 1 else ""
        warn(f"{len(seen)} unresolved dependencies, marked in the output: "
             f"{node} {kind} {capability!r}{more}")


def write_graphs(graphs: Sequence[tuple[str, DepGraph]], fmt: Format,
                 render: Callable[[DepGraph], bytes] | None = None) -> None:
    """Render (Graphviz runs in parallel, one process per graph) and write each file whole.

    In a batch, a graph that cannot be drawn or written is reported on its own line and
    the others are still written; the exit status is then 1 (2 when every one failed).
    """
    if fmt.binary and any(t == "-" for t, _ in graphs) and sys.stdout.isatty():
        raise click.UsageError(f"will not write {fmt.name} to a terminal; use -o FILE")
    draw = render or fmt.render
    pool = ThreadPoolExecutor(max_workers=render_jobs())
    try:
        futures = [pool.submit(draw, g) for _, g in graphs]
        failed = [f for f in map(_write_one, [t for t, _ in graphs], futures) if f]
    except BaseException:  # Ctrl-C or SIGTERM: stop the layouts still running, now
        from rpmgraph.render.graphviz import stop_all

        pool.shutdown(wait=False, cancel_futures=True)
        stop_all()
        raise
    pool.shutdown()
    _report_failures(failed, len(graphs))


def render_jobs() -> int | None:
    """``RPMGRAPH_JOBS``: how many graphs render at once (1: serially); unset or invalid,
    one Graphviz process per CPU and a few more, so every core is busy."""
    text = os.environ.get("RPMGRAPH_JOBS", "").strip()
    return int(text) if text.isdigit() and int(text) > 0 else None


def _write_one(target: str, future: Future[bytes]) -> tuple[str, RpmgraphError] | None:
    from rpmgraph.output import write_output

    try:
        write_output(target, future.result())
    except RpmgraphError as exc:
        return target, exc
    return None


def _report_failures(failed: list[tuple[str, RpmgraphError]], total: int) -> None:
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
