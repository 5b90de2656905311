"""The questions packagers ask: ``tree``, ``why`` and ``cycles``."""

from __future__ import annotations

import itertools
import json
import sys
from typing import TYPE_CHECKING, Any

import click

from rpmgraph.cli.base import Session, cli, complete_packages, session_options
from rpmgraph.cli.outputs import Outputs, output_options, warn_unresolved, write_graphs
from rpmgraph.cli.views import View, view_options, whole_graph

if TYPE_CHECKING:
    from rpmgraph.depgraph import DepGraph

EXIT_NOT_FOUND = 1


def _emit(text: str, outputs: Outputs) -> None:
    from rpmgraph.safefiles import write_output

    write_output(outputs.output or "-", text.encode())


def _use_color(outputs: Outputs, flag: bool | None) -> bool:
    if flag is not None:
        return flag
    return outputs.output in (None, "-") and sys.stdout.isatty()


def _terminal_width(outputs: Outputs) -> int | None:
    """The terminal's width when writing to one: long lines are cut, not wrapped."""
    if outputs.output not in (None, "-") or not sys.stdout.isatty():
        return None
    import shutil

    return shutil.get_terminal_size().columns


TREE_EXAMPLES = """
\b
Examples:
  rpmgraph tree --repo sample_repos/essex openstack-nova --depth 2
  rpmgraph tree --repo sample_repos/essex openstack-nova --show-caps --stop-at-base
  rpmgraph tree --repo sample_repos/essex --reverse python-eventlet
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
    of what requires ROOT.
    """
    from rpmgraph.render.tree import TreeStyle, to_tree_json, to_tree_text

    session.options()
    graph = view.graph(session, session.roots(list(roots)))
    warn_unresolved([graph])
    # The tree itself stops at --depth; the graph was already cut to the same depth.
    if (outputs.fmt or "text") == "json" or (outputs.output or "").endswith(".json"):
        _emit(to_tree_json(graph, view.depth), outputs)
        return
    style = TreeStyle(ascii=ascii_, show_caps=show_caps, color=_use_color(outputs, color),
                      depth=view.depth, width=_terminal_width(outputs))
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
    from rpmgraph.analysis.paths import why_paths
    from rpmgraph.pool import to_package

    session.options()
    roots = session.roots([package])
    targets = [to_package(t).nevra for t in session.packages([target])]
    graph = session.resolver().graph(roots)
    found = [t for t in targets if t in graph]
    paths = sorted(p for start in graph.graph["roots"] for t in found
                   for p in why_paths(graph, start, t, every))
    if not every:
        paths = paths[:1]
    if not paths:
        click.echo(f"{package} does not pull {target} in (under the {graph.graph['policy']} "
                   "policy)", err=True)
        sys.exit(EXIT_NOT_FOUND)
    _write_paths(graph, paths, outputs)


def _write_paths(graph: DepGraph, paths: list[list[str]], outputs: Outputs) -> None:
    from rpmgraph.analysis.transform import subgraph_of_paths
    from rpmgraph.render import FORMATS

    fmt = (outputs.fmt or (outputs.format("dot").name if outputs.output not in (None, "-")
                           else "text"))
    if fmt in ("text", "json"):
        steps = _steps(graph, paths)
        text = (json.dumps({"paths": paths, "steps": steps}, indent=2, ensure_ascii=False)
                + "\n" if fmt == "json" else _paths_text(paths, steps))
        _emit(text, outputs)
        return
    sub = subgraph_of_paths(graph, paths, "why-path")
    write_graphs([(outputs.output or "-", sub)], FORMATS[fmt])


def _steps(graph: DepGraph, paths: list[list[str]]) -> list[dict[str, Any]]:
    """Every edge walked by the paths, once, with kind and capabilities."""
    from rpmgraph.depgraph import edge_kind

    steps: dict[tuple[str, str], dict[str, Any]] = {}
    for path in paths:
        for a, b in itertools.pairwise(path):
            reversed_ = not graph.has_edge(a, b)
            deps = graph.edges[(b, a) if reversed_ else (a, b)]["deps"]
            steps[(a, b)] = {"source": a, "target": b, "kind": edge_kind(deps).value,
                             "capabilities": [d.capability for d in deps],
                             "declared_by": b if reversed_ else a}
    return [steps[key] for key in sorted(steps)]


def _paths_text(paths: list[list[str]], steps: list[dict[str, Any]]) -> str:
    """``python-nova --requires python-eventlet--> python-eventlet``, one step per line."""
    from rpmgraph.render.tree import terminal_safe

    by_edge = {(s["source"], s["target"]): s for s in steps}
    blocks = []
    for path in paths:
        lines = [path[0]]
        for a, b in itertools.pairwise(path):
            step = by_edge[(a, b)]
            caps = ", ".join(step["capabilities"])
            lines.append(f"  --{step['kind']} {caps}--> {b}")
        blocks.append("\n".join(map(terminal_safe, lines)))
    return "\n\n".join(blocks) + "\n"


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
    from rpmgraph.analysis import transform
    from rpmgraph.render import FORMATS

    session.options()
    if roots:
        graph = session.resolver().graph(session.roots(list(roots)))
    else:  # "could these ever form a cycle": every provider of every package counts
        from rpmgraph.resolve import Policy

        graph = whole_graph(session, Policy.ALL)
    found = transform.cycles(graph)
    fmt = (outputs.fmt or (outputs.format("dot").name if outputs.output not in (None, "-")
                           else "text"))
    if fmt in ("text", "json"):
        closing = [_cycle_edges(graph, c) for c in found]
        if fmt == "json":
            _emit(json.dumps({"cycles": found, "edges": closing}, indent=2,
                             ensure_ascii=False) + "\n", outputs)
        else:
            _emit(_cycles_text(found, closing), outputs)
        return
    members = {n for c in found for n in c}
    sub: DepGraph = graph.subgraph(sorted(members)).copy()
    sub.graph = {**graph.graph, "roots": [], "notes": [*graph.graph["notes"], "cycles"]}
    write_graphs([(outputs.output or "-", sub)], FORMATS[fmt])


def _cycle_edges(graph: DepGraph, cycle: list[str]) -> list[dict[str, Any]]:
    from rpmgraph.depgraph import edge_kind

    inside = set(cycle)
    return [{"source": a, "target": b, "kind": edge_kind(d["deps"]).value,
             "capabilities": [x.capability for x in d["deps"]]}
            for a, b, d in sorted(graph.subgraph(inside).edges(data=True),
                                  key=lambda e: (e[0], e[1]))]


def _cycles_text(found: list[list[str]], closing: list[list[dict[str, Any]]]) -> str:
    from rpmgraph.render.tree import terminal_safe

    if not found:
        return "no dependency cycles\n"
    blocks = []
    for i, (cycle, edges) in enumerate(zip(found, closing, strict=True), 1):
        lines = [f"cycle {i}: {len(cycle)} packages"]
        lines += [f"  {e['source']} --{e['kind']} {', '.join(e['capabilities'])}--> "
                  f"{e['target']}" for e in edges]
        blocks.append("\n".join(map(terminal_safe, lines)))
    return "\n\n".join(blocks) + "\n"
