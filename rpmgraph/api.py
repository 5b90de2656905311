"""The library: load package metadata once, then ask for graphs, paths and sizes.

    import rpmgraph

    universe = rpmgraph.load(repos=["sample_repos/essex"])
    graph = universe.graph(["openstack-nova"])          # a DependencyGraph
    graph.packages(), graph.edges(), graph.unresolved()  # typed records
    graph.render("svg")                                  # bytes
    universe.why("openstack-nova", "python-greenlet")    # the shortest chains, typed
    universe.cycles()                                    # dependency cycles, typed
    universe.reverse(["python-eventlet"], depth=1)       # what requires it
    universe.reverse(["python-eventlet"], kinds=["buildrequires"])  # what to rebuild
    universe.stats(["openstack-keystone"])               # sizes, exclusive sizes

Every command of the command line is a call into what this module offers; errors are
``rpmgraph.RpmgraphError`` and its subclasses (bad input: ``SourceError``, an unknown
root: ``RootError``), never a process exit.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal, TypeAlias

from rpmgraph.analysis.cycles import Cycle, Cycles
from rpmgraph.analysis.whole import Wholes
from rpmgraph.analysis.why import Step, WhyPaths
from rpmgraph.model import Dependency, Kind, Package

if TYPE_CHECKING:
    import networkx as nx
    import solv

    from rpmgraph.analysis.buildorder import BuildOrder, Rebuild
    from rpmgraph.analysis.sizes import RootStats
    from rpmgraph.builddep import BuildQuery
    from rpmgraph.depgraph import DepGraph
    from rpmgraph.pool import LoadedPool, Source
    from rpmgraph.resolve import ResolveOptions, Root
    from rpmgraph.sources.comps import Comps
    from rpmgraph.sources.modules import ModuleState
    from rpmgraph.sources.progress import Progress
    from rpmgraph.sources.repofiles import RepoConfigOptions as RepoConfig
    from rpmgraph.sources.repofiles import RepoSpec
    from rpmgraph.sources.srpms import SourcePackage, SourceSet

PolicyName = Literal["install", "all"]
Warn = Callable[[str], None]
# Roots: specs (names, globs, NEVRAs, NAME.ARCH, capabilities, @GROUP), or the roots the
# command line has read from them once for a batch.
Targets: TypeAlias = "Sequence[str] | Sequence[Root]"
__all__ = ["Cycle", "Cycles", "DependencyGraph", "Edge", "Step", "Universe", "Unresolved",
           "WhyPaths", "load"]


@dataclass(frozen=True, slots=True)
class Edge:
    """One edge: ``source`` needs ``target`` for the dependencies listed (kind and
    capability each), strongest kind first. ``alternative`` is set (to the reason) on an
    edge to a provider the solver did not pick (``show_alternatives``)."""

    source: str
    target: str
    dependencies: tuple[Dependency, ...]
    alternative: str | None = None

    @property
    def kind(self) -> Kind:
        from rpmgraph.depgraph import edge_kind

        return edge_kind(self.dependencies)


@dataclass(frozen=True, slots=True)
class Unresolved:
    """A dependency of ``source`` that nothing in the sources satisfies."""

    source: str
    dependency: Dependency


@dataclass(frozen=True, slots=True)
class DependencyGraph:
    """A resolved graph: its packages by NEVRA, its edges, what is unresolved, and what
    it answers (policy, sources, roots, notes; ``problems`` says why the install policy
    could not install the roots, which are then drawn under the all policy)."""

    _graph: DepGraph = field(repr=False)

    @property
    def roots(self) -> tuple[str, ...]:
        return tuple(self._graph.graph["roots"])

    @property
    def policy(self) -> str:
        return str(self._graph.graph["policy"])

    @property
    def sources(self) -> tuple[str, ...]:
        return tuple(self._graph.graph["sources"])

    @property
    def notes(self) -> tuple[str, ...]:
        return tuple(self._graph.graph["notes"])

    @property
    def problems(self) -> tuple[str, ...]:
        return tuple(self._graph.graph.get("problems", ()))

    def packages(self) -> list[Package]:
        """Every package of the graph, in NEVRA order."""
        from rpmgraph.depgraph import node_package

        nodes = self._graph.nodes
        return [node_package(nodes[n]) for n in sorted(self._graph)]

    def edges(self) -> list[Edge]:
        """Every edge, in (source, target) order."""
        found = [Edge(s, t, tuple(d["deps"]), d.get("alternative"))
                 for s, t, d in self._graph.edges(data=True)]
        return sorted(found, key=lambda e: (e.source, e.target))

    def unresolved(self) -> list[Unresolved]:
        """The dependencies nothing provides, by package."""
        return [Unresolved(node, dep) for node, deps in sorted(self._graph.nodes(
            data="unresolved")) for dep in deps or ()]

    def __contains__(self, nevra: object) -> bool:
        return nevra in self._graph

    def __len__(self) -> int:
        return int(self._graph.number_of_nodes())

    def to_networkx(self) -> nx.DiGraph:
        """A copy as a networkx DiGraph, for the caller's own analysis: nodes keyed by
        NEVRA with the package's fields, edges with ``deps`` (Dependency tuples)."""
        import networkx

        return networkx.DiGraph(self._graph)

    def render(self, fmt: str) -> bytes:
        """The graph in any format the command line writes: dot, svg, png, pdf, json,
        graphml, tree, html."""
        from rpmgraph.errors import RenderError
        from rpmgraph.render import FORMATS

        chosen = FORMATS.get(fmt)
        if chosen is None:
            raise RenderError(f"unknown format {fmt!r} (choose from {', '.join(FORMATS)})")
        return chosen.render(self._graph)


