"""Roots and a policy in, a DepGraph out: libsolv decides what satisfies what.

Two engines draw the edges, held to the same graphs by tests/integration/
test_resolve_plans.py. The planned one reads a package's plan (``_Plan``: its edges'
targets and data, its unresolved dependencies), made once over a world and shared by
every graph over it: it serves the all policy, whose world is the same for every root,
and, under the install policy, each package whose plan over every usable package draws
only into the install set and has no rich dependency (most of a batch), since its edges
there are that plan's. The general walk (``_Builder._draw``) draws one dependency at a
time inside the graph's own world, and remains for what that world or the graph being
built decides: a rich dependency's branches (``or`` takes the first the install set
holds, ``if`` asks whether it holds the condition), a capability the solver satisfied
with one of its providers, Supplements/Enhances (drawn towards packages as they join the
graph) and unpicked alternatives (``--show-alternatives``).

Why both, measured on bench.py's warm one-root and batch commands (figures in
benchmarks/README.md): the plans are what make batches fast, under both policies
(through the general walk alone an all-policy batch is much slower, and the
install-policy batch got faster once most of its packages took plans); the cases left
to the general walk are a few per cent of a batch's packages, each of which would need
its plan filtered and its rich branches chosen again for every install set.
"""

from __future__ import annotations

import functools
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

import solv

from rpmgraph.depgraph import (
    DepGraph,
    EdgeData,
    WalkLimitError,
    add_alternative,
    add_dependency,
    add_edges_from_new_node,
    add_new_package,
    add_new_package_data,
    add_planned_edges,
    add_unresolved,
    new_graph,
    node_table,
    package_data,
    walk,
)
from rpmgraph.forked import Forked, can_fork
from rpmgraph.model import (
    DEFAULT_KINDS,
    Dependency,
    Kind,
    Package,
    Policy,
    ResolveOptions,
    format_nevra,
)
from rpmgraph.pool import LoadedPool, package_fields, to_package
from rpmgraph.richdeps import split_rich
from rpmgraph.roots import Root, RootLike, Warn, find_roots, read_roots

# Roots are read in rpmgraph.roots; resolve still offers them to its callers.
__all__ = ["DEFAULT_KINDS", "Policy", "ResolveOptions", "Resolver", "Root", "RootLike",
           "find_roots", "parse_capability", "read_roots", "release_shared"]

# How dnf's goal sets the solver up (libdnf's Goal): no vendor lock, forcebest keeps the
# arch policy, package splits through Obsoletes.
_DNF_SOLVER_FLAGS = (solv.Solver.SOLVER_FLAG_ALLOW_VENDORCHANGE,
                     solv.Solver.SOLVER_FLAG_BEST_OBEY_POLICY,
                     solv.Solver.SOLVER_FLAG_YUM_OBSOLETES)
_FORK_FROM = 5_000  # packages to read from which a forked child reads them (see _read_roots)
_WALK_BACK_LIMIT = 100  # packages a reverse walk may reach before the whole graph is made

_KEYS = {
    Kind.PREREQUIRES: solv.SOLVABLE_REQUIRES,
    Kind.REQUIRES: solv.SOLVABLE_REQUIRES,
    Kind.RECOMMENDS: solv.SOLVABLE_RECOMMENDS,
    Kind.SUGGESTS: solv.SOLVABLE_SUGGESTS,
    Kind.SUPPLEMENTS: solv.SOLVABLE_SUPPLEMENTS,
    Kind.ENHANCES: solv.SOLVABLE_ENHANCES,
}
_OPS = {"<": solv.REL_LT, "<=": solv.REL_LT | solv.REL_EQ, "=": solv.REL_EQ,
        "==": solv.REL_EQ, ">=": solv.REL_GT | solv.REL_EQ, ">": solv.REL_GT}


# ---------------------------------------------------------------- worlds


class _Plan(NamedTuple):
    """What a package's dependencies draw in an all-policy world, shared by every graph
    over that world: its edges' targets in the order they are first drawn, each edge's
    data (its dependencies merged and sorted), and the dependencies nothing provides."""

    targets: tuple[int, ...]
    edges: tuple[EdgeData, ...]
    unresolved: tuple[Dependency, ...]
    rich: bool  # some dependency is rich: which providers count may depend on the world


class _Step(NamedTuple):
    """One dependency (of one kind) in an all-policy world."""

    dep: Dependency
    edge: EdgeData  # the data of every edge it alone labels, shared (see depgraph.py)
    targets: tuple[int, ...]  # its providers in the world
    unresolved: bool


_KIND_CODES = {kind: code for code, kind in enumerate(Kind)}


