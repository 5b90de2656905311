"""primary.xml parsed on two CPUs: the first half here, the second in a forked child.

libsolv's parse of primary.xml is most of a cold run, and the bindings hold the GIL
through it, so no thread can share it. A forked child decompresses the XML as two
documents (``Splitter``), cut before a ``<package`` once a little more than half the
compressed bytes are read (``SHARE``): the first keeps the header and is closed, the
second starts with a copy of the header. As soon as the first is written, this process
parses it, while the child decompresses and parses the second into a repo of its own
and writes that as a ``.solv`` file, which this process loads after its own half: the
packages keep the order, and so the ids, of one parse.

What one parse would refuse is refused, and what it reads is read the same way: a cut
anywhere but between two packages (inside a comment, a CDATA section, a nested element)
leaves the first half unclosed, which libsolv refuses; then, as when the child fails
or dies, the document is decompressed and parsed again once, here (``parse_whole``),
with the error message one parse gives.

The repository then holds its primary data in two repodatas; ``write_primary`` writes
both to the cache as one (libsolv's repowriter, which the bindings do not offer, called
through ctypes), so that a warm run loads one file as before.
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import io
import os
import re
import tempfile
from collections.abc import Callable
from typing import IO, TYPE_CHECKING, BinaryIO, cast

import solv

from rpmgraph.errors import SourceError
from rpmgraph.forked import Forked, can_fork

if TYPE_CHECKING:
    from rpmgraph.sources.repomd import Parsed

# Compressed bytes of primary.xml below which one parse is kept: the fork, the child's
# .solv file and loading it cost more than half of a small parse saves.
HALVE_FROM = 4 << 20

# Where the cut goes, as a share of the compressed bytes: past the middle, because the
# child, which decompresses the whole and writes its half as .solv, has more to do.
SHARE = 0.55

_PACKAGE = re.compile(rb"<package[\s>]")
_ROOT = re.compile(rb"\A(?:<\?xml[^>]*\?>)?\s*<metadata[\s>]")
_CLOSE = b"\n</metadata>\n"

# Refuses a document libsolv must not parse (SourceError); tells whether it names a path
# dependency that only the file lists may satisfy (repomd.scan_primary).
Scan = Callable[[IO[bytes]], bool]
# Decompresses the metadata file into the writer, calling back with each count of
# compressed bytes read (repomd.add_metadata).
Unpack = Callable[[BinaryIO, Callable[[int], object]], None]


class Splitter(io.RawIOBase):
    """Writes the XML to ``first`` until ``SHARE`` of the ``total`` compressed bytes are
    read (``consumed``), then from the next ``<package`` to ``second`` after a copy of the
    header, calling ``on_split`` once ``first`` is whole. It does not cut when the
    document does not start as rpm-md's primary does (one ``<metadata>`` root, no
    DOCTYPE), or when no package starts in a chunk after that point."""

    def __init__(self, first: BinaryIO, second: BinaryIO, total: int,
                 on_split: Callable[[], object]) -> None:
        super().__init__()
        self.first, self.second, self._total, self._on_split = first, second, total, on_split
        self.header: bytes | None = None  # b"": the document is not cut
        self.split = False
        self._read = 0
        self._out = first

    def consumed(self, count: int) -> None:
        self._read += count

    def writable(self) -> bool:
        return True

    def write(self, chunk: bytes | bytearray | memoryview, /) -> int:  # type: ignore[override]
        size = len(chunk)
        data = bytes(chunk)
        if self.header is None:
            self.header = _header(data)
        elif self.header and not self.split and self._read >= SHARE * self._total:
            found = _PACKAGE.search(data)
            if found is not None:
                self._cut(data[:found.start()])
                data = data[found.start():]
        self._out.write(data)
        return size

    def _cut(self, last: bytes) -> None:
        assert self.header
        self.first.write(last)
        self.first.write(_CLOSE)
        self.first.flush()
        self._on_split()
        self._out = self.second
        self._out.write(self.header)
        self.split = True


def _header(first_chunk: bytes) -> bytes:
    """What comes before the first package, when a copy of it can start a document."""
    found = _PACKAGE.search(first_chunk)
    head = first_chunk[:found.start()] if found is not None else b""
    return head if _ROOT.match(head) and b"<!" not in head else b""


def worth_halving(compressed: int) -> bool:
    return compressed >= HALVE_FROM and can_fork() and _writer() is not None


def parse_halves(repo: solv.Repo, unpack: Unpack, total: int, scan: Scan, label: str
                 ) -> Parsed:
    """Decompress and parse primary.xml (``total`` compressed bytes) into ``repo`` on two
    CPUs. Raises SourceError when one parse of the whole document would."""
    from rpmgraph.sources.repomd import Parsed

    with contextlib.ExitStack() as files:
        first, second, out = (files.enter_context(tempfile.TemporaryFile()) for _ in "123")
        ready, signal = os.pipe()
        files.callback(os.close, ready)
        split = Splitter(first, second, total, functools.partial(os.write, signal, b"s"))
        try:
            child = Forked(functools.partial(_second_half, repo.pool, split, unpack, out,
                                             scan))
        except OSError:  # no process to spare
            return parse_whole(repo, unpack, scan, label)
        finally:
            os.close(signal)  # (the child's copy closes when it ends: no cut, no signal)
        with child:
            _while_waiting()
            needed = _first_half(repo, first, scan) if os.read(ready, 1) else None
            answer = child.result()
        if isinstance(answer, str):
            raise SourceError(answer)
        if isinstance(needed, SourceError):
            raise needed
        if answer == ():  # not cut: the whole document is in the first file
            return parse_file(repo, first, scan, label)
        if needed is not None and answer is not None and answer[0]:
            out.seek(0)
            if _load(repo, out):
                return Parsed(parts=2, file_lists_needed=needed or answer[1])
    repo.empty(True)  # (the ids one parse would give: the repo is the pool's last)
    return parse_whole(repo, unpack, scan, label)


def _while_waiting() -> None:
    """What this process does while the child decompresses the first half: import the
    graph type, which every use of a loaded pool builds (with networkx, the longest
    import of a run)."""
    import rpmgraph.depgraph  # noqa: F401


def _first_half(repo: solv.Repo, first: BinaryIO, scan: Scan) -> bool | SourceError | None:
    """Here: what ``scan`` says of the first half once it is parsed, None when libsolv
    refuses it, or the error ``scan`` raised (kept until the child tells whether the
    decompression failed, which one parse would report first)."""
    try:
        needed = scan(first)
    except SourceError as exc:
        return exc
    return needed if parse(repo, first) else None


def _second_half(pool: solv.Pool, split: Splitter, unpack: Unpack, out: BinaryIO,
                 scan: Scan) -> tuple[()] | tuple[bool, bool] | str:
    """In the child: decompress both halves; then whether the second is written to
    ``out`` as .solv (False when libsolv refuses it) and what ``scan`` says of it; the
    message of a SourceError; () when the document was not cut."""
    try:
        unpack(cast(BinaryIO, split), split.consumed)
        if not split.split:
            return ()
        needed = scan(split.second)
    except SourceError as exc:
        return str(exc)
    part = pool.add_repo("second half")
    if not parse(part, split.second):
        return (False, needed)
    handle = solv.xfopen_fd("", out.fileno(), "w")
    return (bool(part.write(handle)) and bool(handle.close()), needed)


def parse_whole(repo: solv.Repo, unpack: Unpack, scan: Scan | None, label: str,
                language: str | None = None, flags: int = 0) -> Parsed:
    """One parse, here: decompress into a temporary file and ``parse_file`` it."""
    with tempfile.TemporaryFile() as plain:
        unpack(plain, lambda count: None)
        return parse_file(repo, plain, scan, label, language, flags)


def parse_file(repo: solv.Repo, plain: IO[bytes], scan: Scan | None, label: str,
               language: str | None = None, flags: int = 0) -> Parsed:
    """``scan`` the decompressed XML in ``plain`` when given, then parse it into ``repo``."""
    from rpmgraph.sources.repomd import Parsed

    needed = scan(plain) if scan is not None else False
    if not parse(repo, plain, language, flags):
        raise SourceError(f"{label} is not valid rpm-md metadata: {repo.pool.errstr}")
    return Parsed(file_lists_needed=needed)


def parse(repo: solv.Repo, plain: IO[bytes], language: str | None = None,
          flags: int = 0) -> bool:
    """libsolv's parse of the XML in ``plain`` (a file) into ``repo``."""
    plain.flush()
    plain.seek(0)
    handle = solv.xfopen_fd("", plain.fileno())
    ok = bool(repo.add_rpmmd(handle, language, flags))
    handle.close()
    return ok


