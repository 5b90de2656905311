"""Local rpm-md repositories: repomd.xml, then primary, and filelists on demand.

Every metadata file is read once into memory, checked against the size and
checksum that repomd.xml gives, decompressed to a temporary file and handed to
libsolv, so what is verified is exactly what is parsed.
"""

from __future__ import annotations

import hashlib
import io
import tempfile
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import solv
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from rpmgraph.errors import SourceError
from rpmgraph.sources.decompress import DECOMPRESS_ERRORS, decompress_stream, detect

_NS = "{http://linux.duke.edu/metadata/repo}"
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


@dataclass(slots=True)
class RepomdRepo:
    """A loaded repository; keeps what is needed to add filelists later."""

    path: Path
    repo: solv.Repo
    files: dict[str, MetadataFile]
    has_filelists: bool = False

    def load_filelists(self) -> None:
        """Add the full file lists, for file dependencies that primary.xml cannot satisfy."""
        entry = self.files.get("filelists")
        if entry is None or self.has_filelists:
            return
        _add_rpmmd(self.repo, self.path, entry, "FL", solv.Repo.REPO_EXTEND_SOLVABLES)
        self.has_filelists = True


def load_repomd(pool: solv.Pool, path: Path, name: str) -> RepomdRepo:
    """Load a repository's primary metadata into a new libsolv repo named ``name``."""
    files = read_repomd(path)
    primary = files.get("primary")
    if primary is None:
        raise SourceError(f"{path / 'repodata/repomd.xml'} lists no primary metadata")
    repo = pool.add_repo(name)
    _add_rpmmd(repo, path, primary, None, 0)
    return RepomdRepo(path=path, repo=repo, files=files)


def read_repomd(path: Path) -> dict[str, MetadataFile]:
    """Parse repodata/repomd.xml into its data entries, keyed by type."""
    if not path.exists():
        raise SourceError(f"repository {path} does not exist")
    repomd = path / "repodata" / "repomd.xml"
    if not repomd.is_file():
        raise SourceError(
            f"{path} is not an rpm-md repository (no repodata/repomd.xml); "
            f"run createrepo_c on it, or pass its .rpm files with --rpm {path}"
        )
    try:
        root = fromstring(_read_bytes(repomd))
    except ET.ParseError as exc:
        raise SourceError(f"{repomd} is not valid repomd XML: {exc}") from None
    except DefusedXmlException as exc:  # entity bombs, external entities
        raise SourceError(f"{repomd} declares XML entities, which are refused "
                          f"in untrusted metadata: {exc}") from None
    return {entry.kind: entry for entry in map(_parse_data, root.iter(f"{_NS}data"))}


def _parse_data(elem: ET.Element) -> MetadataFile:
    location = elem.find(f"{_NS}location")
    checksum = elem.find(f"{_NS}checksum")
    size = elem.findtext(f"{_NS}size")
    return MetadataFile(
        kind=elem.get("type", ""),
        href=location.get("href", "") if location is not None else "",
        checksum_type=checksum.get("type") if checksum is not None else None,
        checksum=(checksum.text or "").strip() if checksum is not None else None,
        size=int(size) if size and size.strip().isdigit() else None,
    )


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise SourceError(f"cannot read {path}: {exc.strerror}") from None


def _resolve_href(repo_path: Path, href: str) -> Path:
    """Metadata lives inside the repository; refuse hrefs that point elsewhere."""
    target = (repo_path / href).resolve()
    if not href or not target.is_relative_to(repo_path.resolve()):
        raise SourceError(f"{repo_path / 'repodata/repomd.xml'} names a file outside the "
                          f"repository: {href!r}")
    return target


def _verify(data: bytes, path: Path, entry: MetadataFile) -> None:
    if entry.size is not None and entry.size != len(data):
        raise SourceError(f"size mismatch for {path}: repomd.xml says {entry.size} bytes, "
                          f"the file has {len(data)}")
    _check_digest(data, path, entry.checksum_type, entry.checksum)


def _check_digest(data: bytes, path: Path, kind: str | None, expected: str | None) -> None:
    if not kind or not expected:
        return
    algorithm = _HASHES.get(kind.lower())
    if algorithm is None:
        raise SourceError(f"unsupported checksum type {kind!r} for {path} in repomd.xml")
    actual = hashlib.new(algorithm, data).hexdigest()
    if actual != expected.lower():
        raise SourceError(f"checksum mismatch for {path}: repomd.xml says {kind} {expected}, "
                          f"the file has {actual}")


def _add_rpmmd(repo: solv.Repo, repo_path: Path, entry: MetadataFile,
               language: str | None, flags: int) -> None:
    path = _resolve_href(repo_path, entry.href)
    if not path.exists():
        raise SourceError(f"{repo_path / 'repodata/repomd.xml'} names {entry.href}, "
                          "which does not exist")
    data = _read_bytes(path)
    _verify(data, path, entry)
    with tempfile.TemporaryFile() as plain:
        _decompress_into(data, path, plain)
        plain.seek(0)
        handle = solv.xfopen_fd("", plain.fileno())
        ok = repo.add_rpmmd(handle, language, flags)
        handle.close()
    if not ok:
        raise SourceError(f"{path} is not valid rpm-md metadata: {repo.pool.errstr}")


def _decompress_into(data: bytes, path: Path, out: BinaryIO) -> None:
    try:
        decompress_stream(io.BytesIO(data), out, detect(data[:8]))
    except DECOMPRESS_ERRORS as exc:
        raise SourceError(f"{path} is corrupt or truncated: {exc}") from None
