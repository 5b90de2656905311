"""``rpmgraph graph``: the dependency graph of root packages, one file or one per root."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from rpmgraph.cli.base import Session, cli, session_options
from rpmgraph.cli.outputs import Outputs, output_options, warn_unresolved, write_graphs
from rpmgraph.cli.views import View, view_options
from rpmgraph.render.graphviz import ENGINES

if TYPE_CHECKING:
    import solv

    from rpmgraph.graph import DepGraph
    from rpmgraph.render import Format

GRAPH_EXAMPLES = """
\b
Examples:
  rpmgraph graph --repo sample_repos/essex openstack-nova -o nova.svg
  rpmgraph graph --repo sample_repos/essex 'openstack-*' -O out/ --format svg
  rpmgraph graph --repo sample_repos/essex --policy all python-nova --format json
  rpmgraph graph --rpm ./RPMS/ /usr/bin/nova-manage -o nova.dot
  rpmgraph graph --installed --root /srv/chroot --dbpath /var/lib/rpm bash --depth 2
  rpmgraph graph --repo sample_repos/essex --reverse python-eventlet -f tree
  rpmgraph graph --repo sample_repos/essex openstack-nova --stop-at-base --reduce -o n.svg
  rpmgraph graph --repo sample_repos/essex openstack-nova --base python-nova --hide-base
  rpmgraph graph --repo sample_repos/essex openstack-nova --cluster srpm -o nova.svg
  rpmgraph graph --repo sample_repos/essex openstack-nova --show-alternatives -o alt.svg
  rpmgraph graph --repo sample_repos/essex openstack-nova --color-by repo -o nova.png
  rpmgraph graph --repo sample_repos/essex 'openstack-*' -o essex.html
"""


@cli.command(epilog=GRAPH_EXAMPLES)
@click.argument("roots", nargs=-1, required=True)
@session_options()
@view_options
@click.option("--cluster", type=click.Choice(["srpm", "repo"]),
              help="Group nodes into boxes by source package or by repository.")
@click.option("--sizes", is_flag=True,
              help="Show installed sizes in node labels; wider nodes for bigger packages.")
@click.option("--no-legend", is_flag=True, help="Leave the legend out of pictures.")
@click.option("--rankdir", type=click.Choice(["LR", "TB", "RL", "BT"]), default="LR",
              show_default=True, help="Direction the picture is laid out in.")
@click.option("--color-by", type=click.Choice(["role", "repo"]), default="role",
              show_default=True, help="Fill nodes by role (root, direct or transitive "
              "dependency, base) or by repository.")
@click.option("--layout", type=click.Choice(ENGINES), metavar="ENGINE",
              help="Graphviz engine for svg, png and pdf: dot, sfdp, neato, ... (default: "
              "dot, or sfdp when the graph is too big for dot).")
@output_options()
def graph(roots: tuple[str, ...], session: Session, view: View, cluster: str | None,
          sizes: bool, no_legend: bool, rankdir: str, color_by: str, outputs: Outputs,
          layout: str | None) -> None:
    """Write the dependency graph of ROOT packages.

    A ROOT is a package name, a glob ('openstack-*', '*' for every package), a NEVRA
    (openstack-nova-2012.1-6.fc17.noarch) or a capability (/usr/bin/nova-manage,
    'python(abi) = 2.7'). Formats: dot, svg, png, pdf, json, graphml, tree (text) and
    html (an interactive page: pan, zoom, search, click a package for its details).
    """
    from rpmgraph.render.dot import DotStyle

    fmt = outputs.format()
    session.options()  # bad --kinds is reported before the slow load
    found = session.roots(list(roots))
    if outputs.output_dir is None:
        graphs = [(outputs.output or "-", view.graph(session, found))]
    else:
        graphs = per_root_graphs(session, view, found, outputs.output_dir, fmt)
    style = DotStyle(cluster=cluster, sizes=sizes, legend=not no_legend, rankdir=rankdir,
                     color_by=color_by)
    for _, g in graphs:
        g.graph["dot_style"] = style
    choose_layouts([g for _, g in graphs], fmt, layout)
    warn_unresolved([g for _, g in graphs])
    write_graphs(graphs, fmt)


def per_root_graphs(session: Session, view: View, roots: list[solv.XSolvable], folder: Path,
                    fmt: Format) -> list[tuple[str, DepGraph]]:
    """One graph per root; files named after the package, or its NEVRA when names repeat."""
    from rpmgraph.output import prepare_folder, safe_filename
    from rpmgraph.pool import to_package

    prepare_folder(folder)
    packages = [to_package(r) for r in roots]
    names = [p.name for p in packages]
    graphs = []
    for solvable, package in zip(roots, packages, strict=True):
        stem = package.name if names.count(package.name) == 1 else package.nevra
        target = str(folder / safe_filename(stem, fmt.extension))
        graphs.append((target, view.graph(session, [solvable])))
    return graphs


def choose_layouts(graphs: list[DepGraph], fmt: Format, requested: str | None) -> None:
    """Pictures: the Graphviz engine for each graph, and one warning when big graphs go to
    sfdp instead of dot (a graph too big for any engine fails when it is drawn)."""
    from rpmgraph.cli.base import warn
    from rpmgraph.errors import RenderError
    from rpmgraph.render.graphviz import choose_engine

    if fmt.name not in ("svg", "png", "pdf"):
        return
    switched: list[str] = []
    for g in graphs:
        try:
            choice = choose_engine(g.number_of_nodes(), g.number_of_edges(), requested)
        except RenderError:
            continue
        g.graph["layout"] = choice.engine
        if choice.reason:
            switched.append(choice.reason)
    if switched:
        more = f" (and for {len(switched) - 1} more graphs)" if len(switched) > 1 else ""
        warn(switched[0] + more)
