"""Where a restore writes: a new (or empty) SQLite file, or an empty PostgreSQL database.

A target is *empty* when none of crmsup's tables holds a row (the migrations' own seed, the
audit head at sequence 0, aside). Restoring never overwrites anything else. The whole backup
has been decrypted and checked before `install` runs, and `install` itself is all or nothing:
an SQLite file appears by one atomic rename, a PostgreSQL database changes in one transaction.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from alembic import command
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import (
    Boolean,
    Connection,
    Engine,
    LargeBinary,
    String,
    Uuid,
    column,
    inspect,
    literal,
    select,
    table,
)
from sqlalchemy.exc import DatabaseError, OperationalError

from crmsup.records.database import alembic_config, require_known
from crmsup.records.engine import (
    NETWORK_SHARE_MESSAGE,
    create_engine_for,
    create_postgres_engine,
    is_network_path,
    parse_url,
    safe_url,
)
from crmsup.records.errors import DatabaseUnavailable, PermissionDenied, ValidationFailed
from crmsup.records.private_files import publish
from crmsup.records.schema import METADATA
from crmsup.records.upkeep.dump import load_dump, read_dump
from crmsup.records.upkeep.sqlite_files import check_sqlite, sidecars, sqlite_engine
from crmsup.security.backup_header import Backend, BackupHeader
from crmsup.security.errors import IntegrityFailure
from crmsup.security.permissions import Role

#: Run on the restored rows before they are committed or published; raises to refuse them.
Check = Callable[[Connection], None]

_SEEDED = frozenset({"audit_head"})


def require_empty(connection: Connection, display: str) -> None:
    present = set(inspect(connection).get_table_names())
    # The organisation first: the likelier mistake, and the clearer message.
    names = sorted((t.name for t in METADATA.sorted_tables), key=lambda n: n != "organisation")
    for name in names:
        if name not in present or name in _SEEDED:
            continue
        if connection.scalar(select(literal(1)).select_from(table(name)).limit(1)):
            what = "already holds an organisation" if name == "organisation" else "is not empty"
            raise ValidationFailed(
                f"the database at {display} {what}; a backup is restored only into a new, "
                "empty database (nothing was changed)"
            )


def _move_schema(connection: Connection, revision: str) -> None:
    """Bring an empty schema to exactly `revision`, up or down."""
    current = MigrationContext.configure(connection).get_current_revision()
    require_known(current, "the target database")
    if current == revision:
        return
    config = alembic_config(connection)
    lineage = (
        {r.revision for r in ScriptDirectory.from_config(config).iterate_revisions(current, "base")}
        if current is not None
        else set()
    )
    if revision in lineage:
        command.downgrade(config, revision)
    else:
        command.upgrade(config, revision)


def _load(connection: Connection, payload: Path, header: BackupHeader, tables: list[str]) -> None:
    """Schema at the backup's revision, seeds cleared, every row of the dump inserted."""
    _move_schema(connection, header.schema)
    for name in reversed(tables):
        connection.execute(table(name).delete())
    with payload.open("rb") as lines:
        load_dump(connection, read_dump(lines, header.schema))


def content_check(header: BackupHeader, signer: bytes | None) -> Check:
    """The restored rows must be the header's organisation, and the account whose keys open
    the file an active admin with the same signing key."""

    def check(connection: Connection) -> None:
        organisation = table(
            "organisation", column("id", Uuid()), column("recovery_public", LargeBinary())
        )
        found = connection.execute(select(organisation.c.id, organisation.c.recovery_public)).all()
        wanted = (uuid.UUID(header.organisation_id), header.recovery_public)
        if [(row[0], bytes(row[1])) for row in found] != [wanted]:
            raise IntegrityFailure("the backup's content does not match its header")
        if signer is None:
            return
        users = table(
            "users",
            column("id", Uuid()),
            column("role", String()),
            column("disabled", Boolean()),
            column("signing_public", LargeBinary()),
        )
        admin_id = uuid.UUID(header.admin.user_id)
        if "account_keys" in inspect(connection).get_table_names():
            # From schema 0012 on, an account's key pair has a table of its own.
            keys = table("account_keys", column("user_id", Uuid()), column("signing_public"))
            query = select(users.c.role, users.c.disabled, keys.c.signing_public).join(
                keys, keys.c.user_id == users.c.id
            )
        else:
            query = select(users.c.role, users.c.disabled, users.c.signing_public)
        row = connection.execute(query.where(users.c.id == admin_id)).one_or_none()
        if row is None or bytes(row.signing_public) != signer:
            raise IntegrityFailure("the backup's content does not match its header")
        if row.role != Role.ADMIN.value or row.disabled:
            raise PermissionDenied(
                f"{header.admin.username} is not an active admin in this backup; "
                "only an admin restores a backup"
            )

    return check


