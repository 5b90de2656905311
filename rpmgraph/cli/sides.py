"""Where the gate's commands read packages from, and the question they ask: the library's
``Universe`` and ``Resolution`` made from the command's options, from rpmgraph.toml
(``check``), or from each side of a ``diff``."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import TYPE_CHECKING

import click

from rpmgraph.cli.base import Session

if TYPE_CHECKING:
    from rpmgraph.api import Resolution
    from rpmgraph.checks.config import Config


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
                               enablerepo=(), disablerepo=(), _universe=None)
