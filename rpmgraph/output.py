"""Writing results: whole files or nothing, and file names that are safe for any package."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import stat
import sys
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from rpmgraph.errors import OutputError

_UNSAFE = re.compile(r"[^A-Za-z0-9._+-]")


def safe_filename(name: str, extension: str) -> str:
    """A file name made from a package name that cannot leave its folder or hide itself."""
    stem = _UNSAFE.sub("_", name).lstrip(".") or "_"
    return f"{stem[:200]}.{extension}"


def write_output(target: str, data: bytes | Iterable[bytes]) -> None:
    """Write ``data`` (bytes, or pieces written as they come) to ``target``: ``-`` is stdout;
    regular files appear whole or not at all, even when making the pieces fails half-way;
    devices and pipes (``/dev/null``, ``>(...)``) are written to directly, never replaced."""
    pieces = [data] if isinstance(data, bytes) else data
    if target == "-":
        _write_pieces(sys.stdout.buffer, pieces)
        sys.stdout.buffer.flush()
        return
    path = Path(target)
    if _is_special(path):
        _write_direct(path, pieces)
    else:
        _write_atomic(path, pieces)


def _write_pieces(out: BinaryIO, pieces: Iterable[bytes]) -> None:
    for piece in pieces:
        out.write(piece)


def _is_special(path: Path) -> bool:
    try:
        return not stat.S_ISREG(path.stat().st_mode) and not path.is_dir()
    except OSError:
        return False


def _write_direct(path: Path, pieces: Iterable[bytes]) -> None:
    try:
        with path.open("wb") as out:
            _write_pieces(out, pieces)
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc.strerror}") from None


def _write_atomic(path: Path, pieces: Iterable[bytes]) -> None:
    folder = path.parent
    if path.is_dir():
        raise OutputError(f"cannot write {path}: it is a folder (use -O for one file per root)")
    if not folder.is_dir():
        raise OutputError(f"cannot write {path}: folder {folder} does not exist")
    tmp_name = ""
    try:
        with _signals_deferred():
            fd, tmp_name = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
        with os.fdopen(fd, "wb") as out:
            _write_pieces(out, pieces)
        Path(tmp_name).chmod(0o666 & ~_umask())
        Path(tmp_name).replace(path)
    except BaseException as exc:  # a full disk, a render error, Ctrl-C or SIGTERM half-way
        if tmp_name:
            Path(tmp_name).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise OutputError(f"cannot write {path}: {exc.strerror}") from None
        raise


@contextlib.contextmanager
def _signals_deferred() -> Iterator[None]:
    """Ctrl-C and SIGTERM wait until the temporary file has a name here: raised inside
    ``mkstemp``, after it made the file, they would leave it behind in the user's folder."""
    deferred = {signal.SIGINT, signal.SIGTERM}
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, deferred)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def prepare_folder(folder: Path) -> None:
    """Create the ``-O`` folder if needed and check that it can be written to."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create output folder {folder}: {exc.strerror}") from None
    if not os.access(folder, os.W_OK | os.X_OK):
        raise OutputError(f"cannot write into output folder {folder}: permission denied")
