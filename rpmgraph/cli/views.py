"""Options that shape a graph before it is written, shared by ``graph`` and ``tree``:
--reverse, --depth, --exclude, --stop-at, --base, --collapse, --reduce, ..."""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar, cast

import click

from rpmgraph.cli.base import Session, warn, with_options

if TYPE_CHECKING:
    from rpmgraph.analysis.shape import Shape
    from rpmgraph.api import DependencyGraph, Universe
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
    # One universe for a batch's roots: what it makes for one (the graph of every
    # package that --reverse may need) the next ones reuse.
    _universe: list[Universe] = field(default_factory=list, init=False, repr=False,
                                      compare=False)

    def graph(self, session: Session, roots: list[Root]) -> DepGraph:
        """Resolve ``roots`` (or find what requires them) and apply every transform."""
        asked = resolution(session, self.reverse)
        if not self._universe:  # once for a batch
            self._universe.append(session.universe())
            for option, globs in (("--exclude", self.exclude), ("--stop-at", self.stop_at)):
                for glob in self._universe[0].unmatched(globs):
                    warn(f"{option} {glob!r} matches no package in the sources, so it "
                         "changes nothing (globs match names or NEVRAs, case-sensitively)")
        if self.reverse:  # (cut at --depth already)
            found = self._universe[0].reverse(roots, self.depth, kinds=asked["kinds"],
                                              all_versions=asked["all_versions"])
            return self.shape(None).apply(storage(found))
        return self.shape(self.depth).apply(storage(self._universe[0].graph(
            roots, **asked, show_alternatives=self.show_alternatives, base=self.base,
            base_installed=self.base_installed)))

    def shape(self, depth: int | None) -> Shape:
        from rpmgraph.analysis.shape import Shape

        return Shape(self.exclude, self.stop_at, self.stop_at_base, depth,
                     bool(self.base or self.base_installed), self.hide_base, self.collapse,
                     self.collapse_cycles, self.reduce)


def resolution(session: Session, reverse: bool = False) -> dict[str, Any]:
    """--policy, --kinds, --no-weak, --best, --all-versions, --with-optional as the
    library's keyword arguments (bad --kinds is refused here, before the slow load);
    --kinds buildrequires is the library's to read, with --reverse."""
    kinds = [k.strip() for k in (session.kinds or "").split(",") if k.strip()]
    if reverse and "buildrequires" in kinds:
        return {**resolution(dataclasses.replace(session, kinds=None)), "kinds": kinds}
    options = session.options()
    chosen = None if options.kinds is None else sorted(k.value for k in options.kinds)
    return {"policy": options.policy.value, "kinds": chosen, "weak": options.weak,
            "best": options.best, "all_versions": options.all_versions,
            "with_optional": session.with_optional}


def storage(graph: DependencyGraph) -> DepGraph:
    """What the writers take (they draw the networkx storage of a DependencyGraph)."""
    return graph._graph


_VIEW_OPTIONS = [
    click.option("--depth", type=click.IntRange(min=0),
                 help="Cut the graph N levels from the roots."),
    click.option("--reverse", is_flag=True,
                 help="What requires the ROOTs, recursively, among every package of the "
                 "sources (every provider counts, as under --policy all); with --kinds "
                 "buildrequires, the source packages to rebuild."),
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
