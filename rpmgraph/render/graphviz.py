"""Laying DOT out with Graphviz's ``dot`` into SVG, PNG or PDF."""

from __future__ import annotations

import shutil
import subprocess
import threading

from rpmgraph.errors import RenderError

# Graphviz processes still running (renders run in threads), so an interrupted run can
# stop them instead of waiting for every layout of a batch to finish.
_running: set[subprocess.Popen[bytes]] = set()
_lock = threading.Lock()
_stopped = threading.Event()


def layout(dot_source: str, fmt: str, engine: str = "dot") -> bytes:
    """Run Graphviz; its stderr becomes the error message when it fails."""
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
    try:
        out, err = proc.communicate(dot_source.encode())
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
