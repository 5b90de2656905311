"""``rpmgraph graph``: the dependency graph of root packages, one file or one per root."""

from __future__ import annotations

import click

from rpmgraph.cli.base import Session, cli, complete_packages, session_options
from rpmgraph.cli.drawing import Drawing, Layouts
from rpmgraph.cli.outputs import Outputs, output_options, report_failures, write_each
from rpmgraph.cli.views import View, view_options
from rpmgraph.render import ENGINES

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
  rpmgraph graph --repo ./repo @core-tools --with-optional -o core-tools.svg
  rpmgraph graph --repo appstream --repo baseos --module nodejs:20 nodejs -o node.svg

\b
Environment:
  RPMGRAPH_JOBS=N            pictures drawn at once (default: CPUs + 4, up to 32), and
                             processes a text batch under install is split among
                             (default: one per CPU); 1 does everything in one process
  RPMGRAPH_LAYOUT_TIMEOUT=S  seconds a Graphviz layout may take (default 600, 0: no limit)
  XDG_CACHE_HOME             where the metadata cache goes (rpmgraph/ in it; --cachedir)
"""


@cli.command(epilog=GRAPH_EXAMPLES)
@click.argument("roots", nargs=-1, required=True, shell_complete=complete_packages)
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
    (openstack-nova-2012.1-6.fc17.noarch), NAME.ARCH (glibc.i686), a capability
    (/usr/bin/nova-manage, 'python(abi) = 2.7'), a comps group or environment of the
    repositories, @GROUP (its id or name) or @^ENVIRONMENT, which stands for the packages
    'dnf install @GROUP' installs (see 'rpmgraph groups'; optional ones with
    --with-optional), or a module stream's profile, @NAME:STREAM or @NAME:STREAM/PROFILE
    (see 'rpmgraph modules'). Roots are read as 'dnf install' reads them: the solver
    picks one build of a name (or what obsoletes it) and one provider of a capability;
    with -O each root is solved on its own. Formats: dot, svg, png, pdf, json, graphml,
    tree (text), list (NEVRAs, one a line, sorted, as repoquery prints them), html (an
    interactive page: pan, zoom, search, click a package for its details) and mermaid
    (a flowchart for Markdown, capped at 100 packages and 200 edges, with a note of
    what was left out).
    """
    from rpmgraph.cli.batch import write_batch
    from rpmgraph.cli.views import resolution

    fmt = outputs.format()
    resolution(session, view.reverse)  # bad --kinds is reported before the slow load
    found = session.roots(list(roots))
    # (after the load: a cold one imports the graph modules while it waits: halves.py)
    from rpmgraph.render.style import Style
    from rpmgraph.resolve import release_shared

    style = Style(cluster=cluster, sizes=sizes, legend=not no_legend, rankdir=rankdir,
                  color_by=color_by)
    run = Drawing.of(fmt, style, layout, batch=outputs.output_dir is not None)
    if outputs.output_dir is None:
        graphs = [(outputs.output or "-", run.prepare(view.graph(session, found)))]
        run.unresolved.add(graphs[0][1])
        # For '*': the roots' solvable wrappers and the resolver's tables are not kept
        # while the graph is written.
        found.clear()
        release_shared()
        failed, total = write_each(graphs, fmt, options=run.options)
    else:
        failed, total = write_batch(session, view, found, outputs.output_dir,
                                    (fmt, run.options), run.prepare, run.unresolved)
    run.warn()
    report_failures(failed, total)


__all__ = ["Layouts", "graph"]  # Layouts: also importable from here, as before
