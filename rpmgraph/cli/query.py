"""The questions packagers ask: ``tree``, ``why`` and ``cycles``."""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING

import click

from rpmgraph.cli.base import Session, cli, complete_packages, session_options
from rpmgraph.cli.outputs import Outputs, output_options, warn_unresolved, write_graphs
from rpmgraph.cli.views import View, resolution, storage, view_options

if TYPE_CHECKING:
    from rpmgraph.api import Cycles, WhyPaths

EXIT_NOT_FOUND = 1


def _emit(text: str, outputs: Outputs) -> None:
    from rpmgraph.safefiles import write_output

    write_output(outputs.output or "-", text.encode())


def _terminal(outputs: Outputs) -> bool:
    return outputs.output in (None, "-") and sys.stdout.isatty()


TREE_EXAMPLES = """
\b
Examples:
  rpmgraph tree --repo sample_repos/essex openstack-nova --depth 2
  rpmgraph tree --repo sample_repos/essex openstack-nova --show-caps --stop-at-base
  rpmgraph tree --repo sample_repos/essex --reverse python-eventlet
  rpmgraph tree --repo sample_repos/essex-source --repo sample_repos/essex \\
      --repo sample_repos/essex-buildroot --reverse --kinds buildrequires python-eventlet
  rpmgraph tree --repo sample_repos/essex openstack-keystone --format json
"""


@cli.command(epilog=TREE_EXAMPLES)
@click.argument("roots", nargs=-1, required=True, shell_complete=complete_packages)
@session_options()
@view_options
@click.option("--show-caps", is_flag=True, help="Show the capability that brought each in.")
@click.option("--ascii", "ascii_", is_flag=True, help="Plain ASCII instead of box drawing.")
@click.option("--color/--no-color", default=None,
              help="Colour (default: when writing to a terminal).")
@output_options(per_root=False, formats=["text", "json"])
def tree(roots: tuple[str, ...], session: Session, view: View, show_caps: bool, ascii_: bool,
         color: bool | None, outputs: Outputs) -> None:
    """Print the dependency tree of ROOT packages, one line per package.

    Each package's dependencies are listed once; where it appears again it is marked
    (*). Dependencies nothing provides are marked with a cross. With --reverse, the tree
    of what requires ROOT; with --reverse --kinds buildrequires, what must be rebuilt
    when ROOT changes: the source packages (of --repo folders) whose buildroot holds it,
    each at its depth, under the packages through which it comes in (as 'rebuilds').
    """
    from rpmgraph.render.tree import TreeStyle, to_tree_json, to_tree_text

    resolution(session, view.reverse)  # bad --kinds is refused before the slow load
    graph = view.graph(session, session.roots(list(roots)))
    warn_unresolved([graph])
    # The tree itself stops at --depth; the graph was already cut to the same depth.
    if (outputs.fmt or "text") == "json" or (outputs.output or "").endswith(".json"):
        _emit(to_tree_json(graph, view.depth), outputs)
        return
    import shutil

    # On a terminal long lines are cut, not wrapped.
    style = TreeStyle(ascii=ascii_, show_caps=show_caps, depth=view.depth,
                      color=_terminal(outputs) if color is None else color,
                      width=shutil.get_terminal_size().columns if _terminal(outputs) else None)
    _emit(to_tree_text(graph, style), outputs)


WHY_EXAMPLES = """
\b
Examples:
  rpmgraph why --repo sample_repos/essex openstack-nova python-greenlet
  rpmgraph why --repo sample_repos/essex openstack-nova glibc --all
  rpmgraph why --repo sample_repos/essex openstack-nova python-greenlet -o why.svg
"""


@cli.command(epilog=WHY_EXAMPLES)
@click.argument("package", metavar="ROOT", shell_complete=complete_packages)
@click.argument("target", shell_complete=complete_packages)
@session_options()
@click.option("--all", "every", is_flag=True, help="Every shortest path, not just one.")
@output_options(per_root=False, formats=["text", "json", "dot", "svg", "png", "pdf", "graphml",
                                          "html"])
def why(package: str, target: str, session: Session, every: bool, outputs: Outputs) -> None:
    """Show the shortest chain(s) of dependencies by which ROOT pulls TARGET in.

    Each step names the dependency kind and the capability. Exits 1 when ROOT does not
    pull TARGET in.
    """
    asked = resolution(session)  # bad --kinds is refused before the slow load
    found = session.universe().why(package, target, **asked, every=every)
    if not found:
        click.echo(f"{package} does not pull {target} in (under the {found.policy} "
                   "policy)", err=True)
        sys.exit(EXIT_NOT_FOUND)
    _write(found, outputs)


def _write(found: WhyPaths | Cycles, outputs: Outputs) -> None:
    """Text, JSON, or the graph in a picture format (the default for -o FILE)."""
    from rpmgraph.render import FORMATS

    fmt = (outputs.fmt or (outputs.format("dot").name if outputs.output not in (None, "-")
                           else "text"))
    if fmt == "text":
        _emit(found.text(), outputs)
    elif fmt == "json":
        _emit(json.dumps(found.to_json(), indent=2, ensure_ascii=False) + "\n", outputs)
    else:
        write_graphs([(outputs.output or "-", storage(found.graph))], FORMATS[fmt])


CYCLES_EXAMPLES = """
\b
Examples:
  rpmgraph cycles --repo sample_repos/essex
  rpmgraph cycles --repo sample_repos/essex openstack-nova --format json
  rpmgraph cycles --repo sample_repos/essex -o cycles.svg
"""


@cli.command(epilog=CYCLES_EXAMPLES)
@click.argument("roots", nargs=-1, shell_complete=complete_packages)
@session_options()
@output_options(per_root=False, formats=["text", "json", "dot", "svg", "png", "pdf", "graphml",
                                          "html"])
def cycles(roots: tuple[str, ...], session: Session, outputs: Outputs) -> None:
    """List dependency cycles (strongly connected components) in the ROOTs' graph, or
    among every package of the sources (under the all policy) when no ROOT is given,
    with the edges and capabilities that close them."""
    asked = resolution(session)  # bad --kinds is refused before the slow load
    _write(session.universe().cycles(list(roots), **asked), outputs)
