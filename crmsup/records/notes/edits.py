"""Changing a note or a claim: the checks every change makes before it writes.

The actor must hold NOTE_WRITE on the associate (refusals audited by `subject.checked`); the
row is locked; a caller's stale version is refused naming who changed it since, also when a
concurrent writer made it stale meanwhile (`StaleDataError`), and nothing is written.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Generic

from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from crmsup.records.actor import Actor
from crmsup.records.database import Database
from crmsup.records.notes.content import R, in_file, stale_edit
from crmsup.records.subject import Subject, checked, cipher_for
from crmsup.security.fields import FieldCipher
from crmsup.security.permissions import Action


@dataclass(frozen=True)
class Locked(Generic[R]):
    """A note or claim locked for one change, with what the change needs."""

    session: Session
    actor: Actor
    subject: Subject
    row: R
    cipher: FieldCipher


@contextmanager
def locked(
    db: Database,
    actor: Actor,
    employee_no: str,
    kind: type[R],
    ref: str | uuid.UUID,
    audit_action: str,
    expected_version: int | None,
) -> Iterator[Locked[R]]:
    """Check NOTE_WRITE, lock the row, refuse a stale version (also one that a concurrent
    writer made stale while this one ran); the caller changes the row in the transaction."""
    with checked(db, actor, Action.NOTE_WRITE, audit_action, employee_no, "associate") as subject:
        row_id: uuid.UUID | None = None
        try:
            with db.transaction() as session:
                row = in_file(session, kind, subject, ref, lock=True)
                row_id = row.id
                if expected_version is not None and row.version != expected_version:
                    raise stale_edit(session, kind, subject, row.id, expected_version)
                yield Locked(session, actor, subject, row, cipher_for(session, actor, subject))
        except StaleDataError:
            if row_id is None:
                raise
            with db.transaction() as session:
                raise stale_edit(session, kind, subject, row_id, expected_version) from None
