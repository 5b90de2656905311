"""Turning rpm headers (from .rpm files or the rpm database) into libsolv solvables.

The PyPI build of libsolv cannot read rpm headers itself, so the rpm bindings
read them and this module copies what resolution needs into the pool, the way
libsolv's own repo_rpmdb would: dependencies with their flags, the pre-requires
marker, file lists (for file provides), sizes, summary and source rpm.
"""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import rpm
import solv

from rpmgraph.errors import SourceError
from rpmgraph.limits import max_rich_depth
from rpmgraph.richdeps import too_deep

# rpm's comparison flags -> libsolv's relation flags.
_SENSE_TO_REL = ((rpm.RPMSENSE_LESS, solv.REL_LT), (rpm.RPMSENSE_GREATER, solv.REL_GT),
                 (rpm.RPMSENSE_EQUAL, solv.REL_EQ))
# The flags that createrepo_c writes as pre="1" and libsolv files behind the prereq marker.
_PRE_FLAGS = rpm.RPMSENSE_PREREQ | rpm.RPMSENSE_SCRIPT_PRE | rpm.RPMSENSE_SCRIPT_POST

# (name tag, flags tag, version tag, libsolv key)
_DEP_TAGS = [
    ("PROVIDE", solv.SOLVABLE_PROVIDES),
    ("REQUIRE", solv.SOLVABLE_REQUIRES),
    ("CONFLICT", solv.SOLVABLE_CONFLICTS),
    ("OBSOLETE", solv.SOLVABLE_OBSOLETES),
    ("RECOMMEND", solv.SOLVABLE_RECOMMENDS),
    ("SUGGEST", solv.SOLVABLE_SUGGESTS),
    ("SUPPLEMENT", solv.SOLVABLE_SUPPLEMENTS),
    ("ENHANCE", solv.SOLVABLE_ENHANCES),
]


def header_text(value: object) -> str:
    """Header strings come back as str or bytes depending on the tag; metadata is untrusted."""
    if value is None:
        return ""
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    # The bindings decode non-UTF-8 bytes to lone surrogates, which libsolv cannot take.
    return str(value).encode("utf-8", "surrogateescape").decode("utf-8", errors="replace")


def _tag(prefix: str, suffix: str) -> int:
    return int(getattr(rpm, f"RPMTAG_{prefix}{suffix}"))


def make_dep(pool: solv.Pool, name: str, flags: int, evr: str) -> solv.Dep | None:
    """Build a libsolv dependency from rpm's (name, flags, evr) triple."""
    if not name:
        return None
    if name.startswith("("):
        dep = pool.parserpmrichdep(name)
        return dep if dep and dep.id else None
    dep = pool.Dep(name)
    rel = sum(solv_rel for sense, solv_rel in _SENSE_TO_REL if flags & sense)
    if rel and evr:
        return dep.Rel(rel, pool.Dep(evr))
    return dep


def add_header(repo: solv.Repo, data: solv.XRepodata, hdr: rpm.hdr,
               downloadsize: int = 0) -> solv.XSolvable:
    """Add one package header to ``repo`` as a solvable and return it; a SourceError (and
    nothing added) when a rich dependency nests deeper than rpmgraph reads."""
    _check_rich_depth(hdr)
    pool = repo.pool
    s = repo.add_solvable()
    s.name = header_text(hdr[rpm.RPMTAG_NAME])
    s.evr = _evr(hdr)
    s.arch = header_text(hdr[rpm.RPMTAG_ARCH]) or "noarch"
    s.vendor = header_text(hdr[rpm.RPMTAG_VENDOR])
    _add_deps(pool, s, hdr)
    # Every package provides its own name at its own version, as rpm and libsolv expect.
    s.add_deparray(solv.SOLVABLE_PROVIDES, pool.Dep(s.name).Rel(solv.REL_EQ, pool.Dep(s.evr)))
    _add_files(data, s, hdr)
    data.set_str(s.id, solv.SOLVABLE_SUMMARY, header_text(hdr[rpm.RPMTAG_SUMMARY]))
    data.set_num(s.id, solv.SOLVABLE_INSTALLSIZE, int(hdr[rpm.RPMTAG_LONGSIZE] or 0))
    data.set_num(s.id, solv.SOLVABLE_DOWNLOADSIZE, downloadsize)
    sourcerpm = header_text(hdr[rpm.RPMTAG_SOURCERPM])
    if sourcerpm:
        data.set_sourcepkg(s.id, sourcerpm)
    return s


def _check_rich_depth(hdr: rpm.hdr) -> None:
    for prefix, _ in _DEP_TAGS:
        for name in map(header_text, hdr[_tag(prefix, "NAME")] or []):
            if too_deep(name):
                raise SourceError(
                    f"{header_text(hdr[rpm.RPMTAG_NAME])} has a rich dependency nested more than "
                    f"{max_rich_depth()} deep (RPMGRAPH_MAX_RICH_DEPTH sets the limit)")


def _evr(hdr: rpm.hdr) -> str:
    epoch = hdr[rpm.RPMTAG_EPOCH]
    vr = f"{header_text(hdr[rpm.RPMTAG_VERSION])}-{header_text(hdr[rpm.RPMTAG_RELEASE])}"
    return f"{epoch}:{vr}" if epoch else vr


def _add_deps(pool: solv.Pool, s: solv.XSolvable, hdr: rpm.hdr) -> None:
    for prefix, key in _DEP_TAGS:
        names = hdr[_tag(prefix, "NAME")] or []
        flags = hdr[_tag(prefix, "FLAGS")] or [0] * len(names)
        versions = hdr[_tag(prefix, "VERSION")] or [""] * len(names)
        for name, flag, evr in zip(names, flags, versions, strict=False):
            if flag & rpm.RPMSENSE_RPMLIB or header_text(name).startswith("rpmlib("):
                continue  # rpm-internal capabilities; libsolv's rpmmd reader drops them too
            dep = make_dep(pool, header_text(name), int(flag), header_text(evr))
            if dep is None:
                continue
            pre = key == solv.SOLVABLE_REQUIRES and bool(flag & _PRE_FLAGS)
            s.add_deparray(key, dep, 1 if pre else -1)


def _add_files(data: solv.XRepodata, s: solv.XSolvable, hdr: rpm.hdr) -> None:
    for filename in hdr[rpm.RPMTAG_FILENAMES] or []:
        path = header_text(filename)
        directory, _, base = path.rpartition("/")
        data.add_dirstr(s.id, solv.SOLVABLE_FILELIST, data.str2dir(directory or "/"), base)


@contextmanager
def rpm_log() -> Iterator[Callable[[], list[str]]]:
    """rpm prints its own ``error:`` lines to stderr; collect them instead, so that each
    bad file or database gets one message that says what rpm found wrong."""
    with tempfile.TemporaryFile(mode="w+") as log:
        seen = 0

        def take() -> list[str]:
            """The error messages rpm logged since the last call."""
            nonlocal seen
            log.seek(seen)
            lines = log.read().splitlines()
            seen = log.tell()
            return [line.removeprefix("error: ") for line in lines if line.startswith("error: ")]

        rpm.setLogFile(log)
        try:
            yield take
        finally:
            if sys.__stderr__ is not None:
                rpm.setLogFile(sys.__stderr__)
