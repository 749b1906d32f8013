"""Opening a database: engine, schema check, migration on open (SQLite backed up first)."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy import Connection, Engine, select
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from crmsup.records.engine import create_engine_for, safe_url
from crmsup.records.errors import DatabaseUnavailable, SchemaTooNew
from crmsup.records.types import utcnow

MIGRATIONS = Path(__file__).with_name("migrations")


class Database:
    """An open database: the engine and the sessions every service works in."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    @property
    def display_url(self) -> str:
        return safe_url(self.engine.url)

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One unit of work: committed when the block ends, rolled back if it raises."""
        with self._sessions.begin() as session:
            yield session

    def dispose(self) -> None:
        self.engine.dispose()


def alembic_config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None, "crmsup ships at least one migration"  # noqa: S101
    return head


def current_revision(engine: Engine) -> str | None:
    try:
        with engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()
    except OperationalError as exc:
        raise DatabaseUnavailable(
            f"cannot open the database at {safe_url(engine.url)}: {_reason(exc)}"
        ) from None


def _reason(exc: DBAPIError) -> str:
    text = str(exc.orig).strip().splitlines()
    return text[0] if text else type(exc.orig).__name__


def require_known(revision: str | None, what: str = "this database") -> None:
    """SchemaTooNew when `revision` is not one of this crmsup's migrations."""
    if revision is None:
        return
    try:
        known = ScriptDirectory.from_config(alembic_config()).get_revision(revision)
    except CommandError:
        known = None
    if known is None:
        raise SchemaTooNew(
            f"{what} has schema {revision}, written by a newer crmsup than this one; "
            "install the newer crmsup to open it (nothing was changed)"
        )


def backup_sqlite(engine: Engine, label: str) -> Path:
    """Copy the SQLite file beside itself with the backup API (0600), before a migration."""
    source_path = Path(engine.url.database or "")
    stamp = utcnow().strftime("%Y%m%dT%H%M%SZ")
    target = source_path.with_name(f"{source_path.name}.{label}-{stamp}.bak")
    partial = target.with_name(target.name + ".part")
    fd = os.open(partial, os.O_CREAT | os.O_TRUNC | os.O_WRONLY, 0o600)
    os.close(fd)
    with sqlite3.connect(source_path) as source, sqlite3.connect(partial) as copy:
        source.backup(copy)
    copy.close()
    source.close()
    with open(partial, "rb") as handle:
        os.fsync(handle.fileno())
    os.replace(partial, target)
    return target


def migrate(engine: Engine) -> str | None:
    """Bring the schema to head; return the path of the pre-migration backup, if one was made."""
    current = current_revision(engine)
    require_known(current)
    head = head_revision()
    if current == head:
        return None
    backup: str | None = None
    if engine.dialect.name == "sqlite" and current is not None and engine.url.database:
        backup = str(backup_sqlite(engine, f"pre-{head}"))
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), "head")
    _audit_migration(engine, current, head)
    return backup


def _audit_migration(engine: Engine, before: str | None, after: str) -> None:
    """Record a migration of a database that already holds an organisation (unsigned:
    it happens before anyone logs in)."""
    from crmsup.records import audit
    from crmsup.records.models import Organisation

    database = Database(engine)
    with database.transaction() as session:
        if session.scalar(select(Organisation.id).limit(1)) is None:
            return
        audit.append(session, "migration", details={"from": before, "to": after})


def open_database(url: str, *, upgrade: bool = True) -> Database:
    """Open (and by default migrate) the database at `url`."""
    engine = create_engine_for(url)
    try:
        if upgrade:
            migrate(engine)
        else:
            require_known(current_revision(engine))
    except BaseException:
        engine.dispose()
        raise
    return Database(engine)


def clear_residue(db: Database, key_tables: Iterable[str]) -> bool:
    """After a crypto-shredding, remove the superseded copies of the destroyed keys; True when
    nothing stood in the way (else they go at the next checkpoint or vacuum).

    SQLite (`secure_delete` on, so freed pages are zeroed): the WAL is checkpointed and
    truncated, so no older page keeps a wrapped key or a ciphertext. PostgreSQL: each of
    `key_tables` is rewritten (VACUUM FULL), so no dead row version keeps the wrapped key;
    what the server's own WAL and archives keep is its operator's to bound."""
    if db.is_sqlite:
        raw = db.engine.raw_connection()
        try:
            cursor = raw.cursor()
            busy, _log, _done = cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
            cursor.close()
        finally:
            raw.close()
        return int(busy) == 0
    try:
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            quote = connection.dialect.identifier_preparer.quote
            connection.exec_driver_sql("SET lock_timeout = '5s'")
            for table in key_tables:
                connection.exec_driver_sql(f"VACUUM FULL {quote(table)}")
    except DBAPIError:
        return False
    return True
