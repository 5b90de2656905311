"""Write man pages from the click commands: man/rpmgraph.1 and man/rpmgraph-COMMAND.1.

    python scripts/make_man.py [FOLDER]      (make man)

Each page has NAME, SYNOPSIS, DESCRIPTION, OPTIONS and EXAMPLES from the command's
help text, options and epilog, so the pages never drift from ``--help``.
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import click

from rpmgraph import __version__
from rpmgraph.cli import cli


def roff(text: str) -> str:
    """Escape text for roff: backslashes, and dots or quotes that start a line."""
    escaped = text.replace("\\", "\\e").replace("-", "\\-")
    return "\n".join("\\&" + line if line.startswith((".", "'")) else line
                     for line in escaped.splitlines())


def paragraphs(text: str) -> str:
    """Click help text (with \\b blocks kept as they are) as roff paragraphs."""
    out: list[str] = []
    for block in click.unstyle(text).strip().split("\n\n"):
        lines = block.splitlines()
        if lines and lines[0].strip() == "\b":
            out += [".PP", ".nf", *(roff(line.strip()) for line in lines[1:]), ".fi"]
        else:
            out += [".PP", roff(" ".join(line.strip() for line in lines))]
    return "\n".join(out)


def page(name: str, command: click.Command, ctx: click.Context) -> str:
    summary = command.get_short_help_str(limit=200)
    usage = " ".join(command.collect_usage_pieces(ctx))
    lines = [f'.TH "{name.upper()}" "1" "{date.today():%Y-%m-%d}" "rpmgraph {__version__}" '
             '"rpmgraph manual"',
             ".SH NAME", f"{roff(name)} \\- {roff(summary)}",
             ".SH SYNOPSIS", f".B {roff(ctx.command_path)}", roff(usage),
             ".SH DESCRIPTION", paragraphs(command.help or "")]
    options = [r for p in command.get_params(ctx) if (r := p.get_help_record(ctx)) and r[1]]
    if options:
        lines.append(".SH OPTIONS")
        for record in options:
            lines += [".TP", f"\\fB{roff(record[0])}\\fR", roff(record[1])]
    if isinstance(command, click.Group):
        lines.append(".SH COMMANDS")
        for sub in command.list_commands(ctx):
            child = command.get_command(ctx, sub)
            if child is not None and not child.hidden:
                lines += [".TP", f"\\fB{roff('rpmgraph-' + sub)}\\fR(1)",
                          roff(child.get_short_help_str(limit=200))]
    if command.epilog:
        lines += [".SH EXAMPLES", paragraphs(command.epilog.replace("Examples:\n", ""))]
    lines += [".SH SEE ALSO", "\\fBrpmgraph\\fR(1), \\fBdnf\\fR(8), \\fBrpm\\fR(8), \\fBdot\\fR(1)"]
    return "\n".join(lines) + "\n"


def write_pages(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    with click.Context(cli, info_name="rpmgraph") as ctx:
        top = folder / "rpmgraph.1"
        top.write_text(page("rpmgraph", cli, ctx))
        written.append(top)
        for name in cli.list_commands(ctx):
            command = cli.get_command(ctx, name)
            if command is None or command.hidden:
                continue
            with click.Context(command, info_name=name, parent=ctx) as sub:
                path = folder / f"rpmgraph-{name}.1"
                path.write_text(page(f"rpmgraph-{name}", command, sub))
                written.append(path)
    return written


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "man")
    for path in write_pages(target):
        print(path)
