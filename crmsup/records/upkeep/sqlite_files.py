"""SQLite files of a backup or restore: engines on a file, copies made with SQLite's backup
API (a consistent copy, WAL included), their integrity check, and a database's sidecars.

Plaintext copies live only in a scratch folder (`private_files.scratch_folder`).
"""

from __future__ import annotations

import os
import sqlite3
from contextlib import closing
from pathlib import Path

from sqlalchemy import Engine, NullPool, create_engine

from crmsup.records.private_files import create_private
from crmsup.security.errors import IntegrityFailure


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
