"""The metadata cache: downloaded metadata and libsolv's ``.solv`` files, per repository.

Layout under the cache directory (``$XDG_CACHE_HOME/rpmgraph``, or ``--cachedir``)::

    repos/NAME-LOCATIONHASH/            one folder per repository location (path or URL)
        source.json                     its name and location, for ``rpmgraph cache list``
        repomd.xml                      remote only: the last repomd.xml whose primary is cached
        REPOMDSHA256/primary.solv       libsolv's own cache of primary.xml
        REPOMDSHA256/filelists.solv     the filelists extension, when it was ever needed
        REPOMDSHA256/ids-POOL.usable    solvable ids of the usable and newest packages of a
        REPOMDSHA256/ids-POOL.newest    pool whose first repository this is (idsets.py)
        REPOMDSHA256/*.xml.gz           remote only: the verified downloads
    repos/NAME-LOCATIONHASH.lock        held while a process reads or fills the folder

Everything is keyed by the sha256 of repomd.xml's bytes: unchanged metadata means the
``.solv`` files are used and no XML is parsed. Files are written under a temporary name
and renamed, so an interrupted run never leaves a file that a later run would trust.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from rpmgraph.errors import SourceError

if TYPE_CHECKING:
    import solv

LOCK_TIMEOUT = 600.0  # seconds to wait for another rpmgraph filling the same repository
_SOURCE = "source.json"


def default_cachedir() -> Path:
    """The user's cache folder for rpmgraph (XDG_CACHE_HOME on Linux)."""
    import platformdirs

    return platformdirs.user_cache_path("rpmgraph")


def repomd_key(repomd: bytes) -> str:
    return hashlib.sha256(repomd).hexdigest()


def atomic_write(path: Path, fill: Callable[[BinaryIO], object]) -> None:
    """Write ``path`` through a temporary file in the same folder, then rename it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            fill(out)
            out.flush()
            os.fsync(out.fileno())
        Path(tmp).replace(path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def atomic_write_bytes(path: Path, data: bytes) -> None:
    atomic_write(path, lambda out: out.write(data))


@dataclass(frozen=True, slots=True)
class CachedRepo:
    """One repository's folder in the cache."""

    folder: Path

    @property
    def lockfile(self) -> Path:
        return self.folder.with_name(self.folder.name + ".lock")

    @contextlib.contextmanager
    def locked(self) -> Iterator[None]:
        """Hold the repository's lock: one process fills or prunes it at a time."""
        import filelock

        self.folder.parent.mkdir(parents=True, exist_ok=True)
        lock = filelock.FileLock(str(self.lockfile), timeout=LOCK_TIMEOUT)
        try:
            with lock:
                yield
        except filelock.Timeout:
            raise SourceError(f"another rpmgraph has held {self.lockfile} for "
                              f"{LOCK_TIMEOUT:.0f} s; remove it if no rpmgraph is running"
                              ) from None

    def describe(self, name: str, location: str) -> None:
        if not self.described(name, location):
            atomic_write_bytes(self.folder / _SOURCE, _description(name, location).encode())

    def described(self, name: str, location: str) -> bool:
        target = self.folder / _SOURCE
        return target.is_file() and target.read_text() == _description(name, location)

    def settled(self, keep: str) -> bool:
        """Nothing for ``prune`` to remove: no other metadata version, no temporary file."""
        older = (child for child in self.folder.iterdir()
                 if child.is_dir() and child.name != keep and _is_version(child.name))
        return next(older, None) is None and next(self.folder.rglob(".*.tmp"), None) is None

    def metadata(self, key: str) -> Path:
        """The folder for one version of the metadata (one repomd.xml)."""
        return self.folder / key

    def solv(self, key: str, kind: str) -> Path:
        return self.metadata(key) / f"{kind}.solv"

    def prune(self, keep: str) -> None:
        """Remove the folders of older metadata versions, and temporary files that a
        killed process left (every writer holds the lock, so none is being written)."""
        for stale in self.folder.rglob(".*.tmp"):
            stale.unlink(missing_ok=True)
        for child in self.folder.iterdir():
            if child.is_dir() and child.name != keep and _is_version(child.name):
                shutil.rmtree(child, ignore_errors=True)


