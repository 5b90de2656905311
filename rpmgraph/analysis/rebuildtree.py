"""What must be rebuilt when a binary package changes, as a reverse graph: the package,
the binary packages through which it reaches each source package's buildroot, and the
source packages, each edge pointing from what needs to what is needed (a source to
what its BuildRequires chose, a binary package to what it requires).

The rebuilds themselves (the shortest chain into each buildroot) are
``analysis.buildorder.rebuilds``; this only turns their graph to face the targets.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rpmgraph.analysis.buildorder import Rebuild
    from rpmgraph.depgraph import DepGraph
    from rpmgraph.model import Package
    from rpmgraph.sources.srpms import SourcePackage


def rebuild_tree(buildroots: Mapping[SourcePackage, DepGraph], found: Sequence[Rebuild],
                 targets: Sequence[Package], sources: Sequence[str],
                 depth: int | None = None) -> DepGraph:
    """The chains of ``found`` as one reverse graph whose roots are ``targets`` (there
    even when no buildroot holds them): walked from a target to what needs it, a source
    package's level is its rebuild depth."""
    from rpmgraph.analysis.buildorder import rebuilds_graph
    from rpmgraph.depgraph import add_package

    graph = rebuilds_graph(buildroots, found, sources)
    roots = [add_package(graph, package) for package in targets]
    note = "what must be rebuilt" + (f", depth {depth}" if depth is not None else "")
    graph.graph.update(roots=sorted(set(roots)), reverse=True,
                       notes=[*graph.graph["notes"], note])
    return graph
