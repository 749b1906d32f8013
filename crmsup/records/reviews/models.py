"""Performance reviews: HR's templates of weighted competencies, and the reviews of an
associate's file.

Every narrative column (`*_enc`) is AES-256-GCM under the associate's data key, bound to its
table, column and row: ratings, the overall score and every comment. What stays plain is what
the app must sort, count or date without a key: kinds, states, periods and ids. Templates are
not personal data. Every editable record carries a version for optimistic locking.

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
    Text,
    true,
)
from sqlalchemy.orm import Mapped, mapped_column

from crmsup.records.models import Base, ErasedRows, enum_column
from crmsup.records.types import UtcDateTime, Uuid, utcnow


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


#: Columns naming the associate in this module's tables, children first: erasure deletes
#: these rows (`crmsup.records.upkeep.erasure`).
ERASED_ROWS: ErasedRows = (Review.associate_id,)