@dataclass(slots=True)
class _Shared:
    """What every Resolver over one pool can reuse: a batch of a thousand roots makes a
    Resolver per root, and must not recompute the world or re-read packages each time."""

    loaded: LoadedPool
    worlds: dict[bool, set[int]] = field(default_factory=dict)  # by all_versions
    packages: dict[int, Package] = field(default_factory=dict)
    # Providers per capability inside each all-policy world (a batch asks the same ones).
    providers: dict[bool, dict[str, list[solv.XSolvable] | None]] = field(
        default_factory=dict)
    # Each dependency's step in each such world (by all_versions), for the plans.
    steps: dict[bool, dict[int, _Step]] = field(default_factory=dict)
    # What each package's dependencies draw in such a world, by kinds (see _Builder._plan).
    plans: dict[tuple[bool, frozenset[Kind]], dict[int, _Plan]] = field(
        default_factory=dict)
    planned_graphs: dict[tuple[bool, frozenset[Kind]], int] = field(default_factory=dict)
    nevras: dict[int, str] = field(default_factory=dict)  # node names by solvable id
    # Node data read ahead (see Resolver._read_roots), until a graph takes it.
    node_data: dict[int, dict[str, object]] = field(default_factory=dict)
    # What packages with rich dependencies draw edges to, by plans' key: target -> those
    # packages (see Resolver.reverse_graph).
    rich_requirers: dict[tuple[bool, frozenset[Kind]], dict[int, list[int]]] = field(
        default_factory=dict)
    key_holders: dict[int, list[int]] = field(default_factory=dict)  # see holders()
    deps: dict[tuple[int, Kind], tuple[tuple[Dependency, solv.Dep], ...]] = field(
        default_factory=dict)  # see dependencies()
    usable_providers: dict[str, tuple[solv.XSolvable, ...]] = field(
        default_factory=dict)  # see providers_of()
    # The install policy's planners over every usable package, by forward kinds.
    usable_planners: dict[frozenset[Kind], _Builder] = field(default_factory=dict)

    def dependencies(self, s: solv.XSolvable, kind: Kind,
                     ) -> tuple[tuple[Dependency, solv.Dep], ...]:
        """``_dependencies`` of ``s`` with their records, read once per pool: a batch's
        graphs expand the same packages again and again."""
        key = (s.id, kind)
        found = self.deps.get(key)
        if found is None:
            found = self.deps[key] = tuple((Dependency(kind, str(dep)), dep)
                                           for dep in _dependencies(s, kind))
        return found

    def providers_of(self, capability: str, soldep: solv.Dep | int,
                     ) -> tuple[solv.XSolvable, ...]:
        """Every usable provider of a plain capability, in NEVRA order, found once per
        pool; each graph keeps those inside its own world."""
        found = self.usable_providers.get(capability)
        if found is None:
            found = self.usable_providers[capability] = tuple(
                sorted(self.loaded.pool.whatprovides(soldep), key=str))
        return found

    def holders(self, key: int) -> list[int]:
        """The usable packages with a dependency of ``key``, found once per pool: a few
        hundred of a distribution have Supplements or Enhances."""
        found = self.key_holders.get(key)
        if found is None:
            pool = self.loaded.pool
            having = self.loaded.cached_ids(f"has{key}", lambda: {
                d.solvid for d in pool.Dataiterator(key, None, 0)})
            found = self.key_holders[key] = sorted(having & self.loaded.usable)
        return found

    def package(self, s: solv.XSolvable) -> Package:
        package = self.packages.get(s.id)
        if package is None:
            package = self.packages[s.id] = to_package(s)
        return package

    def nevra(self, i: int) -> str:
        nevra = self.nevras.get(i)
        if nevra is None:
            nevra = self.nevras[i] = self._package_of(i).nevra
        return nevra

    def _package_of(self, i: int) -> Package:
        return self.packages.get(i) or self.package(self.loaded.pool.id2solvable(i))

    def unread(self, ids: list[int]) -> list[int]:
        """Those of ``ids`` whose NEVRA is not known yet."""
        nevras = self.nevras
        return [i for i in ids if i not in nevras]

    def keep_read(self, ids: list[int], read: list[tuple[str, dict[str, object]]]) -> None:
        """NEVRAs and node data of ``ids`` from what ``_read_ahead`` gave."""
        nevras, node_data = self.nevras, self.node_data
        for i, (nevra, data) in zip(ids, read, strict=True):
            nevras[i] = nevra
            node_data[i] = data

    def add_node(self, graph: DepGraph, i: int) -> None:
        """Package ``i``'s node, from the data read ahead for it if any (once: the graph
        takes it over), else from its Package record."""
        data = self.node_data.pop(i, None)
        if data is not None:
            add_new_package_data(graph, self.nevra(i), data)
        else:
            add_new_package(graph, self.nevra(i), self._package_of(i))


def _read_ahead(pool: solv.Pool, ids: list[int]) -> list[tuple[str, dict[str, object]]]:
    """Each package's NEVRA and node data, in plain values (see rpmgraph.forked)."""
    found = []
    for i in ids:
        values = package_fields(pool.id2solvable(i))
        found.append((format_nevra(*values[:5]), package_data(values)))
    return found


_last_shared: list[_Shared] = []  # the pool of the run (one entry: old pools can go)


def _shared(loaded: LoadedPool) -> _Shared:
    if not _last_shared or _last_shared[0].loaded is not loaded:
        _last_shared[:] = [_Shared(loaded)]
    return _last_shared[0]


def release_shared() -> None:
    """Let go of what graphs over the run's pool share, once no more graphs will be made:
    for a distribution's whole graph that is about 15 MB of steps, providers and package
    records, which its rendering can then use. (A later graph would make them again.)"""
    _last_shared.clear()