class Target(Protocol):
    display: str
    #: Where the scratch folder goes (beside an SQLite target, so the final rename is atomic).
    scratch_near: Path | None

    def prepare(self) -> None: ...

    def require_empty(self) -> None: ...

    def accept(self, backend: Backend) -> None: ...

    def install(
        self, payload: Path, header: BackupHeader, tables: list[str], scratch: Path, check: Check
    ) -> None: ...


class SqliteTarget:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.display = str(path)
        self.scratch_near: Path | None = path.parent

    def prepare(self) -> None:
        if is_network_path(self.path):
            raise DatabaseUnavailable(NETWORK_SHARE_MESSAGE)
        try:
            self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        except OSError as exc:
            raise ValidationFailed(
                f"cannot create the folder {self.path.parent}: {exc.strerror}"
            ) from None

    def require_empty(self) -> None:
        busy = any(s.exists() and s.stat().st_size for s in sidecars(self.path))
        if self.path.exists() and (busy or self.path.stat().st_size):
            engine = sqlite_engine(self.path)
            try:
                with engine.connect() as connection:
                    require_empty(connection, self.display)
            except DatabaseError:
                raise ValidationFailed(
                    f"{self.display} is not a crmsup database; restore into a new file"
                ) from None
            finally:
                engine.dispose()
        # Checked again after the look inside, which (as the last connection) tidies them up.
        if any(s.exists() and s.stat().st_size for s in sidecars(self.path)):
            raise ValidationFailed(
                f"the database at {self.display} is in use or was not closed cleanly; close "
                "every crmsup that has it open (nothing was changed)"
            )

    def accept(self, backend: Backend) -> None:
        """An SQLite file image or a logical dump: both restore into SQLite."""

    def install(
        self, payload: Path, header: BackupHeader, tables: list[str], scratch: Path, check: Check
    ) -> None:
        if header.backend is Backend.SQLITE:
            image = payload
            _check_image(image, header, check)
        else:
            image = scratch / "restored.db"
            engine = create_engine_for(f"sqlite:///{image}")
            try:
                with engine.begin() as connection:
                    _load(connection, payload, header, tables)
                    check(connection)
            finally:
                engine.dispose()
            check_sqlite(image)
        self.require_empty()
        for leftover in sidecars(self.path):
            leftover.unlink(missing_ok=True)  # empty (checked above): a stale one would corrupt
        image.chmod(0o600)
        publish(image, self.path)


def _check_image(image: Path, header: BackupHeader, check: Check) -> None:
    engine = sqlite_engine(image, read_only=True)
    try:
        with engine.connect() as connection:
            revision = MigrationContext.configure(connection).get_current_revision()
            if revision != header.schema:
                raise IntegrityFailure("the backup's content does not match its header")
            check(connection)
    finally:
        engine.dispose()


class PostgresTarget:
    def __init__(self, url: str) -> None:
        self.url = url
        self.display = safe_url(parse_url(url))
        self.scratch_near: Path | None = None

    def _engine(self) -> Engine:
        return create_postgres_engine(parse_url(self.url))

    def prepare(self) -> None:
        """Nothing to create: the database itself must exist."""

    def require_empty(self) -> None:
        engine = self._engine()
        try:
            with engine.connect() as connection:
                require_known(
                    MigrationContext.configure(connection).get_current_revision(),
                    "the target database",
                )
                require_empty(connection, self.display)
        except OperationalError:
            raise DatabaseUnavailable(f"cannot open the database at {self.display}") from None
        finally:
            engine.dispose()

    def accept(self, backend: Backend) -> None:
        if backend is not Backend.LOGICAL:
            raise ValidationFailed(
                "this backup is an SQLite file image; restore it into an SQLite database "
                "(--db sqlite:///PATH)"
            )

    def install(
        self, payload: Path, header: BackupHeader, tables: list[str], scratch: Path, check: Check
    ) -> None:
        engine = self._engine()
        try:
            with engine.begin() as connection:
                require_empty(connection, self.display)
                _load(connection, payload, header, tables)
                check(connection)
        finally:
            engine.dispose()


def target_for(url: str) -> SqliteTarget | PostgresTarget:
    parsed = parse_url(url)
    if parsed.get_backend_name() == "postgresql":
        return PostgresTarget(url)
    database = parsed.database or ""
    if not database or database == ":memory:" or database.startswith("file:"):
        raise ValidationFailed("a backup is restored into a database file: sqlite:///PATH")
    return SqliteTarget(Path(database).expanduser().resolve())
