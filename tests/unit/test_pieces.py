"""Small pure pieces: NEVRA formatting, kinds, rich dependency splitting, escaping, names."""

from __future__ import annotations

import subprocess
import xml.etree.ElementTree as ET

import pytest

from rpmgraph.model import Kind, format_nevra
from rpmgraph.pool import split_evr
from rpmgraph.render.dot import quote
from rpmgraph.richdeps import split_rich
from rpmgraph.safefiles import safe_filename


def test_nevra_writes_epoch_only_when_nonzero() -> None:
    assert format_nevra("a", 0, "1.0", "1.fc17", "noarch") == "a-1.0-1.fc17.noarch"
    assert format_nevra("qemu-kvm", 2, "1.0", "17.fc17", "x86_64") == (
        "qemu-kvm-2:1.0-17.fc17.x86_64")


@pytest.mark.parametrize(("evr", "parts"), [
    ("1.0-1", (0, "1.0", "1")),
    ("2:1.0-17.fc17", (2, "1.0", "17.fc17")),
    ("1.0", (0, "1.0", "")),
])
def test_split_evr(evr: str, parts: tuple[int, str, str]) -> None:
    assert split_evr(evr) == parts


def test_kind_list_requires_includes_prerequires() -> None:
    assert Kind.parse_list("requires, recommends") == {
        Kind.REQUIRES, Kind.PREREQUIRES, Kind.RECOMMENDS}
    with pytest.raises(ValueError, match="unknown dependency kind 'nope'"):
        Kind.parse_list("requires,nope")


@pytest.mark.parametrize(("cap", "expected"), [
    ("python-nova", None),
    ("a >= 1.0", None),
    ("(a if b)", (["a", "b"], ["if"])),
    ("(a >= 1 or b)", (["a >= 1", "b"], ["or"])),
    ("((a or b) if c else d)", (["(a or b)", "c", "d"], ["if", "else"])),
    ("(a with (b without c))", (["a", "(b without c)"], ["with"])),
])
def test_split_rich(cap: str, expected: tuple[list[str], list[str]] | None) -> None:
    assert split_rich(cap) == expected


HOSTILE = ['quote " here', "back\\slash", "new\nline", "<script>alert(1)</script>",
           "node", "tab\tand\x1b[31mescape", "../../etc/passwd", "$(rm -rf /)"]


@pytest.mark.parametrize("text", HOSTILE)
def test_dot_quote_round_trips_through_graphviz(text: str) -> None:
    """Graphviz must draw a node named ``text`` as one node showing exactly that text
    (control characters as visible ``\\xNN``)."""
    dot = f"digraph g {{ {quote(text)} [label={quote(text)}]; }}"
    svg = subprocess.run(["dot", "-Tsvg"], input=dot.encode(), capture_output=True,
                         check=True).stdout
    ns = {"svg": "http://www.w3.org/2000/svg"}
    nodes = ET.fromstring(svg).findall(".//svg:g[@class='node']", ns)
    assert len(nodes) == 1
    visible = "".join(ch if ch.isprintable() else f"\\x{ord(ch):02x}" for ch in text)
    assert nodes[0].findtext("svg:text", namespaces=ns) == visible


@pytest.mark.parametrize(("name", "expected"), [
    ("openstack-nova", "openstack-nova.svg"),
    ("../../etc/passwd", "_.._etc_passwd~3754d6cb3a38.svg"),
    ("..", "_~5ec1f7e700f3.svg"),
    ("a/b c;$(x)", "a_b_c___x_~6f70e7558ebe.svg"),
])
def test_safe_filename(name: str, expected: str) -> None:
    assert safe_filename(name, "svg") == expected