class Resolver:
    """Builds graphs for sets of roots over one loaded pool."""

    def __init__(self, loaded: LoadedPool, options: ResolveOptions, warn: Warn) -> None:
        self.loaded = loaded
        self.pool = loaded.pool
        self.options = options
        self.warn = warn
        shared = _shared(loaded)
        self._all_world: set[int] | None = shared.worlds.get(options.all_versions)
        self._shared = shared  # Package records and NEVRAs by solvable id, and more
        self._providers = shared.providers

    def graph(self, roots: Sequence[RootLike], base: Sequence[RootLike] | None = None,
              base_installed: bool = False) -> DepGraph:
        """The graph of ``roots``; with a base (packages, or the installed system), the
        base's own packages are marked ``base`` so a transform can collapse or hide them."""
        wanted = [_as_root(r) for r in roots]
        based = [_as_root(r) for r in base or []]
        policy = self.options.policy
        notes: list[str] = []
        problems: list[str] = []
        world = (self.all_world() if policy is Policy.ALL
                 else self._install_world(based + wanted, notes, problems))
        if world is None:
            policy = Policy.ALL
            world = self.all_world()
        graph = new_graph(policy.value, self.loaded.sources, [])
        graph.graph["notes"].extend(notes)
        if problems:
            graph.graph["problems"] = problems
        alternatives = self.all_world() if self._draws_alternatives(policy) else None
        kinds = self.options.kinds_for(policy)
        usable = (self._usable_planner(kinds) if policy is Policy.INSTALL
                  and alternatives is None and world <= self.loaded.usable else None)
        builder = _Builder(self.pool, world, kinds, graph,
                           every_alternative=policy is Policy.ALL, shared=self._shared,
                           alternatives=alternatives, providers=self._all_providers(policy),
                           planned=self._planned(policy, alternatives), usable=usable)
        ids = _root_ids(wanted, world if policy is Policy.INSTALL else None)
        self._read_roots(builder, ids)
        graph.graph["roots"] = list(map(self._shared.nevra, ids))
        if builder.plans_ahead:
            builder.build_planned(ids)
        else:
            start = list(ids)
            if policy is Policy.INSTALL:
                # The graph holds the whole install set, also what only Supplements pulled
                # in; installed (base) packages appear only where something reaches them.
                installed = self.loaded.installed
                new = (self.pool.id2solvable(i) for i in world)
                start += [s.id for s in sorted((s for s in new if s.repo != installed),
                                               key=str)]
            builder.build(start)
        if not self._shared.node_data:  # all taken: let its table go (a slot per package)
            self._shared.node_data = {}
        self._mark_base(graph, self._base_nodes(based, base_installed))
        return graph

    def reverse_graph(self, targets: list[solv.XSolvable], depth: int | None,
                      ) -> DepGraph | None:
        """What pulls ``targets`` in under the all policy, recursively (within ``depth``
        steps), with the edges among it: ``analysis.reverse.reverse_closure`` of the graph
        of every package, without making that graph. It walks back from the targets
        through libsolv's index of what requires what (``whatmatchessolvable``), each
        candidate confirmed by its plan, as the whole graph would draw it.

        None where the whole graph is needed: older builds count (all_versions), the
        installed system is loaded (its builds are all kept, not only the newest),
        Supplements/Enhances are drawn (their edges point the other way), or the walk
        grows past ``_WALK_BACK_LIMIT`` packages: libsolv answers each step by looking at
        every package (4 ms for a distribution), so making the whole graph once is then
        quicker (what requires glibc is nearly all of it)."""
        planned = self._planned(Policy.ALL, None)
        if self.options.all_versions or self.loaded.installed is not None or planned is None:
            return None
        world = self.all_world()  # every package of the whole graph, and only those
        graph = new_graph(Policy.ALL.value, self.loaded.sources, [])
        builder = _Builder(self.pool, world, self.options.kinds_for(Policy.ALL), graph,
                           every_alternative=True, shared=self._shared,
                           providers=self._all_providers(Policy.ALL), planned=planned)
        rich = self._rich_requirers(builder, planned)
        nevra = self._shared.nevra
        try:
            level = walk([t.id for t in targets if t.id in world],
                         lambda i: builder.requirers(i, rich), depth, _WALK_BACK_LIMIT)
        except WalkLimitError:
            return None
        builder.draw_among(sorted(level, key=nevra))
        note = "reverse dependencies" + (f", depth {depth}" if depth is not None else "")
        graph.graph.update(roots=sorted(nevra(t.id) for t in targets if t.id in level),
                           notes=[note], reverse=True)
        return graph

    def _rich_requirers(self, builder: _Builder, planned: tuple[bool, frozenset[Kind]],
                        ) -> dict[int, list[int]]:
        """For each package, those with a rich (or namespace) dependency of the kinds drawn
        whose plans draw an edge to it. libsolv matches such dependencies its own way, so
        a reverse walk takes these edges from the plans (a distribution has about 1,300
        such packages; reading which they are takes 0.15 s)."""
        index = self._shared.rich_requirers.get(planned)
        if index is None:
            index = self._shared.rich_requirers[planned] = {}
            for holder in sorted(builder.rich_holders()):
                for target in builder.kept_plan(holder).targets:
                    index.setdefault(target, []).append(holder)
        return index

    def _read_roots(self, builder: _Builder, ids: list[int]) -> None:
        """Read the roots' packages ahead when there are thousands (every package of a
        distribution: about 0.6 s of reading), in a forked child while this process makes
        their plans (about 0.9 s): their NEVRAs, and their node data for this graph. One
        root, or one CPU: the walk reads each package when it comes to it."""
        unread = self._shared.unread(ids)
        if len(unread) < _FORK_FROM or not builder.plans_ahead or not can_fork():
            return
        try:
            child = Forked(functools.partial(_read_ahead, self.pool, unread))
        except OSError:  # no process to spare: all of it here, then
            return
        with child:
            builder.make_plans(ids)
            read = child.result()
        if read is not None:  # else they are read here, one by one, as they are needed
            self._shared.keep_read(unread, read)

    def _all_providers(self, policy: Policy) -> dict[str, list[solv.XSolvable] | None]:
        """The provider cache for this graph: shared by every graph in the same all-policy
        world; an install world is each graph's own."""
        if policy is not Policy.ALL:
            return {}
        return self._providers.setdefault(self.options.all_versions, {})

    def _planned(self, policy: Policy,
                 alternatives: set[int] | None) -> tuple[bool, frozenset[Kind]] | None:
        """The key of the shared plans when a package's edges depend on nothing but the
        world: the all policy, without Supplements/Enhances (drawn only towards what the
        graph holds); None otherwise."""
        kinds = self.options.kinds_for(policy)
        if policy is not Policy.ALL or alternatives is not None or any(
                k.reverse for k in kinds):
            return None
        return (self.options.all_versions, kinds)

    def _usable_planner(self, kinds: frozenset[Kind]) -> _Builder | None:
        """The plans of the install policy's forward kinds over every usable package
        (the world of ``--policy all --all-versions``), which the install sets of a batch
        share; None when a reverse kind would be drawn before them (Enhances: kinds are
        drawn in name order) and the plans' edges would come first."""
        forward = frozenset(k for k in kinds if not k.reverse)
        order = sorted(kinds, key=lambda k: k.value)
        if not forward or any(k.reverse for k in order[:len(forward)]):
            return None
        planner = self._shared.usable_planners.get(forward)
        if planner is None:
            world = self._shared.worlds.setdefault(True, set(self.loaded.usable))
            planner = self._shared.usable_planners[forward] = _Builder(
                self.pool, world, forward, new_graph(Policy.ALL.value, [], []),
                every_alternative=True, shared=self._shared,
                providers=self._shared.providers.setdefault(True, {}),
                planned=(True, forward))
        return planner

    def _draws_alternatives(self, policy: Policy) -> bool:
        return self.options.show_alternatives and policy is Policy.INSTALL

    def _base_nodes(self, base: list[Root], base_installed: bool) -> set[str]:
        """NEVRAs of what the base already brings: the installed system, or the base
        roots' own closure under the same policy."""
        found: set[str] = set()
        if base_installed and self.loaded.installed is not None:
            found |= {to_package(s).nevra for s in self.loaded.installed.solvables}
        if base:  # (not the providers it would not install, drawn by --show-alternatives)
            found |= {n for n, alt in self.graph(base).nodes(data="alternative") if not alt}
        return found

    @staticmethod
    def _mark_base(graph: DepGraph, base: set[str]) -> None:
        if not base:  # (most graphs: no pass over their nodes)
            return
        roots = set(graph.graph["roots"])
        alternatives = {n for n, alt in graph.nodes(data="alternative") if alt}
        marked = base & set(graph.nodes) - roots - alternatives
        for node in marked:
            graph.nodes[node]["base"] = True
        graph.graph["notes"].append(f"{len(marked)} packages come with the base")

    def all_world(self) -> set[int]:
        """Every usable package, or the newest build of each name.arch (installed ones all)."""
        if self._all_world is None:
            if self.options.all_versions:
                self._all_world = set(self.loaded.usable)
            else:
                self._all_world = self.loaded.newest_ids()
            self._shared.worlds[self.options.all_versions] = self._all_world
        return self._all_world

    def _install_world(self, roots: list[Root], notes: list[str],
                       problems: list[str]) -> set[int] | None:
        """What ``dnf install ROOTS`` would leave on the system; None if it cannot (the
        solver's explanation then goes to ``problems``). Each root is one job, the solver
        choosing among its candidates: with --best the best of them or nothing, with
        --nobest (dnf 4's built-in default) the best that can be installed."""
        solver, found = self._solve(roots, best=True)
        if found and not self.options.best:
            newest = _problems_text(found)
            solver, found = self._solve(roots, best=False)
            if not found:
                notes.append(f"the newest build of {_names(roots)} cannot be installed "
                             f"({newest}); an older one is drawn, as dnf --nobest installs")
        if found:
            text = _problems_text(found)
            self.warn(f"cannot install {_names(roots)}: {text}")
            notes.append(f"{_names(roots)} cannot be installed ({text}); drawn under the "
                         "all policy")
            problems.append(text)
            return None
        world = {s.id for s in solver.transaction().newsolvables()}
        if self.loaded.installed is not None:
            world |= {s.id for s in self.loaded.installed.solvables}
        return world

    def _solve(self, roots: list[Root], best: bool) -> tuple[solv.Solver, list[solv.Problem]]:
        """One solver run, set up as dnf's goal sets libsolv up."""
        pool = self.pool
        solver = pool.Solver()
        solver.set_flag(solv.Solver.SOLVER_FLAG_IGNORE_RECOMMENDED, not self.options.weak)
        for flag in _DNF_SOLVER_FLAGS:
            solver.set_flag(flag, 1)
        flags = solv.Job.SOLVER_INSTALL | solv.Job.SOLVER_SOLVABLE_ONE_OF
        if best:
            flags |= solv.Job.SOLVER_FORCEBEST
        jobs = [pool.Job(flags | self._set_arch(job), pool.towhatprovides(list(job)))
                for r in roots for job in r.jobs]
        # A group's conditional packages: installed when what they name is (dnf's job).
        conditional = solv.Job.SOLVER_INSTALL | solv.Job.SOLVER_SOLVABLE_PROVIDES
        jobs += [pool.Job(conditional, pool.parserpmrichdep(rich).id)
                 for r in roots for rich in r.conditional]
        return solver, solver.solve(jobs)

    def _set_arch(self, job: tuple[int, ...]) -> int:
        """SETARCH for a job of one arch (``glibc.i686``), as libsolv's selections and
        dnf set it: it then installs that arch without the better arch's build."""
        lookup = self.pool.lookup_id
        arches = {lookup(i, solv.SOLVABLE_ARCH) for i in job}
        return solv.Job.SOLVER_SETARCH if len(arches) == 1 else 0


