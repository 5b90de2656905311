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
    return src


def _copy_zstd(src: BinaryIO, dst: BinaryIO) -> None:
    """Every frame in turn. zstandard's stream reader ends quietly when a frame is cut
    short, so the end of each frame is checked here."""
    frame, inside = zstandard.ZstdDecompressor().decompressobj(), False
    while chunk := src.read(1 << 20):
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
    """Copy ``src`` to ``dst`` decompressing it; raises one of DECOMPRESS_ERRORS when corrupt."""
    if kind == "zstd":
        _copy_zstd(src, dst)
    else:
        shutil.copyfileobj(_open(kind, src), dst, 1 << 20)
