"""libsolv's parser fed through a pipe while the metadata is decompressed and checked
(sources/solvparse.py, repomd._RichGuard): the same repository as the bindings' parse,
the same refusals as the whole-file check wherever the stream is cut, and the parse
really runs beside the caller."""

from __future__ import annotations

import io
import tempfile
import threading
import time
from pathlib import Path

import pytest
import solv

from rpmgraph.errors import SourceError
from rpmgraph.sources import solvparse
from rpmgraph.sources.repomd import _check_rich_depth, _RichGuard

_PACKAGE = """<package type="rpm"><name>{name}</name><arch>noarch</arch>
<version epoch="0" ver="1" rel="1"/><format><rpm:requires><rpm:entry name="{requires}"/>
</rpm:requires></format></package>
"""


def _primary(*packages: tuple[str, str]) -> bytes:
    body = "".join(_PACKAGE.format(name=n, requires=r) for n, r in packages)
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<metadata xmlns="http://linux.duke.edu/'
            f'metadata/common" xmlns:rpm="http://linux.duke.edu/metadata/rpm" packages='
            f'"{len(packages)}">\n{body}</metadata>\n').encode()


def _deep(levels: int) -> str:
    return "(" * levels + "a" + " or b)" * levels


def _whole_file_refuses(data: bytes) -> bool:
    with tempfile.TemporaryFile() as plain:
        plain.write(data)
        try:
            _check_rich_depth(plain, "primary.xml")
        except SourceError:
            return True
    return False


def _stream_refuses(data: bytes, piece: int) -> tuple[bool, bytes]:
    """Whether the guard refuses ``data`` written ``piece`` bytes at a time, and what it
    passed on before it did."""
    out = io.BytesIO()
    guard = _RichGuard(out, "primary.xml")
    try:
        for start in range(0, len(data), piece):
            guard.write(data[start:start + piece])
        guard.close()
    except SourceError:
        return True, out.getvalue()
    return False, out.getvalue()


_CASES = {
    "plain": _primary(("a", "b"), ("b", "(a or c)")),
    "rich, within the limit": _primary(("a", _deep(50))),
    "too deep": _primary(("a", "b"), ("b", _deep(2000)), ("c", "d")),
    "too deep, as character references": _primary(
        ("a", "&#40;" * 2000 + "x" + "&#41;" * 2000)),
    "too deep, in single quotes": _primary(("a", "b")).replace(
        b'name="b"', b"name='" + _deep(2000).encode() + b"'"),
    "never closed": _primary(("a", "b")) + b'<rpm:entry name="' + b"(" * 3000,
}


@pytest.mark.parametrize("piece", [1, 2, 3, 7, 64, 4096, 1 << 20])
@pytest.mark.parametrize("case", list(_CASES))
def test_the_stream_check_agrees_with_the_whole_file_check(case: str, piece: int) -> None:
    data = _CASES[case]
    refused, passed = _stream_refuses(data, piece)
    assert refused == _whole_file_refuses(data)
    if refused:  # nothing of the deep value went through
        assert b"(" * 1500 not in passed and b"&#40;" * 1500 not in passed
    else:
        assert passed == data


_POOLS: list[solv.Pool] = []  # (a repo is freed with its pool)


def _parse_fed(data: bytes, piece: int = 1 << 16) -> tuple[bool, solv.Repo]:
    pool = solv.Pool()
    _POOLS.append(pool)
    repo = pool.add_repo("r")

    def feed(out: solvparse.PipeWriter) -> None:
        for start in range(0, len(data), piece):
            out.write(data[start:start + piece])

    return solvparse.parse_fed(repo, None, 0, feed), repo


needs_native = pytest.mark.skipif(not solvparse.available(),
                                  reason="this libsolv does not export its parser")


@needs_native
def test_a_fed_parse_gives_what_the_bindings_give(tmp_path: Path) -> None:
    data = _primary(*((f"p{i}", f"(p{i + 1} or q)") for i in range(500)))
    ok, fed = _parse_fed(data, piece=1000)
    path = tmp_path / "primary.xml"
    path.write_bytes(data)
    pool = solv.Pool()
    repo = pool.add_repo("r")
    handle = solv.xfopen(str(path))
    assert repo.add_rpmmd(handle, None, 0)
    handle.close()
    assert ok and fed.nsolvables == repo.nsolvables == 500
    assert ([(str(s), [str(d) for d in s.lookup_deparray(solv.SOLVABLE_REQUIRES)])
             for s in fed.solvables] ==
            [(str(s), [str(d) for d in s.lookup_deparray(solv.SOLVABLE_REQUIRES)])
             for s in repo.solvables])


@needs_native
def test_bad_xml_is_refused_even_while_more_is_fed() -> None:
    ok, repo = _parse_fed(b"<metadata><package>" + b"<<<not xml" * 200_000)
    assert not ok and repo.pool.errstr


@needs_native
def test_an_error_while_feeding_ends_the_parse_and_is_raised() -> None:
    pool = solv.Pool()
    repo = pool.add_repo("r")

    def feed(out: solvparse.PipeWriter) -> None:
        out.write(_primary(("a", "b"))[:100])
        raise SourceError("the feed failed")

    with pytest.raises(SourceError, match="the feed failed"):
        solvparse.parse_fed(repo, None, 0, feed)
    assert threading.active_count() == 1, "the parse thread has ended"


@needs_native
def test_the_parse_runs_beside_the_caller() -> None:
    """While libsolv parses what is already fed, this thread runs Python code: the GIL
    is not held by the parse."""
    data = _primary(*((f"p{i}", "q") for i in range(60_000)))
    counts: list[int] = []

    def feed(out: solvparse.PipeWriter) -> None:
        out.write(data[:len(data) // 2])
        done = threading.Event()
        n = 0
        def rest() -> None:
            out.write(data[len(data) // 2:])
            done.set()

        writer = threading.Thread(target=rest)
        writer.start()
        deadline = time.monotonic() + 60
        while not done.is_set() and time.monotonic() < deadline:
            n += 1
        writer.join()
        counts.append(n)

    pool = solv.Pool()
    repo = pool.add_repo("r")
    assert solvparse.parse_fed(repo, None, 0, feed)
    assert repo.nsolvables == 60_000
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
