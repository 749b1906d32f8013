"""Training records as stored: finding one in an associate's file, opening and sealing its
encrypted fields, and the DTOs built from them.

A completion's score, free-text trainer and notes, and an admission's reason, are encrypted
under the associate's data key, each bound to its table, column and row; what does not open as
written fails closed (IntegrityFailure), never an empty field.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from crmsup.records import short_ids, stale_edits
from crmsup.records.errors import IntegrityFailure, NotFound, StaleEdit
from crmsup.records.names import usernames
from crmsup.records.sealed_fields import open_required, open_text
from crmsup.records.subject import Subject
from crmsup.records.training.dto import (
    AdmissionDetail,
    AssignmentRow,
    CompletionDetail,
    CompletionRow,
)
from crmsup.records.training.models import (
    TrainingAdmission,
    TrainingAdmissionBasis,
    TrainingAssignment,
    TrainingCompletion,
    TrainingCourse,
)
from crmsup.security.fields import FieldCipher

#: Audit entity types, and how a message names each kind of record.
ASSIGNMENT = "training_assignment"
COMPLETION = "training_completion"
ADMISSION = "training_admission"
#: Audit actions about a training record that do not change it.
READS = ("training.view", "training.list")
Row = TypeVar("Row", TrainingAssignment, TrainingCompletion, TrainingAdmission)
#: The training records that are edited (an admission is recorded once, never changed).
Editable = TypeVar("Editable", TrainingAssignment, TrainingCompletion)


def in_file(
    session: Session,
    model: type[Row],
    subject: Subject,
    ref: str | uuid.UUID,
    what: str,
    *,
    lock: bool = False,
) -> Row:
    """One of the associate's records of `model` (`what` names it in messages), by id or the
    first 8 or more hex digits of it (exit 3 when that names none or several)."""
    ids = session.scalars(select(model.id).where(model.associate_id == subject.associate_id))
    found = short_ids.find(ids, ref, what)
    row = None if found is None else session.get(model, found, with_for_update=lock)
    if row is None or row.associate_id != subject.associate_id:
        raise NotFound(f"associate {subject.employee_no} has no {what} {ref}")
    return row


def course_names(session: Session, ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, tuple[str, str]]:
    """{course id: (code, title)} in one query."""
    query = select(TrainingCourse.id, TrainingCourse.code, TrainingCourse.title).where(
        TrainingCourse.id.in_(set(ids))
    )
    return {cid: (code, title) for cid, code, title in session.execute(query)}


def assignment_row(session: Session, subject: Subject, row: TrainingAssignment) -> AssignmentRow:
    code, title = course_names(session, [row.course_id])[row.course_id]
    names = usernames(session, [row.assigned_by])
    return AssignmentRow(
        row.id,
        subject.employee_no,
        code,
        title,
        row.due_on,
        row.state,
        names[row.assigned_by],
        row.assigned_at,
        row.closed_on,
        row.version,
    )


def completion_row(
    subject: Subject, row: TrainingCompletion, courses: dict[uuid.UUID, tuple[str, str]]
) -> CompletionRow:
    code, title = courses[row.course_id]
    return CompletionRow(
        row.id,
        subject.employee_no,
        code,
        title,
        row.completed_on,
        row.passed,
        row.expires_on,
        row.version,
    )


def open_score(cipher: FieldCipher, row: TrainingCompletion) -> Decimal | None:
    table = TrainingCompletion.__tablename__
    text = open_text(cipher, table, row.id, "score_enc", row.score_enc)
    try:
        return None if text is None else Decimal(text)
    except InvalidOperation:
        raise IntegrityFailure("the score of a training completion is damaged") from None


def completion_detail(
    session: Session, cipher: FieldCipher, subject: Subject, row: TrainingCompletion
) -> CompletionDetail:
    table = TrainingCompletion.__tablename__
    code, title = course_names(session, [row.course_id])[row.course_id]
    names = usernames(session, [row.recorded_by, row.trainer_id])
    trainer = (
        names[row.trainer_id]
        if row.trainer_id is not None
        else open_text(cipher, table, row.id, "trainer_enc", row.trainer_enc)
    )
    return CompletionDetail(
        id=row.id,
        employee_no=subject.employee_no,
        course=code,
        title=title,
        completed_on=row.completed_on,
        passed=row.passed,
        expires_on=row.expires_on,
        score=open_score(cipher, row),
        trainer=trainer,
        notes=open_text(cipher, table, row.id, "notes_enc", row.notes_enc),
        recorded_by=names[row.recorded_by],
        recorded_at=row.recorded_at,
        version=row.version,
    )


def admission_basis(
    session: Session, admission_ids: Iterable[uuid.UUID]
) -> dict[uuid.UUID, list[tuple[str, uuid.UUID]]]:
    """{admission id: [(course code, completion id), …] by code} in one query."""
    query = (
        select(TrainingAdmissionBasis.admission_id, TrainingCourse.code, TrainingCompletion.id)
        .join(TrainingCompletion, TrainingCompletion.id == TrainingAdmissionBasis.completion_id)
        .join(TrainingCourse, TrainingCourse.id == TrainingCompletion.course_id)
        .where(TrainingAdmissionBasis.admission_id.in_(set(admission_ids)))
        .order_by(TrainingCourse.code)
    )
    found: dict[uuid.UUID, list[tuple[str, uuid.UUID]]] = {}
    for admission_id, code, completion_id in session.execute(query):
        found.setdefault(admission_id, []).append((code, completion_id))
    return found


def admission_detail(
    session: Session, cipher: FieldCipher, subject: Subject, row: TrainingAdmission
) -> AdmissionDetail:
    basis = admission_basis(session, [row.id]).get(row.id, [])
    table = TrainingAdmission.__tablename__
    return AdmissionDetail(
        id=row.id,
        employee_no=subject.employee_no,
        project=row.project,
        decided_by=usernames(session, [row.decided_by])[row.decided_by],
        decided_at=row.decided_at,
        courses=tuple(code for code, _ in basis),
        completions=tuple(cid for _, cid in basis),
        reason=open_required(cipher, table, row.id, "reason_enc", row.reason_enc),
    )


def stale_edit(
    session: Session,
    subject: Subject,
    model: type[Editable],
    row_id: uuid.UUID,
    read: int | None,
) -> StaleEdit:
    """Refuse an edit of a version that is no longer current, naming who changed it since
    (as the audit trail tells it)."""
    current = session.get_one(model, row_id).version
    entity, what = (
        (ASSIGNMENT, "assignment") if model is TrainingAssignment else (COMPLETION, "completion")
    )
    message = f"training {what} {row_id.hex[:8]} of associate {subject.employee_no}"
    return stale_edits.stale_edit(session, entity, row_id, message, current, read, unchanged=READS)
