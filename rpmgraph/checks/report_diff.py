"""``rpmgraph diff`` as text, JSON or Markdown."""

from __future__ import annotations

import json
from collections.abc import Callable

from rpmgraph.checks import formats
from rpmgraph.checks.diff import Added, Diff
from rpmgraph.checks.escape import md, md_code, term
from rpmgraph.checks.report_check import mermaid_block
from rpmgraph.checks.units import format_size


def diff_json(d: Diff) -> str:
    doc = {
        "old_roots": list(d.old_roots),
        "roots": list(d.roots),
        "added": [{"name": a.name, "id": a.id, "path": list(a.path)} for a in d.added],
        "removed": [{"name": r.name, "id": r.id} for r in d.removed],
        "changed": [{"name": c.name, "old": c.old, "new": c.new} for c in d.changed],
        "old_packages": d.old_packages,
        "packages": d.packages,
        "old_installsize": d.old_installsize,
        "installsize": d.installsize,
        "installsize_delta": d.installsize_delta,
    }
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def headline(d: Diff) -> str:
    return (f"{d.old_packages} -> {d.packages} packages, installed "
            f"{format_size(d.old_installsize)} -> {format_size(d.installsize)} "
            f"({format_size(d.installsize_delta, signed=True)}); {len(d.added)} added, "
            f"{len(d.removed)} removed, {len(d.changed)} changed")


def diff_text(d: Diff) -> str:
    lines = [", ".join(term(r) for r in d.roots), f"  {headline(d)}"]
    lines += [f"  + {term(a.id)}{_via(a)}" for a in d.added]
    lines += [f"  - {term(r.id)}" for r in d.removed]
    lines += [f"  ~ {term(c.old)} -> {term(c.new)}" for c in d.changed]
    return "\n".join(lines) + "\n"


def _via(a: Added) -> str:
    return f"  via {term(' -> '.join(a.path_names[:-1]))}" if len(a.path) > 1 else ""


def diff_markdown(d: Diff) -> str:
    lines = [f"### {', '.join(md_code(r) for r in d.roots)}", "", headline(d) + ".", ""]
    if d.added:
        lines += ["**Added**, and what pulls each in:", ""]
        lines += [f"- {md_code(a.id)}: {' → '.join(md(p) for p in a.path_names)}"
                  for a in d.added]
        lines.append("")
        lines += mermaid_block([a.path for a in d.added], [a.path_names for a in d.added])
        lines.append("")
    if d.removed:
        lines += ["**Removed**:", ""] + [f"- {md_code(r.id)}" for r in d.removed] + [""]
    if d.changed:
        lines += ["| changed | old | new |", "| --- | --- | --- |"]
        lines += [f"| {md_code(c.name)} | {md_code(c.old)} | {md_code(c.new)} |"
                  for c in d.changed]
        lines.append("")
    return "\n".join(lines)


# Each report format and its writer; the command line's choices come from here.
REPORTS: dict[str, Callable[[Diff], str]] = dict(zip(
    formats.DIFF_REPORTS, (diff_text, diff_json, diff_markdown), strict=True))
