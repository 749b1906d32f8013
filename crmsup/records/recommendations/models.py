"""The associate's file, part one: discipline, performance reviews, recommendations, and the
files attached to them.

Every narrative column (`*_enc`) is AES-256-GCM under the associate's data key (a candidate's
own key for a candidate), bound to its table, column and row. What stays plain is what the
app must sort, count or date without a key: states, levels, categories, dates, ids, scores
needed for due lists are *not* among them (ratings and scores are encrypted too). Every
editable record carries a version for optimistic locking.

Imported at the end of `crmsup.records.models`, so `Base.metadata` always holds these tables.
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
    Text,
    true,
)
from sqlalchemy.orm import Mapped, mapped_column

from crmsup.records.models import Base, enum_column
from crmsup.records.types import UtcDateTime, Uuid, utcnow


class DisciplineCategory(StrEnum):
    ATTENDANCE = "attendance"
    PERFORMANCE = "performance"
    CONDUCT = "conduct"
    POLICY = "policy"
    OTHER = "other"


class DisciplineState(StrEnum):
    """Stored states. "expired" is not stored: it is an issued or acknowledged record whose
    live period has ended, worked out against the day asked about."""

    DRAFT = "draft"
    PENDING_APPROVAL = "pending_approval"
    APPROVED = "approved"
    ISSUED = "issued"
    ACKNOWLEDGED = "acknowledged"
    RESCINDED = "rescinded"


class Acknowledgement(StrEnum):
    SIGNED = "signed"
    REFUSED = "refused"  # refused to sign, before a named witness


class ReviewKind(StrEnum):
    ANNUAL = "annual"
    PROBATION = "probation"
    MID_YEAR = "mid_year"
    AD_HOC = "ad_hoc"


class ReviewState(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    ACKNOWLEDGED = "acknowledged"
    FINALISED = "finalised"


class RecommendationKind(StrEnum):
    HIRE = "hire"
    PROMOTION = "promotion"
    ADVANCEMENT = "advancement"
    TRANSFER = "transfer"
    TERMINATION = "termination"


class RecommendationState(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"  # waiting for the site manager
    MANAGER_APPROVED = "manager_approved"  # waiting for HR
    APPROVED = "approved"  # by HR; applied to the associate where it changes them
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"


class DisciplineLevel(Base):
    """One step of progressive discipline, as HR configured it (defaults in migration 0005).

    `rank` orders the steps; `live_months` is how long an issued record counts (None: for
    ever, as for a termination); `needs_approval` makes a site manager or HR approve before
    the record is issued.
    """

    __tablename__ = "discipline_levels"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    rank: Mapped[int] = mapped_column(Integer, unique=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    live_months: Mapped[int | None] = mapped_column(Integer)
    needs_approval: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 - SQLAlchemy reads it
    __table_args__ = (
        CheckConstraint("live_months IS NULL OR live_months > 0", name="live_months_positive"),
    )


class DisciplineRecord(Base):
    __tablename__ = "discipline_records"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    associate_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("associates.id"), index=True)
    category: Mapped[DisciplineCategory] = mapped_column(
        enum_column(DisciplineCategory, "discipline_category")
    )
    level_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("discipline_levels.id"))
    #: The level the service proposed when the record was created; a different `level_id`
    #: needs `deviation_reason_enc`.
    suggested_level_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("discipline_levels.id"))
    state: Mapped[DisciplineState] = mapped_column(
        enum_column(DisciplineState, "discipline_state"), default=DisciplineState.DRAFT
    )
    incident_dates_enc: Mapped[bytes] = mapped_column(LargeBinary)  # JSON list of ISO dates
    description_enc: Mapped[bytes] = mapped_column(LargeBinary)
    expectation_enc: Mapped[bytes | None] = mapped_column(LargeBinary)  # policy breached
    improvement_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    improve_by: Mapped[date | None] = mapped_column(Date)
    consequences_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    statement_enc: Mapped[bytes | None] = mapped_column(LargeBinary)  # the associate's
    deviation_reason_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    follow_up_on: Mapped[date | None] = mapped_column(Date, index=True)
    created_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    #: When the record was last submitted for approval: the approval is due the day after.
    submitted_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    decided_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    decision_comment_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    issued_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    issued_on: Mapped[date | None] = mapped_column(Date, index=True)
    #: The end of the live period (None while not issued, or for a level that never expires).
    live_until: Mapped[date | None] = mapped_column(Date, index=True)
    acknowledgement: Mapped[Acknowledgement | None] = mapped_column(
        enum_column(Acknowledgement, "discipline_acknowledgement")
    )
    acknowledged_on: Mapped[date | None] = mapped_column(Date)
    witness_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    rescinded_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    rescinded_on: Mapped[date | None] = mapped_column(Date)
    rescind_reason_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 - SQLAlchemy reads it


class DisciplineNote(Base):
    """An annotation added to an issued record (which cannot be edited any more)."""

    __tablename__ = "discipline_notes"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    record_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("discipline_records.id"), index=True)
    associate_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("associates.id"), index=True)
    author_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    text_enc: Mapped[bytes] = mapped_column(LargeBinary)


class Attachment(Base):
    """A file attached to a record (a signed notice, a scanned statement), encrypted whole
    under the associate's data key. `record_type` names the table of `record_id`."""

    __tablename__ = "attachments"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    associate_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("associates.id"), index=True)
    record_type: Mapped[str] = mapped_column(String(64))
    record_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    filename_enc: Mapped[bytes] = mapped_column(LargeBinary)
    media_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    #: Deferred: listing a file's attachments must not read every document into memory.
    content_enc: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    added_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    added_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class ReviewTemplate(Base):
    """HR's form for a kind of review: competencies with weights, and what 1 to 5 mean
    (`scale`: JSON list of five descriptions). Templates are not personal data: plain."""

    __tablename__ = "review_templates"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    scale: Mapped[str] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 - SQLAlchemy reads it


