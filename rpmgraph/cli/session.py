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

    from rpmgraph.api import Universe
    from rpmgraph.pool import LoadedPool, LoadOptions
    from rpmgraph.resolve import ResolveOptions, Resolver, Root


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
    _universe: Universe | None = field(default=None, repr=False)
    _warned: bool = field(default=False, repr=False)

    @property
    def only_installed(self) -> bool:
        return not (self.repos or self.rpms or self.repofiles or self.reposdirs
                    or self.system_repos)

    def load(self) -> LoadedPool:
        return self.universe()._loaded

    def universe(self) -> Universe:
        """The library's Universe of the sources these options name, loaded once."""
        if self._universe is None:
            from rpmgraph.api import load
            from rpmgraph.sources.modules import root_streams
            from rpmgraph.sources.repofiles import RepoConfigOptions

            if self.cache_only and self.refresh:
                raise click.UsageError("--cache-only and --refresh exclude each other")
            config = RepoConfigOptions(self.repofiles, self.reposdirs, self.system_repos,
                                       self.enablerepo, self.disablerepo, self.releasever)
            self._universe = load(
                self.repos, self.rpms, self.installed, self.root, self.dbpath, self.arch,
                cachedir=self.cachedir, cache_only=self.cache_only, refresh=self.refresh,
                modules=self.modules, module_hotfixes=self.module_hotfixes,
                repo_config=config, warn=warn, progress=progress("bytes"),
                root_streams=tuple(root_streams(self.root_specs)))
        return self._universe

    def load_options(self) -> LoadOptions:
        """How source repositories read beside the pool (builddep's) use the cache."""
        from rpmgraph.pool import LoadOptions

        return LoadOptions(cachedir=self.cachedir, cache_only=self.cache_only,
                           refresh=self.refresh, progress=progress("bytes"))

    def options(self) -> ResolveOptions:
        from rpmgraph.model import Kind, Policy, ResolveOptions

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
        from rpmgraph.roots import read_roots

        return read_roots(self.load(), specs, self.with_optional, warn)

    def packages(self, specs: list[str]) -> list[solv.XSolvable]:
        """The packages the specs name (the newest build of each name.arch)."""
        from rpmgraph.roots import find_roots

        return find_roots(self.load(), specs, self.with_optional, warn)