@dataclass(slots=True)
class Universe:
    """Packages loaded once from their sources, and the questions asked of them."""

    _loaded: LoadedPool = field(repr=False)
    warn: Warn = field(repr=False)
    _srpms: tuple[Path, ...] = field(default=(), repr=False)
    _source_repos: tuple[str, ...] = field(default=(), repr=False)
    _sources: SourceSet | None = field(default=None, repr=False)
    _wholes: Wholes = field(default_factory=Wholes, repr=False)

    @property
    def sources(self) -> tuple[str, ...]:
        return tuple(self._loaded.sources)

    @property
    def arch(self) -> str:
        return self._loaded.arch

    def graph(self, roots: Targets, policy: PolicyName = "install", *,
              kinds: Sequence[str] | None = None, weak: bool = True, best: bool = True,
              all_versions: bool = False, depth: int | None = None,
              with_optional: bool = False, show_alternatives: bool = False,
              base: Targets = (), base_installed: bool = False) -> DependencyGraph:
        """The graph of ``roots`` (names, globs, NEVRAs, NAME.ARCH, capabilities,
        @GROUP; a group's optional packages too ``with_optional``), read as ``dnf
        install`` reads them, under ``policy``. ``show_alternatives``: the providers the
        install policy did not pick are drawn too, marked. ``base`` (roots) or
        ``base_installed`` (the installed system, loaded): what the roots add on top of
        it, the base's packages marked."""
        from rpmgraph.depgraph import cut_depth
        from rpmgraph.resolve import Resolver

        options = _options(policy, kinds, weak, best, all_versions, show_alternatives)
        found = self._roots(roots, with_optional)
        based = self._roots(base, with_optional) if base else []
        graph = Resolver(self._loaded, options, self.warn).graph(
            found, base=based, base_installed=base_installed)
        return DependencyGraph(graph if depth is None else cut_depth(graph, depth))

    def why(self, root: str, target: str, policy: PolicyName = "install", *,
            every: bool = False, kinds: Sequence[str] | None = None, weak: bool = True,
            best: bool = True, all_versions: bool = False,
            with_optional: bool = False) -> WhyPaths:
        """The shortest chains by which ``root`` pulls ``target`` in (the first, or
        ``every`` shortest one) in its graph under ``policy``: false when it does not.
        ``.text()`` and ``.to_json()`` are what ``rpmgraph why`` prints, ``.graph`` what
        it draws."""
        from rpmgraph.analysis.why import paths_graph, shortest_chains

        graph = self.graph([root], policy, kinds=kinds, weak=weak, best=best,
                           all_versions=all_versions, with_optional=with_optional)._graph
        targets = [_nevra(s) for s in self._packages([target], with_optional)]
        paths, steps = shortest_chains(graph, targets, every)
        return WhyPaths(graph.graph["policy"], paths, steps,
                        DependencyGraph(paths_graph(graph, paths)))

    def cycles(self, roots: Targets = (), policy: PolicyName = "install", *,
               kinds: Sequence[str] | None = None, weak: bool = True, best: bool = True,
               all_versions: bool = False, with_optional: bool = False) -> Cycles:
        """The dependency cycles (strongly connected components) of the graph of
        ``roots`` under ``policy``; with no roots, of every package of the sources under
        the all policy ("could these ever form a cycle"). ``.text()`` and
        ``.to_json()`` are what ``rpmgraph cycles`` prints, ``.graph`` what it draws."""
        from rpmgraph.analysis.cycles import find_cycles

        if roots:
            graph = self.graph(roots, policy, kinds=kinds, weak=weak, best=best,
                               all_versions=all_versions, with_optional=with_optional)._graph
        else:
            options = _options("all", kinds, weak, best, all_versions)
            graph = self._wholes.graph(self._loaded, options, self.warn)
        found, drawn = find_cycles(graph)
        return Cycles(found, DependencyGraph(drawn))

    def reverse(self, targets: Targets, depth: int | None = None, *,
                kinds: Sequence[str] | None = None, all_versions: bool = False,
                with_optional: bool = False) -> DependencyGraph:
        """What requires ``targets``, recursively (within ``depth`` steps), among every
        package of the sources: every provider counts, as under the all policy, through
        ``kinds``. The graph of every package, when it is needed, is made once and kept
        for the next calls. Edges keep their direction (A -> B: A needs B); the graph's
        ``roots`` are the targets.

        ``kinds=["buildrequires"]``: what must be rebuilt when the targets change: the
        source packages whose buildroot (what ``dnf builddep`` installs) holds one of
        them, directly or through other packages (``depth``: within that many steps),
        with the binary packages of each one's shortest chain (see ``rebuilds``)."""
        from rpmgraph.analysis.whole import reverse_of
        from rpmgraph.model import Kind

        if kinds is not None and Kind.BUILDREQUIRES.value in kinds:
            return self._rebuild_tree(targets, depth, kinds, with_optional)
        options = _options("all", kinds, True, True, all_versions)
        found = self._packages(targets, with_optional)
        return DependencyGraph(reverse_of(self._loaded, self._wholes, found, depth, options,
                                          self.warn))

    def unmatched(self, patterns: Sequence[str]) -> list[str]:
        """The globs of ``patterns`` that match no package of the sources, by name or
        NEVRA (case-sensitively), in order: most likely mistyped."""
        import fnmatch

        if not patterns:  # (the names of every package are not read for nothing)
            return []
        found = self._loaded.solvables()
        names = {s.name for s in found} | {f"{s.name}-{s.evr}.{s.arch}" for s in found}
        return [p for p in patterns if not any(fnmatch.fnmatchcase(n, p) for n in names)]

    def groups(self) -> Comps:
        """The comps environments and groups of the repositories (what ``@GROUP`` and
        ``@^ENVIRONMENT`` roots name), merged as dnf merges them."""
        from rpmgraph.sources.comps import comps_of

        return comps_of(self._loaded)

    def modules(self) -> ModuleState | None:
        """The module streams as dnf filters them (active or not, and why); None when the
        sources have no module metadata."""
        return self._loaded.modules

    def _roots(self, targets: Targets, with_optional: bool = False) -> list[Root]:
        from rpmgraph.resolve import read_roots

        specs = [t for t in targets if isinstance(t, str)]
        roots = [t for t in targets if not isinstance(t, str)]
        return read_roots(self._loaded, specs, with_optional, self.warn) if specs else roots

    def _packages(self, targets: Targets, with_optional: bool) -> list[solv.XSolvable]:
        """The packages the roots show (the newest build of each name.arch), no repeats."""
        ids = dict.fromkeys(i for r in self._roots(targets, with_optional) for i in r.shown)
        return [self._loaded.pool.id2solvable(i) for i in ids]

    def _rebuild_tree(self, targets: Targets, depth: int | None, kinds: Sequence[str],
                      with_optional: bool) -> DependencyGraph:
        from rpmgraph.analysis.buildorder import rebuilds
        from rpmgraph.analysis.rebuildtree import rebuild_tree
        from rpmgraph.builddep import buildroots, select_sources
        from rpmgraph.errors import RpmgraphError
        from rpmgraph.pool import to_package

        if len(set(kinds)) > 1:
            raise RpmgraphError("the buildrequires kind goes alone (each buildroot already "
                                "holds the runtime dependencies of what it installs)")
        packages = [to_package(s) for s in self._packages(targets, with_optional)]
        chosen = select_sources(self._query().sources, ["*"], self.warn)
        options = _options("install", None, True, True, False)
        # (what each buildroot cannot install is for builddep to tell, not this)
        roots = buildroots(self._loaded, chosen, options, lambda _: None)
        found = [r for r in rebuilds(roots, [p.nevra for p in packages])
                 if depth is None or r.depth <= depth]
        return DependencyGraph(rebuild_tree(roots, found, packages, self.sources, depth))

    def stats(self, roots: Sequence[str], policy: PolicyName = "install", *,
              top: int | None = 10) -> list[RootStats]:
        """Each root on its own: packages, sizes, depth, what each direct dependency
        alone pulls in, and (``problems``) why it cannot be installed."""
        from rpmgraph.analysis.sizes import root_stats
        from rpmgraph.resolve import Resolver, read_roots

        resolver = Resolver(self._loaded, _options(policy, None, True, True, False), self.warn)
        found = read_roots(self._loaded, list(roots), warn=self.warn)
        graphs = [resolver.graph([r]) for r in found]
        return [root_stats(g, (g.graph["roots"] or [r.key])[0], top)
                for g, r in zip(graphs, found, strict=True)]


    # ------------------------------------------------ build dependencies

    def source_packages(self) -> list[SourcePackage]:
        """Every source package: ``srpms``, ``source_repos`` and src packages of ``repos``."""
        return list(self._query().sources.packages)

    def builddep(self, sources: str | Sequence[str], *, base: Sequence[str] = (),
                 weak: bool = True, best: bool = True) -> DependencyGraph:
        """The buildroot ``dnf builddep SOURCES`` installs (names, globs, NEVRAs or .src.rpm
        files), one transaction for them all: each source a root, buildrequires edges to
        the binary packages chosen, their runtime closure; ``base`` a minimal buildroot."""
        query = self._query(weak, best)
        chosen = query.select([sources] if isinstance(sources, str) else list(sources))
        return DependencyGraph(query.buildroot(chosen, self._roots(base)))

    def builddep_stats(self, sources: str | Sequence[str], *, base: Sequence[str] = (),
                       weak: bool = True, best: bool = True, top: int | None = 10,
                       ) -> list[RootStats]:
        """Each source's buildroot on its own, measured as ``stats`` measures a root:
        packages installed, their installed and download sizes (the source package
        itself is not installed), depth, and what each dependency alone pulls in."""
        query = self._query(weak, best)
        chosen = query.select([sources] if isinstance(sources, str) else list(sources))
        return query.stats(chosen, self._roots(base), top)

    def build_order(self, sources: Sequence[str]) -> BuildOrder:
        """Layers, Koji chain and cycles (with suggested breaks) of ``sources``."""
        query = self._query()
        return query.order(query.select(list(sources)))

    def rebuilds(self, targets: Sequence[str], sources: Sequence[str] = ("*",),
                 ) -> list[Rebuild]:
        """The source packages whose buildroot holds one of the binary ``targets``."""
        from rpmgraph.resolve import find_roots

        query = self._query()
        wanted = [_nevra(s) for s in find_roots(self._loaded, list(targets))]
        return query.rebuilds(query.select(list(sources)), wanted)[0]

    def _query(self, weak: bool = True, best: bool = True) -> BuildQuery:
        """The source packages (read once) under the install policy's options."""
        from rpmgraph.builddep import BuildQuery

        options = _options("install", None, weak, best, False)
        if self._sources is None:
            self._sources = BuildQuery.of(options, self._loaded, self._srpms,
                                          self._source_repos, None, self.warn).sources
        return BuildQuery(self._loaded, self._sources, options, self.warn)

    # ------------------------------------------------ the CI gate: closures, diffs, budgets

    def measure(self, roots: Sequence[str], resolution: Resolution | None = None, *,
                top: int | None = 0) -> list[Measured]:
        """Each root resolved on its own (as ``graph -O`` does) and measured: its stats
        (``top`` dependencies ranked by exclusive size; None: all), its closure, and the
        chain that pulls in each package."""
        from rpmgraph.checks.measure import measure_roots

        chosen = resolution or Resolution()
        return measure_roots(self._loaded, list(roots), chosen.resolve_options(), self.warn,
                             with_optional=chosen.with_optional, top=top)

    def snapshot(self, roots: Sequence[str], resolution: Resolution | None = None, *,
                 sources: Sequence[str] | None = None) -> Snapshot:
        """The closures of ``roots`` as a lock file holds them (``.text()``,
        ``.write(path)``). ``sources`` recorded: by default the sources this universe was
        loaded from (``lock_sources``)."""
        from rpmgraph.checks.snapshot import Snapshot, lock_sources

        chosen = resolution or Resolution()
        recorded = lock_sources(self.sources) if sources is None else tuple(sources)
        return Snapshot(chosen.policy, recorded, tuple(self.measure(roots, chosen)))

    def diff(self, roots: Sequence[str], old: Universe | str | Path,
             resolution: Resolution | None = None) -> DiffReport:
        """How the closure of ``roots`` here differs from ``old``: another universe (the
        same roots resolved there) or a lock file (``snapshot``) as the baseline."""
        from rpmgraph.checks.compare import compare_baseline, compare_graphs, merged_graph

        chosen = resolution or Resolution()
        options, optional = chosen.resolve_options(), chosen.with_optional
        new = merged_graph(self._loaded, list(roots), options, self.warn, optional)
        if not isinstance(old, Universe):
            return compare_baseline(new, Path(old))
        return compare_graphs(new, merged_graph(old._loaded, list(roots), options, old.warn,
                                                optional))

    def check(self, config: Config, resolution: Resolution | None = None, *,
              update_baseline: bool = False) -> CheckReport:
        """The budgets of ``config`` checked against these packages (``resolution``: the
        config's own by default); ``update_baseline`` first rewrites its baseline."""
        from rpmgraph.checks.run import check_budgets

        return check_budgets(self._loaded, self.warn, config,
                             resolution or config.resolution(), update_baseline)


