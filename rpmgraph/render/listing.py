"""``--format list``: the graph's packages as NEVRAs, one a line, sorted, as ``dnf
repoquery`` prints them and shell pipelines want them. Providers the solver did not pick
(``--show-alternatives``) are not in the list: they would not be installed."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rpmgraph.depgraph import DepGraph


def iter_list(graph: DepGraph) -> Iterator[str]:
    for node in sorted(n for n, alternative in graph.nodes(data="alternative")
                       if not alternative):
        yield f"{_one_line(node)}\n"


def _one_line(text: str) -> str:
    """A NEVRA from hostile metadata cannot add lines: controls are shown as \\xNN."""
    return "".join(ch if ch.isprintable() else f"\\x{ord(ch):02x}" for ch in text)
