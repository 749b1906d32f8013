"""Completions: an associate's attempt at a course, passed or failed, with its score, trainer
and notes (encrypted), and the certificate a pass makes.

A pass closes the open assignment of its course ("completed"); a fail is linked to it and
leaves it open. A pass of a course with a validity expires on completion + validity, computed
when it is recorded (and again when its date or result is corrected), so that a later change
of the course's validity never moves a certificate already given.
"""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from crmsup.records import audit
from crmsup.records.actor import Actor
from crmsup.records.database import Database
from crmsup.records.errors import ValidationFailed
from crmsup.records.models import User
from crmsup.records.sealed_fields import open_text
from crmsup.records.subject import checked_session, cipher_for
from crmsup.records.training.content import (
    ASSIGNMENT,
    COMPLETION,
    completion_detail,
    in_file,
    open_score,
)
from crmsup.records.training.courses import course_by_ref
from crmsup.records.training.dto import CompletionChanges, CompletionDetail, NewCompletion
from crmsup.records.training.models import (
    AssignmentState,
    TrainingAssignment,
    TrainingCompletion,
    TrainingCourse,
)
from crmsup.records.training.rules import check_completed_on, expires_on, score, text
from crmsup.records.training.workflow import Change, locked
from crmsup.security.fields import FieldCipher
from crmsup.security.permissions import Action

TABLE = TrainingCompletion.__tablename__


def get_completion(
    db: Database, actor: Actor, employee_no: str, ref: str | uuid.UUID
) -> CompletionDetail:
    """One completion, decrypted (audited as "training.view")."""
    with checked_session(
        db, actor, Action.TRAINING_VIEW, "training.view", employee_no, "associate"
    ) as (subject, session):
        row = in_file(session, TrainingCompletion, subject, ref, "training completion")
        detail = completion_detail(session, cipher_for(session, actor, subject), subject, row)
        audit.append(
            session, "training.view", actor=actor, entity_type=COMPLETION, entity_id=row.id
        )
        return detail


def _trainer_id(session: Session, username: str | None) -> uuid.UUID | None:
    if username is None or not username.strip():
        return None
    found = session.scalar(select(User.id).where(User.username == username.strip()))
    if found is None:
        raise ValidationFailed(f"there is no user {username.strip()!r} to name as the trainer")
    return found


def _seal(cipher: FieldCipher, row_id: uuid.UUID, column: str, value: str | None) -> bytes | None:
    return None if value is None else cipher.encrypt(TABLE, column, str(row_id), value)


def record_completion(
    db: Database, actor: Actor, employee_no: str, new: NewCompletion, *, today: date
) -> CompletionDetail:
    """Record an attempt at an active course, on `today` or before."""
    with checked_session(
        db, actor, Action.TRAINING_WRITE, "training.complete", employee_no, "associate"
    ) as (subject, session):
        course = course_by_ref(session, new.course)
        if not course.active:
            raise ValidationFailed(f"course {course.code} is retired: no attempt is recorded")
        check_completed_on(new.completed_on, today)
        given_score = score(new.score)
        trainer_text = text(new.trainer, "trainer")
        trainer_id = _trainer_id(session, new.trainer_user)
        if trainer_id is not None and trainer_text is not None:
            raise ValidationFailed("name the trainer either as a user or as free text, not both")
        notes = text(new.notes, "notes")
        cipher = cipher_for(session, actor, subject)
        assignment = session.scalars(
            select(TrainingAssignment)
            .where(
                TrainingAssignment.associate_id == subject.associate_id,
                TrainingAssignment.course_id == course.id,
                TrainingAssignment.state == AssignmentState.OPEN,
            )
            .with_for_update()
        ).first()
        row_id = uuid.uuid4()
        row = TrainingCompletion(
            id=row_id,
            associate_id=subject.associate_id,
            course_id=course.id,
            assignment_id=None if assignment is None else assignment.id,
            completed_on=new.completed_on,
            passed=new.passed,
            expires_on=expires_on(new.completed_on, new.passed, course.validity_months),
            score_enc=_seal(cipher, row_id, "score_enc", _score_text(given_score)),
            trainer_id=trainer_id,
            trainer_enc=_seal(cipher, row_id, "trainer_enc", trainer_text),
            notes_enc=_seal(cipher, row_id, "notes_enc", notes),
            recorded_by=actor.user_id,
        )
        session.add(row)
        session.flush()
        details: dict[str, str | int | bool | list[str] | None] = {
            "associate": str(subject.associate_id),
            "course": course.code,
            "passed": new.passed,
        }
        if assignment is not None and new.passed:
            _close(assignment, actor, new.completed_on)
            session.flush()
            details["assignment"] = str(assignment.id)
            audit.append(
                session,
                "training.complete",
                actor=actor,
                entity_type=ASSIGNMENT,
                entity_id=assignment.id,
                details={"completion": str(row.id), "version": assignment.version},
            )
        audit.append(
            session,
            "training.complete",
            actor=actor,
            entity_type=COMPLETION,
            entity_id=row.id,
            details=details,
        )
        return completion_detail(session, cipher, subject, row)


