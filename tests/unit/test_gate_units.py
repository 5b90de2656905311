"""Sizes in words, escaping for terminal, Markdown and XML, and review-friendly JSON."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest

from rpmgraph.checks.escape import md, md_code, term, xml_text
from rpmgraph.checks.jsontext import review_json
from rpmgraph.checks.units import format_size, parse_size


@pytest.mark.parametrize(("text", "size"), [
    ("250 MiB", 250 * 1024 * 1024),
    ("1.5 GB", 1_500_000_000),
    ("1048576", 1_048_576),
    (1048576, 1_048_576),
    ("10kB", 10_000),
    ("10 KiB", 10_240),
    ("2 mib", 2 * 1024 * 1024),
    ("1.5 M", 1_572_864),  # dnf's "Total size: 1.5 M" is binary
    ("512 B", 512),
    ("  3 TiB ", 3 * 1024**4),
    ("0", 0),
])
def test_parse_size(text: str | int, size: int) -> None:
    assert parse_size(text) == size


@pytest.mark.parametrize("text", ["", "MiB", "250 MiBs", "1,5 GB", "-1 MB", "ten", "1 PB"])
def test_parse_size_rejects(text: str) -> None:
    with pytest.raises(ValueError, match=r"cannot read .* as a size"):
        parse_size(text)


@pytest.mark.parametrize("value", [-1, True])
def test_parse_size_rejects_odd_numbers(value: int) -> None:
    with pytest.raises(ValueError, match=r"negative|is not a size"):
        parse_size(value)


@pytest.mark.parametrize(("size", "text"), [
    (0, "0 B"), (1023, "1023 B"), (1024, "1.0 KiB"), (1536, "1.5 KiB"),
    (250 * 1024 * 1024, "250.0 MiB"), (5 * 1024**4, "5.0 TiB"), (-2048, "-2.0 KiB"),
])
def test_format_size(size: int, text: str) -> None:
    assert format_size(size) == text


def test_format_size_signed() -> None:
    assert (format_size(0, signed=True), format_size(3072, signed=True),
            format_size(-3072, signed=True)) == ("+0 B", "+3.0 KiB", "-3.0 KiB")


def test_escaping() -> None:
    assert term("a\x1b[31mb\n") == "a\\x1b[31mb\\x0a"
    assert md("a|b*c_d<e>") == "a\\|b\\*c\\_d\\<e\\>"
    assert md_code("x|y") == "`x\\|y`"
    assert md_code("x`y") == "`` x`y ``"
    element = ET.Element("case", name=xml_text("t\x01<&\""))
    element.text = xml_text("u\x02")
    parsed = ET.fromstring(ET.tostring(element))  # the text is well-formed XML again
    assert (parsed.get("name"), parsed.text) == ('t\\x01<&"', "u\\x02")


def test_review_json_puts_each_record_on_one_line() -> None:
    doc = {"roots": {"b": {"closure": [{"id": "x", "size": 1}, {"id": "y", "size": 2}]},
                     "a": {"closure": []}}}
    text = review_json(doc)
    assert json.loads(text) == doc
    assert '        {"id": "x", "size": 1},\n' in text
    assert '        {"id": "y", "size": 2}\n' in text
    assert text.endswith("}\n")