def _as_root(root: RootLike) -> Root:
    return root if isinstance(root, Root) else Root.of(root)


def _root_ids(roots: list[Root], installed: set[int] | None) -> list[int]:
    """The packages drawn as roots: under the install policy the candidates the solver
    chose (``installed``: its set), else each root's newest builds; in order, no repeats."""
    found: dict[int, None] = {}
    for root in roots:
        chosen = [] if installed is None else [i for i in root.candidates if i in installed]
        found.update(dict.fromkeys(chosen or root.shown))
    return list(found)


def _names(roots: list[Root]) -> str:
    names = ", ".join(r.label for r in roots[:3])
    return names + (f" and {len(roots) - 3} more" if len(roots) > 3 else "")


def _problems_text(problems: list[solv.Problem]) -> str:
    return "; ".join(_problem_text(p) for p in problems)


def _problem_text(problem: solv.Problem) -> str:
    """The solver's explanation in dnf's words, the root cause (what nothing provides,
    what conflicts) first and the chain of packages that led there after it."""
    rules = list(dict.fromkeys(r.info().problemstr() for r in problem.findallproblemrules()))
    rules.sort(key=lambda text: "none of the providers" in text)
    return "; ".join(rules) or str(problem)


# ---------------------------------------------------------------- edges


def _dependencies(s: solv.XSolvable, kind: Kind) -> list[solv.Dep]:
    """The package's dependencies of one kind in capability order: libsolv keeps them in
    the order of the metadata when it parses XML, in its own order in a .solv cache and
    in the header's order from rpm files, and the graph must not depend on which."""
    marker = 1 if kind is Kind.PREREQUIRES else -1
    return sorted(s.lookup_deparray(_KEYS[kind], marker), key=str)


