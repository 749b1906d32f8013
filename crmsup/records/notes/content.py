"""Notes and claims as stored: finding one in an associate's file by (short) id, opening
and sealing its texts, the DTOs, and the stale-edit refusal.

Texts are encrypted under the associate's data key, each bound to its table, column and row;
what does not open fails closed (IntegrityFailure), never an empty field.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from crmsup.records import short_ids, stale_edits
from crmsup.records.errors import NotFound, StaleEdit
from crmsup.records.names import team_name, usernames
from crmsup.records.notes.dto import ClaimDetail, ClaimRow, NoteDetail, NoteRow
from crmsup.records.notes.models import ClientClaim, Note
from crmsup.records.notes.rules import first_response_due, responded_late
from crmsup.records.sealed_fields import open_required, open_text
from crmsup.records.subject import Subject
from crmsup.security.fields import FieldCipher

NOTE_TABLE = Note.__tablename__
CLAIM_TABLE = ClientClaim.__tablename__
NOTE_ENTITY = "note"
CLAIM_ENTITY = "client_claim"
#: Audit actions about a note or claim that do not change it.
READS = ("note.view", "note.list", "claim.view", "claim.list")
R = TypeVar("R", Note, ClientClaim)


def in_file(
    session: Session, kind: type[R], subject: Subject, ref: str | uuid.UUID, *, lock: bool = False
) -> R:
    """One of the associate's notes or claims, by id or the first 8 or more hex digits of it
    (ValidationFailed when that names none or several)."""
    what = "note" if kind is Note else "claim"
    ids = session.scalars(select(kind.id).where(kind.associate_id == subject.associate_id))
    found = short_ids.find(ids, ref, what)
    row = None if found is None else session.get(kind, found, with_for_update=lock)
    if row is None or row.associate_id != subject.associate_id:
        raise NotFound(f"associate {subject.employee_no} has no {what} {ref}")
    return row


def note_row(note: Note, subject: Subject, author: str) -> NoteRow:
    return NoteRow(
        note.id,
        subject.employee_no,
        note.kind,
        note.noted_on,
        author,
        note.created_at,
        note.updated_at,
        note.version,
    )


def note_detail(session: Session, cipher: FieldCipher, subject: Subject, note: Note) -> NoteDetail:
    text = open_required(cipher, NOTE_TABLE, note.id, "text_enc", note.text_enc)
    return NoteDetail(
        id=note.id,
        employee_no=subject.employee_no,
        team=team_name(session, subject.team_id),
        kind=note.kind,
        noted_on=note.noted_on,
        text=text,
        author=usernames(session, {note.author_id})[note.author_id],
        created_at=note.created_at,
        updated_at=note.updated_at,
        version=note.version,
    )


def claim_row(claim: ClientClaim, subject: Subject, now: datetime) -> ClaimRow:
    return ClaimRow(
        claim.id,
        subject.employee_no,
        claim.state,
        claim.received_at,
        first_response_due(claim.received_at),
        claim.responded_at,
        responded_late(claim.received_at, claim.responded_at, now),
        claim.closed_at,
        claim.outcome,
        claim.version,
    )


def claim_detail(
    session: Session, cipher: FieldCipher, subject: Subject, claim: ClientClaim, now: datetime
) -> ClaimDetail:
    names = usernames(session, {claim.logged_by, claim.responded_by, claim.closed_by})

    def opened(column: str) -> str | None:
        return open_text(cipher, CLAIM_TABLE, claim.id, column, getattr(claim, column))

    return ClaimDetail(
        id=claim.id,
        employee_no=subject.employee_no,
        team=team_name(session, subject.team_id),
        state=claim.state,
        received_at=claim.received_at,
        respond_by=first_response_due(claim.received_at),
        late=responded_late(claim.received_at, claim.responded_at, now),
        client=opened("client_enc"),
        claim=open_required(cipher, CLAIM_TABLE, claim.id, "claim_enc", claim.claim_enc),
        logged_by=names[claim.logged_by],
        responded_at=claim.responded_at,
        responded_by=None if claim.responded_by is None else names[claim.responded_by],
        response=opened("response_enc"),
        closed_at=claim.closed_at,
        closed_by=None if claim.closed_by is None else names[claim.closed_by],
        outcome=claim.outcome,
        outcome_notes=opened("outcome_notes_enc"),
        version=claim.version,
    )


def stale_edit(
    session: Session, kind: type[R], subject: Subject, row_id: uuid.UUID, read: int | None
) -> StaleEdit:
    """Refuse a change of a version that is no longer current, naming who changed it since."""
    current = session.get_one(kind, row_id).version
    entity = NOTE_ENTITY if kind is Note else CLAIM_ENTITY
    what = (
        f"{'note' if kind is Note else 'claim'} {row_id.hex[:8]} of associate {subject.employee_no}"
    )
    return stale_edits.stale_edit(session, entity, row_id, what, current, read, unchanged=READS)
