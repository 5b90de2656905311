"""Build dependencies: ``builddep``, ``build-order`` and ``rebuilds``.

Source packages come from ``--srpm`` (.src.rpm files or folders), ``--source-repo``
(rpm-md repositories of src packages) and the src packages of ``--repo`` folders; the
binary packages their BuildRequires resolve to come from the usual sources.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast

import click

from rpmgraph.cli.base import Session, cli, session_options, warn, with_options
from rpmgraph.cli.outputs import (
    Outputs,
    output_options,
    report_failures,
    warn_unresolved,
    write_each,
    write_graphs,
)

if TYPE_CHECKING:
    from rpmgraph.sources.srpms import SourcePackage, SourceSet

F = TypeVar("F", bound=Callable[..., Any])
_PICTURES = ["dot", "svg", "png", "pdf", "graphml", "html"]


def source_options(func: F) -> F:
    """--srpm and --source-repo; the command receives ``srpms`` and ``source_repos``."""
    options = [
        click.option("--srpm", "srpms", multiple=True, type=click.Path(path_type=Path),
                     metavar="PATH",
                     help=".src.rpm file, or folder searched for them. Repeatable."),
        click.option("--source-repo", "source_repos", multiple=True, metavar="[NAME=]PATH|URL",
                     help="rpm-md repository of source packages (folder or URL). Repeatable."),
    ]

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        return func(*args, **kwargs)

    return cast(F, with_options(wrapper, options))


def _sources(session: Session, srpms: tuple[Path, ...],
             source_repos: tuple[str, ...]) -> SourceSet:
    from rpmgraph.builddep import load_sources
    from rpmgraph.sources.repofiles import parse_repo_option

    specs = [parse_repo_option(r) for r in source_repos]
    return load_sources(session.load(), list(srpms), specs, session.load_options(), warn)


def _chosen(session: Session, srpms: tuple[Path, ...], source_repos: tuple[str, ...],
            specs: tuple[str, ...]) -> list[SourcePackage]:
    from rpmgraph.builddep import select_sources

    return select_sources(_sources(session, srpms, source_repos), list(specs), warn)


def _emit(text: str, outputs: Outputs) -> None:
    from rpmgraph.safefiles import write_output

    write_output(outputs.output or "-", text.encode())


BUILDDEP_EXAMPLES = """
\b
Examples:
  rpmgraph builddep --source-repo sample_repos/essex-source --repo sample_repos/essex \\
      --repo sample_repos/essex-buildroot openstack-nova -o nova-buildroot.svg
  rpmgraph builddep --srpm ~/rpmbuild/SRPMS/ --repo sample_repos/essex \\
      --repo sample_repos/essex-buildroot python-eventlet -f tree
  rpmgraph builddep --repo ./repo ./foo-1.0-1.src.rpm --format json
  rpmgraph builddep --source-repo sample_repos/essex-source --repo sample_repos/essex \\
      --repo sample_repos/essex-buildroot 'openstack-*' -O out/ --format svg
  rpmgraph builddep --source-repo sample_repos/essex-source --repo sample_repos/essex \\
      --repo sample_repos/essex-buildroot openstack-nova --base bash --base coreutils
"""


@cli.command(epilog=BUILDDEP_EXAMPLES)
@click.argument("specs", metavar="SRC...", nargs=-1, required=True)
@source_options
@session_options()
@click.option("--base", multiple=True, metavar="ROOT",
              help="A minimal buildroot already there (as mock's build group): its "
              "packages are resolved with the BuildRequires and drawn grey. Repeatable.")
@click.option("--hide-base", is_flag=True, help="With --base: leave the base out.")
@click.option("--depth", type=click.IntRange(min=0),
              help="Cut the graph N levels from the source package.")
@output_options()
def builddep(specs: tuple[str, ...], srpms: tuple[Path, ...], source_repos: tuple[str, ...],
             session: Session, base: tuple[str, ...], hide_base: bool, depth: int | None,
             outputs: Outputs) -> None:
    """Draw the buildroot 'dnf builddep SRC' would install.

    SRC is a source package name, a glob, a NEVRA (openstack-nova-2012.1-6.fc17.src) or
    a .src.rpm file. Each of its BuildRequires is an install job of the binary packages
    that provide it, solved by libsolv on an empty system as dnf builddep solves it
    (weak dependencies, --best/--nobest and --arch as for 'rpmgraph graph'). The graph has
    the source package as its root, buildrequires edges to the binary packages chosen,
    and their runtime closure under them; what nothing provides is marked unresolved.
    """
    from rpmgraph.analysis import transform
    from rpmgraph.builddep import builddep_graph
    from rpmgraph.depgraph import cut_depth
    from rpmgraph.safefiles import prepare_folder, safe_filename

    fmt = outputs.format()
    options = session.options()
    chosen = _chosen(session, srpms, source_repos, specs)
    if len(chosen) > 1 and outputs.output_dir is None:
        raise click.UsageError(f"{len(chosen)} source packages match: write one graph "
                               "each with -O DIR, or name one")
    loaded = session.load()
    base_roots = session.roots(list(base)) if base else []
    graphs = []
    for source in chosen:
        graph = builddep_graph(loaded, source, options, warn, base=base_roots)
        if depth is not None:
            graph = cut_depth(graph, depth)
        if base:
            graph = transform.collapse_base(graph, hide=hide_base)
        target = (str(outputs.output_dir / safe_filename(source.name, fmt.extension))
                  if outputs.output_dir is not None else outputs.output or "-")
        graphs.append((target, graph))
    if outputs.output_dir is not None:
        prepare_folder(outputs.output_dir)
    warn_unresolved(g for _, g in graphs)
    report_failures(*write_each(graphs, fmt))


BUILD_ORDER_EXAMPLES = """
\b
Examples:
  rpmgraph build-order --source-repo sample_repos/essex-source --repo sample_repos/essex \\
      --repo sample_repos/essex-buildroot 'openstack-*'
  rpmgraph build-order --source-repo sample_repos/essex-source --repo sample_repos/essex \\
      --repo sample_repos/essex-buildroot '*' --format chain
  rpmgraph build-order --srpm SRPMS/ --repo ./repo '*' --format json
  rpmgraph build-order --source-repo sample_repos/essex-source --repo sample_repos/essex \\
      --repo sample_repos/essex-buildroot '*' -o order.svg
