"""``.rpm`` files and folders of them, read through the rpm Python bindings."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import rpm
import solv

from rpmgraph.errors import SourceError
from rpmgraph.sources.headers import add_header, rpm_log

Warn = Callable[[str], None]


def find_rpm_files(paths: Iterable[Path]) -> list[Path]:
    """Expand folders (recursively) into their ``*.rpm`` files, sorted for determinism."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(rpms_under(path)))
        elif path.is_file():
            found.append(path)
        else:
            raise SourceError(f"{path} does not exist")
    return found


def rpms_under(folder: Path) -> Iterator[Path]:
    """The ``*.rpm`` files under ``folder``, as ``rglob`` finds them (symlinked folders
    not entered), with a stack of its own: a folder nested 1,500 deep is no error."""
    stack = [folder]
    while stack:
        current = stack.pop()
        try:
            entries = list(os.scandir(current))
        except OSError:
            continue
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                stack.append(Path(entry.path))
            elif entry.name.endswith(".rpm") and entry.is_file():
                yield Path(entry.path)


def load_rpm_files(pool: solv.Pool, paths: list[Path], name: str, warn: Warn) -> solv.Repo:
    """Add every readable package header; unreadable files are warned about and skipped."""
    files = find_rpm_files(paths)
    if not files:
        raise SourceError(f"no .rpm files in {', '.join(map(str, paths))}")
    repo = pool.add_repo(name)
    data = repo.add_repodata()
    sources: list[Path] = []
    loaded = sum(1 for _ in _add_all(repo, data, files, warn, sources))
    data.internalize()
    if loaded == 0 and sources:
        raise SourceError(_only_sources(files, sources, paths))
    if loaded == 0:
        raise SourceError(f"none of the {len(files)} .rpm files in "
                          f"{', '.join(map(str, paths))} could be read")
    return repo


def _only_sources(files: list[Path], sources: list[Path], paths: list[Path]) -> str:
    where = ", ".join(map(str, paths))
    what = (f"the {len(files)} .rpm files in {where} are source packages (.src.rpm)"
            if len(sources) == len(files) else
            f"none of the {len(files)} .rpm files in {where} is a binary package: "
            f"{len(sources)} are source packages (.src.rpm), the others unreadable")
    return (f"{what}; a graph needs the binary packages built from them (rpmbuild, then "
            "--rpm ~/rpmbuild/RPMS/), or a --repo of binary packages")


def _add_all(repo: solv.Repo, data: solv.XRepodata, files: list[Path],
             warn: Warn, sources: list[Path]) -> Iterator[solv.XSolvable]:
    ts = rpm.TransactionSet()
    # Signatures are not checked (no keys here), digests are: they catch corrupt files.
    ts.setVSFlags(rpm.RPMVSF_MASK_NOSIGNATURES)
    with rpm_log() as rpm_messages:
        for path in files:
            hdr = read_header(ts, path, warn, rpm_messages)
            if hdr is None:
                continue
            if hdr[rpm.RPMTAG_SOURCEPACKAGE] or hdr.isSource():
                sources.append(path)
                continue  # source rpms are not installable packages
            try:
                yield add_header(repo, data, hdr, downloadsize=path.stat().st_size)
            except SourceError as exc:
                warn(f"skipping {path}: {exc}")


def read_header(ts: rpm.TransactionSet, path: Path, warn: Warn,
                 rpm_messages: Callable[[], list[str]]) -> rpm.hdr | None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError as exc:
        warn(f"cannot read {path}: {exc.strerror}")
        return None
    try:
        return ts.hdrFromFdno(fd)
    except rpm.error as exc:
        detail = "; ".join(rpm_messages()).replace(f"{path.resolve()}: ", "") or str(exc)
        warn(f"skipping {path}: not a valid rpm package ({detail})")
        return None
    finally:
        os.close(fd)