def _load(repo: solv.Repo, out: IO[bytes]) -> bool:
    handle = solv.xfopen_fd("", out.fileno())
    ok = bool(repo.add_solv(handle))
    handle.close()
    return ok


def write_primary(repo: solv.Repo, parts: int, handle: solv.xfile) -> bool:
    """Write the solvables and the first ``parts`` repodatas (primary's, not the file
    lists' after them) to ``handle`` as one .solv file."""
    if parts == 1:
        return bool(repo.write_first_repodata(handle))
    lib = _writer()
    assert lib is not None, "halves are parsed only when the writer is there"
    writer = lib.repowriter_create(int(repo.this))
    try:
        lib.repowriter_set_repodatarange(writer, 1, 1 + parts)
        return int(lib.repowriter_write(writer, _file_pointer(handle))) == 0
    finally:
        lib.repowriter_free(writer)


def _file_pointer(handle: solv.xfile) -> int:
    """The ``FILE *`` inside the bindings' file object (its first and only field)."""
    return int(ctypes.cast(int(handle.this), ctypes.POINTER(ctypes.c_void_p))[0] or 0)


@functools.cache
def _writer() -> ctypes.CDLL | None:
    """libsolv's repowriter from the bindings' own library; None when it does not export
    it (bindings linked to a libsolv of the system's)."""
    try:
        lib = ctypes.CDLL(solv._solv.__file__)
        create, span = lib.repowriter_create, lib.repowriter_set_repodatarange
        write, free = lib.repowriter_write, lib.repowriter_free
    except (OSError, AttributeError):
        return None
    create.restype, create.argtypes = ctypes.c_void_p, [ctypes.c_void_p]
    span.restype, span.argtypes = None, [ctypes.c_void_p, ctypes.c_int, ctypes.c_int]
    write.restype, write.argtypes = ctypes.c_int, [ctypes.c_void_p, ctypes.c_void_p]
    free.restype, free.argtypes = ctypes.c_void_p, [ctypes.c_void_p]
    return lib
