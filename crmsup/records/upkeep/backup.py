"""Backup and restore of a whole database, encrypted and authenticated as one file
(`crmsup.security.backup_format`).

`backup` copies an SQLite database with its backup API, or dumps every table of a PostgreSQL
one inside a single snapshot; writes the file beside its destination as `.part`; re-reads and
checks all of it; and only then renames it into place. `restore` decrypts and checks the whole
file before anything is written, and writes only into an empty database (`restore_target`).
Both are in the audit trail: the backup's own entry is inside the copy it describes.
"""

from __future__ import annotations

import uuid
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from crmsup.records import audit, validation
from crmsup.records.actor import Actor
from crmsup.records.audit_trail import service as audit_service
from crmsup.records.database import Database, current_revision, open_database, require_known
from crmsup.records.errors import AuthenticationFailed, ValidationFailed
from crmsup.records.models import AccountKeys, Organisation, User
from crmsup.records.people.accounts import kdf_params_of
from crmsup.records.private_files import create_private, publish, scratch_folder
from crmsup.records.scope import require
from crmsup.records.types import utcnow
from crmsup.records.upkeep.backup_copy import write_backup
from crmsup.records.upkeep.dump import read_dump, row_counts
from crmsup.records.upkeep.restore_target import content_check, target_for
from crmsup.records.upkeep.sqlite_files import check_sqlite
from crmsup.security.audit_chain import Detail
from crmsup.security.backup_format import BackupReader
from crmsup.security.backup_header import (
    AdminCopy,
    Backend,
    BackupHeader,
    make_header,
    new_file_key,
)
from crmsup.security.errors import IntegrityFailure, WrongPassword
from crmsup.security.permissions import Action, Role
from crmsup.security.recovery import MalformedRecoverySheet, read_recovery_sheet


@dataclass(frozen=True, slots=True)
class BackupResult:
    file: Path
    bytes: int
    backend: str
    schema: str
    #: Audit entries inside the copy (the backup's own entry included).
    entries: int
    file_id: str


@dataclass(frozen=True, slots=True)
class RestoreResult:
    database: str
    organisation: str
    backend: str
    #: The backup's schema, and the schema now (they differ when the restore migrated).
    backup_schema: str
    schema: str
    entries: int
    audit_ok: bool
    audit_problem: str | None
    opened_with: str
    file_id: str


def _output_path(path: Path) -> Path:
    path = path.expanduser().absolute()
    if path.exists() or path.is_symlink():
        raise ValidationFailed(f"{path} already exists; choose a new file for the backup")
    if not path.parent.is_dir():
        raise ValidationFailed(f"the folder {path.parent} does not exist")
    return path


def backup(db: Database, actor: Actor, out_path: Path | str) -> BackupResult:
    """Write an encrypted, verified copy of the whole database to `out_path` (a new file).

    Only an admin may; the caller asks for their password again first (`reauthenticate`)."""
    with audit.denials_recorded(db, actor, "backup", "organisation"):
        require(actor, Action.BACKUP)
    exchange = actor.keys.exchange  # refuses a locked session
    out = _output_path(Path(out_path))
    schema = current_revision(db.engine) or ""
    backend = Backend.SQLITE if db.is_sqlite else Backend.LOGICAL
    file_key = new_file_key()
    with db.transaction() as session:
        organisation = session.scalars(select(Organisation)).one_or_none()
        if organisation is None:
            raise ValidationFailed("this database holds no organisation yet: nothing to back up")
        user = session.get_one(User, actor.user_id)
        own = session.get_one(AccountKeys, actor.user_id)
        header = make_header(
            file_key,
            organisation_id=str(organisation.id),
            backend=backend,
            schema=schema,
            created_at=audit.iso(utcnow()),
            admin=AdminCopy(
                str(user.id),
                user.username,
                kdf_params_of(own),
                own.kdf_salt,
                own.sealed_private,
                own.exchange_public,
            ),
            recovery_public=organisation.recovery_public,
        )
        if header.open_with_keys(exchange) != file_key:
            raise IntegrityFailure("the file key does not open with your own key")
        organisation_id = organisation.id
        details: dict[str, Detail] = {
            "file": header.file_id.hex(),
            "backend": backend.value,
            "schema": schema,
        }
        audit.append(
            session,
            "backup",
            actor=actor,
            entity_type="organisation",
            entity_id=organisation_id,
            details=details,
        )
    partial = out.with_name(out.name + ".part")
    # An SQLite copy is made beside the database; a dump is checked as it streams back.
    near = Path(str(db.engine.url.database)).parent if backend is Backend.SQLITE else None
    try:
        with scratch_folder(near, ".crmsup-backup-") as scratch:
            entries = write_backup(db, header, file_key, partial, scratch)
        publish(partial, out)
    except BaseException as exc:
        partial.unlink(missing_ok=True)
        if isinstance(exc, Exception):
            # Best effort: the error itself matters more than its record.
            with suppress(Exception), db.transaction() as session:
                audit.append(
                    session,
                    "backup",
                    actor=actor,
                    entity_type="organisation",
                    entity_id=organisation_id,
                    outcome="failed",
                    details={**details, "reason": type(exc).__name__},
                )
        raise
    return BackupResult(
        out, out.stat().st_size, backend.value, schema, entries, header.file_id.hex()
    )


