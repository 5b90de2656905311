"""The command line: parse options, run the pipeline, print, map errors to exit codes.

Each command lives in its own module and registers itself on the ``cli`` group, which
imports the module only when the command is asked for (``group.COMMAND_MODULES``).
Heavy modules (libsolv, rpm, networkx, pydot) are imported inside the commands so that
``--help`` and completion stay fast.
"""

import gc
import os
import sys
from typing import TYPE_CHECKING, Any, NoReturn

if TYPE_CHECKING:
    from rpmgraph.cli.group import cli


def main() -> None:
    # Ctrl-C while the command line's modules are still being imported (click, the
    # commands' table): the same quiet exit as later, not a traceback.
    try:
        from rpmgraph.cli.exits import EXIT_SIGINT
        from rpmgraph.cli.group import cli as group
    except KeyboardInterrupt:
        sys.stderr.write("rpmgraph: interrupted\n")
        os._exit(130)
    _run(group, EXIT_SIGINT)


def _run(group: Any, interrupted: int) -> None:
    from rpmgraph.cli.exits import terminate_on_sigterm
    from rpmgraph.sources.writebehind import write_later

    # One short run makes millions of objects (graph dicts, dependency records) and no
    # reference cycles to speak of: the cyclic collector would only traverse the growing
    # graphs again and again, for no memory back. Reference counting still frees
    # everything. (The command line's process only: the library leaves the collector on.)
    gc.disable()
    write_later()  # cache files are written by a child as the command exits (_leave)
    terminate_on_sigterm()
    try:
        group(prog_name="rpmgraph")
    except KeyboardInterrupt:  # between the handlers' set-up and click's own handling
        sys.stderr.write("rpmgraph: interrupted\n")
        _leave(interrupted)
    except SystemExit as done:
        if done.code not in (None, 0, 1):
            raise  # errors and interrupts leave the usual way
        _leave(done.code or 0, done=True)


def _leave(status: int, done: bool = False) -> NoReturn:
    """Exit with ``status`` once the output is flushed, without tearing the interpreter
    down: its final collection would free a big graph's millions of objects one by one,
    which the system does at once. A run that got here has written its files, joined its
    threads and waited for its processes."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # the reader went away (head)
            from rpmgraph.cli.exits import EXIT_PIPE

            status = status or EXIT_PIPE
    if done:  # (not after Ctrl-C)
        from rpmgraph.sources.writebehind import finish

        finish()
    os._exit(status)


def __getattr__(name: str) -> Any:
    """``cli``, the click group, imported when first asked for (see ``main``)."""
    if name != "cli":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from rpmgraph.cli.group import cli

    return cli


__all__ = ["cli", "main"]
