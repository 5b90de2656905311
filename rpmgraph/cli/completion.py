"""Shell completion for bash, zsh and fish, through click's own mechanism.

``rpmgraph completion SHELL`` prints the script to source (the same text as
``_RPMGRAPH_COMPLETE=SHELL_source rpmgraph``). Package arguments (ROOT, TARGET)
complete to the names of the packages in the local ``--repo`` folders and ``--rpm``
files given on the command line so far; completion stays silent when anything fails.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click
from click.shell_completion import CompletionItem, get_completion_class

from rpmgraph.cli import gate as _gate  # noqa: F401  (the commands whose arguments
from rpmgraph.cli import graph as _graph  # noqa: F401  complete to package names are
from rpmgraph.cli import query as _query  # noqa: F401  registered before install() runs)
from rpmgraph.cli.base import cli

SHELLS = ("bash", "zsh", "fish")
PACKAGE_ARGUMENTS = ("roots", "package", "target")
_MAX_ITEMS = 500

COMPLETION_EXAMPLES = """
\b
Examples:
  eval "$(rpmgraph completion bash)"                       # in ~/.bashrc
  eval "$(rpmgraph completion zsh)"                        # in ~/.zshrc
  rpmgraph completion fish > ~/.config/fish/completions/rpmgraph.fish
"""


@cli.command(epilog=COMPLETION_EXAMPLES)
@click.argument("shell", type=click.Choice(SHELLS))
def completion(shell: str) -> None:
    """Print the shell completion script for bash, zsh or fish.

    Commands, options and file names complete, and package arguments complete to the
    packages of the --repo folders and --rpm files already on the command line.
    """
    ctx = click.get_current_context()
    root = ctx.find_root()
    completer = get_completion_class(shell)
    assert completer is not None  # SHELLS are click's own
    script = completer(root.command, {}, "rpmgraph", "_RPMGRAPH_COMPLETE").source()
    click.echo(script, nl=not script.endswith("\n"))


def package_names(repos: list[str], rpms: list[str]) -> list[str]:
    """Names of the packages in local repositories and .rpm files; [] on any failure."""
    from rpmgraph.pool import Source, SourceKind, build_pool

    paths = [r if Path(r).is_dir() else r.partition("=")[2] for r in repos]  # [NAME=]PATH
    local = [Path(r) for r in paths if r and "://" not in r and Path(r).is_dir()]
    files = [Path(r) for r in rpms if Path(r).exists()]
    if not local and not files:
        return []
    sources = [Source(SourceKind.REPO, p) for p in local]
    sources += [Source(SourceKind.RPM, p) for p in files]
    loaded = build_pool(sources, None, None, None, lambda _message: None)
    return sorted({s.name for s in loaded.solvables()})


def complete_packages(ctx: click.Context, param: click.Parameter,
                      incomplete: str) -> list[CompletionItem]:
    """Package names starting with what has been typed, from the sources given so far."""
    try:
        repos = [str(r) for r in ctx.params.get("repos") or ()]
        rpms = [str(r) for r in ctx.params.get("rpms") or ()]
        names = package_names(repos, rpms)
    except Exception:  # completion must never print a traceback
        return []
    return [CompletionItem(n) for n in names if n.startswith(incomplete)][:_MAX_ITEMS]


def install(group: click.Group) -> None:
    """Give every package argument of every command package-name completion."""
    for command in group.commands.values():
        for param in command.params:
            if isinstance(param, click.Argument) and param.name in PACKAGE_ARGUMENTS:
                custom: Any = complete_packages
                param._custom_shell_complete = custom  # click's hook for it


install(cli)
