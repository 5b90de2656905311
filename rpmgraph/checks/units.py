"""Sizes as people write them ("250 MiB", "1.5 GB", "1048576") and as we print them."""

from __future__ import annotations

import re

# Decimal prefixes are powers of 1000, binary ones of 1024; a bare K/M/G/T is binary,
# as dnf prints its totals ("Total size: 1.5 M").
_UNITS = {
    "": 1, "b": 1,
    "kb": 1000, "mb": 1000**2, "gb": 1000**3, "tb": 1000**4,
    "kib": 1024, "mib": 1024**2, "gib": 1024**3, "tib": 1024**4,
    "k": 1024, "m": 1024**2, "g": 1024**3, "t": 1024**4,
}
# ASCII digits only (\d would take "²" and "٣"), and few enough to mean a size.
_SIZE = re.compile(r"^\s*(?P<number>[0-9]{1,20}(?:\.[0-9]{1,20})?)\s*(?P<unit>[A-Za-z]*)\s*$")
MAX_SIZE = 1 << 62  # 4 EiB: more than any closure, and well within every integer type
_PRINTED = ("B", "KiB", "MiB", "GiB", "TiB")


def parse_size(text: str | int) -> int:
    """Bytes from an int or a string such as ``250 MiB``; ValueError says what is wrong."""
    if isinstance(text, bool):  # bool is an int to Python, never a size to a user
        raise ValueError(f"{text!r} is not a size")
    if isinstance(text, int):
        if text < 0:
            raise ValueError(f"{text} is negative")
        if text > MAX_SIZE:
            raise ValueError(f"{text} is larger than any size ({MAX_SIZE} bytes)")
        return text
    match = _SIZE.match(text)
    unit = match["unit"].lower() if match else ""
    if match is None or unit not in _UNITS:
        raise ValueError(f"cannot read {text!r} as a size (write e.g. 250 MiB, 1.5 GB "
                         "or a number of bytes)")
    size = round(float(match["number"]) * _UNITS[unit])
    if size > MAX_SIZE:
        raise ValueError(f"{text!r} is larger than any size ({MAX_SIZE} bytes)")
    return size


def format_size(size: int, signed: bool = False) -> str:
    """``512 B``, ``1.5 MiB``; with ``signed`` a leading + or - (``+0 B`` for no change)."""
    sign = ("-" if size < 0 else "+") if signed else ("-" if size < 0 else "")
    value = float(abs(size))
    unit = 0
    while value >= 1024 and unit < len(_PRINTED) - 1:
        value /= 1024
        unit += 1
    number = f"{int(value)}" if unit == 0 else f"{value:.1f}"
    return f"{sign}{number} {_PRINTED[unit]}"
