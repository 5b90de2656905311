"""Group and environment roots (``@GROUP``, ``@^ENVIRONMENT``) as the package roots that
``dnf install @GROUP`` installs (rpmgraph.sources.comps says which names; this module
finds their packages in the pool).

A name no repository has is skipped with a warning, as dnf skips it ("No match for
group package"). A conditional package comes with the package its ``requires`` names
when that one is installed, by the roots or by their dependencies: dnf hands the solver
the job ``install (NAME if REQUIRES)``, and so does the resolver with a group root's
``conditional`` dependencies.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import solv

from rpmgraph.errors import RootError
from rpmgraph.pool import LoadedPool
from rpmgraph.sources.comps import comps_of, is_group_spec

if TYPE_CHECKING:
    from rpmgraph.resolve import Root

Warn = Callable[[str], None]
Match = Callable[[LoadedPool, str], "list[Root]"]


class GroupRoots:
    """Reads the group roots of one ``read_roots`` call."""

    def __init__(self, loaded: LoadedPool, with_optional: bool, warn: Warn | None,
                 match: Match) -> None:
        self.loaded = loaded
        self.with_optional = with_optional
        self.warn = warn
        self.match = match  # how a plain name root is matched (roots._match_roots)

    def root(self, spec: str) -> Root | None:
        """Group root ``spec`` as one root: a job per package name (each read as a plain
        name root is), and its conditional packages; None when ``spec`` is not one."""
        from rpmgraph.resolve import Root

        if not is_group_spec(spec):
            return None
        selection = comps_of(self.loaded).select(spec, self.with_optional)
        found = []
        for name in selection.names:
            if self._has_name(name):
                found += self.match(self.loaded, name)
            elif self.warn is not None:
                self.warn(f"{spec}: no package named {name} in the sources; skipped, "
                          "as dnf skips it")
        conditional = tuple(f"({name} if {needs})" for name, needs in selection.conditional
                            if self._has_name(name))
        if not found and not conditional:
            raise RootError(f"none of the packages of {spec!r} is in the sources")
        shown = tuple(dict.fromkeys(i for r in found for i in r.shown))
        key = found[0].key if found else spec
        return Root(spec, key, tuple(job for r in found for job in r.jobs), shown,
                    conditional)

    def _has_name(self, name: str) -> bool:
        selection = self.loaded.pool.select(name, solv.Selection.SELECTION_NAME)
        return any(s.id in self.loaded.usable for s in selection.solvables())
