"""libsolv's rpm-md parser called without holding the GIL, so that other work of this
process (``meanwhile``: the imports a graph needs next) runs while it parses.

The solv bindings hold the GIL for as long as a call into libsolv lasts, so no other
Python thread runs while the XML of a repository is parsed. The library's own entry
points (``solv_xfopen_fd``, ``repo_add_rpmmd``) are called here through ctypes, which
lets the GIL go for the call. Nothing else touches the pool meanwhile: the work done
beside the parse is the caller's own (imports), never the pool's.

A libsolv build that does not export those functions gives ``None`` from ``_native()``,
and the parse goes through the bindings as before.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import solv


@dataclass(frozen=True, slots=True)
class _Native:
    xfopen_fd: Callable[[bytes, int, bytes], int | None]
    add_rpmmd: Callable[[int, int, bytes | None, int], int]
    fclose: Callable[[int], int]


_loaded: list[_Native | None] = []


def _native() -> _Native | None:
    if not _loaded:
        _loaded.append(_load())
    return _loaded[0]


def _load() -> _Native | None:
    import solv

    try:
        lib = ctypes.CDLL(solv._solv.__file__)  # already loaded: the same handle
        xfopen_fd, add_rpmmd = lib.solv_xfopen_fd, lib.repo_add_rpmmd
        fclose = ctypes.CDLL(None).fclose
    except (OSError, AttributeError):
        return None
    xfopen_fd.restype = ctypes.c_void_p
    xfopen_fd.argtypes = [ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p]
    add_rpmmd.restype = ctypes.c_int
    add_rpmmd.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int]
    fclose.restype = ctypes.c_int
    fclose.argtypes = [ctypes.c_void_p]
    return _Native(xfopen_fd, add_rpmmd, fclose)


def add_rpmmd(repo: solv.Repo, fd: int, language: str | None, flags: int) -> bool:
    """``repo.add_rpmmd`` of the plain XML in ``fd`` (read from where it stands; the fd
    stays open), with the GIL let go while libsolv parses when this libsolv allows it,
    and the ``meanwhile`` work started beside it; False when libsolv refused the XML
    (``repo.pool.errstr`` says why)."""
    import solv

    native = _native()
    if native is None:
        handle = solv.xfopen_fd("", fd)
        ok = bool(repo.add_rpmmd(handle, language, flags))
        handle.close()
        return ok
    own = os.dup(fd)
    file = native.xfopen_fd(b"", own, b"r")
    if not file:
        os.close(own)
        return False
    _start_meanwhile()
    try:
        return native.add_rpmmd(int(repo.this), file, language.encode() if language else None,
                                flags) == 0
    finally:
        native.fclose(file)


class _Meanwhile:
    work: Callable[[], object] | None = None
    thread: threading.Thread | None = None


_meanwhile = _Meanwhile()


@contextlib.contextmanager
def meanwhile(work: Callable[[], object] | None) -> Iterator[None]:
    """Run ``work`` on a thread of its own once libsolv starts parsing XML (the GIL is
    free then; a warm run, which parses none, does not start it), and wait for it on
    leaving. Its errors are dropped: whatever it prepares is only done ahead of time."""
    _meanwhile.work = work
    try:
        yield
    finally:
        thread, _meanwhile.thread, _meanwhile.work = _meanwhile.thread, None, None
        if thread is not None:
            thread.join()


def _start_meanwhile() -> None:
    work = _meanwhile.work
    if work is not None and _meanwhile.thread is None:
        _meanwhile.thread = threading.Thread(target=_quietly, args=(work,), daemon=True,
                                             name="rpmgraph-meanwhile")
        _meanwhile.thread.start()


def _quietly(work: Callable[[], object]) -> None:
    with contextlib.suppress(Exception):
        work()
