"""The ``Session`` a command receives: its source and policy options, and the pool they
load, loaded once."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import click

from rpmgraph.cli.messages import warn
from rpmgraph.cli.progress import progress

if TYPE_CHECKING:
    import solv

    from rpmgraph.pool import LoadedPool, LoadOptions, Source
    from rpmgraph.resolve import ResolveOptions, Resolver, Root
    from rpmgraph.sources.modules import ModuleChoices


@dataclass(slots=True)
class Session:
    """Where packages come from and which question is asked, one field per option of
    options.py (filled by the option's name); loads the pool once."""

    repos: tuple[Path | str, ...]
    rpms: tuple[Path, ...]
    installed: bool
    root: Path | None
    dbpath: Path | None
    arch: str | None
    policy: str | None = None
    kinds: str | None = None
    no_weak: bool = False
    all_versions: bool = False
    best: bool = True
    with_optional: bool = False
    repofiles: tuple[Path, ...] = ()
    reposdirs: tuple[Path, ...] = ()
    system_repos: bool = False
    enablerepo: tuple[str, ...] = ()
    disablerepo: tuple[str, ...] = ()
    releasever: str | None = None
    cachedir: Path | None = None
    cache_only: bool = False
    refresh: bool = False
    modules: tuple[str, ...] = ()  # --module NAME:STREAM
    module_hotfixes: tuple[str, ...] = ()  # --module-hotfixes NAME: repositories never hidden
    root_specs: tuple[str, ...] = ()  # the command's roots: @NAME:STREAM enables a stream
    _loaded: LoadedPool | None = field(default=None, repr=False)
    _warned: bool = field(default=False, repr=False)

    @property
    def only_installed(self) -> bool:
        return not (self.repos or self.rpms or self.repofiles or self.reposdirs
                    or self.system_repos)

    def load(self) -> LoadedPool:
        if self._loaded is None:
            from rpmgraph.pool import build_pool, require_packages

            self._loaded = build_pool(self.sources(), self.arch, self.root, self.dbpath, warn,
                                      self.load_options(), modules=self.module_choices())
            require_packages(self._loaded)
        return self._loaded

    def sources(self) -> list[Source]:
        from rpmgraph.pool import Source, SourceKind, default_arch
        from rpmgraph.sources.repofiles import RepoConfigOptions, parse_repo_option

        sources = [Source(SourceKind.REPO, r) if isinstance(r, Path)
                   else Source(SourceKind.REPO, spec=parse_repo_option(r)) for r in self.repos]
        configured = RepoConfigOptions(self.repofiles, self.reposdirs, self.system_repos,
                                       self.enablerepo, self.disablerepo, self.releasever)
        sources += [Source(SourceKind.REPO, spec=s)
                    for s in configured.specs(self.arch or default_arch())]
        sources = _mark_hotfixes(sources, self.module_hotfixes)
        sources += [Source(SourceKind.RPM, p) for p in self.rpms]
        if self.installed or self.only_installed:
            sources.append(Source(SourceKind.INSTALLED))
        return sources

    def load_options(self) -> LoadOptions:
        from rpmgraph.pool import LoadOptions

        if self.cache_only and self.refresh:
            raise click.UsageError("--cache-only and --refresh exclude each other")
        return LoadOptions(cachedir=self.cachedir, cache_only=self.cache_only,
                           refresh=self.refresh, progress=progress("bytes"))

    def module_choices(self) -> ModuleChoices:
        """--module streams, and those of roots ``@NAME:STREAM[/PROFILE]``, enabled."""
        from rpmgraph.sources.modules import ModuleChoices, root_streams

        return ModuleChoices(enabled=self.modules, roots=tuple(root_streams(self.root_specs)))

    def options(self) -> ResolveOptions:
        from rpmgraph.model import Kind
        from rpmgraph.resolve import Policy, ResolveOptions

        default = Policy.ALL if self.only_installed else Policy.INSTALL
        try:
            parsed = Kind.parse_list(self.kinds) if self.kinds is not None else None
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="--kinds") from None
        policy = Policy(self.policy) if self.policy else default
        never = sorted(k.value for k in parsed or () if k in (Kind.SUGGESTS, Kind.ENHANCES))
        if never and policy is Policy.INSTALL and not self._warned:
            self._warned = True
            warn(f"--kinds {','.join(never)}: dnf never installs Suggests or Enhances, so "
                 "under --policy install they add nothing; --policy all follows them")
        return ResolveOptions(policy=policy, kinds=parsed, weak=not self.no_weak,
                              all_versions=self.all_versions, best=self.best)

    def resolver(self, options: ResolveOptions | None = None) -> Resolver:
        from rpmgraph.resolve import Resolver

        chosen = options or self.options()  # parse options before the slow load
        return Resolver(self.load(), chosen, warn)

    def roots(self, specs: list[str]) -> list[Root]:
        """Roots as dnf reads them (one per package name of a glob; see read_roots)."""
        from rpmgraph.resolve import read_roots

        return read_roots(self.load(), specs, self.with_optional, warn)

    def packages(self, specs: list[str]) -> list[solv.XSolvable]:
        """The packages the specs name (the newest build of each name.arch)."""
        from rpmgraph.resolve import find_roots

        return find_roots(self.load(), specs, self.with_optional, warn)


def _mark_hotfixes(sources: list[Source], names: tuple[str, ...]) -> list[Source]:
    """The repositories named by --module-hotfixes, marked so (each name must be one)."""
    import dataclasses

    from rpmgraph.errors import SourceError

    known = {s.repo_spec().default_name() for s in sources}
    unknown = sorted(set(names) - known)
    if unknown:
        raise SourceError(f"--module-hotfixes {unknown[0]}: no repository has that name "
                          f"(repositories: {', '.join(sorted(known)) or 'none'})")
    return [dataclasses.replace(s, spec=dataclasses.replace(s.repo_spec(),
                                                            module_hotfixes=True))
            if s.repo_spec().default_name() in names else s for s in sources]
