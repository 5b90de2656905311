"""primary.xml parsed on two CPUs (rpmgraph/sources/halves.py) gives the repository one
parse gives: the same packages with the same ids and data, the same cache for warm runs,
the same graphs, and the same errors for what one parse refuses.

The repositories are the benchmark's generator's (benchmarks/generate.py), big enough
that the XML comes in several chunks; the size from which a command halves its parse is
set to zero here, and a fork is allowed whatever the machine's CPUs.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import solv

import rpmgraph
from rpmgraph.errors import SourceError
from rpmgraph.sources import halves
from rpmgraph.sources.repomd import LocalStore, load_repomd
from tests.conftest import ROOT, load_script
from tests.support.repomd_edit import replace_file, rewrite

Dump = list[tuple[Any, ...]]
CopyRepo = Callable[[Path], Path]


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    generator = load_script(ROOT / "benchmarks" / "generate.py", "bench_generate")
    out = tmp_path_factory.mktemp("halves") / "repo"
    generator.generate(out, packages=6000, seed=5)
    return out


@pytest.fixture
def halving(monkeypatch: pytest.MonkeyPatch) -> Callable[[bool], None]:
    def choose(on: bool) -> None:
        monkeypatch.setattr(halves, "HALVE_FROM", 0 if on else 1 << 62)
        monkeypatch.setattr(halves, "can_fork", lambda: True)

    return choose


def _dump(repo: solv.Repo) -> Dump:
    """Everything a graph reads of each package, in id order. Each kind of dependency
    as a sorted list: the second half comes through a .solv file, which holds them in
    the order libsolv writes them, as the cache does for every warm run (dnf's too)."""
    out = []
    for s in repo.solvables_iter():
        deps = tuple(tuple(sorted(str(d) for d in s.lookup_deparray(key))) for key in (
            solv.SOLVABLE_PROVIDES, solv.SOLVABLE_REQUIRES, solv.SOLVABLE_RECOMMENDS,
            solv.SOLVABLE_SUPPLEMENTS, solv.SOLVABLE_OBSOLETES, solv.SOLVABLE_CONFLICTS))
        checksum = s.lookup_checksum(solv.SOLVABLE_CHECKSUM)
        files = tuple(d.str for d in s.Dataiterator(solv.SOLVABLE_FILELIST))
        out.append((s.id, str(s), deps, s.lookup_str(solv.SOLVABLE_SUMMARY),
                    s.lookup_location(), checksum.hex() if checksum else None,
                    s.lookup_num(solv.SOLVABLE_INSTALLSIZE),
                    s.lookup_str(solv.SOLVABLE_SOURCENAME), files))
    return out


def _parse(repo_path: Path) -> tuple[Dump, int]:
    pool = solv.Pool()
    pool.setarch("x86_64")
    loaded = load_repomd(pool, LocalStore(repo_path), "r")
    return _dump(loaded.repo), loaded.parsed.parts


def test_halves_read_what_one_parse_reads(generated: Path,
                                          halving: Callable[[bool], None]) -> None:
    halving(False)
    one, parts = _parse(generated)
    assert parts == 1
    halving(True)
    two, parts = _parse(generated)
    assert parts == 2
    assert len(one) >= 6000
    assert two == one


def test_the_cache_of_halves_loads_as_one_parse(generated: Path, tmp_path: Path,
                                                halving: Callable[[bool], None]) -> None:
    """The cold load writes primary's two repodatas as one .solv file, with the file
    provides; the warm load reads it back as one repodata. Cold and warm, halved or not,
    the packages and the graphs are the same."""
    loads = {}
    for halved in (True, False):
        halving(halved)
        cache = tmp_path / f"cache-{halved}"
        loads[halved] = [rpmgraph.load(repos=[generated], cachedir=cache) for _ in "12"]
        assert sorted(p.name for p in cache.rglob("*.solv")) == ["filelists.solv",
                                                                 "primary.solv"]
        assert loads[halved][1]._loaded.repomd[0].parsed.parts == 1  # (warm: no parse)
    assert loads[True][0]._loaded.repomd[0].parsed.parts == 2

    def dump(universe: rpmgraph.Universe) -> Dump:
        return _dump(universe._loaded.repomd[0].repo)

    assert dump(loads[True][0]) == dump(loads[False][0])  # cold
    assert dump(loads[True][1]) == dump(loads[False][1])  # warm
    names = sorted({row[1].rsplit("-", 2)[0] for row in dump(loads[False][0])})
    roots = [name for name in names if name.startswith("openstack-")][:6]
    assert len(roots) == 6
    for root in roots:
        expected = loads[False][0].graph([root]).render("dot")
        for universe in (*loads[True], loads[False][1]):
            assert universe.graph([root]).render("dot") == expected


def _with_primary(copy_repo: CopyRepo, source: Path, edit: Callable[[bytes], bytes]
                  ) -> Path:
    """A copy of ``source`` whose primary.xml is ``edit``ed (repomd.xml made to match)."""
    copy = copy_repo(source)
    rewrite(copy, "primary", edit)
    return copy


def _inside(xml: bytes, half: str) -> int:
    """A place well inside the first or the second half (the cut falls at the first
    package of a chunk once 55 % of the compressed bytes are read)."""
    return len(xml) // 10 if half == "first" else len(xml) * 9 // 10


def _refused_as_one_parse_refuses(repo: Path, halving: Callable[[bool], None]) -> str:
    """The message one parse refuses ``repo`` with, once the halves were refused with
    the same."""
    halving(False)
    with pytest.raises(SourceError) as one:
        _parse(repo)
    halving(True)
    with pytest.raises(SourceError) as halved:
        _parse(repo)
    assert str(halved.value) == str(one.value)
    return str(one.value)


@pytest.mark.parametrize("where", ["first", "second"])
def test_invalid_xml_in_either_half_gets_one_parses_error(
        generated: Path, copy_repo: CopyRepo, halving: Callable[[bool], None],
        where: str) -> None:
    def truncate_a_package(xml: bytes) -> bytes:
        at = xml.index(b"<package ", _inside(xml, where))
        return xml[:at + 200] + xml[at + 260:]

    message = _refused_as_one_parse_refuses(
        _with_primary(copy_repo, generated, truncate_a_package), halving)
    assert "is not valid rpm-md metadata" in message and " at line " in message


@pytest.mark.parametrize("where", ["first", "second"])
def test_a_rich_dependency_too_deep_in_either_half_is_refused(
        generated: Path, copy_repo: CopyRepo, halving: Callable[[bool], None],
        where: str) -> None:
    deep = b'<rpm:entry name="' + b"(a if " * 3000 + b"b" + b")" * 3000 + b'"/>'

    def plant(xml: bytes) -> bytes:
        at = xml.index(b"<rpm:requires>", _inside(xml, where)) + len(b"<rpm:requires>")
        return xml[:at] + deep + xml[at:]

    message = _refused_as_one_parse_refuses(_with_primary(copy_repo, generated, plant),
                                            halving)
    assert "nested more than" in message


def test_a_cut_inside_a_comment_is_read_as_one_parse_reads_it(
        generated: Path, copy_repo: CopyRepo, halving: Callable[[bool], None]) -> None:
    """A comment that holds ``<package`` text and most of the compressed bytes (random
    text compresses worse than packages do): the cut lands in it, the first half is
    unclosed, and the whole document is parsed once instead."""
    noise = random.Random(1)

    def comment(xml: bytes) -> bytes:
        at = xml.index(b"<package ", len(xml) // 2)
        filler = b"".join(b'<package type="rpm"> %032x\n' % noise.getrandbits(128)
                          for _ in range(100_000))
        return xml[:at] + b"<!-- " + filler + b" -->\n" + xml[at:]

    odd = _with_primary(copy_repo, generated, comment)
    halving(False)
    one, parts = _parse(odd)
    assert parts == 1
    halving(True)
    two, parts = _parse(odd)
    assert parts == 1  # (one parse, after the halves)
    assert two == one and len(one) >= 6000


def test_a_document_that_is_not_cut_is_parsed_once_as_it_came(
        generated: Path, copy_repo: CopyRepo, halving: Callable[[bool], None]) -> None:
    """A comment before the root: no copy of that header may start a second document,
    so the child decompresses the whole and this process parses it as one."""
    odd = _with_primary(copy_repo, generated,
                        lambda xml: xml.replace(b"?>", b"?>\n<!-- made elsewhere -->", 1))
    halving(False)
    one, _ = _parse(odd)
    halving(True)
    two, parts = _parse(odd)
    assert parts == 1 and two == one and len(one) >= 6000


def test_a_child_that_dies_leaves_the_parse_to_this_process(
        generated: Path, halving: Callable[[bool], None],
        monkeypatch: pytest.MonkeyPatch) -> None:
    halving(False)
    one, _ = _parse(generated)
    halving(True)
    monkeypatch.setattr(halves, "_second_half",
                        lambda *args: os.kill(os.getpid(), signal.SIGKILL))
    two, parts = _parse(generated)
    assert parts == 1 and two == one


def test_a_command_halves_a_big_primary_and_draws_what_one_parse_draws(
        tmp_path: Path) -> None:
    """Through the command line, as users run it: a repository whose primary.xml.gz is
    past the size from which the parse is halved, cold (halved) and warm (from the cache
    it wrote), against RPMGRAPH_JOBS=1 (one process, one parse)."""
    generator = load_script(ROOT / "benchmarks" / "generate.py", "bench_generate")
    big = tmp_path / "big"
    generator.generate(big, packages=36000, seed=7)
    primary = next((big / "repodata").glob("*primary.xml.gz"))
    assert primary.stat().st_size >= halves.HALVE_FROM

    def draw(name: str, **env: str) -> bytes:
        out = tmp_path / f"{name}.dot"
        subprocess.run([sys.executable, "-m", "rpmgraph", "graph", "--repo", str(big),
                        "openstack-*-api", "-O", str(out), "-f", "dot"], check=True,
                       env={**os.environ, "XDG_CACHE_HOME": str(tmp_path / name), **env},
                       stdin=subprocess.DEVNULL, capture_output=True)
        return b"".join(p.read_bytes() for p in sorted(out.iterdir()))

    serial = draw("serial", RPMGRAPH_JOBS="1")
    assert serial.count(b"digraph") > 20
    assert draw("halved") == serial
    assert draw("halved") == serial  # warm, from the cache the halves wrote


def test_a_truncated_primary_gets_one_parses_error(generated: Path, copy_repo: CopyRepo,
                                                   halving: Callable[[bool], None]) -> None:
    """Cut short after the middle: the child finds it while decompressing, after the
    first half is handed over, and its message is the one one parse gives."""
    copy = copy_repo(generated)
    primary = next((copy / "repodata").glob("*primary.xml.gz"))
    packed = primary.read_bytes()
    replace_file(primary, packed[:len(packed) * 9 // 10])
    assert "is corrupt or truncated" in _refused_as_one_parse_refuses(copy, halving)

