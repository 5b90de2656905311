"""rpm-md repositories: repomd.xml, then primary, and filelists on demand.

Every metadata file is read once into memory, checked against the size and
checksum that repomd.xml gives, decompressed to a temporary file and handed to
libsolv, so what is verified is exactly what is parsed. Where the files come from
(a folder here, a URL in fetch.py) is a ``MetadataStore``; with a cache, libsolv's
own ``.solv`` files of a repomd.xml already seen are loaded instead of the XML.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import io
import mmap
import os
import re
import stat
import tempfile
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, BinaryIO, Protocol, cast

import solv
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from rpmgraph.errors import SourceError
from rpmgraph.limits import max_download, max_rich_depth, parse_count, unpacked_limit
from rpmgraph.richdeps import too_deep
from rpmgraph.sources.filedeps import outside_primary
from rpmgraph.sources.progress import Progress, no_progress
from rpmgraph.sources.writebehind import later

if TYPE_CHECKING:
    from _typeshed import WriteableBuffer

    from rpmgraph.sources.cache import SolvCache

_NS = "{http://linux.duke.edu/metadata/repo}"
MAX_REPOMD = 16 << 20  # no repomd.xml or mirror list is this big
_CAP_HINT = "RPMGRAPH_MAX_DOWNLOAD sets the limit in bytes"
_HASHES = {"sha": "sha1", "sha1": "sha1", "sha224": "sha224", "sha256": "sha256",
           "sha384": "sha384", "sha512": "sha512", "md5": "md5"}


@dataclass(frozen=True, slots=True)
class MetadataFile:
    """One ``<data>`` entry of repomd.xml."""

    kind: str
    href: str
    checksum_type: str | None
    checksum: str | None
    size: int | None
    open_size: int | None = None  # uncompressed size: bounds what decompression may produce


class MetadataStore(Protocol):
    """Where a repository's metadata files come from: a folder, or URLs (fetch.py)."""

    label: str  # the path or URL that messages name

    def repomd(self) -> bytes:
        """The bytes of repodata/repomd.xml."""

    def read(self, entry: MetadataFile) -> tuple[bytes, str]:
        """A metadata file's bytes, verified against ``entry``, and the name to show for it."""

    def loaded(self, key: str) -> None:
        """Primary of the repomd.xml with sha256 ``key`` is in the cache now."""


@dataclass(slots=True)
class LocalStore:
    """A repository folder on this machine."""

    path: Path
    label: str = ""

    def __post_init__(self) -> None:
        self.label = self.label or str(self.path)

    def repomd(self) -> bytes:
        path = self.path
        repomd = path / "repodata" / "repomd.xml"
        try:
            if not path.exists():
                raise SourceError(f"repository {path} does not exist")
            is_file = repomd.is_file()
            is_repodata = not is_file and (path / "repomd.xml").is_file()
        except OSError as exc:  # a folder we may not enter (EACCES), a loop of symlinks
            raise SourceError(f"cannot read {path}: {exc.strerror or exc}") from None
        if is_repodata:
            raise SourceError(f"{path} is the repodata folder of a repository: pass the "
                              f"folder above it, --repo {path.parent}")
        if not is_file:
            raise SourceError(
                f"{path} is not an rpm-md repository (no repodata/repomd.xml); "
                f"run createrepo_c on it, or pass its .rpm files with --rpm {path}"
            )
        return read_file(repomd, None, MAX_REPOMD)

    def read(self, entry: MetadataFile) -> tuple[bytes, str]:
        path = _resolve_href(self.path, entry.href)
        if not path.exists():
            raise SourceError(f"{self.path / 'repodata/repomd.xml'} names {entry.href}, "
                              "which does not exist")
        data = read_file(path, entry.size, max_download())
        verify(data, str(path), entry)
        return data, str(path)

    def loaded(self, key: str) -> None:
        """Local metadata stays where it is; only .solv files are cached."""


