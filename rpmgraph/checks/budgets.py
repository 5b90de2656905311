"""Budgets against measured roots: each limit of each budget gives one outcome."""

from __future__ import annotations

from dataclasses import dataclass
from fnmatch import fnmatchcase

from rpmgraph.checks.config import Budget
from rpmgraph.checks.measure import Measured
from rpmgraph.checks.snapshot import Closure


@dataclass(frozen=True, slots=True)
class Culprit:
    """A new or forbidden package and the chain from the root that pulls it in."""

    id: str
    path: tuple[str, ...]  # ids, from the root to this package
    path_names: tuple[str, ...]  # the same chain by package name, for people


@dataclass(frozen=True, slots=True)
class Outcome:
    """One limit of one budget for one root: ``allowed`` against ``actual`` (in
    ``unit``), with the packages to blame (``culprits``) and a ``note``."""

    budget: int
    root: str
    limit: str  # the config key: max-packages, forbid, ...
    allowed: int
    actual: int
    unit: str  # "packages" or "bytes"
    culprits: tuple[Culprit, ...] = ()
    note: str = ""

    @property
    def ok(self) -> bool:
        return self.actual <= self.allowed

    @property
    def excess(self) -> int:
        return self.actual - self.allowed


def evaluate(budget: Budget, measured: Measured,
             baseline: dict[str, Closure] | None) -> list[Outcome]:
    """Outcomes in the order the limits are listed in the README, forbid last."""
    old = None if baseline is None else baseline.get(measured.key)
    stats = measured.stats
    if stats.problems:  # what cannot be installed fails every budget that covers it
        return [Outcome(budget.number, stats.root, "installable", 0, 1, "problems",
                        note="; ".join(stats.problems))]
    outcomes = [_limit(budget, measured, key, value, old)
                for key, value in sorted(budget.limits.items(), key=_limit_order)]
    if budget.forbid:
        outcomes.append(_forbid(budget, measured))
    return outcomes


def _limit_order(item: tuple[str, int]) -> int:
    from rpmgraph.checks.config import LIMITS

    return LIMITS.index(item[0])


def _limit(budget: Budget, measured: Measured, key: str, allowed: int,
           old: Closure | None) -> Outcome:
    stats = measured.stats
    root = stats.root
    if key == "max-packages":
        return Outcome(budget.number, root, key, allowed, stats.packages, "packages")
    if key in ("max-installsize", "max-downloadsize"):
        actual = stats.installsize if key == "max-installsize" else stats.downloadsize
        return Outcome(budget.number, root, key, allowed, actual, "bytes")
    note = "" if old is not None else "the root is not in the baseline: all of it is new"
    if key == "max-new-packages":
        new = tuple(_culprit(measured, m) for m in _new_packages(measured, old))
        return Outcome(budget.number, root, key, allowed, len(new), "packages", new, note)
    # max-installsize-increase
    growth = stats.installsize - (0 if old is None else old.installsize)
    return Outcome(budget.number, root, key, allowed, growth, "bytes", (), note)


def _new_packages(measured: Measured, old: Closure | None) -> list[str]:
    """Packages whose name the baseline closure lacks: a new version is not a new package."""
    known = set() if old is None else {m.name for m in old.members}
    return [m.id for m in measured.closure.members if m.name not in known]


def _forbid(budget: Budget, measured: Measured) -> Outcome:
    found = [m.id for m in measured.closure.members
             if any(fnmatchcase(m.name, pattern) for pattern in budget.forbid)]
    culprits = tuple(_culprit(measured, m) for m in found)
    return Outcome(budget.number, measured.stats.root, "forbid", 0, len(found), "packages",
                   culprits, note=", ".join(budget.forbid))


def _culprit(measured: Measured, node: str) -> Culprit:
    names = {m.id: m.name for m in measured.closure.members}
    path = measured.path(node)
    return Culprit(node, path, tuple(names[p] for p in path))
