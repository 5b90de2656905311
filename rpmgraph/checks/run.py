"""The gate run: every budget of a config checked against the roots it names, as a
``CheckReport`` that writes itself in each format.

    from rpmgraph.checks.run import run_check

    report = run_check("rpmgraph.toml")      # loads the config's own sources
    report.ok, report.failed                 # Outcome records
    print(report.render("markdown"), end="")
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from rpmgraph.checks.budgets import Outcome
from rpmgraph.checks.config import BASELINE_LIMITS, Config, ConfigError, load_config

if TYPE_CHECKING:
    from rpmgraph.api import Resolution
    from rpmgraph.checks.measure import Measured
    from rpmgraph.pool import LoadedPool

Warn = Callable[[str], None]


@dataclass(frozen=True, slots=True)
class CheckReport:
    """One outcome per limit of each budget and each root it covers, in config order."""

    outcomes: tuple[Outcome, ...]

    @property
    def ok(self) -> bool:
        """Every budget holds."""
        return all(o.ok for o in self.outcomes)

    @property
    def failed(self) -> tuple[Outcome, ...]:
        return tuple(o for o in self.outcomes if not o.ok)

    def render(self, fmt: str) -> str:
        """The report as text, json, markdown (a pull request comment) or junit."""
        from rpmgraph.checks.report_check import REPORTS
        from rpmgraph.errors import RenderError

        if fmt not in REPORTS:
            raise RenderError(f"unknown format {fmt!r} (choose from {', '.join(REPORTS)})")
        return REPORTS[fmt](list(self.outcomes))


def run_check(config: Config | str | Path, *, update_baseline: bool = False,
              warn: Warn | None = None) -> CheckReport:
    """Load the sources a config names (a ``Config``, or the path of rpmgraph.toml or a
    pyproject.toml) and check its budgets (``Universe.check``)."""
    import rpmgraph
    from rpmgraph.sources.modules import root_streams

    chosen = config if isinstance(config, Config) else load_config(Path(config))
    universe = rpmgraph.load(repos=chosen.repos, rpms=chosen.rpms, installed=chosen.installed,
                             arch=chosen.arch, warn=warn,
                             modules=root_streams(chosen.root_specs))
    return universe.check(chosen, update_baseline=update_baseline)


def check_budgets(loaded: LoadedPool, warn: Warn, config: Config, resolution: Resolution,
                  update_baseline: bool) -> CheckReport:
    """Measure every root the budgets name once; rewrite the baseline first if asked."""
    from rpmgraph.checks.measure import measure_roots
    from rpmgraph.resolve import read_roots

    optional = resolution.with_optional
    budget_roots = [[r.key for r in read_roots(loaded, list(b.roots), optional, warn)]
                    for b in config.budgets]
    measured = {m.asked: m for m in measure_roots(
        loaded, list(config.root_specs), resolution.resolve_options(), warn,
        with_optional=optional)}
    if update_baseline:
        _update_baseline(config, resolution.policy, list(measured.values()))
    return CheckReport(tuple(_outcomes(config, budget_roots, measured)))


def _update_baseline(config: Config, policy: str, measured: list[Measured]) -> None:
    from rpmgraph.checks.snapshot import Snapshot

    if config.baseline is None:
        raise ConfigError(f"{config.path}: --update-baseline needs a baseline = \"FILE\" key")
    Snapshot(policy, config.sources, tuple(measured)).write(config.baseline)


def _outcomes(config: Config, budget_roots: list[list[str]],
              measured: dict[str, Measured]) -> list[Outcome]:
    from rpmgraph.checks.budgets import evaluate
    from rpmgraph.checks.snapshot import read_baseline

    needs = any(k in b.limits for b in config.budgets for k in BASELINE_LIMITS)
    baseline = read_baseline(config.baseline) if needs and config.baseline else None
    return [outcome
            for budget, roots in zip(config.budgets, budget_roots, strict=True)
            for root in roots
            for outcome in evaluate(budget, measured[root], baseline)]