def _merged(steps: list[_Step]) -> EdgeData:
    """The data of an edge that several dependencies draw, sorted as ``add_dependency``
    leaves them."""
    return {"deps": tuple(sorted((step.dep for step in steps), key=Dependency.sort_key))}


class _Builder:
    """Walks from the roots, drawing each dependency to its providers inside the world."""

    def __init__(self, pool: solv.Pool, world: set[int], kinds: frozenset[Kind],
                 graph: DepGraph, every_alternative: bool, shared: _Shared,
                 alternatives: set[int] | None = None,
                 providers: dict[str, list[solv.XSolvable] | None] | None = None,
                 planned: tuple[bool, frozenset[Kind]] | None = None,
                 usable: _Builder | None = None) -> None:
        self.pool = pool
        self.alternatives = alternatives  # when set: draw unpicked providers from it
        self._shared = shared
        self.nevras = shared.nevras
        self._added: set[int] = set()  # ids of the nodes in the graph (planned builds)
        self.every_alternative = every_alternative
        self.world = world
        self.kinds = sorted(kinds, key=lambda k: k.value)
        self._dependency_keys = {_KEYS[kind] for kind in kinds}  # (both requires: one key)
        self.graph = graph
        self._drawn = node_table(graph)  # read-only: nodes are added through depgraph
        self.done: set[int] = set()
        # capability -> its providers in the world (sorted), or None for a void condition:
        # most capabilities (libc.so.6()(64bit), python(abi) = 3.12) recur thousands of times.
        self._provider_cache = {} if providers is None else providers
        self._plans = None if planned is None else shared.plans.setdefault(planned, {})
        # A graph expands each package once: plans are kept from the second graph over the
        # same world on (a batch), so that a single graph of the whole repository does not
        # hold a plan per package it never reads again.
        earlier = shared.planned_graphs.get(planned, 0) if planned is not None else 0
        self._keep_plans = earlier > 0
        if planned is not None:
            shared.planned_graphs[planned] = earlier + 1
        self._steps = {} if planned is None else shared.steps.setdefault(planned[0], {})
        self._ready: dict[int, _Plan] = {}  # plans made ahead (make_plans), until taken
        # Install policy: the plans over every usable package (see _expand_planned).
        self._usable = usable
        self._holders_in_world: dict[int, list[int]] = {}  # see _holders

    def build(self, roots: list[int]) -> None:
        """Draw what ``roots`` pull in (any policy; see ``build_planned`` for the plans)."""
        queue = deque(roots)
        done, solvable = self.done, self.pool.id2solvable
        while queue:
            i = queue.popleft()
            if i in done:
                continue
            done.add(i)
            queue.extend(self._expand(solvable(i)))

    def _expand(self, s: solv.XSolvable) -> list[int]:
        node = self._package_node(s)
        found: list[int] = []
        sid = s.id
        plan = self._usable_plan(sid)
        if plan is not None:
            found += self._expand_planned(node, plan)
        for kind in self.kinds:
            reverse = kind.reverse
            if plan is not None and not reverse:
                continue
            for dep, soldep in self._shared.dependencies(s, kind):
                found.extend(p.id for p in self._draw(sid, node, dep, soldep, reverse))
            if reverse:
                found.extend(p.id for p in self._supplementers(s, node, kind))
        return found

    def _usable_plan(self, i: int) -> _Plan | None:
        """Under the install policy, ``i``'s plan over every usable package when it draws
        here what it draws there: the install set holds every target and no dependency is
        rich (a rich one's branches, and which of several providers counts, depend on the
        install set). The plan's edges are then this graph's edges, in the same order."""
        usable = self._usable
        if usable is None:
            return None
        plan = usable.kept_plan(i)
        if plan.rich or not self.world.issuperset(plan.targets):
            return None
        return plan

    def _expand_planned(self, node: str, plan: _Plan) -> list[int]:
        """What ``_draw`` draws for the dependencies of a package's forward kinds, from its
        plan: nodes, edges (merged with any a Supplements edge drew first) and unresolved
        dependencies."""
        nodes = list(map(self._nevra_node, plan.targets))
        if plan.unresolved:
            unresolved: list[Dependency] = self.graph.nodes[node]["unresolved"]
            unresolved += plan.unresolved
            unresolved.sort(key=Dependency.sort_key)
        add_planned_edges(self.graph, node, zip(nodes, plan.edges, strict=True))
        done = self.done
        return [t for t in plan.targets if t not in done]

    # ------------------------------------------------ the all policy's shared plans

    def build_planned(self, roots: list[int]) -> None:
        """``build`` from the shared plans, by solvable id: a batch of a thousand roots
        and the whole repository walk the same plans, so each step is a lookup."""
        graph, done, nevras, added = self.graph, self.done, self.nevras, self._added
        queue = deque(roots)
        # Each package is queued once: a root at the start, any other when an edge first
        # reaches it (and its node is added), which is when a walk queueing every target
        # would meet it first.
        queued = set(roots)
        while queue:
            i = queue.popleft()
            if i in done:
                continue
            done.add(i)
            plan = self._plan(i)
            if i not in added:
                self._add_node(i)
            node = nevras[i]
            if plan.unresolved:
                graph.nodes[node]["unresolved"] = list(plan.unresolved)
            for target in plan.targets:
                if target not in added:
                    self._add_node(target)
                    if target not in queued:
                        queued.add(target)
                        queue.append(target)
            # No edge leaves ``node`` before it is expanded: no merging with earlier ones.
            add_edges_from_new_node(graph, node, zip(map(nevras.__getitem__, plan.targets),
                                                     plan.edges, strict=True))

    def _add_node(self, i: int) -> None:
        self._shared.add_node(self.graph, i)
        self._added.add(i)

    @property
    def plans_ahead(self) -> bool:
        """Whether ``make_plans`` can work ahead: the shared plans are in use."""
        return self._plans is not None

    def make_plans(self, ids: list[int]) -> None:
        """The plans of ``ids`` made now, for the walk to take (once each) later."""
        assert self._plans is not None
        ready, kept = self._ready, self._plans
        for i in ids:
            if i not in ready and i not in kept:
                ready[i] = self._make_plan(i)

    def kept_plan(self, i: int) -> _Plan:
        """``i``'s plan, made once and kept: a reverse walk asks for the same ones again."""
        assert self._plans is not None
        plan = self._plans.get(i)
        if plan is None:
            plan = self._plans[i] = self._make_plan(i)
        return plan

    def requirers(self, i: int, rich: dict[int, list[int]]) -> list[int]:
        """The packages of the world with an edge to ``i``: those whose dependencies
        libsolv matches against ``i``'s provides, kept only if their plans draw the edge,
        and those whose rich dependencies do (``rich``: target -> such packages)."""
        s = self.pool.id2solvable(i)
        found: set[int] = set()
        for key in self._dependency_keys:
            found.update(o.id for o in self.pool.whatmatchessolvable(key, s, 0))
        world = self.world
        drawn = {c for c in found if c in world and i in self.kept_plan(c).targets}
        return sorted(drawn.union(rich.get(i, ())))

    def rich_holders(self) -> set[int]:
        """Packages of the world with a rich or namespace dependency of the kinds drawn."""
        pool, keys = self.pool, self._dependency_keys
        special: dict[int, bool] = {}  # relation ids (negative) -> rich or namespace

        def is_special(dep: int) -> bool:
            if dep >= 0:  # a plain name
                return False
            found = special.get(dep)
            if found is None:
                found = special[dep] = pool.dep2str(dep).startswith(("(", "namespace:"))
            return found

        def holds_one(i: int) -> bool:
            s = pool.id2solvable(i)  # (marker 0: both sides of the prereq marker)
            return any(is_special(dep) for key in keys for dep in s.lookup_idarray(key, 0))

        return {i for i in self.world if holds_one(i)}

    def draw_among(self, ids: list[int]) -> None:
        """Nodes ``ids`` and the edges among them, as the whole graph has them."""
        inside = set(ids)
        for i in ids:
            self._add_node(i)
            unresolved = self.kept_plan(i).unresolved
            if unresolved:
                self.graph.nodes[self.nevras[i]]["unresolved"] = list(unresolved)
        nevras = self.nevras
        for i in ids:
            plan = self.kept_plan(i)
            add_edges_from_new_node(self.graph, nevras[i], [
                (nevras[t], edge) for t, edge in zip(plan.targets, plan.edges, strict=True)
                if t in inside])

    def _plan(self, i: int) -> _Plan:
        assert self._plans is not None
        plan = self._plans.get(i)
        if plan is None:
            plan = self._ready.pop(i, None) or self._make_plan(i)
            if self._keep_plans:
                self._plans[i] = plan
        return plan

    def _make_plan(self, i: int) -> _Plan:
        """What ``_draw`` does for each of the package's dependencies when nothing but the
        world decides it: edges in the order first drawn, dependencies merged per target
        and sorted as ``add_dependency`` leaves them."""
        s = self.pool.id2solvable(i)
        # target -> the step that draws its edge, or the steps once a second one does
        # (a list for the few edges that carry several dependencies, none for the rest)
        edges: dict[int, _Step | list[_Step]] = {}
        unresolved: list[Dependency] = []
        rich = False
        for step in self._steps_of(s):
            rich = rich or step.dep.capability.startswith("(")
            if step.unresolved:
                unresolved.append(step.dep)
            for target in step.targets:
                drawn = edges.get(target)
                if drawn is None:
                    edges[target] = step
                elif isinstance(drawn, list):
                    if all(other is not step for other in drawn):
                        drawn.append(step)
                elif drawn is not step:
                    edges[target] = [drawn, step]
        edges.pop(i, None)  # no edge to itself
        return _Plan(tuple(edges), tuple([_merged(d) if isinstance(d, list) else d.edge
                                          for d in edges.values()]),
                     tuple(sorted(set(unresolved), key=Dependency.sort_key)), rich)

    def _steps_of(self, s: solv.XSolvable) -> list[_Step]:
        """The package's dependencies' steps kind by kind, each kind's in capability order
        (see ``_dependencies``); the steps are kept by kind and dependency id."""
        steps = self._steps
        found: list[_Step] = []
        for kind in self.kinds:
            marker = 1 if kind is Kind.PREREQUIRES else -1
            code = _KIND_CODES[kind]
            of_kind = []
            for dep_id in s.lookup_idarray(_KEYS[kind], marker):
                key = dep_id * len(_KIND_CODES) + code  # ints hash in C, (Kind, id) not
                step = steps.get(key) or self._step(key, kind, dep_id)
                of_kind.append((step.dep.capability, key, step))
            of_kind.sort()  # by capability; the same one twice is the same key and step
            found += [step for _, _, step in of_kind]
        return found

    def _step(self, key: int, kind: Kind, dep_id: int) -> _Step:
        """A dependency's providers in the world (in ``_providers``' order; none when a
        condition makes it void), and whether it counts as unresolved."""
        dep = Dependency(kind, self.pool.dep2str(dep_id))
        targets: tuple[int, ...]
        if dep.capability.startswith("("):
            found = self._providers(dep.capability, dep_id)
            targets = () if found is None else tuple(p.id for p in found)
            unresolved = found == [] and self._counts_as_unresolved(dep, dep_id)
        else:
            world = self.world
            listed = [p.id for p in self.pool.whatprovides(dep_id) if p.id in world]
            if len(listed) > 1:
                listed.sort(key=self.pool.solvid2str)
            targets = tuple(listed)
            unresolved = not targets and self._counts_as_unresolved(dep, dep_id)
        step = self._steps[key] = _Step(dep, {"deps": (dep,)}, targets, unresolved)
        return step

    # ------------------------------------------------ every other policy

    def _draw(self, sid: int, node: str, dep: Dependency, soldep: solv.Dep,
              reverse: bool) -> list[solv.XSolvable]:
        """Draw one dependency of package ``sid`` (``reverse``: of a kind its targets
        declare); the targets it pulls in."""
        providers = self._providers(dep.capability, soldep)
        if self.alternatives is not None and not reverse:
            self._draw_alternatives(node, dep, soldep, providers)
        if providers is None:
            return []  # a conditional dependency whose condition does not hold
        if not providers:
            if self._counts_as_unresolved(dep, soldep):
                add_unresolved(self.graph, node, dep)
            return []
        targets = [p for p in providers if p.id != sid]
        if reverse:
            # The targets trigger this package; they are not pulled in by it.
            targets = [p for p in targets if p.id in self.done or self._in_graph(p)]
        graph = self.graph
        for target in targets:
            add_dependency(graph, node, self._package_node(target), dep)
        return [] if reverse else targets

    def _draw_alternatives(self, node: str, dep: Dependency, soldep: solv.Dep,
                           providers: list[solv.XSolvable] | None) -> None:
        """Providers the solver did not pick, and targets of a condition that does not hold."""
        assert self.alternatives is not None
        rich = split_rich(dep.capability)
        if providers is None and rich is not None:
            reason = f"condition not met: {rich[0][1]}"
            candidates = self._sub_in(rich[0][0], self.alternatives)
        else:
            reason = "not picked by the solver"
            candidates = [p for p in self.pool.whatprovides(soldep) if p.id in self.alternatives]
        for other in sorted(candidates, key=str):
            if other.id not in self.world:
                add_alternative(self.graph, node, self._package(other), dep, reason)

    def _sub_in(self, capability: str, ids: set[int]) -> list[solv.XSolvable]:
        dep = parse_capability(self.pool, capability)
        return [p for p in self.pool.whatprovides(dep) if p.id in ids]

    def _in_graph(self, s: solv.XSolvable) -> bool:
        return self.nevras.get(s.id) in self._drawn

    def _package(self, s: solv.XSolvable) -> Package:
        return self._shared.package(s)

    def _package_node(self, s: solv.XSolvable) -> str:
        return self._nevra_node(s.id)

    def _nevra_node(self, i: int) -> str:
        """The package's node, added if new (NEVRAs by id: a batch asks for the same
        packages again and again)."""
        node = self.nevras.get(i)
        if node is None:
            node = self._shared.nevra(i)
        if node not in self._drawn:
            self._shared.add_node(self.graph, i)
        return node

    def _supplementers(self, s: solv.XSolvable, node: str, kind: Kind) -> list[solv.XSolvable]:
        """Packages in the world whose Supplements/Enhances name ``s``: looked for among
        the few that have such dependencies at all (asking libsolv what matches ``s``
        reads every package of the pool, for every node)."""
        key = _KEYS[kind]
        found = []
        for i in self._holders(key):
            if i == s.id:
                continue
            other = self.pool.id2solvable(i)
            matched = [dep for dep in other.lookup_deparray(key)
                       if s.matchesdep(solv.SOLVABLE_PROVIDES, dep)]
            for dep in matched:
                add_dependency(self.graph, self._package_node(other), node,
                               Dependency(kind, str(dep)))
            if matched:
                found.append(other)
        return found

    def _holders(self, key: int) -> list[int]:
        """The packages of the world with a dependency of ``key`` (Supplements, Enhances)."""
        found = self._holders_in_world.get(key)
        if found is None:
            world = self.world
            found = self._holders_in_world[key] = [
                i for i in self._shared.holders(key) if i in world]
        return found

    def _counts_as_unresolved(self, dep: Dependency, soldep: solv.Dep | int) -> bool:
        """Hard dependencies with no provider in the world; weak ones only when nothing in
        the sources provides them (dnf skips a weak dependency it chose not to install)."""
        return not dep.kind.weak or not self.pool.whatprovides(soldep)

    def _providers(self, capability: str, soldep: solv.Dep | int) -> list[solv.XSolvable] | None:
        """Providers inside the world; None when a rich condition makes the dependency void.
        The list is shared between calls: callers must not change it."""
        try:
            return self._provider_cache[capability]
        except KeyError:
            found = self._provider_cache[capability] = self._find_providers(capability, soldep)
            return found

    def _find_providers(self, capability: str,
                        soldep: solv.Dep | int) -> list[solv.XSolvable] | None:
        rich = split_rich(capability)
        if rich is None:
            world = self.world
            return [p for p in self._shared.providers_of(capability, soldep) if p.id in world]
        return self._rich_providers(*rich)

    def _rich_providers(self, operands: list[str],
                        operators: list[str]) -> list[solv.XSolvable] | None:
        op = operators[0]
        if op in ("if", "unless"):
            holds = bool(self._sub(operands[1]))
            chosen = 0 if holds == (op == "if") else 2
            return self._sub(operands[chosen]) if chosen < len(operands) else None
        if op in ("without",):
            return self._sub(operands[0])
        if op == "or" and not self.every_alternative:
            # The first alternative present in the world is the one the solver satisfied.
            for operand in operands:
                found = self._sub(operand)
                if found:
                    return found
            return []
        merged = [p for operand in operands for p in (self._sub(operand) or [])]
        # and / with: every part is needed; or under the all policy: every alternative.
        return sorted(set(merged), key=str)

    def _sub(self, capability: str) -> list[solv.XSolvable]:
        return self._providers(capability, parse_capability(self.pool, capability)) or []


def parse_capability(pool: solv.Pool, text: str) -> solv.Dep:
    """``name``, ``name >= evr`` or a rich dependency, as libsolv prints them."""
    if text.startswith("("):
        return pool.parserpmrichdep(text)
    parts = text.split()
    if len(parts) == 3 and parts[1] in _OPS:
        return pool.Dep(parts[0]).Rel(_OPS[parts[1]], pool.Dep(parts[2]))
    return pool.Dep(text)
