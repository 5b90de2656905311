"""What it takes to build a source package: the buildroot ``dnf builddep`` would install.

dnf builddep reads a source package's BuildRequires (``rpmlib(...)`` left out) and makes
each one an install job of its providers, solved on an empty system (or on what is
installed) like any ``dnf install``; a BuildRequires that nothing provides stops it
("No matching package to install"). Here each BuildRequires becomes a ``Root`` of its
providers, so the install policy's solver (weak dependencies, --best/--nobest, arch
policy, a base) decides the buildroot exactly as it decides ``rpmgraph graph``; the graph
then gets the source package as its root, with ``buildrequires`` edges to the binary
packages chosen for each BuildRequires and their runtime closure under them. Several
sources are one transaction, as ``dnf builddep A B`` makes them, each source a root.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from rpmgraph.depgraph import DepGraph, add_dependency, add_package, add_unresolved
from rpmgraph.model import Dependency, Kind
from rpmgraph.pool import LoadedPool, load_filelists, newest_per_name_arch, split_evr
from rpmgraph.resolve import ResolveOptions, Resolver, Root, RootLike, parse_capability
from rpmgraph.sources.srpms import SourcePackage, source_name

if TYPE_CHECKING:
    from rpmgraph.analysis.buildorder import BuildOrder, Rebuild
    from rpmgraph.analysis.sizes import RootStats
    from rpmgraph.pool import LoadOptions
    from rpmgraph.sources.repofiles import RepoSpec
    from rpmgraph.sources.srpms import SourceSet

Warn = Callable[[str], None]


@dataclass(frozen=True, slots=True)
class BuildRequirement:
    """One BuildRequires and the usable binary packages that provide it."""

    capability: str
    providers: tuple[int, ...]  # solvable ids, sorted


def build_requirements(loaded: LoadedPool, source: SourcePackage) -> list[BuildRequirement]:
    """Each BuildRequires with its providers among the usable binary packages; a file
    that only the file lists name loads them, as dnf builddep searches files next."""
    found = []
    for capability in source.buildrequires:
        providers = _providers(loaded, capability)
        if not providers and capability.startswith("/") and load_filelists(loaded):
            providers = _providers(loaded, capability)
        found.append(BuildRequirement(capability, providers))
    return found


def _providers(loaded: LoadedPool, capability: str) -> tuple[int, ...]:
    """Usable providers; a file is looked for in the file lists too (whatprovides knows
    only the files some package requires), as dnf builddep searches files."""
    pool = loaded.pool
    found = {s.id for s in pool.whatprovides(parse_capability(pool, capability))}
    if capability.startswith("/"):
        import solv

        flags = solv.Selection.SELECTION_FILELIST | solv.Selection.SELECTION_PROVIDES
        found.update(s.id for s in pool.select(capability, flags).solvables())
    return tuple(sorted(found & loaded.usable))


def requirement_roots(loaded: LoadedPool, requirements: Sequence[BuildRequirement],
                      ) -> list[Root]:
    """One install job per BuildRequires that something provides (the solver picks one
    of its providers), as dnf builddep's goal has them; no two of the same providers."""
    roots: dict[tuple[int, ...], Root] = {}
    pool = loaded.pool
    for requirement in requirements:
        if not requirement.providers:
            continue
        shown = newest_per_name_arch(pool.id2solvable(i) for i in requirement.providers)
        first = shown[0]
        key = f"{first.name}-{_evr(first.evr)}.{first.arch}"
        if requirement.capability.startswith("("):
            # The rich dependency itself is the job (its first alternative preferred, a
            # condition left to the solver), as dnf's provides selector makes it.
            roots[(-len(roots) - 1,)] = Root(requirement.capability, key, (), (),
                                             conditional=(requirement.capability,))
            continue
        roots.setdefault(requirement.providers, Root(
            requirement.capability, key, (requirement.providers,), tuple(s.id for s in shown)))
    return list(roots.values())


def _evr(evr: str) -> str:
    epoch, version, release = split_evr(evr)
    return f"{epoch}:{version}-{release}" if epoch else f"{version}-{release}"


