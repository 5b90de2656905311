"""The bloat gate: ``stats``, ``snapshot``, ``check`` and ``diff``.

The commands only gather inputs and write results; measuring lives in
``analysis/sizes.py``, budgets, baselines, diffs and their reports in ``checks/``.
"""

from __future__ import annotations

import dataclasses
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from rpmgraph.cli.base import Session, cli, complete_packages, session_options

if TYPE_CHECKING:
    from rpmgraph.checks.budgets import Outcome
    from rpmgraph.checks.config import Config
    from rpmgraph.checks.diff import Diff
    from rpmgraph.checks.measure import Measured
    from rpmgraph.checks.snapshot import Closure
    from rpmgraph.depgraph import DepGraph

F = TypeVar("F", bound=Callable[..., Any])
EXIT_VIOLATIONS = 1
_PICTURES = ("dot", "svg", "png", "pdf")
_EXTENSIONS = {"json": "json", "md": "markdown", "markdown": "markdown", "txt": "text",
               "xml": "junit", "dot": "dot", "gv": "dot", "svg": "svg", "png": "png",
               "pdf": "pdf"}


def report_options(choices: tuple[str, ...]) -> Callable[[F], F]:
    """-o FILE and --format for reports; the format follows -o's extension when not given."""

    def decorate(func: F) -> F:
        func = click.option("-f", "--format", "fmt", type=click.Choice(choices),
                            help=f"Report format (default: from -o's extension, else "
                            f"{choices[0]}).")(func)
        return click.option("-o", "--output", default="-", metavar="FILE",
                            help="Write to FILE ('-' for stdout, the default).")(func)

    return decorate


def report_format(output: str, fmt: str | None, choices: tuple[str, ...]) -> str:
    if fmt is not None:
        return fmt
    found = _EXTENSIONS.get(Path(output).suffix.lstrip(".").lower()) if output != "-" else None
    return found if found in choices else choices[0]


def emit(output: str, data: str | bytes) -> None:
    from rpmgraph.safefiles import write_output

    raw = data.encode() if isinstance(data, str) else data
    write_output(output, raw)


# ---------------------------------------------------------------- stats

STATS_EXAMPLES = """
\b
Examples:
  rpmgraph stats --repo sample_repos/essex openstack-nova
  rpmgraph stats --repo sample_repos/essex 'openstack-*' --top 5 --format markdown
  rpmgraph stats --repo sample_repos/folsom openstack-nova-compute --no-weak -f json
"""
_STATS_FORMATS = ("text", "json", "markdown")


@cli.command(epilog=STATS_EXAMPLES)
@click.argument("roots", nargs=-1, required=True, shell_complete=complete_packages)
@session_options()
@click.option("--top", type=click.IntRange(min=0), default=10, show_default=True,
              help="How many dependencies to rank by exclusive size.")
@report_options(_STATS_FORMATS)
def stats(roots: tuple[str, ...], session: Session, top: int, output: str,
          fmt: str | None) -> None:
    """Closure sizes of ROOT packages, and what each dependency costs.

    For each root, resolved on its own: how many packages it pulls in, their installed
    and download size, direct dependencies, depth, unresolved dependencies, and the
    dependencies ranked by exclusive size: what would go away if that one dependency
    were dropped (the packages reachable only through it).
    """
    from rpmgraph.checks import report_stats

    chosen = report_format(output, fmt, _STATS_FORMATS)
    found = [m.stats for m in _measure_each(session, list(roots), top)]
    render = {"text": report_stats.stats_text, "json": report_stats.stats_json,
              "markdown": report_stats.stats_markdown}[chosen]
    emit(output, render(found))


def _measure_each(session: Session, specs: list[str], top: int | None = 0) -> list[Measured]:
    """Each root resolved on its own, as ``graph -O`` does, and measured."""
    from rpmgraph.checks.measure import measure
    from rpmgraph.checks.snapshot import root_keys

    resolver = session.resolver()
    roots = session.roots(specs)
    keys = root_keys([(r.key, r.label) for r in roots])
    return [measure(resolver.graph([r]), r.key, keys[r.key], top) for r in roots]


# ---------------------------------------------------------------- snapshot

SNAPSHOT_EXAMPLES = """
\b
Examples:
  rpmgraph snapshot --repo sample_repos/essex 'openstack-*' -o rpmgraph.lock.json
  rpmgraph snapshot --repo sample_repos/essex openstack-nova --no-weak -o nova.lock.json
"""


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
    measured = _measure_each(session, list(roots))
    emit(output, _lock_text(session.options().policy.value, _session_sources(session),
                            measured))


