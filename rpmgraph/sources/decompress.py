"""Metadata decompression: libsolv's wheel reads only plain and gzip files, so we do it.

A metadata file is decompressed by a child process into a pipe that libsolv parses
from as the bytes come: the two run at once, on two cores when there are two. A
child process, not a thread: libsolv's bindings keep Python's GIL while they parse,
so a thread feeding the pipe would never run and both would wait for ever. The child
is forked, so it has the verified bytes already, and reports a corrupt stream or a
decompression bomb back through a second pipe: that error wins over whatever libsolv
made of the bytes that came before it.

The decompressors are imported when a stream needs them: a warm run needs none.
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import signal
from collections.abc import Callable, Iterator
from types import ModuleType
from typing import IO, BinaryIO, NoReturn, cast

from rpmgraph.errors import SourceError
from rpmgraph.sources.progress import ProgressBar, no_progress

_MAGIC: list[tuple[bytes, str]] = [
    (b"\x1f\x8b", "gzip"),
    (b"\xfd7zXZ\x00", "xz"),
    (b"BZh", "bzip2"),
    (b"\x28\xb5\x2f\xfd", "zstd"),
]
_MODULES = {"gzip": "gzip", "xz": "lzma", "bzip2": "bz2", "zstd": "zstandard"}
_CHUNK = 1 << 20
_PIPE_SIZE = 1 << 20  # fewer switches between the two processes than the default 64 KiB
_ERROR_LIMIT = 1 << 12  # bytes of an error message the child may send
_SILENT = no_progress("", None)


def detect(head: bytes) -> str:
    """Name the compression from the first bytes (file names in repomd.xml can lie)."""
    for magic, name in _MAGIC:
        if head.startswith(magic):
            return name
    return "plain"


def _module(kind: str) -> ModuleType:
    import importlib

    return importlib.import_module(_MODULES[kind])


def decompress_errors(kind: str) -> tuple[type[Exception], ...]:
    """Errors the stream readers of ``kind`` raise on corrupt or truncated input."""
    import zlib

    errors: tuple[type[Exception], ...] = (OSError, EOFError, zlib.error)
    if kind == "xz":
        errors += (_module("xz").LZMAError,)
    elif kind == "zstd":
        errors += (_module("zstd").ZstdError,)
    return errors


def _open(kind: str, src: BinaryIO) -> IO[bytes]:
    if kind == "gzip":
        return cast(IO[bytes], _module(kind).GzipFile(fileobj=src))
    if kind == "xz":
        return cast(IO[bytes], _module(kind).LZMAFile(src))
    if kind == "bzip2":
        return cast(IO[bytes], _module(kind).BZ2File(src))
    return src


def _copy_zstd(src: BinaryIO, dst: BinaryIO) -> None:
    """Every frame in turn. zstandard's stream reader ends quietly when a frame is cut
    short, so the end of each frame is checked here."""
    zstandard = _module("zstd")
    frame, inside = zstandard.ZstdDecompressor().decompressobj(), False
    while chunk := src.read(_CHUNK):
        while chunk:
            dst.write(frame.decompress(chunk))
            inside = not frame.eof
            if inside:
                break
            chunk = frame.unused_data  # the next frame starts here
            frame = zstandard.ZstdDecompressor().decompressobj()
    if inside:
        raise EOFError("Compressed file ended before the end-of-stream marker was reached")


def decompress_stream(src: BinaryIO, dst: BinaryIO, kind: str) -> None:
    """Copy ``src`` to ``dst`` decompressing it; raises one of decompress_errors(kind)
    when it is corrupt."""
    if kind == "zstd":
        _copy_zstd(src, dst)
    else:
        shutil.copyfileobj(_open(kind, src), dst, _CHUNK)


class _ReaderGoneError(Exception):
    """The pipe's reader closed it: nothing to report, the parent knows why."""


