"""Metadata decompression: libsolv's wheel reads only plain and gzip files, so we do it."""

from __future__ import annotations

import bz2
import gzip
import lzma
import shutil
import zlib
from collections.abc import Callable
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


def _opener(kind: str) -> Callable[[BinaryIO], IO[bytes]]:
    if kind == "gzip":
        return lambda f: gzip.GzipFile(fileobj=f)
    if kind == "xz":
        return lambda f: lzma.LZMAFile(f)
    if kind == "bzip2":
        return lambda f: bz2.BZ2File(f)
    if kind == "zstd":
        # read_across_frames: a file may hold several frames; all of them are the data.
        return lambda f: zstandard.ZstdDecompressor().stream_reader(f, read_across_frames=True)
    return lambda f: f


def decompress_stream(src: BinaryIO, dst: BinaryIO, kind: str) -> None:
    """Copy ``src`` to ``dst`` decompressing it; raises one of DECOMPRESS_ERRORS when corrupt."""
    reader = _opener(kind)(src)
    shutil.copyfileobj(reader, dst, 1 << 20)