def builddep_graph(loaded: LoadedPool, sources: SourcePackage | Sequence[SourcePackage],
                   options: ResolveOptions, warn: Warn, base: Sequence[RootLike] = (),
                   base_installed: bool = False) -> DepGraph:
    """The buildroot of ``sources`` drawn as a graph (see the module's docstring): of
    several, the one buildroot ``dnf builddep A B`` installs in one transaction, each
    source a root. What no binary package provides is an unresolved ``buildrequires``
    of the source."""
    chosen = [sources] if isinstance(sources, SourcePackage) else list(sources)
    needs = {source: build_requirements(loaded, source) for source in chosen}
    roots = requirement_roots(loaded, [r for found in needs.values() for r in found])
    graph = Resolver(loaded, options, warn).graph(roots, base=list(base),
                                                  base_installed=base_installed)
    nevras = {i: _nevra(loaded, i) for found in needs.values() for r in found
              for i in r.providers}
    nodes = [_add_source(graph, source, needs[source], nevras) for source in chosen]
    graph.graph["roots"] = nodes
    names = ", ".join(source.nevra for source in chosen)
    graph.graph["notes"].insert(0, f"buildroot of {names}, as dnf builddep installs it")
    return graph


def _add_source(graph: DepGraph, source: SourcePackage,
                requirements: Sequence[BuildRequirement], nevras: dict[int, str]) -> str:
    """The source package's node, with an edge per BuildRequires to what satisfies it."""
    node = add_package(graph, source.package())
    for requirement in requirements:
        dep = Dependency(Kind.BUILDREQUIRES, requirement.capability)
        if not requirement.providers:
            add_unresolved(graph, node, dep)
        for target in (nevras[i] for i in requirement.providers):
            if target in graph:
                add_dependency(graph, node, target, dep)
    return node


def _nevra(loaded: LoadedPool, i: int) -> str:
    from rpmgraph.pool import to_package

    return to_package(loaded.pool.id2solvable(i)).nevra


def buildroot_packages(graph: DepGraph) -> list[str]:
    """The binary packages a builddep graph installs (every node but the source's own and
    the base's), in NEVRA order."""
    roots = set(graph.graph["roots"])
    return sorted(n for n, data in graph.nodes(data=True)
                  if n not in roots and not data.get("base") and not data.get("alternative"))


def built_from(graph: DepGraph, node: str) -> str:
    """The name of the source package a binary package of the graph was built from."""
    return source_name(str(graph.nodes[node].get("sourcerpm") or ""))


def load_sources(loaded: LoadedPool | None, srpms: Sequence[Path],
                 source_repos: Sequence[RepoSpec], options: LoadOptions | None,
                 warn: Warn) -> SourceSet:
    """Every source package of a run: .src.rpm files, source repositories, and the src
    packages of the binary pool's own repositories (``--repo`` folders that mix both)."""
    from rpmgraph.pool import LoadOptions
    from rpmgraph.sources.srpms import (
        SourceSet,
        read_source_repos,
        read_srpm_files,
        sources_in_pool,
    )

    found = read_srpm_files(srpms, warn) if srpms else []
    if source_repos:
        found += read_source_repos(source_repos, options or LoadOptions(), warn)
    if loaded is not None:
        found += sources_in_pool(loaded.pool)
    return SourceSet.of(found)


def select_sources(sources: SourceSet, specs: Sequence[str], warn: Warn) -> list[SourcePackage]:
    """Names, globs, NEVRAs; a .src.rpm path not among the sources is read as a file."""
    from rpmgraph.sources.srpms import SourceSet, read_srpm_files

    files = [s for s in specs if s.endswith(".rpm") and Path(s).is_file()
             and s not in {p.location for p in sources.packages}]
    if files:
        sources = SourceSet.of([*sources.packages, *read_srpm_files(
            [Path(f) for f in files], warn)])
    return sources.select(specs)


def buildroots(loaded: LoadedPool, sources: Sequence[SourcePackage], options: ResolveOptions,
               warn: Warn) -> dict[SourcePackage, DepGraph]:
    """Each source's builddep graph (for build-order and rebuilds), in the order given."""
    return {source: builddep_graph(loaded, source, options, warn) for source in sources}