@dataclass(frozen=True, slots=True)
class Parsed:
    """What parsing a metadata file left in the repo."""

    parts: int = 1  # repodatas it takes (2 for primary.xml parsed in halves: halves.py)
    file_lists_needed: bool = False  # primary.xml names a path only file lists may hold


@dataclass(slots=True)
class RepomdRepo:
    """A loaded repository; keeps what is needed to add filelists later."""

    store: MetadataStore
    repo: solv.Repo
    files: dict[str, MetadataFile]
    cache: SolvCache | None = None
    progress: Progress = field(default=no_progress)
    has_filelists: bool = False
    unsaved: bool = False  # the cache's primary.solv lacks what this repo holds now
    parsed: Parsed = field(default_factory=Parsed)  # how primary.xml was parsed (when it was)
    # The pool as its owner made it: a write left for later (writebehind) keeps it, so
    # that the command's end, which lets its own go, does not free what is to be written.
    pool: solv.Pool | None = None

    def load_filelists(self) -> None:
        """Add the full file lists, for file dependencies that primary.xml cannot satisfy."""
        entry = self.files.get("filelists")
        if entry is None or self.has_filelists:
            return
        flags = solv.Repo.REPO_EXTEND_SOLVABLES
        data = None
        with _locked(self.cache):
            if self.cache is None or not self.cache.load(self.repo, "filelists", flags):
                # A repodata of its own, so that the extension can be written on its own.
                data = self.repo.add_repodata(0)
                add_metadata(self.repo, self.store, entry, "FL",
                             flags | solv.Repo.REPO_REUSE_REPODATA, self.progress)
                data.internalize()
        if self.cache is not None and data is not None:  # (the write takes the lock again)
            later(functools.partial(_save_filelists, self.cache, data, self.pool))
        self.has_filelists = True

    def read_record(self, *kinds: str, limit: int = 64 << 20) -> bytes | None:
        """The decompressed bytes of the first of ``kinds`` that repomd.xml lists (such as
        ``modules``, or ``group_gz`` then ``group``), verified against its size and checksum
        and capped at ``limit`` bytes; None when the repository has none of them."""
        entry = next((self.files[k] for k in kinds if k in self.files), None)
        if entry is None:
            return None
        data, label = self.store.read(entry)
        plain = io.BytesIO()
        cap = min(limit, unpacked_limit(len(data), entry.open_size))
        _decompress_into(data, label, cast(BinaryIO, _Capped(plain, cap, label)), lambda n: n)
        return plain.getvalue()

    @property
    def filelists_pending(self) -> bool:
        return "filelists" in self.files and not self.has_filelists

    def file_provides_done(self) -> set[int]:
        """File dependencies that this repository's packages already provide as far as
        the full file lists go (libsolv's REPOSITORY_ADDEDFILEPROVIDES, from the cache)."""
        return set(self.repo.meta.lookup_idarray(solv.REPOSITORY_ADDEDFILEPROVIDES) or ())

    def store_file_provides(self, file_deps: list[int]) -> None:
        """Rewrite the cached primary with the file provides the file lists gave (as dnf
        does), so that later runs need neither the file lists nor libsolv's search of them."""
        new = set(file_deps) - self.file_provides_done()
        if self.cache is None or not self.has_filelists or not new:
            return
        primary = solv.XRepodata(self.repo, 1)  # the first of primary's (file lists follow)
        for dep in sorted(new):
            primary.add_idarray(solv.SOLVID_META, solv.REPOSITORY_ADDEDFILEPROVIDES, dep)
        primary.internalize()
        self.unsaved = True
        self.save_primary()

    def save_primary(self) -> None:
        """Write the primary repodata (with the file provides, once they are known, so
        that a cold run writes it once) to the cache."""
        if self.cache is None or not self.unsaved:
            return
        later(functools.partial(_save_primary, self.cache, self.repo, self.parsed.parts,
                                self.store, self.pool))
        self.unsaved = False


def _save_primary(cache: SolvCache, repo: solv.Repo, parts: int, store: MetadataStore,
                  pool: solv.Pool | None) -> None:
    from rpmgraph.sources.halves import write_primary

    with cache.locked():
        cache.bind(repo)
        cache.save("primary", functools.partial(write_primary, repo, parts))
        store.loaded(cache.key)
        cache.settle()


