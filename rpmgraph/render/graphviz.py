"""Laying DOT out with Graphviz into SVG, PNG or PDF, and choosing an engine that copes.

Graphviz's ``dot`` takes minutes, then hours, on pictures of thousands of nodes.
Before laying out, the size of a graph (nodes plus edges) decides: ``dot`` up to
``DOT_LIMIT``, ``sfdp`` (force-directed, built for large graphs) up to
``SFDP_LIMIT``, and above that a message that says how to make the graph smaller.
An engine the user names (``--layout``) is always used. Every Graphviz process has
a timeout (``RPMGRAPH_LAYOUT_TIMEOUT`` seconds), so nothing hangs silently.
"""

from __future__ import annotations

import os
import shutil
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rpmgraph.errors import RenderError

if TYPE_CHECKING:
    import subprocess

DOT_LIMIT = 2_500  # nodes + edges that dot lays out in seconds
SFDP_LIMIT = 40_000  # beyond this even sfdp takes minutes and the picture is unreadable
DEFAULT_TIMEOUT = 600.0
SMALLER = ("make it smaller with --depth N, --reduce, --stop-at-base or --exclude, "
           "or write --format html, dot or json")


@dataclass(frozen=True, slots=True)
class LayoutChoice:
    engine: str
    reason: str | None  # why the engine differs from the default, for a warning


def choose_engine(nodes: int, edges: int, requested: str | None = None) -> LayoutChoice:
    """The engine for a graph of this size; RenderError when it is too big to draw."""
    if requested is not None:
        return LayoutChoice(requested, None)
    size = nodes + edges
    if size <= DOT_LIMIT:
        return LayoutChoice("dot", None)
    if size <= SFDP_LIMIT:
        return LayoutChoice("sfdp", f"{nodes} packages and {edges} edges are too many for "
                            "Graphviz's dot; laid out with sfdp instead (--layout dot "
                            "forces dot)")
    raise RenderError(f"the graph has {nodes} packages and {edges} edges, too many to lay "
                      f"out as a picture; {SMALLER} (--layout sfdp tries anyway)")


def timeout() -> float | None:
    """Seconds a Graphviz process may run: ``RPMGRAPH_LAYOUT_TIMEOUT``, 0 for no limit."""
    text = os.environ.get("RPMGRAPH_LAYOUT_TIMEOUT", "")
    try:
        value = float(text) if text.strip() else DEFAULT_TIMEOUT
    except ValueError:
        value = DEFAULT_TIMEOUT
    return value if value > 0 else None

# Graphviz processes still running (renders run in threads), so an interrupted run can
# stop them instead of waiting for every layout of a batch to finish.
_running: set[subprocess.Popen[bytes]] = set()
_lock = threading.Lock()
_stopped = threading.Event()


def layout(dot_source: str, fmt: str, engine: str = "dot") -> bytes:
    """Run Graphviz; its stderr becomes the error message when it fails."""
    import subprocess  # pictures only

    program = shutil.which(engine)
    if program is None:
        raise RenderError(f"Graphviz's {engine} program is not installed; install graphviz, "
                          "or write --format dot or json")
    with _lock:
        if _stopped.is_set():
            raise RenderError("Graphviz was stopped")
        try:
            proc = subprocess.Popen([program, f"-T{fmt}"], stdin=subprocess.PIPE,
                                    stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        except OSError as exc:
            raise RenderError(f"cannot run Graphviz's {program}: {exc.strerror}") from None
        _running.add(proc)
    limit = timeout()
    try:
        out, err = proc.communicate(dot_source.encode(), timeout=limit)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        raise RenderError(f"Graphviz's {engine} did not finish within {limit:g} seconds "
                          f"(RPMGRAPH_LAYOUT_TIMEOUT); {SMALLER}, or try --layout "
                          "sfdp") from None
    finally:
        with _lock:
            _running.discard(proc)
    if proc.returncode != 0:
        message = err.decode(errors="replace").strip().splitlines()
        raise RenderError(f"Graphviz failed: {message[0] if message else proc.returncode}")
    return out


def stop_all() -> None:
    """Kill running Graphviz processes and refuse to start new ones (on Ctrl-C, SIGTERM)."""
    with _lock:
        _stopped.set()
        for proc in _running:
            proc.kill()
