"""Building one libsolv pool per run from the sources, and reading packages back out of it.

This module and resolve.py are the only places that touch libsolv objects.
"""

from __future__ import annotations

import platform
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, TypeAlias

import solv

from rpmgraph.errors import SourceError
from rpmgraph.model import Package
from rpmgraph.sources.idsets import IdSets, pool_digest
from rpmgraph.sources.progress import Progress, no_progress
from rpmgraph.sources.repofiles import RepoSpec
from rpmgraph.sources.repomd import RepomdRepo

if TYPE_CHECKING:
    from rpmgraph.sources.cache import Cache
    from rpmgraph.sources.fetch import Fetcher
    from rpmgraph.sources.modules import ModuleChoices, ModuleState

Warn = Callable[[str], None]
COMMANDLINE_REPO = "@commandline"  # the name dnf gives to packages passed as files


class SourceKind(str, Enum):
    REPO = "repo"
    RPM = "rpm"
    INSTALLED = "installed"


@dataclass(frozen=True, slots=True)
class Source:
    """One ``--repo``, ``--rpm`` or ``--installed`` option, or a repository of a .repo file."""

    kind: SourceKind
    path: Path | None = None
    spec: RepoSpec | None = None  # a repository by URL or with a name (else ``path``)

    def label(self, root: Path | None = None, dbpath: Path | None = None) -> str:
        if self.kind is SourceKind.INSTALLED:
            from rpmgraph.sources.rpmdb import database_dir  # (rpm's bindings: only for a database)

            return f"installed:{database_dir(root, dbpath)}"
        if self.spec is not None:
            return f"{self.kind.value}:{self.spec.label()}"
        return f"{self.kind.value}:{self.path}"

    def repo_spec(self) -> RepoSpec:
        return self.spec if self.spec is not None else RepoSpec(path=self.path)


@dataclass(frozen=True, slots=True)
class LoadOptions:
    """How repositories are read: the cache and the network."""

    cachedir: Path | None = None  # None: the user's cache folder
    use_cache: bool = True
    cache_only: bool = False  # -C: no network; a repository without a cache is an error
    refresh: bool = False  # download and parse again, ignoring what is cached
    progress: Progress = no_progress


@dataclass(slots=True)
class LoadedPool:
    """A pool with whatprovides ready, and the set of packages the run may use."""

    pool: solv.Pool
    arch: str
    sources: list[str]
    usable: set[int] = field(default_factory=set)
    repomd: list[RepomdRepo] = field(default_factory=list)
    newest: set[int] | None = None  # see newest_ids
    id_sets: IdSets | None = None  # where both sets are cached, for pools that allow it
    module_choices: ModuleChoices | None = None  # --module; None: modules not filtered
    modules: ModuleState | None = None  # the streams, which are active, what they hide

    @property
    def installed(self) -> solv.Repo | None:
        return self.pool.installed

    def solvables(self) -> list[solv.XSolvable]:
        """Usable packages, in a fixed order (NEVRA, then repository order)."""
        found = (self.pool.id2solvable(i) for i in self.usable)
        return sorted(found, key=lambda s: (str(s), s.repo.id))

    def cached_ids(self, kind: str, compute: Callable[[], set[int]]) -> set[int]:
        """A set of solvable ids that depends only on what the pool holds: read from the
        cache beside the ``.solv`` files when the pool allows, else computed (and kept)."""
        return _cached_ids(self.id_sets, kind, compute)

    def newest_ids(self) -> set[int]:
        """Installed packages, and the newest build of each name.arch of the others: the
        set ``newest_per_name_arch`` gives on the sorted solvables, without sorting 70,000
        of them (equal EVRs keep the first in that order: NEVRA, then repository). Names
        and arches are compared as ids; only packages with several builds are wrapped."""
        if self.newest is None:
            self.newest = _cached_ids(self.id_sets, "newest",
                                      lambda: _newest_ids(self.pool, self.usable))
        return self.newest


# The architectures whose policy libsolv knows (poolarch.c): for any other name it would
# silently consider that name and noarch only.
KNOWN_ARCHES = frozenset((
    "x86_64", "x86_64_v2", "x86_64_v3", "x86_64_v4", "amd64", "ia32e", "athlon", "i686",
    "i586", "i486", "i386", "pentium3", "pentium4", "geode", "ia64", "s390x", "s390",
    "ppc64le", "ppc64", "ppc64p7", "ppc64pseries", "ppc64iseries", "ppc", "aarch64",
    "armv8l", "armv7hnl", "armv7hl", "armv7nhl", "armv7l", "armv6hl", "armv6l", "armv5tejl",
    "armv5tel", "armv5tl", "armv5l", "armv4tl", "armv4l", "armv3l", "riscv64", "loongarch64",
    "sh3", "sh4", "sh4a", "m68k", "mips", "mipsel", "mips64", "mips64el", "sparc", "sparc64",
    "sparc64v", "sparcv8", "sparcv9", "sparcv9v", "alpha", "alphaev4", "alphaev45",
    "alphaev5", "alphaev56", "alphaev6", "alphaev67", "alphaev68", "alphaev7", "alphapca56",
    "noarch",
))


