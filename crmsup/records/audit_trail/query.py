"""Reading the audit trail: filtered in SQL, for the roles that may (auditor, HR, admin).

The trail holds no record content — details name fields and ids, never values — so reading it
reveals nothing of a person's file. Reading it is itself recorded ("audit.read"), and so is
exporting it ("audit.export", see `crmsup.spreadsheets.audit_export`).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from crmsup.records import audit
from crmsup.records.actor import Actor
from crmsup.records.database import Database
from crmsup.records.errors import ValidationFailed
from crmsup.records.models import AuditEntry
from crmsup.records.scope import require
from crmsup.security.audit_chain import Detail
from crmsup.security.permissions import Action

READ = "audit.read"
EXPORT = "audit.export"
_LONGEST_FILTER = 255


@dataclass(frozen=True, slots=True)
class AuditRow:
    """One entry as a reader sees it; `at` is an aware UTC datetime."""

    sequence: int
    at: datetime
    actor: str | None
    workstation: str
    action: str
    entity_type: str | None
    entity_id: str | None
    outcome: str
    details: dict[str, object]


@dataclass(frozen=True, slots=True)
class AuditFilter:
    """Which entries to read. `action` ending in `*` matches a prefix ("associate.*");
    `limit` keeps the newest entries that match, still listed oldest first."""

    since: datetime | None = None
    actor_name: str | None = None
    action: str | None = None
    entity: str | None = None
    limit: int | None = None

    def __post_init__(self) -> None:
        if self.since is not None and self.since.tzinfo is None:
            raise ValidationFailed("the start of an audit listing needs a time zone (UTC)")
        if self.limit is not None and self.limit < 1:
            raise ValidationFailed("the limit must be a positive number of entries")
        for text in (self.actor_name, self.action, self.entity):
            if text is not None and len(text) > _LONGEST_FILTER:
                raise ValidationFailed(
                    f"an audit filter is at most {_LONGEST_FILTER} characters long"
                )

    def details(self) -> dict[str, Detail]:
        """The filters as an audit entry records them (names and ids, nothing more)."""
        return {
            "since": None if self.since is None else audit.iso(self.since),
            "actor": self.actor_name,
            "action": self.action,
            "entity": self.entity,
            "limit": self.limit,
        }

    def rows(self, session: Session) -> list[AuditRow]:
        """The matching entries, oldest first (filtered, ordered and limited in SQL)."""
        query = select(AuditEntry)
        if self.since is not None:
            query = query.where(AuditEntry.at >= self.since)
        if self.actor_name is not None:
            query = query.where(AuditEntry.actor_name == self.actor_name.strip().lower())
        if self.action is not None:
            if self.action.endswith("*"):
                prefix = self.action[:-1].replace("\\", "\\\\")
                prefix = prefix.replace("%", "\\%").replace("_", "\\_")
                query = query.where(AuditEntry.action.like(prefix + "%", escape="\\"))
            else:
                query = query.where(AuditEntry.action == self.action)
        if self.entity is not None:
            query = query.where(AuditEntry.entity_id == self.entity.strip())
        if self.limit is None:
            return [_row(entry) for entry in session.scalars(query.order_by(AuditEntry.sequence))]
        newest = query.order_by(AuditEntry.sequence.desc()).limit(self.limit)
        return [_row(entry) for entry in session.scalars(newest)][::-1]


def _row(entry: AuditEntry) -> AuditRow:
    details = json.loads(entry.details) if entry.details else {}
    return AuditRow(
        sequence=entry.sequence,
        at=entry.at,
        actor=entry.actor_name,
        workstation=entry.workstation,
        action=entry.action,
        entity_type=entry.entity_type,
        entity_id=entry.entity_id,
        outcome=entry.outcome,
        details=details if isinstance(details, dict) else {"value": details},
    )


@contextmanager
def reading(
    db: Database,
    actor: Actor,
    filters: AuditFilter,
    action: str = READ,
    details: dict[str, Detail] | None = None,
) -> Iterator[list[AuditRow]]:
    """The entries `filters` selects, for a reader allowed to see them.

    The reading is recorded as `action` (with the filters, the count and `details`) when the
    block ends without an error; a refusal is recorded as well. An export writes its file
    inside the block, so the trail never lacks the entry of a file that was written.
    """
    _ = actor.keys  # a locked session reads nothing (and could not sign the entry)
    with audit.denials_recorded(db, actor, action, "audit"):
        require(actor, Action.AUDIT_READ)
    with db.transaction() as session:
        rows = filters.rows(session)
    yield rows
    with db.transaction() as session:
        audit.append(
            session,
            action,
            actor=actor,
            entity_type="audit",
            details=filters.details() | {"count": len(rows)} | (details or {}),
        )


def list_entries(
    db: Database,
    actor: Actor,
    *,
    since: datetime | None = None,
    actor_name: str | None = None,
    action: str | None = None,
    entity: str | None = None,
    limit: int | None = None,
) -> list[AuditRow]:
    """Entries of the trail, oldest first, filtered in SQL (see `AuditFilter`)."""
    filters = AuditFilter(since, actor_name, action, entity, limit)
    with reading(db, actor, filters) as rows:
        return rows
