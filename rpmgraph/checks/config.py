"""``rpmgraph.toml`` (or ``[tool.rpmgraph]`` in pyproject.toml): sources and budgets.

Every problem is reported as ``FILE:LINE: KEY: what is wrong``. tomllib does not
say where a key was, so the line is found by searching the raw text for the key,
after the header of the table it belongs to: good enough to point at the mistake.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TypeVar

from rpmgraph.checks.units import parse_size
from rpmgraph.errors import RpmgraphError
from rpmgraph.model import Kind

if TYPE_CHECKING:
    from rpmgraph.api import Resolution

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

T = TypeVar("T")
CONFIG_NAME = "rpmgraph.toml"
_TOP_KEYS = ("repos", "rpms", "installed", "arch", "policy", "kinds", "weak", "baseline",
             "budget")
_SIZE_LIMITS = ("max-installsize", "max-downloadsize", "max-installsize-increase")
_COUNT_LIMITS = ("max-packages", "max-new-packages")
LIMITS = ("max-packages", "max-installsize", "max-downloadsize", "max-new-packages",
          "max-installsize-increase", "forbid")
BASELINE_LIMITS = ("max-new-packages", "max-installsize-increase")
_BUDGET_KEYS = ("roots", *LIMITS)


class ConfigError(RpmgraphError):
    """The configuration file is missing, unparsable, or says something we cannot use."""


@dataclass(frozen=True, slots=True)
class Budget:
    """One ``[[budget]]`` table: its roots, its limits and its forbidden globs."""

    number: int  # 1 for the first [[budget]] table
    roots: tuple[str, ...]
    limits: dict[str, int]  # max-packages, max-installsize, ... -> bytes or packages
    forbid: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Config:
    """An rpmgraph.toml read and checked: where packages come from (paths relative to
    the file), how roots are resolved, the baseline and the budgets."""

    path: Path
    repos: tuple[Path, ...]
    rpms: tuple[Path, ...]
    installed: bool
    arch: str | None
    policy: str | None
    kinds: str | None
    weak: bool
    baseline: Path | None
    budgets: tuple[Budget, ...]
    sources: tuple[str, ...]  # as written, relative to the config file: for lock files

    @property
    def root_specs(self) -> tuple[str, ...]:
        """Every root the budgets name, once each, in config order."""
        return tuple(dict.fromkeys(s for b in self.budgets for s in b.roots))

    def resolution(self) -> Resolution:
        """How the roots are resolved: ``policy`` (by default install, or all when the
        installed packages are the only source, as on the command line), ``kinds``,
        ``weak``."""
        from rpmgraph.api import Resolution

        default = "install" if self.repos or self.rpms else "all"
        policy: Literal["install", "all"] = "all" if (self.policy or default) == "all" \
            else "install"
        kinds = None if self.kinds is None else tuple(self.kinds.split(","))
        return Resolution(policy=policy, kinds=kinds, weak=self.weak)


def find_config(explicit: Path | None, folder: Path) -> Path:
    if explicit is not None:
        if not explicit.is_file():
            raise ConfigError(f"config file {explicit} does not exist")
        return explicit
    for candidate in (folder / CONFIG_NAME, folder / "pyproject.toml"):
        if candidate.is_file() and (candidate.name == CONFIG_NAME or
                                    re.search(r"^\[\s*tool\.rpmgraph[\].]",
                                              candidate.read_text(encoding="utf-8"), re.M)):
            return candidate
    raise ConfigError(f"no {CONFIG_NAME} (or [tool.rpmgraph] in pyproject.toml) in {folder}; "
                      "pass --config FILE")


def load_config(path: Path) -> Config:
    try:
        text = path.read_text(encoding="utf-8")
        data = tomllib.loads(text)
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read config file {path}: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    except RecursionError:  # tomllib recurses once per level of nested arrays and tables
        raise ConfigError(f"{path}: not valid TOML: nested too deep") from None
    in_pyproject = path.name == "pyproject.toml"
    if in_pyproject:
        tool = data.get("tool", {})
        table = tool.get("rpmgraph") if isinstance(tool, dict) else None
        if not isinstance(table, dict):
            raise ConfigError(f"{path}: no [tool.rpmgraph] table")
        data = table
    return _Reader(path, text, in_pyproject).config(data)


class _Reader:
    """Checks one parsed config against the raw text it came from, for line numbers."""

    def __init__(self, path: Path, text: str, in_pyproject: bool) -> None:
        self.path = path
        self.lines = text.splitlines()
        prefix = r"tool\.rpmgraph\." if in_pyproject else ""
        self.budget_header = re.compile(rf"^\s*\[\[\s*{prefix}budget\s*\]\]")
        self.top_header = re.compile(r"^\s*\[\s*tool\.rpmgraph\s*\]") if in_pyproject else None

    def fail(self, key: str, problem: str, budget: int = 0) -> ConfigError:
        line = self._line(key, budget)
        where = f"{self.path}:{line}" if line else str(self.path)
        return ConfigError(f"{where}: {key}: {problem}")

    def _line(self, key: str, budget: int) -> int:
        """The line of ``key`` after the table header it belongs to (0 when not found)."""
        start = self._header_line(budget)
        pattern = re.compile(rf"""^\s*(["']?){re.escape(key)}\1\s*=""")
        for number in range(start, len(self.lines)):
            if pattern.match(self.lines[number]):
                return number + 1
        return start

    def _header_line(self, budget: int) -> int:
        header = self.budget_header if budget else self.top_header
        if header is None:
            return 0
        seen = 0
        for number, line in enumerate(self.lines):
            if header.match(line):
                seen += 1
                if not budget or seen == budget:
                    return number + 1
        return 0

    # ------------------------------------------------------------ top level

    def config(self, data: dict[str, Any]) -> Config:
        self.unknown(data, _TOP_KEYS, "")
        folder = self.path.parent
        repos = self.get(data, "repos", self.strings, list[str]())
        rpms = self.get(data, "rpms", self.strings, list[str]())
        installed = self.get(data, "installed", self.boolean, False)
        baseline = self.get(data, "baseline", self.string, None)
        budgets = self.budgets(data)
        self.need_baseline(budgets, baseline)
        return Config(
            path=self.path,
            repos=tuple(folder / p for p in repos),
            rpms=tuple(folder / p for p in rpms),
            installed=installed,
            arch=self.get(data, "arch", self.string, None),
            policy=self.get(data, "policy", self.policy, None),
            kinds=self.get(data, "kinds", self.kinds, None),
            weak=self.get(data, "weak", self.boolean, True),
            baseline=None if baseline is None else folder / baseline,
            budgets=budgets,
            sources=(*(f"repo:{p}" for p in repos), *(f"rpm:{p}" for p in rpms),
                     *(["installed"] if installed or not (repos or rpms) else [])),
        )

    def need_baseline(self, budgets: tuple[Budget, ...], baseline: str | None) -> None:
        for budget in budgets:
            for key in BASELINE_LIMITS:
                if key in budget.limits and baseline is None:
                    raise self.fail(key, "compares with a baseline, but the config names "
                                    "none (add baseline = \"rpmgraph.lock.json\")", budget.number)

    def unknown(self, table: dict[str, Any], known: tuple[str, ...], where: str,
                budget: int = 0) -> None:
        for key in table:
            if key not in known:
                raise self.fail(key, f"unknown key{where} (known keys: {', '.join(known)})",
                                budget)

    def get(self, table: dict[str, Any], key: str, check: Callable[[Any], T], default: T,
            budget: int = 0) -> T:
        if key not in table:
            return default
        try:
            return check(table[key])
        except (TypeError, ValueError) as exc:
            raise self.fail(key, str(exc), budget) from None

    # ------------------------------------------------------------ budgets

    def budgets(self, data: dict[str, Any]) -> tuple[Budget, ...]:
        tables = data.get("budget", [])
        if not isinstance(tables, list) or not all(isinstance(t, dict) for t in tables):
            raise self.fail("budget", "write budgets as [[budget]] tables")
        if not tables:
            raise ConfigError(f"{self.path}: no [[budget]] table: nothing to check")
        return tuple(self.budget(table, number) for number, table in
                     enumerate(tables, start=1))

    def budget(self, table: dict[str, Any], number: int) -> Budget:
        self.unknown(table, _BUDGET_KEYS, f" in [[budget]] number {number}", number)
        if "roots" not in table:
            raise ConfigError(f"{self.path}:{self._header_line(number)}: [[budget]] number "
                              f"{number} has no 'roots' (e.g. roots = \"openstack-*\")")
        limits = {key: self.get(table, key, self.count, 0, number)
                  for key in _COUNT_LIMITS if key in table}
        limits |= {key: self.get(table, key, parse_size, 0, number)
                   for key in _SIZE_LIMITS if key in table}
        forbid = self.get(table, "forbid", self.strings, list[str](), number)
        if not limits and not forbid:
            raise ConfigError(f"{self.path}:{self._header_line(number)}: [[budget]] number "
                              f"{number} sets no limit (one of {', '.join(LIMITS)})")
        roots = self.get(table, "roots", self.strings, list[str](), number)
        return Budget(number, tuple(roots), limits, tuple(forbid))

    # ------------------------------------------------------------ value checks

    @staticmethod
    def strings(value: Any) -> list[str]:
        """A list of strings; one string alone is taken as a list of one."""
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise TypeError(f"expected a string or a list of strings, got {value!r}")
        if not value:
            raise ValueError("the list is empty")
        return value

    @staticmethod
    def string(value: Any) -> str:
        if not isinstance(value, str):
            raise TypeError(f"expected a string, got {value!r}")
        return value

    @staticmethod
    def boolean(value: Any) -> bool:
        if not isinstance(value, bool):
            raise TypeError(f"expected true or false, got {value!r}")
        return value

    @staticmethod
    def count(value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise TypeError(f"expected a number of packages (0 or more), got {value!r}")
        return value

    @classmethod
    def policy(cls, value: Any) -> str:
        if cls.string(value) not in ("install", "all"):
            raise ValueError(f"expected \"install\" or \"all\", got {value!r}")
        return str(value)

    @classmethod
    def kinds(cls, value: Any) -> str:
        text = ",".join(cls.strings(value))
        Kind.parse_list(text)  # raises ValueError naming the unknown kind
        return text
