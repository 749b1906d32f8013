"""Making the copy inside a backup file, and checking the file once written.

SQLite: the backup API copies the live database (WAL included) into a private scratch file,
which is encrypted chunk by chunk. PostgreSQL: every table is dumped inside one read-only
REPEATABLE READ snapshot and streamed straight into the file. Either way the written file is
then read back whole: header, every chunk, the payload's length and SHA-256, and for SQLite
`PRAGMA integrity_check` on a decrypted copy, for a dump its row count per table.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Connection, Engine, func, select

from crmsup.records.database import Database
from crmsup.records.models import AuditEntry
from crmsup.records.private_files import create_private, sync
from crmsup.records.upkeep.dump import iter_lines, read_dump, row_counts, write_dump
from crmsup.records.upkeep.sqlite_files import check_sqlite, copy_sqlite, sqlite_engine
from crmsup.security.backup_format import BackupReader, BackupWriter
from crmsup.security.backup_header import Backend, BackupHeader
from crmsup.security.errors import IntegrityFailure


class _Tally:
    """Length and SHA-256 of the chunks that pass through."""

    def __init__(self) -> None:
        self.size = 0
        self._hash = hashlib.sha256()

    def over(self, chunks: Iterable[bytes]) -> Iterator[bytes]:
        for chunk in chunks:
            self.size += len(chunk)
            self._hash.update(chunk)
            yield chunk

    def matches(self, size: int, digest: bytes) -> bool:
        return (self.size, self._hash.digest()) == (size, digest)


@contextmanager
def _snapshot(engine: Engine) -> Iterator[Connection]:
    """One read-only, repeatable-read transaction: every table as of one moment."""
    with engine.connect() as connection:
        if engine.dialect.name == "postgresql":
            connection.execution_options(
                isolation_level="REPEATABLE READ", postgresql_readonly=True
            )
        with connection.begin():
            yield connection


def write_backup(
    db: Database, header: BackupHeader, file_key: bytes, partial: Path, scratch: Path
) -> int:
    """Write the backup to `partial`, re-read and check all of it; return its audit entries."""
    with create_private(partial) as stream:
        writer = BackupWriter(stream, header, file_key)
        counts: dict[str, int] = {}
        if header.backend is Backend.SQLITE:
            copy = scratch / "copy.db"
            copy_sqlite(Path(str(db.engine.url.database)), copy)
            with copy.open("rb") as image:
                while block := image.read(header.chunk_size):
                    writer.write(block)
            copy.unlink()
        else:
            with _snapshot(db.engine) as connection:
                counts = write_dump(connection, header.schema, writer.write)
        size, digest = writer.finish()
        sync(stream)
    return _verify_written(partial, header, file_key, scratch, counts, size, digest)


def _verify_written(
    partial: Path,
    header: BackupHeader,
    file_key: bytes,
    scratch: Path,
    counts: dict[str, int],
    size: int,
    digest: bytes,
) -> int:
    tally = _Tally()
    with partial.open("rb") as stream:
        reader = BackupReader(stream)
        if reader.header != header:
            raise IntegrityFailure("the backup's header did not survive writing")
        chunks = tally.over(reader.chunks(file_key))
        if header.backend is Backend.SQLITE:
            check = scratch / "check.db"
            with create_private(check) as plain:
                for chunk in chunks:
                    plain.write(chunk)
            check_sqlite(check)
            entries = _count_entries(check)
        else:
            found = row_counts(read_dump(iter_lines(chunks), header.schema))
            if found != counts:
                raise IntegrityFailure("the written backup does not hold every row")
            entries = found.get(AuditEntry.__tablename__, 0)
    if not tally.matches(size, digest):
        raise IntegrityFailure("the written backup differs from the copy it was made of")
    return entries


def _count_entries(image: Path) -> int:
    engine = sqlite_engine(image, read_only=True)
    try:
        with engine.connect() as connection:
            return connection.scalar(select(func.count()).select_from(AuditEntry)) or 0
    finally:
        engine.dispose()