def check_arch(arch: str | None) -> None:
    if arch is not None and arch not in KNOWN_ARCHES:
        raise SourceError(f"--arch {arch!r} is not an architecture libsolv knows; known: "
                          f"{', '.join(sorted(KNOWN_ARCHES))}")


def default_arch() -> str:
    return platform.machine() or "noarch"


def build_pool(sources: list[Source], arch: str | None, root: Path | None,
               dbpath: Path | None, warn: Warn,
               options: LoadOptions | None = None, *,
               modules: ModuleChoices | None = None) -> LoadedPool:
    """Load every source into one pool, then index provides (with file lists when needed).
    Module streams are filtered as dnf does, with ``modules`` (``--module``) enabled."""
    from dataclasses import replace

    from rpmgraph.sources.modules import ModuleChoices

    pool = solv.Pool()
    check_arch(arch)
    pool.setarch(arch or default_arch())
    # As dnf's pool: an implicit obsolete (a new build of a name) applies to packages of
    # the same colour only, so that x86_64 and i686 builds of one name install together.
    pool.set_flag(solv.Pool.POOL_FLAG_IMPLICITOBSOLETEUSESCOLORS, 1)
    # With an rpm database, the system's module state counts (as dnf reads it).
    state_dir = ((root or Path("/")) / "etc/dnf/modules.d"
                 if any(s.kind is SourceKind.INSTALLED for s in sources) else None)
    loaded = LoadedPool(pool=pool, arch=arch or default_arch(),
                        sources=[s.label(root, dbpath) for s in sources],
                        module_choices=replace(modules or ModuleChoices(), root=root,
                                               state_dir=state_dir))
    names: set[str] = set()
    repos = RepoLoader(options or LoadOptions(), warn)
    for source in sources:
        _load_source(loaded, source, root, dbpath, names, warn, repos)
    _index(loaded, explicit_arch=arch is not None)
    return loaded


def unique_name(wanted: str, names: set[str]) -> str:
    name, n = wanted, 1
    while name in names:
        n += 1
        name = f"{wanted}-{n}"
    names.add(name)
    return name


def _load_source(loaded: LoadedPool, source: Source, root: Path | None, dbpath: Path | None,
                 names: set[str], warn: Warn, repos: RepoLoader) -> None:
    pool = loaded.pool
    if source.kind is SourceKind.REPO:
        spec = source.repo_spec()
        loaded.repomd.append(repos.load(pool, spec, unique_name(spec.default_name(), names)))
        if spec.module_hotfixes and loaded.module_choices is not None:  # never hidden
            loaded.module_choices = loaded.module_choices.with_hotfixes(loaded.repomd[-1])
    elif source.kind is SourceKind.RPM:
        from rpmgraph.sources.rpmfiles import load_rpm_files

        assert source.path is not None
        load_rpm_files(pool, [source.path], unique_name(COMMANDLINE_REPO, names), warn)
    elif pool.installed is None:
        from rpmgraph.sources.rpmdb import load_rpmdb

        pool.installed = load_rpmdb(pool, root, dbpath, warn)


class RepoLoader:
    """Loads rpm-md repositories through the cache, from folders or URLs."""

    def __init__(self, options: LoadOptions, warn: Warn) -> None:
        self.options = options
        self.warn = warn
        self._cache: Cache | None = None
        self._fetcher: Fetcher | None = None

    def load(self, pool: solv.Pool, spec: RepoSpec, name: str) -> RepomdRepo:
        from rpmgraph.sources.cache import SolvCache
        from rpmgraph.sources.repomd import LocalStore, MetadataStore, load_repomd

        cache = self.cache()
        cached = cache.repo(name, spec.cache_location()) if cache is not None else None
        store: MetadataStore
        if spec.path is not None:
            store = LocalStore(spec.path)
        else:
            from rpmgraph.sources.fetch import RemoteStore

            store = RemoteStore(spec, self.fetcher(), cached, cache_only=self.options.cache_only,
                                refresh=self.options.refresh)
        where = str(spec.path.resolve()) if spec.path is not None else spec.location
        solv_cache = None if cached is None else SolvCache(
            cached, name, where, self.warn, refresh=self.options.refresh)
        return load_repomd(pool, store, name, solv_cache, self.options.progress)

    def cache(self) -> Cache | None:
        from rpmgraph.sources.cache import Cache

        if self._cache is None and self.options.use_cache:
            cache = Cache(self.options.cachedir)
            try:
                cache.repos.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                if self.options.cache_only:
                    raise SourceError(f"cannot use the cache {cache.root}: {exc}") from None
                self.warn(f"cannot use the cache {cache.root}: {exc.strerror}; "
                          "reading metadata without it")
                self.options = LoadOptions(use_cache=False, progress=self.options.progress)
                return None
            self._cache = cache
        return self._cache

    def fetcher(self) -> Fetcher:
        from rpmgraph.sources.fetch import Fetcher

        if self._fetcher is None:
            self._fetcher = Fetcher(self.options.progress)
        return self._fetcher


