"""Source packages: ``.src.rpm`` files and rpm-md repositories of ``src`` packages.

Source packages are never installable, so the pool the solver uses leaves them out
(libsolv's arch policy has no ``src``). They are kept aside as records of their own,
``SourcePackage``, each with its BuildRequires as capability strings (what ``rpm -qpR``
prints for a .src.rpm, ``rpmlib(...)`` left out, as dnf builddep leaves it out);
rpmgraph.builddep resolves them against the binary packages.

- ``.src.rpm`` files (or folders searched for them) are read with the rpm bindings;
- source repositories (``--source-repo``) are read by libsolv into a pool of their
  own, through the same loader (and cache) as binary repositories;
- ``src`` packages that a binary ``--repo`` folder holds too are taken from its pool.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from rpmgraph.errors import RootError, SourceError
from rpmgraph.model import Package, format_nevra

if TYPE_CHECKING:
    import rpm
    import solv

    from rpmgraph.pool import LoadOptions
    from rpmgraph.sources.repofiles import RepoSpec

Warn = Callable[[str], None]
SOURCE_ARCHES = ("src", "nosrc")
SRPM_REPO = "@commandline"  # the name dnf gives to packages passed as files


@dataclass(frozen=True, slots=True)
class SourcePackage:
    """One source package and what it needs to be built."""

    name: str
    epoch: int
    version: str
    release: str
    arch: str  # src or nosrc
    repo: str  # the repository it was read from, or @commandline for files
    buildrequires: tuple[str, ...]  # capability strings, sorted, no rpmlib(...)
    summary: str = ""
    downloadsize: int = 0
    location: str = ""  # the .src.rpm file (or its path inside the repository)

    @property
    def nevra(self) -> str:
        return format_nevra(self.name, self.epoch, self.version, self.release, self.arch)

    @property
    def evr(self) -> str:
        vr = f"{self.version}-{self.release}"
        return f"{self.epoch}:{vr}" if self.epoch else vr

    @property
    def filename(self) -> str:
        """The file name rpm gives it, the SOURCERPM of the binary packages built from it."""
        return f"{self.name}-{self.version}-{self.release}.{self.arch}.rpm"

    def package(self) -> Package:
        """The record a graph draws for it (no installed size: it is not installed)."""
        return Package(self.name, self.epoch, self.version, self.release, self.arch,
                       self.repo, 0, self.downloadsize, "", self.summary)


def source_name(sourcerpm: str) -> str:
    """``openstack-nova-2012.1-6.fc17.src.rpm`` -> ``openstack-nova``."""
    stem = sourcerpm.removesuffix(".rpm").rpartition(".")[0]
    return stem.rsplit("-", 2)[0] if stem.count("-") >= 2 else stem


# ---------------------------------------------------------------- capability text

# rpm's RPMSENSE_LESS (2), GREATER (4) and EQUAL (8), shifted down one bit.
_OPERATORS = {1: "<", 2: ">", 4: "=", 5: "<=", 6: ">=", 3: "<>"}


def capability_text(name: str, flags: int, evr: str) -> str:
    """rpm's (name, flags, evr) as dnf and libsolv print it: ``python-sphinx >= 1.0``."""
    op = _OPERATORS.get((flags >> 1) & 7)
    return f"{name} {op} {evr}" if op and evr and not name.startswith("(") else name


# ---------------------------------------------------------------- .src.rpm files


def find_srpm_files(paths: Iterable[Path]) -> list[Path]:
    """Folders expanded (recursively) into their ``*.src.rpm`` files, sorted; files as given."""
    from rpmgraph.sources.rpmfiles import rpms_under

    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(p for p in rpms_under(path) if p.name.endswith(".src.rpm")))
        elif path.is_file():
            found.append(path)
        else:
            raise SourceError(f"{path} does not exist (--srpm takes .src.rpm files or "
                              "folders of them)")
    return found


def read_srpm_files(paths: Sequence[Path], warn: Warn) -> list[SourcePackage]:
    """Every readable source package among ``paths``; binary rpms and unreadable files
    are skipped with a warning; none at all is an error."""
    import rpm

    from rpmgraph.sources.headers import rpm_log
    from rpmgraph.sources.rpmfiles import read_header

    files = find_srpm_files(paths)
    if not files:
        raise SourceError(f"no .src.rpm files in {', '.join(map(str, paths))}")
    ts = rpm.TransactionSet()
    ts.setVSFlags(rpm.RPMVSF_MASK_NOSIGNATURES)
    found = []
    with rpm_log() as messages:
        for path in files:
            hdr = read_header(ts, path, warn, messages)
            if hdr is None:
                continue
            if not hdr.isSource():
                warn(f"skipping {path}: a binary package, not a source package (use --rpm)")
                continue
            found.append(_from_header(hdr, path))
    if not found:
        raise SourceError(f"none of the {len(files)} files in "
                          f"{', '.join(map(str, paths))} is a readable source package")
    return found