class ReviewCompetency(Base):
    __tablename__ = "review_competencies"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    template_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("review_templates.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    #: A positive whole number; the overall score weighs each rating by weight / sum(weights).
    weight: Mapped[int] = mapped_column(Integer)

    __table_args__ = (CheckConstraint("weight > 0", name="weight_positive"),)


class Review(Base):
    __tablename__ = "reviews"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    associate_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("associates.id"), index=True)
    template_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("review_templates.id"))
    kind: Mapped[ReviewKind] = mapped_column(enum_column(ReviewKind, "review_kind"))
    state: Mapped[ReviewState] = mapped_column(
        enum_column(ReviewState, "review_state"), default=ReviewState.DRAFT
    )
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    reviewer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    #: JSON {competency id: {"rating": 1-5, "comment": text}}.
    ratings_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    overall_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    strengths_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    improvements_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    goals_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    associate_comments_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    acknowledged_on: Mapped[date | None] = mapped_column(Date)
    finalised_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    #: The date an annual review's next one is counted from.
    finalised_on: Mapped[date | None] = mapped_column(Date, index=True)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 - SQLAlchemy reads it
    __table_args__ = (CheckConstraint("period_end >= period_start", name="period_ordered"),)


class Candidate(Base):
    """A person interviewed for a team, not (yet) an associate. Name, contact and interview
    notes are encrypted under the candidate's own data key (`candidate_keys`), so that a
    candidate who is not hired can be erased on their own."""

    __tablename__ = "candidates"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    team_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("teams.id"), index=True)
    name_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    contact_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    interview_notes_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    #: The interview's result in a word the supervisor chose ("recommended", "not suited").
    result_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    interviewed_on: Mapped[date | None] = mapped_column(Date)
    #: Set when a hire was approved and the candidate became this associate.
    hired_as: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("associates.id"))
    erased_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 - SQLAlchemy reads it


class CandidateKey(Base):
    """A candidate's data key, wrapped by their team's scope key (as `AssociateKey`)."""

    __tablename__ = "candidate_keys"

    candidate_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("candidates.id"), primary_key=True)
    key_id: Mapped[uuid.UUID] = mapped_column(Uuid, unique=True, default=uuid.uuid4)
    scope_key_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("scope_keys.id"), index=True)
    wrapped: Mapped[bytes] = mapped_column(LargeBinary)


class Recommendation(Base):
    """A recommendation to hire, promote, advance, transfer or terminate, and its approvals.

    The subject is an associate or, for a hire, a candidate (exactly one of the two).
    """

    __tablename__ = "recommendations"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    kind: Mapped[RecommendationKind] = mapped_column(
        enum_column(RecommendationKind, "recommendation_kind")
    )
    associate_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("associates.id"), index=True)
    candidate_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("candidates.id"), index=True)
    #: The team the subject belongs to now (a candidate's: the team interviewing them);
    #: scope and keys follow it.
    team_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("teams.id"), index=True)
    state: Mapped[RecommendationState] = mapped_column(
        enum_column(RecommendationState, "recommendation_state"),
        default=RecommendationState.DRAFT,
    )
    proposed_title_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    proposed_team_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("teams.id"))
    proposed_date: Mapped[date | None] = mapped_column(Date)
    rationale_enc: Mapped[bytes] = mapped_column(LargeBinary)
    #: JSON list of {"type": table name, "id": uuid} of the supporting records.
    links_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    created_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    submitted_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    submitted_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    manager_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    manager_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    manager_comment_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    hr_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    hr_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    hr_comment_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    applied_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 - SQLAlchemy reads it
    __table_args__ = (
        CheckConstraint("(associate_id IS NULL) <> (candidate_id IS NULL)", name="one_subject"),
    )