def _save_filelists(cache: SolvCache, data: solv.XRepodata, pool: solv.Pool | None
                    ) -> None:
    with cache.locked():
        cache.bind_extension(data)
        cache.save("filelists", data.write)


def load_repomd(pool: solv.Pool, store: MetadataStore, name: str,
                cache: SolvCache | None = None,
                progress: Progress = no_progress) -> RepomdRepo:
    """Load a repository's primary metadata into a new libsolv repo named ``name``."""
    raw = store.repomd()
    files = parse_repomd(raw, f"{store.label.rstrip('/')}/repodata/repomd.xml")
    primary = files.get("primary")
    if primary is None:
        raise SourceError(f"{store.label.rstrip('/')}/repodata/repomd.xml lists no "
                          "primary metadata")
    repo = pool.add_repo(name)
    solv_cache = cache.keyed(raw) if cache is not None else None
    loaded = RepomdRepo(store=store, repo=repo, files=files, cache=solv_cache,
                        progress=progress, pool=pool)
    if solv_cache is not None and solv_cache.load(repo, "primary", 0):
        # Warm. A .solv file is renamed into place whole, so it is read without waiting for
        # the lock (nor importing filelock); the lock is taken only to settle the folder.
        store.loaded(solv_cache.key)
        if solv_cache.unsettled():
            with solv_cache.locked():
                solv_cache.settle()
        return loaded
    with _locked(solv_cache):
        if solv_cache is None or not solv_cache.load(repo, "primary", 0):
            loaded.parsed = add_metadata(repo, store, primary, None, 0, progress)
            loaded.unsaved = True  # save_primary writes it, after the file provides
        else:  # another rpmgraph filled the cache while this one waited for the lock
            store.loaded(solv_cache.key)
            solv_cache.settle()
    return loaded


@contextlib.contextmanager
def _locked(cache: SolvCache | None) -> Iterator[None]:
    if cache is None:
        yield
    else:
        with cache.locked():
            yield


def read_repomd(path: Path) -> dict[str, MetadataFile]:
    """Parse repodata/repomd.xml into its data entries, keyed by type."""
    return parse_repomd(LocalStore(path).repomd(), str(path / "repodata" / "repomd.xml"))


def parse_repomd(data: bytes, label: str) -> dict[str, MetadataFile]:
    """The data entries of a repomd.xml document, keyed by type; ``label`` names it."""
    try:
        root = fromstring(data)
    except ET.ParseError as exc:
        raise SourceError(f"{label} is not valid repomd XML: {exc}") from None
    except DefusedXmlException as exc:  # entity bombs, external entities
        raise SourceError(f"{label} declares XML entities, which are refused "
                          f"in untrusted metadata: {exc}") from None
    try:
        return {entry.kind: entry for entry in map(_parse_data, root.iter(f"{_NS}data"))}
    except ValueError as exc:
        raise SourceError(f"{label} gives {exc}") from None


def _number(elem: ET.Element, tag: str) -> int | None:
    """``<size>`` and ``<open-size>``: ASCII digits within range, or absent."""
    text = elem.findtext(f"{_NS}{tag}")
    if text is None or not text.strip():
        return None
    value = parse_count(text)
    if value is None:
        shown = text.strip()
        shown = shown if len(shown) <= 40 else f"{shown[:40]}... ({len(shown)} characters)"
        raise ValueError(f"<{tag}> {shown!r} for {elem.get('type', '')!r}, which is not a "
                         "size in bytes")
    return value


def _parse_data(elem: ET.Element) -> MetadataFile:
    location = elem.find(f"{_NS}location")
    checksum = elem.find(f"{_NS}checksum")
    return MetadataFile(
        kind=elem.get("type", ""),
        href=location.get("href", "") if location is not None else "",
        checksum_type=checksum.get("type") if checksum is not None else None,
        checksum=(checksum.text or "").strip() if checksum is not None else None,
        size=_number(elem, "size"),
        open_size=_number(elem, "open-size"),
    )


