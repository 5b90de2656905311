"""Writing results: whole files or nothing, and file names that are safe for any package."""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import secrets
import stat
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import BinaryIO

from rpmgraph.errors import OutputError

_UNSAFE = re.compile(r"[^A-Za-z0-9._+-]")
_MAX_STEM = 200


def safe_filename(name: str, extension: str) -> str:
    """A file name made from a package name that cannot leave its folder or hide itself,
    and that no other name gives: a name used as it is keeps it; one that had to change
    (characters other than ``A-Za-z0-9._+-`` made ``_``, leading dots dropped, cut to 200
    characters) gets ``~`` and 12 hex digits of its sha256 too, and ``~`` is in no name
    that is used as it is."""
    stem = _UNSAFE.sub("_", name).lstrip(".") or "_"
    if stem != name or len(stem) > _MAX_STEM:
        digest = hashlib.sha256(name.encode("utf-8", "surrogatepass")).hexdigest()[:12]
        stem = f"{stem[:_MAX_STEM]}~{digest}"
    return f"{stem}.{extension}"


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
    """A device or a pipe to write into directly: only one that is the user's (or root's),
    reached through no symlink but the user's (or root's). In a shared folder anyone can
    plant ``root.json -> /dev/sdb`` or a FIFO: such a name is replaced by a plain file, by
    rename (which never follows a symlink), as a regular file's is."""
    try:
        target, link = path.stat(), path.lstat()
    except OSError:
        return False
    if stat.S_ISREG(target.st_mode) or stat.S_ISDIR(target.st_mode):
        return False
    trusted = {os.geteuid(), 0}
    return target.st_uid in trusted and link.st_uid in trusted


def _write_direct(path: Path, pieces: Iterable[bytes]) -> None:
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CLOEXEC)  # a device or pipe: never created
        with os.fdopen(fd, "wb") as out:
            _write_pieces(out, pieces)
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc.strerror}") from None


def _write_atomic(path: Path, pieces: Iterable[bytes]) -> None:
    folder = path.parent
    if path.is_dir():
        raise OutputError(f"cannot write {path}: it is a folder (use -O for one file per root)")
    if not folder.is_dir():
        raise OutputError(f"cannot write {path}: folder {folder} does not exist")
    tmp = _TempName(path)
    try:
        fd = tmp.create()
        with os.fdopen(fd, "wb") as out:
            _write_pieces(out, pieces)
        tmp.path.chmod(0o666 & ~_umask())
        tmp.path.replace(path)
    except BaseException as exc:  # a full disk, a render error, Ctrl-C or SIGTERM half-way
        with contextlib.suppress(OSError):  # (a read-only folder refuses even this)
            tmp.path.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise OutputError(f"cannot write {path}: {exc.strerror}") from None
        raise


class _TempName:
    """A temporary file next to ``target``, named before it exists.

    ``tempfile.mkstemp`` makes the file and only then returns its name: a Ctrl-C or
    SIGTERM raised in between (Python raises them wherever the main thread is, whichever
    thread the system handed the signal to) left a file behind that nothing could name.
    Here ``path`` is known first, so the cleanup always finds what was made."""

    def __init__(self, target: Path) -> None:
        self.target = target
        self.path = self._candidate()

    def _candidate(self) -> Path:
        return self.target.with_name(f".{self.target.name}.{secrets.token_hex(6)}.tmp")

    def create(self) -> int:
        """Create ``path`` (a fresh name if another file has it) and open it for writing."""
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC
        while True:
            try:
                return os.open(self.path, flags, 0o600)
            except FileExistsError:
                self.path = self._candidate()


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
