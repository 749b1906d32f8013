"""Finding the associate a record is about, and checking the actor may touch their file.

Every service of the associate's file starts the same way: find the associate by employee
number (NotFound, also for an erased one), then check the role may do the action and the
associate's team lies in the actor's scope. A refusal is recorded in the audit trail, signed
by the refused user, before it propagates (`audit.denials_recorded`).

`checked_session` does all of it inside the transaction of the work, which is what most
services want; `checked` closes its own first, for work that spans several transactions.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from crmsup.records import audit, validation
from crmsup.records.actor import Actor
from crmsup.records.database import Database
from crmsup.records.errors import NotFound, PermissionDenied
from crmsup.records.keyring import data_cipher
from crmsup.records.models import Associate
from crmsup.records.names import remember_employee_number
from crmsup.records.scope import actor_team_ids, require
from crmsup.security.fields import FieldCipher
from crmsup.security.permissions import Action


@dataclass(frozen=True, slots=True)
class Subject:
    """An associate whose file is being read or written."""

    associate_id: uuid.UUID
    employee_no: str
    team_id: uuid.UUID


def find_associate(session: Session, employee_no: str) -> Subject:
    """The associate with `employee_no`; NotFound when there is none or only a tombstone."""
    number = validation.employee_no(employee_no)
    row = session.execute(
        select(Associate.id, Associate.team_id, Associate.erased_at).where(
            Associate.employee_no == number
        )
    ).one_or_none()
    if row is None:
        raise NotFound(f"there is no associate with employee number {number}")
    if row.erased_at is not None:
        raise NotFound(f"associate {number} was erased; their file no longer exists")
    remember_employee_number(session, row.id, number)
    return Subject(row.id, number, row.team_id)


def require_subject(session: Session, actor: Actor, action: Action, subject: Subject) -> None:
    """PermissionDenied unless `actor`'s role may do `action` on `subject`'s team."""
    require(actor, action)
    if subject.team_id not in actor_team_ids(session, actor):
        raise PermissionDenied(f"associate {subject.employee_no} is outside your scope")


@contextmanager
def checked(
    db: Database,
    actor: Actor,
    action: Action,
    audit_action: str,
    employee_no: str,
    entity_type: str,
    entity_id: uuid.UUID | None = None,
) -> Iterator[Subject]:
    """Find the associate and check `action` on them; a refusal is audited as
    `audit_action` on (`entity_type`, `entity_id`, or the associate when None)."""
    refused: PermissionDenied | None = None
    with db.transaction() as session:
        subject = find_associate(session, employee_no)
        try:
            require_subject(session, actor, action, subject)
        except PermissionDenied as exc:
            refused = exc
    with audit.denials_recorded(
        db, actor, audit_action, entity_type, entity_id or subject.associate_id
    ):
        if refused is not None:
            raise refused
        yield subject


@contextmanager
def checked_session(
    db: Database,
    actor: Actor,
    action: Action,
    audit_action: str,
    employee_no: str,
    entity_type: str,
    entity_id: uuid.UUID | None = None,
) -> Iterator[tuple[Subject, Session]]:
    """`checked` and the work's transaction in one: the associate is found and checked, and
    the block runs, in a single transaction. A refusal, from the check or from the block,
    rolls the transaction back and is then audited in its own, like `checked`'s."""
    target = entity_id
    try:
        with db.transaction() as session:
            subject = find_associate(session, employee_no)
            target = target or subject.associate_id
            require_subject(session, actor, action, subject)
            yield subject, session
    except PermissionDenied as refusal:
        audit.record_denial(db, actor, audit_action, refusal, entity_type, target)
        raise


def cipher_for(session: Session, actor: Actor, subject: Subject) -> FieldCipher:
    """The associate's data key; PermissionDenied when the actor holds no team key yet."""
    return data_cipher(session, actor, subject.associate_id)
