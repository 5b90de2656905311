"""What it takes to build a source package: the buildroot ``dnf builddep`` would install.

dnf builddep reads a source package's BuildRequires (``rpmlib(...)`` left out) and makes
each one an install job of its providers, solved on an empty system (or on what is
installed) like any ``dnf install``; a BuildRequires that nothing provides stops it
("No matching package to install"). Here each BuildRequires becomes a ``Root`` of its
providers, so the install policy's solver (weak dependencies, --best/--nobest, arch
policy, a base) decides the buildroot exactly as it decides ``rpmgraph graph``; the graph
then gets the source package as its root, with ``buildrequires`` edges to the binary
packages chosen for each BuildRequires and their runtime closure under them.
"""

from __future__ import annotations

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


def builddep_graph(loaded: LoadedPool, source: SourcePackage, options: ResolveOptions,
                   warn: Warn, base: Sequence[RootLike] = (),
                   base_installed: bool = False) -> DepGraph:
    """The buildroot of ``source`` drawn as a graph (see the module's docstring). What
    no binary package provides is an unresolved ``buildrequires`` of the source."""
    requirements = build_requirements(loaded, source)
    roots = requirement_roots(loaded, requirements)
    graph = Resolver(loaded, options, warn).graph(roots, base=list(base),
                                                  base_installed=base_installed)
    node = add_package(graph, source.package())
    nevras = {i: _nevra(loaded, i) for r in requirements for i in r.providers}
    for requirement in requirements:
        dep = Dependency(Kind.BUILDREQUIRES, requirement.capability)
        targets = [nevras[i] for i in requirement.providers if nevras[i] in graph]
        if not requirement.providers:
            add_unresolved(graph, node, dep)
        for target in targets:
            add_dependency(graph, node, target, dep)
    graph.graph["roots"] = [node]
    graph.graph["notes"].insert(0, f"buildroot of {source.nevra}, as dnf builddep installs it")
    return graph


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
