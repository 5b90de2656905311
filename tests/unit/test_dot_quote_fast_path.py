"""DOT quoting takes a shortcut for plain strings; it must give the very same bytes."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from rpmgraph.render.dot import _PIECE_BYTES, MAX_LABEL_LINE, _cut, _escape, _join, _label, quote


def _slow_label(*lines: str) -> str:
    escaped: list[str] = []
    for i, line in enumerate(_cut(line, MAX_LABEL_LINE) for line in lines):
        escaped += ["\\n"] if i else []
        escaped += _escape(line)
    return _join(escaped)


_TEXT = st.text(alphabet=st.sampled_from(['a', 'é', '😀', '"', "\\", "\n", "\x01", " ", "-"]),
                max_size=40) | st.text(max_size=40)
_EDGES = ["", "x" * (_PIECE_BYTES // 4), "x" * (_PIECE_BYTES // 4 + 1), "é" * _PIECE_BYTES,
          "😀" * (_PIECE_BYTES // 4), "a" * _PIECE_BYTES, "a" * (_PIECE_BYTES + 1)]


@given(_TEXT)
def test_quote_same_as_character_by_character(text: str) -> None:
    assert quote(text) == _join(_escape(text))


@given(st.lists(_TEXT, max_size=5))
def test_label_same_as_character_by_character(lines: list[str]) -> None:
    assert _label(*lines) == _slow_label(*lines)


def test_lengths_around_the_piece_limit() -> None:
    for text in _EDGES:
        assert quote(text) == _join(_escape(text))
        assert _label(text, text[:10]) == _slow_label(text, text[:10])
        assert _label(text[: len(text) // 2], text) == _slow_label(text[: len(text) // 2], text)
