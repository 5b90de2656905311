"""What changed between two closures: packages added, removed, changed in version, the
size delta, and the union graph that pictures it (node attribute ``status``)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import networkx as nx

from rpmgraph.checks.snapshot import Closure, Member
from rpmgraph.depgraph import DepGraph, add_dependency
from rpmgraph.model import Dependency, Kind


@dataclass(frozen=True, slots=True)
class Added:
    """A package only the new side has (by name), and the chain that pulls it in."""

    name: str
    id: str
    path: tuple[str, ...]  # ids, from a root to this package
    path_names: tuple[str, ...]  # the same chain by package name, for people


@dataclass(frozen=True, slots=True)
class Removed:
    """A package only the old side has (by name)."""

    name: str
    id: str


@dataclass(frozen=True, slots=True)
class Changed:
    """A package both sides have, in another build (``old`` and ``new``: NEVRAs)."""

    name: str
    old: str
    new: str


@dataclass(frozen=True, slots=True)
class Diff:
    """Two closures of the same roots compared: package counts and installed sizes of
    each side, and what was added, removed and changed, each sorted by name."""

    old_roots: tuple[str, ...]
    roots: tuple[str, ...]
    old_packages: int
    packages: int
    added: tuple[Added, ...]
    removed: tuple[Removed, ...]
    changed: tuple[Changed, ...]
    old_installsize: int
    installsize: int

    @property
    def installsize_delta(self) -> int:
        return self.installsize - self.old_installsize


def diff_closures(old: Closure, new: Closure, old_roots: list[str], roots: list[str],
                  path: Callable[[str], tuple[str, ...]]) -> Diff:
    """Packages are matched by name, so a new version is a change, not an add and a remove."""
    added: list[Added] = []
    removed: list[Removed] = []
    changed: list[Changed] = []
    before, after = _by_name(old.members), _by_name(new.members)
    names = {m.id: m.name for m in new.members}
    for name in sorted(before.keys() | after.keys()):
        gone = sorted(set(before[name]) - set(after[name]))
        came = sorted(set(after[name]) - set(before[name]))
        if len(gone) == 1 and len(came) == 1:
            changed.append(Changed(name, gone[0], came[0]))
            continue
        removed += [Removed(name, i) for i in gone]
        added += [Added(name, i, path(i), tuple(names[p] for p in path(i))) for i in came]
    return Diff(tuple(old_roots), tuple(roots), len(old.members), len(new.members),
                tuple(added), tuple(removed), tuple(changed), old.installsize,
                new.installsize)


def _by_name(members: Iterable[Member]) -> defaultdict[str, list[str]]:
    grouped: defaultdict[str, list[str]] = defaultdict(list)
    for member in members:
        grouped[member.name].append(member.id)
    return grouped


def merge_graphs(graphs: list[DepGraph]) -> DepGraph:
    """One graph of roots that were each resolved on their own."""
    merged: DepGraph = nx.compose_all(graphs)
    first = graphs[0].graph
    merged.graph = {**first, "roots": [r for g in graphs for r in g.graph["roots"]],
                    "notes": sorted({n for g in graphs for n in g.graph["notes"]})}
    return merged


# ---------------------------------------------------------------- the picture


def union_graph(diff: Diff, new: DepGraph, old: DepGraph | None,
                old_closure: Closure) -> DepGraph:
    """New and old graphs in one: a changed package is one node (its new build, yellow),
    added ones green, removed ones red. Without an old graph (a baseline), each removed
    package hangs under the package the baseline says pulled it in."""
    renames = {c.old: c.new for c in diff.changed}
    union: DepGraph = new.copy()
    if old is not None:
        union = nx.compose(nx.relabel_nodes(old, renames), new)
        union.graph = dict(new.graph)
    else:
        _add_baseline_removed(union, diff, old_closure)
    union.graph["sources"] = [*(old.graph["sources"] if old else ["baseline"]),
                              *new.graph["sources"]]
    union.graph["notes"] = [*new.graph["notes"], "diff: green added, red removed, "
                            "yellow changed version"]
    statuses = {**{a.id: "added" for a in diff.added}, **{r.id: "removed" for r in diff.removed},
                **{c.new: "changed" for c in diff.changed}}
    for node, status in statuses.items():
        if node in union:
            union.nodes[node]["status"] = status
    return union


def _add_baseline_removed(union: DepGraph, diff: Diff, old_closure: Closure) -> None:
    members = old_closure.by_id()
    ids_by_name = {data["name"]: node for node, data in union.nodes(data=True)}
    for removed in diff.removed:
        ids_by_name.setdefault(removed.name, removed.id)
    for removed in diff.removed:
        member = members[removed.id]
        union.add_node(removed.id, **_node_fields(member), unresolved=[])
        source = ids_by_name.get(member.via or "")
        if source is not None and source != removed.id:
            add_dependency(union, source, removed.id, Dependency(Kind.REQUIRES, member.name))


def _node_fields(member: Member) -> dict[str, object]:
    """Package fields from a lock file entry, which keeps only id, name, arch and sizes."""
    evr = member.id[len(member.name) + 1: len(member.id) - len(member.arch) - 1]
    epoch, _, vr = evr.rpartition(":")
    version, _, release = vr.rpartition("-")
    return {"name": member.name, "epoch": int(epoch or 0), "version": version,
            "release": release, "arch": member.arch, "repo": "baseline",
            "installsize": member.installsize, "downloadsize": member.downloadsize,
            "sourcerpm": "", "summary": "(from the baseline)"}
