"""Progress reporting for long downloads and loads, without knowing about terminals.

Sources call a ``Progress`` factory; the CLI passes one that draws bars on a terminal
(cli/progress.py) and the default draws nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol


class ProgressBar(Protocol):
    def update(self, n: int, /) -> object: ...

    def close(self) -> None: ...


class _Silent:
    def update(self, n: int, /) -> None:
        pass

    def close(self) -> None:
        pass


Progress = Callable[[str, int | None], ProgressBar]
"""Called with a description and the total (bytes, or None when unknown)."""


def no_progress(description: str, total: int | None) -> ProgressBar:
    return _Silent()