def _from_header(hdr: rpm.hdr, path: Path) -> SourcePackage:
    import rpm

    from rpmgraph.sources.headers import header_text as _text

    names = hdr[rpm.RPMTAG_REQUIRENAME] or []
    flags = hdr[rpm.RPMTAG_REQUIREFLAGS] or [0] * len(names)
    versions = hdr[rpm.RPMTAG_REQUIREVERSION] or [""] * len(names)
    deps = {capability_text(_text(n), int(f), _text(v))
            for n, f, v in zip(names, flags, versions, strict=False)
            if not (int(f) & rpm.RPMSENSE_RPMLIB or _text(n).startswith("rpmlib("))}
    epoch = hdr[rpm.RPMTAG_EPOCH]
    arch = "nosrc" if hdr[rpm.RPMTAG_NOSOURCE] or hdr[rpm.RPMTAG_NOPATCH] else "src"
    return SourcePackage(
        name=_text(hdr[rpm.RPMTAG_NAME]), epoch=int(epoch or 0),
        version=_text(hdr[rpm.RPMTAG_VERSION]), release=_text(hdr[rpm.RPMTAG_RELEASE]),
        arch=arch, repo=SRPM_REPO, buildrequires=tuple(sorted(deps)),
        summary=_text(hdr[rpm.RPMTAG_SUMMARY]), downloadsize=path.stat().st_size,
        location=str(path))


# ---------------------------------------------------------------- repositories


def sources_in_pool(pool: solv.Pool) -> list[SourcePackage]:
    """The ``src``/``nosrc`` packages of a libsolv pool (the solver never sees them)."""
    import solv

    from rpmgraph.pool import split_evr

    found = []
    for s in pool.solvables_iter():
        if s.arch not in SOURCE_ARCHES:
            continue
        deps = {str(d) for d in s.lookup_deparray(solv.SOLVABLE_REQUIRES, 0)}
        epoch, version, release = split_evr(s.evr)
        found.append(SourcePackage(
            name=s.name, epoch=epoch, version=version, release=release, arch=s.arch,
            repo=s.repo.name, buildrequires=tuple(sorted(d for d in deps
                                                         if not d.startswith("rpmlib("))),
            summary=s.lookup_str(solv.SOLVABLE_SUMMARY) or "",
            downloadsize=int(s.lookup_num(solv.SOLVABLE_DOWNLOADSIZE)),
            location=s.lookup_location()[0] or ""))
    return found


def read_source_repos(specs: Sequence[RepoSpec], options: LoadOptions,
                      warn: Warn) -> list[SourcePackage]:
    """The source packages of rpm-md repositories, read into a pool of their own."""
    import solv

    from rpmgraph.pool import RepoLoader, unique_name

    pool = solv.Pool()
    pool.setarch("noarch")
    loader = RepoLoader(options, warn)
    names: set[str] = set()
    found: list[SourcePackage] = []
    for spec in specs:
        repo = loader.load(pool, spec, unique_name(spec.default_name(), names))
        sources = [p for p in sources_in_pool(pool) if p.repo == repo.repo.name]
        if not sources:
            warn(f"the source repository {spec.location} holds no source packages")
        found += sources
    return found


# ---------------------------------------------------------------- the set of them


@dataclass(frozen=True, slots=True)
class SourceSet:
    """Every source package of the run, in a fixed order (name, newest build first, then
    where it came from), and the choice among them that names, globs and NEVRAs make."""

    packages: tuple[SourcePackage, ...]

    @staticmethod
    def of(packages: Iterable[SourcePackage]) -> SourceSet:
        from functools import cmp_to_key

        def order(a: SourcePackage, b: SourcePackage) -> int:
            if a.name != b.name:
                return -1 if a.name < b.name else 1
            return -_evr_cmp(a, b)

        unique = {(p.nevra, p.repo): p for p in packages}
        return SourceSet(tuple(sorted(unique.values(), key=cmp_to_key(order))))

    def names(self) -> list[str]:
        return sorted({p.name for p in self.packages})

    def newest(self) -> list[SourcePackage]:
        """The newest build of each name (the first one read when two are equal)."""
        seen: dict[str, SourcePackage] = {}
        for p in self.packages:
            seen.setdefault(p.name, p)
        return list(seen.values())

    def select(self, specs: Sequence[str]) -> list[SourcePackage]:
        """Names and globs (the newest build of each name they match), NEVRAs
        (``name-[epoch:]version-release[.src]``) and file names; in the order given, no
        repeats. What matches nothing is an error naming the closest names."""
        chosen: dict[str, SourcePackage] = {}
        for spec in specs:
            found = self._match(spec)
            if not found:
                raise RootError(self._unknown(spec))
            for p in found:
                chosen.setdefault(p.nevra, p)
        return list(chosen.values())

    def _match(self, spec: str) -> list[SourcePackage]:
        exact = [p for p in self.packages
                 if spec in (p.nevra, p.nevra.rpartition(".")[0], p.filename, p.location)]
        if exact:
            return exact[:1]
        return [p for p in self.newest() if fnmatch.fnmatchcase(p.name, spec)]

    def _unknown(self, spec: str) -> str:
        import difflib

        if not self.packages:
            return (f"no source packages to find {spec!r} in: give .src.rpm files with "
                    "--srpm or source repositories with --source-repo")
        close = difflib.get_close_matches(spec, self.names(), n=3, cutoff=0.6)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        return f"no source package matches {spec!r}{hint}"


def _evr_cmp(a: SourcePackage, b: SourcePackage) -> int:
    import rpm

    return int(rpm.labelCompare((str(a.epoch), a.version, a.release),
                                (str(b.epoch), b.version, b.release)))
