"""rpm's own install order of ``.rpm`` files, as ``/usr/bin/rpmgraph`` computes it: the
packages are added to an rpm transaction (as ``rpm -i`` would add them, without checking
dependencies), rpm orders it, and each package keeps the parent rpm's ordering gives it
(its last prerequisite among the files)."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import rpm

from rpmgraph.errors import SourceError
from rpmgraph.sources.headers import rpm_log


@dataclass(frozen=True, slots=True)
class Ordered:
    """One package in rpm's install order, and the package rpm orders it after."""

    name: str
    parent: str | None


def install_order(paths: list[Path]) -> list[Ordered]:
    ts = rpm.TransactionSet()
    # Signatures are not checked (there are no keys to check them with), digests are.
    ts.setVSFlags(rpm.RPMVSF_MASK_NOSIGNATURES)
    with rpm_log() as rpm_messages:
        for path in paths:
            ts.addInstall(_header(ts, path, rpm_messages), str(path), "i")
        ts.order()
        return [Ordered(_text(te.N()), None if te.Parent() is None else _text(te.Parent().N()))
                for te in ts]


def _header(ts: rpm.TransactionSet, path: Path,
            rpm_messages: Callable[[], list[str]]) -> rpm.hdr:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError as exc:
        raise SourceError(f"cannot read {path}: {exc.strerror}") from None
    try:
        return ts.hdrFromFdno(fd)
    except rpm.error as exc:
        detail = "; ".join(rpm_messages()).replace(f"{path.resolve()}: ", "")
        raise SourceError(f"{path} is not a valid rpm package ({detail or exc})") from None
    finally:
        os.close(fd)


def _text(value: str | bytes) -> str:
    return value.decode(errors="replace") if isinstance(value, bytes) else str(value)
