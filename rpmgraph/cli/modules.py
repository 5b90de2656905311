"""``rpmgraph modules``: the module streams of the sources, which are active and why."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import click

from rpmgraph.cli.base import Session, cli, one_line, session_options
from rpmgraph.cli.outputs import format_option

if TYPE_CHECKING:
    from rpmgraph.sources.modules import ModuleState, StreamStatus

MODULES_EXAMPLES = """
\b
Examples:
  rpmgraph modules --repo appstream --repo baseos
  rpmgraph modules --repo appstream --repo baseos --module nodejs:20
  rpmgraph modules --repo appstream -f json
"""


@cli.command(epilog=MODULES_EXAMPLES)
@session_options(with_policy=False)
@format_option(["text", "json"], default="text", help="Output format.")
def modules(session: Session, fmt: str) -> None:
    """Module streams, as dnf filters them: which are active and why.

    A stream is active when it is enabled (--module, or a root @NAME:STREAM), or is its
    module's default stream, or an active stream requires it. dnf hides the packages of
    inactive streams, and the packages outside modules whose name (or a provide) is the
    name of a package of an active stream: HIDES counts them.
    """
    state = session.universe().modules()
    if fmt == "json":
        click.echo(json.dumps(_as_json(state), indent=2, sort_keys=True))
        return
    if state is None:
        click.echo("rpmgraph: no module metadata in the sources", err=True)
        return
    for line in _table(state):
        click.echo(line)


def _as_json(state: ModuleState | None) -> dict[str, object]:
    if state is None:
        return {"platform": None, "hidden": 0, "streams": []}
    return {"platform": state.platform, "hidden": len(state.hidden),
            "streams": [{"name": s.name, "stream": s.stream, "active": s.active,
                         "reason": s.reason, "context": s.context, "version": s.version,
                         "contexts": list(s.contexts), "profiles": list(s.profiles),
                         "default_profiles": list(s.default_profiles), "hides": s.hides}
                        for s in state.statuses()]}


def _table(state: ModuleState) -> list[str]:
    rows = [("STREAM", "ACTIVE", "WHY", "CONTEXT", "HIDES")]
    rows += [_row(s) for s in state.statuses()]
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r[:4], widths, strict=True)) + "  " + r[4]
             for r in rows]
    platform = one_line(state.platform or "none detected")
    lines.append(f"platform: {platform}; {len(state.hidden)} packages hidden")
    return [line.rstrip() for line in lines]


def _row(s: StreamStatus) -> tuple[str, str, str, str, str]:
    # CONTEXT:VERSION of the build chosen; old modulemd files may have no context
    context = f"{s.context or '-'}:{s.version}" if s.context is not None else "-"
    # Names come from metadata: one line each, no control characters.
    return (one_line(f"{s.name}:{s.stream}"), "yes" if s.active else "no", one_line(s.reason),
            one_line(context), str(s.hides))
