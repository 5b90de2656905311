#!/usr/bin/env python3
"""The least a tool built on rpmgraph's parts can take for one root: ``bench.py`` runs
it as a process of its own, taking turns with rpmgraph and dnf, so that each target is
set against what libsolv (and the imports DESIGN.md decided on) take by themselves.

    floor.py cold REPO     libsolv parses primary and filelists (reading the gzip
                           itself), adds the file provides, creates whatprovides
    floor.py warm SOLV     imports click and networkx (every graph command needs both),
                           loads a cached primary.solv, the same two indexing steps

Prints one ``phase seconds`` line per step; the interpreter's start is the rest of the
process's wall time. Nothing is resolved, drawn or written: that is rpmgraph's part.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING
from xml.etree import ElementTree

if TYPE_CHECKING:
    import solv

_REPO_NS = "{http://linux.duke.edu/metadata/repo}"


class Phases:
    def __init__(self) -> None:
        self.last = time.perf_counter()
        self.lines: list[str] = []

    def mark(self, name: str) -> None:
        now = time.perf_counter()
        self.lines.append(f"{name} {now - self.last:.4f}")
        self.last = now


def metadata_files(repo: Path) -> dict[str, Path]:
    """repomd.xml's files by type, read here rather than through rpmgraph.sources.repomd:
    the floor imports nothing of rpmgraph's."""
    root = ElementTree.parse(repo / "repodata" / "repomd.xml").getroot()
    files = {}
    for data in root.iter(f"{_REPO_NS}data"):
        location = data.find(f"{_REPO_NS}location")
        if location is not None:
            files[data.get("type", "")] = repo / location.get("href", "")
    return files


def cold(repo: Path, phases: Phases) -> solv.Pool:
    import solv

    phases.mark("import solv")
    files = metadata_files(repo)
    pool = solv.Pool()
    pool.setarch()
    data = pool.add_repo("r")
    for kind, flags in (("primary", 0), ("filelists", solv.Repo.REPO_EXTEND_SOLVABLES)):
        handle = solv.xfopen(str(files[kind]))
        if not data.add_rpmmd(handle, None, flags):
            sys.exit(f"floor: {files[kind]}: {pool.errstr}")
        handle.close()
        phases.mark(f"parse {kind}")
    return pool


def warm(primary_solv: Path, phases: Phases) -> solv.Pool:
    import click  # noqa: F401
    import networkx  # noqa: F401

    phases.mark("import click, networkx")
    import solv

    phases.mark("import solv")
    pool = solv.Pool()
    pool.setarch()
    handle = solv.xfopen(str(primary_solv))
    if not pool.add_repo("r").add_solv(handle):
        sys.exit(f"floor: {primary_solv}: {pool.errstr}")
    handle.close()
    phases.mark("load primary.solv")
    return pool


def index(pool: solv.Pool, phases: Phases) -> None:
    pool.addfileprovides()
    phases.mark("file provides")
    pool.createwhatprovides()
    phases.mark("whatprovides")


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[0] not in ("cold", "warm"):
        sys.exit("usage: floor.py cold REPO | warm PRIMARY_SOLV")
    phases = Phases()
    load = cold if argv[0] == "cold" else warm
    index(load(Path(argv[1]), phases), phases)
    print("\n".join(phases.lines))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
