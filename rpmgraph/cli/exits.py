"""Exit codes, and the ways a run ends early: a user error, a signal, a reader gone."""

from __future__ import annotations

import os
import signal
import sys
from typing import Any

import click

from rpmgraph.cli.messages import one_line

EXIT_USAGE = 2
EXIT_SIGINT = 128 + signal.SIGINT
EXIT_SIGTERM = 128 + signal.SIGTERM
EXIT_PIPE = 128 + signal.SIGPIPE  # the reader went away: what a shell reports for SIGPIPE


class UserError(click.ClickException):
    """Bad usage or bad input: one line on stderr, exit code 2."""

    exit_code = EXIT_USAGE

    def show(self, file: Any = None) -> None:
        click.echo(f"rpmgraph: error: {one_line(self.format_message())}", err=True)


class Terminated(KeyboardInterrupt):
    """SIGTERM or SIGHUP, raised in the main thread so that it unwinds (and cleans up:
    temporary files removed, Graphviz processes stopped) like Ctrl-C."""


def _raise_terminated(signum: int, frame: object) -> None:
    raise Terminated


def terminate_on_sigterm() -> None:
    """SIGTERM, and SIGHUP (a closed terminal or SSH session) unless it is ignored as
    nohup sets it, stop the run as Ctrl-C does, with exit code 143."""
    signal.signal(signal.SIGTERM, _raise_terminated)
    if hasattr(signal, "SIGHUP") and signal.getsignal(signal.SIGHUP) is not signal.SIG_IGN:
        signal.signal(signal.SIGHUP, _raise_terminated)


def quiet_stdout() -> None:
    """Point stdout at /dev/null, so that what is still buffered for a reader that went
    away cannot fail again as the process ends."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # no real stdout (a test's captured one)
        pass
    finally:
        os.close(devnull)