def _index(loaded: LoadedPool, explicit_arch: bool) -> None:
    """Create whatprovides over the usable packages, with the file lists' provides when
    some file dependency needs them."""
    pool = loaded.pool
    _add_file_provides(loaded)
    for repo in loaded.repomd:
        repo.save_primary()
    loaded.id_sets = _id_sets(loaded, explicit_arch)
    loaded.usable = _cached_ids(loaded.id_sets, "usable",
                                lambda: _usable_ids(pool, loaded.arch, explicit_arch))
    if loaded.module_choices is not None:  # dnf's modular filtering: hidden packages go
        from rpmgraph.sources.modules import filter_modules

        loaded.modules = filter_modules(pool, loaded.repomd, loaded.usable,
                                        loaded.module_choices, loaded.arch)
    # The solver and whatprovides ignore what is not considered: other arches, source rpms.
    pool.set_considered_list(sorted(loaded.usable))
    pool.createwhatprovides()


def _cached_ids(sets: IdSets | None, kind: str, compute: Callable[[], set[int]]) -> set[int]:
    """``kind``'s set read from the cache, else computed (and stored when the pool allows)."""
    ids = sets.read(kind) if sets is not None else None
    if ids is None:
        ids = compute()
        if sets is not None:
            sets.write(kind, ids)
    return ids


def _add_file_provides(loaded: LoadedPool) -> None:
    """Load the file lists if some file dependency needs them: a path that a primary.xml
    just parsed names outside what primary lists (sources/filedeps.py; libsolv is not
    asked), or one that primary does not satisfy and that the file lists were not
    searched for yet."""
    pool = loaded.pool
    if any(repo.parsed.file_lists_needed and repo.filelists_pending for repo in loaded.repomd):
        load_filelists(loaded, index=False)
        return
    file_deps = pool.addfileprovides_queue()
    # File dependencies that the file lists were searched for already (provides stored in
    # the cached primary) count as found: nothing in the file lists provides them. When
    # that is all of them (warm runs), or there are no file lists to load (.rpm files and
    # rpm databases come with theirs), whatprovides is created once, by _index.
    done = [repo.file_provides_done() for repo in loaded.repomd]
    unsearched = set(file_deps).difference(done[0].intersection(*done[1:]) if done else ())
    if not unsearched or not any(repo.filelists_pending for repo in loaded.repomd):
        return
    pool.createwhatprovides()
    if any(not pool.whatprovides(_dep(pool, d)) for d in sorted(unsearched)):
        load_filelists(loaded, index=False)  # _index creates whatprovides once all is in


def _id_sets(loaded: LoadedPool, explicit_arch: bool) -> IdSets | None:
    """Where the usable and newest sets of this pool are cached, when it is made only of
    cached repositories (their .solv files give the same solvable ids every time); None
    for pools with .rpm files or an rpm database, whose ids depend on more than that."""
    repos = loaded.repomd
    caches = [repo.cache for repo in repos]
    if (not repos or len(repos) != len(loaded.sources) or loaded.installed is not None
            or any(c is None or c.refresh for c in caches)):
        return None
    parts = ["multilib", loaded.arch, str(explicit_arch), str(len(loaded.pool.solvables))]
    parts += loaded.module_choices.key() if loaded.module_choices is not None else []
    for repo in repos:
        if not repo.repo.iscontiguous():
            return None
        first = next(iter(repo.repo.solvables_iter()), None)
        cache = repo.cache
        assert cache is not None
        parts += [repo.repo.name, cache.key, str(first.id if first is not None else 0),
                  str(repo.repo.nsolvables)]
    first_cache = caches[0]
    assert first_cache is not None
    return IdSets(folder=first_cache.cached.metadata(first_cache.key),
                  digest=pool_digest(parts), nsolvables=len(loaded.pool.solvables),
                  lock=first_cache.locked, warn=first_cache.warn)