@dataclass(frozen=True, slots=True)
class _Opened:
    file_key: bytes
    actor: Actor | None
    opened_with: str


def _open(
    header: BackupHeader, username: str | None, password: str | None, sheet: str | None
) -> _Opened:
    if sheet is not None:
        try:
            recovery = read_recovery_sheet(sheet)
        except MalformedRecoverySheet as exc:
            raise ValidationFailed(str(exc)) from None
        return _Opened(header.open_with_recovery(recovery), None, "recovery key")
    name = validation.username(username or "")
    if name != header.admin.username:
        raise AuthenticationFailed(
            f"this backup opens with the password of {header.admin.username}, the admin who "
            "made it, or with the organisation recovery key"
        )
    try:
        keys = header.admin.open(password or "")
    except WrongPassword:
        raise AuthenticationFailed(f"the password of {name} does not open this backup") from None
    actor = Actor(uuid.UUID(header.admin.user_id), name, Role.ADMIN, None, keys)
    return _Opened(header.open_with_keys(keys.exchange), actor, f"password of {name}")


def restore(
    target_url: str,
    in_path: Path | str,
    *,
    username: str | None = None,
    password: str | None = None,
    recovery_sheet_text: str | None = None,
) -> RestoreResult:
    """Restore a backup into the empty database at `target_url`, opened with the password of
    the admin who made it or with the organisation recovery sheet; then migrate it to this
    crmsup's schema and record the restore in its audit trail."""
    if (recovery_sheet_text is None) == (username is None or password is None):
        raise ValidationFailed(
            "a backup opens either with --user and the password of the admin who made it, "
            "or with the recovery key file"
        )
    target = target_for(target_url)
    target.require_empty()
    source = Path(in_path).expanduser()
    try:
        stream = source.open("rb")
    except OSError as exc:
        raise ValidationFailed(f"cannot read {source}: {exc.strerror}") from None
    with stream:
        reader = BackupReader(stream)
        header = reader.header
        target.accept(header.backend)
        opened = _open(header, username, password, recovery_sheet_text)
        require_known(header.schema, "this backup")
        target.prepare()
        with scratch_folder(target.scratch_near, ".crmsup-restore-") as scratch:
            payload = scratch / "payload"
            with create_private(payload) as plain:
                for chunk in reader.chunks(opened.file_key):
                    plain.write(chunk)
            tables: list[str] = []
            if header.backend is Backend.SQLITE:
                check_sqlite(payload)
            else:
                with payload.open("rb") as lines:
                    tables = list(row_counts(read_dump(lines, header.schema)))
            signer = None if opened.actor is None else opened.actor.keys.public().signing
            target.install(payload, header, tables, scratch, content_check(header, signer))
    return _record_restore(target_url, target.display, header, opened)


def _record_restore(url: str, display: str, header: BackupHeader, opened: _Opened) -> RestoreResult:
    db = open_database(url)  # migrates an older backup to this crmsup's schema, audited
    try:
        with db.transaction() as session:
            organisation = session.scalars(select(Organisation)).one()
            audit.append(
                session,
                "restore",
                actor=opened.actor,
                entity_type="organisation",
                entity_id=organisation.id,
                details={
                    "file": header.file_id.hex(),
                    "backend": header.backend.value,
                    "schema": header.schema,
                    "made_at": header.created_at,
                    "opened_with": "recovery key" if opened.actor is None else "password",
                },
            )
            name = organisation.name
        verdict = audit_service.verify(db)
        return RestoreResult(
            database=display,
            organisation=name,
            backend=header.backend.value,
            backup_schema=header.schema,
            schema=current_revision(db.engine) or "",
            entries=verdict.checked,
            audit_ok=verdict.ok,
            audit_problem=verdict.reason,
            opened_with=opened.opened_with,
            file_id=header.file_id.hex(),
        )
    finally:
        db.dispose()
