"""What plans, updates, coaching sessions and evaluations share as stored records: finding
one in an associate's file by a short id, linking to a plan or a discipline record of the same
associate, locking one for a change (refusing a stale version, naming who changed it since),
and the audit entry of a change.

Every service of this area starts its changes with `locked_change`, so the rules of the house
(permission and scope checked, refusals audited, stale edits refused with nothing written, the
change audited in its own transaction) live in one place.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Generic, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from crmsup.records import audit, short_ids, stale_edits
from crmsup.records.actor import Actor
from crmsup.records.database import Database
from crmsup.records.development.models import (
    CallEvaluation,
    CoachingSession,
    DevelopmentPlan,
    DevelopmentUpdate,
)
from crmsup.records.discipline.models import DisciplineRecord
from crmsup.records.errors import NotFound, StaleEdit
from crmsup.records.subject import Subject, checked, cipher_for
from crmsup.security.fields import FieldCipher
from crmsup.security.permissions import Action

T = TypeVar("T")
R = TypeVar(
    "R", DevelopmentPlan, DevelopmentUpdate, CoachingSession, CallEvaluation, DisciplineRecord
)

#: How each record is named in messages and in the audit trail.
ENTITIES: dict[type[object], tuple[str, str]] = {
    DevelopmentPlan: ("development_plan", "development plan"),
    DevelopmentUpdate: ("development_update", "weekly update"),
    CoachingSession: ("coaching_session", "coaching session"),
    CallEvaluation: ("call_evaluation", "call evaluation"),
    DisciplineRecord: ("discipline_record", "discipline record"),
}
#: Audit actions that read without changing (a stale-edit message does not name them).
READS = tuple(f"{entity}.list" for entity, _ in ENTITIES.values())


def in_file(
    session: Session, model: type[R], subject: Subject, ref: str | uuid.UUID, *, lock: bool = False
) -> R:
    """One of the associate's records of `model`, by id or the first 8 or more hex digits
    of it (ValidationFailed when that names none or several, or another associate's)."""
    what = ENTITIES[model][1]
    ids = session.scalars(select(model.id).where(model.associate_id == subject.associate_id))
    found = short_ids.find(ids, ref, what)
    row = None if found is None else session.get(model, found, with_for_update=lock)
    if row is None or row.associate_id != subject.associate_id:
        raise NotFound(f"associate {subject.employee_no} has no {what} {ref}")
    return row


def link(
    session: Session,
    model: type[R],
    subject: Subject,
    ref: str | uuid.UUID | None,
) -> uuid.UUID | None:
    """The id of the linked plan or discipline record, which must be the same associate's;
    None for no link (None or "")."""
    if ref is None or (isinstance(ref, str) and not ref.strip()):
        return None
    return in_file(session, model, subject, ref).id


def changed_link(
    session: Session,
    model: type[R],
    subject: Subject,
    ref: str | uuid.UUID | None,
    current: uuid.UUID | None,
) -> tuple[bool, uuid.UUID | None]:
    """(changed?, new id) for a change that gives `ref` (None: keep, "": remove)."""
    if ref is None:
        return False, current
    new = link(session, model, subject, ref)
    return new != current, new


def stale(
    session: Session, subject: Subject, model: type[R], row_id: uuid.UUID, read: int | None
) -> StaleEdit:
    """Refuse an edit of a version that is no longer current, naming who changed it since."""
    entity, what = ENTITIES[model]
    current = session.get_one(model, row_id).version
    label = f"{what} {row_id.hex[:8]} of associate {subject.employee_no}"
    return stale_edits.stale_edit(session, entity, row_id, label, current, read, unchanged=READS)


@dataclass(frozen=True)
class Change(Generic[T]):
    """A record locked for one change, with what the change needs."""

    session: Session
    actor: Actor
    subject: Subject
    row: T
    cipher: FieldCipher
    entity: str

    def record(self, action: str, fields: list[str], **details: str | int | None) -> None:
        """Flush the change and write its audit entry (names of `fields`), same transaction."""
        self.session.flush()
        audit.append(
            self.session,
            action,
            actor=self.actor,
            entity_type=self.entity,
            entity_id=getattr(self.row, "id"),  # noqa: B009 - T is any of the models
            details={"fields": fields, "version": getattr(self.row, "version"), **details},  # noqa: B009
        )


@contextmanager
def locked_change(
    db: Database,
    actor: Actor,
    employee_no: str,
    model: type[R],
    ref: str | uuid.UUID,
    audit_action: str,
    expected_version: int | None,
    action: Action = Action.DEVELOPMENT_WRITE,
) -> Iterator[Change[R]]:
    """Check the actor may, lock the record, refuse a stale version; the caller changes it
    and calls `record` in the same transaction. A refusal raised inside changes nothing."""
    with checked(db, actor, action, audit_action, employee_no, "associate") as subject:
        row_id: uuid.UUID | None = None
        try:
            with db.transaction() as session:
                row = in_file(session, model, subject, ref, lock=True)
                row_id = row.id
                if expected_version is not None and row.version != expected_version:
                    raise stale(session, subject, model, row.id, expected_version)
                cipher = cipher_for(session, actor, subject)
                yield Change(session, actor, subject, row, cipher, ENTITIES[model][0])
        except StaleDataError:
            if row_id is None:
                raise
            with db.transaction() as session:
                raise stale(session, subject, model, row_id, expected_version) from None
