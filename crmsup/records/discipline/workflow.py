"""The life cycle of a discipline record past the draft:

    draft ──(level needs approval) submit──► pending_approval ──approve──► approved ──issue──►
      │                                          └──send back (comment)──► draft
      └──(no approval needed) issue──► issued ──acknowledge──► acknowledged
                                         └────────────┴──rescind (reason)──► rescinded

"expired" is computed, never stored. Who may do what: DISCIPLINE_WRITE submits, issues,
records the acknowledgement and annotates; DISCIPLINE_APPROVE (a site manager of the site, or
HR) approves or sends back, never a record they created themselves; DISCIPLINE_RESCIND
rescinds. Each step takes the version the caller read and is one audit entry
"discipline.<step>" in the transaction of the change; a refused step (wrong role or scope,
own approval, wrong state, stale version, bad input) says why and changes nothing.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date, datetime

from sqlalchemy.orm import Session

from crmsup.records import audit, validation
from crmsup.records.actor import Actor
from crmsup.records.database import Database
from crmsup.records.discipline import rules as discipline_rules
from crmsup.records.discipline.content import (
    ENTITY,
    NOTES,
    TABLE,
    checked_record,
    record_in_file,
    record_stale,
    row_of,
    stale_guard,
)
from crmsup.records.discipline.dto import Acknowledged, DisciplineRow, NoteDetail
from crmsup.records.discipline.models import (
    Acknowledgement,
    DisciplineLevel,
    DisciplineNote,
    DisciplineRecord,
)
from crmsup.records.discipline.rules import Step
from crmsup.records.errors import PermissionDenied, ValidationFailed
from crmsup.records.subject import Subject, cipher_for
from crmsup.records.types import utcnow
from crmsup.security.audit_chain import Detail
from crmsup.security.permissions import Action

#: A step's own work on the record (the state itself is moved by `_transition`); returns the
#: audit details it adds (ids and names, never values).
Apply = Callable[[Session, Subject, DisciplineRecord, DisciplineLevel], dict[str, Detail]]

MAX_TEXT = 20_000


def _text(value: str, what: str) -> str:
    return validation.name(value, what, max_length=MAX_TEXT)


def _transition(
    db: Database,
    actor: Actor,
    action: Action,
    step: Step,
    employee_no: str,
    ref: str | uuid.UUID,
    expected_version: int,
    today: date,
    apply: Apply,
) -> DisciplineRow:
    with (
        checked_record(db, actor, action, f"discipline.{step.value}", employee_no, ref) as subject,
        stale_guard(db, subject, ref, expected_version),
        db.transaction() as session,
    ):
        record = record_in_file(session, subject, ref, lock=True)
        if record.version != expected_version:
            raise record_stale(session, subject, record, expected_version)
        level = session.get_one(DisciplineLevel, record.level_id)
        before = record.state
        target = discipline_rules.next_state(step, before, level.needs_approval)
        details = apply(session, subject, record, level)
        record.state = target
        session.flush()
        audit.append(
            session,
            f"discipline.{step.value}",
            actor=actor,
            entity_type=ENTITY,
            entity_id=record.id,
            details={"from": before.value, "to": target.value, "version": record.version} | details,
        )
        return row_of(session, subject, record, today)


def _not_own(actor: Actor, record: DisciplineRecord) -> None:
    if record.created_by == actor.user_id:
        raise PermissionDenied(
            "nobody approves their own record: another site manager or HR must decide on it"
        )


def submit(
    db: Database,
    actor: Actor,
    employee_no: str,
    ref: str | uuid.UUID,
    *,
    expected_version: int,
    today: date,
    now: datetime | None = None,
) -> DisciplineRow:
    """Ask a site manager or HR to approve a draft whose level needs approval."""

    def apply(
        _: Session, __: Subject, record: DisciplineRecord, ___: DisciplineLevel
    ) -> dict[str, Detail]:
        record.submitted_at = now or utcnow()
        return {}

    return _transition(
        db,
        actor,
        Action.DISCIPLINE_WRITE,
        Step.SUBMIT,
        employee_no,
        ref,
        expected_version,
        today,
        apply,
    )


def _decide(
    db: Database,
    actor: Actor,
    step: Step,
    employee_no: str,
    ref: str | uuid.UUID,
    comment: str | None,
    expected_version: int,
    today: date,
    now: datetime | None,
) -> DisciplineRow:
    def apply(
        session: Session, subject: Subject, record: DisciplineRecord, _: DisciplineLevel
    ) -> dict[str, Detail]:
        _not_own(actor, record)
        record.decided_by = actor.user_id
        record.decided_at = now or utcnow()
        record.decision_comment_enc = (
            None
            if comment is None
            else cipher_for(session, actor, subject).encrypt(
                TABLE, "decision_comment_enc", str(record.id), comment
            )
        )
        if step is Step.SEND_BACK:
            record.submitted_at = None
        return {"comment": comment is not None}

    return _transition(
        db,
        actor,
        Action.DISCIPLINE_APPROVE,
        step,
        employee_no,
        ref,
        expected_version,
        today,
        apply,
    )


def approve(
    db: Database,
    actor: Actor,
    employee_no: str,
    ref: str | uuid.UUID,
    *,
    expected_version: int,
    today: date,
    comment: str | None = None,
    now: datetime | None = None,
) -> DisciplineRow:
    """Approve a record waiting for approval (never one's own); it may then be issued."""
    text = None if comment is None or not comment.strip() else _text(comment, "comment")
    return _decide(db, actor, Step.APPROVE, employee_no, ref, text, expected_version, today, now)


def send_back(
    db: Database,
    actor: Actor,
    employee_no: str,
    ref: str | uuid.UUID,
    comment: str,
    *,
    expected_version: int,
    today: date,
    now: datetime | None = None,
) -> DisciplineRow:
    """Return a record waiting for approval to draft, saying why (the comment is required)."""
    text = _text(comment, "comment saying why the record is sent back")
    return _decide(db, actor, Step.SEND_BACK, employee_no, ref, text, expected_version, today, now)


def issue(
    db: Database,
    actor: Actor,
    employee_no: str,
    ref: str | uuid.UUID,
    *,
    expected_version: int,
    today: date,
) -> DisciplineRow:
    """Issue a draft (a level without approval) or an approved record on `today`; its live
    period is fixed now, from the level's as it stands today."""

    def apply(
        _: Session, __: Subject, record: DisciplineRecord, level: DisciplineLevel
    ) -> dict[str, Detail]:
        if not level.active:
            raise ValidationFailed(
                f"the level {level.name!r} was retired since the record was drafted: "
                "edit the draft to give an active level"
            )
        record.issued_by = actor.user_id
        record.issued_on = today
        record.live_until = discipline_rules.live_until(today, level.live_months)
        return {"level": str(level.id)}

    return _transition(
        db,
        actor,
        Action.DISCIPLINE_WRITE,
        Step.ISSUE,
        employee_no,
        ref,
        expected_version,
        today,
        apply,
    )


def acknowledge(
    db: Database,
    actor: Actor,
    employee_no: str,
    ref: str | uuid.UUID,
    ack: Acknowledged,
    *,
    expected_version: int,
    today: date,
) -> DisciplineRow:
    """Record how the associate received the issued record: signed on a date, or refused to
    sign before a named witness (the name is encrypted)."""
    if ack.kind is Acknowledgement.REFUSED:
        witness: str | None = validation.name(ack.witness or "", "witness's name")
    elif ack.witness is not None and ack.witness.strip():
        raise ValidationFailed("a witness is named only when the associate refused to sign")
    else:
        witness = None
    if ack.on > today:
        raise ValidationFailed(f"the acknowledgement date is in the future (today is {today})")

    def apply(
        session: Session, subject: Subject, record: DisciplineRecord, _: DisciplineLevel
    ) -> dict[str, Detail]:
        if record.issued_on is not None and ack.on < record.issued_on:
            raise ValidationFailed("the acknowledgement date is before the record was issued")
        record.acknowledgement = ack.kind
        record.acknowledged_on = ack.on
        record.witness_enc = (
            None
            if witness is None
            else cipher_for(session, actor, subject).encrypt(
                TABLE, "witness_enc", str(record.id), witness
            )
        )
        return {"acknowledgement": ack.kind.value}

    return _transition(
        db,
        actor,
        Action.DISCIPLINE_WRITE,
        Step.ACKNOWLEDGE,
        employee_no,
        ref,
        expected_version,
        today,
        apply,
    )


def rescind(
    db: Database,
    actor: Actor,
    employee_no: str,
    ref: str | uuid.UUID,
    reason: str,
    *,
    expected_version: int,
    today: date,
) -> DisciplineRow:
    """Withdraw an issued or acknowledged record on `today`, saying why: it stops counting
    at once, and stays on the file, marked rescinded."""
    text = _text(reason, "reason for rescinding")

    def apply(
        session: Session, subject: Subject, record: DisciplineRecord, _: DisciplineLevel
    ) -> dict[str, Detail]:
        if record.issued_on is not None and today < record.issued_on:
            raise ValidationFailed("a record is not rescinded before the day it was issued")
        record.rescinded_by = actor.user_id
        record.rescinded_on = today
        record.rescind_reason_enc = cipher_for(session, actor, subject).encrypt(
            TABLE, "rescind_reason_enc", str(record.id), text
        )
        return {}

    return _transition(
        db,
        actor,
        Action.DISCIPLINE_RESCIND,
        Step.RESCIND,
        employee_no,
        ref,
        expected_version,
        today,
        apply,
    )


def annotate(
    db: Database,
    actor: Actor,
    employee_no: str,
    ref: str | uuid.UUID,
    text: str,
    *,
    now: datetime | None = None,
) -> NoteDetail:
    """Add a note to an issued or acknowledged record, which cannot be edited any more.
    A note changes nothing in the record, so it takes no version."""
    cleaned = _text(text, "note")
    with (
        checked_record(
            db, actor, Action.DISCIPLINE_WRITE, "discipline.annotate", employee_no, ref
        ) as subject,
        db.transaction() as session,
    ):
        record = record_in_file(session, subject, ref)
        discipline_rules.next_state(Step.ANNOTATE, record.state, needs_approval=False)
        note_id = uuid.uuid4()
        note = DisciplineNote(
            id=note_id,
            record_id=record.id,
            associate_id=subject.associate_id,
            author_id=actor.user_id,
            at=now or utcnow(),
            text_enc=cipher_for(session, actor, subject).encrypt(
                NOTES, "text_enc", str(note_id), cleaned
            ),
        )
        session.add(note)
        session.flush()
        audit.append(
            session,
            "discipline.annotate",
            actor=actor,
            entity_type=ENTITY,
            entity_id=record.id,
            details={"note": str(note_id)},
        )
        return NoteDetail(note_id, actor.username, note.at, cleaned)
