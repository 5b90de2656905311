"""Hostile input, round two (issue 17): what is written into an output folder that others
can write to, and file names that package names would make the same."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

from tests.conftest import Run
from tests.robustness.support import leftovers, rename_package
from tests.support.repomd_edit import rewrite

CopyRepo = Callable[[Path], Path]
NOBODY = 65534


# ---------------------------------------------------------------- 4. planted symlinks


def _plant(link: Path, target: Path) -> None:
    """A symlink made by another user (as in a shared, sticky output folder)."""
    link.symlink_to(target)
    os.lchown(link, NOBODY, NOBODY)


def _stolen_by(link: Path, *args: str | Path, run: Run, tmp_path: Path) -> bytes:
    """Plant ``link`` -> a FIFO someone else reads, run the command (which must succeed),
    and return what reached the FIFO."""
    fifo = tmp_path / "victim.fifo"
    os.mkfifo(fifo)
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)  # so that a writer would not block
    _plant(link, fifo)
    try:
        result = run(*args)
        assert result.exit_code == 0, result.stderr
        try:
            return os.read(reader, 1 << 16)
        except BlockingIOError:
            return b""
    finally:
        os.close(reader)


def test_planted_symlink_to_a_fifo_in_the_output_folder(run: Run, mini_repo: Path,
                                                        tmp_path: Path) -> None:
    """``lonely.json -> FIFO`` planted by someone else: the FIFO gets nothing, the name
    becomes the user's own plain file."""
    out = tmp_path / "out"
    out.mkdir()
    stolen = _stolen_by(out / "lonely.json", "graph", "--repo", mini_repo, "lonely", "-O",
                        out, "-f", "json", run=run, tmp_path=tmp_path)
    assert stolen == b""
    written = out / "lonely.json"
    assert not written.is_symlink() and written.is_file()
    assert json.loads(written.read_bytes())["nodes"]
    assert leftovers(out) == []


def test_planted_symlink_as_the_o_target_is_replaced(run: Run, mini_repo: Path,
                                                     tmp_path: Path) -> None:
    target = tmp_path / "shared" / "graph.dot"
    target.parent.mkdir()
    stolen = _stolen_by(target, "graph", "--repo", mini_repo, "lonely", "-o", target,
                        run=run, tmp_path=tmp_path)
    assert stolen == b""
    assert not target.is_symlink() and target.read_bytes().startswith(b"digraph")


def test_the_users_own_devices_and_pipes_are_still_written(run: Run, mini_repo: Path,
                                                           tmp_path: Path) -> None:
    """``-o /dev/null`` and a FIFO of the user's making (``-o >(...)``) are written into."""
    assert run("graph", "--repo", mini_repo, "lonely", "-o", "/dev/null").exit_code == 0
    fifo = tmp_path / "mine.fifo"
    os.mkfifo(fifo)
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    try:
        result = run("graph", "--repo", mini_repo, "lonely", "-o", fifo, "-f", "json")
        assert result.exit_code == 0, result.stderr
        assert json.loads(os.read(reader, 1 << 16))["nodes"]
    finally:
        os.close(reader)


# ---------------------------------------------------------------- 11. name collisions


def test_colliding_file_names_are_made_unique(run: Run, mini_repo: Path, copy_repo: CopyRepo,
                                              tmp_path: Path) -> None:
    """Six roots whose names give the same file name in pairs: six files, each holding its
    own root; a name used as it is keeps its file name."""
    long = "p" * 250
    renames = {"lonely": "foo bar", "docs": "foo_bar", "extras": ".hid", "users": "hid",
               "tool": long + "a", "engine": long + "b"}
    repo = copy_repo(mini_repo)

    def rename_all(xml: bytes) -> bytes:
        for old, new in renames.items():
            xml = rename_package(xml, old, new)
        return xml

    rewrite(repo, "primary", rename_all)
    out = tmp_path / "out"
    result = run("graph", "--repo", repo, *renames.values(), "-O", out, "-f", "json")
    assert result.exit_code == 0, result.stderr
    files = sorted(out.iterdir())
    assert len(files) == 6, [f.name for f in files]
    roots = set()
    for path in files:
        doc = json.loads(path.read_bytes())
        names = {n["id"]: n["name"] for n in doc["nodes"]}
        roots |= {names[root] for root in doc["roots"]}
        assert len(path.name) < 255
    assert roots == set(renames.values())
    assert (out / "foo_bar.json").is_file() and (out / "hid.json").is_file()


# ---------------------------------------------------------------- 7. Graphviz escapes


def _titles(svg: bytes) -> list[str]:
    import xml.etree.ElementTree as ET

    link = "{http://www.w3.org/1999/xlink}title"
    return [e.get(link, "") for e in ET.fromstring(svg).iter() if e.get(link) is not None]


def test_graphviz_escapes_in_names_do_not_expand(run: Run, mini_repo: Path,
                                                 copy_repo: CopyRepo, tmp_path: Path) -> None:
    """``\\N``, ``\\G``, ``\\L``, ``\\E`` in a package name reach the SVG's tooltips as
    text: no tooltip is spoofed with another object's name, and an 8 KB name gives an
    SVG of kilobytes, not tens of megabytes."""
    evil = "\\N\\G\\L\\E\\T\\H" * 700  # 8.4 KB
    repo = copy_repo(mini_repo)
    rewrite(repo, "primary", lambda x: rename_package(x, "lonely", evil))
    out = tmp_path / "cond.svg"
    result = run("graph", "--repo", repo, "cond", "-o", out)
    assert result.exit_code == 0, result.stderr
    svg = out.read_bytes()
    assert len(svg) < 200_000, len(svg)
    titles = _titles(svg)
    assert titles
    for title in titles:
        assert len(title) <= 8 * 1024 + 64
        assert "cond-1.0-1.noarch" not in title or title.count("cond-1.0-1.noarch") == 1
    tips = [t for t in titles if t.startswith("\\N\\G")]
    assert tips, titles
    assert all("rpmgraph" not in t for t in tips)  # \G: the graph's name, never expanded


def test_labels_and_tooltips_are_capped(run: Run, mini_repo: Path, copy_repo: CopyRepo,
                                        tmp_path: Path) -> None:
    huge = "y" * 65536
    repo = copy_repo(mini_repo)
    rewrite(repo, "primary", lambda x: rename_package(x, "lonely", huge, summary="s" * 65536))
    out = tmp_path / "cond.svg"
    result = run("graph", "--repo", repo, "cond", "-o", out)
    assert result.exit_code == 0, result.stderr
    import xml.etree.ElementTree as ET

    texts = [e.text or "" for e in ET.fromstring(out.read_bytes()).iter()
             if e.tag.endswith("}text")]
    assert max(map(len, texts)) <= 256
    assert max(map(len, _titles(out.read_bytes()))) <= 8 * 1024 + 64
