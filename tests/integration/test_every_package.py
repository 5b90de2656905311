"""Root ``'*'``: the newest build of each name.arch, in NEVRA order, however it is found."""

from __future__ import annotations

from pathlib import Path

import pytest

from rpmgraph.pool import Source, SourceKind, build_pool, newest_per_name_arch
from rpmgraph.resolve import find_roots

SAMPLES = Path(__file__).resolve().parents[2] / "sample_repos"


@pytest.mark.parametrize("releases", [["essex"], ["grizzly", "essex", "folsom"],
                                      ["essex", "essex"]])
def test_star_is_the_newest_of_every_name_arch(releases: list[str]) -> None:
    loaded = build_pool([Source(SourceKind.REPO, SAMPLES / r) for r in releases], "x86_64",
                        None, None, lambda _: None)
    found = [s.id for s in find_roots(loaded, ["*"])]
    every = sorted(loaded.usable)
    expected = [s.id for s in newest_per_name_arch(loaded.pool.id2solvable(i) for i in every)]
    assert found == expected
    names = [str(loaded.pool.id2solvable(i)) for i in found]
    assert names == sorted(names)
    assert len(set(names)) == len(names)  # one build of each, from the first repository
    assert len(found) < len(every) or len(releases) == 1
