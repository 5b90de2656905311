"""``rpmgraph groups``: the comps environments and groups of the repositories, which
``@GROUP`` and ``@^ENVIRONMENT`` roots name."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import click

from rpmgraph.cli.base import Session, cli, session_options
from rpmgraph.cli.outputs import format_option

if TYPE_CHECKING:
    from rpmgraph.sources.comps import Comps, Environment, Group

_TYPES = ("mandatory", "default", "optional", "conditional")


@cli.command(epilog="""
\b
Examples:
  rpmgraph groups --repo ./repo
  rpmgraph groups --repo ./repo --format json
  rpmgraph graph --repo ./repo @core-tools -o core-tools.svg
""")
@session_options(with_policy=False)
@format_option(["text", "json"], default="text", help="Output format.")
def groups(session: Session, fmt: str) -> None:
    """List the environments and groups of the repositories' comps metadata.

    For each: its id (what @ID and @^ID roots name), its name, and its packages by
    type: a group root installs the mandatory and default ones (optional ones too with
    --with-optional), and each conditional one when the package it names is installed;
    an environment root installs the groups of its grouplist.
    """
    comps = session.universe().groups()
    if fmt == "json":
        click.echo(json.dumps(_as_json(comps), indent=2, ensure_ascii=False))
    elif not comps.groups and not comps.environments:
        click.echo("rpmgraph: the sources have no comps (group) metadata", err=True)
    else:
        click.echo("\n".join(_text_lines(comps)))


def _as_json(comps: Comps) -> dict[str, object]:
    return {
        "environments": [{"id": e.id, "name": e.name, "grouplist": list(e.grouplist),
                          "optionlist": [{"group": o.group, "default": o.default}
                                         for o in e.optionlist]}
                         for e in comps.environments],
        "groups": [{"id": g.id, "name": g.name, "counts": _counts(g),
                    "packages": [{"name": p.name, "type": p.type.value}
                                 | ({"requires": p.requires} if p.requires else {})
                                 for p in g.packages]}
                   for g in comps.groups],
    }


def _counts(group: Group) -> dict[str, int]:
    return {kind: sum(p.type.value == kind for p in group.packages) for kind in _TYPES}


def _text_lines(comps: Comps) -> list[str]:
    rows = [("@^" + e.id, e.name, _env_summary(e)) for e in comps.environments]
    rows += [("@" + g.id, g.name, ", ".join(f"{n} {kind}" for kind, n in _counts(g).items()
                                            if n)) for g in comps.groups]
    id_width = max(len(r[0]) for r in rows)
    name_width = max(len(r[1]) for r in rows)
    return [f"{i:<{id_width}}  {name:<{name_width}}  {summary}".rstrip()
            for i, name, summary in rows]


def _env_summary(env: Environment) -> str:
    summary = f"{len(env.grouplist)} groups"
    if env.optionlist:
        summary += f" (+{len(env.optionlist)} optional)"
    return summary
