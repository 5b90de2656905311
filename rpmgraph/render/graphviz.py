"""Laying DOT out with Graphviz's ``dot`` into SVG, PNG or PDF."""

from __future__ import annotations

import shutil
import subprocess

from rpmgraph.errors import RenderError


def layout(dot_source: str, fmt: str, engine: str = "dot") -> bytes:
    """Run Graphviz; its stderr becomes the error message when it fails."""
    program = shutil.which(engine)
    if program is None:
        raise RenderError(f"Graphviz's {engine} program is not installed; install graphviz, "
                          "or write --format dot or json")
    result = subprocess.run([program, f"-T{fmt}"], input=dot_source.encode(),
                            capture_output=True, check=False)
    if result.returncode != 0:
        message = result.stderr.decode(errors="replace").strip().splitlines()
        raise RenderError(f"Graphviz failed: {message[0] if message else result.returncode}")
    return result.stdout
