"""libsolv's rpm-md parser fed through a pipe, on a thread of its own, while this one
decompresses and checks what it feeds.

The solv bindings hold the GIL for as long as a call into libsolv lasts, so no other
Python thread runs while the XML of a repository is parsed, and decompressing the
metadata before the parse adds its whole time to the parse's. The library's own
entry points (``solv_xfopen_fd``, ``repo_add_rpmmd``) are called here through ctypes,
which lets the GIL go for the call: the parse runs on one core, reading a pipe, while
the calling thread decompresses into it on another, checking every byte (its size
cap, rich dependency depth) before it goes in. The parse thread touches only the repo
it was given, and the caller waits for it before it returns, whatever happens.

A libsolv build that does not export those functions gives ``None`` from ``parser()``,
and the caller parses the way the bindings do.
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

_PIPE_SIZE = 1 << 20  # bytes the pipe holds (Linux: F_SETPIPE_SZ); fewer switches
_F_SETPIPE_SZ = 1031


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
        libc = ctypes.CDLL(None)
        xfopen_fd, add_rpmmd, fclose = lib.solv_xfopen_fd, lib.repo_add_rpmmd, libc.fclose
    except (OSError, AttributeError):
        return None
    xfopen_fd.restype = ctypes.c_void_p
    xfopen_fd.argtypes = [ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p]
    add_rpmmd.restype = ctypes.c_int
    add_rpmmd.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int]
    fclose.restype = ctypes.c_int
    fclose.argtypes = [ctypes.c_void_p]
    return _Native(xfopen_fd, add_rpmmd, fclose)


def available() -> bool:
    """Whether ``parse_fed`` can run the parse beside its caller (else the caller parses)."""
    return hasattr(os, "pipe") and _native() is not None


class PipeWriter:
    """The feeding end: what ``write`` takes goes to the parser. Once the parser has
    stopped reading (it found the XML bad), the rest is dropped: feeding goes on to the
    end, so that what decompression and the checks would refuse is still refused, with
    their messages, as when the whole file was decompressed before the parse."""

    def __init__(self, fd: int) -> None:
        self._fd = fd
        self.stopped = False

    def write(self, chunk: bytes | bytearray | memoryview, /) -> int:
        view = memoryview(chunk)
        try:
            while view and not self.stopped:
                view = view[os.write(self._fd, view):]
        except BrokenPipeError:
            self.stopped = True
        return len(chunk)


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


def parse_fed(repo: solv.Repo, language: str | None, flags: int,
              feed: Callable[[PipeWriter], object]) -> bool:
    """``repo.add_rpmmd`` of the bytes ``feed`` writes, the parse running on a thread of
    its own meanwhile; False when libsolv refused them (``repo.pool.errstr`` says why).
    An exception from ``feed`` ends the input and is raised once the parser has finished
    with it."""
    native = _native()
    assert native is not None, "parse_fed needs available()"
    read_end, write_end = os.pipe()
    with contextlib.suppress(OSError):  # (a bigger pipe where the system allows it)
        import fcntl

        fcntl.fcntl(write_end, _F_SETPIPE_SZ, _PIPE_SIZE)
    result: list[int] = []
    parser = threading.Thread(target=_parse, daemon=True, name="rpmgraph-parse",
                              args=(native, int(repo.this), read_end,
                                    language.encode() if language else None, flags, result))
    parser.start()
    _start_meanwhile()
    try:
        feed(PipeWriter(write_end))
    finally:
        os.close(write_end)  # the end of the input, however feeding ended
        parser.join()
    return result == [0]


def _parse(native: _Native, repo: int, fd: int, language: bytes | None, flags: int,
           result: list[int]) -> None:
    """The parse thread: libsolv reads ``fd`` to its end (and closes it)."""
    handle = native.xfopen_fd(b"", fd, b"r")
    if not handle:
        os.close(fd)
        result.append(-1)
        return
    try:
        result.append(native.add_rpmmd(repo, handle, language, flags))
    finally:
        native.fclose(handle)
