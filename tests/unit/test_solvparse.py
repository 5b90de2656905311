"""libsolv's parser called without the GIL (sources/solvparse.py): the same repository as
the bindings' parse, the same refusal of bad XML, and other threads really run while it
parses; the ``meanwhile`` work runs during a cold parse only."""

from __future__ import annotations

import tempfile
import threading
import time
from pathlib import Path

import pytest
import solv

from rpmgraph.sources import solvparse

_PACKAGE = """<package type="rpm"><name>{name}</name><arch>noarch</arch>
<version epoch="0" ver="1" rel="1"/><format><rpm:requires><rpm:entry name="{requires}"/>
</rpm:requires></format></package>
"""


def _primary(*packages: tuple[str, str]) -> bytes:
    body = "".join(_PACKAGE.format(name=n, requires=r) for n, r in packages)
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<metadata xmlns="http://linux.duke.edu/'
            f'metadata/common" xmlns:rpm="http://linux.duke.edu/metadata/rpm" packages='
            f'"{len(packages)}">\n{body}</metadata>\n').encode()


_POOLS: list[solv.Pool] = []  # (a repo is freed with its pool)


def _parse(data: bytes) -> tuple[bool, solv.Repo]:
    pool = solv.Pool()
    _POOLS.append(pool)
    repo = pool.add_repo("r")
    with tempfile.TemporaryFile() as plain:
        plain.write(b"skipped" + data)
        plain.flush()
        plain.seek(len(b"skipped"))  # read from where the file stands
        return solvparse.add_rpmmd(repo, plain.fileno(), None, 0), repo


def _requires(repo: solv.Repo) -> list[tuple[str, list[str]]]:
    return [(str(s), [str(d) for d in s.lookup_deparray(solv.SOLVABLE_REQUIRES)])
            for s in repo.solvables]


needs_native = pytest.mark.skipif(solvparse._native() is None,
                                  reason="this libsolv does not export its parser")


@needs_native
def test_the_parse_gives_what_the_bindings_give(tmp_path: Path) -> None:
    data = _primary(*((f"p{i}", f"(p{i + 1} or q)") for i in range(500)))
    ok, ours = _parse(data)
    path = tmp_path / "primary.xml"
    path.write_bytes(data)
    pool = solv.Pool()
    repo = pool.add_repo("r")
    handle = solv.xfopen(str(path))
    assert repo.add_rpmmd(handle, None, 0)
    handle.close()
    assert ok and ours.nsolvables == repo.nsolvables == 500
    assert _requires(ours) == _requires(repo)


def test_bad_xml_is_refused() -> None:
    ok, repo = _parse(b"<metadata><package>" + b"<<<not xml" * 1000)
    assert not ok and repo.pool.errstr


def test_without_the_native_parser_the_bindings_parse(monkeypatch: pytest.MonkeyPatch
                                                      ) -> None:
    monkeypatch.setattr(solvparse, "_loaded", [None])
    ok, repo = _parse(_primary(("a", "b"), ("b", "(a or c)")))
    assert ok and [s.name for s in repo.solvables] == ["a", "b"]


@needs_native
def test_other_threads_run_while_libsolv_parses() -> None:
    """The ``meanwhile`` work counts while the parse runs: the GIL is not held by it."""
    data = _primary(*((f"p{i}", "q") for i in range(60_000)))
    counts: list[int] = []
    parsing = threading.Event()

    def count() -> None:
        n = 0
        deadline = time.monotonic() + 60
        while parsing.is_set() and time.monotonic() < deadline:
            n += 1
        counts.append(n)

    parsing.set()
    with solvparse.meanwhile(count):
        ok, repo = _parse(data)
        parsing.clear()
    assert ok and repo.nsolvables == 60_000
    assert counts[0] > 1000


@needs_native
def test_work_meanwhile_runs_during_a_cold_parse_only(tmp_path: Path) -> None:
    """``LoadOptions.meanwhile`` runs on a thread of its own while XML is parsed, is
    finished when the pool is returned, and is not started when nothing is parsed."""
    from rpmgraph.pool import LoadOptions, Source, SourceKind, build_pool
    from tests.conftest import SAMPLE_REPOS

    ran: list[str] = []

    def work() -> None:
        time.sleep(0.2)
        ran.append(threading.current_thread().name)

    for _ in range(2):  # cold, then warm
        build_pool([Source(SourceKind.REPO, SAMPLE_REPOS / "essex")], "x86_64", None, None,
                   print, LoadOptions(cachedir=tmp_path, meanwhile=work))
        assert threading.active_count() == 1
    assert ran == ["rpmgraph-meanwhile"]
