"""Metadata decompression: libsolv's wheel reads only plain and gzip files, so we do it.

The decompressors are imported when a stream needs them: a warm run needs none.
"""

from __future__ import annotations

import importlib
import shutil
from types import ModuleType
from typing import IO, BinaryIO, cast

_MAGIC: list[tuple[bytes, str]] = [
    (b"\x1f\x8b", "gzip"),
    (b"\xfd7zXZ\x00", "xz"),
    (b"BZh", "bzip2"),
    (b"\x28\xb5\x2f\xfd", "zstd"),
]
# gzip through ISA-L (isal): the same GzipFile, decompressing about three times as fast
# as zlib, which counts on the cold path (benchmarks/README.md).
_MODULES = {"gzip": "isal.igzip", "xz": "lzma", "bzip2": "bz2", "zstd": "zstandard"}


def detect(head: bytes) -> str:
    """Name the compression from the first bytes (file names in repomd.xml can lie)."""
    for magic, name in _MAGIC:
        if head.startswith(magic):
            return name
    return "plain"


def _module(kind: str) -> ModuleType:
    return importlib.import_module(_MODULES[kind])


def decompress_errors(kind: str) -> tuple[type[Exception], ...]:
    """Errors the stream readers of ``kind`` raise on corrupt or truncated input."""
    import zlib

    errors: tuple[type[Exception], ...] = (OSError, EOFError, zlib.error)
    if kind == "gzip":
        errors += (importlib.import_module("isal.igzip_lib").IsalError,)
    elif kind == "xz":
        errors += (_module(kind).LZMAError,)
    elif kind == "zstd":
        errors += (_module(kind).ZstdError,)
    return errors


def _open(kind: str, src: BinaryIO) -> IO[bytes]:
    if kind == "gzip":
        return cast(IO[bytes], _module(kind).GzipFile(fileobj=src))
    if kind == "xz":
        return cast(IO[bytes], _module(kind).LZMAFile(src))
    if kind == "bzip2":
        return cast(IO[bytes], _module(kind).BZ2File(src))
    return src


# Compressed bytes handed to zstd at a time. zstd expands at most ~32,000 times (a 4-byte
# block of one repeated byte gives 128 KiB), so 256 bytes give at most ~8 MiB at once: the
# output is written, and capped by ``dst``, chunk by chunk; a bomb never sits in memory.
_ZSTD_PIECE = 256


def _copy_zstd(src: BinaryIO, dst: BinaryIO) -> None:
    """Every frame in turn. zstandard's stream reader ends quietly when a frame is cut
    short, so the end of each frame is checked here."""
    zstandard = _module("zstd")
    frame, inside = zstandard.ZstdDecompressor().decompressobj(), False
    while block := src.read(1 << 20):
        for start in range(0, len(block), _ZSTD_PIECE):
            chunk = block[start:start + _ZSTD_PIECE]
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
    """Copy ``src`` to ``dst`` decompressing it; raises one of decompress_errors(kind) when
    it is corrupt."""
    if kind == "zstd":
        _copy_zstd(src, dst)
    else:
        shutil.copyfileobj(_open(kind, src), dst, 1 << 20)
