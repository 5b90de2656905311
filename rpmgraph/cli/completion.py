"""Shell completion for bash, zsh and fish, through click's own mechanism.

``rpmgraph completion SHELL`` prints the script to source (the same text as
``_RPMGRAPH_COMPLETE=SHELL_source rpmgraph``). Package arguments (ROOT, TARGET)
complete to the names of the packages in the local ``--repo`` folders and ``--rpm``
files given on the command line so far; completion stays silent when anything fails.
"""

from __future__ import annotations

from pathlib import Path

import click
from click.shell_completion import CompletionItem, get_completion_class

from rpmgraph.cli.base import cli

SHELLS = ("bash", "zsh", "fish")
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


def package_items(ctx: click.Context, incomplete: str) -> list[CompletionItem]:
    """Package names starting with what has been typed, from the sources given so far
    (``options.complete_packages``, the package arguments' completion, calls it)."""
    try:
        repos = [str(r) for r in ctx.params.get("repos") or ()]
        rpms = [str(r) for r in ctx.params.get("rpms") or ()]
        names = package_names(repos, rpms)
    except Exception:  # completion must never print a traceback
        return []
    return [CompletionItem(n) for n in names if n.startswith(incomplete)][:_MAX_ITEMS]

