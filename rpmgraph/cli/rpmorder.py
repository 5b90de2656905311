"""``rpmgraph FILE.rpm...`` with no command: what rpm's own ``rpmgraph`` prints.

rpm ships a program of the same name (``/usr/bin/rpmgraph``, in Debian's ``rpm`` and
Fedora's ``rpm-devel``): given ``.rpm`` files, it writes their install-order graph as
DOT, each package pointing to the package rpm orders it after. Whichever comes first on
PATH wins, so this one does the same, byte for byte, through rpm's own ordering.
"""

from __future__ import annotations

from pathlib import Path

import click

ORDER_HELP = """What rpm's own rpmgraph prints for FILE.rpm...: their install order as DOT.

Invoked as 'rpmgraph FILE.rpm...' (no command): rpm orders the packages as 'rpm -i'
would, and each package points to the package it is installed after; the DOT text is
the same as /usr/bin/rpmgraph's (rpm's tool of the same name).
"""


@click.command("rpm-order", help=ORDER_HELP, hidden=True,
               context_settings={"ignore_unknown_options": False})
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
def rpm_order(files: tuple[Path, ...]) -> None:
    from rpmgraph.sources.installorder import install_order

    click.echo(order_dot([(o.name, o.parent) for o in install_order(list(files))]), nl=False)


def order_dot(order: list[tuple[str, str | None]]) -> str:
    """rpm's rpmgraph's DOT text: a node with ``rank=max`` for a package with no parent,
    an edge to its parent otherwise, in install order."""
    lines = ["digraph XXX {", "  rankdir=LR", "//===== Packages:"]
    for name, parent in order:
        if parent is not None:
            lines.append(f"  {_quoted(name)} -> {_quoted(parent)}")
        else:
            lines += [f"  {_quoted(name)}", f"  {{ rank=max ; {_quoted(name)} }}"]
    return "\n".join([*lines, "}"]) + "\n"


def _quoted(name: str) -> str:
    """rpm writes names as they are; a quote or backslash (no sane package has one) is
    escaped here so that the DOT stays valid."""
    return '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'
