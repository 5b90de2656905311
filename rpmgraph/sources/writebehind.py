"""Cache writes that need not delay the answer: done by a forked child as the command exits.

A cold run parses the XML and must also leave the ``.solv`` files and the id sets for
the runs after it; nothing in the current run needs them (benchmarks/README.md has
what writing them costs). The command line (only it: a library user's
process ends when it likes) calls ``write_later`` when it starts, and ``finish`` once
its output is written and flushed: the writes queued meanwhile run in a forked child,
which the command does not wait for. The child is a copy of the process as it was at
that moment (the pool included), so it writes what this run loaded.

Nothing is half-written or lost for a later run to trust: each write goes to a
temporary name and is renamed, under the repository's lock (the child takes it as the
writes always have), so a run started meanwhile either waits for the lock and finds
the files, or parses the XML itself. The child keeps stderr (its warnings reach the
user, and a caller that reads stderr to its end waits for it) but not stdout, so a
pipe reading the command's output ends when the command does.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable


class _Queue:
    writes: list[Callable[[], object]] | None = None  # None: writes are done at once


_queue = _Queue()


def write_later() -> None:
    """From now on, ``later`` queues writes until ``finish``."""
    _queue.writes = []


def later(write: Callable[[], object]) -> None:
    """Run ``write`` now, or queue it when the command line asked for ``write_later``."""
    if _queue.writes is None:
        write()
    else:
        _queue.writes.append(write)


def finish() -> None:
    """Run the queued writes in a forked child that outlives this process, or here when
    it cannot fork (no fork, another thread running: see forked.can_fork)."""
    writes, _queue.writes = _queue.writes or [], None
    if not writes:
        return
    pid = _fork() if hasattr(os, "fork") and threading.active_count() == 1 else None
    if pid is None:
        _run(writes)
    elif pid == 0:
        _child(writes)


def _fork() -> int | None:
    try:
        return os.fork()
    except OSError:  # no process to spare: write here
        return None


def _child(writes: list[Callable[[], object]]) -> None:
    """Write, then leave without the interpreter's teardown (and without the parent's
    exit handlers, flushed buffers or temporary files, which are the parent's)."""
    status = 1
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        os.close(devnull)
        _run(writes)
        status = 0
    except BaseException:  # a signal, a failed write: the cache is only slower
        pass
    finally:
        os._exit(status)


def _run(writes: list[Callable[[], object]]) -> None:
    for write in writes:
        write()
