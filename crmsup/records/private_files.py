"""Private files: scratch folders made 0700, files created 0600, and atomic publication
(fsync, rename, fsync of the folder) — for backups, restores and the workstation's state.

Plaintext copies of a database live only in a scratch folder made 0700 by `tempfile.mkdtemp`
and removed, whatever happens, when the block that made it ends.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from crmsup.records.errors import ValidationFailed

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


@contextmanager
def scratch_folder(near: Path | None, prefix: str) -> Iterator[Path]:
    """A private folder (0700), beside `near` when given so that a rename out of it stays on
    one file system; removed with everything in it when the block ends."""
    folder = Path(tempfile.mkdtemp(prefix=prefix, dir=near))
    try:
        yield folder
    finally:
        shutil.rmtree(folder)


def create_private(path: Path) -> BinaryIO:
    """Open `path` for writing as a new 0600 file (an earlier leftover is truncated)."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | _NOFOLLOW, 0o600)
    except OSError as exc:
        raise ValidationFailed(f"cannot write {path}: {exc.strerror}") from None
    if os.name == "posix":
        os.fchmod(fd, 0o600)
    return os.fdopen(fd, "wb")


def sync(handle: BinaryIO) -> None:
    handle.flush()
    os.fsync(handle.fileno())


def sync_folder(folder: Path) -> None:
    """Make a rename in `folder` durable (POSIX; elsewhere the rename itself must do)."""
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def publish(partial: Path, target: Path) -> None:
    """Move a complete, fsync'd file to its final name atomically."""
    os.replace(partial, target)
    sync_folder(target.parent)
