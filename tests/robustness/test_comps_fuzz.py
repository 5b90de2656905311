"""Fuzzing the comps parser: any bytes, and any comps-shaped document, give a Comps or
a one-line SourceError, never another exception; what parses round-trips its ids."""

from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rpmgraph.errors import RootError, SourceError
from rpmgraph.sources.comps import Comps, parse_comps

SETTINGS = settings(max_examples=150, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])

_TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=12)
_TYPE = st.sampled_from(["mandatory", "default", "optional", "conditional", "bogus", None])


@st.composite
def packagereqs(draw: st.DrawFn) -> str:
    kind = draw(_TYPE)
    attrs = f" type={quoteattr(kind)}" if kind else ""
    if draw(st.booleans()):
        attrs += f" requires={quoteattr(draw(_TEXT))}"
    return f"<packagereq{attrs}>{escape(draw(_TEXT))}</packagereq>"


@st.composite
def documents(draw: st.DrawFn) -> str:
    items = []
    for _ in range(draw(st.integers(0, 4))):
        reqs = "".join(draw(st.lists(packagereqs(), max_size=4)))
        items.append(f"<group><id>{escape(draw(_TEXT))}</id><name>{escape(draw(_TEXT))}"
                     f"</name><packagelist>{reqs}</packagelist></group>")
    for _ in range(draw(st.integers(0, 2))):
        groups = "".join(f"<groupid>{escape(draw(_TEXT))}</groupid>"
                         for _ in range(draw(st.integers(0, 3))))
        items.append(f"<environment><id>{escape(draw(_TEXT))}</id>"
                     f"<grouplist>{groups}</grouplist></environment>")
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<comps>{"".join(items)}</comps>'


def _parse(data: bytes) -> Comps | None:
    try:
        return parse_comps(data, "fuzz")
    except SourceError as exc:
        assert "\n" not in str(exc)
        return None


@SETTINGS
@given(st.binary(max_size=300))
def test_any_bytes(data: bytes) -> None:
    _parse(data)


@SETTINGS
@given(documents(), st.data())
def test_comps_shaped_documents(text: str, data: st.DataObject) -> None:
    comps = _parse(text.encode("utf-8", "surrogatepass"))
    if comps is None:
        return
    ids = [g.id for g in comps.groups]
    assert ids == sorted(set(ids))
    for group in comps.groups:
        assert group.id and all(p.name for p in group.packages)
        try:  # every group can be selected by its id, and selecting is one-line too
            selection = comps.select("@" + group.id, data.draw(st.booleans()))
        except RootError as exc:
            assert "\n" not in str(exc)
        else:
            assert all(name for name in selection.names)
