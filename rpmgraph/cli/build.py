"""``builddep``, ``build-order`` and ``rebuilds``: thin calls into rpmgraph.builddep."""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from rpmgraph.cli import outputs as out
from rpmgraph.cli.base import Session, cli, session_options, warn, with_options
from rpmgraph.cli.outputs import Outputs, output_options
from rpmgraph.render import FORMATS
from rpmgraph.safefiles import prepare_folder, safe_filename, write_output

if TYPE_CHECKING:
    from rpmgraph.builddep import BuildQuery
    from rpmgraph.depgraph import DepGraph

_PICTURES = ["dot", "svg", "png", "pdf", "graphml", "html"]
# --srpm and --source-repo; the command receives ``srpms`` and ``source_repos``.
source_options = functools.partial(with_options, options=[
    click.option("--srpm", "srpms", multiple=True, type=click.Path(path_type=Path),
                 metavar="PATH", help=".src.rpm file, or folder searched for them. Repeatable."),
    click.option("--source-repo", "source_repos", multiple=True, metavar="[NAME=]PATH|URL",
                 help="rpm-md repository of source packages (folder or URL). Repeatable.")])
_ESSEX = ("--source-repo sample_repos/essex-source --repo sample_repos/essex \\\n"
          "      --repo sample_repos/essex-buildroot")


def _command(name: str, argument: str, metavar: str, examples: str,
             ) -> Callable[[Callable[..., None]], click.Command]:
    """Arguments, --srpm, --source-repo, the session; ``query()`` loads the sources."""
    def decorate(func: Callable[..., None]) -> click.Command:
        @functools.wraps(func)
        def wrapper(*args: Any, srpms: tuple[Path, ...], source_repos: tuple[str, ...],
                    session: Session, **kwargs: Any) -> None:
            from rpmgraph.builddep import BuildQuery

            def query() -> BuildQuery:  # (options first: bad ones fail before the slow load)
                return BuildQuery.of(session.options(), session.load(), srpms, source_repos,
                                     session.load_options(), warn)
            return func(*args, session=session, query=query, **kwargs)

        return cli.command(name, epilog="\b\nExamples:\n" + examples)(with_options(wrapper, [
            click.argument(argument, metavar=metavar, nargs=-1, required=True),
            source_options, session_options()]))
    return decorate


def _write(outputs: Outputs, text: str | None, graph: DepGraph | None) -> None:
    """A report (text or JSON) to -o, or the graph in the picture format asked for."""
    if text is not None:
        write_output(outputs.output or "-", text.encode())
    elif graph is not None:
        out.write_graphs([(outputs.output or "-", graph)], outputs.format())


def _report(outputs: Outputs) -> str:  # --format, else -o's extension, else text
    return outputs.fmt or ("text" if outputs.output in (None, "-") else outputs.format().name)


@_command("builddep", "specs", "SRC...", f"""\
  rpmgraph builddep {_ESSEX} openstack-nova openstack-glance -o buildroot.svg
  rpmgraph builddep {_ESSEX} 'openstack-*' -O out/ --format svg
  rpmgraph builddep {_ESSEX} openstack-nova --stats""")
@click.option("--base", multiple=True, metavar="ROOT", help="A minimal buildroot already "
              "there (as mock's build group), resolved with the rest, drawn grey. Repeatable.")
@click.option("--hide-base", is_flag=True, help="With --base: leave the base out.")
@click.option("--depth", type=click.IntRange(min=0), help="Cut the graph N levels down.")
@click.option("--stats", "measure", is_flag=True, help="Sizes (as 'rpmgraph stats', -f text, "
              "json, markdown) of each SRC's buildroot on its own, not a graph.")
@click.option("--top", type=click.IntRange(min=0), default=10, help="With --stats: how many "
              "dependencies to rank by exclusive size (default: 10).")
