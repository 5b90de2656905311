"""benchmarks/bench.py: the commands compared take turns, and the table says how each
turn's ratio came out, not only the ratio of the medians."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from types import ModuleType

import pytest

from tests.conftest import ROOT, load_script


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    return load_script(ROOT / "benchmarks" / "bench.py", "bench_turns")


def _timed(bench: ModuleType, seconds: list[float], order: list[str], name: str,
           ) -> Callable[[], object]:
    """A case's run: the next of ``seconds``, noting that it ran in ``order``."""
    times: Iterator[float] = iter(seconds)

    def once() -> object:
        order.append(name)
        return bench.Run(next(times), 1024)

    return once


def test_cases_take_turns_and_keep_each_turn(bench: ModuleType) -> None:
    order: list[str] = []
    ours, theirs = bench.side_by_side(3, [
        bench.Case("ours", _timed(bench, [1.0, 3.0, 2.0], order, "ours")),
        bench.Case("theirs", _timed(bench, [2.0, 2.0, 4.0], order, "theirs"))])
    assert order == ["ours", "theirs"] * 3
    assert (ours.seconds, theirs.seconds) == (2.0, 2.0)  # medians
    assert ours.turns == (1.0, 3.0, 2.0) and theirs.turns == (2.0, 2.0, 4.0)
    assert bench.turn_ratios(ours, theirs) == (0.5, 1.5, 0.5)


def test_the_table_tells_the_turns_apart_from_the_medians(bench: ModuleType) -> None:
    """A median ratio of exactly 1x met the target; the turns say it did in two of three."""
    ours, theirs = bench.Run(2.0, 1, (1.0, 3.0, 2.0)), bench.Run(2.0, 1, (2.0, 2.0, 4.0))
    row = bench.Row("whole", ours.seconds, theirs.seconds, "dnf", 1.0,
                    turns=bench.turn_ratios(ours, theirs))
    text = bench.table([row])
    assert "| 1.00x | <= 1x met |" in text
    assert "- whole: turn by turn 0.50x-1.50x (median 0.50x), within 1x in 2 of 3 turns" in text


def test_no_turns_without_a_partner(bench: ModuleType) -> None:
    """Measurements that did not take turns (the batch against the warm run) have none."""
    assert bench.turn_ratios(bench.Run(1.0, 1, (1.0, 1.0)), bench.Run(1.0, 1, (1.0,))) == ()
    row = bench.Row("batch", 3.0, 0.3, "warm", 20.0)
    assert "turn by turn" not in bench.table([row])