def load(repos: Sequence[str | Path] = (), rpms: Sequence[str | Path] = (),
         installed: bool = False, root: str | Path | None = None,
         dbpath: str | Path | None = None, arch: str | None = None, *,
         cachedir: str | Path | None = None, use_cache: bool = True,
         cache_only: bool = False, refresh: bool = False,
         modules: Sequence[str] = (), module_hotfixes: Sequence[str] = (),
         repo_config: RepoConfig | None = None, warn: Warn | None = None,
         progress: Progress | None = None, srpms: Sequence[str | Path] = (),
         source_repos: Sequence[str | Path] = (), root_streams: Sequence[str] = (),
         ) -> Universe:
    """Load the sources into one pool: rpm-md repositories (folders or URLs), .rpm files
    or folders of them, the installed rpm database (``installed``, under ``root`` and
    ``dbpath`` as rpm reads them; also when nothing else is given), and the repositories
    of ``.repo`` files (``repo_config``: files, folders, the system's, enabled and
    disabled ids, $releasever). Module streams are filtered as dnf filters them, with
    ``modules`` (``NAME:STREAM``) enabled (``root_streams`` too, the streams of
    ``@NAME:STREAM`` roots) and the repositories named by ``module_hotfixes`` never
    hidden. ``cache_only``: no network; ``refresh``: read everything again. Warnings go
    to ``warn`` (default: dropped), download progress to ``progress``. Source packages,
    for ``builddep``, ``build_order`` and ``rebuilds``: ``srpms`` (.src.rpm files or
    folders) and ``source_repos`` (rpm-md repositories of src packages)."""
    from rpmgraph.errors import RpmgraphError
    from rpmgraph.pool import LoadOptions, build_pool, default_arch, require_packages
    from rpmgraph.sources.modules import ModuleChoices
    from rpmgraph.sources.progress import no_progress
    from rpmgraph.sources.repofiles import RepoConfigOptions

    config = repo_config or RepoConfigOptions()
    sources = _sources(repos, config.specs(arch or default_arch()), module_hotfixes)
    sources += _rpm_sources(rpms, installed or not (sources or rpms))
    told = warn or (lambda _: None)
    if cache_only and refresh:
        raise RpmgraphError("cache_only and refresh exclude each other")
    options = LoadOptions(cachedir=_path(cachedir), use_cache=use_cache,
                          cache_only=cache_only, refresh=refresh,
                          progress=progress or no_progress)
    choices = ModuleChoices(enabled=tuple(modules), roots=tuple(root_streams))
    loaded = build_pool(sources, arch, _path(root), _path(dbpath), told, options,
                        modules=choices)
    require_packages(loaded)
    return Universe(loaded, told, tuple(Path(p) for p in srpms),
                    tuple(str(r) for r in source_repos))


