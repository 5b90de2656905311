"""The bounds put on what strangers' metadata may cost: bytes, depth, time.

Every number here is the project's own, never one taken from the metadata, and each
can be changed by an environment variable (the README's "Untrusted input" lists them).
Numbers read from metadata or from the environment are parsed strictly: ASCII digits
only, within a range.
"""

from __future__ import annotations

import math
import os
import re

from rpmgraph.errors import SourceError

_DIGITS = re.compile(r"[0-9]{1,20}")  # ASCII only: str.isdigit() accepts "²" and "٣"
MAX_NUMBER = (1 << 63) - 1  # no file, count or size in metadata is larger


def parse_count(text: str | None) -> int | None:
    """A non-negative integer written in ASCII digits (surrounding blanks allowed), or
    None when ``text`` is not one or is beyond ``MAX_NUMBER``."""
    if text is None:
        return None
    text = text.strip()
    if not _DIGITS.fullmatch(text):
        return None
    value = int(text)
    return value if value <= MAX_NUMBER else None


def _env_int(name: str, default: int, minimum: int = 1) -> int:
    text = os.environ.get(name, "").strip()
    if not text:
        return default
    value = parse_count(text)
    if value is None or value < minimum:
        raise SourceError(f"{name}={text!r} is not a whole number of at least {minimum}")
    return value


def env_seconds(name: str, default: float) -> float:
    """A positive, finite number of seconds from the environment (``RPMGRAPH_TIMEOUT``)."""
    text = os.environ.get(name, "").strip()
    if not text:
        return default
    value = float(text) if re.fullmatch(r"[0-9]{0,9}\.?[0-9]{1,9}", text) else math.nan
    if not (math.isfinite(value) and 0 < value <= 86400):
        raise SourceError(f"{name}={text!r} is not a number of seconds above 0 and up to "
                          "86400")
    return value


def max_download() -> int:
    """Bytes of one metadata file as stored (compressed), local or downloaded:
    ``RPMGRAPH_MAX_DOWNLOAD``, default 1 GiB (Fedora's largest, filelists, is ~60 MB)."""
    return _env_int("RPMGRAPH_MAX_DOWNLOAD", 1 << 30)


def max_unpacked() -> int:
    """Bytes one metadata file may decompress to: ``RPMGRAPH_MAX_UNPACKED``, default 4 GiB."""
    return _env_int("RPMGRAPH_MAX_UNPACKED", 4 << 30)


def max_ratio() -> int:
    """How many times its compressed size a metadata file may expand to, above 64 MiB:
    ``RPMGRAPH_MAX_RATIO``, default 100 (XML compresses 10-30 times; a bomb, thousands)."""
    return _env_int("RPMGRAPH_MAX_RATIO", 100)


def unpacked_limit(compressed: int, open_size: int | None) -> int:
    """What a metadata file of ``compressed`` bytes may decompress to: its open-size from
    repomd.xml when given, never more than the ratio and the absolute cap allow."""
    limit = min(max(64 << 20, compressed * max_ratio()), max_unpacked())
    return min(open_size, limit) if open_size is not None else limit


def max_rich_depth() -> int:
    """How deep rich (boolean) dependencies may nest: ``RPMGRAPH_MAX_RICH_DEPTH``,
    default 64 (real packages nest 2 or 3 deep; libsolv's parser recurses in C)."""
    return _env_int("RPMGRAPH_MAX_RICH_DEPTH", 64)
