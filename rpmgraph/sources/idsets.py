"""Sets of solvable ids kept next to the ``.solv`` cache: the usable packages and the
newest build of each name.arch.

Computing them asks libsolv about every package (a tenth of a second or more for
70,000 packages), yet they depend only on what the pool holds. When every source is
a cached repository, a pool is rebuilt from the same ``.solv`` files in the same
order, and libsolv numbers its solvables the same way each time: the sets computed
once can be read back as ids. Their file is named after everything the ids depend
on (each repository's repomd.xml, where its solvables start and how many there are,
the architecture); any other pool gets another name, and so computes its own.

A file holds ``MAGIC``, the number of runs, then each run of consecutive ids as a
pair (first, last + 1) of unsigned 32-bit integers: most packages are usable and
most have one build, so a set of 70,000 ids is a few thousand runs.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import sys
from array import array
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from rpmgraph.sources.cache import atomic_write_bytes
from rpmgraph.sources.writebehind import later

MAGIC = b"rpmgraph-ids 1\n"
_COUNT = 8  # bytes of the run count after MAGIC


@dataclass(frozen=True, slots=True)
class IdSets:
    """The id set files of one pool, in the cache folder of its first repository."""

    folder: Path
    digest: str  # sha256 of what the ids depend on
    nsolvables: int  # ids are below this
    lock: Callable[[], contextlib.AbstractContextManager[None]]
    warn: Callable[[str], None]

    def path(self, kind: str) -> Path:
        return self.folder / f"ids-{self.digest[:32]}.{kind}"

    def read(self, kind: str) -> set[int] | None:
        """The stored set, or None when there is none or it does not check out."""
        try:
            data = self.path(kind).read_bytes()
        except OSError:
            return None
        runs = decode(data, self.nsolvables)
        if runs is None:
            return None
        ids: set[int] = set()
        for first, stop in runs:
            ids.update(range(first, stop))
        return ids

    def write(self, kind: str, ids: Iterable[int]) -> None:
        """Store ``ids`` (under the repository's lock: pruning removes stray temporary
        files only while holding it). A cache that cannot be written is only slower."""
        later(functools.partial(self._write, kind, frozenset(ids)))  # (the caller's may change)

    def _write(self, kind: str, ids: Iterable[int]) -> None:
        try:
            with self.lock():
                atomic_write_bytes(self.path(kind), encode(ids))
        except OSError as exc:
            self.warn(f"cannot write to the cache {self.folder}: {exc}")


def pool_digest(parts: Iterable[str]) -> str:
    """The name of a pool's sets: everything that decides its solvable ids and the sets."""
    text = "\n".join([MAGIC.decode().strip(), sys.byteorder, *parts])
    return hashlib.sha256(text.encode()).hexdigest()


def _runs(ids: Iterable[int]) -> Iterator[tuple[int, int]]:
    first = stop = -1
    for i in sorted(ids):
        if i != stop:
            if stop >= 0:
                yield first, stop
            first = i
        stop = i + 1
    if stop >= 0:
        yield first, stop


def encode(ids: Iterable[int]) -> bytes:
    flat = array("I", [n for run in _runs(ids) for n in run])
    return MAGIC + (len(flat) // 2).to_bytes(_COUNT, "little") + flat.tobytes()


def decode(data: bytes, limit: int) -> list[tuple[int, int]] | None:
    """The runs of ``data``; None unless it is whole (as many runs as announced) and every
    run is ordered and below ``limit``."""
    head = len(MAGIC) + _COUNT
    if not data.startswith(MAGIC) or len(data) < head:
        return None
    count = int.from_bytes(data[len(MAGIC):head], "little")
    flat = array("I")
    if len(data) - head != count * 2 * flat.itemsize:
        return None
    flat.frombytes(data[head:])
    runs = list(zip(flat[::2], flat[1::2], strict=True))
    previous = 0
    for first, stop in runs:
        if not previous <= first < stop <= limit:
            return None
        previous = stop
    return runs
