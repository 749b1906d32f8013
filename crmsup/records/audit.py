"""Writing the audit trail, in the same transaction as the change it records.

`append` takes the session of the change: both commit together or neither does. The
`audit_head` row is locked first, so two writers (two workstations on PostgreSQL) queue up
and the chain never forks. Refusals are recorded in a transaction of their own, since the
refused change rolls back (`denials_recorded`).
"""

from __future__ import annotations

import socket
import uuid
from collections.abc import Generator, Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import String, select, type_coerce
from sqlalchemy.orm import Session

from crmsup.records.actor import Actor
from crmsup.records.audit_statements import HeadWriter
from crmsup.records.database import Database
from crmsup.records.errors import PermissionDenied
from crmsup.records.models import AuditEntry
from crmsup.records.types import utcnow
from crmsup.security.audit_chain import (
    Detail,
    EntryFields,
    StoredEntry,
    canonical_details,
    entry_hash,
    sign,
)

_WORKSTATION = socket.gethostname()[:255] or "unknown"


def iso(at: datetime) -> str:
    """ISO-8601 UTC with microseconds and a Z, as the chain hashes times."""
    return at.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"


def _stored_iso(at: str | datetime) -> str:
    # SQLite keeps entry times as SQLAlchemy writes them, "YYYY-MM-DD HH:MM:SS.ffffff" in
    # UTC, read here as text: re-parsing 100,000 of them would cost more than hashing them.
    # Any other shape fails the entry's hash check, so nothing is taken on trust.
    return at.replace(" ", "T") + "Z" if isinstance(at, str) else iso(at)


def append(
    session: Session,
    action: str,
    *,
    actor: Actor | None = None,
    actor_id: uuid.UUID | None = None,
    actor_name: str | None = None,
    signer: Ed25519PrivateKey | None = None,
    entity_type: str | None = None,
    entity_id: uuid.UUID | str | None = None,
    outcome: str = "ok",
    details: Mapping[str, Detail] | None = None,
    at: datetime | None = None,
) -> int:
    """Add one entry to the chain in `session`; return its sequence number.

    The entry is signed with the actor's key unless the actor is locked or absent (then only
    the actions in `UNSIGNED_ACTIONS` verify).
    """
    if actor is not None:
        actor_id, actor_name = actor.user_id, actor.username
        if signer is None and not actor.locked:
            signer = actor.keys.signing
    writer = HeadWriter(session)
    try:
        sequence, previous = writer.read_head()
        stamp = (at or utcnow()).astimezone(UTC)
        fields = EntryFields(
            sequence=sequence + 1,
            at=iso(stamp),
            actor_id=None if actor_id is None else str(actor_id),
            actor_name=actor_name,
            workstation=_WORKSTATION,
            action=action,
            entity_type=entity_type,
            entity_id=None if entity_id is None else str(entity_id),
            outcome=outcome,
            details=canonical_details(details),
        )
        digest = entry_hash(previous, fields)
        writer.insert(
            {
                "sequence": fields.sequence,
                "at": stamp,
                "actor_id": fields.actor_id,
                "actor_name": fields.actor_name,
                "workstation": fields.workstation,
                "action": fields.action,
                "entity_type": fields.entity_type,
                "entity_id": fields.entity_id,
                "outcome": fields.outcome,
                "details": fields.details,
                "previous_hash": previous,
                "entry_hash": digest,
                "signature": None if signer is None else sign(signer, digest),
            }
        )
        writer.move_head(fields.sequence, digest)
    finally:
        writer.close()
    return fields.sequence


@contextmanager
def denials_recorded(
    db: Database,
    actor: Actor,
    action: str,
    entity_type: str | None = None,
    entity_id: uuid.UUID | str | None = None,
) -> Iterator[None]:
    """Record a refusal of `action` in its own transaction, then let it propagate."""
    try:
        yield
    except PermissionDenied as refusal:
        record_denial(db, actor, action, refusal, entity_type, entity_id)
        raise


def record_denial(
    db: Database,
    actor: Actor,
    action: str,
    refusal: PermissionDenied,
    entity_type: str | None = None,
    entity_id: uuid.UUID | str | None = None,
) -> None:
    """Record a refusal in its own transaction (the refused one has rolled back)."""
    with db.transaction() as session:
        append(
            session,
            action,
            actor=actor,
            entity_type=entity_type,
            entity_id=entity_id,
            outcome="denied",
            details={"reason": str(refusal)},
        )


def stored_entries(db: Database, batch: int = 5000) -> Generator[StoredEntry]:
    """Every entry in sequence order, streamed."""
    columns = (
        AuditEntry.sequence,
        type_coerce(AuditEntry.at, String),
        AuditEntry.actor_id,
        AuditEntry.actor_name,
        AuditEntry.workstation,
        AuditEntry.action,
        AuditEntry.entity_type,
        AuditEntry.entity_id,
        AuditEntry.outcome,
        AuditEntry.details,
        AuditEntry.previous_hash,
        AuditEntry.entry_hash,
        AuditEntry.signature,
    )
    with db.engine.connect() as connection:
        rows = connection.execution_options(yield_per=batch).execute(
            select(*columns).order_by(AuditEntry.sequence)
        )
        try:
            for row in rows:
                previous, digest, signature = row[10:]
                yield StoredEntry(
                    EntryFields(row[0], _stored_iso(row[1]), *row[2:10]),
                    bytes(previous),
                    bytes(digest),
                    None if signature is None else bytes(signature),
                )
        finally:
            rows.close()