def _score_text(value: object) -> str | None:
    return None if value is None else str(value)


def _close(assignment: TrainingAssignment, actor: Actor, on: date) -> None:
    assignment.state = AssignmentState.COMPLETED
    assignment.closed_by = actor.user_id
    assignment.closed_on = on


def update_completion(
    db: Database,
    actor: Actor,
    employee_no: str,
    ref: str | uuid.UUID,
    changes: CompletionChanges,
    *,
    today: date,
    expected_version: int | None = None,
) -> CompletionDetail:
    """Correct a completion's date, result, score, trainer or notes. A corrected result
    closes (pass) or reopens (fail) the assignment it answered. Nothing is written, nor
    audited, when nothing changes."""
    with locked(
        db, actor, employee_no, TrainingCompletion, ref, "training.update", expected_version
    ) as change:
        row, cipher = change.row, change.cipher()
        # One write of the row at the end, so that its version moves on by one.
        with change.session.no_autoflush:
            fields = _plain_changes(change, changes, today)
            if changes.score is not None and score(changes.score) != open_score(cipher, row):
                row.score_enc = _seal(
                    cipher, row.id, "score_enc", _score_text(score(changes.score))
                )
                fields.append("score")
            if changes.trainer is not None:
                trainer = text(changes.trainer, "trainer")
                current = open_text(cipher, TABLE, row.id, "trainer_enc", row.trainer_enc)
                if trainer != current or row.trainer_id is not None:
                    row.trainer_id = None
                    row.trainer_enc = _seal(cipher, row.id, "trainer_enc", trainer)
                    fields.append("trainer")
            if changes.notes is not None:
                notes = text(changes.notes, "notes")
                old = open_text(cipher, TABLE, row.id, "notes_enc", row.notes_enc)
                if notes != old:
                    row.notes_enc = _seal(cipher, row.id, "notes_enc", notes)
                    fields.append("notes")
        if fields:
            change.record("training.update", fields)
        return completion_detail(change.session, cipher, change.subject, row)


def _plain_changes(
    change: Change[TrainingCompletion], changes: CompletionChanges, today: date
) -> list[str]:
    """Apply the date and result, recomputing the expiry and the assignment's state."""
    row, fields = change.row, []
    completed_on = changes.completed_on or row.completed_on
    passed = row.passed if changes.passed is None else changes.passed
    check_completed_on(completed_on, today)
    if completed_on != row.completed_on:
        row.completed_on = completed_on
        fields.append("completed_on")
    if passed != row.passed:
        row.passed = passed
        fields.append("passed")
    if fields:
        months = change.session.get_one(TrainingCourse, row.course_id).validity_months
        expiry = expires_on(completed_on, passed, months)
        if expiry != row.expires_on:
            row.expires_on = expiry
            fields.append("expires_on")
    if "passed" in fields and row.assignment_id is not None:
        assignment = change.session.get_one(
            TrainingAssignment, row.assignment_id, with_for_update=True
        )
        if passed and assignment.state is AssignmentState.OPEN:
            _close(assignment, change.actor, completed_on)
        elif not passed and assignment.state is AssignmentState.COMPLETED:
            assignment.state = AssignmentState.OPEN
            assignment.closed_by = assignment.closed_on = None
    return fields
