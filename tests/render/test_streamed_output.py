"""Outputs are written in pieces while they are made: the bytes must be those of the whole
text at once, and a rendering that fails half-way must leave no file behind."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rpmgraph import render
from rpmgraph.errors import RenderError
from rpmgraph.render import FORMATS, RenderOptions, encoded
from rpmgraph.render.dot import iter_dot, to_dot
from rpmgraph.render.style import Style
from rpmgraph.safefiles import write_output
from tests.render.graphs import evil, hostile, layered


@given(st.lists(st.text(max_size=20), max_size=30))
def test_encoded_pieces_are_the_whole_text(pieces: list[str]) -> None:
    assert b"".join(encoded(pieces)) == "".join(pieces).encode()


def test_big_text_comes_in_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(render, "_CHUNK", 4096)
    graph = layered(300)
    chunks = list(FORMATS["dot"].pieces(graph))
    assert len(chunks) > 10
    assert b"".join(chunks) == to_dot(graph).encode()


@pytest.mark.parametrize("style", [Style(), Style(cluster="srpm", sizes=True),
                                   Style(cluster="repo", legend=False)])
def test_dot_pieces_join_to_the_whole_text(style: Style) -> None:
    for graph in (layered(200), evil(), hostile("a:b", 'q"\\\n'), layered(0)):
        pieces = list(iter_dot(graph, style))
        assert len(pieces) > 1
        joined = b"".join(FORMATS["dot"].pieces(graph, RenderOptions(style)))
        assert joined == "".join(pieces).encode()


def test_streamed_file_equals_the_unstreamed_bytes(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(render, "_CHUNK", 1000)
    graph = layered(500)
    for fmt in ("dot", "json", "graphml", "tree"):
        target = tmp_path / f"g.{fmt}"
        write_output(str(target), FORMATS[fmt].pieces(graph))
        assert target.read_bytes() == FORMATS[fmt].render(graph)
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "g.dot", "g.graphml", "g.json", "g.tree"]


def _failing(written: list[bytes]) -> Iterator[bytes]:
    for piece in (b"first piece\n", b"second piece\n"):
        written.append(piece)
        yield piece
    raise RenderError("failed half-way")


def test_a_rendering_that_fails_half_way_leaves_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "g.dot"
    target.write_bytes(b"the old graph\n")
    written: list[bytes] = []
    with pytest.raises(RenderError, match="failed half-way"):
        write_output(str(target), _failing(written))
    assert len(written) == 2  # the pieces did go to the temporary file
    assert target.read_bytes() == b"the old graph\n"
    assert [p.name for p in tmp_path.iterdir()] == ["g.dot"]


def test_pieces_go_to_stdout_in_order(capfdbinary: pytest.CaptureFixture[bytes]) -> None:
    write_output("-", iter([b"a", b"b", b"c"]))
    assert capfdbinary.readouterr().out == b"abc"


@pytest.mark.parametrize("name", ["plain", "a\rb", "a\r", "\x0b", "é\u2028", "x\r\n"])
def test_graphml_pieces_cut_anywhere_between_lines(name: str,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from rpmgraph.render import graphml

    for graph in (hostile(name, name), layered(30), evil()):
        graph.graph["sources"].append(name)
        whole = graphml.to_graphml(graph)
        monkeypatch.setattr(graphml, "_BATCH_LINES", 1)
        pieces = list(graphml.iter_graphml(graph))
        monkeypatch.undo()
        assert len(pieces) > 3
        assert "".join(pieces) == whole
