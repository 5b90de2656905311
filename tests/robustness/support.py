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


def synthetic_repo(folder: Path, packages: dict[str, list[str]],
                   provides: dict[str, list[str]] | None = None) -> Path:
    """An rpm-md repository written directly (no rpmbuild): ``packages`` maps each package
    name to the capabilities it requires (rich dependencies too); each provides its own
    name and what ``provides`` adds. Fast enough for tens of thousands of packages."""
    import gzip
    import hashlib

    rows = []
    for name, requires in packages.items():
        extra = "".join(f'<rpm:entry name={quoteattr(cap)}/>'
                        for cap in (provides or {}).get(name, []))
        needs = "".join(f"<rpm:entry name={quoteattr(cap)}/>" for cap in requires)
        rows.append(
            f'<package type="rpm"><name>{escape(name)}</name><arch>noarch</arch>'
            '<version epoch="0" ver="1.0" rel="1"/><summary>s</summary>'
            f'<location href="{escape(name)}.rpm"/><format>'
            f'<rpm:sourcerpm>{escape(name)}-1.0-1.src.rpm</rpm:sourcerpm>'
            f'<rpm:provides><rpm:entry name={quoteattr(name)} flags="EQ" epoch="0" ver="1.0" '
            f'rel="1"/>{extra}</rpm:provides>'
            + (f"<rpm:requires>{needs}</rpm:requires>" if needs else "")
            + "</format></package>\n")
    xml = ('<?xml version="1.0" encoding="UTF-8"?>\n<metadata xmlns="http://linux.duke.edu/'
           'metadata/common" xmlns:rpm="http://linux.duke.edu/metadata/rpm" '
           f'packages="{len(rows)}">\n' + "".join(rows) + "</metadata>\n").encode()
    packed = gzip.compress(xml, 1)
    repodata = folder / "repodata"
    repodata.mkdir(parents=True)
    digest = hashlib.sha256(packed).hexdigest()
    (repodata / f"{digest}-primary.xml.gz").write_bytes(packed)
    (repodata / "repomd.xml").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<repomd xmlns="http://linux.duke.edu/metadata/'
        'repo"><revision>1</revision><data type="primary">'
        f'<checksum type="sha256">{digest}</checksum>'
        f'<location href="repodata/{digest}-primary.xml.gz"/><size>{len(packed)}</size>'
        f"<open-size>{len(xml)}</open-size></data></repomd>\n")
    return folder
