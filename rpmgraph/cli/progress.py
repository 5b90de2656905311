"""Progress bars on stderr (tqdm), when it is a terminal and -q was not given."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any, Literal

from rpmgraph.cli.messages import is_quiet

if TYPE_CHECKING:
    from rpmgraph.sources.progress import Progress, ProgressBar

Counting = Literal["bytes", "graphs"]
# How tqdm shows each count: bytes scaled to KiB, MiB, ...; graphs as they are.
_UNITS: dict[Counting, dict[str, Any]] = {
    "bytes": {"unit": "B", "unit_scale": True, "unit_divisor": 1024},
    "graphs": {"unit": " graphs"},
}
_SMALL = 1 << 20  # bytes: a download this small comes and goes too fast for a bar to help


def progress(counting: Counting = "bytes") -> Progress:
    """A factory of bars, each shown once its work has taken half a second; one that
    draws nothing when stderr is not a terminal, or with -q."""
    from rpmgraph.sources.progress import no_progress

    if is_quiet() or not sys.stderr.isatty():
        return no_progress

    def bar(description: str, total: int | None) -> ProgressBar:
        from tqdm import tqdm

        small = counting == "bytes" and total is not None and total < _SMALL
        return tqdm(desc=description, total=total, leave=False, delay=0.5, disable=small,
                    **_UNITS[counting])

    return bar