def _session_sources(session: Session) -> list[str]:
    """The sources as the user wrote them, so a lock file does not depend on the machine."""
    sources = [f"repo:{p}" for p in session.repos] + [f"rpm:{p}" for p in session.rpms]
    return sources + (["installed"] if session.installed or session.only_installed else [])


def _lock_text(policy: str, sources: list[str], measured: list[Measured]) -> str:
    from rpmgraph.checks.snapshot import lock_document

    return lock_document(policy, sources, {m.key: (m.closure, m.stats) for m in measured})


# ---------------------------------------------------------------- check

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
_CHECK_FORMATS = ("text", "json", "markdown", "junit")


@cli.command(epilog=CHECK_EXAMPLES)
@click.option("--config", "config_path", type=click.Path(path_type=Path), metavar="FILE",
              help="Config file (default: rpmgraph.toml, or [tool.rpmgraph] in "
              "pyproject.toml, in the current folder).")
@click.option("--update-baseline", is_flag=True,
              help="Rewrite the baseline from the current sources before checking.")
@report_options(_CHECK_FORMATS)
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

    chosen = report_format(output, fmt, _CHECK_FORMATS)
    config = load_config(find_config(config_path, Path.cwd()))
    session = _config_session(config)
    budget_roots = _budget_roots(session, config)
    specs = list(dict.fromkeys(s for b in config.budgets for s in b.roots))
    measured = {m.asked: m for m in _measure_each(session, specs)}
    if update_baseline:
        _update_baseline(config, list(measured.values()))
    outcomes = _outcomes(config, budget_roots, measured)
    emit(output, _render_check(chosen, outcomes))
    if any(not o.ok for o in outcomes):
        raise click.exceptions.Exit(EXIT_VIOLATIONS)


def _config_session(config: Config) -> Session:
    return Session(repos=config.repos, rpms=config.rpms, installed=config.installed,
                   root=None, dbpath=None, arch=config.arch, policy=config.policy,
                   kinds=config.kinds, no_weak=not config.weak,
                   root_specs=tuple(s for b in config.budgets for s in b.roots))


def _budget_roots(session: Session, config: Config) -> list[list[str]]:
    """For each budget, the NEVRAs of the roots its globs match."""
    return [[r.key for r in session.roots(list(b.roots))] for b in config.budgets]


def _outcomes(config: Config, budget_roots: list[list[str]],
              measured: dict[str, Measured]) -> list[Outcome]:
    from rpmgraph.checks.budgets import evaluate
    from rpmgraph.checks.config import BASELINE_LIMITS
    from rpmgraph.checks.snapshot import read_baseline

    needs = any(k in b.limits for b in config.budgets for k in BASELINE_LIMITS)
    baseline = read_baseline(config.baseline) if needs and config.baseline else None
    return [outcome
            for budget, roots in zip(config.budgets, budget_roots, strict=True)
            for root in roots
            for outcome in evaluate(budget, measured[root], baseline)]


def _update_baseline(config: Config, measured: list[Measured]) -> None:
    from rpmgraph.checks.config import ConfigError

    if config.baseline is None:
        raise ConfigError(f"{config.path}: --update-baseline needs a baseline = \"FILE\" key")
    policy = config.policy or "install"
    emit(str(config.baseline), _lock_text(policy, list(config.sources), measured))


def _render_check(fmt: str, outcomes: list[Outcome]) -> str:
    from rpmgraph.checks import report_check

    return {"text": report_check.check_text, "json": report_check.check_json,
            "markdown": report_check.check_markdown, "junit": report_check.check_junit,
            }[fmt](outcomes)


# ---------------------------------------------------------------- diff

DIFF_EXAMPLES = """
\b
Examples:
  rpmgraph diff --old-repo sample_repos/essex --new-repo sample_repos/folsom openstack-nova
  rpmgraph diff --old-baseline rpmgraph.lock.json --repo sample_repos/folsom 'openstack-*'
  rpmgraph diff --old-repo sample_repos/essex --new-repo sample_repos/folsom \\
      openstack-nova -o nova-diff.svg
  rpmgraph diff --old-repo old/ --repo new/ openstack-nova --format markdown
"""
_DIFF_FORMATS = ("text", "json", "markdown", *_PICTURES)


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
@report_options(_DIFF_FORMATS)
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
    chosen = report_format(output, fmt, _DIFF_FORMATS)
    new_session = _diff_sides(session, old_repos, new_repos, old_baseline)
    new_graph = _merged_graph(new_session, list(roots))
    if old_baseline is not None:
        old_graph, old_closure = None, _baseline_side(old_baseline, new_graph)
    else:
        old_graph = _merged_graph(_only_repos(session, old_repos), list(roots))
        old_closure = _closure(old_graph)
    result = _diff(old_closure, old_graph, new_graph)
    if chosen in _PICTURES:
        _write_picture(output, chosen, result, new_graph, old_graph, old_closure)
    else:
        emit(output, _render_diff(chosen, result))
    if exit_code and (result.added or result.removed or result.changed):
        raise click.exceptions.Exit(EXIT_VIOLATIONS)