class Capped(io.RawIOBase):
    """A writer to a file descriptor that refuses more than ``limit`` bytes:
    decompression stays bounded."""

    def __init__(self, fd: int, limit: int, label: str) -> None:
        super().__init__()
        self._out = open(fd, "wb", buffering=_CHUNK, closefd=False)  # noqa: SIM115
        self._left, self._label, self._limit = limit, label, limit

    def writable(self) -> bool:
        return True

    def write(self, chunk: bytes | bytearray | memoryview, /) -> int:  # type: ignore[override]
        self._left -= len(chunk)
        if self._left < 0:
            raise SourceError(f"{self._label} expands to more than the {self._limit} bytes "
                              "repomd.xml allows; refusing it (a decompression bomb?)")
        try:
            return self._out.write(chunk)
        except OSError as exc:  # not the stream's fault: kept apart from its errors
            raise _ReaderGoneError from exc

    def flush(self) -> None:
        try:
            self._out.flush()
        except OSError as exc:
            raise _ReaderGoneError from exc


class Counting(io.BytesIO):
    """Compressed bytes that report how far the decompressor has read."""

    def __init__(self, data: bytes, update: Callable[[int], object]) -> None:
        super().__init__(data)
        self._update = update

    def read(self, size: int | None = -1, /) -> bytes:
        chunk = super().read(size)
        self._update(len(chunk))
        return chunk


def _decompress(data: bytes, label: str, limit: int, update: Callable[[int], object],
                out: int) -> str:
    """Decompress ``data`` into ``out``; the error message for the user, or ''."""
    kind = detect(data[:8])
    capped = Capped(out, limit, label)
    try:
        try:
            decompress_stream(Counting(data, update), cast(BinaryIO, capped), kind)
        finally:  # what came before an error is the reader's too: the error decides anyway
            capped.flush()
    except _ReaderGoneError:
        return ""
    except SourceError as exc:
        return str(exc)
    except decompress_errors(kind) as exc:
        return f"{label} is corrupt or truncated: {exc}"
    return ""


def _child(data: bytes, label: str, limit: int, bar: ProgressBar,
           out: int, errors: int) -> NoReturn:
    """The forked process: decompress, report, and leave without running anything of the
    parent's (atexit handlers, buffered output, finally blocks further up). The bar is
    the child's to draw, and so to clear: the parent's copy never moved."""
    code = 0
    try:
        signal.signal(signal.SIGINT, signal.SIG_DFL)  # Ctrl-C reaches the parent as well
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        message = _decompress(data, label, limit, bar.update, out)
        bar.close()
        if message:
            os.write(errors, message.encode()[:_ERROR_LIMIT])
            code = 1
    except BaseException:
        code = 2
    finally:
        os._exit(code)


@contextlib.contextmanager
def decompressed(data: bytes, label: str, limit: int,
                 bar: ProgressBar = _SILENT) -> Iterator[int]:
    """A file descriptor from which the decompressed ``data`` can be read, filled by a
    child process. Leaving the block waits for the child (after reading what the reader
    left, so that every byte is decompressed and checked), then raises SourceError if the
    stream was corrupt, truncated or over ``limit`` bytes."""
    kind = detect(data[:8])
    if kind != "plain":
        _module(kind)  # imported once, here, not by the child after every fork
    decompress_errors(kind)
    read_end, write_end = os.pipe()
    error_read, error_write = os.pipe()
    with contextlib.suppress(AttributeError, OSError):  # Linux only; a hint
        import fcntl

        fcntl.fcntl(write_end, fcntl.F_SETPIPE_SZ, _PIPE_SIZE)
    pid = os.fork()
    if pid == 0:
        os.close(read_end)
        os.close(error_read)
        _child(data, label, limit, bar, write_end, error_write)
    os.close(write_end)
    os.close(error_write)
    try:
        yield read_end
        while os.read(read_end, _CHUNK):  # what the reader did not want, checked all the same
            pass
    except BaseException:
        os.kill(pid, signal.SIGKILL)
        raise
    finally:
        os.close(read_end)
        _, status = os.waitpid(pid, 0)
        message = _read_all(error_read)
        os.close(error_read)
    _raise_for(message, status, label)


def _read_all(fd: int) -> str:
    chunks = []
    while chunk := os.read(fd, _ERROR_LIMIT):
        chunks.append(chunk)
    return b"".join(chunks).decode(errors="replace")


def _raise_for(message: str, status: int, label: str) -> None:
    if message:
        raise SourceError(message)
    if not os.WIFEXITED(status) or os.WEXITSTATUS(status) != 0:
        raise SourceError(f"cannot decompress {label}: the decompressing process failed "
                          f"(status {status})")
