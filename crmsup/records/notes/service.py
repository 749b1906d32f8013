"""Notes of conversations and feedback received from the associate.

Keepers of the file (NOTE_WRITE: HR, the site's manager, the team's supervisors) write
dated notes; the author alone edits a note afterwards, giving the version they read (a stale
one is refused naming who changed it since, and nothing is written). Texts are encrypted
under the associate's data key; kind and dates stay plain. Reading a note's text is audited
as "note.view", every change in its transaction with the names of the fields it changed,
every refusal by `subject.checked`.

Client claims are in `claims` (re-exported here).
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import select

from crmsup.records import audit
from crmsup.records.actor import Actor
from crmsup.records.database import Database
from crmsup.records.errors import PermissionDenied
from crmsup.records.models import User
from crmsup.records.notes.claims import (
    close_claim,
    create_claim,
    get_claim,
    list_claims,
    respond_to_claim,
    update_claim,
)
from crmsup.records.notes.content import NOTE_ENTITY, NOTE_TABLE, in_file, note_detail, note_row
from crmsup.records.notes.dto import NewNote, NoteChanges, NoteDetail, NoteRow
from crmsup.records.notes.due import due_items
from crmsup.records.notes.edits import locked
from crmsup.records.notes.models import Note, NoteKind
from crmsup.records.notes.rules import check_noted_on, clean_text
from crmsup.records.sealed_fields import open_required
from crmsup.records.subject import checked_session, cipher_for
from crmsup.records.types import utcnow
from crmsup.security.permissions import Action

__all__ = [
    "close_claim",
    "create_claim",
    "create_note",
    "due_items",
    "get_claim",
    "get_note",
    "list_claims",
    "list_notes",
    "respond_to_claim",
    "update_claim",
    "update_note",
]


def list_notes(db: Database, actor: Actor, employee_no: str) -> tuple[NoteRow, ...]:
    """The associate's notes, newest first: plain columns, nothing decrypted."""
    with checked_session(db, actor, Action.NOTE_VIEW, "note.list", employee_no, "associate") as (
        subject,
        session,
    ):
        query = (
            select(Note, User.username)
            .join(User, User.id == Note.author_id)
            .where(Note.associate_id == subject.associate_id)
            .order_by(Note.noted_on.desc(), Note.created_at.desc())
        )
        rows = tuple(note_row(n, subject, author) for n, author in session.execute(query))
        audit.append(
            session,
            "note.list",
            actor=actor,
            entity_type="associate",
            entity_id=subject.associate_id,
            details={"notes": len(rows)},
        )
        return rows


def get_note(db: Database, actor: Actor, employee_no: str, ref: str | uuid.UUID) -> NoteDetail:
    """One note, decrypted (audited as "note.view")."""
    with checked_session(db, actor, Action.NOTE_VIEW, "note.view", employee_no, "associate") as (
        subject,
        session,
    ):
        note = in_file(session, Note, subject, ref)
        detail = note_detail(session, cipher_for(session, actor, subject), subject, note)
        audit.append(session, "note.view", actor=actor, entity_type=NOTE_ENTITY, entity_id=note.id)
        return detail


def create_note(
    db: Database,
    actor: Actor,
    employee_no: str,
    new: NewNote,
    *,
    today: date,
    now: datetime | None = None,
) -> NoteDetail:
    """A dated note (not after `today`) of a conversation, or feedback from the associate."""
    with checked_session(db, actor, Action.NOTE_WRITE, "note.create", employee_no, "associate") as (
        subject,
        session,
    ):
        kind = NoteKind(new.kind)
        check_noted_on(new.noted_on, today)
        text = clean_text(new.text, "note", required=True)
        cipher = cipher_for(session, actor, subject)
        note_id = uuid.uuid4()
        note = Note(
            id=note_id,
            associate_id=subject.associate_id,
            kind=kind,
            noted_on=new.noted_on,
            text_enc=cipher.encrypt(NOTE_TABLE, "text_enc", str(note_id), text or ""),
            author_id=actor.user_id,
            created_at=now or utcnow(),
        )
        session.add(note)
        session.flush()
        audit.append(
            session,
            "note.create",
            actor=actor,
            entity_type=NOTE_ENTITY,
            entity_id=note.id,
            details={"associate": str(subject.associate_id), "kind": kind.value},
        )
        return note_detail(session, cipher, subject, note)


def update_note(
    db: Database,
    actor: Actor,
    employee_no: str,
    ref: str | uuid.UUID,
    changes: NoteChanges,
    *,
    today: date,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> NoteDetail:
    """Change a note (its author only). Nothing is written, nor audited, when nothing changes."""
    with locked(db, actor, employee_no, Note, ref, "note.update", expected_version) as change:
        note, fields = change.row, []
        if note.author_id != actor.user_id:
            raise PermissionDenied("only the note's author may edit it")
        if changes.kind is not None and NoteKind(changes.kind) != note.kind:
            note.kind = NoteKind(changes.kind)
            fields.append("kind")
        if changes.noted_on is not None and changes.noted_on != note.noted_on:
            check_noted_on(changes.noted_on, today)
            note.noted_on = changes.noted_on
            fields.append("noted_on")
        if changes.text is not None:
            text = clean_text(changes.text, "note", required=True) or ""
            old = open_required(change.cipher, NOTE_TABLE, note.id, "text_enc", note.text_enc)
            if text != old:
                note.text_enc = change.cipher.encrypt(NOTE_TABLE, "text_enc", str(note.id), text)
                fields.append("text")
        if fields:
            note.updated_at = now or utcnow()
            change.session.flush()
            audit.append(
                change.session,
                "note.update",
                actor=actor,
                entity_type=NOTE_ENTITY,
                entity_id=note.id,
                details={"fields": fields, "version": note.version},
            )
        return note_detail(change.session, change.cipher, change.subject, note)
