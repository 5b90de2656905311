"""``rpmgraph graph``: the dependency graph of root packages, one file or one per root."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from rpmgraph.cli.base import Session, cli, session_options
from rpmgraph.cli.outputs import Outputs, output_options, warn_unresolved, write_graphs

if TYPE_CHECKING:
    import solv

    from rpmgraph.graph import DepGraph
    from rpmgraph.render import Format
    from rpmgraph.resolve import Resolver

GRAPH_EXAMPLES = """
\b
Examples:
  rpmgraph graph --repo sample_repos/essex openstack-nova -o nova.svg
  rpmgraph graph --repo sample_repos/essex 'openstack-*' -O out/ --format svg
  rpmgraph graph --repo sample_repos/essex --policy all python-nova --format json
  rpmgraph graph --rpm ./RPMS/ /usr/bin/nova-manage -o nova.dot
  rpmgraph graph --installed --root /srv/chroot --dbpath /var/lib/rpm bash --depth 2
"""


@cli.command(epilog=GRAPH_EXAMPLES)
@click.argument("roots", nargs=-1, required=True)
@session_options()
@click.option("--depth", type=click.IntRange(min=0), help="Cut the graph N levels from the roots.")
@output_options()
def graph(roots: tuple[str, ...], session: Session, depth: int | None,
          outputs: Outputs) -> None:
    """Write the dependency graph of ROOT packages.

    A ROOT is a package name, a glob ('openstack-*', '*' for every package), a NEVRA
    (openstack-nova-2012.1-6.fc17.noarch) or a capability (/usr/bin/nova-manage,
    'python(abi) = 2.7').
    """
    fmt = outputs.format()
    resolver = session.resolver()
    found = session.roots(list(roots))
    if outputs.output_dir is None:
        graphs = [(outputs.output or "-", resolver.graph(found))]
    else:
        graphs = per_root_graphs(resolver, found, outputs.output_dir, fmt)
    graphs = [(target, cut(g, depth)) for target, g in graphs]
    warn_unresolved([g for _, g in graphs])
    write_graphs(graphs, fmt)


def cut(graph: DepGraph, depth: int | None) -> DepGraph:
    from rpmgraph.graph import cut_depth

    return graph if depth is None else cut_depth(graph, depth)


def per_root_graphs(resolver: Resolver, roots: list[solv.XSolvable], folder: Path,
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
        graphs.append((target, resolver.graph([solvable])))
    return graphs
