"""The decision to admit a trained associate to a project ("training before admission to a
project", DESIGN.md): who decided, when, why (encrypted), and the passes it rested on.

The decision names the courses it rests on; each must hold a pass that counts on the day of
the decision (never a fail, never a lapsed certificate), and the newest such pass of each is
recorded as the basis, so the decision can be checked later even after the certificates
lapse. A decision is recorded once and not edited: a new decision is a new record.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from crmsup.records import audit, validation
from crmsup.records.actor import Actor
from crmsup.records.database import Database
from crmsup.records.errors import ValidationFailed
from crmsup.records.subject import Subject, checked_session, cipher_for
from crmsup.records.training.content import ADMISSION, admission_detail, in_file
from crmsup.records.training.courses import course_by_ref
from crmsup.records.training.dto import AdmissionDetail
from crmsup.records.training.models import (
    TrainingAdmission,
    TrainingAdmissionBasis,
    TrainingCompletion,
)
from crmsup.records.training.rules import text
from crmsup.records.types import utcnow
from crmsup.security.permissions import Action

TABLE = TrainingAdmission.__tablename__


def get_admission(
    db: Database, actor: Actor, employee_no: str, ref: str | uuid.UUID
) -> AdmissionDetail:
    """One admission, its reason decrypted (audited as "training.view")."""
    with checked_session(
        db, actor, Action.TRAINING_VIEW, "training.view", employee_no, "associate"
    ) as (subject, session):
        row = in_file(session, TrainingAdmission, subject, ref, "training admission")
        detail = admission_detail(session, cipher_for(session, actor, subject), subject, row)
        audit.append(session, "training.view", actor=actor, entity_type=ADMISSION, entity_id=row.id)
        return detail


def valid_pass(
    session: Session, subject: Subject, course_id: uuid.UUID, day: date
) -> uuid.UUID | None:
    """The newest pass of the course that counts on `day`, or None."""
    query = (
        select(TrainingCompletion.id)
        .where(
            TrainingCompletion.associate_id == subject.associate_id,
            TrainingCompletion.course_id == course_id,
            TrainingCompletion.passed.is_(True),
            TrainingCompletion.completed_on <= day,
            or_(TrainingCompletion.expires_on.is_(None), TrainingCompletion.expires_on > day),
        )
        .order_by(TrainingCompletion.completed_on.desc(), TrainingCompletion.recorded_at.desc())
        .limit(1)
    )
    return session.scalar(query)


def admit(
    db: Database,
    actor: Actor,
    employee_no: str,
    *,
    project: str,
    reason: str,
    courses: tuple[str, ...],
    now: datetime | None = None,
) -> AdmissionDetail:
    """Record the decision to admit the associate to `project`, resting on passes of
    `courses` (codes or ids) that count at `now`; refused, naming the courses lacking, when
    any has none."""
    with checked_session(
        db, actor, Action.TRAINING_WRITE, "training.admit", employee_no, "associate"
    ) as (subject, session):
        at = now or utcnow()
        name = validation.name(project, "project", max_length=200)
        why = text(reason, "reason for the admission")
        if why is None:
            raise ValidationFailed("give the reason for the admission")
        if not courses:
            raise ValidationFailed("name the courses the admission rests on")
        basis: dict[uuid.UUID, str] = {}
        lacking: list[str] = []
        for ref in dict.fromkeys(courses):
            course = course_by_ref(session, ref)
            found = valid_pass(session, subject, course.id, at.date())
            if found is None:
                lacking.append(course.code)
            else:
                basis[found] = course.code
        if lacking:
            raise ValidationFailed(
                f"associate {subject.employee_no} holds no pass that counts on "
                f"{at:%Y-%m-%d} of: {', '.join(sorted(lacking))}; nothing was recorded"
            )
        cipher = cipher_for(session, actor, subject)
        row_id = uuid.uuid4()
        row = TrainingAdmission(
            id=row_id,
            associate_id=subject.associate_id,
            project=name,
            decided_by=actor.user_id,
            decided_at=at,
            reason_enc=cipher.encrypt(TABLE, "reason_enc", str(row_id), why),
        )
        session.add(row)
        session.flush()
        session.add_all(
            TrainingAdmissionBasis(
                admission_id=row_id, completion_id=completion, associate_id=subject.associate_id
            )
            for completion in basis
        )
        session.flush()
        audit.append(
            session,
            "training.admit",
            actor=actor,
            entity_type=ADMISSION,
            entity_id=row_id,
            details={
                "associate": str(subject.associate_id),
                "courses": sorted(basis.values()),
                "completions": sorted(str(c) for c in basis),
            },
        )
        return admission_detail(session, cipher, subject, row)
