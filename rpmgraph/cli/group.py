"""The ``rpmgraph`` click group: its commands, imported when asked for; their --help in
sections; and every error of a run mapped to its one line and exit code."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

import click

from rpmgraph.cli.exits import (
    EXIT_PIPE,
    EXIT_SIGINT,
    EXIT_SIGTERM,
    Terminated,
    UserError,
    quiet_stdout,
)
from rpmgraph.cli.options import POLICY_NAMES, SOURCE_NAMES
from rpmgraph.errors import RpmgraphError


def show_version(ctx: click.Context, asked: bool) -> None:
    """--version, as click's version_option prints it; the version is looked up only now
    (importlib.metadata is slow to import, and runs that do not import networkx, itself
    a user of it, need not spend that)."""
    if asked and not ctx.resilient_parsing:
        import rpmgraph

        click.echo(f"rpmgraph, version {rpmgraph.__version__}")
        ctx.exit()


# Each command and the module that defines it. A module is imported when its command is
# asked for (or listed, by --help and completion), so that a run imports its own
# command's module and not the others'.
COMMAND_MODULES = {
    "graph": "rpmgraph.cli.graph",
    **dict.fromkeys(("tree", "why", "cycles"), "rpmgraph.cli.query"),
    **dict.fromkeys(("stats", "snapshot", "check", "diff"), "rpmgraph.cli.checks"),
    "cache": "rpmgraph.cli.cache",
    "groups": "rpmgraph.cli.groups",
    "modules": "rpmgraph.cli.modules",
    **dict.fromkeys(("builddep", "build-order", "rebuilds"), "rpmgraph.cli.build"),
    "completion": "rpmgraph.cli.completion",
}


class SectionedCommand(click.Command):
    """--help lists the command's own options first, then the options every command that
    reads packages shares (sources, then policy), each under a heading of its own."""

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        sections: dict[str, list[tuple[str, str]]] = {"Options": [], "Sources": [],
                                                      "Resolution": []}
        for param in self.get_params(ctx):
            record = param.get_help_record(ctx) if isinstance(param, click.Option) else None
            if record is not None:
                sections[_section_of(param.name)].append(record)
        for title, records in sections.items():
            if records:
                with formatter.section(title):
                    formatter.write_dl(records)


def _section_of(name: str | None) -> str:
    if name in SOURCE_NAMES:
        return "Sources"
    return "Resolution" if name in POLICY_NAMES else "Options"


class RpmgraphGroup(click.Group):
    """Turns core errors and usage errors into UserError, unless --debug asks for tracebacks;
    Ctrl-C and SIGTERM exit with 130 and 143, as shells report them. Commands are
    imported when needed (``COMMAND_MODULES``)."""

    command_class = SectionedCommand

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(super().list_commands(ctx)) | COMMAND_MODULES.keys())

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        module = COMMAND_MODULES.get(cmd_name)
        if module is not None and cmd_name not in self.commands:
            importlib.import_module(module)  # its decorators register it on ``cli``
        return super().get_command(ctx, cmd_name)

    def resolve_command(self, ctx: click.Context, args: list[str],
                        ) -> tuple[str | None, click.Command | None, list[str]]:
        """``rpmgraph FILE.rpm...`` with no command: rpm's own rpmgraph (cli/rpmorder.py)."""
        commands = self.list_commands(ctx)
        if args and args[0] not in commands and _is_package_file(args[0]):
            from rpmgraph.cli.rpmorder import rpm_order

            return rpm_order.name, rpm_order, args
        if args and args[0] not in commands and not args[0].startswith("-"):
            import difflib

            close = difflib.get_close_matches(args[0], commands, n=1, cutoff=0.5)
            hint = f"; did you mean {close[0]}?" if close else ""
            raise click.UsageError(f"No such command {args[0]!r}{hint}", ctx)
        return super().resolve_command(ctx, args)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except BrokenPipeError:
            quiet_stdout()  # (head, less quitting): stop at once, say nothing
            raise SystemExit(EXIT_PIPE) from None
        except KeyboardInterrupt as exc:
            click.echo("rpmgraph: interrupted", err=True)
            raise SystemExit(EXIT_SIGTERM if isinstance(exc, Terminated) else EXIT_SIGINT) from None
        except RpmgraphError as exc:
            if ctx.params.get("debug"):
                raise
            raise UserError(str(exc)) from exc
        except click.UsageError as exc:
            # "rpmgraph graph", "rpmgraph cache list", or "rpmgraph" for the group's own
            hint = f" (see '{exc.ctx.command_path} --help')" if exc.ctx else ""
            raise UserError(f"{exc.format_message()}{hint}") from exc


def _is_package_file(arg: str) -> bool:
    """An argument that names an .rpm file rather than a command."""
    return arg.lower().endswith(".rpm") or (not arg.startswith("-") and Path(arg).is_file())


@click.group(cls=RpmgraphGroup, subcommand_metavar="COMMAND [ARGS]... | FILE.rpm...",
             context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.option("--version", is_flag=True, expose_value=False, is_eager=True,
              callback=lambda ctx, _param, asked: show_version(ctx, asked),
              help="Show the version and exit.")
@click.option("--debug", is_flag=True, help="Show tracebacks instead of one-line errors.")
@click.option("-q", "--quiet", is_flag=True, help="No warnings and no progress bars on stderr.")
def cli(debug: bool, quiet: bool) -> None:
    """Draw and query RPM dependency graphs.

    Loads package metadata once (rpm-md repositories, .rpm files or the installed rpm
    database), resolves every dependency with libsolv, and writes the graph of each
    root package. 'rpmgraph COMMAND --help' shows each command's options and examples.

    'rpmgraph FILE.rpm...' (no command) does what rpm's own rpmgraph does: it prints the
    install-order graph of those packages as DOT, as /usr/bin/rpmgraph prints it.

    Exit status: 0 success, 1 a check (or diff --exit-code) found something, 2 bad usage
    or input, 141 the reader of the output went away (| head), 130/143 interrupted.
    """
