"""The graph of every package of the sources, and what requires given packages in it.

``rpmgraph cycles`` without roots and ``--reverse`` ask about every package (under the
all policy: every provider counts). What requires a package is first walked back
through libsolv, without the whole graph (``Resolver.reverse_graph``); where that walk
cannot answer, the whole graph is made once per set of options and kept (``Wholes``),
so that a batch of reverse roots reuses it, with the view its closures walk.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import solv

    from rpmgraph.depgraph import DepGraph
    from rpmgraph.pool import LoadedPool
    from rpmgraph.resolve import ResolveOptions

Warn = Callable[[str], None]


def whole_graph(loaded: LoadedPool, options: ResolveOptions, warn: Warn) -> DepGraph:
    """Every package of the sources (the newest build of each name.arch) as roots, under
    the all policy with ``options``' kinds; the graph names no root."""
    from rpmgraph.pool import newest_per_name_arch
    from rpmgraph.resolve import Policy, Resolver

    chosen = dataclasses.replace(options, policy=Policy.ALL)
    graph = Resolver(loaded, chosen, warn).graph(newest_per_name_arch(loaded.solvables()))
    graph.graph["roots"] = []
    return graph


@dataclass(slots=True)
class Wholes:
    """The whole graph of each set of options asked for, with the view that reverse
    closures walk in it; made once each."""

    _made: dict[ResolveOptions, tuple[DepGraph, DepGraph]] = field(default_factory=dict)

    def known(self, options: ResolveOptions) -> bool:
        return _all(options) in self._made

    def graph(self, loaded: LoadedPool, options: ResolveOptions, warn: Warn) -> DepGraph:
        return self.of(loaded, options, warn)[0]

    def of(self, loaded: LoadedPool, options: ResolveOptions,
           warn: Warn) -> tuple[DepGraph, DepGraph]:
        """The whole graph, and its forward view (the graph itself when no edge of it is
        turned around: without Supplements/Enhances, and the all policy draws no
        unpicked alternatives, it walks as its view would, without a copy of every
        edge)."""
        from rpmgraph.analysis.paths import forward_view
        from rpmgraph.resolve import Policy

        key = _all(options)
        if key not in self._made:
            whole = whole_graph(loaded, key, warn)
            turned = any(kind.reverse for kind in key.kinds_for(Policy.ALL))
            self._made[key] = (whole, forward_view(whole) if turned else whole)
        return self._made[key]


def _all(options: ResolveOptions) -> ResolveOptions:
    from rpmgraph.resolve import Policy

    return dataclasses.replace(options, policy=Policy.ALL)


def reverse_of(loaded: LoadedPool, wholes: Wholes, targets: Sequence[solv.XSolvable],
               depth: int | None, options: ResolveOptions, warn: Warn) -> DepGraph:
    """What requires ``targets``, recursively (within ``depth`` steps), under the all
    policy with ``options``' kinds: walked back through libsolv until the whole graph
    is needed (or already made), then the reverse closure in the whole graph."""
    from rpmgraph.analysis.reverse import reverse_closure
    from rpmgraph.pool import to_package
    from rpmgraph.resolve import Resolver

    if not wholes.known(options):
        walked = Resolver(loaded, _all(options), warn).reverse_graph(list(targets), depth)
        if walked is not None:
            return walked
    whole, view = wholes.of(loaded, options, warn)
    return reverse_closure(whole, [to_package(s).nevra for s in targets], depth, view=view)