def _sources(repos: Sequence[str | Path], configured: Sequence[RepoSpec],
             hotfixes: Sequence[str]) -> list[Source]:
    """The repositories given and those of repo files, the ones ``hotfixes`` names marked
    (each name must be one of them)."""
    import dataclasses

    from rpmgraph.errors import SourceError
    from rpmgraph.pool import Source, SourceKind
    from rpmgraph.sources.repofiles import parse_repo_option

    sources = [Source(SourceKind.REPO, Path(r)) if _is_folder(r)
               else Source(SourceKind.REPO, spec=parse_repo_option(str(r))) for r in repos]
    sources += [Source(SourceKind.REPO, spec=s) for s in configured]
    known = {s.repo_spec().default_name() for s in sources}
    unknown = sorted(set(hotfixes) - known)
    if unknown:
        raise SourceError(f"--module-hotfixes {unknown[0]}: no repository has that name "
                          f"(repositories: {', '.join(sorted(known)) or 'none'})")
    return [dataclasses.replace(s, spec=dataclasses.replace(s.repo_spec(),
                                                            module_hotfixes=True))
            if s.repo_spec().default_name() in hotfixes else s for s in sources]


def _rpm_sources(rpms: Sequence[str | Path], installed: bool) -> list[Source]:
    from rpmgraph.pool import Source, SourceKind

    sources = [Source(SourceKind.RPM, Path(p)) for p in rpms]
    return [*sources, Source(SourceKind.INSTALLED)] if installed else sources


