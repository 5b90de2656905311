"""Root specs as ``dnf install`` reads them: a name, a glob, a NEVRA, ``NAME.ARCH``, a
capability, a file, ``@GROUP``, ``@^ENVIRONMENT`` or ``@MODULE:STREAM`` -> roots, each
the packages the solver may choose among (the first step of resolve's data flow)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeAlias

import solv

from rpmgraph.errors import RootError
from rpmgraph.model import format_nevra
from rpmgraph.pool import LoadedPool, load_filelists, newest_per_name_arch, split_evr
from rpmgraph.sources.modules import hidden_hint, module_root_names

Warn = Callable[[str], None]
_NAME_FLAGS = (solv.Selection.SELECTION_NAME | solv.Selection.SELECTION_CANON
               | solv.Selection.SELECTION_DOTARCH | solv.Selection.SELECTION_REL
               | solv.Selection.SELECTION_GLOB)
_PROVIDES_FLAGS = (solv.Selection.SELECTION_PROVIDES | solv.Selection.SELECTION_FILELIST
                   | solv.Selection.SELECTION_REL | solv.Selection.SELECTION_GLOB)


@dataclass(frozen=True, slots=True)
class Root:
    """One root as ``dnf install`` reads it: its jobs, each the packages the solver may
    choose one of under the install policy (every usable build of the name, what
    obsoletes it when a plain name was given, every provider of a capability; a group
    has one job per package name, and its conditional packages), and the packages the
    all policy starts from (the newest build of each name.arch among the matches)."""

    named: str | None  # the capability or group typed; None: its first package's name
    nevra: str | None  # its first package's NEVRA, when already known (else read: ``key``)
    jobs: tuple[tuple[int, ...], ...]
    shown: tuple[int, ...]
    conditional: tuple[str, ...] = ()  # rich dependencies to install: "(NAME if OTHER)"
    # Where the packages are: a root of one package ('*' makes one per package) reads its name and
    # NEVRA only when asked.
    pool: solv.Pool | None = field(default=None, repr=False, compare=False)

    @property
    def label(self) -> str:
        """What the root is called: its package name, or the capability or group typed."""
        if self.named is not None:
            return self.named
        assert self.pool is not None
        return str(self.pool.id2solvable(self.shown[0]).name)

    @property
    def key(self) -> str:
        """The NEVRA of its first package under the all policy: stable across policies."""
        if self.nevra is not None:
            return self.nevra
        assert self.pool is not None
        return _nevra(self.pool.id2solvable(self.shown[0]))

    @property
    def candidates(self) -> tuple[int, ...]:
        return tuple(sorted({i for job in self.jobs for i in job}))

    @staticmethod
    def of(s: solv.XSolvable) -> Root:
        """A root of exactly this package."""
        return Root.of_id(s.pool, s.id)

    @staticmethod
    def of_id(pool: solv.Pool, i: int) -> Root:
        return Root(None, None, ((i,),), (i,), pool=pool)


RootLike: TypeAlias = "Root | solv.XSolvable"


def find_roots(loaded: LoadedPool, specs: list[str], with_optional: bool = False,
               warn: Warn | None = None) -> list[solv.XSolvable]:
    """Names, globs, NEVRAs, capabilities or groups -> packages, in the order given, no
    repeats: the packages each root shows under the all policy (see ``read_roots``)."""
    found: dict[int, None] = {}  # solvable ids, in order (ids: '*' gives every package)
    for root in read_roots(loaded, specs, with_optional, warn):
        found.update(dict.fromkeys(root.shown))
    return [loaded.pool.id2solvable(i) for i in found]


def read_roots(loaded: LoadedPool, specs: list[str], with_optional: bool = False,
               warn: Warn | None = None) -> list[Root]:
    """Root specs -> roots as dnf reads them: a name or a glob gives one root per package
    name it matches, a NEVRA one root of that build, a capability one root whose
    providers the solver chooses among, ``@GROUP`` and ``@^ENVIRONMENT`` one root of
    what ``dnf install @GROUP`` installs (optional packages too ``with_optional``; see
    rpmgraph.grouproots). No two roots of the same packages."""
    from rpmgraph.grouproots import GroupRoots

    groups = GroupRoots(loaded, with_optional, warn, _match_roots)
    roots: dict[tuple[tuple[int, ...], ...], Root] = {}
    for spec in specs:
        grouped = groups.root(spec) or _module_root(loaded, spec)
        if grouped is not None:
            roots.setdefault(grouped.jobs, grouped)
            continue
        found = _match_roots(loaded, spec)
        if not found and spec.startswith("/") and load_filelists(loaded):
            found = _match_roots(loaded, spec)  # a file that only the file lists name
        if not found:
            raise RootError(_unknown_root_message(loaded, spec))
        for root in found:
            roots.setdefault(root.jobs, root)
    return list(roots.values())


def _module_root(loaded: LoadedPool, spec: str) -> Root | None:
    """``@NAME:STREAM[/PROFILE]`` as one root of its profile's packages (each read as a
    plain name root is), as ``dnf install @NAME:STREAM`` installs them; None when
    ``spec`` is not one."""
    names = module_root_names(loaded.modules, spec)
    if names is None:
        return None
    found: list[Root] = []
    for name in names:
        matched = _match_roots(loaded, name)
        if not matched:
            raise RootError(f"{spec}: no package named {name} in the sources")
        found += matched
    if not found:
        raise RootError(f"{spec}: the profile lists no packages")
    shown = tuple(dict.fromkeys(i for r in found for i in r.shown))
    return Root(spec, found[0].key, tuple(job for r in found for job in r.jobs), shown)


def _match_roots(loaded: LoadedPool, spec: str) -> list[Root]:
    pool = loaded.pool
    if spec and set(spec) == {"*"}:
        return [Root.of_id(pool, i) for i in _every_package(loaded)]
    usable = loaded.usable
    found = [s for s in pool.select(spec, _NAME_FLAGS).solvables() if s.id in usable]
    exact = [s for s in found if str(s) == spec or _nevra(s) == spec]
    if exact:
        return [Root.of(exact[0])]
    if found:
        return _name_roots(loaded, spec, found)
    found = [s for s in pool.select(spec, _PROVIDES_FLAGS).solvables() if s.id in usable]
    if not found:
        return []
    shown = newest_per_name_arch(found)
    return [Root(spec, _nevra(shown[0]), (tuple(sorted(s.id for s in found)),),
                 tuple(s.id for s in shown))]


def _name_roots(loaded: LoadedPool, spec: str, found: list[solv.XSolvable]) -> list[Root]:
    """One root per package name; a plain name also lets the solver take what obsoletes
    it (dnf's ``obsoletes=True``: a package renamed or merged into another)."""
    by_name: dict[str, list[solv.XSolvable]] = {}
    for s in found:
        by_name.setdefault(s.name, []).append(s)
    roots = []
    for name in sorted(by_name):
        builds = by_name[name]
        shown = newest_per_name_arch(builds)
        candidates = {s.id for s in builds}
        if name == spec:
            candidates |= _obsoleters(loaded, builds)
        roots.append(Root(name, _nevra(shown[0]), (tuple(sorted(candidates)),),
                          tuple(s.id for s in shown)))
    return roots


def _obsoleters(loaded: LoadedPool, builds: list[solv.XSolvable]) -> set[int]:
    """Usable packages whose Obsoletes match one of ``builds`` by name and version."""
    pool = loaded.pool
    found: set[int] = set()
    for s in builds:
        nevr = pool.Dep(s.name).Rel(solv.REL_EQ, pool.Dep(s.evr))
        for other in pool.whatmatchesdep(solv.SOLVABLE_OBSOLETES, nevr):
            if other.id in loaded.usable and other.name != s.name:
                found.add(other.id)
    return found


def _every_package(loaded: LoadedPool) -> list[int]:
    """What the name glob ``*`` selects (no NEVRA is "*"): the newest build of each
    name.arch, in NEVRA order; without libsolv's glob selection, which takes 1.4 s to
    say so for 70,000 names. Without installed packages that is the pool's own (cached)
    newest set, sorted by id first so that equal NEVRAs keep repository order."""
    pool = loaded.pool
    if loaded.installed is not None:
        newest = newest_per_name_arch(pool.id2solvable(i) for i in sorted(loaded.usable))
        return [s.id for s in newest]
    return sorted(sorted(loaded.newest_ids()), key=pool.solvid2str)


def _nevra(s: solv.XSolvable) -> str:
    """``to_package(s).nevra`` without reading sizes and summary (roots match on it)."""
    return format_nevra(s.name, *split_evr(s.evr), s.arch)


def _unknown_root_message(loaded: LoadedPool, spec: str) -> str:
    import difflib

    hint = hidden_hint(loaded.modules, loaded.pool, spec)  # module filtering hides it
    others = [] if hint else _other_arches(loaded, spec)
    if others:
        return (f"{spec!r} matches only packages for {', '.join(others)}, which "
                f"{loaded.arch} does not install (choose with --arch)")
    if not hint:
        names = sorted({s.name for s in loaded.solvables()})
        close = difflib.get_close_matches(spec, names, n=3, cutoff=0.6)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
    return f"no package or capability matches {spec!r} in the sources{hint}"


def _other_arches(loaded: LoadedPool, spec: str) -> list[str]:
    """The arches of the packages ``spec`` names that the arch policy leaves out."""
    flags = (_NAME_FLAGS | solv.Selection.SELECTION_WITH_BADARCH
             | solv.Selection.SELECTION_WITH_DISABLED)
    hidden = loaded.modules.hidden if loaded.modules is not None else set()
    found = {s.arch for s in loaded.pool.select(spec, flags).solvables()
             if s.id not in loaded.usable and s.id not in hidden
             and s.arch not in ("src", "nosrc")}
    return sorted(found)
