"""Helpers for the robustness corpus: hostile repositories built from the mini one,
checks that every output format is still valid, and that no partial file is left."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

import networkx as nx

RPMGRAPH = Path(__file__).resolve().parents[2] / ".venv" / "bin" / "rpmgraph"
# ESC, BEL, CSI: what would reach a terminal as a control sequence.
RAW_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\x9b]")


def clone(repo: Path, target: Path) -> Path:
    shutil.copytree(repo, target)
    return target


def rename_package(xml: bytes, old: str, new: str, summary: str | None = None) -> bytes:
    """Give package ``old`` the name ``new`` in primary.xml (and in every provides or
    requires entry naming it), optionally with a new summary."""
    text = xml.decode()
    entities = {"\n": "&#10;", "\t": "&#9;", "\r": "&#13;"}
    text = text.replace(f"<name>{old}</name>", f"<name>{escape(new, entities)}</name>")
    attr = quoteattr(new, entities)
    text = text.replace(f'name="{old}"', f"name={attr}")
    if summary is not None:
        name = re.escape(escape(new, entities))
        text = re.sub(rf"(<name>{name}</name>.*?<summary>)[^<]*(</summary>)",
                      lambda m: m.group(1) + escape(summary) + m.group(2), text, count=1,
                      flags=re.S)
    return text.encode()


def leftovers(folder: Path) -> list[str]:
    """Temporary files an interrupted or failed write could leave behind."""
    return sorted(p.name for p in folder.rglob(".*.tmp"))


def check_output(fmt: str, data: bytes) -> None:
    """The bytes are a complete, valid document of their format."""
    if fmt == "json":
        json.loads(data)
    elif fmt == "graphml":
        nx.parse_graphml(data.decode())
    elif fmt == "svg":
        ET.fromstring(data)
    elif fmt == "dot":
        result = subprocess.run(["dot", "-Tcanon"], input=data, capture_output=True,
                                check=False)
        assert result.returncode == 0, result.stderr.decode()
    elif fmt in ("tree", "txt", "text"):
        assert not RAW_CONTROLS.search(data.decode()), data
    else:
        raise AssertionError(f"no check for {fmt}")