@output_options(formats=[*FORMATS, "text", "markdown"])
def builddep(specs: tuple[str, ...], session: Session, query: Callable[[], BuildQuery],
             base: tuple[str, ...], hide_base: bool, depth: int | None, measure: bool,
             top: int, outputs: Outputs) -> None:
    """Draw the buildroot 'dnf builddep SRC...' would install.

    SRC: a source package name, glob, NEVRA or .src.rpm file. Every BuildRequires of
    every SRC is an install job of its providers, solved in one transaction on an empty
    system as dnf builddep does (--no-weak, --best/--nobest, --arch as for 'graph'); each
    SRC is a root, with buildrequires edges to the packages chosen. -O DIR: one each.
    """
    from rpmgraph.builddep import buildroot_report

    reports = measure or outputs.fmt in ("text", "markdown")
    fmt = _report(outputs) if reports else outputs.format().name
    if reports and (not measure or fmt not in ("text", "json", "markdown") or outputs.output_dir):
        raise click.UsageError("--stats reports go to -o as text, json or markdown; a "
                               "graph's text form is --format tree")
    built = query()
    chosen, based = built.select(specs), session.roots(list(base))
    if measure:
        return _write(outputs, buildroot_report(built.stats(chosen, based, top), fmt), None)
    folder, ext = outputs.output_dir, FORMATS[fmt].extension
    graphs = [(str(folder / safe_filename(name, ext)) if folder else outputs.output or "-", g)
              for name, g in built.drawn(chosen, based, bool(folder), depth, hide_base)]
    if folder is not None:
        prepare_folder(folder)
    out.warn_unresolved(g for _, g in graphs)
    return out.report_failures(*out.write_each(graphs, FORMATS[fmt]))


@_command("build-order", "specs", "SRC...", f"""\
  rpmgraph build-order {_ESSEX} 'openstack-*'
  rpmgraph build-order --srpm SRPMS/ --repo ./repo '*' --format chain""")
@output_options(per_root=False, formats=["text", "json", "chain", *_PICTURES])
def build_order(specs: tuple[str, ...], session: Session, query: Callable[[], BuildQuery],
                outputs: Outputs) -> None:
    """Print the order to build SRC packages in: layers, and cycles with a break.

    A comes before B when B's buildroot ('dnf builddep B') holds a binary built from A
    (its SOURCERPM); only the SRCs named are ordered. Text: the layers (each one's
    sources build in parallel), Koji's chain (a b : c : d; --format chain alone), each
    cycle and a suggested break; json all of it; pictures: the source graph, breaks dashed.
    """
    from rpmgraph.analysis.buildorder import order_report

    built = query()
    order = built.order(built.select(specs))
    _write(outputs, *order_report(order, _report(outputs), built.loaded.sources))


@_command("rebuilds", "targets", "PACKAGE...", f"""\
  rpmgraph rebuilds {_ESSEX} python-greenlet
  rpmgraph rebuilds {_ESSEX} python-sqlalchemy -o sqlalchemy-rebuilds.svg""")
@click.option("--sources", "among", multiple=True, metavar="GLOB", default=("*",),
              show_default=True, help="Source packages to look at. Repeatable.")
@click.option("--depth", type=click.IntRange(min=1),
              help="Only sources within N steps of PACKAGE (1: a BuildRequires of theirs).")
@output_options(per_root=False, formats=["text", "json", *_PICTURES])
def rebuilds(targets: tuple[str, ...], session: Session, query: Callable[[], BuildQuery],
             among: tuple[str, ...], depth: int | None, outputs: Outputs) -> None:
    """List the source packages to rebuild when binary PACKAGEs change.

    Those whose buildroot ('dnf builddep') holds PACKAGE, directly (depth 1: by a
    BuildRequires) or through other packages, and the chain: a change's blast radius.
    """
    from rpmgraph.analysis.buildorder import rebuilds_report
    from rpmgraph.pool import to_package

    built = query()
    wanted = [to_package(s).nevra for s in session.packages(list(targets))]
    found, graph = built.rebuilds(built.select(among), wanted, depth)
    _write(outputs, *rebuilds_report(wanted, found, graph, _report(outputs)))
