"""The bloat gate: ``stats``, ``snapshot``, ``check`` and ``diff``.

Each command parses, asks the library (``Universe.measure``, ``.snapshot``, ``.check``,
``.diff``) and writes what it returns; measuring, budgets, baselines, diffs and their
reports live in ``checks/``, what the commands share in ``cli/reports.py`` and ``cli/sides.py``.
"""

from __future__ import annotations

from pathlib import Path

import click

from rpmgraph.checks import formats
from rpmgraph.cli.base import Session, cli, complete_packages, session_options
from rpmgraph.cli.reports import (
    CHECK_EXAMPLES,
    DIFF_EXAMPLES,
    EXIT_VIOLATIONS,
    SNAPSHOT_EXAMPLES,
    STATS_EXAMPLES,
    emit,
    refuse_terminal,
    report_format,
    report_options,
)
from rpmgraph.cli.sides import config_session, diff_sides, resolution_of


@cli.command(epilog=STATS_EXAMPLES)
@click.argument("roots", nargs=-1, required=True, shell_complete=complete_packages)
@session_options()
@click.option("--top", type=click.IntRange(min=0), default=10, show_default=True,
              help="How many dependencies to rank by exclusive size.")
@report_options(formats.STATS)
def stats(roots: tuple[str, ...], session: Session, top: int, output: str,
          fmt: str | None) -> None:
    """Closure sizes of ROOT packages, and what each dependency costs.

    For each root, resolved on its own: how many packages it pulls in, their installed
    and download size, direct dependencies, depth, unresolved dependencies, and the
    dependencies ranked by exclusive size: what would go away if that one dependency
    were dropped (the packages reachable only through it).
    """
    from rpmgraph.checks.report_stats import REPORTS

    chosen = report_format(output, fmt, formats.STATS)
    resolution = resolution_of(session)
    measured = session.universe().measure(roots, resolution, top=top)
    emit(output, REPORTS[chosen]([m.stats for m in measured]))


@cli.command(epilog=SNAPSHOT_EXAMPLES)
@click.argument("roots", nargs=-1, required=True, shell_complete=complete_packages)
@session_options()
@click.option("-o", "--output", default="-", metavar="FILE",
              help="Write to FILE ('-' for stdout, the default).")
def snapshot(roots: tuple[str, ...], session: Session, output: str) -> None:
    """Write the closures of ROOT packages to a lock file (a baseline).

    One entry per root with its totals and every package of its closure (NEVRA, sizes,
    the package that pulls it in), one package a line and sorted, so that a change
    reads well in a code review diff. 'rpmgraph check' and 'rpmgraph diff
    --old-baseline' read it.
    """
    resolution = resolution_of(session)
    session.universe().snapshot(roots, resolution).write(output)


@cli.command(epilog=CHECK_EXAMPLES)
@click.option("--config", "config_path", type=click.Path(path_type=Path), metavar="FILE",
              help="Config file (default: rpmgraph.toml, or [tool.rpmgraph] in "
              "pyproject.toml, in the current folder).")
@click.option("--update-baseline", is_flag=True,
              help="Rewrite the baseline from the current sources before checking.")
@report_options(formats.CHECK)
def check(config_path: Path | None, update_baseline: bool, output: str,
          fmt: str | None) -> None:
    """Check the budgets of rpmgraph.toml; exit 1 when one is exceeded.

    Limits per root: max-packages, max-installsize, max-downloadsize, and against the
    baseline max-new-packages and max-installsize-increase; forbid lists name globs no
    closure may contain. Each violation names the root, the limit and by how much,
    and shows the chain that pulls in every new or forbidden package (--format
    markdown: also as a Mermaid graph, for a pull request comment). Exit codes: 0
    all budgets hold, 1 some are exceeded, 2 bad config or input.
    """
    from rpmgraph.checks.config import find_config, load_config

    chosen = report_format(output, fmt, formats.CHECK)
    config = load_config(find_config(config_path, Path.cwd()))
    session = config_session(config)
    resolution = resolution_of(session)
    report = session.universe().check(config, resolution, update_baseline=update_baseline)
    emit(output, report.render(chosen))
    if not report.ok:
        raise click.exceptions.Exit(EXIT_VIOLATIONS)


@cli.command(epilog=DIFF_EXAMPLES)
@click.argument("roots", nargs=-1, required=True, shell_complete=complete_packages)
@session_options()
@click.option("--old-repo", "old_repos", multiple=True, type=click.Path(path_type=Path),
              help="Repository of the old side. Repeatable.")
@click.option("--new-repo", "new_repos", multiple=True, type=click.Path(path_type=Path),
              help="Repository of the new side (default: --repo/--rpm/--installed). "
              "Repeatable.")
@click.option("--old-baseline", type=click.Path(path_type=Path), metavar="FILE",
              help="Lock file (rpmgraph snapshot) as the old side.")
@click.option("--exit-code", is_flag=True,
              help="Exit 1 when packages were added, removed or changed, 0 when the "
              "closures are the same (like 'git diff --exit-code').")
@report_options(formats.DIFF)
def diff(roots: tuple[str, ...], session: Session, old_repos: tuple[Path, ...],
         new_repos: tuple[Path, ...], old_baseline: Path | None, exit_code: bool,
         output: str, fmt: str | None) -> None:
    """Compare the closures of ROOT packages between two sources.

    The old side is --old-repo or a lock file (--old-baseline); the new side is
    --new-repo, or the usual --repo/--rpm/--installed. Lists packages added (with the
    chain that pulls each in), removed and changed in version, and the size delta.
    --format markdown adds a Mermaid graph of the added packages and their chains.
    With --format dot/svg/png/pdf (or -o diff.svg) draws the union graph: added
    packages green, removed red, changed versions yellow. Exit codes: 0 (with
    --exit-code: 0 no differences, 1 differences), 2 bad usage or input.
    """
    chosen = report_format(output, fmt, formats.DIFF)
    refuse_terminal(output, chosen)
    new_side, old_side = diff_sides(session, old_repos, new_repos, old_baseline)
    resolution = resolution_of(new_side)  # one question asked of both sides
    new = new_side.universe()
    old = old_side if isinstance(old_side, Path) else old_side.universe()
    report = new.diff(roots, old, resolution)
    emit(output, report.render(chosen))
    if exit_code and report.differs:
        raise click.exceptions.Exit(EXIT_VIOLATIONS)