def _diff_sides(session: Session, old_repos: tuple[Path, ...], new_repos: tuple[Path, ...],
                old_baseline: Path | None) -> Session:
    """Check that the two sides are named once each; return the new side's session."""
    if bool(old_repos) == (old_baseline is not None):
        raise click.UsageError("name the old side with either --old-repo or --old-baseline")
    given = session.repos or session.rpms or session.installed
    if new_repos and given:
        raise click.UsageError("--new-repo cannot be combined with --repo, --rpm or "
                               "--installed")
    if not new_repos and not given:
        raise click.UsageError("name the new side with --new-repo, --repo, --rpm or "
                               "--installed")
    return _only_repos(session, new_repos) if new_repos else session


def _only_repos(session: Session, repos: tuple[Path, ...]) -> Session:
    """The same question asked of other sources: policy and kinds kept, nothing loaded."""
    return dataclasses.replace(session, repos=repos, rpms=(), installed=False, root=None,
                               dbpath=None, _loaded=None)


def _merged_graph(session: Session, specs: list[str]) -> DepGraph:
    from rpmgraph.checks.diff import merge_graphs

    resolver = session.resolver()
    return merge_graphs([resolver.graph([r]) for r in session.roots(specs)])


def _closure(graph: DepGraph) -> Closure:
    from rpmgraph.analysis.paths import forward_view
    from rpmgraph.analysis.sizes import parents
    from rpmgraph.checks.snapshot import closure_from

    return closure_from(graph, parents(forward_view(graph), graph.graph["roots"]))


def _baseline_side(path: Path, new_graph: DepGraph) -> Closure:
    """The baseline closures of the roots the new side found, merged into one."""
    from rpmgraph.checks.snapshot import BaselineError, Closure, read_baseline, root_keys

    baseline = read_baseline(path)
    roots = new_graph.graph["roots"]
    keys = root_keys([(r, new_graph.nodes[r]["name"]) for r in roots])
    missing = [key for key in keys.values() if key not in baseline]
    if missing:
        raise BaselineError(f"{path} has no entry for {', '.join(missing)}; its roots: "
                            f"{', '.join(sorted(baseline)) or 'none'}")
    chosen = [baseline[keys[r]] for r in roots]
    members = {m.id: m for c in reversed(chosen) for m in c.members}
    return Closure(", ".join(c.root for c in chosen), chosen[0].policy,
                   tuple(members[i] for i in sorted(members)))


def _diff(old_closure: Closure, old_graph: DepGraph | None, new_graph: DepGraph) -> Diff:
    from rpmgraph.analysis.paths import forward_view
    from rpmgraph.analysis.sizes import chain, parents
    from rpmgraph.checks.diff import diff_closures

    roots = list(new_graph.graph["roots"])
    parent = parents(forward_view(new_graph), roots)
    old_roots = old_graph.graph["roots"] if old_graph is not None else \
        old_closure.root.split(", ")
    new_closure = _closure(new_graph)
    return diff_closures(old_closure, new_closure, list(old_roots), roots,
                         lambda node: tuple(chain(parent, node)))


def _render_diff(fmt: str, result: Diff) -> str:
    from rpmgraph.checks import report_diff

    return {"text": report_diff.diff_text, "json": report_diff.diff_json,
            "markdown": report_diff.diff_markdown}[fmt](result)


def _write_picture(output: str, fmt: str, result: Diff, new_graph: DepGraph,
                   old_graph: DepGraph | None, old_closure: Closure) -> None:
    from rpmgraph.checks.diff import union_graph
    from rpmgraph.render import FORMATS

    picture = FORMATS[fmt]
    if picture.binary and output == "-" and sys.stdout.isatty():
        raise click.UsageError(f"will not write {fmt} to a terminal; use -o FILE")
    emit(output, picture.render(union_graph(result, new_graph, old_graph, old_closure)))
