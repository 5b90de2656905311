"""Metadata decompression: libsolv's wheel reads only plain and gzip files, so we do it."""

from __future__ import annotations

import bz2
import gzip
import lzma
import shutil
import zlib
from typing import IO, BinaryIO

import zstandard

_MAGIC: list[tuple[bytes, str]] = [
    (b"\x1f\x8b", "gzip"),
    (b"\xfd7zXZ\x00", "xz"),
    (b"BZh", "bzip2"),
    (b"\x28\xb5\x2f\xfd", "zstd"),
]

# Errors the stream readers raise on corrupt or truncated input.
DECOMPRESS_ERRORS: tuple[type[Exception], ...] = (
    OSError,
    EOFError,
    lzma.LZMAError,
    zlib.error,
    zstandard.ZstdError,
)


def detect(head: bytes) -> str:
    """Name the compression from the first bytes (file names in repomd.xml can lie)."""
    for magic, name in _MAGIC:
        if head.startswith(magic):
            return name
    return "plain"


def _open(kind: str, src: BinaryIO) -> IO[bytes]:
    if kind == "gzip":
        return gzip.GzipFile(fileobj=src)  # type: ignore[return-value]
    if kind == "xz":
        return lzma.LZMAFile(src)
    if kind == "bzip2":
        return bz2.BZ2File(src)
    if kind == "zstd":
        # read_across_frames: a file may hold several frames; all of them are the data.
        reader: IO[bytes] = zstandard.ZstdDecompressor().stream_reader(
            src, read_across_frames=True)
        return reader
    return src


def decompress_stream(src: BinaryIO, dst: BinaryIO, kind: str) -> None:
    """Copy ``src`` to ``dst`` decompressing it; raises one of DECOMPRESS_ERRORS when corrupt."""
    shutil.copyfileobj(_open(kind, src), dst, 1 << 20)
