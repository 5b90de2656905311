"""-o / -O / --format, shared by every command that writes graphs or reports.

What --format may name and what -o's extension asks for come from one table: render's
FORMATS (the graphs) and ``REPORTS`` beside it (what commands print about graphs).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast

import click

from rpmgraph.cli.messages import warn
from rpmgraph.cli.options import with_options
from rpmgraph.cli.writing import (
    Failure,
    render_jobs,
    report_failures,
    write_each,
    write_graphs,
)
from rpmgraph.render import FORMATS, Format

if TYPE_CHECKING:
    from rpmgraph.depgraph import DepGraph

F = TypeVar("F", bound=Callable[..., Any])
# Reports, by name: the file extensions that ask for each.
REPORTS = {"text": ("txt",), "json": ("json",), "markdown": ("md", "markdown"),
           "junit": ("xml",), "chain": ()}
_ALIASES = {"gv": "dot"}  # extensions other tools give DOT files


def extensions(name: str) -> tuple[str, ...]:
    """The file extensions of the format or report ``name``."""
    graph = FORMATS.get(name)
    own = (graph.extension,) if graph is not None else ()
    return own + REPORTS.get(name, ()) + tuple(a for a, n in _ALIASES.items() if n == name)


@dataclass(frozen=True, slots=True)
class Outputs:
    output: str | None
    output_dir: Path | None
    fmt: str | None
    choices: tuple[str, ...] = tuple(FORMATS)  # what the command's --format offers

    def chosen(self, default: str) -> str:
        """--format, else the one of the command's formats and reports that -o's extension
        names (DOT when it has none and the command draws DOT), else ``default``."""
        return self._pick(default, self.choices)

    def format(self, default: str = "dot") -> Format:
        """The graph format: --format, else the one -o's extension names (DOT when it has
        none), else ``default``."""
        return FORMATS[self._pick(default, tuple(FORMATS))]

    def _pick(self, default: str, names: tuple[str, ...]) -> str:
        if self.fmt is not None:
            return self.fmt
        if self.output is None or self.output == "-":
            return default
        suffix = Path(self.output).suffix.lstrip(".").lower()
        if not suffix:
            return "dot" if "dot" in names else default
        found = next((n for n in names if suffix in extensions(n)), None)
        if found is None:
            raise click.UsageError(
                f"cannot tell the format of {self.output!r} from its extension; "
                f"pass --format ({', '.join(sorted(names))})")
        return found

    def check(self) -> None:
        if self.output and self.output_dir:
            raise click.UsageError("-o and -O cannot be used together")


def format_option(choices: Sequence[str], default: str | None = None,
                  help: str = "Output format (default: from -o's extension).",
                  ) -> Callable[[F], F]:
    """-f / --format, offering ``choices`` (in sorted order when they are graphs')."""
    return click.option("-f", "--format", "fmt", type=click.Choice(list(choices)),
                        default=default, show_default=default is not None, help=help)


def output_options(per_root: bool = True, formats: Sequence[str] | None = None,
                   ) -> Callable[[F], F]:
    """Add -o, -O (when each root can get its own file) and --format; pass ``outputs``."""
    choices = tuple(formats or sorted(FORMATS))

    def decorate(func: F) -> F:
        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            outputs = Outputs(kwargs.pop("output"), kwargs.pop("output_dir", None),
                              kwargs.pop("fmt"), choices)
            outputs.check()
            return func(*args, outputs=outputs, **kwargs)

        options = [
            click.option("-o", "--output", metavar="FILE",
                         help="Write to FILE ('-' for stdout, the default); the format "
                         "follows the extension unless --format is given."),
            format_option(sorted(choices)),
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


__all__ = ["REPORTS", "Failure", "Outputs", "Unresolved", "extensions", "format_option",
           "output_options", "render_jobs", "report_failures", "warn_unresolved",
           "write_each", "write_graphs"]
