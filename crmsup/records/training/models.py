"""Training: the course catalogue, assignments, completions, certificates, admissions.

The catalogue (`training_courses`, `training_course_titles`) is not personal data: plain.
What an associate's training says about them is encrypted under their data key, bound to
table, column and row: a completion's score, trainer (when given as free text) and notes, an
admission's reason. What the app must date, count and list without a key stays plain: which
course, due and completion dates, pass or fail, the first day a certificate lapses, states,
ids. Courses, assignments and completions carry a version for optimistic locking; an admission
is a decision recorded once, never edited.

`crmsup.records.schema` gathers these tables with every other area's.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    true,
)
from sqlalchemy.orm import Mapped, mapped_column

from crmsup.records.models import Base, ErasedRows, enum_column
from crmsup.records.types import UtcDateTime, Uuid, utcnow


class CourseKind(StrEnum):
    ONBOARDING = "onboarding"
    PRODUCT = "product"
    COMPLIANCE = "compliance"
    SOFT_SKILLS = "soft_skills"


class AssignmentState(StrEnum):
    OPEN = "open"
    #: Closed by a passing completion of the course.
    COMPLETED = "completed"
    CANCELLED = "cancelled"


class TrainingCourse(Base):
    """A course of HR's catalogue. `validity_months` makes a pass a certificate that lapses
    (None: a pass counts for ever); `minutes` is the course's length (hours × 60, so that
    quarter hours stay exact on every backend)."""

    __tablename__ = "training_courses"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    kind: Mapped[CourseKind] = mapped_column(enum_column(CourseKind, "training_course_kind"))
    minutes: Mapped[int] = mapped_column(Integer)
    validity_months: Mapped[int | None] = mapped_column(Integer)
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 - SQLAlchemy reads it
    __table_args__ = (
        CheckConstraint("minutes > 0", name="minutes_positive"),
        CheckConstraint("validity_months IS NULL OR validity_months > 0", name="validity_positive"),
    )


class TrainingCourseTitle(Base):
    """A job title (as on `associates.job_title`) for which a course is required."""

    __tablename__ = "training_course_titles"

    course_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("training_courses.id"), primary_key=True
    )
    job_title: Mapped[str] = mapped_column(String(200), primary_key=True, index=True)


class TrainingAssignment(Base):
    """A course assigned to an associate, due by `due_on`; a pass closes it."""

    __tablename__ = "training_assignments"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    associate_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("associates.id"), index=True)
    course_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("training_courses.id"), index=True)
    due_on: Mapped[date] = mapped_column(Date, index=True)
    state: Mapped[AssignmentState] = mapped_column(
        enum_column(AssignmentState, "training_assignment_state"), default=AssignmentState.OPEN
    )
    assigned_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    assigned_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    closed_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    closed_on: Mapped[date | None] = mapped_column(Date)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 - SQLAlchemy reads it


class TrainingCompletion(Base):
    """An attempt at a course, passed or failed. A pass of a course with a validity is a
    certificate until `expires_on` (the first day it no longer counts)."""

    __tablename__ = "training_completions"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    associate_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("associates.id"), index=True)
    course_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("training_courses.id"), index=True)
    #: The assignment this attempt answered, if any.
    assignment_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("training_assignments.id"), index=True
    )
    completed_on: Mapped[date] = mapped_column(Date)
    passed: Mapped[bool] = mapped_column(Boolean)
    expires_on: Mapped[date | None] = mapped_column(Date, index=True)
    score_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    #: A trainer who has an account here; one from outside is `trainer_enc` (free text).
    trainer_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    trainer_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    notes_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    recorded_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 - SQLAlchemy reads it


class TrainingAdmission(Base):
    """The decision to admit a trained associate to a project: who, when, why (encrypted),
    and the passes it rested on (`training_admission_basis`)."""

    __tablename__ = "training_admissions"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    associate_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("associates.id"), index=True)
    project: Mapped[str] = mapped_column(String(200))
    decided_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    reason_enc: Mapped[bytes] = mapped_column(LargeBinary)


class TrainingAdmissionBasis(Base):
    """One pass an admission rested on."""

    __tablename__ = "training_admission_basis"

    admission_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("training_admissions.id"), primary_key=True
    )
    completion_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("training_completions.id"), primary_key=True
    )
    #: The associate again, so that erasure finds these rows without a join.
    associate_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("associates.id"), index=True)


#: Columns naming the associate in this module's tables, children first: erasure deletes
#: these rows (`crmsup.records.upkeep.erasure`).
ERASED_ROWS: ErasedRows = (
    TrainingAdmissionBasis.associate_id,
    TrainingAdmission.associate_id,
    TrainingCompletion.associate_id,
    TrainingAssignment.associate_id,
)
