"""The installed rpm database, opened read-only through the rpm bindings."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import rpm
import solv

from rpmgraph.errors import SourceError
from rpmgraph.sources.headers import add_header, rpm_log

INSTALLED_REPO = "@System"
_DB_FILES = ("rpmdb.sqlite", "Packages", "Packages.db")  # sqlite, bdb, ndb backends
_ELSEWHERE = ("pass --repo PATH or --rpm PATH to read packages from elsewhere, "
              "or --root/--dbpath to name another database")


def database_dir(root: Path | None, dbpath: Path | None) -> Path:
    """Where rpm would look: ``--dbpath`` (or rpm's ``%_dbpath``) under ``--root``."""
    inner = str(dbpath) if dbpath is not None else rpm.expandMacro("%{_dbpath}")
    return Path(root or "/") / inner.lstrip("/")


@contextmanager
def _dbpath_macro(dbpath: Path | None) -> Iterator[None]:
    """rpm reads the database location from a global macro; restore it afterwards."""
    if dbpath is None:
        yield
        return
    rpm.addMacro("_dbpath", str(dbpath))
    try:
        yield
    finally:
        rpm.delMacro("_dbpath")


def load_rpmdb(pool: solv.Pool, root: Path | None, dbpath: Path | None,
               warn: Callable[[str], None] | None = None) -> solv.Repo:
    """Load every installed package into a repo that libsolv treats as the installed system.
    A record rpm cannot read (a damaged header, which rpm skips) is warned about, naming
    it, as ``rpm -qa`` reports it."""
    if root is not None and not root.is_dir():
        raise SourceError(f"--root {root} does not exist or is not a folder")
    root = root.resolve() if root is not None else None  # rpm needs an absolute root
    location = database_dir(root, dbpath)
    # rpm would create an empty database in a folder that has none: never write there.
    if not location.is_dir() or not any((location / f).is_file() for f in _DB_FILES):
        raise SourceError(f"no rpm database at {location}; {_ELSEWHERE}")
    repo = pool.add_repo(INSTALLED_REPO)
    data = repo.add_repodata()
    with _dbpath_macro(dbpath), rpm_log() as rpm_messages:
        ts = rpm.TransactionSet(str(root or "/"))
        ts.setVSFlags(rpm.RPMVSF_MASK_NOSIGNATURES)
        try:
            ts.openDB()
            for hdr in ts.dbMatch():
                if _text_name(hdr) != "gpg-pubkey":  # imported keys, not packages
                    _add(repo, data, hdr, location, warn)
            for message in rpm_messages():
                if warn is not None and "skipping h#" in message:
                    warn(f"the rpm database at {location} has a record rpm cannot read, "
                         f"skipped: {_record(message)}")
        except rpm.error as exc:
            reason = next(iter(rpm_messages()), str(exc))
            raise SourceError(f"cannot read the rpm database at {location}: {reason}") from None
        finally:
            ts.closeDB()
    data.internalize()
    if repo.nsolvables == 0:
        raise SourceError(f"the rpm database at {location} holds no packages; {_ELSEWHERE}")
    return repo


def _add(repo: solv.Repo, data: solv.XRepodata, hdr: rpm.hdr, location: Path,
         warn: Callable[[str], None] | None) -> None:
    try:
        add_header(repo, data, hdr)
    except SourceError as exc:  # a rich dependency nested too deep
        if warn is None:
            raise
        warn(f"skipping a package of the rpm database at {location}: {exc}")


def _record(message: str) -> str:
    """``rpmdbNextIterator: skipping h#   2 hdr tags: BAD, ...`` -> ``h# 2 (hdr tags: BAD,
    ...)``: the record's number, then rpm's reason."""
    found = re.search(r"skipping (h#)\s*(\d+)\s*(.*)", message)
    if found is None:
        return " ".join(message.split())
    return f"{found[1]} {found[2]} ({' '.join(found[3].split())})"


def _text_name(hdr: rpm.hdr) -> str:
    name = hdr[rpm.RPMTAG_NAME]
    return name.decode() if isinstance(name, bytes) else str(name)
