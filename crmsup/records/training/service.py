"""An associate's training: courses assigned with a due date, attempts passed or failed, the
certificates passes make, and the decisions to admit a trained associate to a project.

Whoever keeps the associate's file (TRAINING_WRITE: HR, the site's manager, the team's
supervisors) assigns courses, records completions and admits; the same people read it
(TRAINING_VIEW). An assignment is open until a pass of its course closes it ("completed") or a
keeper cancels it; a fail leaves it open. A pass of a course with a validity is a certificate
until completion + validity (`rules.expires_on`), and the course is due again before
then (`due`).

Score, free-text trainer and notes are encrypted under the associate's data key; course, dates,
pass / fail and expiry stay plain, so that due lists and compliance need no key. Every change is
audited in its transaction with the names of the fields it changed, every read of content as
"training.view", every refusal by `subject.checked`. Each edit takes the version the caller
read: a stale one is refused, naming who changed the record since, and nothing is written.
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
from crmsup.records.names import usernames
from crmsup.records.subject import Subject, checked_session
from crmsup.records.training.admissions import admit, get_admission
from crmsup.records.training.completions import get_completion, record_completion, update_completion
from crmsup.records.training.compliance import compliance
from crmsup.records.training.content import (
    ASSIGNMENT,
    READS,
    admission_basis,
    assignment_row,
    completion_row,
    course_names,
)
from crmsup.records.training.courses import course_by_ref
from crmsup.records.training.dto import AdmissionRow, AssignmentRow, TrainingFile
from crmsup.records.training.due import due_items
from crmsup.records.training.models import (
    AssignmentState,
    TrainingAdmission,
    TrainingAssignment,
    TrainingCompletion,
    TrainingCourse,
)
from crmsup.records.training.rules import check_due_on
from crmsup.records.training.workflow import locked
from crmsup.security.permissions import Action

__all__ = [
    "READS",
    "admit",
    "assign_course",
    "cancel_assignment",
    "compliance",
    "due_items",
    "get_admission",
    "get_completion",
    "list_training",
    "record_completion",
    "reschedule_assignment",
    "update_completion",
]


def list_training(db: Database, actor: Actor, employee_no: str) -> TrainingFile:
    """The associate's assignments (by due date), completions and admissions (newest first):
    plain columns only, nothing decrypted."""
    with checked_session(
        db, actor, Action.TRAINING_VIEW, "training.list", employee_no, "associate"
    ) as (subject, session):
        found = _file(session, subject)
        audit.append(
            session,
            "training.list",
            actor=actor,
            entity_type="associate",
            entity_id=subject.associate_id,
            details={
                "assignments": len(found.assignments),
                "completions": len(found.completions),
                "admissions": len(found.admissions),
            },
        )
        return found


def _file(session: Session, subject: Subject) -> TrainingFile:
    mine = subject.associate_id
    assignments = list(
        session.scalars(
            select(TrainingAssignment)
            .where(TrainingAssignment.associate_id == mine)
            .order_by(TrainingAssignment.due_on, TrainingAssignment.assigned_at)
        )
    )
    completions = list(
        session.scalars(
            select(TrainingCompletion)
            .where(TrainingCompletion.associate_id == mine)
            .order_by(TrainingCompletion.completed_on.desc(), TrainingCompletion.recorded_at.desc())
        )
    )
    admissions = list(
        session.scalars(
            select(TrainingAdmission)
            .where(TrainingAdmission.associate_id == mine)
            .order_by(TrainingAdmission.decided_at.desc())
        )
    )
    used = {a.course_id for a in assignments} | {c.course_id for c in completions}
    courses = course_names(session, used)
    people = usernames(
        session, [*(a.assigned_by for a in assignments), *(a.decided_by for a in admissions)]
    )
    basis = admission_basis(session, (a.id for a in admissions))
    return TrainingFile(
        subject.employee_no,
        tuple(
            AssignmentRow(
                a.id,
                subject.employee_no,
                *courses[a.course_id],
                a.due_on,
                a.state,
                people[a.assigned_by],
                a.assigned_at,
                a.closed_on,
                a.version,
            )
            for a in assignments
        ),
        tuple(completion_row(subject, c, courses) for c in completions),
        tuple(
            AdmissionRow(
                a.id,
                subject.employee_no,
                a.project,
                people[a.decided_by],
                a.decided_at,
                tuple(code for code, _ in basis.get(a.id, [])),
            )
            for a in admissions
        ),
    )


# ---- assignments ---------------------------------------------------------------------------


def _open_assignment(
    session: Session, associate_id: uuid.UUID, course_id: uuid.UUID
) -> TrainingAssignment | None:
    query = select(TrainingAssignment).where(
        TrainingAssignment.associate_id == associate_id,
        TrainingAssignment.course_id == course_id,
        TrainingAssignment.state == AssignmentState.OPEN,
    )
    return session.scalars(query).first()


def active_course(session: Session, ref: str | uuid.UUID) -> TrainingCourse:
    course = course_by_ref(session, ref)
    if not course.active:
        raise ValidationFailed(f"course {course.code} is retired: it is no longer assigned")
    return course


def assign_course(
    db: Database,
    actor: Actor,
    employee_no: str,
    course: str | uuid.UUID,
    *,
    due_on: date,
    today: date,
) -> AssignmentRow:
    """Assign an active course, due by `due_on` (today or later); refused while the same
    course is already assigned and open."""
    with checked_session(
        db, actor, Action.TRAINING_WRITE, "training.assign", employee_no, "associate"
    ) as (subject, session):
        found = active_course(session, course)
        check_due_on(due_on, today)
        already = _open_assignment(session, subject.associate_id, found.id)
        if already is not None:
            raise ValidationFailed(
                f"course {found.code} is already assigned to {subject.employee_no}, due "
                f"{already.due_on:%Y-%m-%d}: reschedule that assignment instead"
            )
        row = TrainingAssignment(
            id=uuid.uuid4(),
            associate_id=subject.associate_id,
            course_id=found.id,
            due_on=due_on,
            state=AssignmentState.OPEN,
            assigned_by=actor.user_id,
        )
        session.add(row)
        session.flush()
        audit.append(
            session,
            "training.assign",
            actor=actor,
            entity_type=ASSIGNMENT,
            entity_id=row.id,
            details={"associate": str(subject.associate_id), "course": found.code},
        )
        return assignment_row(session, subject, row)


def _still_open(row: TrainingAssignment, what: str) -> None:
    if row.state is not AssignmentState.OPEN:
        raise ValidationFailed(
            f"training assignment {row.id.hex[:8]} is {row.state.value}: only an open one "
            f"can be {what}"
        )


def reschedule_assignment(
    db: Database,
    actor: Actor,
    employee_no: str,
    ref: str | uuid.UUID,
    *,
    due_on: date,
    today: date,
    expected_version: int | None = None,
) -> AssignmentRow:
    """Move an open assignment's due date (to today or later)."""
    with locked(
        db, actor, employee_no, TrainingAssignment, ref, "training.reschedule", expected_version
    ) as change:
        _still_open(change.row, "rescheduled")
        check_due_on(due_on, today)
        if change.row.due_on != due_on:
            change.row.due_on = due_on
            change.record("training.reschedule", ["due_on"])
        return assignment_row(change.session, change.subject, change.row)


def cancel_assignment(
    db: Database,
    actor: Actor,
    employee_no: str,
    ref: str | uuid.UUID,
    *,
    today: date,
    expected_version: int | None = None,
) -> AssignmentRow:
    """Open → cancelled on `today`: the course is no longer asked of the associate."""
    with locked(
        db, actor, employee_no, TrainingAssignment, ref, "training.cancel", expected_version
    ) as change:
        _still_open(change.row, "cancelled")
        change.row.state = AssignmentState.CANCELLED
        change.row.closed_by = actor.user_id
        change.row.closed_on = today
        change.record("training.cancel", ["state", "closed_by", "closed_on"])
        return assignment_row(change.session, change.subject, change.row)