"""


@cli.command("build-order", epilog=BUILD_ORDER_EXAMPLES)
@click.argument("specs", metavar="SRC...", nargs=-1, required=True)
@source_options
@session_options()
@output_options(per_root=False, formats=["text", "json", "chain", *_PICTURES])
def build_order(specs: tuple[str, ...], srpms: tuple[Path, ...], source_repos: tuple[str, ...],
                session: Session, outputs: Outputs) -> None:
    """Print the order to build SRC packages in: layers, and cycles with a break.

    Source A comes before B when B's buildroot (what 'dnf builddep B' installs) holds a
    binary package built from A (its SOURCERPM). Only the SRCs named are ordered; what
    they need from the binary repositories is taken as present. Text gives the layers
    (each one's sources can be built in parallel), Koji's chain-build form (a b : c : d),
    and each cycle (strongly connected component) with the BuildRequires that close it
    and a suggested edge to break for bootstrapping; --format chain gives the chain
    alone, json all of it; dot, svg, png, pdf, graphml and html draw the source-level
    graph, an edge pointing to the source to build first, the breaks dashed.
    """
    from rpmgraph.analysis.buildorder import build_order as order_of
    from rpmgraph.analysis.buildorder import order_text, to_graph
    from rpmgraph.builddep import buildroots
    from rpmgraph.render import FORMATS

    fmt = outputs.fmt or (outputs.format("dot").name if outputs.output not in (None, "-")
                          else "text")
    options = session.options()
    chosen = _chosen(session, srpms, source_repos, specs)
    order = order_of(buildroots(session.load(), chosen, options, lambda _: None))
    if fmt == "text":
        _emit(order_text(order), outputs)
    elif fmt == "chain":
        _emit(order.chain() + "\n", outputs)
    elif fmt == "json":
        _emit(json.dumps(order.to_json(), indent=2, ensure_ascii=False) + "\n", outputs)
    else:
        write_graphs([(outputs.output or "-", to_graph(order, session.load().sources))],
                     FORMATS[fmt])


REBUILDS_EXAMPLES = """
\b
Examples:
  rpmgraph rebuilds --source-repo sample_repos/essex-source --repo sample_repos/essex \\
      --repo sample_repos/essex-buildroot python-greenlet
  rpmgraph rebuilds --source-repo sample_repos/essex-source --repo sample_repos/essex \\
      --repo sample_repos/essex-buildroot python-sqlalchemy --format json
  rpmgraph rebuilds --source-repo sample_repos/essex-source --repo sample_repos/essex \\
      --repo sample_repos/essex-buildroot python-greenlet -o greenlet-rebuilds.svg
"""


@cli.command(epilog=REBUILDS_EXAMPLES)
@click.argument("targets", metavar="PACKAGE...", nargs=-1, required=True)
@source_options
@session_options()
@click.option("--sources", "among", multiple=True, metavar="GLOB", default=("*",),
              show_default=True, help="Source packages to look at. Repeatable.")
@click.option("--depth", type=click.IntRange(min=1),
              help="Only sources whose buildroot holds PACKAGE within N steps (1: a "
              "BuildRequires of theirs is satisfied by it).")
@output_options(per_root=False, formats=["text", "json", *_PICTURES])
def rebuilds(targets: tuple[str, ...], srpms: tuple[Path, ...], source_repos: tuple[str, ...],
             session: Session, among: tuple[str, ...], depth: int | None,
             outputs: Outputs) -> None:
    """List the source packages to rebuild when binary PACKAGEs change.

    Those whose buildroot (what 'dnf builddep' installs for them) holds PACKAGE,
    directly (depth 1: one of their BuildRequires is satisfied by it) or through other
    packages (depth 2 and more), with the chain that brings it in: the blast radius of a
    library change. Pictures draw the chains.
    """
    from rpmgraph.analysis.buildorder import rebuilds as find
    from rpmgraph.analysis.buildorder import rebuilds_graph, rebuilds_text
    from rpmgraph.builddep import buildroots
    from rpmgraph.pool import to_package
    from rpmgraph.render import FORMATS

    fmt = outputs.fmt or (outputs.format("dot").name if outputs.output not in (None, "-")
                          else "text")
    options = session.options()
    chosen = _chosen(session, srpms, source_repos, among)
    wanted = [to_package(s).nevra for s in session.packages(list(targets))]
    roots = buildroots(session.load(), chosen, options, lambda _: None)
    found = [r for r in find(roots, wanted) if depth is None or r.depth <= depth]
    if fmt == "text":
        _emit(rebuilds_text(found), outputs)
    elif fmt == "json":
        rows = [{"source": r.source, "depth": r.depth, "target": r.target,
                 "path": list(r.path)} for r in found]
        _emit(json.dumps({"targets": wanted, "rebuilds": rows}, indent=2,
                         ensure_ascii=False) + "\n", outputs)
    else:
        write_graphs([(outputs.output or "-",
                       rebuilds_graph(roots, found, session.load().sources))], FORMATS[fmt])
