"""The one way a training record is changed: check, lock, refuse a stale version, change,
audit, all in one transaction.

`locked` checks the actor may write the associate's training (a refusal is audited by
`subject.checked`), locks the record, and refuses a version that is not the one the caller
read, naming who changed it since; the caller changes the row and calls `Change.record`,
which writes the audit entry (names of the changed fields, never their values) in the same
transaction. A concurrent change that slips between the read and the write surfaces as the
same refusal, and nothing is written.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Generic

from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from crmsup.records import audit
from crmsup.records.actor import Actor
from crmsup.records.database import Database
from crmsup.records.subject import Subject, checked, cipher_for
from crmsup.records.training.content import ASSIGNMENT, COMPLETION, Editable, in_file, stale_edit
from crmsup.records.training.models import TrainingAssignment
from crmsup.security.fields import FieldCipher
from crmsup.security.permissions import Action


@dataclass(frozen=True)
class Change(Generic[Editable]):
    """A record locked for one change, with what the change needs."""

    session: Session
    actor: Actor
    subject: Subject
    row: Editable

    def cipher(self) -> FieldCipher:
        return cipher_for(self.session, self.actor, self.subject)

    def record(self, action: str, fields: list[str]) -> None:
        """Write the change and its audit entry, in the change's transaction."""
        self.session.flush()
        entity = ASSIGNMENT if isinstance(self.row, TrainingAssignment) else COMPLETION
        audit.append(
            self.session,
            action,
            actor=self.actor,
            entity_type=entity,
            entity_id=self.row.id,
            details={"fields": fields, "version": self.row.version},
        )


@contextmanager
def locked(
    db: Database,
    actor: Actor,
    employee_no: str,
    model: type[Editable],
    ref: str | uuid.UUID,
    audit_action: str,
    expected_version: int | None,
) -> Iterator[Change[Editable]]:
    what = "training assignment" if model is TrainingAssignment else "training completion"
    with checked(
        db, actor, Action.TRAINING_WRITE, audit_action, employee_no, "associate"
    ) as subject:
        row_id: uuid.UUID | None = None
        try:
            with db.transaction() as session:
                row = in_file(session, model, subject, ref, what, lock=True)
                row_id = row.id
                if expected_version is not None and row.version != expected_version:
                    raise stale_edit(session, subject, model, row.id, expected_version)
                yield Change(session, actor, subject, row)
        except StaleDataError:
            if row_id is None:
                raise
            with db.transaction() as session:
                raise stale_edit(session, subject, model, row_id, expected_version) from None