def read_file(path: Path, size: int | None, cap: int) -> bytes:
    """A metadata file's bytes, its type and size checked before a byte is read: a FIFO or
    a device is refused (it would hang, or never end), and so is a file whose size is not
    the ``size`` repomd.xml gives or is over ``cap``; then at most ``cap`` bytes are read."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError as exc:
        raise SourceError(f"cannot read {path}: {exc.strerror}") from None
    with os.fdopen(fd, "rb") as handle:
        found = os.fstat(fd)
        if not stat.S_ISREG(found.st_mode):
            raise SourceError(f"cannot read {path}: not a regular file")
        if size is not None and found.st_size != size:
            raise SourceError(f"size mismatch for {path}: repomd.xml says {size} bytes, "
                              f"the file has {found.st_size}")
        if found.st_size > cap:
            raise SourceError(f"{path} has {found.st_size} bytes, more than the {cap} "
                              f"rpmgraph reads ({_CAP_HINT})")
        try:
            return handle.read(min(found.st_size, cap) + 1)
        except OSError as exc:
            raise SourceError(f"cannot read {path}: {exc.strerror}") from None


def _resolve_href(repo_path: Path, href: str) -> Path:
    """Metadata lives inside the repository; refuse hrefs that point elsewhere."""
    target = (repo_path / href).resolve()
    if not href or not target.is_relative_to(repo_path.resolve()):
        raise SourceError(f"{repo_path / 'repodata/repomd.xml'} names a file outside the "
                          f"repository: {href!r}")
    return target


def verify(data: bytes, label: str, entry: MetadataFile) -> None:
    """Refuse ``data`` unless it has the size and checksum repomd.xml gives for it."""
    if entry.size is not None and entry.size != len(data):
        raise SourceError(f"size mismatch for {label}: repomd.xml says {entry.size} bytes, "
                          f"the file has {len(data)}")
    _check_digest(data, label, entry.checksum_type, entry.checksum)


def _check_digest(data: bytes, label: str, kind: str | None, expected: str | None) -> None:
    if not kind or not expected:
        return
    algorithm = _HASHES.get(kind.lower())
    if algorithm is None:
        raise SourceError(f"unsupported checksum type {kind!r} for {label} in repomd.xml")
    actual = hashlib.new(algorithm, data).hexdigest()
    if actual != expected.lower():
        raise SourceError(f"checksum mismatch for {label}: repomd.xml says {kind} {expected}, "
                          f"the file has {actual}")


def add_metadata(repo: solv.Repo, store: MetadataStore, entry: MetadataFile,
                 language: str | None, flags: int, progress: Progress = no_progress
                 ) -> Parsed:
    """Read one metadata file from ``store`` (verified) and parse it into ``repo``: a big
    primary.xml on two CPUs (halves.py)."""
    from rpmgraph.sources import halves

    data, label = store.read(entry)
    limit = unpacked_limit(len(data), entry.open_size)

    def unpack(out: BinaryIO, consumed: Callable[[int], object]) -> None:
        bar = progress(f"loading {repo.name} {entry.kind}", len(data))

        def update(count: int) -> None:
            consumed(count)
            bar.update(count)

        try:
            _decompress_into(data, label, cast(BinaryIO, _Capped(out, limit, label)), update)
        finally:
            bar.close()

    if entry.kind != "primary":
        return halves.parse_whole(repo, unpack, None, label, language, flags)
    scan = functools.partial(scan_primary, label=label)
    if flags == 0 and halves.worth_halving(len(data)):
        return halves.parse_halves(repo, unpack, len(data), scan, label)
    return halves.parse_whole(repo, unpack, scan, label, language, flags)


# Where a rich dependency starts: an attribute value that starts with "(" (also written as
# a character reference, which libxml2 decodes before libsolv sees it).
_RICH_STARTS = (b'"(', b"'(", b"&#")
_CHAR_REF = re.compile(r"&#(?:([0-9]{1,7})|x([0-9a-fA-F]{1,6}));")


def scan_primary(plain: IO[bytes], *, label: str) -> bool:
    """Refuse primary.xml when a rich dependency nests too deep (``_check_depth``); tell
    whether it names a file dependency outside what primary lists (filedeps.py)."""
    plain.flush()
    if os.fstat(plain.fileno()).st_size == 0:
        return False
    with mmap.mmap(plain.fileno(), 0, access=mmap.ACCESS_READ) as view:
        _check_depth(view, label)
        return outside_primary(view)


def _check_depth(view: mmap.mmap, label: str) -> None:
    """Refuse primary.xml when a rich dependency nests deeper than rpmgraph reads, before
    libsolv parses it: its parser recurses in C once a level, and 50,000 levels (350 KB
    of metadata) crash the process. The scan finds the few values that start a rich
    dependency at memchr speed, and counts their parentheses."""
    limit = max_rich_depth()
    for start in _RICH_STARTS:
        at = view.find(start)
        while at >= 0:
            at -= start == b"&#"  # (the quote before it, if there is one)
            quote = view[at:at + 1]
            end = view.find(quote, at + 1) if quote in (b'"', b"'") else -1
            end = len(view) if end < 0 else end
            raw = view[at + 1:end]
            if raw.count(b"(") + raw.count(b"&#") > limit and too_deep(
                    _CHAR_REF.sub(_char, raw.decode("utf-8", "replace"))):
                raise SourceError(f"{label} has a rich dependency nested more than "
                                  f"{limit} deep, which rpmgraph refuses "
                                  "(RPMGRAPH_MAX_RICH_DEPTH sets the limit)")
            at = view.find(start, max(end, at + 2))


def _char(ref: re.Match[str]) -> str:
    code = int(ref[1]) if ref[1] is not None else int(ref[2], 16)
    return chr(code) if code < 0x110000 else ""


class _Capped(io.RawIOBase):
    """A writer that refuses more than ``limit`` bytes: decompression stays bounded."""

    def __init__(self, out: BinaryIO, limit: int, label: str) -> None:
        super().__init__()
        self._out, self._left, self._label, self._limit = out, limit, label, limit

    def writable(self) -> bool:
        return True

    def write(self, chunk: bytes | bytearray | memoryview, /) -> int:  # type: ignore[override]
        self._left -= len(chunk)
        if self._left < 0:
            raise SourceError(f"{self._label} expands to more than the {self._limit} bytes "
                              "repomd.xml and rpmgraph's limits allow; refusing it (a "
                              "decompression bomb? RPMGRAPH_MAX_RATIO and "
                              "RPMGRAPH_MAX_UNPACKED raise the limits)")
        try:
            return self._out.write(chunk)
        except OSError as exc:  # a full TMPDIR: not the metadata's fault
            raise SourceError(f"cannot decompress {self._label} into the temporary folder "
                              f"{tempfile.gettempdir()}: {exc.strerror or exc} (TMPDIR "
                              "chooses another)") from None


class _Counting(io.BytesIO):
    """Compressed bytes that report how far the decompressor has read (isal's gzip
    reads into its own buffer, the others read)."""

    def __init__(self, data: bytes, update: Callable[[int], object]) -> None:
        super().__init__(data)
        self._update = update

    def read(self, size: int | None = -1, /) -> bytes:
        chunk = super().read(size)
        self._update(len(chunk))
        return chunk

    def readinto(self, buffer: WriteableBuffer, /) -> int:
        count = super().readinto(buffer)
        self._update(count)
        return count


def _decompress_into(data: bytes, label: str, out: BinaryIO,
                     update: Callable[[int], object]) -> None:
    from rpmgraph.sources.decompress import decompress_errors, decompress_stream, detect

    kind = detect(data[:8])
    try:
        decompress_stream(_Counting(data, update), out, kind)
    except decompress_errors(kind) as exc:
        raise SourceError(f"{label} is corrupt or truncated: {exc}") from None