def _is_version(name: str) -> bool:
    """A metadata version's folder: the sha256 of its repomd.xml."""
    return re.fullmatch(r"[0-9a-f]{64}", name) is not None


def _description(name: str, location: str) -> str:
    return json.dumps({"name": name, "location": location}, sort_keys=True)


class Cache:
    """The cache directory; hands out one folder per repository location."""

    def __init__(self, root: Path | None = None) -> None:
        self.root = root if root is not None else default_cachedir()

    @property
    def repos(self) -> Path:
        return self.root / "repos"

    def repo(self, name: str, location: str) -> CachedRepo:
        safe = re.sub(r"[^A-Za-z0-9._+-]", "_", name)[:64] or "repo"
        digest = hashlib.sha256(location.encode()).hexdigest()[:16]
        return CachedRepo(self.repos / f"{safe}-{digest}")

    def entries(self) -> list[CacheEntry]:
        if not self.repos.is_dir():
            return []
        return [_entry(CachedRepo(p)) for p in sorted(self.repos.iterdir()) if p.is_dir()]

    def clean(self, entry: CacheEntry) -> None:
        cached = CachedRepo(entry.folder)
        try:
            with cached.locked():
                shutil.rmtree(cached.folder, ignore_errors=True)
            cached.lockfile.unlink(missing_ok=True)
        except OSError as exc:
            raise SourceError(f"cannot remove {cached.folder} from the cache: "
                              f"{exc.strerror or exc}") from None


@dataclass(frozen=True, slots=True)
class CacheEntry:
    """What ``rpmgraph cache list`` shows for one repository."""

    folder: Path
    name: str
    location: str
    size: int
    updated: float


def _entry(cached: CachedRepo) -> CacheEntry:
    try:
        info = json.loads((cached.folder / _SOURCE).read_text())
    except (OSError, ValueError):
        info = {}
    files = [p for p in cached.folder.rglob("*") if p.is_file()]
    return CacheEntry(
        folder=cached.folder,
        name=str(info.get("name", cached.folder.name)),
        location=str(info.get("location", "?")),
        size=sum(p.stat().st_size for p in files),
        updated=max((p.stat().st_mtime for p in files), default=time.time()),
    )


