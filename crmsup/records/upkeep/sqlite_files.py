"""Files of a backup or restore: private scratch folders, 0600 files, atomic publication, and
the SQLite copies made with the backup API.

Plaintext copies of a database live only in a scratch folder made 0700 by `tempfile.mkdtemp`
and removed, whatever happens, when the block that made it ends.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import BinaryIO

from sqlalchemy import Engine, NullPool, create_engine

from crmsup.records.errors import ValidationFailed
from crmsup.security.errors import IntegrityFailure

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


def _uri(path: Path, read_only: bool) -> str:
    """An SQLite URI of `path`, percent-encoded (so `?`, `#` or `%` in a folder name are safe)."""
    return path.resolve().as_uri() + ("?mode=ro" if read_only else "")


def _connect(path: Path, read_only: bool = False) -> sqlite3.Connection:
    return sqlite3.connect(_uri(path, read_only), uri=True)


def sqlite_engine(path: Path, *, read_only: bool = False) -> Engine:
    """A plain engine on an existing SQLite file (none of crmsup's pragmas, no pool), to look
    at a copy or a target without changing it."""
    return create_engine("sqlite://", creator=lambda: _connect(path, read_only), poolclass=NullPool)


def copy_sqlite(source: Path, copy: Path) -> None:
    """A consistent copy of a live SQLite database (WAL included) made with the backup API,
    turned into a single self-contained file (rollback journal mode)."""
    create_private(copy).close()
    with (
        closing(_connect(source, read_only=True)) as origin,
        closing(_connect(copy)) as target,
    ):
        origin.backup(target)
        target.execute("PRAGMA journal_mode=DELETE")
        target.commit()
    with copy.open("rb") as handle:
        os.fsync(handle.fileno())


def check_sqlite(path: Path) -> None:
    """`PRAGMA integrity_check` on a database image; IntegrityFailure unless it says ok."""
    try:
        with closing(_connect(path, read_only=True)) as image:
            verdict = image.execute("PRAGMA integrity_check").fetchall()
    except sqlite3.DatabaseError:
        raise IntegrityFailure("the database inside the backup cannot be opened") from None
    if verdict != [("ok",)]:
        raise IntegrityFailure("the database inside the backup fails SQLite's integrity check")


def sidecars(database: Path) -> list[Path]:
    """SQLite's companion files of `database` (WAL, shared memory, rollback journal)."""
    return [database.with_name(database.name + suffix) for suffix in ("-wal", "-shm", "-journal")]
