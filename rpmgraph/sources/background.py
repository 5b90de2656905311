"""Cache writes in a forked process, so that a cold run goes on while libsolv writes.

Writing a 70,000-package ``primary.solv`` and ``filelists.solv`` takes libsolv a
quarter of a second, with the GIL held, and nothing of it is needed by the run that
writes them. Loading ``defer``s each write; once the pool is complete, ``start`` forks
one child that has the pool as it was then (copy-on-write: the parent's later changes
are not the child's) and makes every deferred write from that copy while the run
resolves and renders. Forking once, late, keeps the pages the parent copies after the
fork (as it goes on changing the pool) few. Writes deferred after that are made by
``wait``, which the command line calls before it exits, so that what a run caches is
in place when it returns, as before.

Every write takes the repository's lock itself: a lock held by the parent at the fork
stays the parent's, and the child waits for it like any other process would.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable

Task = Callable[[], object]
_deferred: list[Task] = []
_children: list[int] = []


def defer(task: Task, background: bool) -> None:
    """Run ``task`` in the background (at the next ``start``, else at ``wait``), or now."""
    if background:
        _deferred.append(task)
    else:
        task()


def start() -> None:
    """Fork a child that runs the deferred tasks, in order."""
    tasks = _take()
    if not tasks:
        return
    pid = os.fork()
    if pid == 0:
        _child(tasks)
    _children.append(pid)


def _child(tasks: list[Task]) -> None:
    """The forked process: run, and leave without running anything of the parent's
    (atexit handlers, buffered output, finally blocks further up). Ctrl-C and SIGTERM
    reach it too and raise, as in the parent: the writer's clean-up removes its
    temporary file, and the parent goes on without that cache file."""
    code = 1
    try:
        _run(tasks)
        code = 0
    except BaseException:
        code = 1
    finally:
        os._exit(code)


def wait(finish: bool = True) -> None:
    """Wait for the children, then run what was deferred since (the lock is free by then),
    unless not ``finish``ing (interrupted: the deferred writes are dropped)."""
    while _children:
        pid = _children.pop()
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, 0)
    tasks = _take()
    if finish:
        _run(tasks)


def _take() -> list[Task]:
    tasks = list(_deferred)
    _deferred.clear()
    return tasks


def _run(tasks: list[Task]) -> None:
    for task in tasks:
        task()
