"""What the command line tells on stderr: warnings, cut to one line, silenced by -q."""

from __future__ import annotations

import click

_MESSAGE_LIMIT = 500  # characters of one warning or error line


def one_line(text: str) -> str:
    """Messages quote metadata and library errors: keep them to one line, no raw controls,
    and cut past ``_MESSAGE_LIMIT`` characters with a count of what was left out."""
    printable = "".join(ch if ch.isprintable() else " " for ch in text)
    line = " ".join(printable.split())
    if len(line) <= _MESSAGE_LIMIT:
        return line
    return f"{line[:_MESSAGE_LIMIT]}... ({len(line) - _MESSAGE_LIMIT} more characters)"


def is_quiet() -> bool:
    """-q was given: no warnings and no progress."""
    ctx = click.get_current_context(silent=True)
    return ctx is not None and bool(ctx.find_root().params.get("quiet"))


def warn(message: str) -> None:
    if not is_quiet():
        click.echo(f"rpmgraph: warning: {one_line(message)}", err=True)
