"""Work handed to a forked copy of this process, to use a second core.

Building a distribution's graph reads 70,000 packages through the solv bindings and
makes their records while it also works out what each package's dependencies draw:
Python work both, which threads would do one at a time (the GIL). A forked child
shares the loaded pool as it is, without copying or pickling it, does one of the two
and sends back plain values with ``marshal`` (C speed both ways, interned strings
stay interned). The child only reads what the parent has: objects it creates are its
own, and the parent's memory is shared until it is written, so the peak memory of
the run does not grow by a copy of the pool.

A child is a help, never a need: ``result()`` gives None when it could not finish,
and the caller then does the work itself.

The child runs without the cyclic garbage collector and leaves through ``os._exit``:
both for the parent's sake (its garbage, its temporary files, its buffered output are
the parent's to deal with), and both in the child alone: the calling process, a
library user's included, keeps its collector and its ordinary exit.
"""

from __future__ import annotations

import contextlib
import gc
import marshal
import os
import signal
import threading
from collections.abc import Callable
from types import TracebackType
from typing import Any


def can_fork() -> bool:
    """More than one usable CPU, ``RPMGRAPH_JOBS`` other than 1, and no other thread
    running (a fork copies only the calling thread: a lock another one holds would stay
    held in the child forever)."""
    if not hasattr(os, "fork") or os.environ.get("RPMGRAPH_JOBS", "").strip() == "1":
        return False
    return usable_cpus() > 1 and threading.active_count() == 1


def usable_cpus() -> int:
    """The CPUs this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


class Forked:
    """``work()`` run in a forked child from now on; ``result()`` waits for its value.

    Use it as a context manager: leaving the block, however it is left (an error, Ctrl-C,
    SIGTERM), kills and reaps the child if it is still there."""

    def __init__(self, work: Callable[[], Any]) -> None:
        """Fork now; an OSError (no process to spare: EAGAIN, ENOMEM) leaves nothing open."""
        read_end, write_end = os.pipe()
        try:
            self._pid: int | None = os.fork()
        except OSError:
            os.close(read_end)
            os.close(write_end)
            raise
        if self._pid == 0:
            os.close(read_end)
            _child(work, write_end)  # never returns
        os.close(write_end)
        self._read_end: int | None = read_end

    def result(self) -> Any | None:
        """The child's value once it has sent it, or None if it failed or died."""
        assert self._read_end is not None, "result() is read once"
        # The file object owns the descriptor from here on: a signal that lands inside
        # fdopen must not leave close() a descriptor that fdopen's cleanup closed already.
        read_end, self._read_end = self._read_end, None
        with os.fdopen(read_end, "rb") as pipe:
            data = pipe.read()  # until the child's end closes: it is done or gone
        if self._reap() != 0:
            return None
        try:
            return marshal.loads(data)
        except (EOFError, ValueError, TypeError):  # cut short
            return None

    def _reap(self) -> int | None:
        """Wait for the child; its exit status (a negative signal number if killed)."""
        if self._pid is None:
            return None
        _, status = os.waitpid(self._pid, 0)
        self._pid = None
        return os.waitstatus_to_exitcode(status)

    def close(self) -> None:
        if self._pid is not None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self._pid, signal.SIGKILL)
            self._reap()
        if self._read_end is not None:
            os.close(self._read_end)
            self._read_end = None

    def __enter__(self) -> Forked:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.close()


def _child(work: Callable[[], Any], write_end: int) -> None:
    """Do the work, write its value, and leave at once: no cleanup of the parent's state
    copied here (its unflushed output would be written twice, its temporary files
    removed), no exceptions printed (the parent reports what matters)."""
    status = 1
    try:
        for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGPIPE):
            signal.signal(signum, signal.SIG_DFL)  # stopped as a plain process is
        # Garbage the parent left for its collector is the parent's: finalizers run here
        # could close or remove what it still uses (a temporary file's, for one).
        gc.disable()
        data = marshal.dumps(work())
        with os.fdopen(write_end, "wb") as pipe:
            pipe.write(data)
        status = 0
    finally:
        os._exit(status)
