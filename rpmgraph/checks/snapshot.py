"""Closures as records: taken from a graph, written as a lock file, read back as a baseline.

A lock file maps each root (by name, or NEVRA when two roots share a name) to its
closure, one package a line with its sizes and the package that pulls it in, plus
the closure's totals. It is meant to be committed and read in code review.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rpmgraph.analysis.sizes import RootStats
from rpmgraph.checks.jsontext import review_json
from rpmgraph.depgraph import DepGraph
from rpmgraph.errors import RpmgraphError

if TYPE_CHECKING:
    from rpmgraph.checks.measure import Measured

FORMAT_NAME = "rpmgraph-lock"
FORMAT_VERSION = 1


class BaselineError(RpmgraphError):
    """A baseline (lock) file is missing or is not one."""


@dataclass(frozen=True, slots=True)
class Member:
    """One package of a closure; ``via`` names the package that pulls it in."""

    id: str
    name: str
    arch: str
    installsize: int
    downloadsize: int
    via: str | None


@dataclass(frozen=True, slots=True)
class Closure:
    """The packages a root pulls in (``root``: several roots' keys joined by ", " when
    their closures were merged), each once, sorted by id."""

    root: str
    policy: str
    members: tuple[Member, ...]

    def by_id(self) -> dict[str, Member]:
        return {m.id: m for m in self.members}

    @property
    def installsize(self) -> int:
        return sum(m.installsize for m in self.members)


def closure_from(graph: DepGraph, parent: dict[str, str | None]) -> Closure:
    """The packages of a breadth-first tree (``analysis.sizes.parents``), sorted by id."""
    nodes = graph.nodes
    members = tuple(
        Member(n, nodes[n]["name"], nodes[n]["arch"], int(nodes[n]["installsize"]),
               int(nodes[n]["downloadsize"]), None if up is None else nodes[up]["name"])
        for n, up in sorted(parent.items()))
    roots = [n for n, up in sorted(parent.items()) if up is None]
    return Closure(", ".join(roots), graph.graph["policy"], members)


def root_keys(roots: list[tuple[str, str]]) -> dict[str, str]:
    """(NEVRA, name) of each root -> its key in a lock file: the name, unless it repeats."""
    names = [name for _, name in roots]
    return {nevra: name if names.count(name) == 1 else nevra for nevra, name in roots}


# ---------------------------------------------------------------- writing


@dataclass(frozen=True, slots=True)
class Snapshot:
    """Closures of roots as a lock file holds them: the policy they were resolved under,
    the sources they were read from, and each root measured."""

    policy: str
    sources: tuple[str, ...]
    roots: tuple[Measured, ...]

    def text(self) -> str:
        """The lock file: sorted, one package a line, for a code review diff."""
        entries = {m.key: (m.closure, m.stats) for m in self.roots}
        return lock_document(self.policy, list(self.sources), entries)

    def write(self, path: str | Path) -> None:
        """Write the lock file whole or not at all ('-': stdout)."""
        from rpmgraph.safefiles import write_output

        write_output(str(path), self.text().encode())


def lock_sources(labels: Sequence[str]) -> tuple[str, ...]:
    """What a lock file records of the sources a universe was loaded from: each as it
    was named (a folder as written, a repository of a .repo file as ``NAME=URL``), and
    this machine's own rpm database as plain ``installed``, so that a lock file does
    not depend on where rpm keeps it (a database under --root or --dbpath keeps its
    path)."""
    default = _default_database() if any(s.startswith("installed:") for s in labels) \
        else None
    return tuple("installed" if label == default else label for label in labels)


def _default_database() -> str:
    from rpmgraph.pool import Source, SourceKind

    return Source(SourceKind.INSTALLED).label()


def lock_document(policy: str, sources: list[str],
                  entries: dict[str, tuple[Closure, RootStats]]) -> str:
    roots = {key: _entry(*entries[key]) for key in sorted(entries)}
    doc = {"format": FORMAT_NAME, "version": FORMAT_VERSION, "policy": policy,
           "sources": sources, "roots": roots}
    return review_json(doc)


def _entry(closure: Closure, stats: RootStats) -> dict[str, Any]:
    return {
        "root": stats.root, "policy": closure.policy, "packages": stats.packages,
        "installsize": stats.installsize, "downloadsize": stats.downloadsize,
        "direct": stats.direct, "depth": stats.depth,
        "unresolved": [{"source": u.source, "kind": u.kind, "capability": u.capability}
                       for u in stats.unresolved],
        "closure": [{"id": m.id, "name": m.name, "arch": m.arch,
                     "installsize": m.installsize, "downloadsize": m.downloadsize,
                     "via": m.via} for m in closure.members],
    }


# ---------------------------------------------------------------- reading


def read_baseline(path: Path) -> dict[str, Closure]:
    """Root key -> closure, from a lock file written by ``rpmgraph snapshot``."""
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BaselineError(f"baseline {path} does not exist; write it with 'rpmgraph "
                            "snapshot' or 'rpmgraph check --update-baseline'") from None
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise BaselineError(f"cannot read baseline {path}: {exc}") from None
    except RecursionError:  # the json module recurses once per level of nesting
        raise BaselineError(f"cannot read baseline {path}: nested too deep") from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT_NAME:
        raise BaselineError(f"{path} is not an rpmgraph lock file (no \"format\": "
                            f"\"{FORMAT_NAME}\")")
    if doc.get("version") != FORMAT_VERSION:
        raise BaselineError(f"{path}: lock file version {doc.get('version')!r} is not "
                            f"supported (this rpmgraph reads version {FORMAT_VERSION})")
    try:
        return {key: _closure(entry) for key, entry in doc["roots"].items()}
    except (KeyError, TypeError, AttributeError, ValueError, OverflowError) as exc:
        raise BaselineError(f"{path}: malformed lock file ({type(exc).__name__}: {exc})"
                            ) from None


def _closure(entry: dict[str, Any]) -> Closure:
    members = tuple(
        Member(str(m["id"]), str(m["name"]), str(m["arch"]), int(m["installsize"]),
               int(m["downloadsize"]), None if m["via"] is None else str(m["via"]))
        for m in entry["closure"])
    return Closure(str(entry["root"]), str(entry["policy"]), members)
