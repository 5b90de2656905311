"""Group and environment roots (``@GROUP``, ``@^ENVIRONMENT``) as the package roots that
``dnf install @GROUP`` installs (rpmgraph.sources.comps says which names; this module
finds their packages in the pool).

A name no repository has is skipped with a warning, as dnf skips it ("No match for
group package"). A conditional package comes with the package its ``requires`` names
when that one is installed, by the roots or by their dependencies: dnf hands the solver
the job ``install (NAME if REQUIRES)``, and so does ``conditional`` here, once every
root of the run is known.
"""

from __future__ import annotations

from collections.abc import Callable

import solv

from rpmgraph.errors import RootError
from rpmgraph.pool import LoadedPool
from rpmgraph.sources.comps import comps_of, is_group_spec

Warn = Callable[[str], None]
Match = Callable[[LoadedPool, str], list[int]]


class GroupRoots:
    """Expands the group roots of one ``find_roots`` call."""

    def __init__(self, loaded: LoadedPool, with_optional: bool, warn: Warn | None,
                 match: Match) -> None:
        self.loaded = loaded
        self.with_optional = with_optional
        self.warn = warn
        self.match = match  # how a plain name root is matched (resolve._match_root)
        self.pending: dict[tuple[str, str], None] = {}  # conditional (name, requires)

    def expand(self, spec: str) -> list[int] | None:
        """The packages of group root ``spec``; None when ``spec`` is not one."""
        if not is_group_spec(spec):
            return None
        selection = comps_of(self.loaded).select(spec, self.with_optional)
        found: dict[int, None] = {}
        for name in selection.names:
            if self._has_name(name):
                found.update(dict.fromkeys(self.match(self.loaded, name)))
            elif self.warn is not None:
                self.warn(f"{spec}: no package named {name} in the sources; skipped, "
                          "as dnf skips it")
        self.pending.update(dict.fromkeys(
            (name, needs) for name, needs in selection.conditional if self._has_name(name)))
        if not found and not self.pending:
            raise RootError(f"none of the packages of {spec!r} is in the sources")
        return list(found)

    def conditional(self, roots: list[int]) -> list[int]:
        """The conditional packages that installing ``roots`` brings along."""
        if not self.pending:
            return []
        pool = self.loaded.pool
        solver = pool.Solver()
        flags = solv.Job.SOLVER_INSTALL | solv.Job.SOLVER_SOLVABLE | solv.Job.SOLVER_FORCEBEST
        jobs = [pool.Job(flags, i) for i in roots]
        for name, needs in self.pending:
            rich = pool.parserpmrichdep(f"({name} if {needs})")
            if rich is not None:
                jobs.append(pool.Job(solv.Job.SOLVER_INSTALL
                                     | solv.Job.SOLVER_SOLVABLE_PROVIDES, rich.id))
        if solver.solve(jobs):
            return []  # roots that cannot be installed: the graph explains why
        names = {name for name, _ in self.pending}
        installed = solver.transaction().newsolvables()
        return sorted((s.id for s in installed if s.name in names and s.id not in roots),
                      key=pool.solvid2str)

    def _has_name(self, name: str) -> bool:
        selection = self.loaded.pool.select(name, solv.Selection.SELECTION_NAME)
        return any(s.id in self.loaded.usable for s in selection.solvables())
