"""What the gate's commands (stats, snapshot, check, diff) share: their examples, -o and
--format, writing the result, and the library's universe and resolution made from the
command's options (for diff, from each side's)."""

from __future__ import annotations

import dataclasses
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from rpmgraph.cli.base import Session

if TYPE_CHECKING:
    from rpmgraph.api import Resolution, Universe
    from rpmgraph.checks.config import Config

F = TypeVar("F", bound=Callable[..., Any])
EXIT_VIOLATIONS = 1
_EXTENSIONS = {"json": "json", "md": "markdown", "markdown": "markdown", "txt": "text",
               "xml": "junit", "dot": "dot", "gv": "dot", "svg": "svg", "png": "png",
               "pdf": "pdf"}

STATS_EXAMPLES = """
\b
Examples:
  rpmgraph stats --repo sample_repos/essex openstack-nova
  rpmgraph stats --repo sample_repos/essex 'openstack-*' --top 5 --format markdown
  rpmgraph stats --repo sample_repos/folsom openstack-nova-compute --no-weak -f json
"""
SNAPSHOT_EXAMPLES = """
\b
Examples:
  rpmgraph snapshot --repo sample_repos/essex 'openstack-*' -o rpmgraph.lock.json
  rpmgraph snapshot --repo sample_repos/essex openstack-nova --no-weak -o nova.lock.json
"""
CHECK_EXAMPLES = """
\b
Examples:
  rpmgraph check                               # reads ./rpmgraph.toml
  rpmgraph check --config ci/rpmgraph.toml --format junit -o rpmgraph-junit.xml
  rpmgraph check --format markdown -o comment.md
  rpmgraph check --update-baseline             # after a deliberate change
\b
rpmgraph.toml:
  repos = ["sample_repos/essex"]
  baseline = "rpmgraph.lock.json"
  [[budget]]
  roots = "openstack-*"
  max-packages = 120
  max-installsize = "250 MiB"
  max-new-packages = 0
  forbid = ["xorg-x11-*", "gtk*"]
"""
DIFF_EXAMPLES = """
\b
Examples:
  rpmgraph diff --old-repo sample_repos/essex --new-repo sample_repos/folsom openstack-nova
  rpmgraph diff --old-baseline rpmgraph.lock.json --repo sample_repos/folsom 'openstack-*'
  rpmgraph diff --old-repo sample_repos/essex --new-repo sample_repos/folsom \\
      openstack-nova -o nova-diff.svg
  rpmgraph diff --old-repo old/ --repo new/ openstack-nova --format markdown
"""


def report_options(choices: Sequence[str]) -> Callable[[F], F]:
    """-o FILE and --format for reports; the format follows -o's extension when not given."""

    def decorate(func: F) -> F:
        func = click.option("-f", "--format", "fmt", type=click.Choice(list(choices)),
                            help=f"Report format (default: from -o's extension, else "
                            f"{choices[0]}).")(func)
        return click.option("-o", "--output", default="-", metavar="FILE",
                            help="Write to FILE ('-' for stdout, the default).")(func)

    return decorate


def report_format(output: str, fmt: str | None, choices: Sequence[str]) -> str:
    if fmt is not None:
        return fmt
    found = _EXTENSIONS.get(Path(output).suffix.lstrip(".").lower()) if output != "-" else None
    return found if found is not None and found in choices else choices[0]


def refuse_terminal(output: str, fmt: str) -> None:
    """Pictures that are not text (png, pdf) never go to a terminal."""
    from rpmgraph.render import FORMATS

    picture = FORMATS.get(fmt)
    if picture is not None and picture.binary and output == "-" and sys.stdout.isatty():
        raise click.UsageError(f"will not write {fmt} to a terminal; use -o FILE")


def emit(output: str, data: str | bytes) -> None:
    from rpmgraph.safefiles import write_output

    write_output(output, data.encode() if isinstance(data, str) else data)


def universe_of(session: Session) -> Universe:
    """The session's sources, every one it was given (--repo, --repofile, --reposdir,
    --system-repos, --rpm, --installed), loaded once. (Read ``resolution_of`` first:
    bad options are then reported before the slow load.)"""
    from rpmgraph.api import Universe
    from rpmgraph.cli.base import warn

    return Universe(session.load(), warn)


def resolution_of(session: Session) -> Resolution:
    """--policy (its default follows the sources), --kinds, --no-weak, --best,
    --all-versions and --with-optional, as the library takes them."""
    from rpmgraph.api import Resolution
    from rpmgraph.resolve import Policy

    options = session.options()
    kinds = None if options.kinds is None else tuple(sorted(k.value for k in options.kinds))
    return Resolution(policy="all" if options.policy is Policy.ALL else "install",
                      kinds=kinds, weak=options.weak, best=options.best,
                      all_versions=options.all_versions, with_optional=session.with_optional)


def config_session(config: Config) -> Session:
    """rpmgraph.toml's sources and resolution, read as the command line's are (progress
    on a terminal, warnings on stderr, roots @NAME:STREAM enabling their streams)."""
    return Session(repos=config.repos, rpms=config.rpms, installed=config.installed,
                   root=None, dbpath=None, arch=config.arch, policy=config.policy,
                   kinds=config.kinds, no_weak=not config.weak, root_specs=config.root_specs)


def diff_sides(session: Session, old_repos: tuple[Path, ...], new_repos: tuple[Path, ...],
               old_baseline: Path | None) -> tuple[Session, Session | Path]:
    """The new side's session and the old side (a session, or the lock file), each named
    once: --new-repo, or every source the command was given; --old-repo or
    --old-baseline."""
    if bool(old_repos) == (old_baseline is not None):
        raise click.UsageError("name the old side with either --old-repo or --old-baseline")
    given = session.installed or not session.only_installed
    if new_repos and given:
        raise click.UsageError("--new-repo cannot be combined with --repo, --rpm, "
                               "--installed, --repofile, --reposdir or --system-repos")
    if not new_repos and not given:
        raise click.UsageError("name the new side with --new-repo, --repo, --rpm or "
                               "--installed")
    new = _only_repos(session, new_repos) if new_repos else session
    return new, old_baseline if old_baseline is not None else _only_repos(session, old_repos)


def _only_repos(session: Session, repos: tuple[Path, ...]) -> Session:
    """Those repositories alone (no .repo files, no installed packages), read with the
    session's other options."""
    return dataclasses.replace(session, repos=repos, rpms=(), installed=False, root=None,
                               dbpath=None, repofiles=(), reposdirs=(), system_repos=False,
                               enablerepo=(), disablerepo=(), _loaded=None)