def load_filelists(loaded: LoadedPool, index: bool = True) -> bool:
    """Add the repositories' full file lists and the file provides they give, and create
    whatprovides again unless not ``index`` (the caller does it); False when there were
    none left to add."""
    pending = [repo for repo in loaded.repomd if repo.filelists_pending]
    if not pending:
        return False
    for repo in pending:
        repo.load_filelists()
    file_deps = loaded.pool.addfileprovides_queue()
    if index:
        loaded.pool.createwhatprovides()
    for repo in pending:
        repo.store_file_provides(file_deps)
    return True


def _dep(pool: solv.Pool, dep: solv.Dep | int) -> solv.Dep:
    return dep if isinstance(dep, solv.Dep) else solv.Dep(pool, dep)


def _usable_ids(pool: solv.Pool, arch: str, explicit_arch: bool) -> set[int]:
    """Ids of the packages the arch policy lets install (``arch``, the arches compatible
    with it, such as i686 on x86_64, and noarch), and every installed one unless an arch
    was asked for; read by id: wrapping 70,000 solvables in Python costs a tenth of a
    second."""
    installed = pool.installed
    keep = ({s.id for s in installed.solvables}
            if installed is not None and not explicit_arch else set())
    lookup = pool.lookup_id
    by_arch: dict[int, bool] = {}  # arch id -> whether libsolv's arch policy allows it

    def allowed(i: int) -> bool:
        arch_id = lookup(i, solv.SOLVABLE_ARCH)
        found = by_arch.get(arch_id)
        if found is None:  # (arch 0: no solvable there, the system solvable, freed ids)
            found = by_arch[arch_id] = arch_id != 0 and pool.id2solvable(i).installable()
        return found

    return {i for i in range(1, len(pool.solvables)) if i in keep or allowed(i)}


def _newest_ids(pool: solv.Pool, usable: set[int]) -> set[int]:
    installed = pool.installed
    kept = ({s.id for s in installed.solvables} & usable if installed is not None
            else set())
    lookup = pool.lookup_id
    by_name: dict[int, list[int]] = {}
    for i in usable:
        if i not in kept:
            by_name.setdefault(lookup(i, solv.SOLVABLE_NAME), []).append(i)
    newest = set(kept)
    for ids in by_name.values():
        # Most names have one build of one arch: only the others need their arch looked up.
        newest.update(ids if len(ids) == 1 else _newest_per_arch(pool, ids))
    return newest


def _newest_per_arch(pool: solv.Pool, ids: list[int]) -> Iterable[int]:
    """The newest of the builds ``ids`` of one name, for each of their arches."""
    best: dict[int, int] = {}
    for i in ids:
        arch = pool.lookup_id(i, solv.SOLVABLE_ARCH)
        current = best.setdefault(arch, i)
        if current != i and _newer(pool.id2solvable(i), pool.id2solvable(current)):
            best[arch] = i
    return best.values()


def _newer(s: solv.XSolvable, current: solv.XSolvable) -> bool:
    order = s.evrcmp(current)
    return order > 0 or (order == 0 and (str(s), s.repo.id) < (str(current), current.repo.id))


def newest_per_name_arch(solvables: Iterable[solv.XSolvable]) -> list[solv.XSolvable]:
    """The newest build of each name.arch (rpm's EVR order)."""
    best: dict[tuple[str, str], solv.XSolvable] = {}
    for s in solvables:
        key = (s.name, s.arch)
        current = best.get(key)
        if current is None or s.evrcmp(current) > 0:
            best[key] = s
    return sorted(best.values(), key=str)


def split_evr(evr: str) -> tuple[int, str, str]:
    epoch, _, vr = evr.rpartition(":")
    version, _, release = vr.rpartition("-")
    return (int(epoch) if epoch.isdigit() else 0, version or vr, release if version else "")


def to_package(s: solv.XSolvable) -> Package:
    """Copy what the graph needs out of a solvable."""
    return Package(*package_fields(s))


PackageFields: TypeAlias = tuple[str, int, str, str, str, str, int, int, str, str]


def package_fields(s: solv.XSolvable) -> PackageFields:
    """A Package's fields in their order, as plain values (which ``marshal`` carries).
    Strings that many packages share are interned: one copy of "x86_64" or "1.fc40"
    instead of 70,000 (about 10 MB)."""
    epoch, version, release = split_evr(s.evr)
    return (s.name, epoch, sys.intern(version), sys.intern(release), sys.intern(s.arch),
            sys.intern(s.repo.name), int(s.lookup_num(solv.SOLVABLE_INSTALLSIZE)),
            int(s.lookup_num(solv.SOLVABLE_DOWNLOADSIZE)), s.lookup_sourcepkg() or "",
            s.lookup_str(solv.SOLVABLE_SUMMARY) or "")


def require_packages(loaded: LoadedPool) -> None:
    if not loaded.usable:
        raise SourceError(
            f"the sources hold no packages for architecture {loaded.arch} "
            "(pass --arch, or check the --repo/--rpm paths)"
        )
