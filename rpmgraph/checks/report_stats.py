"""``rpmgraph stats`` as text, JSON or Markdown; each function returns the whole text."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from rpmgraph.analysis.sizes import RootStats
from rpmgraph.checks import formats
from rpmgraph.checks.escape import md_code, term
from rpmgraph.checks.units import format_size


def stats_json(stats: list[RootStats]) -> str:
    return json.dumps({"roots": [_root_doc(s) for s in stats]}, indent=2,
                      ensure_ascii=False) + "\n"


def _root_doc(s: RootStats) -> dict[str, Any]:
    return {
        "root": s.root, "policy": s.policy, "installable": not s.problems,
        "problems": list(s.problems), "packages": s.packages, "installsize": s.installsize,
        "downloadsize": s.downloadsize, "direct": s.direct, "depth": s.depth,
        "unresolved": [{"source": u.source, "kind": u.kind, "capability": u.capability}
                       for u in s.unresolved],
        "top": [{"id": e.id, "exclusive_packages": e.packages,
                 "exclusive_installsize": e.installsize} for e in s.top],
    }


def stats_text(stats: list[RootStats]) -> str:
    return "\n".join(_root_text(s) for s in stats)


def _root_text(s: RootStats) -> str:
    lines = [
        term(s.root),
        f"  {s.packages} packages ({s.direct} direct, depth {s.depth}), "
        f"installed {format_size(s.installsize)}, download {format_size(s.downloadsize)}",
    ]
    lines += [f"  CANNOT BE INSTALLED: {term(p)}; the sizes are of the {s.policy} policy's "
              "closure" for p in s.problems]
    lines += [f"  unresolved: {term(u.source)} {u.kind} {term(u.capability)}"
              for u in s.unresolved]
    if s.top:
        lines.append("  what dropping each dependency would remove:")
        lines.append(f"    {'PACKAGES':>8}  {'INSTALLED':>10}  DEPENDENCY")
        lines += [f"    {e.packages:>8}  {format_size(e.installsize):>10}  {term(e.id)}"
                  for e in s.top]
    return "\n".join(lines) + "\n"


def stats_markdown(stats: list[RootStats]) -> str:
    return "\n".join(_root_markdown(s) for s in stats)


def _root_markdown(s: RootStats) -> str:
    lines = [
        f"### {md_code(s.root)}", "",
        f"{s.packages} packages ({s.direct} direct, depth {s.depth}), installed "
        f"{format_size(s.installsize)}, download {format_size(s.downloadsize)}.", "",
    ]
    lines += [f"**Cannot be installed**: {md_code(p)} (sizes of the {s.policy} policy's "
              "closure)" for p in s.problems] + ([""] if s.problems else [])
    if s.unresolved:
        lines += [f"- unresolved: {md_code(u.source)} {u.kind} {md_code(u.capability)}"
                  for u in s.unresolved] + [""]
    if s.top:
        lines += ["| dependency | packages it alone pulls in | installed size |",
                  "| --- | ---: | ---: |"]
        lines += [f"| {md_code(e.id)} | {e.packages} | {format_size(e.installsize)} |"
                  for e in s.top]
        lines.append("")
    return "\n".join(lines)


# Each report format and its writer; the command line's choices come from here.
REPORTS: dict[str, Callable[[list[RootStats]], str]] = dict(zip(
    formats.STATS, (stats_text, stats_json, stats_markdown), strict=True))