def buildroot_stats(graph: DepGraph, top: int | None = 10) -> RootStats:
    """Sizes of a source's buildroot (its graph's first root): the packages installed,
    their installed and download sizes (the source package itself is not installed), and
    what each dependency alone pulls in."""
    from rpmgraph.analysis.sizes import root_stats

    root = graph.graph["roots"][0]
    stats = root_stats(graph, root, top)
    node = graph.nodes[root]
    return dataclasses.replace(
        stats, packages=stats.packages - 1,
        installsize=stats.installsize - int(node["installsize"]),
        downloadsize=stats.downloadsize - int(node["downloadsize"]))


def buildroot_report(stats: Sequence[RootStats], fmt: str) -> str:
    """Buildroot sizes as ``rpmgraph stats`` reports them: text, json or markdown."""
    from rpmgraph.checks import report_stats

    render = {"text": report_stats.stats_text, "json": report_stats.stats_json,
              "markdown": report_stats.stats_markdown}[fmt]
    return render(list(stats))


def shaped(graph: DepGraph, depth: int | None, base: bool, hide_base: bool) -> DepGraph:
    """The graph as drawn: cut ``depth`` levels down; a ``base`` one node, or hidden."""
    from rpmgraph.analysis import transform
    from rpmgraph.depgraph import cut_depth

    if depth is not None:
        graph = cut_depth(graph, depth)
    return transform.collapse_base(graph, hide=hide_base) if base else graph


@dataclass(slots=True)
class BuildQuery:
    """Source packages and the binary packages they build against: the questions of
    ``builddep``, ``build-order`` and ``rebuilds``, for the library and the CLI alike."""

    loaded: LoadedPool
    sources: SourceSet
    options: ResolveOptions
    warn: Warn

    @classmethod
    def of(cls, options: ResolveOptions, loaded: LoadedPool, srpms: Sequence[Path],
           source_repos: Sequence[str], load: LoadOptions | None, warn: Warn) -> BuildQuery:
        """Sources from .src.rpm files or folders, source repositories (``[NAME=]PATH|URL``)
        and the pool's own repositories, built against the pool's binary packages."""
        from rpmgraph.sources.repofiles import parse_repo_option

        specs = [parse_repo_option(r) for r in source_repos]
        return cls(loaded, load_sources(loaded, srpms, specs, load, warn), options, warn)

    def select(self, specs: Sequence[str]) -> list[SourcePackage]:
        return select_sources(self.sources, specs, self.warn)

    def buildroot(self, chosen: Sequence[SourcePackage],
                  base: Sequence[RootLike] = ()) -> DepGraph:
        """The one buildroot of every source ``chosen`` (``dnf builddep A B``)."""
        return builddep_graph(self.loaded, chosen, self.options, self.warn, base=base)

    def drawn(self, chosen: Sequence[SourcePackage], base: Sequence[RootLike], each: bool,
              depth: int | None = None, hide_base: bool = False,
              ) -> list[tuple[str, DepGraph]]:
        """The one buildroot of ``chosen`` (or ``each`` one's, by source name) as drawn:
        cut ``depth`` levels down, a base one grey node (or hidden)."""
        groups = [[s] for s in chosen] if each else [list(chosen)]
        return [(group[0].name, shaped(self.buildroot(group, base), depth, bool(base),
                                       hide_base)) for group in groups]

    def stats(self, chosen: Sequence[SourcePackage], base: Sequence[RootLike] = (),
              top: int | None = 10) -> list[RootStats]:
        """Each source's buildroot on its own, measured."""
        return [buildroot_stats(self.buildroot([source], base), top) for source in chosen]

    def order(self, chosen: Sequence[SourcePackage]) -> BuildOrder:
        from rpmgraph.analysis.buildorder import build_order

        return build_order(buildroots(self.loaded, chosen, self.options, _silent))

    def rebuilds(self, chosen: Sequence[SourcePackage], targets: Sequence[str],
                 depth: int | None = None) -> tuple[list[Rebuild], DepGraph]:
        """The sources whose buildroot holds a binary NEVRA of ``targets`` (within
        ``depth`` steps), and the graph of the chains that bring it in."""
        from rpmgraph.analysis.buildorder import rebuilds, rebuilds_graph

        roots = buildroots(self.loaded, chosen, self.options, _silent)
        found = [r for r in rebuilds(roots, targets) if depth is None or r.depth <= depth]
        return found, rebuilds_graph(roots, found, self.loaded.sources)


def _silent(_: str) -> None:
    """Warnings of the many buildroots of an order, told once by the caller if at all."""
