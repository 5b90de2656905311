"""``rpmgraph check`` results as text, JSON, Markdown (a PR comment) or JUnit XML."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Callable
from typing import Any

from rpmgraph.checks import formats
from rpmgraph.checks.budgets import Culprit, Outcome
from rpmgraph.checks.escape import md, md_code, term, xml_text
from rpmgraph.checks.units import format_size


def amount(value: int, unit: str, signed: bool = False) -> str:
    if unit == "bytes":
        return format_size(value, signed)
    return f"{value:+d}" if signed else str(value)


_WHAT = {"max-packages": "{} packages", "max-new-packages": "{} new packages",
         "max-installsize": "installed {}", "max-downloadsize": "download {}",
         "max-installsize-increase": "installed size grew {}"}


def describe(o: Outcome) -> str:
    """One line: the root, the limit, the value and the margin (or the excess)."""
    if o.limit == "forbid":
        return f"{o.root}: forbid: {o.actual} forbidden packages (forbid: {o.note})"
    if o.limit == "installable":
        return f"{o.root}: cannot be installed: {o.note}"
    grew = o.limit == "max-installsize-increase"
    what = _WHAT[o.limit].format(amount(o.actual, o.unit, signed=grew))
    verdict = f"over by {amount(o.excess, o.unit)}" if not o.ok else "within"
    note = f"; {o.note}" if o.note else ""
    return (f"{o.root}: {o.limit} {amount(o.allowed, o.unit)}: {what} "
            f"({verdict}{note})")


def summary(outcomes: list[Outcome]) -> str:
    failed = sum(not o.ok for o in outcomes)
    if failed:
        return f"{failed} of {len(outcomes)} budget checks failed"
    return f"all {len(outcomes)} budget checks passed"


def _chain(c: Culprit) -> str:
    return " -> ".join(c.path_names) if c.path else c.id


# ---------------------------------------------------------------- formats


def check_text(outcomes: list[Outcome]) -> str:
    lines = []
    for o in outcomes:
        lines.append(f"{'ok  ' if o.ok else 'FAIL'} budget {o.budget}: {term(describe(o))}")
        if not o.ok:
            lines += [f"       + {term(c.id)}: {term(_chain(c))}" for c in o.culprits]
    return "\n".join([*lines, summary(outcomes)]) + "\n"


def check_json(outcomes: list[Outcome]) -> str:
    doc = {"ok": all(o.ok for o in outcomes), "results": [_outcome_doc(o) for o in outcomes]}
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def _outcome_doc(o: Outcome) -> dict[str, Any]:
    return {"budget": o.budget, "root": o.root, "limit": o.limit, "ok": o.ok,
            "actual": o.actual, "allowed": o.allowed, "excess": max(o.excess, 0),
            "unit": o.unit, "note": o.note,
            "packages": [{"id": c.id, "path": list(c.path)} for c in o.culprits]}


def check_markdown(outcomes: list[Outcome]) -> str:
    failed = [o for o in outcomes if not o.ok]
    head = "### rpmgraph: " + summary(outcomes)
    lines = [head, "", "| | budget | root | limit | value | allowed |",
             "| --- | ---: | --- | --- | ---: | ---: |"]
    lines += [f"| {'✅' if o.ok else '❌'} | {o.budget} | {md_code(o.root)} | {o.limit} | "
              f"{amount(o.actual, o.unit)} | {amount(o.allowed, o.unit)} |" for o in outcomes]
    for o in failed:
        if o.culprits:
            lines += ["", f"**{md_code(o.root)}**, {o.limit}: what pulls each package in", ""]
            lines += [f"- {md_code(c.id)}: {' → '.join(md(p) for p in c.path_names)}"
                      for c in o.culprits]
    return "\n".join([*lines, *_new_graph(outcomes)]) + "\n"


def _new_graph(outcomes: list[Outcome]) -> list[str]:
    """A Mermaid graph of the new packages (and the forbidden ones that fail) and the
    chains that pull them in, for the pull request to show."""
    culprits = {c.id: c for o in outcomes for c in o.culprits
                if o.limit == "max-new-packages" or (o.limit == "forbid" and not o.ok)}
    if not culprits:
        return []
    chosen = [culprits[i] for i in sorted(culprits)]
    return ["", "**New packages** (green) and what pulls them in:", "",
            *mermaid_block([c.path for c in chosen], [c.path_names for c in chosen])]


def mermaid_block(paths: list[tuple[str, ...]], names: list[tuple[str, ...]]) -> list[str]:
    """A fenced Mermaid graph of chains of package ids, each ending with a new package."""
    from rpmgraph.render.mermaid import chains_mermaid

    labels = {i: n for path, named in zip(paths, names, strict=True)
              for i, n in zip(path, named, strict=True)}
    chart = chains_mermaid(paths, labels, [p[-1] for p in paths if p])
    return ["```mermaid", *chart.splitlines(), "```"]


def check_junit(outcomes: list[Outcome]) -> str:
    """One test case per root and limit; a failure's text lists the culprits' chains."""
    failures = sum(not o.ok for o in outcomes)
    suite = ET.Element("testsuite", name="rpmgraph", tests=str(len(outcomes)),
                       failures=str(failures), errors="0")
    for o in outcomes:
        case = ET.SubElement(suite, "testcase", classname=xml_text(f"budget {o.budget}"),
                             name=xml_text(f"{o.root} {o.limit}"))
        if not o.ok:
            failure = ET.SubElement(case, "failure", message=xml_text(describe(o)))
            failure.text = xml_text("\n".join(f"{c.id}: {_chain(c)}" for c in o.culprits))
    suites = ET.Element("testsuites", tests=str(len(outcomes)), failures=str(failures))
    suites.append(suite)
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, "unicode") + "\n"


# Each report format and its writer; the command line's choices come from here.
REPORTS: dict[str, Callable[[list[Outcome]], str]] = dict(zip(
    formats.CHECK, (check_text, check_json, check_markdown, check_junit), strict=True))
