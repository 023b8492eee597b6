"""Stage 4, write: put bytes in place atomically, so a reader never sees half a file.

The new file is written beside the old one, flushed to disk, then renamed over it:
an interrupted or failed build leaves the previous good PDF untouched. A write that
cannot happen (a file where a folder should be, a read-only or virtual file system)
becomes a located error naming what is in the way (cannot_write), never a traceback.
"""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from pathlib import Path
from typing import BinaryIO, Iterator

from .errors import Location, Problem


@contextlib.contextmanager
def atomic_file(path: Path, mode: int = 0o644) -> Iterator[BinaryIO]:
    """A file to write that appears at `path` only once it is complete."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, mode)  # mkstemp makes 0600; handouts are for everyone to read
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise


def write_atomic(path: Path, data: bytes, mode: int = 0o644) -> None:
    with atomic_file(path, mode) as f:
        f.write(data)


def cannot_write(path: Path, exc: OSError, what: str = "") -> Problem:
    """A failed write as a located error at `path`, saying which part of the path is in the
    way: a file where a folder should be, a read-only or virtual file system, a folder with
    no permission to write. `what` names the file for the message ("the PDF")."""
    message, hint = why_not_written(Path(path), exc)
    return Problem(Location(str(path), 0, 0), (), f"cannot write {what or 'this file'}: {message}", hint)


def why_not_written(path: Path, exc: OSError, elsewhere: str = "choose another folder",
                    folder: bool = False) -> tuple[str, str]:
    """(what is in the way, what to do) for a write to the file `path` (or into the folder
    `path`, if `folder`) that failed with `exc`; `elsewhere` is the hint's way of saying
    "write somewhere else" (a command may name its own option)."""
    there = nearest_existing(path if folder else path.parent)
    if there is not None and not there.is_dir():
        if there.is_symlink() and not there.exists():
            return f"{there} is a link to something that is not there", f"{elsewhere}, or remove the link"
        return f"{there} is a file, not a folder", f"{elsewhere}, or move {there} away"
    if not folder and (exc.errno == errno.EISDIR or (path.is_dir() and not path.is_symlink())):
        return f"{path} is a folder", "give a file name, or move the folder away"
    if exc.errno == errno.EROFS:
        return f"{there or path.parent} is on a read-only file system", elsewhere
    if exc.errno in (errno.EACCES, errno.EPERM):
        return f"no permission to write in {there or path.parent}", \
            f"{elsewhere}, or ask for permission to write there"
    if exc.errno == errno.ENOENT and there is not None:
        return f"nothing can be written in {there} (a virtual or system file system?)", \
            "choose a folder among your own files"
    if exc.errno == errno.ENOSPC:
        return "the disk is full", "make room, or choose another folder"
    return exc.strerror or str(exc), elsewhere


def nearest_existing(folder: Path) -> Path | None:
    """The folder itself, or its nearest ancestor that exists (None if none can be seen)."""
    for candidate in (folder, *folder.parents):
        if os.path.lexists(candidate):
            return candidate
    return None