def _is_folder(repo: str | Path) -> bool:
    return isinstance(repo, Path) or ("://" not in repo and "=" not in repo)


def _path(value: str | Path | None) -> Path | None:
    return None if value is None else Path(value)


def _options(policy: PolicyName, kinds: Sequence[str] | None, weak: bool, best: bool,
             all_versions: bool, show_alternatives: bool = False) -> ResolveOptions:
    from rpmgraph.errors import RpmgraphError
    from rpmgraph.model import Policy, ResolveOptions

    if policy not in ("install", "all"):
        raise RpmgraphError(f"unknown policy {policy!r} (choose from install, all)")
    try:
        parsed = None if kinds is None else Kind.parse_list(",".join(kinds))
    except ValueError as exc:
        raise RpmgraphError(str(exc)) from None
    chosen = Policy(policy)
    return ResolveOptions(policy=chosen, kinds=parsed, weak=weak, best=best,
                          all_versions=all_versions, show_alternatives=show_alternatives)


def _nevra(s: solv.XSolvable) -> str:
    from rpmgraph.pool import to_package

    return to_package(s).nevra


@dataclass(frozen=True, slots=True)
class Resolution:
    """How roots are resolved, for the questions that take it whole (``measure``,
    ``snapshot``, ``diff``, ``check``): the arguments ``Universe.graph`` takes, and
    ``with_optional`` (roots ``@GROUP`` with the group's optional packages)."""

    policy: PolicyName = "install"
    kinds: tuple[str, ...] | None = None
    weak: bool = True
    best: bool = True
    all_versions: bool = False
    with_optional: bool = False

    def resolve_options(self) -> ResolveOptions:
        """The resolver's own options (checked: an unknown policy or kind is an error)."""
        return _options(self.policy, self.kinds, self.weak, self.best, self.all_versions)


if TYPE_CHECKING:  # the gate's records (kept here, at the end, with what asks for them)
    from rpmgraph.checks.compare import DiffReport
    from rpmgraph.checks.config import Config
    from rpmgraph.checks.measure import Measured
    from rpmgraph.checks.run import CheckReport
    from rpmgraph.checks.snapshot import Snapshot
