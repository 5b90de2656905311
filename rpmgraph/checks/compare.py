"""Two sides compared: the closure of the same roots in two sources, or in one source and
a lock file (the baseline), as a ``DiffReport`` that writes itself in each format."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from rpmgraph.analysis.paths import forward_view
from rpmgraph.analysis.sizes import chain, parents
from rpmgraph.checks.diff import Diff, diff_closures, merge_graphs, union_graph
from rpmgraph.checks.formats import DIFF, DIFF_PICTURES, DIFF_REPORTS
from rpmgraph.checks.snapshot import BaselineError, Closure, closure_from, read_baseline, root_keys
from rpmgraph.depgraph import DepGraph

if TYPE_CHECKING:
    from rpmgraph.pool import LoadedPool
    from rpmgraph.resolve import ResolveOptions



@dataclass(frozen=True, slots=True)
class DiffReport:
    """What changed (``diff``: packages added with the chain that pulls each in, removed,
    changed in version, the size delta), and the two sides it was read from, for the
    picture of the union graph."""

    diff: Diff
    _new: DepGraph = field(repr=False)
    _old: DepGraph | None = field(repr=False)  # None: the old side is a lock file
    _old_closure: Closure = field(repr=False)

    @property
    def differs(self) -> bool:
        """Packages were added, removed or changed in version."""
        return bool(self.diff.added or self.diff.removed or self.diff.changed)

    def render(self, fmt: str) -> bytes:
        """The diff as text, json or markdown, or the union graph (added packages green,
        removed red, changed versions yellow) as dot, svg, png or pdf."""
        from rpmgraph.errors import RenderError

        if fmt in DIFF_PICTURES:
            from rpmgraph.render import FORMATS as RENDERERS

            union = union_graph(self.diff, self._new, self._old, self._old_closure)
            return RENDERERS[fmt].render(union)
        if fmt not in DIFF_REPORTS:
            raise RenderError(f"unknown format {fmt!r} (choose from {', '.join(DIFF)})")
        from rpmgraph.checks.report_diff import REPORTS as WRITERS

        return WRITERS[fmt](self.diff).encode()


def merged_graph(loaded: LoadedPool, specs: list[str], options: ResolveOptions,
                 warn: Callable[[str], None], with_optional: bool = False) -> DepGraph:
    """The roots each resolved on its own, as one graph."""
    from rpmgraph.resolve import Resolver, read_roots

    resolver = Resolver(loaded, options, warn)
    return merge_graphs([resolver.graph([r])
                         for r in read_roots(loaded, specs, with_optional, warn)])


def compare_graphs(new: DepGraph, old: DepGraph) -> DiffReport:
    """The same roots resolved in two sources."""
    closure = _closure(old)
    return DiffReport(_diff(closure, list(old.graph["roots"]), new), new, old, closure)


def compare_baseline(new: DepGraph, path: Path) -> DiffReport:
    """The roots resolved against the closures a lock file holds for them."""
    closure = _baseline_side(path, new)
    return DiffReport(_diff(closure, closure.root.split(", "), new), new, None, closure)


def _closure(graph: DepGraph) -> Closure:
    return closure_from(graph, parents(forward_view(graph), graph.graph["roots"]))


def _baseline_side(path: Path, new: DepGraph) -> Closure:
    """The baseline closures of the roots the new side found, merged into one."""
    baseline = read_baseline(path)
    roots = new.graph["roots"]
    keys = root_keys([(r, new.nodes[r]["name"]) for r in roots])
    missing = [key for key in keys.values() if key not in baseline]
    if missing:
        raise BaselineError(f"{path} has no entry for {', '.join(missing)}; its roots: "
                            f"{', '.join(sorted(baseline)) or 'none'}")
    chosen = [baseline[keys[r]] for r in roots]
    members = {m.id: m for c in reversed(chosen) for m in c.members}
    return Closure(", ".join(c.root for c in chosen), chosen[0].policy,
                   tuple(members[i] for i in sorted(members)))


def _diff(old: Closure, old_roots: list[str], new: DepGraph) -> Diff:
    roots = list(new.graph["roots"])
    parent = parents(forward_view(new), roots)
    return diff_closures(old, _closure(new), old_roots, roots,
                         lambda node: tuple(chain(parent, node)))