@dataclass(frozen=True, slots=True)
class SolvCache:
    """The ``.solv`` files of one repository, for one repomd.xml once ``keyed``."""

    cached: CachedRepo
    name: str
    location: str
    report: Callable[[str], None]  # warnings go there (see ``warn``)
    refresh: bool = False
    key: str = ""
    # Set once the lock cannot be taken (a read-only cache): the run goes on without
    # writing to the cache, after one warning. Shared by the copies ``keyed`` makes.
    off: list[bool] = field(default_factory=lambda: [False], compare=False)
    refused: set[Path] = field(default_factory=set, compare=False)  # see ``_bound``

    def keyed(self, repomd: bytes) -> SolvCache:
        return replace(self, key=repomd_key(repomd))

    def warn(self, message: str) -> None:
        """A warning, unless the cache was already found unusable (one warning says so)."""
        if not self.off[0]:
            self.report(message)

    @contextlib.contextmanager
    def locked(self) -> Iterator[None]:
        """The repository's lock; when it cannot be taken (the cache is read-only, or on a
        full disk), a warning and nothing: reading the cache needs no lock, and nothing
        will be written to it."""
        with contextlib.ExitStack() as stack:
            if not self.off[0]:
                try:
                    stack.enter_context(self.cached.locked())
                except OSError as exc:
                    self.warn(f"cannot use the cache {self.cached.folder}: "
                              f"{exc.strerror or exc}; reading metadata without it")
                    self.off[0] = True
            yield

    def load(self, repo: solv.Repo, kind: str, flags: int) -> bool:
        """Add the cached ``kind`` to ``repo``; False when there is none (or it is unusable)."""
        import solv

        path = self.cached.solv(self.key, kind)
        if self.refresh or path in self.refused or not path.is_file():
            return False
        if kind != "primary" and not self._extension_bound(path):
            return False
        handle = solv.xfopen(str(path))
        if handle is None:
            return False
        try:
            # On failure libsolv drops what it read, so the XML can be loaded instead.
            if not repo.add_solv(handle, flags):
                return False
        finally:
            handle.close()
        return kind != "primary" or self._bound(repo, path)

    def _bound(self, repo: solv.Repo, path: Path) -> bool:
        """Whether the primary just loaded was made from this repomd.xml (``bind``): a
        .solv file of another repository, copied here, is dropped and the XML read."""
        import solv

        made_from = repo.meta.lookup_str(solv.REPOSITORY_REPOID)
        if made_from == self.key:
            return True
        repo.empty()
        self.refused.add(path)
        if made_from:  # (none: written by an rpmgraph that did not bind its files)
            self.warn(f"{path} was made from other metadata; reading the XML instead")
        return False

    def _extension_bound(self, path: Path) -> bool:
        """Whether an extension (the file lists) was made from this repomd.xml, read in a
        pool of its own before it extends the repository: a wrong one, once added, could
        not be taken out again."""
        import solv

        scratch = solv.Pool()
        repo = scratch.add_repo("check")
        handle = solv.xfopen(str(path))
        if handle is None:
            return False
        try:
            ok = repo.add_solv(handle, solv.Repo.REPO_NO_INTERNALIZE)
        finally:
            handle.close()
        made_from = repo.meta.lookup_str(solv.REPOSITORY_REPOID) if ok else None
        if made_from == self.key:
            return True
        self.refused.add(path)
        if made_from:
            self.warn(f"{path} was made from other metadata; reading the XML instead")
        return False

    def bind_extension(self, data: solv.XRepodata) -> None:
        """Record in an extension's repodata the repomd.xml it comes from."""
        import solv

        data.set_str(solv.SOLVID_META, solv.REPOSITORY_REPOID, self.key)
        data.internalize()

    def bind(self, repo: solv.Repo) -> None:
        """Record in the primary repodata the repomd.xml it comes from (see ``load``)."""
        import solv

        primary = solv.XRepodata(repo, 1)
        primary.set_str(solv.SOLVID_META, solv.REPOSITORY_REPOID, self.key)
        primary.internalize()

    def save(self, kind: str, write: Callable[[solv.xfile], object]) -> None:
        """Write ``kind``'s .solv with ``write`` (Repo.write or Repodata.write), atomically."""
        import solv

        if self.off[0]:
            return
        path = self.cached.solv(self.key, kind)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{kind}.", suffix=".tmp")
            os.close(fd)
            try:
                handle = solv.xfopen(tmp, "w")
                ok = bool(write(handle)) if handle is not None else False
                if handle is None or not handle.close() or not ok:
                    raise OSError(f"libsolv could not write {tmp}")
                Path(tmp).replace(path)
            finally:
                Path(tmp).unlink(missing_ok=True)
        except OSError as exc:
            self.warn(f"cannot write to the cache {self.cached.folder}: {exc}")

    def unsettled(self) -> bool:
        """Whether ``settle`` has something to do (a warm run takes the lock only then)."""
        try:
            return not (self.cached.described(self.name, self.location)
                        and self.cached.settled(self.key))
        except OSError:
            return True

    def settle(self) -> None:
        """Record what the folder holds and drop older metadata versions."""
        if self.off[0]:
            return
        try:
            self.cached.describe(self.name, self.location)
            self.cached.prune(keep=self.key)
        except OSError as exc:
            self.warn(f"cannot write to the cache {self.cached.folder}: {exc}")
