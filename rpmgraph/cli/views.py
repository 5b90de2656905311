"""Options that shape a graph before it is written, shared by ``graph`` and ``tree``:
--reverse, --depth, --exclude, --stop-at, --base, --collapse, --reduce, ..."""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar, cast

import click

from rpmgraph.cli.base import Session, with_options

if TYPE_CHECKING:
    from rpmgraph.depgraph import DepGraph
    from rpmgraph.resolve import Root

F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True, slots=True)
class View:
    reverse: bool = False
    depth: int | None = None
    exclude: tuple[str, ...] = ()
    stop_at: tuple[str, ...] = ()
    stop_at_base: bool = False
    base: tuple[str, ...] = ()
    base_installed: bool = False
    hide_base: bool = False
    collapse: str | None = None
    collapse_cycles: bool = False
    reduce: bool = False
    show_alternatives: bool = False
    # The graph of every package that --reverse walks and its forward view (paths.py):
    # made once for a batch's roots.
    _whole: list[DepGraph] = field(default_factory=list, init=False, repr=False,
                                   compare=False)
    _checked: list[bool] = field(default_factory=list, init=False, repr=False, compare=False)

    def graph(self, session: Session, roots: list[Root]) -> DepGraph:
        """Resolve ``roots`` (or find what requires them) and apply every transform."""
        if not self._checked:  # once for a batch
            self._checked.append(True)
            warn_unmatched(session, {"--exclude": self.exclude, "--stop-at": self.stop_at})
        if self.reverse:
            return self.shape(self._reverse(session, roots), cut=False)
        resolver = session.resolver(
            dataclasses.replace(session.options(), show_alternatives=self.show_alternatives))
        base = session.roots(list(self.base)) if self.base else []
        return self.shape(resolver.graph(roots, base=base, base_installed=self.base_installed))

    def _reverse(self, session: Session, found: list[Root]) -> DepGraph:
        from rpmgraph.analysis.paths import forward_view
        from rpmgraph.analysis.reverse import reverse_closure
        from rpmgraph.pool import to_package
        from rpmgraph.resolve import Policy

        pool = session.load().pool
        roots = [pool.id2solvable(i) for r in found for i in r.shown]
        if not self._whole:  # once a batch made the whole graph, every root takes it
            options = dataclasses.replace(session.options(), policy=Policy.ALL)
            walked = session.resolver(options).reverse_graph(roots, self.depth)
            if walked is not None:  # without the whole graph
                return walked
        if not self._whole:  # the whole graph and its forward view, once for a batch
            whole = whole_graph(session, Policy.ALL)
            # Without Supplements/Enhances no edge is turned around (and the all policy
            # draws no unpicked alternatives): the whole graph walks as its forward view
            # would, without a copy of its 300,000 edges for a distribution.
            turned = any(kind.reverse for kind in session.options().kinds_for(Policy.ALL))
            self._whole.extend([whole, forward_view(whole) if turned else whole])
        return reverse_closure(self._whole[0], [to_package(r).nevra for r in roots], self.depth,
                               view=self._whole[1])

    def shape(self, graph: DepGraph, cut: bool = True) -> DepGraph:
        from rpmgraph.analysis import transform
        from rpmgraph.depgraph import cut_depth

        if self.exclude:
            graph = transform.exclude(graph, list(self.exclude))
        stops = list(self.stop_at) + (list(transform.BASE_PACKAGES) if self.stop_at_base else [])
        if stops:
            graph = transform.stop_at(graph, stops)
        if cut and self.depth is not None:
            graph = cut_depth(graph, self.depth)
        if self.base or self.base_installed:
            graph = transform.collapse_base(graph, hide=self.hide_base)
        if self.collapse == "srpm":
            graph = transform.collapse_srpm(graph)
        if self.collapse_cycles:
            graph = transform.collapse_cycles(graph)
        if self.reduce:
            graph = transform.reduce(graph)
        return graph


def warn_unmatched(session: Session, options: dict[str, tuple[str, ...]]) -> None:
    """A glob of --exclude or --stop-at that matches no package of the sources (by name
    or NEVRA) is most likely mistyped: say so, rather than leave the graph unchanged."""
    import fnmatch

    from rpmgraph.cli.base import warn

    if not any(options.values()):
        return
    found = session.load().solvables()
    names = {s.name for s in found} | {f"{s.name}-{s.evr}.{s.arch}" for s in found}
    for option, patterns in options.items():
        for pattern in patterns:
            if not any(fnmatch.fnmatchcase(name, pattern) for name in names):
                warn(f"{option} {pattern!r} matches no package in the sources, so it "
                     "changes nothing (globs match names or NEVRAs, case-sensitively)")


def whole_graph(session: Session, policy: Any) -> DepGraph:
    """Every package of the sources (newest build of each name.arch) as roots."""
    from rpmgraph.pool import newest_per_name_arch

    options = dataclasses.replace(session.options(), policy=policy)
    resolver = session.resolver(options)
    everything = newest_per_name_arch(session.load().solvables())
    graph = resolver.graph(everything)
    graph.graph["roots"] = []
    return graph


_VIEW_OPTIONS = [
    click.option("--depth", type=click.IntRange(min=0),
                 help="Cut the graph N levels from the roots."),
    click.option("--reverse", is_flag=True,
                 help="What requires the ROOTs, recursively, among every package of the "
                 "sources (every provider counts, as under --policy all)."),
    click.option("--exclude", multiple=True, metavar="GLOB",
                 help="Leave out matching packages and what only they pull in (a glob "
                 "that matches no package is warned about). Repeatable."),
    click.option("--stop-at", multiple=True, metavar="GLOB",
                 help="Show matching packages but not their dependencies (a glob that "
                 "matches no package is warned about). Repeatable."),
    click.option("--stop-at-base", is_flag=True,
                 help="--stop-at the ubiquitous base packages: glibc, bash, filesystem, "
                 "setup, coreutils, tzdata, ..."),
    click.option("--base", multiple=True, metavar="ROOT",
                 help="What ROOT adds on top of this package's closure: the base's "
                 "packages are drawn as one node. Repeatable."),
    click.option("--base-installed", is_flag=True,
                 help="What ROOT adds on top of the installed system (reads the rpm "
                 "database as the base)."),
    click.option("--hide-base", is_flag=True, help="With --base: leave the base out."),
    click.option("--collapse", type=click.Choice(["srpm"]),
                 help="srpm: merge the subpackages of each source package into one node."),
    click.option("--collapse-cycles", is_flag=True, help="Draw each cycle as one node."),
    click.option("--reduce", is_flag=True,
                 help="Transitive reduction: keep an edge only if no longer path connects "
                 "the same packages."),
    click.option("--show-alternatives", is_flag=True,
                 help="install policy: also draw, greyed, the providers the solver did not "
                 "pick and dependencies whose condition does not hold."),
]
_VIEW_FIELDS = [f.name for f in dataclasses.fields(View) if f.init]


def view_options(func: F) -> F:
    """Add the shaping options; the command receives them as ``view``. Needs the session
    options first (--base-installed adds the installed database to the sources)."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        values = {name: kwargs.pop(name) for name in _VIEW_FIELDS}
        view = View(**values)
        session: Session = kwargs["session"]
        if view.base_installed:
            session.installed = True
        return func(*args, view=view, **kwargs)

    return cast(F, with_options(wrapper, _VIEW_OPTIONS))
