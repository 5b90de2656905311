"""Edit a repository's metadata files in place and keep repomd.xml consistent.

Used to build what createrepo_c on Debian cannot (zstd metadata) and what tests
need on purpose (packages in another order, damaged files with valid checksums).
"""

from __future__ import annotations

import bz2
import gzip
import hashlib
import lzma
import re
from collections.abc import Callable
from pathlib import Path

import zstandard

_COMPRESS: dict[str, Callable[[bytes], bytes]] = {
    "gz": gzip.compress,
    "xz": lzma.compress,
    "bz2": bz2.compress,
    "zst": lambda data: zstandard.ZstdCompressor().compress(data),
    "": lambda data: data,
}
_DECOMPRESS: dict[str, Callable[[bytes], bytes]] = {
    "gz": gzip.decompress,
    "xz": lzma.decompress,
    "bz2": bz2.decompress,
    "zst": lambda data: zstandard.ZstdDecompressor().decompressobj().decompress(data),
    "": lambda data: data,
}


def _suffix(path: Path) -> str:
    return path.suffix.lstrip(".") if path.suffix in (".gz", ".xz", ".bz2", ".zst") else ""


def rewrite(repo: Path, kind: str, transform: Callable[[bytes], bytes] = lambda d: d,
            compress: str | None = None) -> Path:
    """Decompress the ``kind`` file (primary, filelists...), transform it, compress it again
    (with ``compress``: gz, xz, bz2, zst or "" for plain) and fix repomd.xml."""
    repomd = repo / "repodata" / "repomd.xml"
    text = repomd.read_text()
    block = re.search(rf'<data type="{kind}">.*?</data>', text, re.S)
    assert block is not None, f"no {kind} in {repomd}"
    href = re.search(r'href="([^"]+)"', block.group(0))
    assert href is not None
    old = repo / href.group(1)
    data = transform(_DECOMPRESS[_suffix(old)](old.read_bytes()))
    target_kind = _suffix(old) if compress is None else compress
    stem = old.name.split(".xml")[0] + ".xml"
    new = old.with_name(stem + (f".{target_kind}" if target_kind else ""))
    old.unlink()
    new.write_bytes(_COMPRESS[target_kind](data))
    repomd.write_text(text.replace(block.group(0), _fixed_block(block.group(0), repo, new, data)))
    return new


def _fixed_block(block: str, repo: Path, new: Path, plain: bytes) -> str:
    packed = new.read_bytes()
    href = new.relative_to(repo).as_posix()
    block = re.sub(r'href="[^"]+"', f'href="{href}"', block)
    block = re.sub(r'<checksum type="(\w+)">\w+</checksum>',
                   lambda m: f'<checksum type="{m.group(1)}">'
                   f"{hashlib.new(m.group(1), packed).hexdigest()}</checksum>", block)
    block = re.sub(r'<open-checksum type="(\w+)">\w+</open-checksum>',
                   lambda m: f'<open-checksum type="{m.group(1)}">'
                   f"{hashlib.new(m.group(1), plain).hexdigest()}</open-checksum>", block)
    block = re.sub(r"<size>\d+</size>", f"<size>{len(packed)}</size>", block)
    return re.sub(r"<open-size>\d+</open-size>", f"<open-size>{len(plain)}</open-size>", block)


def replace_file(path: Path, new: bytes) -> None:
    """Give a metadata file other bytes, and repomd.xml their size and checksum (as a
    mirror that stored a damaged file would serve it)."""
    old = path.read_bytes()
    repomd = path.parent / "repomd.xml"
    # (the checksum element only: createrepo_c names the file after the same checksum)
    text = repomd.read_text().replace(f">{hashlib.sha256(old).hexdigest()}</checksum>",
                                      f">{hashlib.sha256(new).hexdigest()}</checksum>")
    repomd.write_text(text.replace(f"<size>{len(old)}</size>", f"<size>{len(new)}</size>"))
    path.write_bytes(new)


def reverse_packages(xml: bytes) -> bytes:
    """The same primary/filelists document with its packages in reverse order."""
    text = xml.decode()
    first = text.index("<package ")
    last = text.rindex("</package>") + len("</package>")
    packages = re.findall(r"<package .*?</package>", text[first:last], re.S)
    return (text[:first] + "\n".join(reversed(packages)) + text[last:]).encode()
